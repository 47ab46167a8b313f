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

/*
 * wbnf generic netlink family: wirebox_nf's hooks, rules and trace.
 *
 * Hooks are numbered like enum nf_inet_hooks (0 prerouting .. 4
 * postrouting). A rule belongs to one hook and sees IPv4 and IPv6 packets;
 * an address, or the protocol icmp/icmpv6, limits it to one family.
 *
 *   RULE_GET    dump: every rule [hook]; do: hook, rule-id
 *   RULE_NEW    hook, rule{match, verdict} [index] -> replies the rule
 *   RULE_DEL    hook, rule-id
 *   RULE_FLUSH  [hook]
 *   RULESET_SET rule{hook, ...}* [policy{hook, verdict}]*: replaces every
 *               hook's rules and policies in one atomic swap
 *   POLICY_SET  hook, policy
 *   STATS_GET   dump: one message per hook and family (counters, policy)
 *   TRACE_SET   trace-on [trace-match{...}] [trace-rate]
 *   TRACE_GET   -> the trace selection
 *   TRACE       event on the "trace" multicast group: one per traced
 *               packet per hook
 *
 * Every command, and joining the multicast group, needs CAP_NET_ADMIN in
 * the user namespace owning the netns, as nfnetlink does: a ruleset and
 * a packet trace are that netns's business.
 */
#define WBNF_GENL_NAME		"wbnf"
#define WBNF_GENL_VERSION	1
#define WBNF_MCGRP_TRACE	"trace"

#define WBNF_HOOKS		5	/* NF_INET_PRE_ROUTING .. POST_ROUTING */
#define WBNF_RULES_MAX		16384	/* rules per hook */
#define WBNF_TRACE_RATE_DEFAULT	10	/* packets selected per second */
#define WBNF_TRACE_RATE_MAX	10000

enum wbnf_cmd {
	WBNF_CMD_UNSPEC,
	WBNF_CMD_RULE_GET,
	WBNF_CMD_RULE_NEW,
	WBNF_CMD_RULE_DEL,
	WBNF_CMD_RULE_FLUSH,
	WBNF_CMD_RULESET_SET,
	WBNF_CMD_POLICY_SET,
	WBNF_CMD_STATS_GET,
	WBNF_CMD_TRACE_SET,
	WBNF_CMD_TRACE_GET,
	WBNF_CMD_TRACE,
	__WBNF_CMD_MAX,
};

#define WBNF_CMD_MAX		(__WBNF_CMD_MAX - 1)

enum wbnf_verdict {
	WBNF_VERDICT_ACCEPT,
	WBNF_VERDICT_DROP,
	/* drop and answer: TCP RST for TCP, else ICMP(v6) port unreachable */
	WBNF_VERDICT_REJECT,
	/* log the packet (a trace line) and go on to the next rule */
	WBNF_VERDICT_LOG,
	__WBNF_VERDICT_MAX,
};

#define WBNF_VERDICT_MAX	(__WBNF_VERDICT_MAX - 1)

enum wbnf_attr {
	WBNF_A_UNSPEC,
	WBNF_A_PAD,
	WBNF_A_HOOK,		/* u32, 0..WBNF_HOOKS-1 */
	WBNF_A_RULE,		/* nested: WBNF_R_* */
	WBNF_A_RULE_ID,		/* u32 */
	WBNF_A_INDEX,		/* u32, RULE_NEW: insert before this position */
	/* u32, WBNF_VERDICT_ACCEPT or _DROP; RULESET_SET: { HOOK, POLICY } */
	WBNF_A_POLICY,
	WBNF_A_FAMILY,		/* u8, STATS_GET replies: AF_INET, AF_INET6 */
	WBNF_A_PACKETS,		/* u64, STATS_GET: packets seen at the hook */
	WBNF_A_BYTES,		/* u64 */
	WBNF_A_DROPPED,		/* u64, dropped (or rejected) by wirebox */
	WBNF_A_RULES,		/* u32, STATS_GET: rules on the hook */
	WBNF_A_TRACE_ON,	/* u8 */
	WBNF_A_TRACE_MATCH,	/* nested: WBNF_R_* match attributes only */
	WBNF_A_TRACE_RATE,	/* u32, packets selected per second */
	WBNF_A_TRACE,		/* nested: WBNF_T_*, TRACE events */
	WBNF_A_POLICY_PACKETS,	/* u64, STATS_GET: packets the policy took */
	__WBNF_A_MAX,
};

#define WBNF_A_MAX		(__WBNF_A_MAX - 1)

/*
 * A rule: its match (every attribute optional; absent matches anything)
 * and verdict. Interface names end in '+' to match a prefix, as in
 * iptables. Ports and ICMP type/code apply when PROTO says TCP/UDP/SCTP/
 * UDPLITE or ICMP/ICMPv6.
 */
enum wbnf_rule_attr {
	WBNF_R_UNSPEC,
	WBNF_R_PAD,
	WBNF_R_ID,		/* u32, replies */
	WBNF_R_HOOK,		/* u32, replies and RULESET_SET */
	WBNF_R_VERDICT,		/* u32, enum wbnf_verdict */
	WBNF_R_IIF,		/* string, input interface */
	WBNF_R_OIF,		/* string, output interface */
	WBNF_R_FAMILY,		/* u8, AF_INET or AF_INET6 */
	WBNF_R_SRC,		/* binary, 4 or 16 bytes: sets the family */
	WBNF_R_SRC_LEN,		/* u8, prefix length */
	WBNF_R_DST,		/* binary, 4 or 16 bytes: sets the family */
	WBNF_R_DST_LEN,		/* u8 */
	WBNF_R_PROTO,		/* u8, IPPROTO_* (IPv6: upper-layer header) */
	WBNF_R_SPORT_MIN,	/* u16 */
	WBNF_R_SPORT_MAX,	/* u16 */
	WBNF_R_DPORT_MIN,	/* u16 */
	WBNF_R_DPORT_MAX,	/* u16 */
	WBNF_R_ICMP_TYPE,	/* u8 */
	WBNF_R_ICMP_CODE,	/* u8 */
	WBNF_R_CT_STATE,	/* u32, mask of WBNF_CT_STATE_* (conntrack) */
	WBNF_R_PACKETS,		/* u64, replies */
	WBNF_R_BYTES,		/* u64, replies */
	__WBNF_R_MAX,
};

#define WBNF_R_MAX		(__WBNF_R_MAX - 1)

/*
 * One line of a packet's walk: what it looked like at HOOK, and what
 * wirebox decided there.
 */
enum wbnf_trace_attr {
	WBNF_T_UNSPEC,
	WBNF_T_PAD,
	WBNF_T_ID,		/* u32, ties a packet's events together */
	WBNF_T_HOOK,		/* u32 */
	WBNF_T_FAMILY,		/* u8 */
	WBNF_T_IIF,		/* string, absent when none */
	WBNF_T_OIF,		/* string, absent when none */
	WBNF_T_SRC,		/* binary, 4 or 16 bytes */
	WBNF_T_DST,		/* binary */
	WBNF_T_LEN,		/* u32, IP total length */
	WBNF_T_TTL,		/* u8, TTL or hop limit */
	WBNF_T_PROTO,		/* u8 */
	WBNF_T_SPORT,		/* u16 */
	WBNF_T_DPORT,		/* u16 */
	WBNF_T_ICMP_TYPE,	/* u8 */
	WBNF_T_ICMP_CODE,	/* u8 */
	WBNF_T_VERDICT,		/* u32, enum wbnf_verdict */
	WBNF_T_RULE_ID,		/* u32, absent: the hook's policy decided */
	/* u8: FIN 0x01 SYN 0x02 RST 0x04 PSH 0x08 ACK 0x10 URG 0x20 ... */
	WBNF_T_TCP_FLAGS,
	WBNF_T_ICMP_ID,		/* u16, echo request/reply identifier */
	WBNF_T_ICMP_SEQ,	/* u16, echo sequence number */
	WBNF_T_NETNS,		/* u32, inode of the netns (ls -L /proc/PID/ns/net) */
	__WBNF_T_MAX,
};

#define WBNF_T_MAX		(__WBNF_T_MAX - 1)

#endif /* _UAPI_LINUX_WIREBOX_H */
