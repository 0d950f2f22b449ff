// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: netem's random models in the tbx qdisc (link_rand.c,
 * link_loss.c, link_slot.c, link_dist.c's tables) against naive reference
 * models written here from netem's description: the same draws must give
 * the same decisions, and long runs the analytic rates, within several
 * standard errors. Suite "tbx_link_models".
 */
#include <kunit/test.h>
#include <linux/math64.h>
#include <linux/prandom.h>

#include <uapi/linux/tbx.h>

#include "../link_dist.h"
#include "../link_loss.h"
#include "../link_rand.h"
#include "../link_slot.h"

#define STEPS	200000
#define SEED	0x74627874657374ULL

/* netem's correlated draw, in 128-bit arithmetic. */
static u32 ref_crnd(u32 *last, u32 rho, u32 fresh)
{
	unsigned __int128 w = (unsigned __int128)rho + 1;

	if (!rho)
		return fresh;
	*last = (u32)((fresh * (((unsigned __int128)1 << 32) - w) + *last * w) >> 32);
	return *last;
}

static void correlation(struct kunit *test)
{
	static const u32 rhos[] = { 0, 1, 2147483648U, 4000000000U, U32_MAX };
	struct rnd_state rs;
	unsigned int r, i;

	KUNIT_EXPECT_EQ(test, tbx_ppm_to_u32(0), 0U);
	KUNIT_EXPECT_EQ(test, tbx_ppm_to_u32(500000), 2147483648U);
	KUNIT_EXPECT_EQ(test, tbx_ppm_to_u32(1000000), U32_MAX);
	KUNIT_EXPECT_EQ(test, tbx_ppm_to_u32(250000), 1073741824U);

	prandom_seed_state(&rs, SEED);
	for (r = 0; r < ARRAY_SIZE(rhos); r++) {
		struct tbx_crnd c = { .rho = rhos[r], .last = 12345 };
		u32 last = 12345;

		for (i = 0; i < 10000; i++) {
			u32 fresh = prandom_u32_state(&rs);

			KUNIT_ASSERT_EQ(test, tbx_crnd_next(&c, fresh),
					ref_crnd(&last, rhos[r], fresh));
		}
	}
}

/* With correlation 50 %, successive draws correlate by 0.5. */
static void correlation_effect(struct kunit *test)
{
	struct tbx_crnd c = { .rho = tbx_ppm_to_u32(500000) };
	struct rnd_state rs;
	s64 sx = 0, sxy = 0, sxx = 0, prev = 0;
	s64 mean, cov, var;
	int i;

	prandom_seed_state(&rs, SEED);
	for (i = 0; i < STEPS; i++) {
		/* In units of 2^-16, centred. */
		s64 x = (s64)(tbx_crnd_next(&c, prandom_u32_state(&rs)) >> 16) - 32768;

		sx += x;
		sxx += x * x;
		sxy += x * prev;
		prev = x;
	}
	mean = div_s64(sx, STEPS);
	var = div_s64(sxx, STEPS) - mean * mean;
	cov = div_s64(sxy, STEPS) - mean * mean;
	/* Mean 0, +/- 6 standard errors (42 in these units). */
	KUNIT_EXPECT_LT(test, abs(mean), 250);
	/* Lag-1 autocorrelation 0.5, +/- 0.02 (standard error 0.002). */
	KUNIT_EXPECT_LT(test, abs(div_s64(cov * 1000, var) - 500), 20);
}

/* The 4-state chain written as its transition table. */
struct arc {
	u8 to;
	u32 ppm;
};

static bool ref_4state(const struct tbx_loss_4state *m, u8 *s, u32 rnd)
{
	struct arc arcs[4][3] = {
		[1] = { { 4, m->p14 }, { 3, m->p13 }, { 1, 1000000 } },
		[2] = { { 3, m->p23 }, { 2, 1000000 } },
		[3] = { { 2, m->p32 }, { 1, m->p31 }, { 3, 1000000 } },
	};
	u64 cum = 0;
	int i;

	if (*s == 4) {
		*s = 1;
		return false;
	}
	for (i = 0; i < 3; i++) {
		cum += arcs[*s][i].ppm;
		/* The last arc takes whatever is left. */
		if (arcs[*s][i].ppm == 1000000 || (u64)rnd * 1000000 < cum << 32) {
			/* Entering a lost state loses; so does staying in 3. */
			*s = arcs[*s][i].to;
			return *s == 3 || *s == 4;
		}
	}
	return false;
}

static void loss_4state(struct kunit *test)
{
	const struct tbx_loss_4state m = {
		.p13 = 50000, .p31 = 300000, .p32 = 200000, .p23 = 400000, .p14 = 20000,
	};
	struct rnd_state rs;
	u8 s = TBX_4S_GAP_RX, rs_s = 1;
	u64 lost = 0, pi1, pi2, pi3, pi4, sum;
	int i;

	prandom_seed_state(&rs, SEED);
	for (i = 0; i < STEPS; i++) {
		u32 rnd = prandom_u32_state(&rs);
		bool a = tbx_loss_4state_step(&m, &s, rnd);

		KUNIT_ASSERT_EQ(test, a, ref_4state(&m, &rs_s, rnd));
		KUNIT_ASSERT_EQ(test, s, rs_s);
		lost += a;
	}
	/*
	 * Stationary: pi4 = pi1 p14, pi3 = pi1 p13 / p31, pi2 = pi3 p32 / p23;
	 * a packet is lost in states 3 and 4. In units of pi1 = 1e6.
	 */
	pi1 = 1000000;
	pi4 = pi1 * m.p14 / 1000000;
	pi3 = pi1 * m.p13 / m.p31;
	pi2 = pi3 * m.p32 / m.p23;
	sum = pi1 + pi2 + pi3 + pi4;
	/* Loss 0.09, about; bursts make the error larger: 1 point. */
	KUNIT_EXPECT_LT(test, abs((s64)div64_u64(lost * 1000000, STEPS) -
				  (s64)div64_u64((pi3 + pi4) * 1000000, sum)), 10000LL);
}

static bool ref_ge(const struct tbx_loss_ge *m, u8 *s, u32 move, u32 lose)
{
	/* The loss is drawn in the state the packet found. */
	bool bad = *s == TBX_GE_BAD;
	u32 leave = bad ? m->r : m->p, loss = bad ? m->loss_bad : m->loss_good;

	if ((u64)move * 1000000 < (u64)leave << 32)
		*s = bad ? TBX_GE_GOOD : TBX_GE_BAD;
	return (u64)lose * 1000000 < (u64)loss << 32;
}

static void loss_ge(struct kunit *test)
{
	const struct tbx_loss_ge m = {
		.p = 20000, .r = 250000, .loss_bad = 900000, .loss_good = 10000,
	};
	struct rnd_state rs;
	u8 s = TBX_GE_GOOD, ref_s = TBX_GE_GOOD;
	u64 lost = 0, want;
	int i;

	prandom_seed_state(&rs, SEED);
	for (i = 0; i < STEPS; i++) {
		u32 move = prandom_u32_state(&rs), lose = prandom_u32_state(&rs);
		bool a = tbx_loss_ge_step(&m, &s, move, lose);

		KUNIT_ASSERT_EQ(test, a, ref_ge(&m, &ref_s, move, lose));
		KUNIT_ASSERT_EQ(test, s, ref_s);
		lost += a;
	}
	/* pi_bad = p / (p + r); loss = pi_good k1 + pi_bad (1 - h). */
	want = div64_u64((u64)(m.r * (u64)m.loss_good + m.p * (u64)m.loss_bad),
			 m.p + m.r);
	KUNIT_EXPECT_LT(test, abs((s64)div64_u64(lost * 1000000, STEPS) - (s64)want),
			10000LL);
}

static void slots(struct kunit *test)
{
	struct tbx_slot_cfg c = {
		.min_delay = 5000000, .max_delay = 5000000, .packets = 3,
		.bytes = S32_MAX,
	};
	struct tbx_slot s;

	tbx_slot_open(&s, &c, 1000, 0);
	KUNIT_EXPECT_EQ(test, s.next, 5001000ULL);
	KUNIT_EXPECT_FALSE(test, tbx_slot_spend(&s, 1500));
	KUNIT_EXPECT_FALSE(test, tbx_slot_spend(&s, 1500));
	KUNIT_EXPECT_TRUE(test, tbx_slot_spend(&s, 1500));
	/* Bytes: a packet past what is left still goes, then it is spent. */
	c.packets = S32_MAX;
	c.bytes = 1000;
	tbx_slot_open(&s, &c, 0, 0);
	KUNIT_EXPECT_FALSE(test, tbx_slot_spend(&s, 400));
	KUNIT_EXPECT_FALSE(test, tbx_slot_spend(&s, 400));
	KUNIT_EXPECT_TRUE(test, tbx_slot_spend(&s, 400));
	/* Uniform between min and max: the draw's fraction of the span. */
	c.min_delay = 0;
	c.max_delay = 10000000;
	tbx_slot_open(&s, &c, 0, 1U << 31);
	KUNIT_EXPECT_EQ(test, s.next, 5000000ULL);
	/* A distribution drawing below 0 opens at once. */
	c.jitter = 4000000;
	c.delay = 1000000;
	c.dist = TBX_LINK_DIST_UNIFORM;
	tbx_slot_open(&s, &c, 777, 0);
	KUNIT_EXPECT_EQ(test, s.next, 777ULL);
}

/* A user table (iproute2's .dist) is indexed as netem's: rnd mod size. */
static void user_table(struct kunit *test)
{
	struct tbx_dist_table *t;

	t = kunit_kzalloc(test, struct_size(t, v, 3), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	t->size = 3;
	t->v[0] = -8192;
	t->v[1] = 0;
	t->v[2] = 16384;
	KUNIT_EXPECT_EQ(test, tbx_dist_sample(0, t, 0, 1000, 100), 900LL);
	KUNIT_EXPECT_EQ(test, tbx_dist_sample(0, t, 4, 1000, 100), 1000LL);
	KUNIT_EXPECT_EQ(test, tbx_dist_sample(0, t, 5, 1000, 100), 1200LL);
	/* No jitter: the delay itself. */
	KUNIT_EXPECT_EQ(test, tbx_dist_sample(0, t, 5, 1000, 0), 1000LL);
	/* Uniform as netem's: rnd mod 2 sigma, from delay - jitter. */
	KUNIT_EXPECT_EQ(test, tbx_dist_sample(TBX_LINK_DIST_UNIFORM, NULL, 250, 1000, 100),
			950LL);
}

static struct kunit_case tbx_link_models_cases[] = {
	KUNIT_CASE(correlation),
	KUNIT_CASE(correlation_effect),
	KUNIT_CASE(loss_4state),
	KUNIT_CASE(loss_ge),
	KUNIT_CASE(slots),
	KUNIT_CASE(user_table),
	{}
};

static struct kunit_suite tbx_link_models_suite = {
	.name = "tbx_link_models",
	.test_cases = tbx_link_models_cases,
};

kunit_test_suites(&tbx_link_models_suite);
