// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * event and fuzz: one net run each. An event triggers a fuzzing pattern
 * (backfuzz) at its start; COCOMA let it run until the emulator stopped,
 * tbx gives it the distribution's window. fuzz holds startLoad for the
 * window.
 */
#include <math.h>

#include "emu_int.h"

int emu_plan_event(const struct emu_dspec *d, struct emu_ctx *c, struct emu_runvec *out)
{
	return emu_runvec_add(out, d, emu_darg(d, "startLoad"), d->start, d->duration);
}

int emu_plan_fuzz(const struct emu_dspec *d, struct emu_ctx *c, struct emu_runvec *out)
{
	return emu_runvec_add(out, d, trunc(emu_darg(d, "startLoad")), d->start, d->duration);
}
