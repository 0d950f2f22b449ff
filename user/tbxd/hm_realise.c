// SPDX-License-Identifier: GPL-2.0-or-later
/* Hostmanager elements and connections made real (hm_realise.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>

#include "cgroup.h"
#include "err.h"
#include "hm_realise.h"
#include "link.h"
#include "netdev.h"
#include "netns.h"
#include "topo_build.h"

void hm_netns_name(int64_t id, char *buf, size_t len)
{
	snprintf(buf, len, "tbx-hm%" PRId64, id);
}

void hm_cgroup_path(int64_t id, char *buf, size_t len)
{
	snprintf(buf, len, "tbx/hm/%" PRId64, id);
}

void hm_outer_name(int64_t iface, char *buf, size_t len)
{
	snprintf(buf, len, "tbxhm%" PRId64, iface);
}

void hm_bridge_name(int64_t con, char *buf, size_t len)
{
	snprintf(buf, len, "tbxbr%" PRId64, con);
}

void hm_usage_name(int64_t id, char *buf, size_t len)
{
	snprintf(buf, len, "hm:%" PRId64, id);
}

bool hm_realised(const struct hm_obj *o)
{
	char name[48];

	if (!o->connection && !strcmp(o->type, "netns")) {
		hm_netns_name(o->id, name, sizeof(name));
		return tbx_netns_exists(name);
	}
	hm_outer_name(o->connection ? o->el[0] : o->id, name, sizeof(name));
	return (!o->connection || !strcmp(o->state, "started")) && tbx_netdev_exists(name);
}

static double num(const json_t *attrs, const char *key, const char *side)
{
	char name[64];

	snprintf(name, sizeof(name), "%s_%s", key, side);
	return json_number_value(json_object_get(attrs, name));
}

void hm_emulation_words(const json_t *attrs, const char *side, char *buf,
			size_t len)
{
	double bw = num(attrs, "bandwidth", side), delay = num(attrs, "delay", side);
	double jitter = num(attrs, "jitter", side), loss = num(attrs, "lossratio", side);
	double dup = num(attrs, "duplicate", side), corrupt = num(attrs, "corrupt", side);
	char key[32];
	const char *dist;
	size_t n = 0;

	snprintf(key, sizeof(key), "distribution_%s", side);
	dist = json_string_value(json_object_get(attrs, key));
	buf[0] = '\0';
	if (json_is_false(json_object_get(attrs, "emulation")))
		return;
#define ADD(...) (n += (size_t)snprintf(buf + n, n < len ? len - n : 0, __VA_ARGS__))
	/* 0 kbit/s is no limit, as in ToMaTo (tc would refuse it) */
	if (bw > 0)
		ADD("%srate %.15gkbit", n ? " " : "", bw);
	if (delay > 0 || jitter > 0)
		ADD("%sdelay %.15gms", n ? " " : "", delay);
	if (jitter > 0)
		ADD(" jitter %.15gms", jitter);
	if (jitter > 0 && delay > 0 && dist)
		ADD(" distribution %s", dist);
	if (loss > 0)
		ADD("%sloss %.15g%%", n ? " " : "", loss);
	if (dup > 0)
		ADD("%sduplicate %.15g%%", n ? " " : "", dup);
	if (corrupt > 0)
		ADD("%scorrupt %.15g%%", n ? " " : "", corrupt);
#undef ADD
	if (n >= len)
		snprintf(buf, len, "too-long");
}

/* --- netns ---------------------------------------------------------- */
static int lo_up(void *arg)
{
	return tbx_netdev_set("lo", true, NULL);
}

static int lo_down(void *arg)
{
	return tbx_netdev_set("lo", false, NULL);
}

static int limits(const char *cg, const json_t *attrs)
{
	double cpus = json_number_value(json_object_get(attrs, "cpus"));
	json_int_t ram = json_integer_value(json_object_get(attrs, "ram"));
	char v[48];
	int err;

	if (cpus > 0)
		snprintf(v, sizeof(v), "%lld 100000", (long long)(cpus * 100000 + 0.5));
	else
		snprintf(v, sizeof(v), "max 100000");
	if ((err = tbx_cgroup_write(cg, "cpu.max", v)))
		return err;
	if (ram > 0)
		snprintf(v, sizeof(v), "%lld", (long long)ram * 1024 * 1024);
	else
		snprintf(v, sizeof(v), "max");
	return tbx_cgroup_write(cg, "memory.max", v);
}

int hm_realise_netns(const struct hm_obj *el)
{
	char ns[48], cg[48];
	int err;

	hm_netns_name(el->id, ns, sizeof(ns));
	hm_cgroup_path(el->id, cg, sizeof(cg));
	if (!strcmp(el->state, "created"))
		return hm_unrealise(el);
	if ((err = tbx_netns_add(ns)) || (err = tbx_cgroup_add(cg)) ||
	    (err = limits(cg, el->attrs)))
		goto fail;
	if (!strcmp(el->state, "started")) {
		err = tbx_netns_run(ns, lo_up, NULL);
	} else {
		/* prepared: stopped, so nothing of it runs */
		if (!(err = tbx_cgroup_write(cg, "cgroup.kill", "1")))
			err = tbx_netns_run(ns, lo_down, NULL);
	}
	if (!err)
		return 0;
fail:
	return tbx_err(err, "element %" PRId64 ": %s", el->id, tbx_errmsg());
}

/* --- netns_interface -------------------------------------------------- */
struct inner {
	const char *name;
	bool up;
	const json_t *attrs, *was;
};

static int inner_set(void *arg)
{
	static const char *const keys[] = { "ip4address", "ip6address" };
	const struct inner *in = arg;
	int err;

	for (size_t k = 0; k < 2; k++) {
		const char *now = json_string_value(json_object_get(in->attrs, keys[k]));
		const char *old = in->was ? json_string_value(json_object_get(in->was, keys[k])) : NULL;

		if (old && (!now || strcmp(old, now)) &&
		    (err = tbx_netdev_addr(in->name, old, false)))
			return err;
		if (now && (err = tbx_netdev_addr(in->name, now, true)))
			return err;
	}
	return tbx_netdev_set(in->name, in->up, NULL);
}

static int inner_exists(void *arg)
{
	return tbx_netdev_exists(arg) ? 1 : 0;
}

int hm_realise_iface(const struct hm_obj *ifc, const struct hm_obj *host,
		     const json_t *was)
{
	const char *name = json_string_value(json_object_get(ifc->attrs, "name"));
	struct inner in = { .name = name, .attrs = ifc->attrs, .was = was };
	char ns[48], outer[IFNAMSIZ + 8];
	int fd = -1, here = -1, err;

	if (!strcmp(host->state, "created"))
		return hm_unrealise(ifc);
	hm_netns_name(host->id, ns, sizeof(ns));
	hm_outer_name(ifc->id, outer, sizeof(outer));
	in.up = !strcmp(host->state, "started");
	err = tbx_netns_run(ns, inner_exists, (void *)name);
	if (err == 0) {
		/* one end inside the host, the other here */
		if ((here = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)) < 0)
			err = tbx_err(errno, "open the current namespace: %m");
		else if (!(err = tbx_netns_open(ns, &fd)))
			err = tbx_netdev_veth_add(name, fd, outer, here);
		if (fd >= 0)
			close(fd);
		if (here >= 0)
			close(here);
	} else if (err == 1) {
		err = 0;
	}
	if (!err)
		err = tbx_netns_run(ns, inner_set, &in);
	if (!err)
		err = tbx_netdev_set(outer, in.up, NULL);
	if (err)
		return tbx_err(err, "element %" PRId64 ": %s", ifc->id, tbx_errmsg());
	return 0;
}

/* --- bridge ------------------------------------------------------------ */
/* No tbx qdisc on @dev: removed if there is one, else nothing to do. */
static int clear_egress(const char *dev)
{
	int err = tbx_link_del(dev);

	return err == -ENOENT ? 0 : err;
}

int hm_realise_bridge(const struct hm_obj *con, const bool started[2])
{
	static const char *const side[2] = { "to", "from" };
	char br[IFNAMSIZ + 8], outer[IFNAMSIZ + 8], words[512];
	int err = 0;

	if (strcmp(con->state, "started"))
		return hm_unrealise(con);
	hm_bridge_name(con->id, br, sizeof(br));
	if (!tbx_netdev_exists(br) && (err = tbx_netdev_bridge_add(br)))
		goto fail;
	if ((err = tbx_netdev_set(br, true, NULL)))
		goto fail;
	for (int e = 0; e < 2; e++) {
		hm_outer_name(con->el[e], outer, sizeof(outer));
		if (!tbx_netdev_exists(outer))
			continue;	/* its host is not prepared: joins later */
		if ((err = tbx_netdev_set(outer, started[e], br)))
			goto fail;
		hm_emulation_words(con->attrs, side[e], words, sizeof(words));
		if ((err = *words ? topo_set_egress(outer, words) : clear_egress(outer)))
			goto fail;
	}
	return 0;
fail:
	return tbx_err(err, "connection %" PRId64 ": %s", con->id, tbx_errmsg());
}

/* --- taking away ---------------------------------------------------------- */
int hm_unrealise(const struct hm_obj *o)
{
	char name[48];
	int err = 0;

	if (o->connection) {
		hm_bridge_name(o->id, name, sizeof(name));
		/* the ends leave the bridge with it; their qdiscs go too */
		err = tbx_netdev_del(name);
		for (int e = 0; !err && e < 2; e++) {
			hm_outer_name(o->el[e], name, sizeof(name));
			if (tbx_netdev_exists(name))
				err = clear_egress(name);
		}
	} else if (!strcmp(o->type, "netns")) {
		char cg[48];

		hm_netns_name(o->id, name, sizeof(name));
		hm_cgroup_path(o->id, cg, sizeof(cg));
		/* processes first: one left in the namespace keeps its devices */
		if (!(err = tbx_cgroup_del(cg)))
			err = tbx_netns_del(name);
	} else {
		hm_outer_name(o->id, name, sizeof(name));
		err = tbx_netdev_del(name);	/* its peer goes with it */
	}
	if (err)
		return tbx_err(err, "%s %" PRId64 ": %s", o->connection ? "connection" : "element",
			       o->id, tbx_errmsg());
	return 0;
}

static bool kept(const int64_t *ids, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/* "PREFIX<digits>" gives the number, else -1. */
static int64_t id_in(const char *name, const char *prefix)
{
	size_t n = strlen(prefix);
	char *end;
	long long v;

	if (strncmp(name, prefix, n) || !name[n])
		return -1;
	v = strtoll(name + n, &end, 10);
	return *end || v <= 0 ? -1 : v;
}

void hm_remove_strays(const int64_t *elements, size_t n_el,
		      const int64_t *connections, size_t n_con)
{
	struct if_nameindex *ifs = if_nameindex(), *i;
	char path[512];
	struct dirent *de;
	int64_t id;
	DIR *dir;

	for (i = ifs; i && i->if_index; i++) {
		if ((id = id_in(i->if_name, "tbxbr")) > 0 && !kept(connections, n_con, id))
			tbx_netdev_del(i->if_name);
		else if ((id = id_in(i->if_name, "tbxhm")) > 0 && !kept(elements, n_el, id))
			tbx_netdev_del(i->if_name);
	}
	if (ifs)
		if_freenameindex(ifs);
	if ((dir = opendir(TBX_NETNS_DIR))) {
		while ((de = readdir(dir)))
			if ((id = id_in(de->d_name, "tbx-hm")) > 0 && !kept(elements, n_el, id)) {
				hm_cgroup_path(id, path, sizeof(path));
				tbx_cgroup_del(path);
				tbx_netns_del(de->d_name);
			}
		closedir(dir);
	}
	snprintf(path, sizeof(path), "%s/tbx/hm", tbx_cgroup_root());
	if ((dir = opendir(path))) {
		while ((de = readdir(dir)))
			if ((id = id_in(de->d_name, "")) > 0 && !kept(elements, n_el, id)) {
				hm_cgroup_path(id, path, sizeof(path));
				tbx_cgroup_del(path);
			}
		closedir(dir);
	}
}
