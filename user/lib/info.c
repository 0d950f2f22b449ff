// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <string.h>

#include <linux/tbx.h>

#include "attr.h"
#include "err.h"
#include "info.h"

static int parse_features(const struct nlattr *nest, struct tbx_info *out)
{
	const struct nlattr *a;
	int err;

	mnl_attr_for_each_nested(a, nest) {
		if (mnl_attr_get_type(a) != TBX_INFO_A_FEATURE_NAME)
			continue;	/* newer kernels may add more */
		if (out->n_features == TBX_INFO_MAX_FEATURES)
			return tbx_err(EBADMSG, "reply: more than %d features",
				       TBX_INFO_MAX_FEATURES);
		err = tbx_attr_strcpy(a, out->features[out->n_features],
				      TBX_NAME_LEN, "info/features/name");
		if (err)
			return err;
		out->n_features++;
	}
	return 0;
}

static int parse_objects(const struct nlattr *nest, struct tbx_info *out)
{
	const struct nlattr *a;
	int err = 0;

	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case TBX_OBJECTS_A_RUNS:
			err = tbx_attr_u32(a, &out->runs, "info/objects/runs");
			break;
		case TBX_OBJECTS_A_QDISCS:
			err = tbx_attr_u32(a, &out->qdiscs, "info/objects/qdiscs");
			break;
		}
		if (err)
			return err;
	}
	return 0;
}

int tbx_info_parse(const struct nlmsghdr *nlh, struct tbx_info *out)
{
	const struct nlattr *top, *a;
	bool seen_info = false, seen_version = false;
	int err = 0;

	memset(out, 0, sizeof(*out));
	mnl_attr_for_each(top, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(top) != TBX_A_INFO)
			continue;
		if (tbx_attr_nest(top, "info"))
			return -EBADMSG;
		seen_info = true;
		mnl_attr_for_each_nested(a, top) {
			switch (mnl_attr_get_type(a)) {
			case TBX_INFO_A_VERSION:
				err = tbx_attr_strcpy(a, out->version,
						      sizeof(out->version), "info/version");
				seen_version = true;
				break;
			case TBX_INFO_A_GENL_VERSION:
				err = tbx_attr_u32(a, &out->genl_version, "info/genl-version");
				break;
			case TBX_INFO_A_FEATURES:
				err = tbx_attr_nest(a, "info/features") ?:
				      parse_features(a, out);
				break;
			case TBX_INFO_A_OBJECTS:
				err = tbx_attr_nest(a, "info/objects") ?:
				      parse_objects(a, out);
				break;
			}
			if (err)
				return err;
		}
	}
	if (!seen_info || !seen_version)
		return tbx_err(EBADMSG, "reply: %s missing",
			       seen_info ? "info/version" : "info");
	return 0;
}

static int on_info(const struct nlmsghdr *nlh, void *data)
{
	return tbx_info_parse(nlh, data) ? MNL_CB_ERROR : MNL_CB_OK;
}

int tbx_info_get(struct tbx_nl *nl, struct tbx_info *out)
{
	struct nlmsghdr *req = tbx_nl_request(nl, TBX_CMD_GET_INFO, 0);

	memset(out, 0, sizeof(*out));
	return tbx_nl_do(nl, req, on_info, out);
}

int tbx_feature_parse(const struct nlmsghdr *nlh, struct tbx_feature *out)
{
	const struct nlattr *top, *a;
	bool seen_name = false;
	int err = 0;

	memset(out, 0, sizeof(*out));
	mnl_attr_for_each(top, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(top) != TBX_A_FEATURE)
			continue;
		if (tbx_attr_nest(top, "feature"))
			return -EBADMSG;
		mnl_attr_for_each_nested(a, top) {
			switch (mnl_attr_get_type(a)) {
			case TBX_FEATURE_A_NAME:
				err = tbx_attr_strcpy(a, out->name, sizeof(out->name),
						      "feature/name");
				seen_name = true;
				break;
			case TBX_FEATURE_A_DESC:
				err = tbx_attr_strcpy(a, out->desc, sizeof(out->desc),
						      "feature/desc");
				break;
			case TBX_FEATURE_A_SINCE:
				err = tbx_attr_u32(a, &out->since, "feature/since");
				break;
			}
			if (err)
				return err;
		}
	}
	if (!seen_name)
		return tbx_err(EBADMSG, "reply: feature/name missing");
	return 0;
}

struct feature_list {
	struct tbx_feature *out;
	unsigned int max;
	unsigned int n;
};

static int on_feature(const struct nlmsghdr *nlh, void *data)
{
	struct feature_list *l = data;

	if (l->n == l->max) {
		tbx_err(EOVERFLOW, "more than %u features", l->max);
		errno = EOVERFLOW;
		return MNL_CB_ERROR;
	}
	if (tbx_feature_parse(nlh, &l->out[l->n])) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	l->n++;
	return MNL_CB_OK;
}

static void feature_list_reset(void *data)
{
	((struct feature_list *)data)->n = 0;
}

int tbx_features_get(struct tbx_nl *nl, struct tbx_feature *out,
		     unsigned int max, unsigned int *n)
{
	struct feature_list l = { .out = out, .max = max };
	struct nlmsghdr *req = tbx_nl_request(nl, TBX_CMD_GET_FEATURE, 0);
	int err = tbx_nl_dump(nl, req, on_feature, &l, feature_list_reset);

	*n = l.n;
	return err;
}
