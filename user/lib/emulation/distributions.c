// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The distributions: COCOMA's (linear, linear_incr, trapezoidal, exp,
 * event, fuzz, real_trace) and tbx's own (poisson, step, sine, profile),
 * with their arguments, bounds and help. Every distribution also takes the
 * common elements name, startTime, duration, granularity and minJobTime.
 */
#include <errno.h>
#include <strings.h>
#include <jansson.h>

#include "emu_int.h"
#include "err.h"

#define ALL	(EMU_RES_BIT(EMU_RES_CPU) | EMU_RES_BIT(EMU_RES_MEM) | \
		 EMU_RES_BIT(EMU_RES_IO) | EMU_RES_BIT(EMU_RES_NET))
#define CPU	EMU_RES_BIT(EMU_RES_CPU)
#define MEM	EMU_RES_BIT(EMU_RES_MEM)
#define IO	EMU_RES_BIT(EMU_RES_IO)
#define NET	EMU_RES_BIT(EMU_RES_NET)

#define START_LOAD(h)	{ "startLoad", EMU_ARG_LOAD, 0, 0, 0, true, 0, h }
#define STOP_LOAD(h)	{ "stopLoad", EMU_ARG_LOAD, 0, 0, 0, true, 0, h }
#define SEED	{ "seed", EMU_ARG_NUM, 0, 4294967295.0, 0, false, 0, \
		  "random seed; 0 or absent: from the emulation's name (100 gives COCOMA's runs)" }

static const struct emu_dist_def dists[] = {
	{ "linear", true, false, ALL,
	  "granularity sequential runs of equal length whose loads go in a straight line from startLoad to stopLoad",
	  { START_LOAD("load of the first run"), STOP_LOAD("load of the last run") },
	  emu_plan_linear },
	{ "linear_incr", true, false, MEM | IO | NET,
	  "stacked parallel runs that add up: startLoad for the whole window, then granularity-1 increments starting one step later each, reaching stopLoad",
	  { START_LOAD("load for the whole window"), STOP_LOAD("load reached by the last step") },
	  emu_plan_linear_incr },
	{ "trapezoidal", true, false, MEM | IO | NET,
	  "like linear_incr but the increments are nested around the window's middle, so the load rises to stopLoad and falls back",
	  { START_LOAD("load for the whole window"), STOP_LOAD("load at the middle of the window") },
	  emu_plan_trapezoidal },
	{ "exp", true, false, ALL,
	  "granularity runs at startLoad with exponentially distributed on and off times (seeded)",
	  { START_LOAD("load of every run"),
	    { "stopLoad", EMU_ARG_LOAD, 0, 0, 0, false, 0, "accepted, unused (as in COCOMA)" },
	    SEED },
	  emu_plan_exp },
	{ "event", true, true, NET,
	  "one run that triggers a fuzzing event (backfuzz) at startTime, lasting the window",
	  { { "startLoad", EMU_ARG_NUM, 1, 1000000, 10, false, 0, "packets/s of the fuzz pattern" } },
	  emu_plan_event },
	{ "fuzz", true, false, NET,
	  "one run at startLoad for the whole window",
	  { START_LOAD("load of the run") },
	  emu_plan_fuzz },
	{ "real_trace", true, false, CPU | MEM,
	  "replays a trace recorded by `tbx record`; consecutive samples within groupingRange of the current value merge into one run",
	  { { "trace", EMU_ARG_TEXT, 0, 0, 0, true, 0, "the trace file" },
	    { "groupingRange", EMU_ARG_NUM, 1, 99, 1, true, 0,
	      "samples within this much of the current value merge (CPU: %, MEM: % of memory)" },
	    { "mallocLimit", EMU_ARG_NUM, 50, 4095, 4095, false, MEM,
	      "MiB: bigger MEM runs are split into parallel parts" } },
	  emu_plan_real_trace },
	{ "poisson", false, false, ALL,
	  "runs at startLoad arriving at random (a Poisson process), granularity of them on average over the window",
	  { START_LOAD("load of every run"),
	    { "jobDuration", EMU_ARG_NUM, 0, 100000, 0, false, 0,
	      "s each run lasts; 0: duration/granularity" },
	    SEED },
	  emu_plan_poisson },
	{ "step", false, false, ALL,
	  "a square wave: granularity runs of equal length alternating startLoad and stopLoad",
	  { START_LOAD("load of the even runs"), STOP_LOAD("load of the odd runs") },
	  emu_plan_step },
	{ "sine", false, false, ALL,
	  "granularity runs of equal length following a sine wave between startLoad (its minimum, at the start) and stopLoad (its maximum)",
	  { START_LOAD("the wave's minimum"), STOP_LOAD("the wave's maximum"),
	    { "period", EMU_ARG_NUM, 0, 100000, 0, false, 0, "s; 0 or absent: the window" } },
	  emu_plan_sine },
	{ "profile", false, false, NET,
	  "one net run over the window whose rate follows a traffic profile file (Documentation/user-guide.md); its load is the profile's peak",
	  { { "profile", EMU_ARG_TEXT, 0, 0, 0, true, 0, "the traffic profile file" } },
	  emu_plan_profile },
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

static json_t *res_list(unsigned int mask)
{
	json_t *a = json_array();

	for (int r = EMU_RES_CPU; r < EMU_RES_MIX; r++)
		if (mask & EMU_RES_BIT(r))
			json_array_append_new(a, json_string(emu_res_name(r)));
	return a;
}

json_t *emu_args_json(const struct emu_arg_def *args, const struct emu_host *h)
{
	json_t *a = json_array();

	for (size_t i = 0; i < EMU_ARGS_MAX && args[i].name; i++) {
		const struct emu_arg_def *d = &args[i];
		json_t *o = json_pack("{s:s, s:s, s:b, s:s}", "name", d->name,
				      "kind", d->kind == EMU_ARG_TEXT ? "text" :
				      d->kind == EMU_ARG_LOAD ? "load" : "number",
				      "required", d->required, "help", d->help);

		if (d->res_mask)
			json_object_set_new(o, "resources", res_list(d->res_mask));
		if (d->kind == EMU_ARG_NUM) {
			json_object_set_new(o, "min", json_real(d->lo));
			json_object_set_new(o, "max", json_real(d->hi));
			if (!d->required)
				json_object_set_new(o, "default", json_real(d->def));
		} else if (d->kind == EMU_ARG_LOAD) {
			json_t *b = json_object();

			for (int r = EMU_RES_CPU; r < EMU_RES_MIX; r++) {
				double lo, hi;

				emu_load_bounds(r, h, &lo, &hi);
				json_object_set_new(b, emu_res_name(r), json_pack("{s:f, s:f, s:s}",
					"min", lo, "max", hi, "unit", emu_res_unit(r)));
			}
			json_object_set_new(o, "bounds", b);
		}
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *dist_json(const struct emu_dist_def *d, const struct emu_host *h)
{
	return json_pack("{s:s, s:s, s:s, s:o, s:o, s:o}", "name", d->name,
			 "origin", d->cocoma ? "cocoma" : "tbx",
			 "trigger", d->event ? "event" : "time",
			 "resources", res_list(d->res_mask),
			 "help", json_string(d->help),
			 "arguments", emu_args_json(d->args, h));
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
