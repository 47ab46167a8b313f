// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: "trace" argument parsing, the trace selection's requests
 * and replies, TRACE events as "monitor" prints them, and the multicast
 * group lookup, all without a socket.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/wirebox.h>

#include "genl.h"
#include "helpers.h"
#include "nf.h"
#include "nl.h"
#include "print.h"
#include "tap.h"
#include "utils.h"

#define FAMILY		0x1e
#define V		WBNF_GENL_VERSION

static const uint8_t src4[4] = { 10, 0, 0, 1 };
static const uint8_t dst4[4] = { 10, 0, 0, 2 };
static const uint8_t src6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t dst6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };

static int trace_on(char **argv, struct nf_trace_cfg *cfg, const char *want)
{
	const char *desc = argv_desc("trace on", argv);
	int ret;

	err_start();
	ret = nf_parse_trace_on(argv_len(argv), argv, cfg);
	err_check(desc, want);
	return ret;
}

static void test_parse(void)
{
	const struct {
		char **argv;
		const char *err;
	} bad[] = {
		{ ARGV("rate", "0"),
		  "Error: argument \"0\" is wrong: rate is from 1 to 10000 packets per second, like 10 or 10/s." },
		{ ARGV("rate", "10001"), "rate is from 1 to 10000" },
		{ ARGV("rate", "10001/s"), "rate is from 1 to 10000" },
		{ ARGV("rate", "10/m"), "rate is from 1 to 10000" },
		{ ARGV("rate", "/s"), "rate is from 1 to 10000" },
		{ ARGV("rate", "-1"), "rate is from 1 to 10000" },
		{ ARGV("rate", "1", "rate", "2"),
		  "duplicate \"rate\": \"2\" is the second value." },
		{ ARGV("rate"), "not complete" },
		{ ARGV("accept"),
		  "Error: unknown keyword \"accept\", try \"wbctl trace help\"." },
		{ ARGV("icmp-code", "0"), "icmp-code needs icmp-type" },
		{ ARGV("src", "10.0.0.1", "proto", "icmpv6"),
		  "proto icmpv6 is IPv6 but src is IPv4" },
		{ ARGV("src", "10.0.0.1", "src", "10.0.0.2"),
		  "duplicate \"src\"" },
		{ ARGV("ct", "state", "old"), "ct state is a list of" },
		{ ARGV("ct", "new"), "ct is followed by \"state\"" },
		{ ARGV("notrack"), "unknown keyword \"notrack\"" },
		{ ARGV("help"), "Usage: wbctl trace on [ MATCH ]... [ rate N ]" },
		{ ARGV("help"),
		  "CTSTATE := { new | established | related | invalid | untracked }" },
	};
	struct nf_trace_cfg c;
	size_t i;

	tap_ok(!trace_on(NONE, &c, NULL) &&
	       c.has == NF_BIT(WBNF_A_TRACE_ON) && c.v[WBNF_A_TRACE_ON] == 1,
	       "on: no match, no rate");
	tap_ok(!trace_on(ARGV("rate", "10"), &c, NULL) &&
	       NF_HAS(&c, WBNF_A_TRACE_RATE) && c.v[WBNF_A_TRACE_RATE] == 10 &&
	       !NF_HAS(&c, WBNF_A_TRACE_MATCH), "on rate 10");
	tap_ok(!trace_on(ARGV("rate", "10000/s"), &c, NULL) &&
	       c.v[WBNF_A_TRACE_RATE] == 10000, "on rate 10000/s");
	tap_ok(!trace_on(ARGV("rate", "1/s"), &c, NULL) &&
	       c.v[WBNF_A_TRACE_RATE] == 1, "on rate 1/s");
	tap_ok(!trace_on(ARGV("ct", "state", "new,invalid"), &c, NULL) &&
	       NF_HAS(&c, WBNF_A_TRACE_MATCH) &&
	       c.match.v[WBNF_R_CT_STATE] == (WBNF_CT_STATE_NEW |
					      WBNF_CT_STATE_INVALID),
	       "on ct state new,invalid: the rules' match");
	tap_ok(!trace_on(ARGV("src", "10.0.0.1", "rate", "5", "proto",
			      "icmp"), &c, NULL) &&
	       NF_HAS(&c, WBNF_A_TRACE_MATCH) &&
	       c.match.v[WBNF_R_PROTO] == 1 &&
	       c.match.v[WBNF_R_FAMILY] == AF_INET &&
	       !memcmp(c.match.src, src4, 4) && c.v[WBNF_A_TRACE_RATE] == 5,
	       "on: match and rate in any order");
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		tap_is_int(trace_on(bad[i].argv, &c, bad[i].err), 255,
			   "%s: exit status 255",
			   argv_desc("trace on", bad[i].argv));
}

static void test_build(void)
{
	char buf[NL_TX_SIZE];
	struct nf_trace_cfg c;
	struct nlmsghdr *nlh;
	struct tb m, n;

	trace_on(ARGV("iif", "wbn1", "src", "10.0.0.1", "proto", "icmp",
		      "rate", "20/s"), &c, NULL);
	nlh = nf_build_trace_set(buf, FAMILY, &c);
	tb_msg(&m, nlh, GENL_HDRLEN);
	tb_nested(&n, m.a[WBNF_A_TRACE_MATCH]);
	tap_ok(genl_is(nlh, FAMILY, WBNF_CMD_TRACE_SET, V, NLM_F_ACK) &&
	       m.count == 3 && attr_u8(m.a[WBNF_A_TRACE_ON], 1) &&
	       attr_u32(m.a[WBNF_A_TRACE_RATE], 20),
	       "trace on: TRACE_ON 1, TRACE_RATE, TRACE_MATCH");
	tap_ok(n.count == 5 && attr_str(n.a[WBNF_R_IIF], "wbn1") &&
	       attr_u8(n.a[WBNF_R_FAMILY], AF_INET) &&
	       attr_bin(n.a[WBNF_R_SRC], src4, 4) &&
	       attr_u8(n.a[WBNF_R_SRC_LEN], 32) &&
	       attr_u8(n.a[WBNF_R_PROTO], 1) && !n.a[WBNF_R_VERDICT],
	       "trace on: the match, no verdict");
	trace_on(ARGV("proto", "tcp", "ct", "state", "established"), &c,
		 NULL);
	tb_msg(&m, nf_build_trace_set(buf, FAMILY, &c), GENL_HDRLEN);
	tb_nested(&n, m.a[WBNF_A_TRACE_MATCH]);
	tap_ok(m.count == 2 && n.count == 2 && attr_u8(n.a[WBNF_R_PROTO], 6) &&
	       attr_u32(n.a[WBNF_R_CT_STATE], WBNF_CT_STATE_ESTABLISHED),
	       "trace on ct state: WBNF_R_CT_STATE in TRACE_MATCH");
	trace_on(NONE, &c, NULL);
	tb_msg(&m, nf_build_trace_set(buf, FAMILY, &c), GENL_HDRLEN);
	tap_ok(m.count == 1 && attr_u8(m.a[WBNF_A_TRACE_ON], 1),
	       "trace on: TRACE_ON alone");
	memset(&c, 0, sizeof(c));
	NF_SET(&c, WBNF_A_TRACE_ON, 0);
	tb_msg(&m, nf_build_trace_set(buf, FAMILY, &c), GENL_HDRLEN);
	tap_ok(m.count == 1 && attr_u8(m.a[WBNF_A_TRACE_ON], 0),
	       "trace off: TRACE_ON 0");
	nlh = nf_build_trace_get(buf, FAMILY);
	tb_msg(&m, nlh, GENL_HDRLEN);
	tap_ok(genl_is(nlh, FAMILY, WBNF_CMD_TRACE_GET, V, NLM_F_ACK) &&
	       !m.count, "trace show: TRACE_GET");
}

static const char *cfg_text(const struct nf_trace_cfg *c, bool json)
{
	out_start(json);
	nf_print_trace_cfg(c);
	return out_end();
}

static void test_cfg_reply(void)
{
	char buf[NL_TX_SIZE];
	struct nf_trace_cfg c;
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	nlh = fake_genl(buf, FAMILY, WBNF_CMD_TRACE_GET, V);
	mnl_attr_put_u8(nlh, WBNF_A_TRACE_ON, 1);
	mnl_attr_put_u32(nlh, WBNF_A_TRACE_RATE, 10);
	nest = mnl_attr_nest_start(nlh, WBNF_A_TRACE_MATCH);
	mnl_attr_put_u8(nlh, WBNF_R_FAMILY, AF_INET);
	mnl_attr_put(nlh, WBNF_R_SRC, 4, src4);
	mnl_attr_put_u8(nlh, WBNF_R_SRC_LEN, 32);
	mnl_attr_put_u8(nlh, WBNF_R_PROTO, 1);
	mnl_attr_nest_end(nlh, nest);
	tap_is_int(nf_parse_trace_cfg(nlh, FAMILY, &c), 0, "show: parses");
	tap_is_str(cfg_text(&c, false),
		   "trace on rate 10/s src 10.0.0.1/32 proto icmp\n",
		   "show: text");
	tap_is_str(cfg_text(&c, true),
		   "{\"trace\":true,\"rate\":10,\"match\":{\"family\":\"ipv4\","
		   "\"src\":\"10.0.0.1/32\",\"proto\":\"icmp\"}}\n",
		   "show: JSON");
	tap_is_int(nf_parse_trace_cfg(nlh, FAMILY + 1, &c), -EBADMSG,
		   "show: another family's message");

	nlh = fake_genl(buf, FAMILY, WBNF_CMD_TRACE_GET, V);
	mnl_attr_put_u8(nlh, WBNF_A_TRACE_ON, 1);
	nest = mnl_attr_nest_start(nlh, WBNF_A_TRACE_MATCH);
	mnl_attr_put_u32(nlh, WBNF_R_CT_STATE, WBNF_CT_STATE_NEW |
					       WBNF_CT_STATE_UNTRACKED);
	mnl_attr_nest_end(nlh, nest);
	nf_parse_trace_cfg(nlh, FAMILY, &c);
	tap_is_str(cfg_text(&c, false), "trace on ct state new,untracked\n",
		   "show ct state: text");
	tap_is_str(cfg_text(&c, true),
		   "{\"trace\":true,\"match\":{\"ct_state\":[\"new\","
		   "\"untracked\"]}}\n", "show ct state: JSON");

	nlh = fake_genl(buf, FAMILY, WBNF_CMD_TRACE_GET, V);
	mnl_attr_put_u8(nlh, WBNF_A_TRACE_ON, 0);
	mnl_attr_put_u32(nlh, WBNF_A_TRACE_RATE, 10);
	nf_parse_trace_cfg(nlh, FAMILY, &c);
	tap_is_str(cfg_text(&c, false), "trace off\n", "show off: text");
	tap_is_str(cfg_text(&c, true), "{\"trace\":false}\n",
		   "show off: JSON");

	nlh = fake_genl(buf, FAMILY, WBNF_CMD_TRACE_GET, V);
	mnl_attr_put_u8(nlh, WBNF_A_TRACE_ON, 1);
	nf_parse_trace_cfg(nlh, FAMILY, &c);
	tap_is_str(cfg_text(&c, false), "trace on\n", "show on, all: text");
	nlh = fake_genl(buf, FAMILY, WBNF_CMD_TRACE_GET, V);
	mnl_attr_put_u32(nlh, WBNF_A_TRACE_RATE, 10);
	tap_is_int(nf_parse_trace_cfg(nlh, FAMILY, &c), -EBADMSG,
		   "show: a reply without TRACE_ON");
}

/* An event's header: ID, HOOK, FAMILY; nested in WBNF_A_TRACE. */
static struct nlmsghdr *fake_event(void *buf, uint32_t hook, uint8_t af,
				   struct nlattr **nest)
{
	struct nlmsghdr *nlh = fake_genl(buf, FAMILY, WBNF_CMD_TRACE, V);

	*nest = mnl_attr_nest_start(nlh, WBNF_A_TRACE);
	mnl_attr_put_u32(nlh, WBNF_T_ID, hook == 0 ? 0x1a2b3c4d : 7);
	mnl_attr_put_u32(nlh, WBNF_T_HOOK, hook);
	mnl_attr_put_u8(nlh, WBNF_T_FAMILY, af);
	return nlh;
}

static const char *event_text(const struct nlmsghdr *nlh, bool json)
{
	struct nf_event ev;

	if (nf_parse_event(nlh, FAMILY, &ev))
		return "(bad message)";
	out_start(json);
	nf_print_event(&ev);
	return out_end();
}

static void test_event_tcp(void)
{
	char buf[NL_TX_SIZE];
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	nlh = fake_event(buf, 1, AF_INET, &nest);
	mnl_attr_put_strz(nlh, WBNF_T_IIF, "wbn1");
	mnl_attr_put(nlh, WBNF_T_SRC, 4, src4);
	mnl_attr_put(nlh, WBNF_T_DST, 4, dst4);
	mnl_attr_put_u32(nlh, WBNF_T_LEN, 60);
	mnl_attr_put_u8(nlh, WBNF_T_TTL, 64);
	mnl_attr_put_u8(nlh, WBNF_T_PROTO, 6);
	mnl_attr_put_u16(nlh, WBNF_T_SPORT, 40000);
	mnl_attr_put_u16(nlh, WBNF_T_DPORT, 22);
	mnl_attr_put_u8(nlh, WBNF_T_TCP_FLAGS, 0xd3);
	mnl_attr_put_u32(nlh, WBNF_T_VERDICT, WBNF_VERDICT_DROP);
	mnl_attr_put_u32(nlh, WBNF_T_RULE_ID, 3);
	mnl_attr_put_u32(nlh, WBNF_T_NETNS, 4026531840u);
	mnl_attr_nest_end(nlh, nest);
	tap_is_str(event_text(nlh, false),
		   "id 00000007 INPUT IN=wbn1 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=60 TTL=64 PROTO=TCP SPT=40000 DPT=22 CWR ECE ACK SYN FIN VERDICT=DROP RULE=3\n",
		   "IPv4 TCP: text, flags in LOG's order");
	tap_is_str(event_text(nlh, true),
		   "{\"id\":\"00000007\",\"hook\":\"input\",\"family\":\"ipv4\","
		   "\"iif\":\"wbn1\",\"src\":\"10.0.0.1\",\"dst\":\"10.0.0.2\","
		   "\"len\":60,\"ttl\":64,\"proto\":\"tcp\",\"sport\":40000,"
		   "\"dport\":22,\"tcp_flags\":[\"cwr\",\"ece\",\"ack\",\"syn\","
		   "\"fin\"],\"verdict\":\"drop\",\"rule\":3,"
		   "\"netns\":4026531840}\n",
		   "IPv4 TCP: JSON");
}

static void test_event_icmp(void)
{
	char buf[NL_TX_SIZE];
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	nlh = fake_event(buf, 0, AF_INET, &nest);
	mnl_attr_put_strz(nlh, WBNF_T_IIF, "wbn1");
	mnl_attr_put(nlh, WBNF_T_SRC, 4, src4);
	mnl_attr_put(nlh, WBNF_T_DST, 4, dst4);
	mnl_attr_put_u32(nlh, WBNF_T_LEN, 84);
	mnl_attr_put_u8(nlh, WBNF_T_TTL, 64);
	mnl_attr_put_u8(nlh, WBNF_T_PROTO, 1);
	mnl_attr_put_u8(nlh, WBNF_T_ICMP_TYPE, 8);
	mnl_attr_put_u8(nlh, WBNF_T_ICMP_CODE, 0);
	mnl_attr_put_u16(nlh, WBNF_T_ICMP_ID, 5);
	mnl_attr_put_u16(nlh, WBNF_T_ICMP_SEQ, 1);
	mnl_attr_put_u32(nlh, WBNF_T_VERDICT, WBNF_VERDICT_ACCEPT);
	mnl_attr_nest_end(nlh, nest);
	tap_is_str(event_text(nlh, false),
		   "id 1a2b3c4d PREROUTING IN=wbn1 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=84 TTL=64 PROTO=ICMP TYPE=8 CODE=0 ID=5 SEQ=1 VERDICT=ACCEPT RULE=-\n",
		   "IPv4 ICMP: text, RULE=- for the policy");
	tap_is_str(event_text(nlh, true),
		   "{\"id\":\"1a2b3c4d\",\"hook\":\"prerouting\","
		   "\"family\":\"ipv4\",\"iif\":\"wbn1\",\"src\":\"10.0.0.1\","
		   "\"dst\":\"10.0.0.2\",\"len\":84,\"ttl\":64,\"proto\":\"icmp\","
		   "\"icmp_type\":8,\"icmp_code\":0,\"icmp_id\":5,"
		   "\"icmp_seq\":1,\"verdict\":\"accept\",\"rule\":null}\n",
		   "IPv4 ICMP: JSON, rule null");
}

static void test_event_icmpv6(void)
{
	char buf[NL_TX_SIZE];
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	nlh = fake_event(buf, 3, AF_INET6, &nest);
	mnl_attr_put_strz(nlh, WBNF_T_OIF, "wbn0");
	mnl_attr_put(nlh, WBNF_T_SRC, 16, src6);
	mnl_attr_put(nlh, WBNF_T_DST, 16, dst6);
	mnl_attr_put_u32(nlh, WBNF_T_LEN, 104);
	mnl_attr_put_u8(nlh, WBNF_T_TTL, 64);
	mnl_attr_put_u8(nlh, WBNF_T_PROTO, 58);
	mnl_attr_put_u8(nlh, WBNF_T_ICMP_TYPE, 128);
	mnl_attr_put_u8(nlh, WBNF_T_ICMP_CODE, 0);
	mnl_attr_put_u16(nlh, WBNF_T_ICMP_ID, 9);
	mnl_attr_put_u16(nlh, WBNF_T_ICMP_SEQ, 2);
	mnl_attr_put_u32(nlh, WBNF_T_VERDICT, WBNF_VERDICT_LOG);
	mnl_attr_put_u32(nlh, WBNF_T_RULE_ID, 12);
	mnl_attr_nest_end(nlh, nest);
	tap_is_str(event_text(nlh, false),
		   "id 00000007 OUTPUT IN= OUT=wbn0 SRC=2001:db8::1 DST=2001:db8::2 LEN=104 HOPLIMIT=64 PROTO=ICMPv6 TYPE=128 CODE=0 ID=9 SEQ=2 VERDICT=LOG RULE=12\n",
		   "IPv6 ICMPv6: text, HOPLIMIT");
	tap_is_str(event_text(nlh, true),
		   "{\"id\":\"00000007\",\"hook\":\"output\",\"family\":\"ipv6\","
		   "\"oif\":\"wbn0\",\"src\":\"2001:db8::1\","
		   "\"dst\":\"2001:db8::2\",\"len\":104,\"hoplimit\":64,"
		   "\"proto\":\"icmpv6\",\"icmp_type\":128,\"icmp_code\":0,"
		   "\"icmp_id\":9,\"icmp_seq\":2,\"verdict\":\"log\","
		   "\"rule\":12}\n",
		   "IPv6 ICMPv6: JSON, hoplimit");
}

/* The conntrack fields of a trace event. */
static void test_event_ct(void)
{
	char buf[NL_TX_SIZE];
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	nlh = fake_event(buf, 1, AF_INET, &nest);
	mnl_attr_put(nlh, WBNF_T_SRC, 4, dst4);
	mnl_attr_put(nlh, WBNF_T_DST, 4, src4);
	mnl_attr_put_u8(nlh, WBNF_T_PROTO, 6);
	mnl_attr_put_u16(nlh, WBNF_T_SPORT, 80);
	mnl_attr_put_u16(nlh, WBNF_T_DPORT, 40000);
	mnl_attr_put_u8(nlh, WBNF_T_TCP_FLAGS, 0x10);
	mnl_attr_put_u32(nlh, WBNF_T_VERDICT, WBNF_VERDICT_ACCEPT);
	mnl_attr_put_u32(nlh, WBNF_T_RULE_ID, 2);
	mnl_attr_put_u32(nlh, WBNF_T_NETNS, 4026531840u);
	mnl_attr_put_u32(nlh, WBNF_T_CT_STATE, WBNF_CT_STATE_ESTABLISHED);
	mnl_attr_put_u32(nlh, WBNF_T_CT_ID, 17);
	mnl_attr_put_u8(nlh, WBNF_T_CT_DIR, WBNF_CT_DIR_REPLY);
	mnl_attr_nest_end(nlh, nest);
	tap_is_str(event_text(nlh, false),
		   "id 00000007 INPUT IN= OUT= SRC=10.0.0.2 DST=10.0.0.1 PROTO=TCP SPT=80 DPT=40000 ACK CT=ESTABLISHED CTID=17 CTDIR=REPLY VERDICT=ACCEPT RULE=2\n",
		   "ct: text, state, entry and direction as the kernel log");
	tap_is_str(event_text(nlh, true),
		   "{\"id\":\"00000007\",\"hook\":\"input\",\"family\":\"ipv4\","
		   "\"src\":\"10.0.0.2\",\"dst\":\"10.0.0.1\","
		   "\"proto\":\"tcp\",\"sport\":80,\"dport\":40000,"
		   "\"tcp_flags\":[\"ack\"],\"ct_state\":\"established\","
		   "\"ct_id\":17,\"ct_dir\":\"reply\",\"verdict\":\"accept\","
		   "\"rule\":2,\"netns\":4026531840}\n",
		   "ct: JSON ct_state, ct_id, ct_dir");

	nlh = fake_event(buf, 0, AF_INET6, &nest);
	mnl_attr_put_u32(nlh, WBNF_T_VERDICT, WBNF_VERDICT_NOTRACK);
	mnl_attr_put_u32(nlh, WBNF_T_RULE_ID, 1);
	mnl_attr_put_u32(nlh, WBNF_T_CT_STATE, WBNF_CT_STATE_UNTRACKED);
	mnl_attr_nest_end(nlh, nest);
	tap_is_str(event_text(nlh, false),
		   "id 1a2b3c4d PREROUTING IN= OUT= CT=UNTRACKED VERDICT=NOTRACK RULE=1\n",
		   "ct untracked: no entry, no direction; NOTRACK");
	tap_is_str(event_text(nlh, true),
		   "{\"id\":\"1a2b3c4d\",\"hook\":\"prerouting\","
		   "\"family\":\"ipv6\",\"ct_state\":\"untracked\","
		   "\"verdict\":\"notrack\",\"rule\":1}\n", "ct untracked: JSON");

	nlh = fake_event(buf, 0, AF_INET, &nest);
	mnl_attr_put_u32(nlh, WBNF_T_CT_STATE, WBNF_CT_STATE_NEW);
	mnl_attr_put_u32(nlh, WBNF_T_CT_ID, 3);
	mnl_attr_put_u8(nlh, WBNF_T_CT_DIR, WBNF_CT_DIR_ORIGINAL);
	mnl_attr_nest_end(nlh, nest);
	tap_is_str(event_text(nlh, false),
		   "id 1a2b3c4d PREROUTING IN= OUT= CT=NEW CTID=3 CTDIR=ORIGINAL RULE=-\n",
		   "ct new, original direction");
	nlh = fake_event(buf, 0, AF_INET, &nest);
	mnl_attr_put_u32(nlh, WBNF_T_CT_STATE, WBNF_CT_STATE_INVALID);
	mnl_attr_put_u16(nlh, WBNF_T_CT_ID, 3);
	mnl_attr_put_u8(nlh, WBNF_T_CT_DIR, 7);
	mnl_attr_nest_end(nlh, nest);
	tap_is_str(event_text(nlh, false),
		   "id 1a2b3c4d PREROUTING IN= OUT= CT=INVALID CTDIR=UNKNOWN RULE=-\n",
		   "ct: a bad CT_ID size left out, an unknown direction");
}

static void test_event_other(void)
{
	char buf[NL_TX_SIZE], *json = NULL;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	struct nf_event ev;
	size_t len;
	FILE *fp;

	nlh = fake_event(buf, 4, 0, &nest);
	mnl_attr_put(nlh, WBNF_T_SRC, 4, src4);
	mnl_attr_put(nlh, WBNF_T_DST, 16, dst6);
	mnl_attr_put_u8(nlh, WBNF_T_PROTO, 47);
	mnl_attr_put_u16(nlh, WBNF_T_TTL, 1);
	mnl_attr_put_u32(nlh, __WBNF_T_MAX, 1);
	mnl_attr_put_u32(nlh, WBNF_T_VERDICT, WBNF_VERDICT_REJECT);
	mnl_attr_nest_end(nlh, nest);
	tap_is_str(event_text(nlh, false),
		   "id 00000007 POSTROUTING IN= OUT= SRC=10.0.0.1 PROTO=47 VERDICT=REJECT RULE=-\n",
		   "family from the address; the other one, bad sizes, unknown attributes left out");

	nlh = fake_genl(buf, FAMILY, WBNF_CMD_TRACE_GET, V);
	nest = mnl_attr_nest_start(nlh, WBNF_A_TRACE);
	mnl_attr_nest_end(nlh, nest);
	tap_is_int(nf_parse_event(nlh, FAMILY, &ev), -EBADMSG,
		   "another command");
	nlh = fake_genl(buf, FAMILY, WBNF_CMD_TRACE, V);
	tap_is_int(nf_parse_event(nlh, FAMILY, &ev), -EBADMSG,
		   "no WBNF_A_TRACE");
	tap_is_int(nf_parse_event(nlh, FAMILY + 1, &ev), -EBADMSG,
		   "another family");

	/* monitor -j: one object per line, each flushed */
	fp = open_memstream(&json, &len);
	print_init(fp, true, false);
	nlh = fake_event(buf, 0, AF_INET, &nest);
	mnl_attr_nest_end(nlh, nest);
	nf_parse_event(nlh, FAMILY, &ev);
	nf_print_event(&ev);
	print_end_record();
	nf_print_event(&ev);
	print_end_record();
	print_fini();
	fclose(fp);
	tap_is_str(json,
		   "{\"id\":\"1a2b3c4d\",\"hook\":\"prerouting\",\"family\":\"ipv4\",\"rule\":null}\n"
		   "{\"id\":\"1a2b3c4d\",\"hook\":\"prerouting\",\"family\":\"ipv4\",\"rule\":null}\n",
		   "JSON lines");
	free(json);
}

/* CTRL_CMD_NEWFAMILY of "wbnf" with groups "ct" and "trace". */
static struct nlmsghdr *fake_family(void *buf, bool groups)
{
	struct nlattr *grps, *g;
	struct nlmsghdr *nlh;

	nlh = fake_genl(buf, GENL_ID_CTRL, CTRL_CMD_NEWFAMILY, 2);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, FAMILY);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, WBNF_GENL_NAME);
	if (!groups)
		return nlh;
	grps = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	g = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, "ct");
	mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, 11);
	mnl_attr_nest_end(nlh, g);
	g = mnl_attr_nest_start(nlh, 2);
	mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, 12);
	mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, "trace");
	mnl_attr_nest_end(nlh, g);
	mnl_attr_nest_end(nlh, grps);
	return nlh;
}

static void test_mcgrp(void)
{
	char buf[NL_TX_SIZE];
	uint32_t grp = 0;
	uint16_t id = 0;

	tap_ok(!genl_parse_mcgrp(fake_family(buf, true), "trace", &grp) &&
	       grp == 12, "group trace: id 12");
	tap_ok(!genl_parse_mcgrp(fake_family(buf, true), "ct", &grp) &&
	       grp == 11, "group ct: id 11");
	tap_ok(!genl_parse_family(fake_family(buf, true), &id) &&
	       id == FAMILY, "the family id still parses");
	tap_is_int(genl_parse_mcgrp(fake_family(buf, true), "tr", &grp),
		   -ENOENT, "no such group (no prefix match)");
	tap_is_int(genl_parse_mcgrp(fake_family(buf, false), "trace", &grp),
		   -ENOENT, "a family without groups");
	tap_is_int(genl_parse_mcgrp(fake_genl(buf, FAMILY, 1, 1), "trace",
				    &grp), -EBADMSG,
		   "not a controller message");
}

void test_trace(void)
{
	tap_case("trace: parse");
	test_parse();
	tap_case("trace: build");
	test_build();
	tap_case("trace: cfg_reply");
	test_cfg_reply();
	tap_case("trace: event_tcp");
	test_event_tcp();
	tap_case("trace: event_icmp");
	test_event_icmp();
	tap_case("trace: event_icmpv6");
	test_event_icmpv6();
	tap_case("trace: event_ct");
	test_event_ct();
	tap_case("trace: event_other");
	test_event_other();
	tap_case("trace: mcgrp");
	test_mcgrp();
	helpers_free();
}
