// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Traces for real_trace: the reader on good and bad files, and what
 * `tbx record` (emu_record and the CLI) writes read back by the reader.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "emu_test.h"
#include "tmpdir.h"

static int parse(const char *text, struct emu_trace *t)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int err;

	assert_non_null(f);
	err = emu_trace_read(f, "t.trace", t);
	fclose(f);
	return err;
}

static void good(void **state)
{
	struct emu_trace t;

	assert_int_equal(0, parse("NCPUS\t4\nMEMTOTAL\t16000000\nTIMESTAMP\t1700000000123\n"
				  "POLLFR\t1\nCPU%\tMEMUSED%\n12.5\t40.0\n\n100\t0\n", &t));
	assert_int_equal(t.ncpus, 4);
	assert_true(t.memtotal_kb == 16000000 && t.timestamp_ms == 1700000000123ULL);
	assert_true(t.pollfr == 1 && t.mem_percent);
	assert_int_equal(t.n, 2);
	assert_true(t.cpu[0] == 12.5 && t.mem[0] == 40 && t.cpu[1] == 100 && t.mem[1] == 0);
	emu_trace_free(&t);
	/* spaces, CRLF, memory in bytes */
	assert_int_equal(0, parse("NCPUS 1\r\nMEMTOTAL   1000\r\nTIMESTAMP 0\r\nPOLLFR 0.5\r\n"
				  "CPU%   MEMUSED\r\n5 1048576\r\n", &t));
	assert_false(t.mem_percent);
	assert_true(t.pollfr == 0.5 && t.mem[0] == 1048576);
	emu_trace_free(&t);
	assert_int_equal(0, parse("NCPUS 1\nMEMTOTAL 1\nTIMESTAMP 1.5\nPOLLFR 3\ncpu% mem\n1 2\n", &t));
	assert_false(t.mem_percent);
	emu_trace_free(&t);
	/* COCOMA read any column header (MEM as % only after "MEMUSED%"),
	 * and any value: the overload rule is what refuses CPU above 100 */
	assert_int_equal(0, parse("NCPUS 1\nMEMTOTAL 1\nTIMESTAMP 1\nPOLLFR 1\nCPU DISK\n101 7\n", &t));
	assert_false(t.mem_percent);
	assert_true(t.cpu[0] == 101);
	emu_trace_free(&t);
	assert_int_equal(0, parse("NCPUS 1\nMEMTOTAL 1\nTIMESTAMP 1\nPOLLFR 1\nwhatever MEMUSED%\n1 2\n", &t));
	assert_true(t.mem_percent);
	emu_trace_free(&t);
}

static void bad(void **state)
{
	static const struct {
		const char *text, *msg;
	} r[] = {
		{ "", "t.trace:1: truncated: expected the NCPUS line" },
		{ "NCPUS\t2\nMEMTOTAL\t1\n", "t.trace:3: truncated: expected the TIMESTAMP line" },
		{ "NCPUS\ttwo\n", "t.trace:1: expected \"NCPUS VALUE\"" },
		{ "NCPUS\t0\n", "t.trace:1: NCPUS 0 is not a CPU count" },
		{ "MEMTOTAL\t1\n", "t.trace:1: expected \"NCPUS VALUE\"" },
		{ "NCPUS 1\nMEMTOTAL 1\nTIMESTAMP 1\nPOLLFR 0\n", "t.trace:4: POLLFR 0 is not" },
		{ "NCPUS 1\nMEMTOTAL 1\nTIMESTAMP 1\nPOLLFR 1\nCPU% MEMUSED%\n", "t.trace:6: no samples" },
		{ "NCPUS 1\nMEMTOTAL 1\nTIMESTAMP 1\nPOLLFR 1\nCPU% MEMUSED%\n1 2\n3\n",
		  "t.trace:7: expected a sample" },
		{ "NCPUS 1\nMEMTOTAL 1\nTIMESTAMP 1\nPOLLFR 1\nCPU% MEMUSED%\n1 2 3\n", "t.trace:6: expected a sample" },
		{ "NCPUS 1\nMEMTOTAL 1\nTIMESTAMP 1\nPOLLFR 1\nCPU% MEMUSED%\n-1 2\n", "t.trace:6: expected a sample" },
	};
	struct emu_trace t;

	for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
		tbx_err_clear();
		if (parse(r[i].text, &t) == 0)
			fail_msg("accepted: %s", r[i].text);
		if (strncmp(tbx_errmsg(), r[i].msg, strlen(r[i].msg)))
			fail_msg("message \"%s\", wanted \"%s\"", tbx_errmsg(), r[i].msg);
		assert_null(t.cpu);
	}
}

static void check_recorded(const char *path, unsigned int samples, double interval)
{
	struct emu_trace t;

	if (emu_trace_load(path, &t))
		fail_msg("%s", tbx_errmsg());
	assert_int_equal(t.n, samples);
	assert_true(t.pollfr == interval);
	assert_true(t.mem_percent);
	assert_true(t.ncpus >= 1);
	assert_true(t.memtotal_kb > 0);
	for (size_t i = 0; i < t.n; i++) {
		assert_true(t.cpu[i] >= 0 && t.cpu[i] <= 100);
		/* something is always in use */
		assert_true(t.mem[i] > 0 && t.mem[i] <= 100);
	}
	emu_trace_free(&t);
}

static void record_reads_back(void **state)
{
	char dir[64], path[128], tbx[PATH_MAX], args[1024];
	char exe[PATH_MAX - 64];
	struct emu_plan *p;
	ssize_t n;
	FILE *f;

	assert_int_equal(0, tmpdir_make(dir, sizeof(dir), "tbx-rec"));
	snprintf(path, sizeof(path), "%s/host.trace", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(0, emu_record(f, "/proc", 0.5, 4));
	fclose(f);
	check_recorded(path, 4, 0.5);

	/* and replayed: one run per group of samples, within the window */
	snprintf(args, sizeof(args),
		 "<emulation><emuname>r</emuname><emuType>TIME</emuType><emuresourceType>CPU</emuresourceType>"
		 "<emustopTime>10</emustopTime><distributions><duration>10</duration>"
		 "<distribution name=\"real_trace\"/><trace>%s</trace><groupingRange>99</groupingRange>"
		 "<minJobTime>2</minJobTime><emulator name=\"cpu\"/><emulator-params><resourceType>CPU</resourceType>"
		 "</emulator-params></distributions></emulation>", path);
	/* 4 samples 0.5 s apart, all within 99 % of each other: one run of 2 s
	 * (unless the host was idle throughout: load 0, dropped) */
	{
		struct emu_parse_opts o = emu_host_opts;

		o.force = true;	/* a busy host records near 100 % */
		if (emu_plan_str(args, &o, &p))
			fail_msg("%s", tbx_errmsg());
	}
	assert_true(p->n_runs <= 1);
	if (p->n_runs) {
		assert_true(p->runs[0].start == 0 && p->runs[0].duration == 2);
		assert_true(p->runs[0].load > 0 && p->runs[0].load <= 100);
	}
	emu_plan_free(p);

	/* bad arguments */
	f = fopen("/dev/null", "w");
	assert_int_not_equal(0, emu_record(f, "/proc", 0, 1));
	assert_int_not_equal(0, emu_record(f, "/nonexistent", 1, 1));
	fclose(f);
	assert_non_null(strstr(tbx_errmsg(), "/nonexistent/stat"));

	/* the CLI, next to the test binaries (build/tbx) */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	assert_true(n > 0);
	exe[n] = '\0';
	*strrchr(exe, '/') = '\0';
	snprintf(tbx, sizeof(tbx), "%s/../tbx", exe);
	if (access(tbx, X_OK)) {
		print_message("# skip: no %s\n", tbx);
	} else {
		char cmd[PATH_MAX + 200];

		snprintf(cmd, sizeof(cmd), "%s record -i 0.02 -n 3 -o %s/cli.trace", tbx, dir);
		assert_int_equal(0, WEXITSTATUS(system(cmd)));
		snprintf(path, sizeof(path), "%s/cli.trace", dir);
		check_recorded(path, 3, 0.02);
		snprintf(cmd, sizeof(cmd), "%s record -i 0 -o %s/x.trace 2>/dev/null", tbx, dir);
		assert_int_equal(1, WEXITSTATUS(system(cmd)));
		snprintf(cmd, sizeof(cmd), "%s record -n 3 2>/dev/null", tbx);
		assert_int_equal(1, WEXITSTATUS(system(cmd)));
	}
	tmpdir_remove(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good),
		cmocka_unit_test(bad),
		cmocka_unit_test(record_reads_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
