// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The runs each distribution computes, against values worked out by hand
 * from COCOMA's modules (exp and poisson: Python 2.7's random with the
 * same seed), and the full run lists of the two COCOMA examples.
 * test_emulation_cocoma.c holds the edge cases against COCOMA's own code.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "emu_test.h"
#include "tmpdir.h"

#define CPU	EMU_RES_CPU
#define MEM	EMU_RES_MEM
#define IO	EMU_RES_IO
#define NET	EMU_RES_NET

/* Plans one distribution in an emulation of @stop seconds; must succeed. */
static struct emu_plan *plan1(const char *type, const char *eres, const char *stop,
			      const char *dist, const char *start, const char *dur,
			      const char *gran, const char *args, const char *emulator,
			      const char *res, const char *params,
			      const struct emu_parse_opts *o)
{
	char *d = emu_dist(dist, start, dur, gran, args, emulator, res, params);
	char *doc = emu_doc(type, eres, stop, d);
	struct emu_plan *p = NULL;

	if (emu_plan_str(doc, o, &p))
		fail_msg("refused: %s\n%s", tbx_errmsg(), doc);
	free(d);
	free(doc);
	return p;
}

static void example_linear_cpu(void **state)
{
	/* reference/cocoma.md: CPU 10 -> 95 over 120 s in 18 steps */
	static const double starts[18] = {
		0, 6, 13, 20, 26, 33, 40, 46, 53, 60, 67, 73, 80, 87, 93, 100, 107, 114 };
	struct emu_parse_opts o = emu_host_opts;
	struct want_run w[18];
	struct emu_plan *p;
	char path[PATH_MAX];

	for (int i = 0; i < 18; i++)
		w[i] = (struct want_run){ 10 + 5 * i, starts[i], 6, CPU };
	emu_data_path("CPU-Linear-Lookbusy_10-95.xml", path, sizeof(path));
	/* 95 % is above COCOMA's 90 % rule: refused unless forced */
	tbx_err_clear();
	assert_int_not_equal(0, emu_plan_file(path, &o, &p));
	assert_non_null(strstr(tbx_errmsg(), "CPU-Linear-Lookbusy_10-95.xml:21: <stopLoad>: 95 is above 90 % of CPU's 100 %; COCOMA refuses it unless forced"));
	o.force = true;
	if (emu_plan_file(path, &o, &p))
		fail_msg("%s", tbx_errmsg());
	assert_string_equal(p->name, "CPU_EMU");
	assert_int_equal(p->type, EMU_TIME);
	assert_int_equal(p->res, EMU_RES_CPU);
	assert_true(p->start_now);
	assert_true(p->duration == 120);
	assert_false(p->log_enable);
	assert_true(p->log_frequency == 1);
	assert_string_equal(p->log_level, "debug");
	assert_int_equal(p->n_dists, 1);
	emu_expect_runs(p, w, 18);
	for (int i = 0; i < 18; i++) {
		assert_string_equal(p->runs[i].emulator, "cpu");
		assert_string_equal(p->runs[i].cocoma_emulator, "lookbusy");
		assert_int_equal(p->runs[i].ncpus, 0);
		assert_int_equal(p->runs[i].line, 10);
	}
	assert_true(emu_has_note(p, "<stopLoad>: 95 is above 90 % of CPU's 100 %", "forced"));
	emu_plan_free(p);
}

static void example_multidist(void **state)
{
	/* CPU linear g=1; MEM linear_incr 50 -> 100 from 20 s, 5 steps of 12 s:
	 * increments 12, 13, 12 (the remainder 0.5 carries) and 12 (the last
	 * step never gets the remainder); IO linear 1 -> 10 in 5 runs of 12 s.
	 * The IO run at 0 s is not staggered after the CPU run there: COCOMA
	 * staggered each distribution's runs on their own.
	 */
	static const struct want_run w[] = {
		{ 10, 0, 60, CPU }, { 1, 0, 12, IO }, { 3, 12, 12, IO }, { 50, 20, 60, MEM },
		{ 5, 24, 12, IO }, { 12, 32, 48, MEM }, { 7, 36, 12, IO }, { 13, 44, 36, MEM },
		{ 10, 48, 12, IO }, { 12, 56, 24, MEM }, { 12, 68, 12, MEM },
	};
	struct emu_parse_opts o = emu_host_opts;
	struct emu_plan *p;
	char path[PATH_MAX];
	json_t *j;

	emu_data_path("MultiDist2.xml", path, sizeof(path));
	/* COCOMA's windows total: 60, then 80, then 80 + |80 - 60| = 100 > 80 */
	tbx_err_clear();
	assert_int_not_equal(0, emu_plan_file(path, &o, &p));
	assert_non_null(strstr(tbx_errmsg(), "MultiDist2.xml:7: <emustopTime>: the distributions' windows add up to 100 s"));
	o.force = true;
	if (emu_plan_file(path, &o, &p))
		fail_msg("%s", tbx_errmsg());
	assert_string_equal(p->name, "CPU_and_Mem");
	assert_int_equal(p->type, EMU_MIX);
	assert_int_equal(p->res, EMU_RES_MIX);
	assert_true(p->duration == 80);
	assert_true(p->log_frequency == 3);
	assert_int_equal(p->n_dists, 3);
	emu_expect_runs(p, w, sizeof(w) / sizeof(w[0]));
	assert_int_equal(p->runs[1].io_sleep_ms, 100);
	assert_string_equal(p->runs[1].emulator, "io");
	assert_int_equal(p->runs[3].mem_sleep_us, 0);
	assert_int_equal(p->runs[3].dist, 1);
	assert_true(emu_has_note(p, "windows add up to 100 s", "forced"));

	j = emu_plan_json(p);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "name")), "CPU_and_Mem");
	assert_int_equal(json_integer_value(json_object_get(j, "n_runs")), 11);
	assert_true(json_real_value(json_object_get(json_array_get(json_object_get(j, "runs"), 1),
						    "start")) == 0);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
		json_object_get(j, "runs"), 3), "resource")), "MEM");
	assert_null(json_object_get(json_array_get(json_object_get(j, "runs"), 3), "event"));
	json_decref(j);
	emu_plan_free(p);
}

static void linear_tables(void **state)
{
	/* 0 -> 80 in 5 runs of 2 s: the run at load 0 is dropped */
	static const struct want_run up[] = {
		{ 20, 2, 2, CPU }, { 40, 4, 2, CPU }, { 60, 6, 2, CPU }, { 80, 8, 2, CPU } };
	/* downwards, from 5 s: loads linspace(70, 10, 4) = 70, 50, 30, 10;
	 * starts trunc(linspace(5, 5 + 30 - 7, 4)) = 5, 12, 20, 28 */
	static const struct want_run down[] = {
		{ 70, 5, 7, CPU }, { 50, 12, 7, CPU }, { 30, 20, 7, CPU }, { 10, 28, 7, CPU } };
	/* IO 1 -> 10 in 4: linspace 1, 4, 7, 10; NET 100 -> 0 in 3: linear's
	 * NET loads are 1 at least, so 0 becomes 1: 100, 50, 1 */
	static const struct want_run io[] = {
		{ 1, 0, 5, IO }, { 4, 5, 5, IO }, { 7, 10, 5, IO }, { 10, 15, 5, IO } };
	static const struct want_run net[] = {
		{ 100, 0, 10, NET }, { 50, 10, 10, NET }, { 1, 20, 10, NET } };
	struct emu_plan *p;

	p = plan1("TIME", "CPU", "10", "linear", "0", "10", "5",
		  "<startLoad>0</startLoad><stopLoad>80</stopLoad>", "lookbusy", "CPU", "", NULL);
	emu_expect_runs(p, up, 4);
	emu_plan_free(p);
	p = plan1("TIME", "CPU", "40", "linear", "5", "30", "4",
		  "<startLoad>70</startLoad><stopLoad>10</stopLoad>", "cpu", "CPU", "<pin>1</pin>", NULL);
	emu_expect_runs(p, down, 4);
	assert_true(p->runs[0].pin);
	emu_plan_free(p);
	p = plan1("TIME", "IO", "20", "linear", "0", "20", "4",
		  "<startLoad>1</startLoad><stopLoad>10</stopLoad>", "io", "IO",
		  "<directory>/var/tmp</directory>", NULL);
	emu_expect_runs(p, io, 4);
	assert_string_equal(p->runs[0].io_dir, "/var/tmp");
	emu_plan_free(p);
	p = plan1("TIME", "NET", "30", "linear", "0", "30", "3",
		  "<startLoad>100</startLoad><stopLoad>0</stopLoad>", "iperf", "NET",
		  "<serverip>198.18.0.2</serverip>", NULL);
	emu_expect_runs(p, net, 3);
	assert_true(emu_has_note(p, "<stopLoad>: 0 is below linear's minimum for NET, 1: it becomes 1", NULL));
	assert_string_equal(p->runs[0].server_ip, "198.18.0.2");
	assert_int_equal(p->runs[0].server_port, 5001);
	assert_string_equal(p->runs[0].protocol, "udp");
	emu_plan_free(p);
}

static void min_job_time(void **state)
{
	/* runs of 2 s, minJobTime 3: all go, and a note says so */
	struct emu_plan *p = plan1("TIME", "CPU", "10", "linear", "0", "10", "5",
				   "<startLoad>10</startLoad><stopLoad>50</stopLoad><minJobTime>3</minJobTime>",
				   "lookbusy", "CPU", "", NULL);

	assert_int_equal(p->n_runs, 0);
	assert_true(emu_has_note(p, "t.xml:7: <distributions> d: no runs", NULL));
	emu_plan_free(p);
}

static void stacked_tables(void **state)
{
	/* 100 -> 200 in 4: step 33.3: linear_incr floors it to 33 and adds
	 * one when the remainder's sum reaches 1 - never before the last
	 * step, which never gets it: 33, 33, 33 */
	static const struct want_run incr[] = {
		{ 100, 0, 40, MEM }, { 33, 10, 30, MEM }, { 33, 20, 20, MEM }, { 33, 30, 10, MEM } };
	/* trapezoidal: half-steps in, the last lasting one run (10 s) */
	static const struct want_run trap[] = {
		{ 100, 0, 40, MEM }, { 33, 5, 30, MEM }, { 33, 10, 20, MEM }, { 33, 15, 10, MEM } };
	/* 200 -> 100: the stack starts at the smaller load; downwards every
	 * step starts at the start (and the stagger moves it 0.12 s) */
	static const struct want_run rev[] = { { 100, 0, 40, NET }, { 100, 0.12, 20, NET } };
	struct emu_plan *p;

	p = plan1("TIME", "MEM", "40", "linear_incr", "0", "40", "4",
		  "<startLoad>100</startLoad><stopLoad>200</stopLoad>", "lookbusy", "MEM",
		  "<memSleep>1000</memSleep>", NULL);
	emu_expect_runs(p, incr, 4);
	assert_int_equal(p->runs[0].mem_sleep_us, 1000);
	emu_plan_free(p);
	p = plan1("TIME", "MEM", "40", "trapezoidal", "0", "40", "4",
		  "<startLoad>100</startLoad><stopLoad>200</stopLoad>", "stressapptest", "MEM",
		  "<memThreads>4</memThreads>", NULL);
	emu_expect_runs(p, trap, 4);
	assert_int_equal(p->runs[0].mem_threads, 4);
	emu_plan_free(p);
	p = plan1("TIME", "NET", "40", "linear_incr", "0", "40", "2",
		  "<startLoad>200</startLoad><stopLoad>100</stopLoad>", "iperf", "NET",
		  "<serverip>fd00::2</serverip><serverport>9</serverport>", NULL);
	emu_expect_runs(p, rev, 2);
	assert_int_equal(p->runs[0].server_port, 9);
	emu_plan_free(p);
}

/* Where linear_incr and trapezoidal round their steps apart: 100 -> 110
 * in 5, a step of 2.5. linear_incr adds one when the remainders' sum
 * reaches 1 (the second step), trapezoidal only when it passes 1 (the
 * third); neither on the last step. */
static void step_rounding(void **state)
{
	static const struct want_run incr[] = {
		{ 100, 0, 50, NET }, { 2, 10, 40, NET }, { 3, 20, 30, NET }, { 2, 30, 20, NET },
		{ 2, 40, 10, NET } };
	static const struct want_run trap[] = {
		{ 100, 0, 50, NET }, { 2, 5, 40, NET }, { 2, 10, 30, NET }, { 3, 15, 20, NET },
		{ 2, 20, 10, NET } };
	/* downwards the remainder is of -16.67 (0.33: Python's % is never
	 * negative) and trapezoidal plays each step at both ends */
	static const struct want_run down[] = {
		{ 100, 0, 50, NET }, { 17, 0.12, 20, NET }, { 17, 0.24, 15, NET }, { 18, 0.36, 10, NET },
		{ 17, 0.48, 5, NET }, { 17, 30, 20, NET }, { 17, 35, 15, NET }, { 18, 40, 10, NET },
		{ 17, 45, 5, NET } };
	struct emu_plan *p;

	p = plan1("TIME", "NET", "50", "linear_incr", "0", "50", "5",
		  "<startLoad>100</startLoad><stopLoad>110</stopLoad>", "iperf", "NET",
		  "<serverip>198.18.0.2</serverip>", NULL);
	emu_expect_runs(p, incr, 5);
	emu_plan_free(p);
	p = plan1("TIME", "NET", "50", "trapezoidal", "0", "50", "5",
		  "<startLoad>100</startLoad><stopLoad>110</stopLoad>", "iperf", "NET",
		  "<serverip>198.18.0.2</serverip>", NULL);
	emu_expect_runs(p, trap, 5);
	emu_plan_free(p);
	p = plan1("TIME", "NET", "50", "trapezoidal", "0", "50", "5",
		  "<startLoad>170</startLoad><stopLoad>100</stopLoad>", "iperf", "NET",
		  "<serverip>198.18.0.2</serverip>", NULL);
	emu_expect_runs(p, down, 9);
	emu_plan_free(p);
}

static void mem_split(void **state)
{
	/* 9000 MiB on one run (granularity 1): COCOMA's linear returns before
	 * splitting; on two runs: 4095 + 4095 + 810 at each start, staggered */
	static const struct want_run one[] = { { 9000, 0, 10, MEM } };
	static const struct want_run two[] = {
		{ 4095, 0, 5, MEM }, { 4095, 0.12, 5, MEM }, { 810, 0.24, 5, MEM },
		{ 4095, 5, 5, MEM }, { 4095, 5.12, 5, MEM }, { 810, 5.24, 5, MEM } };
	struct emu_parse_opts o = emu_host_opts;
	struct emu_plan *p;

	o.mem_bytes = 16000 * MiB;
	o.mem_used_bytes = 0;
	p = plan1("TIME", "MEM", "10", "linear", "0", "10", "1",
		  "<startLoad>9000</startLoad><stopLoad>9000</stopLoad>", "lookbusy", "MEM", "", &o);
	emu_expect_runs(p, one, 1);
	emu_plan_free(p);
	p = plan1("TIME", "MEM", "10", "linear", "0", "10", "2",
		  "<startLoad>9000</startLoad><stopLoad>9000</stopLoad>", "lookbusy", "MEM", "", &o);
	emu_expect_runs(p, two, 6);
	emu_plan_free(p);
}

/*
 * COCOMA's order: minJobTime, then the stagger, then zero-load removal.
 * trapezoidal 102 -> 100 in 5 over 50 s: 100 for 50 s at 0, then steps of
 * 0.5 (made 0, then 1 once the remainders pass 1), each played at both
 * ends: at 0 s the runs are 100, 0, 0, 1, 0. The stagger moves the 1 to
 * 0.36 s (its rank is 3) before the zeros go; removing them first would
 * have put it at 0.12.
 */
static void order_of_postprocessing(void **state)
{
	static const struct want_run w[] = { { 100, 0, 50, NET }, { 1, 0.36, 10, NET }, { 1, 40, 10, NET } };
	struct emu_plan *p;

	p = plan1("TIME", "NET", "50", "trapezoidal", "0", "50", "5",
		  "<startLoad>102</startLoad><stopLoad>100</stopLoad>", "iperf", "NET",
		  "<serverip>198.18.0.2</serverip>", NULL);
	emu_expect_runs(p, w, 3);
	emu_plan_free(p);
}

/*
 * The stagger's walk: trapezoidal MEM 5000 -> 5100 in 25 over 6 s. The
 * first run splits into 4095 + 905 at 0 s, the steps start every 0.12 s.
 * Walking the list: the 905 part moves to 0.12, where the first step is,
 * so that step moves to 0.24 when its turn comes, meeting the second ...
 */
static void stagger_walk(void **state)
{
	struct emu_parse_opts o = emu_host_opts;
	struct emu_plan *p;
	double at24[2];
	int n24 = 0;

	o.mem_bytes = 16000 * MiB;
	o.mem_used_bytes = 0;
	p = plan1("TIME", "MEM", "6", "trapezoidal", "0", "6", "25",
		  "<startLoad>5000</startLoad><stopLoad>5100</stopLoad>", "lookbusy", "MEM", "", &o);
	/* minJobTime 2 keeps the first 18 of the 26 runs */
	assert_int_equal(p->n_runs, 18);
	assert_true(p->runs[0].load == 4095 && p->runs[0].start == 0);
	assert_true(p->runs[1].load == 905 && fabs(p->runs[1].start - 0.12) < 1e-9);
	for (size_t i = 0; i < p->n_runs; i++)
		if (fabs(p->runs[i].start - 0.24) < 1e-9 && n24 < 2)
			at24[n24++] = p->runs[i].duration;
	/* two runs end up at 0.24: the first step (5.76 s), moved twice, and
	 * the second (5.52 s), moved never */
	assert_int_equal(n24, 2);
	assert_true(fabs(at24[0] - 5.52) < 1e-9 || fabs(at24[1] - 5.52) < 1e-9);
	assert_true(fabs(at24[0] - 5.76) < 1e-9 || fabs(at24[1] - 5.76) < 1e-9);
	emu_plan_free(p);
}

static void exp_poisson(void **state)
{
	/* Python 2.7: random.seed(100); expovariate(l) = -log(1 - random()) / l.
	 * The first run is on for 0.98 s: below minJobTime, deleted. exp's
	 * runs are not cut at the window's end (COCOMA's were not). */
	static const struct want_run e[] = {
		{ 50, 12.3621471307104, 18.41362050874521, CPU },
		{ 50, 46.05728251555152, 24.686535459204244, CPU },
		{ 50, 74.29571597274271, 38.62896487998659, CPU } };
	struct emu_parse_opts o = emu_host_opts;
	struct emu_plan *p;

	/* COCOMA's seed by default */
	p = plan1("TIME", "CPU", "100", "exp", "0", "100", "4",
		  "<startLoad>50</startLoad><stopLoad>60</stopLoad>", "lookbusy", "CPU", "", NULL);
	emu_expect_runs(p, e, 3);
	emu_plan_free(p);
	/* poisson: random.Random(7), arrivals every Exp(mean 10 s) */
	o.seed_set = true;
	o.seed = 7;
	p = plan1("TIME", "CPU", "60", "poisson", "0", "60", "6", "<startLoad>30</startLoad>",
		  "cpu", "CPU", "", &o);
	assert_true(p->n_runs > 3);
	assert_true(fabs(p->runs[0].start - 3.9131484423480427) < 1e-9);
	assert_true(fabs(p->runs[1].start - 5.548333012402824) < 1e-9);
	assert_true(p->runs[0].duration == 10);
	emu_plan_free(p);
	/* --seed changes exp's runs; <seed> changes them again */
	p = plan1("TIME", "CPU", "100", "exp", "0", "100", "4",
		  "<startLoad>50</startLoad><stopLoad>60</stopLoad>", "lookbusy", "CPU", "", &o);
	assert_false(p->n_runs == 3 && fabs(p->runs[0].start - e[0].start) < 1e-9);
	emu_plan_free(p);
}

static void event_fuzz(void **state)
{
	/* backfuzz from 10 to 10 + 900 bytes by 100: 10 payloads, 0.8 s apart */
	static const struct want_run ev[] = { { 1.25, 5, 8, NET } };
	/* fuzz: COCOMA's module has no duration: one run of 0 s */
	static const struct want_run fz[] = { { 40, 0, 0, NET } };
	struct emu_plan *p;

	p = plan1("EVENT", "NET", "30", "event", "5", "20", "1", "", "backfuzz", "NET",
		  "<serverip>198.18.0.2</serverip><protocol>http</protocol><min>10</min>", NULL);
	emu_expect_runs(p, ev, 1);
	assert_true(p->runs[0].event);
	assert_string_equal(p->runs[0].protocol, "fuzz");
	assert_string_equal(p->runs[0].fuzz_protocol, "HTTP");
	assert_int_equal(p->runs[0].fuzz_min, 10);
	assert_int_equal(p->runs[0].fuzz_range, 900);
	assert_int_equal(p->runs[0].server_port, 80);
	/* event reads no duration, granularity or minJobTime */
	assert_true(emu_has_note(p, "t.xml:10: <duration>: read by neither event nor backfuzz for NET; ignored", NULL));
	assert_true(emu_has_note(p, "<granularity>: read by neither", NULL));
	emu_plan_free(p);
	p = plan1("TIME", "NET", "30", "fuzz", "0", "30", "1", "<startLoad>40</startLoad>", "net",
		  "NET", "<serverip>198.18.0.2</serverip><protocol>TCP</protocol><dev>veth0</dev>", NULL);
	emu_expect_runs(p, fz, 1);
	assert_false(p->runs[0].event);
	assert_string_equal(p->runs[0].protocol, "tcp");
	assert_string_equal(p->runs[0].dev, "veth0");
	emu_plan_free(p);
}

/*
 * Event chaining: COCOMA created the distributions after an event only
 * once it ended, at that second + 5 s; one due before then starts then
 * plus its startTime, one due later at its time. The event at 3 s plays
 * 3 payloads (2.4 s): it ends at 5.4 s, so the CPU ramp (startTime 2)
 * starts at 5 + 5 + 2 = 12 s; the MEM ramp (startTime 30) at 30 s.
 */
static void event_chaining(void **state)
{
	static const struct want_run w[] = {
		{ 1.25, 3, 2.4, NET }, { 10, 12, 5, CPU }, { 23, 17, 5, CPU }, { 36, 22, 5, CPU },
		{ 50, 27, 5, CPU }, { 100, 30, 10, MEM }, { 200, 40, 10, MEM } };
	static const char fuzz[] =
		"<serverip>198.18.0.2</serverip><min>100</min><fuzzRange>4</fuzzRange><salt>2</salt>"
		"<timedelay>0</timedelay>";
	char *ev = emu_dist("event", "3", "0", "1", "", "backfuzz", "NET", fuzz);
	char *cpu = emu_dist("linear", "2", "20", "4", "<startLoad>10</startLoad><stopLoad>50</stopLoad>",
			     "lookbusy", "CPU", "");
	char *mem = emu_dist("linear", "30", "20", "2", "<startLoad>100</startLoad><stopLoad>200</stopLoad>",
			     "lookbusy", "MEM", "");
	char *all, *doc;
	struct emu_plan *p;

	assert_true(asprintf(&all, "%s%s%s", ev, cpu, mem) > 0);
	doc = emu_doc("MIX", "MIX", "60", all);
	if (emu_plan_str(doc, NULL, &p))
		fail_msg("%s", tbx_errmsg());
	emu_expect_runs(p, w, 7);
	assert_true(p->runs[0].event && !p->runs[1].event);
	assert_true(emu_has_note(p, "<distributions> d: after the event of line 7: starts at 12 s", NULL));
	emu_plan_free(p);
	free(ev);
	free(cpu);
	free(mem);
	free(all);
	free(doc);
}

static void shapes(void **state)
{
	static const struct want_run st[] = {
		{ 10, 0, 10, CPU }, { 50, 10, 10, CPU }, { 10, 20, 10, CPU }, { 50, 30, 10, CPU } };
	/* 80 (1 - cos(2 pi t / 40)) / 2 at t = 0 (0: dropped), 10, 20, 30 */
	static const struct want_run si[] = { { 40, 10, 10, CPU }, { 80, 20, 10, CPU }, { 40, 30, 10, CPU } };
	struct emu_plan *p;

	p = plan1("TIME", "CPU", "40", "step", "0", "40", "4",
		  "<startLoad>10</startLoad><stopLoad>50</stopLoad>", "cpu", "CPU", "", NULL);
	emu_expect_runs(p, st, 4);
	emu_plan_free(p);
	p = plan1("TIME", "CPU", "40", "sine", "0", "40", "4",
		  "<startLoad>0</startLoad><stopLoad>80</stopLoad><period>40</period>", "cpu", "CPU", "", NULL);
	emu_expect_runs(p, si, 3);
	emu_plan_free(p);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void trace_and_profile(void **state)
{
	/* CPU 10 12 30 31 80 every 2 s, merging within 5 (strictly):
	 * (10+12)//2 = 11 for 4 s, (30+31)//2 = 30 for 4 s, 80 for 2 s */
	static const struct want_run cpu[] = { { 11, 0, 4, CPU }, { 30, 4, 4, CPU }, { 80, 8, 2, CPU } };
	/* MEM %, read with int(), of 16000 MiB as N * (16000 // 100): 10 and
	 * 10.5 are both 1600 (merged, 4 s), 50 is 8000 -> split 4095 + 3905
	 * at the same start, staggered */
	static const struct want_run mem[] = {
		{ 1600, 0, 4, MEM }, { 4095, 4, 2, MEM }, { 3905, 4.12, 2, MEM } };
	static const struct want_run prof[] = { { 2, 0, 10, NET } };
	struct emu_parse_opts o = emu_host_opts;
	char dir[64], trace[128], args[300], profile[128];
	struct emu_plan *p;

	assert_int_equal(0, tmpdir_make(dir, sizeof(dir), "tbx-emu"));
	snprintf(trace, sizeof(trace), "%s/cpu.trace", dir);
	write_file(trace, "NCPUS\t2\nMEMTOTAL\t8388608\nTIMESTAMP\t1700000000000\nPOLLFR\t2\n"
			  "CPU%\tMEMUSED%\n10\t10\n12\t10.5\n30\t50\n31\t50\n80\t50\n");
	snprintf(args, sizeof(args), "<trace>%s</trace><groupingRange>5</groupingRange>", trace);
	p = plan1("TIME", "CPU", "10", "real_trace", "0", "10", "1", args, "lookbusy", "CPU", "", NULL);
	emu_expect_runs(p, cpu, 3);
	emu_plan_free(p);

	write_file(trace, "NCPUS 2\nMEMTOTAL 8388608\nTIMESTAMP 1700000000000\nPOLLFR 2\n"
			  "CPU%  MEMUSED%\n10 10\n12 10.5\n30 50\n");
	snprintf(args, sizeof(args), "<trace>%s</trace><groupingRange>1</groupingRange>", trace);
	o.mem_bytes = 16000 * MiB;
	o.mem_used_bytes = 0;
	p = plan1("TIME", "MEM", "6", "real_trace", "0", "6", "1", args, "lookbusy", "MEM", "", &o);
	emu_expect_runs(p, mem, 3);
	emu_plan_free(p);

	/* real_trace has no duration: the whole trace plays, the window
	 * given is ignored with a note */
	p = plan1("TIME", "CPU", "5", "real_trace", "0", "5", "1", args, "lookbusy", "CPU", "", NULL);
	assert_int_equal(p->n_runs, 3);
	assert_true(p->runs[2].start == 4 && p->runs[2].duration == 2);
	assert_true(emu_has_note(p, "t.xml:10: <duration>: read by neither real_trace nor lookbusy for CPU", NULL));
	emu_plan_free(p);

	snprintf(profile, sizeof(profile), "%s/p.csv", dir);
	write_file(profile, "# period = 2\n0,800000,0,0\n1,2000000,0,0\n");
	snprintf(args, sizeof(args), "<profile>%s</profile>", profile);
	p = plan1("TIME", "NET", "10", "profile", "0", "10", "1", args, "net", "NET",
		  "<serverip>198.18.0.2</serverip>", NULL);
	emu_expect_runs(p, prof, 1);
	assert_string_equal(p->runs[0].profile, profile);
	emu_plan_free(p);
	tmpdir_remove(dir);
}

static json_t *arg_of(json_t *o, const char *res, const char *name)
{
	size_t i;
	json_t *a;

	json_array_foreach(json_object_get(json_object_get(o, "arguments"), res), i, a)
		if (!strcmp(json_string_value(json_object_get(a, "name")), name))
			return a;
	return NULL;
}

static long long bound(json_t *o, const char *res, const char *name, const char *which)
{
	json_t *a = arg_of(o, res, name);

	if (!a)
		fail_msg("no %s for %s", name, res);
	return json_integer_value(json_object_get(a, which));
}

/* The tables `tbx distribution`, `tbx emulator` and tbxd show: one per
 * (module, resource), COCOMA's argNames bounds. */
static void tables(void **state)
{
	static const char *const dists[] = { "linear", "linear_incr", "trapezoidal", "exp", "event",
		"fuzz", "real_trace", "poisson", "step", "sine", "profile" };
	static const char *const emus[] = { "lookbusy", "lookbusy_pin", "stressapptest", "iperf",
		"backfuzz", "cpu", "mem", "io", "net" };
	json_t *a = emu_distributions_json(NULL), *o;

	assert_int_equal(json_array_size(a), 11);
	for (size_t i = 0; i < 11; i++)
		assert_string_equal(json_string_value(json_object_get(json_array_get(a, i), "name")), dists[i]);
	json_decref(a);
	o = emu_distributions_json("LINEAR_INCR");
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "origin")), "cocoma");
	/* COCOMA dropped linear_incr's IO */
	assert_int_equal(json_array_size(json_object_get(o, "resources")), 2);
	assert_null(json_object_get(json_object_get(o, "arguments"), "IO"));
	assert_int_equal(bound(o, "NET", "startLoad", "min"), 50);
	assert_int_equal(bound(o, "NET", "startLoad", "max"), 999999);
	assert_int_equal(bound(o, "MEM", "stopLoad", "min"), 50);
	assert_true(json_is_true(json_object_get(arg_of(o, "MEM", "duration"), "required")));
	json_decref(o);
	o = emu_distributions_json("linear");
	assert_int_equal(bound(o, "CPU", "startLoad", "min"), 0);
	assert_int_equal(bound(o, "CPU", "granularity", "min"), 0);
	assert_int_equal(bound(o, "NET", "startLoad", "min"), 1);
	assert_int_equal(bound(o, "IO", "granularity", "min"), 1);
	json_decref(o);
	o = emu_distributions_json("trapezoidal");
	assert_int_equal(bound(o, "NET", "startLoad", "min"), 1);
	assert_int_equal(bound(o, "MEM", "startLoad", "min"), 50);
	json_decref(o);
	o = emu_distributions_json("event");
	assert_int_equal(json_array_size(json_object_get(json_object_get(o, "arguments"), "NET")), 0);
	json_decref(o);
	o = emu_distributions_json("real_trace");
	assert_null(arg_of(o, "CPU", "duration"));
	assert_int_equal(bound(o, "MEM", "groupingRange", "max"), 99);
	json_decref(o);
	tbx_err_clear();
	assert_null(emu_distributions_json("gauss"));
	assert_non_null(strstr(tbx_errmsg(), "no distribution \"gauss\""));

	a = emu_emulators_json(NULL);
	assert_int_equal(json_array_size(a), 9);
	for (size_t i = 0; i < 9; i++)
		assert_string_equal(json_string_value(json_object_get(json_array_get(a, i), "name")), emus[i]);
	json_decref(a);
	o = emu_emulators_json("lookbusy_pin");
	assert_string_equal(json_string_value(json_object_get(json_object_get(o, "runs"), "MEM")), "mem");
	assert_null(json_object_get(json_object_get(o, "runs"), "NET"));
	assert_true(json_is_true(json_object_get(o, "pinned")));
	assert_int_equal(bound(o, "IO", "ioBlockSize", "max"), 9999999);
	json_decref(o);
	o = emu_emulators_json("backfuzz");
	assert_true(json_is_true(json_object_get(o, "event_only")));
	assert_int_equal(bound(o, "NET", "timedelay", "min"), 0);
	assert_int_equal(bound(o, "NET", "salt", "max"), 100000);
	json_decref(o);
	o = emu_emulators_json("stressapptest");
	assert_int_equal(bound(o, "MEM", "memThreads", "max"), 10);
	json_decref(o);
	assert_null(emu_emulators_json("stress"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(example_linear_cpu),
		cmocka_unit_test(example_multidist),
		cmocka_unit_test(linear_tables),
		cmocka_unit_test(min_job_time),
		cmocka_unit_test(stacked_tables),
		cmocka_unit_test(step_rounding),
		cmocka_unit_test(mem_split),
		cmocka_unit_test(order_of_postprocessing),
		cmocka_unit_test(stagger_walk),
		cmocka_unit_test(exp_poisson),
		cmocka_unit_test(event_fuzz),
		cmocka_unit_test(event_chaining),
		cmocka_unit_test(shapes),
		cmocka_unit_test(trace_and_profile),
		cmocka_unit_test(tables),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
