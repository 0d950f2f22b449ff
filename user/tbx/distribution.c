// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tbx distribution [NAME]: the distributions an emulation can use, with
 * their arguments and bounds per resource (COCOMA's argNames; MEM bounds
 * for this host) and help. No daemon needed: the table is libtbx's, the
 * one tbxd serves at /distributions.
 */
#include <stdio.h>
#include <string.h>

#include "emulation/emulation.h"
#include "err.h"
#include "tbx.h"

/*
 * The arguments, one table per resource (shared with emulator.c): COCOMA's
 * argNames for that module and resource, then tbx's own (marked).
 */
void tbx_emu_args_print(json_t *args)
{
	const char *res;
	json_t *list;

	json_object_foreach(args, res, list) {
		size_t i;
		json_t *a;

		printf("  %s:%s\n", res, json_array_size(list) ? "" : " no arguments");
		json_array_foreach(list, i, a) {
			const char *kind = json_string_value(json_object_get(a, "kind"));
			json_t *def = json_object_get(a, "default");

			printf("    %-14s ", json_string_value(json_object_get(a, "name")));
			if (!strcmp(kind, "number"))
				printf("%lld-%lld", json_integer_value(json_object_get(a, "min")),
				       json_integer_value(json_object_get(a, "max")));
			else
				printf("%s", kind);
			if (json_is_true(json_object_get(a, "required")))
				printf(", required");
			else if (def)
				printf(", default %.10g", json_number_value(def));
			printf("%s\n    %-14s %s\n",
			       json_is_true(json_object_get(a, "cocoma")) ? "" : " (tbx's)", "",
			       json_string_value(json_object_get(a, "help")));
		}
	}
}

static void print_list(const char *head, json_t *arr)
{
	size_t i, j;
	json_t *d, *r;

	printf("%s", head);
	json_array_foreach(arr, i, d) {
		printf("  %-14s %-6s", json_string_value(json_object_get(d, "name")),
		       json_string_value(json_object_get(d, "origin")));
		json_array_foreach(json_object_get(d, "resources"), j, r)
			printf(" %s", json_string_value(r));
		printf("\n");
	}
}

int cmd_distribution(struct tbx_ctx *ctx, int argc, char **argv)
{
	const char *name = NULL;
	json_t *v;
	size_t j;
	json_t *r;

	if (argc > 2 || (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "help")))) {
		if (argc == 2)
			printf("Usage: tbx distribution [NAME]\n"
			       "Lists the distributions (tbx -j: as JSON); with NAME, its help,\n"
			       "arguments and bounds on this host. Documentation/emulations.md.\n");
		return argc == 2 ? TBX_EXIT_OK : tbx_usage_error("tbx distribution [NAME]");
	}
	if (argc == 2)
		name = argv[1];
	v = emu_distributions_json(name);
	if (!v)
		return name ? tbx_usage_error("%s", tbx_errmsg()) : tbx_fail();
	if (ctx->json) {
		tbx_print_json(ctx, v);
		return TBX_EXIT_OK;
	}
	if (!name) {
		print_list("Distributions (name, origin, resources; tbx distribution NAME for help):\n", v);
		json_decref(v);
		return TBX_EXIT_OK;
	}
	printf("%s (%s, %s trigger):", json_string_value(json_object_get(v, "name")),
	       json_string_value(json_object_get(v, "origin")),
	       json_string_value(json_object_get(v, "trigger")));
	json_array_foreach(json_object_get(v, "resources"), j, r)
		printf(" %s", json_string_value(r));
	printf("\n  %s\n  arguments per resource (bounds on this host; out of them a value is\n"
	       "  moved to the bound, with COCOMA's note; MEM loads may be N%% of memory):\n",
	       json_string_value(json_object_get(v, "help")));
	tbx_emu_args_print(json_object_get(v, "arguments"));
	printf("  every distribution also takes: name, startTime (s from the emulation's start)\n");
	json_decref(v);
	return TBX_EXIT_OK;
}
