// SPDX-License-Identifier: GPL-2.0-or-later
/* Network devices over rtnetlink (netdev.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

#include "err.h"
#include "netdev.h"
#include "rtnl.h"

static struct nlmsghdr *link_req(struct tbx_rtnl *r, uint16_t type,
				 uint16_t flags, int ifindex)
{
	struct nlmsghdr *nlh = tbx_rtnl_request(r, type, flags | NLM_F_ACK);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	return nlh;
}

static int talk_once(struct tbx_rtnl *r, struct nlmsghdr *nlh, const char *what,
		     const char *name)
{
	int err = tbx_rtnl_talk(r, nlh, NULL, NULL);

	tbx_rtnl_close(r);
	if (err)
		return tbx_err(err, "%s %s: %s", what, name, tbx_errmsg());
	return 0;
}

int tbx_netdev_veth_add(const char *a, int ns_a, const char *b, int ns_b)
{
	struct nlmsghdr *nlh;
	struct nlattr *info, *data, *peer;
	struct ifinfomsg *pi;
	struct tbx_rtnl r;
	int err;

	if ((err = tbx_rtnl_open(&r)))
		return err;
	nlh = link_req(&r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, a);
	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, ns_a);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	peer = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	/* The peer is a whole ifinfomsg and its attributes. */
	pi = mnl_nlmsg_put_extra_header(nlh, sizeof(*pi));
	pi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, b);
	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, ns_b);
	mnl_attr_nest_end(nlh, peer);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	return talk_once(&r, nlh, "veth", a);
}

int tbx_netdev_bridge_add(const char *name)
{
	struct nlmsghdr *nlh;
	struct nlattr *info;
	struct tbx_rtnl r;
	int err;

	if ((err = tbx_rtnl_open(&r)))
		return err;
	nlh = link_req(&r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
	mnl_attr_nest_end(nlh, info);
	return talk_once(&r, nlh, "bridge", name);
}

int tbx_netdev_set(const char *name, bool up, const char *master)
{
	int ifindex = if_nametoindex(name), mindex = 0;
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	struct tbx_rtnl r;
	int err;

	if (!ifindex)
		return tbx_err(ENODEV, "no device \"%s\"", name);
	if (master && !(mindex = if_nametoindex(master)))
		return tbx_err(ENODEV, "no device \"%s\"", master);
	if ((err = tbx_rtnl_open(&r)))
		return err;
	nlh = link_req(&r, RTM_NEWLINK, 0, ifindex);
	ifi = mnl_nlmsg_get_payload(nlh);
	ifi->ifi_change = IFF_UP;
	ifi->ifi_flags = up ? IFF_UP : 0;
	if (master)
		mnl_attr_put_u32(nlh, IFLA_MASTER, mindex);
	return talk_once(&r, nlh, "device", name);
}

int tbx_netdev_del(const char *name)
{
	int ifindex = if_nametoindex(name);
	struct nlmsghdr *nlh;
	struct tbx_rtnl r;
	int err;

	if (!ifindex)
		return 0;
	if ((err = tbx_rtnl_open(&r)))
		return err;
	nlh = link_req(&r, RTM_DELLINK, 0, ifindex);
	err = tbx_rtnl_talk(&r, nlh, NULL, NULL);
	tbx_rtnl_close(&r);
	if (err && err != -ENODEV)
		return tbx_err(err, "device %s: %s", name, tbx_errmsg());
	return 0;
}

bool tbx_netdev_exists(const char *name)
{
	return if_nametoindex(name) != 0;
}

struct bytes_sum {
	const char *name;
	uint64_t bytes;
	bool found;
};

static int bytes_attr(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(a);

	if (type == IFLA_IFNAME && mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
		tb[type] = a;
	else if (type == IFLA_STATS64 &&
		 mnl_attr_get_payload_len(a) >= sizeof(struct rtnl_link_stats64))
		tb[type] = a;
	return MNL_CB_OK;
}

static int bytes_link(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[IFLA_MAX + 1] = { 0 };
	struct bytes_sum *sum = data;
	struct rtnl_link_stats64 st;
	const char *name;

	if (mnl_attr_parse(nlh, sizeof(struct ifinfomsg), bytes_attr, tb) != MNL_CB_OK ||
	    !tb[IFLA_IFNAME] || !tb[IFLA_STATS64])
		return MNL_CB_OK;
	name = mnl_attr_get_str(tb[IFLA_IFNAME]);
	if (sum->name ? strcmp(name, sum->name) : !strcmp(name, "lo"))
		return MNL_CB_OK;
	/* The payload may be unaligned for a u64 read: copy it. */
	memcpy(&st, mnl_attr_get_payload(tb[IFLA_STATS64]), sizeof(st));
	sum->bytes += st.rx_bytes + st.tx_bytes;
	sum->found = true;
	return MNL_CB_OK;
}

int tbx_netdev_bytes(const char *name, uint64_t *bytes)
{
	struct bytes_sum sum = { .name = name };
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	struct tbx_rtnl r;
	int err;

	if ((err = tbx_rtnl_open(&r)))
		return err;
	nlh = tbx_rtnl_request(&r, RTM_GETLINK, NLM_F_DUMP);
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	err = tbx_rtnl_talk(&r, nlh, bytes_link, &sum);
	tbx_rtnl_close(&r);
	if (err)
		return tbx_err(err, "read link counters: %s", tbx_errmsg());
	if (name && !sum.found)
		return tbx_err(ENODEV, "no device %s", name);
	*bytes = sum.bytes;
	return 0;
}

int tbx_netdev_addr(const char *name, const char *cidr, bool add)
{
	int ifindex = if_nametoindex(name), family;
	unsigned char addr[16];
	unsigned int prefix;
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;
	char host[INET6_ADDRSTRLEN + 1], *end;
	const char *slash = strchr(cidr, '/');
	struct tbx_rtnl r;
	int err;

	if (!ifindex)
		return tbx_err(ENODEV, "no device \"%s\"", name);
	if (!slash || (size_t)(slash - cidr) >= sizeof(host))
		return tbx_err(EINVAL, "address \"%s\" is not ADDRESS/PREFIX", cidr);
	snprintf(host, sizeof(host), "%.*s", (int)(slash - cidr), cidr);
	family = strchr(host, ':') ? AF_INET6 : AF_INET;
	prefix = (unsigned int)strtoul(slash + 1, &end, 10);
	if (!slash[1] || *end || inet_pton(family, host, addr) != 1 ||
	    prefix > (family == AF_INET ? 32u : 128u))
		return tbx_err(EINVAL, "address \"%s\" is not ADDRESS/PREFIX", cidr);
	if ((err = tbx_rtnl_open(&r)))
		return err;
	nlh = tbx_rtnl_request(&r, add ? RTM_NEWADDR : RTM_DELADDR,
			       (add ? NLM_F_CREATE | NLM_F_REPLACE : 0) | NLM_F_ACK);
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = family;
	ifa->ifa_prefixlen = prefix;
	ifa->ifa_index = ifindex;
	mnl_attr_put(nlh, IFA_LOCAL, family == AF_INET ? 4 : 16, addr);
	mnl_attr_put(nlh, IFA_ADDRESS, family == AF_INET ? 4 : 16, addr);
	err = tbx_rtnl_talk(&r, nlh, NULL, NULL);
	tbx_rtnl_close(&r);
	if (err == -EADDRNOTAVAIL && !add)
		return 0;	/* already gone */
	if (err)
		return tbx_err(err, "address %s on %s: %s", cidr, name, tbx_errmsg());
	return 0;
}
