/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Jitter distributions of the tbx qdisc, with netem's meanings (uapi
 * enum tbx_link_dist) and netem's way of drawing from them, so that a
 * correlated draw behaves as netem's does. Pure arithmetic over a random
 * u32, so KUnit can drive it with chosen or seeded values.
 */
#ifndef _TBX_LINK_DIST_H
#define _TBX_LINK_DIST_H

#include <linux/types.h>

/* Inverse CDFs at cell midpoints, 1.0 = TBX_DIST_SCALE (link_dist_table.c). */
#define TBX_DIST_TABLE_BITS	12
#define TBX_DIST_TABLE_SIZE	(1 << TBX_DIST_TABLE_BITS)
#define TBX_DIST_SCALE		8192	/* netem's NETEM_DIST_SCALE */

extern const s16 tbx_dist_normal[TBX_DIST_TABLE_SIZE];
extern const s16 tbx_dist_pareto[TBX_DIST_TABLE_SIZE];
extern const s16 tbx_dist_paretonormal[TBX_DIST_TABLE_SIZE];

/* A table given by the user (iproute2's .dist: TCA_TBX_DIST_TABLE). */
struct tbx_dist_table {
	u32 size;		/* 1..TBX_LINK_DIST_MAX_SIZE */
	s16 v[];
};

/*
 * A value around @mu with spread @sigma drawn with the random @rnd, as
 * netem's tabledist(): from @table when given, else from @dist's. Uniform
 * is mu - sigma + (rnd mod 2 sigma); a table's value is picked by rnd mod
 * its size and scaled, mu + sigma * v / 8192. |mu|, sigma <= 2^40 keep
 * every product in range. Not clamped.
 */
s64 tbx_dist_sample(u8 dist, const struct tbx_dist_table *table, u32 rnd,
		    s64 mu, s64 sigma);

#endif
