/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wbctl pair: the wbpair link kind.
 *
 * Parsing (argv -> struct), message building (struct -> nlmsghdr) and
 * reply parsing (nlmsghdr -> struct pair_link) are pure functions so
 * the unit tests can run them without a netlink socket.
 */
#ifndef WBCTL_PAIR_H
#define WBCTL_PAIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/if.h>
#include <libmnl/libmnl.h>

/* wbctl pair add [name] NAME [peer PEER] [netns NETNS] [mode MODE] */
struct pair_add_req {
	const char *name;
	const char *peer;	/* NULL: the kernel names it */
	const char *netns;	/* NULL: the peer stays in our netns */
	bool has_mode;		/* false: the kernel's default */
	uint32_t mode;		/* enum wbpair_mode */
};

/* One link from an RTM_NEWLINK reply. */
struct pair_link {
	char ifname[IFNAMSIZ];
	int ifindex;
	bool is_wbpair;
	bool has_peer;
	uint32_t peer_ifindex;	/* IFLA_LINK */
	char peer_ifname[IFNAMSIZ];	/* "" unless resolved */
	bool has_netnsid;
	int32_t netnsid;	/* IFLA_LINK_NETNSID */
	bool has_mode;
	uint32_t mode;
	uint8_t operstate;
	bool carrier;
	uint32_t mtu;
};

/* pair.c */
int pair_parse_add(int argc, char **argv, struct pair_add_req *req);
int pair_parse_dev(int argc, char **argv, const char **name, bool need);
void pair_links_finish(struct pair_link *v, size_t n);

/* pair_msg.c */
struct nlmsghdr *pair_build_add(void *buf, const struct pair_add_req *req,
				int ns_fd);
struct nlmsghdr *pair_build_get(void *buf, const char *name, int ifindex);
struct nlmsghdr *pair_build_dump(void *buf);
struct nlmsghdr *pair_build_del(void *buf, const char *name, int ifindex);
int pair_parse_link(const struct nlmsghdr *nlh, struct pair_link *link);
void pair_print_link(const struct pair_link *link);

#endif /* WBCTL_PAIR_H */
