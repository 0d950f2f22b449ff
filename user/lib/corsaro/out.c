// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The Corsaro writer: interval boundaries (with gap intervals), the files
 * each interval goes to, rotation (-r, -R) and the trailer.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ascii.h"
#include "err.h"
#include "out_int.h"
#include "template.h"

uint32_t cors_out_now(const struct cors_out *o)
{
	return o->opts.fixed_clock ? o->opts.fixed_clock : (uint32_t)time(NULL);
}

int cors_out_new(const struct cors_out_opts *opts, struct cors_out **out)
{
	struct cors_out *o;
	char host[HOST_NAME_MAX + 1] = "";
	int err;

	*out = NULL;
	err = cors_template_check(opts->template);
	if (err)
		return err;
	if (!opts->interval)
		return tbx_err(EINVAL, "interval length must be at least 1 s");
	if (!opts->flowtuple && !opts->dos)
		return tbx_err(EINVAL, "no plugin enabled: choose flowtuple, dos or both");
	if (!opts->monitor && gethostname(host, sizeof(host) - 1))
		return tbx_err(errno, "cannot read the host name for %%N");
	o = calloc(1, sizeof(*o));
	if (!o)
		return tbx_err(ENOMEM, "out of memory");
	o->opts = *opts;
	o->template = strdup(opts->template);
	o->monitor = strdup(opts->monitor ? opts->monitor : host);
	o->trace_uri = opts->trace_uri ? strdup(opts->trace_uri) : NULL;
	if (!o->template || !o->monitor || (opts->trace_uri && !o->trace_uri)) {
		cors_out_free(o);
		return tbx_err(ENOMEM, "out of memory");
	}
	if (opts->trace_uri && strlen(opts->trace_uri) > UINT16_MAX) {
		cors_out_free(o);
		return tbx_err(EINVAL, "trace URI longer than %u bytes", UINT16_MAX);
	}
	o->accepted = o->dropped = CORS_UNKNOWN;
	o->init_time = cors_out_now(o);
	err = (opts->flowtuple ? cors_ft_new(&o->ft) : 0) ?:
	      (opts->dos ? cors_dos_new(&o->dos) : 0);
	if (err) {
		cors_out_free(o);
		return err;
	}
	*out = o;
	return 0;
}

int cors_out_open_file(struct cors_out *o, const char *plugin, uint32_t time,
		       struct cors_stream **s)
{
	char name[PATH_MAX];

	return cors_template_name(o->template, plugin, o->monitor, time, name, sizeof(name)) ?:
	       cors_stream_open(name, s);
}

int cors_out_flush(struct cors_out *o, struct cors_stream *s)
{
	int err = cors_stream_write(s, o->buf.p, o->buf.len);

	o->buf.len = 0;
	if (err)
		o->failed = 1;
	return err;
}

static bool rotate_due(unsigned int every, uint16_t number)
{
	return every && (number + 1u) % every == 0;
}

/* Opens the interval's files; its records are written when it ends, as
 * Corsaro writes them (so an interval never ended leaves none). */
static int start_interval(struct cors_out *o, uint32_t time)
{
	int err = 0;

	o->cur.time = time;
	if (!o->global)
		err = cors_global_open(o, time) ?: cors_log_open(o, time);
	if (!err && o->opts.flowtuple && !o->ft_file)
		err = cors_out_open_file(o, "flowtuple", time, &o->ft_file);
	if (!err && o->opts.dos && !o->dos_file)
		err = cors_out_open_file(o, "dos", time, &o->dos_file);
	if (err)
		return err;
	if (o->dos)
		cors_dos_start_interval(o->dos, time);
	return 0;
}

static int close_file(struct cors_out *o, struct cors_stream **s)
{
	int err = cors_stream_close(*s);

	*s = NULL;
	if (err)
		o->failed = 1;
	return err;
}

static int end_interval(struct cors_out *o, uint32_t end_time, bool final)
{
	struct cors_interval end = { o->cur.number, end_time };
	bool ascii = o->opts.ascii, dumped = false;
	struct cors_buf dosbuf = { 0 };
	size_t ft_counts[TBX_FT_CLASS_MAX] = { 0 };
	int err = cors_global_interval(o, &o->cur, true);

	if (!err && o->ft) {
		for (unsigned int c = 0; c < TBX_FT_CLASS_MAX; c++)
			ft_counts[c] = cors_ft_count(o->ft, c);
		err = (ascii ? cors_ascii_interval(&o->buf, &o->cur, true) :
			       cors_enc_interval(&o->buf, &o->cur)) ?:
		      cors_ft_emit(o->ft, &o->buf, ascii) ?:
		      (ascii ? cors_ascii_interval(&o->buf, &end, false) :
			       cors_enc_interval(&o->buf, &end)) ?:
		      cors_out_flush(o, o->ft_file);
	}
	if (!err && o->dos) {
		/* the global block lands in o->buf, between the global
		 * file's interval records; the dump goes to the dos file
		 */
		err = cors_dos_end_interval(o->dos, &o->cur, &end, ascii, &o->buf, &dosbuf,
					    &dumped) ?:
		      cors_out_flush(o, o->global);
		if (!err && dosbuf.len)
			err = cors_stream_write(o->dos_file, dosbuf.p, dosbuf.len);
		cors_buf_free(&dosbuf);
	}
	err = err ?: cors_global_interval(o, &end, false);
	if (!err && o->ft)
		err = cors_log(o, "interval %u [%u, %u]: flowtuples %zu backscatter, %zu icmpreq, %zu other",
			       end.number, o->cur.time, end.time, ft_counts[0], ft_counts[1],
			       ft_counts[2]);
	if (!err && dumped) {
		struct cors_dos_global g;

		cors_dos_last(o->dos, &g);
		err = cors_log(o, "interval %u: dos dump: %u attack vectors, %u non-attack, %u mismatched",
			       end.number, g.attacks, g.non_attacks, g.mismatch);
	}
	if (!err && !final && rotate_due(o->opts.rotate, end.number)) {
		err = cors_log(o, "rotating plugin files after interval %u", end.number);
		if (o->ft_file)
			err = close_file(o, &o->ft_file) ?: err;
		/* Corsaro's dos plugin only rotates on an interval it dumps in */
		if (o->dos_file && dumped)
			err = close_file(o, &o->dos_file) ?: err;
	}
	if (!err && !final && rotate_due(o->opts.rotate_meta, end.number)) {
		/*
		 * Corsaro ends a global file it rotates with a trailer: the
		 * packets before the one whose time ended the interval, and
		 * (libtrace's accepted count) those since the last rotation,
		 * that one included. Counting needs a time per packet.
		 */
		if (o->opts.packet_times)
			err = cors_global_trailer(o, o->seen - 1, o->seen - o->accepted_base,
						  CORS_UNKNOWN);
		o->accepted_base = o->seen;
		err = err ?: cors_log(o, "rotating meta files after interval %u", end.number) ?:
		      close_file(o, &o->global);
		err = close_file(o, &o->log) ?: err;
	}
	if (err)
		o->failed = 1;
	return err;
}

int cors_out_time(struct cors_out *o, uint32_t sec, uint32_t usec)
{
	uint32_t len = o->opts.interval;
	int err;

	if (o->closed)
		return tbx_err(EINVAL, "Corsaro output already closed");
	if (o->failed)
		return tbx_err(EIO, "Corsaro output failed earlier");
	o->call_sec = sec;
	o->call_usec = usec;
	o->end_needed = true;
	if (o->opts.packet_times)
		o->seen++;
	if (!o->started) {
		/* interval 0 starts at the first packet's second; -a aligns
		 * its end (Corsaro's next_report), not its start */
		o->started = true;
		o->first_sec = sec;
		o->last_sec = sec;
		o->next_report = (uint64_t)sec + len;
		if (o->opts.align)
			o->next_report -= o->next_report % len;
		err = start_interval(o, sec);
		if (err)
			o->failed = 1;
		return err;
	}
	/* the latest packet, for a trailer written on the way (as Corsaro's
	 * last_ts, set before the intervals end) */
	o->last_sec = sec;
	/* every interval boundary passed ends one interval, gaps included */
	while ((uint64_t)sec >= o->next_report) {
		err = end_interval(o, o->next_report - 1, false);
		if (err)
			return err;
		o->end_needed = false;
		o->cur.number++;
		err = start_interval(o, o->next_report);
		if (err) {
			o->failed = 1;
			return err;
		}
		o->next_report += len;
	}
	return 0;
}

int cors_out_packet(struct cors_out *o, uint32_t sec, uint32_t usec,
		    const void *frame, size_t caplen, const struct tbx_ft_parsed *p)
{
	int err = 0;

	/* the caller's cors_out_time() for this packet counts once */
	if (!o->started || sec != o->call_sec || usec != o->call_usec)
		err = cors_out_time(o, sec, usec);
	/* Corsaro's dos plugin takes backscatter as the flowtuple plugin
	 * marked it: without that plugin, it sees none */
	if (err || !o->dos || !o->opts.flowtuple)
		return err;
	return cors_dos_packet(o->dos, sec, usec, frame, caplen, p);
}

/*
 * A key's class must be one Corsaro could give a packet with its fields
 * (tbx/flowtuple_parse.h). The class comes from bytes the key may not
 * keep, so only what the fields settle is checked: TCP flags in the key
 * mean a whole header, classed by them, and an ICMP type in the key
 * (type or code not 0) classes it; TCP without flags and ICMP without
 * type were cut short. 6in4 is classed by what it carries; any other
 * protocol is "other".
 */
static bool class_fits(const struct tbx_ft_key *k)
{
	switch (k->protocol) {
	case IPPROTO_TCP:
		return k->tcp_flags ? k->cls == cors_ft_classify(k) : k->cls != TBX_FT_ICMPREQ;
	case IPPROTO_ICMP:
		return k->src_port || k->dst_port ? k->cls == cors_ft_classify(k) : true;
	case IPPROTO_IPV6:
		return true;
	default:
		return k->cls == TBX_FT_OTHER;
	}
}

int cors_out_tuples(struct cors_out *o, const struct cors_tuple *t, size_t n)
{
	if (o->closed)
		return tbx_err(EINVAL, "Corsaro output already closed");
	if (o->failed)
		return tbx_err(EIO, "Corsaro output failed earlier");
	if (!o->started)
		return tbx_err(EINVAL, "flowtuples before any time: call cors_out_time() first");
	if (!o->ft)
		return 0;
	for (size_t i = 0; i < n; i++) {
		int err;

		if (t[i].key.cls >= TBX_FT_CLASS_MAX || !class_fits(&t[i].key))
			return tbx_err(EINVAL, "flowtuple %zu: class %u does not fit protocol %u, port %u, flags 0x%02x",
				       i, t[i].key.cls, t[i].key.protocol,
				       ntohs(t[i].key.src_port), t[i].key.tcp_flags);
		err = cors_ft_add(o->ft, &t[i]);
		if (err)
			return err;
	}
	return 0;
}

void cors_out_counts(struct cors_out *o, uint64_t packets, uint64_t accepted, uint64_t dropped)
{
	o->packets = packets;
	o->accepted = accepted;
	o->dropped = dropped;
}

int cors_out_close(struct cors_out *o)
{
	int err = 0;

	if (o->closed)
		return tbx_err(EINVAL, "Corsaro output already closed");
	if (o->failed)
		err = tbx_err(EIO, "Corsaro output failed earlier");
	else if (o->started) {
		/*
		 * As Corsaro: the last interval ends at the last time given,
		 * even one before its start (time went back), and when that
		 * time opened the interval, no one ends it: its records,
		 * tuples and dos dump are not written.
		 */
		if (o->end_needed)
			err = end_interval(o, o->last_sec, true);
		else
			err = cors_log(o, "interval %u: not written: the last packet opened it "
				       "(as Corsaro)", o->cur.number);
		if (!err && o->global)
			err = cors_global_trailer(o, o->packets, o->accepted == CORS_UNKNOWN ||
						  !o->opts.packet_times ? o->accepted :
						  o->accepted - o->accepted_base, o->dropped) ?:
			      cors_log(o, "end: %" PRIu64 " packets, first %u, last %u",
				       o->packets, o->first_sec, o->last_sec);
	}
	o->started = false;
	o->closed = true;
	if (o->ft_file)
		err = close_file(o, &o->ft_file) ?: err;
	if (o->dos_file)
		err = close_file(o, &o->dos_file) ?: err;
	if (o->global)
		err = close_file(o, &o->global) ?: err;
	if (o->log)
		err = close_file(o, &o->log) ?: err;
	return err;
}

void cors_out_free(struct cors_out *o)
{
	if (!o)
		return;
	cors_stream_close(o->ft_file);
	cors_stream_close(o->dos_file);
	cors_stream_close(o->global);
	cors_stream_close(o->log);
	cors_ft_free(o->ft);
	cors_dos_free(o->dos);
	cors_buf_free(&o->buf);
	free(o->template);
	free(o->monitor);
	free(o->trace_uri);
	free(o);
}
