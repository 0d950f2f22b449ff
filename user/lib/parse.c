// SPDX-License-Identifier: GPL-2.0-or-later
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "parse.h"

int tbx_parse_u32(const char *s, const char *suffix, uint32_t *out)
{
	unsigned long long v;
	char *end;

	/* strtoull would accept " -1" as a huge number: allow digits only. */
	if (!s || !isdigit((unsigned char)s[0]))
		return tbx_err(EINVAL, "\"%s\" is not a number", s ? s : "");
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || v > UINT32_MAX)
		return tbx_err(ERANGE, "\"%s\" is too large", s);
	if (*end && !(suffix && !strcmp(end, suffix)))
		return tbx_err(EINVAL, "\"%s\" is not a number", s);
	*out = v;
	return 0;
}

int tbx_parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "on", "1", "yes", "true" };
	static const char *const no[] = { "off", "0", "no", "false" };

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!strcmp(s, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcmp(s, no[i])) {
			*out = false;
			return 0;
		}
	}
	return tbx_err(EINVAL, "\"%s\" is not on or off", s);
}
