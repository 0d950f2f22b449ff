// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The planner against COCOMA's own code. selftests/unit/emulation/cocoma/
 * holds edge-case emulations (tbx's files) and, for each, the runs
 * COCOMA 8c58816 computed for it - its XmlParser, EmulationManager,
 * DistributionManager, Library and distribution modules, run unmodified
 * by a scratch harness outside the tree on the same machine facts
 * (Documentation/benchmarks.md says how). Every file must give COCOMA's
 * runs: the same refusals, the same loads, starts and durations (to a
 * microsecond: COCOMA added seconds since the epoch), the same count.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "emu_test.h"

struct one {
	char res[8];
	bool event;
	double load, start, duration;
};

struct want {
	bool accepted;
	struct one v[256];
	size_t n;
};

static int one_cmp(const void *a, const void *b)
{
	const struct one *x = a, *y = b;
	int c = strcmp(x->res, y->res);

	if (c)
		return c;
	if (fabs(x->start - y->start) > 1e-4)
		return x->start < y->start ? -1 : 1;
	if (x->event != y->event)
		return x->event ? -1 : 1;
	if (x->load != y->load)
		return x->load < y->load ? -1 : 1;
	return (x->duration > y->duration) - (x->duration < y->duration);
}

static void read_want(const char *path, struct want *w)
{
	char line[256];
	FILE *f = fopen(path, "r");

	if (!f)
		fail_msg("%s: %m", path);
	memset(w, 0, sizeof(*w));
	while (fgets(line, sizeof(line), f)) {
		struct one *o = &w->v[w->n];
		char load[32];

		if (line[0] == '#' || !strcmp(line, "refused\n"))
			continue;
		if (!strcmp(line, "accepted\n")) {
			w->accepted = true;
			continue;
		}
		assert_true(w->n < sizeof(w->v) / sizeof(w->v[0]));
		if (sscanf(line, "%7s %31s %lf %lf", o->res, load, &o->start, &o->duration) < 3)
			fail_msg("%s: bad line %s", path, line);
		o->event = !strcmp(load, "EVENT");
		o->load = o->event ? 0 : strtod(load, NULL);
		w->n++;
	}
	fclose(f);
	qsort(w->v, w->n, sizeof(w->v[0]), one_cmp);
}

static void options(char *s, struct emu_parse_opts *o)
{
	char *save, *k;

	memset(o, 0, sizeof(*o));
	for (k = strtok_r(s, " ", &save); k; k = strtok_r(NULL, " ", &save)) {
		if (!strcmp(k, "--force")) {
			o->force = true;
			continue;
		}
		if (strncmp(k, "--", 2) || emu_opts_set(o, k + 2, strtok_r(NULL, " ", &save) ?: ""))
			fail_msg("cases.txt: option %s: %s", k, tbx_errmsg());
	}
}

/* Why @p differs from @w, or "" when it does not. */
static void differs(const struct emu_plan *p, const struct want *w, char *why, int len)
{
	struct one got[256];
	size_t n = p->n_runs;

	why[0] = '\0';
	if (n != w->n) {
		snprintf(why, (size_t)len, "%zu runs, COCOMA %zu", n, w->n);
		return;
	}
	assert_true(n <= sizeof(got) / sizeof(got[0]));
	for (size_t i = 0; i < n; i++) {
		const struct emu_run *r = &p->runs[i];

		snprintf(got[i].res, sizeof(got[i].res), "%s", emu_res_name(r->res));
		got[i].event = r->event;
		got[i].load = r->event ? 0 : r->load;
		got[i].start = r->start;
		got[i].duration = r->duration;
	}
	qsort(got, n, sizeof(got[0]), one_cmp);
	for (size_t i = 0; i < n; i++) {
		const struct one *a = &got[i], *b = &w->v[i];

		/* COCOMA's event run says 0 s; tbx's lasts the pattern */
		if (strcmp(a->res, b->res) || a->event != b->event || a->load != b->load ||
		    fabs(a->start - b->start) > 1e-6 ||
		    (!a->event && fabs(a->duration - b->duration) > 1e-6)) {
			snprintf(why, (size_t)len, "run %.7s %g at %.9g for %.9g, COCOMA %.7s %g at %.9g for %.9g",
				 a->res, a->load, a->start, a->duration, b->res, b->load, b->start,
				 b->duration);
			return;
		}
	}
}

static void same_runs_as_cocoma(void **state)
{
	char index[PATH_MAX], dir[PATH_MAX], line[512], path[2 * PATH_MAX], why[400];
	unsigned int total = 0, same = 0;
	FILE *f;

	emu_data_path("cocoma/cases.txt", index, sizeof(index));
	f = fopen(index, "r");
	if (!f)
		fail_msg("%s: %m", index);
	snprintf(dir, sizeof(dir), "%s", index);
	*strrchr(dir, '/') = '\0';
	while (fgets(line, sizeof(line), f)) {
		char *tab = strchr(line, '\t');
		struct emu_parse_opts o;
		struct emu_plan *p;
		struct want w;
		int err;

		if (line[0] == '#' || !tab)
			continue;
		*tab = '\0';
		tab[strcspn(tab + 1, "\n") + 1] = '\0';
		options(tab + 1, &o);
		snprintf(path, sizeof(path), "%.4000s/%.400s.runs", dir, line);
		read_want(path, &w);
		snprintf(path, sizeof(path), "%.4000s/%.400s.xml", dir, line);
		if (access(path, R_OK))
			fail_msg("%s: %m", path);
		tbx_err_clear();
		err = emu_plan_file(path, &o, &p);
		total++;
		if (!w.accepted) {
			snprintf(why, sizeof(why), "COCOMA refuses it, tbx accepts it");
			if (err)
				why[0] = '\0';
		} else if (err) {
			snprintf(why, sizeof(why), "tbx refuses it: %.300s", tbx_errmsg());
		} else {
			differs(p, &w, why, (int)sizeof(why));
		}
		if (!err)
			emu_plan_free(p);
		if (why[0])
			print_message("# %s: %s\n", line, why);
		else
			same++;
	}
	fclose(f);
	print_message("# %u of %u edge-case emulations give COCOMA's runs\n", same, total);
	assert_true(total >= 50);
	assert_int_equal(same, total);
}

/* Reads the output of @cmd (at most @len - 1 bytes); its exit status. */
static int run(const char *cmd, char *out, size_t len)
{
	FILE *f = popen(cmd, "r");
	size_t n;

	assert_non_null(f);
	n = fread(out, 1, len - 1, f);
	out[n] = '\0';
	return WEXITSTATUS(pclose(f));
}

/* The CLI's dry run on another machine's facts: the same plan as the
 * library's, the facts recorded in it. */
static void cli_dry_run_facts(void **state)
{
	char exe[PATH_MAX - 64], tbx[PATH_MAX], xml[PATH_MAX], cmd[3 * PATH_MAX], out[1 << 16];
	json_t *j;
	ssize_t n;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	assert_true(n > 0);
	exe[n] = '\0';
	*strrchr(exe, '/') = '\0';
	snprintf(tbx, sizeof(tbx), "%s/../tbx", exe);
	if (access(tbx, X_OK))
		skip();
	emu_data_path("cocoma/mem-free-90.xml", xml, sizeof(xml));
	/* 600 MiB: above 90 % of COCOMA's 547 MiB free, fine with 1925 free */
	snprintf(cmd, sizeof(cmd), "%s -j emulation runs --dry-run %s --cpus 2 --mem 2025 --mem-used 1478 2>&1",
		 tbx, xml);
	assert_int_not_equal(0, run(cmd, out, sizeof(out)));
	assert_non_null(strstr(out, "600 is above 90 % of the 547 MiB of memory free"));
	snprintf(cmd, sizeof(cmd), "%s -j emulation runs --dry-run %s --mem-used 100 --mem 2025 --cpus 4 --seed 7",
		 tbx, xml);
	assert_int_equal(0, run(cmd, out, sizeof(out)));
	j = json_loads(out, 0, NULL);
	assert_non_null(j);
	assert_int_equal(json_integer_value(json_object_get(j, "n_runs")), 4);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "machine"), "cpus")), 4);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "machine"), "mem_mb")), 2025);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "machine"), "mem_used_mb")), 100);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "machine"), "seed")), 7);
	json_decref(j);
	/* bad facts are usage errors */
	snprintf(cmd, sizeof(cmd), "%s emulation runs --dry-run %s --cpus 0 2>&1", tbx, xml);
	assert_int_equal(1, run(cmd, out, sizeof(out)));
	assert_non_null(strstr(out, "cpus 0: 1 to 65536"));
	snprintf(cmd, sizeof(cmd), "%s emulation runs --dry-run %s --mem 2>&1", tbx, xml);
	assert_int_equal(1, run(cmd, out, sizeof(out)));
	assert_non_null(strstr(out, "--mem needs a value"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_runs_as_cocoma),
		cmocka_unit_test(cli_dry_run_facts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
