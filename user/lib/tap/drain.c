// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Draining the kernel's counts: every interval whose end lies more than
 * TBX_TAP_GRACE_SEC in the past is closed (bpf/tap.bpf.c says why that is
 * enough); its entries are read and removed with one lookup-and-delete
 * each, so a count is taken exactly once. Entries of an interval already
 * handed over are counted as late (never silently dropped).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/bpf.h>

#include "err.h"
#include "tap/session.h"

#define NSEC_PER_SEC	1000000000ULL

struct epoch {
	uint32_t first_sec, first_usec;
	uint64_t base;		/* the first interval's start, aligned */
};

static bool read_epoch(struct tbx_tap *tap, struct epoch *e)
{
	struct tbx_tap_epoch ep;
	__u32 key = 0;

	if (bpf_map_lookup_elem(tap->epoch_fd, &key, &ep))
		return false;	/* no packet yet */
	e->first_sec = ep.first_ns / NSEC_PER_SEC;
	e->first_usec = ep.first_ns % NSEC_PER_SEC / 1000;
	e->base = e->first_sec;
	if (tap->st.align)
		e->base -= e->base % tap->st.interval;
	return true;
}

static uint64_t now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec;
}

/* Intervals below the result are closed. */
static uint32_t closed_below(struct tbx_tap *tap, const struct epoch *e)
{
	uint64_t now = now_sec();

	if (now < e->base + TBX_TAP_GRACE_SEC)
		return 0;
	return (now - TBX_TAP_GRACE_SEC - e->base) / tap->st.interval;
}

int tbx_tap_wait_ms(struct tbx_tap *tap)
{
	struct timespec ts;
	struct epoch e;
	int64_t ms;

	if (!read_epoch(tap, &e))
		return 1000;
	clock_gettime(CLOCK_REALTIME, &ts);
	ms = ((int64_t)(e.base + ((uint64_t)tap->done_below + 1) * tap->st.interval +
			TBX_TAP_GRACE_SEC) - ts.tv_sec) * 1000 - ts.tv_nsec / 1000000;
	return ms < 10 ? 10 : ms > 1000 ? 1000 : ms;
}

static int cmp_interval(const void *a, const void *b)
{
	const struct tbx_tap_key *x = a, *y = b;

	return x->interval < y->interval ? -1 : x->interval > y->interval;
}

/* The keys of closed intervals, sorted by interval. */
static int collect(struct tbx_tap *tap, uint32_t limit, struct tbx_tap_key **keys, size_t *n)
{
	struct tbx_tap_key k, *prev = NULL, *v = NULL;
	size_t cap = 0;

	*n = 0;
	while (!bpf_map_get_next_key(tap->counts_fd, prev, &k)) {
		if (k.interval < limit) {
			if (*n == cap) {
				struct tbx_tap_key *nv;

				cap = cap ? cap * 2 : 1024;
				nv = realloc(v, cap * sizeof(*v));
				if (!nv) {
					free(v);
					return tbx_err(ENOMEM, "tap: %s", strerror(ENOMEM));
				}
				v = nv;
			}
			v[(*n)++] = k;
		}
		prev = &k;
	}
	if (errno != ENOENT) {
		free(v);
		return tbx_err(errno, "tap: walk counts: %s", strerror(errno));
	}
	if (*n)
		qsort(v, *n, sizeof(*v), cmp_interval);
	*keys = v;
	return 0;
}

static int hand_over(struct tbx_tap *tap, const struct epoch *e, uint32_t interval,
		     struct tbx_tap_table *tb, const struct tbx_tap_sink *sink)
{
	const struct cors_tuple *t;
	size_t n;
	int err = 0;

	t = tbx_tap_table_tuples(tb, &n);
	if (interval < tap->done_below) {
		for (size_t i = 0; i < n; i++)
			tap->st.late += t[i].packet_cnt;
	} else {
		/* interval 0 began with the first packet, told already */
		if (interval)
			err = sink->time(sink->arg, e->base + (uint64_t)interval *
					 tap->st.interval, 0);
		if (!err)
			err = sink->tuples(sink->arg, interval, t, n);
	}
	tbx_tap_table_reset(tb);
	return err;
}

int tbx_tap_drain(struct tbx_tap *tap, bool all, const struct tbx_tap_sink *sink)
{
	struct tbx_tap_table *tb = NULL;
	struct tbx_tap_key *keys = NULL;
	uint64_t late = tap->st.late;
	uint32_t limit;
	struct epoch e;
	size_t n = 0;
	int err;

	if (!read_epoch(tap, &e))
		return 0;
	if (!tap->handed_any) {
		err = sink->time(sink->arg, e.first_sec, e.first_usec);
		if (err)
			return err;
		tap->handed_any = true;
	}
	limit = all ? UINT32_MAX : closed_below(tap, &e);
	err = collect(tap, limit, &keys, &n);
	if (err)
		return err;
	tb = tbx_tap_table_new();
	if (!tb) {
		free(keys);
		return tbx_err(ENOMEM, "tap: %s", strerror(ENOMEM));
	}
	for (size_t i = 0; !err && i < n; i++) {
		struct tbx_tap_value v;

		if (i && keys[i].interval != keys[i - 1].interval)
			err = hand_over(tap, &e, keys[i - 1].interval, tb, sink);
		if (err)
			break;
		if (bpf_map_lookup_and_delete_elem(tap->counts_fd, &keys[i], &v)) {
			if (errno == ENOENT)	/* listed twice by the walk */
				continue;
			err = tbx_err(errno, "tap: drain counts: %s", strerror(errno));
			break;
		}
		err = tbx_tap_table_add(tb, &keys[i].ft, v.packets);
	}
	if (!err && n)
		err = hand_over(tap, &e, keys[n - 1].interval, tb, sink);
	if (!err && limit > tap->done_below)
		tap->done_below = limit;
	if (!err && all) {
		struct tbx_tap_totals t;

		/* The last interval ends with the last packet. */
		err = tap_read_totals(tap->stats_fd, tap->epoch_fd, tap->ncpus, &t);
		if (!err && t.last_ns)
			err = sink->time(sink->arg, t.last_ns / NSEC_PER_SEC,
					 t.last_ns % NSEC_PER_SEC / 1000);
	}
	if (tap->st.late != late)
		tap_write_state(tap);
	tbx_tap_table_free(tb);
	free(keys);
	return err;
}
