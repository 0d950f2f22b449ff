// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * profile_app: an application held to a traffic profile by `tbx enforce`
 * (cgroup), and a sink for what it sends.
 *
 * profile_app send CGROUP DST PORT BYTES SECONDS [PROFILE [CATCH_UP]]
 *   Joins CGROUP, then sends BYTES-byte UDP payloads to DST:PORT for
 *   SECONDS. Without PROFILE it sends as much as the enforcement lets it:
 *   a refused send (EPERM: over the profile, or pushed back) is tried again
 *   100 us later. With PROFILE it meters itself to that profile's curve
 *   first, as CBSAT's applications do (the enforcement then holds it to a
 *   ceiling, its max profile): a datagram leaves once the curve, from the
 *   profile's phase 0 (tbx_profile_phase0_mono), has room for it. An
 *   application that fell behind (descheduled) catches up by at most
 *   CATCH_UP datagrams (default 2), as a real one would rather than burst,
 *   so what it sends tracks the curve on a loaded machine without ever
 *   running ahead of it; a refused send is lost, not owed.
 *   Prints {"sent", "refused", "errors", "curve_bits", "sent_bits"}.
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

#include "err.h"
#include "profile.h"
#include "tbx/profile_curve.h"

#define NSEC	1000000000ULL

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC + ts.tv_nsec;
}

static void sleep_until(uint64_t t)
{
	struct timespec ts = { t / NSEC, t % NSEC };

	clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
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

/* The curve's bits from phase 0 (@ph0) until @t, over as many periods. */
static uint64_t curve_until(const struct tbx_curve *c, uint64_t ph0, uint64_t t)
{
	return t > ph0 ? tbx_curve_bits_over(c, 0, t - ph0) : 0;
}

static int do_send(char **argv, const char *profile, uint64_t catch_up)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	const struct timespec backoff = { 0, 100000 };
	long bytes = atol(argv[3]);
	double secs = atof(argv[4]);
	uint64_t sent = 0, refused = 0, errors = 0, end, ph0 = 0, owed_from = 0;
	uint64_t dgram_bits = (uint64_t)(bytes + 28) * 8;	/* IPv4 and UDP headers on */
	struct tbx_curve curve;
	struct tbx_profile p;
	char buf[65536];
	int fd;

	if (bytes < 1 || bytes > (long)sizeof(buf) || secs <= 0 ||
	    inet_pton(AF_INET, argv[1], &sa.sin_addr) != 1) {
		fprintf(stderr, "profile_app: bad send arguments\n");
		return 1;
	}
	if (profile) {
		if (tbx_profile_load(profile, &p) || tbx_profile_curve(&p, profile, &curve)) {
			fprintf(stderr, "profile_app: %s\n", tbx_errmsg());
			return 1;
		}
		ph0 = tbx_profile_phase0_mono(&p);
		tbx_profile_free(&p);
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
	end = now_ns() + (uint64_t)(secs * NSEC);
	if (profile)
		owed_from = curve_until(&curve, ph0, now_ns());
	for (uint64_t now = now_ns(); now < end; now = now_ns()) {
		if (profile) {
			uint64_t allowed = curve_until(&curve, ph0, now) - owed_from;
			uint64_t done = sent * dgram_bits;

			if (allowed > done + catch_up * dgram_bits)	/* forgive the rest */
				owed_from += allowed - done - catch_up * dgram_bits;
			if (allowed < done + dgram_bits) {
				uint64_t d = tbx_curve_delay(&curve, done + dgram_bits - allowed,
							     tbx_curve_phase(&curve, now, ph0));

				if (d == TBX_CURVE_NEVER)
					break;
				sleep_until(now + d < end ? now + d : end);
				continue;
			}
		}
		if (sendto(fd, buf, bytes, 0, (struct sockaddr *)&sa, sizeof(sa)) == bytes) {
			sent++;
			continue;
		}
		if (errno == EPERM)
			refused++;
		else
			errors++;
		/* A refused send is lost, as CBSAT's "profile exceeded" is: what
		 * the curve allowed until now is not owed any more (an
		 * application pushed back does not burst when let go).
		 */
		if (profile) {
			uint64_t allowed = curve_until(&curve, ph0, now) - owed_from;

			if (allowed > sent * dgram_bits)
				owed_from += allowed - sent * dgram_bits;
		}
		nanosleep(&backoff, NULL);
	}
	printf("{\"sent\": %llu, \"refused\": %llu, \"errors\": %llu, \"sent_bits\": %llu",
	       (unsigned long long)sent, (unsigned long long)refused,
	       (unsigned long long)errors, (unsigned long long)(sent * dgram_bits));
	if (profile)
		printf(", \"curve_bits\": %llu", (unsigned long long)(curve_until(&curve, ph0, end) -
			curve_until(&curve, ph0, end - (uint64_t)(secs * NSEC))));
	printf("}\n");
	return 0;
}

static int do_sink(char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(atoi(argv[0])) };
	uint64_t end = now_ns() + (uint64_t)(atof(argv[1]) * NSEC);
	uint64_t received = 0, total = 0;
	char buf[65536];
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("profile_app: sink");
		return 1;
	}
	fprintf(stderr, "ready\n");
	while (now_ns() < end) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		ssize_t n;

		if (poll(&pfd, 1, 100) <= 0)
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
	if (argc >= 7 && argc <= 9 && !strcmp(argv[1], "send"))
		return do_send(argv + 2, argc >= 8 ? argv[7] : NULL,
			       argc == 9 ? strtoull(argv[8], NULL, 10) : 2);
	if (argc == 4 && !strcmp(argv[1], "sink"))
		return do_sink(argv + 2);
	fprintf(stderr, "Usage: profile_app send CGROUP DST PORT BYTES SECONDS [PROFILE [CATCH_UP]]\n"
		"       profile_app sink PORT SECONDS\n");
	return 1;
}
