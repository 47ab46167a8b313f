// SPDX-License-Identifier: GPL-2.0
/*
 * wbctl: command table, argument walking, validation and netns helpers.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/if.h>
#include <linux/wirebox.h>

#include "utils.h"

FILE *wb_errfp;

static struct {
	const char *file;
	unsigned int line;
} wb_where;

void wb_err_at(const char *file, unsigned int line)
{
	wb_where.file = file;
	wb_where.line = line;
}

void wb_err(const char *fmt, ...)
{
	FILE *fp = wb_errfp ? wb_errfp : stderr;
	va_list ap;

	if (wb_where.file)
		fprintf(fp, "%s:%u: ", wb_where.file, wb_where.line);
	va_start(ap, fmt);
	vfprintf(fp, fmt, ap);
	va_end(ap);
	fputc('\n', fp);
}

int wb_incomplete(void)
{
	wb_err("Command line is not complete. Try option \"help\"");
	return WB_EXIT_USAGE;
}

int wb_invarg(const char *arg, const char *why)
{
	wb_err("Error: argument \"%s\" is wrong: %s.", arg, why);
	return WB_EXIT_USAGE;
}

int wb_duparg(const char *key, const char *arg)
{
	wb_err("Error: duplicate \"%s\": \"%s\" is the second value.",
	       key, arg);
	return WB_EXIT_USAGE;
}

int wb_garbage(const char *key, const char *arg)
{
	wb_err("Error: either \"%s\" is duplicate, or \"%s\" is garbage.",
	       key, arg);
	return WB_EXIT_USAGE;
}

/* argv[0] names the command; its function gets the words after it. */
int wb_do_cmd(const struct wb_cmd *cmds, const char *help_hint,
	      int argc, char **argv)
{
	const struct wb_cmd *c;

	for (c = cmds; c->name; c++)
		if (strcmp(argv[0], c->name) == 0)
			return c->func(argc - 1, argv + 1);

	wb_err("Command \"%s\" is unknown, try \"%s\".", argv[0], help_hint);
	return WB_EXIT_USAGE;
}

/*
 * Room for element n of array v (*cap elements of size bytes): returns
 * v, or a bigger copy of it, or NULL (v untouched) when out of memory.
 */
void *wb_grow(void *v, size_t *cap, size_t n, size_t size)
{
	size_t want = *cap ? 2 * *cap : 16;

	if (n < *cap)
		return v;
	v = realloc(v, want * size);
	if (v)
		*cap = want;
	return v;
}

/*
 * The kernel's dev_valid_name(): non-empty, shorter than IFNAMSIZ, not
 * "." or "..", no '/', ':' or white space.  The kernel's isspace() also
 * counts 0xa0 (Latin-1 NBSP), so we do too.  Returns NULL when valid,
 * else the reason.
 */
const char *wb_ifname_invalid(const char *name)
{
	const unsigned char *p;

	if (!*name)
		return "device name is empty";
	if (strnlen(name, IFNAMSIZ) == IFNAMSIZ)
		return "device name is too long (at most 15 bytes)";
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return "device name cannot be \".\" or \"..\"";
	for (p = (const unsigned char *)name; *p; p++) {
		if (*p == '/' || *p == ':')
			return "device name cannot contain '/' or ':'";
		if (*p == ' ' || (*p >= '\t' && *p <= '\r') || *p == 0xa0)
			return "device name cannot contain white space";
	}
	return NULL;
}

/* A netns name is a file name under /run/netns. */
const char *wb_netns_invalid(const char *name)
{
	if (!*name)
		return "netns name is empty";
	if (strlen(name) >= NAME_MAX)
		return "netns name is too long";
	if (!strcmp(name, ".") || !strcmp(name, "..") || strchr(name, '/'))
		return "invalid netns name";
	return NULL;
}

/*
 * Decimal, or hex with a 0x prefix (a leading 0 is NOT octal); no sign,
 * no white space, no trailing junk; min <= value <= max.
 */
int wb_parse_u32(const char *str, uint32_t min, uint32_t max, uint32_t *val)
{
	unsigned long long v;
	int base = 10;
	char *end;

	if (str[0] == '0' && (str[1] == 'x' || str[1] == 'X')) {
		str += 2;
		base = 16;
		if (!isxdigit((unsigned char)*str))
			return -EINVAL;
	} else if (!isdigit((unsigned char)*str)) {
		return -EINVAL;
	}
	errno = 0;
	v = strtoull(str, &end, base);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || v < min || v > max)
		return -ERANGE;
	*val = v;
	return 0;
}

/*
 * A percentage, "10", "10%", "0.5%", "0.0001": digits, optionally a dot
 * and more digits, optionally '%'.  At most 4 significant decimals (one
 * part per million); more digits must be zeros.  Returns 0 and the rate
 * in parts per million, -EINVAL for garbage, -ERANGE above 100% or -EDOM
 * for too many decimals.
 */
int wb_parse_ppm(const char *str, uint32_t *ppm)
{
	const char *p = str;
	uint32_t v = 0, scale = WBNIC_PPM / 1000;

	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	for (; isdigit((unsigned char)*p); p++) {
		v = v * 10 + (*p - '0');
		if (v > 100)
			return -ERANGE;
	}
	v *= WBNIC_PPM / 100;
	if (*p == '.') {
		if (!isdigit((unsigned char)*++p))
			return -EINVAL;
		for (; isdigit((unsigned char)*p); p++, scale /= 10) {
			if (!scale && *p != '0')
				return -EDOM;
			v += (*p - '0') * scale;
		}
	}
	if (*p == '%')
		p++;
	if (*p)
		return -EINVAL;
	if (v > WBNIC_PPM)
		return -ERANGE;
	*ppm = v;
	return 0;
}

/* Parts per million as the shortest percentage: "0%", "0.5%", "100%". */
void wb_format_ppm(char *buf, size_t size, uint32_t ppm)
{
	uint32_t unit = WBNIC_PPM / 100, frac = ppm % unit;
	int digits = 4;

	if (!frac) {
		snprintf(buf, size, "%u%%", ppm / unit);
		return;
	}
	for (; frac % 10 == 0; frac /= 10)
		digits--;
	snprintf(buf, size, "%u.%0*u%%", ppm / unit, digits, frac);
}

int wb_parse_on_off(const char *str, bool *val)
{
	if (!strcmp(str, "on"))
		*val = true;
	else if (!strcmp(str, "off"))
		*val = false;
	else
		return -EINVAL;
	return 0;
}

static const char * const wb_mode_names[] = {
	[WBPAIR_MODE_XMIT]	= "xmit",
	[WBPAIR_MODE_NAPI]	= "napi",
};

int wb_parse_mode(const char *str, uint32_t *mode)
{
	uint32_t i;

	for (i = 0; i <= WBPAIR_MODE_MAX; i++) {
		if (wb_mode_names[i] && !strcmp(str, wb_mode_names[i])) {
			*mode = i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *wb_mode_name(uint32_t mode)
{
	if (mode > WBPAIR_MODE_MAX || !wb_mode_names[mode])
		return "unknown";
	return wb_mode_names[mode];
}

static const char * const wb_oper_names[] = {
	[IF_OPER_UNKNOWN]		= "UNKNOWN",
	[IF_OPER_NOTPRESENT]		= "NOTPRESENT",
	[IF_OPER_DOWN]			= "DOWN",
	[IF_OPER_LOWERLAYERDOWN]	= "LOWERLAYERDOWN",
	[IF_OPER_TESTING]		= "TESTING",
	[IF_OPER_DORMANT]		= "DORMANT",
	[IF_OPER_UP]			= "UP",
};

const char *wb_operstate_name(uint8_t state)
{
	if (state >= ARRAY_SIZE(wb_oper_names))
		return "UNKNOWN";
	return wb_oper_names[state];
}

/* Returns an O_RDONLY fd on /run/netns/NAME, or -1 after an error line. */
int wb_netns_open(const char *name)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	if (errno == ENOENT)
		wb_err("Error: netns \"%s\" not found.", name);
	else
		wb_err("Error: cannot open netns \"%s\": %s.", name,
		       strerror(errno));
	return -1;
}

/*
 * Like "ip -n NAME": join the network namespace before any socket is
 * opened.  Unlike ip we do not remount /sys: wbctl only talks netlink.
 */
int wb_netns_switch(const char *name)
{
	int fd, err;

	fd = wb_netns_open(name);
	if (fd < 0)
		return -1;
	err = setns(fd, CLONE_NEWNET);
	if (err)
		wb_err("Error: cannot switch to netns \"%s\": %s.", name,
		       strerror(errno));
	close(fd);
	return err ? -1 : 0;
}
