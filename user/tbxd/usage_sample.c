// SPDX-License-Identifier: GPL-2.0-or-later
/* Readings of nodes, links and the injected load (usage_sample.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "err.h"
#include "netdev.h"
#include "netns.h"
#include "nl.h"
#include "run.h"
#include "topo_build.h"
#include "hm_realise.h"
#include "usage_sample.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

struct dev_bytes {
	const char *name;	/* NULL: every device but lo */
	uint64_t bytes;
};

static int read_bytes(void *arg)
{
	struct dev_bytes *d = arg;

	return tbx_netdev_bytes(d->name, &d->bytes);
}

/* The bytes in and out on @ifname (NULL: all devices but lo) of
 * namespace @ns (NULL: tbxd's own).
 */
static int read_traffic(const char *ns, const char *ifname,
			struct usage_reading *r)
{
	struct dev_bytes dev = { .name = ifname };
	int err;

	if ((err = ns ? tbx_netns_run(ns, read_bytes, &dev) : read_bytes(&dev)))
		return err;
	r->traffic = (double)dev.bytes;
	r->has_traffic = true;
	r->end = now_s();
	return 0;
}

/* cputime and memory of cgroup @cg. */
static int read_cgroup(const char *cg, struct usage_reading *r)
{
	unsigned long long v;
	int err;

	if ((err = tbx_cgroup_read_u64(cg, "cpu.stat", "usage_usec", &v)))
		return err;
	r->cputime = (double)v / 1e6;
	r->has_cputime = true;
	/* A host without the memory controller still accounts the rest. */
	if (!tbx_cgroup_read_u64(cg, "memory.current", NULL, &v))
		r->memory = (double)v;
	return 0;
}

int usage_sample_node(const char *topo, const struct topo_node_rec *n,
		      struct usage_reading *r)
{
	char cg[160], ns[160];
	int err;

	*r = (struct usage_reading){ .begin = now_s() };
	topo_cgroup_path(topo, n->name, cg, sizeof(cg));
	topo_netns_name(topo, n->name, ns, sizeof(ns));
	if ((err = read_cgroup(cg, r)))
		return err;
	return read_traffic(ns, NULL, r);
}

int usage_sample_link(const char *topo, const struct topo_link_rec *l,
		      struct usage_reading *r)
{
	char ns[160];

	*r = (struct usage_reading){ .begin = now_s() };
	topo_netns_name(topo, l->node[0], ns, sizeof(ns));
	return read_traffic(ns, l->ifname[0], r);
}

int usage_sample_hm(const struct hm_obj *o, struct usage_reading *r)
{
	char cg[64], name[64];
	int err;

	*r = (struct usage_reading){ .begin = now_s() };
	if (!o->connection && !strcmp(o->type, "netns")) {
		hm_cgroup_path(o->id, cg, sizeof(cg));
		hm_netns_name(o->id, name, sizeof(name));
		if ((err = read_cgroup(cg, r)))
			return err;
		return read_traffic(name, NULL, r);
	}
	/* an interface, and a connection through its first one's end */
	hm_outer_name(o->connection ? o->el[0] : o->id, name, sizeof(name));
	return read_traffic(NULL, name, r);
}

bool usage_module_loaded(void)
{
	return access("/sys/module/tbx", F_OK) == 0;
}

/* Runs unseen for this many readings without their event are dropped. */
#define RUN_GONE_READINGS	3

static struct usage_run_seen *seen_before(struct usage_injected *inj, uint32_t id)
{
	for (size_t i = 0; i < inj->n_runs; i++)
		if (inj->runs[i].id == id)
			return &inj->runs[i];
	return NULL;
}

static uint64_t run_cpu_ns(const struct tbx_run *run)
{
	return run->kind == TBX_RUN_KIND_CPU ? run->cpu.cpu_time_ns : 0;
}

static uint64_t run_bytes(const struct tbx_run *run)
{
	return run->kind == TBX_RUN_KIND_NET ? run->net.bytes : 0;
}

/* Adds what @run did since @was (NULL: since it began). */
static void add_run(struct usage_injected *inj, const struct usage_run_seen *was,
		    uint64_t cpu_ns, uint64_t bytes)
{
	uint64_t cpu0 = was ? was->cpu_ns : 0, bytes0 = was ? was->bytes : 0;

	if (cpu_ns > cpu0)
		inj->cputime += (double)(cpu_ns - cpu0) / 1e9;
	if (bytes > bytes0)
		inj->traffic += (double)(bytes - bytes0);
}

void usage_injected_finished(struct usage_injected *inj, const struct tbx_run *run)
{
	struct usage_run_seen *was = seen_before(inj, run->id);

	if (!inj->seen_once)
		return;		/* before the first reading: its past is a base */
	add_run(inj, was, run_cpu_ns(run), run_bytes(run));
	if (was)
		*was = inj->runs[--inj->n_runs];
}

/* Adds what each run did since it was last seen. */
static int runs_reading(struct usage_injected *inj, struct usage_reading *r)
{
	struct usage_run_seen *now_seen;
	struct tbx_run *runs = NULL;
	struct tbx_nl nl;
	size_t n = 0, k = 0;
	int err;

	if (!usage_module_loaded() || tbx_nl_open(&nl))
		return 0;	/* no module: no runs */
	err = tbx_run_list(&nl, NULL, 0, &runs, &n);
	tbx_nl_close(&nl);
	if (err)
		return err;
	now_seen = calloc(n + inj->n_runs + 1, sizeof(*now_seen));
	if (!now_seen) {
		tbx_run_list_free(runs, n);
		return tbx_err(ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		const struct tbx_run *run = &runs[i];
		struct usage_run_seen *is = &now_seen[k++];
		struct usage_run_seen *was = seen_before(inj, run->id);

		*is = (struct usage_run_seen){
			.id = run->id, .cpu_ns = run_cpu_ns(run), .bytes = run_bytes(run),
		};
		if (run->kind == TBX_RUN_KIND_MEM && run->state == TBX_RUN_STATE_RUNNING)
			r->memory += (double)run->mem.held;
		/* At the first reading every run's past is a base, not use. */
		if (inj->seen_once)
			add_run(inj, was, is->cpu_ns, is->bytes);
		if (was)
			was->id = 0;	/* carried over */
	}
	/* Runs no longer listed wait for their finished event. */
	for (size_t i = 0; i < inj->n_runs; i++)
		if (inj->runs[i].id && inj->runs[i].gone < RUN_GONE_READINGS) {
			now_seen[k] = inj->runs[i];
			now_seen[k++].gone++;
		}
	tbx_run_list_free(runs, n);
	free(inj->runs);
	inj->runs = now_seen;
	inj->n_runs = k;
	return 0;
}

/* Bytes the io runs' files ("*.io") take on disk in @dir. */
static double io_files(const char *dir)
{
	struct dirent *e;
	double bytes = 0;
	DIR *d;

	if (!dir || !(d = opendir(dir)))
		return 0;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		struct stat st;

		if (len > 3 && !strcmp(e->d_name + len - 3, ".io") &&
		    !fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) &&
		    S_ISREG(st.st_mode))
			bytes += (double)st.st_blocks * 512;
	}
	closedir(d);
	return bytes;
}

int usage_sample_injected(struct usage_injected *inj, const char *io_dir,
			  struct usage_reading *r)
{
	int err;

	*r = (struct usage_reading){ .begin = now_s() };
	if ((err = runs_reading(inj, r)))
		return err;
	inj->seen_once = true;
	r->cputime = inj->cputime;
	r->traffic = inj->traffic;
	r->has_cputime = r->has_traffic = true;
	r->diskspace = io_files(io_dir);
	r->end = now_s();
	return 0;
}

void usage_injected_free(struct usage_injected *inj)
{
	free(inj->runs);
	*inj = (struct usage_injected){ 0 };
}
