// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * From the XML tree to validated settings, with COCOMA's rules
 * (reference/cocoma.md): tags in any case and any order, resource types
 * that agree, TIME/EVENT/MIX, numbers out of bounds clamped with a note,
 * windows inside the emulation, MEM loads as "N%". Every error names the
 * file, the line and the element.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "emu_int.h"
#include "err.h"
#include "parse.h"

#define TAG(n)	((const char *)(n)->name)

int emu_note(struct emu_ctx *c, const char *fmt, ...)
{
	struct emu_plan *p = c->plan;
	struct emu_note *nn;
	va_list ap;

	if (p->n_notes >= 1024)		/* enough to see what is wrong */
		return 0;
	nn = realloc(p->notes, (p->n_notes + 1) * sizeof(*nn));
	if (!nn)
		return tbx_err(ENOMEM, "%s: out of memory", c->what);
	p->notes = nn;
	va_start(ap, fmt);
	vsnprintf(nn[p->n_notes].text, sizeof(nn->text), fmt, ap);
	va_end(ap);
	p->n_notes++;
	return 0;
}

static int bad(struct emu_ctx *c, xmlNodePtr n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int bad(struct emu_ctx *c, xmlNodePtr n, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return tbx_err(EINVAL, "%s:%u: <%.64s>: %s", c->what, emu_xml_line(n), TAG(n), msg);
}

/* A decimal number, the whole text. */
static int number(struct emu_ctx *c, xmlNodePtr n, const char *s, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	if (!*s || *end || errno || !isfinite(*v) || isspace((unsigned char)*s))
		return bad(c, n, "\"%.64s\" is not a number", s);
	return 0;
}

static int clamp(struct emu_ctx *c, xmlNodePtr n, double *v, double lo, double hi,
		 const char *unit)
{
	double was = *v;

	if (*v >= lo && *v <= hi)
		return 0;
	*v = *v < lo ? lo : hi;
	return emu_note(c, "%s:%u: <%s>: %.10g%s is %s the bound %.10g%s; clamped to %.10g%s",
			c->what, emu_xml_line(n), TAG(n), was, unit,
			was < lo ? "below" : "above", *v, unit, *v, unit);
}

static int text_of(struct emu_ctx *c, xmlNodePtr n, char *buf)
{
	return emu_xml_text(n, c->what, buf);
}

static int parse_res(struct emu_ctx *c, xmlNodePtr n, const char *s, bool mix_ok,
		     enum emu_res *r)
{
	for (int i = EMU_RES_CPU; i <= EMU_RES_MIX; i++)
		if (!strcasecmp(s, emu_res_name(i)) && (mix_ok || i != EMU_RES_MIX)) {
			*r = i;
			return 0;
		}
	return bad(c, n, "\"%.64s\" is not a resource type (CPU, MEM, IO, NET%s)",
		   s, mix_ok ? " or MIX" : "");
}

double emu_darg(const struct emu_dspec *d, const char *name)
{
	for (int i = 0; i < EMU_ARGS_MAX && d->dist->args[i].name; i++)
		if (!strcasecmp(d->dist->args[i].name, name))
			return d->has[i] ? d->arg[i] : d->dist->args[i].def;
	return 0;
}

const char *emu_dtext(const struct emu_dspec *d, const char *name)
{
	for (int i = 0; i < EMU_ARGS_MAX && d->dist->args[i].name; i++)
		if (!strcasecmp(d->dist->args[i].name, name))
			return d->text[i];
	return "";
}

unsigned int emu_dline(const struct emu_dspec *d, const char *name)
{
	for (int i = 0; i < EMU_ARGS_MAX && d->dist->args[i].name; i++)
		if (!strcasecmp(d->dist->args[i].name, name) && d->arg_line[i])
			return d->arg_line[i];
	return d->line;
}

static const struct emu_arg_def *arg_find(const struct emu_arg_def *args, const char *name,
					  int *idx)
{
	for (int i = 0; i < EMU_ARGS_MAX && args[i].name; i++)
		if (!strcasecmp(args[i].name, name)) {
			*idx = i;
			return &args[i];
		}
	return NULL;
}

static void arg_names(const struct emu_arg_def *args, unsigned int res, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (int i = 0; i < EMU_ARGS_MAX && args[i].name; i++)
		if (!args[i].res_mask || (args[i].res_mask & EMU_RES_BIT(res)))
			o += snprintf(buf + o, o < len ? len - o : 0, "%s%s",
				      o ? ", " : "", args[i].name);
	if (!o)
		snprintf(buf, len, "none");
}

/* One argument's value: a number clamped to its bounds, a load, or text. */
static int read_arg(struct emu_ctx *c, xmlNodePtr n, const struct emu_arg_def *a,
		    enum emu_res res, double *num, char *text)
{
	char s[EMU_TEXT_MAX + 1];
	double lo, hi;
	int err;

	if ((err = text_of(c, n, s)))
		return err;
	if (a->kind == EMU_ARG_TEXT) {
		if (!s[0])
			return bad(c, n, "empty");
		if (strlen(s) > 255)
			return bad(c, n, "longer than 255 bytes");
		strcpy(text, s);
		return 0;
	}
	if (a->kind == EMU_ARG_LOAD && res == EMU_RES_MEM && s[0] && s[strlen(s) - 1] == '%') {
		s[strlen(s) - 1] = '\0';
		if ((err = number(c, n, s, num)))
			return err;
		if (*num < 0 || *num > 100)
			return bad(c, n, "%g%% is not a share of memory (0-100 %%)", *num);
		*num = floor(*num * (double)c->host.mem_mb / 100);
	} else {
		if (s[0] && s[strlen(s) - 1] == '%')
			return bad(c, n, "a load in %% is only for MEM (\"N%%\" of this host's memory)");
		if ((err = number(c, n, s, num)))
			return err;
	}
	if (a->kind == EMU_ARG_LOAD) {
		emu_load_bounds(res, &c->host, &lo, &hi);
		return clamp(c, n, num, lo, hi, res == EMU_RES_CPU ? " %" : "");
	}
	return clamp(c, n, num, a->lo, a->hi, "");
}

/* Emulator arguments into the run template. */
static int set_emu_arg(struct emu_ctx *c, xmlNodePtr n, struct emu_run *r,
		       const char *name, double v, const char *t)
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
			return bad(c, n, "\"%s\" is not an absolute path", t);
		snprintf(r->io_dir, sizeof(r->io_dir), "%s", t);
	} else if (!strcasecmp(name, "memThreads"))
		r->mem_threads = (unsigned int)v;
	else if (!strcasecmp(name, "memSize"))
		r->mem_size_mb = (unsigned int)v;
	else if (!strcasecmp(name, "serverip")) {
		unsigned char a[16];

		if (inet_pton(AF_INET, t, a) != 1 && inet_pton(AF_INET6, t, a) != 1)
			return bad(c, n, "\"%s\" is not an IPv4 or IPv6 address", t);
		snprintf(r->server_ip, sizeof(r->server_ip), "%s", t);
	} else if (!strcasecmp(name, "serverport"))
		r->server_port = (unsigned int)v;
	else if (!strcasecmp(name, "dev")) {
		if (strlen(t) >= 16 || strchr(t, '/'))
			return bad(c, n, "\"%s\" is not a device name", t);
		snprintf(r->dev, sizeof(r->dev), "%s", t);
	} else if (!strcasecmp(name, "protocol")) {
		if (!strcmp(r->protocol, "fuzz") && !strcasecmp(r->cocoma_emulator, "backfuzz")) {
			snprintf(r->fuzz_protocol, sizeof(r->fuzz_protocol), "%.15s", t);
		} else {
			static const char *const ok[] = { "udp", "tcp", "icmp", "fuzz" };
			size_t i;

			for (i = 0; i < 4 && strcasecmp(t, ok[i]); i++)
				;
			if (i == 4)
				return bad(c, n, "\"%s\" is not udp, tcp, icmp or fuzz", t);
			strcpy(r->protocol, ok[i]);
		}
	} else if (!strcasecmp(name, "min"))
		r->fuzz_min = (unsigned int)v;
	else if (!strcasecmp(name, "fuzzRange"))
		r->fuzz_range = (unsigned int)v;
	else if (!strcasecmp(name, "salt"))
		r->fuzz_salt = (unsigned int)v;
	else if (!strcasecmp(name, "timedelay"))
		r->fuzz_delay = v;
	return 0;
}

static int read_emulator_params(struct emu_ctx *c, xmlNodePtr params, struct emu_dspec *d,
				 xmlNodePtr *res_node)
{
	const struct emu_emulator_def *e = d->emu;
	bool seen[EMU_ARGS_MAX] = { false };
	char s[EMU_TEXT_MAX + 1], names[200];
	int err, idx;

	/* resourceType first: the arguments depend on it */
	for (xmlNodePtr n = params->children; n; n = n->next) {
		if (!emu_xml_is(n, "resourceType"))
			continue;
		if (*res_node)
			return bad(c, n, "given twice");
		*res_node = n;
		if ((err = text_of(c, n, s)) || (err = parse_res(c, n, s, false, &d->res)))
			return err;
	}
	if (!*res_node)
		return bad(c, params, "needs a <resourceType> (CPU, MEM, IO or NET)");
	for (xmlNodePtr n = params->children; n; n = n->next) {
		const struct emu_arg_def *a;
		double v = 0;
		char t[256] = "";

		if (n->type != XML_ELEMENT_NODE || n == *res_node)
			continue;
		a = arg_find(e->args, TAG(n), &idx);
		if (!a || (a->res_mask && !(a->res_mask & EMU_RES_BIT(d->res)))) {
			arg_names(e->args, d->res, names, sizeof(names));
			return bad(c, n, "not an argument of %s for %s (its arguments: %s)",
				   e->name, emu_res_name(d->res), names);
		}
		if (seen[idx])
			return bad(c, n, "given twice");
		seen[idx] = true;
		if ((err = read_arg(c, n, a, d->res, &v, t)) ||
		    (err = set_emu_arg(c, n, &d->tmpl, a->name, v, t)))
			return err;
	}
	for (int i = 0; i < EMU_ARGS_MAX && e->args[i].name; i++) {
		const struct emu_arg_def *a = &e->args[i];

		if (seen[i] || (a->res_mask && !(a->res_mask & EMU_RES_BIT(d->res))))
			continue;
		if (a->required)
			return bad(c, params, "%s for %s needs <%s>", e->name,
				   emu_res_name(d->res), a->name);
		if (a->kind == EMU_ARG_NUM && (err = set_emu_arg(c, params, &d->tmpl, a->name, a->def, "")))
			return err;
	}
	return 0;
}

enum common { C_NAME, C_START, C_DURATION, C_GRANULARITY, C_MINJOB, C_N };
static const char *const common_tags[C_N] = {
	"name", "startTime", "duration", "granularity", "minJobTime"
};

static int common_of(xmlNodePtr n)
{
	for (int i = 0; i < C_N; i++)
		if (emu_xml_is(n, common_tags[i]))
			return i;
	return -1;
}

static int read_common(struct emu_ctx *c, xmlNodePtr n, int which, struct emu_dspec *d)
{
	char s[EMU_TEXT_MAX + 1];
	double v;
	int err;

	if ((err = text_of(c, n, s)))
		return err;
	if (which == C_NAME) {
		if (!s[0] || strlen(s) >= sizeof(d->name))
			return bad(c, n, "a name is 1 to %zu bytes", sizeof(d->name) - 1);
		strcpy(d->name, s);
		return 0;
	}
	if ((err = number(c, n, s, &v)))
		return err;
	switch (which) {
	case C_START:
		err = clamp(c, n, &v, 0, 1e7, " s");
		d->start = v;
		break;
	case C_DURATION:
		if (v <= 0)
			return bad(c, n, "a window lasts more than 0 s");
		err = clamp(c, n, &v, 1, 100000, " s");
		d->duration = v;
		break;
	case C_GRANULARITY:
		if (v != floor(v))
			return bad(c, n, "%g is not a whole number of runs", v);
		err = clamp(c, n, &v, 1, 100000, "");
		d->granularity = (unsigned int)v;
		d->granularity_line = emu_xml_line(n);
		break;
	case C_MINJOB:
		err = clamp(c, n, &v, 2, 10000000, " s");
		d->min_job_time = v;
		break;
	}
	return err;
}

static uint64_t name_seed(const char *s)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h ? h : 1;
}

static int read_dist(struct emu_ctx *c, xmlNodePtr blk, struct emu_dspec *d)
{
	struct emu_plan *p = c->plan;
	xmlNodePtr dist_n = NULL, emu_n = NULL, params_n = NULL, res_n = NULL, dur_n = NULL;
	xmlNodePtr seen_common[C_N] = { NULL };
	bool seen_arg[EMU_ARGS_MAX] = { false };
	char s[EMU_TEXT_MAX + 1], names[200];
	int err, idx;

	d->line = emu_xml_line(blk);
	d->granularity = 1;
	d->min_job_time = 2;
	d->split_mb = EMU_MALLOC_LIMIT;
	snprintf(d->name, sizeof(d->name), "distribution%u", d->index);

	for (xmlNodePtr n = blk->children; n; n = n->next) {
		xmlNodePtr *slot = emu_xml_is(n, "distribution") ? &dist_n :
				   emu_xml_is(n, "emulator") ? &emu_n :
				   emu_xml_is(n, "emulator-params") ? &params_n : NULL;

		if (!slot)
			continue;
		if (*slot)
			return bad(c, n, "given twice in one <distributions>");
		*slot = n;
	}
	if (!dist_n)
		return bad(c, blk, "needs a <distribution name=\"...\"/>");
	if ((err = emu_xml_attr(dist_n, "name", c->what, s)))
		return err;
	if (!s[0] && (err = text_of(c, dist_n, s)))
		return err;
	d->dist = emu_dist_find(s);
	if (!d->dist)
		return bad(c, dist_n, "no distribution \"%.64s\" (tbx distribution lists them)", s);
	if (!emu_n)
		return bad(c, blk, "needs an <emulator name=\"...\"/>");
	if ((err = emu_xml_attr(emu_n, "name", c->what, s)))
		return err;
	if (!s[0] && (err = text_of(c, emu_n, s)))
		return err;
	d->emu = emu_emulator_find(s);
	if (!d->emu)
		return bad(c, emu_n, "no emulator \"%.64s\" (tbx emulator lists them)", s);
	if (!params_n)
		return bad(c, blk, "needs <emulator-params> with a <resourceType>");
	snprintf(d->tmpl.cocoma_emulator, sizeof(d->tmpl.cocoma_emulator), "%.31s", s);
	d->tmpl.pin = d->emu->pin;
	if (!strcasecmp(d->emu->name, "backfuzz"))
		strcpy(d->tmpl.protocol, "fuzz");
	else if (!strcasecmp(d->emu->name, "iperf") || !strcasecmp(d->emu->name, "net"))
		strcpy(d->tmpl.protocol, "udp");
	if ((err = read_emulator_params(c, params_n, d, &res_n)))
		return err;

	/* The rules between the parts. */
	if (p->res != EMU_RES_MIX && d->res != p->res)
		return bad(c, res_n, "%s does not match the emulation's <emuresourceType> %s",
			   emu_res_name(d->res), emu_res_name(p->res));
	if (!(d->dist->res_mask & EMU_RES_BIT(d->res)))
		return bad(c, dist_n, "%s does not apply to %s", d->dist->name, emu_res_name(d->res));
	if (!d->emu->kind_for[d->res])
		return bad(c, emu_n, "%s does not emulate %s", d->emu->name, emu_res_name(d->res));
	if (p->type == EMU_TIME && d->dist->event)
		return bad(c, dist_n, "%s is an event distribution; a TIME emulation holds none (use EVENT or MIX)",
			   d->dist->name);
	if (p->type == EMU_EVENT && !d->dist->event)
		return bad(c, dist_n, "an EVENT emulation holds only event distributions, not %s",
			   d->dist->name);
	if (d->emu->event_only && !d->dist->event)
		return bad(c, emu_n, "%s plays event distributions only", d->emu->name);
	if (d->dist->event && strcmp(d->tmpl.protocol, "fuzz"))
		return bad(c, emu_n, "an event distribution needs a fuzzing emulator (backfuzz, or net with protocol fuzz)");
	snprintf(d->tmpl.emulator, sizeof(d->tmpl.emulator), "%s", d->emu->kind_for[d->res]);
	d->tmpl.res = d->res;
	d->tmpl.dist = d->index;
	d->tmpl.line = d->line;

	/* Common elements and the distribution's arguments, in any order,
	 * as siblings or inside <distribution>. */
	for (int pass = 0; pass < 2; pass++) {
		xmlNodePtr first = pass ? dist_n->children : blk->children;

		for (xmlNodePtr n = first; n; n = n->next) {
			const struct emu_arg_def *a;
			int which;

			if (n->type != XML_ELEMENT_NODE || n == dist_n || n == emu_n || n == params_n)
				continue;
			which = common_of(n);
			if (which >= 0) {
				if (seen_common[which])
					return bad(c, n, "given twice");
				seen_common[which] = n;
				if ((err = read_common(c, n, which, d)))
					return err;
				continue;
			}
			a = arg_find(d->dist->args, TAG(n), &idx);
			if (!a || (a->res_mask && !(a->res_mask & EMU_RES_BIT(d->res)))) {
				arg_names(d->dist->args, d->res, names, sizeof(names));
				return bad(c, n, "not an argument of %s (its arguments: %s; and name, startTime, duration, granularity, minJobTime)",
					   d->dist->name, names);
			}
			if (seen_arg[idx])
				return bad(c, n, "given twice");
			seen_arg[idx] = true;
			d->has[idx] = true;
			d->arg_line[idx] = emu_xml_line(n);
			if ((err = read_arg(c, n, a, d->res, &d->arg[idx], d->text[idx])))
				return err;
		}
	}
	for (int i = 0; i < EMU_ARGS_MAX && d->dist->args[i].name; i++) {
		const struct emu_arg_def *a = &d->dist->args[i];

		if (!d->has[i] && a->required && (!a->res_mask || (a->res_mask & EMU_RES_BIT(d->res))))
			return bad(c, blk, "%s needs <%s>", d->dist->name, a->name);
	}
	dur_n = seen_common[C_DURATION];
	if (!dur_n)
		return bad(c, blk, "needs a <duration> (seconds)");
	if (d->start + d->duration > p->duration)
		return bad(c, dur_n, "the window %g s + %g s ends after the emulation's %g s (<emustopTime>)",
			   d->start, d->duration, p->duration);
	if (d->res == EMU_RES_MEM && !strcasecmp(d->dist->name, "real_trace"))
		d->split_mb = emu_darg(d, "mallocLimit");
	d->seed = emu_darg(d, "seed");
	if (!d->seed)
		d->seed = c->seed ? c->seed : name_seed(p->name);
	return 0;
}

/* "now", RFC 3339, or COCOMA's YYYY-MM-DDTHH:MM:SS (UTC). */
static int read_start(struct emu_ctx *c, xmlNodePtr n, const char *s)
{
	struct emu_plan *p = c->plan;
	struct tm tm = { 0 };
	uint64_t ns;
	const char *end;

	if (!strcasecmp(s, "now")) {
		p->start_now = true;
		return 0;
	}
	end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (end && !*end) {
		p->start_now = false;
		p->start = timegm(&tm);
		return 0;
	}
	if (!tbx_parse_time(s, 0, &ns) && ns) {
		p->start_now = false;
		p->start = (time_t)(ns / 1000000000ULL);
		return 0;
	}
	return bad(c, n, "\"%.64s\" is not \"now\" or a time like 2014-10-10T10:10:10", s);
}

static int read_log(struct emu_ctx *c, xmlNodePtr log)
{
	struct emu_plan *p = c->plan;
	char s[EMU_TEXT_MAX + 1];
	int err;

	for (xmlNodePtr n = log->children; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if ((err = text_of(c, n, s)))
			return err;
		if (emu_xml_is(n, "enable")) {
			if (tbx_parse_bool(s, &p->log_enable))
				return bad(c, n, "\"%.64s\" is not 0 or 1", s);
		} else if (emu_xml_is(n, "frequency")) {
			double v;

			if ((err = number(c, n, s, &v)) || (err = clamp(c, n, &v, 1, 86400, " s")))
				return err;
			p->log_frequency = v;
		} else if (emu_xml_is(n, "logLevel")) {
			static const char *const lv[] = { "debug", "info", "warning", "error" };
			size_t i;

			for (i = 0; i < 4 && strcasecmp(s, lv[i]); i++)
				;
			if (i == 4)
				return bad(c, n, "\"%.64s\" is not debug, info, warning or error", s);
			strcpy(p->log_level, lv[i]);
		} else {
			return bad(c, n, "unknown element in <log> (enable, frequency, logLevel)");
		}
	}
	return 0;
}

int emu_spec_read(xmlDocPtr doc, struct emu_ctx *c, struct emu_dspec **out, size_t *n_out)
{
	static const char *const top[] = {
		"emuname", "emuType", "emuresourceType", "emustartTime", "emustopTime", "log", "mq"
	};
	struct emu_plan *p = c->plan;
	xmlNodePtr root = xmlDocGetRootElement(doc), seen[7] = { NULL };
	struct emu_dspec *ds = NULL;
	size_t nd = 0;
	char s[EMU_TEXT_MAX + 1];
	uint64_t ns;
	int err;

	*out = NULL;
	*n_out = 0;
	if (!emu_xml_is(root, "emulation"))
		return bad(c, root, "the document's root must be <emulation>");
	p->log_frequency = 3;
	strcpy(p->log_level, "info");
	p->start_now = true;
	for (xmlNodePtr n = root->children; n; n = n->next) {
		size_t i;

		if (n->type != XML_ELEMENT_NODE || emu_xml_is(n, "distributions"))
			continue;
		for (i = 0; i < 7 && !emu_xml_is(n, top[i]); i++)
			;
		if (i == 7)
			return bad(c, n, "unknown element in <emulation>");
		if (seen[i])
			return bad(c, n, "given twice");
		seen[i] = n;
		if (i >= 5)
			continue;
		if ((err = text_of(c, n, s)))
			return err;
		switch (i) {
		case 0:
			if (!s[0] || strlen(s) >= sizeof(p->name))
				return bad(c, n, "a name is 1 to %zu bytes", sizeof(p->name) - 1);
			for (const char *q = s; *q; q++)
				if (iscntrl((unsigned char)*q) || *q == '/')
					return bad(c, n, "a name holds no control characters or '/'");
			strcpy(p->name, s);
			break;
		case 1:
			if (!strcasecmp(s, "time"))
				p->type = EMU_TIME;
			else if (!strcasecmp(s, "event"))
				p->type = EMU_EVENT;
			else if (!strcasecmp(s, "mix"))
				p->type = EMU_MIX;
			else
				return bad(c, n, "\"%.64s\" is not TIME, EVENT or MIX", s);
			break;
		case 2:
			if ((err = parse_res(c, n, s, true, &p->res)))
				return err;
			break;
		case 3:
			if ((err = read_start(c, n, s)))
				return err;
			break;
		case 4:
			if (tbx_parse_duration(s, &ns))
				return bad(c, n, "\"%.64s\" is not a duration (seconds, or 90s, 2m, 1h)", s);
			if (!ns)
				return bad(c, n, "an emulation lasts more than 0 s");
			p->duration = ns / 1e9;
			break;
		}
	}
	for (int i = 0; i < 5; i++)
		if (!seen[i] && i != 3)
			return bad(c, root, "needs <%s>", top[i]);
	if (seen[5] && (err = read_log(c, seen[5])))
		return err;
	if (seen[6] && (err = emu_note(c, "%s:%u: <mq>: message-queue settings are ignored",
				       c->what, emu_xml_line(seen[6]))))
		return err;

	for (xmlNodePtr n = root->children; n; n = n->next)
		if (emu_xml_is(n, "distributions"))
			nd++;
	if (!nd)
		return bad(c, root, "needs at least one <distributions>");
	if (nd > EMU_DISTS_MAX)
		return bad(c, root, "more than %u <distributions>", EMU_DISTS_MAX);
	ds = calloc(nd, sizeof(*ds));
	if (!ds)
		return tbx_err(ENOMEM, "%s: out of memory", c->what);
	nd = 0;
	for (xmlNodePtr n = root->children; n; n = n->next) {
		if (!emu_xml_is(n, "distributions"))
			continue;
		ds[nd].index = nd;
		if ((err = read_dist(c, n, &ds[nd]))) {
			free(ds);
			return err;
		}
		nd++;
	}
	*out = ds;
	*n_out = nd;
	return 0;
}

struct edge {
	double t;
	double w;		/* + at a start, - at an end */
	size_t run;
};

static int edge_cmp(const void *a, const void *b)
{
	const struct edge *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return (x->w > 0) - (y->w > 0);	/* ends first */
}

/* The 90 % rule on the sum of concurrent CPU and MEM runs. */
int emu_check_overload(struct emu_ctx *c, const struct emu_dspec *ds,
		       const struct emu_run *runs, size_t n)
{
	for (int r = EMU_RES_CPU; r <= EMU_RES_MEM; r++) {
		double limit = r == EMU_RES_CPU ? 100 : (double)c->host.mem_mb;
		double cur = 0, peak = 0, peak_t = 0;
		size_t ne = 0, peak_run = 0;
		struct edge *e = malloc(2 * n * sizeof(*e) + 1);

		if (!e)
			return tbx_err(ENOMEM, "%s: out of memory", c->what);
		for (size_t i = 0; i < n; i++) {
			double w = runs[i].load;

			if (runs[i].res != (enum emu_res)r)
				continue;
			if (r == EMU_RES_CPU && runs[i].ncpus && runs[i].ncpus < c->host.ncpus)
				w = w * runs[i].ncpus / c->host.ncpus;
			e[ne++] = (struct edge){ runs[i].start, w, i };
			e[ne++] = (struct edge){ runs[i].start + runs[i].duration, -w, i };
		}
		qsort(e, ne, sizeof(*e), edge_cmp);
		for (size_t i = 0; i < ne; i++) {
			cur += e[i].w;
			if (cur > peak + 1e-9) {
				peak = cur;
				peak_t = e[i].t;
				peak_run = e[i].run;
			}
		}
		free(e);
		if (peak > EMU_OVERLOAD * limit) {
			const struct emu_run *pr = &runs[peak_run];

			char what[64];

			if (r == EMU_RES_CPU)
				snprintf(what, sizeof(what), "%u CPUs", c->host.ncpus);
			else
				snprintf(what, sizeof(what), "%g MiB", limit);
			if (!c->force)
				return tbx_err(EINVAL, "%s:%u: <distributions>: %s load reaches %g %s at %g s, above 90 %% of this host's %s; force accepts it",
					       c->what, pr->line, emu_res_name(r), peak,
					       emu_res_unit(r), peak_t, what);
			if (emu_note(c, "%s:%u: <distributions>: %s load reaches %g %s at %g s, above 90 %% of this host's %s; forced",
				     c->what, pr->line, emu_res_name(r), peak,
				     emu_res_unit(r), peak_t, what))
				return -ENOMEM;
		}
		(void)ds;
	}
	return 0;
}
