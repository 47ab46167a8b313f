/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wirebox_nf: netfilter hooks on all five points, a rule set, and a
 * trace of each selected packet's walk through the hooks.
 *
 * The per-packet path, in every netns and for IPv4 and IPv6 alike:
 *
 *	wbnf_hook()
 *	  wbnf_parse()		headers into struct wbnf_pkt, once
 *	  (conntrack, next)	will look up / create the entry here
 *	  counters		per hook and family
 *	  wbnf_rules_eval()	first terminal match, else the policy
 *	  wbnf_trace()		dmesg line, tracepoint, multicast event
 *	  verdict		accept / drop / reject
 *
 * Locking: the rule set is read under RCU (netfilter hooks run inside
 * rcu_read_lock()); writers hold wbnf_net.lock, build a whole new
 * struct wbnf_ruleset and swap the pointer, so a packet sees the old set
 * or the new one. Rules are shared between consecutive sets; a removed
 * rule is freed after a grace period. Counters are per CPU.
 */
#ifndef _WBNF_H
#define _WBNF_H

#include <linux/in6.h>
#include <linux/mutex.h>
#include <linux/netfilter.h>
#include <linux/netdevice.h>
#include <linux/ratelimit.h>
#include <linux/skbuff.h>
#include <linux/u64_stats_sync.h>
#include <linux/wirebox.h>
#include <net/genetlink.h>
#include <net/netns/generic.h>

#include "ct.h"

#define WBNF_FAMILIES	2	/* index 0 IPv4, 1 IPv6 */

/* which parts of struct wbnf_match are set */
enum {
	WBNF_M_IIF	= BIT(0),
	WBNF_M_OIF	= BIT(1),
	WBNF_M_FAMILY	= BIT(2),
	WBNF_M_SRC	= BIT(3),
	WBNF_M_DST	= BIT(4),
	WBNF_M_PROTO	= BIT(5),
	WBNF_M_SPORT	= BIT(6),
	WBNF_M_DPORT	= BIT(7),
	WBNF_M_ICMP_TYPE = BIT(8),
	WBNF_M_ICMP_CODE = BIT(9),
	WBNF_M_CT_STATE	= BIT(10),
};

struct wbnf_match {
	u32 flags;
	u8 family;		/* AF_INET, AF_INET6 (WBNF_M_FAMILY) */
	u8 proto;
	u8 icmp_type, icmp_code;
	u8 ct_state;		/* mask of WBNF_CT_STATE_* */
	u8 src_len, dst_len;
	u8 iif_len, oif_len;	/* bytes to compare: prefix match with '+' */
	char iif[IFNAMSIZ], oif[IFNAMSIZ];
	union nf_inet_addr src, src_mask, dst, dst_mask;
	u16 sport[2], dport[2];	/* inclusive ranges, host order */
};

struct wbnf_rule_stats {
	u64_stats_t packets;
	u64_stats_t bytes;
	struct u64_stats_sync syncp;
};

struct wbnf_rule {
	struct rcu_head rcu;
	u32 id;
	u8 hook;
	u8 verdict;		/* enum wbnf_verdict */
	struct wbnf_match m;
	struct wbnf_rule_stats __percpu *stats;
};

/*
 * A port interval of a ranged run's group: ports from @lo up to the next
 * segment's lo (or 65535) first match rules[@rule - 1]; 0: none of the
 * group's rules.
 */
struct wbnf_seg {
	u16 lo;
	u32 rule;
};

/*
 * The rules of a ranged run with one set of key values: rules[rep] is the
 * first of them, seg[first, first + nseg) their intervals, by lo.
 */
struct wbnf_rgrp {
	u32 rep;
	u32 first, nseg;
};

/*
 * A run of a hook's rules, rules[start, end). Looked up (mask != 0): the
 * rules all match on exactly the fields in @flags, each field with one
 * value (a whole address, one port, ...), and all end evaluation; a
 * packet can only match those whose values are its own, and a hash of
 * its values finds the first of them in slot[] (positions + 1, 0 empty,
 * open addressing). Ranged (@rfield, WBNF_M_SPORT or WBNF_M_DPORT): that
 * one field is a port range in some of them; the hash of the other
 * fields' values finds a group (slot[] holds group + 1), and a binary
 * search of the group's port intervals the first rule whose range holds
 * the packet's port. Else (mask == 0) looked at one rule after the other.
 */
struct wbnf_run {
	u32 start, end;
	u32 flags;		/* WBNF_M_* */
	u32 rfield;		/* 0, WBNF_M_SPORT or WBNF_M_DPORT */
	u32 mask;		/* slots - 1 */
	u32 *slot;
	struct wbnf_rgrp *grp;	/* ranged: groups, then seg[]; one kvmalloc */
	struct wbnf_seg *seg;
};

/* The runs of one hook's rules; shared by the rule sets that hold them. */
struct wbnf_index {
	refcount_t ref;
	u32 seed;		/* of the hash */
	u32 indexed;		/* rules in looked-up runs */
	u32 nrun;
	struct wbnf_run run[];	/* then the slots of every run */
};

/* One generation of the whole netns's rules; never changed once live. */
struct wbnf_ruleset {
	struct rcu_head rcu;
	u32 gen;			/* generation, from 1; for dumps */
	u8 policy[WBNF_HOOKS];		/* ACCEPT or DROP */
	u32 n[WBNF_HOOKS];
	bool notrack[WBNF_HOOKS];		/* has NOTRACK rules */
	bool ct[WBNF_HOOKS];		/* has rules that need the ct state */
	struct wbnf_index *index[WBNF_HOOKS];	/* NULL: one rule after the other */
	struct wbnf_rule **rules[WBNF_HOOKS];	/* into tail[] */
	struct wbnf_rule *tail[];
};

struct wbnf_trace_cfg {
	struct rcu_head rcu;
	struct wbnf_match m;
	u32 rate;
	struct ratelimit_state rs;	/* selections per second */
};

/* A packet recently selected for tracing, see trace.c. */
struct wbnf_sel {
	u32 id;
	unsigned long expires;	/* jiffies; 0: free slot */
};

#define WBNF_SEL_SLOTS	64

struct wbnf_pcpu_stats {
	u64_stats_t packets[WBNF_FAMILIES][WBNF_HOOKS];
	u64_stats_t bytes[WBNF_FAMILIES][WBNF_HOOKS];
	u64_stats_t dropped[WBNF_FAMILIES][WBNF_HOOKS];
	u64_stats_t policy[WBNF_FAMILIES][WBNF_HOOKS];
	struct u64_stats_sync syncp;
};

struct wbnf_net {
	struct net *net;
	/* serializes writers of rs, trace and next_rule_id */
	struct mutex lock;
	struct wbnf_ruleset __rcu *rs;
	u32 next_rule_id;
	struct wbnf_pcpu_stats __percpu *stats;

	/* trace: NULL when off */
	struct wbnf_trace_cfg __rcu *trace;
	u32 trace_seed;
	spinlock_t sel_lock;			/* writers of sel[] */
	unsigned int sel_next;
	struct wbnf_sel sel[WBNF_SEL_SLOTS];

	struct wbct_net ct;
};

/* A packet's headers, parsed once per hook. */
struct wbnf_pkt {
	u8 hook;
	u8 family;		/* AF_INET, AF_INET6 */
	u8 proto;		/* upper-layer protocol; 0 when unknown */
	u8 ttl;
	bool l4;		/* ports or ICMP header below are valid */
	bool echo;		/* icmp_id/icmp_seq valid */
	u8 icmp_type, icmp_code;
	u8 tcp_flags;
	u16 sport, dport;	/* host order */
	u16 icmp_id, icmp_seq;
	u32 len;		/* IP total length */
	u32 ident;		/* IPv4 id or IPv6 flow label + payload length */
	u32 l4_word;		/* TCP seq, UDP length and checksum, ... */
	unsigned int thoff;	/* transport header offset, with l4 */
	struct wbct_info ct;
	union nf_inet_addr src, dst;
	const struct net_device *in, *out;
};

/* multicast groups, in wbnf_mcgrps[] order */
#define WBNF_MCGRP_TRACE_IDX	0
#define WBNF_MCGRP_CT_IDX	1

extern unsigned int wbnf_net_id;
extern struct genl_family wbnf_genl_family;

static inline struct wbnf_net *wbnf_pernet(const struct net *net)
{
	return net_generic(net, wbnf_net_id);
}

static inline int wbnf_fam_idx(u8 family)
{
	return family == AF_INET6;
}

/* hook.c */
int wbnf_hooks_register(struct net *net);
void wbnf_hooks_unregister(struct net *net);
const char *wbnf_hook_name(unsigned int hook);
const char *wbnf_verdict_name(unsigned int verdict);

/* rules.c */
int wbnf_rules_init(struct wbnf_net *wn);
void wbnf_rules_exit(struct wbnf_net *wn);
bool wbnf_match(const struct wbnf_match *m, const struct wbnf_pkt *pkt);
bool wbnf_rules_notrack(const struct wbnf_ruleset *rs,
			const struct wbnf_pkt *pkt, unsigned int len);
const struct wbnf_rule *wbnf_rules_eval(struct wbnf_net *wn,
					const struct wbnf_ruleset *rs,
					const struct wbnf_pkt *pkt,
					unsigned int len, u8 *verdict);
struct wbnf_rule *wbnf_rule_alloc(struct wbnf_net *wn);
void wbnf_rule_free(struct wbnf_rule *r);
void wbnf_rule_read_stats(const struct wbnf_rule *r, u64 *packets,
			  u64 *bytes);
int wbnf_rule_insert(struct wbnf_net *wn, struct wbnf_rule *r, u32 index,
		     struct netlink_ext_ack *extack);
int wbnf_rule_delete(struct wbnf_net *wn, unsigned int hook, u32 id);
int wbnf_rules_flush(struct wbnf_net *wn, int hook);
int wbnf_policy_set(struct wbnf_net *wn, unsigned int hook, u8 policy);
int wbnf_ruleset_replace(struct wbnf_net *wn, struct wbnf_rule **rules,
			 unsigned int n, const u8 *policy);

/* trace.c */
int wbnf_trace_init(struct wbnf_net *wn);
void wbnf_trace_exit(struct wbnf_net *wn);
int wbnf_trace_set(struct wbnf_net *wn, const struct wbnf_match *m,
		   u32 rate);
void wbnf_trace_off(struct wbnf_net *wn);
void wbnf_trace(struct wbnf_net *wn, const struct wbnf_pkt *pkt, u8 verdict,
		const struct wbnf_rule *rule);
void wbnf_log(struct wbnf_net *wn, const struct wbnf_pkt *pkt,
	      const struct wbnf_rule *rule);

/* genl.c */
int wbnf_genl_match_parse(struct nlattr *nest, struct wbnf_match *m,
			  struct netlink_ext_ack *extack);
void wbnf_genl_trace_event(struct net *net, const struct wbnf_pkt *pkt,
			   u32 id, u8 verdict, const struct wbnf_rule *rule);
void wbnf_genl_shutdown(void);
bool wbnf_genl_listening(struct net *net, unsigned int group);
const char *wbnf_ct_state_name(u8 state);

/* ct_nl.c */
extern const struct nla_policy wbct_tuple_policy[WBNF_TUPLE_MAX + 1];
extern const struct nla_policy wbct_filter_policy[WBNF_CT_MAX + 1];
extern const struct nla_policy wbct_config_policy[WBNF_CTC_MAX + 1];
void wbnf_ct_event(const struct wbct *ct, u32 event);
int wbct_get_doit(struct sk_buff *skb, struct genl_info *info);
int wbct_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int wbct_del_doit(struct sk_buff *skb, struct genl_info *info);
int wbct_flush_doit(struct sk_buff *skb, struct genl_info *info);
int wbct_stats_doit(struct sk_buff *skb, struct genl_info *info);
int wbct_config_get_doit(struct sk_buff *skb, struct genl_info *info);
int wbct_config_set_doit(struct sk_buff *skb, struct genl_info *info);

#endif /* _WBNF_H */
