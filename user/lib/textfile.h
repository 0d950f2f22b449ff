/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A whole text file read into memory, for the CLI's inputs (XML, YAML). */
#ifndef TBX_TEXTFILE_H
#define TBX_TEXTFILE_H

#include <stddef.h>

/*
 * Reads @path, at most @max bytes, into *out (NUL-terminated; the caller
 * frees it) and its length into *len (may be NULL). A larger file or one
 * holding a NUL byte is refused with a message naming it.
 */
int tbx_read_text(const char *path, size_t max, char **out, size_t *len);

#endif
