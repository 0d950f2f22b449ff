// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tbx distribution [NAME]: the distributions an emulation can use, with
 * their arguments, bounds (for this host) and help. No daemon needed: the
 * table is libtbx's, the one tbxd serves at /distributions.
 */
#include <stdio.h>
#include <string.h>

#include "emulation/emulation.h"
#include "err.h"
#include "tbx.h"

/* One argument per line, its bounds after it (shared with emulator.c). */
void tbx_emu_args_print(json_t *args)
{
	size_t i;
	json_t *a;

	json_array_foreach(args, i, a) {
		const char *kind = json_string_value(json_object_get(a, "kind"));
		json_t *res = json_object_get(a, "resources"), *b;

		printf("    %-14s %s%s", json_string_value(json_object_get(a, "name")), kind,
		       json_is_true(json_object_get(a, "required")) ? ", required" : "");
		if (!strcmp(kind, "number")) {
			printf(", %.10g-%.10g", json_number_value(json_object_get(a, "min")),
			       json_number_value(json_object_get(a, "max")));
			if ((b = json_object_get(a, "default")))
				printf(", default %.10g", json_number_value(b));
		} else if (!strcmp(kind, "load")) {
			const char *r;
			json_t *v;

			json_object_foreach(json_object_get(a, "bounds"), r, v)
				printf(", %s %.10g-%.10g %s", r, json_number_value(json_object_get(v, "min")),
				       json_number_value(json_object_get(v, "max")),
				       json_string_value(json_object_get(v, "unit")));
		}
		if (res) {
			size_t j;
			json_t *r;

			printf(" (");
			json_array_foreach(res, j, r)
				printf("%s%s", j ? " " : "", json_string_value(r));
			printf(")");
		}
		printf("\n    %-14s %s\n", "", json_string_value(json_object_get(a, "help")));
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
	printf("\n  %s\n  arguments:\n", json_string_value(json_object_get(v, "help")));
	tbx_emu_args_print(json_object_get(v, "arguments"));
	printf("  every distribution also takes: name, startTime (s from the emulation's start),\n"
	       "  duration (s, 1-100000, required), granularity (runs, 1-100000, default 1),\n"
	       "  minJobTime (s, 2-10000000, default 2)\n");
	json_decref(v);
	return TBX_EXIT_OK;
}
