// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * event and fuzz (COCOMA's dist_event, dist_fuzz), one net run each.
 * COCOMA's event job ran backfuzz until it exited (its run log says 0 s)
 * and only then created the distributions after it in the file; tbx plays
 * the fuzzing pattern for as long as backfuzz's would take (read_dist.c:
 * one payload per timedelay, 0.8 s when 0, from min to min + fuzzRange by
 * salt) at one payload per timedelay, and plan.c starts the next
 * distributions from its end as COCOMA did. fuzz has no duration in
 * COCOMA's argNames: its one run, at startLoad, lasts 0 s.
 */
#include "emu_int.h"

int emu_plan_event(const struct emu_dspec *d, struct emu_ctx *c, double base, bool epoch,
		   struct emu_rawvec *out)
{
	double delay = d->tmpl.fuzz_delay > 0 ? d->tmpl.fuzz_delay : 0.8;

	return emu_raw_add(out, 1 / delay, base, d->event_s);
}

int emu_plan_fuzz(const struct emu_dspec *d, struct emu_ctx *c, double base, bool epoch,
		  struct emu_rawvec *out)
{
	return emu_raw_add(out, emu_darg(d, "startLoad"), base, 0);
}
