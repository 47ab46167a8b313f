// SPDX-License-Identifier: GPL-2.0
/*
 * wbctl: the match that rules and the trace selection have in common:
 * protocols and ICMP types, the keywords, the WBNF_R_* attributes and
 * the canonical text.  Addresses, protocols and ICMP types also serve
 * the conntrack tuples of "wbctl ct".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "genl.h"
#include "nf.h"
#include "print.h"
#include "utils.h"

/* ---- protocols ---- */

struct nf_proto {
	uint8_t num;
	uint8_t family;		/* the family it implies, 0 for none */
	bool ports;		/* sport and dport apply */
	const char *name;	/* keyword and JSON */
	const char *log;	/* trace lines, as iptables' LOG target */
};

static const struct nf_proto nf_protos[] = {
	{ IPPROTO_TCP,		0,		true,	"tcp",	   "TCP" },
	{ IPPROTO_UDP,		0,		true,	"udp",	   "UDP" },
	{ IPPROTO_ICMP,		AF_INET,	false,	"icmp",	   "ICMP" },
	{ IPPROTO_ICMPV6,	AF_INET6,	false,	"icmpv6",  "ICMPv6" },
	{ IPPROTO_SCTP,		0,		true,	"sctp",	   "SCTP" },
	{ IPPROTO_UDPLITE,	0,		true,	"udplite", "UDPLITE" },
};

struct nf_icmp_type {
	uint8_t proto;
	uint8_t type;
	const char *name;
};

static const struct nf_icmp_type nf_icmp_types[] = {
	{ IPPROTO_ICMP,		0,	"echo-reply" },
	{ IPPROTO_ICMP,		3,	"destination-unreachable" },
	{ IPPROTO_ICMP,		8,	"echo-request" },
	{ IPPROTO_ICMP,		11,	"time-exceeded" },
	{ IPPROTO_ICMPV6,	1,	"destination-unreachable" },
	{ IPPROTO_ICMPV6,	3,	"time-exceeded" },
	{ IPPROTO_ICMPV6,	128,	"echo-request" },
	{ IPPROTO_ICMPV6,	129,	"echo-reply" },
	{ IPPROTO_ICMPV6,	135,	"neighbour-solicitation" },
	{ IPPROTO_ICMPV6,	136,	"neighbour-advertisement" },
};

static const struct nf_proto *nf_proto(uint64_t num)
{
	const struct nf_proto *p;

	for (p = nf_protos; p < nf_protos + ARRAY_SIZE(nf_protos); p++)
		if (p->num == num)
			return p;
	return NULL;
}

/* For messages: "IPv4" or "IPv6". */
static const char *nf_family_label(uint64_t family)
{
	return family == AF_INET6 ? "IPv6" : "IPv4";
}

/* The protocol's keyword (log: its trace spelling), else its number. */
const char *nf_proto_str(char *buf, size_t size, uint64_t proto, bool log)
{
	const struct nf_proto *p = nf_proto(proto);

	if (p)
		return log ? p->log : p->name;
	snprintf(buf, size, "%" PRIu64, proto);
	return buf;
}

/* The name of an ICMP (proto icmp) or ICMPv6 type, NULL if none. */
const char *nf_icmp_type_name(uint64_t proto, uint64_t type)
{
	const struct nf_icmp_type *t;

	for (t = nf_icmp_types; t < nf_icmp_types + ARRAY_SIZE(nf_icmp_types);
	     t++)
		if (t->proto == proto && t->type == type)
			return t->name;
	return NULL;
}

/* ---- arguments ---- */

struct nf_match_key {
	const char *name;
	unsigned int attr;
	/* NULL: parsed by nf_check_match(), once all keywords are known */
	int (*parse)(const struct nf_match_key *k, const char *str,
		     struct nf_rule *r, struct nf_match_ctx *ctx);
	const char *sub;	/* a second keyword: "ct state" */
};

/* The family implied by key ("src", "proto icmp", ...) must agree. */
static int nf_set_family(struct nf_rule *r, struct nf_match_ctx *ctx,
			 uint8_t family, const char *by, const char *str)
{
	char why[96];

	if (!NF_HAS(r, WBNF_R_FAMILY)) {
		NF_SET(r, WBNF_R_FAMILY, family);
		snprintf(ctx->family_by, sizeof(ctx->family_by), "%s", by);
		return 0;
	}
	if (r->v[WBNF_R_FAMILY] == family)
		return 0;
	snprintf(why, sizeof(why), "%s is %s but %s is %s", by,
		 nf_family_label(family), ctx->family_by,
		 nf_family_label(r->v[WBNF_R_FAMILY]));
	return wb_invarg(str, why);
}

static int nf_parse_ifname(const struct nf_match_key *k, const char *str,
			   struct nf_rule *r, struct nf_match_ctx *ctx)
{
	const char *why = wb_ifname_invalid(str);

	(void)ctx;
	if (why)
		return wb_invarg(str, why);
	snprintf(k->attr == WBNF_R_IIF ? r->iif : r->oif, IFNAMSIZ, "%s",
		 str);
	r->has |= NF_BIT(k->attr);
	return 0;
}

static int nf_parse_family(const struct nf_match_key *k, const char *str,
			   struct nf_rule *r, struct nf_match_ctx *ctx)
{
	if (!strcmp(str, "ipv4"))
		return nf_set_family(r, ctx, AF_INET, k->name, str);
	if (!strcmp(str, "ipv6"))
		return nf_set_family(r, ctx, AF_INET6, k->name, str);
	return wb_invarg(str, "family is \"ipv4\" or \"ipv6\"");
}

/* Is any bit of addr (bytes long) beyond the first len set? */
static bool nf_host_bits(const uint8_t *addr, int bytes, unsigned int len)
{
	int i;

	for (i = len / 8; i < bytes; i++) {
		if (addr[i] & (i == (int)len / 8 ? 0xff >> len % 8 : 0xff))
			return true;
	}
	return false;
}

static void nf_mask(uint8_t *addr, int bytes, unsigned int len)
{
	int i;

	for (i = len / 8; i < bytes; i++)
		addr[i] &= i == (int)len / 8 ? ~(0xff >> len % 8) : 0;
}

/* An IPv4 or IPv6 address into addr: its family, 0 for neither. */
uint8_t nf_parse_addr(const char *str, uint8_t *addr)
{
	if (inet_pton(AF_INET, str, addr) == 1)
		return AF_INET;
	if (inet_pton(AF_INET6, str, addr) == 1)
		return AF_INET6;
	return 0;
}

/* ADDRESS[/LEN]: address and length into WBNF_R_SRC (or DST) and +1. */
static int nf_parse_prefix(const struct nf_match_key *k, const char *str,
			   struct nf_rule *r, struct nf_match_ctx *ctx)
{
	uint8_t *addr = k->attr == WBNF_R_SRC ? r->src : r->dst;
	char buf[NF_ADDRSTRLEN], why[128], *slash = NULL;
	uint32_t len, max;
	uint8_t family = 0;

	if (strlen(str) < sizeof(buf)) {
		strcpy(buf, str);
		slash = strchr(buf, '/');
		if (slash)
			*slash++ = 0;
		family = nf_parse_addr(buf, addr);
	}
	if (!family) {
		snprintf(why, sizeof(why),
			 "%s is an IPv4 or IPv6 address with an optional /LEN",
			 k->name);
		return wb_invarg(str, why);
	}
	len = max = nf_addr_len(family) * 8;
	if (slash && wb_parse_u32(slash, 0, max, &len)) {
		snprintf(why, sizeof(why), "prefix length is from 0 to %u",
			 max);
		return wb_invarg(str, why);
	}
	if (nf_host_bits(addr, max / 8, len)) {
		nf_mask(addr, max / 8, len);
		nf_format_addr(buf, sizeof(buf), family, addr, len);
		snprintf(why, sizeof(why),
			 "prefix has host bits set, the network is %s", buf);
		return wb_invarg(str, why);
	}
	r->has |= NF_BIT(k->attr);
	NF_SET(r, k->attr + 1, len);
	return nf_set_family(r, ctx, family, k->name, str);
}

static int nf_parse_proto(const struct nf_match_key *k, const char *str,
			  struct nf_rule *r, struct nf_match_ctx *ctx)
{
	const struct nf_proto *p;
	char by[32];
	uint32_t num;

	(void)k;
	for (p = nf_protos; p < nf_protos + ARRAY_SIZE(nf_protos); p++)
		if (!strcmp(str, p->name))
			break;
	if (p < nf_protos + ARRAY_SIZE(nf_protos))
		num = p->num;
	else if (wb_parse_u32(str, 0, 255, &num))
		return wb_invarg(str, "proto is tcp, udp, icmp, icmpv6, sctp, udplite or a number from 0 to 255");
	NF_SET(r, WBNF_R_PROTO, num);
	p = nf_proto(num);
	if (!p || !p->family)
		return 0;
	snprintf(by, sizeof(by), "proto %s", p->name);
	return nf_set_family(r, ctx, p->family, by, str);
}

/* PORT or MIN-MAX into WBNF_R_SPORT_MIN (or DPORT_MIN) and +1. */
static int nf_parse_ports(const struct nf_match_key *k, const char *str,
			  struct nf_rule *r, struct nf_match_ctx *ctx)
{
	char buf[16], why[96], *dash;
	uint32_t min, max;

	(void)ctx;
	snprintf(buf, sizeof(buf), "%s", str);
	dash = strchr(buf, '-');
	if (dash)
		*dash++ = 0;
	if (strlen(str) >= sizeof(buf) ||
	    wb_parse_u32(buf, 0, 65535, &min) ||
	    wb_parse_u32(dash ? dash : buf, 0, 65535, &max)) {
		snprintf(why, sizeof(why),
			 "%s is a port or range from 0 to 65535, like 22 or 1000-2000",
			 k->name);
		return wb_invarg(str, why);
	}
	if (min > max) {
		snprintf(why, sizeof(why), "%s range %u-%u ends below its start",
			 k->name, min, max);
		return wb_invarg(str, why);
	}
	NF_SET(r, k->attr, min);
	NF_SET(r, k->attr + 1, max);
	return 0;
}

/* STATE[,STATE]... into WBNF_R_CT_STATE */
static int nf_parse_ct_state(const struct nf_match_key *k, const char *str,
			     struct nf_rule *r, struct nf_match_ctx *ctx)
{
	uint32_t mask;

	(void)k;
	(void)ctx;
	if (nf_parse_ct_states(str, &mask))
		return wb_invarg(str, "ct state is a list of new, established, related, invalid, untracked, like established,related");
	NF_SET(r, WBNF_R_CT_STATE, mask);
	return 0;
}

static int nf_parse_icmp_code(const struct nf_match_key *k, const char *str,
			      struct nf_rule *r, struct nf_match_ctx *ctx)
{
	uint32_t code;

	(void)k;
	(void)ctx;
	if (wb_parse_u32(str, 0, 255, &code))
		return wb_invarg(str, "icmp-code is a number from 0 to 255");
	NF_SET(r, WBNF_R_ICMP_CODE, code);
	return 0;
}

_Static_assert(WBNF_R_SRC_LEN == WBNF_R_SRC + 1 &&
	       WBNF_R_DST_LEN == WBNF_R_DST + 1 &&
	       WBNF_R_SPORT_MAX == WBNF_R_SPORT_MIN + 1 &&
	       WBNF_R_DPORT_MAX == WBNF_R_DPORT_MIN + 1,
	       "nf_parse_prefix() and nf_parse_ports() fill attr + 1");

/* In the order of the canonical form, see nf_print_match(). */
static const struct nf_match_key nf_match_keys[] = {
	{ "iif",	WBNF_R_IIF,		nf_parse_ifname,	NULL },
	{ "oif",	WBNF_R_OIF,		nf_parse_ifname,	NULL },
	{ "family",	WBNF_R_FAMILY,		nf_parse_family,	NULL },
	{ "src",	WBNF_R_SRC,		nf_parse_prefix,	NULL },
	{ "dst",	WBNF_R_DST,		nf_parse_prefix,	NULL },
	{ "proto",	WBNF_R_PROTO,		nf_parse_proto,		NULL },
	{ "sport",	WBNF_R_SPORT_MIN,	nf_parse_ports,		NULL },
	{ "dport",	WBNF_R_DPORT_MIN,	nf_parse_ports,		NULL },
	{ "icmp-type",	WBNF_R_ICMP_TYPE,	NULL,			NULL },
	{ "icmp-code",	WBNF_R_ICMP_CODE,	nf_parse_icmp_code,	NULL },
	{ "ct",		WBNF_R_CT_STATE,	nf_parse_ct_state,	"state" },
};

/* "ct state" after "ct", else an error line and the exit status. */
static int nf_match_sub(const struct nf_match_key *k, const char *str)
{
	char why[64];

	if (!strcmp(str, k->sub))
		return 0;
	snprintf(why, sizeof(why), "%s is followed by \"%s\"", k->name,
		 k->sub);
	return wb_invarg(str, why);
}

/**
 * nf_parse_match() - one MATCH keyword and its value
 * @argvp: the keyword; on return, its value
 * @argcp: words left, updated like @argvp
 * @r: gets the match
 * @ctx: zeroed before the first keyword; nf_check_match() it after the
 *	 last
 *
 * Return: -1 when the word is not a MATCH keyword, else 0 or an exit
 * status after an error line.
 */
int nf_parse_match(char ***argvp, int *argcp, struct nf_rule *r,
		   struct nf_match_ctx *ctx)
{
	const struct nf_match_key *k;
	char **argv = *argvp;
	int argc = *argcp;

	for (k = nf_match_keys; k < nf_match_keys + ARRAY_SIZE(nf_match_keys);
	     k++)
		if (!strcmp(*argv, k->name))
			break;
	if (k == nf_match_keys + ARRAY_SIZE(nf_match_keys))
		return -1;
	NEXT_ARG();
	if (k->sub) {
		if (nf_match_sub(k, *argv))
			return WB_EXIT_USAGE;
		NEXT_ARG();
	}
	*argvp = argv;
	*argcp = argc;
	if (ctx->word[k->attr])
		return wb_duparg(k->sub ? "ct state" : k->name, *argv);
	ctx->word[k->attr] = *argv;
	return k->parse ? k->parse(k, *argv, r, ctx) : 0;
}

static int nf_check_ports(const struct nf_match_ctx *ctx,
			  const struct nf_proto *p, unsigned int attr,
			  const char *key)
{
	char why[64];

	if (!ctx->word[attr] || (p && p->ports))
		return 0;
	snprintf(why, sizeof(why), "%s needs proto tcp, udp, sctp or udplite",
		 key);
	return wb_invarg(ctx->word[attr], why);
}

/*
 * TYPE, a number or a name of proto's (IPPROTO_ICMP or _ICMPV6):
 * "echo-request", ...  Returns 0 or an exit status after an error line.
 */
int nf_icmp_type_arg(const char *str, uint8_t proto, uint32_t *type)
{
	const struct nf_icmp_type *t, *end = nf_icmp_types +
					     ARRAY_SIZE(nf_icmp_types);
	char why[256] = "icmp-type is a number from 0 to 255 or one of";
	bool first = true;

	for (t = nf_icmp_types; t < end; t++) {
		if (t->proto == proto && !strcmp(t->name, str)) {
			*type = t->type;
			return 0;
		}
	}
	if (!wb_parse_u32(str, 0, 255, type))
		return 0;
	for (t = nf_icmp_types; t < end; t++) {
		if (t->proto != proto)
			continue;
		snprintf(why + strlen(why), sizeof(why) - strlen(why), "%s%s",
			 first ? " " : ", ", t->name);
		first = false;
	}
	return wb_invarg(str, why);
}

static int nf_check_icmp(struct nf_rule *r, const struct nf_match_ctx *ctx,
			 const struct nf_proto *p)
{
	const char *type = ctx->word[WBNF_R_ICMP_TYPE];
	const char *code = ctx->word[WBNF_R_ICMP_CODE];
	uint32_t num;

	if (code && !type)
		return wb_invarg(code, "icmp-code needs icmp-type");
	if (!type)
		return 0;
	if (!p || (p->num != IPPROTO_ICMP && p->num != IPPROTO_ICMPV6))
		return wb_invarg(type, "icmp-type needs proto icmp or icmpv6");
	if (nf_icmp_type_arg(type, p->num, &num))
		return WB_EXIT_USAGE;
	NF_SET(r, WBNF_R_ICMP_TYPE, num);
	return 0;
}

/*
 * After the last MATCH keyword: what one keyword needs of another.
 * Returns 0 or an exit status after an error line.
 */
int nf_check_match(struct nf_rule *r, const struct nf_match_ctx *ctx)
{
	const struct nf_proto *p = NULL;

	if (NF_HAS(r, WBNF_R_PROTO))
		p = nf_proto(r->v[WBNF_R_PROTO]);
	return nf_check_ports(ctx, p, WBNF_R_SPORT_MIN, "sport") ?:
	       nf_check_ports(ctx, p, WBNF_R_DPORT_MIN, "dport") ?:
	       nf_check_icmp(r, ctx, p);
}

/* ---- the match in messages ---- */

/* What a rule nest may hold. */
static const enum mnl_attr_data_type nf_rule_types[WBNF_R_MAX + 1] = {
	[WBNF_R_ID]		= MNL_TYPE_U32,
	[WBNF_R_HOOK]		= MNL_TYPE_U32,
	[WBNF_R_VERDICT]	= MNL_TYPE_U32,
	[WBNF_R_IIF]		= MNL_TYPE_NUL_STRING,
	[WBNF_R_OIF]		= MNL_TYPE_NUL_STRING,
	[WBNF_R_FAMILY]		= MNL_TYPE_U8,
	[WBNF_R_SRC]		= MNL_TYPE_BINARY,
	[WBNF_R_SRC_LEN]	= MNL_TYPE_U8,
	[WBNF_R_DST]		= MNL_TYPE_BINARY,
	[WBNF_R_DST_LEN]	= MNL_TYPE_U8,
	[WBNF_R_PROTO]		= MNL_TYPE_U8,
	[WBNF_R_SPORT_MIN]	= MNL_TYPE_U16,
	[WBNF_R_SPORT_MAX]	= MNL_TYPE_U16,
	[WBNF_R_DPORT_MIN]	= MNL_TYPE_U16,
	[WBNF_R_DPORT_MAX]	= MNL_TYPE_U16,
	[WBNF_R_ICMP_TYPE]	= MNL_TYPE_U8,
	[WBNF_R_ICMP_CODE]	= MNL_TYPE_U8,
	[WBNF_R_CT_STATE]	= MNL_TYPE_U32,
	[WBNF_R_PACKETS]	= MNL_TYPE_U64,
	[WBNF_R_BYTES]		= MNL_TYPE_U64,
};

_Static_assert(WBNF_R_CT_STATE == WBNF_R_ICMP_CODE + 1,
	       "the match attributes are WBNF_R_IIF .. WBNF_R_CT_STATE");

/* The match attributes of r: WBNF_R_IIF .. WBNF_R_CT_STATE. */
void nf_put_match(struct nlmsghdr *nlh, const struct nf_rule *r)
{
	int alen = nf_addr_len(r->v[WBNF_R_FAMILY]);
	unsigned int a;

	for (a = WBNF_R_IIF; a <= WBNF_R_CT_STATE; a++) {
		if (!NF_HAS(r, a))
			continue;
		switch (nf_rule_types[a]) {
		case MNL_TYPE_NUL_STRING:
			mnl_attr_put_strz(nlh, a, a == WBNF_R_IIF ? r->iif :
							       r->oif);
			break;
		case MNL_TYPE_BINARY:
			mnl_attr_put(nlh, a, alen,
				     a == WBNF_R_SRC ? r->src : r->dst);
			break;
		case MNL_TYPE_U8:
			mnl_attr_put_u8(nlh, a, r->v[a]);
			break;
		case MNL_TYPE_U16:
			mnl_attr_put_u16(nlh, a, r->v[a]);
			break;
		case MNL_TYPE_U32:
			mnl_attr_put_u32(nlh, a, r->v[a]);
			break;
		default:
			break;
		}
	}
}

/* A rule's address and its prefix length (the full one when absent). */
static void nf_rule_addr(struct nf_rule *r, const struct nlattr *attr,
			 unsigned int a, uint8_t *addr)
{
	if (!attr)
		return;
	if (!nf_get_addr(attr, &r->v[WBNF_R_FAMILY], addr)) {
		r->has &= ~(NF_BIT(a) | NF_BIT(a + 1));
		return;
	}
	r->has |= NF_BIT(WBNF_R_FAMILY);
	if (!NF_HAS(r, a + 1))
		NF_SET(r, a + 1, nf_addr_len(r->v[WBNF_R_FAMILY]) * 8);
}

/*
 * A WBNF_R_* nest (a rule, or the trace selection) into *r, zeroed first;
 * attributes that are unknown or fail validation are left out.
 */
void nf_parse_rule_nest(const struct nlattr *nest, struct nf_rule *r)
{
	const struct nlattr *tb[WBNF_R_MAX + 1];

	memset(r, 0, sizeof(*r));
	genl_nest_tb(nest, nf_rule_types, WBNF_R_MAX, tb);
	r->has = genl_tb_values(tb, nf_rule_types, WBNF_R_MAX, r->v);
	if (tb[WBNF_R_IIF])
		snprintf(r->iif, sizeof(r->iif), "%s",
			 mnl_attr_get_str(tb[WBNF_R_IIF]));
	if (tb[WBNF_R_OIF])
		snprintf(r->oif, sizeof(r->oif), "%s",
			 mnl_attr_get_str(tb[WBNF_R_OIF]));
	nf_rule_addr(r, tb[WBNF_R_SRC], WBNF_R_SRC, r->src);
	nf_rule_addr(r, tb[WBNF_R_DST], WBNF_R_DST, r->dst);
	r->v[WBNF_R_CT_STATE] &= WBNF_CT_STATE_ALL;
	if (!r->v[WBNF_R_CT_STATE])
		r->has &= ~NF_BIT(WBNF_R_CT_STATE);
}

/* Text " src ADDR/LEN", JSON "src": "ADDR/LEN". */
static void nf_print_prefix(const struct nf_rule *r, unsigned int a,
			    const uint8_t *addr, const char *key,
			    const char *fmt)
{
	char buf[NF_ADDRSTRLEN];

	if (!NF_HAS(r, a))
		return;
	nf_format_addr(buf, sizeof(buf), r->v[WBNF_R_FAMILY], addr,
		       r->v[a + 1]);
	print_string(PRINT_ANY, key, fmt, buf);
}

/* "22" or "1000-2000", a string in JSON too. */
static void nf_print_ports(const struct nf_rule *r, unsigned int a,
			   const char *key, const char *fmt)
{
	uint64_t min = r->v[a];
	uint64_t max = NF_HAS(r, a + 1) ? r->v[a + 1] : min;
	char buf[16];

	if (!NF_HAS(r, a))
		return;
	if (min == max)
		snprintf(buf, sizeof(buf), "%" PRIu64, min);
	else
		snprintf(buf, sizeof(buf), "%" PRIu64 "-%" PRIu64, min, max);
	print_string(PRINT_ANY, key, fmt, buf);
}

/* Does an address or proto icmp/icmpv6 say the family already? */
static bool nf_family_implied(const struct nf_rule *r)
{
	const struct nf_proto *p = nf_proto(r->v[WBNF_R_PROTO]);

	return NF_HAS(r, WBNF_R_SRC) || NF_HAS(r, WBNF_R_DST) ||
	       (NF_HAS(r, WBNF_R_PROTO) && p && p->family);
}

static void nf_print_icmp(const struct nf_rule *r)
{
	const char *name;
	char buf[8];

	if (NF_HAS(r, WBNF_R_ICMP_TYPE)) {
		name = nf_icmp_type_name(r->v[WBNF_R_PROTO],
					 r->v[WBNF_R_ICMP_TYPE]);
		snprintf(buf, sizeof(buf), "%" PRIu64, r->v[WBNF_R_ICMP_TYPE]);
		print_u64(PRINT_JSON, "icmp_type", NULL,
			  r->v[WBNF_R_ICMP_TYPE]);
		print_string(PRINT_FP, NULL, " icmp-type %s", name ?: buf);
	}
	if (NF_HAS(r, WBNF_R_ICMP_CODE))
		print_u64(PRINT_ANY, "icmp_code", " icmp-code %" PRIu64,
			  r->v[WBNF_R_ICMP_CODE]);
}

/* Text " ct state new,established", JSON "ct_state": ["new", ...]. */
static void nf_print_ct_state(const struct nf_rule *r)
{
	uint64_t mask = r->v[WBNF_R_CT_STATE];
	char buf[NF_CT_STATESTRLEN];
	unsigned int bit;

	if (!NF_HAS(r, WBNF_R_CT_STATE))
		return;
	print_string(PRINT_FP, NULL, " ct state %s",
		     nf_format_ct_states(buf, sizeof(buf), mask));
	print_open_array("ct_state");
	for (bit = 0; nf_ct_state_name(bit); bit++)
		if ((mask >> bit) & 1)
			print_string(PRINT_JSON, NULL, NULL,
				     nf_ct_state_name(bit));
	print_close_array();
}

/*
 * The match in the canonical order, each " keyword value" (so that the
 * text can be given to "rule add" again):
 *	iif oif family src dst proto sport dport icmp-type icmp-code
 *	ct state
 * family only when no address or protocol implies it; JSON always has it.
 */
void nf_print_match(const struct nf_rule *r)
{
	const char *family = nf_family_name(r->v[WBNF_R_FAMILY]);
	char buf[8];

	if (NF_HAS(r, WBNF_R_IIF))
		print_string(PRINT_ANY, "iif", " iif %s", r->iif);
	if (NF_HAS(r, WBNF_R_OIF))
		print_string(PRINT_ANY, "oif", " oif %s", r->oif);
	if (NF_HAS(r, WBNF_R_FAMILY)) {
		print_string(PRINT_JSON, "family", NULL, family);
		if (!nf_family_implied(r))
			print_string(PRINT_FP, NULL, " family %s", family);
	}
	nf_print_prefix(r, WBNF_R_SRC, r->src, "src", " src %s");
	nf_print_prefix(r, WBNF_R_DST, r->dst, "dst", " dst %s");
	if (NF_HAS(r, WBNF_R_PROTO))
		print_string(PRINT_ANY, "proto", " proto %s",
			     nf_proto_str(buf, sizeof(buf),
					  r->v[WBNF_R_PROTO], false));
	nf_print_ports(r, WBNF_R_SPORT_MIN, "sport", " sport %s");
	nf_print_ports(r, WBNF_R_DPORT_MIN, "dport", " dport %s");
	nf_print_icmp(r);
	nf_print_ct_state(r);
}
