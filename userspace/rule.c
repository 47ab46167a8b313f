// SPDX-License-Identifier: GPL-2.0
/*
 * wbctl rule: add, delete, list and flush the rules of wirebox_nf's
 * hooks, and replace the whole ruleset from a file in one swap.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netfilter.h>
#include <linux/netlink.h>

#include "nf.h"
#include "nl.h"
#include "print.h"
#include "utils.h"
#include "wbctl.h"

#define RULE_HELP	"wbctl rule help"
#define RULE_LINE_WORDS	64	/* words on a ruleset line, at most */
#define RULE_STDIN	"<stdin>"

static int rule_usage(void)
{
	wb_err("Usage: wbctl rule add HOOK [ MATCH ]... VERDICT [ index N ]\n"
	       "       wbctl rule { del | delete } HOOK [ id ] ID\n"
	       "       wbctl rule { list | show } [ HOOK ]\n"
	       "       wbctl rule flush [ HOOK ]\n"
	       "       wbctl rule restore [ FILE ]\n"
	       "       wbctl rule help\n"
	       NF_USAGE_HOOK "\n"
	       NF_USAGE_MATCH("       ") "\n"
	       "       VERDICT := { accept | drop | reject | log | notrack }\n"
	       "       notrack: prerouting and output only\n"
	       "       N := position to insert at, from 0 (the first rule);\n"
	       "            without it, the rule goes last\n"
	       "       FILE := lines \"HOOK [ MATCH ]... VERDICT\" and\n"
	       "               \"policy HOOK { accept | drop }\"; stdin if not given");
	return WB_EXIT_USAGE;
}

static int rule_index_arg(const char *str, uint32_t *index)
{
	char why[64];

	if (!wb_parse_u32(str, 0, WBNF_RULES_MAX - 1, index))
		return 0;
	snprintf(why, sizeof(why), "index is from 0 to %u",
		 WBNF_RULES_MAX - 1);
	return wb_invarg(str, why);
}

/*
 * Like the raw table, notrack is for the hooks before conntrack, and
 * its rules are looked at before conntrack: no packet has a state yet.
 */
static int rule_check_notrack(const struct nf_rule *r,
			      const struct nf_match_ctx *ctx)
{
	uint64_t hook = r->v[WBNF_R_HOOK];

	if (r->v[WBNF_R_VERDICT] != WBNF_VERDICT_NOTRACK)
		return 0;
	if (hook != NF_INET_PRE_ROUTING && hook != NF_INET_LOCAL_OUT)
		return wb_invarg("notrack", "notrack is for the prerouting and output hooks only");
	if (NF_HAS(r, WBNF_R_CT_STATE))
		return wb_invarg(ctx->word[WBNF_R_CT_STATE], "a notrack rule comes before conntrack and has no ct state");
	return 0;
}

/*
 * HOOK [MATCH]... VERDICT, then also [index N] when req is not NULL.
 * Returns 0 or an exit status after an error line.
 */
static int rule_parse(int argc, char **argv, struct nf_rule *r,
		      struct nf_rule_add_req *req)
{
	struct nf_match_ctx ctx = {};
	uint32_t hook, verdict;
	int ret;

	memset(r, 0, sizeof(*r));
	if (argc < 1)
		return nf_need("HOOK", RULE_HELP);
	if (!strcmp(*argv, "help"))
		return rule_usage();
	if (nf_hook_arg(*argv, &hook))
		return WB_EXIT_USAGE;
	NF_SET(r, WBNF_R_HOOK, hook);
	for (argc--, argv++; argc > 0; argc--, argv++) {
		ret = nf_parse_match(&argv, &argc, r, &ctx);
		if (ret >= 0) {
			if (ret)
				return ret;
		} else if (!nf_parse_verdict(*argv, &verdict)) {
			if (NF_HAS(r, WBNF_R_VERDICT))
				return wb_duparg("verdict", *argv);
			NF_SET(r, WBNF_R_VERDICT, verdict);
		} else if (req && !strcmp(*argv, "index")) {
			NEXT_ARG();
			if (req->has_index)
				return wb_duparg("index", *argv);
			req->has_index = true;
			if (rule_index_arg(*argv, &req->index))
				return WB_EXIT_USAGE;
		} else if (!strcmp(*argv, "help")) {
			return rule_usage();
		} else {
			return nf_unknown(*argv, RULE_HELP);
		}
	}
	ret = nf_check_match(r, &ctx);
	if (!ret && !NF_HAS(r, WBNF_R_VERDICT))
		ret = nf_need("VERDICT", RULE_HELP);
	return ret ?: rule_check_notrack(r, &ctx);
}

/* Returns 0 or an exit status (after an error line or the usage). */
int nf_parse_rule_add(int argc, char **argv, struct nf_rule_add_req *req)
{
	memset(req, 0, sizeof(*req));
	return rule_parse(argc, argv, &req->rule, req);
}

/* HOOK [id] ID */
int nf_parse_rule_del(int argc, char **argv, uint32_t *hook, uint32_t *id)
{
	int i;

	for (i = 0; i < argc; i++)
		if (!strcmp(argv[i], "help"))
			return rule_usage();
	if (argc < 1)
		return nf_need("HOOK", RULE_HELP);
	if (nf_hook_arg(argv[0], hook))
		return WB_EXIT_USAGE;
	argc--;
	argv++;
	if (argc > 0 && !strcmp(*argv, "id"))
		NEXT_ARG();
	else if (argc < 1)
		return nf_need("rule ID", RULE_HELP);
	if (argc > 1)
		return wb_garbage("id", argv[1]);
	if (wb_parse_u32(*argv, 0, UINT32_MAX, id))
		return wb_invarg(*argv, "ID is a rule id, a number as \"wbctl rule list\" shows");
	return 0;
}

/* ---- ruleset files ---- */

void nf_ruleset_free(struct nf_ruleset *set)
{
	free(set->rules);
	memset(set, 0, sizeof(*set));
}

/* "policy HOOK { accept | drop }", once per hook. */
static int rule_policy_line(int argc, char **argv, struct nf_ruleset *set)
{
	uint32_t hook, policy;
	char key[32];
	int ret;

	ret = nf_parse_policy_set(argc, argv, &hook, &policy);
	if (ret)
		return ret;
	if (set->has_policy[hook]) {
		snprintf(key, sizeof(key), "policy %s", nf_hook_name(hook));
		return wb_duparg(key, argv[1]);
	}
	set->has_policy[hook] = true;
	set->policy[hook] = policy;
	return 0;
}

static int rule_rule_line(int argc, char **argv, struct nf_ruleset *set)
{
	struct nf_rule r, *v;
	uint32_t hook;
	int ret;

	ret = rule_parse(argc, argv, &r, NULL);
	if (ret)
		return ret;
	hook = r.v[WBNF_R_HOOK];
	if (set->per_hook[hook] == WBNF_RULES_MAX) {
		wb_err("Error: more than %u rules on hook %s.",
		       WBNF_RULES_MAX, nf_hook_name(hook));
		return WB_EXIT_FAIL;
	}
	v = wb_grow(set->rules, &set->cap, set->n, sizeof(*v));
	if (!v) {
		wb_err("Error: %s.", strerror(ENOMEM));
		return WB_EXIT_FAIL;
	}
	set->rules = v;
	set->rules[set->n++] = r;
	set->per_hook[hook]++;
	return 0;
}

/* Split line into words, in place, up to a word that starts with '#'. */
static int rule_split(char *line, char **words)
{
	int n = 0;

	for (;;) {
		while (isspace((unsigned char)*line))
			line++;
		if (!*line || *line == '#')
			return n;
		if (n == RULE_LINE_WORDS)
			return -1;
		words[n++] = line;
		while (*line && !isspace((unsigned char)*line))
			line++;
		if (*line)
			*line++ = 0;
	}
}

static int rule_line(char *line, struct nf_ruleset *set)
{
	char *words[RULE_LINE_WORDS + 1];
	int n = rule_split(line, words);

	if (n < 0) {
		wb_err("Error: more than %d words on a line.",
		       RULE_LINE_WORDS);
		return WB_EXIT_FAIL;
	}
	words[n] = NULL;
	if (!n)
		return 0;
	if (!strcmp(words[0], "policy"))
		return rule_policy_line(n - 1, words + 1, set);
	return rule_rule_line(n, words, set);
}

/**
 * nf_parse_ruleset() - read a ruleset file
 * @fp: the file
 * @name: its name, for error messages "NAME:LINE: Error: ..."
 * @set: filled; nf_ruleset_free() it on success
 *
 * Each line is blank, a comment (from a word that starts with '#'), a
 * rule as after "wbctl rule add" without index, or "policy HOOK
 * { accept | drop }".
 *
 * Return: 0, or an exit status after an error line; @set is then empty.
 */
int nf_parse_ruleset(FILE *fp, const char *name, struct nf_ruleset *set)
{
	unsigned int lineno = 0;
	size_t size = 0;
	char *line = NULL;
	int ret = 0;

	memset(set, 0, sizeof(*set));
	while (!ret && getline(&line, &size, fp) >= 0) {
		wb_err_at(name, ++lineno);
		ret = rule_line(line, set);
	}
	wb_err_at(NULL, 0);
	if (!ret && ferror(fp)) {
		wb_err("Error: cannot read \"%s\": %s.", name,
		       strerror(errno));
		ret = WB_EXIT_FAIL;
	}
	free(line);
	if (ret)
		nf_ruleset_free(set);
	/* A bad line is an error in the file, not on the command line. */
	return ret ? WB_EXIT_FAIL : 0;
}

/* ---- commands ---- */

struct rule_list {
	uint16_t family;
	struct nf_rule *v;
	size_t n;
	size_t cap;
};

static int rule_list_cb(const struct nlmsghdr *nlh, void *data)
{
	struct rule_list *list = data;
	struct nf_rule r, *v;

	if (nf_parse_rule_msg(nlh, list->family, &r))
		return 0;
	v = wb_grow(list->v, &list->cap, list->n, sizeof(*v));
	if (!v)
		return -ENOMEM;
	list->v = v;
	list->v[list->n++] = r;
	return 0;
}

static void rule_list_reset(void *data)
{
	struct rule_list *list = data;

	list->n = 0;
}

/* Without -json, print nothing, as ip does; with it, the new rule. */
static int rule_add(int argc, char **argv)
{
	struct rule_list list = {};
	struct nf_rule_add_req req;
	char buf[NL_TX_SIZE];
	struct nl_sock nl;
	int ret;

	ret = nf_parse_rule_add(argc, argv, &req);
	if (ret)
		return ret;
	ret = nf_connect(&nl, &list.family);
	if (ret)
		return ret;
	ret = nl_do(&nl, nf_build_rule_new(buf, list.family, &req),
		    rule_list_cb, &list);
	nl_close(&nl);
	if (!ret && list.n && print_is_json())
		nf_print_rule(&list.v[0]);
	free(list.v);
	return ret;
}

static int rule_del(int argc, char **argv)
{
	char buf[NL_TX_SIZE];
	struct nl_sock nl;
	uint32_t hook, id;
	uint16_t family;
	int ret;

	ret = nf_parse_rule_del(argc, argv, &hook, &id);
	if (ret)
		return ret;
	ret = nf_connect(&nl, &family);
	if (ret)
		return ret;
	ret = nl_do(&nl, nf_build_rule_del(buf, family, hook, id), NULL,
		    NULL);
	nl_close(&nl);
	return ret;
}

/* In the kernel's order, which is the order the rules are tried in. */
static int rule_show(int argc, char **argv)
{
	struct rule_list list = {};
	char buf[NL_TX_SIZE];
	struct nl_sock nl;
	uint32_t hook;
	bool has_hook;
	size_t i;
	int ret, err;

	ret = nf_parse_hook_opt(argc, argv, rule_usage, &has_hook, &hook);
	if (ret)
		return ret;
	ret = nf_connect(&nl, &list.family);
	if (ret)
		return ret;
	err = nl_dump(&nl, nf_build_rule_get(buf, list.family,
					     has_hook ? &hook : NULL),
		      rule_list_cb, &list, rule_list_reset);
	if (err)
		ret = nl_report(&nl, err);
	nl_close(&nl);
	if (!ret) {
		print_open_array(NULL);
		for (i = 0; i < list.n; i++)
			nf_print_rule(&list.v[i]);
		print_close_array();
	}
	free(list.v);
	return ret;
}

static int rule_flush(int argc, char **argv)
{
	char buf[NL_TX_SIZE];
	struct nl_sock nl;
	uint16_t family;
	uint32_t hook;
	bool has_hook;
	int ret;

	ret = nf_parse_hook_opt(argc, argv, rule_usage, &has_hook, &hook);
	if (ret)
		return ret;
	ret = nf_connect(&nl, &family);
	if (ret)
		return ret;
	ret = nl_do(&nl, nf_build_rule_flush(buf, family,
					     has_hook ? &hook : NULL),
		    NULL, NULL);
	nl_close(&nl);
	return ret;
}

/* [FILE]: read it ("-" or none: stdin) into *set. */
static int rule_read(int argc, char **argv, struct nf_ruleset *set)
{
	const char *file = argc ? argv[0] : "-";
	bool std = !strcmp(file, "-");
	FILE *fp;
	int ret;

	if (argc && !strcmp(argv[0], "help"))
		return rule_usage();
	if (argc > 1)
		return wb_garbage(argv[0], argv[1]);
	fp = std ? stdin : fopen(file, "r");
	if (!fp) {
		wb_err("Error: cannot open \"%s\": %s.", file,
		       strerror(errno));
		return WB_EXIT_FAIL;
	}
	ret = nf_parse_ruleset(fp, std ? RULE_STDIN : file, set);
	if (!std)
		fclose(fp);
	return ret;
}

/* One RULESET_SET: the kernel swaps in the whole set or nothing. */
static int rule_restore(int argc, char **argv)
{
	struct nlmsghdr *req = NULL;
	struct nf_ruleset set;
	struct nl_sock nl;
	uint16_t family;
	int ret, err;

	ret = rule_read(argc, argv, &set);
	if (ret)
		return ret;
	ret = nf_connect(&nl, &family);
	if (!ret) {
		req = nf_build_ruleset(family, &set);
		err = req ? nl_talk(&nl, req, NULL, NULL) : -ENOMEM;
		if (err == -EMSGSIZE && !nl.kernel) {
			wb_err("Error: the ruleset, %u bytes, is too large for the netlink socket: raise net.core.wmem_max.",
			       req->nlmsg_len);
			ret = WB_EXIT_FAIL;
		} else if (err) {
			ret = nl_report(&nl, err);
		}
		nl_close(&nl);
	}
	free(req);
	nf_ruleset_free(&set);
	return ret;
}

static int rule_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return rule_usage();
}

static const struct wb_cmd rule_cmds[] = {
	{ "add",	rule_add },
	{ "del",	rule_del },
	{ "delete",	rule_del },
	{ "list",	rule_show },
	{ "show",	rule_show },
	{ "flush",	rule_flush },
	{ "restore",	rule_restore },
	{ "help",	rule_help },
	{ NULL,		NULL },
};

int do_rule(int argc, char **argv)
{
	if (argc < 1)
		return rule_show(0, NULL);
	return wb_do_cmd(rule_cmds, RULE_HELP, argc, argv);
}
