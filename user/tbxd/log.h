/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tbxd logs one line per event on stderr; journald adds the time. */
#ifndef TBXD_LOG_H
#define TBXD_LOG_H

void tbxd_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
