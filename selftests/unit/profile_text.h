/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by the profile tests: a profile read from a string, named "p.csv". */
#ifndef TBX_PROFILE_TEXT_H
#define TBX_PROFILE_TEXT_H

#include <stdio.h>
#include <string.h>

#include "profile.h"

/* tbx_profile_read() of @text; include after <cmocka.h>. */
static inline int parse(const char *text, struct tbx_profile *p)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int err;

	assert_non_null(f);
	err = tbx_profile_read(f, "p.csv", p);
	fclose(f);
	return err;
}

#endif
