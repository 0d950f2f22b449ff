// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * linear_incr and trapezoidal (COCOMA's dist_linear_incr and
 * dist_trapezoidal): parallel runs that stack. The first holds
 * min(startLoad, stopLoad) for the whole window; then steps of
 * (stop - start) / (granularity - 1), as COCOMA rounded them:
 *  - linear_incr floors the step, then takes its absolute value; its
 *    fractional part (Python's %, never negative) accumulates and a run
 *    gets one more whenever the sum reaches 1; the last run never does.
 *    A run is int(duration) // g s; run k starts k runs in (upwards) or
 *    at the start (downwards) and lasts duration - k runs.
 *  - trapezoidal takes the absolute value, then floors it; one more
 *    whenever the sum exceeds 1 (strictly). A run is duration / g s
 *    (not whole). Upwards, run k starts k half-runs in and lasts
 *    duration - k runs, the last one run; downwards each step is two
 *    runs of (duration - k runs) / 2, at the start and at the end.
 * For MEM, each load above 4095 MiB becomes parallel parts.
 */
#include <math.h>

#include "emu_int.h"

int emu_plan_linear_incr(const struct emu_dspec *d, struct emu_ctx *c, double base, bool epoch,
			 struct emu_rawvec *out)
{
	long long g = (long long)emu_darg(d, "granularity");
	double dur = emu_darg(d, "duration"), a = emu_darg(d, "startLoad"), b = emu_darg(d, "stopLoad");
	double run = (double)((long long)dur / g), t = base, step, rem, sum = 0;
	long long k;
	int err;

	err = emu_raw_add_split(out, d, a < b ? a : b, t, dur);
	if (err || g == 1)
		return err;
	step = (b - a) / (double)(g - 1);
	rem = emu_py_mod(step, 1);
	step = fabs(floor(step));
	for (k = 1; k < g - 1 && !err; k++) {
		if (a < b)
			t = base + run * (double)k;
		sum += rem;
		if (sum < 1) {
			err = emu_raw_add_split(out, d, step, t, dur - run * (double)k);
		} else {
			err = emu_raw_add_split(out, d, step + 1, t, dur - run * (double)k);
			sum -= 1;
		}
	}
	if (!err) {
		if (a < b)
			t = base + run * (double)(g - 1);
		err = emu_raw_add_split(out, d, step, t, dur - run * (double)k);
	}
	return err;
}

int emu_plan_trapezoidal(const struct emu_dspec *d, struct emu_ctx *c, double base, bool epoch,
			 struct emu_rawvec *out)
{
	long long g = (long long)emu_darg(d, "granularity");
	double dur = emu_darg(d, "duration"), a = emu_darg(d, "startLoad"), b = emu_darg(d, "stopLoad");
	double run = dur / (double)g, t = base, step, rem, sum = 0, half;
	int err;

	err = emu_raw_add_split(out, d, a < b ? a : b, t, dur);
	if (err || g == 1)
		return err;
	step = (b - a) / (double)(g - 1);
	rem = emu_py_mod(step, 1);
	step = fabs(floor(fabs(step)));
	for (long long k = 1; k < g - 1 && !err; k++) {
		bool one_more = false;

		sum += rem;
		if (sum > 1) {
			one_more = true;
			step += 1;
			sum -= 1;
		}
		if (a < b) {
			t = base + (run * (double)k) / 2;
			half = dur - run * (double)k;
		} else {
			half = (dur - run * (double)k) / 2;
			err = emu_raw_add_split(out, d, step, (base + dur) - half, half);
		}
		if (!err)
			err = emu_raw_add_split(out, d, step, t, half);
		if (one_more)
			step -= 1;
	}
	if (err)
		return err;
	if (a < b)
		return emu_raw_add_split(out, d, step, base + (run * (double)(g - 1)) / 2, run);
	half = (dur - run * (double)(g - 1)) / 2;
	err = emu_raw_add_split(out, d, step, t, half);
	return err ? err : emu_raw_add_split(out, d, step, (base + dur) - half, half);
}
