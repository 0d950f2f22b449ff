/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * CBSAT's out-of-band push-back messages: a receiver whose buffer fills
 * tells offending senders to stop (1) and, once it drains, to resume (0),
 * on UDP multicast 224.0.0.251:12345. The datagram is ASCII entries
 * "<uuid>,<1|0>;" and a NUL, as CBSAT's receiver sends it (strlen + 1).
 *
 * tbx's authenticated form appends, after that NUL, a trailer
 *
 *   "tbx-auth1 from=<name> seq=<u64> mac=<64 hex digits>"
 *
 * where mac is HMAC-SHA256 under a shared key of everything before "mac="
 * (the entries, their NUL and the trailer's start). CBSAT's parser reads
 * the datagram as a C string, so it never sees the trailer: a CBSAT node
 * still understands an authenticated message. seq must grow per sender
 * name: a message whose seq is not above the last one accepted from that
 * name is a replay.
 */
#ifndef TBX_PUSHBACK_H
#define TBX_PUSHBACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TBX_PUSHBACK_GROUP	"224.0.0.251"
#define TBX_PUSHBACK_PORT	12345
#define TBX_PUSHBACK_MAX	1400	/* bytes of one datagram, trailer included */
#define TBX_PUSHBACK_ENTRIES	64	/* senders one message names */
#define TBX_PUSHBACK_NAME_MAX	32	/* "from=" names, NUL included */
#define TBX_PUSHBACK_KEY_MIN	16	/* bytes of a shared key, at least */

struct tbx_pushback_entry {
	uint64_t uuid;
	bool stop;		/* 1: stop sending; 0: resume */
};

struct tbx_pushback {
	unsigned int n;
	struct tbx_pushback_entry e[TBX_PUSHBACK_ENTRIES];
	bool authenticated;	/* a trailer was present and its mac checked */
	char from[TBX_PUSHBACK_NAME_MAX];
	uint64_t seq;
};

struct tbx_pushback_key {
	const uint8_t *key;
	size_t len;		/* 0: no key, messages are CBSAT's plain form */
};

/*
 * Writes @m (its entries; with @k, the trailer from m->from and m->seq)
 * into @buf; the datagram's length, or a negative errno (with a message)
 * when it does not fit or a name is bad.
 */
int tbx_pushback_format(const struct tbx_pushback *m, const struct tbx_pushback_key *k,
			uint8_t *buf, size_t len);

/*
 * Reads a datagram. With a key (k->len > 0) a trailer is required and its
 * mac must match; without one, a trailer is ignored (its mac unchecked,
 * m->authenticated false). Every malformed part is refused with a message
 * naming it: entries must be "<uuid>,<0|1>;" with decimal uuids, at least
 * one, NUL-terminated.
 */
int tbx_pushback_parse(const uint8_t *buf, size_t len, const struct tbx_pushback_key *k,
		       struct tbx_pushback *m);

/* The last seq accepted per sender name, to refuse replays. */
#define TBX_PUSHBACK_PEERS	64
struct tbx_pushback_peers {
	unsigned int n;
	struct {
		char from[TBX_PUSHBACK_NAME_MAX];
		uint64_t seq;
	} p[TBX_PUSHBACK_PEERS];
};

/*
 * True (and remembered) when @m's seq is above the last accepted from its
 * sender; false for a replay or an old message, with a message. A full
 * table forgets the peer with the lowest seq: seqs are send times
 * (tbx_pushback_next_seq()), so that is the one heard from longest ago.
 */
bool tbx_pushback_fresh(struct tbx_pushback_peers *peers, const struct tbx_pushback *m);

/* A seq above @last: the realtime clock in microseconds, or last + 1. */
uint64_t tbx_pushback_next_seq(uint64_t last);

/*
 * A UDP socket whose multicast leaves by @dev (NULL: the routing table's
 * choice), and one datagram on the group through it (pushback_send.c).
 */
int tbx_pushback_socket(const char *dev, int *fd);
int tbx_pushback_send(int fd, const uint8_t *buf, size_t len);

/* Reads a key file: its bytes, trailing newline dropped; at least KEY_MIN. */
int tbx_pushback_key_load(const char *path, uint8_t *key, size_t cap, size_t *len);

#endif
