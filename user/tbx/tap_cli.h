/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tbx tap's options, shared by the foreground tap (tap.c) and
 * `tbx tap start` (tap_daemon.c, through tbxd). */
#ifndef TBX_TAP_CLI_H
#define TBX_TAP_CLI_H

#include "tap/tap.h"
#include "tbx.h"

struct tbx_tap_args {
	struct cors_out_opts out;
	struct tbx_tap_opts live;
	const char *file;
	const char *dev;
};

/* argv[0] is the command's name; a usage error returns TBX_EXIT_USAGE. */
int tbx_tap_parse_args(int argc, char **argv, struct tbx_tap_args *a);
/* start, list, show, stop: argv[1] is the verb. */
int tbx_tap_daemon(struct tbx_ctx *ctx, int argc, char **argv);

#endif
