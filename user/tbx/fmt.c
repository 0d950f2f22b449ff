// SPDX-License-Identifier: GPL-2.0-or-later
/* Numbers as the CLI prints them: in the largest unit that holds them exactly. */
#include <stdint.h>
#include <stdio.h>

#include "tbx.h"

#define NSEC	1000000000ULL

/* Units, largest first, ending with the one of multiplier 1. */
struct unit { uint64_t mult; const char *name; };

/* @v in the largest unit that divides it exactly: "256MiB", "30s". */
static const char *fmt_exact(char *buf, size_t len, uint64_t v, const struct unit *u)
{
	while (u->mult > 1 && (!v || v % u->mult))
		u++;
	snprintf(buf, len, "%llu%s", (unsigned long long)(v / u->mult), u->name);
	return buf;
}

const char *tbx_fmt_duration(char *buf, size_t len, uint64_t ns)
{
	static const struct unit u[] = {
		{ 86400 * NSEC, "d" }, { 3600 * NSEC, "h" }, { 60 * NSEC, "m" },
		{ NSEC, "s" }, { 1000000, "ms" }, { 1000, "us" }, { 1, "ns" },
	};

	return ns ? fmt_exact(buf, len, ns, u) : "0s";
}

const char *tbx_fmt_size(char *buf, size_t len, uint64_t bytes)
{
	static const struct unit u[] = {
		{ 1ULL << 40, "TiB" }, { 1ULL << 30, "GiB" }, { 1ULL << 20, "MiB" },
		{ 1ULL << 10, "KiB" }, { 1, "" },
	};

	return fmt_exact(buf, len, bytes, u);
}

const char *tbx_fmt_bps(char *buf, size_t len, uint64_t bps)
{
	static const struct unit u[] = {
		{ 1000000000000ULL, "tbit" }, { 1000000000ULL, "gbit" },
		{ 1000000, "mbit" }, { 1000, "kbit" }, { 1, "bit" },
	};

	return fmt_exact(buf, len, bps, u);
}
