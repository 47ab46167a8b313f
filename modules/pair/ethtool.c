// SPDX-License-Identifier: GPL-2.0
/*
 * wirebox_pair: ethtool ops. `ethtool -S` gives the peer's ifindex and the
 * per-direction counters, drops broken down by reason.
 */

#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>

#include "wbpair.h"

static const char wbpair_gstrings[][ETH_GSTRING_LEN] = {
	"peer_ifindex",
	"rx_packets",
	"rx_bytes",
	"rx_drops_ring_full",
	"rx_drops_flushed",
	"tx_packets",
	"tx_bytes",
	"tx_drops_peer_down",
	"tx_drops_too_big",
	"napi_polls",
	"napi_completes",
};

static void wbpair_get_drvinfo(struct net_device *dev,
			       struct ethtool_drvinfo *info)
{
	strscpy(info->driver, WBPAIR_DRV_NAME, sizeof(info->driver));
	strscpy(info->bus_info, "virtual", sizeof(info->bus_info));
}

static int wbpair_get_sset_count(struct net_device *dev, int sset)
{
	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return ARRAY_SIZE(wbpair_gstrings);
}

static void wbpair_get_strings(struct net_device *dev, u32 sset, u8 *buf)
{
	unsigned int i;

	if (sset != ETH_SS_STATS)
		return;
	for (i = 0; i < ARRAY_SIZE(wbpair_gstrings); i++)
		ethtool_puts(&buf, wbpair_gstrings[i]);
}

/* Context: process, RTNL held by the ethtool core. */
static void wbpair_get_ethtool_stats(struct net_device *dev,
				     struct ethtool_stats *estats, u64 *data)
{
	struct wbpair_priv *priv = netdev_priv(dev);
	struct net_device *peer = rtnl_dereference(priv->peer);
	struct wbpair_stats s;

	wbpair_stats_sum(dev, &s);
	*data++ = peer ? peer->ifindex : 0;
	*data++ = s.rx_packets;
	*data++ = s.rx_bytes;
	*data++ = s.rx_ring_full;
	*data++ = s.rx_flushed;
	*data++ = s.tx_packets;
	*data++ = s.tx_bytes;
	*data++ = s.tx_peer_down;
	*data++ = s.tx_too_big;
	*data++ = s.napi_polls;
	*data++ = s.napi_completes;
}

static int wbpair_get_link_ksettings(struct net_device *dev,
				     struct ethtool_link_ksettings *cmd)
{
	cmd->base.speed = SPEED_10000;
	cmd->base.duplex = DUPLEX_FULL;
	cmd->base.port = PORT_NONE;
	cmd->base.autoneg = AUTONEG_DISABLE;
	return 0;
}

const struct ethtool_ops wbpair_ethtool_ops = {
	.get_drvinfo		= wbpair_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_strings		= wbpair_get_strings,
	.get_sset_count		= wbpair_get_sset_count,
	.get_ethtool_stats	= wbpair_get_ethtool_stats,
	.get_link_ksettings	= wbpair_get_link_ksettings,
	.get_ts_info		= ethtool_op_get_ts_info,
};
