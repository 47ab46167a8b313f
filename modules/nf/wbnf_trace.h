/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wirebox_nf tracepoints: wirebox:wbnf_hook fires once per hook for each
 * packet the trace selected (wbctl trace on ...), with what the dmesg
 * line says. IPv4 addresses are stored v4-mapped.
 *
 *	trace-cmd record -e wirebox:wbnf_hook
 *	perf trace -e wirebox:wbnf_hook
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM wirebox

#if !defined(_WBNF_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _WBNF_TRACE_H

#include <linux/tracepoint.h>
#include <net/ipv6.h>

#include "wbnf.h"

#ifndef WBNF_TRACE_ADDR
#define WBNF_TRACE_ADDR
/* IPv4 as v4-mapped, so one %pI6c prints both families */
static inline void wbnf_trace_addr(u8 family, const union nf_inet_addr *a,
				   u8 *to)
{
	if (family == AF_INET)
		ipv6_addr_set_v4mapped(a->ip, (struct in6_addr *)to);
	else
		memcpy(to, &a->in6, sizeof(struct in6_addr));
}

static inline bool wbnf_trace_icmp(const struct wbnf_pkt *pkt)
{
	return pkt->proto == IPPROTO_ICMP || pkt->proto == IPPROTO_ICMPV6;
}
#endif

TRACE_DEFINE_ENUM(NF_INET_PRE_ROUTING);
TRACE_DEFINE_ENUM(NF_INET_LOCAL_IN);
TRACE_DEFINE_ENUM(NF_INET_FORWARD);
TRACE_DEFINE_ENUM(NF_INET_LOCAL_OUT);
TRACE_DEFINE_ENUM(NF_INET_POST_ROUTING);
TRACE_DEFINE_ENUM(WBNF_VERDICT_ACCEPT);
TRACE_DEFINE_ENUM(WBNF_VERDICT_DROP);
TRACE_DEFINE_ENUM(WBNF_VERDICT_REJECT);
TRACE_DEFINE_ENUM(WBNF_VERDICT_LOG);
TRACE_DEFINE_ENUM(WBNF_VERDICT_NOTRACK);

TRACE_EVENT(wbnf_hook,
	    TP_PROTO(const struct net *net, const struct wbnf_pkt *pkt, u32 id,
		     u8 verdict, u32 rule),
	    TP_ARGS(net, pkt, id, verdict, rule),
	    TP_STRUCT__entry(__field(u32, netns)
			     __field(u32, id)
			     __field(u8, hook)
			     __field(u8, family)
			     __field(u8, proto)
			     __field(u8, verdict)
			     __field(u32, rule)
			     __field(u32, ct_id)
			     __field(u8, ct_state)
			     __field(u32, len)
			     __field(u16, sport)
			     __field(u16, dport)
			     __array(char, iif, IFNAMSIZ)
			     __array(char, oif, IFNAMSIZ)
			     __array(u8, saddr, sizeof(struct in6_addr))
			     __array(u8, daddr, sizeof(struct in6_addr))),
	    TP_fast_assign(bool icmp = wbnf_trace_icmp(pkt);

			   __entry->netns = net->ns.inum;
			   __entry->id = id;
			   __entry->hook = pkt->hook;
			   __entry->family = pkt->family;
			   __entry->proto = pkt->proto;
			   __entry->verdict = verdict;
			   __entry->rule = rule;
			   __entry->ct_id = pkt->ct.id;
			   __entry->ct_state = pkt->ct.state;
			   __entry->len = pkt->len;
			   __entry->sport = icmp ? pkt->icmp_type : pkt->sport;
			   __entry->dport = icmp ? pkt->icmp_code : pkt->dport;
			   strscpy(__entry->iif, pkt->in ? pkt->in->name : "",
				   IFNAMSIZ);
			   strscpy(__entry->oif, pkt->out ? pkt->out->name : "",
				   IFNAMSIZ);
			   wbnf_trace_addr(pkt->family, &pkt->src,
					   __entry->saddr);
			   wbnf_trace_addr(pkt->family, &pkt->dst,
					   __entry->daddr);),
	    TP_printk("netns=%u id=%08x hook=%s in=%s out=%s src=%pI6c dst=%pI6c len=%u proto=%u sport/type=%u dport/code=%u verdict=%s rule=%u ct=%s ctid=%u",
		      __entry->netns, __entry->id,
		      __print_symbolic(__entry->hook,
				       { NF_INET_PRE_ROUTING, "PREROUTING" },
				       { NF_INET_LOCAL_IN, "INPUT" },
				       { NF_INET_FORWARD, "FORWARD" },
				       { NF_INET_LOCAL_OUT, "OUTPUT" },
				       { NF_INET_POST_ROUTING, "POSTROUTING" }),
		      __entry->iif, __entry->oif, __entry->saddr, __entry->daddr,
		      __entry->len, __entry->proto, __entry->sport,
		      __entry->dport,
		      __print_symbolic(__entry->verdict,
				       { WBNF_VERDICT_ACCEPT, "ACCEPT" },
				       { WBNF_VERDICT_DROP, "DROP" },
				       { WBNF_VERDICT_REJECT, "REJECT" },
				       { WBNF_VERDICT_LOG, "LOG" },
				       { WBNF_VERDICT_NOTRACK, "NOTRACK" }),
		      __entry->rule,
		      __print_symbolic(__entry->ct_state,
				       { 0, "-" },
				       { WBNF_CT_STATE_NEW, "NEW" },
				       { WBNF_CT_STATE_ESTABLISHED, "ESTABLISHED" },
				       { WBNF_CT_STATE_RELATED, "RELATED" },
				       { WBNF_CT_STATE_INVALID, "INVALID" },
				       { WBNF_CT_STATE_UNTRACKED, "UNTRACKED" }),
		      __entry->ct_id));

#endif /* _WBNF_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE wbnf_trace
#include <trace/define_trace.h>
