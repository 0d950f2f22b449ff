// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdlib.h>

#include "err.h"
#include "profile_need.h"

/* The curve's bits from phase 0 until @t, over as many periods as it takes. */
static uint64_t cum(const struct tbx_curve *c, uint64_t t)
{
	return tbx_curve_bits_over(c, 0, t);
}

static uint64_t gcd(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t r = a % b;

		a = b;
		b = r;
	}
	return a;
}

/* The least common multiple of the periods, or 0 when above @cap. */
static uint64_t hyperperiod(const struct tbx_curve *r, const struct tbx_curve *s,
			    unsigned int n, uint64_t cap)
{
	uint64_t l = r->period_ns;

	for (unsigned int i = 0; i < n; i++) {
		uint64_t p = s[i].period_ns, g = gcd(l, p);

		if (l / g > cap / p)
			return 0;
		l = l / g * p;
	}
	return l;
}

/* The next row of @c strictly after @t (a period's end counts as a row). */
static uint64_t next_row(const struct tbx_curve *c, uint64_t t)
{
	uint64_t base = t / c->period_ns * c->period_ns, ph = t - base;

	for (unsigned int i = 0; i < c->n; i++)
		if (c->seg[i].start_ns > ph)
			return base + c->seg[i].start_ns;
	return base + c->period_ns;
}

int tbx_profile_need(const struct tbx_curve *receiver, const struct tbx_curve *senders,
		     unsigned int n, struct tbx_profile_need *out)
{
	uint64_t longest = receiver->period_ns, cap, h, t = 0, level = 0, peak1 = 0;
	uint64_t in_prev = 0, out_prev = 0;

	if (!n)
		return tbx_err(EINVAL, "profile need: no sender");
	if (n > TBX_NEED_SENDERS_MAX)
		return tbx_err(E2BIG, "profile need: %u senders, at most %d", n,
			       TBX_NEED_SENDERS_MAX);
	for (unsigned int i = 0; i < n; i++)
		if (senders[i].period_ns > longest)
			longest = senders[i].period_ns;
	cap = longest * TBX_NEED_PERIODS_MAX;
	h = hyperperiod(receiver, senders, n, cap);
	*out = (struct tbx_profile_need){ .exact = h != 0, .horizon_ns = h ? h : cap };
	h = out->horizon_ns;
	while (t < 2 * h) {
		uint64_t next = next_row(receiver, t), in = 0, drained;

		for (unsigned int i = 0; i < n; i++) {
			uint64_t x = next_row(&senders[i], t);

			if (x < next)
				next = x;
		}
		if (next > 2 * h)
			next = 2 * h;
		/* Bits between rows from the cumulative curves: no rounding builds up. */
		for (unsigned int i = 0; i < n; i++)
			in += cum(&senders[i], next);
		drained = cum(receiver, next);
		level += in - in_prev;
		level = level > drained - out_prev ? level - (drained - out_prev) : 0;
		in_prev = in;
		out_prev = drained;
		t = next;
		if (level > out->need_bits) {
			out->need_bits = level;
			out->at_ns = t;
		}
		if (t == h) {
			peak1 = out->need_bits;
			out->in_bits = in;
			out->out_bits = drained;
		}
	}
	out->grows = out->need_bits > peak1;
	return 0;
}
