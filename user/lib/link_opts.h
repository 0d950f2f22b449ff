/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The tbx qdisc's options (Documentation/link.md): the words both
 * `tc qdisc ... tbx` (user/tc/q_tbx.c) and `tbx link set` take, their
 * TCA_OPTIONS encoding and its decoding. Every option line tc 6.1 takes
 * for netem is taken with netem's meaning (words matched by prefix in
 * netem's order, numbers as tc reads them), plus tbx's own words. Only
 * the syntax is checked here; ranges are the kernel's to check, so its
 * extack names the bad value.
 */
#ifndef TBX_LINK_OPTS_H
#define TBX_LINK_OPTS_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/netlink.h>
#include <linux/tbx.h>

#include "profile.h"

/* A jitter distribution: a built-in (enum tbx_link_dist) or a table. */
struct tbx_link_dist_opt {
	bool set;
	uint8_t kind;		/* enum tbx_link_dist; TABLE with @table */
	int16_t *table;		/* parsed: a .dist file's values */
	uint32_t size;		/* values in @table (decoded: the kernel's) */
	char name[TBX_LINK_DIST_NAME_MAX];
};

struct tbx_link_slot_opt {
	bool set;
	bool dist_form;		/* "slot distribution NAME DELAY JITTER" */
	int64_t min_delay, max_delay;	/* ns */
	int64_t delay, jitter;		/* ns */
	struct tbx_link_dist_opt dist;
	uint32_t packets, bytes;	/* 0 = unbounded */
};

struct tbx_link_opts {
	bool has_rate;
	uint64_t rate;		/* bit/s */
	bool has_overhead, has_cell_size, has_cell_overhead;
	int32_t overhead, cell_overhead;
	uint32_t cell_size;
	bool has_delay, has_jitter;
	int64_t delay, jitter;	/* ns; negative ones go to the kernel */
	struct tbx_link_dist_opt dist;
	bool has_loss, has_duplicate, has_corrupt, has_reorder;
	uint32_t loss, duplicate, corrupt, reorder;	/* ppm */
	/* Correlations, ppm; has_* when given (0% included). */
	bool has_delay_corr, has_loss_corr, has_duplicate_corr;
	bool has_corrupt_corr, has_reorder_corr;
	uint32_t delay_corr, loss_corr, duplicate_corr, corrupt_corr, reorder_corr;
	enum { TBX_LOSS_NONE, TBX_LOSS_STATE, TBX_LOSS_GEMODEL } loss_model;
	uint32_t state[5];	/* ppm: p13 p31 p32 p23 p14 */
	uint32_t ge[4];		/* ppm: p r 1-h 1-k */
	bool ecn;
	bool has_gap;
	uint32_t gap;
	struct tbx_link_slot_opt slot;
	bool has_seed;
	uint64_t seed;
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
 * Parses words such as "rate 10mbit delay 20ms loss 1%" for the device
 * @dev (a rate in % of its speed needs it; NULL if unknown). Returns 0 or
 * a negative errno with the message naming the word (tbx_errmsg()); the
 * caller frees what was parsed with tbx_link_opts_free().
 */
int tbx_link_opts_parse(int argc, char **argv, const char *dev,
			struct tbx_link_opts *o);
void tbx_link_opts_free(struct tbx_link_opts *o);
/* Appends TCA_OPTIONS with every option given. */
int tbx_link_opts_put(struct nlmsghdr *nlh, const struct tbx_link_opts *o);
/* Decodes a dumped TCA_OPTIONS (struct nlattr) into @o. */
int tbx_link_opts_decode(const struct nlattr *opts, struct tbx_link_opts *o);
/*
 * Writes the options as words that parse back to the same link
 * ("rate 10000000bit delay 20ms ..."), for both front ends' show.
 */
void tbx_link_opts_format(const struct tbx_link_opts *o, char *buf, size_t len);

/* Names and back: "normal" <-> TBX_LINK_DIST_NORMAL; NULL/-1 if unknown. */
const char *tbx_link_dist_name(unsigned int dist);
int tbx_link_dist_parse(const char *s);
/*
 * Reads an iproute2 .dist file (as its maketable writes): "#" lines and
 * blank lines skipped, whitespace-separated integers of -32768..32767.
 * @name is a path when it has a "/", else NAME.dist looked up in
 * $TC_LIB_DIR and iproute2's library directories.
 */
int tbx_link_dist_load(const char *name, struct tbx_link_dist_opt *d);

/* The usage text of the option words, for both front ends. */
extern const char tbx_link_opts_usage[];

#endif
