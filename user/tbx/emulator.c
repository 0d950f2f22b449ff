// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tbx emulator [NAME]: the emulators an emulation can name (COCOMA's and
 * tbx's), the tbx run kind each plays per resource, their arguments,
 * bounds and help. The table is libtbx's, the one tbxd serves at /emulators.
 */
#include <stdio.h>
#include <string.h>

#include "emulation/emulation.h"
#include "err.h"
#include "tbx.h"

static void print_runs(json_t *e)
{
	const char *res;
	json_t *kind;

	json_object_foreach(json_object_get(e, "runs"), res, kind)
		printf(" %s->%s", res, json_string_value(kind));
}

int cmd_emulator(struct tbx_ctx *ctx, int argc, char **argv)
{
	const char *name = NULL;
	size_t i;
	json_t *v, *e;

	if (argc > 2 || (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "help")))) {
		if (argc == 2)
			printf("Usage: tbx emulator [NAME]\n"
			       "Lists the emulators (tbx -j: as JSON); with NAME, its help,\n"
			       "arguments and bounds. Documentation/emulations.md.\n");
		return argc == 2 ? TBX_EXIT_OK : tbx_usage_error("tbx emulator [NAME]");
	}
	if (argc == 2)
		name = argv[1];
	v = emu_emulators_json(name);
	if (!v)
		return name ? tbx_usage_error("%s", tbx_errmsg()) : tbx_fail();
	if (ctx->json) {
		tbx_print_json(ctx, v);
		return TBX_EXIT_OK;
	}
	if (!name) {
		printf("Emulators (name, origin, resource->tbx run; tbx emulator NAME for help):\n");
		json_array_foreach(v, i, e) {
			printf("  %-14s %-6s", json_string_value(json_object_get(e, "name")),
			       json_string_value(json_object_get(e, "origin")));
			print_runs(e);
			printf("%s\n", json_is_true(json_object_get(e, "event_only")) ? " (events only)" : "");
		}
		json_decref(v);
		return TBX_EXIT_OK;
	}
	printf("%s (%s):", json_string_value(json_object_get(v, "name")),
	       json_string_value(json_object_get(v, "origin")));
	print_runs(v);
	printf("\n  %s\n  arguments per resource (in the <distributions> block, usually in\n"
	       "  <emulator-params>; bounds on this host):\n",
	       json_string_value(json_object_get(v, "help")));
	tbx_emu_args_print(json_object_get(v, "arguments"));
	json_decref(v);
	return TBX_EXIT_OK;
}
