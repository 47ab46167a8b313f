/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-version shims for wirebox. Force-included into every object by the
 * top-level Kbuild, so no .c file ever tests LINUX_VERSION_CODE.
 *
 * Targets: Debian's 6.1 LTS and 6.12 LTS. Each shim names the upstream
 * change it papers over.
 */
#ifndef _WIREBOX_COMPAT_H
#define _WIREBOX_COMPAT_H

#include <linux/version.h>
#include <linux/netdevice.h>
#include <linux/ethtool.h>

/* 6.12 turned NETIF_F_LLTX into the dev->lltx bit (commit 00d066a4d4ed). */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
static inline void wb_netdev_set_lltx(struct net_device *dev)
{
	dev->lltx = true;
}
#else
static inline void wb_netdev_set_lltx(struct net_device *dev)
{
	dev->features |= NETIF_F_LLTX;
}
#endif

/* ethtool_puts() arrived in 6.8. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 8, 0)
static inline void ethtool_puts(u8 **data, const char *str)
{
	ethtool_sprintf(data, "%s", str);
}
#endif

/* 6.12 moved <asm/unaligned.h> to <linux/unaligned.h> (commit 5f60d5f6bbc1). */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/*
 * 6.2's genetlink split-ops rework moved a dump's parsed attributes
 * into a struct genl_info inside struct genl_dumpit_info.
 */
#include <net/genetlink.h>
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
static inline struct nlattr **wb_genl_dump_attrs(struct netlink_callback *cb)
{
	return genl_dumpit_info(cb)->info.attrs;
}
#else
static inline struct nlattr **wb_genl_dump_attrs(struct netlink_callback *cb)
{
	return genl_dumpit_info(cb)->attrs;
}
#endif

/*
 * A SLAB_TYPESAFE_BY_RCU cache. SLUB keeps such a cache's free pointer
 * beyond the object (readers may still look at a freed one), 8 more bytes
 * an object; 6.12 lets the cache say where in the object it may go
 * instead (struct kmem_cache_args.freeptr_offset, commit 879fb3c274c1):
 * a field no reader needs across reuse.
 */
#include <linux/slab.h>
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
static inline struct kmem_cache *
wb_kmem_cache_create_rcu(const char *name, unsigned int size,
			 unsigned int freeptr_offset, slab_flags_t flags)
{
	struct kmem_cache_args args = {
		.freeptr_offset = freeptr_offset,
		.use_freeptr_offset = true,
	};

	return kmem_cache_create(name, size, &args,
				 flags | SLAB_TYPESAFE_BY_RCU);
}
#else
static inline struct kmem_cache *
wb_kmem_cache_create_rcu(const char *name, unsigned int size,
			 unsigned int freeptr_offset, slab_flags_t flags)
{
	return kmem_cache_create(name, size, 0, flags | SLAB_TYPESAFE_BY_RCU,
				 NULL);
}
#endif

#endif /* _WIREBOX_COMPAT_H */
