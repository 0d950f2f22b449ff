/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cgroup v2 groups under the cgroup2 root (/sys/fs/cgroup, systemd's hybrid
 * /sys/fs/cgroup/unified, or $TBX_CGROUP_ROOT): made with
 * the cpu, memory, io and pids controllers their parents offer, limits
 * written to their files, processes killed and the group removed.
 * Paths are relative to the root ("tbx/lab/h1").
 */
#ifndef TBX_CGROUP_H
#define TBX_CGROUP_H

#include <stdbool.h>
#include <stddef.h>

/* The mounted cgroup2 root. */
const char *tbx_cgroup_root(void);

/* Creates @rel and its parents; 0 when it exists already. */
int tbx_cgroup_add(const char *rel);
bool tbx_cgroup_exists(const char *rel);
/* Writes @value to @rel's @file ("cpu.max", "memory.max"). */
int tbx_cgroup_write(const char *rel, const char *file, const char *value);
/* @rel's @file's text (at most @len - 1 bytes, NUL-terminated). */
int tbx_cgroup_read(const char *rel, const char *file, char *buf, size_t len);
/*
 * A number @rel's @file holds: the file's only value ("memory.current"),
 * or with @key the value on its "KEY VALUE" line ("cpu.stat", "usage_usec").
 */
int tbx_cgroup_read_u64(const char *rel, const char *file, const char *key,
			unsigned long long *value);
/* Moves process @pid (0: the caller) into @rel. */
int tbx_cgroup_enter(const char *rel, int pid);
/* Kills every process in @rel and below, waits for them, removes @rel. */
int tbx_cgroup_del(const char *rel);
/* Removes @rel if it holds no process and no child; 0 if it is busy. */
int tbx_cgroup_prune(const char *rel);

#endif
