// SPDX-License-Identifier: GPL-2.0
/* netem's slots for the tbx qdisc (link_slot.h). */
#include <linux/math64.h>
#include <linux/limits.h>
#include <linux/minmax.h>

#include "link_slot.h"

void tbx_slot_open(struct tbx_slot *s, const struct tbx_slot_cfg *c, u64 now,
		   u32 rnd)
{
	s64 wait;

	if (c->jitter)
		wait = tbx_dist_sample(c->dist, c->table, rnd, c->delay, c->jitter);
	else
		wait = c->min_delay +
		       mul_u64_u32_shr(c->max_delay - c->min_delay, rnd, 32);
	/* A distribution may draw below 0: the slot opens at once. */
	s->next = now + (wait > 0 ? wait : 0);
	s->packets_left = c->packets;
	s->bytes_left = c->bytes;
}

bool tbx_slot_spend(struct tbx_slot *s, u32 len)
{
	s->packets_left--;
	/* netem's arithmetic: a packet larger than what is left still goes. */
	s->bytes_left -= min_t(u32, len, S32_MAX);
	return s->packets_left <= 0 || s->bytes_left <= 0;
}
