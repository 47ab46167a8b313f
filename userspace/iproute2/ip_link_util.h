/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The part of iproute2's ABI a link plugin (link_KIND.so) uses.
 *
 * Debian ships no iproute2 headers, so this declares exactly what the
 * wirebox plugins call or fill in, copied from iproute2 v6.1.0 (Debian 12's
 * iproute2 6.1.0-3):
 *
 *   ip/ip_common.h        struct iplink_req, struct link_util, iplink_parse()
 *   include/utils.h       NEXT_ARG(), incomplete_command(), invarg(),
 *                         duparg(), check_ifname(), get_u32(),
 *                         ARRAY_SIZE()
 *   include/libnetlink.h  addattr_l(), addattr32(), addattr_nest(),
 *                         addattr_nest_end(), rta_getattr_u32(), NLMSG_TAIL()
 *   include/json_print.h  enum output_type, print_color_*(), print_*()
 *   include/color.h       enum color_attr (COLOR_NONE only)
 *
 * /usr/sbin/ip exports these (nm -D); ip_common.h's get_link_kind()
 * dlopen()s $IP_LIB_DIR/link_KIND.so (default LIBDIR/ip) and looks up
 * KIND_link_util. Keep the layouts and prototypes byte for byte: a plugin
 * has no other check that it matches the ip that loads it. The layout of
 * struct link_util was checked against /usr/sbin/ip (bridge_link_util:
 * 0x48 bytes, id at 8, maxattr at 16, the six hooks from 24 on), and
 * COLOR_NONE against its calls of print_color_uint().
 */
#ifndef WB_IP_LINK_UTIL_H
#define WB_IP_LINK_UTIL_H

#include <stdbool.h>
#include <stdio.h>

#include <asm/types.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

/* include/libnetlink.h */
#define NLMSG_TAIL(nmsg) \
	((struct rtattr *)(((void *)(nmsg)) + NLMSG_ALIGN((nmsg)->nlmsg_len)))

int addattr_l(struct nlmsghdr *n, int maxlen, int type, const void *data,
	      int alen);
int addattr32(struct nlmsghdr *n, int maxlen, int type, __u32 data);
struct rtattr *addattr_nest(struct nlmsghdr *n, int maxlen, int type);
int addattr_nest_end(struct nlmsghdr *n, struct rtattr *nest);

static inline __u32 rta_getattr_u32(const struct rtattr *rta)
{
	return *(__u32 *)RTA_DATA(rta);
}

/* include/utils.h */
void incomplete_command(void) __attribute__((noreturn));

#define NEXT_ARG() do { argv++; if (--argc <= 0) incomplete_command(); } while (0)

void invarg(const char *msg, const char *arg) __attribute__((noreturn));
void duparg(const char *key, const char *arg) __attribute__((noreturn));
int check_ifname(const char *name);
int get_u32(__u32 *val, const char *arg, int base);

#define ARRAY_SIZE(x) (sizeof(x) / sizeof((x)[0]))

/* include/color.h */
enum color_attr {
	COLOR_IFNAME,
	COLOR_MAC,
	COLOR_INET,
	COLOR_INET6,
	COLOR_OPERSTATE_UP,
	COLOR_OPERSTATE_DOWN,
	COLOR_NONE
};

/* include/json_print.h: one call prints text, or JSON under ip -j */
enum output_type {
	PRINT_FP = 1,
	PRINT_JSON = 2,
	PRINT_ANY = 4,
};

int print_color_string(enum output_type t, enum color_attr color,
		       const char *key, const char *fmt, const char *value);
int print_color_uint(enum output_type t, enum color_attr color,
		     const char *key, const char *fmt, unsigned int value);

static inline int print_string(enum output_type t, const char *key,
			       const char *fmt, const char *value)
{
	return print_color_string(t, COLOR_NONE, key, fmt, value);
}

static inline int print_uint(enum output_type t, const char *key,
			     const char *fmt, unsigned int value)
{
	return print_color_uint(t, COLOR_NONE, key, fmt, value);
}

/* ip/ip_common.h */
struct iplink_req {
	struct nlmsghdr		n;
	struct ifinfomsg	i;
	char			buf[1024];
};

struct link_util {
	struct link_util	*next;
	const char		*id;
	int			maxattr;
	int			(*parse_opt)(struct link_util *lu, int argc,
					     char **argv, struct nlmsghdr *n);
	void			(*print_opt)(struct link_util *lu, FILE *f,
					     struct rtattr *tb[]);
	void			(*print_xstats)(struct link_util *lu, FILE *f,
						struct rtattr *xstats);
	void			(*print_help)(struct link_util *lu, int argc,
					      char **argv, FILE *f);
	int			(*parse_ifla_xstats)(struct link_util *lu,
						     int argc, char **argv);
	int			(*print_ifla_xstats)(struct nlmsghdr *n,
						     void *arg);
};

/*
 * Parses "ip link add" arguments into req (its ifinfomsg, then IFLA_*
 * attributes) until the end or "type"; returns how many it took, or < 0.
 * Exits on most bad input (invarg()).
 */
int iplink_parse(int argc, char **argv, struct iplink_req *req, char **type);

/* The one symbol a plugin exports: KIND_link_util. */
#define WB_LINK_UTIL	__attribute__((visibility("default"))) struct link_util

#endif /* WB_IP_LINK_UTIL_H */
