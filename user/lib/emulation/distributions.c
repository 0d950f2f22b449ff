// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The distributions: COCOMA's (linear, linear_incr, trapezoidal, exp,
 * event, fuzz, real_trace) with the arguments and bounds each module's
 * argNames(resourceType) declared, resource by resource, and tbx's own
 * (poisson, step, sine, profile). A resource a module has no table for
 * is one it does not apply to; an argument it has no entry for is one it
 * does not read (event has no duration).
 */
#include <errno.h>
#include <strings.h>
#include <jansson.h>

#include "emu_int.h"
#include "err.h"

#define DUR(lo)	{ "duration", EMU_ARG_NUM, lo, 100000, true, 0, false, "s the distribution lasts" }
#define GRAN(lo) { "granularity", EMU_ARG_NUM, lo, 100000, false, 1, false, "runs to create" }
#define MJT	{ "minJobTime", EMU_ARG_NUM, 2, 10000000, false, 2, false, \
		  "s: runs shorter than this are deleted" }
#define LOAD(n, lo, hi, h) { n, EMU_ARG_NUM, lo, hi, true, 0, false, h }
#define SEED	{ "seed", EMU_ARG_NUM, 0, 4294967295LL, false, EMU_COCOMA_SEED, true, \
		  "random seed (COCOMA's exp always used 100)" }
#define START	"load of the first run"
#define STOP	"load of the last run"

/* linear */
static const struct emu_argset linear_cpu = { {
	DUR(0), GRAN(0), MJT, LOAD("startLoad", 0, 100, START), LOAD("stopLoad", 0, 100, STOP) } };
static const struct emu_argset linear_mem = { {
	DUR(1), GRAN(1), MJT, LOAD("startLoad", 50, EMU_HI_MEM, START),
	LOAD("stopLoad", 50, EMU_HI_MEM, STOP) } };
static const struct emu_argset linear_io_net = { {
	DUR(1), GRAN(1), MJT, LOAD("startLoad", 1, 999999, START), LOAD("stopLoad", 1, 999999, STOP) } };

/* linear_incr and trapezoidal (COCOMA dropped their IO) */
#define BASE	"load for the whole window"
static const struct emu_argset incr_mem = { {
	DUR(1), GRAN(1), MJT, LOAD("startLoad", 50, EMU_HI_MEM, BASE),
	LOAD("stopLoad", 50, EMU_HI_MEM, "load the steps reach") } };
static const struct emu_argset incr_net = { {
	DUR(1), GRAN(1), MJT, LOAD("startLoad", 50, 999999, BASE),
	LOAD("stopLoad", 50, 999999, "load the steps reach") } };
static const struct emu_argset trap_mem = { {
	GRAN(1), DUR(1), MJT, LOAD("startLoad", 50, EMU_HI_MEM, BASE),
	LOAD("stopLoad", 50, EMU_HI_MEM, "load at the middle of the window") } };
static const struct emu_argset trap_net = { {
	GRAN(1), DUR(1), MJT, LOAD("startLoad", 1, 999999, BASE),
	LOAD("stopLoad", 1, 999999, "load at the middle of the window") } };

/* exp: stopLoad is read and bounded, never used */
#define EXP(lo, hi) { { LOAD("startLoad", lo, hi, "load of every run"), \
	{ "stopLoad", EMU_ARG_NUM, lo, hi, false, 0, false, "read, unused (as in COCOMA)" }, \
	GRAN(0), DUR(0), MJT, SEED } }
static const struct emu_argset exp_cpu = EXP(0, 100);
static const struct emu_argset exp_mem = EXP(50, EMU_HI_MEM);
static const struct emu_argset exp_io = EXP(0, 999999);
static const struct emu_argset exp_net = EXP(0, 1000000);

/* event reads nothing; fuzz its load only */
static const struct emu_argset event_net = { { { NULL } } };
static const struct emu_argset fuzz_net = { { LOAD("startLoad", 0, 1000000, "load of the run") } };

static const struct emu_argset trace_any = { {
	MJT, { "trace", EMU_ARG_TEXT, 0, 0, true, 0, false, "the trace file (as `tbx record` writes it)" },
	{ "groupingRange", EMU_ARG_NUM, 1, 99, true, 0, false,
	  "samples within this much of the current value merge (CPU: %, MEM: % of memory)" } } };

/* tbx's own: COCOMA's load bounds, a duration of at least 1 s */
#define TBX_SET(lo, hi, ...) { { DUR(1), GRAN(1), MJT, \
	LOAD("startLoad", lo, hi, "the lower load"), __VA_ARGS__ } }
#define STOPL(lo, hi) LOAD("stopLoad", lo, hi, "the higher load")
#define JOB	{ "jobDuration", EMU_ARG_NUM, 0, 100000, false, 0, true, \
		  "s each run lasts; 0: duration/granularity" }
#define PERIOD	{ "period", EMU_ARG_NUM, 0, 100000, false, 0, true, "s; 0: the window" }
static const struct emu_argset poisson_cpu = TBX_SET(0, 100, JOB, SEED);
static const struct emu_argset poisson_mem = TBX_SET(50, EMU_HI_MEM, JOB, SEED);
static const struct emu_argset poisson_io = TBX_SET(0, 999999, JOB, SEED);
static const struct emu_argset poisson_net = TBX_SET(0, 1000000, JOB, SEED);
static const struct emu_argset step_cpu = TBX_SET(0, 100, STOPL(0, 100));
static const struct emu_argset step_mem = TBX_SET(50, EMU_HI_MEM, STOPL(50, EMU_HI_MEM));
static const struct emu_argset step_io = TBX_SET(0, 999999, STOPL(0, 999999));
static const struct emu_argset step_net = TBX_SET(0, 1000000, STOPL(0, 1000000));
static const struct emu_argset sine_cpu = TBX_SET(0, 100, STOPL(0, 100), PERIOD);
static const struct emu_argset sine_mem = TBX_SET(50, EMU_HI_MEM, STOPL(50, EMU_HI_MEM), PERIOD);
static const struct emu_argset sine_io = TBX_SET(0, 999999, STOPL(0, 999999), PERIOD);
static const struct emu_argset sine_net = TBX_SET(0, 1000000, STOPL(0, 1000000), PERIOD);
static const struct emu_argset profile_net = { {
	DUR(1), MJT, { "profile", EMU_ARG_TEXT, 0, 0, true, 0, true, "the traffic profile file" } } };

static const struct emu_dist_def dists[] = {
	{ "linear", true, false,
	  "granularity sequential runs of equal length whose loads go in a straight line from startLoad to stopLoad",
	  { &linear_cpu, &linear_mem, &linear_io_net, &linear_io_net }, EMU_TIME_COCOMA, emu_plan_linear },
	{ "linear_incr", true, false,
	  "stacked parallel runs that add up: min(startLoad, stopLoad) for the whole window, then granularity-1 steps, each starting one step later",
	  { NULL, &incr_mem, NULL, &incr_net }, EMU_TIME_COCOMA, emu_plan_linear_incr },
	{ "trapezoidal", true, false,
	  "like linear_incr, the steps nested around the window's middle: the load rises to stopLoad and falls back",
	  { NULL, &trap_mem, NULL, &trap_net }, EMU_TIME_COCOMA, emu_plan_trapezoidal },
	{ "exp", true, false,
	  "granularity runs at startLoad with exponentially distributed on and off times (Python's random, seed 100)",
	  { &exp_cpu, &exp_mem, &exp_io, &exp_net }, EMU_TIME_COCOMA, emu_plan_exp },
	{ "event", true, true,
	  "one fuzzing event (backfuzz); the distributions after it in the file start from its end",
	  { NULL, NULL, NULL, &event_net }, EMU_TIME_COCOMA, emu_plan_event },
	{ "fuzz", true, false,
	  "one run at startLoad; COCOMA gave it no duration (0 s)",
	  { NULL, NULL, NULL, &fuzz_net }, EMU_TIME_COCOMA, emu_plan_fuzz },
	{ "real_trace", true, false,
	  "replays a recorded trace; consecutive samples within groupingRange of the current value merge into one run",
	  { &trace_any, &trace_any, NULL, NULL }, EMU_TIME_COCOMA, emu_plan_real_trace },
	{ "poisson", false, false,
	  "runs at startLoad arriving at random (a Poisson process), granularity of them on average over the window",
	  { &poisson_cpu, &poisson_mem, &poisson_io, &poisson_net }, EMU_TIME_TBX, emu_plan_poisson },
	{ "step", false, false,
	  "a square wave: granularity runs of equal length alternating startLoad and stopLoad",
	  { &step_cpu, &step_mem, &step_io, &step_net }, EMU_TIME_TBX, emu_plan_step },
	{ "sine", false, false,
	  "granularity runs of equal length following a sine wave between startLoad (its minimum, at the start) and stopLoad (its maximum)",
	  { &sine_cpu, &sine_mem, &sine_io, &sine_net }, EMU_TIME_TBX, emu_plan_sine },
	{ "profile", false, false,
	  "one net run over the window whose rate follows a traffic profile file (Documentation/user-guide.md); its load is the profile's peak",
	  { NULL, NULL, NULL, &profile_net }, EMU_TIME_TBX, emu_plan_profile },
};

const struct emu_dist_def *emu_dist_at(size_t i)
{
	return i < sizeof(dists) / sizeof(dists[0]) ? &dists[i] : NULL;
}

const struct emu_dist_def *emu_dist_find(const char *name)
{
	for (size_t i = 0; i < sizeof(dists) / sizeof(dists[0]); i++)
		if (!strcasecmp(dists[i].name, name))
			return &dists[i];
	return NULL;
}

static json_t *res_list(const struct emu_argset *const *sets)
{
	json_t *a = json_array();

	for (int r = EMU_RES_CPU; r < EMU_RES_MIX; r++)
		if (sets[r])
			json_array_append_new(a, json_string(emu_res_name(r)));
	return a;
}

long long emu_arg_hi(const struct emu_arg_def *a, const struct emu_host *h)
{
	if (a->hi == EMU_HI_MEM)
		return (long long)h->mem_mb;
	if (a->hi == EMU_HI_CPUS)
		return h->ncpus;
	return a->hi;
}

static json_t *arg_json(const struct emu_arg_def *d, const struct emu_host *h)
{
	json_t *o = json_pack("{s:s, s:s, s:b, s:b, s:s}", "name", d->name,
			      "kind", d->kind == EMU_ARG_TEXT ? "text" :
				      d->kind == EMU_ARG_PORT ? "port" : "number",
			      "required", d->required, "cocoma", !d->tbx, "help", d->help);

	if (d->kind == EMU_ARG_NUM) {
		json_object_set_new(o, "min", json_integer(d->lo));
		json_object_set_new(o, "max", json_integer(emu_arg_hi(d, h)));
	}
	if (!d->required && d->kind != EMU_ARG_TEXT)
		json_object_set_new(o, "default", json_real(d->def));
	return o;
}

json_t *emu_argsets_json(const struct emu_argset *const *sets, const struct emu_host *h)
{
	json_t *o = json_object();

	for (int r = EMU_RES_CPU; r < EMU_RES_MIX; r++) {
		json_t *a;

		if (!sets[r])
			continue;
		a = json_array();
		for (size_t i = 0; i < EMU_ARGS_MAX && sets[r]->a[i].name; i++)
			json_array_append_new(a, arg_json(&sets[r]->a[i], h));
		json_object_set_new(o, emu_res_name(r), a);
	}
	return o;
}

static json_t *dist_json(const struct emu_dist_def *d, const struct emu_host *h)
{
	return json_pack("{s:s, s:s, s:s, s:o, s:s, s:o}", "name", d->name,
			 "origin", d->cocoma ? "cocoma" : "tbx",
			 "trigger", d->event ? "event" : "time",
			 "resources", res_list(d->args),
			 "help", d->help,
			 "arguments", emu_argsets_json(d->args, h));
}

json_t *emu_distributions_json(const char *name)
{
	struct emu_host h;
	json_t *a;

	emu_host_read(&h);
	if (name) {
		const struct emu_dist_def *d = emu_dist_find(name);

		if (!d) {
			tbx_err(ENOENT, "no distribution \"%s\"; try \"tbx distribution\"", name);
			return NULL;
		}
		return dist_json(d, &h);
	}
	a = json_array();
	for (size_t i = 0; i < sizeof(dists) / sizeof(dists[0]); i++)
		json_array_append_new(a, dist_json(&dists[i], &h));
	return a;
}
