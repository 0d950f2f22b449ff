/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libtbx's error convention: functions return 0 or a negative errno and,
 * on failure, leave a message for the caller naming what was wrong
 * (the kernel's extack message, a file:line, an HTTP error body).
 */
#ifndef TBX_ERR_H
#define TBX_ERR_H

/* Sets the message of the last failure (thread-local); returns -err
 * when err > 0, else err, so `return tbx_err(EINVAL, "...")` reads well.
 * tbx_errmsg() may be one of the arguments (to prefix it).
 */
int tbx_err(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The message of the last failure, "" when none was set. */
const char *tbx_errmsg(void);
void tbx_err_clear(void);

#endif
