// SPDX-License-Identifier: GPL-2.0
/* Jitter distributions (link_dist.h). */
#include <linux/math64.h>

#include <uapi/linux/tbx.h>

#include "link_dist.h"

s64 tbx_dist_sample(u8 dist, u32 rnd, s64 mu, s64 sigma)
{
	const s16 *table;
	s64 dev;

	switch (dist) {
	case TBX_LINK_DIST_NORMAL:
		table = tbx_dist_normal;
		break;
	case TBX_LINK_DIST_PARETO:
		table = tbx_dist_pareto;
		break;
	case TBX_LINK_DIST_PARETONORMAL:
		table = tbx_dist_paretonormal;
		break;
	default:
		/* 24 bits of rnd: sigma * (2u - 1) with u uniform on [0, 1). */
		dev = (s64)(rnd >> 8) * 2 - (1 << 24);
		return mu + div_s64(sigma * dev, 1 << 24);
	}
	/* The top bits pick the cell: each is equally likely. */
	dev = table[rnd >> (32 - TBX_DIST_TABLE_BITS)];
	return mu + div_s64(sigma * dev, TBX_DIST_SCALE);
}
