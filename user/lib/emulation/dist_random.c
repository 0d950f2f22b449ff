// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * exp (COCOMA's) and poisson (tbx's): runs at random times. COCOMA drew
 * from Python 2.7's Mersenne Twister and expovariate; the same generator,
 * seeded the same way (random.seed(n)), gives the same runs: seed 100 is
 * what COCOMA used. exp's runs are not cut at the window's end (COCOMA's
 * were not).
 */
#include <errno.h>
#include <math.h>

#include "emu_int.h"
#include "err.h"

#define MT_N 624
#define MT_M 397

static void mt_init(struct emu_mt *m, uint32_t s)
{
	m->mt[0] = s;
	for (int i = 1; i < MT_N; i++)
		m->mt[i] = 1812433253U * (m->mt[i - 1] ^ (m->mt[i - 1] >> 30)) + i;
	m->i = MT_N;
}

/* init_by_array, as Python seeds from an int's 32-bit words. */
void emu_mt_seed(struct emu_mt *m, uint64_t seed)
{
	uint32_t key[2] = { (uint32_t)seed, (uint32_t)(seed >> 32) };
	int len = key[1] ? 2 : 1, i = 1, j = 0;

	mt_init(m, 19650218U);
	for (int k = MT_N > len ? MT_N : len; k; k--) {
		m->mt[i] = (m->mt[i] ^ ((m->mt[i - 1] ^ (m->mt[i - 1] >> 30)) * 1664525U)) + key[j] + j;
		i++, j++;
		if (i >= MT_N) {
			m->mt[0] = m->mt[MT_N - 1];
			i = 1;
		}
		if (j >= len)
			j = 0;
	}
	for (int k = MT_N - 1; k; k--) {
		m->mt[i] = (m->mt[i] ^ ((m->mt[i - 1] ^ (m->mt[i - 1] >> 30)) * 1566083941U)) - i;
		i++;
		if (i >= MT_N) {
			m->mt[0] = m->mt[MT_N - 1];
			i = 1;
		}
	}
	m->mt[0] = 0x80000000U;
	m->i = MT_N;
}

static uint32_t mt_next(struct emu_mt *m)
{
	uint32_t y;

	if (m->i >= MT_N) {
		for (int k = 0; k < MT_N; k++) {
			y = (m->mt[k] & 0x80000000U) | (m->mt[(k + 1) % MT_N] & 0x7fffffffU);
			m->mt[k] = m->mt[(k + MT_M) % MT_N] ^ (y >> 1) ^ (y & 1 ? 0x9908b0dfU : 0);
		}
		m->i = 0;
	}
	y = m->mt[m->i++];
	y ^= y >> 11;
	y ^= (y << 7) & 0x9d2c5680U;
	y ^= (y << 15) & 0xefc60000U;
	return y ^ (y >> 18);
}

double emu_mt_random(struct emu_mt *m)
{
	uint32_t a = mt_next(m) >> 5, b = mt_next(m) >> 6;

	return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
}

double emu_mt_expovariate(struct emu_mt *m, double lambd)
{
	return -log(1.0 - emu_mt_random(m)) / lambd;
}

static int fails(struct emu_ctx *c, const struct emu_dspec *d, const char *arg, const char *why)
{
	return tbx_err(EINVAL, "%s:%u: <%s>: %s", c->what, emu_dline(d, arg), arg, why);
}

/*
 * COCOMA's exp: granularity runs at startLoad; the x-th is on for
 * Exp(mean on_x) and off for Exp(mean off_x), on_x = timescale x / g
 * growing to the timescale (duration / g), where the last is on for
 * timescale - 1 and off for 1. Where COCOMA's Python failed, tbx refuses:
 * granularity 0 or a duration of 0 (division by zero), a timescale of
 * exactly 1 s (the last run on for 0 s), a load above 4095 (its MEM split
 * names a variable it does not have). A timescale under 1 s gives runs of
 * negative length, which minJobTime deletes.
 */
int emu_plan_exp(const struct emu_dspec *d, struct emu_ctx *c, double base, bool epoch,
		 struct emu_rawvec *out)
{
	long long g = (long long)emu_darg(d, "granularity");
	double dur = emu_darg(d, "duration"), load = emu_darg(d, "startLoad");
	double timescale, t = base;
	struct emu_mt m;
	int err = 0;

	if (g == 0)
		return fails(c, d, "granularity", "0 runs: COCOMA's exp divides the duration by it and fails");
	timescale = dur / (double)g;
	if (timescale == 0)
		return fails(c, d, "duration", "0 s: COCOMA's exp divides by duration / granularity and fails");
	if (load > EMU_MALLOC_LIMIT)
		return fails(c, d, "startLoad", "above 4095: COCOMA's exp fails on such a load (its MEM split uses an undefined name)");
	emu_mt_seed(&m, d->seed);
	for (long long x = 1; x <= g && !err; x++) {
		double on = timescale * (double)x / (double)g, off, run, wait;

		if (on == timescale) {
			off = 1;
			on = timescale - 1;
		} else {
			off = timescale - on;
		}
		if (on == 0 || off == 0)
			return fails(c, d, "granularity", "a timescale (duration / granularity) of 1 s: COCOMA's exp divides by zero");
		run = emu_mt_expovariate(&m, 1 / on);
		wait = emu_mt_expovariate(&m, 1 / off);
		err = emu_raw_add(out, load, t, run);
		t = t + run + wait;
	}
	return err;
}

/* tbx's poisson: arrivals of a Poisson process, granularity of them
 * expected per window, each run cut at the window's end. */
int emu_plan_poisson(const struct emu_dspec *d, struct emu_ctx *c, double base, bool epoch,
		     struct emu_rawvec *out)
{
	double dur = emu_darg(d, "duration"), mean = dur / emu_darg(d, "granularity");
	double end = base + dur, job = emu_darg(d, "jobDuration"), load = emu_darg(d, "startLoad");
	unsigned int cut = 0;
	struct emu_mt m;
	double t;
	int err = 0;

	if (job <= 0)
		job = floor(mean);
	emu_mt_seed(&m, d->seed);
	for (t = base + emu_mt_expovariate(&m, 1 / mean); t < end && !err;
	     t += emu_mt_expovariate(&m, 1 / mean)) {
		double run = job;

		if (t + run > end) {
			run = end - t;
			cut++;
		}
		err = emu_raw_add_split(out, d, load, t, run);
	}
	if (err || !cut || epoch)
		return err;
	return emu_note(c, "%s:%u: <distributions> %s: %u run(s) cut at the window's end (%g s)",
			c->what, d->line, d->name, cut, end);
}
