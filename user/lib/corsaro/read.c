// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The reader behind cors2ascii: any Corsaro 2 file tbx (or Corsaro) writes,
 * plain or compressed, printed as Corsaro's ASCII. The type comes from the
 * data (a global file's header, a flowtuple class's SIXU magic) or, for dos
 * files, which carry no magic, from "dos" in the file name, as Corsaro
 * does. Text files (the log, ascii-mode output) are copied through.
 * Anything that does not parse fails naming the byte offset (in the
 * decompressed data) where it went wrong.
 *
 * The file is read as a stream (stream.c decompresses as it goes, the
 * cursor keeps a window of it): memory stays the same whatever the size.
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "corsaro.h"
#include "err.h"
#include "record.h"
#include "stream.h"

struct reader {
	struct cors_cur c;
	struct cors_buf out;
	FILE *f;
};

static int drain(struct reader *r, bool force)
{
	if (!force && r->out.len < 65536)
		return 0;
	if (r->out.len && fwrite(r->out.p, 1, r->out.len, r->f) != r->out.len)
		return tbx_err(EIO, "write error on the output");
	r->out.len = 0;
	return 0;
}

static int interval_pair_end(struct reader *r, const struct cors_interval *start)
{
	struct cors_interval end;
	size_t at = cors_cur_pos(&r->c);
	int err = cors_dec_interval(&r->c, &end, false);

	if (err)
		return err;
	/* Corsaro's own files may end an interval before it started (its
	 * last interval ends at the last packet's time, which can go back) */
	if (end.number != start->number)
		return tbx_err(EINVAL, "%s: byte offset %zu: interval end %u at %u does not close interval %u started at %u",
			       r->c.name, at, end.number, end.time, start->number, start->time);
	return cors_ascii_interval(&r->out, &end, false);
}

static int read_plugin_data(struct reader *r)
{
	struct cors_dos_global g;
	uint32_t magic, end_magic;
	size_t at = cors_cur_pos(&r->c);
	int err = cors_dec_data_mark(&r->c, &magic);

	if (err)
		return err;
	if (magic != CORS_MAGIC_EDOS)
		return tbx_err(EINVAL, "%s: byte offset %zu: plugin data for magic 0x%08x, which tbx cannot read",
			       r->c.name, at, magic);
	err = cors_ascii_data_mark(&r->out, magic, true) ?: cors_dec_dos_global(&r->c, &g) ?:
	      cors_ascii_dos_global(&r->out, &g);
	at = cors_cur_pos(&r->c);
	err = err ?: cors_dec_data_mark(&r->c, &end_magic);
	if (!err && end_magic != magic)
		return tbx_err(EINVAL, "%s: byte offset %zu: plugin data end for magic 0x%08x inside 0x%08x",
			       r->c.name, at, end_magic, magic);
	return err ?: cors_ascii_data_mark(&r->out, magic, false);
}

static int read_global(struct reader *r)
{
	struct cors_header h;
	int err = cors_dec_header(&r->c, &h);

	if (err)
		return err;
	err = cors_ascii_header(&r->out, &h);
	cors_header_clear(&h);
	while (!err && !cors_cur_end(&r->c)) {
		struct cors_interval start;

		if (cors_peek_record(&r->c, CORS_MAGIC_FOOT)) {
			struct cors_trailer t;

			err = cors_dec_trailer(&r->c, &t) ?: cors_ascii_trailer(&r->out, &t);
			if (!err && !cors_cur_end(&r->c))
				err = tbx_err(EINVAL, "%s: byte offset %zu: bytes after the trailer",
					      r->c.name, cors_cur_pos(&r->c));
			break;
		}
		err = cors_dec_interval(&r->c, &start, true) ?:
		      cors_ascii_interval(&r->out, &start, true);
		while (!err && cors_peek_record(&r->c, CORS_MAGIC_DATA))
			err = read_plugin_data(r);
		err = err ?: interval_pair_end(r, &start) ?: drain(r, false);
	}
	return err;
}

static int read_flowtuple(struct reader *r)
{
	int err = 0;

	while (!err && !cors_cur_end(&r->c)) {
		struct cors_interval start;

		err = cors_dec_interval(&r->c, &start, true) ?:
		      cors_ascii_interval(&r->out, &start, true);
		for (uint16_t cls = 0; !err && cls < TBX_FT_CLASS_MAX; cls++) {
			struct cors_class_start cs;
			size_t at = cors_cur_pos(&r->c);

			err = cors_dec_class_start(&r->c, &cs);
			if (!err && cs.cls != cls)
				err = tbx_err(EINVAL, "%s: byte offset %zu: flowtuple class %u where class %u belongs",
					      r->c.name, at + 4, cs.cls, cls);
			err = err ?: cors_ascii_class_start(&r->out, &cs);
			for (uint32_t i = 0; !err && i < cs.count; i++) {
				struct cors_tuple t;

				err = cors_dec_tuple(&r->c, &t) ?: cors_ascii_tuple(&r->out, &t) ?:
				      drain(r, false);
			}
			err = err ?: cors_dec_class_end(&r->c, cs.magic, cls) ?:
			      cors_ascii_class_end(&r->out, cls);
		}
		err = err ?: interval_pair_end(r, &start);
	}
	return err;
}

static int read_dos(struct reader *r)
{
	int err = 0;

	while (!err && !cors_cur_end(&r->c)) {
		struct cors_interval start;
		uint32_t n = 0;

		err = cors_dec_interval(&r->c, &start, true) ?:
		      cors_ascii_interval(&r->out, &start, true) ?:
		      cors_get_u32(&r->c, &n, "a dos vector count") ?:
		      cors_ascii_dos_count(&r->out, n);
		for (uint32_t i = 0; !err && i < n; i++) {
			struct cors_dos_vector v;

			err = cors_dec_dos_vector(&r->c, &v) ?: cors_ascii_dos_vector(&r->out, &v) ?:
			      drain(r, false);
		}
		err = err ?: interval_pair_end(r, &start);
	}
	return err;
}

/* Text (the log, ascii-mode output) is copied through as it is read; a
 * NUL byte says it was not text after all. */
static int copy_text(struct reader *r)
{
	const uint8_t *p;
	size_t got;
	int err;

	while (!(err = cors_get_some(&r->c, &p, 65536, &got)) && got) {
		const uint8_t *nul = memchr(p, '\0', got);

		if (nul)
			return tbx_err(EINVAL, "%s: byte offset %zu: a NUL byte in what began as text",
				       r->c.name, cors_cur_pos(&r->c) - got + (size_t)(nul - p));
		err = cors_put_bytes(&r->out, p, got) ?: drain(r, false);
		if (err)
			return err;
	}
	return err;
}

static bool named(const char *path, const char *plugin)
{
	char *copy = strdup(path);
	bool yes = copy && strstr(basename(copy), plugin);

	free(copy);
	return yes;
}

static int read_any(struct reader *r, const char *path)
{
	uint32_t magic = 0;

	if (cors_cur_end(&r->c)) {
		if (r->c.err)
			return r->c.err;
		if (!named(path, "dos") && !named(path, "flowtuple"))
			return tbx_err(EINVAL, "%s: empty at byte offset 0: no Corsaro header", path);
		return 0;
	}
	if (cors_peek_record(&r->c, CORS_MAGIC_HEAD))
		return read_global(r);
	if (cors_peek_record(&r->c, CORS_MAGIC_INTR)) {
		cors_peek_u32(&r->c, CORS_INTERVAL_BYTES, &magic);
		if (magic == CORS_MAGIC_SIXU || magic == CORS_MAGIC_SIXT)
			return read_flowtuple(r);
		if (named(path, "dos"))
			return read_dos(r);
		return r->c.err ?: tbx_err(EINVAL, "%s: byte offset %d: neither a flowtuple class (SIXU) nor, by its name, a dos file",
					   path, CORS_INTERVAL_BYTES);
	}
	if (r->c.err)
		return r->c.err;
	if (r->c.len && (r->c.p[r->c.off] == '#' || r->c.p[r->c.off] == '['))
		return copy_text(r);
	return tbx_err(EINVAL, "%s: byte offset 0: not a Corsaro file (no EDGR record, not text)",
		       path);
}

int cors_to_ascii(const char *path, FILE *f)
{
	struct reader r = { .f = f };
	struct cors_in *in;
	int err = cors_in_open(path, &in);

	if (err)
		return err;
	cors_cur_stream(&r.c, in, path);
	/* a read that failed at the end (a cut gzip stream) stops the loops
	 * as the end would: its error is the cursor's */
	err = read_any(&r, path) ?: r.c.err;
	/* what parsed before an error is printed, as cors2ascii does */
	err = drain(&r, true) ?: err;
	cors_buf_free(&r.out);
	cors_cur_clear(&r.c);
	cors_in_close(in);
	return err;
}
