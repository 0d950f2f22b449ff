// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Background tap sessions in tbxd, end to end on the host kernel: a real
 * tbxd_run() in a child process (in namespace b), a veth pair between
 * namespaces a and b (198.18.7.0/24, static neighbours, no IPv6, so only
 * the test's packets cross), sessions started and stopped over the API.
 *
 * - known UDP traffic a -> b through a session: the counters, then the
 *   flowtuple file read back with the Corsaro reader, tuple by tuple;
 *   DELETE leaves no pins and no tc filter;
 * - bad requests: 4xx naming the field, nothing started or pinned;
 * - SIGTERM ends every session cleanly (trailers written, pins, filter and
 *   the clsact qdisc it created gone), recorded as ended;
 * - a SIGKILLed tbxd's session is reaped by the next tbxd.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#include "corsaro/corsaro.h"
#include "daemon_client.h"
#include "err.h"
#include "meter.h"
#include "tbxd.h"
#include "bpf_test.h"
#include "../unit/tbxd_child.h"

#define DEV	"veth0"
#define ADDR_A	"198.18.7.1"
#define ADDR_B	"198.18.7.2"

static struct {
	char ns[2][32];
	char root[64];		/* private bpffs root for the pins */
	char dir[64];		/* state, socket, log, output files */
	char state[96], sock[96], log[96], out[96];
	int ns_fd[2];
	int orig_ns;
	pid_t tbxd;
} t = { .ns_fd = { -1, -1 }, .orig_ns = -1 };

enum { NS_A, NS_B };

static void cleanup(void)
{
	if (t.tbxd > 0) {
		kill(t.tbxd, SIGKILL);
		waitpid(t.tbxd, NULL, 0);
		t.tbxd = 0;
	}
	if (t.orig_ns >= 0)
		enter(t.orig_ns);
	netns_del_pair(t.ns, t.ns_fd);
	if (t.root[0])
		rm_tree(t.root);
	t.root[0] = '\0';
	if (t.dir[0])
		rm_tree(t.dir);
	t.dir[0] = '\0';
}

static int group_setup(void **state)
{
	if (geteuid()) {
		fprintf(stderr, "test_tapd: needs root (BPF, namespaces)\n");
		return -1;
	}
	atexit(cleanup);
	signal(SIGPIPE, SIG_IGN);
	t.orig_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	snprintf(t.ns[NS_A], sizeof(t.ns[NS_A]), "tbxtapd-%d-a", getpid());
	snprintf(t.ns[NS_B], sizeof(t.ns[NS_B]), "tbxtapd-%d-b", getpid());
	snprintf(t.root, sizeof(t.root), "%s/tbxtapd-%d", TBX_BPFFS_DEFAULT, getpid());
	snprintf(t.dir, sizeof(t.dir), "/tmp/tbxtapd-%d", getpid());
	snprintf(t.state, sizeof(t.state), "%s/state", t.dir);
	snprintf(t.sock, sizeof(t.sock), "%s/sock", t.dir);
	snprintf(t.log, sizeof(t.log), "%s/tbxd.log", t.dir);
	snprintf(t.out, sizeof(t.out), "%s/out", t.dir);
	/* tbxd (a child) inherits it: its pins stay out of everyone's way. */
	setenv(TBX_BPFFS_ENV, t.root, 1);
	if (mkdir(t.dir, 0700) || mkdir(t.out, 0700))
		goto fail;
	if (sh("ip netns add %s && ip netns add %s", t.ns[NS_A], t.ns[NS_B]))
		goto fail;
	for (int i = 0; i < 2; i++)
		if (sh("ip netns exec %s sysctl -qw net.ipv6.conf.all.disable_ipv6=1 "
		       "net.ipv6.conf.default.disable_ipv6=1", t.ns[i]))
			goto fail;
	if (sh("ip -n %s link add " DEV " address 02:00:00:00:07:01 type veth peer name "
	       DEV " address 02:00:00:00:07:02 netns %s", t.ns[NS_A], t.ns[NS_B]) ||
	    sh("ip -n %s addr add " ADDR_A "/24 dev " DEV " && ip -n %s link set " DEV " up"
	       " && ip -n %s neigh add " ADDR_B " lladdr 02:00:00:00:07:02 dev " DEV
	       " nud permanent", t.ns[NS_A], t.ns[NS_A], t.ns[NS_A]) ||
	    sh("ip -n %s addr add " ADDR_B "/24 dev " DEV " && ip -n %s link set " DEV " up"
	       " && ip -n %s neigh add " ADDR_A " lladdr 02:00:00:00:07:01 dev " DEV
	       " nud permanent", t.ns[NS_B], t.ns[NS_B], t.ns[NS_B]))
		goto fail;
	if (netns_open_pair(t.ns, t.ns_fd))
		goto fail;
	return 0;
fail:
	cleanup();
	return -1;
}

/* A failed test leaves its tbxd running: the next needs the socket. */
static int test_teardown(void **state)
{
	if (t.tbxd > 0) {
		kill(t.tbxd, SIGTERM);
		waitpid(t.tbxd, NULL, 0);
		t.tbxd = 0;
	}
	return 0;
}

static int group_teardown(void **state)
{
	cleanup();
	return 0;
}

/* ---- tbxd ------------------------------------------------------------ */

/* Starts tbxd in a child, in namespace b; returns once it serves. */
static void start_tbxd(void)
{
	t.tbxd = tbxd_child_start(t.state, t.sock, t.log, t.ns_fd[NS_B]);
}

/* Sends sig, waits; returns the exit status (or 128 + signal). */
static int stop_tbxd(int sig)
{
	int status;

	assert_int_equal(kill(t.tbxd, sig), 0);
	assert_int_equal(waitpid(t.tbxd, &status, 0), t.tbxd);
	t.tbxd = 0;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static long call(const char *method, const char *path, const char *body, json_t **reply)
{
	long status = 0;

	if (tbxd_request(t.sock, method, path, body, &status, reply))
		fail_msg("%s %s: %s", method, path, tbx_errmsg());
	return status;
}

static json_int_t counter(json_t *s, const char *name)
{
	return json_integer_value(json_object_get(json_object_get(s, "counters"), name));
}

/* POSTs a session on DEV writing into t.out with prefix @tag; its id. */
static json_int_t start_session(const char *tag, const char *extra)
{
	char body[512];
	json_t *r;
	json_int_t id;

	snprintf(body, sizeof(body), "{\"dev\":\"" DEV "\",\"interval\":1,"
		 "\"template\":\"%s/%s-%%P.cors\"%s}", t.out, tag, extra);
	assert_int_equal(call("POST", "/taps", body, &r), 201);
	assert_string_equal(json_string_value(json_object_get(r, "state")), "running");
	id = json_integer_value(json_object_get(r, "id"));
	assert_true(id > 0);
	json_decref(r);
	return id;
}

static bool tc_has(const char *what)
{
	return !sh("tc -n %s %s show dev " DEV " %s | grep -q %s", t.ns[NS_B],
		   strcmp(what, "clsact") ? "filter" : "qdisc",
		   strcmp(what, "clsact") ? "ingress" : "", what);
}

/* Pins left anywhere under the private root's tbx/tap. */
static int pinned_sessions(void)
{
	char dir[128];
	int n = 0;
	struct stat st;

	snprintf(dir, sizeof(dir), "%s/tbx/tap", t.root);
	if (stat(dir, &st))
		return 0;
	n = sh("test -z \"$(ls -A %s)\"", dir) ? 1 : 0;
	return n;
}

/* @n UDP datagrams a -> b from @sport, @payload bytes each. */
static void send_udp(int n, uint16_t sport, size_t payload)
{
	struct sockaddr_in src = { .sin_family = AF_INET, .sin_port = htons(sport) };
	struct sockaddr_in dst = { .sin_family = AF_INET, .sin_port = htons(9) };
	char buf[256] = { 0 };
	int fd;

	enter(t.ns_fd[NS_A]);
	inet_pton(AF_INET, ADDR_A, &src.sin_addr);
	inet_pton(AF_INET, ADDR_B, &dst.sin_addr);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&src, sizeof(src)), 0);
	for (int i = 0; i < n; i++)
		assert_int_equal(sendto(fd, buf, payload, 0, (struct sockaddr *)&dst,
					sizeof(dst)), (ssize_t)payload);
	close(fd);
	enter(t.orig_ns);
}

/* A Corsaro file as cors2ascii prints it. */
static char *ascii_of(const char *name)
{
	char path[160], *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	snprintf(path, sizeof(path), "%s/%s", t.out, name);
	assert_non_null(f);
	if (cors_to_ascii(path, f))
		fail_msg("%s: %s", path, tbx_errmsg());
	fclose(f);
	return text;
}

/* ---- tests ------------------------------------------------------------- */

static void session_counts_traffic(void **state)
{
	static const char sport_a[] = "|40000|9|17|64|0x00|38,";
	static const char sport_b[] = "|40001|9|17|64|0x00|48,";
	char cls[64] = "";
	json_int_t id;
	json_t *r;
	char *text, *line, *save;
	long a = 0, b = 0, others = 0;

	start_tbxd();
	id = start_session("run", ",\"monitor\":\"tapd\"");
	assert_true(tc_has("tap_tc"));
	assert_int_equal(pinned_sessions(), 1);
	send_udp(25, 40000, 10);	/* ip_len 38 */
	send_udp(10, 40001, 20);	/* ip_len 48 */

	assert_int_equal(call("GET", "/taps", NULL, &r), 200);
	assert_int_equal(json_array_size(json_object_get(r, "taps")), 1);
	json_decref(r);

	assert_int_equal(call("DELETE", "/taps/1", NULL, &r), 200);
	assert_int_equal(json_integer_value(json_object_get(r, "id")), id);
	assert_string_equal(json_string_value(json_object_get(r, "state")), "ended");
	assert_int_equal(counter(r, "ipv4"), 35);
	assert_int_equal(counter(r, "packets"), 35);
	assert_int_equal(counter(r, "overflow"), 0);
	json_decref(r);
	assert_false(tc_has("tap_tc"));
	assert_int_equal(pinned_sessions(), 0);
	/* A second DELETE: it has ended already. */
	assert_int_equal(call("DELETE", "/taps/1", NULL, &r), 409);
	json_decref(r);

	/* The tuples, as the Corsaro reader reads the file back. */
	text = ascii_of("run-flowtuple.cors");
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "START ", 6)) {
			sscanf(line + 6, "%63s", cls);
			continue;
		}
		if (!strchr(line, '|'))
			continue;
		assert_string_equal(cls, "flowtuple_other");
		if (!strncmp(line, ADDR_A "|" ADDR_B, strlen(ADDR_A "|" ADDR_B)) &&
		    strstr(line, sport_a))
			a += atol(strrchr(line, ',') + 1);
		else if (!strncmp(line, ADDR_A "|" ADDR_B, strlen(ADDR_A "|" ADDR_B)) &&
			 strstr(line, sport_b))
			b += atol(strrchr(line, ',') + 1);
		else
			others++;
	}
	free(text);
	assert_int_equal(a, 25);
	assert_int_equal(b, 10);
	assert_int_equal(others, 0);
	/* The trailer: 35 packets, none dropped. */
	text = ascii_of("run-global.cors");
	assert_non_null(strstr(text, "# CORSARO_PACKETCNT 35\n"));
	assert_non_null(strstr(text, "# CORSARO_DROPPEDCNT 0\n"));
	free(text);
	assert_int_equal(stop_tbxd(SIGTERM), 0);
}

static void bad_requests_refused(void **state)
{
	char body[512];
	static const struct {
		const char *body;	/* %s: the output directory */
		long status;
		const char *field;
	} bad[] = {
		{ "not json", 400, "body" },
		{ "[1]", 400, "body" },
		{ "{\"template\":\"%s/%%P\"}", 400, "dev" },
		{ "{\"dev\":\"nosuchdev0\",\"template\":\"%s/%%P\"}", 400, "dev" },
		{ "{\"dev\":\"a/b\",\"template\":\"%s/%%P\"}", 400, "dev" },
		{ "{\"dev\":\"" DEV "\"}", 400, "template" },
		{ "{\"dev\":\"" DEV "\",\"template\":\"rel/%%P\"}", 400, "template" },
		{ "{\"dev\":\"" DEV "\",\"template\":\"%s/nop\"}", 400, "template" },
		{ "{\"dev\":\"" DEV "\",\"template\":\"%s/nodir/%%P\"}", 400, "template" },
		{ "{\"dev\":\"" DEV "\",\"template\":\"%s/%%P\",\"interval\":0}", 400, "interval" },
		{ "{\"dev\":\"" DEV "\",\"template\":\"%s/%%P\",\"interval\":\"5\"}", 400, "interval" },
		{ "{\"dev\":\"" DEV "\",\"template\":\"%s/%%P\",\"plugins\":[\"pf\"]}", 400, "plugins" },
		{ "{\"dev\":\"" DEV "\",\"template\":\"%s/%%P\",\"plugins\":[]}", 400, "plugins" },
		{ "{\"dev\":\"" DEV "\",\"template\":\"%s/%%P\",\"mode\":\"hex\"}", 400, "mode" },
		{ "{\"dev\":\"" DEV "\",\"template\":\"%s/%%P\",\"dir\":\"up\"}", 400, "dir" },
		{ "{\"dev\":\"" DEV "\",\"template\":\"%s/%%P\",\"xdp\":true,\"dir\":\"both\"}", 400, "dir" },
		{ "{\"dev\":\"" DEV "\",\"template\":\"%s/%%P\",\"align\":1}", 400, "align" },
		{ "{\"dev\":\"" DEV "\",\"template\":\"%s/%%P\",\"ring_mb\":3}", 400, "ring_mb" },
		{ "{\"dev\":\"" DEV "\",\"template\":\"%s/%%P\",\"rotate\":-1}", 400, "rotate" },
		{ "{\"dev\":\"" DEV "\",\"template\":\"%s/%%P\",\"monitor\":\"\"}", 400, "monitor" },
		{ "{\"dev\":\"" DEV "\",\"template\":\"%s/%%P\",\"speed\":1}", 400, "speed" },
	};
	json_int_t id;
	json_t *r, *s;
	size_t i;

	start_tbxd();
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		snprintf(body, sizeof(body), bad[i].body, t.out);
#pragma GCC diagnostic pop
		assert_int_equal(call("POST", "/taps", body, &r), bad[i].status);
		if (strcmp(json_string_value(json_object_get(r, "field")) ?: "", bad[i].field))
			fail_msg("%s: field %s, wanted %s (%s)", body,
				 json_string_value(json_object_get(r, "field")), bad[i].field,
				 json_string_value(json_object_get(r, "error")));
		assert_non_null(strstr(json_string_value(json_object_get(r, "error")),
				       bad[i].field));
		json_decref(r);
	}
	/* Nothing started, pinned or attached. */
	assert_int_equal(call("GET", "/taps", NULL, &r), 200);
	json_array_foreach(json_object_get(r, "taps"), i, s)
		assert_string_equal(json_string_value(json_object_get(s, "state")), "ended");
	json_decref(r);
	assert_int_equal(pinned_sessions(), 0);
	assert_false(tc_has("tap_tc"));
	/* Ids that are not there, or not ids. */
	assert_int_equal(call("GET", "/taps/99", NULL, &r), 404);
	json_decref(r);
	assert_int_equal(call("DELETE", "/taps/99", NULL, &r), 404);
	json_decref(r);
	assert_int_equal(call("GET", "/taps/x1", NULL, &r), 400);
	json_decref(r);
	/* One session per device: the second is refused, the first runs on. */
	id = start_session("busy", ",\"monitor\":null");
	assert_int_equal(call("POST", "/taps", "{\"dev\":\"" DEV "\",\"template\":\"/tmp/%P\"}",
			      &r), 409);
	assert_string_equal(json_string_value(json_object_get(r, "field")), "dev");
	json_decref(r);
	snprintf(body, sizeof(body), "/taps/%lld", (long long)id);
	assert_int_equal(call("GET", body, NULL, &r), 200);
	assert_string_equal(json_string_value(json_object_get(r, "state")), "running");
	json_decref(r);
	assert_int_equal(call("DELETE", body, NULL, &r), 200);
	json_decref(r);
	assert_int_equal(stop_tbxd(SIGTERM), 0);
}

static void stop_ends_sessions(void **state)
{
	char path[64], *text;
	json_int_t id;
	json_t *r;

	assert_false(tc_has("clsact"));
	start_tbxd();
	id = start_session("term", "");
	assert_true(tc_has("tap_tc"));
	assert_true(tc_has("clsact"));
	send_udp(7, 40002, 0);
	assert_int_equal(stop_tbxd(SIGTERM), 0);
	/* Pins, filter and the clsact qdisc it created: gone. */
	assert_int_equal(pinned_sessions(), 0);
	assert_false(tc_has("tap_tc"));
	assert_false(tc_has("clsact"));
	text = ascii_of("term-global.cors");
	assert_non_null(strstr(text, "# CORSARO_PACKETCNT 7\n"));
	free(text);
	/* Recorded as ended, with its counters. */
	start_tbxd();
	snprintf(path, sizeof(path), "/taps/%lld", (long long)id);
	assert_int_equal(call("GET", path, NULL, &r), 200);
	assert_string_equal(json_string_value(json_object_get(r, "state")), "ended");
	assert_string_equal(json_string_value(json_object_get(r, "message")), "tbxd stopped");
	assert_int_equal(counter(r, "ipv4"), 7);
	json_decref(r);
	assert_int_equal(stop_tbxd(SIGTERM), 0);
}

static void killed_tbxd_reaped(void **state)
{
	char path[64];
	json_int_t id;
	json_t *r;

	start_tbxd();
	id = start_session("kill", "");
	assert_int_equal(stop_tbxd(SIGKILL), 128 + SIGKILL);
	/* Left behind, still counting. */
	assert_int_equal(pinned_sessions(), 1);
	assert_true(tc_has("tap_tc"));
	start_tbxd();
	assert_int_equal(pinned_sessions(), 0);
	assert_false(tc_has("tap_tc"));
	snprintf(path, sizeof(path), "/taps/%lld", (long long)id);
	assert_int_equal(call("GET", path, NULL, &r), 200);
	assert_string_equal(json_string_value(json_object_get(r, "state")), "ended");
	assert_non_null(strstr(json_string_value(json_object_get(r, "message")), "removed"));
	json_decref(r);
	/* The device is free again. */
	id = start_session("again", "");
	snprintf(path, sizeof(path), "/taps/%lld", (long long)id);
	assert_int_equal(call("DELETE", path, NULL, &r), 200);
	json_decref(r);
	assert_int_equal(stop_tbxd(SIGTERM), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(session_counts_traffic, test_teardown),
		cmocka_unit_test_teardown(bad_requests_refused, test_teardown),
		cmocka_unit_test_teardown(stop_ends_sessions, test_teardown),
		cmocka_unit_test_teardown(killed_tbxd_reaped, test_teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
