/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tbx qdisc's random decisions: one generator per qdisc (seeded by
 * TCA_TBX_SEED, else at random) and netem's correlated draws over it.
 * Pure arithmetic, so KUnit drives it with chosen values.
 */
#ifndef _TBX_LINK_RAND_H
#define _TBX_LINK_RAND_H

#include <linux/types.h>

/*
 * netem's correlation (sch_netem.c, get_crandom): with rho > 0 the next
 * value is ((2^32 - (rho + 1)) * fresh + (rho + 1) * last) / 2^32, rho on
 * a 2^32 scale. Its mean stays 1/2 but its spread shrinks, so a threshold
 * below 1/2 is crossed less often than without correlation: netem's
 * quirk, kept so that a correlation means here what it means there.
 */
struct tbx_crnd {
	u32 rho;		/* 0 = no correlation */
	u32 last;
};

/* ppm (0..1000000) to netem's 2^32 scale: rint(ppm / 1e6 * UINT32_MAX). */
u32 tbx_ppm_to_u32(u32 ppm);

/* The next draw from the fresh uniform @fresh. */
u32 tbx_crnd_next(struct tbx_crnd *c, u32 fresh);

#endif
