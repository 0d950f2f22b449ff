// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Parse, validate, plan: the XML becomes validated distributions, each
 * distribution its runs (post-processed as COCOMA did), and the runs of
 * all distributions one list sorted by start, checked against the 90 %
 * rule.
 */
#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "emu_int.h"
#include "err.h"

const char *emu_res_name(enum emu_res r)
{
	static const char *const n[] = { "CPU", "MEM", "IO", "NET", "MIX" };

	return (unsigned int)r <= EMU_RES_MIX ? n[r] : "?";
}

const char *emu_res_kind(enum emu_res r)
{
	static const char *const n[] = { "cpu", "mem", "io", "net" };

	return (unsigned int)r < EMU_RES_MIX ? n[r] : NULL;
}

enum emu_res emu_res_of_kind(const char *kind)
{
	for (enum emu_res r = EMU_RES_CPU; r < EMU_RES_MIX; r++)
		if (!strcmp(kind, emu_res_kind(r)))
			return r;
	return EMU_RES_MIX;
}

const char *emu_res_unit(enum emu_res r)
{
	static const char *const n[] = { "%", "MiB", "MiB/s", "Mbit/s", "" };

	return (unsigned int)r <= EMU_RES_MIX ? n[r] : "";
}

const char *emu_type_name(enum emu_type t)
{
	static const char *const n[] = { "TIME", "EVENT", "MIX" };

	return (unsigned int)t <= EMU_MIX ? n[t] : "?";
}

int emu_runvec_reserve(struct emu_runvec *rv, size_t n)
{
	struct emu_run *v;

	if (n <= rv->cap)
		return 0;
	if (n > EMU_RUNS_MAX)
		return tbx_err(E2BIG, "more than %u runs", EMU_RUNS_MAX);
	v = realloc(rv->v, n * sizeof(*v));
	if (!v)
		return tbx_err(ENOMEM, "out of memory");
	rv->v = v;
	rv->cap = n;
	return 0;
}

int emu_runvec_add(struct emu_runvec *rv, const struct emu_dspec *d,
		   double load, double start, double duration)
{
	struct emu_run *r;

	if (rv->n == rv->cap) {
		size_t cap = rv->cap ? rv->cap * 2 : 16;

		if (rv->n >= EMU_RUNS_MAX)
			return tbx_err(E2BIG, "line %u: <distributions> %s: more than %u runs",
				       d->line, d->name, EMU_RUNS_MAX);
		if (emu_runvec_reserve(rv, cap > EMU_RUNS_MAX ? EMU_RUNS_MAX : cap))
			return -ENOMEM;
	}
	r = &rv->v[rv->n++];
	memcpy(r, &d->tmpl, sizeof(*r));
	r->load = load;
	r->start = start;
	r->duration = duration;
	return 0;
}

void emu_runvec_free(struct emu_runvec *rv)
{
	free(rv->v);
	rv->v = NULL;
	rv->n = rv->cap = 0;
}

int emu_path(struct emu_ctx *c, const char *name, char *out, size_t len)
{
	const char *slash = strrchr(c->what, '/');
	int n;

	if (name[0] == '/' || !slash)
		n = snprintf(out, len, "%s", name);
	else
		n = snprintf(out, len, "%.*s/%s", (int)(slash - c->what), c->what, name);
	if (n < 0 || (size_t)n >= len)
		return tbx_err(ENAMETOOLONG, "%s: path \"%.64s...\" too long", c->what, name);
	return 0;
}

void emu_plan_free(struct emu_plan *p)
{
	if (!p)
		return;
	free(p->runs);
	free(p->notes);
	free(p);
}

/* By start; ties keep the order the distributions made them in. Sorts
 * small keys, then moves each (large) run once. */
struct key {
	double start;
	size_t i;
};

static int key_cmp(const void *a, const void *b)
{
	const struct key *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

static int sort_runs(struct emu_plan *p)
{
	struct key *k = malloc(p->n_runs * sizeof(*k) + 1);
	struct emu_run tmp;

	if (!k)
		return tbx_err(ENOMEM, "out of memory");
	for (size_t i = 0; i < p->n_runs; i++)
		k[i] = (struct key){ p->runs[i].start, i };
	qsort(k, p->n_runs, sizeof(*k), key_cmp);
	/* position i takes run k[i].i: follow each cycle once, in place */
	for (size_t i = 0; i < p->n_runs; i++) {
		size_t j = i;

		if (k[i].i == SIZE_MAX || k[i].i == i)
			continue;
		tmp = p->runs[i];
		while (k[j].i != i) {
			size_t src = k[j].i;

			p->runs[j] = p->runs[src];
			k[j].i = SIZE_MAX;
			j = src;
		}
		p->runs[j] = tmp;
		k[j].i = SIZE_MAX;
	}
	free(k);
	return 0;
}

static int plan_all(struct emu_ctx *c, struct emu_dspec *ds, size_t nd)
{
	struct emu_plan *p = c->plan;
	struct emu_runvec all = { 0 };
	int err = 0;

	for (size_t i = 0; i < nd && !err; i++) {
		struct emu_runvec rv = { 0 };

		err = ds[i].dist->plan(&ds[i], c, &rv);
		if (!err)
			err = emu_postprocess(&ds[i], &rv);
		if (!err && !rv.n)
			err = emu_note(c, "%s:%u: <distributions> %s: no runs (all shorter than minJobTime %g s or at load 0)",
				       c->what, ds[i].line, ds[i].name, ds[i].min_job_time);
		if (!err && all.n + rv.n > EMU_RUNS_MAX)
			err = tbx_err(E2BIG, "%s: more than %u runs", c->what, EMU_RUNS_MAX);
		if (!err && !all.v) {
			all = rv;	/* the first distribution's runs: no copy */
			continue;
		}
		if (!err && (err = emu_runvec_reserve(&all, all.n + rv.n)) == 0) {
			memcpy(all.v + all.n, rv.v, rv.n * sizeof(*rv.v));
			all.n += rv.n;
		}
		emu_runvec_free(&rv);
	}
	if (err) {
		/* messages from the planners lack the file: add it */
		if (strncmp(tbx_errmsg(), c->what, strlen(c->what))) {
			char msg[512];

			snprintf(msg, sizeof(msg), "%s", tbx_errmsg());
			tbx_err(err, "%s:%s", c->what, msg + (strncmp(msg, "line ", 5) ? 0 : 5));
		}
		emu_runvec_free(&all);
		return err;
	}
	p->runs = all.v;
	p->n_runs = all.n;
	err = emu_stagger(p->runs, p->n_runs);
	return err ? err : sort_runs(p);
}

int emu_plan_buf(const char *buf, size_t len, const char *what,
		 const struct emu_parse_opts *o, struct emu_plan **out)
{
	struct emu_ctx c = { .what = what ? what : "emulation" };
	struct emu_dspec *ds = NULL;
	xmlDocPtr doc = NULL;
	size_t nd = 0;
	int err;

	*out = NULL;
	c.plan = calloc(1, sizeof(*c.plan));
	if (!c.plan)
		return tbx_err(ENOMEM, "out of memory");
	emu_host_read(&c.host);
	if (o) {
		c.force = o->force;
		c.seed = o->seed;
		if (o->ncpus)
			c.host.ncpus = o->ncpus;
		if (o->mem_bytes)
			c.host.mem_mb = o->mem_bytes >> 20;
	}
	err = emu_xml_read(buf, len, c.what, &doc);
	if (!err)
		err = emu_spec_read(doc, &c, &ds, &nd);
	xmlFreeDoc(doc);
	if (!err) {
		c.plan->n_dists = nd;
		err = plan_all(&c, ds, nd);
	}
	if (!err)
		err = emu_check_overload(&c, ds, c.plan->runs, c.plan->n_runs);
	free(ds);
	if (err) {
		emu_plan_free(c.plan);
		return err;
	}
	*out = c.plan;
	return 0;
}

int emu_plan_file(const char *path, const struct emu_parse_opts *o,
		  struct emu_plan **out)
{
	struct stat st;
	char *buf;
	ssize_t got;
	size_t len = 0;
	int fd, err;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return tbx_err(errno, "%s: %m", path);
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return tbx_err(EINVAL, "%s: not a regular file", path);
	}
	if (st.st_size > EMU_DOC_MAX) {
		close(fd);
		return tbx_err(E2BIG, "%s: %lld bytes: an emulation is at most %u bytes",
			       path, (long long)st.st_size, EMU_DOC_MAX);
	}
	buf = malloc(EMU_DOC_MAX + 1);
	if (!buf) {
		close(fd);
		return tbx_err(ENOMEM, "out of memory");
	}
	/* read to EOF, one byte past the limit at most: the file may grow */
	while (len <= EMU_DOC_MAX && (got = read(fd, buf + len, EMU_DOC_MAX + 1 - len)) > 0)
		len += got;
	err = errno;
	close(fd);
	if (len <= EMU_DOC_MAX && got < 0) {
		free(buf);
		return tbx_err(err, "%s: %s", path, strerror(err));
	}
	err = emu_plan_buf(buf, len, path, o, out);
	free(buf);
	return err;
}
