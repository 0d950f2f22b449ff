/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Packet capture to pcap files through a BPF ring buffer (bpf/capture.bpf.c
 * on tc clsact), for `tbx capture`. The filter expression is tcpdump's,
 * compiled by libpcap and applied in user space (pcap_offline_filter), so
 * every packet crosses the ring. Output rotates like tcpdump -C/-W: a new
 * file after file_mb megabytes, FILE, FILE1, FILE2, ..., and with files > 0
 * a ring that reuses the oldest name. Functions follow err.h.
 */
#ifndef TBX_LIB_CAPTURE_H
#define TBX_LIB_CAPTURE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "tbx/capture.h"

struct tbx_capture_opts {
	const char *ifname;
	const char *path;	/* -w */
	const char *filter;	/* NULL or "": everything */
	uint32_t snaplen;	/* 1..TBX_CAP_SNAP_MAX */
	uint32_t file_mb;	/* -C; 0: one file */
	uint32_t files;		/* -W; 0: no ring */
	uint32_t ring_mb;	/* BPF ring buffer; 0: 8 */
	bool ingress, egress;
};

struct tbx_capture_totals {
	uint64_t seen;		/* by the BPF program */
	uint64_t dropped;	/* ring buffer full */
	uint64_t written;	/* to the files */
	uint64_t filtered;	/* refused by the filter */
};

/* Captures until *stop is set, then detaches and writes what is left. */
int tbx_capture_run(const struct tbx_capture_opts *o, volatile sig_atomic_t *stop,
		    struct tbx_capture_totals *t);

/* Internal: the pcap side (capture_pcap.c, which alone sees libpcap). */
struct cap_writer;
int cap_writer_open(const struct tbx_capture_opts *o, struct cap_writer **w);
int cap_writer_put(struct cap_writer *w, const struct tbx_cap_rec *r, const uint8_t *data);
int cap_writer_close(struct cap_writer *w, uint64_t *written, uint64_t *filtered);

#endif
