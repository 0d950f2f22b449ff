/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The RS DoS plugin (reference/corsaro.md, "RS DoS plugin"): attack
 * vectors keyed by target from backscatter packets, judged and dumped
 * every 300 s of intervals.
 */
#ifndef TBX_CORSARO_DOS_H
#define TBX_CORSARO_DOS_H

#include "record.h"

#define CORS_DOS_INTERVAL	300	/* s between dumps; also the vector timeout */
#define CORS_DOS_MIN_PACKETS	25
#define CORS_DOS_MIN_DURATION	60	/* s */
#define CORS_DOS_MIN_PPM	30

struct cors_dos;

int cors_dos_new(struct cors_dos **d);
void cors_dos_free(struct cors_dos *d);
/* One frame (its captured bytes from the first, and what
 * tbx_ft_parse_frame() read in them); anything but backscatter is ignored.
 */
int cors_dos_packet(struct cors_dos *d, uint32_t sec, uint32_t usec,
		    const void *frame, size_t caplen, const struct tbx_ft_parsed *p);
void cors_dos_start_interval(struct cors_dos *d, uint32_t start);
/* At an interval's end: when a dump is due, appends the global block
 * (with its DATA markers) to @global and the dump (interval records,
 * count, vectors) to @file, and sets *dumped.
 */
int cors_dos_end_interval(struct cors_dos *d, const struct cors_interval *start,
			  const struct cors_interval *end, bool ascii,
			  struct cors_buf *global, struct cors_buf *file, bool *dumped);
/* Counts after the last end_interval, for the log. */
void cors_dos_last(const struct cors_dos *d, struct cors_dos_global *g);

#endif
