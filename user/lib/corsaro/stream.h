/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Output files, plain or compressed by their name's suffix (".gz": zlib's
 * gzip, ".bz2": libbz2), and input that undoes either as it is read,
 * found by the data's own magic bytes, not the name.
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

/* Input, decompressed piece by piece (gzip and bzip2 found by their
 * magic bytes). cors_in_read() gives up to @n bytes (*got 0: the end); a
 * truncated or corrupt compressed stream fails once the good bytes
 * before it are read, naming the decompressed byte offset. */
struct cors_in;

int cors_in_open(const char *path, struct cors_in **in);
int cors_in_read(struct cors_in *in, void *buf, size_t n, size_t *got);
void cors_in_close(struct cors_in *in);

#endif
