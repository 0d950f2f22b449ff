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
 * or rows of three columns: time, bandwidth, latency (max bandwidth is then
 * the bandwidth, as CBSAT reads them). Rates are piecewise-constant: a row
 * holds from its time to the next row's, the last row to the period's end
 * (CBSAT's implicit "period,0" row). Net runs use the bandwidth; the qdisc
 * uses latency as well; enforcement and detection use the cumulative data
 * curve (include/tbx/profile_curve.h), so every column is kept.
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
	uint64_t bits_before;	/* the cumulative data curve at time_ns */
	unsigned int line;	/* where it was read, for later messages */
};

struct tbx_profile {
	uint64_t period_ns;	/* > every row's time */
	uint64_t period_bits;	/* the curve at period_ns: bits one period carries */
	bool has_start;
	uint64_t start_ns;	/* "# start", epoch ns */
	bool has_priority;
	uint32_t priority;	/* "# priority" */
	bool has_uuid;
	uint64_t uuid;		/* "# uuid": the sender's name on the push-back channel */
	unsigned int columns;	/* 3 or 4 */
	unsigned int n;		/* rows; the first at time 0 */
	struct tbx_profile_row *rows;
};

/*
 * Reads a profile from @f; @name (the file name) prefixes messages, e.g.
 * "p.csv:7: time 3 is not after the previous row's (5)". Rules: a
 * "# period" header; at least one row; the first at time 0; times strictly
 * increasing and below the period; numbers decimal and non-negative (".5"
 * is 0.5, as CBSAT's atof reads it; a fractional bandwidth is truncated to
 * whole bits/s, as CBSAT's cast does); rates at most TBX_CURVE_RATE_MAX and
 * a period's bits at most TBX_CURVE_BITS_MAX; every row with the same
 * number of columns. Unknown "# key = value" headers are ignored. On error
 * nothing is allocated.
 */
int tbx_profile_read(FILE *f, const char *name, struct tbx_profile *p);
/* tbx_profile_read() of the file at @path. */
int tbx_profile_load(const char *path, struct tbx_profile *p);
void tbx_profile_free(struct tbx_profile *p);

struct tbx_curve;
/*
 * The profile as the datapath's curve; refused (naming the file) when it
 * has more than TBX_CURVE_SEGS_MAX rows. @name prefixes the message.
 */
int tbx_profile_curve(const struct tbx_profile *p, const char *name,
		      struct tbx_curve *c);
/* The highest bandwidth of any row, and the mean over a period (bits/s). */
uint64_t tbx_profile_peak_bps(const struct tbx_profile *p);
double tbx_profile_mean_bps(const struct tbx_profile *p);
/*
 * The profile's phase 0 on CLOCK_MONOTONIC (the datapath's clock): its
 * "# start" (epoch seconds) moved there (a start in the past: the latest
 * phase 0 since, so phases follow the wall clock), or now when it has
 * none. Senders and receivers reading the same start share their phase.
 */
uint64_t tbx_profile_phase0_mono(const struct tbx_profile *p);

#endif
