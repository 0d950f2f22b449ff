// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Helper for scripts/bench/enforce:
 *   police_bench prog REPEAT   ns per packet of bpf/police.bpf.c (tc and
 *                              cgroup_skb) by BPF_PROG_TEST_RUN, on a
 *                              generous profile (every packet passes) and
 *                              on a tight one (every packet but the first
 *                              exceeds), against the meter's tc program
 *   police_bench send SECS ADDR  1000-byte UDP datagrams to ADDR:9 as fast
 *                              as they go for SECS; prints "sent N eperm E"
 * The programs run on their own maps (not pinned): nothing of a running
 * `tbx enforce` is touched.
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
#include "bpf/police.skel.h"
#include "tbx/police.h"

#define FRAME	1014	/* Ethernet + a 1000-byte IPv4 datagram */

static size_t frame(uint8_t *f)
{
	uint8_t *ip = f + 14;

	memset(f, 0, FRAME);
	f[0] = 2, f[6] = 2, f[12] = 0x08;
	ip[0] = 0x45;
	ip[2] = 1000 >> 8, ip[3] = 1000 & 0xff;
	ip[8] = 64;
	ip[9] = 17;
	ip[12] = 198, ip[13] = 18, ip[14] = 0, ip[15] = 1;
	ip[16] = 198, ip[17] = 18, ip[18] = 0, ip[19] = 2;
	return FRAME;
}

/* Slot 0 held to one rate over a 1 s period, state reset. */
static void set_profile(struct police_bpf *p, uint64_t rate)
{
	struct tbx_police_config c = { .active = 1 };
	struct tbx_police_state st = { 0 };
	struct tbx_curve curve = { .period_ns = 1000000000ULL, .n = 1 };
	__u32 zero = 0;

	curve.period_bits = rate;
	curve.seg[0].rate_bps = rate;
	if (bpf_map_update_elem(bpf_map__fd(p->maps.police_curves), &zero, &curve, BPF_ANY) ||
	    bpf_map_update_elem(bpf_map__fd(p->maps.police_state), &zero, &st, BPF_ANY) ||
	    bpf_map_update_elem(bpf_map__fd(p->maps.police_config), &zero, &c, BPF_ANY)) {
		perror("police_bench: maps");
		exit(1);
	}
}

static int prog(int repeat)
{
	struct police_bpf *p = police_bpf__open_and_load();
	struct meter_bpf *meter = meter_bpf__open_and_load();
	uint8_t f[FRAME];
	size_t len = frame(f);
	int tc, cg;

	if (!p || !meter) {
		fprintf(stderr, "police_bench: load: %s\n", strerror(errno));
		return 1;
	}
	tc = bpf_program__fd(p->progs.police_dev);
	cg = bpf_program__fd(p->progs.police_cgroup);
	set_profile(p, TBX_CURVE_RATE_MAX);
	printf("police_tc_pass %.1f\n", bench_run_ns(tc, f, len, repeat));
	set_profile(p, TBX_CURVE_RATE_MAX);
	printf("police_cgroup_pass %.1f\n", bench_run_ns(cg, f, len, repeat));
	set_profile(p, 1000);
	printf("police_tc_exceed %.1f\n", bench_run_ns(tc, f, len, repeat));
	printf("meter_tc %.1f\n", bench_run_ns(bpf_program__fd(meter->progs.meter_ingress), f, len, repeat));
	police_bpf__destroy(p);
	meter_bpf__destroy(meter);
	return 0;
}

static int sendloop(int secs, const char *addr)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(9) };
	static char payload[972];
	unsigned long long sent = 0, eperm = 0;
	struct timespec now, end;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0 || inet_pton(AF_INET, addr, &sa.sin_addr) != 1) {
		fprintf(stderr, "police_bench: send: bad address or socket\n");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += secs;
	do {
		for (int i = 0; i < 64; i++) {
			if (sendto(fd, payload, sizeof(payload), 0, (void *)&sa, sizeof(sa)) > 0)
				sent++;
			else if (errno == EPERM)
				eperm++;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (now.tv_sec < end.tv_sec ||
		 (now.tv_sec == end.tv_sec && now.tv_nsec < end.tv_nsec));
	printf("sent %llu eperm %llu\n", sent, eperm);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "prog"))
		return prog(atoi(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "send"))
		return sendloop(atoi(argv[2]), argv[3]);
	fprintf(stderr, "usage: police_bench prog REPEAT | send SECS ADDR\n");
	return 1;
}
