// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The capture's kernel side: load bpf/capture.bpf.c, put it on the
 * device's clsact hooks, read its ring buffer into the pcap writer until
 * told to stop, then take it off again (and clsact, when it created it and
 * nothing else is left there).
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpf/capture.skel.h"
#include "clsact.h"
#include "err.h"
#include "tap/capture.h"
#include "tap/session.h"

#define CAP_TC_HANDLE	0x7463	/* "tc" */
#define CAP_TC_PRIO	1

struct cap_run {
	struct cap_writer *w;
	int err;
};

static int on_record(void *ctx, void *data, size_t size)
{
	const struct tbx_cap_rec *r = data;
	struct cap_run *run = ctx;

	if (run->err || size < sizeof(*r) || size < sizeof(*r) + r->caplen)
		return 0;
	run->err = cap_writer_put(run->w, r, (const uint8_t *)(r + 1));
	return 0;
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

static __u64 clock_offset(void)
{
	struct timespec m, r;

	clock_gettime(CLOCK_MONOTONIC, &m);
	clock_gettime(CLOCK_REALTIME, &r);
	return ((__u64)r.tv_sec - m.tv_sec) * 1000000000 + r.tv_nsec - m.tv_nsec;
}

struct hooks {
	int ifindex;
	bool created;
	bool on[2];
};

static void detach(struct hooks *h)
{
	libbpf_print_fn_t print = libbpf_set_print(quiet);

	for (int d = 0; d < 2; d++) {
		DECLARE_LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = h->ifindex,
				    .attach_point = d ? BPF_TC_EGRESS : BPF_TC_INGRESS);
		DECLARE_LIBBPF_OPTS(bpf_tc_opts, o, .handle = CAP_TC_HANDLE,
				    .priority = CAP_TC_PRIO);

		if (h->on[d])
			bpf_tc_detach(&hook, &o);
		h->on[d] = false;
	}
	if (h->created)
		tbx_clsact_release("capture", h->ifindex);
	libbpf_set_print(print);
}

static int attach(struct capture_bpf *skel, const struct tbx_capture_opts *o,
		  struct hooks *h)
{
	DECLARE_LIBBPF_OPTS(bpf_tc_hook, both, .ifindex = h->ifindex,
			    .attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS);
	libbpf_print_fn_t print = libbpf_set_print(quiet);
	int err = bpf_tc_hook_create(&both);

	h->created = !err;
	if (err && err != -EEXIST) {
		err = tbx_err(err, "capture: create clsact on %s: %s", o->ifname, strerror(-err));
		goto out;
	}
	err = 0;
	for (int d = 0; d < 2 && !err; d++) {
		DECLARE_LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = h->ifindex,
				    .attach_point = d ? BPF_TC_EGRESS : BPF_TC_INGRESS);
		DECLARE_LIBBPF_OPTS(bpf_tc_opts, to, .handle = CAP_TC_HANDLE,
				    .priority = CAP_TC_PRIO);

		if (!(d ? o->egress : o->ingress))
			continue;
		to.prog_fd = bpf_program__fd(d ? skel->progs.capture_out : skel->progs.capture_in);
		err = bpf_tc_attach(&hook, &to);
		if (err == -EEXIST)
			err = tbx_err(err, "capture: %s %s already has a capture running",
				      o->ifname, d ? "egress" : "ingress");
		else if (err)
			err = tbx_err(err, "capture: attach to %s: %s", o->ifname, strerror(-err));
		else
			h->on[d] = true;
	}
out:
	libbpf_set_print(print);
	if (err)
		detach(h);
	return err;
}

static int read_stats(struct capture_bpf *skel, struct tbx_capture_totals *t)
{
	int ncpus = libbpf_num_possible_cpus();
	struct tbx_cap_stats *v;
	__u32 key = 0;

	if (ncpus <= 0)
		return tbx_err(EINVAL, "capture: cannot count CPUs");
	v = calloc(ncpus, sizeof(*v));
	if (!v)
		return tbx_err(ENOMEM, "capture: %s", strerror(ENOMEM));
	if (bpf_map__lookup_elem(skel->maps.cap_stats, &key, sizeof(key), v,
				 ncpus * sizeof(*v), 0)) {
		free(v);
		return tbx_err(errno, "capture: read counters: %s", strerror(errno));
	}
	for (int c = 0; c < ncpus; c++) {
		t->seen += v[c].packets;
		t->dropped += v[c].dropped;
	}
	free(v);
	return 0;
}

static int check(const struct tbx_capture_opts *o, struct hooks *h)
{
	uint32_t ring = o->ring_mb ? o->ring_mb : 8;

	if (!o->snaplen || o->snaplen > TBX_CAP_SNAP_MAX)
		return tbx_err(EINVAL, "capture: snap length %u out of range 1..%u",
			       o->snaplen, TBX_CAP_SNAP_MAX);
	if (ring > 1024 || (ring & (ring - 1)))
		return tbx_err(EINVAL, "capture: ring of %u MB: a power of two up to 1024",
			       ring);
	if (!o->ingress && !o->egress)
		return tbx_err(EINVAL, "capture: no direction to capture");
	h->ifindex = if_nametoindex(o->ifname);
	if (!h->ifindex)
		return tbx_err(ENODEV, "capture: no such device: %s", o->ifname);
	return 0;
}

int tbx_capture_run(const struct tbx_capture_opts *o, volatile sig_atomic_t *stop,
		    struct tbx_capture_totals *t)
{
	struct cap_run run = { 0 };
	struct hooks h = { 0 };
	struct capture_bpf *skel;
	struct ring_buffer *rb = NULL;
	uint64_t written = 0, filtered = 0;
	int err;

	memset(t, 0, sizeof(*t));
	err = check(o, &h);
	if (err)
		return err;
	/* The filter and the file first: a bad one changes nothing. */
	err = cap_writer_open(o, &run.w);
	if (err)
		return err;
	skel = capture_bpf__open();
	if (!skel) {
		err = tbx_err(errno, "capture: open BPF object: %s", strerror(errno));
		goto out_writer;
	}
	skel->rodata->clock_offset_ns = clock_offset();
	skel->rodata->snaplen = o->snaplen;
	bpf_map__set_max_entries(skel->maps.cap_ring, (o->ring_mb ? o->ring_mb : 8) << 20);
	err = capture_bpf__load(skel);
	if (err) {
		err = tbx_err(err, "capture: load BPF program: %s", strerror(-err));
		goto out_skel;
	}
	rb = ring_buffer__new(bpf_map__fd(skel->maps.cap_ring), on_record, &run, NULL);
	if (!rb) {
		err = tbx_err(errno, "capture: ring buffer: %s", strerror(errno));
		goto out_skel;
	}
	err = attach(skel, o, &h);
	if (err)
		goto out_skel;
	while (!*stop && !run.err) {
		int n = ring_buffer__poll(rb, 200);

		if (n < 0 && n != -EINTR) {
			err = tbx_err(n, "capture: read ring buffer: %s", strerror(-n));
			break;
		}
	}
	detach(&h);
	if (!err) {
		/* programs still running finish within microseconds */
		struct timespec grace = { 0, 50 * 1000000L };

		nanosleep(&grace, NULL);
		ring_buffer__consume(rb);	/* what came before the detach */
	}
	if (!err)
		err = run.err;
	if (!err)
		err = read_stats(skel, t);
out_skel:
	ring_buffer__free(rb);
	capture_bpf__destroy(skel);
out_writer:
	if (cap_writer_close(run.w, &written, &filtered) && !err)
		err = -EIO;
	t->written = written;
	t->filtered = filtered;
	return err;
}
