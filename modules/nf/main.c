// SPDX-License-Identifier: GPL-2.0
/*
 * wirebox_nf: netfilter hooks on all five points of IPv4 and IPv6 in
 * every netns, a rule set per netns, and a trace of packets' walks.
 *
 *	wbctl rule add input iif eth0 src 203.0.113.51 drop
 *	wbctl trace on proto icmp
 *	dmesg | grep wirebox:
 *
 * hook.c is the packet path, rules.c the rule sets, trace.c the trace and
 * genl.c the "wbnf" netlink family. See Documentation/nf.rst.
 */
#include <linux/module.h>
#include <net/net_namespace.h>

#include "wbnf.h"

unsigned int wbnf_net_id __read_mostly;

static int __net_init wbnf_net_init(struct net *net)
{
	struct wbnf_net *wn = wbnf_pernet(net);
	int err;

	wn->net = net;
	mutex_init(&wn->lock);
	wn->stats = __netdev_alloc_pcpu_stats(struct wbnf_pcpu_stats,
					      GFP_KERNEL_ACCOUNT);
	if (!wn->stats)
		return -ENOMEM;
	err = wbnf_rules_init(wn);
	if (err)
		goto err_stats;
	err = wbnf_trace_init(wn);
	if (err)
		goto err_rules;
	err = wbct_net_init(wn);
	if (err)
		goto err_trace;
	err = wbnf_hooks_register(net);
	if (err)
		goto err_hooks;
	return 0;

err_hooks:
	/* the hooks registered before the failure may be running */
	synchronize_net();
	wbct_net_exit(wn);
err_trace:
	wbnf_trace_exit(wn);
err_rules:
	wbnf_rules_exit(wn);
err_stats:
	free_percpu(wn->stats);
	return err;
}

/* No new packet reaches the hooks; cleanup_net() then waits for RCU. */
static void __net_exit wbnf_net_pre_exit(struct net *net)
{
	wbnf_hooks_unregister(net);
}

static void __net_exit wbnf_net_exit(struct net *net)
{
	struct wbnf_net *wn = wbnf_pernet(net);

	wbct_net_exit(wn);
	wbnf_trace_exit(wn);
	wbnf_rules_exit(wn);
	free_percpu(wn->stats);
	mutex_destroy(&wn->lock);
}

static struct pernet_operations wbnf_net_ops = {
	.init		= wbnf_net_init,
	.pre_exit	= wbnf_net_pre_exit,
	.exit		= wbnf_net_exit,
	.id		= &wbnf_net_id,
	.size		= sizeof(struct wbnf_net),
};

static int __init wbnf_module_init(void)
{
	int err;

	BUILD_BUG_ON(WBNF_HOOKS != NF_INET_NUMHOOKS);

	err = wbct_init();
	if (err)
		return err;
	err = register_pernet_subsys(&wbnf_net_ops);
	if (err)
		goto err_ct;
	err = genl_register_family(&wbnf_genl_family);
	if (err)
		goto err_pernet;
	return 0;

err_pernet:
	unregister_pernet_subsys(&wbnf_net_ops);
err_ct:
	wbct_exit();
	return err;
}

static void __exit wbnf_module_exit(void)
{
	/* no trace event from the hooks once the family goes */
	wbnf_genl_shutdown();
	genl_unregister_family(&wbnf_genl_family);
	unregister_pernet_subsys(&wbnf_net_ops);
	wbct_exit();
	/* rules deleted earlier are freed by our RCU callback */
	rcu_barrier();
}

module_init(wbnf_module_init);
module_exit(wbnf_module_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("wirebox netfilter hooks, rules, conntrack and packet trace");
MODULE_ALIAS_GENL_FAMILY(WBNF_GENL_NAME);
