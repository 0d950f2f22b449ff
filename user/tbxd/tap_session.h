/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Background tap sessions: a live tap (libtbx's tbx_tap_live, the same
 * code as `tbx tap DEV`) per session, drained on a timer of tbxd's loop,
 * recorded in the state file's tap_sessions table. At start-up, sessions
 * a killed tbxd left as running are cleaned up (program off the device,
 * pins removed) and marked ended; at a clean stop every session ends as
 * DELETE ends it: last interval and trailers written, detached, unpinned.
 */
#ifndef TBXD_TAP_SESSION_H
#define TBXD_TAP_SESSION_H

#include <stdint.h>
#include <jansson.h>

#include "tap/tap.h"

struct tbxd;
struct tbxd_taps;

int tbxd_taps_start(struct tbxd *d, struct tbxd_taps **out);
/* Ends every running session, then frees. */
void tbxd_taps_stop(struct tbxd_taps *taps);

/* True when a running session taps @dev. */
bool tbxd_tap_dev_busy(struct tbxd_taps *taps, const char *dev);
/*
 * Starts a session; @request (the request with defaults filled in) is
 * recorded as given. On failure nothing is left running or recorded.
 */
int tbxd_tap_start(struct tbxd_taps *taps, const struct cors_out_opts *out,
		   const struct tbx_tap_opts *opts, json_t *request, int64_t *id);
/* Ends a running session: -ENOENT when there is no such session,
 * -EALREADY when it is not running.
 */
int tbxd_tap_stop(struct tbxd_taps *taps, int64_t id);
/* A session as the API shows it (live counters while it runs); NULL
 * with -ENOENT in *err when there is none.
 */
json_t *tbxd_tap_json(struct tbxd_taps *taps, int64_t id, int *err);
/* Every recorded session, oldest first. */
json_t *tbxd_tap_list(struct tbxd_taps *taps, int *err);

#endif
