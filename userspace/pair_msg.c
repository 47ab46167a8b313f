// SPDX-License-Identifier: GPL-2.0
/*
 * wbctl pair: build rtnetlink requests, parse and print link replies.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/wirebox.h>

#include "nl.h"
#include "pair.h"
#include "print.h"
#include "utils.h"

/*
 * WBPAIR_INFO_PEER, laid out like iproute2 lays out VETH_INFO_PEER: a
 * struct ifinfomsg for the peer, then its IFLA_* attributes.  Its payload
 * does not start with an attribute, so no NLA_F_NESTED.
 */
static void pair_put_peer(struct nlmsghdr *nlh, const char *peer, int ns_fd)
{
	struct nlattr *nest = mnl_nlmsg_get_payload_tail(nlh);
	struct ifinfomsg *ifm;

	nest->nla_type = WBPAIR_INFO_PEER;
	nlh->nlmsg_len += MNL_ALIGN(sizeof(*nest));
	ifm = mnl_nlmsg_get_payload_tail(nlh);
	memset(ifm, 0, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	nlh->nlmsg_len += MNL_ALIGN(sizeof(*ifm));
	if (peer)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, peer);
	if (ns_fd >= 0)
		mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, ns_fd);
	nest->nla_len = (char *)mnl_nlmsg_get_payload_tail(nlh) - (char *)nest;
}

/*
 * RTM_NEWLINK IFLA_IFNAME, IFLA_LINKINFO { KIND "wbpair", DATA { PEER,
 * MODE } }.  DATA is left out when it would be empty, PEER when neither
 * a peer name nor a netns was given.
 */
struct nlmsghdr *pair_build_add(void *buf, const struct pair_add_req *req,
				int ns_fd)
{
	struct nlmsghdr *nlh;
	struct nlattr *info, *data;

	nlh = nl_link_msg(buf, RTM_NEWLINK,
		       NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, req->name);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, WBPAIR_KIND);
	if (req->peer || req->netns || req->has_mode) {
		data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
		if (req->peer || req->netns)
			pair_put_peer(nlh, req->peer, req->netns ? ns_fd : -1);
		if (req->has_mode)
			mnl_attr_put_u32(nlh, WBPAIR_INFO_MODE, req->mode);
		mnl_attr_nest_end(nlh, data);
	}
	mnl_attr_nest_end(nlh, info);
	return nlh;
}

/* RTM_GETLINK for one link, by ifindex if > 0, else by name. */
struct nlmsghdr *pair_build_get(void *buf, const char *name, int ifindex)
{
	struct nlmsghdr *nlh;

	nlh = nl_link_msg(buf, RTM_GETLINK, NLM_F_ACK, ifindex > 0 ? ifindex : 0);
	if (ifindex <= 0)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	return nlh;
}

/* RTM_GETLINK dump, asking the kernel to filter on kind (if it knows it). */
struct nlmsghdr *pair_build_dump(void *buf)
{
	struct nlmsghdr *nlh;
	struct nlattr *info;

	nlh = nl_link_msg(buf, RTM_GETLINK, NLM_F_DUMP, 0);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, WBPAIR_KIND);
	mnl_attr_nest_end(nlh, info);
	return nlh;
}

/*
 * RTM_DELLINK.  The kernel looks the link up by ifi_index when it is set
 * and only then by IFLA_IFNAME: passing the index we checked the kind of
 * closes the race with the name moving to another link meanwhile.
 */
struct nlmsghdr *pair_build_del(void *buf, const char *name, int ifindex)
{
	struct nlmsghdr *nlh;

	nlh = nl_link_msg(buf, RTM_DELLINK, NLM_F_ACK, ifindex);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	return nlh;
}

struct attr_tb {
	const struct nlattr **tb;
	unsigned int max;
};

static int attr_tb_cb(const struct nlattr *attr, void *data)
{
	struct attr_tb *t = data;
	unsigned int type = mnl_attr_get_type(attr);

	if (type <= t->max)
		t->tb[type] = attr;
	return MNL_CB_OK;
}

static bool attr_ok(const struct nlattr *attr, enum mnl_attr_data_type type)
{
	return attr && mnl_attr_validate(attr, type) == 0;
}

/* IFLA_LINKINFO: is it a wbpair, and in which mode? */
static void pair_parse_linkinfo(const struct nlattr *nest,
				struct pair_link *link)
{
	const struct nlattr *li[IFLA_INFO_MAX + 1] = {};
	const struct nlattr *data[WBPAIR_INFO_MAX + 1] = {};
	struct attr_tb tli = { li, IFLA_INFO_MAX };
	struct attr_tb tdata = { data, WBPAIR_INFO_MAX };

	mnl_attr_parse_nested(nest, attr_tb_cb, &tli);
	if (!attr_ok(li[IFLA_INFO_KIND], MNL_TYPE_NUL_STRING) ||
	    strcmp(mnl_attr_get_str(li[IFLA_INFO_KIND]), WBPAIR_KIND))
		return;
	link->is_wbpair = true;
	if (!attr_ok(li[IFLA_INFO_DATA], MNL_TYPE_NESTED))
		return;
	mnl_attr_parse_nested(li[IFLA_INFO_DATA], attr_tb_cb, &tdata);
	if (attr_ok(data[WBPAIR_INFO_MODE], MNL_TYPE_U32)) {
		link->has_mode = true;
		link->mode = mnl_attr_get_u32(data[WBPAIR_INFO_MODE]);
	}
}

/*
 * Fill *link from an RTM_NEWLINK reply.  Returns 0 (check
 * link->is_wbpair) or -EBADMSG for a message that is not a usable link.
 */
int pair_parse_link(const struct nlmsghdr *nlh, struct pair_link *link)
{
	const struct nlattr *tb[IFLA_MAX + 1] = {};
	struct attr_tb t = { tb, IFLA_MAX };
	const struct ifinfomsg *ifm;

	memset(link, 0, sizeof(*link));
	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifm))
		return -EBADMSG;
	ifm = mnl_nlmsg_get_payload(nlh);
	link->ifindex = ifm->ifi_index;
	mnl_attr_parse(nlh, sizeof(*ifm), attr_tb_cb, &t);
	if (!attr_ok(tb[IFLA_IFNAME], MNL_TYPE_NUL_STRING))
		return -EBADMSG;
	snprintf(link->ifname, sizeof(link->ifname), "%s",
		 mnl_attr_get_str(tb[IFLA_IFNAME]));
	if (attr_ok(tb[IFLA_LINKINFO], MNL_TYPE_NESTED))
		pair_parse_linkinfo(tb[IFLA_LINKINFO], link);
	if (attr_ok(tb[IFLA_LINK], MNL_TYPE_U32)) {
		link->peer_ifindex = mnl_attr_get_u32(tb[IFLA_LINK]);
		link->has_peer = link->peer_ifindex != 0;
	}
	if (attr_ok(tb[IFLA_LINK_NETNSID], MNL_TYPE_U32)) {
		link->has_netnsid = true;
		link->netnsid = mnl_attr_get_u32(tb[IFLA_LINK_NETNSID]);
	}
	if (attr_ok(tb[IFLA_OPERSTATE], MNL_TYPE_U8))
		link->operstate = mnl_attr_get_u8(tb[IFLA_OPERSTATE]);
	if (attr_ok(tb[IFLA_CARRIER], MNL_TYPE_U8))
		link->carrier = mnl_attr_get_u8(tb[IFLA_CARRIER]);
	else
		link->carrier = ifm->ifi_flags & IFF_LOWER_UP;
	if (attr_ok(tb[IFLA_MTU], MNL_TYPE_U32))
		link->mtu = mnl_attr_get_u32(tb[IFLA_MTU]);
	return 0;
}

/*
 * Text: NAME: peer PEER [link-netnsid N] mode M state S carrier on|off
 *	 mtu N
 * JSON: one object; peer_ifname only when resolved.
 */
void pair_print_link(const struct pair_link *l)
{
	print_open_object(NULL);
	print_string(PRINT_ANY, "ifname", "%s:", l->ifname);
	print_int(PRINT_JSON, "ifindex", NULL, l->ifindex);
	if (l->has_peer)
		print_uint(PRINT_JSON, "peer_ifindex", NULL, l->peer_ifindex);
	if (l->peer_ifname[0])
		print_string(PRINT_ANY, "peer_ifname", " peer %s",
			     l->peer_ifname);
	else if (l->has_peer)
		print_uint(PRINT_FP, NULL, " peer %u", l->peer_ifindex);
	else
		print_string(PRINT_FP, NULL, " peer %s", "none");
	if (l->has_netnsid)
		print_int(PRINT_ANY, "link_netnsid", " link-netnsid %d",
			  l->netnsid);
	if (l->has_mode)
		print_string(PRINT_ANY, "mode", " mode %s",
			     wb_mode_name(l->mode));
	print_string(PRINT_ANY, "operstate", " state %s",
		     wb_operstate_name(l->operstate));
	print_on_off(PRINT_ANY, "carrier", " carrier %s", l->carrier);
	print_uint(PRINT_ANY, "mtu", " mtu %u", l->mtu);
	print_close_object();
	print_nl();
}
