// SPDX-License-Identifier: GPL-2.0
/*
 * wbnf netlink API: the "wbnf" generic netlink family of wirebox_nf.
 * Each test runs in a fresh network namespace of its own, whose rule set
 * starts empty with every policy accept.
 *
 * A rejected request must come back with an errno and an extack message
 * naming what is wrong, and change nothing a dump can see.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netfilter.h>
#include <linux/netlink.h>
#include <linux/wirebox.h>

#include "kselftest_harness.h"
#include "wbnl.h"

#define MAX_RULES	(WBNF_RULES_MAX + 16)
#define BIG_BUF		(2 << 20)	/* a whole-hook RULESET_SET */

/* What a rule dump showed. */
struct listing {
	int n;
	int64_t id[MAX_RULES];
	int64_t hook[MAX_RULES];
	int messages;		/* recv() batches */
	bool intr;		/* NLM_F_DUMP_INTR seen */
	/* attributes of the first rule */
	int64_t verdict, src_len, dport_min, dport_max, proto, packets;
};

/* A rule: the attributes to put in WBNF_A_RULE; < 0 leaves one out. */
struct rule {
	int verdict, hook, family, proto, src_len, dst_len;
	int sport_min, sport_max, dport_min, dport_max, icmp_type, icmp_code;
	int id, packets, ct_state, unknown;
	const char *iif, *oif;
	const void *src, *dst;
	int src_bytes, dst_bytes;
};

#pragma GCC diagnostic ignored "-Woverride-init"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#define RULE(...) ((struct rule){ .verdict = WBNF_VERDICT_ACCEPT,	\
	.hook = -1, .family = -1, .proto = -1, .src_len = -1,		\
	.dst_len = -1, .sport_min = -1, .sport_max = -1,		\
	.dport_min = -1, .dport_max = -1, .icmp_type = -1,		\
	.icmp_code = -1, .id = -1, .packets = -1, .ct_state = -1,	\
	.unknown = -1, __VA_ARGS__ })

static const uint8_t net10[4] = { 10, 0, 0, 0 };
static const uint8_t host10[4] = { 10, 0, 0, 1 };
static const uint8_t v6db8[16] = { 0x20, 0x01, 0x0d, 0xb8 };

static void put_rule(struct nlmsghdr *nlh, const struct rule *q)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, WBNF_A_RULE);

#define PUT(type, attr, v) do { if ((v) >= 0) mnl_attr_put_##type(nlh, attr, v); } while (0)
	PUT(u32, WBNF_R_VERDICT, q->verdict);
	PUT(u32, WBNF_R_HOOK, q->hook);
	PUT(u8, WBNF_R_FAMILY, q->family);
	PUT(u8, WBNF_R_PROTO, q->proto);
	PUT(u8, WBNF_R_SRC_LEN, q->src_len);
	PUT(u8, WBNF_R_DST_LEN, q->dst_len);
	PUT(u16, WBNF_R_SPORT_MIN, q->sport_min);
	PUT(u16, WBNF_R_SPORT_MAX, q->sport_max);
	PUT(u16, WBNF_R_DPORT_MIN, q->dport_min);
	PUT(u16, WBNF_R_DPORT_MAX, q->dport_max);
	PUT(u8, WBNF_R_ICMP_TYPE, q->icmp_type);
	PUT(u8, WBNF_R_ICMP_CODE, q->icmp_code);
	PUT(u32, WBNF_R_ID, q->id);
	PUT(u64, WBNF_R_PACKETS, q->packets);
	PUT(u32, WBNF_R_CT_STATE, q->ct_state);
#undef PUT
	if (q->unknown >= 0)
		mnl_attr_put_u32(nlh, q->unknown, 0);
	if (q->iif)
		mnl_attr_put_strz(nlh, WBNF_R_IIF, q->iif);
	if (q->oif)
		mnl_attr_put_strz(nlh, WBNF_R_OIF, q->oif);
	if (q->src)
		mnl_attr_put(nlh, WBNF_R_SRC, q->src_bytes, q->src);
	if (q->dst)
		mnl_attr_put(nlh, WBNF_R_DST, q->dst_bytes, q->dst);
	mnl_attr_nest_end(nlh, nest);
}

/* RULE_NEW on @hook; the new rule's id (> 0) or -errno. */
static int rule_new(int fam, int hook, const struct rule *q, int index,
		    struct reply *r)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nested_uint nr = { WBNF_A_RULE, WBNF_R_ID, -1 };
	struct nlmsghdr *nlh;

	nlh = genl_msg(buf, fam, WBNF_CMD_RULE_NEW, false);
	if (hook >= 0)
		mnl_attr_put_u32(nlh, WBNF_A_HOOK, hook);
	if (index >= 0)
		mnl_attr_put_u32(nlh, WBNF_A_INDEX, index);
	put_rule(nlh, q);
	talk(NETLINK_GENERIC, nlh, nested_uint_msg, &nr, r);
	return r->err ? r->err : (int)nr.val;
}

static int simple(int fam, uint8_t cmd, int hook, int64_t id, struct reply *r)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = genl_msg(buf, fam, cmd, false);

	if (hook >= 0)
		mnl_attr_put_u32(nlh, WBNF_A_HOOK, hook);
	if (id >= 0)
		mnl_attr_put_u32(nlh, cmd == WBNF_CMD_POLICY_SET ?
				 WBNF_A_POLICY : WBNF_A_RULE_ID, id);
	talk(NETLINK_GENERIC, nlh, NULL, NULL, r);
	return r->err;
}

static int list_rule_cb(const struct nlattr *a, void *data)
{
	struct listing *l = data;

	switch (mnl_attr_get_type(a)) {
	case WBNF_R_ID:
		l->id[l->n] = attr_uint(a);
		break;
	case WBNF_R_HOOK:
		l->hook[l->n] = attr_uint(a);
		break;
	}
	if (l->n)
		return MNL_CB_OK;
	switch (mnl_attr_get_type(a)) {
	case WBNF_R_VERDICT:
		l->verdict = attr_uint(a);
		break;
	case WBNF_R_SRC_LEN:
		l->src_len = attr_uint(a);
		break;
	case WBNF_R_DPORT_MIN:
		l->dport_min = attr_uint(a);
		break;
	case WBNF_R_DPORT_MAX:
		l->dport_max = attr_uint(a);
		break;
	case WBNF_R_PROTO:
		l->proto = attr_uint(a);
		break;
	case WBNF_R_PACKETS:
		l->packets = attr_uint(a);
		break;
	}
	return MNL_CB_OK;
}

static int list_attr_cb(const struct nlattr *a, void *data)
{
	if (mnl_attr_get_type(a) == WBNF_A_RULE)
		mnl_attr_parse_nested(a, list_rule_cb, data);
	return MNL_CB_OK;
}

static void list_msg(const struct nlmsghdr *nlh, void *data)
{
	struct listing *l = data;

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		l->intr = true;
	if (l->n >= MAX_RULES)
		return;
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), list_attr_cb, l);
	l->n++;
}

static void listing_init(struct listing *l)
{
	memset(l, 0, sizeof(*l));
	l->verdict = l->src_len = l->dport_min = l->dport_max = -1;
	l->proto = l->packets = -1;
}

/* Dump the rules (of @hook, or all when < 0) into @l. */
static int list_rules(int fam, int hook, struct listing *l, struct reply *r)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = genl_msg(buf, fam, WBNF_CMD_RULE_GET, true);

	listing_init(l);
	if (hook >= 0)
		mnl_attr_put_u32(nlh, WBNF_A_HOOK, hook);
	talk(NETLINK_GENERIC, nlh, list_msg, l, r);
	return r->err;
}

/* RULESET_SET with @n copies of @q (hook in it) and one policy. */
static int ruleset_set(int fam, const struct rule *q, int n, int pol_hook,
		       int policy, const struct rule *bad, int bad_at,
		       struct reply *r)
{
	char *buf = calloc(1, BIG_BUF);
	struct nlmsghdr *nlh;
	int i, err;

	if (!buf)
		return -ENOMEM;
	nlh = genl_msg(buf, fam, WBNF_CMD_RULESET_SET, false);
	for (i = 0; i < n; i++)
		put_rule(nlh, i == bad_at && bad ? bad : q);
	if (pol_hook >= 0) {
		struct nlattr *p = mnl_attr_nest_start(nlh, WBNF_A_POLICY);

		mnl_attr_put_u32(nlh, WBNF_A_HOOK, pol_hook);
		mnl_attr_put_u32(nlh, WBNF_A_POLICY, policy);
		mnl_attr_nest_end(nlh, p);
	}
	talk(NETLINK_GENERIC, nlh, NULL, NULL, r);
	err = r->err;
	free(buf);
	return err;
}

/* ------------------------------------------------------------- fixture */

FIXTURE(wbnf) {
	int fam;
	struct listing l;
};

FIXTURE_SETUP(wbnf)
{
	self->fam = resolve_family(WBNF_GENL_NAME);
	if (self->fam < 0)
		return;
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(self->fam, resolve_family(WBNF_GENL_NAME))
		TH_LOG("wbnf family not visible in a new netns");
}

FIXTURE_TEARDOWN(wbnf)
{
}

#define NEED_WBNF() do {						\
	if (self->fam < 0)						\
		SKIP(return, "no wbnf genl family (%s): module not loaded", \
		     strerror(-self->fam));				\
} while (0)

#define EXPECT_EMPTY() do {						\
	struct reply _r;						\
	ASSERT_EQ(0, list_rules(self->fam, -1, &self->l, &_r));	\
	EXPECT_EQ(0, self->l.n) TH_LOG("rejected requests left rules"); \
} while (0)

TEST_F(wbnf, add_list_delete)
{
	struct rule q = RULE(.src = net10, .src_bytes = 4, .src_len = 8,
			     .proto = 6, .dport_min = 22, .dport_max = 23);
	struct reply r;
	int id;

	NEED_WBNF();
	id = rule_new(self->fam, NF_INET_LOCAL_IN, &q, -1, &r);
	ASSERT_LT(0, id) TH_LOG("RULE_NEW: %s", r.msg);
	ASSERT_EQ(0, list_rules(self->fam, -1, &self->l, &r));
	ASSERT_EQ(1, self->l.n);
	EXPECT_EQ(id, self->l.id[0]);
	EXPECT_EQ(NF_INET_LOCAL_IN, self->l.hook[0]);
	EXPECT_EQ(WBNF_VERDICT_ACCEPT, self->l.verdict);
	EXPECT_EQ(8, self->l.src_len);
	EXPECT_EQ(6, self->l.proto);
	EXPECT_EQ(22, self->l.dport_min);
	EXPECT_EQ(23, self->l.dport_max);
	EXPECT_EQ(0, self->l.packets);
	/* other hooks: nothing */
	ASSERT_EQ(0, list_rules(self->fam, NF_INET_FORWARD, &self->l, &r));
	EXPECT_EQ(0, self->l.n);
	/* the wrong hook does not find it */
	EXPECT_EQ(-ENOENT, simple(self->fam, WBNF_CMD_RULE_DEL,
				  NF_INET_FORWARD, id, &r));
	EXPECT_NE(NULL, strstr(r.msg, "No rule with this id"));
	EXPECT_EQ(0, simple(self->fam, WBNF_CMD_RULE_DEL, NF_INET_LOCAL_IN,
			    id, &r));
	EXPECT_EQ(-ENOENT, simple(self->fam, WBNF_CMD_RULE_DEL,
				  NF_INET_LOCAL_IN, id, &r));
	EXPECT_EMPTY();
}

TEST_F(wbnf, index_inserts_in_order)
{
	struct rule q = RULE(.verdict = WBNF_VERDICT_DROP);
	int id[5], i;
	struct reply r;

	NEED_WBNF();
	for (i = 0; i < 3; i++) {
		id[i] = rule_new(self->fam, NF_INET_FORWARD, &q, -1, &r);
		ASSERT_LT(0, id[i]) TH_LOG("%s", r.msg);
	}
	id[3] = rule_new(self->fam, NF_INET_FORWARD, &q, 0, &r);	/* first */
	id[4] = rule_new(self->fam, NF_INET_FORWARD, &q, 2, &r);	/* third */
	ASSERT_LT(0, id[4]);
	ASSERT_EQ(0, list_rules(self->fam, NF_INET_FORWARD, &self->l, &r));
	ASSERT_EQ(5, self->l.n);
	EXPECT_EQ(id[3], self->l.id[0]);
	EXPECT_EQ(id[0], self->l.id[1]);
	EXPECT_EQ(id[4], self->l.id[2]);
	EXPECT_EQ(id[1], self->l.id[3]);
	EXPECT_EQ(id[2], self->l.id[4]);
	EXPECT_EQ(0, simple(self->fam, WBNF_CMD_RULE_FLUSH, NF_INET_FORWARD,
			    -1, &r));
	EXPECT_EMPTY();
}

struct bad_case {
	const char *name;
	int hook;
	struct rule q;
	const char *msg;	/* in the extack message; NULL: any */
	int err;		/* 0: -EINVAL */
};

TEST_F(wbnf, bad_rules_rejected_with_a_reason)
{
	static const uint8_t v4odd[3] = { 1, 2, 3 };
	const struct bad_case cases[] = {
		{ "no hook", -1, RULE(), "Missing hook" },
		{ "hook 5", 5, RULE(), NULL, -ERANGE },
		{ "no verdict", 1, RULE(.verdict = -1), "no verdict" },
		{ "verdict 9", 1, RULE(.verdict = 9), NULL, -ERANGE },
		{ "3-byte address", 1, RULE(.src = v4odd, .src_bytes = 3),
		  "4 (IPv4) or 16" },
		{ "host bits", 1, RULE(.src = host10, .src_bytes = 4,
				       .src_len = 8), "host bits" },
		{ "prefix 33 on IPv4", 1, RULE(.src = net10, .src_bytes = 4,
					       .src_len = 33), "longer" },
		{ "prefix length alone", 1, RULE(.dst_len = 8), "without an address" },
		{ "v4 src, v6 dst", 1, RULE(.src = net10, .src_bytes = 4,
					    .src_len = 8, .dst = v6db8,
					    .dst_bytes = 16, .dst_len = 32),
		  "Mixes" },
		{ "icmp to a v6 address", 1, RULE(.dst = v6db8, .dst_bytes = 16,
						  .dst_len = 32, .proto = 1),
		  "Mixes" },
		{ "family 7", 1, RULE(.family = 7), "Family" },
		{ "port without protocol", 1, RULE(.dport_min = 22), "Ports need" },
		{ "port with icmp", 1, RULE(.proto = 1, .dport_min = 22),
		  "Ports need" },
		{ "empty port range", 1, RULE(.proto = 6, .dport_min = 30,
					      .dport_max = 20), "empty" },
		{ "range without low end", 1, RULE(.proto = 17, .sport_max = 9),
		  "low end" },
		{ "icmp code without type", 1, RULE(.proto = 1, .icmp_code = 0),
		  "needs an ICMP type" },
		{ "icmp type with tcp", 1, RULE(.proto = 6, .icmp_type = 8),
		  "needs protocol ICMP" },
		{ "empty iif", 1, RULE(.iif = ""), "Empty interface" },
		{ "iif '+'", 1, RULE(.iif = "+"), "Empty interface" },
		{ "iif of 16 characters", 1, RULE(.iif = "abcdefghijklmnop"),
		  NULL },
		{ "iif at output", 3, RULE(.iif = "lo"), "No input interface" },
		{ "oif at input", 1, RULE(.oif = "lo"), "No output interface" },
		{ "reject at postrouting", 4,
		  RULE(.verdict = WBNF_VERDICT_REJECT), "Reject" },
		{ "rule id given", 1, RULE(.id = 7), "given by the kernel" },
		{ "counters given", 1, RULE(.packets = 1), "read-only" },
		{ "empty ct state", 1, RULE(.ct_state = 0), "empty ct state" },
		{ "unknown ct state bit", 1, RULE(.ct_state = 0x20), NULL },
		{ "notrack at input", 1, RULE(.verdict = WBNF_VERDICT_NOTRACK),
		  "Notrack works" },
		{ "notrack with ct state", 0,
		  RULE(.verdict = WBNF_VERDICT_NOTRACK, .ct_state = 1),
		  "no ct state" },
		{ "unknown attribute", 1, RULE(.unknown = WBNF_R_MAX + 1), NULL },
		{ "hook differs", 1, RULE(.hook = 2), "differs" },
	};
	struct reply r;
	size_t i;

	NEED_WBNF();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct bad_case *c = &cases[i];

		EXPECT_EQ(c->err ?: -EINVAL,
			  rule_new(self->fam, c->hook, &c->q, -1, &r))
			TH_LOG("%s: accepted or wrong errno", c->name);
		EXPECT_NE(0, r.msg[0]) TH_LOG("%s: no extack message", c->name);
		if (c->msg)
			EXPECT_NE(NULL, strcasestr(r.msg, c->msg))
				TH_LOG("%s: message \"%s\" lacks \"%s\"",
				       c->name, r.msg, c->msg);
	}
	EXPECT_EMPTY();
}

TEST_F(wbnf, unknown_top_level_attribute_strict)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct reply r;

	NEED_WBNF();
	nlh = genl_msg(buf, self->fam, WBNF_CMD_RULE_FLUSH, false);
	mnl_attr_put_u32(nlh, WBNF_A_MAX + 1, 1);
	talk(NETLINK_GENERIC, nlh, NULL, NULL, &r);
	EXPECT_EQ(-EINVAL, r.err);
	/* and a command number nobody knows */
	nlh = genl_msg(buf, self->fam, WBNF_CMD_MAX + 1, false);
	talk(NETLINK_GENERIC, nlh, NULL, NULL, &r);
	EXPECT_EQ(-EOPNOTSUPP, r.err);
	/* a policy out of range */
	EXPECT_EQ(-ERANGE, simple(self->fam, WBNF_CMD_POLICY_SET,
				  NF_INET_LOCAL_IN, WBNF_VERDICT_REJECT, &r));
	EXPECT_NE(0, r.msg[0]);
	/* a required attribute missing is named */
	EXPECT_EQ(-EINVAL, simple(self->fam, WBNF_CMD_POLICY_SET,
				  NF_INET_LOCAL_IN, -1, &r));
	EXPECT_NE(NULL, strstr(r.msg, "Missing policy")) TH_LOG("%s", r.msg);
}

static int stats_cb(const struct nlattr *a, void *data)
{
	int64_t *v = data;	/* hook, family, policy, rules */

	switch (mnl_attr_get_type(a)) {
	case WBNF_A_HOOK:
		v[0] = attr_uint(a);
		break;
	case WBNF_A_FAMILY:
		v[1] = attr_uint(a);
		break;
	case WBNF_A_POLICY:
		v[2] = attr_uint(a);
		break;
	case WBNF_A_RULES:
		v[3] = attr_uint(a);
		break;
	}
	return MNL_CB_OK;
}

struct stats {
	int n;
	int64_t policy[WBNF_HOOKS][2], rules[WBNF_HOOKS][2];
};

static void stats_msg(const struct nlmsghdr *nlh, void *data)
{
	struct stats *s = data;
	int64_t v[4] = { -1, -1, -1, -1 };
	int f;

	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), stats_cb, v);
	s->n++;
	if (v[0] < 0 || v[0] >= WBNF_HOOKS || (v[1] != AF_INET && v[1] != AF_INET6))
		return;
	f = v[1] == AF_INET6;
	s->policy[v[0]][f] = v[2];
	s->rules[v[0]][f] = v[3];
}

static int get_stats(int fam, struct stats *s, struct reply *r)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = genl_msg(buf, fam, WBNF_CMD_STATS_GET, true);

	memset(s, 0xff, sizeof(*s));
	s->n = 0;
	talk(NETLINK_GENERIC, nlh, stats_msg, s, r);
	return r->err;
}

TEST_F(wbnf, ruleset_set_replaces_all_or_nothing)
{
	struct rule in = RULE(.hook = NF_INET_LOCAL_IN, .proto = 1);
	struct rule bad = RULE(.hook = NF_INET_LOCAL_IN, .dport_min = 1);
	struct listing before;
	struct stats s;
	struct reply r;
	int i;

	NEED_WBNF();
	ASSERT_EQ(0, ruleset_set(self->fam, &in, 3, NF_INET_FORWARD,
				 WBNF_VERDICT_DROP, NULL, -1, &r))
		TH_LOG("%s", r.msg);
	ASSERT_EQ(0, list_rules(self->fam, -1, &before, &r));
	ASSERT_EQ(3, before.n);
	ASSERT_EQ(0, get_stats(self->fam, &s, &r));
	EXPECT_EQ(WBNF_HOOKS * 2, s.n);
	for (i = 0; i < WBNF_HOOKS; i++) {
		EXPECT_EQ(i == NF_INET_FORWARD ? WBNF_VERDICT_DROP :
			  WBNF_VERDICT_ACCEPT, s.policy[i][0]);
		EXPECT_EQ(s.policy[i][0], s.policy[i][1]);
		EXPECT_EQ(i == NF_INET_LOCAL_IN ? 3 : 0, s.rules[i][1]);
	}
	/* one bad rule in the middle: nothing changes */
	EXPECT_EQ(-EINVAL, ruleset_set(self->fam, &in, 5, -1, 0, &bad, 2, &r));
	EXPECT_NE(NULL, strstr(r.msg, "Ports need")) TH_LOG("%s", r.msg);
	ASSERT_EQ(0, list_rules(self->fam, -1, &self->l, &r));
	ASSERT_EQ(3, self->l.n);
	for (i = 0; i < 3; i++)
		EXPECT_EQ(before.id[i], self->l.id[i]);
	/* a rule without its hook */
	bad = RULE();
	EXPECT_EQ(-EINVAL, ruleset_set(self->fam, &in, 2, -1, 0, &bad, 1, &r));
	EXPECT_NE(NULL, strstr(r.msg, "no hook")) TH_LOG("%s", r.msg);
	/* an empty set: everything goes, policies back to accept */
	ASSERT_EQ(0, ruleset_set(self->fam, &in, 0, -1, 0, NULL, -1, &r));
	EXPECT_EMPTY();
	ASSERT_EQ(0, get_stats(self->fam, &s, &r));
	EXPECT_EQ(WBNF_VERDICT_ACCEPT, s.policy[NF_INET_FORWARD][0]);
}

static void big_sndbuf(void)
{
	/* a whole hook's rules in one message: past the default sndbuf */
	wb_sndbuf = BIG_BUF;
}

/*
 * A full hook: the limit holds, and a dump returns each rule once. Two
 * rule sets of 16384 rules and their dump: seconds on a production kernel,
 * past the harness's default 30 s on the debug kernel (KASAN, TCG).
 */
TEST_F_TIMEOUT(wbnf, rule_limit_and_long_dump, 600)
{
	struct rule q = RULE(.hook = NF_INET_LOCAL_OUT);
	struct listing *l = &self->l;
	struct reply r;
	int i;

	NEED_WBNF();
	big_sndbuf();
	EXPECT_EQ(-ENOSPC, ruleset_set(self->fam, &q, WBNF_RULES_MAX + 1, -1,
				       0, NULL, -1, &r));
	EXPECT_NE(NULL, strstr(r.msg, "Too many rules")) TH_LOG("%s", r.msg);
	ASSERT_EQ(0, ruleset_set(self->fam, &q, WBNF_RULES_MAX, -1, 0, NULL,
				 -1, &r)) TH_LOG("%s", r.msg);
	EXPECT_EQ(-ENOSPC, rule_new(self->fam, NF_INET_LOCAL_OUT, &q, -1, &r));
	EXPECT_NE(NULL, strstr(r.msg, "16384")) TH_LOG("%s", r.msg);
	/* other hooks are not full */
	q.hook = -1;
	EXPECT_LT(0, rule_new(self->fam, NF_INET_LOCAL_IN, &q, -1, &r))
		TH_LOG("%s", r.msg);
	ASSERT_EQ(0, list_rules(self->fam, NF_INET_LOCAL_OUT, l, &r));
	ASSERT_EQ(WBNF_RULES_MAX, l->n);
	EXPECT_FALSE(l->intr);
	/* ids of one RULESET_SET are consecutive, in order */
	for (i = 1; i < l->n; i++)
		ASSERT_EQ(l->id[i - 1] + 1, l->id[i]) TH_LOG("rule %d", i);
	ASSERT_EQ(0, simple(self->fam, WBNF_CMD_RULE_FLUSH, -1, -1, &r));
	EXPECT_EMPTY();
}

/* A change between two parts of a dump is flagged NLM_F_DUMP_INTR. */
TEST_F(wbnf, dump_interrupted_by_a_change_says_so)
{
	struct rule q = RULE(.hook = NF_INET_FORWARD);
	char buf[MNL_SOCKET_BUFFER_SIZE];
	static char rx[BUF_SIZE];
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	bool intr = false, done = false, first = true;
	struct reply r;
	int len, rules = 0, first_part = 0;

	NEED_WBNF();
	big_sndbuf();
	ASSERT_EQ(0, ruleset_set(self->fam, &q, 2000, -1, 0, NULL, -1, &r));
	nl = wb_nl_open_proto(NETLINK_GENERIC);
	ASSERT_NE(NULL, nl);
	nlh = genl_msg(buf, self->fam, WBNF_CMD_RULE_GET, true);
	ASSERT_LT(0, mnl_socket_sendto(nl, nlh, nlh->nlmsg_len));
	while (!done) {
		struct nlmsghdr *m = (struct nlmsghdr *)rx;

		len = mnl_socket_recvfrom(nl, rx, sizeof(rx));
		ASSERT_LT(0, len);
		for (; mnl_nlmsg_ok(m, len); m = mnl_nlmsg_next(m, &len)) {
			if (m->nlmsg_type == NLMSG_DONE ||
			    m->nlmsg_type == NLMSG_ERROR) {
				done = true;
				break;
			}
			if (m->nlmsg_flags & NLM_F_DUMP_INTR)
				intr = true;
			rules++;
		}
		if (first) {
			/* the first part is read: change the set */
			first = false;
			first_part = rules;
			ASSERT_LT(0, rule_new(self->fam, NF_INET_FORWARD, &q,
					      0, &r));
		}
	}
	mnl_socket_close(nl);
	ASSERT_GT(2000, first_part) TH_LOG("the dump fit one part: no test");
	EXPECT_TRUE(intr);
}

TEST_F(wbnf, trace_set_get)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct nlattr *m;
	struct reply r;

	NEED_WBNF();
	nlh = genl_msg(buf, self->fam, WBNF_CMD_TRACE_SET, false);
	mnl_attr_put_u8(nlh, WBNF_A_TRACE_ON, 1);
	mnl_attr_put_u32(nlh, WBNF_A_TRACE_RATE, 0);
	talk(NETLINK_GENERIC, nlh, NULL, NULL, &r);
	EXPECT_EQ(-ERANGE, r.err);

	nlh = genl_msg(buf, self->fam, WBNF_CMD_TRACE_SET, false);
	mnl_attr_put_u8(nlh, WBNF_A_TRACE_ON, 1);
	mnl_attr_put_u32(nlh, WBNF_A_TRACE_RATE, WBNF_TRACE_RATE_MAX + 1);
	talk(NETLINK_GENERIC, nlh, NULL, NULL, &r);
	EXPECT_EQ(-ERANGE, r.err);

	/* a trace match is a match: no verdict */
	nlh = genl_msg(buf, self->fam, WBNF_CMD_TRACE_SET, false);
	mnl_attr_put_u8(nlh, WBNF_A_TRACE_ON, 1);
	m = mnl_attr_nest_start(nlh, WBNF_A_TRACE_MATCH);
	mnl_attr_put_u32(nlh, WBNF_R_VERDICT, WBNF_VERDICT_DROP);
	mnl_attr_nest_end(nlh, m);
	talk(NETLINK_GENERIC, nlh, NULL, NULL, &r);
	EXPECT_EQ(-EINVAL, r.err);
	EXPECT_NE(NULL, strstr(r.msg, "no hook or verdict")) TH_LOG("%s", r.msg);

	nlh = genl_msg(buf, self->fam, WBNF_CMD_TRACE_SET, false);
	mnl_attr_put_u8(nlh, WBNF_A_TRACE_ON, 1);
	mnl_attr_put_u32(nlh, WBNF_A_TRACE_RATE, 5);
	m = mnl_attr_nest_start(nlh, WBNF_A_TRACE_MATCH);
	mnl_attr_put_u8(nlh, WBNF_R_PROTO, 1);
	mnl_attr_nest_end(nlh, m);
	talk(NETLINK_GENERIC, nlh, NULL, NULL, &r);
	ASSERT_EQ(0, r.err) TH_LOG("%s", r.msg);

	/* TRACE_GET is checked through wbctl trace show in wbnf-trace.sh */
	nlh = genl_msg(buf, self->fam, WBNF_CMD_TRACE_GET, false);
	talk(NETLINK_GENERIC, nlh, NULL, NULL, &r);
	EXPECT_EQ(0, r.err);

	nlh = genl_msg(buf, self->fam, WBNF_CMD_TRACE_SET, false);
	mnl_attr_put_u8(nlh, WBNF_A_TRACE_ON, 0);
	talk(NETLINK_GENERIC, nlh, NULL, NULL, &r);
	EXPECT_EQ(0, r.err);
}

/* The rules of one netns are invisible and untouchable from another. */
TEST_F(wbnf, netns_isolation)
{
	struct rule q = RULE(.verdict = WBNF_VERDICT_DROP);
	struct reply r;
	int here, id;

	NEED_WBNF();
	id = rule_new(self->fam, NF_INET_LOCAL_IN, &q, -1, &r);
	ASSERT_LT(0, id);
	here = open("/proc/self/ns/net", O_RDONLY);
	ASSERT_LE(0, here);
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	EXPECT_EMPTY();
	EXPECT_EQ(-ENOENT, simple(self->fam, WBNF_CMD_RULE_DEL,
				  NF_INET_LOCAL_IN, id, &r));
	EXPECT_EQ(0, simple(self->fam, WBNF_CMD_RULE_FLUSH, -1, -1, &r));
	ASSERT_EQ(0, setns(here, CLONE_NEWNET));
	ASSERT_EQ(0, list_rules(self->fam, -1, &self->l, &r));
	EXPECT_EQ(1, self->l.n);
	close(here);
}

static int mcgrp_cb(const struct nlattr *a, void *data);

static int mcgrps_cb(const struct nlattr *a, void *data)
{
	mnl_attr_parse_nested(a, mcgrp_cb, data);
	return MNL_CB_OK;
}

static int mcgrp_cb(const struct nlattr *a, void *data)
{
	if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_ID)
		*(int *)data = mnl_attr_get_u32(a);
	return MNL_CB_OK;
}

static int family_mc_cb(const struct nlattr *a, void *data)
{
	if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GROUPS)
		mnl_attr_parse_nested(a, mcgrps_cb, data);
	return MNL_CB_OK;
}

static void family_mc_msg(const struct nlmsghdr *nlh, void *data)
{
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_mc_cb, data);
}

/* The id of wbnf's only multicast group, "trace". */
static int trace_group(void)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct reply r;
	int id = -1;

	nlh = genl_msg(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, false);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, WBNF_GENL_NAME);
	talk(NETLINK_GENERIC, nlh, family_mc_msg, &id, &r);
	return r.err ? r.err : id;
}

static int join(int grp)
{
	struct mnl_socket *nl = wb_nl_open_proto(NETLINK_GENERIC);
	int ret;

	if (!nl)
		return -errno;
	ret = mnl_socket_setsockopt(nl, NETLINK_ADD_MEMBERSHIP, &grp,
				    sizeof(grp));
	ret = ret ? -errno : 0;
	mnl_socket_close(nl);
	return ret;
}

static void drop_privileges(struct __test_metadata *_metadata)
{
	ASSERT_EQ(0, setgroups(0, NULL));
	ASSERT_EQ(0, setresgid(65534, 65534, 65534));
	ASSERT_EQ(0, setresuid(65534, 65534, 65534));
}

TEST_F(wbnf, unprivileged_gets_eperm_and_changes_nothing)
{
	struct rule q = RULE(.verdict = WBNF_VERDICT_DROP);
	struct reply r;
	int grp, id;

	NEED_WBNF();
	id = rule_new(self->fam, NF_INET_LOCAL_IN, &q, -1, &r);
	ASSERT_LT(0, id);
	grp = trace_group();
	ASSERT_LT(0, grp);
	ASSERT_EQ(0, join(grp));

	drop_privileges(_metadata);
	EXPECT_EQ(-EPERM, rule_new(self->fam, NF_INET_LOCAL_IN, &q, -1, &r));
	EXPECT_EQ(-EPERM, simple(self->fam, WBNF_CMD_RULE_DEL,
				 NF_INET_LOCAL_IN, id, &r));
	EXPECT_EQ(-EPERM, simple(self->fam, WBNF_CMD_RULE_FLUSH, -1, -1, &r));
	EXPECT_EQ(-EPERM, simple(self->fam, WBNF_CMD_POLICY_SET,
				 NF_INET_LOCAL_IN, WBNF_VERDICT_DROP, &r));
	EXPECT_EQ(-EPERM, list_rules(self->fam, -1, &self->l, &r));
	EXPECT_EQ(-EPERM, join(grp));
}

static void write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);

	if (fd >= 0) {
		if (write(fd, s, strlen(s)) < 0)
			perror(path);
		close(fd);
	}
}

/* Root of a user namespace rules its own netns, not its parent's. */
TEST_F(wbnf, userns_root_owns_only_its_netns)
{
	struct rule q = RULE(.verdict = WBNF_VERDICT_DROP);
	char map[64];
	struct reply r;
	uid_t uid;
	gid_t gid;

	NEED_WBNF();
	drop_privileges(_metadata);
	uid = getuid();
	gid = getgid();
	ASSERT_EQ(0, unshare(CLONE_NEWUSER));
	snprintf(map, sizeof(map), "0 %u 1", uid);
	write_file("/proc/self/uid_map", map);
	write_file("/proc/self/setgroups", "deny");
	snprintf(map, sizeof(map), "0 %u 1", gid);
	write_file("/proc/self/gid_map", map);
	/* still in a netns of the initial user namespace */
	EXPECT_EQ(-EPERM, rule_new(self->fam, NF_INET_LOCAL_IN, &q, -1, &r));
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	EXPECT_LT(0, rule_new(self->fam, NF_INET_LOCAL_IN, &q, -1, &r))
		TH_LOG("in its own netns: %s", r.msg);
	EXPECT_EQ(0, join(trace_group()));
}

TEST_HARNESS_MAIN
