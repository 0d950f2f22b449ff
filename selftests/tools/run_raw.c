// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * run_raw: run requests the CLI never sends (missing or foreign nests,
 * output-only attributes, out-of-range kinds and times), and a dump that
 * is changed while it is read, so selftests can check the kernel refuses
 * each with extack and flags the interrupted dump.
 *
 * Usage: run_raw SCENARIO
 * Exit: 0 accepted, 2 refused (message on stderr as "Error: ..."), 1 usage
 * or a failed expectation.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <arpa/inet.h>

#include <linux/tbx.h>

#include "err.h"
#include "nl.h"

typedef int (*scenario_fn)(struct tbx_nl *nl);

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* A NEW request with an open TBX_A_RUN nest; close it with run_end(). */
static struct nlmsghdr *run_begin(struct tbx_nl *nl, uint8_t cmd,
				  struct nlattr **nest)
{
	struct nlmsghdr *req = tbx_nl_request(nl, cmd, 0);

	*nest = mnl_attr_nest_start(req, TBX_A_RUN);
	return req;
}

static int run_end(struct tbx_nl *nl, struct nlmsghdr *req, struct nlattr *nest)
{
	mnl_attr_nest_end(req, nest);
	return tbx_nl_do(nl, req, NULL, NULL);
}

/* Adds a small mem nest: 4 KiB. */
static void put_mem(struct nlmsghdr *req)
{
	struct nlattr *m = mnl_attr_nest_start(req, TBX_RUN_A_MEM);

	mnl_attr_put_u64(req, TBX_MEM_A_BYTES, 4096);
	mnl_attr_nest_end(req, m);
}

static int kind_missing(struct tbx_nl *nl)
{
	struct nlattr *n;
	struct nlmsghdr *req = run_begin(nl, TBX_CMD_RUN_NEW, &n);

	put_mem(req);
	return run_end(nl, req, n);
}

static int kind_unknown(struct tbx_nl *nl)
{
	struct nlattr *n;
	struct nlmsghdr *req = run_begin(nl, TBX_CMD_RUN_NEW, &n);

	mnl_attr_put_u8(req, TBX_RUN_A_KIND, 9);
	put_mem(req);
	return run_end(nl, req, n);
}

static int nest_missing(struct tbx_nl *nl)
{
	struct nlattr *n;
	struct nlmsghdr *req = run_begin(nl, TBX_CMD_RUN_NEW, &n);

	mnl_attr_put_u8(req, TBX_RUN_A_KIND, TBX_RUN_KIND_MEM);
	return run_end(nl, req, n);
}

static int nest_foreign(struct tbx_nl *nl)
{
	struct nlattr *n, *c;
	struct nlmsghdr *req = run_begin(nl, TBX_CMD_RUN_NEW, &n);

	mnl_attr_put_u8(req, TBX_RUN_A_KIND, TBX_RUN_KIND_MEM);
	put_mem(req);
	c = mnl_attr_nest_start(req, TBX_RUN_A_CPU);
	mnl_attr_put_u32(req, TBX_CPU_A_LEVEL, 10);
	mnl_attr_nest_end(req, c);
	return run_end(nl, req, n);
}

static int output_attr(struct tbx_nl *nl)
{
	struct nlattr *n;
	struct nlmsghdr *req = run_begin(nl, TBX_CMD_RUN_NEW, &n);

	mnl_attr_put_u8(req, TBX_RUN_A_KIND, TBX_RUN_KIND_MEM);
	mnl_attr_put_u8(req, TBX_RUN_A_STATE, TBX_RUN_STATE_RUNNING);
	put_mem(req);
	return run_end(nl, req, n);
}

static int start_past(struct tbx_nl *nl)
{
	struct nlattr *n;
	struct nlmsghdr *req = run_begin(nl, TBX_CMD_RUN_NEW, &n);

	mnl_attr_put_u8(req, TBX_RUN_A_KIND, TBX_RUN_KIND_MEM);
	mnl_attr_put_u64(req, TBX_RUN_A_START, now_ns() - 1000000000ull);
	put_mem(req);
	return run_end(nl, req, n);
}

static int duration_huge(struct tbx_nl *nl)
{
	struct nlattr *n;
	struct nlmsghdr *req = run_begin(nl, TBX_CMD_RUN_NEW, &n);

	mnl_attr_put_u8(req, TBX_RUN_A_KIND, TBX_RUN_KIND_MEM);
	mnl_attr_put_u64(req, TBX_RUN_A_DURATION, ~0ull);
	put_mem(req);
	return run_end(nl, req, n);
}

static int kind_wrong_size(struct tbx_nl *nl)
{
	struct nlattr *n;
	struct nlmsghdr *req = run_begin(nl, TBX_CMD_RUN_NEW, &n);

	mnl_attr_put_u32(req, TBX_RUN_A_KIND, TBX_RUN_KIND_MEM);
	put_mem(req);
	return run_end(nl, req, n);
}

static int owner_unterminated(struct tbx_nl *nl)
{
	struct nlattr *n;
	struct nlmsghdr *req = run_begin(nl, TBX_CMD_RUN_NEW, &n);

	mnl_attr_put_u8(req, TBX_RUN_A_KIND, TBX_RUN_KIND_MEM);
	mnl_attr_put(req, TBX_RUN_A_OWNER, 4, "abcd");
	put_mem(req);
	return run_end(nl, req, n);
}

static int del_no_id(struct tbx_nl *nl)
{
	struct nlattr *n;
	struct nlmsghdr *req = run_begin(nl, TBX_CMD_RUN_DEL, &n);

	return run_end(nl, req, n);
}

static int get_unknown_id(struct tbx_nl *nl)
{
	struct nlattr *n;
	struct nlmsghdr *req = run_begin(nl, TBX_CMD_RUN_GET, &n);

	mnl_attr_put_u32(req, TBX_RUN_A_ID, 0x7ffffff0);
	return run_end(nl, req, n);
}

/*
 * net requests the CLI refuses before sending: the kernel must refuse them
 * too. The device is $RUN_RAW_DEV (default veth0), in the caller's netns.
 */
static struct nlmsghdr *net_begin(struct tbx_nl *nl, struct nlattr **run,
				  struct nlattr **net)
{
	const char *dev = getenv("RUN_RAW_DEV");
	struct nlmsghdr *req = run_begin(nl, TBX_CMD_RUN_NEW, run);

	mnl_attr_put_u8(req, TBX_RUN_A_KIND, TBX_RUN_KIND_NET);
	*net = mnl_attr_nest_start(req, TBX_RUN_A_NET);
	mnl_attr_put_strz(req, TBX_NET_A_IFNAME, dev ? dev : "veth0");
	mnl_attr_put_u8(req, TBX_NET_A_PATTERN, TBX_NET_PATTERN_UDP);
	mnl_attr_put_u32(req, TBX_NET_A_DST, htonl(0xc6120002));	/* 198.18.0.2 */
	return req;
}

static int net_end(struct tbx_nl *nl, struct nlmsghdr *req, struct nlattr *run,
		   struct nlattr *net)
{
	mnl_attr_nest_end(req, net);
	return run_end(nl, req, run);
}

static int net_two_rates(struct tbx_nl *nl)
{
	struct nlattr *r, *n;
	struct nlmsghdr *req = net_begin(nl, &r, &n);

	mnl_attr_put_u64(req, TBX_NET_A_RATE_PPS, 1000);
	mnl_attr_put_u64(req, TBX_NET_A_RATE_BPS, 1000000);
	return net_end(nl, req, r, n);
}

static int net_src_reversed(struct tbx_nl *nl)
{
	struct nlattr *r, *n;
	struct nlmsghdr *req = net_begin(nl, &r, &n);

	mnl_attr_put_u64(req, TBX_NET_A_RATE_PPS, 1000);
	mnl_attr_put_u32(req, TBX_NET_A_SRC_MIN, htonl(0xc6120014));	/* .20 */
	mnl_attr_put_u32(req, TBX_NET_A_SRC_MAX, htonl(0xc612000a));	/* .10 */
	return net_end(nl, req, r, n);
}

/* A profile of @n segments at the given offsets (ns); period 1 s. */
static int net_profile(struct tbx_nl *nl, const uint64_t *offs, int n)
{
	struct nlattr *r, *net, *p, *seg;
	struct nlmsghdr *req = net_begin(nl, &r, &net);
	int i;

	p = mnl_attr_nest_start(req, TBX_NET_A_PROFILE);
	mnl_attr_put_u64(req, TBX_PROFILE_A_PERIOD, 1000000000ull);
	for (i = 0; i < n; i++) {
		seg = mnl_attr_nest_start(req, TBX_PROFILE_A_SEGMENT);
		mnl_attr_put_u64(req, TBX_SEGMENT_A_OFFSET, offs[i]);
		mnl_attr_put_u64(req, TBX_SEGMENT_A_RATE_BPS, 1000000);
		mnl_attr_nest_end(req, seg);
	}
	mnl_attr_nest_end(req, p);
	return net_end(nl, req, r, net);
}

static int net_profile_empty(struct tbx_nl *nl)
{
	return net_profile(nl, NULL, 0);
}

static int net_profile_unordered(struct tbx_nl *nl)
{
	static const uint64_t offs[] = { 0, 500000000, 200000000 };

	return net_profile(nl, offs, 3);
}

/* --- an interrupted dump -------------------------------------------------- */

/*
 * Enough runs for three parts: the kernel prepares the next part while the
 * reader takes one, so only the third is built after the change.
 */
#define DUMP_RUNS 600

/* Creates a pending 4 KiB mem run an hour ahead; returns its id or 0. */
static int on_new(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a, *r = tbx_nl_attrs(nlh);

	if (mnl_attr_get_type(r) != TBX_A_RUN)
		return MNL_CB_ERROR;
	mnl_attr_for_each_nested(a, r)
		if (mnl_attr_get_type(a) == TBX_RUN_A_ID)
			*(uint32_t *)data = mnl_attr_get_u32(a);
	return MNL_CB_OK;
}

static uint32_t pending_run(struct tbx_nl *nl, const char *owner)
{
	struct nlattr *n;
	struct nlmsghdr *req = run_begin(nl, TBX_CMD_RUN_NEW, &n);
	uint32_t id = 0;

	mnl_attr_put_u8(req, TBX_RUN_A_KIND, TBX_RUN_KIND_MEM);
	mnl_attr_put_u64(req, TBX_RUN_A_START, now_ns() + 3600ull * 1000000000ull);
	mnl_attr_put_strz(req, TBX_RUN_A_OWNER, owner);
	put_mem(req);
	mnl_attr_nest_end(req, n);
	if (tbx_nl_do(nl, req, on_new, &id))
		return 0;
	return id;
}

static int del_run(struct tbx_nl *nl, uint32_t id)
{
	struct nlattr *n;
	struct nlmsghdr *req = run_begin(nl, TBX_CMD_RUN_DEL, &n);

	mnl_attr_put_u32(req, TBX_RUN_A_ID, id);
	return run_end(nl, req, n);
}

struct dump_count {
	int msgs, intr;
	bool done, error;
};

/*
 * Counts one part of a dump by hand: libmnl's mnl_cb_run() stops at the
 * first message flagged NLM_F_DUMP_INTR, and this wants to see them all.
 */
static void count_part(const char *buf, int len, struct dump_count *c)
{
	const struct nlmsghdr *nlh = (const void *)buf;

	for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			c->intr++;
		if (nlh->nlmsg_type == NLMSG_DONE)
			c->done = true;
		else if (nlh->nlmsg_type == NLMSG_ERROR)
			c->error = true;
		else
			c->msgs++;
	}
}

/*
 * Makes DUMP_RUNS pending runs, reads the first part of a dump and, with
 * @change, adds a run from a second socket before reading the rest: then
 * the kernel must flag the dump NLM_F_DUMP_INTR (libmnl readers stop at the
 * first flagged message and re-run it), and without, not.
 * Prints "messages N intr M".
 */
static int dump_check(struct tbx_nl *nl, bool change)
{
	static uint32_t ids[DUMP_RUNS + 1];
	struct dump_count c = { 0 };
	struct nlmsghdr *req;
	char why[256];
	struct tbx_nl nl2;
	int i, ret, made = 0, err = 0;

	if (tbx_nl_open(&nl2))
		return -1;
	for (; made < DUMP_RUNS; made++)
		if (!(ids[made] = pending_run(nl, "dump-intr"))) {
			err = -1;
			goto out;
		}

	req = tbx_nl_request(nl, TBX_CMD_RUN_GET, NLM_F_DUMP);
	if (mnl_socket_sendto(nl->sk, req, req->nlmsg_len) < 0) {
		err = tbx_err(1, "send failed");
		goto out;
	}
	for (i = 0; !c.done && !c.error; i++) {
		ret = mnl_socket_recvfrom(nl->sk, nl->buf, 32768);
		if (ret < 0) {
			err = tbx_err(1, "receive failed");
			goto out;
		}
		count_part(nl->buf, ret, &c);
		if (i == 0 && change) {
			/* The table changes between two parts of the dump. */
			ids[made] = pending_run(&nl2, "dump-intr");
			if (!ids[made]) {
				err = -1;
				goto out;
			}
			made++;
		}
	}
	if (c.error) {
		err = tbx_err(1, "the dump failed");
		goto out;
	}
	printf("messages %d intr %d\n", c.msgs, c.intr);
	if (change && !c.intr)
		err = tbx_err(1, "the table changed but no message was flagged NLM_F_DUMP_INTR");
	if (!change && c.intr)
		err = tbx_err(1, "nothing changed but %d messages were flagged NLM_F_DUMP_INTR",
			      c.intr);
out:
	/* Deleting succeeds and clears the message: keep it for main(). */
	snprintf(why, sizeof(why), "%s", tbx_errmsg());
	for (i = 0; i < made; i++)
		if (ids[i])
			del_run(&nl2, ids[i]);
	tbx_nl_close(&nl2);
	if (err)
		tbx_err(err, "%s", why);
	return err;
}

static int dump_intr(struct tbx_nl *nl)
{
	return dump_check(nl, true);
}

static int dump_quiet(struct tbx_nl *nl)
{
	return dump_check(nl, false);
}

static const struct {
	const char *name;
	scenario_fn fn;
} scenarios[] = {
	{ "kind-missing", kind_missing },
	{ "kind-unknown", kind_unknown },
	{ "kind-wrong-size", kind_wrong_size },
	{ "nest-missing", nest_missing },
	{ "nest-foreign", nest_foreign },
	{ "output-attr", output_attr },
	{ "start-past", start_past },
	{ "duration-huge", duration_huge },
	{ "owner-unterminated", owner_unterminated },
	{ "del-no-id", del_no_id },
	{ "get-unknown-id", get_unknown_id },
	{ "net-two-rates", net_two_rates },
	{ "net-src-reversed", net_src_reversed },
	{ "net-profile-empty", net_profile_empty },
	{ "net-profile-unordered", net_profile_unordered },
	{ "dump-intr", dump_intr },
	{ "dump-quiet", dump_quiet },
};

int main(int argc, char **argv)
{
	struct tbx_nl nl;
	size_t i, n = sizeof(scenarios) / sizeof(scenarios[0]);
	int err;

	if (argc != 2) {
		fprintf(stderr, "Usage: run_raw SCENARIO\n");
		return 1;
	}
	for (i = 0; i < n; i++)
		if (!strcmp(argv[1], scenarios[i].name))
			break;
	if (i == n) {
		fprintf(stderr, "run_raw: unknown scenario \"%s\"\n", argv[1]);
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
