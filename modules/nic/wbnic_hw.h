/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wirebox_nic: the simulated hardware's "datasheet".
 *
 * Everything the driver knows about the device is in this header: the
 * register map, the descriptor formats, and the few calls that stand in
 * for the bus (register read/write, interrupt registration). The device
 * model (hw.c) knows nothing about the driver beyond that. It reaches the
 * driver's memory only through DMA addresses found in registers and in
 * descriptors, as a PCI device does.
 *
 * The layout is modelled on Intel's e1000/igb family: legacy 16-byte TX
 * descriptors with CSS/CSO checksum insertion, head/tail ring registers,
 * per-vector interrupt cause (read-to-clear) with mask set/clear
 * registers (EIMS/EIMC) and interrupt throttling (EITR).
 */
#ifndef _WBNIC_HW_H
#define _WBNIC_HW_H

#include <linux/bits.h>
#include <linux/if_ether.h>
#include <linux/if_vlan.h>
#include <linux/irqreturn.h>
#include <linux/types.h>
#include <linux/wirebox.h>

/* The largest frame the MAC handles, and the MTU that gives it. */
#define WBNIC_MAX_FRAME		9216
#define WBNIC_MAX_MTU		9000

/* The most TX descriptors (buffers) one frame may take; more is malformed. */
#define WBNIC_TX_MAX_SEGS	32

/* The largest frame the TX engine segments (TSE), and its headers. */
#define WBNIC_TSO_MAX_FRAME	(65536 + ETH_HLEN + VLAN_HLEN)
#define WBNIC_TSO_MAX_HDR	256

/* ---- Registers (32-bit; statistics registers are 64-bit) ---- */

#define WBNIC_CTRL		0x0000	/* device control */
#define  WBNIC_CTRL_SLU		BIT(0)	/* set link up: PHY powered */
#define  WBNIC_CTRL_LPBK	BIT(1)	/* MAC loopback: TX comes back */
#define  WBNIC_CTRL_RFCE	BIT(2)	/* obey PAUSE: hold TX on XOFF */
#define  WBNIC_CTRL_TFCE	BIT(3)	/* send PAUSE: XOFF when RX is full */
#define WBNIC_STATUS		0x0008	/* device status, read-only */
#define  WBNIC_STATUS_LU	BIT(0)	/* link up */

#define WBNIC_RCTL		0x0100	/* receive control */
#define  WBNIC_RCTL_UPE		BIT(0)	/* unicast promiscuous */
#define  WBNIC_RCTL_RSC		BIT(1)	/* receive side coalescing */
#define WBNIC_RAL		0x0108	/* receive address, bytes 0-3 */
#define WBNIC_RAH		0x010c	/* receive address, bytes 4-5 */
#define WBNIC_MRQC		0x0110	/* RSS: number of RX queues used */
#define WBNIC_RSSRK(i)		(0x0120 + 4 * (i))	/* RSS key, 10 regs */
#define WBNIC_RSS_KEY_SIZE	40
#define WBNIC_RETA(i)		(0x0200 + 4 * (i))	/* 4 entries/reg */
#define WBNIC_RETA_SIZE		128

#define WBNIC_EIMS		0x0300	/* write 1: unmask vector; read: mask */
#define WBNIC_EIMC		0x0304	/* write 1: mask vector */
#define WBNIC_EICR(v)		(0x0400 + 0x10 * (v))	/* cause, read-clear */
#define WBNIC_EITR_RX(v)	(0x0404 + 0x10 * (v))	/* RX throttling */
#define WBNIC_EITR_TX(v)	(0x0408 + 0x10 * (v))	/* TX throttling */
#define  WBNIC_EITR_USECS	GENMASK(15, 0)	/* delay after 1st event */
#define  WBNIC_EITR_FRAMES	GENMASK(31, 16)	/* fire early at N events */

#define WBNIC_Q(q)		(0x1000 + 0x100 * (q))
#define WBNIC_TDBAL(q)		(WBNIC_Q(q) + 0x00)	/* TX ring DMA base */
#define WBNIC_TDBAH(q)		(WBNIC_Q(q) + 0x04)
#define WBNIC_TDLEN(q)		(WBNIC_Q(q) + 0x08)	/* in descriptors */
#define WBNIC_TDH(q)		(WBNIC_Q(q) + 0x0c)	/* head: hardware's */
#define WBNIC_TDT(q)		(WBNIC_Q(q) + 0x10)	/* tail: doorbell */
#define WBNIC_TXDCTL(q)		(WBNIC_Q(q) + 0x14)
#define WBNIC_RDBAL(q)		(WBNIC_Q(q) + 0x40)	/* RX ring DMA base */
#define WBNIC_RDBAH(q)		(WBNIC_Q(q) + 0x44)
#define WBNIC_RDLEN(q)		(WBNIC_Q(q) + 0x48)	/* in descriptors */
#define WBNIC_RDH(q)		(WBNIC_Q(q) + 0x4c)
#define WBNIC_RDT(q)		(WBNIC_Q(q) + 0x50)	/* last posted + 1 */
#define WBNIC_RXDCTL(q)		(WBNIC_Q(q) + 0x54)
#define WBNIC_RBSIZE(q)		(WBNIC_Q(q) + 0x58)	/* buffer bytes */
#define  WBNIC_XDCTL_ENABLE	BIT(0)	/* queue enable (TXDCTL/RXDCTL) */

/* 64-bit statistics registers, wbnic_rd64(); they never clear. */
#define WBNIC_STAT_WIRE_TX	0x4000	/* frames put on the wire */
#define WBNIC_STAT_WIRE_LOST	0x4008	/* ... and lost by it */
#define WBNIC_STAT_WIRE_CORRUPT	0x4010	/* ... and corrupted by it */
#define WBNIC_STAT_NO_LINK	0x4018	/* TX dropped, link down */
#define WBNIC_STAT_OVERSIZE	0x4020	/* RX longer than RBSIZE */
#define WBNIC_STAT_FILTERED	0x4028	/* RX not for our address */
#define WBNIC_STAT_DMA_ERR	0x4030	/* DMA to an invalid address */
#define WBNIC_STAT_TX_BAD	0x4038	/* malformed TX descriptor chain */
#define WBNIC_STAT_XOFFTXC	0x4040	/* PAUSE (XOFF) frames sent */
#define WBNIC_STAT_XONTXC	0x4048	/* XON frames sent */
#define WBNIC_STAT_XOFFRXC	0x4050	/* XOFF frames received */
#define WBNIC_STAT_XONRXC	0x4058	/* XON frames received */
#define WBNIC_STAT_RQMPC(q)	(0x4100 + 8 * (q))	/* RX missed */

/*
 * Flow control, IEEE 802.3x (CTRL.TFCE, CTRL.RFCE). The wire is faster
 * than any receiver: a sender's TX engine copies frames into the link
 * partner's RX ring as fast as it runs, and a frame that finds no posted
 * descriptor is missed. With TFCE, a receiver whose RX queue has no
 * descriptor for an arriving frame sends XOFF to its link partner
 * instead (counted once until it resumes) and, with RFCE on the
 * partner's side, that frame is not lost: the partner's TX engine stops
 * in front of it, descriptors left unsent (TDH stays), and the frame
 * goes again when the pause ends. A TSE frame stops at the segment that
 * did not fit and goes on from there. The pause ends when the receiver
 * has WBNIC_FC_XON_DESC free descriptors again (or half its ring, if
 * smaller: XON, sent on the RDT write that posts them), on any other
 * write to that queue's registers, or when the pause time,
 * WBNIC_FC_PAUSE_US, runs out; a queue still full then sends XOFF again
 * (not counted). Like 802.3x the pause stops the whole transmit queue,
 * whichever receive queue is full. Without RFCE the partner counts the
 * XOFF and sends anyway: the frame is missed.
 */
#define WBNIC_FC_XON_DESC	32
#define WBNIC_FC_PAUSE_US	1000

/* ---- Descriptors (little-endian, in DMA-coherent memory) ---- */

/* TX: e1000 legacy format. The driver writes it, then bumps TDT. */
struct wbnic_tx_desc {
	__le64 addr;		/* buffer DMA address */
	__le16 length;		/* bytes in this buffer */
	u8 cso;			/* checksum offset (first descriptor) */
	u8 cmd;			/* WBNIC_TXD_CMD_* */
	u8 status;		/* written by hardware: WBNIC_TXD_STAT_DD */
	u8 css;			/* checksum start (first descriptor) */
	__le16 special;
};

#define WBNIC_TXD_CMD_EOP	BIT(0)	/* last buffer of the frame */
#define WBNIC_TXD_CMD_IC	BIT(2)	/* insert checksum at cso */
#define WBNIC_TXD_CMD_RS	BIT(3)	/* report status (set DD) */
#define WBNIC_TXD_CMD_TSE	BIT(5)	/* TCP segmentation (first) */

/*
 * TCP segmentation (TSE, with IC, on a frame's first descriptor): the
 * device cuts a frame of at most WBNIC_TSO_MAX_FRAME bytes into segments
 * of at most "special" (the MSS) payload bytes and sends each as a frame
 * of its own. css is the TCP header's offset and cso = css + 16; the IP
 * header follows the Ethernet header (and at most one 802.1Q tag) and
 * ends at css: IPv4 with any IHL, or IPv6 with TCP as next header. The
 * TCP checksum field holds what the stack leaves for CHECKSUM_PARTIAL:
 * the pseudo-header sum over the whole frame's TCP length; the device
 * puts each segment's length in its place and inserts the checksum. Per
 * segment it writes the IPv4 total length, ID (+1 a segment) and header
 * checksum, or the IPv6 payload length; the TCP sequence number; CWR on
 * the first segment only, FIN and PSH on the last only. Headers longer
 * than WBNIC_TSO_MAX_HDR, anything else, or a segment longer than
 * WBNIC_MAX_FRAME make the frame bad.
 */
#define WBNIC_TXD_STAT_DD	BIT(0)	/* descriptor done */

/*
 * RX: the driver writes addr and clears status; the hardware leaves addr
 * alone and writes the rest back, status last.
 */
struct wbnic_rx_desc {
	__le64 addr;		/* buffer DMA address, RBSIZE bytes */
	__le32 rss_hash;	/* Toeplitz hash of the flow */
	__le16 length;		/* frame bytes written */
	__le16 csum;		/* 16-bit sum of the frame after Ethernet */
	u8 status;		/* WBNIC_RXD_STAT_* */
	u8 rss_type;		/* WBNIC_RSS_TYPE_* */
	__le16 rsc_cnt;		/* RSC, first buffer: segments coalesced */
	u8 hdr_len;		/* RSC, later buffers: header bytes to skip */
	u8 rsvd[11];
};

#define WBNIC_RXD_STAT_DD	BIT(0)	/* descriptor done */
#define WBNIC_RXD_STAT_EOP	BIT(1)	/* last buffer of the frame */

/*
 * Receive side coalescing (RCTL.RSC): the RX engine merges consecutive
 * in-order segments of one TCP flow into one frame spread over up to
 * WBNIC_RSC_MAX_DESC buffers, as ixgbe's RSC does. A segment qualifies
 * when it is TCP over IPv4 (no options, not a fragment) or IPv6 (TCP as
 * next header) right after the Ethernet header, carries payload, has no
 * flag but ACK and PSH, and its IP and TCP checksums are good. It joins
 * the open frame of its queue when its headers match the first
 * segment's (addresses, ports, TTL/hop limit, TOS, TCP options), its
 * sequence number is the next expected and its payload is no longer than
 * the first's. The frame closes on a segment that does not join, on PSH,
 * on a shorter segment, on WBNIC_RSC_MAX_DESC buffers or 64 KiB, on any
 * write to the queue's registers but RDT, and when the wire goes idle
 * (the sending device has emptied its ring).
 *
 * The first buffer holds the first segment whole, its headers rewritten
 * for the merged frame: IPv4 total length and header checksum or IPv6
 * payload length, the last segment's ACK number and window, PSH if the
 * last had it, and a TCP checksum over the merged frame. Every later
 * buffer holds a whole segment as it came (length), of which the first
 * hdr_len bytes are its headers: the payload follows them. The first
 * descriptor has DD without EOP, rsc_cnt and the csum of the merged frame
 * after its Ethernet header; the last has EOP. The device writes the
 * later descriptors first, so DD on the first means the frame is whole.
 */
#define WBNIC_RSC_MAX_DESC	16

#define WBNIC_RSS_TYPE_NONE	0
#define WBNIC_RSS_TYPE_L3	1	/* addresses only */
#define WBNIC_RSS_TYPE_L4	2	/* addresses and TCP/UDP ports */

/* ---- The bus: how the driver reaches the device ---- */

struct device;
struct wbnic_hw;

/* An interrupt handler, called with BH disabled; it must not sleep. */
typedef irqreturn_t (*wbnic_irq_handler_t)(struct wbnic_hw *hw, unsigned int vec,
				   void *data);

struct wbnic_hw *wbnic_hw_create(struct device *dmadev, unsigned int nqueues);
void wbnic_hw_destroy(struct wbnic_hw *hw);

u32 wbnic_rd32(struct wbnic_hw *hw, u32 reg);
void wbnic_wr32(struct wbnic_hw *hw, u32 reg, u32 val);
u64 wbnic_rd64(struct wbnic_hw *hw, u32 reg);

void wbnic_request_irq(struct wbnic_hw *hw, unsigned int vec,
		       wbnic_irq_handler_t handler, void *data);
void wbnic_synchronize_irq(struct wbnic_hw *hw, unsigned int vec);

/* Interrupt controller state, for diagnostics (wbctl nic show). */
struct wbnic_vec_state {
	u32 cause;
	u32 pending;		/* completions waiting for throttling */
	bool masked;
	bool timer;
};

void wbnic_vec_state(struct wbnic_hw *hw, unsigned int vec,
		     struct wbnic_vec_state *st);

/* ---- The wire: not part of the NIC, the cable plugged into it ---- */

int wbnic_wire_connect(struct wbnic_hw *a, struct wbnic_hw *b);
void wbnic_wire_disconnect(struct wbnic_hw *hw);
struct wbnic_hw *wbnic_wire_peer(struct wbnic_hw *hw);
void wbnic_wire_set_faults(struct wbnic_hw *hw, u32 loss_ppm,
			   u32 corrupt_ppm);
void wbnic_wire_get_faults(struct wbnic_hw *hw, u32 *loss_ppm,
			   u32 *corrupt_ppm);
void wbnic_wire_flap(struct wbnic_hw *hw, unsigned int ms);
void *wbnic_hw_get_drvdata(struct wbnic_hw *hw);
void wbnic_hw_set_drvdata(struct wbnic_hw *hw, void *data);

#endif /* _WBNIC_HW_H */
