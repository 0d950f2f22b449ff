// SPDX-License-Identifier: GPL-2.0-or-later
/* libtbx's rtnetlink socket (rtnl.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/rtnetlink.h>

#include "err.h"
#include "rtnl.h"

int tbx_rtnl_open(struct tbx_rtnl *r)
{
	int one = 1;

	r->buf = malloc(TBX_RTNL_BUF);
	r->sk = mnl_socket_open(NETLINK_ROUTE);
	if (!r->buf || !r->sk || mnl_socket_bind(r->sk, 0, MNL_SOCKET_AUTOPID) < 0) {
		int err = errno ? errno : ENOMEM;

		if (r->sk)
			mnl_socket_close(r->sk);
		free(r->buf);
		return tbx_err(err, "rtnetlink: %s", strerror(err));
	}
	mnl_socket_setsockopt(r->sk, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(r->sk, NETLINK_CAP_ACK, &one, sizeof(one));
	r->portid = mnl_socket_get_portid(r->sk);
	r->seq = time(NULL);
	return 0;
}

void tbx_rtnl_close(struct tbx_rtnl *r)
{
	mnl_socket_close(r->sk);
	free(r->buf);
}

struct nlmsghdr *tbx_rtnl_request(struct tbx_rtnl *r, uint16_t type,
				  uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(r->buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++r->seq;
	return nlh;
}

/* NLMSG_ERROR to errno and the kernel's extack message, if any. */
static int on_error(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	const char *msg = NULL;
	const struct nlattr *a;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
		return tbx_err(EBADMSG, "truncated netlink error"), MNL_CB_ERROR;
	if (!e->error)
		return MNL_CB_STOP;
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		size_t skip = sizeof(*e);

		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			skip += e->msg.nlmsg_len - sizeof(e->msg);
		mnl_attr_for_each(a, nlh, skip)
			if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
			    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
				msg = mnl_attr_get_str(a);
	}
	errno = -e->error;
	if (msg)
		tbx_err(errno, "%s", msg);
	else
		tbx_err(errno, "%s", strerror(errno));
	return MNL_CB_ERROR;
}

static int on_done(const struct nlmsghdr *nlh, void *data)
{
	return MNL_CB_STOP;
}

int tbx_rtnl_talk(struct tbx_rtnl *r, struct nlmsghdr *req, mnl_cb_t cb,
		  void *data)
{
	mnl_cb_t ctl[NLMSG_MIN_TYPE] = {
		[NLMSG_ERROR] = on_error,
		[NLMSG_DONE] = on_done,
	};
	uint32_t seq = req->nlmsg_seq;
	int ret;

	if (mnl_socket_sendto(r->sk, req, req->nlmsg_len) < 0)
		return tbx_err(errno, "rtnetlink send: %s", strerror(errno));
	do {
		ret = mnl_socket_recvfrom(r->sk, r->buf, TBX_RTNL_BUF);
		if (ret < 0)
			return tbx_err(errno, "rtnetlink receive: %s", strerror(errno));
		tbx_err_clear();
		ret = mnl_cb_run2(r->buf, ret, seq, r->portid, cb, data, ctl,
				  NLMSG_MIN_TYPE);
	} while (ret > 0);
	if (ret < 0)
		return tbx_errmsg()[0] ? -errno : tbx_err(errno, "rtnetlink: %s", strerror(errno));
	return 0;
}

int tbx_rtnl_once(struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	struct tbx_rtnl r;
	int err = tbx_rtnl_open(&r);

	if (err)
		return err;
	nlh->nlmsg_seq = ++r.seq;
	err = tbx_rtnl_talk(&r, nlh, cb, data);
	tbx_rtnl_close(&r);
	return err;
}
