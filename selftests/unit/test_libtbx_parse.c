// SPDX-License-Identifier: GPL-2.0-or-later
/* Command-line value parsers and extack attribute naming. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(u32_good),
		cmocka_unit_test(u32_bad),
		cmocka_unit_test(bool_values),
		cmocka_unit_test(attr_path_names_nested),
		cmocka_unit_test(attr_path_survives_garbage),
	};

	return cmocka_run_group_tests_name("libtbx parsers", tests, NULL, NULL);
}
