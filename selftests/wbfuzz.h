/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the wirebox netlink fuzzers share: a reproducible random source,
 * random attributes, and one request/answer exchange.
 */
#ifndef WBFUZZ_H
#define WBFUZZ_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/netlink.h>

static uint64_t rng;

static inline uint32_t rnd(void)
{
	/* xorshift64*: reproducible from the seed, good enough here */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (rng * 0x2545F4914F6CDD1DULL) >> 32;
}

static inline uint32_t below(uint32_t n)
{
	return n ? rnd() % n : 0;
}

/* Seed from the string @s (WB_FUZZ_SEED), else from the clock. */
static inline void fuzz_seed(const char *s)
{
	rng = s ? strtoull(s, NULL, 0) : (uint64_t)time(NULL) ^ getpid();
	if (!rng)
		rng = 1;
}

static inline void put_random(struct nlmsghdr *nlh, int type)
{
	uint8_t junk[64];
	unsigned int i, len = below(sizeof(junk) + 1);

	for (i = 0; i < len; i++)
		junk[i] = rnd();
	mnl_attr_put(nlh, type, len, junk);
}

static inline int fuzz_ack_cb(const struct nlattr *a, void *data)
{
	if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_get_payload_len(a) > 1)
		*(bool *)data = true;
	return MNL_CB_OK;
}

/*
 * Send, then read until our ack or error (or the end of a dump, if the
 * flags made one): 0 or -errno. -ETIMEDOUT if the kernel never answered.
 * *msg: the error came with an extack message (NLMSGERR_ATTR_MSG).
 */
static inline int send_one(struct mnl_socket *nl, char *buf, int len, bool *msg)
{
	char rbuf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int n;

	*msg = false;
	if (mnl_socket_sendto(nl, buf, len) < 0)
		return -errno;
	for (;;) {
		n = mnl_socket_recvfrom(nl, rbuf, sizeof(rbuf));
		if (n < 0)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		for (nlh = (struct nlmsghdr *)rbuf; mnl_nlmsg_ok(nlh, n);
		     nlh = mnl_nlmsg_next(nlh, &n)) {
			if (nlh->nlmsg_type == NLMSG_DONE)
				return 0;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

				/* NETLINK_CAP_ACK: only the header is echoed */
				if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
					mnl_attr_parse(nlh, sizeof(*e),
						       fuzz_ack_cb, msg);
				return e->error;
			}
		}
	}
}


#endif /* WBFUZZ_H */
