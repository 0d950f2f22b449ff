// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * udp_hold: sends UDP datagrams and reports what the sending socket is
 * still charged for, so selftests can see whether a qdisc that holds the
 * packets keeps them charged to their socket (it must not: see
 * Documentation/link.md, "What the link holds").
 *
 * Usage: udp_hold DST_IPV4 PORT COUNT SIZE [TXTIME_OFFSET_NS]
 *   Sends COUNT datagrams of SIZE bytes from a fresh socket, each with
 *   SO_TXTIME (CLOCK_MONOTONIC, now + TXTIME_OFFSET_NS) when an offset
 *   is given, then prints {"sent":N,"outq":BYTES} where BYTES is the
 *   socket's send-queue charge (SIOCOUTQ: sk_wmem_alloc for UDP) right
 *   after the last send, and exits, closing the socket.
 * Exit: 0 on success, 1 on a usage or socket error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/net_tstamp.h>
#include <linux/sockios.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef SO_TXTIME
#define SO_TXTIME 61
#define SCM_TXTIME SO_TXTIME
#endif

static int usage(void)
{
	fprintf(stderr, "usage: udp_hold DST_IPV4 PORT COUNT SIZE [TXTIME_OFFSET_NS]\n");
	return 1;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* One datagram; with @txtime != 0 it carries SCM_TXTIME. */
static int send_one(int fd, const struct sockaddr_in *dst, const char *buf,
		    size_t len, uint64_t txtime)
{
	char ctl[CMSG_SPACE(sizeof(uint64_t))] = {};
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr m = {
		.msg_name = (void *)dst, .msg_namelen = sizeof(*dst),
		.msg_iov = &iov, .msg_iovlen = 1,
	};

	if (txtime) {
		struct cmsghdr *c;

		m.msg_control = ctl;
		m.msg_controllen = sizeof(ctl);
		c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_TXTIME;
		c->cmsg_len = CMSG_LEN(sizeof(uint64_t));
		memcpy(CMSG_DATA(c), &txtime, sizeof(txtime));
	}
	return sendmsg(fd, &m, 0) == (ssize_t)len ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct sockaddr_in dst = { .sin_family = AF_INET };
	long count, size, offset = 0;
	int fd, outq = -1, sent = 0;
	char *buf, *end;

	if (argc != 5 && argc != 6)
		return usage();
	if (inet_pton(AF_INET, argv[1], &dst.sin_addr) != 1)
		return usage();
	dst.sin_port = htons(strtol(argv[2], NULL, 10));
	count = strtol(argv[3], &end, 10);
	if (*end || count < 1)
		return usage();
	size = strtol(argv[4], &end, 10);
	if (*end || size < 1 || size > 65000)
		return usage();
	if (argc == 6) {
		offset = strtol(argv[5], &end, 10);
		if (*end || offset < 1)
			return usage();
	}

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	buf = calloc(1, size);
	if (fd < 0 || !buf) {
		perror("udp_hold: socket");
		return 1;
	}
	if (offset) {
		struct sock_txtime st = { .clockid = CLOCK_MONOTONIC };

		if (setsockopt(fd, SOL_SOCKET, SO_TXTIME, &st, sizeof(st))) {
			perror("udp_hold: SO_TXTIME");
			return 1;
		}
	}
	for (; sent < count; sent++) {
		if (send_one(fd, &dst, buf, size, offset ? mono_ns() + offset : 0)) {
			fprintf(stderr, "udp_hold: send %d: %s\n", sent, strerror(errno));
			return 1;
		}
	}
	if (ioctl(fd, SIOCOUTQ, &outq)) {
		perror("udp_hold: SIOCOUTQ");
		return 1;
	}
	printf("{\"sent\":%d,\"outq\":%d}\n", sent, outq);
	close(fd);
	free(buf);
	return 0;
}
