// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tbx enforce: senders held to their traffic profiles in the datapath
 * (bpf/police.bpf.c, user/lib/police.c). No daemon needed: the state is in
 * pinned maps, as bpftool shows it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "police.h"
#include "profile.h"
#include "tbx.h"

static void usage(FILE *f)
{
	fprintf(f, "Usage: tbx enforce add NAME (cgroup PATH | dev DEV) profile FILE\n"
		"       tbx enforce set NAME profile FILE\n"
		"       tbx enforce off NAME | on NAME\n"
		"       tbx enforce del NAME\n"
		"       tbx enforce show [NAME]\n"
		"Holds a sender to a traffic profile with CBSAT's rule: a datagram of b bits\n"
		"sent at t lets the next leave only at t + Delay(b, t). A cgroup's sends\n"
		"over the profile fail with EPERM; a device's packets are dropped. `off`\n"
		"refuses every packet (push-back) until `on`. Documentation/user-guide.md.\n");
}

static void sender_print(const struct tbx_police_sender *s, uint64_t now)
{
	char a[32];

	printf("%s: %s ", s->cfg.name, tbx_police_kind_name(s->cfg.kind));
	if (s->cfg.kind == TBX_POLICE_CGROUP)
		printf("id %llu", (unsigned long long)s->cfg.cgroup_id);
	else
		printf("ifindex %u", s->cfg.ifindex);
	printf(", profile period %s, %llu bits a period", tbx_fmt_duration(a, sizeof(a), s->curve.period_ns),
	       (unsigned long long)s->curve.period_bits);
	if (s->cfg.uuid)
		printf(", uuid %llu", (unsigned long long)s->cfg.uuid);
	printf(", %s\n", s->cfg.off ? "OFF (pushed back)" : "on");
	printf("  sent %llu packets %llu bits, exceeded %llu packets %llu bits, "
	       "refused while off %llu packets\n",
	       (unsigned long long)s->st.sent.packets, (unsigned long long)s->st.sent.bits,
	       (unsigned long long)s->st.exceeded.packets, (unsigned long long)s->st.exceeded.bits,
	       (unsigned long long)s->st.refused_off.packets);
	printf("  the curve allowed %llu bits so far; next send ",
	       (unsigned long long)tbx_police_curve_bits(s, now));
	if (s->st.next_send_ns == TBX_CURVE_NEVER)
		printf("never\n");
	else if (s->st.next_send_ns > now)
		printf("in %.3f ms\n", (s->st.next_send_ns - now) / 1e6);
	else
		printf("now\n");
}

static int show(struct tbx_ctx *ctx, int argc, char **argv)
{
	struct tbx_police_sender one, *all = NULL;
	unsigned int n = 0;
	uint64_t now;
	json_t *arr;

	if (argc > 1)
		return tbx_usage_error("enforce show [NAME]");
	if (argc == 1) {
		if (tbx_police_get(argv[0], &one))
			return tbx_fail();
		all = &one;
		n = 1;
	} else if (tbx_police_list(&all, &n)) {
		return tbx_fail();
	}
	now = tbx_police_now();
	if (ctx->json) {
		if (argc == 1) {
			tbx_print_json(ctx, tbx_police_sender_json(&one, now));
		} else {
			arr = json_array();
			for (unsigned int i = 0; i < n; i++)
				json_array_append_new(arr, tbx_police_sender_json(&all[i], now));
			tbx_print_json(ctx, arr);
		}
	} else {
		for (unsigned int i = 0; i < n; i++)
			sender_print(&all[i], now);
	}
	if (argc != 1)
		free(all);
	return TBX_EXIT_OK;
}

/* "profile FILE" at argv[0..1], read and checked for the datapath. */
static int profile_arg(int argc, char **argv, const char *verb, struct tbx_profile *p)
{
	if (argc < 2 || strcmp(argv[0], "profile"))
		return tbx_usage_error("enforce %s: \"profile FILE\" is missing", verb);
	if (argc > 2)
		return tbx_usage_error("enforce %s: unexpected \"%s\"", verb, argv[2]);
	if (tbx_profile_load(argv[1], p))
		return tbx_fail();
	return 0;
}

static int add(int argc, char **argv)
{
	struct tbx_police_spec spec = { 0 };
	struct tbx_profile p;
	int rc;

	if (argc < 3)
		return tbx_usage_error("enforce add NAME (cgroup PATH | dev DEV) profile FILE");
	spec.name = argv[0];
	if (!strcmp(argv[1], "cgroup")) {
		spec.kind = TBX_POLICE_CGROUP;
		spec.cgroup = argv[2];
	} else if (!strcmp(argv[1], "dev")) {
		spec.kind = TBX_POLICE_DEV;
		spec.dev = argv[2];
	} else {
		return tbx_usage_error("enforce add: \"%s\" is not cgroup or dev", argv[1]);
	}
	rc = profile_arg(argc - 3, argv + 3, "add", &p);
	if (rc)
		return rc;
	spec.profile = &p;
	spec.profile_name = argv[4];
	rc = tbx_police_add(&spec) ? tbx_fail() : TBX_EXIT_OK;
	tbx_profile_free(&p);
	return rc;
}

static int set(int argc, char **argv)
{
	struct tbx_profile p;
	int rc;

	if (argc < 1)
		return tbx_usage_error("enforce set NAME profile FILE");
	rc = profile_arg(argc - 1, argv + 1, "set", &p);
	if (rc)
		return rc;
	rc = tbx_police_set_profile(argv[0], &p, argv[2]) ? tbx_fail() : TBX_EXIT_OK;
	tbx_profile_free(&p);
	return rc;
}

int cmd_enforce(struct tbx_ctx *ctx, int argc, char **argv)
{
	const char *verb;

	if (argc < 2 || !strcmp(argv[1], "help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? TBX_EXIT_USAGE : TBX_EXIT_OK;
	}
	verb = argv[1];
	argc -= 2;
	argv += 2;
	if (!strcmp(verb, "add"))
		return add(argc, argv);
	if (!strcmp(verb, "set"))
		return set(argc, argv);
	if (tbx_matches(verb, "show"))
		return show(ctx, argc, argv);
	if (!strcmp(verb, "off") || !strcmp(verb, "on") || !strcmp(verb, "del")) {
		if (argc != 1)
			return tbx_usage_error("enforce %s NAME", verb);
		if (!strcmp(verb, "del"))
			return tbx_police_del(argv[0]) ? tbx_fail() : TBX_EXIT_OK;
		return tbx_police_switch(argv[0], !strcmp(verb, "off")) ? tbx_fail() : TBX_EXIT_OK;
	}
	return tbx_usage_error("enforce: unknown command \"%s\" (add, set, off, on, del, show)", verb);
}
