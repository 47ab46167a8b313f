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
#define WBNF_MCGRP_CT		"ct"	/* WBNF_CMD_CT_EVENT */

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
	/*
	 * conntrack. CT_GET do: one entry by WBNF_A_CT_TUPLE (either
	 * direction's tuple) or WBNF_A_CT_ID; dump: all entries of the netns,
	 * optionally only those matching WBNF_A_CT_FILTER.
	 */
	WBNF_CMD_CT_GET,
	WBNF_CMD_CT_DEL,	/* by WBNF_A_CT_TUPLE or WBNF_A_CT_ID */
	WBNF_CMD_CT_FLUSH,	/* all, or those matching WBNF_A_CT_FILTER */
	WBNF_CMD_CT_STATS_GET,	/* WBNF_A_CT_STATS */
	WBNF_CMD_CT_CONFIG_GET,	/* WBNF_A_CT_CONFIG */
	WBNF_CMD_CT_CONFIG_SET,
	/* notification on "ct": WBNF_A_CT_EVENT and WBNF_A_CT */
	WBNF_CMD_CT_EVENT,
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
	/*
	 * conntrack does not track the packet (ct state untracked) and
	 * evaluation goes on; PREROUTING and OUTPUT only. Like the raw
	 * table, these rules are looked at before conntrack, whatever
	 * their position among the hook's rules.
	 */
	WBNF_VERDICT_NOTRACK,
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
	WBNF_A_CT,		/* nested: WBNF_CT_*, one conntrack entry */
	WBNF_A_CT_TUPLE,	/* nested: WBNF_TUPLE_*, CT_GET/CT_DEL key */
	WBNF_A_CT_ID,		/* u32, CT_GET/CT_DEL key */
	/* nested: WBNF_CT_FAMILY, _PROTO, _TCP_STATE, _STATUS, _ORIG */
	WBNF_A_CT_FILTER,
	WBNF_A_CT_EVENT,	/* u32, enum wbnf_ct_event */
	WBNF_A_CT_STATS,	/* nested: WBNF_CTS_* */
	WBNF_A_CT_CONFIG,	/* nested: WBNF_CTC_* */
	/* u32, STATS_GET: of WBNF_A_RULES, those looked up by hash */
	WBNF_A_RULES_INDEXED,
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
	WBNF_R_CT_STATE,	/* u32, mask of WBNF_CT_STATE_* */
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
	WBNF_T_CT_STATE,	/* u32, one WBNF_CT_STATE_* bit */
	WBNF_T_CT_ID,		/* u32, the conntrack entry; absent if none */
	WBNF_T_CT_DIR,		/* u8, enum wbnf_ct_dir; with CT_ID */
	__WBNF_T_MAX,
};

#define WBNF_T_MAX		(__WBNF_T_MAX - 1)

/*
 * conntrack: the state of a packet, as rules match it (WBNF_R_CT_STATE
 * is a mask of these) and as a trace shows it (one bit).
 */
#define WBNF_CT_STATE_NEW		0x01
#define WBNF_CT_STATE_ESTABLISHED	0x02
#define WBNF_CT_STATE_RELATED		0x04
#define WBNF_CT_STATE_INVALID		0x08
#define WBNF_CT_STATE_UNTRACKED		0x10
#define WBNF_CT_STATE_ALL		0x1fU

enum wbnf_ct_dir {
	WBNF_CT_DIR_ORIGINAL,
	WBNF_CT_DIR_REPLY,
};

/* WBNF_CT_STATUS bits */
#define WBNF_CT_F_SEEN_REPLY	0x01	/* a reply was seen */
#define WBNF_CT_F_ASSURED	0x02	/* not early-dropped when full */
#define WBNF_CT_F_CONFIRMED	0x04	/* in the table */
#define WBNF_CT_F_DYING		0x08	/* being removed */

/* The TCP states, in nf_conntrack's order (enum tcp_conntrack). */
enum wbnf_tcp_state {
	WBNF_TCP_NONE,
	WBNF_TCP_SYN_SENT,
	WBNF_TCP_SYN_RECV,
	WBNF_TCP_ESTABLISHED,
	WBNF_TCP_FIN_WAIT,
	WBNF_TCP_CLOSE_WAIT,
	WBNF_TCP_LAST_ACK,
	WBNF_TCP_TIME_WAIT,
	WBNF_TCP_CLOSE,
	WBNF_TCP_SYN_SENT2,	/* simultaneous open */
	__WBNF_TCP_MAX,
};

enum wbnf_ct_event {
	WBNF_CT_EVENT_NEW = 1,		/* inserted in the table */
	WBNF_CT_EVENT_UPDATE,		/* TCP state, SEEN_REPLY or ASSURED changed */
	WBNF_CT_EVENT_DESTROY,		/* removed: timed out, deleted, flushed */
};

/*
 * One direction's tuple. Ports for TCP, UDP and UDP-Lite; ICMP_ID,
 * _TYPE and _CODE for ICMP and ICMPv6 echo (and the other query types);
 * other protocols have addresses and PROTO only. As keys (CT_GET, CT_DEL)
 * SRC, DST and PROTO are required, and the rest of the protocol's fields.
 */
enum wbnf_tuple_attr {
	WBNF_TUPLE_UNSPEC,
	WBNF_TUPLE_SRC,		/* binary, 4 or 16 bytes */
	WBNF_TUPLE_DST,		/* binary, the same length as SRC */
	WBNF_TUPLE_PROTO,	/* u8, IPPROTO_* */
	WBNF_TUPLE_SPORT,	/* u16 */
	WBNF_TUPLE_DPORT,	/* u16 */
	WBNF_TUPLE_ICMP_ID,	/* u16 */
	WBNF_TUPLE_ICMP_TYPE,	/* u8 */
	WBNF_TUPLE_ICMP_CODE,	/* u8 */
	__WBNF_TUPLE_MAX,
};

#define WBNF_TUPLE_MAX		(__WBNF_TUPLE_MAX - 1)

/* A conntrack entry (replies to CT_GET, events). */
enum wbnf_ct_attr {
	WBNF_CT_UNSPEC,
	WBNF_CT_PAD,
	WBNF_CT_ID,		/* u32, unique in the netns */
	WBNF_CT_FAMILY,		/* u8, AF_INET or AF_INET6 */
	WBNF_CT_PROTO,		/* u8 */
	WBNF_CT_ORIG,		/* nested: WBNF_TUPLE_*, the first packet's */
	WBNF_CT_REPLY,		/* nested: WBNF_TUPLE_*, what a reply looks like */
	WBNF_CT_STATUS,		/* u32, WBNF_CT_F_* */
	WBNF_CT_TCP_STATE,	/* u8, enum wbnf_tcp_state; TCP only */
	WBNF_CT_TIMEOUT,	/* u32, seconds left */
	WBNF_CT_PACKETS_ORIG,	/* u64 */
	WBNF_CT_BYTES_ORIG,	/* u64 */
	WBNF_CT_PACKETS_REPLY,	/* u64 */
	WBNF_CT_BYTES_REPLY,	/* u64 */
	__WBNF_CT_MAX,
};

#define WBNF_CT_MAX		(__WBNF_CT_MAX - 1)

/* conntrack counters of a netns (CT_STATS_GET) */
enum wbnf_ct_stats_attr {
	WBNF_CTS_UNSPEC,
	WBNF_CTS_PAD,
	WBNF_CTS_COUNT,		/* u32, entries in the table */
	WBNF_CTS_ENTRIES_MAX,	/* u32, the most entries a netns may have */
	WBNF_CTS_FOUND,		/* u64, packets of a known entry */
	WBNF_CTS_NEW,		/* u64, entries created (unconfirmed) */
	WBNF_CTS_INVALID,	/* u64, packets found INVALID */
	WBNF_CTS_INSERT,	/* u64, entries inserted (confirmed) */
	/* u64, lost a race to insert: the packet joined the winner */
	WBNF_CTS_INSERT_FAILED,
	WBNF_CTS_DROP,		/* u64, packets dropped: table full */
	WBNF_CTS_EARLY_DROP,	/* u64, entries dropped to make room */
	/* u64, lookups restarted (an entry freed and reused meanwhile) */
	WBNF_CTS_SEARCH_RESTART,
	WBNF_CTS_UNTRACKED,	/* u64, packets not tracked (notrack rules) */
	__WBNF_CTS_MAX,
};

#define WBNF_CTS_MAX		(__WBNF_CTS_MAX - 1)

/*
 * conntrack settings (CT_CONFIG_GET/SET). ENTRIES_MAX is one limit for every
 * netns and only the initial netns's admin may set it; timeouts (in
 * seconds, 1..WBNF_CT_TIMEOUT_MAX) are per netns.
 */
enum wbnf_ct_config_attr {
	WBNF_CTC_UNSPEC,
	WBNF_CTC_ENTRIES_MAX,	/* u32, entries per netns, 1..WBNF_CT_MAX_LIMIT */
	WBNF_CTC_HASHSIZE,	/* u32, read-only: module parameter ct_hashsize */
	WBNF_CTC_TCP_SYN_SENT,	/* u32, also SYN_SENT2 */
	WBNF_CTC_TCP_SYN_RECV,
	WBNF_CTC_TCP_ESTABLISHED,
	WBNF_CTC_TCP_FIN_WAIT,
	WBNF_CTC_TCP_CLOSE_WAIT,
	WBNF_CTC_TCP_LAST_ACK,
	WBNF_CTC_TCP_TIME_WAIT,
	WBNF_CTC_TCP_CLOSE,
	WBNF_CTC_UDP,		/* no reply yet, or a request and its answer */
	WBNF_CTC_UDP_STREAM,	/* packets both ways for more than 2 s */
	WBNF_CTC_ICMP,
	WBNF_CTC_GENERIC,
	__WBNF_CTC_MAX,
};

#define WBNF_CTC_MAX		(__WBNF_CTC_MAX - 1)

#define WBNF_CT_MAX_LIMIT	4194304
#define WBNF_CT_TIMEOUT_MAX	2592000	/* 30 days: seconds * HZ fits a u32 */

#endif /* _UAPI_LINUX_WIREBOX_H */
