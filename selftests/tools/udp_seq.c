// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * udp_seq: numbered UDP datagrams, sent at a steady pace and received
 * with what a link emulator did to them, so selftests can compare the
 * tbx qdisc with netem on the same statistics.
 *
 * udp_seq send DST_IPV4 PORT COUNT PPS [ect]
 *   COUNT datagrams of 100 bytes, each carrying its number and the
 *   CLOCK_REALTIME time it was sent; "ect" marks them ECT(0).
 * udp_seq recv BIND_IPV4 PORT COUNT GAP_US
 *   Prints "ready" on stderr once bound, receives until COUNT distinct
 *   datagrams came or 2 s pass without one, then prints one JSON object:
 *     received, unique, dups       datagrams, distinct ones, extra copies
 *     lost, loss_runs, burst_mean  missing numbers, runs of them, mean run
 *     lost_after_lost              P(lost | the one before lost)
 *     lost_hash                    FNV-1a of the lost numbers, in order
 *     reordered                    arrived before a lower number did
 *     ce                           arrived marked CE
 *     delay_mean_us, delay_sd_us   one-way delay (same clock both ends;
 *                                  arrivals as the kernel stamped them)
 *     delay_p25_us, delay_p50_us, delay_p75_us   its quartiles
 *     delay_step_us                median |delay - the one before's delay|
 *     delay_lag1                   autocorrelation of successive delays
 *   (the quartiles and the step median hold through a VM's stalls, which
 *   the mean, sd and autocorrelation do not)
 *     batches, batch_mean          runs of arrivals less than GAP_US apart
 *     seconds                      first to last arrival
 * Exit: 0, or 1 on a usage or socket error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PAYLOAD	100

struct msg {
	uint32_t seq;
	uint64_t sent_ns;
} __attribute__((packed));

static uint64_t clock_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static uint64_t now_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

static int usage(void)
{
	fprintf(stderr, "usage: udp_seq send DST PORT COUNT PPS [ect]\n"
			"       udp_seq recv BIND PORT COUNT GAP_US\n");
	return 1;
}

static int addr(const char *ip, const char *port, struct sockaddr_in *a)
{
	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
	a->sin_port = htons(atoi(port));
	return inet_pton(AF_INET, ip, &a->sin_addr) == 1 ? 0 : -1;
}

static int do_send(int argc, char **argv)
{
	struct sockaddr_in dst;
	char buf[PAYLOAD] = {};
	long count, pps;
	uint64_t t0, gap;
	int fd;

	if (argc < 6 || addr(argv[2], argv[3], &dst))
		return usage();
	count = atol(argv[4]);
	pps = atol(argv[5]);
	if (count < 1 || pps < 1)
		return usage();
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		return perror("udp_seq: socket"), 1;
	if (argc > 6 && !strcmp(argv[6], "ect")) {
		int tos = 0x02;	/* ECT(0) */

		setsockopt(fd, IPPROTO_IP, IP_TOS, &tos, sizeof(tos));
	}
	gap = 1000000000ull / pps;
	t0 = now_ns();
	for (long i = 0; i < count; i++) {
		uint64_t due = t0 + i * gap;
		struct timespec ts = { due / 1000000000ull, due % 1000000000ull };
		struct msg m;

		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
		m.seq = i;
		/* The receiver's kernel stamps arrivals in CLOCK_REALTIME. */
		m.sent_ns = clock_ns(CLOCK_REALTIME);
		memcpy(buf, &m, sizeof(m));
		/* A full socket buffer waits; it is not the link's loss. */
		while (sendto(fd, buf, sizeof(buf), 0, (struct sockaddr *)&dst,
			      sizeof(dst)) < 0) {
			if (errno != ENOBUFS && errno != EAGAIN)
				return perror("udp_seq: send"), 1;
			usleep(100);
		}
	}
	close(fd);
	return 0;
}

struct arrival {
	uint32_t seq;
	uint64_t at, delay;
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The @q quantile of @n values (sorts them). */
static double quantile(double *v, long n, double q)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	return v[(long)(q * (n - 1))];
}

static int do_recv(int argc, char **argv)
{
	struct sockaddr_in me;
	long count, gap_us;
	struct arrival *arr;
	uint8_t *seen;
	long n = 0, unique = 0, dups = 0, ce = 0;
	int fd, one = 1, rcvbuf = 8 << 20;

	if (argc < 6 || addr(argv[2], argv[3], &me))
		return usage();
	count = atol(argv[4]);
	gap_us = atol(argv[5]);
	if (count < 1)
		return usage();
	arr = calloc(count * 3 + 16, sizeof(*arr));
	seen = calloc(count, 1);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (!arr || !seen || fd < 0)
		return perror("udp_seq: recv"), 1;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
	setsockopt(fd, IPPROTO_IP, IP_RECVTOS, &one, sizeof(one));
	/* Arrival times from the kernel, not from when this process ran:
	 * a busy VM delays the process by far more than the link's jitter.
	 */
	setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&me, sizeof(me)))
		return perror("udp_seq: bind"), 1;
	fprintf(stderr, "ready\n");
	fflush(stderr);

	while (unique < count && n < count * 3) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		char buf[2048], ctl[CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(struct timespec)) + 64];
		uint64_t at = 0;
		struct iovec iov = { buf, sizeof(buf) };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
				     .msg_control = ctl, .msg_controllen = sizeof(ctl) };
		struct cmsghdr *c;
		struct msg m;
		ssize_t len;

		/* The end: 2 s without a datagram (the first may be slow). */
		if (poll(&p, 1, n ? 2000 : 60000) <= 0)
			break;
		len = recvmsg(fd, &mh, 0);
		if (len < (ssize_t)sizeof(m))
			continue;
		memcpy(&m, buf, sizeof(m));
		if (m.seq >= count)
			continue;
		for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
			if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TOS &&
			    (*(uint8_t *)CMSG_DATA(c) & 3) == 3)
				ce++;
			if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
				struct timespec ts;

				memcpy(&ts, CMSG_DATA(c), sizeof(ts));
				at = (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
			}
		}
		arr[n].seq = m.seq;
		arr[n].at = at ? at : clock_ns(CLOCK_REALTIME);
		arr[n].delay = arr[n].at - m.sent_ns;
		n++;
		if (seen[m.seq]++)
			dups++;
		else
			unique++;
	}

	/* Losses: runs of missing numbers, and what follows a loss. */
	long lost = 0, runs = 0, after_lost = 0, lost_after = 0;
	uint32_t hash = 2166136261u;

	for (long i = 0; i < count; i++) {
		if (seen[i])
			continue;
		lost++;
		hash = (hash ^ (uint32_t)i) * 16777619u;
		if (i == 0 || seen[i - 1])
			runs++;
	}
	for (long i = 1; i < count; i++) {
		if (!seen[i - 1]) {
			after_lost++;
			lost_after += !seen[i];
		}
	}
	/* Reordered: arrived while a lower number was still to come. */
	long reordered = 0;
	uint32_t low = UINT32_MAX;

	for (long i = n - 1; i >= 0; i--) {
		if (arr[i].seq > low)
			reordered++;
		if (arr[i].seq < low)
			low = arr[i].seq;
	}
	/* Delays in number order (first copy), their lag-1 correlation. */
	double *d = calloc(count, sizeof(double)), sum = 0, sq = 0, co = 0, mean, var;
	long nd = 0;

	memset(seen, 0, count);
	for (long i = 0; i < n; i++)
		if (!seen[arr[i].seq]++)
			d[arr[i].seq] = arr[i].delay / 1e3;
	for (long i = 0; i < count; i++)
		if (seen[i]) {
			sum += d[i];
			sq += d[i] * d[i];
			nd++;
		}
	mean = nd ? sum / nd : 0;
	var = nd ? sq / nd - mean * mean : 0;
	long pairs = 0;

	for (long i = 1; i < count; i++)
		if (seen[i] && seen[i - 1]) {
			co += (d[i] - mean) * (d[i - 1] - mean);
			pairs++;
		}
	/* Quartiles of the delays, and the median step between neighbours. */
	double *sorted = calloc(count + 1, sizeof(double)), p25, p50, p75, step;
	long ns = 0, nsteps = 0;

	for (long i = 0; i < count; i++)
		if (seen[i])
			sorted[ns++] = d[i];
	p25 = quantile(sorted, ns, 0.25);
	p50 = quantile(sorted, ns, 0.5);
	p75 = quantile(sorted, ns, 0.75);
	for (long i = 1; i < count; i++)
		if (seen[i] && seen[i - 1])
			sorted[nsteps++] = fabs(d[i] - d[i - 1]);
	step = quantile(sorted, nsteps, 0.5);
	free(sorted);
	/* Batches: arrivals closer than GAP_US belong together. */
	long batches = n ? 1 : 0;

	for (long i = 1; i < n; i++)
		if (arr[i].at - arr[i - 1].at > (uint64_t)gap_us * 1000)
			batches++;
	printf("{\"received\":%ld,\"unique\":%ld,\"dups\":%ld,\"lost\":%ld,"
	       "\"loss_runs\":%ld,\"burst_mean\":%.4f,\"lost_after_lost\":%.5f,"
	       "\"lost_hash\":%u,\"reordered\":%ld,\"ce\":%ld,"
	       "\"delay_mean_us\":%.1f,\"delay_sd_us\":%.1f,\"delay_p25_us\":%.1f,"
	       "\"delay_p50_us\":%.1f,\"delay_p75_us\":%.1f,\"delay_step_us\":%.1f,"
	       "\"delay_lag1\":%.4f,"
	       "\"batches\":%ld,\"batch_mean\":%.3f,\"seconds\":%.3f}\n",
	       n, unique, dups, lost, runs, runs ? (double)lost / runs : 0,
	       after_lost ? (double)lost_after / after_lost : 0, hash, reordered, ce,
	       mean, sqrt(var > 0 ? var : 0), p25, p50, p75, step,
	       pairs && var > 0 ? co / pairs / var : 0, batches,
	       batches ? (double)n / batches : 0,
	       n > 1 ? (arr[n - 1].at - arr[0].at) / 1e9 : 0);
	free(d);
	free(arr);
	free(seen);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "send"))
		return do_send(argc, argv);
	if (!strcmp(argv[1], "recv"))
		return do_recv(argc, argv);
	return usage();
}
