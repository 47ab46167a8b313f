// SPDX-License-Identifier: GPL-2.0
/*
 * wirebox_pair: rtnetlink link kind "wbpair".
 *
 * Creating a pair registers the peer first, then the device the request
 * named, then ties the two together; deleting either end queues both for
 * unregistration. All of it runs under RTNL.
 */

#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <net/netlink.h>
#include <net/rtnetlink.h>

#include "wbpair.h"

static const struct nla_policy wbpair_policy[WBPAIR_INFO_MAX + 1] = {
	[WBPAIR_INFO_PEER]	= { .len = sizeof(struct ifinfomsg) },
	[WBPAIR_INFO_MODE]	= NLA_POLICY_MAX(NLA_U32, WBPAIR_MODE_MAX),
};

/*
 * The core parses IFLA_INFO_DATA liberally (unknown types are skipped,
 * oversized integers only warned about). Reject both: a tool that sends an
 * attribute we don't know must learn that it was not applied.
 */
static int wbpair_check_data(const struct nlattr *linkinfo,
			     struct netlink_ext_ack *extack)
{
	const struct nlattr *data, *nla;
	int rem;

	data = linkinfo ? nla_find_nested(linkinfo, IFLA_INFO_DATA) : NULL;
	if (!data)
		return 0;

	nla_for_each_nested(nla, data, rem) {
		int type = nla_type(nla);

		if (type == WBPAIR_INFO_UNSPEC || type > WBPAIR_INFO_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, nla,
					    "Unknown wbpair attribute type");
			return -EINVAL;
		}
		if (type == WBPAIR_INFO_MODE && nla_len(nla) != sizeof(u32)) {
			NL_SET_ERR_MSG_ATTR(extack, nla,
					    "WBPAIR_INFO_MODE must be a u32");
			return -EINVAL;
		}
	}
	return 0;
}

static int wbpair_validate_link(struct nlattr *tb[],
				struct netlink_ext_ack *extack)
{
	if (tb[IFLA_ADDRESS]) {
		if (nla_len(tb[IFLA_ADDRESS]) != ETH_ALEN) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_ADDRESS],
					    "Invalid Ethernet address length");
			return -EINVAL;
		}
		if (!is_valid_ether_addr(nla_data(tb[IFLA_ADDRESS]))) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_ADDRESS],
					    "Invalid Ethernet address");
			return -EADDRNOTAVAIL;
		}
	}
	if (tb[IFLA_MTU]) {
		u32 mtu = nla_get_u32(tb[IFLA_MTU]);

		if (mtu < ETH_MIN_MTU || mtu > ETH_MAX_MTU) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_MTU],
					    "MTU out of range (68-65535)");
			return -EINVAL;
		}
	}
	return 0;
}

static int wbpair_validate(struct nlattr *tb[], struct nlattr *data[],
			   struct netlink_ext_ack *extack)
{
	int err;

	err = wbpair_check_data(tb[IFLA_LINKINFO], extack);
	if (err)
		return err;
	return wbpair_validate_link(tb, extack);
}

/* The peer's netns: where the request says, if the caller may admin it. */
static struct net *wbpair_peer_net(struct net *src_net, struct nlattr *tbp[],
				   struct netlink_ext_ack *extack)
{
	struct net *net;

	net = rtnl_link_get_net(src_net, tbp);
	if (IS_ERR(net)) {
		NL_SET_ERR_MSG_ATTR(extack, tbp[IFLA_NET_NS_FD] ?:
				    tbp[IFLA_NET_NS_PID],
				    "Peer network namespace not found");
		return net;
	}
	if (!ns_capable(net->user_ns, CAP_NET_ADMIN)) {
		put_net(net);
		NL_SET_ERR_MSG(extack,
			       "No CAP_NET_ADMIN in the peer's network namespace");
		return ERR_PTR(-EPERM);
	}
	return net;
}

/* Allocate and register the peer; returns it, or an ERR_PTR. */
static struct net_device *wbpair_create_peer(struct net *src_net,
					     struct net_device *dev,
					     struct nlattr *tb[],
					     struct nlattr *data[],
					     struct netlink_ext_ack *extack)
{
	struct nlattr *peer_tb[IFLA_MAX + 1], **tbp = tb;
	struct ifinfomsg *ifmp = NULL;
	unsigned char name_assign_type;
	struct wbpair_priv *ppriv;
	struct net_device *peer;
	char ifname[IFNAMSIZ];
	struct net *net;
	int err;

	if (data && data[WBPAIR_INFO_PEER]) {
		ifmp = nla_data(data[WBPAIR_INFO_PEER]);
		err = rtnl_nla_parse_ifinfomsg(peer_tb, data[WBPAIR_INFO_PEER],
					       extack);
		if (err < 0)
			return ERR_PTR(err);
		err = wbpair_validate_link(peer_tb, extack);
		if (err < 0)
			return ERR_PTR(err);
		tbp = peer_tb;
	}

	if (ifmp && tbp[IFLA_IFNAME]) {
		nla_strscpy(ifname, tbp[IFLA_IFNAME], IFNAMSIZ);
		name_assign_type = NET_NAME_USER;
	} else {
		snprintf(ifname, IFNAMSIZ, WBPAIR_KIND "%%d");
		name_assign_type = NET_NAME_ENUM;
	}

	net = wbpair_peer_net(src_net, tbp, extack);
	if (IS_ERR(net))
		return ERR_CAST(net);

	if (name_assign_type == NET_NAME_USER && __dev_get_by_name(net, ifname)) {
		put_net(net);
		NL_SET_ERR_MSG_ATTR(extack, tbp[IFLA_IFNAME],
				    "Peer device name already exists");
		return ERR_PTR(-EEXIST);
	}

	peer = rtnl_create_link(net, ifname, name_assign_type,
				&wbpair_link_ops, tbp, extack);
	if (IS_ERR(peer)) {
		put_net(net);
		return peer;
	}

	if (!ifmp || !tbp[IFLA_ADDRESS])
		eth_hw_addr_random(peer);
	if (ifmp && dev->ifindex)
		peer->ifindex = ifmp->ifi_index;

	ppriv = netdev_priv(peer);
	ppriv->mode = ((struct wbpair_priv *)netdev_priv(dev))->mode;

	err = register_netdevice(peer);
	put_net(net);
	if (err < 0) {
		free_netdev(peer);
		return ERR_PTR(err);
	}
	netif_carrier_off(peer);
	return peer;
}

/* Synchronization: RTNL. Context: process (the RTM_NEWLINK sender). */
static int wbpair_newlink(struct net *src_net, struct net_device *dev,
			  struct nlattr *tb[], struct nlattr *data[],
			  struct netlink_ext_ack *extack)
{
	struct wbpair_priv *priv = netdev_priv(dev);
	struct ifinfomsg *ifmp = NULL;
	struct wbpair_priv *ppriv;
	struct net_device *peer;
	int err;

	if (data && data[WBPAIR_INFO_MODE])
		priv->mode = nla_get_u32(data[WBPAIR_INFO_MODE]);
	if (data && data[WBPAIR_INFO_PEER])
		ifmp = nla_data(data[WBPAIR_INFO_PEER]);

	peer = wbpair_create_peer(src_net, dev, tb, data, extack);
	if (IS_ERR(peer))
		return PTR_ERR(peer);

	if (!tb[IFLA_ADDRESS])
		eth_hw_addr_random(dev);
	if (tb[IFLA_IFNAME])
		nla_strscpy(dev->name, tb[IFLA_IFNAME], IFNAMSIZ);
	else
		snprintf(dev->name, IFNAMSIZ, WBPAIR_KIND "%%d");

	err = register_netdevice(dev);
	if (err < 0) {
		if (err == -EEXIST)
			NL_SET_ERR_MSG(extack,
				       "Device name already exists (is it the peer's name?)");
		goto err_unregister_peer;
	}
	netif_carrier_off(dev);

	ppriv = netdev_priv(peer);
	rcu_assign_pointer(priv->peer, peer);
	rcu_assign_pointer(ppriv->peer, dev);

	err = rtnl_configure_link(peer, ifmp, 0, NULL);
	if (err < 0)
		goto err_unregister_dev;
	return 0;

err_unregister_dev:
	RCU_INIT_POINTER(priv->peer, NULL);
	RCU_INIT_POINTER(ppriv->peer, NULL);
	unregister_netdevice(dev);
err_unregister_peer:
	unregister_netdevice(peer);
	return err;
}

/*
 * Synchronization: RTNL. Called for RTM_DELLINK, for every wbpair in a dying
 * netns (default_device_exit_batch) and by rtnl_link_unregister() at rmmod.
 * The peer may live in another netns; it goes too.
 */
static void wbpair_dellink(struct net_device *dev, struct list_head *head)
{
	struct wbpair_priv *priv = netdev_priv(dev);
	struct net_device *peer = rtnl_dereference(priv->peer);

	/*
	 * Devices are freed only after an RCU grace period following
	 * unregistration, so a wbpair_xmit() that already loaded the peer
	 * pointer keeps a valid device.
	 */
	RCU_INIT_POINTER(priv->peer, NULL);
	unregister_netdevice_queue(dev, head);

	if (peer) {
		struct wbpair_priv *ppriv = netdev_priv(peer);

		RCU_INIT_POINTER(ppriv->peer, NULL);
		unregister_netdevice_queue(peer, head);
	}
}

static size_t wbpair_get_size(const struct net_device *dev)
{
	return nla_total_size(sizeof(u32));	/* WBPAIR_INFO_MODE */
}

static int wbpair_fill_info(struct sk_buff *skb, const struct net_device *dev)
{
	const struct wbpair_priv *priv = netdev_priv(dev);

	if (nla_put_u32(skb, WBPAIR_INFO_MODE, priv->mode))
		return -EMSGSIZE;
	return 0;
}

static struct net *wbpair_get_link_net(const struct net_device *dev)
{
	struct wbpair_priv *priv = netdev_priv(dev);
	struct net_device *peer = rtnl_dereference(priv->peer);

	return peer ? dev_net(peer) : dev_net(dev);
}

struct rtnl_link_ops wbpair_link_ops = {
	.kind		= WBPAIR_KIND,
	.priv_size	= sizeof(struct wbpair_priv),
	.setup		= wbpair_setup,
	.validate	= wbpair_validate,
	.newlink	= wbpair_newlink,
	.dellink	= wbpair_dellink,
	.policy		= wbpair_policy,
	.maxtype	= WBPAIR_INFO_MAX,
	.get_size	= wbpair_get_size,
	.fill_info	= wbpair_fill_info,
	.get_link_net	= wbpair_get_link_net,
};
