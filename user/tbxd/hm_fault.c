// SPDX-License-Identifier: GPL-2.0-or-later
/* Hostmanager faults in ToMaTo's form (shared/lib/error.py's fields). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "hm_fault.h"

int hm_fail(struct hm_fault *f, const char *code, json_t *data,
	    const char *fmt, ...)
{
	va_list ap;

	hm_fault_clear(f);
	f->type = "user";
	f->code = code;
	va_start(ap, fmt);
	vsnprintf(f->message, sizeof(f->message), fmt, ap);
	va_end(ap);
	f->data = data;
	return -1;
}

int hm_fail_internal(struct hm_fault *f, const char *code)
{
	hm_fail(f, code, NULL, "%s", *tbx_errmsg() ? tbx_errmsg() : "internal error");
	f->type = "internal";
	return -1;
}

void hm_fault_clear(struct hm_fault *f)
{
	json_decref(f->data);
	memset(f, 0, sizeof(*f));
}

int hm_fault_httpcode(const char *code)
{
	static const struct {
		const char *code;
		int http;
	} codes[] = {
		{ "entity_does_not_exist", 404 },
		{ "unsupported_action", 405 },
		{ "unsupported_attribute", 400 },
		{ "invalid_value", 400 },
		{ "unsupported_type", 400 },
		{ "invalid_configuration", 400 },
		{ "invalid_state", 409 },
		{ "entity_busy", 409 },
		{ "unable_to_connect", 409 },
		{ "already_connected", 409 },
		{ "no_data_available", 409 },
		{ "different_user", 401 },
	};

	for (size_t i = 0; code && i < sizeof(codes) / sizeof(codes[0]); i++)
		if (!strcmp(code, codes[i].code))
			return codes[i].http;
	return 500;
}

char *hm_fault_string(const struct hm_fault *f)
{
	json_t *j;
	char *s;

	j = json_pack("{s:s, s:s?, s:s, s:O?, s:s, s:i, s:s, s:b, s:[]}",
		      "type", f->type ? f->type : "internal",
		      "code", f->code,
		      "message", f->message,
		      "data", f->data,
		      "module", "hostmanager",
		      "httpcode", hm_fault_httpcode(f->code),
		      "onscreenmessage", f->message,
		      "todump", f->type && !strcmp(f->type, "internal"),
		      "trace");
	if (j && !f->data)
		json_object_set_new(j, "data", json_object());
	s = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(j);
	return s;
}
