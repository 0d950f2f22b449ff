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
#include <bpf/libbpf.h>

#include "err.h"
#include "tap/session.h"
#include "tbx/flowtuple_parse.h"

#define NSEC_PER_SEC	1000000000ULL

struct epoch {
	uint32_t first_sec, first_usec;
	uint64_t base;		/* the first interval's start, aligned */
};

static bool read_epoch(struct tbx_tap *tap, struct epoch *e)
{
	struct tbx_tap_epoch ep;
	__u32 key = 0;

	if (bpf_map_lookup_elem(tap->epoch_fd, &key, &ep) || !ep.first_ns)
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

int tap_on_packet(void *ctx, void *data, size_t size)
{
	const struct tbx_tap_pkt *p = data;
	struct tbx_tap *tap = ctx;
	struct tbx_tap_pkt *copy;

	if (size < sizeof(*p) || size < sizeof(*p) + p->caplen)
		return 0;
	if (tap->npending == tap->cappending) {
		size_t cap = tap->cappending ? tap->cappending * 2 : 256;
		struct tbx_tap_pkt **v = realloc(tap->pending, cap * sizeof(*v));

		if (!v) {
			tap->rb_err = -ENOMEM;
			return -ENOMEM;
		}
		tap->pending = v;
		tap->cappending = cap;
	}
	copy = malloc(size);
	if (!copy) {
		tap->rb_err = -ENOMEM;
		return -ENOMEM;
	}
	memcpy(copy, data, size);
	tap->pending[tap->npending++] = copy;
	return 0;
}

/* Packets in interval order, each interval's in time order (the CPUs'
 * records interleave in the ring). */
static int cmp_pkt(const void *a, const void *b)
{
	const struct tbx_tap_pkt *x = *(const struct tbx_tap_pkt *const *)a;
	const struct tbx_tap_pkt *y = *(const struct tbx_tap_pkt *const *)b;

	if (x->interval != y->interval)
		return x->interval < y->interval ? -1 : 1;
	if (x->sec != y->sec)
		return x->sec < y->sec ? -1 : 1;
	return x->usec < y->usec ? -1 : x->usec > y->usec;
}

/*
 * One backscatter frame from the ring to the DoS plugin, as libpcap on the
 * device shows it to Corsaro: a tag the stack took out of the frame put
 * back, then parsed with the BPF's own parser.
 */
static int hand_packet(const struct tbx_tap_pkt *pk, const struct tbx_tap_sink *sink)
{
	const uint8_t *data = (const uint8_t *)(pk + 1);
	uint8_t frame[TBX_TAP_DOS_SNAP + 4];
	size_t len = pk->caplen;
	struct tbx_ft_parsed p;

	if (len > TBX_TAP_DOS_SNAP)
		return 0;
	if (pk->vlan_proto && len >= 12) {
		memcpy(frame, data, 12);
		memcpy(frame + 12, &pk->vlan_proto, 2);	/* its wire bytes */
		frame[14] = pk->vlan_tci >> 8;
		frame[15] = pk->vlan_tci;
		memcpy(frame + 16, data + 12, len - 12);
		len += 4;
	} else {
		memcpy(frame, data, len);
	}
	/* the kernel saw the whole frame; a header past the snap length
	 * could parse otherwise here: only backscatter goes on */
	if (tbx_ft_parse_frame(frame, frame + len, frame + len, TBX_FT_LINK_ETH, &p) !=
	    TBX_FT_L3_IPV4 || p.key.cls != TBX_FT_BACKSCATTER)
		return 0;
	return sink->packet(sink->arg, pk->sec, pk->usec, frame, len, &p);
}

static int hand_over(struct tbx_tap *tap, const struct epoch *e, uint32_t interval,
		     struct tbx_tap_table *tb, struct tbx_tap_pkt **pkts, size_t npkts,
		     const struct tbx_tap_sink *sink)
{
	const struct cors_tuple *t;
	size_t n;
	int err = 0;

	t = tbx_tap_table_tuples(tb, &n);
	if (interval < tap->done_below) {
		for (size_t i = 0; i < n; i++)
			tap->st.late += t[i].packet_cnt;
		tap->st.late += npkts;
	} else {
		/* interval 0 began with the first packet, told already */
		if (interval)
			err = sink->time(sink->arg, e->base + (uint64_t)interval *
					 tap->st.interval, 0);
		for (size_t i = 0; !err && i < npkts && sink->packet; i++)
			err = hand_packet(pkts[i], sink);
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
	struct tbx_tap_value *vals = NULL;
	uint64_t late = tap->st.late;
	size_t n = 0, np = 0, i = 0, j = 0;
	uint32_t limit;
	struct epoch e;
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
	if (tap->rb) {
		err = ring_buffer__consume(tap->rb);
		if (tap->rb_err)
			return tbx_err(tap->rb_err, "tap: keep packets: %s", strerror(-tap->rb_err));
		if (err < 0)
			return tbx_err(err, "tap: read packet ring: %s", strerror(-err));
		if (tap->npending)
			qsort(tap->pending, tap->npending, sizeof(*tap->pending), cmp_pkt);
		while (np < tap->npending && tap->pending[np]->interval < limit)
			np++;
	}
	err = collect(tap, limit, &keys, &n);
	if (err)
		return err;
	tb = tbx_tap_table_new();
	vals = tap->ncpus > 0 ? calloc(tap->ncpus, sizeof(*vals)) : NULL;
	if (!tb || !vals) {
		tbx_tap_table_free(tb);
		free(vals);
		free(keys);
		return tbx_err(ENOMEM, "tap: %s", strerror(ENOMEM));
	}
	/* Interval by interval, over the union of tuples and packets. */
	while (!err && (i < n || j < np)) {
		uint32_t iv = i < n ? keys[i].interval : UINT32_MAX;
		size_t j0 = j;

		if (j < np && tap->pending[j]->interval < iv)
			iv = tap->pending[j]->interval;
		for (; !err && i < n && keys[i].interval == iv; i++) {
			uint64_t packets = 0;

			/* One value per CPU (per-CPU hash): their sum. */
			if (bpf_map_lookup_and_delete_elem(tap->counts_fd, &keys[i], vals)) {
				if (errno == ENOENT)	/* listed twice by the walk */
					continue;
				err = tbx_err(errno, "tap: drain counts: %s", strerror(errno));
				break;
			}
			for (int c = 0; c < tap->ncpus; c++)
				packets += vals[c].packets;
			err = tbx_tap_table_add(tb, &keys[i].ft, packets);
		}
		while (j < np && tap->pending[j]->interval == iv)
			j++;
		if (!err)
			err = hand_over(tap, &e, iv, tb, tap->pending + j0, j - j0, sink);
	}
	/* What was handed over (or failed) goes. */
	for (size_t k = 0; k < j; k++)
		free(tap->pending[k]);
	memmove(tap->pending, tap->pending + j, (tap->npending - j) * sizeof(*tap->pending));
	tap->npending -= j;
	if (!err && limit > tap->done_below)
		tap->done_below = limit;
	if (!err && all) {
		struct tbx_tap_totals t;

		/* The last interval ends with the last packet. The writer
		 * drops an interval its last time opened (Corsaro does when
		 * the interval's first packet is the last one); which packet
		 * opened it is not known here, so its start comes first. */
		err = tap_read_totals(tap->stats_fd, tap->epoch_fd, tap->ncpus, &t);
		if (!err && t.last_ns) {
			uint64_t last = t.last_ns / NSEC_PER_SEC, len = tap->st.interval;

			if (last >= e.base + len)
				err = sink->time(sink->arg, e.base + (last - e.base) / len * len, 0);
			err = err ?: sink->time(sink->arg, last, t.last_ns % NSEC_PER_SEC / 1000);
		}
	}
	if (tap->st.late != late)
		tap_write_state(tap);
	tbx_tap_table_free(tb);
	free(vals);
	free(keys);
	return err;
}
