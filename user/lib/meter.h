/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The meter: eBPF counters on a device's tc clsact hooks (bpf/meter.bpf.c).
 *
 * Everything lives in the BPF file system, so the counters outlive the
 * process that attached them and any process can read or detach them:
 *
 *   <root>/tbx/meter/<ifname>/{counters,state,ingress,egress}
 *
 * <root> is $TBX_BPFFS_ROOT when set (tests use a private directory),
 * else /sys/fs/bpf. Device names are looked up in the caller's network
 * namespace. Functions follow err.h: 0 or a negative errno + tbx_errmsg().
 */
#ifndef TBX_LIB_METER_H
#define TBX_LIB_METER_H

#include <stddef.h>

#include "tbx/meter.h"

#define TBX_BPFFS_DEFAULT	"/sys/fs/bpf"
#define TBX_BPFFS_ENV		"TBX_BPFFS_ROOT"

/*
 * The meter's two tc filters (ingress and egress) use this handle and
 * priority; detach removes exactly these, and only when they still run
 * the programs attach put there. Priority 1 so the meter sees a packet
 * before any filter that may drop or redirect it.
 */
#define TBX_METER_TC_HANDLE	0x7462	/* "tb" */
#define TBX_METER_TC_PRIO	1

struct tbx_meter_stats {
	struct tbx_meter_count c[TBX_METER_DIR_MAX][TBX_METER_CLASS_MAX];
};

/* Loads the programs, attaches them to ifname's clsact hooks (creating
 * the qdisc when missing) and pins everything. -EEXIST when metered. */
int tbx_meter_attach(const char *ifname);
/* Removes the filters, the clsact qdisc when attach created it and
 * nothing else uses it, and the pins. -ENOENT when not metered. */
int tbx_meter_detach(const char *ifname);
/* Sums the per-CPU counters of ifname's meter into st. */
int tbx_meter_read(const char *ifname, struct tbx_meter_stats *st);
/* Calls fn for every metered device in name order; stops at and returns
 * fn's first nonzero value. */
int tbx_meter_foreach(int (*fn)(const char *ifname, void *arg), void *arg);

/* The pin directory of ifname's meter. */
int tbx_meter_pin_dir(char *buf, size_t len, const char *ifname);

const char *tbx_meter_dir_name(enum tbx_meter_dir dir);
const char *tbx_meter_class_name(enum tbx_meter_class cls);

#endif
