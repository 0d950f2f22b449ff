// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A live tap session: load, pin, attach; read its counters; close. And
 * the list of sessions for `tbx tap stats`, read from the pins.
 */
#include <dirent.h>
#include <errno.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include <linux/magic.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpf/tap.skel.h"
#include "bpffs.h"
#include "err.h"
#include "meter.h"		/* TBX_BPFFS_DEFAULT, TBX_BPFFS_ENV */
#include "tap/session.h"

static int taps_dir(char *buf, size_t len)
{
	return tbx_bpffs_tool_dir("tap", buf, len);
}

/* <root>/tbx/tap on a BPF file system, mounting the default one as
 * bpftool does when the host has none. */
static int make_taps_dir(char *taps, size_t len)
{
	int err = taps_dir(taps, len);

	if (err)
		return err;
	return tbx_bpffs_make_dir("tap", taps);
}

static void pin_path(char *buf, size_t len, const char *dir, const char *name)
{
	snprintf(buf, len, "%s/%s", dir, name);
}

static void unpin_all(const char *dir)
{
	static const char *const names[] = {
		TAP_PIN_COUNTS, TAP_PIN_STATS, TAP_PIN_EPOCH, TAP_PIN_STATE,
		TAP_PIN_TC, TAP_PIN_XDP,
	};
	char path[PATH_MAX];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		pin_path(path, sizeof(path), dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
	/* Best effort: leave no empty tbx/tap (nor tbx) behind. */
	if (!taps_dir(path, sizeof(path)) && !rmdir(path)) {
		*strrchr(path, '/') = '\0';
		rmdir(path);
	}
}

static int pin_all(struct tbx_tap *tap)
{
	struct {
		const char *name;
		struct bpf_map *map;
		struct bpf_program *prog;
	} pins[] = {
		{ TAP_PIN_COUNTS, tap->skel->maps.tap_counts, NULL },
		{ TAP_PIN_STATS, tap->skel->maps.tap_stats, NULL },
		{ TAP_PIN_EPOCH, tap->skel->maps.tap_epoch, NULL },
		{ TAP_PIN_STATE, tap->skel->maps.tap_state, NULL },
		{ TAP_PIN_TC, NULL, tap->skel->progs.tap_tc },
		{ TAP_PIN_XDP, NULL, tap->skel->progs.tap_xdp },
	};
	char path[PATH_MAX];
	int err;

	for (size_t i = 0; i < sizeof(pins) / sizeof(pins[0]); i++) {
		pin_path(path, sizeof(path), tap->dir, pins[i].name);
		err = pins[i].map ? bpf_map__pin(pins[i].map, path) :
				    bpf_program__pin(pins[i].prog, path);
		if (err)
			return tbx_err(err, "tap: pin %s: %s", path, strerror(-err));
	}
	return 0;
}

int tap_write_state(struct tbx_tap *tap)
{
	__u32 key = 0;

	if (bpf_map_update_elem(tap->state_fd, &key, &tap->st, BPF_ANY))
		return tbx_err(errno, "tap: write state: %s", strerror(errno));
	return 0;
}

static int prog_id(struct bpf_program *prog, __u32 *id)
{
	struct bpf_prog_info info = { 0 };
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len))
		return tbx_err(errno, "tap: read program info: %s", strerror(errno));
	*id = info.id;
	return 0;
}

static unsigned long long netns_ino(void)
{
	struct stat st;

	return stat("/proc/self/ns/net", &st) ? 0 : st.st_ino;
}

/*
 * CLOCK_REALTIME - CLOCK_MONOTONIC (bpf_ktime_get_ns()'s clock), read
 * between two monotonic reads so the error is half their distance.
 */
static __u64 clock_offset(void)
{
	struct timespec m1, r, m2;
	__u64 mono;

	clock_gettime(CLOCK_MONOTONIC, &m1);
	clock_gettime(CLOCK_REALTIME, &r);
	clock_gettime(CLOCK_MONOTONIC, &m2);
	mono = ((__u64)m1.tv_sec * 1000000000 + m1.tv_nsec +
		(__u64)m2.tv_sec * 1000000000 + m2.tv_nsec) / 2;
	return (__u64)r.tv_sec * 1000000000 + r.tv_nsec - mono;
}

/*
 * Takes the session pinned at @dir off its device and removes its pins
 * when @owns(state) says so. 0 when removed, -ENOENT when nothing is
 * pinned there, -ESRCH when @owns refused.
 */
static int reap_dir(const char *dir, bool (*owns)(const struct tbx_tap_state *st, uint32_t pid),
		    uint32_t pid)
{
	struct tbx_tap dead = { .attached = true, .xdp_fd = -1 };
	char path[PATH_MAX + NAME_MAX + 16];
	__u32 key = 0;
	int fd, err;

	if ((size_t)snprintf(dead.dir, sizeof(dead.dir), "%s", dir) >= sizeof(dead.dir))
		return -ENAMETOOLONG;
	snprintf(path, sizeof(path), "%s/%s", dead.dir, TAP_PIN_STATE);
	fd = bpf_obj_get(path);
	if (fd < 0)
		return -ENOENT;
	if (bpf_map_lookup_elem(fd, &key, &dead.st) ||
	    dead.st.netns_ino != netns_ino() || !owns(&dead.st, pid)) {
		close(fd);
		return -ESRCH;
	}
	close(fd);
	snprintf(path, sizeof(path), "%s/%s", dead.dir, TAP_PIN_XDP);
	dead.xdp_fd = bpf_obj_get(path);
	if (!if_indextoname(dead.st.ifindex, dead.ifname))
		snprintf(dead.ifname, sizeof(dead.ifname), "?");
	err = tap_detach(&dead);
	if (!err)
		unpin_all(dead.dir);
	if (dead.xdp_fd >= 0)
		close(dead.xdp_fd);
	return err;
}

static bool process_gone(const struct tbx_tap_state *st, uint32_t unused)
{
	return kill(st->pid, 0) && errno == ESRCH;
}

static bool pid_is(const struct tbx_tap_state *st, uint32_t pid)
{
	return st->pid == pid;
}

int tbx_tap_reap(const char *pin_dir, uint32_t pid)
{
	return reap_dir(pin_dir, pid_is, pid);
}

/*
 * A session whose process died (SIGKILL, a crash) left its program on the
 * device and its pins behind; the next tap in the same network namespace
 * removes them, so the device is free again.
 */
static void reap_stale(const char *taps)
{
	struct dirent **names;
	int n = scandir(taps, &names, NULL, alphasort);

	for (int i = 0; i < n; i++) {
		char dir[PATH_MAX];

		if (names[i]->d_name[0] != '.' &&
		    (size_t)snprintf(dir, sizeof(dir), "%s/%s", taps,
				     names[i]->d_name) < sizeof(dir))
			reap_dir(dir, process_gone, 0);
		free(names[i]);
	}
	if (n > 0)
		free(names);
}

static int check_opts(const struct tbx_tap_opts *o)
{
	if (!o->interval || o->interval > UINT16_MAX)
		return tbx_err(EINVAL, "tap: interval %u out of range 1..65535", o->interval);
	if (o->ifname && (!*o->ifname || strlen(o->ifname) >= IFNAMSIZ ||
			  strchr(o->ifname, '/') || !strcmp(o->ifname, ".") ||
			  !strcmp(o->ifname, "..")))
		return tbx_err(EINVAL, "tap: invalid device name \"%s\"", o->ifname);
	if (o->ifname && !o->xdp && !o->ingress && !o->egress)
		return tbx_err(EINVAL, "tap: no direction to tap");
	if (o->xdp && o->egress)
		return tbx_err(EINVAL, "tap: XDP sees ingress only");
	return 0;
}

static int load(struct tbx_tap *tap, const struct tbx_tap_opts *o)
{
	struct tap_bpf *skel;
	int err;

	skel = tap_bpf__open();
	if (!skel)
		return tbx_err(errno, "tap: open BPF object: %s", strerror(errno));
	tap->skel = skel;
	skel->rodata->clock_offset_ns = clock_offset();
	skel->rodata->interval_len = o->interval;
	skel->rodata->align_intervals = o->align;
	skel->rodata->dos_enabled = o->dos;
	if (o->dos) {
		uint32_t mb = o->ring_mb ? o->ring_mb : 8;

		if (mb > 1024 || (mb & (mb - 1)))
			return tbx_err(EINVAL, "tap: ring of %u MB: a power of two up to 1024", mb);
		err = bpf_map__set_max_entries(skel->maps.tap_pkts, mb << 20);
		if (err)
			return tbx_err(err, "tap: size the packet ring: %s", strerror(-err));
	}
	err = bpf_map__set_max_entries(skel->maps.tap_counts,
				       o->max_tuples ? o->max_tuples : TBX_TAP_MAX_TUPLES);
	if (err)
		return tbx_err(err, "tap: size the counts map: %s", strerror(-err));
	err = tap_bpf__load(skel);
	if (err)
		return tbx_err(err, "tap: load BPF program: %s", strerror(-err));
	tap->counts_fd = bpf_map__fd(skel->maps.tap_counts);
	tap->stats_fd = bpf_map__fd(skel->maps.tap_stats);
	tap->epoch_fd = bpf_map__fd(skel->maps.tap_epoch);
	tap->state_fd = bpf_map__fd(skel->maps.tap_state);
	tap->xdp_fd = bpf_program__fd(skel->progs.tap_xdp);
	if (o->dos) {
		tap->rb = ring_buffer__new(bpf_map__fd(skel->maps.tap_pkts), tap_on_packet,
					   tap, NULL);
		if (!tap->rb)
			return tbx_err(errno, "tap: packet ring: %s", strerror(errno));
	}
	err = prog_id(skel->progs.tap_tc, &tap->st.prog_id[0]);
	if (!err)
		err = prog_id(skel->progs.tap_xdp, &tap->st.prog_id[1]);
	return err;
}

int tbx_tap_open(const struct tbx_tap_opts *o, struct tbx_tap **out)
{
	char taps[PATH_MAX], pin_name[32];
	struct tbx_tap *tap;
	int err;

	err = check_opts(o);
	if (err)
		return err;
	tap = calloc(1, sizeof(*tap));
	if (!tap)
		return tbx_err(ENOMEM, "tap: %s", strerror(ENOMEM));
	tap->ncpus = libbpf_num_possible_cpus();
	snprintf(tap->ifname, sizeof(tap->ifname), "%s", o->ifname ? o->ifname : "none");
	tap->st.pid = getpid();
	tap->st.interval = o->interval;
	tap->st.align = o->align;
	tap->st.max_tuples = o->max_tuples ? o->max_tuples : TBX_TAP_MAX_TUPLES;
	tap->st.netns_ino = netns_ino();
	tap->st.flags = o->xdp ? TBX_TAP_F_XDP :
			(o->ingress ? TBX_TAP_F_INGRESS : 0) |
			(o->egress ? TBX_TAP_F_EGRESS : 0);
	if (o->ifname) {
		tap->st.ifindex = if_nametoindex(o->ifname);
		if (!tap->st.ifindex) {
			free(tap);
			return tbx_err(ENODEV, "tap: no such device: %s", o->ifname);
		}
	}
	err = taps_dir(taps, sizeof(taps));
	if (!err) {
		reap_stale(taps);
		err = make_taps_dir(taps, sizeof(taps));
	}
	if (err) {
		free(tap);
		return err;
	}
	/* bpffs refuses names with a dot: "eth0.100" pins as "eth0_100" */
	snprintf(pin_name, sizeof(pin_name), "%s", tap->ifname);
	for (char *c = pin_name; *c; c++)
		if (*c == '.')
			*c = '_';
	if ((size_t)snprintf(tap->dir, sizeof(tap->dir), "%s/%s:%d", taps, pin_name,
			     (int)tap->st.pid) >= sizeof(tap->dir)) {
		free(tap);
		return tbx_err(ENAMETOOLONG, "tap: %s: path too long", taps);
	}
	if (mkdir(tap->dir, 0700)) {
		err = tbx_err(errno, "tap: mkdir %s: %s", tap->dir, strerror(errno));
		free(tap);
		return err;
	}
	err = load(tap, o);
	if (!err)
		err = tap_write_state(tap);
	if (!err)
		err = pin_all(tap);
	if (!err && o->ifname)
		err = tap_attach(tap);
	if (err) {
		tbx_tap_close(tap);
		return err;
	}
	*out = tap;
	return 0;
}

int tbx_tap_detach(struct tbx_tap *tap)
{
	return tap_detach(tap);
}

void tbx_tap_close(struct tbx_tap *tap)
{
	if (!tap)
		return;
	tap_detach(tap);
	unpin_all(tap->dir);
	ring_buffer__free(tap->rb);
	for (size_t i = 0; i < tap->npending; i++)
		free(tap->pending[i]);
	free(tap->pending);
	tap_bpf__destroy(tap->skel);
	free(tap);
}

int tbx_tap_prog_fd(struct tbx_tap *tap, bool xdp)
{
	return bpf_program__fd(xdp ? tap->skel->progs.tap_xdp : tap->skel->progs.tap_tc);
}

const char *tbx_tap_pin_dir(struct tbx_tap *tap)
{
	return tap->dir;
}

int tap_read_totals(int stats_fd, int epoch_fd, int ncpus, struct tbx_tap_totals *t)
{
	struct tbx_tap_stats *vals;
	struct tbx_tap_epoch ep;
	__u32 key = 0;
	int err = 0;

	memset(t, 0, sizeof(*t));
	if (ncpus <= 0)
		return tbx_err(EINVAL, "tap: cannot count CPUs");
	vals = calloc(ncpus, sizeof(*vals));
	if (!vals)
		return tbx_err(ENOMEM, "tap: %s", strerror(ENOMEM));
	if (bpf_map_lookup_elem(stats_fd, &key, vals)) {
		err = tbx_err(errno, "tap: read counters: %s", strerror(errno));
		goto out;
	}
	for (int c = 0; c < ncpus; c++) {
		t->packets += vals[c].packets;
		t->ipv4 += vals[c].ipv4;
		t->ipv6 += vals[c].ipv6;
		t->other += vals[c].other;
		t->overflow += vals[c].overflow;
		t->dos_lost += vals[c].dos_lost;
		if (vals[c].last_ns > t->last_ns)
			t->last_ns = vals[c].last_ns;
	}
	if (!bpf_map_lookup_elem(epoch_fd, &key, &ep))
		t->first_ns = ep.first_ns;
out:
	free(vals);
	return err;
}

int tbx_tap_read_totals(struct tbx_tap *tap, struct tbx_tap_totals *t)
{
	int err = tap_read_totals(tap->stats_fd, tap->epoch_fd, tap->ncpus, t);

	t->late = tap->st.late;
	return err;
}

static int open_pin(const char *dir, const char *name, __u32 type)
{
	struct bpf_map_info info = { 0 };
	__u32 len = sizeof(info);
	char path[PATH_MAX];
	int fd;

	pin_path(path, sizeof(path), dir, name);
	fd = bpf_obj_get(path);
	if (fd < 0)
		return tbx_err(errno, "tap: open %s: %s", path, strerror(errno));
	if (bpf_obj_get_info_by_fd(fd, &info, &len) || info.type != type) {
		close(fd);
		return tbx_err(EPROTO, "tap: %s is not what this tbx pins there", path);
	}
	return fd;
}

static int read_session(const char *dir, struct tbx_tap_session *s)
{
	int fds[4] = { -1, -1, -1, -1 }, err = 0;
	__u32 key = 0;

	fds[0] = open_pin(dir, TAP_PIN_STATE, BPF_MAP_TYPE_ARRAY);
	fds[1] = open_pin(dir, TAP_PIN_STATS, BPF_MAP_TYPE_PERCPU_ARRAY);
	fds[2] = open_pin(dir, TAP_PIN_EPOCH, BPF_MAP_TYPE_ARRAY);
	fds[3] = open_pin(dir, TAP_PIN_COUNTS, BPF_MAP_TYPE_PERCPU_HASH);
	for (int i = 0; i < 4; i++)
		if (fds[i] < 0) {
			err = fds[i];
			goto out;
		}
	if (bpf_map_lookup_elem(fds[0], &key, &s->state)) {
		err = tbx_err(errno, "tap: %s: read state: %s", dir, strerror(errno));
		goto out;
	}
	err = tap_read_totals(fds[1], fds[2], libbpf_num_possible_cpus(), &s->totals);
	if (err)
		goto out;
	s->totals.late = s->state.late;
	s->alive = !kill(s->state.pid, 0) || errno == EPERM;
	{
		struct tbx_tap_key k, *prev = NULL;

		while (!bpf_map_get_next_key(fds[3], prev, &k)) {
			s->entries++;
			prev = &k;
		}
	}
out:
	for (int i = 0; i < 4; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return err;
}

static int skip_dots(const struct dirent *de)
{
	return de->d_name[0] != '.';
}

int tbx_tap_foreach(int (*fn)(const struct tbx_tap_session *s, void *arg), void *arg)
{
	char taps[PATH_MAX], dir[PATH_MAX + NAME_MAX + 2];
	struct dirent **names;
	int n, ret;

	ret = taps_dir(taps, sizeof(taps));
	if (ret)
		return ret;
	n = scandir(taps, &names, skip_dots, alphasort);
	if (n < 0) {
		if (errno == ENOENT)
			return 0;
		return tbx_err(errno, "tap: list %s: %s", taps, strerror(errno));
	}
	for (int i = 0; i < n; i++) {
		struct tbx_tap_session s = { .name = names[i]->d_name };

		if (!ret) {
			snprintf(dir, sizeof(dir), "%s/%s", taps, names[i]->d_name);
			/* a session still being set up has no state yet: skip it */
			if (!read_session(dir, &s))
				ret = fn(&s, arg);
		}
		free(names[i]);
	}
	free(names);
	return ret;
}
