// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The hostmanager's rules without a kernel or a state file: ToMaTo's
 * states and actions, remove states, parents and children, attribute
 * conversion and refusal (all or nothing), timeouts, faults as ToMaTo's
 * JSON, and a connection's attributes turned into the tbx qdisc's words.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hm_fault.h"
#include "hm_realise.h"
#include "hm_types.h"

static const struct hm_type *netns, *iface, *bridge;

static int setup(void **state)
{
	netns = hm_type_find("netns", false);
	iface = hm_type_find("netns_interface", false);
	bridge = hm_type_find("bridge", true);
	return !(netns && iface && bridge);
}

static void faulted(struct hm_fault *f, const char *code, const char *message)
{
	assert_non_null(f->code);
	assert_string_equal(f->code, code);
	assert_string_equal(f->message, message);
	hm_fault_clear(f);
}

static void types(void **state)
{
	assert_null(hm_type_find("bridge", false));	/* a connection type */
	assert_null(hm_type_find("netns", true));
	assert_null(hm_type_find("openvz", false));
	assert_null(hm_type_find(NULL, false));
}

static void actions(void **state)
{
	static const struct {
		const char *state, *action, *next;
	} allowed[] = {
		{ "created", "prepare", "prepared" },
		{ "prepared", "start", "started" },
		{ "started", "stop", "prepared" },
		{ "prepared", "destroy", "created" },
		{ "started", "destroy", "created" },
	};
	static const struct {
		const char *state, *action;
	} refused[] = {
		{ "created", "start" }, { "created", "stop" }, { "created", "destroy" },
		{ "prepared", "prepare" }, { "prepared", "stop" },
		{ "started", "start" }, { "started", "prepare" },
	};
	struct hm_fault f = { 0 };
	const struct hm_action *a;

	for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++) {
		a = hm_check_action(netns, allowed[i].state, allowed[i].action, &f);
		assert_non_null(a);
		assert_string_equal(a->next, allowed[i].next);
	}
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		assert_null(hm_check_action(netns, refused[i].state, refused[i].action, &f));
		assert_string_equal(json_string_value(json_object_get(f.data, "state")),
				    refused[i].state);
		faulted(&f, "invalid_state", "Action can not be executed in this state");
	}
	assert_null(hm_check_action(netns, "created", "fly", &f));
	assert_string_equal(json_string_value(json_object_get(f.data, "element_type")), "netns");
	faulted(&f, "unsupported_action", "Unsuported action");	/* ToMaTo's spelling */
	assert_null(hm_check_action(iface, "prepared", "start", &f));
	faulted(&f, "unsupported_action", "Unsuported action");

	assert_string_equal(hm_check_action(bridge, "created", "start", &f)->next, "started");
	assert_string_equal(hm_check_action(bridge, "started", "stop", &f)->next, "created");
	assert_null(hm_check_action(bridge, "created", "stop", &f));
	assert_string_equal(json_string_value(json_object_get(f.data, "connection_type")), "bridge");
	faulted(&f, "invalid_state", "Action can not be executed in this state");
}

static void removal(void **state)
{
	struct hm_fault f = { 0 };

	assert_int_equal(hm_check_remove(netns, "created", &f), 0);
	assert_int_not_equal(hm_check_remove(netns, "prepared", &f), 0);
	faulted(&f, "invalid_state", "Element can not be removed in its current state");
	assert_int_not_equal(hm_check_remove(netns, "started", &f), 0);
	hm_fault_clear(&f);
	assert_int_equal(hm_check_remove(iface, "prepared", &f), 0);
	assert_int_not_equal(hm_check_remove(iface, "started", &f), 0);
	faulted(&f, "invalid_state", "Element can not be removed in its current state");
	assert_int_equal(hm_check_remove(bridge, "started", &f), 0);
	assert_int_equal(hm_check_remove(bridge, "created", &f), 0);
}

static void children(void **state)
{
	struct hm_fault f = { 0 };

	assert_int_equal(hm_check_child(NULL, NULL, netns, &f), 0);
	assert_int_equal(hm_check_child(netns, "created", iface, &f), 0);
	assert_int_equal(hm_check_child(netns, "prepared", iface, &f), 0);
	assert_int_not_equal(hm_check_child(netns, "started", iface, &f), 0);
	faulted(&f, "invalid_state",
		"Parent type does not allow children of this type in its current state");
	assert_int_not_equal(hm_check_child(NULL, NULL, iface, &f), 0);
	faulted(&f, "invalid_configuration", "Type needs parent");
	assert_int_not_equal(hm_check_child(netns, "created", netns, &f), 0);
	faulted(&f, "unable_to_connect", "Parent type not allowed");
	assert_int_not_equal(hm_check_child(iface, "created", iface, &f), 0);
	faulted(&f, "unable_to_connect", "Parent type not allowed");
}

/* attrs(t, state, json): the attributes after a successful check. */
static json_t *attrs_ok(const struct hm_type *t, const char *st, const char *in)
{
	json_t *j = json_loads(in, 0, NULL), *a = hm_default_attrs(t);
	struct hm_fault f = { 0 };

	assert_non_null(j);
	if (hm_check_attrs(t, st, j, a, &f))
		print_message("refused: %s\n", f.message);
	assert_null(f.code);
	json_decref(j);
	return a;
}

static void attrs_refused(const struct hm_type *t, const char *st, const char *in,
			  const char *code, const char *message)
{
	json_t *j = json_loads(in, 0, NULL), *a = hm_default_attrs(t), *before;
	struct hm_fault f = { 0 };

	assert_non_null(j);
	before = json_deep_copy(a);
	assert_int_not_equal(hm_check_attrs(t, st, j, a, &f), 0);
	assert_true(json_equal(a, before));	/* nothing merged */
	faulted(&f, code, message);
	json_decref(j);
	json_decref(a);
	json_decref(before);
}

static void attributes(void **state)
{
	json_t *a = attrs_ok(netns, "created", "{\"ram\": \"64\", \"cpus\": \"1.5\", \"timeout\": 1}");

	/* ToMaTo converts: "64" is 64, "1.5" is 1.5; timeout is no attribute */
	assert_int_equal(json_integer_value(json_object_get(a, "ram")), 64);
	assert_true(json_real_value(json_object_get(a, "cpus")) == 1.5);
	assert_null(json_object_get(a, "timeout"));
	json_decref(a);
	a = attrs_ok(netns, "started", "{\"ram\": 128.0}");	/* writable in every state */
	assert_int_equal(json_integer_value(json_object_get(a, "ram")), 128);
	json_decref(a);
	a = attrs_ok(bridge, "started", "{\"emulation\": 0, \"delay_to\": 5, \"distribution_from\": \"pareto\"}");
	assert_true(json_is_false(json_object_get(a, "emulation")));
	assert_true(json_real_value(json_object_get(a, "bandwidth_to")) == 10000);	/* default */
	json_decref(a);
	a = attrs_ok(iface, "created", "{\"name\": \"eth3\", \"ip4address\": \"198.18.0.1/24\"}");
	json_decref(a);

	attrs_refused(netns, "created", "{\"colour\": 1}", "unsupported_attribute",
		      "Unsupported attribute");
	attrs_refused(netns, "created", "{\"ram\": 64, \"cpus\": 0}", "invalid_value",
		      "Invalid value, below minimum");
	attrs_refused(netns, "created", "{\"ram\": 99999999}", "invalid_value",
		      "Invalid value, above maximum");
	attrs_refused(netns, "created", "{\"ram\": 64.5}", "invalid_value",
		      "Invalid value, failed to convert");
	attrs_refused(netns, "created", "{\"ram\": null}", "invalid_value",
		      "Invalid value, must not be null");
	attrs_refused(netns, "created", "{\"cpus\": [1]}", "invalid_value",
		      "Invalid value, failed to convert");
	attrs_refused(bridge, "created", "{\"lossratio_to\": 101}", "invalid_value",
		      "Invalid value, above maximum");
	attrs_refused(bridge, "created", "{\"delay_from\": -1}", "invalid_value",
		      "Invalid value, below minimum");
	attrs_refused(bridge, "created", "{\"distribution_to\": \"zipf\"}", "invalid_value",
		      "Invalid value, must choose from list");
	attrs_refused(iface, "created", "{\"name\": \"wlan0\"}", "invalid_value",
		      "Invalid value, must match pattern");
	attrs_refused(iface, "created", "{\"ip4address\": \"198.18.0.1\"}", "invalid_value",
		      "Invalid value, must match pattern");
	attrs_refused(iface, "prepared", "{\"name\": \"eth1\"}", "invalid_state",
		      "Invalid state for attribute");
	/* one bad among good ones: none is taken */
	attrs_refused(bridge, "created", "{\"delay_to\": 5, \"corrupt_to\": 200}", "invalid_value",
		      "Invalid value, above maximum");
}

static void timeouts(void **state)
{
	struct hm_fault f = { 0 };
	json_t *v;
	double t = 0;

	v = json_real(1000.0 + 3600);
	assert_int_equal(hm_check_timeout(v, 1000.0, &t, &f), 0);
	assert_true(t == 4600.0);
	json_decref(v);
	v = json_real(999.0);
	assert_int_not_equal(hm_check_timeout(v, 1000.0, &t, &f), 0);
	faulted(&f, "invalid_value", "Refusing to set timeout into the past");
	json_decref(v);
	v = json_real(1000.0 + HM_MAX_TIMEOUT_S + 1);
	assert_int_not_equal(hm_check_timeout(v, 1000.0, &t, &f), 0);
	faulted(&f, "invalid_value", "Refusing to set timeout too far into the future");
	json_decref(v);
	v = json_string("soon");
	assert_int_not_equal(hm_check_timeout(v, 1000.0, &t, &f), 0);
	faulted(&f, "invalid_value", "Invalid value, failed to convert");
	json_decref(v);
}

static void capabilities(void **state)
{
	json_t *c = hm_capabilities(), *n = json_object_get(json_object_get(c, "elements"), "netns");
	json_t *b = json_object_get(json_object_get(c, "connections"), "bridge");

	assert_non_null(n);
	assert_non_null(b);
	assert_string_equal(json_string_value(json_array_get(
		json_object_get(json_object_get(n, "actions"), "(remove)"), 0)), "created");
	assert_true(json_is_null(json_array_get(json_object_get(n, "parent"), 0)));
	assert_non_null(json_object_get(json_object_get(n, "children"), "netns_interface"));
	assert_true(json_number_value(json_object_get(json_object_get(json_object_get(b, "attrs"),
		"lossratio_to"), "maxvalue")) == 100);
	assert_non_null(json_object_get(json_object_get(n, "attrs"), "timeout"));
	json_decref(c);
}

static void words(const char *attrs, const char *side, const char *want)
{
	json_t *j = json_loads(attrs, 0, NULL), *a = hm_default_attrs(bridge);
	char buf[512];

	json_object_update(a, j);
	hm_emulation_words(a, side, buf, sizeof(buf));
	assert_string_equal(buf, want);
	json_decref(j);
	json_decref(a);
}

static void emulation_words(void **state)
{
	words("{}", "to", "rate 10000kbit");
	words("{\"bandwidth_to\": 2000, \"delay_to\": 20, \"jitter_to\": 5,"
	      " \"distribution_to\": \"normal\", \"lossratio_to\": 1.5,"
	      " \"duplicate_to\": 2, \"corrupt_to\": 0.5}", "to",
	      "rate 2000kbit delay 20ms jitter 5ms distribution normal loss 1.5% duplicate 2% corrupt 0.5%");
	words("{\"delay_to\": 20}", "from", "rate 10000kbit");	/* the other side */
	words("{\"bandwidth_from\": 0, \"jitter_from\": 3}", "from", "delay 0ms jitter 3ms");
	words("{\"bandwidth_to\": 0}", "to", "");
	words("{\"emulation\": false, \"delay_to\": 20}", "to", "");
}

static void faults(void **state)
{
	struct hm_fault f = { 0 };
	json_t *j;
	char *s;

	hm_fail(&f, "entity_does_not_exist", json_pack("{s:i}", "id", 7), "No such element");
	s = hm_fault_string(&f);
	j = json_loads(s, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(j, "type")), "user");
	assert_string_equal(json_string_value(json_object_get(j, "code")), "entity_does_not_exist");
	assert_string_equal(json_string_value(json_object_get(j, "module")), "hostmanager");
	assert_string_equal(json_string_value(json_object_get(j, "onscreenmessage")), "No such element");
	assert_int_equal(json_integer_value(json_object_get(j, "httpcode")), 404);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "data"), "id")), 7);
	assert_true(json_is_false(json_object_get(j, "todump")));
	json_decref(j);
	free(s);
	hm_fault_clear(&f);
	assert_int_equal(hm_fault_httpcode("invalid_state"), 409);
	assert_int_equal(hm_fault_httpcode("unsupported_action"), 405);
	assert_int_equal(hm_fault_httpcode("different_user"), 401);
	assert_int_equal(hm_fault_httpcode(NULL), 500);
	hm_fail_internal(&f, NULL);
	s = hm_fault_string(&f);
	j = json_loads(s, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(j, "type")), "internal");
	assert_true(json_is_null(json_object_get(j, "code")) || !json_object_get(j, "code"));
	assert_true(json_is_true(json_object_get(j, "todump")));
	json_decref(j);
	free(s);
	hm_fault_clear(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(types),
		cmocka_unit_test(actions),
		cmocka_unit_test(removal),
		cmocka_unit_test(children),
		cmocka_unit_test(attributes),
		cmocka_unit_test(timeouts),
		cmocka_unit_test(capabilities),
		cmocka_unit_test(emulation_words),
		cmocka_unit_test(faults),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
