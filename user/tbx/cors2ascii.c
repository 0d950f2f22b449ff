// SPDX-License-Identifier: GPL-2.0-or-later
/* tbx cors2ascii: print a Corsaro 2 file as Corsaro's cors2ascii does. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corsaro/corsaro.h"
#include "err.h"
#include "tbx.h"

static void cors2ascii_usage(FILE *f)
{
	fprintf(f,
		"Usage: tbx cors2ascii FILE\n"
		"Prints a Corsaro 2 file (global, flowtuple, dos or log; plain,\n"
		".gz or .bz2) as text, line for line as Corsaro's cors2ascii.\n"
		"A corrupt or truncated file fails naming the byte offset.\n"
		"With -j: {\"file\": FILE, \"lines\": [...]}.\n");
}

/*
 * -j: {"file": FILE, "lines": [...]}, printed as tbx_print_json prints
 * (compact, or indented with -p) but line by line as the reader makes
 * them, so a file of any size needs no more memory than its text mode.
 */
struct jlines {
	bool pretty, any;
	char *part;		/* the line being written */
	size_t len, cap;
};

static void jl_string(const char *s, size_t n)
{
	json_t *v = json_stringn(s, n);
	char *enc = v ? json_dumps(v, JSON_ENCODE_ANY) : NULL;

	/* not UTF-8: the bytes as Latin-1, escaped */
	if (!enc) {
		fputc('"', stdout);
		for (size_t i = 0; i < n; i++)
			printf("\\u%04x", (unsigned char)s[i]);
		fputc('"', stdout);
	} else {
		fputs(enc, stdout);
	}
	free(enc);
	json_decref(v);
}

static void jl_line(struct jlines *j, const char *s, size_t n)
{
	if (j->pretty)
		fputs(j->any ? ",\n    " : "\n    ", stdout);
	else if (j->any)
		fputc(',', stdout);
	j->any = true;
	jl_string(s, n);
}

static ssize_t jl_write(void *cookie, const char *buf, size_t n)
{
	struct jlines *j = cookie;

	for (size_t i = 0; i < n; i++) {
		if (buf[i] == '\n') {
			jl_line(j, j->part ? j->part : "", j->len);
			j->len = 0;
			continue;
		}
		if (j->len == j->cap) {
			size_t cap = j->cap ? j->cap * 2 : 256;
			char *p = realloc(j->part, cap);

			if (!p)
				return -1;
			j->part = p;
			j->cap = cap;
		}
		j->part[j->len++] = buf[i];
	}
	return n;
}

static int cors2ascii_json(struct tbx_ctx *ctx, const char *path)
{
	struct jlines j = { .pretty = ctx->pretty };
	cookie_io_functions_t io = { .write = jl_write };
	FILE *null = fopen("/dev/null", "w"), *f;
	int err;

	/* a first pass checks the file: an error prints no JSON */
	if (!null) {
		tbx_err(errno, "/dev/null: %s", strerror(errno));
		return tbx_fail();
	}
	err = cors_to_ascii(path, null);
	fclose(null);
	if (err)
		return tbx_fail();
	f = fopencookie(&j, "w", io);
	if (!f) {
		tbx_err(ENOMEM, "out of memory");
		return tbx_fail();
	}
	fputs(j.pretty ? "{\n  \"file\": " : "{\"file\":", stdout);
	jl_string(path, strlen(path));
	fputs(j.pretty ? ",\n  \"lines\": [" : ",\"lines\":[", stdout);
	err = cors_to_ascii(path, f);
	fclose(f);		/* flushes the last lines through jl_write */
	if (j.len)
		jl_line(&j, j.part, j.len);
	free(j.part);
	fputs(j.pretty ? (j.any ? "\n  ]\n}\n" : "]\n}\n") : "]}\n", stdout);
	fflush(stdout);
	return err ? tbx_fail() : TBX_EXIT_OK;
}

int cmd_cors2ascii(struct tbx_ctx *ctx, int argc, char **argv)
{
	int err;

	if (argc == 2 && (!strcmp(argv[1], "help") || !strcmp(argv[1], "-h"))) {
		cors2ascii_usage(stdout);
		return TBX_EXIT_OK;
	}
	if (argc != 2) {
		cors2ascii_usage(stderr);
		return tbx_usage_error("cors2ascii takes one FILE");
	}
	if (ctx->json)
		return cors2ascii_json(ctx, argv[1]);
	err = cors_to_ascii(argv[1], stdout);
	fflush(stdout);
	return err ? tbx_fail() : TBX_EXIT_OK;
}
