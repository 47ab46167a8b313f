// SPDX-License-Identifier: GPL-2.0
/*
 * The "wbnf" family's conntrack commands: every malformed tuple, filter
 * and setting is refused with an errno and an extack message naming the
 * problem; settings are per netns (the maximum only from the initial
 * one); and a dump of a 100k-entry table is complete, with every entry
 * exactly once, across as many messages as it takes.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/wirebox.h>

#include "kselftest_harness.h"
#include "wbnl.h"
#include "wbfail.h"

#define NFLOWS		100000U

#pragma GCC diagnostic ignored "-Woverride-init"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
struct tuple {
	const void *src, *dst;
	int src_len, dst_len;
	int proto, sport, dport, icmp_type, icmp_code, icmp_id;
};

#define TUPLE(...) ((struct tuple){ .src = v4a, .dst = v4b, .src_len = 4, \
	.dst_len = 4, .proto = 17, .sport = 1000, .dport = 2000,	\
	.icmp_type = -1, .icmp_code = -1, .icmp_id = -1, __VA_ARGS__ })

static const uint8_t v4a[4] = { 10, 0, 0, 1 };
static const uint8_t v4b[4] = { 10, 0, 0, 2 };
static const uint8_t v6a[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };

static void put_tuple(struct nlmsghdr *nlh, int type, const struct tuple *t)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);

	if (t->src)
		mnl_attr_put(nlh, WBNF_TUPLE_SRC, t->src_len, t->src);
	if (t->dst)
		mnl_attr_put(nlh, WBNF_TUPLE_DST, t->dst_len, t->dst);
#define PUT(type, attr, v) do { if ((v) >= 0) mnl_attr_put_##type(nlh, attr, v); } while (0)
	PUT(u8, WBNF_TUPLE_PROTO, t->proto);
	PUT(u16, WBNF_TUPLE_SPORT, t->sport);
	PUT(u16, WBNF_TUPLE_DPORT, t->dport);
	PUT(u8, WBNF_TUPLE_ICMP_TYPE, t->icmp_type);
	PUT(u8, WBNF_TUPLE_ICMP_CODE, t->icmp_code);
	PUT(u16, WBNF_TUPLE_ICMP_ID, t->icmp_id);
#undef PUT
	mnl_attr_nest_end(nlh, nest);
}

static int ct_by_tuple(int fam, uint8_t cmd, const struct tuple *t,
		       int64_t id, struct reply *r)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = genl_msg(buf, fam, cmd, false);

	if (t)
		put_tuple(nlh, WBNF_A_CT_TUPLE, t);
	if (id >= 0)
		mnl_attr_put_u32(nlh, WBNF_A_CT_ID, id);
	talk(NETLINK_GENERIC, nlh, NULL, NULL, r);
	return r->err;
}

/* CT_CONFIG_SET of one u32 (or CT_FLUSH/GET with a raw filter attribute) */
static int ct_config_set(int fam, int attr, uint32_t v, struct reply *r)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = genl_msg(buf, fam, WBNF_CMD_CT_CONFIG_SET, false);
	struct nlattr *nest = mnl_attr_nest_start(nlh, WBNF_A_CT_CONFIG);

	if (attr >= 0)
		mnl_attr_put_u32(nlh, attr, v);
	mnl_attr_nest_end(nlh, nest);
	talk(NETLINK_GENERIC, nlh, NULL, NULL, r);
	return r->err;
}

struct nest_get {
	int outer, inner;
	int64_t v;
};

static int inner_cb(const struct nlattr *a, void *data)
{
	struct nest_get *g = data;

	if (mnl_attr_get_type(a) == g->inner)
		g->v = attr_uint(a);
	return MNL_CB_OK;
}

static int outer_cb(const struct nlattr *a, void *data)
{
	struct nest_get *g = data;

	if (mnl_attr_get_type(a) == g->outer)
		mnl_attr_parse_nested(a, inner_cb, g);
	return MNL_CB_OK;
}

static void nest_msg(const struct nlmsghdr *nlh, void *data)
{
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), outer_cb, data);
}

/* One attribute of the reply's CT_CONFIG or CT_STATS nest; -1: error */
static int64_t ct_get_one(int fam, uint8_t cmd, int outer, int inner)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nest_get g = { outer, inner, -1 };
	struct reply r;

	talk(NETLINK_GENERIC, genl_msg(buf, fam, cmd, false), nest_msg, &g, &r);
	return r.err ? -1 : g.v;
}

#define CONFIG(fam, a) ct_get_one(fam, WBNF_CMD_CT_CONFIG_GET, WBNF_A_CT_CONFIG, a)
#define STATS(fam, a) ct_get_one(fam, WBNF_CMD_CT_STATS_GET, WBNF_A_CT_STATS, a)

FIXTURE(ct)
{
	int fam;
	int init_ns;	/* the initial netns, for the maximum */
};

FIXTURE_SETUP(ct)
{
	self->init_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, self->init_ns);
	self->fam = resolve_family(WBNF_GENL_NAME);
	if (self->fam < 0)
		return;
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, system("ip link set lo up"));
}

FIXTURE_TEARDOWN(ct)
{
	close(self->init_ns);
}

#define NEED_WBNF() do {						\
	if (self->fam < 0)						\
		SKIP(return, "no wbnf genl family (%s): module not loaded", \
		     strerror(-self->fam));				\
} while (0)

struct bad_tuple {
	const char *name;
	struct tuple t;
	bool no_tuple;
	int64_t id;
	const char *msg;
	int err;
};

TEST_F(ct, bad_keys_rejected_with_a_reason)
{
	static const uint8_t v4odd[3] = { 1, 2, 3 };
	const struct bad_tuple cases[] = {
		{ "no tuple, no id", .no_tuple = true, .id = -1,
		  .msg = "Missing WBNF_A_CT_TUPLE" },
		{ "tuple and id", TUPLE(), .id = 3, .msg = "not both" },
		{ "id 0", .no_tuple = true, .id = 0, .err = -ERANGE },
		{ "no source", TUPLE(.src = NULL), .id = -1, .msg = "needs" },
		{ "no protocol", TUPLE(.proto = -1), .id = -1, .msg = "needs" },
		{ "3-byte address", TUPLE(.src = v4odd, .src_len = 3), .id = -1,
		  .msg = "4 (IPv4) or 16" },
		{ "v4 source, v6 destination",
		  TUPLE(.dst = v6a, .dst_len = 16), .id = -1, .msg = "Mixes" },
		{ "UDP without ports", TUPLE(.sport = -1), .id = -1,
		  .msg = "needs WBNF_TUPLE_SPORT" },
		{ "TCP with an ICMP type", TUPLE(.proto = 6, .icmp_type = 8),
		  .id = -1, .msg = "ICMP fields" },
		{ "ICMP without a type",
		  TUPLE(.proto = 1, .sport = -1, .dport = -1), .id = -1,
		  .msg = "needs WBNF_TUPLE_ICMP_TYPE" },
		{ "ICMP with ports", TUPLE(.proto = 1, .icmp_type = 8), .id = -1,
		  .msg = "Ports in an ICMP" },
		{ "GRE with ports", TUPLE(.proto = 47), .id = -1,
		  .msg = "no ports" },
		{ "a tuple nobody has", TUPLE(), .id = -1,
		  .msg = "No such conntrack entry", .err = -ENOENT },
		{ "an id nobody has", .no_tuple = true, .id = 12345,
		  .msg = "No such conntrack entry", .err = -ENOENT },
	};
	struct reply r;
	size_t i;

	NEED_WBNF();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct bad_tuple *c = &cases[i];
		uint8_t cmds[] = { WBNF_CMD_CT_GET, WBNF_CMD_CT_DEL };
		size_t j;

		for (j = 0; j < sizeof(cmds); j++) {
			EXPECT_EQ(c->err ?: -EINVAL,
				  ct_by_tuple(self->fam, cmds[j],
					      c->no_tuple ? NULL : &c->t, c->id,
					      &r))
				TH_LOG("%s (cmd %u): wrong errno", c->name,
				       cmds[j]);
			if (c->msg)
				EXPECT_NE(NULL, strcasestr(r.msg, c->msg))
					TH_LOG("%s: message \"%s\"", c->name,
					       r.msg);
		}
	}
}

struct bad_filter {
	const char *name;
	int attr;		/* in WBNF_A_CT_FILTER */
	uint32_t v;
	bool orig_proto;	/* a WBNF_CT_ORIG with a protocol */
	const char *msg;
	int err;
};

TEST_F(ct, bad_filters_and_settings_rejected)
{
	const struct bad_filter filters[] = {
		{ "family 7", WBNF_CT_FAMILY, 7, .msg = "Family" },
		{ "id in a filter", WBNF_CT_ID, 1, .msg = "Not a filter" },
		{ "timeout in a filter", WBNF_CT_TIMEOUT, 1, .msg = "Not a filter" },
		{ "status CONFIRMED", WBNF_CT_STATUS, WBNF_CT_F_CONFIRMED },
		{ "tcp state 10", WBNF_CT_TCP_STATE, 10, .err = -ERANGE },
		{ "a protocol in the tuple", -1, 0, true, "addresses only" },
	};
	uint8_t cmds[] = { WBNF_CMD_CT_GET, WBNF_CMD_CT_FLUSH };
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct reply r;
	size_t i, j;

	NEED_WBNF();
	for (i = 0; i < sizeof(filters) / sizeof(filters[0]); i++) {
		const struct bad_filter *c = &filters[i];

		for (j = 0; j < sizeof(cmds); j++) {
			struct nlmsghdr *nlh;
			struct nlattr *nest;

			nlh = genl_msg(buf, self->fam, cmds[j],
				       cmds[j] == WBNF_CMD_CT_GET);
			nest = mnl_attr_nest_start(nlh, WBNF_A_CT_FILTER);
			if (c->attr == WBNF_CT_FAMILY ||
			    c->attr == WBNF_CT_TCP_STATE)
				mnl_attr_put_u8(nlh, c->attr, c->v);
			else if (c->attr >= 0)
				mnl_attr_put_u32(nlh, c->attr, c->v);
			if (c->orig_proto) {
				struct tuple t = TUPLE();

				put_tuple(nlh, WBNF_CT_ORIG, &t);
			}
			mnl_attr_nest_end(nlh, nest);
			talk(NETLINK_GENERIC, nlh, NULL, NULL, &r);
			EXPECT_EQ(c->err ?: -EINVAL, r.err)
				TH_LOG("%s (cmd %u): wrong errno %d", c->name,
				       cmds[j], r.err);
			EXPECT_NE(0, r.msg[0]) TH_LOG("%s: no message", c->name);
			if (c->msg)
				EXPECT_NE(NULL, strcasestr(r.msg, c->msg))
					TH_LOG("%s: message \"%s\"", c->name,
					       r.msg);
		}
	}

	EXPECT_EQ(-ERANGE, ct_config_set(self->fam, WBNF_CTC_ICMP, 0, &r));
	EXPECT_EQ(-ERANGE, ct_config_set(self->fam, WBNF_CTC_UDP,
					 WBNF_CT_TIMEOUT_MAX + 1, &r));
	EXPECT_EQ(-EINVAL, ct_config_set(self->fam, WBNF_CTC_HASHSIZE, 1, &r));
	EXPECT_NE(NULL, strcasestr(r.msg, "at load")) TH_LOG("%s", r.msg);
	EXPECT_EQ(-EPERM, ct_config_set(self->fam, WBNF_CTC_ENTRIES_MAX, 10,
					&r));
	EXPECT_NE(NULL, strcasestr(r.msg, "initial netns")) TH_LOG("%s", r.msg);
	EXPECT_EQ(-ERANGE, ct_config_set(self->fam, WBNF_CTC_ENTRIES_MAX, 0,
					 &r));
	talk(NETLINK_GENERIC, genl_msg(buf, self->fam, WBNF_CMD_CT_CONFIG_SET,
				       false), NULL, NULL, &r);
	EXPECT_EQ(-EINVAL, r.err);
	EXPECT_NE(NULL, strcasestr(r.msg, "Missing WBNF_A_CT_CONFIG"));
	/* nothing of that changed anything */
	EXPECT_EQ(30, CONFIG(self->fam, WBNF_CTC_ICMP));
	EXPECT_EQ(30, CONFIG(self->fam, WBNF_CTC_UDP));
}

TEST_F(ct, settings_are_per_netns)
{
	struct reply r;

	NEED_WBNF();
	EXPECT_EQ(432000, CONFIG(self->fam, WBNF_CTC_TCP_ESTABLISHED));
	ASSERT_EQ(0, ct_config_set(self->fam, WBNF_CTC_ICMP, 7, &r));
	ASSERT_EQ(0, ct_config_set(self->fam, WBNF_CTC_TCP_ESTABLISHED, 3600,
				   &r));
	EXPECT_EQ(7, CONFIG(self->fam, WBNF_CTC_ICMP));
	EXPECT_EQ(3600, CONFIG(self->fam, WBNF_CTC_TCP_ESTABLISHED));
	EXPECT_EQ(0, STATS(self->fam, WBNF_CTS_COUNT));
	ASSERT_EQ(0, setns(self->init_ns, CLONE_NEWNET));
	EXPECT_EQ(30, CONFIG(self->fam, WBNF_CTC_ICMP))
		TH_LOG("a netns's timeout changed the initial netns's");
	EXPECT_EQ(432000, CONFIG(self->fam, WBNF_CTC_TCP_ESTABLISHED));
}

/* ---- a big table ---- */

struct dump_count {
	unsigned int msgs, entries, dups, bad;
	uint8_t *seen;		/* by id */
};

static int dump_ct_cb(const struct nlattr *a, void *data)
{
	struct dump_count *d = data;
	int64_t id;

	if (mnl_attr_get_type(a) != WBNF_CT_ID)
		return MNL_CB_OK;
	id = attr_uint(a);
	if (id <= 0 || id > 4 * NFLOWS) {
		d->bad++;
		return MNL_CB_OK;
	}
	if (d->seen[id]++)
		d->dups++;
	return MNL_CB_OK;
}

static int dump_attr_cb(const struct nlattr *a, void *data)
{
	if (mnl_attr_get_type(a) == WBNF_A_CT) {
		((struct dump_count *)data)->entries++;
		mnl_attr_parse_nested(a, dump_ct_cb, data);
	}
	return MNL_CB_OK;
}

static void dump_msg(const struct nlmsghdr *nlh, void *data)
{
	((struct dump_count *)data)->msgs++;
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), dump_attr_cb, data);
}

/* NFLOWS UDP flows out of a dummy device: each a confirmed entry */
static int make_flows(void)
{
	struct sockaddr_in to = { .sin_family = AF_INET };
	unsigned int i;
	int s[2], k;

	if (system("ip link add wbct0 type dummy && "
		   "ip addr add 10.77.0.1/16 dev wbct0 && "
		   "ip link set wbct0 up"))
		return -1;
	for (k = 0; k < 2; k++) {
		struct sockaddr_in me = { .sin_family = AF_INET,
					  .sin_port = htons(5000 + k) };

		s[k] = socket(AF_INET, SOCK_DGRAM, 0);
		if (s[k] < 0 || bind(s[k], (void *)&me, sizeof(me)))
			return -1;
	}
	to.sin_addr.s_addr = inet_addr("10.77.1.1");
	for (i = 0; i < NFLOWS; i++) {
		to.sin_port = htons(1 + i / 2);
		if (sendto(s[i % 2], "x", 1, 0, (void *)&to, sizeof(to)) != 1)
			return -1;
	}
	close(s[0]);
	close(s[1]);
	return 0;
}

static void dump_tcp_only(int fam, struct dump_count *d, struct reply *r)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = genl_msg(buf, fam, WBNF_CMD_CT_GET, true);
	struct nlattr *nest = mnl_attr_nest_start(nlh, WBNF_A_CT_FILTER);

	mnl_attr_put_u8(nlh, WBNF_CT_PROTO, IPPROTO_TCP);
	mnl_attr_nest_end(nlh, nest);
	talk(NETLINK_GENERIC, nlh, dump_msg, d, r);
}

/* minutes on a KASAN kernel under TCG: the default 30 s is not enough */
TEST_F_TIMEOUT(ct, dump_of_100k_entries_is_whole, 900)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct dump_count d = {};
	int64_t old_max;
	struct reply r;
	int test_ns;

	NEED_WBNF();
	/* the maximum is the initial netns's to set */
	test_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, test_ns);
	ASSERT_EQ(0, setns(self->init_ns, CLONE_NEWNET));
	old_max = CONFIG(self->fam, WBNF_CTC_ENTRIES_MAX);
	ASSERT_LT(0, old_max);
	ASSERT_EQ(0, ct_config_set(self->fam, WBNF_CTC_ENTRIES_MAX,
				   2 * NFLOWS, &r)) TH_LOG("%s", r.msg);
	ASSERT_EQ(0, setns(test_ns, CLONE_NEWNET));
	/* a slow (debug) kernel takes minutes to send them: none may expire */
	ASSERT_EQ(0, ct_config_set(self->fam, WBNF_CTC_UDP, 3600, &r));

	EXPECT_EQ(0, make_flows());
	EXPECT_EQ(NFLOWS, STATS(self->fam, WBNF_CTS_COUNT));

	d.seen = calloc(4 * NFLOWS + 1, 1);
	ASSERT_NE(NULL, d.seen);
	talk(NETLINK_GENERIC, genl_msg(buf, self->fam, WBNF_CMD_CT_GET, true),
	     dump_msg, &d, &r);
	EXPECT_EQ(0, r.err) TH_LOG("%s", r.msg);
	EXPECT_EQ(NFLOWS, d.entries);
	EXPECT_EQ(0U, d.dups) TH_LOG("entries dumped twice");
	EXPECT_EQ(0U, d.bad);
	EXPECT_LT(1U, d.msgs) TH_LOG("one message for 100k entries?");
	TH_LOG("%u entries in %u messages", d.entries, d.msgs);
	free(d.seen);

	/* a filtered dump of the same table */
	memset(&d, 0, sizeof(d));
	d.seen = calloc(4 * NFLOWS + 1, 1);
	ASSERT_NE(NULL, d.seen);
	dump_tcp_only(self->fam, &d, &r);
	EXPECT_EQ(0, r.err);
	EXPECT_EQ(0U, d.entries) TH_LOG("a TCP filter matched UDP entries");
	free(d.seen);

	talk(NETLINK_GENERIC, genl_msg(buf, self->fam, WBNF_CMD_CT_FLUSH,
				       false), NULL, NULL, &r);
	EXPECT_EQ(0, r.err);
	EXPECT_EQ(0, STATS(self->fam, WBNF_CTS_COUNT));

	ASSERT_EQ(0, setns(self->init_ns, CLONE_NEWNET));
	EXPECT_EQ(0, ct_config_set(self->fam, WBNF_CTC_ENTRIES_MAX, old_max,
				   &r));
	close(test_ns);
}

/* ---- allocation failures ---- */

/* talk() with the Nth injection point of the send failed */
static void talk_nth(struct nlmsghdr *nlh, int fd, int nth, struct reply *r)
{
	wb_talk_fail_fd = fd;
	wb_talk_fail_nth = nth;
	talk(NETLINK_GENERIC, nlh, NULL, NULL, r);
	wb_talk_fail_fd = -1;
}

struct rule_count {
	unsigned int n;
};

static void count_rule_msg(const struct nlmsghdr *nlh, void *data)
{
	((struct rule_count *)data)->n++;
}

static unsigned int rules_now(int fam)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct rule_count c = {};
	struct reply r;

	talk(NETLINK_GENERIC, genl_msg(buf, fam, WBNF_CMD_RULE_GET, true),
	     count_rule_msg, &c, &r);
	return r.err ? 9999 : c.n;
}

static struct nlmsghdr *rule_new_msg(char *buf, int fam)
{
	struct nlmsghdr *nlh = genl_msg(buf, fam, WBNF_CMD_RULE_NEW, false);
	struct nlattr *nest;

	mnl_attr_put_u32(nlh, WBNF_A_HOOK, 1);	/* input */
	nest = mnl_attr_nest_start(nlh, WBNF_A_RULE);
	mnl_attr_put_u32(nlh, WBNF_R_VERDICT, WBNF_VERDICT_DROP);
	mnl_attr_put_u8(nlh, WBNF_R_PROTO, IPPROTO_TCP);
	mnl_attr_put_u16(nlh, WBNF_R_DPORT_MIN, 22);
	mnl_attr_put_u16(nlh, WBNF_R_DPORT_MAX, 22);
	mnl_attr_put_u32(nlh, WBNF_R_CT_STATE, WBNF_CT_STATE_NEW);
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

#define FAIL_NTH_DENSE	300

/*
 * Every allocation a rule insertion, a conntrack reply and a new
 * connection's first packet make, failed in turn: each failure is an
 * error to the caller, or a packet dropped and counted, and leaves
 * nothing half done (kmemleak on the debug kernel checks the rest).
 */
TEST_F_TIMEOUT(ct, alloc_failures, 1800)
{
	struct sockaddr_in to = { .sin_family = AF_INET,
				  .sin_port = htons(9) };
	int fd, n, left, failed = 0, eperm = 0, sent = 0;
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct reply r;

	NEED_WBNF();
	fd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (fd < 0)
		SKIP(return, "no /proc/thread-self/fail-nth (CONFIG_FAULT_INJECTION)");
	fi_set(false);

	for (n = 1; n <= FAIL_NTH_LAST; n = fail_nth_next(n, FAIL_NTH_DENSE)) {
		talk_nth(rule_new_msg(buf, self->fam), fd, n, &r);
		left = wb_talk_fail_left;
		if (r.err) {
			failed++;
			EXPECT_LT(r.err, 0);
			EXPECT_EQ(0U, rules_now(self->fam))
				TH_LOG("fail-nth %d: err %d left a rule", n, r.err);
			continue;
		}
		EXPECT_EQ(1U, rules_now(self->fam));
		talk(NETLINK_GENERIC, genl_msg(buf, self->fam,
					       WBNF_CMD_RULE_FLUSH, false),
		     NULL, NULL, &r);
		if (left > 0)
			break;	/* got through without the Nth point: all seen */
	}
	FAIL_NTH_WALKED("RULE_NEW", n, "%d requests failed cleanly", failed);

	for (n = 1, failed = 0; n <= FAIL_NTH_LAST;
	     n = fail_nth_next(n, FAIL_NTH_DENSE)) {
		talk_nth(genl_msg(buf, self->fam, WBNF_CMD_CT_STATS_GET, false),
			 fd, n, &r);
		left = wb_talk_fail_left;
		if (r.err) {
			failed++;
			EXPECT_LT(r.err, 0);
		} else if (left > 0) {
			break;
		}
	}
	FAIL_NTH_WALKED("CT_STATS_GET", n, "%d failed cleanly", failed);

	/* new connections: the entry's allocation fails, the packet goes */
	ASSERT_EQ(0, system("ip link add wbct0 type dummy && "
			    "ip addr add 10.77.0.1/16 dev wbct0 && "
			    "ip link set wbct0 up"));
	to.sin_addr.s_addr = inet_addr("10.77.1.1");
	for (n = 1; n <= FAIL_NTH_LAST; n = fail_nth_next(n, FAIL_NTH_DENSE)) {
		int s = socket(AF_INET, SOCK_DGRAM, 0), rc, e;

		ASSERT_LE(0, s);
		to.sin_port = htons(1000 + n);
		set_fail_nth(fd, n);
		rc = sendto(s, "x", 1, 0, (void *)&to, sizeof(to));
		e = errno;
		left = get_fail_nth(fd);
		set_fail_nth(fd, 0);
		close(s);
		if (rc == 1)
			sent++;
		else if (e == EPERM)
			eperm++;	/* dropped by a hook: ours */
		if (rc == 1 && left > 0)
			break;
	}
	FAIL_NTH_WALKED("sendto", n, "%d sent, %d dropped (EPERM)", sent,
			eperm);
	EXPECT_LT(0, eperm) TH_LOG("no entry allocation failed?");
	EXPECT_EQ(eperm, STATS(self->fam, WBNF_CTS_DROP))
		TH_LOG("every dropped packet counted once");
	EXPECT_EQ(sent, STATS(self->fam, WBNF_CTS_COUNT))
		TH_LOG("one entry per packet that went out");
	talk(NETLINK_GENERIC, genl_msg(buf, self->fam, WBNF_CMD_CT_FLUSH,
				       false), NULL, NULL, &r);
	EXPECT_EQ(0, STATS(self->fam, WBNF_CTS_COUNT));
	close(fd);
	fi_set(true);
}

/* ---- every command under allocation failure ---- */

/* What a request that failed must leave as it was, as the replies say. */
struct snap {
	size_t len;
	unsigned char b[1 << 16];
};

static void snap_msg(const struct nlmsghdr *nlh, void *data)
{
	struct snap *s = data;
	size_t n = mnl_nlmsg_get_payload_len(nlh);

	if (n > sizeof(s->b) - s->len)
		n = sizeof(s->b) - s->len;
	memcpy(s->b + s->len, mnl_nlmsg_get_payload(nlh), n);
	s->len += n;
}

/*
 * Every hook's rules, policy and counters, the trace settings, the
 * conntrack settings and the number of entries. false: a read failed.
 */
static bool snapshot(int fam, struct snap *s)
{
	static const uint8_t cmds[] = {
		WBNF_CMD_RULE_GET, WBNF_CMD_STATS_GET, WBNF_CMD_TRACE_GET,
		WBNF_CMD_CT_CONFIG_GET,
	};
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct reply r;
	int64_t count;
	unsigned int i;

	s->len = 0;
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		talk(NETLINK_GENERIC, genl_msg(buf, fam, cmds[i],
					       cmds[i] == WBNF_CMD_RULE_GET ||
					       cmds[i] == WBNF_CMD_STATS_GET),
		     snap_msg, s, &r);
		if (r.err)
			return false;
	}
	count = STATS(fam, WBNF_CTS_COUNT);
	if (count < 0 || s->len + sizeof(count) > sizeof(s->b))
		return false;
	memcpy(s->b + s->len, &count, sizeof(count));
	s->len += sizeof(count);
	return true;
}

static bool snap_eq(const struct snap *a, const struct snap *b)
{
	return a->len == b->len && !memcmp(a->b, b->b, a->len);
}

static int64_t last_rule;	/* the id of the rule setup_rules() made last */

static void plain(int fam, uint8_t cmd, int hook, int policy)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = genl_msg(buf, fam, cmd, false);
	struct reply r;

	if (hook >= 0)
		mnl_attr_put_u32(nlh, WBNF_A_HOOK, hook);
	if (policy >= 0)
		mnl_attr_put_u32(nlh, WBNF_A_POLICY, policy);
	talk(NETLINK_GENERIC, nlh, NULL, NULL, &r);
}

/* three rules on the input hook, no others; the input policy accept */
static void setup_rules(int fam)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nested_uint id = { WBNF_A_RULE, WBNF_R_ID, -1 };
	struct reply r;
	int i;

	plain(fam, WBNF_CMD_RULE_FLUSH, -1, -1);
	plain(fam, WBNF_CMD_POLICY_SET, 1, WBNF_VERDICT_ACCEPT);
	for (i = 0; i < 3; i++)
		talk(NETLINK_GENERIC, rule_new_msg(buf, fam), nested_uint_msg,
		     &id, &r);
	last_rule = id.val;
}

static void setup_trace_off(int fam)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = genl_msg(buf, fam, WBNF_CMD_TRACE_SET, false);
	struct reply r;

	mnl_attr_put_u8(nlh, WBNF_A_TRACE_ON, 0);
	talk(NETLINK_GENERIC, nlh, NULL, NULL, &r);
}

/* one conntrack entry: UDP 10.77.0.1:5000 -> 10.77.1.1:9 (see below) */
static const uint8_t ct_src[4] = { 10, 77, 0, 1 };
static const uint8_t ct_dst[4] = { 10, 77, 1, 1 };

static void setup_entry(int fam)
{
	struct sockaddr_in from = { .sin_family = AF_INET,
				    .sin_port = htons(5000) };
	struct sockaddr_in to = { .sin_family = AF_INET,
				  .sin_port = htons(9) };
	int s = socket(AF_INET, SOCK_DGRAM, 0), one = 1;

	setup_rules(fam);
	setup_trace_off(fam);
	if (s < 0)
		return;
	memcpy(&from.sin_addr, ct_src, 4);
	memcpy(&to.sin_addr, ct_dst, 4);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (!bind(s, (void *)&from, sizeof(from)))
		sendto(s, "x", 1, 0, (void *)&to, sizeof(to));
	close(s);
}

static void build_rule_get(struct nlmsghdr *nlh)
{
	mnl_attr_put_u32(nlh, WBNF_A_HOOK, 1);
	mnl_attr_put_u32(nlh, WBNF_A_RULE_ID, last_rule);
}

static void build_rule_new(struct nlmsghdr *nlh)
{
	struct nlattr *nest;

	mnl_attr_put_u32(nlh, WBNF_A_HOOK, 1);
	mnl_attr_put_u32(nlh, WBNF_A_INDEX, 1);
	nest = mnl_attr_nest_start(nlh, WBNF_A_RULE);
	mnl_attr_put_u32(nlh, WBNF_R_VERDICT, WBNF_VERDICT_DROP);
	mnl_attr_put_u8(nlh, WBNF_R_PROTO, IPPROTO_UDP);
	mnl_attr_put_u16(nlh, WBNF_R_DPORT_MIN, 53);
	mnl_attr_put_u16(nlh, WBNF_R_DPORT_MAX, 53);
	mnl_attr_put(nlh, WBNF_R_SRC, 4, ct_src);
	mnl_attr_put_u8(nlh, WBNF_R_SRC_LEN, 32);
	mnl_attr_nest_end(nlh, nest);
}

static void build_hook(struct nlmsghdr *nlh)
{
	mnl_attr_put_u32(nlh, WBNF_A_HOOK, 1);
}

static void build_ruleset(struct nlmsghdr *nlh)
{
	struct nlattr *nest;
	int i;

	for (i = 0; i < 5; i++) {
		nest = mnl_attr_nest_start(nlh, WBNF_A_RULE);
		mnl_attr_put_u32(nlh, WBNF_R_HOOK, 2);
		mnl_attr_put_u32(nlh, WBNF_R_VERDICT, WBNF_VERDICT_ACCEPT);
		mnl_attr_put_u8(nlh, WBNF_R_PROTO, IPPROTO_TCP);
		mnl_attr_put_u16(nlh, WBNF_R_DPORT_MIN, 80 + i);
		mnl_attr_put_u16(nlh, WBNF_R_DPORT_MAX, 80 + i);
		mnl_attr_nest_end(nlh, nest);
	}
	nest = mnl_attr_nest_start(nlh, WBNF_A_POLICY);
	mnl_attr_put_u32(nlh, WBNF_A_HOOK, 2);
	mnl_attr_put_u32(nlh, WBNF_A_POLICY, WBNF_VERDICT_DROP);
	mnl_attr_nest_end(nlh, nest);
}

static void build_policy(struct nlmsghdr *nlh)
{
	mnl_attr_put_u32(nlh, WBNF_A_HOOK, 1);
	mnl_attr_put_u32(nlh, WBNF_A_POLICY, WBNF_VERDICT_DROP);
}

static void build_trace_on(struct nlmsghdr *nlh)
{
	struct nlattr *m;

	mnl_attr_put_u8(nlh, WBNF_A_TRACE_ON, 1);
	mnl_attr_put_u32(nlh, WBNF_A_TRACE_RATE, 5);
	m = mnl_attr_nest_start(nlh, WBNF_A_TRACE_MATCH);
	mnl_attr_put_u8(nlh, WBNF_R_PROTO, IPPROTO_ICMP);
	mnl_attr_nest_end(nlh, m);
}

static void build_ct_tuple(struct nlmsghdr *nlh)
{
	put_tuple(nlh, WBNF_A_CT_TUPLE, &TUPLE(.src = ct_src, .dst = ct_dst,
					       .sport = 5000, .dport = 9));
}

static void build_ct_config(struct nlmsghdr *nlh)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, WBNF_A_CT_CONFIG);

	mnl_attr_put_u32(nlh, WBNF_CTC_TCP_ESTABLISHED, 4321);
	mnl_attr_nest_end(nlh, nest);
}

/* One command: the state it acts on, its attributes. */
struct cmd_walk {
	const char *name;
	uint8_t cmd;
	bool dump;
	void (*setup)(int fam);
	void (*build)(struct nlmsghdr *nlh);
};

static const struct cmd_walk cmd_walks[] = {
	{ "RULE_GET dump", WBNF_CMD_RULE_GET, true, setup_rules, NULL },
	{ "RULE_GET", WBNF_CMD_RULE_GET, false, setup_rules, build_rule_get },
	{ "RULE_NEW", WBNF_CMD_RULE_NEW, false, setup_rules, build_rule_new },
	{ "RULE_DEL", WBNF_CMD_RULE_DEL, false, setup_rules, build_rule_get },
	{ "RULE_FLUSH", WBNF_CMD_RULE_FLUSH, false, setup_rules, build_hook },
	{ "RULESET_SET", WBNF_CMD_RULESET_SET, false, setup_rules,
	  build_ruleset },
	{ "POLICY_SET", WBNF_CMD_POLICY_SET, false, setup_rules, build_policy },
	{ "STATS_GET", WBNF_CMD_STATS_GET, true, setup_rules, NULL },
	{ "TRACE_SET", WBNF_CMD_TRACE_SET, false, setup_trace_off,
	  build_trace_on },
	{ "TRACE_GET", WBNF_CMD_TRACE_GET, false, setup_trace_off, NULL },
	{ "CT_GET dump", WBNF_CMD_CT_GET, true, setup_entry, NULL },
	{ "CT_GET", WBNF_CMD_CT_GET, false, setup_entry, build_ct_tuple },
	{ "CT_DEL", WBNF_CMD_CT_DEL, false, setup_entry, build_ct_tuple },
	{ "CT_FLUSH", WBNF_CMD_CT_FLUSH, false, setup_entry, NULL },
	{ "CT_STATS_GET", WBNF_CMD_CT_STATS_GET, false, setup_entry, NULL },
	{ "CT_CONFIG_GET", WBNF_CMD_CT_CONFIG_GET, false, setup_entry, NULL },
	{ "CT_CONFIG_SET", WBNF_CMD_CT_CONFIG_SET, false, setup_entry,
	  build_ct_config },
};

/*
 * Every wbnf command, with every allocation it makes failed in turn: a
 * request that fails says so with an errno and changes nothing (the
 * rules, policies, counters, trace and conntrack settings and entries
 * read back the same); one whose answer alone was lost (-ENOBUFS on the
 * socket) may have done its work. The walk of a command ends when a
 * request gets through without reaching the Nth point.
 */
TEST_F_TIMEOUT(ct, alloc_failures_every_command, 2400)
{
	static struct snap before, after;
	char buf[MNL_SOCKET_BUFFER_SIZE];
	int fd, n, failed, lost, udp, est;
	const struct cmd_walk *w;
	struct nlmsghdr *nlh;
	struct reply r;

	NEED_WBNF();
	fd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (fd < 0)
		SKIP(return, "no /proc/thread-self/fail-nth (CONFIG_FAULT_INJECTION)");
	/* the entry must outlive the walk: UDP entries last an hour here */
	udp = CONFIG(self->fam, WBNF_CTC_UDP);
	est = CONFIG(self->fam, WBNF_CTC_TCP_ESTABLISHED);
	ASSERT_LT(0, udp);
	ASSERT_LT(0, est);
	ASSERT_EQ(0, ct_config_set(self->fam, WBNF_CTC_UDP, 3600, &r));
	/* no IPv6: its router solicitations would move the hook counters */
	ASSERT_EQ(0, system("sysctl -qw net.ipv6.conf.all.disable_ipv6=1 "
			    "net.ipv6.conf.default.disable_ipv6=1 && "
			    "ip link add wbct0 type dummy && "
			    "ip addr add 10.77.0.1/16 dev wbct0 && "
			    "ip link set wbct0 up"));
	fi_set(false);

	for (w = cmd_walks; w < cmd_walks + ARRAY_SIZE(cmd_walks); w++) {
		/* without a failure, the request is good */
		w->setup(self->fam);
		nlh = genl_msg(buf, self->fam, w->cmd, w->dump);
		if (w->build)
			w->build(nlh);
		talk(NETLINK_GENERIC, nlh, NULL, NULL, &r);
		ASSERT_EQ(0, r.err) TH_LOG("%s: %s", w->name, r.msg);

		for (n = 1, failed = 0, lost = 0; n <= FAIL_NTH_LAST;
		     n = fail_nth_next(n, FAIL_NTH_DENSE)) {
			w->setup(self->fam);
			ASSERT_TRUE(snapshot(self->fam, &before)) TH_LOG("%s", w->name);
			nlh = genl_msg(buf, self->fam, w->cmd, w->dump);
			if (w->build)
				w->build(nlh);
			talk_nth(nlh, fd, n, &r);
			if (!r.err) {
				if (wb_talk_fail_left > 0)
					break;	/* the Nth point never came */
				continue;
			}
			EXPECT_GT(0, r.err) TH_LOG("%s: fail-nth %d", w->name, n);
			if (r.lost) {
				lost++;	/* the answer was lost, not the work */
				continue;
			}
			failed++;
			ASSERT_TRUE(snapshot(self->fam, &after));
			EXPECT_TRUE(snap_eq(&before, &after))
				TH_LOG("%s: fail-nth %d: err %d '%s' changed the state",
				       w->name, n, r.err, r.msg);
			if (_metadata->passed == 0)
				break;
		}
		FAIL_NTH_WALKED(w->name, n,
				"%d requests failed cleanly, %d answers lost",
				failed, lost);
		if (_metadata->passed == 0)
			break;
	}
	fi_set(true);
	close(fd);
	setup_rules(self->fam);
	plain(self->fam, WBNF_CMD_RULE_FLUSH, -1, -1);
	ct_by_tuple(self->fam, WBNF_CMD_CT_FLUSH, NULL, -1, &r);
	EXPECT_EQ(0, ct_config_set(self->fam, WBNF_CTC_UDP, udp, &r));
	EXPECT_EQ(0, ct_config_set(self->fam, WBNF_CTC_TCP_ESTABLISHED, est,
				   &r));
}

TEST_HARNESS_MAIN
