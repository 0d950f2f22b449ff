// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stdio.h>

#include "err.h"

static __thread char last_msg[512];

int tbx_err(int err, const char *fmt, ...)
{
	char msg[sizeof(last_msg)];
	va_list ap;

	/* Through a copy: callers prefix the last message with
	 * tbx_err(e, "what: %s", tbx_errmsg()).
	 */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(last_msg, sizeof(last_msg), "%s", msg);
	return err > 0 ? -err : err;
}

const char *tbx_errmsg(void)
{
	return last_msg;
}

void tbx_err_clear(void)
{
	last_msg[0] = '\0';
}
