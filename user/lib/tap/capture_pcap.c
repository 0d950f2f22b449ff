// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The capture's pcap side: the filter (libpcap's compiler, run on each
 * record in user space) and the files (pcap, rotated by size).
 * Kept apart from libbpf: both headers define struct bpf_insn.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "err.h"
#include "tap/capture.h"

struct cap_writer {
	const struct tbx_capture_opts *o;
	pcap_t *dead;
	struct bpf_program prog;
	bool filtering;
	pcap_dumper_t *d;
	unsigned int index;	/* of the open file: FILE, FILE1, ... */
	uint64_t written, filtered;
	uint8_t frame[TBX_CAP_SNAP_MAX + 4];
};

static int open_file(struct cap_writer *w)
{
	char path[4096];

	if (w->index)
		snprintf(path, sizeof(path), "%s%u", w->o->path, w->index);
	else
		snprintf(path, sizeof(path), "%s", w->o->path);
	w->d = pcap_dump_open(w->dead, path);
	if (!w->d)
		return tbx_err(EIO, "capture: %s", pcap_geterr(w->dead));
	return 0;
}

int cap_writer_open(const struct tbx_capture_opts *o, struct cap_writer **out)
{
	struct cap_writer *w = calloc(1, sizeof(*w));
	int err;

	if (!w)
		return tbx_err(ENOMEM, "capture: %s", strerror(ENOMEM));
	w->o = o;
	w->dead = pcap_open_dead(DLT_EN10MB, o->snaplen);
	if (!w->dead) {
		free(w);
		return tbx_err(ENOMEM, "capture: %s", strerror(ENOMEM));
	}
	if (o->filter && *o->filter) {
		if (pcap_compile(w->dead, &w->prog, o->filter, 1, PCAP_NETMASK_UNKNOWN)) {
			err = tbx_err(EINVAL, "capture: filter \"%s\": %s", o->filter,
				      pcap_geterr(w->dead));
			pcap_close(w->dead);
			free(w);
			return err;
		}
		w->filtering = true;
	}
	err = open_file(w);
	if (err) {
		if (w->filtering)
			pcap_freecode(&w->prog);
		pcap_close(w->dead);
		free(w);
		return err;
	}
	*out = w;
	return 0;
}

/* After file_mb megabytes, the next file; with a ring, back to FILE. */
static int rotate(struct cap_writer *w)
{
	long size;

	if (!w->o->file_mb)
		return 0;
	size = pcap_dump_ftell(w->d);
	if (size < 0 || (uint64_t)size < (uint64_t)w->o->file_mb * 1000000)
		return 0;
	pcap_dump_close(w->d);
	w->index++;
	if (w->o->files && w->index >= w->o->files)
		w->index = 0;
	return open_file(w);
}

int cap_writer_put(struct cap_writer *w, const struct tbx_cap_rec *r, const uint8_t *data)
{
	struct pcap_pkthdr h = {
		.ts = { r->ts_ns / 1000000000, r->ts_ns % 1000000000 / 1000 },
		.caplen = r->caplen, .len = r->len,
	};
	const uint8_t *frame = data;
	int err;

	/* Put back the tag the stack moved out of the frame, as libpcap
	 * does from the packet socket's metadata. */
	if (r->vlan_proto && r->caplen >= 12) {
		memcpy(w->frame, data, 12);
		/* vlan_proto holds the network-order value */
		w->frame[12] = ((const uint8_t *)&r->vlan_proto)[0];
		w->frame[13] = ((const uint8_t *)&r->vlan_proto)[1];
		w->frame[14] = r->vlan_tci >> 8;
		w->frame[15] = r->vlan_tci;
		memcpy(w->frame + 16, data + 12, r->caplen - 12);
		frame = w->frame;
		h.caplen += 4;
		h.len += 4;
	}
	if (h.caplen > w->o->snaplen)
		h.caplen = w->o->snaplen;
	if (w->filtering && !pcap_offline_filter(&w->prog, &h, frame)) {
		w->filtered++;
		return 0;
	}
	err = rotate(w);
	if (err)
		return err;
	pcap_dump((u_char *)w->d, &h, frame);
	w->written++;
	return 0;
}

int cap_writer_close(struct cap_writer *w, uint64_t *written, uint64_t *filtered)
{
	int err = 0;

	if (pcap_dump_flush(w->d))
		err = tbx_err(EIO, "capture: write %s: %s", w->o->path, strerror(errno));
	pcap_dump_close(w->d);
	if (w->filtering)
		pcap_freecode(&w->prog);
	pcap_close(w->dead);
	*written = w->written;
	*filtered = w->filtered;
	free(w);
	return err;
}
