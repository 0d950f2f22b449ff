// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Usage arithmetic (user/lib/usage/): ToMaTo's last completed windows in
 * UTC, worked out by hand for ordinary instants, a year's end and a leap
 * day; the counter rule (first reading a base, a drop a reset); the
 * roll-up's sums and weighted means; the level names and counts kept.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "usage/usage.h"

struct window_case {
	time_t now;
	enum tbx_usage_level level;
	double begin, end;
};

static void windows(void **state)
{
	static const struct window_case cases[] = {
		/* 2026-12-07T13:07:42Z */
		{ 1796648862, TBX_USAGE_5MINUTES, 1796648400, 1796648700 },	/* 13:00-13:05 */
		{ 1796648862, TBX_USAGE_HOUR, 1796644800, 1796648400 },	/* 12:00-13:00 */
		{ 1796648862, TBX_USAGE_DAY, 1796515200, 1796601600 },	/* 6 Dec-7 Dec */
		{ 1796648862, TBX_USAGE_MONTH, 1793491200, 1796083200 },	/* Nov */
		{ 1796648862, TBX_USAGE_YEAR, 1735689600, 1767225600 },	/* 2025 */
		/* exactly 2027-01-01T00:00:00Z: every window ends now */
		{ 1798761600, TBX_USAGE_5MINUTES, 1798761300, 1798761600 },
		{ 1798761600, TBX_USAGE_HOUR, 1798758000, 1798761600 },
		{ 1798761600, TBX_USAGE_DAY, 1798675200, 1798761600 },
		{ 1798761600, TBX_USAGE_MONTH, 1796083200, 1798761600 },	/* Dec 2026 */
		{ 1798761600, TBX_USAGE_YEAR, 1767225600, 1798761600 },	/* 2026 */
		/* one second before: the windows a year's last second sees */
		{ 1798761599, TBX_USAGE_5MINUTES, 1798761000, 1798761300 },
		{ 1798761599, TBX_USAGE_MONTH, 1793491200, 1796083200 },
		{ 1798761599, TBX_USAGE_YEAR, 1735689600, 1767225600 },
		/* 2028-03-01T00:02:00Z: a leap day and February */
		{ 1835481720, TBX_USAGE_DAY, 1835395200, 1835481600 },
		{ 1835481720, TBX_USAGE_MONTH, 1832976000, 1835481600 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double b = -1, e = -1;

		assert_int_equal(tbx_usage_window(cases[i].level, cases[i].now, &b, &e), 0);
		if (b != cases[i].begin || e != cases[i].end)
			fail_msg("case %zu (%s at %lld): [%.0f, %.0f], want [%.0f, %.0f]", i,
				 tbx_usage_level_name(cases[i].level), (long long)cases[i].now,
				 b, e, cases[i].begin, cases[i].end);
	}
	{
		double b, e;

		assert_int_equal(tbx_usage_window(TBX_USAGE_SINGLE, 0, &b, &e), -EINVAL);
		assert_int_equal(tbx_usage_window(TBX_USAGE_LEVELS, 0, &b, &e), -EINVAL);
	}
}

static void counter(void **state)
{
	bool has = false;
	double last = 0;

	assert_true(tbx_usage_counter(5, &last, &has) == 0);	/* the base */
	assert_true(has);
	assert_true(tbx_usage_counter(12, &last, &has) == 7);
	assert_true(tbx_usage_counter(3, &last, &has) == 3);	/* reset */
	assert_true(tbx_usage_counter(3, &last, &has) == 0);
	assert_true(last == 3);
}

static void combine(void **state)
{
	const struct tbx_usage_record recs[] = {
		{ .measurements = 1, .usage = { 1.5, 100, 10, 1000 } },
		{ .measurements = 3, .usage = { 0.5, 200, 30, 500 } },
		{ .measurements = 0, .usage = { 7, 9999, 9999, 7 } },
	};
	struct tbx_usage u;
	int64_t m;

	tbx_usage_combine(recs, 3, &u, &m);
	assert_int_equal(m, 4);
	/* Counters summed (a record without measurements still adds). */
	assert_true(u.cputime == 9.0);
	assert_true(u.traffic == 1507);
	/* Gauges: (100*1 + 200*3) / 4 and (10*1 + 30*3) / 4 */
	assert_true(u.memory == 175);
	assert_true(u.diskspace == 25);

	tbx_usage_combine(recs + 2, 1, &u, &m);
	assert_int_equal(m, 0);
	assert_true(u.cputime == 0 && u.memory == 0 && u.diskspace == 0 && u.traffic == 0);
	tbx_usage_combine(NULL, 0, &u, &m);
	assert_int_equal(m, 0);
}

static void levels(void **state)
{
	static const unsigned int keep[] = { 15, 12, 24, 30, 12, 5 };
	static const char *const names[] = { "single", "5minutes", "hour", "day",
					     "month", "year" };

	for (int i = 0; i < TBX_USAGE_LEVELS; i++) {
		assert_string_equal(tbx_usage_level_name(i), names[i]);
		assert_int_equal(tbx_usage_level_of(names[i]), i);
		assert_int_equal(tbx_usage_level_keep(i), keep[i]);
	}
	assert_null(tbx_usage_level_name(TBX_USAGE_LEVELS));
	assert_int_equal(tbx_usage_level_of("minute"), -1);
	assert_int_equal(tbx_usage_level_of("Hour"), -1);
	assert_int_equal(tbx_usage_level_of(""), -1);
	assert_int_equal(tbx_usage_level_of(NULL), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(windows),
		cmocka_unit_test(counter),
		cmocka_unit_test(combine),
		cmocka_unit_test(levels),
	};

	return cmocka_run_group_tests_name("usage arithmetic", tests, NULL, NULL);
}
