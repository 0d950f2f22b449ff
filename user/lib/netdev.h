/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Network devices over rtnetlink, in the calling thread's namespace
 * (netns.h moves it): veth pairs whose ends land in two namespaces,
 * bridges, up/down, a master, removal. What `ip link` does, for tbxd.
 */
#ifndef TBX_NETDEV_H
#define TBX_NETDEV_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Creates the veth pair @a (in the namespace of fd @ns_a) and @b (in
 * @ns_b's); both start down. -EEXIST when a name is taken there.
 */
int tbx_netdev_veth_add(const char *a, int ns_a, const char *b, int ns_b);
int tbx_netdev_bridge_add(const char *name);
/* Sets @name up (or down) and, when @master is not NULL, its master. */
int tbx_netdev_set(const char *name, bool up, const char *master);
/* Deletes @name (a veth's peer goes with it); 0 when there is none. */
int tbx_netdev_del(const char *name);
bool tbx_netdev_exists(const char *name);
/*
 * Bytes received plus sent by @name, or by every device but lo when
 * @name is NULL (the kernel's 64-bit link counters). -ENODEV without it.
 */
int tbx_netdev_bytes(const char *name, uint64_t *bytes);

/* Adds (replacing its flags) or removes one address, "198.18.0.1/24" or
 * "fd00::1/64", on device @name of the current namespace.
 */
int tbx_netdev_addr(const char *name, const char *cidr, bool add);

#endif
