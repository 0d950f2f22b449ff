/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Strict parsers for command-line values: the whole string or an error
 * (-EINVAL or -ERANGE, with a message quoting the value). Outputs are left
 * untouched on error. Numbers are decimal, never signed; a fraction is
 * allowed where a unit makes it meaningful ("1.5s", "2.5GiB") but the
 * result must come out whole ("0.1K" is 102.4 bytes: refused).
 */
#ifndef TBX_PARSE_H
#define TBX_PARSE_H

#include <stdbool.h>
#include <stdint.h>

/* Decimal u32; an optional @suffix (e.g. "%") may follow. */
int tbx_parse_u32(const char *s, const char *suffix, uint32_t *out);
/* on|off|1|0|yes|no|true|false */
int tbx_parse_bool(const char *s, bool *out);

/*
 * A non-negative decimal ("12", "0.25") times @mult, which must come out
 * whole: tbx_parse_decimal("0.25", 1000000000, &ns) gives 250000000.
 */
int tbx_parse_decimal(const char *s, uint64_t mult, uint64_t *out);
/* Duration in ns: NUMBER[ns|us|ms|s|m|h|d]; a plain number is seconds. */
int tbx_parse_duration(const char *s, uint64_t *ns);
/*
 * Size in bytes: NUMBER[B|K|KiB|M|MiB|G|GiB|T|TiB] (powers of 1024) or
 * [KB|MB|GB|TB] (powers of 1000); a plain number is bytes.
 */
int tbx_parse_size(const char *s, uint64_t *bytes);
/*
 * Rate: NUMBER{pps|kpps|mpps} (packets/s, *pps = true) or, as tc writes
 * them, NUMBER{bit|kbit|mbit|gbit|tbit} (bits/s, k = 1000; *pps = false).
 * Units are case-insensitive ("10Mbit"); a unit is required.
 */
int tbx_parse_rate(const char *s, uint64_t *v, bool *pps);
/* Percent: "50%" or "50", 0..100. */
int tbx_parse_percent(const char *s, uint32_t *pct);
/*
 * An instant, in CLOCK_REALTIME ns: "now" (*ns = 0: no instant), "+DURATION"
 * (from @now_ns), "@EPOCH" (seconds, may have a fraction) or RFC 3339
 * "2026-11-22T05:00:00Z", "2026-11-22T07:00:00.5+02:00".
 */
int tbx_parse_time(const char *s, uint64_t now_ns, uint64_t *ns);
/* Dotted-quad IPv4 address, in network byte order. */
int tbx_parse_ipv4(const char *s, uint32_t *be);
/* "A" or "A-B" with A <= B, network byte order; "A" gives max = min. */
int tbx_parse_ipv4_range(const char *s, uint32_t *min_be, uint32_t *max_be);
/* "02:00:5e:00:00:01": six pairs of hex digits, colon-separated. */
int tbx_parse_mac(const char *s, uint8_t mac[6]);

#endif
