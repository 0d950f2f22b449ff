// SPDX-License-Identifier: GPL-2.0-or-later
/* Plain, gzip and bzip2 files for Corsaro output and input. */
#include <bzlib.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "err.h"
#include "stream.h"

struct cors_stream {
	enum cors_comp comp;
	FILE *f;		/* plain, and under bzip2 */
	gzFile gz;
	BZFILE *bz;
	char *path;
	int failed;
};

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

enum cors_comp cors_comp_of(const char *path)
{
	if (ends_with(path, ".gz"))
		return CORS_COMP_GZ;
	if (ends_with(path, ".bz2"))
		return CORS_COMP_BZ2;
	return CORS_COMP_NONE;
}

int cors_stream_open(const char *path, struct cors_stream **out)
{
	struct cors_stream *s = calloc(1, sizeof(*s));
	int bzerr;

	if (!s || !(s->path = strdup(path))) {
		free(s);
		return tbx_err(ENOMEM, "out of memory");
	}
	s->comp = cors_comp_of(path);
	if (s->comp == CORS_COMP_GZ) {
		s->gz = gzopen(path, "wb");
		if (!s->gz)
			goto fail;
	} else {
		s->f = fopen(path, "wb");
		if (!s->f)
			goto fail;
		if (s->comp == CORS_COMP_BZ2) {
			s->bz = BZ2_bzWriteOpen(&bzerr, s->f, 9, 0, 0);
			if (bzerr != BZ_OK) {
				fclose(s->f);
				errno = EIO;
				goto fail;
			}
		}
	}
	*out = s;
	return 0;
fail:;
	int err = errno ? errno : EIO;

	free(s->path);
	free(s);
	return tbx_err(err, "%s: cannot create: %s", path, strerror(err));
}

const char *cors_stream_path(const struct cors_stream *s)
{
	return s->path;
}

int cors_stream_write(struct cors_stream *s, const void *p, size_t n)
{
	int bzerr = BZ_OK;
	int ok;

	if (!n)
		return 0;
	switch (s->comp) {
	case CORS_COMP_GZ:
		ok = gzwrite(s->gz, p, n) == (int)n;
		break;
	case CORS_COMP_BZ2:
		BZ2_bzWrite(&bzerr, s->bz, (void *)p, n);
		ok = bzerr == BZ_OK;
		break;
	default:
		ok = fwrite(p, 1, n, s->f) == n;
	}
	if (!ok) {
		s->failed = 1;
		return tbx_err(EIO, "%s: write failed", s->path);
	}
	return 0;
}

int cors_stream_printf(struct cors_stream *s, const char *fmt, ...)
{
	char small[512], *p = small;
	va_list ap;
	int n, err;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return tbx_err(EINVAL, "%s: cannot format output", s->path);
	if ((size_t)n >= sizeof(small)) {
		va_start(ap, fmt);
		n = vasprintf(&p, fmt, ap);
		va_end(ap);
		if (n < 0)
			return tbx_err(ENOMEM, "out of memory");
	}
	err = cors_stream_write(s, p, n);
	if (p != small)
		free(p);
	return err;
}

int cors_stream_close(struct cors_stream *s)
{
	int bzerr = BZ_OK, bad = 0;
	int err = 0;

	if (!s)
		return 0;
	switch (s->comp) {
	case CORS_COMP_GZ:
		bad = gzclose(s->gz) != Z_OK;
		break;
	case CORS_COMP_BZ2:
		BZ2_bzWriteClose(&bzerr, s->bz, s->failed, NULL, NULL);
		bad = bzerr != BZ_OK;
		bad |= fclose(s->f) != 0;
		break;
	default:
		bad = fclose(s->f) != 0;
	}
	if (bad || s->failed)
		err = tbx_err(EIO, "%s: write failed", s->path);
	free(s->path);
	free(s);
	return err;
}

/* --- reading --- */

static int grow(uint8_t **data, size_t *cap, size_t need)
{
	uint8_t *p;
	size_t c = *cap ? *cap : 65536;

	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	p = realloc(*data, c);
	if (!p)
		return tbx_err(ENOMEM, "out of memory reading a Corsaro file");
	*data = p;
	*cap = c;
	return 0;
}

static int read_plain(FILE *f, const char *path, uint8_t **data, size_t *len, size_t *cap)
{
	size_t n;

	do {
		if (grow(data, cap, *len + 65536 + 1))
			return -ENOMEM;
		n = fread(*data + *len, 1, 65536, f);
		*len += n;
	} while (n);
	if (ferror(f))
		return tbx_err(EIO, "%s: read error at byte offset %zu", path, *len);
	return 0;
}

/* gzip members may follow one another, as `cat a.gz b.gz` makes. */
static int read_gz(FILE *f, const char *path, uint8_t **data, size_t *len, size_t *cap)
{
	unsigned char in[65536];
	z_stream z = { 0 };
	int zr = Z_OK;
	size_t n = 0;

	if (inflateInit2(&z, 15 + 32) != Z_OK)
		return tbx_err(ENOMEM, "out of memory");
	for (;;) {
		if (z.avail_in == 0) {
			n = fread(in, 1, sizeof(in), f);
			if (n == 0)
				break;
			z.next_in = in;
			z.avail_in = n;
		}
		if (grow(data, cap, *len + 65536 + 1)) {
			inflateEnd(&z);
			return -ENOMEM;
		}
		z.next_out = *data + *len;
		z.avail_out = 65536;
		zr = inflate(&z, Z_NO_FLUSH);
		*len += 65536 - z.avail_out;
		if (zr == Z_STREAM_END) {
			if (z.avail_in == 0) {
				int ch = fgetc(f);

				if (ch == EOF)
					break;
				ungetc(ch, f);
			}
			inflateReset(&z);
			zr = Z_OK;
			continue;
		}
		if (zr != Z_OK && zr != Z_BUF_ERROR) {
			const char *msg = z.msg ? z.msg : "corrupt data";

			inflateEnd(&z);
			return tbx_err(EINVAL, "%s: corrupt gzip data (%s) at decompressed byte offset %zu",
				       path, msg, *len);
		}
	}
	inflateEnd(&z);
	if (ferror(f))
		return tbx_err(EIO, "%s: read error", path);
	if (zr != Z_STREAM_END)
		return tbx_err(EINVAL, "%s: gzip stream truncated at decompressed byte offset %zu",
			       path, *len);
	return 0;
}

static int read_bz2(FILE *f, const char *path, uint8_t **data, size_t *len, size_t *cap)
{
	char in[65536];
	bz_stream z = { 0 };
	int r = BZ_OK;
	size_t n;

	if (BZ2_bzDecompressInit(&z, 0, 0) != BZ_OK)
		return tbx_err(ENOMEM, "out of memory");
	for (;;) {
		if (z.avail_in == 0) {
			n = fread(in, 1, sizeof(in), f);
			if (n == 0)
				break;
			z.next_in = in;
			z.avail_in = n;
		}
		if (grow(data, cap, *len + 65536 + 1)) {
			BZ2_bzDecompressEnd(&z);
			return -ENOMEM;
		}
		z.next_out = (char *)*data + *len;
		z.avail_out = 65536;
		r = BZ2_bzDecompress(&z);
		*len += 65536 - z.avail_out;
		if (r == BZ_STREAM_END) {
			/* concatenated streams, as pbzip2 writes */
			if (z.avail_in == 0) {
				int ch = fgetc(f);

				if (ch == EOF)
					break;
				ungetc(ch, f);
			}
			BZ2_bzDecompressEnd(&z);
			char *keep = z.next_in;
			unsigned int left = z.avail_in;

			memset(&z, 0, sizeof(z));
			if (BZ2_bzDecompressInit(&z, 0, 0) != BZ_OK)
				return tbx_err(ENOMEM, "out of memory");
			z.next_in = keep;
			z.avail_in = left;
			r = BZ_OK;
			continue;
		}
		if (r != BZ_OK) {
			BZ2_bzDecompressEnd(&z);
			return tbx_err(EINVAL, "%s: corrupt bzip2 data (error %d) at decompressed byte offset %zu",
				       path, r, *len);
		}
	}
	BZ2_bzDecompressEnd(&z);
	if (ferror(f))
		return tbx_err(EIO, "%s: read error", path);
	if (r != BZ_STREAM_END)
		return tbx_err(EINVAL, "%s: bzip2 stream truncated at decompressed byte offset %zu",
			       path, *len);
	return 0;
}

int cors_read_all(const char *path, uint8_t **data, size_t *len)
{
	unsigned char m[3] = { 0 };
	size_t cap = 0, got;
	FILE *f = fopen(path, "rb");
	int err;

	*data = NULL;
	*len = 0;
	if (!f)
		return tbx_err(errno, "%s: %s", path, strerror(errno));
	got = fread(m, 1, 3, f);
	rewind(f);
	if (got >= 2 && m[0] == 0x1f && m[1] == 0x8b)
		err = read_gz(f, path, data, len, &cap);
	else if (got == 3 && m[0] == 'B' && m[1] == 'Z' && m[2] == 'h')
		err = read_bz2(f, path, data, len, &cap);
	else
		err = read_plain(f, path, data, len, &cap);
	fclose(f);
	if (!err)
		err = grow(data, &cap, *len + 1);
	if (err) {
		free(*data);
		*data = NULL;
		*len = 0;
		return err;
	}
	(*data)[*len] = '\0';
	return 0;
}
