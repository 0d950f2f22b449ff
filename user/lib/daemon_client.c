// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A small HTTP/1.1 client for tbxd. Replies are read to EOF (we ask
 * for Connection: close) and must carry a Content-Length, which tbxd
 * always sends; chunked replies are refused rather than half-parsed.
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "daemon_client.h"
#include "err.h"

struct buf {
	char *data;
	size_t len, cap;
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int dial(const char *sock, int timeout_ms, int *out)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = timeout_ms / 1000 };
	int fd;

	if (!*sock || strlen(sock) >= sizeof(sun.sun_path))
		return tbx_err(ENAMETOOLONG, "bad tbxd socket path \"%s\"", sock);
	strcpy(sun.sun_path, sock);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return tbx_err(errno, "socket: %m");
	/* Bounds connect() on a full backlog and each send(). */
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		if (e == ENOENT || e == ECONNREFUSED)
			return tbx_err(e, "tbxd is not running: connect %s: %m", sock);
		if (e == EAGAIN || e == EINPROGRESS)
			return tbx_err(ETIMEDOUT, "tbxd is not answering: connect %s: timed out",
				       sock);
		return tbx_err(e, "cannot reach tbxd: connect %s: %m", sock);
	}
	*out = fd;
	return 0;
}

static int send_all(int fd, const char *p, size_t len, const char *sock,
		    int timeout_ms)
{
	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return tbx_err(ETIMEDOUT, "tbxd on %s did not take the request within %d ms",
				       sock, timeout_ms);
		if (n < 0)
			return tbx_err(errno, "send to tbxd on %s: %m", sock);
		p += n;
		len -= n;
	}
	return 0;
}

static int recv_all(int fd, struct buf *b, long long deadline,
		    const char *sock, int timeout_ms)
{
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		long long left = deadline - now_ms();
		ssize_t n;
		int ret;

		if (left <= 0)
			return tbx_err(ETIMEDOUT, "tbxd on %s did not answer within %d ms",
				       sock, timeout_ms);
		ret = poll(&pfd, 1, left);
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret < 0)
			return tbx_err(errno, "poll: %m");
		if (ret == 0)
			continue;	/* the deadline check reports it */
		if (b->cap - b->len < 4096) {
			size_t cap = b->cap ? 2 * b->cap : 8192;
			char *data;

			if (cap > TBXD_REPLY_MAX + 1)
				return tbx_err(EMSGSIZE, "reply from tbxd is larger than %d bytes",
					       TBXD_REPLY_MAX);
			data = realloc(b->data, cap);
			if (!data)
				return tbx_err(ENOMEM, "out of memory");
			b->data = data;
			b->cap = cap;
		}
		/* Keep one byte for the NUL that parse() relies on. */
		n = recv(fd, b->data + b->len, b->cap - b->len - 1, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return tbx_err(errno, "receive from tbxd on %s: %m", sock);
		if (n == 0)
			break;
		b->len += n;
	}
	if (!b->len)
		return tbx_err(EPROTO, "tbxd on %s closed the connection without answering",
			       sock);
	b->data[b->len] = '\0';
	return 0;
}

/* "HTTP/1.x NNN reason": *status = NNN. */
static int parse_status_line(const char *line, size_t len, long *status)
{
	const char *p = line + 9;

	if (len < 12 || strncmp(line, "HTTP/1.", 7) || line[7] < '0' ||
	    line[7] > '9' || line[8] != ' ' || p[0] < '1' || p[0] > '5' ||
	    p[1] < '0' || p[1] > '9' || p[2] < '0' || p[2] > '9' ||
	    (len > 12 && p[3] != ' '))
		return tbx_err(EPROTO, "malformed reply from tbxd: bad status line \"%.*s\"",
			       (int)(len > 80 ? 80 : len), line);
	*status = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
	return 0;
}

static bool header_is(const char *line, size_t len, const char *name,
		      const char **value)
{
	size_t n = strlen(name);

	if (len <= n || strncasecmp(line, name, n) || line[n] != ':')
		return false;
	*value = line + n + 1;
	while (*value < line + len && (**value == ' ' || **value == '\t'))
		(*value)++;
	return true;
}

static int parse(const struct buf *b, const char *method, long *status,
		 json_t **reply)
{
	const char *end = strstr(b->data, "\r\n\r\n");
	const char *line = b->data, *eol, *v, *body;
	long long clen = -1;
	size_t blen;
	json_error_t jerr;
	json_t *j;
	int err;

	if (!end)
		return tbx_err(EPROTO, "malformed reply from tbxd: no end of headers");
	eol = strstr(line, "\r\n");
	err = parse_status_line(line, eol - line, status);
	if (err)
		return err;
	for (line = eol + 2; line < end + 2; line = eol + 2) {
		eol = strstr(line, "\r\n");
		if (header_is(line, eol - line, "Content-Length", &v)) {
			char *e;

			clen = strtoll(v, &e, 10);
			if (e == v || e != eol || clen < 0)
				return tbx_err(EPROTO, "malformed reply from tbxd: bad Content-Length");
		} else if (header_is(line, eol - line, "Transfer-Encoding", &v)) {
			return tbx_err(EPROTO, "reply from tbxd uses Transfer-Encoding \"%.*s\", which this client does not read",
				       (int)(eol - v), v);
		}
	}
	body = end + 4;
	blen = b->len - (body - b->data);
	if (clen >= 0) {
		if ((size_t)clen > blen)
			return tbx_err(EPROTO, "reply from tbxd was cut short (%zu of %lld bytes)",
				       blen, clen);
		blen = clen;
	}
	if (!strcmp(method, "HEAD")) {
		*reply = json_object();
		return *reply ? 0 : tbx_err(ENOMEM, "out of memory");
	}
	j = json_loadb(body, blen, 0, &jerr);
	if (!j)
		return tbx_err(EPROTO, "malformed reply from tbxd (HTTP %ld): %s",
			       *status, jerr.text);
	if (!json_is_object(j)) {
		json_decref(j);
		return tbx_err(EPROTO, "reply from tbxd (HTTP %ld) is not a JSON object",
			       *status);
	}
	*reply = j;
	return 0;
}

/* Nothing in the request line may split it or start a header. */
static bool token_ok(const char *s, bool path)
{
	if (!*s || (path && *s != '/'))
		return false;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == 0x7f)
			return false;
	return true;
}

int tbxd_request(const char *sock, const char *method, const char *path,
		 const char *body, long *http_status, json_t **reply)
{
	return tbxd_request_within(sock, method, path, body, TBXD_TIMEOUT_MS,
				   http_status, reply);
}

int tbxd_request_within(const char *sock, const char *method, const char *path,
			const char *body, int timeout_ms, long *http_status,
			json_t **reply)
{
	long long deadline = now_ms() + timeout_ms;
	struct buf b = {};
	char *req = NULL;
	int fd = -1, err, n;

	*reply = NULL;
	if (!token_ok(method, false) || !token_ok(path, true))
		return tbx_err(EINVAL, "bad request line \"%s %s\"", method, path);
	if (body)
		n = asprintf(&req, "%s %s HTTP/1.1\r\nHost: tbxd\r\n"
			     "Connection: close\r\nAccept: application/json\r\n"
			     "Content-Type: application/json\r\n"
			     "Content-Length: %zu\r\n\r\n%s",
			     method, path, strlen(body), body);
	else
		n = asprintf(&req, "%s %s HTTP/1.1\r\nHost: tbxd\r\n"
			     "Connection: close\r\nAccept: application/json\r\n\r\n",
			     method, path);
	if (n < 0)
		return tbx_err(ENOMEM, "out of memory");
	err = dial(sock, timeout_ms, &fd);
	if (err)
		goto out;
	err = send_all(fd, req, n, sock, timeout_ms);
	if (!err)
		err = recv_all(fd, &b, deadline, sock, timeout_ms);
	if (!err)
		err = parse(&b, method, http_status, reply);
	close(fd);
out:
	free(b.data);
	free(req);
	return err;
}

static int status_errno(long status)
{
	switch (status) {
	case 400:
	case 422:
		return EINVAL;
	case 403:
		return EPERM;
	case 404:
		return ENOENT;
	case 405:
		return EOPNOTSUPP;
	case 409:
		return EEXIST;
	case 413:
		return EMSGSIZE;
	case 503:
		return EAGAIN;
	default:
		return EIO;
	}
}

int tbxd_call(const char *sock, const char *method, const char *path,
	      const char *body, json_t **reply)
{
	return tbxd_call_within(sock, method, path, body, TBXD_TIMEOUT_MS, reply);
}

int tbxd_call_within(const char *sock, const char *method, const char *path,
		     const char *body, int timeout_ms, json_t **reply)
{
	const char *msg;
	long status;
	json_t *r;
	int err;

	*reply = NULL;
	err = tbxd_request_within(sock, method, path, body, timeout_ms, &status, &r);
	if (err)
		return err;
	if (status >= 200 && status < 300) {
		*reply = r;
		return 0;
	}
	msg = json_string_value(json_object_get(r, "error"));
	if (msg)
		err = tbx_err(status_errno(status), "%s", msg);
	else
		err = tbx_err(status_errno(status), "tbxd answered HTTP %ld to %s %s",
			      status, method, path);
	json_decref(r);
	return err;
}

void tbxd_url_encode(const char *s, char *out, size_t len)
{
	size_t n = 0;

	for (; *s && n + 4 < len; s++) {
		unsigned char c = *s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-._~/", c))
			out[n++] = c;
		else
			n += snprintf(out + n, len - n, "%%%02X", c);
	}
	out[n] = '\0';
}
