// SPDX-License-Identifier: GPL-2.0
/*
 * detect: CBSAT's receiver buffer, per packet at a receiver's tc ingress
 * (include/tbx/detect.h). Every IP datagram (to the configured port)
 * fills the buffer by its size after the buffer has drained at the
 * receiver profile's rate since the last one; one that does not fit is
 * dropped (TC_ACT_SHOT), as CBSAT's buffer drops it. The sender is found
 * by source address; arrivals are kept per sender in 100 ms buckets for
 * tbxd's check over the last second.
 *
 * Uses only what Linux 6.1 has: hash and array maps, bpf_spin_lock, a
 * ring buffer, bounded loops.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "tbx/detect.h"

#define TC_ACT_OK	0
#define TC_ACT_SHOT	2
#define ETH_HLEN	14
#define ETH_P_IP	0x0800
#define ETH_P_IPV6	0x86DD
#define AF_INET		2
#define AF_INET6	10
#define IPPROTO_TCP	6
#define IPPROTO_UDP	17

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tbx_detect_config);
} detect_config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tbx_curve);
} detect_curve SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tbx_detect_state);
} detect_state SEC(".maps");

/* Source address -> sender slot (1 .. SENDERS_MAX - 1). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, TBX_DETECT_SENDERS_MAX);
	__type(key, struct tbx_detect_addr);
	__type(value, __u32);
} detect_addrs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, TBX_DETECT_SENDERS_MAX);
	__type(key, __u32);
	__type(value, struct tbx_detect_sender);
} detect_senders SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, TBX_DETECT_SERIES);
	__type(key, __u32);
	__type(value, struct tbx_detect_interval);
} detect_series SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} detect_events SEC(".maps");

/* The source address and whether the datagram is for the watched port. */
static __always_inline int classify(struct __sk_buff *skb, __u16 port,
				    struct tbx_detect_addr *a)
{
	__u8 proto, ihl_b;
	__u32 l4;
	__be16 ports[2];

	if (skb->protocol == bpf_htons(ETH_P_IP)) {
		struct iphdr ip;

		if (bpf_skb_load_bytes(skb, ETH_HLEN, &ip, sizeof(ip)))
			return -1;
		a->family = AF_INET;
		__builtin_memcpy(a->addr, &ip.saddr, 4);
		if (ip.ihl < 5)
			return -1;	/* not a header the stack would take */
		proto = ip.protocol;
		ihl_b = ip.ihl * 4;
		if (ip.frag_off & bpf_htons(0x1fff))
			return port ? -1 : 0;	/* a later fragment carries no ports */
		l4 = ETH_HLEN + ihl_b;
	} else if (skb->protocol == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr ip6;

		if (bpf_skb_load_bytes(skb, ETH_HLEN, &ip6, sizeof(ip6)))
			return -1;
		a->family = AF_INET6;
		__builtin_memcpy(a->addr, &ip6.saddr, 16);
		proto = ip6.nexthdr;
		l4 = ETH_HLEN + sizeof(ip6);
	} else {
		return -1;		/* ARP and the like are not the receiver's data */
	}
	if (!port)
		return 0;
	if (proto != IPPROTO_UDP && proto != IPPROTO_TCP)
		return -1;
	if (bpf_skb_load_bytes(skb, l4, ports, sizeof(ports)))
		return -1;
	return ports[1] == bpf_htons(port) ? 0 : -1;
}

static __always_inline void count(struct tbx_detect_count *c, __u64 bits)
{
	c->packets++;
	c->bits += bits;
}

SEC("tc")
int detect_ingress(struct __sk_buff *skb)
{
	struct tbx_detect_addr a = { 0 };
	struct tbx_detect_config *cfg;
	struct tbx_detect_state *st;
	struct tbx_detect_sender *snd;
	struct tbx_detect_interval *iv;
	struct tbx_detect_event ev = { 0 };
	struct tbx_curve *c;
	__u32 zero = 0, slot = 0, *found, b, ivs;
	__u64 now, bits, epoch, drained = 0;
	bool fits, above, post = false;

	cfg = bpf_map_lookup_elem(&detect_config, &zero);
	if (!cfg || !cfg->active)
		return TC_ACT_OK;
	if (classify(skb, cfg->port, &a))
		return TC_ACT_OK;
	found = bpf_map_lookup_elem(&detect_addrs, &a);
	if (found && *found < TBX_DETECT_SENDERS_MAX)
		slot = *found;
	snd = bpf_map_lookup_elem(&detect_senders, &slot);
	st = bpf_map_lookup_elem(&detect_state, &zero);
	c = bpf_map_lookup_elem(&detect_curve, &zero);
	if (!snd || !st || !c || !c->period_ns)
		return TC_ACT_OK;
	bits = (__u64)(skb->len > ETH_HLEN ? skb->len - ETH_HLEN : 0) * 8;
	now = bpf_ktime_get_ns();
	epoch = now / TBX_DETECT_BUCKET_NS;
	ivs = epoch % TBX_DETECT_SERIES;
	iv = bpf_map_lookup_elem(&detect_series, &ivs);
	if (!iv)
		return TC_ACT_OK;
	b = epoch % TBX_DETECT_BUCKETS;

	bpf_spin_lock(&st->lock);
	/* What the receiver read since the last packet: the drain is worked
	 * out under the lock, from a last_ns no other CPU can move meanwhile.
	 */
	if (st->last_ns && now > st->last_ns)
		drained = tbx_curve_bits_over(c, tbx_curve_phase(c, st->last_ns, cfg->start_ns),
					      now - st->last_ns);
	if (now > st->last_ns)
		st->last_ns = now;
	st->occupancy_bits = st->occupancy_bits > drained ? st->occupancy_bits - drained : 0;
	st->need_bits = st->need_bits > drained ? st->need_bits - drained : 0;
	if (iv->epoch != epoch) {
		iv->epoch = epoch;
		iv->peak_bits = st->occupancy_bits;
		iv->need_peak_bits = st->need_bits;
		iv->arrived_bits = 0;
		iv->dropped_bits = 0;
	}
	if (b < TBX_DETECT_BUCKETS) {
		if (snd->epoch[b] != epoch) {
			snd->epoch[b] = epoch;
			snd->bits[b] = 0;
		}
		snd->bits[b] += bits;
	}
	if (!snd->first_ns)
		snd->first_ns = now;
	snd->last_ns = now;
	if (bits > snd->max_bits)
		snd->max_bits = bits;
	st->need_bits += bits;
	if (st->need_bits > st->need_peak_bits)
		st->need_peak_bits = st->need_bits;
	if (st->need_bits > iv->need_peak_bits)
		iv->need_peak_bits = st->need_bits;
	above = st->occupancy_bits > cfg->high_bits;	/* drained, before this packet */
	fits = st->occupancy_bits + bits <= cfg->capacity_bits;
	if (fits) {
		st->occupancy_bits += bits;
		count(&st->arrived, bits);
		count(&snd->arrived, bits);
		iv->arrived_bits += bits;
		if (st->occupancy_bits > st->peak_bits)
			st->peak_bits = st->occupancy_bits;
		if (st->occupancy_bits > iv->peak_bits)
			iv->peak_bits = st->occupancy_bits;
	} else {
		count(&st->dropped, bits);
		count(&snd->dropped, bits);
		iv->dropped_bits += bits;
	}
	/* Every upward crossing: a level that drained under high between two
	 * packets and is pushed over it again is checked again, as CBSAT
	 * checks whenever its buffer is found above high.
	 */
	if (!above && st->occupancy_bits > cfg->high_bits) {
		st->high = 1;
		ev.kind = TBX_DETECT_HIGH;
		post = true;
	} else if (st->high && st->occupancy_bits < cfg->low_bits) {
		st->high = 0;
		ev.kind = TBX_DETECT_LOW;
		post = true;
	}
	ev.occupancy_bits = st->occupancy_bits;
	bpf_spin_unlock(&st->lock);

	if (post) {
		ev.ns = now;
		if (bpf_ringbuf_output(&detect_events, &ev, sizeof(ev), 0))
			__sync_fetch_and_add(&st->events_lost, 1);
	}
	return fits ? TC_ACT_OK : TC_ACT_SHOT;
}

char LICENSE[] SEC("license") = "GPL";
