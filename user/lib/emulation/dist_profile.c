// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * profile (tbx's): one net run over the window whose rate follows a
 * traffic profile file (user/lib/profile.c reads it; the kernel's net run
 * plays it, repeating its period). The run's load is the profile's peak
 * rate, what the scheduler and the logs show. read_dist.c resolved the
 * file's path into the run template.
 */
#include <errno.h>
#include <stdio.h>

#include "emu_int.h"
#include "err.h"
#include "profile.h"

int emu_plan_profile(const struct emu_dspec *d, struct emu_ctx *c, double base, bool epoch,
		     struct emu_rawvec *out)
{
	struct tbx_profile p;
	uint64_t peak;
	int err;

	if ((err = tbx_profile_load(d->tmpl.profile, &p))) {
		char msg[400];

		snprintf(msg, sizeof(msg), "%s", tbx_errmsg());
		return tbx_err(err, "%s:%u: <profile>: %s", c->what, emu_dline(d, "profile"), msg);
	}
	peak = tbx_profile_peak_bps(&p);
	tbx_profile_free(&p);
	return emu_raw_add(out, peak / 1e6, base, emu_darg(d, "duration"));
}
