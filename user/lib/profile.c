// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "err.h"
#include "parse.h"
#include "profile.h"
#include "tbx/profile_curve.h"

#define NSEC		1000000000ULL
#define COLS_MAX	4

struct reader {
	const char *name;
	unsigned int line;
	struct tbx_profile *p;
	unsigned int cap;
};

/* Strips blanks (and a CR) at both ends, in place. */
static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		e--;
	*e = '\0';
	return s;
}

/*
 * A non-negative decimal times @mult; @what names the column or header.
 * ".5" reads as 0.5, as CBSAT's atof() does (its own profiles have them).
 */
static int number(struct reader *r, const char *s, uint64_t mult,
		  const char *what, uint64_t *v)
{
	const char *given = s;
	char buf[64];

	if (!*s)
		return tbx_err(EINVAL, "%s:%u: %s is empty", r->name, r->line, what);
	if (*s == '-')
		return tbx_err(EINVAL, "%s:%u: %s \"%s\" is negative", r->name,
			       r->line, what, s);
	if (*s == '.' && snprintf(buf, sizeof(buf), "0%s", s) < (int)sizeof(buf))
		s = buf;
	if (tbx_parse_decimal(s, mult, v))
		return tbx_err(EINVAL, "%s:%u: %s \"%s\" is not a number%s",
			       r->name, r->line, what, given,
			       mult == NSEC ? " of seconds (at most 9 decimals)" : "");
	return 0;
}

/*
 * A rate in bits/s. CBSAT casts its double to an integer, so a fraction
 * is dropped ("1.5" is 1 bit/s) rather than refused.
 */
static int rate(struct reader *r, const char *s, const char *what, uint64_t *v)
{
	char buf[64];
	size_t whole = strcspn(s, ".");

	if (s[whole] == '.' && whole < sizeof(buf) && s[whole + 1] &&
	    strspn(s + whole + 1, "0123456789") == strlen(s + whole + 1)) {
		memcpy(buf, s, whole);
		buf[whole] = '\0';
		if (!whole)
			strcpy(buf, "0");
		s = buf;
	}
	if (number(r, s, 1, what, v))
		return -EINVAL;
	if (*v > TBX_CURVE_RATE_MAX)
		return tbx_err(ERANGE, "%s:%u: %s %s bit/s is above %llu (10 Tbit/s)",
			       r->name, r->line, what, s,
			       (unsigned long long)TBX_CURVE_RATE_MAX);
	return 0;
}

/* "# key = value"; any other '#' line is a comment. */
static int header(struct reader *r, char *text)
{
	struct tbx_profile *p = r->p;
	char *eq = strchr(text, '='), *key, *val;
	uint64_t v;
	int err;

	if (!eq)
		return 0;
	*eq = '\0';
	key = trim(text);
	val = trim(eq + 1);
	if (!strcmp(key, "period")) {
		if (p->period_ns)
			return tbx_err(EINVAL, "%s:%u: period given twice", r->name, r->line);
		err = number(r, val, NSEC, "period", &p->period_ns);
		if (err)
			return err;
		if (!p->period_ns)
			return tbx_err(EINVAL, "%s:%u: period must be more than 0",
				       r->name, r->line);
		if (p->period_ns > TBX_CURVE_BITS_MAX)
			return tbx_err(ERANGE, "%s:%u: period %s s is too long",
				       r->name, r->line, val);
	} else if (!strcmp(key, "start")) {
		err = number(r, val, NSEC, "start", &p->start_ns);
		if (err)
			return err;
		p->has_start = true;
	} else if (!strcmp(key, "priority")) {
		err = number(r, val, 1, "priority", &v);
		if (err)
			return err;
		if (v > UINT32_MAX)
			return tbx_err(ERANGE, "%s:%u: priority %s is too large",
				       r->name, r->line, val);
		p->priority = v;
		p->has_priority = true;
	} else if (!strcmp(key, "uuid")) {
		/* An integer, as CBSAT's push-back messages carry it. */
		if (*val == '-' || tbx_parse_decimal(val, 1, &p->uuid))
			return tbx_err(EINVAL, "%s:%u: uuid \"%s\" is not a non-negative "
				       "integer", r->name, r->line, val);
		p->has_uuid = true;
	}
	/* Other keys belong to other tools: ignored. */
	return 0;
}

/* Splits @text at commas into at most COLS_MAX trimmed fields. */
static int split(struct reader *r, char *text, char **col)
{
	unsigned int n = 0;
	char *s = text, *comma;

	for (;;) {
		comma = strchr(s, ',');
		if (comma)
			*comma = '\0';
		if (n == COLS_MAX)
			return tbx_err(EINVAL, "%s:%u: more than %d columns", r->name,
				       r->line, COLS_MAX);
		col[n++] = trim(s);
		if (!comma)
			break;
		s = comma + 1;
	}
	if (n < 3)
		return tbx_err(EINVAL, "%s:%u: %u column%s; a row is time,bandwidth,"
			       "maxbandwidth,latency or time,bandwidth,latency",
			       r->name, r->line, n, n == 1 ? "" : "s");
	return n;
}

static int add_row(struct reader *r, const struct tbx_profile_row *row)
{
	struct tbx_profile *p = r->p;
	struct tbx_profile_row *rows;

	if (p->n == TBX_PROFILE_ROWS_MAX)
		return tbx_err(E2BIG, "%s:%u: more than %u rows", r->name, r->line,
			       TBX_PROFILE_ROWS_MAX);
	if (p->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 64;
		rows = realloc(p->rows, r->cap * sizeof(*rows));
		if (!rows)
			return tbx_err(ENOMEM, "%s: out of memory", r->name);
		p->rows = rows;
	}
	p->rows[p->n++] = *row;
	return 0;
}

static int row(struct reader *r, char *text)
{
	struct tbx_profile *p = r->p;
	struct tbx_profile_row row = { .line = r->line };
	char *col[COLS_MAX];
	int n, err;

	n = split(r, text, col);
	if (n < 0)
		return n;
	if (p->columns && (unsigned int)n != p->columns)
		return tbx_err(EINVAL, "%s:%u: %d columns, but the rows before have %u",
			       r->name, r->line, n, p->columns);
	p->columns = n;
	err = number(r, col[0], NSEC, "time", &row.time_ns) ?:
	      rate(r, col[1], "bandwidth", &row.rate_bps) ?:
	      (n == 4 ? rate(r, col[2], "maxbandwidth", &row.max_bps) : 0) ?:
	      number(r, col[n - 1], NSEC, "latency", &row.latency_ns);
	if (err)
		return err;
	if (n == 3)
		row.max_bps = row.rate_bps;	/* CBSAT: no max column, max = bandwidth */
	if (!p->n && row.time_ns)
		return tbx_err(EINVAL, "%s:%u: the first row must be at time 0, not %s",
			       r->name, r->line, col[0]);
	if (p->n && row.time_ns <= p->rows[p->n - 1].time_ns)
		return tbx_err(EINVAL, "%s:%u: time %s is not after the previous row's "
			       "(line %u)", r->name, r->line, col[0],
			       p->rows[p->n - 1].line);
	return add_row(r, &row);
}

static int line(struct reader *r, char *text)
{
	text = trim(text);
	if (!*text || *text == '%')
		return 0;
	if (*text == '#')
		return header(r, text + 1);
	return row(r, text);
}

/*
 * The period must be given and end after the last row; then the curve's
 * value at each row, summing floor(rate * length) per row as CBSAT sums
 * its "data" column.
 */
static int finish(struct reader *r)
{
	struct tbx_profile *p = r->p;
	const struct tbx_profile_row *last;
	unsigned __int128 bits = 0;
	uint64_t end;

	if (!p->period_ns)
		return tbx_err(EINVAL, "%s: no \"# period = SECONDS\" header (the profile "
			       "repeats with its period)", r->name);
	if (!p->n)
		return tbx_err(EINVAL, "%s: no rows (a profile needs at least \"0,RATE,0,0\")",
			       r->name);
	last = &p->rows[p->n - 1];
	if (last->time_ns >= p->period_ns)
		return tbx_err(EINVAL, "%s:%u: time %.9g s is not before the period (%.9g s)",
			       r->name, last->line, last->time_ns / 1e9,
			       p->period_ns / 1e9);
	for (unsigned int i = 0; i < p->n; i++) {
		p->rows[i].bits_before = bits;
		end = i + 1 < p->n ? p->rows[i + 1].time_ns : p->period_ns;
		bits += (unsigned __int128)p->rows[i].rate_bps *
			(end - p->rows[i].time_ns) / NSEC;
		if (bits > TBX_CURVE_BITS_MAX)
			return tbx_err(ERANGE, "%s: one period carries more than 2^62 bits",
				       r->name);
	}
	p->period_bits = bits;
	return 0;
}

int tbx_profile_read(FILE *f, const char *name, struct tbx_profile *p)
{
	struct reader r = { .name = name, .p = p };
	char *buf = NULL;
	size_t len = 0;
	ssize_t got;
	int err = 0;

	memset(p, 0, sizeof(*p));
	errno = 0;
	while ((got = getline(&buf, &len, f)) >= 0) {
		r.line++;
		if ((size_t)got != strlen(buf)) {
			err = tbx_err(EINVAL, "%s:%u: a NUL byte: not a text file",
				      name, r.line);
			break;
		}
		err = line(&r, buf);
		if (err)
			break;
	}
	if (!err && ferror(f))
		err = tbx_err(errno ? errno : EIO, "%s: %s", name,
			      strerror(errno ? errno : EIO));
	free(buf);
	if (!err)
		err = finish(&r);
	if (err)
		tbx_profile_free(p);
	return err;
}

int tbx_profile_load(const char *path, struct tbx_profile *p)
{
	FILE *f = fopen(path, "r");
	int err;

	if (!f)
		return tbx_err(errno, "%s: %s", path, strerror(errno));
	err = tbx_profile_read(f, path, p);
	fclose(f);
	return err;
}

void tbx_profile_free(struct tbx_profile *p)
{
	free(p->rows);
	memset(p, 0, sizeof(*p));
}

int tbx_profile_curve(const struct tbx_profile *p, const char *name,
		      struct tbx_curve *c)
{
	if (p->n > TBX_CURVE_SEGS_MAX)
		return tbx_err(E2BIG, "%s: %u rows; an enforced profile has at most %u",
			       name, p->n, TBX_CURVE_SEGS_MAX);
	memset(c, 0, sizeof(*c));
	c->period_ns = p->period_ns;
	c->period_bits = p->period_bits;
	c->n = p->n;
	for (unsigned int i = 0; i < p->n; i++) {
		c->seg[i].start_ns = p->rows[i].time_ns;
		c->seg[i].rate_bps = p->rows[i].rate_bps;
		c->seg[i].bits_before = p->rows[i].bits_before;
	}
	return 0;
}

uint64_t tbx_profile_peak_bps(const struct tbx_profile *p)
{
	uint64_t peak = 0;

	for (unsigned int i = 0; i < p->n; i++)
		if (p->rows[i].rate_bps > peak)
			peak = p->rows[i].rate_bps;
	return peak;
}

double tbx_profile_mean_bps(const struct tbx_profile *p)
{
	return p->period_ns ? p->period_bits * 1e9 / p->period_ns : 0;
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

uint64_t tbx_profile_phase0_mono(const struct tbx_profile *p)
{
	uint64_t mono = clock_ns(CLOCK_MONOTONIC), real, since;

	if (!p->has_start)
		return mono;
	real = clock_ns(CLOCK_REALTIME);
	if (p->start_ns >= real)
		return mono + (p->start_ns - real);
	/* A start in the past: the last phase 0 since, whole periods on, so
	 * that "# start = 0" puts phase 0 on the wall clock's multiples of the
	 * period (the monotonic clock began at boot, long after).
	 */
	since = (real - p->start_ns) % p->period_ns;
	/* Soon after boot the last phase 0 may precede the clock: the next one. */
	return mono >= since ? mono - since : mono + (p->period_ns - since);
}
