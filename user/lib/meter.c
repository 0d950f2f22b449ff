// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The meter's user side: attach, read, list and detach, all through the
 * pins, so no process has to stay alive between the steps.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/magic.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpf/meter.skel.h"
#include "bpffs.h"
#include "clsact.h"
#include "rtnl.h"
#include "err.h"
#include "meter.h"

/* Room for "/" + the longest pin name after a pin dir. */
#define PIN_DIR_MAX	(PATH_MAX - 16)

/* Names of the pins in a meter's directory. */
#define PIN_COUNTERS	"counters"
#define PIN_STATE	"state"

static const char *const pin_prog[TBX_METER_DIR_MAX] = {
	[TBX_METER_INGRESS] = "ingress",
	[TBX_METER_EGRESS] = "egress",
};

static const char *const dir_names[TBX_METER_DIR_MAX] = {
	[TBX_METER_INGRESS] = "ingress",
	[TBX_METER_EGRESS] = "egress",
};

static const char *const class_names[TBX_METER_CLASS_MAX] = {
	[TBX_METER_IPV4] = "ipv4",
	[TBX_METER_IPV6] = "ipv6",
	[TBX_METER_ARP] = "arp",
	[TBX_METER_OTHER] = "other",
};

static const enum bpf_tc_attach_point tc_point[TBX_METER_DIR_MAX] = {
	[TBX_METER_INGRESS] = BPF_TC_INGRESS,
	[TBX_METER_EGRESS] = BPF_TC_EGRESS,
};

const char *tbx_meter_dir_name(enum tbx_meter_dir dir)
{
	return dir < TBX_METER_DIR_MAX ? dir_names[dir] : "?";
}

const char *tbx_meter_class_name(enum tbx_meter_class cls)
{
	return cls < TBX_METER_CLASS_MAX ? class_names[cls] : "?";
}

/* The name becomes a path component: refuse what could escape it. */
static int check_ifname(const char *ifname)
{
	if (!ifname || !*ifname || strlen(ifname) >= IFNAMSIZ ||
	    strchr(ifname, '/') || !strcmp(ifname, ".") || !strcmp(ifname, ".."))
		return tbx_err(EINVAL, "meter: invalid device name \"%s\"",
			       ifname ? ifname : "");
	return 0;
}

static int meters_dir(char *buf, size_t len)
{
	return tbx_bpffs_tool_dir("meter", buf, len);
}

int tbx_meter_pin_dir(char *buf, size_t len, const char *ifname)
{
	int err = check_ifname(ifname);

	if (err)
		return err;
	if ((size_t)snprintf(buf, len, "%s/tbx/meter/%s", tbx_bpffs_root(), ifname) >= len)
		return tbx_err(ENAMETOOLONG, "meter: %s: path too long", tbx_bpffs_root());
	return 0;
}

static void pin_path(char *buf, const char *dir, const char *name)
{
	/* dir fits PIN_DIR_MAX, checked by tbx_meter_pin_dir() */
	snprintf(buf, PATH_MAX, "%s/%s", dir, name);
}

static unsigned long long netns_ino(void)
{
	struct stat st;

	return stat("/proc/self/ns/net", &st) ? 0 : st.st_ino;
}

/* Opens a pinned map, checking it has the layout this code reads:
 * lookups write value_size bytes into the caller's buffer. */
static int open_map(const char *path, const char *ifname, __u32 type,
		    __u32 value_size, __u32 max_entries)
{
	struct bpf_map_info info = { 0 };
	__u32 len = sizeof(info);
	int fd;

	fd = bpf_obj_get(path);
	if (fd < 0) {
		if (errno == ENOENT)
			return tbx_err(ENOENT, "meter: %s has no meter", ifname);
		return tbx_err(errno, "meter: open %s: %s", path, strerror(errno));
	}
	if (bpf_obj_get_info_by_fd(fd, &info, &len) || info.type != type ||
	    info.key_size != sizeof(__u32) || info.value_size != value_size ||
	    info.max_entries != max_entries) {
		close(fd);
		return tbx_err(EPROTO, "meter: %s is not what this tbx pins there", path);
	}
	return fd;
}

static int read_state(const char *dir, const char *ifname, struct tbx_meter_state *st)
{
	char path[PATH_MAX];
	__u32 key = 0;
	int fd, err;

	pin_path(path, dir, PIN_STATE);
	fd = open_map(path, ifname, BPF_MAP_TYPE_ARRAY, sizeof(*st), 1);
	if (fd < 0)
		return fd;
	err = bpf_map_lookup_elem(fd, &key, st) ? -errno : 0;
	close(fd);
	if (err)
		return tbx_err(err, "meter: read %s: %s", path, strerror(-err));
	return 0;
}

/*
 * libbpf prints the kernel's extack message of a failed tc request
 * instead of returning it. While the meter talks tc, keep the message
 * for its own error (which names the device and the step) and print
 * nothing else: an EEXIST on a path that expects it is no news.
 */
static __thread char tc_extack[256];
static __thread char extack_buf[sizeof(tc_extack) + 16];

static int __attribute__((format(printf, 2, 0)))
keep_extack(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	static const char tag[] = "Kernel error message: ";
	char line[sizeof(tc_extack) + 64];
	const char *msg;

	if (level != LIBBPF_WARN)
		return 0;
	vsnprintf(line, sizeof(line), fmt, ap);
	msg = strstr(line, tag);
	if (msg) {
		snprintf(tc_extack, sizeof(tc_extack), "%s", msg + strlen(tag));
		tc_extack[strcspn(tc_extack, "\n")] = '\0';
	}
	return 0;
}

static libbpf_print_fn_t tc_quiet(void)
{
	tc_extack[0] = '\0';
	return libbpf_set_print(keep_extack);
}

/* " (kernel: <extack>)" for the last failed tc request, or "". */
static const char *extack(void)
{
	extack_buf[0] = '\0';
	if (tc_extack[0])
		snprintf(extack_buf, sizeof(extack_buf), " (kernel: %s)", tc_extack);
	tc_extack[0] = '\0';
	return extack_buf;
}

static void tc_hook_init(struct bpf_tc_hook *hook, int ifindex,
			 enum bpf_tc_attach_point point)
{
	memset(hook, 0, sizeof(*hook));
	hook->sz = sizeof(*hook);
	hook->ifindex = ifindex;
	hook->attach_point = point;
}

/* Creates clsact; -EEXIST when the device has it already. */
static int tc_hook_create(int ifindex)
{
	struct bpf_tc_hook hook;

	tc_hook_init(&hook, ifindex, BPF_TC_INGRESS | BPF_TC_EGRESS);
	return bpf_tc_hook_create(&hook);
}

static void tc_opts_init(struct bpf_tc_opts *opts, int prog_fd)
{
	memset(opts, 0, sizeof(*opts));
	opts->sz = sizeof(*opts);
	opts->prog_fd = prog_fd;
	opts->handle = TBX_METER_TC_HANDLE;
	opts->priority = TBX_METER_TC_PRIO;
}

/* Removes our filter from one hook if it still runs our program. */
static int tc_detach_one(const char *ifname, int ifindex, enum tbx_meter_dir dir,
			 __u32 prog_id)
{
	struct bpf_tc_hook hook;
	struct bpf_tc_opts opts;
	int err;

	tc_hook_init(&hook, ifindex, tc_point[dir]);
	tc_opts_init(&opts, 0);
	err = bpf_tc_query(&hook, &opts);
	if (err == -ENOENT || err == -EINVAL)	/* gone, or no clsact at all */
		return 0;
	if (err)
		return tbx_err(err, "meter: query %s %s: %s%s", ifname,
			       dir_names[dir], strerror(-err), extack());
	if (opts.prog_id != prog_id)	/* replaced by someone else: theirs now */
		return 0;
	tc_opts_init(&opts, 0);
	err = bpf_tc_detach(&hook, &opts);
	if (err && err != -ENOENT)
		return tbx_err(err, "meter: detach %s %s: %s%s", ifname,
			       dir_names[dir], strerror(-err), extack());
	return 0;
}

static struct tcmsg *tc_request(char *buf, __u16 type, __u16 flags,
				int ifindex, __u32 parent)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct tcmsg *tcm;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	tcm = mnl_nlmsg_put_extra_header(nlh, sizeof(*tcm));
	tcm->tcm_family = AF_UNSPEC;
	tcm->tcm_ifindex = ifindex;
	tcm->tcm_parent = parent;
	return tcm;
}

static int kind_attr_cb(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == TCA_KIND &&
	    !mnl_attr_validate(attr, MNL_TYPE_NUL_STRING))
		snprintf(data, IFNAMSIZ, "%s", mnl_attr_get_str(attr));
	return MNL_CB_OK;
}

static int kind_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct tcmsg), kind_attr_cb, data);
}

/* The kind of the qdisc at ffff: ("clsact", "ingress"), "" when none. */
static int tc_ingress_kind(int ifindex, char kind[IFNAMSIZ])
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	int err;

	kind[0] = '\0';
	/* tc answers a get as a notification: ECHO sends it to us, ACK
	 * ends the exchange (an ACK alone: nothing there) */
	tc_request(buf, RTM_GETQDISC, NLM_F_ECHO | NLM_F_ACK, ifindex, TC_H_INGRESS);
	err = tbx_rtnl_once((struct nlmsghdr *)buf, kind_cb, kind);
	return err == -ENOENT || err == -EINVAL ? 0 : err;
}

static void unpin_all(const char *dir)
{
	static const char *const names[] = {
		PIN_COUNTERS, PIN_STATE, "ingress", "egress",
	};
	char path[PATH_MAX];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		pin_path(path, dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

/* Best effort: leave the tree as clean as before the first attach. */
static void remove_parents(void)
{
	char path[PATH_MAX];

	if (meters_dir(path, sizeof(path)))
		return;
	if (!rmdir(path)) {
		*strrchr(path, '/') = '\0';
		rmdir(path);
	}
}

static int pin_all(struct meter_bpf *skel, const char *dir)
{
	struct bpf_program *progs[TBX_METER_DIR_MAX] = {
		[TBX_METER_INGRESS] = skel->progs.meter_ingress,
		[TBX_METER_EGRESS] = skel->progs.meter_egress,
	};
	char path[PATH_MAX];
	int err;

	pin_path(path, dir, PIN_COUNTERS);
	err = bpf_map__pin(skel->maps.meter_counters, path);
	if (!err) {
		pin_path(path, dir, PIN_STATE);
		err = bpf_map__pin(skel->maps.meter_state, path);
	}
	for (int d = 0; !err && d < TBX_METER_DIR_MAX; d++) {
		pin_path(path, dir, pin_prog[d]);
		err = bpf_program__pin(progs[d], path);
	}
	if (err)
		return tbx_err(err, "meter: pin %s: %s", path, strerror(-err));
	return 0;
}

static int refuse_second(const char *dir, const char *ifname)
{
	struct tbx_meter_state st;

	if (read_state(dir, ifname, &st))
		return tbx_err(EEXIST, "meter: %s: an attach is running or was "
			       "interrupted; \"tbx meter detach dev %s\" cleans up",
			       ifname, ifname);
	if (st.netns_ino != netns_ino())
		return tbx_err(EEXIST, "meter: %s already has a meter, attached in "
			       "another network namespace (net:[%llu])", ifname,
			       (unsigned long long)st.netns_ino);
	return tbx_err(EEXIST, "meter: %s already has a meter", ifname);
}

/* Removes what tc_attach_all() added, as far as it is still ours. */
static int tc_detach_all(const char *ifname, const struct tbx_meter_state *st)
{
	libbpf_print_fn_t print = tc_quiet();
	int err = 0;

	for (int d = 0; !err && d < TBX_METER_DIR_MAX; d++)
		if (st->prog_id[d])
			err = tc_detach_one(ifname, st->ifindex, d, st->prog_id[d]);
	if (!err && (st->flags & TBX_METER_F_QDISC_CREATED))
		err = tbx_clsact_release("meter", st->ifindex);
	libbpf_set_print(print);
	return err;
}

/* Undoes a failed attach's tc steps, keeping the failure's message. */
static int tc_undo(const char *ifname, const struct tbx_meter_state *st, int err)
{
	char msg[512];

	snprintf(msg, sizeof(msg), "%s", tbx_errmsg());
	tc_detach_all(ifname, st);
	return tbx_err(err, "%s", msg);
}

static int write_state(struct meter_bpf *skel, const struct tbx_meter_state *st)
{
	__u32 key = 0;

	if (bpf_map__update_elem(skel->maps.meter_state, &key, sizeof(key),
				 st, sizeof(*st), BPF_ANY))
		return tbx_err(errno, "meter: write state: %s", strerror(errno));
	return 0;
}

/* Puts the two programs on the clsact hooks, creating clsact when
 * missing (and saying so in the pinned state); undoes its own steps
 * on failure. */
static int tc_attach_all(const char *ifname, struct meter_bpf *skel,
			 struct tbx_meter_state *st)
{
	int prog_fd[TBX_METER_DIR_MAX] = {
		[TBX_METER_INGRESS] = bpf_program__fd(skel->progs.meter_ingress),
		[TBX_METER_EGRESS] = bpf_program__fd(skel->progs.meter_egress),
	};
	libbpf_print_fn_t print = tc_quiet();
	struct bpf_tc_hook hook;
	struct bpf_tc_opts opts;
	char kind[IFNAMSIZ];
	int err;

	err = tc_ingress_kind(st->ifindex, kind);
	if (err) {
		err = tbx_err(err, "meter: query qdiscs of %s: %s", ifname, strerror(-err));
		goto out;
	}
	if (kind[0] && strcmp(kind, "clsact")) {
		/* ingress sits where clsact goes and would take both filters */
		err = tbx_err(EBUSY, "meter: %s has an \"%s\" qdisc where clsact "
			      "goes; remove it first", ifname, kind);
		goto out;
	}
	if (!kind[0]) {
		err = tc_hook_create(st->ifindex);
		if (!err) {
			st->flags |= TBX_METER_F_QDISC_CREATED;
			err = write_state(skel, st);
			if (err)
				goto out;
		} else if (err != -EEXIST) {	/* EEXIST: lost a race, fine */
			err = tbx_err(err, "meter: create clsact on %s: %s%s", ifname,
				      strerror(-err), extack());
			goto out;
		}
	}

	for (int d = 0; d < TBX_METER_DIR_MAX; d++) {
		tc_hook_init(&hook, st->ifindex, tc_point[d]);
		tc_opts_init(&opts, prog_fd[d]);
		err = bpf_tc_attach(&hook, &opts);
		if (err == -EEXIST) {
			/* Not a pinned meter (attach checked): most likely one
			 * pinned in a mount namespace that is gone. */
			err = tbx_err(err, "meter: attach %s %s: %s (pref %u handle %#x "
				      "is taken; a lost meter? tc filter del dev %s %s "
				      "pref %u handle %#x bpf)", ifname, dir_names[d],
				      strerror(-err), TBX_METER_TC_PRIO,
				      TBX_METER_TC_HANDLE, ifname, dir_names[d],
				      TBX_METER_TC_PRIO, TBX_METER_TC_HANDLE);
		} else if (err) {
			err = tbx_err(err, "meter: attach %s %s: %s%s", ifname,
				      dir_names[d], strerror(-err), extack());
		}
		if (err)
			break;
	}
out:
	libbpf_set_print(print);
	return err ? tc_undo(ifname, st, err) : 0;
}

static int prog_id(struct bpf_program *prog, __u32 *id)
{
	struct bpf_prog_info info = { 0 };
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len))
		return tbx_err(errno, "meter: read program info: %s", strerror(errno));
	*id = info.id;
	return 0;
}

/*
 * Pins first, then touches tc: whatever an interrupted attach leaves
 * behind, detach can find (by the pinned state) and remove.
 */
int tbx_meter_attach(const char *ifname)
{
	struct tbx_meter_state st = {
		.netns_ino = netns_ino(),
		.handle = TBX_METER_TC_HANDLE,
		.priority = TBX_METER_TC_PRIO,
	};
	char dir[PIN_DIR_MAX], meters[PATH_MAX];
	struct meter_bpf *skel;
	int err;

	err = tbx_meter_pin_dir(dir, sizeof(dir), ifname);
	if (err)
		return err;
	st.ifindex = if_nametoindex(ifname);
	if (!st.ifindex)
		return tbx_err(ENODEV, "no such device: %s", ifname);

	err = meters_dir(meters, sizeof(meters));
	if (!err)
		err = tbx_bpffs_make_dir("meter", meters);
	if (err)
		return err;
	/* The pin dir is the lock: only one attach can create it. */
	if (mkdir(dir, 0700)) {
		if (errno == EEXIST)
			return refuse_second(dir, ifname);
		return tbx_err(errno, "meter: mkdir %s: %s", dir, strerror(errno));
	}

	skel = meter_bpf__open_and_load();
	if (!skel) {
		err = tbx_err(errno, "meter: load BPF programs: %s", strerror(errno));
		goto out_rmdir;
	}
	err = prog_id(skel->progs.meter_ingress, &st.prog_id[TBX_METER_INGRESS]);
	if (!err)
		err = prog_id(skel->progs.meter_egress, &st.prog_id[TBX_METER_EGRESS]);
	if (!err)
		err = write_state(skel, &st);
	if (!err)
		err = pin_all(skel, dir);
	if (!err)
		err = tc_attach_all(ifname, skel, &st);
	/* On success the filters and the pins hold programs and maps. */
	meter_bpf__destroy(skel);
	if (!err)
		return 0;
out_rmdir:
	unpin_all(dir);
	remove_parents();
	return err;
}

int tbx_meter_detach(const char *ifname)
{
	struct tbx_meter_state st;
	char dir[PIN_DIR_MAX], name[IF_NAMESIZE];
	int err;

	err = tbx_meter_pin_dir(dir, sizeof(dir), ifname);
	if (!err)
		err = read_state(dir, ifname, &st);
	if (err == -ENOENT && !access(dir, F_OK)) {
		/* An attach stopped before pinning its state, so before
		 * touching tc (or one is running right now). */
		unpin_all(dir);
		remove_parents();
		return 0;
	}
	if (err)
		return err;
	/* Device names are per namespace, pins are not: the filters of a
	 * meter attached elsewhere cannot be reached from here. */
	if (st.netns_ino != netns_ino())
		return tbx_err(EXDEV, "meter: %s was attached in another network "
			       "namespace (net:[%llu]); detach it from there",
			       ifname, (unsigned long long)st.netns_ino);
	/* By index: the device may have been renamed since. When it is
	 * gone its hooks went with it and only the pins are left. */
	if (if_indextoname(st.ifindex, name)) {
		err = tc_detach_all(ifname, &st);
		if (err)
			return err;
	}
	unpin_all(dir);
	remove_parents();
	return 0;
}

static int open_counters(const char *ifname)
{
	char dir[PIN_DIR_MAX], path[PATH_MAX];
	int err;

	err = tbx_meter_pin_dir(dir, sizeof(dir), ifname);
	if (err)
		return err;
	pin_path(path, dir, PIN_COUNTERS);
	return open_map(path, ifname, BPF_MAP_TYPE_PERCPU_ARRAY,
			sizeof(struct tbx_meter_count), TBX_METER_NKEYS);
}

int tbx_meter_read(const char *ifname, struct tbx_meter_stats *out)
{
	struct tbx_meter_count *vals;
	int ncpus, fd, err = 0;

	ncpus = libbpf_num_possible_cpus();
	if (ncpus < 0)
		return tbx_err(ncpus, "meter: count CPUs: %s", strerror(-ncpus));
	fd = open_counters(ifname);
	if (fd < 0)
		return fd;
	/* A per-CPU lookup fills one value per possible CPU. */
	vals = calloc(ncpus, sizeof(*vals));
	if (!vals) {
		close(fd);
		return tbx_err(ENOMEM, "meter: %s", strerror(ENOMEM));
	}
	memset(out, 0, sizeof(*out));
	for (__u32 key = 0; key < TBX_METER_NKEYS; key++) {
		struct tbx_meter_count *sum;

		if (bpf_map_lookup_elem(fd, &key, vals)) {
			err = tbx_err(errno, "meter: read %s counters: %s",
				      ifname, strerror(errno));
			break;
		}
		sum = &out->c[key / TBX_METER_CLASS_MAX][key % TBX_METER_CLASS_MAX];
		for (int cpu = 0; cpu < ncpus; cpu++) {
			sum->packets += vals[cpu].packets;
			sum->bytes += vals[cpu].bytes;
		}
	}
	free(vals);
	close(fd);
	return err;
}

static int skip_dots(const struct dirent *de)
{
	return de->d_name[0] != '.';
}

int tbx_meter_foreach(int (*fn)(const char *ifname, void *arg), void *arg)
{
	struct dirent **names;
	char meters[PATH_MAX];
	int n, ret = 0;

	ret = meters_dir(meters, sizeof(meters));
	if (ret)
		return ret;
	n = scandir(meters, &names, skip_dots, alphasort);
	if (n < 0) {
		if (errno == ENOENT)	/* nothing was ever attached */
			return 0;
		return tbx_err(errno, "meter: list %s: %s", meters, strerror(errno));
	}
	for (int i = 0; i < n; i++) {
		if (!ret)
			ret = fn(names[i]->d_name, arg);
		free(names[i]);
	}
	free(names);
	return ret;
}
