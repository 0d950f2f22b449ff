/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The detector's state, shared by detector.c (the decisions, the series,
 * create and remove) and detector_json.c (what the API shows of it).
 * Private to those two.
 */
#ifndef TBXD_DETECTOR_STATE_H
#define TBXD_DETECTOR_STATE_H

#include <limits.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include <jansson.h>

#include "detect.h"
#include "pushback.h"

#define TICK_NS		10000000ULL	/* the check's period when no event comes */
#define RESEND_NS	200000000ULL	/* a stopped offender is told again after */
#define SERIES_MAX	36000		/* intervals kept: an hour of 100 ms */
#define LATENCIES_MAX	4096
#define NAME_LEN	32

struct sender {
	char name[NAME_LEN];
	char addr[64];
	char label[16];			/* "attack", "good" or "" */
	char profile[PATH_MAX];
	bool has_uuid;
	uint64_t uuid;
	struct tbx_curve curve;
	uint64_t start_ns;
	struct tbx_detect_addr a;
	uint32_t slot;
	/* The receiver's view of it. */
	bool off;			/* stopped by this detector */
	uint64_t stops, resumes, first_stop_ns, last_told_ns;
	uint64_t window_bits, window_allowed_bits;	/* at the last check */
	uint64_t stop_window_bits, stop_allowed_bits;	/* at the last stop */
};

struct point {
	uint64_t epoch, peak_bits, need_peak_bits, arrived_bits, dropped_bits;
};

struct detector {
	struct detector *next;
	struct tbxd_detectors *ds;
	char name[NAME_LEN];
	char dev[IF_NAMESIZE];
	char profile[PATH_MAX];
	double high, low;
	char pushback_dev[IF_NAMESIZE];	/* "" : push-back off (detection only) */
	int pb_fd;
	uint64_t seq;
	struct tbx_detect *bpf;
	struct tbxd_timer *tick;
	int events_fd;
	unsigned int n;
	struct sender s[TBX_DETECT_SENDERS_MAX - 1];
	uint64_t created_ns;
	/* The series: complete intervals, and the one being sampled. */
	struct point *series;
	size_t n_series;
	uint64_t cur_epoch, cur_peak, cur_need_peak;
	/* What it did. */
	uint64_t checks, high_events, messages, send_errors;
	uint64_t pending_high_ns;	/* a high crossing not yet answered by a stop */
	bool crossed;			/* a high crossing among the events just read */
	uint64_t latency_ns[LATENCIES_MAX];
	unsigned int n_latency;
};

struct tbxd_detectors {
	struct tbxd *d;
	struct detector *list;
	uint8_t key[256];
	struct tbx_pushback_key k;
};

/* CLOCK_MONOTONIC in ns: the datapath's clock (bpf_ktime_get_ns). */
static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* The detector as the API shows it; @series adds its intervals. */
json_t *tbxd_detector_state_json(struct detector *t, bool series);

#endif
