// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What COCOMA did to the runs before scheduling them: runs shorter than
 * minJobTime go, runs at load 0 go, MEM runs above the malloc limit
 * (4095 MiB) become parallel parts, and runs that start at the same time
 * (split parts, or runs of different distributions) are staggered 0.12 s
 * apart: the k-th of them, in the distributions' order, by 0.12 k s.
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

struct order {
	double start;
	size_t i;
};

static int order_cmp(const void *a, const void *b)
{
	const struct order *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

int emu_stagger(struct emu_run *runs, size_t n)
{
	struct order *o = malloc(n * sizeof(*o) + 1);
	size_t k = 0;

	if (!o)
		return tbx_err(ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++)
		o[i] = (struct order){ runs[i].start, i };
	qsort(o, n, sizeof(*o), order_cmp);
	for (size_t i = 0; i < n; i++) {
		k = i && o[i].start == o[i - 1].start ? k + 1 : 0;
		runs[o[i].i].start += EMU_STAGGER * k;
	}
	free(o);
	return 0;
}

static int split_mem(const struct emu_dspec *d, struct emu_runvec *rv)
{
	struct emu_runvec out = { 0 };
	double lim = d->split_mb;
	int err = 0;

	for (size_t i = 0; i < rv->n && !err; i++) {
		struct emu_run *r = &rv->v[i];
		double left = r->load;

		do {
			double part = left > lim ? lim : left;

			err = emu_runvec_add(&out, d, part, r->start, r->duration);
			if (!err) {
				double l = out.v[out.n - 1].load;

				out.v[out.n - 1] = *r;
				out.v[out.n - 1].load = l;
			}
			left -= part;
		} while (!err && left > 0);
	}
	if (err) {
		emu_runvec_free(&out);
		return err;
	}
	emu_runvec_free(rv);
	*rv = out;
	return 0;
}

int emu_postprocess(const struct emu_dspec *d, struct emu_runvec *rv)
{
	size_t n = 0;
	int err;

	if (d->dist->event)
		return 0;	/* an event runs until its emulator is done */
	for (size_t i = 0; i < rv->n; i++) {
		if (rv->v[i].duration < d->min_job_time || rv->v[i].load <= 0)
			continue;
		rv->v[n++] = rv->v[i];
	}
	rv->n = n;
	err = 0;
	if (d->res == EMU_RES_MEM)
		err = split_mem(d, rv);
	return err;
}
