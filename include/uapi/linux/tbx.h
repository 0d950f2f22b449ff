/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * tbx: the ABI between tbx.ko and user space.
 *
 * Generic netlink family "tbx", version 1. Every attribute below has a
 * policy in kernel/genl.c; requests are validated strictly (unknown
 * attributes and trailing data are rejected). Commands that change state
 * need CAP_NET_ADMIN. Documentation/netlink.md describes each command.
 */
#ifndef _UAPI_LINUX_TBX_H
#define _UAPI_LINUX_TBX_H

#include <linux/types.h>

#define TBX_GENL_NAME		"tbx"
#define TBX_GENL_VERSION	1
#define TBX_GENL_MCGRP_EVENTS	"events"

enum tbx_cmd {
	TBX_CMD_UNSPEC,
	TBX_CMD_GET_INFO,	/* do: module version, features, live objects */
	TBX_CMD_GET_FEATURE,	/* dump: one message per feature */
	TBX_CMD_GET_CONFIG,	/* do: module-wide limits */
	TBX_CMD_SET_CONFIG,	/* do (admin): change limits, all or nothing */
	TBX_CMD_CONFIG_NTF,	/* event: the config after a change */
	TBX_CMD_RUN_NEW,	/* do (admin): create a run; replies with it */
	TBX_CMD_RUN_SET,	/* do (admin): change a run's level in place */
	TBX_CMD_RUN_DEL,	/* do (admin): stop and remove a run */
	TBX_CMD_RUN_GET,	/* do: one run by id; dump: every run */
	TBX_CMD_RUN_NTF,	/* event: a run was created, started, changed
				 * or finished (TBX_RUN_A_EVENT says which)
				 */
	TBX_CMD_LINK_GET,	/* do: a tbx qdisc's statistics by ifindex */

	__TBX_CMD_MAX,
	TBX_CMD_MAX = __TBX_CMD_MAX - 1
};

/* Top-level attributes. */
enum tbx_attr {
	TBX_A_UNSPEC,
	TBX_A_INFO,		/* nest: enum tbx_info_attr */
	TBX_A_FEATURE,		/* nest: enum tbx_feature_attr */
	TBX_A_CONFIG,		/* nest: enum tbx_config_attr */
	TBX_A_RUN,		/* nest: enum tbx_run_attr */
	TBX_A_LINK,		/* nest: enum tbx_link_attr */

	__TBX_A_MAX,
	TBX_A_MAX = __TBX_A_MAX - 1
};

enum tbx_info_attr {
	TBX_INFO_A_UNSPEC,
	TBX_INFO_A_VERSION,	/* string: module version */
	TBX_INFO_A_GENL_VERSION,/* u32: this family's version */
	TBX_INFO_A_FEATURES,	/* nest: TBX_INFO_A_FEATURE_NAME strings */
	TBX_INFO_A_OBJECTS,	/* nest: enum tbx_objects_attr */
	TBX_INFO_A_FEATURE_NAME,/* string, inside TBX_INFO_A_FEATURES */

	__TBX_INFO_A_MAX,
	TBX_INFO_A_MAX = __TBX_INFO_A_MAX - 1
};

/* Counts of live kernel objects, by kind. */
enum tbx_objects_attr {
	TBX_OBJECTS_A_UNSPEC,
	TBX_OBJECTS_A_RUNS,	/* u32: contention-load runs */
	TBX_OBJECTS_A_QDISCS,	/* u32: tbx qdisc instances */

	__TBX_OBJECTS_A_MAX,
	TBX_OBJECTS_A_MAX = __TBX_OBJECTS_A_MAX - 1
};

enum tbx_feature_attr {
	TBX_FEATURE_A_UNSPEC,
	TBX_FEATURE_A_NAME,	/* string: short name, e.g. "config" */
	TBX_FEATURE_A_DESC,	/* string: one line for humans */
	TBX_FEATURE_A_SINCE,	/* u32: family version that added it */

	__TBX_FEATURE_A_MAX,
	TBX_FEATURE_A_MAX = __TBX_FEATURE_A_MAX - 1
};

/*
 * Module-wide limits. SET_CONFIG applies every attribute it carries or,
 * when any one is bad, none of them.
 */
enum tbx_config_attr {
	TBX_CONFIG_A_UNSPEC,
	TBX_CONFIG_A_MAX_RUNS,		/* u32: live runs allowed at once */
	TBX_CONFIG_A_MEM_GUARD_PCT,	/* u32: % of available memory a mem
					 * run may take without a force flag
					 */
	TBX_CONFIG_A_EVENTS,		/* u8: 1 = send events, 0 = quiet */

	__TBX_CONFIG_A_MAX,
	TBX_CONFIG_A_MAX = __TBX_CONFIG_A_MAX - 1
};

#define TBX_CONFIG_MAX_RUNS_MIN		1
#define TBX_CONFIG_MAX_RUNS_MAX		65536
#define TBX_CONFIG_MAX_RUNS_DEFAULT	1024
#define TBX_CONFIG_MEM_GUARD_MIN	1
#define TBX_CONFIG_MEM_GUARD_MAX	100
#define TBX_CONFIG_MEM_GUARD_DEFAULT	90

/*
 * Runs: one contention load of one kind (cpu, mem, net) at one level over
 * one time span. Times are CLOCK_REALTIME nanoseconds since the epoch;
 * durations are nanoseconds. Attributes marked "out" are only reported.
 */
enum tbx_run_attr {
	TBX_RUN_A_UNSPEC,
	TBX_RUN_A_PAD,
	TBX_RUN_A_ID,		/* u32: > 0, assigned by the kernel */
	TBX_RUN_A_KIND,		/* u8: enum tbx_run_kind (required in NEW) */
	TBX_RUN_A_STATE,	/* u8, out: enum tbx_run_state */
	TBX_RUN_A_EVENT,	/* u8, out, RUN_NTF only: enum tbx_run_event */
	TBX_RUN_A_OWNER,	/* string: free tag, e.g. an emulation id */
	TBX_RUN_A_START,	/* u64: start instant; absent = now. An
				 * instant in the past is refused.
				 */
	TBX_RUN_A_DURATION,	/* u64: ns; absent or 0 = until deleted */
	TBX_RUN_A_FORCE,	/* flag: pass the memory guard */
	TBX_RUN_A_CREATED,	/* u64, out: when it was created */
	TBX_RUN_A_STARTED,	/* u64, out: when its load began */
	TBX_RUN_A_ENDED,	/* u64, out: when it finished */
	TBX_RUN_A_MESSAGE,	/* string, out: why it failed or stopped */
	TBX_RUN_A_CPU,		/* nest: enum tbx_cpu_attr */
	TBX_RUN_A_MEM,		/* nest: enum tbx_mem_attr */
	TBX_RUN_A_NET,		/* nest: enum tbx_net_attr */

	__TBX_RUN_A_MAX,
	TBX_RUN_A_MAX = __TBX_RUN_A_MAX - 1
};

#define TBX_RUN_OWNER_MAX	64	/* bytes, with the NUL */
#define TBX_RUN_MESSAGE_MAX	128

enum tbx_run_kind {
	TBX_RUN_KIND_UNSPEC,
	TBX_RUN_KIND_CPU,
	TBX_RUN_KIND_MEM,
	TBX_RUN_KIND_NET,

	__TBX_RUN_KIND_MAX,
	TBX_RUN_KIND_MAX = __TBX_RUN_KIND_MAX - 1
};

enum tbx_run_state {
	TBX_RUN_STATE_UNSPEC,
	TBX_RUN_STATE_PENDING,	/* waiting for its start instant */
	TBX_RUN_STATE_RUNNING,
	TBX_RUN_STATE_ENDED,	/* its duration ran out */
	TBX_RUN_STATE_STOPPED,	/* deleted, or the module was unloaded */
	TBX_RUN_STATE_FAILED,	/* the load could not go on; see MESSAGE */
};

enum tbx_run_event {
	TBX_RUN_EVENT_UNSPEC,
	TBX_RUN_EVENT_CREATED,
	TBX_RUN_EVENT_STARTED,
	TBX_RUN_EVENT_CHANGED,	/* its level was set */
	TBX_RUN_EVENT_FINISHED,	/* ended, stopped or failed: see STATE */
};

/* cpu: per-CPU kernel threads holding a utilisation. */
enum tbx_cpu_attr {
	TBX_CPU_A_UNSPEC,
	TBX_CPU_A_PAD,
	TBX_CPU_A_LEVEL,	/* u32: percent, 0..100 (NEW, SET) */
	TBX_CPU_A_MODE,		/* u8: enum tbx_cpu_mode; default ADD */
	TBX_CPU_A_CPUS,		/* string: CPU list ("0-1,3"); in replies
				 * the CPUs the run uses
				 */
	TBX_CPU_A_COUNT,	/* u32: the first N online CPUs; not with
				 * CPUS. Neither = every online CPU.
				 */
	TBX_CPU_A_CPU_TIME,	/* u64, out: ns of CPU the run consumed */

	__TBX_CPU_A_MAX,
	TBX_CPU_A_MAX = __TBX_CPU_A_MAX - 1
};

#define TBX_CPU_CPUS_MAX	256	/* bytes of CPU list, with the NUL */

enum tbx_cpu_mode {
	TBX_CPU_MODE_UNSPEC,
	TBX_CPU_MODE_ADD,	/* the run itself uses LEVEL % of each CPU */
	TBX_CPU_MODE_TOTAL,	/* each CPU's total use, everything counted,
				 * is held at LEVEL %
				 */
};

/* mem: bytes allocated, touched and held resident. */
enum tbx_mem_attr {
	TBX_MEM_A_UNSPEC,
	TBX_MEM_A_PAD,
	TBX_MEM_A_BYTES,	/* u64: bytes to hold (NEW, SET); > 0 */
	TBX_MEM_A_RETOUCH,	/* u32: us between re-touch passes over all
				 * the memory (COCOMA's memSleep); absent =
				 * touch once and hold
				 */
	TBX_MEM_A_HELD,		/* u64, out: bytes held now (at the end:
				 * the most held)
				 */
	TBX_MEM_A_PASSES,	/* u64, out: re-touch passes completed */

	__TBX_MEM_A_MAX,
	TBX_MEM_A_MAX = __TBX_MEM_A_MAX - 1
};

/* net: an in-kernel packet generator transmitting on one device. */
enum tbx_net_attr {
	TBX_NET_A_UNSPEC,
	TBX_NET_A_PAD,
	TBX_NET_A_IFINDEX,	/* u32: device, in the requester's netns */
	TBX_NET_A_IFNAME,	/* string: device by name; one of the two */
	TBX_NET_A_PATTERN,	/* u8: enum tbx_net_pattern (required) */
	TBX_NET_A_RATE_PPS,	/* u64: packets/s (NEW, SET) */
	TBX_NET_A_RATE_BPS,	/* u64: bits/s of frames (NEW, SET); exactly
				 * one of RATE_PPS, RATE_BPS, PROFILE
				 */
	TBX_NET_A_SIZE,		/* u32: frame bytes from the Ethernet
				 * header on, no FCS; default 60
				 */
	TBX_NET_A_DST,		/* be32: IPv4 destination (required) */
	TBX_NET_A_DST_PORT,	/* u16: default 9 (discard) */
	TBX_NET_A_SRC_MIN,	/* be32: first source address; default the
				 * device's own
				 */
	TBX_NET_A_SRC_MAX,	/* be32: last source address (spoofed range,
				 * used in turn); default SRC_MIN
				 */
	TBX_NET_A_DST_MAC,	/* binary, 6 bytes: default resolved by ARP */
	TBX_NET_A_PROFILE,	/* nest: enum tbx_profile_attr; the rate
				 * follows the profile, repeating
				 */
	TBX_NET_A_PACKETS,	/* u64, out: frames the device accepted */
	TBX_NET_A_BYTES,	/* u64, out: their bytes */
	TBX_NET_A_DROPS,	/* u64, out: frames the device or qdisc refused */
	TBX_NET_A_TX_START,	/* u64, out: realtime ns when sending began
				 * (after ARP): PACKETS / (ENDED - TX_START)
				 * is the rate achieved
				 */

	__TBX_NET_A_MAX,
	TBX_NET_A_MAX = __TBX_NET_A_MAX - 1
};

enum tbx_net_pattern {
	TBX_NET_PATTERN_UNSPEC,
	TBX_NET_PATTERN_UDP,		/* UDP flood */
	TBX_NET_PATTERN_TCP_SYN,	/* TCP SYN flood */
	TBX_NET_PATTERN_ICMP_ECHO,	/* ICMP echo requests */
	TBX_NET_PATTERN_FUZZ,		/* well-formed IPv4 with random
					 * protocol, ports, flags, payload
					 */

	__TBX_NET_PATTERN_MAX,
	TBX_NET_PATTERN_MAX = __TBX_NET_PATTERN_MAX - 1
};

#define TBX_NET_RATE_PPS_MAX	100000000ULL	/* 100 Mpps */
#define TBX_NET_RATE_BPS_MAX	400000000000ULL	/* 400 Gbit/s */
#define TBX_NET_SIZE_DEFAULT	60
#define TBX_NET_DST_PORT_DEFAULT 9

/*
 * A traffic profile (Documentation/user-guide.md): piecewise-constant
 * rates over a period that repeats. Segments are in increasing OFFSET
 * order, the first at 0; each lasts until the next one or the period end.
 */
enum tbx_profile_attr {
	TBX_PROFILE_A_UNSPEC,
	TBX_PROFILE_A_PAD,
	TBX_PROFILE_A_PERIOD,	/* u64: ns, > 0 */
	TBX_PROFILE_A_SEGMENT,	/* nest, repeated: enum tbx_segment_attr */

	__TBX_PROFILE_A_MAX,
	TBX_PROFILE_A_MAX = __TBX_PROFILE_A_MAX - 1
};

enum tbx_segment_attr {
	TBX_SEGMENT_A_UNSPEC,
	TBX_SEGMENT_A_PAD,
	TBX_SEGMENT_A_OFFSET,	/* u64: ns from the period's start */
	TBX_SEGMENT_A_RATE_BPS,	/* u64: bits/s during the segment */

	__TBX_SEGMENT_A_MAX,
	TBX_SEGMENT_A_MAX = __TBX_SEGMENT_A_MAX - 1
};

#define TBX_PROFILE_SEGMENTS_MAX 1024	/* fits one request and one reply */

/*
 * Link emulation: the qdisc "tbx" (Documentation/link.md). Configured over
 * rtnetlink in TCA_OPTIONS; every change carries the whole configuration
 * (an absent attribute takes its default) and applies atomically.
 *
 * A packet first waits in the link's buffer for the serializer (RATE plus
 * OVERHEAD bytes a packet), then travels for DELAY +/- JITTER; the profile,
 * when set, replaces RATE, DELAY and LOSS segment by segment.
 */
enum {
	TCA_TBX_UNSPEC,
	TCA_TBX_PAD,
	TCA_TBX_RATE,		/* u64: bit/s, >= 1; absent = no
				 * serialization limit
				 */
	TCA_TBX_OVERHEAD,	/* s32: bytes added to each packet's length
				 * for the rate (netem's packetoverhead)
				 */
	TCA_TBX_DELAY,		/* s64: ns, 0..TBX_LINK_DELAY_MAX */
	TCA_TBX_JITTER,		/* s64: ns, 0..TBX_LINK_DELAY_MAX */
	TCA_TBX_DIST,		/* u8: enum tbx_link_dist; default UNIFORM */
	TCA_TBX_LOSS,		/* u32: ppm of packets lost, 0..1000000 */
	TCA_TBX_DUPLICATE,	/* u32: ppm duplicated, 0..1000000 */
	TCA_TBX_CORRUPT,	/* u32: ppm with one bit flipped, 0..1000000 */
	TCA_TBX_LIMIT,		/* u32: packets held at most, 1..; default
				 * TBX_LINK_LIMIT_DEFAULT
				 */
	TCA_TBX_BUFFER,		/* u64: bytes the buffer before the
				 * serializer holds; absent = unbounded
				 */
	TCA_TBX_INTERVAL,	/* u64: ns of each statistics interval,
				 * TBX_LINK_INTERVAL_MIN..MAX; default 1 s
				 */
	TCA_TBX_PROFILE,	/* nest: enum tbx_link_profile_attr */
	/* netem's options (Documentation/link.md has netem's word for each).
	 * Probabilities and correlations are u32 ppm, 0..1000000; a
	 * correlation is netem's: the next uniform draw is
	 * (1 - c) * fresh + c * previous.
	 */
	TCA_TBX_DELAY_CORR,	/* u32 ppm: correlation of the jitter draws */
	TCA_TBX_LOSS_CORR,	/* u32 ppm */
	TCA_TBX_DUPLICATE_CORR,	/* u32 ppm */
	TCA_TBX_CORRUPT_CORR,	/* u32 ppm */
	TCA_TBX_LOSS_STATE,	/* nest: enum tbx_link_state_attr; replaces LOSS */
	TCA_TBX_LOSS_GEMODEL,	/* nest: enum tbx_link_ge_attr; replaces LOSS */
	TCA_TBX_ECN,		/* flag: a lost ECN-capable packet is marked
				 * CE and delivered instead
				 */
	TCA_TBX_REORDER,	/* u32 ppm: sent at once, ahead of the rest */
	TCA_TBX_REORDER_CORR,	/* u32 ppm */
	TCA_TBX_GAP,		/* u32: only every GAP-th packet may be
				 * reordered; absent or 0 = 1
				 */
	TCA_TBX_SLOT,		/* nest: enum tbx_link_slot_attr */
	TCA_TBX_CELL_SIZE,	/* u32: bytes; the rate counts whole cells */
	TCA_TBX_CELL_OVERHEAD,	/* s32: bytes added to each cell */
	TCA_TBX_DIST_TABLE,	/* binary, in: s16 values, 1..TBX_LINK_DIST_MAX_SIZE,
				 * of the jitter's inverse CDF (iproute2's .dist:
				 * 8192 = one jitter); replaces DIST
				 */
	TCA_TBX_DIST_NAME,	/* string: the table's name, shown back */
	TCA_TBX_DIST_SIZE,	/* u32, out: values in the table */
	TCA_TBX_SEED,		/* u64: seed of every random decision; absent =
				 * a random seed
				 */

	__TCA_TBX_MAX,
	TCA_TBX_MAX = __TCA_TBX_MAX - 1
};

enum tbx_link_dist {
	TBX_LINK_DIST_UNIFORM,		/* delay +/- jitter, flat */
	TBX_LINK_DIST_NORMAL,		/* jitter is the standard deviation */
	TBX_LINK_DIST_PARETO,		/* netem's: alpha 3, centred, scaled */
	TBX_LINK_DIST_PARETONORMAL,	/* netem's: (normal + 3 pareto) / 4 */
	TBX_LINK_DIST_TABLE,		/* out: TCA_TBX_DIST_TABLE's */

	__TBX_LINK_DIST_MAX,
	TBX_LINK_DIST_MAX = __TBX_LINK_DIST_MAX - 1
};

/*
 * A periodic schedule. Segments are in strictly increasing OFFSET order,
 * the first at 0, all below PERIOD; each holds until the next one or the
 * period's end. In dumps only PERIOD and COUNT are reported.
 */
enum tbx_link_profile_attr {
	TCA_TBX_PROF_UNSPEC,
	TCA_TBX_PROF_PAD,
	TCA_TBX_PROF_PERIOD,	/* u64: ns, 1 ms..TBX_LINK_PERIOD_MAX */
	TCA_TBX_PROF_SEGMENT,	/* nest, repeated: enum tbx_link_seg_attr */
	TCA_TBX_PROF_COUNT,	/* u32, out: segments */

	__TCA_TBX_PROF_MAX,
	TCA_TBX_PROF_MAX = __TCA_TBX_PROF_MAX - 1
};

enum tbx_link_seg_attr {
	TCA_TBX_SEG_UNSPEC,
	TCA_TBX_SEG_PAD,
	TCA_TBX_SEG_OFFSET,	/* u64: ns from the period's start */
	TCA_TBX_SEG_RATE,	/* u64: bit/s; 0 = the link carries nothing */
	TCA_TBX_SEG_DELAY,	/* s64: ns; absent = 0 */
	TCA_TBX_SEG_LOSS,	/* u32: ppm; absent = 0 */

	__TCA_TBX_SEG_MAX,
	TCA_TBX_SEG_MAX = __TCA_TBX_SEG_MAX - 1
};

/* netem's 4-state Markov loss model ("loss state"), u32 ppm each. */
enum tbx_link_state_attr {
	TCA_TBX_STATE_UNSPEC,
	TCA_TBX_STATE_P13,	/* gap: good -> burst loss */
	TCA_TBX_STATE_P31,	/* burst loss -> gap */
	TCA_TBX_STATE_P32,	/* burst loss -> burst, received */
	TCA_TBX_STATE_P23,	/* burst, received -> burst loss */
	TCA_TBX_STATE_P14,	/* gap: good -> isolated loss */

	__TCA_TBX_STATE_MAX,
	TCA_TBX_STATE_MAX = __TCA_TBX_STATE_MAX - 1
};

/* netem's Gilbert-Elliott loss model ("loss gemodel"), u32 ppm each. */
enum tbx_link_ge_attr {
	TCA_TBX_GE_UNSPEC,
	TCA_TBX_GE_P,		/* good -> bad */
	TCA_TBX_GE_R,		/* bad -> good */
	TCA_TBX_GE_LOSS_BAD,	/* loss in the bad state (netem's 1-h) */
	TCA_TBX_GE_LOSS_GOOD,	/* loss in the good state (netem's 1-k) */

	__TCA_TBX_GE_MAX,
	TCA_TBX_GE_MAX = __TCA_TBX_GE_MAX - 1
};

/*
 * netem's slots: packets due leave only in a slot; a slot lets PACKETS
 * packets or BYTES bytes go (absent or 0: no bound), then the next opens
 * MIN_DELAY..MAX_DELAY later (uniform), or DELAY +/- JITTER of the
 * distribution DIST (or DIST_TABLE) when JITTER is given.
 */
enum tbx_link_slot_attr {
	TCA_TBX_SLOT_UNSPEC,
	TCA_TBX_SLOT_PAD,
	TCA_TBX_SLOT_MIN_DELAY,	/* s64: ns, 0..TBX_LINK_DELAY_MAX */
	TCA_TBX_SLOT_MAX_DELAY,	/* s64: ns, MIN_DELAY..TBX_LINK_DELAY_MAX */
	TCA_TBX_SLOT_DELAY,	/* s64: ns, with JITTER */
	TCA_TBX_SLOT_JITTER,	/* s64: ns, > 0 */
	TCA_TBX_SLOT_DIST,	/* u8: enum tbx_link_dist, with JITTER */
	TCA_TBX_SLOT_DIST_TABLE,	/* binary, in: as TCA_TBX_DIST_TABLE */
	TCA_TBX_SLOT_DIST_NAME,	/* string */
	TCA_TBX_SLOT_DIST_SIZE,	/* u32, out */
	TCA_TBX_SLOT_PACKETS,	/* u32 */
	TCA_TBX_SLOT_BYTES,	/* u32 */

	__TCA_TBX_SLOT_MAX,
	TCA_TBX_SLOT_MAX = __TCA_TBX_SLOT_MAX - 1
};

#define TBX_LINK_RATE_MIN	1ULL			/* 1 bit/s */
#define TBX_LINK_DIST_MAX_SIZE	16384	/* values in a .dist table, as netem */
#define TBX_LINK_DIST_NAME_MAX	64	/* bytes of a table's name, with NUL */
#define TBX_LINK_DELAY_MAX	(60LL * 1000000000LL)	/* 60 s */
#define TBX_LINK_PPM		1000000U		/* 100 % */
#define TBX_LINK_LIMIT_DEFAULT	1000
#define TBX_LINK_LIMIT_MAX	1000000
#define TBX_LINK_BUFFER_MAX	(1ULL << 32)		/* 4 GiB */
#define TBX_LINK_INTERVAL_DEFAULT 1000000000ULL		/* 1 s */
#define TBX_LINK_INTERVAL_MIN	10000000ULL		/* 10 ms */
#define TBX_LINK_INTERVAL_MAX	3600000000000ULL	/* 1 h */
#define TBX_LINK_PERIOD_MIN	1000000ULL		/* 1 ms */
#define TBX_LINK_PERIOD_MAX	(366ULL * 24 * 3600 * 1000000000ULL)
#define TBX_LINK_SEGMENTS_MAX	1024
#define TBX_LINK_INTERVALS_KEPT	64	/* closed intervals remembered */

/*
 * TCA_XSTATS of a tbx qdisc. Interval figures are those of the last
 * closed interval; the last TBX_LINK_INTERVALS_KEPT are over generic
 * netlink (TBX_CMD_LINK_GET).
 */
struct tc_tbx_xstats {
	__u64 buffer_max;	/* bytes: the buffer's high-water mark */
	__u64 backlog_max;	/* bytes: the whole qdisc's high-water mark */
	__u64 drops_overlimit;	/* packets over LIMIT */
	__u64 drops_loss;	/* packets lost on purpose (LOSS, profile) */
	__u64 drops_buffer;	/* packets that did not fit in BUFFER */
	__u64 duplicated;
	__u64 corrupted;
	__u64 delivered_packets;
	__u64 delivered_bytes;
	__u64 interval;		/* ns */
	__u64 intervals_closed;
	__u64 last_bytes;	/* delivered in the last closed interval */
	__u64 last_packets;
	__u64 last_sojourn_mean;	/* ns, enqueue to dequeue */
	__u64 last_sojourn_max;		/* ns */
	__u64 ecn_marked;	/* lost packets marked CE instead (ecn) */
	__u64 reordered;	/* packets sent ahead (reorder) */
};

/* TBX_CMD_LINK_GET: request IFINDEX; the reply carries the rest. */
enum tbx_link_attr {
	TBX_LINK_A_UNSPEC,
	TBX_LINK_A_PAD,
	TBX_LINK_A_IFINDEX,	/* u32: device whose root qdisc is tbx */
	TBX_LINK_A_HANDLE,	/* u32, out: the qdisc's handle */
	TBX_LINK_A_BUFFER_MAX,	/* u64, out: bytes */
	TBX_LINK_A_BACKLOG_MAX,	/* u64, out: bytes */
	TBX_LINK_A_DROPS_OVERLIMIT,	/* u64, out */
	TBX_LINK_A_DROPS_LOSS,		/* u64, out */
	TBX_LINK_A_DROPS_BUFFER,	/* u64, out */
	TBX_LINK_A_DUPLICATED,	/* u64, out */
	TBX_LINK_A_CORRUPTED,	/* u64, out */
	TBX_LINK_A_DELIVERED_PACKETS,	/* u64, out */
	TBX_LINK_A_DELIVERED_BYTES,	/* u64, out */
	TBX_LINK_A_INTERVAL,	/* u64, out: ns */
	TBX_LINK_A_INTERVALS,	/* nest, out: TBX_LINK_A_ITEM of enum
				 * tbx_link_interval_attr, oldest first
				 */
	TBX_LINK_A_ITEM,
	TBX_LINK_A_ECN_MARKED,	/* u64, out */
	TBX_LINK_A_REORDERED,	/* u64, out */

	__TBX_LINK_A_MAX,
	TBX_LINK_A_MAX = __TBX_LINK_A_MAX - 1
};

enum tbx_link_interval_attr {
	TBX_IVL_A_UNSPEC,
	TBX_IVL_A_PAD,
	TBX_IVL_A_INDEX,	/* u64: 0 = the first since the qdisc began */
	TBX_IVL_A_START,	/* u64: ns since the qdisc began */
	TBX_IVL_A_BYTES,	/* u64: delivered */
	TBX_IVL_A_PACKETS,	/* u64: delivered */
	TBX_IVL_A_SOJOURN_MEAN,	/* u64: ns */
	TBX_IVL_A_SOJOURN_MAX,	/* u64: ns */

	__TBX_IVL_A_MAX,
	TBX_IVL_A_MAX = __TBX_IVL_A_MAX - 1
};

#endif /* _UAPI_LINUX_TBX_H */
