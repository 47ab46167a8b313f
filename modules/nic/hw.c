// SPDX-License-Identifier: GPL-2.0
/*
 * wirebox_nic: the device model, i.e. the simulated hardware.
 *
 * This file plays the NIC: a register file, a DMA engine per queue, an
 * interrupt controller with one vector per queue pair, a MAC with an
 * address filter and an RSS hash, and the wire between two NICs.
 *
 * Contexts. There is no separate hardware thread: the device runs in the
 * context that made it act.
 *  - A TDT write (the doorbell, from ndo_start_xmit) runs the TX engine at
 *    once: it fetches the descriptors, reads the buffers by DMA, puts each
 *    frame on the wire and, through the wire, runs the receiving NIC's RX
 *    engine, which writes the frame into a posted RX buffer.
 *  - An interrupt is delivered by calling the driver's handler from the
 *    context that raised it (the doorbell's, or the throttling hrtimer's
 *    softirq), always with BH disabled, never concurrently with itself for
 *    one vector. Like a hard IRQ handler, it may not sleep.
 *
 * Memory. The device reads and writes the host only through bus (DMA)
 * addresses taken from registers and descriptors; wbnic_dma_*() turn them
 * into physical addresses the way the platform's dma-direct mapping made
 * them. A platform device on x86 has no IOMMU, so bus address = physical
 * address (or a swiotlb bounce buffer, which is exactly what a device
 * would see).
 */
#include <linux/bitfield.h>
#include <linux/dma-direct.h>
#include <linux/etherdevice.h>
#include <linux/hrtimer.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/tcp.h>
#include <linux/workqueue.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>

#include "wbnic_hw.h"

struct wbnic_hw_vec {
	spinlock_t lock;	/* everything below */
	struct wbnic_hw *hw;
	unsigned int idx;
	u32 cause;		/* latched WBNIC_ICR_* bits */
	bool enabled;		/* EIMS bit */
	bool in_service;	/* handler running */
	bool timer_armed;
	u32 rx_pending, tx_pending;	/* events since last interrupt */
	u32 eitr_rx, eitr_tx;
	struct hrtimer timer;
	wbnic_irq_handler_t handler;
	void *data;
};

/*
 * A frame as the TX engine gathered it: the host buffers its descriptors
 * point to, in order. The wire carries this list and the receiving NIC's
 * RX engine copies from it straight into its own posted buffer: the one
 * copy a frame costs between two wbnics ("cut-through": no FIFO in between).
 */
struct wbnic_frame {
	unsigned int nseg, len;
	bool ic;		/* insert the L4 checksum: css, cso valid */
	u8 css, cso;
	struct {
		const u8 *va;
		u32 len;
	} seg[WBNIC_TX_MAX_SEGS + 1];	/* + a segment's own headers */
};

struct wbnic_hw_txq {
	spinlock_t lock;	/* engine state; doorbell vs. disable */
	struct wbnic_hw *hw;
	unsigned int idx;
	u64 base;
	u32 len, head, tail;
	bool enabled;
	u32 tso_next;		/* TSE: the segment a held frame goes on at */
	struct hrtimer pause;	/* 802.3x pause time: then try again */
	struct wbnic_frame frame;	/* the frame being sent */
	struct wbnic_frame seg;		/* TSE: the segment being sent */
	u8 hdr[WBNIC_TSO_MAX_HDR];	/* TSE: the segment's headers */
};

/* The headers RSC keeps of a frame's first segment, at most. */
#define WBNIC_RSC_HDR	(ETH_HLEN + sizeof(struct ipv6hdr) + 60)

/* The open RSC frame of an RX queue (see wbnic_hw.h). */
struct wbnic_rsc {
	u16 cnt;		/* segments in it; 0: none open */
	u16 l4, hlen;		/* TCP header offset; all headers' length */
	u16 mss;		/* the first segment's payload */
	u16 sum;		/* the first segment's receive sum */
	bool v6, psh;
	u32 first, last;	/* its first and last descriptor */
	u32 flen;		/* bytes in the first buffer */
	u32 payload;		/* payload bytes, all segments */
	u32 seq;		/* the sequence number that joins next */
	__wsum psum;		/* sum of the payload, in order */
	__be32 ack;		/* the last segment's */
	__be16 win;
	u8 type;
	u32 hash;
	u8 hdr[WBNIC_RSC_HDR];	/* the first segment's headers */
};

struct wbnic_hw_rxq {
	spinlock_t lock;	/* engine state; frames from many CPUs */
	u64 base;
	u32 len, head, tail, bsize;
	bool enabled;
	u64 missed;
	bool xoff;		/* XOFF sent, XON not yet */
	u32 held;		/* the link partner's TX queues it holds */
	struct wbnic_rsc rsc;
};

/* The longest RSS input: IPv6 addresses and ports. */
#define WBNIC_RSS_IN_MAX	36
static_assert(WBNIC_RSS_IN_MAX + 4 <= WBNIC_RSS_KEY_SIZE);

struct wbnic_hw {
	struct device *dmadev;
	unsigned int nqueues;
	void *drvdata;

	u32 ctrl, rctl, mrqc;
	u8 mac[ETH_ALEN];
	u8 rss_key[WBNIC_RSS_KEY_SIZE];
	/* Toeplitz, byte at a time: what byte value v at input offset i adds */
	u32 rss_tab[WBNIC_RSS_IN_MAX][256];
	u8 reta[WBNIC_RETA_SIZE];
	bool link_up;		/* STATUS.LU, under wbnic_link_lock */

	/* the wire: RCU for the engines, wbnic_link_lock for changes */
	struct wbnic_hw __rcu *peer;
	u32 loss_ppm, corrupt_ppm;	/* this end's transmit direction */
	bool flapping;
	struct delayed_work flap_work;

	atomic64_t stat_wire_tx, stat_wire_lost, stat_wire_corrupt;
	atomic64_t stat_no_link, stat_oversize, stat_filtered;
	atomic64_t stat_dma_err, stat_tx_bad;
	atomic64_t stat_xofftx, stat_xontx, stat_xoffrx, stat_xonrx;

	struct wbnic_hw_vec vec[WBNIC_QUEUES_MAX];
	struct wbnic_hw_txq txq[WBNIC_QUEUES_MAX];
	struct wbnic_hw_rxq rxq[WBNIC_QUEUES_MAX];
};

/* Serializes link state and cabling of every NIC: the "PHYs". */
static DEFINE_SPINLOCK(wbnic_link_lock);

/* ---- The bus ---- */

static void *wbnic_dma_va(struct wbnic_hw *hw, u64 addr, size_t len)
{
	phys_addr_t phys = dma_to_phys(hw->dmadev, addr);

	if (!len || addr + len < addr ||
	    !pfn_valid(PHYS_PFN(phys)) ||
	    !pfn_valid(PHYS_PFN(phys + len - 1))) {
		atomic64_inc(&hw->stat_dma_err);
		return NULL;
	}
	return phys_to_virt(phys);
}

static bool wbnic_dma_read(struct wbnic_hw *hw, u64 addr, void *to,
			   size_t len)
{
	void *va = wbnic_dma_va(hw, addr, len);

	if (!va)
		return false;
	memcpy(to, va, len);
	return true;
}

static bool wbnic_dma_write(struct wbnic_hw *hw, u64 addr, const void *from,
			    size_t len)
{
	void *va = wbnic_dma_va(hw, addr, len);

	if (!va)
		return false;
	memcpy(va, from, len);
	return true;
}

/* ---- Interrupts ---- */

static void wbnic_vec_fire(struct wbnic_hw_vec *v)
{
	spin_lock_bh(&v->lock);
	if (!v->enabled || !v->cause || v->in_service || !v->handler) {
		spin_unlock_bh(&v->lock);
		return;		/* latched: delivered on unmask */
	}
	v->in_service = true;
	v->rx_pending = 0;
	v->tx_pending = 0;
	/* this interrupt covers the batch the timer was waiting for */
	if (v->timer_armed && hrtimer_try_to_cancel(&v->timer) == 1)
		v->timer_armed = false;
	spin_unlock_bh(&v->lock);

	local_bh_disable();
	v->handler(v->hw, v->idx, v->data);
	local_bh_enable();

	spin_lock_bh(&v->lock);
	v->in_service = false;
	/* an unmask during the handler found us in service: deliver now */
	if (v->enabled && v->cause) {
		spin_unlock_bh(&v->lock);
		wbnic_vec_fire(v);
		return;
	}
	spin_unlock_bh(&v->lock);
}

static enum hrtimer_restart wbnic_vec_timer(struct hrtimer *t)
{
	struct wbnic_hw_vec *v = container_of(t, struct wbnic_hw_vec, timer);

	spin_lock_bh(&v->lock);
	v->timer_armed = false;
	spin_unlock_bh(&v->lock);
	wbnic_vec_fire(v);
	return HRTIMER_NORESTART;
}

/*
 * n completions (RX or TX descriptors written back) or a link change.
 * Throttling: fire at once when the frame threshold is reached or there
 * is no delay, else arm the timer on the first event of a batch.
 */
static void wbnic_vec_event(struct wbnic_hw *hw, unsigned int idx, u32 cause,
			    unsigned int n)
{
	struct wbnic_hw_vec *v = &hw->vec[idx];
	u32 eitr, usecs, frames, *pending;
	bool fire = false;

	spin_lock_bh(&v->lock);
	v->cause |= cause;
	if (cause & WBNIC_ICR_LSC) {
		fire = true;
	} else {
		bool rx = cause & WBNIC_ICR_RXDW;

		eitr = rx ? v->eitr_rx : v->eitr_tx;
		pending = rx ? &v->rx_pending : &v->tx_pending;
		usecs = FIELD_GET(WBNIC_EITR_USECS, eitr);
		frames = FIELD_GET(WBNIC_EITR_FRAMES, eitr);
		*pending += n;
		if (!usecs || (frames && *pending >= frames)) {
			fire = true;
		} else if (!v->timer_armed) {
			v->timer_armed = true;
			hrtimer_start(&v->timer, ns_to_ktime((u64)usecs * NSEC_PER_USEC),
				      HRTIMER_MODE_REL_SOFT);
		}
	}
	spin_unlock_bh(&v->lock);
	if (fire)
		wbnic_vec_fire(v);
}

static void wbnic_vec_mask(struct wbnic_hw *hw, u32 bits, bool enable)
{
	unsigned int i;

	for (i = 0; i < hw->nqueues; i++) {
		struct wbnic_hw_vec *v = &hw->vec[i];

		if (!(bits & BIT(i)))
			continue;
		spin_lock_bh(&v->lock);
		v->enabled = enable;
		spin_unlock_bh(&v->lock);
		/* MSI-X pending bit: a latched cause fires on unmask */
		if (enable)
			wbnic_vec_fire(v);
	}
}

void wbnic_request_irq(struct wbnic_hw *hw, unsigned int vec,
		       wbnic_irq_handler_t handler, void *data)
{
	struct wbnic_hw_vec *v = &hw->vec[vec];

	spin_lock_bh(&v->lock);
	v->handler = handler;
	v->data = data;
	spin_unlock_bh(&v->lock);
}

/* Wait until no handler of this vector runs, like synchronize_irq(). */
void wbnic_synchronize_irq(struct wbnic_hw *hw, unsigned int vec)
{
	struct wbnic_hw_vec *v = &hw->vec[vec];

	hrtimer_cancel(&v->timer);
	spin_lock_bh(&v->lock);
	while (v->in_service) {
		spin_unlock_bh(&v->lock);
		cpu_relax();
		spin_lock_bh(&v->lock);
	}
	v->timer_armed = false;
	spin_unlock_bh(&v->lock);
}

void wbnic_vec_state(struct wbnic_hw *hw, unsigned int vec,
		     struct wbnic_vec_state *st)
{
	struct wbnic_hw_vec *v = &hw->vec[vec];

	spin_lock_bh(&v->lock);
	st->cause = v->cause;
	st->pending = v->rx_pending + v->tx_pending;
	st->masked = !v->enabled;
	st->timer = v->timer_armed;
	spin_unlock_bh(&v->lock);
}

/* ---- Link ---- */

static bool wbnic_end_up(struct wbnic_hw *hw)
{
	return (hw->ctrl & WBNIC_CTRL_SLU) && !hw->flapping;
}

/* Called with wbnic_link_lock held. */
static void wbnic_link_eval(struct wbnic_hw *hw)
{
	struct wbnic_hw *peer = rcu_dereference_protected(hw->peer,
			lockdep_is_held(&wbnic_link_lock));
	bool up = wbnic_end_up(hw);

	if (!(hw->ctrl & WBNIC_CTRL_LPBK))
		up = up && peer && wbnic_end_up(peer);
	if (up == hw->link_up)
		return;
	WRITE_ONCE(hw->link_up, up);
	wbnic_vec_event(hw, 0, WBNIC_ICR_LSC, 0);
}

static void wbnic_link_eval_both(struct wbnic_hw *hw)
{
	struct wbnic_hw *peer = rcu_dereference_protected(hw->peer,
			lockdep_is_held(&wbnic_link_lock));

	wbnic_link_eval(hw);
	if (peer)
		wbnic_link_eval(peer);
}

static void wbnic_set_ctrl(struct wbnic_hw *hw, u32 val)
{
	spin_lock_bh(&wbnic_link_lock);
	WRITE_ONCE(hw->ctrl, val & (WBNIC_CTRL_SLU | WBNIC_CTRL_LPBK |
				    WBNIC_CTRL_RFCE | WBNIC_CTRL_TFCE));
	wbnic_link_eval_both(hw);
	spin_unlock_bh(&wbnic_link_lock);
}

/* ---- The wire ---- */

int wbnic_wire_connect(struct wbnic_hw *a, struct wbnic_hw *b)
{
	int err = 0;

	if (a == b)
		return -EINVAL;
	spin_lock_bh(&wbnic_link_lock);
	if (rcu_access_pointer(a->peer) || rcu_access_pointer(b->peer)) {
		err = -EBUSY;
	} else {
		rcu_assign_pointer(a->peer, b);
		rcu_assign_pointer(b->peer, a);
		wbnic_link_eval_both(a);
	}
	spin_unlock_bh(&wbnic_link_lock);
	return err;
}

/* Unplug the cable. Sleeps: no engine uses the old peer on return. */
void wbnic_wire_disconnect(struct wbnic_hw *hw)
{
	struct wbnic_hw *peer;

	spin_lock_bh(&wbnic_link_lock);
	peer = rcu_dereference_protected(hw->peer,
					 lockdep_is_held(&wbnic_link_lock));
	if (peer) {
		RCU_INIT_POINTER(hw->peer, NULL);
		RCU_INIT_POINTER(peer->peer, NULL);
		wbnic_link_eval(hw);
		wbnic_link_eval(peer);
	}
	spin_unlock_bh(&wbnic_link_lock);
	if (peer)
		synchronize_net();
}

/* The peer, for the caller to look at under RTNL (cabling needs it). */
struct wbnic_hw *wbnic_wire_peer(struct wbnic_hw *hw)
{
	return rcu_dereference_protected(hw->peer, 1);
}

void wbnic_wire_set_faults(struct wbnic_hw *hw, u32 loss_ppm, u32 corrupt_ppm)
{
	WRITE_ONCE(hw->loss_ppm, min_t(u32, loss_ppm, WBNIC_PPM));
	WRITE_ONCE(hw->corrupt_ppm, min_t(u32, corrupt_ppm, WBNIC_PPM));
}

void wbnic_wire_get_faults(struct wbnic_hw *hw, u32 *loss_ppm,
			   u32 *corrupt_ppm)
{
	*loss_ppm = READ_ONCE(hw->loss_ppm);
	*corrupt_ppm = READ_ONCE(hw->corrupt_ppm);
}

static void wbnic_flap_end(struct work_struct *work)
{
	struct wbnic_hw *hw = container_of(to_delayed_work(work),
					   struct wbnic_hw, flap_work);

	spin_lock_bh(&wbnic_link_lock);
	hw->flapping = false;
	wbnic_link_eval_both(hw);
	spin_unlock_bh(&wbnic_link_lock);
}

/* Take the link down now and bring it back after ms milliseconds. */
void wbnic_wire_flap(struct wbnic_hw *hw, unsigned int ms)
{
	spin_lock_bh(&wbnic_link_lock);
	hw->flapping = true;
	wbnic_link_eval_both(hw);
	spin_unlock_bh(&wbnic_link_lock);
	mod_delayed_work(system_wq, &hw->flap_work, msecs_to_jiffies(ms));
}

/* ---- Receive: MAC filter, RSS, RX DMA engine ---- */

/*
 * Toeplitz: for each input bit set (most significant first), XOR in the
 * 32 key bits starting at that bit's position. Byte i of the input adds
 * the same bits whatever the other bytes are, so the key's table holds,
 * for every input offset and byte value, what that byte adds: a hash is
 * then one lookup per input byte instead of a loop over its bits, as
 * hardware does it in parallel. Rebuilt for the part a key write changes.
 */
static u32 wbnic_rss_window(const u8 *key, unsigned int bit)
{
	u32 v = get_unaligned_be32(key + bit / 8);

	if (bit % 8)
		v = v << (bit % 8) | key[bit / 8 + 4] >> (8 - bit % 8);
	return v;
}

static void wbnic_rss_build(struct wbnic_hw *hw, unsigned int from,
			    unsigned int to)
{
	unsigned int i, v, b;
	u32 win[8];

	for (i = from; i < to; i++) {
		for (b = 0; b < 8; b++)
			win[b] = wbnic_rss_window(hw->rss_key, i * 8 + b);
		hw->rss_tab[i][0] = 0;
		/* v's table entry: v less its lowest bit, plus that bit's */
		for (v = 1; v < 256; v++)
			hw->rss_tab[i][v] = hw->rss_tab[i][v & (v - 1)] ^
					    win[7 - __ffs(v)];
	}
}

static u32 wbnic_toeplitz(struct wbnic_hw *hw, const u8 *in, unsigned int len)
{
	u32 hash = 0;
	unsigned int i;

	for (i = 0; i < len; i++)
		hash ^= READ_ONCE(hw->rss_tab[i][in[i]]);
	return hash;
}

/* Hash the flow of a frame as RSS hardware does; 0 type when no IP. */
static u32 wbnic_rss(struct wbnic_hw *hw, const u8 *frame, unsigned int len,
		     u8 *type)
{
	const struct ethhdr *eth = (const void *)frame;
	u8 in[WBNIC_RSS_IN_MAX];
	unsigned int n = 0, l4 = 0;
	u8 proto = 0;

	*type = WBNIC_RSS_TYPE_NONE;
	if (eth->h_proto == htons(ETH_P_IP) &&
	    len >= ETH_HLEN + sizeof(struct iphdr)) {
		const struct iphdr *ip = (const void *)(frame + ETH_HLEN);
		unsigned int ihl = ip->ihl * 4;

		if (ip->version != 4 || ihl < sizeof(*ip) ||
		    len < ETH_HLEN + ihl)
			return 0;
		memcpy(in, &ip->saddr, 4);
		memcpy(in + 4, &ip->daddr, 4);
		n = 8;
		if (!(ip->frag_off & htons(IP_MF | IP_OFFSET))) {
			proto = ip->protocol;
			l4 = ETH_HLEN + ihl;
		}
	} else if (eth->h_proto == htons(ETH_P_IPV6) &&
		   len >= ETH_HLEN + sizeof(struct ipv6hdr)) {
		const struct ipv6hdr *ip6 = (const void *)(frame + ETH_HLEN);

		memcpy(in, &ip6->saddr, 16);
		memcpy(in + 16, &ip6->daddr, 16);
		n = 32;
		proto = ip6->nexthdr;
		l4 = ETH_HLEN + sizeof(*ip6);
	} else {
		return 0;
	}
	*type = WBNIC_RSS_TYPE_L3;
	if ((proto == IPPROTO_TCP || proto == IPPROTO_UDP) && l4 &&
	    len >= l4 + 4) {
		memcpy(in + n, frame + l4, 4);
		n += 4;
		*type = WBNIC_RSS_TYPE_L4;
	}
	return wbnic_toeplitz(hw, in, n);
}

static bool wbnic_mac_accept(struct wbnic_hw *hw, const u8 *dst)
{
	/* no multicast filter table: every group is accepted */
	if (is_multicast_ether_addr(dst))
		return true;
	if (READ_ONCE(hw->rctl) & WBNIC_RCTL_UPE)
		return true;
	return ether_addr_equal(dst, hw->mac);
}

/*
 * Copy a frame into the buffer at to and return the 16-bit ones'
 * complement sum of its bytes from offset "from" on, summed as they are
 * copied: one pass over the data.
 */
static __wsum wbnic_copy_sum(u8 *to, const struct wbnic_frame *f,
			     unsigned int from)
{
	unsigned int i, off = 0;
	__wsum sum = 0;

	for (i = 0; i < f->nseg; i++) {
		const u8 *p = f->seg[i].va;
		u32 n = f->seg[i].len, k;

		if (off < from) {
			k = min(n, from - off);
			memcpy(to + off, p, k);
			off += k;
			p += k;
			n -= k;
		}
		if (n) {
			__wsum part = csum_partial_copy_nocheck(p, to + off, n);

			sum = csum_block_add(sum, part, off - from);
			off += n;
		}
	}
	return sum;
}

/*
 * Write the frame into the RX buffer at to: the TX side's checksum
 * insertion, the wire's bit error (flip: a bit number, or -1), and the
 * receive sum of everything after the Ethernet header (for the RX
 * descriptor's csum). Without a bit error it takes one pass over the
 * data: the inserted checksum makes the sum of its span the complement of
 * the pseudo-header sum the stack had left at cso, so only the headers
 * before css are summed again.
 */
static u16 wbnic_rx_copy(u8 *to, const struct wbnic_frame *f, int flip)
{
	unsigned int len = f->len, css = f->css, cso = f->cso;
	bool ic = f->ic && css < len && cso >= css && cso + 2 <= len;
	__wsum sum;
	__sum16 c;
	u16 pseudo;

	sum = wbnic_copy_sum(to, f, ic ? css : ETH_HLEN);
	if (ic) {
		pseudo = get_unaligned((u16 *)(to + cso));
		c = csum_fold(sum);
		put_unaligned(c ?: CSUM_MANGLED_0, (__sum16 *)(to + cso));
		if (flip < 0 && css >= ETH_HLEN && !((cso - css) & 1)) {
			sum = csum_partial(to + ETH_HLEN, css - ETH_HLEN, 0);
			sum = csum_block_add(sum, (__force __wsum)(u32)(u16)~pseudo,
					     css - ETH_HLEN);
			return (__force u16)~csum_fold(sum);
		}
	} else if (flip < 0) {
		return (__force u16)~csum_fold(sum);
	}
	if (flip >= 0)
		to[flip / 8] ^= 1 << (flip % 8);
	return (__force u16)~csum_fold(csum_partial(to + ETH_HLEN,
						    len - ETH_HLEN, 0));
}

/* Copy bytes [off, off + n) of a gathered frame into buf. */
static void wbnic_frame_read(const struct wbnic_frame *f, unsigned int off,
			     u8 *buf, unsigned int n)
{
	unsigned int i, k;

	for (i = 0; i < f->nseg && n; i++) {
		if (off >= f->seg[i].len) {
			off -= f->seg[i].len;
			continue;
		}
		k = min(n, f->seg[i].len - off);
		memcpy(buf, f->seg[i].va + off, k);
		buf += k;
		n -= k;
		off = 0;
	}
}

/* The first bytes of a frame, for the MAC filter and RSS. */
#define WBNIC_PEEK	128

static const u8 *wbnic_peek(const struct wbnic_frame *f, u8 *buf,
			    unsigned int *plen, int flip)
{
	unsigned int n = min_t(unsigned int, f->len, WBNIC_PEEK);

	*plen = n;
	if (f->seg[0].len >= n && (flip < 0 || (unsigned int)flip >= n * 8))
		return f->seg[0].va;
	wbnic_frame_read(f, 0, buf, n);
	if (flip >= 0 && (unsigned int)flip < n * 8)
		buf[flip / 8] ^= 1 << (flip % 8);
	return buf;
}

/* ---- Receive side coalescing (see wbnic_hw.h) ---- */

/* Write back an RX descriptor: all but addr, then status if not 0. */
static void wbnic_rx_writeback(struct wbnic_hw *hw, struct wbnic_hw_rxq *rxq,
			       u32 idx, struct wbnic_rx_desc *desc, u8 status)
{
	u64 at = rxq->base + idx * sizeof(*desc);

	desc->status = 0;
	wbnic_dma_write(hw, at + sizeof(desc->addr),
			(u8 *)desc + sizeof(desc->addr),
			sizeof(*desc) - sizeof(desc->addr));
	if (!status)
		return;
	/* the driver reads DD first */
	dma_wmb();
	desc->status = status;
	wbnic_dma_write(hw, at + offsetof(struct wbnic_rx_desc, status),
			&desc->status, 1);
}

/* A received segment, as RSC sees it. */
struct wbnic_rsc_seg {
	u16 l4, hlen;
	u32 payload, seq;
	__wsum psum;		/* sum of its payload */
	__be32 ack;
	__be16 win;
	bool v6, psh;
};

/*
 * May the frame just written at va (len bytes; sum: the receive sum of
 * everything after the Ethernet header) be coalesced? Its IP and TCP
 * checksums are checked here, as the device's checksum engine would.
 */
static bool wbnic_rsc_parse(const u8 *va, unsigned int len, u16 sum,
			    struct wbnic_rsc_seg *s)
{
	const struct ethhdr *eth = (const void *)va;
	const u8 *l3 = va + ETH_HLEN;
	const struct tcphdr *th;
	unsigned int iplen;
	__wsum l4sum;
	__sum16 bad;

	if (len < ETH_HLEN + sizeof(struct iphdr) + sizeof(*th))
		return false;
	if (eth->h_proto == htons(ETH_P_IP)) {
		const struct iphdr *ip = (const void *)l3;

		iplen = sizeof(*ip);
		if (ip->version != 4 || ip->ihl != 5 ||
		    ip->protocol != IPPROTO_TCP ||
		    (ip->frag_off & htons(IP_MF | IP_OFFSET)) ||
		    ntohs(ip->tot_len) != len - ETH_HLEN ||
		    ip_fast_csum(ip, ip->ihl))
			return false;
	} else if (eth->h_proto == htons(ETH_P_IPV6)) {
		const struct ipv6hdr *ip6 = (const void *)l3;

		iplen = sizeof(*ip6);
		if (len < ETH_HLEN + iplen + sizeof(*th) || ip6->version != 6 ||
		    ip6->nexthdr != IPPROTO_TCP ||
		    ntohs(ip6->payload_len) != len - ETH_HLEN - iplen)
			return false;
	} else {
		return false;
	}
	s->v6 = iplen != sizeof(struct iphdr);
	s->l4 = ETH_HLEN + iplen;
	th = (const void *)(va + s->l4);
	s->hlen = s->l4 + th->doff * 4;
	if (th->doff < 5 || s->hlen >= len || s->hlen > WBNIC_RSC_HDR ||
	    !th->ack || th->syn || th->fin || th->rst || th->urg ||
	    th->ece || th->cwr)
		return false;

	/* the segment's sum: the receive sum less the IP header's */
	l4sum = csum_sub((__force __wsum)(u32)sum, csum_partial(l3, iplen, 0));
	if (s->v6) {
		const struct ipv6hdr *ip6 = (const void *)l3;

		bad = csum_ipv6_magic(&ip6->saddr, &ip6->daddr, len - s->l4,
				      IPPROTO_TCP, l4sum);
	} else {
		const struct iphdr *ip = (const void *)l3;

		bad = csum_tcpudp_magic(ip->saddr, ip->daddr, len - s->l4,
					IPPROTO_TCP, l4sum);
	}
	if (bad)
		return false;
	s->payload = len - s->hlen;
	s->psum = csum_sub(l4sum, csum_partial(th, th->doff * 4, 0));
	s->seq = ntohl(th->seq);
	s->ack = th->ack_seq;
	s->win = th->window;
	s->psh = th->psh;
	return true;
}

/* Does segment s, written at va, join the open frame r? */
static bool wbnic_rsc_joins(const struct wbnic_rsc *r, const u8 *va,
			    const struct wbnic_rsc_seg *s)
{
	const u8 *h = r->hdr, *l3 = va + ETH_HLEN, *hl3 = h + ETH_HLEN;
	unsigned int l4len = r->v6 ? r->hlen - r->l4 : r->hlen - ETH_HLEN;

	if (s->v6 != r->v6 || s->hlen != r->hlen || s->seq != r->seq ||
	    s->payload > r->mss || l4len + r->payload + s->payload > 0xffff ||
	    memcmp(va, h, ETH_HLEN))
		return false;
	if (r->v6) {
		/* everything but the payload length */
		if (memcmp(l3, hl3, 4) || memcmp(l3 + 6, hl3 + 6, 34))
			return false;
	} else {
		/* TOS; DF, TTL, protocol; the addresses */
		if (l3[1] != hl3[1] || memcmp(l3 + 6, hl3 + 6, 4) ||
		    memcmp(l3 + 12, hl3 + 12, 8))
			return false;
	}
	/* the ports, the data offset and the options */
	return !memcmp(va + r->l4, h + r->l4, 4) &&
	       va[r->l4 + 12] == h[r->l4 + 12] &&
	       !memcmp(va + r->l4 + 20, h + r->l4 + 20, r->hlen - r->l4 - 20);
}

/*
 * Rewrite the first segment's headers, at va, for the merged frame and
 * return the merged frame's receive sum (everything after Ethernet).
 */
static u16 wbnic_rsc_finish(const struct wbnic_rsc *r, u8 *va)
{
	struct tcphdr *th = (struct tcphdr *)(va + r->l4);
	unsigned int thlen = r->hlen - r->l4, l4len = thlen + r->payload;
	__wsum sum;

	th->ack_seq = r->ack;
	th->window = r->win;
	th->psh = r->psh;
	th->check = 0;
	sum = csum_partial(th, thlen, r->psum);
	if (r->v6) {
		struct ipv6hdr *ip6 = (struct ipv6hdr *)(va + ETH_HLEN);

		ip6->payload_len = htons(l4len);
		th->check = csum_ipv6_magic(&ip6->saddr, &ip6->daddr, l4len,
					    IPPROTO_TCP, sum);
		sum = csum_partial(ip6, sizeof(*ip6), 0);
	} else {
		struct iphdr *ip = (struct iphdr *)(va + ETH_HLEN);

		ip->tot_len = htons(r->hlen - ETH_HLEN + r->payload);
		ip->check = 0;
		ip->check = ip_fast_csum(ip, ip->ihl);
		th->check = csum_tcpudp_magic(ip->saddr, ip->daddr, l4len,
					      IPPROTO_TCP, sum);
		sum = csum_partial(ip, sizeof(*ip), 0);
	}
	sum = csum_add(sum, csum_partial(th, thlen, r->psum));
	return (__force u16)~csum_fold(sum);
}

/*
 * Close the open RSC frame of rxq: finish its headers and hand its
 * descriptors to the driver, the later ones first. Returns the frames
 * written back (0 or 1). Called with rxq->lock held.
 */
static unsigned int wbnic_rsc_close(struct wbnic_hw *hw,
				    struct wbnic_hw_rxq *rxq)
{
	struct wbnic_rsc *r = &rxq->rsc;
	struct wbnic_rx_desc desc;
	u16 sum = r->sum;
	u8 st;
	u32 i;
	u8 *va;

	if (!r->cnt)
		return 0;
	if (!wbnic_dma_read(hw, rxq->base + r->first * sizeof(desc), &desc,
			    sizeof(desc)))
		goto gone;
	if (r->cnt > 1) {
		va = wbnic_dma_va(hw, le64_to_cpu(desc.addr), r->hlen);
		if (!va)
			goto gone;
		sum = wbnic_rsc_finish(r, va);
		i = r->first;
		do {
			i = (i + 1) % rxq->len;
			st = WBNIC_RXD_STAT_DD;
			if (i == r->last)
				st |= WBNIC_RXD_STAT_EOP;
			wbnic_dma_write(hw, rxq->base + i * sizeof(desc) +
					offsetof(struct wbnic_rx_desc, status),
					&st, 1);
		} while (i != r->last);
		dma_wmb();
	}
	desc.length = cpu_to_le16(r->flen);
	desc.csum = cpu_to_le16(sum);
	desc.rss_hash = cpu_to_le32(r->hash);
	desc.rss_type = r->type;
	desc.rsc_cnt = cpu_to_le16(r->cnt > 1 ? r->cnt : 0);
	desc.hdr_len = 0;
	memset(desc.rsvd, 0, sizeof(desc.rsvd));
	wbnic_rx_writeback(hw, rxq, r->first, &desc, r->cnt > 1 ?
			   WBNIC_RXD_STAT_DD :
			   WBNIC_RXD_STAT_DD | WBNIC_RXD_STAT_EOP);
	WRITE_ONCE(r->cnt, 0);
	return 1;
gone:
	/* the ring's memory is no longer where it was: nothing to write */
	WRITE_ONCE(r->cnt, 0);
	return 0;
}

/*
 * The frame just written into the buffer of descriptor idx, at va: join
 * it to the open frame, open one with it, or write it back as it is.
 * desc has its write-back fields. Returns the frames written back.
 * Called with rxq->lock held.
 */
static unsigned int wbnic_rsc_rx(struct wbnic_hw *hw, struct wbnic_hw_rxq *rxq,
				 u32 idx, const u8 *va, unsigned int len,
				 struct wbnic_rx_desc *desc)
{
	struct wbnic_rsc *r = &rxq->rsc;
	struct wbnic_rsc_seg s;
	unsigned int n;

	if (!(READ_ONCE(hw->rctl) & WBNIC_RCTL_RSC) ||
	    !wbnic_rsc_parse(va, len, le16_to_cpu(desc->csum), &s)) {
		n = wbnic_rsc_close(hw, rxq);
		wbnic_rx_writeback(hw, rxq, idx, desc,
				   WBNIC_RXD_STAT_DD | WBNIC_RXD_STAT_EOP);
		return n + 1;
	}
	n = 0;
	if (r->cnt && wbnic_rsc_joins(r, va, &s)) {
		/* its fields now, its DD when the frame closes */
		desc->hdr_len = s.hlen;
		wbnic_rx_writeback(hw, rxq, idx, desc, 0);
		r->psum = csum_block_add(r->psum, s.psum, r->payload);
		r->payload += s.payload;
		r->last = idx;
		WRITE_ONCE(r->cnt, r->cnt + 1);
	} else {
		n = wbnic_rsc_close(hw, rxq);
		r->first = idx;
		r->last = idx;
		r->flen = len;
		r->sum = le16_to_cpu(desc->csum);
		r->hash = le32_to_cpu(desc->rss_hash);
		r->type = desc->rss_type;
		r->v6 = s.v6;
		r->l4 = s.l4;
		r->hlen = s.hlen;
		r->mss = s.payload;
		r->payload = s.payload;
		r->psum = s.psum;
		memcpy(r->hdr, va, s.hlen);
		WRITE_ONCE(r->cnt, 1);
	}
	r->seq = s.seq + s.payload;
	r->ack = s.ack;
	r->win = s.win;
	r->psh = s.psh;
	if (s.psh || s.payload < r->mss || r->cnt >= WBNIC_RSC_MAX_DESC)
		n += wbnic_rsc_close(hw, rxq);
	return n;
}

/* The wire into hw went idle: close every open RSC frame. */
static void wbnic_rsc_flush(struct wbnic_hw *hw)
{
	unsigned int qi, n;

	for (qi = 0; qi < hw->nqueues; qi++) {
		struct wbnic_hw_rxq *rxq = &hw->rxq[qi];

		if (!READ_ONCE(rxq->rsc.cnt))
			continue;
		spin_lock_bh(&rxq->lock);
		n = wbnic_rsc_close(hw, rxq);
		spin_unlock_bh(&rxq->lock);
		if (n)
			wbnic_vec_event(hw, qi, WBNIC_ICR_RXDW, n);
	}
}

/*
 * Flow control: RX queue rxq of hw has no descriptor for a frame from TX
 * queue from_q of from. With TFCE, send XOFF (once until XON); true if
 * the sender obeys it (RFCE) and holds the frame. Under rxq->lock.
 */
static bool wbnic_fc_xoff(struct wbnic_hw *hw, struct wbnic_hw_rxq *rxq,
			  struct wbnic_hw *from, unsigned int from_q)
{
	if (!(READ_ONCE(hw->ctrl) & WBNIC_CTRL_TFCE))
		return false;
	if (!rxq->xoff) {
		rxq->xoff = true;
		atomic64_inc(&hw->stat_xofftx);
		atomic64_inc(&from->stat_xoffrx);
	}
	if (!(READ_ONCE(from->ctrl) & WBNIC_CTRL_RFCE))
		return false;
	rxq->held |= BIT(from_q);
	return true;
}

/*
 * A frame arrives from the wire, sent by TX queue from_q of from. Runs in
 * the sender's context with BH disabled. Whatever happens to the frame is
 * counted; false: the RX queue is full and the sender holds the frame
 * (flow control), nothing else changed.
 */
static bool wbnic_rx_frame(struct wbnic_hw *hw, const struct wbnic_frame *f,
			   int flip, struct wbnic_hw *from, unsigned int from_q)
{
	unsigned int qi = 0, nq, len = f->len, hlen, n;
	u8 peek[WBNIC_PEEK] __aligned(8);
	struct wbnic_rx_desc desc;
	struct wbnic_hw_rxq *rxq;
	const u8 *hdr;
	u32 hash = 0, idx;
	u8 *to;
	u8 type;

	if (len < ETH_HLEN)
		return true;
	hdr = wbnic_peek(f, peek, &hlen, flip);
	if (!wbnic_mac_accept(hw, hdr)) {
		atomic64_inc(&hw->stat_filtered);
		return true;
	}
	nq = READ_ONCE(hw->mrqc);
	hash = wbnic_rss(hw, hdr, hlen, &type);
	if (nq > 1 && type != WBNIC_RSS_TYPE_NONE)
		qi = READ_ONCE(hw->reta[hash % WBNIC_RETA_SIZE]) % nq;

	rxq = &hw->rxq[qi];
	spin_lock(&rxq->lock);
	if (!rxq->enabled || rxq->head == READ_ONCE(rxq->tail)) {
		/* no descriptor posted: XOFF, or missed like hardware */
		if (rxq->enabled && wbnic_fc_xoff(hw, rxq, from, from_q)) {
			spin_unlock(&rxq->lock);
			return false;
		}
		rxq->missed++;
		spin_unlock(&rxq->lock);
		return true;
	}
	if (len > rxq->bsize) {
		spin_unlock(&rxq->lock);
		atomic64_inc(&hw->stat_oversize);
		return true;
	}
	idx = rxq->head;
	if (!wbnic_dma_read(hw, rxq->base + idx * sizeof(desc), &desc,
			    sizeof(desc))) {
		spin_unlock(&rxq->lock);
		return true;
	}
	to = wbnic_dma_va(hw, le64_to_cpu(desc.addr), len);
	if (!to) {
		spin_unlock(&rxq->lock);
		return true;
	}
	desc.csum = cpu_to_le16(wbnic_rx_copy(to, f, flip));
	desc.rss_hash = cpu_to_le32(hash);
	desc.rss_type = type;
	desc.length = cpu_to_le16(len);
	desc.rsc_cnt = 0;
	desc.hdr_len = 0;
	memset(desc.rsvd, 0, sizeof(desc.rsvd));
	rxq->head = (idx + 1) % rxq->len;
	n = wbnic_rsc_rx(hw, rxq, idx, to, len, &desc);
	spin_unlock(&rxq->lock);

	if (n)
		wbnic_vec_event(hw, qi, WBNIC_ICR_RXDW, n);
	return true;
}

/*
 * A frame of TX queue qi leaves on the wire. Under rcu_read_lock() from
 * the TX engine. False: the link partner sent XOFF and the frame waits.
 */
static bool wbnic_wire_xmit(struct wbnic_hw *hw, unsigned int qi,
			    const struct wbnic_frame *f)
{
	struct wbnic_hw *to;
	int flip = -1;
	u32 ppm;

	if (!READ_ONCE(hw->link_up)) {
		atomic64_inc(&hw->stat_no_link);
		return true;
	}
	to = (READ_ONCE(hw->ctrl) & WBNIC_CTRL_LPBK) ? hw :
	     rcu_dereference(hw->peer);
	if (!to) {
		atomic64_inc(&hw->stat_no_link);
		return true;
	}
	ppm = READ_ONCE(hw->loss_ppm);
	if (ppm && get_random_u32_below(WBNIC_PPM) < ppm) {
		atomic64_inc(&hw->stat_wire_tx);
		atomic64_inc(&hw->stat_wire_lost);
		return true;
	}
	ppm = READ_ONCE(hw->corrupt_ppm);
	if (ppm && get_random_u32_below(WBNIC_PPM) < ppm)
		flip = get_random_u32_below(f->len * 8);
	if (!wbnic_rx_frame(to, f, flip, hw, qi))
		return false;
	atomic64_inc(&hw->stat_wire_tx);
	if (flip >= 0)
		atomic64_inc(&hw->stat_wire_corrupt);
	return true;
}

/* ---- Transmit: the TX DMA engine, run by the doorbell ---- */

/* Append bytes [off, off + n) of frame f to frame s, by reference. */
static void wbnic_frame_slice(struct wbnic_frame *s,
			      const struct wbnic_frame *f, unsigned int off,
			      unsigned int n)
{
	unsigned int i, k;

	s->len += n;
	for (i = 0; i < f->nseg && n; i++) {
		if (off >= f->seg[i].len) {
			off -= f->seg[i].len;
			continue;
		}
		k = min(n, f->seg[i].len - off);
		s->seg[s->nseg].va = f->seg[i].va + off;
		s->seg[s->nseg].len = k;
		s->nseg++;
		n -= k;
		off = 0;
	}
}

static __wsum wbnic_len_sum(unsigned int len)
{
	return (__force __wsum)(u32)(__force u16)htons(len);
}

/*
 * TSE: send the gathered frame as TCP segments of at most mss payload
 * bytes (see wbnic_hw.h). Each segment is its headers, rewritten in
 * txq->hdr, followed by a slice of the frame's payload where it lies in
 * host memory; the wire copies it like any other frame. It starts at
 * segment txq->tso_next (not 0 when a pause held the frame). 0: sent;
 * -EBUSY: held at segment txq->tso_next; -EINVAL: the frame is not one
 * the device can segment, and nothing was sent.
 */
static int wbnic_tso(struct wbnic_hw *hw, unsigned int qi, unsigned int mss)
{
	struct wbnic_hw_txq *txq = &hw->txq[qi];
	const struct wbnic_frame *f = &txq->frame;
	unsigned int l3 = ETH_HLEN, l4 = f->css, hlen, off, n, i, avail;
	struct wbnic_frame *s = &txq->seg;
	struct ipv6hdr *ip6 = NULL;
	struct iphdr *ip = NULL;
	bool fin, psh, cwr;
	struct tcphdr *th;
	__wsum pseudo;
	__be16 proto;
	u32 seq;
	u16 id = 0;
	u8 *h = txq->hdr;

	avail = min_t(unsigned int, f->len, WBNIC_TSO_MAX_HDR);
	if (!f->ic || !mss || f->cso != l4 + 16 ||
	    l4 + sizeof(*th) > avail)
		return -EINVAL;
	wbnic_frame_read(f, 0, h, avail);
	proto = ((struct ethhdr *)h)->h_proto;
	if (proto == htons(ETH_P_8021Q)) {
		l3 += VLAN_HLEN;
		proto = ((struct vlan_ethhdr *)h)->h_vlan_encapsulated_proto;
	}
	if (proto == htons(ETH_P_IP) && l4 >= l3 + sizeof(*ip)) {
		ip = (struct iphdr *)(h + l3);
		if (ip->version != 4 || l4 != l3 + ip->ihl * 4 ||
		    ip->protocol != IPPROTO_TCP)
			return -EINVAL;
		id = ntohs(ip->id);
	} else if (proto == htons(ETH_P_IPV6) && l4 == l3 + sizeof(*ip6)) {
		ip6 = (struct ipv6hdr *)(h + l3);
		if (ip6->version != 6 || ip6->nexthdr != IPPROTO_TCP)
			return -EINVAL;
	} else {
		return -EINVAL;
	}
	th = (struct tcphdr *)(h + l4);
	hlen = l4 + th->doff * 4;
	if (th->doff < 5 || hlen > avail || hlen >= f->len ||
	    hlen + min(mss, f->len - hlen) > WBNIC_MAX_FRAME)
		return -EINVAL;

	/* the stack's pseudo-header sum, less the whole frame's length */
	pseudo = csum_sub((__force __wsum)(u32)(__force u16)th->check,
			  wbnic_len_sum(f->len - l4));
	seq = ntohl(th->seq);
	fin = th->fin;
	psh = th->psh;
	cwr = th->cwr;
	s->ic = true;
	s->css = l4;
	s->cso = f->cso;
	i = txq->tso_next;
	for (off = hlen + i * mss; off < f->len; off += n, i++) {
		n = min(mss, f->len - off);
		if (ip) {
			ip->tot_len = htons(hlen - l3 + n);
			ip->id = htons(id + i);
			ip->check = 0;
			ip->check = ip_fast_csum(ip, ip->ihl);
		} else {
			ip6->payload_len = htons(hlen - l4 + n);
		}
		th->seq = htonl(seq + off - hlen);
		th->cwr = cwr && !i;
		th->fin = fin && off + n == f->len;
		th->psh = psh && off + n == f->len;
		th->check = ~csum_fold(csum_add(pseudo,
						wbnic_len_sum(hlen - l4 + n)));

		s->nseg = 1;
		s->seg[0].va = h;
		s->seg[0].len = hlen;
		s->len = hlen;
		wbnic_frame_slice(s, f, off, n);
		if (!wbnic_wire_xmit(hw, qi, s)) {
			txq->tso_next = i;
			return -EBUSY;
		}
	}
	return 0;
}

static void wbnic_tx_done(struct wbnic_hw *hw, struct wbnic_hw_txq *txq,
			  u32 from, u32 to)
{
	u8 dd = WBNIC_TXD_STAT_DD;

	for (; from != to; from = (from + 1) % txq->len)
		wbnic_dma_write(hw, txq->base +
				from * sizeof(struct wbnic_tx_desc) +
				offsetof(struct wbnic_tx_desc, status), &dd, 1);
}

/*
 * Send every complete frame between TDH and TDT. A frame is gathered
 * descriptor by descriptor (its buffers stay in host memory: the wire
 * copies them once, into the receiver's buffer); only when its EOP
 * descriptor has been fetched does it go on the wire, after which its
 * descriptors get DD and TDH moves past them. A frame whose EOP is not
 * posted yet waits for the next doorbell.
 */
static void wbnic_tx_engine(struct wbnic_hw *hw, unsigned int qi)
{
	struct wbnic_hw_txq *txq = &hw->txq[qi];
	struct wbnic_frame *f = &txq->frame;
	unsigned int done = 0, mss = 0;
	bool bad = false, tse = false, held = false;
	struct wbnic_tx_desc d;
	int err;
	u32 i, first, dlen;
	const u8 *va;

	rcu_read_lock();
	i = txq->head;
	first = i;
	f->nseg = 0;
	f->len = 0;
	while (txq->enabled && i != txq->tail) {
		if (!wbnic_dma_read(hw, txq->base + i * sizeof(d), &d,
				    sizeof(d)))
			break;	/* ring base is garbage: the queue hangs */
		if (i == first) {
			f->ic = d.cmd & WBNIC_TXD_CMD_IC;
			f->css = d.css;
			f->cso = d.cso;
			tse = d.cmd & WBNIC_TXD_CMD_TSE;
			mss = le16_to_cpu(d.special);
		}
		dlen = le16_to_cpu(d.length);
		va = NULL;
		if (!bad && f->nseg < WBNIC_TX_MAX_SEGS &&
		    f->len + dlen <= (tse ? WBNIC_TSO_MAX_FRAME : WBNIC_MAX_FRAME))
			va = wbnic_dma_va(hw, le64_to_cpu(d.addr), dlen);
		if (va) {
			f->seg[f->nseg].va = va;
			f->seg[f->nseg].len = dlen;
			f->nseg++;
			f->len += dlen;
		} else {
			bad = true;
		}
		i = (i + 1) % txq->len;
		if (!(d.cmd & WBNIC_TXD_CMD_EOP))
			continue;

		if (bad || f->len < ETH_HLEN) {
			bad = true;
		} else if (tse) {
			err = wbnic_tso(hw, qi, mss);
			bad = err == -EINVAL;
			held = err == -EBUSY;
		} else {
			held = !wbnic_wire_xmit(hw, qi, f);
		}
		if (held) {
			/* XOFF: TDH stays; XON or the pause time restarts us */
			hrtimer_start(&txq->pause,
				      ns_to_ktime(WBNIC_FC_PAUSE_US * NSEC_PER_USEC),
				      HRTIMER_MODE_REL_SOFT);
			break;
		}
		if (bad)
			atomic64_inc(&hw->stat_tx_bad);
		/* the buffers have been read: hand them back */
		wbnic_tx_done(hw, txq, first, i);
		txq->head = i;
		txq->tso_next = 0;
		first = i;
		f->nseg = 0;
		f->len = 0;
		bad = false;
		done++;
	}
	/* the wire goes idle: the receiver closes what it coalesces */
	if (done || held) {
		struct wbnic_hw *to = (READ_ONCE(hw->ctrl) & WBNIC_CTRL_LPBK) ?
				      hw : rcu_dereference(hw->peer);

		if (to)
			wbnic_rsc_flush(to);
	}
	rcu_read_unlock();
	/* one event for the doorbell, counting each frame for tx-frames */
	if (done)
		wbnic_vec_event(hw, qi, WBNIC_ICR_TXDW, done);
}

/* Run TX queue qi's engine outside a doorbell: XON, pause time over. */
static void wbnic_tx_kick(struct wbnic_hw *hw, unsigned int qi)
{
	struct wbnic_hw_txq *txq = &hw->txq[qi];

	spin_lock_bh(&txq->lock);
	if (txq->enabled)
		wbnic_tx_engine(hw, qi);
	spin_unlock_bh(&txq->lock);
}

static enum hrtimer_restart wbnic_fc_pause_end(struct hrtimer *t)
{
	struct wbnic_hw_txq *txq = container_of(t, struct wbnic_hw_txq, pause);

	wbnic_tx_kick(txq->hw, txq->idx);
	return HRTIMER_NORESTART;
}

/* The free descriptors at which a queue that sent XOFF sends XON. */
static bool wbnic_fc_xon_ready(const struct wbnic_hw_rxq *rxq)
{
	u32 posted = (rxq->tail + rxq->len - rxq->head) % rxq->len;

	return posted >= clamp_t(u32, rxq->len / 2, 1, WBNIC_FC_XON_DESC);
}

/*
 * An RX queue that sent XOFF sends XON: its link partner (or itself, in
 * loopback) counts it and runs the TX queues it held. Not under a queue
 * lock: the engines take the TX queue's lock, then the RX queue's.
 */
static void wbnic_fc_xon(struct wbnic_hw *hw, u32 held)
{
	struct wbnic_hw *from;
	unsigned int qi;

	atomic64_inc(&hw->stat_xontx);
	rcu_read_lock();
	from = (READ_ONCE(hw->ctrl) & WBNIC_CTRL_LPBK) ? hw :
	       rcu_dereference(hw->peer);
	if (from) {
		atomic64_inc(&from->stat_xonrx);
		for (qi = 0; qi < from->nqueues; qi++)
			if (held & BIT(qi))
				wbnic_tx_kick(from, qi);
	}
	rcu_read_unlock();
}

/* ---- Register file ---- */

static void wbnic_set_base(u64 *base, u32 val, bool high)
{
	if (high)
		*base = (*base & 0xffffffffULL) | ((u64)val << 32);
	else
		*base = (*base & ~0xffffffffULL) | val;
}

static void wbnic_wr_txq(struct wbnic_hw *hw, unsigned int qi, u32 off,
			 u32 val)
{
	struct wbnic_hw_txq *txq = &hw->txq[qi];
	bool kick = false;

	spin_lock_bh(&txq->lock);
	switch (off) {
	case 0x00:
	case 0x04:
		wbnic_set_base(&txq->base, val, off == 0x04);
		break;
	case 0x08:
		txq->len = clamp_t(u32, val, 1, WBNIC_RING_MAX);
		break;
	case 0x0c:
		txq->head = val % max(txq->len, 1U);
		break;
	case 0x10:
		txq->tail = val % max(txq->len, 1U);
		kick = true;
		break;
	case 0x14:
		txq->enabled = val & WBNIC_XDCTL_ENABLE;
		kick = true;
		break;
	}
	/* a held TSE frame goes on where it stopped, unless the ring moved */
	if (off != 0x10)
		txq->tso_next = 0;
	if (kick && txq->enabled)
		wbnic_tx_engine(hw, qi);
	spin_unlock_bh(&txq->lock);
}

static void wbnic_wr_rxq(struct wbnic_hw *hw, unsigned int qi, u32 off,
			 u32 val)
{
	struct wbnic_hw_rxq *rxq = &hw->rxq[qi];
	unsigned int n = 0;
	bool xon = false;
	u32 held = 0;

	/* the RX engine takes this lock: a disable waits for it to finish */
	spin_lock_bh(&rxq->lock);
	/* any change but a posted buffer closes the open RSC frame first */
	if (off != 0x50)
		n = wbnic_rsc_close(hw, rxq);
	switch (off) {
	case 0x40:
	case 0x44:
		wbnic_set_base(&rxq->base, val, off == 0x44);
		break;
	case 0x48:
		rxq->len = clamp_t(u32, val, 1, WBNIC_RING_MAX);
		break;
	case 0x4c:
		rxq->head = val % max(rxq->len, 1U);
		break;
	case 0x50:
		WRITE_ONCE(rxq->tail, val % max(rxq->len, 1U));
		break;
	case 0x54:
		rxq->enabled = val & WBNIC_XDCTL_ENABLE;
		break;
	case 0x58:
		rxq->bsize = min_t(u32, val, WBNIC_MAX_FRAME);
		break;
	}
	/* XON: enough buffers posted, or the queue changed under the pause */
	if (rxq->xoff && (off != 0x50 || wbnic_fc_xon_ready(rxq))) {
		xon = true;
		held = rxq->held;
		rxq->xoff = false;
		rxq->held = 0;
	}
	spin_unlock_bh(&rxq->lock);
	if (xon)
		wbnic_fc_xon(hw, held);
	if (n)
		wbnic_vec_event(hw, qi, WBNIC_ICR_RXDW, n);
}

static u32 wbnic_rd_q(struct wbnic_hw *hw, unsigned int qi, u32 off)
{
	struct wbnic_hw_txq *txq = &hw->txq[qi];
	struct wbnic_hw_rxq *rxq = &hw->rxq[qi];
	u32 val = 0;

	if (off < 0x40) {
		spin_lock_bh(&txq->lock);
		switch (off) {
		case 0x00:
			val = lower_32_bits(txq->base);
			break;
		case 0x04:
			val = upper_32_bits(txq->base);
			break;
		case 0x08:
			val = txq->len;
			break;
		case 0x0c:
			val = txq->head;
			break;
		case 0x10:
			val = txq->tail;
			break;
		case 0x14:
			val = txq->enabled;
			break;
		}
		spin_unlock_bh(&txq->lock);
		return val;
	}
	spin_lock_bh(&rxq->lock);
	switch (off) {
	case 0x40:
		val = lower_32_bits(rxq->base);
		break;
	case 0x44:
		val = upper_32_bits(rxq->base);
		break;
	case 0x48:
		val = rxq->len;
		break;
	case 0x4c:
		val = rxq->head;
		break;
	case 0x50:
		val = rxq->tail;
		break;
	case 0x54:
		val = rxq->enabled;
		break;
	case 0x58:
		val = rxq->bsize;
		break;
	}
	spin_unlock_bh(&rxq->lock);
	return val;
}

void wbnic_wr32(struct wbnic_hw *hw, u32 reg, u32 val)
{
	unsigned int i;

	if (reg >= WBNIC_Q(0) && reg < WBNIC_Q(hw->nqueues)) {
		i = (reg - WBNIC_Q(0)) / 0x100;
		if ((reg & 0xff) < 0x40)
			wbnic_wr_txq(hw, i, reg & 0xff, val);
		else
			wbnic_wr_rxq(hw, i, reg & 0xff, val);
		return;
	}
	if (reg >= WBNIC_EICR(0) && reg < WBNIC_EICR(hw->nqueues)) {
		struct wbnic_hw_vec *v = &hw->vec[(reg - WBNIC_EICR(0)) / 0x10];

		spin_lock_bh(&v->lock);
		if (reg == WBNIC_EITR_RX(v->idx))
			v->eitr_rx = val;
		else if (reg == WBNIC_EITR_TX(v->idx))
			v->eitr_tx = val;
		spin_unlock_bh(&v->lock);
		return;
	}
	if (reg >= WBNIC_RSSRK(0) && reg < WBNIC_RSSRK(10)) {
		i = reg - WBNIC_RSSRK(0);
		put_unaligned_le32(val, &hw->rss_key[i]);
		/* input byte j uses key bytes j to j + 4 */
		wbnic_rss_build(hw, i < 4 ? 0 : i - 4,
				min_t(unsigned int, i + 4, WBNIC_RSS_IN_MAX));
		return;
	}
	if (reg >= WBNIC_RETA(0) && reg < WBNIC_RETA(WBNIC_RETA_SIZE / 4)) {
		/* four 8-bit entries per register, entry n in byte n % 4 */
		for (i = 0; i < 4; i++)
			WRITE_ONCE(hw->reta[reg - WBNIC_RETA(0) + i],
				   (val >> (8 * i)) & 0xff);
		return;
	}
	switch (reg) {
	case WBNIC_CTRL:
		wbnic_set_ctrl(hw, val);
		break;
	case WBNIC_RCTL:
		WRITE_ONCE(hw->rctl, val & (WBNIC_RCTL_UPE | WBNIC_RCTL_RSC));
		if (!(val & WBNIC_RCTL_RSC))
			wbnic_rsc_flush(hw);
		break;
	case WBNIC_RAL:
		put_unaligned_le32(val, hw->mac);
		break;
	case WBNIC_RAH:
		put_unaligned_le16(val, hw->mac + 4);
		break;
	case WBNIC_MRQC:
		WRITE_ONCE(hw->mrqc, min_t(u32, val, hw->nqueues));
		break;
	case WBNIC_EIMS:
		wbnic_vec_mask(hw, val, true);
		break;
	case WBNIC_EIMC:
		wbnic_vec_mask(hw, val, false);
		break;
	}
}

u32 wbnic_rd32(struct wbnic_hw *hw, u32 reg)
{
	u32 val = 0;
	unsigned int i;

	if (reg >= WBNIC_Q(0) && reg < WBNIC_Q(hw->nqueues))
		return wbnic_rd_q(hw, (reg - WBNIC_Q(0)) / 0x100, reg & 0xff);
	if (reg >= WBNIC_EICR(0) && reg < WBNIC_EICR(hw->nqueues)) {
		struct wbnic_hw_vec *v = &hw->vec[(reg - WBNIC_EICR(0)) / 0x10];

		spin_lock_bh(&v->lock);
		if (reg == WBNIC_EICR(v->idx)) {
			val = v->cause;		/* read to clear */
			v->cause = 0;
		} else if (reg == WBNIC_EITR_RX(v->idx)) {
			val = v->eitr_rx;
		} else if (reg == WBNIC_EITR_TX(v->idx)) {
			val = v->eitr_tx;
		}
		spin_unlock_bh(&v->lock);
		return val;
	}
	switch (reg) {
	case WBNIC_CTRL:
		return READ_ONCE(hw->ctrl);
	case WBNIC_STATUS:
		return READ_ONCE(hw->link_up) ? WBNIC_STATUS_LU : 0;
	case WBNIC_RCTL:
		return READ_ONCE(hw->rctl);
	case WBNIC_MRQC:
		return READ_ONCE(hw->mrqc);
	case WBNIC_EIMS:
		for (i = 0; i < hw->nqueues; i++)
			if (READ_ONCE(hw->vec[i].enabled))
				val |= BIT(i);
		return val;
	}
	return 0;
}

u64 wbnic_rd64(struct wbnic_hw *hw, u32 reg)
{
	struct wbnic_hw_rxq *rxq;
	u64 val;

	if (reg >= WBNIC_STAT_RQMPC(0) &&
	    reg < WBNIC_STAT_RQMPC(hw->nqueues)) {
		rxq = &hw->rxq[(reg - WBNIC_STAT_RQMPC(0)) / 8];
		spin_lock_bh(&rxq->lock);
		val = rxq->missed;
		spin_unlock_bh(&rxq->lock);
		return val;
	}
	switch (reg) {
	case WBNIC_STAT_WIRE_TX:
		return atomic64_read(&hw->stat_wire_tx);
	case WBNIC_STAT_WIRE_LOST:
		return atomic64_read(&hw->stat_wire_lost);
	case WBNIC_STAT_WIRE_CORRUPT:
		return atomic64_read(&hw->stat_wire_corrupt);
	case WBNIC_STAT_NO_LINK:
		return atomic64_read(&hw->stat_no_link);
	case WBNIC_STAT_OVERSIZE:
		return atomic64_read(&hw->stat_oversize);
	case WBNIC_STAT_FILTERED:
		return atomic64_read(&hw->stat_filtered);
	case WBNIC_STAT_DMA_ERR:
		return atomic64_read(&hw->stat_dma_err);
	case WBNIC_STAT_TX_BAD:
		return atomic64_read(&hw->stat_tx_bad);
	case WBNIC_STAT_XOFFTXC:
		return atomic64_read(&hw->stat_xofftx);
	case WBNIC_STAT_XONTXC:
		return atomic64_read(&hw->stat_xontx);
	case WBNIC_STAT_XOFFRXC:
		return atomic64_read(&hw->stat_xoffrx);
	case WBNIC_STAT_XONRXC:
		return atomic64_read(&hw->stat_xonrx);
	}
	return 0;
}

/* ---- Power on / off ---- */

struct wbnic_hw *wbnic_hw_create(struct device *dmadev, unsigned int nqueues)
{
	struct wbnic_hw *hw;
	unsigned int i;

	if (!nqueues || nqueues > WBNIC_QUEUES_MAX)
		return NULL;
	hw = kvzalloc(sizeof(*hw), GFP_KERNEL);
	if (!hw)
		return NULL;
	hw->dmadev = dmadev;
	hw->nqueues = nqueues;
	INIT_DELAYED_WORK(&hw->flap_work, wbnic_flap_end);
	for (i = 0; i < nqueues; i++) {
		struct wbnic_hw_vec *v = &hw->vec[i];

		spin_lock_init(&v->lock);
		v->hw = hw;
		v->idx = i;
		hrtimer_init(&v->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
		v->timer.function = wbnic_vec_timer;
		spin_lock_init(&hw->txq[i].lock);
		spin_lock_init(&hw->rxq[i].lock);
		hw->txq[i].hw = hw;
		hw->txq[i].idx = i;
		hrtimer_init(&hw->txq[i].pause, CLOCK_MONOTONIC,
			     HRTIMER_MODE_REL_SOFT);
		hw->txq[i].pause.function = wbnic_fc_pause_end;
		hw->txq[i].len = 1;
		hw->rxq[i].len = 1;
	}
	return hw;
}

/* The driver has disabled every queue and masked every vector. */
void wbnic_hw_destroy(struct wbnic_hw *hw)
{
	unsigned int i;

	/* no engine of the old peer runs after this: no XON kicks us */
	wbnic_wire_disconnect(hw);
	cancel_delayed_work_sync(&hw->flap_work);
	for (i = 0; i < hw->nqueues; i++) {
		hrtimer_cancel(&hw->txq[i].pause);
		wbnic_synchronize_irq(hw, i);
	}
	kvfree(hw);
}

void *wbnic_hw_get_drvdata(struct wbnic_hw *hw)
{
	return hw->drvdata;
}

void wbnic_hw_set_drvdata(struct wbnic_hw *hw, void *data)
{
	hw->drvdata = data;
}
