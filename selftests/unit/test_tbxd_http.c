// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tbxd end to end: a real tbxd_run() in a child process, on a socket and
 * a state directory inside a fresh mkdtemp directory, talked to through
 * daemon_client. Readiness comes from tbxd's ready_fd, never a sleep.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "tmpdir.h"

#include "api.h"
#include "daemon_client.h"
#include "err.h"
#include "state.h"
#include "tbxd.h"
#include "tbxd_child.h"

struct fix {
	char dir[64];
	char sock[128];
	char state[128];
	char log[128];
	pid_t pid;		/* the tbxd child, 0 when none */
	pid_t server;		/* a fake server child, 0 when none */
};

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	if (tmpdir_make(f->dir, sizeof(f->dir), "tbxd-http-test")) {
		free(f);
		return -1;
	}
	snprintf(f->sock, sizeof(f->sock), "%s/tbxd.sock", f->dir);
	snprintf(f->state, sizeof(f->state), "%s/state", f->dir);
	snprintf(f->log, sizeof(f->log), "%s/tbxd.log", f->dir);
	*state = f;
	return 0;
}

/* Runs whether the test passed or not: no child, no file outlives it. */
static int teardown(void **state)
{
	struct fix *f = *state;

	/* SIGTERM, so every test also runs tbxd's shutdown (and valgrind
	 * sees each child's heap at a clean exit).
	 */
	tbxd_child_reap(&f->pid, SIGTERM);
	tbxd_child_reap(&f->server, SIGKILL);
	tmpdir_remove(f->dir);
	free(f);
	return 0;
}

/* Starts tbxd in a child; returns once it serves. */
static void start_tbxd(struct fix *f)
{
	f->pid = tbxd_child_start(f->state, f->sock, f->log, -1);
}

static int stop_tbxd(struct fix *f)
{
	int status;

	assert_int_equal(kill(f->pid, SIGTERM), 0);
	assert_int_equal(waitpid(f->pid, &status, 0), f->pid);
	f->pid = 0;
	return status;
}

static bool log_has(struct fix *f, const char *what)
{
	char buf[8192];
	int fd = open(f->log, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return false;
	buf[n] = '\0';
	return strstr(buf, what);
}

static json_t *get(struct fix *f, const char *method, const char *path,
		   long expect)
{
	long status = 0;
	json_t *reply = NULL;

	if (tbxd_request(f->sock, method, path, NULL, &status, &reply))
		fail_msg("%s %s: %s", method, path, tbx_errmsg());
	assert_int_equal(status, expect);
	assert_true(json_is_object(reply));
	return reply;
}

static int dial(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	/* Only so a broken tbxd fails the test instead of hanging it. */
	struct timeval tv = { .tv_sec = 60 };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	strcpy(sun.sun_path, path);
	assert_int_equal(connect(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

static void send_str(int fd, const char *s, size_t len)
{
	while (len) {
		ssize_t n = send(fd, s, len, MSG_NOSIGNAL);

		assert_true(n > 0);
		s += n;
		len -= n;
	}
}

/* The whole reply to a raw request, for what daemon_client hides. */
static char *raw(struct fix *f, const char *req)
{
	static char buf[65536];
	size_t len = 0;
	ssize_t n;
	int fd = dial(f->sock);

	send_str(fd, req, strlen(req));
	while ((n = recv(fd, buf + len, sizeof(buf) - 1 - len, 0)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	return buf;
}

static void test_health(void **state)
{
	struct fix *f = *state;
	char db[192];
	struct stat st;
	struct tm tm = {};
	const char *at, *end;
	json_t *h;

	start_tbxd(f);
	h = get(f, "GET", "/health", 200);
	snprintf(db, sizeof(db), "%s/tbxd.db", f->state);
	assert_string_equal(json_string_value(json_object_get(h, "status")), "ok");
	assert_string_equal(json_string_value(json_object_get(h, "version")),
			    TBX_VERSION);
	assert_int_equal(json_integer_value(json_object_get(h, "pid")), f->pid);
	assert_true(json_is_integer(json_object_get(h, "uptime_s")));
	assert_true(json_integer_value(json_object_get(h, "uptime_s")) >= 0);
	at = json_string_value(json_object_get(h, "started_at"));
	assert_non_null(at);
	end = strptime(at, "%Y-%m-%dT%H:%M:%SZ", &tm);
	assert_true(end && !*end);
	assert_string_equal(json_string_value(json_object_get(h, "state_db")), db);
	assert_int_equal(json_integer_value(json_object_get(h, "schema_version")),
			 tbxd_schema_version);
	assert_int_equal(json_integer_value(json_object_get(h, "starts")), 1);
	/* no --hostmanager: off */
	assert_true(json_is_null(json_object_get(h, "hostmanager")));
	json_decref(h);

	assert_int_equal(stat(f->sock, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0660);
	assert_int_equal(stat(f->state, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0750);
	assert_true(log_has(f, "tbxd: started"));
}

static void test_headers(void **state)
{
	struct fix *f = *state;
	char *r;

	start_tbxd(f);
	r = raw(f, "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
	assert_non_null(strstr(r, "HTTP/1.1 200 "));
	assert_non_null(strcasestr(r, "\r\nContent-Type: application/json\r\n"));
	assert_non_null(strcasestr(r, "\r\nContent-Length: "));
	assert_null(strcasestr(r, "Transfer-Encoding"));
	/* HEAD: the same headers, no body. */
	r = raw(f, "HEAD /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
	assert_non_null(strstr(r, "HTTP/1.1 200 "));
	assert_string_equal(strstr(r, "\r\n\r\n"), "\r\n\r\n");
}

static void test_not_found(void **state)
{
	struct fix *f = *state;
	json_t *r;

	start_tbxd(f);
	r = get(f, "GET", "/nope", 404);
	assert_string_equal(json_string_value(json_object_get(r, "error")),
			    "no such endpoint: /nope");
	json_decref(r);
	/* The same through tbxd_call(): an errno and tbxd's message. */
	assert_int_equal(tbxd_call(f->sock, "GET", "/nope", NULL, &r), -ENOENT);
	assert_null(r);
	assert_string_equal(tbx_errmsg(), "no such endpoint: /nope");
	assert_non_null(strstr(raw(f, "GET /nope HTTP/1.1\r\nHost: x\r\n"
				   "Connection: close\r\n\r\n"),
			       "application/json"));
}

static void test_method_not_allowed(void **state)
{
	struct fix *f = *state;
	json_t *r;
	char *s;

	start_tbxd(f);
	r = get(f, "DELETE", "/health", 405);
	assert_non_null(strstr(json_string_value(json_object_get(r, "error")),
			       "DELETE not allowed on /health"));
	json_decref(r);
	s = raw(f, "POST /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
		   "Content-Length: 2\r\n\r\n{}");
	assert_non_null(strstr(s, "HTTP/1.1 405 "));
	assert_non_null(strcasestr(s, "\r\nAllow: GET, HEAD\r\n"));
	assert_non_null(strcasestr(s, "\r\nContent-Type: application/json\r\n"));
}

static void test_body_too_large(void **state)
{
	struct fix *f = *state;
	static char chunk[65536];
	char hdr[32];
	char *s;
	int fd;

	start_tbxd(f);
	/* Declared too large: refused before any of it is read. */
	s = raw(f, "POST /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
		   "Content-Length: 1048577\r\n\r\n");
	assert_non_null(strstr(s, "HTTP/1.1 413 "));
	assert_non_null(strstr(s, "{\"error\":\"request body larger than"));

	/* Chunked, no length: read and dropped, then refused. */
	fd = dial(f->sock);
	s = "POST /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n";
	send_str(fd, s, strlen(s));
	memset(chunk, 'x', sizeof(chunk));
	snprintf(hdr, sizeof(hdr), "%zx\r\n", sizeof(chunk));
	for (int i = 0; i <= (1 << 20) / (int)sizeof(chunk); i++) {
		send_str(fd, hdr, strlen(hdr));
		send_str(fd, chunk, sizeof(chunk));
		send_str(fd, "\r\n", 2);
	}
	send_str(fd, "0\r\n\r\n", 5);
	{
		static char buf[4096];
		size_t len = 0;
		ssize_t n;

		while ((n = recv(fd, buf + len, sizeof(buf) - 1 - len, 0)) > 0)
			len += n;
		buf[len] = '\0';
		assert_non_null(strstr(buf, "HTTP/1.1 413 "));
	}
	close(fd);
	/* And tbxd still serves. */
	json_decref(get(f, "GET", "/health", 200));
}

static void test_second_tbxd_refused(void **state)
{
	struct fix *f = *state;
	char other[192];
	struct tbxd_config cfg = { .sock_path = f->sock, .ready_fd = -1 };
	struct stat st;

	start_tbxd(f);
	snprintf(other, sizeof(other), "%s/other-state", f->dir);
	cfg.state_dir = other;
	/* In this process: it must fail before it blocks in its loop. */
	assert_int_equal(tbxd_run(&cfg), -EADDRINUSE);
	assert_non_null(strstr(tbx_errmsg(), "already serving"));
	assert_non_null(strstr(tbx_errmsg(), f->sock));
	assert_int_equal(stat(other, &st), -1);	/* touched nothing */
	json_decref(get(f, "GET", "/health", 200));
}

static void test_stale_socket_replaced(void **state)
{
	struct fix *f = *state;
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	json_t *h;

	/* What a killed tbxd leaves: a socket file nobody listens on. */
	strcpy(sun.sun_path, f->sock);
	assert_int_equal(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	close(fd);
	start_tbxd(f);
	assert_true(log_has(f, "removed stale socket"));
	h = get(f, "GET", "/health", 200);
	assert_int_equal(json_integer_value(json_object_get(h, "pid")), f->pid);
	json_decref(h);
}

static void test_non_socket_kept(void **state)
{
	struct fix *f = *state;
	struct tbxd_config cfg = {
		.state_dir = f->state, .sock_path = f->sock, .ready_fd = -1,
	};
	struct stat st;
	int fd = open(f->sock, O_WRONLY | O_CREAT | O_EXCL, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, "keep", 4), 4);
	close(fd);
	assert_int_equal(tbxd_run(&cfg), -EEXIST);
	assert_non_null(strstr(tbx_errmsg(), "is not a socket"));
	assert_int_equal(stat(f->sock, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_size, 4);
}

static void test_sigterm(void **state)
{
	struct fix *f = *state;
	struct stat st;
	json_t *r = NULL;
	long status;
	int ws;

	start_tbxd(f);
	json_decref(get(f, "GET", "/health", 200));
	ws = stop_tbxd(f);
	assert_true(WIFEXITED(ws));
	assert_int_equal(WEXITSTATUS(ws), 0);
	assert_int_equal(lstat(f->sock, &st), -1);
	assert_int_equal(errno, ENOENT);
	assert_true(log_has(f, "tbxd: stopping on SIGTERM"));
	assert_true(log_has(f, "tbxd: stopped"));
	assert_int_equal(tbxd_request(f->sock, "GET", "/health", NULL, &status, &r),
			 -ENOENT);
	assert_null(r);
	assert_non_null(strstr(tbx_errmsg(), "tbxd is not running: connect "));
	assert_non_null(strstr(tbx_errmsg(), "No such file or directory"));
}

static void test_restart_counts_starts(void **state)
{
	struct fix *f = *state;
	json_t *h;

	start_tbxd(f);
	assert_int_equal(stop_tbxd(f), 0);
	start_tbxd(f);
	h = get(f, "GET", "/health", 200);
	assert_int_equal(json_integer_value(json_object_get(h, "starts")), 2);
	json_decref(h);
}

/* A fake tbxd that answers one connection with reply. */
static void fake_server(struct fix *f, const char *reply)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	strcpy(sun.sun_path, f->sock);
	assert_int_equal(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	assert_int_equal(listen(fd, 1), 0);
	fflush(NULL);
	f->server = fork();
	assert_true(f->server >= 0);
	if (f->server == 0) {
		char buf[4096];
		int c;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		c = accept(fd, NULL, NULL);
		/* The request has no body: read up to its blank line. */
		for (size_t len = 0; len < sizeof(buf) - 1;) {
			ssize_t n = read(c, buf + len, sizeof(buf) - 1 - len);

			if (n <= 0)
				break;
			len += n;
			buf[len] = '\0';
			if (strstr(buf, "\r\n\r\n"))
				break;
		}
		if (write(c, reply, strlen(reply)) < 0)
			_exit(1);
		_exit(0);
	}
	close(fd);
}

static void expect_bad_reply(struct fix *f, const char *reply,
			     const char *msg)
{
	json_t *r = NULL;
	long status;

	fake_server(f, reply);
	assert_int_equal(tbxd_request(f->sock, "GET", "/health", NULL, &status, &r),
			 -EPROTO);
	assert_null(r);
	if (!strstr(tbx_errmsg(), msg))
		fail_msg("\"%s\" does not say \"%s\"", tbx_errmsg(), msg);
	tbxd_child_reap(&f->server, SIGKILL);
	unlink(f->sock);
}

static void test_client_validates(void **state)
{
	struct fix *f = *state;

	expect_bad_reply(f, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n[1,2]",
			 "not a JSON object");
	expect_bad_reply(f, "SMTP ready\r\n\r\n{}", "bad status line");
	expect_bad_reply(f, "HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n{}",
			 "cut short");
	expect_bad_reply(f, "HTTP/1.1 200 OK\r\n\r\n{\"a\":", "malformed reply");
	expect_bad_reply(f, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
			    "2\r\n{}\r\n0\r\n\r\n", "Transfer-Encoding");
	expect_bad_reply(f, "", "without answering");
}

static void test_client_reads_to_eof(void **state)
{
	struct fix *f = *state;
	json_t *r = NULL;
	long status = 0;

	/* No Content-Length: the body ends with the connection. */
	fake_server(f, "HTTP/1.0 503 Busy\r\nContent-Type: application/json\r\n"
		       "\r\n{\"error\":\"busy\"}");
	assert_int_equal(tbxd_request(f->sock, "GET", "/x", NULL, &status, &r), 0);
	assert_int_equal(status, 503);
	assert_string_equal(json_string_value(json_object_get(r, "error")), "busy");
	json_decref(r);
}

static void test_client_bad_args(void **state)
{
	struct fix *f = *state;
	json_t *r = NULL;
	long status;

	assert_int_equal(tbxd_request(f->sock, "GET", "/a b", NULL, &status, &r),
			 -EINVAL);
	assert_int_equal(tbxd_request(f->sock, "GET\r\nX:", "/", NULL, &status, &r),
			 -EINVAL);
	assert_int_equal(tbxd_request(f->sock, "GET", "health", NULL, &status, &r),
			 -EINVAL);
	assert_null(r);
}

static unsigned int echo(struct tbxd_request *req, json_t **reply)
{
	*reply = json_pack("{s:s%}", "body", req->body, req->body_len);
	return 201;
}

static const struct tbxd_route echo_routes[] = {
	{ "POST", "/echo", echo },
	{ "PUT", "/echo", echo },
};

static const struct tbxd_routes echo_table = TBXD_ROUTES("echo", echo_routes);

/* The registry a later module's table goes through. */
static void test_route_tables(void **state)
{
	struct tbxd_request req = { .method = "POST", .path = "/echo",
				    .body = "{}", .body_len = 2 };
	struct tbxd_response resp;
	struct tbxd_api *api;

	assert_int_equal(tbxd_api_new(&api), 0);
	assert_int_equal(tbxd_api_add(api, &echo_table), 0);
	assert_int_equal(tbxd_api_add(api, &echo_table), -EEXIST);
	assert_non_null(strstr(tbx_errmsg(), "POST /echo is already routed"));

	tbxd_api_dispatch(api, &req, &resp);
	assert_int_equal(resp.status, 201);
	assert_string_equal(json_string_value(json_object_get(resp.body, "body")),
			    "{}");
	json_decref(resp.body);

	req.method = "GET";
	tbxd_api_dispatch(api, &req, &resp);
	assert_int_equal(resp.status, 405);
	assert_string_equal(resp.allow, "POST, PUT");
	json_decref(resp.body);

	req.method = "HEAD";
	req.path = "/health/";
	tbxd_api_dispatch(api, &req, &resp);
	assert_int_equal(resp.status, 404);
	assert_string_equal(resp.allow, "");
	json_decref(resp.body);
	tbxd_api_free(api);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_health, setup, teardown),
		cmocka_unit_test_setup_teardown(test_headers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_found, setup, teardown),
		cmocka_unit_test_setup_teardown(test_method_not_allowed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_body_too_large, setup, teardown),
		cmocka_unit_test_setup_teardown(test_second_tbxd_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_socket_replaced, setup, teardown),
		cmocka_unit_test_setup_teardown(test_non_socket_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sigterm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restart_counts_starts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_client_validates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_client_reads_to_eof, setup, teardown),
		cmocka_unit_test_setup_teardown(test_client_bad_args, setup, teardown),
		cmocka_unit_test(test_route_tables),
	};

	/* A client hanging up on a fake server must not kill the test. */
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
