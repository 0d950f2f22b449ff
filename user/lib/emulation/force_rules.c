// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * COCOMA's two refusals that force (-f, --force) skips, computed as its
 * XmlParser computed them:
 *  - a startLoad or stopLoad above 90 % of its resource's limit: CPU 100,
 *    MEM the memory not in use (total - used), IO and NET 999999;
 *  - the distributions' windows "total": from 0, each distribution in
 *    turn either extends it to its end (start + duration) or, ending
 *    earlier, adds the gap |total - end| to it; refused above the
 *    emulation's duration. A module without a duration counts 0.
 * Forced, each becomes a note.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <strings.h>

#include "emu_int.h"
#include "err.h"

static int refuse_or_note(struct emu_ctx *c, const char *msg)
{
	if (!c->force)
		return tbx_err(EINVAL, "%s; COCOMA refuses it unless forced (--force)", msg);
	return emu_note(c, "%s; forced", msg);
}

static int loads(struct emu_ctx *c, const struct emu_dspec *d)
{
	static const char *const names[] = { "startLoad", "stopLoad" };
	long long limit;
	char what[96], msg[400];
	int err;

	switch (d->res) {
	case EMU_RES_CPU:
		limit = 100;
		snprintf(what, sizeof(what), "CPU's 100 %%");
		break;
	case EMU_RES_MEM:
		limit = (long long)c->host.mem_mb - (long long)c->host.mem_used_mb;
		snprintf(what, sizeof(what), "the %lld MiB of memory free (%llu total, %llu in use)",
			 limit, (unsigned long long)c->host.mem_mb,
			 (unsigned long long)c->host.mem_used_mb);
		break;
	default:
		limit = EMU_MAX_OTHER;
		snprintf(what, sizeof(what), "%s's %d", emu_res_name(d->res), EMU_MAX_OTHER);
		break;
	}
	for (int i = 0; i < 2; i++) {
		double v = emu_darg(d, names[i]);

		if (!emu_dhas_arg(d, names[i]) || !(v > (double)limit * EMU_OVERLOAD))
			continue;
		snprintf(msg, sizeof(msg), "%s:%u: <%s>: %g is above 90 %% of %s", c->what,
			 emu_dline(d, names[i]), names[i], v, what);
		if ((err = refuse_or_note(c, msg)))
			return err;
	}
	return 0;
}

int emu_force_rules(struct emu_ctx *c, const struct emu_dspec *ds, size_t nd)
{
	double total = 0;
	long long stop = (long long)c->plan->duration;
	char msg[400];
	int err;

	for (size_t i = 0; i < nd; i++) {
		double end = trunc(ds[i].start) + emu_darg(&ds[i], "duration");

		if ((err = loads(c, &ds[i])))
			return err;
		if (!emu_dhas_arg(&ds[i], "duration"))
			end = trunc(ds[i].start);
		if (end > total)
			total = end;
		else
			total += fabs(total - end);
	}
	if ((long long)total <= stop)
		return 0;
	snprintf(msg, sizeof(msg), "%s:%u: <emustopTime>: the distributions' windows add up to %g s as COCOMA adds them (each one ending earlier than the last adds the gap), more than the emulation's %lld s",
		 c->what, c->stop_line, total, stop);
	return refuse_or_note(c, msg);
}
