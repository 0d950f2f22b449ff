/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Scaffolding shared by the host BPF tests: shell commands (ip, tc,
 * sysctl in the test's namespaces), entering a network namespace, and
 * removing a test's directory tree (pins, output files) on every exit.
 */
#ifndef TBX_BPF_TEST_H
#define TBX_BPF_TEST_H

#include <fcntl.h>
#include <ftw.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

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

/*
 * Namespaces @a and @b (made here) joined by a veth pair named @dev at
 * both ends, @addr_a/24 and @addr_b/24 on them, both up. 0 or the failed
 * command's status; the caller deletes the namespaces either way.
 */
static int veth_pair(const char *a, const char *b, const char *dev, const char *addr_a,
		     const char *addr_b) __attribute__((unused));
static int veth_pair(const char *a, const char *b, const char *dev, const char *addr_a,
		     const char *addr_b)
{
	return sh("ip netns add %s && ip netns add %s", a, b) ?:
	       sh("ip -n %s link add %s type veth peer name %s netns %s", a, dev, dev, b) ?:
	       sh("ip -n %s addr add %s/24 dev %s && ip -n %s link set %s up", a, addr_a, dev, a, dev) ?:
	       sh("ip -n %s addr add %s/24 dev %s && ip -n %s link set %s up", b, addr_b, dev, b, dev);
}

/*
 * A test's two namespaces, by name, and the fds it enters them by.
 * netns_open_pair(): the fds from /run/netns (-1 when one cannot be
 * opened). netns_del_pair(): closes the fds and deletes the namespaces that
 * were named; idempotent, for the teardown and atexit() alike.
 */
static inline int netns_open_pair(char ns[2][32], int fd[2])
{
	char path[64];

	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "/run/netns/%s", ns[i]);
		fd[i] = open(path, O_RDONLY | O_CLOEXEC);
		if (fd[i] < 0)
			return -1;
	}
	return 0;
}

static inline void netns_del_pair(char ns[2][32], int fd[2])
{
	for (int i = 0; i < 2; i++) {
		if (fd[i] >= 0)
			close(fd[i]);
		fd[i] = -1;
		if (ns[i][0])
			sh("ip netns del %s 2>/dev/null", ns[i]);
		ns[i][0] = '\0';
	}
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
