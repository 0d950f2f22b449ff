// SPDX-License-Identifier: GPL-2.0-or-later
/* A plan as JSON: what `tbx emulation runs --dry-run` prints and tbxd serves. */
#include <string.h>
#include <time.h>
#include <jansson.h>

#include "emulation.h"

static json_t *run_json(const struct emu_run *r, size_t i)
{
	json_t *o = json_pack("{s:I, s:I, s:I, s:f, s:f, s:s, s:s, s:s, s:f, s:s}",
			      "run", (json_int_t)i, "dist", (json_int_t)r->dist,
			      "line", (json_int_t)r->line, "start", r->start,
			      "duration", r->duration, "resource", emu_res_name(r->res),
			      "emulator", r->emulator, "cocoma_emulator", r->cocoma_emulator,
			      "load", r->load, "unit", emu_res_unit(r->res));

	if (!o)
		return NULL;
	if (r->event)
		json_object_set_new(o, "event", json_true());
	switch (r->res) {
	case EMU_RES_CPU:
		json_object_set_new(o, "ncpus", json_integer(r->ncpus));
		json_object_set_new(o, "pin", json_boolean(r->pin));
		break;
	case EMU_RES_MEM:
		json_object_set_new(o, "mem_sleep_us", json_integer(r->mem_sleep_us));
		if (r->mem_threads)
			json_object_set_new(o, "mem_threads", json_integer(r->mem_threads));
		break;
	case EMU_RES_IO:
		json_object_set_new(o, "io_sleep_ms", json_integer(r->io_sleep_ms));
		if (r->io_block_mb)
			json_object_set_new(o, "io_block_mb", json_integer(r->io_block_mb));
		if (r->mem_size_mb)
			json_object_set_new(o, "mem_size_mb", json_integer(r->mem_size_mb));
		if (r->io_dir[0])
			json_object_set_new(o, "io_dir", json_string(r->io_dir));
		break;
	case EMU_RES_NET:
		json_object_set_new(o, "server_ip", json_string(r->server_ip));
		json_object_set_new(o, "server_port", json_integer(r->server_port));
		json_object_set_new(o, "protocol", json_string(r->protocol));
		if (r->dev[0])
			json_object_set_new(o, "dev", json_string(r->dev));
		if (r->profile[0])
			json_object_set_new(o, "profile", json_string(r->profile));
		if (r->fuzz_protocol[0] || !strcmp(r->protocol, "fuzz"))
			json_object_set_new(o, "fuzz", json_pack("{s:s, s:i, s:i, s:i, s:f}",
				"protocol", r->fuzz_protocol, "min", r->fuzz_min,
				"range", r->fuzz_range, "salt", r->fuzz_salt,
				"delay", r->fuzz_delay));
		break;
	default:
		break;
	}
	return o;
}

json_t *emu_plan_json(const struct emu_plan *p)
{
	json_t *o, *runs = json_array(), *notes = json_array();
	char start[32] = "now";

	if (!p->start_now) {
		struct tm tm;

		gmtime_r(&p->start, &tm);
		strftime(start, sizeof(start), "%Y-%m-%dT%H:%M:%SZ", &tm);
	}
	for (size_t i = 0; i < p->n_runs; i++)
		json_array_append_new(runs, run_json(&p->runs[i], i));
	for (size_t i = 0; i < p->n_notes; i++)
		json_array_append_new(notes, json_string(p->notes[i].text));
	o = json_pack("{s:s, s:s, s:s, s:s, s:f, s:{s:b, s:f, s:s}, s:I,"
		      " s:{s:I, s:I, s:I, s:I}, s:I, s:o, s:o}",
		      "name", p->name, "type", emu_type_name(p->type),
		      "resource", emu_res_name(p->res), "start", start,
		      "duration", p->duration,
		      "log", "enable", p->log_enable, "frequency", p->log_frequency,
		      "level", p->log_level,
		      "distributions", (json_int_t)p->n_dists,
		      "machine", "cpus", (json_int_t)p->ncpus, "mem_mb", (json_int_t)p->mem_mb,
		      "mem_used_mb", (json_int_t)p->mem_used_mb, "seed", (json_int_t)p->seed,
		      "n_runs", (json_int_t)p->n_runs, "runs", runs, "notes", notes);
	return o;
}
