// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reading an XML-RPC <methodCall> into JSON values. Strict: anything the
 * specification does not allow is refused with the line and the element
 * at fault, so a client's mistake is never half-understood.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "err.h"
#include "xmlrpc/xmlrpc.h"

static long line_of(xmlNodePtr n)
{
	return n ? xmlGetLineNo(n) : 1;
}

static bool is(xmlNodePtr n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE &&
	       !strcmp((const char *)n->name, name);
}

static bool blank(const xmlChar *s)
{
	for (; s && *s; s++)
		if (!strchr(" \t\r\n", *s))
			return false;
	return true;
}

/*
 * The element children of @parent, in order; text between them must be
 * blank. Returns the next element after @prev (NULL: the first).
 */
static int next_elem(xmlNodePtr parent, xmlNodePtr prev, xmlNodePtr *out)
{
	xmlNodePtr n = prev ? prev->next : parent->children;

	for (; n; n = n->next) {
		if (n->type == XML_ELEMENT_NODE) {
			*out = n;
			return 0;
		}
		if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) &&
		    !blank(n->content))
			return tbx_err(EINVAL, "XML-RPC: line %ld: text inside <%s>",
				       line_of(parent), (const char *)parent->name);
	}
	*out = NULL;
	return 0;
}

static char *text_of(xmlNodePtr n)
{
	xmlChar *t = xmlNodeGetContent(n);
	char *s;

	if (!t)
		return strdup("");
	s = strdup((const char *)t);
	xmlFree(t);
	return s;
}

/* The content with surrounding blanks trimmed, for numbers and booleans. */
static char *trimmed_text(xmlNodePtr n)
{
	char *s = text_of(n), *b, *e;

	if (!s)
		return NULL;
	for (b = s; *b && strchr(" \t\r\n", *b); b++)
		;
	for (e = b + strlen(b); e > b && strchr(" \t\r\n", e[-1]); e--)
		;
	*e = '\0';
	memmove(s, b, (size_t)(e - b) + 1);
	return s;
}

static int has_no_elements(xmlNodePtr n)
{
	xmlNodePtr c;

	for (c = n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			return tbx_err(EINVAL, "XML-RPC: line %ld: <%s> inside <%s>",
				       line_of(c), (const char *)c->name,
				       (const char *)n->name);
	return 0;
}

static int read_value(xmlNodePtr v, int depth, json_t **out);

static int read_scalar(xmlNodePtr t, json_t **out)
{
	const char *name = (const char *)t->name;
	char *s, *end;
	int err;

	err = has_no_elements(t);
	if (err)
		return err;
	if (!strcmp(name, "string") || !strcmp(name, "dateTime.iso8601")) {
		if (!(s = text_of(t)))
			return tbx_err(ENOMEM, "XML-RPC: out of memory");
		*out = json_string(s);
		free(s);
		if (!*out)
			return tbx_err(EINVAL, "XML-RPC: line %ld: <%s> is not UTF-8",
				       line_of(t), name);
		return 0;
	}
	if (!strcmp(name, "nil")) {
		if (!blank(t->children ? t->children->content : NULL))
			return tbx_err(EINVAL, "XML-RPC: line %ld: <nil> holds text",
				       line_of(t));
		*out = json_null();
		return 0;
	}
	if (!(s = trimmed_text(t)))
		return tbx_err(ENOMEM, "XML-RPC: out of memory");
	err = 0;
	if (!strcmp(name, "int") || !strcmp(name, "i4") || !strcmp(name, "i8")) {
		long long ll;

		errno = 0;
		ll = strtoll(s, &end, 10);
		if (!*s || *end || errno ||
		    (strcmp(name, "i8") && (ll < INT32_MIN || ll > INT32_MAX)))
			err = tbx_err(EINVAL, "XML-RPC: line %ld: <%s>%s</%s> is not a%s integer",
				      line_of(t), name, s, name,
				      strcmp(name, "i8") ? " 32-bit" : " 64-bit");
		else
			*out = json_integer(ll);
	} else if (!strcmp(name, "boolean")) {
		if (strcmp(s, "0") && strcmp(s, "1"))
			err = tbx_err(EINVAL, "XML-RPC: line %ld: <boolean>%s</boolean>: only 0 or 1",
				      line_of(t), s);
		else
			*out = json_boolean(*s == '1');
	} else if (!strcmp(name, "double")) {
		double d;

		errno = 0;
		d = strtod(s, &end);
		if (!*s || *end || errno || !isfinite(d))
			err = tbx_err(EINVAL, "XML-RPC: line %ld: <double>%s</double> is not a finite number",
				      line_of(t), s);
		else
			*out = json_real(d);
	} else if (!strcmp(name, "base64")) {
		err = tbx_err(EINVAL, "XML-RPC: line %ld: <base64>: no method here takes binary data",
			      line_of(t));
	} else {
		err = tbx_err(EINVAL, "XML-RPC: line %ld: <value> holds <%s>, not a type",
			      line_of(t), name);
	}
	free(s);
	if (!err && !*out)
		err = tbx_err(ENOMEM, "XML-RPC: out of memory");
	return err;
}

static int read_struct(xmlNodePtr st, int depth, json_t **out)
{
	xmlNodePtr m = NULL, name, value, extra;
	json_t *obj = json_object(), *v;
	char *key;
	int err;

	if (!obj)
		return tbx_err(ENOMEM, "XML-RPC: out of memory");
	while (!(err = next_elem(st, m, &m)) && m) {
		if (!is(m, "member")) {
			err = tbx_err(EINVAL, "XML-RPC: line %ld: <%s> inside <struct>, not <member>",
				      line_of(m), (const char *)m->name);
			break;
		}
		if ((err = next_elem(m, NULL, &name)) ||
		    (name && (err = next_elem(m, name, &value))) ||
		    (name && value && (err = next_elem(m, value, &extra))))
			break;
		if (!is(name, "name") || !is(value, "value") || extra) {
			err = tbx_err(EINVAL, "XML-RPC: line %ld: a <member> is <name> then <value>",
				      line_of(m));
			break;
		}
		if ((err = has_no_elements(name)))
			break;
		if (!(key = text_of(name))) {
			err = tbx_err(ENOMEM, "XML-RPC: out of memory");
			break;
		}
		if (json_object_get(obj, key)) {
			err = tbx_err(EINVAL, "XML-RPC: line %ld: member '%s' twice in one <struct>",
				      line_of(name), key);
			free(key);
			break;
		}
		err = read_value(value, depth + 1, &v);
		if (!err && json_object_set_new(obj, key, v))
			err = tbx_err(EINVAL, "XML-RPC: line %ld: member name is not UTF-8",
				      line_of(name));
		free(key);
		if (err)
			break;
	}
	if (err) {
		json_decref(obj);
		return err;
	}
	*out = obj;
	return 0;
}

static int read_array(xmlNodePtr ar, int depth, json_t **out)
{
	xmlNodePtr data, extra, v = NULL;
	json_t *arr, *item;
	int err;

	if ((err = next_elem(ar, NULL, &data)) ||
	    (data && (err = next_elem(ar, data, &extra))))
		return err;
	if (!is(data, "data") || extra)
		return tbx_err(EINVAL, "XML-RPC: line %ld: an <array> holds one <data>",
			       line_of(ar));
	if (!(arr = json_array()))
		return tbx_err(ENOMEM, "XML-RPC: out of memory");
	while (!(err = next_elem(data, v, &v)) && v) {
		if (!is(v, "value")) {
			err = tbx_err(EINVAL, "XML-RPC: line %ld: <%s> inside <data>, not <value>",
				      line_of(v), (const char *)v->name);
			break;
		}
		if ((err = read_value(v, depth + 1, &item)))
			break;
		json_array_append_new(arr, item);
	}
	if (err) {
		json_decref(arr);
		return err;
	}
	*out = arr;
	return 0;
}

static int read_value(xmlNodePtr v, int depth, json_t **out)
{
	xmlNodePtr t, extra;
	int err;

	*out = NULL;
	if (depth > TBX_XMLRPC_DEPTH_MAX)
		return tbx_err(EINVAL, "XML-RPC: line %ld: values nested deeper than %d",
			       line_of(v), TBX_XMLRPC_DEPTH_MAX);
	for (t = v->children; t && t->type != XML_ELEMENT_NODE; t = t->next)
		;
	if (!t) {
		/* <value>text</value>: a string */
		char *s = text_of(v);

		if (!s)
			return tbx_err(ENOMEM, "XML-RPC: out of memory");
		*out = json_string(s);
		free(s);
		return *out ? 0 : tbx_err(EINVAL, "XML-RPC: line %ld: <value> is not UTF-8",
					  line_of(v));
	}
	if ((err = next_elem(v, NULL, &t)) || (err = next_elem(v, t, &extra)))
		return err;
	if (extra)
		return tbx_err(EINVAL, "XML-RPC: line %ld: <value> holds <%s> and <%s>",
			       line_of(v), (const char *)t->name,
			       (const char *)extra->name);
	if (is(t, "struct"))
		return read_struct(t, depth, out);
	if (is(t, "array"))
		return read_array(t, depth, out);
	return read_scalar(t, out);
}

static int read_params(xmlNodePtr params, json_t *arr)
{
	xmlNodePtr p = NULL, v, extra;
	json_t *item;
	int err;

	while (!(err = next_elem(params, p, &p)) && p) {
		if (!is(p, "param"))
			return tbx_err(EINVAL, "XML-RPC: line %ld: <%s> inside <params>, not <param>",
				       line_of(p), (const char *)p->name);
		if ((err = next_elem(p, NULL, &v)) ||
		    (v && (err = next_elem(p, v, &extra))))
			return err;
		if (!is(v, "value") || extra)
			return tbx_err(EINVAL, "XML-RPC: line %ld: a <param> holds one <value>",
				       line_of(p));
		if ((err = read_value(v, 1, &item)))
			return err;
		json_array_append_new(arr, item);
	}
	return err;
}

static bool name_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789_.:/", *s))
			return false;
	return true;
}

static int read_call(xmlNodePtr root, char **method, json_t **params)
{
	xmlNodePtr name, ps = NULL, extra = NULL;
	json_t *arr;
	char *m;
	int err;

	if (!is(root, "methodCall"))
		return tbx_err(EINVAL, "XML-RPC: the document is <%s>, not <methodCall>",
			       root ? (const char *)root->name : "empty");
	if ((err = next_elem(root, NULL, &name)) ||
	    (name && (err = next_elem(root, name, &ps))) ||
	    (ps && (err = next_elem(root, ps, &extra))))
		return err;
	if (!is(name, "methodName"))
		return tbx_err(EINVAL, "XML-RPC: line %ld: <methodCall> begins with <methodName>",
			       line_of(root));
	if ((ps && !is(ps, "params")) || extra)
		return tbx_err(EINVAL, "XML-RPC: line %ld: <methodCall> holds <methodName> and <params> only",
			       line_of(extra ? extra : ps));
	if ((err = has_no_elements(name)))
		return err;
	if (!(m = trimmed_text(name)))
		return tbx_err(ENOMEM, "XML-RPC: out of memory");
	if (!name_ok(m)) {
		err = tbx_err(EINVAL, "XML-RPC: line %ld: method name '%.64s' is empty or has characters other than letters, digits, _ . : /",
			      line_of(name), m);
		free(m);
		return err;
	}
	if (!(arr = json_array())) {
		free(m);
		return tbx_err(ENOMEM, "XML-RPC: out of memory");
	}
	if (ps && (err = read_params(ps, arr))) {
		json_decref(arr);
		free(m);
		return err;
	}
	*method = m;
	*params = arr;
	return 0;
}

int tbx_xmlrpc_read_call(const char *buf, size_t len, char **method,
			 json_t **params)
{
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc;
	int err;

	*method = NULL;
	*params = NULL;
	if (!buf || !len)
		return tbx_err(EINVAL, "XML-RPC: empty request body");
	if (len > INT32_MAX)
		return tbx_err(E2BIG, "XML-RPC: request too large");
	if (!(ctxt = xmlNewParserCtxt()))
		return tbx_err(ENOMEM, "XML-RPC: out of memory");
	/* No entity substitution, no network: a DTD is refused below. */
	doc = xmlCtxtReadMemory(ctxt, buf, (int)len, "request", NULL,
				XML_PARSE_NONET | XML_PARSE_NOERROR |
				XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES);
	if (!doc || !ctxt->wellFormed) {
		const xmlError *e = xmlCtxtGetLastError(ctxt);
		char msg[200];

		snprintf(msg, sizeof(msg), "%s", e && e->message ? e->message : "not well-formed");
		msg[strcspn(msg, "\n")] = '\0';
		err = tbx_err(EINVAL, "XML-RPC: line %d: %s", e && e->line > 0 ? e->line : 1, msg);
	} else if (doc->intSubset || doc->extSubset) {
		err = tbx_err(EINVAL, "XML-RPC: a DTD is not accepted");
	} else {
		err = read_call(xmlDocGetRootElement(doc), method, params);
	}
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	return err;
}
