// SPDX-License-Identifier: GPL-2.0-or-later
/* The BPF file system directories tbx pins into. */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <linux/magic.h>

#include "bpffs.h"
#include "err.h"
#include "meter.h"		/* TBX_BPFFS_DEFAULT, TBX_BPFFS_ENV */

const char *tbx_bpffs_root(void)
{
	const char *root = getenv(TBX_BPFFS_ENV);

	return root && *root ? root : TBX_BPFFS_DEFAULT;
}

int tbx_bpffs_tool_dir(const char *tool, char *buf, size_t len)
{
	if ((size_t)snprintf(buf, len, "%s/tbx/%s", tbx_bpffs_root(), tool) >= len)
		return tbx_err(ENAMETOOLONG, "%s: %s: path too long", tool,
			       tbx_bpffs_root());
	return 0;
}

static bool on_bpffs(const char *path)
{
	struct statfs st;

	return !statfs(path, &st) && st.f_type == BPF_FS_MAGIC;
}

/* mkdir -p, tolerating what exists. */
static int mkdir_p(const char *tool, const char *dir)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s", dir);
	for (char *p = path + 1; ; p++) {
		char c = *p;

		if (c && c != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) && errno != EEXIST)
			return tbx_err(errno, "%s: mkdir %s: %s", tool, path,
				       strerror(errno));
		*p = c;
		if (!c)
			return 0;
	}
}

static bool other_mount_ns(const char *path)
{
	struct stat self, them;

	if (stat("/proc/self/ns/mnt", &self) || stat(path, &them))
		return false;	/* unknown: no */
	return self.st_ino != them.st_ino || self.st_dev != them.st_dev;
}

/*
 * Known to be in a mount namespace of our own: another than PID 1's, or
 * than our parent's (ip netns exec unshares one and execs the command; in
 * a sandbox where PID 1 cannot be looked at, the parent still can).
 */
static bool private_mount_ns(void)
{
	char parent[32];

	snprintf(parent, sizeof(parent), "/proc/%d/ns/mnt", (int)getppid());
	return other_mount_ns("/proc/1/ns/mnt") || other_mount_ns(parent);
}

static int refuse_private(const char *tool)
{
	return tbx_err(ENOTSUP, "%s: no BPF file system at %s in this mount namespace "
		       "(ip netns exec?); pins made here would vanish with it: run tbx "
		       "under nsenter --net=/run/netns/NAME", tool, TBX_BPFFS_DEFAULT);
}

int tbx_bpffs_check_shared(const char *tool)
{
	if (!on_bpffs(tbx_bpffs_root()) && !on_bpffs(TBX_BPFFS_DEFAULT) && private_mount_ns())
		return refuse_private(tool);
	return 0;
}

int tbx_bpffs_make_dir(const char *tool, const char *dir)
{
	int err;

	if (!on_bpffs(tbx_bpffs_root()) && !on_bpffs(TBX_BPFFS_DEFAULT)) {
		if (private_mount_ns())
			return refuse_private(tool);
		if (mount("bpf", TBX_BPFFS_DEFAULT, "bpf", 0, "mode=0700"))
			return tbx_err(errno, "%s: mount bpffs at %s: %s", tool,
				       TBX_BPFFS_DEFAULT, strerror(errno));
	}
	err = mkdir_p(tool, dir);
	if (err)
		return err;
	if (!on_bpffs(dir))
		return tbx_err(ENOTSUP, "%s: %s is not on a BPF file system", tool, dir);
	return 0;
}
