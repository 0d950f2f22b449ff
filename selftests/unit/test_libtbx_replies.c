// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libtbx validates every reply attribute: replies are built here the way
 * the kernel builds them, then broken one way at a time.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <linux/tbx.h>

#include "config.h"
#include "err.h"
#include "info.h"

static char buf[8192];

static struct nlmsghdr *msg(uint8_t cmd)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = 0x20;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	return nlh;
}

/* The shape tbx_info_fill() gives; @nfeat names, @version as given. */
static struct nlmsghdr *info_msg(const char *version, int nfeat, int runs_as_u16)
{
	struct nlmsghdr *nlh = msg(TBX_CMD_GET_INFO);
	struct nlattr *info, *feat, *objs;
	char name[32];

	info = mnl_attr_nest_start(nlh, TBX_A_INFO);
	if (version)
		mnl_attr_put_strz(nlh, TBX_INFO_A_VERSION, version);
	mnl_attr_put_u32(nlh, TBX_INFO_A_GENL_VERSION, 1);
	feat = mnl_attr_nest_start(nlh, TBX_INFO_A_FEATURES);
	for (int i = 0; i < nfeat; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		mnl_attr_put_strz(nlh, TBX_INFO_A_FEATURE_NAME, name);
	}
	mnl_attr_nest_end(nlh, feat);
	objs = mnl_attr_nest_start(nlh, TBX_INFO_A_OBJECTS);
	if (runs_as_u16)
		mnl_attr_put_u16(nlh, TBX_OBJECTS_A_RUNS, 3);
	else
		mnl_attr_put_u32(nlh, TBX_OBJECTS_A_RUNS, 3);
	mnl_attr_put_u32(nlh, TBX_OBJECTS_A_QDISCS, 4);
	mnl_attr_nest_end(nlh, objs);
	mnl_attr_nest_end(nlh, info);
	return nlh;
}

static void info_good(void **state)
{
	struct tbx_info in;

	assert_int_equal(0, tbx_info_parse(info_msg("1.2.3", 3, 0), &in));
	assert_string_equal("1.2.3", in.version);
	assert_int_equal(1, in.genl_version);
	assert_int_equal(3, in.n_features);
	assert_string_equal("f2", in.features[2]);
	assert_int_equal(3, in.runs);
	assert_int_equal(4, in.qdiscs);
}

static void info_unknown_attrs_ignored(void **state)
{
	struct nlmsghdr *nlh = info_msg("1.0", 1, 0);
	struct tbx_info in;

	/* A newer module may add attributes: they are skipped, not fatal. */
	mnl_attr_put_u32(nlh, TBX_A_MAX + 3, 7);
	assert_int_equal(0, tbx_info_parse(nlh, &in));
}

static void info_missing_version(void **state)
{
	struct tbx_info in;

	assert_int_equal(-EBADMSG, tbx_info_parse(info_msg(NULL, 1, 0), &in));
	assert_non_null(strstr(tbx_errmsg(), "info/version"));
}

static void info_wrong_type(void **state)
{
	struct tbx_info in;

	assert_int_equal(-EBADMSG, tbx_info_parse(info_msg("1.0", 1, 1), &in));
	assert_non_null(strstr(tbx_errmsg(), "info/objects/runs"));
}

static void info_too_long_version(void **state)
{
	char v[100];
	struct tbx_info in;

	memset(v, 'x', sizeof(v) - 1);
	v[sizeof(v) - 1] = '\0';
	assert_int_equal(-EBADMSG, tbx_info_parse(info_msg(v, 1, 0), &in));
	assert_non_null(strstr(tbx_errmsg(), "longer than"));
}

static void info_too_many_features(void **state)
{
	struct tbx_info in;

	assert_int_equal(0, tbx_info_parse(info_msg("1", TBX_INFO_MAX_FEATURES, 0), &in));
	assert_int_equal(-EBADMSG,
			 tbx_info_parse(info_msg("1", TBX_INFO_MAX_FEATURES + 1, 0), &in));
}

static void info_absent(void **state)
{
	struct tbx_info in;

	assert_int_equal(-EBADMSG, tbx_info_parse(msg(TBX_CMD_GET_INFO), &in));
}

static void info_string_not_terminated(void **state)
{
	struct nlmsghdr *nlh = msg(TBX_CMD_GET_INFO);
	struct nlattr *info = mnl_attr_nest_start(nlh, TBX_A_INFO);
	struct tbx_info in;

	mnl_attr_put(nlh, TBX_INFO_A_VERSION, 4, "abcd");	/* no NUL */
	mnl_attr_nest_end(nlh, info);
	assert_int_equal(-EBADMSG, tbx_info_parse(nlh, &in));
}

static struct nlmsghdr *config_msg(int with_events, int events_as_u32)
{
	struct nlmsghdr *nlh = msg(TBX_CMD_GET_CONFIG);
	struct nlattr *n = mnl_attr_nest_start(nlh, TBX_A_CONFIG);

	mnl_attr_put_u32(nlh, TBX_CONFIG_A_MAX_RUNS, 10);
	mnl_attr_put_u32(nlh, TBX_CONFIG_A_MEM_GUARD_PCT, 50);
	if (with_events) {
		if (events_as_u32)
			mnl_attr_put_u32(nlh, TBX_CONFIG_A_EVENTS, 1);
		else
			mnl_attr_put_u8(nlh, TBX_CONFIG_A_EVENTS, 1);
	}
	mnl_attr_nest_end(nlh, n);
	return nlh;
}

static void config_good(void **state)
{
	struct tbx_config c;

	assert_int_equal(0, tbx_config_parse(config_msg(1, 0), &c));
	assert_int_equal(10, c.max_runs);
	assert_int_equal(50, c.mem_guard_pct);
	assert_true(c.events);
}

static void config_incomplete(void **state)
{
	struct tbx_config c;

	assert_int_equal(-EBADMSG, tbx_config_parse(config_msg(0, 0), &c));
	assert_non_null(strstr(tbx_errmsg(), "incomplete"));
}

static void config_wrong_type(void **state)
{
	struct tbx_config c;

	assert_int_equal(-EBADMSG, tbx_config_parse(config_msg(1, 1), &c));
	assert_non_null(strstr(tbx_errmsg(), "config/events"));
}

/* What SET_CONFIG sends is exactly the fields marked set. */
static void config_put_only_set_fields(void **state)
{
	struct tbx_config_change chg = { .set_mem_guard_pct = true, .mem_guard_pct = 77 };
	struct nlmsghdr *nlh = msg(TBX_CMD_SET_CONFIG);
	const struct nlattr *top, *a;
	int n = 0;

	tbx_config_put(nlh, &chg);
	mnl_attr_for_each(top, nlh, GENL_HDRLEN) {
		assert_int_equal(TBX_A_CONFIG, mnl_attr_get_type(top));
		mnl_attr_for_each_nested(a, top) {
			assert_int_equal(TBX_CONFIG_A_MEM_GUARD_PCT, mnl_attr_get_type(a));
			assert_int_equal(77, mnl_attr_get_u32(a));
			n++;
		}
	}
	assert_int_equal(1, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(info_good),
		cmocka_unit_test(info_unknown_attrs_ignored),
		cmocka_unit_test(info_missing_version),
		cmocka_unit_test(info_wrong_type),
		cmocka_unit_test(info_too_long_version),
		cmocka_unit_test(info_too_many_features),
		cmocka_unit_test(info_absent),
		cmocka_unit_test(info_string_not_terminated),
		cmocka_unit_test(config_good),
		cmocka_unit_test(config_incomplete),
		cmocka_unit_test(config_wrong_type),
		cmocka_unit_test(config_put_only_set_fields),
	};

	return cmocka_run_group_tests_name("libtbx replies", tests, NULL, NULL);
}
