// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The tbx qdisc's option words (user/lib/link_opts.c): what each word
 * becomes, the syntax errors it names, and TCA_OPTIONS encoded and
 * decoded back. Range checks are the kernel's (selftests/link.sh).
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>

#include "err.h"
#include "link_opts.h"

static int parse_words(const char *line, struct tbx_link_opts *o)
{
	static char buf[512];
	char *argv[64];
	int argc = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	for (char *t = strtok(buf, " "); t && argc < 64; t = strtok(NULL, " "))
		argv[argc++] = t;
	return tbx_link_opts_parse(argc, argv, o);
}

static void words(void **state)
{
	struct tbx_link_opts o;

	assert_int_equal(parse_words("rate 10mbit overhead -4 delay 20ms jitter 5ms "
				     "distribution paretonormal loss 1% duplicate 0.5 "
				     "corrupt 0.0001% limit 400000bit interval 250ms", &o), 0);
	assert_true(o.has_rate && o.rate == 10000000);
	assert_int_equal(o.overhead, -4);
	assert_true(o.delay == 20000000 && o.jitter == 5000000);
	assert_int_equal(o.dist, TBX_LINK_DIST_PARETONORMAL);
	assert_int_equal(o.loss, 10000);
	assert_int_equal(o.duplicate, 5000);
	assert_int_equal(o.corrupt, 1);
	assert_false(o.has_limit);
	assert_true(o.has_buffer && o.buffer == 50000);
	assert_true(o.interval == 250000000);

	/* A plain limit is packets; bits round up to whole bytes. */
	assert_int_equal(parse_words("limit 1000 buffer 12bit", &o), 0);
	assert_true(o.has_limit && o.limit == 1000);
	assert_true(o.has_buffer && o.buffer == 2);
	assert_int_equal(parse_words("limit 64KB", &o), 0);
	assert_true(!o.has_limit && o.buffer == 64000);

	/* Out-of-range values pass: the kernel refuses them by name. */
	assert_int_equal(parse_words("delay -5ms loss 150% rate 0bit", &o), 0);
	assert_true(o.delay == -5000000 && o.loss == 1500000 && o.rate == 0);
}

static void refused(const char *line, const char *what)
{
	struct tbx_link_opts o;

	tbx_err_clear();
	if (parse_words(line, &o) == 0)
		fail_msg("accepted: %s", line);
	if (!strstr(tbx_errmsg(), what))
		fail_msg("\"%s\": message \"%s\", wanted \"%s\"", line, tbx_errmsg(), what);
}

static void errors(void **state)
{
	refused("speed 1", "unknown option \"speed\"");
	refused("rate", "rate needs a value");
	refused("rate 10", "give bits/s");
	refused("rate 10kpps", "give bits/s");
	refused("loss abc", "\"abc\" is not a percentage");
	refused("loss 0.00001%", "at most 4 decimals");
	refused("distribution gamma", "uniform, normal, pareto or paretonormal");
	refused("overhead x", "not a number of bytes");
	refused("profile /nonexistent/p.csv", "/nonexistent/p.csv");
	refused("delay 5parsecs", "5parsecs");
}

static void encode_decode(void **state)
{
	char buf[4096];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct tbx_link_opts in, out;
	struct nlattr *opts;

	assert_int_equal(parse_words("rate 2mbit delay 7ms jitter 1ms distribution normal "
				     "loss 3% limit 77 buffer 9000B", &in), 0);
	tbx_link_opts_put(nlh, &in);
	opts = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(mnl_attr_get_type(opts), TCA_OPTIONS);
	assert_true(opts->nla_type & NLA_F_NESTED);
	assert_int_equal(tbx_link_opts_decode(opts, &out), 0);
	assert_true(out.rate == 2000000 && out.delay == 7000000 && out.jitter == 1000000);
	assert_int_equal(out.dist, TBX_LINK_DIST_NORMAL);
	assert_int_equal(out.loss, 30000);
	assert_true(out.has_limit && out.limit == 77);
	assert_true(out.has_buffer && out.buffer == 9000);
	assert_false(out.has_duplicate || out.has_corrupt || out.has_interval);
	assert_string_equal(tbx_link_dist_name(TBX_LINK_DIST_PARETO), "pareto");
	assert_null(tbx_link_dist_name(TBX_LINK_DIST_MAX + 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(words),
		cmocka_unit_test(errors),
		cmocka_unit_test(encode_decode),
	};

	return cmocka_run_group_tests_name("link options", tests, NULL, NULL);
}
