/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Inside the live tap: what session.c, attach.c and drain.c share. */
#ifndef TBX_LIB_TAP_SESSION_H
#define TBX_LIB_TAP_SESSION_H

#include <limits.h>

#include "tap/tap.h"

struct tap_bpf;

struct tbx_tap {
	struct tap_bpf *skel;
	char dir[PATH_MAX - 16];	/* the pin directory */
	char ifname[32];
	struct tbx_tap_state st;
	int counts_fd, stats_fd, epoch_fd, state_fd;
	int xdp_fd;		/* the XDP program, for a detach that must match it */
	bool attached;
	uint32_t done_below;	/* intervals below this were handed over */
	bool handed_any;
	int ncpus;
	struct ring_buffer *rb;		/* backscatter packets, with dos */
	struct tbx_tap_pkt **pending;	/* read from it, not yet handed over */
	size_t npending, cappending;
	int rb_err;
};

/* Pin names in a session's directory. */
#define TAP_PIN_COUNTS	"counts"
#define TAP_PIN_STATS	"stats"
#define TAP_PIN_EPOCH	"epoch"
#define TAP_PIN_STATE	"state"
#define TAP_PIN_TC	"tc"
#define TAP_PIN_XDP	"xdp"

int tap_attach(struct tbx_tap *tap);
int tap_detach(struct tbx_tap *tap);

/* Sums a stats map (per-CPU) and reads the epoch, into @t. */
int tap_read_totals(int stats_fd, int epoch_fd, int ncpus, struct tbx_tap_totals *t);
int tap_write_state(struct tbx_tap *tap);
/* The packet ring's callback (drain.c). */
int tap_on_packet(void *ctx, void *data, size_t size);

#endif
