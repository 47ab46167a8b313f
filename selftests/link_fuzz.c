// SPDX-License-Identifier: GPL-2.0
/*
 * A bounded rtnetlink fuzzer for the wbpair and wbnic link kinds: random
 * and mutated RTM_NEWLINK / RTM_DELLINK / RTM_GETLINK messages, sent as
 * root in a private netns. After each one the kernel must answer with an
 * ack or a negative errno. A quarter of the messages are well formed
 * (a fresh name, the kind, random values in the kind's own attributes):
 * an error to one of those is the kind's own answer and must come with
 * an extack message. At the end every link the fuzzer made must delete
 * cleanly and a normal create/delete must still work. The console scan
 * of the VM runner catches any oops or warning.
 *
 *	WB_FUZZ_SEED=N	  reproduce a run (the seed is printed)
 *	WB_FUZZ_ITERS=N	  messages per test (default 3000)
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
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/wirebox.h>

#include "kselftest_harness.h"
#include "wbnl.h"
#include "wbfuzz.h"

static const char *const names[] = {
	"wf0", "wf1", "wf2", "wf3", "lo", "wbpair0", "wbnic0", "", "a/b", "%d",
	"0123456789abcdef",	/* 16 chars: one too long */
};

/* The kind under test. */
static const char *kind;

static bool is_wbnic(void)
{
	return !strcmp(kind, WBNIC_KIND);
}

/* A u32 on the edges of what a ring size or queue count may be. */
static uint32_t edge_u32(void)
{
	static const uint32_t v[] = { 0, 1, 2, 3, 7, 8, 63, 64, 65, 256, 4095,
				      4096, 4097, 8192, 65536, 0x7fffffff,
				      0x80000000, 0xffffffff };

	return below(4) ? v[below(sizeof(v) / sizeof(v[0]))] : rnd();
}

static void put_name(struct nlmsghdr *nlh, int type)
{
	const char *n = names[below(sizeof(names) / sizeof(names[0]))];

	switch (below(4)) {
	case 0:	/* not NUL-terminated */
		mnl_attr_put(nlh, type, strlen(n), n);
		break;
	default:
		mnl_attr_put_strz(nlh, type, n);
	}
}

/* Link attributes whose handling a wbpair reaches; a few unknown ones. */
static int pick_type(void)
{
	static const int types[] = {
		IFLA_ADDRESS, IFLA_BROADCAST, IFLA_IFNAME, IFLA_MTU, IFLA_LINK,
		IFLA_TXQLEN, IFLA_GROUP, IFLA_IFALIAS, IFLA_NUM_TX_QUEUES,
		IFLA_NUM_RX_QUEUES, IFLA_GSO_MAX_SIZE, IFLA_GSO_MAX_SEGS,
		IFLA_CARRIER, IFLA_LINKMODE, IFLA_OPERSTATE,
		IFLA_MAX + 1, IFLA_MAX + 3,
	};

	return types[below(sizeof(types) / sizeof(types[0]))];
}

/* The attributes of one link: name, MTU, address, netns, ... */
static void put_link_attrs(struct nlmsghdr *nlh, int ns_fd)
{
	int i, n = below(4);

	for (i = 0; i < n; i++) {
		switch (below(7)) {
		case 0: put_name(nlh, IFLA_IFNAME); break;
		case 1: mnl_attr_put_u32(nlh, IFLA_MTU, below(3) ?
					 60 + below(70000) : rnd()); break;
		case 2: put_random(nlh, IFLA_ADDRESS); break;
		case 3: mnl_attr_put_u32(nlh, IFLA_NET_NS_FD,
					 below(2) ? (uint32_t)ns_fd : rnd()); break;
		case 4: mnl_attr_put_u32(nlh, IFLA_NET_NS_PID,
					 below(2) ? (uint32_t)getpid() : rnd());
			break;
		case 5: mnl_attr_put_u32(nlh, IFLA_TXQLEN, rnd()); break;
		default: put_random(nlh, pick_type()); break;
		}
	}
}

/* IFLA_INFO_DATA of a wbnic: ring sizes and queues, some mangled. */
static void put_wbnic_data(struct nlmsghdr *nlh, bool clean)
{
	static const int types[] = { WBNIC_INFO_RX_RING, WBNIC_INFO_TX_RING,
				     WBNIC_INFO_QUEUES };
	int i, n = 1 + below(3), type;

	for (i = 0; i < n; i++) {
		type = types[below(3)];
		if (clean || below(4))
			mnl_attr_put_u32(nlh, type, edge_u32());
		else if (below(2))
			put_random(nlh, type);
		else
			put_random(nlh, below(8));
	}
}

static void put_info_data(struct nlmsghdr *nlh, int ns_fd)
{
	struct nlattr *data, *peer;
	struct ifinfomsg *ifm;
	int i, n = below(4);

	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	if (is_wbnic()) {
		put_wbnic_data(nlh, false);
		n = 0;
	}
	for (i = 0; i < n; i++) {
		switch (below(6)) {
		case 0:
		case 1:
			peer = mnl_attr_nest_start(nlh, WBPAIR_INFO_PEER);
			if (below(8)) {
				ifm = mnl_nlmsg_put_extra_header(nlh,
								 sizeof(*ifm));
				ifm->ifi_index = below(4) ? 0 : rnd();
				ifm->ifi_flags = below(2) ? 0 : rnd();
				put_link_attrs(nlh, ns_fd);
			}
			mnl_attr_nest_end(nlh, peer);
			break;
		case 2:
			mnl_attr_put_u32(nlh, WBPAIR_INFO_MODE, below(4));
			break;
		case 3:
			put_random(nlh, WBPAIR_INFO_MODE);
			break;
		default:
			put_random(nlh, below(8));
			break;
		}
	}
	mnl_attr_nest_end(nlh, data);
}

static int build(char *buf, int ns_fd)
{
	static const int types[] = { RTM_NEWLINK, RTM_NEWLINK, RTM_NEWLINK,
				     RTM_DELLINK, RTM_GETLINK };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlattr *linkinfo;
	struct ifinfomsg *ifm;

	nlh->nlmsg_type = types[below(5)];
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK |
			   (below(4) ? NLM_F_CREATE | NLM_F_EXCL : rnd() & 0xf00);
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_index = below(4) ? 0 : below(16);
	ifm->ifi_flags = below(3) ? 0 : rnd();
	ifm->ifi_change = below(3) ? 0 : rnd();
	put_link_attrs(nlh, ns_fd);
	if (below(8)) {
		linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
		/* only our kind: an unknown one makes the kernel modprobe */
		if (below(8))
			mnl_attr_put_strz(nlh, IFLA_INFO_KIND, kind);
		if (below(6))
			put_info_data(nlh, ns_fd);
		mnl_attr_nest_end(nlh, linkinfo);
	}
	/* mutate: flip a byte, or cut the message short */
	if (!below(5) && nlh->nlmsg_len > sizeof(*nlh) + sizeof(*ifm))
		((uint8_t *)nlh)[sizeof(*nlh) +
				 below(nlh->nlmsg_len - sizeof(*nlh))] ^=
			1 << below(8);
	if (!below(10))
		nlh->nlmsg_len = sizeof(*nlh) + below(nlh->nlmsg_len -
						      sizeof(*nlh) + 1);
	return nlh->nlmsg_len;
}

/*
 * A well-formed RTM_NEWLINK of the kind, named NAME: only the values of
 * the kind's own attributes are random (a wbpair: its mode, and a peer
 * named NAMEp; a wbnic: ring sizes and queues).
 */
static int build_clean(char *buf, const char *name)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlattr *linkinfo, *data, *peer;
	struct ifinfomsg *ifm;
	char pname[IF_NAMESIZE * 2];

	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE |
			   NLM_F_EXCL;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, kind);
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	if (is_wbnic()) {
		put_wbnic_data(nlh, true);
	} else {
		if (below(2))
			mnl_attr_put_u32(nlh, WBPAIR_INFO_MODE,
					 below(2) ? below(4) : edge_u32());
		if (below(2)) {
			snprintf(pname, sizeof(pname), "%sp", name);
			peer = mnl_attr_nest_start(nlh, WBPAIR_INFO_PEER);
			ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
			mnl_attr_put_strz(nlh, IFLA_IFNAME, pname);
			mnl_attr_nest_end(nlh, peer);
		}
	}
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, linkinfo);
	return nlh->nlmsg_len;
}

/*
 * Delete every link but lo; returns how many deletes failed. A netns's
 * fallback tunnels (sit0, ...) ignore RTM_DELLINK and stay: not an error.
 */
static int delete_all(struct mnl_socket *nl)
{
	struct if_nameindex *ifs = if_nameindex(), *i;
	char buf[MNL_SOCKET_BUFFER_SIZE];
	int bad = 0;
	bool msg;

	for (i = ifs; i && i->if_index; i++) {
		struct nlmsghdr *nlh;
		struct ifinfomsg *ifm;
		int err;

		/* lo, by index: the fuzzer may have renamed it */
		if (i->if_index == 1)
			continue;
		nlh = mnl_nlmsg_put_header(buf);
		nlh->nlmsg_type = RTM_DELLINK;
		nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
		ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
		ifm->ifi_index = i->if_index;
		err = send_one(nl, buf, nlh->nlmsg_len, &msg);
		/* its peer may have gone with an earlier one */
		if (err && err != -ENODEV) {
			fprintf(stderr, "# delete %s: %s\n", i->if_name,
				strerror(-err));
			bad++;
		}
	}
	if_freenameindex(ifs);
	return bad;
}

/* ip link add wfok type KIND */
static int plain_link(struct mnl_socket *nl, char *buf)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifm;
	struct nlattr *li;
	bool msg;

	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE |
			   NLM_F_EXCL;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "wfok");
	li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, kind);
	mnl_attr_nest_end(nlh, li);
	return send_one(nl, buf, nlh->nlmsg_len, &msg);
}

FIXTURE(fuzz) {
	struct mnl_socket *nl;
	int other_ns;
	int base;	/* links a new netns starts with: lo, maybe sit0... */
};

FIXTURE_SETUP(fuzz)
{
	const char *s = getenv("WB_FUZZ_SEED");
	struct timeval tv = { .tv_sec = 20 };
	int here;

	fuzz_seed(s);
	TH_LOG("seed %llu (WB_FUZZ_SEED to reproduce)", (unsigned long long)rng);

	/* a netns for the peers, and one to fuzz in */
	here = open("/proc/self/ns/net", O_RDONLY);
	ASSERT_LE(0, here);
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	self->other_ns = open("/proc/self/ns/net", O_RDONLY);
	ASSERT_LE(0, self->other_ns);
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	close(here);

	self->base = count_links();
	self->nl = wb_nl_open();
	ASSERT_NE(NULL, self->nl);
	ASSERT_EQ(0, setsockopt(mnl_socket_get_fd(self->nl), SOL_SOCKET,
				SO_RCVTIMEO, &tv, sizeof(tv)));
}

FIXTURE_TEARDOWN(fuzz)
{
	mnl_socket_close(self->nl);
	close(self->other_ns);
}

static void fuzz_kind(struct __test_metadata *_metadata,
		      FIXTURE_DATA(fuzz) *self, const char *k, int links)
{
	const char *s = getenv("WB_FUZZ_ITERS");
	int iters = s ? atoi(s) : 3000;
	int i, ok = 0, errs = 0, nomsg = 0, bad = 0, clean = 0, cerrs = 0;
	char buf[MNL_SOCKET_BUFFER_SIZE], name[IF_NAMESIZE];
	bool msg;

	kind = k;
	memset(buf, 0, sizeof(buf));
	if (plain_link(self->nl, buf) == -EOPNOTSUPP)
		SKIP(return, "no %s link kind (module not loaded)", k);
	EXPECT_EQ(0, delete_all(self->nl));

	for (i = 0; i < iters; i++) {
		bool well_formed = !below(4);
		int len, err;

		memset(buf, 0, sizeof(buf));
		snprintf(name, sizeof(name), "wc%d", i);
		len = well_formed ? build_clean(buf, name) :
				    build(buf, self->other_ns);
		err = send_one(self->nl, buf, len, &msg);
		clean += well_formed;
		if (err == 0) {
			ok++;
		} else if (err == -ETIMEDOUT) {
			bad++;
			TH_LOG("message %d: no answer in 20 s", i);
		} else if (err < 0 && err > -4096) {
			errs++;
			nomsg += !msg;
			if (well_formed) {
				cerrs++;
				/* the kind said no: it says why */
				EXPECT_TRUE(msg || err == -ENOMEM)
					TH_LOG("message %d (well formed): %s without an extack message",
					       i, strerror(-err));
			}
		} else {
			bad++;
			TH_LOG("message %d: answer %d is not an errno", i, err);
		}
		/* keep the table small so names collide and get reused */
		if (count_links() > self->base + 16) {
			EXPECT_EQ(0, delete_all(self->nl));
		}
	}
	TH_LOG("%s: %d messages: %d acked, %d errors (%d without extack message); %d well formed, %d of them refused",
	       k, iters, ok, errs, nomsg, clean, cerrs);
	EXPECT_EQ(0, bad);
	EXPECT_LT(0, errs);
	EXPECT_LT(0, cerrs) TH_LOG("no bad value among the well-formed ones?");

	/* what the fuzzer made goes away, and the kind still works */
	EXPECT_EQ(0, delete_all(self->nl));
	EXPECT_EQ(self->base, count_links());
	EXPECT_EQ(0, plain_link(self->nl, buf));
	EXPECT_EQ(self->base + links, count_links());
	EXPECT_EQ(0, delete_all(self->nl));
}

TEST_F_TIMEOUT(fuzz, rtnetlink_wbpair, 600)
{
	fuzz_kind(_metadata, self, WBPAIR_KIND, 2);
}

TEST_F_TIMEOUT(fuzz, rtnetlink_wbnic, 600)
{
	fuzz_kind(_metadata, self, WBNIC_KIND, 1);
}

TEST_HARNESS_MAIN
