/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What tbx.ko is and holds: GET_INFO and the GET_FEATURE dump. */
#ifndef TBX_INFO_H
#define TBX_INFO_H

#include <stdint.h>
#include "nl.h"

#define TBX_INFO_MAX_FEATURES	64
#define TBX_NAME_LEN		32

struct tbx_info {
	char version[64];
	uint32_t genl_version;
	unsigned int n_features;
	char features[TBX_INFO_MAX_FEATURES][TBX_NAME_LEN];
	uint32_t runs;
	uint32_t qdiscs;
};

struct tbx_feature {
	char name[TBX_NAME_LEN];
	char desc[128];
	uint32_t since;
};

int tbx_info_get(struct tbx_nl *nl, struct tbx_info *out);
/* Parses and validates one GET_INFO reply; -EBADMSG with a message if bad. */
int tbx_info_parse(const struct nlmsghdr *nlh, struct tbx_info *out);

/* Fills @out with up to @max features; *n gets how many. */
int tbx_features_get(struct tbx_nl *nl, struct tbx_feature *out,
		     unsigned int max, unsigned int *n);
int tbx_feature_parse(const struct nlmsghdr *nlh, struct tbx_feature *out);

#endif
