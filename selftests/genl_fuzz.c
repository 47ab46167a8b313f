// SPDX-License-Identifier: GPL-2.0
/*
 * A bounded fuzzer for wirebox's generic netlink families, "wbnf" and
 * "wbnic": random commands (known, unknown, dumps), random attributes of
 * every known type with plausible and implausible values, nested rules and
 * matches, and mutated messages (a flipped bit, a cut-short tail), sent as
 * root in a private netns.
 *
 * Each message must be answered, with an ack or a negative errno; an error
 * for a well-formed message (not mutated) must carry an extack message,
 * except EOPNOTSUPP for an unknown command (genetlink's own answer) and
 * ENOMEM. Afterwards the family still works and nothing is left over.
 * The VM runner's console scan catches any oops, warning or leak.
 *
 *	WB_FUZZ_SEED=N	  reproduce a run (the seed is printed)
 *	WB_FUZZ_ITERS=N	  messages per family (default 3000)
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/wirebox.h>

#include "kselftest_harness.h"
#include "wbnl.h"
#include "wbfuzz.h"

static const char *const ifnames[] = {
	"lo", "fz0", "fz1", "eth+", "+", "", "fz", "0123456789abcdef",
};

static void put_ifname(struct nlmsghdr *nlh, int type)
{
	const char *n = ifnames[below(sizeof(ifnames) / sizeof(ifnames[0]))];

	if (below(4))
		mnl_attr_put_strz(nlh, type, n);
	else
		mnl_attr_put(nlh, type, strlen(n), n);	/* no NUL */
}

static void put_addr(struct nlmsghdr *nlh, int type)
{
	uint8_t a[16] = { 10 };
	unsigned int i;

	for (i = 1; i < sizeof(a); i++)
		a[i] = below(3) ? 0 : rnd();
	switch (below(4)) {
	case 0:
		mnl_attr_put(nlh, type, 16, a);
		break;
	case 1:
		put_random(nlh, type);
		break;
	default:
		mnl_attr_put(nlh, type, 4, a);
	}
}

static uint32_t value(uint32_t plausible)
{
	return below(4) ? below(plausible) : rnd();
}

/* A rule or match nest: WBNF_R_* attributes, typed and not. */
static void put_rule(struct nlmsghdr *nlh, int type)
{
	static const uint8_t protos[] = { 1, 6, 17, 58, 132, 136, 0, 255 };
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);
	int i, n = below(9);

	for (i = 0; i < n; i++) {
		switch (below(14)) {
		case 0: mnl_attr_put_u32(nlh, WBNF_R_VERDICT, value(6)); break;
		case 1: mnl_attr_put_u32(nlh, WBNF_R_HOOK, value(7)); break;
		case 2: put_ifname(nlh, WBNF_R_IIF); break;
		case 3: put_ifname(nlh, WBNF_R_OIF); break;
		case 4: put_addr(nlh, WBNF_R_SRC); break;
		case 5: put_addr(nlh, WBNF_R_DST); break;
		case 6: mnl_attr_put_u8(nlh, below(2) ? WBNF_R_SRC_LEN :
					WBNF_R_DST_LEN, value(140)); break;
		case 7: mnl_attr_put_u8(nlh, WBNF_R_PROTO,
					protos[below(sizeof(protos))]); break;
		case 8: mnl_attr_put_u16(nlh, WBNF_R_SPORT_MIN + below(4),
					 value(70000)); break;
		case 9: mnl_attr_put_u8(nlh, WBNF_R_ICMP_TYPE + below(2),
					value(140)); break;
		case 10: mnl_attr_put_u8(nlh, WBNF_R_FAMILY, value(12)); break;
		case 11: mnl_attr_put_u32(nlh, below(2) ? WBNF_R_ID :
					  WBNF_R_CT_STATE, rnd()); break;
		default: put_random(nlh, below(WBNF_R_MAX + 3)); break;
		}
	}
	mnl_attr_nest_end(nlh, nest);
}

/* A conntrack tuple, filter or config nest: plausible and not. */
static void put_ct_nest(struct nlmsghdr *nlh, int type)
{
	static const uint8_t protos[] = { 1, 6, 17, 58, 136, 47, 0, 255 };
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);
	int i, n = below(8);

	for (i = 0; i < n; i++) {
		switch (below(8)) {
		case 0: put_addr(nlh, WBNF_TUPLE_SRC); break;
		case 1: put_addr(nlh, WBNF_TUPLE_DST); break;
		case 2: mnl_attr_put_u8(nlh, WBNF_TUPLE_PROTO,
					protos[below(sizeof(protos))]); break;
		case 3: mnl_attr_put_u16(nlh, WBNF_TUPLE_SPORT + below(3),
					 value(70000)); break;
		case 4: mnl_attr_put_u8(nlh, WBNF_TUPLE_ICMP_TYPE + below(2),
					value(140)); break;
		case 5: mnl_attr_put_u32(nlh, below(WBNF_CTC_MAX + 2),
					 value(100)); break;
		case 6:	/* one level deeper at most: the buffer is finite */
			if (type == WBNF_A_CT_FILTER)
				put_ct_nest(nlh, below(2) ? WBNF_CT_ORIG :
					    WBNF_CT_REPLY);
			break;
		default: put_random(nlh, below(WBNF_CT_MAX + 3)); break;
		}
	}
	mnl_attr_nest_end(nlh, nest);
}

static void put_wbnf_attrs(struct nlmsghdr *nlh)
{
	struct nlattr *nest;
	int i, n = below(7);

	for (i = 0; i < n; i++) {
		switch (below(15)) {
		case 0:
		case 1: mnl_attr_put_u32(nlh, WBNF_A_HOOK, value(7)); break;
		case 2:
		case 3: put_rule(nlh, WBNF_A_RULE); break;
		case 4: mnl_attr_put_u32(nlh, WBNF_A_RULE_ID, value(40)); break;
		case 5: mnl_attr_put_u32(nlh, WBNF_A_INDEX, value(20)); break;
		case 6:
			if (below(2)) {
				mnl_attr_put_u32(nlh, WBNF_A_POLICY, value(4));
				break;
			}
			nest = mnl_attr_nest_start(nlh, WBNF_A_POLICY);
			mnl_attr_put_u32(nlh, WBNF_A_HOOK, value(7));
			if (below(4))
				mnl_attr_put_u32(nlh, WBNF_A_POLICY, value(3));
			mnl_attr_nest_end(nlh, nest);
			break;
		case 7: mnl_attr_put_u8(nlh, WBNF_A_TRACE_ON, value(3)); break;
		case 8: mnl_attr_put_u32(nlh, WBNF_A_TRACE_RATE, value(20000)); break;
		case 9: put_rule(nlh, WBNF_A_TRACE_MATCH); break;
		case 10: put_ct_nest(nlh, WBNF_A_CT_TUPLE); break;
		case 11: mnl_attr_put_u32(nlh, WBNF_A_CT_ID, value(50)); break;
		case 12: put_ct_nest(nlh, WBNF_A_CT_FILTER); break;
		case 13: put_ct_nest(nlh, WBNF_A_CT_CONFIG); break;
		default: put_random(nlh, below(WBNF_A_MAX + 3)); break;
		}
	}
}

struct target {
	int fam;
	int ifindex[2];		/* wbnics, for the wbnic family */
	int ns_fd;
};

static void put_wbnic_attrs(struct nlmsghdr *nlh, const struct target *t)
{
	int i, n = below(5);

	for (i = 0; i < n; i++) {
		switch (below(9)) {
		case 0:
		case 1: mnl_attr_put_u32(nlh, WBNIC_A_IFINDEX, below(3) ?
					 (uint32_t)t->ifindex[below(2)] : value(8));
			break;
		case 2: mnl_attr_put_u32(nlh, WBNIC_A_PEER_IFINDEX, below(3) ?
					 (uint32_t)t->ifindex[below(2)] : value(8));
			break;
		case 3: mnl_attr_put_u32(nlh, WBNIC_A_PEER_NETNS_FD, below(2) ?
					 (uint32_t)t->ns_fd : rnd()); break;
		case 4: mnl_attr_put_u8(nlh, WBNIC_A_LOOPBACK, value(3)); break;
		case 5: mnl_attr_put_u32(nlh, below(2) ? WBNIC_A_LOSS :
					 WBNIC_A_CORRUPT, value(1200000)); break;
		case 6: mnl_attr_put_u32(nlh, WBNIC_A_FLAP_MS, value(50)); break;
		default: put_random(nlh, below(WBNIC_A_MAX + 3)); break;
		}
	}
}

/* One message; *mutated says whether it was damaged after building. */
static int build(char *buf, const struct target *t, bool wbnf, bool *mutated)
{
	int max = wbnf ? WBNF_CMD_MAX : WBNIC_CMD_MAX;
	struct nlmsghdr *nlh;

	nlh = genl_msg(buf, t->fam, below(max + 3), !below(6));
	nlh->nlmsg_flags |= NLM_F_ACK;
	if (!below(20))
		nlh->nlmsg_flags |= (rnd() & 0xf00);	/* reserved bits */
	if (wbnf)
		put_wbnf_attrs(nlh);
	else
		put_wbnic_attrs(nlh, t);
	*mutated = false;
	if (!below(6) && nlh->nlmsg_len > sizeof(*nlh) + GENL_HDRLEN) {
		((uint8_t *)nlh)[sizeof(*nlh) +
				 below(nlh->nlmsg_len - sizeof(*nlh))] ^=
			1 << below(8);
		*mutated = true;
	}
	if (!below(12)) {
		nlh->nlmsg_len = sizeof(*nlh) + below(nlh->nlmsg_len -
						      sizeof(*nlh) + 1);
		*mutated = true;
	}
	return nlh->nlmsg_len;
}

FIXTURE(fuzz) {
	struct mnl_socket *nl;
	struct target t;
	int iters;
	int base;
};

FIXTURE_SETUP(fuzz)
{
	const char *s = getenv("WB_FUZZ_SEED");
	struct timeval tv = { .tv_sec = 20 };
	int here;

	fuzz_seed(s);
	TH_LOG("seed %llu (WB_FUZZ_SEED to reproduce)", (unsigned long long)rng);
	s = getenv("WB_FUZZ_ITERS");
	self->iters = s ? atoi(s) : 3000;

	here = open("/proc/self/ns/net", O_RDONLY);
	ASSERT_LE(0, here);
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	self->t.ns_fd = open("/proc/self/ns/net", O_RDONLY);	/* a peer netns */
	ASSERT_LE(0, self->t.ns_fd);
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	close(here);
	self->base = count_links();
	self->nl = wb_nl_open_proto(NETLINK_GENERIC);
	ASSERT_NE(NULL, self->nl);
	ASSERT_EQ(0, setsockopt(mnl_socket_get_fd(self->nl), SOL_SOCKET,
				SO_RCVTIMEO, &tv, sizeof(tv)));
}

FIXTURE_TEARDOWN(fuzz)
{
	mnl_socket_close(self->nl);
	close(self->t.ns_fd);
}

static void run(struct __test_metadata *_metadata, struct mnl_socket *nl,
		const struct target *t, bool wbnf, int iters)
{
	int i, ok = 0, errs = 0, nomsg = 0, mut = 0, bad = 0;
	static char buf[BUF_SIZE];

	for (i = 0; i < iters; i++) {
		bool msg, mutated;
		int len, err;

		len = build(buf, t, wbnf, &mutated);
		mut += mutated;
		err = send_one(nl, buf, len, &msg);
		if (err == 0) {
			ok++;
		} else if (err == -ETIMEDOUT) {
			bad++;
			TH_LOG("message %d: no answer in 20 s", i);
		} else if (err < 0 && err > -4096) {
			errs++;
			if (!msg) {
				nomsg++;
				if (!mutated && err != -EOPNOTSUPP &&
				    err != -ENOMEM) {
					bad++;
					TH_LOG("message %d (cmd %u): %s without an extack message",
					       i, ((struct genlmsghdr *)
						   mnl_nlmsg_get_payload((struct nlmsghdr *)buf))->cmd,
					       strerror(-err));
				}
			}
		} else {
			bad++;
			TH_LOG("message %d: answer %d is not an errno", i, err);
		}
	}
	TH_LOG("%d messages (%d mutated): %d acked, %d errors (%d without extack message)",
	       iters, mut, ok, errs, nomsg);
	EXPECT_EQ(0, bad);
	EXPECT_LT(0, errs);
	EXPECT_LT(0, ok);
}

TEST_F_TIMEOUT(fuzz, wbnf, 900)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct nlattr *rule;
	struct reply r;

	self->t.fam = resolve_family(WBNF_GENL_NAME);
	if (self->t.fam < 0)
		SKIP(return, "no wbnf family: wirebox_nf not loaded");
	run(_metadata, self->nl, &self->t, true, self->iters);

	/* still sane: flush everything, add one rule, list it */
	nlh = genl_msg(buf, self->t.fam, WBNF_CMD_RULESET_SET, false);
	talk(NETLINK_GENERIC, nlh, NULL, NULL, &r);
	EXPECT_EQ(0, r.err) TH_LOG("%s", r.msg);
	nlh = genl_msg(buf, self->t.fam, WBNF_CMD_RULE_NEW, false);
	mnl_attr_put_u32(nlh, WBNF_A_HOOK, 1);
	rule = mnl_attr_nest_start(nlh, WBNF_A_RULE);
	mnl_attr_put_u32(nlh, WBNF_R_VERDICT, WBNF_VERDICT_ACCEPT);
	mnl_attr_nest_end(nlh, rule);
	talk(NETLINK_GENERIC, nlh, NULL, NULL, &r);
	EXPECT_EQ(0, r.err) TH_LOG("%s", r.msg);
	nlh = genl_msg(buf, self->t.fam, WBNF_CMD_TRACE_SET, false);
	mnl_attr_put_u8(nlh, WBNF_A_TRACE_ON, 0);
	talk(NETLINK_GENERIC, nlh, NULL, NULL, &r);
	EXPECT_EQ(0, r.err);
}

/* ip link add NAME type wbnic; its ifindex */
static int mknic(const char *name)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifm;
	struct nlattr *li;
	struct reply r;

	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, WBNIC_KIND);
	mnl_attr_nest_end(nlh, li);
	talk(NETLINK_ROUTE, nlh, NULL, NULL, &r);
	return r.err ? r.err : (int)if_nametoindex(name);
}

TEST_F_TIMEOUT(fuzz, wbnic, 900)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct reply r;

	self->t.fam = resolve_family(WBNIC_GENL_NAME);
	if (self->t.fam < 0)
		SKIP(return, "no wbnic family: wirebox_nic not loaded");
	self->t.ifindex[0] = mknic("fz0");
	self->t.ifindex[1] = mknic("fz1");
	ASSERT_LT(0, self->t.ifindex[0]);
	ASSERT_LT(0, self->t.ifindex[1]);
	run(_metadata, self->nl, &self->t, false, self->iters);

	/* still sane: uncable, cable the two, read one back */
	nlh = genl_msg(buf, self->t.fam, WBNIC_CMD_UNCABLE, false);
	mnl_attr_put_u32(nlh, WBNIC_A_IFINDEX, self->t.ifindex[0]);
	talk(NETLINK_GENERIC, nlh, NULL, NULL, &r);
	nlh = genl_msg(buf, self->t.fam, WBNIC_CMD_UNCABLE, false);
	mnl_attr_put_u32(nlh, WBNIC_A_IFINDEX, self->t.ifindex[1]);
	talk(NETLINK_GENERIC, nlh, NULL, NULL, &r);
	nlh = genl_msg(buf, self->t.fam, WBNIC_CMD_CABLE, false);
	mnl_attr_put_u32(nlh, WBNIC_A_IFINDEX, self->t.ifindex[0]);
	mnl_attr_put_u32(nlh, WBNIC_A_PEER_IFINDEX, self->t.ifindex[1]);
	talk(NETLINK_GENERIC, nlh, NULL, NULL, &r);
	EXPECT_EQ(0, r.err) TH_LOG("cable after the fuzz: %s", r.msg);
	nlh = genl_msg(buf, self->t.fam, WBNIC_CMD_GET, false);
	mnl_attr_put_u32(nlh, WBNIC_A_IFINDEX, self->t.ifindex[0]);
	talk(NETLINK_GENERIC, nlh, NULL, NULL, &r);
	EXPECT_EQ(0, r.err);
}

TEST_HARNESS_MAIN
