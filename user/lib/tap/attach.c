// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Putting the tap on a device and taking it off: tc clsact filters
 * (ingress, egress) or an XDP program. Detach removes only what attach
 * put there and still runs our program, and clsact only when attach
 * created it and no filter is left on it.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpf/tap.skel.h"
#include "clsact.h"
#include "err.h"
#include "tap/session.h"

static const struct {
	__u32 flag;
	enum bpf_tc_attach_point point;
	const char *name;
} hooks[] = {
	{ TBX_TAP_F_INGRESS, BPF_TC_INGRESS, "ingress" },
	{ TBX_TAP_F_EGRESS, BPF_TC_EGRESS, "egress" },
};

/* libbpf prints tc's extack; keep the tap's own error instead. */
static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

static void hook_init(struct bpf_tc_hook *h, int ifindex, enum bpf_tc_attach_point p)
{
	memset(h, 0, sizeof(*h));
	h->sz = sizeof(*h);
	h->ifindex = ifindex;
	h->attach_point = p;
}

static void opts_init(struct bpf_tc_opts *o, int prog_fd)
{
	memset(o, 0, sizeof(*o));
	o->sz = sizeof(*o);
	o->prog_fd = prog_fd;
	o->handle = TBX_TAP_TC_HANDLE;
	o->priority = TBX_TAP_TC_PRIO;
}

static int tc_detach(struct tbx_tap *tap)
{
	struct bpf_tc_hook h;
	struct bpf_tc_opts o;
	int err;

	for (size_t i = 0; i < sizeof(hooks) / sizeof(hooks[0]); i++) {
		if (!(tap->st.flags & hooks[i].flag))
			continue;
		hook_init(&h, tap->st.ifindex, hooks[i].point);
		opts_init(&o, 0);
		err = bpf_tc_query(&h, &o);
		if (err == -ENOENT || err == -EINVAL)	/* gone with clsact or the device */
			continue;
		if (err)
			return tbx_err(err, "tap: query %s %s: %s", tap->ifname,
				       hooks[i].name, strerror(-err));
		if (o.prog_id != tap->st.prog_id[0])
			continue;	/* replaced: not ours any more */
		opts_init(&o, 0);
		err = bpf_tc_detach(&h, &o);
		if (err && err != -ENOENT)
			return tbx_err(err, "tap: detach %s %s: %s", tap->ifname,
				       hooks[i].name, strerror(-err));
	}
	if (tap->st.flags & TBX_TAP_F_QDISC_CREATED)
		return tbx_clsact_release("tap", tap->st.ifindex);
	return 0;
}

static int tc_attach(struct tbx_tap *tap)
{
	int fd = bpf_program__fd(tap->skel->progs.tap_tc), err;
	struct bpf_tc_hook h;
	struct bpf_tc_opts o;

	hook_init(&h, tap->st.ifindex, BPF_TC_INGRESS | BPF_TC_EGRESS);
	err = bpf_tc_hook_create(&h);
	if (!err) {
		tap->st.flags |= TBX_TAP_F_QDISC_CREATED;
		err = tap_write_state(tap);
		if (err)
			return err;
	} else if (err != -EEXIST) {
		return tbx_err(err, "tap: create clsact on %s: %s", tap->ifname,
			       strerror(-err));
	}
	for (size_t i = 0; i < sizeof(hooks) / sizeof(hooks[0]); i++) {
		if (!(tap->st.flags & hooks[i].flag))
			continue;
		hook_init(&h, tap->st.ifindex, hooks[i].point);
		opts_init(&o, fd);
		err = bpf_tc_attach(&h, &o);
		if (err == -EEXIST)
			return tbx_err(err, "tap: %s %s already has a tap (tc pref %u "
				       "handle %#x); \"tbx tap stats\" lists the sessions",
				       tap->ifname, hooks[i].name, TBX_TAP_TC_PRIO,
				       TBX_TAP_TC_HANDLE);
		if (err)
			return tbx_err(err, "tap: attach to %s %s: %s", tap->ifname,
				       hooks[i].name, strerror(-err));
	}
	return 0;
}

static int xdp_attach(struct tbx_tap *tap)
{
	int fd = bpf_program__fd(tap->skel->progs.tap_xdp);
	int err = bpf_xdp_attach(tap->st.ifindex, fd, XDP_FLAGS_UPDATE_IF_NOEXIST, NULL);

	if (err == -EBUSY || err == -EEXIST)
		return tbx_err(err, "tap: %s already runs an XDP program", tap->ifname);
	if (err)
		return tbx_err(err, "tap: attach XDP to %s: %s", tap->ifname, strerror(-err));
	return 0;
}

static int xdp_detach(struct tbx_tap *tap)
{
	LIBBPF_OPTS(bpf_xdp_attach_opts, o,
		.old_prog_fd = tap->xdp_fd);
	int err = bpf_xdp_detach(tap->st.ifindex, XDP_FLAGS_REPLACE, &o);

	/* ENODEV: the device is gone; EEXIST: another program replaced ours */
	if (err && err != -ENODEV && err != -EEXIST && err != -ENOENT)
		return tbx_err(err, "tap: detach XDP from %s: %s", tap->ifname,
			       strerror(-err));
	return 0;
}

int tap_attach(struct tbx_tap *tap)
{
	libbpf_print_fn_t print = libbpf_set_print(quiet);
	int err;

	err = tap->st.flags & TBX_TAP_F_XDP ? xdp_attach(tap) : tc_attach(tap);
	if (err) {
		char msg[512];

		snprintf(msg, sizeof(msg), "%s", tbx_errmsg());
		tap->attached = true;
		tap_detach(tap);
		err = tbx_err(err, "%s", msg);
	} else {
		tap->attached = true;
	}
	libbpf_set_print(print);
	return err;
}

int tap_detach(struct tbx_tap *tap)
{
	libbpf_print_fn_t print;
	char name[IF_NAMESIZE];
	int err = 0;

	if (!tap->attached)
		return 0;
	print = libbpf_set_print(quiet);
	/* A device that is gone took its hooks with it. */
	if (if_indextoname(tap->st.ifindex, name))
		err = tap->st.flags & TBX_TAP_F_XDP ? xdp_detach(tap) : tc_detach(tap);
	libbpf_set_print(print);
	if (!err)
		tap->attached = false;
	return err;
}
