// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the duty-cycle arithmetic of cpu runs (duty.c): period bounds,
 * budgets in add and total mode, debt clamping, overflow-safe maths, and
 * that a simulated CPU's long-run mean converges on the level.
 */
#include <kunit/test.h>

#include "../duty.h"

#define MS	NSEC_PER_MSEC

static void period_bounds(struct kunit *test)
{
	u64 prev = 0, p;
	u32 r;

	KUNIT_EXPECT_EQ(test, TBX_DUTY_PERIOD_MIN, tbx_duty_period(0));
	KUNIT_EXPECT_EQ(test, TBX_DUTY_PERIOD_MAX, tbx_duty_period(U32_MAX));
	KUNIT_EXPECT_EQ(test, TBX_DUTY_PERIOD_MIN +
			(TBX_DUTY_PERIOD_MAX - TBX_DUTY_PERIOD_MIN + 1) / 2,
			tbx_duty_period(1U << 31));
	/* Monotonic in the random number, always within the bounds. */
	for (r = 0; r < U32_MAX - (1U << 24); r += 1U << 24) {
		p = tbx_duty_period(r);
		KUNIT_EXPECT_GE(test, p, prev);
		KUNIT_EXPECT_GE(test, p, TBX_DUTY_PERIOD_MIN);
		KUNIT_EXPECT_LE(test, p, TBX_DUTY_PERIOD_MAX);
		prev = p;
	}
}

static void share_and_scale(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 0ULL, tbx_duty_share(10 * MS, 0));
	KUNIT_EXPECT_EQ(test, 5 * MS, tbx_duty_share(10 * MS, 50));
	KUNIT_EXPECT_EQ(test, 10 * MS, tbx_duty_share(10 * MS, 100));
	KUNIT_EXPECT_EQ(test, 10 * MS, tbx_duty_share(10 * MS, 250));
	KUNIT_EXPECT_EQ(test, 0ULL, tbx_duty_share(1, 99));
	KUNIT_EXPECT_EQ(test, 98ULL, tbx_duty_share(99, 99));
	/* No overflow at the top of the range. */
	KUNIT_EXPECT_EQ(test, U64_MAX, tbx_duty_share(U64_MAX, 100));
	KUNIT_EXPECT_EQ(test, U64_MAX / 2, tbx_duty_share(U64_MAX, 50));

	KUNIT_EXPECT_EQ(test, 3ULL, tbx_duty_scale(3, 10, 10));
	KUNIT_EXPECT_EQ(test, 0ULL, tbx_duty_scale(3, 10, 0));
	KUNIT_EXPECT_EQ(test, 10ULL, tbx_duty_scale(30, 10, 10));	/* a <= den */
	KUNIT_EXPECT_EQ(test, 5 * MS, tbx_duty_scale(500 * MS, 10 * MS, NSEC_PER_SEC));
	/* a * num far beyond 64 bits: exact, never wrapped. */
	KUNIT_EXPECT_EQ(test, U64_MAX / 2, tbx_duty_scale(U64_MAX / 2, U64_MAX, U64_MAX));
	KUNIT_EXPECT_EQ(test, U64_MAX, tbx_duty_scale(U64_MAX, U64_MAX, U64_MAX));
	KUNIT_EXPECT_EQ(test, 1ULL << 39, tbx_duty_scale(1ULL << 40, 1ULL << 40, 1ULL << 41));
}

static void util_from_idle(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 0u, tbx_duty_util(0, 0));
	KUNIT_EXPECT_EQ(test, 0u, tbx_duty_util(NSEC_PER_SEC, NSEC_PER_SEC));
	/* Idle beyond wall (clocks read at slightly different instants). */
	KUNIT_EXPECT_EQ(test, 0u, tbx_duty_util(NSEC_PER_SEC, 2 * NSEC_PER_SEC));
	KUNIT_EXPECT_EQ(test, 100u, tbx_duty_util(NSEC_PER_SEC, 0));
	KUNIT_EXPECT_EQ(test, 50u, tbx_duty_util(NSEC_PER_SEC, NSEC_PER_SEC / 2));
	KUNIT_EXPECT_EQ(test, 34u, tbx_duty_util(1000, 665));	/* 33.5 rounds up */
	KUNIT_EXPECT_EQ(test, 33u, tbx_duty_util(1000, 666));
	KUNIT_EXPECT_EQ(test, 100u, tbx_duty_util(U64_MAX, 0));
	KUNIT_EXPECT_EQ(test, 50u, tbx_duty_util(U64_MAX, U64_MAX / 2));
	KUNIT_EXPECT_EQ(test, 40ULL, tbx_duty_busy(100, 60));
	KUNIT_EXPECT_EQ(test, 0ULL, tbx_duty_busy(100, 160));
}

static void budget_add(struct kunit *test)
{
	struct tbx_duty d = {};

	KUNIT_EXPECT_EQ(test, 0ULL, tbx_duty_budget(&d, 0, 10 * MS));
	KUNIT_EXPECT_EQ(test, 5 * MS, tbx_duty_budget(&d, 50, 10 * MS));
	KUNIT_EXPECT_EQ(test, 10 * MS, tbx_duty_budget(&d, 100, 10 * MS));
	/* Owed time is added, spent-ahead time taken off, within 0..period. */
	d.debt = 2 * MS;
	KUNIT_EXPECT_EQ(test, 7 * MS, tbx_duty_budget(&d, 50, 10 * MS));
	KUNIT_EXPECT_EQ(test, 10 * MS, tbx_duty_budget(&d, 90, 10 * MS));
	d.debt = -8 * (s64)MS;
	KUNIT_EXPECT_EQ(test, 0ULL, tbx_duty_budget(&d, 50, 10 * MS));
	/* 0 % and 100 % ignore any debt. */
	KUNIT_EXPECT_EQ(test, 0ULL, tbx_duty_budget(&d, 0, 10 * MS));
	KUNIT_EXPECT_EQ(test, 10 * MS, tbx_duty_budget(&d, 100, 10 * MS));
}

static void account_add(struct kunit *test)
{
	struct tbx_duty d = {};

	/* Ran 4 of the 5 ms owed: 1 ms debt; others never count in add mode. */
	tbx_duty_account(&d, 50, 10 * MS, 9 * MS, 4 * MS, false);
	KUNIT_EXPECT_EQ(test, (s64)MS, d.debt);
	KUNIT_EXPECT_EQ(test, 0ULL, d.others);
	KUNIT_EXPECT_EQ(test, 6 * MS, tbx_duty_budget(&d, 50, 10 * MS));
	/* Overshoot pays it back. */
	tbx_duty_account(&d, 50, 10 * MS, 6 * MS, 6 * MS, false);
	KUNIT_EXPECT_EQ(test, 0LL, d.debt);
}

static void budget_total(struct kunit *test)
{
	struct tbx_duty d = {};

	/* Others used 3 of 10 ms: at 60 % the thread spins the other 3. */
	tbx_duty_account(&d, 60, 10 * MS, 9 * MS, 6 * MS, true);
	KUNIT_EXPECT_EQ(test, 3 * MS, d.others);
	KUNIT_EXPECT_EQ(test, -3 * (s64)MS, d.debt);
	d.debt = 0;
	KUNIT_EXPECT_EQ(test, 3 * MS, tbx_duty_budget(&d, 60, 10 * MS));
	/* Others' rate scales to the next period's length. */
	KUNIT_EXPECT_EQ(test, 6 * MS, tbx_duty_budget(&d, 60, 20 * MS));
	/* Others already above the target: nothing to spin. */
	d.others = 8 * MS;
	KUNIT_EXPECT_EQ(test, 0ULL, tbx_duty_budget(&d, 60, 10 * MS));
	/* 100 % spins all the time whatever others do. */
	KUNIT_EXPECT_EQ(test, 10 * MS, tbx_duty_budget(&d, 100, 10 * MS));
	/* Busy reported beyond wall (clock skew) is held to wall. */
	d = (struct tbx_duty){};
	tbx_duty_account(&d, 50, 10 * MS, 30 * MS, 2 * MS, true);
	KUNIT_EXPECT_EQ(test, 8 * MS, d.others);
	KUNIT_EXPECT_EQ(test, -5 * (s64)MS, d.debt);
}

static void debt_is_bounded(struct kunit *test)
{
	struct tbx_duty d = {};
	int i;

	/* Others hold the CPU at 100 % for a long while: debt stays bounded. */
	for (i = 0; i < 1000; i++)
		tbx_duty_account(&d, 30, 10 * MS, 10 * MS, 0, true);
	KUNIT_EXPECT_EQ(test, -(s64)TBX_DUTY_DEBT_MAX, d.debt);
	/* When they stop, the thread is back at its full share in 5 periods. */
	for (i = 0; i < 5 && tbx_duty_budget(&d, 30, 10 * MS) < 3 * MS; i++) {
		u64 ran = tbx_duty_budget(&d, 30, 10 * MS);

		tbx_duty_account(&d, 30, 10 * MS, ran, ran, true);
	}
	KUNIT_EXPECT_EQ(test, 3 * MS, tbx_duty_budget(&d, 30, 10 * MS));
	/* The thread could not run at all: owed time is bounded too. */
	d = (struct tbx_duty){};
	for (i = 0; i < 1000; i++)
		tbx_duty_account(&d, 80, 10 * MS, 0, 0, false);
	KUNIT_EXPECT_EQ(test, (s64)TBX_DUTY_DEBT_MAX, d.debt);
	KUNIT_EXPECT_EQ(test, 10 * MS, tbx_duty_budget(&d, 80, 10 * MS));
}

static void stall_and_extremes(struct kunit *test)
{
	struct tbx_duty d = {};

	/* A stall of an hour counts as one second, no overflow. */
	tbx_duty_account(&d, 50, 3600ULL * NSEC_PER_SEC, 0, 0, true);
	KUNIT_EXPECT_EQ(test, (s64)TBX_DUTY_DEBT_MAX, d.debt);
	KUNIT_EXPECT_EQ(test, TBX_DUTY_WALL_MAX, d.wall);
	tbx_duty_account(&d, 100, U64_MAX, U64_MAX, U64_MAX, true);
	KUNIT_EXPECT_EQ(test, (s64)TBX_DUTY_DEBT_MAX, d.debt);
	KUNIT_EXPECT_EQ(test, 0ULL, d.others);
	tbx_duty_account(&d, 0, U64_MAX, U64_MAX, 0, true);
	KUNIT_EXPECT_EQ(test, TBX_DUTY_WALL_MAX, d.others);
	KUNIT_EXPECT_LE(test, tbx_duty_budget(&d, 99, U64_MAX), TBX_DUTY_WALL_MAX);
	/* A zero-length period accounts nothing and spins nothing. */
	d = (struct tbx_duty){};
	tbx_duty_account(&d, 50, 0, 0, 0, true);
	KUNIT_EXPECT_EQ(test, 0LL, d.debt);
	KUNIT_EXPECT_EQ(test, 0ULL, tbx_duty_budget(&d, 50, 0));
}

/*
 * A simulated CPU: others use @others_pct, the thread gets what it spins
 * less a fixed loss per period (time it was interrupted). Returns the
 * long-run total (or own, in add mode) utilisation in per-mille.
 */
static u64 simulate(u32 level, u32 others_pct, u64 loss, bool total)
{
	struct tbx_duty d = {};
	u64 wall_sum = 0, done_sum = 0;
	u32 rnd = 12345;
	int i;

	for (i = 0; i < 2000; i++) {
		u64 period = tbx_duty_period(rnd);
		u64 others = tbx_duty_share(period, others_pct);
		u64 ran = tbx_duty_budget(&d, level, period);

		ran = ran > loss ? ran - loss : 0;
		ran = min(ran, period - others);
		tbx_duty_account(&d, level, period, others + ran, ran, total);
		wall_sum += period;
		done_sum += total ? others + ran : ran;
		rnd = rnd * 1664525 + 1013904223;
	}
	return div64_u64(done_sum * 1000, wall_sum);
}

static void converges(struct kunit *test)
{
	/* Within 0.5 % of the level despite 0.3 ms lost every period. */
	KUNIT_EXPECT_LE(test, abs((s64)simulate(50, 0, 300000, false) - 500), 5LL);
	KUNIT_EXPECT_LE(test, abs((s64)simulate(20, 0, 300000, false) - 200), 5LL);
	KUNIT_EXPECT_LE(test, abs((s64)simulate(60, 30, 300000, true) - 600), 5LL);
	KUNIT_EXPECT_LE(test, abs((s64)simulate(80, 10, 0, true) - 800), 5LL);
	/* Others above the target: the thread stays out of the way. */
	KUNIT_EXPECT_LE(test, abs((s64)simulate(50, 70, 0, true) - 700), 1LL);
}

static struct kunit_case tbx_duty_cases[] = {
	KUNIT_CASE(period_bounds),
	KUNIT_CASE(share_and_scale),
	KUNIT_CASE(util_from_idle),
	KUNIT_CASE(budget_add),
	KUNIT_CASE(account_add),
	KUNIT_CASE(budget_total),
	KUNIT_CASE(debt_is_bounded),
	KUNIT_CASE(stall_and_extremes),
	KUNIT_CASE(converges),
	{}
};

static struct kunit_suite tbx_duty_suite = {
	.name = "tbx_duty",
	.test_cases = tbx_duty_cases,
};
kunit_test_suite(tbx_duty_suite);
