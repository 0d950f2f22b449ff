// SPDX-License-Identifier: GPL-2.0-or-later
/* Signals as events: blocked, then read from a signalfd. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "err.h"
#include "signals.h"

struct tbxd_signals {
	struct tbxd_loop *loop;
	int fd;
	sigset_t old;
	tbxd_signal_fn fn;
	void *arg;
};

static void signals_ready(struct tbxd_loop *loop, int fd, short revents,
			  void *arg)
{
	struct tbxd_signals *s = arg;
	struct signalfd_siginfo si;

	while (read(fd, &si, sizeof(si)) == sizeof(si))
		s->fn(si.ssi_signo, s->arg);
}

int tbxd_signals_open(struct tbxd_loop *loop, tbxd_signal_fn fn, void *arg,
		      struct tbxd_signals **out)
{
	struct tbxd_signals *s;
	sigset_t set;
	int err;

	s = calloc(1, sizeof(*s));
	if (!s)
		return tbx_err(ENOMEM, "signals: out of memory");
	s->loop = loop;
	s->fn = fn;
	s->arg = arg;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	/* Blocked first, so one that arrives during start-up waits for us. */
	err = pthread_sigmask(SIG_BLOCK, &set, &s->old);
	if (err) {
		free(s);
		return tbx_err(err, "signals: sigprocmask failed");
	}
	s->fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (s->fd < 0) {
		err = tbx_err(errno, "signals: signalfd: %m");
		goto err_mask;
	}
	err = tbxd_loop_add_fd(loop, s->fd, POLLIN, signals_ready, s);
	if (err)
		goto err_fd;
	*out = s;
	return 0;

err_fd:
	close(s->fd);
err_mask:
	pthread_sigmask(SIG_SETMASK, &s->old, NULL);
	free(s);
	return err;
}

void tbxd_signals_close(struct tbxd_signals *s)
{
	if (!s)
		return;
	tbxd_loop_del_fd(s->loop, s->fd);
	close(s->fd);
	pthread_sigmask(SIG_SETMASK, &s->old, NULL);
	free(s);
}
