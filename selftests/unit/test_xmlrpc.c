// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * XML-RPC as tbxd's hostmanager API reads and writes it: every type of a
 * call read into the JSON value expected, every malformed call refused with
 * the part named, responses and faults written as clients read them.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "err.h"
#include "xmlrpc/xmlrpc.h"

static json_t *call(const char *xml, char **method)
{
	json_t *params = NULL;
	char *m = NULL;
	int err = tbx_xmlrpc_read_call(xml, strlen(xml), &m, &params);

	if (err)
		print_message("unexpected: %s\n", tbx_errmsg());
	assert_int_equal(err, 0);
	if (method)
		*method = m;
	else
		free(m);
	return params;
}

static void refused(const char *xml, const char *words)
{
	json_t *params = (json_t *)1;
	char *m = (char *)1;
	int err = tbx_xmlrpc_read_call(xml, strlen(xml), &m, &params);

	assert_int_not_equal(err, 0);
	assert_null(params);
	assert_null(m);
	if (!strstr(tbx_errmsg(), words))
		print_message("message '%s' lacks '%s'\n", tbx_errmsg(), words);
	assert_non_null(strstr(tbx_errmsg(), words));
}

#define CALL(params) "<?xml version='1.0'?>\n<methodCall>\n<methodName>element_create</methodName>\n" \
		     "<params>\n" params "</params>\n</methodCall>\n"
#define P(v) "<param><value>" v "</value></param>\n"

static void every_type(void **state)
{
	char *method;
	json_t *p = call(CALL(P("<string>netns</string>")
			      P("<nil/>")
			      P("<struct><member><name>cpus</name><value><double>1.5</double></value></member>"
				"<member><name>ram</name><value><int>512</int></value></member>"
				"<member><name>big</name><value><i8>8589934592</i8></value></member>"
				"<member><name>on</name><value><boolean>1</boolean></value></member>"
				"<member><name>name</name><value>bare &amp; text</value></member>"
				"<member><name>list</name><value><array><data>"
				"<value><i4>-7</i4></value><value><string></string></value>"
				"</data></array></value></member></struct>")
			      P("<dateTime.iso8601>20261207T15:00:00</dateTime.iso8601>")), &method);
	json_t *attrs;

	assert_string_equal(method, "element_create");
	free(method);
	assert_int_equal(json_array_size(p), 4);
	assert_string_equal(json_string_value(json_array_get(p, 0)), "netns");
	assert_true(json_is_null(json_array_get(p, 1)));
	attrs = json_array_get(p, 2);
	assert_true(json_real_value(json_object_get(attrs, "cpus")) == 1.5);
	assert_int_equal(json_integer_value(json_object_get(attrs, "ram")), 512);
	assert_true(json_integer_value(json_object_get(attrs, "big")) == 8589934592LL);
	assert_true(json_is_true(json_object_get(attrs, "on")));
	assert_string_equal(json_string_value(json_object_get(attrs, "name")), "bare & text");
	assert_int_equal(json_integer_value(json_array_get(json_object_get(attrs, "list"), 0)), -7);
	assert_string_equal(json_string_value(json_array_get(json_object_get(attrs, "list"), 1)), "");
	assert_string_equal(json_string_value(json_array_get(p, 3)), "20261207T15:00:00");
	json_decref(p);
}

static void no_params(void **state)
{
	char *method;
	json_t *p = call("<methodCall><methodName>host_info</methodName></methodCall>", &method);

	assert_string_equal(method, "host_info");
	assert_int_equal(json_array_size(p), 0);
	free(method);
	json_decref(p);
	p = call("<methodCall><methodName>host_info</methodName><params/></methodCall>", NULL);
	assert_int_equal(json_array_size(p), 0);
	json_decref(p);
}

static void bad_calls(void **state)
{
	refused("", "empty request body");
	refused("<methodCall><methodName>x</methodName>", "line");
	refused("<?xml version='1.0'?><!DOCTYPE methodCall [<!ENTITY a 'b'>]>"
		"<methodCall><methodName>x</methodName></methodCall>", "DTD");
	refused("<methodResponse/>", "not <methodCall>");
	refused("<methodCall><params/></methodCall>", "begins with <methodName>");
	refused("<methodCall><methodName>a b</methodName></methodCall>", "method name");
	refused("<methodCall><methodName></methodName></methodCall>", "method name");
	refused("<methodCall><methodName>x</methodName><params/><extra/></methodCall>",
		"<methodName> and <params> only");
	refused(CALL(P("<int>12x</int>")), "<int>12x</int> is not a 32-bit integer");
	refused(CALL(P("<int>4294967296</int>")), "32-bit");
	refused(CALL(P("<i8>99999999999999999999</i8>")), "64-bit");
	refused(CALL(P("<boolean>true</boolean>")), "only 0 or 1");
	refused(CALL(P("<double>nan</double>")), "finite");
	refused(CALL(P("<integer>1</integer>")), "<value> holds <integer>, not a type");
	refused(CALL(P("<base64>AAAA</base64>")), "binary");
	refused(CALL(P("<nil>x</nil>")), "<nil> holds text");
	refused(CALL(P("<string>a</string><string>b</string>")), "holds <string> and <string>");
	refused(CALL(P("<string><b>x</b></string>")), "<b> inside <string>");
	refused(CALL(P("<struct><member><name>a</name><value>1</value></member>"
		       "<member><name>a</name><value>2</value></member></struct>")),
		"member 'a' twice");
	refused(CALL(P("<struct><member><value>1</value></member></struct>")),
		"a <member> is <name> then <value>");
	refused(CALL(P("<struct>junk<member><name>a</name><value/></member></struct>")),
		"text inside <struct>");
	refused(CALL(P("<array><value>1</value></array>")), "one <data>");
	refused(CALL(P("<array><data><string>1</string></data></array>")), "<string> inside <data>");
	refused(CALL("<param><value>1</value><value>2</value></param>"), "a <param> holds one <value>");
	refused(CALL("<value>1</value>"), "<value> inside <params>, not <param>");
}

static void too_deep(void **state)
{
	char buf[8192];
	size_t n = 0;
	int i;

	n += snprintf(buf + n, sizeof(buf) - n, "<methodCall><methodName>x</methodName><params><param>");
	for (i = 0; i < TBX_XMLRPC_DEPTH_MAX + 2; i++)
		n += snprintf(buf + n, sizeof(buf) - n, "<value><array><data>");
	for (i = 0; i < TBX_XMLRPC_DEPTH_MAX + 2; i++)
		n += snprintf(buf + n, sizeof(buf) - n, "</data></array></value>");
	snprintf(buf + n, sizeof(buf) - n, "</param></params></methodCall>");
	refused(buf, "nested deeper than 32");
}

static void responses(void **state)
{
	json_t *v = json_pack("{s:s,s:i,s:I,s:f,s:b,s:n,s:[i]}", "state", "a<b&\x01",
			      "small", -5, "big", (json_int_t)1 << 40, "real", 0.25,
			      "on", 0, "none", "list", 3);
	size_t len = 0;
	char *x = tbx_xmlrpc_write_response(v, &len);

	assert_non_null(x);
	assert_int_equal(len, strlen(x));
	assert_non_null(strstr(x, "<methodResponse><params><param><value><struct>"));
	assert_non_null(strstr(x, "<name>state</name><value><string>a&lt;b&amp;\xef\xbf\xbd</string>"));
	assert_non_null(strstr(x, "<int>-5</int>"));
	assert_non_null(strstr(x, "<i8>1099511627776</i8>"));
	assert_non_null(strstr(x, "<double>0.25</double>"));
	assert_non_null(strstr(x, "<boolean>0</boolean>"));
	assert_non_null(strstr(x, "<nil/>"));
	assert_non_null(strstr(x, "<array><data><value><int>3</int></value></data></array>"));
	free(x);
	json_decref(v);

	x = tbx_xmlrpc_write_fault(4, "No such element", NULL);
	assert_non_null(x);
	assert_non_null(strstr(x, "<methodResponse><fault><value><struct>"));
	assert_non_null(strstr(x, "<name>faultCode</name><value><int>4</int></value>"));
	assert_non_null(strstr(x, "<name>faultString</name><value><string>No such element</string>"));
	free(x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_type),
		cmocka_unit_test(no_params),
		cmocka_unit_test(bad_calls),
		cmocka_unit_test(too_deep),
		cmocka_unit_test(responses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
