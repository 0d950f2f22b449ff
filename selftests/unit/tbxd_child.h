/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A real tbxd for tests: tbxd_run() in a child process, as main() runs
 * it, started and stopped the same way by every test that needs one.
 * Include after cmocka.h (setup failures are test failures).
 */
#ifndef TBX_TBXD_CHILD_H
#define TBX_TBXD_CHILD_H

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "err.h"
#include "tbxd.h"

/*
 * Starts tbxd with @state_dir and @sock, its stderr appended to @log, in
 * the network namespace @netns_fd when >= 0; returns its pid once it
 * serves (its readiness byte).
 */
static pid_t tbxd_child_start(const char *state_dir, const char *sock,
			      const char *log, int netns_fd)
{
	int pfd[2];
	pid_t pid;
	char c;

	assert_int_equal(pipe2(pfd, O_CLOEXEC), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct tbxd_config cfg = {
			.state_dir = state_dir,
			.sock_path = sock,
			.ready_fd = pfd[1],
		};
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
		int err;

		/* Never outlive the test, even when it crashes. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(pfd[0]);
		if (fd >= 0)
			dup2(fd, STDERR_FILENO);
		if (netns_fd >= 0 && setns(netns_fd, CLONE_NEWNET)) {
			perror("setns");
			_exit(1);
		}
		err = tbxd_run(&cfg);
		if (err)
			fprintf(stderr, "tbxd: %s\n", tbx_errmsg());
		_exit(err ? 1 : 0);
	}
	close(pfd[1]);
	/* One byte when ready; EOF when the child died first. */
	assert_int_equal(read(pfd[0], &c, 1), 1);
	close(pfd[0]);
	return pid;
}

/* Sends @sig to *@pid and waits for it; nothing when there is none. */
static inline void tbxd_child_reap(pid_t *pid, int sig)
{
	if (*pid <= 0)
		return;
	kill(*pid, sig);
	waitpid(*pid, NULL, 0);
	*pid = 0;
}

#endif
