// SPDX-License-Identifier: GPL-2.0
/* netem's loss models for the tbx qdisc (link_loss.h). */
#include "link_loss.h"
#include "link_time.h"

bool tbx_loss_4state_step(const struct tbx_loss_4state *m, u8 *state, u32 rnd)
{
	/*
	 * One draw against the cumulative probabilities of the ways out of
	 * the current state; a packet is lost when the chain enters a
	 * lost state (or stays in the burst's).
	 */
	switch (*state) {
	case TBX_4S_GAP_RX:
		if (tbx_link_chance(rnd, m->p14)) {
			*state = TBX_4S_GAP_LOST;
			return true;
		}
		if (tbx_link_chance(rnd, m->p14 + m->p13)) {
			*state = TBX_4S_BURST_LOST;
			return true;
		}
		return false;
	case TBX_4S_BURST_RX:
		if (tbx_link_chance(rnd, m->p23)) {
			*state = TBX_4S_BURST_LOST;
			return true;
		}
		return false;
	case TBX_4S_BURST_LOST:
		if (tbx_link_chance(rnd, m->p32)) {
			*state = TBX_4S_BURST_RX;
			return false;
		}
		if (tbx_link_chance(rnd, m->p32 + m->p31)) {
			*state = TBX_4S_GAP_RX;
			return false;
		}
		return true;
	case TBX_4S_GAP_LOST:
		*state = TBX_4S_GAP_RX;
		return false;
	}
	*state = TBX_4S_GAP_RX;	/* not reached: states are set here only */
	return false;
}

bool tbx_loss_ge_step(const struct tbx_loss_ge *m, u8 *state, u32 move,
		      u32 lose)
{
	if (*state == TBX_GE_BAD) {
		if (tbx_link_chance(move, m->r))
			*state = TBX_GE_GOOD;
		return tbx_link_chance(lose, m->loss_bad);
	}
	if (tbx_link_chance(move, m->p))
		*state = TBX_GE_BAD;
	return tbx_link_chance(lose, m->loss_good);
}
