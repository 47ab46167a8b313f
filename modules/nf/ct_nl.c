// SPDX-License-Identifier: GPL-2.0
/*
 * wirebox_nf conntrack: the "wbnf" family's CT_* commands and the "ct"
 * multicast group (NEW, UPDATE, DESTROY events).
 *
 * A dump walks the table one bucket at a time under that bucket's lock,
 * never the whole table at once; it resumes at the bucket and below the
 * entry id where the last message filled up (a chain is in descending id
 * order: entries are added at its head, ids only grow).
 */
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "wbnf.h"

const struct nla_policy wbct_tuple_policy[WBNF_TUPLE_MAX + 1] = {
	[WBNF_TUPLE_SRC]	= { .type = NLA_BINARY,
				    .len = sizeof(struct in6_addr) },
	[WBNF_TUPLE_DST]	= { .type = NLA_BINARY,
				    .len = sizeof(struct in6_addr) },
	[WBNF_TUPLE_PROTO]	= { .type = NLA_U8 },
	[WBNF_TUPLE_SPORT]	= { .type = NLA_U16 },
	[WBNF_TUPLE_DPORT]	= { .type = NLA_U16 },
	[WBNF_TUPLE_ICMP_ID]	= { .type = NLA_U16 },
	[WBNF_TUPLE_ICMP_TYPE]	= { .type = NLA_U8 },
	[WBNF_TUPLE_ICMP_CODE]	= { .type = NLA_U8 },
};

#define WBCT_NOT_FILTER(a) \
	[a] = { .type = NLA_REJECT, .reject_message = "Not a filter attribute" }

const struct nla_policy wbct_filter_policy[WBNF_CT_MAX + 1] = {
	WBCT_NOT_FILTER(WBNF_CT_PAD),
	WBCT_NOT_FILTER(WBNF_CT_ID),
	[WBNF_CT_FAMILY]	= { .type = NLA_U8 },
	[WBNF_CT_PROTO]		= { .type = NLA_U8 },
	[WBNF_CT_ORIG]		= NLA_POLICY_NESTED(wbct_tuple_policy),
	WBCT_NOT_FILTER(WBNF_CT_REPLY),
	[WBNF_CT_STATUS]	= NLA_POLICY_MASK(NLA_U32, WBNF_CT_F_SEEN_REPLY |
						  WBNF_CT_F_ASSURED),
	[WBNF_CT_TCP_STATE]	= NLA_POLICY_MAX(NLA_U8, __WBNF_TCP_MAX - 1),
	WBCT_NOT_FILTER(WBNF_CT_TIMEOUT),
	WBCT_NOT_FILTER(WBNF_CT_PACKETS_ORIG),
	WBCT_NOT_FILTER(WBNF_CT_BYTES_ORIG),
	WBCT_NOT_FILTER(WBNF_CT_PACKETS_REPLY),
	WBCT_NOT_FILTER(WBNF_CT_BYTES_REPLY),
};

/* not const: 6.1's struct nla_policy points to a mutable one */
static struct netlink_range_validation wbct_max_range = {
	.min = 1,
	.max = WBNF_CT_MAX_LIMIT,
};

static struct netlink_range_validation wbct_timeout_range = {
	.min = 1,
	.max = WBNF_CT_TIMEOUT_MAX,
};

#define WBCT_TIMEOUT_POLICY(a) \
	[a] = NLA_POLICY_FULL_RANGE(NLA_U32, &wbct_timeout_range)

const struct nla_policy wbct_config_policy[WBNF_CTC_MAX + 1] = {
	[WBNF_CTC_ENTRIES_MAX]	= NLA_POLICY_FULL_RANGE(NLA_U32,
							&wbct_max_range),
	[WBNF_CTC_HASHSIZE]	= { .type = NLA_REJECT,
				    .reject_message = "Hash size is set at load: ct_hashsize" },
	WBCT_TIMEOUT_POLICY(WBNF_CTC_TCP_SYN_SENT),
	WBCT_TIMEOUT_POLICY(WBNF_CTC_TCP_SYN_RECV),
	WBCT_TIMEOUT_POLICY(WBNF_CTC_TCP_ESTABLISHED),
	WBCT_TIMEOUT_POLICY(WBNF_CTC_TCP_FIN_WAIT),
	WBCT_TIMEOUT_POLICY(WBNF_CTC_TCP_CLOSE_WAIT),
	WBCT_TIMEOUT_POLICY(WBNF_CTC_TCP_LAST_ACK),
	WBCT_TIMEOUT_POLICY(WBNF_CTC_TCP_TIME_WAIT),
	WBCT_TIMEOUT_POLICY(WBNF_CTC_TCP_CLOSE),
	WBCT_TIMEOUT_POLICY(WBNF_CTC_UDP),
	WBCT_TIMEOUT_POLICY(WBNF_CTC_UDP_STREAM),
	WBCT_TIMEOUT_POLICY(WBNF_CTC_ICMP),
	WBCT_TIMEOUT_POLICY(WBNF_CTC_GENERIC),
};

/* WBNF_CTC_TCP_SYN_SENT.. map onto enum wbct_to in order */
#define WBCT_CTC_TIMEOUT_FIRST	WBNF_CTC_TCP_SYN_SENT

static int wbct_parse_addr(struct nlattr *a, union nf_inet_addr *addr,
			   u8 *family, struct netlink_ext_ack *extack)
{
	unsigned int len = nla_len(a);

	if (len != 4 && len != 16) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "Address must be 4 (IPv4) or 16 (IPv6) bytes");
		return -EINVAL;
	}
	if (*family && *family != (len == 4 ? AF_INET : AF_INET6)) {
		NL_SET_ERR_MSG_ATTR(extack, a, "Mixes IPv4 and IPv6");
		return -EINVAL;
	}
	*family = len == 4 ? AF_INET : AF_INET6;
	memset(addr, 0, sizeof(*addr));
	nla_memcpy(addr, a, len);
	return 0;
}

/* A whole tuple, as a key (CT_GET, CT_DEL). */
static int wbct_parse_tuple(struct nlattr *nest, struct wbct_tuple *t,
			    struct netlink_ext_ack *extack)
{
	struct nlattr *tb[WBNF_TUPLE_MAX + 1];
	u8 family = 0;
	int err;

	err = nla_parse_nested(tb, WBNF_TUPLE_MAX, nest, wbct_tuple_policy,
			       extack);
	if (err)
		return err;
	memset(t, 0, sizeof(*t));
	if (!tb[WBNF_TUPLE_SRC] || !tb[WBNF_TUPLE_DST] ||
	    !tb[WBNF_TUPLE_PROTO]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "A tuple needs WBNF_TUPLE_SRC, _DST and _PROTO");
		return -EINVAL;
	}
	err = wbct_parse_addr(tb[WBNF_TUPLE_SRC], &t->src, &family, extack);
	if (!err)
		err = wbct_parse_addr(tb[WBNF_TUPLE_DST], &t->dst, &family,
				      extack);
	if (err)
		return err;
	t->family = family;
	t->proto = nla_get_u8(tb[WBNF_TUPLE_PROTO]);
	if (wbct_has_ports(t->proto)) {
		if (!tb[WBNF_TUPLE_SPORT] || !tb[WBNF_TUPLE_DPORT]) {
			NL_SET_ERR_MSG_ATTR(extack, nest,
					    "A TCP/UDP tuple needs WBNF_TUPLE_SPORT and _DPORT");
			return -EINVAL;
		}
		if (tb[WBNF_TUPLE_ICMP_ID] || tb[WBNF_TUPLE_ICMP_TYPE] ||
		    tb[WBNF_TUPLE_ICMP_CODE]) {
			NL_SET_ERR_MSG_ATTR(extack, nest,
					    "ICMP fields in a TCP/UDP tuple");
			return -EINVAL;
		}
		t->sport = nla_get_u16(tb[WBNF_TUPLE_SPORT]);
		t->dport = nla_get_u16(tb[WBNF_TUPLE_DPORT]);
	} else if (wbct_is_icmp(family, t->proto)) {
		if (!tb[WBNF_TUPLE_ICMP_TYPE]) {
			NL_SET_ERR_MSG_ATTR(extack, nest,
					    "An ICMP tuple needs WBNF_TUPLE_ICMP_TYPE");
			return -EINVAL;
		}
		if (tb[WBNF_TUPLE_SPORT] || tb[WBNF_TUPLE_DPORT]) {
			NL_SET_ERR_MSG_ATTR(extack, nest,
					    "Ports in an ICMP tuple");
			return -EINVAL;
		}
		if (tb[WBNF_TUPLE_ICMP_ID])
			t->sport = nla_get_u16(tb[WBNF_TUPLE_ICMP_ID]);
		t->dport = nla_get_u8(tb[WBNF_TUPLE_ICMP_TYPE]) << 8;
		if (tb[WBNF_TUPLE_ICMP_CODE])
			t->dport |= nla_get_u8(tb[WBNF_TUPLE_ICMP_CODE]);
	} else {
		int i;

		for (i = WBNF_TUPLE_SPORT; i <= WBNF_TUPLE_ICMP_CODE; i++) {
			if (tb[i]) {
				NL_SET_ERR_MSG_ATTR(extack, tb[i],
						    "This protocol has no ports or ICMP fields");
				return -EINVAL;
			}
		}
	}
	return 0;
}

static int wbct_parse_filter(struct nlattr *nest, struct wbct_filter *f,
			     struct netlink_ext_ack *extack)
{
	struct nlattr *tb[WBNF_CT_MAX + 1], *ob[WBNF_TUPLE_MAX + 1];
	u8 family = 0;
	int err, i;

	memset(f, 0, sizeof(*f));
	if (!nest)
		return 0;
	err = nla_parse_nested(tb, WBNF_CT_MAX, nest, wbct_filter_policy,
			       extack);
	if (err)
		return err;
	if (tb[WBNF_CT_FAMILY]) {
		f->family = nla_get_u8(tb[WBNF_CT_FAMILY]);
		if (f->family != AF_INET && f->family != AF_INET6) {
			NL_SET_ERR_MSG_ATTR(extack, tb[WBNF_CT_FAMILY],
					    "Family must be AF_INET or AF_INET6");
			return -EINVAL;
		}
		f->flags |= WBCT_FILTER_FAMILY;
		family = f->family;
	}
	if (tb[WBNF_CT_PROTO]) {
		f->proto = nla_get_u8(tb[WBNF_CT_PROTO]);
		f->flags |= WBCT_FILTER_PROTO;
	}
	if (tb[WBNF_CT_TCP_STATE]) {
		f->tcp_state = nla_get_u8(tb[WBNF_CT_TCP_STATE]);
		f->flags |= WBCT_FILTER_TCP_STATE;
	}
	if (tb[WBNF_CT_STATUS]) {
		f->status = nla_get_u32(tb[WBNF_CT_STATUS]);
		f->flags |= WBCT_FILTER_STATUS;
	}
	if (!tb[WBNF_CT_ORIG])
		return 0;
	err = nla_parse_nested(ob, WBNF_TUPLE_MAX, tb[WBNF_CT_ORIG],
			       wbct_tuple_policy, extack);
	if (err)
		return err;
	for (i = WBNF_TUPLE_PROTO; i <= WBNF_TUPLE_MAX; i++) {
		if (ob[i]) {
			NL_SET_ERR_MSG_ATTR(extack, ob[i],
					    "A filter's tuple has addresses only");
			return -EINVAL;
		}
	}
	if (ob[WBNF_TUPLE_SRC]) {
		err = wbct_parse_addr(ob[WBNF_TUPLE_SRC], &f->src, &family,
				      extack);
		if (err)
			return err;
		f->flags |= WBCT_FILTER_SRC;
	}
	if (ob[WBNF_TUPLE_DST]) {
		err = wbct_parse_addr(ob[WBNF_TUPLE_DST], &f->dst, &family,
				      extack);
		if (err)
			return err;
		f->flags |= WBCT_FILTER_DST;
	}
	/* an address filter implies its family */
	if (family) {
		f->family = family;
		f->flags |= WBCT_FILTER_FAMILY;
	}
	return 0;
}

static int wbct_fill_tuple(struct sk_buff *skb, int type,
			   const struct wbct_tuple *t)
{
	unsigned int alen = t->family == AF_INET ? 4 : 16;
	struct nlattr *nest;

	nest = nla_nest_start(skb, type);
	if (!nest ||
	    nla_put(skb, WBNF_TUPLE_SRC, alen, &t->src) ||
	    nla_put(skb, WBNF_TUPLE_DST, alen, &t->dst) ||
	    nla_put_u8(skb, WBNF_TUPLE_PROTO, t->proto))
		return -EMSGSIZE;
	if (wbct_has_ports(t->proto)) {
		if (nla_put_u16(skb, WBNF_TUPLE_SPORT, t->sport) ||
		    nla_put_u16(skb, WBNF_TUPLE_DPORT, t->dport))
			return -EMSGSIZE;
	} else if (wbct_is_icmp(t->family, t->proto)) {
		if (nla_put_u16(skb, WBNF_TUPLE_ICMP_ID, t->sport) ||
		    nla_put_u8(skb, WBNF_TUPLE_ICMP_TYPE, t->dport >> 8) ||
		    nla_put_u8(skb, WBNF_TUPLE_ICMP_CODE, t->dport & 0xff))
			return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* The WBNF_A_CT nest of @ct. */
static int wbct_fill(struct sk_buff *skb, const struct wbct *ct)
{
	const struct wbct_tuple *t = &ct->t;
	struct wbct_tuple r;
	struct nlattr *nest;

	/* an entry is only made for a tuple that has an inverse */
	if (WARN_ON_ONCE(!wbct_invert(t, &r)))
		return -EINVAL;
	nest = nla_nest_start(skb, WBNF_A_CT);
	if (!nest ||
	    nla_put_u32(skb, WBNF_CT_ID, ct->id) ||
	    nla_put_u8(skb, WBNF_CT_FAMILY, t->family) ||
	    nla_put_u8(skb, WBNF_CT_PROTO, t->proto) ||
	    wbct_fill_tuple(skb, WBNF_CT_ORIG, t) ||
	    wbct_fill_tuple(skb, WBNF_CT_REPLY, &r) ||
	    nla_put_u32(skb, WBNF_CT_STATUS, atomic_read(&ct->status) & 0xf) ||
	    (t->proto == IPPROTO_TCP &&
	     nla_put_u8(skb, WBNF_CT_TCP_STATE, READ_ONCE(ct->tcp.state))) ||
	    nla_put_u32(skb, WBNF_CT_TIMEOUT, wbct_timeleft(ct)) ||
	    nla_put_u64_64bit(skb, WBNF_CT_PACKETS_ORIG,
			      atomic64_read(&ct->packets[0]), WBNF_CT_PAD) ||
	    nla_put_u64_64bit(skb, WBNF_CT_BYTES_ORIG,
			      atomic64_read(&ct->bytes[0]), WBNF_CT_PAD) ||
	    nla_put_u64_64bit(skb, WBNF_CT_PACKETS_REPLY,
			      atomic64_read(&ct->packets[1]), WBNF_CT_PAD) ||
	    nla_put_u64_64bit(skb, WBNF_CT_BYTES_REPLY,
			      atomic64_read(&ct->bytes[1]), WBNF_CT_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* The entry CT_GET/CT_DEL name, referenced; else an error. */
static struct wbct *wbct_from_info(struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct wbct_tuple t;
	struct wbct *ct;
	int err;

	if (info->attrs[WBNF_A_CT_TUPLE]) {
		if (info->attrs[WBNF_A_CT_ID]) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    info->attrs[WBNF_A_CT_ID],
					    "Give a tuple or an id, not both");
			return ERR_PTR(-EINVAL);
		}
		err = wbct_parse_tuple(info->attrs[WBNF_A_CT_TUPLE], &t,
				       info->extack);
		if (err)
			return ERR_PTR(err);
		ct = wbct_find_tuple(net, &t);
	} else if (info->attrs[WBNF_A_CT_ID]) {
		ct = wbct_find_id(net,
				  nla_get_u32(info->attrs[WBNF_A_CT_ID]));
	} else {
		NL_SET_ERR_MSG(info->extack,
			       "Missing WBNF_A_CT_TUPLE or WBNF_A_CT_ID");
		return ERR_PTR(-EINVAL);
	}
	if (!ct) {
		NL_SET_ERR_MSG(info->extack, "No such conntrack entry");
		return ERR_PTR(-ENOENT);
	}
	return ct;
}

int wbct_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	struct wbct *ct;
	void *hdr;
	int err;

	ct = wbct_from_info(info);
	if (IS_ERR(ct))
		return PTR_ERR(ct);
	err = -ENOMEM;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		goto out;
	err = -EMSGSIZE;
	hdr = genlmsg_put_reply(msg, info, &wbnf_genl_family, 0,
				WBNF_CMD_CT_GET);
	if (!hdr || wbct_fill(msg, ct)) {
		nlmsg_free(msg);
		goto out;
	}
	genlmsg_end(msg, hdr);
	err = genlmsg_reply(msg, info);
out:
	wbct_put(ct);
	return err;
}

struct wbct_dump {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	const struct wbct_filter *f;
	u32 failed_id;		/* the entry that did not fit */
};

static int wbct_dump_one(struct wbct *ct, void *arg)
{
	struct wbct_dump *d = arg;
	void *hdr;

	if (!wbct_filter_match(ct, d->f))
		return 0;
	hdr = genlmsg_put(d->skb, NETLINK_CB(d->cb->skb).portid,
			  d->cb->nlh->nlmsg_seq, &wbnf_genl_family,
			  NLM_F_MULTI, WBNF_CMD_CT_GET);
	if (!hdr)
		goto full;
	if (wbct_fill(d->skb, ct)) {
		genlmsg_cancel(d->skb, hdr);
		goto full;
	}
	genlmsg_end(d->skb, hdr);
	return 0;
full:
	d->failed_id = ct->id;
	return -EMSGSIZE;
}

/* cb->args[0]: the bucket; [1]: resume below this id in it (0: all) */
int wbct_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr **attrs = wb_genl_dump_attrs(cb);
	struct net *net = sock_net(skb->sk);
	struct wbct_filter f;
	struct wbct_dump d = { .skb = skb, .cb = cb, .f = &f };
	unsigned long b;
	int err;

	err = wbct_parse_filter(attrs[WBNF_A_CT_FILTER], &f, cb->extack);
	if (err)
		return err;
	for (b = cb->args[0]; b < wbct_hsize; b++) {
		err = wbct_walk_bucket(net, b, cb->args[1], wbct_dump_one, &d);
		if (err) {
			/* resume with the entry that did not fit */
			cb->args[1] = (unsigned long)d.failed_id + 1;
			break;
		}
		cb->args[1] = 0;
		if (!(b % 256))
			cond_resched();
	}
	cb->args[0] = b;
	/* not even one entry fits an empty message: say so */
	if (err && !skb->len)
		return err;
	return skb->len;
}

int wbct_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct wbct *ct;
	bool killed;

	ct = wbct_from_info(info);
	if (IS_ERR(ct))
		return PTR_ERR(ct);
	killed = wbct_kill(ct);
	wbct_put(ct);
	if (!killed) {
		NL_SET_ERR_MSG(info->extack, "No such conntrack entry");
		return -ENOENT;
	}
	return 0;
}

int wbct_flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct wbct_filter f;
	int err;

	err = wbct_parse_filter(info->attrs[WBNF_A_CT_FILTER], &f,
				info->extack);
	if (err)
		return err;
	wbct_flush(genl_info_net(info), f.flags ? &f : NULL);
	return 0;
}

/* A reply to @info: @cmd and the nest @fill puts in. */
static int wbct_reply(struct genl_info *info, u8 cmd,
		      int (*fill)(struct sk_buff *msg, struct wbnf_net *wn))
{
	struct wbnf_net *wn = wbnf_pernet(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &wbnf_genl_family, 0, cmd);
	if (!hdr || fill(msg, wn)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int wbct_fill_stats(struct sk_buff *msg, struct wbnf_net *wn)
{
	struct wbct_pcpu_stats s;
	struct nlattr *nest;
	int i;

	BUILD_BUG_ON(WBNF_CTS_UNTRACKED - WBNF_CTS_FOUND + 1 != WBCT_STAT_NUM);
	wbct_read_stats(&wn->ct, &s);
	nest = nla_nest_start(msg, WBNF_A_CT_STATS);
	if (!nest ||
	    nla_put_u32(msg, WBNF_CTS_COUNT, atomic_read(&wn->ct.count)) ||
	    nla_put_u32(msg, WBNF_CTS_ENTRIES_MAX, READ_ONCE(wbct_max)))
		return -EMSGSIZE;
	for (i = 0; i < WBCT_STAT_NUM; i++)
		if (nla_put_u64_64bit(msg, WBNF_CTS_FOUND + i, s.v[i],
				      WBNF_CTS_PAD))
			return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

int wbct_stats_doit(struct sk_buff *skb, struct genl_info *info)
{
	return wbct_reply(info, WBNF_CMD_CT_STATS_GET, wbct_fill_stats);
}

static int wbct_fill_config(struct sk_buff *msg, struct wbnf_net *wn)
{
	struct nlattr *nest;
	int i;

	nest = nla_nest_start(msg, WBNF_A_CT_CONFIG);
	if (!nest ||
	    nla_put_u32(msg, WBNF_CTC_ENTRIES_MAX, READ_ONCE(wbct_max)) ||
	    nla_put_u32(msg, WBNF_CTC_HASHSIZE, wbct_hsize))
		return -EMSGSIZE;
	for (i = 0; i < WBCT_TO_NUM; i++)
		if (nla_put_u32(msg, WBCT_CTC_TIMEOUT_FIRST + i,
				READ_ONCE(wn->ct.timeouts[i]) / HZ))
			return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

int wbct_config_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return wbct_reply(info, WBNF_CMD_CT_CONFIG_GET, wbct_fill_config);
}

int wbct_config_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct wbnf_net *wn = wbnf_pernet(genl_info_net(info));
	struct nlattr *tb[WBNF_CTC_MAX + 1];
	int err, i;

	BUILD_BUG_ON(WBNF_CTC_GENERIC - WBCT_CTC_TIMEOUT_FIRST + 1 !=
		     WBCT_TO_NUM);
	if (!info->attrs[WBNF_A_CT_CONFIG]) {
		NL_SET_ERR_MSG(info->extack, "Missing WBNF_A_CT_CONFIG");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, WBNF_CTC_MAX, info->attrs[WBNF_A_CT_CONFIG],
			       wbct_config_policy, info->extack);
	if (err)
		return err;
	/* an entry's expiry is a u32 of jiffies, compared as signed */
	for (i = 0; i < WBCT_TO_NUM; i++) {
		struct nlattr *a = tb[WBCT_CTC_TIMEOUT_FIRST + i];

		if (a && nla_get_u32(a) > S32_MAX / HZ) {
			NL_SET_ERR_MSG_ATTR(info->extack, a,
					    "Timeout too long for this kernel's HZ (2^31 jiffies)");
			return -ERANGE;
		}
	}
	/* one limit for all: only the host's admin, as nf_conntrack_max */
	if (tb[WBNF_CTC_ENTRIES_MAX] &&
	    (!net_eq(genl_info_net(info), &init_net) ||
	     !netlink_capable(skb, CAP_NET_ADMIN))) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[WBNF_CTC_ENTRIES_MAX],
				    "Only the initial netns's admin sets the maximum");
		return -EPERM;
	}
	if (tb[WBNF_CTC_ENTRIES_MAX])
		WRITE_ONCE(wbct_max, nla_get_u32(tb[WBNF_CTC_ENTRIES_MAX]));
	mutex_lock(&wn->lock);
	for (i = 0; i < WBCT_TO_NUM; i++) {
		struct nlattr *a = tb[WBCT_CTC_TIMEOUT_FIRST + i];

		if (a)
			WRITE_ONCE(wn->ct.timeouts[i], nla_get_u32(a) * HZ);
	}
	mutex_unlock(&wn->lock);
	return 0;
}

/* An event on the "ct" group, if anyone listens; any context. */
void wbnf_ct_event(const struct wbct *ct, u32 event)
{
	struct net *net = wbct_net(ct);
	struct sk_buff *msg;
	void *hdr;

	/* the GC calls this outside RCU: module exit waits for RCU readers */
	rcu_read_lock();
	if (!wbnf_genl_listening(net, WBNF_MCGRP_CT_IDX))
		goto out;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_ATOMIC);
	if (!msg)
		goto out;
	hdr = genlmsg_put(msg, 0, 0, &wbnf_genl_family, 0, WBNF_CMD_CT_EVENT);
	if (!hdr || nla_put_u32(msg, WBNF_A_CT_EVENT, event) ||
	    wbct_fill(msg, ct)) {
		nlmsg_free(msg);
		goto out;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&wbnf_genl_family, net, msg, 0,
				WBNF_MCGRP_CT_IDX, GFP_ATOMIC);
out:
	rcu_read_unlock();
}
