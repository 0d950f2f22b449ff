// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: jitter distributions (link_dist.c). Moments and quantiles of
 * 200000 seeded draws against the distributions' analytic values, with
 * bounds of several standard errors. Suite "tbx_link_dist".
 */
#include <kunit/test.h>
#include <linux/math64.h>
#include <linux/prandom.h>

#include <uapi/linux/tbx.h>

#include "../link_dist.h"

#define DRAWS	200000
#define SIGMA	1000000LL	/* 1 ms */

struct moments {
	s64 mean;		/* ns */
	u64 var_ppm;		/* variance / sigma^2, in ppm */
	u32 above_ppm;		/* draws > @cut, ppm */
};

static void draw(u8 dist, s64 cut, struct moments *m)
{
	struct rnd_state rs;
	s64 sum = 0;
	u64 sq = 0, above = 0;
	int i;

	prandom_seed_state(&rs, 0x7462786c696e6bULL);
	for (i = 0; i < DRAWS; i++) {
		s64 v = tbx_dist_sample(dist, NULL, prandom_u32_state(&rs), 0, SIGMA);

		sum += v;
		/* In units of sigma/1000 so squares stay small. */
		sq += (u64)(div_s64(v, 1000) * div_s64(v, 1000));
		above += v > cut;
	}
	m->mean = div_s64(sum, DRAWS);
	/* E[X^2] - E[X]^2, in (sigma/1000)^2 = 1e-6 sigma^2. */
	m->var_ppm = div_u64(sq, DRAWS) -
		     div_s64(m->mean, 1000) * div_s64(m->mean, 1000);
	m->above_ppm = div_u64(above * 1000000, DRAWS);
}

static void uniform(struct kunit *test)
{
	struct moments m;

	/* The ends of the range. */
	KUNIT_EXPECT_EQ(test, tbx_dist_sample(TBX_LINK_DIST_UNIFORM, NULL, 0, 5000, 1000),
			4000LL);
	KUNIT_EXPECT_LT(test, tbx_dist_sample(TBX_LINK_DIST_UNIFORM, NULL, U32_MAX, 5000,
					      1000), 6000LL);
	KUNIT_EXPECT_EQ(test, tbx_dist_sample(TBX_LINK_DIST_UNIFORM, NULL, 0, 0, 0), 0LL);
	draw(TBX_LINK_DIST_UNIFORM, 0, &m);
	/* sd of the mean: sigma / sqrt(3 * DRAWS) = 1291 ns; 5 of them. */
	KUNIT_EXPECT_LT(test, abs(m.mean), 6500LL);
	/* Variance sigma^2 / 3. */
	KUNIT_EXPECT_LT(test, abs((s64)m.var_ppm - 333333), 7000LL);
	KUNIT_EXPECT_LT(test, abs((s64)m.above_ppm - 500000), 6000LL);
}

static void normal(struct kunit *test)
{
	struct moments m;

	draw(TBX_LINK_DIST_NORMAL, 0, &m);
	/* sd of the mean: sigma / sqrt(DRAWS) = 2236 ns. */
	KUNIT_EXPECT_LT(test, abs(m.mean), 11200LL);
	/* Variance 1 (sd of the estimate 0.32 %). */
	KUNIT_EXPECT_LT(test, abs((s64)m.var_ppm - 1000000), 20000LL);
	KUNIT_EXPECT_LT(test, abs((s64)m.above_ppm - 500000), 6000LL);
	/* P(X > 1) = 0.158655. */
	draw(TBX_LINK_DIST_NORMAL, SIGMA, &m);
	KUNIT_EXPECT_LT(test, abs((s64)m.above_ppm - 158655), 5000LL);
	/* Clipped at 4 sigma, as netem's. */
	KUNIT_EXPECT_LE(test, tbx_dist_sample(TBX_LINK_DIST_NORMAL, NULL, U32_MAX, 0,
					      SIGMA), 4 * SIGMA);
}

static void pareto(struct kunit *test)
{
	struct moments m;

	/*
	 * X = (U^(-1/3) - 1.5) * 4/3: P(X > 0) = 1.5^-3 = 0.296296, and
	 * P(X > 4/3) = 2.5^-3 = 0.064.
	 */
	draw(TBX_LINK_DIST_PARETO, 0, &m);
	KUNIT_EXPECT_LT(test, abs((s64)m.above_ppm - 296296), 5000LL);
	draw(TBX_LINK_DIST_PARETO, SIGMA * 4 / 3, &m);
	KUNIT_EXPECT_LT(test, abs((s64)m.above_ppm - 64000), 3000LL);
	/* The smallest value: (1 - 1.5) * 4/3 = -2/3. */
	KUNIT_EXPECT_GE(test, tbx_dist_sample(TBX_LINK_DIST_PARETO, NULL, 0, 0, SIGMA),
			-2 * SIGMA / 3 - 1000);
	/* The heavy tail is clipped at 4 sigma. */
	KUNIT_EXPECT_LE(test, tbx_dist_sample(TBX_LINK_DIST_PARETO, NULL, U32_MAX, 0,
					      SIGMA), 4 * SIGMA);
}

static void paretonormal(struct kunit *test)
{
	struct moments m;

	/*
	 * (N + 3P) / 4 at the same quantile: the median is
	 * 3 * (2^(1/3) - 1.5) * 4/3 / 4 = -0.240079.
	 */
	draw(TBX_LINK_DIST_PARETONORMAL, -240079, &m);
	KUNIT_EXPECT_LT(test, abs((s64)m.above_ppm - 500000), 6000LL);
	/* Its 90th percentile: (1.281552 + 4 * (10^(1/3) - 1.5)) / 4 = 0.974823. */
	draw(TBX_LINK_DIST_PARETONORMAL, 974823, &m);
	KUNIT_EXPECT_LT(test, abs((s64)m.above_ppm - 100000), 4000LL);
}

static struct kunit_case tbx_link_dist_cases[] = {
	KUNIT_CASE(uniform),
	KUNIT_CASE(normal),
	KUNIT_CASE(pareto),
	KUNIT_CASE(paretonormal),
	{}
};

static struct kunit_suite tbx_link_dist_suite = {
	.name = "tbx_link_dist",
	.test_cases = tbx_link_dist_cases,
};

kunit_test_suites(&tbx_link_dist_suite);
