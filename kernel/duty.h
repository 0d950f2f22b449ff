/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Duty-cycle arithmetic for cpu runs: pure functions of their arguments,
 * no kernel state, so KUnit can test every edge (duty_kunit.c).
 *
 * A cpu thread works in periods of a random length (so its on/off pattern
 * is not phase-locked to the scheduler tick that tick-based accounting
 * samples). Each period it spins for a budget and sleeps the rest. The
 * budget is the level's share of the period, less what others are expected
 * to use (total mode), plus a bounded debt: the busy time owed by earlier
 * periods, so the long-run mean converges on the level.
 */
#ifndef _TBX_DUTY_H
#define _TBX_DUTY_H

#include <linux/time64.h>
#include <linux/types.h>

#define TBX_DUTY_LEVEL_MAX	100			/* percent */
#define TBX_DUTY_PERIOD_MIN	(5 * NSEC_PER_MSEC)
#define TBX_DUTY_PERIOD_MAX	(15 * NSEC_PER_MSEC)
/* Debt is held within +-this: a burst cannot be repaid (or owed) forever. */
#define TBX_DUTY_DEBT_MAX	(10 * NSEC_PER_MSEC)
/* A longer period (the thread stalled) counts as this long. */
#define TBX_DUTY_WALL_MAX	NSEC_PER_SEC

struct tbx_duty {
	s64 debt;	/* ns of busy time owed (> 0) or spent ahead (< 0) */
	u64 others;	/* ns others kept the CPU busy last period (total mode) */
	u64 wall;	/* ns the last period lasted; 0 = none yet */
};

/* A period length in [PERIOD_MIN, PERIOD_MAX] from a uniform random u32. */
u64 tbx_duty_period(u32 rnd);
/* @level percent of @ns (level above 100 counts as 100). */
u64 tbx_duty_share(u64 ns, u32 level);
/* @a * @num / @den without overflow; @a is clamped to @den; 0 if @den is 0. */
u64 tbx_duty_scale(u64 a, u64 num, u64 den);
/* Busy ns of a CPU over @wall ns of which @idle were idle. */
u64 tbx_duty_busy(u64 wall, u64 idle);
/* Utilisation in percent over @wall ns with @idle idle, rounded. */
u32 tbx_duty_util(u64 wall, u64 idle);
/* The ns to spin in a period of @period ns at @level percent. */
u64 tbx_duty_budget(const struct tbx_duty *d, u32 level, u64 period);
/*
 * Accounts a finished period: it lasted @wall ns, the CPU was busy @busy
 * ns (everything counted), of which the thread used @ran. @total: the
 * level is the CPU's total (else the thread's own).
 */
void tbx_duty_account(struct tbx_duty *d, u32 level, u64 wall, u64 busy,
		      u64 ran, bool total);

#endif
