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

/* The text as a JSON array of lines (without their newlines). */
static json_t *lines_json(const char *text, size_t len)
{
	json_t *arr = json_array();
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		json_array_append_new(arr, json_stringn(p, n));
		p += n + 1;
	}
	return arr;
}

int cmd_cors2ascii(struct tbx_ctx *ctx, int argc, char **argv)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int err;

	if (argc == 2 && (!strcmp(argv[1], "help") || !strcmp(argv[1], "-h"))) {
		cors2ascii_usage(stdout);
		return TBX_EXIT_OK;
	}
	if (argc != 2) {
		cors2ascii_usage(stderr);
		return tbx_usage_error("cors2ascii takes one FILE");
	}
	if (!ctx->json) {
		err = cors_to_ascii(argv[1], stdout);
		fflush(stdout);
		return err ? tbx_fail() : TBX_EXIT_OK;
	}
	f = open_memstream(&text, &len);
	if (!f) {
		tbx_err(ENOMEM, "out of memory");
		return tbx_fail();
	}
	err = cors_to_ascii(argv[1], f);
	fclose(f);
	if (!err)
		tbx_print_json(ctx, json_pack("{s:s, s:o}", "file", argv[1],
					      "lines", lines_json(text, len)));
	free(text);
	return err ? tbx_fail() : TBX_EXIT_OK;
}
