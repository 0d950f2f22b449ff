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

/* Known to be in another mount namespace than PID 1 (unknown: no). */
static bool private_mount_ns(void)
{
	struct stat self, init;

	if (stat("/proc/self/ns/mnt", &self) || stat("/proc/1/ns/mnt", &init))
		return false;
	return self.st_ino != init.st_ino || self.st_dev != init.st_dev;
}

int tbx_bpffs_make_dir(const char *tool, const char *dir)
{
	int err;

	if (!on_bpffs(tbx_bpffs_root()) && !on_bpffs(TBX_BPFFS_DEFAULT)) {
		if (private_mount_ns())
			return tbx_err(ENOTSUP, "%s: no BPF file system at %s in "
				       "this mount namespace (ip netns exec?); pins made "
				       "here would vanish with it: run tbx under "
				       "nsenter --net=/run/netns/NAME", tool,
				       TBX_BPFFS_DEFAULT);
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
