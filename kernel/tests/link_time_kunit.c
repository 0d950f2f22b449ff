// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the tbx qdisc's time and rate arithmetic, profile lookup and
 * statistics intervals (link_time.c, link_stats.c). Suite "tbx_link_time".
 */
#include <kunit/test.h>
#include <linux/slab.h>

#include "../link.h"
#include "../link_time.h"

#define SEC	NSEC_PER_SEC
#define MS	NSEC_PER_MSEC

static u64 tx(u32 len, s32 overhead, u64 rate)
{
	const struct tbx_link_framing f = { .overhead = overhead };

	return tbx_link_tx_ns(tbx_link_wire_bytes(len, &f), rate);
}

static void tx_time(struct kunit *test)
{
	/* 1500 bytes at 10 Mbit/s: 1.2 ms exactly. */
	KUNIT_EXPECT_EQ(test, tx(1500, 0, 10000000), 1200000ULL);
	/* Overhead counts: 1496 + 4 is the same. */
	KUNIT_EXPECT_EQ(test, tx(1496, 4, 10000000), 1200000ULL);
	/* 1 byte at 3 bit/s: 8/3 s, rounded up. */
	KUNIT_EXPECT_EQ(test, tx(1, 0, 3), 2666666667ULL);
	/* A negative overhead larger than the packet: no time at all. */
	KUNIT_EXPECT_EQ(test, tx(40, -64, 1000), 0ULL);
	/* The largest packet at 1 bit/s: capped, never wrapping. */
	KUNIT_EXPECT_EQ(test, tx(U32_MAX, S32_MAX, 1), TBX_LINK_TX_MAX);
	KUNIT_EXPECT_EQ(test, tx(65536, 0, 1000), 524288000000ULL);
	/* 64 bytes at 400 Gbit/s: 1.28 ns, rounded up. */
	KUNIT_EXPECT_EQ(test, tx(64, 0, 400000000000ULL), 2ULL);
	KUNIT_EXPECT_EQ(test, tx(64, 0, U64_MAX), 1ULL);
	/* A run of n packets takes at least n * len * 8 / rate. */
	KUNIT_EXPECT_GE(test, 1000 * tx(100, 0, 7000000),
			1000ULL * 800 * SEC / 7000000);
}

/* netem's packet_time_ns() cells, against a naive count of cells. */
static void cells(struct kunit *test)
{
	struct tbx_link_framing f = { .overhead = 4, .cell_size = 48,
				      .cell_overhead = 5 };
	u32 len;

	for (len = 0; len < 2000; len++) {
		s64 bytes = (s64)len + 4, n = 0, want;

		while (n * 48 < bytes)
			n++;	/* the cells @bytes fills, the last partly */
		want = n * (48 + 5);
		KUNIT_EXPECT_EQ(test, tbx_link_wire_bytes(len, &f), (u64)want);
	}
	/* ATM: 53-byte cells for 48 bytes, a 100-byte packet takes 3. */
	f.overhead = 0;
	KUNIT_EXPECT_EQ(test, tbx_link_wire_bytes(100, &f), 159ULL);
	/* Extremes stay in range. */
	f = (struct tbx_link_framing){ S32_MAX, 1, S32_MAX };
	KUNIT_EXPECT_EQ(test, tbx_link_wire_bytes(U32_MAX, &f),
			((u64)U32_MAX + S32_MAX) * (1ULL + S32_MAX));
	f = (struct tbx_link_framing){ 0, 100, -200 };
	KUNIT_EXPECT_EQ(test, tbx_link_wire_bytes(1000, &f), 0ULL);
}

static void chance(struct kunit *test)
{
	KUNIT_EXPECT_FALSE(test, tbx_link_chance(0, 0));
	KUNIT_EXPECT_FALSE(test, tbx_link_chance(U32_MAX, 0));
	KUNIT_EXPECT_TRUE(test, tbx_link_chance(0, TBX_LINK_PPM));
	KUNIT_EXPECT_TRUE(test, tbx_link_chance(U32_MAX, TBX_LINK_PPM));
	/* 50 %: exactly the lower half of the u32 range. */
	KUNIT_EXPECT_TRUE(test, tbx_link_chance(0x7fffffff, 500000));
	KUNIT_EXPECT_FALSE(test, tbx_link_chance(0x80000000, 500000));
	/* 1 ppm: 4294.967296 values of 2^32. */
	KUNIT_EXPECT_TRUE(test, tbx_link_chance(4294, 1));
	KUNIT_EXPECT_FALSE(test, tbx_link_chance(4295, 1));
}

static struct tbx_link_prof *three_segs(struct kunit *test)
{
	struct tbx_link_prof *p;

	p = kunit_kzalloc(test, struct_size(p, seg, 3), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	p->period = 5 * SEC;
	p->count = 3;
	p->seg[0] = (struct tbx_link_seg){ 0, 1000000, 0, 0 };
	p->seg[1] = (struct tbx_link_seg){ 1 * SEC, 2000000, 10 * MS, 0 };
	p->seg[2] = (struct tbx_link_seg){ 3 * SEC, 0, 20 * MS, 500000 };
	return p;
}

static void profile_lookup(struct kunit *test)
{
	struct tbx_link_prof *p = three_segs(test);

	KUNIT_EXPECT_EQ(test, tbx_link_prof_lookup(p, 0), 0U);
	KUNIT_EXPECT_EQ(test, tbx_link_prof_lookup(p, SEC - 1), 0U);
	KUNIT_EXPECT_EQ(test, tbx_link_prof_lookup(p, SEC), 1U);
	KUNIT_EXPECT_EQ(test, tbx_link_prof_lookup(p, 3 * SEC - 1), 1U);
	KUNIT_EXPECT_EQ(test, tbx_link_prof_lookup(p, 3 * SEC), 2U);
	KUNIT_EXPECT_EQ(test, tbx_link_prof_lookup(p, 5 * SEC - 1), 2U);
	p->count = 1;
	KUNIT_EXPECT_EQ(test, tbx_link_prof_lookup(p, 4 * SEC), 0U);
}

static void profile_phase_and_ends(struct kunit *test)
{
	struct tbx_link_prof *p = three_segs(test);
	u64 base = 100 * SEC + 7;

	KUNIT_EXPECT_EQ(test, tbx_link_phase(p, base, base), 0ULL);
	KUNIT_EXPECT_EQ(test, tbx_link_phase(p, base, base + 12 * SEC), 2 * SEC);
	/* Periods repeat: the 4th period's second segment. */
	KUNIT_EXPECT_EQ(test, tbx_link_seg_at(p, base, base + 16 * SEC)->rate,
			2000000ULL);
	KUNIT_EXPECT_EQ(test, tbx_link_seg_at(p, base, base + 18 * SEC)->loss,
			500000U);
	/* Ends: the next offset, or the period's end; always later. */
	KUNIT_EXPECT_EQ(test, tbx_link_seg_end(p, base, base), base + SEC);
	KUNIT_EXPECT_EQ(test, tbx_link_seg_end(p, base, base + SEC), base + 3 * SEC);
	KUNIT_EXPECT_EQ(test, tbx_link_seg_end(p, base, base + 4 * SEC),
			base + 5 * SEC);
	KUNIT_EXPECT_EQ(test, tbx_link_seg_end(p, base, base + 5 * SEC - 1),
			base + 5 * SEC);
	KUNIT_EXPECT_EQ(test, tbx_link_seg_end(p, base, base + 5 * SEC),
			base + 6 * SEC);
}

static void intervals_roll(struct kunit *test)
{
	struct tbx_link_series *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	u64 t0 = 1000 * SEC;

	KUNIT_ASSERT_NOT_NULL(test, s);
	tbx_link_series_start(s, t0);
	s->cur.bytes = 10;
	tbx_link_series_roll(s, SEC, t0 + SEC - 1);
	KUNIT_EXPECT_EQ(test, s->closed, 0ULL);
	tbx_link_series_roll(s, SEC, t0 + SEC);
	KUNIT_EXPECT_EQ(test, s->closed, 1ULL);
	KUNIT_EXPECT_EQ(test, s->ring[0].bytes, 10ULL);
	KUNIT_EXPECT_EQ(test, s->cur.index, 1ULL);
	KUNIT_EXPECT_EQ(test, s->cur.start, t0 + SEC);
	KUNIT_EXPECT_EQ(test, s->cur.bytes, 0ULL);
	/* 2.5 intervals later: two closed (one empty), the third open. */
	s->cur.bytes = 5;
	tbx_link_series_roll(s, SEC, t0 + 3 * SEC + SEC / 2);
	KUNIT_EXPECT_EQ(test, s->closed, 3ULL);
	KUNIT_EXPECT_EQ(test, s->ring[1].bytes, 5ULL);
	KUNIT_EXPECT_EQ(test, s->ring[2].bytes, 0ULL);
	KUNIT_EXPECT_EQ(test, s->ring[2].index, 2ULL);
	KUNIT_EXPECT_EQ(test, s->cur.start, t0 + 3 * SEC);
	/* A long idle spell: indexes and starts stay exact. */
	tbx_link_series_roll(s, SEC, t0 + 1000000 * SEC + 1);
	KUNIT_EXPECT_EQ(test, s->cur.index, 1000000ULL);
	KUNIT_EXPECT_EQ(test, s->cur.start, t0 + 1000000 * SEC);
	KUNIT_EXPECT_EQ(test, s->closed, 1000000ULL);
}

/* A packet the host dequeued late counts in the interval it was due in. */
static void intervals_by_due_time(struct kunit *test)
{
	struct tbx_link_series *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	u64 t0 = 1000 * SEC;

	KUNIT_ASSERT_NOT_NULL(test, s);
	tbx_link_series_start(s, t0);
	/* Nothing closed yet: everything goes to the current interval. */
	KUNIT_EXPECT_PTR_EQ(test, tbx_link_series_at(s, SEC, t0 - SEC), &s->cur);
	tbx_link_series_roll(s, SEC, t0 + 3 * SEC + SEC / 2);	/* 3 closed */
	KUNIT_EXPECT_PTR_EQ(test, tbx_link_series_at(s, SEC, t0 + 3 * SEC), &s->cur);
	KUNIT_EXPECT_PTR_EQ(test, tbx_link_series_at(s, SEC, t0 + 4 * SEC), &s->cur);
	/* Just before the current one: the last closed, index 2. */
	KUNIT_EXPECT_EQ(test, tbx_link_series_at(s, SEC, t0 + 3 * SEC - 1)->index, 2ULL);
	KUNIT_EXPECT_EQ(test, tbx_link_series_at(s, SEC, t0 + 2 * SEC)->index, 2ULL);
	KUNIT_EXPECT_EQ(test, tbx_link_series_at(s, SEC, t0 + SEC / 2)->index, 0ULL);
	/* Before the first interval, or older than the ring: the current one. */
	KUNIT_EXPECT_PTR_EQ(test, tbx_link_series_at(s, SEC, t0 - 1), &s->cur);
	/* With the ring wrapped, the oldest kept is still found by its time. */
	tbx_link_series_roll(s, SEC, t0 + 100 * SEC);
	KUNIT_EXPECT_EQ(test, tbx_link_series_at(s, SEC, t0 + 36 * SEC)->index, 36ULL);
	KUNIT_EXPECT_EQ(test, tbx_link_series_at(s, SEC, t0 + 99 * SEC)->index, 99ULL);
	KUNIT_EXPECT_PTR_EQ(test, tbx_link_series_at(s, SEC, t0 + 35 * SEC), &s->cur);
}

static struct kunit_case tbx_link_time_cases[] = {
	KUNIT_CASE(tx_time),
	KUNIT_CASE(cells),
	KUNIT_CASE(chance),
	KUNIT_CASE(profile_lookup),
	KUNIT_CASE(profile_phase_and_ends),
	KUNIT_CASE(intervals_roll),
	KUNIT_CASE(intervals_by_due_time),
	{}
};

static struct kunit_suite tbx_link_time_suite = {
	.name = "tbx_link_time",
	.test_cases = tbx_link_time_cases,
};

kunit_test_suites(&tbx_link_time_suite);
