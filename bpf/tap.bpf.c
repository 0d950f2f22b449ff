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
 * Per packet: one inlined array lookup each for the stats and the epoch,
 * one per-CPU hash lookup for the tuple and a plain add to this CPU's slot
 * (no atomic; user space sums the slots when it drains).
 *
 * The clock is read once per packet; monotonic time plus a fixed offset
 * never steps backwards, so intervals only move forward.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "tbx/tap.h"
#include "tbx/flowtuple_parse.h"

#define TC_ACT_UNSPEC	(-1)
#define NSEC_PER_SEC	1000000000ULL
#define EEXIST		17

/* Set by user space before load. */
const volatile __u64 clock_offset_ns;	/* CLOCK_REALTIME - CLOCK_MONOTONIC */
const volatile __u32 interval_len = 60;	/* seconds, > 0 */
const volatile __u32 align_intervals;	/* -a: intervals counted from the epoch aligned down */
const volatile __u32 dos_enabled;	/* -p dos: backscatter packets go up */

/* Per-CPU values: each CPU adds to its own count without an atomic;
 * user space sums them when it drains. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
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

/* An array (its lookup is inlined): 0 until the first packet, which
 * sets it with a compare-and-swap so exactly one CPU's time wins. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
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
	struct tbx_tap_epoch *e;
	__u32 zero = 0;
	__u64 first;

	e = bpf_map_lookup_elem(&tap_epoch, &zero);
	if (!e)
		return now;
	first = *(volatile __u64 *)&e->first_ns;
	if (first)
		return first;
	/* Another CPU may win the race; its value is the one to use. */
	first = __sync_val_compare_and_swap(&e->first_ns, 0, now);
	return first ? first : now;
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

/* Sends a backscatter frame up for the DoS plugin, from its first byte
 * (Corsaro stores the captured frame). @is_xdp is a constant at each
 * call, so each program keeps only the helper its type allows. */
static __always_inline void send_packet(void *ctx, const bool is_xdp,
					struct tbx_tap_stats *st, __u32 interval,
					__u64 now, __u32 len, __u32 vlan)
{
	struct pkt_scratch *s;
	__u32 zero = 0;
	__u64 n;
	long err;

	s = bpf_map_lookup_elem(&tap_pkt_scratch, &zero);
	if (!s)
		return;
	n = len;
	/* bound checked on the very register the helper gets */
	barrier_var(n);
	if (n > TBX_TAP_DOS_SNAP)
		n = TBX_TAP_DOS_SNAP;
	barrier_var(n);
	/* signed, so a 6.1 verifier learns n >= 1 (it does not from == 0) */
	if ((__s64)n < 1 || n > TBX_TAP_DOS_SNAP)
		return;
	if (is_xdp)
		err = bpf_xdp_load_bytes(ctx, 0, s->data, n);
	else
		err = bpf_skb_load_bytes(ctx, 0, s->data, n);
	if (err)
		return;
	s->hdr.interval = interval;
	s->hdr.sec = now / NSEC_PER_SEC;
	s->hdr.usec = now % NSEC_PER_SEC / 1000;
	s->hdr.caplen = n;
	s->hdr.wirelen = len;
	s->hdr.vlan_proto = vlan >> 16;
	s->hdr.vlan_tci = vlan;
	if (bpf_ringbuf_output(&tap_pkts, s, sizeof(s->hdr) + n, 0))
		st->dos_lost++;
}

/* @r: the frame as tbx_ft_parse_frame() read it; @len: its length;
 * @vlan: a tag the stack took out of it (proto << 16 | tci, 0: none). */
static __always_inline void tap_count(void *ctx, const bool is_xdp, enum tbx_ft_l3 l3,
				      const struct tbx_ft_parsed *r, __u32 len, __u32 vlan)
{
	struct tbx_tap_value one = { .packets = 1 }, *v;
	struct tbx_tap_stats *st;
	struct tbx_tap_key key;
	__u32 zero = 0;
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

	switch (l3) {
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
	key.ft = r->key;
	if (dos_enabled && key.ft.cls == TBX_FT_BACKSCATTER)
		send_packet(ctx, is_xdp, st, key.interval, now, len, vlan);

	/* This CPU's slot, and BHs are off: a plain add is exact. */
	v = bpf_map_lookup_elem(&tap_counts, &key);
	if (v) {
		v->packets++;
		return;
	}
	/* A new entry holds 1 for this CPU and 0 for the others. */
	err = bpf_map_update_elem(&tap_counts, &key, &one, BPF_NOEXIST);
	if (!err)
		return;
	if (err == -EEXIST) {	/* another CPU inserted it meanwhile */
		v = bpf_map_lookup_elem(&tap_counts, &key);
		if (v) {
			v->packets++;
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
	struct tbx_ft_parsed r;
	enum tbx_ft_l3 l3 = TBX_FT_L3_OTHER;
	__u32 linear = skb->data_end - skb->data, vlan = 0;

	/* Headers in paged data: make the parser's bytes linear. */
	if (linear < TBX_FT_PARSE_MAX && skb->len > linear)
		bpf_skb_pull_data(skb, skb->len < TBX_FT_PARSE_MAX ?
				  skb->len : TBX_FT_PARSE_MAX);
	/* Keeps clang from keeping ctx+offset across the call: the verifier
	 * refuses loads through a modified ctx pointer. */
	barrier_var(skb);
	l3 = tbx_ft_parse_frame((const __u8 *)(long)skb->data, (const __u8 *)(long)skb->data_end,
				(const __u8 *)(long)skb->data_end, TBX_FT_LINK_ETH, &r);
	linear = skb->data_end - skb->data;
	/* Deeper headers than that pull made linear: more, and again (no
	 * loop: kernels before 6.4 refuse a back-edge after a helper call). */
	if (r.hit_end && skb->len > linear && linear < TBX_FT_PULL_MAX) {
		bpf_skb_pull_data(skb, skb->len < TBX_FT_PULL_MAX ? skb->len : TBX_FT_PULL_MAX);
		barrier_var(skb);
		l3 = tbx_ft_parse_frame((const __u8 *)(long)skb->data,
					(const __u8 *)(long)skb->data_end,
					(const __u8 *)(long)skb->data_end, TBX_FT_LINK_ETH, &r);
	}
	/* A tag the stack took out of the frame is back in it for Corsaro's
	 * libpcap; libtrace walks 802.1Q tags only: any other is not IP. */
	if (skb->vlan_present) {
		vlan = (__u32)skb->vlan_proto << 16 | (skb->vlan_tci & 0xffff);
		if (skb->vlan_proto != bpf_htons(TBX_FT_ETH_P_8021Q))
			l3 = TBX_FT_L3_OTHER;
	}
	tap_count(skb, false, l3, &r, skb->len, vlan);
	/* UNSPEC, not OK: the filters after the tap still see the packet. */
	return TC_ACT_UNSPEC;
}

SEC("xdp")
int tap_xdp(struct xdp_md *ctx)
{
	const __u8 *data = (const __u8 *)(long)ctx->data;
	const __u8 *end = (const __u8 *)(long)ctx->data_end;
	struct tbx_ft_parsed r;
	enum tbx_ft_l3 l3;

	l3 = tbx_ft_parse_frame(data, end, end, TBX_FT_LINK_ETH, &r);
	tap_count(ctx, true, l3, &r, end - data, 0);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
