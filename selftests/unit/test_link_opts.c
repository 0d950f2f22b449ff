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
	return tbx_link_opts_parse(argc, argv, NULL, o);
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
	assert_int_equal(o.dist.kind, TBX_LINK_DIST_PARETONORMAL);
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
	assert_int_equal(parse_words("delay -5ms loss 150%", &o), 0);
	assert_true(o.delay == -5000000 && o.loss == 1500000);
	/* netem's rate 0 is no rate. */
	assert_int_equal(parse_words("rate 0bit", &o), 0);
	assert_false(o.has_rate);
}

/* netem's lines, read as tc 6.1 reads them for netem. */
static void netem_lines(void **state)
{
	struct tbx_link_opts o;

	/* delay TIME JITTER CORRELATION; bare times are us. */
	assert_int_equal(parse_words("delay 100ms 10ms 25% distribution normal", &o), 0);
	assert_true(o.delay == 100000000 && o.jitter == 10000000);
	assert_true(o.has_delay_corr && o.delay_corr == 250000);
	assert_int_equal(parse_words("lat 100 20", &o), 0);
	assert_true(o.delay == 100000 && o.jitter == 20000);
	/* loss forms, drop, and the old bare percentage. */
	assert_int_equal(parse_words("loss random 0.3% 25% delay 1ms", &o), 0);
	assert_true(o.loss == 3000 && o.loss_corr == 250000);
	assert_int_equal(parse_words("drop 2", &o), 0);
	assert_int_equal(o.loss, 20000);
	assert_int_equal(parse_words("loss state 1% 30% 10% 70% 0.5%", &o), 0);
	assert_int_equal(o.loss_model, TBX_LOSS_STATE);
	assert_true(o.state[0] == 10000 && o.state[1] == 300000 && o.state[2] == 100000 &&
		    o.state[3] == 700000 && o.state[4] == 5000);
	/* tc's defaults: p31 = 1 - p13, p32 = 0, p23 = 1, p14 = 0. */
	assert_int_equal(parse_words("loss state 2%", &o), 0);
	assert_true(o.state[1] == 980000 && o.state[2] == 0 && o.state[3] == 1000000 &&
		    o.state[4] == 0);
	assert_int_equal(parse_words("loss gemodel 1% 10% 70% 0.1% ecn", &o), 0);
	assert_true(o.loss_model == TBX_LOSS_GEMODEL && o.ecn);
	assert_true(o.ge[0] == 10000 && o.ge[1] == 100000 && o.ge[2] == 700000 &&
		    o.ge[3] == 1000);
	assert_int_equal(parse_words("loss gemodel 5%", &o), 0);
	assert_true(o.ge[1] == 950000 && o.ge[2] == 1000000 && o.ge[3] == 0);
	/* reorder with delay; gap; corrupt and duplicate with correlation. */
	assert_int_equal(parse_words("delay 10ms reorder 25% 50% gap 5 corrupt 0.1% 5% "
				     "duplicate 1% 2%", &o), 0);
	assert_true(o.reorder == 250000 && o.reorder_corr == 500000 && o.gap == 5);
	assert_true(o.corrupt == 1000 && o.corrupt_corr == 50000);
	/* Sent as tc sends it: with another correlation on the line. */
	assert_true(o.has_duplicate_corr && o.duplicate_corr == 20000);
	assert_int_equal(parse_words("duplicate 1% 2%", &o), 0);
	assert_false(o.has_duplicate_corr);
	/* rate RATE PACKETOVERHEAD CELLSIZE CELLOVERHEAD; units as tc's. */
	assert_int_equal(parse_words("rate 1Mbit -20 48 5", &o), 0);
	assert_true(o.rate == 1000000 && o.overhead == -20 && o.cell_size == 48 &&
		    o.cell_overhead == 5);
	assert_int_equal(parse_words("rate 100kbps", &o), 0);
	assert_int_equal(o.rate, 800000);
	assert_int_equal(parse_words("rate 1000", &o), 0);
	assert_int_equal(o.rate, 1000);
	/* slot MIN MAX packets bytes (bare: ns); slot distribution. */
	assert_int_equal(parse_words("slot 800us 1ms packets 32 bytes 64k", &o), 0);
	assert_true(o.slot.set && !o.slot.dist_form);
	assert_true(o.slot.min_delay == 800000 && o.slot.max_delay == 1000000);
	assert_true(o.slot.packets == 32 && o.slot.bytes == 65536);
	assert_int_equal(parse_words("slot distribution pareto 1ms 100us", &o), 0);
	assert_true(o.slot.dist_form && o.slot.dist.kind == TBX_LINK_DIST_PARETO);
	assert_true(o.slot.delay == 1000000 && o.slot.jitter == 100000);
	assert_int_equal(parse_words("slot 1000000", &o), 0);
	assert_true(o.slot.min_delay == 1000000 && o.slot.max_delay == 1000000);
	assert_int_equal(parse_words("seed 0x10 limit 10", &o), 0);
	assert_true(o.has_seed && o.seed == 16 && o.limit == 10);
	/* Prefixes as tc's matches(), in netem's order. */
	assert_int_equal(parse_words("d 10ms 1ms di normal du 1% c 1% l 5", &o), 0);
	assert_true(o.delay == 10000000 && o.dist.kind == TBX_LINK_DIST_NORMAL &&
		    o.duplicate == 10000 && o.corrupt == 10000 && o.limit == 5);
}

/* What show prints parses back to the same link. */
static void round_trip(void **state)
{
	static const char *const lines[] = {
		"rate 10000000bit overhead -4 cellsize 48 celloverhead 5 delay 20ms jitter 5ms 25% "
		"distribution normal loss 1% 30% duplicate 2% corrupt 0.5% 10% limit 500 interval 250ms",
		"delay 20ms loss state 1% 30% 10% 70% 0.5% ecn reorder 10% 20% gap 3 limit 1000 "
		"interval 1000ms",
		"delay 1ms loss gemodel 1% 10% 70% 0.1% slot distribution pareto 1ms 100us packets 8 "
		"bytes 3000 seed 42 limit 1000 buffer 9000B interval 1000ms",
		"delay 0ms slot 1ms 5ms limit 1000 interval 1000ms",
	};
	char buf[4096], words_out[1024];

	for (unsigned int i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
		struct tbx_link_opts in, out;

		assert_int_equal(parse_words(lines[i], &in), 0);
		tbx_link_opts_put(nlh, &in);
		tbx_link_opts_free(&in);
		assert_int_equal(tbx_link_opts_decode(mnl_nlmsg_get_payload(nlh), &out), 0);
		/* A dump always carries limit and interval: decode has them. */
		tbx_link_opts_format(&out, words_out, sizeof(words_out));
		assert_string_equal(words_out, lines[i]);
	}
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
	refused("rate 10kpps", "give bits/s");
	refused("loss abc", "unknown loss parameter \"abc\"");
	refused("loss 1x", "\"1x\" is not a percentage");
	refused("distribution gamma delay 1ms 1ms", "no table");
	refused("overhead x", "\"x\" is not a number");
	refused("profile /nonexistent/p.csv", "/nonexistent/p.csv");
	refused("delay 5parsecs", "5parsecs");
	refused("loss 1% loss 2%", "loss given twice");
	refused("loss fancy 1%", "unknown loss parameter \"fancy\"");
	refused("reorder 10%", "reordering not possible without specifying some delay");
	refused("delay 1ms gap 5", "gap specified without reorder probability");
	refused("ecn", "ecn requested without loss model");
	refused("distribution normal", "distribution specified but no latency and jitter");
	refused("slot fast", "unknown slot parameter \"fast\"");
	refused("slot 5ms 1ms", "max delay is below");
	refused("slot distribution normal 1ms 0", "not positive");
	refused("seed -1", "seed \"-1\"");
	refused("rate 50%", "needs the device");
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
	assert_int_equal(out.dist.kind, TBX_LINK_DIST_NORMAL);
	assert_string_equal(out.dist.name, "normal");
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
		cmocka_unit_test(netem_lines),
		cmocka_unit_test(round_trip),
		cmocka_unit_test(errors),
		cmocka_unit_test(encode_decode),
	};

	return cmocka_run_group_tests_name("link options", tests, NULL, NULL);
}
