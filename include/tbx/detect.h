/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Receiver-side detection's maps, shared by bpf/detect.bpf.c and tbxd's
 * detector (user/tbxd/detector.c). One program instance (its own maps)
 * per receiver.
 *
 * CBSAT's receiver: what arrives goes into a finite buffer (capacity in
 * bits), which drains at the receiver's own profile; what does not fit is
 * dropped. The program keeps that buffer's occupancy per packet (the
 * packet itself is delivered at once: the buffer is the receiver's
 * reading budget, as CBSAT's application reads at its profile), the
 * occupancy an unbounded buffer would have reached ("need", CBSAT's
 * design-time figure), each sender's arrivals in 100 ms buckets and the
 * buffer's series per 100 ms interval. Each crossing of the high
 * watermark upwards, and the first of the low one downwards after it,
 * posts an event on the ring buffer; tbxd decides who is pushed back.
 *
 * Sizes count the IP datagram, as the enforcement does (police.h).
 */
#ifndef TBX_DETECT_H
#define TBX_DETECT_H

#include "tbx/profile_curve.h"

#define TBX_DETECT_SENDERS_MAX	64	/* slot 0: traffic from no listed sender */
#define TBX_DETECT_BUCKET_NS	100000000ULL	/* 100 ms */
#define TBX_DETECT_BUCKETS	16	/* per sender: 1.6 s of arrivals */
#define TBX_DETECT_WINDOW	10	/* buckets CBSAT's 1 s check spans */
#define TBX_DETECT_SERIES	64	/* intervals kept in the map: 6.4 s */

/* A sender's address: IPv4 in addr[0..3], the rest zero. */
struct tbx_detect_addr {
	__u32 family;		/* AF_INET (2) or AF_INET6 (10) */
	__u8 addr[16];
};

struct tbx_detect_count {
	__u64 packets;
	__u64 bits;
};

/* What user space sets; the program only reads it. */
struct tbx_detect_config {
	__u32 active;
	__u16 port;		/* only datagrams to this UDP/TCP port; 0: every one */
	__u16 pad;
	__u64 capacity_bits;
	__u64 high_bits;	/* occupancy above which the buffer is "high" */
	__u64 low_bits;		/* and below which it is "low" again */
	__u64 start_ns;		/* the receiver profile's phase 0, CLOCK_MONOTONIC */
};

/* The buffer, under the lock (user space reads it with BPF_F_LOCK). */
struct tbx_detect_state {
#ifdef __bpf__
	struct bpf_spin_lock lock;
#else
	__u32 lock;
#endif
	__u32 high;		/* 1 between a high and the next low crossing */
	__u64 last_ns;		/* when occupancy and need were last drained */
	__u64 occupancy_bits;
	__u64 need_bits;	/* the same buffer without a capacity */
	__u64 peak_bits;
	__u64 need_peak_bits;
	struct tbx_detect_count arrived;	/* taken into the buffer */
	struct tbx_detect_count dropped;	/* did not fit */
	__u64 events_lost;	/* the ring buffer was full */
};

/* Per sender slot, written under the state's lock. */
struct tbx_detect_sender {
	__u64 epoch[TBX_DETECT_BUCKETS];	/* ns / BUCKET_NS of each bucket */
	__u64 bits[TBX_DETECT_BUCKETS];		/* arrived in it (dropped too) */
	struct tbx_detect_count arrived;
	struct tbx_detect_count dropped;
	__u64 first_ns;		/* the first packet; 0: none yet */
	__u64 last_ns;
	__u64 max_bits;		/* the largest datagram */
};

/* One 100 ms interval of the buffer; slot epoch % TBX_DETECT_SERIES. */
struct tbx_detect_interval {
	__u64 epoch;
	__u64 peak_bits;	/* the highest occupancy seen in it */
	__u64 need_peak_bits;
	__u64 arrived_bits;
	__u64 dropped_bits;
};

enum tbx_detect_event_kind {
	TBX_DETECT_HIGH = 1,
	TBX_DETECT_LOW = 2,
};

struct tbx_detect_event {
	__u64 ns;
	__u64 occupancy_bits;
	__u32 kind;
	__u32 pad;
};

#endif
