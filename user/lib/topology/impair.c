// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A link direction's impairment as tc's words, and a parsed topology as
 * JSON (topology.h).
 */
#include <stdio.h>
#include <string.h>

#include "topology.h"

/* YAML key, and the tbx qdisc's word for it (Documentation/link.md). */
static const struct {
	const char *key, *word;
} impair[TBX_IMPAIR_N] = {
	[TBX_IMPAIR_RATE] = { "rate", "rate" },
	[TBX_IMPAIR_DELAY] = { "delay", "delay" },
	[TBX_IMPAIR_JITTER] = { "jitter", "jitter" },
	[TBX_IMPAIR_DISTRIBUTION] = { "distribution", "distribution" },
	[TBX_IMPAIR_LOSS] = { "loss", "loss" },
	[TBX_IMPAIR_DUPLICATE] = { "duplicate", "duplicate" },
	[TBX_IMPAIR_CORRUPT] = { "corrupt", "corrupt" },
};

const char *tbx_topo_impair_key_name(enum tbx_topo_impair_key k)
{
	return k < TBX_IMPAIR_N ? impair[k].key : "?";
}

const char *tbx_topo_kind_name(enum tbx_topo_kind k)
{
	return k == TBX_TOPO_BRIDGE ? "bridge" : "linux";
}

void tbx_topo_impair_words(const struct tbx_topo_impair *im, char *buf,
			   size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int k = 0; k < TBX_IMPAIR_N; k++)
		if (im->value[k])
			n += snprintf(buf + n, n < len ? len - n : 0, "%s%s %s",
				      n ? " " : "", impair[k].word, im->value[k]);
	if (n >= len)	/* a value longer than any word: never a valid line */
		snprintf(buf, len, "too-long");
}

static json_t *impair_json(const struct tbx_topo_impair *im)
{
	json_t *o = json_object();

	for (int k = 0; k < TBX_IMPAIR_N; k++)
		if (im->value[k])
			json_object_set_new(o, impair[k].key, json_string(im->value[k]));
	return o;
}

json_t *tbx_topo_json(const struct tbx_topo *t)
{
	json_t *nodes = json_array(), *links = json_array();

	for (unsigned int i = 0; i < t->n_nodes; i++) {
		const struct tbx_topo_node *nd = &t->nodes[i];
		json_t *exec = json_array();
		char io[TBX_TOPO_IO_WORDS_MAX];

		for (unsigned int c = 0; c < nd->n_exec; c++)
			json_array_append_new(exec, json_string(nd->exec[c]));
		tbx_topo_io_words(nd, io, sizeof(io));
		json_array_append_new(nodes, json_pack("{s:s, s:s, s:I, s:I, s:s, s:o}",
			"name", nd->name, "kind", tbx_topo_kind_name(nd->kind),
			"cpu_max_us", (json_int_t)nd->cpu_max_us,
			"memory_max", (json_int_t)nd->memory_max, "io_max", io, "exec", exec));
	}
	for (unsigned int i = 0; i < t->n_links; i++) {
		const struct tbx_topo_link *l = &t->links[i];
		json_t *eps = json_array();

		for (int e = 0; e < 2; e++)
			json_array_append_new(eps, json_pack("{s:s, s:s, s:o}",
				"node", t->nodes[l->ep[e].node].name,
				"interface", l->ep[e].ifname,
				"egress", impair_json(&l->egress[e])));
		json_array_append_new(links, json_pack("{s:o}", "endpoints", eps));
	}
	return json_pack("{s:s, s:o, s:o}", "name", t->name, "nodes", nodes,
			 "links", links);
}
