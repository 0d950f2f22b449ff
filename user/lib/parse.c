// SPDX-License-Identifier: GPL-2.0-or-later
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>

#include "err.h"
#include "parse.h"

int tbx_parse_u32(const char *s, const char *suffix, uint32_t *out)
{
	unsigned long long v;
	char *end;

	/* strtoull would accept " -1" as a huge number: allow digits only. */
	if (!s || !isdigit((unsigned char)s[0]))
		return tbx_err(EINVAL, "\"%s\" is not a number", s ? s : "");
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || v > UINT32_MAX)
		return tbx_err(ERANGE, "\"%s\" is too large", s);
	if (*end && !(suffix && !strcmp(end, suffix)))
		return tbx_err(EINVAL, "\"%s\" is not a number", s);
	*out = v;
	return 0;
}

int tbx_parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "on", "1", "yes", "true" };
	static const char *const no[] = { "off", "0", "no", "false" };

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!strcmp(s, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcmp(s, no[i])) {
			*out = false;
			return 0;
		}
	}
	return tbx_err(EINVAL, "\"%s\" is not on or off", s);
}

/* --- numbers with units ------------------------------------------------- */

struct unit {
	const char *name;	/* "" = no unit */
	uint64_t mult;
};

#define NSEC	1000000000ULL

/*
 * Splits "DIGITS[.DIGITS]UNIT" and scales by the unit's multiplier, in
 * 128-bit arithmetic so "18446744073709551615ns" and "0.5s" are both exact.
 * @what names the quantity in messages ("duration").
 */
static int parse_scaled(const char *s, const struct unit *units, bool nocase,
			const char *what, uint64_t *out)
{
	unsigned __int128 ip = 0, frac = 0, scale = 1, v;
	const char *p = s;
	const struct unit *u;

	if (!s || !isdigit((unsigned char)*p))
		return tbx_err(EINVAL, "\"%s\" is not a %s", s ? s : "", what);
	for (; isdigit((unsigned char)*p); p++) {
		ip = ip * 10 + (*p - '0');
		if (ip > UINT64_MAX)
			return tbx_err(ERANGE, "\"%s\" is too large a %s", s, what);
	}
	if (*p == '.') {
		if (!isdigit((unsigned char)p[1]))
			return tbx_err(EINVAL, "\"%s\" is not a %s", s, what);
		for (p++; isdigit((unsigned char)*p); p++) {
			if (scale >= 1000000000000000000ULL)
				return tbx_err(EINVAL, "\"%s\": too many decimals", s);
			frac = frac * 10 + (*p - '0');
			scale *= 10;
		}
	}
	for (u = units; u->name; u++)
		if (nocase ? !strcasecmp(p, u->name) : !strcmp(p, u->name))
			break;
	if (!u->name)
		return tbx_err(EINVAL, "\"%s\": %s is not a %s unit", s,
			       *p ? p : "a number without unit", what);
	if (frac * u->mult % scale)
		return tbx_err(EINVAL, "\"%s\" has more decimals than a %s can hold",
			       s, what);
	v = ip * u->mult + frac * u->mult / scale;
	if (v > UINT64_MAX)
		return tbx_err(ERANGE, "\"%s\" is too large a %s", s, what);
	*out = v;
	return 0;
}

int tbx_parse_decimal(const char *s, uint64_t mult, uint64_t *out)
{
	const struct unit units[] = { { "", mult }, { NULL, 0 } };

	if (s && *s == '-')
		return tbx_err(EINVAL, "\"%s\" is negative", s);
	return parse_scaled(s, units, false, "number", out);
}

int tbx_parse_duration(const char *s, uint64_t *ns)
{
	static const struct unit units[] = {
		{ "", NSEC }, { "ns", 1 }, { "us", 1000 }, { "ms", 1000000 },
		{ "s", NSEC }, { "m", 60 * NSEC }, { "h", 3600 * NSEC },
		{ "d", 86400 * NSEC }, { NULL, 0 },
	};

	return parse_scaled(s, units, false, "duration", ns);
}

int tbx_parse_size(const char *s, uint64_t *bytes)
{
	static const struct unit units[] = {
		{ "", 1 }, { "B", 1 },
		{ "K", 1ULL << 10 }, { "KiB", 1ULL << 10 }, { "KB", 1000ULL },
		{ "M", 1ULL << 20 }, { "MiB", 1ULL << 20 }, { "MB", 1000000ULL },
		{ "G", 1ULL << 30 }, { "GiB", 1ULL << 30 }, { "GB", 1000000000ULL },
		{ "T", 1ULL << 40 }, { "TiB", 1ULL << 40 }, { "TB", 1000000000000ULL },
		{ NULL, 0 },
	};

	return parse_scaled(s, units, false, "size", bytes);
}

int tbx_parse_rate(const char *s, uint64_t *v, bool *pps)
{
	static const struct unit pkts[] = {
		{ "pps", 1 }, { "kpps", 1000 }, { "mpps", 1000000 }, { NULL, 0 },
	};
	static const struct unit bits[] = {
		{ "bit", 1 }, { "kbit", 1000 }, { "mbit", 1000000 },
		{ "gbit", 1000000000ULL }, { "tbit", 1000000000000ULL }, { NULL, 0 },
	};
	size_t n = s ? strlen(s) : 0;
	bool is_pps = n >= 3 && !strcasecmp(s + n - 3, "pps");
	int err;

	if (!n || (!is_pps && (n < 3 || strcasecmp(s + n - 3, "bit"))))
		return tbx_err(EINVAL, "\"%s\" is not a rate (e.g. 100kpps, 10mbit)",
			       s ? s : "");
	err = parse_scaled(s, is_pps ? pkts : bits, true, "rate", v);
	if (!err)
		*pps = is_pps;
	return err;
}

int tbx_parse_percent(const char *s, uint32_t *pct)
{
	uint32_t v;
	int err = tbx_parse_u32(s, "%", &v);

	if (err)
		return tbx_err(EINVAL, "\"%s\" is not a percentage (0%%..100%%)", s ? s : "");
	if (v > 100)
		return tbx_err(ERANGE, "\"%s\" is more than 100%%", s);
	*pct = v;
	return 0;
}

/* --- instants ------------------------------------------------------------ */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's). */
static int64_t days_from_civil(int y, unsigned int m, unsigned int d)
{
	int era;
	unsigned int yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned int)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int64_t)era * 146097 + (int64_t)doe - 719468;
}

static unsigned int days_in_month(int y, unsigned int m)
{
	static const unsigned char days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return days[m - 1] + (m == 2 && leap);
}

/* Exactly @n digits at *p into *v; advances *p. */
static bool digits(const char **p, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++, (*p)++) {
		if (!isdigit((unsigned char)**p))
			return false;
		*v = *v * 10 + (**p - '0');
	}
	return true;
}

static bool expect(const char **p, char c)
{
	if (**p != c)
		return false;
	(*p)++;
	return true;
}

/* RFC 3339: YYYY-MM-DDTHH:MM:SS[.frac](Z|+hh:mm|-hh:mm). */
static int parse_rfc3339(const char *s, uint64_t *ns)
{
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0;
	uint64_t frac = 0, scale = 1;
	const char *p = s;
	int64_t secs;

	if (!digits(&p, 4, &y) || !expect(&p, '-') || !digits(&p, 2, &mo) ||
	    !expect(&p, '-') || !digits(&p, 2, &d) ||
	    !(expect(&p, 'T') || expect(&p, 't')) ||
	    !digits(&p, 2, &h) || !expect(&p, ':') || !digits(&p, 2, &mi) ||
	    !expect(&p, ':') || !digits(&p, 2, &sec))
		goto bad;
	if (*p == '.') {
		if (!isdigit((unsigned char)p[1]))
			goto bad;
		for (p++; isdigit((unsigned char)*p); p++) {
			if (scale == NSEC)
				return tbx_err(EINVAL, "\"%s\": more than 9 decimals", s);
			frac = frac * 10 + (*p - '0');
			scale *= 10;
		}
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p++ == '+' ? 1 : -1;
		if (!digits(&p, 2, &oh) || !expect(&p, ':') || !digits(&p, 2, &om))
			goto bad;
	} else {
		goto bad;
	}
	if (*p)
		goto bad;
	if (mo < 1 || mo > 12 || d < 1 || (unsigned int)d > days_in_month(y, mo) ||
	    h > 23 || mi > 59 || sec > 59 || oh > 23 || om > 59)
		return tbx_err(EINVAL, "\"%s\" is not a valid date and time", s);
	secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec -
	       sign * (oh * 3600 + om * 60);
	if (secs < 0)
		return tbx_err(ERANGE, "\"%s\" is before 1970", s);
	if ((uint64_t)secs >= UINT64_MAX / NSEC)
		return tbx_err(ERANGE, "\"%s\" is too far ahead", s);
	*ns = (uint64_t)secs * NSEC + frac * (NSEC / scale);
	return 0;
bad:
	return tbx_err(EINVAL, "\"%s\" is not a time: now, +DURATION, @EPOCH or "
		       "RFC 3339 (2026-11-22T05:00:00Z)", s);
}

int tbx_parse_time(const char *s, uint64_t now_ns, uint64_t *ns)
{
	uint64_t v;
	int err;

	if (!s || !*s)
		return tbx_err(EINVAL, "\"\" is not a time");
	if (!strcmp(s, "now")) {
		*ns = 0;
		return 0;
	}
	if (*s == '+') {
		err = tbx_parse_duration(s + 1, &v);
		if (err)
			return err;
		if (v > UINT64_MAX - now_ns)
			return tbx_err(ERANGE, "\"%s\" is too far ahead", s);
		*ns = now_ns + v;
		return 0;
	}
	if (*s == '@') {
		err = tbx_parse_decimal(s + 1, NSEC, &v);
		if (err)
			return tbx_err(err, "\"%s\" is not @EPOCH-SECONDS", s);
		*ns = v;
		return 0;
	}
	return parse_rfc3339(s, ns);
}

/* --- addresses ------------------------------------------------------------ */

int tbx_parse_ipv4(const char *s, uint32_t *be)
{
	struct in_addr a;

	if (!s || inet_pton(AF_INET, s, &a) != 1)
		return tbx_err(EINVAL, "\"%s\" is not an IPv4 address", s ? s : "");
	*be = a.s_addr;
	return 0;
}

int tbx_parse_ipv4_range(const char *s, uint32_t *min_be, uint32_t *max_be)
{
	const char *dash = s ? strchr(s, '-') : NULL;
	char first[INET_ADDRSTRLEN];
	uint32_t lo = 0, hi = 0;
	size_t n;

	if (!dash) {
		if (tbx_parse_ipv4(s, &lo))
			return -EINVAL;
		*min_be = *max_be = lo;
		return 0;
	}
	n = dash - s;
	if (n >= sizeof(first))
		return tbx_err(EINVAL, "\"%s\" is not an IPv4 address range", s);
	memcpy(first, s, n);
	first[n] = '\0';
	if (tbx_parse_ipv4(first, &lo) || tbx_parse_ipv4(dash + 1, &hi))
		return tbx_err(EINVAL, "\"%s\" is not an IPv4 address range (A-B)", s);
	if (ntohl(lo) > ntohl(hi))
		return tbx_err(EINVAL, "\"%s\": the range ends before it starts", s);
	*min_be = lo;
	*max_be = hi;
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int tbx_parse_mac(const char *s, uint8_t mac[6])
{
	uint8_t m[6];

	if (!s || strlen(s) != 17)
		goto bad;
	for (int i = 0; i < 6; i++) {
		int hi = hexval(s[3 * i]), lo = hexval(s[3 * i + 1]);

		if (hi < 0 || lo < 0 || (i < 5 && s[3 * i + 2] != ':'))
			goto bad;
		m[i] = hi << 4 | lo;
	}
	memcpy(mac, m, sizeof(m));
	return 0;
bad:
	return tbx_err(EINVAL, "\"%s\" is not a MAC address (xx:xx:xx:xx:xx:xx)",
		       s ? s : "");
}
