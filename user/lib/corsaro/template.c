// SPDX-License-Identifier: GPL-2.0-or-later
/* Corsaro output file names: %P, %N, then strftime in UTC. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "err.h"
#include "template.h"

int cors_template_check(const char *tmpl)
{
	int has_p = 0;

	if (!tmpl || !*tmpl)
		return tbx_err(EINVAL, "output template is empty");
	for (const char *p = tmpl; *p; p++) {
		if (*p != '%')
			continue;
		if (!p[1])
			return tbx_err(EINVAL, "output template \"%s\" ends with a lone %%", tmpl);
		if (p[1] == 'P')
			has_p = 1;
		p++;
	}
	if (!has_p)
		return tbx_err(EINVAL, "output template \"%s\" lacks %%P (the plugin name): files would collide",
			       tmpl);
	return 0;
}

/* Appends @s to the strftime format, doubling any % so it stays literal. */
static int append_literal(char *fmt, size_t size, size_t *n, const char *s)
{
	for (; *s; s++) {
		if (*n + 3 > size)
			return -1;
		if (*s == '%')
			fmt[(*n)++] = '%';
		fmt[(*n)++] = *s;
	}
	return 0;
}

int cors_template_name(const char *tmpl, const char *plugin, const char *monitor,
		       uint32_t time, char *out, size_t size)
{
	char fmt[4096], secs[16];
	time_t t = time;
	struct tm tm;
	size_t n = 0;
	int err = cors_template_check(tmpl);

	if (err)
		return err;
	snprintf(secs, sizeof(secs), "%u", time);
	/* %P, %N and %s are ours (glibc's %s would use the local zone);
	 * every other code is left for strftime.
	 */
	for (const char *p = tmpl; *p; p++) {
		const char *lit = NULL;
		char two[3] = { p[0], 0, 0 };

		if (*p == '%') {
			p++;
			switch (*p) {
			case 'P': lit = plugin; break;
			case 'N': lit = monitor ? monitor : ""; break;
			case 's': lit = secs; break;
			default:
				two[1] = *p;
				if (n + 3 > sizeof(fmt))
					goto too_long;
				memcpy(fmt + n, two, 2);
				n += 2;
				continue;
			}
			if (append_literal(fmt, sizeof(fmt), &n, lit))
				goto too_long;
			continue;
		}
		if (n + 2 > sizeof(fmt))
			goto too_long;
		fmt[n++] = *p;
	}
	fmt[n] = '\0';
	gmtime_r(&t, &tm);
	/* the format is the user's template by design */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	if (strftime(out, size, fmt, &tm) == 0 && size)
		goto too_long;
#pragma GCC diagnostic pop
	return 0;
too_long:
	return tbx_err(ENAMETOOLONG, "output template \"%s\" makes a name too long", tmpl);
}
