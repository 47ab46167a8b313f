// SPDX-License-Identifier: GPL-2.0
/*
 * wbctl pair: create, delete and show wbpair links.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/netlink.h>

#include "nl.h"
#include "pair.h"
#include "print.h"
#include "utils.h"
#include "wbctl.h"

#define PAIR_HELP	"wbctl pair help"
#define PAIR_MODE_ERR	"mode is \"xmit\" or \"napi\""

static int pair_usage(void)
{
	wb_err("Usage: wbctl pair add [ name ] NAME [ peer PEERNAME ]\n"
	       "                      [ netns NETNS ] [ mode { xmit | napi } ]\n"
	       "       wbctl pair { del | delete } [ dev ] NAME\n"
	       "       wbctl pair { show | list } [ [ dev ] NAME ]\n"
	       "       wbctl pair help");
	return WB_EXIT_USAGE;
}

static int pair_check_name(const char *name)
{
	const char *why = wb_ifname_invalid(name);

	return why ? wb_invarg(name, why) : 0;
}

static int pair_check_add(const struct pair_add_req *req)
{
	const char *why;

	if (!req->name) {
		wb_err("Error: device NAME is required, try \"%s\".",
		       PAIR_HELP);
		return WB_EXIT_USAGE;
	}
	if (pair_check_name(req->name))
		return WB_EXIT_USAGE;
	if (req->peer && pair_check_name(req->peer))
		return WB_EXIT_USAGE;
	if (req->netns) {
		why = wb_netns_invalid(req->netns);
		if (why)
			return wb_invarg(req->netns, why);
	}
	if (req->peer && !req->netns && !strcmp(req->peer, req->name))
		return wb_invarg(req->peer, "peer name must differ from NAME");
	return 0;
}

/* Returns 0 or an exit status (after an error line or the usage). */
int pair_parse_add(int argc, char **argv, struct pair_add_req *req)
{
	memset(req, 0, sizeof(*req));
	for (; argc > 0; argc--, argv++) {
		if (!strcmp(*argv, "peer")) {
			NEXT_ARG();
			if (req->peer)
				return wb_duparg("peer", *argv);
			req->peer = *argv;
		} else if (!strcmp(*argv, "netns")) {
			NEXT_ARG();
			if (req->netns)
				return wb_duparg("netns", *argv);
			req->netns = *argv;
		} else if (!strcmp(*argv, "mode")) {
			NEXT_ARG();
			if (req->has_mode)
				return wb_duparg("mode", *argv);
			if (wb_parse_mode(*argv, &req->mode))
				return wb_invarg(*argv, PAIR_MODE_ERR);
			req->has_mode = true;
		} else if (!strcmp(*argv, "help")) {
			return pair_usage();
		} else if (!strcmp(*argv, "name")) {
			NEXT_ARG();
			if (req->name)
				return wb_duparg("name", *argv);
			req->name = *argv;
		} else {
			if (req->name)
				return wb_garbage("name", *argv);
			req->name = *argv;
		}
	}
	return pair_check_add(req);
}

/* [dev] NAME, optional unless need.  Returns 0 or an exit status. */
int pair_parse_dev(int argc, char **argv, const char **name, bool need)
{
	*name = NULL;
	for (; argc > 0; argc--, argv++) {
		if (!strcmp(*argv, "help"))
			return pair_usage();
		if (!strcmp(*argv, "dev")) {
			NEXT_ARG();
			if (*name)
				return wb_duparg("dev", *argv);
		} else if (*name) {
			return wb_garbage("dev", *argv);
		}
		*name = *argv;
	}
	if (!*name && need) {
		wb_err("Error: device NAME is required, try \"%s\".",
		       PAIR_HELP);
		return WB_EXIT_USAGE;
	}
	return *name ? pair_check_name(*name) : 0;
}

static int pair_add(int argc, char **argv)
{
	char buf[NL_TX_SIZE];
	struct pair_add_req req;
	struct nl_sock nl;
	int ret, err, ns_fd = -1;

	ret = pair_parse_add(argc, argv, &req);
	if (ret)
		return ret;
	if (req.netns) {
		ns_fd = wb_netns_open(req.netns);
		if (ns_fd < 0)
			return WB_EXIT_FAIL;
	}
	ret = nl_connect(&nl, NETLINK_ROUTE);
	if (!ret) {
		err = nl_talk(&nl, pair_build_add(buf, &req, ns_fd), NULL,
			      NULL);
		if (err)
			ret = nl_report(&nl, err);
		nl_close(&nl);
	}
	if (ns_fd >= 0)
		close(ns_fd);
	return ret;
}

static int pair_get_cb(const struct nlmsghdr *nlh, void *data)
{
	return pair_parse_link(nlh, data);
}

/* GETLINK one link (by ifindex if > 0, else by name), quietly. */
static int pair_fetch(struct nl_sock *nl, const char *name, int ifindex,
		      struct pair_link *link)
{
	char buf[NL_TX_SIZE];
	int err;

	memset(link, 0, sizeof(*link));
	err = nl_talk(nl, pair_build_get(buf, name, ifindex), pair_get_cb,
		      link);
	if (!err && !link->ifname[0])
		err = -ENODEV;
	return err;
}

/*
 * GETLINK the wbpair NAME into *link.  Returns an exit status, after an
 * error line if not 0: a missing link or one of another kind is an
 * error of wbctl's (1), as in "ip link del nosuchdev".
 */
static int pair_get(struct nl_sock *nl, const char *name,
		    struct pair_link *link)
{
	int err = pair_fetch(nl, name, 0, link);

	if (err == -ENODEV) {
		wb_err("Error: Cannot find device \"%s\".", name);
		return WB_EXIT_FAIL;
	}
	if (err)
		return nl_report(nl, err);
	if (!link->is_wbpair) {
		wb_err("Error: \"%s\" is not a wbpair device.", name);
		return WB_EXIT_FAIL;
	}
	return 0;
}

static int pair_del(int argc, char **argv)
{
	char buf[NL_TX_SIZE];
	struct pair_link link;
	struct nl_sock nl;
	const char *name;
	int ret, err;

	ret = pair_parse_dev(argc, argv, &name, true);
	if (ret)
		return ret;
	ret = nl_connect(&nl, NETLINK_ROUTE);
	if (ret)
		return ret;
	ret = pair_get(&nl, name, &link);
	if (!ret) {
		err = nl_talk(&nl, pair_build_del(buf, name, link.ifindex),
			      NULL, NULL);
		if (err)
			ret = nl_report(&nl, err);
	}
	nl_close(&nl);
	return ret;
}

struct pair_list {
	struct pair_link *v;
	size_t n;
	size_t cap;
};

static int pair_dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct pair_list *list = data;
	struct pair_link link, *v;

	if (pair_parse_link(nlh, &link) || !link.is_wbpair)
		return 0;
	if (list->n == list->cap) {
		list->cap = list->cap ? 2 * list->cap : 16;
		v = realloc(list->v, list->cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		list->v = v;
	}
	list->v[list->n++] = link;
	return 0;
}

static int pair_cmp(const void *a, const void *b)
{
	const struct pair_link *x = a, *y = b;

	return (x->ifindex > y->ifindex) - (x->ifindex < y->ifindex);
}

/*
 * Sort by ifindex (the kernel's dump order varies with its version) and
 * name the peers that are in our netns, hence in the same dump.
 */
void pair_links_finish(struct pair_link *v, size_t n)
{
	struct pair_link *l, *p;

	if (!n)
		return;
	qsort(v, n, sizeof(*v), pair_cmp);
	for (l = v; l < v + n; l++) {
		if (!l->has_peer || l->has_netnsid)
			continue;
		for (p = v; p < v + n; p++)
			if (p->ifindex == (int)l->peer_ifindex)
				memcpy(l->peer_ifname, p->ifname, IFNAMSIZ);
	}
}

static void pair_list_reset(void *data)
{
	struct pair_list *list = data;

	list->n = 0;
}

static int pair_dump(struct nl_sock *nl, struct pair_list *list)
{
	char buf[NL_TX_SIZE];
	int err;

	err = nl_dump(nl, pair_build_dump(buf), pair_dump_cb, list,
		      pair_list_reset);
	if (err)
		return nl_report(nl, err);
	pair_links_finish(list->v, list->n);
	return 0;
}

/* show dev NAME: the link, and its peer's name if in our netns. */
static int pair_show_one(struct nl_sock *nl, const char *name,
			 struct pair_list *list)
{
	struct pair_link peer;
	int ret;

	list->v = calloc(1, sizeof(*list->v));
	if (!list->v) {
		wb_err("Error: %s.", strerror(ENOMEM));
		return WB_EXIT_FAIL;
	}
	ret = pair_get(nl, name, list->v);
	if (ret)
		return ret;
	list->n = 1;
	if (list->v->has_peer && !list->v->has_netnsid &&
	    !pair_fetch(nl, NULL, list->v->peer_ifindex, &peer))
		memcpy(list->v->peer_ifname, peer.ifname, IFNAMSIZ);
	return 0;
}

static int pair_show(int argc, char **argv)
{
	struct pair_list list = {};
	struct nl_sock nl;
	const char *name;
	size_t i;
	int ret;

	ret = pair_parse_dev(argc, argv, &name, false);
	if (ret)
		return ret;
	ret = nl_connect(&nl, NETLINK_ROUTE);
	if (ret)
		return ret;
	ret = name ? pair_show_one(&nl, name, &list) : pair_dump(&nl, &list);
	nl_close(&nl);
	if (!ret) {
		print_open_array(NULL);
		for (i = 0; i < list.n; i++)
			pair_print_link(&list.v[i]);
		print_close_array();
	}
	free(list.v);
	return ret;
}

static int pair_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return pair_usage();
}

static const struct wb_cmd pair_cmds[] = {
	{ "add",	pair_add },
	{ "del",	pair_del },
	{ "delete",	pair_del },
	{ "show",	pair_show },
	{ "list",	pair_show },
	{ "help",	pair_help },
	{ NULL,		NULL },
};

int do_pair(int argc, char **argv)
{
	if (argc < 1)
		return pair_show(0, NULL);
	return wb_do_cmd(pair_cmds, PAIR_HELP, argc, argv);
}
