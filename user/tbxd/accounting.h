/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Accounting (Documentation/accounting.md): every interval (ToMaTo's 60 s
 * unless --accounting-interval says otherwise) tbxd reads what each
 * topology node and link and the injected load used and records it with
 * usage_store.c; the records of nodes and links that are gone are
 * forgotten, as ToMaTo forgets an element's statistics with it.
 */
#ifndef TBXD_ACCOUNTING_H
#define TBXD_ACCOUNTING_H

#include <time.h>
#include <jansson.h>

#define TBXD_ACCOUNTING_INTERVAL_S	60

struct tbxd;
struct tbxd_accounting;

/* Starts the timer; with an interval of 0, cycles run only when asked. */
int tbxd_accounting_start(struct tbxd *d, struct tbxd_accounting **out);
void tbxd_accounting_stop(struct tbxd_accounting *a);
/* One cycle as of Unix time @now: every object read and recorded. */
int tbxd_accounting_cycle(struct tbxd_accounting *a, time_t now);
/* The objects the last cycle recorded and its wall time, ms. */
void tbxd_accounting_last(const struct tbxd_accounting *a, unsigned int *objects,
			  double *ms);
/* For /health: interval, cycles, objects and the last cycle's cost. */
json_t *tbxd_accounting_health(const struct tbxd_accounting *a);

#endif
