// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * host_info, host_capabilities, host_networks and the accounting calls:
 * what a ToMaTo backend asks of a host before and after it places
 * elements there.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/statvfs.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>

#include "err.h"
#include "hm_api.h"
#include "hm_realise.h"
#include "hm_types.h"
#include "tbxd.h"
#include "usage_store.h"

static json_t *cpus_present(void)
{
	char line[512], model[256] = "";
	double mips = 0;
	int n = 0, nm = 0;
	FILE *f = fopen("/proc/cpuinfo", "r");

	while (f && fgets(line, sizeof(line), f)) {
		char *v = strchr(line, ':');

		if (!v)
			continue;
		v += 1 + (v[1] == ' ');
		v[strcspn(v, "\n")] = '\0';
		if (!strncmp(line, "processor", 9))
			n++;
		else if (!strncmp(line, "model name", 10) && !*model)
			snprintf(model, sizeof(model), "%s", v);
		else if (!strncmp(line, "bogomips", 8)) {
			mips += strtod(v, NULL);
			nm++;
		}
	}
	if (f)
		fclose(f);
	return json_pack("{s:i, s:f, s:s}", "count", n, "bogomips_avg", nm ? mips / nm : 0.0,
			 "model", model);
}

/* df's figures in KiB, as strings (ToMaTo passed df's output on). */
static json_t *disk(const char *path)
{
	struct statvfs v;
	char t[32], u[32], f[32];

	if (statvfs(path, &v))
		return json_pack("{s:s, s:s, s:s}", "total", "0", "used", "0", "free", "0");
	snprintf(t, sizeof(t), "%llu", (unsigned long long)v.f_blocks * v.f_frsize / 1024);
	snprintf(u, sizeof(u), "%llu",
		 (unsigned long long)(v.f_blocks - v.f_bfree) * v.f_frsize / 1024);
	snprintf(f, sizeof(f), "%llu", (unsigned long long)v.f_bavail * v.f_frsize / 1024);
	return json_pack("{s:s, s:s, s:s}", "total", t, "used", u, "free", f);
}

static json_t *distribution(void)
{
	char line[256], name[128] = "Linux", ver[64] = "";
	FILE *f = fopen("/etc/os-release", "r");

	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "ID=", 3))
			snprintf(name, sizeof(name), "%s", line + 3 + (line[3] == '"'));
		else if (!strncmp(line, "VERSION_ID=", 11))
			snprintf(ver, sizeof(ver), "%s", line + 11 + (line[11] == '"'));
	}
	if (f)
		fclose(f);
	name[strcspn(name, "\"")] = '\0';
	ver[strcspn(ver, "\"")] = '\0';
	return json_pack("[s, s, s]", name, ver, "");
}

static int host_info(struct hm_ctx *c, json_t *const argv[], json_t **out)
{
	struct utsname u;
	struct sysinfo si;
	double load[3] = { 0 };

	uname(&u);
	sysinfo(&si);
	getloadavg(load, 3);
	*out = json_pack("{s:{s:s, s:n}, s:n, s:n, s:s, s:f, s:[], s:f,"
			 " s:{s:o, s:{s:I, s:I}, s:[f, f, f], s:{s:o, s:o}},"
			 " s:{s:s, s:o, s:s, s:s}, s:i, s:s}",
			 "hostmanager", "version", "tbxd " TBX_VERSION, "updater",
			 "fileserver_port", "templateserver_port",
			 "address", c->d->hm_address ? c->d->hm_address : "",
			 "time", c->now, "problems", "uptime", (double)si.uptime,
			 "resources", "cpus_present", cpus_present(),
			 "memory", "total", (json_int_t)(si.totalram * si.mem_unit / 1024),
			 "used", (json_int_t)((si.totalram - si.freeram - si.bufferram) *
					      si.mem_unit / 1024),
			 "loadavg", load[0], load[1], load[2],
			 "diskspace", "root", disk("/"), "data", disk(c->d->cfg->state_dir),
			 "system", "kernel", u.release, "distribution", distribution(),
			 "python", "", "processor", u.machine,
			 "dumps", 0, "current_user", c->owner);
	return 0;
}

static int host_capabilities(struct hm_ctx *c, json_t *const argv[], json_t **out)
{
	*out = hm_capabilities();
	return 0;
}

/* No external networks yet: the host offers none. */
static int host_networks(struct hm_ctx *c, json_t *const argv[], json_t **out)
{
	*out = json_array();
	return 0;
}

/* --- accounting ---------------------------------------------------------- */
struct window {
	int level;		/* -1: every level */
	double after, before;	/* 0: open */
};

static int bound(struct hm_ctx *c, json_t *v, const char *what, double *out)
{
	*out = 0;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_number(v))
		return hm_fail(&c->f, "invalid_value", json_pack("{s:s, s:O}", "attribute", what,
								 "value", v),
			       "Invalid value, failed to convert");
	*out = json_number_value(v);
	return 0;
}

static int window_of(struct hm_ctx *c, json_t *type, json_t *after, json_t *before,
		     struct window *w)
{
	w->level = -1;
	if (type && !json_is_null(type) &&
	    (!json_is_string(type) || (w->level = tbx_usage_level_of(json_string_value(type))) < 0))
		return hm_fail(&c->f, "invalid_value", json_pack("{s:s, s:O}", "attribute", "type",
								 "value", type),
			       "Invalid value, must choose from list");
	if (bound(c, after, "after", &w->after) || bound(c, before, "before", &w->before))
		return -1;
	return 0;
}

/* An object's statistics; one without records yet has empty lists. */
static int stats(struct hm_ctx *c, enum usage_kind kind, int64_t id,
		 const struct window *w, json_t **out)
{
	char name[48];
	int err;

	hm_usage_name(id, name, sizeof(name));
	err = usage_store_info(c->d->state, kind, name, w->level, w->after, w->before, out);
	if (err != -ENOENT)
		return err ? hm_internal(c) : 0;
	if (w->level >= 0) {
		*out = json_array();
		return 0;
	}
	*out = json_object();
	for (int l = 0; tbx_usage_level_name(l); l++)
		json_object_set_new(*out, tbx_usage_level_name(l), json_array());
	return 0;
}

static int accounting_statistics(struct hm_ctx *c, json_t *const argv[], json_t **out)
{
	json_t *all = json_pack("{s:{}, s:{}}", "elements", "connections");
	struct window w;
	int64_t *ids;
	size_t n;

	if (window_of(c, argv[0], argv[1], argv[2], &w)) {
		json_decref(all);
		return -1;
	}
	for (int con = 0; con < 2; con++) {
		json_t *group = json_object_get(all, con ? "connections" : "elements"), *s;
		char key[32];

		if (hm_store_ids(c->d->state, con, c->owner, NULL, &ids, &n)) {
			json_decref(all);
			return hm_internal(c);
		}
		for (size_t i = 0; i < n; i++) {
			if (stats(c, con ? USAGE_CONNECTION : USAGE_ELEMENT, ids[i], &w, &s)) {
				free(ids);
				json_decref(all);
				return -1;
			}
			snprintf(key, sizeof(key), "%lld", (long long)ids[i]);
			json_object_set_new(group, key, s);
		}
		free(ids);
	}
	*out = all;
	return 0;
}

static int object_statistics(struct hm_ctx *c, bool con, json_t *const argv[],
			     json_t **out)
{
	struct window w;
	struct hm_obj o;

	if (hm_get(c, con, argv[0], &o))
		return -1;
	hm_obj_release(&o);
	if (window_of(c, argv[1], argv[2], argv[3], &w))
		return -1;
	return stats(c, con ? USAGE_CONNECTION : USAGE_ELEMENT, o.id, &w, out);
}

static int accounting_element_statistics(struct hm_ctx *c, json_t *const argv[],
					 json_t **out)
{
	return object_statistics(c, false, argv, out);
}

static int accounting_connection_statistics(struct hm_ctx *c, json_t *const argv[],
					    json_t **out)
{
	return object_statistics(c, true, argv, out);
}

const struct hm_method hm_host_methods[] = {
	{ "host_info", host_info, { NULL }, 0 },
	{ "host_capabilities", host_capabilities, { NULL }, 0 },
	{ "host_networks", host_networks, { NULL }, 0 },
	{ "accounting_statistics", accounting_statistics,
	  { "type", "after", "before", NULL }, 0 },
	{ "accounting_element_statistics", accounting_element_statistics,
	  { "id", "type", "after", "before" }, 1 },
	{ "accounting_connection_statistics", accounting_connection_statistics,
	  { "id", "type", "after", "before" }, 1 },
};
const size_t hm_n_host_methods = sizeof(hm_host_methods) / sizeof(hm_host_methods[0]);
