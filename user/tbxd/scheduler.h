/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The emulation scheduler: starts each stored run at its due time (one
 * timerfd on tbxd's loop, armed for the run due next) as a kernel run
 * (cpu, mem, net; owner tag "emu:<name>:<index>") or an io run of tbxd's
 * own, and records what happened from the module's run events.
 *
 * After a restart (even after kill -9) it reads the rows back:
 *  - starting/running kernel runs are matched with the kernel's runs by
 *    owner tag: found ones are running (with the kernel's id); missing
 *    ones are executed when their window is over (the end was not seen),
 *    failed when it is not (the kernel lost them);
 *  - a starting run the kernel never got, and an io run that tbxd's death
 *    interrupted, go back to pending;
 *  - a pending run whose due time passed starts now and runs until its
 *    planned end (its message says how late); one whose whole window
 *    passed is failed, "missed". No run is started twice.
 */
#ifndef TBXD_SCHEDULER_H
#define TBXD_SCHEDULER_H

#include <stdint.h>
#include <jansson.h>

#include "emulation/emulation.h"

struct tbxd;
struct tbxd_sched;

int tbxd_sched_start(struct tbxd *d, struct tbxd_sched **out);
/* Leaves kernel runs running (the kernel times them); stops io runs. */
void tbxd_sched_stop(struct tbxd_sched *s);

/* Stores @p with its runs due from @start_ns (realtime) and schedules it. */
int tbxd_sched_add(struct tbxd_sched *s, const struct emu_plan *p,
		   const char *xml, int64_t start_ns);
/* Stops the emulation's kernel and io runs, forgets it, removes its logs. */
int tbxd_sched_delete(struct tbxd_sched *s, const char *name);
/* The io directory, and whether the module answers (for /health-like replies). */
json_t *tbxd_sched_info(struct tbxd_sched *s);

#endif
