// SPDX-License-Identifier: GPL-2.0
/*
 * wbctl trace: choose which packets wirebox_nf traces, hook by hook;
 * "wbctl monitor trace" (monitor.c) prints them.
 */
#include <stdio.h>
#include <string.h>

#include "nf.h"
#include "nl.h"
#include "print.h"
#include "utils.h"
#include "wbctl.h"

#define TRACE_HELP	"wbctl trace help"

static int trace_usage(void)
{
	wb_err("Usage: wbctl trace on [ MATCH ]... [ rate N ]\n"
	       "       wbctl trace off\n"
	       "       wbctl trace show\n"
	       "       wbctl trace help\n"
	       NF_USAGE_MATCH("where  ") "\n"
	       "       N := packets traced per second, 1 to %u, also N/s;\n"
	       "            %u if not given",
	       WBNF_TRACE_RATE_MAX, WBNF_TRACE_RATE_DEFAULT);
	return WB_EXIT_USAGE;
}

/* N or N/s */
static int trace_rate_arg(const char *str, struct nf_trace_cfg *cfg)
{
	size_t len = strlen(str);
	char buf[16], why[96];
	uint32_t rate;

	snprintf(buf, sizeof(buf), "%s", str);
	if (len > 2 && len < sizeof(buf) && !strcmp(buf + len - 2, "/s"))
		buf[len - 2] = 0;
	if (len < sizeof(buf) &&
	    !wb_parse_u32(buf, 1, WBNF_TRACE_RATE_MAX, &rate)) {
		NF_SET(cfg, WBNF_A_TRACE_RATE, rate);
		return 0;
	}
	snprintf(why, sizeof(why),
		 "rate is from 1 to %u packets per second, like 10 or 10/s",
		 WBNF_TRACE_RATE_MAX);
	return wb_invarg(str, why);
}

/* [MATCH]... [rate N]; returns 0 or an exit status. */
int nf_parse_trace_on(int argc, char **argv, struct nf_trace_cfg *cfg)
{
	struct nf_match_ctx ctx = {};
	int ret;

	memset(cfg, 0, sizeof(*cfg));
	NF_SET(cfg, WBNF_A_TRACE_ON, 1);
	for (; argc > 0; argc--, argv++) {
		ret = nf_parse_match(&argv, &argc, &cfg->match, &ctx);
		if (ret >= 0) {
			if (ret)
				return ret;
		} else if (!strcmp(*argv, "rate")) {
			NEXT_ARG();
			if (NF_HAS(cfg, WBNF_A_TRACE_RATE))
				return wb_duparg("rate", *argv);
			if (trace_rate_arg(*argv, cfg))
				return WB_EXIT_USAGE;
		} else if (!strcmp(*argv, "help")) {
			return trace_usage();
		} else {
			return nf_unknown(*argv, TRACE_HELP);
		}
	}
	ret = nf_check_match(&cfg->match, &ctx);
	if (cfg->match.has)
		cfg->has |= NF_BIT(WBNF_A_TRACE_MATCH);
	return ret;
}

static int trace_set(const struct nf_trace_cfg *cfg)
{
	char buf[NL_TX_SIZE];
	struct nl_sock nl;
	uint16_t family;
	int ret;

	ret = nf_connect(&nl, &family);
	if (ret)
		return ret;
	ret = nl_do(&nl, nf_build_trace_set(buf, family, cfg), NULL, NULL);
	nl_close(&nl);
	return ret;
}

static int trace_on(int argc, char **argv)
{
	struct nf_trace_cfg cfg;
	int ret;

	ret = nf_parse_trace_on(argc, argv, &cfg);
	return ret ?: trace_set(&cfg);
}

static int trace_off(int argc, char **argv)
{
	struct nf_trace_cfg cfg = {};
	int ret;

	ret = nf_no_args(argc, argv, "off", trace_usage);
	if (ret)
		return ret;
	NF_SET(&cfg, WBNF_A_TRACE_ON, 0);
	return trace_set(&cfg);
}

struct trace_get {
	uint16_t family;
	bool got;
	struct nf_trace_cfg cfg;
};

static int trace_get_cb(const struct nlmsghdr *nlh, void *data)
{
	struct trace_get *t = data;

	t->got = !nf_parse_trace_cfg(nlh, t->family, &t->cfg);
	return 0;
}

static int trace_show(int argc, char **argv)
{
	struct trace_get t = {};
	char buf[NL_TX_SIZE];
	struct nl_sock nl;
	int ret;

	ret = nf_no_args(argc, argv, "show", trace_usage);
	if (ret)
		return ret;
	ret = nf_connect(&nl, &t.family);
	if (ret)
		return ret;
	ret = nl_do(&nl, nf_build_trace_get(buf, t.family), trace_get_cb, &t);
	nl_close(&nl);
	if (!ret && !t.got) {
		wb_err("Error: the kernel did not send the trace selection.");
		ret = WB_EXIT_FAIL;
	}
	if (!ret)
		nf_print_trace_cfg(&t.cfg);
	return ret;
}

static int trace_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return trace_usage();
}

static const struct wb_cmd trace_cmds[] = {
	{ "on",		trace_on },
	{ "off",	trace_off },
	{ "show",	trace_show },
	{ "help",	trace_help },
	{ NULL,		NULL },
};

int do_trace(int argc, char **argv)
{
	if (argc < 1)
		return trace_show(0, NULL);
	return wb_do_cmd(trace_cmds, TRACE_HELP, argc, argv);
}
