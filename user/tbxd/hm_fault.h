/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The hostmanager API's errors, as ToMaTo's hostmanager raises them: a
 * fault with code 999 whose faultString is the error as JSON ({type, code,
 * message, data, module, httpcode, ...}), which ToMaTo's backend parses.
 * One error at a time: the first check that fails sets it and the method
 * returns at once, having changed nothing.
 */
#ifndef TBXD_HM_FAULT_H
#define TBXD_HM_FAULT_H

#include <jansson.h>

#define HM_FAULT_CODE		999	/* every error */
#define HM_FAULT_NO_METHOD	26	/* an unknown method: "No such method!" */

struct hm_fault {
	const char *type;	/* "user", "internal" */
	const char *code;	/* "entity_does_not_exist", ... */
	char message[256];
	json_t *data;		/* an object, owned */
};

/* Sets f (type "user"); data is taken over (may be NULL). Returns -1 so
 * that `return hm_fail(f, ...)` reads well.
 */
int hm_fail(struct hm_fault *f, const char *code, json_t *data,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* An internal error carrying tbx_errmsg(). */
int hm_fail_internal(struct hm_fault *f, const char *code);
void hm_fault_clear(struct hm_fault *f);

/* The faultString: the error as ToMaTo's JSON (malloc'd). */
char *hm_fault_string(const struct hm_fault *f);
/* The HTTP status ToMaTo gives the error's code. */
int hm_fault_httpcode(const char *code);

#endif
