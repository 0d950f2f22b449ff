// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * profile_app: an application held to a traffic profile by `tbx enforce`
 * (cgroup): it sends as much as the enforcement lets it, as CBSAT's
 * applications send through their middleware, and a sink for what it
 * sends.
 *
 * profile_app send CGROUP DST PORT BYTES SECONDS
 *   Joins CGROUP, then sends BYTES-byte UDP payloads to DST:PORT for
 *   SECONDS: a refused send (EPERM, "profile exceeded", or while pushed
 *   back) is tried again 100 us later. Prints {"sent", "refused",
 *   "errors"} on stdout.
 * profile_app sink PORT SECONDS
 *   Receives and discards UDP datagrams on PORT (any address) for SECONDS
 *   (so the receiver answers no ICMP); prints {"received", "bytes"}.
 * Exit: 0, or 1 on a usage or socket error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int join(const char *cgroup)
{
	char path[4096], pid[32];
	int fd, n, ok;

	snprintf(path, sizeof(path), "%s/cgroup.procs", cgroup);
	fd = open(path, O_WRONLY);
	if (fd < 0) {
		fprintf(stderr, "profile_app: %s: %s\n", path, strerror(errno));
		return -1;
	}
	n = snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
	ok = write(fd, pid, n) == n;
	if (!ok)
		fprintf(stderr, "profile_app: join %s: %s\n", cgroup, strerror(errno));
	close(fd);
	return ok ? 0 : -1;
}

static int do_send(char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	const struct timespec backoff = { 0, 100000 };
	long bytes = atol(argv[3]);
	double secs = atof(argv[4]), end;
	uint64_t sent = 0, refused = 0, errors = 0;
	char buf[65536];
	int fd;

	if (bytes < 1 || bytes > (long)sizeof(buf) || secs <= 0 ||
	    inet_pton(AF_INET, argv[1], &sa.sin_addr) != 1) {
		fprintf(stderr, "profile_app: bad send arguments\n");
		return 1;
	}
	sa.sin_port = htons(atoi(argv[2]));
	if (join(argv[0]))
		return 1;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("profile_app: socket");
		return 1;
	}
	memset(buf, 'p', bytes);
	for (end = now_s() + secs; now_s() < end;) {
		if (sendto(fd, buf, bytes, 0, (struct sockaddr *)&sa, sizeof(sa)) == bytes) {
			sent++;
			continue;
		}
		if (errno == EPERM)
			refused++;
		else
			errors++;
		nanosleep(&backoff, NULL);
	}
	printf("{\"sent\": %llu, \"refused\": %llu, \"errors\": %llu}\n",
	       (unsigned long long)sent, (unsigned long long)refused,
	       (unsigned long long)errors);
	return 0;
}

static int do_sink(char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(atoi(argv[0])) };
	double end = now_s() + atof(argv[1]);
	uint64_t received = 0, total = 0;
	char buf[65536];
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("profile_app: sink");
		return 1;
	}
	fprintf(stderr, "ready\n");
	while (now_s() < end) {
		struct pollfd p = { fd, POLLIN, 0 };
		ssize_t n;

		if (poll(&p, 1, 100) <= 0)
			continue;
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n >= 0) {
			received++;
			total += n;
		}
	}
	printf("{\"received\": %llu, \"bytes\": %llu}\n", (unsigned long long)received,
	       (unsigned long long)total);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 7 && !strcmp(argv[1], "send"))
		return do_send(argv + 2);
	if (argc == 4 && !strcmp(argv[1], "sink"))
		return do_sink(argv + 2);
	fprintf(stderr, "Usage: profile_app send CGROUP DST PORT BYTES SECONDS\n"
		"       profile_app sink PORT SECONDS\n");
	return 1;
}
