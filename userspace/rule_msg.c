// SPDX-License-Identifier: GPL-2.0
/*
 * wbctl rule, policy, stats: build "wbnf" requests, parse and print the
 * replies.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netlink.h>
#include <linux/wirebox.h>

#include "genl.h"
#include "nf.h"
#include "nl.h"
#include "print.h"
#include "utils.h"

/* ---- requests ---- */

/* WBNF_A_RULE { [HOOK] match VERDICT } */
static void nf_put_rule(struct nlmsghdr *nlh, const struct nf_rule *r,
			bool hook)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, WBNF_A_RULE);

	if (hook)
		mnl_attr_put_u32(nlh, WBNF_R_HOOK, r->v[WBNF_R_HOOK]);
	nf_put_match(nlh, r);
	mnl_attr_put_u32(nlh, WBNF_R_VERDICT, r->v[WBNF_R_VERDICT]);
	mnl_attr_nest_end(nlh, nest);
}

/* RULE_NEW HOOK RULE [INDEX]; the kernel replies the rule, then ACKs. */
struct nlmsghdr *nf_build_rule_new(void *buf, uint16_t family,
				   const struct nf_rule_add_req *req)
{
	struct nlmsghdr *nlh;

	/* genetlink refuses NLM_F_CREATE and friends: "reserved bits" */
	nlh = nf_msg(buf, family, WBNF_CMD_RULE_NEW, NLM_F_ACK);
	mnl_attr_put_u32(nlh, WBNF_A_HOOK, req->rule.v[WBNF_R_HOOK]);
	nf_put_rule(nlh, &req->rule, false);
	if (req->has_index)
		mnl_attr_put_u32(nlh, WBNF_A_INDEX, req->index);
	return nlh;
}

struct nlmsghdr *nf_build_rule_del(void *buf, uint16_t family,
				   uint32_t hook, uint32_t id)
{
	struct nlmsghdr *nlh;

	nlh = nf_msg(buf, family, WBNF_CMD_RULE_DEL, NLM_F_ACK);
	mnl_attr_put_u32(nlh, WBNF_A_HOOK, hook);
	mnl_attr_put_u32(nlh, WBNF_A_RULE_ID, id);
	return nlh;
}

/* A request of every hook's rules, or of *hook's. */
static struct nlmsghdr *nf_build_hook_req(void *buf, uint16_t family,
					  uint8_t cmd, uint16_t flags,
					  const uint32_t *hook)
{
	struct nlmsghdr *nlh;

	nlh = nf_msg(buf, family, cmd, flags);
	if (hook)
		mnl_attr_put_u32(nlh, WBNF_A_HOOK, *hook);
	return nlh;
}

/* RULE_GET dump [HOOK]. */
struct nlmsghdr *nf_build_rule_get(void *buf, uint16_t family,
				   const uint32_t *hook)
{
	return nf_build_hook_req(buf, family, WBNF_CMD_RULE_GET, NLM_F_DUMP,
				 hook);
}

/* RULE_FLUSH [HOOK]. */
struct nlmsghdr *nf_build_rule_flush(void *buf, uint16_t family,
				     const uint32_t *hook)
{
	return nf_build_hook_req(buf, family, WBNF_CMD_RULE_FLUSH, NLM_F_ACK,
				 hook);
}

/**
 * nf_build_ruleset() - the RULESET_SET request of a ruleset file
 * @family: the "wbnf" family id
 * @set: the rules, each with its hook, and the policies
 *
 * Every rule is a WBNF_A_RULE nest with its WBNF_R_HOOK, in file order;
 * then one WBNF_A_POLICY { WBNF_A_HOOK, WBNF_A_POLICY } nest per hook, so
 * that a hook without a policy line gets accept whatever it had before.
 *
 * Return: the request at the start of a buffer to free(), or NULL when
 * out of memory.
 */
struct nlmsghdr *nf_build_ruleset(uint16_t family,
				  const struct nf_ruleset *set)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	uint32_t hook;
	void *buf;
	size_t i;

	/* NL_TX_SIZE: the headers and policies, and what genl_msg() zeroes */
	buf = calloc(1, NL_TX_SIZE + set->n * NF_RULE_NEST_MAX);
	if (!buf)
		return NULL;
	nlh = nf_msg(buf, family, WBNF_CMD_RULESET_SET, NLM_F_ACK);
	for (i = 0; i < set->n; i++)
		nf_put_rule(nlh, &set->rules[i], true);
	for (hook = 0; hook < WBNF_HOOKS; hook++) {
		nest = mnl_attr_nest_start(nlh, WBNF_A_POLICY);
		mnl_attr_put_u32(nlh, WBNF_A_HOOK, hook);
		mnl_attr_put_u32(nlh, WBNF_A_POLICY, set->policy[hook]);
		mnl_attr_nest_end(nlh, nest);
	}
	return nlh;
}

struct nlmsghdr *nf_build_policy_set(void *buf, uint16_t family,
				     uint32_t hook, uint32_t policy)
{
	struct nlmsghdr *nlh;

	nlh = nf_msg(buf, family, WBNF_CMD_POLICY_SET, NLM_F_ACK);
	mnl_attr_put_u32(nlh, WBNF_A_HOOK, hook);
	mnl_attr_put_u32(nlh, WBNF_A_POLICY, policy);
	return nlh;
}

/* STATS_GET dump: one reply per hook and family. */
struct nlmsghdr *nf_build_stats_get(void *buf, uint16_t family)
{
	return nf_msg(buf, family, WBNF_CMD_STATS_GET, NLM_F_DUMP);
}

/* ---- rules ---- */

/*
 * A RULE_GET or RULE_NEW reply: WBNF_A_RULE { WBNF_R_* } into *r.  The
 * hook comes from WBNF_R_HOOK, else from WBNF_A_HOOK.  Returns 0 or
 * -EBADMSG for a message without a rule or a hook.
 */
int nf_parse_rule_msg(const struct nlmsghdr *nlh, uint16_t family,
		      struct nf_rule *r)
{
	const struct nlattr *tb[WBNF_A_MAX + 1];

	memset(r, 0, sizeof(*r));
	if (nf_msg_tb(nlh, family, tb, NULL, NULL) || !tb[WBNF_A_RULE])
		return -EBADMSG;
	nf_parse_rule_nest(tb[WBNF_A_RULE], r);
	if (!NF_HAS(r, WBNF_R_HOOK) && tb[WBNF_A_HOOK])
		NF_SET(r, WBNF_R_HOOK, mnl_attr_get_u32(tb[WBNF_A_HOOK]));
	return NF_HAS(r, WBNF_R_HOOK) ? 0 : -EBADMSG;
}

/*
 * Text, one line:
 *	input id 3 iif eth0 src 203.0.113.51/32 proto tcp dport 22 accept
 *	    packets 10 bytes 840
 * JSON: one object, absent attributes have no key.
 */
void nf_print_rule(const struct nf_rule *r)
{
	print_open_object(NULL);
	print_string(PRINT_ANY, "hook", "%s", nf_hook_name(r->v[WBNF_R_HOOK]));
	if (NF_HAS(r, WBNF_R_ID))
		print_u64(PRINT_ANY, "id", " id %" PRIu64, r->v[WBNF_R_ID]);
	nf_print_match(r);
	if (NF_HAS(r, WBNF_R_VERDICT))
		print_string(PRINT_ANY, "verdict", " %s",
			     nf_verdict_name(r->v[WBNF_R_VERDICT]));
	if (NF_HAS(r, WBNF_R_PACKETS))
		print_u64(PRINT_ANY, "packets", " packets %" PRIu64,
			  r->v[WBNF_R_PACKETS]);
	if (NF_HAS(r, WBNF_R_BYTES))
		print_u64(PRINT_ANY, "bytes", " bytes %" PRIu64,
			  r->v[WBNF_R_BYTES]);
	print_close_object();
	print_nl();
}

/* ---- stats and policies ---- */

/* One STATS_GET reply; 0 or -EBADMSG (another family's, no hook). */
int nf_parse_stats(const struct nlmsghdr *nlh, uint16_t family,
		   struct nf_stats *st)
{
	const struct nlattr *tb[WBNF_A_MAX + 1];

	memset(st, 0, sizeof(*st));
	if (nf_msg_tb(nlh, family, tb, &st->has, st->v) ||
	    !NF_HAS(st, WBNF_A_HOOK))
		return -EBADMSG;
	return 0;
}

static int nf_stats_cmp(const void *a, const void *b)
{
	const struct nf_stats *x = a, *y = b;
	int d = (x->v[WBNF_A_HOOK] > y->v[WBNF_A_HOOK]) -
		(x->v[WBNF_A_HOOK] < y->v[WBNF_A_HOOK]);

	return d ?: (x->v[WBNF_A_FAMILY] > y->v[WBNF_A_FAMILY]) -
		    (x->v[WBNF_A_FAMILY] < y->v[WBNF_A_FAMILY]);
}

/* By hook (in packet order), then family (IPv4 first). */
void nf_sort_stats(struct nf_stats *v, size_t n)
{
	if (n)
		qsort(v, n, sizeof(*v), nf_stats_cmp);
}

enum nf_col_kind {
	NF_COL_NUM,
	NF_COL_HOOK,
	NF_COL_FAMILY,
	NF_COL_VERDICT,
};

/* A column of the stats table, and a JSON key. */
struct nf_col {
	unsigned int attr;
	enum nf_col_kind kind;
	const char *key;	/* JSON */
	const char *head;	/* text header; NULL: JSON only */
	const char *str;	/* text format of the header, names and "-" */
	const char *num;	/* text format of numbers */
};

static const struct nf_col nf_stats_cols[] = {
	{ WBNF_A_HOOK, NF_COL_HOOK, "hook", "hook", "%-12s", NULL },
	{ WBNF_A_FAMILY, NF_COL_FAMILY, "family", "family", "%-6s", NULL },
	{ WBNF_A_PACKETS, NF_COL_NUM, "packets", "packets", " %12s",
	  " %12" PRIu64 },
	{ WBNF_A_BYTES, NF_COL_NUM, "bytes", "bytes", " %14s",
	  " %14" PRIu64 },
	{ WBNF_A_DROPPED, NF_COL_NUM, "dropped", "dropped", " %10s",
	  " %10" PRIu64 },
	{ WBNF_A_POLICY_PACKETS, NF_COL_NUM, "policy_packets", NULL, NULL,
	  NULL },
	{ WBNF_A_POLICY, NF_COL_VERDICT, "policy", "policy", "  %-6s", NULL },
	{ WBNF_A_RULES, NF_COL_NUM, "rules", "rules", " %5s", " %5" PRIu64 },
	{ WBNF_A_RULES_INDEXED, NF_COL_NUM, "indexed", NULL, NULL, NULL },
};

static void nf_print_col(const struct nf_col *c, const struct nf_stats *st)
{
	uint64_t v = st->v[c->attr];
	const char *name;

	if (!NF_HAS(st, c->attr)) {
		print_string(PRINT_FP, NULL, c->str, "-");
		return;
	}
	switch (c->kind) {
	case NF_COL_NUM:
		print_u64(PRINT_ANY, c->key, c->num, v);
		return;
	case NF_COL_HOOK:
		name = nf_hook_name(v);
		break;
	case NF_COL_FAMILY:
		name = nf_family_name(v);
		break;
	default:
		name = nf_verdict_name(v);
		break;
	}
	print_string(PRINT_ANY, c->key, c->str, name);
}

/*
 * Text: a header, then a line per hook and family, "-" for what the
 * kernel did not send:
 *	hook        family      packets          bytes    dropped  policy rules
 *	prerouting  ipv4             12           1008          0  accept     0
 * JSON: an array of objects, with policy_packets and indexed (rules looked
 * up by hash) too.
 */
void nf_print_stats(const struct nf_stats *v, size_t n)
{
	const struct nf_col *c, *end = nf_stats_cols +
				       ARRAY_SIZE(nf_stats_cols);
	size_t i;

	for (c = nf_stats_cols; c < end; c++)
		if (c->head)
			print_string(PRINT_FP, NULL, c->str, c->head);
	print_nl();
	print_open_array(NULL);
	for (i = 0; i < n; i++) {
		print_open_object(NULL);
		for (c = nf_stats_cols; c < end; c++)
			nf_print_col(c, &v[i]);
		print_close_object();
		print_nl();
	}
	print_close_array();
}

/*
 * One line per hook of sorted stats, "input policy accept"; JSON
 * [{"hook":"input","policy":"accept"}, ...].
 */
void nf_print_policies(const struct nf_stats *v, size_t n)
{
	uint64_t last = WBNF_HOOKS;
	size_t i;

	print_open_array(NULL);
	for (i = 0; i < n; i++) {
		if (!NF_HAS(&v[i], WBNF_A_POLICY) ||
		    v[i].v[WBNF_A_HOOK] == last)
			continue;
		last = v[i].v[WBNF_A_HOOK];
		print_open_object(NULL);
		print_string(PRINT_ANY, "hook", "%s", nf_hook_name(last));
		print_string(PRINT_ANY, "policy", " policy %s",
			     nf_verdict_name(v[i].v[WBNF_A_POLICY]));
		print_close_object();
		print_nl();
	}
	print_close_array();
}
