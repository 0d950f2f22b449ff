/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Topologies in tbxd's SQLite state: the file each came from, and one row
 * per node and link, written ("creating") before the kernel object is
 * made and marked "up" after, so that a tbxd killed at any point leaves
 * rows naming everything it may have made (topology.c reconciles them).
 */
#ifndef TBXD_TOPO_STORE_H
#define TBXD_TOPO_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "topology/topology.h"

struct tbxd_state;

#define TOPO_WORDS_MAX	512	/* one direction's tc words */

struct topo_node_rec {
	char name[TBX_TOPO_NAME_MAX + 1];
	char kind[8];
	int64_t cpu_max_us, memory_max;
	char state[12];
	char io_max[TBX_TOPO_IO_WORDS_MAX];	/* tbx_topo_io_words() */
};

struct topo_link_rec {
	char node[2][TBX_TOPO_NAME_MAX + 1];
	char ifname[2][TBX_TOPO_IFNAME_MAX + 1];
	char egress[2][TOPO_WORDS_MAX];
	char state[12];
};

struct topo_rec {
	int64_t id;
	char name[TBX_TOPO_NAME_MAX + 1];
	char *file, *yaml;
	char state[12];
	char message[512];
	char created[32], updated[32];
	struct topo_node_rec *nodes;
	unsigned int n_nodes;
	struct topo_link_rec *links;
	unsigned int n_links;
};

/* Reads a topology and its rows; -ENOENT ("no topology NAME") if none. */
int topo_store_get(struct tbxd_state *st, const char *name, struct topo_rec **out);
void topo_rec_free(struct topo_rec *r);
/* Every topology's name, oldest first (a JSON array of strings). */
int topo_store_names(struct tbxd_state *st, json_t **names);

/* Records @name's file (new or replacing the last one) as "building". */
int topo_store_begin(struct tbxd_state *st, const char *name, const char *file,
		     const char *yaml, int64_t *id);
int topo_store_set_state(struct tbxd_state *st, int64_t id, const char *state,
			 const char *message);
int topo_store_node_put(struct tbxd_state *st, int64_t id,
			const struct topo_node_rec *n);
int topo_store_node_del(struct tbxd_state *st, int64_t id, const char *name);
int topo_store_link_put(struct tbxd_state *st, int64_t id,
			const struct topo_link_rec *l);
int topo_store_link_del(struct tbxd_state *st, int64_t id, const char *node,
			const char *ifname);
/*
 * Which other topology's node (not @id's) has the namespace name @netns
 * ("tbx-a-b-c" is topology a's node b-c and topology a-b's node c):
 * *found false when none, else "TOPOLOGY's node NODE" in @owner.
 */
int topo_store_netns_owner(struct tbxd_state *st, int64_t id, const char *netns,
			   bool *found, char *owner, size_t len);
/* Forgets the topology and its rows. */
int topo_store_delete(struct tbxd_state *st, int64_t id);

#endif
