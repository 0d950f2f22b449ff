// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the pacing arithmetic of net runs (pace.c) and the frames they
 * build (net_build.c). Suites "tbx_pace" and "tbx_net_build".
 */
#include <kunit/test.h>
#include <linux/icmp.h>
#include <linux/ip.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/tcp.h>	/* tcp_flag_byte, TCPHDR_* */

#include <uapi/linux/tbx.h>

#include "../net.h"
#include "../pace.h"

#define SEC	NSEC_PER_SEC
#define MS	NSEC_PER_MSEC
#define YEAR	(365ULL * 24 * 3600 * SEC)

/* --- tbx_pace ------------------------------------------------------------- */

static void muldiv_exact_and_saturating(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, tbx_muldiv(3, 5, 2), 7ULL);
	KUNIT_EXPECT_EQ(test, tbx_muldiv(1ULL << 40, 1ULL << 40, 1ULL << 30),
			1ULL << 50);
	KUNIT_EXPECT_EQ(test, tbx_muldiv(U64_MAX, U64_MAX, U64_MAX), U64_MAX);
	KUNIT_EXPECT_EQ(test, tbx_muldiv(U64_MAX, 3, 4), U64_MAX / 4 * 3 + 2);
	KUNIT_EXPECT_EQ(test, tbx_muldiv(U64_MAX, 2, 1), U64_MAX);
	KUNIT_EXPECT_EQ(test, tbx_muldiv(0, U64_MAX, 7), 0ULL);
}

static void due_pps(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, tbx_pace_due_pps(0, 1000), 0ULL);
	KUNIT_EXPECT_EQ(test, tbx_pace_due_pps(MS - 1, 1000), 0ULL);
	KUNIT_EXPECT_EQ(test, tbx_pace_due_pps(MS, 1000), 1ULL);
	KUNIT_EXPECT_EQ(test, tbx_pace_due_pps(SEC, 1000), 1000ULL);
	KUNIT_EXPECT_EQ(test, tbx_pace_due_pps(SEC, 1), 1ULL);
	KUNIT_EXPECT_EQ(test, tbx_pace_due_pps(SEC - 1, 1), 0ULL);
	/* The most the ABI allows, for a year, and for ever. */
	KUNIT_EXPECT_EQ(test, tbx_pace_due_pps(YEAR, TBX_NET_RATE_PPS_MAX),
			YEAR / 10);
	KUNIT_EXPECT_EQ(test, tbx_pace_due_pps(U64_MAX, TBX_NET_RATE_PPS_MAX),
			U64_MAX / 10);
}

static void due_bps(struct kunit *test)
{
	/* 10 Mbit/s of 60-byte frames: 20833.3 frames a second. */
	KUNIT_EXPECT_EQ(test, tbx_pace_due_bps(SEC, 10000000, 480), 20833ULL);
	KUNIT_EXPECT_EQ(test, tbx_pace_due_bps(3 * SEC, 10000000, 480), 62500ULL);
	KUNIT_EXPECT_EQ(test, tbx_pace_bps_to_pps(10000000, 480), 20833ULL);
	KUNIT_EXPECT_EQ(test, tbx_pace_due_bps(YEAR, TBX_NET_RATE_BPS_MAX, 336),
			tbx_muldiv(YEAR, 400, 336));
	/* 1.19 frames a ns for 2^64 ns does not fit: saturate, never trap. */
	KUNIT_EXPECT_EQ(test, tbx_pace_due_bps(U64_MAX, TBX_NET_RATE_BPS_MAX, 336),
			U64_MAX);
	KUNIT_EXPECT_EQ(test, tbx_pace_due_bps(SEC, 1000, 0), 0ULL);
}

/* when(k) is the first instant at which k frames are due. */
static void check_when(struct kunit *test, const struct tbx_pace *r, u64 t)
{
	u64 k = tbx_pace_due(r, t) + 1, w = tbx_pace_when(r, t, k);

	KUNIT_ASSERT_GT(test, w, t);
	/* A profile may name an earlier instant to look again: follow it. */
	while (tbx_pace_due(r, w) < k) {
		u64 w2 = tbx_pace_when(r, w, k);

		KUNIT_ASSERT_GT(test, w2, w);
		w = w2;
	}
	KUNIT_EXPECT_LT(test, tbx_pace_due(r, w - 1), k);
}

static void when_is_exact(struct kunit *test)
{
	struct tbx_pace pps = { .pps = 3 }, bps = { .bps = 10000000,
						    .frame_bits = 8 * 1514 };
	u64 rates[] = { 1, 3, 7, 1000, 99999, 100000, TBX_NET_RATE_PPS_MAX };
	u64 t;
	int i;

	KUNIT_EXPECT_EQ(test, tbx_pace_when(&pps, 0, 1), 333333334ULL);
	KUNIT_EXPECT_EQ(test, tbx_pace_when(&pps, 333333334, 2), 666666667ULL);
	for (i = 0; i < ARRAY_SIZE(rates); i++) {
		pps.pps = rates[i];
		for (t = 0; t < 3 * SEC; t += 12345677)
			check_when(test, &pps, t);
		check_when(test, &pps, 50 * YEAR);
	}
	for (t = 0; t < 3 * SEC; t += 7654321)
		check_when(test, &bps, t);
}

/* A profile of @n segments {offset, bps}, period @period. */
static struct tbx_profile *mkprof(struct kunit *test, u64 period,
				  const u64 (*segs)[2], u32 n)
{
	struct tbx_profile *p;
	u32 i;

	p = kunit_kzalloc(test, struct_size(p, seg, n), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	p->period = period;
	p->count = n;
	for (i = 0; i < n; i++) {
		p->seg[i].offset = segs[i][0];
		p->seg[i].bps = segs[i][1];
	}
	tbx_profile_finish(p);
	return p;
}

static void profile_lookup(struct kunit *test)
{
	static const u64 s[][2] = { { 0, 1 }, { 100, 2 }, { 200, 3 } };
	struct tbx_profile *p = mkprof(test, 300, s, 3);

	KUNIT_EXPECT_EQ(test, tbx_profile_lookup(p, 0), 0U);
	KUNIT_EXPECT_EQ(test, tbx_profile_lookup(p, 99), 0U);
	KUNIT_EXPECT_EQ(test, tbx_profile_lookup(p, 100), 1U);
	KUNIT_EXPECT_EQ(test, tbx_profile_lookup(p, 199), 1U);
	KUNIT_EXPECT_EQ(test, tbx_profile_lookup(p, 200), 2U);
	KUNIT_EXPECT_EQ(test, tbx_profile_lookup(p, 299), 2U);
}

/* 8 kbit/s for the first half of each second, then silence. */
static void profile_period_boundaries(struct kunit *test)
{
	static const u64 s[][2] = { { 0, 8000 }, { 500 * MS, 0 } };
	struct tbx_profile *p = mkprof(test, SEC, s, 2);
	struct tbx_pace r = { .prof = p, .frame_bits = 80 };
	u64 rem;

	KUNIT_EXPECT_EQ(test, p->period_bits, 4000ULL);
	KUNIT_EXPECT_EQ(test, tbx_profile_bits(p, 500 * MS), 4000ULL);
	KUNIT_EXPECT_EQ(test, tbx_profile_bits(p, 1500 * MS), 8000ULL);
	KUNIT_EXPECT_EQ(test, tbx_profile_due(p, 10 * MS - 1, 80, &rem), 0ULL);
	KUNIT_EXPECT_EQ(test, rem, 79ULL);
	KUNIT_EXPECT_EQ(test, tbx_profile_due(p, 10 * MS, 80, &rem), 1ULL);
	KUNIT_EXPECT_EQ(test, tbx_profile_due(p, 999 * MS, 80, &rem), 50ULL);
	KUNIT_EXPECT_EQ(test, tbx_profile_due(p, SEC, 80, &rem), 50ULL);
	KUNIT_EXPECT_EQ(test, tbx_profile_due(p, SEC + 10 * MS, 80, &rem), 51ULL);
	/* In the silence, look again at the period's end; then 10 ms on. */
	KUNIT_EXPECT_EQ(test, tbx_pace_when(&r, 600 * MS, 51), SEC);
	KUNIT_EXPECT_EQ(test, tbx_pace_when(&r, SEC, 51), SEC + 10 * MS);
	check_when(test, &r, 495 * MS);
	check_when(test, &r, 7 * SEC + 499 * MS);
}

/* Reference: bits by walking the segments, for small figures. */
static u64 ref_bits(const struct tbx_profile *p, u64 t)
{
	u64 n = t / p->period, o = t % p->period, bits = n * p->period_bits;
	u32 i;

	for (i = 0; i < p->count; i++) {
		u64 end = i + 1 < p->count ? p->seg[i + 1].offset : p->period;

		if (o <= p->seg[i].offset)
			break;
		bits += (min(o, end) - p->seg[i].offset) * p->seg[i].bps / SEC;
	}
	return bits;
}

static void profile_matches_reference(struct kunit *test)
{
	static const u64 s[][2] = { { 0, 3000001 }, { 7 * MS, 0 },
				    { 11 * MS, 123457 }, { 40 * MS, 9999999 } };
	struct tbx_profile *p = mkprof(test, 50 * MS + 3, s, 4);
	struct tbx_pace r = { .prof = p, .frame_bits = 8 * 61 };
	u64 t, rem;

	for (t = 0; t < 2 * SEC; t += 999983) {
		u64 bits = ref_bits(p, t);

		KUNIT_EXPECT_EQ(test, tbx_profile_bits(p, t), bits);
		KUNIT_EXPECT_EQ(test, tbx_profile_due(p, t, 8 * 61, &rem),
				bits / (8 * 61));
		KUNIT_EXPECT_EQ(test, rem, bits % (8 * 61));
		check_when(test, &r, t);
	}
}

/* A single segment is a constant rate, at any elapsed time. */
static void profile_single_segment(struct kunit *test)
{
	static const u64 s[][2] = { { 0, TBX_NET_RATE_BPS_MAX } };
	static const u64 z[][2] = { { 0, 0 } };
	struct tbx_profile *p = mkprof(test, MS, s, 1);
	struct tbx_pace r = { .prof = mkprof(test, SEC, z, 1), .frame_bits = 336 };
	u64 rem, t;

	for (t = 0; t < 100 * YEAR; t = t * 3 + 12345)
		KUNIT_EXPECT_EQ(test, tbx_profile_due(p, t, 336, &rem),
				tbx_pace_due_bps(t, TBX_NET_RATE_BPS_MAX, 336));
	/* 100 years at 400 Gbit/s: the bits overflow, the frames do not. */
	KUNIT_EXPECT_EQ(test, tbx_profile_bits(p, 100 * YEAR), U64_MAX);
	KUNIT_EXPECT_EQ(test, tbx_profile_due(p, 100 * YEAR, 336, &rem),
			tbx_muldiv(100 * YEAR, 400, 336));
	/* The longest period at the highest rate fits. */
	p = mkprof(test, TBX_PROFILE_PERIOD_MAX, s, 1);
	KUNIT_EXPECT_EQ(test, p->period_bits, TBX_PROFILE_PERIOD_MAX / SEC *
			TBX_NET_RATE_BPS_MAX);
	KUNIT_EXPECT_EQ(test, tbx_profile_due(p, 3 * TBX_PROFILE_PERIOD_MAX, 336,
					      &rem),
			tbx_muldiv(3 * TBX_PROFILE_PERIOD_MAX, 400, 336));
	/* All silence: nothing due, ever; look again each period. */
	KUNIT_EXPECT_EQ(test, tbx_pace_due(&r, 10 * SEC), 0ULL);
	KUNIT_EXPECT_EQ(test, tbx_pace_when(&r, 10 * SEC + 5, 1), 11 * SEC);
}

/* A rate change neither bursts to catch up nor loses what was sent. */
static void rate_changes(struct kunit *test)
{
	struct tbx_pace fast = { .pps = 1000 }, slow = { .pps = 10 };
	struct tbx_pacer pc;

	tbx_pacer_rebase(&pc, &fast, 0, 0);
	KUNIT_EXPECT_EQ(test, tbx_pacer_due(&pc, &fast, 5 * SEC), 5000ULL);
	/* Down at 5 s with everything sent. */
	tbx_pacer_rebase(&pc, &slow, 5 * SEC, 5000);
	KUNIT_EXPECT_EQ(test, tbx_pacer_due(&pc, &slow, 5 * SEC), 5000ULL);
	KUNIT_EXPECT_EQ(test, tbx_pacer_due(&pc, &slow, 6 * SEC), 5010ULL);
	KUNIT_EXPECT_EQ(test, tbx_pacer_when(&pc, &slow, 5 * SEC, 5000),
			5 * SEC + 100 * MS);
	/* Up at 10 s, having sent only 5040 of 5050 due: the 10 are let go. */
	tbx_pacer_rebase(&pc, &fast, 10 * SEC, 5040);
	KUNIT_EXPECT_EQ(test, tbx_pacer_due(&pc, &fast, 10 * SEC), 5040ULL);
	KUNIT_EXPECT_EQ(test, tbx_pacer_due(&pc, &fast, 10 * SEC + MS), 5041ULL);
	KUNIT_EXPECT_EQ(test, tbx_pacer_when(&pc, &fast, 10 * SEC, 5040),
			10 * SEC + MS);
	/* A change mid-interval: the new rate's grid, not a fresh one. */
	tbx_pacer_rebase(&pc, &slow, 10 * SEC + 150 * MS, 5190);
	KUNIT_EXPECT_EQ(test, tbx_pacer_when(&pc, &slow, 10 * SEC + 150 * MS, 5190),
			10 * SEC + 200 * MS);
	/* Late in a long run at the highest rate. */
	fast.pps = TBX_NET_RATE_PPS_MAX;
	tbx_pacer_rebase(&pc, &fast, 50 * YEAR, 7);
	KUNIT_EXPECT_EQ(test, tbx_pacer_due(&pc, &fast, 50 * YEAR + SEC),
			7 + TBX_NET_RATE_PPS_MAX);
}

static struct kunit_case tbx_pace_cases[] = {
	KUNIT_CASE(muldiv_exact_and_saturating),
	KUNIT_CASE(due_pps),
	KUNIT_CASE(due_bps),
	KUNIT_CASE(when_is_exact),
	KUNIT_CASE(profile_lookup),
	KUNIT_CASE(profile_period_boundaries),
	KUNIT_CASE(profile_matches_reference),
	KUNIT_CASE(profile_single_segment),
	KUNIT_CASE(rate_changes),
	{}
};

static struct kunit_suite tbx_pace_suite = {
	.name = "tbx_pace",
	.test_cases = tbx_pace_cases,
};

/* --- tbx_net_build ---------------------------------------------------------- */

static const struct tbx_net_tmpl base_tmpl = {
	.size = 100,
	.dst = cpu_to_be32(0xc6120002),		/* 198.18.0.2 */
	.dst_port = 9,
	.src_min = 0xc6120001,
	.src_max = 0xc6120001,
	.icmp_id = 0x1234,
	.dst_mac = { 2, 0, 0, 0, 0, 2 },
	.src_mac = { 2, 0, 0, 0, 0, 1 },
};

/* Checks the frame's Ethernet and IP headers and its L4 checksum. */
static u8 check_frame(struct kunit *test, const struct tbx_net_tmpl *t,
		      const u8 *buf, u64 seq)
{
	const struct ethhdr *eth = (const void *)buf;
	const struct iphdr *iph = (const void *)(buf + ETH_HLEN);
	const void *l4 = iph + 1;
	u32 len = t->size - ETH_HLEN - sizeof(*iph);

	KUNIT_EXPECT_EQ(test, eth->h_proto, htons(ETH_P_IP));
	KUNIT_EXPECT_TRUE(test, ether_addr_equal(eth->h_dest, t->dst_mac));
	KUNIT_EXPECT_TRUE(test, ether_addr_equal(eth->h_source, t->src_mac));
	KUNIT_EXPECT_EQ(test, (int)iph->version, 4);
	KUNIT_EXPECT_EQ(test, (int)iph->ihl, 5);
	KUNIT_EXPECT_EQ(test, ntohs(iph->tot_len), t->size - ETH_HLEN);
	KUNIT_EXPECT_EQ(test, ip_fast_csum(iph, iph->ihl), 0);
	KUNIT_EXPECT_EQ(test, iph->saddr, tbx_net_src(t, seq));
	KUNIT_EXPECT_EQ(test, iph->daddr, t->dst);

	switch (iph->protocol) {
	case IPPROTO_UDP:
		KUNIT_EXPECT_EQ(test, ntohs(((const struct udphdr *)l4)->len), len);
		fallthrough;
	case IPPROTO_TCP:
		KUNIT_EXPECT_EQ(test, csum_tcpudp_magic(iph->saddr, iph->daddr,
							len, iph->protocol,
							csum_partial(l4, len, 0)),
				0);
		break;
	case IPPROTO_ICMP:
		KUNIT_EXPECT_EQ(test, ip_compute_csum(l4, len), 0);
		break;
	default:
		KUNIT_FAIL(test, "protocol %u", iph->protocol);
	}
	return iph->protocol;
}

static u8 *frame_buf(struct kunit *test)
{
	u8 *buf = kunit_kzalloc(test, 1514, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	return buf;
}

static void build_udp(struct kunit *test)
{
	struct tbx_net_tmpl t = base_tmpl;
	u8 *buf = frame_buf(test);
	struct rnd_state rnd;
	const struct udphdr *uh = (const void *)(buf + ETH_HLEN + 20);

	prandom_seed_state(&rnd, 1);
	t.pattern = TBX_NET_PATTERN_UDP;
	t.size = tbx_net_min_size(t.pattern);
	KUNIT_EXPECT_EQ(test, t.size, 42U);
	tbx_net_build(&t, buf, 5, &rnd);
	KUNIT_EXPECT_EQ(test, check_frame(test, &t, buf, 5), IPPROTO_UDP);
	KUNIT_EXPECT_EQ(test, ntohs(uh->dest), 9);
	t.size = 1514;
	tbx_net_build(&t, buf, 6, &rnd);
	check_frame(test, &t, buf, 6);
}

static void build_tcp_syn(struct kunit *test)
{
	struct tbx_net_tmpl t = base_tmpl;
	u8 *buf = frame_buf(test);
	const struct tcphdr *th = (const void *)(buf + ETH_HLEN + 20);
	struct rnd_state rnd;
	u16 sport0;

	prandom_seed_state(&rnd, 2);
	t.pattern = TBX_NET_PATTERN_TCP_SYN;
	t.size = tbx_net_min_size(t.pattern);
	KUNIT_EXPECT_EQ(test, t.size, 54U);
	tbx_net_build(&t, buf, 0, &rnd);
	KUNIT_EXPECT_EQ(test, check_frame(test, &t, buf, 0), IPPROTO_TCP);
	KUNIT_EXPECT_EQ(test, tcp_flag_byte(th), (u8)TCPHDR_SYN);
	KUNIT_EXPECT_EQ(test, (int)th->doff, 5);
	sport0 = th->source;
	tbx_net_build(&t, buf, 1, &rnd);
	check_frame(test, &t, buf, 1);
	KUNIT_EXPECT_NE(test, th->source, sport0);
}

static void build_icmp_echo(struct kunit *test)
{
	struct tbx_net_tmpl t = base_tmpl;
	u8 *buf = frame_buf(test);
	const struct icmphdr *ih = (const void *)(buf + ETH_HLEN + 20);
	struct rnd_state rnd;

	prandom_seed_state(&rnd, 3);
	t.pattern = TBX_NET_PATTERN_ICMP_ECHO;
	KUNIT_EXPECT_EQ(test, tbx_net_min_size(t.pattern), 42U);
	tbx_net_build(&t, buf, 77, &rnd);
	KUNIT_EXPECT_EQ(test, check_frame(test, &t, buf, 77), IPPROTO_ICMP);
	KUNIT_EXPECT_EQ(test, ih->type, ICMP_ECHO);
	KUNIT_EXPECT_EQ(test, ntohs(ih->un.echo.id), 0x1234);
	KUNIT_EXPECT_EQ(test, ntohs(ih->un.echo.sequence), 77);
}

static void build_fuzz(struct kunit *test)
{
	struct tbx_net_tmpl t = base_tmpl;
	u8 *buf = frame_buf(test);
	struct rnd_state rnd;
	int seen[256] = {}, i;

	prandom_seed_state(&rnd, 4);
	t.pattern = TBX_NET_PATTERN_FUZZ;
	KUNIT_EXPECT_EQ(test, tbx_net_min_size(t.pattern), 54U);
	for (i = 0; i < 300; i++) {
		t.size = 54 + i * 4;
		tbx_net_build(&t, buf, i, &rnd);
		seen[check_frame(test, &t, buf, i)]++;
	}
	KUNIT_EXPECT_GT(test, seen[IPPROTO_UDP], 0);
	KUNIT_EXPECT_GT(test, seen[IPPROTO_TCP], 0);
	KUNIT_EXPECT_GT(test, seen[IPPROTO_ICMP], 0);
	KUNIT_EXPECT_EQ(test, seen[IPPROTO_UDP] + seen[IPPROTO_TCP] +
			seen[IPPROTO_ICMP], 300);
}

static void sources_in_turn(struct kunit *test)
{
	struct tbx_net_tmpl t = base_tmpl;

	t.src_min = 0xc6120a01;
	t.src_max = 0xc6120a03;
	KUNIT_EXPECT_EQ(test, tbx_net_src(&t, 0), htonl(0xc6120a01));
	KUNIT_EXPECT_EQ(test, tbx_net_src(&t, 2), htonl(0xc6120a03));
	KUNIT_EXPECT_EQ(test, tbx_net_src(&t, 3), htonl(0xc6120a01));
	KUNIT_EXPECT_EQ(test, tbx_net_src(&t, 3000002), htonl(0xc6120a03));
	/* The whole address space: the span 2^32 does not wrap to 0. */
	t.src_min = 0;
	t.src_max = U32_MAX;
	KUNIT_EXPECT_EQ(test, tbx_net_src(&t, U32_MAX), htonl(U32_MAX));
	KUNIT_EXPECT_EQ(test, tbx_net_src(&t, 1ULL << 32), htonl(0));
	KUNIT_EXPECT_EQ(test, tbx_net_min_size(0), 0U);
	KUNIT_EXPECT_EQ(test, tbx_net_min_size(TBX_NET_PATTERN_MAX + 1), 0U);
}

static struct kunit_case tbx_net_build_cases[] = {
	KUNIT_CASE(build_udp),
	KUNIT_CASE(build_tcp_syn),
	KUNIT_CASE(build_icmp_echo),
	KUNIT_CASE(build_fuzz),
	KUNIT_CASE(sources_in_turn),
	{}
};

static struct kunit_suite tbx_net_build_suite = {
	.name = "tbx_net_build",
	.test_cases = tbx_net_build_cases,
};

kunit_test_suites(&tbx_pace_suite, &tbx_net_build_suite);
