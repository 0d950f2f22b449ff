/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Scratch directories for unit tests: made fresh, removed whole. */
#ifndef TBX_TEST_TMPDIR_H
#define TBX_TEST_TMPDIR_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

static int tmpdir_rm_one(const char *path, const struct stat *st, int flag,
			 struct FTW *ftw)
{
	remove(path);
	return 0;
}

/* Makes /tmp/<prefix>.XXXXXX into @dir (at least 64 bytes); 0 or -1. */
static inline int tmpdir_make(char *dir, size_t len, const char *prefix)
{
	snprintf(dir, len, "/tmp/%s.XXXXXX", prefix);
	return mkdtemp(dir) ? 0 : -1;
}

static inline void tmpdir_remove(const char *dir)
{
	nftw(dir, tmpdir_rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

#endif
