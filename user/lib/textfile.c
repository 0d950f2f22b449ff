// SPDX-License-Identifier: GPL-2.0-or-later
/* A whole text file read into memory (textfile.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "textfile.h"

int tbx_read_text(const char *path, size_t max, char **out, size_t *len)
{
	FILE *f = fopen(path, "re");
	char *buf;
	size_t n;

	if (!f)
		return tbx_err(errno, "%s: %m", path);
	buf = malloc(max + 2);
	if (!buf) {
		fclose(f);
		return tbx_err(ENOMEM, "out of memory");
	}
	n = fread(buf, 1, max + 1, f);
	if (ferror(f)) {
		fclose(f);
		free(buf);
		return tbx_err(EIO, "%s: read error", path);
	}
	fclose(f);
	if (n > max) {
		free(buf);
		return tbx_err(EFBIG, "%s: larger than the %zu bytes it may be", path, max);
	}
	buf[n] = '\0';
	if (strlen(buf) != n) {
		size_t at = strlen(buf);

		free(buf);
		return tbx_err(EINVAL, "%s: holds a NUL byte at offset %zu", path, at);
	}
	*out = buf;
	if (len)
		*len = n;
	return 0;
}
