// SPDX-License-Identifier: GPL-2.0-or-later
/* tbx info: what the module is and holds. */
#include <stdio.h>

#include "info.h"
#include "tbx.h"

static void print_info(struct tbx_ctx *ctx, const struct tbx_info *in)
{
	unsigned int i;

	if (ctx->json) {
		json_t *feat = json_array();

		for (i = 0; i < in->n_features; i++)
			json_array_append_new(feat, json_string(in->features[i]));
		tbx_print_json(ctx, json_pack("{s:s, s:I, s:o, s:{s:I, s:I}}",
			"version", in->version,
			"genl_version", (json_int_t)in->genl_version,
			"features", feat,
			"objects", "runs", (json_int_t)in->runs,
			"qdiscs", (json_int_t)in->qdiscs));
		return;
	}
	printf("tbx.ko %s (genl family \"tbx\" version %u)\n", in->version,
	       in->genl_version);
	printf("  features:");
	for (i = 0; i < in->n_features; i++)
		printf(" %s", in->features[i]);
	printf("\n  objects:  runs %u  qdiscs %u\n", in->runs, in->qdiscs);
}

int cmd_info(struct tbx_ctx *ctx, int argc, char **argv)
{
	struct tbx_info in;
	struct tbx_nl nl;
	int err;

	if (argc > 1)
		return tbx_usage_error("info takes no arguments");
	if (tbx_nl_open(&nl))
		return tbx_fail();
	err = tbx_info_get(&nl, &in);
	tbx_nl_close(&nl);
	if (err)
		return tbx_fail();
	print_info(ctx, &in);
	return TBX_EXIT_OK;
}
