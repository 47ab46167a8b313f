// SPDX-License-Identifier: GPL-2.0
/*
 * wbctl trace and monitor: build the trace selection's requests, parse
 * and print its replies and the TRACE events of the "trace" group.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/wirebox.h>

#include "genl.h"
#include "nf.h"
#include "print.h"
#include "utils.h"

/* ---- the trace selection ---- */

/* TRACE_SET TRACE_ON [TRACE_MATCH { match }] [TRACE_RATE] */
struct nlmsghdr *nf_build_trace_set(void *buf, uint16_t family,
				    const struct nf_trace_cfg *cfg)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	nlh = nf_msg(buf, family, WBNF_CMD_TRACE_SET, NLM_F_ACK);
	mnl_attr_put_u8(nlh, WBNF_A_TRACE_ON, cfg->v[WBNF_A_TRACE_ON]);
	if (NF_HAS(cfg, WBNF_A_TRACE_MATCH)) {
		nest = mnl_attr_nest_start(nlh, WBNF_A_TRACE_MATCH);
		nf_put_match(nlh, &cfg->match);
		mnl_attr_nest_end(nlh, nest);
	}
	if (NF_HAS(cfg, WBNF_A_TRACE_RATE))
		mnl_attr_put_u32(nlh, WBNF_A_TRACE_RATE,
				 cfg->v[WBNF_A_TRACE_RATE]);
	return nlh;
}

struct nlmsghdr *nf_build_trace_get(void *buf, uint16_t family)
{
	return nf_msg(buf, family, WBNF_CMD_TRACE_GET, NLM_F_ACK);
}

/* A TRACE_GET reply; 0 or -EBADMSG (another family's, no TRACE_ON). */
int nf_parse_trace_cfg(const struct nlmsghdr *nlh, uint16_t family,
		       struct nf_trace_cfg *cfg)
{
	const struct nlattr *tb[WBNF_A_MAX + 1];

	memset(cfg, 0, sizeof(*cfg));
	if (nf_msg_tb(nlh, family, tb, &cfg->has, cfg->v) ||
	    !tb[WBNF_A_TRACE_ON])
		return -EBADMSG;
	if (tb[WBNF_A_TRACE_MATCH])
		nf_parse_rule_nest(tb[WBNF_A_TRACE_MATCH], &cfg->match);
	return 0;
}

/*
 * Text "trace on rate 10/s src 10.0.0.1/32 proto icmp" or "trace off";
 * JSON {"trace":true,"rate":10,"match":{...}} or {"trace":false}.
 */
void nf_print_trace_cfg(const struct nf_trace_cfg *cfg)
{
	bool on = cfg->v[WBNF_A_TRACE_ON];

	print_open_object(NULL);
	print_on_off(PRINT_ANY, "trace", "trace %s", on);
	if (on && NF_HAS(cfg, WBNF_A_TRACE_RATE))
		print_u64(PRINT_ANY, "rate", " rate %" PRIu64 "/s",
			  cfg->v[WBNF_A_TRACE_RATE]);
	if (on && NF_HAS(cfg, WBNF_A_TRACE_MATCH)) {
		print_open_object("match");
		nf_print_match(&cfg->match);
		print_close_object();
	}
	print_close_object();
	print_nl();
}

/* ---- events ---- */

static const enum mnl_attr_data_type nf_trace_types[WBNF_T_MAX + 1] = {
	[WBNF_T_ID]		= MNL_TYPE_U32,
	[WBNF_T_HOOK]		= MNL_TYPE_U32,
	[WBNF_T_FAMILY]		= MNL_TYPE_U8,
	[WBNF_T_IIF]		= MNL_TYPE_NUL_STRING,
	[WBNF_T_OIF]		= MNL_TYPE_NUL_STRING,
	[WBNF_T_SRC]		= MNL_TYPE_BINARY,
	[WBNF_T_DST]		= MNL_TYPE_BINARY,
	[WBNF_T_LEN]		= MNL_TYPE_U32,
	[WBNF_T_TTL]		= MNL_TYPE_U8,
	[WBNF_T_PROTO]		= MNL_TYPE_U8,
	[WBNF_T_SPORT]		= MNL_TYPE_U16,
	[WBNF_T_DPORT]		= MNL_TYPE_U16,
	[WBNF_T_ICMP_TYPE]	= MNL_TYPE_U8,
	[WBNF_T_ICMP_CODE]	= MNL_TYPE_U8,
	[WBNF_T_VERDICT]	= MNL_TYPE_U32,
	[WBNF_T_RULE_ID]	= MNL_TYPE_U32,
	[WBNF_T_TCP_FLAGS]	= MNL_TYPE_U8,
	[WBNF_T_ICMP_ID]	= MNL_TYPE_U16,
	[WBNF_T_ICMP_SEQ]	= MNL_TYPE_U16,
	[WBNF_T_NETNS]		= MNL_TYPE_U32,
	[WBNF_T_CT_STATE]	= MNL_TYPE_U32,
	[WBNF_T_CT_ID]		= MNL_TYPE_U32,
	[WBNF_T_CT_DIR]		= MNL_TYPE_U8,
};

static void nf_event_addr(struct nf_event *ev, const struct nlattr *attr,
			  unsigned int a, uint8_t *addr)
{
	if (!attr)
		return;
	if (nf_get_addr(attr, &ev->v[WBNF_T_FAMILY], addr))
		ev->has |= NF_BIT(WBNF_T_FAMILY);
	else
		ev->has &= ~NF_BIT(a);
}

/*
 * A TRACE event: WBNF_A_TRACE { WBNF_T_* } into *ev; attributes that are
 * unknown or fail validation are left out.  Returns 0 or -EBADMSG for a
 * message of another family or command, or without WBNF_A_TRACE.
 */
int nf_parse_event(const struct nlmsghdr *nlh, uint16_t family,
		   struct nf_event *ev)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[WBNF_A_MAX + 1];
	const struct nlattr *t[WBNF_T_MAX + 1];

	memset(ev, 0, sizeof(*ev));
	if (nf_msg_tb(nlh, family, tb, NULL, NULL) ||
	    g->cmd != WBNF_CMD_TRACE || !tb[WBNF_A_TRACE])
		return -EBADMSG;
	genl_nest_tb(tb[WBNF_A_TRACE], nf_trace_types, WBNF_T_MAX, t);
	ev->has = genl_tb_values(t, nf_trace_types, WBNF_T_MAX, ev->v);
	if (t[WBNF_T_IIF])
		snprintf(ev->iif, sizeof(ev->iif), "%s",
			 mnl_attr_get_str(t[WBNF_T_IIF]));
	if (t[WBNF_T_OIF])
		snprintf(ev->oif, sizeof(ev->oif), "%s",
			 mnl_attr_get_str(t[WBNF_T_OIF]));
	nf_event_addr(ev, t[WBNF_T_SRC], WBNF_T_SRC, ev->src);
	nf_event_addr(ev, t[WBNF_T_DST], WBNF_T_DST, ev->dst);
	return 0;
}

/* A name: lower case in JSON, in capitals in the text (fmt). */
static void nf_print_upper(const char *key, const char *fmt,
			   const char *name)
{
	char up[NF_CT_STATESTRLEN];

	print_string(PRINT_JSON, key, NULL, name);
	print_string(PRINT_FP, NULL, fmt, nf_upper(up, sizeof(up), name));
}

static void nf_event_num(const struct nf_event *ev, unsigned int a,
			 const char *key, const char *fmt)
{
	if (NF_HAS(ev, a))
		print_u64(PRINT_ANY, key, fmt, ev->v[a]);
}

/* Text: "IN=NAME", "IN=" when absent; JSON: only when present. */
static void nf_event_ifname(const struct nf_event *ev, unsigned int a,
			    const char *name, const char *key,
			    const char *fmt)
{
	print_string(PRINT_FP, NULL, fmt, NF_HAS(ev, a) ? name : "");
	if (NF_HAS(ev, a))
		print_string(PRINT_JSON, key, NULL, name);
}

static void nf_event_addr_print(const struct nf_event *ev, unsigned int a,
				const uint8_t *addr, const char *key,
				const char *fmt)
{
	char buf[NF_ADDRSTRLEN];

	if (!NF_HAS(ev, a))
		return;
	nf_format_addr(buf, sizeof(buf), ev->v[WBNF_T_FAMILY], addr, -1);
	print_string(PRINT_ANY, key, fmt, buf);
}

/* WBNF_T_TCP_FLAGS bit n */
static const char * const nf_tcp_flags[8] = {
	"fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr",
};

/* The set flags in iptables LOG's order: CWR ECE URG ACK PSH RST SYN FIN. */
static void nf_print_tcp_flags(uint64_t flags)
{
	int bit;

	print_open_array("tcp_flags");
	for (bit = 7; bit >= 0; bit--)
		if ((flags >> bit) & 1)
			nf_print_upper(NULL, " %s", nf_tcp_flags[bit]);
	print_close_array();
}

static void nf_event_proto(const struct nf_event *ev)
{
	uint64_t proto = ev->v[WBNF_T_PROTO];
	char buf[8];

	if (!NF_HAS(ev, WBNF_T_PROTO))
		return;
	print_string(PRINT_JSON, "proto", NULL,
		     nf_proto_str(buf, sizeof(buf), proto, false));
	print_string(PRINT_FP, NULL, " PROTO=%s",
		     nf_proto_str(buf, sizeof(buf), proto, true));
}

static const char *nf_ct_dir_name(uint64_t dir)
{
	if (dir == WBNF_CT_DIR_ORIGINAL)
		return "original";
	return dir == WBNF_CT_DIR_REPLY ? "reply" : "unknown";
}

/*
 * The packet's conntrack state, entry and direction, as far as the kernel
 * sent them: text " CT=ESTABLISHED CTID=17 CTDIR=REPLY" as the kernel log
 * writes them, JSON "ct_state", "ct_id", "ct_dir" in lower case.
 */
static void nf_event_ct(const struct nf_event *ev)
{
	char buf[NF_CT_STATESTRLEN];

	if (NF_HAS(ev, WBNF_T_CT_STATE))
		nf_print_upper("ct_state", " CT=%s",
			       nf_format_ct_states(buf, sizeof(buf),
						   ev->v[WBNF_T_CT_STATE]));
	nf_event_num(ev, WBNF_T_CT_ID, "ct_id", " CTID=%" PRIu64);
	if (NF_HAS(ev, WBNF_T_CT_DIR))
		nf_print_upper("ct_dir", " CTDIR=%s",
			       nf_ct_dir_name(ev->v[WBNF_T_CT_DIR]));
}

/*
 * The kernel's log line without "wirebox: " and NS=, the packet's id
 * first, fields as iptables' LOG target writes them, then conntrack's:
 *	id 1a2b3c4d PREROUTING IN=wbn1 OUT= SRC=10.0.0.1 DST=10.0.0.2
 *	    LEN=84 TTL=64 PROTO=ICMP TYPE=8 CODE=0 ID=5 SEQ=1
 *	    CT=ESTABLISHED CTID=17 CTDIR=REPLY VERDICT=ACCEPT RULE=-
 * JSON: one object, lower case names, "rule": null for the policy.
 */
void nf_print_event(const struct nf_event *ev)
{
	bool v6 = ev->v[WBNF_T_FAMILY] == AF_INET6;
	char id[16];

	print_open_object(NULL);
	snprintf(id, sizeof(id), "%08" PRIx64, ev->v[WBNF_T_ID]);
	print_string(PRINT_ANY, "id", "id %s", id);
	nf_print_upper("hook", " %s", nf_hook_name(ev->v[WBNF_T_HOOK]));
	if (NF_HAS(ev, WBNF_T_FAMILY))
		print_string(PRINT_JSON, "family", NULL,
			     nf_family_name(ev->v[WBNF_T_FAMILY]));
	nf_event_ifname(ev, WBNF_T_IIF, ev->iif, "iif", " IN=%s");
	nf_event_ifname(ev, WBNF_T_OIF, ev->oif, "oif", " OUT=%s");
	nf_event_addr_print(ev, WBNF_T_SRC, ev->src, "src", " SRC=%s");
	nf_event_addr_print(ev, WBNF_T_DST, ev->dst, "dst", " DST=%s");
	nf_event_num(ev, WBNF_T_LEN, "len", " LEN=%" PRIu64);
	nf_event_num(ev, WBNF_T_TTL, v6 ? "hoplimit" : "ttl",
		     v6 ? " HOPLIMIT=%" PRIu64 : " TTL=%" PRIu64);
	nf_event_proto(ev);
	nf_event_num(ev, WBNF_T_SPORT, "sport", " SPT=%" PRIu64);
	nf_event_num(ev, WBNF_T_DPORT, "dport", " DPT=%" PRIu64);
	if (NF_HAS(ev, WBNF_T_TCP_FLAGS))
		nf_print_tcp_flags(ev->v[WBNF_T_TCP_FLAGS]);
	nf_event_num(ev, WBNF_T_ICMP_TYPE, "icmp_type", " TYPE=%" PRIu64);
	nf_event_num(ev, WBNF_T_ICMP_CODE, "icmp_code", " CODE=%" PRIu64);
	nf_event_num(ev, WBNF_T_ICMP_ID, "icmp_id", " ID=%" PRIu64);
	nf_event_num(ev, WBNF_T_ICMP_SEQ, "icmp_seq", " SEQ=%" PRIu64);
	nf_event_ct(ev);
	if (NF_HAS(ev, WBNF_T_VERDICT))
		nf_print_upper("verdict", " VERDICT=%s",
			       nf_verdict_name(ev->v[WBNF_T_VERDICT]));
	if (NF_HAS(ev, WBNF_T_RULE_ID))
		print_u64(PRINT_ANY, "rule", " RULE=%" PRIu64,
			  ev->v[WBNF_T_RULE_ID]);
	else
		print_null(PRINT_ANY, "rule", " RULE=%s", "-");
	nf_event_num(ev, WBNF_T_NETNS, "netns", NULL);
	print_close_object();
	print_nl();
}
