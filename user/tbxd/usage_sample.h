/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What each accounted object used, read from the kernel (usage_store.h
 * turns the readings into records):
 *   a node        cputime cgroup cpu.stat usage_usec, memory
 *                 memory.current, traffic its devices' bytes in and out
 *   a link        traffic both directions (its first end's bytes in and out)
 *   injected      what tbx runs added: cpu runs' CPU time, mem runs'
 *                 memory held, net runs' bytes sent, and the io runs'
 *                 files as diskspace
 * Nodes and links hold nothing on disk yet: their diskspace is 0.
 */
#ifndef TBXD_USAGE_SAMPLE_H
#define TBXD_USAGE_SAMPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "topo_store.h"
#include "usage_store.h"

int usage_sample_node(const char *topo, const struct topo_node_rec *n,
		      struct usage_reading *r);
int usage_sample_link(const char *topo, const struct topo_link_rec *l,
		      struct usage_reading *r);
/* A hostmanager object: a netns as a node; an interface by the bytes on
 * its outer end; a connection by those of its first interface's end.
 */
struct hm_obj;
int usage_sample_hm(const struct hm_obj *o, struct usage_reading *r);

/*
 * The injected load's counters, kept across readings: a run's CPU time
 * and bytes count from when tbxd first saw it, so runs ending and new
 * ones starting never make the totals go back. A run leaves the kernel's
 * list the moment it finishes; its last figures come in its "finished"
 * event (usage_injected_finished()), so it stays in @runs, marked gone,
 * until that event or a few readings have passed.
 */
struct usage_injected {
	bool seen_once;
	struct usage_run_seen {
		uint32_t id;
		uint64_t cpu_ns, bytes;
		unsigned int gone;	/* readings it was missing from */
	} *runs;
	size_t n_runs;
	double cputime, traffic;	/* totals since tbxd started */
};

struct tbx_run;

/* True when tbx.ko is loaded. Accounting never asks for the family
 * without it: the request would load the module (its genl alias).
 */
bool usage_module_loaded(void);
/* @io_dir: where io runs write their files (NULL: none). Without the
 * module, the runs' part reads as nothing.
 */
int usage_sample_injected(struct usage_injected *inj, const char *io_dir,
			  struct usage_reading *r);
/* A run's "finished" event: what it did since last seen is added. */
void usage_injected_finished(struct usage_injected *inj, const struct tbx_run *run);
void usage_injected_free(struct usage_injected *inj);

#endif
