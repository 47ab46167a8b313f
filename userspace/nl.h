/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wbctl: rtnetlink over libmnl, with extended ACK parsing.
 */
#ifndef WBCTL_NL_H
#define WBCTL_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libmnl/libmnl.h>

/* Receive buffer: libmnl's recommended dump size (MNL_SOCKET_DUMP_SIZE). */
#define NL_RX_SIZE	32768
/* Request buffer; MNL_SOCKET_BUFFER_SIZE is not a constant expression. */
#define NL_TX_SIZE	8192
/* Tries of a dump that the kernel flags as interrupted (NLM_F_DUMP_INTR). */
#define NL_DUMP_TRIES	3

/* What the kernel said in an NLMSG_ERROR (or NLMSG_DONE) message. */
struct nl_ack {
	int error;		/* 0 (ACK) or a positive errno */
	char msg[256];		/* NLMSGERR_ATTR_MSG, "" when absent */
	bool has_offs;
	uint32_t offs;		/* NLMSGERR_ATTR_OFFS: offset in request */
};

/* Data callback: return 0 to go on, a negative errno to stop. */
typedef int (*nl_data_cb)(const struct nlmsghdr *nlh, void *data);

/* State of one request/reply exchange, see nl_process(). */
struct nl_reply {
	uint32_t seq;
	uint32_t portid;
	nl_data_cb cb;
	void *data;
	bool done;		/* ACK, error or NLMSG_DONE seen */
	bool intr;		/* NLM_F_DUMP_INTR seen */
	bool kernel;		/* the error came from the kernel */
	struct nl_ack ack;
};

struct nl_sock {
	struct mnl_socket *mnl;
	uint32_t portid;
	uint32_t seq;
	bool kernel;		/* last error came from the kernel ... */
	struct nl_ack ack;	/* ... and this is what it said */
};

int nl_open(struct nl_sock *nl, int bus);
int nl_connect(struct nl_sock *nl, int bus);
void nl_close(struct nl_sock *nl);
int nl_talk(struct nl_sock *nl, struct nlmsghdr *req, nl_data_cb cb,
	    void *data);
int nl_dump(struct nl_sock *nl, struct nlmsghdr *req, nl_data_cb cb,
	    void *data, void (*reset)(void *data));
int nl_monitor(struct nl_sock *nl, nl_data_cb cb, void *data);
int nl_report(const struct nl_sock *nl, int err);
int nl_do(struct nl_sock *nl, struct nlmsghdr *req, nl_data_cb cb,
	  void *data);
struct nlmsghdr *nl_link_msg(void *buf, uint16_t type, uint16_t flags,
			     int ifindex);

/* Pure helpers, exported for the unit tests. */
int nl_parse_ack(const struct nlmsghdr *nlh, struct nl_ack *ack);
int nl_process(struct nl_reply *r, const void *buf, size_t len);
void nl_print_ack(const char *prefix, const struct nl_ack *ack);

#endif /* WBCTL_NL_H */
