/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The tbx CLI: one noun per object, one file per noun. Each noun file
 * exports one `cmd_<noun>()` listed in the table in main.c.
 */
#ifndef TBX_CLI_H
#define TBX_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

/* Exit codes, as iproute2 uses them. */
enum {
	TBX_EXIT_OK = 0,
	TBX_EXIT_USAGE = 1,	/* the command line is wrong */
	TBX_EXIT_FAIL = 2,	/* the kernel or the daemon said no */
};

struct tbx_ctx {
	bool json;		/* -j: machine-readable output */
	bool pretty;		/* -p: indent the JSON */
	const char *sock;	/* tbxd's socket (-s), default TBXD_SOCK */
};

struct tbx_noun {
	const char *name;
	int (*run)(struct tbx_ctx *ctx, int argc, char **argv);
	const char *summary;	/* one line for `tbx help` */
};

/* Prints "Usage: ..." style errors on stderr and returns TBX_EXIT_USAGE. */
int tbx_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "Error: <libtbx's last message>" on stderr; returns TBX_EXIT_FAIL. */
int tbx_fail(void);
/* Prints a JSON value on stdout (with -p: indented) and frees it. */
void tbx_print_json(struct tbx_ctx *ctx, json_t *v);
/* True when arg matches the keyword or an unambiguous prefix of it (ip's matches()). */
bool tbx_matches(const char *arg, const char *keyword);

int cmd_help(struct tbx_ctx *ctx, int argc, char **argv);
int cmd_version(struct tbx_ctx *ctx, int argc, char **argv);
int cmd_info(struct tbx_ctx *ctx, int argc, char **argv);
int cmd_feature(struct tbx_ctx *ctx, int argc, char **argv);
int cmd_config(struct tbx_ctx *ctx, int argc, char **argv);
int cmd_monitor(struct tbx_ctx *ctx, int argc, char **argv);
int cmd_daemon(struct tbx_ctx *ctx, int argc, char **argv);
int cmd_meter(struct tbx_ctx *ctx, int argc, char **argv);
int cmd_run(struct tbx_ctx *ctx, int argc, char **argv);
int cmd_tap(struct tbx_ctx *ctx, int argc, char **argv);
int cmd_capture(struct tbx_ctx *ctx, int argc, char **argv);
int cmd_emulation(struct tbx_ctx *ctx, int argc, char **argv);
int cmd_cors2ascii(struct tbx_ctx *ctx, int argc, char **argv);
int cmd_distribution(struct tbx_ctx *ctx, int argc, char **argv);
int cmd_emulator(struct tbx_ctx *ctx, int argc, char **argv);
int cmd_record(struct tbx_ctx *ctx, int argc, char **argv);
/* Prints a distribution's or emulator's arguments (distribution.c). */
void tbx_emu_args_print(json_t *args);
int cmd_link(struct tbx_ctx *ctx, int argc, char **argv);
int cmd_topology(struct tbx_ctx *ctx, int argc, char **argv);
int cmd_usage(struct tbx_ctx *ctx, int argc, char **argv);
int cmd_profile(struct tbx_ctx *ctx, int argc, char **argv);
int cmd_enforce(struct tbx_ctx *ctx, int argc, char **argv);
int cmd_pushback(struct tbx_ctx *ctx, int argc, char **argv);
int cmd_detect(struct tbx_ctx *ctx, int argc, char **argv);

/*
 * Numbers in the largest unit that divides them exactly (fmt.c), as tc and
 * the CLI's own arguments write them: "30s", "256MiB", "10mbit".
 */
const char *tbx_fmt_duration(char *buf, size_t len, uint64_t ns);
const char *tbx_fmt_size(char *buf, size_t len, uint64_t bytes);
const char *tbx_fmt_bps(char *buf, size_t len, uint64_t bps);

/* A run as run.c shows it, for monitor.c's run events. */
struct tbx_run;
/* One line, with @event ("started") after the id when not NULL. */
void tbx_run_print_line(const struct tbx_run *r, const char *event);
json_t *tbx_run_json(const struct tbx_run *r);

#endif
