// SPDX-License-Identifier: GPL-2.0
/*
 * wirebox_nic: ethtool ops. -i, -S (per queue), -g/-G, -c/-C, -l/-L,
 * -a/-A (802.3x pause), -d (register dump) and link state. Every callback runs under RTNL.
 */
#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/stringify.h>

#include "wbnic.h"

static const char wbnic_gstrings[][ETH_GSTRING_LEN] = {
	"rx_missed",
	"rx_oversize",
	"rx_filtered",
	"tx_bad_descriptors",
	"dma_errors",
	"wire_tx",
	"wire_lost",
	"wire_corrupted",
	"wire_no_link",
	"irqs",
	"polls",
	"budget_exhausted",
	"napi_completes",
	"rx_lro_flushed",
	"rx_lro_aggregated",
	"tx_flow_control_xon",
	"tx_flow_control_xoff",
	"rx_flow_control_xon",
	"rx_flow_control_xoff",
};

static const char wbnic_qstrings[][ETH_GSTRING_LEN] = {
	"rx_queue_%u_packets",
	"rx_queue_%u_bytes",
	"rx_queue_%u_missed",
	"rx_queue_%u_drops",
	"tx_queue_%u_packets",
	"tx_queue_%u_bytes",
	"tx_queue_%u_drops",
	"tx_queue_%u_stops",
	"tx_queue_%u_wakes",
	"queue_%u_irqs",
	"queue_%u_polls",
	"queue_%u_budget_exhausted",
	"queue_%u_napi_completes",
};

static void wbnic_get_drvinfo(struct net_device *dev,
			      struct ethtool_drvinfo *info)
{
	struct wbnic_priv *priv = netdev_priv(dev);

	strscpy(info->driver, WBNIC_DRV_NAME, sizeof(info->driver));
	strscpy(info->fw_version, "sim-1", sizeof(info->fw_version));
	strscpy(info->bus_info, dev_name(priv->dmadev),
		sizeof(info->bus_info));
}

static int wbnic_get_sset_count(struct net_device *dev, int sset)
{
	struct wbnic_priv *priv = netdev_priv(dev);

	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return ARRAY_SIZE(wbnic_gstrings) +
	       priv->num_queues * ARRAY_SIZE(wbnic_qstrings);
}

static void wbnic_get_strings(struct net_device *dev, u32 sset, u8 *buf)
{
	struct wbnic_priv *priv = netdev_priv(dev);
	unsigned int i, q;

	if (sset != ETH_SS_STATS)
		return;
	for (i = 0; i < ARRAY_SIZE(wbnic_gstrings); i++)
		ethtool_puts(&buf, wbnic_gstrings[i]);
	for (q = 0; q < priv->num_queues; q++)
		for (i = 0; i < ARRAY_SIZE(wbnic_qstrings); i++)
			ethtool_sprintf(&buf, wbnic_qstrings[i], q);
}

static void wbnic_get_ethtool_stats(struct net_device *dev,
				    struct ethtool_stats *estats, u64 *data)
{
	struct wbnic_priv *priv = netdev_priv(dev);
	struct wbnic_hw *hw = priv->hw;
	u64 irqs = 0, polls = 0, exhausted = 0, completes = 0, missed = 0;
	u64 lro = 0, lro_segs = 0;
	struct wbnic_qstats s;
	u64 *qdata = data + ARRAY_SIZE(wbnic_gstrings);
	unsigned int q;

	for (q = 0; q < priv->max_queues; q++) {
		u64 qmissed = wbnic_rd64(hw, WBNIC_STAT_RQMPC(q));

		wbnic_qstats_read(&priv->q[q], &s);
		irqs += s.irqs;
		polls += s.polls;
		exhausted += s.budget_exhausted;
		completes += s.napi_completes;
		lro += s.rx_lro_flushed;
		lro_segs += s.rx_lro_aggregated;
		missed += qmissed;
		if (q >= priv->num_queues)
			continue;
		*qdata++ = s.rx_packets;
		*qdata++ = s.rx_bytes;
		*qdata++ = qmissed;
		*qdata++ = s.rx_drops;
		*qdata++ = s.tx_packets;
		*qdata++ = s.tx_bytes;
		*qdata++ = s.tx_drops;
		*qdata++ = s.tx_stops;
		*qdata++ = s.tx_wakes;
		*qdata++ = s.irqs;
		*qdata++ = s.polls;
		*qdata++ = s.budget_exhausted;
		*qdata++ = s.napi_completes;
	}
	*data++ = missed;
	*data++ = wbnic_rd64(hw, WBNIC_STAT_OVERSIZE);
	*data++ = wbnic_rd64(hw, WBNIC_STAT_FILTERED);
	*data++ = wbnic_rd64(hw, WBNIC_STAT_TX_BAD);
	*data++ = wbnic_rd64(hw, WBNIC_STAT_DMA_ERR);
	*data++ = wbnic_rd64(hw, WBNIC_STAT_WIRE_TX);
	*data++ = wbnic_rd64(hw, WBNIC_STAT_WIRE_LOST);
	*data++ = wbnic_rd64(hw, WBNIC_STAT_WIRE_CORRUPT);
	*data++ = wbnic_rd64(hw, WBNIC_STAT_NO_LINK);
	*data++ = irqs;
	*data++ = polls;
	*data++ = exhausted;
	*data++ = completes;
	*data++ = lro;
	*data++ = lro_segs;
	*data++ = wbnic_rd64(hw, WBNIC_STAT_XONTXC);
	*data++ = wbnic_rd64(hw, WBNIC_STAT_XOFFTXC);
	*data++ = wbnic_rd64(hw, WBNIC_STAT_XONRXC);
	*data++ = wbnic_rd64(hw, WBNIC_STAT_XOFFRXC);
}

static void wbnic_get_ringparam(struct net_device *dev,
				struct ethtool_ringparam *ring,
				struct kernel_ethtool_ringparam *kring,
				struct netlink_ext_ack *extack)
{
	struct wbnic_priv *priv = netdev_priv(dev);

	ring->rx_max_pending = WBNIC_RING_MAX;
	ring->tx_max_pending = WBNIC_RING_MAX;
	ring->rx_pending = priv->rx_ring_size;
	ring->tx_pending = priv->tx_ring_size;
	/* what the next bring-up uses, even if the MTU changed while down */
	kring->rx_buf_len = wbnic_buf_size(dev->mtu);
}

#define WBNIC_RING_RULE	"must be a power of two, " \
			__stringify(WBNIC_RING_MIN) " to " \
			__stringify(WBNIC_RING_MAX)

static bool wbnic_ring_ok(u32 n)
{
	return n >= WBNIC_RING_MIN && n <= WBNIC_RING_MAX && is_power_of_2(n);
}

static int wbnic_set_ringparam(struct net_device *dev,
			       struct ethtool_ringparam *ring,
			       struct kernel_ethtool_ringparam *kring,
			       struct netlink_ext_ack *extack)
{
	struct wbnic_priv *priv = netdev_priv(dev);
	struct wbnic_params p;

	/* the core already refused anything above the maxima */
	if (!wbnic_ring_ok(ring->rx_pending)) {
		NL_SET_ERR_MSG_MOD(extack, "RX ring size " WBNIC_RING_RULE);
		return -EINVAL;
	}
	if (!wbnic_ring_ok(ring->tx_pending)) {
		NL_SET_ERR_MSG_MOD(extack, "TX ring size " WBNIC_RING_RULE);
		return -EINVAL;
	}
	wbnic_get_params(priv, &p);
	if (p.rx_ring_size == ring->rx_pending &&
	    p.tx_ring_size == ring->tx_pending)
		return 0;
	p.rx_ring_size = ring->rx_pending;
	p.tx_ring_size = ring->tx_pending;
	return wbnic_reconfigure(priv, &p, extack);
}

static int wbnic_get_coalesce(struct net_device *dev,
			      struct ethtool_coalesce *ec,
			      struct kernel_ethtool_coalesce *kec,
			      struct netlink_ext_ack *extack)
{
	struct wbnic_priv *priv = netdev_priv(dev);

	ec->rx_coalesce_usecs = priv->coal.rx_usecs;
	ec->rx_max_coalesced_frames = priv->coal.rx_frames;
	ec->tx_coalesce_usecs = priv->coal.tx_usecs;
	ec->tx_max_coalesced_frames = priv->coal.tx_frames;
	return 0;
}

static int wbnic_set_coalesce(struct net_device *dev,
			      struct ethtool_coalesce *ec,
			      struct kernel_ethtool_coalesce *kec,
			      struct netlink_ext_ack *extack)
{
	struct wbnic_priv *priv = netdev_priv(dev);

	if (ec->rx_coalesce_usecs > WBNIC_COAL_MAX ||
	    ec->rx_max_coalesced_frames > WBNIC_COAL_MAX ||
	    ec->tx_coalesce_usecs > WBNIC_COAL_MAX ||
	    ec->tx_max_coalesced_frames > WBNIC_COAL_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "coalescing values are 0 to 65535");
		return -ERANGE;
	}
	priv->coal.rx_usecs = ec->rx_coalesce_usecs;
	priv->coal.rx_frames = ec->rx_max_coalesced_frames;
	priv->coal.tx_usecs = ec->tx_coalesce_usecs;
	priv->coal.tx_frames = ec->tx_max_coalesced_frames;
	/* live: the next interrupt is throttled with the new values */
	wbnic_write_coal(priv);
	return 0;
}

static void wbnic_get_channels(struct net_device *dev,
			       struct ethtool_channels *ch)
{
	struct wbnic_priv *priv = netdev_priv(dev);

	ch->max_combined = priv->max_queues;
	ch->combined_count = priv->num_queues;
}

static int wbnic_set_channels(struct net_device *dev,
			      struct ethtool_channels *ch)
{
	struct wbnic_priv *priv = netdev_priv(dev);
	struct wbnic_params p;

	/* the core checked the maxima; only combined channels exist */
	if (!ch->combined_count || ch->rx_count || ch->tx_count)
		return -EINVAL;
	wbnic_get_params(priv, &p);
	if (p.num_queues == ch->combined_count)
		return 0;
	p.num_queues = ch->combined_count;
	return wbnic_reconfigure(priv, &p, NULL);
}

static int wbnic_get_link_ksettings(struct net_device *dev,
				    struct ethtool_link_ksettings *cmd)
{
	cmd->base.speed = SPEED_10000;
	cmd->base.duplex = DUPLEX_FULL;
	cmd->base.port = PORT_OTHER;
	cmd->base.autoneg = AUTONEG_DISABLE;
	return 0;
}

/*
 * ethtool -a/-A: IEEE 802.3x flow control, CTRL.RFCE (rx: obey the
 * partner's PAUSE frames) and CTRL.TFCE (tx: send them when an RX queue
 * runs out of descriptors). The cable has no autonegotiation.
 */
static void wbnic_get_pauseparam(struct net_device *dev,
				 struct ethtool_pauseparam *pause)
{
	struct wbnic_priv *priv = netdev_priv(dev);
	u32 ctrl = wbnic_rd32(priv->hw, WBNIC_CTRL);

	pause->autoneg = AUTONEG_DISABLE;
	pause->rx_pause = !!(ctrl & WBNIC_CTRL_RFCE);
	pause->tx_pause = !!(ctrl & WBNIC_CTRL_TFCE);
}

static int wbnic_set_pauseparam(struct net_device *dev,
				struct ethtool_pauseparam *pause)
{
	struct wbnic_priv *priv = netdev_priv(dev);
	u32 ctrl;

	if (pause->autoneg)
		return -EOPNOTSUPP;
	ctrl = wbnic_rd32(priv->hw, WBNIC_CTRL);
	ctrl &= ~(WBNIC_CTRL_RFCE | WBNIC_CTRL_TFCE);
	if (pause->rx_pause)
		ctrl |= WBNIC_CTRL_RFCE;
	if (pause->tx_pause)
		ctrl |= WBNIC_CTRL_TFCE;
	wbnic_wr32(priv->hw, WBNIC_CTRL, ctrl);
	return 0;
}

/* ethtool -I -a: PAUSE frames, XOFF and XON alike, as 802.3 counts them. */
static void wbnic_get_pause_stats(struct net_device *dev,
				  struct ethtool_pause_stats *st)
{
	struct wbnic_priv *priv = netdev_priv(dev);
	struct wbnic_hw *hw = priv->hw;

	st->tx_pause_frames = wbnic_rd64(hw, WBNIC_STAT_XOFFTXC) +
			      wbnic_rd64(hw, WBNIC_STAT_XONTXC);
	st->rx_pause_frames = wbnic_rd64(hw, WBNIC_STAT_XOFFRXC) +
			      wbnic_rd64(hw, WBNIC_STAT_XONRXC);
}

/* ethtool -d: the register file, as the driver sees it. */
static const u32 wbnic_dev_regs[] = {
	WBNIC_CTRL, WBNIC_STATUS, WBNIC_RCTL, WBNIC_MRQC, WBNIC_EIMS,
};

#define WBNIC_QREGS	15

static int wbnic_get_regs_len(struct net_device *dev)
{
	struct wbnic_priv *priv = netdev_priv(dev);

	return (ARRAY_SIZE(wbnic_dev_regs) + priv->max_queues * WBNIC_QREGS) *
	       sizeof(u32);
}

static void wbnic_get_regs(struct net_device *dev, struct ethtool_regs *regs,
			   void *p)
{
	struct wbnic_priv *priv = netdev_priv(dev);
	struct wbnic_hw *hw = priv->hw;
	u32 *out = p;
	unsigned int i;

	regs->version = 1;
	for (i = 0; i < ARRAY_SIZE(wbnic_dev_regs); i++)
		*out++ = wbnic_rd32(hw, wbnic_dev_regs[i]);
	/* EICR is read-to-clear: a dump must not eat interrupts */
	for (i = 0; i < priv->max_queues; i++) {
		*out++ = wbnic_rd32(hw, WBNIC_TDBAL(i));
		*out++ = wbnic_rd32(hw, WBNIC_TDBAH(i));
		*out++ = wbnic_rd32(hw, WBNIC_TDLEN(i));
		*out++ = wbnic_rd32(hw, WBNIC_TDH(i));
		*out++ = wbnic_rd32(hw, WBNIC_TDT(i));
		*out++ = wbnic_rd32(hw, WBNIC_TXDCTL(i));
		*out++ = wbnic_rd32(hw, WBNIC_RDBAL(i));
		*out++ = wbnic_rd32(hw, WBNIC_RDBAH(i));
		*out++ = wbnic_rd32(hw, WBNIC_RDLEN(i));
		*out++ = wbnic_rd32(hw, WBNIC_RDH(i));
		*out++ = wbnic_rd32(hw, WBNIC_RDT(i));
		*out++ = wbnic_rd32(hw, WBNIC_RXDCTL(i));
		*out++ = wbnic_rd32(hw, WBNIC_RBSIZE(i));
		*out++ = wbnic_rd32(hw, WBNIC_EITR_RX(i));
		*out++ = wbnic_rd32(hw, WBNIC_EITR_TX(i));
	}
}

const struct ethtool_ops wbnic_ethtool_ops = {
	.supported_coalesce_params = ETHTOOL_COALESCE_USECS |
				     ETHTOOL_COALESCE_MAX_FRAMES,
	.get_drvinfo		= wbnic_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_link_ksettings	= wbnic_get_link_ksettings,
	.get_strings		= wbnic_get_strings,
	.get_sset_count		= wbnic_get_sset_count,
	.get_ethtool_stats	= wbnic_get_ethtool_stats,
	.get_ringparam		= wbnic_get_ringparam,
	.set_ringparam		= wbnic_set_ringparam,
	.get_coalesce		= wbnic_get_coalesce,
	.set_coalesce		= wbnic_set_coalesce,
	.get_channels		= wbnic_get_channels,
	.set_channels		= wbnic_set_channels,
	.get_pauseparam		= wbnic_get_pauseparam,
	.set_pauseparam		= wbnic_set_pauseparam,
	.get_pause_stats	= wbnic_get_pause_stats,
	.get_regs_len		= wbnic_get_regs_len,
	.get_regs		= wbnic_get_regs,
	.get_ts_info		= ethtool_op_get_ts_info,
};
