/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Output files, plain or compressed by their name's suffix (".gz": zlib's
 * gzip, ".bz2": libbz2), and whole-file reads that undo either, found by
 * the data's own magic bytes, not the name.
 */
#ifndef TBX_CORSARO_STREAM_H
#define TBX_CORSARO_STREAM_H

#include <stddef.h>
#include <stdint.h>

enum cors_comp { CORS_COMP_NONE, CORS_COMP_GZ, CORS_COMP_BZ2 };

struct cors_stream;

/* The compression a file name asks for. */
enum cors_comp cors_comp_of(const char *path);
/* Creates (truncates) @path. */
int cors_stream_open(const char *path, struct cors_stream **s);
int cors_stream_write(struct cors_stream *s, const void *p, size_t n);
int cors_stream_printf(struct cors_stream *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
const char *cors_stream_path(const struct cors_stream *s);
/* Flushes and closes; frees @s even on failure. NULL is fine. */
int cors_stream_close(struct cors_stream *s);

/* Reads all of @path, decompressed, into *data (malloc'd, NUL added
 * after *len bytes). A truncated or corrupt compressed stream fails,
 * naming the decompressed byte offset it stopped at.
 */
int cors_read_all(const char *path, uint8_t **data, size_t *len);

#endif
