// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/netlink.h>

#include <linux/tbx.h>

#include "err.h"
#include "nl.h"

/* Big enough for a dump skb of any page size, as libmnl advises. */
#define TBX_NL_BUFSZ		32768
#define TBX_NL_DUMP_RETRIES	8

/* --- attribute names, for error messages -------------------------------- */

struct attr_name {
	uint16_t type;
	const char *name;
	const struct attr_name *nested;	/* names inside, when a nest */
};

static const struct attr_name config_names[] = {
	{ TBX_CONFIG_A_MAX_RUNS, "max-runs", NULL },
	{ TBX_CONFIG_A_MEM_GUARD_PCT, "mem-guard", NULL },
	{ TBX_CONFIG_A_EVENTS, "events", NULL },
	{ 0, NULL, NULL },
};

static const struct attr_name cpu_names[] = {
	{ TBX_CPU_A_LEVEL, "level", NULL },
	{ TBX_CPU_A_MODE, "mode", NULL },
	{ TBX_CPU_A_CPUS, "cpus", NULL },
	{ TBX_CPU_A_COUNT, "count", NULL },
	{ TBX_CPU_A_CPU_TIME, "cpu-time", NULL },
	{ 0, NULL, NULL },
};

static const struct attr_name mem_names[] = {
	{ TBX_MEM_A_BYTES, "bytes", NULL },
	{ TBX_MEM_A_RETOUCH, "retouch", NULL },
	{ TBX_MEM_A_HELD, "held", NULL },
	{ TBX_MEM_A_PASSES, "passes", NULL },
	{ 0, NULL, NULL },
};

static const struct attr_name segment_names[] = {
	{ TBX_SEGMENT_A_OFFSET, "offset", NULL },
	{ TBX_SEGMENT_A_RATE_BPS, "rate-bps", NULL },
	{ 0, NULL, NULL },
};

static const struct attr_name profile_names[] = {
	{ TBX_PROFILE_A_PERIOD, "period", NULL },
	{ TBX_PROFILE_A_SEGMENT, "segment", segment_names },
	{ 0, NULL, NULL },
};

static const struct attr_name net_names[] = {
	{ TBX_NET_A_IFINDEX, "ifindex", NULL },
	{ TBX_NET_A_IFNAME, "ifname", NULL },
	{ TBX_NET_A_PATTERN, "pattern", NULL },
	{ TBX_NET_A_RATE_PPS, "rate-pps", NULL },
	{ TBX_NET_A_RATE_BPS, "rate-bps", NULL },
	{ TBX_NET_A_SIZE, "size", NULL },
	{ TBX_NET_A_DST, "dst", NULL },
	{ TBX_NET_A_DST_PORT, "port", NULL },
	{ TBX_NET_A_SRC_MIN, "src-min", NULL },
	{ TBX_NET_A_SRC_MAX, "src-max", NULL },
	{ TBX_NET_A_DST_MAC, "dst-mac", NULL },
	{ TBX_NET_A_PROFILE, "profile", profile_names },
	{ TBX_NET_A_PACKETS, "packets", NULL },
	{ TBX_NET_A_BYTES, "bytes", NULL },
	{ TBX_NET_A_DROPS, "drops", NULL },
	{ TBX_NET_A_TX_START, "tx-start", NULL },
	{ 0, NULL, NULL },
};

static const struct attr_name run_names[] = {
	{ TBX_RUN_A_ID, "id", NULL },
	{ TBX_RUN_A_KIND, "kind", NULL },
	{ TBX_RUN_A_STATE, "state", NULL },
	{ TBX_RUN_A_EVENT, "event", NULL },
	{ TBX_RUN_A_OWNER, "owner", NULL },
	{ TBX_RUN_A_START, "start", NULL },
	{ TBX_RUN_A_DURATION, "duration", NULL },
	{ TBX_RUN_A_FORCE, "force", NULL },
	{ TBX_RUN_A_CREATED, "created", NULL },
	{ TBX_RUN_A_STARTED, "started", NULL },
	{ TBX_RUN_A_ENDED, "ended", NULL },
	{ TBX_RUN_A_MESSAGE, "message", NULL },
	{ TBX_RUN_A_CPU, "cpu", cpu_names },
	{ TBX_RUN_A_MEM, "mem", mem_names },
	{ TBX_RUN_A_NET, "net", net_names },
	{ 0, NULL, NULL },
};

static const struct attr_name top_names[] = {
	{ TBX_A_INFO, "info", NULL },
	{ TBX_A_FEATURE, "feature", NULL },
	{ TBX_A_CONFIG, "config", config_names },
	{ TBX_A_RUN, "run", run_names },
	{ 0, NULL, NULL },
};

static const struct attr_name *attr_lookup(const struct attr_name *t, uint16_t type)
{
	for (; t && t->name; t++)
		if (t->type == type)
			return t;
	return NULL;
}

/* Walks the attributes in [start, end) looking for the one at @offs. */
static bool attr_path_walk(const char *base, size_t start, size_t end,
			   uint32_t offs, const struct attr_name *names,
			   char *out, size_t outlen)
{
	size_t pos = start;

	while (pos + sizeof(struct nlattr) <= end) {
		const struct nlattr *a = (const void *)(base + pos);
		uint16_t type = a->nla_type & NLA_TYPE_MASK;
		const struct attr_name *n = attr_lookup(names, type);
		size_t used = strlen(out);

		if (a->nla_len < sizeof(*a) || pos + a->nla_len > end)
			return false;
		snprintf(out + used, outlen - used, "%s%s", used ? "/" : "",
			 n ? n->name : "?");
		if (pos == offs)
			return true;
		if (n && n->nested && offs > pos && offs < pos + a->nla_len &&
		    attr_path_walk(base, pos + NLA_HDRLEN, pos + a->nla_len,
				   offs, n->nested, out, outlen))
			return true;
		out[used] = '\0';
		pos += NLA_ALIGN(a->nla_len);
	}
	return false;
}

const char *tbx_nl_attr_path(const char *req, size_t req_len, uint32_t offs,
			     char *out, size_t outlen)
{
	size_t first = NLMSG_HDRLEN + GENL_HDRLEN;

	if (!req || !outlen || offs < first || offs >= req_len)
		return NULL;
	out[0] = '\0';
	return attr_path_walk(req, first, req_len, offs, top_names, out, outlen)
		? out : NULL;
}

/* --- errors ------------------------------------------------------------ */

/*
 * Turns an NLMSG_ERROR into errno and, when the kernel sent extack, a
 * message naming the bad attribute; the way iproute2 reports them.
 */
static int on_error(const struct nlmsghdr *nlh, void *data)
{
	struct tbx_nl *nl = data;
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	const char *msg = NULL;
	uint32_t offs = 0;
	bool have_offs = false;
	int miss_type = -1;
	const struct nlattr *a;
	char path[128];
	size_t skip;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e))) {
		errno = EBADMSG;
		tbx_err(EBADMSG, "truncated netlink error message");
		return MNL_CB_ERROR;
	}
	if (e->error == 0)
		return MNL_CB_STOP;	/* the ack */

	skip = sizeof(*e);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		skip += e->msg.nlmsg_len - sizeof(e->msg);
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		mnl_attr_for_each(a, nlh, skip) {
			switch (mnl_attr_get_type(a)) {
			case NLMSGERR_ATTR_MSG:
				if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
					msg = mnl_attr_get_str(a);
				break;
			case NLMSGERR_ATTR_OFFS:
				if (mnl_attr_validate(a, MNL_TYPE_U32) == 0) {
					offs = mnl_attr_get_u32(a);
					have_offs = true;
				}
				break;
			case NLMSGERR_ATTR_MISS_TYPE:
				if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
					miss_type = mnl_attr_get_u32(a);
				break;
			}
		}
	}

	errno = -e->error;
	if (msg && have_offs &&
	    tbx_nl_attr_path(nl->req, nl->req_len, offs, path, sizeof(path)) &&
	    !strstr(msg, path))
		tbx_err(errno, "%s (attribute %s)", msg, path);
	else if (msg)
		tbx_err(errno, "%s", msg);
	else if (miss_type >= 0) {
		const struct attr_name *n = attr_lookup(top_names, miss_type);

		tbx_err(errno, "missing attribute %s", n ? n->name : "?");
	} else
		tbx_err(errno, "%s", strerror(errno));
	return MNL_CB_ERROR;
}

/* --- requests ---------------------------------------------------------- */

struct nlmsghdr *tbx_nl_request(struct tbx_nl *nl, uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = nl->family;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++nl->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = TBX_GENL_VERSION;
	return nlh;
}

struct run_state {
	struct tbx_nl *nl;
	tbx_nl_cb cb;
	void *data;
	bool interrupted;
};

static int on_data(const struct nlmsghdr *nlh, void *data)
{
	struct run_state *st = data;

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		st->interrupted = true;
	if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN) {
		tbx_err(EBADMSG, "short reply from the tbx family");
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	return st->cb ? st->cb(nlh, st->data) : MNL_CB_OK;
}

static int on_error_ctl(const struct nlmsghdr *nlh, void *data)
{
	struct run_state *st = data;

	return on_error(nlh, st->nl);
}

static int on_done(const struct nlmsghdr *nlh, void *data)
{
	struct run_state *st = data;
	int err = 0;

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		st->interrupted = true;
	/* A dump that failed midway carries its error in DONE. */
	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(int))
		memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	if (err < 0) {
		errno = -err;
		tbx_err(errno, "dump failed: %s", strerror(errno));
		return MNL_CB_ERROR;
	}
	return MNL_CB_STOP;
}

static int send_and_run(struct tbx_nl *nl, struct nlmsghdr *req,
			struct run_state *st)
{
	static mnl_cb_t ctl[NLMSG_MIN_TYPE] = {
		[NLMSG_ERROR] = on_error_ctl,
		[NLMSG_DONE] = on_done,
	};
	uint32_t seq = req->nlmsg_seq;
	int ret;

	/* Keep the request: extack offsets point into it. */
	free(nl->req);
	nl->req_len = req->nlmsg_len;
	nl->req = malloc(nl->req_len);
	if (!nl->req)
		return tbx_err(ENOMEM, "out of memory");
	memcpy(nl->req, req, nl->req_len);

	if (mnl_socket_sendto(nl->sk, req, req->nlmsg_len) < 0)
		return tbx_err(errno, "netlink send: %s", strerror(errno));
	do {
		ret = mnl_socket_recvfrom(nl->sk, nl->buf, TBX_NL_BUFSZ);
		if (ret < 0)
			return tbx_err(errno, "netlink receive: %s", strerror(errno));
		ret = mnl_cb_run2(nl->buf, ret, seq, nl->portid, on_data, st,
				  ctl, NLMSG_MIN_TYPE);
	} while (ret == MNL_CB_OK);
	if (ret == MNL_CB_ERROR) {
		int err = errno ? errno : EPROTO;

		if (!tbx_errmsg()[0])
			tbx_err(err, "%s", strerror(err));
		return -err;
	}
	return 0;
}

int tbx_nl_do(struct tbx_nl *nl, struct nlmsghdr *req, tbx_nl_cb cb, void *data)
{
	struct run_state st = { .nl = nl, .cb = cb, .data = data };

	tbx_err_clear();
	req->nlmsg_flags |= NLM_F_ACK;
	return send_and_run(nl, req, &st);
}

int tbx_nl_dump(struct tbx_nl *nl, struct nlmsghdr *req, tbx_nl_cb cb,
		void *data, void (*reset)(void *data))
{
	int tries;

	req->nlmsg_flags |= NLM_F_DUMP;
	for (tries = 0; tries < TBX_NL_DUMP_RETRIES; tries++) {
		struct run_state st = { .nl = nl, .cb = cb, .data = data };
		int err;

		tbx_err_clear();
		req->nlmsg_seq = ++nl->seq;
		err = send_and_run(nl, req, &st);
		if (err || !st.interrupted)
			return err;
		if (reset)
			reset(data);
	}
	return tbx_err(EAGAIN, "dump interrupted %d times: objects change too fast",
		       TBX_NL_DUMP_RETRIES);
}

/* --- family resolution ------------------------------------------------- */

static int on_mcgrp(const struct nlattr *grp, struct tbx_nl *nl)
{
	const struct nlattr *a;
	const char *name = NULL;
	uint32_t id = 0;

	mnl_attr_for_each_nested(a, grp) {
		switch (mnl_attr_get_type(a)) {
		case CTRL_ATTR_MCAST_GRP_NAME:
			if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
				return -1;
			name = mnl_attr_get_str(a);
			break;
		case CTRL_ATTR_MCAST_GRP_ID:
			if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
				return -1;
			id = mnl_attr_get_u32(a);
			break;
		}
	}
	if (name && !strcmp(name, TBX_GENL_MCGRP_EVENTS))
		nl->mcgrp_events = id;
	return 0;
}

static int on_family(const struct nlmsghdr *nlh, void *data)
{
	struct tbx_nl *nl = data;
	const struct nlattr *a, *g;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		switch (mnl_attr_get_type(a)) {
		case CTRL_ATTR_FAMILY_ID:
			if (mnl_attr_validate(a, MNL_TYPE_U16) < 0)
				goto bad;
			nl->family = mnl_attr_get_u16(a);
			break;
		case CTRL_ATTR_VERSION:
			if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
				goto bad;
			nl->version = mnl_attr_get_u32(a);
			break;
		case CTRL_ATTR_MCAST_GROUPS:
			if (mnl_attr_validate(a, MNL_TYPE_NESTED) < 0)
				goto bad;
			mnl_attr_for_each_nested(g, a)
				if (mnl_attr_validate(g, MNL_TYPE_NESTED) < 0 ||
				    on_mcgrp(g, nl) < 0)
					goto bad;
			break;
		}
	}
	return MNL_CB_OK;
bad:
	tbx_err(EBADMSG, "malformed reply from the netlink controller");
	errno = EBADMSG;
	return MNL_CB_ERROR;
}

static int resolve_family(struct tbx_nl *nl)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	struct run_state st = { .nl = nl, .cb = on_family, .data = nl };
	int err;

	nlh = mnl_nlmsg_put_header(nl->buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++nl->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, TBX_GENL_NAME);

	err = send_and_run(nl, nlh, &st);
	if (err == -ENOENT)
		return tbx_err(ENOENT, "the tbx module is not loaded and could not be "
			       "loaded (generic netlink family \"%s\" not found)",
			       TBX_GENL_NAME);
	if (err)
		return err;
	if (!nl->family)
		return tbx_err(EPROTO, "the controller did not report the id of \"%s\"",
			       TBX_GENL_NAME);
	return 0;
}

int tbx_nl_open(struct tbx_nl *nl)
{
	int one = 1, err;

	memset(nl, 0, sizeof(*nl));
	nl->buf = malloc(TBX_NL_BUFSZ);
	if (!nl->buf)
		return tbx_err(ENOMEM, "out of memory");
	nl->sk = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sk) {
		err = tbx_err(errno, "netlink socket: %s", strerror(errno));
		goto fail;
	}
	/* Extended acks carry the kernel's messages; capped acks keep them small. */
	mnl_socket_setsockopt(nl->sk, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sk, NETLINK_CAP_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sk, NETLINK_GET_STRICT_CHK, &one, sizeof(one));
	if (mnl_socket_bind(nl->sk, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = tbx_err(errno, "netlink bind: %s", strerror(errno));
		goto fail;
	}
	nl->portid = mnl_socket_get_portid(nl->sk);
	nl->seq = time(NULL);
	err = resolve_family(nl);
	if (err)
		goto fail;
	return 0;
fail:
	tbx_nl_close(nl);
	return err;
}

void tbx_nl_close(struct tbx_nl *nl)
{
	if (nl->sk)
		mnl_socket_close(nl->sk);
	free(nl->buf);
	free(nl->req);
	memset(nl, 0, sizeof(*nl));
}

/* --- events ------------------------------------------------------------ */

int tbx_nl_join_events(struct tbx_nl *nl)
{
	int grp = nl->mcgrp_events;

	if (!grp)
		return tbx_err(ENOENT, "the tbx family has no \"%s\" group",
			       TBX_GENL_MCGRP_EVENTS);
	if (mnl_socket_setsockopt(nl->sk, NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp)) < 0)
		return tbx_err(errno, "join group \"%s\": %s",
			       TBX_GENL_MCGRP_EVENTS, strerror(errno));
	return 0;
}

int tbx_nl_recv_events(struct tbx_nl *nl, tbx_nl_cb cb, void *data)
{
	struct run_state st = { .nl = nl, .cb = cb, .data = data };
	int ret;

	do {
		ret = mnl_socket_recvfrom(nl->sk, nl->buf, TBX_NL_BUFSZ);
		if (ret < 0) {
			/* Events are best effort: a full socket drops some. */
			if (errno == ENOBUFS) {
				fprintf(stderr, "tbx: events lost (receive buffer full)\n");
				ret = MNL_CB_OK;
				continue;
			}
			return tbx_err(errno, "netlink receive: %s", strerror(errno));
		}
		/* Events carry sequence 0 and port 0: match any. */
		ret = mnl_cb_run(nl->buf, ret, 0, 0, on_data, &st);
	} while (ret == MNL_CB_OK);
	return ret == MNL_CB_ERROR ? -(errno ? errno : EPROTO) : 0;
}
