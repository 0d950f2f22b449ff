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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_runs_as_cocoma),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
