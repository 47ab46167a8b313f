/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wbctl: generic netlink over nl.c: family lookup, request headers and
 * validated attribute tables.
 */
#ifndef WBCTL_GENL_H
#define WBCTL_GENL_H

#include <stddef.h>
#include <stdint.h>

#include <libmnl/libmnl.h>

#include "nl.h"

struct nlmsghdr *genl_msg(void *buf, uint16_t family, uint8_t cmd,
			  uint8_t version, uint16_t flags);
struct nlmsghdr *genl_build_getfamily(void *buf, const char *name);
int genl_parse_family(const struct nlmsghdr *nlh, uint16_t *id);

void genl_attr_tb(const void *payload, size_t len,
		  const enum mnl_attr_data_type *types, unsigned int max,
		  const struct nlattr **tb);
int genl_msg_tb(const struct nlmsghdr *nlh, uint16_t family,
		const enum mnl_attr_data_type *types, unsigned int max,
		const struct nlattr **tb);
void genl_nest_tb(const struct nlattr *nest,
		  const enum mnl_attr_data_type *types, unsigned int max,
		  const struct nlattr **tb);
uint64_t genl_tb_values(const struct nlattr **tb,
			const enum mnl_attr_data_type *types,
			unsigned int max, uint64_t *v);
int genl_parse_mcgrp(const struct nlmsghdr *nlh, const char *group,
		     uint32_t *grp);

int genl_resolve(struct nl_sock *nl, const char *name, uint16_t *id);
int genl_resolve_mcgrp(struct nl_sock *nl, const char *name,
		       const char *group, uint32_t *grp);
int genl_connect(struct nl_sock *nl, const char *name, const char *module,
		 uint16_t *id);

#endif /* WBCTL_GENL_H */
