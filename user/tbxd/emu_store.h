/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Emulations in tbxd's SQLite state: each emulation's XML and plan, and
 * one row per run with its state (pending, starting, running, executed,
 * failed), message, kernel run id and times. Every change is one
 * committed statement, so a tbxd killed at any point leaves rows that
 * say exactly what it had done (see scheduler.c for how they are read
 * back after a restart).
 */
#ifndef TBXD_EMU_STORE_H
#define TBXD_EMU_STORE_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>

#include "emulation/emulation.h"

struct tbxd_state;

/* "emu:<name>:<index>" must fit the kernel's owner tag. */
#define EMU_NAME_MAX	48

/* Marks a field emu_store_mark() leaves as it is. */
#define EMU_KEEP	INT64_MIN

/* One run as the scheduler sees it. */
struct emu_job {
	int64_t emu;			/* emulations.id */
	char name[EMU_NAME_MAX + 1];
	int idx;
	int n_runs;			/* runs in its emulation */
	int64_t due_ns;			/* realtime */
	char state[12];
	int64_t kernel_id;		/* 0: none */
	int64_t started_ns;		/* 0: not yet */
	struct emu_run run;		/* start, duration, load, emulator, params */
};

/* Checks a name is usable in owner tags, file names and URLs. */
int emu_name_check(const char *name);

/* Adds an emulation, all its runs pending; -EEXIST when the name is taken. */
int emu_store_add(struct tbxd_state *st, const struct emu_plan *p,
		  const char *xml, int64_t start_ns, int64_t *id);
int emu_store_delete(struct tbxd_state *st, const char *name);

/* Which runs emu_store_next_due() looks at. */
enum emu_which { EMU_ANY, EMU_IO_ONLY, EMU_KERNEL_ONLY };

/* The pending run due first; *found false when none. */
int emu_store_next_due(struct tbxd_state *st, enum emu_which which,
		       struct emu_job *j, bool *found);
int emu_store_job(struct tbxd_state *st, const char *name, int idx,
		  struct emu_job *j, bool *found);
/* Calls fn for each run in @state (NULL: starting or running). */
int emu_store_each(struct tbxd_state *st, const char *state, const char *name,
		   int (*fn)(struct emu_job *j, void *arg), void *arg);

/* Sets a run's state and, unless EMU_KEEP / NULL, its other fields. */
int emu_store_mark(struct tbxd_state *st, int64_t emu, int idx,
		   const char *state, const char *message, int64_t kernel_id,
		   int64_t started_ns, int64_t ended_ns, int64_t delay_ns);
/* Brings the emulation's state in line with its runs; *state gets it. */
int emu_store_update_emu(struct tbxd_state *st, int64_t emu,
			 char *state, size_t len);

/* Emulations with logging on that are not finished: fn(name, start_ns,
 * duration, frequency).
 */
int emu_store_each_logged(struct tbxd_state *st,
			  int (*fn)(const char *name, int64_t start_ns,
				    double duration, double freq, void *arg),
			  void *arg);

/* JSON for the API. NULL with tbx_errmsg() set on failure; *found false
 * when the name is unknown.
 */
json_t *emu_store_list_json(struct tbxd_state *st);
#define EMU_SHOW_RUNS	1	/* every run ("run_list") */
#define EMU_SHOW_PLAN	2	/* the plan and the XML */
/* One emulation with its progress (run k of n, load per resource now). */
json_t *emu_store_show_json(struct tbxd_state *st, const char *name,
			    unsigned int what, bool *found);
json_t *emu_store_jobs_json(struct tbxd_state *st);
/* Names, oldest first. */
json_t *emu_store_names(struct tbxd_state *st);

/* The emulator arguments of a run as stored, and back. */
json_t *emu_params_json(const struct emu_run *r);
int emu_params_parse(const char *text, struct emu_run *r);

#endif
