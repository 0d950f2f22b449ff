// SPDX-License-Identifier: GPL-2.0-or-later
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpf/detect.skel.h"
#include "bpffs.h"
#include "clsact.h"
#include "detect.h"
#include "err.h"
#include "profile.h"

#define TOOL	"detect"

struct tbx_detect {
	struct detect_bpf *skel;
	struct ring_buffer *rb;
	tbx_detect_event_fn fn;
	void *fn_arg;
	int ifindex;
	bool attached;
	char dir[PATH_MAX];
	struct tbx_detect_config cfg;
	struct tbx_curve curve;
};

static int check_name(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	if (!n || n > 31 || name[0] == '.' ||
	    strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		   "0123456789_.-") != n)
		return tbx_err(EINVAL, TOOL ": name \"%s\" is not 1-31 of A-Z a-z 0-9 _ . - "
			       "(not starting with a dot)", name ? name : "");
	return 0;
}

static int check_spec(const struct tbx_detect_spec *s)
{
	if (check_name(s->name))
		return -EINVAL;
	if (!s->capacity_bits)
		return tbx_err(EINVAL, TOOL ": capacity must be at least 1 bit");
	if (s->capacity_bits > TBX_CURVE_BITS_MAX)
		return tbx_err(ERANGE, TOOL ": capacity %llu bits is above %llu",
			       (unsigned long long)s->capacity_bits,
			       (unsigned long long)TBX_CURVE_BITS_MAX);
	/* The program crosses them strictly: a buffer is never above its
	 * capacity nor below empty, so 1 and 0 would never be crossed.
	 */
	if (!(s->high > 0 && s->high < 1))
		return tbx_err(EINVAL, TOOL ": high watermark %g is not in (0, 1)", s->high);
	if (!(s->low > 0 && s->low < s->high))
		return tbx_err(EINVAL, TOOL ": low watermark %g is not in (0, high %g)",
			       s->low, s->high);
	return 0;
}

/* --- pins ------------------------------------------------------------------ */

static struct bpf_map *const *maps_of(struct detect_bpf *skel, const char *const **names,
				      unsigned int *n)
{
	static const char *const pins[] = { "config", "curve", "state", "addrs", "senders",
					    "series" };
	static struct bpf_map *m[6];

	m[0] = skel->maps.detect_config;
	m[1] = skel->maps.detect_curve;
	m[2] = skel->maps.detect_state;
	m[3] = skel->maps.detect_addrs;
	m[4] = skel->maps.detect_senders;
	m[5] = skel->maps.detect_series;
	*names = pins;
	*n = 6;
	return m;
}

static void unpin(struct tbx_detect *d)
{
	const char *const *names;
	char path[PATH_MAX + 16];
	unsigned int n;

	maps_of(d->skel, &names, &n);
	for (unsigned int i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", d->dir, names[i]);
		unlink(path);
	}
	rmdir(d->dir);
}

static int pin(struct tbx_detect *d, const char *name)
{
	char root[PATH_MAX], path[PATH_MAX + 16];
	const char *const *names;
	struct bpf_map *const *m;
	unsigned int n;
	int err;

	if (tbx_bpffs_tool_dir(TOOL, root, sizeof(root)) ||
	    (size_t)snprintf(d->dir, sizeof(d->dir), "%s/%s", root, name) >= sizeof(d->dir))
		return tbx_err(ENAMETOOLONG, TOOL ": the pin directory's name is too long");
	if (!access(d->dir, F_OK))
		return tbx_err(EEXIST, TOOL ": %s exists: another tbxd's detector \"%s\", or one "
			       "left by a tbxd that was killed (remove the directory)", d->dir, name);
	if (tbx_bpffs_make_dir(TOOL, d->dir))
		return -EIO;
	m = maps_of(d->skel, &names, &n);
	for (unsigned int i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", d->dir, names[i]);
		err = bpf_map__pin(m[i], path);
		if (err) {
			tbx_err(err, TOOL ": pin %s: %s", path, strerror(-err));
			unpin(d);
			return err;
		}
	}
	return 0;
}

/* --- tc ingress ------------------------------------------------------------ */

static struct tbx_tc_filter tc_filter(const struct tbx_detect *d)
{
	return (struct tbx_tc_filter){ d->ifindex, BPF_TC_INGRESS, TBX_DETECT_TC_HANDLE,
				       TBX_DETECT_TC_PRIO };
}

static int tc_attach(struct tbx_detect *d, const char *dev)
{
	struct tbx_tc_filter f = tc_filter(d);
	char taken[IF_NAMESIZE + 40];

	snprintf(taken, sizeof(taken), "%s's ingress already has a detector", dev);
	return tbx_tc_filter_attach(TOOL, dev, &f,
				    bpf_program__fd(d->skel->progs.detect_ingress), taken);
}

/* --- open, close ----------------------------------------------------------- */

static int on_event(void *ctx, void *data, size_t len)
{
	struct tbx_detect *d = ctx;

	if (len >= sizeof(struct tbx_detect_event) && d->fn)
		d->fn(data, d->fn_arg);
	return 0;
}

static int configure(struct tbx_detect *d, const struct tbx_detect_spec *spec)
{
	__u32 zero = 0;

	if (tbx_profile_curve(spec->profile, spec->profile_name, &d->curve))
		return -EINVAL;
	d->cfg.port = spec->port;
	d->cfg.capacity_bits = spec->capacity_bits;
	d->cfg.high_bits = (uint64_t)(spec->high * (double)spec->capacity_bits);
	d->cfg.low_bits = (uint64_t)(spec->low * (double)spec->capacity_bits);
	d->cfg.start_ns = tbx_profile_phase0_mono(spec->profile);
	d->cfg.active = 1;
	if (bpf_map_update_elem(bpf_map__fd(d->skel->maps.detect_curve), &zero, &d->curve, BPF_ANY) ||
	    bpf_map_update_elem(bpf_map__fd(d->skel->maps.detect_config), &zero, &d->cfg, BPF_ANY))
		return tbx_err(errno, TOOL ": write the configuration: %s", strerror(errno));
	return 0;
}

int tbx_detect_open(const struct tbx_detect_spec *spec, struct tbx_detect **out)
{
	struct tbx_detect *d;
	int err;

	if (check_spec(spec))
		return -EINVAL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return tbx_err(ENOMEM, "out of memory");
	d->ifindex = spec->dev ? if_nametoindex(spec->dev) : 0;
	if (!d->ifindex) {
		free(d);
		return tbx_err(ENODEV, TOOL ": no device \"%s\"", spec->dev ? spec->dev : "");
	}
	d->skel = detect_bpf__open_and_load();
	if (!d->skel) {
		err = tbx_err(errno, TOOL ": load bpf/detect.bpf.o: %s", strerror(errno));
		free(d);
		return err;
	}
	err = configure(d, spec);
	if (!err) {
		d->rb = ring_buffer__new(bpf_map__fd(d->skel->maps.detect_events), on_event, d, NULL);
		if (!d->rb)
			err = tbx_err(errno, TOOL ": ring buffer: %s", strerror(errno));
	}
	if (!err)
		err = pin(d, spec->name);
	if (!err) {
		err = tc_attach(d, spec->dev);
		if (err)
			unpin(d);
	}
	if (err) {
		ring_buffer__free(d->rb);
		detect_bpf__destroy(d->skel);
		free(d);
		return err;
	}
	d->attached = true;
	*out = d;
	return 0;
}

void tbx_detect_close(struct tbx_detect *d)
{
	if (!d)
		return;
	if (d->attached) {
		struct tbx_tc_filter f = tc_filter(d);

		tbx_tc_filter_detach(TOOL, &f, 0);
	}
	unpin(d);
	ring_buffer__free(d->rb);
	detect_bpf__destroy(d->skel);
	free(d);
}

/* --- senders and readings -------------------------------------------------- */

int tbx_detect_set_sender(struct tbx_detect *d, uint32_t slot, const struct tbx_detect_addr *a)
{
	if (!slot || slot >= TBX_DETECT_SENDERS_MAX)
		return tbx_err(ERANGE, TOOL ": sender slot %u is not in 1..%d", slot,
			       TBX_DETECT_SENDERS_MAX - 1);
	if (bpf_map_update_elem(bpf_map__fd(d->skel->maps.detect_addrs), a, &slot, BPF_NOEXIST))
		return tbx_err(errno, TOOL ": sender address: %s",
			       errno == EEXIST ? "named twice" : strerror(errno));
	return 0;
}

int tbx_detect_read_state(struct tbx_detect *d, struct tbx_detect_state *st)
{
	__u32 zero = 0;

	if (bpf_map_lookup_elem_flags(bpf_map__fd(d->skel->maps.detect_state), &zero, st, BPF_F_LOCK))
		return tbx_err(errno, TOOL ": read the buffer: %s", strerror(errno));
	return 0;
}

int tbx_detect_read_sender(struct tbx_detect *d, uint32_t slot, struct tbx_detect_sender *s)
{
	if (bpf_map_lookup_elem(bpf_map__fd(d->skel->maps.detect_senders), &slot, s))
		return tbx_err(errno, TOOL ": read sender %u: %s", slot, strerror(errno));
	return 0;
}

int tbx_detect_read_interval(struct tbx_detect *d, uint64_t epoch, struct tbx_detect_interval *iv)
{
	__u32 k = epoch % TBX_DETECT_SERIES;

	if (bpf_map_lookup_elem(bpf_map__fd(d->skel->maps.detect_series), &k, iv))
		return tbx_err(errno, TOOL ": read the series: %s", strerror(errno));
	return iv->epoch == epoch ? 0 : -ENOENT;
}

int tbx_detect_events_fd(struct tbx_detect *d)
{
	return ring_buffer__epoll_fd(d->rb);
}

int tbx_detect_events_consume(struct tbx_detect *d, tbx_detect_event_fn fn, void *arg)
{
	int n;

	d->fn = fn;
	d->fn_arg = arg;
	n = ring_buffer__consume(d->rb);
	d->fn = NULL;
	return n < 0 ? n : 0;
}

const struct tbx_detect_config *tbx_detect_config_of(const struct tbx_detect *d)
{
	return &d->cfg;
}

const struct tbx_curve *tbx_detect_curve_of(const struct tbx_detect *d)
{
	return &d->curve;
}

void tbx_detect_drain_to(const struct tbx_detect *d, struct tbx_detect_state *st, uint64_t now)
{
	uint64_t drained;

	if (!st->last_ns || now <= st->last_ns)
		return;
	drained = tbx_curve_bits_over(&d->curve, tbx_curve_phase(&d->curve, st->last_ns,
								   d->cfg.start_ns),
				      now - st->last_ns);
	st->occupancy_bits = st->occupancy_bits > drained ? st->occupancy_bits - drained : 0;
	st->need_bits = st->need_bits > drained ? st->need_bits - drained : 0;
	st->last_ns = now;
}

uint64_t tbx_detect_bits_between(const struct tbx_detect_sender *s, uint64_t from, uint64_t to)
{
	uint64_t sum = 0;

	for (unsigned int i = 0; i < TBX_DETECT_BUCKETS; i++)
		if (s->epoch[i] >= from && s->epoch[i] <= to && s->epoch[i])
			sum += s->bits[i];
	return sum;
}

int tbx_detect_addr_parse(const char *s, struct tbx_detect_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (s && inet_pton(AF_INET, s, a->addr) == 1) {
		a->family = AF_INET;
		return 0;
	}
	if (s && inet_pton(AF_INET6, s, a->addr) == 1) {
		a->family = AF_INET6;
		return 0;
	}
	return tbx_err(EINVAL, TOOL ": \"%s\" is not an IPv4 or IPv6 address", s ? s : "");
}
