/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Profile enforcement's maps, shared by bpf/police.bpf.c and
 * user/lib/police.c. A sender (a cgroup, or a device's egress) owns one
 * slot of police_config and police_state and two of police_curves
 * (slot * 2 + 0/1):
 * a new profile is written into the curve not in use and then made live
 * by flipping `curve`, so a packet sees the old curve or the new one,
 * never half of each. next_send_ns is kept across the flip: a profile
 * change never lets a burst through.
 *
 * CBSAT's rule: a packet of b bits sent at t leaves only if
 * t >= next_send_ns; then next_send_ns = t + Delay(b, t)
 * (include/tbx/profile_curve.h). b counts the IP datagram (IP and
 * transport headers and payload), which is what CBSAT counts: its 36
 * header bytes are IPv4's 20, UDP's 8 and ROS's 8-byte transport header,
 * which on the wire is payload.
 */
#ifndef TBX_POLICE_H
#define TBX_POLICE_H

#include "tbx/profile_curve.h"

#define TBX_POLICE_SENDERS_MAX	256

enum tbx_police_kind {
	TBX_POLICE_CGROUP = 1,	/* cgroup_skb egress: the send fails with EPERM */
	TBX_POLICE_DEV = 2,	/* tc egress: the packet is dropped and counted */
};

struct tbx_police_count {
	__u64 packets;
	__u64 bits;
};

/* What user space sets; the program only reads it. */
struct tbx_police_config {
	__u32 active;		/* the slot is in use */
	__u32 curve;		/* 0 or 1: which of the sender's curves is live */
	__u32 off;		/* switched off by push-back: every packet refused */
	__u32 kind;		/* enum tbx_police_kind */
	__u64 start_ns;		/* the profile's phase 0, CLOCK_MONOTONIC */
	__u64 uuid;		/* the profile's uuid, the push-back channel's name */
	__u64 cgroup_id;	/* TBX_POLICE_CGROUP: the cgroup's id (inode) */
	__u64 netns_ino;	/* TBX_POLICE_DEV: the device's namespace */
	__u32 ifindex;		/* TBX_POLICE_DEV: the device */
	__u32 tc_handle;	/* TBX_POLICE_DEV: the filter's handle and priority */
	__u32 tc_priority;
	__u32 prog_id;		/* the program attached for this sender */
	char name[32];		/* the sender's name, as `tbx enforce` shows it */
};

/*
 * What the program writes, with atomic adds and a compare-and-exchange on
 * next_send_ns: kept apart from the configuration so that user space
 * changing a profile never writes back a stale next_send_ns. The lock is
 * only for user space, which writes a fresh slot whole and reads it with
 * BPF_F_LOCK.
 */
struct tbx_police_state {
#ifdef __bpf__
	struct bpf_spin_lock lock;
#else
	__u32 lock;
#endif
	__u32 pad;
	__u64 next_send_ns;	/* CLOCK_MONOTONIC, bpf_ktime_get_ns() */
	struct tbx_police_count sent;		/* let through */
	struct tbx_police_count exceeded;	/* refused: before next_send_ns */
	struct tbx_police_count refused_off;	/* refused: switched off */
};

#endif
