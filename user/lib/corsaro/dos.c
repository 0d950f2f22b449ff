// SPDX-License-Identifier: GPL-2.0-or-later
/* The RS DoS plugin: attack vectors from backscatter, Corsaro's rules. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "dos.h"
#include "err.h"
#include "ft.h"
#include "vectors.h"

#define PPM_BUCKETS	6	/* 60 s window ... */
#define PPM_PRECISION	10	/* ... in 10 s buckets */

/* A set of u32 (addresses, ports); open addressing, 0 allowed. */
struct u32set {
	uint32_t *v;
	uint8_t *used;
	uint32_t n, cap;
};

static int set_add(struct u32set *s, uint32_t x);

static uint32_t set_slot(const struct u32set *s, uint32_t x)
{
	uint32_t i = (x * 2654435761u) & (s->cap - 1);

	while (s->used[i] && s->v[i] != x)
		i = (i + 1) & (s->cap - 1);
	return i;
}

static int set_grow(struct u32set *s)
{
	struct u32set n = { .cap = s->cap ? s->cap * 2 : 16 };

	n.v = calloc(n.cap, sizeof(*n.v));
	n.used = calloc(n.cap, 1);
	if (!n.v || !n.used) {
		free(n.v);
		free(n.used);
		return tbx_err(ENOMEM, "out of memory for a dos vector");
	}
	for (uint32_t i = 0; i < s->cap; i++)
		if (s->used[i])
			set_add(&n, s->v[i]);
	free(s->v);
	free(s->used);
	*s = n;
	return 0;
}

static int set_add(struct u32set *s, uint32_t x)
{
	uint32_t i;

	if ((s->n + 1) * 2 > s->cap && set_grow(s))
		return -ENOMEM;
	i = set_slot(s, x);
	if (!s->used[i]) {
		s->used[i] = 1;
		s->v[i] = x;
		s->n++;
	}
	return 0;
}

static void set_free(struct u32set *s)
{
	free(s->v);
	free(s->used);
}

struct vector {
	uint32_t target;		/* host order; never 0 */
	uint8_t *pkt;
	uint32_t pkt_len;
	uint64_t packets, bytes;
	uint32_t interval_packets, interval_bytes;
	uint32_t start_sec, start_usec, latest_sec, latest_usec;
	uint32_t window_start;
	uint64_t buckets[PPM_BUCKETS];
	unsigned int bucket;
	uint64_t max_ppm;
	struct u32set attackers, attack_ports, target_ports;
	uint32_t attackers_at_reset;
};

struct cors_dos {
	struct cors_vtable vt;		/* target -> struct vector */
	uint32_t first_interval;	/* end of the "previous" dump period */
	uint16_t mismatch;		/* 16 bits, as Corsaro keeps it */
	struct cors_dos_global last;
};

int cors_dos_new(struct cors_dos **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : tbx_err(ENOMEM, "out of memory");
}

static void vector_free(struct vector *v)
{
	if (!v)
		return;
	free(v->pkt);
	set_free(&v->attackers);
	set_free(&v->attack_ports);
	set_free(&v->target_ports);
	free(v);
}

void cors_dos_free(struct cors_dos *d)
{
	if (!d)
		return;
	for (uint32_t i = 0; i < d->vt.n_buckets; i++)
		if (cors_vt_live(&d->vt, i))
			vector_free(d->vt.val[i]);
	cors_vt_free(&d->vt);
	free(d);
}

static void vector_del(struct cors_dos *d, uint32_t i)
{
	vector_free(d->vt.val[i]);
	cors_vt_del(&d->vt, i);
}

static bool expired(const struct vector *v, uint32_t now)
{
	return (uint64_t)v->latest_sec + CORS_DOS_INTERVAL < now;
}

static void ppm_update(struct vector *v)
{
	uint64_t sum = 0;

	for (int i = 0; i < PPM_BUCKETS; i++)
		sum += v->buckets[i];
	if (sum > v->max_ppm)
		v->max_ppm = sum;
}

/* Corsaro moves the window whenever a packet falls past the current
 * 10 s bucket, zeroing up to six buckets on the way.
 */
static void ppm_add(struct vector *v, uint32_t sec)
{
	int64_t offset = ((int64_t)sec - v->window_start) / PPM_PRECISION;

	if (offset > 0) {
		ppm_update(v);
		for (int64_t i = 0; i < offset && i < PPM_BUCKETS; i++) {
			v->bucket = (v->bucket + 1) % PPM_BUCKETS;
			v->buckets[v->bucket] = 0;
		}
		v->window_start += offset * PPM_PRECISION;
	}
	v->buckets[v->bucket]++;
}

static bool is_attack(struct vector *v)
{
	int64_t secs = (int64_t)v->latest_sec - v->start_sec;

	if (v->packets < CORS_DOS_MIN_PACKETS)
		return false;
	if (v->latest_usec < v->start_usec)
		secs--;
	if (secs < CORS_DOS_MIN_DURATION)
		return false;
	ppm_update(v);
	return v->max_ppm >= CORS_DOS_MIN_PPM;
}

static void vector_reset(struct vector *v)
{
	v->interval_packets = 0;
	v->interval_bytes = 0;
	v->attackers_at_reset = v->attackers.n;
}

static int is_icmp_error(uint8_t type)
{
	return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

/* The first 4 bytes of the transport as ports, as libtrace reads them. */
static void ports_of(const uint8_t *l4, uint16_t *src, uint16_t *dst)
{
	*src = l4[0] << 8 | l4[1];
	*dst = l4[2] << 8 | l4[3];
}

int cors_dos_packet(struct cors_dos *d, uint32_t sec, uint32_t usec,
		    const void *frame, size_t caplen, const struct tbx_ft_parsed *p)
{
	uint16_t attacker_port = 0, target_port = 0;
	uint32_t target = 0, attacker;
	const uint8_t *f = frame, *ip, *l4;
	struct vector *v = NULL;
	uint32_t i;
	size_t rem;

	/* the flowtuple plugin's class; no transport: Corsaro stops here */
	if (p->key.cls != TBX_FT_BACKSCATTER || !p->has_l4 || p->l4_off > caplen)
		return 0;
	ip = f + p->ip_off;
	l4 = f + p->l4_off;
	rem = caplen - p->l4_off;
	attacker = ntohl(p->key.dst_ip);
	if (p->key.protocol == IPPROTO_ICMP && rem >= 2) {
		const uint8_t *in = l4 + 8;
		size_t in_len = rem >= 8 ? rem - 8 : 0;

		if (is_icmp_error(l4[0]) && in_len >= 20 && in[0] >> 4 == 4) {
			size_t ihl = (in[0] & 0x0f) * 4u;

			/* the quoted packet should be one the darknet host sent */
			if (memcmp(in + 12, ip + 16, 4))
				d->mismatch++;
			target = (uint32_t)in[16] << 24 | in[17] << 16 | in[18] << 8 | in[19];
			/* libtrace: no payload in a quoted later fragment */
			if (!((in[6] << 8 | in[7]) & 0x1fff) && in_len >= ihl && in_len - ihl >= 4)
				ports_of(in + ihl, &attacker_port, &target_port);
		} else {
			target = ntohl(p->key.src_ip);
			/* ntohs() of one byte, on Corsaro's little-endian hosts */
			attacker_port = (uint16_t)(l4[1] << 8);
			target_port = (uint16_t)(l4[0] << 8);
		}
	} else if ((p->key.protocol == IPPROTO_TCP || p->key.protocol == IPPROTO_UDP) &&
		   rem >= 4) {
		target = ntohl(p->key.src_ip);
		ports_of(l4, &target_port, &attacker_port);
	}
	if (!target)
		return 0;

	i = cors_vt_get(&d->vt, target);
	if (cors_vt_live(&d->vt, i)) {
		v = d->vt.val[i];
		if (expired(v, sec)) {
			vector_del(d, i);
			v = NULL;
		}
	}
	if (!v) {
		v = calloc(1, sizeof(*v));
		if (!v || !(v->pkt = malloc(caplen ? caplen : 1))) {
			free(v);
			return tbx_err(ENOMEM, "out of memory for a dos vector");
		}
		/* the captured frame from its first byte, as Corsaro copies
		 * libtrace's packet buffer */
		memcpy(v->pkt, f, caplen);
		v->pkt_len = caplen;
		v->target = target;
		v->start_sec = sec;
		v->start_usec = usec;
		v->window_start = sec;
		if (cors_vt_put(&d->vt, target, v)) {
			vector_free(v);
			return -ENOMEM;
		}
	}
	v->packets++;
	v->interval_packets++;
	v->bytes += ntohs(p->key.ip_len);
	v->interval_bytes += ntohs(p->key.ip_len);
	v->latest_sec = sec;
	v->latest_usec = usec;
	ppm_add(v, sec);
	return set_add(&v->attackers, attacker) ?: set_add(&v->attack_ports, attacker_port) ?:
	       set_add(&v->target_ports, target_port);
}

void cors_dos_start_interval(struct cors_dos *d, uint32_t start)
{
	if (d->first_interval == 0)
		d->first_interval = start - 1;	/* the "previous" interval's end */
}

static void vector_record(const struct vector *v, struct cors_dos_vector *r)
{
	*r = (struct cors_dos_vector){
		.target_ip = v->target,
		.attackers = v->attackers.n,
		.interval_attackers = v->attackers.n - v->attackers_at_reset,
		.attack_ports = v->attack_ports.n,
		.target_ports = v->target_ports.n,
		.packets = v->packets,
		.interval_packets = v->interval_packets,
		.bytes = v->bytes,
		.interval_bytes = v->interval_bytes,
		.max_ppm = v->max_ppm,
		.start_sec = v->start_sec, .start_usec = v->start_usec,
		.latest_sec = v->latest_sec, .latest_usec = v->latest_usec,
		.pkt_len = v->pkt_len, .pkt = v->pkt,
	};
}

int cors_dos_end_interval(struct cors_dos *d, const struct cors_interval *start,
			  const struct cors_interval *end, bool ascii,
			  struct cors_buf *global, struct cors_buf *file, bool *dumped)
{
	struct vector **attacks;
	struct cors_dos_global g;
	size_t n = 0;
	int err;

	*dumped = false;
	if ((int64_t)end->time - d->first_interval < CORS_DOS_INTERVAL)
		return 0;
	d->first_interval = end->time;
	attacks = malloc((d->vt.size ? d->vt.size : 1) * sizeof(*attacks));
	if (!attacks)
		return tbx_err(ENOMEM, "out of memory");
	/* in bucket order, as Corsaro: expire, judge, or reset each */
	for (uint32_t i = 0; i < d->vt.n_buckets; i++) {
		struct vector *v;

		if (!cors_vt_live(&d->vt, i))
			continue;
		v = d->vt.val[i];
		if (expired(v, end->time))
			vector_del(d, i);
		else if (is_attack(v))
			attacks[n++] = v;
		else
			vector_reset(v);
	}
	g = (struct cors_dos_global){ d->mismatch, n, d->vt.size - n };
	d->last = g;
	if (ascii)
		err = cors_ascii_data_mark(global, CORS_MAGIC_EDOS, true) ?:
		      cors_ascii_dos_global(global, &g) ?:
		      cors_ascii_data_mark(global, CORS_MAGIC_EDOS, false) ?:
		      cors_ascii_interval(file, start, true) ?: cors_ascii_dos_count(file, n);
	else
		err = cors_enc_data_mark(global, CORS_MAGIC_EDOS) ?: cors_enc_dos_global(global, &g) ?:
		      cors_enc_data_mark(global, CORS_MAGIC_EDOS) ?:
		      cors_enc_interval(file, start) ?: cors_put_u32(file, n);
	for (size_t i = 0; !err && i < n; i++) {
		struct cors_dos_vector r;

		vector_record(attacks[i], &r);
		err = ascii ? cors_ascii_dos_vector(file, &r) : cors_enc_dos_vector(file, &r);
		vector_reset(attacks[i]);
	}
	if (!err)
		err = ascii ? cors_ascii_interval(file, end, false) : cors_enc_interval(file, end);
	d->mismatch = 0;
	free(attacks);
	*dumped = !err;
	return err;
}

void cors_dos_last(const struct cors_dos *d, struct cors_dos_global *g)
{
	*g = d->last;
}
