/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tbxd's UNIX socket. Bound here rather than by libmicrohttpd so that a
 * stale socket file can be told from a live tbxd, and so that the file's
 * mode is right from the moment it exists.
 */
#ifndef TBXD_LISTEN_H
#define TBXD_LISTEN_H

#include <stdbool.h>
#include <sys/types.h>

struct tbxd_listener {
	int fd;			/* listening, non-blocking */
	char *path;
	dev_t dev;		/* identify our socket file, to never */
	ino_t ino;		/* unlink one a later tbxd bound */
	bool unlinked;
};

#define TBXD_SOCK_MODE	0660
#define TBXD_SOCK_DIR_MODE	0755

/* -EADDRINUSE when something answers on path. */
int tbxd_listen_open(const char *path, struct tbxd_listener **out);
/* Removes the socket file (if it is still ours): new clients get ENOENT. */
void tbxd_listen_unlink(struct tbxd_listener *l);
void tbxd_listen_close(struct tbxd_listener *l);

#endif
