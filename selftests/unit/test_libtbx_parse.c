// SPDX-License-Identifier: GPL-2.0-or-later
/* Command-line value parsers and extack attribute naming. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <arpa/inet.h>

#include <linux/tbx.h>

#include "config.h"
#include "err.h"
#include "nl.h"
#include "parse.h"

static void u32_good(void **state)
{
	uint32_t v;

	assert_int_equal(0, tbx_parse_u32("0", NULL, &v));
	assert_int_equal(0, v);
	assert_int_equal(0, tbx_parse_u32("4294967295", NULL, &v));
	assert_int_equal(UINT32_MAX, v);
	assert_int_equal(0, tbx_parse_u32("80%", "%", &v));
	assert_int_equal(80, v);
	assert_int_equal(0, tbx_parse_u32("80", "%", &v));
}

static void u32_bad(void **state)
{
	static const char *const bad[] = {
		"", "-1", " 1", "+1", "1 ", "4294967296", "99999999999999999999",
		"1.5", "0x10", "ten", "80%%",
	};
	uint32_t v = 12345;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_true(tbx_parse_u32(bad[i], "%", &v) < 0);
		assert_int_equal(12345, v);	/* untouched on error */
		assert_true(strlen(tbx_errmsg()) > 0);
	}
	assert_true(tbx_parse_u32("80%", NULL, &v) < 0);
	assert_true(tbx_parse_u32(NULL, NULL, &v) < 0);
}

static void bool_values(void **state)
{
	bool b;

	assert_int_equal(0, tbx_parse_bool("on", &b));
	assert_true(b);
	assert_int_equal(0, tbx_parse_bool("false", &b));
	assert_false(b);
	assert_true(tbx_parse_bool("On", &b) < 0);
	assert_true(tbx_parse_bool("2", &b) < 0);
}

/* A SET_CONFIG request as the CLI builds it, walked like extack offsets. */
static void attr_path_names_nested(void **state)
{
	struct tbx_config_change chg = {
		.set_max_runs = true, .max_runs = 1,
		.set_mem_guard_pct = true, .mem_guard_pct = 2,
	};
	char buf[512], out[64];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	uint32_t first = NLMSG_HDRLEN + GENL_HDRLEN;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct genlmsghdr));
	tbx_config_put(nlh, &chg);

	/* nest header, then max-runs (8 bytes), then mem-guard */
	assert_string_equal("config",
		tbx_nl_attr_path(buf, nlh->nlmsg_len, first, out, sizeof(out)));
	assert_string_equal("config/max-runs",
		tbx_nl_attr_path(buf, nlh->nlmsg_len, first + 4, out, sizeof(out)));
	assert_string_equal("config/mem-guard",
		tbx_nl_attr_path(buf, nlh->nlmsg_len, first + 12, out, sizeof(out)));
	/* Inside an attribute's payload or outside the message: unnamed. */
	assert_null(tbx_nl_attr_path(buf, nlh->nlmsg_len, first + 6, out, sizeof(out)));
	assert_null(tbx_nl_attr_path(buf, nlh->nlmsg_len, 4, out, sizeof(out)));
	assert_null(tbx_nl_attr_path(buf, nlh->nlmsg_len, 4000, out, sizeof(out)));
}

static void attr_path_survives_garbage(void **state)
{
	char buf[64], out[64];
	struct nlattr *a;
	uint32_t first = NLMSG_HDRLEN + GENL_HDRLEN;

	memset(buf, 0, sizeof(buf));
	a = (struct nlattr *)(buf + first);
	a->nla_len = 200;	/* runs past the end */
	a->nla_type = TBX_A_CONFIG;
	assert_null(tbx_nl_attr_path(buf, sizeof(buf), first + 4, out, sizeof(out)));
	a->nla_len = 2;		/* shorter than a header */
	assert_null(tbx_nl_attr_path(buf, sizeof(buf), first + 4, out, sizeof(out)));
}

/* --- units --------------------------------------------------------------- */

struct u64_case {
	const char *s;
	uint64_t v;
};

static void duration_good(void **state)
{
	static const struct u64_case ok[] = {
		{ "0", 0 }, { "30", 30000000000ULL }, { "30s", 30000000000ULL },
		{ "1.5s", 1500000000ULL }, { "250ms", 250000000ULL },
		{ "7us", 7000 }, { "9ns", 9 }, { "2m", 120000000000ULL },
		{ "1.5h", 5400000000000ULL }, { "1d", 86400000000000ULL },
		{ "0.000000001", 1 }, { "18446744073709551615ns", UINT64_MAX },
	};
	uint64_t v;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(0, tbx_parse_duration(ok[i].s, &v));
		assert_true(v == ok[i].v);
	}
}

static void duration_bad(void **state)
{
	static const char *const bad[] = {
		"", "s", "-1s", "+1s", " 1s", "1s ", "1 s", "1.s", ".5s", "1..5s",
		"1.5ns", "0.0000000001", "1S", "1sec", "1e3", "0x10", "1ss",
		"18446744073709551616ns", "213504d", "99999999999999999999999",
		"1.0000000000000000001s",
	};
	uint64_t v = 42;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		tbx_err_clear();
		if (tbx_parse_duration(bad[i], &v) == 0)
			fail_msg("\"%s\" was accepted", bad[i]);
		assert_true(v == 42);
		assert_non_null(strstr(tbx_errmsg(), bad[i]));	/* names the word */
	}
	assert_true(tbx_parse_duration(NULL, &v) < 0);
}

static void size_units(void **state)
{
	static const struct u64_case ok[] = {
		{ "0", 0 }, { "4096", 4096 }, { "10B", 10 }, { "1K", 1024 },
		{ "1KiB", 1024 }, { "1KB", 1000 }, { "256MiB", 256ULL << 20 },
		{ "256M", 256ULL << 20 }, { "2MB", 2000000 }, { "1.5G", 3ULL << 29 },
		{ "1GiB", 1ULL << 30 }, { "3GB", 3000000000ULL }, { "2T", 2ULL << 40 },
		{ "1TiB", 1ULL << 40 }, { "1TB", 1000000000000ULL },
		{ "0.5K", 512 }, { "16777215T", 16777215ULL << 40 },
	};
	static const char *const bad[] = {
		"", "K", "1k", "1kb", "1Ki", "1KIB", "0.1K", "1.5", "-1K", "1 K",
		"1K ", "16777216T", "1P", "1GiBs",
	};
	uint64_t v;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(0, tbx_parse_size(ok[i].s, &v));
		assert_true(v == ok[i].v);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_true(tbx_parse_size(bad[i], &v) < 0);
	assert_int_equal(-ERANGE, tbx_parse_size("16777216T", &v));
}

static void rate_units(void **state)
{
	static const struct { const char *s; uint64_t v; bool pps; } ok[] = {
		{ "100pps", 100, true }, { "100kpps", 100000, true },
		{ "1.5Mpps", 1500000, true }, { "2mpps", 2000000, true },
		{ "8bit", 8, false }, { "10kbit", 10000, false },
		{ "10mbit", 10000000, false }, { "10Mbit", 10000000, false },
		{ "2.5gbit", 2500000000ULL, false }, { "1tbit", 1000000000000ULL, false },
		{ "0pps", 0, true },
	};
	static const char *const bad[] = {
		"", "100", "pps", "kpps", "10bps", "10 mbit", "10mbits", "-1pps",
		"0.5pps", "1.2345bit", "10kb", "10mb", "10gpps", "1e6pps",
		"99999999999999999999pps", "20000000tbit",
	};
	uint64_t v;
	bool pps;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(0, tbx_parse_rate(ok[i].s, &v, &pps));
		assert_true(v == ok[i].v);
		assert_int_equal(ok[i].pps, pps);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_true(tbx_parse_rate(bad[i], &v, &pps) < 0);
}

static void percent_range(void **state)
{
	static const char *const bad[] = { "", "%", "101", "101%", "-1%", "50.5%",
					   "50 %", "50%%", "1000000000000%" };
	uint32_t v;

	assert_int_equal(0, tbx_parse_percent("50%", &v));
	assert_int_equal(50, v);
	assert_int_equal(0, tbx_parse_percent("0", &v));
	assert_int_equal(0, v);
	assert_int_equal(0, tbx_parse_percent("100%", &v));
	assert_int_equal(100, v);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_true(tbx_parse_percent(bad[i], &v) < 0);
}

static void decimal_exact(void **state)
{
	uint64_t v;

	assert_int_equal(0, tbx_parse_decimal("0.25", 1000000000, &v));
	assert_true(v == 250000000);
	assert_int_equal(0, tbx_parse_decimal("800000", 1, &v));
	assert_true(v == 800000);
	assert_int_equal(0, tbx_parse_decimal("7.000", 1, &v));
	assert_true(v == 7);
	assert_true(tbx_parse_decimal("7.5", 1, &v) < 0);
	assert_true(tbx_parse_decimal("-1", 1, &v) < 0);
	assert_non_null(strstr(tbx_errmsg(), "negative"));
	assert_true(tbx_parse_decimal("1,5", 1, &v) < 0);
}

/* --- instants ---------------------------------------------------------- */

#define NOW 1763790000123456789ULL

static void time_forms(void **state)
{
	uint64_t v = 1;

	assert_int_equal(0, tbx_parse_time("now", NOW, &v));
	assert_true(v == 0);
	assert_int_equal(0, tbx_parse_time("+30s", NOW, &v));
	assert_true(v == NOW + 30000000000ULL);
	assert_int_equal(0, tbx_parse_time("+1.5m", NOW, &v));
	assert_true(v == NOW + 90000000000ULL);
	assert_int_equal(0, tbx_parse_time("@1763790000.25", NOW, &v));
	assert_true(v == 1763790000250000000ULL);
	assert_int_equal(0, tbx_parse_time("@0", NOW, &v));
	assert_true(v == 0);
	/* date -u -d 2026-11-22T05:00:00Z +%s = 1795323600 */
	assert_int_equal(0, tbx_parse_time("2026-11-22T05:00:00Z", NOW, &v));
	assert_true(v == 1795323600ULL * 1000000000ULL);
	assert_int_equal(0, tbx_parse_time("2026-11-22t07:00:00.5+02:00", NOW, &v));
	assert_true(v == 1795323600ULL * 1000000000ULL + 500000000ULL);
	assert_int_equal(0, tbx_parse_time("2026-11-21T23:30:00.000000001-05:30", NOW, &v));
	assert_true(v == 1795323600ULL * 1000000000ULL + 1);
	assert_int_equal(0, tbx_parse_time("1970-01-01T00:00:00Z", NOW, &v));
	assert_true(v == 0);
	assert_int_equal(0, tbx_parse_time("2024-02-29T00:00:00Z", NOW, &v));
	assert_true(v == 1709164800ULL * 1000000000ULL);
}

static void time_bad(void **state)
{
	static const char *const bad[] = {
		"", "Now", "tomorrow", "+", "+-1s", "+1x", "@", "@-1", "@1e9", "@1,5",
		"2026-11-22", "2026-11-22T05:00:00", "2026-11-22 05:00:00Z",
		"2026-11-22T05:00Z", "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z",
		"2026-04-31T00:00:00Z", "2026-11-22T24:00:00Z", "2026-11-22T05:60:00Z",
		"2026-11-22T05:00:60Z", "2026-11-22T05:00:00+0200",
		"2026-11-22T05:00:00+24:00", "2026-11-22T05:00:00.Z",
		"2026-11-22T05:00:00.1234567891Z", "2026-11-22T05:00:00Zjunk",
		"1969-12-31T23:59:59Z", "1970-01-01T00:00:00+00:01",
		"9999-12-31T23:59:59Z", "+300000d",
		"26-11-22T05:00:00Z",
	};
	uint64_t v = 7;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (tbx_parse_time(bad[i], NOW, &v) == 0)
			fail_msg("\"%s\" was accepted", bad[i]);
		assert_true(v == 7);
	}
}

/* --- addresses ----------------------------------------------------------- */

static void ipv4_forms(void **state)
{
	static const char *const bad[] = {
		"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4 ", " 1.2.3.4",
		"01.2.3.4", "1.2.3.-4", "a.b.c.d", "::1", "1.2.3.4/24",
	};
	uint32_t a, lo, hi;

	assert_int_equal(0, tbx_parse_ipv4("198.18.0.2", &a));
	assert_true(a == htonl(0xc6120002));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_true(tbx_parse_ipv4(bad[i], &a) < 0);

	assert_int_equal(0, tbx_parse_ipv4_range("198.18.0.10", &lo, &hi));
	assert_true(lo == hi && lo == htonl(0xc612000a));
	assert_int_equal(0, tbx_parse_ipv4_range("198.18.0.10-198.18.1.9", &lo, &hi));
	assert_true(lo == htonl(0xc612000a) && hi == htonl(0xc6120109));
	assert_int_equal(0, tbx_parse_ipv4_range("198.18.0.10-198.18.0.10", &lo, &hi));
	assert_true(tbx_parse_ipv4_range("198.18.0.10-198.18.0.9", &lo, &hi) < 0);
	assert_non_null(strstr(tbx_errmsg(), "ends before"));
	assert_true(tbx_parse_ipv4_range("198.18.0.10-", &lo, &hi) < 0);
	assert_true(tbx_parse_ipv4_range("-198.18.0.10", &lo, &hi) < 0);
	assert_true(tbx_parse_ipv4_range("1.1.1.1-2.2.2.2-3.3.3.3", &lo, &hi) < 0);
	assert_true(tbx_parse_ipv4_range("1.1.1.1 - 2.2.2.2", &lo, &hi) < 0);
	assert_true(tbx_parse_ipv4_range("1111111111111111.1.1.1-2.2.2.2", &lo, &hi) < 0);
}

static void mac_forms(void **state)
{
	static const char *const bad[] = {
		"", "02:00:5e:00:00", "02:00:5e:00:00:01:02", "02-00-5e-00-00-01",
		"2:0:5e:0:0:1", "02:00:5e:00:00:0g", "02:00:5e:00:00:01 ",
		"0200.5e00.0001",
	};
	uint8_t m[6], want[6] = { 0x02, 0x00, 0x5e, 0xab, 0xCD, 0x01 };

	assert_int_equal(0, tbx_parse_mac("02:00:5e:ab:CD:01", m));
	assert_memory_equal(want, m, 6);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_true(tbx_parse_mac(bad[i], m) < 0);
}

/* Extack paths reach the deepest nests: run/net/profile/segment/offset. */
static void attr_path_names_run(void **state)
{
	char buf[512], out[96];
	struct nlmsghdr *nlh;
	struct nlattr *run, *net, *prof, *seg;
	uint32_t offs_port, offs_off, offs_level;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct genlmsghdr));
	run = mnl_attr_nest_start(nlh, TBX_A_RUN);
	mnl_attr_put_u8(nlh, TBX_RUN_A_KIND, TBX_RUN_KIND_NET);
	net = mnl_attr_nest_start(nlh, TBX_RUN_A_NET);
	offs_port = nlh->nlmsg_len;
	mnl_attr_put_u16(nlh, TBX_NET_A_DST_PORT, 9);
	prof = mnl_attr_nest_start(nlh, TBX_NET_A_PROFILE);
	mnl_attr_put_u64(nlh, TBX_PROFILE_A_PERIOD, 1);
	seg = mnl_attr_nest_start(nlh, TBX_PROFILE_A_SEGMENT);
	offs_off = nlh->nlmsg_len;
	mnl_attr_put_u64(nlh, TBX_SEGMENT_A_OFFSET, 0);
	mnl_attr_nest_end(nlh, seg);
	mnl_attr_nest_end(nlh, prof);
	mnl_attr_nest_end(nlh, net);
	mnl_attr_nest_end(nlh, run);
	run = mnl_attr_nest_start(nlh, TBX_A_RUN);
	net = mnl_attr_nest_start(nlh, TBX_RUN_A_CPU);
	offs_level = nlh->nlmsg_len;
	mnl_attr_put_u32(nlh, TBX_CPU_A_LEVEL, 1);
	mnl_attr_nest_end(nlh, net);
	mnl_attr_nest_end(nlh, run);

	assert_string_equal("run/net/port",
		tbx_nl_attr_path(buf, nlh->nlmsg_len, offs_port, out, sizeof(out)));
	assert_string_equal("run/net/profile/segment/offset",
		tbx_nl_attr_path(buf, nlh->nlmsg_len, offs_off, out, sizeof(out)));
	assert_string_equal("run/cpu/level",
		tbx_nl_attr_path(buf, nlh->nlmsg_len, offs_level, out, sizeof(out)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(u32_good),
		cmocka_unit_test(u32_bad),
		cmocka_unit_test(bool_values),
		cmocka_unit_test(attr_path_names_nested),
		cmocka_unit_test(attr_path_survives_garbage),
		cmocka_unit_test(duration_good),
		cmocka_unit_test(duration_bad),
		cmocka_unit_test(size_units),
		cmocka_unit_test(rate_units),
		cmocka_unit_test(percent_range),
		cmocka_unit_test(decimal_exact),
		cmocka_unit_test(time_forms),
		cmocka_unit_test(time_bad),
		cmocka_unit_test(ipv4_forms),
		cmocka_unit_test(mac_forms),
		cmocka_unit_test(attr_path_names_run),
	};

	return cmocka_run_group_tests_name("libtbx parsers", tests, NULL, NULL);
}
