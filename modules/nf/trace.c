// SPDX-License-Identifier: GPL-2.0
/*
 * wirebox_nf: the trace of a packet's walk through the hooks.
 *
 * A packet is selected at the first hook where it matches the trace
 * match, as long as the rate allows (N selections per second). It then
 * stays selected at every later hook: each hook computes the packet's id,
 * a hash of what no hook changes (addresses, protocol, IP id or flow label,
 * length, ports, TCP sequence, ICMP id/sequence), and finds it among the
 * recently selected ids. So the lines of one packet share an id, and one
 * selection shows the whole walk, e.g. PREROUTING, FORWARD, POSTROUTING.
 *
 * Each traced step goes to the kernel log (one line, iptables LOG style),
 * to the wirebox:wbnf_hook tracepoint and to the "trace" multicast group.
 * The kernel log is the host's: as for the LOG target, a netns other than
 * the initial one writes there only with net.netfilter.nf_log_all_netns=1,
 * so that a container's root cannot flood it; the tracepoint and the
 * multicast group are there in every netns.
 */
#include <linux/jhash.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <net/net_namespace.h>
#include <net/netfilter/nf_log.h>

#include "wbnf.h"

#define CREATE_TRACE_POINTS
#include "wbnf_trace.h"

/* how long a selected packet stays selected */
#define WBNF_SEL_LIFETIME	HZ

static u32 wbnf_pkt_id(const struct wbnf_net *wn, const struct wbnf_pkt *pkt)
{
	u32 key[12];

	memcpy(key, &pkt->src, 16);
	memcpy(key + 4, &pkt->dst, 16);
	key[8] = (u32)pkt->family << 8 | pkt->proto;
	key[9] = pkt->ident ^ pkt->len << 16;
	key[10] = pkt->l4_word;
	key[11] = (u32)pkt->sport << 16 | pkt->dport;
	return jhash2(key, ARRAY_SIZE(key), wn->trace_seed);
}

static bool wbnf_sel_find(const struct wbnf_net *wn, u32 id)
{
	unsigned long now = jiffies;
	unsigned int i;

	for (i = 0; i < WBNF_SEL_SLOTS; i++)
		if (READ_ONCE(wn->sel[i].id) == id &&
		    time_before(now, READ_ONCE(wn->sel[i].expires)))
			return true;
	return false;
}

static void wbnf_sel_add(struct wbnf_net *wn, u32 id)
{
	struct wbnf_sel *s;

	spin_lock_bh(&wn->sel_lock);
	s = &wn->sel[wn->sel_next++ % WBNF_SEL_SLOTS];
	WRITE_ONCE(s->expires, jiffies + WBNF_SEL_LIFETIME);
	WRITE_ONCE(s->id, id);
	spin_unlock_bh(&wn->sel_lock);
}

static const char *wbnf_proto_name(u8 proto, char *buf, size_t size)
{
	switch (proto) {
	case IPPROTO_TCP:	return "TCP";
	case IPPROTO_UDP:	return "UDP";
	case IPPROTO_UDPLITE:	return "UDPLITE";
	case IPPROTO_SCTP:	return "SCTP";
	case IPPROTO_ICMP:	return "ICMP";
	case IPPROTO_ICMPV6:	return "ICMPv6";
	}
	snprintf(buf, size, "%u", proto);
	return buf;
}

static bool wbnf_may_log(const struct net *net)
{
	return net_eq(net, &init_net) || READ_ONCE(sysctl_nf_log_all_netns);
}

/* The LOG line: "wirebox: HOOK IN= OUT= SRC= DST= ... VERDICT= RULE=". */
static void wbnf_print(const struct wbnf_net *wn, const struct wbnf_pkt *pkt,
		       u32 id, u8 verdict, const struct wbnf_rule *rule)
{
	/* in iptables LOG's order (nf_log_dump_tcp_header) */
	static const char * const flag_names[8] = {
		"CWR", "ECE", "URG", "ACK", "PSH", "RST", "SYN", "FIN",
	};
	char buf[384], pname[4], rname[12] = "-";
	size_t n = 0;
	int i;

	n += scnprintf(buf + n, sizeof(buf) - n, "%s IN=%s OUT=%s ",
		       wbnf_hook_name(pkt->hook),
		       pkt->in ? pkt->in->name : "",
		       pkt->out ? pkt->out->name : "");
	if (pkt->family == AF_INET)
		n += scnprintf(buf + n, sizeof(buf) - n,
			       "SRC=%pI4 DST=%pI4 LEN=%u TTL=%u ",
			       &pkt->src.ip, &pkt->dst.ip, pkt->len, pkt->ttl);
	else
		n += scnprintf(buf + n, sizeof(buf) - n,
			       "SRC=%pI6c DST=%pI6c LEN=%u HOPLIMIT=%u ",
			       &pkt->src.in6, &pkt->dst.in6, pkt->len,
			       pkt->ttl);
	n += scnprintf(buf + n, sizeof(buf) - n, "PROTO=%s",
		       wbnf_proto_name(pkt->proto, pname, sizeof(pname)));
	if (pkt->l4) {
		switch (pkt->proto) {
		case IPPROTO_ICMP:
		case IPPROTO_ICMPV6:
			n += scnprintf(buf + n, sizeof(buf) - n,
				       " TYPE=%u CODE=%u", pkt->icmp_type,
				       pkt->icmp_code);
			if (pkt->echo)
				n += scnprintf(buf + n, sizeof(buf) - n,
					       " ID=%u SEQ=%u", pkt->icmp_id,
					       pkt->icmp_seq);
			break;
		default:
			n += scnprintf(buf + n, sizeof(buf) - n,
				       " SPT=%u DPT=%u", pkt->sport,
				       pkt->dport);
			if (pkt->proto != IPPROTO_TCP)
				break;
			for (i = 0; i < 8; i++)
				if (pkt->tcp_flags & BIT(7 - i))
					n += scnprintf(buf + n, sizeof(buf) - n,
						       " %s", flag_names[i]);
		}
	}
	if (pkt->ct.state)
		n += scnprintf(buf + n, sizeof(buf) - n, " CT=%s",
			       wbnf_ct_state_name(pkt->ct.state));
	if (pkt->ct.id)
		n += scnprintf(buf + n, sizeof(buf) - n, " CTID=%u CTDIR=%s",
			       pkt->ct.id, pkt->ct.dir ? "REPLY" : "ORIGINAL");
	if (rule)
		snprintf(rname, sizeof(rname), "%u", rule->id);
	pr_info("wirebox: %s VERDICT=%s RULE=%s PKT=%08x NS=%u\n", buf,
		wbnf_verdict_name(verdict), rname, id, wn->net->ns.inum);
}

void wbnf_trace(struct wbnf_net *wn, const struct wbnf_pkt *pkt, u8 verdict,
		const struct wbnf_rule *rule)
{
	struct wbnf_trace_cfg *cfg = rcu_dereference(wn->trace);
	u32 id;

	if (!cfg)
		return;
	id = wbnf_pkt_id(wn, pkt);
	if (!wbnf_sel_find(wn, id)) {
		if (!wbnf_match(&cfg->m, pkt) || !__ratelimit(&cfg->rs))
			return;
		wbnf_sel_add(wn, id);
	}
	if (wbnf_may_log(wn->net))
		wbnf_print(wn, pkt, id, verdict, rule);
	trace_wbnf_hook(wn->net, pkt, id, verdict, rule ? rule->id : 0);
	wbnf_genl_trace_event(wn->net, pkt, id, verdict, rule);
}

/* A LOG rule matched: one line, whether or not the packet is traced. */
void wbnf_log(struct wbnf_net *wn, const struct wbnf_pkt *pkt,
	      const struct wbnf_rule *rule)
{
	if (wbnf_may_log(wn->net) && net_ratelimit())
		wbnf_print(wn, pkt, wbnf_pkt_id(wn, pkt), WBNF_VERDICT_LOG,
			   rule);
}

int wbnf_trace_set(struct wbnf_net *wn, const struct wbnf_match *m, u32 rate)
{
	struct wbnf_trace_cfg *cfg, *old;
	unsigned int i;

	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL_ACCOUNT);
	if (!cfg)
		return -ENOMEM;
	cfg->m = *m;
	cfg->rate = rate;
	ratelimit_state_init(&cfg->rs, HZ, rate);
	/* no "callbacks suppressed" lines: going over the rate is the point */
	ratelimit_set_flags(&cfg->rs, RATELIMIT_MSG_ON_RELEASE);

	mutex_lock(&wn->lock);
	/* forget packets selected under the old match */
	spin_lock_bh(&wn->sel_lock);
	for (i = 0; i < WBNF_SEL_SLOTS; i++)
		WRITE_ONCE(wn->sel[i].expires, jiffies);
	spin_unlock_bh(&wn->sel_lock);
	old = rcu_dereference_protected(wn->trace, lockdep_is_held(&wn->lock));
	rcu_assign_pointer(wn->trace, cfg);
	mutex_unlock(&wn->lock);
	kfree_rcu(old, rcu);
	return 0;
}

void wbnf_trace_off(struct wbnf_net *wn)
{
	struct wbnf_trace_cfg *old;

	mutex_lock(&wn->lock);
	old = rcu_dereference_protected(wn->trace, lockdep_is_held(&wn->lock));
	RCU_INIT_POINTER(wn->trace, NULL);
	mutex_unlock(&wn->lock);
	kfree_rcu(old, rcu);
}

int wbnf_trace_init(struct wbnf_net *wn)
{
	unsigned int i;

	spin_lock_init(&wn->sel_lock);
	wn->trace_seed = get_random_u32();
	for (i = 0; i < WBNF_SEL_SLOTS; i++)
		wn->sel[i].expires = jiffies;
	return 0;
}

void wbnf_trace_exit(struct wbnf_net *wn)
{
	kfree(rcu_dereference_protected(wn->trace, true));
}
