/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Named network namespaces, as `ip netns` keeps them: a bind mount of the
 * namespace on /run/netns/NAME, so `ip netns exec NAME`, nsenter and
 * `ip link set ... netns NAME` all find what tbx made. Entering one
 * moves only the calling thread.
 */
#ifndef TBX_NETNS_H
#define TBX_NETNS_H

#include <stdbool.h>

#define TBX_NETNS_DIR	"/run/netns"

/* Creates NAME; 0 also when it exists already (it is adopted). */
int tbx_netns_add(const char *name);
/* Unmounts and removes NAME; 0 also when it is gone. The namespace
 * itself ends when nothing else holds it (a process, an open fd).
 */
int tbx_netns_del(const char *name);
bool tbx_netns_exists(const char *name);
/* An O_RDONLY fd of NAME's namespace. */
int tbx_netns_open(const char *name, int *fd);

/*
 * Moves the calling thread into NAME's namespace; *back is an fd of the
 * one it left, for tbx_netns_leave(), which also closes it.
 */
int tbx_netns_enter(const char *name, int *back);
int tbx_netns_leave(int back);
/* Runs @fn(@arg) inside NAME, the thread back in its own namespace after. */
int tbx_netns_run(const char *name, int (*fn)(void *arg), void *arg);

#endif
