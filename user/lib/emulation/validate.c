// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * From the XML tree to validated settings, with COCOMA's rules
 * (reference/cocoma.md): tags in any case (COCOMA lower-cased the
 * document) found anywhere below their parent, the first of a repeated
 * one counting, what COCOMA did not read ignored with a note, <log> and
 * <mq> as COCOMA read them. Each <distributions> block is read_dist.c's.
 * Every error names the file, the line and the element.
 */
#include <ctype.h>
#include <errno.h>
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

/* getElementsByTagName(tag)[0]: the first at any depth, in document order. */
static xmlNodePtr find(xmlNodePtr parent, const char *tag)
{
	for (xmlNodePtr n = parent->children; n; n = n->next) {
		xmlNodePtr f;

		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (emu_xml_is(n, tag))
			return n;
		if ((f = find(n, tag)))
			return f;
	}
	return NULL;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
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
	return emu_bad(c, n, "\"%.64s\" is not \"now\" or a time like 2014-10-10T10:10:10", s);
}

/* COCOMA's getLoggerDetails: without <enable> it keeps all its defaults. */
static int read_log(struct emu_ctx *c, xmlNodePtr log)
{
	struct emu_plan *p = c->plan;
	char s[EMU_TEXT_MAX + 1];
	xmlNodePtr n = find(log, "enable");
	int err;

	if (!n)
		return emu_note(c, "%s:%u: <log>: no <enable>: logging off, frequency 3 s, level info (COCOMA then read nothing else in it)",
				c->what, emu_xml_line(log));
	if ((err = emu_xml_text(n, c->what, s)))
		return err;
	if (!all_digits(s))
		return emu_bad(c, n, "\"%.64s\" is not 0 or 1", s);
	p->log_enable = !strcmp(s, "1");
	if ((n = find(log, "frequency"))) {
		if ((err = emu_xml_text(n, c->what, s)))
			return err;
		if (!all_digits(s) || strlen(s) > 9)
			return emu_bad(c, n, "\"%.64s\" is not a whole number of seconds", s);
		p->log_frequency = atoi(s);
		if (p->log_frequency < 1 || p->log_frequency > 86400) {
			double was = p->log_frequency;

			p->log_frequency = was < 1 ? 1 : 86400;
			if ((err = emu_note(c, "%s:%u: <frequency>: %g s; tbx samples every %g s",
					    c->what, emu_xml_line(n), was, p->log_frequency)))
				return err;
		}
	}
	if ((n = find(log, "logLevel"))) {
		if ((err = emu_xml_text(n, c->what, s)))
			return err;
		/* COCOMA took "debug", and anything else as info */
		if (!strcasecmp(s, "debug"))
			strcpy(p->log_level, "debug");
		else if (strcasecmp(s, "info") &&
			 (err = emu_note(c, "%s:%u: <logLevel>: \"%.64s\" is info, as in COCOMA",
					 c->what, emu_xml_line(n), s)))
			return err;
	}
	return 0;
}

/* COCOMA refused an <mq> that lacks one of its seven settings. */
static int read_mq(struct emu_ctx *c, xmlNodePtr mq)
{
	static const char *const need[] = {
		"enable", "vhost", "exchange", "user", "password", "host", "topic"
	};

	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (!find(mq, need[i]))
			return emu_bad(c, mq, "needs <%s> (COCOMA refuses an <mq> without it)", need[i]);
	return emu_note(c, "%s:%u: <mq>: message-queue settings are ignored",
			c->what, emu_xml_line(mq));
}

enum top { T_NAME, T_TYPE, T_RES, T_START, T_STOP, T_LOG, T_MQ, T_N };
static const char *const top_tags[T_N] = {
	"emuname", "emuType", "emuresourceType", "emustartTime", "emustopTime", "log", "mq"
};

static int read_top(struct emu_ctx *c, int i, xmlNodePtr n)
{
	struct emu_plan *p = c->plan;
	char s[EMU_TEXT_MAX + 1];
	uint64_t ns;
	int err;

	if (i == T_LOG)
		return read_log(c, n);
	if (i == T_MQ)
		return read_mq(c, n);
	if ((err = emu_xml_text(n, c->what, s)))
		return err;
	switch (i) {
	case T_NAME:
		if (!s[0] || strlen(s) >= sizeof(p->name))
			return emu_bad(c, n, "a name is 1 to %zu bytes", sizeof(p->name) - 1);
		for (const char *q = s; *q; q++)
			if (iscntrl((unsigned char)*q) || *q == '/')
				return emu_bad(c, n, "a name holds no control characters or '/'");
		strcpy(p->name, s);
		return 0;
	case T_TYPE:
		if (!strcasecmp(s, "time"))
			p->type = EMU_TIME;
		else if (!strcasecmp(s, "event"))
			p->type = EMU_EVENT;
		else if (!strcasecmp(s, "mix"))
			p->type = EMU_MIX;
		else
			return emu_bad(c, n, "\"%.64s\" is not TIME, EVENT or MIX", s);
		return 0;
	case T_RES:
		for (p->res = EMU_RES_CPU; p->res <= EMU_RES_MIX; p->res++)
			if (!strcasecmp(s, emu_res_name(p->res)))
				return 0;
		return emu_bad(c, n, "\"%.64s\" is not a resource type (CPU, MEM, IO, NET or MIX)", s);
	case T_START:
		return read_start(c, n, s);
	default:
		c->stop_line = emu_xml_line(n);
		if (tbx_parse_duration(s, &ns))
			return emu_bad(c, n, "\"%.64s\" is not a duration (seconds, or 90s, 2m, 1h)", s);
		if (!ns)
			return emu_bad(c, n, "an emulation lasts more than 0 s");
		p->duration = ns / 1e9;
		return 0;
	}
}

/* The blocks as COCOMA listed them: every <distributions> below, in order. */
static size_t blocks(xmlNodePtr parent, xmlNodePtr *out, size_t n, size_t max)
{
	for (xmlNodePtr b = parent->children; b; b = b->next) {
		if (b->type != XML_ELEMENT_NODE)
			continue;
		if (emu_xml_is(b, "distributions")) {
			if (out && n < max)
				out[n] = b;
			n++;
		}
		n = blocks(b, out, n, max);
	}
	return n;
}

int emu_spec_read(xmlDocPtr doc, struct emu_ctx *c, struct emu_dspec **out, size_t *n_out)
{
	struct emu_plan *p = c->plan;
	xmlNodePtr root = xmlDocGetRootElement(doc), emu, *blk = NULL;
	struct emu_dspec *ds = NULL;
	size_t nd;
	int err = 0;

	*out = NULL;
	*n_out = 0;
	emu = emu_xml_is(root, "emulation") ? root : find(root, "emulation");
	if (!emu)
		return emu_bad(c, root, "the document's root must be <emulation>");
	p->log_frequency = 3;
	strcpy(p->log_level, "info");
	p->start_now = true;
	for (int i = 0; i < T_N; i++) {
		xmlNodePtr n = find(emu, top_tags[i]);

		if (!n) {
			if (i < T_LOG && i != T_START)
				return emu_bad(c, emu, "needs <%s>", top_tags[i]);
			continue;
		}
		if ((err = read_top(c, i, n)))
			return err;
	}
	for (xmlNodePtr n = emu->children; n; n = n->next) {
		int i;

		if (n->type != XML_ELEMENT_NODE || emu_xml_is(n, "distributions"))
			continue;
		for (i = 0; i < T_N && !emu_xml_is(n, top_tags[i]); i++)
			;
		if (i == T_N || find(emu, top_tags[i]) != n)
			err = emu_note(c, "%s:%u: <%s>: %s; ignored, as COCOMA did", c->what,
				       emu_xml_line(n), TAG(n), i == T_N ? "not an element of <emulation>" :
				       "given again (the first counts)");
		if (err)
			return err;
	}
	nd = blocks(emu, NULL, 0, 0);
	if (!nd)
		return emu_bad(c, emu, "needs at least one <distributions>");
	if (nd > EMU_DISTS_MAX)
		return emu_bad(c, emu, "more than %u <distributions>", EMU_DISTS_MAX);
	ds = calloc(nd, sizeof(*ds));
	blk = calloc(nd, sizeof(*blk));
	if (!ds || !blk) {
		free(ds);
		free(blk);
		return tbx_err(ENOMEM, "%s: out of memory", c->what);
	}
	blocks(emu, blk, 0, nd);
	for (size_t i = 0; i < nd && !err; i++) {
		ds[i].index = i;
		err = emu_dist_read(c, blk[i], &ds[i]);
	}
	free(blk);
	if (err) {
		free(ds);
		return err;
	}
	*out = ds;
	*n_out = nd;
	return 0;
}
