/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Corsaro's ASCII form of every record: what the ascii output mode writes
 * and what cors2ascii prints for a binary file (reference/corsaro.md).
 * Each appends text to a buffer.
 */
#ifndef TBX_CORSARO_ASCII_H
#define TBX_CORSARO_ASCII_H

#include "record.h"

int cors_buf_printf(struct cors_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

int cors_ascii_header(struct cors_buf *b, const struct cors_header *h);
int cors_ascii_interval(struct cors_buf *b, const struct cors_interval *i, bool start);
int cors_ascii_trailer(struct cors_buf *b, const struct cors_trailer *t);
int cors_ascii_data_mark(struct cors_buf *b, uint32_t plugin_magic, bool start);
int cors_ascii_class_start(struct cors_buf *b, const struct cors_class_start *c);
int cors_ascii_class_end(struct cors_buf *b, uint16_t cls);
int cors_ascii_tuple(struct cors_buf *b, const struct cors_tuple *t);
int cors_ascii_dos_global(struct cors_buf *b, const struct cors_dos_global *g);
int cors_ascii_dos_count(struct cors_buf *b, uint32_t count);
int cors_ascii_dos_vector(struct cors_buf *b, const struct cors_dos_vector *v);

/* "flowtuple_backscatter", "flowtuple_icmpreq", "flowtuple_other". */
const char *cors_class_name(unsigned int cls);

#endif
