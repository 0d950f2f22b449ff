// SPDX-License-Identifier: GPL-2.0
/* Correlated draws of the tbx qdisc (link_rand.h). */
#include <linux/limits.h>
#include <linux/math64.h>

#include "link_rand.h"

u32 tbx_ppm_to_u32(u32 ppm)
{
	if (ppm >= 1000000)
		return U32_MAX;
	return div_u64((u64)ppm * U32_MAX + 500000, 1000000);
}

u32 tbx_crnd_next(struct tbx_crnd *c, u32 fresh)
{
	u64 w;

	if (!c->rho)
		return fresh;	/* netem keeps no history without one */
	w = (u64)c->rho + 1;
	/* Both products share the factor 2^32 - 1 at most: no overflow. */
	c->last = ((u64)fresh * ((1ULL << 32) - w) + (u64)c->last * w) >> 32;
	return c->last;
}
