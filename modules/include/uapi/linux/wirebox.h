/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * wirebox user API: link kinds and generic netlink families.
 *
 * This is the one header the modules and wbctl share. Attribute numbers
 * are ABI: append, never renumber.
 */
#ifndef _UAPI_LINUX_WIREBOX_H
#define _UAPI_LINUX_WIREBOX_H

/*
 * wbpair: the veth-like pair, rtnetlink link kind "wbpair".
 *
 * RTM_NEWLINK IFLA_LINKINFO { IFLA_INFO_KIND "wbpair",
 *			      IFLA_INFO_DATA { WBPAIR_INFO_* } }
 */
#define WBPAIR_KIND		"wbpair"

enum {
	WBPAIR_INFO_UNSPEC,
	/* nested: struct ifinfomsg, then IFLA_* of the peer (name, netns) */
	WBPAIR_INFO_PEER,
	/* u32, enum wbpair_mode; set at create time for both ends */
	WBPAIR_INFO_MODE,
	__WBPAIR_INFO_MAX,
};

#define WBPAIR_INFO_MAX		(__WBPAIR_INFO_MAX - 1)

enum wbpair_mode {
	/* hand the frame to the peer's stack with netif_rx(), like veth */
	WBPAIR_MODE_XMIT,
	/* queue to the peer's ring; the peer's NAPI poll delivers with GRO */
	WBPAIR_MODE_NAPI,
	__WBPAIR_MODE_MAX,
};

#define WBPAIR_MODE_MAX		(__WBPAIR_MODE_MAX - 1)

#endif /* _UAPI_LINUX_WIREBOX_H */
