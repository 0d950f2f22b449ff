/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Profile enforcement's user side (bpf/police.bpf.c, include/tbx/police.h):
 * add a sender (a cgroup or a device's egress) held to a profile, swap its
 * profile, switch it off and on (push-back), read its counts, remove it.
 * Everything goes through pins under <bpffs>/tbx/police/, so no process
 * stays alive between the steps:
 *
 *   config, state, curves     the maps every sender's program shares
 *   senders/NAME/prog         the sender's program
 *   senders/NAME/link         its cgroup link (cgroup senders)
 *
 * Senders are named [A-Za-z0-9_.-]{1,31}; a device has at most one.
 */
#ifndef TBX_POLICE_USER_H
#define TBX_POLICE_USER_H

#include <stdbool.h>
#include <stdint.h>

#include "tbx/police.h"

#define TBX_POLICE_TC_HANDLE	0x706c	/* "pl" */
#define TBX_POLICE_TC_PRIO	1

struct tbx_profile;

struct tbx_police_spec {
	const char *name;
	enum tbx_police_kind kind;
	const char *cgroup;	/* TBX_POLICE_CGROUP: a cgroup v2 directory */
	const char *dev;	/* TBX_POLICE_DEV: a device in this namespace */
	const struct tbx_profile *profile;
	const char *profile_name;	/* for messages: the file */
};

/* One sender as the maps hold it. */
struct tbx_police_sender {
	uint32_t slot;
	struct tbx_police_config cfg;
	struct tbx_police_state st;
	struct tbx_curve curve;		/* the live one */
};

/*
 * Holds a sender to its profile from now (phase 0 is the profile's
 * "# start" when it has one, else now). All or nothing: on error no pin,
 * program or filter is left and the maps' slot is free again.
 */
int tbx_police_add(const struct tbx_police_spec *spec);
/* Replaces a sender's profile in one step; its next send time is kept. */
int tbx_police_set_profile(const char *name, const struct tbx_profile *p,
			   const char *profile_name);
/* Push-back: @off refuses every packet of the sender until switched on. */
int tbx_police_switch(const char *name, bool off);
/* Push-back by the profile's uuid; the number of senders switched. */
int tbx_police_switch_uuid(uint64_t uuid, bool off, unsigned int *n);
int tbx_police_get(const char *name, struct tbx_police_sender *out);
/* Every sender, in slot order, into a malloc'ed array. */
int tbx_police_list(struct tbx_police_sender **out, unsigned int *n);
/* Detaches and forgets a sender; the last one takes the shared maps too. */
int tbx_police_del(const char *name);
/* Monotonic now, the clock of next_send_ns and start_ns. */
uint64_t tbx_police_now(void);

/* police_json.c: the shape of `tbx -j enforce show` and GET /enforce. */
#include <jansson.h>
const char *tbx_police_kind_name(__u32 kind);
/* The bits the live profile allowed from its phase 0 until @now. */
uint64_t tbx_police_curve_bits(const struct tbx_police_sender *s, uint64_t now);
json_t *tbx_police_sender_json(const struct tbx_police_sender *s, uint64_t now);

#endif
