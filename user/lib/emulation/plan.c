// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Parse, validate, plan: the XML becomes validated distributions, each
 * distribution its runs (post-processed as COCOMA did), and the runs of
 * all distributions one list sorted by start, checked against the 90 %
 * rule.
 */
#include <errno.h>
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

int emu_runvec_add(struct emu_runvec *rv, const struct emu_dspec *d,
		   double load, double start, double duration)
{
	if (rv->n == rv->cap) {
		size_t cap = rv->cap ? rv->cap * 2 : 16;
		struct emu_run *v;

		if (rv->n >= EMU_RUNS_MAX)
			return tbx_err(E2BIG, "line %u: <distributions> %s: more than %u runs",
				       d->line, d->name, EMU_RUNS_MAX);
		v = realloc(rv->v, cap * sizeof(*v));
		if (!v)
			return tbx_err(ENOMEM, "out of memory");
		rv->v = v;
		rv->cap = cap;
	}
	rv->v[rv->n] = d->tmpl;
	rv->v[rv->n].load = load;
	rv->v[rv->n].start = start;
	rv->v[rv->n].duration = duration;
	rv->n++;
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

/* By start; ties keep the order the distributions made them in. */
struct keyed {
	struct emu_run r;
	size_t seq;
};

static int run_cmp(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;

	if (x->r.start != y->r.start)
		return x->r.start < y->r.start ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int sort_runs(struct emu_plan *p)
{
	struct keyed *k = malloc(p->n_runs * sizeof(*k) + 1);

	if (!k)
		return tbx_err(ENOMEM, "out of memory");
	for (size_t i = 0; i < p->n_runs; i++)
		k[i] = (struct keyed){ p->runs[i], i };
	qsort(k, p->n_runs, sizeof(*k), run_cmp);
	for (size_t i = 0; i < p->n_runs; i++)
		p->runs[i] = k[i].r;
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
		for (size_t j = 0; !err && j < rv.n; j++) {
			if (all.n >= EMU_RUNS_MAX) {
				err = tbx_err(E2BIG, "%s: more than %u runs", c->what, EMU_RUNS_MAX);
				break;
			}
			err = emu_runvec_add(&all, &ds[i], rv.v[j].load, rv.v[j].start,
					     rv.v[j].duration);
			if (!err)
				all.v[all.n - 1] = rv.v[j];
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
	return sort_runs(p);
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
