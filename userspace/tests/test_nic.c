// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: "nic" argument parsing, percentages, request building and
 * GET reply parsing and printing, all without a socket.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/wirebox.h>

#include "helpers.h"
#include "nic.h"
#include "nl.h"
#include "print.h"
#include "tap.h"
#include "utils.h"

#define FAMILY		0x1d

enum { ADD, CABLE, SET };

/*
 * Run one parser on argv; check that it prints want_err (a substring) or
 * nothing.  Returns the parser's result.
 */
static int parse(int which, char **argv, void *req, const char *want_err)
{
	static const char * const names[] = { "add", "cable", "set" };
	const char *desc = argv_desc(names[which], argv);
	int ret;

	err_start();
	if (which == ADD)
		ret = nic_parse_add(argv_len(argv), argv, req);
	else if (which == CABLE)
		ret = nic_parse_cable(argv_len(argv), argv, req);
	else
		ret = nic_parse_set(argv_len(argv), argv, req);
	err_check(desc, want_err);
	return ret;
}

static void test_parse_add(void)
{
	struct nic_add_req r;

	tap_ok(!parse(ADD, ARGV("a"), &r, NULL) && streq(r.name, "a") &&
	       !r.has_rx_ring && !r.has_tx_ring && !r.has_queues,
	       "add NAME: nothing else");
	tap_ok(!parse(ADD, ARGV("rx-ring", "64", "name", "a", "tx-ring",
				"4096", "queues", "8"), &r, NULL) &&
	       streq(r.name, "a") && r.has_rx_ring && r.rx_ring == 64 &&
	       r.has_tx_ring && r.tx_ring == 4096 && r.has_queues &&
	       r.queues == 8, "add: all keywords, limits accepted");
	tap_ok(!parse(ADD, ARGV("a", "rx-ring", "0x100", "queues", "1"), &r,
			NULL) && r.rx_ring == 256 && r.queues == 1,
	       "add: hex ring size, one queue");

	tap_is_int(parse(ADD, ARGV("help"), &r, "Usage: wbctl nic add"), 255,
		   "add help");
	tap_is_int(parse(ADD, NONE, &r, "device NAME is required"), 255,
		   "add: no NAME");
	tap_is_int(parse(ADD, ARGV("a", "rx-ring", "100"), &r,
			 "Error: argument \"100\" is wrong: rx-ring is a power of two from 64 to 4096."),
		   255, "add: ring not a power of two");
	tap_is_int(parse(ADD, ARGV("a", "tx-ring", "32"), &r,
			 "tx-ring is a power of two"), 255,
		   "add: ring below the minimum");
	tap_is_int(parse(ADD, ARGV("a", "tx-ring", "8192"), &r,
			 "tx-ring is a power of two"), 255,
		   "add: ring above the maximum");
	tap_is_int(parse(ADD, ARGV("a", "rx-ring", "256k"), &r,
			 "\"256k\" is wrong"), 255, "add: ring garbage");
	tap_is_int(parse(ADD, ARGV("a", "queues", "0"), &r,
			 "Error: argument \"0\" is wrong: queues is from 1 to 8."),
		   255, "add: zero queues");
	tap_is_int(parse(ADD, ARGV("a", "queues", "9"), &r,
			 "queues is from 1 to 8"), 255, "add: too many queues");
	tap_is_int(parse(ADD, ARGV("a", "queues", "-1"), &r,
			 "queues is from 1 to 8"), 255, "add: negative queues");
	tap_is_int(parse(ADD, ARGV("a", "queues", "2", "queues", "4"), &r,
			 "duplicate \"queues\": \"4\""), 255,
		   "add: duplicate queues");
	tap_is_int(parse(ADD, ARGV("a", "rx-ring"), &r, "not complete"), 255,
		   "add: rx-ring without value");
	tap_is_int(parse(ADD, ARGV("a", "b"), &r, "\"b\" is garbage"), 255,
		   "add: two names");
	tap_is_int(parse(ADD, ARGV("a/b"), &r, "cannot contain"), 255,
		   "add: invalid name");
}

static int dev(char **argv, const char **name, bool need, const char *want)
{
	const char *desc = argv_desc("dev", argv);
	int ret;

	err_start();
	ret = nic_parse_dev(argv_len(argv), argv, name, need);
	err_check(desc, want);
	return ret;
}

static void test_parse_dev(void)
{
	const char *n;

	tap_ok(!dev(ARGV("dev", "a"), &n, true, NULL) && streq(n, "a"),
	       "dev: dev NAME");
	tap_ok(!dev(NONE, &n, false, NULL) && !n, "dev: optional, absent");
	tap_is_int(dev(NONE, &n, true, "NAME is required"), 255,
		   "dev: required, absent");
	tap_is_int(dev(ARGV("help"), &n, true, "Usage: wbctl nic"), 255,
		   "dev: help");
	tap_is_int(dev(ARGV("a", "b"), &n, true, "garbage"), 255,
		   "dev: two names");
}

static void test_parse_cable(void)
{
	struct nic_cable_req r;

	tap_ok(!parse(CABLE, ARGV("a", "b"), &r, NULL) &&
	       streq(r.name, "a") && streq(r.peer, "b") && !r.netns,
	       "cable NAME PEER");
	tap_ok(!parse(CABLE, ARGV("a", "b", "netns", "blue"), &r, NULL) &&
	       streq(r.name, "a") && streq(r.peer, "b") &&
	       streq(r.netns, "blue"), "cable NAME PEER netns NETNS");
	tap_ok(!parse(CABLE, ARGV("netns", "blue", "peer", "a", "dev", "a"),
		      &r, NULL) && streq(r.name, "a") && streq(r.peer, "a") &&
	       streq(r.netns, "blue"),
	       "cable: keywords in any order, same name in another netns");
	tap_ok(!parse(CABLE, ARGV("peer", "help", "a"), &r, NULL) &&
	       streq(r.name, "a") && streq(r.peer, "help"),
	       "cable: \"peer help\" names a device help");

	tap_is_int(parse(CABLE, ARGV("a"), &r,
			 "Error: PEER is required, try \"wbctl nic help\"."),
		   255, "cable: no PEER");
	tap_is_int(parse(CABLE, NONE, &r, "device NAME is required"), 255,
		   "cable: nothing");
	tap_is_int(parse(CABLE, ARGV("a", "b", "c"), &r,
			 "\"c\" is garbage"), 255, "cable: three names");
	tap_is_int(parse(CABLE, ARGV("a", "b", "netns"), &r, "not complete"),
		   255, "cable: netns without value");
	tap_is_int(parse(CABLE, ARGV("a", "b", "netns", "x/y"), &r,
			 "invalid netns name"), 255, "cable: bad netns");
	tap_is_int(parse(CABLE, ARGV("a", "b", "netns", "x", "netns", "y"),
			 &r, "duplicate \"netns\""), 255,
		   "cable: netns twice");
	tap_is_int(parse(CABLE, ARGV("a", "b c"), &r, "white space"), 255,
		   "cable: bad peer name");
	tap_is_int(parse(CABLE, ARGV("a", "help"), &r, "Usage:"), 255,
		   "cable: help");
}

static void test_parse_set_ok(void)
{
	struct nic_set_req r;

	tap_ok(!parse(SET, ARGV("a", "loss", "10"), &r, NULL) &&
	       streq(r.name, "a") && r.has_loss && r.loss == 100000 &&
	       !r.has_corrupt && !r.has_loopback && !r.has_flap,
	       "set: loss 10 is 100000 ppm");
	tap_ok(!parse(SET, ARGV("dev", "a", "corrupt", "0.5%", "loopback",
				"on"), &r, NULL) &&
	       r.has_corrupt && r.corrupt == 5000 && r.has_loopback &&
	       r.loopback, "set: corrupt 0.5%%, loopback on");
	tap_ok(!parse(SET, ARGV("a", "loopback", "off"), &r, NULL) &&
	       r.has_loopback && !r.loopback, "set: loopback off");
	tap_ok(!parse(SET, ARGV("a", "flap"), &r, NULL) && r.has_flap &&
	       r.flap_ms == 1000, "set: flap alone is 1000 ms");
	tap_ok(!parse(SET, ARGV("flap", "a"), &r, NULL) && r.has_flap &&
	       r.flap_ms == 1000 && streq(r.name, "a"),
	       "set: flap then NAME");
	tap_ok(!parse(SET, ARGV("flap", "250", "a", "loss", "0"), &r, NULL) &&
	       r.flap_ms == 250 && streq(r.name, "a") && r.has_loss &&
	       r.loss == 0, "set: flap 250, loss 0");
	tap_ok(!parse(SET, ARGV("a", "flap", "60000"), &r, NULL) &&
	       r.flap_ms == 60000, "set: longest flap");
}

static void test_parse_set_bad(void)
{
	struct nic_set_req r;

	tap_is_int(parse(SET, ARGV("a"), &r,
			 "Error: one of loss, corrupt, loopback or flap is required"),
		   255, "set: nothing to set");
	tap_is_int(parse(SET, ARGV("loss", "1"), &r, "device NAME is required"),
		   255, "set: no NAME");
	tap_is_int(parse(SET, ARGV("a", "loss", "-1"), &r,
			 "Error: argument \"-1\" is wrong: loss is from 0 to 100%."),
		   255, "set: negative loss");
	tap_is_int(parse(SET, ARGV("a", "loss", "100.0001"), &r,
			 "loss is from 0 to 100%"), 255, "set: loss > 100");
	tap_is_int(parse(SET, ARGV("a", "corrupt", "0.00001"), &r,
			 "corrupt has at most 4 decimals"), 255,
		   "set: 5 decimals");
	tap_is_int(parse(SET, ARGV("a", "loss", "ten"), &r,
			 "loss is a percentage like 10, 10%, 0.5% or 0.0001"),
		   255, "set: loss garbage");
	tap_is_int(parse(SET, ARGV("a", "loopback", "yes"), &r,
			 "loopback is \"on\" or \"off\""), 255,
		   "set: loopback yes");
	tap_is_int(parse(SET, ARGV("a", "flap", "0"), &r,
			 "Error: argument \"0\" is wrong: flap is from 1 to 60000 ms."),
		   255, "set: flap 0");
	tap_is_int(parse(SET, ARGV("a", "flap", "60001"), &r,
			 "flap is from 1 to 60000 ms"), 255,
		   "set: flap too long");
	tap_is_int(parse(SET, ARGV("a", "flap", "5s"), &r,
			 "flap is from 1 to 60000 ms"), 255,
		   "set: flap with a unit");
	tap_is_int(parse(SET, ARGV("a", "flap", "flap"), &r,
			 "duplicate \"flap\""), 255, "set: flap twice");
	tap_is_int(parse(SET, ARGV("a", "loss", "1", "loss", "2"), &r,
			 "duplicate \"loss\": \"2\""), 255, "set: loss twice");
	tap_is_int(parse(SET, ARGV("a", "loss"), &r, "not complete"), 255,
		   "set: loss without value");
	tap_is_int(parse(SET, ARGV("a", "b", "flap"), &r, "\"b\" is garbage"),
		   255, "set: two names");
	tap_is_int(parse(SET, ARGV("a", "help"), &r, "Usage:"), 255,
		   "set: help");
}

static void test_ppm(void)
{
	static const struct {
		const char *str;
		int ret;
		uint32_t ppm;
	} cases[] = {
		{ "0", 0, 0 },		{ "0%", 0, 0 },
		{ "10", 0, 100000 },	{ "10%", 0, 100000 },
		{ "0.5%", 0, 5000 },	{ "0.0001", 0, 1 },
		{ "100", 0, 1000000 },	{ "100%", 0, 1000000 },
		{ "100.0000", 0, 1000000 }, { "99.9999", 0, 999999 },
		{ "0.00010", 0, 1 },	{ "007", 0, 70000 },
		{ "12.34", 0, 123400 },	{ "0.5000000", 0, 5000 },
		{ "100.0001", -ERANGE, 0 }, { "101", -ERANGE, 0 },
		{ "99999999999", -ERANGE, 0 },
		{ "0.00001", -EDOM, 0 },	{ "1.23456", -EDOM, 0 },
		{ "", -EINVAL, 0 },	{ "%", -EINVAL, 0 },
		{ "-1", -EINVAL, 0 },	{ "+1", -EINVAL, 0 },
		{ ".5", -EINVAL, 0 },	{ "5.", -EINVAL, 0 },
		{ "5.%", -EINVAL, 0 },	{ "1e2", -EINVAL, 0 },
		{ "10%%", -EINVAL, 0 },	{ "10 ", -EINVAL, 0 },
		{ " 10", -EINVAL, 0 },	{ "1,5", -EINVAL, 0 },
		{ "0x10", -EINVAL, 0 },	{ "ten", -EINVAL, 0 },
	};
	static const struct {
		uint32_t ppm;
		const char *str;
	} fmt[] = {
		{ 0, "0%" }, { 1, "0.0001%" }, { 50, "0.005%" },
		{ 5000, "0.5%" }, { 100000, "10%" }, { 123400, "12.34%" },
		{ 999999, "99.9999%" }, { 1000000, "100%" },
	};
	char buf[32];
	uint32_t ppm;
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		ppm = 0xdead;
		ret = wb_parse_ppm(cases[i].str, &ppm);
		tap_ok(ret == cases[i].ret &&
		       ppm == (ret ? 0xdead : cases[i].ppm),
		       "ppm: \"%s\" -> %d, %u", cases[i].str, ret, ppm);
	}
	for (i = 0; i < ARRAY_SIZE(fmt); i++) {
		wb_format_ppm(buf, sizeof(buf), fmt[i].ppm);
		tap_is_str(buf, fmt[i].str, "ppm: %u formats as %s",
			   fmt[i].ppm, fmt[i].str);
		tap_ok(!wb_parse_ppm(buf, &ppm) && ppm == fmt[i].ppm,
		       "ppm: %s parses back", buf);
	}
}

static void test_build_link(void)
{
	struct nic_add_req r = { "wbn0", true, true, true, 512, 1024, 4 };
	struct tb m, li, data;
	char buf[NL_TX_SIZE];
	struct nlmsghdr *nlh;
	const struct ifinfomsg *ifm;

	nlh = nic_build_add(buf, &r);
	ifm = mnl_nlmsg_get_payload(nlh);
	tap_ok(nlh->nlmsg_type == RTM_NEWLINK &&
	       nlh->nlmsg_flags == (NLM_F_REQUEST | NLM_F_CREATE |
				    NLM_F_EXCL | NLM_F_ACK) &&
	       ifm->ifi_family == AF_UNSPEC && !ifm->ifi_index,
	       "build add: RTM_NEWLINK, CREATE|EXCL|ACK, blank ifinfomsg");
	tb_msg(&m, nlh, sizeof(*ifm));
	tb_nested(&li, m.a[IFLA_LINKINFO]);
	tb_nested(&data, li.a[IFLA_INFO_DATA]);
	tap_ok(m.count == 2 && attr_str(m.a[IFLA_IFNAME], "wbn0") &&
	       attr_str(li.a[IFLA_INFO_KIND], "wbnic"),
	       "build add: IFLA_IFNAME, IFLA_LINKINFO kind wbnic");
	tap_ok(data.count == 3 && attr_u32(data.a[WBNIC_INFO_RX_RING], 512) &&
	       attr_u32(data.a[WBNIC_INFO_TX_RING], 1024) &&
	       attr_u32(data.a[WBNIC_INFO_QUEUES], 4),
	       "build add: RX_RING 512, TX_RING 1024, QUEUES 4");

	r.has_rx_ring = r.has_queues = false;
	tb_msg(&m, nic_build_add(buf, &r), sizeof(*ifm));
	tb_nested(&li, m.a[IFLA_LINKINFO]);
	tb_nested(&data, li.a[IFLA_INFO_DATA]);
	tap_ok(data.count == 1 && attr_u32(data.a[WBNIC_INFO_TX_RING], 1024),
	       "build add: only the given settings");

	r.has_tx_ring = false;
	tb_msg(&m, nic_build_add(buf, &r), sizeof(*ifm));
	tb_nested(&li, m.a[IFLA_LINKINFO]);
	tap_ok(li.count == 1 && !li.a[IFLA_INFO_DATA],
	       "build add NAME: no IFLA_INFO_DATA");

	nlh = nic_build_getlink(buf, "wbn0");
	tb_msg(&m, nlh, sizeof(*ifm));
	tap_ok(nlh->nlmsg_type == RTM_GETLINK &&
	       nlh->nlmsg_flags == (NLM_F_REQUEST | NLM_F_ACK) &&
	       attr_str(m.a[IFLA_IFNAME], "wbn0"), "build getlink by name");

	nlh = nic_build_del(buf, "wbn0", 12);
	ifm = mnl_nlmsg_get_payload(nlh);
	tb_msg(&m, nlh, sizeof(*ifm));
	tap_ok(nlh->nlmsg_type == RTM_DELLINK &&
	       nlh->nlmsg_flags == (NLM_F_REQUEST | NLM_F_ACK) &&
	       ifm->ifi_index == 12 && attr_str(m.a[IFLA_IFNAME], "wbn0"),
	       "build del: RTM_DELLINK ifindex 12 and name");
}

static void test_build_genl(void)
{
	struct nic_set_req s = { "wbn0", true, true, true, true,
				 5000, 1, true, 250 };
	char buf[NL_TX_SIZE];
	struct nlmsghdr *nlh;
	struct tb m;

	nlh = nic_build_get(buf, FAMILY, 0);
	tb_msg(&m, nlh, GENL_HDRLEN);
	tap_ok(genl_is(nlh, FAMILY, WBNIC_CMD_GET, WBNIC_GENL_VERSION, NLM_F_DUMP) && !m.count,
	       "build get: dump without attributes");
	nlh = nic_build_get(buf, FAMILY, 7);
	tb_msg(&m, nlh, GENL_HDRLEN);
	tap_ok(genl_is(nlh, FAMILY, WBNIC_CMD_GET, WBNIC_GENL_VERSION, NLM_F_ACK) && m.count == 1 &&
	       attr_u32(m.a[WBNIC_A_IFINDEX], 7), "build get: ifindex 7, ACK");

	nlh = nic_build_cable(buf, FAMILY, 7, 9, -1);
	tb_msg(&m, nlh, GENL_HDRLEN);
	tap_ok(genl_is(nlh, FAMILY, WBNIC_CMD_CABLE, WBNIC_GENL_VERSION, NLM_F_ACK) && m.count == 2 &&
	       attr_u32(m.a[WBNIC_A_IFINDEX], 7) &&
	       attr_u32(m.a[WBNIC_A_PEER_IFINDEX], 9),
	       "build cable: ifindex, peer ifindex, no netns fd");
	tb_msg(&m, nic_build_cable(buf, FAMILY, 7, 3, 0), GENL_HDRLEN);
	tap_ok(m.count == 3 && attr_u32(m.a[WBNIC_A_PEER_IFINDEX], 3) &&
	       attr_u32(m.a[WBNIC_A_PEER_NETNS_FD], 0),
	       "build cable: netns fd 0 is a valid fd");

	nlh = nic_build_uncable(buf, FAMILY, 7);
	tb_msg(&m, nlh, GENL_HDRLEN);
	tap_ok(genl_is(nlh, FAMILY, WBNIC_CMD_UNCABLE, WBNIC_GENL_VERSION, NLM_F_ACK) && m.count == 1 &&
	       attr_u32(m.a[WBNIC_A_IFINDEX], 7), "build uncable");

	nlh = nic_build_set(buf, FAMILY, 7, &s);
	tb_msg(&m, nlh, GENL_HDRLEN);
	tap_ok(genl_is(nlh, FAMILY, WBNIC_CMD_SET, WBNIC_GENL_VERSION, NLM_F_ACK) && m.count == 5 &&
	       attr_u32(m.a[WBNIC_A_IFINDEX], 7) &&
	       attr_u32(m.a[WBNIC_A_LOSS], 5000) &&
	       attr_u32(m.a[WBNIC_A_CORRUPT], 1) &&
	       attr_u8(m.a[WBNIC_A_LOOPBACK], 1) &&
	       attr_u32(m.a[WBNIC_A_FLAP_MS], 250),
	       "build set: all settings");
	s.has_loss = s.has_corrupt = s.has_flap = false;
	s.loopback = false;
	tb_msg(&m, nic_build_set(buf, FAMILY, 7, &s), GENL_HDRLEN);
	tap_ok(m.count == 2 && attr_u8(m.a[WBNIC_A_LOOPBACK], 0),
	       "build set: loopback off only");
}

/* A kernel-like GET reply; queues is the number of queue nests. */
static struct nlmsghdr *fake_nic(void *buf, uint32_t ifindex,
				 const char *name, const char *peer,
				 int netnsid, int queues)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	struct nlattr *qs, *q;
	int i;

	memset(buf, 0, NL_TX_SIZE);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = FAMILY;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = WBNIC_CMD_GET;
	g->version = WBNIC_GENL_VERSION;
	mnl_attr_put_u32(nlh, WBNIC_A_IFINDEX, ifindex);
	mnl_attr_put_strz(nlh, WBNIC_A_IFNAME, name);
	if (peer) {
		mnl_attr_put_u32(nlh, WBNIC_A_PEER_IFINDEX, ifindex + 1);
		mnl_attr_put_strz(nlh, WBNIC_A_PEER_IFNAME, peer);
	}
	if (netnsid >= 0)
		mnl_attr_put_u32(nlh, WBNIC_A_PEER_NETNSID, netnsid);
	mnl_attr_put_u8(nlh, WBNIC_A_LOOPBACK, 0);
	mnl_attr_put_u32(nlh, WBNIC_A_LOSS, 5000);
	mnl_attr_put_u32(nlh, WBNIC_A_CORRUPT, 0);
	mnl_attr_put_u8(nlh, WBNIC_A_CARRIER, 1);
	mnl_attr_put_u8(nlh, WBNIC_A_UP, queues > 0);
	mnl_attr_put_u64(nlh, WBNIC_A_WIRE_TX, 120);
	mnl_attr_put_u64(nlh, WBNIC_A_WIRE_LOST, 3);
	mnl_attr_put_u64(nlh, WBNIC_A_WIRE_CORRUPTED, 0);
	mnl_attr_put_u64(nlh, WBNIC_A_WIRE_NO_LINK, 1ULL << 40);
	if (queues < 0)
		return nlh;
	qs = mnl_attr_nest_start(nlh, WBNIC_A_QUEUES);
	for (i = 0; i < queues; i++) {
		q = mnl_attr_nest_start(nlh, WBNIC_A_QUEUE);
		mnl_attr_put_u32(nlh, WBNIC_Q_INDEX, i);
		mnl_attr_put_u32(nlh, WBNIC_Q_TX_SIZE, 256);
		mnl_attr_put_u32(nlh, WBNIC_Q_TX_HEAD, 12);
		mnl_attr_put_u32(nlh, WBNIC_Q_TX_TAIL, 12);
		mnl_attr_put_u32(nlh, WBNIC_Q_TX_CLEAN, 12);
		mnl_attr_put_u32(nlh, WBNIC_Q_TX_INFLIGHT, 0);
		mnl_attr_put_u8(nlh, WBNIC_Q_TX_STOPPED, i);
		mnl_attr_put_u32(nlh, WBNIC_Q_RX_SIZE, 256);
		mnl_attr_put_u32(nlh, WBNIC_Q_RX_HEAD, 40);
		mnl_attr_put_u32(nlh, WBNIC_Q_RX_TAIL, 39);
		mnl_attr_put_u32(nlh, WBNIC_Q_RX_CLEAN, 40);
		mnl_attr_put_u32(nlh, WBNIC_Q_RX_POSTED, 255);
		mnl_attr_put_u64(nlh, WBNIC_Q_RX_MISSED, 0);
		mnl_attr_put_u8(nlh, WBNIC_Q_IRQ_MASKED, i);
		mnl_attr_put_u32(nlh, WBNIC_Q_IRQ_CAUSE,
				 i ? WBNIC_ICR_RXDW | WBNIC_ICR_LSC : 0);
		mnl_attr_put_u8(nlh, WBNIC_Q_IRQ_TIMER, i);
		mnl_attr_put_u32(nlh, WBNIC_Q_IRQ_PENDING, 2 * i);
		mnl_attr_put_u64(nlh, WBNIC_Q_IRQS, 17 + i);
		mnl_attr_nest_end(nlh, q);
	}
	mnl_attr_nest_end(nlh, qs);
	return nlh;
}

static const char *print_info(const struct nic_info *n, bool json)
{
	out_start(json);
	nic_print_info(n);
	return out_end();
}

static void test_reply_full(void)
{
	char buf[NL_TX_SIZE];
	struct nic_info n;

	tap_is_int(nic_parse_info(fake_nic(buf, 3, "wbn0", "wbn1", -1, 2),
				  FAMILY, &n), 0, "reply: parses");
	tap_ok(!strcmp(n.ifname, "wbn0") && n.v[WBNIC_A_IFINDEX] == 3 &&
	       !strcmp(n.peer_ifname, "wbn1") && n.n_queues == 2 &&
	       n.queues[1].v[WBNIC_Q_IRQS] == 18 &&
	       n.v[WBNIC_A_WIRE_NO_LINK] == 1ULL << 40 &&
	       !NIC_HAS(&n, WBNIC_A_PEER_NETNSID),
	       "reply: fields, u64 kept whole");
	tap_is_str(print_info(&n, false),
		   "3: wbn0: carrier on up peer wbn1 loopback off loss 0.5% corrupt 0%\n"
		   "    wire tx 120 lost 3 corrupted 0 no-link 1099511627776\n"
		   "    queue 0: tx ring 256 head 12 tail 12 clean 12 inflight 0 stopped no\n"
		   "             rx ring 256 head 40 tail 39 clean 40 posted 255 missed 0\n"
		   "             irq masked no cause 0x0 timer off pending 0 irqs 17\n"
		   "    queue 1: tx ring 256 head 12 tail 12 clean 12 inflight 0 stopped yes\n"
		   "             rx ring 256 head 40 tail 39 clean 40 posted 255 missed 0\n"
		   "             irq masked yes cause 0x5 timer on pending 2 irqs 18\n",
		   "reply: text");
	tap_is_str(print_info(&n, true),
		   "{\"ifindex\":3,\"ifname\":\"wbn0\",\"carrier\":true,"
		   "\"up\":true,\"peer\":\"wbn1\",\"peer_ifindex\":4,"
		   "\"loopback\":false,\"loss_ppm\":5000,\"corrupt_ppm\":0,"
		   "\"wire\":{\"tx\":120,\"lost\":3,\"corrupted\":0,"
		   "\"no_link\":1099511627776},"
		   "\"queues\":[{\"index\":0,"
		   "\"tx\":{\"size\":256,\"head\":12,\"tail\":12,\"clean\":12,"
		   "\"inflight\":0,\"stopped\":false},"
		   "\"rx\":{\"size\":256,\"head\":40,\"tail\":39,\"clean\":40,"
		   "\"posted\":255,\"missed\":0},"
		   "\"irq\":{\"masked\":false,\"cause\":0,\"timer\":false,"
		   "\"pending\":0,\"irqs\":17}},"
		   "{\"index\":1,"
		   "\"tx\":{\"size\":256,\"head\":12,\"tail\":12,\"clean\":12,"
		   "\"inflight\":0,\"stopped\":true},"
		   "\"rx\":{\"size\":256,\"head\":40,\"tail\":39,\"clean\":40,"
		   "\"posted\":255,\"missed\":0},"
		   "\"irq\":{\"masked\":true,\"cause\":5,\"timer\":true,"
		   "\"pending\":2,\"irqs\":18}}]}\n",
		   "reply: JSON");
	nic_info_free(&n);
}

static void test_reply_partial(void)
{
	char buf[NL_TX_SIZE];
	struct nic_info n;

	/* Down, uncabled: no queue state at all. */
	tap_is_int(nic_parse_info(fake_nic(buf, 5, "wbn2", NULL, -1, -1),
				  FAMILY, &n), 0, "reply down: parses");
	tap_ok(!NIC_HAS(&n, WBNIC_A_QUEUES) && !n.n_queues && !n.queues,
	       "reply down: no queues");
	tap_is_str(print_info(&n, false),
		   "5: wbn2: carrier on down peer none loopback off loss 0.5% corrupt 0%\n"
		   "    wire tx 120 lost 3 corrupted 0 no-link 1099511627776\n",
		   "reply down: text, no queue lines");
	tap_is_str(print_info(&n, true),
		   "{\"ifindex\":5,\"ifname\":\"wbn2\",\"carrier\":true,"
		   "\"up\":false,\"peer\":null,\"loopback\":false,"
		   "\"loss_ppm\":5000,\"corrupt_ppm\":0,"
		   "\"wire\":{\"tx\":120,\"lost\":3,\"corrupted\":0,"
		   "\"no_link\":1099511627776}}\n",
		   "reply down: JSON, peer null, no queues key");
	nic_info_free(&n);

	/* Peer in another netns, empty QUEUES nest. */
	nic_parse_info(fake_nic(buf, 3, "wbn0", "eth0", 2, 0), FAMILY, &n);
	tap_has_str(print_info(&n, false),
		    " peer eth0 peer-netnsid 2 loopback",
		    "reply netnsid: text");
	tap_has_str(print_info(&n, true),
		    "\"peer\":\"eth0\",\"peer_ifindex\":4,\"peer_netnsid\":2,",
		    "reply netnsid: JSON");
	tap_has_str(print_info(&n, true), "\"queues\":[]}",
		    "reply empty QUEUES: empty array");
	nic_info_free(&n);
}

static void test_reply_defensive(void)
{
	struct nlattr *qs, *q;
	char buf[NL_TX_SIZE];
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	struct nic_info n;

	tap_is_int(nic_parse_info(fake_nic(buf, 3, "wbn0", NULL, -1, 1),
				  FAMILY + 1, &n), -EBADMSG,
		   "reply: another family's message");
	nic_info_free(&n);

	/*
	 * Only the ifname, then oddly sized and unknown attributes, and a
	 * queue without an index among other attributes in QUEUES.
	 */
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = FAMILY;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = WBNIC_CMD_GET;
	mnl_attr_put_strz(nlh, WBNIC_A_IFNAME, "wbn0");
	tap_is_int(nic_parse_info(nlh, FAMILY, &n), -EBADMSG,
		   "reply: no ifindex");
	nic_info_free(&n);
	mnl_attr_put_u32(nlh, WBNIC_A_IFINDEX, 3);
	mnl_attr_put_u8(nlh, WBNIC_A_LOSS, 7);
	mnl_attr_put_u32(nlh, WBNIC_A_CARRIER, 1);
	mnl_attr_put_u32(nlh, __WBNIC_A_MAX + 5, 1);
	mnl_attr_put_u32(nlh, WBNIC_A_FLAP_MS, 1);
	qs = mnl_attr_nest_start(nlh, WBNIC_A_QUEUES);
	mnl_attr_put_u32(nlh, WBNIC_A_IFINDEX, 1);
	q = mnl_attr_nest_start(nlh, WBNIC_A_QUEUE);
	mnl_attr_put_u32(nlh, WBNIC_Q_RX_SIZE, 64);
	mnl_attr_put_u16(nlh, WBNIC_Q_RX_HEAD, 1);
	mnl_attr_put_u32(nlh, __WBNIC_Q_MAX, 1);
	mnl_attr_nest_end(nlh, q);
	mnl_attr_nest_end(nlh, qs);
	tap_is_int(nic_parse_info(nlh, FAMILY, &n), 0,
		   "reply: odd attributes do not fail the message");
	tap_ok(!NIC_HAS(&n, WBNIC_A_LOSS) && !NIC_HAS(&n, WBNIC_A_CARRIER) &&
	       !NIC_HAS(&n, WBNIC_A_FLAP_MS) && n.n_queues == 1 &&
	       n.queues[0].has == 1ULL << WBNIC_Q_RX_SIZE,
	       "reply: bad sizes, unknown, request-only attributes left out");
	tap_is_str(print_info(&n, false),
		   "3: wbn0: peer none\n    queue 0: rx ring 64\n",
		   "reply: text shows what there is");
	tap_is_str(print_info(&n, true),
		   "{\"ifindex\":3,\"ifname\":\"wbn0\",\"peer\":null,"
		   "\"queues\":[{\"rx\":{\"size\":64}}]}\n",
		   "reply: JSON has no keys for absent attributes");
	nic_info_free(&n);
}

static void test_kind(void)
{
	struct nlattr *li;
	char buf[NL_TX_SIZE];
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;
	bool is_wbnic;
	int ifindex;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_index = 9;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "wbn0");
	tap_ok(!nic_parse_kind(nlh, &ifindex, &is_wbnic) && ifindex == 9 &&
	       !is_wbnic, "kind: no IFLA_LINKINFO is not a wbnic");
	li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "wbnic");
	mnl_attr_nest_end(nlh, li);
	tap_ok(!nic_parse_kind(nlh, &ifindex, &is_wbnic) && is_wbnic,
	       "kind: wbnic");
	strcpy(mnl_attr_get_payload(mnl_attr_get_payload(li)), "wbpai");
	tap_ok(!nic_parse_kind(nlh, &ifindex, &is_wbnic) && !is_wbnic,
	       "kind: other kind");
	nlh->nlmsg_type = RTM_NEWADDR;
	tap_ok(nic_parse_kind(nlh, &ifindex, &is_wbnic) == -EBADMSG,
	       "kind: not RTM_NEWLINK");
}

void test_nic(void)
{
	tap_case("nic: parse_add");
	test_parse_add();
	tap_case("nic: parse_dev");
	test_parse_dev();
	tap_case("nic: parse_cable");
	test_parse_cable();
	tap_case("nic: parse_set_ok");
	test_parse_set_ok();
	tap_case("nic: parse_set_bad");
	test_parse_set_bad();
	tap_case("nic: ppm");
	test_ppm();
	tap_case("nic: build_link");
	test_build_link();
	tap_case("nic: build_genl");
	test_build_genl();
	tap_case("nic: reply_full");
	test_reply_full();
	tap_case("nic: reply_partial");
	test_reply_partial();
	tap_case("nic: reply_defensive");
	test_reply_defensive();
	tap_case("nic: kind");
	test_kind();
	helpers_free();
}
