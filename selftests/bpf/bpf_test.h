/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Scaffolding shared by the host BPF tests: shell commands (ip, tc,
 * sysctl in the test's namespaces), entering a network namespace, and
 * removing a test's directory tree (pins, output files) on every exit.
 */
#ifndef TBX_BPF_TEST_H
#define TBX_BPF_TEST_H

#include <ftw.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>

/* Runs a formatted shell command; its exit status, -1 if it died. */
static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2), unused));
static int sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Moves this thread into the network namespace @fd; a test cannot go
 * on in the wrong one.
 */
static inline void enter(int fd)
{
	if (setns(fd, CLONE_NEWNET)) {
		perror("setns");
		abort();
	}
}

static inline int rm_one(const char *path, const struct stat *st, int flag,
			 struct FTW *ftw)
{
	remove(path);
	return 0;
}

/* rm -r @path, best effort (cleanup paths must not fail). */
static inline void rm_tree(const char *path)
{
	nftw(path, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

#endif
