// SPDX-License-Identifier: GPL-2.0-or-later
/* tbxd: options, then tbxd_run(). It runs in the foreground, as systemd
 * expects, and logs to stderr.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "accounting.h"
#include "daemon_client.h"
#include "err.h"
#include "log.h"
#include "tbxd.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: tbxd [--state-dir DIR] [--socket PATH] [--io-dir DIR]\n"
		"  --state-dir DIR  state directory, holds tbxd.db (default %s)\n"
		"  --socket PATH    the API's UNIX socket (default %s)\n"
		"  --io-dir DIR     where emulations' io runs write (default STATE-DIR/io)\n"
		"  --accounting-interval SECS\n"
		"                   seconds between usage records (default %d;\n"
		"                   0: only when asked, tbx usage record)\n"
		"  --hostmanager ADDR:PORT\n"
		"                   serve ToMaTo's hostmanager XML-RPC API over HTTPS\n"
		"                   (ToMaTo's port is 8000); needs the three below\n"
		"  --hostmanager-cert FILE, --hostmanager-key FILE\n"
		"                   the server's certificate and key (PEM)\n"
		"  --hostmanager-ca FILE\n"
		"                   the CA signing clients' certificates; a client's\n"
		"                   common name is the owner of what it creates\n"
		"  --pushback DEV   receive CBSAT's push-back messages (224.0.0.251:12345)\n"
		"                   on DEV (or any) and switch this host's enforced\n"
		"                   senders (tbx enforce) off and on by uuid\n"
		"  --pushback-key FILE\n"
		"                   accept only messages authenticated with this shared\n"
		"                   key (HMAC-SHA256, fresh seq); without it CBSAT's\n"
		"                   plain messages are accepted. Detectors (tbx detect)\n"
		"                   sign the messages they send with it\n"
		"  --help           this text\n"
		"  --version        print the version\n",
		TBXD_STATE_DIR, TBXD_SOCK, TBXD_ACCOUNTING_INTERVAL_S);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "state-dir",	required_argument,	NULL, 'd' },
		{ "socket",	required_argument,	NULL, 's' },
		{ "io-dir",	required_argument,	NULL, 'i' },
		{ "accounting-interval", required_argument, NULL, 'a' },
		{ "hostmanager", required_argument,	NULL, 'H' },
		{ "hostmanager-cert", required_argument, NULL, 'C' },
		{ "hostmanager-key", required_argument,	NULL, 'K' },
		{ "hostmanager-ca", required_argument,	NULL, 'A' },
		{ "pushback",	required_argument,	NULL, 'P' },
		{ "pushback-key", required_argument,	NULL, 'k' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "version",	no_argument,		NULL, 'V' },
		{}
	};
	struct tbxd_config cfg = {
		.state_dir = TBXD_STATE_DIR,
		.sock_path = TBXD_SOCK,
		.ready_fd = -1,
		.accounting_interval_s = TBXD_ACCOUNTING_INTERVAL_S,
	};
	unsigned long secs;
	char *end;
	int opt;

	while ((opt = getopt_long(argc, argv, "d:s:i:a:H:C:K:A:P:k:hV", opts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			cfg.state_dir = optarg;
			break;
		case 's':
			cfg.sock_path = optarg;
			break;
		case 'i':
			cfg.io_dir = optarg;
			break;
		case 'a':
			errno = 0;
			secs = strtoul(optarg, &end, 10);
			if (errno || end == optarg || *end || optarg[0] == '-' || secs > 86400) {
				fprintf(stderr, "tbxd: --accounting-interval \"%s\": not a number"
					" of seconds from 0 to 86400\n", optarg);
				return 1;
			}
			cfg.accounting_interval_s = (unsigned int)secs;
			break;
		case 'H':
			cfg.hm_listen = optarg;
			break;
		case 'C':
			cfg.hm_cert = optarg;
			break;
		case 'K':
			cfg.hm_key = optarg;
			break;
		case 'A':
			cfg.hm_ca = optarg;
			break;
		case 'P':
			cfg.pushback = optarg;
			break;
		case 'k':
			cfg.pushback_key = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("tbxd %s\n", TBX_VERSION);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "tbxd: unexpected argument \"%s\"\n", argv[optind]);
		usage(stderr);
		return 1;
	}
	/* A client that hangs up must not kill the daemon. */
	signal(SIGPIPE, SIG_IGN);
	if (tbxd_run(&cfg)) {
		tbxd_log("%s", tbx_errmsg());
		return 1;
	}
	return 0;
}
