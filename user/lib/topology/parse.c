// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The topology file's reader (topology.h): libyaml loads the document,
 * this walks it key by key. Every key is known or refused, every value
 * checked, so a file that parses can be built without a second look.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "err.h"
#include "link_opts.h"
#include "topology.h"

struct walk {
	const char *file;
	yaml_document_t *doc;
	struct tbx_topo *t;
};

static int bad(struct walk *w, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int bad(struct walk *w, const yaml_node_t *n, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return tbx_err(EINVAL, "%s:%zu: %s", w->file,
		       n ? n->start_mark.line + 1 : 1, msg);
}

static yaml_node_t *node(struct walk *w, int id)
{
	return yaml_document_get_node(w->doc, id);
}

static const char *scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static const char *type_name(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE: return "a value";
	case YAML_SEQUENCE_NODE: return "a list";
	case YAML_MAPPING_NODE: return "a mapping";
	default: return "nothing";
	}
}

/* A scalar for @key, or an error naming what came instead. */
static int want_scalar(struct walk *w, const char *key, const yaml_node_t *v,
		       const char **out)
{
	if (v->type != YAML_SCALAR_NODE)
		return bad(w, v, "%s: wants a value, not %s", key, type_name(v));
	if (strlen((const char *)v->data.scalar.value) != v->data.scalar.length)
		return bad(w, v, "%s: holds a NUL byte", key);
	*out = (const char *)v->data.scalar.value;
	return 0;
}

/*
 * Walks a mapping's pairs, refusing a key written twice (libyaml keeps
 * both) and a key that is not a plain value.
 */
typedef int (*pair_fn)(struct walk *w, const char *key, yaml_node_t *k,
		       yaml_node_t *v, void *arg);

static int each_pair(struct walk *w, const char *what, yaml_node_t *map,
		     pair_fn fn, void *arg)
{
	yaml_node_pair_t *p, *q;

	if (map->type != YAML_MAPPING_NODE)
		return bad(w, map, "%s: wants a mapping, not %s", what, type_name(map));
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node(w, p->key), *v = node(w, p->value);
		const char *key = scalar(k);
		int err;

		if (!key)
			return bad(w, k, "%s: a key must be a plain name", what);
		for (q = map->data.mapping.pairs.start; q < p; q++)
			if (!strcmp(scalar(node(w, q->key)) ?: "", key))
				return bad(w, k, "%s: \"%s\" is given twice", what, key);
		err = fn(w, key, k, v, arg);
		if (err)
			return err;
	}
	return 0;
}

bool tbx_topo_name_ok(const char *what, const char *name)
{
	size_t n = strlen(name);

	if (!n || n > TBX_TOPO_NAME_MAX) {
		tbx_err(EINVAL, "%s \"%s\": 1 to %d characters", what, name, TBX_TOPO_NAME_MAX);
		return false;
	}
	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("_-.", *p)) {
			tbx_err(EINVAL, "%s \"%s\": only letters, digits, '_', '-' and '.'",
				what, name);
			return false;
		}
	if (name[0] == '.' || name[0] == '-') {
		tbx_err(EINVAL, "%s \"%s\": must not begin with '%c'", what, name, name[0]);
		return false;
	}
	return true;
}

bool tbx_topo_ifname_ok(const char *name)
{
	size_t n = strlen(name);

	if (!n || n > TBX_TOPO_IFNAME_MAX) {
		tbx_err(EINVAL, "interface \"%s\": 1 to %d characters", name, TBX_TOPO_IFNAME_MAX);
		return false;
	}
	/* The kernel's dev_valid_name(), and lo which every namespace has. */
	if (!strcmp(name, ".") || !strcmp(name, "..") || !strcmp(name, "lo")) {
		tbx_err(EINVAL, "interface \"%s\": a name the kernel reserves", name);
		return false;
	}
	for (const char *p = name; *p; p++)
		if (*p == '/' || *p == ':' || isspace((unsigned char)*p) || !isprint((unsigned char)*p)) {
			tbx_err(EINVAL, "interface \"%s\": no '/', ':', spaces or control characters",
				name);
			return false;
		}
	return true;
}

int tbx_topo_node_index(const struct tbx_topo *t, const char *name)
{
	for (unsigned int i = 0; i < t->n_nodes; i++)
		if (!strcmp(t->nodes[i].name, name))
			return i;
	return -1;
}

/* containerlab's `cpu: 1.5`: CPUs, as a quota per 100 ms period. */
static int parse_cpu(struct walk *w, yaml_node_t *v, const char *s, uint64_t *us)
{
	char *end;
	double cpus;

	errno = 0;
	cpus = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(cpus) || cpus <= 0 || cpus > 4096)
		return bad(w, v, "cpu: \"%s\" is not a number of CPUs (0.01 to 4096)", s);
	*us = llround(cpus * 100000);
	if (*us < 1000)
		return bad(w, v, "cpu: \"%s\" is below the kernel's 1 ms quota (0.01)", s);
	return 0;
}

/* A size in docker's units: binary multiples k, m, g, t, "b" or "ib" optional. */
static int parse_size(const char *s, uint64_t *bytes)
{
	static const char units[] = "kmgt";
	const char *u;
	double n, mult = 1;
	char *end;

	errno = 0;
	n = strtod(s, &end);
	if (errno || end == s || !isfinite(n) || n <= 0 || !isdigit((unsigned char)*s))
		return -EINVAL;
	u = end;
	if (*u && (end = strchr(units, tolower((unsigned char)*u)))) {
		mult = pow(1024, end - units + 1);
		u++;
		if (!strcmp(u, "iB") || !strcmp(u, "ib"))
			u += 2;
	}
	if (*u == 'b' || *u == 'B')
		u++;
	if (*u)
		return -EINVAL;
	n *= mult;
	if (n > 9.0e18)
		return -ERANGE;
	*bytes = (uint64_t)n;
	return 0;
}

/* containerlab's `memory: 1Gb` (docker's units: binary, "b" optional). */
static int parse_memory(struct walk *w, yaml_node_t *v, const char *s, uint64_t *bytes)
{
	int err = parse_size(s, bytes);

	if (err == -EINVAL)
		return bad(w, v, "memory: \"%s\" is not a size (512Mb, 1Gb, 1.5GiB, bytes)", s);
	if (err || *bytes < 4096)
		return bad(w, v, "memory: \"%s\" is out of range (4 KiB and more)", s);
	return 0;
}

/* docker's --device-read-bps and friends, by their YAML names. */
static const char *const io_keys[TBX_IO_N] = {
	[TBX_IO_RBPS]	= "device-read-bps",
	[TBX_IO_WBPS]	= "device-write-bps",
	[TBX_IO_RIOPS]	= "device-read-iops",
	[TBX_IO_WIOPS]	= "device-write-iops",
};

/* One "PATH:VALUE" of an io key: bytes/s in docker's units, or IO/s. */
static int io_limit(struct walk *w, struct tbx_topo_node *nd, enum tbx_topo_io_key k,
		    yaml_node_t *v)
{
	const char *s, *colon;
	struct tbx_topo_io *io = NULL;
	char path[TBX_TOPO_DEV_MAX + 1];
	uint64_t n;

	if (want_scalar(w, io_keys[k], v, &s))
		return -EINVAL;
	colon = strrchr(s, ':');
	if (!colon || strncmp(s, "/dev/", 5) || colon - s <= 5)
		return bad(w, v, "node %s: %s: \"%s\" is not DEVICE:%s (/dev/vda:%s)",
			   nd->name, io_keys[k], s, k <= TBX_IO_WBPS ? "RATE" : "IOPS",
			   k <= TBX_IO_WBPS ? "10mb" : "1000");
	if ((size_t)(colon - s) > TBX_TOPO_DEV_MAX)
		return bad(w, v, "node %s: %s: device path longer than %d bytes", nd->name,
			   io_keys[k], TBX_TOPO_DEV_MAX);
	snprintf(path, sizeof(path), "%.*s", (int)(colon - s), s);
	for (const char *p = path; *p; p++)
		if (isspace((unsigned char)*p) || iscntrl((unsigned char)*p) || *p == ';')
			return bad(w, v, "node %s: %s: device \"%s\": no spaces, ';' or control"
				   " characters", nd->name, io_keys[k], path);
	if (k <= TBX_IO_WBPS) {
		/* docker's units, as memory: takes them ("10mb" is 10 MiB/s). */
		if (parse_size(colon + 1, &n) || n == 0)
			return bad(w, v, "node %s: %s: \"%s\" is not a rate in bytes/s (10mb,"
				   " 1.5gb, bytes)", nd->name, io_keys[k], colon + 1);
	} else {
		char *end;

		errno = 0;
		n = strtoull(colon + 1, &end, 10);
		if (errno || end == colon + 1 || *end || !isdigit((unsigned char)colon[1]) ||
		    n == 0)
			return bad(w, v, "node %s: %s: \"%s\" is not a number of IO/s (1 and more)",
				   nd->name, io_keys[k], colon + 1);
	}
	for (unsigned int i = 0; i < nd->n_io; i++)
		if (!strcmp(nd->io[i].path, path))
			io = &nd->io[i];
	if (!io) {
		if (nd->n_io == TBX_TOPO_IO_MAX)
			return bad(w, v, "node %s: io limits on more than %d devices", nd->name,
				   TBX_TOPO_IO_MAX);
		io = &nd->io[nd->n_io++];
		snprintf(io->path, sizeof(io->path), "%s", path);
	}
	if (io->limit[k])
		return bad(w, v, "node %s: %s: %s is limited twice", nd->name, io_keys[k], path);
	io->limit[k] = n;
	return 0;
}

/* An io key's value: one "PATH:VALUE" or a list of them. */
static int node_io(struct walk *w, struct tbx_topo_node *nd, enum tbx_topo_io_key k,
		   yaml_node_t *v)
{
	yaml_node_item_t *i;
	int err;

	if (v->type != YAML_SEQUENCE_NODE)
		return io_limit(w, nd, k, v);
	for (i = v->data.sequence.items.start; i < v->data.sequence.items.top; i++)
		if ((err = io_limit(w, nd, k, node(w, *i))))
			return err;
	return 0;
}

static int node_exec(struct walk *w, struct tbx_topo_node *nd, yaml_node_t *v)
{
	yaml_node_item_t *i;

	if (v->type != YAML_SEQUENCE_NODE)
		return bad(w, v, "node %s: exec: wants a list of commands, not %s",
			   nd->name, type_name(v));
	for (i = v->data.sequence.items.start; i < v->data.sequence.items.top; i++) {
		yaml_node_t *c = node(w, *i);
		const char *cmd;

		if (want_scalar(w, "exec", c, &cmd))
			return -EINVAL;
		if (!*cmd)
			return bad(w, c, "node %s: exec: an empty command", nd->name);
		if (nd->n_exec == TBX_TOPO_EXEC_MAX)
			return bad(w, c, "node %s: exec: more than %d commands", nd->name,
				   TBX_TOPO_EXEC_MAX);
		nd->exec[nd->n_exec] = strdup(cmd);
		if (!nd->exec[nd->n_exec++])
			return tbx_err(ENOMEM, "out of memory");
	}
	return 0;
}

static int node_key(struct walk *w, const char *key, yaml_node_t *k,
		    yaml_node_t *v, void *arg)
{
	struct tbx_topo_node *nd = arg;
	const char *s;

	if (!strcmp(key, "exec"))
		return node_exec(w, nd, v);
	for (int i = 0; i < TBX_IO_N; i++)
		if (!strcmp(key, io_keys[i]))
			return node_io(w, nd, i, v);
	if (strcmp(key, "kind") && strcmp(key, "cpu") && strcmp(key, "memory") &&
	    strcmp(key, "image"))
		return bad(w, k, "node %s: unknown key \"%s\" (kind, cpu, memory,"
			   " device-read-bps, device-write-bps, device-read-iops,"
			   " device-write-iops, exec, image)", nd->name, key);
	if (want_scalar(w, key, v, &s))
		return -EINVAL;
	if (!strcmp(key, "kind")) {
		if (!strcmp(s, "linux"))
			nd->kind = TBX_TOPO_LINUX;
		else if (!strcmp(s, "bridge"))
			nd->kind = TBX_TOPO_BRIDGE;
		else
			return bad(w, v, "node %s: kind \"%s\" is not linux or bridge",
				   nd->name, s);
	} else if (!strcmp(key, "cpu")) {
		return parse_cpu(w, v, s, &nd->cpu_max_us);
	} else if (!strcmp(key, "memory")) {
		return parse_memory(w, v, s, &nd->memory_max);
	}
	/* image: containerlab's container image; a tbx node runs the host's. */
	return 0;
}

static int one_node(struct walk *w, const char *key, yaml_node_t *k,
		    yaml_node_t *v, void *arg)
{
	struct tbx_topo *t = w->t;
	struct tbx_topo_node *nd;

	if (!tbx_topo_name_ok("node", key))
		return bad(w, k, "%s", tbx_errmsg());
	if (t->n_nodes == TBX_TOPO_NODES_MAX)
		return bad(w, k, "more than %d nodes", TBX_TOPO_NODES_MAX);
	nd = &t->nodes[t->n_nodes++];
	snprintf(nd->name, sizeof(nd->name), "%s", key);
	nd->line = k->start_mark.line + 1;
	/* "h1:" alone (null) is a node with every default. */
	if (v->type == YAML_SCALAR_NODE && (!v->data.scalar.length || !strcmp(scalar(v), "~") ||
					    !strcmp(scalar(v), "null")))
		return 0;
	return each_pair(w, key, v, node_key, nd);
}

/* "h1:eth1" to an endpoint. */
static int endpoint(struct walk *w, yaml_node_t *v, struct tbx_topo_endpoint *ep)
{
	const char *s, *colon;
	char name[TBX_TOPO_NAME_MAX + 1];
	int idx;

	if (want_scalar(w, "endpoints", v, &s))
		return -EINVAL;
	colon = strchr(s, ':');
	if (!colon || colon == s || (size_t)(colon - s) > TBX_TOPO_NAME_MAX)
		return bad(w, v, "endpoint \"%s\" is not NODE:INTERFACE", s);
	snprintf(name, sizeof(name), "%.*s", (int)(colon - s), s);
	idx = tbx_topo_node_index(w->t, name);
	if (idx < 0)
		return bad(w, v, "endpoint \"%s\": no node \"%s\" in topology: nodes:", s, name);
	if (!tbx_topo_ifname_ok(colon + 1))
		return bad(w, v, "endpoint \"%s\": %s", s, tbx_errmsg());
	if (w->t->nodes[idx].kind == TBX_TOPO_BRIDGE && !strcmp(colon + 1, TBX_TOPO_BRIDGE_DEV))
		return bad(w, v, "endpoint \"%s\": %s is the bridge itself", s,
			   TBX_TOPO_BRIDGE_DEV);
	ep->node = idx;
	snprintf(ep->ifname, sizeof(ep->ifname), "%s", colon + 1);
	return 0;
}

static int impair_index(const char *key)
{
	for (int k = 0; k < TBX_IMPAIR_N; k++)
		if (!strcmp(key, tbx_topo_impair_key_name(k)))
			return k;
	return -1;
}

struct link_walk {
	struct tbx_topo_link *l;
	struct tbx_topo_impair both;
	bool got_endpoints;
	yaml_node_t *side_key[2], *side[2];
};

static int set_impair(struct walk *w, struct tbx_topo_impair *im, int k,
		      yaml_node_t *v)
{
	const char *s;

	if (want_scalar(w, tbx_topo_impair_key_name(k), v, &s))
		return -EINVAL;
	if (!*s)
		return bad(w, v, "%s: an empty value", tbx_topo_impair_key_name(k));
	/* One tc word each: "10ms 2ms" would smuggle in a second option. */
	if (strpbrk(s, " \t\r\n"))
		return bad(w, v, "%s: \"%s\" is more than one value (jitter has its own key)",
			   tbx_topo_impair_key_name(k), s);
	im->value[k] = strdup(s);
	return im->value[k] ? 0 : tbx_err(ENOMEM, "out of memory");
}

static int side_key(struct walk *w, const char *key, yaml_node_t *k,
		    yaml_node_t *v, void *arg)
{
	int i = impair_index(key);

	if (i < 0)
		return bad(w, k, "unknown impairment \"%s\" (rate, delay, jitter, distribution, loss, duplicate, corrupt)",
			   key);
	return set_impair(w, arg, i, v);
}

static int link_key(struct walk *w, const char *key, yaml_node_t *k,
		    yaml_node_t *v, void *arg)
{
	struct link_walk *lw = arg;
	int i = impair_index(key);

	if (i >= 0)
		return set_impair(w, &lw->both, i, v);
	if (!strcmp(key, "endpoints")) {
		if (v->type != YAML_SEQUENCE_NODE ||
		    v->data.sequence.items.top - v->data.sequence.items.start != 2)
			return bad(w, v, "endpoints: wants a list of two \"NODE:INTERFACE\"");
		for (int e = 0; e < 2; e++)
			if (endpoint(w, node(w, v->data.sequence.items.start[e]), &lw->l->ep[e]))
				return -EINVAL;
		lw->got_endpoints = true;
		return 0;
	}
	/* Anything else names an endpoint: its node or its NODE:INTERFACE. */
	for (int e = 0; e < 2; e++)
		if (!lw->side_key[e]) {
			lw->side_key[e] = k;
			lw->side[e] = v;
			return 0;
		}
	return bad(w, k, "unknown key \"%s\" (endpoints, an impairment, or an endpoint's name)",
		   key);
}

/* Which endpoint a per-side key names; -1 if none. */
static int side_of(struct walk *w, const struct tbx_topo_link *l, const char *key)
{
	int hit = -1;

	for (int e = 0; e < 2; e++) {
		const char *node_name = w->t->nodes[l->ep[e].node].name;
		char full[TBX_TOPO_NAME_MAX + TBX_TOPO_IFNAME_MAX + 2];

		snprintf(full, sizeof(full), "%s:%s", node_name, l->ep[e].ifname);
		if (!strcmp(key, full))
			return e;
		if (!strcmp(key, node_name))
			hit = hit < 0 ? e : -2;	/* both ends on one node: ambiguous */
	}
	return hit;
}

static int check_impair(struct walk *w, const struct tbx_topo_link *l, int e)
{
	char words[512], *argv[32];
	struct tbx_link_opts o;
	int argc = 0, err;

	tbx_topo_impair_words(&l->egress[e], words, sizeof(words));
	for (char *p = strtok(words, " "); p && argc < 32; p = strtok(NULL, " "))
		argv[argc++] = p;
	err = tbx_link_opts_parse(argc, argv, NULL, &o);
	if (err) {
		struct yaml_node_s at = { .start_mark.line = l->line - 1 };

		return bad(w, &at, "link %s:%s -> %s:%s: %s",
			   w->t->nodes[l->ep[e].node].name, l->ep[e].ifname,
			   w->t->nodes[l->ep[!e].node].name, l->ep[!e].ifname,
			   tbx_errmsg());
	}
	tbx_link_opts_free(&o);
	return 0;
}

static void impair_free(struct tbx_topo_impair *im)
{
	for (int k = 0; k < TBX_IMPAIR_N; k++) {
		free(im->value[k]);
		im->value[k] = NULL;
	}
}

static int one_link(struct walk *w, yaml_node_t *v)
{
	struct tbx_topo *t = w->t;
	struct link_walk lw = { 0 };
	int err;

	if (t->n_links == TBX_TOPO_LINKS_MAX)
		return bad(w, v, "more than %d links", TBX_TOPO_LINKS_MAX);
	lw.l = &t->links[t->n_links++];
	lw.l->line = v->start_mark.line + 1;
	err = each_pair(w, "link", v, link_key, &lw);
	if (!err && !lw.got_endpoints)
		err = bad(w, v, "link: endpoints: is missing");
	for (int e = 0; !err && e < 2; e++)
		for (int k = 0; k < TBX_IMPAIR_N; k++)
			if (lw.both.value[k] && !(lw.l->egress[e].value[k] = strdup(lw.both.value[k])))
				err = tbx_err(ENOMEM, "out of memory");
	for (int s = 0; !err && s < 2 && lw.side_key[s]; s++) {
		const char *key = scalar(lw.side_key[s]);
		int e = side_of(w, lw.l, key);
		struct tbx_topo_impair one = { 0 };

		if (e == -2)
			err = bad(w, lw.side_key[s], "\"%s\": both endpoints are on that node; write NODE:INTERFACE",
				  key);
		else if (e < 0)
			err = bad(w, lw.side_key[s], "unknown key \"%s\" (endpoints, an impairment, or an endpoint's name)",
				  key);
		else if (s == 1 && side_of(w, lw.l, scalar(lw.side_key[0])) == e)
			err = bad(w, lw.side_key[s], "\"%s\": that endpoint's impairments are given twice",
				  key);
		if (!err)
			err = each_pair(w, key, lw.side[s], side_key, &one);
		for (int k = 0; !err && k < TBX_IMPAIR_N; k++)
			if (one.value[k]) {
				free(lw.l->egress[e].value[k]);
				lw.l->egress[e].value[k] = one.value[k];
				one.value[k] = NULL;
			}
		impair_free(&one);
	}
	impair_free(&lw.both);
	for (int e = 0; !err && e < 2; e++)
		err = check_impair(w, lw.l, e);
	return err;
}

/* One interface name per node, across every link. */
static int check_endpoints(struct walk *w, yaml_node_t *links)
{
	const struct tbx_topo *t = w->t;

	for (unsigned int i = 0; i < t->n_links; i++)
		for (int e = 0; e < 2; e++) {
			const struct tbx_topo_endpoint *a = &t->links[i].ep[e];

			for (unsigned int j = 0; j <= i; j++)
				for (int f = 0; f < (j == i ? e : 2); f++) {
					const struct tbx_topo_endpoint *b = &t->links[j].ep[f];
					struct yaml_node_s at = { .start_mark.line = t->links[i].line - 1 };

					if (a->node == b->node && !strcmp(a->ifname, b->ifname))
						return bad(w, &at, "endpoint %s:%s is already used by the link at line %u",
							   t->nodes[a->node].name, a->ifname,
							   t->links[j].line);
				}
		}
	return 0;
}

static int topology_key(struct walk *w, const char *key, yaml_node_t *k,
			yaml_node_t *v, void *arg)
{
	yaml_node_t **parts = arg;

	if (!strcmp(key, "nodes"))
		parts[0] = v;
	else if (!strcmp(key, "links"))
		parts[1] = v;
	else
		return bad(w, k, "topology: unknown key \"%s\" (nodes, links)", key);
	return 0;
}

static int top_key(struct walk *w, const char *key, yaml_node_t *k,
		   yaml_node_t *v, void *arg)
{
	yaml_node_t **top = arg;
	const char *s;

	if (!strcmp(key, "name")) {
		if (want_scalar(w, key, v, &s))
			return -EINVAL;
		if (!tbx_topo_name_ok("name", s))
			return bad(w, v, "%s", tbx_errmsg());
		snprintf(w->t->name, sizeof(w->t->name), "%s", s);
		top[0] = v;
	} else if (!strcmp(key, "topology")) {
		top[1] = v;
	} else {
		return bad(w, k, "unknown key \"%s\" (name, topology)", key);
	}
	return 0;
}

static int walk_document(struct walk *w)
{
	yaml_node_t *root = yaml_document_get_root_node(w->doc);
	yaml_node_t *top[2] = { 0 }, *parts[2] = { 0 };
	yaml_node_item_t *i;
	int err;

	if (!root)
		return tbx_err(EINVAL, "%s:1: an empty file (wants name: and topology:)", w->file);
	err = each_pair(w, "the file", root, top_key, top);
	if (err)
		return err;
	if (!top[0])
		return bad(w, root, "name: is missing");
	if (!top[1])
		return bad(w, root, "topology: is missing");
	err = each_pair(w, "topology", top[1], topology_key, parts);
	if (err)
		return err;
	if (!parts[0])
		return bad(w, top[1], "topology: nodes: is missing");
	if (parts[0]->type != YAML_MAPPING_NODE)
		return bad(w, parts[0], "nodes: wants a mapping of node names, not %s",
			   type_name(parts[0]));
	w->t->nodes = calloc(TBX_TOPO_NODES_MAX, sizeof(*w->t->nodes));
	w->t->links = calloc(TBX_TOPO_LINKS_MAX, sizeof(*w->t->links));
	if (!w->t->nodes || !w->t->links)
		return tbx_err(ENOMEM, "out of memory");
	err = each_pair(w, "nodes", parts[0], one_node, NULL);
	if (err)
		return err;
	if (!w->t->n_nodes)
		return bad(w, parts[0], "nodes: names no node");
	if (!parts[1])
		return 0;
	if (parts[1]->type != YAML_SEQUENCE_NODE)
		return bad(w, parts[1], "links: wants a list, not %s", type_name(parts[1]));
	for (i = parts[1]->data.sequence.items.start; i < parts[1]->data.sequence.items.top; i++) {
		err = one_link(w, node(w, *i));
		if (err)
			return err;
	}
	return check_endpoints(w, parts[1]);
}

int tbx_topo_parse(const char *file, const char *text, size_t len,
		   struct tbx_topo **out)
{
	struct walk w = { .file = file };
	yaml_parser_t parser;
	yaml_document_t doc, more;
	int err = 0;

	if (len > TBX_TOPO_FILE_MAX)
		return tbx_err(EFBIG, "%s: larger than %d bytes", file, TBX_TOPO_FILE_MAX);
	if (memchr(text, '\0', len))
		return tbx_err(EINVAL, "%s: holds a NUL byte", file);
	w.t = calloc(1, sizeof(*w.t));
	if (!w.t || !yaml_parser_initialize(&parser)) {
		free(w.t);
		return tbx_err(ENOMEM, "out of memory");
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		err = tbx_err(EINVAL, "%s:%zu: %s%s%s", file, parser.problem_mark.line + 1,
			      parser.context ?: "", parser.context ? ": " : "",
			      parser.problem ?: "not YAML");
		goto out;
	}
	w.doc = &doc;
	err = walk_document(&w);
	if (!err) {
		/* A second document would be silently ignored: refuse it. */
		if (!yaml_parser_load(&parser, &more)) {
			err = tbx_err(EINVAL, "%s:%zu: %s", file, parser.problem_mark.line + 1,
				      parser.problem ?: "not YAML");
		} else {
			if (yaml_document_get_root_node(&more))
				err = tbx_err(EINVAL, "%s:%zu: a second YAML document; a topology file holds one",
					      file, yaml_document_get_root_node(&more)->start_mark.line + 1);
			yaml_document_delete(&more);
		}
	}
	yaml_document_delete(&doc);
out:
	yaml_parser_delete(&parser);
	if (err) {
		tbx_topo_free(w.t);
		return err;
	}
	*out = w.t;
	return 0;
}

void tbx_topo_free(struct tbx_topo *t)
{
	if (!t)
		return;
	for (unsigned int i = 0; i < t->n_nodes; i++)
		for (unsigned int c = 0; c < t->nodes[i].n_exec; c++)
			free(t->nodes[i].exec[c]);
	for (unsigned int i = 0; i < t->n_links; i++)
		for (int e = 0; e < 2; e++)
			impair_free(&t->links[i].egress[e]);
	free(t->nodes);
	free(t->links);
	free(t);
}
