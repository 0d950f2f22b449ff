// SPDX-License-Identifier: GPL-2.0-or-later
/* io runs: a paced O_DIRECT writer and reader thread per run. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/param.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "io_run.h"
#include "loop.h"

#define IO_ALIGN	4096
#define IO_BLOCK_MAX	(1 << 20)
#define IO_NAP_MAX_NS	(50 * 1000000LL)	/* the stop flag is seen this soon */

struct io_run {
	struct tbxd_loop *loop;
	pthread_t thread;
	bool joined;
	int efd;
	int fd;
	char path[4096];
	double bytes_s;
	unsigned int sleep_ms;
	uint64_t duration_ns;
	size_t block;
	void *buf;
	atomic_bool stop;
	/* Written by the thread, read after it is joined. */
	int err;
	char msg[256];
	uint64_t written, read;
	io_run_done_fn done;
	void *arg;
};

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void nap(int64_t ns)
{
	struct timespec ts;

	if (ns <= 0)
		return;
	if (ns > IO_NAP_MAX_NS)
		ns = IO_NAP_MAX_NS;
	ts.tv_sec = ns / 1000000000;
	ts.tv_nsec = ns % 1000000000;
	nanosleep(&ts, NULL);
}

static int fail(struct io_run *io, int err, const char *what)
{
	io->err = -err;
	snprintf(io->msg, sizeof(io->msg), "%s %.160s: %s", what, io->path, strerror(err));
	return -err;
}

static void *io_thread(void *arg)
{
	struct io_run *io = arg;
	int64_t t0 = mono_ns(), end = t0 + (int64_t)io->duration_ns;
	uint64_t off = 0, one = 1;
	ssize_t w;

	while (!atomic_load(&io->stop)) {
		int64_t now = mono_ns();
		/* Where the written bytes should be by now, at the rate. */
		double due = io->bytes_s * (now - t0) / 1e9;
		ssize_t n;

		if (now >= end)
			break;
		if ((double)io->written >= due) {
			int64_t ahead = (int64_t)((io->written + io->block - due) /
						  io->bytes_s * 1e9);

			/* Never past the end: the run stops on time. */
			nap(ahead < end - now ? ahead : end - now);
			continue;
		}
		n = pwrite(io->fd, io->buf, io->block, off);
		if (n != (ssize_t)io->block) {
			fail(io, n < 0 ? errno : EIO, "write");
			break;
		}
		io->written += n;
		n = pread(io->fd, io->buf, io->block, off);
		if (n != (ssize_t)io->block) {
			fail(io, n < 0 ? errno : EIO, "read");
			break;
		}
		io->read += n;
		off += io->block;
		if (off + io->block > IO_RUN_FILE_MAX)
			off = 0;
		if (io->sleep_ms)
			nap(MIN((int64_t)io->sleep_ms * 1000000, end - mono_ns()));
	}
	/* Cannot fail: one write per run, the counter never fills. */
	w = write(io->efd, &one, sizeof(one));
	(void)w;
	return NULL;
}

static void join(struct io_run *io)
{
	if (io->joined)
		return;
	pthread_join(io->thread, NULL);
	io->joined = true;
	close(io->fd);
	io->fd = -1;
	unlink(io->path);
}

static void on_done(struct tbxd_loop *loop, int fd, short revents, void *arg)
{
	struct io_run *io = arg;
	uint64_t v;

	if (read(fd, &v, sizeof(v)) != sizeof(v))
		return;
	tbxd_loop_del_fd(io->loop, io->efd);
	join(io);
	io->done(io, io->arg);
}

int io_run_start(struct tbxd_loop *loop, const char *dir, const char *tag,
		 double mib_s, size_t block, unsigned int sleep_ms,
		 uint64_t duration_ns, io_run_done_fn done, void *arg, struct io_run **out)
{
	struct io_run *io;
	int err;

	if (!(mib_s > 0) || mib_s > 1e6)
		return tbx_err(EINVAL, "io rate %g MiB/s is out of range", mib_s);
	io = calloc(1, sizeof(*io));
	if (!io)
		return tbx_err(ENOMEM, "out of memory");
	io->loop = loop;
	io->fd = io->efd = -1;
	io->joined = true;
	io->bytes_s = mib_s * (1 << 20);
	io->sleep_ms = sleep_ms;
	io->duration_ns = duration_ns;
	io->done = done;
	io->arg = arg;
	if (block > IO_RUN_FILE_MAX / 4)
		block = IO_RUN_FILE_MAX / 4;
	else if (!block)	/* about ten blocks a second */
		block = (size_t)(io->bytes_s / 10) > IO_BLOCK_MAX ? IO_BLOCK_MAX :
			(size_t)(io->bytes_s / 10);
	/* Aligned for O_DIRECT. */
	block = block / IO_ALIGN * IO_ALIGN;
	io->block = block < IO_ALIGN ? IO_ALIGN : block;
	snprintf(io->path, sizeof(io->path), "%s/%s.io", dir, tag);
	if (posix_memalign(&io->buf, IO_ALIGN, io->block)) {
		err = tbx_err(ENOMEM, "out of memory");
		goto fail;
	}
	memset(io->buf, 0xa5, io->block);
	io->fd = open(io->path, O_RDWR | O_CREAT | O_TRUNC | O_DIRECT | O_CLOEXEC, 0600);
	if (io->fd < 0) {
		err = errno == EINVAL ?
			tbx_err(EINVAL, "io directory %s: its file system refuses O_DIRECT", dir) :
			tbx_err(errno, "io file %s: %m", io->path);
		goto fail;
	}
	io->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (io->efd < 0) {
		err = tbx_err(errno, "eventfd: %m");
		goto fail;
	}
	err = tbxd_loop_add_fd(loop, io->efd, POLLIN, on_done, io);
	if (err)
		goto fail;
	err = pthread_create(&io->thread, NULL, io_thread, io);
	if (err) {
		tbxd_loop_del_fd(loop, io->efd);
		err = tbx_err(err, "cannot start the io thread: %s", strerror(err));
		goto fail;
	}
	io->joined = false;
	*out = io;
	return 0;

fail:
	if (io->fd >= 0) {
		close(io->fd);
		unlink(io->path);
	}
	if (io->efd >= 0)
		close(io->efd);
	free(io->buf);
	free(io);
	return err;
}

int io_run_result(const struct io_run *io, char *msg, size_t len,
		  uint64_t *written, uint64_t *read)
{
	snprintf(msg, len, "%s", io->msg);
	*written = io->written;
	*read = io->read;
	return io->err;
}

void io_run_free(struct io_run *io)
{
	if (!io)
		return;
	if (!io->joined) {
		atomic_store(&io->stop, true);
		tbxd_loop_del_fd(io->loop, io->efd);
		join(io);
	}
	close(io->efd);
	free(io->buf);
	free(io);
}

void io_run_remove_leftover(const char *dir, const char *tag)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s.io", dir, tag);
	unlink(path);
}
