// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * real_trace (COCOMA's dist_real_trace and Library.realTraceSmoothing):
 * replays a recorded trace (reference/cocoma.md's format, as `tbx record`
 * writes it) from int() of the distribution's start, all of it (COCOMA's
 * module has no duration). Each sample strictly within groupingRange of
 * the current run's value merges into it (value = (value + sample) // 2,
 * the run one poll interval longer); any other starts a new run. Samples
 * are read with int(): CPU %; MEM % as N * (memory // 100) MiB, or bytes
 * // 2^20, grouped within groupingRange * (memory // 100). MEM runs above
 * 4095 MiB are split.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "emu_int.h"
#include "err.h"

static int num(const char *s, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	return *s && !*end && !errno && isfinite(*v) && *v >= 0 ? 0 : -1;
}

static const char *const heads[4] = { "NCPUS", "MEMTOTAL", "TIMESTAMP", "POLLFR" };

static int read_line(FILE *f, char *buf, size_t len, const char *name, unsigned int line)
{
	size_t l;

	if (!fgets(buf, (int)len, f))
		return 1;
	l = strlen(buf);
	if (l == len - 1 && buf[l - 1] != '\n' && !feof(f))
		return tbx_err(E2BIG, "%s:%u: line too long", name, line);
	buf[strcspn(buf, "\r\n")] = '\0';
	return 0;
}

int emu_trace_read(FILE *f, const char *name, struct emu_trace *t)
{
	char buf[256], *tok[3], *save;
	unsigned int line = 0;
	size_t cap = 0;
	double v;
	int err = 0, nt;

	memset(t, 0, sizeof(*t));
	for (int h = 0; h < 5; h++) {
		line++;
		err = read_line(f, buf, sizeof(buf), name, line);
		if (err > 0)
			return tbx_err(EINVAL, "%s:%u: truncated: expected the %s line", name, line,
				       h < 4 ? heads[h] : "CPU% MEMUSED% column header");
		if (err)
			return err;
		if (h == 4) {
			/* any column header; COCOMA read MEM as % when it
			 * says MEMUSED%, else as bytes */
			t->mem_percent = strstr(buf, "MEMUSED%") != NULL;
			break;
		}
		nt = 0;
		for (char *p = strtok_r(buf, " \t", &save); p && nt < 3; p = strtok_r(NULL, " \t", &save))
			tok[nt++] = p;
		if (nt != 2 || strcasecmp(tok[0], heads[h]) || num(tok[1], &v))
			return tbx_err(EINVAL, "%s:%u: expected \"%s VALUE\"", name, line, heads[h]);
		switch (h) {
		case 0:
			if (v < 1 || v != floor(v) || v > 65536)
				return tbx_err(EINVAL, "%s:%u: NCPUS %g is not a CPU count", name, line, v);
			t->ncpus = (unsigned int)v;
			break;
		case 1:
			t->memtotal_kb = (uint64_t)v;
			break;
		case 2:
			t->timestamp_ms = (uint64_t)v;
			break;
		case 3:
			if (v <= 0 || v > 86400)
				return tbx_err(EINVAL, "%s:%u: POLLFR %g is not 0-86400 s", name, line, v);
			t->pollfr = v;
			break;
		}
	}
	while (!(err = read_line(f, buf, sizeof(buf), name, ++line))) {
		double cpu, mem;

		nt = 0;
		for (char *p = strtok_r(buf, " \t", &save); p && nt < 3; p = strtok_r(NULL, " \t", &save))
			tok[nt++] = p;
		if (!nt)
			continue;
		if (nt != 2 || num(tok[0], &cpu) || num(tok[1], &mem)) {
			err = tbx_err(EINVAL, "%s:%u: expected a sample \"CPU%% MEM\" of two numbers",
				      name, line);
			break;
		}
		if (t->n == cap) {
			double *c2, *m2;

			if (cap >= EMU_TRACE_SAMPLES_MAX) {
				err = tbx_err(E2BIG, "%s:%u: more than %u samples", name, line,
					      EMU_TRACE_SAMPLES_MAX);
				break;
			}
			cap = cap ? cap * 2 : 64;
			c2 = realloc(t->cpu, cap * sizeof(double));
			if (c2)
				t->cpu = c2;
			m2 = realloc(t->mem, cap * sizeof(double));
			if (m2)
				t->mem = m2;
			if (!c2 || !m2) {
				err = tbx_err(ENOMEM, "%s: out of memory", name);
				break;
			}
		}
		t->cpu[t->n] = cpu;
		t->mem[t->n] = mem;
		t->n++;
	}
	if (err < 0) {
		emu_trace_free(t);
		return err;
	}
	if (!t->n) {
		emu_trace_free(t);
		return tbx_err(EINVAL, "%s:%u: no samples", name, line);
	}
	return 0;
}

int emu_trace_load(const char *path, struct emu_trace *t)
{
	FILE *f = fopen(path, "re");
	int err;

	if (!f) {
		memset(t, 0, sizeof(*t));
		return tbx_err(errno, "%s: %s", path, strerror(errno));
	}
	err = emu_trace_read(f, path, t);
	fclose(f);
	return err;
}

void emu_trace_free(struct emu_trace *t)
{
	free(t->cpu);
	free(t->mem);
	t->cpu = t->mem = NULL;
	t->n = 0;
}

int emu_plan_real_trace(const struct emu_dspec *d, struct emu_ctx *c, double base, bool epoch,
			struct emu_rawvec *out)
{
	double range = trunc(emu_darg(d, "groupingRange")), fr, t, prev = -1;
	double pct = floor((double)c->host.mem_mb / 100);
	struct emu_rawvec v = { 0 };
	char path[512];
	struct emu_trace tr;
	int err;

	if ((err = emu_path(c, emu_dtext(d, "trace"), path, sizeof(path))))
		return err;
	if ((err = emu_trace_load(path, &tr))) {
		char msg[400];

		snprintf(msg, sizeof(msg), "%s", tbx_errmsg());
		return tbx_err(err, "%s:%u: <trace>: %s", c->what, emu_dline(d, "trace"), msg);
	}
	fr = tr.pollfr;
	if (d->res == EMU_RES_MEM)
		range = pct * range;
	/* COCOMA started from int() of the distribution's epoch start */
	t = epoch ? (double)(long long)base : emu_epoch_int(base);
	for (size_t i = 0; i < tr.n && !err; i++) {
		double val;

		if (d->res == EMU_RES_CPU)
			val = trunc(tr.cpu[i]);
		else if (tr.mem_percent)
			val = trunc(tr.mem[i]) * pct;
		else
			val = floor(trunc(tr.mem[i]) / 1048576);
		if (val < prev + range && val > prev - range && prev != -1) {
			v.v[v.n - 1].load = floor((prev + val) / 2);
			v.v[v.n - 1].duration += fr;
		} else {
			err = emu_raw_add(&v, val, t, fr);
		}
		t += fr;
		if (!err)
			prev = v.v[v.n - 1].load;
	}
	emu_trace_free(&tr);
	for (size_t i = 0; i < v.n && !err; i++)
		err = emu_raw_add_split(out, d, v.v[i].load, v.v[i].start, v.v[i].duration);
	emu_rawvec_free(&v);
	return err;
}
