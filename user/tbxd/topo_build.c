// SPDX-License-Identifier: GPL-2.0-or-later
/* A topology's nodes and links in the kernel (topo_build.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "cgroup.h"
#include "err.h"
#include "link.h"
#include "link_opts.h"
#include "netdev.h"
#include "netns.h"
#include "topo_build.h"

void topo_netns_name(const char *topo, const char *node, char *buf, size_t len)
{
	snprintf(buf, len, "tbx-%s-%s", topo, node);
}

void topo_cgroup_path(const char *topo, const char *node, char *buf, size_t len)
{
	snprintf(buf, len, "tbx/%s/%s", topo, node);
}

static int node_inside(void *arg)
{
	const struct topo_node_rec *n = arg;
	int err = tbx_netdev_set("lo", true, NULL);

	if (err || strcmp(n->kind, "bridge"))
		return err;
	if (!tbx_netdev_exists(TBX_TOPO_BRIDGE_DEV) &&
	    (err = tbx_netdev_bridge_add(TBX_TOPO_BRIDGE_DEV)))
		return err;
	return tbx_netdev_set(TBX_TOPO_BRIDGE_DEV, true, NULL);
}

/*
 * io.max: the limits @words name (tbx_topo_io_words()), device paths
 * turned into the kernel's MAJ:MIN; every device io.max held before is
 * reset first, so a limit taken out of the file goes.
 */
static int write_io(const char *cg, const char *words)
{
	char cur[4096], line[256], dev[TBX_TOPO_DEV_MAX + 1];
	const char *p, *next;
	int err;

	if (!tbx_cgroup_read(cg, "io.max", cur, sizeof(cur))) {
		for (char *l = strtok(cur, "\n"); l; l = strtok(NULL, "\n")) {
			unsigned int maj, min;

			if (sscanf(l, "%u:%u", &maj, &min) != 2)
				continue;
			snprintf(line, sizeof(line), "%u:%u rbps=max wbps=max riops=max wiops=max",
				 maj, min);
			if ((err = tbx_cgroup_write(cg, "io.max", line)))
				return err;
		}
	} else if (!*words) {
		return 0;	/* no io controller, and nothing asked of it */
	}
	for (p = words; *p; p = next) {
		const char *sp = strchr(p, ' ');
		struct stat st;
		size_t n;

		next = strchr(p, ';');
		n = (size_t)((next ?: p + strlen(p)) - p);
		next = next ? next + 1 : p + n;
		if (!sp || (size_t)(sp - p) > TBX_TOPO_DEV_MAX || (size_t)(sp - p) >= n)
			return tbx_err(EINVAL, "io limits \"%.*s\": not DEVICE KEY=VALUE...",
				       (int)n, p);
		snprintf(dev, sizeof(dev), "%.*s", (int)(sp - p), p);
		if (stat(dev, &st) < 0)
			return tbx_err(errno, "io limits: %s: %m", dev);
		if (!S_ISBLK(st.st_mode))
			return tbx_err(ENOTBLK, "io limits: %s is not a block device", dev);
		snprintf(line, sizeof(line), "%u:%u%.*s", major(st.st_rdev), minor(st.st_rdev),
			 (int)(n - (size_t)(sp - p)), sp);
		if ((err = tbx_cgroup_write(cg, "io.max", line)))
			return tbx_err(err, "io limits of %s: %s", dev, tbx_errmsg());
	}
	return 0;
}

int topo_node_up(const char *topo, const struct topo_node_rec *n)
{
	char ns[96], cg[96], v[32];
	int err;

	topo_netns_name(topo, n->name, ns, sizeof(ns));
	topo_cgroup_path(topo, n->name, cg, sizeof(cg));
	if ((err = tbx_netns_add(ns)) || (err = tbx_netns_run(ns, node_inside, (void *)n)) ||
	    (err = tbx_cgroup_add(cg)))
		return tbx_err(err, "node %s: %s", n->name, tbx_errmsg());
	/* Limits are written every time: a changed file changes them. */
	if (n->cpu_max_us)
		snprintf(v, sizeof(v), "%" PRId64 " 100000", n->cpu_max_us);
	else
		snprintf(v, sizeof(v), "max 100000");
	err = tbx_cgroup_write(cg, "cpu.max", v);
	if (!err) {
		if (n->memory_max)
			snprintf(v, sizeof(v), "%" PRId64, n->memory_max);
		else
			snprintf(v, sizeof(v), "max");
		err = tbx_cgroup_write(cg, "memory.max", v);
	}
	/* A kernel without a controller is fine for a node that sets no limit. */
	if (err && (n->cpu_max_us || n->memory_max))
		return tbx_err(err, "node %s: %s", n->name, tbx_errmsg());
	if ((err = write_io(cg, n->io_max)))
		return tbx_err(err, "node %s: %s", n->name, tbx_errmsg());
	return 0;
}

int topo_node_down(const char *topo, const char *node)
{
	char ns[96], cg[96];
	int err;

	topo_netns_name(topo, node, ns, sizeof(ns));
	topo_cgroup_path(topo, node, cg, sizeof(cg));
	/* Processes first: one left in the namespace keeps its devices. */
	if ((err = tbx_cgroup_del(cg)) || (err = tbx_netns_del(ns)))
		return tbx_err(err, "node %s: %s", node, tbx_errmsg());
	return 0;
}

void topo_prune(const char *topo)
{
	char cg[64];

	snprintf(cg, sizeof(cg), "tbx/%s", topo);
	tbx_cgroup_prune(cg);
	tbx_cgroup_prune("tbx");
}

/* Sets (or, with no words, removes) the tbx qdisc of @dev. */
int topo_set_egress(const char *dev, const char *words)
{
	char copy[TOPO_WORDS_MAX], *argv[64], *save = NULL;
	struct tbx_link_opts o;
	int argc = 0, err;

	if (!*words)
		return tbx_link_del(dev);
	snprintf(copy, sizeof(copy), "%s", words);
	for (char *w = strtok_r(copy, " ", &save); w && argc < 64; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	err = tbx_link_opts_parse(argc, argv, dev, &o);
	if (err)
		return err;
	err = tbx_link_set(dev, &o);
	tbx_link_opts_free(&o);
	return err;
}

struct end {
	const char *ifname, *words;
	bool bridge, set_qdisc;
};

static int end_inside(void *arg)
{
	const struct end *e = arg;
	int err;

	err = tbx_netdev_set(e->ifname, true, e->bridge ? TBX_TOPO_BRIDGE_DEV : NULL);
	if (!err && e->set_qdisc)
		err = topo_set_egress(e->ifname, e->words);
	return err;
}

static int has_dev(void *arg)
{
	return tbx_netdev_exists(arg) ? 1 : 0;
}

int topo_link_up(const char *topo, const struct topo_link_rec *l,
		 const bool bridge[2], const struct topo_link_rec *was)
{
	char ns[2][96];
	int fd[2] = { -1, -1 }, err = 0;

	for (int e = 0; e < 2; e++)
		topo_netns_name(topo, l->node[e], ns[e], sizeof(ns[e]));
	err = tbx_netns_run(ns[0], has_dev, (void *)l->ifname[0]);
	if (err == 0) {
		if (!(err = tbx_netns_open(ns[0], &fd[0])) &&
		    !(err = tbx_netns_open(ns[1], &fd[1])))
			err = tbx_netdev_veth_add(l->ifname[0], fd[0], l->ifname[1], fd[1]);
		for (int e = 0; e < 2; e++)
			if (fd[e] >= 0)
				close(fd[e]);
	} else if (err == 1) {
		err = 0;	/* made before: adopted */
	}
	for (int e = 0; !err && e < 2; e++) {
		/* Without @was: set whatever is wanted (an unimpaired end
		 * keeps its default qdisc); with it: only what changed.
		 */
		struct end end = {
			.ifname = l->ifname[e], .words = l->egress[e], .bridge = bridge[e],
			.set_qdisc = was ? strcmp(was->egress[e], l->egress[e]) != 0
					 : *l->egress[e] != '\0',
		};

		err = tbx_netns_run(ns[e], end_inside, &end);
	}
	if (err)
		return tbx_err(err, "link %s:%s -- %s:%s: %s", l->node[0], l->ifname[0],
			       l->node[1], l->ifname[1], tbx_errmsg());
	return 0;
}

static int del_dev(void *arg)
{
	return tbx_netdev_del(arg);
}

int topo_link_down(const char *topo, const struct topo_link_rec *l)
{
	char ns[96];

	/* Deleting either end deletes the pair; a missing namespace has none. */
	for (int e = 0; e < 2; e++) {
		topo_netns_name(topo, l->node[e], ns, sizeof(ns));
		if (tbx_netns_exists(ns))
			return tbx_netns_run(ns, del_dev, (void *)l->ifname[e]);
	}
	return 0;
}
