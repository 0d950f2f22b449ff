// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stdio.h>

#include "log.h"

void tbxd_log(const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	/* Formatted first: glibc then writes the whole line in one go. */
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "tbxd: %s\n", line);
	fflush(stderr);
}
