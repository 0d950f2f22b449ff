// SPDX-License-Identifier: GPL-2.0
/*
 * meter: counts the packets and bytes a device receives and sends, per L3
 * class, from its tc clsact hooks. It never changes a verdict.
 *
 * Uses only what Linux 6.1 has: __sk_buff fields the verifier rewrites
 * (no CO-RE), per-CPU arrays and bpf_skb_load_bytes().
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "tbx/meter.h"

/* uapi macros vmlinux.h cannot carry */
#define ETH_P_IP	0x0800
#define ETH_P_ARP	0x0806
#define ETH_P_IPV6	0x86DD
#define ETH_P_8021Q	0x8100
#define ETH_P_8021AD	0x88A8
#define ETH_TYPE_OFF	12	/* the ethertype (or the first in-band TPID) */
#define VLAN_HLEN	4
#define TC_ACT_UNSPEC	(-1)

/* 802.1ad + 802.1Q; the outer tag is usually out of band already */
#define METER_VLAN_DEPTH	2

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, TBX_METER_NKEYS);
	__type(key, __u32);
	__type(value, struct tbx_meter_count);
} meter_counters SEC(".maps");

/* Not used here: declared so it has BTF, user space fills it. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tbx_meter_state);
} meter_state SEC(".maps");

static __always_inline bool is_vlan(__be16 proto)
{
	return proto == bpf_htons(ETH_P_8021Q) ||
	       proto == bpf_htons(ETH_P_8021AD);
}

/*
 * The stack strips one tag into skb->vlan_tci before tc ingress and the
 * VLAN device leaves its tag there on egress, so skb->protocol is usually
 * the payload's. A tag still in the frame (QinQ, packet sockets) makes it
 * a TPID: read the encapsulated ethertype after it.
 */
static __always_inline enum tbx_meter_class meter_class(struct __sk_buff *skb)
{
	__be16 proto = skb->protocol;
	__u32 off = ETH_TYPE_OFF;

	for (int i = 0; i < METER_VLAN_DEPTH && is_vlan(proto); i++) {
		off += VLAN_HLEN;
		if (bpf_skb_load_bytes(skb, off, &proto, sizeof(proto)))
			return TBX_METER_OTHER;	/* truncated tag */
	}
	switch (proto) {
	case bpf_htons(ETH_P_IP):
		return TBX_METER_IPV4;
	case bpf_htons(ETH_P_IPV6):
		return TBX_METER_IPV6;
	case bpf_htons(ETH_P_ARP):
		return TBX_METER_ARP;
	default:
		return TBX_METER_OTHER;
	}
}

static __always_inline int meter_count(struct __sk_buff *skb,
				       enum tbx_meter_dir dir)
{
	__u32 key = TBX_METER_KEY(dir, meter_class(skb));
	struct tbx_meter_count *c;

	c = bpf_map_lookup_elem(&meter_counters, &key);
	if (c) {
		/*
		 * A GSO/GRO skb is several packets on the wire. Per-CPU and
		 * tc runs with BHs off, so plain adds do not race.
		 */
		c->packets += skb->gso_segs > 1 ? skb->gso_segs : 1;
		c->bytes += skb->len;
	}
	/*
	 * Not TC_ACT_OK: in direct-action mode that ends classification and
	 * the filters after the meter (tbx's police, the user's) would never
	 * see the packet. UNSPEC passes it on, and clsact passes it when no
	 * filter decides.
	 */
	return TC_ACT_UNSPEC;
}

SEC("tc")
int meter_ingress(struct __sk_buff *skb)
{
	return meter_count(skb, TBX_METER_INGRESS);
}

SEC("tc")
int meter_egress(struct __sk_buff *skb)
{
	return meter_count(skb, TBX_METER_EGRESS);
}

char LICENSE[] SEC("license") = "GPL";
