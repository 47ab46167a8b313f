// SPDX-License-Identifier: GPL-2.0
/*
 * wbctl ct: the connection tracking table of wirebox_nf, in the manner
 * of conntrack(8): list, get, delete and flush entries, the counters and
 * the settings.  "wbctl monitor ct" (monitor.c) prints its events.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "nf.h"
#include "nl.h"
#include "print.h"
#include "utils.h"
#include "wbctl.h"

#define CT_HELP		"wbctl ct help"

static int ct_usage(void)
{
	wb_err("Usage: wbctl ct { list | show } [ FILTER ]...\n"
	       "       wbctl ct get { TUPLE | id ID }\n"
	       "       wbctl ct { delete | del } { TUPLE | id ID }\n"
	       "       wbctl ct flush [ FILTER ]...\n"
	       "       wbctl ct count\n"
	       "       wbctl ct stats\n"
	       "       wbctl ct config [ show ]\n"
	       "       wbctl ct config set [ max N ] [ TIMEOUT SECONDS ]...\n"
	       "       wbctl ct help\n"
	       "where  FILTER := { family { ipv4 | ipv6 } | proto PROTO |\n"
	       "                  state TCPSTATE | status { assured | seen-reply } |\n"
	       "                  { src | dst } ADDRESS }\n"
	       "       TUPLE := proto PROTO src ADDRESS dst ADDRESS\n"
	       "                [ sport PORT dport PORT ]\n"
	       "                [ icmp-type TYPE icmp-code CODE icmp-id ICMPID ]\n"
	       "       PROTO := { tcp | udp | udplite | icmp | icmpv6 | sctp | NAME |\n"
	       "                  NUMBER }\n"
	       "       TCPSTATE := { SYN_SENT | SYN_RECV | ESTABLISHED | FIN_WAIT |\n"
	       "                     CLOSE_WAIT | LAST_ACK | TIME_WAIT | CLOSE |\n"
	       "                     SYN_SENT2 }\n"
	       "       TIMEOUT := { tcp_syn_sent | tcp_syn_recv | tcp_established |\n"
	       "                    tcp_fin_wait | tcp_close_wait | tcp_last_ack |\n"
	       "                    tcp_time_wait | tcp_close | udp | udp_stream |\n"
	       "                    icmp | generic }\n"
	       "       N := 1 to %u entries; SECONDS := 1 to %u",
	       WBNF_CT_MAX_LIMIT, WBNF_CT_TIMEOUT_MAX);
	return WB_EXIT_USAGE;
}

/* ---- arguments ---- */

/* The keywords of filters and tuples. */
enum ct_word {
	CT_W_FAMILY,
	CT_W_PROTO,
	CT_W_STATE,
	CT_W_STATUS,
	CT_W_SRC,
	CT_W_DST,
	CT_W_SPORT,
	CT_W_DPORT,
	CT_W_ICMP_TYPE,
	CT_W_ICMP_CODE,
	CT_W_ICMP_ID,
	CT_W_ID,
	CT_W_MAX,
};

static const char * const ct_keywords[CT_W_MAX] = {
	[CT_W_FAMILY]		= "family",
	[CT_W_PROTO]		= "proto",
	[CT_W_STATE]		= "state",
	[CT_W_STATUS]		= "status",
	[CT_W_SRC]		= "src",
	[CT_W_DST]		= "dst",
	[CT_W_SPORT]		= "sport",
	[CT_W_DPORT]		= "dport",
	[CT_W_ICMP_TYPE]	= "icmp-type",
	[CT_W_ICMP_CODE]	= "icmp-code",
	[CT_W_ICMP_ID]		= "icmp-id",
	[CT_W_ID]		= "id",
};

#define CT_W(w)		(1U << (w))
#define CT_FILTER_WORDS	(CT_W(CT_W_FAMILY) | CT_W(CT_W_PROTO) | \
			 CT_W(CT_W_STATE) | CT_W(CT_W_STATUS) | \
			 CT_W(CT_W_SRC) | CT_W(CT_W_DST))
#define CT_KEY_WORDS	(CT_W(CT_W_PROTO) | CT_W(CT_W_SRC) | \
			 CT_W(CT_W_DST) | CT_W(CT_W_SPORT) | \
			 CT_W(CT_W_DPORT) | CT_W(CT_W_ICMP_TYPE) | \
			 CT_W(CT_W_ICMP_CODE) | CT_W(CT_W_ICMP_ID) | \
			 CT_W(CT_W_ID))

/* What the keywords said, and what fixed the family. */
struct ct_ctx {
	const char *word[CT_W_MAX];
	uint32_t status;	/* "status" may repeat: the bits of all */
	char family_by[32];
};

/* status { assured | seen-reply } */
static int ct_status_arg(const char *str, uint32_t *status)
{
	if (!strcmp(str, "assured"))
		*status |= WBNF_CT_F_ASSURED;
	else if (!strcmp(str, "seen-reply"))
		*status |= WBNF_CT_F_SEEN_REPLY;
	else
		return wb_invarg(str, "status is \"assured\" or \"seen-reply\"");
	return 0;
}

/*
 * KEYWORD VALUE pairs of the keywords in allowed (CT_W() bits), each
 * once but status, into ctx.  Returns 0 or an exit status.
 */
static int ct_words(int argc, char **argv, unsigned int allowed,
		    struct ct_ctx *ctx)
{
	int w;

	memset(ctx, 0, sizeof(*ctx));
	for (; argc > 0; argc--, argv++) {
		if (!strcmp(*argv, "help"))
			return ct_usage();
		for (w = 0; w < CT_W_MAX; w++)
			if ((allowed & CT_W(w)) &&
			    !strcmp(*argv, ct_keywords[w]))
				break;
		if (w == CT_W_MAX)
			return nf_unknown(*argv, CT_HELP);
		NEXT_ARG();
		if (w == CT_W_STATUS) {
			if (ct_status_arg(*argv, &ctx->status))
				return WB_EXIT_USAGE;
		} else if (ctx->word[w]) {
			return wb_duparg(ct_keywords[w], *argv);
		}
		ctx->word[w] = *argv;
	}
	return 0;
}

static const char *ct_family_label(uint64_t family)
{
	return family == AF_INET6 ? "IPv6" : "IPv4";
}

/* The family that by ("src", "proto icmp", ...) implies must agree. */
static int ct_set_family(struct nf_ct *ct, struct ct_ctx *ctx,
			 uint8_t family, const char *by, const char *str)
{
	char why[96];

	if (!NF_HAS(ct, WBNF_CT_FAMILY)) {
		NF_SET(ct, WBNF_CT_FAMILY, family);
		snprintf(ctx->family_by, sizeof(ctx->family_by), "%s", by);
		return 0;
	}
	if (ct->v[WBNF_CT_FAMILY] == family)
		return 0;
	snprintf(why, sizeof(why), "%s is %s but %s is %s", by,
		 ct_family_label(family), ctx->family_by,
		 ct_family_label(ct->v[WBNF_CT_FAMILY]));
	return wb_invarg(str, why);
}

static int ct_family(struct nf_ct *ct, struct ct_ctx *ctx)
{
	const char *str = ctx->word[CT_W_FAMILY];

	if (!str)
		return 0;
	if (!strcmp(str, "ipv4"))
		return ct_set_family(ct, ctx, AF_INET, "family", str);
	if (!strcmp(str, "ipv6"))
		return ct_set_family(ct, ctx, AF_INET6, "family", str);
	return wb_invarg(str, "family is \"ipv4\" or \"ipv6\"");
}

/* src or dst: an address, exact, of the original direction. */
static int ct_addr(struct nf_ct *ct, struct ct_ctx *ctx, int w)
{
	unsigned int a = w == CT_W_SRC ? WBNF_TUPLE_SRC : WBNF_TUPLE_DST;
	uint8_t *addr = w == CT_W_SRC ? ct->orig.src : ct->orig.dst;
	const char *str = ctx->word[w];
	uint8_t family;
	char why[64];

	if (!str)
		return 0;
	family = nf_parse_addr(str, addr);
	if (!family) {
		snprintf(why, sizeof(why), "%s is an IPv4 or IPv6 address",
			 ct_keywords[w]);
		return wb_invarg(str, why);
	}
	ct->has |= NF_BIT(WBNF_CT_ORIG);
	ct->orig.has |= NF_BIT(a);
	return ct_set_family(ct, ctx, family, ct_keywords[w], str);
}

static int ct_proto(struct nf_ct *ct, struct ct_ctx *ctx)
{
	const char *str = ctx->word[CT_W_PROTO];
	uint32_t num;

	if (!str)
		return 0;
	if (nf_parse_ct_proto(str, &num))
		return wb_invarg(str, "proto is tcp, udp, udplite, icmp, icmpv6, sctp, another protocol's name or a number from 0 to 255");
	NF_SET(ct, WBNF_CT_PROTO, num);
	if (num == IPPROTO_ICMP)
		return ct_set_family(ct, ctx, AF_INET, "proto icmp", str);
	if (num == IPPROTO_ICMPV6)
		return ct_set_family(ct, ctx, AF_INET6, "proto icmpv6", str);
	return 0;
}

/* state TCPSTATE: TCP entries only, so proto tcp if not given. */
static int ct_state(struct nf_ct *ct, struct ct_ctx *ctx)
{
	const char *str = ctx->word[CT_W_STATE];
	uint32_t state;

	if (!str)
		return 0;
	if (nf_parse_tcp_state(str, &state))
		return wb_invarg(str, "state is a TCP state: SYN_SENT, SYN_RECV, ESTABLISHED, FIN_WAIT, CLOSE_WAIT, LAST_ACK, TIME_WAIT, CLOSE or SYN_SENT2");
	if (NF_HAS(ct, WBNF_CT_PROTO) && ct->v[WBNF_CT_PROTO] != IPPROTO_TCP)
		return wb_invarg(str, "state needs proto tcp");
	NF_SET(ct, WBNF_CT_PROTO, IPPROTO_TCP);
	NF_SET(ct, WBNF_CT_TCP_STATE, state);
	return 0;
}

/**
 * nf_parse_ct_filter() - the FILTER of "ct list" and "ct flush"
 * @argc: words
 * @argv: family, proto, state, status, src, dst and their values
 * @filter: gets what an entry must have; no bit of has: every entry
 *
 * Return: 0, or an exit status after an error line or the usage.
 */
int nf_parse_ct_filter(int argc, char **argv, struct nf_ct *filter)
{
	struct ct_ctx ctx;
	int ret;

	memset(filter, 0, sizeof(*filter));
	ret = ct_words(argc, argv, CT_FILTER_WORDS, &ctx);
	if (ret)
		return ret;
	if (ctx.status)
		NF_SET(filter, WBNF_CT_STATUS, ctx.status);
	return ct_family(filter, &ctx) ?: ct_addr(filter, &ctx, CT_W_SRC) ?:
	       ct_addr(filter, &ctx, CT_W_DST) ?: ct_proto(filter, &ctx) ?:
	       ct_state(filter, &ctx);
}

/*
 * A tuple field of proto: needed when the protocol has it (has), else
 * refused.  Returns 0 or an exit status after an error line.
 */
static int ct_field(struct nf_tuple *t, const struct ct_ctx *ctx, int w,
		    unsigned int a, bool has, const char *protos)
{
	const char *str = ctx->word[w];
	uint32_t max = a == WBNF_TUPLE_ICMP_CODE ? 255 : 65535;
	char why[96];
	uint32_t v;

	if (!has && !str)
		return 0;
	if (!has) {
		snprintf(why, sizeof(why), "%s needs proto %s", ct_keywords[w],
			 protos);
		return wb_invarg(str, why);
	}
	if (!str)
		return nf_need(ct_keywords[w], CT_HELP);
	if (a == WBNF_TUPLE_ICMP_TYPE) {
		if (nf_icmp_type_arg(str, t->v[WBNF_TUPLE_PROTO], &v))
			return WB_EXIT_USAGE;
	} else if (wb_parse_u32(str, 0, max, &v)) {
		snprintf(why, sizeof(why), "%s is a number from 0 to %u",
			 ct_keywords[w], max);
		return wb_invarg(str, why);
	}
	NF_SET(t, a, v);
	return 0;
}

/* The fields of the tuple's protocol: ports, ICMP type, code and id. */
static int ct_fields(struct nf_ct *key, const struct ct_ctx *ctx)
{
	static const char ports_for[] = "tcp, udp or udplite";
	static const char icmp_for[] = "icmp or icmpv6";
	uint64_t proto = key->v[WBNF_CT_PROTO];
	struct nf_tuple *t = &key->orig;
	bool ports = proto == IPPROTO_TCP || proto == IPPROTO_UDP ||
		     proto == IPPROTO_UDPLITE;
	bool icmp = proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6;

	NF_SET(t, WBNF_TUPLE_PROTO, proto);
	return ct_field(t, ctx, CT_W_SPORT, WBNF_TUPLE_SPORT, ports,
			ports_for) ?:
	       ct_field(t, ctx, CT_W_DPORT, WBNF_TUPLE_DPORT, ports,
			ports_for) ?:
	       ct_field(t, ctx, CT_W_ICMP_TYPE, WBNF_TUPLE_ICMP_TYPE, icmp,
			icmp_for) ?:
	       ct_field(t, ctx, CT_W_ICMP_CODE, WBNF_TUPLE_ICMP_CODE, icmp,
			icmp_for) ?:
	       ct_field(t, ctx, CT_W_ICMP_ID, WBNF_TUPLE_ICMP_ID, icmp,
			icmp_for);
}

/* id N, alone */
static int ct_id(struct nf_ct *key, const struct ct_ctx *ctx)
{
	const char *str = ctx->word[CT_W_ID];
	uint32_t id;
	int w;

	for (w = 0; w < CT_W_ID; w++) {
		if (ctx->word[w]) {
			wb_err("Error: either \"id\" or a TUPLE, not both, try \"%s\".",
			       CT_HELP);
			return WB_EXIT_USAGE;
		}
	}
	if (wb_parse_u32(str, 0, UINT32_MAX, &id))
		return wb_invarg(str, "id is an entry's id, a number as \"wbctl ct list\" shows");
	NF_SET(key, WBNF_CT_ID, id);
	return 0;
}

/**
 * nf_parse_ct_key() - the entry of "ct get" and "ct delete"
 * @argc: words
 * @argv: "id N", or a TUPLE: proto, src, dst and the protocol's fields
 * @key: gets WBNF_CT_ID, or FAMILY, PROTO and ORIG
 *
 * A TUPLE needs proto, src and dst, and sport and dport for tcp, udp and
 * udplite, icmp-type, icmp-code and icmp-id for icmp and icmpv6; other
 * protocols have none of those.
 *
 * Return: 0, or an exit status after an error line or the usage.
 */
int nf_parse_ct_key(int argc, char **argv, struct nf_ct *key)
{
	struct ct_ctx ctx;
	int ret;

	memset(key, 0, sizeof(*key));
	ret = ct_words(argc, argv, CT_KEY_WORDS, &ctx);
	if (ret)
		return ret;
	if (ctx.word[CT_W_ID])
		return ct_id(key, &ctx);
	if (!argc)
		return nf_need("a TUPLE or id ID", CT_HELP);
	if (!ctx.word[CT_W_PROTO])
		return nf_need("proto", CT_HELP);
	if (!ctx.word[CT_W_SRC] || !ctx.word[CT_W_DST])
		return nf_need(ctx.word[CT_W_SRC] ? "dst" : "src", CT_HELP);
	return ct_addr(key, &ctx, CT_W_SRC) ?: ct_addr(key, &ctx, CT_W_DST) ?:
	       ct_proto(key, &ctx) ?: ct_fields(key, &ctx);
}

/* The value of setting a: a number of entries or seconds, checked. */
static int ct_config_value(unsigned int a, const char *str, uint32_t *v)
{
	uint32_t max = a == WBNF_CTC_ENTRIES_MAX ? WBNF_CT_MAX_LIMIT :
						   WBNF_CT_TIMEOUT_MAX;
	char why[96];

	if (!wb_parse_u32(str, 1, max, v))
		return 0;
	snprintf(why, sizeof(why), "%s is from 1 to %u %s",
		 nf_ct_config_name(a), max,
		 a == WBNF_CTC_ENTRIES_MAX ? "entries" : "seconds");
	return wb_invarg(str, why);
}

/* [max N] [TIMEOUT SECONDS]..., at least one; 0 or an exit status. */
int nf_parse_ct_config_set(int argc, char **argv, struct nf_ct_config *cfg)
{
	unsigned int a;
	uint32_t v;

	memset(cfg, 0, sizeof(*cfg));
	if (!argc)
		return nf_need("max or a TIMEOUT", CT_HELP);
	for (; argc > 0; argc--, argv++) {
		if (!strcmp(*argv, "help"))
			return ct_usage();
		if (nf_parse_ct_config_name(*argv, &a))
			return nf_unknown(*argv, CT_HELP);
		if (a == WBNF_CTC_HASHSIZE)
			return wb_invarg(*argv, "hashsize is read-only, the module parameter ct_hashsize");
		NEXT_ARG();
		if (NF_HAS(cfg, a))
			return wb_duparg(nf_ct_config_name(a), *argv);
		if (ct_config_value(a, *argv, &v))
			return WB_EXIT_USAGE;
		NF_SET(cfg, a, v);
	}
	return 0;
}

/* ---- commands ---- */

struct ct_list {
	uint16_t family;
	struct nf_ct *v;
	size_t n;
	size_t cap;
};

static int ct_list_cb(const struct nlmsghdr *nlh, void *data)
{
	struct ct_list *list = data;
	struct nf_ct ct, *v;

	if (nf_parse_ct_msg(nlh, list->family, &ct))
		return 0;
	v = wb_grow(list->v, &list->cap, list->n, sizeof(*v));
	if (!v)
		return -ENOMEM;
	list->v = v;
	list->v[list->n++] = ct;
	return 0;
}

static void ct_list_reset(void *data)
{
	struct ct_list *list = data;

	list->n = 0;
}

/* Each entry as it arrives: a table may hold millions (conntrack -L). */
static int ct_print_cb(const struct nlmsghdr *nlh, void *data)
{
	struct ct_list *list = data;
	struct nf_ct ct;

	if (nf_parse_ct_msg(nlh, list->family, &ct))
		return 0;
	nf_print_ct(&ct);
	list->n++;
	return 0;
}

static int ct_show(int argc, char **argv)
{
	struct ct_list list = {};
	char buf[NL_TX_SIZE];
	struct nf_ct filter;
	struct nl_sock nl;
	int ret, err;

	ret = nf_parse_ct_filter(argc, argv, &filter);
	if (ret)
		return ret;
	ret = nf_connect(&nl, &list.family);
	if (ret)
		return ret;
	/* the kernel never interrupts a ct dump (no NLM_F_DUMP_INTR) */
	print_open_array(NULL);
	err = nl_dump(&nl, nf_build_ct_dump(buf, list.family, &filter),
		      ct_print_cb, &list, ct_list_reset);
	print_close_array();
	if (err)
		ret = nl_report(&nl, err);
	nl_close(&nl);
	if (!ret && !print_is_json()) {
		print_end_record();	/* the lines before the summary */
		wb_err("wbctl: %zu flow entries have been shown.", list.n);
	}
	return ret;
}

static int ct_get(int argc, char **argv)
{
	struct ct_list list = {};
	char buf[NL_TX_SIZE];
	struct nl_sock nl;
	struct nf_ct key;
	int ret;

	ret = nf_parse_ct_key(argc, argv, &key);
	if (ret)
		return ret;
	ret = nf_connect(&nl, &list.family);
	if (ret)
		return ret;
	ret = nl_do(&nl, nf_build_ct_get(buf, list.family, &key), ct_list_cb,
		    &list);
	nl_close(&nl);
	if (!ret && !list.n) {
		wb_err("Error: the kernel did not send the entry.");
		ret = WB_EXIT_FAIL;
	}
	if (!ret)
		nf_print_ct_list(list.v, list.n);
	free(list.v);
	return ret;
}

static int ct_del(int argc, char **argv)
{
	char buf[NL_TX_SIZE];
	struct nl_sock nl;
	uint16_t family;
	struct nf_ct key;
	int ret;

	ret = nf_parse_ct_key(argc, argv, &key);
	if (ret)
		return ret;
	ret = nf_connect(&nl, &family);
	if (ret)
		return ret;
	ret = nl_do(&nl, nf_build_ct_del(buf, family, &key), NULL, NULL);
	nl_close(&nl);
	return ret;
}

static int ct_flush(int argc, char **argv)
{
	char buf[NL_TX_SIZE];
	struct nf_ct filter;
	struct nl_sock nl;
	uint16_t family;
	int ret;

	ret = nf_parse_ct_filter(argc, argv, &filter);
	if (ret)
		return ret;
	ret = nf_connect(&nl, &family);
	if (ret)
		return ret;
	ret = nl_do(&nl, nf_build_ct_flush(buf, family, &filter), NULL, NULL);
	nl_close(&nl);
	return ret;
}

struct ct_stats_get {
	uint16_t family;
	bool got;
	struct nf_ct_stats st;
};

static int ct_stats_cb(const struct nlmsghdr *nlh, void *data)
{
	struct ct_stats_get *s = data;

	s->got = !nf_parse_ct_stats(nlh, s->family, &s->st);
	return 0;
}

/* count or stats: one CT_STATS_GET, printed by print(). */
static int ct_counters(int argc, char **argv, const char *cmd,
		       void (*print)(const struct nf_ct_stats *st))
{
	struct ct_stats_get s = {};
	char buf[NL_TX_SIZE];
	struct nl_sock nl;
	int ret;

	ret = nf_no_args(argc, argv, cmd, ct_usage);
	if (ret)
		return ret;
	ret = nf_connect(&nl, &s.family);
	if (ret)
		return ret;
	ret = nl_do(&nl, nf_build_ct_stats_get(buf, s.family), ct_stats_cb,
		    &s);
	nl_close(&nl);
	if (!ret && !s.got) {
		wb_err("Error: the kernel did not send the counters.");
		ret = WB_EXIT_FAIL;
	}
	if (!ret)
		print(&s.st);
	return ret;
}

static int ct_count(int argc, char **argv)
{
	return ct_counters(argc, argv, "count", nf_print_ct_count);
}

static int ct_stats(int argc, char **argv)
{
	return ct_counters(argc, argv, "stats", nf_print_ct_stats);
}

struct ct_config_get {
	uint16_t family;
	bool got;
	struct nf_ct_config cfg;
};

static int ct_config_cb(const struct nlmsghdr *nlh, void *data)
{
	struct ct_config_get *c = data;

	c->got = !nf_parse_ct_config(nlh, c->family, &c->cfg);
	return 0;
}

static int ct_config_show(int argc, char **argv)
{
	struct ct_config_get c = {};
	char buf[NL_TX_SIZE];
	struct nl_sock nl;
	int ret;

	ret = nf_no_args(argc, argv, "show", ct_usage);
	if (ret)
		return ret;
	ret = nf_connect(&nl, &c.family);
	if (ret)
		return ret;
	ret = nl_do(&nl, nf_build_ct_config_get(buf, c.family), ct_config_cb,
		    &c);
	nl_close(&nl);
	if (!ret && !c.got) {
		wb_err("Error: the kernel did not send the settings.");
		ret = WB_EXIT_FAIL;
	}
	if (!ret)
		nf_print_ct_config(&c.cfg);
	return ret;
}

static int ct_config_set(int argc, char **argv)
{
	struct nf_ct_config cfg;
	char buf[NL_TX_SIZE];
	struct nl_sock nl;
	uint16_t family;
	int ret;

	ret = nf_parse_ct_config_set(argc, argv, &cfg);
	if (ret)
		return ret;
	ret = nf_connect(&nl, &family);
	if (ret)
		return ret;
	ret = nl_do(&nl, nf_build_ct_config_set(buf, family, &cfg), NULL,
		    NULL);
	nl_close(&nl);
	return ret;
}

static int ct_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return ct_usage();
}

static const struct wb_cmd ct_config_cmds[] = {
	{ "show",	ct_config_show },
	{ "set",	ct_config_set },
	{ "help",	ct_help },
	{ NULL,		NULL },
};

static int ct_config(int argc, char **argv)
{
	if (argc < 1)
		return ct_config_show(0, NULL);
	return wb_do_cmd(ct_config_cmds, CT_HELP, argc, argv);
}

static const struct wb_cmd ct_cmds[] = {
	{ "list",	ct_show },
	{ "show",	ct_show },
	{ "get",	ct_get },
	{ "delete",	ct_del },
	{ "del",	ct_del },
	{ "flush",	ct_flush },
	{ "count",	ct_count },
	{ "stats",	ct_stats },
	{ "config",	ct_config },
	{ "help",	ct_help },
	{ NULL,		NULL },
};

int do_ct(int argc, char **argv)
{
	if (argc < 1)
		return ct_show(0, NULL);
	return wb_do_cmd(ct_cmds, CT_HELP, argc, argv);
}
