// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Profile enforcement on the host kernel: two namespaces joined by a veth
 * pair, 198.18.0.1 (a) and 198.18.0.2 (b); senders are a test cgroup (the
 * sockets a makes while the test process is in it) or a's veth egress.
 * Profiles are chosen so that what is asserted never depends on the
 * machine's speed: a 1000-byte datagram at 8 bit/s waits 1000 s, so a
 * second sent right after the first is refused however slow the host.
 *
 * Pins go under a private TBX_BPFFS_ROOT; namespaces, the cgroup and pins
 * are removed by the group teardown and, should that never run, at exit.
 */
#include <errno.h>
#include <fcntl.h>
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
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cgroup.h"
#include "clsact.h"
#include "err.h"
#include "meter.h"		/* TBX_BPFFS_DEFAULT, TBX_BPFFS_ENV */
#include "police.h"
#include "profile.h"
#include "bpf_test.h"

#define DEV		"veth0"
#define ADDR_B		"198.18.0.2"
#define ADDR_A		"198.18.0.1"
#define UDP_PORT	40001
#define PAYLOAD		972		/* + 28 = a 1000-byte datagram: 8000 bits */
#define DGRAM_BITS	8000

/* 8 bit/s: after one datagram the next may leave 1000 s later. */
static const char slow[] = "# period = 100000\n# uuid = 7\n0,8,0\n";
/* 8 Mbit/s: 1 ms a datagram. */
static const char fast[] = "# period = 1\n0,8000000,0\n";

static struct {
	char ns[2][32];
	char root[64];		/* TBX_BPFFS_ROOT */
	char cg_rel[32];	/* the test cgroup, under the cgroup2 root */
	char cg[PATH_MAX];
	char orig_cg[PATH_MAX];	/* where the test process came from */
	int ns_fd[2];
	int orig_ns;
	int rx;			/* b's receiving socket, drained before each test */
} t = { .ns_fd = { -1, -1 }, .orig_ns = -1, .rx = -1 };

enum { NS_A, NS_B };

static void cleanup(void)
{
	struct tbx_police_sender *all;
	unsigned int n = 0;

	if (t.rx >= 0)
		close(t.rx);
	t.rx = -1;
	if (t.orig_ns >= 0)
		enter(t.orig_ns);
	if (t.root[0] && !tbx_police_list(&all, &n)) {
		for (unsigned int i = 0; i < n; i++)
			tbx_police_del(all[i].cfg.name);
		free(all);
	}
	netns_del_pair(t.ns, t.ns_fd);
	if (t.cg_rel[0])
		tbx_cgroup_del(t.cg_rel);
	t.cg_rel[0] = '\0';
	if (t.root[0])
		rm_tree(t.root);
	t.root[0] = '\0';
}

/* The cgroup2 path this process is in ("0::/x" in /proc/self/cgroup). */
static int own_cgroup(char *buf, size_t len)
{
	char line[PATH_MAX];
	FILE *f = fopen("/proc/self/cgroup", "r");
	int err = -1;

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "0::", 3)) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(buf, len, "%s%s", tbx_cgroup_root(), line + 3);
			err = 0;
		}
	if (f)
		fclose(f);
	return err;
}

static int receiver_socket(void);
static int received(int want);

static int group_setup(void **state)
{
	if (geteuid()) {
		fprintf(stderr, "test_police: needs root (BPF, namespaces, cgroups)\n");
		return -1;
	}
	atexit(cleanup);
	t.orig_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	snprintf(t.ns[NS_A], sizeof(t.ns[NS_A]), "tbxp-%d-a", getpid());
	snprintf(t.ns[NS_B], sizeof(t.ns[NS_B]), "tbxp-%d-b", getpid());
	snprintf(t.root, sizeof(t.root), "%s/tbxp-%d", TBX_BPFFS_DEFAULT, getpid());
	setenv(TBX_BPFFS_ENV, t.root, 1);
	snprintf(t.cg_rel, sizeof(t.cg_rel), "tbxp-%d", getpid());
	if (!tbx_cgroup_root() || tbx_cgroup_add(t.cg_rel) || own_cgroup(t.orig_cg, sizeof(t.orig_cg))) {
		fprintf(stderr, "test_police: cgroup v2: %s\n", tbx_errmsg());
		t.cg_rel[0] = '\0';
		goto fail;
	}
	snprintf(t.cg, sizeof(t.cg), "%s/%s", tbx_cgroup_root(), t.cg_rel);
	if (veth_pair(t.ns[NS_A], t.ns[NS_B], DEV, ADDR_A, ADDR_B))
		goto fail;
	if (netns_open_pair(t.ns, t.ns_fd))
		goto fail;
	t.rx = receiver_socket();
	if (t.rx < 0)
		goto fail;
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

/* Every test starts with no sender and no clsact on a's end. */
static int reset(void **state)
{
	struct tbx_police_sender *all;
	unsigned int n = 0;

	if (!tbx_police_list(&all, &n)) {
		for (unsigned int i = 0; i < n; i++)
			tbx_police_del(all[i].cfg.name);
		free(all);
	}
	sh("ip netns exec %s tc qdisc del dev " DEV " clsact 2>/dev/null", t.ns[NS_A]);
	received(0);
	return 0;
}

static void profile(const char *text, struct tbx_profile *p)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");

	assert_non_null(f);
	assert_int_equal(0, tbx_profile_read(f, "test.csv", p));
	fclose(f);
}

static void add(const char *name, enum tbx_police_kind kind, const char *text)
{
	struct tbx_profile p;
	struct tbx_police_spec spec = {
		.name = name, .kind = kind, .cgroup = t.cg, .dev = DEV,
		.profile = &p, .profile_name = "test.csv",
	};

	profile(text, &p);
	if (tbx_police_add(&spec))
		fail_msg("tbx_police_add %s: %s", name, tbx_errmsg());
	tbx_profile_free(&p);
}

static void get(const char *name, struct tbx_police_sender *s)
{
	if (tbx_police_get(name, s))
		fail_msg("tbx_police_get %s: %s", name, tbx_errmsg());
}

static void join_cgroup(const char *dir)
{
	char path[PATH_MAX + 16], pid[16];
	int fd;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	snprintf(pid, sizeof(pid), "%d", getpid());
	fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, pid, strlen(pid)), (ssize_t)strlen(pid));
	close(fd);
}

/* A UDP socket in a; @policed: made while in the test cgroup, so its sends are. */
static int sender_socket(bool policed)
{
	int fd;

	if (policed)
		join_cgroup(t.cg);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (policed)
		join_cgroup(t.orig_cg);
	assert_true(fd >= 0);
	return fd;
}

static int receiver_socket(void)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(UDP_PORT) };
	int fd, size = 4 << 20;

	enter(t.ns_fd[NS_B]);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	enter(t.ns_fd[NS_A]);
	if (fd < 0)
		return -1;
	inet_pton(AF_INET, ADDR_B, &addr.sin_addr);
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* One datagram to b; 0 or the errno of the send. */
static int send_one(int fd)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(UDP_PORT) };
	char buf[PAYLOAD];

	memset(buf, 0x5a, sizeof(buf));
	inet_pton(AF_INET, ADDR_B, &addr.sin_addr);
	if (sendto(fd, buf, sizeof(buf), 0, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		return errno;
	return 0;
}

/* Datagrams waiting at b: what the policer let through (after a settle wait). */
static int received(int want)
{
	int fd = t.rx;
	char buf[PAYLOAD];
	int n = 0;

	/* Delivery is asynchronous: wait (up to a minute) for @want, then drain. */
	for (int i = 0; i < 60000 && n < want; i++) {
		if (recv(fd, buf, sizeof(buf), 0) == PAYLOAD)
			n++;
		else
			usleep(1000);
	}
	while (recv(fd, buf, sizeof(buf), 0) == PAYLOAD)
		n++;
	return n;
}

/* The application's own send fails with EPERM once over the profile. */
static void test_cgroup_eperm(void **state)
{
	struct tbx_police_sender s;
	int tx = sender_socket(true), plain = sender_socket(false);

	add("app", TBX_POLICE_CGROUP, slow);
	assert_int_equal(0, send_one(tx));
	assert_int_equal(EPERM, send_one(tx));
	assert_int_equal(EPERM, send_one(tx));
	/* A socket of another cgroup is not this sender. */
	assert_int_equal(0, send_one(plain));
	assert_int_equal(0, send_one(plain));
	get("app", &s);
	assert_int_equal(1, s.st.sent.packets);
	assert_int_equal(DGRAM_BITS, s.st.sent.bits);
	assert_int_equal(2, s.st.exceeded.packets);
	assert_int_equal(2 * DGRAM_BITS, s.st.exceeded.bits);
	/* The next send is 1000 s (8000 bits at 8 bit/s) after the first. */
	assert_true(s.st.next_send_ns > tbx_police_now() &&
		    s.st.next_send_ns <= tbx_police_now() + 1000ULL * 1000000000);
	assert_int_equal(7, s.cfg.uuid);
	assert_int_equal(3, received(3));
	close(tx), close(plain);
}

/* A device's sender: its IP packets dropped, ARP let through. */
static void test_dev_drops(void **state)
{
	struct tbx_police_sender s;
	int tx = sender_socket(false), filters = 0;

	add("link", TBX_POLICE_DEV, slow);
	for (int i = 0; i < 3; i++)
		assert_int_equal(0, send_one(tx));	/* a drop at tc is not the sender's error */
	assert_int_equal(1, received(1));
	get("link", &s);
	assert_int_equal(TBX_POLICE_DEV, s.cfg.kind);
	assert_int_equal(1, s.st.sent.packets);
	assert_int_equal(2, s.st.exceeded.packets);
	assert_int_equal(0, tbx_clsact_count_filters(if_nametoindex(DEV), 0xFFFFFFF3, &filters));
	assert_true(filters > 0);
	assert_int_equal(0, tbx_police_del("link"));
	/* Our filter gone, and the clsact we made with it. */
	assert_int_not_equal(0, sh("ip netns exec %s tc qdisc show dev " DEV " | grep -q clsact",
				   t.ns[NS_A]));
	close(tx);
}

/* A profile swapped under a waiting sender keeps its next send time: no burst. */
static void test_swap_keeps_next_send(void **state)
{
	struct tbx_police_sender before, after;
	struct tbx_profile p;
	int tx = sender_socket(true);

	add("swap", TBX_POLICE_CGROUP, slow);
	assert_int_equal(0, send_one(tx));
	get("swap", &before);
	profile(fast, &p);
	assert_int_equal(0, tbx_police_set_profile("swap", &p, "fast.csv"));
	tbx_profile_free(&p);
	get("swap", &after);
	assert_int_equal(!before.cfg.curve, after.cfg.curve);
	assert_true(after.curve.period_ns == 1000000000ULL);
	assert_true(after.curve.period_bits == 8000000ULL);
	assert_true(after.st.next_send_ns == before.st.next_send_ns);
	/* 8 Mbit/s now, but the slow profile's 1000 s are still owed. */
	assert_int_equal(EPERM, send_one(tx));
	assert_int_equal(1, received(1));
	close(tx);
}

/* Push-back: off refuses everything (counted apart), on lets the profile decide again. */
static void test_off_and_on(void **state)
{
	struct tbx_police_sender s;
	unsigned int n = 0;
	int tx = sender_socket(true);

	add("pb", TBX_POLICE_CGROUP, fast);
	add("pb2", TBX_POLICE_DEV, slow);		/* uuid 7, as is none of pb's */
	assert_int_equal(0, tbx_police_switch("pb", true));
	assert_int_equal(EPERM, send_one(tx));
	assert_int_equal(EPERM, send_one(tx));
	get("pb", &s);
	assert_true(s.cfg.off);
	assert_int_equal(2, s.st.refused_off.packets);
	assert_int_equal(0, s.st.exceeded.packets);
	assert_int_equal(0, s.st.sent.packets);
	assert_int_equal(0, tbx_police_switch("pb", false));
	assert_int_equal(0, send_one(tx));
	get("pb", &s);
	assert_false(s.cfg.off);
	assert_int_equal(1, s.st.sent.packets);
	/* By uuid, as a push-back message names a sender. */
	assert_int_equal(0, tbx_police_switch_uuid(7, true, &n));
	assert_int_equal(1, n);
	get("pb2", &s);
	assert_true(s.cfg.off);
	get("pb", &s);
	assert_false(s.cfg.off);
	assert_int_equal(0, tbx_police_switch_uuid(99, true, &n));
	assert_int_equal(0, n);
	assert_int_equal(1, received(1));
	close(tx);
}

/* The bits let through never run ahead of the curve by more than one datagram. */
static void test_within_the_curve(void **state)
{
	struct tbx_police_sender s;
	int tx = sender_socket(true), eperm = 0, sent = 0;
	uint64_t t0, t1, allowed, ph0, ph1;

	/* 400 kbit/s then 800 kbit/s, half a second each. */
	add("curve", TBX_POLICE_CGROUP, "# period = 1\n0,400000,0\n0.5,800000,0\n");
	t0 = tbx_police_now();
	while (tbx_police_now() - t0 < 1500000000ULL) {
		int err = send_one(tx);

		if (err == EPERM)
			eperm++;
		else if (!err)
			sent++;
		else
			fail_msg("send: %s", strerror(err));
	}
	t1 = tbx_police_now();
	get("curve", &s);
	assert_int_equal(sent, s.st.sent.packets);
	assert_int_equal(eperm, s.st.exceeded.packets);
	ph0 = t0 - s.cfg.start_ns;
	ph1 = t1 - s.cfg.start_ns;
	allowed = (ph1 / s.curve.period_ns * s.curve.period_bits +
		   tbx_curve_bits_at(&s.curve, ph1 % s.curve.period_ns)) -
		  (ph0 / s.curve.period_ns * s.curve.period_bits +
		   tbx_curve_bits_at(&s.curve, ph0 % s.curve.period_ns));
	print_message("# %d datagrams (%llu bits) let through in %.3f s, the curve allowed "
		      "%llu bits; %d refused\n", sent, (unsigned long long)s.st.sent.bits,
		      (t1 - t0) / 1e9, (unsigned long long)allowed, eperm);
	assert_true(s.st.sent.bits <= allowed + DGRAM_BITS);
	assert_true(sent >= 1);
	assert_int_equal(sent, received(sent));
	close(tx);
}

/* Each bad request refused with its reason; nothing added or changed. */
static void test_refusals(void **state)
{
	struct tbx_police_sender *all, s;
	struct tbx_profile p, big;
	struct tbx_police_spec spec = { .kind = TBX_POLICE_CGROUP, .cgroup = t.cg,
					.profile = &p, .profile_name = "p.csv" };
	char text[80 * 24], *w = text;
	unsigned int n;

	add("one", TBX_POLICE_CGROUP, slow);
	profile(fast, &p);
#define REFUSED(call, what) do {						\
		tbx_err_clear();						\
		assert_true((call) < 0);					\
		if (!strstr(tbx_errmsg(), what))				\
			fail_msg("message \"%s\", wanted \"%s\"", tbx_errmsg(), what); \
	} while (0)
	spec.name = "one";
	REFUSED(tbx_police_add(&spec), "sender \"one\" exists");
	spec.name = "bad name";
	REFUSED(tbx_police_add(&spec), "sender name \"bad name\" is not");
	spec.name = ".hidden";
	REFUSED(tbx_police_add(&spec), "not starting with a dot");
	spec.name = "a-name-that-is-longer-than-31-chars";
	REFUSED(tbx_police_add(&spec), "is not 1-31");
	spec.name = "two";
	spec.cgroup = "/nonexistent/cg";
	REFUSED(tbx_police_add(&spec), "/nonexistent/cg: not a directory");
	spec.cgroup = "/proc";
	REFUSED(tbx_police_add(&spec), "/proc is not a cgroup v2 directory");
	spec.kind = TBX_POLICE_DEV;
	spec.dev = "nosuchdev0";
	REFUSED(tbx_police_add(&spec), "no device \"nosuchdev0\"");
	spec.kind = TBX_POLICE_CGROUP;
	spec.cgroup = t.cg;
	tbx_profile_free(&p);
	profile("# period = 2\n0,0,0\n", &p);
	REFUSED(tbx_police_add(&spec), "carries nothing");
	w += sprintf(w, "# period = 100\n");
	for (int i = 0; i <= TBX_CURVE_SEGS_MAX; i++)
		w += sprintf(w, "%d,1000,0\n", i);
	profile(text, &big);
	spec.profile = &big;
	REFUSED(tbx_police_add(&spec), "65 rows; an enforced profile has at most 64");
	REFUSED(tbx_police_set_profile("one", &big, "big.csv"), "at most 64");
	REFUSED(tbx_police_set_profile("nobody", &p, "p.csv"), "no sender \"nobody\"");
	REFUSED(tbx_police_switch("nobody", true), "no sender \"nobody\"");
	REFUSED(tbx_police_del("nobody"), "no sender \"nobody\"");
	tbx_profile_free(&p);
	tbx_profile_free(&big);
	/* Still one sender, unchanged. */
	assert_int_equal(0, tbx_police_list(&all, &n));
	assert_int_equal(1, n);
	assert_string_equal("one", all[0].cfg.name);
	assert_int_equal(0, all[0].cfg.curve);
	free(all);
	get("one", &s);
	assert_true(s.curve.period_bits == 800000);
}

/* Four processes adding senders at once: each gets a slot of its own. */
static void test_concurrent_adds(void **state)
{
	struct tbx_police_sender *all;
	unsigned int n;
	bool seen[TBX_POLICE_SENDERS_MAX] = { 0 };

	for (int k = 0; k < 4; k++) {
		pid_t pid = fork();

		assert_true(pid >= 0);
		if (!pid) {
			char name[16];
			int bad = 0;

			for (int i = 0; i < 8; i++) {
				struct tbx_profile p;
				struct tbx_police_spec spec = {
					.name = name, .kind = TBX_POLICE_CGROUP, .cgroup = t.cg,
					.profile = &p, .profile_name = "slow.csv",
				};
				FILE *f = fmemopen((void *)slow, strlen(slow), "r");

				snprintf(name, sizeof(name), "p%d-%d", k, i);
				if (!f || tbx_profile_read(f, "slow.csv", &p)) {
					bad++;
					continue;
				}
				fclose(f);
				bad += tbx_police_add(&spec) != 0;
				tbx_profile_free(&p);
			}
			_exit(bad);
		}
	}
	for (int k = 0; k < 4; k++) {
		int st;

		assert_true(wait(&st) > 0);
		assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	assert_int_equal(0, tbx_police_list(&all, &n));
	assert_int_equal(32, n);
	for (unsigned int i = 0; i < n; i++) {
		assert_false(seen[all[i].slot]);
		seen[all[i].slot] = true;
	}
	free(all);
}

/* The last sender removed takes every pin with it. */
static void test_nothing_left(void **state)
{
	char tbx_dir[128];
	struct stat st;

	snprintf(tbx_dir, sizeof(tbx_dir), "%s/tbx", t.root);
	add("x1", TBX_POLICE_CGROUP, slow);
	add("x2", TBX_POLICE_DEV, fast);
	assert_int_equal(0, tbx_police_del("x1"));
	assert_int_equal(0, stat(tbx_dir, &st));
	assert_int_equal(0, tbx_police_del("x2"));
	assert_int_equal(-1, stat(tbx_dir, &st));
	assert_int_not_equal(0, sh("ip netns exec %s tc qdisc show dev " DEV " | grep -q clsact",
				   t.ns[NS_A]));
	tbx_err_clear();
	assert_true(tbx_police_del("x1") < 0);
	assert_non_null(strstr(tbx_errmsg(), "no senders"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_cgroup_eperm, reset, reset),
		cmocka_unit_test_setup_teardown(test_dev_drops, reset, reset),
		cmocka_unit_test_setup_teardown(test_swap_keeps_next_send, reset, reset),
		cmocka_unit_test_setup_teardown(test_off_and_on, reset, reset),
		cmocka_unit_test_setup_teardown(test_within_the_curve, reset, reset),
		cmocka_unit_test_setup_teardown(test_refusals, reset, reset),
		cmocka_unit_test_setup_teardown(test_concurrent_adds, reset, reset),
		cmocka_unit_test_setup_teardown(test_nothing_left, reset, reset),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
