// SPDX-License-Identifier: GPL-2.0-or-later
/* Corsaro records as text, line for line as Corsaro prints them. */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "ascii.h"
#include "err.h"

int cors_buf_printf(struct cors_buf *b, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n, err;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return tbx_err(ENOMEM, "out of memory");
	err = cors_put_bytes(b, s, n);
	free(s);
	return err;
}

static const char *const class_names[TBX_FT_CLASS_MAX] = {
	"flowtuple_backscatter", "flowtuple_icmpreq", "flowtuple_other",
};

const char *cors_class_name(unsigned int cls)
{
	return cls < TBX_FT_CLASS_MAX ? class_names[cls] : "flowtuple_unknown";
}

int cors_ascii_header(struct cors_buf *b, const struct cors_header *h)
{
	int err = cors_buf_printf(b, "# CORSARO_VERSION %u.%u\n# CORSARO_INITTIME %" PRIu32
				  "\n# CORSARO_INTERVAL %u\n", h->major, h->mid,
				  h->init_time, h->interval);

	if (!err && h->trace_uri && *h->trace_uri)
		err = cors_buf_printf(b, "# CORSARO_TRACEURI %s\n", h->trace_uri);
	for (unsigned int i = 0; !err && i < h->n_plugins; i++) {
		const char *name = cors_plugin_name(h->magic[i]);

		if (name)
			err = cors_buf_printf(b, "# CORSARO_PLUGIN %s\n", name);
		else
			err = cors_buf_printf(b, "# CORSARO_PLUGIN 0x%08" PRIx32 "\n", h->magic[i]);
	}
	return err;
}

int cors_ascii_interval(struct cors_buf *b, const struct cors_interval *i, bool start)
{
	return cors_buf_printf(b, "# CORSARO_INTERVAL_%s %u %" PRIu32 "\n",
			       start ? "START" : "END", i->number, i->time);
}

int cors_ascii_trailer(struct cors_buf *b, const struct cors_trailer *t)
{
	int err = cors_buf_printf(b, "# CORSARO_PACKETCNT %" PRIu64 "\n", t->packets);

	if (!err && t->accepted != CORS_UNKNOWN)
		err = cors_buf_printf(b, "# CORSARO_ACCEPTEDCNT %" PRIu64 "\n", t->accepted);
	if (!err && t->dropped != CORS_UNKNOWN)
		err = cors_buf_printf(b, "# CORSARO_DROPPEDCNT %" PRIu64 "\n", t->dropped);
	return err ?: cors_buf_printf(b, "# CORSARO_FIRSTPKT %" PRIu32 "\n# CORSARO_LASTPKT %" PRIu32
				      "\n# CORSARO_FINALTIME %" PRIu32 "\n# CORSARO_RUNTIME %" PRIu32 "\n",
				      t->first_pkt, t->last_pkt, t->final_time, t->runtime);
}

int cors_ascii_data_mark(struct cors_buf *b, uint32_t plugin_magic, bool start)
{
	const char *name = cors_plugin_name(plugin_magic);

	return cors_buf_printf(b, "# CORSARO_PLUGIN_DATA_%s %s\n", start ? "START" : "END",
			       name ? name : "unknown");
}

int cors_ascii_class_start(struct cors_buf *b, const struct cors_class_start *c)
{
	return cors_buf_printf(b, "START %s %" PRIu32 "\n", cors_class_name(c->cls), c->count);
}

int cors_ascii_class_end(struct cors_buf *b, uint16_t cls)
{
	return cors_buf_printf(b, "END %s\n", cors_class_name(cls));
}

static void ip_text(const void *be, char s[INET_ADDRSTRLEN])
{
	inet_ntop(AF_INET, be, s, INET_ADDRSTRLEN);
}

int cors_ascii_tuple(struct cors_buf *b, const struct cors_tuple *t)
{
	const struct tbx_ft_key *k = &t->key;
	char src[INET_ADDRSTRLEN], dst[INET_ADDRSTRLEN];

	ip_text(&k->src_ip, src);
	ip_text(&k->dst_ip, dst);
	return cors_buf_printf(b, "%s|%s|%u|%u|%u|%u|0x%02x|%u,%" PRIu32 "\n", src, dst,
			       ntohs(k->src_port), ntohs(k->dst_port), k->protocol, k->ttl,
			       k->tcp_flags, ntohs(k->ip_len), t->packet_cnt);
}

int cors_ascii_dos_global(struct cors_buf *b, const struct cors_dos_global *g)
{
	return cors_buf_printf(b, "mismatch: %" PRIu32 "\nattack_vectors: %" PRIu32
			       "\nnon-attack_vectors: %" PRIu32 "\n",
			       g->mismatch, g->attacks, g->non_attacks);
}

int cors_ascii_dos_count(struct cors_buf *b, uint32_t count)
{
	return cors_buf_printf(b, "%" PRIu32 "\n", count);
}

int cors_ascii_dos_vector(struct cors_buf *b, const struct cors_dos_vector *v)
{
	uint32_t be = htonl(v->target_ip);
	char ip[INET_ADDRSTRLEN];

	ip_text(&be, ip);
	return cors_buf_printf(b, "%s,%" PRIu32 ",%" PRIu32 ",%" PRIu32 ",%" PRIu32 ",%" PRIu64
			       ",%" PRIu32 ",%" PRIu64 ",%" PRIu32 ",%" PRIu64 ",%" PRIu32 ".%06" PRIu32
			       ",%" PRIu32 ".%06" PRIu32 "\n", ip, v->attackers,
			       v->interval_attackers, v->attack_ports, v->target_ports, v->packets,
			       v->interval_packets, v->bytes, v->interval_bytes, v->max_ppm,
			       v->start_sec, v->start_usec, v->latest_sec, v->latest_usec);
}
