// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * step and sine (tbx's): periodic loads made of granularity sequential
 * runs of floor(duration / granularity) s, like linear's. step alternates
 * startLoad and stopLoad (a square wave); sine follows
 * start + (stop - start) (1 - cos(2 pi t / period)) / 2 at each run's start,
 * rounded to a whole number.
 */
#include <math.h>

#include "emu_int.h"

int emu_plan_step(const struct emu_dspec *d, struct emu_ctx *c, struct emu_runvec *out)
{
	double run = floor(d->duration / d->granularity);
	double a = trunc(emu_darg(d, "startLoad")), b = trunc(emu_darg(d, "stopLoad"));
	int err = 0;

	for (unsigned int k = 0; k < d->granularity && !err; k++)
		err = emu_runvec_add(out, d, k % 2 ? b : a, d->start + run * k, run);
	return err;
}

int emu_plan_sine(const struct emu_dspec *d, struct emu_ctx *c, struct emu_runvec *out)
{
	double run = floor(d->duration / d->granularity);
	double a = emu_darg(d, "startLoad"), b = emu_darg(d, "stopLoad");
	double period = emu_darg(d, "period");
	int err = 0;

	if (period <= 0)
		period = d->duration;
	for (unsigned int k = 0; k < d->granularity && !err; k++) {
		double t = run * k;
		double load = round(a + (b - a) * (1 - cos(2 * M_PI * t / period)) / 2);

		err = emu_runvec_add(out, d, load, d->start + t, run);
	}
	return err;
}
