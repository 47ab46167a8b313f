// SPDX-License-Identifier: GPL-2.0
/*
 * wirebox_nf conntrack: wirebox's own connection tracking table.
 *
 * The table: one hash table for every netns (the netns is in the hash and
 * in the key), each entry in it once: both directions of a connection
 * hash to the same bucket (the hash is of the lesser of a tuple and its
 * inverse), so an entry needs one hash node and one tuple where
 * nf_conntrack keeps two of each. A lookup compares the packet's tuple,
 * and its inverse, with the entry's original tuple: the match says the
 * direction. Lookups on the packet path are lock-free under RCU; entries
 * come from a SLAB_TYPESAFE_BY_RCU cache and are referenced, as in
 * nf_conntrack, so a lookup that meets a freed and reused entry notices
 * (the key no longer matches, or the chain ends in another bucket's
 * "nulls" marker) and starts again (stat search_restart). Inserts and
 * deletes take the bucket's striped lock.
 *
 * A packet's way through it:
 *
 *   PRE_ROUTING / LOCAL_OUT (the first hook, at wirebox's priority):
 *	wbct_in(): look the tuple up. Found: run the protocol's state
 *	machine (TCP states and window, UDP, ICMP) and account the packet.
 *	Not found: a new, unconfirmed entry that is in no table yet. The
 *	verdict (NEW, ESTABLISHED, RELATED, INVALID, UNTRACKED) and the
 *	unconfirmed entry are kept in a "pending" slot keyed by the skb.
 *   FORWARD, LOCAL_IN, POST_ROUTING (wirebox's priority): the rules see
 *	the pending verdict (wbct_lookup()).
 *   LOCAL_IN / POST_ROUTING at NF_IP_PRI_LAST: wbct_confirm() inserts the
 *	unconfirmed entry. A packet dropped on the way (by a wirebox rule or
 *	anyone else) never gets there, so it leaves no entry; two packets
 *	racing to create one connection end with one entry (the loser
 *	joins the winner: insert_failed).
 *
 * Why the pending slots: nf_conntrack keeps a packet's entry in
 * skb->_nfct, which is nf_conntrack's own (wirebox runs beside it) and an
 * out-of-tree module has no skb extension. The way from the first hook to
 * the confirming one is a synchronous call chain, so a small per-netns
 * table keyed by the skb pointer (and checked against the packet's IP id
 * and length) carries the verdict; a slot older than a second, or taken
 * by another packet, is reclaimed. Loopback: the packet is confirmed at
 * POST_ROUTING and its slot kept for its second walk (PRE_ROUTING and
 * LOCAL_IN on lo), so it is tracked once, as nf_conntrack does.
 *
 * Garbage collection is incremental: a work item looks at a slice of the
 * buckets every 100 ms, and a lookup that meets an expired entry removes
 * it. When a netns is at the maximum, a new connection first evicts a
 * non-assured entry near its own bucket (early_drop), else its packet is
 * dropped and counted (drop).
 *
 * The TCP state table and window checks follow nf_conntrack_proto_tcp.c
 * (Rooij's "Real Stateful TCP Packet Filtering in IP Filter"), without
 * its loose pick-up of connections already open: a connection starts with
 * a SYN, and a stray ACK or SYN-ACK is INVALID.
 */
#include <linux/hash.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/jhash.h>
#include <linux/moduleparam.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include <net/ipv6.h>
#include <net/ndisc.h>
#include <net/tcp.h>

#include "wbnf.h"

#define WBCT_LOCKS		1024
#define WBCT_GC_SLICES		64	/* slices of the table, one a run */
#define WBCT_GC_INTERVAL	(HZ / 10)	/* a whole walk in 6.4 s */
#define WBCT_GC_MAX_INTERVAL	HZ		/* ... in 64 s */
#define WBCT_GC_EVICT_SHIFT	3	/* 1/8 of a slice expired: hurry */
#define WBCT_EVICT_BUCKETS	1024
#define WBCT_EVICT_ENTRIES	8
#define WBCT_PEND_LIFETIME	HZ

unsigned int wbct_hsize __read_mostly = 16384;
module_param_named(ct_hashsize, wbct_hsize, uint, 0444);
MODULE_PARM_DESC(ct_hashsize, "conntrack hash buckets, for all netns (default 16384)");

unsigned int wbct_max __read_mostly = 65536;
module_param_named(ct_max, wbct_max, uint, 0444);
MODULE_PARM_DESC(ct_max, "conntrack entries per netns (default 65536; wbctl ct config set max)");

static struct hlist_nulls_head *wbct_hash __read_mostly;
static spinlock_t wbct_locks[WBCT_LOCKS];
static u32 wbct_seed __read_mostly;
static struct kmem_cache *wbct_cache __read_mostly;
static struct delayed_work wbct_gc_work;
static unsigned int wbct_gc_next;
static unsigned long wbct_gc_interval = WBCT_GC_INTERVAL;

/* nf_conntrack's defaults (nf_conntrack_proto_*.c), in seconds */
static const unsigned int wbct_default_timeouts[WBCT_TO_NUM] = {
	[WBCT_TO_SYN_SENT]	= 2 * 60,
	[WBCT_TO_SYN_RECV]	= 60,
	[WBCT_TO_ESTABLISHED]	= 5 * 24 * 3600,
	[WBCT_TO_FIN_WAIT]	= 2 * 60,
	[WBCT_TO_CLOSE_WAIT]	= 60,
	[WBCT_TO_LAST_ACK]	= 30,
	[WBCT_TO_TIME_WAIT]	= 2 * 60,
	[WBCT_TO_CLOSE]		= 10,
	[WBCT_TO_UDP]		= 30,
	[WBCT_TO_UDP_STREAM]	= 120,
	[WBCT_TO_ICMP]		= 30,
	[WBCT_TO_GENERIC]	= 600,
};

static void wbct_stat_inc(struct wbct_net *cn, unsigned int i)
{
	this_cpu_inc(cn->stats->v[i]);
}

/* jiffies; wbnf_ct_config_set() changes them any time */
static unsigned int wbct_timeout(const struct wbct_net *cn, unsigned int i)
{
	return READ_ONCE(cn->timeouts[i]);
}

/* ---- the table ---- */

/*
 * A lookup's key: the packet's tuple and, if it has one, its inverse (the
 * original tuple of an entry the packet would be a reply of).
 */
struct wbct_key {
	struct wbct_tuple t, r;
	bool has_r;
};

static void wbct_key_init(struct wbct_key *k, const struct wbct_tuple *t)
{
	k->t = *t;
	k->has_r = wbct_invert(t, &k->r);
}

/*
 * The bucket of a connection, whichever direction the key's tuple is of
 * it: the hash of the lesser (memcmp) of the tuple and its inverse, so
 * that an entry needs one hash node, not one per direction.
 */
static unsigned int wbct_key_bucket(const struct wbct_key *k,
				    const struct net *net)
{
	const struct wbct_tuple *h = &k->t;

	BUILD_BUG_ON(sizeof(*h) % sizeof(u32));
	if (k->has_r && memcmp(&k->r, &k->t, sizeof(k->r)) < 0)
		h = &k->r;
	return reciprocal_scale(jhash2((const u32 *)h, sizeof(*h) / sizeof(u32),
				       wbct_seed ^ net_hash_mix(net)),
				wbct_hsize);
}

static unsigned int wbct_bucket(const struct wbct_tuple *t,
				const struct net *net)
{
	struct wbct_key k;

	wbct_key_init(&k, t);
	return wbct_key_bucket(&k, net);
}

static bool wbct_tuple_equal(const struct wbct_tuple *a,
			     const struct wbct_tuple *b)
{
	return !memcmp(a, b, sizeof(*a));
}

bool wbct_expired(const struct wbct *ct)
{
	return (s32)(READ_ONCE(ct->timeout) - (u32)jiffies) <= 0;
}

/* In the table, not going away, of @net. */
static bool wbct_live(const struct wbct *ct, const struct net *net)
{
	return wbct_test(ct, WBCT_CONFIRMED) && !wbct_test(ct, WBCT_DYING) &&
	       net_eq(wbct_net(ct), net);
}

/*
 * Is @ct a live entry of @net with @k in one of its directions? The
 * direction into *@dir.
 */
static bool wbct_key_match(const struct wbct *ct, const struct wbct_key *k,
			   const struct net *net, u8 *dir)
{
	if (wbct_tuple_equal(&ct->t, &k->t))
		*dir = WBNF_CT_DIR_ORIGINAL;
	else if (k->has_r && wbct_tuple_equal(&ct->t, &k->r))
		*dir = WBNF_CT_DIR_REPLY;
	else
		return false;
	return wbct_live(ct, net);
}

static spinlock_t *wbct_lock_of(unsigned int bucket)
{
	return &wbct_locks[bucket % WBCT_LOCKS];
}

static void wbct_free(struct wbct *ct)
{
	kmem_cache_free(wbct_cache, ct);
}

void wbct_put(struct wbct *ct)
{
	if (refcount_dec_and_test(&ct->use))
		wbct_free(ct);
}

/*
 * Take @ct out of the table. The caller holds a reference; the table's
 * own is dropped here. False if someone else removed it first.
 */
bool wbct_kill(struct wbct *ct)
{
	struct net *net = wbct_net(ct);
	spinlock_t *lock = wbct_lock_of(wbct_bucket(&ct->t, net));

	local_bh_disable();
	spin_lock(lock);
	if (wbct_test_and_set(ct, WBCT_DYING)) {
		spin_unlock(lock);
		local_bh_enable();
		return false;
	}
	hlist_nulls_del_rcu(&ct->node);
	atomic_dec(&wbnf_pernet(net)->ct.count);
	spin_unlock(lock);
	wbnf_ct_event(ct, WBNF_CT_EVENT_DESTROY);
	local_bh_enable();
	wbct_put(ct);
	return true;
}

/* Remove an expired entry met by a reader (RCU). */
static void wbct_gc_one(struct wbct *ct, const struct wbct_key *k,
			const struct net *net)
{
	u8 dir;

	if (!refcount_inc_not_zero(&ct->use))
		return;
	/* it may have been reused for another connection meanwhile */
	if (wbct_key_match(ct, k, net, &dir) && wbct_expired(ct))
		wbct_kill(ct);
	wbct_put(ct);
}

/*
 * The live entry with @t as one of its tuples, referenced, and the
 * direction @t is of it in *@dir; NULL if none. RCU read side.
 */
static struct wbct *wbct_find_get(struct net *net, struct wbct_net *cn,
				  const struct wbct_tuple *t, u8 *dir)
{
	struct hlist_nulls_node *n;
	struct wbct_key k;
	struct wbct *ct;
	unsigned int b;

	wbct_key_init(&k, t);
	b = wbct_key_bucket(&k, net);
begin:
	hlist_nulls_for_each_entry_rcu(ct, n, &wbct_hash[b], node) {
		if (!wbct_key_match(ct, &k, net, dir))
			continue;
		if (wbct_expired(ct)) {
			wbct_gc_one(ct, &k, net);
			continue;
		}
		if (!refcount_inc_not_zero(&ct->use))
			continue;
		if (unlikely(!wbct_key_match(ct, &k, net, dir))) {
			wbct_put(ct);
			wbct_stat_inc(cn, WBCT_STAT_SEARCH_RESTART);
			goto begin;
		}
		return ct;
	}
	/* moved to another chain while we walked it: its end is not ours */
	if (get_nulls_value(n) != b) {
		wbct_stat_inc(cn, WBCT_STAT_SEARCH_RESTART);
		goto begin;
	}
	return NULL;
}

struct wbct *wbct_find_tuple(struct net *net, const struct wbct_tuple *t)
{
	struct wbct *ct;
	u8 dir;

	rcu_read_lock();
	ct = wbct_find_get(net, &wbnf_pernet(net)->ct, t, &dir);
	rcu_read_unlock();
	return ct;
}

/* By id: a walk of the whole table, for the control path only. */
struct wbct *wbct_find_id(struct net *net, u32 id)
{
	struct hlist_nulls_node *n;
	struct wbct *ct;
	unsigned int b;

	for (b = 0; b < wbct_hsize; b++) {
restart:
		rcu_read_lock();
		hlist_nulls_for_each_entry_rcu(ct, n, &wbct_hash[b], node) {
			if (READ_ONCE(ct->id) != id || !wbct_live(ct, net) ||
			    !refcount_inc_not_zero(&ct->use))
				continue;
			if (ct->id == id && wbct_live(ct, net) &&
			    !wbct_expired(ct)) {
				rcu_read_unlock();
				return ct;
			}
			wbct_put(ct);
		}
		/* ended in another chain: this one may have more */
		if (get_nulls_value(n) != b) {
			rcu_read_unlock();
			goto restart;
		}
		rcu_read_unlock();
		cond_resched();
	}
	return NULL;
}

/*
 * Make room in a full netns: evict one entry that is not assured (or has
 * expired) from the buckets after @b. Bounded: it looks at up to
 * WBCT_EVICT_ENTRIES entries of the netns, in at most WBCT_EVICT_BUCKETS
 * buckets (a netns may fill its share of a big table sparsely).
 */
static bool wbct_early_drop(struct net *net, unsigned int b)
{
	unsigned int i, seen = 0;
	struct hlist_nulls_node *n;
	struct wbct *ct;

	for (i = 0; i < WBCT_EVICT_BUCKETS && seen < WBCT_EVICT_ENTRIES;
	     i++, b = (b + 1) % wbct_hsize) {
		hlist_nulls_for_each_entry_rcu(ct, n, &wbct_hash[b], node) {
			bool done;

			if (!net_eq(wbct_net(ct), net))
				continue;
			seen++;
			if ((wbct_test(ct, WBCT_ASSURED) && !wbct_expired(ct)) ||
			    !wbct_test(ct, WBCT_CONFIRMED) ||
			    !refcount_inc_not_zero(&ct->use))
				continue;
			done = net_eq(wbct_net(ct), net) &&
			       wbct_test(ct, WBCT_CONFIRMED) &&
			       (!wbct_test(ct, WBCT_ASSURED) ||
				wbct_expired(ct)) &&
			       wbct_kill(ct);
			wbct_put(ct);
			if (done)
				return true;
		}
	}
	return false;
}

/* An unconfirmed entry goes without ever being in the table. */
static void wbct_discard(struct wbct_net *cn, struct wbct *ct)
{
	atomic_dec(&cn->count);
	wbct_put(ct);
}

/*
 * An entry not in any table yet, for @orig; NULL when the netns is full.
 * It counts towards the netns's maximum from now (as in nf_conntrack):
 * wbct_discard() it, or wbct_insert() it.
 */
static struct wbct *wbct_alloc(struct net *net, struct wbct_net *cn,
			       const struct wbct_tuple *orig)
{
	struct wbct *ct;

	/* counted from here: two CPUs cannot both take the last place */
	if (unlikely(atomic_inc_return(&cn->count) > READ_ONCE(wbct_max))) {
		if (!wbct_early_drop(net, wbct_bucket(orig, net))) {
			atomic_dec(&cn->count);
			wbct_stat_inc(cn, WBCT_STAT_DROP);
			net_warn_ratelimited("wirebox: conntrack table full, dropping packet\n");
			return NULL;
		}
		wbct_stat_inc(cn, WBCT_STAT_EARLY_DROP);
	}
	ct = kmem_cache_alloc(wbct_cache, GFP_ATOMIC);
	if (!ct) {
		atomic_dec(&cn->count);
		wbct_stat_inc(cn, WBCT_STAT_DROP);
		return NULL;
	}
	/*
	 * use is 0 (freed, or never linked): a reader that still holds a
	 * stale pointer to this memory skips it until use is set below.
	 */
	ct->t = *orig;
	write_pnet(&ct->net, net);
	atomic_set(&ct->status, 0);
	ct->id = 0;
	ct->timeout = 0;
	memset(&ct->zeroed, 0, sizeof(ct->zeroed));
	/* order the fields above before a reader can take a reference */
	smp_wmb();
	refcount_set(&ct->use, 1);
	wbct_stat_inc(cn, WBCT_STAT_NEW);
	return ct;
}

/*
 * Insert the unconfirmed @ct (its reference passes to the table). If the
 * same connection got in first, @ct is freed and the winner's id is
 * returned, else @ct's.
 */
static u32 wbct_insert(struct wbct *ct, struct wbct_net *cn)
{
	struct net *net = wbct_net(ct);
	struct hlist_nulls_node *n;
	struct wbct *old;
	struct wbct_key k;
	unsigned int b;
	u32 id;
	u8 dir;

	/* either direction: the other end may have opened it meanwhile */
	wbct_key_init(&k, &ct->t);
	b = wbct_key_bucket(&k, net);
	spin_lock(wbct_lock_of(b));
	hlist_nulls_for_each_entry(old, n, &wbct_hash[b], node) {
		if (wbct_key_match(old, &k, net, &dir) && !wbct_expired(old)) {
			id = old->id;
			spin_unlock(wbct_lock_of(b));
			wbct_stat_inc(cn, WBCT_STAT_INSERT_FAILED);
			wbct_discard(cn, ct);
			return id;
		}
	}
	do {
		id = atomic_inc_return(&cn->next_id);
	} while (!id);
	ct->id = id;
	WRITE_ONCE(ct->timeout, (u32)jiffies + READ_ONCE(ct->timeout));
	/* ours for the event below: the table's may go at once */
	refcount_inc(&ct->use);
	hlist_nulls_add_head_rcu(&ct->node, &wbct_hash[b]);
	/* after the timeout, as nf_conntrack (commit 2d72afb34065) */
	smp_mb__before_atomic();
	atomic_or(BIT(WBCT_CONFIRMED), &ct->status);
	spin_unlock(wbct_lock_of(b));
	wbct_stat_inc(cn, WBCT_STAT_INSERT);
	wbnf_ct_event(ct, WBNF_CT_EVENT_NEW);
	wbct_put(ct);
	return id;
}

/* ---- tuples ---- */

static bool wbct_icmp_is_error(u8 family, u8 type)
{
	if (family == AF_INET)
		return type == ICMP_DEST_UNREACH || type == ICMP_SOURCE_QUENCH ||
		       type == ICMP_REDIRECT || type == ICMP_TIME_EXCEEDED ||
		       type == ICMP_PARAMETERPROB;
	return type < 128;
}

/* The ICMP queries that open a connection, and their answers */
static const u8 wbct_icmp_pairs[2][4][2] = {
	{
		{ ICMP_ECHO, ICMP_ECHOREPLY },
		{ ICMP_TIMESTAMP, ICMP_TIMESTAMPREPLY },
		{ ICMP_INFO_REQUEST, ICMP_INFO_REPLY },
		{ ICMP_ADDRESS, ICMP_ADDRESSREPLY },
	}, {
		{ ICMPV6_ECHO_REQUEST, ICMPV6_ECHO_REPLY },
		{ ICMPV6_NI_QUERY, ICMPV6_NI_REPLY },
		{ ICMPV6_ECHO_REQUEST, ICMPV6_ECHO_REPLY },	/* padding */
		{ ICMPV6_NI_QUERY, ICMPV6_NI_REPLY },
	},
};

/* The other half of @type's pair: @half 0 finds a query's answer, 1 an
 * answer's query; -1 if @type is not that half of a pair.
 */
static int wbct_icmp_other(u8 family, u8 type, int half)
{
	const u8 (*p)[2] = wbct_icmp_pairs[family == AF_INET6];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(wbct_icmp_pairs[0]); i++)
		if (p[i][half] == type)
			return p[i][!half];
	return -1;
}

/* The reply type of a query that may start a connection, else -1. */
static int wbct_icmp_reply_type(u8 family, u8 type)
{
	return wbct_icmp_other(family, type, 0);
}

/* The request type a reply answers, else -1. */
static int wbct_icmp_request_type(u8 family, u8 type)
{
	return wbct_icmp_other(family, type, 1);
}

/* The query types whose identifier struct wbnf_pkt carries */
static bool wbct_icmp_echo(u8 family, u8 type)
{
	return family == AF_INET ? type == ICMP_ECHO :
				   type == ICMPV6_ECHO_REQUEST;
}

/* The tuple of @pkt, as it travels; false when it has none (truncated). */
static bool wbct_pkt_tuple(const struct wbnf_pkt *pkt, struct wbct_tuple *t)
{
	memset(t, 0, sizeof(*t));
	t->family = pkt->family;
	t->proto = pkt->proto;
	t->src = pkt->src;
	t->dst = pkt->dst;
	if (wbct_has_ports(pkt->proto)) {
		if (!pkt->l4)
			return false;
		t->sport = pkt->sport;
		t->dport = pkt->dport;
	} else if (wbct_is_icmp(pkt->family, pkt->proto)) {
		if (!pkt->l4)
			return false;
		t->sport = pkt->echo ? pkt->icmp_id : 0;
		t->dport = pkt->icmp_type << 8 | pkt->icmp_code;
	} else if (!pkt->proto) {
		return false;	/* a broken IPv6 header chain */
	}
	return true;
}

/* What the other side's packets look like; false if it can have none. */
bool wbct_invert(const struct wbct_tuple *t, struct wbct_tuple *r)
{
	*r = *t;
	r->src = t->dst;
	r->dst = t->src;
	if (wbct_has_ports(t->proto)) {
		r->sport = t->dport;
		r->dport = t->sport;
	} else if (wbct_is_icmp(t->family, t->proto)) {
		int type = wbct_icmp_reply_type(t->family, t->dport >> 8);

		if (type < 0)
			type = wbct_icmp_request_type(t->family, t->dport >> 8);
		if (type < 0)
			return false;
		r->dport = type << 8 | (t->dport & 0xff);
	}
	return true;
}

/*
 * The tuple of the packet quoted in an ICMP error at @off: the header of
 * a packet one of the two ends sent, so it is one of an entry's tuples.
 */
static bool wbct_inner_tuple(const struct sk_buff *skb, unsigned int off,
			     u8 family, struct wbct_tuple *t)
{
	union {
		struct iphdr ip;
		struct ipv6hdr ip6;
		struct icmphdr icmp;
		struct udphdr ports;
	} _h;
	const void *h;

	memset(t, 0, sizeof(*t));
	t->family = family;
	if (family == AF_INET) {
		const struct iphdr *iph;

		iph = skb_header_pointer(skb, off, sizeof(_h.ip), &_h.ip);
		if (!iph || iph->version != 4 || iph->ihl < 5 ||
		    (ntohs(iph->frag_off) & IP_OFFSET))
			return false;
		t->src.ip = iph->saddr;
		t->dst.ip = iph->daddr;
		t->proto = iph->protocol;
		off += iph->ihl * 4;
	} else {
		const struct ipv6hdr *ip6h;
		__be16 frag_off;
		u8 nexthdr;
		int hoff;

		ip6h = skb_header_pointer(skb, off, sizeof(_h.ip6), &_h.ip6);
		if (!ip6h || ip6h->version != 6)
			return false;
		t->src.in6 = ip6h->saddr;
		t->dst.in6 = ip6h->daddr;
		nexthdr = ip6h->nexthdr;
		hoff = ipv6_skip_exthdr(skb, off + sizeof(*ip6h), &nexthdr,
					&frag_off);
		if (hoff < 0 || (frag_off & htons(~0x7)))
			return false;
		t->proto = nexthdr;
		off = hoff;
	}
	if (wbct_has_ports(t->proto)) {
		h = skb_header_pointer(skb, off, sizeof(_h.ports), &_h.ports);
		if (!h)
			return false;
		t->sport = ntohs(((const struct udphdr *)h)->source);
		t->dport = ntohs(((const struct udphdr *)h)->dest);
	} else if (wbct_is_icmp(family, t->proto)) {
		const struct icmphdr *ih;

		ih = skb_header_pointer(skb, off, sizeof(_h.icmp), &_h.icmp);
		/* an error about an error is nothing of ours */
		if (!ih || wbct_icmp_is_error(family, ih->type) ||
		    wbct_icmp_reply_type(family, ih->type) < 0)
			return false;
		if (wbct_icmp_echo(family, ih->type))
			t->sport = ntohs(ih->un.echo.id);
		t->dport = ih->type << 8 | ih->code;
	}
	return true;
}

/* ---- protocols ---- */

/* Rooij's window checks, after nf_conntrack's tcp_in_window() */
#define WBCT_MAXACKWINCONST	66000

static u32 wbct_maxackwindow(const struct wbct_tcp_dir *s)
{
	return max_t(u32, s->maxwin, WBCT_MAXACKWINCONST);
}

/* Window scaling is on when both SYNs offered it (RFC 7323, 2.2). */
static u8 wbct_tcp_scale(const struct wbct_tcp *tcp, u8 dir)
{
	return tcp->wscale[0] != WBCT_NO_WSCALE &&
	       tcp->wscale[1] != WBCT_NO_WSCALE ? tcp->wscale[dir] : 0;
}

static u8 wbct_tcp_wscale(const struct sk_buff *skb, unsigned int thoff,
			  const struct tcphdr *th)
{
	unsigned char buf[MAX_TCP_OPTION_SPACE];
	int len = th->doff * 4 - sizeof(*th);
	const unsigned char *p;

	if (len <= 0)
		return WBCT_NO_WSCALE;
	p = skb_header_pointer(skb, thoff + sizeof(*th), len, buf);
	if (!p)
		return WBCT_NO_WSCALE;
	while (len > 0) {
		int op = *p++, size;

		if (op == TCPOPT_EOL)
			break;
		if (op == TCPOPT_NOP) {
			len--;
			continue;
		}
		if (len < 2)
			break;
		size = *p++;
		if (size < 2 || size > len)
			break;
		if (op == TCPOPT_WINDOW && size == TCPOLEN_WINDOW)
			return min_t(u8, *p, TCP_MAX_WSCALE);
		p += size - 2;
		len -= size;
	}
	return WBCT_NO_WSCALE;
}

enum { WBCT_TCP_INVALID, WBCT_TCP_IGNORE, WBCT_TCP_ACCEPT };

/*
 * Is the segment in the window? As nf_conntrack's tcp_in_window(): beyond
 * what the peer allowed, or acknowledging what was never sent, is INVALID;
 * below the window (a late retransmission, an old duplicate ACK) is let
 * through without changing anything (IGNORE).
 */
static int wbct_tcp_window(struct wbct *ct, u8 dir, u8 old,
			   const struct sk_buff *skb, unsigned int thoff,
			   const struct tcphdr *th, u32 len)
{
	struct wbct_tcp_dir *s = &ct->tcp.dir[dir], *r = &ct->tcp.dir[!dir];
	u32 seq = ntohl(th->seq), ack = ntohl(th->ack_seq);
	u32 win = ntohs(th->window);
	u32 end = seq + len + th->syn + th->fin;

	if (!s->maxwin) {
		/* nothing seen from this side yet: only its SYN(-ACK) ... */
		if (th->rst)	/* ... or a RST refusing the SYN */
			return old == WBNF_TCP_SYN_SENT &&
			       dir == WBNF_CT_DIR_REPLY &&
			       (!th->ack || ack == r->end) ?
			       WBCT_TCP_ACCEPT : WBCT_TCP_INVALID;
		if (!th->syn)
			return WBCT_TCP_INVALID;
		/* the SYN-ACK, or the other SYN of a simultaneous open */
		s->end = end;
		s->maxend = end;
		s->maxwin = win ? win : 1;
		ct->tcp.wscale[dir] = wbct_tcp_wscale(skb, thoff, th);
		if (!th->ack)
			return WBCT_TCP_ACCEPT;
	} else if (th->syn && after(end, s->end) &&
		   ((old == WBNF_TCP_SYN_SENT && dir == WBNF_CT_DIR_ORIGINAL) ||
		    (old == WBNF_TCP_SYN_RECV && dir == WBNF_CT_DIR_REPLY))) {
		/* a TCP restarted with a higher ISN (RFC 793): start again */
		s->end = end;
		s->maxend = end;
		s->maxwin = win ? win : 1;
		ct->tcp.wscale[dir] = wbct_tcp_wscale(skb, thoff, th);
	}
	if (!th->ack) {
		ack = r->end;
	} else if (th->rst && !ack) {
		/* stacks that set ACK on a RST with a zero ack number */
		ack = r->end;
	}
	if (th->rst && !seq && old == WBNF_TCP_SYN_SENT) {
		/* a RST answering a SYN */
		seq = s->end;
		end = s->end;
	}

	if (after(seq, s->maxend) || after(ack, r->end))
		return WBCT_TCP_INVALID;
	if ((r->maxwin && !after(end, s->end - r->maxwin - 1)) ||
	    !after(ack, r->end - wbct_maxackwindow(s) - 1))
		return WBCT_TCP_IGNORE;

	if (!th->syn)
		win <<= wbct_tcp_scale(&ct->tcp, dir);
	if (s->maxwin < win)
		s->maxwin = win;
	if (after(end, s->end))
		s->end = end;
	if (r->maxwin && after(end, s->maxend))
		r->maxwin += end - s->maxend;
	if (after(ack + win, r->maxend - 1))
		r->maxend = ack + (win ? win : 1);
	return WBCT_TCP_ACCEPT;
}

/* nf_conntrack_proto_tcp.c's table: [dir][flags][old state] */
#define TNO WBNF_TCP_NONE
#define TSS WBNF_TCP_SYN_SENT
#define TSR WBNF_TCP_SYN_RECV
#define TES WBNF_TCP_ESTABLISHED
#define TFW WBNF_TCP_FIN_WAIT
#define TCW WBNF_TCP_CLOSE_WAIT
#define TLA WBNF_TCP_LAST_ACK
#define TTW WBNF_TCP_TIME_WAIT
#define TCL WBNF_TCP_CLOSE
#define TS2 WBNF_TCP_SYN_SENT2
#define TIV __WBNF_TCP_MAX		/* invalid */
#define TIG (__WBNF_TCP_MAX + 1)	/* ignore: no state change */

enum { WBCT_SYN, WBCT_SYNACK, WBCT_FIN, WBCT_ACK, WBCT_RST, WBCT_NONE };

static const u8 wbct_tcp_states[2][6][__WBNF_TCP_MAX] = {
	{
/*	     TNO, TSS, TSR, TES, TFW, TCW, TLA, TTW, TCL, TS2 */
/*syn*/	   { TSS, TSS, TIG, TIG, TIG, TIG, TIG, TSS, TSS, TS2 },
/*synack*/ { TIV, TIV, TSR, TIV, TIV, TIV, TIV, TIV, TIV, TSR },
/*fin*/	   { TIV, TIV, TFW, TFW, TLA, TLA, TLA, TTW, TCL, TIV },
/*ack*/	   { TIV, TIV, TES, TES, TCW, TCW, TTW, TTW, TCL, TIV },
/*rst*/	   { TIV, TCL, TCL, TCL, TCL, TCL, TCL, TCL, TCL, TCL },
/*none*/   { TIV, TIV, TIV, TIV, TIV, TIV, TIV, TIV, TIV, TIV },
	},
	{
/*	     TNO, TSS, TSR, TES, TFW, TCW, TLA, TTW, TCL, TS2 */
/*syn*/	   { TIV, TS2, TIV, TIV, TIV, TIV, TIV, TSS, TIV, TS2 },
/*synack*/ { TIV, TSR, TIG, TIG, TIG, TIG, TIG, TIG, TIG, TSR },
/*fin*/	   { TIV, TIV, TFW, TFW, TLA, TLA, TLA, TTW, TCL, TIV },
/*ack*/	   { TIV, TIG, TSR, TES, TCW, TCW, TTW, TTW, TCL, TIG },
/*rst*/	   { TIV, TCL, TCL, TCL, TCL, TCL, TCL, TCL, TCL, TCL },
/*none*/   { TIV, TIV, TIV, TIV, TIV, TIV, TIV, TIV, TIV, TIV },
	},
};

static const u8 wbct_tcp_timeout[__WBNF_TCP_MAX] = {
	[WBNF_TCP_SYN_SENT]	= WBCT_TO_SYN_SENT,
	[WBNF_TCP_SYN_RECV]	= WBCT_TO_SYN_RECV,
	[WBNF_TCP_ESTABLISHED]	= WBCT_TO_ESTABLISHED,
	[WBNF_TCP_FIN_WAIT]	= WBCT_TO_FIN_WAIT,
	[WBNF_TCP_CLOSE_WAIT]	= WBCT_TO_CLOSE_WAIT,
	[WBNF_TCP_LAST_ACK]	= WBCT_TO_LAST_ACK,
	[WBNF_TCP_TIME_WAIT]	= WBCT_TO_TIME_WAIT,
	[WBNF_TCP_CLOSE]	= WBCT_TO_CLOSE,
	[WBNF_TCP_SYN_SENT2]	= WBCT_TO_SYN_SENT,
};

/* The flag combinations a TCP segment may carry (PSH, ECE, CWR aside). */
static const u8 wbct_tcp_valid_flags[(TCPHDR_FIN | TCPHDR_SYN | TCPHDR_RST |
				      TCPHDR_ACK | TCPHDR_URG) + 1] = {
	[TCPHDR_SYN]				= 1,
	[TCPHDR_SYN | TCPHDR_URG]		= 1,
	[TCPHDR_SYN | TCPHDR_ACK]		= 1,
	[TCPHDR_RST]				= 1,
	[TCPHDR_RST | TCPHDR_ACK]		= 1,
	[TCPHDR_FIN | TCPHDR_ACK]		= 1,
	[TCPHDR_FIN | TCPHDR_ACK | TCPHDR_URG]	= 1,
	[TCPHDR_ACK]				= 1,
	[TCPHDR_ACK | TCPHDR_URG]		= 1,
};

/* The TCP header of @pkt if it is a sane one, else NULL. */
static const struct tcphdr *wbct_tcp_header(const struct sk_buff *skb,
					    const struct wbnf_pkt *pkt,
					    struct tcphdr *buf, u32 *len)
{
	const struct tcphdr *th;
	u8 flags;

	th = skb_header_pointer(skb, pkt->thoff, sizeof(*buf), buf);
	if (!th || th->doff < 5 || pkt->thoff + th->doff * 4 > skb->len)
		return NULL;
	flags = tcp_flag_byte(th) & ~(TCPHDR_ECE | TCPHDR_CWR | TCPHDR_PSH);
	if (!wbct_tcp_valid_flags[flags])
		return NULL;
	*len = skb->len - pkt->thoff - th->doff * 4;
	return th;
}

static unsigned int wbct_tcp_index(const struct tcphdr *th)
{
	if (th->rst)
		return WBCT_RST;
	if (th->syn)
		return th->ack ? WBCT_SYNACK : WBCT_SYN;
	if (th->fin)
		return WBCT_FIN;
	return th->ack ? WBCT_ACK : WBCT_NONE;
}

/* A new connection's first segment: a SYN, and nothing else. */
static bool wbct_tcp_new(struct wbct *ct, struct wbct_net *cn,
			 const struct sk_buff *skb, const struct wbnf_pkt *pkt)
{
	const struct tcphdr *th;
	struct tcphdr _th;
	u32 len;

	th = wbct_tcp_header(skb, pkt, &_th, &len);
	if (!th || wbct_tcp_index(th) != WBCT_SYN)
		return false;
	spin_lock_init(&ct->tcp.lock);
	ct->tcp.state = WBNF_TCP_SYN_SENT;
	ct->tcp.dir[0].end = ntohl(th->seq) + len + 1;
	ct->tcp.dir[0].maxend = ct->tcp.dir[0].end;
	ct->tcp.dir[0].maxwin = max_t(u32, ntohs(th->window), 1);
	ct->tcp.wscale[0] = wbct_tcp_wscale(skb, pkt->thoff, th);
	ct->tcp.wscale[1] = WBCT_NO_WSCALE;
	ct->timeout = wbct_timeout(cn, WBCT_TO_SYN_SENT);
	return true;
}

/* A TCP segment of a known connection; false: INVALID. tcp.lock held. */
static bool wbct_tcp(struct wbct *ct, struct wbct_net *cn, u8 dir,
		     const struct sk_buff *skb, const struct wbnf_pkt *pkt,
		     bool *changed)
{
	const struct tcphdr *th;
	struct tcphdr _th;
	u8 old, new;
	u32 len;

	th = wbct_tcp_header(skb, pkt, &_th, &len);
	if (!th)
		return false;
	old = ct->tcp.state;
	new = wbct_tcp_states[dir][wbct_tcp_index(th)][old];
	if (new == TIV)
		return false;
	if (new == TIG)
		return true;	/* e.g. a retransmitted SYN-ACK: let it be */
	switch (wbct_tcp_window(ct, dir, old, skb, pkt->thoff, th, len)) {
	case WBCT_TCP_INVALID:
		return false;
	case WBCT_TCP_IGNORE:
		return true;
	}
	if (new != old) {
		WRITE_ONCE(ct->tcp.state, new);
		*changed = true;
	}
	/* the three-way handshake completed */
	if (new == WBNF_TCP_ESTABLISHED &&
	    (old == WBNF_TCP_SYN_RECV || old == WBNF_TCP_ESTABLISHED) &&
	    !wbct_test_and_set(ct, WBCT_ASSURED))
		*changed = true;
	WRITE_ONCE(ct->timeout,
		   (u32)jiffies + wbct_timeout(cn, wbct_tcp_timeout[new]));
	return true;
}

/* A packet of a known entry: state machine, timeout, counters. */
static bool wbct_update(struct wbct *ct, struct wbct_net *cn, u8 dir,
			const struct sk_buff *skb, const struct wbnf_pkt *pkt)
{
	bool changed = false, ok = true;
	unsigned int to;

	switch (pkt->proto) {
	case IPPROTO_TCP:
		spin_lock(&ct->tcp.lock);
		ok = wbct_tcp(ct, cn, dir, skb, pkt, &changed);
		spin_unlock(&ct->tcp.lock);
		break;
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
		/* both ways for two seconds: a stream, worth keeping */
		to = wbct_timeout(cn, WBCT_TO_UDP);
		if (wbct_test(ct, WBCT_SEEN_REPLY) &&
		    time_after32((u32)jiffies, ct->udp_stream)) {
			to = wbct_timeout(cn, WBCT_TO_UDP_STREAM);
			if (!wbct_test_and_set(ct, WBCT_ASSURED))
				changed = true;
		}
		WRITE_ONCE(ct->timeout, (u32)jiffies + to);
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		WRITE_ONCE(ct->timeout,
			   (u32)jiffies + wbct_timeout(cn, WBCT_TO_ICMP));
		break;
	default:
		WRITE_ONCE(ct->timeout,
			   (u32)jiffies + wbct_timeout(cn, WBCT_TO_GENERIC));
	}
	if (!ok)
		return false;
	atomic64_inc(&ct->packets[dir]);
	atomic64_add(skb->len, &ct->bytes[dir]);
	if (dir == WBNF_CT_DIR_REPLY &&
	    !wbct_test_and_set(ct, WBCT_SEEN_REPLY))
		changed = true;
	if (changed)
		wbnf_ct_event(ct, WBNF_CT_EVENT_UPDATE);
	return true;
}

/* May @pkt open a connection? Sets up the new entry's protocol state. */
static bool wbct_new(struct wbct *ct, struct wbct_net *cn,
		     const struct sk_buff *skb, const struct wbnf_pkt *pkt)
{
	switch (pkt->proto) {
	case IPPROTO_TCP:
		if (!wbct_tcp_new(ct, cn, skb, pkt))
			return false;
		break;
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
		ct->timeout = wbct_timeout(cn, WBCT_TO_UDP);
		/* still talking both ways after that: a stream */
		ct->udp_stream = (u32)jiffies + 2 * HZ;
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		if (wbct_icmp_reply_type(pkt->family, pkt->icmp_type) < 0)
			return false;
		ct->timeout = wbct_timeout(cn, WBCT_TO_ICMP);
		break;
	default:
		ct->timeout = wbct_timeout(cn, WBCT_TO_GENERIC);
	}
	atomic64_set(&ct->packets[0], 1);
	atomic64_set(&ct->bytes[0], skb->len);
	return true;
}

/* Could @pkt start a connection (without making one)? */
static bool wbct_may_start(const struct sk_buff *skb,
			   const struct wbnf_pkt *pkt)
{
	const struct tcphdr *th;
	struct tcphdr _th;
	u32 len;

	switch (pkt->proto) {
	case IPPROTO_TCP:
		th = wbct_tcp_header(skb, pkt, &_th, &len);
		return th && wbct_tcp_index(th) == WBCT_SYN;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		return wbct_icmp_reply_type(pkt->family, pkt->icmp_type) >= 0;
	}
	return true;
}

/* ---- pending: a packet's verdict from its first hook to confirmation ---- */

/*
 * The slots of an skb: a group of WBCT_PEND_WAYS, under the group's lock.
 * A slot is taken by a packet at its first hook and given back at its
 * confirmation; a slot older than WBCT_PEND_LIFETIME belongs to a packet
 * that someone dropped on the way, and is reclaimed. A fresh slot is never
 * taken from another packet: when a group is full, the new entry is
 * inserted at once instead (wbct_in()).
 */
static u32 wbct_pkt_check(const struct wbnf_pkt *pkt)
{
	return pkt->ident ^ pkt->len << 16 ^ pkt->proto;
}

static unsigned int wbct_pend_group(const struct sk_buff *skb)
{
	return hash_ptr(skb, WBCT_PEND_BITS - WBCT_PEND_WAYS_BITS);
}

static bool wbct_pend_stale(const struct wbct_pend *p)
{
	return !time_before(jiffies, p->stamp + WBCT_PEND_LIFETIME);
}

/* Lockless: may @skb have a slot? (false: surely not) */
static bool wbct_pend_maybe(struct wbct_net *cn, const struct sk_buff *skb)
{
	struct wbct_pend *p = &cn->pend[wbct_pend_group(skb) * WBCT_PEND_WAYS];
	unsigned int i;

	for (i = 0; i < WBCT_PEND_WAYS; i++)
		if (READ_ONCE(p[i].skb) == skb)
			return true;
	return false;
}

/* @skb's slot, or NULL; group lock held */
static struct wbct_pend *wbct_pend_find(struct wbct_net *cn,
					const struct sk_buff *skb)
{
	struct wbct_pend *p = &cn->pend[wbct_pend_group(skb) * WBCT_PEND_WAYS];
	unsigned int i;

	for (i = 0; i < WBCT_PEND_WAYS; i++)
		if (p[i].skb == skb)
			return &p[i];
	return NULL;
}

static spinlock_t *wbct_pend_lock(struct wbct_net *cn,
				  const struct sk_buff *skb)
{
	return &cn->pend_lock[wbct_pend_group(skb)];
}

/* Empty @p; its unconfirmed entry, if any, into *@old. Group lock held. */
static void wbct_pend_clear(struct wbct_pend *p, struct wbct **old)
{
	*old = p->ct;
	p->ct = NULL;
	WRITE_ONCE(p->skb, NULL);
}

/*
 * Keep @skb's verdict from @pkt (and its unconfirmed entry @ct). False if
 * its group has no free slot. BH off.
 */
static bool wbct_pend_store(struct wbct_net *cn, const struct sk_buff *skb,
			    const struct wbnf_pkt *pkt, struct wbct *ct)
{
	struct wbct_pend *g = &cn->pend[wbct_pend_group(skb) * WBCT_PEND_WAYS];
	struct wbct *stale[WBCT_PEND_WAYS] = {};
	struct wbct_pend *p = NULL;
	unsigned int i;

	spin_lock(wbct_pend_lock(cn, skb));
	for (i = 0; i < WBCT_PEND_WAYS; i++) {
		if (g[i].skb && g[i].skb != skb && wbct_pend_stale(&g[i]))
			wbct_pend_clear(&g[i], &stale[i]);
		if (!g[i].skb && !p)
			p = &g[i];
	}
	if (p) {
		p->stamp = jiffies;
		p->ct = ct;
		p->check = wbct_pkt_check(pkt);
		p->id = pkt->ct.id;
		p->state = pkt->ct.state;
		p->dir = pkt->ct.dir;
		p->loop = false;
		WRITE_ONCE(p->skb, skb);
	}
	spin_unlock(wbct_pend_lock(cn, skb));
	for (i = 0; i < WBCT_PEND_WAYS; i++)
		if (stale[i])
			wbct_discard(cn, stale[i]);
	return p;
}

/* Copy @skb's pending verdict into @pkt; false if there is none. BH off. */
static bool wbct_pend_peek(struct wbct_net *cn, const struct sk_buff *skb,
			   struct wbnf_pkt *pkt, bool *loop)
{
	struct wbct_pend *p;
	bool mine = false;

	if (!wbct_pend_maybe(cn, skb))
		return false;
	spin_lock(wbct_pend_lock(cn, skb));
	p = wbct_pend_find(cn, skb);
	if (p && p->check == wbct_pkt_check(pkt) && !wbct_pend_stale(p)) {
		pkt->ct.state = p->state;
		pkt->ct.dir = p->dir;
		pkt->ct.id = p->id;
		*loop = p->loop;
		mine = true;
	}
	spin_unlock(wbct_pend_lock(cn, skb));
	return mine;
}

/* Give back @skb's slot, if it has one; its unconfirmed entry goes too. */
static void wbct_pend_drop(struct wbct_net *cn, const struct sk_buff *skb)
{
	struct wbct *old = NULL;
	struct wbct_pend *p;

	if (!wbct_pend_maybe(cn, skb))
		return;
	spin_lock_bh(wbct_pend_lock(cn, skb));
	p = wbct_pend_find(cn, skb);
	if (p)
		wbct_pend_clear(p, &old);
	spin_unlock_bh(wbct_pend_lock(cn, skb));
	if (old)
		wbct_discard(cn, old);
}

/* The packet is gone (dropped): its unconfirmed entry goes with it. */
void wbct_forget(struct wbnf_net *wn, const struct sk_buff *skb)
{
	wbct_pend_drop(&wn->ct, skb);
}

/* ---- the packet path ---- */

/*
 * The last packet wbct_in() judged on this CPU. Its later hooks (FORWARD,
 * LOCAL_IN, POST_ROUTING) nearly always run right after, on the same CPU,
 * in the same softirq: they take its verdict from here rather than look
 * it up again. Checked as a pending slot is: the same netns, skb, IP id,
 * length and protocol; anything else (the packet was queued, or another
 * one came in between) is a miss, and a lookup. BH off.
 */
struct wbct_last {
	const struct sk_buff *skb;
	const struct wbct_net *cn;
	u32 check;
	struct wbct_info ct;
};

static DEFINE_PER_CPU(struct wbct_last, wbct_last);

static void wbct_last_store(const struct wbct_net *cn,
			    const struct sk_buff *skb,
			    const struct wbnf_pkt *pkt)
{
	struct wbct_last *l = this_cpu_ptr(&wbct_last);

	l->skb = skb;
	l->cn = cn;
	l->check = wbct_pkt_check(pkt);
	l->ct = pkt->ct;
}

static bool wbct_last_peek(const struct wbct_net *cn,
			   const struct sk_buff *skb, struct wbnf_pkt *pkt)
{
	const struct wbct_last *l = this_cpu_ptr(&wbct_last);

	if (l->skb != skb || l->cn != cn || l->check != wbct_pkt_check(pkt))
		return false;
	pkt->ct = l->ct;
	return true;
}

static void wbct_set(struct wbnf_pkt *pkt, u8 state, const struct wbct *ct,
		     u8 dir)
{
	pkt->ct.state = state;
	pkt->ct.dir = dir;
	pkt->ct.id = ct ? ct->id : 0;
}

/* The state of a packet of a known entry, @dir its direction. */
static u8 wbct_state_of(const struct wbct *ct, u8 dir)
{
	return dir == WBNF_CT_DIR_REPLY ||
	       wbct_test(ct, WBCT_SEEN_REPLY) ?
	       WBNF_CT_STATE_ESTABLISHED : WBNF_CT_STATE_NEW;
}

/* An ICMP error: RELATED to the entry of the packet it quotes. */
static void wbct_related(struct wbnf_net *wn, const struct sk_buff *skb,
			 struct wbnf_pkt *pkt)
{
	struct wbct_net *cn = &wn->ct;
	struct wbct_tuple t;
	struct wbct *ct;
	u8 dir;

	if (!wbct_inner_tuple(skb, pkt->thoff + sizeof(struct icmphdr),
			      pkt->family, &t)) {
		wbct_set(pkt, WBNF_CT_STATE_INVALID, NULL, 0);
		return;
	}
	ct = wbct_find_get(wn->net, cn, &t, &dir);
	if (!ct) {
		wbct_set(pkt, WBNF_CT_STATE_INVALID, NULL, 0);
		return;
	}
	/* the quoted packet went one way: the error goes the other */
	wbct_set(pkt, WBNF_CT_STATE_RELATED, ct, !dir);
	wbct_put(ct);
}

static bool wbct_is_icmp_error(const struct wbnf_pkt *pkt)
{
	return pkt->l4 && wbct_is_icmp(pkt->family, pkt->proto) &&
	       wbct_icmp_is_error(pkt->family, pkt->icmp_type);
}

/*
 * IPv6 neighbour discovery and MLD: not tracked, as in nf_conntrack
 * (noct_valid_new[] in nf_conntrack_proto_icmpv6.c).
 */
static bool wbct_no_track(const struct wbnf_pkt *pkt)
{
	if (pkt->proto != IPPROTO_ICMPV6 || !pkt->l4)
		return false;
	switch (pkt->icmp_type) {
	case ICMPV6_MGM_QUERY:
	case ICMPV6_MGM_REPORT:
	case ICMPV6_MGM_REDUCTION:
	case NDISC_ROUTER_SOLICITATION:
	case NDISC_ROUTER_ADVERTISEMENT:
	case NDISC_NEIGHBOUR_SOLICITATION:
	case NDISC_NEIGHBOUR_ADVERTISEMENT:
	case ICMPV6_MLD2_REPORT:
		return true;
	}
	return false;
}

/* A packet this host sends to itself (at LOCAL_OUT: routed to lo). */
static bool wbct_to_loopback(const struct sk_buff *skb,
			     const struct wbnf_pkt *pkt)
{
	const struct dst_entry *dst = skb_dst(skb);

	return pkt->hook == NF_INET_LOCAL_OUT && dst && dst->dev &&
	       (dst->dev->flags & IFF_LOOPBACK);
}

/*
 * The first hook (PRE_ROUTING, LOCAL_OUT): track the packet. False: the
 * table is full, drop it. BH off, RCU.
 */
bool wbct_in(struct wbnf_net *wn, struct sk_buff *skb, struct wbnf_pkt *pkt,
	     bool untracked)
{
	struct wbct_net *cn = &wn->ct;
	struct wbct_tuple t, r;
	struct wbct *ct;
	bool loop;
	u8 dir;

	/* the second walk of a packet we sent to ourselves: done already */
	if (pkt->hook == NF_INET_PRE_ROUTING && pkt->in &&
	    (pkt->in->flags & IFF_LOOPBACK) &&
	    wbct_pend_peek(cn, skb, pkt, &loop) && loop)
		return true;
	/* an earlier packet's slot at this skb's address is no longer news */
	wbct_pend_drop(cn, skb);

	if (untracked || wbct_no_track(pkt)) {
		wbct_stat_inc(cn, WBCT_STAT_UNTRACKED);
		wbct_set(pkt, WBNF_CT_STATE_UNTRACKED, NULL, 0);
		goto counted;
	}
	if (wbct_is_icmp_error(pkt)) {
		wbct_related(wn, skb, pkt);
		goto counted;
	}
	if (!wbct_pkt_tuple(pkt, &t)) {
		wbct_set(pkt, WBNF_CT_STATE_INVALID, NULL, 0);
		goto counted;
	}
again:
	ct = wbct_find_get(wn->net, cn, &t, &dir);
	if (ct) {
		/* a new SYN on a closed connection's tuple: start over */
		if (pkt->proto == IPPROTO_TCP &&
		    dir == WBNF_CT_DIR_ORIGINAL &&
		    (pkt->tcp_flags & (TCPHDR_SYN | TCPHDR_ACK | TCPHDR_RST)) ==
		    TCPHDR_SYN &&
		    (READ_ONCE(ct->tcp.state) == WBNF_TCP_TIME_WAIT ||
		     READ_ONCE(ct->tcp.state) == WBNF_TCP_CLOSE)) {
			wbct_kill(ct);
			wbct_put(ct);
			goto again;
		}
		wbct_stat_inc(cn, WBCT_STAT_FOUND);
		if (wbct_update(ct, cn, dir, skb, pkt))
			wbct_set(pkt, wbct_state_of(ct, dir), ct, dir);
		else
			wbct_set(pkt, WBNF_CT_STATE_INVALID, ct, dir);
		wbct_put(ct);
		goto counted;
	}
	if (!wbct_invert(&t, &r) || !wbct_may_start(skb, pkt)) {
		wbct_set(pkt, WBNF_CT_STATE_INVALID, NULL, 0);
		goto counted;
	}
	ct = wbct_alloc(wn->net, cn, &t);
	if (!ct)
		return false;
	if (!wbct_new(ct, cn, skb, pkt)) {
		wbct_discard(cn, ct);
		wbct_set(pkt, WBNF_CT_STATE_INVALID, NULL, 0);
		goto counted;
	}
	wbct_set(pkt, WBNF_CT_STATE_NEW, NULL, 0);
	if (!wbct_pend_store(cn, skb, pkt, ct))
		/* no slot: the entry goes in now, dropped packet or not */
		pkt->ct.id = wbct_insert(ct, cn);
	wbct_last_store(cn, skb, pkt);
	return true;

counted:
	if (pkt->ct.state == WBNF_CT_STATE_INVALID)
		wbct_stat_inc(cn, WBCT_STAT_INVALID);
	/*
	 * The later hooks find an entry's packets by a lookup; what only
	 * this hook knows (INVALID, UNTRACKED), and the first walk of a
	 * packet to loopback, need a slot.
	 */
	if (pkt->ct.state & (WBNF_CT_STATE_INVALID | WBNF_CT_STATE_UNTRACKED) ||
	    wbct_to_loopback(skb, pkt))
		wbct_pend_store(cn, skb, pkt, NULL);
	wbct_last_store(cn, skb, pkt);
	return true;
}

/*
 * FORWARD, LOCAL_IN, POST_ROUTING: the verdict of the first hook. Without
 * one (its slot was taken), classify by the table. BH off, RCU.
 */
void wbct_lookup(struct wbnf_net *wn, struct sk_buff *skb,
		 struct wbnf_pkt *pkt)
{
	struct wbct_net *cn = &wn->ct;
	struct wbct_tuple t;
	struct wbct *ct;
	bool loop;
	u8 dir;

	if (wbct_pend_peek(cn, skb, pkt, &loop) ||
	    wbct_last_peek(cn, skb, pkt))
		return;
	if (wbct_is_icmp_error(pkt)) {
		wbct_related(wn, skb, pkt);
		return;
	}
	if (!wbct_pkt_tuple(pkt, &t)) {
		wbct_set(pkt, WBNF_CT_STATE_INVALID, NULL, 0);
		return;
	}
	ct = wbct_find_get(wn->net, cn, &t, &dir);
	if (ct) {
		wbct_set(pkt, wbct_state_of(ct, dir), ct, dir);
		wbct_put(ct);
		return;
	}
	wbct_set(pkt, wbct_may_start(skb, pkt) ? WBNF_CT_STATE_NEW :
		 WBNF_CT_STATE_INVALID, NULL, 0);
}

/*
 * LOCAL_IN and POST_ROUTING, last of all hooks: the packet made it, so
 * its new entry goes into the table.
 */
void wbct_confirm(struct wbnf_net *wn, struct sk_buff *skb,
		  const struct nf_hook_state *state)
{
	struct wbct_net *cn = &wn->ct;
	bool to_lo = state->hook == NF_INET_POST_ROUTING && state->out &&
		     (state->out->flags & IFF_LOOPBACK);
	struct wbct *ct = NULL;
	struct wbct_pend *p;

	if (!wbct_pend_maybe(cn, skb))
		return;
	local_bh_disable();
	spin_lock(wbct_pend_lock(cn, skb));
	p = wbct_pend_find(cn, skb);
	if (!p || wbct_pend_stale(p)) {
		spin_unlock(wbct_pend_lock(cn, skb));
		local_bh_enable();
		return;
	}
	ct = p->ct;
	p->ct = NULL;
	if (to_lo) {
		/* for its walk through PRE_ROUTING and LOCAL_IN on lo */
		p->loop = true;
		p->stamp = jiffies;
	} else {
		WRITE_ONCE(p->skb, NULL);
	}
	spin_unlock(wbct_pend_lock(cn, skb));
	if (ct) {
		u32 id = wbct_insert(ct, cn);

		if (to_lo) {
			spin_lock(wbct_pend_lock(cn, skb));
			p = wbct_pend_find(cn, skb);
			if (p)
				p->id = id;
			spin_unlock(wbct_pend_lock(cn, skb));
		}
	}
	local_bh_enable();
}

/* ---- control ---- */

bool wbct_filter_match(const struct wbct *ct, const struct wbct_filter *f)
{
	const struct wbct_tuple *t = &ct->t;
	unsigned int alen = t->family == AF_INET ? 4 : 16;

	if ((f->flags & WBCT_FILTER_FAMILY) && t->family != f->family)
		return false;
	if ((f->flags & WBCT_FILTER_PROTO) && t->proto != f->proto)
		return false;
	if ((f->flags & WBCT_FILTER_TCP_STATE) &&
	    (t->proto != IPPROTO_TCP ||
	     READ_ONCE(ct->tcp.state) != f->tcp_state))
		return false;
	if ((f->flags & WBCT_FILTER_STATUS) &&
	    (atomic_read(&ct->status) & f->status) != f->status)
		return false;
	/* an address filter comes with its family (wbct_parse_filter()) */
	if ((f->flags & WBCT_FILTER_SRC) && memcmp(&t->src, &f->src, alen))
		return false;
	if ((f->flags & WBCT_FILTER_DST) && memcmp(&t->dst, &f->dst, alen))
		return false;
	return true;
}

/*
 * Call @fn on each live entry of @net in @bucket (original direction) with
 * an id below @below_id (0: all), in the bucket's order, i.e. newest
 * first, under the bucket's lock. Stops at @fn's first non-zero return
 * and returns it.
 */
int wbct_walk_bucket(struct net *net, unsigned int bucket, u64 below_id,
		     wbct_walk_fn fn, void *arg)
{
	spinlock_t *lock = &wbct_locks[bucket % WBCT_LOCKS];
	struct hlist_nulls_node *n;
	struct wbct *ct;
	int ret = 0;

	if (hlist_nulls_empty(&wbct_hash[bucket]))
		return 0;
	spin_lock_bh(lock);
	hlist_nulls_for_each_entry(ct, n, &wbct_hash[bucket], node) {
		if (!net_eq(wbct_net(ct), net) || wbct_expired(ct) ||
		    (below_id && ct->id >= below_id))
			continue;
		ret = fn(ct, arg);
		if (ret)
			break;
	}
	spin_unlock_bh(lock);
	return ret;
}

/*
 * Remove the entries of bucket @b that @match() says (checked again once
 * referenced: the entry may have been freed and reused meanwhile); how
 * many. The bucket is walked from its head again after each removal.
 */
static unsigned int wbct_kill_where(unsigned int b,
				    bool (*match)(const struct wbct *ct,
						  const void *arg),
				    const void *arg, unsigned int *seen)
{
	struct hlist_nulls_node *n;
	unsigned int killed = 0;
	struct wbct *ct;

restart:
	rcu_read_lock();
	hlist_nulls_for_each_entry_rcu(ct, n, &wbct_hash[b], node) {
		bool ok;

		if (seen)
			(*seen)++;
		if (!wbct_test(ct, WBCT_CONFIRMED) || !match(ct, arg) ||
		    !refcount_inc_not_zero(&ct->use))
			continue;
		ok = wbct_test(ct, WBCT_CONFIRMED) && match(ct, arg);
		rcu_read_unlock();
		if (ok && wbct_kill(ct))
			killed++;
		wbct_put(ct);
		goto restart;
	}
	/* ended in another chain: this one may have more */
	if (get_nulls_value(n) != b) {
		rcu_read_unlock();
		goto restart;
	}
	rcu_read_unlock();
	return killed;
}

struct wbct_flush_arg {
	const struct net *net;
	const struct wbct_filter *f;
};

static bool wbct_flush_match(const struct wbct *ct, const void *arg)
{
	const struct wbct_flush_arg *a = arg;

	return net_eq(wbct_net(ct), a->net) &&
	       (!a->f || wbct_filter_match(ct, a->f));
}

unsigned int wbct_flush(struct net *net, const struct wbct_filter *f)
{
	struct wbct_flush_arg a = { .net = net, .f = f };
	unsigned int b, killed = 0;

	for (b = 0; b < wbct_hsize; b++) {
		if (!hlist_nulls_empty(&wbct_hash[b]))
			killed += wbct_kill_where(b, wbct_flush_match, &a,
						  NULL);
		cond_resched();
	}
	return killed;
}

void wbct_read_stats(struct wbct_net *cn, struct wbct_pcpu_stats *sum)
{
	unsigned int i;
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct wbct_pcpu_stats *s = per_cpu_ptr(cn->stats, cpu);

		for (i = 0; i < WBCT_STAT_NUM; i++)
			sum->v[i] += READ_ONCE(s->v[i]);
	}
}

/* ---- garbage collection ---- */

static bool wbct_gc_match(const struct wbct *ct, const void *arg)
{
	return wbct_expired(ct) && !wbct_test(ct, WBCT_DYING);
}

/*
 * A slice of the table per run, paced by what it finds. When at least an
 * eighth of the entries it looked at had expired, the next run comes
 * after 100 ms (a whole walk in 6.4 s); otherwise each run waits twice as
 * long as the one before, up to a second (a whole walk a minute, as
 * nf_conntrack's GC does at most). So an idle or long-lived table (a
 * million ESTABLISHED entries) costs next to nothing, and short-lived
 * entries are freed within a walk of their expiry. Nothing depends on the
 * GC being quick: lookups and dumps skip expired entries, lookups remove
 * the ones they meet, early drop takes them first.
 */
static void wbct_gc(struct work_struct *work)
{
	unsigned int i, n = max(wbct_hsize / WBCT_GC_SLICES, 1U);
	unsigned int seen = 0, expired = 0;

	for (i = 0; i < n; i++) {
		if (!hlist_nulls_empty(&wbct_hash[wbct_gc_next]))
			expired += wbct_kill_where(wbct_gc_next,
						   wbct_gc_match, NULL, &seen);
		wbct_gc_next = (wbct_gc_next + 1) % wbct_hsize;
		if (!(i % 64))
			cond_resched();
	}
	if (seen && expired >= max(seen >> WBCT_GC_EVICT_SHIFT, 1U))
		wbct_gc_interval = WBCT_GC_INTERVAL;
	else
		wbct_gc_interval = min(wbct_gc_interval * 2,
				       (unsigned long)WBCT_GC_MAX_INTERVAL);
	queue_delayed_work(system_power_efficient_wq, &wbct_gc_work,
			   wbct_gc_interval);
}

/* ---- setup ---- */

int wbct_net_init(struct wbnf_net *wn)
{
	struct wbct_net *cn = &wn->ct;
	unsigned int i;

	atomic_set(&cn->count, 0);
	atomic_set(&cn->next_id, 0);
	for (i = 0; i < ARRAY_SIZE(cn->pend_lock); i++)
		spin_lock_init(&cn->pend_lock[i]);
	for (i = 0; i < WBCT_TO_NUM; i++)
		cn->timeouts[i] = wbct_default_timeouts[i] * HZ;
	cn->stats = alloc_percpu_gfp(struct wbct_pcpu_stats,
				     GFP_KERNEL_ACCOUNT);
	if (!cn->stats)
		return -ENOMEM;
	return 0;
}

/* After the hooks are gone and a grace period: no packet is in here. */
void wbct_net_exit(struct wbnf_net *wn)
{
	struct wbct_net *cn = &wn->ct;
	unsigned int i;

	/* the collector must not hold one of ours while the netns goes */
	cancel_delayed_work_sync(&wbct_gc_work);
	wbct_flush(wn->net, NULL);
	/*
	 * A lookup elsewhere may hold a stale pointer to one of ours, freed
	 * and reused meanwhile, and look at its netns: it runs under RCU.
	 */
	synchronize_rcu();
	queue_delayed_work(system_power_efficient_wq, &wbct_gc_work,
			   WBCT_GC_INTERVAL);
	for (i = 0; i < ARRAY_SIZE(cn->pend); i++) {
		if (cn->pend[i].ct)
			wbct_discard(cn, cn->pend[i].ct);
		cn->pend[i].ct = NULL;
		cn->pend[i].skb = NULL;
	}
	WARN_ON_ONCE(atomic_read(&cn->count));
	free_percpu(cn->stats);
}

int wbct_init(void)
{
	unsigned int i;

	if (!wbct_hsize || wbct_hsize > (1U << 24)) {
		pr_err("wirebox: ct_hashsize must be 1..%u\n", 1U << 24);
		return -EINVAL;
	}
	if (!wbct_max || wbct_max > WBNF_CT_MAX_LIMIT) {
		pr_err("wirebox: ct_max must be 1..%u\n", WBNF_CT_MAX_LIMIT);
		return -EINVAL;
	}
	/*
	 * Not SLAB_HWCACHE_ALIGN, unlike nf_conntrack: it would round 144
	 * bytes up to 192. An entry is written by its own packets only.
	 */
	wbct_cache = wb_kmem_cache_create_rcu("wirebox_ct", sizeof(struct wbct),
					      offsetof(struct wbct, packets),
					      SLAB_ACCOUNT);
	if (!wbct_cache)
		return -ENOMEM;
	wbct_hash = kvmalloc_array(wbct_hsize, sizeof(*wbct_hash),
				   GFP_KERNEL);
	if (!wbct_hash) {
		kmem_cache_destroy(wbct_cache);
		return -ENOMEM;
	}
	/* each chain ends in its own bucket number: see wbct_find_get() */
	for (i = 0; i < wbct_hsize; i++)
		INIT_HLIST_NULLS_HEAD(&wbct_hash[i], i);
	for (i = 0; i < WBCT_LOCKS; i++)
		spin_lock_init(&wbct_locks[i]);
	wbct_seed = get_random_u32();
	INIT_DELAYED_WORK(&wbct_gc_work, wbct_gc);
	queue_delayed_work(system_power_efficient_wq, &wbct_gc_work,
			   WBCT_GC_INTERVAL);
	return 0;
}

/* After every netns is gone: the table is empty. */
void wbct_exit(void)
{
	cancel_delayed_work_sync(&wbct_gc_work);
	kvfree(wbct_hash);
	/* waits for RCU readers of the cache's memory (TYPESAFE_BY_RCU) */
	kmem_cache_destroy(wbct_cache);
}
