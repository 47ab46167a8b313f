// SPDX-License-Identifier: GPL-2.0
/*
 * wirebox_nf: the "wbnf" generic netlink family (see the UAPI header).
 *
 * Every command needs CAP_NET_ADMIN in the user namespace owning the
 * caller's netns (GENL_UNS_ADMIN_PERM), and so does joining the "trace"
 * group: like nfnetlink, a ruleset and a packet trace are that netns's
 * private business, and a container root manages its own. Handlers run
 * under genl_mutex (no parallel_ops); the rule set has its own per-netns
 * lock, which the packet path never takes.
 */
#include <net/genetlink.h>
#include <net/ipv6.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "wbnf.h"

static const struct nla_policy wbnf_rule_policy[WBNF_R_MAX + 1] = {
	[WBNF_R_PAD]		= { .type = NLA_REJECT },
	[WBNF_R_ID]		= { .type = NLA_REJECT,
				    .reject_message = "Rule ids are given by the kernel" },
	[WBNF_R_HOOK]		= NLA_POLICY_MAX(NLA_U32, WBNF_HOOKS - 1),
	[WBNF_R_VERDICT]	= NLA_POLICY_MAX(NLA_U32, WBNF_VERDICT_MAX),
	[WBNF_R_IIF]		= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[WBNF_R_OIF]		= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[WBNF_R_FAMILY]		= { .type = NLA_U8 },
	[WBNF_R_SRC]		= { .type = NLA_BINARY,
				    .len = sizeof(struct in6_addr) },
	[WBNF_R_SRC_LEN]	= NLA_POLICY_MAX(NLA_U8, 128),
	[WBNF_R_DST]		= { .type = NLA_BINARY,
				    .len = sizeof(struct in6_addr) },
	[WBNF_R_DST_LEN]	= NLA_POLICY_MAX(NLA_U8, 128),
	[WBNF_R_PROTO]		= { .type = NLA_U8 },
	[WBNF_R_SPORT_MIN]	= { .type = NLA_U16 },
	[WBNF_R_SPORT_MAX]	= { .type = NLA_U16 },
	[WBNF_R_DPORT_MIN]	= { .type = NLA_U16 },
	[WBNF_R_DPORT_MAX]	= { .type = NLA_U16 },
	[WBNF_R_ICMP_TYPE]	= { .type = NLA_U8 },
	[WBNF_R_ICMP_CODE]	= { .type = NLA_U8 },
	[WBNF_R_CT_STATE]	= NLA_POLICY_MASK(NLA_U32, WBNF_CT_STATE_ALL),
	[WBNF_R_PACKETS]	= { .type = NLA_REJECT,
				    .reject_message = "Counters are read-only" },
	[WBNF_R_BYTES]		= { .type = NLA_REJECT,
				    .reject_message = "Counters are read-only" },
};

/* RULESET_SET's policy nests reuse the top-level numbers */
static const struct nla_policy wbnf_hook_policy_policy[WBNF_A_MAX + 1] = {
	[WBNF_A_HOOK]		= NLA_POLICY_MAX(NLA_U32, WBNF_HOOKS - 1),
	[WBNF_A_POLICY]		= NLA_POLICY_MAX(NLA_U32, WBNF_VERDICT_DROP),
};

#define WBNF_READ_ONLY(a) \
	[a] = { .type = NLA_REJECT, .reject_message = "Read-only attribute" }

#define WBNF_COMMON_POLICY						\
	[WBNF_A_PAD]		= { .type = NLA_REJECT },		\
	[WBNF_A_HOOK]		= NLA_POLICY_MAX(NLA_U32, WBNF_HOOKS - 1), \
	[WBNF_A_RULE]		= NLA_POLICY_NESTED(wbnf_rule_policy),	\
	[WBNF_A_RULE_ID]	= NLA_POLICY_MIN(NLA_U32, 1),		\
	[WBNF_A_INDEX]		= { .type = NLA_U32 },			\
	WBNF_READ_ONLY(WBNF_A_FAMILY),					\
	WBNF_READ_ONLY(WBNF_A_PACKETS),					\
	WBNF_READ_ONLY(WBNF_A_BYTES),					\
	WBNF_READ_ONLY(WBNF_A_DROPPED),					\
	WBNF_READ_ONLY(WBNF_A_RULES),					\
	[WBNF_A_TRACE_ON]	= NLA_POLICY_MAX(NLA_U8, 1),		\
	[WBNF_A_TRACE_MATCH]	= NLA_POLICY_NESTED(wbnf_rule_policy),	\
	[WBNF_A_TRACE_RATE]	= NLA_POLICY_RANGE(NLA_U32, 1,		\
						   WBNF_TRACE_RATE_MAX), \
	WBNF_READ_ONLY(WBNF_A_TRACE),					\
	WBNF_READ_ONLY(WBNF_A_POLICY_PACKETS),				\
	WBNF_READ_ONLY(WBNF_A_CT),					\
	[WBNF_A_CT_TUPLE]	= NLA_POLICY_NESTED(wbct_tuple_policy),	\
	[WBNF_A_CT_ID]		= NLA_POLICY_MIN(NLA_U32, 1),		\
	[WBNF_A_CT_FILTER]	= NLA_POLICY_NESTED(wbct_filter_policy), \
	WBNF_READ_ONLY(WBNF_A_CT_EVENT),				\
	WBNF_READ_ONLY(WBNF_A_CT_STATS),				\
	[WBNF_A_CT_CONFIG]	= NLA_POLICY_NESTED(wbct_config_policy), \
	WBNF_READ_ONLY(WBNF_A_RULES_INDEXED)

static const struct nla_policy wbnf_genl_policy[WBNF_A_MAX + 1] = {
	WBNF_COMMON_POLICY,
	[WBNF_A_POLICY]		= NLA_POLICY_MAX(NLA_U32, WBNF_VERDICT_DROP),
};

static const struct nla_policy wbnf_ruleset_policy[WBNF_A_MAX + 1] = {
	WBNF_COMMON_POLICY,
	[WBNF_A_POLICY]		= NLA_POLICY_NESTED(wbnf_hook_policy_policy),
};

static bool wbnf_proto_has_ports(u8 proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP ||
	       proto == IPPROTO_UDPLITE || proto == IPPROTO_SCTP;
}

/* Family of @m, from @family (AF_UNSPEC if not yet known); else error. */
static int wbnf_set_family(struct wbnf_match *m, u8 family,
			   const struct nlattr *attr,
			   struct netlink_ext_ack *extack)
{
	if ((m->flags & WBNF_M_FAMILY) && m->family != family) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "Mixes IPv4 and IPv6 in one match");
		return -EINVAL;
	}
	m->flags |= WBNF_M_FAMILY;
	m->family = family;
	return 0;
}

static int wbnf_parse_prefix(struct wbnf_match *m, struct nlattr **tb,
			     int addr_type, int len_type,
			     union nf_inet_addr *addr,
			     union nf_inet_addr *mask, u8 *plen,
			     struct netlink_ext_ack *extack)
{
	struct nlattr *a = tb[addr_type];
	unsigned int alen, max, i;
	int err;

	if (!a) {
		if (tb[len_type]) {
			NL_SET_ERR_MSG_ATTR(extack, tb[len_type],
					    "Prefix length without an address");
			return -EINVAL;
		}
		return 0;
	}
	alen = nla_len(a);
	if (alen != 4 && alen != 16) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "Address must be 4 (IPv4) or 16 (IPv6) bytes");
		return -EINVAL;
	}
	err = wbnf_set_family(m, alen == 4 ? AF_INET : AF_INET6, a, extack);
	if (err)
		return err;
	max = alen * 8;
	*plen = tb[len_type] ? nla_get_u8(tb[len_type]) : max;
	if (*plen > max) {
		NL_SET_ERR_MSG_ATTR(extack, tb[len_type],
				    "Prefix length longer than the address");
		return -EINVAL;
	}
	memset(addr, 0, sizeof(*addr));
	memset(mask, 0, sizeof(*mask));
	nla_memcpy(addr, a, alen);
	for (i = 0; i < *plen / 32; i++)
		mask->ip6[i] = htonl(0xffffffff);
	if (*plen % 32)
		mask->ip6[i] = htonl(~0U << (32 - *plen % 32));
	for (i = 0; i < 4; i++) {
		if (addr->ip6[i] & ~mask->ip6[i]) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "Address has host bits set beyond the prefix length");
			return -EINVAL;
		}
	}
	return 0;
}

static int wbnf_parse_ifname(const struct nlattr *a, char *name, u8 *len,
			     struct netlink_ext_ack *extack)
{
	ssize_t n = nla_strscpy(name, a, IFNAMSIZ);

	if (n <= 0 || (n == 1 && name[0] == '+')) {
		NL_SET_ERR_MSG_ATTR(extack, a, "Empty interface name");
		return -EINVAL;
	}
	if (strlen(name) != n) {
		NL_SET_ERR_MSG_ATTR(extack, a, "Interface name with a NUL inside");
		return -EINVAL;
	}
	/* "eth+" compares the prefix, "eth0" the name and its NUL */
	*len = name[n - 1] == '+' ? n - 1 : n + 1;
	return 0;
}

static int wbnf_parse_range(struct nlattr **tb, int lo, int hi, u16 *range,
			    struct netlink_ext_ack *extack)
{
	if (!tb[lo]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[hi],
				    "Port range without its low end");
		return -EINVAL;
	}
	range[0] = nla_get_u16(tb[lo]);
	range[1] = tb[hi] ? nla_get_u16(tb[hi]) : range[0];
	if (range[0] > range[1]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[hi], "Port range is empty (min > max)");
		return -EINVAL;
	}
	return 0;
}

static int wbnf_match_from_tb(struct nlattr **tb, struct wbnf_match *m,
			      struct netlink_ext_ack *extack)
{
	int err = 0;

	memset(m, 0, sizeof(*m));
	if (tb[WBNF_R_FAMILY]) {
		u8 family = nla_get_u8(tb[WBNF_R_FAMILY]);

		if (family != AF_INET && family != AF_INET6) {
			NL_SET_ERR_MSG_ATTR(extack, tb[WBNF_R_FAMILY],
					    "Family must be AF_INET or AF_INET6");
			return -EINVAL;
		}
		m->flags |= WBNF_M_FAMILY;
		m->family = family;
	}
	if (tb[WBNF_R_IIF]) {
		err = wbnf_parse_ifname(tb[WBNF_R_IIF], m->iif, &m->iif_len,
					extack);
		if (err)
			return err;
		m->flags |= WBNF_M_IIF;
	}
	if (tb[WBNF_R_OIF]) {
		err = wbnf_parse_ifname(tb[WBNF_R_OIF], m->oif, &m->oif_len,
					extack);
		if (err)
			return err;
		m->flags |= WBNF_M_OIF;
	}
	err = wbnf_parse_prefix(m, tb, WBNF_R_SRC, WBNF_R_SRC_LEN, &m->src,
				&m->src_mask, &m->src_len, extack);
	if (err)
		return err;
	if (tb[WBNF_R_SRC])
		m->flags |= WBNF_M_SRC;
	err = wbnf_parse_prefix(m, tb, WBNF_R_DST, WBNF_R_DST_LEN, &m->dst,
				&m->dst_mask, &m->dst_len, extack);
	if (err)
		return err;
	if (tb[WBNF_R_DST])
		m->flags |= WBNF_M_DST;
	if (tb[WBNF_R_PROTO]) {
		m->proto = nla_get_u8(tb[WBNF_R_PROTO]);
		m->flags |= WBNF_M_PROTO;
		if (m->proto == IPPROTO_ICMP)
			err = wbnf_set_family(m, AF_INET, tb[WBNF_R_PROTO],
					      extack);
		else if (m->proto == IPPROTO_ICMPV6)
			err = wbnf_set_family(m, AF_INET6, tb[WBNF_R_PROTO],
					      extack);
		if (err)
			return err;
	}
	if (tb[WBNF_R_SPORT_MIN] || tb[WBNF_R_SPORT_MAX] ||
	    tb[WBNF_R_DPORT_MIN] || tb[WBNF_R_DPORT_MAX]) {
		if (!(m->flags & WBNF_M_PROTO) ||
		    !wbnf_proto_has_ports(m->proto)) {
			NL_SET_ERR_MSG_ATTR(extack,
					    tb[WBNF_R_SPORT_MIN] ?: tb[WBNF_R_SPORT_MAX] ?:
					    tb[WBNF_R_DPORT_MIN] ?: tb[WBNF_R_DPORT_MAX],
					    "Ports need protocol TCP, UDP, UDP-Lite or SCTP");
			return -EINVAL;
		}
	}
	if (tb[WBNF_R_SPORT_MIN] || tb[WBNF_R_SPORT_MAX]) {
		err = wbnf_parse_range(tb, WBNF_R_SPORT_MIN, WBNF_R_SPORT_MAX,
				       m->sport, extack);
		if (err)
			return err;
		m->flags |= WBNF_M_SPORT;
	}
	if (tb[WBNF_R_DPORT_MIN] || tb[WBNF_R_DPORT_MAX]) {
		err = wbnf_parse_range(tb, WBNF_R_DPORT_MIN, WBNF_R_DPORT_MAX,
				       m->dport, extack);
		if (err)
			return err;
		m->flags |= WBNF_M_DPORT;
	}
	if (tb[WBNF_R_ICMP_TYPE]) {
		if (!(m->flags & WBNF_M_PROTO) ||
		    (m->proto != IPPROTO_ICMP && m->proto != IPPROTO_ICMPV6)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[WBNF_R_ICMP_TYPE],
					    "ICMP type needs protocol ICMP or ICMPv6");
			return -EINVAL;
		}
		m->icmp_type = nla_get_u8(tb[WBNF_R_ICMP_TYPE]);
		m->flags |= WBNF_M_ICMP_TYPE;
	}
	if (tb[WBNF_R_ICMP_CODE]) {
		if (!tb[WBNF_R_ICMP_TYPE]) {
			NL_SET_ERR_MSG_ATTR(extack, tb[WBNF_R_ICMP_CODE],
					    "ICMP code needs an ICMP type");
			return -EINVAL;
		}
		m->icmp_code = nla_get_u8(tb[WBNF_R_ICMP_CODE]);
		m->flags |= WBNF_M_ICMP_CODE;
	}
	if (tb[WBNF_R_CT_STATE]) {
		m->ct_state = nla_get_u32(tb[WBNF_R_CT_STATE]);
		if (!m->ct_state) {
			NL_SET_ERR_MSG_ATTR(extack, tb[WBNF_R_CT_STATE],
					    "An empty ct state set matches nothing");
			return -EINVAL;
		}
		m->flags |= WBNF_M_CT_STATE;
	}
	return 0;
}

int wbnf_genl_match_parse(struct nlattr *nest, struct wbnf_match *m,
			  struct netlink_ext_ack *extack)
{
	struct nlattr *tb[WBNF_R_MAX + 1];
	int err;

	err = nla_parse_nested(tb, WBNF_R_MAX, nest, wbnf_rule_policy, extack);
	if (err)
		return err;
	if (tb[WBNF_R_VERDICT] || tb[WBNF_R_HOOK]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[WBNF_R_VERDICT] ?: tb[WBNF_R_HOOK],
				    "A trace match has no hook or verdict");
		return -EINVAL;
	}
	return wbnf_match_from_tb(tb, m, extack);
}

/*
 * A new rule from the WBNF_A_RULE nest @nest, for @hook (< 0: the nest's
 * WBNF_R_HOOK says). The rules iptables would refuse are refused.
 */
static struct wbnf_rule *wbnf_rule_parse(struct wbnf_net *wn,
					 struct nlattr *nest, int hook,
					 struct netlink_ext_ack *extack)
{
	struct nlattr *tb[WBNF_R_MAX + 1];
	struct wbnf_rule *r;
	int err;

	err = nla_parse_nested(tb, WBNF_R_MAX, nest, wbnf_rule_policy, extack);
	if (err)
		return ERR_PTR(err);
	if (tb[WBNF_R_HOOK]) {
		if (hook >= 0 && nla_get_u32(tb[WBNF_R_HOOK]) != hook) {
			NL_SET_ERR_MSG_ATTR(extack, tb[WBNF_R_HOOK],
					    "Rule's hook differs from the request's");
			return ERR_PTR(-EINVAL);
		}
		hook = nla_get_u32(tb[WBNF_R_HOOK]);
	} else if (hook < 0) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "Rule has no hook");
		return ERR_PTR(-EINVAL);
	}
	if (!tb[WBNF_R_VERDICT]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "Rule has no verdict");
		return ERR_PTR(-EINVAL);
	}
	if (tb[WBNF_R_IIF] &&
	    (hook == NF_INET_LOCAL_OUT || hook == NF_INET_POST_ROUTING)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[WBNF_R_IIF],
				    "No input interface at output and postrouting");
		return ERR_PTR(-EINVAL);
	}
	if (tb[WBNF_R_OIF] &&
	    (hook == NF_INET_PRE_ROUTING || hook == NF_INET_LOCAL_IN)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[WBNF_R_OIF],
				    "No output interface at prerouting and input");
		return ERR_PTR(-EINVAL);
	}
	if (nla_get_u32(tb[WBNF_R_VERDICT]) == WBNF_VERDICT_REJECT &&
	    hook == NF_INET_POST_ROUTING) {
		NL_SET_ERR_MSG_ATTR(extack, tb[WBNF_R_VERDICT],
				    "Reject works in prerouting, input, forward and output only");
		return ERR_PTR(-EINVAL);
	}
	if (nla_get_u32(tb[WBNF_R_VERDICT]) == WBNF_VERDICT_NOTRACK) {
		if (hook != NF_INET_PRE_ROUTING && hook != NF_INET_LOCAL_OUT) {
			NL_SET_ERR_MSG_ATTR(extack, tb[WBNF_R_VERDICT],
					    "Notrack works in prerouting and output only");
			return ERR_PTR(-EINVAL);
		}
		if (tb[WBNF_R_CT_STATE]) {
			NL_SET_ERR_MSG_ATTR(extack, tb[WBNF_R_CT_STATE],
					    "A notrack rule comes before conntrack: no ct state");
			return ERR_PTR(-EINVAL);
		}
	}
	r = wbnf_rule_alloc(wn);
	if (!r)
		return ERR_PTR(-ENOMEM);
	err = wbnf_match_from_tb(tb, &r->m, extack);
	if (err) {
		wbnf_rule_free(r);
		return ERR_PTR(err);
	}
	r->hook = hook;
	r->verdict = nla_get_u32(tb[WBNF_R_VERDICT]);
	return r;
}

static int wbnf_put_prefix(struct sk_buff *skb, const struct wbnf_match *m,
			   int addr_type, int len_type,
			   const union nf_inet_addr *addr, u8 plen)
{
	return nla_put(skb, addr_type, m->family == AF_INET ? 4 : 16, addr) ||
	       nla_put_u8(skb, len_type, plen);
}

static int wbnf_fill_match(struct sk_buff *skb, const struct wbnf_match *m)
{
	u32 f = m->flags;

	if (((f & WBNF_M_IIF) && nla_put_string(skb, WBNF_R_IIF, m->iif)) ||
	    ((f & WBNF_M_OIF) && nla_put_string(skb, WBNF_R_OIF, m->oif)) ||
	    ((f & WBNF_M_FAMILY) && nla_put_u8(skb, WBNF_R_FAMILY, m->family)) ||
	    ((f & WBNF_M_SRC) &&
	     wbnf_put_prefix(skb, m, WBNF_R_SRC, WBNF_R_SRC_LEN, &m->src,
			     m->src_len)) ||
	    ((f & WBNF_M_DST) &&
	     wbnf_put_prefix(skb, m, WBNF_R_DST, WBNF_R_DST_LEN, &m->dst,
			     m->dst_len)) ||
	    ((f & WBNF_M_PROTO) && nla_put_u8(skb, WBNF_R_PROTO, m->proto)) ||
	    ((f & WBNF_M_SPORT) &&
	     (nla_put_u16(skb, WBNF_R_SPORT_MIN, m->sport[0]) ||
	      nla_put_u16(skb, WBNF_R_SPORT_MAX, m->sport[1]))) ||
	    ((f & WBNF_M_DPORT) &&
	     (nla_put_u16(skb, WBNF_R_DPORT_MIN, m->dport[0]) ||
	      nla_put_u16(skb, WBNF_R_DPORT_MAX, m->dport[1]))) ||
	    ((f & WBNF_M_ICMP_TYPE) &&
	     nla_put_u8(skb, WBNF_R_ICMP_TYPE, m->icmp_type)) ||
	    ((f & WBNF_M_ICMP_CODE) &&
	     nla_put_u8(skb, WBNF_R_ICMP_CODE, m->icmp_code)) ||
	    ((f & WBNF_M_CT_STATE) &&
	     nla_put_u32(skb, WBNF_R_CT_STATE, m->ct_state)))
		return -EMSGSIZE;
	return 0;
}

static int wbnf_fill_rule(struct sk_buff *skb, const struct wbnf_rule *r,
			  u32 portid, u32 seq, int flags, u8 cmd,
			  struct netlink_callback *cb)
{
	struct nlattr *nest;
	u64 packets, bytes;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &wbnf_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	wbnf_rule_read_stats(r, &packets, &bytes);
	nest = nla_nest_start(skb, WBNF_A_RULE);
	if (!nest ||
	    nla_put_u32(skb, WBNF_R_ID, r->id) ||
	    nla_put_u32(skb, WBNF_R_HOOK, r->hook) ||
	    nla_put_u32(skb, WBNF_R_VERDICT, r->verdict) ||
	    wbnf_fill_match(skb, &r->m) ||
	    nla_put_u64_64bit(skb, WBNF_R_PACKETS, packets, WBNF_R_PAD) ||
	    nla_put_u64_64bit(skb, WBNF_R_BYTES, bytes, WBNF_R_PAD)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
}

/* true (and the extack says which) when @info lacks attribute @type */
static bool wbnf_missing(struct genl_info *info, int type)
{
	struct netlink_ext_ack *extack = info->extack;

	if (info->attrs[type])
		return false;
	NL_SET_ERR_ATTR_MISS(extack, NULL, type);
	switch (type) {
	case WBNF_A_HOOK:
		NL_SET_ERR_MSG(extack, "Missing hook (WBNF_A_HOOK)");
		break;
	case WBNF_A_RULE:
		NL_SET_ERR_MSG(extack, "Missing rule (WBNF_A_RULE)");
		break;
	case WBNF_A_RULE_ID:
		NL_SET_ERR_MSG(extack, "Missing rule id (WBNF_A_RULE_ID)");
		break;
	case WBNF_A_POLICY:
		NL_SET_ERR_MSG(extack, "Missing policy (WBNF_A_POLICY)");
		break;
	default:
		NL_SET_ERR_MSG(extack, "Missing on/off (WBNF_A_TRACE_ON)");
	}
	return true;
}

static struct wbnf_net *wbnf_genl_net(struct genl_info *info)
{
	return wbnf_pernet(genl_info_net(info));
}

static int wbnf_rule_new(struct sk_buff *skb, struct genl_info *info)
{
	struct wbnf_net *wn = wbnf_genl_net(info);
	struct sk_buff *msg;
	struct wbnf_rule *r;
	u32 index = U32_MAX;
	int err;

	if (wbnf_missing(info, WBNF_A_HOOK) ||
	    wbnf_missing(info, WBNF_A_RULE))
		return -EINVAL;
	if (info->attrs[WBNF_A_INDEX])
		index = nla_get_u32(info->attrs[WBNF_A_INDEX]);
	/* the reply is allocated first: once the rule is in, nothing fails */
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	r = wbnf_rule_parse(wn, info->attrs[WBNF_A_RULE],
			    nla_get_u32(info->attrs[WBNF_A_HOOK]),
			    info->extack);
	if (IS_ERR(r)) {
		nlmsg_free(msg);
		return PTR_ERR(r);
	}
	err = wbnf_rule_insert(wn, r, index, info->extack);
	if (err) {
		wbnf_rule_free(r);
		nlmsg_free(msg);
		return err;
	}
	/* genl_mutex: no one deletes @r before we have filled the reply */
	if (wbnf_fill_rule(msg, r, info->snd_portid, info->snd_seq, 0,
			   WBNF_CMD_RULE_NEW, NULL)) {
		nlmsg_free(msg);
		return 0;
	}
	genlmsg_reply(msg, info);
	return 0;
}

static int wbnf_rule_del(struct sk_buff *skb, struct genl_info *info)
{
	int err;

	if (wbnf_missing(info, WBNF_A_HOOK) ||
	    wbnf_missing(info, WBNF_A_RULE_ID))
		return -EINVAL;
	err = wbnf_rule_delete(wbnf_genl_net(info),
			       nla_get_u32(info->attrs[WBNF_A_HOOK]),
			       nla_get_u32(info->attrs[WBNF_A_RULE_ID]));
	if (err == -ENOENT)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[WBNF_A_RULE_ID],
				    "No rule with this id on this hook");
	return err;
}

static int wbnf_rule_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *hook = info->attrs[WBNF_A_HOOK];

	return wbnf_rules_flush(wbnf_genl_net(info),
				hook ? (int)nla_get_u32(hook) : -1);
}

static int wbnf_policy_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	if (wbnf_missing(info, WBNF_A_HOOK) ||
	    wbnf_missing(info, WBNF_A_POLICY))
		return -EINVAL;
	return wbnf_policy_set(wbnf_genl_net(info),
			       nla_get_u32(info->attrs[WBNF_A_HOOK]),
			       nla_get_u32(info->attrs[WBNF_A_POLICY]));
}

static void wbnf_rules_free(struct wbnf_rule **rules, unsigned int n)
{
	while (n--)
		wbnf_rule_free(rules[n]);
	kvfree(rules);
}

/* Every rule and policy of the netns in one message, one swap. */
static int wbnf_ruleset_set(struct sk_buff *skb, struct genl_info *info)
{
	struct wbnf_net *wn = wbnf_genl_net(info);
	unsigned int n = 0, max = 0, cnt[WBNF_HOOKS] = {};
	u8 policy[WBNF_HOOKS] = {};
	struct wbnf_rule **rules;
	struct nlattr *a;
	int rem, err;

	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem)
		if (nla_type(a) == WBNF_A_RULE)
			max++;
	if (max > WBNF_HOOKS * WBNF_RULES_MAX) {
		NL_SET_ERR_MSG_MOD(info->extack, "Too many rules");
		return -ENOSPC;
	}
	rules = kvcalloc(max ?: 1, sizeof(*rules), GFP_KERNEL_ACCOUNT);
	if (!rules)
		return -ENOMEM;

	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem) {
		struct nlattr *tb[WBNF_A_MAX + 1];
		struct wbnf_rule *r;

		switch (nla_type(a)) {
		case WBNF_A_RULE:
			r = wbnf_rule_parse(wn, a, -1, info->extack);
			if (IS_ERR(r)) {
				err = PTR_ERR(r);
				goto err;
			}
			rules[n++] = r;
			if (++cnt[r->hook] > WBNF_RULES_MAX) {
				NL_SET_ERR_MSG_ATTR(info->extack, a,
						    "Too many rules on this hook (the limit is 16384)");
				err = -ENOSPC;
				goto err;
			}
			break;
		case WBNF_A_POLICY:
			err = nla_parse_nested(tb, WBNF_A_MAX, a,
					       wbnf_hook_policy_policy,
					       info->extack);
			if (err)
				goto err;
			if (!tb[WBNF_A_HOOK] || !tb[WBNF_A_POLICY]) {
				NL_SET_ERR_MSG_ATTR(info->extack, a,
						    "A policy needs a hook and a verdict");
				err = -EINVAL;
				goto err;
			}
			policy[nla_get_u32(tb[WBNF_A_HOOK])] =
				nla_get_u32(tb[WBNF_A_POLICY]);
			break;
		default:
			NL_SET_ERR_MSG_ATTR(info->extack, a,
					    "Only rules and policies belong in a ruleset");
			err = -EINVAL;
			goto err;
		}
	}
	err = wbnf_ruleset_replace(wn, rules, n, policy);
	if (err)
		goto err;
	kvfree(rules);
	return 0;

err:
	wbnf_rules_free(rules, n);
	return err;
}

static int wbnf_rule_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct wbnf_net *wn = wbnf_genl_net(info);
	const struct wbnf_ruleset *rs;
	unsigned int hook, i;
	struct sk_buff *msg;
	int err = -ENOENT;
	u32 id;

	if (wbnf_missing(info, WBNF_A_HOOK) ||
	    wbnf_missing(info, WBNF_A_RULE_ID))
		return -EINVAL;
	hook = nla_get_u32(info->attrs[WBNF_A_HOOK]);
	id = nla_get_u32(info->attrs[WBNF_A_RULE_ID]);
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&wn->lock);
	rs = rcu_dereference_protected(wn->rs, lockdep_is_held(&wn->lock));
	for (i = 0; i < rs->n[hook]; i++) {
		if (rs->rules[hook][i]->id != id)
			continue;
		err = wbnf_fill_rule(msg, rs->rules[hook][i],
				     info->snd_portid, info->snd_seq, 0,
				     WBNF_CMD_RULE_GET, NULL);
		break;
	}
	mutex_unlock(&wn->lock);
	if (err) {
		if (err == -ENOENT)
			NL_SET_ERR_MSG_ATTR(info->extack,
					    info->attrs[WBNF_A_RULE_ID],
					    "No rule with this id on this hook");
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/*
 * Dump: cb->args[0] hook, [1] position on it. cb->seq is the rule set's
 * generation: a change between two messages sets NLM_F_DUMP_INTR, and the
 * caller knows its listing may be incomplete.
 */
static int wbnf_rule_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct wbnf_net *wn = wbnf_pernet(sock_net(skb->sk));
	struct nlattr *hattr = wb_genl_dump_attrs(cb)[WBNF_A_HOOK];
	unsigned long hook = cb->args[0], i = cb->args[1];
	const struct wbnf_ruleset *rs;
	unsigned long last = WBNF_HOOKS - 1;
	int err = 0;

	if (hattr) {
		hook = max_t(unsigned long, hook, nla_get_u32(hattr));
		last = nla_get_u32(hattr);
	}
	rcu_read_lock();
	rs = rcu_dereference(wn->rs);
	cb->seq = rs->gen;
	for (; hook <= last; hook++, i = 0) {
		for (; i < rs->n[hook]; i++) {
			err = wbnf_fill_rule(skb, rs->rules[hook][i],
					     NETLINK_CB(cb->skb).portid,
					     cb->nlh->nlmsg_seq, NLM_F_MULTI,
					     WBNF_CMD_RULE_GET, cb);
			if (err)
				goto out;
		}
	}
out:
	rcu_read_unlock();
	cb->args[0] = hook;
	cb->args[1] = i;
	/* a full skb ends this part; an empty one means a rule too big */
	return err && !skb->len ? err : skb->len;
}

static void wbnf_read_stats(const struct wbnf_net *wn, int f, unsigned int h,
			    u64 *v)
{
	int cpu;

	memset(v, 0, 4 * sizeof(*v));
	for_each_possible_cpu(cpu) {
		const struct wbnf_pcpu_stats *s = per_cpu_ptr(wn->stats, cpu);
		unsigned int start;
		u64 p, b, d, pol;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			p = u64_stats_read(&s->packets[f][h]);
			b = u64_stats_read(&s->bytes[f][h]);
			d = u64_stats_read(&s->dropped[f][h]);
			pol = u64_stats_read(&s->policy[f][h]);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		v[0] += p;
		v[1] += b;
		v[2] += d;
		v[3] += pol;
	}
}

/* Dump: one message per hook and family; cb->args[0] the next one. */
static int wbnf_stats_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct wbnf_net *wn = wbnf_pernet(sock_net(skb->sk));
	const struct wbnf_ruleset *rs;
	unsigned long i;
	u64 v[4];

	rcu_read_lock();
	rs = rcu_dereference(wn->rs);
	for (i = cb->args[0]; i < WBNF_HOOKS * WBNF_FAMILIES; i++) {
		unsigned int h = i / WBNF_FAMILIES, f = i % WBNF_FAMILIES;
		void *hdr;

		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &wbnf_genl_family,
				  NLM_F_MULTI, WBNF_CMD_STATS_GET);
		if (!hdr)
			break;
		wbnf_read_stats(wn, f, h, v);
		if (nla_put_u32(skb, WBNF_A_HOOK, h) ||
		    nla_put_u8(skb, WBNF_A_FAMILY, f ? AF_INET6 : AF_INET) ||
		    nla_put_u64_64bit(skb, WBNF_A_PACKETS, v[0], WBNF_A_PAD) ||
		    nla_put_u64_64bit(skb, WBNF_A_BYTES, v[1], WBNF_A_PAD) ||
		    nla_put_u64_64bit(skb, WBNF_A_DROPPED, v[2], WBNF_A_PAD) ||
		    nla_put_u64_64bit(skb, WBNF_A_POLICY_PACKETS, v[3],
				      WBNF_A_PAD) ||
		    nla_put_u32(skb, WBNF_A_POLICY, rs->policy[h]) ||
		    nla_put_u32(skb, WBNF_A_RULES, rs->n[h]) ||
		    nla_put_u32(skb, WBNF_A_RULES_INDEXED,
				rs->index[h] ? rs->index[h]->indexed : 0)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	rcu_read_unlock();
	cb->args[0] = i;
	return skb->len;
}

static int wbnf_trace_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct wbnf_net *wn = wbnf_genl_net(info);
	u32 rate = WBNF_TRACE_RATE_DEFAULT;
	struct wbnf_match m = {};
	int err;

	if (wbnf_missing(info, WBNF_A_TRACE_ON))
		return -EINVAL;
	if (!nla_get_u8(info->attrs[WBNF_A_TRACE_ON])) {
		wbnf_trace_off(wn);
		return 0;
	}
	if (info->attrs[WBNF_A_TRACE_MATCH]) {
		err = wbnf_genl_match_parse(info->attrs[WBNF_A_TRACE_MATCH],
					    &m, info->extack);
		if (err)
			return err;
	}
	if (info->attrs[WBNF_A_TRACE_RATE])
		rate = nla_get_u32(info->attrs[WBNF_A_TRACE_RATE]);
	return wbnf_trace_set(wn, &m, rate);
}

static int wbnf_trace_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct wbnf_net *wn = wbnf_genl_net(info);
	const struct wbnf_trace_cfg *cfg;
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &wbnf_genl_family, 0,
				WBNF_CMD_TRACE_GET);
	if (!hdr)
		goto nomem;
	mutex_lock(&wn->lock);
	cfg = rcu_dereference_protected(wn->trace, lockdep_is_held(&wn->lock));
	if (nla_put_u8(msg, WBNF_A_TRACE_ON, !!cfg))
		goto unlock;
	if (cfg) {
		if (nla_put_u32(msg, WBNF_A_TRACE_RATE, cfg->rate))
			goto unlock;
		nest = nla_nest_start(msg, WBNF_A_TRACE_MATCH);
		if (!nest || wbnf_fill_match(msg, &cfg->m))
			goto unlock;
		nla_nest_end(msg, nest);
	}
	mutex_unlock(&wn->lock);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

unlock:
	mutex_unlock(&wn->lock);
nomem:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/* Cleared at module exit, before the family goes: see wbnf_genl_shutdown() */
static bool wbnf_genl_live = true;

void wbnf_genl_shutdown(void)
{
	WRITE_ONCE(wbnf_genl_live, false);
	/* every hook that saw it true has finished (hooks run under RCU) */
	synchronize_rcu();
}

bool wbnf_genl_listening(struct net *net, unsigned int group)
{
	return READ_ONCE(wbnf_genl_live) &&
	       genl_has_listeners(&wbnf_genl_family, net, group);
}

static const struct genl_multicast_group wbnf_mcgrps[] = {
	[WBNF_MCGRP_TRACE_IDX] = { .name = WBNF_MCGRP_TRACE,
				   .flags = GENL_MCAST_CAP_NET_ADMIN },
	[WBNF_MCGRP_CT_IDX] = { .name = WBNF_MCGRP_CT,
				.flags = GENL_MCAST_CAP_NET_ADMIN },
};

/* Called from the packet path (any hook): one event, if anyone listens. */
void wbnf_genl_trace_event(struct net *net, const struct wbnf_pkt *pkt,
			   u32 id, u8 verdict, const struct wbnf_rule *rule)
{
	unsigned int alen = pkt->family == AF_INET ? 4 : 16;
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;

	if (!wbnf_genl_listening(net, WBNF_MCGRP_TRACE_IDX))
		return;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_ATOMIC);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &wbnf_genl_family, 0, WBNF_CMD_TRACE);
	if (!hdr)
		goto err;
	nest = nla_nest_start(msg, WBNF_A_TRACE);
	if (!nest ||
	    nla_put_u32(msg, WBNF_T_ID, id) ||
	    nla_put_u32(msg, WBNF_T_HOOK, pkt->hook) ||
	    nla_put_u8(msg, WBNF_T_FAMILY, pkt->family) ||
	    (pkt->in && nla_put_string(msg, WBNF_T_IIF, pkt->in->name)) ||
	    (pkt->out && nla_put_string(msg, WBNF_T_OIF, pkt->out->name)) ||
	    nla_put(msg, WBNF_T_SRC, alen, &pkt->src) ||
	    nla_put(msg, WBNF_T_DST, alen, &pkt->dst) ||
	    nla_put_u32(msg, WBNF_T_LEN, pkt->len) ||
	    nla_put_u8(msg, WBNF_T_TTL, pkt->ttl) ||
	    nla_put_u8(msg, WBNF_T_PROTO, pkt->proto) ||
	    nla_put_u32(msg, WBNF_T_VERDICT, verdict) ||
	    (rule && nla_put_u32(msg, WBNF_T_RULE_ID, rule->id)) ||
	    nla_put_u32(msg, WBNF_T_NETNS, net->ns.inum) ||
	    (pkt->ct.state &&
	     nla_put_u32(msg, WBNF_T_CT_STATE, pkt->ct.state)) ||
	    (pkt->ct.id &&
	     (nla_put_u32(msg, WBNF_T_CT_ID, pkt->ct.id) ||
	      nla_put_u8(msg, WBNF_T_CT_DIR, pkt->ct.dir))))
		goto err;
	if (pkt->l4 && (pkt->proto == IPPROTO_ICMP ||
			pkt->proto == IPPROTO_ICMPV6)) {
		if (nla_put_u8(msg, WBNF_T_ICMP_TYPE, pkt->icmp_type) ||
		    nla_put_u8(msg, WBNF_T_ICMP_CODE, pkt->icmp_code) ||
		    (pkt->echo &&
		     (nla_put_u16(msg, WBNF_T_ICMP_ID, pkt->icmp_id) ||
		      nla_put_u16(msg, WBNF_T_ICMP_SEQ, pkt->icmp_seq))))
			goto err;
	} else if (pkt->l4) {
		if (nla_put_u16(msg, WBNF_T_SPORT, pkt->sport) ||
		    nla_put_u16(msg, WBNF_T_DPORT, pkt->dport) ||
		    (pkt->proto == IPPROTO_TCP &&
		     nla_put_u8(msg, WBNF_T_TCP_FLAGS, pkt->tcp_flags)))
			goto err;
	}
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&wbnf_genl_family, net, msg, 0, 0, GFP_ATOMIC);
	return;

err:
	nlmsg_free(msg);
}

static const struct genl_ops wbnf_genl_ops[] = {
	{
		.cmd	= WBNF_CMD_RULE_GET,
		.doit	= wbnf_rule_get_doit,
		.dumpit	= wbnf_rule_dumpit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= WBNF_CMD_RULE_NEW,
		.doit	= wbnf_rule_new,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= WBNF_CMD_RULE_DEL,
		.doit	= wbnf_rule_del,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= WBNF_CMD_RULE_FLUSH,
		.doit	= wbnf_rule_flush,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= WBNF_CMD_RULESET_SET,
		.doit	= wbnf_ruleset_set,
		.policy	= wbnf_ruleset_policy,
		.maxattr = WBNF_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= WBNF_CMD_POLICY_SET,
		.doit	= wbnf_policy_set_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= WBNF_CMD_STATS_GET,
		.dumpit	= wbnf_stats_dumpit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= WBNF_CMD_TRACE_SET,
		.doit	= wbnf_trace_set_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= WBNF_CMD_TRACE_GET,
		.doit	= wbnf_trace_get_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= WBNF_CMD_CT_GET,
		.doit	= wbct_get_doit,
		.dumpit	= wbct_get_dumpit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= WBNF_CMD_CT_DEL,
		.doit	= wbct_del_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= WBNF_CMD_CT_FLUSH,
		.doit	= wbct_flush_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= WBNF_CMD_CT_STATS_GET,
		.doit	= wbct_stats_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= WBNF_CMD_CT_CONFIG_GET,
		.doit	= wbct_config_get_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= WBNF_CMD_CT_CONFIG_SET,
		.doit	= wbct_config_set_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
};

struct genl_family wbnf_genl_family __ro_after_init = {
	.name		= WBNF_GENL_NAME,
	.version	= WBNF_GENL_VERSION,
	.maxattr	= WBNF_A_MAX,
	.policy		= wbnf_genl_policy,
	.netnsok	= true,
	.module		= THIS_MODULE,
	.ops		= wbnf_genl_ops,
	.n_ops		= ARRAY_SIZE(wbnf_genl_ops),
	.resv_start_op	= 0,	/* strict validation for every command */
	.mcgrps		= wbnf_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(wbnf_mcgrps),
};
