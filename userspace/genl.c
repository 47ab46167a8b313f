// SPDX-License-Identifier: GPL-2.0
/*
 * wbctl: generic netlink over nl.c.
 *
 * A family's id is looked up with CTRL_CMD_GETFAMILY on every run and
 * kept by the caller: ids are assigned at module load, so nothing here
 * outlives the socket.  Requests and replies go through nl_talk(), so
 * extack messages and exit statuses are those of the rtnetlink objects.
 */
#include <errno.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "genl.h"
#include "nl.h"
#include "utils.h"

#define GENL_CTRL_VERSION	1

/*
 * Start a request in buf (NL_TX_SIZE bytes, zeroed so that no stack
 * bytes go out as attribute padding): nlmsghdr, then genlmsghdr.
 */
struct nlmsghdr *genl_msg(void *buf, uint16_t family, uint8_t cmd,
			  uint8_t version, uint16_t flags)
{
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;

	memset(buf, 0, NL_TX_SIZE);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

/* CTRL_CMD_GETFAMILY name, acked. */
struct nlmsghdr *genl_build_getfamily(void *buf, const char *name)
{
	struct nlmsghdr *nlh;

	nlh = genl_msg(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
		       GENL_CTRL_VERSION, NLM_F_ACK);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
	return nlh;
}

struct genl_tb {
	const enum mnl_attr_data_type *types;
	unsigned int max;
	const struct nlattr **tb;
};

static int genl_tb_cb(const struct nlattr *attr, void *data)
{
	const struct genl_tb *t = data;
	unsigned int type = mnl_attr_get_type(attr);

	if (type <= t->max && t->types[type] != MNL_TYPE_UNSPEC &&
	    mnl_attr_validate(attr, t->types[type]) == 0)
		t->tb[type] = attr;
	return MNL_CB_OK;
}

/**
 * genl_attr_tb() - index the attributes of a payload by type
 * @payload: first attribute
 * @len: bytes of attributes
 * @types: expected type of each attribute, MNL_TYPE_UNSPEC for unknown
 * @max: highest index of @types and @tb
 * @tb: filled with the last valid attribute of each known type
 *
 * Attributes of unknown type, or that fail mnl_attr_validate() for their
 * expected type, are left out: the caller sees them as absent.
 */
void genl_attr_tb(const void *payload, size_t len,
		  const enum mnl_attr_data_type *types, unsigned int max,
		  const struct nlattr **tb)
{
	struct genl_tb t = { types, max, tb };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	mnl_attr_parse_payload(payload, len, genl_tb_cb, &t);
}

/*
 * genl_attr_tb() on the attributes of a message of this family.  Returns
 * 0 or -EBADMSG for another family's message or one without a genlmsghdr.
 */
int genl_msg_tb(const struct nlmsghdr *nlh, uint16_t family,
		const enum mnl_attr_data_type *types, unsigned int max,
		const struct nlattr **tb)
{
	size_t len = mnl_nlmsg_get_payload_len(nlh);

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (nlh->nlmsg_type != family || len < GENL_HDRLEN)
		return -EBADMSG;
	genl_attr_tb(mnl_nlmsg_get_payload_offset(nlh, GENL_HDRLEN),
		     len - GENL_HDRLEN, types, max, tb);
	return 0;
}

/* genl_attr_tb() on a nested attribute. */
void genl_nest_tb(const struct nlattr *nest,
		  const enum mnl_attr_data_type *types, unsigned int max,
		  const struct nlattr **tb)
{
	genl_attr_tb(mnl_attr_get_payload(nest),
		     mnl_attr_get_payload_len(nest), types, max, tb);
}

/**
 * genl_tb_values() - the integer attributes of a genl_attr_tb() table
 * @tb: the table
 * @types: its types, as given to genl_attr_tb()
 * @max: highest index of @tb, @types and @v
 * @v: v[n] gets attribute n's value, whatever its width
 *
 * Return: a mask with bit n set for each attribute n present in @tb
 * (so @max must be below 64).
 */
uint64_t genl_tb_values(const struct nlattr **tb,
			const enum mnl_attr_data_type *types,
			unsigned int max, uint64_t *v)
{
	uint64_t has = 0;
	unsigned int i;

	for (i = 0; i <= max; i++) {
		if (!tb[i])
			continue;
		has |= 1ULL << i;
		if (types[i] == MNL_TYPE_U8)
			v[i] = mnl_attr_get_u8(tb[i]);
		else if (types[i] == MNL_TYPE_U16)
			v[i] = mnl_attr_get_u16(tb[i]);
		else if (types[i] == MNL_TYPE_U32)
			v[i] = mnl_attr_get_u32(tb[i]);
		else if (types[i] == MNL_TYPE_U64)
			v[i] = mnl_attr_get_u64(tb[i]);
	}
	return has;
}

static const enum mnl_attr_data_type genl_ctrl_types[CTRL_ATTR_MAX + 1] = {
	[CTRL_ATTR_FAMILY_ID]	= MNL_TYPE_U16,
	[CTRL_ATTR_FAMILY_NAME]	= MNL_TYPE_NUL_STRING,
	[CTRL_ATTR_MCAST_GROUPS] = MNL_TYPE_NESTED,
};

static const enum mnl_attr_data_type
genl_grp_types[CTRL_ATTR_MCAST_GRP_MAX + 1] = {
	[CTRL_ATTR_MCAST_GRP_NAME]	= MNL_TYPE_NUL_STRING,
	[CTRL_ATTR_MCAST_GRP_ID]	= MNL_TYPE_U32,
};

/* The family id from a CTRL_CMD_NEWFAMILY reply; 0 or -EBADMSG. */
int genl_parse_family(const struct nlmsghdr *nlh, uint16_t *id)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];

	if (genl_msg_tb(nlh, GENL_ID_CTRL, genl_ctrl_types, CTRL_ATTR_MAX,
			tb) || !tb[CTRL_ATTR_FAMILY_ID])
		return -EBADMSG;
	*id = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	return 0;
}

/*
 * The id of multicast group @group from a CTRL_CMD_NEWFAMILY reply:
 * CTRL_ATTR_MCAST_GROUPS { n { GRP_NAME, GRP_ID } ... }.  Returns 0,
 * -ENOENT when the family has no such group, or -EBADMSG.
 */
int genl_parse_mcgrp(const struct nlmsghdr *nlh, const char *group,
		     uint32_t *grp)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	const struct nlattr *g[CTRL_ATTR_MCAST_GRP_MAX + 1];
	const struct nlattr *attr;

	if (genl_msg_tb(nlh, GENL_ID_CTRL, genl_ctrl_types, CTRL_ATTR_MAX,
			tb))
		return -EBADMSG;
	if (!tb[CTRL_ATTR_MCAST_GROUPS])
		return -ENOENT;
	mnl_attr_for_each_nested(attr, tb[CTRL_ATTR_MCAST_GROUPS]) {
		if (mnl_attr_validate(attr, MNL_TYPE_NESTED))
			continue;
		genl_nest_tb(attr, genl_grp_types, CTRL_ATTR_MCAST_GRP_MAX, g);
		if (g[CTRL_ATTR_MCAST_GRP_NAME] && g[CTRL_ATTR_MCAST_GRP_ID] &&
		    !strcmp(mnl_attr_get_str(g[CTRL_ATTR_MCAST_GRP_NAME]),
			    group)) {
			*grp = mnl_attr_get_u32(g[CTRL_ATTR_MCAST_GRP_ID]);
			return 0;
		}
	}
	return -ENOENT;
}

static int genl_family_cb(const struct nlmsghdr *nlh, void *data)
{
	return genl_parse_family(nlh, data);
}

struct genl_mcgrp {
	const char *group;
	uint32_t grp;
	int err;
};

static int genl_mcgrp_cb(const struct nlmsghdr *nlh, void *data)
{
	struct genl_mcgrp *m = data;

	m->err = genl_parse_mcgrp(nlh, m->group, &m->grp);
	return m->err == -EBADMSG ? m->err : 0;
}

/*
 * Look the family up.  Returns 0 or a negative errno, see nl_talk();
 * -ENOENT with nl->kernel set means that no such family is registered.
 */
int genl_resolve(struct nl_sock *nl, const char *name, uint16_t *id)
{
	char buf[NL_TX_SIZE];
	int err;

	*id = 0;
	err = nl_talk(nl, genl_build_getfamily(buf, name), genl_family_cb,
		      id);
	if (!err && !*id)
		err = -EBADMSG;
	return err;
}

/*
 * Look up the id of multicast group @group of family @name.  Returns 0 or
 * a negative errno, see nl_talk(); -ENOENT with nl->kernel clear means
 * that the family has no such group.
 */
int genl_resolve_mcgrp(struct nl_sock *nl, const char *name,
		       const char *group, uint32_t *grp)
{
	struct genl_mcgrp m = { .group = group, .err = -EBADMSG };
	char buf[NL_TX_SIZE];
	int err;

	err = nl_talk(nl, genl_build_getfamily(buf, name), genl_mcgrp_cb, &m);
	if (!err)
		err = m.err;
	if (!err)
		*grp = m.grp;
	return err;
}

/**
 * genl_connect() - open a generic netlink socket and resolve a family
 * @nl: the socket, open on success only
 * @name: the family's name
 * @module: the kernel module that registers it, for the error message
 * @id: the family id, on success
 *
 * Return: 0 or an exit status, after an error line.
 */
int genl_connect(struct nl_sock *nl, const char *name, const char *module,
		 uint16_t *id)
{
	int ret, err;

	ret = nl_connect(nl, NETLINK_GENERIC);
	if (ret)
		return ret;
	err = genl_resolve(nl, name, id);
	if (!err)
		return 0;
	if (err == -ENOENT && nl->kernel) {
		wb_err("Error: generic netlink family \"%s\" not found: is %s loaded?",
		       name, module);
		ret = WB_EXIT_KERNEL;
	} else {
		ret = nl_report(nl, err);
	}
	nl_close(nl);
	return ret;
}
