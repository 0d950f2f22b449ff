/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Corsaro 2 output, as tbx writes it: the boundary between the tap (which
 * produces per-interval flowtuple counts and, for the DoS plugin, the
 * backscatter packets themselves) and the files (global, log, flowtuple,
 * dos; binary or ASCII; plain, .gz or .bz2; templated names; rotation).
 * Facts of the format: reference/corsaro.md. Errors follow err.h.
 */
#ifndef TBX_CORSARO_H
#define TBX_CORSARO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include <tbx/flowtuple.h>
#include <tbx/flowtuple_parse.h>

struct cors_tuple {
	struct tbx_ft_key key;
	uint32_t packet_cnt;
};

struct cors_out_opts {
	const char *template;	/* must contain %P; %N, strftime codes */
	const char *monitor;	/* %N; NULL: the host name, as corsaro */
	const char *trace_uri;	/* written in the header; may be NULL */
	uint16_t interval;	/* seconds, > 0 */
	bool align;		/* -a: the first interval ends at a multiple of the length */
	unsigned int rotate;	/* -r: plugin files every N intervals, 0 never */
	unsigned int rotate_meta; /* -R: global and log files, 0 never */
	bool ascii;		/* -m ascii */
	bool flowtuple;		/* -p flowtuple */
	bool dos;		/* -p dos */
	bool packet_times;	/* every cors_out_time() is one packet (a pcap): a
				 * global file -R closes gets Corsaro's trailer
				 * with the counts so far (else none) */
	uint32_t fixed_clock;	/* tests: the wall clock (init, final time); 0: time() */
};

struct cors_out;

/* Opens nothing yet: files open with the first interval, whose start
 * time the names are formatted from.
 */
int cors_out_new(const struct cors_out_opts *opts, struct cors_out **out);

/*
 * Where intervals come from. The tap calls cors_out_time() with every
 * packet's time when it sees packets one by one (the pcap path), or once
 * per closed kernel interval; the writer decides interval boundaries and
 * emits gap intervals as reference/corsaro.md says.
 * cors_out_packet(): one frame for the DoS plugin: its captured bytes
 * from the first (caplen; a new vector stores them whole as its initial
 * packet, as Corsaro stores libtrace's packet buffer) and what
 * tbx_ft_parse_frame() read in them; only backscatter is used, and only
 * with the flowtuple plugin on (Corsaro's marks it for the dos plugin).
 * cors_out_packet() calls cors_out_time() itself.
 * cors_out_tuples(): add counts to the current interval's flowtuple table
 * (tuples for the same key add up); needs a cors_out_time() first. Each
 * key's cls must be the class Corsaro gives its fields (cors_ft_key_of()
 * makes such keys), else EINVAL.
 */
int cors_out_time(struct cors_out *o, uint32_t sec, uint32_t usec);
int cors_out_packet(struct cors_out *o, uint32_t sec, uint32_t usec,
		    const void *frame, size_t caplen, const struct tbx_ft_parsed *p);
int cors_out_tuples(struct cors_out *o, const struct cors_tuple *t, size_t n);

/* Packet counts for the trailer: seen, accepted, dropped
 * (CORS_UNKNOWN_COUNT if unknown; that is the default for accepted and
 * dropped, packets defaults to 0). The tap's overflow count goes in dropped.
 */
#define CORS_UNKNOWN_COUNT UINT64_MAX
void cors_out_counts(struct cors_out *o, uint64_t packets, uint64_t accepted,
		     uint64_t dropped);

/* Ends the last interval at the last second given to cors_out_time()
 * (kernel-interval callers: pass the last packet's time first), writes
 * the trailer, closes every file (even after an error). As Corsaro, an
 * interval the last cors_out_time() opened is not written at all (its
 * tuples and dos data are dropped), and the end may precede the start.
 */
int cors_out_close(struct cors_out *o);
void cors_out_free(struct cors_out *o);

/* The flowtuple key Corsaro makes of one IPv4 packet (from its IP
 * header, caplen bytes): fields, byte order and class as the flowtuple
 * plugin sets them. 0, or -ENOENT when the bytes are no IPv4 packet.
 */
int cors_ft_key_of(const void *ip, size_t caplen, struct tbx_ft_key *k);

/* cors2ascii: prints FILE (any type, any compression) to @f exactly as
 * cors2ascii does; a corrupt or truncated file fails naming the offset.
 */
int cors_to_ascii(const char *path, FILE *f);

#endif
