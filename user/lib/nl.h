/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libtbx's generic netlink client for the "tbx" family (libmnl): resolves
 * the family (which autoloads tbx.ko), sends requests, turns extack into
 * messages and runs dumps, restarting those the kernel marks interrupted.
 */
#ifndef TBX_NL_H
#define TBX_NL_H

#include <stdint.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>

struct tbx_nl {
	struct mnl_socket *sk;
	uint16_t family;	/* resolved id of "tbx" */
	uint32_t version;	/* the family's version, as the kernel reports */
	uint32_t mcgrp_events;	/* id of the "events" group, 0 if absent */
	uint32_t portid;
	uint32_t seq;
	char *buf;		/* one request, then the replies */
	char *req;		/* a copy of the last request, for extack offsets */
	size_t req_len;
};

/* Called for each reply message; returns MNL_CB_OK, _STOP or _ERROR. */
typedef int (*tbx_nl_cb)(const struct nlmsghdr *nlh, void *data);

int tbx_nl_open(struct tbx_nl *nl);
void tbx_nl_close(struct tbx_nl *nl);

/* Starts a request for @cmd in nl->buf; add attributes with mnl_attr_put*. */
struct nlmsghdr *tbx_nl_request(struct tbx_nl *nl, uint8_t cmd, uint16_t flags);
/* Sends a do-request, waits for its reply (to @cb, may be NULL) and ack. */
int tbx_nl_do(struct tbx_nl *nl, struct nlmsghdr *req, tbx_nl_cb cb, void *data);
/*
 * Runs a dump. When the kernel marks it interrupted (the objects changed
 * under it), @reset (may be NULL) is called and the dump is run again.
 */
int tbx_nl_dump(struct tbx_nl *nl, struct nlmsghdr *req, tbx_nl_cb cb,
		void *data, void (*reset)(void *data));

/* Joins the "events" group; then tbx_nl_recv_events() delivers them. */
int tbx_nl_join_events(struct tbx_nl *nl);
/* Waits for events and hands each to @cb until it returns MNL_CB_STOP. */
int tbx_nl_recv_events(struct tbx_nl *nl, tbx_nl_cb cb, void *data);

/*
 * Names the attribute at byte offset @offs of a tbx request, e.g.
 * "config/max-runs", from the ABI's attribute tree. NULL when unknown.
 */
const char *tbx_nl_attr_path(const char *req, size_t req_len, uint32_t offs,
			     char *out, size_t outlen);

/* The payload (first attribute) of a tbx message. */
static inline struct nlattr *tbx_nl_attrs(const struct nlmsghdr *nlh)
{
	return mnl_nlmsg_get_payload_offset(nlh, sizeof(struct genlmsghdr));
}

#endif
