// SPDX-License-Identifier: GPL-2.0
/*
 * capture: copies the first snaplen bytes of every packet on a device's
 * tc clsact hooks into a BPF ring buffer, for `tbx capture`. It never
 * changes a verdict. A full ring drops the record and counts it.
 *
 * The copy goes through a per-CPU scratch record: bpf_ringbuf_output()
 * takes any bounded size, so short packets use little ring space, where a
 * reservation would have to be the largest snap length every time.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "tbx/capture.h"

#define TC_ACT_UNSPEC	(-1)

const volatile __u64 clock_offset_ns;	/* CLOCK_REALTIME - CLOCK_MONOTONIC */
const volatile __u32 snaplen = 262144;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 << 20);	/* user space resizes */
} cap_ring SEC(".maps");

struct cap_scratch {
	struct tbx_cap_rec rec;
	__u8 data[TBX_CAP_SNAP_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cap_scratch);
} cap_scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tbx_cap_stats);
} cap_stats SEC(".maps");

static __always_inline int capture(struct __sk_buff *skb, __u8 egress)
{
	struct tbx_cap_stats *st;
	struct cap_scratch *s;
	__u32 zero = 0;
	__u64 n;	/* 64-bit: the bound check and the helper see one register */

	st = bpf_map_lookup_elem(&cap_stats, &zero);
	s = bpf_map_lookup_elem(&cap_scratch, &zero);
	if (!st || !s)
		return TC_ACT_UNSPEC;
	st->packets++;
	n = skb->len < snaplen ? skb->len : snaplen;
	/* The bound checked on the very register the helper gets. */
	barrier_var(n);
	s->rec.ts_ns = bpf_ktime_get_ns() + clock_offset_ns;
	s->rec.len = skb->len;
	s->rec.vlan_proto = skb->vlan_present ? skb->vlan_proto : 0;
	s->rec.vlan_tci = skb->vlan_present ? skb->vlan_tci : 0;
	s->rec.egress = egress;
	if (n == 0 || n > TBX_CAP_SNAP_MAX || bpf_skb_load_bytes(skb, 0, s->data, n))
		n = 0;
	s->rec.caplen = n;
	if (bpf_ringbuf_output(&cap_ring, s, sizeof(s->rec) + n, 0))
		st->dropped++;
	return TC_ACT_UNSPEC;
}

SEC("tc")
int capture_in(struct __sk_buff *skb)
{
	return capture(skb, 0);
}

SEC("tc")
int capture_out(struct __sk_buff *skb)
{
	return capture(skb, 1);
}

char LICENSE[] SEC("license") = "GPL";
