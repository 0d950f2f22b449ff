// SPDX-License-Identifier: GPL-2.0-or-later
/* The accounting cycle and its timer (accounting.h). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accounting.h"
#include "hm_realise.h"
#include "err.h"
#include "log.h"
#include "loop.h"
#include "nl.h"
#include "run.h"
#include "tbxd.h"
#include "topo_store.h"
#include "usage_sample.h"
#include "usage_store.h"

struct tbxd_accounting {
	struct tbxd *d;
	struct tbxd_timer *timer;
	char *io_dir;
	struct usage_injected injected;
	struct tbx_nl ev;		/* the module's events: runs finishing */
	bool ev_open;
	uint64_t cycles, failures;	/* failures: objects not read */
	unsigned int objects;		/* recorded in the last cycle */
	double last_cycle_ms;		/* its wall time */
	char last_error[256];
};

static double mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* An object that could not be read is skipped this cycle, not forgotten. */
static void skipped(struct tbxd_accounting *a, const char *what, const char *name)
{
	a->failures++;
	snprintf(a->last_error, sizeof(a->last_error), "%s %s: %s", what, name,
		 tbx_errmsg());
}

static int record(struct tbxd_accounting *a, enum usage_kind kind, const char *name,
		  const struct usage_reading *r, time_t now)
{
	int err = usage_store_account(a->d->state, kind, name, r, now);

	if (!err)
		a->objects++;
	return err;
}

static int account_topology(struct tbxd_accounting *a, const char *topo,
			    json_t *live[USAGE_KINDS], time_t now)
{
	struct usage_reading r;
	struct topo_rec *t;
	char name[USAGE_NAME_MAX];
	int err;

	if ((err = topo_store_get(a->d->state, topo, &t)))
		return err == -ENOENT ? 0 : err;	/* removed meanwhile */
	for (unsigned int i = 0; !err && i < t->n_nodes; i++) {
		const struct topo_node_rec *n = &t->nodes[i];

		snprintf(name, sizeof(name), "%s/%s", topo, n->name);
		json_object_set_new(live[USAGE_ELEMENT], name, json_true());
		if (strcmp(n->state, "up"))
			continue;
		if (usage_sample_node(topo, n, &r))
			skipped(a, "element", name);
		else
			err = record(a, USAGE_ELEMENT, name, &r, now);
	}
	for (unsigned int i = 0; !err && i < t->n_links; i++) {
		const struct topo_link_rec *l = &t->links[i];

		snprintf(name, sizeof(name), "%s/%s:%s--%s:%s", topo, l->node[0],
			 l->ifname[0], l->node[1], l->ifname[1]);
		json_object_set_new(live[USAGE_CONNECTION], name, json_true());
		if (strcmp(l->state, "up"))
			continue;
		if (usage_sample_link(topo, l, &r))
			skipped(a, "connection", name);
		else
			err = record(a, USAGE_CONNECTION, name, &r, now);
	}
	topo_rec_free(t);
	return err;
}

/* The hostmanager API's elements and connections, named "hm:ID". */
static int account_hostmanager(struct tbxd_accounting *a, json_t *live[USAGE_KINDS],
			       time_t now)
{
	char name[USAGE_NAME_MAX];
	struct usage_reading r;
	int64_t *ids = NULL;
	size_t n = 0;
	int err = 0;

	for (int c = 0; !err && c < 2; c++) {
		enum usage_kind kind = c ? USAGE_CONNECTION : USAGE_ELEMENT;

		if ((err = hm_store_ids(a->d->state, c, NULL, NULL, &ids, &n)))
			return err;
		for (size_t i = 0; !err && i < n; i++) {
			struct hm_obj o;

			if (hm_store_get(a->d->state, c, NULL, ids[i], &o))
				continue;	/* removed meanwhile */
			hm_usage_name(o.id, name, sizeof(name));
			json_object_set_new(live[kind], name, json_true());
			/* only what exists in the kernel has figures */
			if (hm_realised(&o)) {
				if (usage_sample_hm(&o, &r))
					skipped(a, c ? "connection" : "element", name);
				else
					err = record(a, kind, name, &r, now);
			}
			hm_obj_release(&o);
		}
		free(ids);
	}
	return err;
}

/* Forgets the elements and connections no topology has any more. */
static int forget_gone(struct tbxd_accounting *a, json_t *live[USAGE_KINDS])
{
	for (int k = USAGE_ELEMENT; k <= USAGE_CONNECTION; k++) {
		json_t *names, *name;
		size_t i;
		int err;

		if ((err = usage_store_names(a->d->state, k, &names)))
			return err;
		json_array_foreach(names, i, name) {
			const char *s = json_string_value(name);

			if (!json_object_get(live[k], s) &&
			    (err = usage_store_forget(a->d->state, k, s)))
				break;
		}
		json_decref(names);
		if (err)
			return err;
	}
	return 0;
}

static int on_event_msg(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	struct tbxd_accounting *a = data;
	struct tbx_run r = { 0 };

	if (g->cmd != TBX_CMD_RUN_NTF || tbx_run_parse(nlh, &r))
		return MNL_CB_OK;
	if (r.event == TBX_RUN_EVENT_FINISHED)
		usage_injected_finished(&a->injected, &r);
	tbx_run_clear(&r);
	return MNL_CB_OK;
}

static void events_close(struct tbxd_accounting *a)
{
	if (!a->ev_open)
		return;
	tbxd_loop_del_fd(a->d->loop, mnl_socket_get_fd(a->ev.sk));
	tbx_nl_close(&a->ev);
	a->ev_open = false;
}

static void on_events(struct tbxd_loop *loop, int fd, short revents, void *arg)
{
	struct tbxd_accounting *a = arg;

	for (;;) {
		int n = mnl_socket_recvfrom(a->ev.sk, a->ev.buf, 32768);

		if (n < 0 && errno == ENOBUFS) {
			/* Lost: those runs' last figures are missed. */
			tbxd_log("accounting: run events lost; finished runs' tails are not counted");
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {
			events_close(a);	/* opened again by the next cycle */
			return;
		}
		mnl_cb_run(a->ev.buf, n, 0, 0, on_event_msg, a);
	}
}

/* Joins the module's events, once it is there. */
static void events_open(struct tbxd_accounting *a)
{
	int fd;

	if (a->ev_open || !usage_module_loaded() || tbx_nl_open(&a->ev))
		return;
	fd = mnl_socket_get_fd(a->ev.sk);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	if (tbx_nl_join_events(&a->ev) ||
	    tbxd_loop_add_fd(a->d->loop, fd, POLLIN, on_events, a)) {
		tbx_nl_close(&a->ev);
		return;
	}
	a->ev_open = true;
}

int tbxd_accounting_cycle(struct tbxd_accounting *a, time_t now)
{
	json_t *live[USAGE_KINDS], *topos, *topo;
	struct usage_reading r;
	double t0 = mono_ms();
	size_t i;
	int err;

	a->objects = 0;
	/* A module unloaded took its family with it: join the next one. */
	if (!usage_module_loaded())
		events_close(a);
	events_open(a);
	if ((err = topo_store_names(a->d->state, &topos)))
		return err;
	if ((err = usage_store_cycle_begin(a->d->state))) {
		json_decref(topos);
		return err;
	}
	for (int k = 0; k < USAGE_KINDS; k++)
		live[k] = json_object();
	json_array_foreach(topos, i, topo)
		if ((err = account_topology(a, json_string_value(topo), live, now)))
			break;
	if (!err)
		err = account_hostmanager(a, live, now);
	if (!err) {
		if (usage_sample_injected(&a->injected, a->io_dir, &r))
			skipped(a, "injected", "runs");
		else
			err = record(a, USAGE_INJECTED, "runs", &r, now);
	}
	if (!err)
		err = forget_gone(a, live);
	err = usage_store_cycle_end(a->d->state, err);
	for (int k = 0; k < USAGE_KINDS; k++)
		json_decref(live[k]);
	json_decref(topos);
	a->cycles++;
	a->last_cycle_ms = mono_ms() - t0;
	return err;
}

static void on_tick(struct tbxd_timer *t, uint64_t expirations, void *arg)
{
	struct tbxd_accounting *a = arg;

	if (tbxd_accounting_cycle(a, time(NULL))) {
		snprintf(a->last_error, sizeof(a->last_error), "%s", tbx_errmsg());
		tbxd_log("accounting: %s", tbx_errmsg());
	}
}

int tbxd_accounting_start(struct tbxd *d, struct tbxd_accounting **out)
{
	unsigned int secs = d->cfg->accounting_interval_s;
	struct tbxd_accounting *a;
	int err;

	*out = NULL;
	a = calloc(1, sizeof(*a));
	if (!a)
		return tbx_err(ENOMEM, "out of memory");
	a->d = d;
	if (d->cfg->io_dir)
		a->io_dir = strdup(d->cfg->io_dir);
	else if (asprintf(&a->io_dir, "%s/io", d->cfg->state_dir) < 0)
		a->io_dir = NULL;
	if (!a->io_dir) {
		free(a);
		return tbx_err(ENOMEM, "out of memory");
	}
	/* Without an interval, cycles run only when asked (POST /usage). */
	if (secs && ((err = tbxd_timer_new(d->loop, on_tick, a, &a->timer)) ||
		     (err = tbxd_timer_arm(a->timer, secs * 1000000000ULL,
					   secs * 1000000000ULL, 0)))) {
		tbxd_accounting_stop(a);
		return err;
	}
	*out = a;
	return 0;
}

void tbxd_accounting_stop(struct tbxd_accounting *a)
{
	if (!a)
		return;
	if (a->timer)
		tbxd_timer_free(a->timer);
	events_close(a);
	usage_injected_free(&a->injected);
	free(a->io_dir);
	free(a);
}

void tbxd_accounting_last(const struct tbxd_accounting *a, unsigned int *objects,
			  double *ms)
{
	*objects = a->objects;
	*ms = a->last_cycle_ms;
}

json_t *tbxd_accounting_health(const struct tbxd_accounting *a)
{
	return json_pack("{s:i, s:I, s:i, s:f, s:I, s:s}",
			 "interval_s", (int)a->d->cfg->accounting_interval_s,
			 "cycles", (json_int_t)a->cycles,
			 "objects", (int)a->objects,
			 "last_cycle_ms", a->last_cycle_ms,
			 "failures", (json_int_t)a->failures,
			 "last_error", a->last_error);
}
