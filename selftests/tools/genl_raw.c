// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * genl_raw: sends requests to the tbx family that the CLI never would
 * (wrong types, unknown attributes, missing nests) and prints what the
 * kernel answers, so selftests can check each is refused with extack.
 *
 * Usage: genl_raw SCENARIO   (see the table below)
 * Exit: 0 accepted, 2 refused (message on stderr as "Error: ..."), 1 usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/tbx.h>

#include "err.h"
#include "nl.h"

typedef int (*scenario_fn)(struct tbx_nl *nl);

static int do_req(struct tbx_nl *nl, struct nlmsghdr *req)
{
	return tbx_nl_do(nl, req, NULL, NULL);
}

static int info_extra_attr(struct tbx_nl *nl)
{
	struct nlmsghdr *req = tbx_nl_request(nl, TBX_CMD_GET_INFO, 0);
	struct nlattr *n = mnl_attr_nest_start(req, TBX_A_CONFIG);

	mnl_attr_put_u32(req, TBX_CONFIG_A_MAX_RUNS, 3);
	mnl_attr_nest_end(req, n);
	return do_req(nl, req);
}

static int info_unknown_attr(struct tbx_nl *nl)
{
	struct nlmsghdr *req = tbx_nl_request(nl, TBX_CMD_GET_INFO, 0);

	mnl_attr_put_u32(req, TBX_A_MAX + 10, 1);
	return do_req(nl, req);
}

static int config_wrong_size(struct tbx_nl *nl)
{
	struct nlmsghdr *req = tbx_nl_request(nl, TBX_CMD_SET_CONFIG, 0);
	struct nlattr *n = mnl_attr_nest_start(req, TBX_A_CONFIG);

	mnl_attr_put_u16(req, TBX_CONFIG_A_MAX_RUNS, 3);
	mnl_attr_nest_end(req, n);
	return do_req(nl, req);
}

static int config_unknown_nested(struct tbx_nl *nl)
{
	struct nlmsghdr *req = tbx_nl_request(nl, TBX_CMD_SET_CONFIG, 0);
	struct nlattr *n = mnl_attr_nest_start(req, TBX_A_CONFIG);

	mnl_attr_put_u32(req, TBX_CONFIG_A_MAX_RUNS, 3);
	mnl_attr_put_u32(req, TBX_CONFIG_A_MAX + 5, 3);
	mnl_attr_nest_end(req, n);
	return do_req(nl, req);
}

static int config_not_nest(struct tbx_nl *nl)
{
	struct nlmsghdr *req = tbx_nl_request(nl, TBX_CMD_SET_CONFIG, 0);

	mnl_attr_put_u32(req, TBX_A_CONFIG, 3);
	return do_req(nl, req);
}

static int config_missing(struct tbx_nl *nl)
{
	return do_req(nl, tbx_nl_request(nl, TBX_CMD_SET_CONFIG, 0));
}

static int config_events_2(struct tbx_nl *nl)
{
	struct nlmsghdr *req = tbx_nl_request(nl, TBX_CMD_SET_CONFIG, 0);
	struct nlattr *n = mnl_attr_nest_start(req, TBX_A_CONFIG);

	mnl_attr_put_u32(req, TBX_CONFIG_A_MAX_RUNS, 3);
	mnl_attr_put_u8(req, TBX_CONFIG_A_EVENTS, 2);
	mnl_attr_nest_end(req, n);
	return do_req(nl, req);
}

static int unknown_cmd(struct tbx_nl *nl)
{
	return do_req(nl, tbx_nl_request(nl, TBX_CMD_MAX + 1, 0));
}

static int on_any(const struct nlmsghdr *nlh, void *data)
{
	(*(int *)data)++;
	return MNL_CB_OK;
}

/*
 * Starts a feature dump, lets the kernel's answer sit unread while the
 * test does something else (e.g. rmmod), then reads it: the reply must
 * still arrive whole. The pause ends when stdin closes.
 */
static int dump_hold(struct tbx_nl *nl)
{
	struct nlmsghdr *req = tbx_nl_request(nl, TBX_CMD_GET_FEATURE, NLM_F_DUMP);
	uint32_t seq = req->nlmsg_seq;
	int n = 0, ret;
	char c;

	if (mnl_socket_sendto(nl->sk, req, req->nlmsg_len) < 0)
		return tbx_err(1, "send failed");
	printf("dump requested\n");
	fflush(stdout);
	while (read(0, &c, 1) > 0)
		;
	/* Now read the dump that was waiting, part by part, to its DONE. */
	do {
		ret = mnl_socket_recvfrom(nl->sk, nl->buf, 32768);
		if (ret < 0)
			return tbx_err(1, "receive failed");
		ret = mnl_cb_run(nl->buf, ret, seq, nl->portid, on_any, &n);
	} while (ret == MNL_CB_OK);
	if (ret == MNL_CB_ERROR)
		return tbx_err(1, "the held dump failed");
	printf("features %d\n", n);
	return 0;
}

static const struct {
	const char *name;
	scenario_fn fn;
} scenarios[] = {
	{ "info-extra-attr", info_extra_attr },
	{ "info-unknown-attr", info_unknown_attr },
	{ "config-wrong-size", config_wrong_size },
	{ "config-unknown-nested", config_unknown_nested },
	{ "config-not-nest", config_not_nest },
	{ "config-missing", config_missing },
	{ "config-events-2", config_events_2 },
	{ "unknown-cmd", unknown_cmd },
	{ "dump-hold", dump_hold },
};

int main(int argc, char **argv)
{
	struct tbx_nl nl;
	size_t i;
	int err;

	if (argc != 2) {
		fprintf(stderr, "Usage: genl_raw SCENARIO\n");
		return 1;
	}
	for (i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
		if (!strcmp(argv[1], scenarios[i].name))
			break;
	if (i == sizeof(scenarios) / sizeof(scenarios[0])) {
		fprintf(stderr, "genl_raw: unknown scenario \"%s\"\n", argv[1]);
		return 1;
	}
	if (tbx_nl_open(&nl)) {
		fprintf(stderr, "Error: %s\n", tbx_errmsg());
		return 2;
	}
	err = scenarios[i].fn(&nl);
	tbx_nl_close(&nl);
	if (err) {
		fprintf(stderr, "Error: %s\n", tbx_errmsg());
		return 2;
	}
	printf("accepted\n");
	return 0;
}
