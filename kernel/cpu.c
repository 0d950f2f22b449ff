// SPDX-License-Identifier: GPL-2.0
/*
 * cpu runs: one kernel thread per CPU of the run's set, bound to it,
 * SCHED_NORMAL nice 0, holding a utilisation LEVEL % (duty.h has the
 * arithmetic). MODE add: the thread itself uses LEVEL % of its CPU. MODE
 * total: the CPU's total use, everything counted, is held at LEVEL %: the
 * thread measures the CPU's busy time and spins only the difference.
 *
 * The threads never take run->lock. They read the level with READ_ONCE
 * each period (set wakes them) and report a CPU going offline with tbx_run_fail(), then
 * wait for kthread_stop(). stop() stops and joins them.
 *
 * Threads are named "tbx-cpu/<run id>/<cpu>" (cut to the 15 characters a
 * task name holds).
 */
#include <linux/cpumask.h>
#include <linux/hrtimer.h>
#include <linux/kernel_stat.h>
#include <linux/kthread.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/tick.h>

#include "duty.h"
#include "run.h"

/*
 * Successive clock reads further apart than this mean the spinning thread
 * did not run in between (preempted, or an interrupt): not counted.
 */
#define TBX_CPU_GAP_NS		(50 * NSEC_PER_USEC)
/* Rests shorter than this are not worth a sleep. */
#define TBX_CPU_REST_MIN_NS	(20 * NSEC_PER_USEC)
/* Timer slack for the sleeps: small, the level depends on them. */
#define TBX_CPU_SLACK_NS	(10 * NSEC_PER_USEC)
/* At level 0 a thread only sleeps: in long periods (set wakes it). */
#define TBX_CPU_IDLE_PERIOD_NS	(100 * NSEC_PER_MSEC)

struct tbx_cpu_run;

struct tbx_cpu_worker {
	struct tbx_cpu_run *cr;
	struct task_struct *task;	/* with a reference; NULL when stopped */
	unsigned int cpu;
};

struct tbx_cpu_run {
	struct tbx_run *run;
	u32 level;			/* WRITE_ONCE by set, READ_ONCE by threads */
	u8 mode;			/* enum tbx_cpu_mode */
	cpumask_var_t cpus;
	u64 cpu_time;			/* ns used by threads already stopped */
	unsigned int nr;
	struct tbx_cpu_worker *w;	/* nr of them, in CPU order */
};

static const struct nla_policy tbx_cpu_policy[TBX_CPU_A_MAX + 1] = {
	[TBX_CPU_A_LEVEL]	= { .type = NLA_U32 },
	[TBX_CPU_A_MODE]	= { .type = NLA_U8 },
	[TBX_CPU_A_CPUS]	= { .type = NLA_NUL_STRING,
				    .len = TBX_CPU_CPUS_MAX - 1 },
	[TBX_CPU_A_COUNT]	= { .type = NLA_U32 },
};

/* --- the threads ------------------------------------------------------- */

/*
 * A CPU's idle clock: precise with NO_HZ, else the tick-based counters.
 * And what the thread consumed, as the scheduler charges it (what
 * CPU_TIME reports): its own spinning plus interrupts that hit it, less
 * the time others preempted it. Up to date as of its last sleep.
 */
struct tbx_cpu_sample {
	u64 now;	/* ktime ns */
	u64 idle;	/* ns idle or in iowait */
	u64 exec;	/* ns the scheduler charged this thread */
	bool precise;	/* from tick-sched rather than kcpustat */
};

static void tbx_cpu_sample(unsigned int cpu, struct tbx_cpu_sample *s)
{
	u64 idle = get_cpu_idle_time_us(cpu, NULL);
	u64 iowait = get_cpu_iowait_time_us(cpu, NULL);

	s->now = ktime_get_ns();
	s->exec = READ_ONCE(current->se.sum_exec_runtime);
	s->precise = idle != -1ULL && iowait != -1ULL;
	if (s->precise) {
		s->idle = (idle + iowait) * NSEC_PER_USEC;
	} else {
		s->idle = kcpustat_cpu(cpu).cpustat[CPUTIME_IDLE] +
			  kcpustat_cpu(cpu).cpustat[CPUTIME_IOWAIT];
	}
}

/*
 * Spins until @budget ns of running are counted or the period ends at
 * @deadline (ktime ns). Time it was preempted or interrupted is not
 * counted, so the budget is the thread's own running.
 */
static void tbx_cpu_spin(u64 budget, u64 deadline)
{
	u64 ran = 0, t = ktime_get_ns(), now, d;

	while (ran < budget && t < deadline) {
		cond_resched();
		if (kthread_should_stop())
			break;
		cpu_relax();
		now = ktime_get_ns();
		d = now - t;
		t = now;
		if (d <= TBX_CPU_GAP_NS)
			ran += d;
	}
}

/* Sleeps until @deadline (ktime ns) or kthread_stop(). */
static void tbx_cpu_rest(u64 deadline)
{
	ktime_t until = ns_to_ktime(deadline);

	if (deadline < ktime_get_ns() + TBX_CPU_REST_MIN_NS)
		return;
	set_current_state(TASK_INTERRUPTIBLE);
	if (!kthread_should_stop())
		schedule_hrtimeout_range(&until, TBX_CPU_SLACK_NS,
					 HRTIMER_MODE_ABS);
	__set_current_state(TASK_RUNNING);
}

/* A thread that cannot go on waits here: only kthread_stop() ends it. */
static void tbx_cpu_wait_stop(void)
{
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop())
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
}

static int tbx_cpu_thread(void *arg)
{
	struct tbx_cpu_worker *w = arg;
	struct tbx_cpu_run *cr = w->cr;
	bool total = cr->mode == TBX_CPU_MODE_TOTAL;
	struct tbx_cpu_sample prev, cur;
	struct tbx_duty duty = {};
	u32 level, last = U32_MAX;
	u64 period, budget;

	tbx_cpu_sample(w->cpu, &prev);
	while (!kthread_should_stop()) {
		/* Bound to w->cpu: running elsewhere means it went offline. */
		if (raw_smp_processor_id() != w->cpu) {
			tbx_run_fail(cr->run, "cpu: a CPU of the run went offline");
			tbx_cpu_wait_stop();
			break;
		}
		level = READ_ONCE(cr->level);
		if (level != last)
			duty = (struct tbx_duty){};	/* old debts are moot */
		last = level;

		period = level ? tbx_duty_period(get_random_u32()) :
				 TBX_CPU_IDLE_PERIOD_NS;
		budget = tbx_duty_budget(&duty, level, period);
		if (budget)
			tbx_cpu_spin(budget, prev.now + period);
		tbx_cpu_rest(prev.now + period);

		tbx_cpu_sample(w->cpu, &cur);
		/*
		 * What the scheduler charged the thread is what it used: the
		 * debt then also covers interrupts that hit its spinning.
		 * A change of idle clock makes the deltas meaningless.
		 */
		if (cur.precise == prev.precise)
			tbx_duty_account(&duty, level, cur.now - prev.now,
					 tbx_duty_busy(cur.now - prev.now,
						       cur.idle - prev.idle),
					 cur.exec - prev.exec, total);
		prev = cur;
	}
	return 0;
}

/* --- parameters -------------------------------------------------------- */

static int tbx_cpu_level(struct nlattr *attr, u32 *level,
			 struct netlink_ext_ack *extack)
{
	if (!attr) {
		NL_SET_ERR_MSG(extack, "cpu: level is required (percent, 0..100)");
		return -EINVAL;
	}
	*level = nla_get_u32(attr);
	if (*level > TBX_DUTY_LEVEL_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "cpu: level must be 0..100 (percent)");
		return -EINVAL;
	}
	return 0;
}

static int tbx_cpu_mode(struct nlattr *attr, u8 *mode,
			struct netlink_ext_ack *extack)
{
	*mode = attr ? nla_get_u8(attr) : TBX_CPU_MODE_ADD;
	if (*mode != TBX_CPU_MODE_ADD && *mode != TBX_CPU_MODE_TOTAL) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "cpu: mode must be add (1) or total (2)");
		return -EINVAL;
	}
	return 0;
}

/* The CPU list in @attr into @mask: non-empty, every CPU online. */
static int tbx_cpu_parse_list(struct nlattr *attr, struct cpumask *mask,
			      struct netlink_ext_ack *extack)
{
	int err = cpulist_parse(nla_data(attr), mask);

	/* A CPU number beyond the possible ones is not online either. */
	if (err == -ERANGE || (!err && !cpumask_subset(mask, cpu_online_mask))) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "cpu: cpus names a CPU that is not online");
		return -EINVAL;
	}
	if (err || cpumask_empty(mask)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "cpu: cpus must be a CPU list like 0-1,3");
		return -EINVAL;
	}
	return 0;
}

/* The first @attr online CPUs into @mask. */
static int tbx_cpu_parse_count(struct nlattr *attr, struct cpumask *mask,
			       struct netlink_ext_ack *extack)
{
	u32 n = nla_get_u32(attr);
	unsigned int cpu;

	if (n < 1 || n > num_online_cpus()) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "cpu: count must be 1..the number of online CPUs");
		return -EINVAL;
	}
	cpumask_clear(mask);
	for_each_online_cpu(cpu) {
		if (!n--)
			break;
		cpumask_set_cpu(cpu, mask);
	}
	return 0;
}

static int tbx_cpu_parse_set(struct nlattr **tb, struct cpumask *mask,
			     struct netlink_ext_ack *extack)
{
	if (tb[TBX_CPU_A_CPUS] && tb[TBX_CPU_A_COUNT]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[TBX_CPU_A_COUNT],
				    "cpu: give cpus or count, not both");
		return -EINVAL;
	}
	if (tb[TBX_CPU_A_CPUS])
		return tbx_cpu_parse_list(tb[TBX_CPU_A_CPUS], mask, extack);
	if (tb[TBX_CPU_A_COUNT])
		return tbx_cpu_parse_count(tb[TBX_CPU_A_COUNT], mask, extack);
	cpumask_copy(mask, cpu_online_mask);
	return 0;
}

/* --- the kind ------------------------------------------------------------ */

/* The run's CPUs as a list in @buf; false if it does not fit the ABI. */
static bool tbx_cpu_list(struct tbx_cpu_run *cr, char buf[TBX_CPU_CPUS_MAX])
{
	return snprintf(buf, TBX_CPU_CPUS_MAX, "%*pbl",
			cpumask_pr_args(cr->cpus)) < TBX_CPU_CPUS_MAX;
}

static void tbx_cpu_priv_free(struct tbx_cpu_run *cr)
{
	if (!cr)
		return;
	kfree(cr->w);
	free_cpumask_var(cr->cpus);
	kfree(cr);
}

static int tbx_cpu_create(struct tbx_run *run, struct nlattr **tb, bool force,
			  struct net *net, struct netlink_ext_ack *extack)
{
	char list[TBX_CPU_CPUS_MAX];
	struct tbx_cpu_run *cr;
	unsigned int cpu, i = 0;
	int err;

	cr = kzalloc(sizeof(*cr), GFP_KERNEL);
	if (!cr)
		return -ENOMEM;
	if (!zalloc_cpumask_var(&cr->cpus, GFP_KERNEL)) {
		kfree(cr);
		return -ENOMEM;
	}
	err = tbx_cpu_level(tb[TBX_CPU_A_LEVEL], &cr->level, extack);
	if (!err)
		err = tbx_cpu_mode(tb[TBX_CPU_A_MODE], &cr->mode, extack);
	if (!err)
		err = tbx_cpu_parse_set(tb, cr->cpus, extack);
	if (err)
		goto free;
	/* Replies carry the set as a list: it must fit their bound. */
	if (!tbx_cpu_list(cr, list)) {
		NL_SET_ERR_MSG(extack, "cpu: the CPU set's list is longer than 255 bytes");
		err = -EINVAL;
		goto free;
	}

	cr->run = run;
	cr->nr = cpumask_weight(cr->cpus);
	cr->w = kcalloc(cr->nr, sizeof(*cr->w), GFP_KERNEL);
	if (!cr->w) {
		err = -ENOMEM;
		goto free;
	}
	for_each_cpu(cpu, cr->cpus) {
		cr->w[i].cr = cr;
		cr->w[i].cpu = cpu;
		i++;
	}
	run->priv = cr;
	return 0;
free:
	tbx_cpu_priv_free(cr);
	return err;
}

/* Stops and joins every thread that was made, keeping their CPU time. */
static void tbx_cpu_stop_threads(struct tbx_cpu_run *cr)
{
	struct tbx_cpu_worker *w;
	unsigned int i;

	for (i = 0; i < cr->nr; i++) {
		w = &cr->w[i];
		if (!w->task)
			continue;
		kthread_stop(w->task);
		cr->cpu_time += READ_ONCE(w->task->se.sum_exec_runtime);
		put_task_struct(w->task);
		w->task = NULL;
	}
}

/* Why start failed: to the requester, or kept for a timed start. */
#define tbx_cpu_start_fail(run, msg, extack)				\
	do {								\
		if (extack)						\
			NL_SET_ERR_MSG(extack, msg);			\
		else							\
			tbx_run_set_message(run, "%s", msg);		\
	} while (0)

static int tbx_cpu_start(struct tbx_run *run, struct netlink_ext_ack *extack)
{
	struct tbx_cpu_run *cr = run->priv;
	struct task_struct *task;
	unsigned int i;

	/* A timed start may find a CPU gone since create. */
	if (!cpumask_subset(cr->cpus, cpu_online_mask)) {
		tbx_cpu_start_fail(run, "cpu: cpus names a CPU that is not online",
				   extack);
		return -EINVAL;
	}
	for (i = 0; i < cr->nr; i++) {
		struct tbx_cpu_worker *w = &cr->w[i];

		task = kthread_create_on_node(tbx_cpu_thread, w,
					      cpu_to_node(w->cpu),
					      "tbx-cpu/%u/%u", run->id, w->cpu);
		if (IS_ERR(task)) {
			tbx_cpu_stop_threads(cr);
			tbx_cpu_start_fail(run, "cpu: could not create a thread",
					   extack);
			return PTR_ERR(task);
		}
		/* Not kthread_create_on_cpu(): a per-CPU kthread blocks hotplug. */
		kthread_bind(task, w->cpu);
		sched_set_normal(task, 0);
		get_task_struct(task);	/* kthread_stop() needs it alive */
		w->task = task;
	}
	for (i = 0; i < cr->nr; i++)
		wake_up_process(cr->w[i].task);
	return 0;
}

static void tbx_cpu_stop(struct tbx_run *run)
{
	tbx_cpu_stop_threads(run->priv);
}

static int tbx_cpu_set(struct tbx_run *run, struct nlattr **tb, bool force,
		       struct netlink_ext_ack *extack)
{
	struct tbx_cpu_run *cr = run->priv;
	static const int fixed[] = {
		TBX_CPU_A_MODE, TBX_CPU_A_CPUS, TBX_CPU_A_COUNT,
	};
	unsigned int i;
	u32 level;
	int err;

	for (i = 0; i < ARRAY_SIZE(fixed); i++) {
		if (tb[fixed[i]]) {
			NL_SET_ERR_MSG_ATTR(extack, tb[fixed[i]],
					    "cpu: only level can change");
			return -EINVAL;
		}
	}
	err = tbx_cpu_level(tb[TBX_CPU_A_LEVEL], &level, extack);
	if (err)
		return err;
	WRITE_ONCE(cr->level, level);
	/* A sleeping thread takes it now, a spinning one next period. */
	for (i = 0; i < cr->nr; i++)
		if (cr->w[i].task)
			wake_up_process(cr->w[i].task);
	return 0;
}

/* CPU time of the threads stopped and of those still running. */
static u64 tbx_cpu_time(struct tbx_cpu_run *cr)
{
	u64 ns = cr->cpu_time;
	unsigned int i;

	for (i = 0; i < cr->nr; i++)
		if (cr->w[i].task)
			ns += READ_ONCE(cr->w[i].task->se.sum_exec_runtime);
	return ns;
}

static int tbx_cpu_fill(struct sk_buff *skb, struct tbx_run *run)
{
	struct tbx_cpu_run *cr = run->priv;
	char list[TBX_CPU_CPUS_MAX];

	tbx_cpu_list(cr, list);
	if (nla_put_u32(skb, TBX_CPU_A_LEVEL, READ_ONCE(cr->level)) ||
	    nla_put_u8(skb, TBX_CPU_A_MODE, cr->mode) ||
	    nla_put_string(skb, TBX_CPU_A_CPUS, list) ||
	    nla_put_u64_64bit(skb, TBX_CPU_A_CPU_TIME, tbx_cpu_time(cr),
			      TBX_CPU_A_PAD))
		return -EMSGSIZE;
	return 0;
}

static void tbx_cpu_free(struct tbx_run *run)
{
	tbx_cpu_priv_free(run->priv);
	run->priv = NULL;
}

const struct tbx_kind tbx_kind_cpu = {
	.type		= TBX_RUN_KIND_CPU,
	.name		= "cpu",
	.nest		= TBX_RUN_A_CPU,
	.policy		= tbx_cpu_policy,
	.maxattr	= TBX_CPU_A_MAX,
	.create		= tbx_cpu_create,
	.start		= tbx_cpu_start,
	.stop		= tbx_cpu_stop,
	.set		= tbx_cpu_set,
	.fill		= tbx_cpu_fill,
	.free		= tbx_cpu_free,
};
