/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The meter's maps, shared by bpf/meter.bpf.c and user/lib/meter.c.
 *
 * counters: a per-CPU array keyed by TBX_METER_KEY(dir, class); each
 * value counts the packets and bytes (skb->len, the L2 frame as tc sees
 * it) one direction saw for one L3 class. User space sums the CPUs.
 *
 * state: one entry describing the attachment, written by user space at
 * attach and read at detach. It lives in a map rather than a file because
 * the BPF file system holds only BPF objects and directories.
 */
#ifndef TBX_METER_H
#define TBX_METER_H

#ifdef __bpf__
#ifndef __VMLINUX_H__
#error "include vmlinux.h before tbx/meter.h"
#endif
#else
#include <linux/types.h>
#endif

enum tbx_meter_dir {
	TBX_METER_INGRESS,
	TBX_METER_EGRESS,
	TBX_METER_DIR_MAX,
};

/* Classified by the ethertype, looking through up to two VLAN tags. */
enum tbx_meter_class {
	TBX_METER_IPV4,
	TBX_METER_IPV6,
	TBX_METER_ARP,
	TBX_METER_OTHER,
	TBX_METER_CLASS_MAX,
};

#define TBX_METER_KEY(dir, cls)	((dir) * TBX_METER_CLASS_MAX + (cls))
#define TBX_METER_NKEYS		(TBX_METER_DIR_MAX * TBX_METER_CLASS_MAX)

struct tbx_meter_count {
	__u64 packets;
	__u64 bytes;
};

/* state.flags */
#define TBX_METER_F_QDISC_CREATED	(1U << 0)	/* detach may remove clsact */

struct tbx_meter_state {
	__u32 ifindex;
	__u32 flags;
	__u32 handle;		/* of both tc filters */
	__u32 priority;
	__u32 prog_id[TBX_METER_DIR_MAX];	/* detach removes only these */
	__u64 netns_ino;	/* the network namespace the device is in */
};

#endif
