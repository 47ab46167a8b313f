// SPDX-License-Identifier: GPL-2.0
/*
 * wbctl policy and wbctl stats: what each hook does with the packets no
 * rule decides, and what each hook has seen.  Both read the STATS_GET
 * dump, one message per hook and family.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netlink.h>

#include "nf.h"
#include "nl.h"
#include "print.h"
#include "utils.h"
#include "wbctl.h"

#define POLICY_HELP	"wbctl policy help"

static int policy_usage(void)
{
	wb_err("Usage: wbctl policy set HOOK { accept | drop }\n"
	       "       wbctl policy { show | list }\n"
	       "       wbctl policy help\n"
	       NF_USAGE_HOOK);
	return WB_EXIT_USAGE;
}

static int stats_usage(void)
{
	wb_err("Usage: wbctl stats [ HOOK ]\n"
	       "       wbctl stats help\n"
	       NF_USAGE_HOOK);
	return WB_EXIT_USAGE;
}

/* HOOK { accept | drop }; also a ruleset file's policy line. */
int nf_parse_policy_set(int argc, char **argv, uint32_t *hook,
			uint32_t *policy)
{
	int i;

	for (i = 0; i < argc; i++)
		if (!strcmp(argv[i], "help"))
			return policy_usage();
	if (argc < 1)
		return nf_need("HOOK", POLICY_HELP);
	if (nf_hook_arg(argv[0], hook))
		return WB_EXIT_USAGE;
	if (argc < 2)
		return nf_need("policy (accept or drop)", POLICY_HELP);
	if (argc > 2)
		return wb_garbage(argv[1], argv[2]);
	if (nf_parse_verdict(argv[1], policy) ||
	    (*policy != WBNF_VERDICT_ACCEPT && *policy != WBNF_VERDICT_DROP))
		return wb_invarg(argv[1], "policy is \"accept\" or \"drop\"");
	return 0;
}

struct stats_list {
	uint16_t family;
	bool has_hook;		/* keep only this hook's */
	uint32_t hook;
	struct nf_stats *v;
	size_t n;
	size_t cap;
};

static int stats_list_cb(const struct nlmsghdr *nlh, void *data)
{
	struct stats_list *list = data;
	struct nf_stats st, *v;

	if (nf_parse_stats(nlh, list->family, &st) ||
	    (list->has_hook && st.v[WBNF_A_HOOK] != list->hook))
		return 0;
	v = wb_grow(list->v, &list->cap, list->n, sizeof(*v));
	if (!v)
		return -ENOMEM;
	list->v = v;
	list->v[list->n++] = st;
	return 0;
}

static void stats_list_reset(void *data)
{
	struct stats_list *list = data;

	list->n = 0;
}

/* The whole dump, sorted, or an exit status after an error line. */
static int stats_get(struct stats_list *list)
{
	char buf[NL_TX_SIZE];
	struct nl_sock nl;
	int ret, err;

	ret = nf_connect(&nl, &list->family);
	if (ret)
		return ret;
	err = nl_dump(&nl, nf_build_stats_get(buf, list->family),
		      stats_list_cb, list, stats_list_reset);
	if (err)
		ret = nl_report(&nl, err);
	nl_close(&nl);
	nf_sort_stats(list->v, list->n);
	return ret;
}

static int policy_set(int argc, char **argv)
{
	char buf[NL_TX_SIZE];
	uint32_t hook, policy;
	struct nl_sock nl;
	uint16_t family;
	int ret;

	ret = nf_parse_policy_set(argc, argv, &hook, &policy);
	if (ret)
		return ret;
	ret = nf_connect(&nl, &family);
	if (ret)
		return ret;
	ret = nl_do(&nl, nf_build_policy_set(buf, family, hook, policy), NULL,
		    NULL);
	nl_close(&nl);
	return ret;
}

static int policy_show(int argc, char **argv)
{
	struct stats_list list = {};
	int ret;

	ret = nf_no_args(argc, argv, "show", policy_usage);
	if (ret)
		return ret;
	ret = stats_get(&list);
	if (!ret)
		nf_print_policies(list.v, list.n);
	free(list.v);
	return ret;
}

static int policy_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return policy_usage();
}

static const struct wb_cmd policy_cmds[] = {
	{ "set",	policy_set },
	{ "show",	policy_show },
	{ "list",	policy_show },
	{ "help",	policy_help },
	{ NULL,		NULL },
};

int do_policy(int argc, char **argv)
{
	if (argc < 1)
		return policy_show(0, NULL);
	return wb_do_cmd(policy_cmds, POLICY_HELP, argc, argv);
}

/* wbctl stats [HOOK]: the HOOK filter is ours, the dump has them all. */
int do_stats(int argc, char **argv)
{
	struct stats_list list = {};
	int ret;

	ret = nf_parse_hook_opt(argc, argv, stats_usage, &list.has_hook,
				&list.hook);
	if (ret)
		return ret;
	ret = stats_get(&list);
	if (!ret)
		nf_print_stats(list.v, list.n);
	free(list.v);
	return ret;
}
