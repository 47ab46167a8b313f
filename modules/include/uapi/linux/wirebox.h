/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * wirebox user API: link kinds and generic netlink families.
 *
 * This is the one header the modules and wbctl share. Attribute numbers
 * are ABI: append, never renumber.
 */
#ifndef _UAPI_LINUX_WIREBOX_H
#define _UAPI_LINUX_WIREBOX_H

/*
 * wbpair: the veth-like pair, rtnetlink link kind "wbpair".
 *
 * RTM_NEWLINK IFLA_LINKINFO { IFLA_INFO_KIND "wbpair",
 *			      IFLA_INFO_DATA { WBPAIR_INFO_* } }
 */
#define WBPAIR_KIND		"wbpair"

enum {
	WBPAIR_INFO_UNSPEC,
	/* nested: struct ifinfomsg, then IFLA_* of the peer (name, netns) */
	WBPAIR_INFO_PEER,
	/* u32, enum wbpair_mode; set at create time for both ends */
	WBPAIR_INFO_MODE,
	__WBPAIR_INFO_MAX,
};

#define WBPAIR_INFO_MAX		(__WBPAIR_INFO_MAX - 1)

enum wbpair_mode {
	/* hand the frame to the peer's stack with netif_rx(), like veth */
	WBPAIR_MODE_XMIT,
	/* queue to the peer's ring; the peer's NAPI poll delivers with GRO */
	WBPAIR_MODE_NAPI,
	__WBPAIR_MODE_MAX,
};

#define WBPAIR_MODE_MAX		(__WBPAIR_MODE_MAX - 1)

/*
 * wbnic: the NAPI-polled NIC with simulated DMA hardware, rtnetlink link
 * kind "wbnic".
 *
 * RTM_NEWLINK IFLA_LINKINFO { IFLA_INFO_KIND "wbnic",
 *			      IFLA_INFO_DATA { WBNIC_INFO_* } }
 *
 * Every attribute is optional; ethtool -G/-L change them later.
 */
#define WBNIC_KIND		"wbnic"

enum {
	WBNIC_INFO_UNSPEC,
	WBNIC_INFO_RX_RING,	/* u32, RX descriptors, power of two */
	WBNIC_INFO_TX_RING,	/* u32, TX descriptors, power of two */
	WBNIC_INFO_QUEUES,	/* u32, queue pairs (channels) */
	__WBNIC_INFO_MAX,
};

#define WBNIC_INFO_MAX		(__WBNIC_INFO_MAX - 1)

/* Limits, also reported by ethtool -g / -l. */
#define WBNIC_RING_MIN		64
#define WBNIC_RING_MAX		4096
#define WBNIC_RING_DEFAULT	256
#define WBNIC_QUEUES_MAX	8
#define WBNIC_FLAP_MS_MAX	60000
#define WBNIC_PPM		1000000	/* loss/corrupt rates are per million */

/*
 * wbnic generic netlink family: the wire between NICs and a view of the
 * simulated hardware's live state.
 *
 *   GET      ifindex         -> one NIC; dump: every wbnic in the netns
 *   CABLE    ifindex, peer-ifindex [peer-netns-fd]
 *   UNCABLE  ifindex
 *   SET      ifindex [loss] [corrupt] [loopback] [flap-ms]
 *
 * CABLE, UNCABLE and SET need CAP_NET_ADMIN in the user namespace owning
 * the device's netns (and the peer's, for CABLE).
 */
#define WBNIC_GENL_NAME		"wbnic"
#define WBNIC_GENL_VERSION	1

enum wbnic_cmd {
	WBNIC_CMD_UNSPEC,
	WBNIC_CMD_GET,
	WBNIC_CMD_CABLE,
	WBNIC_CMD_UNCABLE,
	WBNIC_CMD_SET,
	__WBNIC_CMD_MAX,
};

#define WBNIC_CMD_MAX		(__WBNIC_CMD_MAX - 1)

enum wbnic_attr {
	WBNIC_A_UNSPEC,
	WBNIC_A_PAD,
	WBNIC_A_IFINDEX,	/* u32 */
	WBNIC_A_IFNAME,		/* string, replies only */
	WBNIC_A_PEER_IFINDEX,	/* u32: CABLE's other end; GET: cabled peer */
	WBNIC_A_PEER_NETNS_FD,	/* u32, CABLE: netns of PEER_IFINDEX */
	WBNIC_A_PEER_IFNAME,	/* string, replies only */
	WBNIC_A_PEER_NETNSID,	/* s32, replies: peer in another netns */
	WBNIC_A_LOOPBACK,	/* u8: MAC loopback, TX frames come back */
	/*
	 * Wire faults act on the frames this NIC transmits (one direction);
	 * set them on both ends for both directions. WIRE_* counters too.
	 */
	WBNIC_A_LOSS,		/* u32: loss rate, per million frames */
	WBNIC_A_CORRUPT,	/* u32: bit-flip rate, per million frames */
	WBNIC_A_FLAP_MS,	/* u32, SET: drop the link for this long */
	WBNIC_A_CARRIER,	/* u8, replies: link up */
	WBNIC_A_UP,		/* u8, replies: interface up, rings live */
	WBNIC_A_WIRE_TX,	/* u64, replies: frames put on the wire */
	WBNIC_A_WIRE_LOST,	/* u64, replies: frames the wire lost */
	WBNIC_A_WIRE_CORRUPTED,	/* u64, replies: frames the wire corrupted */
	WBNIC_A_WIRE_NO_LINK,	/* u64, replies: TX with no link, dropped */
	WBNIC_A_QUEUES,		/* nested, replies: WBNIC_A_QUEUE ... */
	WBNIC_A_QUEUE,		/* nested: WBNIC_Q_* */
	__WBNIC_A_MAX,
};

#define WBNIC_A_MAX		(__WBNIC_A_MAX - 1)

/*
 * One queue pair as the hardware and driver see it now. Head is the
 * hardware's position (next descriptor it will use), tail the driver's
 * (one past the last descriptor it handed over), clean the driver's next
 * descriptor to reclaim.
 */
enum wbnic_queue_attr {
	WBNIC_Q_UNSPEC,
	WBNIC_Q_PAD,
	WBNIC_Q_INDEX,		/* u32 */
	WBNIC_Q_TX_SIZE,	/* u32 */
	WBNIC_Q_TX_HEAD,	/* u32, register TDH */
	WBNIC_Q_TX_TAIL,	/* u32, register TDT */
	WBNIC_Q_TX_CLEAN,	/* u32, driver next_to_clean */
	WBNIC_Q_TX_INFLIGHT,	/* u32, descriptors not yet reclaimed */
	WBNIC_Q_TX_STOPPED,	/* u8, stack queue stopped (ring full) */
	WBNIC_Q_RX_SIZE,	/* u32 */
	WBNIC_Q_RX_HEAD,	/* u32, register RDH */
	WBNIC_Q_RX_TAIL,	/* u32, register RDT */
	WBNIC_Q_RX_CLEAN,	/* u32, driver next_to_clean */
	WBNIC_Q_RX_POSTED,	/* u32, empty buffers the hardware may fill */
	WBNIC_Q_IRQ_MASKED,	/* u8, vector masked (NAPI owns the queue) */
	WBNIC_Q_IRQ_CAUSE,	/* u32, latched cause bits, WBNIC_ICR_* */
	WBNIC_Q_IRQ_TIMER,	/* u8, coalescing timer armed */
	WBNIC_Q_IRQ_PENDING,	/* u32, completions waiting for the timer */
	WBNIC_Q_IRQS,		/* u64, interrupts raised */
	WBNIC_Q_RX_MISSED,	/* u64, frames dropped: no RX descriptor */
	__WBNIC_Q_MAX,
};

#define WBNIC_Q_MAX		(__WBNIC_Q_MAX - 1)

/* Interrupt cause bits, per queue vector (WBNIC_Q_IRQ_CAUSE). */
#define WBNIC_ICR_RXDW		0x1	/* RX descriptor written back */
#define WBNIC_ICR_TXDW		0x2	/* TX descriptor written back */
#define WBNIC_ICR_LSC		0x4	/* link status change */

#endif /* _UAPI_LINUX_WIREBOX_H */
