// SPDX-License-Identifier: GPL-2.0
/*
 * link_wbpair.so: iproute2 support for link kind "wbpair".
 *
 *	ip link add A type wbpair [ mode MODE ] [ peer [ name ] B [ OPTIONS ] ]
 *
 * WBPAIR_INFO_PEER is laid out as veth's VETH_INFO_PEER (ip/link_veth.c):
 * an ifinfomsg for the peer, then the peer's IFLA_* attributes, which
 * iplink_parse() fills from the words after "peer".
 */
#include <string.h>

#include <linux/if_link.h>
#include <linux/wirebox.h>

#include "ip_link_util.h"

#define WBPAIR_MAXLEN	((int)sizeof(struct iplink_req))

static const char * const wbpair_modes[] = {
	[WBPAIR_MODE_XMIT]	= "xmit",
	[WBPAIR_MODE_NAPI]	= "napi",
};

static void wbpair_explain(FILE *f)
{
	fprintf(f,
		"Usage: ip link add [ name ] NAME type wbpair [ mode { xmit | napi } ]\n"
		"                   [ peer [ name ] PEER [ PEER_OPTIONS ] ]\n"
		"\n"
		"where  mode: how a frame reaches the other end, for both ends:\n"
		"             xmit  the peer's stack receives it at once (netif_rx, as veth)\n"
		"             napi  it is queued to the peer's ring, and the peer's NAPI\n"
		"                   poll delivers it with GRO\n"
		"       PEER: the other end's name (default: wbpairN in NAME's netns)\n"
		"       PEER_OPTIONS: those of \"ip link add\" for the other end, such as\n"
		"             netns { NETNS | PID }, address LLADDR, mtu MTU, txqueuelen N\n"
		"\n"
		"Deleting either end deletes both. \"ip -d link show\" prints the mode.\n"
		"To get PEER_OPTIONS type 'ip link add help'.\n");
}

static __u32 wbpair_parse_mode(const char *arg)
{
	__u32 i;

	for (i = 0; i <= WBPAIR_MODE_MAX; i++)
		if (!strcmp(arg, wbpair_modes[i]))
			return i;
	invarg("mode is \"xmit\" or \"napi\"", arg);
}

/* The peer's IFLA_IFNAME, in a finished WBPAIR_INFO_PEER; NULL if none. */
static const char *wbpair_peer_ifname(struct rtattr *peer)
{
	int len = RTA_PAYLOAD(peer) - NLMSG_ALIGN(sizeof(struct ifinfomsg));
	struct rtattr *rta = (void *)((char *)RTA_DATA(peer) +
				      NLMSG_ALIGN(sizeof(struct ifinfomsg)));

	for (; RTA_OK(rta, len); rta = RTA_NEXT(rta, len))
		if (rta->rta_type == IFLA_IFNAME)
			return RTA_DATA(rta);
	return NULL;
}

/*
 * "peer" and the rest: iplink_parse() writes the peer's flags and index
 * into the request's own ifinfomsg, so move them to the peer's and put the
 * device's back, as link_veth.c does.
 */
static int wbpair_parse_peer(int argc, char **argv, struct nlmsghdr *n)
{
	struct ifinfomsg *ifm = NLMSG_DATA(n), *peer_ifm;
	unsigned int flags = ifm->ifi_flags, change = ifm->ifi_change;
	int index = ifm->ifi_index, err;
	const char *name;
	struct rtattr *peer;
	char *type = NULL;

	ifm->ifi_flags = 0;
	ifm->ifi_change = 0;
	ifm->ifi_index = 0;

	peer = addattr_nest(n, WBPAIR_MAXLEN, WBPAIR_INFO_PEER);
	if (NLMSG_ALIGN(n->nlmsg_len) + sizeof(*peer_ifm) > WBPAIR_MAXLEN)
		return -1;
	peer_ifm = RTA_DATA(peer);
	memset(peer_ifm, 0, sizeof(*peer_ifm));
	n->nlmsg_len = NLMSG_ALIGN(n->nlmsg_len) + sizeof(*peer_ifm);

	err = iplink_parse(argc - 1, argv + 1, (struct iplink_req *)n, &type);
	if (err < 0)
		return err;
	if (type)
		duparg("type", argv[err]);

	peer_ifm->ifi_index = ifm->ifi_index;
	peer_ifm->ifi_flags = ifm->ifi_flags;
	peer_ifm->ifi_change = ifm->ifi_change;
	ifm->ifi_flags = flags;
	ifm->ifi_change = change;
	ifm->ifi_index = index;
	addattr_nest_end(n, peer);

	/* "peer B" (no "name") reaches here unchecked: iplink_parse()
	 * takes up to 127 characters for an altname.
	 */
	name = wbpair_peer_ifname(peer);
	if (name && check_ifname(name))
		invarg("peer name is not a valid interface name (1 to 15 characters, no '/' or spaces)",
		       name);
	return argc - 1 - err;
}

static int wbpair_parse_opt(struct link_util *lu, int argc, char **argv,
			    struct nlmsghdr *n)
{
	bool has_mode = false;

	while (argc > 0) {
		if (!strcmp(*argv, "peer"))
			return wbpair_parse_peer(argc, argv, n);
		if (!strcmp(*argv, "help")) {
			wbpair_explain(stderr);
			return -1;
		}
		if (strcmp(*argv, "mode")) {
			fprintf(stderr, "wbpair: unknown option \"%s\"?\n",
				*argv);
			wbpair_explain(stderr);
			return -1;
		}
		NEXT_ARG();
		if (has_mode)
			duparg("mode", *argv);
		has_mode = true;
		if (addattr32(n, WBPAIR_MAXLEN, WBPAIR_INFO_MODE,
			      wbpair_parse_mode(*argv)))
			return -1;
		argc--;
		argv++;
	}
	return 0;
}

/* ip -d link show: tb[] is IFLA_INFO_DATA, up to WBPAIR_INFO_MAX. */
static void wbpair_print_opt(struct link_util *lu, FILE *f, struct rtattr *tb[])
{
	const struct rtattr *rta;
	__u32 mode;

	rta = tb ? tb[WBPAIR_INFO_MODE] : NULL;
	if (!rta || RTA_PAYLOAD(rta) < sizeof(__u32))
		return;
	mode = rta_getattr_u32(rta);
	if (mode <= WBPAIR_MODE_MAX)
		print_string(PRINT_ANY, "mode", "mode %s ", wbpair_modes[mode]);
	else
		print_uint(PRINT_ANY, "mode", "mode %u ", mode);
}

static void wbpair_print_help(struct link_util *lu, int argc, char **argv,
			      FILE *f)
{
	wbpair_explain(f);
}

WB_LINK_UTIL wbpair_link_util = {
	.id		= WBPAIR_KIND,
	.maxattr	= WBPAIR_INFO_MAX,
	.parse_opt	= wbpair_parse_opt,
	.print_opt	= wbpair_print_opt,
	.print_help	= wbpair_print_help,
};
