/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wirebox_pair: a veth-like pair of Ethernet devices.
 */
#ifndef _WBPAIR_H
#define _WBPAIR_H

#include <linux/netdevice.h>
#include <linux/ptr_ring.h>
#include <linux/u64_stats_sync.h>
#include <linux/wirebox.h>

#define WBPAIR_DRV_NAME		"wirebox_pair"
#define WBPAIR_RING_SIZE	256

/* Per-CPU, per-device counters. Written with BH disabled only. */
struct wbpair_stats {
	u64 rx_packets;
	u64 rx_bytes;
	u64 rx_ring_full;	/* NAPI mode: the receive ring was full */
	u64 rx_flushed;		/* NAPI mode: still queued when we went down */
	u64 tx_packets;
	u64 tx_bytes;
	u64 tx_peer_down;	/* no peer, or peer not up */
	u64 tx_too_big;		/* frame larger than the peer's MTU allows */
	u64 napi_polls;
	u64 napi_completes;
	struct u64_stats_sync syncp;
};

/* NAPI receive mode: the peer's xmit fills ring, our poll empties it. */
struct wbpair_rq {
	struct napi_struct napi;
	struct ptr_ring ring;	/* producer: peer xmit, consumer: poll */
};

struct wbpair_priv {
	/* the other end; RCU for xmit, RTNL for everything else */
	struct net_device __rcu *peer;
	struct wbpair_stats __percpu *stats;
	enum wbpair_mode mode;	/* fixed before register_netdevice() */
	bool rx_running;	/* NAPI mode: rq may be fed (under RCU) */
	struct wbpair_rq rq;
};

extern struct rtnl_link_ops wbpair_link_ops;
extern const struct ethtool_ops wbpair_ethtool_ops;

void wbpair_setup(struct net_device *dev);
void wbpair_stats_sum(struct net_device *dev, struct wbpair_stats *sum);

#endif /* _WBPAIR_H */
