// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Emulations in tbxd: the store (emu_store.c) on a real state file, and
 * the scheduler in a real tbxd_run() child talked to over its socket:
 * io runs played end to end with O_DIRECT files, refused requests that
 * change nothing, and the restart logic, both from rows a killed tbxd
 * would leave and from a real kill -9 in the middle of an emulation.
 * Kernel runs (cpu, mem, net) need tbx.ko: where it is absent (the
 * host) they must fail with a message saying so; selftests/emulation.sh
 * plays them in a VM.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "tmpdir.h"

#include "daemon_client.h"
#include "emu_store.h"
#include "emulation/emulation.h"
#include "err.h"
#include "nl.h"
#include "state.h"
#include "tbxd.h"
#include "tbxd_child.h"

struct fix {
	char dir[64];
	char sock[128];
	char state[128];
	char db[160];
	char io[160];
	char log[128];
	pid_t pid;
};

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	/* io runs need O_DIRECT: the host's /tmp is on its disk. */
	if (tmpdir_make(f->dir, sizeof(f->dir), "tbxd-emu-test")) {
		free(f);
		return -1;
	}
	snprintf(f->sock, sizeof(f->sock), "%s/tbxd.sock", f->dir);
	snprintf(f->state, sizeof(f->state), "%s/state", f->dir);
	snprintf(f->db, sizeof(f->db), "%s/tbxd.db", f->state);
	snprintf(f->io, sizeof(f->io), "%s/io", f->state);
	snprintf(f->log, sizeof(f->log), "%s/tbxd.log", f->dir);
	mkdir(f->state, 0750);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	tbxd_child_reap(&f->pid, SIGTERM);
	tmpdir_remove(f->dir);
	free(f);
	return 0;
}

/* Starts tbxd in a child; returns once it serves. */
static void start_tbxd(struct fix *f)
{
	f->pid = tbxd_child_start(f->state, f->sock, f->log, -1);
}

static json_t *call(struct fix *f, const char *method, const char *path,
		    const char *body, long expect)
{
	long status = 0;
	json_t *reply = NULL;

	if (tbxd_request(f->sock, method, path, body, &status, &reply))
		fail_msg("%s %s: %s", method, path, tbx_errmsg());
	if (status != expect)
		fail_msg("%s %s: HTTP %ld, expected %ld: %s", method, path, status,
			 expect, json_string_value(json_object_get(reply, "error")) ?: "");
	assert_true(json_is_object(reply));
	return reply;
}

static const char *err_of(json_t *r)
{
	return json_string_value(json_object_get(r, "error")) ?: "";
}

static json_t *show(struct fix *f, const char *name)
{
	char path[128];
	json_t *r, *e;

	snprintf(path, sizeof(path), "/emulations/%s?runs=1", name);
	r = call(f, "GET", path, NULL, 200);
	e = json_incref(json_object_get(r, "emulation"));
	json_decref(r);
	return e;
}

static json_t *run_at(json_t *e, size_t i)
{
	return json_array_get(json_object_get(e, "run_list"), i);
}

static const char *run_state(json_t *e, size_t i)
{
	return json_string_value(json_object_get(run_at(e, i), "state")) ?: "";
}

static const char *run_msg(json_t *e, size_t i)
{
	return json_string_value(json_object_get(run_at(e, i), "message")) ?: "";
}

/* Polls until the emulation is finished; the bound only stops a hang. */
static json_t *wait_finished(struct fix *f, const char *name)
{
	for (int i = 0; i < 1200; i++) {
		json_t *e = show(f, name);

		if (!strcmp(json_string_value(json_object_get(e, "state")), "finished"))
			return e;
		json_decref(e);
		usleep(50000);
	}
	fail_msg("emulation %s never finished", name);
	return NULL;
}

static bool module_present(void)
{
	struct tbx_nl nl;

	if (tbx_nl_open(&nl))
		return false;
	tbx_nl_close(&nl);
	return true;
}

static size_t files_in(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	if (!d)
		return 0;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static char *slurp(const char *path)
{
	static char buf[1 << 16];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static size_t count_lines(const char *text, const char *what)
{
	size_t n = 0;

	for (const char *p = text; p && (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
}

/* An XML emulation of io runs: linear from @lo to @hi MiB/s. */
static char *io_xml(const char *name, int duration, int granularity, int lo,
		    int hi, bool log)
{
	char *x;

	assert_true(asprintf(&x,
		"<emulation><emuname>%s</emuname><emuType>TIME</emuType>"
		"<emuresourceType>IO</emuresourceType><emustartTime>now</emustartTime>"
		"<emustopTime>%d</emustopTime><distributions><name>d</name>"
		"<startTime>0</startTime><duration>%d</duration>"
		"<granularity>%d</granularity><distribution name=\"linear\"/>"
		"<startLoad>%d</startLoad><stopLoad>%d</stopLoad>"
		"<emulator name=\"io\"/><emulator-params><resourceType>IO</resourceType>"
		"</emulator-params></distributions>"
		"<log><enable>%d</enable><frequency>1</frequency></log></emulation>",
		name, duration, duration, granularity, lo, hi, log) > 0);
	return x;
}

/* ---- the store ---- */

static struct emu_plan *plan_new(const char *name, size_t n)
{
	struct emu_plan *p = calloc(1, sizeof(*p));

	assert_non_null(p);
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->type = EMU_TIME;
	p->res = EMU_RES_MIX;
	p->start_now = true;
	p->duration = 100;
	p->n_runs = n;
	p->runs = calloc(n, sizeof(*p->runs));
	assert_non_null(p->runs);
	for (size_t i = 0; i < n; i++) {
		p->runs[i].start = i;
		p->runs[i].duration = 2;
		p->runs[i].res = EMU_RES_IO;
		p->runs[i].load = 1;
		strcpy(p->runs[i].emulator, "io");
		strcpy(p->runs[i].cocoma_emulator, "io");
	}
	return p;
}

static void plan_free(struct emu_plan *p)
{
	free(p->runs);
	free(p);
}

static void set_run(struct emu_plan *p, size_t i, enum emu_res res,
		    double start, double duration, double load)
{
	static const char *const kind[] = { "cpu", "mem", "io", "net" };

	p->runs[i].res = res;
	p->runs[i].start = start;
	p->runs[i].duration = duration;
	p->runs[i].load = load;
	strcpy(p->runs[i].emulator, kind[res]);
	strcpy(p->runs[i].cocoma_emulator, kind[res]);
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void test_store(void **state)
{
	struct fix *f = *state;
	struct tbxd_state *st;
	struct emu_plan *p = plan_new("store_1", 3);
	struct emu_job j;
	char es[16];
	bool found;
	int64_t id, id2, t0 = 1700000000LL * 1000000000LL;
	json_t *e;

	p->runs[1].start = 0.5;
	strcpy(p->runs[2].server_ip, "198.18.0.2");
	assert_int_equal(tbxd_state_open(f->db, &st), 0);
	assert_int_equal(emu_store_add(st, p, "<x/>", t0, &id), 0);
	/* The same name again: refused, nothing added. */
	assert_int_equal(emu_store_add(st, p, "<x/>", t0, &id2), -EEXIST);
	assert_non_null(strstr(tbx_errmsg(), "store_1"));
	/* Names that cannot be an owner tag, a file name or a URL segment. */
	strcpy(p->name, "a/b");
	assert_int_equal(emu_store_add(st, p, "", t0, &id2), -EINVAL);
	assert_non_null(strstr(tbx_errmsg(), "'/'"));
	memset(p->name, 'x', EMU_NAME_MAX + 1);
	p->name[EMU_NAME_MAX + 1] = '\0';
	assert_int_equal(emu_store_add(st, p, "", t0, &id2), -EINVAL);
	strcpy(p->name, "bad_run");
	p->runs[2].duration = -1;	/* a whole emulation or nothing */
	assert_int_equal(emu_store_add(st, p, "", t0, &id2), -EINVAL);
	p->runs[2].duration = 2;
	e = emu_store_list_json(st);
	assert_int_equal(json_array_size(e), 1);
	json_decref(e);

	/* Due order, with due_ns from the emulation's start. */
	assert_int_equal(emu_store_next_due(st, EMU_ANY, &j, &found), 0);
	assert_true(found);
	assert_int_equal(j.idx, 0);
	assert_true(j.due_ns == t0);
	assert_int_equal(j.n_runs, 3);
	assert_int_equal(emu_store_mark(st, id, 0, "running", NULL, 7, t0 + 100,
					EMU_KEEP, 100), 0);
	assert_int_equal(emu_store_update_emu(st, id, es, sizeof(es)), 0);
	assert_string_equal(es, "running");
	assert_int_equal(emu_store_next_due(st, EMU_ANY, &j, &found), 0);
	assert_int_equal(j.idx, 1);
	assert_true(j.due_ns == t0 + 500000000LL);
	/* Parameters come back as they went in. */
	assert_int_equal(emu_store_job(st, "store_1", 2, &j, &found), 0);
	assert_true(found);
	assert_string_equal(j.run.server_ip, "198.18.0.2");
	assert_string_equal(j.run.emulator, "io");
	assert_int_equal(j.run.res, EMU_RES_IO);
	assert_int_equal(emu_store_job(st, "store_1", 0, &j, &found), 0);
	assert_string_equal(j.state, "running");
	assert_true(j.kernel_id == 7);
	for (int i = 0; i < 3; i++)
		assert_int_equal(emu_store_mark(st, id, i, i ? "failed" : "executed",
						"why", EMU_KEEP, EMU_KEEP, t0, EMU_KEEP), 0);
	assert_int_equal(emu_store_update_emu(st, id, es, sizeof(es)), 0);
	assert_string_equal(es, "finished");
	assert_int_equal(emu_store_next_due(st, EMU_ANY, &j, &found), 0);
	assert_false(found);
	e = emu_store_show_json(st, "store_1", EMU_SHOW_RUNS, &found);
	assert_non_null(e);
	assert_string_equal(run_state(e, 0), "executed");
	assert_int_equal(json_integer_value(json_object_get(run_at(e, 0), "kernel_id")), 7);
	assert_string_equal(run_msg(e, 2), "why");
	json_decref(e);
	assert_int_equal(emu_store_delete(st, "store_1"), 0);
	assert_int_equal(emu_store_delete(st, "store_1"), -ENOENT);
	assert_int_equal(emu_store_job(st, "store_1", 0, &j, &found), 0);
	assert_false(found);	/* the runs went with it */
	tbxd_state_close(st);
	plan_free(p);
}

/* ---- tbxd ---- */

static void test_io_emulation(void **state)
{
	struct fix *f = *state;
	char *xml = io_xml("io_e2e", 4, 2, 4, 8, true), path[300], *text;
	json_t *r, *e;

	start_tbxd(f);
	r = call(f, "POST", "/emulations?now=1", xml, 201);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
		json_object_get(r, "emulation"), "runs"), "total")), 2);
	json_decref(r);
	e = wait_finished(f, "io_e2e");
	for (int i = 0; i < 2; i++) {
		json_t *run = run_at(e, i);

		assert_string_equal(run_state(e, i), "executed");
		assert_non_null(strstr(run_msg(e, i), "with O_DIRECT"));
		assert_true(json_is_number(json_object_get(run, "delay_ms")));
		/* Started at or after its due time, never before. */
		assert_true(json_integer_value(json_object_get(run, "started_ns")) >=
			    json_integer_value(json_object_get(run, "due_ns")));
	}
	/* Its files were removed; its logs are there. */
	assert_int_equal(files_in(f->io), 0);
	snprintf(path, sizeof(path), "%s/emulations/io_e2e/runs.log", f->state);
	text = slurp(path);
	assert_non_null(text);
	assert_int_equal(count_lines(text, " started "), 2);
	assert_int_equal(count_lines(text, " executed"), 2);
	assert_non_null(strstr(text, "emulation finished"));
	snprintf(path, sizeof(path), "%s/emulations/io_e2e/usage.csv", f->state);
	text = slurp(path);
	assert_non_null(text);
	assert_non_null(strstr(text, "time,elapsed_s,cpu_pct,mem_total_kib"));
	assert_true(count_lines(text, "\n") >= 3);
	json_decref(e);

	r = call(f, "GET", "/results", NULL, 200);
	e = json_array_get(json_object_get(r, "results"), 0);
	assert_int_equal(json_integer_value(json_object_get(e, "executed")), 2);
	assert_int_equal(json_integer_value(json_object_get(e, "failed")), 0);
	json_decref(r);
	r = call(f, "GET", "/logs/io_e2e", NULL, 200);
	assert_non_null(strstr(json_string_value(json_object_get(r, "runs_log")), "executed"));
	json_decref(r);
	r = call(f, "GET", "/jobs", NULL, 200);
	assert_int_equal(json_array_size(json_object_get(r, "jobs")), 0);
	json_decref(r);
	r = call(f, "DELETE", "/emulations/io_e2e", NULL, 200);
	json_decref(r);
	snprintf(path, sizeof(path), "%s/emulations/io_e2e", f->state);
	assert_int_equal(access(path, F_OK), -1);
	free(xml);
}

static void test_bad_requests(void **state)
{
	struct fix *f = *state;
	char *xml = io_xml("io_bad", 4, 2, 1, 2, false);
	char *evil = io_xml("a:b", 4, 2, 1, 2, false);
	json_t *r;

	start_tbxd(f);
	r = call(f, "POST", "/emulations", NULL, 400);
	assert_non_null(strstr(err_of(r), "needs the emulation XML"));
	json_decref(r);
	r = call(f, "POST", "/emulations?now=1", "<emulation><emuname>x</emu", 400);
	assert_non_null(strstr(err_of(r), "request body"));
	json_decref(r);
	r = call(f, "POST", "/emulations?now=maybe", xml, 400);
	assert_non_null(strstr(err_of(r), "now=\"maybe\""));
	json_decref(r);
	r = call(f, "POST", "/emulations?now=1", evil, 400);
	assert_non_null(strstr(err_of(r), "a:b"));
	json_decref(r);
	r = call(f, "GET", "/emulations/nosuch", NULL, 404);
	assert_non_null(strstr(err_of(r), "nosuch"));
	json_decref(r);
	r = call(f, "DELETE", "/emulations/nosuch", NULL, 404);
	json_decref(r);
	r = call(f, "GET", "/distributions/nosuch", NULL, 404);
	json_decref(r);
	/* Nothing of the above was stored. */
	r = call(f, "GET", "/emulations", NULL, 200);
	assert_int_equal(json_array_size(json_object_get(r, "emulations")), 0);
	json_decref(r);
	/* A name is taken once. */
	json_decref(call(f, "POST", "/emulations?now=1", xml, 201));
	r = call(f, "POST", "/emulations?now=1", xml, 409);
	assert_non_null(strstr(err_of(r), "io_bad"));
	json_decref(r);
	r = call(f, "GET", "/emulations", NULL, 200);
	assert_int_equal(json_array_size(json_object_get(r, "emulations")), 1);
	json_decref(r);
	/* The planner's tables. */
	r = call(f, "GET", "/distributions", NULL, 200);
	assert_true(json_array_size(json_object_get(r, "distributions")) >= 7);
	json_decref(r);
	r = call(f, "GET", "/emulators/lookbusy", NULL, 200);
	json_decref(r);
	r = call(f, "DELETE", "/emulations", NULL, 200);
	assert_int_equal(json_array_size(json_object_get(r, "deleted")), 1);
	json_decref(r);
	free(xml);
	free(evil);
}

/* The API's dry run: the plan on the machine facts given, nothing stored. */
static void test_dry_run(void **state)
{
	static const char event_then_cpu[] =
		"<emulation><emuname>ev</emuname><emuType>MIX</emuType><emuresourceType>MIX</emuresourceType>"
		"<emustartTime>now</emustartTime><emustopTime>30</emustopTime>"
		"<distributions><name>f</name><startTime>0</startTime><distribution name=\"event\"/>"
		"<emulator name=\"backfuzz\"/><emulator-params><resourceType>NET</resourceType>"
		"<serverip>198.18.0.2</serverip><serverport>80</serverport><protocol>HTTP</protocol>"
		"<min>100</min><fuzzRange>4</fuzzRange><salt>2</salt><timedelay>0</timedelay>"
		"</emulator-params></distributions>"
		"<distributions><name>c</name><startTime>0</startTime><duration>30</duration>"
		"<granularity>10</granularity><minJobTime>2</minJobTime><distribution name=\"linear\"/>"
		"<startLoad>10</startLoad><stopLoad>50</stopLoad><emulator name=\"lookbusy\"/>"
		"<emulator-params><resourceType>CPU</resourceType><ncpus>0</ncpus></emulator-params>"
		"</distributions></emulation>";
	static const char mem[] =
		"<emulation><emuname>m</emuname><emuType>TIME</emuType><emuresourceType>MEM</emuresourceType>"
		"<emustopTime>10</emustopTime><distributions><duration>10</duration>"
		"<distribution name=\"linear\"/><startLoad>500</startLoad><stopLoad>100</stopLoad>"
		"<emulator name=\"mem\"/><emulator-params><resourceType>MEM</resourceType>"
		"</emulator-params></distributions></emulation>";
	struct fix *f = *state;
	json_t *r, *plan, *runs;

	start_tbxd(f);
	r = call(f, "POST", "/emulations?dry_run=1&cpus=2&mem=2025&mem_used=1478&seed=100",
		 event_then_cpu, 200);
	plan = json_object_get(r, "plan");
	runs = json_object_get(plan, "runs");
	/* the event (3 payloads 0.8 s apart), then the ramp 5 s after its end */
	assert_int_equal(json_integer_value(json_object_get(plan, "n_runs")), 11);
	assert_true(json_is_true(json_object_get(json_array_get(runs, 0), "event")));
	assert_true(json_real_value(json_object_get(json_array_get(runs, 1), "start")) == 7);
	json_decref(r);
	/* COCOMA's 90 % of the memory free: 500 MiB is too much on COCOMA's
	 * machine (547 MiB free), fine with 1000 MiB free */
	r = call(f, "POST", "/emulations?dry_run=1&cpus=2&mem=2025&mem_used=1478", mem, 400);
	assert_non_null(strstr(err_of(r), "500 is above 90 % of the 547 MiB of memory free"));
	json_decref(r);
	r = call(f, "POST", "/emulations?dry_run=1&cpus=2&mem=2025&mem_used=1025", mem, 200);
	json_decref(r);
	r = call(f, "POST", "/emulations?dry_run=1&cpus=0", mem, 400);
	assert_non_null(strstr(err_of(r), "cpus 0: 1 to 65536"));
	json_decref(r);
	r = call(f, "POST", "/emulations?dry_run=1&mem=lots", mem, 400);
	assert_non_null(strstr(err_of(r), "not a whole number"));
	json_decref(r);
	r = call(f, "POST", "/emulations?now=1&cpus=2", mem, 400);
	assert_non_null(strstr(err_of(r), "cpus= is for dry_run=1"));
	json_decref(r);
	/* COCOMA planned the runs of a negative startTime before the start:
	 * the dry run shows them, tbxd refuses to schedule them */
	{
		static const char neg[] =
			"<emulation><emuname>neg</emuname><emuType>TIME</emuType>"
			"<emuresourceType>CPU</emuresourceType><emustopTime>10</emustopTime>"
			"<distributions><startTime>-2</startTime><duration>10</duration>"
			"<distribution name=\"linear\"/><startLoad>10</startLoad><stopLoad>10</stopLoad>"
			"<emulator name=\"cpu\"/><emulator-params><resourceType>CPU</resourceType>"
			"</emulator-params></distributions></emulation>";

		r = call(f, "POST", "/emulations?dry_run=1", neg, 200);
		assert_true(json_real_value(json_object_get(json_array_get(json_object_get(
			json_object_get(r, "plan"), "runs"), 0), "start")) == -2);
		json_decref(r);
		r = call(f, "POST", "/emulations?now=1", neg, 400);
		assert_non_null(strstr(err_of(r), "run 0 starts 2 s before its emulation"));
		json_decref(r);
	}
	/* Nothing was stored. */
	r = call(f, "GET", "/emulations", NULL, 200);
	assert_int_equal(json_array_size(json_object_get(r, "emulations")), 0);
	json_decref(r);
}

/* A run of 0 s (COCOMA's fuzz has no duration) is executed at its time,
 * with nothing to play: no kernel needed. */
static void test_zero_second_run(void **state)
{
	struct fix *f = *state;
	struct tbxd_state *st;
	struct emu_plan *p = plan_new("zero", 1);
	json_t *e;
	int64_t id;

	set_run(p, 0, EMU_RES_NET, 0, 0, 40);
	strcpy(p->runs[0].server_ip, "198.18.0.2");
	assert_int_equal(tbxd_state_open(f->db, &st), 0);
	assert_int_equal(emu_store_add(st, p, "", now_ns(), &id), 0);
	tbxd_state_close(st);
	start_tbxd(f);
	e = wait_finished(f, "zero");
	assert_string_equal(run_state(e, 0), "executed");
	assert_non_null(strstr(run_msg(e, 0), "lasts 0 s"));
	json_decref(e);
	plan_free(p);
}

/* Kernel runs where there is no module fail, saying so; none is lost. */
static void test_kernel_runs_without_module(void **state)
{
	struct fix *f = *state;
	struct tbxd_state *st;
	struct emu_plan *p = plan_new("nomod", 3);
	json_t *e;
	int64_t id;

	if (module_present())
		skip();		/* selftests/emulation.sh covers this case */
	set_run(p, 0, EMU_RES_CPU, 0, 2, 30);
	set_run(p, 1, EMU_RES_MEM, 0.2, 2, 16);
	set_run(p, 2, EMU_RES_NET, 0.4, 2, 10);
	strcpy(p->runs[2].server_ip, "198.18.0.2");
	assert_int_equal(tbxd_state_open(f->db, &st), 0);
	assert_int_equal(emu_store_add(st, p, "", now_ns(), &id), 0);
	tbxd_state_close(st);
	start_tbxd(f);
	e = wait_finished(f, "nomod");
	for (int i = 0; i < 3; i++) {
		assert_string_equal(run_state(e, i), "failed");
		assert_non_null(strstr(run_msg(e, i), "tbx module not available"));
	}
	json_decref(e);
	plan_free(p);
}

/*
 * Rows as a tbxd killed mid-emulation leaves them, then a new tbxd: each
 * case of scheduler.h's restart rules.
 */
static void test_restart_rules(void **state)
{
	struct fix *f = *state;
	struct tbxd_state *st;
	struct emu_plan *p = plan_new("restart", 7);
	int64_t id, t0 = now_ns() - 10 * 1000000000LL;	/* began 10 s ago */
	bool mod = module_present();
	json_t *e;

	set_run(p, 0, EMU_RES_IO, 1, 2, 1);	/* pending, window over */
	set_run(p, 1, EMU_RES_IO, 9, 3, 1);	/* pending, 1 s late */
	set_run(p, 2, EMU_RES_IO, 8, 4, 1);	/* running io, interrupted */
	set_run(p, 3, EMU_RES_CPU, 9, 3, 10);	/* starting, never reached the kernel */
	set_run(p, 4, EMU_RES_CPU, 2, 3, 10);	/* running, window over */
	set_run(p, 5, EMU_RES_CPU, 5, 30, 10);	/* running, the kernel lost it */
	set_run(p, 6, EMU_RES_IO, 13, 2, 1);	/* pending, in the future */
	assert_int_equal(tbxd_state_open(f->db, &st), 0);
	assert_int_equal(emu_store_add(st, p, "", t0, &id), 0);
	assert_int_equal(emu_store_mark(st, id, 2, "running", NULL, EMU_KEEP,
					t0 + 8000000000LL, EMU_KEEP, 0), 0);
	assert_int_equal(emu_store_mark(st, id, 3, "starting", NULL, EMU_KEEP,
					EMU_KEEP, EMU_KEEP, EMU_KEEP), 0);
	/* Kernel ids no module has: nothing here may match a real run. */
	assert_int_equal(emu_store_mark(st, id, 4, "running", NULL, 999999,
					t0 + 2000000000LL, EMU_KEEP, 0), 0);
	assert_int_equal(emu_store_mark(st, id, 5, "running", NULL, 999998,
					t0 + 5000000000LL, EMU_KEEP, 0), 0);
	tbxd_state_close(st);
	/* io files a dead tbxd left behind. */
	mkdir(f->io, 0750);
	{
		char leftover[300];

		snprintf(leftover, sizeof(leftover), "%s/emu:restart:2.io", f->io);
		close(open(leftover, O_WRONLY | O_CREAT, 0600));
	}

	start_tbxd(f);
	/* Decided before tbxd served: the rows the kernel could answer for. */
	e = show(f, "restart");
	assert_string_equal(run_state(e, 0), "failed");
	assert_non_null(strstr(run_msg(e, 0), "missed"));
	assert_string_equal(run_state(e, 4), "executed");
	assert_non_null(strstr(run_msg(e, 4), "not watching"));
	assert_string_equal(run_state(e, 5), "failed");
	assert_non_null(strstr(run_msg(e, 5), "no longer has"));
	assert_string_equal(run_state(e, 6), "pending");
	json_decref(e);
	e = wait_finished(f, "restart");
	/* Late ones started now for the rest of their window, once. */
	assert_string_equal(run_state(e, 1), "executed");
	assert_string_equal(run_state(e, 2), "executed");
	assert_string_equal(run_state(e, 6), "executed");
	if (!mod) {
		assert_string_equal(run_state(e, 3), "failed");
		assert_non_null(strstr(run_msg(e, 3), "tbx module not available"));
	}
	json_decref(e);
	assert_int_equal(files_in(f->io), 0);
	{
		char path[300], *text;

		snprintf(path, sizeof(path), "%s/emulations/restart/runs.log", f->state);
		text = slurp(path);
		assert_non_null(text);
		assert_int_equal(count_lines(text, "run 2/7 io 1 MiB/s started"), 1);
		assert_int_equal(count_lines(text, "run 7/7 io 1 MiB/s started"), 1);
		assert_non_null(strstr(text, "s late"));
	}
	plan_free(p);
}

/*
 * A real kill -9 while io runs play; a new tbxd finishes the emulation.
 * Runs of 4 s: the kill needs run 1 playing, seen by a poll (an HTTP call
 * that a loaded host may take long to answer), so its window is wide.
 */
static void test_kill_and_restart(void **state)
{
	struct fix *f = *state;
	char *xml = io_xml("killed", 12, 3, 2, 6, true);
	json_t *e;
	int running = -1;

	start_tbxd(f);
	json_decref(call(f, "POST", "/emulations?now=1", xml, 201));
	/* Wait for the second run to be playing, the first done. */
	for (int i = 0; i < 1200 && running < 0; i++) {
		e = show(f, "killed");
		if (!strcmp(run_state(e, 1), "running") &&
		    !strcmp(run_state(e, 0), "executed"))
			running = 1;
		json_decref(e);
		if (running < 0)
			usleep(20000);
	}
	assert_int_equal(running, 1);
	tbxd_child_reap(&f->pid, SIGKILL);
	start_tbxd(f);
	e = wait_finished(f, "killed");
	assert_int_equal(json_array_size(json_object_get(e, "run_list")), 3);
	for (int i = 0; i < 3; i++)
		assert_true(!strcmp(run_state(e, i), "executed") ||
			    !strcmp(run_state(e, i), "failed"));
	for (int i = 0; i < 3; i += 2)
		if (strcmp(run_state(e, i), "executed"))
			fail_msg("run %d: %s: %s", i, run_state(e, i), run_msg(e, i));
	json_decref(e);
	/* Nothing left on disk by either tbxd. */
	assert_int_equal(files_in(f->io), 0);
	free(xml);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_store, setup, teardown),
		cmocka_unit_test_setup_teardown(test_io_emulation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_requests, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dry_run, setup, teardown),
		cmocka_unit_test_setup_teardown(test_zero_second_run, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kernel_runs_without_module, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restart_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kill_and_restart, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
