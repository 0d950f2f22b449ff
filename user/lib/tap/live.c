// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A live tap writing Corsaro files: the whole life of one session, the
 * same for `tbx tap DEV` in the foreground and for tbxd's background
 * sessions (user/tbxd/tap_session.c). The caller only decides when to
 * drain (tbx_tap_live_wait_ms() says when there is something to take)
 * and when to stop.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "err.h"
#include "tap/tap.h"

/* How long programs already running get after the detach (they run for
 * microseconds inside an RCU read section). */
#define LIVE_GRACE_NS	(100 * 1000000LL)

struct tbx_tap_live {
	struct tbx_tap *tap;
	struct cors_out *out;
	struct tbx_tap_sink sink;
	struct timespec detached;	/* when the grace began; 0: attached */
	bool failed;			/* a drain failed: no more writing */
};

int tbx_tap_live_open(const struct cors_out_opts *out_opts,
		      const struct tbx_tap_opts *opts, struct tbx_tap_live **out)
{
	struct cors_out_opts oo = *out_opts;
	struct tbx_tap_opts to = *opts;
	char uri[IFNAMSIZ + 8];
	struct tbx_tap_live *l;
	int err;

	if (!opts->ifname)
		return tbx_err(EINVAL, "tap: a live tap needs a device");
	snprintf(uri, sizeof(uri), "int:%s", opts->ifname);
	oo.trace_uri = uri;
	oo.interval = opts->interval;
	oo.align = opts->align;
	to.dos = oo.dos;
	l = calloc(1, sizeof(*l));
	if (!l)
		return tbx_err(ENOMEM, "tap: %s", strerror(ENOMEM));
	err = cors_out_new(&oo, &l->out);
	if (err) {
		free(l);
		return err;
	}
	tbx_tap_cors_sink(l->out, &l->sink);
	err = tbx_tap_open(&to, &l->tap);
	if (err) {
		cors_out_free(l->out);
		free(l);
		return err;
	}
	*out = l;
	return 0;
}

int tbx_tap_live_drain(struct tbx_tap_live *l)
{
	int err;

	if (l->failed)
		return tbx_err(EIO, "tap: the session failed earlier");
	err = tbx_tap_drain(l->tap, false, &l->sink);
	if (err)
		l->failed = true;
	return err;
}

int tbx_tap_live_wait_ms(struct tbx_tap_live *l)
{
	return tbx_tap_wait_ms(l->tap);
}

int tbx_tap_live_totals(struct tbx_tap_live *l, struct tbx_tap_totals *t)
{
	return tbx_tap_read_totals(l->tap, t);
}

const char *tbx_tap_live_pin_dir(struct tbx_tap_live *l)
{
	return tbx_tap_pin_dir(l->tap);
}

int tbx_tap_live_detach(struct tbx_tap_live *l)
{
	int err;

	if (l->detached.tv_sec || l->detached.tv_nsec)
		return 0;
	err = tbx_tap_detach(l->tap);
	if (!err)
		clock_gettime(CLOCK_MONOTONIC, &l->detached);
	return err;
}

/* Sleeps what is left of the grace that began at the detach. */
static void wait_grace(const struct tbx_tap_live *l)
{
	struct timespec now, rest;
	long long left;

	clock_gettime(CLOCK_MONOTONIC, &now);
	left = LIVE_GRACE_NS - ((now.tv_sec - l->detached.tv_sec) * 1000000000LL +
				now.tv_nsec - l->detached.tv_nsec);
	if (left <= 0)
		return;
	rest.tv_sec = left / 1000000000LL;
	rest.tv_nsec = left % 1000000000LL;
	while (nanosleep(&rest, &rest) && errno == EINTR)
		;
}

int tbx_tap_live_close(struct tbx_tap_live *l, struct tbx_tap_totals *t)
{
	int err;

	if (!l)
		return 0;
	memset(t, 0, sizeof(*t));
	err = l->failed ? tbx_err(EIO, "tap: the session failed earlier") : 0;
	if (!err)
		err = tbx_tap_live_detach(l);
	if (!err) {
		/* Take everything left, the open interval included. */
		wait_grace(l);
		err = tbx_tap_drain(l->tap, true, &l->sink);
	}
	if (!err)
		err = tbx_tap_read_totals(l->tap, t);
	if (!err) {
		cors_out_counts(l->out, t->packets, t->packets,
				t->overflow + t->late + t->dos_lost);
		err = cors_out_close(l->out);
	}
	if (err) {
		/* Keep the first message through the clean-up below. */
		char msg[512];

		snprintf(msg, sizeof(msg), "%s", tbx_errmsg());
		cors_out_free(l->out);
		tbx_tap_close(l->tap);
		free(l);
		return tbx_err(err, "%s", msg);
	}
	cors_out_free(l->out);
	tbx_tap_close(l->tap);
	free(l);
	return 0;
}
