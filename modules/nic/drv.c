// SPDX-License-Identifier: GPL-2.0
/*
 * wirebox_nic: the driver. It talks to the device only through
 * wbnic_rd32()/wbnic_wr32() and the descriptor rings, as a PCI driver
 * talks to its NIC through MMIO and DMA.
 *
 * Transmit: ndo_start_xmit maps the skb head and fragments with the DMA
 * API, fills one descriptor per buffer, accounts the bytes to BQL and
 * rings the doorbell (TDT), deferred while the stack says more frames
 * follow (xmit_more). The queue stops when a worst-case skb would not fit
 * and is woken from TX completion.
 *
 * Receive: each RX descriptor owns one buffer, allocated and mapped once
 * for the ring's lifetime. The poll copies each frame into a fresh skb and
 * gives the same buffer back to the device (sync for CPU, copy, sync for
 * device, bump RDT). page_pool would avoid the copy, but buffers that
 * never leave the ring keep every step of the DMA API visible here and
 * mean a ring resize or rmmod can never strand a page in some socket.
 *
 * Interrupts: one vector per queue pair. The handler reads the cause,
 * masks the vector and schedules NAPI; the poll cleans TX, receives up to
 * budget frames with GRO, then napi_complete_done() and unmasks. Work
 * that arrived while masked latches a cause bit, and the device delivers
 * it on unmask, so nothing waits for a next frame to be noticed.
 */
#include <linux/bitfield.h>
#include <linux/dma-mapping.h>
#include <linux/error-injection.h>
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/if_vlan.h>
#include <linux/interrupt.h>
#include <linux/ipv6.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <net/rtnetlink.h>

#include "wbnic.h"

static const struct net_device_ops wbnic_netdev_ops;

bool wbnic_is_wbnic(const struct net_device *dev)
{
	return dev->netdev_ops == &wbnic_netdev_ops;
}

static struct wbnic_tx_desc *wbnic_tx_desc(struct wbnic_ring *r, u32 i)
{
	return (struct wbnic_tx_desc *)r->desc + i;
}

static struct wbnic_rx_desc *wbnic_rx_desc(struct wbnic_ring *r, u32 i)
{
	return (struct wbnic_rx_desc *)r->desc + i;
}

u32 wbnic_buf_size(unsigned int mtu)
{
	/* never below what a standard frame needs, VLAN tag included */
	return ALIGN(max_t(u32, mtu, ETH_DATA_LEN) + ETH_HLEN + VLAN_HLEN,
		     SMP_CACHE_BYTES);
}

/* ---- Statistics ---- */

void wbnic_qstats_read(struct wbnic_q *q, struct wbnic_qstats *s)
{
	const struct wbnic_qstats *qs = &q->stats;
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&qs->poll_syncp);
		s->rx_packets = qs->rx_packets;
		s->rx_bytes = qs->rx_bytes;
		s->rx_drops = qs->rx_drops;
		s->tx_packets = qs->tx_packets;
		s->tx_bytes = qs->tx_bytes;
		s->tx_wakes = qs->tx_wakes;
		s->polls = qs->polls;
		s->budget_exhausted = qs->budget_exhausted;
		s->napi_completes = qs->napi_completes;
		s->rx_lro_flushed = qs->rx_lro_flushed;
		s->rx_lro_aggregated = qs->rx_lro_aggregated;
	} while (u64_stats_fetch_retry(&qs->poll_syncp, start));
	do {
		start = u64_stats_fetch_begin(&qs->xmit_syncp);
		s->tx_drops = qs->tx_drops;
		s->tx_stops = qs->tx_stops;
	} while (u64_stats_fetch_retry(&qs->xmit_syncp, start));
	do {
		start = u64_stats_fetch_begin(&qs->irq_syncp);
		s->irqs = qs->irqs;
	} while (u64_stats_fetch_retry(&qs->irq_syncp, start));
}

static void wbnic_xmit_count(struct wbnic_q *q, bool drop)
{
	u64_stats_update_begin(&q->stats.xmit_syncp);
	if (drop)
		q->stats.tx_drops++;
	else
		q->stats.tx_stops++;
	u64_stats_update_end(&q->stats.xmit_syncp);
}

static void wbnic_get_stats64(struct net_device *dev,
			      struct rtnl_link_stats64 *st)
{
	struct wbnic_priv *priv = netdev_priv(dev);
	struct wbnic_hw *hw = priv->hw;
	struct wbnic_qstats s;
	unsigned int i;

	for (i = 0; i < priv->max_queues; i++) {
		wbnic_qstats_read(&priv->q[i], &s);
		st->rx_packets += s.rx_packets;
		st->rx_bytes += s.rx_bytes;
		st->rx_dropped += s.rx_drops;
		st->tx_packets += s.tx_packets;
		st->tx_bytes += s.tx_bytes;
		st->tx_dropped += s.tx_drops;
		st->rx_missed_errors += wbnic_rd64(hw, WBNIC_STAT_RQMPC(i));
	}
	st->rx_length_errors = wbnic_rd64(hw, WBNIC_STAT_OVERSIZE);
	/* as e1000: missed frames are not errors of a received frame */
	st->rx_errors = st->rx_length_errors;
	st->tx_carrier_errors = wbnic_rd64(hw, WBNIC_STAT_NO_LINK);
	st->tx_errors = st->tx_carrier_errors +
			wbnic_rd64(hw, WBNIC_STAT_TX_BAD);
}

/* ---- Transmit ---- */

static void wbnic_unmap_tx(struct wbnic_priv *priv, struct wbnic_tx_buf *buf)
{
	if (!buf->len)
		return;
	if (buf->is_frag)
		dma_unmap_page(priv->dmadev, buf->dma, buf->len, DMA_TO_DEVICE);
	else
		dma_unmap_single(priv->dmadev, buf->dma, buf->len,
				 DMA_TO_DEVICE);
	buf->len = 0;
}

static netdev_tx_t wbnic_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct wbnic_priv *priv = netdev_priv(dev);
	u16 qi = skb_get_queue_mapping(skb);
	struct netdev_queue *txq = netdev_get_tx_queue(dev, qi);
	unsigned int nfrags = skb_shinfo(skb)->nr_frags;
	struct wbnic_q *q = &priv->q[qi];
	struct wbnic_ring *r = &q->tx;
	u8 cmd = WBNIC_TXD_CMD_RS, css = 0, cso = 0;
	u32 mask = r->count - 1, i, first, f, len;
	u16 mss = 0, segs = 1;
	unsigned int hlen;
	struct wbnic_tx_desc *desc;
	struct wbnic_tx_buf *buf;
	unsigned int bytes;
	dma_addr_t dma;
	bool kick;

	if (unlikely(skb->len > (skb_is_gso(skb) ? WBNIC_TSO_MAX_FRAME :
				 WBNIC_MAX_FRAME) || !skb_headlen(skb)))
		goto drop;
	/* the device takes at most WBNIC_TX_MAX_SEGS buffers per frame */
	if (unlikely(nfrags + 1 > WBNIC_TX_MAX_SEGS)) {
		if (skb_linearize(skb))
			goto drop;
		nfrags = 0;
	}
	if (unlikely(wbnic_tx_free(r) < nfrags + 1)) {
		/* the stop threshold makes this a driver bug */
		netif_tx_stop_queue(txq);
		wbnic_xmit_count(q, false);
		/* frames deferred by xmit_more must not wait for a wake */
		wbnic_wr32(priv->hw, WBNIC_TDT(qi), r->next_to_use);
		return NETDEV_TX_BUSY;
	}
	bytes = skb->len;
	if (skb->ip_summed == CHECKSUM_PARTIAL) {
		u32 start = skb_checksum_start_offset(skb);
		u32 at = start + skb->csum_offset;

		/* the legacy descriptor has 8-bit offsets */
		if (start > U8_MAX || at > U8_MAX - 1) {
			/* wbnic_features_check() keeps such GSO frames away */
			if (skb_is_gso(skb) || skb_checksum_help(skb))
				goto drop;
		} else {
			cmd |= WBNIC_TXD_CMD_IC;
			css = start;
			cso = at;
		}
	}
	if (skb_is_gso(skb)) {
		/* the device cuts it into gso_segs frames, headers repeated */
		if (!(cmd & WBNIC_TXD_CMD_IC))
			goto drop;
		cmd |= WBNIC_TXD_CMD_TSE;
		hlen = skb_tcp_all_headers(skb);
		mss = skb_shinfo(skb)->gso_size;
		if (!mss || skb->len <= hlen)
			goto drop;
		segs = skb_shinfo(skb)->gso_segs ?:
		       DIV_ROUND_UP(skb->len - hlen, mss);
		bytes += (segs - 1) * hlen;
	}

	first = r->next_to_use;
	i = first;
	len = skb_headlen(skb);
	dma = dma_map_single(priv->dmadev, skb->data, len, DMA_TO_DEVICE);
	if (dma_mapping_error(priv->dmadev, dma))
		goto drop;
	for (f = 0; ; f++) {
		buf = &r->tx_buf[i];
		buf->dma = dma;
		buf->len = len;
		buf->is_frag = f > 0;
		buf->skb = NULL;
		desc = wbnic_tx_desc(r, i);
		desc->addr = cpu_to_le64(dma);
		desc->length = cpu_to_le16(len);
		desc->cmd = f ? cmd & ~WBNIC_TXD_CMD_TSE : cmd;
		desc->css = f ? 0 : css;
		desc->cso = f ? 0 : cso;
		desc->status = 0;
		desc->special = cpu_to_le16(f ? 0 : mss);
		if (f == nfrags)
			break;
		i = (i + 1) & mask;
		len = skb_frag_size(&skb_shinfo(skb)->frags[f]);
		dma = skb_frag_dma_map(priv->dmadev,
				       &skb_shinfo(skb)->frags[f], 0, len,
				       DMA_TO_DEVICE);
		if (dma_mapping_error(priv->dmadev, dma))
			goto unmap;
	}
	desc->cmd |= WBNIC_TXD_CMD_EOP;
	buf->skb = skb;
	r->tx_buf[first].bytes = bytes;
	r->tx_buf[first].segs = segs;
	skb_tx_timestamp(skb);

	/* descriptors complete before the cleaner may look at them */
	smp_wmb();
	WRITE_ONCE(r->tx_buf[first].next_to_watch, desc);
	WRITE_ONCE(r->next_to_use, (i + 1) & mask);

	kick = __netdev_tx_sent_queue(txq, bytes, netdev_xmit_more());
	if (unlikely(wbnic_tx_free(r) < WBNIC_TX_STOP_THRESH)) {
		netif_tx_stop_queue(txq);
		wbnic_xmit_count(q, false);
		/* pairs with the barrier in wbnic_clean_tx() */
		smp_mb();
		if (wbnic_tx_free(r) >= WBNIC_TX_STOP_THRESH)
			netif_tx_start_queue(txq);
	}
	/* dma_wmb(): the device fetches descriptors after seeing TDT */
	dma_wmb();
	/* the skb belongs to the device now: don't touch it after this */
	if (kick || netif_xmit_stopped(txq))
		wbnic_wr32(priv->hw, WBNIC_TDT(qi), r->next_to_use);
	return NETDEV_TX_OK;

unmap:
	for (;;) {
		wbnic_unmap_tx(priv, &r->tx_buf[first]);
		if (first == i)
			break;
		first = (first + 1) & mask;
	}
drop:
	wbnic_xmit_count(q, true);
	dev_kfree_skb_any(skb);
	/* the last frame of a batch: ring for those xmit_more deferred */
	if (!netdev_xmit_more())
		wbnic_wr32(priv->hw, WBNIC_TDT(qi), r->next_to_use);
	return NETDEV_TX_OK;
}

/* Reclaim what the device finished sending. budget 0: not from NAPI. */
static void wbnic_clean_tx(struct wbnic_q *q, int budget)
{
	struct wbnic_priv *priv = q->priv;
	struct netdev_queue *txq = netdev_get_tx_queue(priv->dev, q->idx);
	struct wbnic_ring *r = &q->tx;
	u32 mask = r->count - 1, i = r->next_to_clean, eop_i;
	unsigned int pkts = 0, bytes = 0;
	struct wbnic_tx_desc *eop;
	struct wbnic_tx_buf *buf;
	bool last;

	for (;;) {
		eop = READ_ONCE(r->tx_buf[i].next_to_watch);
		if (!eop)
			break;
		/* pairs with smp_wmb() in wbnic_xmit(): buffers filled */
		smp_rmb();
		if (!(READ_ONCE(eop->status) & WBNIC_TXD_STAT_DD))
			break;
		dma_rmb();
		r->tx_buf[i].next_to_watch = NULL;
		bytes += r->tx_buf[i].bytes;
		pkts += r->tx_buf[i].segs;
		eop_i = eop - wbnic_tx_desc(r, 0);
		do {
			buf = &r->tx_buf[i];
			wbnic_unmap_tx(priv, buf);
			if (buf->skb) {
				napi_consume_skb(buf->skb, budget);
				buf->skb = NULL;
			}
			last = i == eop_i;
			i = (i + 1) & mask;
		} while (!last);
	}
	if (!pkts)
		return;
	WRITE_ONCE(r->next_to_clean, i);
	netdev_tx_completed_queue(txq, pkts, bytes);

	u64_stats_update_begin(&q->stats.poll_syncp);
	q->stats.tx_packets += pkts;
	q->stats.tx_bytes += bytes;
	u64_stats_update_end(&q->stats.poll_syncp);

	/* pairs with the barrier in wbnic_xmit(): see its stop */
	smp_mb();
	if (budget && netif_tx_queue_stopped(txq) &&
	    wbnic_tx_free(r) >= WBNIC_TX_WAKE_THRESH &&
	    netif_running(priv->dev)) {
		netif_tx_wake_queue(txq);
		u64_stats_update_begin(&q->stats.poll_syncp);
		q->stats.tx_wakes++;
		u64_stats_update_end(&q->stats.poll_syncp);
	}
}

/* ---- Receive ---- */

/*
 * The descriptors of the frame starting at i: 1 for a frame in one buffer,
 * more for an RSC frame (DD without EOP on its first: the device wrote
 * its later descriptors before). 0: not written back yet. A frame with
 * no EOP within WBNIC_RSC_MAX_DESC is malformed: -1.
 */
static int wbnic_rx_frame_descs(struct wbnic_ring *r, u32 i)
{
	u32 mask = r->count - 1, n;
	u8 st;

	for (n = 0; n < WBNIC_RSC_MAX_DESC && n < r->count; n++) {
		st = READ_ONCE(wbnic_rx_desc(r, (i + n) & mask)->status);
		if (!(st & WBNIC_RXD_STAT_DD))
			return 0;
		if (st & WBNIC_RXD_STAT_EOP)
			return n + 1;
	}
	return -1;
}

/*
 * The receive path's allocations, each in a function of its own that
 * fail_function may fail (ALLOW_ERROR_INJECTION: kernels with
 * CONFIG_FUNCTION_ERROR_INJECTION, e.g. the debug kernel's
 * wbnic-faults.sh). fail-nth cannot: the poll runs in softirq.
 */
static noinline struct sk_buff *wbnic_rx_alloc_skb(struct wbnic_q *q,
						   unsigned int len,
						   bool in_napi)
{
	return in_napi ? napi_alloc_skb(&q->napi, len) :
			 netdev_alloc_skb_ip_align(q->priv->dev, len);
}

ALLOW_ERROR_INJECTION(wbnic_rx_alloc_skb, NULL);

static noinline void *wbnic_rx_alloc_frag(unsigned int size, bool in_napi)
{
	return in_napi ? napi_alloc_frag(size) : netdev_alloc_frag(size);
}

ALLOW_ERROR_INJECTION(wbnic_rx_alloc_frag, NULL);

/*
 * An RSC frame in n > 1 buffers from descriptor i: the first buffer (the
 * first segment, headers rewritten for the whole frame) goes into the
 * skb head, the later buffers' payloads, after their own hdr_len bytes of
 * headers, into page fragments. Leaves the wire bytes and segments in
 * *bytes and *segs. NULL: malformed or no memory, the frame is dropped.
 */
static struct sk_buff *wbnic_rx_rsc(struct wbnic_q *q, u32 i, u32 n,
				    bool in_napi, unsigned int *bytes,
				    unsigned int *segs)
{
	struct wbnic_priv *priv = q->priv;
	struct wbnic_ring *r = &q->rx;
	u32 mask = r->count - 1, k, idx, len, hlen, off, got, size, rem = 0;
	struct wbnic_rx_desc *desc = wbnic_rx_desc(r, i);
	u32 flen = le16_to_cpu(desc->length);
	struct sk_buff *skb = NULL;
	struct page *page;
	u8 *va;

	*segs = le16_to_cpu(desc->rsc_cnt);
	*bytes = flen;
	hlen = wbnic_rx_desc(r, (i + 1) & mask)->hdr_len;
	if (*segs != n || hlen < ETH_HLEN || flen <= hlen ||
	    flen > priv->rx_buf_size)
		return NULL;
	for (k = 1; k < n; k++) {
		desc = wbnic_rx_desc(r, (i + k) & mask);
		len = le16_to_cpu(desc->length);
		if (desc->hdr_len != hlen || len <= hlen ||
		    len > priv->rx_buf_size)
			return NULL;
		*bytes += len;
		rem += len - hlen;
	}
	if (DIV_ROUND_UP(rem, PAGE_SIZE) > MAX_SKB_FRAGS)
		return NULL;

	for (k = 0; k < n; k++) {
		idx = (i + k) & mask;
		dma_sync_single_for_cpu(priv->dmadev, r->rx_buf[idx].dma,
					le16_to_cpu(wbnic_rx_desc(r, idx)->length),
					DMA_FROM_DEVICE);
	}
	skb = wbnic_rx_alloc_skb(q, flen, in_napi);
	if (!skb)
		goto sync;
	skb_put_data(skb, r->rx_buf[i].data, flen);

	k = 1;
	off = hlen;
	while (rem) {
		size = min_t(u32, rem, PAGE_SIZE);
		va = wbnic_rx_alloc_frag(size, in_napi);
		if (!va) {
			kfree_skb(skb);
			skb = NULL;
			goto sync;
		}
		page = virt_to_head_page(va);
		skb_add_rx_frag(skb, skb_shinfo(skb)->nr_frags, page,
				va - (u8 *)page_address(page), size,
				SKB_DATA_ALIGN(size));
		for (got = 0; got < size; got += len) {
			idx = (i + k) & mask;
			len = min(size - got,
				  le16_to_cpu(wbnic_rx_desc(r, idx)->length) - off);
			memcpy(va + got, r->rx_buf[idx].data + off, len);
			off += len;
			if (off == le16_to_cpu(wbnic_rx_desc(r, idx)->length)) {
				k++;
				off = hlen;
			}
		}
		rem -= size;
	}
	/* what the segments were on the wire, for TCP's MSS estimate and GSO */
	skb_shinfo(skb)->gso_size = flen - hlen;
	skb_shinfo(skb)->gso_segs = n;
sync:
	for (k = 0; k < n; k++) {
		idx = (i + k) & mask;
		dma_sync_single_for_device(priv->dmadev, r->rx_buf[idx].dma,
					   le16_to_cpu(wbnic_rx_desc(r, idx)->length),
					   DMA_FROM_DEVICE);
	}
	return skb;
}

static int wbnic_clean_rx(struct wbnic_q *q, int budget, bool in_napi)
{
	struct wbnic_priv *priv = q->priv;
	struct net_device *dev = priv->dev;
	struct wbnic_ring *r = &q->rx;
	u32 mask = r->count - 1, i = r->next_to_clean, k;
	unsigned int pkts = 0, bytes = 0, drops = 0, lro = 0, lro_segs = 0;
	unsigned int flen, fsegs;
	struct wbnic_rx_desc *desc;
	struct wbnic_rx_buf *buf;
	struct sk_buff *skb;
	int done = 0, n;
	u32 hash;
	u16 len, csum;
	u8 rss;

	while (done < budget) {
		desc = wbnic_rx_desc(r, i);
		if (!(READ_ONCE(desc->status) & WBNIC_RXD_STAT_DD))
			break;
		n = 1;
		if (!(READ_ONCE(desc->status) & WBNIC_RXD_STAT_EOP)) {
			n = wbnic_rx_frame_descs(r, i);
			if (!n)
				break;
		}
		/* the rest of the write-back only after DD */
		dma_rmb();
		len = le16_to_cpu(desc->length);
		csum = le16_to_cpu(desc->csum);
		hash = le32_to_cpu(desc->rss_hash);
		rss = desc->rss_type;
		buf = &r->rx_buf[i];
		skb = NULL;
		fsegs = 1;
		flen = len;

		if (n > 1) {
			skb = wbnic_rx_rsc(q, i, n, in_napi, &flen, &fsegs);
		} else if (n < 0) {
			n = WBNIC_RSC_MAX_DESC;	/* malformed: drop them all */
		} else if (likely(len >= ETH_HLEN && len <= priv->rx_buf_size)) {
			dma_sync_single_for_cpu(priv->dmadev, buf->dma, len,
						DMA_FROM_DEVICE);
			skb = wbnic_rx_alloc_skb(q, len, in_napi);
			if (skb)
				skb_put_data(skb, buf->data, len);
			dma_sync_single_for_device(priv->dmadev, buf->dma, len,
						   DMA_FROM_DEVICE);
		}
		/* the buffers go back to the device as they are */
		for (k = 0; k < n; k++)
			WRITE_ONCE(wbnic_rx_desc(r, (i + k) & mask)->status, 0);
		i = (i + n) & mask;
		done++;
		if (unlikely(!skb)) {
			/* a frame of the wire per descriptor, as rx_packets */
			drops += n;
			continue;
		}

		skb->protocol = eth_type_trans(skb, dev);
		if (n > 1) {
			skb_shinfo(skb)->gso_type =
				skb->protocol == htons(ETH_P_IPV6) ?
				SKB_GSO_TCPV6 : SKB_GSO_TCPV4;
			lro++;
			lro_segs += fsegs;
		}
		if (dev->features & NETIF_F_RXCSUM) {
			/* the device summed everything after the MAC header */
			skb->csum = (__force __wsum)(u32)csum;
			skb->ip_summed = CHECKSUM_COMPLETE;
		}
		if ((dev->features & NETIF_F_RXHASH) && rss)
			skb_set_hash(skb, hash, rss == WBNIC_RSS_TYPE_L4 ?
				     PKT_HASH_TYPE_L4 : PKT_HASH_TYPE_L3);
		skb_record_rx_queue(skb, q->idx);
		/* frames as they were on the wire: one per segment */
		pkts += fsegs;
		bytes += flen;
		if (in_napi)
			napi_gro_receive(&q->napi, skb);
		else
			netif_receive_skb(skb);
	}
	if (!done)
		return 0;
	r->next_to_clean = i;
	/* cleared descriptors visible before the device may reuse them */
	dma_wmb();
	wbnic_wr32(priv->hw, WBNIC_RDT(q->idx), (i - 1) & mask);

	u64_stats_update_begin(&q->stats.poll_syncp);
	q->stats.rx_packets += pkts;
	q->stats.rx_bytes += bytes;
	q->stats.rx_drops += drops;
	q->stats.rx_lro_flushed += lro;
	q->stats.rx_lro_aggregated += lro_segs;
	u64_stats_update_end(&q->stats.poll_syncp);
	return done;
}

static int wbnic_poll(struct napi_struct *napi, int budget)
{
	struct wbnic_q *q = container_of(napi, struct wbnic_q, napi);
	bool complete = false;
	int done = 0;

	wbnic_clean_tx(q, budget);
	if (budget)
		done = wbnic_clean_rx(q, budget, true);

	if (done < budget && napi_complete_done(napi, done)) {
		complete = true;
		wbnic_wr32(q->priv->hw, WBNIC_EIMS, BIT(q->idx));
	}

	u64_stats_update_begin(&q->stats.poll_syncp);
	q->stats.polls++;
	if (budget && done >= budget)
		q->stats.budget_exhausted++;	/* NAPI polls us again */
	if (complete)
		q->stats.napi_completes++;
	u64_stats_update_end(&q->stats.poll_syncp);
	return min(done, budget);
}

/* ---- Interrupts and link ---- */

static void wbnic_link_changed(struct wbnic_priv *priv)
{
	if (!priv->running)
		return;
	if (wbnic_rd32(priv->hw, WBNIC_STATUS) & WBNIC_STATUS_LU)
		netif_carrier_on(priv->dev);
	else
		netif_carrier_off(priv->dev);
}

static irqreturn_t wbnic_irq(struct wbnic_hw *hw, unsigned int vec, void *data)
{
	struct wbnic_q *q = data;
	u32 cause = wbnic_rd32(hw, WBNIC_EICR(vec));	/* read clears */

	if (!cause)
		return IRQ_NONE;

	u64_stats_update_begin(&q->stats.irq_syncp);
	q->stats.irqs++;
	u64_stats_update_end(&q->stats.irq_syncp);

	if (cause & WBNIC_ICR_LSC)
		wbnic_link_changed(q->priv);
	if (cause & (WBNIC_ICR_RXDW | WBNIC_ICR_TXDW)) {
		wbnic_wr32(hw, WBNIC_EIMC, BIT(vec));
		napi_schedule(&q->napi);
	}
	return IRQ_HANDLED;
}

void wbnic_write_coal(struct wbnic_priv *priv)
{
	const struct wbnic_coal *c = &priv->coal;
	unsigned int i;

	for (i = 0; i < priv->max_queues; i++) {
		wbnic_wr32(priv->hw, WBNIC_EITR_RX(i),
			   FIELD_PREP(WBNIC_EITR_USECS, c->rx_usecs) |
			   FIELD_PREP(WBNIC_EITR_FRAMES, c->rx_frames));
		wbnic_wr32(priv->hw, WBNIC_EITR_TX(i),
			   FIELD_PREP(WBNIC_EITR_USECS, c->tx_usecs) |
			   FIELD_PREP(WBNIC_EITR_FRAMES, c->tx_frames));
	}
}

/* ---- Rings ---- */

static void wbnic_free_tx_ring(struct wbnic_priv *priv, struct wbnic_q *q)
{
	struct wbnic_ring *r = &q->tx;
	unsigned int i, lost = 0;

	if (!r->desc)
		return;
	for (i = 0; i < r->count; i++) {
		wbnic_unmap_tx(priv, &r->tx_buf[i]);
		if (r->tx_buf[i].skb) {
			dev_kfree_skb_any(r->tx_buf[i].skb);
			lost++;
		}
	}
	if (lost) {
		u64_stats_update_begin(&q->stats.xmit_syncp);
		q->stats.tx_drops += lost;
		u64_stats_update_end(&q->stats.xmit_syncp);
	}
	kvfree(r->tx_buf);
	dma_free_coherent(priv->dmadev, r->desc_bytes, r->desc, r->desc_dma);
	r->desc = NULL;
	r->tx_buf = NULL;
}

static int wbnic_alloc_tx_ring(struct wbnic_priv *priv, struct wbnic_q *q)
{
	struct wbnic_ring *r = &q->tx;

	r->count = priv->tx_ring_size;
	r->next_to_use = 0;
	r->next_to_clean = 0;
	r->desc_bytes = r->count * sizeof(struct wbnic_tx_desc);
	r->tx_buf = kvcalloc(r->count, sizeof(*r->tx_buf), GFP_KERNEL);
	if (!r->tx_buf)
		return -ENOMEM;
	r->desc = dma_alloc_coherent(priv->dmadev, r->desc_bytes, &r->desc_dma,
				     GFP_KERNEL);
	if (!r->desc) {
		kvfree(r->tx_buf);
		r->tx_buf = NULL;
		return -ENOMEM;
	}
	return 0;
}

static void wbnic_free_rx_ring(struct wbnic_priv *priv, struct wbnic_q *q)
{
	struct wbnic_ring *r = &q->rx;
	unsigned int i;

	if (!r->desc)
		return;
	for (i = 0; i < r->count; i++) {
		struct wbnic_rx_buf *buf = &r->rx_buf[i];

		if (!buf->data)
			continue;
		dma_unmap_single(priv->dmadev, buf->dma, priv->rx_buf_size,
				 DMA_FROM_DEVICE);
		kfree(buf->data);
	}
	kvfree(r->rx_buf);
	dma_free_coherent(priv->dmadev, r->desc_bytes, r->desc, r->desc_dma);
	r->desc = NULL;
	r->rx_buf = NULL;
}

static int wbnic_alloc_rx_ring(struct wbnic_priv *priv, struct wbnic_q *q)
{
	struct wbnic_ring *r = &q->rx;
	unsigned int i;

	r->count = priv->rx_ring_size;
	r->next_to_use = 0;
	r->next_to_clean = 0;
	r->desc_bytes = r->count * sizeof(struct wbnic_rx_desc);
	r->rx_buf = kvcalloc(r->count, sizeof(*r->rx_buf), GFP_KERNEL);
	if (!r->rx_buf)
		return -ENOMEM;
	r->desc = dma_alloc_coherent(priv->dmadev, r->desc_bytes, &r->desc_dma,
				     GFP_KERNEL);
	if (!r->desc) {
		kvfree(r->rx_buf);
		r->rx_buf = NULL;
		return -ENOMEM;
	}
	for (i = 0; i < r->count; i++) {
		struct wbnic_rx_buf *buf = &r->rx_buf[i];

		buf->data = kmalloc(priv->rx_buf_size, GFP_KERNEL);
		if (!buf->data)
			goto err;
		buf->dma = dma_map_single(priv->dmadev, buf->data,
					  priv->rx_buf_size, DMA_FROM_DEVICE);
		if (dma_mapping_error(priv->dmadev, buf->dma)) {
			kfree(buf->data);
			buf->data = NULL;
			goto err;
		}
		wbnic_rx_desc(r, i)->addr = cpu_to_le64(buf->dma);
	}
	return 0;
err:
	wbnic_free_rx_ring(priv, q);
	return -ENOMEM;
}

static void wbnic_free_rings(struct wbnic_priv *priv)
{
	unsigned int i;

	for (i = 0; i < priv->max_queues; i++) {
		wbnic_free_rx_ring(priv, &priv->q[i]);
		wbnic_free_tx_ring(priv, &priv->q[i]);
	}
}

static int wbnic_alloc_rings(struct wbnic_priv *priv)
{
	unsigned int i;
	int err;

	for (i = 0; i < priv->num_queues; i++) {
		err = wbnic_alloc_tx_ring(priv, &priv->q[i]);
		if (!err)
			err = wbnic_alloc_rx_ring(priv, &priv->q[i]);
		if (err) {
			wbnic_free_rings(priv);
			return err;
		}
	}
	return 0;
}

/* ---- Bring-up and shutdown ---- */

static void wbnic_write_mac(struct wbnic_priv *priv)
{
	const u8 *a = priv->dev->dev_addr;

	wbnic_wr32(priv->hw, WBNIC_RAL, get_unaligned_le32(a));
	wbnic_wr32(priv->hw, WBNIC_RAH, get_unaligned_le16(a + 4));
}

static void wbnic_write_rss(struct wbnic_priv *priv)
{
	unsigned int i, j;
	u32 val;

	for (i = 0; i < WBNIC_RSS_KEY_SIZE / 4; i++)
		wbnic_wr32(priv->hw, WBNIC_RSSRK(i),
			   get_unaligned_le32(priv->rss_key + 4 * i));
	for (i = 0; i < WBNIC_RETA_SIZE / 4; i++) {
		for (val = 0, j = 0; j < 4; j++)
			val |= ethtool_rxfh_indir_default(4 * i + j,
							  priv->num_queues)
			       << (8 * j);
		wbnic_wr32(priv->hw, WBNIC_RETA(i), val);
	}
	wbnic_wr32(priv->hw, WBNIC_MRQC, priv->num_queues);
}

static void wbnic_start_queue(struct wbnic_priv *priv, struct wbnic_q *q)
{
	struct wbnic_hw *hw = priv->hw;
	unsigned int i = q->idx;

	wbnic_wr32(hw, WBNIC_TDBAL(i), lower_32_bits(q->tx.desc_dma));
	wbnic_wr32(hw, WBNIC_TDBAH(i), upper_32_bits(q->tx.desc_dma));
	wbnic_wr32(hw, WBNIC_TDLEN(i), q->tx.count);
	wbnic_wr32(hw, WBNIC_TDH(i), 0);
	wbnic_wr32(hw, WBNIC_TDT(i), 0);
	wbnic_wr32(hw, WBNIC_TXDCTL(i), WBNIC_XDCTL_ENABLE);

	wbnic_wr32(hw, WBNIC_RDBAL(i), lower_32_bits(q->rx.desc_dma));
	wbnic_wr32(hw, WBNIC_RDBAH(i), upper_32_bits(q->rx.desc_dma));
	wbnic_wr32(hw, WBNIC_RDLEN(i), q->rx.count);
	wbnic_wr32(hw, WBNIC_RBSIZE(i), priv->rx_buf_size);
	wbnic_wr32(hw, WBNIC_RDH(i), 0);
	/* post every buffer but one: head == tail means "none posted" */
	wbnic_wr32(hw, WBNIC_RDT(i), q->rx.count - 1);
	wbnic_wr32(hw, WBNIC_RXDCTL(i), WBNIC_XDCTL_ENABLE);

	napi_enable(&q->napi);
}

static int wbnic_up(struct wbnic_priv *priv)
{
	struct net_device *dev = priv->dev;
	unsigned int i;
	int err;

	priv->rx_buf_size = wbnic_buf_size(dev->mtu);
	err = wbnic_alloc_rings(priv);
	if (err)
		return err;
	err = netif_set_real_num_tx_queues(dev, priv->num_queues);
	if (!err)
		err = netif_set_real_num_rx_queues(dev, priv->num_queues);
	if (err) {
		wbnic_free_rings(priv);
		return err;
	}

	wbnic_write_mac(priv);
	wbnic_write_rss(priv);
	wbnic_write_coal(priv);
	for (i = 0; i < priv->num_queues; i++)
		wbnic_start_queue(priv, &priv->q[i]);
	priv->running = true;
	wbnic_wr32(priv->hw, WBNIC_EIMS, GENMASK(priv->num_queues - 1, 0));
	wbnic_wr32(priv->hw, WBNIC_CTRL,
		   wbnic_rd32(priv->hw, WBNIC_CTRL) | WBNIC_CTRL_SLU);
	wbnic_link_changed(priv);
	/*
	 * Wake, not start: a reconfiguration (wbnic_reconfigure()) stopped
	 * the queues of a running device, and what the stack sent meanwhile
	 * waits in the qdisc, requeued. Starting only clears the stop bit;
	 * the wake also reschedules the qdisc, or those frames would wait
	 * for the next one sent (a TCP flow whose oldest unacked segment is
	 * among them does not retransmit it while it is queued here:
	 * skb_still_in_host_queue()), unless the link watcher happened to
	 * flush the qdisc while the carrier was off.
	 */
	netif_tx_wake_all_queues(dev);
	return 0;
}

static void wbnic_down(struct wbnic_priv *priv)
{
	struct net_device *dev = priv->dev;
	struct wbnic_hw *hw = priv->hw;
	unsigned int i;

	if (!priv->running)
		return;
	priv->running = false;
	/* the PHY powers off: the link partner loses carrier too */
	wbnic_wr32(hw, WBNIC_CTRL, wbnic_rd32(hw, WBNIC_CTRL) & ~WBNIC_CTRL_SLU);
	netif_carrier_off(dev);
	netif_tx_disable(dev);		/* no xmit, so no TX engine, runs */

	for (i = 0; i < priv->num_queues; i++) {
		/* returns once no RX engine writes into the ring */
		wbnic_wr32(hw, WBNIC_RXDCTL(i), 0);
		wbnic_wr32(hw, WBNIC_TXDCTL(i), 0);
	}
	wbnic_wr32(hw, WBNIC_EIMC, GENMASK(priv->num_queues - 1, 0));
	for (i = 0; i < priv->num_queues; i++) {
		wbnic_synchronize_irq(hw, i);
		napi_disable(&priv->q[i].napi);
	}
	/* a poll that completed may have unmasked: mask again */
	wbnic_wr32(hw, WBNIC_EIMC, GENMASK(priv->num_queues - 1, 0));
	/*
	 * A poll that ran before napi_disable() may have woken a queue
	 * (netif_running() is still true in a reconfiguration): stop them
	 * again, now that no poll can run, before the rings go away. A frame
	 * sent in between lies in a disabled ring: reclaimed as a drop below.
	 */
	netif_tx_disable(dev);

	for (i = 0; i < priv->num_queues; i++) {
		struct wbnic_q *q = &priv->q[i];

		/* frames already in the ring reach the stack, not the bin */
		local_bh_disable();
		wbnic_clean_rx(q, q->rx.count, false);
		wbnic_clean_tx(q, 0);
		local_bh_enable();
		netdev_tx_reset_queue(netdev_get_tx_queue(dev, i));
	}
	wbnic_free_rings(priv);
}

void wbnic_get_params(struct wbnic_priv *priv, struct wbnic_params *p)
{
	p->rx_ring_size = priv->rx_ring_size;
	p->tx_ring_size = priv->tx_ring_size;
	p->num_queues = priv->num_queues;
	p->mtu = priv->dev->mtu;
}

static void wbnic_set_params(struct wbnic_priv *priv,
			     const struct wbnic_params *p)
{
	priv->rx_ring_size = p->rx_ring_size;
	priv->tx_ring_size = p->tx_ring_size;
	priv->num_queues = p->num_queues;
	WRITE_ONCE(priv->dev->mtu, p->mtu);
}

/*
 * Ring sizes, channels, MTU: a running device is taken down, reconfigured
 * and brought back. Frames in the rings are delivered or reclaimed; frames
 * that arrive meanwhile are counted in rx_missed. If the new rings can't
 * be allocated the old settings come back.
 */
int wbnic_reconfigure(struct wbnic_priv *priv, const struct wbnic_params *p,
		      struct netlink_ext_ack *extack)
{
	struct wbnic_params old;
	int err;

	ASSERT_RTNL();
	wbnic_get_params(priv, &old);
	if (!priv->running) {
		wbnic_set_params(priv, p);
		return 0;
	}
	wbnic_down(priv);
	wbnic_set_params(priv, p);
	err = wbnic_up(priv);
	if (!err)
		return 0;
	NL_SET_ERR_MSG(extack, "Cannot allocate the new rings, old settings kept");
	wbnic_set_params(priv, &old);
	if (wbnic_up(priv))
		netdev_err(priv->dev, "cannot restart after a failed reconfiguration, set it down and up\n");
	return err;
}

/* ---- net_device_ops ---- */

static int wbnic_open(struct net_device *dev)
{
	return wbnic_up(netdev_priv(dev));
}

static int wbnic_stop(struct net_device *dev)
{
	wbnic_down(netdev_priv(dev));
	return 0;
}

static int wbnic_change_mtu(struct net_device *dev, int new_mtu)
{
	struct wbnic_priv *priv = netdev_priv(dev);
	struct wbnic_params p;

	wbnic_get_params(priv, &p);
	p.mtu = new_mtu;
	return wbnic_reconfigure(priv, &p, NULL);
}

/* Called under netif_addr_lock_bh(): ndo_set_rx_mode's context. */
static void wbnic_write_rctl(struct net_device *dev)
{
	struct wbnic_priv *priv = netdev_priv(dev);
	u32 rctl = 0;

	/* one address filter: extra unicast addresses need promiscuous */
	if ((dev->flags & IFF_PROMISC) || !netdev_uc_empty(dev))
		rctl |= WBNIC_RCTL_UPE;
	if (priv->lro)
		rctl |= WBNIC_RCTL_RSC;
	wbnic_wr32(priv->hw, WBNIC_RCTL, rctl);
}

static void wbnic_set_rx_mode(struct net_device *dev)
{
	wbnic_write_rctl(dev);
}

/*
 * LRO is the device's RSC; the stack turns it off where frames must keep
 * their size (forwarding, a bridge port, XDP). Turning it off closes
 * what the device is coalescing, which then reaches the stack as usual.
 */
static int wbnic_set_features(struct net_device *dev,
			      netdev_features_t features)
{
	struct wbnic_priv *priv = netdev_priv(dev);

	netif_addr_lock_bh(dev);
	priv->lro = features & NETIF_F_LRO;
	wbnic_write_rctl(dev);
	netif_addr_unlock_bh(dev);
	return 0;
}

static int wbnic_set_mac_address(struct net_device *dev, void *p)
{
	int err = eth_mac_addr(dev, p);

	if (!err)
		wbnic_write_mac(netdev_priv(dev));
	return err;
}

static int wbnic_init(struct net_device *dev)
{
	struct wbnic_priv *priv = netdev_priv(dev);
	struct platform_device_info info = {
		.name = "wbnic",
		.id = PLATFORM_DEVID_AUTO,
		.dma_mask = DMA_BIT_MASK(64),
	};
	unsigned int i;
	int err;

	priv->max_queues = min3(dev->num_tx_queues, dev->num_rx_queues,
				(unsigned int)WBNIC_QUEUES_MAX);
	if (priv->num_queues > priv->max_queues)
		return -EINVAL;

	priv->pdev = platform_device_register_full(&info);
	if (IS_ERR(priv->pdev))
		return PTR_ERR(priv->pdev);
	priv->dmadev = &priv->pdev->dev;
	err = dma_set_mask_and_coherent(priv->dmadev, DMA_BIT_MASK(64));
	if (err)
		goto err_pdev;
	priv->hw = wbnic_hw_create(priv->dmadev, priv->max_queues);
	if (!priv->hw) {
		err = -ENOMEM;
		goto err_pdev;
	}
	wbnic_hw_set_drvdata(priv->hw, dev);
	SET_NETDEV_DEV(dev, priv->dmadev);
	/* no link until the interface is up and the cable is in */
	netif_carrier_off(dev);

	for (i = 0; i < priv->max_queues; i++) {
		struct wbnic_q *q = &priv->q[i];

		q->priv = priv;
		q->idx = i;
		u64_stats_init(&q->stats.poll_syncp);
		u64_stats_init(&q->stats.xmit_syncp);
		u64_stats_init(&q->stats.irq_syncp);
		netif_napi_add(dev, &q->napi, wbnic_poll);
		wbnic_request_irq(priv->hw, i, wbnic_irq, q);
	}
	wbnic_write_mac(priv);
	wbnic_write_coal(priv);
	/* 802.3x flow control both ways, as with a partner that agrees */
	wbnic_wr32(priv->hw, WBNIC_CTRL, WBNIC_CTRL_RFCE | WBNIC_CTRL_TFCE);
	err = netif_set_real_num_tx_queues(dev, priv->num_queues);
	if (!err)
		err = netif_set_real_num_rx_queues(dev, priv->num_queues);
	if (err)
		goto err_napi;
	return 0;

err_napi:
	for (i = 0; i < priv->max_queues; i++)
		netif_napi_del(&priv->q[i].napi);
	wbnic_hw_destroy(priv->hw);
err_pdev:
	platform_device_unregister(priv->pdev);
	return err;
}

/* Unregistering, RTNL held, device down: pull the cable out. */
static void wbnic_uninit(struct net_device *dev)
{
	struct wbnic_priv *priv = netdev_priv(dev);

	wbnic_wire_disconnect(priv->hw);
}

/* After unregistration, without RTNL; free_netdev() follows. */
static void wbnic_destructor(struct net_device *dev)
{
	struct wbnic_priv *priv = netdev_priv(dev);

	wbnic_hw_destroy(priv->hw);
	platform_device_unregister(priv->pdev);
}

/*
 * The device segments TCP over IPv4 or IPv6 right after the Ethernet
 * header (or one VLAN tag), with no IPv6 extension header, and takes the
 * checksum offsets in 8 bits: anything else the stack segments itself.
 */
static netdev_features_t wbnic_features_check(struct sk_buff *skb,
					      struct net_device *dev,
					      netdev_features_t features)
{
	unsigned int l3, l4;

	if (!skb_is_gso(skb))
		return features;
	l3 = skb_network_offset(skb);
	l4 = skb_transport_offset(skb);
	if ((l3 != ETH_HLEN && l3 != ETH_HLEN + VLAN_HLEN) ||
	    l4 + sizeof(struct tcphdr) > U8_MAX ||
	    skb_tcp_all_headers(skb) > WBNIC_TSO_MAX_HDR ||
	    ((skb_shinfo(skb)->gso_type & SKB_GSO_TCPV6) &&
	     l4 != l3 + sizeof(struct ipv6hdr)))
		features &= ~NETIF_F_GSO_MASK;
	return features;
}

static const struct net_device_ops wbnic_netdev_ops = {
	.ndo_features_check	= wbnic_features_check,
	.ndo_init		= wbnic_init,
	.ndo_uninit		= wbnic_uninit,
	.ndo_open		= wbnic_open,
	.ndo_stop		= wbnic_stop,
	.ndo_start_xmit		= wbnic_xmit,
	.ndo_get_stats64	= wbnic_get_stats64,
	.ndo_change_mtu		= wbnic_change_mtu,
	.ndo_set_rx_mode	= wbnic_set_rx_mode,
	.ndo_set_features	= wbnic_set_features,
	.ndo_set_mac_address	= wbnic_set_mac_address,
	.ndo_validate_addr	= eth_validate_addr,
};

void wbnic_setup(struct net_device *dev)
{
	struct wbnic_priv *priv = netdev_priv(dev);

	ether_setup(dev);
	dev->netdev_ops = &wbnic_netdev_ops;
	dev->ethtool_ops = &wbnic_ethtool_ops;
	dev->needs_free_netdev = true;
	dev->priv_destructor = wbnic_destructor;
	dev->priv_flags |= IFF_LIVE_ADDR_CHANGE;
	dev->features = NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_RXCSUM |
			NETIF_F_RXHASH | NETIF_F_HIGHDMA | NETIF_F_TSO |
			NETIF_F_TSO6 | NETIF_F_LRO;
	dev->hw_features = dev->features;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = WBNIC_MAX_MTU;
	eth_hw_addr_random(dev);

	priv->dev = dev;
	priv->rx_ring_size = WBNIC_RING_DEFAULT;
	priv->tx_ring_size = WBNIC_RING_DEFAULT;
	priv->num_queues = 1;
	priv->lro = true;
	priv->coal.rx_usecs = WBNIC_RX_USECS;
	priv->coal.rx_frames = WBNIC_RX_FRAMES;
	priv->coal.tx_usecs = WBNIC_TX_USECS;
	priv->coal.tx_frames = WBNIC_TX_FRAMES;
	netdev_rss_key_fill(priv->rss_key, sizeof(priv->rss_key));
}
