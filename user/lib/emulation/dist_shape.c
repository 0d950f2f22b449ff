// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * step and sine (tbx's): periodic loads made of granularity sequential
 * runs of floor(duration / granularity) s, like linear's. step alternates
 * startLoad and stopLoad (a square wave); sine follows
 * start + (stop - start) (1 - cos(2 pi t / period)) / 2 at each run's start,
 * rounded to a whole number. MEM loads above 4095 MiB are split, as
 * COCOMA split its own.
 */
#include <math.h>

#include "emu_int.h"

int emu_plan_step(const struct emu_dspec *d, struct emu_ctx *c, double base, bool epoch,
		  struct emu_rawvec *out)
{
	double g = emu_darg(d, "granularity"), run = floor(emu_darg(d, "duration") / g);
	double a = emu_darg(d, "startLoad"), b = emu_darg(d, "stopLoad");
	int err = 0;

	for (long long k = 0; k < (long long)g && !err; k++)
		err = emu_raw_add_split(out, d, k % 2 ? b : a, base + run * (double)k, run);
	return err;
}

int emu_plan_sine(const struct emu_dspec *d, struct emu_ctx *c, double base, bool epoch,
		  struct emu_rawvec *out)
{
	double g = emu_darg(d, "granularity"), run = floor(emu_darg(d, "duration") / g);
	double a = emu_darg(d, "startLoad"), b = emu_darg(d, "stopLoad");
	double period = emu_darg(d, "period");
	int err = 0;

	if (period <= 0)
		period = emu_darg(d, "duration");
	for (long long k = 0; k < (long long)g && !err; k++) {
		double t = run * (double)k;
		double load = round(a + (b - a) * (1 - cos(2 * M_PI * t / period)) / 2);

		err = emu_raw_add_split(out, d, load, base + t, run);
	}
	return err;
}
