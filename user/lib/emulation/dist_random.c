// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * exp (COCOMA's) and poisson (tbx's): runs at random times. COCOMA drew
 * from Python's Mersenne Twister; the same generator, seeded the same way
 * (random.seed(n)), gives the same runs: seed 100 is what COCOMA used.
 * Runs are cut at the end of the distribution's window (COCOMA let them
 * run past it), with a note.
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
	double u = emu_mt_random(m);

	while (u <= 1e-7)
		u = emu_mt_random(m);
	return -log(u) / lambd;
}

/* Adds a run cut to the window; counts what was cut or dropped. */
static int add_in_window(const struct emu_dspec *d, struct emu_runvec *out, double load,
			 double start, double dur, unsigned int *cut)
{
	double end = d->start + d->duration;

	if (start >= end) {
		(*cut)++;
		return 0;
	}
	if (start + dur > end) {
		dur = end - start;
		(*cut)++;
	}
	return emu_runvec_add(out, d, load, start, dur);
}

static int note_cut(struct emu_ctx *c, const struct emu_dspec *d, unsigned int cut)
{
	if (!cut)
		return 0;
	return emu_note(c, "%s:%u: <distributions> %s: %u run(s) cut at the window's end (%g s)",
			c->what, d->line, d->name, cut, d->start + d->duration);
}

/* COCOMA's exp: on for Exp(1/on_x), off for Exp(1/off_x), on_x growing. */
int emu_plan_exp(const struct emu_dspec *d, struct emu_ctx *c, struct emu_runvec *out)
{
	unsigned int g = d->granularity, cut = 0;
	double timescale = d->duration / g, t = d->start;
	double load = trunc(emu_darg(d, "startLoad"));
	struct emu_mt m;
	int err = 0;

	/* the last run is on for timescale - 1 s: COCOMA divided by zero at 1 */
	if (timescale <= 1)
		return tbx_err(EINVAL, "%s:%u: <granularity>: exp needs more than 1 s per run (duration / granularity = %g s)",
			       c->what, d->granularity_line ? d->granularity_line : d->line, timescale);
	emu_mt_seed(&m, d->seed);
	for (unsigned int x = 1; x <= g && !err; x++) {
		double on = timescale * x / g, off, run, wait;

		if (on == timescale) {
			off = 1;
			on = timescale - 1;
		} else {
			off = timescale - on;
		}
		run = emu_mt_expovariate(&m, 1 / on);
		wait = emu_mt_expovariate(&m, 1 / off);
		err = add_in_window(d, out, load, t, run, &cut);
		t += run + wait;
	}
	return err ? err : note_cut(c, d, cut);
}

/* Arrivals of a Poisson process, granularity of them expected per window. */
int emu_plan_poisson(const struct emu_dspec *d, struct emu_ctx *c, struct emu_runvec *out)
{
	double mean = d->duration / d->granularity, end = d->start + d->duration;
	double job = emu_darg(d, "jobDuration"), load = trunc(emu_darg(d, "startLoad"));
	unsigned int cut = 0;
	struct emu_mt m;
	double t;
	int err = 0;

	if (job <= 0)
		job = floor(mean);
	emu_mt_seed(&m, d->seed);
	for (t = d->start + emu_mt_expovariate(&m, 1 / mean); t < end && !err;
	     t += emu_mt_expovariate(&m, 1 / mean))
		err = add_in_window(d, out, load, t, job, &cut);
	return err ? err : note_cut(c, d, cut);
}
