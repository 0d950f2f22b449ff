// SPDX-License-Identifier: GPL-2.0-or-later
/* cgroup v2 groups (cgroup.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cgroup.h"
#include "err.h"

/* The controllers a topology node's limits use. */
static const char *const wanted[] = { "cpu", "memory", "io", "pids" };

const char *tbx_cgroup_root(void)
{
	const char *r = getenv("TBX_CGROUP_ROOT");

	if (r && *r)
		return r;
	/* systemd's hybrid layout keeps cgroup2 under unified/. */
	if (access("/sys/fs/cgroup/cgroup.controllers", F_OK) &&
	    !access("/sys/fs/cgroup/unified/cgroup.controllers", F_OK))
		return "/sys/fs/cgroup/unified";
	return "/sys/fs/cgroup";
}

static int path_of(const char *rel, const char *file, char *path, size_t len)
{
	if (!*rel || rel[0] == '/' || strstr(rel, "..") ||
	    (size_t)snprintf(path, len, "%s/%s%s%s", tbx_cgroup_root(), rel,
			     file ? "/" : "", file ?: "") >= len)
		return tbx_err(EINVAL, "cgroup \"%s\": not a group path", rel);
	return 0;
}

static int write_file(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, value, strlen(value));
	if (n < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	close(fd);
	return 0;
}

static int read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

int tbx_cgroup_read(const char *rel, const char *file, char *buf, size_t len)
{
	char path[512];
	int err;

	if ((err = path_of(rel, file, path, sizeof(path))))
		return err;
	if ((err = read_file(path, buf, len)))
		return tbx_err(err, "%s: %s", path, strerror(-err));
	return 0;
}

int tbx_cgroup_read_u64(const char *rel, const char *file, const char *key,
			unsigned long long *value)
{
	char path[512], buf[4096], *p = buf, *end;
	int err;

	if ((err = path_of(rel, file, path, sizeof(path))))
		return err;
	if ((err = read_file(path, buf, sizeof(buf))))
		return tbx_err(err, "%s: %s", path, strerror(-err));
	if (key) {
		size_t n = strlen(key);

		for (p = buf; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
			if (!strncmp(p, key, n) && p[n] == ' ')
				break;
		if (!p)
			return tbx_err(ENOENT, "%s: no %s", path, key);
		p += n + 1;
	}
	errno = 0;
	*value = strtoull(p, &end, 10);
	if (errno || end == p || (*end && *end != '\n'))
		return tbx_err(EBADMSG, "%s: %s is not a number", path, key ?: "the value");
	return 0;
}

/* True when the space-separated @list holds @word. */
static bool has_word(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = strstr(list, word); p; p = strstr(p + 1, word))
		if ((p == list || p[-1] == ' ') && (!p[n] || p[n] == ' ' || p[n] == '\n'))
			return true;
	return false;
}

/*
 * Offers @dir's children every wanted controller @dir has and does not
 * offer yet (a write to subtree_control is not free: skip it when done).
 */
static int delegate(const char *dir)
{
	char have[512], on[512], ctl[PATH_MAX + 32], path[PATH_MAX + 32];
	int err;

	snprintf(path, sizeof(path), "%s/cgroup.controllers", dir);
	if ((err = read_file(path, have, sizeof(have))))
		return tbx_err(err, "%s: %s", path, strerror(-err));
	snprintf(ctl, sizeof(ctl), "%s/cgroup.subtree_control", dir);
	if ((err = read_file(ctl, on, sizeof(on))))
		return tbx_err(err, "%s: %s", ctl, strerror(-err));
	for (size_t i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++) {
		char word[16];

		if (!has_word(have, wanted[i]) || has_word(on, wanted[i]))
			continue;
		snprintf(word, sizeof(word), "+%s", wanted[i]);
		err = write_file(ctl, word);
		if (err)
			return tbx_err(err, "%s: cannot enable %s: %s", ctl, wanted[i],
				       strerror(-err));
	}
	return 0;
}

int tbx_cgroup_add(const char *rel)
{
	char path[PATH_MAX], parts[PATH_MAX], *save = NULL;
	int err;

	if ((err = path_of(rel, NULL, path, sizeof(path))))
		return err;
	snprintf(path, sizeof(path), "%s", tbx_cgroup_root());
	snprintf(parts, sizeof(parts), "%s", rel);
	/* Each level: its parent offers the controllers, then it is made. */
	for (char *c = strtok_r(parts, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		size_t n = strlen(path);

		if ((err = delegate(path)))
			return err;
		snprintf(path + n, sizeof(path) - n, "/%s", c);
		if (mkdir(path, 0755) && errno != EEXIST)
			return tbx_err(errno, "%s: %m", path);
	}
	return 0;
}

bool tbx_cgroup_exists(const char *rel)
{
	char path[PATH_MAX];
	struct stat st;

	return !path_of(rel, "cgroup.procs", path, sizeof(path)) && !stat(path, &st);
}

int tbx_cgroup_write(const char *rel, const char *file, const char *value)
{
	char path[PATH_MAX];
	int err;

	if ((err = path_of(rel, file, path, sizeof(path))))
		return err;
	err = write_file(path, value);
	if (err)
		return tbx_err(err, "%s: cannot write \"%s\": %s", path, value,
			       err == -ENOENT ? "the kernel has no such control (controller off or not built)"
					      : strerror(-err));
	return 0;
}

int tbx_cgroup_enter(const char *rel, int pid)
{
	char value[24];

	snprintf(value, sizeof(value), "%d", pid ? pid : (int)getpid());
	return tbx_cgroup_write(rel, "cgroup.procs", value);
}

static bool populated(const char *events)
{
	char buf[256];

	return !read_file(events, buf, sizeof(buf)) && !strstr(buf, "populated 0");
}

int tbx_cgroup_del(const char *rel)
{
	char path[PATH_MAX], events[PATH_MAX + 16];
	int err;

	if ((err = path_of(rel, NULL, path, sizeof(path))))
		return err;
	if (!tbx_cgroup_exists(rel))
		return 0;
	snprintf(events, sizeof(events), "%s/cgroup.events", path);
	if (populated(events)) {
		err = tbx_cgroup_write(rel, "cgroup.kill", "1");
		if (err)
			return err;
		/* SIGKILL is delivered at once; exit takes a few ms (bounded). */
		for (int i = 0; i < 500 && populated(events); i++)
			nanosleep(&(struct timespec){ .tv_nsec = 10 * 1000 * 1000 }, NULL);
	}
	if (rmdir(path) && errno != ENOENT)
		return tbx_err(errno, "%s: %m", path);
	return 0;
}

int tbx_cgroup_prune(const char *rel)
{
	char path[PATH_MAX];
	int err;

	if ((err = path_of(rel, NULL, path, sizeof(path))))
		return err;
	if (rmdir(path) && errno != ENOENT && errno != EBUSY && errno != ENOTEMPTY)
		return tbx_err(errno, "%s: %m", path);
	return 0;
}
