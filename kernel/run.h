/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Runs: the lifecycle every contention load shares (run.c), and the
 * interface each kind (cpu.c, mem.c, net.c) implements.
 *
 * Locking. tbx_runs_lock (run.c) guards the id table. run->lock
 * serialises a run's lifecycle and every call into its kind: create,
 * start, stop, set and fill are all called with it held (create before the
 * run is visible). A kind's own threads must never take run->lock: stop()
 * waits for them while holding it. They report trouble with tbx_run_fail(),
 * which only queues work.
 */
#ifndef _TBX_RUN_H
#define _TBX_RUN_H

#include <linux/hrtimer.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>

#include <uapi/linux/tbx.h>

struct tbx_run;

struct tbx_kind {
	u8 type;			/* enum tbx_run_kind */
	const char *name;		/* "cpu", for messages */
	u16 nest;			/* TBX_RUN_A_CPU, ... */
	const struct nla_policy *policy;
	unsigned int maxattr;

	/* Module load and unload (optional): notifiers and the like. */
	int (*init)(void);
	void (*exit)(void);

	/*
	 * Validates the kind's parameters (@tb parsed with @policy) and
	 * allocates run->priv. Reports every bad value with extack and
	 * leaves nothing behind on error. @force: the request said FORCE.
	 * @net: the requester's network namespace.
	 */
	int (*create)(struct tbx_run *run, struct nlattr **tb, bool force,
		      struct net *net, struct netlink_ext_ack *extack);
	/*
	 * Starts the load (process context, may sleep). On error nothing
	 * runs; when @extack is NULL (a timed start) the kind may record a
	 * reason with tbx_run_set_message().
	 */
	int (*start)(struct tbx_run *run, struct netlink_ext_ack *extack);
	/* Stops the load and keeps its final figures for fill(). */
	void (*stop)(struct tbx_run *run);
	/*
	 * Changes the level in place (@tb: the kind's nest in a SET
	 * request; never NULL). Pending or running. All or nothing.
	 */
	int (*set)(struct tbx_run *run, struct nlattr **tb, bool force,
		   struct netlink_ext_ack *extack);
	/* Writes the kind's attributes (parameters, then figures). */
	int (*fill)(struct sk_buff *skb, struct tbx_run *run);
	/* Optional: bytes fill() may need beyond NLMSG_DEFAULT_SIZE. */
	size_t (*fill_size)(struct tbx_run *run);
	/* Frees run->priv; the load is stopped or never started. */
	void (*free)(struct tbx_run *run);
};

struct tbx_run {
	u32 id;
	refcount_t ref;
	const struct tbx_kind *kind;
	void *priv;			/* the kind's state */

	struct mutex lock;
	enum tbx_run_state state;
	char owner[TBX_RUN_OWNER_MAX];
	char message[TBX_RUN_MESSAGE_MAX];
	u64 start;			/* requested instant (realtime ns), 0 = now */
	u64 duration;			/* ns, 0 = until deleted */
	u64 created, started, ended;	/* realtime ns, 0 = not yet */

	spinlock_t kick_lock;		/* dying, and queueing work */
	bool dying;			/* unlinked: no more work queued */
	bool failing;			/* tbx_run_fail() was called */
	struct hrtimer start_timer;	/* CLOCK_REALTIME, absolute */
	struct hrtimer end_timer;	/* CLOCK_MONOTONIC, relative */
	struct work_struct work;
};

/* The kinds, indexed by enum tbx_run_kind. */
extern const struct tbx_kind tbx_kind_cpu;
extern const struct tbx_kind tbx_kind_mem;
extern const struct tbx_kind tbx_kind_net;

/*
 * Called by a kind when its load cannot go on (a device went away, memory
 * ran out): the run finishes as FAILED with @msg, from a workqueue. Any
 * context; safe to call more than once (the first message wins).
 */
void tbx_run_fail(struct tbx_run *run, const char *msg);
/* Records why a run failed; run->lock held. */
void tbx_run_set_message(struct tbx_run *run, const char *fmt, ...) __printf(2, 3);

/* Realtime now, in ns: the clock the ABI's instants use. */
static inline u64 tbx_run_now(void)
{
	return ktime_get_real_ns();
}

#endif
