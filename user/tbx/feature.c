// SPDX-License-Identifier: GPL-2.0-or-later
/* tbx feature [show]: the module's features, from the GET_FEATURE dump. */
#include <stdio.h>
#include <string.h>

#include "info.h"
#include "tbx.h"

int cmd_feature(struct tbx_ctx *ctx, int argc, char **argv)
{
	struct tbx_feature f[TBX_INFO_MAX_FEATURES];
	unsigned int n, i;
	struct tbx_nl nl;
	int err;

	if (argc > 2 || (argc == 2 && !tbx_matches(argv[1], "show") &&
			 !tbx_matches(argv[1], "list")))
		return tbx_usage_error("tbx feature [show]");
	if (tbx_nl_open(&nl))
		return tbx_fail();
	err = tbx_features_get(&nl, f, TBX_INFO_MAX_FEATURES, &n);
	tbx_nl_close(&nl);
	if (err)
		return tbx_fail();

	if (ctx->json) {
		json_t *arr = json_array();

		for (i = 0; i < n; i++)
			json_array_append_new(arr, json_pack("{s:s, s:s, s:I}",
				"name", f[i].name, "desc", f[i].desc,
				"since", (json_int_t)f[i].since));
		tbx_print_json(ctx, arr);
		return TBX_EXIT_OK;
	}
	for (i = 0; i < n; i++)
		printf("%-10s v%-3u %s\n", f[i].name, f[i].since, f[i].desc);
	return TBX_EXIT_OK;
}
