// SPDX-License-Identifier: GPL-2.0
/*
 * wirebox_nic: a NAPI-polled virtual NIC with simulated DMA hardware.
 *
 *	ip link add name wbn0 type wbnic
 *	wbctl nic add wbn1 rx-ring 512 queues 2
 *	wbctl nic cable wbn0 wbn1
 *	modprobe wirebox_nic nics=2	(wbnic0 and wbnic1, cabled)
 *
 * hw.c is the hardware, drv.c the driver, wbnic_hw.h the datasheet
 * between them; ethtool.c, rtnl.c and genl.c are the driver's control
 * paths.
 */
#include <linux/module.h>
#include <net/genetlink.h>
#include <net/rtnetlink.h>

#include "wbnic.h"

static unsigned int nics;
module_param(nics, uint, 0444);
MODULE_PARM_DESC(nics, "NICs to create at load, cabled in pairs (default 0, max 64)");

#define WBNIC_NICS_MAX	64

static int __init wbnic_module_init(void)
{
	int err;

	if (nics > WBNIC_NICS_MAX) {
		pr_err("wirebox_nic: nics=%u is more than %u\n", nics,
		       WBNIC_NICS_MAX);
		return -EINVAL;
	}
	err = rtnl_link_register(&wbnic_link_ops);
	if (err)
		return err;
	err = genl_register_family(&wbnic_genl_family);
	if (err)
		goto err_link;
	err = wbnic_create_nics(nics);
	if (err)
		goto err_genl;
	return 0;

err_genl:
	genl_unregister_family(&wbnic_genl_family);
err_link:
	/* also deletes the NICs made before the failure */
	rtnl_link_unregister(&wbnic_link_ops);
	return err;
}

static void __exit wbnic_module_exit(void)
{
	genl_unregister_family(&wbnic_genl_family);
	/* deletes every wbnic left, in every netns */
	rtnl_link_unregister(&wbnic_link_ops);
}

module_init(wbnic_module_init);
module_exit(wbnic_module_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("wirebox NAPI-polled virtual NIC with simulated DMA rings");
MODULE_ALIAS_RTNL_LINK(WBNIC_KIND);
MODULE_ALIAS_GENL_FAMILY(WBNIC_GENL_NAME);
