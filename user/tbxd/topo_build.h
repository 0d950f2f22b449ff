/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A topology's kernel objects, one node or link at a time, each call
 * idempotent: it makes what is missing and adopts what exists, so the
 * same call builds, repairs after a crash and changes in place.
 *   node "h1" of topology "lab":  netns tbx-lab-h1 (lo up; a bridge node
 *                                 holds br0), cgroup tbx/lab/h1
 *   link h1:eth1 -- h2:eth1:      a veth pair, each end in its node's
 *                                 netns, up (enslaved to br0 on a bridge),
 *                                 the tbx qdisc on an end whose egress is
 *                                 impaired
 */
#ifndef TBXD_TOPO_BUILD_H
#define TBXD_TOPO_BUILD_H

#include <stdbool.h>
#include <stddef.h>

#include "topo_store.h"

void topo_netns_name(const char *topo, const char *node, char *buf, size_t len);
void topo_cgroup_path(const char *topo, const char *node, char *buf, size_t len);

int topo_node_up(const char *topo, const struct topo_node_rec *n);
/* Kills the node's processes, removes its cgroup and namespace. */
int topo_node_down(const char *topo, const char *node);
/*
 * Makes the link and sets each end's qdisc to its egress words; with
 * @was (the link as recorded), only an end whose words changed is set.
 */
int topo_link_up(const char *topo, const struct topo_link_rec *l,
		 const bool bridge[2], const struct topo_link_rec *was);
int topo_link_down(const char *topo, const struct topo_link_rec *l);
/* Sets (or, with no words, removes) the tbx qdisc of @dev, in the
 * current namespace; words as the tbx qdisc takes them ("rate 10mbit").
 */
int topo_set_egress(const char *dev, const char *words);
/* Removes tbx/TOPO from the cgroup tree once its nodes are gone. */
void topo_prune(const char *topo);

#endif
