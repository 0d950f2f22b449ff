/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tbx.ko's module-wide limits: GET_CONFIG, SET_CONFIG and its event. */
#ifndef TBX_CONFIG_H
#define TBX_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include "nl.h"

struct tbx_config {
	uint32_t max_runs;
	uint32_t mem_guard_pct;
	bool events;
};

/* A change: only the fields marked set are sent. */
struct tbx_config_change {
	bool set_max_runs, set_mem_guard_pct, set_events;
	uint32_t max_runs;
	uint32_t mem_guard_pct;
	bool events;
};

int tbx_config_get(struct tbx_nl *nl, struct tbx_config *out);
int tbx_config_set(struct tbx_nl *nl, const struct tbx_config_change *chg);
/* Parses a GET_CONFIG reply or a CONFIG_NTF event. */
int tbx_config_parse(const struct nlmsghdr *nlh, struct tbx_config *out);
/* Builds SET_CONFIG's attributes into @nlh (exposed for tests). */
void tbx_config_put(struct nlmsghdr *nlh, const struct tbx_config_change *chg);

#endif
