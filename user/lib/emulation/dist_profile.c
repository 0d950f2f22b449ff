// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * profile (tbx's): one net run over the window whose rate follows a
 * traffic profile file (user/lib/profile.c reads it; the kernel's net run
 * plays it, repeating its period). The run's load is the profile's peak
 * rate, what the scheduler and the logs show.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "emu_int.h"
#include "err.h"
#include "profile.h"

int emu_plan_profile(const struct emu_dspec *d, struct emu_ctx *c, struct emu_runvec *out)
{
	struct tbx_profile p;
	char path[512];
	uint64_t peak = 0;
	int err;

	if ((err = emu_path(c, emu_dtext(d, "profile"), path, sizeof(path))))
		return err;
	if (strlen(path) >= sizeof(out->v->profile))
		return tbx_err(ENAMETOOLONG, "%s:%u: <profile>: path longer than %zu bytes",
			       c->what, emu_dline(d, "profile"), sizeof(out->v->profile) - 1);
	if ((err = tbx_profile_load(path, &p))) {
		char msg[400];

		snprintf(msg, sizeof(msg), "%s", tbx_errmsg());
		return tbx_err(err, "%s:%u: <profile>: %s", c->what, emu_dline(d, "profile"), msg);
	}
	for (unsigned int i = 0; i < p.n; i++)
		if (p.rows[i].rate_bps > peak)
			peak = p.rows[i].rate_bps;
	tbx_profile_free(&p);
	err = emu_runvec_add(out, d, peak / 1e6, d->start, d->duration);
	if (!err)
		snprintf(out->v[out->n - 1].profile, sizeof(out->v->profile), "%s", path);
	return err;
}
