// SPDX-License-Identifier: GPL-2.0
/*
 * wbctl: control tool for wirebox, in the style of ip(8).
 *
 *	wbctl [ OPTIONS ] OBJECT { COMMAND | help }
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "print.h"
#include "utils.h"
#include "wbctl.h"

#ifndef WBCTL_VERSION
#define WBCTL_VERSION	"0.1.0"
#endif

struct wb_opts {
	bool json;
	bool pretty;
	const char *netns;
};

static int wb_usage(void)
{
	wb_err("Usage: wbctl [ OPTIONS ] OBJECT { COMMAND | help }\n"
	       "       wbctl -V\n"
	       "where  OBJECT := { pair | nic | rule | policy | stats | trace | ct |\n"
	       "                   monitor }\n"
	       "       OPTIONS := { -V[ersion] | -j[son] | -p[retty] |\n"
	       "                    -n[etns] NETNS | -h[elp] }");
	return WB_EXIT_USAGE;
}

static int do_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return wb_usage();
}

static const struct wb_cmd wb_objects[] = {
	{ "pair",	do_pair },
	{ "nic",	do_nic },
	{ "rule",	do_rule },
	{ "policy",	do_policy },
	{ "stats",	do_stats },
	{ "trace",	do_trace },
	{ "ct",		do_ct },
	{ "monitor",	do_monitor },
	{ "help",	do_help },
	{ NULL,		NULL },
};

static int wb_do_object(int argc, char **argv)
{
	const struct wb_cmd *c;

	for (c = wb_objects; c->name; c++)
		if (!strcmp(argv[0], c->name))
			return c->func(argc - 1, argv + 1);
	wb_err("Object \"%s\" is unknown, try \"wbctl help\".", argv[0]);
	return WB_EXIT_FAIL;
}

static bool wb_opt_is(const char *opt, const char *s, const char *l)
{
	return !strcmp(opt, s) || !strcmp(opt, l);
}

/*
 * Global options, ip style: single dash, exact names, "--opt" accepted
 * as "-opt".  Returns -1 to go on, else the exit status.
 */
static int wb_parse_opts(int *argcp, char ***argvp, struct wb_opts *o)
{
	int argc = *argcp;
	char **argv = *argvp;
	const char *opt;

	for (; argc > 1 && argv[1][0] == '-'; argc--, argv++) {
		opt = argv[1][1] == '-' ? argv[1] + 1 : argv[1];
		if (wb_opt_is(opt, "-j", "-json")) {
			o->json = true;
		} else if (wb_opt_is(opt, "-p", "-pretty")) {
			o->pretty = true;
		} else if (wb_opt_is(opt, "-n", "-netns")) {
			if (argc <= 2)
				return wb_incomplete();
			argc--;
			argv++;
			if (o->netns)
				return wb_duparg("-netns", argv[1]);
			o->netns = argv[1];
		} else if (wb_opt_is(opt, "-V", "-Version")) {
			printf("wbctl utility, wirebox-%s\n", WBCTL_VERSION);
			return WB_EXIT_OK;
		} else if (wb_opt_is(opt, "-h", "-help")) {
			return wb_usage();
		} else {
			wb_err("Option \"%s\" is unknown, try \"wbctl -help\".",
			       argv[1]);
			return WB_EXIT_USAGE;
		}
	}
	*argcp = argc;
	*argvp = argv;
	return -1;
}

static int wb_enter_netns(const char *name)
{
	const char *why = wb_netns_invalid(name);

	if (why)
		return wb_invarg(name, why);
	return wb_netns_switch(name) ? WB_EXIT_FAIL : 0;
}

int main(int argc, char **argv)
{
	struct wb_opts o = {};
	int ret;

	ret = wb_parse_opts(&argc, &argv, &o);
	if (ret >= 0)
		return ret;
	if (argc < 2)
		return wb_usage();
	if (o.netns) {
		ret = wb_enter_netns(o.netns);
		if (ret)
			return ret;
	}

	print_init(stdout, o.json, o.pretty);
	ret = wb_do_object(argc - 1, argv + 1);
	print_fini();
	if (ferror(stdout) || fflush(stdout)) {
		wb_err("Error: cannot write output: %s.", strerror(errno));
		return WB_EXIT_FAIL;
	}
	return ret;
}
