/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * io runs, done by tbxd itself (the kernel module has no io kind): one
 * thread writes a file with O_DIRECT at the requested rate and reads each
 * block back, in a directory the user chose, until the duration runs out;
 * the file is removed afterwards. The thread never touches tbxd's state:
 * it reports through an eventfd on tbxd's loop, and done() runs there.
 */
#ifndef TBXD_IO_RUN_H
#define TBXD_IO_RUN_H

#include <stddef.h>
#include <stdint.h>

#define IO_RUN_FILE_MAX		(64ULL << 20)	/* bytes, then it wraps */

struct io_run;
struct tbxd_loop;

typedef void (*io_run_done_fn)(struct io_run *io, void *arg);

/*
 * Starts writing @mib_s MiB/s (and reading it back) into "<dir>/<tag>.io"
 * for @duration_ns in blocks of @block bytes (0: about a tenth of a
 * second's worth, at most 1 MiB), sleeping @sleep_ms between blocks
 * (COCOMA's ioSleep).
 * Fails at once when the file cannot be made or O_DIRECT is refused.
 */
int io_run_start(struct tbxd_loop *loop, const char *dir, const char *tag,
		 double mib_s, size_t block, unsigned int sleep_ms,
		 uint64_t duration_ns,
		 io_run_done_fn done, void *arg, struct io_run **out);
/* After done(): 0 or the failure, with its message in @msg. */
int io_run_result(const struct io_run *io, char *msg, size_t len,
		  uint64_t *written, uint64_t *read);
/* Stops it if still going (done() is not called), removes its file. */
void io_run_free(struct io_run *io);
/* Removes a file an earlier tbxd left behind for @tag. */
void io_run_remove_leftover(const char *dir, const char *tag);

#endif
