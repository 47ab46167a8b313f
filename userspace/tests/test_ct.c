// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: "ct" argument parsing (filters, tuples, settings), its
 * requests, and the entries, events, counters and settings the kernel
 * sends as "ct" and "monitor ct" print them, all without a socket.
 */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/wirebox.h>

#include "helpers.h"
#include "nf.h"
#include "nl.h"
#include "print.h"
#include "tap.h"
#include "utils.h"

#define FAMILY		0x1e
#define V		WBNF_GENL_VERSION

static const uint8_t a1[4] = { 10, 0, 1, 1 };
static const uint8_t a2[4] = { 10, 0, 1, 2 };
static const uint8_t b1[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t b2[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };

static int filter(char **argv, struct nf_ct *f, const char *want)
{
	const char *desc = argv_desc("ct list", argv);
	int ret;

	err_start();
	ret = nf_parse_ct_filter(argv_len(argv), argv, f);
	err_check(desc, want);
	return ret;
}

static int key(char **argv, struct nf_ct *k, const char *want)
{
	const char *desc = argv_desc("ct get", argv);
	int ret;

	err_start();
	ret = nf_parse_ct_key(argv_len(argv), argv, k);
	err_check(desc, want);
	return ret;
}

static int config(char **argv, struct nf_ct_config *c, const char *want)
{
	const char *desc = argv_desc("ct config set", argv);
	int ret;

	err_start();
	ret = nf_parse_ct_config_set(argv_len(argv), argv, c);
	err_check(desc, want);
	return ret;
}

static void test_names(void)
{
	const struct protoent *pe = getprotobynumber(253);
	unsigned int a;
	uint32_t v;

	tap_ok(streq(nf_ct_proto_name(6), "tcp") &&
	       streq(nf_ct_proto_name(17), "udp") &&
	       streq(nf_ct_proto_name(136), "udplite") &&
	       streq(nf_ct_proto_name(1), "icmp") &&
	       streq(nf_ct_proto_name(58), "icmpv6") &&
	       streq(nf_ct_proto_name(132), "sctp") &&
	       streq(nf_ct_proto_name(47), "gre") &&
	       streq(nf_ct_proto_name(33), "dccp"),
	       "protocols: conntrack's names (icmpv6, not ipv6-icmp)");
	tap_is_str(nf_ct_proto_name(253), pe ? pe->p_name : "unknown",
		   "protocol 253: the system's name, else unknown");
	tap_is_str(nf_ct_proto_name(300), "unknown", "protocol 300: unknown");
	tap_ok(!nf_parse_ct_proto("icmpv6", &v) && v == 58 &&
	       !nf_parse_ct_proto("gre", &v) && v == 47 &&
	       !nf_parse_ct_proto("253", &v) && v == 253 &&
	       nf_parse_ct_proto("256", &v) == -EINVAL &&
	       nf_parse_ct_proto("TCP", &v) == -EINVAL &&
	       nf_parse_ct_proto("", &v) == -EINVAL,
	       "protocols: names and numbers, exact");
	tap_ok(streq(nf_tcp_state_name(WBNF_TCP_ESTABLISHED), "ESTABLISHED") &&
	       streq(nf_tcp_state_name(WBNF_TCP_SYN_SENT2), "SYN_SENT2") &&
	       streq(nf_tcp_state_name(WBNF_TCP_NONE), "NONE") &&
	       streq(nf_tcp_state_name(__WBNF_TCP_MAX), "NONE"),
	       "TCP states: names, an unknown one is NONE");
	tap_ok(!nf_parse_tcp_state("time_wait", &v) &&
	       v == WBNF_TCP_TIME_WAIT &&
	       !nf_parse_tcp_state("Syn_Recv", &v) && v == WBNF_TCP_SYN_RECV &&
	       !nf_parse_tcp_state("SYN_SENT2", &v) && v == WBNF_TCP_SYN_SENT2 &&
	       nf_parse_tcp_state("NONE", &v) == -EINVAL &&
	       nf_parse_tcp_state("ESTABLISHE", &v) == -EINVAL,
	       "TCP states: any case, exact, not NONE");
	tap_ok(!nf_parse_ct_config_name("max", &a) &&
	       a == WBNF_CTC_ENTRIES_MAX &&
	       !nf_parse_ct_config_name("udp_stream", &a) &&
	       a == WBNF_CTC_UDP_STREAM &&
	       !nf_parse_ct_config_name("generic", &a) &&
	       a == WBNF_CTC_GENERIC &&
	       nf_parse_ct_config_name("tcp_timeout", &a) == -EINVAL &&
	       nf_parse_ct_config_name("Max", &a) == -EINVAL &&
	       streq(nf_ct_config_name(WBNF_CTC_HASHSIZE), "hashsize") &&
	       !nf_ct_config_name(WBNF_CTC_UNSPEC) &&
	       !nf_ct_config_name(__WBNF_CTC_MAX), "settings: names");
}

static void test_parse_filter(void)
{
	struct nf_ct f;

	tap_ok(!filter(NONE, &f, NULL) && !f.has, "no filter: every entry");
	tap_ok(!filter(ARGV("family", "ipv6"), &f, NULL) &&
	       f.has == NF_BIT(WBNF_CT_FAMILY) &&
	       f.v[WBNF_CT_FAMILY] == AF_INET6, "family ipv6");
	tap_ok(!filter(ARGV("proto", "17"), &f, NULL) &&
	       f.has == NF_BIT(WBNF_CT_PROTO) && f.v[WBNF_CT_PROTO] == 17,
	       "proto by number, no family");
	tap_ok(!filter(ARGV("proto", "icmp"), &f, NULL) &&
	       f.v[WBNF_CT_PROTO] == 1 && f.v[WBNF_CT_FAMILY] == AF_INET,
	       "proto icmp implies ipv4");
	tap_ok(!filter(ARGV("state", "established"), &f, NULL) &&
	       f.has == (NF_BIT(WBNF_CT_PROTO) | NF_BIT(WBNF_CT_TCP_STATE)) &&
	       f.v[WBNF_CT_TCP_STATE] == WBNF_TCP_ESTABLISHED &&
	       f.v[WBNF_CT_PROTO] == 6, "state: any case, implies proto tcp");
	tap_ok(!filter(ARGV("proto", "tcp", "state", "TIME_WAIT"), &f,
		       NULL) && f.v[WBNF_CT_TCP_STATE] == WBNF_TCP_TIME_WAIT,
	       "state with proto tcp");
	tap_ok(!filter(ARGV("status", "assured", "status", "seen-reply",
			    "status", "assured"), &f, NULL) &&
	       f.has == NF_BIT(WBNF_CT_STATUS) &&
	       f.v[WBNF_CT_STATUS] == (WBNF_CT_F_ASSURED |
				       WBNF_CT_F_SEEN_REPLY),
	       "status may repeat: all the bits");
	tap_ok(!filter(ARGV("dst", "2001:db8::2"), &f, NULL) &&
	       f.has == (NF_BIT(WBNF_CT_ORIG) | NF_BIT(WBNF_CT_FAMILY)) &&
	       f.orig.has == NF_BIT(WBNF_TUPLE_DST) &&
	       f.v[WBNF_CT_FAMILY] == AF_INET6 && !memcmp(f.orig.dst, b2, 16),
	       "dst: an IPv6 address of the original tuple, family set");
	tap_ok(!filter(ARGV("src", "10.0.1.1", "family", "ipv4", "dst",
			    "10.0.1.2"), &f, NULL) &&
	       f.orig.has == (NF_BIT(WBNF_TUPLE_SRC) |
			      NF_BIT(WBNF_TUPLE_DST)) &&
	       !memcmp(f.orig.src, a1, 4) && !memcmp(f.orig.dst, a2, 4),
	       "src, dst and family agree, any order");
}

static void test_parse_filter_bad(void)
{
	const struct {
		char **argv;
		const char *err;
	} cases[] = {
		{ ARGV("family", "inet"),
		  "Error: argument \"inet\" is wrong: family is \"ipv4\" or \"ipv6\"." },
		{ ARGV("family", "ipv4", "family", "ipv6"),
		  "Error: duplicate \"family\": \"ipv6\" is the second value." },
		{ ARGV("proto", "tcp", "proto", "tcp"), "duplicate \"proto\"" },
		{ ARGV("proto", "256"),
		  "Error: argument \"256\" is wrong: proto is tcp, udp, udplite, icmp, icmpv6, sctp, another protocol's name or a number from 0 to 255." },
		{ ARGV("proto", "Tcp"), "proto is tcp" },
		{ ARGV("state", "open"),
		  "Error: argument \"open\" is wrong: state is a TCP state: SYN_SENT, SYN_RECV, ESTABLISHED, FIN_WAIT, CLOSE_WAIT, LAST_ACK, TIME_WAIT, CLOSE or SYN_SENT2." },
		{ ARGV("state", "NONE"), "state is a TCP state" },
		{ ARGV("proto", "udp", "state", "close"),
		  "Error: argument \"close\" is wrong: state needs proto tcp." },
		{ ARGV("state", "close", "state", "close"), "duplicate \"state\"" },
		{ ARGV("status", "confirmed"),
		  "Error: argument \"confirmed\" is wrong: status is \"assured\" or \"seen-reply\"." },
		{ ARGV("status", "ASSURED"), "status is \"assured\"" },
		{ ARGV("src", "10.0.1.300"),
		  "Error: argument \"10.0.1.300\" is wrong: src is an IPv4 or IPv6 address." },
		{ ARGV("dst", "10.0.0.0/8"), "dst is an IPv4 or IPv6 address" },
		{ ARGV("src", "10.0.1.1", "dst", "2001:db8::2"),
		  "Error: argument \"2001:db8::2\" is wrong: dst is IPv6 but src is IPv4." },
		{ ARGV("family", "ipv6", "src", "10.0.1.1"),
		  "src is IPv4 but family is IPv6" },
		{ ARGV("src", "::1", "proto", "icmp"),
		  "Error: argument \"icmp\" is wrong: proto icmp is IPv4 but src is IPv6." },
		{ ARGV("family", "ipv4", "proto", "icmpv6"),
		  "proto icmpv6 is IPv6 but family is IPv4" },
		{ ARGV("src", "10.0.1.1", "src", "10.0.1.2"), "duplicate \"src\"" },
		{ ARGV("sport", "80"),
		  "Error: unknown keyword \"sport\", try \"wbctl ct help\"." },
		{ ARGV("id", "3"), "unknown keyword \"id\"" },
		{ ARGV("Family", "ipv4"), "unknown keyword \"Family\"" },
		{ ARGV("fam", "ipv4"), "unknown keyword \"fam\"" },
		{ ARGV("proto"), "Command line is not complete" },
		{ ARGV("src", "10.0.1.1", "help"), "Usage: wbctl ct" },
	};
	struct nf_ct f;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		tap_is_int(filter(cases[i].argv, &f, cases[i].err), 255,
			   "%s: exit status 255",
			   argv_desc("ct list", cases[i].argv));
}

static void test_parse_key(void)
{
	const struct nf_tuple *t;
	struct nf_ct k;

	tap_ok(!key(ARGV("id", "17"), &k, NULL) &&
	       k.has == NF_BIT(WBNF_CT_ID) && k.v[WBNF_CT_ID] == 17,
	       "id 17");
	tap_ok(!key(ARGV("id", "0xffffffff"), &k, NULL) &&
	       k.v[WBNF_CT_ID] == 0xffffffff, "id, the largest");
	t = &k.orig;
	tap_ok(!key(ARGV("proto", "tcp", "src", "10.0.1.1", "dst", "10.0.1.2",
			 "sport", "40000", "dport", "80"), &k, NULL) &&
	       k.v[WBNF_CT_FAMILY] == AF_INET && NF_HAS(&k, WBNF_CT_ORIG) &&
	       !NF_HAS(&k, WBNF_CT_ID) &&
	       t->has == (NF_BIT(WBNF_TUPLE_SRC) | NF_BIT(WBNF_TUPLE_DST) |
			  NF_BIT(WBNF_TUPLE_PROTO) | NF_BIT(WBNF_TUPLE_SPORT) |
			  NF_BIT(WBNF_TUPLE_DPORT)) &&
	       !memcmp(t->src, a1, 4) && !memcmp(t->dst, a2, 4) &&
	       t->v[WBNF_TUPLE_PROTO] == 6 && t->v[WBNF_TUPLE_SPORT] == 40000 &&
	       t->v[WBNF_TUPLE_DPORT] == 80, "a TCP tuple");
	tap_ok(!key(ARGV("dport", "0", "sport", "65535", "dst", "2001:db8::2",
			 "src", "2001:db8::1", "proto", "udplite"), &k, NULL) &&
	       k.v[WBNF_CT_FAMILY] == AF_INET6 && !memcmp(t->src, b1, 16) &&
	       !memcmp(t->dst, b2, 16) && t->v[WBNF_TUPLE_PROTO] == 136 &&
	       t->v[WBNF_TUPLE_SPORT] == 65535 && t->v[WBNF_TUPLE_DPORT] == 0,
	       "an IPv6 UDP-Lite tuple, any order, ports 0 and 65535");
	tap_ok(!key(ARGV("proto", "icmp", "src", "10.0.1.1", "dst", "10.0.1.2",
			 "icmp-type", "echo-request", "icmp-code", "0",
			 "icmp-id", "77"), &k, NULL) &&
	       t->has == (NF_BIT(WBNF_TUPLE_SRC) | NF_BIT(WBNF_TUPLE_DST) |
			  NF_BIT(WBNF_TUPLE_PROTO) |
			  NF_BIT(WBNF_TUPLE_ICMP_TYPE) |
			  NF_BIT(WBNF_TUPLE_ICMP_CODE) |
			  NF_BIT(WBNF_TUPLE_ICMP_ID)) &&
	       t->v[WBNF_TUPLE_ICMP_TYPE] == 8 &&
	       t->v[WBNF_TUPLE_ICMP_ID] == 77,
	       "an ICMP tuple, the type by name");
	tap_ok(!key(ARGV("proto", "icmpv6", "src", "2001:db8::1", "dst",
			 "2001:db8::2", "icmp-type", "128", "icmp-code", "0",
			 "icmp-id", "5"), &k, NULL) &&
	       t->v[WBNF_TUPLE_PROTO] == 58 &&
	       t->v[WBNF_TUPLE_ICMP_TYPE] == 128,
	       "an ICMPv6 tuple");
	tap_ok(!key(ARGV("proto", "gre", "src", "10.0.1.1", "dst",
			 "10.0.1.2"), &k, NULL) &&
	       t->has == (NF_BIT(WBNF_TUPLE_SRC) | NF_BIT(WBNF_TUPLE_DST) |
			  NF_BIT(WBNF_TUPLE_PROTO)) &&
	       t->v[WBNF_TUPLE_PROTO] == 47,
	       "another protocol: addresses and proto only");
}

static void test_parse_key_bad(void)
{
	const struct {
		char **argv;
		const char *err;
	} cases[] = {
		{ NONE, "Error: a TUPLE or id ID is required, try \"wbctl ct help\"." },
		{ ARGV("src", "10.0.1.1", "dst", "10.0.1.2"),
		  "Error: proto is required, try \"wbctl ct help\"." },
		{ ARGV("proto", "gre", "dst", "10.0.1.2"),
		  "Error: src is required" },
		{ ARGV("proto", "gre", "src", "10.0.1.2"),
		  "Error: dst is required" },
		{ ARGV("proto", "gre", "src", "10.0.1.256", "dst", "10.0.1.2"),
		  "Error: argument \"10.0.1.256\" is wrong: src is an IPv4 or IPv6 address." },
		{ ARGV("proto", "gre", "src", "host", "dst", "10.0.1.2"),
		  "src is an IPv4 or IPv6 address" },
		{ ARGV("proto", "gre", "src", "10.0.1.1", "dst", "::2"),
		  "Error: argument \"::2\" is wrong: dst is IPv6 but src is IPv4." },
		{ ARGV("proto", "icmp", "src", "::1", "dst", "::2"),
		  "proto icmp is IPv4 but src is IPv6" },
		{ ARGV("proto", "tcp", "src", "10.0.1.1", "dst", "10.0.1.2",
		       "dport", "80"),
		  "Error: sport is required, try \"wbctl ct help\"." },
		{ ARGV("proto", "udp", "src", "10.0.1.1", "dst", "10.0.1.2",
		       "sport", "1"), "Error: dport is required" },
		{ ARGV("proto", "tcp", "src", "10.0.1.1", "dst", "10.0.1.2",
		       "sport", "65536", "dport", "80"),
		  "Error: argument \"65536\" is wrong: sport is a number from 0 to 65535." },
		{ ARGV("proto", "tcp", "src", "10.0.1.1", "dst", "10.0.1.2",
		       "sport", "1", "dport", "-1"),
		  "dport is a number from 0 to 65535" },
		{ ARGV("proto", "tcp", "src", "10.0.1.1", "dst", "10.0.1.2",
		       "sport", "1", "dport", "http"),
		  "dport is a number from 0 to 65535" },
		{ ARGV("proto", "tcp", "src", "10.0.1.1", "dst", "10.0.1.2",
		       "sport", "1", "dport", "2", "icmp-id", "3"),
		  "Error: argument \"3\" is wrong: icmp-id needs proto icmp or icmpv6." },
		{ ARGV("proto", "icmp", "src", "10.0.1.1", "dst", "10.0.1.2",
		       "sport", "1"),
		  "Error: argument \"1\" is wrong: sport needs proto tcp, udp or udplite." },
		{ ARGV("proto", "sctp", "src", "10.0.1.1", "dst", "10.0.1.2",
		       "sport", "1", "dport", "2"),
		  "sport needs proto tcp, udp or udplite" },
		{ ARGV("proto", "icmp", "src", "10.0.1.1", "dst", "10.0.1.2",
		       "icmp-type", "8", "icmp-code", "0"),
		  "Error: icmp-id is required" },
		{ ARGV("proto", "icmp", "src", "10.0.1.1", "dst", "10.0.1.2",
		       "icmp-type", "neighbour-solicitation", "icmp-code", "0",
		       "icmp-id", "1"),
		  "icmp-type is a number from 0 to 255 or one of echo-reply" },
		{ ARGV("proto", "icmp", "src", "10.0.1.1", "dst", "10.0.1.2",
		       "icmp-type", "8", "icmp-code", "256", "icmp-id", "1"),
		  "icmp-code is a number from 0 to 255" },
		{ ARGV("proto", "icmp", "src", "10.0.1.1", "dst", "10.0.1.2",
		       "icmp-type", "8", "icmp-code", "0", "icmp-id", "65536"),
		  "icmp-id is a number from 0 to 65535" },
		{ ARGV("id", "4294967296"),
		  "Error: argument \"4294967296\" is wrong: id is an entry's id, a number as \"wbctl ct list\" shows." },
		{ ARGV("id", "1", "proto", "tcp"),
		  "Error: either \"id\" or a TUPLE, not both, try \"wbctl ct help\"." },
		{ ARGV("id", "1", "id", "2"), "duplicate \"id\"" },
		{ ARGV("proto", "tcp", "state", "established"),
		  "unknown keyword \"state\"" },
		{ ARGV("proto", "tcp", "src"), "Command line is not complete" },
		{ ARGV("id", "help"), "id is an entry's id" },
		{ ARGV("help"), "Usage: wbctl ct { list | show } [ FILTER ]..." },
	};
	struct nf_ct k;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		tap_is_int(key(cases[i].argv, &k, cases[i].err), 255,
			   "%s: exit status 255",
			   argv_desc("ct get", cases[i].argv));
}

static void test_parse_config(void)
{
	const struct {
		char **argv;
		const char *err;
	} bad[] = {
		{ NONE, "Error: max or a TIMEOUT is required, try \"wbctl ct help\"." },
		{ ARGV("tcp_established", "0"),
		  "Error: argument \"0\" is wrong: tcp_established is from 1 to 2592000 seconds." },
		{ ARGV("udp", "2592001"), "udp is from 1 to 2592000 seconds" },
		{ ARGV("icmp", "-5"), "icmp is from 1 to 2592000 seconds" },
		{ ARGV("max", "0"),
		  "Error: argument \"0\" is wrong: max is from 1 to 4194304 entries." },
		{ ARGV("max", "4194305"), "max is from 1 to 4194304 entries" },
		{ ARGV("hashsize", "1024"),
		  "Error: argument \"hashsize\" is wrong: hashsize is read-only, the module parameter ct_hashsize." },
		{ ARGV("tcp_timeout_established", "5"),
		  "Error: unknown keyword \"tcp_timeout_established\", try \"wbctl ct help\"." },
		{ ARGV("TCP_CLOSE", "5"), "unknown keyword \"TCP_CLOSE\"" },
		{ ARGV("generic", "600", "generic", "300"),
		  "Error: duplicate \"generic\": \"300\" is the second value." },
		{ ARGV("max"), "Command line is not complete" },
		{ ARGV("max", "5", "help"), "Usage: wbctl ct" },
	};
	struct nf_ct_config c;
	size_t i;

	tap_ok(!config(ARGV("max", "4194304", "tcp_established", "2592000",
			    "tcp_syn_sent", "1", "generic", "600"), &c, NULL) &&
	       c.has == (NF_BIT(WBNF_CTC_ENTRIES_MAX) |
			 NF_BIT(WBNF_CTC_TCP_ESTABLISHED) |
			 NF_BIT(WBNF_CTC_TCP_SYN_SENT) |
			 NF_BIT(WBNF_CTC_GENERIC)) &&
	       c.v[WBNF_CTC_ENTRIES_MAX] == 4194304 &&
	       c.v[WBNF_CTC_TCP_ESTABLISHED] == 2592000 &&
	       c.v[WBNF_CTC_TCP_SYN_SENT] == 1 && c.v[WBNF_CTC_GENERIC] == 600,
	       "config set: max and timeouts at their limits");
	tap_ok(!config(ARGV("udp_stream", "180"), &c, NULL) &&
	       c.has == NF_BIT(WBNF_CTC_UDP_STREAM) &&
	       c.v[WBNF_CTC_UDP_STREAM] == 180, "config set: one timeout");
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		tap_is_int(config(bad[i].argv, &c, bad[i].err), 255,
			   "%s: exit status 255",
			   argv_desc("ct config set", bad[i].argv));
}

static void test_build(void)
{
	struct nf_ct_config cfg;
	char buf[NL_TX_SIZE];
	struct nlmsghdr *nlh;
	struct tb m, n, o;
	struct nf_ct f;

	filter(NONE, &f, NULL);
	nlh = nf_build_ct_dump(buf, FAMILY, &f);
	tb_msg(&m, nlh, GENL_HDRLEN);
	tap_ok(genl_is(nlh, FAMILY, WBNF_CMD_CT_GET, V, NLM_F_DUMP) &&
	       !m.count, "ct list: CT_GET dump, no filter");
	tb_msg(&m, nf_build_ct_dump(buf, FAMILY, NULL), GENL_HDRLEN);
	tap_ok(!m.count, "ct list: no filter at all");

	filter(ARGV("family", "ipv4", "proto", "tcp", "state", "established",
		    "status", "assured", "status", "seen-reply", "src",
		    "10.0.1.1", "dst", "10.0.1.2"), &f, NULL);
	nlh = nf_build_ct_dump(buf, FAMILY, &f);
	tb_msg(&m, nlh, GENL_HDRLEN);
	tb_nested(&n, m.a[WBNF_A_CT_FILTER]);
	tb_nested(&o, n.a[WBNF_CT_ORIG]);
	tap_ok(genl_is(nlh, FAMILY, WBNF_CMD_CT_GET, V, NLM_F_DUMP) &&
	       m.count == 1 && m.a[WBNF_A_CT_FILTER], "ct list: FILTER nest");
	tap_ok(n.count == 5 && attr_u8(n.a[WBNF_CT_FAMILY], AF_INET) &&
	       attr_u8(n.a[WBNF_CT_PROTO], 6) &&
	       attr_u8(n.a[WBNF_CT_TCP_STATE], WBNF_TCP_ESTABLISHED) &&
	       attr_u32(n.a[WBNF_CT_STATUS], WBNF_CT_F_ASSURED |
					     WBNF_CT_F_SEEN_REPLY),
	       "filter: FAMILY u8, PROTO u8, TCP_STATE u8, STATUS u32");
	tap_ok(o.count == 2 && attr_bin(o.a[WBNF_TUPLE_SRC], a1, 4) &&
	       attr_bin(o.a[WBNF_TUPLE_DST], a2, 4),
	       "filter: ORIG { SRC, DST }, 4 bytes each");
	filter(ARGV("src", "2001:db8::1"), &f, NULL);
	tb_msg(&m, nf_build_ct_flush(buf, FAMILY, &f), GENL_HDRLEN);
	tb_nested(&n, m.a[WBNF_A_CT_FILTER]);
	tb_nested(&o, n.a[WBNF_CT_ORIG]);
	tap_ok(n.count == 2 && attr_u8(n.a[WBNF_CT_FAMILY], AF_INET6) &&
	       o.count == 1 && attr_bin(o.a[WBNF_TUPLE_SRC], b1, 16),
	       "ct flush src IPv6: FAMILY, ORIG { SRC, 16 bytes }");
	filter(NONE, &f, NULL);
	nlh = nf_build_ct_flush(buf, FAMILY, &f);
	tb_msg(&m, nlh, GENL_HDRLEN);
	tap_ok(genl_is(nlh, FAMILY, WBNF_CMD_CT_FLUSH, V, NLM_F_ACK) &&
	       !m.count, "ct flush: CT_FLUSH, ACK, no filter");

	nlh = nf_build_ct_stats_get(buf, FAMILY);
	tb_msg(&m, nlh, GENL_HDRLEN);
	tap_ok(genl_is(nlh, FAMILY, WBNF_CMD_CT_STATS_GET, V, NLM_F_ACK) &&
	       !m.count, "ct stats: CT_STATS_GET do");
	nlh = nf_build_ct_config_get(buf, FAMILY);
	tb_msg(&m, nlh, GENL_HDRLEN);
	tap_ok(genl_is(nlh, FAMILY, WBNF_CMD_CT_CONFIG_GET, V, NLM_F_ACK) &&
	       !m.count, "ct config: CT_CONFIG_GET do");
	config(ARGV("tcp_close", "10", "max", "1000"), &cfg, NULL);
	nlh = nf_build_ct_config_set(buf, FAMILY, &cfg);
	tb_msg(&m, nlh, GENL_HDRLEN);
	tb_nested(&n, m.a[WBNF_A_CT_CONFIG]);
	tap_ok(genl_is(nlh, FAMILY, WBNF_CMD_CT_CONFIG_SET, V, NLM_F_ACK) &&
	       m.count == 1 && n.count == 2 &&
	       attr_u32(n.a[WBNF_CTC_ENTRIES_MAX], 1000) &&
	       attr_u32(n.a[WBNF_CTC_TCP_CLOSE], 10),
	       "ct config set: CONFIG { ENTRIES_MAX, TCP_CLOSE } u32");
}

static void test_build_key(void)
{
	char buf[NL_TX_SIZE];
	struct nlmsghdr *nlh;
	struct nf_ct k;
	struct tb m, t;

	key(ARGV("id", "17"), &k, NULL);
	nlh = nf_build_ct_get(buf, FAMILY, &k);
	tb_msg(&m, nlh, GENL_HDRLEN);
	tap_ok(genl_is(nlh, FAMILY, WBNF_CMD_CT_GET, V, NLM_F_ACK) &&
	       m.count == 1 && attr_u32(m.a[WBNF_A_CT_ID], 17),
	       "ct get id: CT_GET do, CT_ID u32");
	nlh = nf_build_ct_del(buf, FAMILY, &k);
	tb_msg(&m, nlh, GENL_HDRLEN);
	tap_ok(genl_is(nlh, FAMILY, WBNF_CMD_CT_DEL, V, NLM_F_ACK) &&
	       m.count == 1 && attr_u32(m.a[WBNF_A_CT_ID], 17),
	       "ct delete id: CT_DEL, CT_ID");

	key(ARGV("proto", "tcp", "src", "2001:db8::1", "dst", "2001:db8::2",
		 "sport", "40000", "dport", "443"), &k, NULL);
	nlh = nf_build_ct_get(buf, FAMILY, &k);
	tb_msg(&m, nlh, GENL_HDRLEN);
	tb_nested(&t, m.a[WBNF_A_CT_TUPLE]);
	tap_ok(m.count == 1 && t.count == 5 &&
	       attr_bin(t.a[WBNF_TUPLE_SRC], b1, 16) &&
	       attr_bin(t.a[WBNF_TUPLE_DST], b2, 16) &&
	       attr_u8(t.a[WBNF_TUPLE_PROTO], 6) &&
	       attr_u16(t.a[WBNF_TUPLE_SPORT], 40000) &&
	       attr_u16(t.a[WBNF_TUPLE_DPORT], 443),
	       "ct get TCP: TUPLE { SRC, DST 16 bytes, PROTO u8, ports u16 }");

	key(ARGV("proto", "icmp", "src", "10.0.1.1", "dst", "10.0.1.2",
		 "icmp-type", "8", "icmp-code", "0", "icmp-id", "77"), &k, NULL);
	nlh = nf_build_ct_del(buf, FAMILY, &k);
	tb_msg(&m, nlh, GENL_HDRLEN);
	tb_nested(&t, m.a[WBNF_A_CT_TUPLE]);
	tap_ok(genl_is(nlh, FAMILY, WBNF_CMD_CT_DEL, V, NLM_F_ACK) &&
	       m.count == 1 && t.count == 6 &&
	       attr_bin(t.a[WBNF_TUPLE_SRC], a1, 4) &&
	       attr_bin(t.a[WBNF_TUPLE_DST], a2, 4) &&
	       attr_u8(t.a[WBNF_TUPLE_PROTO], 1) &&
	       attr_u8(t.a[WBNF_TUPLE_ICMP_TYPE], 8) &&
	       attr_u8(t.a[WBNF_TUPLE_ICMP_CODE], 0) &&
	       attr_u16(t.a[WBNF_TUPLE_ICMP_ID], 77),
	       "ct delete ICMP: TUPLE { SRC, DST, PROTO, TYPE u8, CODE u8, ID u16 }");

	key(ARGV("proto", "47", "src", "10.0.1.1", "dst", "10.0.1.2"), &k,
	    NULL);
	tb_msg(&m, nf_build_ct_get(buf, FAMILY, &k), GENL_HDRLEN);
	tb_nested(&t, m.a[WBNF_A_CT_TUPLE]);
	tap_ok(t.count == 3 && attr_u8(t.a[WBNF_TUPLE_PROTO], 47),
	       "ct get GRE: TUPLE { SRC, DST, PROTO }");
}

/* A direction's tuple; ports or icmp (type, code, id) when not NULL. */
static void put_tuple(struct nlmsghdr *nlh, unsigned int type,
		      const void *src, const void *dst, size_t alen,
		      uint8_t proto, const uint16_t *ports,
		      const uint16_t *icmp)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);

	mnl_attr_put(nlh, WBNF_TUPLE_SRC, alen, src);
	mnl_attr_put(nlh, WBNF_TUPLE_DST, alen, dst);
	mnl_attr_put_u8(nlh, WBNF_TUPLE_PROTO, proto);
	if (ports) {
		mnl_attr_put_u16(nlh, WBNF_TUPLE_SPORT, ports[0]);
		mnl_attr_put_u16(nlh, WBNF_TUPLE_DPORT, ports[1]);
	}
	if (icmp) {
		mnl_attr_put_u8(nlh, WBNF_TUPLE_ICMP_TYPE, icmp[0]);
		mnl_attr_put_u8(nlh, WBNF_TUPLE_ICMP_CODE, icmp[1]);
		mnl_attr_put_u16(nlh, WBNF_TUPLE_ICMP_ID, icmp[2]);
	}
	mnl_attr_nest_end(nlh, nest);
}

/* The header of an entry: message, CT nest, ID, FAMILY, PROTO, STATUS. */
static struct nlmsghdr *fake_ct(void *buf, uint8_t cmd, uint32_t id,
				uint8_t af, uint8_t proto, uint32_t status,
				struct nlattr **nest)
{
	struct nlmsghdr *nlh = fake_genl(buf, FAMILY, cmd, V);

	*nest = mnl_attr_nest_start(nlh, WBNF_A_CT);
	mnl_attr_put_u32(nlh, WBNF_CT_ID, id);
	mnl_attr_put_u8(nlh, WBNF_CT_FAMILY, af);
	mnl_attr_put_u8(nlh, WBNF_CT_PROTO, proto);
	mnl_attr_put_u32(nlh, WBNF_CT_STATUS, status);
	return nlh;
}

static void put_counters(struct nlmsghdr *nlh, uint64_t op, uint64_t ob,
			 uint64_t rp, uint64_t rb)
{
	mnl_attr_put_u64(nlh, WBNF_CT_PACKETS_ORIG, op);
	mnl_attr_put_u64(nlh, WBNF_CT_BYTES_ORIG, ob);
	mnl_attr_put_u64(nlh, WBNF_CT_PACKETS_REPLY, rp);
	mnl_attr_put_u64(nlh, WBNF_CT_BYTES_REPLY, rb);
}

/* An assured TCP connection, 10.0.1.1:40000 -> 10.0.1.2:80. */
static struct nlmsghdr *fake_tcp(void *buf, uint8_t cmd)
{
	static const uint16_t po[2] = { 40000, 80 }, pr[2] = { 80, 40000 };
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	nlh = fake_ct(buf, cmd, 17, AF_INET, 6, WBNF_CT_F_SEEN_REPLY |
		      WBNF_CT_F_ASSURED | WBNF_CT_F_CONFIRMED, &nest);
	mnl_attr_put_u8(nlh, WBNF_CT_TCP_STATE, WBNF_TCP_ESTABLISHED);
	mnl_attr_put_u32(nlh, WBNF_CT_TIMEOUT, 431999);
	put_tuple(nlh, WBNF_CT_ORIG, a1, a2, 4, 6, po, NULL);
	put_tuple(nlh, WBNF_CT_REPLY, a2, a1, 4, 6, pr, NULL);
	put_counters(nlh, 5, 300, 4, 250);
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

static const char *ct_text(const struct nlmsghdr *nlh, bool json)
{
	struct nf_ct ct;

	if (nf_parse_ct_msg(nlh, FAMILY, &ct))
		return "(bad message)";
	out_start(json);
	nf_print_ct(&ct);
	return out_end();
}

static void test_reply_tcp(void)
{
	char buf[NL_TX_SIZE];
	struct nlmsghdr *nlh = fake_tcp(buf, WBNF_CMD_CT_GET);

	tap_is_str(ct_text(nlh, false),
		   "tcp      6 431999 ESTABLISHED src=10.0.1.1 dst=10.0.1.2 sport=40000 dport=80 packets=5 bytes=300 src=10.0.1.2 dst=10.0.1.1 sport=80 dport=40000 packets=4 bytes=250 [ASSURED] id=17\n",
		   "TCP: text as conntrack -L -o id");
	tap_is_str(ct_text(nlh, true),
		   "{\"id\":17,\"family\":\"ipv4\",\"proto\":\"tcp\","
		   "\"protonum\":6,\"timeout\":431999,\"state\":\"ESTABLISHED\","
		   "\"status\":[\"SEEN_REPLY\",\"ASSURED\",\"CONFIRMED\"],"
		   "\"orig\":{\"src\":\"10.0.1.1\",\"dst\":\"10.0.1.2\","
		   "\"sport\":40000,\"dport\":80,\"packets\":5,\"bytes\":300},"
		   "\"reply\":{\"src\":\"10.0.1.2\",\"dst\":\"10.0.1.1\","
		   "\"sport\":80,\"dport\":40000,\"packets\":4,\"bytes\":250}}\n",
		   "TCP: JSON");
}

static void test_reply_udp_icmp(void)
{
	static const uint16_t po[2] = { 5000, 53 }, pr[2] = { 53, 5000 };
	static const uint16_t io[3] = { 8, 0, 77 }, ir[3] = { 0, 0, 77 };
	char buf[NL_TX_SIZE];
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	nlh = fake_ct(buf, WBNF_CMD_CT_GET, 3, AF_INET, 17,
		      WBNF_CT_F_CONFIRMED, &nest);
	mnl_attr_put_u32(nlh, WBNF_CT_TIMEOUT, 28);
	put_tuple(nlh, WBNF_CT_ORIG, a1, a2, 4, 17, po, NULL);
	put_tuple(nlh, WBNF_CT_REPLY, a2, a1, 4, 17, pr, NULL);
	put_counters(nlh, 1, 60, 0, 0);
	mnl_attr_nest_end(nlh, nest);
	tap_is_str(ct_text(nlh, false),
		   "udp      17 28 src=10.0.1.1 dst=10.0.1.2 sport=5000 dport=53 packets=1 bytes=60 [UNREPLIED] src=10.0.1.2 dst=10.0.1.1 sport=53 dport=5000 packets=0 bytes=0 id=3\n",
		   "UDP: [UNREPLIED] without SEEN_REPLY, no state, no [ASSURED]");
	tap_has_str(ct_text(nlh, true),
		    "\"timeout\":28,\"status\":[\"CONFIRMED\"],\"orig\"",
		    "UDP: JSON, no state");

	nlh = fake_ct(buf, WBNF_CMD_CT_GET, 4, AF_INET, 1,
		      WBNF_CT_F_SEEN_REPLY, &nest);
	mnl_attr_put_u32(nlh, WBNF_CT_TIMEOUT, 29);
	put_tuple(nlh, WBNF_CT_ORIG, a1, a2, 4, 1, NULL, io);
	put_tuple(nlh, WBNF_CT_REPLY, a2, a1, 4, 1, NULL, ir);
	put_counters(nlh, 1, 84, 1, 84);
	mnl_attr_nest_end(nlh, nest);
	tap_is_str(ct_text(nlh, false),
		   "icmp     1 29 src=10.0.1.1 dst=10.0.1.2 type=8 code=0 id=77 packets=1 bytes=84 src=10.0.1.2 dst=10.0.1.1 type=0 code=0 id=77 packets=1 bytes=84 id=4\n",
		   "ICMP: type, code and echo id, then the entry's id");
	tap_is_str(ct_text(nlh, true),
		   "{\"id\":4,\"family\":\"ipv4\",\"proto\":\"icmp\","
		   "\"protonum\":1,\"timeout\":29,\"status\":[\"SEEN_REPLY\"],"
		   "\"orig\":{\"src\":\"10.0.1.1\",\"dst\":\"10.0.1.2\","
		   "\"type\":8,\"code\":0,\"icmp_id\":77,\"packets\":1,"
		   "\"bytes\":84},\"reply\":{\"src\":\"10.0.1.2\","
		   "\"dst\":\"10.0.1.1\",\"type\":0,\"code\":0,\"icmp_id\":77,"
		   "\"packets\":1,\"bytes\":84}}\n", "ICMP: JSON");
}

static void test_reply_ipv6(void)
{
	static const uint16_t po[2] = { 40000, 443 }, pr[2] = { 443, 40000 };
	static const uint16_t io[3] = { 128, 0, 5 }, ir[3] = { 129, 0, 5 };
	char buf[NL_TX_SIZE];
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	nlh = fake_ct(buf, WBNF_CMD_CT_GET, 9, AF_INET6, 6, 0, &nest);
	mnl_attr_put_u8(nlh, WBNF_CT_TCP_STATE, WBNF_TCP_SYN_SENT);
	mnl_attr_put_u32(nlh, WBNF_CT_TIMEOUT, 117);
	put_tuple(nlh, WBNF_CT_ORIG, b1, b2, 16, 6, po, NULL);
	put_tuple(nlh, WBNF_CT_REPLY, b2, b1, 16, 6, pr, NULL);
	mnl_attr_nest_end(nlh, nest);
	tap_is_str(ct_text(nlh, false),
		   "tcp      6 117 SYN_SENT src=2001:db8::1 dst=2001:db8::2 sport=40000 dport=443 [UNREPLIED] src=2001:db8::2 dst=2001:db8::1 sport=443 dport=40000 id=9\n",
		   "IPv6 TCP: addresses as conntrack prints them, no counters when not sent");
	tap_is_str(ct_text(nlh, true),
		   "{\"id\":9,\"family\":\"ipv6\",\"proto\":\"tcp\","
		   "\"protonum\":6,\"timeout\":117,\"state\":\"SYN_SENT\","
		   "\"status\":[],\"orig\":{\"src\":\"2001:db8::1\","
		   "\"dst\":\"2001:db8::2\",\"sport\":40000,\"dport\":443},"
		   "\"reply\":{\"src\":\"2001:db8::2\",\"dst\":\"2001:db8::1\","
		   "\"sport\":443,\"dport\":40000}}\n",
		   "IPv6 TCP: JSON, status empty");

	nlh = fake_ct(buf, WBNF_CMD_CT_GET, 10, AF_INET6, 58,
		      WBNF_CT_F_SEEN_REPLY, &nest);
	mnl_attr_put_u32(nlh, WBNF_CT_TIMEOUT, 29);
	put_tuple(nlh, WBNF_CT_ORIG, b1, b2, 16, 58, NULL, io);
	put_tuple(nlh, WBNF_CT_REPLY, b2, b1, 16, 58, NULL, ir);
	mnl_attr_nest_end(nlh, nest);
	tap_is_str(ct_text(nlh, false),
		   "icmpv6   58 29 src=2001:db8::1 dst=2001:db8::2 type=128 code=0 id=5 src=2001:db8::2 dst=2001:db8::1 type=129 code=0 id=5 id=10\n",
		   "ICMPv6: icmpv6 58");
}

static void test_reply_other(void)
{
	struct nlattr *nest, *orig;
	char buf[NL_TX_SIZE];
	struct nlmsghdr *nlh;
	struct nf_ct ct;

	nlh = fake_ct(buf, WBNF_CMD_CT_GET, 5, AF_INET, 47,
		      WBNF_CT_F_SEEN_REPLY | WBNF_CT_F_ASSURED, &nest);
	mnl_attr_put_u32(nlh, WBNF_CT_TIMEOUT, 599);
	put_tuple(nlh, WBNF_CT_ORIG, a1, a2, 4, 47, NULL, NULL);
	put_tuple(nlh, WBNF_CT_REPLY, a2, a1, 4, 47, NULL, NULL);
	put_counters(nlh, 3, 300, 2, 200);
	mnl_attr_nest_end(nlh, nest);
	tap_is_str(ct_text(nlh, false),
		   "gre      47 599 src=10.0.1.1 dst=10.0.1.2 packets=3 bytes=300 src=10.0.1.2 dst=10.0.1.1 packets=2 bytes=200 [ASSURED] id=5\n",
		   "another protocol: addresses and counters");

	/* no FAMILY: from the addresses; bad and unknown attributes out */
	nlh = fake_genl(buf, FAMILY, WBNF_CMD_CT_GET, V);
	nest = mnl_attr_nest_start(nlh, WBNF_A_CT);
	mnl_attr_put_u32(nlh, WBNF_CT_ID, 6);
	mnl_attr_put_u8(nlh, WBNF_CT_PROTO, 6);
	mnl_attr_put_u32(nlh, WBNF_CT_STATUS, WBNF_CT_F_SEEN_REPLY);
	mnl_attr_put_u8(nlh, WBNF_CT_TCP_STATE, 42);
	mnl_attr_put_u16(nlh, WBNF_CT_TIMEOUT, 5);
	mnl_attr_put_u32(nlh, __WBNF_CT_MAX, 1);
	put_tuple(nlh, WBNF_CT_ORIG, a1, b2, 0, 6, NULL, NULL);
	put_tuple(nlh, WBNF_CT_REPLY, a2, a1, 4, 6, NULL, NULL);
	mnl_attr_nest_end(nlh, nest);
	tap_is_str(ct_text(nlh, false),
		   "tcp      6 NONE src=10.0.1.2 dst=10.0.1.1 id=6\n",
		   "family from the addresses, bad sizes and unknown attributes left out, an unknown TCP state is NONE");
	tap_is_str(ct_text(nlh, true),
		   "{\"id\":6,\"family\":\"ipv4\",\"proto\":\"tcp\","
		   "\"protonum\":6,\"state\":\"NONE\",\"status\":[\"SEEN_REPLY\"],"
		   "\"orig\":{},\"reply\":{\"src\":\"10.0.1.2\","
		   "\"dst\":\"10.0.1.1\"}}\n", "the same in JSON");

	nlh = fake_genl(buf, FAMILY, WBNF_CMD_CT_GET, V);
	nest = mnl_attr_nest_start(nlh, WBNF_A_CT);
	orig = mnl_attr_nest_start(nlh, WBNF_CT_ORIG);
	mnl_attr_put(nlh, WBNF_TUPLE_SRC, 16, b1);
	mnl_attr_put(nlh, WBNF_TUPLE_DST, 4, a1);
	mnl_attr_put_u8(nlh, WBNF_TUPLE_PROTO, 17);
	mnl_attr_nest_end(nlh, orig);
	mnl_attr_nest_end(nlh, nest);
	tap_is_str(ct_text(nlh, false),
		   "udp      17 src=2001:db8::1 [UNREPLIED]\n",
		   "proto from the tuple; an address of the other family left out");

	tap_is_int(nf_parse_ct_msg(fake_tcp(buf, WBNF_CMD_CT_GET), FAMILY + 1,
				   &ct), -EBADMSG, "another family's message");
	nlh = fake_genl(buf, FAMILY, WBNF_CMD_CT_GET, V);
	mnl_attr_put_u32(nlh, WBNF_A_CT_ID, 3);
	tap_is_int(nf_parse_ct_msg(nlh, FAMILY, &ct), -EBADMSG,
		   "a reply without WBNF_A_CT");
}

static const char *list_text(const struct nf_ct *v, size_t n, bool json,
			     const char **err)
{
	const char *out;

	err_start();
	out_start(json);
	nf_print_ct_list(v, n);
	out = out_end();
	*err = err_end();
	return out;
}

static void test_list(void)
{
	char buf[NL_TX_SIZE];
	struct nf_ct v[2];
	const char *err;

	nf_parse_ct_msg(fake_tcp(buf, WBNF_CMD_CT_GET), FAMILY, &v[0]);
	v[1] = v[0];
	v[1].v[WBNF_CT_ID] = 18;
	tap_is_str(list_text(v, 2, false, &err),
		   "tcp      6 431999 ESTABLISHED src=10.0.1.1 dst=10.0.1.2 sport=40000 dport=80 packets=5 bytes=300 src=10.0.1.2 dst=10.0.1.1 sport=80 dport=40000 packets=4 bytes=250 [ASSURED] id=17\n"
		   "tcp      6 431999 ESTABLISHED src=10.0.1.1 dst=10.0.1.2 sport=40000 dport=80 packets=5 bytes=300 src=10.0.1.2 dst=10.0.1.1 sport=80 dport=40000 packets=4 bytes=250 [ASSURED] id=18\n",
		   "list: a line per entry");
	tap_is_str(err, "wbctl: 2 flow entries have been shown.\n",
		   "list: the summary on stderr");
	tap_is_str(list_text(v, 0, false, &err), "", "list empty: nothing");
	tap_is_str(err, "wbctl: 0 flow entries have been shown.\n",
		   "list empty: summary");
	tap_has_str(list_text(v, 2, true, &err),
		    "\"bytes\":250}},{\"id\":18,", "list JSON: an array");
	tap_is_str(err, "", "list JSON: no summary");
	tap_is_str(list_text(v, 0, true, &err), "[]\n", "list JSON: empty");
}

static const char *event_text(const struct nlmsghdr *nlh, bool json)
{
	struct nf_ct ct;

	if (nf_parse_ct_event(nlh, FAMILY, &ct))
		return "(bad message)";
	out_start(json);
	nf_print_ct(&ct);
	return out_end();
}

static void test_events(void)
{
	static const uint16_t po[2] = { 40000, 80 }, pr[2] = { 80, 40000 };
	char buf[NL_TX_SIZE], *out = NULL;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	struct nf_ct ct;
	size_t len;
	FILE *fp;

	nlh = fake_ct(buf, WBNF_CMD_CT_EVENT, 5, AF_INET, 6, 0, &nest);
	mnl_attr_put_u8(nlh, WBNF_CT_TCP_STATE, WBNF_TCP_SYN_SENT);
	mnl_attr_put_u32(nlh, WBNF_CT_TIMEOUT, 120);
	put_tuple(nlh, WBNF_CT_ORIG, a1, a2, 4, 6, po, NULL);
	put_tuple(nlh, WBNF_CT_REPLY, a2, a1, 4, 6, pr, NULL);
	mnl_attr_nest_end(nlh, nest);
	mnl_attr_put_u32(nlh, WBNF_A_CT_EVENT, WBNF_CT_EVENT_NEW);
	tap_is_str(event_text(nlh, false),
		   "    [NEW] tcp      6 120 SYN_SENT src=10.0.1.1 dst=10.0.1.2 sport=40000 dport=80 [UNREPLIED] src=10.0.1.2 dst=10.0.1.1 sport=80 dport=40000 id=5\n",
		   "NEW: the tag right-aligned in 9 columns");
	tap_has_str(event_text(nlh, true),
		    "{\"event\":\"new\",\"id\":5,\"family\":\"ipv4\",",
		    "NEW: JSON event first");

	nlh = fake_tcp(buf, WBNF_CMD_CT_EVENT);
	mnl_attr_put_u32(nlh, WBNF_A_CT_EVENT, WBNF_CT_EVENT_UPDATE);
	tap_has_str(event_text(nlh, false),
		    " [UPDATE] tcp      6 431999 ESTABLISHED src=",
		    "UPDATE: tag");
	nlh = fake_ct(buf, WBNF_CMD_CT_EVENT, 5, AF_INET, 6,
		      WBNF_CT_F_SEEN_REPLY | WBNF_CT_F_DYING, &nest);
	mnl_attr_put_u32(nlh, WBNF_CT_TIMEOUT, 0);
	put_tuple(nlh, WBNF_CT_ORIG, a1, a2, 4, 6, po, NULL);
	mnl_attr_nest_end(nlh, nest);
	mnl_attr_put_u32(nlh, WBNF_A_CT_EVENT, WBNF_CT_EVENT_DESTROY);
	tap_is_str(event_text(nlh, false),
		   "[DESTROY] tcp      6 src=10.0.1.1 dst=10.0.1.2 sport=40000 dport=80 id=5\n",
		   "DESTROY: no timeout even when sent, no state when not sent");
	tap_has_str(event_text(nlh, true),
		    "{\"event\":\"destroy\",\"id\":5,\"family\":\"ipv4\",\"proto\":\"tcp\",\"protonum\":6,\"status\":[\"SEEN_REPLY\",\"DYING\"],",
		    "DESTROY: JSON");
	nlh = fake_tcp(buf, WBNF_CMD_CT_EVENT);
	mnl_attr_put_u32(nlh, WBNF_A_CT_EVENT, 9);
	tap_has_str(event_text(nlh, false), "[UNKNOWN] tcp ",
		    "an unknown event");
	tap_has_str(event_text(nlh, true), "{\"event\":\"unknown\",",
		    "an unknown event: JSON");

	nlh = fake_tcp(buf, WBNF_CMD_CT_GET);
	mnl_attr_put_u32(nlh, WBNF_A_CT_EVENT, WBNF_CT_EVENT_NEW);
	tap_is_int(nf_parse_ct_event(nlh, FAMILY, &ct), -EBADMSG,
		   "a CT_GET reply is no event");
	tap_is_int(nf_parse_ct_event(fake_tcp(buf, WBNF_CMD_CT_EVENT), FAMILY,
				     &ct), -EBADMSG,
		   "an event without WBNF_A_CT_EVENT");
	nlh = fake_genl(buf, FAMILY, WBNF_CMD_CT_EVENT, V);
	mnl_attr_put_u32(nlh, WBNF_A_CT_EVENT, WBNF_CT_EVENT_NEW);
	tap_is_int(nf_parse_ct_event(nlh, FAMILY, &ct), -EBADMSG,
		   "an event without WBNF_A_CT");

	/* monitor ct -j: one object per line */
	fp = open_memstream(&out, &len);
	print_init(fp, true, false);
	nlh = fake_ct(buf, WBNF_CMD_CT_EVENT, 1, AF_INET, 47, 0, &nest);
	mnl_attr_nest_end(nlh, nest);
	mnl_attr_put_u32(nlh, WBNF_A_CT_EVENT, WBNF_CT_EVENT_DESTROY);
	nf_parse_ct_event(nlh, FAMILY, &ct);
	nf_print_ct(&ct);
	print_end_record();
	nf_print_ct(&ct);
	print_end_record();
	print_fini();
	fclose(fp);
	tap_is_str(out,
		   "{\"event\":\"destroy\",\"id\":1,\"family\":\"ipv4\",\"proto\":\"gre\",\"protonum\":47,\"status\":[],\"orig\":{},\"reply\":{}}\n"
		   "{\"event\":\"destroy\",\"id\":1,\"family\":\"ipv4\",\"proto\":\"gre\",\"protonum\":47,\"status\":[],\"orig\":{},\"reply\":{}}\n",
		   "JSON lines");
	free(out);
}

/* What "monitor" prints of each kind of message. */
static void test_monitor(void)
{
	char buf[NL_TX_SIZE], *out = NULL;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	int ret[4];
	size_t len;
	FILE *fp;

	fp = open_memstream(&out, &len);
	print_init(fp, false, false);
	nlh = fake_genl(buf, FAMILY, WBNF_CMD_TRACE, V);
	nest = mnl_attr_nest_start(nlh, WBNF_A_TRACE);
	mnl_attr_put_u32(nlh, WBNF_T_ID, 1);
	mnl_attr_put_u32(nlh, WBNF_T_HOOK, 1);
	mnl_attr_put_u32(nlh, WBNF_T_CT_STATE, WBNF_CT_STATE_RELATED);
	mnl_attr_nest_end(nlh, nest);
	ret[0] = nf_monitor_print(nlh, FAMILY);
	nlh = fake_ct(buf, WBNF_CMD_CT_EVENT, 2, AF_INET, 47,
		      WBNF_CT_F_SEEN_REPLY, &nest);
	mnl_attr_nest_end(nlh, nest);
	mnl_attr_put_u32(nlh, WBNF_A_CT_EVENT, WBNF_CT_EVENT_NEW);
	ret[1] = nf_monitor_print(nlh, FAMILY);
	ret[2] = nf_monitor_print(fake_tcp(buf, WBNF_CMD_CT_GET), FAMILY);
	ret[3] = nf_monitor_print(nlh, FAMILY + 1);
	print_fini();
	fclose(fp);
	tap_ok(!ret[0] && !ret[1] && ret[2] == -EBADMSG && ret[3] == -EBADMSG,
	       "monitor: trace and ct events printed, the rest skipped");
	tap_is_str(out,
		   "id 00000001 INPUT IN= OUT= CT=RELATED RULE=-\n"
		   "    [NEW] gre      47 id=2\n",
		   "monitor: a trace line, then a conntrack event");
	free(out);
}

static const char *stats_text(const struct nf_ct_stats *st, bool json,
			      bool count)
{
	out_start(json);
	if (count)
		nf_print_ct_count(st);
	else
		nf_print_ct_stats(st);
	return out_end();
}

static void test_stats(void)
{
	char buf[NL_TX_SIZE];
	struct nf_ct_stats st;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	unsigned int a;

	nlh = fake_genl(buf, FAMILY, WBNF_CMD_CT_STATS_GET, V);
	nest = mnl_attr_nest_start(nlh, WBNF_A_CT_STATS);
	mnl_attr_put_u32(nlh, WBNF_CTS_COUNT, 3);
	mnl_attr_put_u32(nlh, WBNF_CTS_ENTRIES_MAX, 65536);
	for (a = WBNF_CTS_FOUND; a <= WBNF_CTS_MAX; a++)
		mnl_attr_put_u64(nlh, a, a == WBNF_CTS_FOUND ?
				 1ULL << 40 : a * 10);
	mnl_attr_nest_end(nlh, nest);
	tap_is_int(nf_parse_ct_stats(nlh, FAMILY, &st), 0, "stats: parses");
	tap_is_str(stats_text(&st, false, false),
		   "count=3 max=65536 found=1099511627776 new=50 invalid=60 insert=70 insert_failed=80 drop=90 early_drop=100 search_restart=110 untracked=120\n",
		   "stats: one line as conntrack -S");
	tap_is_str(stats_text(&st, true, false),
		   "{\"count\":3,\"max\":65536,\"found\":1099511627776,"
		   "\"new\":50,\"invalid\":60,\"insert\":70,\"insert_failed\":80,"
		   "\"drop\":90,\"early_drop\":100,\"search_restart\":110,"
		   "\"untracked\":120}\n", "stats: JSON");
	tap_is_str(stats_text(&st, false, true), "3\n",
		   "count: the number alone, as conntrack -C");
	tap_is_str(stats_text(&st, true, true),
		   "{\"count\":3,\"max\":65536}\n", "count: JSON");

	nlh = fake_genl(buf, FAMILY, WBNF_CMD_CT_STATS_GET, V);
	nest = mnl_attr_nest_start(nlh, WBNF_A_CT_STATS);
	mnl_attr_put_u64(nlh, WBNF_CTS_COUNT, 3);
	mnl_attr_put_u64(nlh, WBNF_CTS_DROP, 7);
	mnl_attr_put_u32(nlh, WBNF_CTS_NEW, 7);
	mnl_attr_nest_end(nlh, nest);
	tap_is_int(nf_parse_ct_stats(nlh, FAMILY, &st), 0,
		   "stats: bad sizes parse");
	tap_is_str(stats_text(&st, false, false), "drop=7\n",
		   "stats: what has a bad size is left out");
	tap_is_int(nf_parse_ct_stats(fake_genl(buf, FAMILY,
					       WBNF_CMD_CT_STATS_GET, V),
				     FAMILY, &st), -EBADMSG,
		   "stats: a reply without WBNF_A_CT_STATS");
	tap_is_int(nf_parse_ct_stats(nlh, FAMILY + 1, &st), -EBADMSG,
		   "stats: another family's message");
}

static const char *config_text(const struct nf_ct_config *c, bool json)
{
	out_start(json);
	nf_print_ct_config(c);
	return out_end();
}

static void test_config(void)
{
	static const uint32_t t[] = {
		120, 60, 432000, 120, 60, 30, 120, 10, 30, 120, 30, 600,
	};
	struct nf_ct_config c;
	char buf[NL_TX_SIZE];
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	unsigned int a;

	nlh = fake_genl(buf, FAMILY, WBNF_CMD_CT_CONFIG_GET, V);
	nest = mnl_attr_nest_start(nlh, WBNF_A_CT_CONFIG);
	mnl_attr_put_u32(nlh, WBNF_CTC_ENTRIES_MAX, 65536);
	mnl_attr_put_u32(nlh, WBNF_CTC_HASHSIZE, 16384);
	for (a = WBNF_CTC_TCP_SYN_SENT; a <= WBNF_CTC_MAX; a++)
		mnl_attr_put_u32(nlh, a, t[a - WBNF_CTC_TCP_SYN_SENT]);
	mnl_attr_nest_end(nlh, nest);
	tap_is_int(nf_parse_ct_config(nlh, FAMILY, &c), 0, "config: parses");
	tap_is_str(config_text(&c, false),
		   "max 65536 hashsize 16384\n"
		   "tcp_syn_sent 120\ntcp_syn_recv 60\n"
		   "tcp_established 432000\ntcp_fin_wait 120\n"
		   "tcp_close_wait 60\ntcp_last_ack 30\ntcp_time_wait 120\n"
		   "tcp_close 10\nudp 30\nudp_stream 120\nicmp 30\n"
		   "generic 600\n", "config: text");
	tap_is_str(config_text(&c, true),
		   "{\"max\":65536,\"hashsize\":16384,\"tcp_syn_sent\":120,"
		   "\"tcp_syn_recv\":60,\"tcp_established\":432000,"
		   "\"tcp_fin_wait\":120,\"tcp_close_wait\":60,"
		   "\"tcp_last_ack\":30,\"tcp_time_wait\":120,\"tcp_close\":10,"
		   "\"udp\":30,\"udp_stream\":120,\"icmp\":30,\"generic\":600}\n",
		   "config: JSON");

	nlh = fake_genl(buf, FAMILY, WBNF_CMD_CT_CONFIG_GET, V);
	nest = mnl_attr_nest_start(nlh, WBNF_A_CT_CONFIG);
	mnl_attr_put_u32(nlh, WBNF_CTC_HASHSIZE, 1024);
	mnl_attr_put_u64(nlh, WBNF_CTC_UDP, 30);
	mnl_attr_put_u32(nlh, WBNF_CTC_ICMP, 30);
	mnl_attr_nest_end(nlh, nest);
	nf_parse_ct_config(nlh, FAMILY, &c);
	tap_is_str(config_text(&c, false), "hashsize 1024\nicmp 30\n",
		   "config: what is missing or of a bad size is left out");
	nlh = fake_genl(buf, FAMILY, WBNF_CMD_CT_CONFIG_GET, V);
	nest = mnl_attr_nest_start(nlh, WBNF_A_CT_CONFIG);
	mnl_attr_put_u32(nlh, WBNF_CTC_GENERIC, 5);
	mnl_attr_nest_end(nlh, nest);
	nf_parse_ct_config(nlh, FAMILY, &c);
	tap_is_str(config_text(&c, false), "generic 5\n",
		   "config: no empty first line");
	tap_is_int(nf_parse_ct_config(fake_genl(buf, FAMILY,
						WBNF_CMD_CT_CONFIG_GET, V),
				      FAMILY, &c), -EBADMSG,
		   "config: a reply without WBNF_A_CT_CONFIG");
}

void test_ct(void)
{
	tap_case("ct: names");
	test_names();
	tap_case("ct: parse_filter");
	test_parse_filter();
	tap_case("ct: parse_filter_bad");
	test_parse_filter_bad();
	tap_case("ct: parse_key");
	test_parse_key();
	tap_case("ct: parse_key_bad");
	test_parse_key_bad();
	tap_case("ct: parse_config");
	test_parse_config();
	tap_case("ct: build");
	test_build();
	tap_case("ct: build_key");
	test_build_key();
	tap_case("ct: reply_tcp");
	test_reply_tcp();
	tap_case("ct: reply_udp_icmp");
	test_reply_udp_icmp();
	tap_case("ct: reply_ipv6");
	test_reply_ipv6();
	tap_case("ct: reply_other");
	test_reply_other();
	tap_case("ct: list");
	test_list();
	tap_case("ct: events");
	test_events();
	tap_case("ct: monitor");
	test_monitor();
	tap_case("ct: stats");
	test_stats();
	tap_case("ct: config");
	test_config();
	helpers_free();
}
