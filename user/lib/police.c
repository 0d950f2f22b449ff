// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/magic.h>

#include "bpf/police.skel.h"
#include "bpffs.h"
#include "cgroup.h"
#include "clsact.h"
#include "err.h"
#include "police.h"
#include "profile.h"

#define NSEC		1000000000ULL
#define TOOL		"enforce"

enum { MAP_CONFIG, MAP_STATE, MAP_CURVES, MAP_COUNT };

static const char *const map_pins[MAP_COUNT] = { "config", "state", "curves" };

/* The shared maps, opened from their pins. */
struct maps {
	int fd[MAP_COUNT];
};

uint64_t tbx_police_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC + ts.tv_nsec;
}

static int check_name(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	if (!n || n >= sizeof(((struct tbx_police_config *)0)->name) ||
	    strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		   "0123456789_.-") != n || name[0] == '.')
		return tbx_err(EINVAL, TOOL ": sender name \"%s\" is not 1-31 of "
			       "A-Z a-z 0-9 _ . - (not starting with a dot)", name ? name : "");
	return 0;
}

static int police_dir(char *buf, size_t len)
{
	return tbx_bpffs_tool_dir("police", buf, len);
}

static int sender_dir(const char *name, char *buf, size_t len)
{
	char dir[PATH_MAX];

	if (police_dir(dir, sizeof(dir)))
		return -ENAMETOOLONG;
	if ((size_t)snprintf(buf, len, "%s/senders/%s", dir, name) >= len)
		return tbx_err(ENAMETOOLONG, TOOL ": %s: path too long", dir);
	return 0;
}

static void maps_close(struct maps *m)
{
	for (int i = 0; i < MAP_COUNT; i++)
		if (m->fd[i] >= 0)
			close(m->fd[i]);
}

/* Opens the pinned maps; -ENOENT (no message) when none are pinned. */
static int maps_open(struct maps *m)
{
	static const __u32 value_size[MAP_COUNT] = {
		sizeof(struct tbx_police_config), sizeof(struct tbx_police_state),
		sizeof(struct tbx_curve),
	};
	static const __u32 entries[MAP_COUNT] = {
		TBX_POLICE_SENDERS_MAX, TBX_POLICE_SENDERS_MAX, 2 * TBX_POLICE_SENDERS_MAX,
	};
	char dir[PATH_MAX], path[PATH_MAX + 16];

	for (int i = 0; i < MAP_COUNT; i++)
		m->fd[i] = -1;
	if (police_dir(dir, sizeof(dir)))
		return -ENAMETOOLONG;
	for (int i = 0; i < MAP_COUNT; i++) {
		struct bpf_map_info info = { 0 };
		__u32 len = sizeof(info);

		snprintf(path, sizeof(path), "%s/%s", dir, map_pins[i]);
		m->fd[i] = bpf_obj_get(path);
		if (m->fd[i] < 0) {
			int err = errno;

			maps_close(m);
			if (err == ENOENT)
				return -ENOENT;
			return tbx_err(err, TOOL ": open %s: %s", path, strerror(err));
		}
		if (bpf_obj_get_info_by_fd(m->fd[i], &info, &len) ||
		    info.type != BPF_MAP_TYPE_ARRAY || info.value_size != value_size[i] ||
		    info.max_entries != entries[i]) {
			maps_close(m);
			return tbx_err(EPROTO, TOOL ": %s is not what this tbx pins there", path);
		}
	}
	return 0;
}

static int read_config(const struct maps *m, __u32 slot, struct tbx_police_config *c)
{
	if (bpf_map_lookup_elem(m->fd[MAP_CONFIG], &slot, c))
		return tbx_err(errno, TOOL ": read slot %u: %s", slot, strerror(errno));
	return 0;
}

static int write_config(const struct maps *m, __u32 slot, const struct tbx_police_config *c)
{
	if (bpf_map_update_elem(m->fd[MAP_CONFIG], &slot, c, BPF_ANY))
		return tbx_err(errno, TOOL ": write slot %u: %s", slot, strerror(errno));
	return 0;
}

/* The slot of sender @name; -ENOENT with a message when there is none. */
static int find(const struct maps *m, const char *name, struct tbx_police_config *c)
{
	for (__u32 slot = 0; slot < TBX_POLICE_SENDERS_MAX; slot++) {
		if (read_config(m, slot, c))
			return -EIO;
		if (c->active && !strncmp(c->name, name, sizeof(c->name)))
			return slot;
	}
	return tbx_err(ENOENT, TOOL ": no sender \"%s\"", name);
}

/* Creates the shared maps from a loaded skeleton's, pinned. */
static int maps_pin(struct police_bpf *skel)
{
	struct bpf_map *maps[MAP_COUNT] = {
		skel->maps.police_config, skel->maps.police_state, skel->maps.police_curves,
	};
	char dir[PATH_MAX], path[PATH_MAX + 16];
	int err;

	if (police_dir(dir, sizeof(dir)))
		return -ENAMETOOLONG;
	for (int i = 0; i < MAP_COUNT; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, map_pins[i]);
		err = bpf_map__pin(maps[i], path);
		if (err) {
			while (i--) {
				snprintf(path, sizeof(path), "%s/%s", dir, map_pins[i]);
				unlink(path);
			}
			return tbx_err(err, TOOL ": pin %s: %s", path, strerror(-err));
		}
	}
	return 0;
}

/* Removes the shared maps' pins and the directories when no sender is left. */
static void maps_unpin_if_idle(const struct maps *m)
{
	struct tbx_police_config c;
	char dir[PATH_MAX], path[PATH_MAX + 16];

	for (__u32 slot = 0; slot < TBX_POLICE_SENDERS_MAX; slot++)
		if (read_config(m, slot, &c) || c.active)
			return;
	if (police_dir(dir, sizeof(dir)))
		return;
	for (int i = 0; i < MAP_COUNT; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, map_pins[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/senders", dir);
	rmdir(path);
	rmdir(dir);
	*strrchr(dir, '/') = '\0';
	rmdir(dir);		/* <root>/tbx, when nothing else of tbx is pinned */
}

static int write_curve(const struct maps *m, __u32 slot, __u32 which,
		       const struct tbx_profile *p, const char *profile_name)
{
	struct tbx_curve c;
	__u32 key = slot * 2 + which;

	if (tbx_profile_curve(p, profile_name, &c))
		return -E2BIG;
	if (!c.period_bits)
		return tbx_err(EINVAL, TOOL ": profile %s carries nothing (every rate 0): "
			       "it would refuse every packet", profile_name);
	if (bpf_map_update_elem(m->fd[MAP_CURVES], &key, &c, BPF_ANY))
		return tbx_err(errno, TOOL ": write curve: %s", strerror(errno));
	return 0;
}

/* Phase 0 on the monotonic clock: the profile's "# start" (epoch), else now. */
static unsigned long long netns_ino(void)
{
	struct stat st;

	return stat("/proc/self/ns/net", &st) ? 0 : st.st_ino;
}

static int prog_id_of(int fd, __u32 *id)
{
	struct bpf_prog_info info = { 0 };
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	*id = info.id;
	return 0;
}

/* --- tc (device senders) ------------------------------------------------- */

static struct tbx_tc_filter tc_filter(int ifindex)
{
	return (struct tbx_tc_filter){ ifindex, BPF_TC_EGRESS, TBX_POLICE_TC_HANDLE,
				       TBX_POLICE_TC_PRIO };
}

/* Removes the filter if it still runs our program, then clsact if empty. */
static void tc_detach(const struct tbx_police_config *c)
{
	struct tbx_tc_filter f = tc_filter(c->ifindex);

	if (c->netns_ino != netns_ino())
		return;		/* another namespace's device: its own ifindex space */
	tbx_tc_filter_detach(TOOL, &f, c->prog_id);
}

/* --- add, change, remove -------------------------------------------------- */

static int free_slot(const struct maps *m, const char *name, __u32 *slot)
{
	struct tbx_police_config c;
	int found = -1;

	for (__u32 s = 0; s < TBX_POLICE_SENDERS_MAX; s++) {
		if (read_config(m, s, &c))
			return -EIO;
		if (c.active && !strncmp(c.name, name, sizeof(c.name)))
			return tbx_err(EEXIST, TOOL ": sender \"%s\" exists", name);
		if (!c.active && found < 0)
			found = s;
	}
	if (found < 0)
		return tbx_err(ENOSPC, TOOL ": %d senders already", TBX_POLICE_SENDERS_MAX);
	*slot = found;
	return 0;
}

/* Loads one program instance for @slot, sharing the pinned maps when there are any. */
static int load(struct police_bpf **out, const struct maps *m, __u32 slot)
{
	struct police_bpf *skel = police_bpf__open();
	int err;

	if (!skel)
		return tbx_err(errno, TOOL ": open the BPF object: %s", strerror(errno));
	skel->rodata->sender = slot;
	if (m) {
		err = bpf_map__reuse_fd(skel->maps.police_config, m->fd[MAP_CONFIG]) ?:
		      bpf_map__reuse_fd(skel->maps.police_state, m->fd[MAP_STATE]) ?:
		      bpf_map__reuse_fd(skel->maps.police_curves, m->fd[MAP_CURVES]);
		if (err) {
			police_bpf__destroy(skel);
			return tbx_err(err, TOOL ": share the maps: %s", strerror(-err));
		}
	}
	err = police_bpf__load(skel);
	if (err) {
		police_bpf__destroy(skel);
		return tbx_err(err, TOOL ": load the BPF program: %s", strerror(-err));
	}
	*out = skel;
	return 0;
}

/* Takes the sender's pins and program out; the slot stays as it is. */
static void unpin_sender(const char *name)
{
	char dir[PATH_MAX], path[PATH_MAX + 16];

	if (sender_dir(name, dir, sizeof(dir)))
		return;
	snprintf(path, sizeof(path), "%s/link", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/prog", dir);
	unlink(path);
	rmdir(dir);
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

static int attach_quietly(const struct tbx_police_spec *spec, struct police_bpf *skel,
			  struct tbx_police_config *c);

/* libbpf prints its own line for a failed attach; the error says it all. */
static int attach(const struct tbx_police_spec *spec, struct police_bpf *skel,
		  struct tbx_police_config *c)
{
	libbpf_print_fn_t print = libbpf_set_print(quiet);
	int err = attach_quietly(spec, skel, c);

	libbpf_set_print(print);
	return err;
}

static int attach_quietly(const struct tbx_police_spec *spec, struct police_bpf *skel,
			  struct tbx_police_config *c)
{
	char dir[PATH_MAX], path[PATH_MAX + 16];
	struct bpf_program *prog;
	struct bpf_link *link;
	int err, fd;

	if (sender_dir(spec->name, dir, sizeof(dir)))
		return -ENAMETOOLONG;
	if (tbx_bpffs_make_dir(TOOL, dir))
		return -EIO;
	prog = spec->kind == TBX_POLICE_CGROUP ? skel->progs.police_cgroup : skel->progs.police_dev;
	snprintf(path, sizeof(path), "%s/prog", dir);
	err = bpf_program__pin(prog, path);
	if (err) {
		rmdir(dir);
		return tbx_err(err, TOOL ": pin %s: %s", path, strerror(-err));
	}
	prog_id_of(bpf_program__fd(prog), &c->prog_id);
	if (spec->kind == TBX_POLICE_CGROUP) {
		fd = open(spec->cgroup, O_RDONLY | O_DIRECTORY);
		if (fd < 0) {
			err = tbx_err(errno, TOOL ": cgroup %s: %s", spec->cgroup, strerror(errno));
			goto fail;
		}
		link = bpf_program__attach_cgroup(prog, fd);
		close(fd);
		err = libbpf_get_error(link);
		if (err) {
			tbx_err(err, TOOL ": attach to cgroup %s: %s", spec->cgroup, strerror(-err));
			goto fail;
		}
		snprintf(path, sizeof(path), "%s/link", dir);
		err = bpf_link__pin(link, path);
		bpf_link__destroy(link);	/* the pin holds it now */
		if (err) {
			tbx_err(err, TOOL ": pin %s: %s", path, strerror(-err));
			goto fail;
		}
	} else {
		struct tbx_tc_filter f = tc_filter(c->ifindex);
		char taken[IF_NAMESIZE + 32];

		snprintf(taken, sizeof(taken), "%s already has a sender", spec->dev);
		err = tbx_tc_filter_attach(TOOL, spec->dev, &f, bpf_program__fd(prog), taken);
		if (err)
			goto fail;
	}
	return 0;
fail:
	unpin_sender(spec->name);
	return err;
}

static int check_spec(const struct tbx_police_spec *spec, struct tbx_police_config *c)
{
	struct statfs fs;
	struct stat st;

	if (check_name(spec->name))
		return -EINVAL;
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", spec->name);
	c->kind = spec->kind;
	if (spec->kind == TBX_POLICE_CGROUP) {
		if (!spec->cgroup || stat(spec->cgroup, &st) || !S_ISDIR(st.st_mode))
			return tbx_err(ENOENT, TOOL ": cgroup %s: not a directory",
				       spec->cgroup ? spec->cgroup : "");
		if (statfs(spec->cgroup, &fs) || fs.f_type != CGROUP2_SUPER_MAGIC)
			return tbx_err(EINVAL, TOOL ": %s is not a cgroup v2 directory (%s is)",
				       spec->cgroup, tbx_cgroup_root());
		c->cgroup_id = st.st_ino;
	} else if (spec->kind == TBX_POLICE_DEV) {
		c->ifindex = spec->dev ? if_nametoindex(spec->dev) : 0;
		if (!c->ifindex)
			return tbx_err(ENODEV, TOOL ": no device \"%s\"", spec->dev ? spec->dev : "");
		c->netns_ino = netns_ino();
	} else {
		return tbx_err(EINVAL, TOOL ": a sender is a cgroup or a device");
	}
	return 0;
}

static int police_add_locked(const struct tbx_police_spec *spec)
{
	struct police_bpf *skel = NULL;
	struct tbx_police_config c;
	struct tbx_police_state st = { 0 };
	struct maps m;
	char dir[PATH_MAX];
	bool fresh = false;
	__u32 slot = 0;
	int err;

	if (check_spec(spec, &c))
		return -EINVAL;
	if (tbx_bpffs_check_shared(TOOL))
		return -ENOTSUP;
	err = maps_open(&m);
	if (err == -ENOENT) {
		/* The first sender: its program's maps become the shared ones. */
		if (police_dir(dir, sizeof(dir)) || tbx_bpffs_make_dir(TOOL, dir))
			return -EIO;
		err = load(&skel, NULL, 0);
		if (err)
			return err;
		err = maps_pin(skel);
		if (err) {
			police_bpf__destroy(skel);
			return err;
		}
		fresh = true;
		err = maps_open(&m);
	}
	if (err) {
		police_bpf__destroy(skel);
		return err;
	}
	err = free_slot(&m, spec->name, &slot);
	if (!err && !fresh)
		err = load(&skel, &m, slot);
	if (!err)
		err = write_curve(&m, slot, 0, spec->profile, spec->profile_name);
	if (!err && bpf_map_update_elem(m.fd[MAP_STATE], &slot, &st, BPF_ANY))
		err = tbx_err(errno, TOOL ": reset slot %u: %s", slot, strerror(errno));
	if (!err) {
		c.start_ns = tbx_profile_phase0_mono(spec->profile);
		c.uuid = spec->profile->has_uuid ? spec->profile->uuid : 0;
		c.active = 1;
		/* Active before the program runs: it passes packets of an inactive slot. */
		err = write_config(&m, slot, &c);
	}
	if (!err) {
		err = attach(spec, skel, &c);
		if (!err)
			err = write_config(&m, slot, &c);	/* with the program's id */
		if (err) {
			struct tbx_police_config none = { 0 };

			write_config(&m, slot, &none);
		}
	}
	police_bpf__destroy(skel);	/* the pins and the attachment hold what stays */
	if (err)
		maps_unpin_if_idle(&m);
	maps_close(&m);
	return err;
}

static int open_existing(struct maps *m)
{
	int err = maps_open(m);

	if (err == -ENOENT)
		return tbx_err(ENOENT, TOOL ": no senders");
	return err;
}

/* The maps opened and sender @name's slot and configuration; on error nothing stays open. */
static int open_sender(const char *name, struct maps *m, struct tbx_police_config *c)
{
	int slot = check_name(name);

	if (slot || (slot = open_existing(m)))
		return slot;
	slot = find(m, name, c);
	if (slot < 0)
		maps_close(m);
	return slot;
}

static int police_set_profile_locked(const char *name, const struct tbx_profile *p,
				     const char *profile_name)
{
	struct tbx_police_config c;
	struct maps m;
	int slot, err;

	slot = open_sender(name, &m, &c);
	if (slot < 0)
		return slot;
	/* The curve not in use first, then one write makes it live. */
	err = write_curve(&m, slot, !c.curve, p, profile_name);
	if (!err) {
		c.curve = !c.curve;
		c.uuid = p->has_uuid ? p->uuid : c.uuid;
		if (p->has_start)
			c.start_ns = tbx_profile_phase0_mono(p);
		err = write_config(&m, slot, &c);
	}
	maps_close(&m);
	return err;
}

static int police_switch_locked(const char *name, bool off)
{
	struct tbx_police_config c;
	struct maps m;
	int slot, err;

	slot = open_sender(name, &m, &c);
	if (slot < 0)
		return slot;
	c.off = off;
	err = write_config(&m, slot, &c);
	maps_close(&m);
	return err;
}

static int police_switch_uuid_locked(uint64_t uuid, bool off, unsigned int *n)
{
	struct tbx_police_config c;
	struct maps m;
	int err = 0;

	*n = 0;
	if (open_existing(&m))
		return -ENOENT;
	for (__u32 slot = 0; !err && slot < TBX_POLICE_SENDERS_MAX; slot++) {
		err = read_config(&m, slot, &c);
		if (err || !c.active || c.uuid != uuid)
			continue;
		c.off = off;
		err = write_config(&m, slot, &c);
		if (!err)
			(*n)++;
	}
	maps_close(&m);
	return err;
}

static int read_sender(const struct maps *m, __u32 slot, struct tbx_police_sender *s)
{
	__u32 key;

	s->slot = slot;
	if (read_config(m, slot, &s->cfg))
		return -EIO;
	if (bpf_map_lookup_elem_flags(m->fd[MAP_STATE], &slot, &s->st, BPF_F_LOCK))
		return tbx_err(errno, TOOL ": read state %u: %s", slot, strerror(errno));
	key = slot * 2 + (s->cfg.curve & 1);
	if (bpf_map_lookup_elem(m->fd[MAP_CURVES], &key, &s->curve))
		return tbx_err(errno, TOOL ": read curve %u: %s", key, strerror(errno));
	return 0;
}

int tbx_police_get(const char *name, struct tbx_police_sender *out)
{
	struct tbx_police_config c;
	struct maps m;
	int slot, err;

	slot = open_sender(name, &m, &c);
	if (slot < 0)
		return slot;
	err = read_sender(&m, slot, out);
	maps_close(&m);
	return err;
}

int tbx_police_list(struct tbx_police_sender **out, unsigned int *n)
{
	struct tbx_police_sender *all;
	struct tbx_police_config c;
	struct maps m;
	int err;

	*out = NULL;
	*n = 0;
	err = maps_open(&m);
	if (err == -ENOENT)
		return 0;
	if (err)
		return err;
	all = calloc(TBX_POLICE_SENDERS_MAX, sizeof(*all));
	if (!all) {
		maps_close(&m);
		return tbx_err(ENOMEM, "out of memory");
	}
	for (__u32 slot = 0; !err && slot < TBX_POLICE_SENDERS_MAX; slot++) {
		err = read_config(&m, slot, &c);
		if (!err && c.active)
			err = read_sender(&m, slot, &all[(*n)++]);
	}
	maps_close(&m);
	if (err) {
		free(all);
		*n = 0;
		return err;
	}
	*out = all;
	return 0;
}

static int police_del_locked(const char *name)
{
	struct tbx_police_config c, none = { 0 };
	struct maps m;
	int slot, err;

	slot = open_sender(name, &m, &c);
	if (slot < 0)
		return slot;
	if (c.kind == TBX_POLICE_DEV)
		tc_detach(&c);
	unpin_sender(name);	/* the link's pin was its last reference: detached */
	err = write_config(&m, slot, &none);
	if (!err)
		maps_unpin_if_idle(&m);
	maps_close(&m);
	return err;
}

/*
 * Changes are serialised host-wide (the CLI, tbxd's API and its push-back
 * listener may change senders at once): an exclusive flock on the BPF file
 * system's root, which tbx never removes. Without it (no root yet), the
 * change goes ahead unlocked.
 */
static int police_lock(void)
{
	int fd = open(tbx_bpffs_root(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0 && flock(fd, LOCK_EX)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

static int police_unlock(int fd, int err)
{
	if (fd >= 0)
		close(fd);	/* releases the flock */
	return err;
}

int tbx_police_add(const struct tbx_police_spec *spec)
{
	int fd = police_lock();

	return police_unlock(fd, police_add_locked(spec));
}

int tbx_police_set_profile(const char *name, const struct tbx_profile *p,
			   const char *profile_name)
{
	int fd = police_lock();

	return police_unlock(fd, police_set_profile_locked(name, p, profile_name));
}

int tbx_police_switch(const char *name, bool off)
{
	int fd = police_lock();

	return police_unlock(fd, police_switch_locked(name, off));
}

int tbx_police_switch_uuid(uint64_t uuid, bool off, unsigned int *n)
{
	int fd = police_lock();

	return police_unlock(fd, police_switch_uuid_locked(uuid, off, n));
}

int tbx_police_del(const char *name)
{
	int fd = police_lock();

	return police_unlock(fd, police_del_locked(name));
}
