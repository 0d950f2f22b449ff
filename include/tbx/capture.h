/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Packet capture records, shared by bpf/capture.bpf.c (which writes one
 * per packet into a BPF ring buffer) and user/lib/tap/capture*.c (which
 * writes them to pcap files).
 */
#ifndef TBX_CAPTURE_H
#define TBX_CAPTURE_H

#ifdef __bpf__
#ifndef __VMLINUX_H__
#error "include vmlinux.h before tbx/capture.h"
#endif
#else
#include <linux/types.h>
#endif

/* Largest snap length: a jumbo frame. */
#define TBX_CAP_SNAP_MAX	9216

struct tbx_cap_rec {
	__u64 ts_ns;		/* CLOCK_REALTIME */
	__u32 len;		/* on the wire (skb->len) */
	__u32 caplen;		/* bytes that follow */
	__u16 vlan_proto;	/* a tag the stack took out of the frame, */
	__u16 vlan_tci;		/* to put back (0: none) */
	__u8 egress;
	__u8 pad[3];
	/* caplen bytes of the frame follow */
};

struct tbx_cap_stats {
	__u64 packets;		/* seen */
	__u64 dropped;		/* ring buffer full */
};

#endif
