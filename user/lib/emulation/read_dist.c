// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One <distributions> block, read as COCOMA's XmlParser read it: each
 * argument the distribution's and the emulator's argNames(resourceType)
 * declare is the first element of that name anywhere in the block (in
 * <emulator-params> or not), read with Python's int() and moved to its
 * bound with COCOMA's note; what neither declares is ignored, with a
 * note. Every refusal names the file, the line and the element.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "emu_int.h"
#include "err.h"

#define TAG(n)	((const char *)(n)->name)

/* The block's elements in document order, as getElementsByTagName walks them. */
struct elems {
	xmlNodePtr *v;
	bool *used;
	size_t n, cap;
};

static int collect(struct elems *e, xmlNodePtr n)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (e->n == e->cap) {
			size_t cap = e->cap ? e->cap * 2 : 32;
			xmlNodePtr *v = realloc(e->v, cap * sizeof(*v));

			if (!v)
				return -ENOMEM;
			e->v = v;
			e->cap = cap;
		}
		e->v[e->n++] = n;
		if (collect(e, n->children))
			return -ENOMEM;
	}
	return 0;
}

/* The first element named @tag (below @within, if given); marks it read. */
static xmlNodePtr first_of(struct elems *e, const char *tag, xmlNodePtr within)
{
	for (size_t i = 0; i < e->n; i++) {
		xmlNodePtr p;

		if (!emu_xml_is(e->v[i], tag))
			continue;
		for (p = e->v[i]->parent; within && p && p != within; p = p->parent)
			;
		if (within && !p)
			continue;
		e->used[i] = true;
		return e->v[i];
	}
	return NULL;
}

double emu_darg(const struct emu_dspec *d, const char *name)
{
	for (int i = 0; i < EMU_ARGS_MAX && d->dargs->a[i].name; i++)
		if (!strcasecmp(d->dargs->a[i].name, name))
			return d->has[i] ? d->arg[i] : d->dargs->a[i].def;
	return 0;
}

bool emu_dhas_arg(const struct emu_dspec *d, const char *name)
{
	for (int i = 0; i < EMU_ARGS_MAX && d->dargs->a[i].name; i++)
		if (!strcasecmp(d->dargs->a[i].name, name))
			return true;
	return false;
}

const char *emu_dtext(const struct emu_dspec *d, const char *name)
{
	for (int i = 0; i < EMU_ARGS_MAX && d->dargs->a[i].name; i++)
		if (!strcasecmp(d->dargs->a[i].name, name))
			return d->text[i];
	return "";
}

unsigned int emu_dline(const struct emu_dspec *d, const char *name)
{
	for (int i = 0; i < EMU_ARGS_MAX && d->dargs->a[i].name; i++)
		if (!strcasecmp(d->dargs->a[i].name, name) && d->arg_line[i])
			return d->arg_line[i];
	return d->line;
}

static void upper(char *dst, size_t len, const char *s)
{
	size_t i;

	for (i = 0; i + 1 < len && s[i]; i++)
		dst[i] = toupper((unsigned char)s[i]);
	dst[i] = '\0';
}

/*
 * A numeric argument as COCOMA's getArgs read it: MEM distribution
 * arguments may be "N%" of the memory (N * total // 100), then int(), then
 * Library.boundsCompare moves it to the bound it passes, with its note.
 */
static int read_num(struct emu_ctx *c, xmlNodePtr n, const struct emu_arg_def *a,
		    const char *module, enum emu_res res, bool pct_ok, long long *v)
{
	char s[EMU_TEXT_MAX + 1], up[64];
	long long lo = a->lo, hi = emu_arg_hi(a, &c->host), was;
	size_t l;
	int err;

	if ((err = emu_xml_text(n, c->what, s)))
		return err;
	l = strlen(s);
	if (pct_ok && res == EMU_RES_MEM && l && s[l - 1] == '%') {
		__int128 m;

		s[l - 1] = '\0';
		if (emu_py_int(s, v))
			return emu_bad(c, n, "\"%.64s%%\" is not a whole number of %% (COCOMA reads N%% with int())", s);
		m = (__int128)*v * (__int128)c->host.mem_mb;
		/* Python 2's // floors */
		m = m >= 0 ? m / 100 : -((-m + 99) / 100);
		*v = m > LLONG_MAX / 2 ? LLONG_MAX / 2 : m < -LLONG_MAX / 2 ? -LLONG_MAX / 2 : (long long)m;
	} else if (emu_py_int(s, v)) {
		if (l && s[l - 1] == '%')
			return emu_bad(c, n, "a load in %% is only for MEM distributions (N%% of this host's memory)");
		return emu_bad(c, n, "\"%.64s\" is not a whole number (COCOMA reads it with int())", s);
	}
	was = *v;
	upper(up, sizeof(up), a->name);
	if (was >= lo && was <= hi)
		return 0;
	*v = was < lo ? lo : hi;
	/* COCOMA's note says "maximum" on both sides */
	return emu_note(c, "%s:%u: <%s>: %lld is %s %s's %s for %s, %lld: it becomes %lld (COCOMA: \"The specified value for %s %lld was %s than the %s limit %lld; changing to the maximum limit.\")",
			c->what, emu_xml_line(n), TAG(n), was, was < lo ? "below" : "above",
			module, was < lo ? "minimum" : "maximum", emu_res_name(res), *v, *v,
			up, was, was < lo ? "lower" : "higher", was < lo ? "minimum" : "maximum", *v);
}

static int read_text(struct emu_ctx *c, xmlNodePtr n, char *out, size_t len)
{
	char s[EMU_TEXT_MAX + 1];
	int err;

	if ((err = emu_xml_text(n, c->what, s)))
		return err;
	if (!s[0])
		return emu_bad(c, n, "empty");
	if (strlen(s) >= len)
		return emu_bad(c, n, "longer than %zu bytes", len - 1);
	strcpy(out, s);
	return 0;
}

/* Emulator arguments into the run template. */
static int set_emu_arg(struct emu_ctx *c, xmlNodePtr n, struct emu_run *r,
		       const char *name, long long v, const char *t)
{
	if (!strcasecmp(name, "ncpus"))
		r->ncpus = (unsigned int)v;
	else if (!strcasecmp(name, "pin"))
		r->pin = r->pin || v != 0;
	else if (!strcasecmp(name, "memSleep"))
		r->mem_sleep_us = (unsigned int)v;
	else if (!strcasecmp(name, "ioSleep"))
		r->io_sleep_ms = (unsigned int)v;
	else if (!strcasecmp(name, "ioBlockSize"))
		r->io_block_mb = (unsigned int)v;
	else if (!strcasecmp(name, "directory")) {
		if (t[0] != '/')
			return emu_bad(c, n, "\"%s\" is not an absolute path", t);
		snprintf(r->io_dir, sizeof(r->io_dir), "%s", t);
	} else if (!strcasecmp(name, "memThreads"))
		r->mem_threads = (unsigned int)v;
	else if (!strcasecmp(name, "memSize"))
		r->mem_size_mb = (unsigned int)v;
	else if (!strcasecmp(name, "serverip")) {
		unsigned char a[16];

		if (inet_pton(AF_INET, t, a) != 1 && inet_pton(AF_INET6, t, a) != 1)
			return emu_bad(c, n, "\"%s\" is not an IPv4 or IPv6 address", t);
		snprintf(r->server_ip, sizeof(r->server_ip), "%s", t);
	} else if (!strcasecmp(name, "serverport"))
		r->server_port = (unsigned int)v;
	else if (!strcasecmp(name, "dev")) {
		if (strlen(t) >= 16 || strchr(t, '/'))
			return emu_bad(c, n, "\"%s\" is not a device name", t);
		snprintf(r->dev, sizeof(r->dev), "%s", t);
	} else if (!strcasecmp(name, "protocol")) {
		if (!strcasecmp(r->cocoma_emulator, "backfuzz")) {
			/* COCOMA upper-cased it for backfuzz's -pl */
			upper(r->fuzz_protocol, sizeof(r->fuzz_protocol), t);
		} else {
			static const char *const ok[] = { "udp", "tcp", "icmp", "fuzz" };
			size_t i;

			for (i = 0; i < 4 && strcasecmp(t, ok[i]); i++)
				;
			if (i == 4)
				return emu_bad(c, n, "\"%s\" is not udp, tcp, icmp or fuzz", t);
			strcpy(r->protocol, ok[i]);
		}
	} else if (!strcasecmp(name, "min"))
		r->fuzz_min = (unsigned int)v;
	else if (!strcasecmp(name, "fuzzRange"))
		r->fuzz_range = (unsigned int)v;
	else if (!strcasecmp(name, "salt"))
		r->fuzz_salt = (unsigned int)v;
	else if (!strcasecmp(name, "timedelay"))
		r->fuzz_delay = (double)v;
	return 0;
}

/* The arguments of one module for d->res: distribution ones into d, the
 * emulator's into the run template. */
static int read_args(struct emu_ctx *c, struct elems *e, xmlNodePtr blk, struct emu_dspec *d,
		     bool dist)
{
	const struct emu_argset *set = dist ? d->dargs : d->eargs;
	const char *module = dist ? d->dist->name : d->emu->name;
	int err;

	for (int i = 0; i < EMU_ARGS_MAX && set->a[i].name; i++) {
		const struct emu_arg_def *a = &set->a[i];
		xmlNodePtr n = first_of(e, a->name, NULL);
		char t[256] = "";
		long long v = 0;

		if (!n) {
			if (a->required)
				return emu_bad(c, blk, "%s for %s needs <%s>", module,
					   emu_res_name(d->res), a->name);
			if (!dist && a->kind != EMU_ARG_TEXT &&
			    (err = set_emu_arg(c, blk, &d->tmpl, a->name, (long long)a->def, "")))
				return err;
			continue;
		}
		switch (a->kind) {
		case EMU_ARG_NUM:
			err = read_num(c, n, a, module, d->res, dist, &v);
			break;
		case EMU_ARG_PORT:
			err = read_text(c, n, t, sizeof(t));
			if (!err && (emu_py_int(t, &v) || v < 1 || v > 65535))
				err = emu_bad(c, n, "\"%s\" is not a port (1-65535)", t);
			break;
		default:
			err = read_text(c, n, t, sizeof(t));
			break;
		}
		if (err)
			return err;
		if (!dist) {
			if ((err = set_emu_arg(c, n, &d->tmpl, a->name, v, t)))
				return err;
			continue;
		}
		d->has[i] = true;
		d->arg[i] = (double)v;
		d->arg_line[i] = emu_xml_line(n);
		snprintf(d->text[i], sizeof(d->text[i]), "%s", t);
	}
	return 0;
}

/* startTime: COCOMA's float(), but also int() in two checks that refuse
 * anything else: the windows rule (skipped when forced) and the overload
 * check of CPU and MEM (never skipped). */
static int read_start(struct emu_ctx *c, xmlNodePtr n, struct emu_dspec *d)
{
	char s[EMU_TEXT_MAX + 1], *end;
	long long v;
	int err;

	if ((err = emu_xml_text(n, c->what, s)))
		return err;
	if (!emu_py_int(s, &v)) {
		d->start = (double)v;
	} else {
		if (!c->force || d->res == EMU_RES_CPU || d->res == EMU_RES_MEM)
			return emu_bad(c, n, "\"%.64s\" is not a whole number of seconds (COCOMA reads it with int() unless forced, and for CPU and MEM always)", s);
		errno = 0;
		d->start = strtod(s, &end);
		if (!s[0] || *end || errno || !isfinite(d->start) || strpbrk(s, "xXnN"))
			return emu_bad(c, n, "\"%.64s\" is not a number of seconds", s);
	}
	d->start_line = emu_xml_line(n);
	if (d->start < 0)
		return emu_note(c, "%s:%u: <startTime>: %g s: its runs start before the emulation does, as COCOMA planned them (tbxd refuses to schedule them)",
				c->what, d->start_line, d->start);
	return 0;
}

static int module_name(struct emu_ctx *c, xmlNodePtr n, char *s)
{
	int err = emu_xml_attr(n, "name", c->what, s);

	if (!err && !s[0])
		err = emu_xml_text(n, c->what, s);
	return err;
}

/* Notes for what neither module reads: COCOMA ignored it. */
static int note_unread(struct emu_ctx *c, struct elems *e, const struct emu_dspec *d)
{
	for (size_t i = 0; i < e->n; i++) {
		xmlNodePtr first = NULL;
		int err;

		if (e->used[i])
			continue;
		for (size_t j = 0; j < i && !first; j++)
			if (e->used[j] && emu_xml_is(e->v[j], TAG(e->v[i])))
				first = e->v[j];
		if (first)
			err = emu_note(c, "%s:%u: <%s>: given again; the first (line %u) counts, as in COCOMA",
				       c->what, emu_xml_line(e->v[i]), TAG(e->v[i]), emu_xml_line(first));
		else
			err = emu_note(c, "%s:%u: <%s>: read by neither %s nor %s for %s; ignored, as COCOMA did",
				       c->what, emu_xml_line(e->v[i]), TAG(e->v[i]), d->dist->name,
				       d->emu->name, emu_res_name(d->res));
		if (err)
			return err;
	}
	return 0;
}

/* How long an event's fuzzing pattern plays: one payload per timedelay
 * (0: backfuzz's 0.8 s), from min to min + fuzzRange by salt. */
static double event_seconds(const struct emu_run *r)
{
	unsigned int salt = r->fuzz_salt ? r->fuzz_salt : 1;
	double delay = r->fuzz_delay > 0 ? r->fuzz_delay : 0.8;

	return (double)(r->fuzz_range / salt + 1) * delay;
}

static int check_parts(struct emu_ctx *c, struct emu_dspec *d, xmlNodePtr dist_n,
		       xmlNodePtr emu_n, xmlNodePtr res_n)
{
	struct emu_plan *p = c->plan;

	if (p->res != EMU_RES_MIX && d->res != p->res)
		return emu_bad(c, res_n, "%s does not match the emulation's <emuresourceType> %s",
			   emu_res_name(d->res), emu_res_name(p->res));
	if (!d->dist->args[d->res])
		return emu_bad(c, dist_n, "%s does not apply to %s", d->dist->name, emu_res_name(d->res));
	if (!d->emu->kind_for[d->res])
		return emu_bad(c, emu_n, "%s does not emulate %s", d->emu->name, emu_res_name(d->res));
	if (p->type == EMU_TIME && d->dist->event)
		return emu_bad(c, dist_n, "%s is an event distribution; a TIME emulation holds none (use EVENT or MIX)",
			   d->dist->name);
	if (p->type == EMU_EVENT && !d->dist->event)
		return emu_bad(c, dist_n, "an EVENT emulation holds only event distributions, not %s",
			   d->dist->name);
	if (d->emu->event_only && !(d->dist->event && d->res == EMU_RES_NET))
		return emu_bad(c, emu_n, "%s plays event distributions on NET only", d->emu->name);
	if (d->dist->event && strcmp(d->tmpl.protocol, "fuzz"))
		return emu_bad(c, emu_n, "an event distribution needs a fuzzing emulator (backfuzz, or net with protocol fuzz)");
	return 0;
}

static int read_block(struct emu_ctx *c, xmlNodePtr blk, struct emu_dspec *d, struct elems *e)
{
	xmlNodePtr n, dist_n, emu_n, params_n, res_n;
	char s[EMU_TEXT_MAX + 1];
	int err;

	d->line = emu_xml_line(blk);
	snprintf(d->name, sizeof(d->name), "distribution%u", d->index);
	if ((n = first_of(e, "name", NULL))) {
		if ((err = emu_xml_text(n, c->what, s)))
			return err;
		if (!s[0] || strlen(s) >= sizeof(d->name))
			return emu_bad(c, n, "a name is 1 to %zu bytes", sizeof(d->name) - 1);
		strcpy(d->name, s);
	}
	if (!(dist_n = first_of(e, "distribution", NULL)))
		return emu_bad(c, blk, "needs a <distribution name=\"...\"/>");
	if ((err = module_name(c, dist_n, s)))
		return err;
	if (!(d->dist = emu_dist_find(s)))
		return emu_bad(c, dist_n, "no distribution \"%.64s\" (tbx distribution lists them)", s);
	if (!(emu_n = first_of(e, "emulator", NULL)))
		return emu_bad(c, blk, "needs an <emulator name=\"...\"/>");
	if ((err = module_name(c, emu_n, s)))
		return err;
	if (!(d->emu = emu_emulator_find(s)))
		return emu_bad(c, emu_n, "no emulator \"%.64s\" (tbx emulator lists them)", s);
	snprintf(d->tmpl.cocoma_emulator, sizeof(d->tmpl.cocoma_emulator), "%.31s", s);
	if (!(params_n = first_of(e, "emulator-params", NULL)) ||
	    !(res_n = first_of(e, "resourceType", params_n)))
		return emu_bad(c, params_n ? params_n : blk, "needs <emulator-params> with a <resourceType> (CPU, MEM, IO or NET)");
	if ((err = emu_xml_text(res_n, c->what, s)))
		return err;
	for (d->res = EMU_RES_CPU; d->res < EMU_RES_MIX && strcasecmp(s, emu_res_name(d->res)); d->res++)
		;
	if (d->res == EMU_RES_MIX)
		return emu_bad(c, res_n, "\"%.64s\" is not a resource type (CPU, MEM, IO or NET)", s);

	d->tmpl.pin = d->emu->pin;
	if (!strcasecmp(d->emu->name, "backfuzz"))
		strcpy(d->tmpl.protocol, "fuzz");
	else if (!strcasecmp(d->emu->name, "iperf") || !strcasecmp(d->emu->name, "net"))
		strcpy(d->tmpl.protocol, "udp");
	d->tmpl.fuzz_min = 100, d->tmpl.fuzz_range = 900, d->tmpl.fuzz_salt = 100;
	if (!d->dist->args[d->res] || !d->emu->args[d->res]) {
		err = check_parts(c, d, dist_n, emu_n, res_n);
		return err ? err : emu_bad(c, emu_n, "%s has no arguments for %s", d->emu->name,
					emu_res_name(d->res));
	}
	d->dargs = d->dist->args[d->res];
	d->eargs = d->emu->args[d->res];
	if ((n = first_of(e, "startTime", NULL)) && (err = read_start(c, n, d)))
		return err;
	if ((err = read_args(c, e, blk, d, true)) || (err = read_args(c, e, blk, d, false)) ||
	    (err = check_parts(c, d, dist_n, emu_n, res_n)))
		return err;
	snprintf(d->tmpl.emulator, sizeof(d->tmpl.emulator), "%s", d->emu->kind_for[d->res]);
	d->tmpl.res = d->res;
	d->tmpl.dist = d->index;
	d->tmpl.line = d->line;
	d->tmpl.event = d->dist->event;
	if (d->dist->event)
		d->event_s = event_seconds(&d->tmpl);
	d->seed = c->seed;
	for (int i = 0; i < EMU_ARGS_MAX && d->dargs->a[i].name; i++)
		if (!strcasecmp(d->dargs->a[i].name, "seed") && d->has[i])
			d->seed = (uint64_t)d->arg[i];
	if (!strcasecmp(d->dist->name, "profile")) {
		char path[512];

		if ((err = emu_path(c, emu_dtext(d, "profile"), path, sizeof(path))))
			return err;
		if (strlen(path) >= sizeof(d->tmpl.profile))
			return tbx_err(ENAMETOOLONG, "%s:%u: <profile>: path longer than %zu bytes",
				       c->what, emu_dline(d, "profile"), sizeof(d->tmpl.profile) - 1);
		strcpy(d->tmpl.profile, path);
	}
	return note_unread(c, e, d);
}

int emu_dist_read(struct emu_ctx *c, xmlNodePtr blk, struct emu_dspec *d)
{
	struct elems e = { 0 };
	int err = collect(&e, blk->children);

	if (!err && e.n && !(e.used = calloc(e.n, sizeof(*e.used))))
		err = -ENOMEM;
	if (err)
		err = tbx_err(ENOMEM, "%s: out of memory", c->what);
	else
		err = read_block(c, blk, d, &e);
	free(e.v);
	free(e.used);
	return err;
}
