/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A traffic profile's cumulative data curve, shared by the enforcement
 * program (bpf/police.bpf.c) and user space (tbx profile show, tbxd's
 * detector, the tests), so one arithmetic decides what a sender may send.
 *
 * The profile's rates are piecewise constant over one period; seg[i] holds
 * from start_ns to seg[i + 1].start_ns (the last to period_ns) at rate_bps.
 * bits_before is the curve at start_ns: the sum over the segments before of
 * floor(rate * length / 1 s), as CBSAT sums its rows' "data" column. Within
 * a segment the curve is bits_before + floor(rate * (t - start) / 1 s), and
 * beyond one period it repeats, adding period_bits each time.
 *
 * Everything is 64-bit integer arithmetic without 128-bit products (BPF
 * has none), which is why rates are bounded by TBX_CURVE_RATE_MAX and a
 * period's bits by TBX_CURVE_BITS_MAX; tbx_curve_build() checks both.
 */
#ifndef TBX_PROFILE_CURVE_H
#define TBX_PROFILE_CURVE_H

#ifdef __bpf__
#ifndef __VMLINUX_H__
#error "include vmlinux.h before tbx/profile_curve.h"
#endif
#define TBX_CURVE_INLINE static __always_inline
#else
#include <stdbool.h>
#include <linux/types.h>
#define TBX_CURVE_INLINE static inline
#endif

#define TBX_CURVE_SEGS_MAX	64		/* rows of one enforced profile */
#define TBX_CURVE_SEARCH_STEPS	7		/* log2(TBX_CURVE_SEGS_MAX) + 1 */
#define TBX_CURVE_RATE_MAX	10000000000000ULL	/* 10 Tbit/s */
#define TBX_CURVE_BITS_MAX	(1ULL << 62)
#define TBX_CURVE_NEVER		(~0ULL)		/* a delay that never ends */
#define TBX_CURVE_NSEC		1000000000ULL

struct tbx_curve_seg {
	__u64 start_ns;		/* from the period's start */
	__u64 rate_bps;
	__u64 bits_before;	/* the curve at start_ns */
};

struct tbx_curve {
	__u64 period_ns;
	__u64 period_bits;	/* the curve at period_ns */
	__u32 n;		/* 1 .. TBX_CURVE_SEGS_MAX; seg[0].start_ns == 0 */
	__u32 pad;
	struct tbx_curve_seg seg[TBX_CURVE_SEGS_MAX];
};

/*
 * floor(rate * ns / 1 s), exactly, for rate <= TBX_CURVE_RATE_MAX. Divisions
 * are what a packet pays for: one when the product fits 64 bits (under
 * 4.29 Gbit/s and 4.29 s into a segment), three within a second of the
 * segment's start, five otherwise.
 */
TBX_CURVE_INLINE __u64 tbx_curve_bits_in(__u64 rate, __u64 ns)
{
	__u64 whole, frac, rh, rl;

	if (!((rate | ns) >> 32))
		return rate * ns / TBX_CURVE_NSEC;
	if (ns < TBX_CURVE_NSEC)	/* within a second of the segment's start */
		whole = 0, frac = ns;
	else
		whole = ns / TBX_CURVE_NSEC, frac = ns % TBX_CURVE_NSEC;
	rh = rate / TBX_CURVE_NSEC, rl = rate % TBX_CURVE_NSEC;
	/* rl * frac < 10^18 and rh * frac < 10^13: no product overflows. */
	return whole * rate + rh * frac + rl * frac / TBX_CURVE_NSEC;
}

/*
 * ceil(bits * 1 s / rate) in ns, for 0 < rate <= TBX_CURVE_RATE_MAX: long
 * division in three steps of 10^3 keeps every product below 10^16 + 10^3.
 */
TBX_CURVE_INLINE __u64 tbx_curve_ns_for(__u64 bits, __u64 rate)
{
	__u64 q, r;
	int i;

	/* One division when bits * 10^9 + rate fits 64 bits (bits < 2^34). */
	if (bits < (1ULL << 34))
		return (bits * TBX_CURVE_NSEC + rate - 1) / rate;
	q = bits / rate, r = bits % rate;

	for (i = 0; i < 3; i++) {
		r *= 1000;
		q = q * 1000 + r / rate;
		r %= rate;
	}
	return q + (r != 0);
}

/*
 * The last segment whose start_ns (or, with @by_bits, bits_before) is at
 * most @key: a binary search in TBX_CURVE_SEARCH_STEPS bounded steps.
 */
TBX_CURVE_INLINE __u32 tbx_curve_search(const struct tbx_curve *c, bool by_bits, __u64 key)
{
	__u32 lo = 0, hi = c->n, mid;
	int i;

	if (hi > TBX_CURVE_SEGS_MAX)
		hi = TBX_CURVE_SEGS_MAX;
	/* Invariant: seg[lo] qualifies (seg[0] starts at 0, with 0 bits before). */
	for (i = 0; i < TBX_CURVE_SEARCH_STEPS && hi - lo > 1; i++) {
		mid = (lo + hi) / 2;
		if (mid >= TBX_CURVE_SEGS_MAX)
			break;
		if ((by_bits ? c->seg[mid].bits_before : c->seg[mid].start_ns) <= key)
			lo = mid;
		else
			hi = mid;
	}
	return lo & (TBX_CURVE_SEGS_MAX - 1);
}

/* The segment holding phase @ns (< period_ns). */
TBX_CURVE_INLINE __u32 tbx_curve_seg_at(const struct tbx_curve *c, __u64 ns)
{
	return tbx_curve_search(c, false, ns);
}

/* The curve at phase @ns of one period (0 <= ns <= period_ns). */
TBX_CURVE_INLINE __u64 tbx_curve_bits_at(const struct tbx_curve *c, __u64 ns)
{
	const struct tbx_curve_seg *s;

	if (ns >= c->period_ns)
		return c->period_bits;
	s = &c->seg[tbx_curve_seg_at(c, ns)];
	return s->bits_before + tbx_curve_bits_in(s->rate_bps, ns - s->start_ns);
}

/*
 * The earliest phase at which the curve reaches @bits, for
 * 0 < bits <= period_bits: in the last segment that starts below it.
 */
TBX_CURVE_INLINE __u64 tbx_curve_phase_of(const struct tbx_curve *c, __u64 bits)
{
	/* The last segment with bits_before < bits, i.e. <= bits - 1 (bits > 0). */
	const struct tbx_curve_seg *s = &c->seg[tbx_curve_search(c, true, bits - 1)];

	/* bits_before < bits <= the next segment's: so rate_bps > 0. */
	if (!s->rate_bps)
		return TBX_CURVE_NEVER;
	return s->start_ns + tbx_curve_ns_for(bits - s->bits_before, s->rate_bps);
}

/*
 * CBSAT's Delay(b, t): how long from phase @ns (< period_ns) until the
 * profile has emitted @bits more, repeating periods as needed. A sender
 * that sends b bits at t may send again at t + Delay(b, t).
 * TBX_CURVE_NEVER when the profile carries nothing (or too far away).
 */
TBX_CURVE_INLINE __u64 tbx_curve_delay(const struct tbx_curve *c, __u64 bits, __u64 ns)
{
	__u64 target, k, r, at;

	if (!bits)
		return 0;
	if (!c->period_bits || bits > TBX_CURVE_BITS_MAX)
		return TBX_CURVE_NEVER;
	target = tbx_curve_bits_at(c, ns) + bits;	/* < 2^63: no overflow */
	if (target < c->period_bits) {		/* within this period: no division */
		k = 0;
		r = target;
	} else {
		k = target / c->period_bits;
		r = target % c->period_bits;
	}
	if (!r) {		/* reached at the end of the period before */
		k--;
		r = c->period_bits;
	}
	if (k && k > (TBX_CURVE_NEVER / 2) / c->period_ns)
		return TBX_CURVE_NEVER;
	at = tbx_curve_phase_of(c, r);
	if (at == TBX_CURVE_NEVER)
		return TBX_CURVE_NEVER;
	return k * c->period_ns + at - ns;
}

/*
 * The bits the curve emits in @dt_ns from phase @ns (< period_ns): whole
 * periods and the rest, from the cumulative curve so that no rounding
 * builds up however often it is asked (the detector's drain).
 */
TBX_CURVE_INLINE __u64 tbx_curve_bits_over(const struct tbx_curve *c, __u64 ns, __u64 dt_ns)
{
	__u64 k = 0, end;

	if (dt_ns >= c->period_ns) {
		k = dt_ns / c->period_ns;
		dt_ns %= c->period_ns;
		if (c->period_bits && k > (TBX_CURVE_NEVER >> 2) / c->period_bits)
			return TBX_CURVE_NEVER;	/* more than anything a buffer holds */
	}
	end = ns + dt_ns;
	if (end > c->period_ns) {	/* into the next period: one more whole one */
		end -= c->period_ns;
		k++;
	}
	/* Two lookups, whichever way: the verifier walks each search once. */
	return k * c->period_bits + tbx_curve_bits_at(c, end) - tbx_curve_bits_at(c, ns);
}

/* Phase of absolute time @t_ns in a profile whose phase 0 is at @start_ns. */
TBX_CURVE_INLINE __u64 tbx_curve_phase(const struct tbx_curve *c, __u64 t_ns, __u64 start_ns)
{
	if (t_ns >= start_ns)
		return (t_ns - start_ns) % c->period_ns;
	return (c->period_ns - (start_ns - t_ns) % c->period_ns) % c->period_ns;
}

#endif
