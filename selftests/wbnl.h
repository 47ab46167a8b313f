/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small netlink helpers shared by the wirebox C selftests.
 */
#ifndef WBNL_H
#define WBNL_H

#include <net/if.h>
#include <libmnl/libmnl.h>
#include <linux/netlink.h>

/* A bound netlink socket of @proto asking for extack TLVs; NULL + errno. */
static inline struct mnl_socket *wb_nl_open_proto(int proto)
{
	struct mnl_socket *nl = mnl_socket_open(proto);
	int one = 1;

	if (!nl)
		return NULL;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		mnl_socket_close(nl);
		return NULL;
	}
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	return nl;
}

/* The same for NETLINK_ROUTE. */
static inline struct mnl_socket *wb_nl_open(void)
{
	return wb_nl_open_proto(NETLINK_ROUTE);
}

/* Links in the current netns. */
static inline int count_links(void)
{
	struct if_nameindex *ifs = if_nameindex(), *i;
	int n = 0;

	for (i = ifs; i && i->if_index; i++)
		n++;
	if_freenameindex(ifs);
	return n;
}

#endif /* WBNL_H */
