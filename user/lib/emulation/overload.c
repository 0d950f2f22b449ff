// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * COCOMA's EmulationManager.checkResourceOverload, which force does not
 * skip. For CPU (limit 100 %) and MEM (limit: the host's memory, MiB), on
 * each distribution's runs as its module computed them from one common
 * start (not from the distribution's startTime; before minJobTime, the
 * stagger and zero-load removal):
 *  - a run above the limit is refused;
 *  - two distributions of the resource whose windows [startTime,
 *    startTime + duration] meet (ends included) are compared run by run:
 *    run x plus every run of the other starting (whole seconds) between
 *    x's start and its start + its whole-second duration, above the
 *    limit, is refused.
 * COCOMA added and compared one run at a time; loads are never negative,
 * so comparing the sum once is the same test (sorted: n log n, not n^2).
 */
#include <errno.h>
#include <stdlib.h>

#include "emu_int.h"
#include "err.h"

struct timed {
	long long t;		/* int() of the start, COCOMA's */
	double load;
};

struct sorted {
	struct timed *v;
	double *sum;		/* sum[k]: loads of v[0..k-1] */
	size_t n;
};

static int timed_cmp(const void *a, const void *b)
{
	const struct timed *x = a, *y = b;

	return (x->t > y->t) - (x->t < y->t);
}

static int sort_runs(const struct emu_rawvec *rv, struct sorted *s)
{
	s->n = rv->n;
	s->v = malloc((rv->n + 1) * sizeof(*s->v));
	s->sum = malloc((rv->n + 1) * sizeof(*s->sum));
	if (!s->v || !s->sum)
		return -ENOMEM;
	for (size_t i = 0; i < rv->n; i++)
		s->v[i] = (struct timed){ (long long)rv->v[i].start, rv->v[i].load };
	qsort(s->v, s->n, sizeof(*s->v), timed_cmp);
	s->sum[0] = 0;
	for (size_t i = 0; i < s->n; i++)
		s->sum[i + 1] = s->sum[i] + s->v[i].load;
	return 0;
}

/* Index of the first run starting at or after @t. */
static size_t lower(const struct sorted *s, long long t)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->v[mid].t < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static long long window_end(const struct emu_dspec *d)
{
	long long s = (long long)d->start;

	return emu_dhas_arg(d, "duration") ? s + (long long)emu_darg(d, "duration") : s;
}

static int over(struct emu_ctx *c, const struct emu_dspec *d, const struct emu_dspec *w,
		double load, double at, long long limit)
{
	const char *unit = d->res == EMU_RES_CPU ? " %" : " MiB";

	if (!w)
		return tbx_err(EINVAL, "%s:%u: <distributions> %s: a %s run of %g%s is above the limit %lld%s; COCOMA refuses it, even forced (\"resource will become Overloaded\")",
			       c->what, d->line, d->name, emu_res_name(d->res), load, unit,
			       limit, unit);
	return tbx_err(EINVAL, "%s:%u: <distributions> %s: with the runs of %s (line %u), its %s load reaches %g%s %g s into both, above the limit %lld%s; COCOMA refuses it, even forced (\"resource will become Overloaded\")",
		       c->what, d->line, d->name, w->name, w->line, emu_res_name(d->res), load,
		       unit, at, limit, unit);
}

static int check_res(struct emu_ctx *c, const struct emu_dspec *ds, const struct emu_rawvec *raw,
		     size_t nd, enum emu_res r, struct sorted *s)
{
	long long limit = r == EMU_RES_CPU ? 100 : (long long)c->host.mem_mb;

	for (size_t i = 0; i < nd; i++) {
		if (ds[i].res != r)
			continue;
		for (size_t x = 0; x < raw[i].n; x++)
			if ((long long)raw[i].v[x].load > limit)
				return over(c, &ds[i], NULL, raw[i].v[x].load, 0, limit);
		for (size_t w = 0; w < nd; w++) {
			if (w == i || ds[w].res != r || (long long)ds[i].start > window_end(&ds[w]) ||
			    window_end(&ds[i]) < (long long)ds[w].start)
				continue;
			if (!s[w].v && sort_runs(&raw[w], &s[w]))
				return tbx_err(ENOMEM, "%s: out of memory", c->what);
			for (size_t x = 0; x < raw[i].n; x++) {
				const struct emu_raw *run = &raw[i].v[x];
				long long a = (long long)run->start, b = a + (long long)run->duration;
				double load = run->load;

				if (b >= a)
					load += s[w].sum[lower(&s[w], b + 1)] - s[w].sum[lower(&s[w], a)];
				if (load > (double)limit)
					return over(c, &ds[i], &ds[w], load, a - EMU_EPOCH, limit);
			}
		}
	}
	return 0;
}

int emu_check_overload(struct emu_ctx *c, const struct emu_dspec *ds,
		       const struct emu_rawvec *raw, size_t nd)
{
	struct sorted *s = calloc(nd, sizeof(*s));
	int err;

	if (!s)
		return tbx_err(ENOMEM, "%s: out of memory", c->what);
	err = check_res(c, ds, raw, nd, EMU_RES_CPU, s);
	if (!err)
		err = check_res(c, ds, raw, nd, EMU_RES_MEM, s);
	for (size_t i = 0; i < nd; i++) {
		free(s[i].v);
		free(s[i].sum);
	}
	free(s);
	return err;
}
