// SPDX-License-Identifier: GPL-2.0
/*
 * mem runs: allocate, touch and hold N bytes of RAM, as lookbusy and
 * stressapptest did for COCOMA. The pages are the kernel's own, so they
 * stay resident (no swap, no reclaim) and MemAvailable drops by what the
 * run holds. With RETOUCH every held byte is rewritten, then the thread
 * sleeps RETOUCH us (COCOMA's memSleep): memory-bandwidth contention.
 *
 * One thread per run grows or shrinks the holding to its target, so a
 * SET or a large request never stalls a netlink request, and a delete
 * during allocation stops it at the next chunk.
 */
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include <linux/xarray.h>

#include "tbx.h"
#include "run.h"

/* Chunks are up to 2 MiB: large enough to allocate 1 GiB quickly. */
#define TBX_MEM_ORDER_MAX	min(9, MAX_ORDER - 1)
#define TBX_MEM_PATTERN		0xa5
/* Longer pauses between passes are not contention; and stop must be quick. */
#define TBX_MEM_RETOUCH_MAX_US	1000000

static const struct nla_policy tbx_mem_policy[TBX_MEM_A_MAX + 1] = {
	[TBX_MEM_A_BYTES]	= { .type = NLA_U64 },
	[TBX_MEM_A_RETOUCH]	= { .type = NLA_U32 },
};

struct tbx_mem {
	struct tbx_run *run;
	u64 target;			/* bytes, page-rounded; SET changes it */
	bool retouch;
	u32 retouch_us;

	struct task_struct *thread;
	wait_queue_head_t wake;		/* target changed */
	struct xarray chunks;		/* index -> compound page */
	unsigned long nchunks;
	atomic64_t held;		/* bytes */
	atomic64_t peak;
	atomic64_t passes;
};

static u64 tbx_mem_available(void)
{
	return (u64)si_mem_available() << PAGE_SHIFT;
}

/*
 * The guard: growing by @grow bytes may take at most mem-guard % of what
 * is available now, unless forced. Bytes beyond RAM are refused always.
 */
static int tbx_mem_check(u64 bytes, u64 grow, bool force, struct nlattr *attr,
			 struct netlink_ext_ack *extack)
{
	struct tbx_config cfg;

	if (!bytes) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "mem: bytes must be more than 0");
		return -EINVAL;
	}
	if (bytes > ((u64)totalram_pages() << PAGE_SHIFT)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "mem: bytes exceed this machine's RAM");
		return -EINVAL;
	}
	tbx_config_get(&cfg);
	if (!force &&
	    grow > div_u64(tbx_mem_available(), 100) * cfg.mem_guard_pct) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "mem: more than mem-guard % of available memory; add force to insist");
		return -ENOMEM;
	}
	return 0;
}

/* --- the holding thread ---------------------------------------------------- */

static void tbx_mem_touch(struct page *page)
{
	memset(page_address(page), TBX_MEM_PATTERN, page_size(page));
}

/* Allocates and touches one chunk of at most @want bytes; 0 or -ENOMEM. */
static int tbx_mem_grow(struct tbx_mem *m, u64 want)
{
	gfp_t gfp = GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN | __GFP_COMP;
	int order = min_t(int, TBX_MEM_ORDER_MAX, ilog2(want >> PAGE_SHIFT));
	struct page *page = NULL;

	/* __GFP_NORETRY even at order 0: a failed run beats the OOM killer. */
	for (; order >= 0 && !page; order--)
		page = alloc_pages(gfp, order);
	if (!page)
		return -ENOMEM;
	tbx_mem_touch(page);
	if (xa_err(xa_store(&m->chunks, m->nchunks, page, GFP_KERNEL))) {
		__free_pages(page, compound_order(page));
		return -ENOMEM;
	}
	m->nchunks++;
	atomic64_add(page_size(page), &m->held);
	if (atomic64_read(&m->held) > atomic64_read(&m->peak))
		atomic64_set(&m->peak, atomic64_read(&m->held));
	return 0;
}

/* Frees the last chunk. */
static void tbx_mem_shrink(struct tbx_mem *m)
{
	struct page *page = xa_erase(&m->chunks, --m->nchunks);

	atomic64_sub(page_size(page), &m->held);
	__free_pages(page, compound_order(page));
}

static void tbx_mem_free_all(struct tbx_mem *m)
{
	while (m->nchunks)
		tbx_mem_shrink(m);
}

/* One pass rewriting every held byte; stops early when asked to. */
static bool tbx_mem_retouch_pass(struct tbx_mem *m)
{
	unsigned long i;

	for (i = 0; i < m->nchunks; i++) {
		if (kthread_should_stop() || READ_ONCE(m->target) !=
					     (u64)atomic64_read(&m->held))
			return false;
		tbx_mem_touch(xa_load(&m->chunks, i));
		cond_resched();
	}
	atomic64_inc(&m->passes);
	return true;
}

/* After a failure: keep nothing, wait to be stopped (never exit early). */
static void tbx_mem_park(struct tbx_mem *m)
{
	tbx_mem_free_all(m);
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
}

static int tbx_mem_thread(void *arg)
{
	struct tbx_mem *m = arg;

	while (!kthread_should_stop()) {
		u64 target = READ_ONCE(m->target);
		u64 held = atomic64_read(&m->held);

		if (held < target) {
			if (tbx_mem_grow(m, target - held)) {
				tbx_run_fail(m->run, "mem: out of memory while allocating");
				tbx_mem_park(m);
				break;
			}
			cond_resched();
		} else if (held > target) {
			tbx_mem_shrink(m);
		} else if (m->retouch) {
			if (tbx_mem_retouch_pass(m) && m->retouch_us)
				wait_event_interruptible_hrtimeout(m->wake,
					kthread_should_stop() ||
					READ_ONCE(m->target) != (u64)atomic64_read(&m->held),
					ns_to_ktime((u64)m->retouch_us * NSEC_PER_USEC));
		} else {
			wait_event_interruptible(m->wake, kthread_should_stop() ||
				READ_ONCE(m->target) != (u64)atomic64_read(&m->held));
		}
	}
	return 0;
}

/* --- the kind ------------------------------------------------------------------ */

static int tbx_mem_create(struct tbx_run *run, struct nlattr **tb, bool force,
			  struct net *net, struct netlink_ext_ack *extack)
{
	struct tbx_mem *m;
	u64 bytes;
	int err;

	if (!tb[TBX_MEM_A_BYTES]) {
		NL_SET_ERR_MSG(extack, "mem: bytes is required");
		return -EINVAL;
	}
	bytes = nla_get_u64(tb[TBX_MEM_A_BYTES]);
	err = tbx_mem_check(bytes, bytes, force, tb[TBX_MEM_A_BYTES], extack);
	if (err)
		return err;
	if (tb[TBX_MEM_A_RETOUCH] &&
	    nla_get_u32(tb[TBX_MEM_A_RETOUCH]) > TBX_MEM_RETOUCH_MAX_US) {
		NL_SET_ERR_MSG_ATTR(extack, tb[TBX_MEM_A_RETOUCH],
				    "mem: retouch must be 0..1000000 us (at most 1 s between passes)");
		return -EINVAL;
	}

	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	m->run = run;
	m->target = PAGE_ALIGN(bytes);
	if (tb[TBX_MEM_A_RETOUCH]) {
		m->retouch = true;
		m->retouch_us = nla_get_u32(tb[TBX_MEM_A_RETOUCH]);
	}
	init_waitqueue_head(&m->wake);
	xa_init(&m->chunks);
	run->priv = m;
	return 0;
}

static int tbx_mem_start(struct tbx_run *run, struct netlink_ext_ack *extack)
{
	struct tbx_mem *m = run->priv;
	struct task_struct *t;

	t = kthread_create(tbx_mem_thread, m, "tbx-mem/%u", run->id);
	if (IS_ERR(t)) {
		NL_SET_ERR_MSG(extack, "mem: cannot create the holding thread");
		return PTR_ERR(t);
	}
	get_task_struct(t);
	m->thread = t;
	wake_up_process(t);
	return 0;
}

static void tbx_mem_stop(struct tbx_run *run)
{
	struct tbx_mem *m = run->priv;

	kthread_stop(m->thread);
	put_task_struct(m->thread);
	m->thread = NULL;
	tbx_mem_free_all(m);
}

static int tbx_mem_set(struct tbx_run *run, struct nlattr **tb, bool force,
		       struct netlink_ext_ack *extack)
{
	struct tbx_mem *m = run->priv;
	u64 bytes, held;
	int err;

	if (tb[TBX_MEM_A_RETOUCH]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[TBX_MEM_A_RETOUCH],
				    "mem: only bytes can change");
		return -EINVAL;
	}
	if (!tb[TBX_MEM_A_BYTES]) {
		NL_SET_ERR_MSG(extack, "mem: bytes is required");
		return -EINVAL;
	}
	bytes = nla_get_u64(tb[TBX_MEM_A_BYTES]);
	held = atomic64_read(&m->held);
	err = tbx_mem_check(bytes, bytes > held ? bytes - held : 0, force,
			    tb[TBX_MEM_A_BYTES], extack);
	if (err)
		return err;
	WRITE_ONCE(m->target, PAGE_ALIGN(bytes));
	wake_up(&m->wake);
	return 0;
}

static int tbx_mem_fill(struct sk_buff *skb, struct tbx_run *run)
{
	struct tbx_mem *m = run->priv;
	u64 held = m->thread ? atomic64_read(&m->held) : atomic64_read(&m->peak);

	if (nla_put_u64_64bit(skb, TBX_MEM_A_BYTES, READ_ONCE(m->target),
			      TBX_MEM_A_PAD) ||
	    (m->retouch && nla_put_u32(skb, TBX_MEM_A_RETOUCH, m->retouch_us)) ||
	    nla_put_u64_64bit(skb, TBX_MEM_A_HELD, held, TBX_MEM_A_PAD) ||
	    nla_put_u64_64bit(skb, TBX_MEM_A_PASSES, atomic64_read(&m->passes),
			      TBX_MEM_A_PAD))
		return -EMSGSIZE;
	return 0;
}

static void tbx_mem_free(struct tbx_run *run)
{
	struct tbx_mem *m = run->priv;

	tbx_mem_free_all(m);
	xa_destroy(&m->chunks);
	kfree(m);
}

const struct tbx_kind tbx_kind_mem = {
	.type		= TBX_RUN_KIND_MEM,
	.name		= "mem",
	.nest		= TBX_RUN_A_MEM,
	.policy		= tbx_mem_policy,
	.maxattr	= TBX_MEM_A_MAX,
	.create		= tbx_mem_create,
	.start		= tbx_mem_start,
	.stop		= tbx_mem_stop,
	.set		= tbx_mem_set,
	.fill		= tbx_mem_fill,
	.free		= tbx_mem_free,
};
