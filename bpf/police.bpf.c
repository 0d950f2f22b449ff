// SPDX-License-Identifier: GPL-2.0
/*
 * police: holds a sender to its traffic profile with CBSAT's rule
 * (include/tbx/police.h). One program instance per sender: user space
 * sets `sender` before loading and shares the pinned maps between them.
 *
 * cgroup_skb/egress: returning 0 makes the application's own send fail
 * with EPERM, the kernel's form of CBSAT's "profile exceeded". tc egress:
 * TC_ACT_SHOT drops the packet, counted in the sender's state; only IPv4
 * and IPv6 count there (ARP and the like pass untouched).
 *
 * Uses only what Linux 6.1 has: array maps, bpf_spin_lock, bounded loops.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "tbx/police.h"

#define TC_ACT_OK	0
#define TC_ACT_SHOT	2
#define ETH_HLEN	14
#define ETH_P_IP	0x0800
#define ETH_P_IPV6	0x86DD

/* The sender this instance enforces: a slot of the maps below. */
const volatile __u32 sender = 0;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, TBX_POLICE_SENDERS_MAX);
	__type(key, __u32);
	__type(value, struct tbx_police_config);
} police_config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, TBX_POLICE_SENDERS_MAX);
	__type(key, __u32);
	__type(value, struct tbx_police_state);
} police_state SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2 * TBX_POLICE_SENDERS_MAX);
	__type(key, __u32);
	__type(value, struct tbx_curve);
} police_curves SEC(".maps");

static __always_inline void count(struct tbx_police_count *c, __u64 bits)
{
	c->packets++;
	c->bits += bits;
}

/* True when a datagram of @bytes (IP header on) may leave now. */
static __always_inline bool police(__u32 bytes)
{
	__u32 slot = sender, curve_slot;
	struct tbx_police_config *cfg;
	struct tbx_police_state *st;
	struct tbx_curve *c;
	__u64 now, bits = (__u64)bytes * 8, delay, phase;
	bool pass = false;

	cfg = bpf_map_lookup_elem(&police_config, &slot);
	st = bpf_map_lookup_elem(&police_state, &slot);
	if (!cfg || !st || !cfg->active)
		return true;		/* a slot being set up or torn down */
	curve_slot = slot * 2 + (cfg->curve & 1);
	c = bpf_map_lookup_elem(&police_curves, &curve_slot);
	if (!c || !c->period_ns)
		return true;
	now = bpf_ktime_get_ns();
	if (cfg->off) {
		bpf_spin_lock(&st->lock);
		count(&st->refused_off, bits);
		bpf_spin_unlock(&st->lock);
		return false;
	}
	/* Delay(b, t) depends on t's phase only: worked out before the lock. */
	phase = tbx_curve_phase(c, now, cfg->start_ns);
	delay = tbx_curve_delay(c, bits, phase);

	bpf_spin_lock(&st->lock);
	if (now >= st->next_send_ns) {
		st->next_send_ns = delay == TBX_CURVE_NEVER ? TBX_CURVE_NEVER : now + delay;
		count(&st->sent, bits);
		pass = true;
	} else {
		count(&st->exceeded, bits);
	}
	bpf_spin_unlock(&st->lock);
	return pass;
}

SEC("cgroup_skb/egress")
int police_cgroup(struct __sk_buff *skb)
{
	/* skb->len is the IP datagram here. */
	return police(skb->len) ? 1 : 0;
}

SEC("tc")
int police_dev(struct __sk_buff *skb)
{
	__u32 len = skb->len > ETH_HLEN ? skb->len - ETH_HLEN : 0;

	/* A profile is an application's datagrams: ARP and the like pass. */
	if (skb->protocol != bpf_htons(ETH_P_IP) && skb->protocol != bpf_htons(ETH_P_IPV6))
		return TC_ACT_OK;
	return police(len) ? TC_ACT_OK : TC_ACT_SHOT;
}

char LICENSE[] SEC("license") = "GPL";
