// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Parse, validate, plan: the XML becomes validated distributions (checked
 * against COCOMA's force rules), each distribution its runs (checked
 * against COCOMA's overload rule, post-processed as COCOMA did, events
 * chained as COCOMA chained them), and the runs of all distributions one
 * list sorted by start.
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

/* Both views of a distribution's runs: as tbx shows them and on COCOMA's
 * epoch (emu_int.h), for COCOMA's truncations and comparisons. */
static int runs_of(struct emu_ctx *c, const struct emu_dspec *d, double start,
		   double start_epoch, struct emu_work **w, size_t *n)
{
	struct emu_rawvec rel = { 0 }, ep = { 0 };
	bool both = d->dist->timing == EMU_TIME_COCOMA;
	int err;

	*w = NULL;
	*n = 0;
	err = d->dist->plan(d, c, start, false, &rel);
	if (!err && both)
		err = d->dist->plan(d, c, start_epoch, true, &ep);
	if (!err && both && ep.n != rel.n)
		err = tbx_err(EPROTO, "%s:%u: <distributions> %s: internal: %zu runs on the epoch, %zu without",
			      c->what, d->line, d->name, ep.n, rel.n);
	if (!err && !(*w = malloc((rel.n + 1) * sizeof(**w))))
		err = tbx_err(ENOMEM, "out of memory");
	for (size_t i = 0; !err && i < rel.n; i++)
		(*w)[i] = (struct emu_work){ rel.v[i].load, rel.v[i].start,
			both ? ep.v[i].start : EMU_EPOCH + rel.v[i].start, rel.v[i].duration };
	if (!err)
		*n = rel.n;
	emu_rawvec_free(&rel);
	emu_rawvec_free(&ep);
	return err;
}

/* COCOMA's overload check, on runs computed from one common start. */
static int overload(struct emu_ctx *c, const struct emu_dspec *ds, size_t nd)
{
	struct emu_rawvec *raw = calloc(nd, sizeof(*raw));
	int err = 0;

	if (!raw)
		return tbx_err(ENOMEM, "out of memory");
	for (size_t i = 0; i < nd && !err; i++)
		if (ds[i].res == EMU_RES_CPU || ds[i].res == EMU_RES_MEM)
			err = ds[i].dist->plan(&ds[i], c, EMU_EPOCH, true, &raw[i]);
	if (!err)
		err = emu_check_overload(c, ds, raw, nd);
	for (size_t i = 0; i < nd; i++)
		emu_rawvec_free(&raw[i]);
	free(raw);
	return err;
}

static int add_runs(struct emu_plan *p, const struct emu_dspec *d, const struct emu_work *w,
		    size_t n, size_t *cap)
{
	if (p->n_runs + n > EMU_RUNS_MAX)
		return tbx_err(E2BIG, "more than %u runs", EMU_RUNS_MAX);
	if (p->n_runs + n > *cap) {
		size_t want = *cap ? *cap : 64;
		struct emu_run *v;

		while (want < p->n_runs + n)
			want *= 2;
		if (want > EMU_RUNS_MAX)
			want = EMU_RUNS_MAX;
		v = realloc(p->runs, want * sizeof(*v));
		if (!v)
			return tbx_err(ENOMEM, "out of memory");
		p->runs = v;
		*cap = want;
	}
	for (size_t i = 0; i < n; i++) {
		struct emu_run *r = &p->runs[p->n_runs++];

		memcpy(r, &d->tmpl, sizeof(*r));
		r->load = w[i].load;
		r->start = w[i].start;
		r->duration = w[i].duration;
	}
	return 0;
}

/*
 * Each distribution in the file's order, as COCOMA's DistributionManager
 * created them: from the emulation's start plus its startTime; after an
 * event, only once the event has ended, at that second (`date +%s`) plus
 * 5: a distribution due before then starts then plus its startTime.
 */
static int plan_all(struct emu_ctx *c, struct emu_dspec *ds, size_t nd)
{
	struct emu_plan *p = c->plan;
	double after = 0;		/* epoch second the next ones wait for */
	const struct emu_dspec *event = NULL;
	size_t cap = 0;
	int err = overload(c, ds, nd);

	for (size_t i = 0; i < nd && !err; i++) {
		double start = ds[i].start, start_epoch = EMU_EPOCH + ds[i].start;
		struct emu_work *w;
		size_t n;

		if (event && start_epoch < after) {
			start_epoch = after + ds[i].start;
			start = (after - EMU_EPOCH) + ds[i].start;
			err = emu_note(c, "%s:%u: <distributions> %s: after the event of line %u: starts at %g s (COCOMA created it when the event ended, 5 s later plus its startTime)",
				       c->what, ds[i].line, ds[i].name, event->line, start);
		}
		if (!err)
			err = runs_of(c, &ds[i], start, start_epoch, &w, &n);
		if (err)
			break;
		err = emu_postprocess(&ds[i], w, &n);
		if (!err && !n)
			err = emu_note(c, "%s:%u: <distributions> %s: no runs (all shorter than minJobTime or at load 0)",
				       c->what, ds[i].line, ds[i].name);
		if (!err)
			err = add_runs(p, &ds[i], w, n, &cap);
		if (!err && ds[i].dist->event && n) {
			event = &ds[i];
			after = (double)(long long)(w[0].start_epoch + w[0].duration) + 5;
		}
		free(w);
	}
	if (err) {
		/* messages from the planners lack the file: add it */
		if (strncmp(tbx_errmsg(), c->what, strlen(c->what))) {
			char msg[512];

			snprintf(msg, sizeof(msg), "%s", tbx_errmsg());
			tbx_err(err, "%s: %s", c->what, msg);
		}
		return err;
	}
	return sort_runs(p);
}

int emu_plan_buf(const char *buf, size_t len, const char *what,
		 const struct emu_parse_opts *o, struct emu_plan **out)
{
	struct emu_ctx c = { .what = what ? what : "emulation", .seed = EMU_COCOMA_SEED };
	struct emu_dspec *ds = NULL;
	xmlDocPtr doc = NULL;
	bool lowered;
	size_t nd = 0;
	int err;

	*out = NULL;
	c.plan = calloc(1, sizeof(*c.plan));
	if (!c.plan)
		return tbx_err(ENOMEM, "out of memory");
	emu_host_read(&c.host);
	if (o) {
		c.force = o->force;
		if (o->seed_set)
			c.seed = o->seed;
		if (o->ncpus)
			c.host.ncpus = o->ncpus;
		if (o->mem_bytes)
			c.host.mem_mb = o->mem_bytes >> 20;
		if (o->mem_used_set)
			c.host.mem_used_mb = o->mem_used_bytes >> 20;
	}
	c.plan->ncpus = c.host.ncpus;
	c.plan->mem_mb = c.host.mem_mb;
	c.plan->mem_used_mb = c.host.mem_used_mb;
	c.plan->seed = c.seed;
	err = emu_xml_read(buf, len, c.what, &doc, &lowered);
	if (!err && lowered)
		err = emu_note(&c, "%s: its tags match only ignoring case; read lower-cased, as COCOMA read every document",
			       c.what);
	if (!err)
		err = emu_spec_read(doc, &c, &ds, &nd);
	xmlFreeDoc(doc);
	if (!err) {
		c.plan->n_dists = nd;
		err = emu_force_rules(&c, ds, nd);
	}
	if (!err)
		err = plan_all(&c, ds, nd);
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
