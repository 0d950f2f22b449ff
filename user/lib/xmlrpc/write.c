// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Writing XML-RPC responses from JSON values, with libxml2's writer doing
 * the escaping. Integers beyond 32 bits go out as <i8> (clients such as
 * Python's xmlrpc.client read it); text that XML cannot carry (control
 * characters) is replaced by U+FFFD rather than making the reply unreadable.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/xmlwriter.h>

#include "xmlrpc/xmlrpc.h"

#define OK(expr)	do { if ((expr) < 0) return -1; } while (0)

/* s with every control character XML 1.0 refuses replaced. */
static char *xml_safe(const char *s)
{
	size_t n = 0, i;
	char *out, *o;

	for (i = 0; s[i]; i++)
		n += ((unsigned char)s[i] < 0x20 && !strchr("\t\n\r", s[i])) ? 3 : 1;
	if (!(out = malloc(n + 1)))
		return NULL;
	for (o = out, i = 0; s[i]; i++) {
		if ((unsigned char)s[i] < 0x20 && !strchr("\t\n\r", s[i])) {
			memcpy(o, "\xef\xbf\xbd", 3);
			o += 3;
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return out;
}

static int write_string(xmlTextWriterPtr w, const char *s)
{
	char *safe = xml_safe(s);
	int rc;

	if (!safe)
		return -1;
	rc = xmlTextWriterWriteElement(w, BAD_CAST "string", BAD_CAST safe);
	free(safe);
	return rc;
}

static int write_value(xmlTextWriterPtr w, const json_t *v)
{
	char num[40];

	OK(xmlTextWriterStartElement(w, BAD_CAST "value"));
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		const char *key;
		json_t *item;

		OK(xmlTextWriterStartElement(w, BAD_CAST "struct"));
		json_object_foreach((json_t *)v, key, item) {
			char *safe;
			int rc;

			OK(xmlTextWriterStartElement(w, BAD_CAST "member"));
			if (!(safe = xml_safe(key)))
				return -1;
			rc = xmlTextWriterWriteElement(w, BAD_CAST "name", BAD_CAST safe);
			free(safe);
			OK(rc);
			OK(write_value(w, item));
			OK(xmlTextWriterEndElement(w));
		}
		OK(xmlTextWriterEndElement(w));
		break;
	}
	case JSON_ARRAY: {
		size_t i;
		json_t *item;

		OK(xmlTextWriterStartElement(w, BAD_CAST "array"));
		OK(xmlTextWriterStartElement(w, BAD_CAST "data"));
		json_array_foreach((json_t *)v, i, item)
			OK(write_value(w, item));
		OK(xmlTextWriterEndElement(w));
		OK(xmlTextWriterEndElement(w));
		break;
	}
	case JSON_STRING:
		OK(write_string(w, json_string_value(v)));
		break;
	case JSON_INTEGER: {
		json_int_t i = json_integer_value(v);

		snprintf(num, sizeof(num), "%lld", (long long)i);
		OK(xmlTextWriterWriteElement(w, BAD_CAST (i >= INT32_MIN && i <= INT32_MAX ? "int" : "i8"),
					     BAD_CAST num));
		break;
	}
	case JSON_REAL:
		snprintf(num, sizeof(num), "%.17g", json_real_value(v));
		OK(xmlTextWriterWriteElement(w, BAD_CAST "double", BAD_CAST num));
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		OK(xmlTextWriterWriteElement(w, BAD_CAST "boolean",
					     BAD_CAST (json_is_true(v) ? "1" : "0")));
		break;
	case JSON_NULL:
		OK(xmlTextWriterStartElement(w, BAD_CAST "nil"));
		OK(xmlTextWriterEndElement(w));
		break;
	}
	return xmlTextWriterEndElement(w);
}

/* <methodResponse> around what write_body() writes; NULL on failure. */
static char *document(int (*write_body)(xmlTextWriterPtr w, const void *arg),
		      const void *arg, size_t *len)
{
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w;
	char *out = NULL;
	int rc = -1;

	if (!buf)
		return NULL;
	if ((w = xmlNewTextWriterMemory(buf, 0))) {
		if (xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) >= 0 &&
		    xmlTextWriterStartElement(w, BAD_CAST "methodResponse") >= 0 &&
		    write_body(w, arg) >= 0 &&
		    xmlTextWriterEndDocument(w) >= 0)
			rc = 0;
		xmlFreeTextWriter(w);	/* flushes into buf */
	}
	if (!rc && (out = malloc(xmlBufferLength(buf) + 1))) {
		memcpy(out, xmlBufferContent(buf), xmlBufferLength(buf));
		out[xmlBufferLength(buf)] = '\0';
		if (len)
			*len = (size_t)xmlBufferLength(buf);
	}
	xmlBufferFree(buf);
	return out;
}

static int write_params(xmlTextWriterPtr w, const void *arg)
{
	OK(xmlTextWriterStartElement(w, BAD_CAST "params"));
	OK(xmlTextWriterStartElement(w, BAD_CAST "param"));
	OK(write_value(w, arg));
	OK(xmlTextWriterEndElement(w));
	return xmlTextWriterEndElement(w);
}

char *tbx_xmlrpc_write_response(const json_t *value, size_t *len)
{
	return value ? document(write_params, value, len) : NULL;
}

static int write_fault(xmlTextWriterPtr w, const void *arg)
{
	OK(xmlTextWriterStartElement(w, BAD_CAST "fault"));
	OK(write_value(w, arg));
	return xmlTextWriterEndElement(w);
}

char *tbx_xmlrpc_write_fault(int code, const char *msg, size_t *len)
{
	json_t *f = json_pack("{s:i,s:s}", "faultCode", code, "faultString",
			      msg ? msg : "");
	char *out;

	if (!f)
		return NULL;
	out = document(write_fault, f, len);
	json_decref(f);
	return out;
}
