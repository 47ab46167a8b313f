/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wbctl: command table, argument walking, validation and netns helpers.
 */
#ifndef WBCTL_UTILS_H
#define WBCTL_UTILS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Exit status conventions, see wbctl(8) EXIT STATUS. */
enum {
	WB_EXIT_OK	= 0,	/* success */
	WB_EXIT_FAIL	= 1,	/* failure detected by wbctl itself */
	WB_EXIT_KERNEL	= 2,	/* the kernel rejected the request */
	WB_EXIT_USAGE	= 255,	/* bad command line, help (like ip's -1) */
};

#define NETNS_RUN_DIR	"/run/netns"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* One level of the command tree: exact strcmp() matching, no prefixes. */
struct wb_cmd {
	const char *name;
	int (*func)(int argc, char **argv);
};

/*
 * Where error messages go; stderr unless a test points it elsewhere.
 * Every message is one line, see wb_err().
 */
extern FILE *wb_errfp;

void wb_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * Where the words being parsed come from when not from the command line:
 * wb_err() then starts each message with "FILE:LINE: ".  NULL: none.
 */
void wb_err_at(const char *file, unsigned int line);

/* Common command line complaints, iproute2 wording. */
int wb_incomplete(void);
int wb_invarg(const char *arg, const char *why);
int wb_duparg(const char *key, const char *arg);
int wb_garbage(const char *key, const char *arg);

/*
 * NEXT_ARG(): step to the value of the current keyword or return the
 * usage status from the enclosing function, like iproute2's NEXT_ARG().
 */
#define NEXT_ARG()					\
	do {						\
		argv++;					\
		if (--argc <= 0)			\
			return wb_incomplete();		\
	} while (0)
#define NEXT_ARG_OK()	(argc - 1 > 0)
#define PREV_ARG()	do { argv--; argc++; } while (0)

int wb_do_cmd(const struct wb_cmd *cmds, const char *help_hint,
	      int argc, char **argv);
void *wb_grow(void *v, size_t *cap, size_t n, size_t size);

const char *wb_ifname_invalid(const char *name);
const char *wb_netns_invalid(const char *name);
int wb_parse_u32(const char *str, uint32_t min, uint32_t max, uint32_t *val);
int wb_parse_ppm(const char *str, uint32_t *ppm);
void wb_format_ppm(char *buf, size_t size, uint32_t ppm);
int wb_parse_on_off(const char *str, bool *val);
int wb_parse_mode(const char *str, uint32_t *mode);
const char *wb_mode_name(uint32_t mode);
const char *wb_operstate_name(uint8_t state);

int wb_netns_open(const char *name);
int wb_netns_switch(const char *name);

#endif /* WBCTL_UTILS_H */
