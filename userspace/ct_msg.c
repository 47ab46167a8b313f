// SPDX-License-Identifier: GPL-2.0
/*
 * wbctl ct: build the conntrack requests of "wbnf", parse and print the
 * entries, events, counters and settings the kernel sends back, in the
 * style of conntrack(8).
 */
#include <errno.h>
#include <inttypes.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/wirebox.h>

#include "genl.h"
#include "nf.h"
#include "print.h"
#include "utils.h"

/* ---- names ---- */

/* What conntrack calls them (libnetfilter_conntrack's proto2str). */
static const struct {
	uint8_t num;
	const char *name;
} nf_ct_protos[] = {
	{ IPPROTO_TCP,		"tcp" },
	{ IPPROTO_UDP,		"udp" },
	{ IPPROTO_UDPLITE,	"udplite" },
	{ IPPROTO_ICMP,		"icmp" },
	{ IPPROTO_ICMPV6,	"icmpv6" },
	{ IPPROTO_SCTP,		"sctp" },
	{ IPPROTO_GRE,		"gre" },
	{ IPPROTO_DCCP,		"dccp" },
};

/* enum wbnf_tcp_state, as conntrack prints them */
static const char * const nf_tcp_states[] = {
	[WBNF_TCP_NONE]		= "NONE",
	[WBNF_TCP_SYN_SENT]	= "SYN_SENT",
	[WBNF_TCP_SYN_RECV]	= "SYN_RECV",
	[WBNF_TCP_ESTABLISHED]	= "ESTABLISHED",
	[WBNF_TCP_FIN_WAIT]	= "FIN_WAIT",
	[WBNF_TCP_CLOSE_WAIT]	= "CLOSE_WAIT",
	[WBNF_TCP_LAST_ACK]	= "LAST_ACK",
	[WBNF_TCP_TIME_WAIT]	= "TIME_WAIT",
	[WBNF_TCP_CLOSE]	= "CLOSE",
	[WBNF_TCP_SYN_SENT2]	= "SYN_SENT2",
};

_Static_assert(ARRAY_SIZE(nf_tcp_states) == __WBNF_TCP_MAX,
	       "a name for each TCP state");

/* WBNF_CT_F_* bit n, for JSON */
static const char * const nf_ct_flags[] = {
	"SEEN_REPLY", "ASSURED", "CONFIRMED", "DYING",
};

/* Settings: "max" and "hashsize", then the timeouts by their sysctl. */
static const char * const nf_ct_config_names[WBNF_CTC_MAX + 1] = {
	[WBNF_CTC_ENTRIES_MAX]		= "max",
	[WBNF_CTC_HASHSIZE]		= "hashsize",
	[WBNF_CTC_TCP_SYN_SENT]		= "tcp_syn_sent",
	[WBNF_CTC_TCP_SYN_RECV]		= "tcp_syn_recv",
	[WBNF_CTC_TCP_ESTABLISHED]	= "tcp_established",
	[WBNF_CTC_TCP_FIN_WAIT]		= "tcp_fin_wait",
	[WBNF_CTC_TCP_CLOSE_WAIT]	= "tcp_close_wait",
	[WBNF_CTC_TCP_LAST_ACK]		= "tcp_last_ack",
	[WBNF_CTC_TCP_TIME_WAIT]	= "tcp_time_wait",
	[WBNF_CTC_TCP_CLOSE]		= "tcp_close",
	[WBNF_CTC_UDP]			= "udp",
	[WBNF_CTC_UDP_STREAM]		= "udp_stream",
	[WBNF_CTC_ICMP]			= "icmp",
	[WBNF_CTC_GENERIC]		= "generic",
};

/* Counters, in the order of "conntrack -S"; keys of text and JSON. */
static const struct {
	unsigned int attr;
	const char *key;
} nf_ct_counters[] = {
	{ WBNF_CTS_COUNT,		"count" },
	{ WBNF_CTS_ENTRIES_MAX,		"max" },
	{ WBNF_CTS_FOUND,		"found" },
	{ WBNF_CTS_NEW,			"new" },
	{ WBNF_CTS_INVALID,		"invalid" },
	{ WBNF_CTS_INSERT,		"insert" },
	{ WBNF_CTS_INSERT_FAILED,	"insert_failed" },
	{ WBNF_CTS_DROP,		"drop" },
	{ WBNF_CTS_EARLY_DROP,		"early_drop" },
	{ WBNF_CTS_SEARCH_RESTART,	"search_restart" },
	{ WBNF_CTS_UNTRACKED,		"untracked" },
};

/*
 * conntrack's name of the protocol, else the system's (getprotobynumber),
 * else "unknown" as conntrack prints it.
 */
const char *nf_ct_proto_name(uint64_t proto)
{
	const struct protoent *pe;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(nf_ct_protos); i++)
		if (nf_ct_protos[i].num == proto)
			return nf_ct_protos[i].name;
	pe = proto < 256 ? getprotobynumber(proto) : NULL;
	return pe ? pe->p_name : "unknown";
}

/*
 * PROTO: conntrack's name, a number from 0 to 255, or a name the system
 * knows (getprotobyname, /etc/protocols).  0 or -EINVAL.
 */
int nf_parse_ct_proto(const char *str, uint32_t *proto)
{
	const struct protoent *pe;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(nf_ct_protos); i++) {
		if (!strcmp(str, nf_ct_protos[i].name)) {
			*proto = nf_ct_protos[i].num;
			return 0;
		}
	}
	if (!wb_parse_u32(str, 0, 255, proto))
		return 0;
	pe = getprotobyname(str);
	if (!pe || pe->p_proto < 0 || pe->p_proto > 255 ||
	    strcmp(str, pe->p_name))
		return -EINVAL;
	*proto = pe->p_proto;
	return 0;
}

/* conntrack prints an unknown state as NONE. */
const char *nf_tcp_state_name(uint64_t state)
{
	return nf_tcp_states[state < __WBNF_TCP_MAX ? state : WBNF_TCP_NONE];
}

/* SYN_SENT ... SYN_SENT2 in any case (not NONE): 0 or -EINVAL. */
int nf_parse_tcp_state(const char *str, uint32_t *state)
{
	uint32_t i;

	for (i = WBNF_TCP_SYN_SENT; i < __WBNF_TCP_MAX; i++) {
		if (!strcasecmp(str, nf_tcp_states[i])) {
			*state = i;
			return 0;
		}
	}
	return -EINVAL;
}

/* The name of WBNF_CTC_* attr, NULL if none. */
const char *nf_ct_config_name(unsigned int attr)
{
	return attr <= WBNF_CTC_MAX ? nf_ct_config_names[attr] : NULL;
}

/* A setting by name, exact: 0 or -EINVAL. */
int nf_parse_ct_config_name(const char *str, unsigned int *attr)
{
	const char *name;
	unsigned int a;

	for (a = 0; a <= WBNF_CTC_MAX; a++) {
		name = nf_ct_config_names[a];
		if (name && !strcmp(str, name)) {
			*attr = a;
			return 0;
		}
	}
	return -EINVAL;
}

/* enum wbnf_ct_event */
static const char * const nf_ct_events[] = {
	[WBNF_CT_EVENT_NEW]	= "new",
	[WBNF_CT_EVENT_UPDATE]	= "update",
	[WBNF_CT_EVENT_DESTROY]	= "destroy",
};

static const char *nf_ct_event_name(uint32_t event)
{
	if (event >= ARRAY_SIZE(nf_ct_events) || !nf_ct_events[event])
		return "unknown";
	return nf_ct_events[event];
}

/* ---- requests ---- */

/* The tuple attributes of t: SRC, DST (of family) and the rest. */
static void nf_put_tuple(struct nlmsghdr *nlh, unsigned int type,
			 const struct nf_tuple *t, uint64_t family)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);
	int alen = nf_addr_len(family);
	unsigned int a;

	if (NF_HAS(t, WBNF_TUPLE_SRC))
		mnl_attr_put(nlh, WBNF_TUPLE_SRC, alen, t->src);
	if (NF_HAS(t, WBNF_TUPLE_DST))
		mnl_attr_put(nlh, WBNF_TUPLE_DST, alen, t->dst);
	for (a = WBNF_TUPLE_PROTO; a <= WBNF_TUPLE_MAX; a++) {
		if (!NF_HAS(t, a))
			continue;
		if (a == WBNF_TUPLE_SPORT || a == WBNF_TUPLE_DPORT ||
		    a == WBNF_TUPLE_ICMP_ID)
			mnl_attr_put_u16(nlh, a, t->v[a]);
		else
			mnl_attr_put_u8(nlh, a, t->v[a]);
	}
	mnl_attr_nest_end(nlh, nest);
}

/* WBNF_A_CT_FILTER { [FAMILY] [PROTO] [TCP_STATE] [STATUS] [ORIG] } */
static void nf_put_ct_filter(struct nlmsghdr *nlh, const struct nf_ct *f)
{
	struct nlattr *nest;

	if (!f || !f->has)
		return;
	nest = mnl_attr_nest_start(nlh, WBNF_A_CT_FILTER);
	if (NF_HAS(f, WBNF_CT_FAMILY))
		mnl_attr_put_u8(nlh, WBNF_CT_FAMILY, f->v[WBNF_CT_FAMILY]);
	if (NF_HAS(f, WBNF_CT_PROTO))
		mnl_attr_put_u8(nlh, WBNF_CT_PROTO, f->v[WBNF_CT_PROTO]);
	if (NF_HAS(f, WBNF_CT_TCP_STATE))
		mnl_attr_put_u8(nlh, WBNF_CT_TCP_STATE,
				f->v[WBNF_CT_TCP_STATE]);
	if (NF_HAS(f, WBNF_CT_STATUS))
		mnl_attr_put_u32(nlh, WBNF_CT_STATUS, f->v[WBNF_CT_STATUS]);
	if (NF_HAS(f, WBNF_CT_ORIG))
		nf_put_tuple(nlh, WBNF_CT_ORIG, &f->orig,
			     f->v[WBNF_CT_FAMILY]);
	mnl_attr_nest_end(nlh, nest);
}

/* WBNF_A_CT_ID, or WBNF_A_CT_TUPLE { the original tuple } */
static void nf_put_ct_key(struct nlmsghdr *nlh, const struct nf_ct *key)
{
	if (NF_HAS(key, WBNF_CT_ID))
		mnl_attr_put_u32(nlh, WBNF_A_CT_ID, key->v[WBNF_CT_ID]);
	else
		nf_put_tuple(nlh, WBNF_A_CT_TUPLE, &key->orig,
			     key->v[WBNF_CT_FAMILY]);
}

/* CT_GET dump [FILTER]: wbctl ct list */
struct nlmsghdr *nf_build_ct_dump(void *buf, uint16_t family,
				  const struct nf_ct *filter)
{
	struct nlmsghdr *nlh;

	nlh = nf_msg(buf, family, WBNF_CMD_CT_GET, NLM_F_DUMP);
	nf_put_ct_filter(nlh, filter);
	return nlh;
}

/* CT_GET do, by TUPLE or ID: the kernel replies the entry, then ACKs. */
struct nlmsghdr *nf_build_ct_get(void *buf, uint16_t family,
				 const struct nf_ct *key)
{
	struct nlmsghdr *nlh;

	nlh = nf_msg(buf, family, WBNF_CMD_CT_GET, NLM_F_ACK);
	nf_put_ct_key(nlh, key);
	return nlh;
}

struct nlmsghdr *nf_build_ct_del(void *buf, uint16_t family,
				 const struct nf_ct *key)
{
	struct nlmsghdr *nlh;

	nlh = nf_msg(buf, family, WBNF_CMD_CT_DEL, NLM_F_ACK);
	nf_put_ct_key(nlh, key);
	return nlh;
}

struct nlmsghdr *nf_build_ct_flush(void *buf, uint16_t family,
				   const struct nf_ct *filter)
{
	struct nlmsghdr *nlh;

	nlh = nf_msg(buf, family, WBNF_CMD_CT_FLUSH, NLM_F_ACK);
	nf_put_ct_filter(nlh, filter);
	return nlh;
}

struct nlmsghdr *nf_build_ct_stats_get(void *buf, uint16_t family)
{
	return nf_msg(buf, family, WBNF_CMD_CT_STATS_GET, NLM_F_ACK);
}

struct nlmsghdr *nf_build_ct_config_get(void *buf, uint16_t family)
{
	return nf_msg(buf, family, WBNF_CMD_CT_CONFIG_GET, NLM_F_ACK);
}

/* CT_CONFIG_SET WBNF_A_CT_CONFIG { the settings given, u32 each } */
struct nlmsghdr *nf_build_ct_config_set(void *buf, uint16_t family,
					const struct nf_ct_config *cfg)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	unsigned int a;

	nlh = nf_msg(buf, family, WBNF_CMD_CT_CONFIG_SET, NLM_F_ACK);
	nest = mnl_attr_nest_start(nlh, WBNF_A_CT_CONFIG);
	for (a = 1; a <= WBNF_CTC_MAX; a++)
		if (NF_HAS(cfg, a))
			mnl_attr_put_u32(nlh, a, cfg->v[a]);
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

/* ---- entries and events ---- */

static const enum mnl_attr_data_type nf_ct_types[WBNF_CT_MAX + 1] = {
	[WBNF_CT_ID]		= MNL_TYPE_U32,
	[WBNF_CT_FAMILY]	= MNL_TYPE_U8,
	[WBNF_CT_PROTO]		= MNL_TYPE_U8,
	[WBNF_CT_ORIG]		= MNL_TYPE_NESTED,
	[WBNF_CT_REPLY]		= MNL_TYPE_NESTED,
	[WBNF_CT_STATUS]	= MNL_TYPE_U32,
	[WBNF_CT_TCP_STATE]	= MNL_TYPE_U8,
	[WBNF_CT_TIMEOUT]	= MNL_TYPE_U32,
	[WBNF_CT_PACKETS_ORIG]	= MNL_TYPE_U64,
	[WBNF_CT_BYTES_ORIG]	= MNL_TYPE_U64,
	[WBNF_CT_PACKETS_REPLY]	= MNL_TYPE_U64,
	[WBNF_CT_BYTES_REPLY]	= MNL_TYPE_U64,
};

static const enum mnl_attr_data_type nf_tuple_types[WBNF_TUPLE_MAX + 1] = {
	[WBNF_TUPLE_SRC]	= MNL_TYPE_BINARY,
	[WBNF_TUPLE_DST]	= MNL_TYPE_BINARY,
	[WBNF_TUPLE_PROTO]	= MNL_TYPE_U8,
	[WBNF_TUPLE_SPORT]	= MNL_TYPE_U16,
	[WBNF_TUPLE_DPORT]	= MNL_TYPE_U16,
	[WBNF_TUPLE_ICMP_ID]	= MNL_TYPE_U16,
	[WBNF_TUPLE_ICMP_TYPE]	= MNL_TYPE_U8,
	[WBNF_TUPLE_ICMP_CODE]	= MNL_TYPE_U8,
};

static void nf_tuple_addr(struct nf_ct *ct, struct nf_tuple *t,
			  const struct nlattr *attr, unsigned int a,
			  uint8_t *addr)
{
	if (!attr)
		return;
	if (nf_get_addr(attr, &ct->v[WBNF_CT_FAMILY], addr))
		ct->has |= NF_BIT(WBNF_CT_FAMILY);
	else
		t->has &= ~NF_BIT(a);
}

/* A WBNF_TUPLE_* nest into *t, zeroed first; the family may come of it. */
static void nf_parse_tuple(const struct nlattr *nest, struct nf_ct *ct,
			   struct nf_tuple *t)
{
	const struct nlattr *tb[WBNF_TUPLE_MAX + 1];

	memset(t, 0, sizeof(*t));
	if (!nest)
		return;
	genl_nest_tb(nest, nf_tuple_types, WBNF_TUPLE_MAX, tb);
	t->has = genl_tb_values(tb, nf_tuple_types, WBNF_TUPLE_MAX, t->v);
	nf_tuple_addr(ct, t, tb[WBNF_TUPLE_SRC], WBNF_TUPLE_SRC, t->src);
	nf_tuple_addr(ct, t, tb[WBNF_TUPLE_DST], WBNF_TUPLE_DST, t->dst);
}

/*
 * A CT_GET reply or CT_EVENT: WBNF_A_CT { WBNF_CT_* } into *ct, and
 * WBNF_A_CT_EVENT into ct->event; attributes that are unknown or fail
 * validation are left out.  Returns 0 or -EBADMSG for a message of
 * another family or without WBNF_A_CT.
 */
int nf_parse_ct_msg(const struct nlmsghdr *nlh, uint16_t family,
		    struct nf_ct *ct)
{
	const struct nlattr *tb[WBNF_A_MAX + 1];
	const struct nlattr *c[WBNF_CT_MAX + 1];

	memset(ct, 0, sizeof(*ct));
	if (nf_msg_tb(nlh, family, tb, NULL, NULL) || !tb[WBNF_A_CT])
		return -EBADMSG;
	genl_nest_tb(tb[WBNF_A_CT], nf_ct_types, WBNF_CT_MAX, c);
	ct->has = genl_tb_values(c, nf_ct_types, WBNF_CT_MAX, ct->v);
	nf_parse_tuple(c[WBNF_CT_ORIG], ct, &ct->orig);
	nf_parse_tuple(c[WBNF_CT_REPLY], ct, &ct->reply);
	if (!NF_HAS(ct, WBNF_CT_PROTO) && NF_HAS(&ct->orig, WBNF_TUPLE_PROTO))
		NF_SET(ct, WBNF_CT_PROTO, ct->orig.v[WBNF_TUPLE_PROTO]);
	if (tb[WBNF_A_CT_EVENT])
		ct->event = mnl_attr_get_u32(tb[WBNF_A_CT_EVENT]);
	return 0;
}

/* nf_parse_ct_msg() of a CT_EVENT with its WBNF_A_CT_EVENT only. */
int nf_parse_ct_event(const struct nlmsghdr *nlh, uint16_t family,
		      struct nf_ct *ct)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	int err = nf_parse_ct_msg(nlh, family, ct);

	if (!err && (g->cmd != WBNF_CMD_CT_EVENT || !ct->event))
		err = -EBADMSG;
	return err;
}

/* Text " src=A dst=B sport=N ...", JSON {"src": "A", ...} */
static void nf_print_tuple(const struct nf_ct *ct, const struct nf_tuple *t,
			   const char *key, unsigned int packets)
{
	char buf[NF_ADDRSTRLEN];

	print_open_object(key);
	if (NF_HAS(t, WBNF_TUPLE_SRC)) {
		nf_format_addr(buf, sizeof(buf), ct->v[WBNF_CT_FAMILY], t->src,
			       -1);
		print_string(PRINT_ANY, "src", " src=%s", buf);
	}
	if (NF_HAS(t, WBNF_TUPLE_DST)) {
		nf_format_addr(buf, sizeof(buf), ct->v[WBNF_CT_FAMILY], t->dst,
			       -1);
		print_string(PRINT_ANY, "dst", " dst=%s", buf);
	}
	if (NF_HAS(t, WBNF_TUPLE_SPORT))
		print_u64(PRINT_ANY, "sport", " sport=%" PRIu64,
			  t->v[WBNF_TUPLE_SPORT]);
	if (NF_HAS(t, WBNF_TUPLE_DPORT))
		print_u64(PRINT_ANY, "dport", " dport=%" PRIu64,
			  t->v[WBNF_TUPLE_DPORT]);
	if (NF_HAS(t, WBNF_TUPLE_ICMP_TYPE))
		print_u64(PRINT_ANY, "type", " type=%" PRIu64,
			  t->v[WBNF_TUPLE_ICMP_TYPE]);
	if (NF_HAS(t, WBNF_TUPLE_ICMP_CODE))
		print_u64(PRINT_ANY, "code", " code=%" PRIu64,
			  t->v[WBNF_TUPLE_ICMP_CODE]);
	if (NF_HAS(t, WBNF_TUPLE_ICMP_ID))
		print_u64(PRINT_ANY, "icmp_id", " id=%" PRIu64,
			  t->v[WBNF_TUPLE_ICMP_ID]);
	if (NF_HAS(ct, packets))
		print_u64(PRINT_ANY, "packets", " packets=%" PRIu64,
			  ct->v[packets]);
	if (NF_HAS(ct, packets + 1))
		print_u64(PRINT_ANY, "bytes", " bytes=%" PRIu64,
			  ct->v[packets + 1]);
	print_close_object();
}

_Static_assert(WBNF_CT_BYTES_ORIG == WBNF_CT_PACKETS_ORIG + 1 &&
	       WBNF_CT_BYTES_REPLY == WBNF_CT_PACKETS_REPLY + 1,
	       "nf_print_tuple() prints the bytes of packets + 1");

/* JSON only: "status": ["SEEN_REPLY", "ASSURED", ...] */
static void nf_print_ct_status(const struct nf_ct *ct)
{
	uint64_t status = ct->v[WBNF_CT_STATUS];
	size_t bit;

	if (!NF_HAS(ct, WBNF_CT_STATUS))
		return;
	print_open_array("status");
	for (bit = 0; bit < ARRAY_SIZE(nf_ct_flags); bit++)
		if ((status >> bit) & 1)
			print_string(PRINT_JSON, NULL, NULL, nf_ct_flags[bit]);
	print_close_array();
}

/*
 * Text: the event's tag right-aligned in 9 columns, as conntrack -E
 * prints it: "    [NEW]", " [UPDATE]", "[DESTROY]"; JSON "event".
 */
static void nf_print_ct_tag(uint32_t event)
{
	const char *name = nf_ct_event_name(event);
	char up[16], tag[20];

	snprintf(tag, sizeof(tag), "[%s]", nf_upper(up, sizeof(up), name));
	print_string(PRINT_JSON, "event", NULL, name);
	print_string(PRINT_FP, NULL, "%9s ", tag);
}

/*
 * One entry as "conntrack -L -o id" prints it, on one line (wrapped
 * here), after the event's tag as "conntrack -E" prints it:
 *	    [NEW] tcp      6 431999 ESTABLISHED src=10.0.1.1 dst=10.0.1.2
 *	    sport=40000 dport=80 packets=5 bytes=300 src=10.0.1.2
 *	    dst=10.0.1.1 sport=80 dport=40000 packets=4 bytes=250 [ASSURED]
 *	    id=17
 * [UNREPLIED] after the original tuple until a reply was seen; no
 * timeout for [DESTROY].  JSON: one object; what the kernel did not send
 * has no key.
 */
void nf_print_ct(const struct nf_ct *ct)
{
	uint64_t proto = ct->v[WBNF_CT_PROTO];
	uint64_t status = ct->v[WBNF_CT_STATUS];

	print_open_object(NULL);
	if (ct->event)
		nf_print_ct_tag(ct->event);
	if (NF_HAS(ct, WBNF_CT_ID))
		print_u64(PRINT_JSON, "id", NULL, ct->v[WBNF_CT_ID]);
	if (NF_HAS(ct, WBNF_CT_FAMILY))
		print_string(PRINT_JSON, "family", NULL,
			     nf_family_name(ct->v[WBNF_CT_FAMILY]));
	print_string(PRINT_ANY, "proto", "%-8s", nf_ct_proto_name(proto));
	print_u64(PRINT_ANY, "protonum", " %" PRIu64, proto);
	/* a destroyed entry has no time left: conntrack -E prints none */
	if (NF_HAS(ct, WBNF_CT_TIMEOUT) &&
	    ct->event != WBNF_CT_EVENT_DESTROY)
		print_u64(PRINT_ANY, "timeout", " %" PRIu64,
			  ct->v[WBNF_CT_TIMEOUT]);
	if (proto == IPPROTO_TCP && NF_HAS(ct, WBNF_CT_TCP_STATE))
		print_string(PRINT_ANY, "state", " %s",
			     nf_tcp_state_name(ct->v[WBNF_CT_TCP_STATE]));
	nf_print_ct_status(ct);
	nf_print_tuple(ct, &ct->orig, "orig", WBNF_CT_PACKETS_ORIG);
	if (!(status & WBNF_CT_F_SEEN_REPLY))
		print_string(PRINT_FP, NULL, " %s", "[UNREPLIED]");
	nf_print_tuple(ct, &ct->reply, "reply", WBNF_CT_PACKETS_REPLY);
	if (status & WBNF_CT_F_ASSURED)
		print_string(PRINT_FP, NULL, " %s", "[ASSURED]");
	if (NF_HAS(ct, WBNF_CT_ID))
		print_u64(PRINT_FP, NULL, " id=%" PRIu64, ct->v[WBNF_CT_ID]);
	print_close_object();
	print_nl();
}

/*
 * Entries of a list: one line (or JSON object, in an array) each, then
 * in text mode the summary that conntrack prints on standard error.
 */
void nf_print_ct_list(const struct nf_ct *v, size_t n)
{
	size_t i;

	print_open_array(NULL);
	for (i = 0; i < n; i++)
		nf_print_ct(&v[i]);
	print_close_array();
	if (print_is_json())
		return;
	print_end_record();	/* the lines before the summary */
	wb_err("wbctl: %zu flow entries have been shown.", n);
}

/* ---- counters ---- */

static const enum mnl_attr_data_type nf_cts_types[WBNF_CTS_MAX + 1] = {
	[WBNF_CTS_COUNT]		= MNL_TYPE_U32,
	[WBNF_CTS_ENTRIES_MAX]		= MNL_TYPE_U32,
	[WBNF_CTS_FOUND]		= MNL_TYPE_U64,
	[WBNF_CTS_NEW]			= MNL_TYPE_U64,
	[WBNF_CTS_INVALID]		= MNL_TYPE_U64,
	[WBNF_CTS_INSERT]		= MNL_TYPE_U64,
	[WBNF_CTS_INSERT_FAILED]	= MNL_TYPE_U64,
	[WBNF_CTS_DROP]			= MNL_TYPE_U64,
	[WBNF_CTS_EARLY_DROP]		= MNL_TYPE_U64,
	[WBNF_CTS_SEARCH_RESTART]	= MNL_TYPE_U64,
	[WBNF_CTS_UNTRACKED]		= MNL_TYPE_U64,
};

/* A CT_STATS_GET reply; 0 or -EBADMSG (another family's, no counters). */
int nf_parse_ct_stats(const struct nlmsghdr *nlh, uint16_t family,
		      struct nf_ct_stats *st)
{
	const struct nlattr *tb[WBNF_A_MAX + 1];
	const struct nlattr *s[WBNF_CTS_MAX + 1];

	memset(st, 0, sizeof(*st));
	if (nf_msg_tb(nlh, family, tb, NULL, NULL) || !tb[WBNF_A_CT_STATS])
		return -EBADMSG;
	genl_nest_tb(tb[WBNF_A_CT_STATS], nf_cts_types, WBNF_CTS_MAX, s);
	st->has = genl_tb_values(s, nf_cts_types, WBNF_CTS_MAX, st->v);
	return 0;
}

/* "conntrack -C": text the number of entries; JSON {"count", "max"}. */
void nf_print_ct_count(const struct nf_ct_stats *st)
{
	print_open_object(NULL);
	if (NF_HAS(st, WBNF_CTS_COUNT))
		print_u64(PRINT_ANY, "count", "%" PRIu64,
			  st->v[WBNF_CTS_COUNT]);
	if (NF_HAS(st, WBNF_CTS_ENTRIES_MAX))
		print_u64(PRINT_JSON, "max", NULL, st->v[WBNF_CTS_ENTRIES_MAX]);
	print_close_object();
	print_nl();
}

/*
 * "conntrack -S" of a whole netns, one line:
 *	count=3 max=65536 found=10 new=3 invalid=0 insert=3 ...
 * JSON: one object with the same keys; what is missing is left out.
 */
void nf_print_ct_stats(const struct nf_ct_stats *st)
{
	const char *sep = "";
	char fmt[48];
	size_t i;

	print_open_object(NULL);
	for (i = 0; i < ARRAY_SIZE(nf_ct_counters); i++) {
		if (!NF_HAS(st, nf_ct_counters[i].attr))
			continue;
		snprintf(fmt, sizeof(fmt), "%s%s=%%" PRIu64, sep,
			 nf_ct_counters[i].key);
		print_u64(PRINT_ANY, nf_ct_counters[i].key, fmt,
			  st->v[nf_ct_counters[i].attr]);
		sep = " ";
	}
	print_close_object();
	print_nl();
}

/* ---- settings ---- */

/* Every setting is a u32. */
static const enum mnl_attr_data_type nf_ctc_types[WBNF_CTC_MAX + 1] = {
	[WBNF_CTC_ENTRIES_MAX]		= MNL_TYPE_U32,
	[WBNF_CTC_HASHSIZE]		= MNL_TYPE_U32,
	[WBNF_CTC_TCP_SYN_SENT]		= MNL_TYPE_U32,
	[WBNF_CTC_TCP_SYN_RECV]		= MNL_TYPE_U32,
	[WBNF_CTC_TCP_ESTABLISHED]	= MNL_TYPE_U32,
	[WBNF_CTC_TCP_FIN_WAIT]		= MNL_TYPE_U32,
	[WBNF_CTC_TCP_CLOSE_WAIT]	= MNL_TYPE_U32,
	[WBNF_CTC_TCP_LAST_ACK]		= MNL_TYPE_U32,
	[WBNF_CTC_TCP_TIME_WAIT]	= MNL_TYPE_U32,
	[WBNF_CTC_TCP_CLOSE]		= MNL_TYPE_U32,
	[WBNF_CTC_UDP]			= MNL_TYPE_U32,
	[WBNF_CTC_UDP_STREAM]		= MNL_TYPE_U32,
	[WBNF_CTC_ICMP]			= MNL_TYPE_U32,
	[WBNF_CTC_GENERIC]		= MNL_TYPE_U32,
};

/* A CT_CONFIG_GET reply; 0 or -EBADMSG (another family's, no settings). */
int nf_parse_ct_config(const struct nlmsghdr *nlh, uint16_t family,
		       struct nf_ct_config *cfg)
{
	const struct nlattr *tb[WBNF_A_MAX + 1];
	const struct nlattr *c[WBNF_CTC_MAX + 1];

	memset(cfg, 0, sizeof(*cfg));
	if (nf_msg_tb(nlh, family, tb, NULL, NULL) || !tb[WBNF_A_CT_CONFIG])
		return -EBADMSG;
	genl_nest_tb(tb[WBNF_A_CT_CONFIG], nf_ctc_types, WBNF_CTC_MAX, c);
	cfg->has = genl_tb_values(c, nf_ctc_types, WBNF_CTC_MAX, cfg->v);
	return 0;
}

/*
 * Text "max 65536 hashsize 16384", then a line per timeout, as
 * "ct config set" takes it: "tcp_established 432000".  JSON: one object
 * with the same names as keys.
 */
void nf_print_ct_config(const struct nf_ct_config *cfg)
{
	bool max = NF_HAS(cfg, WBNF_CTC_ENTRIES_MAX);
	char fmt[48];
	unsigned int a;

	print_open_object(NULL);
	if (max)
		print_u64(PRINT_ANY, "max", "max %" PRIu64,
			  cfg->v[WBNF_CTC_ENTRIES_MAX]);
	if (NF_HAS(cfg, WBNF_CTC_HASHSIZE))
		print_u64(PRINT_ANY, "hashsize",
			  max ? " hashsize %" PRIu64 : "hashsize %" PRIu64,
			  cfg->v[WBNF_CTC_HASHSIZE]);
	if (max || NF_HAS(cfg, WBNF_CTC_HASHSIZE))
		print_nl();
	for (a = WBNF_CTC_TCP_SYN_SENT; a <= WBNF_CTC_MAX; a++) {
		if (!NF_HAS(cfg, a))
			continue;
		snprintf(fmt, sizeof(fmt), "%s %%" PRIu64 "\n",
			 nf_ct_config_names[a]);
		print_u64(PRINT_ANY, nf_ct_config_names[a], fmt, cfg->v[a]);
	}
	print_close_object();
}
