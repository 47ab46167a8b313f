// SPDX-License-Identifier: GPL-2.0
/*
 * wbpair rtnetlink API: creation, deletion and every way of getting the
 * request wrong. Each test runs in a fresh network namespace of its own.
 *
 * Every rejected request must come back with an errno and an extack
 * message, and leave no device behind.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/wirebox.h>

#include "kselftest_harness.h"
#include "wbnl.h"
#include "wbfail.h"

struct req {
	const char *name;
	const char *peer;	/* NULL: no WBPAIR_INFO_PEER */
	bool has_mode;
	uint32_t mode;
	bool has_ns;		/* IFLA_NET_NS_FD = peer_ns_fd */
	int peer_ns_fd;
	int peer_mtu;		/* 0: none */
	/* malformations */
	int unknown_type;	/* add an attribute of this type to INFO_DATA */
	int mode_len;		/* send MODE with this many bytes (0: 4) */
	int peer_len;		/* truncate the PEER payload to this (0: full) */
};

/* struct reply and ack_attr_cb() come from wbnl.h */

/*
 * Send one request, wait for its ack, fill *r. With fail_fd >= 0, arm
 * /proc/thread-self/fail-nth with @nth for just the send and the ack.
 */
static int fail_left;	/* fail-nth's count after the last transact_nth() */

static void transact_nth(struct nlmsghdr *nlh, struct reply *r, int fail_fd,
			 int nth)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	const struct nlmsgerr *e;
	struct mnl_socket *nl;
	int len;

	memset(r, 0, sizeof(*r));
	nl = wb_nl_open();
	if (!nl) {
		r->err = -errno;
		return;
	}
	nlh->nlmsg_flags |= NLM_F_ACK;
	nlh->nlmsg_seq = time(NULL);

	if (fail_fd >= 0)
		set_fail_nth(fail_fd, nth);
	len = mnl_socket_sendto(nl, nlh, nlh->nlmsg_len);
	if (len >= 0)
		len = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (len < 0)
		r->err = -errno;
	/* what is left, read before 0 is written (that clears it) */
	if (fail_fd >= 0) {
		fail_left = get_fail_nth(fail_fd);
		set_fail_nth(fail_fd, 0);
	}
	if (len < 0)
		goto out;

	nlh = (struct nlmsghdr *)buf;
	if (!mnl_nlmsg_ok(nlh, len) || nlh->nlmsg_type != NLMSG_ERROR) {
		r->err = -EPROTO;
		goto out;
	}
	e = mnl_nlmsg_get_payload(nlh);
	r->err = e->error;
	/* NETLINK_CAP_ACK: only the request header is echoed */
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
		mnl_attr_parse(nlh, sizeof(*e), ack_attr_cb, r);
out:
	mnl_socket_close(nl);
}

static void transact(struct nlmsghdr *nlh, struct reply *r)
{
	transact_nth(nlh, r, -1, 0);
}

/* Build the RTM_NEWLINK that @q describes into @buf. */
static struct nlmsghdr *build_newlink(char *buf, const struct req *q)
{
	struct nlattr *linkinfo, *data;
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;

	memset(buf, 0, MNL_SOCKET_BUFFER_SIZE);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, q->name);

	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, WBPAIR_KIND);
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	if (q->peer || q->has_ns || q->peer_len) {
		struct nlattr *peer = mnl_attr_nest_start(nlh, WBPAIR_INFO_PEER);
		struct ifinfomsg *pifm;

		pifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*pifm));
		pifm->ifi_family = AF_UNSPEC;
		if (q->peer)
			mnl_attr_put_strz(nlh, IFLA_IFNAME, q->peer);
		if (q->has_ns)
			mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, q->peer_ns_fd);
		if (q->peer_mtu)
			mnl_attr_put_u32(nlh, IFLA_MTU, q->peer_mtu);
		mnl_attr_nest_end(nlh, peer);
		if (q->peer_len) {
			nlh->nlmsg_len = (char *)peer - (char *)nlh +
					 MNL_ALIGN(sizeof(*peer) + q->peer_len);
			peer->nla_len = sizeof(*peer) + q->peer_len;
		}
	}
	if (q->has_mode) {
		uint64_t v = q->mode;

		mnl_attr_put(nlh, WBPAIR_INFO_MODE,
			     q->mode_len ? (size_t)q->mode_len : sizeof(uint32_t),
			     &v);
	}
	if (q->unknown_type)
		mnl_attr_put_u32(nlh, q->unknown_type, 1);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, linkinfo);
	return nlh;
}

static void newlink(const struct req *q, struct reply *r)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];

	transact(build_newlink(buf, q), r);
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
	transact(nlh, r);
}

struct linkdata {
	int link;	/* IFLA_LINK: the peer's ifindex */
	int mode;	/* WBPAIR_INFO_MODE, -1 if absent */
	char kind[32];
};

static int info_data_cb(const struct nlattr *a, void *data)
{
	struct linkdata *ld = data;

	if (mnl_attr_get_type(a) == WBPAIR_INFO_MODE)
		ld->mode = mnl_attr_get_u32(a);
	return MNL_CB_OK;
}

static int linkinfo_cb(const struct nlattr *a, void *data)
{
	struct linkdata *ld = data;

	if (mnl_attr_get_type(a) == IFLA_INFO_KIND)
		snprintf(ld->kind, sizeof(ld->kind), "%s", mnl_attr_get_str(a));
	if (mnl_attr_get_type(a) == IFLA_INFO_DATA)
		mnl_attr_parse_nested(a, info_data_cb, ld);
	return MNL_CB_OK;
}

static int link_attr_cb(const struct nlattr *a, void *data)
{
	struct linkdata *ld = data;

	if (mnl_attr_get_type(a) == IFLA_LINK)
		ld->link = mnl_attr_get_u32(a);
	if (mnl_attr_get_type(a) == IFLA_LINKINFO)
		mnl_attr_parse_nested(a, linkinfo_cb, ld);
	return MNL_CB_OK;
}

/* RTM_GETLINK one device; returns 0 or -errno. */
static int getlink(const char *name, struct linkdata *ld)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;
	int len, err = -EPROTO;

	memset(ld, 0, sizeof(*ld));
	ld->mode = -1;
	nl = wb_nl_open();
	if (!nl)
		return -errno;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		goto out;
	len = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	nlh = (struct nlmsghdr *)buf;
	if (len < 0 || !mnl_nlmsg_ok(nlh, len))
		goto out;
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		err = ((struct nlmsgerr *)mnl_nlmsg_get_payload(nlh))->error;
		goto out;
	}
	mnl_attr_parse(nlh, sizeof(struct ifinfomsg), link_attr_cb, ld);
	err = 0;
out:
	mnl_socket_close(nl);
	return err;
}


FIXTURE(wbpair) {
	int nlinks;	/* links in the fresh netns before the test (lo) */
};

FIXTURE_SETUP(wbpair)
{
	/* each TEST runs in its own child: give it a netns of its own */
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	self->nlinks = count_links();
}

FIXTURE_TEARDOWN(wbpair)
{
}

#define REQ(...) ((struct req){ __VA_ARGS__ })

TEST_F(wbpair, create_and_delete)
{
	struct req q = REQ(.name = "wbA", .peer = "wbB");
	struct linkdata a, b;
	struct reply r;

	newlink(&q, &r);
	ASSERT_EQ(0, r.err) TH_LOG("newlink: %s", r.msg);
	ASSERT_EQ(0, getlink("wbA", &a));
	ASSERT_EQ(0, getlink("wbB", &b));
	EXPECT_STREQ("wbpair", a.kind);
	EXPECT_EQ((int)if_nametoindex("wbB"), a.link);
	EXPECT_EQ((int)if_nametoindex("wbA"), b.link);
	EXPECT_EQ(WBPAIR_MODE_XMIT, a.mode);

	dellink("wbB", &r);
	ASSERT_EQ(0, r.err) TH_LOG("dellink: %s", r.msg);
	EXPECT_EQ(0, (int)if_nametoindex("wbA"));
	EXPECT_EQ(self->nlinks, count_links());
}

TEST_F(wbpair, auto_named_peer)
{
	struct req q = REQ(.name = "wbA");
	struct linkdata a, p;
	char peer[IF_NAMESIZE];
	struct reply r;

	newlink(&q, &r);
	ASSERT_EQ(0, r.err) TH_LOG("newlink: %s", r.msg);
	ASSERT_EQ(0, getlink("wbA", &a));
	ASSERT_NE(NULL, if_indextoname(a.link, peer));
	EXPECT_EQ(0, strncmp(peer, "wbpair", 6)) TH_LOG("peer is %s", peer);
	ASSERT_EQ(0, getlink(peer, &p));
	EXPECT_EQ((int)if_nametoindex("wbA"), p.link);
}

TEST_F(wbpair, napi_mode_both_ends)
{
	struct req q = REQ(.name = "wbA", .peer = "wbB",
			   .has_mode = true, .mode = WBPAIR_MODE_NAPI);
	struct linkdata a, b;
	struct reply r;

	newlink(&q, &r);
	ASSERT_EQ(0, r.err) TH_LOG("newlink: %s", r.msg);
	ASSERT_EQ(0, getlink("wbA", &a));
	ASSERT_EQ(0, getlink("wbB", &b));
	EXPECT_EQ(WBPAIR_MODE_NAPI, a.mode);
	EXPECT_EQ(WBPAIR_MODE_NAPI, b.mode);
}

/* A rejected request: errno, an extack message, and no device left. */
#define EXPECT_REJECTED(q, want_err, want_msg) do {			\
	struct reply __r;						\
									\
	newlink(&(q), &__r);						\
	EXPECT_EQ(-(want_err), __r.err) TH_LOG("msg: %s", __r.msg);	\
	EXPECT_NE(NULL, strstr(__r.msg, want_msg))			\
		TH_LOG("extack '%s', want '%s'", __r.msg, want_msg);	\
	EXPECT_EQ(self->nlinks, count_links());				\
} while (0)

TEST_F(wbpair, unknown_attribute)
{
	struct req q = REQ(.name = "wbA", .peer = "wbB", .unknown_type = 77);

	EXPECT_REJECTED(q, EINVAL, "Unknown wbpair attribute");
}

TEST_F(wbpair, oversized_mode)
{
	struct req q = REQ(.name = "wbA", .peer = "wbB", .has_mode = true, .mode = 1,
			   .mode_len = 8);

	EXPECT_REJECTED(q, EINVAL, "must be a u32");
}

TEST_F(wbpair, mode_out_of_range)
{
	struct req q = REQ(.name = "wbA", .peer = "wbB", .has_mode = true, .mode = 7);

	EXPECT_REJECTED(q, ERANGE, "out of range");
}

TEST_F(wbpair, truncated_peer)
{
	struct req q = REQ(.name = "wbA", .peer_len = 4);

	/* shorter than struct ifinfomsg: the policy rejects it */
	EXPECT_REJECTED(q, ERANGE, "");
}

TEST_F(wbpair, peer_name_exists)
{
	struct req first = REQ(.name = "wbX", .peer = "wbY");
	struct req q = REQ(.name = "wbA", .peer = "wbY");
	struct reply r;

	newlink(&first, &r);
	ASSERT_EQ(0, r.err) TH_LOG("newlink: %s", r.msg);
	self->nlinks = count_links();
	EXPECT_REJECTED(q, EEXIST, "Peer device name already exists");
}

TEST_F(wbpair, peer_same_name)
{
	struct req q = REQ(.name = "wbA", .peer = "wbA");

	EXPECT_REJECTED(q, EEXIST, "already exists");
}

TEST_F(wbpair, peer_netns_missing)
{
	struct req q = REQ(.name = "wbA", .peer = "wbB", .has_ns = true, .peer_ns_fd = 999);

	EXPECT_REJECTED(q, EBADF, "Peer network namespace not found");
}

TEST_F(wbpair, peer_netns_not_a_netns)
{
	int fd = open("/proc/self/stat", O_RDONLY);
	struct req q = REQ(.name = "wbA", .peer = "wbB", .has_ns = true, .peer_ns_fd = fd);

	ASSERT_LE(0, fd);
	EXPECT_REJECTED(q, EINVAL, "Peer network namespace not found");
	close(fd);
}

TEST_F(wbpair, peer_bad_mtu)
{
	struct req q = REQ(.name = "wbA", .peer = "wbB", .peer_mtu = 10);

	EXPECT_REJECTED(q, EINVAL, "MTU out of range");
}

TEST_F(wbpair, peer_in_other_netns)
{
	struct req q = REQ(.name = "wbA", .peer = "wbB");
	int here, there;
	struct reply r;

	/* make a second netns, keep an fd to it, come back */
	here = open("/proc/self/ns/net", O_RDONLY);
	ASSERT_LE(0, here);
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	there = open("/proc/self/ns/net", O_RDONLY);
	ASSERT_LE(0, there);
	ASSERT_EQ(0, setns(here, CLONE_NEWNET));

	q.has_ns = true;
	q.peer_ns_fd = there;
	newlink(&q, &r);
	ASSERT_EQ(0, r.err) TH_LOG("newlink: %s", r.msg);
	EXPECT_NE(0, (int)if_nametoindex("wbA"));
	EXPECT_EQ(0, (int)if_nametoindex("wbB"));

	ASSERT_EQ(0, setns(there, CLONE_NEWNET));
	EXPECT_NE(0, (int)if_nametoindex("wbB"));
	ASSERT_EQ(0, setns(here, CLONE_NEWNET));

	/* deleting one end deletes the other, across netns */
	dellink("wbA", &r);
	ASSERT_EQ(0, r.err);
	ASSERT_EQ(0, setns(there, CLONE_NEWNET));
	EXPECT_EQ(0, (int)if_nametoindex("wbB"));
	close(here);
	close(there);
}

/*
 * Root in a fresh user namespace owns its new netns, and nothing else: it
 * may create a pair there, but not put the peer into the netns it came from.
 */
TEST_F(wbpair, userns_root_cannot_reach_outer_netns)
{
	struct req q = REQ(.name = "wbA", .peer = "wbB");
	struct reply r;
	int outer, base;

	outer = open("/proc/self/ns/net", O_RDONLY);
	ASSERT_LE(0, outer);
	ASSERT_EQ(0, unshare(CLONE_NEWUSER | CLONE_NEWNET));
	base = count_links();

	q.has_ns = true;
	q.peer_ns_fd = outer;
	newlink(&q, &r);
	EXPECT_EQ(-EPERM, r.err) TH_LOG("msg: %s", r.msg);
	EXPECT_NE(NULL, strstr(r.msg, "No CAP_NET_ADMIN in the peer"))
		TH_LOG("extack '%s'", r.msg);
	EXPECT_EQ(base, count_links());

	q.has_ns = false;
	newlink(&q, &r);
	EXPECT_EQ(0, r.err) TH_LOG("own netns: %s", r.msg);
	EXPECT_NE(0, (int)if_nametoindex("wbB"));
	close(outer);
}

/*
 * Fail the Nth fault-injection point (failslab, fail_page_alloc) of this
 * task during one RTM_NEWLINK, for every N until the request gets through:
 * each failure must be an error, with no device left behind. Needs
 * CONFIG_FAULT_INJECTION (the debug kernel); kmemleak there checks that
 * nothing leaked. (set_fail_nth() and friends: wbfail.h)
 */
#define FAIL_NTH_DENSE	400

static void fail_nth_walk(struct __test_metadata *_metadata, int base,
			  enum wbpair_mode mode)
{
	struct req q = REQ(.name = "wbA", .peer = "wbB", .has_mode = true,
			   .mode = mode);
	char buf[MNL_SOCKET_BUFFER_SIZE];
	int fd, n, left, failed = 0;
	struct reply r;

	fd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (fd < 0)
		SKIP(return, "no /proc/thread-self/fail-nth (CONFIG_FAULT_INJECTION)");

	fi_set(false);
	for (n = 1; n <= FAIL_NTH_LAST; n = fail_nth_next(n, FAIL_NTH_DENSE)) {
		transact_nth(build_newlink(buf, &q), &r, fd, n);
		left = fail_left;
		if (r.err && if_nametoindex("wbA") && if_nametoindex("wbB")) {
			/* only the ack was lost (e.g. -ENOBUFS): it worked */
			TH_LOG("fail-nth %d: pair made, ack lost (%d)", n, r.err);
			r.err = 0;
		}
		if (r.err) {
			failed++;
			/* a failed request leaves nothing behind */
			EXPECT_EQ(base, count_links())
				TH_LOG("fail-nth %d: err %d '%s' left a device",
				       n, r.err, r.msg);
			EXPECT_LT(r.err, 0);
		} else {
			EXPECT_NE(0, (int)if_nametoindex("wbA"));
			EXPECT_NE(0, (int)if_nametoindex("wbB"));
			dellink("wbA", &r);
			EXPECT_EQ(0, r.err);
			EXPECT_EQ(base, count_links());
			/* success without the Nth point firing: walked them all */
			if (left > 0)
				break;
		}
		if (_metadata->passed == 0)
			break;
	}
	close(fd);
	fi_set(true);
	/*
	 * Under the debug kernel a NAPI-mode RTM_NEWLINK passes about 600
	 * injection points (slab and page), many of them optional (a failure
	 * there still creates the pair). Each of the first FAIL_NTH_DENSE,
	 * which include both register_netdevice() calls and the module's
	 * ndo_init allocations, fails in turn; beyond, fail_nth_next()
	 * samples the core's notifiers to the end, keeping the debug run's
	 * time bounded.
	 */
	FAIL_NTH_WALKED(mode == WBPAIR_MODE_NAPI ? "RTM_NEWLINK, NAPI mode" :
			"RTM_NEWLINK, xmit mode",
			n, "%d requests failed cleanly", failed);
}

/* NAPI mode allocates all that xmit mode does, plus the ring and NAPI */
TEST_F_TIMEOUT(wbpair, newlink_alloc_failures, 1800)
{
	fail_nth_walk(_metadata, self->nlinks, WBPAIR_MODE_NAPI);
}

TEST_HARNESS_MAIN
