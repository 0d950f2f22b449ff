// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The event loop. The registry is an array rebuilt into a pollfd array
 * each iteration: tbxd watches a handful of fds, so a linear scan costs
 * less than keeping an epoll set in sync with it.
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "err.h"
#include "loop.h"

struct watch {
	int fd;
	short events;
	bool dead;		/* removed during dispatch, reaped after */
	tbxd_fd_fn fn;
	void *arg;
};

struct tbxd_loop {
	struct watch *w;
	size_t n, cap;
	struct pollfd *pfd;
	size_t pfd_cap;
	bool stop;
	bool dispatching;
};

struct tbxd_timer {
	struct tbxd_loop *loop;
	int fd;
	tbxd_timer_fn fn;
	void *arg;
};

int tbxd_loop_new(struct tbxd_loop **out)
{
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return tbx_err(ENOMEM, "event loop: out of memory");
	return 0;
}

void tbxd_loop_free(struct tbxd_loop *loop)
{
	if (!loop)
		return;
	free(loop->w);
	free(loop->pfd);
	free(loop);
}

void tbxd_loop_stop(struct tbxd_loop *loop)
{
	loop->stop = true;
}

static struct watch *find(struct tbxd_loop *loop, int fd)
{
	for (size_t i = 0; i < loop->n; i++)
		if (loop->w[i].fd == fd && !loop->w[i].dead)
			return &loop->w[i];
	return NULL;
}

int tbxd_loop_add_fd(struct tbxd_loop *loop, int fd, short events,
		     tbxd_fd_fn fn, void *arg)
{
	if (fd < 0 || !fn)
		return tbx_err(EINVAL, "event loop: bad watch for fd %d", fd);
	if (find(loop, fd))
		return tbx_err(EEXIST, "event loop: fd %d is already watched", fd);
	if (loop->n == loop->cap) {
		size_t cap = loop->cap ? 2 * loop->cap : 8;
		struct watch *w = reallocarray(loop->w, cap, sizeof(*w));

		if (!w)
			return tbx_err(ENOMEM, "event loop: out of memory");
		loop->w = w;
		loop->cap = cap;
	}
	loop->w[loop->n++] = (struct watch){
		.fd = fd, .events = events, .fn = fn, .arg = arg,
	};
	return 0;
}

void tbxd_loop_del_fd(struct tbxd_loop *loop, int fd)
{
	struct watch *w = find(loop, fd);

	if (!w)
		return;
	/* Indices must stay put while dispatch walks the pollfd array. */
	if (loop->dispatching) {
		w->dead = true;
		return;
	}
	*w = loop->w[--loop->n];
}

static void reap(struct tbxd_loop *loop)
{
	size_t j = 0;

	for (size_t i = 0; i < loop->n; i++)
		if (!loop->w[i].dead)
			loop->w[j++] = loop->w[i];
	loop->n = j;
}

static int build_pollfds(struct tbxd_loop *loop)
{
	if (loop->pfd_cap < loop->n) {
		struct pollfd *p = reallocarray(loop->pfd, loop->cap,
						sizeof(*p));

		if (!p)
			return tbx_err(ENOMEM, "event loop: out of memory");
		loop->pfd = p;
		loop->pfd_cap = loop->cap;
	}
	for (size_t i = 0; i < loop->n; i++)
		loop->pfd[i] = (struct pollfd){
			.fd = loop->w[i].fd, .events = loop->w[i].events,
		};
	return 0;
}

int tbxd_loop_run(struct tbxd_loop *loop)
{
	int err;

	loop->stop = false;
	while (!loop->stop) {
		size_t n = loop->n;

		err = build_pollfds(loop);
		if (err)
			return err;
		if (poll(loop->pfd, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			return tbx_err(errno, "event loop: poll: %m");
		}
		/* Watches added by a callback land past n: next iteration. */
		loop->dispatching = true;
		for (size_t i = 0; i < n && !loop->stop; i++) {
			struct watch w = loop->w[i];

			if (loop->pfd[i].revents && !w.dead)
				w.fn(loop, w.fd, loop->pfd[i].revents, w.arg);
		}
		loop->dispatching = false;
		reap(loop);
	}
	return 0;
}

static void timer_ready(struct tbxd_loop *loop, int fd, short revents,
			void *arg)
{
	struct tbxd_timer *t = arg;
	uint64_t expirations;

	/* EAGAIN: re-armed or disarmed since poll() saw it fire. */
	if (read(fd, &expirations, sizeof(expirations)) != sizeof(expirations))
		return;
	t->fn(t, expirations, t->arg);
}

int tbxd_timer_new(struct tbxd_loop *loop, tbxd_timer_fn fn, void *arg,
		   struct tbxd_timer **out)
{
	struct tbxd_timer *t;
	int err;

	t = calloc(1, sizeof(*t));
	if (!t)
		return tbx_err(ENOMEM, "timer: out of memory");
	t->loop = loop;
	t->fn = fn;
	t->arg = arg;
	t->fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (t->fd < 0) {
		err = tbx_err(errno, "timer: timerfd_create: %m");
		free(t);
		return err;
	}
	err = tbxd_loop_add_fd(loop, t->fd, POLLIN, timer_ready, t);
	if (err) {
		close(t->fd);
		free(t);
		return err;
	}
	*out = t;
	return 0;
}

void tbxd_timer_free(struct tbxd_timer *t)
{
	if (!t)
		return;
	tbxd_loop_del_fd(t->loop, t->fd);
	close(t->fd);
	free(t);
}

static struct timespec ns_to_ts(uint64_t ns)
{
	return (struct timespec){
		.tv_sec = ns / 1000000000, .tv_nsec = ns % 1000000000,
	};
}

int tbxd_timer_arm(struct tbxd_timer *t, uint64_t value_ns,
		   uint64_t interval_ns, int flags)
{
	struct itimerspec its = {
		.it_value = ns_to_ts(value_ns),
		.it_interval = ns_to_ts(interval_ns),
	};

	if (value_ns == 0)
		its.it_interval = ns_to_ts(0);
	if (timerfd_settime(t->fd, flags & TBXD_TIMER_ABS ? TFD_TIMER_ABSTIME : 0,
			    &its, NULL) < 0)
		return tbx_err(errno, "timer: timerfd_settime: %m");
	return 0;
}
