// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * COCOMA's rules on emulation XML: what is accepted as users wrote it
 * (any case, any order, comments, durations, "N%"), what is clamped with a
 * note, and each refusal with its file:line: <element>.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "emu_test.h"

static const char cpu_dist[] =
	"<distributions><name>c</name><startTime>0</startTime><duration>20</duration>"
	"<granularity>2</granularity><distribution name=\"linear\"/>"
	"<startLoad>10</startLoad><stopLoad>20</stopLoad><emulator name=\"lookbusy\"/>"
	"<emulator-params><resourceType>CPU</resourceType></emulator-params></distributions>\n";

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
		" <mq><host>x</host></mq>\n"
		"</EMULATION>\n";
	struct emu_plan *p;

	if (emu_plan_str(doc, NULL, &p))
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

static void clamped_with_a_note(void **state)
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
	struct emu_parse_opts o = emu_host_opts;
	struct emu_plan *p;

	o.force = true;
	if (emu_plan_str(doc, &o, &p))
		fail_msg("%s", tbx_errmsg());
	assert_true(emu_has_note(p, "t.xml:8: <granularity>: 0 is below the bound 1; clamped to 1", NULL));
	assert_true(emu_has_note(p, "t.xml:9: <minJobTime>: 1 s is below the bound 2 s; clamped to 2 s", NULL));
	assert_true(emu_has_note(p, "t.xml:11: <startLoad>: 10 is below the bound 50; clamped to 50", NULL));
	assert_true(emu_has_note(p, "t.xml:12: <stopLoad>: 999999 is above the bound 8192; clamped to 8192", NULL));
	assert_true(emu_has_note(p, "t.xml:14: <memSleep>: 2000000000 is above the bound 999999999", NULL));
	/* one run, at startLoad as clamped */
	assert_int_equal(p->n_runs, 1);
	assert_true(p->runs[0].load == 50);
	assert_int_equal(p->runs[0].mem_sleep_us, 999999999);
	free(doc);
	emu_plan_free(p);
}

#define CPU50(start, params) \
	"<distributions><startTime>" start "</startTime><duration>20</duration>" \
	"<distribution name=\"linear\"/><startLoad>50</startLoad><stopLoad>50</stopLoad>" \
	"<emulator name=\"cpu\"/><emulator-params><resourceType>CPU</resourceType>" params \
	"</emulator-params></distributions>\n"

static void overload_rule(void **state)
{
	/* two CPU distributions of 50 % overlap between 10 and 20 s; the second
	 * keeps 1 of 2 CPUs busy: 75 % of the host, accepted */
	char *ok = emu_doc("TIME", "CPU", "30", CPU50("0", "") CPU50("10", "<ncpus>1</ncpus>"));
	/* on all CPUs: 100 % from 10 s */
	char *over = emu_doc("TIME", "CPU", "30", CPU50("0", "") CPU50("10", ""));
	char *mem = emu_doc("TIME", "MEM", "10",
		"<distributions><duration>10</duration><distribution name=\"linear\"/>"
		"<startLoad>7500</startLoad><stopLoad>7500</stopLoad><emulator name=\"mem\"/>"
		"<emulator-params><resourceType>MEM</resourceType></emulator-params></distributions>\n");
	struct emu_parse_opts o = emu_host_opts;
	struct emu_plan *p;

	if (emu_plan_str(ok, NULL, &p))
		fail_msg("%s", tbx_errmsg());
	emu_plan_free(p);
	emu_expect_error(over, strlen(over), NULL,
			 "t.xml:8: <distributions>: CPU load reaches 100 % at 10 s", "force");
	/* MEM: 7500 of 8192 MiB is above 90 % */
	emu_expect_error(mem, strlen(mem), NULL, "t.xml:7: <distributions>: MEM load reaches 7500 MiB", "90 %");
	o.force = true;
	if (emu_plan_str(over, &o, &p))
		fail_msg("%s", tbx_errmsg());
	assert_true(emu_has_note(p, "CPU load reaches 100 % at 10 s", "forced"));
	emu_plan_free(p);
	free(ok);
	free(over);
	free(mem);
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
		{ "TIME", "CPU", "60", "linear", "30", "40", "<startLoad>1</startLoad><stopLoad>2</stopLoad>",
		  "lookbusy", "CPU", "", "t.xml:10: <duration>:",
		  "the window 30 s + 40 s ends after the emulation's 60 s" },
		{ "TIME", "CPU", "60", "linear_incr", "0", "60", "<startLoad>1</startLoad><stopLoad>2</stopLoad>",
		  "lookbusy", "CPU", "", "t.xml:12: <distribution>:", "linear_incr does not apply to CPU" },
		{ "TIME", "CPU", "60", "gauss", "0", "60", "", "lookbusy", "CPU", "",
		  "t.xml:12: <distribution>:", "no distribution \"gauss\"" },
		{ "TIME", "CPU", "60", "linear", "0", "60", "<startLoad>1</startLoad><stopLoad>2</stopLoad>",
		  "lookbusier", "CPU", "", "t.xml:14: <emulator>:", "no emulator \"lookbusier\"" },
		{ "TIME", "NET", "60", "linear", "0", "60", "<startLoad>1</startLoad><stopLoad>2</stopLoad>",
		  "lookbusy", "NET", "", "t.xml:14: <emulator>:", "lookbusy does not emulate NET" },
		{ "TIME", "CPU", "60", "linear", "0", "60", "<startLoad>1</startLoad>",
		  "lookbusy", "CPU", "", "t.xml:7: <distributions>:", "linear needs <stopLoad>" },
		{ "TIME", "CPU", "60", "linear", "0", "60", "<startLoad>1</startLoad><stopLoad>2</stopLoad><trace>x</trace>",
		  "lookbusy", "CPU", "", "t.xml:13: <trace>:", "not an argument of linear" },
		{ "TIME", "CPU", "60", "linear", "0", "60", "<startLoad>ten</startLoad><stopLoad>2</stopLoad>",
		  "lookbusy", "CPU", "", "t.xml:13: <startLoad>:", "\"ten\" is not a number" },
		{ "TIME", "CPU", "60", "linear", "0", "60", "<startLoad>10%</startLoad><stopLoad>2</stopLoad>",
		  "lookbusy", "CPU", "", "t.xml:13: <startLoad>:", "only for MEM" },
		{ "TIME", "CPU", "60", "linear", "0", "60", "<startLoad>1</startLoad><stopLoad>2</stopLoad>",
		  "lookbusy", "CPU", "<memSleep>1</memSleep>", "t.xml:17: <memSleep>:",
		  "not an argument of lookbusy for CPU (its arguments: ncpus)" },
		{ "TIME", "NET", "60", "linear", "0", "60", "<startLoad>1</startLoad><stopLoad>2</stopLoad>",
		  "iperf", "NET", "", "t.xml:15: <emulator-params>:", "iperf for NET needs <serverip>" },
		{ "TIME", "NET", "60", "linear", "0", "60", "<startLoad>1</startLoad><stopLoad>2</stopLoad>",
		  "iperf", "NET", "<serverip>10.0.0.300</serverip>", "t.xml:17: <serverip>:",
		  "not an IPv4 or IPv6 address" },
		{ "TIME", "NET", "60", "linear", "0", "60", "<startLoad>1</startLoad><stopLoad>2</stopLoad>",
		  "backfuzz", "NET", "<serverip>198.18.0.1</serverip>", "t.xml:14: <emulator>:",
		  "backfuzz plays event distributions only" },
		{ "TIME", "CPU", "60", "real_trace", "0", "60", "<trace>/nonexistent/t</trace><groupingRange>2</groupingRange>",
		  "lookbusy", "CPU", "", "t.xml:13: <trace>: /nonexistent/t:", "No such file" },
		{ "TIME", "NET", "60", "profile", "0", "60", "<profile>/nonexistent/p.csv</profile>",
		  "net", "NET", "<serverip>198.18.0.1</serverip>", "t.xml:13: <profile>:", "/nonexistent/p.csv" },
		{ "TIME", "CPU", "60", "linear", "0", "60", "<startLoad>1</startLoad><startLoad>2</startLoad>",
		  "lookbusy", "CPU", "", "t.xml:13: <startLoad>:", "given twice" },
		{ "TIME", "CPU", "60", "linear", "0", "0", "<startLoad>1</startLoad><stopLoad>2</stopLoad>",
		  "lookbusy", "CPU", "", "t.xml:10: <duration>:", "more than 0 s" },
		{ "TIME", "CPU", "60", "linear", "0", "60", "<startLoad>1</startLoad><stopLoad>2</stopLoad>",
		  "lookbusy", "MIX", "", "t.xml:16: <resourceType>:", "\"MIX\" is not a resource type" },
		{ "TIME", "CPU", "soon", "linear", "0", "60", "<startLoad>1</startLoad><stopLoad>2</stopLoad>",
		  "lookbusy", "CPU", "", "t.xml:6: <emustopTime>:", "\"soon\" is not a duration" },
		{ "TIME", "CPU", "60", "exp", "0", "1", "<startLoad>1</startLoad>",
		  "lookbusy", "CPU", "", "t.xml:11: <granularity>:", "exp needs more than 1 s per run" },
		{ "LATER", "CPU", "60", "linear", "0", "60", "<startLoad>1</startLoad><stopLoad>2</stopLoad>",
		  "lookbusy", "CPU", "", "t.xml:3: <emuType>:", "not TIME, EVENT or MIX" },
	};

	for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
		char *d = emu_dist(r[i].dist, r[i].start, r[i].dur, "1", r[i].args, r[i].emulator,
				   r[i].res, r[i].params);
		char *doc = emu_doc(r[i].type, r[i].eres, r[i].stop, d);

		emu_expect_error(doc, strlen(doc), NULL, r[i].where, r[i].what);
		free(d);
		free(doc);
	}
}

static void emulation_level_refusals(void **state)
{
	static const struct {
		const char *doc, *where, *what;
	} r[] = {
		{ "<emulation>\n<emuType>TIME</emuType><emuresourceType>CPU</emuresourceType>"
		  "<emustopTime>10</emustopTime></emulation>", "t.xml:1: <emulation>:", "needs <emuname>" },
		{ "<emulation>\n<emuname>a</emuname><emuType>TIME</emuType><emuresourceType>CPU</emuresourceType>"
		  "<emustopTime>10</emustopTime>\n</emulation>", "t.xml:1: <emulation>:", "at least one <distributions>" },
		{ "<emulation>\n<emuname>a</emuname>\n<colour>red</colour></emulation>",
		  "t.xml:3: <colour>:", "unknown element in <emulation>" },
		{ "<emulation>\n<emuname>a</emuname>\n<emuname>b</emuname></emulation>",
		  "t.xml:3: <emuname>:", "given twice" },
		{ "<emulation>\n<emuname>a/b</emuname></emulation>", "t.xml:2: <emuname>:", "no control characters or '/'" },
		{ "<emulation>\n<emustartTime>tomorrow</emustartTime></emulation>",
		  "t.xml:2: <emustartTime>:", "not \"now\" or a time" },
		{ "<emul>\n</emul>", "t.xml:1: <emul>:", "root must be <emulation>" },
		{ "<emulation><emuname>a</emuname><emuType>TIME</emuType><emuresourceType>CPU</emuresourceType>"
		  "<emustopTime>10</emustopTime>\n<log><enable>maybe</enable></log></emulation>",
		  "t.xml:2: <enable>:", "not 0 or 1" },
		{ "<emulation><emuname>a</emuname><emuType>TIME</emuType><emuresourceType>CPU</emuresourceType>"
		  "<emustopTime>10</emustopTime>\n<distributions>\n<duration>5</duration></distributions></emulation>",
		  "t.xml:2: <distributions>:", "needs a <distribution name=" },
	};

	for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++)
		emu_expect_error(r[i].doc, strlen(r[i].doc), NULL, r[i].where, r[i].what);
	(void)cpu_dist;
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
		cmocka_unit_test(clamped_with_a_note),
		cmocka_unit_test(overload_rule),
		cmocka_unit_test(refusals),
		cmocka_unit_test(emulation_level_refusals),
		cmocka_unit_test(too_many_runs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
