/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wbctl rule, policy, stats, trace, ct and monitor: the "wbnf" generic
 * netlink family of wirebox_nf.
 *
 * As for nic, parsing (argv or a ruleset file -> struct), message
 * building (struct -> nlmsghdr) and reply parsing and printing (nlmsghdr
 * -> struct -> text or JSON) are pure functions that the unit tests run
 * without a socket.
 *
 *	nf.c		names, addresses, common arguments, messages, socket
 *	match.c		the match that rules and the trace selection share
 *	rule.c		wbctl rule: arguments, ruleset files, commands
 *	policy.c	wbctl policy, wbctl stats
 *	rule_msg.c	their requests, replies and printing
 *	trace.c		wbctl trace
 *	trace_msg.c	its requests, replies, events and printing
 *	ct.c		wbctl ct: arguments (filters, tuples, settings),
 *			commands
 *	ct_msg.c	its requests, replies, events and printing
 *	monitor.c	wbctl monitor: trace and conntrack events
 */
#ifndef WBCTL_NF_H
#define WBCTL_NF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/if.h>
#include <linux/wirebox.h>
#include <libmnl/libmnl.h>

#include "nl.h"

#define NF_MODULE	"wirebox_nf"
#define NF_ADDR_LEN	16	/* an IPv6 address; IPv4 uses the first 4 */
#define NF_ADDRSTRLEN	52	/* INET6_ADDRSTRLEN and "/128" */
/*
 * Most bytes one WBNF_A_RULE nest takes, 188: the nest 4, HOOK, VERDICT
 * 8 each, IIF and OIF 20 each, FAMILY 8, SRC, DST 20 each and their
 * lengths 8 each, PROTO 8, four ports 8 each, ICMP type and code 8 each,
 * CT_STATE 8.
 */
#define NF_RULE_NEST_MAX	192
/* "new,established,related,invalid,untracked" and its NUL */
#define NF_CT_STATESTRLEN	48

/* Usage text shared by the objects. */
#define NF_USAGE_HOOK \
	"where  HOOK := { prerouting | input | forward | output | postrouting }"
#define NF_USAGE_MATCH(lead) \
	lead "MATCH := { iif | oif } IFNAME[+] | { src | dst } PREFIX |\n" \
	"                family { ipv4 | ipv6 } | proto PROTO |\n" \
	"                { sport | dport } PORT[-PORT] |\n" \
	"                icmp-type TYPE | icmp-code CODE |\n" \
	"                ct state CTSTATE[,CTSTATE]...\n" \
	"       PREFIX := IPv4 or IPv6 ADDRESS[/LEN]\n" \
	"       PROTO := { tcp | udp | icmp | icmpv6 | sctp | udplite | NUMBER }\n" \
	"       TYPE := { NUMBER | echo-request | echo-reply | ... }\n" \
	"       CTSTATE := { new | established | related | invalid | untracked }"

/*
 * A rule, or a trace selection (match attributes only): bit n of has says
 * that WBNF_R_n is set (given, or present and valid in a reply); v[n]
 * holds its value whatever its width.  Strings and addresses have their
 * own fields.  A known family is always in FAMILY, also when only an
 * address or proto icmp/icmpv6 implied it.
 */
struct nf_rule {
	uint64_t has;
	uint64_t v[WBNF_R_MAX + 1];
	char iif[IFNAMSIZ];
	char oif[IFNAMSIZ];
	uint8_t src[NF_ADDR_LEN];
	uint8_t dst[NF_ADDR_LEN];
};

#define NF_BIT(attr)		(1ULL << (attr))
#define NF_HAS(x, attr)		(((x)->has >> (attr)) & 1)
#define NF_SET(x, attr, val)	((x)->has |= NF_BIT(attr), (x)->v[attr] = (val))

_Static_assert(WBNF_R_MAX < 64 && WBNF_A_MAX < 64 && WBNF_T_MAX < 64 &&
	       WBNF_CT_MAX < 64 && WBNF_TUPLE_MAX < 64 && WBNF_CTS_MAX < 64 &&
	       WBNF_CTC_MAX < 64, "has bits");

/* What the match keywords said, for checks and error messages. */
struct nf_match_ctx {
	const char *word[WBNF_R_MAX + 1];	/* the value given, by attr */
	char family_by[32];	/* what fixed the family: "src", ... */
};

/* wbctl rule add HOOK [MATCH]... VERDICT [index N] */
struct nf_rule_add_req {
	struct nf_rule rule;	/* with HOOK and VERDICT */
	bool has_index;
	uint32_t index;
};

/* A ruleset file, for WBNF_CMD_RULESET_SET. */
struct nf_ruleset {
	struct nf_rule *rules;	/* in file order, each with its HOOK */
	size_t n;
	size_t cap;
	unsigned int per_hook[WBNF_HOOKS];
	bool has_policy[WBNF_HOOKS];
	uint32_t policy[WBNF_HOOKS];	/* WBNF_VERDICT_ACCEPT unless set */
};

/* One STATS_GET reply, one hook and family: has/v by WBNF_A_*. */
struct nf_stats {
	uint64_t has;
	uint64_t v[WBNF_A_MAX + 1];
};

/* TRACE_SET request or TRACE_GET reply: TRACE_ON, TRACE_RATE, MATCH. */
struct nf_trace_cfg {
	uint64_t has;
	uint64_t v[WBNF_A_MAX + 1];
	struct nf_rule match;	/* when has WBNF_A_TRACE_MATCH */
};

/* One TRACE event: has/v by WBNF_T_*. */
struct nf_event {
	uint64_t has;
	uint64_t v[WBNF_T_MAX + 1];
	char iif[IFNAMSIZ];
	char oif[IFNAMSIZ];
	uint8_t src[NF_ADDR_LEN];
	uint8_t dst[NF_ADDR_LEN];
};

/* One direction's tuple of a conntrack entry: has/v by WBNF_TUPLE_*. */
struct nf_tuple {
	uint64_t has;
	uint64_t v[WBNF_TUPLE_MAX + 1];
	uint8_t src[NF_ADDR_LEN];
	uint8_t dst[NF_ADDR_LEN];
};

/*
 * A conntrack entry (CT_GET reply, CT_EVENT), has/v by WBNF_CT_*, and its
 * two tuples.  The same struct says what "ct" commands ask for:
 *  - a filter (list, flush): FAMILY, PROTO, TCP_STATE, STATUS, and SRC
 *    or DST of ORIG;
 *  - a key (get, delete): ID, or ORIG with SRC, DST, PROTO and the
 *    protocol's fields.
 * A known family is always in FAMILY, also when only an address or proto
 * icmp/icmpv6 implied it.
 */
struct nf_ct {
	uint64_t has;
	uint64_t v[WBNF_CT_MAX + 1];
	struct nf_tuple orig;
	struct nf_tuple reply;
	uint32_t event;		/* enum wbnf_ct_event; 0: not an event */
};

/* A CT_STATS_GET reply: has/v by WBNF_CTS_*. */
struct nf_ct_stats {
	uint64_t has;
	uint64_t v[WBNF_CTS_MAX + 1];
};

/* A CT_CONFIG_GET reply or CT_CONFIG_SET request: has/v by WBNF_CTC_*. */
struct nf_ct_config {
	uint64_t has;
	uint64_t v[WBNF_CTC_MAX + 1];
};

/* nf.c */
const char *nf_hook_name(uint64_t hook);
const char *nf_verdict_name(uint64_t verdict);
const char *nf_family_name(uint64_t family);
const char *nf_ct_state_name(unsigned int bit);
const char *nf_format_ct_states(char *buf, size_t size, uint64_t mask);
int nf_parse_ct_states(const char *str, uint32_t *mask);
int nf_parse_hook(const char *str, uint32_t *hook);
int nf_parse_verdict(const char *str, uint32_t *verdict);
const char *nf_upper(char *buf, size_t size, const char *str);
int nf_addr_len(uint64_t family);
void nf_format_addr(char *buf, size_t size, uint64_t family,
		    const uint8_t *addr, int len);
bool nf_get_addr(const struct nlattr *attr, uint64_t *family,
		 uint8_t *addr);
int nf_need(const char *what, const char *help);
int nf_unknown(const char *word, const char *help);
int nf_hook_arg(const char *str, uint32_t *hook);
int nf_parse_hook_opt(int argc, char **argv, int (*usage)(void),
		      bool *has_hook, uint32_t *hook);
int nf_no_args(int argc, char **argv, const char *cmd, int (*usage)(void));
struct nlmsghdr *nf_msg(void *buf, uint16_t family, uint8_t cmd,
			uint16_t flags);
int nf_msg_tb(const struct nlmsghdr *nlh, uint16_t family,
	      const struct nlattr **tb, uint64_t *has, uint64_t *v);
int nf_connect(struct nl_sock *nl, uint16_t *family);

/* match.c */
const char *nf_proto_str(char *buf, size_t size, uint64_t proto, bool log);
const char *nf_icmp_type_name(uint64_t proto, uint64_t type);
uint8_t nf_parse_addr(const char *str, uint8_t *addr);
int nf_icmp_type_arg(const char *str, uint8_t proto, uint32_t *type);
int nf_parse_match(char ***argvp, int *argcp, struct nf_rule *r,
		   struct nf_match_ctx *ctx);
int nf_check_match(struct nf_rule *r, const struct nf_match_ctx *ctx);
void nf_put_match(struct nlmsghdr *nlh, const struct nf_rule *r);
void nf_parse_rule_nest(const struct nlattr *nest, struct nf_rule *r);
void nf_print_match(const struct nf_rule *r);

/* rule.c */
int nf_parse_rule_add(int argc, char **argv, struct nf_rule_add_req *req);
int nf_parse_rule_del(int argc, char **argv, uint32_t *hook, uint32_t *id);
int nf_parse_ruleset(FILE *fp, const char *name, struct nf_ruleset *set);
void nf_ruleset_free(struct nf_ruleset *set);

/* policy.c */
int nf_parse_policy_set(int argc, char **argv, uint32_t *hook,
			uint32_t *policy);

/* rule_msg.c */
struct nlmsghdr *nf_build_rule_new(void *buf, uint16_t family,
				   const struct nf_rule_add_req *req);
struct nlmsghdr *nf_build_rule_del(void *buf, uint16_t family,
				   uint32_t hook, uint32_t id);
struct nlmsghdr *nf_build_rule_get(void *buf, uint16_t family,
				   const uint32_t *hook);
struct nlmsghdr *nf_build_rule_flush(void *buf, uint16_t family,
				     const uint32_t *hook);
struct nlmsghdr *nf_build_ruleset(uint16_t family,
				  const struct nf_ruleset *set);
struct nlmsghdr *nf_build_policy_set(void *buf, uint16_t family,
				     uint32_t hook, uint32_t policy);
struct nlmsghdr *nf_build_stats_get(void *buf, uint16_t family);
int nf_parse_rule_msg(const struct nlmsghdr *nlh, uint16_t family,
		      struct nf_rule *r);
void nf_print_rule(const struct nf_rule *r);
int nf_parse_stats(const struct nlmsghdr *nlh, uint16_t family,
		   struct nf_stats *st);
void nf_sort_stats(struct nf_stats *v, size_t n);
void nf_print_stats(const struct nf_stats *v, size_t n);
void nf_print_policies(const struct nf_stats *v, size_t n);

/* trace.c */
int nf_parse_trace_on(int argc, char **argv, struct nf_trace_cfg *cfg);

/* trace_msg.c */
struct nlmsghdr *nf_build_trace_set(void *buf, uint16_t family,
				    const struct nf_trace_cfg *cfg);
struct nlmsghdr *nf_build_trace_get(void *buf, uint16_t family);
int nf_parse_trace_cfg(const struct nlmsghdr *nlh, uint16_t family,
		       struct nf_trace_cfg *cfg);
void nf_print_trace_cfg(const struct nf_trace_cfg *cfg);
int nf_parse_event(const struct nlmsghdr *nlh, uint16_t family,
		   struct nf_event *ev);
void nf_print_event(const struct nf_event *ev);

/* ct.c */
int nf_parse_ct_filter(int argc, char **argv, struct nf_ct *filter);
int nf_parse_ct_key(int argc, char **argv, struct nf_ct *key);
int nf_parse_ct_config_set(int argc, char **argv, struct nf_ct_config *cfg);

/* ct_msg.c */
const char *nf_ct_proto_name(uint64_t proto);
int nf_parse_ct_proto(const char *str, uint32_t *proto);
const char *nf_tcp_state_name(uint64_t state);
int nf_parse_tcp_state(const char *str, uint32_t *state);
const char *nf_ct_config_name(unsigned int attr);
int nf_parse_ct_config_name(const char *str, unsigned int *attr);
struct nlmsghdr *nf_build_ct_dump(void *buf, uint16_t family,
				  const struct nf_ct *filter);
struct nlmsghdr *nf_build_ct_get(void *buf, uint16_t family,
				 const struct nf_ct *key);
struct nlmsghdr *nf_build_ct_del(void *buf, uint16_t family,
				 const struct nf_ct *key);
struct nlmsghdr *nf_build_ct_flush(void *buf, uint16_t family,
				   const struct nf_ct *filter);
struct nlmsghdr *nf_build_ct_stats_get(void *buf, uint16_t family);
struct nlmsghdr *nf_build_ct_config_get(void *buf, uint16_t family);
struct nlmsghdr *nf_build_ct_config_set(void *buf, uint16_t family,
					const struct nf_ct_config *cfg);
int nf_parse_ct_msg(const struct nlmsghdr *nlh, uint16_t family,
		    struct nf_ct *ct);
int nf_parse_ct_event(const struct nlmsghdr *nlh, uint16_t family,
		      struct nf_ct *ct);
void nf_print_ct(const struct nf_ct *ct);
void nf_print_ct_list(const struct nf_ct *v, size_t n);
int nf_parse_ct_stats(const struct nlmsghdr *nlh, uint16_t family,
		      struct nf_ct_stats *st);
void nf_print_ct_count(const struct nf_ct_stats *st);
void nf_print_ct_stats(const struct nf_ct_stats *st);
int nf_parse_ct_config(const struct nlmsghdr *nlh, uint16_t family,
		       struct nf_ct_config *cfg);
void nf_print_ct_config(const struct nf_ct_config *cfg);

/* monitor.c */
int nf_monitor_print(const struct nlmsghdr *nlh, uint16_t family);

#endif /* WBCTL_NF_H */
