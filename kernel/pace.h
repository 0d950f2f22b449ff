/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pace: the rate arithmetic of net runs, free of any device or thread so
 * KUnit can cover its edges. Time is ns elapsed since the run began.
 *
 * A rate is packets due as a function of time: floor(t * pps / 1e9) for a
 * packet rate, floor(t * bps / (1e9 * frame bits)) for a bit rate (the
 * packet rate need not be a whole number), and for a profile the integral
 * of its bit rates over time, divided by the frame bits.
 */
#ifndef _TBX_PACE_H
#define _TBX_PACE_H

#include <linux/types.h>

/* A profile longer than this is refused: it keeps every sum in a u64. */
#define TBX_PROFILE_PERIOD_MAX	(366ULL * 24 * 3600 * NSEC_PER_SEC)

struct tbx_profile_seg {
	u64 offset;		/* ns from the period's start */
	u64 bps;		/* bits/s from offset to the next segment */
	u64 bits_before;	/* bits due in the period before offset */
};

struct tbx_profile {
	u64 period;		/* ns, 1..TBX_PROFILE_PERIOD_MAX */
	u64 period_bits;	/* bits due in one whole period */
	u32 count;		/* segments, >= 1, the first at offset 0 */
	struct tbx_profile_seg seg[];
};

/* One rate: exactly one of pps, bps, prof is set. */
struct tbx_pace {
	u64 pps;
	u64 bps;
	const struct tbx_profile *prof;
	u32 frame_bits;		/* 8 * frame bytes (bps and profile) */
};

/* floor(a * b / c), saturating at U64_MAX; c > 0. */
u64 tbx_muldiv(u64 a, u64 b, u64 c);

/* Packets due at @t for a packet rate, and for a bit rate of frames. */
u64 tbx_pace_due_pps(u64 t, u64 pps);
u64 tbx_pace_due_bps(u64 t, u64 bps, u32 frame_bits);
/* Packets per second a bit rate makes with frames of @frame_bits (floor). */
u64 tbx_pace_bps_to_pps(u64 bps, u32 frame_bits);

/* Fills in bits_before and period_bits once the segments are set. */
void tbx_profile_finish(struct tbx_profile *p);
/* The index of the segment in force at @offset (< period). */
u32 tbx_profile_lookup(const struct tbx_profile *p, u64 offset);
/* Bits due at @t: whole periods, then part of one. Saturates at U64_MAX. */
u64 tbx_profile_bits(const struct tbx_profile *p, u64 t);
/* Packets due at @t, exact for any t; *rem: bits since the last one. */
u64 tbx_profile_due(const struct tbx_profile *p, u64 t, u32 frame_bits,
		    u64 *rem);

/* Packets due at @t under @r. */
u64 tbx_pace_due(const struct tbx_pace *r, u64 t);
/*
 * When packet number @k (counting from 1) falls due, given it is not due
 * yet at @t: its exact instant, or for a profile possibly an earlier
 * instant (the end of the segment in force) at which to look again.
 * Always > @t; U64_MAX if never.
 */
u64 tbx_pace_when(const struct tbx_pace *r, u64 t, u64 k);

/*
 * A running count: frames sent so far against what the rate makes due
 * since it was last set. Re-basing at a rate change means frames due
 * before it and not yet sent are forgiven, so no burst catches up on the
 * past, and a profile keeps its phase (t counts from the run's start).
 */
struct tbx_pacer {
	u64 base_due;		/* the rate's due count at the change */
	u64 base_sent;		/* frames sent at the change */
};

void tbx_pacer_rebase(struct tbx_pacer *pc, const struct tbx_pace *r, u64 t,
		      u64 sent);
/* Frames that should have been sent by @t, in the count @sent uses. */
u64 tbx_pacer_due(const struct tbx_pacer *pc, const struct tbx_pace *r, u64 t);
/* When frame @sent + 1 falls due (tbx_pace_when()); @sent >= due at @t. */
u64 tbx_pacer_when(const struct tbx_pacer *pc, const struct tbx_pace *r,
		   u64 t, u64 sent);

#endif
