// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The tap offline: a pcap file through the same parser and the same
 * interval rule as bpf/tap.bpf.c, aggregated per interval in user space.
 *
 * The file is read twice: a first pass checks every record, so a corrupt
 * or truncated file fails (naming the offset) before any output exists.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "err.h"
#include "tap/tap.h"
#include "tbx/flowtuple_parse.h"

struct offline {
	const char *path;
	pcap_t *p;
	int linktype;
};

static int open_pcap(struct offline *o)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";

	o->p = pcap_open_offline_with_tstamp_precision(o->path, PCAP_TSTAMP_PRECISION_MICRO,
						       errbuf);
	if (!o->p) {
		const char *msg = errbuf;
		size_t n = strlen(o->path);

		/* libpcap names the file itself when it cannot open it */
		if (!strncmp(msg, o->path, n) && !strncmp(msg + n, ": ", 2))
			msg += n + 2;
		return tbx_err(EINVAL, "tap: %s: %s", o->path, msg);
	}
	o->linktype = pcap_datalink(o->p);
	switch (o->linktype) {
	case DLT_EN10MB:
	case DLT_RAW:
	case DLT_IPV4:
		return 0;
	default:
		pcap_close(o->p);
		o->p = NULL;
		return tbx_err(EINVAL, "tap: %s: link type %s is not supported "
			       "(Ethernet or raw IP only)", o->path,
			       pcap_datalink_val_to_name(o->linktype) ?: "unknown");
	}
}

/*
 * Where record @index starts: reading it again up to there (ftell per
 * record would cost a system call per packet on the good path).
 */
static long record_offset(const char *path, unsigned long long index)
{
	struct offline o = { .path = path };
	struct pcap_pkthdr *h;
	const u_char *data;
	long offset = -1;
	FILE *f;

	if (open_pcap(&o))
		return -1;
	for (unsigned long long i = 0; i < index; i++)
		if (pcap_next_ex(o.p, &h, &data) != 1)
			goto out;
	f = pcap_file(o.p);
	offset = f ? ftell(f) : -1;
out:
	pcap_close(o.p);
	return offset;
}

static int record_error(struct offline *o, unsigned long long index, const char *what)
{
	return tbx_err(EINVAL, "tap: %s: offset %ld (packet %llu): %s", o->path,
		       record_offset(o->path, index), index, what);
}

static int check_all(struct offline *o)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	unsigned long long index = 0;
	int ret;

	while ((ret = pcap_next_ex(o->p, &h, &data)) == 1) {
		if (h->caplen > h->len) {
			char what[128];

			snprintf(what, sizeof(what), "captured length %u exceeds the "
				 "packet's length %u", h->caplen, h->len);
			return record_error(o, index, what);
		}
		index++;
	}
	if (ret != PCAP_ERROR_BREAK) {
		char what[PCAP_ERRBUF_SIZE];

		snprintf(what, sizeof(what), "%s", pcap_geterr(o->p));
		return record_error(o, index, what);
	}
	return 0;
}

/* The Corsaro interval rule (reference/corsaro.md), as in the BPF. */
struct intervals {
	uint32_t len;
	bool align;
	bool started;
	uint64_t base;		/* first interval's start, aligned */
	uint32_t cur;		/* the open interval */
};

static uint32_t interval_of(struct intervals *iv, uint32_t sec)
{
	uint32_t n;

	if (!iv->started) {
		iv->started = true;
		iv->base = iv->align ? sec - sec % iv->len : sec;
		iv->cur = 0;
	}
	n = sec < iv->base ? 0 : (sec - iv->base) / iv->len;
	/* Time going backwards stays in the open interval, as in Corsaro. */
	return n < iv->cur ? iv->cur : n;
}

static int flush(struct tbx_tap_table *tb, uint32_t interval,
		 const struct tbx_tap_sink *sink)
{
	const struct cors_tuple *t;
	size_t n;
	int err;

	t = tbx_tap_table_tuples(tb, &n);
	err = sink->tuples(sink->arg, interval, t, n);
	tbx_tap_table_reset(tb);
	return err;
}

/*
 * libtrace reads every record into one packet buffer, and the flowtuple
 * plugin's TCP test reads the flags byte even when the capture ends
 * before it (tbx/flowtuple_parse.h): it finds what an earlier, longer
 * record left there. The offline path keeps the same buffer: frames are
 * copied into it and parsed there, with @tail at its end. (It holds
 * 64 KiB less libtrace's 16-byte record header; libtrace refuses longer
 * records, tbx parses those where they are.)
 */
#define LT_BUFSIZE	(65536 - 16)

struct lt_buffer {
	uint8_t b[LT_BUFSIZE];
};

static int one_packet(const struct offline *o, const struct pcap_pkthdr *h,
		      const u_char *data, struct lt_buffer *lt, struct tbx_tap_table *tb,
		      const struct tbx_tap_sink *sink, struct tbx_tap_totals *t)
{
	const __u8 *frame = data, *tail = data + h->caplen;
	enum tbx_ft_link link = o->linktype == DLT_EN10MB ? TBX_FT_LINK_ETH : TBX_FT_LINK_RAW;
	struct tbx_ft_parsed p;
	int err;

	if (h->caplen <= sizeof(lt->b)) {
		memcpy(lt->b, data, h->caplen);
		frame = lt->b;
		tail = lt->b + sizeof(lt->b);
	}
	switch (tbx_ft_parse_frame(frame, frame + h->caplen, tail, link, &p)) {
	case TBX_FT_L3_IPV6:
		t->ipv6++;
		return 0;
	case TBX_FT_L3_OTHER:
		t->other++;
		return 0;
	case TBX_FT_L3_IPV4:
		break;
	}
	t->ipv4++;
	err = tbx_tap_table_add(tb, &p.key, 1);
	if (!err && p.key.cls == TBX_FT_BACKSCATTER && sink->packet)
		err = sink->packet(sink->arg, h->ts.tv_sec, h->ts.tv_usec, frame, h->caplen, &p);
	return err;
}

static int process(struct offline *o, const struct tbx_tap_pcap_opts *opts,
		   const struct tbx_tap_sink *sink, struct tbx_tap_totals *t)
{
	struct intervals iv = { .len = opts->interval, .align = opts->align };
	struct tbx_tap_table *tb = tbx_tap_table_new();
	struct lt_buffer *lt = calloc(1, sizeof(*lt));	/* fresh: zero, as libtrace's */
	struct pcap_pkthdr *h;
	const u_char *data;
	int ret, err = 0;

	if (!tb || !lt) {
		tbx_tap_table_free(tb);
		free(lt);
		return tbx_err(ENOMEM, "tap: %s", strerror(ENOMEM));
	}
	while (!err && (ret = pcap_next_ex(o->p, &h, &data)) == 1) {
		uint32_t sec = h->ts.tv_sec, n = interval_of(&iv, sec);
		uint64_t ns = (uint64_t)sec * 1000000000 + h->ts.tv_usec * 1000ULL;

		/* The closing interval's tuples go before the time that closes it. */
		if (n > iv.cur) {
			err = flush(tb, iv.cur, sink);
			iv.cur = n;
			if (err)
				break;
		}
		t->packets++;
		if (!t->first_ns)
			t->first_ns = ns;
		if (ns > t->last_ns)
			t->last_ns = ns;
		err = sink->time(sink->arg, sec, h->ts.tv_usec);
		if (!err)
			err = one_packet(o, h, data, lt, tb, sink, t);
	}
	if (!err && ret != PCAP_ERROR_BREAK)	/* checked already: changed under us */
		err = tbx_err(EINVAL, "tap: %s: changed while read: %s", o->path,
			      pcap_geterr(o->p));
	if (!err && iv.started)
		err = flush(tb, iv.cur, sink);
	tbx_tap_table_free(tb);
	free(lt);
	return err;
}

int tbx_tap_pcap(const char *path, const struct tbx_tap_pcap_opts *opts,
		 const struct tbx_tap_sink *sink, struct tbx_tap_totals *t)
{
	struct offline o = { .path = path };
	int err;

	memset(t, 0, sizeof(*t));
	if (!opts->interval || opts->interval > UINT16_MAX)
		return tbx_err(EINVAL, "tap: interval %u out of range 1..65535", opts->interval);
	err = open_pcap(&o);
	if (err)
		return err;
	err = check_all(&o);
	pcap_close(o.p);
	if (err)
		return err;
	err = open_pcap(&o);
	if (err)
		return err;
	err = process(&o, opts, sink, t);
	pcap_close(o.p);
	return err;
}
