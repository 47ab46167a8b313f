// SPDX-License-Identifier: GPL-2.0
/*
 * wbctl nic: build rtnetlink and "wbnic" generic netlink requests, parse
 * and print GET replies.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/wirebox.h>

#include "genl.h"
#include "nic.h"
#include "nl.h"
#include "print.h"
#include "utils.h"

/* ---- rtnetlink: add, delete ---- */

/*
 * RTM_NEWLINK IFLA_IFNAME, IFLA_LINKINFO { KIND "wbnic", DATA { RX_RING,
 * TX_RING, QUEUES } }; DATA only when it would not be empty.
 */
struct nlmsghdr *nic_build_add(void *buf, const struct nic_add_req *req)
{
	struct nlattr *info, *data;
	struct nlmsghdr *nlh;

	nlh = nl_link_msg(buf, RTM_NEWLINK,
			   NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, req->name);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, WBNIC_KIND);
	if (req->has_rx_ring || req->has_tx_ring || req->has_queues) {
		data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
		if (req->has_rx_ring)
			mnl_attr_put_u32(nlh, WBNIC_INFO_RX_RING, req->rx_ring);
		if (req->has_tx_ring)
			mnl_attr_put_u32(nlh, WBNIC_INFO_TX_RING, req->tx_ring);
		if (req->has_queues)
			mnl_attr_put_u32(nlh, WBNIC_INFO_QUEUES, req->queues);
		mnl_attr_nest_end(nlh, data);
	}
	mnl_attr_nest_end(nlh, info);
	return nlh;
}

/* RTM_GETLINK NAME, to check its kind before deleting it. */
struct nlmsghdr *nic_build_getlink(void *buf, const char *name)
{
	struct nlmsghdr *nlh;

	nlh = nl_link_msg(buf, RTM_GETLINK, NLM_F_ACK, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	return nlh;
}

/* RTM_DELLINK by the ifindex whose kind was checked, as pair does. */
struct nlmsghdr *nic_build_del(void *buf, const char *name, int ifindex)
{
	struct nlmsghdr *nlh;

	nlh = nl_link_msg(buf, RTM_DELLINK, NLM_F_ACK, ifindex);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	return nlh;
}

static int nic_kind_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	unsigned int type = mnl_attr_get_type(attr);

	if (type == IFLA_LINKINFO &&
	    mnl_attr_validate(attr, MNL_TYPE_NESTED) == 0)
		tb[IFLA_LINKINFO] = attr;
	else if (type == IFLA_INFO_KIND &&
		 mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
		tb[IFLA_INFO_KIND] = attr;
	return MNL_CB_OK;
}

/*
 * From an RTM_NEWLINK reply: the ifindex and whether the kind is wbnic.
 * Returns 0 or -EBADMSG.
 */
int nic_parse_kind(const struct nlmsghdr *nlh, int *ifindex, bool *is_wbnic)
{
	const struct nlattr *tb[IFLA_MAX + 1] = {};
	const struct nlattr *li[IFLA_INFO_MAX + 1] = {};
	const struct ifinfomsg *ifm;

	*is_wbnic = false;
	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifm))
		return -EBADMSG;
	ifm = mnl_nlmsg_get_payload(nlh);
	*ifindex = ifm->ifi_index;
	mnl_attr_parse(nlh, sizeof(*ifm), nic_kind_cb, tb);
	if (tb[IFLA_LINKINFO])
		mnl_attr_parse_nested(tb[IFLA_LINKINFO], nic_kind_cb, li);
	*is_wbnic = li[IFLA_INFO_KIND] &&
		    !strcmp(mnl_attr_get_str(li[IFLA_INFO_KIND]), WBNIC_KIND);
	return 0;
}

/* ---- generic netlink: requests ---- */

/* GET: one NIC (acked), or a dump of all when ifindex is 0. */
struct nlmsghdr *nic_build_get(void *buf, uint16_t family, uint32_t ifindex)
{
	struct nlmsghdr *nlh;

	nlh = genl_msg(buf, family, WBNIC_CMD_GET, WBNIC_GENL_VERSION,
		       ifindex ? NLM_F_ACK : NLM_F_DUMP);
	if (ifindex)
		mnl_attr_put_u32(nlh, WBNIC_A_IFINDEX, ifindex);
	return nlh;
}

/* CABLE ifindex peer-ifindex [peer-netns-fd], the fd when ns_fd >= 0. */
struct nlmsghdr *nic_build_cable(void *buf, uint16_t family, uint32_t ifindex,
				 uint32_t peer_ifindex, int ns_fd)
{
	struct nlmsghdr *nlh;

	nlh = genl_msg(buf, family, WBNIC_CMD_CABLE, WBNIC_GENL_VERSION,
		       NLM_F_ACK);
	mnl_attr_put_u32(nlh, WBNIC_A_IFINDEX, ifindex);
	mnl_attr_put_u32(nlh, WBNIC_A_PEER_IFINDEX, peer_ifindex);
	if (ns_fd >= 0)
		mnl_attr_put_u32(nlh, WBNIC_A_PEER_NETNS_FD, ns_fd);
	return nlh;
}

struct nlmsghdr *nic_build_uncable(void *buf, uint16_t family,
				   uint32_t ifindex)
{
	struct nlmsghdr *nlh;

	nlh = genl_msg(buf, family, WBNIC_CMD_UNCABLE, WBNIC_GENL_VERSION,
		       NLM_F_ACK);
	mnl_attr_put_u32(nlh, WBNIC_A_IFINDEX, ifindex);
	return nlh;
}

/* SET ifindex and only the settings given. */
struct nlmsghdr *nic_build_set(void *buf, uint16_t family, uint32_t ifindex,
			       const struct nic_set_req *req)
{
	struct nlmsghdr *nlh;

	nlh = genl_msg(buf, family, WBNIC_CMD_SET, WBNIC_GENL_VERSION,
		       NLM_F_ACK);
	mnl_attr_put_u32(nlh, WBNIC_A_IFINDEX, ifindex);
	if (req->has_loss)
		mnl_attr_put_u32(nlh, WBNIC_A_LOSS, req->loss);
	if (req->has_corrupt)
		mnl_attr_put_u32(nlh, WBNIC_A_CORRUPT, req->corrupt);
	if (req->has_loopback)
		mnl_attr_put_u8(nlh, WBNIC_A_LOOPBACK, req->loopback);
	if (req->has_flap)
		mnl_attr_put_u32(nlh, WBNIC_A_FLAP_MS, req->flap_ms);
	return nlh;
}

/* ---- generic netlink: GET replies ---- */

/* What a reply may hold; request-only attributes are unknown here. */
static const enum mnl_attr_data_type nic_types[WBNIC_A_MAX + 1] = {
	[WBNIC_A_IFINDEX]	 = MNL_TYPE_U32,
	[WBNIC_A_IFNAME]	 = MNL_TYPE_NUL_STRING,
	[WBNIC_A_PEER_IFINDEX]	 = MNL_TYPE_U32,
	[WBNIC_A_PEER_IFNAME]	 = MNL_TYPE_NUL_STRING,
	[WBNIC_A_PEER_NETNSID]	 = MNL_TYPE_U32,
	[WBNIC_A_LOOPBACK]	 = MNL_TYPE_U8,
	[WBNIC_A_LOSS]		 = MNL_TYPE_U32,
	[WBNIC_A_CORRUPT]	 = MNL_TYPE_U32,
	[WBNIC_A_CARRIER]	 = MNL_TYPE_U8,
	[WBNIC_A_UP]		 = MNL_TYPE_U8,
	[WBNIC_A_WIRE_TX]	 = MNL_TYPE_U64,
	[WBNIC_A_WIRE_LOST]	 = MNL_TYPE_U64,
	[WBNIC_A_WIRE_CORRUPTED] = MNL_TYPE_U64,
	[WBNIC_A_WIRE_NO_LINK]	 = MNL_TYPE_U64,
	[WBNIC_A_QUEUES]	 = MNL_TYPE_NESTED,
};

static const enum mnl_attr_data_type nic_q_types[WBNIC_Q_MAX + 1] = {
	[WBNIC_Q_INDEX]		= MNL_TYPE_U32,
	[WBNIC_Q_TX_SIZE]	= MNL_TYPE_U32,
	[WBNIC_Q_TX_HEAD]	= MNL_TYPE_U32,
	[WBNIC_Q_TX_TAIL]	= MNL_TYPE_U32,
	[WBNIC_Q_TX_CLEAN]	= MNL_TYPE_U32,
	[WBNIC_Q_TX_INFLIGHT]	= MNL_TYPE_U32,
	[WBNIC_Q_TX_STOPPED]	= MNL_TYPE_U8,
	[WBNIC_Q_RX_SIZE]	= MNL_TYPE_U32,
	[WBNIC_Q_RX_HEAD]	= MNL_TYPE_U32,
	[WBNIC_Q_RX_TAIL]	= MNL_TYPE_U32,
	[WBNIC_Q_RX_CLEAN]	= MNL_TYPE_U32,
	[WBNIC_Q_RX_POSTED]	= MNL_TYPE_U32,
	[WBNIC_Q_IRQ_MASKED]	= MNL_TYPE_U8,
	[WBNIC_Q_IRQ_CAUSE]	= MNL_TYPE_U32,
	[WBNIC_Q_IRQ_TIMER]	= MNL_TYPE_U8,
	[WBNIC_Q_IRQ_PENDING]	= MNL_TYPE_U32,
	[WBNIC_Q_IRQS]		= MNL_TYPE_U64,
	[WBNIC_Q_RX_MISSED]	= MNL_TYPE_U64,
};

/* WBNIC_A_QUEUES { WBNIC_A_QUEUE { WBNIC_Q_* }, ... }; 0 or -ENOMEM. */
static int nic_parse_queues(const struct nlattr *nest, struct nic_info *info)
{
	const struct nlattr *tb[WBNIC_Q_MAX + 1];
	const struct nlattr *attr;
	struct nic_queue *q;

	mnl_attr_for_each_nested(attr, nest) {
		if (mnl_attr_get_type(attr) != WBNIC_A_QUEUE ||
		    mnl_attr_validate(attr, MNL_TYPE_NESTED))
			continue;
		q = realloc(info->queues, (info->n_queues + 1) * sizeof(*q));
		if (!q)
			return -ENOMEM;
		info->queues = q;
		q += info->n_queues++;
		memset(q, 0, sizeof(*q));
		genl_nest_tb(attr, nic_q_types, WBNIC_Q_MAX, tb);
		q->has = genl_tb_values(tb, nic_q_types, WBNIC_Q_MAX, q->v);
	}
	return 0;
}

/**
 * nic_parse_info() - fill *info from a GET reply
 * @nlh: the reply
 * @family: the "wbnic" family id
 * @info: zeroed, then filled; nic_info_free() it even on error
 *
 * Attributes that are unknown or fail validation are left out.
 *
 * Return: 0, -EBADMSG for a message that is not a NIC (another family,
 * no ifindex or name), or -ENOMEM.
 */
int nic_parse_info(const struct nlmsghdr *nlh, uint16_t family,
		   struct nic_info *info)
{
	const struct nlattr *tb[WBNIC_A_MAX + 1];

	memset(info, 0, sizeof(*info));
	if (genl_msg_tb(nlh, family, nic_types, WBNIC_A_MAX, tb) ||
	    !tb[WBNIC_A_IFINDEX] || !tb[WBNIC_A_IFNAME])
		return -EBADMSG;
	info->has = genl_tb_values(tb, nic_types, WBNIC_A_MAX, info->v);
	snprintf(info->ifname, sizeof(info->ifname), "%s",
		 mnl_attr_get_str(tb[WBNIC_A_IFNAME]));
	if (tb[WBNIC_A_PEER_IFNAME])
		snprintf(info->peer_ifname, sizeof(info->peer_ifname), "%s",
			 mnl_attr_get_str(tb[WBNIC_A_PEER_IFNAME]));
	if (tb[WBNIC_A_QUEUES])
		return nic_parse_queues(tb[WBNIC_A_QUEUES], info);
	return 0;
}

void nic_info_free(struct nic_info *info)
{
	free(info->queues);
	info->queues = NULL;
	info->n_queues = 0;
}

/* ---- printing ---- */

enum nic_fmt {
	NIC_NUM,	/* text: fmt with the number */
	NIC_HEX,	/* text: fmt with the number, JSON: decimal */
	NIC_ON_OFF,	/* text: "on"/"off", JSON: boolean */
	NIC_YES_NO,	/* text: "yes"/"no", JSON: boolean */
};

struct nic_field {
	unsigned int attr;
	enum nic_fmt fmt;
	const char *key;	/* JSON */
	const char *text;	/* text, a format for the value */
};

/* A line of text and a JSON object. */
struct nic_section {
	const char *key;
	const struct nic_field *fields;
	size_t n;
};

#define NIC_SECTION(k, f)	{ k, f, ARRAY_SIZE(f) }

static const struct nic_field nic_wire_fields[] = {
	{ WBNIC_A_WIRE_TX, NIC_NUM, "tx", " tx %" PRIu64 },
	{ WBNIC_A_WIRE_LOST, NIC_NUM, "lost", " lost %" PRIu64 },
	{ WBNIC_A_WIRE_CORRUPTED, NIC_NUM, "corrupted",
	  " corrupted %" PRIu64 },
	{ WBNIC_A_WIRE_NO_LINK, NIC_NUM, "no_link", " no-link %" PRIu64 },
};

static const struct nic_field nic_tx_fields[] = {
	{ WBNIC_Q_TX_SIZE, NIC_NUM, "size", " ring %" PRIu64 },
	{ WBNIC_Q_TX_HEAD, NIC_NUM, "head", " head %" PRIu64 },
	{ WBNIC_Q_TX_TAIL, NIC_NUM, "tail", " tail %" PRIu64 },
	{ WBNIC_Q_TX_CLEAN, NIC_NUM, "clean", " clean %" PRIu64 },
	{ WBNIC_Q_TX_INFLIGHT, NIC_NUM, "inflight", " inflight %" PRIu64 },
	{ WBNIC_Q_TX_STOPPED, NIC_YES_NO, "stopped", " stopped %s" },
};

static const struct nic_field nic_rx_fields[] = {
	{ WBNIC_Q_RX_SIZE, NIC_NUM, "size", " ring %" PRIu64 },
	{ WBNIC_Q_RX_HEAD, NIC_NUM, "head", " head %" PRIu64 },
	{ WBNIC_Q_RX_TAIL, NIC_NUM, "tail", " tail %" PRIu64 },
	{ WBNIC_Q_RX_CLEAN, NIC_NUM, "clean", " clean %" PRIu64 },
	{ WBNIC_Q_RX_POSTED, NIC_NUM, "posted", " posted %" PRIu64 },
	{ WBNIC_Q_RX_MISSED, NIC_NUM, "missed", " missed %" PRIu64 },
};

static const struct nic_field nic_irq_fields[] = {
	{ WBNIC_Q_IRQ_MASKED, NIC_YES_NO, "masked", " masked %s" },
	{ WBNIC_Q_IRQ_CAUSE, NIC_HEX, "cause", " cause 0x%" PRIx64 },
	{ WBNIC_Q_IRQ_TIMER, NIC_ON_OFF, "timer", " timer %s" },
	{ WBNIC_Q_IRQ_PENDING, NIC_NUM, "pending", " pending %" PRIu64 },
	{ WBNIC_Q_IRQS, NIC_NUM, "irqs", " irqs %" PRIu64 },
};

static const struct nic_section nic_wire = NIC_SECTION("wire",
						       nic_wire_fields);

static const struct nic_section nic_queue_sections[] = {
	NIC_SECTION("tx", nic_tx_fields),
	NIC_SECTION("rx", nic_rx_fields),
	NIC_SECTION("irq", nic_irq_fields),
};

static void nic_print_field(const struct nic_field *f, uint64_t v)
{
	switch (f->fmt) {
	case NIC_NUM:
	case NIC_HEX:
		print_u64(PRINT_ANY, f->key, f->text, v);
		break;
	case NIC_ON_OFF:
		print_on_off(PRINT_ANY, f->key, f->text, v);
		break;
	case NIC_YES_NO:
		print_on_off(PRINT_JSON, f->key, NULL, v);
		print_string(PRINT_FP, NULL, f->text, v ? "yes" : "no");
		break;
	}
}

static bool nic_section_present(const struct nic_section *s, uint64_t has)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if ((has >> s->fields[i].attr) & 1)
			return true;
	return false;
}

/*
 * One section, the present fields only: text "<lead><key> f1 v1 f2 v2",
 * JSON "key": { "f1": v1, ... }.  Returns false when none is present.
 */
static bool nic_print_section(const struct nic_section *s, const char *lead,
			      uint64_t has, const uint64_t *v)
{
	const struct nic_field *f;

	if (!nic_section_present(s, has))
		return false;
	print_open_object(s->key);
	print_string(PRINT_FP, NULL, "%s", lead);
	print_string(PRINT_FP, NULL, "%s", s->key);
	for (f = s->fields; f < s->fields + s->n; f++)
		if ((has >> f->attr) & 1)
			nic_print_field(f, v[f->attr]);
	print_close_object();
	return true;
}

/*
 * "    queue N: tx ...", then "rx ..." and "irq ..." lines aligned under
 * "tx".  Text falls back to the position when the index is missing.
 */
static void nic_print_queue(const struct nic_queue *q, size_t pos)
{
	uint64_t idx = NIC_HAS(q, WBNIC_Q_INDEX) ? q->v[WBNIC_Q_INDEX] : pos;
	char head[32], lead[48];
	bool first = true;
	size_t i;

	snprintf(head, sizeof(head), "\n    queue %" PRIu64 ":", idx);
	print_open_object(NULL);
	if (NIC_HAS(q, WBNIC_Q_INDEX))
		print_u64(PRINT_JSON, "index", NULL, idx);
	print_string(PRINT_FP, NULL, "%s", head);
	for (i = 0; i < ARRAY_SIZE(nic_queue_sections); i++) {
		if (first)
			snprintf(lead, sizeof(lead), " ");
		else
			snprintf(lead, sizeof(lead), "\n%*s",
				 (int)strlen(head), "");
		if (nic_print_section(&nic_queue_sections[i], lead, q->has,
				      q->v))
			first = false;
	}
	print_close_object();
}

/* " peer NAME", " peer IFINDEX" (name unknown) or " peer none". */
static void nic_print_peer(const struct nic_info *n)
{
	if (n->peer_ifname[0])
		print_string(PRINT_ANY, "peer", " peer %s", n->peer_ifname);
	else if (NIC_HAS(n, WBNIC_A_PEER_IFINDEX))
		print_u64(PRINT_FP, NULL, " peer %" PRIu64,
			  n->v[WBNIC_A_PEER_IFINDEX]);
	else
		print_null(PRINT_ANY, "peer", " peer %s", "none");
	if (NIC_HAS(n, WBNIC_A_PEER_IFINDEX))
		print_u64(PRINT_JSON, "peer_ifindex", NULL,
			  n->v[WBNIC_A_PEER_IFINDEX]);
	if (NIC_HAS(n, WBNIC_A_PEER_NETNSID))
		print_int(PRINT_ANY, "peer_netnsid", " peer-netnsid %d",
			  (int32_t)n->v[WBNIC_A_PEER_NETNSID]);
}

/* Text "loss 0.5%", JSON "loss_ppm": 5000. */
static void nic_print_rate(const struct nic_info *n, unsigned int attr,
			   const char *key, const char *text)
{
	char pct[32];

	if (!NIC_HAS(n, attr))
		return;
	wb_format_ppm(pct, sizeof(pct), n->v[attr]);
	print_u64(PRINT_JSON, key, NULL, n->v[attr]);
	print_string(PRINT_FP, NULL, text, pct);
}

/*
 * Text:
 *	IFINDEX: NAME: carrier on|off up|down peer PEER [peer-netnsid N]
 *	    loopback on|off loss PCT corrupt PCT
 *	    wire tx N lost N corrupted N no-link N
 *	    queue N: tx ...
 * JSON: one object, see wbctl-nic(8); absent attributes have no key.
 */
void nic_print_info(const struct nic_info *n)
{
	size_t i;

	print_open_object(NULL);
	print_u64(PRINT_ANY, "ifindex", "%" PRIu64 ": ",
		  n->v[WBNIC_A_IFINDEX]);
	print_string(PRINT_ANY, "ifname", "%s:", n->ifname);
	if (NIC_HAS(n, WBNIC_A_CARRIER))
		print_on_off(PRINT_ANY, "carrier", " carrier %s",
			     n->v[WBNIC_A_CARRIER]);
	if (NIC_HAS(n, WBNIC_A_UP)) {
		print_on_off(PRINT_JSON, "up", NULL, n->v[WBNIC_A_UP]);
		print_string(PRINT_FP, NULL, " %s",
			     n->v[WBNIC_A_UP] ? "up" : "down");
	}
	nic_print_peer(n);
	if (NIC_HAS(n, WBNIC_A_LOOPBACK))
		print_on_off(PRINT_ANY, "loopback", " loopback %s",
			     n->v[WBNIC_A_LOOPBACK]);
	nic_print_rate(n, WBNIC_A_LOSS, "loss_ppm", " loss %s");
	nic_print_rate(n, WBNIC_A_CORRUPT, "corrupt_ppm", " corrupt %s");
	nic_print_section(&nic_wire, "\n    ", n->has, n->v);
	if (NIC_HAS(n, WBNIC_A_QUEUES)) {
		print_open_array("queues");
		for (i = 0; i < n->n_queues; i++)
			nic_print_queue(&n->queues[i], i);
		print_close_array();
	}
	print_close_object();
	print_nl();
}
