// SPDX-License-Identifier: GPL-2.0
/*
 * link_wbnic.so: iproute2 support for link kind "wbnic".
 *
 *	ip link add N type wbnic [ rx-ring K ] [ tx-ring K ] [ queues Q ]
 *
 * The same keywords as "wbctl nic add"; ethtool -G/-L change them later.
 */
#include <string.h>

#include <linux/wirebox.h>

#include "ip_link_util.h"

#define WBNIC_MAXLEN	((int)sizeof(struct iplink_req))
#define WB_STR(x)	#x
#define WB_XSTR(x)	WB_STR(x)
#define WBNIC_RING_RANGE \
	"a power of two from " WB_XSTR(WBNIC_RING_MIN) " to " \
	WB_XSTR(WBNIC_RING_MAX)

struct wbnic_opt {
	const char	*key;		/* keyword, and text output */
	const char	*json;		/* JSON key */
	int		type;		/* WBNIC_INFO_* */
	__u32		min, max;
	bool		pow2;
	const char	*range;		/* what invarg() says is wrong */
};

static const struct wbnic_opt wbnic_opts[] = {
	{ "rx-ring", "rx_ring", WBNIC_INFO_RX_RING,
	  WBNIC_RING_MIN, WBNIC_RING_MAX, true,
	  "rx-ring is " WBNIC_RING_RANGE },
	{ "tx-ring", "tx_ring", WBNIC_INFO_TX_RING,
	  WBNIC_RING_MIN, WBNIC_RING_MAX, true,
	  "tx-ring is " WBNIC_RING_RANGE },
	{ "queues", "queues", WBNIC_INFO_QUEUES,
	  1, WBNIC_QUEUES_MAX, false,
	  "queues is from 1 to " WB_XSTR(WBNIC_QUEUES_MAX) },
};

#define WBNIC_NOPTS	ARRAY_SIZE(wbnic_opts)

static void wbnic_explain(FILE *f)
{
	fprintf(f,
		"Usage: ip link add [ name ] NAME type wbnic [ rx-ring K ] [ tx-ring K ]\n"
		"                   [ queues Q ]\n"
		"\n"
		"where  K := descriptors per RX or TX ring, a power of two from %u to %u\n"
		"            (default %u)\n"
		"       Q := queue pairs (channels), from 1 to %u (default 1)\n"
		"\n"
		"ethtool -G and -L change them later; \"wbctl nic cable\" wires two\n"
		"NICs. \"ip -d link show\" prints the current values.\n",
		WBNIC_RING_MIN, WBNIC_RING_MAX, WBNIC_RING_DEFAULT,
		WBNIC_QUEUES_MAX);
}

static const struct wbnic_opt *wbnic_find(const char *key)
{
	unsigned int i;

	for (i = 0; i < WBNIC_NOPTS; i++)
		if (!strcmp(key, wbnic_opts[i].key))
			return &wbnic_opts[i];
	return NULL;
}

static __u32 wbnic_parse_val(const struct wbnic_opt *o, const char *arg)
{
	__u32 val;

	if (get_u32(&val, arg, 0) || val < o->min || val > o->max ||
	    (o->pow2 && (val & (val - 1))))
		invarg(o->range, arg);
	return val;
}

static int wbnic_parse_opt(struct link_util *lu, int argc, char **argv,
			   struct nlmsghdr *n)
{
	bool seen[WBNIC_NOPTS] = { false };
	const struct wbnic_opt *o;

	for (; argc > 0; argc--, argv++) {
		if (!strcmp(*argv, "help")) {
			wbnic_explain(stderr);
			return -1;
		}
		o = wbnic_find(*argv);
		if (!o) {
			fprintf(stderr, "wbnic: unknown option \"%s\"?\n",
				*argv);
			wbnic_explain(stderr);
			return -1;
		}
		NEXT_ARG();
		if (seen[o - wbnic_opts])
			duparg(o->key, *argv);
		seen[o - wbnic_opts] = true;
		if (addattr32(n, WBNIC_MAXLEN, o->type,
			      wbnic_parse_val(o, *argv)))
			return -1;
	}
	return 0;
}

/* ip -d link show: tb[] is IFLA_INFO_DATA, up to WBNIC_INFO_MAX. */
static void wbnic_print_opt(struct link_util *lu, FILE *f, struct rtattr *tb[])
{
	const struct rtattr *rta;
	char fmt[32];
	unsigned int i;

	for (i = 0; tb && i < WBNIC_NOPTS; i++) {
		rta = tb[wbnic_opts[i].type];
		if (!rta || RTA_PAYLOAD(rta) < sizeof(__u32))
			continue;
		snprintf(fmt, sizeof(fmt), "%s %%u ", wbnic_opts[i].key);
		print_uint(PRINT_ANY, wbnic_opts[i].json, fmt,
			   rta_getattr_u32(rta));
	}
}

static void wbnic_print_help(struct link_util *lu, int argc, char **argv,
			     FILE *f)
{
	wbnic_explain(f);
}

WB_LINK_UTIL wbnic_link_util = {
	.id		= WBNIC_KIND,
	.maxattr	= WBNIC_INFO_MAX,
	.parse_opt	= wbnic_parse_opt,
	.print_opt	= wbnic_print_opt,
	.print_help	= wbnic_print_help,
};
