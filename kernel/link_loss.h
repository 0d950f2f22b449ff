/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netem's bursty loss models, as its sch_netem.c runs them: the 4-state
 * Markov chain of the GI model ("loss state") and Gilbert-Elliott ("loss
 * gemodel"). Probabilities are ppm; each step takes its uniform draws as
 * arguments, so KUnit compares them with a reference chain.
 */
#ifndef _TBX_LINK_LOSS_H
#define _TBX_LINK_LOSS_H

#include <linux/types.h>

enum tbx_loss_kind {
	TBX_LOSS_RANDOM,	/* independent (or correlated) draws */
	TBX_LOSS_4STATE,
	TBX_LOSS_GE,
};

/* The 4-state chain's states, numbered as netem's. */
enum tbx_4state {
	TBX_4S_GAP_RX = 1,	/* received, in a gap */
	TBX_4S_BURST_RX,	/* received, in a burst */
	TBX_4S_BURST_LOST,	/* lost, in a burst */
	TBX_4S_GAP_LOST,	/* isolated loss, in a gap */
};

enum tbx_ge_state {
	TBX_GE_GOOD = 1,
	TBX_GE_BAD,
};

struct tbx_loss_4state {
	u32 p13, p31, p32, p23, p14;	/* ppm */
};

struct tbx_loss_ge {
	u32 p, r;			/* ppm: good -> bad, bad -> good */
	u32 loss_bad, loss_good;	/* ppm: netem's 1-h and 1-k */
};

/* One packet through the 4-state chain in *@state: true if lost. */
bool tbx_loss_4state_step(const struct tbx_loss_4state *m, u8 *state, u32 rnd);

/*
 * One packet through Gilbert-Elliott: @move decides the transition and
 * @lose the loss, which netem takes in the state the packet found.
 */
bool tbx_loss_ge_step(const struct tbx_loss_ge *m, u8 *state, u32 move,
		      u32 lose);

#endif
