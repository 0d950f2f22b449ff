// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Helpers for scripts/bench/tap:
 *   tap_bench prog REPEAT       ns per packet of the tap (tc, XDP) and of
 *                               the meter (tc), by BPF_PROG_TEST_RUN
 *   tap_bench flood SECS ADDR   UDP datagrams to ADDR:9 for SECS; prints
 *                               how many were sent
 *   tap_bench pcap FILE N       writes N Ethernet frames (many tuples, all
 *                               classes, 100k packets per second of time)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bench_prog.h"
#include "bpf/meter.skel.h"
#include "bpf/tap.skel.h"

static size_t frame(uint8_t *f, uint32_t i)
{
	static const uint8_t protos[] = { 6, 6, 17, 1, 1, 17, 6, 47 };
	uint8_t proto = protos[i % 8], *ip = f + 14, *l4 = ip + 20;
	uint32_t src = htonl(0xc6120000 | (i * 2654435761u >> 16 & 0xffff));
	uint32_t dst = htonl(0xc6130001);
	uint16_t tot = 20 + 20;

	memset(f, 0, 14 + tot);
	f[0] = 2, f[6] = 2, f[12] = 0x08;
	ip[0] = 0x45;
	ip[2] = 0, ip[3] = tot;
	ip[8] = 64 + i % 3;
	ip[9] = proto;
	memcpy(ip + 12, &src, 4);
	memcpy(ip + 16, &dst, 4);
	l4[0] = 0, l4[1] = i % 64;	/* port or ICMP code: tuples repeat */
	l4[2] = 0, l4[3] = 80;
	if (proto == 1)
		l4[0] = i % 2 ? 8 : 3;
	l4[12] = 0x50;
	l4[13] = i % 4 == 0 ? 0x12 : 0x02;
	return 14 + tot;
}

static int prog(int repeat)
{
	struct tap_bpf *tap = tap_bpf__open();
	struct meter_bpf *meter = meter_bpf__open_and_load();
	uint8_t f[128];
	size_t len = frame(f, 0);

	if (!tap || !meter || tap_bpf__load(tap)) {
		fprintf(stderr, "tap_bench: load: %s\n", strerror(errno));
		return 1;
	}
	/* warm: the first run inserts the tuple, the rest update it */
	bench_run_ns(bpf_program__fd(tap->progs.tap_tc), f, len, 1);
	printf("tap_tc %.1f\n", bench_run_ns(bpf_program__fd(tap->progs.tap_tc), f, len, repeat));
	printf("tap_xdp %.1f\n", bench_run_ns(bpf_program__fd(tap->progs.tap_xdp), f, len, repeat));
	printf("meter_tc %.1f\n",
	       bench_run_ns(bpf_program__fd(meter->progs.meter_ingress), f, len, repeat));
	tap_bpf__destroy(tap);
	meter_bpf__destroy(meter);
	return 0;
}

static int flood(int secs, const char *addr)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(9) };
	char payload[18] = "tbx";
	unsigned long long sent = 0;
	struct timespec now, end;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0 || inet_pton(AF_INET, addr, &sa.sin_addr) != 1) {
		fprintf(stderr, "tap_bench: flood: bad address or socket\n");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += secs;
	do {
		for (int i = 0; i < 256; i++)
			if (sendto(fd, payload, sizeof(payload), 0, (void *)&sa, sizeof(sa)) > 0)
				sent++;
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (now.tv_sec < end.tv_sec ||
		 (now.tv_sec == end.tv_sec && now.tv_nsec < end.tv_nsec));
	printf("%llu\n", sent);
	return 0;
}

static int pcap(const char *path, uint32_t n)
{
	const uint32_t hdr[6] = { 0xa1b2c3d4, 2 | 4 << 16, 0, 0, 65535, 1 };
	FILE *f = fopen(path, "w");
	uint8_t buf[128];

	if (!f || fwrite(hdr, sizeof(hdr), 1, f) != 1) {
		perror(path);
		return 1;
	}
	for (uint32_t i = 0; i < n; i++) {
		uint32_t len = frame(buf, i);
		uint32_t rec[4] = { 1700000000 + i / 100000, i % 100000 * 10, len, len };

		if (fwrite(rec, sizeof(rec), 1, f) != 1 || fwrite(buf, len, 1, f) != 1) {
			perror(path);
			return 1;
		}
	}
	return fclose(f) ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "prog"))
		return prog(atoi(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "flood"))
		return flood(atoi(argv[2]), argv[3]);
	if (argc == 4 && !strcmp(argv[1], "pcap"))
		return pcap(argv[2], strtoul(argv[3], NULL, 10));
	fprintf(stderr, "usage: tap_bench prog REPEAT | flood SECS ADDR | pcap FILE N\n");
	return 1;
}
