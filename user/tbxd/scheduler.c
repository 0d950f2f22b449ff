// SPDX-License-Identifier: GPL-2.0-or-later
/* The emulation scheduler (see scheduler.h for what a restart does). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <math.h>
#include <net/if.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <linux/tbx.h>

#include "emu_log.h"
#include "emu_store.h"
#include "err.h"
#include "io_run.h"
#include "log.h"
#include "loop.h"
#include "nl.h"
#include "profile.h"
#include "run.h"
#include "scheduler.h"
#include "state.h"
#include "tbxd.h"

/* Runs started per wake-up at most, so HTTP requests are not starved. */
#define SCHED_BATCH		64
/* Later than this, a run's message says it started late. */
#define SCHED_LATE_NOTE_NS	1000000000LL
/* How often running kernel runs are checked when events may be lost. */
#define SCHED_CHECK_NS		(5 * 1000000000ULL)
/*
 * Kernel runs are handed to the module this long before they are due,
 * with START set to the due time: the kernel's hrtimer starts them, so
 * neither this loop's wake-up nor the request's cost delays them. A
 * second absorbs a busy loop in a loaded TCG VM (bench/schedule: 250 ms
 * did not); the cost is a few pending runs in the kernel.
 */
#define SCHED_LEAD_NS		(1000 * 1000000LL)
/* Closer to its due time than this, a run is started at once instead. */
#define SCHED_LEAD_MIN_NS	(1 * 1000000LL)
/* Kernel requests slower than this are logged. */
#define SCHED_SLOW_NS		(50 * 1000000LL)
/* A run this long past its planned end with no event is looked up. */
#define SCHED_OVERDUE_NS	(2 * 1000000000LL)

struct sched_io {
	struct io_run *io;
	struct tbxd_sched *s;
	int64_t emu;
	int idx;
	char name[EMU_NAME_MAX + 1];
};

struct tbxd_sched {
	struct tbxd *d;
	struct tbxd_state *st;
	struct tbxd_loop *loop;
	const char *state_dir;
	char *io_dir;
	struct tbxd_timer *due_timer;
	struct tbxd_timer *check_timer;
	struct tbx_nl nl;		/* requests */
	bool nl_open;
	struct tbx_nl ev;		/* the events group */
	bool ev_open;
	char kernel_err[256];		/* why the module is not reachable */
	struct sched_io **io;
	size_t n_io;
	struct emu_usage **usage;
	size_t n_usage;
};

static int64_t real_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void owner_tag(char *buf, size_t len, const char *name, int idx)
{
	snprintf(buf, len, "emu:%s:%d", name, idx);
}

/* "emu:<name>:<idx>" back into its parts; false for other owners. */
static bool owner_parse(const char *owner, char *name, size_t len, int *idx)
{
	const char *colon = strrchr(owner, ':');
	char *end;
	long v;

	if (strncmp(owner, "emu:", 4) || !colon || colon < owner + 5 ||
	    (size_t)(colon - owner - 4) >= len)
		return false;
	v = strtol(colon + 1, &end, 10);
	if (*end || end == colon + 1 || v < 0 || v > 1 << 30)
		return false;
	memcpy(name, owner + 4, colon - owner - 4);
	name[colon - owner - 4] = '\0';
	*idx = v;
	return true;
}

static const char *unit_of(const struct emu_run *r)
{
	switch (r->res) {
	case EMU_RES_CPU:
		return "%";
	case EMU_RES_MEM:
		return " MiB";
	case EMU_RES_IO:
		return " MiB/s";
	default:
		return " Mbit/s";
	}
}

/* ---- the module ---- */

static void on_events(struct tbxd_loop *loop, int fd, short revents, void *arg);

static void kernel_close(struct tbxd_sched *s)
{
	if (s->ev_open) {
		tbxd_loop_del_fd(s->loop, mnl_socket_get_fd(s->ev.sk));
		tbx_nl_close(&s->ev);
		s->ev_open = false;
	}
	if (s->nl_open) {
		tbx_nl_close(&s->nl);
		s->nl_open = false;
	}
}

/* The request socket, opened (and the events joined) on first use. */
static struct tbx_nl *kernel(struct tbxd_sched *s)
{
	int fd;

	if (s->nl_open)
		return &s->nl;
	if (tbx_nl_open(&s->nl)) {
		snprintf(s->kernel_err, sizeof(s->kernel_err),
			 "tbx module not available: %s", tbx_errmsg());
		return NULL;
	}
	s->nl_open = true;
	s->kernel_err[0] = '\0';
	if (tbx_nl_open(&s->ev) == 0) {
		fd = mnl_socket_get_fd(s->ev.sk);
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
		if (tbx_nl_join_events(&s->ev) ||
		    tbxd_loop_add_fd(s->loop, fd, POLLIN, on_events, s)) {
			tbxd_log("scheduler: no run events (%s); runs are checked every %llu s",
				 tbx_errmsg(), SCHED_CHECK_NS / 1000000000ULL);
			tbx_nl_close(&s->ev);
		} else {
			s->ev_open = true;
		}
	}
	return &s->nl;
}

/* The device a packet to @dst leaves by, as the routing table says. */
static int route_dev(uint32_t dst, char *ifname)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9),
				  .sin_addr.s_addr = dst };
	struct sockaddr_in src;
	socklen_t len = sizeof(src);
	struct ifaddrs *ifa, *i;
	char a[INET_ADDRSTRLEN];
	int fd, err = -ENETUNREACH;

	inet_ntop(AF_INET, &dst, a, sizeof(a));
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return tbx_err(errno, "socket: %m");
	/* connect() on UDP sends nothing: it only picks the route. */
	if (connect(fd, (struct sockaddr *)&to, sizeof(to)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&src, &len) < 0) {
		err = tbx_err(errno, "no route to serverip %s: %m", a);
		close(fd);
		return err;
	}
	close(fd);
	if (getifaddrs(&ifa) < 0)
		return tbx_err(errno, "getifaddrs: %m");
	for (i = ifa; i; i = i->ifa_next)
		if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET &&
		    ((struct sockaddr_in *)i->ifa_addr)->sin_addr.s_addr ==
		    src.sin_addr.s_addr) {
			snprintf(ifname, IF_NAMESIZE, "%s", i->ifa_name);
			err = 0;
			break;
		}
	freeifaddrs(ifa);
	if (err)
		return tbx_err(ENETUNREACH, "serverip %s: no device has the route's source address", a);
	return 0;
}

static int net_pattern(const struct emu_run *r, uint8_t *pattern, bool *pps)
{
	const char *p = r->protocol;

	*pps = false;
	if (!strcmp(r->cocoma_emulator, "backfuzz") || !strcasecmp(p, "fuzz")) {
		/* Event runs: the load is the fuzz pattern's packets/s. */
		*pattern = TBX_NET_PATTERN_FUZZ;
		*pps = true;
	} else if (!*p || !strcasecmp(p, "udp")) {
		*pattern = TBX_NET_PATTERN_UDP;
	} else if (!strcasecmp(p, "tcp")) {
		*pattern = TBX_NET_PATTERN_TCP_SYN;
	} else if (!strcasecmp(p, "icmp")) {
		*pattern = TBX_NET_PATTERN_ICMP_ECHO;
	} else {
		return tbx_err(EINVAL, "net run: protocol \"%s\" is not udp, tcp, icmp or fuzz", p);
	}
	return 0;
}


/* The kernel request for a job, lasting @duration_ns. */
static int build_run(const struct emu_job *j, uint64_t duration_ns,
		     struct tbx_run *req)
{
	const struct emu_run *r = &j->run;
	int err;

	memset(req, 0, sizeof(*req));
	owner_tag(req->owner, sizeof(req->owner), j->name, j->idx);
	req->duration = duration_ns;
	req->has = TBX_HAS(TBX_RUN_A_KIND) | TBX_HAS(TBX_RUN_A_OWNER) |
		   TBX_HAS(TBX_RUN_A_DURATION);
	switch (r->res) {
	case EMU_RES_CPU:
		req->kind = TBX_RUN_KIND_CPU;
		req->cpu.level = r->load > 100 ? 100 : (uint32_t)lround(r->load);
		req->cpu.has = TBX_HAS(TBX_CPU_A_LEVEL);
		if (r->ncpus) {
			req->cpu.count = r->ncpus;
			req->cpu.has |= TBX_HAS(TBX_CPU_A_COUNT);
		}
		req->has |= TBX_HAS(TBX_RUN_A_CPU);
		return 0;
	case EMU_RES_MEM:
		req->kind = TBX_RUN_KIND_MEM;
		req->mem.bytes = (uint64_t)llround(r->load * (1 << 20));
		req->mem.has = TBX_HAS(TBX_MEM_A_BYTES);
		if (r->mem_sleep_us) {
			req->mem.retouch_us = r->mem_sleep_us;
			req->mem.has |= TBX_HAS(TBX_MEM_A_RETOUCH);
		}
		req->has |= TBX_HAS(TBX_RUN_A_MEM);
		return 0;
	case EMU_RES_NET:
		break;
	default:
		return tbx_err(EINVAL, "run %d is not a kernel run", j->idx);
	}
	req->kind = TBX_RUN_KIND_NET;
	req->has |= TBX_HAS(TBX_RUN_A_NET);
	if (inet_pton(AF_INET, r->server_ip, &req->net.dst) != 1)
		return tbx_err(EINVAL, "net run: serverip \"%s\" is not an IPv4 address",
			       r->server_ip);
	if (r->dev[0]) {
		if (strlen(r->dev) >= sizeof(req->net.ifname))
			return tbx_err(EINVAL, "net run: device name \"%s\" is too long", r->dev);
		memcpy(req->net.ifname, r->dev, strlen(r->dev) + 1);
	} else if ((err = route_dev(req->net.dst, req->net.ifname)))
		return err;
	req->net.has = TBX_HAS(TBX_NET_A_DST) | TBX_HAS(TBX_NET_A_IFNAME) |
		       TBX_HAS(TBX_NET_A_PATTERN);
	if (r->server_port) {
		req->net.port = r->server_port;
		req->net.has |= TBX_HAS(TBX_NET_A_DST_PORT);
	}
	if (r->profile[0])
		return tbx_run_net_profile(r->profile, &req->net);
	{
		bool pps;

		err = net_pattern(r, &req->net.pattern, &pps);
		if (err)
			return err;
		if (pps) {
			req->net.rate_pps = (uint64_t)llround(r->load);
			req->net.has |= TBX_HAS(TBX_NET_A_RATE_PPS);
		} else {
			req->net.rate_bps = (uint64_t)llround(r->load * 1e6);
			req->net.has |= TBX_HAS(TBX_NET_A_RATE_BPS);
		}
	}
	return 0;
}

/* ---- run states ---- */

static void emu_changed(struct tbxd_sched *s, int64_t emu, const char *name)
{
	char state[16];

	if (emu_store_update_emu(s->st, emu, state, sizeof(state)))
		tbxd_log("scheduler: %s", tbx_errmsg());
	else if (!strcmp(state, "finished"))
		emu_log_run(s->state_dir, name, "emulation finished");
}

static void mark(struct tbxd_sched *s, const struct emu_job *j,
		 const char *state, const char *message, int64_t kernel_id,
		 int64_t started, int64_t ended, int64_t delay)
{
	if (emu_store_mark(s->st, j->emu, j->idx, state, message, kernel_id,
			   started, ended, delay))
		tbxd_log("scheduler: %s run %d: %s", j->name, j->idx, tbx_errmsg());
}

static void finish(struct tbxd_sched *s, const struct emu_job *j,
		   bool ok, const char *message, int64_t ended)
{
	mark(s, j, ok ? "executed" : "failed", message, EMU_KEEP, EMU_KEEP,
	     ended, EMU_KEEP);
	emu_log_run(s->state_dir, j->name, "run %d/%d %s %g%s %s%s%s", j->idx + 1,
		    j->n_runs, emu_res_kind(j->run.res), j->run.load, unit_of(&j->run),
		    ok ? "executed" : "failed", *message ? ": " : "", message);
	emu_changed(s, j->emu, j->name);
}

static void arm_next(struct tbxd_sched *s);

/* ---- io runs ---- */

static void io_forget(struct tbxd_sched *s, struct sched_io *si)
{
	for (size_t i = 0; i < s->n_io; i++)
		if (s->io[i] == si) {
			s->io[i] = s->io[--s->n_io];
			break;
		}
	io_run_free(si->io);
	free(si);
}

static void on_io_done(struct io_run *io, void *arg)
{
	struct sched_io *si = arg;
	struct tbxd_sched *s = si->s;
	uint64_t wr, rd;
	char msg[300], why[256];
	struct emu_job j;
	bool found;
	int err;

	err = io_run_result(io, why, sizeof(why), &wr, &rd);
	if (err)
		snprintf(msg, sizeof(msg), "%s", why);
	else
		snprintf(msg, sizeof(msg), "wrote %llu MiB, read %llu MiB with O_DIRECT",
			 (unsigned long long)(wr >> 20), (unsigned long long)(rd >> 20));
	if (!emu_store_job(s->st, si->name, si->idx, &j, &found) && found)
		finish(s, &j, !err, msg, real_ns());
	io_forget(s, si);
}

static int start_io(struct tbxd_sched *s, const struct emu_job *j,
		    uint64_t duration_ns)
{
	struct sched_io *si = calloc(1, sizeof(*si));
	char tag[TBX_RUN_OWNER_MAX];
	struct sched_io **more;
	int err;

	if (!si)
		return tbx_err(ENOMEM, "out of memory");
	more = reallocarray(s->io, s->n_io + 1, sizeof(*more));
	if (!more) {
		free(si);
		return tbx_err(ENOMEM, "out of memory");
	}
	s->io = more;
	si->s = s;
	si->emu = j->emu;
	si->idx = j->idx;
	snprintf(si->name, sizeof(si->name), "%s", j->name);
	owner_tag(tag, sizeof(tag), j->name, j->idx);
	/* The emulation's own directory when its XML names one. */
	err = io_run_start(s->loop, j->run.io_dir[0] ? j->run.io_dir : s->io_dir,
			   tag, j->run.load, (size_t)j->run.io_block_mb << 20,
			   j->run.io_sleep_ms, duration_ns, on_io_done, si, &si->io);
	if (err) {
		free(si);
		return err;
	}
	s->io[s->n_io++] = si;
	return 0;
}

static struct sched_io *io_find(struct tbxd_sched *s, const char *name, int idx)
{
	for (size_t i = 0; i < s->n_io; i++)
		if (s->io[i]->idx == idx && !strcmp(s->io[i]->name, name))
			return s->io[i];
	return NULL;
}

/* ---- starting runs ---- */

static void kernel_started_log(struct tbxd_sched *s, const struct emu_job *j,
			       uint32_t id, int64_t started, const char *note)
{
	emu_log_run(s->state_dir, j->name, "run %d/%d %s %g%s started as kernel run %u (delay %.3f ms)%s%s",
		    j->idx + 1, j->n_runs, emu_res_kind(j->run.res), j->run.load,
		    unit_of(&j->run), id, (started - j->due_ns) / 1e6,
		    note && *note ? ", " : "", note ? note : "");
}

static void start_job(struct tbxd_sched *s, struct emu_job *j)
{
	int64_t now = real_ns();
	int64_t end = j->due_ns + (int64_t)llround(j->run.duration * 1e9);
	int64_t late = now - j->due_ns, started;
	char note[160] = "";
	struct tbx_run req, out;
	struct tbx_nl *nl;
	int64_t asked;
	bool ahead;
	int err;

	if (j->run.duration == 0) {
		/* COCOMA planned it (fuzz: no duration) and ran nothing for it */
		mark(s, j, "running", NULL, EMU_KEEP, now, EMU_KEEP, late);
		finish(s, j, true, "lasts 0 s (as COCOMA planned it): nothing to play", now);
		return;
	}
	if (now >= end) {
		finish(s, j, false, "missed: its whole window passed while tbxd was not running",
		       EMU_KEEP);
		return;
	}
	if (late > SCHED_LATE_NOTE_NS)
		snprintf(note, sizeof(note), "started %.1f s late (tbxd was not running at its time), until its planned end",
			 late / 1e9);
	if (j->run.res == EMU_RES_IO) {
		err = start_io(s, j, end - now);
		if (err) {
			finish(s, j, false, tbx_errmsg(), EMU_KEEP);
			return;
		}
		mark(s, j, "running", note, EMU_KEEP, now, EMU_KEEP, late);
		emu_log_run(s->state_dir, j->name, "run %d/%d io %g MiB/s started (delay %.3f ms)%s%s",
			    j->idx + 1, j->n_runs, j->run.load, late / 1e6,
			    *note ? ", " : "", note);
		emu_changed(s, j->emu, j->name);
		return;
	}
	nl = kernel(s);
	if (!nl) {
		finish(s, j, false, s->kernel_err, EMU_KEEP);
		return;
	}
	/* Ahead of its time: the kernel starts it at the due instant. */
	ahead = j->due_ns - now > SCHED_LEAD_MIN_NS;
	err = build_run(j, ahead ? end - j->due_ns : end - now, &req);
	if (err) {
		tbx_run_clear(&req);
		finish(s, j, false, tbx_errmsg(), EMU_KEEP);
		return;
	}
	if (ahead) {
		req.start = j->due_ns;
		req.has |= TBX_HAS(TBX_RUN_A_START);
	}
	/* Committed before the request: a tbxd that dies in between finds
	 * "starting" and asks the kernel, never starts it twice.
	 */
	mark(s, j, "starting", NULL, EMU_KEEP, EMU_KEEP, EMU_KEEP, EMU_KEEP);
	memset(&out, 0, sizeof(out));
	asked = real_ns();
	err = tbx_run_new(nl, &req, &out);
	asked = real_ns() - asked;
	/* Everything on this loop waits meanwhile: say so when it is long. */
	if (asked > SCHED_SLOW_NS)
		tbxd_log("scheduler: %s run %d: the kernel took %.1f ms to create it",
			 j->name, j->idx, asked / 1e6);
	if (err == -EINVAL && ahead && real_ns() >= j->due_ns) {
		/* Its instant passed while the request travelled: start now. */
		req.has &= ~TBX_HAS(TBX_RUN_A_START);
		req.duration = end - real_ns();
		memset(&out, 0, sizeof(out));
		err = tbx_run_new(nl, &req, &out);
	}
	tbx_run_clear(&req);
	if (err) {
		if (err == -ENOENT || err == -ECONNREFUSED || err == -EPIPE)
			kernel_close(s);	/* the module went away: reopen next time */
		finish(s, j, false, tbx_errmsg(), EMU_KEEP);
		return;
	}
	/* "running" from here: the kernel has it, pending or loading. Its
	 * start time comes with the STARTED (or FINISHED) event.
	 */
	if (out.started) {
		started = out.started;
		mark(s, j, "running", note, out.id, started, EMU_KEEP, started - j->due_ns);
		kernel_started_log(s, j, out.id, started, note);
	} else {
		mark(s, j, "running", note, out.id, EMU_KEEP, EMU_KEEP, EMU_KEEP);
	}
	tbx_run_clear(&out);
	emu_changed(s, j->emu, j->name);
}

/* The next pending run of @which, if it may start by @now (kernel runs
 * SCHED_LEAD_NS early); else *at gets when it may.
 */
static bool next_startable(struct tbxd_sched *s, enum emu_which which,
			   int64_t now, struct emu_job *j, int64_t *at)
{
	bool found;

	if (emu_store_next_due(s->st, which, j, &found)) {
		tbxd_log("scheduler: %s", tbx_errmsg());
		return false;
	}
	if (!found)
		return false;
	*at = j->due_ns - (which == EMU_KERNEL_ONLY ? SCHED_LEAD_NS : 0);
	return *at <= now;
}

static void on_due(struct tbxd_timer *t, uint64_t expirations, void *arg)
{
	struct tbxd_sched *s = arg;
	struct emu_job j;
	int64_t at;

	for (int i = 0; i < SCHED_BATCH; i++) {
		if (next_startable(s, EMU_KERNEL_ONLY, real_ns(), &j, &at) ||
		    next_startable(s, EMU_IO_ONLY, real_ns(), &j, &at))
			start_job(s, &j);
		else
			break;
	}
	arm_next(s);
}

static void arm_next(struct tbxd_sched *s)
{
	int64_t at = INT64_MAX, k_at = INT64_MAX, io_at = INT64_MAX, wait;
	struct emu_job j;

	/* Now is past no startable run here: on_due() took them. */
	if (next_startable(s, EMU_KERNEL_ONLY, INT64_MIN, &j, &k_at) || k_at < at)
		at = k_at;
	if (next_startable(s, EMU_IO_ONLY, INT64_MIN, &j, &io_at) || io_at < at)
		at = io_at;
	if (at == INT64_MAX) {
		tbxd_timer_arm(s->due_timer, 0, 0, 0);
	} else {
		wait = at - real_ns();
		if (tbxd_timer_arm(s->due_timer, wait > 0 ? wait : 1, 0, 0))
			tbxd_log("scheduler: %s", tbx_errmsg());
	}
	/* Loggers whose emulation is over go now. */
	for (size_t i = 0; i < s->n_usage;)
		if (emu_usage_over(s->usage[i])) {
			emu_usage_free(s->usage[i]);
			s->usage[i] = s->usage[--s->n_usage];
		} else {
			i++;
		}
}

/* ---- what the kernel says ---- */

/* The row of a kernel run event, if it is one of ours and current. */
static bool event_job(struct tbxd_sched *s, const struct tbx_run *r,
		      struct emu_job *j)
{
	char name[EMU_NAME_MAX + 1];
	bool found;
	int idx;

	if (!owner_parse(r->owner, name, sizeof(name), &idx))
		return false;
	if (emu_store_job(s->st, name, idx, j, &found) || !found)
		return false;	/* deleted meanwhile */
	if ((strcmp(j->state, "running") && strcmp(j->state, "starting")) ||
	    (j->kernel_id && j->kernel_id != r->id))
		return false;
	return true;
}

/* The kernel's start instant and the delay, once. */
static void note_started(struct tbxd_sched *s, struct emu_job *j,
			 const struct tbx_run *r)
{
	if (j->started_ns || !r->started)
		return;
	mark(s, j, j->state, NULL, r->id, r->started, EMU_KEEP,
	     (int64_t)r->started - j->due_ns);
	j->started_ns = r->started;
	kernel_started_log(s, j, r->id, r->started, NULL);
}

static void kernel_started(struct tbxd_sched *s, const struct tbx_run *r)
{
	struct emu_job j;

	if (event_job(s, r, &j))
		note_started(s, &j, r);
}

static void kernel_finished(struct tbxd_sched *s, const struct tbx_run *r)
{
	char msg[TBX_RUN_MESSAGE_MAX + 128];
	struct emu_job j;
	bool ok;

	if (!event_job(s, r, &j))
		return;
	note_started(s, &j, r);
	ok = r->state == TBX_RUN_STATE_ENDED;
	switch (r->kind) {
	case TBX_RUN_KIND_CPU:
		snprintf(msg, sizeof(msg), "cpu time %.3f s", r->cpu.cpu_time_ns / 1e9);
		break;
	case TBX_RUN_KIND_MEM:
		snprintf(msg, sizeof(msg), "held %llu MiB",
			 (unsigned long long)(r->mem.held >> 20));
		break;
	default:
		snprintf(msg, sizeof(msg), "sent %llu packets, %llu bytes, %llu drops",
			 (unsigned long long)r->net.packets,
			 (unsigned long long)r->net.bytes,
			 (unsigned long long)r->net.drops);
	}
	if (!ok)
		snprintf(msg, sizeof(msg), "%s: %s",
			 tbx_run_state_name(r->state) ?: "finished",
			 r->message[0] ? r->message : "no message");
	finish(s, &j, ok, msg, r->ended ? (int64_t)r->ended : real_ns());
}

static void reconcile_all(struct tbxd_sched *s);

static int on_event_msg(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	struct tbx_run r = { 0 };

	if (g->cmd != TBX_CMD_RUN_NTF)
		return MNL_CB_OK;
	if (tbx_run_parse(nlh, &r)) {
		tbxd_log("scheduler: bad run event: %s", tbx_errmsg());
		return MNL_CB_OK;
	}
	if (r.event == TBX_RUN_EVENT_STARTED)
		kernel_started(data, &r);
	else if (r.event == TBX_RUN_EVENT_FINISHED)
		kernel_finished(data, &r);
	tbx_run_clear(&r);
	return MNL_CB_OK;
}

static void on_events(struct tbxd_loop *loop, int fd, short revents, void *arg)
{
	struct tbxd_sched *s = arg;

	for (;;) {
		int n = mnl_socket_recvfrom(s->ev.sk, s->ev.buf, 32768);

		if (n < 0 && errno == ENOBUFS) {
			/* Events were dropped: ask the kernel instead. */
			tbxd_log("scheduler: run events lost; reconciling with the kernel");
			reconcile_all(s);
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {
			tbxd_log("scheduler: run events: %m; reopening later");
			kernel_close(s);
			return;
		}
		mnl_cb_run(s->ev.buf, n, 0, 0, on_event_msg, s);
	}
}

/* ---- reconciling rows with the kernel ---- */

struct recon {
	struct tbxd_sched *s;
	struct tbx_run *runs;
	size_t n;
	bool have_list;
	bool only_overdue;
};

static const struct tbx_run *kernel_find(struct recon *rc, const char *name, int idx)
{
	char tag[TBX_RUN_OWNER_MAX];

	owner_tag(tag, sizeof(tag), name, idx);
	for (size_t i = 0; i < rc->n; i++)
		if (!strcmp(rc->runs[i].owner, tag))
			return &rc->runs[i];
	return NULL;
}

static int reconcile_one(struct emu_job *j, void *arg)
{
	struct recon *rc = arg;
	struct tbxd_sched *s = rc->s;
	int64_t now = real_ns();
	int64_t end = j->due_ns + (int64_t)llround(j->run.duration * 1e9);
	const struct tbx_run *k;

	if (j->run.res == EMU_RES_IO) {
		if (rc->only_overdue || io_find(s, j->name, j->idx))
			return 0;
		/* tbxd's death stopped it: its file goes, the rest replays. */
		{
			char tag[TBX_RUN_OWNER_MAX];

			owner_tag(tag, sizeof(tag), j->name, j->idx);
			io_run_remove_leftover(j->run.io_dir[0] ? j->run.io_dir :
					       s->io_dir, tag);
		}
		if (now >= end) {
			finish(s, j, false, "interrupted: tbxd stopped during this io run",
			       EMU_KEEP);
		} else {
			mark(s, j, "pending", "", EMU_KEEP, EMU_KEEP, EMU_KEEP, EMU_KEEP);
			emu_log_run(s->state_dir, j->name, "run %d/%d io interrupted by a tbxd restart; resumes for the rest of its window",
				    j->idx + 1, j->n_runs);
		}
		return 0;
	}
	if (rc->only_overdue && now < end + SCHED_OVERDUE_NS)
		return 0;
	if (!rc->have_list)
		return 0;	/* the module answers nothing: decide nothing */
	k = kernel_find(rc, j->name, j->idx);
	if (k) {
		if (!strcmp(j->state, "starting")) {
			mark(s, j, "running", NULL, k->id, EMU_KEEP, EMU_KEEP, EMU_KEEP);
			emu_log_run(s->state_dir, j->name, "run %d/%d found in the kernel as run %u after a tbxd restart",
				    j->idx + 1, j->n_runs, k->id);
			strcpy(j->state, "running");
		}
		note_started(s, j, k);
		return 0;
	}
	if (!strcmp(j->state, "starting")) {
		if (now >= end) {
			finish(s, j, false, "tbxd stopped while starting it and the kernel has no such run",
			       EMU_KEEP);
		} else {
			/* The kernel never got it: starting it now cannot double it. */
			mark(s, j, "pending", NULL, EMU_KEEP, EMU_KEEP, EMU_KEEP, EMU_KEEP);
		}
		return 0;
	}
	if (now >= end)
		finish(s, j, true, "ended while tbxd was not watching (final figures not seen)",
		       end);
	else
		finish(s, j, false, "the kernel no longer has this run (module reloaded, or deleted outside tbxd)",
		       now);
	return 0;
}

static void reconcile(struct tbxd_sched *s, bool only_overdue)
{
	struct recon rc = { .s = s, .only_overdue = only_overdue };
	struct tbx_nl *nl = kernel(s);

	if (nl) {
		if (tbx_run_list(nl, NULL, 0, &rc.runs, &rc.n) == 0)
			rc.have_list = true;
		else
			tbxd_log("scheduler: cannot list the kernel's runs: %s", tbx_errmsg());
	} else {
		/* No module: it runs nothing, so none of ours survived. */
		rc.have_list = true;
	}
	if (emu_store_each(s->st, NULL, NULL, reconcile_one, &rc))
		tbxd_log("scheduler: reconcile: %s", tbx_errmsg());
	tbx_run_list_free(rc.runs, rc.n);
}

static void reconcile_all(struct tbxd_sched *s)
{
	reconcile(s, false);
	arm_next(s);
}

static void on_check(struct tbxd_timer *t, uint64_t expirations, void *arg)
{
	struct tbxd_sched *s = arg;

	reconcile(s, true);
	arm_next(s);
}

/* ---- usage logs ---- */

static int start_usage(const char *name, int64_t start_ns, double duration,
		       double freq, void *arg)
{
	struct tbxd_sched *s = arg;
	struct emu_usage **more, *u;

	for (size_t i = 0; i < s->n_usage; i++)
		if (!strcmp(emu_usage_name(s->usage[i]), name))
			return 0;
	if (emu_usage_start(s->loop, s->state_dir, name, start_ns, duration,
			    freq, &u)) {
		tbxd_log("scheduler: %s: usage log: %s", name, tbx_errmsg());
		return 0;
	}
	more = reallocarray(s->usage, s->n_usage + 1, sizeof(*more));
	if (!more) {
		emu_usage_free(u);
		return 0;
	}
	s->usage = more;
	s->usage[s->n_usage++] = u;
	return 0;
}

/* ---- the API's side ---- */

int tbxd_sched_add(struct tbxd_sched *s, const struct emu_plan *p,
		   const char *xml, int64_t start_ns)
{
	int64_t id;
	int err;

	err = emu_store_add(s->st, p, xml, start_ns, &id);
	if (err)
		return err;
	emu_log_run(s->state_dir, p->name, "emulation created: %zu runs over %g s",
		    p->n_runs, p->duration);
	for (size_t i = 0; i < p->n_notes; i++)
		emu_log_run(s->state_dir, p->name, "note: %s", p->notes[i].text);
	if (p->log_enable)
		start_usage(p->name, start_ns, p->duration,
			    p->log_frequency > 0 ? p->log_frequency : 3, s);
	arm_next(s);
	return 0;
}

static int stop_one(struct emu_job *j, void *arg)
{
	struct tbxd_sched *s = arg;
	struct sched_io *si;
	struct tbx_nl *nl;
	int err;

	if (j->run.res == EMU_RES_IO) {
		si = io_find(s, j->name, j->idx);
		if (si)
			io_forget(s, si);
		return 0;
	}
	if (!j->kernel_id || !(nl = kernel(s)))
		return 0;
	/* Gone already is fine: it ended as we asked. */
	err = tbx_run_del(nl, j->kernel_id, NULL);
	if (err && err != -ENOENT)
		tbxd_log("scheduler: %s: stop kernel run %lld: %s", j->name,
			 (long long)j->kernel_id, tbx_errmsg());
	return 0;
}

int tbxd_sched_delete(struct tbxd_sched *s, const char *name)
{
	int err;

	err = emu_store_each(s->st, NULL, name, stop_one, s);
	if (err)
		return err;
	/* A starting run's kernel id is not known: look for its owner tag. */
	if (s->nl_open) {
		struct tbx_run *runs = NULL;
		size_t n = 0;
		char prefix[EMU_NAME_MAX + 8];

		snprintf(prefix, sizeof(prefix), "emu:%s:", name);
		if (tbx_run_list(&s->nl, NULL, 0, &runs, &n) == 0)
			for (size_t i = 0; i < n; i++)
				if (!strncmp(runs[i].owner, prefix, strlen(prefix)))
					tbx_run_del(&s->nl, runs[i].id, NULL);
		tbx_run_list_free(runs, n);
	}
	err = emu_store_delete(s->st, name);
	if (err)
		return err;
	for (size_t i = 0; i < s->n_usage; i++)
		if (!strcmp(emu_usage_name(s->usage[i]), name)) {
			emu_usage_free(s->usage[i]);
			s->usage[i] = s->usage[--s->n_usage];
			break;
		}
	emu_log_remove(s->state_dir, name);
	arm_next(s);
	return 0;
}

json_t *tbxd_sched_info(struct tbxd_sched *s)
{
	struct tbx_nl *nl = kernel(s);

	return json_pack("{s:s, s:b, s:s, s:b, s:i, s:I}",
			 "io_dir", s->io_dir,
			 "kernel", nl != NULL,
			 "kernel_error", nl ? "" : s->kernel_err,
			 "events", s->ev_open,
			 "io_runs", (int)s->n_io,
			 "usage_logs", (json_int_t)s->n_usage);
}

int tbxd_sched_start(struct tbxd *d, struct tbxd_sched **out)
{
	struct tbxd_sched *s;
	int err;

	s = calloc(1, sizeof(*s));
	if (!s)
		return tbx_err(ENOMEM, "scheduler: out of memory");
	s->d = d;
	s->st = d->state;
	s->loop = d->loop;
	s->state_dir = d->cfg->state_dir;
	if (d->cfg->io_dir)
		s->io_dir = strdup(d->cfg->io_dir);
	else if (asprintf(&s->io_dir, "%s/io", d->cfg->state_dir) < 0)
		s->io_dir = NULL;
	if (!s->io_dir) {
		free(s);
		return tbx_err(ENOMEM, "scheduler: out of memory");
	}
	if (mkdir(s->io_dir, 0750) < 0 && errno != EEXIST) {
		err = tbx_err(errno, "io directory %s: %m", s->io_dir);
		goto fail;
	}
	err = tbxd_timer_new(s->loop, on_due, s, &s->due_timer);
	if (!err)
		err = tbxd_timer_new(s->loop, on_check, s, &s->check_timer);
	if (err)
		goto fail;
	/* What an earlier tbxd left: rows first, then the timers. */
	reconcile(s, false);
	err = emu_store_each_logged(s->st, start_usage, s);
	if (err)
		goto fail;
	arm_next(s);
	/* Events can be off (tbx config events off) or lost: overdue
	 * runs are looked up on a period too.
	 */
	tbxd_timer_arm(s->check_timer, SCHED_CHECK_NS, SCHED_CHECK_NS, 0);
	*out = s;
	return 0;

fail:
	tbxd_sched_stop(s);
	return err;
}

void tbxd_sched_stop(struct tbxd_sched *s)
{
	if (!s)
		return;
	/* io runs stop with tbxd; their rows stay "running" and resume. */
	while (s->n_io)
		io_forget(s, s->io[0]);
	free(s->io);
	for (size_t i = 0; i < s->n_usage; i++)
		emu_usage_free(s->usage[i]);
	free(s->usage);
	tbxd_timer_free(s->due_timer);
	tbxd_timer_free(s->check_timer);
	kernel_close(s);
	free(s->io_dir);
	free(s);
}
