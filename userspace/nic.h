/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wbctl nic: the wbnic link kind and the "wbnic" generic netlink family.
 *
 * As for pair, parsing (argv -> struct), message building (struct ->
 * nlmsghdr) and reply parsing and printing (nlmsghdr -> struct nic_info
 * -> text or JSON) are pure functions that the unit tests run without a
 * socket.
 */
#ifndef WBCTL_NIC_H
#define WBCTL_NIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/if.h>
#include <linux/wirebox.h>
#include <libmnl/libmnl.h>

#define NIC_MODULE	"wirebox_nic"
#define NIC_FLAP_MS	1000	/* "flap" without a duration */

/* wbctl nic add [name] NAME [rx-ring K] [tx-ring K] [queues K] */
struct nic_add_req {
	const char *name;
	bool has_rx_ring, has_tx_ring, has_queues;
	uint32_t rx_ring, tx_ring, queues;
};

/* wbctl nic cable [dev] NAME [peer] PEER [netns NETNS] */
struct nic_cable_req {
	const char *name;
	const char *peer;
	const char *netns;	/* NULL: PEER is in our netns */
};

/* wbctl nic set [dev] NAME [loss PCT] [corrupt PCT] [loopback on|off] ... */
struct nic_set_req {
	const char *name;
	bool has_loss, has_corrupt, has_loopback, has_flap;
	uint32_t loss, corrupt;	/* parts per million */
	bool loopback;
	uint32_t flap_ms;
};

/*
 * One queue pair of a GET reply: bit n of has says WBNIC_Q_n was present
 * (and valid), v[n] holds its value whatever its width.
 */
struct nic_queue {
	uint64_t has;
	uint64_t v[WBNIC_Q_MAX + 1];
};

/* One NIC of a GET reply; integer attributes as in struct nic_queue. */
struct nic_info {
	uint64_t has;
	uint64_t v[WBNIC_A_MAX + 1];
	char ifname[IFNAMSIZ];
	char peer_ifname[IFNAMSIZ];	/* "" when absent */
	struct nic_queue *queues;	/* when has WBNIC_A_QUEUES */
	size_t n_queues;
};

#define NIC_HAS(x, attr)	(((x)->has >> (attr)) & 1)

_Static_assert(WBNIC_A_MAX < 64 && WBNIC_Q_MAX < 64,
	       "struct nic_info's has bits");

/* nic.c */
int nic_parse_add(int argc, char **argv, struct nic_add_req *req);
int nic_parse_dev(int argc, char **argv, const char **name, bool need);
int nic_parse_cable(int argc, char **argv, struct nic_cable_req *req);
int nic_parse_set(int argc, char **argv, struct nic_set_req *req);

/* nic_msg.c: rtnetlink */
struct nlmsghdr *nic_build_add(void *buf, const struct nic_add_req *req);
struct nlmsghdr *nic_build_getlink(void *buf, const char *name);
struct nlmsghdr *nic_build_del(void *buf, const char *name, int ifindex);
int nic_parse_kind(const struct nlmsghdr *nlh, int *ifindex, bool *is_wbnic);

/* nic_msg.c: generic netlink */
struct nlmsghdr *nic_build_get(void *buf, uint16_t family, uint32_t ifindex);
struct nlmsghdr *nic_build_cable(void *buf, uint16_t family, uint32_t ifindex,
				 uint32_t peer_ifindex, int ns_fd);
struct nlmsghdr *nic_build_uncable(void *buf, uint16_t family,
				   uint32_t ifindex);
struct nlmsghdr *nic_build_set(void *buf, uint16_t family, uint32_t ifindex,
			       const struct nic_set_req *req);
int nic_parse_info(const struct nlmsghdr *nlh, uint16_t family,
		   struct nic_info *info);
void nic_info_free(struct nic_info *info);
void nic_print_info(const struct nic_info *info);

#endif /* WBCTL_NIC_H */
