/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A receiver's buffer in the datapath (bpf/detect.bpf.c,
 * include/tbx/detect.h): load one program instance for a receiver,
 * attach it at a device's tc ingress, name its senders by address, read
 * the buffer, the senders' buckets and the series, take it all away. The
 * maps are pinned under <bpffs>/tbx/detect/NAME/ for bpftool; the owner
 * (tbxd's detector) keeps the program attached while it lives.
 */
#ifndef TBX_DETECT_USER_H
#define TBX_DETECT_USER_H

#include <stdbool.h>
#include <stdint.h>

#include "tbx/detect.h"

#define TBX_DETECT_TC_HANDLE	0x6474	/* "dt" */
#define TBX_DETECT_TC_PRIO	1

struct tbx_profile;
struct tbx_detect;

struct tbx_detect_spec {
	const char *name;		/* [A-Za-z0-9_.-]{1,31} */
	const char *dev;		/* its ingress is watched */
	uint16_t port;			/* 0: every IP datagram */
	uint64_t capacity_bits;
	double high, low;		/* watermarks, fractions of the capacity */
	const struct tbx_profile *profile;	/* the receiver's: its drain */
	const char *profile_name;
};

/* All or nothing: on error nothing is attached or pinned. */
int tbx_detect_open(const struct tbx_detect_spec *spec, struct tbx_detect **out);
/* Detaches, unpins, frees. */
void tbx_detect_close(struct tbx_detect *d);

/* Arrivals from @a count for sender slot @slot (1 .. SENDERS_MAX - 1). */
int tbx_detect_set_sender(struct tbx_detect *d, uint32_t slot, const struct tbx_detect_addr *a);

int tbx_detect_read_state(struct tbx_detect *d, struct tbx_detect_state *st);
int tbx_detect_read_sender(struct tbx_detect *d, uint32_t slot, struct tbx_detect_sender *s);
/* The interval @epoch (ns / BUCKET_NS) if the map still holds it; else
 * -ENOENT (no packet came in it, or it was overwritten).
 */
int tbx_detect_read_interval(struct tbx_detect *d, uint64_t epoch,
			     struct tbx_detect_interval *iv);

/* The ring buffer's fd (poll it) and a call draining it into @fn. */
typedef void (*tbx_detect_event_fn)(const struct tbx_detect_event *ev, void *arg);
int tbx_detect_events_fd(struct tbx_detect *d);
int tbx_detect_events_consume(struct tbx_detect *d, tbx_detect_event_fn fn, void *arg);

const struct tbx_detect_config *tbx_detect_config_of(const struct tbx_detect *d);
const struct tbx_curve *tbx_detect_curve_of(const struct tbx_detect *d);

/* The state's occupancy and need drained from its last_ns to @now. */
void tbx_detect_drain_to(const struct tbx_detect *d, struct tbx_detect_state *st, uint64_t now);
/* Arrivals of a sender in the buckets of epochs [from, to]. */
uint64_t tbx_detect_bits_between(const struct tbx_detect_sender *s, uint64_t from, uint64_t to);

/* "198.18.0.1" or "fd00::1". */
int tbx_detect_addr_parse(const char *s, struct tbx_detect_addr *a);

#endif
