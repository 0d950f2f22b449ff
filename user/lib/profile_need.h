/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * CBSAT's design-time buffer analysis: the buffer a receiver needs when
 * senders emit exactly their profiles' curves into it and it reads at its
 * own profile's, all from phase 0 together. The buffer fills by the
 * senders' bits and drains by the receiver's, never below empty; its
 * highest level is the need. Rates are constant between the profiles'
 * rows, so the level is checked exactly at every row of every profile
 * over two hyperperiods (the periods' least common multiple, capped):
 * when the second peaks higher than the first, the senders bring more a
 * hyperperiod than the receiver reads and no buffer is enough.
 */
#ifndef TBX_PROFILE_NEED_H
#define TBX_PROFILE_NEED_H

#include <stdbool.h>
#include <stdint.h>

#include "tbx/profile_curve.h"

#define TBX_NEED_PERIODS_MAX	64	/* the hyperperiod's cap, in longest periods */
#define TBX_NEED_SENDERS_MAX	64

struct tbx_profile_need {
	uint64_t need_bits;	/* the buffer's highest level */
	uint64_t at_ns;		/* when, from phase 0 */
	uint64_t horizon_ns;	/* the hyperperiod analysed (twice) */
	bool exact;		/* the periods' lcm fit under the cap */
	bool grows;		/* the level climbs from one hyperperiod to the next */
	uint64_t in_bits, out_bits;	/* the senders' and the receiver's bits a hyperperiod */
};

/* 0, or -EINVAL/-E2BIG (with a message) for no sender or too many. */
int tbx_profile_need(const struct tbx_curve *receiver, const struct tbx_curve *senders,
		     unsigned int n, struct tbx_profile_need *out);

#endif
