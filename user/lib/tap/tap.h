/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The packet tap: flowtuple counts per interval, live from the kernel
 * (bpf/tap.bpf.c on tc clsact or XDP) or offline from a pcap file, both
 * through include/tbx/flowtuple_parse.h, handed to a sink (normally the
 * Corsaro writer, corsaro.h).
 *
 * A live session pins its maps and programs under
 *   <root>/tbx/tap/<ifname>:<pid>/{counts,stats,epoch,state,tc,xdp}
 * (<root>: $TBX_BPFFS_ROOT or /sys/fs/bpf) while the process that opened
 * it drains them; closing it detaches and unpins. Functions follow err.h.
 */
#ifndef TBX_LIB_TAP_H
#define TBX_LIB_TAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tbx/tap.h"
#include "corsaro/corsaro.h"

#define TBX_TAP_MAX_TUPLES	65536	/* default size of the counts map */
#define TBX_TAP_GRACE_SEC	1	/* an interval is drained this long after it ends */
#define TBX_TAP_TC_HANDLE	0x7470	/* "tp" */
#define TBX_TAP_TC_PRIO		1

/*
 * Where counts go. Calls come in time order: time() moves to a packet's
 * time (offline: every packet; live: the start of each interval that has
 * tuples, and the last packet's time at the end); packet() hands one
 * backscatter frame to the DoS plugin: its captured bytes from the first
 * (@caplen) and what the parser read in them (live: only with opts.dos,
 * in time order within its interval); tuples() gives the counts of one
 * closed interval, after time() moved into it. Each returns 0 or an err.h
 * error, which stops the tap.
 */
struct tbx_tap_sink {
	int (*time)(void *arg, uint32_t sec, uint32_t usec);
	int (*packet)(void *arg, uint32_t sec, uint32_t usec, const void *frame,
		      size_t caplen, const struct tbx_ft_parsed *p);
	int (*tuples)(void *arg, uint32_t interval, const struct cors_tuple *t, size_t n);
	void *arg;
};

/* A sink feeding cors_out_time/packet/tuples of @o. */
void tbx_tap_cors_sink(struct cors_out *o, struct tbx_tap_sink *sink);

struct tbx_tap_totals {
	uint64_t packets, ipv4, ipv6, other;
	uint64_t overflow;	/* lost to a full map: the trailer's dropped count */
	uint64_t late;		/* drained after their interval was written */
	uint64_t dos_lost;	/* backscatter packets the full ring lost */
	uint64_t first_ns, last_ns;	/* CLOCK_REALTIME (offline: packet times); 0: none */
};

struct tbx_tap_opts {
	const char *ifname;	/* NULL: load and pin only (tests, benchmarks) */
	uint32_t interval;	/* seconds, 1..65535 */
	bool align;		/* -a */
	bool xdp;		/* XDP (ingress only) instead of tc */
	bool ingress, egress;	/* tc hooks */
	uint32_t max_tuples;	/* counts map size; 0: TBX_TAP_MAX_TUPLES */
	bool dos;		/* pass backscatter packets up for the DoS plugin */
	uint32_t ring_mb;	/* their ring buffer (power of two); 0: 8 */
};

struct tbx_tap;

/* Loads the program, pins it and its maps, attaches it. */
int tbx_tap_open(const struct tbx_tap_opts *opts, struct tbx_tap **tap);
/*
 * Hands every closed interval (all intervals when @all) to @sink, oldest
 * first, removing its entries from the kernel. With @all, ends with the
 * last packet's time.
 */
int tbx_tap_drain(struct tbx_tap *tap, bool all, const struct tbx_tap_sink *sink);
/* Milliseconds until the next drain can find a closed interval. */
int tbx_tap_wait_ms(struct tbx_tap *tap);
int tbx_tap_read_totals(struct tbx_tap *tap, struct tbx_tap_totals *t);
/* Stops counting (removes the program from the device); idempotent. */
int tbx_tap_detach(struct tbx_tap *tap);
/* Detaches, unpins and frees. */
void tbx_tap_close(struct tbx_tap *tap);
/* For tests and benchmarks: the programs' fds and the pin directory. */
int tbx_tap_prog_fd(struct tbx_tap *tap, bool xdp);
const char *tbx_tap_pin_dir(struct tbx_tap *tap);

/* Live sessions, for `tbx tap stats`. */
struct tbx_tap_session {
	const char *name;	/* <ifname>:<pid> */
	struct tbx_tap_state state;
	struct tbx_tap_totals totals;
	uint32_t entries;	/* tuples in the counts map now */
	bool alive;		/* its process still runs */
};
int tbx_tap_foreach(int (*fn)(const struct tbx_tap_session *s, void *arg), void *arg);

/*
 * A live tap writing Corsaro files (live.c): `tbx tap DEV` and tbxd's
 * background sessions both run one. @out's interval, align and trace URI
 * come from @opts; @opts->dos from @out. Drain when wait_ms() says;
 * close() detaches (if detach() has not), waits out the grace for
 * programs still running, writes everything left and the trailers,
 * closes the files, unpins and frees, even when it fails.
 */
struct tbx_tap_live;
int tbx_tap_live_open(const struct cors_out_opts *out, const struct tbx_tap_opts *opts,
		      struct tbx_tap_live **l);
int tbx_tap_live_drain(struct tbx_tap_live *l);
int tbx_tap_live_wait_ms(struct tbx_tap_live *l);
int tbx_tap_live_totals(struct tbx_tap_live *l, struct tbx_tap_totals *t);
const char *tbx_tap_live_pin_dir(struct tbx_tap_live *l);
/* Stops counting; sessions detached together share one grace. */
int tbx_tap_live_detach(struct tbx_tap_live *l);
int tbx_tap_live_close(struct tbx_tap_live *l, struct tbx_tap_totals *t);

/*
 * Removes the session pinned at @pin_dir (program off its device, pins
 * gone) when its state says process @pid in this network namespace:
 * for tbxd, sessions a killed tbxd left. 0 when removed, -ENOENT when
 * nothing is pinned there, -ESRCH when the pins belong to another.
 */
int tbx_tap_reap(const char *pin_dir, uint32_t pid);

/* Offline: every packet of a pcap file (Ethernet or raw IP link types). */
struct tbx_tap_pcap_opts {
	uint32_t interval;
	bool align;
};
int tbx_tap_pcap(const char *path, const struct tbx_tap_pcap_opts *opts,
		 const struct tbx_tap_sink *sink, struct tbx_tap_totals *t);

/* Internal: per-interval aggregation (tuples for the same key add up). */
struct tbx_tap_table;
struct tbx_tap_table *tbx_tap_table_new(void);
int tbx_tap_table_add(struct tbx_tap_table *tb, const struct tbx_ft_key *k, uint64_t n);
/* The tuples collected, in no order; valid until the next add/reset. */
const struct cors_tuple *tbx_tap_table_tuples(struct tbx_tap_table *tb, size_t *n);
void tbx_tap_table_reset(struct tbx_tap_table *tb);
void tbx_tap_table_free(struct tbx_tap_table *tb);

#endif
