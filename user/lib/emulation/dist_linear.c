// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * linear: granularity sequential runs of floor(duration / granularity) s;
 * loads and starts as numpy.linspace gave them to COCOMA, truncated to
 * whole numbers (reference/cocoma.md's worked example: CPU 10 -> 95 over
 * 120 s in 18 steps starts runs at 0, 6, 13, 20, ...).
 */
#include <math.h>

#include "emu_int.h"

int emu_plan_linear(const struct emu_dspec *d, struct emu_ctx *c, struct emu_runvec *out)
{
	unsigned int g = d->granularity;
	double run = floor(d->duration / g);
	double a = trunc(emu_darg(d, "startLoad")), b = trunc(emu_darg(d, "stopLoad"));
	int err = emu_runvec_reserve(out, g);

	for (unsigned int k = 0; k < g && !err; k++) {
		double load = trunc(emu_linspace(a, b, g, k));
		double start = trunc(emu_linspace(d->start, d->start + d->duration - run, g, k));

		err = emu_runvec_add(out, d, load, start, run);
	}
	return err;
}
