// SPDX-License-Identifier: GPL-2.0-or-later
/* Binding tbxd's UNIX socket: stale files, live peers, modes. */
#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "err.h"
#include "listen.h"
#include "log.h"

static int make_parent(const char *path)
{
	char *copy = strdup(path), *dir;
	struct stat st;
	int err = 0;

	if (!copy)
		return tbx_err(ENOMEM, "socket: out of memory");
	dir = dirname(copy);
	if (mkdir(dir, TBXD_SOCK_DIR_MODE) == 0) {
		/* umask may have taken bits clients need to reach the socket. */
		if (chmod(dir, TBXD_SOCK_DIR_MODE) < 0)
			err = tbx_err(errno, "chmod %s: %m", dir);
	} else if (errno != EEXIST) {
		err = tbx_err(errno, "cannot create socket directory %s: %m", dir);
	} else if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		err = tbx_err(ENOTDIR, "%s is not a directory", dir);
	}
	free(copy);
	return err;
}

/* 0 when path is free (a stale socket file has been removed). */
static int check_stale(const char *path, const struct sockaddr_un *sun)
{
	struct stat st;
	int fd, ret;

	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		return tbx_err(errno, "cannot check %s: %m", path);
	}
	if (!S_ISSOCK(st.st_mode))
		return tbx_err(EEXIST, "%s exists and is not a socket; not touching it",
			       path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return tbx_err(errno, "socket: %m");
	/* Non-blocking: a live tbxd with a full backlog says EAGAIN. */
	ret = connect(fd, (const struct sockaddr *)sun, sizeof(*sun));
	if (ret == 0 || errno == EAGAIN || errno == EINPROGRESS) {
		ret = tbx_err(EADDRINUSE, "another tbxd is already serving %s; not starting",
			      path);
	} else if (errno == ECONNREFUSED) {
		if (unlink(path) < 0 && errno != ENOENT) {
			ret = tbx_err(errno, "cannot remove stale socket %s: %m",
				      path);
		} else {
			tbxd_log("removed stale socket %s", path);
			ret = 0;
		}
	} else {
		ret = tbx_err(errno, "cannot check %s: connect: %m", path);
	}
	close(fd);
	return ret;
}

int tbxd_listen_open(const char *path, struct tbxd_listener **out)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct tbxd_listener *l;
	struct stat st;
	mode_t mask;
	int err;

	if (!*path || strlen(path) >= sizeof(sun.sun_path))
		return tbx_err(ENAMETOOLONG, "bad socket path \"%s\" (1 to %zu bytes)",
			       path, sizeof(sun.sun_path) - 1);
	strcpy(sun.sun_path, path);
	err = make_parent(path);
	if (err)
		return err;
	err = check_stale(path, &sun);
	if (err)
		return err;

	l = calloc(1, sizeof(*l));
	if (!l || !(l->path = strdup(path))) {
		free(l);
		return tbx_err(ENOMEM, "socket: out of memory");
	}
	l->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (l->fd < 0) {
		err = tbx_err(errno, "socket: %m");
		goto err_free;
	}
	/* The file never exists with looser bits than 0660. */
	mask = umask(0777 & ~TBXD_SOCK_MODE);
	err = bind(l->fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(mask);
	if (err < 0) {
		err = tbx_err(errno, "bind %s: %m", path);
		goto err_close;
	}
	if (chmod(path, TBXD_SOCK_MODE) < 0 || stat(path, &st) < 0) {
		err = tbx_err(errno, "chmod %s: %m", path);
		goto err_unlink;
	}
	l->dev = st.st_dev;
	l->ino = st.st_ino;
	if (listen(l->fd, SOMAXCONN) < 0) {
		err = tbx_err(errno, "listen %s: %m", path);
		goto err_unlink;
	}
	*out = l;
	return 0;

err_unlink:
	unlink(path);
err_close:
	close(l->fd);
err_free:
	free(l->path);
	free(l);
	return err;
}

void tbxd_listen_unlink(struct tbxd_listener *l)
{
	struct stat st;

	if (l->unlinked)
		return;
	l->unlinked = true;
	if (lstat(l->path, &st) == 0 && st.st_dev == l->dev &&
	    st.st_ino == l->ino)
		unlink(l->path);
}

void tbxd_listen_close(struct tbxd_listener *l)
{
	if (!l)
		return;
	tbxd_listen_unlink(l);
	if (l->fd >= 0)
		close(l->fd);
	free(l->path);
	free(l);
}
