/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the unit tests: argv literals, capture of error
 * lines and printed output, and a look at the attributes of built
 * messages.
 */
#ifndef WBCTL_TEST_HELPERS_H
#define WBCTL_TEST_HELPERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libmnl/libmnl.h>

#define ARGV(...)	((char *[]){ __VA_ARGS__, NULL })
#define NONE		((char *[]){ NULL })

int argv_len(char **argv);
bool streq(const char *a, const char *b);
/* "what: word word ...", to name a check; valid until the next call. */
const char *argv_desc(const char *what, char **argv);

/* wb_err() lines between err_start() and err_end(), which returns them. */
void err_start(void);
const char *err_end(void);
/* err_end(), and check the lines contain want, or are none (NULL). */
void err_check(const char *desc, const char *want);

/* print_*() output between out_start() and out_end(), which returns it. */
void out_start(bool json);
const char *out_end(void);

void helpers_free(void);

/* The attributes of a payload, the last of each type below 64. */
struct tb {
	const struct nlattr *a[64];
	int count;
};

void tb_payload(struct tb *tb, const void *payload, size_t len);
void tb_msg(struct tb *tb, const struct nlmsghdr *nlh, size_t off);
void tb_nested(struct tb *tb, const struct nlattr *nest);
bool attr_str(const struct nlattr *a, const char *s);
bool attr_u8(const struct nlattr *a, uint8_t v);
bool attr_u16(const struct nlattr *a, uint16_t v);
bool attr_u32(const struct nlattr *a, uint32_t v);
bool attr_bin(const struct nlattr *a, const void *v, size_t len);

/* A kernel-like genl message of family and cmd in buf (NL_TX_SIZE). */
struct nlmsghdr *fake_genl(void *buf, uint16_t family, uint8_t cmd,
			   uint8_t version);
/* A request: NLM_F_REQUEST | flags, family, cmd, version. */
bool genl_is(const struct nlmsghdr *nlh, uint16_t family, uint8_t cmd,
	     uint8_t version, uint16_t flags);

#endif /* WBCTL_TEST_HELPERS_H */
