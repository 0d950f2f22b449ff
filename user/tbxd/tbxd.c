// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tbxd_run(): the start-up ladder, the loop, and its unwinding. The
 * socket is claimed before the state file is opened, so a second tbxd
 * is turned away before it touches anything.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accounting.h"
#include "api.h"
#include "err.h"
#include "http.h"
#include "listen.h"
#include "log.h"
#include "scheduler.h"
#include "loop.h"
#include "signals.h"
#include "state.h"
#include "tap_session.h"
#include "hostmanager.h"
#include "pushback_listen.h"
#include "detector.h"
#include "tbxd.h"

/* How long in-flight requests get to finish after SIGTERM. */
#define TBXD_DRAIN_NS	(5ULL * 1000000000)

static int make_state_dir(const char *dir)
{
	struct stat st;

	if (mkdir(dir, TBXD_STATE_DIR_MODE) == 0) {
		/* Exactly 0750 whatever the umask: no one else reads state. */
		if (chmod(dir, TBXD_STATE_DIR_MODE) < 0)
			return tbx_err(errno, "chmod %s: %m", dir);
		return 0;
	}
	if (errno != EEXIST)
		return tbx_err(errno, "cannot create state directory %s: %m", dir);
	if (stat(dir, &st) < 0)
		return tbx_err(errno, "%s: %m", dir);
	if (!S_ISDIR(st.st_mode))
		return tbx_err(ENOTDIR, "state directory %s is not a directory", dir);
	return 0;
}

static void stop_now(void *arg)
{
	struct tbxd *d = arg;

	tbxd_loop_stop(d->loop);
}

static void on_drain_timeout(struct tbxd_timer *t, uint64_t expirations,
			     void *arg)
{
	tbxd_log("connections still open after shutdown grace time; closing them");
	stop_now(arg);
}

static void on_signal(int signo, void *arg)
{
	struct tbxd *d = arg;

	if (signo == SIGHUP) {
		tbxd_log("SIGHUP: nothing to reload");
		return;
	}
	if (d->stopping) {
		/* A second SIGTERM/SIGINT: no more waiting. */
		stop_now(d);
		return;
	}
	d->stopping = true;
	tbxd_log("stopping on SIG%s", sigabbrev_np(signo));
	/* New clients now get ENOENT; those connected get their answers. */
	tbxd_listen_unlink(d->listener);
	if (tbxd_timer_new(d->loop, on_drain_timeout, d, &d->drain_timer) ||
	    tbxd_timer_arm(d->drain_timer, TBXD_DRAIN_NS, 0, 0)) {
		stop_now(d);
		return;
	}
	tbxd_http_drain(d->http, stop_now, d);
}

static int note_start(struct tbxd *d)
{
	struct tm tm;
	time_t now = time(NULL);

	clock_gettime(CLOCK_MONOTONIC, &d->started_mono);
	gmtime_r(&now, &tm);
	strftime(d->started_at, sizeof(d->started_at), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return tbxd_state_record_start(d->state, d->started_at, getpid(),
				       TBX_VERSION, &d->starts);
}

static void notify_ready(int fd)
{
	if (fd < 0)
		return;
	if (write(fd, "R", 1) != 1)
		tbxd_log("cannot report readiness: %m");
	close(fd);
}

int tbxd_run(const struct tbxd_config *cfg)
{
	struct tbxd d = { .cfg = cfg };
	int err;

	if (asprintf(&d.db_path, "%s/%s", cfg->state_dir, TBXD_DB_NAME) < 0)
		return tbx_err(ENOMEM, "out of memory");
	err = tbxd_loop_new(&d.loop);
	if (err)
		goto err_path;
	err = tbxd_signals_open(d.loop, on_signal, &d, &d.signals);
	if (err)
		goto err_loop;
	err = tbxd_listen_open(cfg->sock_path, &d.listener);
	if (err)
		goto err_signals;
	err = make_state_dir(cfg->state_dir);
	if (err)
		goto err_listen;
	err = tbxd_state_open(d.db_path, &d.state);
	if (err)
		goto err_listen;
	err = note_start(&d);
	if (err)
		goto err_state;
	/* Topologies are whole again before anyone can ask about them. */
	tbxd_topology_reconcile(&d);
	err = tbxd_sched_start(&d, &d.sched);
	if (err)
		goto err_state;
	err = tbxd_taps_start(&d, &d.taps);
	if (err)
		goto err_sched;
	err = tbxd_accounting_start(&d, &d.accounting);
	if (err)
		goto err_taps;
	err = tbxd_api_new(&d.api);
	if (err)
		goto err_accounting;
	err = tbxd_http_start(d.loop, d.listener->fd, d.api, &d, &d.http);
	if (err)
		goto err_api;
	if (cfg->hm_listen &&
	    !(d.hm_address = strndup(cfg->hm_listen, strcspn(cfg->hm_listen, ":")))) {
		err = tbx_err(ENOMEM, "out of memory");
		goto err_http;
	}
	err = tbxd_hostmanager_start(&d, &d.hostmanager);
	if (err)
		goto err_http;
	err = tbxd_pushback_start(&d, &d.pushback);
	if (err)
		goto err_hostmanager;
	err = tbxd_detectors_start(&d, &d.detectors);
	if (err)
		goto err_pushback;

	tbxd_log("started: version %s, pid %d, socket %s, state %s (start %lld)",
		 TBX_VERSION, (int)getpid(), cfg->sock_path, d.db_path,
		 (long long)d.starts);
	notify_ready(cfg->ready_fd);
	err = tbxd_loop_run(d.loop);

	tbxd_timer_free(d.drain_timer);
	tbxd_detectors_stop(d.detectors);
err_pushback:
	tbxd_pushback_stop(d.pushback);
err_hostmanager:
	tbxd_hostmanager_stop(d.hostmanager);
err_http:
	tbxd_http_stop(d.http);
	free(d.hm_address);
err_api:
	tbxd_api_free(d.api);
err_accounting:
	tbxd_accounting_stop(d.accounting);
err_taps:
	/* Every session ends as DELETE ends it: trailers, detach, unpin. */
	tbxd_taps_stop(d.taps);
err_sched:
	tbxd_sched_stop(d.sched);
err_state:
	tbxd_state_close(d.state);
err_listen:
	tbxd_listen_close(d.listener);
err_signals:
	tbxd_signals_close(d.signals);
err_loop:
	tbxd_loop_free(d.loop);
err_path:
	free(d.db_path);
	if (!err)
		tbxd_log("stopped");
	return err;
}
