/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Strict parsers for command-line values: whole string or an error. */
#ifndef TBX_PARSE_H
#define TBX_PARSE_H

#include <stdbool.h>
#include <stdint.h>

/* Decimal u32; an optional @suffix (e.g. "%") may follow. */
int tbx_parse_u32(const char *s, const char *suffix, uint32_t *out);
/* on|off|1|0|yes|no|true|false */
int tbx_parse_bool(const char *s, bool *out);

#endif
