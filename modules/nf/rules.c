// SPDX-License-Identifier: GPL-2.0
/*
 * wirebox_nf: the rule set of a netns, evaluated under RCU and replaced
 * whole on every change (see wbnf.h). Writers hold wbnf_net.lock.
 */
#include <linux/bsearch.h>
#include <linux/jhash.h>
#include <linux/overflow.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <net/ipv6.h>

#include "wbnf.h"

static bool wbnf_ifname_match(const struct net_device *dev, const char *name,
			      unsigned int len)
{
	return dev && !memcmp(dev->name, name, len);
}

static bool wbnf_addr_match(u8 family, const union nf_inet_addr *a,
			    const union nf_inet_addr *addr,
			    const union nf_inet_addr *mask)
{
	if (family == AF_INET)
		return !((a->ip ^ addr->ip) & mask->ip);
	return !ipv6_masked_addr_cmp(&a->in6, &mask->in6, &addr->in6);
}

bool wbnf_match(const struct wbnf_match *m, const struct wbnf_pkt *pkt)
{
	u32 f = m->flags;

	if (!f)
		return true;
	if ((f & WBNF_M_FAMILY) && m->family != pkt->family)
		return false;
	if ((f & WBNF_M_IIF) && !wbnf_ifname_match(pkt->in, m->iif, m->iif_len))
		return false;
	if ((f & WBNF_M_OIF) && !wbnf_ifname_match(pkt->out, m->oif, m->oif_len))
		return false;
	if ((f & WBNF_M_SRC) &&
	    !wbnf_addr_match(pkt->family, &pkt->src, &m->src, &m->src_mask))
		return false;
	if ((f & WBNF_M_DST) &&
	    !wbnf_addr_match(pkt->family, &pkt->dst, &m->dst, &m->dst_mask))
		return false;
	if ((f & WBNF_M_PROTO) && m->proto != pkt->proto)
		return false;
	/* the ones below need the L4 header: a later fragment never matches */
	if ((f & (WBNF_M_SPORT | WBNF_M_DPORT | WBNF_M_ICMP_TYPE |
		  WBNF_M_ICMP_CODE)) && !pkt->l4)
		return false;
	if ((f & WBNF_M_SPORT) &&
	    (pkt->sport < m->sport[0] || pkt->sport > m->sport[1]))
		return false;
	if ((f & WBNF_M_DPORT) &&
	    (pkt->dport < m->dport[0] || pkt->dport > m->dport[1]))
		return false;
	if ((f & WBNF_M_ICMP_TYPE) && m->icmp_type != pkt->icmp_type)
		return false;
	if ((f & WBNF_M_ICMP_CODE) && m->icmp_code != pkt->icmp_code)
		return false;
	if ((f & WBNF_M_CT_STATE) && !(m->ct_state & pkt->ct.state))
		return false;
	return true;
}

static void wbnf_rule_count(const struct wbnf_rule *r, unsigned int len)
{
	struct wbnf_rule_stats *s = this_cpu_ptr(r->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->packets);
	u64_stats_add(&s->bytes, len);
	u64_stats_update_end(&s->syncp);
}

/*
 * The first terminal rule of @rules[start, end) that matches @pkt; LOG
 * rules match, count and log, and evaluation goes on.
 */
static const struct wbnf_rule *wbnf_eval_range(struct wbnf_net *wn,
					       struct wbnf_rule * const *rules,
					       u32 start, u32 end,
					       const struct wbnf_pkt *pkt,
					       unsigned int len)
{
	u32 i;

	for (i = start; i < end; i++) {
		const struct wbnf_rule *r = rules[i];

		if (r->verdict == WBNF_VERDICT_NOTRACK ||
		    !wbnf_match(&r->m, pkt))
			continue;	/* NOTRACK: see wbnf_rules_notrack() */
		wbnf_rule_count(r, len);
		if (r->verdict == WBNF_VERDICT_LOG) {
			wbnf_log(wn, pkt, r);
			continue;
		}
		return r;
	}
	return NULL;
}

/* ---- the index: runs of rules looked up by hash ---- */

/* The match fields a looked-up run may use, each with one value. */
#define WBNF_KEY_FIELDS	(WBNF_M_FAMILY | WBNF_M_SRC | WBNF_M_DST | \
			 WBNF_M_PROTO | WBNF_M_SPORT | WBNF_M_DPORT | \
			 WBNF_M_ICMP_TYPE | WBNF_M_ICMP_CODE)
#define WBNF_KEY_L4	(WBNF_M_SPORT | WBNF_M_DPORT | WBNF_M_ICMP_TYPE | \
			 WBNF_M_ICMP_CODE)
/* shorter runs are looked at rule by rule */
#define WBNF_RUN_MIN	8

/* The values of a run's fields, of a rule or of a packet; 40 bytes. */
struct wbnf_key {
	union nf_inet_addr src, dst;
	u16 sport, dport;
	u8 family, proto, icmp_type, icmp_code;
};

static void wbnf_key_addr(union nf_inet_addr *to,
			  const union nf_inet_addr *a, u8 family)
{
	if (family == AF_INET)
		to->ip = a->ip;
	else
		to->in6 = a->in6;
}

/*
 * Could @r be in a looked-up run? It needs a verdict and key fields only,
 * whole addresses, and at most one port range: -1 if not, else the port
 * field that is a range (WBNF_M_SPORT or WBNF_M_DPORT), or 0 when every
 * field has one value.
 */
static int wbnf_rule_shape(const struct wbnf_rule *r)
{
	const struct wbnf_match *m = &r->m;
	unsigned int alen = m->family == AF_INET ? 32 : 128;
	bool s, d;

	if (r->verdict != WBNF_VERDICT_ACCEPT &&
	    r->verdict != WBNF_VERDICT_DROP &&
	    r->verdict != WBNF_VERDICT_REJECT)
		return -1;
	/* an address comes with its family (wbnf_parse_match()) */
	if (!m->flags || (m->flags & ~WBNF_KEY_FIELDS) ||
	    ((m->flags & WBNF_M_SRC) && m->src_len != alen) ||
	    ((m->flags & WBNF_M_DST) && m->dst_len != alen))
		return -1;
	s = (m->flags & WBNF_M_SPORT) && m->sport[0] != m->sport[1];
	d = (m->flags & WBNF_M_DPORT) && m->dport[0] != m->dport[1];
	if (s && d)
		return -1;
	return s ? WBNF_M_SPORT : d ? WBNF_M_DPORT : 0;
}

/* The values of @m's fields @f (those of its run's key) */
static void wbnf_key_of_rule(const struct wbnf_match *m, u32 f,
			     struct wbnf_key *k)
{
	memset(k, 0, sizeof(*k));
	if (f & WBNF_M_FAMILY)
		k->family = m->family;
	if (f & WBNF_M_SRC)
		wbnf_key_addr(&k->src, &m->src, m->family);
	if (f & WBNF_M_DST)
		wbnf_key_addr(&k->dst, &m->dst, m->family);
	if (f & WBNF_M_PROTO)
		k->proto = m->proto;
	if (f & WBNF_M_SPORT)
		k->sport = m->sport[0];
	if (f & WBNF_M_DPORT)
		k->dport = m->dport[0];
	if (f & WBNF_M_ICMP_TYPE)
		k->icmp_type = m->icmp_type;
	if (f & WBNF_M_ICMP_CODE)
		k->icmp_code = m->icmp_code;
}

/* @pkt's values of the fields @f; false if it has none (no L4 header). */
static bool wbnf_key_of_pkt(const struct wbnf_pkt *pkt, u32 f,
			    struct wbnf_key *k)
{
	if ((f & WBNF_KEY_L4) && !pkt->l4)
		return false;
	memset(k, 0, sizeof(*k));
	if (f & WBNF_M_FAMILY)
		k->family = pkt->family;
	if (f & WBNF_M_SRC)
		wbnf_key_addr(&k->src, &pkt->src, pkt->family);
	if (f & WBNF_M_DST)
		wbnf_key_addr(&k->dst, &pkt->dst, pkt->family);
	if (f & WBNF_M_PROTO)
		k->proto = pkt->proto;
	if (f & WBNF_M_SPORT)
		k->sport = pkt->sport;
	if (f & WBNF_M_DPORT)
		k->dport = pkt->dport;
	if (f & WBNF_M_ICMP_TYPE)
		k->icmp_type = pkt->icmp_type;
	if (f & WBNF_M_ICMP_CODE)
		k->icmp_code = pkt->icmp_code;
	return true;
}

static u32 wbnf_key_hash(const struct wbnf_key *k, u32 seed)
{
	BUILD_BUG_ON(sizeof(*k) % sizeof(u32));
	return jhash2((const u32 *)k, sizeof(*k) / sizeof(u32), seed);
}

/*
 * The first rule of @run that matches @pkt, or NULL. Every rule the
 * probe meets is matched in full (wbnf_match()): one with other values
 * that shares the hash never matches, and of the rules with the packet's
 * values only the first is in the table (wbnf_index_run()).
 */
static const struct wbnf_rule *wbnf_run_lookup(const struct wbnf_index *idx,
					       const struct wbnf_run *run,
					       struct wbnf_rule * const *rules,
					       const struct wbnf_pkt *pkt)
{
	struct wbnf_key k;
	u32 i, s;

	if (!wbnf_key_of_pkt(pkt, run->flags, &k))
		return NULL;
	for (i = wbnf_key_hash(&k, idx->seed) & run->mask; (s = run->slot[i]);
	     i = (i + 1) & run->mask) {
		const struct wbnf_rule *r = rules[s - 1];

		if (wbnf_match(&r->m, pkt))
			return r;
	}
	return NULL;
}

/* The bounds of @m's port field @rfield, a range or one port. */
static void wbnf_rule_ports(const struct wbnf_match *m, u32 rfield,
			    u32 *lo, u32 *hi)
{
	const u16 *p = rfield == WBNF_M_SPORT ? m->sport : m->dport;

	*lo = p[0];
	*hi = p[1];
}

/*
 * The same for a ranged run: the hash of @pkt's values of the fields
 * other than the range finds its group, whose port intervals say which
 * rule's range holds the packet's port first (wbnf_index_rrun()).
 */
static const struct wbnf_rule *wbnf_rrun_lookup(const struct wbnf_index *idx,
						const struct wbnf_run *run,
						struct wbnf_rule * const *rules,
						const struct wbnf_pkt *pkt)
{
	u32 kf = run->flags & ~run->rfield, i, s;
	struct wbnf_key k, o;
	u16 port;

	/* the range is a port: a later fragment never matches */
	if (!pkt->l4 || !wbnf_key_of_pkt(pkt, kf, &k))
		return NULL;
	port = run->rfield == WBNF_M_SPORT ? pkt->sport : pkt->dport;
	for (i = wbnf_key_hash(&k, idx->seed) & run->mask; (s = run->slot[i]);
	     i = (i + 1) & run->mask) {
		const struct wbnf_rgrp *g = &run->grp[s - 1];
		const struct wbnf_seg *seg = run->seg + g->first;
		const struct wbnf_rule *r;
		u32 lo = 0, hi = g->nseg, mid;

		wbnf_key_of_rule(&rules[g->rep]->m, kf, &o);
		if (memcmp(&k, &o, sizeof(k)))
			continue;
		/* the last interval that starts at or below @port (seg[0]: 0) */
		while (hi - lo > 1) {
			mid = lo + (hi - lo) / 2;
			if (seg[mid].lo <= port)
				lo = mid;
			else
				hi = mid;
		}
		if (!seg[lo].rule)
			return NULL;
		r = rules[seg[lo].rule - 1];
		return wbnf_match(&r->m, pkt) ? r : NULL;
	}
	return NULL;
}

/*
 * The first matching terminal rule of @pkt's hook, its verdict in
 * @verdict; NULL and the hook's policy when none matches. LOG rules
 * match, count and log, and evaluation goes on. BH disabled.
 */
const struct wbnf_rule *wbnf_rules_eval(struct wbnf_net *wn,
					const struct wbnf_ruleset *rs,
					const struct wbnf_pkt *pkt,
					unsigned int len, u8 *verdict)
{
	struct wbnf_rule * const *rules = rs->rules[pkt->hook];
	const struct wbnf_index *idx = rs->index[pkt->hook];
	const struct wbnf_rule *r = NULL;
	u32 i;

	if (!idx) {
		r = wbnf_eval_range(wn, rules, 0, rs->n[pkt->hook], pkt, len);
	} else {
		for (i = 0; i < idx->nrun && !r; i++) {
			const struct wbnf_run *run = &idx->run[i];

			if (!run->mask) {
				r = wbnf_eval_range(wn, rules, run->start,
						    run->end, pkt, len);
				continue;
			}
			r = run->rfield ? wbnf_rrun_lookup(idx, run, rules, pkt) :
					  wbnf_run_lookup(idx, run, rules, pkt);
			if (r)
				wbnf_rule_count(r, len);
		}
	}
	*verdict = r ? r->verdict : rs->policy[pkt->hook];
	return r;
}

/*
 * Does a NOTRACK rule of @pkt's hook match it? All of them are looked at
 * before conntrack (they cannot match on ct state). BH disabled.
 */
bool wbnf_rules_notrack(const struct wbnf_ruleset *rs,
			const struct wbnf_pkt *pkt, unsigned int len)
{
	struct wbnf_rule * const *rules = rs->rules[pkt->hook];
	unsigned int i, n = rs->n[pkt->hook];

	for (i = 0; i < n; i++) {
		const struct wbnf_rule *r = rules[i];

		if (r->verdict == WBNF_VERDICT_NOTRACK &&
		    wbnf_match(&r->m, pkt)) {
			wbnf_rule_count(r, len);
			return true;
		}
	}
	return false;
}

struct wbnf_rule *wbnf_rule_alloc(struct wbnf_net *wn)
{
	struct wbnf_rule *r;

	r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);
	if (!r)
		return NULL;
	/* charged to the caller's memcg: a user namespace can make many */
	r->stats = __netdev_alloc_pcpu_stats(struct wbnf_rule_stats,
					     GFP_KERNEL_ACCOUNT);
	if (!r->stats) {
		kfree(r);
		return NULL;
	}
	return r;
}

void wbnf_rule_free(struct wbnf_rule *r)
{
	free_percpu(r->stats);
	kfree(r);
}

static void wbnf_rule_free_rcu(struct rcu_head *head)
{
	wbnf_rule_free(container_of(head, struct wbnf_rule, rcu));
}

void wbnf_rule_read_stats(const struct wbnf_rule *r, u64 *packets, u64 *bytes)
{
	int cpu;

	*packets = 0;
	*bytes = 0;
	for_each_possible_cpu(cpu) {
		const struct wbnf_rule_stats *s = per_cpu_ptr(r->stats, cpu);
		unsigned int start;
		u64 p, b;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			p = u64_stats_read(&s->packets);
			b = u64_stats_read(&s->bytes);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		*packets += p;
		*bytes += b;
	}
}

/* Rule ids: from 1, never 0 (WBNF_A_RULE_ID's minimum), after a wrap too. */
static u32 wbnf_next_id(struct wbnf_net *wn)
{
	return ++wn->next_rule_id ?: ++wn->next_rule_id;
}

static struct wbnf_ruleset *wbnf_rs_alloc(const u32 *n)
{
	struct wbnf_ruleset *rs;
	size_t total = 0;
	unsigned int h;

	for (h = 0; h < WBNF_HOOKS; h++)
		total += n[h];
	rs = kvzalloc(struct_size(rs, tail, total), GFP_KERNEL_ACCOUNT);
	if (!rs)
		return NULL;
	total = 0;
	for (h = 0; h < WBNF_HOOKS; h++) {
		rs->n[h] = n[h];
		rs->rules[h] = rs->tail + total;
		total += n[h];
	}
	return rs;
}

static struct wbnf_ruleset *wbnf_rs_get(struct wbnf_net *wn)
{
	return rcu_dereference_protected(wn->rs, lockdep_is_held(&wn->lock));
}

/*
 * The runs of @rules[0, @n) (see struct wbnf_run), into @run unless NULL;
 * how many. The slots the looked-up ones need go to *@slots; with @run,
 * their slot[] is carved from @slot.
 */
static u32 wbnf_index_plan(struct wbnf_rule * const *rules, u32 n,
			   struct wbnf_run *run, u32 *slots, u32 *slot)
{
	u32 i = 0, j, nrun = 0;
	bool linear = false;	/* the last run is looked at rule by rule */

	*slots = 0;
	while (i < n) {
		u32 f = rules[i]->m.flags, size;
		int shape = wbnf_rule_shape(rules[i]), t;
		u32 rfield = max(shape, 0);

		j = i + 1;
		/* the same fields; a range in one port field only */
		while (shape >= 0 && j < n && rules[j]->m.flags == f) {
			t = wbnf_rule_shape(rules[j]);
			if (t < 0 || (t && rfield && t != rfield))
				break;
			rfield = rfield ?: t;
			j++;
		}
		if (j - i < WBNF_RUN_MIN || shape < 0) {
			if (!linear) {
				if (run)
					run[nrun] = (struct wbnf_run){ .start = i };
				nrun++;
				linear = true;
			}
			if (run)
				run[nrun - 1].end = j;
			i = j;
			continue;
		}
		/* at most half full: a probe for a value no rule has is short */
		size = roundup_pow_of_two(2 * (j - i));
		if (run) {
			run[nrun] = (struct wbnf_run){
				.start = i, .end = j, .flags = f,
				.rfield = rfield, .mask = size - 1,
				.slot = slot + *slots,
			};
		}
		*slots += size;
		nrun++;
		linear = false;
		i = j;
	}
	return nrun;
}

/* Fill a looked-up run's slots; the first rule of each value only. */
static void wbnf_index_run(const struct wbnf_index *idx, struct wbnf_run *run,
			   struct wbnf_rule * const *rules)
{
	struct wbnf_key k, o;
	u32 p, i, s;

	for (p = run->start; p < run->end; p++) {
		wbnf_key_of_rule(&rules[p]->m, run->flags, &k);
		for (i = wbnf_key_hash(&k, idx->seed) & run->mask;
		     (s = run->slot[i]); i = (i + 1) & run->mask) {
			wbnf_key_of_rule(&rules[s - 1]->m, run->flags, &o);
			if (!memcmp(&k, &o, sizeof(k)))
				break;	/* an earlier rule matches first */
		}
		if (!s)
			run->slot[i] = p + 1;
	}
}

static int wbnf_u32_cmp(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

/* The next interval at or after @k not yet taken (path halving). */
static u32 wbnf_free_from(u32 *next, u32 k)
{
	while (next[k] != k) {
		next[k] = next[next[k]];
		k = next[k];
	}
	return k;
}

/*
 * Fill a ranged run. Its rules are grouped by their values of the fields
 * other than the range (the first rule of each group in slot[]); each
 * group's port space is cut at every range's bounds, and each interval
 * goes to the first rule whose range covers it: the rule the first-match
 * walk would stop at for a packet with these values and a port in that
 * interval. O(n log n) per build. -ENOMEM leaves the run to the walk.
 */
static int wbnf_index_rrun(const struct wbnf_index *idx, struct wbnf_run *run,
			   struct wbnf_rule * const *rules)
{
	u32 n = run->end - run->start, kf = run->flags & ~run->rfield;
	u32 *gof, *off, *order, *bound, *own, *next;
	u32 ngrp = 0, nseg = 0, g, p, i, s;
	struct wbnf_rgrp *grp;
	struct wbnf_seg *seg;
	struct wbnf_key k, o;
	void *tmp, *mem;
	int err = -ENOMEM;

	/* gof, order: n; off: n + 1; bound, own: 2n + 1; next: 2n + 2 */
	tmp = kvmalloc_array(9 * (size_t)n + 6, sizeof(u32), GFP_KERNEL);
	/* at most 2 intervals a rule and one a group */
	seg = kvmalloc_array(3 * (size_t)n, sizeof(*seg), GFP_KERNEL);
	grp = kvmalloc_array(n, sizeof(*grp), GFP_KERNEL);
	if (!tmp || !seg || !grp)
		goto out;
	gof = tmp;
	order = gof + n;
	off = order + n;
	bound = off + n + 1;
	own = bound + 2 * n + 1;
	next = own + 2 * n + 1;

	/* the groups, numbered in the order of their first rules */
	for (p = run->start; p < run->end; p++) {
		wbnf_key_of_rule(&rules[p]->m, kf, &k);
		for (i = wbnf_key_hash(&k, idx->seed) & run->mask;
		     (s = run->slot[i]); i = (i + 1) & run->mask) {
			wbnf_key_of_rule(&rules[grp[s - 1].rep]->m, kf, &o);
			if (!memcmp(&k, &o, sizeof(k)))
				break;
		}
		if (!s) {
			grp[ngrp].rep = p;
			s = ++ngrp;
			run->slot[i] = s;
		}
		gof[p - run->start] = s - 1;
	}
	/* each group's rules, in rule order: a counting sort */
	memset(off, 0, (ngrp + 1) * sizeof(u32));
	for (i = 0; i < n; i++)
		off[gof[i] + 1]++;
	for (g = 0; g < ngrp; g++)
		off[g + 1] += off[g];
	for (i = 0; i < n; i++)
		order[off[gof[i]]++] = run->start + i;
	/* off[g] is now the end of group g, off[g - 1] its start */

	for (g = 0; g < ngrp; g++) {
		u32 first = g ? off[g - 1] : 0, m = 0, j, lo, hi, last;

		/* cut the port space at each range's bounds */
		bound[m++] = 0;
		for (j = first; j < off[g]; j++) {
			wbnf_rule_ports(&rules[order[j]]->m, run->rfield, &lo, &hi);
			bound[m++] = lo;
			if (hi < U16_MAX)
				bound[m++] = hi + 1;
		}
		sort(bound, m, sizeof(u32), wbnf_u32_cmp, NULL);
		for (i = 1, j = 1; i < m; i++)
			if (bound[i] != bound[j - 1])
				bound[j++] = bound[i];
		m = j;
		for (i = 0; i <= m; i++) {
			next[i] = i;
			if (i < m)
				own[i] = 0;
		}
		/* in rule order, each range takes the intervals still free */
		for (j = first; j < off[g]; j++) {
			u32 *b;

			wbnf_rule_ports(&rules[order[j]]->m, run->rfield, &lo, &hi);
			b = bsearch(&lo, bound, m, sizeof(u32), wbnf_u32_cmp);
			for (i = wbnf_free_from(next, b - bound);
			     i < m && bound[i] <= hi;
			     i = wbnf_free_from(next, i + 1)) {
				own[i] = order[j] + 1;
				next[i] = i + 1;
			}
		}
		/* neighbours that go to the same rule are one interval */
		grp[g].first = nseg;
		for (i = 0, last = U32_MAX; i < m; i++) {
			if (own[i] == last)
				continue;
			seg[nseg++] = (struct wbnf_seg){ .lo = bound[i],
							 .rule = own[i] };
			last = own[i];
		}
		grp[g].nseg = nseg - grp[g].first;
	}
	mem = kvmalloc(size_add(array_size(ngrp, sizeof(*grp)),
				array_size(nseg, sizeof(*seg))),
		       GFP_KERNEL_ACCOUNT);
	if (!mem)
		goto out;
	run->grp = memcpy(mem, grp, ngrp * sizeof(*grp));
	run->seg = memcpy(run->grp + ngrp, seg, nseg * sizeof(*seg));
	err = 0;
out:
	kvfree(grp);
	kvfree(seg);
	kvfree(tmp);
	return err;
}

/*
 * The index of a hook's @n @rules; NULL when no run is worth a lookup,
 * and when there is no memory for it (evaluation is then rule by rule:
 * the same verdicts, only slower).
 */
static struct wbnf_index *wbnf_index_build(struct wbnf_rule * const *rules,
					   u32 n)
{
	struct wbnf_index *idx;
	u32 nrun, slots, i;
	size_t size;

	if (n < WBNF_RUN_MIN)
		return NULL;
	nrun = wbnf_index_plan(rules, n, NULL, &slots, NULL);
	if (!slots)
		return NULL;
	size = size_add(struct_size(idx, run, nrun),
			array_size(slots, sizeof(u32)));
	idx = kvzalloc(size, GFP_KERNEL_ACCOUNT);
	if (!idx)
		return NULL;
	refcount_set(&idx->ref, 1);
	idx->seed = get_random_u32();
	idx->nrun = nrun;
	wbnf_index_plan(rules, n, idx->run, &slots, (u32 *)&idx->run[nrun]);
	for (i = 0; i < nrun; i++) {
		struct wbnf_run *run = &idx->run[i];

		if (!run->mask)
			continue;
		if (!run->rfield)
			wbnf_index_run(idx, run, rules);
		else if (wbnf_index_rrun(idx, run, rules))
			run->mask = 0;	/* no memory: walked, same verdicts */
		if (run->mask)
			idx->indexed += run->end - run->start;
	}
	return idx;
}

static void wbnf_index_put(struct wbnf_index *idx)
{
	u32 i;

	if (!idx || !refcount_dec_and_test(&idx->ref))
		return;
	for (i = 0; i < idx->nrun; i++)
		kvfree(idx->run[i].grp);
	kvfree(idx);
}

static void wbnf_rs_free(struct wbnf_ruleset *rs)
{
	unsigned int h;

	for (h = 0; h < WBNF_HOOKS; h++)
		wbnf_index_put(rs->index[h]);
	kvfree(rs);
}

static void wbnf_rs_free_rcu(struct rcu_head *head)
{
	wbnf_rs_free(container_of(head, struct wbnf_ruleset, rcu));
}

/*
 * Index each hook of @rs; a hook with the same rules as in @old shares
 * its index. A set is freed after a grace period, and an index with the
 * last set that holds it: a reader of an older set is done by then.
 */
static void wbnf_rs_index(struct wbnf_ruleset *rs,
			  const struct wbnf_ruleset *old)
{
	unsigned int h;

	for (h = 0; h < WBNF_HOOKS; h++) {
		if (old->n[h] == rs->n[h] &&
		    !memcmp(old->rules[h], rs->rules[h],
			    rs->n[h] * sizeof(*rs->rules[h]))) {
			rs->index[h] = old->index[h];
			if (rs->index[h])
				refcount_inc(&rs->index[h]->ref);
			continue;
		}
		rs->index[h] = wbnf_index_build(rs->rules[h], rs->n[h]);
	}
}

/*
 * Publish @rs and free the old set after a grace period; the rules of
 * @old's hooks in @retire go with it, the others live on in @rs.
 */
static void wbnf_rs_swap(struct wbnf_net *wn, struct wbnf_ruleset *rs,
			 unsigned int retire)
{
	struct wbnf_ruleset *old = wbnf_rs_get(wn);
	unsigned int h, i;

	rs->gen = old->gen + 1 ?: 1;
	wbnf_rs_index(rs, old);
	for (h = 0; h < WBNF_HOOKS; h++) {
		for (i = 0; i < rs->n[h]; i++) {
			const struct wbnf_rule *r = rs->rules[h][i];

			if (r->verdict == WBNF_VERDICT_NOTRACK)
				rs->notrack[h] = true;
			/* a LOG line shows the packet's ct state */
			if ((r->m.flags & WBNF_M_CT_STATE) ||
			    r->verdict == WBNF_VERDICT_LOG)
				rs->ct[h] = true;
		}
	}
	rcu_assign_pointer(wn->rs, rs);
	/* only now: a reader that still sees @old started before this */
	for (h = 0; h < WBNF_HOOKS; h++) {
		if (!(retire & BIT(h)))
			continue;
		for (i = 0; i < old->n[h]; i++)
			call_rcu(&old->rules[h][i]->rcu, wbnf_rule_free_rcu);
	}
	call_rcu(&old->rcu, wbnf_rs_free_rcu);
}

/* A copy of the live set, @grow more slots on @hook (or fewer, < 0). */
static struct wbnf_ruleset *wbnf_rs_copy(struct wbnf_net *wn,
					 unsigned int hook, int grow)
{
	struct wbnf_ruleset *old = wbnf_rs_get(wn), *rs;
	u32 n[WBNF_HOOKS];
	unsigned int h;

	memcpy(n, old->n, sizeof(n));
	n[hook] += grow;
	rs = wbnf_rs_alloc(n);
	if (!rs)
		return NULL;
	memcpy(rs->policy, old->policy, sizeof(rs->policy));
	for (h = 0; h < WBNF_HOOKS; h++)
		if (h != hook)
			memcpy(rs->rules[h], old->rules[h],
			       n[h] * sizeof(*rs->rules[h]));
	return rs;
}

int wbnf_rules_init(struct wbnf_net *wn)
{
	static const u32 none[WBNF_HOOKS];
	struct wbnf_ruleset *rs = wbnf_rs_alloc(none);

	if (!rs)
		return -ENOMEM;
	/* policies are WBNF_VERDICT_ACCEPT (0) */
	rs->gen = 1;
	RCU_INIT_POINTER(wn->rs, rs);
	return 0;
}

/* The netns is gone: no packet and no netlink request can reach @wn. */
void wbnf_rules_exit(struct wbnf_net *wn)
{
	struct wbnf_ruleset *rs = rcu_dereference_protected(wn->rs, true);
	unsigned int h, i;

	for (h = 0; h < WBNF_HOOKS; h++)
		for (i = 0; i < rs->n[h]; i++)
			wbnf_rule_free(rs->rules[h][i]);
	wbnf_rs_free(rs);
}

/* Take ownership of @r: insert it on its hook before position @index. */
int wbnf_rule_insert(struct wbnf_net *wn, struct wbnf_rule *r, u32 index,
		     struct netlink_ext_ack *extack)
{
	struct wbnf_ruleset *old, *rs;
	unsigned int n, h = r->hook;

	mutex_lock(&wn->lock);
	old = wbnf_rs_get(wn);
	n = old->n[h];
	if (n >= WBNF_RULES_MAX) {
		mutex_unlock(&wn->lock);
		NL_SET_ERR_MSG_MOD(extack, "Too many rules on this hook (the limit is 16384)");
		return -ENOSPC;
	}
	rs = wbnf_rs_copy(wn, h, 1);
	if (!rs) {
		mutex_unlock(&wn->lock);
		return -ENOMEM;
	}
	index = min(index, n);
	memcpy(rs->rules[h], old->rules[h], index * sizeof(r));
	rs->rules[h][index] = r;
	memcpy(rs->rules[h] + index + 1, old->rules[h] + index,
	       (n - index) * sizeof(r));
	r->id = wbnf_next_id(wn);
	wbnf_rs_swap(wn, rs, 0);
	mutex_unlock(&wn->lock);
	return 0;
}

int wbnf_rule_delete(struct wbnf_net *wn, unsigned int hook, u32 id)
{
	struct wbnf_ruleset *old, *rs;
	struct wbnf_rule *r;
	unsigned int i, n;

	mutex_lock(&wn->lock);
	old = wbnf_rs_get(wn);
	n = old->n[hook];
	for (i = 0; i < n; i++)
		if (old->rules[hook][i]->id == id)
			break;
	if (i == n) {
		mutex_unlock(&wn->lock);
		return -ENOENT;
	}
	rs = wbnf_rs_copy(wn, hook, -1);
	if (!rs) {
		mutex_unlock(&wn->lock);
		return -ENOMEM;
	}
	r = old->rules[hook][i];
	memcpy(rs->rules[hook], old->rules[hook], i * sizeof(r));
	memcpy(rs->rules[hook] + i, old->rules[hook] + i + 1,
	       (n - i - 1) * sizeof(r));
	wbnf_rs_swap(wn, rs, 0);
	call_rcu(&r->rcu, wbnf_rule_free_rcu);
	mutex_unlock(&wn->lock);
	return 0;
}

/* Flush @hook, or every hook when @hook < 0. Policies stay. */
int wbnf_rules_flush(struct wbnf_net *wn, int hook)
{
	unsigned int mask = hook < 0 ? BIT(WBNF_HOOKS) - 1 : BIT(hook);
	struct wbnf_ruleset *old, *rs;
	u32 n[WBNF_HOOKS];
	unsigned int h;

	mutex_lock(&wn->lock);
	old = wbnf_rs_get(wn);
	for (h = 0; h < WBNF_HOOKS; h++)
		n[h] = mask & BIT(h) ? 0 : old->n[h];
	rs = wbnf_rs_alloc(n);
	if (!rs) {
		mutex_unlock(&wn->lock);
		return -ENOMEM;
	}
	memcpy(rs->policy, old->policy, sizeof(rs->policy));
	for (h = 0; h < WBNF_HOOKS; h++)
		memcpy(rs->rules[h], old->rules[h], n[h] * sizeof(void *));
	wbnf_rs_swap(wn, rs, mask);
	mutex_unlock(&wn->lock);
	return 0;
}

int wbnf_policy_set(struct wbnf_net *wn, unsigned int hook, u8 policy)
{
	struct wbnf_ruleset *old, *rs;

	mutex_lock(&wn->lock);
	old = wbnf_rs_get(wn);
	rs = wbnf_rs_copy(wn, hook, 0);
	if (!rs) {
		mutex_unlock(&wn->lock);
		return -ENOMEM;
	}
	memcpy(rs->rules[hook], old->rules[hook],
	       old->n[hook] * sizeof(void *));
	rs->policy[hook] = policy;
	wbnf_rs_swap(wn, rs, 0);
	mutex_unlock(&wn->lock);
	return 0;
}

/*
 * Replace every hook's rules by @rules (each knows its hook; order kept)
 * and the policies by @policy, in one swap. Takes ownership of the rules
 * on success only.
 */
int wbnf_ruleset_replace(struct wbnf_net *wn, struct wbnf_rule **rules,
			 unsigned int n, const u8 *policy)
{
	unsigned int i, pos[WBNF_HOOKS] = {};
	struct wbnf_ruleset *rs;
	u32 cnt[WBNF_HOOKS] = {};

	for (i = 0; i < n; i++)
		cnt[rules[i]->hook]++;
	rs = wbnf_rs_alloc(cnt);
	if (!rs)
		return -ENOMEM;
	memcpy(rs->policy, policy, sizeof(rs->policy));

	mutex_lock(&wn->lock);
	for (i = 0; i < n; i++) {
		struct wbnf_rule *r = rules[i];

		r->id = wbnf_next_id(wn);
		rs->rules[r->hook][pos[r->hook]++] = r;
	}
	wbnf_rs_swap(wn, rs, BIT(WBNF_HOOKS) - 1);
	mutex_unlock(&wn->lock);
	return 0;
}
