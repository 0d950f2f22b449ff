// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The runs each distribution computes, against values worked out by hand
 * from reference/cocoma.md's algorithms (exp and poisson: Python's random
 * with the same seed), and the full run lists of the two COCOMA examples.
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
	/* 95 % is above the 90 % rule: refused unless forced */
	tbx_err_clear();
	assert_int_not_equal(0, emu_plan_file(path, &o, &p));
	assert_non_null(strstr(tbx_errmsg(), "CPU-Linear-Lookbusy_10-95.xml:10: <distributions>: CPU load reaches 95 %"));
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
	assert_true(emu_has_note(p, "CPU load reaches 95 %", "forced"));
	emu_plan_free(p);
}

static void example_multidist(void **state)
{
	/* CPU linear g=1; MEM linear_incr 50 -> 100 from 20 s, 5 steps of 12 s
	 * (increments 12, 13, 12, 13: the remainder 0.5 carries); IO linear
	 * 1 -> 10 in 5 runs of 12 s. The IO run at 0 s is staggered by 0.12 s
	 * after the CPU run that also starts at 0 s.
	 */
	static const struct want_run w[] = {
		{ 10, 0, 60, CPU }, { 1, 0.12, 12, IO }, { 3, 12, 12, IO }, { 50, 20, 60, MEM },
		{ 5, 24, 12, IO }, { 12, 32, 48, MEM }, { 7, 36, 12, IO }, { 13, 44, 36, MEM },
		{ 10, 48, 12, IO }, { 12, 56, 24, MEM }, { 13, 68, 12, MEM },
	};
	struct emu_plan *p;
	char path[PATH_MAX];
	json_t *j;

	emu_data_path("MultiDist2.xml", path, sizeof(path));
	if (emu_plan_file(path, &emu_host_opts, &p))
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
	assert_int_equal(p->n_notes, 0);

	j = emu_plan_json(p);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "name")), "CPU_and_Mem");
	assert_int_equal(json_integer_value(json_object_get(j, "n_runs")), 11);
	assert_true(json_real_value(json_object_get(json_array_get(json_object_get(j, "runs"), 1),
						    "start")) == 0.12);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
		json_object_get(j, "runs"), 3), "resource")), "MEM");
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
	/* IO 1 -> 10 in 4: linspace 1, 4, 7, 10; NET 100 -> 0 in 3: 100, 50, (0 dropped) */
	static const struct want_run io[] = {
		{ 1, 0, 5, IO }, { 4, 5, 5, IO }, { 7, 10, 5, IO }, { 10, 15, 5, IO } };
	static const struct want_run net[] = { { 100, 0, 10, NET }, { 50, 10, 10, NET } };
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
	emu_expect_runs(p, net, 2);
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
	/* 100 -> 200 in 4: step 10 s, increments 33, 33, 34 (remainder 1/3 carries) */
	static const struct want_run incr[] = {
		{ 100, 0, 40, MEM }, { 33, 10, 30, MEM }, { 33, 20, 20, MEM }, { 34, 30, 10, MEM } };
	static const struct want_run trap[] = {
		{ 100, 0, 40, MEM }, { 33, 5, 30, MEM }, { 33, 10, 20, MEM }, { 34, 15, 10, MEM } };
	/* 200 -> 100: the stack starts at the smaller load */
	static const struct want_run rev[] = { { 100, 0, 40, NET }, { 100, 20, 20, NET } };
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

static void mem_split(void **state)
{
	/* 9000 MiB: 4095 + 4095 + 810, parallel, staggered 0.12 s apart */
	static const struct want_run w[] = {
		{ 4095, 0, 10, MEM }, { 4095, 0.12, 10, MEM }, { 810, 0.24, 10, MEM } };
	struct emu_parse_opts o = emu_host_opts;
	struct emu_plan *p;

	o.mem_bytes = 64 * GiB;
	p = plan1("TIME", "MEM", "10", "linear", "0", "10", "1",
		  "<startLoad>9000</startLoad><stopLoad>9000</stopLoad>", "lookbusy", "MEM", "", &o);
	emu_expect_runs(p, w, 3);
	emu_plan_free(p);
}

static void exp_poisson(void **state)
{
	/* Python: r = random.Random(100); on/off as COCOMA's dist_exp */
	static const struct want_run e[] = {
		{ 50, 0.0, 12.040103769493513, CPU },
		{ 50, 26.807946942135597, 3.254341905574344, CPU },
		{ 50, 34.422660842124195, 5.850577769256312, CPU },
		{ 50, 45.497177266542685, 5.354831525384837, CPU } };
	/* random.Random(7), arrivals every Exp(mean 10 s), runs of 10 s */
	static const struct want_run po[] = {
		{ 30, 11.275280543675024, 10, CPU }, { 30, 30.19002843898099, 10, CPU },
		{ 30, 34.48349141590566, 10, CPU } };
	/* one run of Exp(mean 9 s) = 17.3 s in a 10 s window: cut */
	static const struct want_run cut[] = { { 50, 0, 10, CPU } };
	struct emu_parse_opts o = emu_host_opts;
	struct emu_plan *p;

	p = plan1("TIME", "CPU", "100", "exp", "0", "100", "4",
		  "<startLoad>50</startLoad><stopLoad>60</stopLoad><seed>100</seed>", "lookbusy",
		  "CPU", "", NULL);
	emu_expect_runs(p, e, 4);
	emu_plan_free(p);
	o.seed = 7;	/* the caller's seed when the XML gives none */
	p = plan1("TIME", "CPU", "60", "poisson", "0", "60", "6", "<startLoad>30</startLoad>",
		  "cpu", "CPU", "", &o);
	emu_expect_runs(p, po, 3);
	emu_plan_free(p);
	p = plan1("TIME", "CPU", "10", "exp", "0", "10", "1",
		  "<startLoad>50</startLoad><seed>100</seed>", "lookbusy", "CPU", "", NULL);
	emu_expect_runs(p, cut, 1);
	assert_true(emu_has_note(p, "1 run(s) cut at the window's end", NULL));
	emu_plan_free(p);
}

static void event_fuzz(void **state)
{
	static const struct want_run ev[] = { { 10, 5, 20, NET } };
	static const struct want_run fz[] = { { 40, 0, 30, NET } };
	struct emu_plan *p;

	p = plan1("EVENT", "NET", "30", "event", "5", "20", "1", "", "backfuzz", "NET",
		  "<serverip>198.18.0.2</serverip><protocol>HTTP</protocol><min>10</min>", NULL);
	emu_expect_runs(p, ev, 1);
	assert_string_equal(p->runs[0].protocol, "fuzz");
	assert_string_equal(p->runs[0].fuzz_protocol, "HTTP");
	assert_int_equal(p->runs[0].fuzz_min, 10);
	assert_int_equal(p->runs[0].fuzz_range, 900);
	assert_int_equal(p->runs[0].server_port, 80);
	emu_plan_free(p);
	p = plan1("TIME", "NET", "30", "fuzz", "0", "30", "1", "<startLoad>40</startLoad>", "net",
		  "NET", "<serverip>198.18.0.2</serverip><protocol>TCP</protocol><dev>veth0</dev>", NULL);
	emu_expect_runs(p, fz, 1);
	assert_string_equal(p->runs[0].protocol, "tcp");
	assert_string_equal(p->runs[0].dev, "veth0");
	emu_plan_free(p);
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
	/* CPU 10 12 30 31 80 every 2 s, within 5: (10+12)//2 = 11 for 4 s,
	 * (30+31)//2 = 30 for 4 s, 80 for 2 s */
	static const struct want_run cpu[] = { { 11, 0, 4, CPU }, { 30, 4, 4, CPU }, { 80, 8, 2, CPU } };
	/* MEM % of 8192 MiB: 10 % = 819, 10.5 % = 860 (within 81 MiB: 839),
	 * 50 % = 4096 -> split 4095 + 1 at the same start, staggered */
	static const struct want_run mem[] = {
		{ 839, 0, 4, MEM }, { 4095, 4, 2, MEM }, { 1, 4.12, 2, MEM } };
	static const struct want_run prof[] = { { 2, 0, 10, NET } };
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
	p = plan1("TIME", "MEM", "6", "real_trace", "0", "6", "1", args, "lookbusy", "MEM", "", NULL);
	emu_expect_runs(p, mem, 3);
	emu_plan_free(p);

	/* the window cuts a longer trace */
	snprintf(args, sizeof(args), "<trace>%s</trace><groupingRange>1</groupingRange>", trace);
	p = plan1("TIME", "CPU", "5", "real_trace", "0", "5", "1", args, "lookbusy", "CPU", "", NULL);
	assert_int_equal(p->n_runs, 2);
	assert_true(p->runs[1].duration == 2 || p->runs[1].duration == 1);
	assert_true(emu_has_note(p, "<trace>: the trace is longer than the window", NULL));
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

/* The tables `tbx distribution`, `tbx emulator` and tbxd show. */
static void tables(void **state)
{
	static const char *const dists[] = { "linear", "linear_incr", "trapezoidal", "exp", "event",
		"fuzz", "real_trace", "poisson", "step", "sine", "profile" };
	static const char *const emus[] = { "lookbusy", "lookbusy_pin", "stressapptest", "iperf",
		"backfuzz", "cpu", "mem", "io", "net" };
	json_t *a = emu_distributions_json(NULL), *o, *arg;

	assert_int_equal(json_array_size(a), 11);
	for (size_t i = 0; i < 11; i++)
		assert_string_equal(json_string_value(json_object_get(json_array_get(a, i), "name")), dists[i]);
	json_decref(a);
	o = emu_distributions_json("LINEAR_INCR");
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "origin")), "cocoma");
	assert_int_equal(json_array_size(json_object_get(o, "resources")), 3);
	arg = json_array_get(json_object_get(o, "arguments"), 0);
	assert_string_equal(json_string_value(json_object_get(arg, "name")), "startLoad");
	assert_true(json_number_value(json_object_get(json_object_get(json_object_get(arg, "bounds"), "CPU"), "max")) == 100);
	assert_true(json_number_value(json_object_get(json_object_get(json_object_get(arg, "bounds"), "MEM"), "min")) == 50);
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
	json_decref(o);
	o = emu_emulators_json("backfuzz");
	assert_true(json_is_true(json_object_get(o, "event_only")));
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
		cmocka_unit_test(mem_split),
		cmocka_unit_test(exp_poisson),
		cmocka_unit_test(event_fuzz),
		cmocka_unit_test(shapes),
		cmocka_unit_test(trace_and_profile),
		cmocka_unit_test(tables),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
