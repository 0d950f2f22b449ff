// SPDX-License-Identifier: GPL-2.0
/*
 * Pace: when each packet of a net run falls due (pace.h). Every product
 * goes through tbx_muldiv(): x86-64's mul_u64_u64_div_u64() traps when the
 * quotient does not fit, so no call here may ever ask it to.
 */
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/time64.h>

#include "pace.h"

u64 tbx_muldiv(u64 a, u64 b, u64 c)
{
	u64 rb, hi, lo, sum;
	u64 qb = div64_u64_rem(b, c, &rb);

	/* a * b / c = a * qb + a * rb / c, the last quotient below a. */
	if (check_mul_overflow(a, qb, &hi))
		return U64_MAX;
	lo = rb ? mul_u64_u64_div_u64(a, rb, c) : 0;
	if (check_add_overflow(hi, lo, &sum))
		return U64_MAX;
	return sum;
}

/* ceil(a * b / c), saturating. */
static u64 tbx_muldiv_ceil(u64 a, u64 b, u64 c)
{
	u64 q = tbx_muldiv(a, b, c);

	if (q == U64_MAX)
		return q;
	/* The remainder is exact in wrapping arithmetic: it is below c. */
	return q + (a * b - q * c != 0);
}

u64 tbx_pace_due_pps(u64 t, u64 pps)
{
	return tbx_muldiv(t, pps, NSEC_PER_SEC);
}

u64 tbx_pace_due_bps(u64 t, u64 bps, u32 frame_bits)
{
	if (!frame_bits)
		return 0;
	return tbx_muldiv(t, bps, NSEC_PER_SEC * frame_bits);
}

u64 tbx_pace_bps_to_pps(u64 bps, u32 frame_bits)
{
	return frame_bits ? div64_u64(bps, frame_bits) : 0;
}

static u64 tbx_seg_bits(u64 ns, u64 bps)
{
	return tbx_muldiv(ns, bps, NSEC_PER_SEC);
}

static u64 tbx_seg_end(const struct tbx_profile *p, u32 i)
{
	return i + 1 < p->count ? p->seg[i + 1].offset : p->period;
}

void tbx_profile_finish(struct tbx_profile *p)
{
	u64 bits = 0;
	u32 i;

	/* Bounded by period * TBX_NET_RATE_BPS_MAX / 1e9 < 2^64. */
	for (i = 0; i < p->count; i++) {
		p->seg[i].bits_before = bits;
		bits += tbx_seg_bits(tbx_seg_end(p, i) - p->seg[i].offset,
				     p->seg[i].bps);
	}
	p->period_bits = bits;
}

u32 tbx_profile_lookup(const struct tbx_profile *p, u64 offset)
{
	u32 lo = 0, hi = p->count - 1;

	/* The last segment starting at or before offset. */
	while (lo < hi) {
		u32 mid = lo + (hi - lo + 1) / 2;

		if (p->seg[mid].offset <= offset)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/* Bits due in the first @o ns of a period (o < period). */
static u64 tbx_profile_partial(const struct tbx_profile *p, u64 o)
{
	const struct tbx_profile_seg *s = &p->seg[tbx_profile_lookup(p, o)];

	return s->bits_before + tbx_seg_bits(o - s->offset, s->bps);
}

u64 tbx_profile_bits(const struct tbx_profile *p, u64 t)
{
	u64 o, n = div64_u64_rem(t, p->period, &o), whole, sum;

	if (check_mul_overflow(n, p->period_bits, &whole) ||
	    check_add_overflow(whole, tbx_profile_partial(p, o), &sum))
		return U64_MAX;
	return sum;
}

u64 tbx_profile_due(const struct tbx_profile *p, u64 t, u32 frame_bits,
		    u64 *rem)
{
	u64 o, n = div64_u64_rem(t, p->period, &o);
	u64 rb, qb, q2, r2, s, whole, due;

	*rem = 0;
	if (!frame_bits)
		return 0;
	/*
	 * floor((n * B + partial) / F) without forming n * B, which a long
	 * run at a high rate overflows: B = qb * F + rb, and n * rb splits
	 * into q2 * F + r2.
	 */
	qb = div64_u64_rem(p->period_bits, frame_bits, &rb);
	q2 = rb ? mul_u64_u64_div_u64(n, rb, frame_bits) : 0;
	r2 = n * rb - q2 * frame_bits;
	s = r2 + tbx_profile_partial(p, o);	/* < F + B: fits */
	*rem = do_div(s, frame_bits);
	if (check_mul_overflow(n, qb, &whole) ||
	    check_add_overflow(whole, q2, &due) ||
	    check_add_overflow(due, s, &due))
		return U64_MAX;
	return due;
}

u64 tbx_pace_due(const struct tbx_pace *r, u64 t)
{
	u64 rem;

	if (r->prof)
		return tbx_profile_due(r->prof, t, r->frame_bits, &rem);
	if (r->bps)
		return tbx_pace_due_bps(t, r->bps, r->frame_bits);
	return tbx_pace_due_pps(t, r->pps);
}

/* For a profile: see tbx_pace_when(). */
static u64 tbx_profile_when(const struct tbx_profile *p, u64 t, u64 k,
			    u32 frame_bits)
{
	u64 o, rem, need, x0, due, u;
	const struct tbx_profile_seg *s;
	u32 i;

	due = tbx_profile_due(p, t, frame_bits, &rem);
	div64_u64_rem(t, p->period, &o);
	i = tbx_profile_lookup(p, o);
	s = &p->seg[i];
	u = tbx_seg_end(p, i);		/* look again there at the latest */
	if (s->bps && k > due &&
	    !check_mul_overflow(k - due, (u64)frame_bits, &need)) {
		/*
		 * The segment has given floor((o - off) * bps / 1e9) bits so
		 * far; packet k needs @need more than the last whole one.
		 */
		need -= rem;
		x0 = tbx_seg_bits(o - s->offset, s->bps);
		if (!check_add_overflow(x0, need, &x0)) {
			x0 = tbx_muldiv_ceil(x0, NSEC_PER_SEC, s->bps);
			if (x0 < u - s->offset)
				u = s->offset + x0;
		}
	}
	/* u > o: the packet is not due at o, so it is not due at x0 = o. */
	if (check_add_overflow(t, u - o, &u))
		return U64_MAX;
	return u;
}

u64 tbx_pace_when(const struct tbx_pace *r, u64 t, u64 k)
{
	u64 w;

	if (r->prof)
		return tbx_profile_when(r->prof, t, k, r->frame_bits);
	if (r->bps)
		w = tbx_muldiv_ceil(k, NSEC_PER_SEC * r->frame_bits, r->bps);
	else if (r->pps)
		w = tbx_muldiv_ceil(k, NSEC_PER_SEC, r->pps);
	else
		return U64_MAX;
	return max(w, t + 1);
}

void tbx_pacer_rebase(struct tbx_pacer *pc, const struct tbx_pace *r, u64 t,
		      u64 sent)
{
	pc->base_due = tbx_pace_due(r, t);
	pc->base_sent = sent;
}

u64 tbx_pacer_due(const struct tbx_pacer *pc, const struct tbx_pace *r, u64 t)
{
	/* The rate's count never falls below its value at the change. */
	return pc->base_sent + (tbx_pace_due(r, t) - pc->base_due);
}

u64 tbx_pacer_when(const struct tbx_pacer *pc, const struct tbx_pace *r,
		   u64 t, u64 sent)
{
	return tbx_pace_when(r, t, sent - pc->base_sent + pc->base_due + 1);
}
