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
 * Uses only what Linux 6.1 has: array maps, BPF atomics (compare and
 * exchange: built for -mcpu=v3), bounded loops. No lock: a packet that is
 * refused pays one read and two atomic adds.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "tbx/police.h"

#define READ_ONCE(x)	(*(const volatile typeof(x) *)&(x))

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

/* Counts are added atomically: packets of one sender run on every CPU. */
static __always_inline void count(struct tbx_police_count *c, __u64 bits)
{
	__sync_fetch_and_add(&c->packets, 1);
	__sync_fetch_and_add(&c->bits, bits);
}

/* True when a datagram of @bytes (IP header on) may leave now. */
static __always_inline bool police(__u32 bytes)
{
	__u32 slot = sender, curve_slot;
	struct tbx_police_config *cfg;
	struct tbx_police_state *st;
	struct tbx_curve *c;
	__u64 now, bits = (__u64)bytes * 8, delay, next, later;

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
		count(&st->refused_off, bits);
		return false;
	}
	next = READ_ONCE(st->next_send_ns);
	if (now < next) {
		count(&st->exceeded, bits);
		return false;
	}
	/* Delay(b, t) is worked out only for a packet that may leave. */
	delay = tbx_curve_delay(c, bits, tbx_curve_phase(c, now, cfg->start_ns));
	later = delay == TBX_CURVE_NEVER ? TBX_CURVE_NEVER : now + delay;
	/* One sender, many CPUs: of two packets that both found the sender
	 * free, the one that moves next_send_ns first leaves; the other came
	 * before the new next send time and is refused, as CBSAT's rule says.
	 */
	if (__sync_val_compare_and_swap(&st->next_send_ns, next, later) != next) {
		count(&st->exceeded, bits);
		return false;
	}
	count(&st->sent, bits);
	return true;
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
