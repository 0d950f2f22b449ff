// SPDX-License-Identifier: GPL-2.0
/* Duty-cycle arithmetic for cpu runs (see duty.h). */
#include <linux/math64.h>
#include <linux/minmax.h>

#include "duty.h"

u64 tbx_duty_period(u32 rnd)
{
	u64 span = TBX_DUTY_PERIOD_MAX - TBX_DUTY_PERIOD_MIN + 1;

	/* span < 2^32, so the product fits; >> 32 maps rnd onto [0, span). */
	return TBX_DUTY_PERIOD_MIN + ((span * rnd) >> 32);
}

u64 tbx_duty_share(u64 ns, u32 level)
{
	if (level >= TBX_DUTY_LEVEL_MAX)
		return ns;
	/* Split so ns * level cannot overflow for any ns. */
	return div_u64(ns, TBX_DUTY_LEVEL_MAX) * level +
	       div_u64((ns % TBX_DUTY_LEVEL_MAX) * level, TBX_DUTY_LEVEL_MAX);
}

u64 tbx_duty_scale(u64 a, u64 num, u64 den)
{
	if (!den)
		return 0;
	/* With a <= den the quotient is at most num: it cannot overflow. */
	return mul_u64_u64_div_u64(min(a, den), num, den);
}

u64 tbx_duty_busy(u64 wall, u64 idle)
{
	return wall > idle ? wall - idle : 0;
}

u32 tbx_duty_util(u64 wall, u64 idle)
{
	u64 busy = tbx_duty_busy(wall, idle);

	if (!wall)
		return 0;
	/* 100 * busy / wall, rounded; busy <= wall keeps it at most 100. */
	return (tbx_duty_scale(busy, 200, wall) + 1) / 2;
}

u64 tbx_duty_budget(const struct tbx_duty *d, u32 level, u64 period)
{
	s64 budget;

	if (level >= TBX_DUTY_LEVEL_MAX)
		return period;
	if (!level)
		return 0;
	period = min_t(u64, period, TBX_DUTY_WALL_MAX);
	budget = tbx_duty_share(period, level);
	if (d->wall)
		budget -= tbx_duty_scale(d->others, period, d->wall);
	budget += d->debt;
	return clamp_t(s64, budget, 0, period);
}

void tbx_duty_account(struct tbx_duty *d, u32 level, u64 wall, u64 busy,
		      u64 ran, bool total)
{
	s64 err;

	wall = min_t(u64, wall, TBX_DUTY_WALL_MAX);
	busy = min(busy, wall);
	ran = min(ran, wall);
	/* What the period should have seen busy, less what it did. */
	err = (s64)tbx_duty_share(wall, level) - (s64)(total ? busy : ran);
	d->debt = clamp_t(s64, d->debt + err, -(s64)TBX_DUTY_DEBT_MAX,
			  TBX_DUTY_DEBT_MAX);
	d->others = total && busy > ran ? busy - ran : 0;
	d->wall = wall;
}
