// SPDX-License-Identifier: GPL-2.0
/*
 * Runs: what every contention load shares. A run is created over generic
 * netlink, waits for its start instant (an hrtimer), loads the machine
 * through its kind (cpu.c, mem.c, net.c), and finishes on its own when its
 * duration runs out, when deleted, when its kind fails, or at rmmod.
 * Every step is announced on the "events" group.
 *
 * Teardown has exactly one owner: whoever removes the run from the id
 * table (tbx_run_unlink()). Timers only queue work; work queued holds a
 * reference, so a run is freed only when nothing can still reach it.
 */
#include <linux/idr.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "tbx.h"
#include "run.h"

/* Durations beyond this are refused: they are mistakes, not experiments. */
#define TBX_RUN_DURATION_MAX	(366ULL * 24 * 3600 * NSEC_PER_SEC)
/* The largest maxattr among the kinds' nests (checked in tbx_runs_init). */
#define TBX_RUN_KIND_ATTRS	24

const struct nla_policy tbx_run_policy[TBX_RUN_A_MAX + 1] = {
	[TBX_RUN_A_ID]		= { .type = NLA_U32 },
	[TBX_RUN_A_KIND]	= { .type = NLA_U8 },
	[TBX_RUN_A_OWNER]	= { .type = NLA_NUL_STRING,
				    .len = TBX_RUN_OWNER_MAX - 1 },
	[TBX_RUN_A_START]	= { .type = NLA_U64 },
	[TBX_RUN_A_DURATION]	= { .type = NLA_U64 },
	[TBX_RUN_A_FORCE]	= { .type = NLA_FLAG },
	[TBX_RUN_A_CPU]		= { .type = NLA_NESTED },
	[TBX_RUN_A_MEM]		= { .type = NLA_NESTED },
	[TBX_RUN_A_NET]		= { .type = NLA_NESTED },
};

static const struct tbx_kind *const tbx_kinds[] = {
	[TBX_RUN_KIND_CPU]	= &tbx_kind_cpu,
	[TBX_RUN_KIND_MEM]	= &tbx_kind_mem,
	[TBX_RUN_KIND_NET]	= &tbx_kind_net,
};

static DEFINE_MUTEX(tbx_runs_lock);	/* the table, count and generation */
static DEFINE_IDR(tbx_runs);
static u32 tbx_runs_count;
static u32 tbx_runs_gen = 1;		/* bumped on every add and remove */
static bool tbx_runs_closing;		/* rmmod began: no new runs */
static struct workqueue_struct *tbx_run_wq;

/* --- references and lookup --------------------------------------------- */

static void tbx_run_put(struct tbx_run *run)
{
	if (!refcount_dec_and_test(&run->ref))
		return;
	if (run->priv)
		run->kind->free(run);
	kfree(run);
}

/* The run with @id, with a reference, or NULL. */
static struct tbx_run *tbx_run_lookup(u32 id)
{
	struct tbx_run *run;

	mutex_lock(&tbx_runs_lock);
	run = idr_find(&tbx_runs, id);
	if (run)
		refcount_inc(&run->ref);
	mutex_unlock(&tbx_runs_lock);
	return run;
}

/* The first run with an id >= *id, with a reference, or NULL. */
static struct tbx_run *tbx_run_next(unsigned long *id, u32 *gen)
{
	struct tbx_run *run;
	int next = *id;

	mutex_lock(&tbx_runs_lock);
	run = idr_get_next(&tbx_runs, &next);
	if (run) {
		refcount_inc(&run->ref);
		*id = next;
	}
	if (gen)
		*gen = tbx_runs_gen;
	mutex_unlock(&tbx_runs_lock);
	return run;
}

/*
 * Removes @run from the table. Returns true for the one caller that did,
 * which then owns the teardown (tbx_run_finish()).
 */
static bool tbx_run_unlink(struct tbx_run *run)
{
	unsigned long flags;
	bool owner = false;

	mutex_lock(&tbx_runs_lock);
	if (idr_find(&tbx_runs, run->id) == run) {
		idr_remove(&tbx_runs, run->id);
		tbx_runs_count--;
		tbx_runs_gen++;
		owner = true;
	}
	mutex_unlock(&tbx_runs_lock);

	if (owner) {
		spin_lock_irqsave(&run->kick_lock, flags);
		run->dying = true;
		spin_unlock_irqrestore(&run->kick_lock, flags);
	}
	return owner;
}

/* --- reporting ----------------------------------------------------------- */

static int tbx_run_put_time(struct sk_buff *skb, int type, u64 ns)
{
	return ns ? nla_put_u64_64bit(skb, type, ns, TBX_RUN_A_PAD) : 0;
}

/* Writes the TBX_A_RUN nest; run->lock held. */
static int tbx_run_fill(struct sk_buff *skb, struct tbx_run *run, u8 event)
{
	struct nlattr *nest, *kn;

	nest = nla_nest_start(skb, TBX_A_RUN);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, TBX_RUN_A_ID, run->id) ||
	    nla_put_u8(skb, TBX_RUN_A_KIND, run->kind->type) ||
	    nla_put_u8(skb, TBX_RUN_A_STATE, run->state) ||
	    (event && nla_put_u8(skb, TBX_RUN_A_EVENT, event)) ||
	    (run->owner[0] && nla_put_string(skb, TBX_RUN_A_OWNER, run->owner)) ||
	    tbx_run_put_time(skb, TBX_RUN_A_START, run->start) ||
	    nla_put_u64_64bit(skb, TBX_RUN_A_DURATION, run->duration,
			      TBX_RUN_A_PAD) ||
	    tbx_run_put_time(skb, TBX_RUN_A_CREATED, run->created) ||
	    tbx_run_put_time(skb, TBX_RUN_A_STARTED, run->started) ||
	    tbx_run_put_time(skb, TBX_RUN_A_ENDED, run->ended) ||
	    (run->message[0] &&
	     nla_put_string(skb, TBX_RUN_A_MESSAGE, run->message)))
		goto cancel;

	kn = nla_nest_start(skb, run->kind->nest);
	if (!kn || run->kind->fill(skb, run))
		goto cancel;
	nla_nest_end(skb, kn);

	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/* Room for a run's message: kinds with long parameters say how much. */
static size_t tbx_run_msg_size(struct tbx_run *run)
{
	return NLMSG_DEFAULT_SIZE +
	       (run->kind->fill_size ? run->kind->fill_size(run) : 0);
}

static int tbx_run_reply(struct genl_info *info, struct tbx_run *run)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(tbx_run_msg_size(run), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &tbx_genl_family, 0,
				info->genlhdr->cmd);
	if (!hdr || tbx_run_fill(msg, run, 0)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* Announces @event on the "events" group; run->lock held. */
static void tbx_run_notify(struct tbx_run *run, u8 event)
{
	struct sk_buff *skb;
	void *hdr;

	hdr = tbx_event_start(&skb, TBX_CMD_RUN_NTF, tbx_run_msg_size(run));
	if (!hdr)
		return;
	if (tbx_run_fill(skb, run, event)) {
		nlmsg_free(skb);
		return;
	}
	tbx_event_send(skb, hdr);
}

void tbx_run_set_message(struct tbx_run *run, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(run->message, sizeof(run->message), fmt, ap);
	va_end(ap);
}

/* --- lifecycle ----------------------------------------------------------- */

/* Queues the run's work unless it is being torn down. Any context. */
static void tbx_run_kick(struct tbx_run *run)
{
	unsigned long flags;

	spin_lock_irqsave(&run->kick_lock, flags);
	if (!run->dying && queue_work(tbx_run_wq, &run->work))
		refcount_inc(&run->ref);	/* dropped by the work */
	spin_unlock_irqrestore(&run->kick_lock, flags);
}

void tbx_run_fail(struct tbx_run *run, const char *msg)
{
	unsigned long flags;

	spin_lock_irqsave(&run->kick_lock, flags);
	if (!run->failing && !run->dying) {
		run->failing = true;
		strscpy(run->message, msg, sizeof(run->message));
	}
	spin_unlock_irqrestore(&run->kick_lock, flags);
	tbx_run_kick(run);
}

static enum hrtimer_restart tbx_run_timer_fired(struct hrtimer *t)
{
	tbx_run_kick(container_of(t, struct tbx_run, start_timer));
	return HRTIMER_NORESTART;
}

static enum hrtimer_restart tbx_run_end_fired(struct hrtimer *t)
{
	tbx_run_kick(container_of(t, struct tbx_run, end_timer));
	return HRTIMER_NORESTART;
}

/* PENDING -> RUNNING; run->lock held. */
static int tbx_run_begin(struct tbx_run *run, struct netlink_ext_ack *extack)
{
	int err = run->kind->start(run, extack);

	if (err)
		return err;
	run->state = TBX_RUN_STATE_RUNNING;
	run->started = tbx_run_now();
	if (run->duration)
		hrtimer_start(&run->end_timer, ns_to_ktime(run->duration),
			      HRTIMER_MODE_REL);
	return 0;
}

/*
 * Stops and retires a run that tbx_run_unlink() gave to the caller, and
 * drops the table's reference. @final: ENDED, STOPPED or FAILED.
 */
static void tbx_run_finish(struct tbx_run *run, enum tbx_run_state final,
			   const char *why)
{
	mutex_lock(&run->lock);
	/* The timer callbacks take no lock, so cancelling here is safe. */
	hrtimer_cancel(&run->start_timer);
	hrtimer_cancel(&run->end_timer);
	if (run->state == TBX_RUN_STATE_RUNNING)
		run->kind->stop(run);
	run->state = final;
	run->ended = tbx_run_now();
	if (why && !run->message[0])
		strscpy(run->message, why, sizeof(run->message));
	tbx_run_notify(run, TBX_RUN_EVENT_FINISHED);
	mutex_unlock(&run->lock);

	atomic_dec(&tbx_live.runs);
	tbx_run_put(run);
}

/* Finishes @run if nobody else is already doing so. */
static void tbx_run_retire(struct tbx_run *run, enum tbx_run_state final,
			   const char *why)
{
	if (tbx_run_unlink(run))
		tbx_run_finish(run, final, why);
}

/* Timed steps: the start instant came, the duration ran out, a failure. */
static void tbx_run_work(struct work_struct *work)
{
	struct tbx_run *run = container_of(work, struct tbx_run, work);
	enum tbx_run_state final = 0;
	bool dying, failing;
	int err;

	mutex_lock(&run->lock);
	spin_lock_irq(&run->kick_lock);
	dying = run->dying;
	failing = run->failing;
	spin_unlock_irq(&run->kick_lock);

	if (dying) {
		/* Someone else owns the teardown. */
	} else if (failing) {
		final = TBX_RUN_STATE_FAILED;
	} else if (run->state == TBX_RUN_STATE_PENDING) {
		err = tbx_run_begin(run, NULL);
		if (err) {
			if (!run->message[0])
				tbx_run_set_message(run, "%s run failed to start (error %d)",
						    run->kind->name, err);
			final = TBX_RUN_STATE_FAILED;
		} else {
			tbx_run_notify(run, TBX_RUN_EVENT_STARTED);
		}
	} else if (run->state == TBX_RUN_STATE_RUNNING) {
		/* Only the end timer kicks a healthy running run. */
		final = TBX_RUN_STATE_ENDED;
	}
	mutex_unlock(&run->lock);

	if (final)
		tbx_run_retire(run, final, NULL);
	tbx_run_put(run);	/* the work's reference */
}

/* Stops a run on request (DEL, rmmod). Returns false if it already went. */
static bool tbx_run_stop(struct tbx_run *run, const char *why)
{
	if (!tbx_run_unlink(run))
		return false;
	tbx_run_finish(run, TBX_RUN_STATE_STOPPED, why);
	if (cancel_work_sync(&run->work))
		tbx_run_put(run);	/* the cancelled work's reference */
	return true;
}

/* --- requests ------------------------------------------------------------ */

static const struct tbx_kind *tbx_run_kind_of(u8 kind)
{
	if (kind == TBX_RUN_KIND_UNSPEC || kind >= ARRAY_SIZE(tbx_kinds))
		return NULL;
	return tbx_kinds[kind];
}

static int tbx_run_parse(struct genl_info *info, struct nlattr **tb)
{
	if (GENL_REQ_ATTR_CHECK(info, TBX_A_RUN))
		return -EINVAL;
	return nla_parse_nested(tb, TBX_RUN_A_MAX, info->attrs[TBX_A_RUN],
				tbx_run_policy, info->extack);
}

/* Parses the kind's nest of @tb into @ktb; it must be there. */
static int tbx_run_parse_kind(const struct tbx_kind *kind,
			      struct nlattr **tb, struct nlattr **ktb,
			      struct genl_info *info)
{
	if (!tb[kind->nest]) {
		NL_SET_ERR_ATTR_MISS(info->extack, info->attrs[TBX_A_RUN],
				     kind->nest);
		NL_SET_ERR_MSG(info->extack,
			       "run: the kind's parameters (its nest) are missing");
		return -EINVAL;
	}
	return nla_parse_nested(ktb, kind->maxattr, tb[kind->nest],
				kind->policy, info->extack);
}

/* The run a request's ID names, with a reference; -ENOENT with extack. */
static struct tbx_run *tbx_run_from_request(struct genl_info *info,
					    struct nlattr **tb)
{
	struct tbx_run *run;

	if (!tb[TBX_RUN_A_ID]) {
		NL_SET_ERR_ATTR_MISS(info->extack, info->attrs[TBX_A_RUN],
				     TBX_RUN_A_ID);
		NL_SET_ERR_MSG(info->extack, "run: id is required");
		return ERR_PTR(-EINVAL);
	}
	run = tbx_run_lookup(nla_get_u32(tb[TBX_RUN_A_ID]));
	if (!run) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[TBX_RUN_A_ID],
				    "run: no run with this id");
		return ERR_PTR(-ENOENT);
	}
	return run;
}

/* Parses a SET, DEL or GET request and finds its run (a reference). */
static struct tbx_run *tbx_run_of_request(struct genl_info *info,
					  struct nlattr **tb)
{
	int err = tbx_run_parse(info, tb);

	return err ? ERR_PTR(err) : tbx_run_from_request(info, tb);
}

/* Replies with @run as it is now. */
static int tbx_run_reply_locked(struct genl_info *info, struct tbx_run *run)
{
	int err;

	mutex_lock(&run->lock);
	err = tbx_run_reply(info, run);
	mutex_unlock(&run->lock);
	return err;
}

/* Checks the common parameters of a NEW request into @run. */
static int tbx_run_check_new(struct tbx_run *run, struct nlattr **tb,
			     struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	unsigned int k;

	for (k = TBX_RUN_KIND_CPU; k <= TBX_RUN_KIND_MAX; k++) {
		const struct tbx_kind *other = tbx_kinds[k];

		if (other != run->kind && tb[other->nest]) {
			NL_SET_ERR_MSG_ATTR(extack, tb[other->nest],
					    "run: parameters of another kind");
			return -EINVAL;
		}
	}
	if (tb[TBX_RUN_A_START]) {
		run->start = nla_get_u64(tb[TBX_RUN_A_START]);
		if (run->start < tbx_run_now()) {
			NL_SET_ERR_MSG_ATTR(extack, tb[TBX_RUN_A_START],
					    "run: start is in the past");
			return -EINVAL;
		}
	}
	if (tb[TBX_RUN_A_DURATION]) {
		run->duration = nla_get_u64(tb[TBX_RUN_A_DURATION]);
		if (run->duration > TBX_RUN_DURATION_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, tb[TBX_RUN_A_DURATION],
					    "run: duration must be at most 366 days");
			return -EINVAL;
		}
		if (run->duration && run->duration < NSEC_PER_MSEC) {
			NL_SET_ERR_MSG_ATTR(extack, tb[TBX_RUN_A_DURATION],
					    "run: duration must be at least 1 ms (0 = until deleted)");
			return -EINVAL;
		}
	}
	if (tb[TBX_RUN_A_OWNER])
		nla_strscpy(run->owner, tb[TBX_RUN_A_OWNER], sizeof(run->owner));
	return 0;
}

static struct tbx_run *tbx_run_alloc(const struct tbx_kind *kind)
{
	struct tbx_run *run = kzalloc(sizeof(*run), GFP_KERNEL);

	if (!run)
		return NULL;
	run->kind = kind;
	refcount_set(&run->ref, 1);
	mutex_init(&run->lock);
	spin_lock_init(&run->kick_lock);
	run->state = TBX_RUN_STATE_PENDING;
	hrtimer_init(&run->start_timer, CLOCK_REALTIME, HRTIMER_MODE_ABS);
	run->start_timer.function = tbx_run_timer_fired;
	hrtimer_init(&run->end_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	run->end_timer.function = tbx_run_end_fired;
	INIT_WORK(&run->work, tbx_run_work);
	return run;
}

/*
 * Gives @run an id, not yet visible to lookups (NULL in the table), so a
 * kind can name its threads after it while starting.
 */
static int tbx_run_reserve(struct tbx_run *run, struct netlink_ext_ack *extack)
{
	struct tbx_config cfg;
	int id;

	tbx_config_get(&cfg);
	mutex_lock(&tbx_runs_lock);
	if (tbx_runs_count >= cfg.max_runs) {
		mutex_unlock(&tbx_runs_lock);
		NL_SET_ERR_MSG(extack, "run: max-runs reached (see tbx config)");
		return -ENOSPC;
	}
	id = idr_alloc_cyclic(&tbx_runs, NULL, 1, INT_MAX, GFP_KERNEL);
	if (id >= 0) {
		run->id = id;
		tbx_runs_count++;
	}
	mutex_unlock(&tbx_runs_lock);
	return id < 0 ? id : 0;
}

static void tbx_run_unreserve(struct tbx_run *run)
{
	mutex_lock(&tbx_runs_lock);
	idr_remove(&tbx_runs, run->id);
	tbx_runs_count--;
	mutex_unlock(&tbx_runs_lock);
}

/* Makes a reserved run visible. */
static void tbx_run_publish(struct tbx_run *run)
{
	mutex_lock(&tbx_runs_lock);
	idr_replace(&tbx_runs, run, run->id);
	tbx_runs_gen++;
	atomic_inc(&tbx_live.runs);
	mutex_unlock(&tbx_runs_lock);
}

/*
 * NEW. A run that starts now is started before it is published, so a
 * failure to start is the request's error and leaves nothing behind. A
 * timed run's start timer may fire before publication: its work waits on
 * run->lock, which is held until the run is published.
 */
int tbx_nl_run_new(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[TBX_RUN_A_MAX + 1];
	struct nlattr *ktb[TBX_RUN_KIND_ATTRS + 1];
	const struct tbx_kind *kind;
	struct tbx_run *run;
	int err;

	if (READ_ONCE(tbx_runs_closing))
		return -ESHUTDOWN;
	err = tbx_run_parse(info, tb);
	if (err)
		return err;
	if (!tb[TBX_RUN_A_KIND]) {
		NL_SET_ERR_ATTR_MISS(info->extack, info->attrs[TBX_A_RUN],
				     TBX_RUN_A_KIND);
		NL_SET_ERR_MSG(info->extack, "run: kind is required (cpu, mem or net)");
		return -EINVAL;
	}
	kind = tbx_run_kind_of(nla_get_u8(tb[TBX_RUN_A_KIND]));
	if (!kind) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[TBX_RUN_A_KIND],
				    "run: kind must be cpu (1), mem (2) or net (3)");
		return -EINVAL;
	}
	run = tbx_run_alloc(kind);
	if (!run)
		return -ENOMEM;
	err = tbx_run_check_new(run, tb, info);
	if (err)
		goto free;
	err = tbx_run_parse_kind(kind, tb, ktb, info);
	if (err)
		goto free;
	err = tbx_run_reserve(run, info->extack);
	if (err)
		goto free;

	mutex_lock(&run->lock);
	err = kind->create(run, ktb, nla_get_flag(tb[TBX_RUN_A_FORCE]),
			   genl_info_net(info), info->extack);
	if (err)
		goto unreserve;
	run->created = tbx_run_now();
	if (run->start) {
		hrtimer_start(&run->start_timer, ns_to_ktime(run->start),
			      HRTIMER_MODE_ABS);
	} else {
		err = tbx_run_begin(run, info->extack);
		if (err)
			goto unreserve;
	}
	tbx_run_publish(run);
	tbx_run_notify(run, TBX_RUN_EVENT_CREATED);
	if (run->state == TBX_RUN_STATE_RUNNING)
		tbx_run_notify(run, TBX_RUN_EVENT_STARTED);
	err = tbx_run_reply(info, run);
	mutex_unlock(&run->lock);
	/* The run exists now, reply or not: the table holds it. */
	return err;

unreserve:
	mutex_unlock(&run->lock);
	tbx_run_unreserve(run);
free:
	tbx_run_put(run);
	return err;
}

int tbx_nl_run_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[TBX_RUN_A_MAX + 1];
	struct nlattr *ktb[TBX_RUN_KIND_ATTRS + 1];
	struct tbx_run *run;
	int err;

	run = tbx_run_of_request(info, tb);
	if (IS_ERR(run))
		return PTR_ERR(run);
	err = tbx_run_parse_kind(run->kind, tb, ktb, info);
	if (err)
		goto put;

	mutex_lock(&run->lock);
	if (READ_ONCE(run->dying)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[TBX_RUN_A_ID],
				    "run: it finished meanwhile");
		err = -ENOENT;
	} else {
		err = run->kind->set(run, ktb, nla_get_flag(tb[TBX_RUN_A_FORCE]),
				     info->extack);
	}
	if (!err) {
		tbx_run_notify(run, TBX_RUN_EVENT_CHANGED);
		err = tbx_run_reply(info, run);
	}
	mutex_unlock(&run->lock);
put:
	tbx_run_put(run);
	return err;
}

/* DEL stops the run and replies with its final figures. */
int tbx_nl_run_del(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[TBX_RUN_A_MAX + 1];
	struct tbx_run *run;
	int err;

	run = tbx_run_of_request(info, tb);
	if (IS_ERR(run))
		return PTR_ERR(run);
	if (tbx_run_stop(run, "deleted")) {
		err = tbx_run_reply_locked(info, run);
	} else {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[TBX_RUN_A_ID],
				    "run: it finished meanwhile");
		err = -ENOENT;
	}
	tbx_run_put(run);
	return err;
}

int tbx_nl_run_get(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[TBX_RUN_A_MAX + 1];
	struct tbx_run *run;
	int err;

	run = tbx_run_of_request(info, tb);
	if (IS_ERR(run))
		return PTR_ERR(run);
	err = tbx_run_reply_locked(info, run);
	tbx_run_put(run);
	return err;
}

/* A dump's optional filter: TBX_A_RUN with OWNER and/or KIND. */
static bool tbx_run_matches(struct tbx_run *run, struct nlattr **filter)
{
	const struct tbx_kind *kind;

	if (filter[TBX_RUN_A_OWNER] &&
	    nla_strcmp(filter[TBX_RUN_A_OWNER], run->owner))
		return false;
	if (filter[TBX_RUN_A_KIND]) {
		kind = tbx_run_kind_of(nla_get_u8(filter[TBX_RUN_A_KIND]));
		if (kind != run->kind)
			return false;
	}
	return true;
}

/*
 * Dumps every run in id order; cb->args[0] is the next id. A run added or
 * removed during the dump marks it NLM_F_DUMP_INTR, so the reader re-runs it.
 */
int tbx_nl_run_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct genl_dumpit_info *di = genl_dumpit_info(cb);
	struct nlattr *filter[TBX_RUN_A_MAX + 1] = {};
	struct tbx_run *run;
	unsigned long id = cb->args[0];
	u32 gen;
	void *hdr;
	int err;

	if (di->attrs[TBX_A_RUN]) {
		err = nla_parse_nested(filter, TBX_RUN_A_MAX, di->attrs[TBX_A_RUN],
				       tbx_run_policy, cb->extack);
		if (err)
			return err;
	}

	for (; (run = tbx_run_next(&id, &gen)); id++) {
		cb->seq = gen;
		if (!tbx_run_matches(run, filter)) {
			tbx_run_put(run);
			continue;
		}
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &tbx_genl_family,
				  NLM_F_MULTI, TBX_CMD_RUN_GET);
		if (!hdr) {
			tbx_run_put(run);
			break;
		}
		mutex_lock(&run->lock);
		err = tbx_run_fill(skb, run, 0);
		mutex_unlock(&run->lock);
		tbx_run_put(run);
		if (err) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		nl_dump_check_consistent(cb, genlmsg_nlhdr(hdr));
		genlmsg_end(skb, hdr);
	}
	cb->args[0] = id;
	return skb->len;
}

/* --- module load and unload ------------------------------------------------ */

int __init tbx_runs_init(void)
{
	unsigned int k, done;
	int err;

	for (k = TBX_RUN_KIND_CPU; k <= TBX_RUN_KIND_MAX; k++)
		if (WARN_ON(tbx_kinds[k]->maxattr > TBX_RUN_KIND_ATTRS))
			return -EINVAL;

	tbx_run_wq = alloc_workqueue("tbx_run", WQ_UNBOUND | WQ_HIGHPRI, 0);
	if (!tbx_run_wq)
		return -ENOMEM;
	for (done = TBX_RUN_KIND_CPU; done <= TBX_RUN_KIND_MAX; done++) {
		const struct tbx_kind *kind = tbx_kinds[done];

		err = kind->init ? kind->init() : 0;
		if (err)
			goto unwind;
	}
	return 0;
unwind:
	while (--done >= TBX_RUN_KIND_CPU)
		if (tbx_kinds[done]->exit)
			tbx_kinds[done]->exit();
	destroy_workqueue(tbx_run_wq);
	return err;
}

/*
 * rmmod: refuse new runs, stop every run (each announced as STOPPED), then
 * let the kinds and the workqueue go.
 */
void tbx_runs_exit(void)
{
	struct tbx_run *run;
	unsigned long id = 0;
	unsigned int k;

	/* Requests run under genl_lock: after this, none can start a run. */
	genl_lock();
	WRITE_ONCE(tbx_runs_closing, true);
	genl_unlock();

	while ((run = tbx_run_next(&id, NULL))) {
		tbx_run_stop(run, "module unloaded");
		tbx_run_put(run);
	}
	destroy_workqueue(tbx_run_wq);	/* drains work that lost its run */
	for (k = TBX_RUN_KIND_CPU; k <= TBX_RUN_KIND_MAX; k++)
		if (tbx_kinds[k]->exit)
			tbx_kinds[k]->exit();
	idr_destroy(&tbx_runs);
}
