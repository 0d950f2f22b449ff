// SPDX-License-Identifier: GPL-2.0-or-later
/* Traffic-profile files: good ones in both column forms, and each error with its line. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "err.h"
#include "profile.h"
#include "profile_text.h"
#include "tmpdir.h"

#define S	1000000000ULL

/* Parsing fails and the message starts with @where ("p.csv:3:") and holds @what. */
static void refused(const char *text, const char *where, const char *what)
{
	struct tbx_profile p;

	tbx_err_clear();
	if (parse(text, &p) == 0)
		fail_msg("accepted:\n%s", text);
	if (strncmp(tbx_errmsg(), where, strlen(where)) || !strstr(tbx_errmsg(), what))
		fail_msg("message \"%s\", wanted \"%s ... %s\"", tbx_errmsg(), where, what);
	assert_null(p.rows);
}

static void four_columns(void **state)
{
	static const char text[] =
		"# period = 10\n"
		"# start = 1763790000.5\n"
		"# priority = 1\n"
		"# uuid = 7\n"
		"% CBSAT sender profile\n"
		"0,800000,900000,0\n"
		"1,850000,0,0.25\n"
		"\n"
		"7.5,0,0,0\n";
	struct tbx_profile p;

	assert_int_equal(0, parse(text, &p));
	assert_true(p.period_ns == 10 * S);
	assert_true(p.has_start && p.start_ns == 1763790000ULL * S + S / 2);
	assert_true(p.has_priority && p.priority == 1);
	assert_true(p.has_uuid && p.uuid == 7);
	assert_int_equal(4, p.columns);
	assert_int_equal(3, p.n);
	assert_true(p.rows[0].time_ns == 0 && p.rows[0].rate_bps == 800000);
	assert_true(p.rows[0].max_bps == 900000);
	assert_true(p.rows[1].time_ns == S && p.rows[1].latency_ns == S / 4);
	assert_true(p.rows[2].time_ns == 7 * S + S / 2 && p.rows[2].rate_bps == 0);
	assert_int_equal(6, p.rows[0].line);
	assert_int_equal(9, p.rows[2].line);
	tbx_profile_free(&p);
	assert_null(p.rows);
}

static void three_columns_crlf_blanks(void **state)
{
	static const char text[] =
		"  # period = 2.5 \r\n"
		"# a remark without an equals sign\r\n"
		"# colour = blue\r\n"
		" 0 , 1000 , 0.010 \r\n"
		"\t1.25,2000,0.020\r\n";
	struct tbx_profile p;

	assert_int_equal(0, parse(text, &p));
	assert_int_equal(3, p.columns);
	assert_int_equal(2, p.n);
	assert_true(p.period_ns == 2 * S + S / 2);
	/* CBSAT: without a max column, the max is the bandwidth. */
	assert_true(p.rows[0].latency_ns == 10000000 && p.rows[0].max_bps == 1000);
	assert_true(p.rows[1].time_ns == S + S / 4 && p.rows[1].rate_bps == 2000);
	assert_true(p.rows[1].latency_ns == 20000000);
	assert_false(p.has_start);
	assert_false(p.has_uuid);
	tbx_profile_free(&p);
}

/* The cumulative curve at each row and over the period, as CBSAT's "data" column sums it. */
static void cumulative_bits(void **state)
{
	struct tbx_profile p;

	assert_int_equal(0, parse("# period = 10\n0,800000,0,0\n1,850000,0,0\n"
				  "2.5,1000,0,0\n7,0,0,0\n", &p));
	assert_true(p.rows[0].bits_before == 0);
	assert_true(p.rows[1].bits_before == 800000);
	assert_true(p.rows[2].bits_before == 800000 + 1275000);
	assert_true(p.rows[3].bits_before == 800000 + 1275000 + 4500);
	assert_true(p.period_bits == 800000 + 1275000 + 4500);
	assert_true(tbx_profile_peak_bps(&p) == 850000);
	assert_true(tbx_profile_mean_bps(&p) == 207950.0);
	tbx_profile_free(&p);
	/* Each row's bits are floored on their own: 3 bit/s for 1/3 s is 0, three times. */
	assert_int_equal(0, parse("# period = 1\n0,3,0\n0.333333333,3,0\n0.666666666,3,0\n", &p));
	assert_true(p.rows[1].bits_before == 0 && p.rows[2].bits_before == 0);
	assert_true(p.period_bits == 1);
	tbx_profile_free(&p);
	/* The last row lasts until the period ends. */
	assert_int_equal(0, parse("# period = 60\n0,1,0\n1,2,0\n", &p));
	assert_true(p.period_bits == 1 + 2 * 59);
	tbx_profile_free(&p);
}

/* What CBSAT's own files hold: ".1" latencies, "1.5" bandwidths, keys with spaces. */
static void cbsat_forms(void **state)
{
	static const char provided[] =
		"# period = 10\n# start = 0\n# kind = provided\n# source ID = 1\n"
		"% time (s), %bandwidth (bps), %latency (ms)\n"
		"0,2400000,0,.1\n1,2480000,0,.2\n7,0,0,.1\n";
	struct tbx_profile p;

	assert_int_equal(0, parse(provided, &p));
	assert_true(p.rows[0].latency_ns == S / 10 && p.rows[1].latency_ns == S / 5);
	assert_true(p.has_start && p.start_ns == 0);
	tbx_profile_free(&p);
	assert_int_equal(0, parse("# period = 2\n0,1.5,0\n1.0,2,0\n", &p));
	assert_true(p.rows[0].rate_bps == 1 && p.rows[0].max_bps == 1);
	assert_true(p.rows[1].rate_bps == 2);
	tbx_profile_free(&p);
	assert_int_equal(0, parse("# period = 2\n0,.9,0\n", &p));
	assert_true(p.rows[0].rate_bps == 0);
	tbx_profile_free(&p);
}

static void errors_name_the_line(void **state)
{
	refused("", "p.csv: no", "period");
	refused("0,1,0,0\n2,2,0,0\n", "p.csv: no", "\"# period = SECONDS\" header");
	refused("# period = 10\n% nothing\n\n", "p.csv: no rows", "no rows");
	refused("# period = 10\n0,1,0,0\n3,1,0,0\n3,2,0,0\n", "p.csv:4:", "not after");
	refused("# period = 9\n0,1,0,0\n5,1,0,0\n4,2,0,0\n", "p.csv:4:",
		"previous row's (line 3)");
	refused("# period = 10\n0,1,0,0\n10,1,0,0\n", "p.csv:3:", "not before the period");
	refused("0,1,0,0\n12,1,0,0\n# period = 10\n", "p.csv:2:", "not before the period");
	refused("1,1,0,0\n", "p.csv:1:", "first row must be at time 0");
	refused("0,-5,0,0\n", "p.csv:1:", "bandwidth \"-5\" is negative");
	refused("0,1,0,0\n-1,1,0,0\n", "p.csv:2:", "negative");
	refused("0,1,0,0\n1,abc,0,0\n", "p.csv:2:", "bandwidth \"abc\" is not a number");
	refused("0,1,0,x\n", "p.csv:1:", "latency");
	refused("0,1,0,-.5\n", "p.csv:1:", "latency \"-.5\" is negative");
	refused("0,1,q,0\n", "p.csv:1:", "maxbandwidth");
	refused("0,1e6,0,0\n", "p.csv:1:", "bandwidth \"1e6\"");
	refused("0,1.5x,0,0\n", "p.csv:1:", "bandwidth \"1.5x\"");
	refused("0,1.,0,0\n", "p.csv:1:", "bandwidth \"1.\"");
	refused("0,.,0,0\n", "p.csv:1:", "bandwidth \".\"");
	refused("0,10000000000001,0,0\n", "p.csv:1:", "above 10000000000000");
	refused("0,10 kbit,0,0\n", "p.csv:1:", "bandwidth");
	refused("0,1,0,0,9\n", "p.csv:1:", "more than 4 columns");
	refused("0,1\n", "p.csv:1:", "2 columns");
	refused("0,1,0,0\n1,1,0\n", "p.csv:2:", "3 columns, but the rows before have 4");
	refused("0,,0,0\n", "p.csv:1:", "bandwidth is empty");
	refused("0.0000000001,1,0\n", "p.csv:1:", "time");
	refused("# uuid = seven\n# period = 1\n0,1,0\n", "p.csv:1:", "uuid \"seven\"");
	refused("# uuid = -7\n# period = 1\n0,1,0\n", "p.csv:1:", "uuid \"-7\"");
	refused("# period = 4611686018427387905\n0,1,0\n", "p.csv:1:", "period");
	refused("# period = 1000000\n0,10000000000000,0\n", "p.csv: one period", "2^62");
	refused("# period = 0\n0,1,0\n", "p.csv:1:", "period must be more than 0");
	refused("# period = ten\n0,1,0\n", "p.csv:1:", "period \"ten\"");
	refused("# period = 10\n# period = 20\n0,1,0\n", "p.csv:2:", "period given twice");
	refused("# priority = 99999999999\n0,1,0\n", "p.csv:1:", "priority");
	refused("0,1,0\njunk\n", "p.csv:2:", "1 column");
}

static void nul_byte_refused(void **state)
{
	static const char text[] = "0,1,0\n1,\0002,0\n";
	struct tbx_profile p;
	FILE *f = fmemopen((void *)text, sizeof(text) - 1, "r");

	assert_true(tbx_profile_read(f, "bin", &p) < 0);
	fclose(f);
	assert_non_null(strstr(tbx_errmsg(), "bin:2: a NUL byte"));
}

static void load_from_a_file(void **state)
{
	char dir[96], path[160];
	struct tbx_profile p;
	FILE *f;

	assert_int_equal(0, tmpdir_make(dir, sizeof(dir), "tbx-profile"));
	snprintf(path, sizeof(path), "%s/cbsat.csv", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("# period = 10\n0,800000,0,0\n1,850000,0,0\n7,0,0,0\n", f);
	fclose(f);
	assert_int_equal(0, tbx_profile_load(path, &p));
	assert_int_equal(3, p.n);
	tbx_profile_free(&p);

	snprintf(path, sizeof(path), "%s/missing.csv", dir);
	assert_true(tbx_profile_load(path, &p) < 0);
	assert_non_null(strstr(tbx_errmsg(), "missing.csv"));
	tmpdir_remove(dir);
}

/* Many rows grow the table; they all come back in order. */
static void many_rows(void **state)
{
	char *text = malloc(5000 * 24), *w = text;
	struct tbx_profile p;

	assert_non_null(text);
	w += sprintf(w, "# period = 5\n");
	for (int i = 0; i < 5000; i++)
		w += sprintf(w, "%d.%03d,%d,0\n", i / 1000, i % 1000, i);
	assert_int_equal(0, parse(text, &p));
	assert_int_equal(5000, p.n);
	assert_true(p.rows[4999].time_ns == 4999000000ULL);
	assert_true(p.rows[4999].rate_bps == 4999);
	assert_true(p.period_ns == 5000000000ULL);
	tbx_profile_free(&p);
	free(text);
}

static uint64_t clock_of(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * S + ts.tv_nsec;
}

/*
 * "# start = 0" puts phase 0 on the wall clock's multiples of the period,
 * whenever the host booted; a start ahead stays ahead. (real - mono) is
 * the same whenever it is read, so the only slack is between two reads.
 */
static void phase0_follows_the_wall_clock(void **state)
{
	struct tbx_profile p;
	uint64_t ph0, off, wall0, err;

	assert_int_equal(0, parse("# period = 10\n# start = 0\n0,1000,0\n", &p));
	ph0 = tbx_profile_phase0_mono(&p);
	off = clock_of(CLOCK_REALTIME) - clock_of(CLOCK_MONOTONIC);
	wall0 = ph0 + off;
	err = wall0 % (10 * S);
	if (err > 10 * S / 2)
		err = 10 * S - err;
	assert_true(err < S / 20);
	assert_true(ph0 <= clock_of(CLOCK_MONOTONIC) + 10 * S);
	tbx_profile_free(&p);

	assert_int_equal(0, parse("# period = 10\n0,1000,0\n", &p));
	p.has_start = true;
	p.start_ns = clock_of(CLOCK_REALTIME) + 5 * S;
	ph0 = tbx_profile_phase0_mono(&p);
	off = clock_of(CLOCK_REALTIME) - clock_of(CLOCK_MONOTONIC);
	err = ph0 + off > p.start_ns ? ph0 + off - p.start_ns : p.start_ns - (ph0 + off);
	assert_true(err < S / 20);
	tbx_profile_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(four_columns),
		cmocka_unit_test(three_columns_crlf_blanks),
		cmocka_unit_test(cumulative_bits),
		cmocka_unit_test(cbsat_forms),
		cmocka_unit_test(phase0_follows_the_wall_clock),
		cmocka_unit_test(errors_name_the_line),
		cmocka_unit_test(nul_byte_refused),
		cmocka_unit_test(load_from_a_file),
		cmocka_unit_test(many_rows),
	};

	return cmocka_run_group_tests_name("traffic profiles", tests, NULL, NULL);
}
