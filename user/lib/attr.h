/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading reply attributes: each checks type and size first and, when they
 * are wrong, fails with -EBADMSG and a message naming the attribute's path
 * (@what, e.g. "config/max-runs").
 */
#ifndef TBX_ATTR_H
#define TBX_ATTR_H

#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

/* Copies a NUL-terminated string; also fails when it does not fit @len. */
int tbx_attr_strcpy(const struct nlattr *a, char *dst, size_t len, const char *what);
int tbx_attr_u32(const struct nlattr *a, uint32_t *v, const char *what);
int tbx_attr_u64(const struct nlattr *a, uint64_t *v, const char *what);
int tbx_attr_u16(const struct nlattr *a, uint16_t *v, const char *what);
/* Exactly @len bytes of payload (addresses and the like). */
int tbx_attr_binary(const struct nlattr *a, void *dst, size_t len, const char *what);
int tbx_attr_u8(const struct nlattr *a, uint8_t *v, const char *what);
int tbx_attr_nest(const struct nlattr *a, const char *what);

#endif
