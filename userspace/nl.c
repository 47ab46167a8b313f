// SPDX-License-Identifier: GPL-2.0
/*
 * wbctl: rtnetlink over libmnl, with extended ACK parsing.
 *
 * libmnl 1.0.4's mnl_cb_run() turns an NLMSG_ERROR into errno and drops
 * the extack TLVs, so replies are walked here instead (nl_process()).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "nl.h"
#include "utils.h"

static char nl_rx[NL_RX_SIZE];

static void nl_setopt(struct nl_sock *nl, int opt)
{
	int one = 1;

	/* Best effort: older kernels lack some, nothing depends on them. */
	mnl_socket_setsockopt(nl->mnl, opt, &one, sizeof(one));
}

/* Open and bind a netlink socket of family bus (NETLINK_ROUTE, ...). */
int nl_open(struct nl_sock *nl, int bus)
{
	memset(nl, 0, sizeof(*nl));
	nl->mnl = mnl_socket_open(bus);
	if (!nl->mnl)
		return -errno;
	nl_setopt(nl, NETLINK_EXT_ACK);
	nl_setopt(nl, NETLINK_CAP_ACK);
	nl_setopt(nl, NETLINK_GET_STRICT_CHK);
	if (mnl_socket_bind(nl->mnl, 0, MNL_SOCKET_AUTOPID) < 0) {
		int err = -errno;

		mnl_socket_close(nl->mnl);
		nl->mnl = NULL;
		return err;
	}
	nl->portid = mnl_socket_get_portid(nl->mnl);
	nl->seq = time(NULL);
	return 0;
}

/* nl_open(), or an error line; returns an exit status. */
int nl_connect(struct nl_sock *nl, int bus)
{
	int err = nl_open(nl, bus);

	if (err)
		wb_err("Error: cannot open netlink socket: %s.",
		       strerror(-err));
	return err ? WB_EXIT_FAIL : 0;
}

void nl_close(struct nl_sock *nl)
{
	if (nl->mnl)
		mnl_socket_close(nl->mnl);
	nl->mnl = NULL;
}

static int nl_ack_attr(const struct nlattr *attr, void *data)
{
	struct nl_ack *ack = data;

	switch (mnl_attr_get_type(attr)) {
	case NLMSGERR_ATTR_MSG:
		if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
			snprintf(ack->msg, sizeof(ack->msg), "%s",
				 mnl_attr_get_str(attr));
		break;
	case NLMSGERR_ATTR_OFFS:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) == 0) {
			ack->offs = mnl_attr_get_u32(attr);
			ack->has_offs = true;
		}
		break;
	}
	return MNL_CB_OK;
}

/*
 * Parse an NLMSG_ERROR: struct nlmsgerr, then the request's payload
 * unless NLM_F_CAPPED, then extack TLVs if NLM_F_ACK_TLVS.  Returns 0 or
 * -EBADMSG for a message too short to hold a struct nlmsgerr.
 */
int nl_parse_ack(const struct nlmsghdr *nlh, struct nl_ack *ack)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t len = mnl_nlmsg_get_payload_len(nlh);
	size_t off = sizeof(*e);

	memset(ack, 0, sizeof(*ack));
	if (nlh->nlmsg_len < NLMSG_HDRLEN || len < sizeof(*e)) {
		ack->error = EBADMSG;
		return -EBADMSG;
	}
	ack->error = e->error < 0 ? -e->error : e->error;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return 0;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
	    e->msg.nlmsg_len > NLMSG_HDRLEN)
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	off = MNL_ALIGN(off);
	if (off < len)
		mnl_attr_parse_payload((const char *)e + off, len - off,
				       nl_ack_attr, ack);
	return 0;
}

/* NLMSG_DONE of a dump: an int error, then extack TLVs (since 4.20). */
static int nl_parse_done(const struct nlmsghdr *nlh, struct nl_ack *ack)
{
	const int *err = mnl_nlmsg_get_payload(nlh);
	size_t len = mnl_nlmsg_get_payload_len(nlh);
	size_t off = MNL_ALIGN(sizeof(*err));

	memset(ack, 0, sizeof(*ack));
	if (len < sizeof(*err))
		return 0;	/* ancient kernels: no error int */
	ack->error = *err < 0 ? -*err : *err;
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && off < len)
		mnl_attr_parse_payload((const char *)err + off, len - off,
				       nl_ack_attr, ack);
	return 0;
}

static int nl_one(struct nl_reply *r, const struct nlmsghdr *nlh)
{
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		r->intr = true;

	switch (nlh->nlmsg_type) {
	case NLMSG_ERROR:
	case NLMSG_DONE:
		if (nlh->nlmsg_type == NLMSG_ERROR)
			nl_parse_ack(nlh, &r->ack);
		else
			nl_parse_done(nlh, &r->ack);
		r->done = true;
		if (r->ack.error) {
			r->kernel = true;
			return -r->ack.error;
		}
		if (r->ack.msg[0])
			nl_print_ack("Warning", &r->ack);
		return 0;
	case NLMSG_OVERRUN:
		return -ENOBUFS;
	}
	if (nlh->nlmsg_type < NLMSG_MIN_TYPE || !r->cb)
		return 0;
	return r->cb(nlh, r->data);
}

/*
 * Walk one datagram of replies.  Messages for other requests (wrong
 * port id or sequence number) are skipped.  Returns 0 or a negative
 * errno; r->done says whether the exchange is over.
 */
int nl_process(struct nl_reply *r, const void *buf, size_t len)
{
	const struct nlmsghdr *nlh = buf;
	int n = len, err;

	while (mnl_nlmsg_ok(nlh, n)) {
		if (mnl_nlmsg_portid_ok(nlh, r->portid) &&
		    mnl_nlmsg_seq_ok(nlh, r->seq)) {
			err = nl_one(r, nlh);
			if (err < 0 || r->done)
				return err;
		}
		nlh = mnl_nlmsg_next(nlh, &n);
	}
	return 0;
}

/*
 * The kernel refuses a request longer than the socket's send buffer
 * (net.core.wmem_default, about 200 KiB), so make room for a large one
 * as nft does: SO_SNDBUFFORCE needs CAP_NET_ADMIN, SO_SNDBUF stops at
 * net.core.wmem_max.  Best effort; the kernel doubles the value.
 */
static void nl_sndbuf(struct nl_sock *nl, size_t len)
{
	int fd = mnl_socket_get_fd(nl->mnl), size;

	if (len <= NL_TX_SIZE || len > INT_MAX)
		return;
	size = len;
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
}

/*
 * Send one request and read replies until its ACK, error or NLMSG_DONE;
 * data messages go to cb.  Returns 0 or a negative errno; nl->kernel
 * and nl->ack tell whether and what the kernel said.
 */
int nl_talk(struct nl_sock *nl, struct nlmsghdr *req, nl_data_cb cb,
	    void *data)
{
	struct nl_reply r = {
		.seq = ++nl->seq, .portid = nl->portid, .cb = cb, .data = data,
	};
	ssize_t n;
	int err;

	nl->kernel = false;
	memset(&nl->ack, 0, sizeof(nl->ack));
	req->nlmsg_seq = r.seq;
	nl_sndbuf(nl, req->nlmsg_len);
	if (mnl_socket_sendto(nl->mnl, req, req->nlmsg_len) < 0)
		return -errno;
	do {
		n = mnl_socket_recvfrom(nl->mnl, nl_rx, sizeof(nl_rx));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		err = nl_process(&r, nl_rx, n);
	} while (!err && !r.done);

	nl->kernel = r.kernel;
	nl->ack = r.ack;
	if (!err && r.intr)
		err = -EINTR;
	return err;
}

/*
 * nl_talk() a dump request.  One that the kernel flags as interrupted
 * (the objects changed while it was read) is retried, reset(data) first,
 * up to NL_DUMP_TRIES times, then fails with -EINTR: a partial dump is
 * never taken for a complete one.
 */
int nl_dump(struct nl_sock *nl, struct nlmsghdr *req, nl_data_cb cb,
	    void *data, void (*reset)(void *data))
{
	int tries = NL_DUMP_TRIES, err;

	do {
		reset(data);
		err = nl_talk(nl, req, cb, data);
	} while (err == -EINTR && !nl->kernel && --tries);
	return err;
}

/*
 * Read notifications (multicast messages; join groups first) and hand
 * each to cb until cb or a read fails.  Returns that negative errno:
 * -EINTR for a signal, -ENOBUFS when the socket overran and messages were
 * lost; the caller may call again for both.
 */
int nl_monitor(struct nl_sock *nl, nl_data_cb cb, void *data)
{
	struct nl_reply r = { .portid = nl->portid, .cb = cb, .data = data };
	ssize_t n;
	int err;

	for (;;) {
		n = mnl_socket_recvfrom(nl->mnl, nl_rx, sizeof(nl_rx));
		if (n < 0)
			return -errno;
		err = nl_process(&r, nl_rx, n);
		if (err)
			return err;
		r.done = false;
	}
}

/* "Error: <extack message>." or "Error: <strerror>." on one line. */
void nl_print_ack(const char *prefix, const struct nl_ack *ack)
{
	size_t len = strlen(ack->msg);

	if (len) {
		wb_err("%s: %s%s", prefix, ack->msg,
		       ack->msg[len - 1] == '.' ? "" : ".");
	} else if (ack->has_offs) {
		wb_err("%s: %s (bad attribute at offset %u).", prefix,
		       strerror(ack->error), ack->offs);
	} else {
		wb_err("%s: %s.", prefix, strerror(ack->error));
	}
}

/* Print why nl_talk() failed; returns the matching exit status. */
int nl_report(const struct nl_sock *nl, int err)
{
	if (nl->kernel) {
		nl_print_ack("Error", &nl->ack);
		return WB_EXIT_KERNEL;
	}
	if (err == -EINTR)
		wb_err("Error: dump was interrupted, try again.");
	else
		wb_err("Error: netlink: %s.", strerror(-err));
	return WB_EXIT_FAIL;
}

/* nl_talk(), then nl_report() on failure: returns an exit status. */
int nl_do(struct nl_sock *nl, struct nlmsghdr *req, nl_data_cb cb,
	  void *data)
{
	int err = nl_talk(nl, req, cb, data);

	return err ? nl_report(nl, err) : 0;
}

/*
 * Start an rtnetlink link request (struct ifinfomsg) in buf, NL_TX_SIZE
 * bytes.  libmnl 1.0.4 does not zero attribute padding, so zero the whole
 * buffer: no stack bytes go out.
 */
struct nlmsghdr *nl_link_msg(void *buf, uint16_t type, uint16_t flags,
			     int ifindex)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;

	memset(buf, 0, NL_TX_SIZE);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	return nlh;
}
