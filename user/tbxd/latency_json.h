/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A set of latencies as the API shows them: {"n"} alone when empty, else
 * {"n", "p50_ms", "p99_ms", "max_ms"} (nearest rank). Shared by the
 * detector (high crossing to stop sent) and the push-back listener
 * (arrival to senders switched).
 */
#ifndef TBXD_LATENCY_JSON_H
#define TBXD_LATENCY_JSON_H

#include <stdint.h>
#include <jansson.h>

/* @ns is left as it is (a sorted copy is made); n at most 65536. */
json_t *tbxd_latency_json(const uint64_t *ns, unsigned int n);

#endif
