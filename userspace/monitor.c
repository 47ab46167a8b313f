// SPDX-License-Identifier: GPL-2.0
/*
 * wbctl monitor: print the events of the "wbnf" multicast groups as they
 * happen: packet traces ("trace", like "nft monitor trace") and
 * conntrack entries that come and go ("ct", like "conntrack -E").
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <linux/netlink.h>

#include "genl.h"
#include "nf.h"
#include "nl.h"
#include "print.h"
#include "utils.h"
#include "wbctl.h"

#define MONITOR_HELP	"wbctl monitor help"

static int monitor_usage(void)
{
	wb_err("Usage: wbctl monitor [ trace | ct ]\n"
	       "       wbctl monitor help");
	return WB_EXIT_USAGE;
}

/*
 * Every line is flushed as it is printed, so there is nothing to finish:
 * leave at once, which also cannot race with a blocking read.
 */
static void monitor_stop(int sig)
{
	(void)sig;
	_exit(WB_EXIT_OK);
}

/**
 * nf_monitor_print() - print one notification of the family
 * @nlh: the message
 * @family: the "wbnf" family id
 *
 * A TRACE event as a trace line, a CT_EVENT as conntrack -E prints it,
 * each a record of its own (one JSON object per line with -json).
 *
 * Return: 0, or -EBADMSG for anything else, which is not printed.
 */
int nf_monitor_print(const struct nlmsghdr *nlh, uint16_t family)
{
	struct nf_event ev;
	struct nf_ct ct;

	if (!nf_parse_event(nlh, family, &ev))
		nf_print_event(&ev);
	else if (!nf_parse_ct_event(nlh, family, &ct))
		nf_print_ct(&ct);
	else
		return -EBADMSG;
	print_end_record();
	return 0;
}

static int monitor_event_cb(const struct nlmsghdr *nlh, void *data)
{
	const uint16_t *family = data;

	nf_monitor_print(nlh, *family);
	return 0;
}

/*
 * Join the group; with missing, a family without it only sets *missing
 * (a module from before the group).  Returns 0 or an exit status.
 */
static int monitor_join(struct nl_sock *nl, const char *group,
			bool *missing)
{
	uint32_t grp;
	int err;

	err = genl_resolve_mcgrp(nl, WBNF_GENL_NAME, group, &grp);
	if (err == -ENOENT && !nl->kernel && missing) {
		*missing = true;
		return 0;
	}
	if (err == -ENOENT && !nl->kernel) {
		wb_err("Error: generic netlink family \"%s\" has no multicast group \"%s\".",
		       WBNF_GENL_NAME, group);
		return WB_EXIT_FAIL;
	}
	if (err)
		return nl_report(nl, err);
	if (!mnl_socket_setsockopt(nl->mnl, NETLINK_ADD_MEMBERSHIP, &grp,
				   sizeof(grp)))
		return 0;
	err = errno;
	wb_err("Error: monitor: joining multicast group %s: %s%s.", group,
	       strerror(err), err == EPERM ? " (needs CAP_NET_ADMIN)" : "");
	return WB_EXIT_KERNEL;
}

/*
 * Join "trace" and/or "ct" (all: "ct" only if the family has it), then
 * print events until SIGINT or SIGTERM (exit status 0) or an error.
 */
static int monitor_run(bool trace, bool ct, bool all)
{
	struct sigaction sa = { .sa_handler = monitor_stop };
	bool missing = false;
	struct nl_sock nl;
	uint16_t family;
	int ret, err;

	ret = nf_connect(&nl, &family);
	if (ret)
		return ret;
	if (trace)
		ret = monitor_join(&nl, WBNF_MCGRP_TRACE, NULL);
	if (!ret && ct)
		ret = monitor_join(&nl, WBNF_MCGRP_CT, all ? &missing : NULL);
	if (!ret) {
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		do {
			err = nl_monitor(&nl, monitor_event_cb, &family);
			if (err == -ENOBUFS)
				wb_err("Warning: events were lost, the receive buffer overran.");
		} while (err == -EINTR || err == -ENOBUFS);
		ret = nl_report(&nl, err);
	}
	nl_close(&nl);
	return ret;
}

static int monitor_trace(int argc, char **argv)
{
	int ret = nf_no_args(argc, argv, "trace", monitor_usage);

	return ret ?: monitor_run(true, false, false);
}

static int monitor_ct(int argc, char **argv)
{
	int ret = nf_no_args(argc, argv, "ct", monitor_usage);

	return ret ?: monitor_run(false, true, false);
}

static int monitor_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return monitor_usage();
}

static const struct wb_cmd monitor_cmds[] = {
	{ "trace",	monitor_trace },
	{ "ct",		monitor_ct },
	{ "help",	monitor_help },
	{ NULL,		NULL },
};

/* Without an argument: every group. */
int do_monitor(int argc, char **argv)
{
	if (argc < 1)
		return monitor_run(true, true, true);
	return wb_do_cmd(monitor_cmds, MONITOR_HELP, argc, argv);
}
