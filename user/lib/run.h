/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Runs (contention loads): RUN_NEW, RUN_SET, RUN_DEL, RUN_GET and its
 * dump, and RUN_NTF events. One struct describes a run both ways: what a
 * request sends and what a reply or event said. Its `has` masks say which
 * attributes are present (TBX_HAS(TBX_RUN_A_OWNER), TBX_HAS(TBX_CPU_A_LEVEL)
 * and so on): a request sends exactly those; a parsed reply sets them.
 */
#ifndef TBX_RUN_H
#define TBX_RUN_H

#include <stddef.h>
#include <stdint.h>
#include <net/if.h>
#include <linux/tbx.h>

#include "nl.h"

#define TBX_HAS(attr)	(1ULL << (attr))

/*
 * Profile segments one request can carry: the ABI's bound, chosen so the run
 * nest (28 bytes a segment) fits a netlink attribute's 16-bit length.
 */
#define TBX_RUN_PROFILE_SEGS_MAX TBX_PROFILE_SEGMENTS_MAX

struct tbx_run_seg {
	uint64_t offset_ns;
	uint64_t rate_bps;
};

struct tbx_run_cpu {
	uint64_t has;			/* TBX_HAS(TBX_CPU_A_*) */
	uint32_t level;			/* percent */
	uint8_t mode;			/* enum tbx_cpu_mode */
	char cpus[TBX_CPU_CPUS_MAX];
	uint32_t count;
	uint64_t cpu_time_ns;
};

struct tbx_run_mem {
	uint64_t has;			/* TBX_HAS(TBX_MEM_A_*) */
	uint64_t bytes;
	uint32_t retouch_us;
	uint64_t held;
	uint64_t passes;
};

struct tbx_run_net {
	uint64_t has;			/* TBX_HAS(TBX_NET_A_*) */
	uint32_t ifindex;
	char ifname[IF_NAMESIZE];
	uint8_t pattern;		/* enum tbx_net_pattern */
	uint64_t rate_pps;
	uint64_t rate_bps;
	uint32_t size;
	uint32_t dst;			/* network byte order */
	uint16_t port;
	uint32_t src_min, src_max;	/* network byte order */
	uint8_t dst_mac[6];
	/* TBX_NET_A_PROFILE: segs is malloc'ed, freed by tbx_run_clear() */
	uint64_t period_ns;
	uint32_t n_segs;
	struct tbx_run_seg *segs;
	uint64_t packets, bytes, drops;
	uint64_t tx_start;	/* realtime ns the first frame left */
};

struct tbx_run {
	uint64_t has;			/* TBX_HAS(TBX_RUN_A_*) */
	uint32_t id;
	uint8_t kind;			/* enum tbx_run_kind */
	uint8_t state;			/* enum tbx_run_state */
	uint8_t event;			/* enum tbx_run_event (RUN_NTF) */
	char owner[TBX_RUN_OWNER_MAX];
	uint64_t start;			/* realtime ns */
	uint64_t duration;		/* ns, 0 = until deleted */
	uint64_t created, started, ended;
	char message[TBX_RUN_MESSAGE_MAX];
	/* The kind's nest: TBX_HAS(TBX_RUN_A_CPU) etc. in has. */
	struct tbx_run_cpu cpu;
	struct tbx_run_mem mem;
	struct tbx_run_net net;
};

/*
 * The profile file at @path as @n's segments (and period), setting
 * TBX_NET_A_PROFILE. Adjacent rows of one rate make one segment: the
 * generator follows only the rate (latency is the qdisc's). Errors name
 * the file; nothing is kept on error.
 */
int tbx_run_net_profile(const char *path, struct tbx_run_net *n);

/* Frees what a run owns (profile segments) and zeroes it. */
void tbx_run_clear(struct tbx_run *r);

/* Creates a run from @req; *out (may be NULL) gets the kernel's reply. */
int tbx_run_new(struct tbx_nl *nl, const struct tbx_run *req, struct tbx_run *out);
/* Changes a run's level: @req has ID and the kind's nest (and FORCE). */
int tbx_run_set(struct tbx_nl *nl, const struct tbx_run *req, struct tbx_run *out);
/* Stops and removes run @id; *out gets its final figures. */
int tbx_run_del(struct tbx_nl *nl, uint32_t id, struct tbx_run *out);
int tbx_run_get(struct tbx_nl *nl, uint32_t id, struct tbx_run *out);
/*
 * Every run, in id order, into a malloc'ed array (free with
 * tbx_run_list_free()). @owner (NULL = any) and @kind (0 = any) filter in
 * the kernel. A list that changed underneath is read again, never merged.
 */
int tbx_run_list(struct tbx_nl *nl, const char *owner, uint8_t kind,
		 struct tbx_run **runs, size_t *n);
void tbx_run_list_free(struct tbx_run *runs, size_t n);

/*
 * Parses and validates one run message (a reply, a dump part or RUN_NTF):
 * every attribute's type and size, ID, KIND, STATE and the kind's nest
 * present, EVENT present in RUN_NTF. -EBADMSG naming the attribute's path.
 */
int tbx_run_parse(const struct nlmsghdr *nlh, struct tbx_run *out);
/*
 * Bytes the TBX_A_RUN nest of @r takes at most; and whether it can be sent
 * (0, or -E2BIG naming the limit: profile segments).
 */
size_t tbx_run_put_size(const struct tbx_run *r);
int tbx_run_put_check(const struct tbx_run *r);
/* Writes TBX_A_RUN with exactly @r's present attributes (for tests too). */
void tbx_run_put(struct nlmsghdr *nlh, const struct tbx_run *r);

/* Names, as the CLI prints them; NULL for values the ABI does not have. */
const char *tbx_run_kind_name(uint8_t kind);
const char *tbx_run_state_name(uint8_t state);
const char *tbx_run_event_name(uint8_t event);
const char *tbx_cpu_mode_name(uint8_t mode);
const char *tbx_net_pattern_name(uint8_t pattern);
/* The value of a name, 0 (UNSPEC) when unknown. */
uint8_t tbx_run_kind_of(const char *name);
uint8_t tbx_cpu_mode_of(const char *name);
uint8_t tbx_net_pattern_of(const char *name);

#endif
