// SPDX-License-Identifier: GPL-2.0-or-later
/* The tap's sink into the Corsaro writer. */
#include "tap/tap.h"

static int cors_time(void *arg, uint32_t sec, uint32_t usec)
{
	return cors_out_time(arg, sec, usec);
}

static int cors_packet(void *arg, uint32_t sec, uint32_t usec, const void *frame,
		       size_t caplen, const struct tbx_ft_parsed *p)
{
	return cors_out_packet(arg, sec, usec, frame, caplen, p);
}

/* The writer knows the interval: time() moved it there. */
static int cors_tuples(void *arg, uint32_t interval, const struct cors_tuple *t, size_t n)
{
	return n ? cors_out_tuples(arg, t, n) : 0;
}

void tbx_tap_cors_sink(struct cors_out *o, struct tbx_tap_sink *sink)
{
	sink->time = cors_time;
	sink->packet = cors_packet;
	sink->tuples = cors_tuples;
	sink->arg = o;
}
