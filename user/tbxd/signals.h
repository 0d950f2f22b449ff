/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SIGTERM, SIGINT and SIGHUP, read from a signalfd in the event loop
 * instead of interrupting whatever tbxd was doing.
 */
#ifndef TBXD_SIGNALS_H
#define TBXD_SIGNALS_H

#include "loop.h"

struct tbxd_signals;

typedef void (*tbxd_signal_fn)(int signo, void *arg);

/* Blocks the signals (the caller's mask is restored by close). */
int tbxd_signals_open(struct tbxd_loop *loop, tbxd_signal_fn fn, void *arg,
		      struct tbxd_signals **out);
void tbxd_signals_close(struct tbxd_signals *s);

#endif
