// SPDX-License-Identifier: GPL-2.0-or-later
/* Plain, gzip and bzip2 files for Corsaro output and input. */
#include <bzlib.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
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

/* Input, decompressed as it is read: by the data's magic bytes, not the
 * name; gzip members and bzip2 streams may follow one another (as `cat`
 * and pbzip2 make them). */
struct cors_in {
	enum cors_comp comp;
	FILE *f;
	const char *path;
	z_stream z;
	bz_stream bz;
	unsigned char in[65536];
	size_t total;		/* decompressed bytes handed out */
	bool ended;		/* the last stream ended at its end marker */
	bool eof;
};

int cors_in_open(const char *path, struct cors_in **out)
{
	unsigned char m[3] = { 0 };
	struct cors_in *in = calloc(1, sizeof(*in));
	size_t got;

	if (!in)
		return tbx_err(ENOMEM, "out of memory");
	in->path = path;
	in->f = fopen(path, "rb");
	if (!in->f) {
		int err = errno;

		free(in);
		return tbx_err(err, "%s: %s", path, strerror(err));
	}
	got = fread(m, 1, 3, in->f);
	rewind(in->f);
	if (got >= 2 && m[0] == 0x1f && m[1] == 0x8b)
		in->comp = CORS_COMP_GZ;
	else if (got == 3 && m[0] == 'B' && m[1] == 'Z' && m[2] == 'h')
		in->comp = CORS_COMP_BZ2;
	if ((in->comp == CORS_COMP_GZ && inflateInit2(&in->z, 15 + 32) != Z_OK) ||
	    (in->comp == CORS_COMP_BZ2 && BZ2_bzDecompressInit(&in->bz, 0, 0) != BZ_OK)) {
		fclose(in->f);
		free(in);
		return tbx_err(ENOMEM, "out of memory");
	}
	in->ended = true;	/* nothing begun yet */
	*out = in;
	return 0;
}

void cors_in_close(struct cors_in *in)
{
	if (!in)
		return;
	if (in->comp == CORS_COMP_GZ)
		inflateEnd(&in->z);
	else if (in->comp == CORS_COMP_BZ2)
		BZ2_bzDecompressEnd(&in->bz);
	fclose(in->f);
	free(in);
}

/* More compressed input into in->in; 0 at the file's end. */
static size_t in_more(struct cors_in *in)
{
	return fread(in->in, 1, sizeof(in->in), in->f);
}

static int in_gz(struct cors_in *in, uint8_t *buf, size_t n, size_t *got)
{
	z_stream *z = &in->z;

	z->next_out = buf;
	z->avail_out = n;
	while (z->avail_out) {
		int zr;

		if (!z->avail_in) {
			size_t k = in_more(in);

			if (!k) {
				in->eof = true;
				break;
			}
			z->next_in = in->in;
			z->avail_in = k;
		}
		in->ended = false;
		zr = inflate(z, Z_NO_FLUSH);
		if (zr == Z_STREAM_END) {
			in->ended = true;
			inflateReset(z);	/* another member may follow */
			continue;
		}
		if (zr != Z_OK && zr != Z_BUF_ERROR)
			return tbx_err(EINVAL, "%s: corrupt gzip data (%s) at decompressed byte offset %zu",
				       in->path, z->msg ? z->msg : "corrupt data",
				       in->total + (n - z->avail_out));
	}
	*got = n - z->avail_out;
	return 0;
}

static int in_bz2(struct cors_in *in, uint8_t *buf, size_t n, size_t *got)
{
	bz_stream *z = &in->bz;

	z->next_out = (char *)buf;
	z->avail_out = n;
	while (z->avail_out) {
		int r;

		if (!z->avail_in) {
			size_t k = in_more(in);

			if (!k) {
				in->eof = true;
				break;
			}
			z->next_in = (char *)in->in;
			z->avail_in = k;
		}
		in->ended = false;
		r = BZ2_bzDecompress(z);
		if (r == BZ_STREAM_END) {
			char *keep = z->next_in;
			unsigned int left = z->avail_in;
			char *out = z->next_out;
			unsigned int room = z->avail_out;

			/* concatenated streams: start over where this one ended */
			in->ended = true;
			BZ2_bzDecompressEnd(z);
			memset(z, 0, sizeof(*z));
			if (BZ2_bzDecompressInit(z, 0, 0) != BZ_OK)
				return tbx_err(ENOMEM, "out of memory");
			z->next_in = keep;
			z->avail_in = left;
			z->next_out = out;
			z->avail_out = room;
			continue;
		}
		if (r != BZ_OK)
			return tbx_err(EINVAL, "%s: corrupt bzip2 data (error %d) at decompressed byte offset %zu",
				       in->path, r, in->total + (n - z->avail_out));
	}
	*got = n - z->avail_out;
	return 0;
}

int cors_in_read(struct cors_in *in, void *buf, size_t n, size_t *got)
{
	int err = 0;

	*got = 0;
	if (in->eof && in->comp == CORS_COMP_NONE)
		return 0;
	switch (in->comp) {
	case CORS_COMP_GZ:
		err = in_gz(in, buf, n, got);
		break;
	case CORS_COMP_BZ2:
		err = in_bz2(in, buf, n, got);
		break;
	default:
		*got = fread(buf, 1, n, in->f);
		in->eof = *got < n;
	}
	in->total += *got;
	if (err)
		return err;
	if (ferror(in->f))
		return tbx_err(EIO, "%s: read error at decompressed byte offset %zu", in->path,
			       in->total);
	if (!*got && in->eof && !in->ended)
		return tbx_err(EINVAL, "%s: %s stream truncated at decompressed byte offset %zu",
			       in->path, in->comp == CORS_COMP_GZ ? "gzip" : "bzip2", in->total);
	return 0;
}
