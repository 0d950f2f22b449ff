/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A topology file (Documentation/topology.md): containerlab's YAML shape,
 * `name:` and `topology: nodes: / links: - endpoints: ["h1:eth1", ...]`,
 * with tc's impairment words as keys of a link (both directions) or of
 * one endpoint (that endpoint's egress only), and cgroup limits per node.
 * Parsed with libyaml into plain structs; every refusal is "file:line: ...".
 */
#ifndef TBX_TOPOLOGY_H
#define TBX_TOPOLOGY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

/* Names travel in URLs, netns and cgroup paths: [A-Za-z0-9_.-], this long. */
#define TBX_TOPO_NAME_MAX	32
#define TBX_TOPO_IFNAME_MAX	15	/* IFNAMSIZ - 1 */
#define TBX_TOPO_NODES_MAX	1024
#define TBX_TOPO_LINKS_MAX	4096
#define TBX_TOPO_EXEC_MAX	64	/* commands per node */
#define TBX_TOPO_IO_MAX		8	/* devices with io limits per node */
#define TBX_TOPO_DEV_MAX	63	/* a device path's bytes */
#define TBX_TOPO_IO_WORDS_MAX	(TBX_TOPO_IO_MAX * (TBX_TOPO_DEV_MAX + 96))
#define TBX_TOPO_FILE_MAX	(1 << 20)
/* The bridge device inside a bridge node's namespace. */
#define TBX_TOPO_BRIDGE_DEV	"br0"

enum tbx_topo_kind {
	TBX_TOPO_LINUX,		/* a namespace host */
	TBX_TOPO_BRIDGE,	/* a namespace holding br0, its interfaces enslaved */
};

/* The impairment keys, in the order their tc words are written. */
enum tbx_topo_impair_key {
	TBX_IMPAIR_RATE,
	TBX_IMPAIR_DELAY,
	TBX_IMPAIR_JITTER,
	TBX_IMPAIR_DISTRIBUTION,
	TBX_IMPAIR_LOSS,
	TBX_IMPAIR_DUPLICATE,
	TBX_IMPAIR_CORRUPT,
	TBX_IMPAIR_N
};

/* One direction's impairment: each key's value as written, NULL if unset. */
struct tbx_topo_impair {
	char *value[TBX_IMPAIR_N];
};

/* io.max of one block device, docker's --device-{read,write}-{bps,iops}. */
enum tbx_topo_io_key {
	TBX_IO_RBPS,
	TBX_IO_WBPS,
	TBX_IO_RIOPS,
	TBX_IO_WIOPS,
	TBX_IO_N
};

struct tbx_topo_io {
	char path[TBX_TOPO_DEV_MAX + 1];	/* "/dev/vda" */
	uint64_t limit[TBX_IO_N];		/* 0: none */
};

struct tbx_topo_node {
	char name[TBX_TOPO_NAME_MAX + 1];
	enum tbx_topo_kind kind;
	unsigned int line;
	/* cgroup v2 limits; 0: none */
	uint64_t cpu_max_us;		/* cpu.max quota per 100 ms period */
	uint64_t memory_max;		/* bytes */
	struct tbx_topo_io io[TBX_TOPO_IO_MAX];
	unsigned int n_io;
	char *exec[TBX_TOPO_EXEC_MAX];
	unsigned int n_exec;
};

struct tbx_topo_endpoint {
	unsigned int node;		/* index in nodes[] */
	char ifname[TBX_TOPO_IFNAME_MAX + 1];
};

struct tbx_topo_link {
	unsigned int line;
	struct tbx_topo_endpoint ep[2];
	/* ep[i]'s egress: the link's keys, then ep[i]'s own over them */
	struct tbx_topo_impair egress[2];
};

struct tbx_topo {
	char name[TBX_TOPO_NAME_MAX + 1];
	struct tbx_topo_node *nodes;
	unsigned int n_nodes;
	struct tbx_topo_link *links;
	unsigned int n_links;
};

/* The YAML keys of the impairments ("rate", ...) and of the node kinds. */
const char *tbx_topo_impair_key_name(enum tbx_topo_impair_key k);
const char *tbx_topo_kind_name(enum tbx_topo_kind k);
/*
 * A node's io limits as words, one device after another, in the file's
 * order: "/dev/vda rbps=10485760 wiops=100;/dev/vdb wbps=1048576" ("" for
 * none); what tbxd records and compares, and io.max's keys.
 */
void tbx_topo_io_words(const struct tbx_topo_node *n, char *buf, size_t len);
/* io.max's key for @k ("rbps", ...). */
const char *tbx_topo_io_key_name(enum tbx_topo_io_key k);

/*
 * Parses @len bytes of @text read from @file (named in errors). Returns 0
 * and *out, or a negative errno with tbx_errmsg() "FILE:LINE: what".
 */
int tbx_topo_parse(const char *file, const char *text, size_t len,
		   struct tbx_topo **out);
void tbx_topo_free(struct tbx_topo *t);

/* A name as topologies and nodes take them; false with a message if not. */
bool tbx_topo_name_ok(const char *what, const char *name);
/* An interface name a node may hold; false with a message if not. */
bool tbx_topo_ifname_ok(const char *name);

/* -1 if @name is not a node of @t. */
int tbx_topo_node_index(const struct tbx_topo *t, const char *name);

/*
 * The tc words of one direction ("rate 20mbit delay 10ms loss 1%"), as
 * `tbx link set` and the qdisc take them; "" when nothing is impaired.
 */
void tbx_topo_impair_words(const struct tbx_topo_impair *im, char *buf,
			   size_t len);
/* The parsed topology as JSON, for show and the API. */
json_t *tbx_topo_json(const struct tbx_topo *t);

#endif
