/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Jitter distributions of the tbx qdisc, with netem's meanings (uapi
 * enum tbx_link_dist). Pure arithmetic over a random u32, so KUnit can
 * drive it with chosen or seeded values.
 */
#ifndef _TBX_LINK_DIST_H
#define _TBX_LINK_DIST_H

#include <linux/types.h>

/* Inverse CDFs at cell midpoints, 1.0 = TBX_DIST_SCALE (link_dist_table.c). */
#define TBX_DIST_TABLE_BITS	12
#define TBX_DIST_TABLE_SIZE	(1 << TBX_DIST_TABLE_BITS)
#define TBX_DIST_SCALE		8192

extern const s16 tbx_dist_normal[TBX_DIST_TABLE_SIZE];
extern const s16 tbx_dist_pareto[TBX_DIST_TABLE_SIZE];
extern const s16 tbx_dist_paretonormal[TBX_DIST_TABLE_SIZE];

/*
 * A value of @dist around @mu with spread @sigma drawn with the random
 * @rnd: uniform on [mu - sigma, mu + sigma), the others mu + sigma * X.
 * |mu|, sigma <= 2^40 keep every product in range. Not clamped.
 */
s64 tbx_dist_sample(u8 dist, u32 rnd, s64 mu, s64 sigma);

#endif
