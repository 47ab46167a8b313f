// SPDX-License-Identifier: GPL-2.0
/*
 * wirebox_pair: a veth-like pair of virtual Ethernet devices.
 *
 *	ip link add A type wbpair
 *	wbctl pair add A peer B netns ns1 mode napi
 */

#include <linux/module.h>
#include <net/rtnetlink.h>

#include "wbpair.h"

static int __init wbpair_init(void)
{
	return rtnl_link_register(&wbpair_link_ops);
}

static void __exit wbpair_exit(void)
{
	/* deletes every pair left, in every netns */
	rtnl_link_unregister(&wbpair_link_ops);
}

module_init(wbpair_init);
module_exit(wbpair_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("wirebox veth-like virtual Ethernet pair");
MODULE_ALIAS_RTNL_LINK(WBPAIR_KIND);
