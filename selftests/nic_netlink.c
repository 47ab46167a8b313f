// SPDX-License-Identifier: GPL-2.0
/*
 * wbnic netlink API: the "wbnic" generic netlink family (GET, CABLE,
 * UNCABLE, SET) and the WBNIC_INFO_* attributes of the rtnetlink link
 * kind. Each test runs in a fresh network namespace of its own; some make
 * a second one, or a user namespace.
 *
 * A rejected request must come back with an errno (and, where the test
 * says so, an extack message) and change nothing that GET can see.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <poll.h>
#include <sys/ioctl.h>

#include <libmnl/libmnl.h>
#include <linux/ethtool.h>
#include <linux/genetlink.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>
#include <linux/wirebox.h>

#include "kselftest_harness.h"
#include "wbnl.h"

/*
 * WREQ() and LINK() below set every optional field to NONE, then let the
 * caller's designated initializers override some of them.
 */
#pragma GCC diagnostic ignored "-Woverride-init"

#define MAX_NICS	16
#define NONE		(-1)	/* leave the attribute out */

/* One NIC as GET shows it. */
struct nic {
	int ifindex;
	char ifname[IF_NAMESIZE + 1];
	int peer;		/* WBNIC_A_PEER_IFINDEX, 0 if absent */
	char peer_name[IF_NAMESIZE + 1];
	bool has_netnsid;	/* WBNIC_A_PEER_NETNSID present */
	int64_t loopback, carrier, up, loss, corrupt;	/* -1 if absent */
	int nqueues;		/* WBNIC_A_QUEUE nests */
	int64_t rx_size, tx_size;	/* of queue 0, -1 if absent */
};

struct nics {
	int n;
	struct nic nic[MAX_NICS];
};

static void nic_init(struct nic *n)
{
	memset(n, 0, sizeof(*n));
	n->loopback = n->carrier = n->up = n->loss = n->corrupt = -1;
	n->rx_size = n->tx_size = -1;
}

struct queue {
	int64_t index, rx_size, tx_size;
};

static int queue_attr_cb(const struct nlattr *a, void *data)
{
	struct queue *q = data;

	switch (mnl_attr_get_type(a)) {
	case WBNIC_Q_INDEX:
		q->index = attr_uint(a);
		break;
	case WBNIC_Q_RX_SIZE:
		q->rx_size = attr_uint(a);
		break;
	case WBNIC_Q_TX_SIZE:
		q->tx_size = attr_uint(a);
		break;
	}
	return MNL_CB_OK;
}

static void nic_queue(const struct nlattr *a, struct nic *n)
{
	struct queue q = { -1, -1, -1 };

	mnl_attr_parse_nested(a, queue_attr_cb, &q);
	if (q.index == 0) {
		n->rx_size = q.rx_size;
		n->tx_size = q.tx_size;
	}
	n->nqueues++;
}

static int queues_attr_cb(const struct nlattr *a, void *data)
{
	if (mnl_attr_get_type(a) == WBNIC_A_QUEUE)
		nic_queue(a, data);
	return MNL_CB_OK;
}

static int nic_attr_cb(const struct nlattr *a, void *data)
{
	struct nic *n = data;

	switch (mnl_attr_get_type(a)) {
	case WBNIC_A_IFINDEX:
		n->ifindex = attr_uint(a);
		break;
	case WBNIC_A_IFNAME:
		attr_str(a, n->ifname, sizeof(n->ifname));
		break;
	case WBNIC_A_PEER_IFINDEX:
		n->peer = attr_uint(a);
		break;
	case WBNIC_A_PEER_IFNAME:
		attr_str(a, n->peer_name, sizeof(n->peer_name));
		break;
	case WBNIC_A_PEER_NETNSID:
		n->has_netnsid = true;
		break;
	case WBNIC_A_LOOPBACK:
		n->loopback = attr_uint(a);
		break;
	case WBNIC_A_LOSS:
		n->loss = attr_uint(a);
		break;
	case WBNIC_A_CORRUPT:
		n->corrupt = attr_uint(a);
		break;
	case WBNIC_A_CARRIER:
		n->carrier = attr_uint(a);
		break;
	case WBNIC_A_UP:
		n->up = attr_uint(a);
		break;
	case WBNIC_A_QUEUES:
		mnl_attr_parse_nested(a, queues_attr_cb, n);
		break;
	case WBNIC_A_QUEUE:	/* tolerated outside WBNIC_A_QUEUES too */
		nic_queue(a, n);
		break;
	}
	return MNL_CB_OK;
}

static void nic_msg(const struct nlmsghdr *nlh, void *data)
{
	struct nics *out = data;
	struct nic *n;

	if (out->n >= MAX_NICS)
		return;
	n = &out->nic[out->n++];
	nic_init(n);
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), nic_attr_cb, n);
}

/* A wbnic request: each field NONE to leave its attribute out. */
struct wreq {
	uint8_t cmd;
	bool dump;
	int64_t ifindex, peer, netns_fd, loss, corrupt, loopback, flap;
	int unknown;		/* add a u32 attribute of this type (0: none) */
};

#define WREQ(...) ((struct wreq){ .ifindex = NONE, .peer = NONE,	\
	.netns_fd = NONE, .loss = NONE, .corrupt = NONE,		\
	.loopback = NONE, .flap = NONE, __VA_ARGS__ })

static void wbnic_do(int fam, const struct wreq *q, struct nics *out,
		     struct reply *r)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	nlh = genl_msg(buf, fam, q->cmd, q->dump);
	if (q->ifindex != NONE)
		mnl_attr_put_u32(nlh, WBNIC_A_IFINDEX, q->ifindex);
	if (q->peer != NONE)
		mnl_attr_put_u32(nlh, WBNIC_A_PEER_IFINDEX, q->peer);
	if (q->netns_fd != NONE)
		mnl_attr_put_u32(nlh, WBNIC_A_PEER_NETNS_FD, q->netns_fd);
	if (q->loopback != NONE)
		mnl_attr_put_u8(nlh, WBNIC_A_LOOPBACK, q->loopback);
	if (q->loss != NONE)
		mnl_attr_put_u32(nlh, WBNIC_A_LOSS, q->loss);
	if (q->corrupt != NONE)
		mnl_attr_put_u32(nlh, WBNIC_A_CORRUPT, q->corrupt);
	if (q->flap != NONE)
		mnl_attr_put_u32(nlh, WBNIC_A_FLAP_MS, q->flap);
	if (q->unknown)
		mnl_attr_put_u32(nlh, q->unknown, 1);
	if (out)
		out->n = 0;
	talk(NETLINK_GENERIC, nlh, out ? nic_msg : NULL, out, r);
}

/* GET one NIC into @n; returns 0 or -errno (-ENODATA: no reply message). */
static int nic_get(int fam, int ifindex, struct nic *n, struct reply *r)
{
	struct wreq q = WREQ(.cmd = WBNIC_CMD_GET, .ifindex = ifindex);
	static struct nics out;
	struct reply tmp;

	if (!r)
		r = &tmp;
	nic_init(n);
	wbnic_do(fam, &q, &out, r);
	if (!r->err && out.n != 1)
		r->err = -ENODATA;
	if (!r->err)
		*n = out.nic[0];
	return r->err;
}

static int nic_cable(int fam, int a, int b, int netns_fd, struct reply *r)
{
	struct wreq q = WREQ(.cmd = WBNIC_CMD_CABLE, .ifindex = a, .peer = b,
			     .netns_fd = netns_fd);

	wbnic_do(fam, &q, NULL, r);
	return r->err;
}

static int nic_uncable(int fam, int a, struct reply *r)
{
	struct wreq q = WREQ(.cmd = WBNIC_CMD_UNCABLE, .ifindex = a);

	wbnic_do(fam, &q, NULL, r);
	return r->err;
}

/* Poll GET until the NIC's carrier is @want (3 s at most); the last value. */
static int64_t carrier_wait(int fam, int ifindex, int want)
{
	struct nic n;
	int i;

	for (i = 0; i < 30; i++) {
		if (!nic_get(fam, ifindex, &n, NULL) && n.carrier == want)
			break;
		usleep(100 * 1000);
	}
	return n.carrier;
}

/* ------------------------------------------------------------ rtnetlink */

struct link_req {
	const char *name;
	int64_t rx, tx, queues;		/* NONE: leave out */
};

#define LINK(...) ((struct link_req){ .rx = NONE, .tx = NONE,		\
	.queues = NONE, __VA_ARGS__ })

static void newlink(const struct link_req *q, struct reply *r)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlattr *linkinfo, *data;
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, q->name);
	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, WBNIC_KIND);
	if (q->rx != NONE || q->tx != NONE || q->queues != NONE) {
		data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
		if (q->rx != NONE)
			mnl_attr_put_u32(nlh, WBNIC_INFO_RX_RING, q->rx);
		if (q->tx != NONE)
			mnl_attr_put_u32(nlh, WBNIC_INFO_TX_RING, q->tx);
		if (q->queues != NONE)
			mnl_attr_put_u32(nlh, WBNIC_INFO_QUEUES, q->queues);
		mnl_attr_nest_end(nlh, data);
	}
	mnl_attr_nest_end(nlh, linkinfo);
	talk(NETLINK_ROUTE, nlh, NULL, NULL, r);
}

/* RTM_NEWLINK on an existing device: up, and/or into another netns. */
static void setlink(const char *name, bool up, int netns_fd, struct reply *r)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	if (up) {
		ifm->ifi_flags = IFF_UP;
		ifm->ifi_change = IFF_UP;
	}
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	if (netns_fd >= 0)
		mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, netns_fd);
	talk(NETLINK_ROUTE, nlh, NULL, NULL, r);
}

static void dellink(const char *name, struct reply *r)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_DELLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	talk(NETLINK_ROUTE, nlh, NULL, NULL, r);
}

/* ------------------------------------------------------------- fixture */

FIXTURE(wbnic) {
	int fam;	/* family id; < 0: no wbnic family (module missing) */
	int nlinks;	/* links in the fresh netns (lo) */
};

FIXTURE_SETUP(wbnic)
{
	self->fam = resolve_family(WBNIC_GENL_NAME);
	if (self->fam < 0)
		return;		/* each test skips */
	/* each TEST runs in its own child: give it a netns of its own */
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	self->nlinks = count_links();
	/* the family must be there in every netns (netnsok) */
	ASSERT_EQ(self->fam, resolve_family(WBNIC_GENL_NAME))
		TH_LOG("wbnic family not visible in a new netns");
}

FIXTURE_TEARDOWN(wbnic)
{
}

#define NEED_WBNIC() do {						\
	if (self->fam < 0)						\
		SKIP(return, "no wbnic genl family (%s): module not loaded", \
		     strerror(-self->fam));				\
} while (0)

/* Make wbnic NAME (up if @up), or fail the test; its ifindex. */
static int mknic(struct __test_metadata *_metadata, const char *name, bool up)
{
	struct reply r;

	newlink(&LINK(.name = name), &r);
	ASSERT_EQ(0, r.err) TH_LOG("newlink %s: %s", name, r.msg);
	if (up) {
		setlink(name, true, -1, &r);
		ASSERT_EQ(0, r.err) TH_LOG("%s up: %s", name, r.msg);
	}
	return if_nametoindex(name);
}

/* A second netns: an fd to it, and one to the current one (back). */
static void other_netns(struct __test_metadata *_metadata, int *here,
			int *there)
{
	*here = open("/proc/self/ns/net", O_RDONLY);
	ASSERT_LE(0, *here);
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	*there = open("/proc/self/ns/net", O_RDONLY);
	ASSERT_LE(0, *there);
	ASSERT_EQ(0, setns(*here, CLONE_NEWNET));
}

/* ------------------------------------------------------------------ GET */

TEST_F(wbnic, get_nonexistent_ifindex)
{
	struct reply r;
	struct nic n;

	NEED_WBNIC();
	nic_get(self->fam, 99999, &n, &r);
	EXPECT_EQ(-ENODEV, r.err) TH_LOG("msg: %s", r.msg);
	EXPECT_STRNE("", r.msg);
}

TEST_F(wbnic, get_not_a_wbnic)
{
	struct reply r;
	struct nic n;

	NEED_WBNIC();
	nic_get(self->fam, if_nametoindex("lo"), &n, &r);
	EXPECT_GT(0, r.err) TH_LOG("GET lo: %d %s", r.err, r.msg);
}

TEST_F(wbnic, get_without_ifindex)
{
	struct wreq q = WREQ(.cmd = WBNIC_CMD_GET);
	static struct nics out;
	struct reply r;

	NEED_WBNIC();
	mknic(_metadata, "wn0", false);
	wbnic_do(self->fam, &q, &out, &r);
	EXPECT_GT(0, r.err) TH_LOG("GET without ifindex: %d", r.err);
}

TEST_F(wbnic, defaults)
{
	struct reply r;
	struct nic n;
	int a;

	NEED_WBNIC();
	a = mknic(_metadata, "wn0", false);
	ASSERT_EQ(0, nic_get(self->fam, a, &n, &r)) TH_LOG("%s", r.msg);
	EXPECT_EQ(a, n.ifindex);
	EXPECT_STREQ("wn0", n.ifname);
	EXPECT_EQ(0, n.peer);
	EXPECT_FALSE(n.has_netnsid);
	EXPECT_EQ(0, n.carrier);
	EXPECT_EQ(0, n.up);
	EXPECT_EQ(0, n.loopback);
	EXPECT_EQ(0, n.loss);
	EXPECT_EQ(0, n.corrupt);
	EXPECT_EQ(0, n.nqueues) TH_LOG("queues are reported only when up");

	setlink("wn0", true, -1, &r);
	ASSERT_EQ(0, r.err) TH_LOG("up: %s", r.msg);
	ASSERT_EQ(0, nic_get(self->fam, a, &n, &r)) TH_LOG("%s", r.msg);
	EXPECT_EQ(1, n.up);
	EXPECT_EQ(0, n.carrier) TH_LOG("up, but no cable and no loopback");
	EXPECT_EQ(1, n.nqueues);
	EXPECT_EQ(WBNIC_RING_DEFAULT, n.rx_size);
	EXPECT_EQ(WBNIC_RING_DEFAULT, n.tx_size);
}

TEST_F(wbnic, dump_lists_each_once)
{
	static const char *const names[] = { "wd0", "wd1", "wd2", "wd3" };
	struct wreq q = WREQ(.cmd = WBNIC_CMD_GET, .dump = true);
	static struct nics out;
	int here, there, i, j, seen;
	struct reply r;

	NEED_WBNIC();
	for (i = 0; i < 4; i++)
		mknic(_metadata, names[i], i % 2);
	/* one in another netns, which this dump must not list */
	other_netns(_metadata, &here, &there);
	ASSERT_EQ(0, setns(there, CLONE_NEWNET));
	mknic(_metadata, "wdx", false);
	ASSERT_EQ(0, setns(here, CLONE_NEWNET));

	wbnic_do(self->fam, &q, &out, &r);
	ASSERT_EQ(0, r.err) TH_LOG("dump: %s", r.msg);
	EXPECT_EQ(4, out.n);
	for (i = 0; i < 4; i++) {
		seen = 0;
		for (j = 0; j < out.n; j++) {
			if (strcmp(out.nic[j].ifname, names[i]))
				continue;
			seen++;
			EXPECT_EQ((int)if_nametoindex(names[i]), out.nic[j].ifindex);
			EXPECT_EQ(i % 2, out.nic[j].up);
		}
		EXPECT_EQ(1, seen) TH_LOG("%s listed %d times", names[i], seen);
	}
	for (j = 0; j < out.n; j++)
		EXPECT_STRNE("", out.nic[j].ifname)
			TH_LOG("entry %d (ifindex %d) has no WBNIC_A_IFNAME",
			       j, out.nic[j].ifindex);
	close(here);
	close(there);
}

/* ------------------------------------------------ rtnetlink attributes */

TEST_F(wbnic, newlink_with_sizes)
{
	struct reply r;
	struct nic n;

	NEED_WBNIC();
	newlink(&LINK(.name = "wn0", .rx = 1024, .tx = 64, .queues = 4), &r);
	ASSERT_EQ(0, r.err) TH_LOG("newlink: %s", r.msg);
	setlink("wn0", true, -1, &r);
	ASSERT_EQ(0, r.err) TH_LOG("up: %s", r.msg);
	ASSERT_EQ(0, nic_get(self->fam, if_nametoindex("wn0"), &n, &r));
	EXPECT_EQ(4, n.nqueues);
	EXPECT_EQ(1024, n.rx_size);
	EXPECT_EQ(64, n.tx_size);
}

TEST_F(wbnic, newlink_limits_accepted)
{
	static const struct link_req ok[] = {
		LINK(.name = "wn0", .rx = WBNIC_RING_MIN, .tx = WBNIC_RING_MIN),
		LINK(.name = "wn0", .rx = WBNIC_RING_MAX, .tx = WBNIC_RING_MAX),
		LINK(.name = "wn0", .queues = 1),
		LINK(.name = "wn0", .queues = WBNIC_QUEUES_MAX),
	};
	struct reply r;
	unsigned int i;

	NEED_WBNIC();
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		newlink(&ok[i], &r);
		EXPECT_EQ(0, r.err) TH_LOG("case %u: %s", i, r.msg);
		dellink("wn0", &r);
		EXPECT_EQ(0, r.err);
	}
	EXPECT_EQ(self->nlinks, count_links());
}

TEST_F(wbnic, newlink_rx_ring_not_power_of_two)
{
	struct reply r;

	NEED_WBNIC();
	newlink(&LINK(.name = "wn0", .rx = 100), &r);
	EXPECT_EQ(-EINVAL, r.err) TH_LOG("msg: %s", r.msg);
	EXPECT_STRNE("", r.msg);
	EXPECT_EQ(self->nlinks, count_links());
}

TEST_F(wbnic, newlink_bad_values)
{
	static const struct link_req bad[] = {
		LINK(.name = "wn0", .rx = 32),
		LINK(.name = "wn0", .rx = 0),
		LINK(.name = "wn0", .rx = 8192),
		LINK(.name = "wn0", .rx = 4095),
		LINK(.name = "wn0", .tx = 100),
		LINK(.name = "wn0", .tx = 32),
		LINK(.name = "wn0", .tx = 8192),
		LINK(.name = "wn0", .queues = 0),
		LINK(.name = "wn0", .queues = WBNIC_QUEUES_MAX + 1),
		LINK(.name = "wn0", .queues = 1000),
		/* one good value does not let a bad one through */
		LINK(.name = "wn0", .rx = 512, .tx = 100, .queues = 2),
	};
	struct reply r;
	unsigned int i;

	NEED_WBNIC();
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		newlink(&bad[i], &r);
		EXPECT_GT(0, r.err) TH_LOG("case %u: accepted", i);
		EXPECT_STRNE("", r.msg) TH_LOG("case %u: err %d, no extack",
					       i, r.err);
		EXPECT_EQ(self->nlinks, count_links())
			TH_LOG("case %u left a device", i);
		if (count_links() != self->nlinks)
			dellink("wn0", &r);
	}
}

/* ---------------------------------------------------------------- CABLE */

TEST_F(wbnic, cable_and_uncable)
{
	struct reply r;
	struct nic n;
	int a, b;

	NEED_WBNIC();
	a = mknic(_metadata, "wna", true);
	b = mknic(_metadata, "wnb", true);
	ASSERT_EQ(0, nic_cable(self->fam, a, b, NONE, &r)) TH_LOG("%s", r.msg);

	ASSERT_EQ(0, nic_get(self->fam, a, &n, &r));
	EXPECT_EQ(b, n.peer);
	EXPECT_STREQ("wnb", n.peer_name);
	EXPECT_FALSE(n.has_netnsid) TH_LOG("peer in the same netns");
	ASSERT_EQ(0, nic_get(self->fam, b, &n, &r));
	EXPECT_EQ(a, n.peer);
	EXPECT_STREQ("wna", n.peer_name);
	EXPECT_EQ(1, carrier_wait(self->fam, a, 1));
	EXPECT_EQ(1, carrier_wait(self->fam, b, 1));

	ASSERT_EQ(0, nic_uncable(self->fam, a, &r)) TH_LOG("%s", r.msg);
	ASSERT_EQ(0, nic_get(self->fam, a, &n, &r));
	EXPECT_EQ(0, n.peer);
	ASSERT_EQ(0, nic_get(self->fam, b, &n, &r));
	EXPECT_EQ(0, n.peer);
	EXPECT_EQ(0, carrier_wait(self->fam, a, 0));
	EXPECT_EQ(0, carrier_wait(self->fam, b, 0));

	/* and again, from the other end */
	EXPECT_EQ(0, nic_cable(self->fam, b, a, NONE, &r)) TH_LOG("%s", r.msg);
	EXPECT_EQ(1, carrier_wait(self->fam, a, 1));
}

TEST_F(wbnic, cable_to_self)
{
	struct reply r;
	struct nic n;
	int a;

	NEED_WBNIC();
	a = mknic(_metadata, "wna", true);
	nic_cable(self->fam, a, a, NONE, &r);
	EXPECT_EQ(-EINVAL, r.err) TH_LOG("msg: %s", r.msg);
	ASSERT_EQ(0, nic_get(self->fam, a, &n, &r));
	EXPECT_EQ(0, n.peer);
}

TEST_F(wbnic, cable_to_lo)
{
	int lo = if_nametoindex("lo");
	struct reply r;
	struct nic n;
	int a;

	NEED_WBNIC();
	a = mknic(_metadata, "wna", true);
	nic_cable(self->fam, a, lo, NONE, &r);
	EXPECT_GT(0, r.err) TH_LOG("CABLE wna lo accepted");
	nic_cable(self->fam, lo, a, NONE, &r);
	EXPECT_GT(0, r.err) TH_LOG("CABLE lo wna accepted");
	ASSERT_EQ(0, nic_get(self->fam, a, &n, &r));
	EXPECT_EQ(0, n.peer);
	EXPECT_EQ(0, carrier_wait(self->fam, a, 0));
}

TEST_F(wbnic, cable_missing_peer)
{
	struct wreq q;
	struct reply r;
	struct nic n;
	int a;

	NEED_WBNIC();
	a = mknic(_metadata, "wna", true);
	nic_cable(self->fam, a, 99999, NONE, &r);
	EXPECT_GT(0, r.err) TH_LOG("CABLE to ifindex 99999 accepted");
	q = WREQ(.cmd = WBNIC_CMD_CABLE, .ifindex = a);
	wbnic_do(self->fam, &q, NULL, &r);
	EXPECT_GT(0, r.err) TH_LOG("CABLE without PEER_IFINDEX accepted");
	nic_cable(self->fam, a, 1, 999, &r);
	EXPECT_GT(0, r.err) TH_LOG("CABLE with netns fd 999 accepted");
	ASSERT_EQ(0, nic_get(self->fam, a, &n, &r));
	EXPECT_EQ(0, n.peer);
}

TEST_F(wbnic, cable_busy)
{
	struct reply r;
	struct nic n;
	int a, b, c;

	NEED_WBNIC();
	a = mknic(_metadata, "wna", true);
	b = mknic(_metadata, "wnb", true);
	c = mknic(_metadata, "wnc", true);
	ASSERT_EQ(0, nic_cable(self->fam, a, b, NONE, &r)) TH_LOG("%s", r.msg);
	nic_cable(self->fam, a, c, NONE, &r);
	EXPECT_EQ(-EBUSY, r.err) TH_LOG("cabled end first: %s", r.msg);
	nic_cable(self->fam, c, b, NONE, &r);
	EXPECT_EQ(-EBUSY, r.err) TH_LOG("cabled end second: %s", r.msg);
	nic_cable(self->fam, c, a, NONE, &r);
	EXPECT_EQ(-EBUSY, r.err) TH_LOG("cabled end second: %s", r.msg);
	ASSERT_EQ(0, nic_get(self->fam, a, &n, &r));
	EXPECT_EQ(b, n.peer);
	ASSERT_EQ(0, nic_get(self->fam, b, &n, &r));
	EXPECT_EQ(a, n.peer);
	ASSERT_EQ(0, nic_get(self->fam, c, &n, &r));
	EXPECT_EQ(0, n.peer);
}

TEST_F(wbnic, cable_across_netns)
{
	int here, there, a, b;
	struct reply r;
	struct nic n;

	NEED_WBNIC();
	other_netns(_metadata, &here, &there);
	ASSERT_EQ(0, setns(there, CLONE_NEWNET));
	b = mknic(_metadata, "wnb", true);
	ASSERT_EQ(0, setns(here, CLONE_NEWNET));
	a = mknic(_metadata, "wna", true);

	ASSERT_EQ(0, nic_cable(self->fam, a, b, there, &r)) TH_LOG("%s", r.msg);
	ASSERT_EQ(0, nic_get(self->fam, a, &n, &r));
	EXPECT_EQ(b, n.peer);
	EXPECT_STREQ("wnb", n.peer_name);
	EXPECT_TRUE(n.has_netnsid) TH_LOG("peer in another netns: no NETNSID");
	EXPECT_EQ(1, carrier_wait(self->fam, a, 1));

	ASSERT_EQ(0, setns(there, CLONE_NEWNET));
	ASSERT_EQ(0, nic_get(self->fam, b, &n, &r));
	EXPECT_EQ(a, n.peer);
	EXPECT_STREQ("wna", n.peer_name);
	EXPECT_TRUE(n.has_netnsid);
	/* uncabling from there reaches the end here */
	EXPECT_EQ(0, nic_uncable(self->fam, b, &r)) TH_LOG("%s", r.msg);
	ASSERT_EQ(0, setns(here, CLONE_NEWNET));
	ASSERT_EQ(0, nic_get(self->fam, a, &n, &r));
	EXPECT_EQ(0, n.peer);
	close(here);
	close(there);
}

TEST_F(wbnic, cable_follows_netns_move)
{
	int here, there, a, b;
	struct reply r;
	struct nic n;

	NEED_WBNIC();
	a = mknic(_metadata, "wna", false);
	mknic(_metadata, "wnb", false);
	ASSERT_EQ(0, nic_cable(self->fam, a, if_nametoindex("wnb"), NONE, &r))
		TH_LOG("%s", r.msg);
	other_netns(_metadata, &here, &there);
	setlink("wnb", false, there, &r);
	ASSERT_EQ(0, r.err) TH_LOG("move wnb: %s", r.msg);

	ASSERT_EQ(0, setns(there, CLONE_NEWNET));
	b = if_nametoindex("wnb");
	ASSERT_NE(0, b);
	setlink("wnb", true, -1, &r);
	ASSERT_EQ(0, r.err);
	ASSERT_EQ(0, nic_get(self->fam, b, &n, &r));
	EXPECT_EQ(a, n.peer);
	ASSERT_EQ(0, setns(here, CLONE_NEWNET));

	setlink("wna", true, -1, &r);
	ASSERT_EQ(0, r.err);
	ASSERT_EQ(0, nic_get(self->fam, a, &n, &r));
	EXPECT_EQ(b, n.peer);
	EXPECT_TRUE(n.has_netnsid);
	EXPECT_EQ(1, carrier_wait(self->fam, a, 1));
	close(here);
	close(there);
}

TEST_F(wbnic, deleted_peer_uncables)
{
	struct reply r;
	struct nic n;
	int a, b, c;

	NEED_WBNIC();
	a = mknic(_metadata, "wna", true);
	b = mknic(_metadata, "wnb", true);
	ASSERT_EQ(0, nic_cable(self->fam, a, b, NONE, &r)) TH_LOG("%s", r.msg);
	EXPECT_EQ(1, carrier_wait(self->fam, a, 1));
	dellink("wnb", &r);
	ASSERT_EQ(0, r.err);
	ASSERT_EQ(0, nic_get(self->fam, a, &n, &r));
	EXPECT_EQ(0, n.peer);
	EXPECT_EQ(0, carrier_wait(self->fam, a, 0));
	c = mknic(_metadata, "wnc", true);
	EXPECT_EQ(0, nic_cable(self->fam, a, c, NONE, &r)) TH_LOG("%s", r.msg);
	EXPECT_EQ(1, carrier_wait(self->fam, a, 1));
}

/* ------------------------------------------------------------------ SET */

TEST_F(wbnic, unknown_attribute_strict)
{
	struct wreq q;
	struct reply r;
	struct nic n;
	int a, b;

	NEED_WBNIC();
	a = mknic(_metadata, "wna", false);
	b = mknic(_metadata, "wnb", false);
	q = WREQ(.cmd = WBNIC_CMD_SET, .ifindex = a, .loss = 5,
		 .unknown = WBNIC_A_MAX + 1);
	wbnic_do(self->fam, &q, NULL, &r);
	EXPECT_EQ(-EINVAL, r.err) TH_LOG("SET: %s", r.msg);
	q = WREQ(.cmd = WBNIC_CMD_CABLE, .ifindex = a, .peer = b,
		 .unknown = WBNIC_A_MAX + 1);
	wbnic_do(self->fam, &q, NULL, &r);
	EXPECT_EQ(-EINVAL, r.err) TH_LOG("CABLE: %s", r.msg);
	q = WREQ(.cmd = WBNIC_CMD_GET, .ifindex = a,
		 .unknown = WBNIC_A_MAX + 1);
	wbnic_do(self->fam, &q, NULL, &r);
	EXPECT_EQ(-EINVAL, r.err) TH_LOG("GET: %s", r.msg);
	ASSERT_EQ(0, nic_get(self->fam, a, &n, &r));
	EXPECT_EQ(0, n.loss);
	EXPECT_EQ(0, n.peer);
}

TEST_F(wbnic, set_faults_and_bounds)
{
	struct wreq q;
	struct reply r;
	struct nic n;
	int a;

	NEED_WBNIC();
	a = mknic(_metadata, "wna", true);

	q = WREQ(.cmd = WBNIC_CMD_SET, .ifindex = a, .loss = WBNIC_PPM,
		 .corrupt = 250000);
	wbnic_do(self->fam, &q, NULL, &r);
	ASSERT_EQ(0, r.err) TH_LOG("%s", r.msg);
	ASSERT_EQ(0, nic_get(self->fam, a, &n, &r));
	EXPECT_EQ(WBNIC_PPM, n.loss);
	EXPECT_EQ(250000, n.corrupt);

	q = WREQ(.cmd = WBNIC_CMD_SET, .ifindex = a, .loss = WBNIC_PPM + 1);
	wbnic_do(self->fam, &q, NULL, &r);
	EXPECT_TRUE(r.err == -ERANGE || r.err == -EINVAL)
		TH_LOG("LOSS %d: err %d %s", WBNIC_PPM + 1, r.err, r.msg);
	q = WREQ(.cmd = WBNIC_CMD_SET, .ifindex = a, .corrupt = WBNIC_PPM + 1);
	wbnic_do(self->fam, &q, NULL, &r);
	EXPECT_TRUE(r.err == -ERANGE || r.err == -EINVAL)
		TH_LOG("CORRUPT %d: err %d %s", WBNIC_PPM + 1, r.err, r.msg);
	/* all or nothing: the good LOSS is not applied either */
	q = WREQ(.cmd = WBNIC_CMD_SET, .ifindex = a, .loss = 5,
		 .corrupt = 0xffffffff);
	wbnic_do(self->fam, &q, NULL, &r);
	EXPECT_GT(0, r.err);
	ASSERT_EQ(0, nic_get(self->fam, a, &n, &r));
	EXPECT_EQ(WBNIC_PPM, n.loss);
	EXPECT_EQ(250000, n.corrupt);

	q = WREQ(.cmd = WBNIC_CMD_SET, .ifindex = a, .flap = 0);
	wbnic_do(self->fam, &q, NULL, &r);
	EXPECT_GT(0, r.err) TH_LOG("FLAP_MS 0 accepted");
	q = WREQ(.cmd = WBNIC_CMD_SET, .ifindex = a,
		 .flap = WBNIC_FLAP_MS_MAX + 1);
	wbnic_do(self->fam, &q, NULL, &r);
	EXPECT_GT(0, r.err) TH_LOG("FLAP_MS %d accepted", WBNIC_FLAP_MS_MAX + 1);

	/* loopback: carrier without a cable */
	q = WREQ(.cmd = WBNIC_CMD_SET, .ifindex = a, .loopback = 1, .loss = 0,
		 .corrupt = 0);
	wbnic_do(self->fam, &q, NULL, &r);
	ASSERT_EQ(0, r.err) TH_LOG("%s", r.msg);
	ASSERT_EQ(0, nic_get(self->fam, a, &n, &r));
	EXPECT_EQ(1, n.loopback);
	EXPECT_EQ(0, n.loss);
	EXPECT_EQ(0, n.corrupt);
	EXPECT_EQ(1, carrier_wait(self->fam, a, 1));
	q = WREQ(.cmd = WBNIC_CMD_SET, .ifindex = a, .loopback = 0);
	wbnic_do(self->fam, &q, NULL, &r);
	ASSERT_EQ(0, r.err) TH_LOG("%s", r.msg);
	EXPECT_EQ(0, carrier_wait(self->fam, a, 0));
}

TEST_F(wbnic, set_not_a_wbnic)
{
	struct wreq q = WREQ(.cmd = WBNIC_CMD_SET, .loss = 1);
	struct reply r;

	NEED_WBNIC();
	q.ifindex = if_nametoindex("lo");
	wbnic_do(self->fam, &q, NULL, &r);
	EXPECT_GT(0, r.err) TH_LOG("SET on lo accepted");
	q.ifindex = 99999;
	wbnic_do(self->fam, &q, NULL, &r);
	EXPECT_GT(0, r.err) TH_LOG("SET on ifindex 99999 accepted");
	q = WREQ(.cmd = WBNIC_CMD_UNCABLE, .ifindex = if_nametoindex("lo"));
	wbnic_do(self->fam, &q, NULL, &r);
	EXPECT_GT(0, r.err) TH_LOG("UNCABLE on lo accepted");
}

TEST_F(wbnic, flap_in_range)
{
	struct wreq q;
	struct reply r;
	int a, b;

	NEED_WBNIC();
	a = mknic(_metadata, "wna", true);
	b = mknic(_metadata, "wnb", true);
	ASSERT_EQ(0, nic_cable(self->fam, a, b, NONE, &r)) TH_LOG("%s", r.msg);
	ASSERT_EQ(1, carrier_wait(self->fam, a, 1));
	q = WREQ(.cmd = WBNIC_CMD_SET, .ifindex = a, .flap = 300);
	wbnic_do(self->fam, &q, NULL, &r);
	ASSERT_EQ(0, r.err) TH_LOG("%s", r.msg);
	/* the link comes back (whether GET saw it go is up to timing) */
	usleep(400 * 1000);
	EXPECT_EQ(1, carrier_wait(self->fam, a, 1));
	EXPECT_EQ(1, carrier_wait(self->fam, b, 1));
}

/* ---------------------------------------------------------- privileges */

/*
 * Root in a fresh user namespace owns its new netns, and nothing else: it
 * may cable wbnics there, but not to one in the netns it came from.
 */
TEST_F(wbnic, userns_root_cannot_reach_outer_netns)
{
	int outer, a, b, c;
	struct reply r;
	struct nic n;

	NEED_WBNIC();
	b = mknic(_metadata, "wnb", true);
	outer = open("/proc/self/ns/net", O_RDONLY);
	ASSERT_LE(0, outer);
	ASSERT_EQ(0, unshare(CLONE_NEWUSER | CLONE_NEWNET));

	a = mknic(_metadata, "wna", true);
	nic_cable(self->fam, a, b, outer, &r);
	EXPECT_EQ(-EPERM, r.err) TH_LOG("msg: %s", r.msg);
	ASSERT_EQ(0, nic_get(self->fam, a, &n, &r)) TH_LOG("%s", r.msg);
	EXPECT_EQ(0, n.peer);

	c = mknic(_metadata, "wnc", true);
	EXPECT_EQ(0, nic_cable(self->fam, a, c, NONE, &r)) TH_LOG("%s", r.msg);
	EXPECT_EQ(1, carrier_wait(self->fam, a, 1));
	close(outer);
}

/* Anyone may look; only CAP_NET_ADMIN may cable, uncable and set. */
TEST_F(wbnic, unprivileged)
{
	struct wreq q;
	struct reply r;
	struct nic n;
	int a, b, c, d;

	NEED_WBNIC();
	a = mknic(_metadata, "wna", true);
	b = mknic(_metadata, "wnb", true);
	c = mknic(_metadata, "wnc", true);
	d = mknic(_metadata, "wnd", true);
	ASSERT_EQ(0, nic_cable(self->fam, a, b, NONE, &r)) TH_LOG("%s", r.msg);

	/* this child only: drop to nobody (and every capability with it) */
	ASSERT_EQ(0, setgroups(0, NULL));
	ASSERT_EQ(0, setresgid(65534, 65534, 65534));
	ASSERT_EQ(0, setresuid(65534, 65534, 65534));

	ASSERT_EQ(0, nic_get(self->fam, a, &n, &r)) TH_LOG("GET: %s", r.msg);
	EXPECT_EQ(b, n.peer);
	EXPECT_EQ(-EPERM, nic_cable(self->fam, c, d, NONE, &r));
	EXPECT_EQ(-EPERM, nic_uncable(self->fam, a, &r));
	q = WREQ(.cmd = WBNIC_CMD_SET, .ifindex = a, .loss = 5);
	wbnic_do(self->fam, &q, NULL, &r);
	EXPECT_EQ(-EPERM, r.err);
	q = WREQ(.cmd = WBNIC_CMD_SET, .ifindex = a, .flap = 100);
	wbnic_do(self->fam, &q, NULL, &r);
	EXPECT_EQ(-EPERM, r.err);
	q = WREQ(.cmd = WBNIC_CMD_SET, .ifindex = c, .loopback = 1);
	wbnic_do(self->fam, &q, NULL, &r);
	EXPECT_EQ(-EPERM, r.err);

	ASSERT_EQ(0, nic_get(self->fam, a, &n, &r));
	EXPECT_EQ(b, n.peer);
	EXPECT_EQ(0, n.loss);
	ASSERT_EQ(0, nic_get(self->fam, c, &n, &r));
	EXPECT_EQ(0, n.peer);
	EXPECT_EQ(0, n.loopback);
	(void)d;
}

/* --------------------------------------------------- allocation failures */

#define FAIL_NTH_DENSE	400
#define WB_ETHERTYPE	0x88b5	/* IEEE local experimental */

/* An ethtool ioctl on NAME; 0 or -errno. */
static int ethtool_ioctl(const char *name, void *cmd)
{
	struct ifreq ifr = {};
	int fd = socket(AF_INET, SOCK_DGRAM, 0), rc;

	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ifr.ifr_data = cmd;
	rc = ioctl(fd, SIOCETHTOOL, &ifr) ? -errno : 0;
	close(fd);
	return rc;
}

static struct ethtool_ringparam get_ring(const char *name)
{
	struct ethtool_ringparam rp = { .cmd = ETHTOOL_GRINGPARAM };

	if (ethtool_ioctl(name, &rp))
		rp.rx_pending = rp.tx_pending = 0;
	return rp;
}

static unsigned int get_combined(const char *name)
{
	struct ethtool_channels ch = { .cmd = ETHTOOL_GCHANNELS };

	return ethtool_ioctl(name, &ch) ? 0 : ch.combined_count;
}

/* An AF_PACKET socket on ifindex (bound to our ethertype); -errno. */
static int packet_sock(int ifindex)
{
	struct sockaddr_ll ll = { .sll_family = AF_PACKET,
				  .sll_protocol = htons(WB_ETHERTYPE),
				  .sll_ifindex = ifindex };
	int fd = socket(AF_PACKET, SOCK_RAW, htons(WB_ETHERTYPE));

	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&ll, sizeof(ll))) {
		close(fd);
		return -errno;
	}
	return fd;
}

/* Broadcast one 60-byte frame tagged @tag out of ifindex; 0 or -errno. */
static int send_frame(int fd, int ifindex, unsigned int tag)
{
	struct sockaddr_ll ll = { .sll_family = AF_PACKET,
				  .sll_protocol = htons(WB_ETHERTYPE),
				  .sll_ifindex = ifindex, .sll_halen = ETH_ALEN };
	unsigned char f[60] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
				0x02, 0, 0, 0, 0, 1,
				WB_ETHERTYPE >> 8, WB_ETHERTYPE & 0xff };

	memset(ll.sll_addr, 0xff, ETH_ALEN);
	memcpy(f + ETH_HLEN, &tag, sizeof(tag));
	return sendto(fd, f, sizeof(f), 0, (struct sockaddr *)&ll,
		      sizeof(ll)) == sizeof(f) ? 0 : -errno;
}

/* Does a frame sent out of @from reach @to (cabled) within 3 s? */
static bool frame_through(int from, int to)
{
	static unsigned int tag = 0x57420000;
	unsigned char f[128];
	struct pollfd p;
	bool ok = false;
	int tx, rx;
	ssize_t n;

	rx = packet_sock(to);
	tx = packet_sock(from);
	if (rx < 0 || tx < 0 || send_frame(tx, from, ++tag))
		goto out;
	p = (struct pollfd){ .fd = rx, .events = POLLIN };
	while (!ok && poll(&p, 1, 3000) == 1) {
		n = recv(rx, f, sizeof(f), 0);
		ok = n >= (ssize_t)(ETH_HLEN + sizeof(tag)) &&
		     !memcmp(f + ETH_HLEN, &tag, sizeof(tag));
		if (n < 0)
			break;
	}
out:
	if (rx >= 0)
		close(rx);
	if (tx >= 0)
		close(tx);
	return ok;
}

/* Set NAME down. */
static void setdown(const char *name, struct reply *r)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_change = IFF_UP;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	talk(NETLINK_ROUTE, nlh, NULL, NULL, r);
}

/* A link's counters in the current netns (RTM_GETLINK, by getifaddrs). */
static bool link_stats(const char *name, struct rtnl_link_stats *st)
{
	struct ifaddrs *ifs, *i;
	bool found = false;

	if (getifaddrs(&ifs))
		return false;
	for (i = ifs; i; i = i->ifa_next) {
		if (i->ifa_addr && i->ifa_addr->sa_family == AF_PACKET &&
		    i->ifa_data && !strcmp(i->ifa_name, name)) {
			*st = *(struct rtnl_link_stats *)i->ifa_data;
			found = true;
			break;
		}
	}
	freeifaddrs(ifs);
	return found;
}

/*
 * A walk ends when a request gets through without reaching its Nth point.
 * register_netdevice() and dev_open() pass hundreds of points under KASAN,
 * most of them in the core's notifiers: each of the first FAIL_NTH_DENSE
 * fails in turn, then fail_nth_next() samples the rest to the end.
 */
static void walk_log(struct __test_metadata *_metadata, const char *what,
		     int n, int failed)
{
	FAIL_NTH_WALKED(what, n, "%d requests failed cleanly", failed);
}

/* The state a genetlink command starts from, and the command. */
static void genl_case(int fam, int e, int a, int b, struct wreq *q)
{
	struct reply r;
	struct nic nn;

	if (e == 0) {
		nic_uncable(fam, a, &r);
		*q = WREQ(.cmd = WBNIC_CMD_CABLE, .ifindex = a, .peer = b);
		return;
	}
	if (nic_get(fam, a, &nn, NULL) || nn.peer != b)
		nic_cable(fam, a, b, NONE, &r);
	*q = WREQ(.cmd = WBNIC_CMD_SET, .ifindex = a, .loss = 0);
	wbnic_do(fam, q, NULL, &r);
	if (e == 1)
		*q = WREQ(.cmd = WBNIC_CMD_SET, .ifindex = a, .loss = 1000);
	else if (e == 2)
		*q = WREQ(.cmd = WBNIC_CMD_GET, .dump = true);
	else
		*q = WREQ(.cmd = WBNIC_CMD_UNCABLE, .ifindex = a);
}

/*
 * A ring resize or (@channels) a channel change on a running, cabled
 * NIC with its Nth allocation failed: an error keeps the old setting, and
 * frames go through whatever happened. Returns 0 (changed: and changed
 * back), 1 (it got through without the Nth point), or -errno.
 */
static int resize_nth(struct __test_metadata *_metadata, int fam, int fd,
		      int n, int a, int b, bool channels)
{
	struct ethtool_ringparam rp = get_ring("wna");
	struct ethtool_channels ch = { .cmd = ETHTOOL_SCHANNELS,
				       .combined_count = 2 };
	unsigned int was = channels ? get_combined("wna") : rp.rx_pending;
	unsigned int now;
	int e, left;

	rp.cmd = ETHTOOL_SRINGPARAM;
	rp.rx_pending = rp.tx_pending = 128;
	set_fail_nth(fd, n);
	e = ethtool_ioctl("wna", channels ? (void *)&ch : (void *)&rp);
	left = get_fail_nth(fd);
	set_fail_nth(fd, 0);
	now = channels ? get_combined("wna") : get_ring("wna").rx_pending;
	if (e) {
		EXPECT_GT(0, e);
		EXPECT_EQ(was, now) TH_LOG("fail-nth %d: err %d changed it", n, e);
	} else {
		EXPECT_EQ(channels ? 2U : 128U, now);
	}
	EXPECT_EQ(1, carrier_wait(fam, a, 1));
	EXPECT_TRUE(frame_through(a, b))
		TH_LOG("fail-nth %d (err %d): no frame through", n, e);
	if (e)
		return e;
	ch.combined_count = was;
	rp.rx_pending = rp.tx_pending = was;
	EXPECT_EQ(0, ethtool_ioctl("wna", channels ? (void *)&ch : (void *)&rp));
	return left > 0;
}

/*
 * Every allocation of a wbnic's creation, its bring-up, each genetlink
 * command, a ring resize and a channel change on a running NIC, and a
 * frame's way out, failed in turn: a failure is an error to the caller
 * and leaves the NIC as it was; a resize that failed keeps the old rings
 * and the NIC carries frames; every frame handed to the NIC is counted.
 * (The RX poll runs in softirq, where fail-nth does not reach:
 * wbnic-faults.sh fails its allocations.) Needs CONFIG_FAULT_INJECTION.
 */
TEST_F_TIMEOUT(wbnic, alloc_failures, 2400)
{
	static const char *const what[] = { "CABLE", "SET", "GET dump",
					    "UNCABLE" };
	struct rtnl_link_stats sa0, sb0, sa, sb;
	int fd, n, failed, a, b, e, left, tx, rx, sent, i;
	struct wreq q;
	struct reply r;
	struct nic nn;

	NEED_WBNIC();
	fd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (fd < 0)
		SKIP(return, "no /proc/thread-self/fail-nth (CONFIG_FAULT_INJECTION)");
	/* no IPv6 here: fewer points in the core's NETDEV_UP notifiers */
	ASSERT_EQ(0, system("sysctl -qw net.ipv6.conf.all.disable_ipv6=1 "
			    "net.ipv6.conf.default.disable_ipv6=1"));
	fi_set(false);

	/*
	 * RTM_NEWLINK: 2 queues of 64 descriptors each way. Small rings keep
	 * the walks whole (each RX buffer is an allocation) and the debug
	 * run short; the error paths are the same at any size.
	 */
	for (n = 1, failed = 0; n <= FAIL_NTH_LAST;
	     n = fail_nth_next(n, FAIL_NTH_DENSE)) {
		wb_talk_fail_fd = fd;
		wb_talk_fail_nth = n;
		newlink(&LINK(.name = "wnf", .rx = 64, .tx = 64, .queues = 2),
			&r);
		wb_talk_fail_fd = -1;
		if (r.err && r.lost && if_nametoindex("wnf"))
			r.err = 0;	/* only the ack was lost */
		if (r.err) {
			failed++;
			EXPECT_GT(0, r.err);
			EXPECT_EQ(self->nlinks, count_links())
				TH_LOG("fail-nth %d: err %d '%s' left a device",
				       n, r.err, r.msg);
		} else {
			dellink("wnf", &r);
			EXPECT_EQ(0, r.err);
			if (wb_talk_fail_left > 0)
				break;
		}
		if (_metadata->passed == 0)
			break;
	}
	walk_log(_metadata, "RTM_NEWLINK", n, failed);

	/* up: the rings are allocated and the hardware started */
	newlink(&LINK(.name = "wna", .rx = 64, .tx = 64), &r);
	ASSERT_EQ(0, r.err) TH_LOG("%s", r.msg);
	a = if_nametoindex("wna");
	b = mknic(_metadata, "wnb", true);
	for (n = 1, failed = 0; n <= FAIL_NTH_LAST;
	     n = fail_nth_next(n, FAIL_NTH_DENSE)) {
		wb_talk_fail_fd = fd;
		wb_talk_fail_nth = n;
		setlink("wna", true, -1, &r);
		wb_talk_fail_fd = -1;
		ASSERT_EQ(0, nic_get(self->fam, a, &nn, NULL));
		if (r.err && !r.lost) {
			failed++;
			EXPECT_GT(0, r.err);
			EXPECT_EQ(0, nn.up)
				TH_LOG("fail-nth %d: up after err %d", n, r.err);
		} else {
			EXPECT_EQ(1, nn.up);
			if (wb_talk_fail_left > 0)
				break;
			setdown("wna", &r);
			ASSERT_EQ(0, r.err);
		}
		if (_metadata->passed == 0)
			break;
	}
	walk_log(_metadata, "up", n, failed);
	setlink("wna", true, -1, &r);
	ASSERT_EQ(0, r.err) TH_LOG("%s", r.msg);

	/* genetlink: CABLE, SET, GET (dump), UNCABLE */
	for (i = 0; i < 4; i++) {
		for (n = 1, failed = 0; n <= FAIL_NTH_LAST;
		     n = fail_nth_next(n, FAIL_NTH_DENSE)) {
			struct nics out;

			genl_case(self->fam, i, a, b, &q);
			wb_talk_fail_fd = fd;
			wb_talk_fail_nth = n;
			wbnic_do(self->fam, &q, i == 2 ? &out : NULL, &r);
			wb_talk_fail_fd = -1;
			ASSERT_EQ(0, nic_get(self->fam, a, &nn, NULL));
			if (r.err && !r.lost) {
				failed++;
				EXPECT_GT(0, r.err);
				EXPECT_EQ(i == 0 ? 0 : b, nn.peer)
					TH_LOG("%s fail-nth %d: err %d changed the cable",
					       what[i], n, r.err);
				EXPECT_EQ(0, nn.loss);
			} else if (!r.err) {
				EXPECT_EQ(i == 3 ? 0 : b, nn.peer);
				EXPECT_EQ(i == 1 ? 1000 : 0, nn.loss);
				if (wb_talk_fail_left > 0)
					break;
			}
			if (_metadata->passed == 0)
				break;
		}
		walk_log(_metadata, what[i], n, failed);
	}

	/* cabled and running both: resizes */
	genl_case(self->fam, 2, a, b, &q);	/* cabled, no loss */
	ASSERT_EQ(1, carrier_wait(self->fam, a, 1));
	ASSERT_TRUE(frame_through(a, b));
	for (i = 0; i < 2; i++) {
		for (n = 1, failed = 0; n <= FAIL_NTH_LAST;
		     n = fail_nth_next(n, FAIL_NTH_DENSE)) {
			e = resize_nth(_metadata, self->fam, fd, n, a, b, i);
			if (e < 0)
				failed++;
			else if (e > 0)
				break;
			if (_metadata->passed == 0)
				break;
		}
		walk_log(_metadata, i ? "ETHTOOL_SCHANNELS" :
					"ETHTOOL_SRINGPARAM", n, failed);
	}

	/*
	 * a frame's way out: an error to the sender, or a frame counted. A
	 * socket takes them on wnb: with no handler for the ethertype the
	 * core would count each in rx_dropped as well as rx_packets
	 */
	rx = packet_sock(b);
	ASSERT_LE(0, rx);
	ASSERT_TRUE(link_stats("wna", &sa0));
	ASSERT_TRUE(link_stats("wnb", &sb0));
	tx = packet_sock(a);
	ASSERT_LE(0, tx);
	for (n = 1, failed = 0, sent = 0; n <= FAIL_NTH_LAST;
	     n = fail_nth_next(n, FAIL_NTH_DENSE)) {
		set_fail_nth(fd, n);
		e = send_frame(tx, a, n);
		left = get_fail_nth(fd);
		set_fail_nth(fd, 0);
		if (e) {
			failed++;
			EXPECT_GT(0, e);
			continue;
		}
		sent++;
		if (left > 0)
			break;
	}
	close(tx);
	FAIL_NTH_WALKED("AF_PACKET send", n, "%d sends failed, %d sent",
			failed, sent);
	/* sent: on the wire or dropped by the NIC; received or dropped */
	for (i = 0; i < 50; i++) {
		ASSERT_TRUE(link_stats("wna", &sa));
		ASSERT_TRUE(link_stats("wnb", &sb));
		if (sa.tx_packets + sa.tx_dropped - sa0.tx_packets -
		    sa0.tx_dropped == (unsigned int)sent &&
		    sb.rx_packets + sb.rx_dropped + sb.rx_missed_errors -
		    sb0.rx_packets - sb0.rx_dropped - sb0.rx_missed_errors ==
		    sa.tx_packets - sa0.tx_packets)
			break;
		usleep(100 * 1000);
	}
	EXPECT_EQ(sent, (int)(sa.tx_packets + sa.tx_dropped - sa0.tx_packets -
			      sa0.tx_dropped));
	EXPECT_EQ(sa.tx_packets - sa0.tx_packets,
		  sb.rx_packets + sb.rx_dropped + sb.rx_missed_errors -
		  sb0.rx_packets - sb0.rx_dropped - sb0.rx_missed_errors);
	close(rx);
	EXPECT_TRUE(frame_through(a, b));
	close(fd);
	fi_set(true);
}

TEST_HARNESS_MAIN
