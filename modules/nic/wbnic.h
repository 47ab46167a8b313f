/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wirebox_nic: the driver's data structures.
 */
#ifndef _WBNIC_H
#define _WBNIC_H

#include <linux/netdevice.h>
#include <linux/platform_device.h>
#include <linux/u64_stats_sync.h>
#include <linux/wirebox.h>

#include "wbnic_hw.h"

#define WBNIC_DRV_NAME		"wirebox_nic"

/* Stop the queue when a worst-case skb would no longer fit. */
#define WBNIC_TX_STOP_THRESH	(MAX_SKB_FRAGS + 2)
#define WBNIC_TX_WAKE_THRESH	(WBNIC_TX_STOP_THRESH * 2)

/* Coalescing defaults (ethtool -c). */
#define WBNIC_RX_USECS		20
#define WBNIC_RX_FRAMES		32
#define WBNIC_TX_USECS		50
#define WBNIC_TX_FRAMES		64
#define WBNIC_COAL_MAX		0xffff

/* One mapped TX buffer: the skb head or one fragment. */
struct wbnic_tx_buf {
	struct sk_buff *skb;		/* on the frame's last buffer */
	struct wbnic_tx_desc *next_to_watch;	/* on the first: its EOP */
	dma_addr_t dma;
	u32 len;
	bool is_frag;
	unsigned int bytes;		/* on the first: bytes on the wire */
	u16 segs;			/* on the first: frames on the wire */
};

/* One posted RX buffer, mapped for the ring's lifetime. */
struct wbnic_rx_buf {
	void *data;
	dma_addr_t dma;
};

struct wbnic_ring {
	void *desc;			/* DMA-coherent descriptor array */
	dma_addr_t desc_dma;
	size_t desc_bytes;
	u32 count;			/* power of two */
	u32 next_to_use;		/* TX: producer (xmit) */
	u32 next_to_clean;		/* consumer (poll) */
	union {
		struct wbnic_tx_buf *tx_buf;
		struct wbnic_rx_buf *rx_buf;
	};
};

/* Counters of one queue pair; they survive down/up and channel changes. */
struct wbnic_qstats {
	/* written by the NAPI poll */
	u64 rx_packets, rx_bytes, rx_drops;
	u64 tx_packets, tx_bytes, tx_wakes;
	u64 polls, budget_exhausted, napi_completes;
	u64 rx_lro_flushed, rx_lro_aggregated;	/* RSC frames, their segments */
	struct u64_stats_sync poll_syncp;
	/* written by ndo_start_xmit, under the queue's xmit lock */
	u64 tx_drops, tx_stops;
	struct u64_stats_sync xmit_syncp;
	/* written by the interrupt handler, serialized by the device */
	u64 irqs;
	struct u64_stats_sync irq_syncp;
};

/* A queue pair and its interrupt vector. */
struct wbnic_q {
	struct wbnic_priv *priv;
	unsigned int idx;
	struct napi_struct napi;
	struct wbnic_ring tx;
	struct wbnic_ring rx;
	struct wbnic_qstats stats;
};

struct wbnic_coal {
	u32 rx_usecs, rx_frames, tx_usecs, tx_frames;
};

struct wbnic_priv {
	struct net_device *dev;
	struct platform_device *pdev;	/* stands in for the PCI function */
	struct device *dmadev;
	struct wbnic_hw *hw;

	/* configuration, under RTNL */
	u32 rx_ring_size, tx_ring_size, num_queues, max_queues;
	u32 rx_buf_size;
	struct wbnic_coal coal;
	u8 rss_key[WBNIC_RSS_KEY_SIZE];
	bool running;			/* rings allocated, hardware live */
	bool lro;			/* RCTL.RSC, under netif_addr_lock */

	struct wbnic_q q[WBNIC_QUEUES_MAX];
};

struct wbnic_params {
	u32 rx_ring_size, tx_ring_size, num_queues, mtu;
};

extern const struct ethtool_ops wbnic_ethtool_ops;
extern struct rtnl_link_ops wbnic_link_ops;
extern struct genl_family wbnic_genl_family;

void wbnic_setup(struct net_device *dev);
bool wbnic_is_wbnic(const struct net_device *dev);
int wbnic_reconfigure(struct wbnic_priv *priv, const struct wbnic_params *p,
		      struct netlink_ext_ack *extack);
void wbnic_get_params(struct wbnic_priv *priv, struct wbnic_params *p);
void wbnic_write_coal(struct wbnic_priv *priv);
u32 wbnic_buf_size(unsigned int mtu);
void wbnic_qstats_read(struct wbnic_q *q, struct wbnic_qstats *s);
int wbnic_create_nics(unsigned int n);

static inline struct wbnic_priv *wbnic_priv(const struct net_device *dev)
{
	return netdev_priv(dev);
}

static inline u32 wbnic_ring_used(const struct wbnic_ring *r)
{
	return (r->next_to_use - r->next_to_clean) & (r->count - 1);
}

/* Free TX descriptors, one slot always kept empty (head == tail: empty). */
static inline u32 wbnic_tx_free(const struct wbnic_ring *r)
{
	return r->count - 1 - wbnic_ring_used(r);
}

#endif /* _WBNIC_H */
