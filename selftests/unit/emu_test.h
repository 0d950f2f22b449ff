/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers for the emulation tests: documents from parts, run tables, expected errors. */
#ifndef TBX_TEST_EMU_H
#define TBX_TEST_EMU_H

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>

#include "emulation/emulation.h"
#include "err.h"

#define GiB	(1ULL << 30)
#define MiB	(1ULL << 20)

/*
 * A host every test sees the same: COCOMA's own, the machine its shipped
 * trace was recorded on (NCPUS 2, MEMTOTAL 2074448 kB = 2025 MiB, 73 % of
 * it in use = 1478 MiB), and COCOMA's seed.
 */
static const struct emu_parse_opts emu_host_opts = {
	.ncpus = 2, .mem_bytes = 2025 * MiB, .mem_used_set = true, .mem_used_bytes = 1478 * MiB,
};

struct want_run {
	double load, start, duration;
	enum emu_res res;
};

/* An emulation around @dists: type, resource type, emustopTime. */
static inline char *emu_doc(const char *type, const char *res, const char *stop,
			    const char *dists)
{
	char *s;

	if (asprintf(&s, "<emulation>\n<emuname>t</emuname>\n<emuType>%s</emuType>\n"
		     "<emuresourceType>%s</emuresourceType>\n<emustartTime>now</emustartTime>\n"
		     "<emustopTime>%s</emustopTime>\n%s</emulation>\n", type, res, stop, dists) < 0)
		abort();
	return s;
}

/* One <distributions> block; @args are the distribution's, @params the emulator's. */
static inline char *emu_dist(const char *dist, const char *start, const char *dur,
			     const char *gran, const char *args, const char *emulator,
			     const char *res, const char *params)
{
	char *s;

	if (asprintf(&s, "<distributions>\n<name>d</name>\n<startTime>%s</startTime>\n"
		     "<duration>%s</duration>\n<granularity>%s</granularity>\n"
		     "<distribution name=\"%s\"/>\n%s\n<emulator name=\"%s\"/>\n"
		     "<emulator-params>\n<resourceType>%s</resourceType>\n%s\n</emulator-params>\n"
		     "</distributions>\n", start, dur, gran, dist, args, emulator, res, params) < 0)
		abort();
	return s;
}

static inline int emu_plan_str(const char *doc, const struct emu_parse_opts *o,
			       struct emu_plan **p)
{
	return emu_plan_buf(doc, strlen(doc), "t.xml", o ? o : &emu_host_opts, p);
}

static inline void emu_expect_runs(const struct emu_plan *p, const struct want_run *w, size_t n)
{
	if (p->n_runs != n) {
		for (size_t i = 0; i < p->n_runs; i++)
			print_message("run %zu: load %g start %.17g duration %.17g\n", i,
				      p->runs[i].load, p->runs[i].start, p->runs[i].duration);
		fail_msg("%zu runs, wanted %zu", p->n_runs, n);
	}
	for (size_t i = 0; i < n; i++) {
		const struct emu_run *r = &p->runs[i];

		if (fabs(r->load - w[i].load) > 1e-9 || fabs(r->start - w[i].start) > 1e-9 ||
		    fabs(r->duration - w[i].duration) > 1e-9 || r->res != w[i].res)
			fail_msg("run %zu: %s load %g start %.17g duration %.17g; wanted %s %g %.17g %.17g",
				 i, emu_res_name(r->res), r->load, r->start, r->duration,
				 emu_res_name(w[i].res), w[i].load, w[i].start, w[i].duration);
	}
}

/* Planning @doc fails with a message that starts with @where and holds @what. */
static inline void emu_expect_error(const char *doc, size_t len, const struct emu_parse_opts *o,
				    const char *where, const char *what)
{
	struct emu_plan *p = (void *)1;

	tbx_err_clear();
	if (emu_plan_buf(doc, len, "t.xml", o ? o : &emu_host_opts, &p) == 0)
		fail_msg("accepted: %.300s", doc);
	assert_null(p);
	if (strncmp(tbx_errmsg(), where, strlen(where)) || !strstr(tbx_errmsg(), what))
		fail_msg("message \"%s\", wanted \"%s ... %s\"", tbx_errmsg(), where, what);
}

static inline bool emu_has_note(const struct emu_plan *p, const char *a, const char *b)
{
	for (size_t i = 0; i < p->n_notes; i++)
		if (strstr(p->notes[i].text, a) && (!b || strstr(p->notes[i].text, b)))
			return true;
	return false;
}

/* selftests/unit/emulation/NAME, from the tree's top or from the test binary's place. */
static inline void emu_data_path(const char *name, char *out, size_t len)
{
	char exe[PATH_MAX - 64];
	ssize_t n;

	snprintf(out, len, "selftests/unit/emulation/%s", name);
	if (!access(out, R_OK))
		return;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		*strrchr(exe, '/') = '\0';	/* build/tests */
		if ((size_t)snprintf(out, len, "%s/../../selftests/unit/emulation/%s", exe, name) >= len)
			out[0] = '\0';
	}
}

#endif
