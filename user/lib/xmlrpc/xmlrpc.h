/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * XML-RPC (with the nil extension) as JSON values: tbxd's hostmanager API
 * reads calls and writes responses with these, so its methods see jansson
 * values like the rest of tbxd.
 *   int, i4, i8  <-> integer     double <-> real     boolean <-> true/false
 *   string, a bare <value>text</value> <-> string    nil <-> null
 *   struct <-> object            array  <-> array
 *   dateTime.iso8601 -> string (as sent)   base64 -> string (decoded, no NUL)
 */
#ifndef TBX_XMLRPC_H
#define TBX_XMLRPC_H

#include <stddef.h>
#include <jansson.h>

#define TBX_XMLRPC_DEPTH_MAX	32	/* nested arrays and structs */

/*
 * Reads a <methodCall>: *method is the method's name (malloc'd), *params a
 * JSON array of its parameters. Errors name the bad part ("XML-RPC: line
 * 3: <value> holds <integer>, not a type").
 */
int tbx_xmlrpc_read_call(const char *buf, size_t len, char **method,
			 json_t **params);

/* A <methodResponse> carrying value (NULL when out of memory). */
char *tbx_xmlrpc_write_response(const json_t *value, size_t *len);
/* A <methodResponse> carrying a fault. */
char *tbx_xmlrpc_write_fault(int code, const char *msg, size_t *len);

#endif
