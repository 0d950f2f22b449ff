// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * link_raw: qdisc "tbx" options the tools never send (an empty profile,
 * segments out of order, an output-only attribute, nests without
 * NLA_F_NESTED), as `tc qdisc change` on the root of $LINK_RAW_DEV, so
 * selftests can check the kernel refuses each with extack.
 *
 * Usage: link_raw SCENARIO
 * Exit: 0 accepted, 2 refused ("Error: MESSAGE" on stderr), 1 usage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <net/if.h>
#include <libmnl/libmnl.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <linux/tbx.h>

static void seg(struct nlmsghdr *nlh, uint64_t offset, uint64_t rate)
{
	struct nlattr *s = mnl_attr_nest_start(nlh, TCA_TBX_PROF_SEGMENT);

	mnl_attr_put_u64(nlh, TCA_TBX_SEG_OFFSET, offset);
	mnl_attr_put_u64(nlh, TCA_TBX_SEG_RATE, rate);
	mnl_attr_nest_end(nlh, s);
}

/* Fills TCA_OPTIONS' content for @scenario; false when unknown. */
static int scenario(struct nlmsghdr *nlh, const char *name)
{
	struct nlattr *p;

	if (!strcmp(name, "profile-empty")) {
		p = mnl_attr_nest_start(nlh, TCA_TBX_PROFILE);
		mnl_attr_put_u64(nlh, TCA_TBX_PROF_PERIOD, 1000000000);
		mnl_attr_nest_end(nlh, p);
	} else if (!strcmp(name, "profile-unordered")) {
		p = mnl_attr_nest_start(nlh, TCA_TBX_PROFILE);
		mnl_attr_put_u64(nlh, TCA_TBX_PROF_PERIOD, 3000000000);
		seg(nlh, 0, 1000000);
		seg(nlh, 2000000000, 1000000);
		seg(nlh, 1000000000, 1000000);
		mnl_attr_nest_end(nlh, p);
	} else if (!strcmp(name, "profile-not-at-zero")) {
		p = mnl_attr_nest_start(nlh, TCA_TBX_PROFILE);
		mnl_attr_put_u64(nlh, TCA_TBX_PROF_PERIOD, 3000000000);
		seg(nlh, 5, 1000000);
		mnl_attr_nest_end(nlh, p);
	} else if (!strcmp(name, "profile-past-period")) {
		p = mnl_attr_nest_start(nlh, TCA_TBX_PROFILE);
		mnl_attr_put_u64(nlh, TCA_TBX_PROF_PERIOD, 1000000000);
		seg(nlh, 0, 1000000);
		seg(nlh, 1000000000, 1000000);
		mnl_attr_nest_end(nlh, p);
	} else if (!strcmp(name, "profile-no-period")) {
		p = mnl_attr_nest_start(nlh, TCA_TBX_PROFILE);
		seg(nlh, 0, 1000000);
		mnl_attr_nest_end(nlh, p);
	} else if (!strcmp(name, "profile-count")) {
		p = mnl_attr_nest_start(nlh, TCA_TBX_PROFILE);
		mnl_attr_put_u64(nlh, TCA_TBX_PROF_PERIOD, 1000000000);
		mnl_attr_put_u32(nlh, TCA_TBX_PROF_COUNT, 1);
		seg(nlh, 0, 1000000);
		mnl_attr_nest_end(nlh, p);
	} else if (!strcmp(name, "profile-flat-nest")) {
		/* The nest without NLA_F_NESTED: strict parsing refuses it. */
		p = mnl_nlmsg_get_payload_tail(nlh);
		mnl_attr_put(nlh, TCA_TBX_PROFILE, 0, NULL);
		mnl_attr_put_u64(nlh, TCA_TBX_PROF_PERIOD, 1000000000);
		p->nla_len = (char *)mnl_nlmsg_get_payload_tail(nlh) - (char *)p;
	} else if (!strcmp(name, "unknown-attr")) {
		mnl_attr_put_u32(nlh, TCA_TBX_MAX + 1, 1);
	} else if (!strcmp(name, "short-rate")) {
		mnl_attr_put_u32(nlh, TCA_TBX_RATE, 1000000);
	} else if (!strcmp(name, "dist-unknown")) {
		mnl_attr_put_u8(nlh, TCA_TBX_DIST, TBX_LINK_DIST_MAX + 1);
	} else if (!strcmp(name, "rate-zero")) {
		mnl_attr_put_u64(nlh, TCA_TBX_RATE, 0);
	} else if (!strcmp(name, "loss-corr-big")) {
		mnl_attr_put_u32(nlh, TCA_TBX_LOSS, 10000);
		mnl_attr_put_u32(nlh, TCA_TBX_LOSS_CORR, 1000001);
	} else if (!strcmp(name, "two-models")) {
		p = mnl_attr_nest_start(nlh, TCA_TBX_LOSS_STATE);
		mnl_attr_put_u32(nlh, TCA_TBX_STATE_P13, 1000);
		mnl_attr_nest_end(nlh, p);
		p = mnl_attr_nest_start(nlh, TCA_TBX_LOSS_GEMODEL);
		mnl_attr_put_u32(nlh, TCA_TBX_GE_P, 1000);
		mnl_attr_nest_end(nlh, p);
	} else if (!strcmp(name, "model-and-loss")) {
		mnl_attr_put_u32(nlh, TCA_TBX_LOSS, 10000);
		p = mnl_attr_nest_start(nlh, TCA_TBX_LOSS_GEMODEL);
		mnl_attr_put_u32(nlh, TCA_TBX_GE_P, 1000);
		mnl_attr_nest_end(nlh, p);
	} else if (!strcmp(name, "state-no-p13")) {
		p = mnl_attr_nest_start(nlh, TCA_TBX_LOSS_STATE);
		mnl_attr_put_u32(nlh, TCA_TBX_STATE_P31, 1000);
		mnl_attr_nest_end(nlh, p);
	} else if (!strcmp(name, "ge-big")) {
		p = mnl_attr_nest_start(nlh, TCA_TBX_LOSS_GEMODEL);
		mnl_attr_put_u32(nlh, TCA_TBX_GE_P, 1000);
		mnl_attr_put_u32(nlh, TCA_TBX_GE_LOSS_BAD, 2000000);
		mnl_attr_nest_end(nlh, p);
	} else if (!strcmp(name, "gap-alone")) {
		mnl_attr_put_u32(nlh, TCA_TBX_GAP, 5);
	} else if (!strcmp(name, "slot-min-max")) {
		p = mnl_attr_nest_start(nlh, TCA_TBX_SLOT);
		mnl_attr_put_u64(nlh, TCA_TBX_SLOT_MIN_DELAY, 2000000);
		mnl_attr_put_u64(nlh, TCA_TBX_SLOT_MAX_DELAY, 1000000);
		mnl_attr_nest_end(nlh, p);
	} else if (!strcmp(name, "slot-no-jitter")) {
		p = mnl_attr_nest_start(nlh, TCA_TBX_SLOT);
		mnl_attr_put_u8(nlh, TCA_TBX_SLOT_DIST, TBX_LINK_DIST_NORMAL);
		mnl_attr_put_u64(nlh, TCA_TBX_SLOT_DELAY, 1000000);
		mnl_attr_nest_end(nlh, p);
	} else if (!strcmp(name, "table-odd")) {
		static const char three[3] = { 1, 2, 3 };

		mnl_attr_put(nlh, TCA_TBX_DIST_TABLE, sizeof(three), three);
	} else if (!strcmp(name, "table-and-dist")) {
		static const int16_t t[2] = { -8192, 8192 };

		mnl_attr_put(nlh, TCA_TBX_DIST_TABLE, sizeof(t), t);
		mnl_attr_put_u8(nlh, TCA_TBX_DIST, TBX_LINK_DIST_NORMAL);
	} else if (!strcmp(name, "dist-size")) {
		mnl_attr_put_u32(nlh, TCA_TBX_DIST_SIZE, 2);
	} else if (!strcmp(name, "short-seed")) {
		mnl_attr_put_u32(nlh, TCA_TBX_SEED, 7);
	} else if (!strcmp(name, "ecn-u32")) {
		mnl_attr_put_u32(nlh, TCA_TBX_ECN, 1);
	} else {
		return 0;
	}
	return 1;
}

int main(int argc, char **argv)
{
	const char *dev = getenv("LINK_RAW_DEV");
	static char buf[16384];
	struct mnl_socket *sk;
	struct nlmsghdr *nlh;
	struct nlattr *opts;
	struct tcmsg *t;
	int one = 1, ret;

	if (argc != 2 || !dev) {
		fprintf(stderr, "usage: LINK_RAW_DEV=DEV link_raw SCENARIO\n");
		return 1;
	}
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWQDISC;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = time(NULL);
	t = mnl_nlmsg_put_extra_header(nlh, sizeof(*t));
	t->tcm_family = AF_UNSPEC;
	t->tcm_ifindex = if_nametoindex(dev);
	t->tcm_parent = TC_H_ROOT;
	mnl_attr_put_strz(nlh, TCA_KIND, "tbx");
	opts = mnl_attr_nest_start(nlh, TCA_OPTIONS);
	if (!t->tcm_ifindex || !scenario(nlh, argv[1])) {
		fprintf(stderr, "link_raw: no device %s or no scenario %s\n", dev, argv[1]);
		return 1;
	}
	mnl_attr_nest_end(nlh, opts);

	sk = mnl_socket_open(NETLINK_ROUTE);
	if (!sk || mnl_socket_bind(sk, 0, MNL_SOCKET_AUTOPID) < 0)
		return perror("link_raw: socket"), 1;
	mnl_socket_setsockopt(sk, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(sk, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_sendto(sk, nlh, nlh->nlmsg_len) < 0)
		return perror("link_raw: send"), 1;
	ret = mnl_socket_recvfrom(sk, buf, sizeof(buf));
	if (ret < 0)
		return perror("link_raw: receive"), 1;
	nlh = (struct nlmsghdr *)buf;
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
		const struct nlattr *a;
		const char *msg = strerror(-e->error);

		if (!e->error)
			return 0;
		if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
			mnl_attr_for_each(a, nlh, sizeof(*e))
				if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG)
					msg = mnl_attr_get_str(a);
		fprintf(stderr, "Error: %s\n", msg);
		return 2;
	}
	return 1;
}
