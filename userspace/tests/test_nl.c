// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: extended ACK parsing and reply walking on hand-made
 * kernel-like messages; no socket.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "nl.h"
#include "tap.h"
#include "utils.h"

#define SEQ	1234
#define PORTID	4321

static char buf[NL_TX_SIZE];

/*
 * NLMSG_ERROR for a request with req_payload bytes of payload; the
 * request is echoed unless capped, then msg/offs TLVs if given.
 */
static struct nlmsghdr *put_err(void *at, int error, size_t req_payload,
				bool capped, const char *msg, int offs)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(at);
	struct nlmsgerr *e;
	size_t echo = capped ? 0 : req_payload;

	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_seq = SEQ;
	nlh->nlmsg_pid = PORTID;
	nlh->nlmsg_flags = capped ? NLM_F_CAPPED : 0;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e) + echo);
	e->error = error;
	e->msg.nlmsg_len = NLMSG_HDRLEN + req_payload;
	e->msg.nlmsg_type = RTM_NEWLINK;
	memset((char *)(e + 1), 0x5a, echo);
	if (msg || offs >= 0)
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
	if (msg)
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
	if (offs >= 0)
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, offs);
	return nlh;
}

static void test_parse_ack(void)
{
	struct nl_ack ack;

	nl_parse_ack(put_err(buf, -EEXIST, 40, true, "Device exists", 36),
		     &ack);
	tap_ok(ack.error == EEXIST && !strcmp(ack.msg, "Device exists") &&
	       ack.has_offs && ack.offs == 36,
	       "ack: capped error with msg and offs");

	nl_parse_ack(put_err(buf, -EINVAL, 42, false, "Bad thing", -1), &ack);
	tap_ok(ack.error == EINVAL && !strcmp(ack.msg, "Bad thing") &&
	       !ack.has_offs,
	       "ack: uncapped error, TLVs after the echoed request");

	nl_parse_ack(put_err(buf, -EPERM, 40, true, NULL, -1), &ack);
	tap_ok(ack.error == EPERM && !ack.msg[0] && !ack.has_offs,
	       "ack: error without TLVs");

	nl_parse_ack(put_err(buf, 0, 40, true, NULL, -1), &ack);
	tap_ok(ack.error == 0 && !ack.msg[0], "ack: plain ACK");

	{
		struct nlmsghdr *nlh = put_err(buf, -EINVAL, 40, true, NULL,
					       -1);

		nlh->nlmsg_len = NLMSG_HDRLEN + 2;
		tap_is_int(nl_parse_ack(nlh, &ack), -EBADMSG,
			   "ack: truncated nlmsgerr is EBADMSG");
	}
}

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(*(int *)data)++;
	return 0;
}

static struct nlmsghdr *put_msg(void *at, uint16_t type, uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(at);

	nlh->nlmsg_type = type;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = PORTID;
	nlh->nlmsg_flags = NLM_F_MULTI;
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg));
	return nlh;
}

static struct nlmsghdr *put_done(void *at, int error, const char *msg)
{
	struct nlmsghdr *nlh = put_msg(at, NLMSG_DONE, SEQ);
	int *err;

	nlh->nlmsg_len = NLMSG_HDRLEN;
	err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err));
	*err = error;
	if (msg) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
	}
	return nlh;
}

static size_t put_at(size_t len, struct nlmsghdr *nlh)
{
	return len + nlh->nlmsg_len;
}

static void test_process(void)
{
	struct nl_reply r = { .seq = SEQ, .portid = PORTID, .cb = count_cb };
	int n = 0, ret;
	size_t len = 0;

	r.data = &n;
	len = put_at(len, put_msg(buf + len, RTM_NEWLINK, SEQ));
	len = put_at(len, put_msg(buf + len, RTM_NEWLINK, SEQ - 1));
	len = put_at(len, put_msg(buf + len, RTM_NEWLINK, SEQ));
	ret = nl_process(&r, buf, len);
	tap_ok(!ret && n == 2 && !r.done,
	       "process: data to the callback, stale sequence skipped");

	len = put_at(0, put_done(buf, 0, NULL));
	ret = nl_process(&r, buf, len);
	tap_ok(!ret && r.done && !r.kernel, "process: NLMSG_DONE ends a dump");

	memset(&r, 0, sizeof(r));
	r.seq = SEQ;
	r.portid = PORTID;
	len = put_at(0, put_done(buf, -EINVAL, "Bad dump"));
	ret = nl_process(&r, buf, len);
	tap_ok(ret == -EINVAL && r.done && r.kernel &&
	       !strcmp(r.ack.msg, "Bad dump"),
	       "process: NLMSG_DONE with an error and extack");

	memset(&r, 0, sizeof(r));
	r.seq = SEQ;
	r.portid = PORTID;
	len = put_at(0, put_err(buf, -EOPNOTSUPP, 40, true,
				"Unknown device type", -1));
	ret = nl_process(&r, buf, len);
	tap_ok(ret == -EOPNOTSUPP && r.done && r.kernel &&
	       !strcmp(r.ack.msg, "Unknown device type"),
	       "process: NLMSG_ERROR stops with the kernel's error");

	memset(&r, 0, sizeof(r));
	r.seq = SEQ;
	r.portid = PORTID;
	len = put_at(0, put_msg(buf, RTM_NEWLINK, SEQ));
	((struct nlmsghdr *)buf)->nlmsg_flags |= NLM_F_DUMP_INTR;
	ret = nl_process(&r, buf, len);
	tap_ok(!ret && r.intr, "process: NLM_F_DUMP_INTR noticed");
}

static const char *ack_text(const char *prefix, const struct nl_ack *ack)
{
	static char *out;
	size_t len;

	free(out);
	wb_errfp = open_memstream(&out, &len);
	nl_print_ack(prefix, ack);
	fclose(wb_errfp);
	wb_errfp = NULL;
	return out;
}

static void test_print_ack(void)
{
	struct nl_ack ack = { .error = EEXIST };

	tap_is_str(ack_text("Error", &ack), "Error: File exists.\n",
		   "report: strerror when no extack");
	strcpy(ack.msg, "Device exists");
	tap_is_str(ack_text("Error", &ack), "Error: Device exists.\n",
		   "report: extack message gets a period");
	strcpy(ack.msg, "Device exists.");
	tap_is_str(ack_text("Error", &ack), "Error: Device exists.\n",
		   "report: no double period");
	ack.msg[0] = 0;
	ack.has_offs = true;
	ack.offs = 52;
	tap_is_str(ack_text("Error", &ack),
		   "Error: File exists (bad attribute at offset 52).\n",
		   "report: offset when there is no message");
	ack.has_offs = false;
	ack.error = 0;
	strcpy(ack.msg, "heads up");
	tap_is_str(ack_text("Warning", &ack), "Warning: heads up.\n",
		   "report: warning on a successful ACK");
}

void test_nl(void)
{
	tap_case("nl: parse_ack");
	test_parse_ack();
	tap_case("nl: process");
	test_process();
	tap_case("nl: print_ack");
	test_print_ack();
}
