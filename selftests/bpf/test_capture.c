// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tbx capture on the host kernel: frames sent through a veth pair
 * (namespaces a and b, 198.18.0.0/15) are captured on b's end and read
 * back with libpcap, byte for byte; a filter and a snap length; rotation
 * into a ring of files; a bad filter refused before anything is touched.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#include <linux/if_packet.h>
#include <pcap/pcap.h>
#include "bpf_test.h"

#define DEV	"veth0"
/* A bound on waiting for what a loaded host does late, never a speed check. */
#define WAIT_MS	120000

static struct {
	char ns[2][32];
	char dir[64];
	char tbx[512];
	int ns_fd[2];
	int orig_ns;
	pid_t pid;
} t = { .ns_fd = { -1, -1 }, .orig_ns = -1 };

enum { NS_A, NS_B };

static void cleanup(void)
{
	if (t.pid > 0) {
		kill(t.pid, SIGTERM);
		waitpid(t.pid, NULL, 0);
		t.pid = 0;
	}
	if (t.orig_ns >= 0)
		enter(t.orig_ns);
	netns_del_pair(t.ns, t.ns_fd);
	if (t.dir[0])
		rm_tree(t.dir);
	t.dir[0] = '\0';
}

static int group_setup(void **state)
{
	char path[400];
	ssize_t n;

	if (geteuid()) {
		fprintf(stderr, "test_capture: needs root\n");
		return -1;
	}
	atexit(cleanup);
	n = readlink("/proc/self/exe", path, sizeof(path) - 1);
	if (n <= 0)
		return -1;
	path[n] = '\0';
	*strrchr(path, '/') = '\0';
	snprintf(t.tbx, sizeof(t.tbx), "%s/../../tbx", path);
	t.orig_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	snprintf(t.ns[NS_A], sizeof(t.ns[NS_A]), "tbxcap-%d-a", getpid());
	snprintf(t.ns[NS_B], sizeof(t.ns[NS_B]), "tbxcap-%d-b", getpid());
	snprintf(t.dir, sizeof(t.dir), "/tmp/tbxcap-%d", getpid());
	if (mkdir(t.dir, 0700) ||
	    sh("ip netns add %s && ip netns add %s", t.ns[NS_A], t.ns[NS_B]) ||
	    sh("ip netns exec %s sysctl -qw net.ipv6.conf.all.disable_ipv6=1 "
	       "net.ipv6.conf.default.disable_ipv6=1", t.ns[NS_A]) ||
	    sh("ip netns exec %s sysctl -qw net.ipv6.conf.all.disable_ipv6=1 "
	       "net.ipv6.conf.default.disable_ipv6=1", t.ns[NS_B]) ||
	    sh("ip -n %s link add " DEV " type veth peer name " DEV " netns %s",
	       t.ns[NS_A], t.ns[NS_B]) ||
	    sh("ip -n %s link set " DEV " up && ip -n %s link set " DEV " up",
	       t.ns[NS_A], t.ns[NS_B]))
		goto fail;
	if (netns_open_pair(t.ns, t.ns_fd))
		goto fail;
	enter(t.ns_fd[NS_B]);
	return 0;
fail:
	cleanup();
	return -1;
}

static int group_teardown(void **state)
{
	cleanup();
	return 0;
}

/* A UDP (or TCP) frame of @len bytes; @vlan adds an 802.1Q tag. */
static size_t frame(uint8_t *f, size_t len, uint8_t proto, int vlan, uint8_t seq)
{
	uint8_t *p = f + 12, *ip;

	memset(f, 0, len);
	f[0] = 0x02, f[5] = 0x0b, f[6] = 0x02, f[11] = 0x0a;
	if (vlan) {
		p[0] = 0x81, p[1] = 0x00, p[2] = 0x20, p[3] = 0x07;	/* prio 1, VID 7 */
		p += 4;
	}
	p[0] = 0x08, p[1] = 0x00;
	ip = p + 2;
	ip[0] = 0x45;
	ip[2] = (len - (ip - f)) >> 8, ip[3] = len - (ip - f);
	ip[8] = 64, ip[9] = proto;
	ip[12] = 198, ip[13] = 18, ip[14] = 1, ip[15] = seq;
	ip[16] = 198, ip[17] = 18, ip[18] = 0, ip[19] = 2;
	ip[20] = 0x30, ip[21] = 0x39, ip[22] = 0, ip[23] = 53;
	for (size_t i = ip + 28 - f; i < len; i++)
		f[i] = i * 7 + seq;
	return len;
}

static void send_frames(const uint8_t (*frames)[1600], const size_t *lens, size_t n)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_halen = 6 };
	int fd;

	enter(t.ns_fd[NS_A]);
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	sll.sll_ifindex = if_nametoindex(DEV);
	enter(t.ns_fd[NS_B]);
	assert_true(fd >= 0);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(sendto(fd, frames[i], lens[i], 0, (void *)&sll, sizeof(sll)),
				 (ssize_t)lens[i]);
	close(fd);
}

static void start(const char *args)
{
	struct timespec ms = { 0, 10000000 };
	char cmd[2048];

	snprintf(cmd, sizeof(cmd), "exec %s capture " DEV " %s", t.tbx, args);
	t.pid = fork();
	assert_true(t.pid >= 0);
	if (!t.pid) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < WAIT_MS / 10; i++) {
		if (!sh("tc filter show dev " DEV " ingress | grep -q capture_in"))
			return;
		nanosleep(&ms, NULL);
	}
	fail_msg("capture did not start");
}

/*
 * Ingress runs in softirq, which a loaded host may defer to ksoftirqd:
 * waits until the capture's program has seen @n frames (its cap_stats
 * map, found through the filter on DEV), so nothing sent is still on its
 * way when the capture stops.
 */
static void wait_seen(int n)
{
	struct timespec ms = { 0, 10000000 };

	for (int i = 0; i < WAIT_MS / 10; i++) {
		if (!sh("id=$(tc -j filter show dev " DEV " ingress | "
			"jq '[.[].options.prog.id // empty][0]') && "
			"for m in $(bpftool -j prog show id $id | jq '.map_ids[]'); do "
			"[ \"$(bpftool -j map show id $m | jq -r .name)\" = cap_stats ] && "
			"bpftool -j map dump id $m | "
			"jq -e '[.[0].formatted.values[].value.packets] | add >= %d' >/dev/null && exit 0; "
			"done; exit 1", n))
			return;
		nanosleep(&ms, NULL);
	}
	fail_msg("the capture saw fewer than %d frames", n);
}

static void stop(void)
{
	int st;

	assert_int_equal(kill(t.pid, SIGINT), 0);
	assert_int_equal(waitpid(t.pid, &st, 0), t.pid);
	t.pid = 0;
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_int_equal(sh("tc filter show dev " DEV " ingress | grep -q capture_in"), 1);
}

static pcap_t *open_capture(const char *path)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(path, err);

	if (!p)
		fail_msg("%s: %s", path, err);
	assert_int_equal(pcap_datalink(p), DLT_EN10MB);
	return p;
}

static uint8_t frames[8][1600];
static size_t lens[8];

static void test_capture_all(void **state)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	char path[128], args[256];
	pcap_t *p;
	size_t i = 0;

	lens[0] = frame(frames[0], 60, 17, 0, 1);
	lens[1] = frame(frames[1], 1500, 6, 0, 2);
	lens[2] = frame(frames[2], 100, 17, 1, 3);	/* the stack takes the tag out */
	snprintf(path, sizeof(path), "%s/all.pcap", t.dir);
	snprintf(args, sizeof(args), "-w %s", path);
	start(args);
	send_frames(frames, lens, 3);
	wait_seen(3);
	stop();
	p = open_capture(path);
	while (pcap_next_ex(p, &h, &data) == 1) {
		assert_true(i < 3);
		assert_int_equal(h->len, lens[i]);
		assert_int_equal(h->caplen, lens[i]);
		assert_memory_equal(data, frames[i], lens[i]);
		i++;
	}
	pcap_close(p);
	assert_int_equal(i, 3);
}

static void test_filter_snaplen(void **state)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	char path[128], args[256];
	pcap_t *p;
	size_t n = 0;

	for (int i = 0; i < 6; i++)
		lens[i] = frame(frames[i], 200, i % 2 ? 6 : 17, 0, i);
	snprintf(path, sizeof(path), "%s/tcp.pcap", t.dir);
	snprintf(args, sizeof(args), "-w %s -s 40 tcp and src host 198.18.1.3", path);
	start(args);
	send_frames(frames, lens, 6);
	wait_seen(6);
	stop();
	p = open_capture(path);
	while (pcap_next_ex(p, &h, &data) == 1) {
		assert_int_equal(h->len, 200);
		assert_int_equal(h->caplen, 40);
		assert_memory_equal(data, frames[3], 40);
		n++;
	}
	pcap_close(p);
	assert_int_equal(n, 1);
}

/* -C 1 -W 2: 2.3 MB of frames fill ring.pcap, then ring.pcap1, then
 * start ring.pcap over. */
static void test_rotation(void **state)
{
	char path[128], args[256];
	struct stat st;

	for (int i = 0; i < 8; i++)
		lens[i] = frame(frames[i], 1500, 17, 0, i);
	snprintf(path, sizeof(path), "%s/ring.pcap", t.dir);
	snprintf(args, sizeof(args), "-w %s -C 1 -W 2", path);
	start(args);
	for (int r = 0; r < 188; r++)	/* 1504 x 1516 bytes on file */
		send_frames(frames, lens, 8);
	wait_seen(188 * 8);
	stop();
	assert_int_equal(stat(path, &st), 0);
	print_message("# ring.pcap: %lld bytes\n", (long long)st.st_size);
	assert_true(st.st_size < 1000000);	/* reused */
	snprintf(path, sizeof(path), "%s/ring.pcap1", t.dir);
	assert_int_equal(stat(path, &st), 0);
	print_message("# ring.pcap1: %lld bytes\n", (long long)st.st_size);
	assert_true(st.st_size >= 1000000);
	snprintf(path, sizeof(path), "%s/ring.pcap2", t.dir);
	assert_int_equal(stat(path, &st), -1);
}

static void test_bad_filter(void **state)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/bad.pcap", t.dir);
	assert_int_equal(sh("%s capture " DEV " -w %s 'tcp and and' 2>%s/err", t.tbx, path,
			    t.dir), 2);
	assert_int_equal(sh("grep -q 'filter \"tcp and and\"' %s/err", t.dir), 0);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(sh("tc qdisc show dev " DEV " | grep -q clsact"), 1);
	assert_int_equal(sh("%s capture nosuchdev0 -w %s 2>/dev/null", t.tbx, path), 2);
	assert_int_equal(sh("%s capture " DEV " 2>/dev/null", t.tbx), 1);
	assert_int_equal(sh("%s capture " DEV " -w %s -s 0 2>/dev/null", t.tbx, path), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_capture_all),
		cmocka_unit_test(test_filter_snaplen),
		cmocka_unit_test(test_rotation),
		cmocka_unit_test(test_bad_filter),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
