/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The writer's state, shared by out.c (intervals, rotation), global.c
 * (the global meta file) and log.c (the log meta file).
 */
#ifndef TBX_CORSARO_OUT_INT_H
#define TBX_CORSARO_OUT_INT_H

#include "corsaro.h"
#include "dos.h"
#include "ft.h"
#include "record.h"
#include "stream.h"

struct cors_out {
	struct cors_out_opts opts;	/* strings below are our copies */
	char *template, *monitor, *trace_uri;
	uint32_t init_time;

	bool started;
	struct cors_interval cur;	/* the open interval's number, start */
	uint32_t next_report;
	uint32_t first_sec, last_sec;
	uint32_t call_sec, call_usec;	/* the last cors_out_time() */
	bool end_needed;		/* Corsaro's interval_end_needed: false
					 * when the last time opened the interval */
	uint64_t packets, accepted, dropped;
	uint64_t seen;			/* cors_out_time() calls, with packet_times */
	uint64_t accepted_base;		/* seen when the last global file closed */

	struct cors_stream *global, *log, *ft_file, *dos_file;
	struct cors_ft *ft;
	struct cors_dos *dos;
	struct cors_buf buf;
	int failed;			/* a write failed: refuse more */
	bool closed;
};

uint32_t cors_out_now(const struct cors_out *o);
/* Opens @plugin's file for the interval starting at @time. */
int cors_out_open_file(struct cors_out *o, const char *plugin, uint32_t time,
		       struct cors_stream **s);
/* Writes o->buf to @s and empties it. */
int cors_out_flush(struct cors_out *o, struct cors_stream *s);

int cors_global_open(struct cors_out *o, uint32_t time);
int cors_global_interval(struct cors_out *o, const struct cors_interval *i, bool start);
/* The trailer with these counts (CORS_UNKNOWN where unknown). */
int cors_global_trailer(struct cors_out *o, uint64_t packets, uint64_t accepted, uint64_t dropped);

int cors_log_open(struct cors_out *o, uint32_t time);
int cors_log(struct cors_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
