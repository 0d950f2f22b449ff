// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tbx pushback stop|resume UUID...: one push-back message on CBSAT's
 * multicast group, as a CBSAT receiver sends it (or authenticated with a
 * shared key, user/lib/pushback.h), for experiments and for testing a
 * tbxd --pushback listener. Sends from the current network namespace.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "parse.h"
#include "pushback.h"
#include "tbx.h"

static void usage(FILE *f)
{
	fprintf(f, "Usage: tbx pushback (stop | resume) UUID... [dev DEV] [key FILE [from NAME] [seq N]]\n"
		"Sends one push-back message to %s:%d: \"UUID,1;\" (stop) or \"UUID,0;\"\n"
		"(resume) for each UUID, as CBSAT's receiver does. With key, it carries\n"
		"tbx's HMAC-SHA256 trailer (from NAME, default the host name; seq N,\n"
		"default the clock in microseconds). dev: the interface it leaves by.\n",
		TBX_PUSHBACK_GROUP, TBX_PUSHBACK_PORT);
}

static int send_message(const uint8_t *buf, int len, const char *dev)
{
	int fd, err = tbx_pushback_socket(dev, &fd);

	if (err)
		return err;
	err = tbx_pushback_send(fd, buf, len);
	close(fd);
	return err;
}

int cmd_pushback(struct tbx_ctx *ctx, int argc, char **argv)
{
	struct tbx_pushback m = { 0 };
	uint8_t key[256], buf[TBX_PUSHBACK_MAX];
	struct tbx_pushback_key k = { key, 0 };
	const char *dev = NULL, *from = NULL, *keyfile = NULL;
	bool stop, has_seq = false;
	int i, len;

	if (argc < 2 || !strcmp(argv[1], "help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? TBX_EXIT_USAGE : TBX_EXIT_OK;
	}
	if (strcmp(argv[1], "stop") && strcmp(argv[1], "resume"))
		return tbx_usage_error("pushback: \"%s\" is not stop or resume", argv[1]);
	stop = !strcmp(argv[1], "stop");
	for (i = 2; i < argc; i++) {
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(argv[i], "dev") || !strcmp(argv[i], "key") ||
		    !strcmp(argv[i], "from") || !strcmp(argv[i], "seq")) {
			if (!val)
				return tbx_usage_error("pushback: %s needs a value", argv[i]);
			if (!strcmp(argv[i], "dev"))
				dev = val;
			else if (!strcmp(argv[i], "key"))
				keyfile = val;
			else if (!strcmp(argv[i], "from"))
				from = val;
			else if (*val == '-' || tbx_parse_decimal(val, 1, &m.seq))
				return tbx_usage_error("pushback: seq \"%s\" is not a number", val);
			else
				has_seq = true;
			i++;
			continue;
		}
		if (m.n == TBX_PUSHBACK_ENTRIES)
			return tbx_usage_error("pushback: more than %d uuids", TBX_PUSHBACK_ENTRIES);
		if (argv[i][0] == '-' || tbx_parse_decimal(argv[i], 1, &m.e[m.n].uuid))
			return tbx_usage_error("pushback: uuid \"%s\" is not a non-negative integer",
					       argv[i]);
		m.e[m.n++].stop = stop;
	}
	if (!m.n)
		return tbx_usage_error("pushback: no UUID");
	if ((from || has_seq) && !keyfile)
		return tbx_usage_error("pushback: from and seq belong to an authenticated "
				       "message: give key FILE");
	if (keyfile) {
		if (tbx_pushback_key_load(keyfile, key, sizeof(key), &k.len))
			return tbx_fail();
		if (from)
			snprintf(m.from, sizeof(m.from), "%s", from);
		else if (gethostname(m.from, sizeof(m.from)))
			snprintf(m.from, sizeof(m.from), "tbx");
		m.from[sizeof(m.from) - 1] = '\0';
		if (!has_seq)
			m.seq = tbx_pushback_next_seq(0);
	}
	len = tbx_pushback_format(&m, &k, buf, sizeof(buf));
	if (len < 0 || send_message(buf, len, dev))
		return tbx_fail();
	if (ctx->json)
		tbx_print_json(ctx, json_pack("{s:i,s:b,s:I}", "bytes", len, "authenticated",
					      k.len > 0, "seq", (json_int_t)m.seq));
	return TBX_EXIT_OK;
}
