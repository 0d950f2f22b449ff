/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The tap's maps, shared by bpf/tap.bpf.c and user/lib/tap/.
 *
 * counts: a per-CPU hash of (interval number, flowtuple key) -> packets
 * (each CPU counts in its own slot, user space sums them). The
 * interval number is computed in BPF from the packet's time, so a packet
 * is counted in exactly one interval whatever user space is doing; user
 * space drains (lookup-and-delete) only intervals that are closed.
 * stats: per-CPU counters; overflow counts packets a full counts map
 * could not take (they go in the trailer's dropped count).
 * epoch: a one-slot array, the first packet's time (0: none yet), set
 * once by compare-and-swap by whichever CPU sees it first.
 * state: the session, written by user space, for `tbx tap stats`.
 */
#ifndef TBX_TAP_H
#define TBX_TAP_H

#ifdef __bpf__
#ifndef __VMLINUX_H__
#error "include vmlinux.h before tbx/tap.h"
#endif
#else
#include <linux/types.h>
#endif

#include "tbx/flowtuple.h"

struct tbx_tap_key {
	__u32 interval;		/* from 0, the first packet's interval */
	struct tbx_ft_key ft;
};

struct tbx_tap_value {
	__u64 packets;
};

struct tbx_tap_stats {
	__u64 packets;		/* every frame the tap saw */
	__u64 ipv4;		/* tupled */
	__u64 ipv6;		/* counted only */
	__u64 other;		/* non-IP, truncated IPv4 */
	__u64 overflow;		/* IPv4 packets the full counts map lost */
	__u64 last_ns;		/* latest packet, CLOCK_REALTIME ns */
	__u64 dos_lost;		/* backscatter packets the full ring lost */
};

/*
 * With the DoS plugin on, every backscatter frame also goes up whole
 * (from its first byte, as Corsaro stores it; at most TBX_TAP_DOS_SNAP
 * bytes) through the pkts ring buffer, with its interval, for the
 * plugin's attack vectors.
 */
#define TBX_TAP_DOS_SNAP	1536

struct tbx_tap_pkt {
	__u32 interval;
	__u32 sec, usec;
	__u32 caplen;		/* bytes that follow */
	__u32 wirelen;		/* the frame's length */
	__u16 vlan_proto;	/* a tag the stack took out of the frame, to */
	__u16 vlan_tci;		/* put back: proto as its wire bytes (0: none) */
};

struct tbx_tap_epoch {
	__u64 first_ns;		/* first packet, CLOCK_REALTIME ns */
};

/* state.flags */
#define TBX_TAP_F_INGRESS	(1U << 0)
#define TBX_TAP_F_EGRESS	(1U << 1)
#define TBX_TAP_F_XDP		(1U << 2)
#define TBX_TAP_F_QDISC_CREATED	(1U << 3)

struct tbx_tap_state {
	__u32 ifindex;
	__u32 flags;
	__u32 pid;		/* the process draining the maps */
	__u32 interval;		/* seconds */
	__u32 align;
	__u32 max_tuples;
	__u64 late;		/* drained after their interval was written */
	__u64 netns_ino;
	__u32 prog_id[2];	/* tc, xdp: detach removes only these */
};

#endif
