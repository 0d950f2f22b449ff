/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Usage records in tbxd's SQLite state, kept as ToMaTo's hostmanager
 * keeps them (Documentation/accounting.md): one object per element,
 * connection and the injected load; each reading becomes a "single"
 * record, then every level's last completed window that has no record yet
 * is rolled up from the level below, and the oldest records beyond each
 * level's count are dropped. One reading is one transaction, or a
 * savepoint in a cycle's (usage_store_cycle_begin()).
 */
#ifndef TBXD_USAGE_STORE_H
#define TBXD_USAGE_STORE_H

#include <stdbool.h>
#include <time.h>
#include <jansson.h>

#include "usage/usage.h"

struct tbxd_state;

enum usage_kind {
	USAGE_ELEMENT,		/* a topology node, "TOPO/NODE" */
	USAGE_CONNECTION,	/* a topology link, "TOPO/N:IF--M:IF" */
	USAGE_INJECTED,		/* what tbx runs added to the host, "runs" */
	USAGE_KINDS
};

#define USAGE_NAME_MAX	160

const char *usage_kind_name(enum usage_kind kind);	/* "element" ... */

/* One measurement: counters as read (deltas are taken here), gauges as is. */
struct usage_reading {
	double begin, end;		/* Unix time around the measurement */
	bool has_cputime, has_traffic;	/* false: the counter was not there */
	double cputime;			/* CPU seconds since some start */
	double traffic;			/* bytes since some start */
	double memory, diskspace;	/* bytes now */
};

/*
 * Records @r for the object (made on its first reading, accounting from
 * r->begin), then rolls up and trims as of Unix time @now.
 */
int usage_store_account(struct tbxd_state *st, enum usage_kind kind,
			const char *name, const struct usage_reading *r,
			time_t now);

/*
 * One transaction around a cycle's records (one commit for all objects,
 * not one each). _end commits, or rolls back everything when @err is
 * non-zero, and returns @err or the commit's failure.
 */
int usage_store_cycle_begin(struct tbxd_state *st);
int usage_store_cycle_end(struct tbxd_state *st, int err);

/* Every object of @kind's name, oldest first (a JSON array of strings). */
int usage_store_names(struct tbxd_state *st, enum usage_kind kind, json_t **names);
/* Forgets the object and its records (its element or connection is gone). */
int usage_store_forget(struct tbxd_state *st, enum usage_kind kind, const char *name);

/*
 * What ToMaTo's accounting calls answer. For one object: with @level >= 0
 * a list of its records of that level, else an object of lists keyed by
 * level name. Records whose end is before @after (when > 0) or whose
 * begin is after @before (when > 0) are left out. -ENOENT naming the
 * object when it has no records.
 */
int usage_store_info(struct tbxd_state *st, enum usage_kind kind, const char *name,
		     int level, double after, double before, json_t **out);
/* Every object: {"elements": {NAME: info}, "connections": ..., "injected": ...}. */
int usage_store_all(struct tbxd_state *st, int level, double after, double before,
		    json_t **out);

#endif
