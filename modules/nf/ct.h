/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wirebox_nf conntrack: wirebox's own connection tracking table, beside
 * (and independent of) nf_conntrack. See ct.c and Documentation/nf.rst.
 */
#ifndef _WBNF_CT_H
#define _WBNF_CT_H

#include <linux/atomic.h>
#include <linux/jiffies.h>
#include <linux/list_nulls.h>
#include <linux/netfilter.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/stddef.h>
#include <net/net_namespace.h>

struct wbnf_net;
struct wbnf_pkt;

/*
 * One direction of a connection: the hash key. ICMP queries keep the
 * identifier in sport and type << 8 | code in dport, as nf_conntrack keeps
 * them in its tuple. 40 bytes, hashed as 10 words; padding is zero.
 */
struct wbct_tuple {
	union nf_inet_addr src, dst;
	u16 sport, dport;
	u8 proto;
	u8 family;
	u8 pad[2];
};

/* TCP window tracking, per direction (after nf_conntrack's ip_ct_tcp) */
struct wbct_tcp_dir {
	u32 end;		/* highest seq + len sent */
	u32 maxend;		/* the most the peer allowed: ack + window */
	u32 maxwin;		/* largest window advertised */
};

#define WBCT_NO_WSCALE	0xff

struct wbct_tcp {
	spinlock_t lock;	/* all of struct wbct_tcp */
	u8 state;		/* enum wbnf_tcp_state */
	u8 wscale[2];		/* as each SYN offered it; WBCT_NO_WSCALE */
	struct wbct_tcp_dir dir[2];
};

/* status bits: the same as the UAPI's WBNF_CT_F_* */
enum {
	WBCT_SEEN_REPLY,
	WBCT_ASSURED,
	WBCT_CONFIRMED,
	WBCT_DYING,
};

/*
 * An entry. From a SLAB_TYPESAFE_BY_RCU cache, as nf_conn: a reader under
 * RCU may meet an entry that was freed and reused meanwhile, so it takes a
 * reference (refcount_inc_not_zero) and checks the key again. node, t,
 * use, net and status must stay valid across reuse; the rest is set up in
 * wbct_alloc(), and 6.12's slab keeps its free pointer in packets[].
 *
 * One hash node per entry: both directions of a connection hash to the
 * same bucket (wbct_bucket() hashes the lesser of a tuple and its
 * inverse), so the reply tuple is never stored, only computed
 * (wbct_invert()). 144 bytes on 64-bit, without lock debugging;
 * nf_conntrack's struct nf_conn, which keeps both tuples and no counters,
 * is 248. See Documentation/nf.rst, "Memory".
 */
struct wbct {
	struct hlist_nulls_node node;
	struct wbct_tuple t;	/* the original direction's */
	refcount_t use;
	u32 id;			/* given at confirmation, unique per netns */
	possible_net_t net;
	u32 timeout;		/* (u32)jiffies at which it expires */
	atomic_t status;	/* BIT(WBCT_*) */

	struct_group(zeroed,	/* by wbct_alloc() */
		atomic64_t packets[2];
		atomic64_t bytes[2];
		union {		/* by t.proto */
			struct wbct_tcp tcp;
			u32 udp_stream;	/* jiffies from which a replied
					 * flow is a stream
					 */
		};
	);
};

enum wbct_to {
	WBCT_TO_SYN_SENT,
	WBCT_TO_SYN_RECV,
	WBCT_TO_ESTABLISHED,
	WBCT_TO_FIN_WAIT,
	WBCT_TO_CLOSE_WAIT,
	WBCT_TO_LAST_ACK,
	WBCT_TO_TIME_WAIT,
	WBCT_TO_CLOSE,
	WBCT_TO_UDP,
	WBCT_TO_UDP_STREAM,
	WBCT_TO_ICMP,
	WBCT_TO_GENERIC,
	WBCT_TO_NUM,
};

/* in WBNF_CTS_FOUND.. order */
enum {
	WBCT_STAT_FOUND,
	WBCT_STAT_NEW,
	WBCT_STAT_INVALID,
	WBCT_STAT_INSERT,
	WBCT_STAT_INSERT_FAILED,
	WBCT_STAT_DROP,
	WBCT_STAT_EARLY_DROP,
	WBCT_STAT_SEARCH_RESTART,
	WBCT_STAT_UNTRACKED,
	WBCT_STAT_NUM,
};

struct wbct_pcpu_stats {
	u64 v[WBCT_STAT_NUM];
};

/*
 * What conntrack decided for a packet at its first hook, kept until the
 * packet reaches LOCAL_IN or POST_ROUTING (see ct.c: "pending").
 */
struct wbct_pend {
	const struct sk_buff *skb;	/* NULL: free slot */
	unsigned long stamp;		/* jiffies when stored */
	struct wbct *ct;		/* unconfirmed entry, owned; or NULL */
	u32 check;			/* wbct_pkt_check() of the packet */
	u32 id;				/* entry id, 0 if none */
	u8 state;			/* WBNF_CT_STATE_* bit */
	u8 dir;
	bool loop;			/* confirmed on its way to loopback */
};

#define WBCT_PEND_BITS		8	/* 256 slots */
#define WBCT_PEND_WAYS_BITS	2	/* in groups of 4, a lock each */
#define WBCT_PEND_WAYS		BIT(WBCT_PEND_WAYS_BITS)

struct wbct_net {
	atomic_t count;			/* entries in the table */
	atomic_t next_id;
	unsigned int timeouts[WBCT_TO_NUM];	/* jiffies */
	struct wbct_pcpu_stats __percpu *stats;
	/* pend[] by groups of WBCT_PEND_WAYS */
	spinlock_t pend_lock[1 << (WBCT_PEND_BITS - WBCT_PEND_WAYS_BITS)];
	struct wbct_pend pend[1 << WBCT_PEND_BITS];
};

/* The packet's conntrack view: into struct wbnf_pkt, for rules and trace */
struct wbct_info {
	u8 state;		/* WBNF_CT_STATE_* bit; 0: not looked at */
	u8 dir;
	u32 id;			/* 0: no entry */
};

int wbct_init(void);
void wbct_exit(void);
int wbct_net_init(struct wbnf_net *wn);
void wbct_net_exit(struct wbnf_net *wn);

/* the packet path, see hook.c */
bool wbct_in(struct wbnf_net *wn, struct sk_buff *skb,
	     struct wbnf_pkt *pkt, bool untracked);
void wbct_lookup(struct wbnf_net *wn, struct sk_buff *skb,
		 struct wbnf_pkt *pkt);
void wbct_confirm(struct wbnf_net *wn, struct sk_buff *skb,
		  const struct nf_hook_state *state);
void wbct_forget(struct wbnf_net *wn, const struct sk_buff *skb);

/* control, see ct_nl.c */
extern unsigned int wbct_max;
extern unsigned int wbct_hsize;

struct wbct_filter {
	u32 flags;		/* WBCT_FILTER_* */
	u8 family, proto, tcp_state;
	u32 status;
	union nf_inet_addr src, dst;
};

enum {
	WBCT_FILTER_FAMILY	= BIT(0),
	WBCT_FILTER_PROTO	= BIT(1),
	WBCT_FILTER_TCP_STATE	= BIT(2),
	WBCT_FILTER_STATUS	= BIT(3),
	WBCT_FILTER_SRC		= BIT(4),
	WBCT_FILTER_DST		= BIT(5),
};

bool wbct_filter_match(const struct wbct *ct, const struct wbct_filter *f);
struct wbct *wbct_find_tuple(struct net *net, const struct wbct_tuple *t);
struct wbct *wbct_find_id(struct net *net, u32 id);
void wbct_put(struct wbct *ct);
bool wbct_kill(struct wbct *ct);
unsigned int wbct_flush(struct net *net, const struct wbct_filter *f);
bool wbct_expired(const struct wbct *ct);
bool wbct_invert(const struct wbct_tuple *t, struct wbct_tuple *r);
void wbct_read_stats(struct wbct_net *cn, struct wbct_pcpu_stats *sum);

/* the dump walks one bucket at a time under its lock */
typedef int (*wbct_walk_fn)(struct wbct *ct, void *arg);
int wbct_walk_bucket(struct net *net, unsigned int bucket, u64 below_id,
		     wbct_walk_fn fn, void *arg);

/* The protocols whose tuples have ports; ICMP's have type, code and id */
static inline bool wbct_has_ports(u8 proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP ||
	       proto == IPPROTO_UDPLITE;
}

static inline bool wbct_is_icmp(u8 family, u8 proto)
{
	return proto == (family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6);
}

static inline bool wbct_test(const struct wbct *ct, unsigned int bit)
{
	return atomic_read(&ct->status) & BIT(bit);
}

/* Set @bit; was it set already? Fully ordered, as test_and_set_bit(). */
static inline bool wbct_test_and_set(struct wbct *ct, unsigned int bit)
{
	return atomic_fetch_or(BIT(bit), &ct->status) & BIT(bit);
}

/* Seconds left before @ct expires, rounded up; 0 if it has. */
static inline u32 wbct_timeleft(const struct wbct *ct)
{
	s32 left = (s32)(READ_ONCE(ct->timeout) - (u32)jiffies);

	return left > 0 ? DIV_ROUND_UP(left, HZ) : 0;
}

static inline struct net *wbct_net(const struct wbct *ct)
{
	return read_pnet(&ct->net);
}

#endif /* _WBNF_CT_H */
