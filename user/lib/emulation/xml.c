// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reading emulation XML safely. An emulation never needs a DTD, so any
 * <!DOCTYPE or <!ENTITY is refused before libxml2 sees the document: no
 * external entity can be fetched, no entity expanded (billion laughs), no
 * DTD loaded. libxml2 then parses with the network off and its default
 * (non-HUGE) limits, and every name and value is bounded afterwards. A
 * document whose tags match only ignoring case (COCOMA lower-cased the
 * whole document first) is read with its tag names lower-cased.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libxml/parser.h>

#include "emu_int.h"
#include "err.h"

static unsigned int line_at(const char *buf, const char *p)
{
	unsigned int line = 1;

	for (; buf < p; buf++)
		line += *buf == '\n';
	return line;
}

/* Refuses markup declarations outside comments. */
static int refuse_dtd(const char *buf, size_t len, const char *what)
{
	const char *p = buf, *end = buf + len;

	while ((p = memchr(p, '<', end - p))) {
		size_t left = end - p;

		if (left >= 4 && !memcmp(p, "<!--", 4)) {
			const char *q = memmem(p + 4, left - 4, "-->", 3);

			if (!q)
				return tbx_err(EINVAL, "%s:%u: XML: unterminated comment",
					       what, line_at(buf, p));
			p = q + 3;
			continue;
		}
		if (left >= 9 && !strncasecmp(p, "<![CDATA[", 9)) {
			const char *q = memmem(p + 9, left - 9, "]]>", 3);

			if (!q)
				return tbx_err(EINVAL, "%s:%u: XML: unterminated CDATA section",
					       what, line_at(buf, p));
			p = q + 3;
			continue;
		}
		if (left >= 2 && p[1] == '!')
			return tbx_err(EINVAL, "%s:%u: XML: DTDs and entity declarations are not accepted in an emulation",
				       what, line_at(buf, p));
		p++;
	}
	return 0;
}

/* Every element name, text and attribute within EMU_TEXT_MAX; no entity references. */
static int check_sizes(xmlNodePtr n, const char *what)
{
	for (; n; n = n->next) {
		switch (n->type) {
		case XML_ELEMENT_NODE:
			if (strlen((const char *)n->name) > EMU_TEXT_MAX)
				return tbx_err(E2BIG, "%s:%u: element name longer than %u bytes",
					       what, emu_xml_line(n), EMU_TEXT_MAX);
			for (xmlAttrPtr a = n->properties; a; a = a->next) {
				xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
				size_t l = v ? strlen((char *)v) : 0;

				xmlFree(v);
				if (strlen((const char *)a->name) > EMU_TEXT_MAX || l > EMU_TEXT_MAX)
					return tbx_err(E2BIG, "%s:%u: <%.64s>: attribute longer than %u bytes",
						       what, emu_xml_line(n), n->name, EMU_TEXT_MAX);
			}
			if (check_sizes(n->children, what))
				return -E2BIG;
			break;
		case XML_TEXT_NODE:
		case XML_CDATA_SECTION_NODE:
			if (n->content && strlen((const char *)n->content) > EMU_TEXT_MAX)
				return tbx_err(E2BIG, "%s:%u: <%.64s>: value longer than %u bytes",
					       what, emu_xml_line(n),
					       n->parent ? (const char *)n->parent->name : "?",
					       EMU_TEXT_MAX);
			break;
		case XML_ENTITY_REF_NODE:
		case XML_ENTITY_NODE:
			return tbx_err(EINVAL, "%s:%u: XML: entity references are not accepted",
				       what, emu_xml_line(n));
		default:
			break;
		}
	}
	return 0;
}

/* The names of the tags in @buf, ASCII lower-cased: COCOMA lower-cased the
 * whole document before parsing it, so <memSleep>0</memsleep> was fine.
 * Comments, CDATA and processing instructions are left as they are. */
static char *lower_tags(const char *buf, size_t len)
{
	char *s = malloc(len + 1), *end = s + len, *p = s;

	if (!s)
		return NULL;
	memcpy(s, buf, len);
	s[len] = '\0';
	while ((p = memchr(p, '<', end - p))) {
		static const struct {
			const char *open, *close;
		} skip[] = { { "<!--", "-->" }, { "<![CDATA[", "]]>" }, { "<?", "?>" } };
		bool skipped = false;

		for (size_t i = 0; i < sizeof(skip) / sizeof(skip[0]) && !skipped; i++) {
			size_t l = strlen(skip[i].open);
			char *q;

			if ((size_t)(end - p) < l || memcmp(p, skip[i].open, l))
				continue;
			q = memmem(p + l, end - p - l, skip[i].close, strlen(skip[i].close));
			p = q ? q + strlen(skip[i].close) : end;
			skipped = true;
		}
		if (skipped)
			continue;
		if (++p < end && *p == '/')
			p++;
		for (; p < end && !strchr(" \t\r\n/>", *p); p++)
			if (*p >= 'A' && *p <= 'Z')
				*p += 'a' - 'A';
	}
	return s;
}

static xmlDocPtr parse(const char *buf, size_t len, const char *what, char *msg, size_t mlen,
		       unsigned int *line)
{
	xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
	xmlDocPtr doc;

	if (!ctxt) {
		snprintf(msg, mlen, "out of memory");
		return NULL;
	}
	doc = xmlCtxtReadMemory(ctxt, buf, (int)len, what, NULL,
				XML_PARSE_NONET | XML_PARSE_NOERROR |
				XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES |
				XML_PARSE_NOCDATA);
	if (!doc || !ctxt->wellFormed) {
		const xmlError *e = xmlCtxtGetLastError(ctxt);

		snprintf(msg, mlen, "%s", e && e->message ? e->message : "not well-formed");
		msg[strcspn(msg, "\n")] = '\0';
		*line = e && e->line > 0 ? (unsigned int)e->line : 1;
		xmlFreeDoc(doc);
		doc = NULL;
	}
	xmlFreeParserCtxt(ctxt);
	return doc;
}

int emu_xml_read(const char *buf, size_t len, const char *what, xmlDocPtr *out, bool *lowered)
{
	char msg[200], other[200], *low;
	unsigned int line, other_line;
	xmlDocPtr doc;
	int err;

	*out = NULL;
	*lowered = false;
	if (len > EMU_DOC_MAX)
		return tbx_err(E2BIG, "%s: %zu bytes: an emulation is at most %u bytes",
			       what, len, EMU_DOC_MAX);
	if (len == 0)
		return tbx_err(EINVAL, "%s:1: XML: empty document", what);
	err = refuse_dtd(buf, len, what);
	if (err)
		return err;
	doc = parse(buf, len, what, msg, sizeof(msg), &line);
	if (!doc) {
		/* as COCOMA read it: its tags' case did not matter */
		if (!(low = lower_tags(buf, len)))
			return tbx_err(ENOMEM, "%s: out of memory", what);
		doc = parse(low, len, what, other, sizeof(other), &other_line);
		free(low);
		if (!doc)
			return tbx_err(EINVAL, "%s:%u: XML: %s", what, line, msg);
		*lowered = true;
	}
	if (doc->intSubset || doc->extSubset) {
		xmlFreeDoc(doc);
		return tbx_err(EINVAL, "%s:1: XML: DTDs are not accepted", what);
	}
	err = check_sizes(xmlDocGetRootElement(doc), what);
	if (err) {
		xmlFreeDoc(doc);
		return err;
	}
	*out = doc;
	return 0;
}

bool emu_xml_is(xmlNodePtr n, const char *tag)
{
	return n && n->type == XML_ELEMENT_NODE &&
	       !strcasecmp((const char *)n->name, tag);
}

unsigned int emu_xml_line(xmlNodePtr n)
{
	long l = xmlGetLineNo(n);

	return l > 0 ? (unsigned int)l : 0;
}

int emu_bad(struct emu_ctx *c, xmlNodePtr n, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return tbx_err(EINVAL, "%s:%u: <%.64s>: %s", c->what, emu_xml_line(n),
		       (const char *)n->name, msg);
}

static void trim_into(const char *s, char *buf)
{
	size_t l;

	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	l = strlen(s);
	while (l && (s[l - 1] == ' ' || s[l - 1] == '\t' || s[l - 1] == '\n' || s[l - 1] == '\r'))
		l--;
	memcpy(buf, s, l);
	buf[l] = '\0';
}

int emu_xml_text(xmlNodePtr n, const char *what, char *buf)
{
	xmlChar *v = xmlNodeGetContent(n);
	int err = 0;

	buf[0] = '\0';
	if (!v)
		return 0;
	if (strlen((char *)v) > EMU_TEXT_MAX)
		err = tbx_err(E2BIG, "%s:%u: <%s>: value longer than %u bytes",
			      what, emu_xml_line(n), n->name, EMU_TEXT_MAX);
	else
		trim_into((char *)v, buf);
	xmlFree(v);
	return err;
}

int emu_xml_attr(xmlNodePtr n, const char *attr, const char *what, char *buf)
{
	buf[0] = '\0';
	for (xmlAttrPtr a = n->properties; a; a = a->next) {
		xmlChar *v;

		if (strcasecmp((const char *)a->name, attr))
			continue;
		v = xmlNodeGetContent((xmlNodePtr)a);
		if (v && strlen((char *)v) <= EMU_TEXT_MAX)
			trim_into((char *)v, buf);
		xmlFree(v);
		return 0;
	}
	return 0;
}
