// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The log meta file: plain text, one event a line, "[YYYY-MM-DD
 * HH:MM:SS] message" in UTC wall-clock time. Named with %P = "log",
 * compressed by suffix and rotated with -R like the global file.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ascii.h"
#include "err.h"
#include "out_int.h"

int cors_log_open(struct cors_out *o, uint32_t time)
{
	return cors_out_open_file(o, "log", time, &o->log) ?:
	       cors_log(o, "tbx %s corsaro log: monitor %s, interval %u s, mode %s%s%s",
			TBX_VERSION, o->monitor, o->opts.interval,
			o->opts.ascii ? "ascii" : "binary",
			o->opts.flowtuple ? ", plugin flowtuple" : "",
			o->opts.dos ? ", plugin dos" : "");
}

int cors_log(struct cors_out *o, const char *fmt, ...)
{
	time_t now = cors_out_now(o);
	char stamp[32], *msg;
	struct tm tm;
	va_list ap;
	int n, err;

	if (!o->log)
		return 0;
	va_start(ap, fmt);
	n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (n < 0)
		return tbx_err(ENOMEM, "out of memory");
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", &tm);
	err = cors_buf_printf(&o->buf, "[%s] %s\n", stamp, msg) ?: cors_out_flush(o, o->log);
	free(msg);
	return err;
}
