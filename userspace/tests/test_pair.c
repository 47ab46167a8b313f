// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: "pair" argument parsing, request building and reply
 * parsing, all without a socket.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/wirebox.h>

#include "helpers.h"
#include "nl.h"
#include "pair.h"
#include "print.h"
#include "tap.h"
#include "utils.h"

/* pair_parse_add(), checking what it prints; desc names the case. */
static int add(char **argv, struct pair_add_req *req, const char *want_err)
{
	const char *desc = argv_desc("add", argv);
	int ret;

	err_start();
	ret = pair_parse_add(argv_len(argv), argv, req);
	err_check(desc, want_err);
	return ret;
}

static void test_parse_add_ok(void)
{
	struct pair_add_req r;

	tap_ok(!add(ARGV("a", "peer", "b"), &r, NULL) && streq(r.name, "a") &&
	       streq(r.peer, "b") && !r.netns && !r.has_mode,
	       "add: NAME peer PEER");
	tap_ok(!add(ARGV("name", "a", "peer", "b", "netns", "ns1", "mode",
			 "napi"), &r, NULL) &&
	       streq(r.name, "a") && streq(r.peer, "b") &&
	       streq(r.netns, "ns1") && r.has_mode &&
	       r.mode == WBPAIR_MODE_NAPI,
	       "add: name NAME peer PEER netns NS mode napi");
	tap_ok(!add(ARGV("mode", "xmit", "peer", "b", "a"), &r, NULL) &&
	       streq(r.name, "a") && r.has_mode && r.mode == WBPAIR_MODE_XMIT,
	       "add: keywords in any order");
	tap_ok(!add(ARGV("a"), &r, NULL) && streq(r.name, "a") && !r.peer,
	       "add: peer is optional");
	tap_ok(!add(ARGV("a", "peer", "a", "netns", "ns1"), &r, NULL),
	       "add: same name allowed when the peer goes to another netns");
	tap_ok(!add(ARGV("name", "help"), &r, NULL) && streq(r.name, "help"),
	       "add: \"name help\" names a device help");
}

static void test_parse_add_bad(void)
{
	struct pair_add_req r;

	tap_is_int(add(ARGV("help"), &r, "Usage: wbctl pair add"), 255,
		   "add help: usage, 255");
	tap_is_int(add(NONE, &r, "device NAME is required"),
		   255, "add: NAME missing");
	tap_is_int(add(ARGV("peer", "b"), &r, "device NAME is required"),
		   255, "add: only a peer");
	tap_is_int(add(ARGV("a", "peer"), &r, "Command line is not complete"),
		   255, "add: peer without value");
	tap_is_int(add(ARGV("a", "mode", "bogus"), &r,
		       "Error: argument \"bogus\" is wrong: mode is \"xmit\" or \"napi\"."),
		   255, "add: bad mode");
	tap_is_int(add(ARGV("a", "mode", "xmit", "mode", "napi"), &r,
		       "Error: duplicate \"mode\": \"napi\" is the second value."),
		   255, "add: duplicate mode");
	tap_is_int(add(ARGV("a", "peer", "b", "peer", "c"), &r,
		       "duplicate \"peer\""), 255, "add: duplicate peer");
	tap_is_int(add(ARGV("a", "b"), &r,
		       "Error: either \"name\" is duplicate, or \"b\" is garbage."),
		   255, "add: two names");
	tap_is_int(add(ARGV("name", "a", "name", "b"), &r,
		       "duplicate \"name\": \"b\""), 255, "add: name twice");
	tap_is_int(add(ARGV("1234567890123456", "peer", "b"), &r, "too long"),
		   255, "add: 16-byte name");
	tap_is_int(add(ARGV("a", "peer", "x/y"), &r, "\"x/y\" is wrong"),
		   255, "add: bad peer name");
	tap_is_int(add(ARGV("a", "peer", "a"), &r, "must differ"),
		   255, "add: peer == name in the same netns");
	tap_is_int(add(ARGV("a", "netns", "../x"), &r, "invalid netns name"),
		   255, "add: netns name with /");
}

static int dev(char **argv, const char **name, bool need, const char *want)
{
	const char *desc = argv_desc("dev", argv);
	int ret;

	err_start();
	ret = pair_parse_dev(argv_len(argv), argv, name, need);
	err_check(desc, want);
	return ret;
}

static void test_parse_dev(void)
{
	const char *n;

	tap_ok(!dev(ARGV("dev", "a"), &n, true, NULL) && streq(n, "a"),
	       "dev: dev NAME");
	tap_ok(!dev(ARGV("a"), &n, true, NULL) && streq(n, "a"),
	       "dev: bare NAME");
	tap_ok(!dev(NONE, &n, false, NULL) && !n,
	       "dev: optional NAME absent");
	tap_is_int(dev(NONE, &n, true, "NAME is required"), 255,
		   "dev: required NAME absent");
	tap_is_int(dev(ARGV("dev"), &n, true, "not complete"), 255,
		   "dev: dev without value");
	tap_is_int(dev(ARGV("a", "b"), &n, true, "is garbage"), 255,
		   "dev: two names");
	tap_is_int(dev(ARGV("a", "dev", "b"), &n, true, "duplicate \"dev\""),
		   255, "dev: dev twice");
	tap_is_int(dev(ARGV("help"), &n, false, "Usage:"), 255, "dev: help");
	tap_is_int(dev(ARGV("a b"), &n, true, "white space"), 255,
		   "dev: invalid name");
}

/* The peer nest: a struct ifinfomsg, then the peer's attributes. */
static bool peer_nest(const struct nlattr *p, struct tb *tb)
{
	const struct ifinfomsg *ifm = mnl_attr_get_payload(p);
	size_t len = mnl_attr_get_payload_len(p);

	memset(tb, 0, sizeof(*tb));
	if (len < sizeof(*ifm) || ifm->ifi_family != AF_UNSPEC ||
	    ifm->ifi_index || ifm->ifi_flags || ifm->ifi_change)
		return false;
	tb_payload(tb, (const char *)ifm + sizeof(*ifm), len - sizeof(*ifm));
	return true;
}

static void test_build_add_full(void)
{
	struct pair_add_req r = { "a", "b", "ns1", true, WBPAIR_MODE_NAPI };
	char buf[NL_TX_SIZE];
	struct tb m, li, data, peer;
	struct nlmsghdr *nlh = pair_build_add(buf, &r, 7);
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);

	tap_ok(nlh->nlmsg_type == RTM_NEWLINK &&
	       nlh->nlmsg_flags == (NLM_F_REQUEST | NLM_F_CREATE |
				    NLM_F_EXCL | NLM_F_ACK),
	       "build add: RTM_NEWLINK, REQUEST|CREATE|EXCL|ACK");
	tap_ok(ifm->ifi_family == AF_UNSPEC && !ifm->ifi_index,
	       "build add: blank ifinfomsg");
	tb_msg(&m, nlh, sizeof(struct ifinfomsg));
	tap_ok(attr_str(m.a[IFLA_IFNAME], "a"), "build add: IFLA_IFNAME a");
	tb_nested(&li, m.a[IFLA_LINKINFO]);
	tap_ok(attr_str(li.a[IFLA_INFO_KIND], "wbpair"),
	       "build add: IFLA_INFO_KIND wbpair");
	tb_nested(&data, li.a[IFLA_INFO_DATA]);
	tap_ok(attr_u32(data.a[WBPAIR_INFO_MODE], WBPAIR_MODE_NAPI),
	       "build add: WBPAIR_INFO_MODE napi");
	tap_ok(data.a[WBPAIR_INFO_PEER] &&
	       data.a[WBPAIR_INFO_PEER]->nla_type == WBPAIR_INFO_PEER,
	       "build add: WBPAIR_INFO_PEER, no NLA_F_NESTED (like veth)");
	tap_ok(data.a[WBPAIR_INFO_PEER] &&
	       peer_nest(data.a[WBPAIR_INFO_PEER], &peer),
	       "build add: peer nest starts with a blank ifinfomsg");
	tap_ok(attr_str(peer.a[IFLA_IFNAME], "b") &&
	       attr_u32(peer.a[IFLA_NET_NS_FD], 7),
	       "build add: peer IFLA_IFNAME b, IFLA_NET_NS_FD 7");
	tap_ok(mnl_nlmsg_get_payload_len(nlh) ==
	       sizeof(*ifm) + MNL_ALIGN(mnl_attr_get_len(m.a[IFLA_IFNAME])) +
	       MNL_ALIGN(mnl_attr_get_len(m.a[IFLA_LINKINFO])),
	       "build add: nothing else in the message");
}

static void test_build_add_partial(void)
{
	struct pair_add_req r = { .name = "a" };
	char buf[NL_TX_SIZE];
	struct tb m, li, data, peer;

	tb_msg(&m, pair_build_add(buf, &r, -1), sizeof(struct ifinfomsg));
	tb_nested(&li, m.a[IFLA_LINKINFO]);
	tap_ok(attr_str(li.a[IFLA_INFO_KIND], "wbpair") &&
	       !li.a[IFLA_INFO_DATA],
	       "build add NAME: no IFLA_INFO_DATA at all");

	r.netns = "ns1";
	tb_msg(&m, pair_build_add(buf, &r, 5), sizeof(struct ifinfomsg));
	tb_nested(&li, m.a[IFLA_LINKINFO]);
	tb_nested(&data, li.a[IFLA_INFO_DATA]);
	tap_ok(data.a[WBPAIR_INFO_PEER] && !data.a[WBPAIR_INFO_MODE] &&
	       peer_nest(data.a[WBPAIR_INFO_PEER], &peer) &&
	       !peer.a[IFLA_IFNAME] && attr_u32(peer.a[IFLA_NET_NS_FD], 5),
	       "build add NAME netns NS: peer nest with only the netns fd");

	r.netns = NULL;
	r.has_mode = true;
	r.mode = WBPAIR_MODE_XMIT;
	tb_msg(&m, pair_build_add(buf, &r, -1), sizeof(struct ifinfomsg));
	tb_nested(&li, m.a[IFLA_LINKINFO]);
	tb_nested(&data, li.a[IFLA_INFO_DATA]);
	tap_ok(!data.a[WBPAIR_INFO_PEER] &&
	       attr_u32(data.a[WBPAIR_INFO_MODE], WBPAIR_MODE_XMIT),
	       "build add NAME mode xmit: mode, no peer nest");

	r.peer = "b";
	r.has_mode = false;
	tb_msg(&m, pair_build_add(buf, &r, 9), sizeof(struct ifinfomsg));
	tb_nested(&li, m.a[IFLA_LINKINFO]);
	tb_nested(&data, li.a[IFLA_INFO_DATA]);
	tap_ok(data.a[WBPAIR_INFO_PEER] &&
	       peer_nest(data.a[WBPAIR_INFO_PEER], &peer) &&
	       attr_str(peer.a[IFLA_IFNAME], "b") && !peer.a[IFLA_NET_NS_FD],
	       "build add NAME peer PEER: no netns fd without netns");
}

static void test_build_other(void)
{
	char buf[NL_TX_SIZE];
	struct nlmsghdr *nlh;
	struct tb m, li;

	nlh = pair_build_del(buf, "a", 12);
	tb_msg(&m, nlh, sizeof(struct ifinfomsg));
	tap_ok(nlh->nlmsg_type == RTM_DELLINK &&
	       nlh->nlmsg_flags == (NLM_F_REQUEST | NLM_F_ACK) &&
	       ((struct ifinfomsg *)mnl_nlmsg_get_payload(nlh))->ifi_index ==
	       12 && attr_str(m.a[IFLA_IFNAME], "a"),
	       "build del: RTM_DELLINK ifindex 12 IFLA_IFNAME a, ACK");

	nlh = pair_build_get(buf, "a", 0);
	tb_msg(&m, nlh, sizeof(struct ifinfomsg));
	tap_ok(nlh->nlmsg_type == RTM_GETLINK &&
	       nlh->nlmsg_flags == (NLM_F_REQUEST | NLM_F_ACK) &&
	       attr_str(m.a[IFLA_IFNAME], "a"),
	       "build get by name");

	nlh = pair_build_get(buf, NULL, 5);
	tb_msg(&m, nlh, sizeof(struct ifinfomsg));
	tap_ok(((struct ifinfomsg *)mnl_nlmsg_get_payload(nlh))->ifi_index ==
	       5 && !m.a[IFLA_IFNAME], "build get by ifindex");

	nlh = pair_build_dump(buf);
	tb_msg(&m, nlh, sizeof(struct ifinfomsg));
	tb_nested(&li, m.a[IFLA_LINKINFO]);
	tap_ok(nlh->nlmsg_flags == (NLM_F_REQUEST | NLM_F_DUMP) &&
	       attr_str(li.a[IFLA_INFO_KIND], "wbpair"),
	       "build dump: NLM_F_DUMP with a kind filter");
}

/* A kernel-like RTM_NEWLINK reply. */
static struct nlmsghdr *fake_link(void *buf, const char *name, int index,
				  const char *kind, int netnsid)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifm;
	struct nlattr *li, *data;

	nlh->nlmsg_type = RTM_NEWLINK;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_index = index;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put_u32(nlh, IFLA_MTU, 9000);
	mnl_attr_put_u8(nlh, IFLA_OPERSTATE, IF_OPER_UP);
	mnl_attr_put_u8(nlh, IFLA_CARRIER, 1);
	mnl_attr_put_u32(nlh, IFLA_LINK, 8);
	if (netnsid >= 0)
		mnl_attr_put_u32(nlh, IFLA_LINK_NETNSID, netnsid);
	li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, kind);
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	mnl_attr_put_u32(nlh, WBPAIR_INFO_MODE, WBPAIR_MODE_NAPI);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, li);
	return nlh;
}

static const char *print_link(const struct pair_link *l, bool json)
{
	out_start(json);
	pair_print_link(l);
	return out_end();
}

static void test_link(void)
{
	char buf[NL_TX_SIZE];
	struct pair_link l;
	struct nlmsghdr *nlh;

	tap_ok(!pair_parse_link(fake_link(buf, "wb0", 7, "wbpair", -1), &l) &&
	       l.is_wbpair && !strcmp(l.ifname, "wb0") && l.ifindex == 7 &&
	       l.has_peer && l.peer_ifindex == 8 && !l.has_netnsid &&
	       l.has_mode && l.mode == WBPAIR_MODE_NAPI && l.mtu == 9000 &&
	       l.carrier && l.operstate == IF_OPER_UP,
	       "parse link: all fields");
	tap_is_str(print_link(&l, false),
		   "wb0: peer 8 mode napi state UP carrier on mtu 9000\n",
		   "print link: text, unresolved peer");
	strcpy(l.peer_ifname, "wb1");
	tap_is_str(print_link(&l, false),
		   "wb0: peer wb1 mode napi state UP carrier on mtu 9000\n",
		   "print link: text, resolved peer");
	tap_is_str(print_link(&l, true),
		   "{\"ifname\":\"wb0\",\"ifindex\":7,\"peer_ifindex\":8,"
		   "\"peer_ifname\":\"wb1\",\"mode\":\"napi\","
		   "\"operstate\":\"UP\",\"carrier\":true,\"mtu\":9000}\n",
		   "print link: JSON");

	tap_ok(!pair_parse_link(fake_link(buf, "wb0", 7, "wbpair", 3), &l) &&
	       l.has_netnsid && l.netnsid == 3, "parse link: link-netnsid");
	tap_is_str(print_link(&l, false),
		   "wb0: peer 8 link-netnsid 3 mode napi state UP carrier on mtu 9000\n",
		   "print link: text with link-netnsid");
	tap_has_str(print_link(&l, true), "\"link_netnsid\":3,",
		    "print link: JSON link_netnsid");

	tap_ok(!pair_parse_link(fake_link(buf, "v0", 7, "veth", -1), &l) &&
	       !l.is_wbpair && !l.has_mode, "parse link: other kind");

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg));
	tap_ok(pair_parse_link(nlh, &l) < 0, "parse link: no IFLA_IFNAME");
	nlh->nlmsg_type = RTM_NEWADDR;
	tap_ok(pair_parse_link(nlh, &l) < 0, "parse link: not RTM_NEWLINK");
}

static void test_finish(void)
{
	struct pair_link v[3] = {
		{ .ifname = "wb1", .ifindex = 9, .has_peer = true,
		  .peer_ifindex = 8 },
		{ .ifname = "far", .ifindex = 12, .has_peer = true,
		  .peer_ifindex = 8, .has_netnsid = true, .netnsid = 0 },
		{ .ifname = "wb0", .ifindex = 8, .has_peer = true,
		  .peer_ifindex = 9 },
	};

	pair_links_finish(v, 3);
	tap_ok(v[0].ifindex == 8 && v[1].ifindex == 9 && v[2].ifindex == 12,
	       "finish: sorted by ifindex");
	tap_is_str(v[0].peer_ifname, "wb1", "finish: wb0's peer is wb1");
	tap_is_str(v[1].peer_ifname, "wb0", "finish: wb1's peer is wb0");
	tap_is_str(v[2].peer_ifname, "",
		   "finish: peer in another netns is not named");
}

void test_pair(void)
{
	tap_case("pair: parse_add_ok");
	test_parse_add_ok();
	tap_case("pair: parse_add_bad");
	test_parse_add_bad();
	tap_case("pair: parse_dev");
	test_parse_dev();
	tap_case("pair: build_add_full");
	test_build_add_full();
	tap_case("pair: build_add_partial");
	test_build_add_partial();
	tap_case("pair: build_other");
	test_build_other();
	tap_case("pair: link");
	test_link();
	tap_case("pair: finish");
	test_finish();
	helpers_free();
}
