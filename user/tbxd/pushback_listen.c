// SPDX-License-Identifier: GPL-2.0-or-later
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "log.h"
#include "latency_json.h"
#include "loop.h"
#include "police.h"
#include "pushback.h"		/* user/lib's: the messages */
#include "pushback_listen.h"
#include "tbxd.h"

#define APPLY_KEPT	1024

struct tbxd_pushback {
	struct tbxd *d;
	int fd;
	uint8_t key[256];
	struct tbx_pushback_key k;
	struct tbx_pushback_peers peers;
	/* What came and what became of it. */
	uint64_t received, applied, malformed, unauthenticated, replayed, unknown;
	/* The last APPLY_KEPT messages applied: the kernel's arrival stamp to
	 * the senders switched.
	 */
	uint64_t apply_ns[APPLY_KEPT];
	unsigned int n_apply;
};

/* "IFNAME" or "any": the interface whose group membership we take. */
static int join(int fd, const char *dev, const char *group)
{
	struct ip_mreqn mr = { .imr_ifindex = 0 };

	if (strcmp(dev, "any")) {
		mr.imr_ifindex = if_nametoindex(dev);
		if (!mr.imr_ifindex)
			return tbx_err(ENODEV, "push-back: no device \"%s\" in tbxd's namespace", dev);
	}
	if (inet_pton(AF_INET, group, &mr.imr_multiaddr) != 1)
		return tbx_err(EINVAL, "push-back: group \"%s\" is not an IPv4 address", group);
	if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr)))
		return tbx_err(errno, "push-back: join %s on %s: %s", group, dev, strerror(errno));
	return 0;
}

static void apply(struct tbxd_pushback *pb, const struct tbx_pushback *m)
{
	for (unsigned int i = 0; i < m->n; i++) {
		unsigned int n = 0;

		if (tbx_police_switch_uuid(m->e[i].uuid, m->e[i].stop, &n) && n == 0) {
			tbxd_log("push-back: uuid %llu: %s", (unsigned long long)m->e[i].uuid,
				 tbx_errmsg());
			pb->unknown++;
		} else if (!n) {
			tbxd_log("push-back: uuid %llu names no sender here: ignored",
				 (unsigned long long)m->e[i].uuid);
			pb->unknown++;
		} else {
			tbxd_log("push-back: uuid %llu %s (%u sender%s)%s%s",
				 (unsigned long long)m->e[i].uuid,
				 m->e[i].stop ? "stopped" : "resumed", n, n == 1 ? "" : "s",
				 m->authenticated ? " from " : "", m->authenticated ? m->from : "");
			pb->applied++;
		}
	}
}

static uint64_t realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* The kernel's arrival stamp (SO_TIMESTAMPNS, CLOCK_REALTIME), 0 if none. */
static uint64_t arrival_ns(struct msghdr *mh)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
			struct timespec ts;

			memcpy(&ts, CMSG_DATA(c), sizeof(ts));
			return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
		}
	return 0;
}

static void on_datagram(struct tbxd_loop *loop, int fd, short revents, void *arg)
{
	struct tbxd_pushback *pb = arg;
	uint8_t buf[TBX_PUSHBACK_MAX + 1];
	char control[CMSG_SPACE(sizeof(struct timespec))];
	struct sockaddr_in from;
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr mh = { .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov,
			     .msg_iovlen = 1, .msg_control = control,
			     .msg_controllen = sizeof(control) };
	struct tbx_pushback m;
	char addr[INET_ADDRSTRLEN] = "?";
	uint64_t arrived, applied_before;
	ssize_t n;
	int err;

	n = recvmsg(fd, &mh, MSG_DONTWAIT | MSG_TRUNC);
	if (n < 0)
		return;
	arrived = arrival_ns(&mh);
	pb->received++;
	inet_ntop(AF_INET, &from.sin_addr, addr, sizeof(addr));
	err = tbx_pushback_parse(buf, (size_t)n > sizeof(buf) ? sizeof(buf) : (size_t)n,
				 &pb->k, &m);
	if (err) {
		if (err == -EPERM)	/* a bad mac, or no trailer where a key is set */
			pb->unauthenticated++;
		else
			pb->malformed++;
		tbxd_log("%s (from %s): ignored", tbx_errmsg(), addr);
		return;
	}
	if (m.authenticated && !tbx_pushback_fresh(&pb->peers, &m)) {
		pb->replayed++;
		tbxd_log("%s (from %s): ignored", tbx_errmsg(), addr);
		return;
	}
	applied_before = pb->applied;
	apply(pb, &m);
	if (pb->applied > applied_before && arrived) {
		uint64_t now = realtime_ns();

		pb->apply_ns[pb->n_apply++ % APPLY_KEPT] = now > arrived ? now - arrived : 0;
	}
}

int tbxd_pushback_start(struct tbxd *d, struct tbxd_pushback **out)
{
	const struct tbxd_config *cfg = d->cfg;
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(TBX_PUSHBACK_PORT) };
	struct tbxd_pushback *pb;
	int one = 1, err;

	*out = NULL;
	if (!cfg->pushback)
		return 0;
	pb = calloc(1, sizeof(*pb));
	if (!pb)
		return tbx_err(ENOMEM, "out of memory");
	pb->d = d;
	if (cfg->pushback_key) {
		err = tbx_pushback_key_load(cfg->pushback_key, pb->key, sizeof(pb->key), &pb->k.len);
		if (err) {
			free(pb);
			return err;
		}
		pb->k.key = pb->key;
	}
	pb->fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (pb->fd < 0) {
		err = tbx_err(errno, "push-back: socket: %s", strerror(errno));
		free(pb);
		return err;
	}
	/* CBSAT's nodes share the port on one host. */
	setsockopt(pb->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(pb->fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one));
	inet_pton(AF_INET, TBX_PUSHBACK_GROUP, &sa.sin_addr);
	if (bind(pb->fd, (struct sockaddr *)&sa, sizeof(sa))) {
		err = tbx_err(errno, "push-back: bind %s:%d: %s", TBX_PUSHBACK_GROUP,
			      TBX_PUSHBACK_PORT, strerror(errno));
		goto fail;
	}
	err = join(pb->fd, cfg->pushback, TBX_PUSHBACK_GROUP);
	if (err)
		goto fail;
	err = tbxd_loop_add_fd(d->loop, pb->fd, POLLIN, on_datagram, pb);
	if (err)
		goto fail;
	tbxd_log("push-back: listening on %s:%d (%s), %s", TBX_PUSHBACK_GROUP,
		 TBX_PUSHBACK_PORT, cfg->pushback,
		 pb->k.len ? "authenticated messages only" :
		 "CBSAT's plain messages, unauthenticated (--pushback-key to require a key)");
	*out = pb;
	return 0;
fail:
	close(pb->fd);
	free(pb);
	return err;
}

void tbxd_pushback_stop(struct tbxd_pushback *pb)
{
	if (!pb)
		return;
	tbxd_loop_del_fd(pb->d->loop, pb->fd);
	close(pb->fd);
	free(pb);
}

json_t *tbxd_pushback_health(struct tbxd *d)
{
	struct tbxd_pushback *pb = d->pushback;

	if (!pb)
		return json_null();
	return json_pack("{s:s, s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:o}",
			 "dev", d->cfg->pushback, "authenticated", pb->k.len > 0,
			 "received", (json_int_t)pb->received, "applied", (json_int_t)pb->applied,
			 "malformed", (json_int_t)pb->malformed,
			 "unauthenticated", (json_int_t)pb->unauthenticated,
			 "replayed", (json_int_t)pb->replayed, "unknown_uuid", (json_int_t)pb->unknown,
			 "apply_latency", tbxd_latency_json(pb->apply_ns,
				pb->n_apply < APPLY_KEPT ? pb->n_apply : APPLY_KEPT));
}
