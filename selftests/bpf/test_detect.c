// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The receiver's buffer (bpf/detect.bpf.c) on the host kernel:
 *
 * - BPF_PROG_TEST_RUN: crafted frames through a fresh skeleton per test.
 *   The receiver profile reads nothing (rate 0), so occupancy is exact;
 *   the drain test switches to a known rate and asserts only what a sleep
 *   guarantees (a lower bound on the time that passed), never a speed.
 * - live: tbx_detect_open() on b's end of a veth pair (namespaces a and
 *   b, 198.18.0.0/15); what it drops never reaches b's socket.
 *
 * Pins go under a private TBX_BPFFS_ROOT; namespaces and pins are removed
 * by the teardown and, should that never run, at exit.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/udp.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#include <linux/if_ether.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpf/detect.skel.h"
#include "detect.h"
#include "err.h"
#include "meter.h"		/* TBX_BPFFS_DEFAULT, TBX_BPFFS_ENV */
#include "profile.h"
#include "bpf_test.h"

#define DEV		"veth0"
#define ADDR_A		"198.18.0.1"
#define ADDR_B		"198.18.0.2"
#define UDP_PORT	40002
#define PAYLOAD		972		/* + 28 = a 1000-byte IPv4 datagram */
#define DGRAM_BITS	8000
#define V6_BITS		((40 + 8 + PAYLOAD) * 8)
#define TC_ACT_OK	0
#define TC_ACT_SHOT	2
#define MS		1000000ULL
/* A bound on waiting for what a loaded host does late, never a speed check. */
#define WAIT_MS		120000
#define ARRAY_SIZE(x)	(sizeof(x) / sizeof((x)[0]))

/* The receiver reads nothing: what goes in stays. */
static const char still[] = "# period = 100\n0,0,0\n";
/* 160 kbit/s: a 200 ms sleep drains at least 31999 bits. */
static const char reads[] = "# period = 1\n0,160000,0\n";

static struct {
	struct detect_bpf *skel;
	struct ring_buffer *rb;
	struct tbx_detect_config cfg;
	struct tbx_curve curve;
	struct tbx_detect_event ev[16];
	int nev;
	struct tbx_detect *det;
	char ns[2][32];
	char root[64];		/* TBX_BPFFS_ROOT */
	int ns_fd[2];
	int orig_ns;
} t = { .ns_fd = { -1, -1 }, .orig_ns = -1 };

enum { NS_A, NS_B };

static char verifier_log[1 << 20];

/* Idempotent: test teardowns, the group teardown and atexit() call it;
 * the library makes the pin directory again when it needs it.
 */
static void cleanup(void)
{
	tbx_detect_close(t.det);
	t.det = NULL;
	ring_buffer__free(t.rb);
	t.rb = NULL;
	detect_bpf__destroy(t.skel);
	t.skel = NULL;
	if (t.orig_ns >= 0)
		enter(t.orig_ns);
	netns_del_pair(t.ns, t.ns_fd);
	if (t.root[0])
		rm_tree(t.root);
}

static int group_setup(void **state)
{
	if (geteuid()) {
		fprintf(stderr, "test_detect: needs root (BPF, namespaces)\n");
		return -1;
	}
	atexit(cleanup);
	t.orig_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	snprintf(t.root, sizeof(t.root), "%s/tbxdt-%d", TBX_BPFFS_DEFAULT, getpid());
	setenv(TBX_BPFFS_ENV, t.root, 1);
	return 0;
}

static int group_teardown(void **state)
{
	cleanup();
	return 0;
}

static int on_event(void *ctx, void *data, size_t len)
{
	if (len == sizeof(struct tbx_detect_event) && t.nev < (int)ARRAY_SIZE(t.ev))
		memcpy(&t.ev[t.nev], data, len);
	t.nev++;
	return 0;
}

/* A fresh instance, its maps zero: the verifier's log on refusal. */
static int load(void **state)
{
	static int shown;
	size_t n;

	t.nev = 0;
	t.skel = detect_bpf__open();
	if (!t.skel)
		return -1;
	verifier_log[0] = '\0';
	bpf_program__set_log_buf(t.skel->progs.detect_ingress, verifier_log,
				 sizeof(verifier_log));
	if (detect_bpf__load(t.skel)) {
		/* Once: every test loads, and would print the same. */
		n = shown++ ? 0 : strlen(verifier_log);
		if (n)
			fprintf(stderr, "test_detect: the verifier refused detect_ingress; its "
				"log's tail:\n%s\n", verifier_log + (n > 8000 ? n - 8000 : 0));
		return -1;
	}
	t.rb = ring_buffer__new(bpf_map__fd(t.skel->maps.detect_events), on_event, NULL, NULL);
	return t.rb ? 0 : -1;
}

static int unload(void **state)
{
	cleanup();
	return 0;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);	/* bpf_ktime_get_ns()'s clock */
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void set_curve(const char *text)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	struct tbx_profile p;
	__u32 zero = 0;

	assert_non_null(f);
	assert_int_equal(0, tbx_profile_read(f, "test.csv", &p));
	fclose(f);
	assert_int_equal(0, tbx_profile_curve(&p, "test.csv", &t.curve));
	tbx_profile_free(&p);
	assert_int_equal(0, bpf_map_update_elem(bpf_map__fd(t.skel->maps.detect_curve), &zero,
						&t.curve, BPF_ANY));
}

static void write_config(void)
{
	__u32 zero = 0;

	assert_int_equal(0, bpf_map_update_elem(bpf_map__fd(t.skel->maps.detect_config), &zero,
						&t.cfg, BPF_ANY));
}

/* Capacity and watermarks in bits; the receiver reads at @prof. */
static void configure(__u16 port, __u64 cap, __u64 high, __u64 low, const char *prof)
{
	set_curve(prof);
	t.cfg = (struct tbx_detect_config){ .active = 1, .port = port, .capacity_bits = cap,
					    .high_bits = high, .low_bits = low,
					    .start_ns = now_ns() };
	write_config();
}

static void read_state(struct tbx_detect_state *st)
{
	__u32 zero = 0;

	assert_int_equal(0, bpf_map_lookup_elem_flags(bpf_map__fd(t.skel->maps.detect_state),
						      &zero, st, BPF_F_LOCK));
}

static void read_sender(__u32 slot, struct tbx_detect_sender *s)
{
	assert_int_equal(0, bpf_map_lookup_elem(bpf_map__fd(t.skel->maps.detect_senders),
						&slot, s));
}

static void add_sender(const char *addr, __u32 slot)
{
	struct tbx_detect_addr a;

	assert_int_equal(0, tbx_detect_addr_parse(addr, &a));
	assert_int_equal(0, bpf_map_update_elem(bpf_map__fd(t.skel->maps.detect_addrs), &a,
						&slot, BPF_NOEXIST));
}

/* Ethernet + IPv4 or IPv6 (as @src is) + UDP to @dport + PAYLOAD. */
static size_t frame(uint8_t *f, const char *src, __u16 dport)
{
	struct ethhdr eth = { .h_dest = { 2, 0, 0, 0, 0, 2 }, .h_source = { 2, 0, 0, 0, 0, 1 } };
	struct udphdr udp = { .source = htons(UDP_PORT + 100), .dest = htons(dport),
			      .len = htons(8 + PAYLOAD) };
	size_t l3;

	if (strchr(src, ':')) {
		struct ip6_hdr ip6 = { .ip6_flow = htonl(6U << 28), .ip6_plen = htons(8 + PAYLOAD),
				       .ip6_nxt = IPPROTO_UDP, .ip6_hlim = 64 };

		eth.h_proto = htons(ETH_P_IPV6);
		assert_int_equal(1, inet_pton(AF_INET6, src, &ip6.ip6_src));
		inet_pton(AF_INET6, "fd00::2", &ip6.ip6_dst);
		memcpy(f + ETH_HLEN, &ip6, l3 = sizeof(ip6));
	} else {
		/* The program reads no checksum. */
		struct iphdr ip = { .version = 4, .ihl = 5, .ttl = 64, .protocol = IPPROTO_UDP,
				    .tot_len = htons(20 + 8 + PAYLOAD) };

		eth.h_proto = htons(ETH_P_IP);
		assert_int_equal(1, inet_pton(AF_INET, src, &ip.saddr));
		inet_pton(AF_INET, ADDR_B, &ip.daddr);
		memcpy(f + ETH_HLEN, &ip, l3 = sizeof(ip));
	}
	memcpy(f, &eth, ETH_HLEN);
	memcpy(f + ETH_HLEN + l3, &udp, sizeof(udp));
	memset(f + ETH_HLEN + l3 + sizeof(udp), 0x5a, PAYLOAD);
	return ETH_HLEN + l3 + sizeof(udp) + PAYLOAD;
}

/* The program's verdict on one frame. */
static int run(const uint8_t *f, size_t len)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = f, .data_size_in = len, .repeat = 1);

	if (bpf_prog_test_run_opts(bpf_program__fd(t.skel->progs.detect_ingress), &o))
		fail_msg("test run: %s", strerror(errno));
	return (int)o.retval;
}

static int send_from(const char *src, __u16 dport)
{
	uint8_t f[ETH_HLEN + 40 + 8 + PAYLOAD];

	return run(f, frame(f, src, dport));
}

static void consume(void)
{
	assert_true(ring_buffer__consume(t.rb) >= 0);
}

/* The kernel took the program; its maps are the sizes user space reads. */
static void test_load(void **state)
{
	struct bpf_prog_info info = { 0 };
	struct tbx_detect_state st;
	__u32 len = sizeof(info);

	assert_int_equal(0, bpf_obj_get_info_by_fd(bpf_program__fd(t.skel->progs.detect_ingress),
						    &info, &len));
	assert_int_equal(BPF_PROG_TYPE_SCHED_CLS, info.type);
	print_message("# detect_ingress: %u instructions verified\n", info.verified_insns);
	assert_int_equal(sizeof(struct tbx_detect_state),
			 bpf_map__value_size(t.skel->maps.detect_state));
	assert_int_equal(sizeof(struct tbx_detect_sender),
			 bpf_map__value_size(t.skel->maps.detect_senders));
	assert_int_equal(sizeof(struct tbx_detect_addr),
			 bpf_map__key_size(t.skel->maps.detect_addrs));
	/* Inactive: everything passes, uncounted, though nothing would fit. */
	configure(0, 0, 0, 0, still);
	t.cfg.active = 0;
	write_config();
	assert_int_equal(TC_ACT_OK, send_from(ADDR_A, UDP_PORT));
	read_state(&st);
	assert_int_equal(0, st.last_ns + st.need_bits + st.arrived.packets);
}

/* Three datagrams fit, the rest are dropped; need keeps growing. */
static void test_fill_and_drop(void **state)
{
	static const int want[] = { TC_ACT_OK, TC_ACT_OK, TC_ACT_OK, TC_ACT_SHOT, TC_ACT_SHOT };
	struct tbx_detect_interval iv;
	struct tbx_detect_state st;
	__u64 e0, e1, in = 0, out = 0, peak = 0;

	configure(0, 3 * DGRAM_BITS, 2 * DGRAM_BITS, DGRAM_BITS, still);
	e0 = now_ns() / TBX_DETECT_BUCKET_NS;
	for (unsigned int i = 0; i < ARRAY_SIZE(want); i++)
		assert_int_equal(want[i], send_from(ADDR_A, UDP_PORT));
	e1 = now_ns() / TBX_DETECT_BUCKET_NS;
	read_state(&st);
	assert_int_equal(3 * DGRAM_BITS, st.occupancy_bits);
	assert_int_equal(3 * DGRAM_BITS, st.peak_bits);
	assert_int_equal(3, st.arrived.packets);
	assert_int_equal(3 * DGRAM_BITS, st.arrived.bits);
	assert_int_equal(2, st.dropped.packets);
	assert_int_equal(2 * DGRAM_BITS, st.dropped.bits);
	assert_int_equal(5 * DGRAM_BITS, st.need_bits);
	assert_int_equal(5 * DGRAM_BITS, st.need_peak_bits);
	assert_true(st.last_ns >= e0 * TBX_DETECT_BUCKET_NS);
	/* The series holds the same, in the intervals the datagrams came in. */
	assert_true(e1 - e0 < TBX_DETECT_SERIES);
	for (__u64 e = e0; e <= e1; e++) {
		__u32 k = e % TBX_DETECT_SERIES;

		assert_int_equal(0, bpf_map_lookup_elem(bpf_map__fd(t.skel->maps.detect_series),
							&k, &iv));
		if (iv.epoch != e)
			continue;
		in += iv.arrived_bits, out += iv.dropped_bits;
		peak = iv.peak_bits > peak ? iv.peak_bits : peak;
	}
	assert_int_equal(3 * DGRAM_BITS, in);
	assert_int_equal(2 * DGRAM_BITS, out);
	assert_int_equal(3 * DGRAM_BITS, peak);
}

/* Listed senders in their slots, everyone else in slot 0. */
static void test_senders(void **state)
{
	static const struct { const char *src; __u32 slot; int verdict; } seq[] = {
		{ "198.18.1.1", 1, TC_ACT_OK }, { "198.18.1.1", 1, TC_ACT_OK },
		{ "198.18.1.2", 2, TC_ACT_OK }, { "198.18.1.3", 0, TC_ACT_OK },
		{ "198.18.1.3", 0, TC_ACT_SHOT },
	};
	static const __u64 arrived[3] = { 1, 2, 1 }, dropped[3] = { 1, 0, 0 };
	struct tbx_detect_sender s;
	__u64 e0, e1;

	configure(0, 4 * DGRAM_BITS, 4 * DGRAM_BITS, 0, still);
	add_sender("198.18.1.1", 1);
	add_sender("198.18.1.2", 2);
	e0 = now_ns() / TBX_DETECT_BUCKET_NS;
	for (unsigned int i = 0; i < ARRAY_SIZE(seq); i++)
		assert_int_equal(seq[i].verdict, send_from(seq[i].src, UDP_PORT));
	e1 = now_ns() / TBX_DETECT_BUCKET_NS;
	for (__u32 slot = 0; slot < 3; slot++) {
		read_sender(slot, &s);
		assert_int_equal(arrived[slot], s.arrived.packets);
		assert_int_equal(arrived[slot] * DGRAM_BITS, s.arrived.bits);
		assert_int_equal(dropped[slot], s.dropped.packets);
		assert_int_equal(dropped[slot] * DGRAM_BITS, s.dropped.bits);
		assert_true(s.first_ns && s.first_ns <= s.last_ns);
		/* Buckets count what came, dropped too. */
		assert_true(e1 - e0 < TBX_DETECT_BUCKETS);
		assert_int_equal((arrived[slot] + dropped[slot]) * DGRAM_BITS,
				 tbx_detect_bits_between(&s, e0, e1));
	}
}

/* Only datagrams to the port count; ARP never does; IPv6 senders too. */
static void test_port_filter(void **state)
{
	uint8_t arp[ETH_HLEN + 28] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x06 };
	struct tbx_detect_state st;
	struct tbx_detect_sender s;

	configure(UDP_PORT, DGRAM_BITS, DGRAM_BITS, 0, still);
	add_sender("fd00::1", 3);
	assert_int_equal(TC_ACT_OK, send_from(ADDR_A, UDP_PORT + 1));
	assert_int_equal(TC_ACT_OK, run(arp, sizeof(arp)));
	assert_int_equal(TC_ACT_OK, send_from(ADDR_A, UDP_PORT));
	/* Full now: another port's datagrams and ARP still pass, uncounted. */
	assert_int_equal(TC_ACT_OK, send_from(ADDR_A, UDP_PORT + 1));
	assert_int_equal(TC_ACT_OK, send_from("fd00::1", UDP_PORT + 1));
	assert_int_equal(TC_ACT_OK, run(arp, sizeof(arp)));
	assert_int_equal(TC_ACT_SHOT, send_from("fd00::1", UDP_PORT));
	read_state(&st);
	assert_int_equal(1, st.arrived.packets);
	assert_int_equal(DGRAM_BITS, st.arrived.bits);
	assert_int_equal(1, st.dropped.packets);
	assert_int_equal(V6_BITS, st.dropped.bits);
	assert_int_equal(DGRAM_BITS + V6_BITS, st.need_bits);
	read_sender(3, &s);
	assert_int_equal(0, s.arrived.packets);
	assert_int_equal(1, s.dropped.packets);
	assert_int_equal(V6_BITS, s.dropped.bits);
	read_sender(0, &s);
	assert_int_equal(1, s.arrived.packets);
	assert_int_equal(0, s.dropped.packets);
}

/* One event on crossing the high watermark, not one per packet above it. */
static void test_high_event(void **state)
{
	struct tbx_detect_state st;
	__u64 t0, t1;

	configure(0, 10 * DGRAM_BITS, 5 * DGRAM_BITS, 2 * DGRAM_BITS, still);
	t0 = now_ns();
	for (int i = 0; i < 5; i++)
		assert_int_equal(TC_ACT_OK, send_from(ADDR_A, UDP_PORT));
	consume();
	assert_int_equal(0, t.nev);	/* at the watermark is not above it */
	for (int i = 0; i < 5; i++)
		assert_int_equal(TC_ACT_OK, send_from(ADDR_A, UDP_PORT));
	assert_int_equal(TC_ACT_SHOT, send_from(ADDR_A, UDP_PORT));
	t1 = now_ns();
	consume();
	assert_int_equal(1, t.nev);
	assert_int_equal(TBX_DETECT_HIGH, t.ev[0].kind);
	assert_int_equal(6 * DGRAM_BITS, t.ev[0].occupancy_bits);
	assert_true(t.ev[0].ns >= t0 && t.ev[0].ns <= t1);
	read_state(&st);
	assert_int_equal(1, st.high);
	assert_int_equal(0, st.events_lost);
}

/*
 * Full at rate 0, then the receiver reads at 160 kbit/s: after a 200 ms
 * sleep at least 31999 bits are gone, exactly as the curve says between
 * the two packets' times, and the low watermark's event is posted.
 */
static void test_drain(void **state)
{
	struct tbx_detect_state st0, st1;
	struct timespec nap = { 0, 200 * MS };
	__u64 drained, occ, need;

	configure(0, 10 * DGRAM_BITS, 60000, 57000, still);
	for (int i = 0; i < 10; i++)
		assert_int_equal(TC_ACT_OK, send_from(ADDR_A, UDP_PORT));
	assert_int_equal(TC_ACT_SHOT, send_from(ADDR_A, UDP_PORT));
	read_state(&st0);
	assert_int_equal(10 * DGRAM_BITS, st0.occupancy_bits);
	assert_int_equal(11 * DGRAM_BITS, st0.need_bits);
	set_curve(reads);
	while (nanosleep(&nap, &nap) && errno == EINTR)
		;
	assert_int_equal(TC_ACT_OK, send_from(ADDR_A, UDP_PORT));
	read_state(&st1);
	assert_true(st1.last_ns - st0.last_ns >= 200 * MS);
	drained = tbx_curve_bits_over(&t.curve, tbx_curve_phase(&t.curve, st0.last_ns,
								t.cfg.start_ns),
				      st1.last_ns - st0.last_ns);
	print_message("# %.3f s: %llu bits drained\n", (st1.last_ns - st0.last_ns) / 1e9,
		      (unsigned long long)drained);
	assert_true(drained >= 31999);
	occ = st0.occupancy_bits > drained ? st0.occupancy_bits - drained : 0;
	need = st0.need_bits > drained ? st0.need_bits - drained : 0;
	assert_int_equal(occ + DGRAM_BITS, st1.occupancy_bits);
	assert_int_equal(need + DGRAM_BITS, st1.need_bits);
	assert_true(st1.occupancy_bits + 23999 <= st0.occupancy_bits);
	assert_int_equal(10 * DGRAM_BITS, st1.peak_bits);
	consume();
	assert_int_equal(2, t.nev);
	assert_int_equal(TBX_DETECT_HIGH, t.ev[0].kind);
	assert_int_equal(8 * DGRAM_BITS, t.ev[0].occupancy_bits);
	assert_int_equal(TBX_DETECT_LOW, t.ev[1].kind);
	assert_int_equal(st1.occupancy_bits, t.ev[1].occupancy_bits);
	assert_int_equal(0, st1.high);
}

static void on_lib_event(const struct tbx_detect_event *ev, void *arg)
{
	on_event(NULL, (void *)ev, sizeof(*ev));
}

static int socket_in(int ns, int type)
{
	int fd;

	enter(t.ns_fd[ns]);
	fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
	enter(t.ns_fd[NS_B]);
	assert_true(fd >= 0);
	return fd;
}

static int live_setup(void **state)
{
	t.nev = 0;
	snprintf(t.ns[NS_A], sizeof(t.ns[NS_A]), "tbxdt-%d-a", getpid());
	snprintf(t.ns[NS_B], sizeof(t.ns[NS_B]), "tbxdt-%d-b", getpid());
	if (veth_pair(t.ns[NS_A], t.ns[NS_B], DEV, ADDR_A, ADDR_B) ||
	    netns_open_pair(t.ns, t.ns_fd)) {
		cleanup();
		return -1;
	}
	enter(t.ns_fd[NS_B]);
	return 0;
}

/* Real datagrams a -> b: b's socket gets exactly what the buffer took. */
static void test_live(void **state)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(UDP_PORT) };
	struct timeval tv = { .tv_sec = WAIT_MS / 1000 };
	struct timespec ms = { 0, MS };
	struct tbx_profile p;
	struct tbx_detect_spec spec = { .name = "rx", .dev = DEV, .port = UDP_PORT,
					.capacity_bits = 3 * DGRAM_BITS, .high = 0.5, .low = 0.25,
					.profile = &p, .profile_name = "still.csv" };
	struct tbx_detect_addr a;
	struct tbx_detect_state st;
	struct tbx_detect_sender s;
	char buf[PAYLOAD], pin[128];
	FILE *f = fmemopen((void *)still, strlen(still), "r");
	struct stat sb;
	int rx, tx, err;

	assert_non_null(f);
	assert_int_equal(0, tbx_profile_read(f, "still.csv", &p));
	fclose(f);
	err = tbx_detect_open(&spec, &t.det);
	tbx_profile_free(&p);
	if (err)
		fail_msg("tbx_detect_open: %s", tbx_errmsg());
	assert_int_equal(0, tbx_detect_addr_parse(ADDR_A, &a));
	assert_int_equal(0, tbx_detect_set_sender(t.det, 1, &a));
	snprintf(pin, sizeof(pin), "%s/tbx/detect/rx/state", t.root);
	assert_int_equal(0, stat(pin, &sb));

	rx = socket_in(NS_B, SOCK_DGRAM);
	inet_pton(AF_INET, ADDR_B, &addr.sin_addr);
	assert_int_equal(0, bind(rx, (struct sockaddr *)&addr, sizeof(addr)));
	assert_int_equal(0, setsockopt(rx, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	tx = socket_in(NS_A, SOCK_DGRAM);
	memset(buf, 0x5a, sizeof(buf));
	for (int i = 0; i < 6; i++)
		assert_int_equal(PAYLOAD, sendto(tx, buf, sizeof(buf), 0,
						 (struct sockaddr *)&addr, sizeof(addr)));
	/* Ingress runs in softirq after sendto() returns: wait for all six. */
	for (int i = 0; i < WAIT_MS; i++) {
		assert_int_equal(0, tbx_detect_read_state(t.det, &st));
		if (st.arrived.packets + st.dropped.packets >= 6)
			break;
		nanosleep(&ms, NULL);
	}
	assert_int_equal(3, st.arrived.packets);
	assert_int_equal(3 * DGRAM_BITS, st.arrived.bits);
	assert_int_equal(3, st.dropped.packets);
	assert_int_equal(6 * DGRAM_BITS, st.need_bits);
	/* Blocking: a datagram taken may still be on its way up b's stack. */
	for (int i = 0; i < 3; i++)
		assert_int_equal(PAYLOAD, recv(rx, buf, sizeof(buf), 0));
	assert_int_equal(-1, recv(rx, buf, sizeof(buf), MSG_DONTWAIT));
	assert_int_equal(EAGAIN, errno);
	assert_int_equal(0, tbx_detect_read_sender(t.det, 1, &s));
	assert_int_equal(3, s.arrived.packets);
	assert_int_equal(3, s.dropped.packets);
	/* high = 12000 bits: crossed by the second datagram, once. */
	assert_int_equal(0, tbx_detect_events_consume(t.det, on_lib_event, NULL));
	assert_int_equal(1, t.nev);
	assert_int_equal(TBX_DETECT_HIGH, t.ev[0].kind);
	assert_int_equal(2 * DGRAM_BITS, t.ev[0].occupancy_bits);
	close(tx);
	close(rx);
	tbx_detect_close(t.det);
	t.det = NULL;
	assert_int_equal(-1, stat(pin, &sb));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_load, load, unload),
		cmocka_unit_test_setup_teardown(test_fill_and_drop, load, unload),
		cmocka_unit_test_setup_teardown(test_senders, load, unload),
		cmocka_unit_test_setup_teardown(test_port_filter, load, unload),
		cmocka_unit_test_setup_teardown(test_high_event, load, unload),
		cmocka_unit_test_setup_teardown(test_drain, load, unload),
		cmocka_unit_test_setup_teardown(test_live, live_setup, unload),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
