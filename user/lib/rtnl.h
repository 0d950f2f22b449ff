/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One rtnetlink socket (libmnl) for libtbx's requests: the qdisc
 * (link.c) and devices (netdev.c). It lives in the network namespace of
 * the thread that opened it, whatever that thread enters afterwards.
 */
#ifndef TBX_RTNL_H
#define TBX_RTNL_H

#include <stdint.h>
#include <libmnl/libmnl.h>

/* Requests carry a whole link profile: 1024 segments fit in 64 KiB. */
#define TBX_RTNL_BUF	(96 * 1024)

struct tbx_rtnl {
	struct mnl_socket *sk;
	uint32_t portid, seq;
	char *buf;		/* one request, then the replies */
};

int tbx_rtnl_open(struct tbx_rtnl *r);
void tbx_rtnl_close(struct tbx_rtnl *r);
/* A request header of @type in r->buf, with the next sequence number. */
struct nlmsghdr *tbx_rtnl_request(struct tbx_rtnl *r, uint16_t type,
				  uint16_t flags);
/*
 * Sends @req and reads the replies (to @cb, may be NULL) up to its ack
 * or the dump's end. The kernel's extack message, if any, becomes
 * tbx_errmsg().
 */
int tbx_rtnl_talk(struct tbx_rtnl *r, struct nlmsghdr *req, mnl_cb_t cb,
		  void *data);

/* One request @nlh (built anywhere) on a socket opened and closed for it. */
int tbx_rtnl_once(struct nlmsghdr *nlh, mnl_cb_t cb, void *data);

#endif
