// SPDX-License-Identifier: GPL-2.0
/*
 * tap: counts IPv4 packets per flowtuple per interval, as Corsaro 2's
 * flowtuple plugin does, from tc clsact (ingress, egress) or XDP. It
 * never changes a verdict.
 *
 * The interval switch. Each packet's interval number is computed here,
 * from its time (bpf_ktime_get_ns() plus the CLOCK_REALTIME offset user
 * space measured at load) and the first packet's time (the epoch), and is
 * part of the map key. So the switch is not an event at all: packets of
 * interval N and N+1 land in different keys, nothing is swapped or reset,
 * and no packet can be counted twice or in no interval. User space drains
 * interval N with lookup-and-delete once the clock is past its end plus a
 * grace second (a program that read the clock just before the boundary has
 * long finished its update by then); should an entry of a drained interval
 * appear anyway it is counted as late, never dropped silently. A second
 * map with a flip-and-wait scheme would need the same grace period and an
 * extra map lookup per packet, and would get the interval wrong for
 * packets that arrive between the boundary and the flip.
 *
 * The clock is read once per packet; monotonic time plus a fixed offset
 * never steps backwards, so intervals only move forward.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "tbx/tap.h"
#include "tbx/flowtuple_parse.h"

#define TC_ACT_UNSPEC	(-1)
#define NSEC_PER_SEC	1000000000ULL
#define EEXIST		17

/* Set by user space before load. */
const volatile __u64 clock_offset_ns;	/* CLOCK_REALTIME - CLOCK_MONOTONIC */
const volatile __u32 interval_len = 60;	/* seconds, > 0 */
const volatile __u32 align_intervals;	/* -a: epoch aligned down */
const volatile __u32 dos_enabled;	/* -p dos: backscatter packets go up */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);	/* user space resizes */
	__type(key, struct tbx_tap_key);
	__type(value, struct tbx_tap_value);
} tap_counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tbx_tap_stats);
} tap_stats SEC(".maps");

/* A hash, not an array: BPF_NOEXIST makes "first packet wins" atomic. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tbx_tap_epoch);
} tap_epoch SEC(".maps");

/* Not used here: declared so it has BTF, user space fills it. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tbx_tap_state);
} tap_state SEC(".maps");

/* Backscatter packets for the DoS plugin; sized by user space. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} tap_pkts SEC(".maps");

struct pkt_scratch {
	struct tbx_tap_pkt hdr;
	__u8 data[TBX_TAP_DOS_SNAP];
};

/* bpf_ringbuf_output() copies only the bytes used, so a scratch record
 * keeps small packets small in the ring. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pkt_scratch);
} tap_pkt_scratch SEC(".maps");

static __always_inline __u64 epoch_ns(__u64 now)
{
	struct tbx_tap_epoch *e, first = { .first_ns = now };
	__u32 zero = 0;

	e = bpf_map_lookup_elem(&tap_epoch, &zero);
	if (e)
		return e->first_ns;
	/* Another CPU may win the race; its value is the one to use. */
	bpf_map_update_elem(&tap_epoch, &zero, &first, BPF_NOEXIST);
	e = bpf_map_lookup_elem(&tap_epoch, &zero);
	return e ? e->first_ns : now;
}

static __always_inline __u32 interval_of(__u64 now)
{
	__u64 base = epoch_ns(now) / NSEC_PER_SEC;
	__u64 sec = now / NSEC_PER_SEC;

	if (align_intervals)
		base -= base % interval_len;
	if (sec < base)		/* a CPU that read its clock before the winner */
		return 0;
	return (sec - base) / interval_len;
}

/* Sends a backscatter packet up for the DoS plugin. @is_xdp is a constant
 * at each call, so each program keeps only the helper its type allows. */
static __always_inline void send_packet(void *ctx, const bool is_xdp,
					struct tbx_tap_stats *st, __u32 interval,
					__u64 now, __u32 ip_off, __u32 wirelen)
{
	struct pkt_scratch *s;
	__u32 zero = 0;
	__u64 n;
	long err;

	s = bpf_map_lookup_elem(&tap_pkt_scratch, &zero);
	if (!s)
		return;
	n = wirelen;
	/* bound checked on the very register the helper gets */
	barrier_var(n);
	if (n > TBX_TAP_DOS_SNAP)
		n = TBX_TAP_DOS_SNAP;
	barrier_var(n);
	if (n == 0 || n > TBX_TAP_DOS_SNAP)
		return;
	if (is_xdp)
		err = bpf_xdp_load_bytes(ctx, ip_off, s->data, n);
	else
		err = bpf_skb_load_bytes(ctx, ip_off, s->data, n);
	if (err)
		return;
	s->hdr.interval = interval;
	s->hdr.sec = now / NSEC_PER_SEC;
	s->hdr.usec = now % NSEC_PER_SEC / 1000;
	s->hdr.caplen = n;
	s->hdr.wirelen = wirelen;
	if (bpf_ringbuf_output(&tap_pkts, s, sizeof(s->hdr) + n, 0))
		st->dos_lost++;
}

static __always_inline void tap_count(void *ctx, const bool is_xdp,
				      const __u8 *data, const __u8 *end, __u32 len)
{
	struct tbx_tap_value one = { .packets = 1 }, *v;
	struct tbx_tap_stats *st;
	struct tbx_tap_key key;
	__u32 zero = 0, ip_off;
	__u64 now;
	long err;

	st = bpf_map_lookup_elem(&tap_stats, &zero);
	if (!st)
		return;
	now = bpf_ktime_get_ns() + clock_offset_ns;
	/* Per-CPU, and tc and XDP run with BHs off: plain updates. */
	st->packets++;
	if (now > st->last_ns)
		st->last_ns = now;
	/* Every packet moves time, as in Corsaro, IPv4 or not. */
	key.interval = interval_of(now);

	switch (tbx_ft_parse_eth(data, end, &key.ft, &ip_off)) {
	case TBX_FT_L3_IPV4:
		break;
	case TBX_FT_L3_IPV6:
		st->ipv6++;
		return;
	default:
		st->other++;
		return;
	}
	st->ipv4++;
	if (dos_enabled && key.ft.cls == TBX_FT_BACKSCATTER && len > ip_off)
		send_packet(ctx, is_xdp, st, key.interval, now, ip_off, len - ip_off);

	v = bpf_map_lookup_elem(&tap_counts, &key);
	if (v) {
		__sync_fetch_and_add(&v->packets, 1);
		return;
	}
	err = bpf_map_update_elem(&tap_counts, &key, &one, BPF_NOEXIST);
	if (!err)
		return;
	if (err == -EEXIST) {	/* another CPU inserted it meanwhile */
		v = bpf_map_lookup_elem(&tap_counts, &key);
		if (v) {
			__sync_fetch_and_add(&v->packets, 1);
			return;
		}
	}
	st->overflow++;		/* full (E2BIG) or out of memory */
}

/*
 * One program for both clsact hooks. A GSO/GRO skb counts once, with its
 * IP header's ip_len, which is what a pcap taken on the same device shows
 * (and so what Corsaro reading that device sees).
 */
SEC("tc")
int tap_tc(struct __sk_buff *skb)
{
	__u32 linear = skb->data_end - skb->data;

	/* Headers in paged data: make the parser's bytes linear. */
	if (linear < TBX_FT_PARSE_MAX && skb->len > linear)
		bpf_skb_pull_data(skb, skb->len < TBX_FT_PARSE_MAX ?
				  skb->len : TBX_FT_PARSE_MAX);
	/* Keeps clang from keeping ctx+offset across the call: the
	 * verifier refuses loads through a modified ctx pointer. */
	barrier_var(skb);
	tap_count(skb, false, (const __u8 *)(long)skb->data,
		  (const __u8 *)(long)skb->data_end, skb->len);
	/* UNSPEC, not OK: the filters after the tap still see the packet. */
	return TC_ACT_UNSPEC;
}

SEC("xdp")
int tap_xdp(struct xdp_md *ctx)
{
	tap_count(ctx, true, (const __u8 *)(long)ctx->data,
		  (const __u8 *)(long)ctx->data_end, ctx->data_end - ctx->data);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
