// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The datapath's profile arithmetic (include/tbx/profile_curve.h) against
 * a naive model: the curve summed segment by segment over whole periods
 * with 128-bit products, and CBSAT's Delay(b, t) found by bisecting that
 * curve, on seeded random profiles and on CBSAT's DDoS profiles; and the
 * bits a curve emits over a span (the detector's drain) against the same.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "err.h"
#include "profile.h"
#include "profile_text.h"
#include "tbx/profile_curve.h"

#define S	1000000000ULL

typedef unsigned __int128 u128;

/* The curve at absolute phase @t (any number of periods on), naively. */
static u128 naive_bits(const struct tbx_curve *c, u128 t)
{
	u128 periods = t / c->period_ns, bits = 0;
	uint64_t ph = t % c->period_ns;

	for (unsigned int i = 0; i < c->n; i++) {
		uint64_t a = c->seg[i].start_ns;
		uint64_t b = i + 1 < c->n ? c->seg[i + 1].start_ns : c->period_ns;

		bits += periods * ((u128)c->seg[i].rate_bps * (b - a) / S);
		if (ph > a)
			bits += (u128)c->seg[i].rate_bps * ((ph < b ? ph : b) - a) / S;
	}
	return bits;
}

/* The least d with curve(ph + d) - curve(ph) >= bits, by bisection. */
static uint64_t naive_delay(const struct tbx_curve *c, uint64_t bits, uint64_t ph)
{
	u128 want = naive_bits(c, ph) + bits, lo = 0, hi = 1, mid;

	while (naive_bits(c, ph + hi) < want)
		hi *= 2;
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (naive_bits(c, ph + mid) >= want)
			hi = mid;
		else
			lo = mid + 1;
	}
	return (uint64_t)lo;
}

static void curve_of(const char *text, struct tbx_curve *c)
{
	struct tbx_profile p;

	assert_int_equal(0, parse(text, &p));
	assert_int_equal(0, tbx_profile_curve(&p, "p.csv", c));
	tbx_profile_free(&p);
}

/* Every phase's bits, and delays from there, agree with the naive model. */
static void agree(const struct tbx_curve *c, uint64_t ph, uint64_t bits)
{
	uint64_t d = tbx_curve_delay(c, bits, ph), want = naive_delay(c, bits, ph);

	if ((u128)tbx_curve_bits_at(c, ph) != naive_bits(c, ph))
		fail_msg("bits at %llu: %llu, naive %llu", (unsigned long long)ph,
			 (unsigned long long)tbx_curve_bits_at(c, ph),
			 (unsigned long long)naive_bits(c, ph));
	if (d != want)
		fail_msg("delay of %llu bits at phase %llu: %llu ns, naive %llu ns",
			 (unsigned long long)bits, (unsigned long long)ph,
			 (unsigned long long)d, (unsigned long long)want);
}

/* The bits emitted in @dt from phase @ph (the detector's drain). */
static void agree_over(const struct tbx_curve *c, uint64_t ph, uint64_t dt)
{
	u128 want = naive_bits(c, (u128)ph + dt) - naive_bits(c, ph);
	uint64_t got = tbx_curve_bits_over(c, ph, dt);

	if ((u128)got != want)
		fail_msg("bits over %llu ns from phase %llu: %llu, naive %llu",
			 (unsigned long long)dt, (unsigned long long)ph,
			 (unsigned long long)got, (unsigned long long)want);
}

/* CBSAT's required.csv (the DDoS experiment's well-behaved sender). */
static const char required[] =
	"# period = 10\n# priority = 1\n# start = 0\n# kind = required\n"
	"0,800000,0,0\n1,850000,0,0\n2,1024000,0,0\n3,1000000,0,0\n"
	"4,1005000,0,0\n5,1050000,0,0\n6,1100000,0,0\n7,0,0,0\n";

static void cbsat_required(void **state)
{
	struct tbx_curve c;

	curve_of(required, &c);
	assert_int_equal(8, c.n);
	assert_true(c.period_bits == 6829000);
	/* 1500-byte packets plus CBSAT's 36 header bytes at 0.8 Mbit/s: 15.36 ms. */
	assert_true(tbx_curve_delay(&c, 1536 * 8, 0) == 15360000);
	/* Over a rate change: 0.5 s at 0.8 then the rest at 0.85 Mbit/s. */
	assert_true(tbx_curve_delay(&c, 400000 + 85000, S / 2) == S / 2 + S / 10);
	/* From the silent tail (7..10 s) the next bit comes after the period wraps. */
	assert_true(tbx_curve_delay(&c, 1, 8 * S) == 2 * S + 1250);
	/* A whole period's bits from phase 0 end where the last rate does, at 7 s. */
	assert_true(tbx_curve_delay(&c, 6829000, 0) == 7 * S);
	assert_true(tbx_curve_delay(&c, 2 * 6829000ULL, 0) == 17 * S);
	assert_true(tbx_curve_delay(&c, 0, 3 * S) == 0);
	for (uint64_t ph = 0; ph < 10 * S; ph += 37 * S / 100)
		for (uint64_t b = 1; b < 20000000; b = b * 3 + 7)
			agree(&c, ph, b);
	/* Drained over the silent tail, across the period's end, over periods. */
	assert_true(tbx_curve_bits_over(&c, 7 * S, 3 * S) == 0);
	assert_true(tbx_curve_bits_over(&c, 9 * S, 2 * S) == 800000);
	assert_true(tbx_curve_bits_over(&c, 0, 20 * S) == 2 * 6829000ULL);
	for (uint64_t ph = 0; ph < 10 * S; ph += 37 * S / 100)
		for (uint64_t dt = 0; dt < 25 * S; dt = dt * 3 + 999)
			agree_over(&c, ph, dt);
}

static void nothing_carried_is_never(void **state)
{
	struct tbx_curve c;

	curve_of("# period = 2\n0,0,0\n1,0,0\n", &c);
	assert_true(c.period_bits == 0);
	assert_true(tbx_curve_delay(&c, 1, 0) == TBX_CURVE_NEVER);
	/* A period's worth so small that a big packet needs absurdly many periods. */
	curve_of("# period = 4611686018\n0,1,0\n", &c);
	assert_true(tbx_curve_delay(&c, TBX_CURVE_BITS_MAX, 0) == TBX_CURVE_NEVER);
	assert_true(tbx_curve_delay(&c, TBX_CURVE_BITS_MAX + 1, 0) == TBX_CURVE_NEVER);
}

/* The phase of absolute times before and after the profile's start. */
static void phase_wraps_both_ways(void **state)
{
	struct tbx_curve c = { .period_ns = 10 * S };

	assert_true(tbx_curve_phase(&c, 100 * S + 3, 100 * S) == 3);
	assert_true(tbx_curve_phase(&c, 125 * S, 100 * S) == 5 * S);
	assert_true(tbx_curve_phase(&c, 97 * S, 100 * S) == 7 * S);
	assert_true(tbx_curve_phase(&c, 90 * S, 100 * S) == 0);
}

/* The top of the ranges: 10 Tbit/s over most of 2^62 bits, without overflow. */
static void largest_rates(void **state)
{
	struct tbx_curve c;

	curve_of("# period = 400000\n0,10000000000000,0\n100000.5,1,0\n", &c);
	agree(&c, 0, TBX_CURVE_BITS_MAX);
	agree(&c, 99999 * S + 999999999, 1ULL << 40);
	agree(&c, 100000 * S, 1);
	agree(&c, 399999 * S, c.period_bits);
	assert_true(tbx_curve_bits_in(TBX_CURVE_RATE_MAX, 999999999) == 9999999990000);
	assert_true(tbx_curve_ns_for(9999999990001, TBX_CURVE_RATE_MAX) == 1000000000);
}

/* Seeded random profiles of 1..64 rows, zero rates included. */
static void random_profiles(void **state)
{
	static char text[64 * 48 + 64];
	struct tbx_curve c;
	unsigned int seed = 20261207;

	for (int round = 0; round < 300; round++) {
		unsigned int n = 1 + rand_r(&seed) % TBX_CURVE_SEGS_MAX;
		uint64_t t = 0, rate, period;
		char *w = text;

		for (unsigned int i = 0; i < n; i++) {
			rate = rand_r(&seed) % 4 == 0 ? 0 : (uint64_t)rand_r(&seed) * (1 + rand_r(&seed) % 1000);
			w += sprintf(w, "%llu.%09llu,%llu,0\n", (unsigned long long)(t / S),
				     (unsigned long long)(t % S), (unsigned long long)rate);
			t += 1 + (uint64_t)rand_r(&seed) % (3 * S);
		}
		period = t + rand_r(&seed) % S;
		w += sprintf(w, "# period = %llu.%09llu\n", (unsigned long long)(period / S),
			     (unsigned long long)(period % S));
		curve_of(text, &c);
		if (!c.period_bits)
			continue;
		for (int k = 0; k < 40; k++) {
			uint64_t ph = ((uint64_t)rand_r(&seed) << 31 ^ rand_r(&seed)) % period;
			uint64_t bits = 1 + ((uint64_t)rand_r(&seed) << 20 ^ rand_r(&seed)) %
					(3 * c.period_bits + 2);

			agree(&c, ph, bits);
			agree_over(&c, ph, ((uint64_t)rand_r(&seed) << 31 ^ rand_r(&seed)) %
					   (3 * period + 1));
		}
		/* Segment edges, where an off-by-one would show. */
		for (unsigned int i = 0; i < c.n; i++) {
			agree(&c, c.seg[i].start_ns, 1);
			agree_over(&c, 0, c.seg[i].start_ns);
			agree_over(&c, c.seg[i].start_ns, period - c.seg[i].start_ns);
			if (c.seg[i].start_ns)
				agree(&c, c.seg[i].start_ns - 1, 1);
		}
	}
}

static void too_many_rows_for_the_datapath(void **state)
{
	char text[80 * 24];
	struct tbx_profile p;
	struct tbx_curve c;
	char *w = text;

	w += sprintf(w, "# period = 100\n");
	for (int i = 0; i <= TBX_CURVE_SEGS_MAX; i++)
		w += sprintf(w, "%d,1000,0\n", i);
	assert_int_equal(0, parse(text, &p));
	tbx_err_clear();
	assert_int_equal(-E2BIG, tbx_profile_curve(&p, "big.csv", &c));
	assert_non_null(strstr(tbx_errmsg(), "big.csv: 65 rows; an enforced profile has at most 64"));
	tbx_profile_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cbsat_required),
		cmocka_unit_test(nothing_carried_is_never),
		cmocka_unit_test(phase_wraps_both_ways),
		cmocka_unit_test(largest_rates),
		cmocka_unit_test(random_profiles),
		cmocka_unit_test(too_many_rows_for_the_datapath),
	};

	return cmocka_run_group_tests_name("profile curve", tests, NULL, NULL);
}
