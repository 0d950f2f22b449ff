// SPDX-License-Identifier: GPL-2.0-or-later
/* The global meta file: header, interval records, plugin data, trailer. */
#include "ascii.h"
#include "out_int.h"

int cors_global_open(struct cors_out *o, uint32_t time)
{
	struct cors_header h = {
		.major = CORS_VERSION_MAJOR, .mid = CORS_VERSION_MID,
		.init_time = o->init_time, .interval = o->opts.interval,
		.trace_uri = o->trace_uri,
	};
	int err = cors_out_open_file(o, "global", time, &o->global);

	if (err)
		return err;
	if (o->opts.flowtuple)
		h.magic[h.n_plugins++] = CORS_MAGIC_SIXU;
	if (o->opts.dos)
		h.magic[h.n_plugins++] = CORS_MAGIC_EDOS;
	err = o->opts.ascii ? cors_ascii_header(&o->buf, &h) : cors_enc_header(&o->buf, &h);
	return err ?: cors_out_flush(o, o->global);
}

int cors_global_interval(struct cors_out *o, const struct cors_interval *i, bool start)
{
	int err = o->opts.ascii ? cors_ascii_interval(&o->buf, i, start) :
				  cors_enc_interval(&o->buf, i);

	return err ?: cors_out_flush(o, o->global);
}

int cors_global_trailer(struct cors_out *o, uint64_t packets, uint64_t accepted, uint64_t dropped)
{
	uint32_t now = cors_out_now(o);
	struct cors_trailer t = {
		.packets = packets, .accepted = accepted, .dropped = dropped,
		.first_pkt = o->first_sec, .last_pkt = o->last_sec,
		.final_time = now, .runtime = now - o->init_time,
	};
	int err = o->opts.ascii ? cors_ascii_trailer(&o->buf, &t) : cors_enc_trailer(&o->buf, &t);

	return err ?: cors_out_flush(o, o->global);
}
