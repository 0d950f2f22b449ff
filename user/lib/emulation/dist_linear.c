// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * linear (COCOMA's dist_linear): granularity sequential runs of
 * int(duration) // granularity s; loads numpy.linspace(startLoad,
 * stopLoad, g) and starts numpy.linspace(t0, t0 + duration - run, g),
 * both truncated by int(). t0 was seconds since the epoch, so a start
 * that falls a hair under a whole second becomes that second
 * (emu_epoch_int). One run (granularity 1) is startLoad at t0, never
 * split; more are, for MEM, each load above 4095 MiB into parts.
 */
#include <errno.h>
#include <math.h>

#include "emu_int.h"
#include "err.h"

int emu_plan_linear(const struct emu_dspec *d, struct emu_ctx *c, double base, bool epoch,
		    struct emu_rawvec *out)
{
	long long g = (long long)emu_darg(d, "granularity"), dur = (long long)emu_darg(d, "duration");
	double a = emu_darg(d, "startLoad"), b = emu_darg(d, "stopLoad"), run, t0, t1;
	int err = 0;

	if (g == 0)
		return tbx_err(EINVAL, "%s:%u: <granularity>: 0 runs: COCOMA's linear divides the duration by it and fails",
			       c->what, emu_dline(d, "granularity"));
	run = (double)(dur / g);
	if (g == 1)
		return emu_raw_add(out, a, base, run);
	t0 = epoch ? base : EMU_EPOCH + base;
	t1 = (t0 + (double)dur) - run;
	for (long long k = 0; k < g && !err; k++) {
		double load = trunc(emu_linspace(a, b, g, k));
		double start = (double)(long long)emu_linspace(t0, t1, g, k);

		err = emu_raw_add_split(out, d, load, epoch ? start : start - EMU_EPOCH, run);
	}
	return err;
}
