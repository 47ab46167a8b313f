// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by the unit tests, see helpers.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>

#include "helpers.h"
#include "nl.h"
#include "print.h"
#include "tap.h"
#include "utils.h"

static char *err_buf, *out_buf;
static size_t err_len, out_len;
static FILE *out_fp;

int argv_len(char **argv)
{
	int n = 0;

	while (argv[n])
		n++;
	return n;
}

bool streq(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

const char *argv_desc(const char *what, char **argv)
{
	static char desc[256];
	int i;

	snprintf(desc, sizeof(desc), "%s:", what);
	for (i = 0; argv[i]; i++)
		snprintf(desc + strlen(desc), sizeof(desc) - strlen(desc),
			 " %s", argv[i]);
	return desc;
}

void err_start(void)
{
	free(err_buf);
	err_buf = NULL;
	wb_errfp = open_memstream(&err_buf, &err_len);
}

const char *err_end(void)
{
	fclose(wb_errfp);
	wb_errfp = NULL;
	return err_buf;
}

void err_check(const char *desc, const char *want)
{
	err_end();
	if (want)
		tap_has_str(err_buf, want, "%s: error message", desc);
	else
		tap_is_str(err_buf, "", "%s: no error message", desc);
}

void out_start(bool json)
{
	free(out_buf);
	out_buf = NULL;
	out_fp = open_memstream(&out_buf, &out_len);
	print_init(out_fp, json, false);
}

const char *out_end(void)
{
	print_fini();
	fclose(out_fp);
	return out_buf;
}

void helpers_free(void)
{
	free(err_buf);
	free(out_buf);
	err_buf = out_buf = NULL;
}

static int tb_cb(const struct nlattr *attr, void *data)
{
	struct tb *tb = data;

	if (mnl_attr_get_type(attr) < 64)
		tb->a[mnl_attr_get_type(attr)] = attr;
	tb->count++;
	return MNL_CB_OK;
}

void tb_payload(struct tb *tb, const void *payload, size_t len)
{
	memset(tb, 0, sizeof(*tb));
	mnl_attr_parse_payload(payload, len, tb_cb, tb);
}

void tb_msg(struct tb *tb, const struct nlmsghdr *nlh, size_t off)
{
	memset(tb, 0, sizeof(*tb));
	mnl_attr_parse(nlh, off, tb_cb, tb);
}

void tb_nested(struct tb *tb, const struct nlattr *nest)
{
	memset(tb, 0, sizeof(*tb));
	if (nest)
		mnl_attr_parse_nested(nest, tb_cb, tb);
}

bool attr_str(const struct nlattr *a, const char *s)
{
	return a && mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0 &&
	       !strcmp(mnl_attr_get_str(a), s);
}

bool attr_u8(const struct nlattr *a, uint8_t v)
{
	return a && mnl_attr_get_payload_len(a) == 1 &&
	       mnl_attr_get_u8(a) == v;
}

bool attr_u16(const struct nlattr *a, uint16_t v)
{
	return a && mnl_attr_get_payload_len(a) == 2 &&
	       mnl_attr_get_u16(a) == v;
}

bool attr_u32(const struct nlattr *a, uint32_t v)
{
	return a && mnl_attr_get_payload_len(a) == 4 &&
	       mnl_attr_get_u32(a) == v;
}

bool attr_bin(const struct nlattr *a, const void *v, size_t len)
{
	return a && mnl_attr_get_payload_len(a) == len &&
	       !memcmp(mnl_attr_get_payload(a), v, len);
}

struct nlmsghdr *fake_genl(void *buf, uint16_t family, uint8_t cmd,
			   uint8_t version)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;

	memset(buf, 0, NL_TX_SIZE);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = family;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = version;
	return nlh;
}

bool genl_is(const struct nlmsghdr *nlh, uint16_t family, uint8_t cmd,
	     uint8_t version, uint16_t flags)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);

	return nlh->nlmsg_type == family &&
	       nlh->nlmsg_flags == (NLM_F_REQUEST | flags) &&
	       mnl_nlmsg_get_payload_len(nlh) >= GENL_HDRLEN &&
	       g->cmd == cmd && g->version == version;
}
