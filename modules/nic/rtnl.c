// SPDX-License-Identifier: GPL-2.0
/*
 * wirebox_nic: rtnetlink link kind "wbnic", and the NICs the nics=
 * module parameter creates.
 *
 *	ip link add name wbn0 type wbnic
 *
 * IFLA_INFO_DATA carries the ring sizes and queue count (wbctl nic add
 * sends them, and ip with wirebox's plugin, userspace/iproute2).
 */
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <net/netlink.h>
#include <net/rtnetlink.h>

#include "wbnic.h"

static const struct nla_policy wbnic_policy[WBNIC_INFO_MAX + 1] = {
	[WBNIC_INFO_RX_RING]	= NLA_POLICY_RANGE(NLA_U32, WBNIC_RING_MIN,
						   WBNIC_RING_MAX),
	[WBNIC_INFO_TX_RING]	= NLA_POLICY_RANGE(NLA_U32, WBNIC_RING_MIN,
						   WBNIC_RING_MAX),
	[WBNIC_INFO_QUEUES]	= NLA_POLICY_RANGE(NLA_U32, 1,
						   WBNIC_QUEUES_MAX),
};

/*
 * The core parses IFLA_INFO_DATA liberally: unknown types are skipped and
 * a short or long integer only warned about. Refuse both, and ring sizes
 * that are not a power of two, naming the attribute.
 */
static int wbnic_check_data(const struct nlattr *linkinfo,
			    struct netlink_ext_ack *extack)
{
	const struct nlattr *data, *nla;
	int rem;

	data = linkinfo ? nla_find_nested(linkinfo, IFLA_INFO_DATA) : NULL;
	if (!data)
		return 0;

	nla_for_each_nested(nla, data, rem) {
		int type = nla_type(nla);

		if (type == WBNIC_INFO_UNSPEC || type > WBNIC_INFO_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, nla,
					    "Unknown wbnic attribute type");
			return -EINVAL;
		}
		if (nla_len(nla) != sizeof(u32)) {
			NL_SET_ERR_MSG_ATTR(extack, nla,
					    "wbnic attributes are u32");
			return -EINVAL;
		}
		if (type != WBNIC_INFO_QUEUES &&
		    !is_power_of_2(nla_get_u32(nla))) {
			NL_SET_ERR_MSG_ATTR(extack, nla,
					    "Ring size must be a power of two");
			return -EINVAL;
		}
	}
	return 0;
}

static int wbnic_validate(struct nlattr *tb[], struct nlattr *data[],
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
	return wbnic_check_data(tb[IFLA_LINKINFO], extack);
}

static int wbnic_newlink(struct net *src_net, struct net_device *dev,
			 struct nlattr *tb[], struct nlattr *data[],
			 struct netlink_ext_ack *extack)
{
	struct wbnic_priv *priv = netdev_priv(dev);

	if (data && data[WBNIC_INFO_RX_RING])
		priv->rx_ring_size = nla_get_u32(data[WBNIC_INFO_RX_RING]);
	if (data && data[WBNIC_INFO_TX_RING])
		priv->tx_ring_size = nla_get_u32(data[WBNIC_INFO_TX_RING]);
	if (data && data[WBNIC_INFO_QUEUES]) {
		priv->num_queues = nla_get_u32(data[WBNIC_INFO_QUEUES]);
		if (priv->num_queues > dev->num_tx_queues ||
		    priv->num_queues > dev->num_rx_queues) {
			NL_SET_ERR_MSG_ATTR(extack, data[WBNIC_INFO_QUEUES],
					    "More queues than numtxqueues/numrxqueues");
			return -EINVAL;
		}
	}
	return register_netdevice(dev);
}

static size_t wbnic_get_size(const struct net_device *dev)
{
	return 3 * nla_total_size(sizeof(u32));
}

static int wbnic_fill_info(struct sk_buff *skb, const struct net_device *dev)
{
	struct wbnic_priv *priv = netdev_priv(dev);

	if (nla_put_u32(skb, WBNIC_INFO_RX_RING, priv->rx_ring_size) ||
	    nla_put_u32(skb, WBNIC_INFO_TX_RING, priv->tx_ring_size) ||
	    nla_put_u32(skb, WBNIC_INFO_QUEUES, priv->num_queues))
		return -EMSGSIZE;
	return 0;
}

static unsigned int wbnic_get_num_queues(void)
{
	return WBNIC_QUEUES_MAX;
}

struct rtnl_link_ops wbnic_link_ops = {
	.kind			= WBNIC_KIND,
	.priv_size		= sizeof(struct wbnic_priv),
	.setup			= wbnic_setup,
	.validate		= wbnic_validate,
	.newlink		= wbnic_newlink,
	.get_size		= wbnic_get_size,
	.fill_info		= wbnic_fill_info,
	.get_num_tx_queues	= wbnic_get_num_queues,
	.get_num_rx_queues	= wbnic_get_num_queues,
	.policy			= wbnic_policy,
	.maxtype		= WBNIC_INFO_MAX,
};

/*
 * nics=N at load: wbnic0..wbnic{N-1} in the initial netns, 0-1, 2-3, ...
 * cabled. On failure the caller's rtnl_link_unregister() deletes what was
 * made.
 */
int wbnic_create_nics(unsigned int n)
{
	struct net_device *dev, *prev = NULL;
	unsigned int i;
	int err = 0;

	rtnl_lock();
	for (i = 0; i < n; i++) {
		dev = alloc_netdev_mqs(sizeof(struct wbnic_priv), "wbnic%d",
				       NET_NAME_ENUM, wbnic_setup,
				       WBNIC_QUEUES_MAX, WBNIC_QUEUES_MAX);
		if (!dev) {
			err = -ENOMEM;
			break;
		}
		dev->rtnl_link_ops = &wbnic_link_ops;
		err = register_netdevice(dev);
		if (err) {
			free_netdev(dev);
			break;
		}
		if (i % 2) {
			err = wbnic_wire_connect(wbnic_priv(prev)->hw,
						 wbnic_priv(dev)->hw);
			if (err)
				break;
		}
		prev = dev;
	}
	rtnl_unlock();
	return err;
}
