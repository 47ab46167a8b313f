/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small netlink helpers shared by the wirebox C selftests.
 */
#ifndef WBNL_H
#define WBNL_H

#include <errno.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "wbfail.h"

#define BUF_SIZE	32768	/* a dump reply may be longer than a page */


/* When set, the send buffer of every socket below (SO_SNDBUFFORCE). */
static int wb_sndbuf;

/* A bound netlink socket of @proto asking for extack TLVs; NULL + errno. */
static inline struct mnl_socket *wb_nl_open_proto(int proto)
{
	struct mnl_socket *nl = mnl_socket_open(proto);
	int one = 1;

	if (!nl)
		return NULL;
	if (wb_sndbuf)
		setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_SNDBUFFORCE,
			   &wb_sndbuf, sizeof(wb_sndbuf));
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

/* ---------------------------------------------------------- transport */

struct reply {
	int err;		/* 0 or -errno */
	char msg[256];		/* extack message, "" if none */
	/*
	 * err came from the socket, not from an NLMSG_ERROR: the kernel could
	 * not queue its answer (-ENOBUFS), whatever the request did
	 */
	bool lost;
};

/* An unsigned attribute of any width, -2 if it has none of them. */
static inline int64_t attr_uint(const struct nlattr *a)
{
	switch (mnl_attr_get_payload_len(a)) {
	case 1:
		return mnl_attr_get_u8(a);
	case 2:
		return mnl_attr_get_u16(a);
	case 4:
		return mnl_attr_get_u32(a);
	case 8:
		return (int64_t)mnl_attr_get_u64(a);
	}
	return -2;
}

/*
 * The unsigned attribute @inner inside the nest @outer of a generic netlink
 * message (a RULE_NEW reply's WBNF_A_RULE/WBNF_R_ID, say): a msg_fn for
 * talk(). @val stays as the caller set it when the message has none.
 */
struct nested_uint {
	uint16_t outer, inner;
	int64_t val;
};

static inline int nested_uint_inner_cb(const struct nlattr *a, void *data)
{
	struct nested_uint *n = data;

	if (mnl_attr_get_type(a) == n->inner)
		n->val = attr_uint(a);
	return MNL_CB_OK;
}

static inline int nested_uint_outer_cb(const struct nlattr *a, void *data)
{
	struct nested_uint *n = data;

	if (mnl_attr_get_type(a) == n->outer)
		mnl_attr_parse_nested(a, nested_uint_inner_cb, data);
	return MNL_CB_OK;
}

static inline void nested_uint_msg(const struct nlmsghdr *nlh, void *data)
{
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), nested_uint_outer_cb,
		       data);
}

static inline void attr_str(const struct nlattr *a, char *dst, size_t size)
{
	snprintf(dst, size, "%.*s", (int)mnl_attr_get_payload_len(a),
		 (const char *)mnl_attr_get_payload(a));
}

static inline int ack_attr_cb(const struct nlattr *attr, void *data)
{
	struct reply *r = data;

	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG)
		attr_str(attr, r->msg, sizeof(r->msg));
	return MNL_CB_OK;
}

typedef void (*msg_fn)(const struct nlmsghdr *nlh, void *data);

/*
 * Allocation failure injection (wbfail.h): with wb_talk_fail_fd an open
 * /proc/thread-self/fail-nth, talk() fails the wb_talk_fail_nth-th
 * injection point of its send (a genetlink handler runs inside it).
 */
static int wb_talk_fail_fd = -1;
static int wb_talk_fail_nth;
/* fail-nth's count right after the send: > 0 if the Nth point never came */
static int wb_talk_fail_left;

static inline void wb_talk_arm(int nth)
{
	if (wb_talk_fail_fd >= 0 && set_fail_nth(wb_talk_fail_fd, nth))
		perror("fail-nth");
}

/*
 * Send @nlh (with NLM_F_ACK) on a fresh socket of @proto in the current
 * netns, and read until its ack or NLMSG_DONE; every other message goes to
 * @fn. Fills @r with the errno and the extack message.
 */
static inline void talk(int proto, struct nlmsghdr *nlh, msg_fn fn, void *data,
		 struct reply *r)
{
	static char buf[BUF_SIZE];
	struct mnl_socket *nl;
	bool done = false;
	int len;

	memset(r, 0, sizeof(*r));
	nl = wb_nl_open_proto(proto);
	if (!nl) {
		r->err = -errno;
		return;
	}
	nlh->nlmsg_flags |= NLM_F_ACK;
	nlh->nlmsg_seq = time(NULL);
	wb_talk_arm(wb_talk_fail_nth);
	len = mnl_socket_sendto(nl, nlh, nlh->nlmsg_len);
	if (len < 0)
		r->err = -errno;
	/* read it before disarming: writing 0 clears what is left */
	if (wb_talk_fail_fd >= 0)
		wb_talk_fail_left = get_fail_nth(wb_talk_fail_fd);
	wb_talk_arm(0);
	if (len < 0)
		goto out;
	while (!done) {
		struct nlmsghdr *m = (struct nlmsghdr *)buf;

		len = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (len < 0) {
			r->err = -errno;
			r->lost = true;
			break;
		}
		for (; mnl_nlmsg_ok(m, len); m = mnl_nlmsg_next(m, &len)) {
			if (m->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = mnl_nlmsg_get_payload(m);

				r->err = e->error;
				/* NETLINK_CAP_ACK: only the header is echoed */
				if (m->nlmsg_flags & NLM_F_ACK_TLVS)
					mnl_attr_parse(m, sizeof(*e), ack_attr_cb, r);
				done = true;
				break;
			}
			if (m->nlmsg_type == NLMSG_DONE) {
				if (mnl_nlmsg_get_payload_len(m) >= sizeof(int))
					r->err = *(int *)mnl_nlmsg_get_payload(m);
				if (m->nlmsg_flags & NLM_F_ACK_TLVS)
					mnl_attr_parse(m, sizeof(int), ack_attr_cb, r);
				done = true;
				break;
			}
			if (fn)
				fn(m, data);
		}
	}
out:
	mnl_socket_close(nl);
}

/* ---------------------------------------------------- generic netlink */

static inline struct nlmsghdr *genl_msg(char *buf, int fam, uint8_t cmd, bool dump)
{
	struct genlmsghdr *g;
	struct nlmsghdr *nlh;

	memset(buf, 0, MNL_SOCKET_BUFFER_SIZE);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = fam;
	nlh->nlmsg_flags = NLM_F_REQUEST | (dump ? NLM_F_DUMP : 0);
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = 1;	/* ctrl, wbnic and wbnf are all version 1 */
	return nlh;
}

static inline int family_attr_cb(const struct nlattr *a, void *data)
{
	if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
		*(int *)data = mnl_attr_get_u16(a);
	return MNL_CB_OK;
}

static inline void family_msg(const struct nlmsghdr *nlh, void *data)
{
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_attr_cb, data);
}

/* The id of genl family @name as seen from the current netns, or -errno. */
static inline int resolve_family(const char *name)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct reply r;
	int id = 0;

	nlh = genl_msg(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, false);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
	talk(NETLINK_GENERIC, nlh, family_msg, &id, &r);
	if (r.err)
		return r.err;
	return id > 0 ? id : -ENOENT;
}

#endif /* WBNL_H */
