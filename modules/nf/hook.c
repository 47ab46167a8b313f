// SPDX-License-Identifier: GPL-2.0
/*
 * wirebox_nf: the hooks. One function serves all five points of IPv4 and
 * IPv6; struct nf_hook_state says which.
 *
 * Priority: NF_IP_PRI_FILTER - 10 (and the same for IPv6), i.e. after
 * conntrack (-200), mangle (-150) and destination NAT (-100), just before
 * the iptables/nftables filter chains (0) and source NAT (100). So wirebox
 * sees the addresses a filter rule would see, decides before iptables'
 * filter table does, and a trace line is printed even for a packet that
 * iptables drops later.
 *
 * conntrack confirms new entries from a second hook on LOCAL_IN and
 * POST_ROUTING at NF_IP_PRI_LAST, after every filter: only a packet that
 * made it through all of them leaves an entry (as nf_conntrack's confirm
 * at NF_IP_PRI_CONNTRACK_CONFIRM). Like nf_conntrack, wirebox needs whole
 * datagrams, so it enables nf_defrag_ipv4/ipv6 in every netns (fragments
 * are gathered at NF_IP_PRI_CONNTRACK_DEFRAG, before any of this).
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/netfilter/ipv4/nf_defrag_ipv4.h>
#include <net/netfilter/ipv4/nf_reject.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>
#include <net/netfilter/ipv6/nf_reject.h>

#include "wbnf.h"

#define WBNF_PRIORITY	(NF_IP_PRI_FILTER - 10)

static const char * const wbnf_hook_names[WBNF_HOOKS] = {
	[NF_INET_PRE_ROUTING]	= "PREROUTING",
	[NF_INET_LOCAL_IN]	= "INPUT",
	[NF_INET_FORWARD]	= "FORWARD",
	[NF_INET_LOCAL_OUT]	= "OUTPUT",
	[NF_INET_POST_ROUTING]	= "POSTROUTING",
};

static const char * const wbnf_verdict_names[] = {
	[WBNF_VERDICT_ACCEPT]	= "ACCEPT",
	[WBNF_VERDICT_DROP]	= "DROP",
	[WBNF_VERDICT_REJECT]	= "REJECT",
	[WBNF_VERDICT_LOG]	= "LOG",
	[WBNF_VERDICT_NOTRACK]	= "NOTRACK",
};

const char *wbnf_hook_name(unsigned int hook)
{
	return hook < WBNF_HOOKS ? wbnf_hook_names[hook] : "?";
}

const char *wbnf_ct_state_name(u8 state)
{
	switch (state) {
	case WBNF_CT_STATE_NEW:		return "NEW";
	case WBNF_CT_STATE_ESTABLISHED:	return "ESTABLISHED";
	case WBNF_CT_STATE_RELATED:	return "RELATED";
	case WBNF_CT_STATE_INVALID:	return "INVALID";
	case WBNF_CT_STATE_UNTRACKED:	return "UNTRACKED";
	}
	return "?";
}

const char *wbnf_verdict_name(unsigned int verdict)
{
	return verdict <= WBNF_VERDICT_MAX ? wbnf_verdict_names[verdict] : "?";
}

/* Ports or ICMP fields at @thoff; @pkt->proto set. Truncated: no L4. */
static void wbnf_parse_l4(struct wbnf_pkt *pkt, const struct sk_buff *skb,
			  unsigned int thoff)
{
	pkt->thoff = thoff;
	switch (pkt->proto) {
	case IPPROTO_TCP: {
		struct tcphdr _th;
		const struct tcphdr *th;

		th = skb_header_pointer(skb, thoff, sizeof(_th), &_th);
		if (!th)
			return;
		pkt->sport = ntohs(th->source);
		pkt->dport = ntohs(th->dest);
		pkt->tcp_flags = tcp_flag_byte(th);
		pkt->l4_word = ntohl(th->seq);
		pkt->l4 = true;
		break;
	}
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
	case IPPROTO_SCTP: {
		/* the three share the port layout; then length/csum or tag */
		struct udphdr _uh;
		const struct udphdr *uh;

		uh = skb_header_pointer(skb, thoff, sizeof(_uh), &_uh);
		if (!uh)
			return;
		pkt->sport = ntohs(uh->source);
		pkt->dport = ntohs(uh->dest);
		pkt->l4_word = (u32)ntohs(uh->len) << 16 |
			       ntohs((__force __be16)uh->check);
		pkt->l4 = true;
		break;
	}
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6: {
		/* icmphdr and icmp6hdr agree on type, code, id, sequence */
		struct icmphdr _ih;
		const struct icmphdr *ih;

		ih = skb_header_pointer(skb, thoff, sizeof(_ih), &_ih);
		if (!ih)
			return;
		pkt->icmp_type = ih->type;
		pkt->icmp_code = ih->code;
		pkt->l4 = true;
		if (pkt->proto == IPPROTO_ICMP ?
		    ih->type == ICMP_ECHO || ih->type == ICMP_ECHOREPLY :
		    ih->type == ICMPV6_ECHO_REQUEST ||
		    ih->type == ICMPV6_ECHO_REPLY) {
			pkt->icmp_id = ntohs(ih->un.echo.id);
			pkt->icmp_seq = ntohs(ih->un.echo.sequence);
			pkt->echo = true;
		}
		pkt->l4_word = (u32)ih->type << 24 | (u32)ih->code << 16 |
			       (pkt->icmp_id ^ pkt->icmp_seq);
		break;
	}
	}
}

/* Fill @pkt from @skb: IP header (the stack validated it), then L4. */
static void wbnf_parse(struct wbnf_pkt *pkt, const struct sk_buff *skb,
		       const struct nf_hook_state *state)
{
	memset(pkt, 0, sizeof(*pkt));
	pkt->hook = state->hook;
	pkt->family = state->pf == NFPROTO_IPV4 ? AF_INET : AF_INET6;
	pkt->in = state->in;
	pkt->out = state->out;

	if (pkt->family == AF_INET) {
		const struct iphdr *iph = ip_hdr(skb);

		pkt->src.ip = iph->saddr;
		pkt->dst.ip = iph->daddr;
		pkt->len = ntohs(iph->tot_len);
		pkt->ttl = iph->ttl;
		pkt->proto = iph->protocol;
		pkt->ident = ntohs(iph->id);
		/* later fragments carry no L4 header, as in iptables */
		if (!(ntohs(iph->frag_off) & IP_OFFSET))
			wbnf_parse_l4(pkt, skb, skb_network_offset(skb) +
					   iph->ihl * 4);
	} else {
		const struct ipv6hdr *ip6h = ipv6_hdr(skb);
		unsigned int thoff = 0;
		unsigned short fragoff = 0;
		int proto;

		pkt->src.in6 = ip6h->saddr;
		pkt->dst.in6 = ip6h->daddr;
		pkt->len = ntohs(ip6h->payload_len) + sizeof(*ip6h);
		pkt->ttl = ip6h->hop_limit;
		/* the flow label, not the traffic class: mangle may change it */
		pkt->ident = ntohl(ip6_flowlabel(ip6h)) ^ pkt->len << 20;
		proto = ipv6_find_hdr(skb, &thoff, -1, &fragoff, NULL);
		if (proto < 0)	/* a broken extension header chain */
			return;
		pkt->proto = proto;
		if (!fragoff)
			wbnf_parse_l4(pkt, skb, thoff);
	}
}

static void wbnf_count(struct wbnf_net *wn, const struct wbnf_pkt *pkt,
		       unsigned int len, bool policy, bool dropped)
{
	struct wbnf_pcpu_stats *s = this_cpu_ptr(wn->stats);
	int f = wbnf_fam_idx(pkt->family);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->packets[f][pkt->hook]);
	u64_stats_add(&s->bytes[f][pkt->hook], len);
	if (policy)
		u64_stats_inc(&s->policy[f][pkt->hook]);
	if (dropped)
		u64_stats_inc(&s->dropped[f][pkt->hook]);
	u64_stats_update_end(&s->syncp);
}

/*
 * REJECT as ipt_REJECT/ip6t_REJECT do by default: a TCP RST for TCP, an
 * ICMP port unreachable otherwise (never in answer to an ICMP error or a
 * RST: nf_send_* check that). The caller drops the packet.
 */
static void wbnf_reject(struct sk_buff *skb, const struct wbnf_pkt *pkt,
			const struct nf_hook_state *state)
{
	if (pkt->family == AF_INET) {
		if (pkt->proto == IPPROTO_TCP)
			nf_send_reset(state->net, state->sk, skb, state->hook);
		else
			nf_send_unreach(skb, ICMP_PORT_UNREACH, state->hook);
	} else {
		if (pkt->proto == IPPROTO_TCP)
			nf_send_reset6(state->net, state->sk, skb, state->hook);
		else
			nf_send_unreach6(state->net, skb, ICMPV6_PORT_UNREACH,
					 state->hook);
	}
}

static unsigned int wbnf_hook(void *priv, struct sk_buff *skb,
			      const struct nf_hook_state *state)
{
	struct wbnf_net *wn = wbnf_pernet(state->net);
	const struct wbnf_rule *rule;
	const struct wbnf_ruleset *rs;
	struct wbnf_pkt pkt;
	bool tracked = true;
	u8 verdict;

	wbnf_parse(&pkt, skb, state);
	/* per-CPU counters: LOCAL_OUT may run in process context */
	local_bh_disable();
	rs = rcu_dereference(wn->rs);
	if (state->hook == NF_INET_PRE_ROUTING ||
	    state->hook == NF_INET_LOCAL_OUT)
		/* NOTRACK rules first, as the raw table runs before conntrack */
		tracked = wbct_in(wn, skb, &pkt,
				  rs->notrack[state->hook] &&
				  wbnf_rules_notrack(rs, &pkt, skb->len));
	else if (rs->ct[state->hook] || rcu_access_pointer(wn->trace))
		/* the later hooks: only a ct state rule, LOG or the trace asks */
		wbct_lookup(wn, skb, &pkt);
	if (likely(tracked)) {
		rule = wbnf_rules_eval(wn, rs, &pkt, skb->len, &verdict);
	} else {
		/* the table is full: the packet goes, as in nf_conntrack */
		rule = NULL;
		verdict = WBNF_VERDICT_DROP;
	}
	wbnf_count(wn, &pkt, skb->len, !rule && tracked,
		   verdict != WBNF_VERDICT_ACCEPT);
	local_bh_enable();
	if (unlikely(rcu_access_pointer(wn->trace)))
		wbnf_trace(wn, &pkt, verdict, rule);

	switch (verdict) {
	case WBNF_VERDICT_ACCEPT:
		return NF_ACCEPT;
	case WBNF_VERDICT_REJECT:
		wbnf_reject(skb, &pkt, state);
		fallthrough;
	default:
		/* a dropped packet leaves no conntrack entry */
		wbct_forget(wn, skb);
		return NF_DROP;
	}
}

static unsigned int wbnf_confirm_hook(void *priv, struct sk_buff *skb,
				      const struct nf_hook_state *state)
{
	wbct_confirm(wbnf_pernet(state->net), skb, state);
	return NF_ACCEPT;
}

static const struct nf_hook_ops wbnf_ops[] = {
#define WBNF_OPS(family, h) {						\
		.hook		= wbnf_hook,				\
		.pf		= family,				\
		.hooknum	= h,					\
		.priority	= WBNF_PRIORITY,			\
	}
	WBNF_OPS(NFPROTO_IPV4, NF_INET_PRE_ROUTING),
	WBNF_OPS(NFPROTO_IPV4, NF_INET_LOCAL_IN),
	WBNF_OPS(NFPROTO_IPV4, NF_INET_FORWARD),
	WBNF_OPS(NFPROTO_IPV4, NF_INET_LOCAL_OUT),
	WBNF_OPS(NFPROTO_IPV4, NF_INET_POST_ROUTING),
	WBNF_OPS(NFPROTO_IPV6, NF_INET_PRE_ROUTING),
	WBNF_OPS(NFPROTO_IPV6, NF_INET_LOCAL_IN),
	WBNF_OPS(NFPROTO_IPV6, NF_INET_FORWARD),
	WBNF_OPS(NFPROTO_IPV6, NF_INET_LOCAL_OUT),
	WBNF_OPS(NFPROTO_IPV6, NF_INET_POST_ROUTING),
#undef WBNF_OPS
#define WBNF_CONFIRM_OPS(family, h) {					\
		.hook		= wbnf_confirm_hook,			\
		.pf		= family,				\
		.hooknum	= h,					\
		.priority	= NF_IP_PRI_LAST,			\
	}
	WBNF_CONFIRM_OPS(NFPROTO_IPV4, NF_INET_LOCAL_IN),
	WBNF_CONFIRM_OPS(NFPROTO_IPV4, NF_INET_POST_ROUTING),
	WBNF_CONFIRM_OPS(NFPROTO_IPV6, NF_INET_LOCAL_IN),
	WBNF_CONFIRM_OPS(NFPROTO_IPV6, NF_INET_POST_ROUTING),
#undef WBNF_CONFIRM_OPS
};

int wbnf_hooks_register(struct net *net)
{
	int err;

	err = nf_defrag_ipv4_enable(net);
	if (err)
		return err;
	err = nf_defrag_ipv6_enable(net);
	if (err)
		goto err_v4;
	err = nf_register_net_hooks(net, wbnf_ops, ARRAY_SIZE(wbnf_ops));
	if (err)
		goto err_v6;
	return 0;

err_v6:
	nf_defrag_ipv6_disable(net);
err_v4:
	nf_defrag_ipv4_disable(net);
	return err;
}

void wbnf_hooks_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, wbnf_ops, ARRAY_SIZE(wbnf_ops));
	nf_defrag_ipv6_disable(net);
	nf_defrag_ipv4_disable(net);
}
