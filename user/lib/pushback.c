// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gnutls/crypto.h>

#include "err.h"
#include "pushback.h"

#define TRAILER		"tbx-auth1 "
#define MAC_LEN		32		/* SHA-256 */
#define MAC_HEX		(2 * MAC_LEN)

static bool name_ok(const char *s)
{
	size_t n = strlen(s);

	return n && n < TBX_PUSHBACK_NAME_MAX &&
	       strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		      "0123456789_.:-") == n;
}

static int mac(const struct tbx_pushback_key *k, const uint8_t *data, size_t len,
	       uint8_t out[MAC_LEN])
{
	if (gnutls_hmac_fast(GNUTLS_MAC_SHA256, k->key, k->len, data, len, out))
		return tbx_err(EIO, "push-back: HMAC-SHA256 failed");
	return 0;
}

static void hex(const uint8_t *b, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[2 * n] = '\0';
}

int tbx_pushback_format(const struct tbx_pushback *m, const struct tbx_pushback_key *k,
			uint8_t *buf, size_t len)
{
	uint8_t sum[MAC_LEN];
	size_t at = 0;
	int w;

	if (!m->n || m->n > TBX_PUSHBACK_ENTRIES)
		return tbx_err(EINVAL, "push-back: %u entries (1 to %d)", m->n,
			       TBX_PUSHBACK_ENTRIES);
	for (unsigned int i = 0; i < m->n; i++) {
		w = snprintf((char *)buf + at, len - at, "%llu,%d;",
			     (unsigned long long)m->e[i].uuid, m->e[i].stop ? 1 : 0);
		if (w < 0 || (size_t)w >= len - at)
			goto too_long;
		at += w;
	}
	if (at + 1 > len)
		goto too_long;
	buf[at++] = '\0';		/* CBSAT sends strlen + 1 */
	if (!k || !k->len)
		return at;
	if (!name_ok(m->from))
		return tbx_err(EINVAL, "push-back: sender name \"%s\" is not 1-31 of "
			       "A-Z a-z 0-9 _ . : -", m->from);
	w = snprintf((char *)buf + at, len - at, TRAILER "from=%s seq=%llu mac=",
		     m->from, (unsigned long long)m->seq);
	if (w < 0 || (size_t)w + MAC_HEX >= len - at)
		goto too_long;
	at += w;
	if (mac(k, buf, at, sum))
		return -EIO;
	hex(sum, MAC_LEN, (char *)buf + at);
	return at + MAC_HEX;
too_long:
	return tbx_err(EMSGSIZE, "push-back: %u entries do not fit %zu bytes", m->n, len);
}

/* "<uuid>,<0|1>;" entries up to the NUL at @end. */
static int parse_entries(const char *s, const char *end, struct tbx_pushback *m)
{
	const char *p = s;

	while (p < end) {
		struct tbx_pushback_entry *e;
		unsigned long long v;
		char *q;

		if (m->n == TBX_PUSHBACK_ENTRIES)
			return tbx_err(E2BIG, "push-back: more than %d entries",
				       TBX_PUSHBACK_ENTRIES);
		if (*p < '0' || *p > '9')
			return tbx_err(EINVAL, "push-back: entry %u: \"%.16s\" is not "
				       "<uuid>,<0|1>;", m->n + 1, p);
		errno = 0;
		v = strtoull(p, &q, 10);
		if (errno || *q != ',')
			return tbx_err(EINVAL, "push-back: entry %u: uuid \"%.24s\" is not "
				       "a decimal below 2^64 followed by ','", m->n + 1, p);
		if ((q[1] != '0' && q[1] != '1') || q[2] != ';')
			return tbx_err(EINVAL, "push-back: entry %u (uuid %llu): \"%.8s\" is "
				       "not 0; or 1;", m->n + 1, v, q + 1);
		e = &m->e[m->n++];
		e->uuid = v;
		e->stop = q[1] == '1';
		p = q + 3;
	}
	if (!m->n)
		return tbx_err(EINVAL, "push-back: no entries");
	return 0;
}

/* Constant time: a mismatch does not tell where. */
static bool same(const uint8_t *a, const uint8_t *b, size_t n)
{
	uint8_t d = 0;

	for (size_t i = 0; i < n; i++)
		d |= a[i] ^ b[i];
	return !d;
}

static int bad_trailer(const char *text)
{
	return tbx_err(EINVAL, "push-back: trailer \"%.48s\" is not \"" TRAILER
		       "from=NAME seq=N mac=HEX\"", text);
}

/* TRAILER "from=NAME seq=N mac=HEX", nothing else, parsed by hand: strict. */
static int parse_trailer(const uint8_t *buf, const uint8_t *t, size_t tlen,
			 const struct tbx_pushback_key *k, struct tbx_pushback *m)
{
	char text[TBX_PUSHBACK_MAX + 1], want[MAC_HEX + 1];
	char *from, *p, *end;
	unsigned long long seq;
	uint8_t sum[MAC_LEN];
	size_t n;

	memcpy(text, t, tlen);
	text[tlen] = '\0';
	if (strlen(text) != tlen)
		return tbx_err(EINVAL, "push-back: a NUL inside the trailer");
	if (strncmp(text, TRAILER "from=", strlen(TRAILER "from=")))
		return bad_trailer(text);
	from = text + strlen(TRAILER "from=");
	p = strchr(from, ' ');
	if (!p || strncmp(p, " seq=", 5))
		return bad_trailer(text);
	*p = '\0';
	if (!name_ok(from))
		return tbx_err(EINVAL, "push-back: sender name \"%.40s\" is not 1-31 of "
			       "A-Z a-z 0-9 _ . : -", from);
	p += 5;
	n = strspn(p, "0123456789");
	errno = 0;
	seq = strtoull(p, &end, 10);
	if (!n || n > 20 || errno || end != p + n)
		return tbx_err(EINVAL, "push-back: seq \"%.24s\" is not a decimal below 2^64", p);
	if (strncmp(end, " mac=", 5) || strlen(end + 5) != MAC_HEX ||
	    strspn(end + 5, "0123456789abcdef") != MAC_HEX)
		return tbx_err(EINVAL, "push-back: the trailer's mac is not 64 lower-case "
			       "hex digits at its end");
	snprintf(m->from, sizeof(m->from), "%s", from);
	m->seq = seq;
	if (!k || !k->len)
		return 0;
	/* Everything up to "mac=" is signed: the entries, their NUL, the trailer's start. */
	if (mac(k, buf, (size_t)(t - buf) + (size_t)(end + 5 - text), sum))
		return -EIO;
	hex(sum, MAC_LEN, want);
	if (!same((const uint8_t *)end + 5, (const uint8_t *)want, MAC_HEX))
		return tbx_err(EPERM, "push-back: bad mac from \"%s\" (another key, or "
			       "the message was changed)", m->from);
	m->authenticated = true;
	return 0;
}

static int parse(const uint8_t *buf, size_t len, const struct tbx_pushback_key *k,
		 struct tbx_pushback *m)
{
	const uint8_t *nul;
	int err;

	if (!len)
		return tbx_err(EINVAL, "push-back: an empty datagram");
	if (len > TBX_PUSHBACK_MAX)
		return tbx_err(EMSGSIZE, "push-back: %zu bytes, more than %d", len,
			       TBX_PUSHBACK_MAX);
	nul = memchr(buf, '\0', len);
	if (!nul)
		return tbx_err(EINVAL, "push-back: the entries are not NUL-terminated");
	err = parse_entries((const char *)buf, (const char *)nul, m);
	if (err)
		return err;
	if ((size_t)(nul + 1 - buf) == len) {
		if (k && k->len)
			return tbx_err(EPERM, "push-back: no authentication trailer "
				       "(a key is set: plain messages are refused)");
		return 0;
	}
	return parse_trailer(buf, nul + 1, len - (nul + 1 - buf), k, m);
}

int tbx_pushback_parse(const uint8_t *buf, size_t len, const struct tbx_pushback_key *k,
		       struct tbx_pushback *m)
{
	int err;

	memset(m, 0, sizeof(*m));
	err = parse(buf, len, k, m);
	if (err)
		memset(m, 0, sizeof(*m));	/* nothing half-read reaches the caller */
	return err;
}

bool tbx_pushback_fresh(struct tbx_pushback_peers *peers, const struct tbx_pushback *m)
{
	unsigned int i, oldest = 0;

	for (i = 0; i < peers->n; i++) {
		if (strcmp(peers->p[i].from, m->from))
			continue;
		if (m->seq <= peers->p[i].seq) {
			tbx_err(EALREADY, "push-back: seq %llu from \"%s\" is not above the "
				"last accepted (%llu): a replay", (unsigned long long)m->seq,
				m->from, (unsigned long long)peers->p[i].seq);
			return false;
		}
		peers->p[i].seq = m->seq;
		return true;
	}
	if (peers->n < TBX_PUSHBACK_PEERS) {
		i = peers->n++;
	} else {
		for (i = 1; i < peers->n; i++)
			if (peers->p[i].seq < peers->p[oldest].seq)
				oldest = i;
		i = oldest;
	}
	snprintf(peers->p[i].from, sizeof(peers->p[i].from), "%s", m->from);
	peers->p[i].seq = m->seq;
	return true;
}

uint64_t tbx_pushback_next_seq(uint64_t last)
{
	struct timespec ts;
	uint64_t us;

	clock_gettime(CLOCK_REALTIME, &ts);
	us = (uint64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
	return us > last ? us : last + 1;
}

int tbx_pushback_key_load(const char *path, uint8_t *key, size_t cap, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return tbx_err(errno, "%s: %s", path, strerror(errno));
	n = fread(key, 1, cap, f);
	if (n == cap && fgetc(f) != EOF) {
		fclose(f);
		return tbx_err(E2BIG, "%s: a key of more than %zu bytes", path, cap);
	}
	fclose(f);
	while (n && (key[n - 1] == '\n' || key[n - 1] == '\r'))
		n--;
	if (n < TBX_PUSHBACK_KEY_MIN)
		return tbx_err(EINVAL, "%s: a key of %zu bytes; at least %d", path, n,
			       TBX_PUSHBACK_KEY_MIN);
	*len = n;
	return 0;
}
