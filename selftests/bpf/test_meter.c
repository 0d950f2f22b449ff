// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The meter on the host kernel: two namespaces joined by a veth pair,
 * 198.18.0.1 (a) and 198.18.0.2 (b), the meter on b's end. The test
 * process lives in b (where the library runs) and makes its sending
 * sockets in a. Nothing leaves the two namespaces.
 *
 * Pins go under a private TBX_BPFFS_ROOT; namespaces and pins are
 * removed by the group teardown and, should that never run, at exit.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sched.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpf/meter.skel.h"
#include "err.h"
#include "meter.h"
#include "bpf_test.h"

#define DEV		"veth0"		/* its name in both namespaces */
#define ADDR_A		"198.18.0.1"
#define ADDR_B		"198.18.0.2"
#define UDP_PORT	40000
#define N_DGRAMS	10
#define PAYLOAD		100
/* skb->len at tc, either hook: Ethernet + IPv4 + UDP + payload */
#define UDP_FRAME	(ETH_HLEN + 20 + 8 + PAYLOAD)
#define ARP_FRAME	(ETH_HLEN + 28)		/* veth does not pad */
#define VLAN_HLEN	4
#define ETH_P_TEST	0x88B5			/* IEEE local experimental */
/* A bound on waiting for what a loaded host does late, never a speed check. */
#define WAIT_MS		120000

static struct {
	char ns[2][32];		/* a, b */
	char root[64];		/* TBX_BPFFS_ROOT */
	int ns_fd[2];
	int orig_ns;
} t = { .ns_fd = { -1, -1 }, .orig_ns = -1 };

enum { NS_A, NS_B };

/* Idempotent: the group teardown and atexit() both call it. */
static void cleanup(void)
{
	if (t.orig_ns >= 0)
		enter(t.orig_ns);
	netns_del_pair(t.ns, t.ns_fd);
	/* The devices went with the namespaces, their filters with them. */
	if (t.root[0])
		rm_tree(t.root);
	t.root[0] = '\0';
}

static int group_setup(void **state)
{
	if (geteuid()) {
		fprintf(stderr, "test_meter: needs root (BPF, namespaces)\n");
		return -1;
	}
	atexit(cleanup);
	t.orig_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	snprintf(t.ns[NS_A], sizeof(t.ns[NS_A]), "tbxt-%d-a", getpid());
	snprintf(t.ns[NS_B], sizeof(t.ns[NS_B]), "tbxt-%d-b", getpid());
	snprintf(t.root, sizeof(t.root), "%s/tbxt-%d", TBX_BPFFS_DEFAULT, getpid());
	setenv(TBX_BPFFS_ENV, t.root, 1);

	if (veth_pair(t.ns[NS_A], t.ns[NS_B], DEV, ADDR_A, ADDR_B))
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

/* Every test starts with no meter, no clsact and cold ARP caches. */
static int reset(void **state)
{
	tbx_meter_detach(DEV);
	sh("tc qdisc del dev " DEV " clsact 2>/dev/null");
	sh("ip -n %s neigh flush dev " DEV, t.ns[NS_A]);
	sh("ip -n %s neigh flush dev " DEV, t.ns[NS_B]);
	return 0;
}

static int socket_in(int ns, int domain, int type, int proto)
{
	int fd;

	enter(t.ns_fd[ns]);
	fd = socket(domain, type | SOCK_CLOEXEC, proto);
	enter(t.ns_fd[NS_B]);
	assert_true(fd >= 0);
	return fd;
}

static void read_stats(struct tbx_meter_stats *st)
{
	int err = tbx_meter_read(DEV, st);

	if (err)
		fail_msg("tbx_meter_read: %s", tbx_errmsg());
}

/* Ingress runs in softirq after the sender returns: poll until the
 * expected count shows, then let the caller assert exact values. */
static void wait_packets(struct tbx_meter_stats *st, int dir, int cls, __u64 want)
{
	struct timespec ms = { 0, 1000000 };

	for (int i = 0; i < WAIT_MS; i++) {
		read_stats(st);
		if (st->c[dir][cls].packets >= want)
			return;
		nanosleep(&ms, NULL);
	}
}

static void print_stats(const char *what, const struct tbx_meter_stats *st)
{
	for (int d = 0; d < TBX_METER_DIR_MAX; d++)
		for (int c = 0; c < TBX_METER_CLASS_MAX; c++)
			print_message("# %s: %-7s %-5s %3llu packets %6llu bytes\n", what,
				      tbx_meter_dir_name(d), tbx_meter_class_name(c),
				      (unsigned long long)st->c[d][c].packets,
				      (unsigned long long)st->c[d][c].bytes);
}

/* Sends n datagrams a -> b and receives them all in b. */
static void send_udp(int n)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(UDP_PORT) };
	struct timeval tv = { .tv_sec = WAIT_MS / 1000 };
	char buf[PAYLOAD];
	int tx, rx;

	rx = socket_in(NS_B, AF_INET, SOCK_DGRAM, 0);
	inet_pton(AF_INET, ADDR_B, &addr.sin_addr);
	assert_int_equal(bind(rx, (struct sockaddr *)&addr, sizeof(addr)), 0);
	assert_int_equal(setsockopt(rx, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), 0);
	tx = socket_in(NS_A, AF_INET, SOCK_DGRAM, 0);

	memset(buf, 0x5a, sizeof(buf));
	for (int i = 0; i < n; i++)
		assert_int_equal(sendto(tx, buf, sizeof(buf), 0, (struct sockaddr *)&addr,
					sizeof(addr)), PAYLOAD);
	/* Delivered means it went through b's tc ingress first. */
	for (int i = 0; i < n; i++)
		assert_int_equal(recv(rx, buf, sizeof(buf), 0), PAYLOAD);
	close(tx);
	close(rx);
}

static int attach_in_child(void)
{
	int st;
	pid_t pid = fork();

	if (!pid)
		_exit(tbx_meter_attach(DEV) ? 1 : 0);
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The prog id of our filter on one hook, 0 when there is none. */
static __u32 filter_prog(enum bpf_tc_attach_point point)
{
	DECLARE_LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = if_nametoindex(DEV),
			    .attach_point = point);
	DECLARE_LIBBPF_OPTS(bpf_tc_opts, opts, .handle = TBX_METER_TC_HANDLE,
			    .priority = TBX_METER_TC_PRIO);

	libbpf_print_fn_t print;
	int err;

	/* "not found" is an answer here, not news for the log */
	print = libbpf_set_print(NULL);
	err = bpf_tc_query(&hook, &opts);
	libbpf_set_print(print);
	return err ? 0 : opts.prog_id;
}

static bool has_clsact(void)
{
	char line[256];
	bool found = false;
	FILE *f = popen("tc qdisc show dev " DEV, "r");

	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		found |= !!strstr(line, "clsact");
	pclose(f);
	return found;
}

static bool pin_dir_exists(void)
{
	char dir[PATH_MAX];
	struct stat st;

	assert_int_equal(tbx_meter_pin_dir(dir, sizeof(dir), DEV), 0);
	return !stat(dir, &st);
}

/*
 * Counts exactly the datagrams sent, with the L2 length tc sees, after
 * the attaching process has exited: the pins keep everything alive.
 */
static void test_counts_udp(void **state)
{
	struct tbx_meter_stats st;

	assert_int_equal(attach_in_child(), 0);
	assert_true(filter_prog(BPF_TC_INGRESS) != 0);
	assert_true(filter_prog(BPF_TC_EGRESS) != 0);

	send_udp(N_DGRAMS);
	read_stats(&st);
	print_stats("udp", &st);

	assert_int_equal(st.c[TBX_METER_INGRESS][TBX_METER_IPV4].packets, N_DGRAMS);
	assert_int_equal(st.c[TBX_METER_INGRESS][TBX_METER_IPV4].bytes,
			 N_DGRAMS * UDP_FRAME);
	/* b sent no IPv4: a socket was listening, so no ICMP either */
	assert_int_equal(st.c[TBX_METER_EGRESS][TBX_METER_IPV4].packets, 0);
	/* the first datagram needed a's ARP request and b's reply */
	assert_true(st.c[TBX_METER_INGRESS][TBX_METER_ARP].packets >= 1);
	assert_true(st.c[TBX_METER_EGRESS][TBX_METER_ARP].packets >= 1);
	assert_int_equal(st.c[TBX_METER_INGRESS][TBX_METER_ARP].bytes,
			 st.c[TBX_METER_INGRESS][TBX_METER_ARP].packets * ARP_FRAME);
}

static void get_mac(int ns, unsigned char mac[ETH_ALEN])
{
	struct ifreq ifr = { 0 };
	int fd = socket_in(ns, AF_INET, SOCK_DGRAM, 0);

	strcpy(ifr.ifr_name, DEV);
	assert_int_equal(ioctl(fd, SIOCGIFHWADDR, &ifr), 0);
	memcpy(mac, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
	close(fd);
}

/*
 * Builds dst, src, the tags (TPID + TCI each), the ethertype and a
 * payload. The payload is never parsed: the meter classifies by
 * ethertype, and b drops VLAN frames it has no VLAN device for.
 */
static size_t build_frame(unsigned char *f, const unsigned char *dst,
			  const unsigned char *src, int ntags, __u16 type, size_t payload)
{
	static const __u16 tpid[2][2] = { { ETH_P_8021Q }, { ETH_P_8021AD, ETH_P_8021Q } };
	size_t off = 2 * ETH_ALEN;

	memcpy(f, dst, ETH_ALEN);
	memcpy(f + ETH_ALEN, src, ETH_ALEN);
	for (int i = 0; i < ntags; i++) {
		__u16 tag[2] = { htons(tpid[ntags - 1][i]), htons(100 + i) };

		memcpy(f + off, tag, sizeof(tag));
		off += sizeof(tag);
	}
	type = htons(type);
	memcpy(f + off, &type, sizeof(type));
	off += sizeof(type);
	memset(f + off, 0, payload);
	return off + payload;
}

static void send_raw(int ns, const unsigned char *frame, size_t len, __u16 proto)
{
	int fd = socket_in(ns, AF_PACKET, SOCK_RAW, 0);
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(proto),	/* becomes skb->protocol */
		.sll_halen = ETH_ALEN,
	};

	enter(t.ns_fd[ns]);
	sll.sll_ifindex = if_nametoindex(DEV);
	enter(t.ns_fd[NS_B]);
	assert_int_equal(sendto(fd, frame, len, 0, (struct sockaddr *)&sll, sizeof(sll)),
			 (ssize_t)len);
	close(fd);
}

/*
 * VLAN frames count by their encapsulated ethertype. On b's ingress the
 * stack has moved the outer tag out of band (skb->len loses 4 bytes) and
 * a QinQ frame's inner tag is parsed by the program; on b's egress a
 * packet socket leaves both tags in the frame, so both are parsed.
 */
static void test_vlan(void **state)
{
	unsigned char mac_a[ETH_ALEN], mac_b[ETH_ALEN], frame[128];
	struct tbx_meter_stats st;
	size_t single, qinq, qinq_other, out;

	get_mac(NS_A, mac_a);
	get_mac(NS_B, mac_b);
	assert_int_equal(tbx_meter_attach(DEV), 0);

	single = build_frame(frame, mac_b, mac_a, 1, ETH_P_IP, 64);
	for (int i = 0; i < 3; i++)
		send_raw(NS_A, frame, single, ETH_P_8021Q);
	qinq = build_frame(frame, mac_b, mac_a, 2, ETH_P_IP, 64);
	for (int i = 0; i < 3; i++)
		send_raw(NS_A, frame, qinq, ETH_P_8021AD);
	qinq_other = build_frame(frame, mac_b, mac_a, 2, ETH_P_TEST, 64);
	for (int i = 0; i < 2; i++)
		send_raw(NS_A, frame, qinq_other, ETH_P_8021AD);
	/* egress runs in sendto(): counted on return */
	out = build_frame(frame, mac_a, mac_b, 2, ETH_P_IP, 64);
	for (int i = 0; i < 2; i++)
		send_raw(NS_B, frame, out, ETH_P_8021AD);

	wait_packets(&st, TBX_METER_INGRESS, TBX_METER_OTHER, 2);
	wait_packets(&st, TBX_METER_INGRESS, TBX_METER_IPV4, 6);
	print_stats("vlan", &st);

	assert_int_equal(st.c[TBX_METER_INGRESS][TBX_METER_IPV4].packets, 6);
	assert_int_equal(st.c[TBX_METER_INGRESS][TBX_METER_IPV4].bytes,
			 3 * (single - VLAN_HLEN) + 3 * (qinq - VLAN_HLEN));
	assert_int_equal(st.c[TBX_METER_INGRESS][TBX_METER_OTHER].packets, 2);
	assert_int_equal(st.c[TBX_METER_INGRESS][TBX_METER_OTHER].bytes,
			 2 * (qinq_other - VLAN_HLEN));
	assert_int_equal(st.c[TBX_METER_EGRESS][TBX_METER_IPV4].packets, 2);
	assert_int_equal(st.c[TBX_METER_EGRESS][TBX_METER_IPV4].bytes, 2 * out);
	assert_int_equal(st.c[TBX_METER_EGRESS][TBX_METER_OTHER].packets, 0);
}

static void test_attach_twice(void **state)
{
	assert_int_equal(tbx_meter_attach(DEV), 0);
	assert_int_equal(tbx_meter_attach(DEV), -EEXIST);
	assert_string_equal(tbx_errmsg(), "meter: " DEV " already has a meter");
	/* the refused attach changed nothing */
	assert_true(filter_prog(BPF_TC_INGRESS) != 0);
	assert_true(pin_dir_exists());
}

static void test_unknown_device(void **state)
{
	struct tbx_meter_stats st;

	assert_int_equal(tbx_meter_attach("tbxt-none0"), -ENODEV);
	assert_string_equal(tbx_errmsg(), "no such device: tbxt-none0");
	assert_int_equal(tbx_meter_detach(DEV), -ENOENT);
	assert_string_equal(tbx_errmsg(), "meter: " DEV " has no meter");
	assert_int_equal(tbx_meter_read(DEV, &st), -ENOENT);
	assert_int_equal(tbx_meter_attach("../x"), -EINVAL);
	assert_false(has_clsact());
}

/* Detach removes both filters, the pins, and clsact it created. */
static void test_detach(void **state)
{
	assert_int_equal(tbx_meter_attach(DEV), 0);
	assert_true(has_clsact());
	assert_int_equal(tbx_meter_detach(DEV), 0);
	assert_int_equal(filter_prog(BPF_TC_INGRESS), 0);
	assert_int_equal(filter_prog(BPF_TC_EGRESS), 0);
	assert_false(pin_dir_exists());
	assert_false(has_clsact());
	assert_int_equal(tbx_meter_detach(DEV), -ENOENT);
}

/* A clsact the user made stays. */
static void test_detach_keeps_clsact(void **state)
{
	assert_int_equal(sh("tc qdisc add dev " DEV " clsact"), 0);
	assert_int_equal(tbx_meter_attach(DEV), 0);
	assert_int_equal(tbx_meter_detach(DEV), 0);
	assert_int_equal(filter_prog(BPF_TC_INGRESS), 0);
	assert_true(has_clsact());
}

static int count_cb(const char *ifname, void *arg)
{
	if (!strcmp(ifname, DEV))
		(*(int *)arg)++;
	return 0;
}

static void test_foreach(void **state)
{
	int n = 0;

	assert_int_equal(tbx_meter_foreach(count_cb, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(tbx_meter_attach(DEV), 0);
	assert_int_equal(tbx_meter_foreach(count_cb, &n), 0);
	assert_int_equal(n, 1);
}

/*
 * The meter never ends classification: a filter after it (here a
 * second copy of the program, with its own maps, at a later priority)
 * still sees every packet. Its clsact stays while that filter is there.
 */
static void test_later_filter_sees_all(void **state)
{
	DECLARE_LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = if_nametoindex(DEV),
			    .attach_point = BPF_TC_INGRESS);
	DECLARE_LIBBPF_OPTS(bpf_tc_opts, opts, .handle = 1,
			    .priority = TBX_METER_TC_PRIO + 10);
	struct tbx_meter_count sum = { 0 }, *vals;
	__u32 key = TBX_METER_KEY(TBX_METER_INGRESS, TBX_METER_IPV4);
	int ncpus = libbpf_num_possible_cpus();
	struct meter_bpf *other;

	assert_int_equal(tbx_meter_attach(DEV), 0);
	other = meter_bpf__open_and_load();
	assert_non_null(other);
	opts.prog_fd = bpf_program__fd(other->progs.meter_ingress);
	assert_int_equal(bpf_tc_attach(&hook, &opts), 0);

	send_udp(N_DGRAMS);
	vals = calloc(ncpus, sizeof(*vals));
	assert_non_null(vals);
	assert_int_equal(bpf_map__lookup_elem(other->maps.meter_counters, &key,
					      sizeof(key), vals,
					      ncpus * sizeof(*vals), 0), 0);
	for (int i = 0; i < ncpus; i++)
		sum.packets += vals[i].packets;
	free(vals);
	print_message("# later filter: ingress ipv4 %llu packets\n",
		      (unsigned long long)sum.packets);
	assert_int_equal(sum.packets, N_DGRAMS);

	/* meter made clsact, but someone else's filter is on it now */
	assert_int_equal(tbx_meter_detach(DEV), 0);
	assert_true(has_clsact());
	opts.prog_fd = opts.prog_id = 0;
	assert_int_equal(bpf_tc_detach(&hook, &opts), 0);
	meter_bpf__destroy(other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_counts_udp, reset, reset),
		cmocka_unit_test_setup_teardown(test_vlan, reset, reset),
		cmocka_unit_test_setup_teardown(test_attach_twice, reset, reset),
		cmocka_unit_test_setup_teardown(test_unknown_device, reset, reset),
		cmocka_unit_test_setup_teardown(test_detach, reset, reset),
		cmocka_unit_test_setup_teardown(test_detach_keeps_clsact, reset, reset),
		cmocka_unit_test_setup_teardown(test_foreach, reset, reset),
		cmocka_unit_test_setup_teardown(test_later_filter_sees_all, reset, reset),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
