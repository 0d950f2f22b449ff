// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * linear_incr and trapezoidal: parallel runs that stack. The first holds
 * min(startLoad, stopLoad) for the whole window; granularity - 1 more add
 * floor(|stop - start| / (granularity - 1)) each, plus one whenever the
 * accumulated remainder reaches a whole unit, so the stack ends exactly at
 * the other load. Run k starts k steps in (linear_incr) or k half-steps in
 * (trapezoidal, nested around the middle) and lasts duration - k steps.
 */
#include <math.h>

#include "emu_int.h"

static int stacked(const struct emu_dspec *d, struct emu_runvec *out, double start_div)
{
	unsigned int g = d->granularity;
	double step = floor(d->duration / g);
	long long a = (long long)emu_darg(d, "startLoad"), b = (long long)emu_darg(d, "stopLoad");
	long long lo = a < b ? a : b, diff = a < b ? b - a : a - b;
	long long inc, rem, acc = 0;
	int err;

	err = emu_runvec_reserve(out, g);
	if (!err)
		err = emu_runvec_add(out, d, (double)lo, d->start, d->duration);
	if (g == 1 || err)
		return err;
	inc = diff / (g - 1);
	rem = diff % (g - 1);
	for (unsigned int k = 1; k < g && !err; k++) {
		long long v = inc;

		acc += rem;
		if (acc >= (long long)(g - 1)) {
			v++;
			acc -= g - 1;
		}
		err = emu_runvec_add(out, d, (double)v, d->start + step * k / start_div,
				     d->duration - step * k);
	}
	return err;
}

int emu_plan_linear_incr(const struct emu_dspec *d, struct emu_ctx *c, struct emu_runvec *out)
{
	return stacked(d, out, 1);
}

int emu_plan_trapezoidal(const struct emu_dspec *d, struct emu_ctx *c, struct emu_runvec *out)
{
	return stacked(d, out, 2);
}
