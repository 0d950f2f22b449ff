// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "parse.h"
#include "profile.h"

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

/* A non-negative decimal times @mult; @what names the column or header. */
static int number(struct reader *r, const char *s, uint64_t mult,
		  const char *what, uint64_t *v)
{
	if (!*s)
		return tbx_err(EINVAL, "%s:%u: %s is empty", r->name, r->line, what);
	if (*s == '-')
		return tbx_err(EINVAL, "%s:%u: %s \"%s\" is negative", r->name,
			       r->line, what, s);
	if (tbx_parse_decimal(s, mult, v))
		return tbx_err(EINVAL, "%s:%u: %s \"%s\" is not a number%s",
			       r->name, r->line, what, s,
			       mult == NSEC ? " of seconds (at most 9 decimals)" : "");
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
		if (p->period_given)
			return tbx_err(EINVAL, "%s:%u: period given twice", r->name, r->line);
		err = number(r, val, NSEC, "period", &p->period_ns);
		if (err)
			return err;
		if (!p->period_ns)
			return tbx_err(EINVAL, "%s:%u: period must be more than 0",
				       r->name, r->line);
		p->period_given = true;
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
		if (strlen(val) >= sizeof(p->uuid))
			return tbx_err(EINVAL, "%s:%u: uuid is longer than %zu bytes",
				       r->name, r->line, sizeof(p->uuid) - 1);
		strcpy(p->uuid, val);
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
	      number(r, col[1], 1, "bandwidth", &row.rate_bps) ?:
	      (n == 4 ? number(r, col[2], 1, "maxbandwidth", &row.max_bps) : 0) ?:
	      number(r, col[n - 1], NSEC, "latency", &row.latency_ns);
	if (err)
		return err;
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

/* The period, given or defaulted, must end after the last row. */
static int finish(struct reader *r)
{
	struct tbx_profile *p = r->p;
	const struct tbx_profile_row *last;
	uint64_t step;

	if (!p->n)
		return tbx_err(EINVAL, "%s: no rows (a profile needs at least \"0,RATE,0,0\")",
			       r->name);
	last = &p->rows[p->n - 1];
	if (!p->period_given) {
		step = p->n > 1 ? last->time_ns - p->rows[p->n - 2].time_ns : NSEC;
		if (last->time_ns > UINT64_MAX - step)
			return tbx_err(ERANGE, "%s: no period, and the last row is too late "
				       "to default one", r->name);
		p->period_ns = last->time_ns + step;
	} else if (last->time_ns >= p->period_ns) {
		return tbx_err(EINVAL, "%s:%u: time %.9g s is not before the period (%.9g s)",
			       r->name, last->line, last->time_ns / 1e9,
			       p->period_ns / 1e9);
	}
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
