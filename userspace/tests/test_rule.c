// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: "rule", "policy" and "stats" argument parsing, ruleset
 * files, request building, and reply parsing and printing, all without
 * a socket.
 */
#include <errno.h>
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

static const uint8_t addr4[4] = { 203, 0, 113, 51 };
static const uint8_t addr6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };

/* nf_parse_rule_add(), checking what it prints. */
static int add(char **argv, struct nf_rule_add_req *req, const char *want)
{
	const char *desc = argv_desc("rule add", argv);
	int ret;

	err_start();
	ret = nf_parse_rule_add(argv_len(argv), argv, req);
	err_check(desc, want);
	return ret;
}

static const char *rule_text(const struct nf_rule *r, bool json)
{
	out_start(json);
	nf_print_rule(r);
	return out_end();
}

/* The rule of "rule add" words as "rule list" prints it. */
static const char *add_text(char **argv)
{
	static struct nf_rule_add_req req;

	if (add(argv, &req, NULL))
		return "(error)";
	return rule_text(&req.rule, false);
}

static void test_names(void)
{
	static const char * const hooks[] = {
		"prerouting", "input", "forward", "output", "postrouting",
	};
	uint32_t v;
	char buf[NF_ADDRSTRLEN];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(hooks); i++)
		tap_ok(!nf_parse_hook(hooks[i], &v) && v == i &&
		       streq(nf_hook_name(i), hooks[i]), "hook %s is %zu",
		       hooks[i], i);
	tap_ok(nf_parse_hook("INPUT", &v) == -EINVAL &&
	       nf_parse_hook("in", &v) == -EINVAL &&
	       streq(nf_hook_name(5), "unknown"),
	       "hooks: lower case, exact, unknown number");
	tap_ok(!nf_parse_verdict("reject", &v) && v == WBNF_VERDICT_REJECT &&
	       !nf_parse_verdict("log", &v) && v == WBNF_VERDICT_LOG &&
	       !nf_parse_verdict("notrack", &v) && v == WBNF_VERDICT_NOTRACK &&
	       nf_parse_verdict("ACCEPT", &v) == -EINVAL &&
	       nf_parse_verdict("NOTRACK", &v) == -EINVAL &&
	       streq(nf_verdict_name(WBNF_VERDICT_DROP), "drop") &&
	       streq(nf_verdict_name(WBNF_VERDICT_NOTRACK), "notrack") &&
	       streq(nf_verdict_name(9), "unknown"), "verdicts");
	tap_ok(!nf_parse_ct_states("new", &v) && v == WBNF_CT_STATE_NEW &&
	       !nf_parse_ct_states("untracked,established", &v) &&
	       v == (WBNF_CT_STATE_UNTRACKED | WBNF_CT_STATE_ESTABLISHED) &&
	       !nf_parse_ct_states("new,established,related,invalid,untracked",
				   &v) && v == WBNF_CT_STATE_ALL &&
	       nf_parse_ct_states("", &v) == -EINVAL &&
	       nf_parse_ct_states("new,", &v) == -EINVAL &&
	       nf_parse_ct_states(",new", &v) == -EINVAL &&
	       nf_parse_ct_states("new,,related", &v) == -EINVAL &&
	       nf_parse_ct_states("NEW", &v) == -EINVAL &&
	       nf_parse_ct_states("establishedrelated", &v) == -EINVAL,
	       "ct states: comma lists, exact names");
	tap_is_str(nf_format_ct_states(buf, sizeof(buf), 0x3f),
		   "new,established,related,invalid,untracked",
		   "ct states: all names in bit order, unknown bits left out");
	tap_is_str(nf_format_ct_states(buf, 8, WBNF_CT_STATE_ALL), "new,est",
		   "ct states: truncated to the buffer");
	tap_ok(streq(nf_proto_str(buf, sizeof(buf), 58, false), "icmpv6") &&
	       streq(nf_proto_str(buf, sizeof(buf), 58, true), "ICMPv6") &&
	       streq(nf_proto_str(buf, sizeof(buf), 136, true), "UDPLITE") &&
	       streq(nf_proto_str(buf, sizeof(buf), 47, true), "47"),
	       "protocols: keyword, trace spelling, number");
	tap_ok(streq(nf_icmp_type_name(1, 8), "echo-request") &&
	       streq(nf_icmp_type_name(58, 1), "destination-unreachable") &&
	       streq(nf_icmp_type_name(58, 136), "neighbour-advertisement") &&
	       !nf_icmp_type_name(1, 135) && !nf_icmp_type_name(6, 8),
	       "ICMP type names per protocol");
	tap_is_str(nf_upper(buf, sizeof(buf), "postrouting"), "POSTROUTING",
		   "upper case");
	nf_format_addr(buf, sizeof(buf), AF_INET6, addr6, 128);
	tap_is_str(buf, "2001:db8::1/128", "IPv6 prefix");
	nf_format_addr(buf, sizeof(buf), AF_INET, addr4, -1);
	tap_is_str(buf, "203.0.113.51", "IPv4 address");
}

static void test_parse_match(void)
{
	struct nf_rule_add_req r;

	tap_is_str(add_text(ARGV("input", "drop")), "input drop\n",
		   "no match");
	tap_is_str(add_text(ARGV("input", "iif", "eth0", "oif", "wb+",
				 "accept")),
		   "input iif eth0 oif wb+ accept\n", "iif, oif with '+'");
	tap_ok(!add(ARGV("forward", "src", "203.0.113.51", "drop"), &r,
		    NULL) && r.rule.v[WBNF_R_HOOK] == 2 &&
	       r.rule.v[WBNF_R_FAMILY] == AF_INET &&
	       r.rule.v[WBNF_R_SRC_LEN] == 32 &&
	       !memcmp(r.rule.src, addr4, 4) && !r.has_index,
	       "src: IPv4, /32 by default, family set");
	tap_is_str(rule_text(&r.rule, false),
		   "forward src 203.0.113.51/32 drop\n", "src: text");
	tap_ok(!add(ARGV("output", "dst", "2001:db8::1", "reject"), &r,
		    NULL) && r.rule.v[WBNF_R_FAMILY] == AF_INET6 &&
	       r.rule.v[WBNF_R_DST_LEN] == 128 &&
	       !memcmp(r.rule.dst, addr6, 16), "dst: IPv6, /128 by default");
	tap_is_str(add_text(ARGV("input", "family", "ipv6", "log")),
		   "input family ipv6 log\n", "family alone is printed");
	tap_is_str(add_text(ARGV("input", "family", "ipv4", "src",
				 "10.0.0.0/8", "accept")),
		   "input src 10.0.0.0/8 accept\n",
		   "family implied by src is not printed");
	tap_is_str(add_text(ARGV("input", "dst", "2001:db8::/32", "src",
				 "::/0", "drop")),
		   "input src ::/0 dst 2001:db8::/32 drop\n",
		   "IPv6 prefixes, canonical order");
	tap_is_str(add_text(ARGV("input", "proto", "icmp", "icmp-type",
				 "echo-request", "icmp-code", "0", "accept")),
		   "input proto icmp icmp-type echo-request icmp-code 0 accept\n",
		   "icmp type by name");
	tap_ok(!add(ARGV("input", "proto", "icmpv6", "icmp-type", "135",
			 "accept"), &r, NULL) &&
	       r.rule.v[WBNF_R_FAMILY] == AF_INET6 &&
	       r.rule.v[WBNF_R_PROTO] == 58 &&
	       r.rule.v[WBNF_R_ICMP_TYPE] == 135,
	       "icmpv6 implies IPv6; icmp-type by number");
	tap_is_str(rule_text(&r.rule, false),
		   "input proto icmpv6 icmp-type neighbour-solicitation accept\n",
		   "icmpv6 type printed by name");
	tap_is_str(add_text(ARGV("input", "proto", "icmp", "icmp-type",
				 "200", "drop")),
		   "input proto icmp icmp-type 200 drop\n",
		   "icmp type without a name");
	tap_is_str(add_text(ARGV("input", "proto", "1", "drop")),
		   "input proto icmp drop\n", "proto 1 is icmp");
	tap_is_str(add_text(ARGV("input", "proto", "47", "drop")),
		   "input proto 47 drop\n", "proto number");
	tap_is_str(add_text(ARGV("input", "proto", "tcp", "sport",
				 "1024-65535", "dport", "22", "accept")),
		   "input proto tcp sport 1024-65535 dport 22 accept\n",
		   "port range and port");
	tap_is_str(add_text(ARGV("input", "proto", "sctp", "dport", "0-0",
				 "accept")),
		   "input proto sctp dport 0 accept\n", "range of one port");
	tap_is_str(add_text(ARGV("input", "accept", "dport", "80", "proto",
				 "udplite", "iif", "lo")),
		   "input iif lo proto udplite dport 80 accept\n",
		   "any keyword order, printed canonical");
	tap_ok(!add(ARGV("input", "accept", "index", "0"), &r, NULL) &&
	       r.has_index && r.index == 0, "index 0");
	tap_ok(!add(ARGV("postrouting", "index", "16383", "log"), &r, NULL) &&
	       r.has_index && r.index == 16383 &&
	       r.rule.v[WBNF_R_VERDICT] == WBNF_VERDICT_LOG, "index 16383");
	tap_ok(!add(ARGV("input", "ct", "state", "established,related",
			 "accept"), &r, NULL) &&
	       r.rule.v[WBNF_R_CT_STATE] == (WBNF_CT_STATE_ESTABLISHED |
					     WBNF_CT_STATE_RELATED) &&
	       !NF_HAS(&r.rule, WBNF_R_FAMILY), "ct state: a mask, no family");
	tap_is_str(rule_text(&r.rule, false),
		   "input ct state established,related accept\n",
		   "ct state: text");
	tap_is_str(rule_text(&r.rule, true),
		   "{\"hook\":\"input\",\"ct_state\":[\"established\","
		   "\"related\"],\"verdict\":\"accept\"}\n", "ct state: JSON");
	tap_is_str(add_text(ARGV("forward", "ct", "state",
				 "untracked,invalid,related,new,related",
				 "iif", "wb+", "drop")),
		   "forward iif wb+ ct state new,related,invalid,untracked drop\n",
		   "ct state: bit order, once each, last in the canonical order");
	tap_is_str(add_text(ARGV("prerouting", "proto", "udp", "dport", "53",
				 "notrack")),
		   "prerouting proto udp dport 53 notrack\n",
		   "notrack at prerouting");
	tap_ok(!add(ARGV("output", "notrack"), &r, NULL) &&
	       r.rule.v[WBNF_R_VERDICT] == WBNF_VERDICT_NOTRACK &&
	       r.rule.v[WBNF_R_HOOK] == 3, "notrack at output");
}

static void test_parse_bad(void)
{
	const struct {
		char **argv;
		const char *err;
	} cases[] = {
		{ NONE, "Error: HOOK is required, try \"wbctl rule help\"." },
		{ ARGV("INPUT", "drop"),
		  "Error: argument \"INPUT\" is wrong: HOOK is one of prerouting, input, forward, output, postrouting." },
		{ ARGV("input"), "Error: VERDICT is required" },
		{ ARGV("input", "proto", "tcp"), "VERDICT is required" },
		{ ARGV("input", "drop", "accept"),
		  "Error: duplicate \"verdict\": \"accept\" is the second value." },
		{ ARGV("input", "src"), "Command line is not complete" },
		{ ARGV("input", "src", "10.0.0.300", "drop"),
		  "src is an IPv4 or IPv6 address with an optional /LEN" },
		{ ARGV("input", "dst", "eth0", "drop"), "dst is an IPv4" },
		{ ARGV("input", "dst", "10.0.0.0/33", "drop"),
		  "prefix length is from 0 to 32" },
		{ ARGV("input", "src", "::/129", "drop"),
		  "prefix length is from 0 to 128" },
		{ ARGV("input", "src", "10.0.0.1/", "drop"),
		  "prefix length is from 0 to 32" },
		{ ARGV("input", "src", "10.0.0.1/24", "drop"),
		  "Error: argument \"10.0.0.1/24\" is wrong: prefix has host bits set, the network is 10.0.0.0/24." },
		{ ARGV("input", "dst", "2001:db8::1/64", "drop"),
		  "host bits set, the network is 2001:db8::/64." },
		{ ARGV("input", "src", "10.0.0.1/0", "drop"),
		  "the network is 0.0.0.0/0." },
		{ ARGV("input", "src", "10.0.0.1", "dst", "::1", "drop"),
		  "Error: argument \"::1\" is wrong: dst is IPv6 but src is IPv4." },
		{ ARGV("input", "family", "ipv4", "dst", "::1", "drop"),
		  "dst is IPv6 but family is IPv4" },
		{ ARGV("input", "src", "::1", "family", "ipv4", "drop"),
		  "argument \"ipv4\" is wrong: family is IPv4 but src is IPv6" },
		{ ARGV("input", "proto", "icmp", "src", "::1", "drop"),
		  "src is IPv6 but proto icmp is IPv4" },
		{ ARGV("input", "dst", "10.1.1.1", "proto", "icmpv6", "drop"),
		  "argument \"icmpv6\" is wrong: proto icmpv6 is IPv6 but dst is IPv4" },
		{ ARGV("input", "family", "ipv6", "proto", "1", "drop"),
		  "proto icmp is IPv4 but family is IPv6" },
		{ ARGV("input", "family", "inet", "drop"),
		  "family is \"ipv4\" or \"ipv6\"" },
		{ ARGV("input", "proto", "gre", "drop"),
		  "proto is tcp, udp, icmp, icmpv6, sctp, udplite or a number from 0 to 255" },
		{ ARGV("input", "proto", "256", "drop"), "proto is tcp" },
		{ ARGV("input", "proto", "TCP", "drop"), "proto is tcp" },
		{ ARGV("input", "dport", "22", "drop"),
		  "Error: argument \"22\" is wrong: dport needs proto tcp, udp, sctp or udplite." },
		{ ARGV("input", "proto", "icmp", "sport", "1", "drop"),
		  "sport needs proto tcp, udp, sctp or udplite" },
		{ ARGV("input", "proto", "47", "dport", "1", "drop"),
		  "dport needs proto" },
		{ ARGV("input", "proto", "tcp", "dport", "2000-1000", "drop"),
		  "Error: argument \"2000-1000\" is wrong: dport range 2000-1000 ends below its start." },
		{ ARGV("input", "proto", "tcp", "dport", "65536", "drop"),
		  "dport is a port or range from 0 to 65535, like 22 or 1000-2000" },
		{ ARGV("input", "proto", "tcp", "sport", "1-", "drop"),
		  "sport is a port or range" },
		{ ARGV("input", "proto", "tcp", "sport", "-1", "drop"),
		  "sport is a port or range" },
		{ ARGV("input", "proto", "tcp", "sport", "1-2-3", "drop"),
		  "sport is a port or range" },
		{ ARGV("input", "proto", "tcp", "sport", "ssh", "drop"),
		  "sport is a port or range" },
		{ ARGV("input", "icmp-code", "0", "drop"),
		  "Error: argument \"0\" is wrong: icmp-code needs icmp-type." },
		{ ARGV("input", "proto", "icmp", "icmp-code", "0", "drop"),
		  "icmp-code needs icmp-type" },
		{ ARGV("input", "icmp-type", "8", "drop"),
		  "Error: argument \"8\" is wrong: icmp-type needs proto icmp or icmpv6." },
		{ ARGV("input", "proto", "tcp", "icmp-type", "8", "drop"),
		  "icmp-type needs proto icmp or icmpv6" },
		{ ARGV("input", "proto", "icmp", "icmp-type",
		       "neighbour-solicitation", "drop"),
		  "icmp-type is a number from 0 to 255 or one of echo-reply, destination-unreachable, echo-request, time-exceeded." },
		{ ARGV("input", "proto", "icmpv6", "icmp-type", "ping",
		       "drop"),
		  "or one of destination-unreachable, time-exceeded, echo-request, echo-reply, neighbour-solicitation, neighbour-advertisement." },
		{ ARGV("input", "proto", "icmp", "icmp-type", "256", "drop"),
		  "icmp-type is a number from 0 to 255" },
		{ ARGV("input", "proto", "icmp", "icmp-type", "8",
		       "icmp-code", "256", "drop"),
		  "icmp-code is a number from 0 to 255" },
		{ ARGV("input", "iif", "a", "iif", "b", "drop"),
		  "Error: duplicate \"iif\": \"b\" is the second value." },
		{ ARGV("input", "oif", "a", "oif", "a", "drop"),
		  "duplicate \"oif\"" },
		{ ARGV("input", "family", "ipv4", "family", "ipv4", "drop"),
		  "duplicate \"family\"" },
		{ ARGV("input", "src", "1.1.1.1", "src", "1.1.1.2", "drop"),
		  "duplicate \"src\": \"1.1.1.2\"" },
		{ ARGV("input", "dst", "::", "dst", "::", "drop"),
		  "duplicate \"dst\"" },
		{ ARGV("input", "proto", "tcp", "proto", "udp", "drop"),
		  "duplicate \"proto\"" },
		{ ARGV("input", "proto", "tcp", "sport", "1", "sport", "2",
		       "drop"), "duplicate \"sport\"" },
		{ ARGV("input", "proto", "tcp", "dport", "1", "dport", "x",
		       "drop"), "duplicate \"dport\"" },
		{ ARGV("input", "proto", "icmp", "icmp-type", "0",
		       "icmp-type", "8", "drop"), "duplicate \"icmp-type\"" },
		{ ARGV("input", "icmp-code", "0", "icmp-code", "1", "drop"),
		  "duplicate \"icmp-code\"" },
		{ ARGV("input", "iif", "a/b", "drop"), "cannot contain" },
		{ ARGV("input", "oif", "abcdefghijklmnop", "drop"),
		  "device name is too long (at most 15 bytes)" },
		{ ARGV("input", "drop", "index", "16384"),
		  "Error: argument \"16384\" is wrong: index is from 0 to 16383." },
		{ ARGV("input", "drop", "index", "-1"), "index is from 0" },
		{ ARGV("input", "drop", "index", "1", "index", "2"),
		  "duplicate \"index\"" },
		{ ARGV("input", "drop", "index"), "not complete" },
		{ ARGV("input", "ct", "status", "new", "drop"),
		  "Error: argument \"status\" is wrong: ct is followed by \"state\"." },
		{ ARGV("input", "ct"), "Command line is not complete" },
		{ ARGV("input", "ct", "state"), "Command line is not complete" },
		{ ARGV("input", "ct", "state", "new,bogus", "drop"),
		  "Error: argument \"new,bogus\" is wrong: ct state is a list of new, established, related, invalid, untracked, like established,related." },
		{ ARGV("input", "ct", "state", "Established", "drop"),
		  "ct state is a list of" },
		{ ARGV("input", "ct", "state", "new,", "drop"),
		  "ct state is a list of" },
		{ ARGV("input", "ct", "state", "new", "ct", "state", "invalid",
		       "drop"),
		  "Error: duplicate \"ct state\": \"invalid\" is the second value." },
		{ ARGV("input", "state", "new", "drop"),
		  "Error: unknown keyword \"state\", try \"wbctl rule help\"." },
		{ ARGV("input", "notrack"),
		  "Error: argument \"notrack\" is wrong: notrack is for the prerouting and output hooks only." },
		{ ARGV("forward", "proto", "udp", "notrack"),
		  "notrack is for the prerouting and output hooks only" },
		{ ARGV("postrouting", "notrack"), "notrack is for the prerouting" },
		{ ARGV("prerouting", "notrack", "drop"),
		  "duplicate \"verdict\": \"drop\"" },
		{ ARGV("output", "ct", "state", "new", "notrack"),
		  "Error: argument \"new\" is wrong: a notrack rule comes before conntrack and has no ct state." },
		{ ARGV("input", "drop", "counter"), "unknown keyword \"counter\"" },
		{ ARGV("help"), "Usage: wbctl rule add HOOK [ MATCH ]... VERDICT" },
		{ ARGV("input", "src", "1.1.1.1", "help"), "Usage: wbctl rule" },
	};
	struct nf_rule_add_req r;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		tap_is_int(add(cases[i].argv, &r, cases[i].err), 255,
			   "%s: exit status 255",
			   argv_desc("rule add", cases[i].argv));
}

static int del(char **argv, uint32_t *hook, uint32_t *id, const char *want)
{
	const char *desc = argv_desc("rule del", argv);
	int ret;

	err_start();
	ret = nf_parse_rule_del(argv_len(argv), argv, hook, id);
	err_check(desc, want);
	return ret;
}

static int hook_opt(char **argv, bool *has, uint32_t *hook, const char *want)
{
	const char *desc = argv_desc("rule list", argv);
	int ret;

	err_start();
	ret = nf_parse_hook_opt(argv_len(argv), argv, NULL, has, hook);
	err_check(desc, want);
	return ret;
}

static int policy(char **argv, uint32_t *hook, uint32_t *pol,
		  const char *want)
{
	const char *desc = argv_desc("policy set", argv);
	int ret;

	err_start();
	ret = nf_parse_policy_set(argv_len(argv), argv, hook, pol);
	err_check(desc, want);
	return ret;
}

static void test_parse_other(void)
{
	uint32_t hook, id, pol;
	bool has;

	tap_ok(!del(ARGV("input", "3"), &hook, &id, NULL) && hook == 1 &&
	       id == 3, "del HOOK ID");
	tap_ok(!del(ARGV("postrouting", "id", "4294967295"), &hook, &id,
		    NULL) && hook == 4 && id == 4294967295u, "del HOOK id ID");
	tap_is_int(del(NONE, &hook, &id, "HOOK is required"), 255,
		   "del: no HOOK");
	tap_is_int(del(ARGV("input"), &hook, &id,
		       "Error: rule ID is required, try \"wbctl rule help\"."),
		   255, "del: no ID");
	tap_is_int(del(ARGV("input", "id"), &hook, &id, "not complete"), 255,
		   "del: id without value");
	tap_is_int(del(ARGV("input", "x"), &hook, &id,
		       "Error: argument \"x\" is wrong: ID is a rule id"), 255,
		   "del: bad ID");
	tap_is_int(del(ARGV("input", "3", "4"), &hook, &id, "\"4\" is garbage"),
		   255, "del: two IDs");
	tap_is_int(del(ARGV("inpt", "3"), &hook, &id, "HOOK is one of"), 255,
		   "del: bad HOOK");
	tap_is_int(del(ARGV("input", "help"), &hook, &id, "Usage:"), 255,
		   "del: help");

	tap_ok(!hook_opt(NONE, &has, &hook, NULL) && !has, "list: all hooks");
	tap_ok(!hook_opt(ARGV("output"), &has, &hook, NULL) && has &&
	       hook == 3, "list output");
	tap_is_int(hook_opt(ARGV("out"), &has, &hook, "HOOK is one of"), 255,
		   "list: bad HOOK");
	tap_is_int(hook_opt(ARGV("input", "x"), &has, &hook,
			    "Error: either \"input\" is duplicate, or \"x\" is garbage."),
		   255, "list: two words");

	tap_ok(!policy(ARGV("input", "drop"), &hook, &pol, NULL) &&
	       hook == 1 && pol == WBNF_VERDICT_DROP, "policy input drop");
	tap_ok(!policy(ARGV("postrouting", "accept"), &hook, &pol, NULL) &&
	       hook == 4 && pol == WBNF_VERDICT_ACCEPT,
	       "policy postrouting accept");
	tap_is_int(policy(NONE, &hook, &pol,
			  "HOOK is required, try \"wbctl policy help\""),
		   255, "policy: no HOOK");
	tap_is_int(policy(ARGV("input"), &hook, &pol,
			  "Error: policy (accept or drop) is required"),
		   255, "policy: no policy");
	tap_is_int(policy(ARGV("input", "reject"), &hook, &pol,
			  "Error: argument \"reject\" is wrong: policy is \"accept\" or \"drop\"."),
		   255, "policy: reject is no policy");
	tap_is_int(policy(ARGV("input", "drop", "x"), &hook, &pol,
			  "\"x\" is garbage"), 255, "policy: extra word");
	tap_is_int(policy(ARGV("input", "help"), &hook, &pol,
			  "Usage: wbctl policy set HOOK { accept | drop }"),
		   255, "policy: help");
}

static void test_build(void)
{
	struct nf_rule_add_req r;
	char buf[NL_TX_SIZE];
	struct nlmsghdr *nlh;
	uint32_t hook = 3;
	struct tb m, n;

	add(ARGV("input", "iif", "eth0", "src", "203.0.113.51", "proto",
		 "tcp", "dport", "22", "drop", "index", "2"), &r, NULL);
	nlh = nf_build_rule_new(buf, FAMILY, &r);
	tb_msg(&m, nlh, GENL_HDRLEN);
	tb_nested(&n, m.a[WBNF_A_RULE]);
	/* strict genetlink refuses NLM_F_CREATE: ACK only */
	tap_ok(genl_is(nlh, FAMILY, WBNF_CMD_RULE_NEW, V, NLM_F_ACK),
	       "rule add: RULE_NEW, ACK (no CREATE)");
	tap_ok(m.count == 3 && attr_u32(m.a[WBNF_A_HOOK], 1) &&
	       attr_u32(m.a[WBNF_A_INDEX], 2),
	       "rule add: HOOK, INDEX and RULE at the top");
	tap_ok(n.count == 8 && attr_str(n.a[WBNF_R_IIF], "eth0") &&
	       attr_u8(n.a[WBNF_R_FAMILY], AF_INET) &&
	       attr_bin(n.a[WBNF_R_SRC], addr4, 4) &&
	       attr_u8(n.a[WBNF_R_SRC_LEN], 32) &&
	       attr_u8(n.a[WBNF_R_PROTO], 6) &&
	       attr_u16(n.a[WBNF_R_DPORT_MIN], 22) &&
	       attr_u16(n.a[WBNF_R_DPORT_MAX], 22) &&
	       attr_u32(n.a[WBNF_R_VERDICT], WBNF_VERDICT_DROP) &&
	       !n.a[WBNF_R_HOOK], "rule add: the match and VERDICT, no HOOK");

	add(ARGV("output", "dst", "2001:db8::1", "proto", "icmpv6",
		 "icmp-type", "echo-request", "icmp-code", "0", "oif", "wb+",
		 "reject"), &r, NULL);
	tb_msg(&m, nf_build_rule_new(buf, FAMILY, &r), GENL_HDRLEN);
	tb_nested(&n, m.a[WBNF_A_RULE]);
	tap_ok(m.count == 2 && attr_u32(m.a[WBNF_A_HOOK], 3) &&
	       n.count == 8 && attr_str(n.a[WBNF_R_OIF], "wb+") &&
	       attr_u8(n.a[WBNF_R_FAMILY], AF_INET6) &&
	       attr_bin(n.a[WBNF_R_DST], addr6, 16) &&
	       attr_u8(n.a[WBNF_R_DST_LEN], 128) &&
	       attr_u8(n.a[WBNF_R_PROTO], 58) &&
	       attr_u8(n.a[WBNF_R_ICMP_TYPE], 128) &&
	       attr_u8(n.a[WBNF_R_ICMP_CODE], 0) &&
	       attr_u32(n.a[WBNF_R_VERDICT], WBNF_VERDICT_REJECT),
	       "rule add IPv6: 16-byte address, icmp type and code, no INDEX");

	add(ARGV("forward", "proto", "udp", "sport", "1000-2000", "accept"),
	    &r, NULL);
	tb_msg(&m, nf_build_rule_new(buf, FAMILY, &r), GENL_HDRLEN);
	tb_nested(&n, m.a[WBNF_A_RULE]);
	tap_ok(n.count == 4 && attr_u16(n.a[WBNF_R_SPORT_MIN], 1000) &&
	       attr_u16(n.a[WBNF_R_SPORT_MAX], 2000) &&
	       !n.a[WBNF_R_FAMILY], "rule add: port range, no family");

	add(ARGV("input", "ct", "state", "related,established", "accept"),
	    &r, NULL);
	tb_msg(&m, nf_build_rule_new(buf, FAMILY, &r), GENL_HDRLEN);
	tb_nested(&n, m.a[WBNF_A_RULE]);
	tap_ok(m.count == 2 && n.count == 2 &&
	       attr_u32(n.a[WBNF_R_CT_STATE], WBNF_CT_STATE_ESTABLISHED |
					      WBNF_CT_STATE_RELATED) &&
	       attr_u32(n.a[WBNF_R_VERDICT], WBNF_VERDICT_ACCEPT),
	       "rule add ct state: WBNF_R_CT_STATE u32 mask in the rule nest");
	add(ARGV("prerouting", "proto", "udp", "notrack"), &r, NULL);
	tb_msg(&m, nf_build_rule_new(buf, FAMILY, &r), GENL_HDRLEN);
	tb_nested(&n, m.a[WBNF_A_RULE]);
	tap_ok(attr_u32(m.a[WBNF_A_HOOK], 0) && n.count == 2 &&
	       attr_u8(n.a[WBNF_R_PROTO], 17) &&
	       attr_u32(n.a[WBNF_R_VERDICT], WBNF_VERDICT_NOTRACK),
	       "rule add notrack: VERDICT 4");

	nlh = nf_build_rule_del(buf, FAMILY, 1, 7);
	tb_msg(&m, nlh, GENL_HDRLEN);
	tap_ok(genl_is(nlh, FAMILY, WBNF_CMD_RULE_DEL, V, NLM_F_ACK) &&
	       m.count == 2 && attr_u32(m.a[WBNF_A_HOOK], 1) &&
	       attr_u32(m.a[WBNF_A_RULE_ID], 7), "rule del: HOOK, RULE_ID");
	nlh = nf_build_rule_get(buf, FAMILY, NULL);
	tb_msg(&m, nlh, GENL_HDRLEN);
	tap_ok(genl_is(nlh, FAMILY, WBNF_CMD_RULE_GET, V, NLM_F_DUMP) &&
	       !m.count, "rule list: dump of all");
	nlh = nf_build_rule_get(buf, FAMILY, &hook);
	tb_msg(&m, nlh, GENL_HDRLEN);
	tap_ok(genl_is(nlh, FAMILY, WBNF_CMD_RULE_GET, V, NLM_F_DUMP) &&
	       m.count == 1 && attr_u32(m.a[WBNF_A_HOOK], 3),
	       "rule list output: dump with HOOK");
	nlh = nf_build_rule_flush(buf, FAMILY, NULL);
	tb_msg(&m, nlh, GENL_HDRLEN);
	tap_ok(genl_is(nlh, FAMILY, WBNF_CMD_RULE_FLUSH, V, NLM_F_ACK) &&
	       !m.count, "rule flush");
	tb_msg(&m, nf_build_rule_flush(buf, FAMILY, &hook), GENL_HDRLEN);
	tap_ok(m.count == 1 && attr_u32(m.a[WBNF_A_HOOK], 3),
	       "rule flush output");
	nlh = nf_build_policy_set(buf, FAMILY, 2, WBNF_VERDICT_DROP);
	tb_msg(&m, nlh, GENL_HDRLEN);
	tap_ok(genl_is(nlh, FAMILY, WBNF_CMD_POLICY_SET, V, NLM_F_ACK) &&
	       m.count == 2 && attr_u32(m.a[WBNF_A_HOOK], 2) &&
	       attr_u32(m.a[WBNF_A_POLICY], WBNF_VERDICT_DROP),
	       "policy set: HOOK, POLICY");
	nlh = nf_build_stats_get(buf, FAMILY);
	tb_msg(&m, nlh, GENL_HDRLEN);
	tap_ok(genl_is(nlh, FAMILY, WBNF_CMD_STATS_GET, V, NLM_F_DUMP) &&
	       !m.count, "stats: dump");
}

/* Every attribute at its largest fits NF_RULE_NEST_MAX. */
static void test_build_max(void)
{
	struct nf_ruleset set = { .n = 1 };
	struct nlmsghdr *nlh;
	struct nf_rule r;
	unsigned int a;
	struct tb m;

	memset(&r, 0xff, sizeof(r));
	r.has = 0;
	for (a = WBNF_R_HOOK; a <= WBNF_R_CT_STATE; a++)
		NF_SET(&r, a, 0);
	r.v[WBNF_R_FAMILY] = AF_INET6;
	strcpy(r.iif, "abcdefghijklmno");
	strcpy(r.oif, "abcdefghijklmno");
	set.rules = &r;
	nlh = nf_build_ruleset(FAMILY, &set);
	tb_msg(&m, nlh, GENL_HDRLEN);
	tap_ok(m.a[WBNF_A_RULE] &&
	       m.a[WBNF_A_RULE]->nla_len <= NF_RULE_NEST_MAX,
	       "largest rule nest, %u bytes, fits %u",
	       m.a[WBNF_A_RULE] ? m.a[WBNF_A_RULE]->nla_len : 0,
	       NF_RULE_NEST_MAX);
	free(nlh);
}

/* The example of wbctl-rule(8), made by hand as the kernel would. */
static struct nlmsghdr *fake_example(void *buf)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	nlh = fake_genl(buf, FAMILY, WBNF_CMD_RULE_GET, V);
	nest = mnl_attr_nest_start(nlh, WBNF_A_RULE);
	mnl_attr_put_u32(nlh, WBNF_R_ID, 3);
	mnl_attr_put_u32(nlh, WBNF_R_HOOK, 1);
	mnl_attr_put_u32(nlh, WBNF_R_VERDICT, WBNF_VERDICT_ACCEPT);
	mnl_attr_put_strz(nlh, WBNF_R_IIF, "eth0");
	mnl_attr_put_u8(nlh, WBNF_R_FAMILY, AF_INET);
	mnl_attr_put(nlh, WBNF_R_SRC, 4, addr4);
	mnl_attr_put_u8(nlh, WBNF_R_SRC_LEN, 32);
	mnl_attr_put_u8(nlh, WBNF_R_PROTO, 6);
	mnl_attr_put_u16(nlh, WBNF_R_DPORT_MIN, 22);
	mnl_attr_put_u16(nlh, WBNF_R_DPORT_MAX, 22);
	mnl_attr_put_u64(nlh, WBNF_R_PACKETS, 10);
	mnl_attr_put_u64(nlh, WBNF_R_BYTES, 840);
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

/* A RULE_GET reply of "rule add" words, its match made by nf_put_match(). */
static struct nlmsghdr *fake_rule(void *buf, char **words, uint32_t id)
{
	struct nf_rule_add_req req;
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	add(words, &req, NULL);
	nlh = fake_genl(buf, FAMILY, WBNF_CMD_RULE_GET, V);
	nest = mnl_attr_nest_start(nlh, WBNF_A_RULE);
	mnl_attr_put_u32(nlh, WBNF_R_ID, id);
	mnl_attr_put_u32(nlh, WBNF_R_HOOK, req.rule.v[WBNF_R_HOOK]);
	nf_put_match(nlh, &req.rule);
	mnl_attr_put_u32(nlh, WBNF_R_VERDICT, req.rule.v[WBNF_R_VERDICT]);
	mnl_attr_put_u64(nlh, WBNF_R_PACKETS, 0);
	mnl_attr_put_u64(nlh, WBNF_R_BYTES, 0);
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

static void test_reply(void)
{
	static const char * const lines[] = {
		"input id 1 drop packets 0 bytes 0\n",
		"forward id 2 iif wb+ oif eth1 family ipv6 accept packets 0 bytes 0\n",
		"output id 3 src ::/0 dst 2001:db8::/32 proto tcp sport 1024-65535 dport 443 reject packets 0 bytes 0\n",
		"prerouting id 4 proto icmpv6 icmp-type echo-reply icmp-code 0 log packets 0 bytes 0\n",
		"postrouting id 5 dst 198.51.100.0/24 proto 47 accept packets 0 bytes 0\n",
		"prerouting id 6 iif lo proto udp notrack packets 0 bytes 0\n",
		"input id 7 proto tcp dport 22 ct state new accept packets 0 bytes 0\n",
	};
	char buf[NL_TX_SIZE], copy[256], *words[32];
	struct nf_rule r;
	size_t i;
	int n;

	tap_is_int(nf_parse_rule_msg(fake_example(buf), FAMILY, &r), 0,
		   "example: parses");
	tap_is_str(rule_text(&r, false),
		   "input id 3 iif eth0 src 203.0.113.51/32 proto tcp dport 22 accept packets 10 bytes 840\n",
		   "example: text");
	tap_is_str(rule_text(&r, true),
		   "{\"hook\":\"input\",\"id\":3,\"iif\":\"eth0\","
		   "\"family\":\"ipv4\",\"src\":\"203.0.113.51/32\","
		   "\"proto\":\"tcp\",\"dport\":\"22\",\"verdict\":\"accept\","
		   "\"packets\":10,\"bytes\":840}\n", "example: JSON");

	/* Text that "rule add" takes back, less id and counters. */
	for (i = 0; i < ARRAY_SIZE(lines); i++) {
		snprintf(copy, sizeof(copy), "%s", lines[i]);
		words[0] = strtok(copy, " \n");
		for (n = 1; (words[n] = strtok(NULL, " \n")); n++)
			;
		n -= 4;		/* packets N bytes N */
		words[n] = NULL;
		memmove(words + 1, words + 3, (n - 2) * sizeof(*words));
		fake_rule(buf, words, i + 1);
		nf_parse_rule_msg((struct nlmsghdr *)buf, FAMILY, &r);
		tap_is_str(rule_text(&r, false), lines[i],
			   "round trip %zu: parse, build, print", i + 1);
	}
	tap_is_str(rule_text(&r, true),
		   "{\"hook\":\"input\",\"id\":7,\"proto\":\"tcp\","
		   "\"dport\":\"22\",\"ct_state\":[\"new\"],"
		   "\"verdict\":\"accept\",\"packets\":0,\"bytes\":0}\n",
		   "JSON: ct_state, an array");
	nf_parse_rule_msg(fake_rule(buf, ARGV("postrouting", "dst",
					      "198.51.100.0/24", "proto",
					      "47", "accept"), 5),
			  FAMILY, &r);
	tap_is_str(rule_text(&r, true),
		   "{\"hook\":\"postrouting\",\"id\":5,\"family\":\"ipv4\","
		   "\"dst\":\"198.51.100.0/24\",\"proto\":\"47\","
		   "\"verdict\":\"accept\",\"packets\":0,\"bytes\":0}\n",
		   "JSON: proto number as a string");
	nf_parse_rule_msg(fake_rule(buf, ARGV("input", "proto", "tcp",
					      "sport", "1-2", "drop"), 9),
			  FAMILY, &r);
	tap_has_str(rule_text(&r, true), "\"sport\":\"1-2\"",
		    "JSON: a port range is a string");
	nf_parse_rule_msg(fake_rule(buf, ARGV("input", "proto", "icmp",
					      "icmp-type", "echo-request",
					      "drop"), 9), FAMILY, &r);
	tap_has_str(rule_text(&r, true),
		    "\"proto\":\"icmp\",\"icmp_type\":8,\"verdict\"",
		    "JSON: icmp type as a number");
}

static void test_reply_defensive(void)
{
	char buf[NL_TX_SIZE];
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	struct nf_rule r;

	tap_is_int(nf_parse_rule_msg(fake_example(buf), FAMILY + 1, &r),
		   -EBADMSG, "another family's message");
	nlh = fake_genl(buf, FAMILY, WBNF_CMD_RULE_GET, V);
	mnl_attr_put_u32(nlh, WBNF_A_HOOK, 2);
	tap_is_int(nf_parse_rule_msg(nlh, FAMILY, &r), -EBADMSG,
		   "no rule nest");
	nest = mnl_attr_nest_start(nlh, WBNF_A_RULE);
	mnl_attr_put_u32(nlh, WBNF_R_VERDICT, WBNF_VERDICT_DROP);
	mnl_attr_put(nlh, WBNF_R_SRC, 4, addr4);
	mnl_attr_put(nlh, WBNF_R_DST, 16, addr6);
	mnl_attr_put_u8(nlh, WBNF_R_DST_LEN, 64);
	mnl_attr_put_u32(nlh, WBNF_R_PROTO, 6);
	mnl_attr_put_u8(nlh, WBNF_R_CT_STATE, 1);
	mnl_attr_put_u32(nlh, __WBNF_R_MAX + 3, 1);
	mnl_attr_nest_end(nlh, nest);
	tap_is_int(nf_parse_rule_msg(nlh, FAMILY, &r), 0,
		   "hook from the top level");
	tap_is_str(rule_text(&r, false), "forward src 203.0.113.51/32 drop\n",
		   "family from the address length, full prefix length; an address of the other family, bad sizes, unknown attributes left out");

	nlh = fake_genl(buf, FAMILY, WBNF_CMD_RULE_GET, V);
	nest = mnl_attr_nest_start(nlh, WBNF_A_RULE);
	mnl_attr_put_u32(nlh, WBNF_R_HOOK, 1);
	mnl_attr_put_u32(nlh, WBNF_R_VERDICT, WBNF_VERDICT_ACCEPT);
	mnl_attr_put_u32(nlh, WBNF_R_CT_STATE, 0x22);
	mnl_attr_nest_end(nlh, nest);
	nf_parse_rule_msg(nlh, FAMILY, &r);
	tap_is_str(rule_text(&r, false), "input ct state established accept\n",
		   "ct state: unknown bits left out");
	nlh = fake_genl(buf, FAMILY, WBNF_CMD_RULE_GET, V);
	nest = mnl_attr_nest_start(nlh, WBNF_A_RULE);
	mnl_attr_put_u32(nlh, WBNF_R_HOOK, 1);
	mnl_attr_put_u32(nlh, WBNF_R_VERDICT, 9);
	mnl_attr_put_u32(nlh, WBNF_R_CT_STATE, 0x40);
	mnl_attr_nest_end(nlh, nest);
	nf_parse_rule_msg(nlh, FAMILY, &r);
	tap_is_str(rule_text(&r, true),
		   "{\"hook\":\"input\",\"verdict\":\"unknown\"}\n",
		   "ct state of unknown bits only: no ct state; unknown verdict");

	nlh = fake_genl(buf, FAMILY, WBNF_CMD_RULE_GET, V);
	nest = mnl_attr_nest_start(nlh, WBNF_A_RULE);
	mnl_attr_put_u32(nlh, WBNF_R_VERDICT, WBNF_VERDICT_DROP);
	mnl_attr_nest_end(nlh, nest);
	tap_is_int(nf_parse_rule_msg(nlh, FAMILY, &r), -EBADMSG,
		   "a rule without a hook");
}

/* A STATS_GET reply; without packets, only HOOK and FAMILY. */
static struct nlmsghdr *fake_stats(void *buf, uint32_t hook, uint8_t af,
				   uint64_t packets, uint32_t policy)
{
	struct nlmsghdr *nlh;

	nlh = fake_genl(buf, FAMILY, WBNF_CMD_STATS_GET, V);
	mnl_attr_put_u32(nlh, WBNF_A_HOOK, hook);
	mnl_attr_put_u8(nlh, WBNF_A_FAMILY, af);
	if (!packets)
		return nlh;
	mnl_attr_put_u64(nlh, WBNF_A_PACKETS, packets);
	mnl_attr_put_u64(nlh, WBNF_A_BYTES, packets * 84);
	mnl_attr_put_u64(nlh, WBNF_A_DROPPED, packets / 2);
	mnl_attr_put_u64(nlh, WBNF_A_POLICY_PACKETS, packets - 1);
	mnl_attr_put_u32(nlh, WBNF_A_POLICY, policy);
	mnl_attr_put_u32(nlh, WBNF_A_RULES, hook * 100);
	return nlh;
}

static const char *stats_text(const struct nf_stats *v, size_t n, bool json,
			      bool policies)
{
	out_start(json);
	if (policies)
		nf_print_policies(v, n);
	else
		nf_print_stats(v, n);
	return out_end();
}

static void test_stats(void)
{
	char buf[NL_TX_SIZE];
	struct nf_stats st[5];
	int ok = 0;

	ok += !nf_parse_stats(fake_stats(buf, 1, AF_INET6, 4, 1), FAMILY,
			      &st[0]);
	ok += !nf_parse_stats(fake_stats(buf, 0, AF_INET, 12, 0), FAMILY,
			      &st[1]);
	ok += !nf_parse_stats(fake_stats(buf, 1, AF_INET, 1ULL << 40, 1),
			      FAMILY, &st[2]);
	ok += !nf_parse_stats(fake_stats(buf, 4, AF_INET, 0, 0), FAMILY,
			      &st[3]);
	tap_is_int(ok, 4, "stats: replies parse");
	tap_is_int(nf_parse_stats(fake_stats(buf, 0, AF_INET, 1, 0),
				  FAMILY + 1, &st[4]), -EBADMSG,
		   "stats: another family's message");
	nf_sort_stats(st, 4);
	tap_ok(st[0].v[WBNF_A_HOOK] == 0 && st[1].v[WBNF_A_HOOK] == 1 &&
	       st[1].v[WBNF_A_FAMILY] == AF_INET &&
	       st[2].v[WBNF_A_FAMILY] == AF_INET6 && st[3].v[WBNF_A_HOOK] == 4,
	       "stats: sorted by hook, then family");
	tap_is_str(stats_text(st, 4, false, false),
		   "hook        family      packets          bytes    dropped  policy rules\n"
		   "prerouting  ipv4             12           1008          6  accept     0\n"
		   "input       ipv4   1099511627776 92358976733184 549755813888  drop     100\n"
		   "input       ipv6              4            336          2  drop     100\n"
		   "postrouting ipv4              -              -          -  -          -\n",
		   "stats: text table, - for what is missing");
	tap_is_str(stats_text(st, 2, true, false),
		   "[{\"hook\":\"prerouting\",\"family\":\"ipv4\",\"packets\":12,"
		   "\"bytes\":1008,\"dropped\":6,\"policy_packets\":11,"
		   "\"policy\":\"accept\",\"rules\":0},"
		   "{\"hook\":\"input\",\"family\":\"ipv4\","
		   "\"packets\":1099511627776,\"bytes\":92358976733184,"
		   "\"dropped\":549755813888,"
		   "\"policy_packets\":1099511627775,\"policy\":\"drop\","
		   "\"rules\":100}]\n", "stats: JSON");
	tap_is_str(stats_text(st, 0, false, false),
		   "hook        family      packets          bytes    dropped  policy rules\n",
		   "stats: header only");
	tap_is_str(stats_text(st, 0, true, false), "[]\n", "stats: JSON []");
	tap_is_str(stats_text(st, 4, false, true),
		   "prerouting policy accept\ninput policy drop\n",
		   "policy show: one line per hook");
	tap_is_str(stats_text(st, 4, true, true),
		   "[{\"hook\":\"prerouting\",\"policy\":\"accept\"},"
		   "{\"hook\":\"input\",\"policy\":\"drop\"}]\n",
		   "policy show: JSON");
}

static int restore(const char *text, struct nf_ruleset *set,
		   const char *want)
{
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	int ret;

	err_start();
	ret = nf_parse_ruleset(fp, "rules", set);
	err_check("restore", want);
	fclose(fp);
	return ret;
}

static void test_restore(void)
{
	const char *good =
		"# a ruleset\n"
		"\n"
		"policy input drop\n"
		"input iif lo accept   # loopback\n"
		"  \tinput src 192.168.1.0/24 proto tcp dport 22 accept\r\n"
		"forward drop\n"
		"policy forward accept\n"
		"output proto icmpv6 icmp-type echo-request log";
	struct nf_ruleset set;
	struct nlmsghdr *nlh;
	const struct nlattr *a;
	struct tb t;
	int rules = 0, policies = 0, ok = 0;

	tap_is_int(restore(good, &set, NULL), 0, "restore: parses");
	tap_ok(set.n == 4 && set.rules[0].v[WBNF_R_HOOK] == 1 &&
	       streq(set.rules[0].iif, "lo") &&
	       set.rules[1].v[WBNF_R_DPORT_MIN] == 22 &&
	       set.rules[2].v[WBNF_R_HOOK] == 2 &&
	       set.rules[3].v[WBNF_R_FAMILY] == AF_INET6 &&
	       set.per_hook[1] == 2 && set.per_hook[3] == 1,
	       "restore: rules in file order, comments and CRLF ignored");
	tap_ok(set.policy[1] == WBNF_VERDICT_DROP &&
	       set.policy[2] == WBNF_VERDICT_ACCEPT &&
	       set.policy[0] == WBNF_VERDICT_ACCEPT && set.has_policy[2] &&
	       !set.has_policy[4], "restore: policies, accept by default");

	nlh = nf_build_ruleset(FAMILY, &set);
	tap_ok(genl_is(nlh, FAMILY, WBNF_CMD_RULESET_SET, V, NLM_F_ACK),
	       "ruleset: RULESET_SET, ACK");
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		tb_nested(&t, a);
		if (mnl_attr_get_type(a) == WBNF_A_RULE) {
			ok += attr_u32(t.a[WBNF_R_HOOK],
				       set.rules[rules].v[WBNF_R_HOOK]) &&
			      t.a[WBNF_R_VERDICT] && !policies;
			rules++;
		} else if (mnl_attr_get_type(a) == WBNF_A_POLICY) {
			ok += t.count == 2 &&
			      attr_u32(t.a[WBNF_A_HOOK], policies) &&
			      attr_u32(t.a[WBNF_A_POLICY],
				       set.policy[policies]);
			policies++;
		}
	}
	tap_ok(rules == 4 && policies == 5 && ok == 9,
	       "ruleset: 4 rules with their HOOK, then 5 policy nests {HOOK, POLICY}");
	free(nlh);
	nf_ruleset_free(&set);

	tap_is_int(restore("# nothing\n", &set, NULL), 0,
		   "restore: comments only");
	tap_ok(!set.n && !set.rules, "restore: an empty ruleset");
}

static void test_restore_bad(void)
{
	static const struct {
		const char *text;
		const char *err;
	} cases[] = {
		{ "input drop\nINPUT drop\n",
		  "rules:2: Error: argument \"INPUT\" is wrong: HOOK is one of" },
		{ "input drop index 0\n",
		  "rules:1: Error: unknown keyword \"index\"" },
		{ "\n\n# x\ninput src 10.0.0.1/8 drop\n",
		  "rules:4: Error: argument \"10.0.0.1/8\" is wrong: prefix has host bits set" },
		{ "input dport 22 drop\n", "rules:1: Error: argument \"22\" is wrong: dport needs proto" },
		{ "input\n", "rules:1: Error: VERDICT is required" },
		{ "input src 1.1.1.1 dst ::1 drop\n",
		  "rules:1: Error: argument \"::1\" is wrong: dst is IPv6 but src is IPv4." },
		{ "policy input drop\npolicy input accept\n",
		  "rules:2: Error: duplicate \"policy input\": \"accept\" is the second value." },
		{ "policy input reject\n",
		  "rules:1: Error: argument \"reject\" is wrong: policy is \"accept\" or \"drop\"." },
		{ "policy input\n", "rules:1: Error: policy (accept or drop) is required" },
		{ "policy\n", "rules:1: Error: HOOK is required" },
		{ "accept\n", "rules:1: Error: argument \"accept\" is wrong: HOOK is one of" },
		{ "input a b c d e f g h i j k l m n o p q r s t u v w x y z "
		  "a b c d e f g h i j k l m n o p q r s t u v w x y z "
		  "a b c d e f g h i j k l m\n",
		  "rules:1: Error: more than 64 words on a line." },
	};
	struct nf_ruleset set;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		tap_is_int(restore(cases[i].text, &set, cases[i].err), 1,
			   "restore %zu: exit status 1", i);
		tap_ok(!set.n && !set.rules, "restore %zu: nothing kept", i);
	}
	err_start();
	wb_err("Error: x.");
	tap_is_str(err_end(), "Error: x.\n",
		   "restore: later errors have no FILE:LINE");
}

/* WBNF_RULES_MAX rules on one hook, and one more. */
static void test_restore_max(void)
{
	size_t size = (WBNF_RULES_MAX + 2) * 16;
	struct nf_ruleset set;
	struct nlmsghdr *nlh;
	char *text, *p;
	int i;

	text = calloc(1, size);
	for (p = text, i = 0; i < WBNF_RULES_MAX; i++)
		p += sprintf(p, "input drop\n");
	p += sprintf(p, "output drop\n");
	tap_is_int(restore(text, &set, NULL), 0, "restore: 16384 rules");
	tap_ok(set.n == WBNF_RULES_MAX + 1 &&
	       set.per_hook[1] == WBNF_RULES_MAX, "restore: all kept");
	nlh = nf_build_ruleset(FAMILY, &set);
	tap_ok(nlh && nlh->nlmsg_len > WBNF_RULES_MAX * 20u,
	       "ruleset: %u bytes in one message",
	       nlh ? nlh->nlmsg_len : 0);
	free(nlh);
	nf_ruleset_free(&set);
	sprintf(p, "input drop\n");
	tap_is_int(restore(text, &set,
			   "rules:16386: Error: more than 16384 rules on hook input."),
		   1, "restore: one rule too many");
	free(text);
}

void test_rule(void)
{
	tap_case("rule: names");
	test_names();
	tap_case("rule: parse_match");
	test_parse_match();
	tap_case("rule: parse_bad");
	test_parse_bad();
	tap_case("rule: parse_other");
	test_parse_other();
	tap_case("rule: build");
	test_build();
	tap_case("rule: build_max");
	test_build_max();
	tap_case("rule: reply");
	test_reply();
	tap_case("rule: reply_defensive");
	test_reply_defensive();
	tap_case("rule: stats");
	test_stats();
	tap_case("rule: restore");
	test_restore();
	tap_case("rule: restore_bad");
	test_restore_bad();
	tap_case("rule: restore_max");
	test_restore_max();
	helpers_free();
}
