/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Traffic-profile files (CBSAT's format; Documentation/user-guide.md):
 *
 *   # period = 10          seconds; the profile repeats with this period
 *   # start = 0            epoch seconds of phase 0
 *   % a comment
 *   0,800000,0,0           time s, bandwidth bit/s, max bandwidth bit/s, latency s
 *   1,850000,0,0
 *
 * or rows of three columns: time, bandwidth, latency. Rates are
 * piecewise-constant: a row holds from its time to the next row's, the last
 * row to the period's end (CBSAT's implicit "period,0" row). Net runs use
 * the bandwidth; the qdisc uses latency as well, so every column is kept.
 */
#ifndef TBX_PROFILE_H
#define TBX_PROFILE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* More rows than this is a mistake (or not a profile). */
#define TBX_PROFILE_ROWS_MAX	(1U << 20)

struct tbx_profile_row {
	uint64_t time_ns;	/* from the period's start */
	uint64_t rate_bps;	/* bandwidth, bits/s */
	uint64_t max_bps;	/* max bandwidth, bits/s; 0 in 3-column files */
	uint64_t latency_ns;
	unsigned int line;	/* where it was read, for later messages */
};

struct tbx_profile {
	uint64_t period_ns;	/* > every row's time */
	bool period_given;	/* false: defaulted, see tbx_profile_read() */
	bool has_start;
	uint64_t start_ns;	/* "# start", epoch ns */
	bool has_priority;
	uint32_t priority;	/* "# priority" */
	char uuid[64];		/* "# uuid", "" when absent */
	unsigned int columns;	/* 3 or 4 */
	unsigned int n;		/* rows; the first at time 0 */
	struct tbx_profile_row *rows;
};

/*
 * Reads a profile from @f; @name (the file name) prefixes messages, e.g.
 * "p.csv:7: time 3 is not after the previous row's (5)". Rules: at least
 * one row; the first at time 0; times strictly increasing and below the
 * period; numbers decimal and non-negative; every row with the same number
 * of columns. Without "# period", the period is the last row's time plus
 * the step before it (evenly spaced rows all last as long), or 1 s for a
 * single row. Unknown "# key = value" headers are ignored. On error
 * nothing is allocated.
 */
int tbx_profile_read(FILE *f, const char *name, struct tbx_profile *p);
/* tbx_profile_read() of the file at @path. */
int tbx_profile_load(const char *path, struct tbx_profile *p);
void tbx_profile_free(struct tbx_profile *p);

#endif
