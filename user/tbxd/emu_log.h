/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * An emulation's logs, as COCOMA kept them, in
 * <state dir>/emulations/<name>/: runs.log, one line per run event, and,
 * when the emulation enables logging, usage.csv, this host's resource
 * usage sampled at the emulation's log frequency while it plays.
 */
#ifndef TBXD_EMU_LOG_H
#define TBXD_EMU_LOG_H

#include <stdint.h>

#define EMU_LOG_RUNS	"runs.log"
#define EMU_LOG_USAGE	"usage.csv"

struct tbxd_loop;
struct emu_usage;

/* "<state dir>/emulations/<name>" into buf, made when @make. */
int emu_log_dir(const char *state_dir, const char *name, int make,
		char *buf, size_t len);
/* Appends "<UTC time> <line>" to the emulation's runs.log. */
void emu_log_run(const char *state_dir, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Removes the emulation's log directory. */
void emu_log_remove(const char *state_dir, const char *name);

/* Samples into usage.csv every @freq s from @start_ns (realtime) for
 * @duration s, appending to what an earlier tbxd wrote.
 */
int emu_usage_start(struct tbxd_loop *loop, const char *state_dir,
		    const char *name, int64_t start_ns, double duration,
		    double freq, struct emu_usage **out);
const char *emu_usage_name(const struct emu_usage *u);
/* True once its time span is over. */
int emu_usage_over(const struct emu_usage *u);
void emu_usage_free(struct emu_usage *u);

#endif
