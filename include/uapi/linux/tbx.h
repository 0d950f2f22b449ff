/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * tbx: the ABI between tbx.ko and user space.
 *
 * Generic netlink family "tbx", version 1. Every attribute below has a
 * policy in kernel/genl.c; requests are validated strictly (unknown
 * attributes and trailing data are rejected). Commands that change state
 * need CAP_NET_ADMIN. Documentation/netlink.md describes each command.
 */
#ifndef _UAPI_LINUX_TBX_H
#define _UAPI_LINUX_TBX_H

#define TBX_GENL_NAME		"tbx"
#define TBX_GENL_VERSION	1
#define TBX_GENL_MCGRP_EVENTS	"events"

enum tbx_cmd {
	TBX_CMD_UNSPEC,
	TBX_CMD_GET_INFO,	/* do: module version, features, live objects */
	TBX_CMD_GET_FEATURE,	/* dump: one message per feature */
	TBX_CMD_GET_CONFIG,	/* do: module-wide limits */
	TBX_CMD_SET_CONFIG,	/* do (admin): change limits, all or nothing */
	TBX_CMD_CONFIG_NTF,	/* event: the config after a change */

	__TBX_CMD_MAX,
	TBX_CMD_MAX = __TBX_CMD_MAX - 1
};

/* Top-level attributes. */
enum tbx_attr {
	TBX_A_UNSPEC,
	TBX_A_INFO,		/* nest: enum tbx_info_attr */
	TBX_A_FEATURE,		/* nest: enum tbx_feature_attr */
	TBX_A_CONFIG,		/* nest: enum tbx_config_attr */

	__TBX_A_MAX,
	TBX_A_MAX = __TBX_A_MAX - 1
};

enum tbx_info_attr {
	TBX_INFO_A_UNSPEC,
	TBX_INFO_A_VERSION,	/* string: module version */
	TBX_INFO_A_GENL_VERSION,/* u32: this family's version */
	TBX_INFO_A_FEATURES,	/* nest: TBX_INFO_A_FEATURE_NAME strings */
	TBX_INFO_A_OBJECTS,	/* nest: enum tbx_objects_attr */
	TBX_INFO_A_FEATURE_NAME,/* string, inside TBX_INFO_A_FEATURES */

	__TBX_INFO_A_MAX,
	TBX_INFO_A_MAX = __TBX_INFO_A_MAX - 1
};

/* Counts of live kernel objects, by kind. */
enum tbx_objects_attr {
	TBX_OBJECTS_A_UNSPEC,
	TBX_OBJECTS_A_RUNS,	/* u32: contention-load runs */
	TBX_OBJECTS_A_QDISCS,	/* u32: tbx qdisc instances */

	__TBX_OBJECTS_A_MAX,
	TBX_OBJECTS_A_MAX = __TBX_OBJECTS_A_MAX - 1
};

enum tbx_feature_attr {
	TBX_FEATURE_A_UNSPEC,
	TBX_FEATURE_A_NAME,	/* string: short name, e.g. "config" */
	TBX_FEATURE_A_DESC,	/* string: one line for humans */
	TBX_FEATURE_A_SINCE,	/* u32: family version that added it */

	__TBX_FEATURE_A_MAX,
	TBX_FEATURE_A_MAX = __TBX_FEATURE_A_MAX - 1
};

/*
 * Module-wide limits. SET_CONFIG applies every attribute it carries or,
 * when any one is bad, none of them.
 */
enum tbx_config_attr {
	TBX_CONFIG_A_UNSPEC,
	TBX_CONFIG_A_MAX_RUNS,		/* u32: live runs allowed at once */
	TBX_CONFIG_A_MEM_GUARD_PCT,	/* u32: % of available memory a mem
					 * run may take without a force flag
					 */
	TBX_CONFIG_A_EVENTS,		/* u8: 1 = send events, 0 = quiet */

	__TBX_CONFIG_A_MAX,
	TBX_CONFIG_A_MAX = __TBX_CONFIG_A_MAX - 1
};

#define TBX_CONFIG_MAX_RUNS_MIN		1
#define TBX_CONFIG_MAX_RUNS_MAX		65536
#define TBX_CONFIG_MAX_RUNS_DEFAULT	1024
#define TBX_CONFIG_MEM_GUARD_MIN	1
#define TBX_CONFIG_MEM_GUARD_MAX	100
#define TBX_CONFIG_MEM_GUARD_DEFAULT	90

#endif /* _UAPI_LINUX_TBX_H */
