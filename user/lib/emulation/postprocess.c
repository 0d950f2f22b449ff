// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What COCOMA's DistributionManager did to one distribution's runs before
 * scheduling them, in its order:
 *  1. runs shorter than minJobTime are deleted (not for event, nor for
 *     modules without a minJobTime: fuzz);
 *  2. Library.staggerStartTimes: for each run in turn, every run whose
 *     start (as it is at that moment) equals that run's start gets
 *     + 0.12 s times its rank among them - the list changes as it is
 *     walked, so a moved run can meet another and move again;
 *  3. runs at load 0 are deleted - after the stagger, so the runs beside a
 *     deleted one keep their staggered starts.
 * Runs of different distributions are not staggered. Also the run lists
 * and COCOMA's MEM split (insertLoad), which the distributions call.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "emu_int.h"
#include "err.h"

double emu_linspace(double a, double b, unsigned int n, unsigned int i)
{
	double step;

	if (n <= 1)
		return a;
	if (i == n - 1)
		return b;
	step = (b - a) / (double)(n - 1);
	return (double)i * step + a;
}

int emu_raw_add(struct emu_rawvec *rv, double load, double start, double duration)
{
	if (rv->n == rv->cap) {
		size_t cap = rv->cap ? rv->cap * 2 : 16;
		struct emu_raw *v;

		if (rv->n >= EMU_RUNS_MAX)
			return tbx_err(E2BIG, "more than %u runs", EMU_RUNS_MAX);
		if (cap > EMU_RUNS_MAX)
			cap = EMU_RUNS_MAX;
		v = realloc(rv->v, cap * sizeof(*v));
		if (!v)
			return tbx_err(ENOMEM, "out of memory");
		rv->v = v;
		rv->cap = cap;
	}
	rv->v[rv->n++] = (struct emu_raw){ load, start, duration };
	return 0;
}

int emu_raw_add_split(struct emu_rawvec *rv, const struct emu_dspec *d, double load,
		      double start, double duration)
{
	double parts, rest;
	int err = 0;

	if (d->res != EMU_RES_MEM || load <= EMU_MALLOC_LIMIT)
		return emu_raw_add(rv, load, start, duration);
	parts = floor(load / EMU_MALLOC_LIMIT);
	rest = load - parts * EMU_MALLOC_LIMIT;
	for (double k = 0; k < parts && !err; k++)
		err = emu_raw_add(rv, EMU_MALLOC_LIMIT, start, duration);
	if (!err && rest > 0)
		err = emu_raw_add(rv, rest, start, duration);
	return err;
}

void emu_rawvec_free(struct emu_rawvec *rv)
{
	free(rv->v);
	rv->v = NULL;
	rv->n = rv->cap = 0;
}

/* Runs by start (exact bits of the epoch time): which share one. */
struct bucket {
	uint64_t key;
	size_t *idx;		/* ascending */
	size_t n, cap;
	bool used;
};

struct tmap {
	struct bucket *b;
	size_t cap, count;
};

static uint64_t key_of(double t)
{
	uint64_t k;

	t += 0.0;		/* -0.0 == 0.0 */
	memcpy(&k, &t, sizeof(k));
	return k;
}

static struct bucket *slot(struct tmap *m, uint64_t key)
{
	size_t i = (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 17) & (m->cap - 1);

	while (m->b[i].used && m->b[i].key != key)
		i = (i + 1) & (m->cap - 1);
	return &m->b[i];
}

static int grow(struct tmap *m)
{
	struct tmap n = { .cap = m->cap ? m->cap * 2 : 64 };

	n.b = calloc(n.cap, sizeof(*n.b));
	if (!n.b)
		return -ENOMEM;
	for (size_t i = 0; i < m->cap; i++)
		if (m->b[i].used)
			*slot(&n, m->b[i].key) = m->b[i];
	n.count = m->count;
	free(m->b);
	*m = n;
	return 0;
}

static int tmap_add(struct tmap *m, double t, size_t idx)
{
	struct bucket *b;
	size_t at;

	if ((m->count + 1) * 2 > m->cap && grow(m))
		return -ENOMEM;
	b = slot(m, key_of(t));
	if (!b->used) {
		*b = (struct bucket){ .key = key_of(t), .used = true };
		m->count++;
	}
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 2;
		size_t *v = realloc(b->idx, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		b->idx = v;
		b->cap = cap;
	}
	for (at = b->n; at && b->idx[at - 1] > idx; at--)
		;
	memmove(b->idx + at + 1, b->idx + at, (b->n - at) * sizeof(*b->idx));
	b->idx[at] = idx;
	b->n++;
	return 0;
}

static void tmap_free(struct tmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->b[i].idx);
	free(m->b);
}

/* Library.staggerStartTimes, comparing the starts as COCOMA held them. */
static int stagger(struct emu_work *w, size_t n)
{
	struct tmap m = { 0 };
	size_t *same = NULL, cap = 0;
	int err = 0;

	for (size_t i = 0; i < n && !err; i++)
		err = tmap_add(&m, w[i].start_epoch, i);
	for (size_t i = 0; i < n && !err; i++) {
		struct bucket *b = slot(&m, key_of(w[i].start_epoch));
		size_t k = b->n;

		if (k < 2)
			continue;
		if (k > cap) {
			size_t *v = realloc(same, k * sizeof(*v));

			if (!v) {
				err = -ENOMEM;
				break;
			}
			same = v;
			cap = k;
		}
		/* the matches as they are now; then each moves by its rank */
		memcpy(same, b->idx, k * sizeof(*same));
		b->n = 1;
		for (size_t r = 1; r < k && !err; r++) {
			struct emu_work *x = &w[same[r]];

			x->start = x->start + EMU_STAGGER * (double)r;
			x->start_epoch = x->start_epoch + EMU_STAGGER * (double)r;
			err = tmap_add(&m, x->start_epoch, same[r]);
		}
	}
	free(same);
	tmap_free(&m);
	return err ? tbx_err(ENOMEM, "out of memory") : 0;
}

int emu_postprocess(const struct emu_dspec *d, struct emu_work *w, size_t *n)
{
	size_t k = 0;
	int err;

	if (!d->dist->event && emu_dhas_arg(d, "minJobTime")) {
		double min = emu_darg(d, "minJobTime");

		for (size_t i = 0; i < *n; i++)
			if (!(w[i].duration < min))
				w[k++] = w[i];
		*n = k;
	}
	if ((err = stagger(w, *n)))
		return err;
	k = 0;
	for (size_t i = 0; i < *n; i++)
		if (w[i].load != 0)
			w[k++] = w[i];
	*n = k;
	return 0;
}
