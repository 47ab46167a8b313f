// SPDX-License-Identifier: GPL-2.0
/*
 * wirebox_pair: the data path and netdev ops.
 *
 * A frame sent on one end is handed to the other end's stack, either
 * directly with __netif_rx() in the sender's context (WBPAIR_MODE_XMIT, what
 * veth does by default) or through a ring the receiver's NAPI poll drains
 * with GRO (WBPAIR_MODE_NAPI). Either way every frame is counted exactly
 * once: delivered (tx on the sender, rx on the receiver) or dropped, with
 * the reason, on the end that dropped it.
 */

#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>

#include "wbpair.h"

#define WBPAIR_FEATURES (NETIF_F_SG | NETIF_F_FRAGLIST | NETIF_F_HW_CSUM | \
			 NETIF_F_RXCSUM | NETIF_F_SCTP_CRC | NETIF_F_HIGHDMA | \
			 NETIF_F_GSO_SOFTWARE | NETIF_F_GSO_ENCAP_ALL | \
			 NETIF_F_HW_VLAN_CTAG_TX | NETIF_F_HW_VLAN_CTAG_RX | \
			 NETIF_F_HW_VLAN_STAG_TX | NETIF_F_HW_VLAN_STAG_RX)

#define WBPAIR_VLAN_OFFLOADS (NETIF_F_HW_VLAN_CTAG_TX | \
			      NETIF_F_HW_VLAN_STAG_TX | \
			      NETIF_F_HW_VLAN_CTAG_RX | \
			      NETIF_F_HW_VLAN_STAG_RX)

/*
 * This CPU's counters of @dev, open for update until wbpair_stats_end().
 * Context: BH disabled (the only writers are xmit and NAPI poll).
 */
static struct wbpair_stats *wbpair_stats_begin(struct net_device *dev)
{
	struct wbpair_priv *priv = netdev_priv(dev);
	struct wbpair_stats *s = this_cpu_ptr(priv->stats);

	u64_stats_update_begin(&s->syncp);
	return s;
}

static void wbpair_stats_end(struct wbpair_stats *s)
{
	u64_stats_update_end(&s->syncp);
}

static void wbpair_count_xfer(struct net_device *dev, bool rx,
			      unsigned int len)
{
	struct wbpair_stats *s = wbpair_stats_begin(dev);

	if (rx) {
		s->rx_packets++;
		s->rx_bytes += len;
	} else {
		s->tx_packets++;
		s->tx_bytes += len;
	}
	wbpair_stats_end(s);
}

/* ---------------------------------------------------------------- xmit */

/*
 * NAPI mode: queue @skb on @rcv's ring and kick its poll. The skb is already
 * scrubbed and eth_type_trans()'d. Returns false if the frame was dropped.
 */
static bool wbpair_napi_enqueue(struct net_device *rcv, struct sk_buff *skb)
{
	struct wbpair_priv *rpriv = netdev_priv(rcv);
	struct wbpair_stats *s;

	if (unlikely(ptr_ring_produce(&rpriv->rq.ring, skb))) {
		s = wbpair_stats_begin(rcv);
		s->rx_ring_full++;
		wbpair_stats_end(s);
		kfree_skb(skb);
		return false;
	}
	/*
	 * If the poll is running, napi_schedule() sets NAPI_STATE_MISSED and
	 * napi_complete_done() reschedules: this frame is never stranded.
	 */
	napi_schedule(&rpriv->rq.napi);
	return true;
}

/*
 * Context: BH disabled; the core holds rcu_read_lock_bh() on the qdisc path
 * but not on every path (dev_direct_xmit() only disables BH), so take the
 * RCU read lock for the peer ourselves, as veth does. The device is LLTX:
 * no tx lock, any number of CPUs.
 */
static netdev_tx_t wbpair_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct wbpair_priv *priv = netdev_priv(dev);
	unsigned int len = skb->len;
	struct wbpair_priv *rpriv;
	struct wbpair_stats *s;
	struct net_device *rcv;
	bool napi;

	rcu_read_lock();
	rcv = rcu_dereference(priv->peer);
	if (unlikely(!rcv || !(rcv->flags & IFF_UP)))
		goto drop_peer_down;
	if (unlikely(!is_skb_forwardable(rcv, skb))) {
		s = wbpair_stats_begin(dev);
		s->tx_too_big++;
		wbpair_stats_end(s);
		goto drop;
	}

	rpriv = netdev_priv(rcv);
	/* pairs with the WRITE_ONCE() + synchronize_net() in wbpair_stop() */
	napi = rpriv->mode == WBPAIR_MODE_NAPI;
	if (napi && unlikely(!READ_ONCE(rpriv->rx_running)))
		goto drop_peer_down;

	skb_tx_timestamp(skb);
	/*
	 * __dev_forward_skb() scrubs the skb for the new netns and runs
	 * eth_type_trans(). It can only fail here if @rcv went down since the
	 * test above; it then frees the skb and counts it in @rcv's core
	 * rx_dropped.
	 */
	if (__dev_forward_skb(rcv, skb))
		goto out;

	wbpair_count_xfer(dev, false, len);
	if (napi) {
		wbpair_napi_enqueue(rcv, skb);
		goto out;
	}
	/* a full backlog is counted by the core in @rcv's rx_dropped */
	if (likely(__netif_rx(skb) == NET_RX_SUCCESS))
		wbpair_count_xfer(rcv, true, len);
	goto out;

drop_peer_down:
	s = wbpair_stats_begin(dev);
	s->tx_peer_down++;
	wbpair_stats_end(s);
drop:
	kfree_skb(skb);
out:
	rcu_read_unlock();
	return NETDEV_TX_OK;
}

/* ---------------------------------------------------------------- NAPI */

static int wbpair_poll(struct napi_struct *napi, int budget)
{
	struct wbpair_rq *rq = container_of(napi, struct wbpair_rq, napi);
	struct net_device *dev = napi->dev;
	struct wbpair_stats *s;
	struct sk_buff *skb;
	int done = 0;

	/* NAPI is the only consumer: no consumer lock needed */
	while (done < budget && (skb = __ptr_ring_consume(&rq->ring))) {
		/* eth_type_trans() pulled the header; count the whole frame */
		wbpair_count_xfer(dev, true, skb->len + ETH_HLEN);
		napi_gro_receive(napi, skb);
		done++;
	}

	s = wbpair_stats_begin(dev);
	s->napi_polls++;
	if (done < budget && napi_complete_done(napi, done))
		s->napi_completes++;
	wbpair_stats_end(s);
	return done;
}

static void wbpair_rq_flush(struct net_device *dev)
{
	struct wbpair_priv *priv = netdev_priv(dev);
	struct wbpair_stats *s;
	struct sk_buff *skb;
	unsigned int n = 0;

	while ((skb = ptr_ring_consume_bh(&priv->rq.ring))) {
		kfree_skb(skb);
		n++;
	}
	if (n) {
		local_bh_disable();
		s = wbpair_stats_begin(dev);
		s->rx_flushed += n;
		wbpair_stats_end(s);
		local_bh_enable();
	}
}

/* ------------------------------------------------------------ netdev ops */

/* Synchronization: RTNL. Context: process. */
static int wbpair_open(struct net_device *dev)
{
	struct wbpair_priv *priv = netdev_priv(dev);
	struct net_device *peer = rtnl_dereference(priv->peer);

	if (!peer)
		return -ENOTCONN;

	if (priv->mode == WBPAIR_MODE_NAPI) {
		napi_enable(&priv->rq.napi);
		WRITE_ONCE(priv->rx_running, true);
	}

	if (peer->flags & IFF_UP) {
		netif_carrier_on(dev);
		netif_carrier_on(peer);
	}
	return 0;
}

/* Synchronization: RTNL. Context: process, may sleep. */
static int wbpair_stop(struct net_device *dev)
{
	struct wbpair_priv *priv = netdev_priv(dev);
	struct net_device *peer = rtnl_dereference(priv->peer);

	netif_carrier_off(dev);
	if (peer)
		netif_carrier_off(peer);

	if (priv->mode == WBPAIR_MODE_NAPI) {
		WRITE_ONCE(priv->rx_running, false);
		/* no wbpair_xmit() of the peer can still be feeding our ring */
		synchronize_net();
		napi_disable(&priv->rq.napi);
		wbpair_rq_flush(dev);
	}
	return 0;
}

/* Synchronization: RTNL, from register_netdevice(). */
static int wbpair_dev_init(struct net_device *dev)
{
	struct wbpair_priv *priv = netdev_priv(dev);
	int err;

	priv->stats = netdev_alloc_pcpu_stats(struct wbpair_stats);
	if (!priv->stats)
		return -ENOMEM;

	if (priv->mode == WBPAIR_MODE_NAPI) {
		err = ptr_ring_init(&priv->rq.ring, WBPAIR_RING_SIZE,
				    GFP_KERNEL);
		if (err)
			goto err_free_stats;
		netif_napi_add(dev, &priv->rq.napi, wbpair_poll);
	}
	return 0;

err_free_stats:
	free_percpu(priv->stats);
	priv->stats = NULL;
	return err;
}

/* Synchronization: RTNL, from unregister_netdevice() or a failed register. */
static void wbpair_dev_uninit(struct net_device *dev)
{
	struct wbpair_priv *priv = netdev_priv(dev);

	if (priv->mode == WBPAIR_MODE_NAPI)
		netif_napi_del(&priv->rq.napi);
}

static void wbpair_skb_free(void *ptr)
{
	kfree_skb(ptr);
}

/*
 * priv_destructor: runs when the last reference is gone, after ndo_uninit
 * (stats may still be read until then).
 */
static void wbpair_dev_free(struct net_device *dev)
{
	struct wbpair_priv *priv = netdev_priv(dev);

	if (priv->mode == WBPAIR_MODE_NAPI)
		ptr_ring_cleanup(&priv->rq.ring, wbpair_skb_free);
	free_percpu(priv->stats);
}

void wbpair_stats_sum(struct net_device *dev, struct wbpair_stats *sum)
{
	struct wbpair_priv *priv = netdev_priv(dev);
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct wbpair_stats *s = per_cpu_ptr(priv->stats, cpu);
		struct wbpair_stats c;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			c = *s;
		} while (u64_stats_fetch_retry(&s->syncp, start));

		sum->rx_packets += c.rx_packets;
		sum->rx_bytes += c.rx_bytes;
		sum->rx_ring_full += c.rx_ring_full;
		sum->rx_flushed += c.rx_flushed;
		sum->tx_packets += c.tx_packets;
		sum->tx_bytes += c.tx_bytes;
		sum->tx_peer_down += c.tx_peer_down;
		sum->tx_too_big += c.tx_too_big;
		sum->napi_polls += c.napi_polls;
		sum->napi_completes += c.napi_completes;
	}
}

/* Context: any, may be called under RCU or RTNL. */
static void wbpair_get_stats64(struct net_device *dev,
			       struct rtnl_link_stats64 *tot)
{
	struct wbpair_stats sum;

	wbpair_stats_sum(dev, &sum);
	tot->rx_packets = sum.rx_packets;
	tot->rx_bytes = sum.rx_bytes;
	/* a full ring is "no descriptor": missed, as a NIC would count it */
	tot->rx_missed_errors = sum.rx_ring_full;
	tot->rx_dropped = sum.rx_flushed;
	tot->tx_packets = sum.tx_packets;
	tot->tx_bytes = sum.tx_bytes;
	tot->tx_dropped = sum.tx_peer_down + sum.tx_too_big;
}

static int wbpair_get_iflink(const struct net_device *dev)
{
	struct wbpair_priv *priv = netdev_priv(dev);
	struct net_device *peer;
	int iflink;

	rcu_read_lock();
	peer = rcu_dereference(priv->peer);
	iflink = peer ? peer->ifindex : 0;
	rcu_read_unlock();
	return iflink;
}

static const struct net_device_ops wbpair_netdev_ops = {
	.ndo_init		= wbpair_dev_init,
	.ndo_uninit		= wbpair_dev_uninit,
	.ndo_open		= wbpair_open,
	.ndo_stop		= wbpair_stop,
	.ndo_start_xmit		= wbpair_xmit,
	.ndo_get_stats64	= wbpair_get_stats64,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_get_iflink		= wbpair_get_iflink,
	.ndo_features_check	= passthru_features_check,
};

void wbpair_setup(struct net_device *dev)
{
	ether_setup(dev);

	dev->priv_flags &= ~IFF_TX_SKB_SHARING;
	dev->priv_flags |= IFF_LIVE_ADDR_CHANGE | IFF_NO_QUEUE |
			   IFF_DISABLE_NETPOLL;
	wb_netdev_set_lltx(dev);

	dev->netdev_ops = &wbpair_netdev_ops;
	dev->ethtool_ops = &wbpair_ethtool_ops;
	dev->features |= WBPAIR_FEATURES;
	dev->hw_features = WBPAIR_FEATURES;
	dev->hw_enc_features = WBPAIR_FEATURES;
	dev->vlan_features = WBPAIR_FEATURES & ~WBPAIR_VLAN_OFFLOADS;
	dev->mpls_features = NETIF_F_HW_CSUM | NETIF_F_GSO_SOFTWARE;
	dev->needs_free_netdev = true;
	dev->priv_destructor = wbpair_dev_free;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = ETH_MAX_MTU;
}
