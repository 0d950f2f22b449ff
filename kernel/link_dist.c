// SPDX-License-Identifier: GPL-2.0
/* Jitter distributions (link_dist.h). */
#include <linux/limits.h>
#include <linux/math64.h>

#include <uapi/linux/tbx.h>

#include "link_dist.h"

static s64 from_table(const s16 *v, u32 size, u32 rnd, s64 mu, s64 sigma)
{
	return mu + div_s64(sigma * v[rnd % size], TBX_DIST_SCALE);
}

s64 tbx_dist_sample(u8 dist, const struct tbx_dist_table *table, u32 rnd,
		    s64 mu, s64 sigma)
{
	if (!sigma)
		return mu;
	if (table)
		return from_table(table->v, table->size, rnd, mu, sigma);
	switch (dist) {
	case TBX_LINK_DIST_NORMAL:
		return from_table(tbx_dist_normal, TBX_DIST_TABLE_SIZE, rnd, mu, sigma);
	case TBX_LINK_DIST_PARETO:
		return from_table(tbx_dist_pareto, TBX_DIST_TABLE_SIZE, rnd, mu, sigma);
	case TBX_LINK_DIST_PARETONORMAL:
		return from_table(tbx_dist_paretonormal, TBX_DIST_TABLE_SIZE, rnd,
				  mu, sigma);
	}
	/* Uniform on [mu - sigma, mu + sigma): netem's rnd mod 2 sigma ... */
	if (2 * sigma <= U32_MAX)
		return mu - sigma + rnd % (u32)(2 * sigma);
	/* ... which a u32 cannot cover past 4.29 s: scale instead. */
	return mu - sigma + (s64)mul_u64_u32_shr(2 * sigma, rnd, 32);
}
