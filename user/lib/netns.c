// SPDX-License-Identifier: GPL-2.0-or-later
/* Named network namespaces (netns.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include "err.h"
#include "netns.h"

#define SELF_NS	"/proc/thread-self/ns/net"

static int path_of(const char *name, char *path, size_t len)
{
	if (!*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, "..") ||
	    (size_t)snprintf(path, len, "%s/%s", TBX_NETNS_DIR, name) >= len)
		return tbx_err(EINVAL, "netns \"%s\": not a namespace name", name);
	return 0;
}

/* True when @path is a mounted namespace (nsfs), not a stale file. */
static bool is_ns(const char *path)
{
	struct statfs sf;

	return !statfs(path, &sf) && sf.f_type == NSFS_MAGIC;
}

bool tbx_netns_exists(const char *name)
{
	char path[PATH_MAX];

	return !path_of(name, path, sizeof(path)) && is_ns(path);
}

/*
 * /run/netns as a shared mount, as ip makes it: a namespace mounted there
 * later shows in every mount namespace that copied it (ip netns exec's).
 */
static int shared_dir(void)
{
	if (mkdir(TBX_NETNS_DIR, 0755) && errno != EEXIST)
		return tbx_err(errno, "%s: %m", TBX_NETNS_DIR);
	if (!mount("", TBX_NETNS_DIR, "none", MS_SHARED | MS_REC, NULL))
		return 0;
	if (errno != EINVAL)
		return tbx_err(errno, "%s: cannot make it a shared mount: %m", TBX_NETNS_DIR);
	if (mount(TBX_NETNS_DIR, TBX_NETNS_DIR, "none", MS_BIND | MS_REC, NULL) ||
	    mount("", TBX_NETNS_DIR, "none", MS_SHARED | MS_REC, NULL))
		return tbx_err(errno, "%s: cannot make it a shared mount: %m", TBX_NETNS_DIR);
	return 0;
}

int tbx_netns_add(const char *name)
{
	char path[PATH_MAX];
	int fd, back, err = 0;

	if ((err = path_of(name, path, sizeof(path))))
		return err;
	if (is_ns(path))
		return 0;
	if ((err = shared_dir()))
		return err;
	/* A file left by a crash between create and mount is reused. */
	fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0);
	if (fd < 0)
		return tbx_err(errno, "%s: %m", path);
	close(fd);
	back = open(SELF_NS, O_RDONLY | O_CLOEXEC);
	if (back < 0) {
		err = tbx_err(errno, "%s: %m", SELF_NS);
		goto fail;
	}
	if (unshare(CLONE_NEWNET)) {
		err = tbx_err(errno, "netns %s: unshare: %m", name);
		close(back);
		goto fail;
	}
	if (mount(SELF_NS, path, "none", MS_BIND, NULL))
		err = tbx_err(errno, "netns %s: bind mount on %s: %m", name, path);
	if (setns(back, CLONE_NEWNET) && !err)
		err = tbx_err(errno, "netns %s: cannot return to the first namespace: %m", name);
	close(back);
	if (!err)
		return 0;
fail:
	unlink(path);
	return err;
}

int tbx_netns_del(const char *name)
{
	char path[PATH_MAX];
	int err;

	if ((err = path_of(name, path, sizeof(path))))
		return err;
	if (umount2(path, MNT_DETACH) && errno != EINVAL && errno != ENOENT)
		return tbx_err(errno, "netns %s: umount: %m", name);
	if (unlink(path) && errno != ENOENT)
		return tbx_err(errno, "netns %s: %m", name);
	return 0;
}

int tbx_netns_open(const char *name, int *fd)
{
	char path[PATH_MAX];
	int err;

	if ((err = path_of(name, path, sizeof(path))))
		return err;
	if (!is_ns(path))
		return tbx_err(ENOENT, "netns %s: no such namespace", name);
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0)
		return tbx_err(errno, "netns %s: %m", name);
	return 0;
}

int tbx_netns_enter(const char *name, int *back)
{
	int fd, err;

	if ((err = tbx_netns_open(name, &fd)))
		return err;
	*back = open(SELF_NS, O_RDONLY | O_CLOEXEC);
	if (*back < 0) {
		err = tbx_err(errno, "%s: %m", SELF_NS);
	} else if (setns(fd, CLONE_NEWNET)) {
		err = tbx_err(errno, "netns %s: setns: %m", name);
		close(*back);
	}
	close(fd);
	return err;
}

int tbx_netns_leave(int back)
{
	int err = 0;

	if (setns(back, CLONE_NEWNET))
		err = tbx_err(errno, "cannot return to the first network namespace: %m");
	close(back);
	return err;
}

int tbx_netns_run(const char *name, int (*fn)(void *arg), void *arg)
{
	int back, err, err2;

	if ((err = tbx_netns_enter(name, &back)))
		return err;
	err = fn(arg);
	err2 = tbx_netns_leave(back);
	return err ?: err2;
}
