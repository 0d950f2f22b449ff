// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stdio.h>

#include "err.h"

static __thread char last_msg[512];

int tbx_err(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_msg, sizeof(last_msg), fmt, ap);
	va_end(ap);
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
