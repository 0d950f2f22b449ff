// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * COCOMA's rules on emulation XML: what is accepted as users wrote it
 * (any case, any order, comments, durations, "N%"), what is clamped with
 * COCOMA's note, what is ignored with a note, COCOMA's force and overload
 * rules, and each refusal with its file:line: <element>.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "emu_test.h"

static void as_users_wrote_it(void **state)
{
	/* upper and mixed case, the block's parts in another order, comments,
	 * emustopTime with a unit, a start time in COCOMA's form, args inside
	 * <distribution>, a MEM load in % */
	static const char doc[] =
		"<?xml version=\"1.0\"?>\n"
		"<!-- a comment holding <!DOCTYPE is just a comment -->\n"
		"<EMULATION>\n"
		" <EMUSTOPTIME>2m</EMUSTOPTIME>\n"
		" <EmuResourceType>mem</EmuResourceType>\n"
		" <emuType>time</emuType>\n"
		" <emuName>Upper</emuName>\n"
		" <emustartTime>2014-10-10T10:10:10</emustartTime>\n"
		" <DISTRIBUTIONS>\n"
		"  <Emulator-Params><memSleep>5</memSleep><RESOURCETYPE>MEM</RESOURCETYPE></Emulator-Params>\n"
		"  <EMULATOR name=\"LookBusy\"/>\n"
		"  <Distribution NAME=\"Linear\"><StartLoad>50%</StartLoad><stopload>1000</stopload></Distribution>\n"
		"  <Duration>100</Duration><Granularity>2</Granularity><StartTime>10</StartTime>\n"
		" </DISTRIBUTIONS>\n"
		" <log><enable>1</enable><frequency>5</frequency><LOGLEVEL>INFO</LOGLEVEL></log>\n"
		" <mq><enable>0</enable><vhost>v</vhost><exchange>e</exchange><user>u</user>"
		"<password>p</password><host>x</host><topic>t</topic></mq>\n"
		"</EMULATION>\n";
	struct emu_parse_opts o = emu_host_opts;
	struct emu_plan *p;

	o.mem_bytes = 8192 * MiB;
	o.mem_used_bytes = 0;
	if (emu_plan_str(doc, &o, &p))
		fail_msg("%s", tbx_errmsg());
	assert_string_equal(p->name, "Upper");
	assert_true(p->duration == 120);
	assert_false(p->start_now);
	assert_int_equal(p->start, 1412935810);
	assert_true(p->log_enable);
	assert_true(p->log_frequency == 5);
	assert_string_equal(p->log_level, "info");
	assert_int_equal(p->n_runs, 3);
	/* 50 % of 8192 MiB = 4096: split at 4095 MiB, the part staggered */
	assert_true(p->runs[0].load == 4095 && p->runs[0].start == 10 && p->runs[0].duration == 50);
	assert_true(p->runs[1].load == 1 && p->runs[1].start == 10.12 && p->runs[1].duration == 50);
	assert_true(p->runs[2].load == 1000 && p->runs[2].start == 60);
	assert_int_equal(p->runs[0].mem_sleep_us, 5);
	assert_string_equal(p->runs[0].cocoma_emulator, "LookBusy");
	assert_true(emu_has_note(p, "t.xml:16: <mq>: message-queue settings are ignored", NULL));
	emu_plan_free(p);
}

/* COCOMA lower-cased the whole document before parsing it: tags that
 * match only ignoring case were well-formed for it (its multiDist tests
 * have <memSleep>0</memsleep>). */
static void tags_matching_only_ignoring_case(void **state)
{
	static const char doc[] =
		"<emulation><emuname>c</emuname><emuType>TIME</emuType><emuresourceType>CPU</emuresourceType>\n"
		"<emustopTime>20</emustopTime><distributions><startTime>0</startTime>\n"
		"<Duration>20</duration><granularity>2</granularity><distribution name=\"linear\"/>\n"
		"<startLoad>10</StartLoad><stopLoad>20</stopLoad><emulator name=\"lookbusy\"/>\n"
		"<emulator-params><resourceType>CPU</resourceType><ncpus>1</NCPUS></emulator-params>\n"
		"</distributions></emulation>\n";
	static const char bad_doc[] = "<emulation>\n<distributions></distribution>\n</emulation>\n";
	struct emu_plan *p;

	if (emu_plan_str(doc, NULL, &p))
		fail_msg("%s", tbx_errmsg());
	assert_int_equal(p->n_runs, 2);
	assert_true(p->runs[1].load == 20 && p->runs[1].start == 10 && p->runs[1].duration == 10);
	assert_int_equal(p->runs[0].ncpus, 1);
	assert_true(emu_has_note(p, "t.xml: its tags match only ignoring case; read lower-cased", NULL));
	emu_plan_free(p);
	/* not well-formed in any case: refused, at the first parse's error */
	emu_expect_error(bad_doc, strlen(bad_doc), NULL, "t.xml:2: XML:", "mismatch");
}

/* Bounds per (module, resource), as each COCOMA module's argNames gave
 * them; Library.boundsCompare's int() and its note. */
static void clamped_with_cocomas_note(void **state)
{
	static const char dists[] =
		"<distributions><name>m</name><startTime>0</startTime><duration>20</duration>\n"
		"<granularity>0</granularity>\n"
		"<minJobTime>1</minJobTime>\n"
		"<distribution name=\"linear\"/>\n"
		"<startLoad>10</startLoad>\n"
		"<stopLoad>999999</stopLoad>\n"
		"<emulator name=\"lookbusy\"/><emulator-params><resourceType>MEM</resourceType>\n"
		"<memSleep>2000000000</memSleep>\n"
		"</emulator-params></distributions>\n";
	char *doc = emu_doc("TIME", "MEM", "20", dists);
	/* linear_incr's NET loads are 50 at least; linear's 1; trapezoidal's 1 */
	char *incr = emu_doc("TIME", "NET", "40", emu_dist("linear_incr", "0", "40", "4",
		"<startLoad>1</startLoad><stopLoad>200</stopLoad>", "iperf", "NET",
		"<serverip>198.18.0.2</serverip>"));
	char *trap = emu_doc("TIME", "NET", "40", emu_dist("trapezoidal", "0", "40", "4",
		"<startLoad>1</startLoad><stopLoad>100</stopLoad>", "iperf", "NET",
		"<serverip>198.18.0.2</serverip><serverport>9</serverport>"));
	char *cpus = emu_doc("TIME", "CPU", "30", emu_dist("linear", "0", "30", "3",
		"<startLoad>10</startLoad><stopLoad>20</stopLoad>", "lookbusy", "CPU", "<ncpus>8</ncpus>"));
	struct emu_parse_opts o = emu_host_opts;
	struct emu_plan *p;

	o.force = true;
	if (emu_plan_str(doc, &o, &p))
		fail_msg("%s", tbx_errmsg());
	assert_true(emu_has_note(p, "t.xml:8: <granularity>: 0 is below linear's minimum for MEM, 1: it becomes 1 (COCOMA: \"The specified value for GRANULARITY 0 was lower than the minimum limit 1; changing to the maximum limit.\")", NULL));
	assert_true(emu_has_note(p, "t.xml:9: <minJobTime>: 1 is below linear's minimum for MEM, 2: it becomes 2", NULL));
	assert_true(emu_has_note(p, "t.xml:11: <startLoad>: 10 is below linear's minimum for MEM, 50: it becomes 50", NULL));
	assert_true(emu_has_note(p, "t.xml:12: <stopLoad>: 999999 is above linear's maximum for MEM, 2025: it becomes 2025 (COCOMA: \"The specified value for STOPLOAD 999999 was higher than the maximum limit 2025; changing to the maximum limit.\")", NULL));
	assert_true(emu_has_note(p, "t.xml:14: <memSleep>: 2000000000 is above lookbusy's maximum for MEM, 999999999", NULL));
	/* one run, at startLoad as clamped */
	assert_int_equal(p->n_runs, 1);
	assert_true(p->runs[0].load == 50);
	assert_int_equal(p->runs[0].mem_sleep_us, 999999999);
	emu_plan_free(p);

	if (emu_plan_str(incr, NULL, &p))
		fail_msg("%s", tbx_errmsg());
	assert_true(emu_has_note(p, "t.xml:13: <startLoad>: 1 is below linear_incr's minimum for NET, 50: it becomes 50", NULL));
	assert_true(p->runs[0].load == 50 && p->runs[1].load == 50);
	emu_plan_free(p);
	if (emu_plan_str(trap, NULL, &p))
		fail_msg("%s", tbx_errmsg());
	assert_false(emu_has_note(p, "<startLoad>", NULL));
	assert_true(p->runs[0].load == 1 && p->runs[1].load == 33);
	emu_plan_free(p);
	/* lookbusy's ncpus: at most this host's CPUs (COCOMA's psutil.NUM_CPUS) */
	if (emu_plan_str(cpus, NULL, &p))
		fail_msg("%s", tbx_errmsg());
	assert_true(emu_has_note(p, "<ncpus>: 8 is above lookbusy's maximum for CPU, 2: it becomes 2", NULL));
	assert_int_equal(p->runs[0].ncpus, 2);
	emu_plan_free(p);
	free(doc);
	free(incr);
	free(trap);
	free(cpus);
}

#define CPU_AT(start, load) \
	"<distributions><startTime>" start "</startTime><duration>20</duration>" \
	"<distribution name=\"linear\"/><startLoad>" load "</startLoad><stopLoad>" load "</stopLoad>" \
	"<emulator name=\"cpu\"/><emulator-params><resourceType>CPU</resourceType>" \
	"</emulator-params></distributions>\n"

/* COCOMA's two checks that force skips: 90 % of a load's limit (MEM: of
 * the memory not in use) and the windows' total. */
static void force_rules(void **state)
{
	char *cpu = emu_doc("TIME", "CPU", "20", CPU_AT("0", "95"));
	char *mem = emu_doc("TIME", "MEM", "10",
		"<distributions><duration>10</duration><distribution name=\"linear\"/>"
		"<startLoad>500</startLoad><stopLoad>100</stopLoad><emulator name=\"mem\"/>"
		"<emulator-params><resourceType>MEM</resourceType></emulator-params></distributions>\n");
	/* windows: 0 + 20 = 20; then 5 + 20 = 25: 25; then 0 + 20 ends
	 * earlier: + |25 - 20| = 30 > 29 */
	char *win = emu_doc("TIME", "CPU", "29", CPU_AT("0", "10") CPU_AT("5", "10") CPU_AT("0", "10"));
	char *fits = emu_doc("TIME", "CPU", "30", CPU_AT("0", "10") CPU_AT("5", "10") CPU_AT("0", "10"));
	struct emu_parse_opts o = emu_host_opts;
	struct emu_plan *p;

	emu_expect_error(cpu, strlen(cpu), NULL, "t.xml:7: <startLoad>: 95 is above 90 % of CPU's 100 %",
			 "COCOMA refuses it unless forced (--force)");
	/* 500 MiB is above 90 % of 2025 - 1478 = 547 MiB free */
	emu_expect_error(mem, strlen(mem), NULL, "t.xml:7: <startLoad>: 500 is above 90 % of the 547 MiB of memory free (2025 total, 1478 in use)",
			 "unless forced");
	o.mem_used_bytes = 1000 * MiB;
	if (emu_plan_str(mem, &o, &p))
		fail_msg("%s", tbx_errmsg());
	emu_plan_free(p);
	emu_expect_error(win, strlen(win), NULL, "t.xml:6: <emustopTime>: the distributions' windows add up to 30 s",
			 "more than the emulation's 29 s");
	if (emu_plan_str(fits, NULL, &p))
		fail_msg("%s", tbx_errmsg());
	emu_plan_free(p);
	o = emu_host_opts;
	o.force = true;
	if (emu_plan_str(cpu, &o, &p) || (emu_plan_free(p), emu_plan_str(win, &o, &p)))
		fail_msg("%s", tbx_errmsg());
	assert_true(emu_has_note(p, "windows add up to 30 s", "forced"));
	emu_plan_free(p);
	free(cpu);
	free(mem);
	free(win);
	free(fits);
}

/* COCOMA's checkResourceOverload, which force does not skip: CPU runs of
 * overlapping distributions above 100 %, MEM ones above the memory. */
static void overload_rule(void **state)
{
	char *over = emu_doc("TIME", "CPU", "40", CPU_AT("0", "60") CPU_AT("10", "50"));
	char *full = emu_doc("TIME", "CPU", "40", CPU_AT("0", "50") CPU_AT("10", "50"));
	/* windows that only touch (20 and 20) still count as overlapping */
	char *touch = emu_doc("TIME", "CPU", "40", CPU_AT("0", "60") CPU_AT("20", "50"));
	char *apart = emu_doc("TIME", "CPU", "45", CPU_AT("0", "60") CPU_AT("21", "50"));
	struct emu_parse_opts o = emu_host_opts;
	struct emu_plan *p;

	o.force = true;
	emu_expect_error(over, strlen(over), &o, "t.xml:7: <distributions> distribution0: with the runs of distribution1 (line 8), its CPU load reaches 110 %",
			 "COCOMA refuses it, even forced");
	emu_expect_error(touch, strlen(touch), &o, "t.xml:7: <distributions>", "reaches 110 %");
	if (emu_plan_str(full, &o, &p))
		fail_msg("%s", tbx_errmsg());
	emu_plan_free(p);
	if (emu_plan_str(apart, NULL, &p))
		fail_msg("%s", tbx_errmsg());
	emu_plan_free(p);
	free(over);
	free(full);
	free(touch);
	free(apart);
}

/* What COCOMA did not read, it ignored: tbx does too, with a note. */
static void notes_for_what_cocoma_ignored(void **state)
{
	static const char doc[] =
		"<emulation>\n"
		"<emuname>n</emuname><emuType>TIME</emuType><emuresourceType>CPU</emuresourceType>\n"
		"<emustopTime>20</emustopTime>\n"
		"<colour>red</colour>\n"
		"<emuname>other</emuname>\n"
		"<distributions><startTime>0</startTime><duration>20</duration><distribution name=\"linear\"/>\n"
		"<startLoad>10</startLoad><stopLoad>20</stopLoad>\n"
		"<startLoad>90</startLoad>\n"
		"<trace>x</trace>\n"
		"<emulator name=\"lookbusy\"/><emulator-params><resourceType>CPU</resourceType>\n"
		"<memSleep>1</memSleep></emulator-params></distributions>\n"
		"<log><frequency>7</frequency></log>\n"
		"</emulation>\n";
	struct emu_plan *p;

	if (emu_plan_str(doc, NULL, &p))
		fail_msg("%s", tbx_errmsg());
	assert_string_equal(p->name, "n");
	assert_true(p->runs[0].load == 10);
	assert_true(emu_has_note(p, "t.xml:4: <colour>: not an element of <emulation>; ignored, as COCOMA did", NULL));
	assert_true(emu_has_note(p, "t.xml:5: <emuname>: given again (the first counts); ignored", NULL));
	assert_true(emu_has_note(p, "t.xml:8: <startLoad>: given again; the first (line 7) counts, as in COCOMA", NULL));
	assert_true(emu_has_note(p, "t.xml:9: <trace>: read by neither linear nor lookbusy for CPU; ignored, as COCOMA did", NULL));
	assert_true(emu_has_note(p, "t.xml:11: <memSleep>: read by neither linear nor lookbusy for CPU", NULL));
	/* COCOMA read nothing in a <log> without <enable> */
	assert_true(p->log_frequency == 3);
	assert_true(emu_has_note(p, "t.xml:12: <log>: no <enable>", NULL));
	emu_plan_free(p);
}

/* COCOMA took a negative startTime and planned runs before the start. */
static void negative_start(void **state)
{
	static const struct want_run w[] = { { 10, -5, 10, EMU_RES_CPU }, { 20, 5, 10, EMU_RES_CPU } };
	char *d = emu_dist("linear", "-5", "20", "2", "<startLoad>10</startLoad><stopLoad>20</stopLoad>",
			   "lookbusy", "CPU", "");
	char *doc = emu_doc("TIME", "CPU", "20", d);
	struct emu_plan *p;

	if (emu_plan_str(doc, NULL, &p))
		fail_msg("%s", tbx_errmsg());
	emu_expect_runs(p, w, 2);
	assert_true(emu_has_note(p, "t.xml:9: <startTime>: -5 s: its runs start before the emulation does", NULL));
	emu_plan_free(p);
	free(d);
	free(doc);
}

struct refusal {
	const char *type, *eres, *stop;
	const char *dist, *start, *dur, *args, *emulator, *res, *params;
	const char *where, *what;
};

static void refusals(void **state)
{
	static const struct refusal r[] = {
		{ "TIME", "CPU", "60", "linear", "0", "60", "<startLoad>1</startLoad><stopLoad>2</stopLoad>",
		  "lookbusy", "MEM", "", "t.xml:16: <resourceType>:",
		  "MEM does not match the emulation's <emuresourceType> CPU" },
		{ "TIME", "NET", "60", "event", "0", "60", "", "backfuzz", "NET",
		  "<serverip>198.18.0.1</serverip>", "t.xml:12: <distribution>:",
		  "a TIME emulation holds none" },
		{ "EVENT", "CPU", "60", "linear", "0", "60", "<startLoad>1</startLoad><stopLoad>2</stopLoad>",
		  "lookbusy", "CPU", "", "t.xml:12: <distribution>:", "only event distributions" },
		{ "TIME", "CPU", "60", "linear_incr", "0", "60", "<startLoad>1</startLoad><stopLoad>2</stopLoad>",
		  "lookbusy", "CPU", "", "t.xml:12: <distribution>:", "linear_incr does not apply to CPU" },
		{ "TIME", "IO", "60", "trapezoidal", "0", "60", "<startLoad>1</startLoad><stopLoad>2</stopLoad>",
		  "lookbusy", "IO", "", "t.xml:12: <distribution>:", "trapezoidal does not apply to IO" },
		{ "TIME", "CPU", "60", "gauss", "0", "60", "", "lookbusy", "CPU", "",
		  "t.xml:12: <distribution>:", "no distribution \"gauss\"" },
		{ "TIME", "CPU", "60", "linear", "0", "60", "<startLoad>1</startLoad><stopLoad>2</stopLoad>",
		  "lookbusier", "CPU", "", "t.xml:14: <emulator>:", "no emulator \"lookbusier\"" },
		{ "TIME", "NET", "60", "linear", "0", "60", "<startLoad>1</startLoad><stopLoad>2</stopLoad>",
		  "lookbusy", "NET", "", "t.xml:14: <emulator>:", "lookbusy does not emulate NET" },
		{ "TIME", "CPU", "60", "linear", "0", "60", "<startLoad>1</startLoad>",
		  "lookbusy", "CPU", "", "t.xml:7: <distributions>:", "linear for CPU needs <stopLoad>" },
		{ "TIME", "CPU", "60", "linear", "0", "60", "<startLoad>ten</startLoad><stopLoad>2</stopLoad>",
		  "lookbusy", "CPU", "", "t.xml:13: <startLoad>:", "\"ten\" is not a whole number (COCOMA reads it with int())" },
		{ "TIME", "CPU", "60", "linear", "0", "60", "<startLoad>10.0</startLoad><stopLoad>2</stopLoad>",
		  "lookbusy", "CPU", "", "t.xml:13: <startLoad>:", "\"10.0\" is not a whole number" },
		{ "TIME", "CPU", "60", "linear", "0", "60", "<startLoad>10%</startLoad><stopLoad>2</stopLoad>",
		  "lookbusy", "CPU", "", "t.xml:13: <startLoad>:", "only for MEM" },
		{ "TIME", "MEM", "60", "linear", "0", "60", "<startLoad>12.5%</startLoad><stopLoad>60</stopLoad>",
		  "lookbusy", "MEM", "", "t.xml:13: <startLoad>:", "not a whole number of %" },
		{ "TIME", "CPU", "60", "linear", "1.5", "50", "<startLoad>1</startLoad><stopLoad>2</stopLoad>",
		  "lookbusy", "CPU", "", "t.xml:9: <startTime>:", "\"1.5\" is not a whole number of seconds" },
		{ "TIME", "NET", "60", "linear", "0", "60", "<startLoad>1</startLoad><stopLoad>2</stopLoad>",
		  "iperf", "NET", "", "t.xml:7: <distributions>:", "iperf for NET needs <serverip>" },
		{ "TIME", "NET", "60", "linear", "0", "60", "<startLoad>1</startLoad><stopLoad>2</stopLoad>",
		  "iperf", "NET", "<serverip>10.0.0.300</serverip>", "t.xml:17: <serverip>:",
		  "not an IPv4 or IPv6 address" },
		{ "TIME", "NET", "60", "linear", "0", "60", "<startLoad>1</startLoad><stopLoad>2</stopLoad>",
		  "iperf", "NET", "<serverip>10.0.0.3</serverip><serverport>http</serverport>",
		  "t.xml:17: <serverport>:", "not a port" },
		{ "TIME", "NET", "60", "linear", "0", "60", "<startLoad>1</startLoad><stopLoad>2</stopLoad>",
		  "backfuzz", "NET", "<serverip>198.18.0.1</serverip>", "t.xml:14: <emulator>:",
		  "backfuzz plays event distributions on NET only" },
		{ "TIME", "CPU", "60", "real_trace", "0", "60", "<trace>/nonexistent/t</trace><groupingRange>2</groupingRange>",
		  "lookbusy", "CPU", "", "t.xml:13: <trace>: /nonexistent/t:", "No such file" },
		{ "TIME", "NET", "60", "profile", "0", "60", "<profile>/nonexistent/p.csv</profile>",
		  "net", "NET", "<serverip>198.18.0.1</serverip>", "t.xml:13: <profile>:", "/nonexistent/p.csv" },
		{ "TIME", "CPU", "60", "linear", "0", "60", "<startLoad>1</startLoad><stopLoad>2</stopLoad>",
		  "lookbusy", "MIX", "", "t.xml:16: <resourceType>:", "\"MIX\" is not a resource type" },
		{ "TIME", "CPU", "soon", "linear", "0", "60", "<startLoad>1</startLoad><stopLoad>2</stopLoad>",
		  "lookbusy", "CPU", "", "t.xml:6: <emustopTime>:", "\"soon\" is not a duration" },
		{ "LATER", "CPU", "60", "linear", "0", "60", "<startLoad>1</startLoad><stopLoad>2</stopLoad>",
		  "lookbusy", "CPU", "", "t.xml:3: <emuType>:", "not TIME, EVENT or MIX" },
		/* where COCOMA's Python failed */
		{ "TIME", "CPU", "60", "exp", "0", "1", "<startLoad>1</startLoad>",
		  "lookbusy", "CPU", "", "t.xml:11: <granularity>:", "a timescale (duration / granularity) of 1 s" },
		{ "TIME", "CPU", "60", "exp", "0", "0", "<startLoad>1</startLoad>",
		  "lookbusy", "CPU", "", "t.xml:10: <duration>:", "0 s: COCOMA's exp divides" },
		{ "TIME", "NET", "60", "exp", "0", "60", "<startLoad>5000</startLoad>",
		  "iperf", "NET", "<serverip>198.18.0.1</serverip>", "t.xml:13: <startLoad>:", "above 4095" },
	};

	for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
		char *d = emu_dist(r[i].dist, r[i].start, r[i].dur, "1", r[i].args, r[i].emulator,
				   r[i].res, r[i].params);
		char *doc = emu_doc(r[i].type, r[i].eres, r[i].stop, d);

		emu_expect_error(doc, strlen(doc), NULL, r[i].where, r[i].what);
		free(d);
		free(doc);
	}
	/* linear's CPU granularity may be 0, which COCOMA divided by */
	{
		char *d = emu_dist("linear", "0", "60", "0", "<startLoad>1</startLoad><stopLoad>2</stopLoad>",
				   "lookbusy", "CPU", "");
		char *doc = emu_doc("TIME", "CPU", "60", d);

		emu_expect_error(doc, strlen(doc), NULL, "t.xml:11: <granularity>:",
				 "0 runs: COCOMA's linear divides the duration by it");
		free(d);
		free(doc);
	}
}

#define TOP "<emuname>a</emuname><emuType>TIME</emuType><emuresourceType>CPU</emuresourceType>" \
	    "<emustopTime>10</emustopTime>"

static void emulation_level_refusals(void **state)
{
	static const struct {
		const char *doc, *where, *what;
	} r[] = {
		{ "<emulation>\n<emuType>TIME</emuType><emuresourceType>CPU</emuresourceType>"
		  "<emustopTime>10</emustopTime></emulation>", "t.xml:1: <emulation>:", "needs <emuname>" },
		{ "<emulation>\n" TOP "\n</emulation>", "t.xml:1: <emulation>:", "at least one <distributions>" },
		{ "<emulation>\n<emuname>a/b</emuname></emulation>", "t.xml:2: <emuname>:", "no control characters or '/'" },
		{ "<emulation>\n" TOP "<emustartTime>tomorrow</emustartTime></emulation>",
		  "t.xml:2: <emustartTime>:", "not \"now\" or a time" },
		{ "<emul>\n</emul>", "t.xml:1: <emul>:", "root must be <emulation>" },
		{ "<emulation>" TOP "\n<log><enable>maybe</enable></log></emulation>",
		  "t.xml:2: <enable>:", "not 0 or 1" },
		{ "<emulation>" TOP "\n<log><enable>1</enable><frequency>1.5</frequency></log></emulation>",
		  "t.xml:2: <frequency>:", "not a whole number of seconds" },
		{ "<emulation>" TOP "\n<mq><host>x</host></mq></emulation>",
		  "t.xml:2: <mq>:", "needs <enable> (COCOMA refuses an <mq> without it)" },
		{ "<emulation>" TOP "\n<distributions>\n<duration>5</duration></distributions></emulation>",
		  "t.xml:2: <distributions>:", "needs a <distribution name=" },
	};

	for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++)
		emu_expect_error(r[i].doc, strlen(r[i].doc), NULL, r[i].where, r[i].what);
}

static void too_many_runs(void **state)
{
	/* three distributions of 50 000 runs of 2 s: over the 100 000 bound */
	char *d = emu_dist("linear", "0", "100000", "50000", "<startLoad>1</startLoad><stopLoad>9</stopLoad>",
			   "net", "NET", "<serverip>198.18.0.2</serverip>");
	char *three, *doc;
	struct emu_plan *p;

	assert_true(asprintf(&three, "%s%s%s", d, d, d) > 0);
	doc = emu_doc("TIME", "NET", "100000", three);
	emu_expect_error(doc, strlen(doc), NULL, "t.xml:", "more than 100000 runs");
	free(doc);
	/* two are fine */
	three[strlen(d) * 2] = '\0';
	doc = emu_doc("TIME", "NET", "100000", three);
	if (emu_plan_str(doc, NULL, &p))
		fail_msg("%s", tbx_errmsg());
	assert_int_equal(p->n_runs, 100000);
	emu_plan_free(p);
	free(doc);
	free(three);
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(as_users_wrote_it),
		cmocka_unit_test(tags_matching_only_ignoring_case),
		cmocka_unit_test(clamped_with_cocomas_note),
		cmocka_unit_test(force_rules),
		cmocka_unit_test(overload_rule),
		cmocka_unit_test(notes_for_what_cocoma_ignored),
		cmocka_unit_test(negative_start),
		cmocka_unit_test(refusals),
		cmocka_unit_test(emulation_level_refusals),
		cmocka_unit_test(too_many_runs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
