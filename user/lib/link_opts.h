/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The tbx qdisc's options (Documentation/link.md): the words both
 * `tc qdisc ... tbx` (user/tc/q_tbx.c) and `tbx link set` take, their
 * TCA_OPTIONS encoding and its decoding. Only the syntax is checked here;
 * ranges are the kernel's to check, so its extack names the bad value.
 */
#ifndef TBX_LINK_OPTS_H
#define TBX_LINK_OPTS_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/netlink.h>
#include <linux/tbx.h>

#include "profile.h"

struct tbx_link_opts {
	bool has_rate;
	uint64_t rate;		/* bit/s */
	bool has_overhead;
	int32_t overhead;
	bool has_delay, has_jitter;
	int64_t delay, jitter;	/* ns; negative ones go to the kernel */
	bool has_dist;
	uint8_t dist;
	bool has_loss, has_duplicate, has_corrupt;
	uint32_t loss, duplicate, corrupt;	/* ppm */
	bool has_limit;
	uint32_t limit;		/* packets */
	bool has_buffer;
	uint64_t buffer;	/* bytes */
	bool has_interval;
	uint64_t interval;	/* ns */
	bool has_profile;
	struct tbx_profile profile;	/* rows' loss: the loss option */
	uint64_t profile_period;	/* decoded: ns */
	uint32_t profile_count;		/* decoded: segments */
};

/*
 * Parses words such as "rate 10mbit delay 20ms loss 1%". Returns 0 or a
 * negative errno with the message naming the word (tbx_errmsg()); with a
 * profile, the caller frees it with tbx_link_opts_free().
 */
int tbx_link_opts_parse(int argc, char **argv, struct tbx_link_opts *o);
void tbx_link_opts_free(struct tbx_link_opts *o);
/* Appends TCA_OPTIONS with every option given. */
int tbx_link_opts_put(struct nlmsghdr *nlh, const struct tbx_link_opts *o);
/* Decodes a dumped TCA_OPTIONS (struct nlattr) into @o. */
int tbx_link_opts_decode(const struct nlattr *opts, struct tbx_link_opts *o);

/* Names and back: "normal" <-> TBX_LINK_DIST_NORMAL; NULL/-1 if unknown. */
const char *tbx_link_dist_name(unsigned int dist);
int tbx_link_dist_parse(const char *s);

/* The usage text of the option words, for both front ends. */
extern const char tbx_link_opts_usage[];

#endif
