// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <string.h>

#include "attr.h"
#include "err.h"

int tbx_attr_strcpy(const struct nlattr *a, char *dst, size_t len, const char *what)
{
	if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
		return tbx_err(EBADMSG, "reply: %s is not a string", what);
	if (strlen(mnl_attr_get_str(a)) >= len)
		return tbx_err(EBADMSG, "reply: %s is longer than %zu bytes", what, len - 1);
	strcpy(dst, mnl_attr_get_str(a));
	return 0;
}

int tbx_attr_u32(const struct nlattr *a, uint32_t *v, const char *what)
{
	if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
		return tbx_err(EBADMSG, "reply: %s is not a u32", what);
	*v = mnl_attr_get_u32(a);
	return 0;
}

int tbx_attr_u64(const struct nlattr *a, uint64_t *v, const char *what)
{
	if (mnl_attr_validate(a, MNL_TYPE_U64) < 0)
		return tbx_err(EBADMSG, "reply: %s is not a u64", what);
	*v = mnl_attr_get_u64(a);
	return 0;
}

int tbx_attr_u16(const struct nlattr *a, uint16_t *v, const char *what)
{
	if (mnl_attr_validate(a, MNL_TYPE_U16) < 0)
		return tbx_err(EBADMSG, "reply: %s is not a u16", what);
	*v = mnl_attr_get_u16(a);
	return 0;
}

int tbx_attr_binary(const struct nlattr *a, void *dst, size_t len, const char *what)
{
	if (mnl_attr_get_payload_len(a) != len)
		return tbx_err(EBADMSG, "reply: %s is not %zu bytes", what, len);
	memcpy(dst, mnl_attr_get_payload(a), len);
	return 0;
}

int tbx_attr_u8(const struct nlattr *a, uint8_t *v, const char *what)
{
	if (mnl_attr_validate(a, MNL_TYPE_U8) < 0)
		return tbx_err(EBADMSG, "reply: %s is not a u8", what);
	*v = mnl_attr_get_u8(a);
	return 0;
}

int tbx_attr_nest(const struct nlattr *a, const char *what)
{
	if (mnl_attr_validate(a, MNL_TYPE_NESTED) < 0)
		return tbx_err(EBADMSG, "reply: %s is not a nest", what);
	return 0;
}
