// SPDX-License-Identifier: GPL-2.0-or-later
/* The tbx qdisc's option words and their TCA_OPTIONS (link_opts.h). */
#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>

#include "err.h"
#include "link_opts.h"
#include "parse.h"

const char tbx_link_opts_usage[] =
	"[ limit PACKETS ] [ delay TIME [ JITTER [ CORRELATION ] ] ]\n"
	"[ jitter TIME [ CORRELATION ] ] [ distribution {uniform|normal|pareto|paretonormal|NAME|FILE} ]\n"
	"[ loss [ random ] PERCENT [ CORRELATION ] ] [ loss state P13 [ P31 [ P32 [ P23 [ P14 ] ] ] ] ]\n"
	"[ loss gemodel PERCENT [ R [ 1-H [ 1-K ] ] ] ] [ ecn ]\n"
	"[ duplicate PERCENT [ CORRELATION ] ] [ corrupt PERCENT [ CORRELATION ] ]\n"
	"[ reorder PERCENT [ CORRELATION ] [ gap DISTANCE ] ]\n"
	"[ rate RATE [ PACKETOVERHEAD [ CELLSIZE [ CELLOVERHEAD ] ] ] ]\n"
	"[ overhead BYTES ] [ cellsize BYTES ] [ celloverhead BYTES ]\n"
	"[ slot MIN_DELAY [ MAX_DELAY ] [ packets N ] [ bytes SIZE ] ]\n"
	"[ slot distribution NAME DELAY JITTER [ packets N ] [ bytes SIZE ] ]\n"
	"[ seed NUMBER ] [ buffer SIZE | limit SIZE ] [ interval TIME ] [ profile FILE ]\n"
	"netem's words and numbers, read as tc reads them for netem (words may be\n"
	"shortened as tc allows); RATE: NUMBER[bit|kbit|mbit|gbit|Bps|...] or PERCENT\n"
	"of the device's speed; TIME: NUMBER{s|ms|us|ns} (bare: us; slot: ns);\n"
	"PERCENT: NUMBER[%]; SIZE: NUMBER{bit|kbit|mbit} or NUMBER{B|K|KB|M|MB|...}";

static const char *const dist_names[] = {
	[TBX_LINK_DIST_UNIFORM]		= "uniform",
	[TBX_LINK_DIST_NORMAL]		= "normal",
	[TBX_LINK_DIST_PARETO]		= "pareto",
	[TBX_LINK_DIST_PARETONORMAL]	= "paretonormal",
	[TBX_LINK_DIST_TABLE]		= "table",
};

const char *tbx_link_dist_name(unsigned int dist)
{
	return dist <= TBX_LINK_DIST_MAX ? dist_names[dist] : NULL;
}

int tbx_link_dist_parse(const char *s)
{
	for (unsigned int i = 0; i <= TBX_LINK_DIST_PARETONORMAL; i++)
		if (!strcmp(s, dist_names[i]))
			return i;
	return -1;
}

/* --- numbers as tc reads them for netem -------------------------------- */

/* tc's matches(): @w is a non-empty prefix of @word. */
static bool is(const char *w, const char *word)
{
	return *w && !strncmp(w, word, strlen(w)) && strlen(w) <= strlen(word);
}

/* tc's NEXT_IS_NUMBER() and NEXT_IS_SIGNED_NUMBER(). */
static bool number_next(int i, int argc, char **argv)
{
	return i + 1 < argc && isdigit((unsigned char)argv[i + 1][0]);
}

static bool signed_next(int i, int argc, char **argv)
{
	return i + 1 < argc && (isdigit((unsigned char)argv[i + 1][0]) ||
				argv[i + 1][0] == '-');
}

/*
 * tc's get_time() (bare numbers are @bare ns: us for delay and jitter, ns
 * for slots, as tc reads them), plus "ns". A negative time goes to the
 * kernel, which refuses it by name.
 */
static int tc_time(const char *what, const char *s, int64_t bare, int64_t *ns)
{
	static const struct { const char *u; int64_t ns; } units[] = {
		{ "s", 1000000000 }, { "sec", 1000000000 }, { "secs", 1000000000 },
		{ "ms", 1000000 }, { "msec", 1000000 }, { "msecs", 1000000 },
		{ "us", 1000 }, { "usec", 1000 }, { "usecs", 1000 },
		{ "ns", 1 }, { "nsec", 1 }, { "nsecs", 1 },
	};
	double t;
	char *end;

	errno = 0;
	t = strtod(s, &end);
	if (end == s || errno || !isfinite(t))
		return tbx_err(EINVAL, "%s \"%s\" is not a time (e.g. 20ms)", what, s);
	if (*end) {
		unsigned int i;

		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
			if (!strcasecmp(end, units[i].u))
				break;
		if (i == sizeof(units) / sizeof(units[0]))
			return tbx_err(EINVAL, "%s \"%s\": unknown unit (s, ms, us, ns)", what, s);
		bare = units[i].ns;
	}
	t *= bare;
	if (fabs(t) > 9e18)
		return tbx_err(ERANGE, "%s \"%s\" is too long", what, s);
	*ns = llround(t);
	return 0;
}

/* tc's parse_percent(): "1%", "1" (also 1 %), "0.25%"; to ppm, rounded. */
static int tc_percent(const char *what, const char *s, uint32_t *ppm)
{
	double v;
	char *end;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno || (*end && strcmp(end, "%")) || !isfinite(v) || v < 0)
		return tbx_err(EINVAL, "%s \"%s\" is not a percentage", what, s);
	v = rint(v * 10000);
	if (v > UINT32_MAX)
		return tbx_err(ERANGE, "%s \"%s\" is too large", what, s);
	*ppm = v;
	return 0;
}

/* tc's get_rate64() suffixes, in bit/s; a bare number is bit/s too. */
static int tc_rate(const char *s, const char *dev, uint64_t *bps)
{
	static const struct { const char *u; double scale; } units[] = {
		{ "bit", 1. }, { "kibit", 1024. }, { "kbit", 1e3 },
		{ "mibit", 1048576. }, { "mbit", 1e6 },
		{ "gibit", 1073741824. }, { "gbit", 1e9 },
		{ "tibit", 1099511627776. }, { "tbit", 1e12 },
		{ "bps", 8. }, { "kibps", 8. * 1024 }, { "kbps", 8e3 },
		{ "mibps", 8. * 1048576 }, { "mbps", 8e6 },
		{ "gibps", 8. * 1073741824 }, { "gbps", 8e9 },
		{ "tibps", 8. * 1099511627776. }, { "tbps", 8e12 },
	};
	double v;
	char *end;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno || !isfinite(v) || v < 0)
		return tbx_err(EINVAL, "rate \"%s\": give bits/s, e.g. 10mbit", s);
	if (!strcmp(end, "%")) {
		/* tc's percentage of the device's speed (Mbit/s in sysfs). */
		char path[128];
		long mbit = 0;
		FILE *f;

		if (!dev || !*dev)
			return tbx_err(EINVAL, "rate \"%s\": a percentage needs the device", s);
		snprintf(path, sizeof(path), "/sys/class/net/%s/speed", dev);
		f = fopen(path, "r");
		if (!f || fscanf(f, "%ld", &mbit) != 1 || mbit <= 0) {
			if (f)
				fclose(f);
			return tbx_err(EINVAL, "rate \"%s\": %s has no speed to take a percentage of",
				       s, dev);
		}
		fclose(f);
		if (v > 100)
			return tbx_err(EINVAL, "rate \"%s\": a percentage is 0..100%%", s);
		*bps = llround(v / 100 * mbit * 1e6);
		return 0;
	}
	if (*end) {
		unsigned int i;

		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
			if (!strcasecmp(end, units[i].u))
				break;
		if (i == sizeof(units) / sizeof(units[0]))
			return tbx_err(EINVAL, "rate \"%s\": give bits/s, e.g. 10mbit", s);
		v *= units[i].scale;
	}
	if (v >= 1.8e19)
		return tbx_err(ERANGE, "rate \"%s\" is too large", s);
	*bps = llround(v);
	return 0;
}

/* tc's get_size(): bytes; b, k/kb, m/mb, g/gb, kbit, mbit, gbit. */
static int tc_size(const char *what, const char *s, uint32_t *bytes)
{
	static const struct { const char *u; double scale; } units[] = {
		{ "b", 1 }, { "k", 1024 }, { "kb", 1024 }, { "m", 1048576 },
		{ "mb", 1048576 }, { "g", 1073741824 }, { "gb", 1073741824 },
		{ "kbit", 1024 / 8 }, { "mbit", 1048576 / 8 }, { "gbit", 1073741824 / 8 },
	};
	double v;
	char *end;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno || !isfinite(v) || v < 0)
		return tbx_err(EINVAL, "%s \"%s\" is not a size", what, s);
	if (*end) {
		unsigned int i;

		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
			if (!strcasecmp(end, units[i].u))
				break;
		if (i == sizeof(units) / sizeof(units[0]))
			return tbx_err(EINVAL, "%s \"%s\" is not a size", what, s);
		v *= units[i].scale;
	}
	if (v > UINT32_MAX || v != floor(v))
		return tbx_err(ERANGE, "%s \"%s\" is not a whole size below 4 GiB", what, s);
	*bytes = v;
	return 0;
}

/* tc's get_s32()/get_u32() with base 0 (0x.. and 0.. too). */
static int tc_long(const char *what, const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 0);
	if (end == s || *end || errno || v < min || v > max)
		return tbx_err(EINVAL, "%s \"%s\" is not a number in %ld..%ld", what, s, min, max);
	*out = v;
	return 0;
}

/* "20ms" or "-20ms" for tbx's own jitter word (bare: us, as tc's). */
static int signed_time(const char *what, const char *s, int64_t *ns)
{
	return tc_time(what, s, 1000, ns);
}

/* A size in bits (NUMBER{bit|kbit|mbit|gbit}) or bytes: bytes, rounded up. */
static bool ends_with_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n > m && !strcasecmp(s + n - m, suffix);
}

static int parse_size_bits(const char *s, uint64_t *bytes)
{
	uint64_t bits;
	bool pps;

	if (ends_with_ci(s, "bit")) {
		if (tbx_parse_rate(s, &bits, &pps) || pps)
			return tbx_err(EINVAL, "\"%s\" is not a size", s);
		*bytes = bits / 8 + (bits % 8 != 0);
		return 0;
	}
	return tbx_parse_size(s, bytes);
}

static int rows_to_check(const struct tbx_profile *p)
{
	if (!p->n)
		return tbx_err(EINVAL, "profile has no rows");
	if (p->n > TBX_LINK_SEGMENTS_MAX)
		return tbx_err(EINVAL, "profile has %u rows; the qdisc takes at most %u",
			       p->n, TBX_LINK_SEGMENTS_MAX);
	return 0;
}

/* --- .dist tables -------------------------------------------------------- */

static FILE *open_dist(const char *name, char *path, size_t len)
{
	const char *dirs[] = { getenv("TC_LIB_DIR"), "/usr/lib/x86_64-linux-gnu/tc",
			       "/usr/lib/tc", "/usr/local/lib/tc" };
	FILE *f;

	if (strchr(name, '/')) {
		snprintf(path, len, "%s", name);
		return fopen(path, "r");
	}
	for (unsigned int i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		if (!dirs[i] || !*dirs[i])
			continue;
		snprintf(path, len, "%s/%s.dist", dirs[i], name);
		f = fopen(path, "r");
		if (f)
			return f;
	}
	snprintf(path, len, "%s.dist", name);
	return NULL;
}

int tbx_link_dist_load(const char *name, struct tbx_link_dist_opt *d)
{
	char path[512], *line = NULL;
	size_t cap = 0;
	unsigned int lineno = 0;
	int16_t *v;
	uint32_t n = 0;
	FILE *f;
	int err = 0;

	f = open_dist(name, path, sizeof(path));
	if (!f)
		return tbx_err(ENOENT, "distribution \"%s\": no table %s (%s)", name, path,
			       strerror(errno ? errno : ENOENT));
	v = calloc(TBX_LINK_DIST_MAX_SIZE, sizeof(*v));
	if (!v) {
		fclose(f);
		return tbx_err(ENOMEM, "distribution \"%s\": out of memory", name);
	}
	while (!err && getline(&line, &cap, f) != -1) {
		char *p = line, *end;

		lineno++;
		if (*line == '#')
			continue;
		for (;;) {
			long x;

			while (isspace((unsigned char)*p))
				p++;
			if (!*p)
				break;
			errno = 0;
			x = strtol(p, &end, 0);
			if (end == p || errno || (*end && !isspace((unsigned char)*end))) {
				err = tbx_err(EINVAL, "%s:%u: \"%.20s\" is not a number", path, lineno, p);
				break;
			}
			if (x < INT16_MIN || x > INT16_MAX) {
				err = tbx_err(ERANGE, "%s:%u: %ld is outside -32768..32767", path,
					      lineno, x);
				break;
			}
			if (n == TBX_LINK_DIST_MAX_SIZE) {
				err = tbx_err(E2BIG, "%s:%u: more than %u values", path, lineno,
					      TBX_LINK_DIST_MAX_SIZE);
				break;
			}
			v[n++] = x;
			p = end;
		}
	}
	free(line);
	fclose(f);
	if (!err && !n)
		err = tbx_err(EINVAL, "%s: no values", path);
	if (err) {
		free(v);
		return err;
	}
	free(d->table);
	d->table = v;
	d->size = n;
	d->kind = TBX_LINK_DIST_TABLE;
	return 0;
}

/* A distribution word: a built-in name, else a .dist table. */
static int parse_dist(const char *s, struct tbx_link_dist_opt *d)
{
	int k = tbx_link_dist_parse(s);
	int err = 0;

	if (k >= 0) {
		free(d->table);
		d->table = NULL;
		d->kind = k;
	} else {
		err = tbx_link_dist_load(s, d);
	}
	if (!err) {
		d->set = true;
		snprintf(d->name, sizeof(d->name), "%s", s);
	}
	return err;
}

/* --- the words ------------------------------------------------------------ */

struct cursor {
	int i, argc;
	char **argv;
	const char *dev;
};

/* The value after the current word, or an error naming the word. */
static const char *value(struct cursor *c)
{
	if (c->i + 1 >= c->argc) {
		tbx_err(EINVAL, "%s needs a value", c->argv[c->i]);
		return NULL;
	}
	return c->argv[++c->i];
}

/* PERCENT [CORRELATION]: the correlation only when the next is a number. */
static int pct_corr(struct cursor *c, const char *what, uint32_t *p,
		    bool *has_corr, uint32_t *corr)
{
	const char *v = value(c);
	int err;

	if (!v)
		return -EINVAL;
	err = tc_percent(what, v, p);
	if (!err && corr && number_next(c->i, c->argc, c->argv)) {
		err = tc_percent("correlation", c->argv[++c->i], corr);
		*has_corr = true;
	}
	return err;
}

static int parse_loss(struct cursor *c, struct tbx_link_opts *o)
{
	const char *v;
	uint32_t *m;
	unsigned int n, i;
	int err;

	if (o->loss || o->loss_model != TBX_LOSS_NONE)
		return tbx_err(EINVAL, "loss given twice");
	v = value(c);
	if (!v)
		return -EINVAL;
	if (isdigit((unsigned char)v[0]) || !strcmp(v, "random")) {
		if (isdigit((unsigned char)v[0]))
			c->i--;	/* the old syntax: loss PERCENT */
		else if (c->i + 1 >= c->argc)
			return tbx_err(EINVAL, "loss random needs a value");
		o->has_loss = true;
		return pct_corr(c, "loss", &o->loss, &o->has_loss_corr, &o->loss_corr);
	}
	if (!strcmp(v, "state")) {
		o->loss_model = TBX_LOSS_STATE;
		m = o->state;
		n = 5;
	} else if (!strcmp(v, "gemodel")) {
		o->loss_model = TBX_LOSS_GEMODEL;
		m = o->ge;
		n = 4;
	} else {
		return tbx_err(EINVAL, "unknown loss parameter \"%s\" (random, state, gemodel)", v);
	}
	v = value(c);
	if (!v || (err = tc_percent("loss", v, &m[0])))
		return v ? err : -EINVAL;
	/* tc's defaults for what is left out. */
	m[1] = m[0] < 1000000 ? 1000000 - m[0] : 0;
	if (n == 5) {
		m[2] = 0;
		m[3] = 1000000;
		m[4] = 0;
	} else {
		m[2] = 1000000;	/* 1-h: all lost in the bad state */
		m[3] = 0;
	}
	for (i = 1; i < n && number_next(c->i, c->argc, c->argv); i++) {
		err = tc_percent("loss", c->argv[++c->i], &m[i]);
		if (err)
			return err;
	}
	return 0;
}

static int parse_rate(struct cursor *c, struct tbx_link_opts *o)
{
	const char *v = value(c);
	long n;
	int err;

	if (!v || (err = tc_rate(v, c->dev, &o->rate)))
		return v ? err : -EINVAL;
	/* netem's rate 0 (or below a byte a second) is no rate at all. */
	o->has_rate = o->rate != 0;
	if (signed_next(c->i, c->argc, c->argv)) {
		if ((err = tc_long("packetoverhead", c->argv[++c->i], INT32_MIN, INT32_MAX, &n)))
			return err;
		o->overhead = n;
		o->has_overhead = true;
	}
	if (number_next(c->i, c->argc, c->argv)) {
		if ((err = tc_long("cellsize", c->argv[++c->i], 0, UINT32_MAX, &n)))
			return err;
		o->cell_size = n;
		o->has_cell_size = true;
	}
	if (signed_next(c->i, c->argc, c->argv)) {
		if ((err = tc_long("celloverhead", c->argv[++c->i], INT32_MIN, INT32_MAX, &n)))
			return err;
		o->cell_overhead = n;
		o->has_cell_overhead = true;
	}
	return 0;
}

static int parse_slot(struct cursor *c, struct tbx_link_opts *o)
{
	struct tbx_link_slot_opt *s = &o->slot;
	const char *v;
	int err;

	s->set = true;
	if (number_next(c->i, c->argc, c->argv)) {
		if ((err = tc_time("slot", c->argv[++c->i], 1, &s->min_delay)))
			return err;
		s->max_delay = s->min_delay;
		if (number_next(c->i, c->argc, c->argv)) {
			if ((err = tc_time("slot", c->argv[++c->i], 1, &s->max_delay)))
				return err;
			if (s->max_delay < s->min_delay)
				return tbx_err(EINVAL, "slot \"%s\": the max delay is below the min",
					       c->argv[c->i]);
		}
	} else {
		v = value(c);
		if (!v)
			return -EINVAL;
		if (strcmp(v, "distribution"))
			return tbx_err(EINVAL, "unknown slot parameter \"%s\"", v);
		s->dist_form = true;
		if (!(v = value(c)) || (err = parse_dist(v, &s->dist)))
			return v ? err : -EINVAL;
		if (!(v = value(c)) || (err = tc_time("slot delay", v, 1, &s->delay)))
			return v ? err : -EINVAL;
		if (!(v = value(c)) || (err = tc_time("slot jitter", v, 1, &s->jitter)))
			return v ? err : -EINVAL;
		if (s->jitter <= 0)
			return tbx_err(EINVAL, "slot jitter \"%s\" is not positive", v);
	}
	if (c->i + 1 < c->argc && is(c->argv[c->i + 1], "packets")) {
		long n;

		c->i++;
		if (!(v = value(c)) || (err = tc_long("slot packets", v, 0, INT32_MAX, &n)))
			return v ? err : -EINVAL;
		s->packets = n;
	}
	if (c->i + 1 < c->argc && is(c->argv[c->i + 1], "bytes")) {
		c->i++;
		if (!(v = value(c)) || (err = tc_size("slot bytes", v, &s->bytes)))
			return v ? err : -EINVAL;
		if (s->bytes > INT32_MAX)
			return tbx_err(ERANGE, "slot bytes \"%s\" is too large", v);
	}
	return 0;
}

/* One word of netem's, in netem's order (a prefix picks the first). */
static int netem_word(struct cursor *c, struct tbx_link_opts *o, bool *known)
{
	const char *w = c->argv[c->i], *v;
	int err = 0;

	*known = true;
	if (is(w, "limit")) {
		if (!(v = value(c)))
			return -EINVAL;
		if (tbx_parse_u32(v, NULL, &o->limit) == 0) {
			o->has_limit = true;	/* a plain number: packets */
		} else {
			tbx_err_clear();	/* with a unit: the buffer */
			err = parse_size_bits(v, &o->buffer);
			o->has_buffer = true;
		}
	} else if (is(w, "latency") || is(w, "delay")) {
		if (!(v = value(c)) || (err = tc_time("delay", v, 1000, &o->delay)))
			return v ? err : -EINVAL;
		o->has_delay = true;
		if (number_next(c->i, c->argc, c->argv)) {
			if ((err = tc_time("jitter", c->argv[++c->i], 1000, &o->jitter)))
				return err;
			o->has_jitter = true;
			if (number_next(c->i, c->argc, c->argv)) {
				err = tc_percent("correlation", c->argv[++c->i], &o->delay_corr);
				o->has_delay_corr = true;
			}
		}
	} else if (is(w, "loss") || is(w, "drop")) {
		err = parse_loss(c, o);
	} else if (is(w, "ecn")) {
		o->ecn = true;
	} else if (is(w, "reorder")) {
		o->has_reorder = true;
		err = pct_corr(c, "reorder", &o->reorder, &o->has_reorder_corr,
			       &o->reorder_corr);
	} else if (is(w, "corrupt")) {
		o->has_corrupt = true;
		err = pct_corr(c, "corrupt", &o->corrupt, &o->has_corrupt_corr,
			       &o->corrupt_corr);
	} else if (is(w, "gap")) {
		long n;

		if (!(v = value(c)) || (err = tc_long("gap", v, 0, UINT32_MAX, &n)))
			return v ? err : -EINVAL;
		o->gap = n;
		o->has_gap = true;
	} else if (is(w, "duplicate")) {
		o->has_duplicate = true;
		err = pct_corr(c, "duplicate", &o->duplicate, &o->has_duplicate_corr,
			       &o->duplicate_corr);
	} else if (is(w, "distribution")) {
		if (!(v = value(c)))
			return -EINVAL;
		err = parse_dist(v, &o->dist);
	} else if (is(w, "rate")) {
		err = parse_rate(c, o);
	} else if (is(w, "slot")) {
		err = parse_slot(c, o);
	} else {
		*known = false;
	}
	return err;
}

/* One of tbx's own words (whole words only). */
static int tbx_word(struct cursor *c, struct tbx_link_opts *o)
{
	const char *w = c->argv[c->i], *v;
	long n;
	int err = 0;

	if (!(v = value(c)))
		return tbx_err(EINVAL, "unknown option \"%s\"", w);
	if (!strcmp(w, "jitter")) {
		err = signed_time("jitter", v, &o->jitter);
		o->has_jitter = true;
		if (!err && number_next(c->i, c->argc, c->argv)) {
			err = tc_percent("correlation", c->argv[++c->i], &o->delay_corr);
			o->has_delay_corr = true;
		}
	} else if (!strcmp(w, "overhead") || !strcmp(w, "packetoverhead")) {
		err = tc_long(w, v, INT32_MIN, INT32_MAX, &n);
		o->overhead = n;
		o->has_overhead = true;
	} else if (!strcmp(w, "cellsize")) {
		err = tc_long(w, v, 0, UINT32_MAX, &n);
		o->cell_size = n;
		o->has_cell_size = true;
	} else if (!strcmp(w, "celloverhead")) {
		err = tc_long(w, v, INT32_MIN, INT32_MAX, &n);
		o->cell_overhead = n;
		o->has_cell_overhead = true;
	} else if (!strcmp(w, "buffer")) {
		err = parse_size_bits(v, &o->buffer);
		o->has_buffer = true;
	} else if (!strcmp(w, "interval")) {
		uint64_t ns;

		err = tbx_parse_duration(v, &ns);
		o->interval = ns;
		o->has_interval = true;
	} else if (!strcmp(w, "seed")) {
		char *end;

		errno = 0;
		o->seed = strtoull(v, &end, 0);
		if (end == v || *end || errno || v[0] == '-')
			err = tbx_err(EINVAL, "seed \"%s\" is not a number of 64 bits", v);
		o->has_seed = true;
	} else if (!strcmp(w, "profile")) {
		if (o->has_profile)
			err = tbx_err(EINVAL, "profile given twice");
		else if (!(err = tbx_profile_load(v, &o->profile)))
			o->has_profile = true;
		if (!err)
			err = rows_to_check(&o->profile);
	} else {
		err = tbx_err(EINVAL, "unknown option \"%s\"", w);
	}
	return err;
}

/* tc's checks of the whole netem line, with its messages. */
static int whole_line(struct tbx_link_opts *o)
{
	/* As tc 6.1 sends it, a duplicate's correlation goes to the kernel
	 * only with another correlation on the line: netem's quirk.
	 */
	if (o->has_duplicate_corr && !o->has_delay_corr && !o->has_loss_corr &&
	    !o->has_reorder_corr && !o->has_corrupt_corr)
		o->has_duplicate_corr = false, o->duplicate_corr = 0;
	if (o->reorder) {
		if (!o->delay)
			return tbx_err(EINVAL, "reordering not possible without specifying some delay");
	} else if (o->gap) {
		return tbx_err(EINVAL, "gap specified without reorder probability");
	}
	if (o->ecn && !o->loss && o->loss_model == TBX_LOSS_NONE)
		return tbx_err(EINVAL, "ecn requested without loss model");
	if (o->dist.set && (!o->delay || !o->jitter))
		return tbx_err(EINVAL, "distribution specified but no latency and jitter values");
	return 0;
}

int tbx_link_opts_parse(int argc, char **argv, const char *dev,
			struct tbx_link_opts *o)
{
	struct cursor c = { .argc = argc, .argv = argv, .dev = dev };
	int err = 0;

	memset(o, 0, sizeof(*o));
	for (c.i = 0; !err && c.i < argc; c.i++) {
		bool known;

		err = netem_word(&c, o, &known);
		if (!err && !known)
			err = tbx_word(&c, o);
	}
	if (!err)
		err = whole_line(o);
	if (err) {
		tbx_link_opts_free(o);
		return err < 0 ? err : -EINVAL;
	}
	return 0;
}

void tbx_link_opts_free(struct tbx_link_opts *o)
{
	if (o->has_profile)
		tbx_profile_free(&o->profile);
	o->has_profile = false;
	free(o->dist.table);
	o->dist.table = NULL;
	free(o->slot.dist.table);
	o->slot.dist.table = NULL;
}

/* --- TCA_OPTIONS ------------------------------------------------------------ */

static void put_profile(struct nlmsghdr *nlh, const struct tbx_link_opts *o)
{
	const struct tbx_profile *p = &o->profile;
	struct nlattr *prof = mnl_attr_nest_start(nlh, TCA_TBX_PROFILE);

	mnl_attr_put_u64(nlh, TCA_TBX_PROF_PERIOD, p->period_ns);
	for (unsigned int i = 0; i < p->n; i++) {
		struct nlattr *seg = mnl_attr_nest_start(nlh, TCA_TBX_PROF_SEGMENT);

		mnl_attr_put_u64(nlh, TCA_TBX_SEG_OFFSET, p->rows[i].time_ns);
		mnl_attr_put_u64(nlh, TCA_TBX_SEG_RATE, p->rows[i].rate_bps);
		mnl_attr_put_u64(nlh, TCA_TBX_SEG_DELAY, p->rows[i].latency_ns);
		if (o->has_loss)
			mnl_attr_put_u32(nlh, TCA_TBX_SEG_LOSS, o->loss);
		mnl_attr_nest_end(nlh, seg);
	}
	mnl_attr_nest_end(nlh, prof);
}

static void put_dist(struct nlmsghdr *nlh, const struct tbx_link_dist_opt *d,
		     int kind_attr, int table_attr, int name_attr)
{
	if (!d->set)
		return;
	if (d->table)
		mnl_attr_put(nlh, table_attr, d->size * sizeof(int16_t), d->table);
	else
		mnl_attr_put_u8(nlh, kind_attr, d->kind);
	mnl_attr_put_strz(nlh, name_attr, d->name);
}

static void put_slot(struct nlmsghdr *nlh, const struct tbx_link_slot_opt *s)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, TCA_TBX_SLOT);

	if (s->dist_form) {
		mnl_attr_put_u64(nlh, TCA_TBX_SLOT_DELAY, (uint64_t)s->delay);
		mnl_attr_put_u64(nlh, TCA_TBX_SLOT_JITTER, (uint64_t)s->jitter);
		put_dist(nlh, &s->dist, TCA_TBX_SLOT_DIST, TCA_TBX_SLOT_DIST_TABLE,
			 TCA_TBX_SLOT_DIST_NAME);
	} else {
		mnl_attr_put_u64(nlh, TCA_TBX_SLOT_MIN_DELAY, (uint64_t)s->min_delay);
		mnl_attr_put_u64(nlh, TCA_TBX_SLOT_MAX_DELAY, (uint64_t)s->max_delay);
	}
	if (s->packets)
		mnl_attr_put_u32(nlh, TCA_TBX_SLOT_PACKETS, s->packets);
	if (s->bytes)
		mnl_attr_put_u32(nlh, TCA_TBX_SLOT_BYTES, s->bytes);
	mnl_attr_nest_end(nlh, n);
}

static void put_model(struct nlmsghdr *nlh, const struct tbx_link_opts *o)
{
	struct nlattr *n;

	if (o->loss_model == TBX_LOSS_STATE) {
		n = mnl_attr_nest_start(nlh, TCA_TBX_LOSS_STATE);
		for (int i = 0; i < 5; i++)
			mnl_attr_put_u32(nlh, TCA_TBX_STATE_P13 + i, o->state[i]);
		mnl_attr_nest_end(nlh, n);
	} else if (o->loss_model == TBX_LOSS_GEMODEL) {
		n = mnl_attr_nest_start(nlh, TCA_TBX_LOSS_GEMODEL);
		for (int i = 0; i < 4; i++)
			mnl_attr_put_u32(nlh, TCA_TBX_GE_P + i, o->ge[i]);
		mnl_attr_nest_end(nlh, n);
	}
}

int tbx_link_opts_put(struct nlmsghdr *nlh, const struct tbx_link_opts *o)
{
	struct nlattr *opts = mnl_attr_nest_start(nlh, TCA_OPTIONS);

#define PUT32(H, A, V) if (o->H) mnl_attr_put_u32(nlh, A, (uint32_t)(V))
#define PUT64(H, A, V) if (o->H) mnl_attr_put_u64(nlh, A, (uint64_t)(V))
	PUT64(has_rate, TCA_TBX_RATE, o->rate);
	PUT32(has_overhead, TCA_TBX_OVERHEAD, o->overhead);
	PUT32(has_cell_size, TCA_TBX_CELL_SIZE, o->cell_size);
	PUT32(has_cell_overhead, TCA_TBX_CELL_OVERHEAD, o->cell_overhead);
	PUT64(has_delay, TCA_TBX_DELAY, o->delay);
	PUT64(has_jitter, TCA_TBX_JITTER, o->jitter);
	put_dist(nlh, &o->dist, TCA_TBX_DIST, TCA_TBX_DIST_TABLE, TCA_TBX_DIST_NAME);
	PUT32(has_loss, TCA_TBX_LOSS, o->loss);
	PUT32(has_duplicate, TCA_TBX_DUPLICATE, o->duplicate);
	PUT32(has_corrupt, TCA_TBX_CORRUPT, o->corrupt);
	PUT32(has_reorder, TCA_TBX_REORDER, o->reorder);
	PUT32(has_delay_corr, TCA_TBX_DELAY_CORR, o->delay_corr);
	PUT32(has_loss_corr, TCA_TBX_LOSS_CORR, o->loss_corr);
	PUT32(has_duplicate_corr, TCA_TBX_DUPLICATE_CORR, o->duplicate_corr);
	PUT32(has_corrupt_corr, TCA_TBX_CORRUPT_CORR, o->corrupt_corr);
	PUT32(has_reorder_corr, TCA_TBX_REORDER_CORR, o->reorder_corr);
	PUT32(has_gap, TCA_TBX_GAP, o->gap);
	PUT32(has_limit, TCA_TBX_LIMIT, o->limit);
	PUT64(has_buffer, TCA_TBX_BUFFER, o->buffer);
	PUT64(has_interval, TCA_TBX_INTERVAL, o->interval);
	PUT64(has_seed, TCA_TBX_SEED, o->seed);
#undef PUT32
#undef PUT64
	put_model(nlh, o);
	if (o->ecn)
		mnl_attr_put(nlh, TCA_TBX_ECN, 0, NULL);
	if (o->slot.set)
		put_slot(nlh, &o->slot);
	if (o->has_profile)
		put_profile(nlh, o);
	mnl_attr_nest_end(nlh, opts);
	return 0;
}

struct attrs {
	const struct nlattr **tb;
	int max;
};

static int collect(const struct nlattr *a, void *data)
{
	struct attrs *t = data;
	int type = mnl_attr_get_type(a);

	if (type <= t->max)
		t->tb[type] = a;
	return MNL_CB_OK;
}

static int nested(const struct nlattr *a, const struct nlattr **tb, int max)
{
	struct attrs t = { tb, max };

	return a ? mnl_attr_parse_nested(a, collect, &t) : 0;
}

static uint32_t u32_of(const struct nlattr *a)
{
	return a && mnl_attr_get_payload_len(a) == 4 ? mnl_attr_get_u32(a) : 0;
}

static uint64_t u64_of(const struct nlattr *a)
{
	return a && mnl_attr_get_payload_len(a) == 8 ? mnl_attr_get_u64(a) : 0;
}

static void decode_dist(const struct nlattr *kind, const struct nlattr *size,
			const struct nlattr *name, struct tbx_link_dist_opt *d)
{
	if (kind && mnl_attr_get_payload_len(kind) == 1)
		d->kind = mnl_attr_get_u8(kind);
	d->size = u32_of(size);
	if (name && mnl_attr_validate(name, MNL_TYPE_NUL_STRING) == 0)
		snprintf(d->name, sizeof(d->name), "%s", mnl_attr_get_str(name));
	d->set = d->name[0] || d->kind != TBX_LINK_DIST_UNIFORM;
}

int tbx_link_opts_decode(const struct nlattr *opts, struct tbx_link_opts *o)
{
	const struct nlattr *tb[TCA_TBX_MAX + 1] = {};
	const struct nlattr *pb[TCA_TBX_PROF_MAX + 1] = {};
	const struct nlattr *sb[TCA_TBX_SLOT_MAX + 1] = {};
	const struct nlattr *mb[TCA_TBX_STATE_MAX + 1] = {};

	memset(o, 0, sizeof(*o));
	if (!opts)
		return 0;
	if (nested(opts, tb, TCA_TBX_MAX) < 0)
		return tbx_err(EPROTO, "the qdisc's options do not parse");
#define U64(A, F, H) if (tb[A] && mnl_attr_get_payload_len(tb[A]) == 8) { o->F = mnl_attr_get_u64(tb[A]); o->H = true; }
#define U32(A, F, H) if (tb[A] && mnl_attr_get_payload_len(tb[A]) == 4) { o->F = mnl_attr_get_u32(tb[A]); o->H = true; }
	U64(TCA_TBX_RATE, rate, has_rate)
	U32(TCA_TBX_OVERHEAD, overhead, has_overhead)
	U32(TCA_TBX_CELL_SIZE, cell_size, has_cell_size)
	U32(TCA_TBX_CELL_OVERHEAD, cell_overhead, has_cell_overhead)
	U64(TCA_TBX_DELAY, delay, has_delay)
	U64(TCA_TBX_JITTER, jitter, has_jitter)
	U32(TCA_TBX_LOSS, loss, has_loss)
	U32(TCA_TBX_DUPLICATE, duplicate, has_duplicate)
	U32(TCA_TBX_CORRUPT, corrupt, has_corrupt)
	U32(TCA_TBX_REORDER, reorder, has_reorder)
	U32(TCA_TBX_DELAY_CORR, delay_corr, has_delay_corr)
	U32(TCA_TBX_LOSS_CORR, loss_corr, has_loss_corr)
	U32(TCA_TBX_DUPLICATE_CORR, duplicate_corr, has_duplicate_corr)
	U32(TCA_TBX_CORRUPT_CORR, corrupt_corr, has_corrupt_corr)
	U32(TCA_TBX_REORDER_CORR, reorder_corr, has_reorder_corr)
	U32(TCA_TBX_GAP, gap, has_gap)
	U32(TCA_TBX_LIMIT, limit, has_limit)
	U64(TCA_TBX_BUFFER, buffer, has_buffer)
	U64(TCA_TBX_INTERVAL, interval, has_interval)
	U64(TCA_TBX_SEED, seed, has_seed)
#undef U64
#undef U32
	decode_dist(tb[TCA_TBX_DIST], tb[TCA_TBX_DIST_SIZE], tb[TCA_TBX_DIST_NAME],
		    &o->dist);
	o->ecn = tb[TCA_TBX_ECN] != NULL;
	if (tb[TCA_TBX_LOSS_STATE] && nested(tb[TCA_TBX_LOSS_STATE], mb, TCA_TBX_STATE_MAX) >= 0) {
		o->loss_model = TBX_LOSS_STATE;
		for (int i = 0; i < 5; i++)
			o->state[i] = u32_of(mb[TCA_TBX_STATE_P13 + i]);
	} else if (tb[TCA_TBX_LOSS_GEMODEL] &&
		   nested(tb[TCA_TBX_LOSS_GEMODEL], mb, TCA_TBX_GE_MAX) >= 0) {
		o->loss_model = TBX_LOSS_GEMODEL;
		for (int i = 0; i < 4; i++)
			o->ge[i] = u32_of(mb[TCA_TBX_GE_P + i]);
	}
	if (tb[TCA_TBX_SLOT] && nested(tb[TCA_TBX_SLOT], sb, TCA_TBX_SLOT_MAX) >= 0) {
		struct tbx_link_slot_opt *s = &o->slot;

		s->set = true;
		s->dist_form = sb[TCA_TBX_SLOT_JITTER] != NULL;
		s->min_delay = u64_of(sb[TCA_TBX_SLOT_MIN_DELAY]);
		s->max_delay = u64_of(sb[TCA_TBX_SLOT_MAX_DELAY]);
		s->delay = u64_of(sb[TCA_TBX_SLOT_DELAY]);
		s->jitter = u64_of(sb[TCA_TBX_SLOT_JITTER]);
		s->packets = u32_of(sb[TCA_TBX_SLOT_PACKETS]);
		s->bytes = u32_of(sb[TCA_TBX_SLOT_BYTES]);
		decode_dist(sb[TCA_TBX_SLOT_DIST], sb[TCA_TBX_SLOT_DIST_SIZE],
			    sb[TCA_TBX_SLOT_DIST_NAME], &s->dist);
	}
	if (tb[TCA_TBX_PROFILE] && nested(tb[TCA_TBX_PROFILE], pb, TCA_TBX_PROF_MAX) >= 0) {
		/* has_profile stays false: no rows were read. */
		o->profile_period = u64_of(pb[TCA_TBX_PROF_PERIOD]);
		o->profile_count = u32_of(pb[TCA_TBX_PROF_COUNT]);
	}
	return 0;
}

/* --- words back ------------------------------------------------------------ */

struct out {
	char *buf;
	size_t len, used;
};

static void __attribute__((format(printf, 2, 3))) say(struct out *w, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (w->used >= w->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(w->buf + w->used, w->len - w->used, fmt, ap);
	va_end(ap);
	if (n > 0)
		w->used += (size_t)n;
}

/* A time as the parser reads it back: whole ms, us or ns. */
static void say_time(struct out *w, int64_t ns)
{
	if (ns % 1000000 == 0)
		say(w, "%" PRId64 "ms", ns / 1000000);
	else if (ns % 1000 == 0)
		say(w, "%" PRId64 "us", ns / 1000);
	else
		say(w, "%" PRId64 "ns", ns);
}

static void say_pct(struct out *w, uint32_t ppm)
{
	say(w, "%g%%", ppm / 1e4);
}

static void say_pct_corr(struct out *w, const char *word, uint32_t p, bool has_corr,
			 uint32_t corr)
{
	say(w, "%s ", word);
	say_pct(w, p);
	if (has_corr && corr) {
		say(w, " ");
		say_pct(w, corr);
	}
	say(w, " ");
}

static const char *dist_word(const struct tbx_link_dist_opt *d)
{
	return d->name[0] ? d->name : tbx_link_dist_name(d->kind) ?: "?";
}

void tbx_link_opts_format(const struct tbx_link_opts *o, char *buf, size_t len)
{
	struct out w = { buf, len, 0 };

	buf[0] = '\0';
	if (o->has_rate) {
		say(&w, "rate %" PRIu64 "bit ", o->rate);
		if (o->overhead)
			say(&w, "overhead %d ", o->overhead);
		if (o->cell_size)
			say(&w, "cellsize %u ", o->cell_size);
		if (o->cell_overhead)
			say(&w, "celloverhead %d ", o->cell_overhead);
	}
	say(&w, "delay ");
	say_time(&w, o->delay);
	say(&w, " ");
	if (o->jitter) {
		say(&w, "jitter ");
		say_time(&w, o->jitter);
		if (o->delay_corr) {
			say(&w, " ");
			say_pct(&w, o->delay_corr);
		}
		/* uniform, the default, is left out: "delay 0 jitter 5ms"
		 * with a distribution would not parse back (tc's rule).
		 */
		if (o->dist.set)
			say(&w, " distribution %s", dist_word(&o->dist));
		say(&w, " ");
	}
	if (o->loss)
		say_pct_corr(&w, "loss", o->loss, o->has_loss_corr, o->loss_corr);
	if (o->loss_model == TBX_LOSS_STATE || o->loss_model == TBX_LOSS_GEMODEL) {
		int n = o->loss_model == TBX_LOSS_STATE ? 5 : 4;
		const uint32_t *m = n == 5 ? o->state : o->ge;

		say(&w, "loss %s", n == 5 ? "state" : "gemodel");
		for (int i = 0; i < n; i++) {
			say(&w, " ");
			say_pct(&w, m[i]);
		}
		say(&w, " ");
	}
	if (o->ecn)
		say(&w, "ecn ");
	if (o->duplicate)
		say_pct_corr(&w, "duplicate", o->duplicate, o->has_duplicate_corr,
			     o->duplicate_corr);
	if (o->corrupt)
		say_pct_corr(&w, "corrupt", o->corrupt, o->has_corrupt_corr, o->corrupt_corr);
	if (o->reorder) {
		say_pct_corr(&w, "reorder", o->reorder, o->has_reorder_corr, o->reorder_corr);
		say(&w, "gap %u ", o->gap);
	}
	if (o->slot.set) {
		const struct tbx_link_slot_opt *s = &o->slot;

		if (s->dist_form) {
			say(&w, "slot distribution %s ", dist_word(&s->dist));
			say_time(&w, s->delay);
			say(&w, " ");
			say_time(&w, s->jitter);
		} else {
			say(&w, "slot ");
			say_time(&w, s->min_delay);
			say(&w, " ");
			say_time(&w, s->max_delay);
		}
		if (s->packets)
			say(&w, " packets %u", s->packets);
		if (s->bytes)
			say(&w, " bytes %u", s->bytes);
		say(&w, " ");
	}
	if (o->has_seed)
		say(&w, "seed %" PRIu64 " ", o->seed);
	say(&w, "limit %u ", o->limit);
	if (o->has_buffer)
		say(&w, "buffer %" PRIu64 "B ", o->buffer);
	say(&w, "interval ");
	say_time(&w, o->interval);
	if (o->profile_count) {
		say(&w, " profile %u segments period ", o->profile_count);
		say_time(&w, o->profile_period);
	}
	/* No trailing blank. */
	while (w.used && w.used <= len && buf[w.used - 1] == ' ')
		buf[--w.used] = '\0';
}
