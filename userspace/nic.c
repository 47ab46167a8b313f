// SPDX-License-Identifier: GPL-2.0
/*
 * wbctl nic: create and delete wbnic devices over rtnetlink; cable them,
 * tune their wire and show their hardware state over the "wbnic"
 * generic netlink family.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/netlink.h>

#include "genl.h"
#include "nic.h"
#include "nl.h"
#include "print.h"
#include "utils.h"
#include "wbctl.h"

#define NIC_HELP	"wbctl nic help"

static int nic_usage(void)
{
	wb_err("Usage: wbctl nic add [ name ] NAME [ rx-ring K ] [ tx-ring K ]\n"
	       "                     [ queues K ]\n"
	       "       wbctl nic { del | delete } [ dev ] NAME\n"
	       "       wbctl nic { show | list } [ [ dev ] NAME ]\n"
	       "       wbctl nic cable [ dev ] NAME [ peer ] PEER [ netns NETNS ]\n"
	       "       wbctl nic uncable [ dev ] NAME\n"
	       "       wbctl nic set [ dev ] NAME [ loss PCT ] [ corrupt PCT ]\n"
	       "                     [ loopback { on | off } ] [ flap [ MS ] ]\n"
	       "       wbctl nic help\n"
	       "where  K := ring size, a power of two from %u to %u;\n"
	       "            queue pairs, from 1 to %u\n"
	       "       PCT := percentage from 0 to 100 with up to 4 decimals,\n"
	       "              like 10, 10%%, 0.5%% or 0.0001\n"
	       "       MS := link down time, 1 to %u ms, %u if not given",
	       WBNIC_RING_MIN, WBNIC_RING_MAX, WBNIC_QUEUES_MAX,
	       WBNIC_FLAP_MS_MAX, NIC_FLAP_MS);
	return WB_EXIT_USAGE;
}

static int nic_need(const char *what)
{
	wb_err("Error: %s is required, try \"%s\".", what, NIC_HELP);
	return WB_EXIT_USAGE;
}

static int nic_check_name(const char *name)
{
	const char *why = wb_ifname_invalid(name);

	return why ? wb_invarg(name, why) : 0;
}

/* key VALUE may be given once; returns 0 or an exit status. */
static int nic_once(bool *has, const char *key, const char *val)
{
	if (*has)
		return wb_duparg(key, val);
	*has = true;
	return 0;
}

static int nic_parse_ring(const char *key, const char *str, uint32_t *val)
{
	char why[96];

	if (!wb_parse_u32(str, WBNIC_RING_MIN, WBNIC_RING_MAX, val) &&
	    !(*val & (*val - 1)))
		return 0;
	snprintf(why, sizeof(why), "%s is a power of two from %u to %u",
		 key, WBNIC_RING_MIN, WBNIC_RING_MAX);
	return wb_invarg(str, why);
}

static int nic_parse_queues(const char *str, uint32_t *val)
{
	char why[64];

	if (!wb_parse_u32(str, 1, WBNIC_QUEUES_MAX, val))
		return 0;
	snprintf(why, sizeof(why), "queues is from 1 to %u",
		 WBNIC_QUEUES_MAX);
	return wb_invarg(str, why);
}

static int nic_add_opt(char ***argvp, int *argcp, struct nic_add_req *req)
{
	char **argv = *argvp;
	int argc = *argcp, ret;

	if (!strcmp(*argv, "rx-ring")) {
		NEXT_ARG();
		ret = nic_once(&req->has_rx_ring, "rx-ring", *argv) ?:
		      nic_parse_ring("rx-ring", *argv, &req->rx_ring);
	} else if (!strcmp(*argv, "tx-ring")) {
		NEXT_ARG();
		ret = nic_once(&req->has_tx_ring, "tx-ring", *argv) ?:
		      nic_parse_ring("tx-ring", *argv, &req->tx_ring);
	} else if (!strcmp(*argv, "queues")) {
		NEXT_ARG();
		ret = nic_once(&req->has_queues, "queues", *argv) ?:
		      nic_parse_queues(*argv, &req->queues);
	} else {
		return -1;
	}
	*argvp = argv;
	*argcp = argc;
	return ret;
}

/* Returns 0 or an exit status (after an error line or the usage). */
int nic_parse_add(int argc, char **argv, struct nic_add_req *req)
{
	int ret;

	memset(req, 0, sizeof(*req));
	for (; argc > 0; argc--, argv++) {
		ret = nic_add_opt(&argv, &argc, req);
		if (ret >= 0) {
			if (ret)
				return ret;
		} else if (!strcmp(*argv, "help")) {
			return nic_usage();
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
	if (!req->name)
		return nic_need("device NAME");
	return nic_check_name(req->name);
}

/* [dev] NAME, optional unless need.  Returns 0 or an exit status. */
int nic_parse_dev(int argc, char **argv, const char **name, bool need)
{
	*name = NULL;
	for (; argc > 0; argc--, argv++) {
		if (!strcmp(*argv, "help"))
			return nic_usage();
		if (!strcmp(*argv, "dev")) {
			NEXT_ARG();
			if (*name)
				return wb_duparg("dev", *argv);
		} else if (*name) {
			return wb_garbage("dev", *argv);
		}
		*name = *argv;
	}
	if (!*name && need)
		return nic_need("device NAME");
	return *name ? nic_check_name(*name) : 0;
}

/* [dev] NAME [peer] PEER [netns NETNS], in any order. */
int nic_parse_cable(int argc, char **argv, struct nic_cable_req *req)
{
	const char *why;

	memset(req, 0, sizeof(*req));
	for (; argc > 0; argc--, argv++) {
		if (!strcmp(*argv, "help")) {
			return nic_usage();
		} else if (!strcmp(*argv, "netns")) {
			NEXT_ARG();
			if (req->netns)
				return wb_duparg("netns", *argv);
			req->netns = *argv;
		} else if (!strcmp(*argv, "dev")) {
			NEXT_ARG();
			if (req->name)
				return wb_duparg("dev", *argv);
			req->name = *argv;
		} else if (!strcmp(*argv, "peer")) {
			NEXT_ARG();
			if (req->peer)
				return wb_duparg("peer", *argv);
			req->peer = *argv;
		} else if (!req->name) {
			req->name = *argv;
		} else if (!req->peer) {
			req->peer = *argv;
		} else {
			return wb_garbage("peer", *argv);
		}
	}
	if (!req->name)
		return nic_need("device NAME");
	if (!req->peer)
		return nic_need("PEER");
	if (nic_check_name(req->name) || nic_check_name(req->peer))
		return WB_EXIT_USAGE;
	why = req->netns ? wb_netns_invalid(req->netns) : NULL;
	return why ? wb_invarg(req->netns, why) : 0;
}

static int nic_parse_rate(const char *key, const char *str, uint32_t *ppm)
{
	char why[96];
	int err;

	err = str[0] == '-' ? -ERANGE : wb_parse_ppm(str, ppm);
	if (!err)
		return 0;
	if (err == -ERANGE)
		snprintf(why, sizeof(why), "%s is from 0 to 100%%", key);
	else if (err == -EDOM)
		snprintf(why, sizeof(why),
			 "%s has at most 4 decimals (1 per million)", key);
	else
		snprintf(why, sizeof(why),
			 "%s is a percentage like 10, 10%%, 0.5%% or 0.0001",
			 key);
	return wb_invarg(str, why);
}

/* flap [MS]: a following word is MS if it starts with a digit. */
static int nic_parse_flap(char ***argvp, int *argcp, struct nic_set_req *req)
{
	char **argv = *argvp;
	int argc = *argcp;
	char why[64];

	if (nic_once(&req->has_flap, "flap", *argv))
		return WB_EXIT_USAGE;
	req->flap_ms = NIC_FLAP_MS;
	if (!NEXT_ARG_OK() || !isdigit((unsigned char)argv[1][0]))
		return 0;
	NEXT_ARG();
	*argvp = argv;
	*argcp = argc;
	if (!wb_parse_u32(*argv, 1, WBNIC_FLAP_MS_MAX, &req->flap_ms))
		return 0;
	snprintf(why, sizeof(why), "flap is from 1 to %u ms",
		 WBNIC_FLAP_MS_MAX);
	return wb_invarg(*argv, why);
}

static int nic_set_opt(char ***argvp, int *argcp, struct nic_set_req *req)
{
	char **argv = *argvp;
	int argc = *argcp, ret;

	if (!strcmp(*argv, "flap"))
		return nic_parse_flap(argvp, argcp, req);
	if (!strcmp(*argv, "loss")) {
		NEXT_ARG();
		ret = nic_once(&req->has_loss, "loss", *argv) ?:
		      nic_parse_rate("loss", *argv, &req->loss);
	} else if (!strcmp(*argv, "corrupt")) {
		NEXT_ARG();
		ret = nic_once(&req->has_corrupt, "corrupt", *argv) ?:
		      nic_parse_rate("corrupt", *argv, &req->corrupt);
	} else if (!strcmp(*argv, "loopback")) {
		NEXT_ARG();
		ret = nic_once(&req->has_loopback, "loopback", *argv);
		if (!ret && wb_parse_on_off(*argv, &req->loopback))
			ret = wb_invarg(*argv, "loopback is \"on\" or \"off\"");
	} else {
		return -1;
	}
	*argvp = argv;
	*argcp = argc;
	return ret;
}

/* [dev] NAME and at least one setting. */
int nic_parse_set(int argc, char **argv, struct nic_set_req *req)
{
	int ret;

	memset(req, 0, sizeof(*req));
	for (; argc > 0; argc--, argv++) {
		ret = nic_set_opt(&argv, &argc, req);
		if (ret >= 0) {
			if (ret)
				return ret;
		} else if (!strcmp(*argv, "help")) {
			return nic_usage();
		} else if (!strcmp(*argv, "dev")) {
			NEXT_ARG();
			if (req->name)
				return wb_duparg("dev", *argv);
			req->name = *argv;
		} else {
			if (req->name)
				return wb_garbage("dev", *argv);
			req->name = *argv;
		}
	}
	if (!req->name)
		return nic_need("device NAME");
	if (nic_check_name(req->name))
		return WB_EXIT_USAGE;
	if (!req->has_loss && !req->has_corrupt && !req->has_loopback &&
	    !req->has_flap)
		return nic_need("one of loss, corrupt, loopback or flap");
	return 0;
}

/*
 * if_nametoindex() in our netns, or in ns_fd's (NETNS) when ns_fd >= 0.
 * Returns 0 or an exit status, after an error line.
 */
static int nic_ifindex(const char *name, int ns_fd, const char *netns,
		       uint32_t *ifindex)
{
	int self = -1, err = 0;

	if (ns_fd >= 0) {
		self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
		if (self < 0 || setns(ns_fd, CLONE_NEWNET)) {
			wb_err("Error: cannot switch to netns \"%s\": %s.",
			       netns, strerror(errno));
			if (self >= 0)
				close(self);
			return WB_EXIT_FAIL;
		}
	}
	*ifindex = if_nametoindex(name);
	if (!*ifindex)
		err = errno;
	if (self >= 0) {
		if (setns(self, CLONE_NEWNET)) {
			wb_err("Error: cannot switch back from netns \"%s\": %s.",
			       netns, strerror(errno));
			err = err ?: EIO;
		}
		close(self);
	}
	if (!err)
		return 0;
	if (*ifindex)
		return WB_EXIT_FAIL;
	if (err == ENODEV)
		wb_err("Error: Cannot find device \"%s\"%s%s%s.", name,
		       netns ? " in netns \"" : "", netns ? netns : "",
		       netns ? "\"" : "");
	else
		wb_err("Error: cannot find device \"%s\": %s.", name,
		       strerror(err));
	return WB_EXIT_FAIL;
}

/* One request, acked; returns an exit status. */
static int nic_talk(struct nl_sock *nl, struct nlmsghdr *req)
{
	int err = nl_talk(nl, req, NULL, NULL);

	return err ? nl_report(nl, err) : 0;
}

static int nic_add(int argc, char **argv)
{
	char buf[NL_TX_SIZE];
	struct nic_add_req req;
	struct nl_sock nl;
	int ret;

	ret = nic_parse_add(argc, argv, &req);
	if (ret)
		return ret;
	ret = nl_connect(&nl, NETLINK_ROUTE);
	if (ret)
		return ret;
	ret = nic_talk(&nl, nic_build_add(buf, &req));
	nl_close(&nl);
	return ret;
}

struct nic_kind {
	int ifindex;
	bool is_wbnic;
};

static int nic_kind_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nic_kind *k = data;

	return nic_parse_kind(nlh, &k->ifindex, &k->is_wbnic);
}

/* Like pair del: check the kind, then delete by the checked ifindex. */
static int nic_del(int argc, char **argv)
{
	struct nic_kind k = {};
	char buf[NL_TX_SIZE];
	struct nl_sock nl;
	const char *name;
	int ret, err;

	ret = nic_parse_dev(argc, argv, &name, true);
	if (ret)
		return ret;
	ret = nl_connect(&nl, NETLINK_ROUTE);
	if (ret)
		return ret;
	err = nl_talk(&nl, nic_build_getlink(buf, name), nic_kind_cb, &k);
	if (err == -ENODEV && nl.kernel) {
		wb_err("Error: Cannot find device \"%s\".", name);
		ret = WB_EXIT_FAIL;
	} else if (err) {
		ret = nl_report(&nl, err);
	} else if (!k.is_wbnic || k.ifindex <= 0) {
		wb_err("Error: \"%s\" is not a wbnic device.", name);
		ret = WB_EXIT_FAIL;
	} else {
		ret = nic_talk(&nl, nic_build_del(buf, name, k.ifindex));
	}
	nl_close(&nl);
	return ret;
}

struct nic_list {
	uint16_t family;
	struct nic_info *v;
	size_t n;
	size_t cap;
};

static int nic_list_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nic_list *list = data;
	struct nic_info info, *v;
	int err;

	err = nic_parse_info(nlh, list->family, &info);
	if (!err && list->n == list->cap) {
		list->cap = list->cap ? 2 * list->cap : 16;
		v = realloc(list->v, list->cap * sizeof(*v));
		if (v)
			list->v = v;
		else
			err = -ENOMEM;
	}
	if (err) {
		nic_info_free(&info);
		return err;
	}
	list->v[list->n++] = info;
	return 0;
}

static void nic_list_clear(void *data)
{
	struct nic_list *list = data;

	while (list->n)
		nic_info_free(&list->v[--list->n]);
}

static int nic_cmp(const void *a, const void *b)
{
	const struct nic_info *x = a, *y = b;
	uint64_t i = x->v[WBNIC_A_IFINDEX], j = y->v[WBNIC_A_IFINDEX];

	return (i > j) - (i < j);
}

/*
 * GET one NIC (ifindex > 0) or dump them all.  A dump that the kernel
 * flags as interrupted is retried, then reported as an error: a partial
 * list is never printed as complete.
 */
static int nic_get(struct nl_sock *nl, uint32_t ifindex,
		   struct nic_list *list)
{
	char buf[NL_TX_SIZE];
	int err;

	err = nl_dump(nl, nic_build_get(buf, list->family, ifindex),
		      nic_list_cb, list, nic_list_clear);
	if (err)
		return nl_report(nl, err);
	if (ifindex && list->n != 1) {
		wb_err("Error: expected one reply from the kernel, got %zu.",
		       list->n);
		return WB_EXIT_FAIL;
	}
	if (list->n)
		qsort(list->v, list->n, sizeof(*list->v), nic_cmp);
	return 0;
}

static int nic_show(int argc, char **argv)
{
	struct nic_list list = {};
	uint32_t ifindex = 0;
	struct nl_sock nl;
	const char *name;
	size_t i;
	int ret;

	ret = nic_parse_dev(argc, argv, &name, false);
	if (ret)
		return ret;
	ret = genl_connect(&nl, WBNIC_GENL_NAME, NIC_MODULE, &list.family);
	if (ret)
		return ret;
	ret = name ? nic_ifindex(name, -1, NULL, &ifindex) : 0;
	if (!ret)
		ret = nic_get(&nl, ifindex, &list);
	nl_close(&nl);
	if (!ret) {
		print_open_array(NULL);
		for (i = 0; i < list.n; i++)
			nic_print_info(&list.v[i]);
		print_close_array();
	}
	nic_list_clear(&list);
	free(list.v);
	return ret;
}

static int nic_cable(int argc, char **argv)
{
	uint32_t ifindex, peer_ifindex;
	struct nic_cable_req req;
	char buf[NL_TX_SIZE];
	struct nl_sock nl;
	uint16_t family;
	int ret, ns_fd = -1;

	ret = nic_parse_cable(argc, argv, &req);
	if (ret)
		return ret;
	if (req.netns) {
		ns_fd = wb_netns_open(req.netns);
		if (ns_fd < 0)
			return WB_EXIT_FAIL;
	}
	ret = genl_connect(&nl, WBNIC_GENL_NAME, NIC_MODULE, &family);
	if (!ret) {
		ret = nic_ifindex(req.name, -1, NULL, &ifindex) ?:
		      nic_ifindex(req.peer, ns_fd, req.netns, &peer_ifindex);
		if (!ret)
			ret = nic_talk(&nl, nic_build_cable(buf, family,
							    ifindex,
							    peer_ifindex,
							    ns_fd));
		nl_close(&nl);
	}
	if (ns_fd >= 0)
		close(ns_fd);
	return ret;
}

static int nic_uncable(int argc, char **argv)
{
	char buf[NL_TX_SIZE];
	struct nl_sock nl;
	const char *name;
	uint32_t ifindex;
	uint16_t family;
	int ret;

	ret = nic_parse_dev(argc, argv, &name, true);
	if (ret)
		return ret;
	ret = genl_connect(&nl, WBNIC_GENL_NAME, NIC_MODULE, &family);
	if (ret)
		return ret;
	ret = nic_ifindex(name, -1, NULL, &ifindex) ?:
	      nic_talk(&nl, nic_build_uncable(buf, family, ifindex));
	nl_close(&nl);
	return ret;
}

static int nic_set(int argc, char **argv)
{
	struct nic_set_req req;
	char buf[NL_TX_SIZE];
	struct nl_sock nl;
	uint32_t ifindex;
	uint16_t family;
	int ret;

	ret = nic_parse_set(argc, argv, &req);
	if (ret)
		return ret;
	ret = genl_connect(&nl, WBNIC_GENL_NAME, NIC_MODULE, &family);
	if (ret)
		return ret;
	ret = nic_ifindex(req.name, -1, NULL, &ifindex) ?:
	      nic_talk(&nl, nic_build_set(buf, family, ifindex, &req));
	nl_close(&nl);
	return ret;
}

static int nic_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return nic_usage();
}

static const struct wb_cmd nic_cmds[] = {
	{ "add",	nic_add },
	{ "del",	nic_del },
	{ "delete",	nic_del },
	{ "show",	nic_show },
	{ "list",	nic_show },
	{ "cable",	nic_cable },
	{ "uncable",	nic_uncable },
	{ "set",	nic_set },
	{ "help",	nic_help },
	{ NULL,		NULL },
};

int do_nic(int argc, char **argv)
{
	if (argc < 1)
		return nic_show(0, NULL);
	return wb_do_cmd(nic_cmds, NIC_HELP, argc, argv);
}
