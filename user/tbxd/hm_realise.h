/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The hostmanager's objects in the kernel. Each call brings the kernel to
 * what the row records, making what is missing and adopting what exists,
 * so one call serves an action, a change, and reconciling after a crash.
 *   netns N            netns tbx-hmN (lo up when started), cgroup tbx/hm/N
 *                      with cpu.max and memory.max from cpus and ram
 *   netns_interface I  veth: its name inside tbx-hmP, tbxhmI in the root
 *                      namespace; up when its host is started
 *   bridge C           bridge tbxbrC holding both interfaces' tbxhm ends;
 *                      the tbx qdisc on each end's egress emulates the
 *                      direction towards that interface (_to: the lower id)
 */
#ifndef TBXD_HM_REALISE_H
#define TBXD_HM_REALISE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "hm_store.h"

void hm_netns_name(int64_t id, char *buf, size_t len);
void hm_cgroup_path(int64_t id, char *buf, size_t len);
void hm_outer_name(int64_t iface, char *buf, size_t len);
void hm_bridge_name(int64_t con, char *buf, size_t len);

/* The tbx qdisc's words for one direction ("to" or "from") of a bridge's
 * attributes; "" when that direction is not impaired.
 */
void hm_emulation_words(const json_t *attrs, const char *side, char *buf,
			size_t len);

int hm_realise_netns(const struct hm_obj *el);
/* @was: the attributes before a change (addresses to take away), or NULL. */
int hm_realise_iface(const struct hm_obj *ifc, const struct hm_obj *host,
		     const json_t *was);
/* @started: whether the host of each end (el[0], el[1]) is started. */
int hm_realise_bridge(const struct hm_obj *con, const bool started[2]);

/* Whether o's kernel objects exist (it has usage figures to read). */
bool hm_realised(const struct hm_obj *o);
/* Its name in the usage records: "hm:ID". */
void hm_usage_name(int64_t id, char *buf, size_t len);

/* Takes away what an element or connection made, whatever its state. */
int hm_unrealise(const struct hm_obj *o);

/* Kernel objects named like the hostmanager's whose id is not in @keep
 * (the element and connection ids of the rows), removed: what a crash left.
 */
void hm_remove_strays(const int64_t *elements, size_t n_el,
		      const int64_t *connections, size_t n_con);

#endif
