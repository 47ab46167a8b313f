// SPDX-License-Identifier: GPL-2.0
/*
 * wirebox_nic: the "wbnic" generic netlink family. Cable and uncable NICs,
 * set wire faults, and show the live ring and interrupt state.
 *
 * Every handler runs under RTNL: cabling touches two devices, and the ring
 * state it reports is only stable while no one reconfigures the rings.
 * Mutating commands need CAP_NET_ADMIN in the user namespace that owns the
 * netns (GENL_UNS_ADMIN_PERM), so a container root can wire its own NICs;
 * cabling to a NIC in another netns needs it there too.
 */
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "wbnic.h"

/* not const: 6.1's nla_policy.range lacks the qualifier */
static struct netlink_range_validation wbnic_ppm_range = {
	.max = WBNIC_PPM,
};

/* NLA_POLICY_RANGE's bounds are s16: 60000 needs a range struct too */
static struct netlink_range_validation wbnic_flap_range = {
	.min = 1,
	.max = WBNIC_FLAP_MS_MAX,
};

static const struct nla_policy wbnic_genl_policy[WBNIC_A_MAX + 1] = {
	[WBNIC_A_PAD]		= { .type = NLA_REJECT },
	[WBNIC_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[WBNIC_A_IFNAME]	= { .type = NLA_REJECT },
	[WBNIC_A_PEER_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[WBNIC_A_PEER_NETNS_FD]	= { .type = NLA_U32 },
	[WBNIC_A_PEER_IFNAME]	= { .type = NLA_REJECT },
	[WBNIC_A_PEER_NETNSID]	= { .type = NLA_REJECT },
	[WBNIC_A_LOOPBACK]	= NLA_POLICY_MAX(NLA_U8, 1),
	[WBNIC_A_LOSS]		= NLA_POLICY_FULL_RANGE(NLA_U32, &wbnic_ppm_range),
	[WBNIC_A_CORRUPT]	= NLA_POLICY_FULL_RANGE(NLA_U32, &wbnic_ppm_range),
	[WBNIC_A_FLAP_MS]	= NLA_POLICY_FULL_RANGE(NLA_U32,
						   &wbnic_flap_range),
	[WBNIC_A_CARRIER]	= { .type = NLA_REJECT },
	[WBNIC_A_UP]		= { .type = NLA_REJECT },
	[WBNIC_A_WIRE_TX]	= { .type = NLA_REJECT },
	[WBNIC_A_WIRE_LOST]	= { .type = NLA_REJECT },
	[WBNIC_A_WIRE_CORRUPTED] = { .type = NLA_REJECT },
	[WBNIC_A_WIRE_NO_LINK]	= { .type = NLA_REJECT },
	[WBNIC_A_QUEUES]	= { .type = NLA_REJECT },
	[WBNIC_A_QUEUE]		= { .type = NLA_REJECT },
};

/* The wbnic named by attribute @type, in @net. RTNL held. */
static struct net_device *wbnic_genl_dev(struct net *net,
					 struct genl_info *info, int type)
{
	struct net_device *dev;

	if (GENL_REQ_ATTR_CHECK(info, type)) {
		if (type == WBNIC_A_PEER_IFINDEX)
			NL_SET_ERR_MSG(info->extack,
				       "Missing peer (WBNIC_A_PEER_IFINDEX)");
		else
			NL_SET_ERR_MSG(info->extack,
				       "Missing device (WBNIC_A_IFINDEX)");
		return ERR_PTR(-EINVAL);
	}
	dev = __dev_get_by_index(net, nla_get_u32(info->attrs[type]));
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[type],
				    "No such device");
		return ERR_PTR(-ENODEV);
	}
	if (!wbnic_is_wbnic(dev)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[type],
				    "Device is not a wbnic");
		return ERR_PTR(-EOPNOTSUPP);
	}
	return dev;
}

static int wbnic_fill_queue(struct sk_buff *skb, struct wbnic_priv *priv,
			    unsigned int i)
{
	struct wbnic_q *q = &priv->q[i];
	struct wbnic_hw *hw = priv->hw;
	struct wbnic_vec_state vs;
	struct wbnic_qstats s;
	struct nlattr *nest;
	u32 rdh, rdt;

	wbnic_vec_state(hw, i, &vs);
	wbnic_qstats_read(q, &s);
	rdh = wbnic_rd32(hw, WBNIC_RDH(i));
	rdt = wbnic_rd32(hw, WBNIC_RDT(i));

	nest = nla_nest_start(skb, WBNIC_A_QUEUE);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, WBNIC_Q_INDEX, i) ||
	    nla_put_u32(skb, WBNIC_Q_TX_SIZE, q->tx.count) ||
	    nla_put_u32(skb, WBNIC_Q_TX_HEAD, wbnic_rd32(hw, WBNIC_TDH(i))) ||
	    nla_put_u32(skb, WBNIC_Q_TX_TAIL, wbnic_rd32(hw, WBNIC_TDT(i))) ||
	    nla_put_u32(skb, WBNIC_Q_TX_CLEAN,
			READ_ONCE(q->tx.next_to_clean)) ||
	    nla_put_u32(skb, WBNIC_Q_TX_INFLIGHT, wbnic_ring_used(&q->tx)) ||
	    nla_put_u8(skb, WBNIC_Q_TX_STOPPED,
		       netif_tx_queue_stopped(netdev_get_tx_queue(priv->dev,
								  i))) ||
	    nla_put_u32(skb, WBNIC_Q_RX_SIZE, q->rx.count) ||
	    nla_put_u32(skb, WBNIC_Q_RX_HEAD, rdh) ||
	    nla_put_u32(skb, WBNIC_Q_RX_TAIL, rdt) ||
	    nla_put_u32(skb, WBNIC_Q_RX_CLEAN,
			READ_ONCE(q->rx.next_to_clean)) ||
	    nla_put_u32(skb, WBNIC_Q_RX_POSTED,
			(rdt - rdh) & (q->rx.count - 1)) ||
	    nla_put_u8(skb, WBNIC_Q_IRQ_MASKED, vs.masked) ||
	    nla_put_u32(skb, WBNIC_Q_IRQ_CAUSE, vs.cause) ||
	    nla_put_u8(skb, WBNIC_Q_IRQ_TIMER, vs.timer) ||
	    nla_put_u32(skb, WBNIC_Q_IRQ_PENDING, vs.pending) ||
	    nla_put_u64_64bit(skb, WBNIC_Q_IRQS, s.irqs, WBNIC_Q_PAD) ||
	    nla_put_u64_64bit(skb, WBNIC_Q_RX_MISSED,
			      wbnic_rd64(hw, WBNIC_STAT_RQMPC(i)),
			      WBNIC_Q_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int wbnic_fill_peer(struct sk_buff *skb, struct net_device *dev)
{
	struct wbnic_hw *peer_hw = wbnic_wire_peer(wbnic_priv(dev)->hw);
	struct net_device *peer;
	struct net *net, *peer_net;

	if (!peer_hw)
		return 0;
	peer = wbnic_hw_get_drvdata(peer_hw);
	net = dev_net(dev);
	peer_net = dev_net(peer);
	if (nla_put_u32(skb, WBNIC_A_PEER_IFINDEX, peer->ifindex) ||
	    nla_put_string(skb, WBNIC_A_PEER_IFNAME, peer->name))
		return -EMSGSIZE;
	if (!net_eq(net, peer_net) &&
	    nla_put_s32(skb, WBNIC_A_PEER_NETNSID,
			peernet2id_alloc(net, peer_net, GFP_KERNEL)))
		return -EMSGSIZE;
	return 0;
}

static int wbnic_fill(struct sk_buff *skb, struct net_device *dev, u32 portid,
		      u32 seq, int flags, struct netlink_callback *cb)
{
	struct wbnic_priv *priv = netdev_priv(dev);
	struct wbnic_hw *hw = priv->hw;
	struct nlattr *queues;
	u32 loss, corrupt;
	unsigned int i;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &wbnic_genl_family, flags,
			  WBNIC_CMD_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);

	wbnic_wire_get_faults(hw, &loss, &corrupt);
	if (nla_put_u32(skb, WBNIC_A_IFINDEX, dev->ifindex) ||
	    nla_put_string(skb, WBNIC_A_IFNAME, dev->name) ||
	    wbnic_fill_peer(skb, dev) ||
	    nla_put_u8(skb, WBNIC_A_LOOPBACK,
		       !!(wbnic_rd32(hw, WBNIC_CTRL) & WBNIC_CTRL_LPBK)) ||
	    nla_put_u32(skb, WBNIC_A_LOSS, loss) ||
	    nla_put_u32(skb, WBNIC_A_CORRUPT, corrupt) ||
	    nla_put_u8(skb, WBNIC_A_CARRIER, netif_carrier_ok(dev)) ||
	    nla_put_u8(skb, WBNIC_A_UP, priv->running) ||
	    nla_put_u64_64bit(skb, WBNIC_A_WIRE_TX,
			      wbnic_rd64(hw, WBNIC_STAT_WIRE_TX), WBNIC_A_PAD) ||
	    nla_put_u64_64bit(skb, WBNIC_A_WIRE_LOST,
			      wbnic_rd64(hw, WBNIC_STAT_WIRE_LOST),
			      WBNIC_A_PAD) ||
	    nla_put_u64_64bit(skb, WBNIC_A_WIRE_CORRUPTED,
			      wbnic_rd64(hw, WBNIC_STAT_WIRE_CORRUPT),
			      WBNIC_A_PAD) ||
	    nla_put_u64_64bit(skb, WBNIC_A_WIRE_NO_LINK,
			      wbnic_rd64(hw, WBNIC_STAT_NO_LINK), WBNIC_A_PAD))
		goto cancel;

	/* rings exist only while the device is up */
	if (priv->running) {
		queues = nla_nest_start(skb, WBNIC_A_QUEUES);
		if (!queues)
			goto cancel;
		for (i = 0; i < priv->num_queues; i++)
			if (wbnic_fill_queue(skb, priv, i))
				goto cancel;
		nla_nest_end(skb, queues);
	}
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static int wbnic_cmd_get(struct sk_buff *skb, struct genl_info *info)
{
	struct net_device *dev;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	rtnl_lock();
	dev = wbnic_genl_dev(genl_info_net(info), info, WBNIC_A_IFINDEX);
	if (IS_ERR(dev))
		err = PTR_ERR(dev);
	else
		err = wbnic_fill(msg, dev, info->snd_portid, info->snd_seq, 0,
				 NULL);
	rtnl_unlock();
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/*
 * cb->args[0]: how many wbnics of the netns were sent. The device list is
 * not in ifindex order (a device moved in is appended), so the dump
 * resumes by position; a change of the list between two parts is flagged
 * with NLM_F_DUMP_INTR through dev_base_seq.
 */
static int wbnic_cmd_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	unsigned long idx = 0, s_idx = cb->args[0];
	struct net_device *dev;
	int err = 0;

	rtnl_lock();
	cb->seq = net->dev_base_seq;
	for_each_netdev(net, dev) {
		if (!wbnic_is_wbnic(dev))
			continue;
		if (idx++ < s_idx)
			continue;
		err = wbnic_fill(skb, dev, NETLINK_CB(cb->skb).portid,
				 cb->nlh->nlmsg_seq, NLM_F_MULTI, cb);
		if (err)
			break;
		cb->args[0] = idx;
	}
	rtnl_unlock();
	/* a full skb ends this part of the dump; the rest comes next call */
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

static int wbnic_cmd_cable(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info), *peer_net = net;
	struct net_device *dev, *peer;
	struct nlattr *fd_attr = info->attrs[WBNIC_A_PEER_NETNS_FD];
	int err;

	if (fd_attr) {
		peer_net = get_net_ns_by_fd(nla_get_u32(fd_attr));
		if (IS_ERR(peer_net)) {
			NL_SET_ERR_MSG_ATTR(info->extack, fd_attr,
					    "Not a network namespace fd");
			return PTR_ERR(peer_net);
		}
		if (!ns_capable(peer_net->user_ns, CAP_NET_ADMIN)) {
			NL_SET_ERR_MSG_ATTR(info->extack, fd_attr,
					    "No CAP_NET_ADMIN in the peer's network namespace");
			put_net(peer_net);
			return -EPERM;
		}
	}

	rtnl_lock();
	dev = wbnic_genl_dev(net, info, WBNIC_A_IFINDEX);
	if (IS_ERR(dev)) {
		err = PTR_ERR(dev);
		goto out;
	}
	peer = wbnic_genl_dev(peer_net, info, WBNIC_A_PEER_IFINDEX);
	if (IS_ERR(peer)) {
		err = PTR_ERR(peer);
		goto out;
	}
	if (peer == dev) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[WBNIC_A_PEER_IFINDEX],
				    "Cannot cable a NIC to itself, use loopback");
		err = -EINVAL;
		goto out;
	}
	err = wbnic_wire_connect(wbnic_priv(dev)->hw, wbnic_priv(peer)->hw);
	if (err == -EBUSY && wbnic_wire_peer(wbnic_priv(dev)->hw))
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[WBNIC_A_IFINDEX],
				    "Device is already cabled, uncable it first");
	else if (err == -EBUSY)
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[WBNIC_A_PEER_IFINDEX],
				    "Peer is already cabled, uncable it first");
out:
	rtnl_unlock();
	if (fd_attr)
		put_net(peer_net);
	return err;
}

static int wbnic_cmd_uncable(struct sk_buff *skb, struct genl_info *info)
{
	struct net_device *dev;
	int err = 0;

	rtnl_lock();
	dev = wbnic_genl_dev(genl_info_net(info), info, WBNIC_A_IFINDEX);
	if (IS_ERR(dev)) {
		err = PTR_ERR(dev);
	} else if (!wbnic_wire_peer(wbnic_priv(dev)->hw)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[WBNIC_A_IFINDEX],
				    "Device is not cabled");
		err = -ENOTCONN;
	} else {
		wbnic_wire_disconnect(wbnic_priv(dev)->hw);
	}
	rtnl_unlock();
	return err;
}

static int wbnic_cmd_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	struct wbnic_hw *hw;
	struct net_device *dev;
	u32 loss, corrupt, ctrl;
	int err = 0;

	if (!a[WBNIC_A_LOSS] && !a[WBNIC_A_CORRUPT] && !a[WBNIC_A_LOOPBACK] &&
	    !a[WBNIC_A_FLAP_MS]) {
		NL_SET_ERR_MSG(info->extack, "Nothing to set");
		return -EINVAL;
	}
	rtnl_lock();
	dev = wbnic_genl_dev(genl_info_net(info), info, WBNIC_A_IFINDEX);
	if (IS_ERR(dev)) {
		err = PTR_ERR(dev);
		goto out;
	}
	hw = wbnic_priv(dev)->hw;
	wbnic_wire_get_faults(hw, &loss, &corrupt);
	if (a[WBNIC_A_LOSS])
		loss = nla_get_u32(a[WBNIC_A_LOSS]);
	if (a[WBNIC_A_CORRUPT])
		corrupt = nla_get_u32(a[WBNIC_A_CORRUPT]);
	wbnic_wire_set_faults(hw, loss, corrupt);
	if (a[WBNIC_A_LOOPBACK]) {
		ctrl = wbnic_rd32(hw, WBNIC_CTRL) & ~WBNIC_CTRL_LPBK;
		if (nla_get_u8(a[WBNIC_A_LOOPBACK]))
			ctrl |= WBNIC_CTRL_LPBK;
		wbnic_wr32(hw, WBNIC_CTRL, ctrl);
	}
	if (a[WBNIC_A_FLAP_MS])
		wbnic_wire_flap(hw, nla_get_u32(a[WBNIC_A_FLAP_MS]));
out:
	rtnl_unlock();
	return err;
}

static const struct genl_ops wbnic_genl_ops[] = {
	{
		.cmd	= WBNIC_CMD_GET,
		.doit	= wbnic_cmd_get,
		.dumpit	= wbnic_cmd_dump,
		.policy	= wbnic_genl_policy,
		.maxattr = WBNIC_A_MAX,
	},
	{
		.cmd	= WBNIC_CMD_CABLE,
		.doit	= wbnic_cmd_cable,
		.flags	= GENL_UNS_ADMIN_PERM,
		.policy	= wbnic_genl_policy,
		.maxattr = WBNIC_A_MAX,
	},
	{
		.cmd	= WBNIC_CMD_UNCABLE,
		.doit	= wbnic_cmd_uncable,
		.flags	= GENL_UNS_ADMIN_PERM,
		.policy	= wbnic_genl_policy,
		.maxattr = WBNIC_A_MAX,
	},
	{
		.cmd	= WBNIC_CMD_SET,
		.doit	= wbnic_cmd_set,
		.flags	= GENL_UNS_ADMIN_PERM,
		.policy	= wbnic_genl_policy,
		.maxattr = WBNIC_A_MAX,
	},
};

struct genl_family wbnic_genl_family __ro_after_init = {
	.name		= WBNIC_GENL_NAME,
	.version	= WBNIC_GENL_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.ops		= wbnic_genl_ops,
	.n_ops		= ARRAY_SIZE(wbnic_genl_ops),
	/* 0: every command has its header checked and a policy (strict) */
	.resv_start_op	= 0,
};
