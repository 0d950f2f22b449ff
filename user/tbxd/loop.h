/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tbxd's event loop: one thread, one poll(2) over a small registry of
 * file descriptors, each with a callback. Timers are timerfds in the same
 * registry, so the kernel does the timing and poll() never needs a
 * timeout. Modules register what they watch at start-up (the HTTP
 * server's epoll fd, the signalfd) or later (a run scheduler's timers).
 */
#ifndef TBXD_LOOP_H
#define TBXD_LOOP_H

#include <stdint.h>

struct tbxd_loop;
struct tbxd_timer;

/* Called with the poll(2) revents of fd. */
typedef void (*tbxd_fd_fn)(struct tbxd_loop *loop, int fd, short revents,
			   void *arg);
/* Called once per wake-up; expirations counts periods missed since. */
typedef void (*tbxd_timer_fn)(struct tbxd_timer *t, uint64_t expirations,
			      void *arg);

int tbxd_loop_new(struct tbxd_loop **out);
/* The registry must be empty (every module removed its fds). */
void tbxd_loop_free(struct tbxd_loop *loop);
/* Runs until tbxd_loop_stop(); returns 0 or a negative errno. */
int tbxd_loop_run(struct tbxd_loop *loop);
void tbxd_loop_stop(struct tbxd_loop *loop);

/* fd stays owned by the caller. At most one watch per fd. Safe to call
 * from a callback: an added fd is polled from the next iteration on, a
 * removed one is never called again.
 */
int tbxd_loop_add_fd(struct tbxd_loop *loop, int fd, short events,
		     tbxd_fd_fn fn, void *arg);
void tbxd_loop_del_fd(struct tbxd_loop *loop, int fd);

/* A CLOCK_MONOTONIC timer, disarmed until tbxd_timer_arm(). */
int tbxd_timer_new(struct tbxd_loop *loop, tbxd_timer_fn fn, void *arg,
		   struct tbxd_timer **out);
void tbxd_timer_free(struct tbxd_timer *t);

#define TBXD_TIMER_ABS	1	/* value_ns is a CLOCK_MONOTONIC time */

/* Fires after value_ns (or at it, with TBXD_TIMER_ABS), then every
 * interval_ns when that is not 0. value_ns == 0 disarms.
 */
int tbxd_timer_arm(struct tbxd_timer *t, uint64_t value_ns,
		   uint64_t interval_ns, int flags);

#endif
