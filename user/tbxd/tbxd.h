/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tbxd, the daemon: the state every module reaches through a request
 * (req->d), and tbxd_run(), the whole daemon as one call so that tests
 * run it in a child process exactly as main() does.
 */
#ifndef TBXD_H
#define TBXD_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#define TBXD_STATE_DIR		"/var/lib/tbx"
#define TBXD_STATE_DIR_MODE	0750
#define TBXD_DB_NAME		"tbxd.db"

struct tbxd_config {
	const char *state_dir;
	const char *sock_path;
	/* >= 0: one byte is written there once tbxd serves, then it is
	 * closed (readiness for tests and supervisors, like s6's).
	 */
	int ready_fd;
	/* Where io runs write their files; NULL: <state_dir>/io. */
	const char *io_dir;
	/* Seconds between accounting cycles; 0: no accounting. */
	unsigned int accounting_interval_s;
	/* ToMaTo's hostmanager API: "ADDR:PORT" (NULL: off), the server's
	 * certificate and key, and the CA that signs clients' certificates.
	 */
	const char *hm_listen, *hm_cert, *hm_key, *hm_ca;
	/* Push-back (pushback_listen.c): the device to join CBSAT's group on,
	 * or "any" (NULL: off), and the shared key's file (NULL: CBSAT's
	 * plain, unauthenticated messages).
	 */
	const char *pushback, *pushback_key;
};

struct tbxd {
	const struct tbxd_config *cfg;
	struct tbxd_loop *loop;
	struct tbxd_signals *signals;
	struct tbxd_listener *listener;
	struct tbxd_state *state;
	struct tbxd_api *api;
	struct tbxd_taps *taps;		/* background tap sessions */
	struct tbxd_http *http;
	struct tbxd_sched *sched;	/* emulations (scheduler.c) */
	struct tbxd_accounting *accounting;
	struct tbxd_hostmanager *hostmanager;
	struct tbxd_pushback *pushback;
	struct tbxd_detectors *detectors;	/* receivers (detector.c) */
	char *hm_address;		/* its listening address, for host_info */
	struct tbxd_timer *drain_timer;
	char *db_path;
	char started_at[32];		/* ISO 8601, UTC */
	struct timespec started_mono;	/* for uptime */
	int64_t starts;			/* this state file's daemon starts */
	bool stopping;
};

/* Runs tbxd until SIGTERM or SIGINT: 0 after a clean stop, else a
 * negative errno with tbx_errmsg() saying why it could not start.
 */
int tbxd_run(const struct tbxd_config *cfg);

#endif
