// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: name validation, number and keyword parsers.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <linux/if.h>
#include <linux/wirebox.h>

#include "tap.h"
#include "utils.h"

static void test_ifname(void)
{
	static const char * const good[] = {
		"a", "eth0", "wb-pair_0.1", "123456789012345", "...",
		"veth%d", "\xc3\xa9t\xc3\xa9",
	};
	static const char * const bad[] = {
		"", "1234567890123456", ".", "..", "a/b", "a:b", "a b",
		"a\tb", "a\nb", "a\vb", "a\240b", "/",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(good); i++)
		tap_ok(!wb_ifname_invalid(good[i]),
		       "ifname \"%s\" is valid", good[i]);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		tap_ok(wb_ifname_invalid(bad[i]) != NULL,
		       "ifname bad[%u] is rejected", i);
	tap_has_str(wb_ifname_invalid("1234567890123456"), "too long",
		    "ifname: 16 bytes is \"too long\"");
	tap_has_str(wb_ifname_invalid("a b"), "white space",
		    "ifname: space explained");
	tap_is_int(strlen("123456789012345"), IFNAMSIZ - 1,
		   "longest valid name is IFNAMSIZ - 1 bytes");
}

static void test_netns_name(void)
{
	tap_ok(!wb_netns_invalid("ns1"), "netns \"ns1\" is valid");
	tap_ok(wb_netns_invalid("") != NULL, "netns \"\" is rejected");
	tap_ok(wb_netns_invalid("..") != NULL, "netns \"..\" is rejected");
	tap_ok(wb_netns_invalid("../x") != NULL, "netns with / is rejected");
}

struct u32_case {
	const char *str;
	uint32_t min, max;
	int ret;
	uint32_t val;
};

static void test_u32(void)
{
	static const struct u32_case cases[] = {
		{ "0", 0, UINT32_MAX, 0, 0 },
		{ "42", 0, UINT32_MAX, 0, 42 },
		{ "4294967295", 0, UINT32_MAX, 0, UINT32_MAX },
		{ "0x10", 0, UINT32_MAX, 0, 16 },
		{ "0XfF", 0, UINT32_MAX, 0, 255 },
		{ "010", 0, UINT32_MAX, 0, 10 },
		{ "4294967296", 0, UINT32_MAX, -ERANGE, 0 },
		{ "99999999999999999999999", 0, UINT32_MAX, -ERANGE, 0 },
		{ "9", 10, 20, -ERANGE, 0 },
		{ "21", 10, 20, -ERANGE, 0 },
		{ "10", 10, 20, 0, 10 },
		{ "20", 10, 20, 0, 20 },
		{ "", 0, UINT32_MAX, -EINVAL, 0 },
		{ "-1", 0, UINT32_MAX, -EINVAL, 0 },
		{ "+1", 0, UINT32_MAX, -EINVAL, 0 },
		{ " 1", 0, UINT32_MAX, -EINVAL, 0 },
		{ "1 ", 0, UINT32_MAX, -EINVAL, 0 },
		{ "12abc", 0, UINT32_MAX, -EINVAL, 0 },
		{ "0x", 0, UINT32_MAX, -EINVAL, 0 },
		{ "0x-1", 0, UINT32_MAX, -EINVAL, 0 },
	};
	const struct u32_case *c;
	uint32_t val;
	int ret;

	for (c = cases; c < cases + ARRAY_SIZE(cases); c++) {
		val = 0xdeadbeef;
		ret = wb_parse_u32(c->str, c->min, c->max, &val);
		tap_ok(ret == c->ret && (ret || val == c->val),
		       "u32 \"%s\" in [%u, %u] -> %d/%u", c->str, c->min,
		       c->max, c->ret, c->val);
		if (ret)
			tap_ok(val == 0xdeadbeef,
			       "u32 \"%s\": value untouched on error", c->str);
	}
}

static void test_mode(void)
{
	uint32_t mode = 99;

	tap_ok(!wb_parse_mode("xmit", &mode) && mode == WBPAIR_MODE_XMIT,
	       "mode \"xmit\" parses to WBPAIR_MODE_XMIT");
	tap_ok(!wb_parse_mode("napi", &mode) && mode == WBPAIR_MODE_NAPI,
	       "mode \"napi\" parses to WBPAIR_MODE_NAPI");
	tap_is_int(wb_parse_mode("nap", &mode), -EINVAL,
		   "mode: no prefix matching");
	tap_is_int(wb_parse_mode("XMIT", &mode), -EINVAL,
		   "mode: case sensitive");
	tap_is_int(wb_parse_mode("1", &mode), -EINVAL,
		   "mode: no numbers");
	tap_is_int(wb_parse_mode("", &mode), -EINVAL, "mode: empty");
	tap_is_str(wb_mode_name(WBPAIR_MODE_XMIT), "xmit", "mode name 0");
	tap_is_str(wb_mode_name(WBPAIR_MODE_NAPI), "napi", "mode name 1");
	tap_is_str(wb_mode_name(77), "unknown", "mode name out of range");
}

static void test_operstate(void)
{
	tap_is_str(wb_operstate_name(IF_OPER_UP), "UP", "operstate UP");
	tap_is_str(wb_operstate_name(IF_OPER_DOWN), "DOWN", "operstate DOWN");
	tap_is_str(wb_operstate_name(IF_OPER_LOWERLAYERDOWN),
		   "LOWERLAYERDOWN", "operstate LOWERLAYERDOWN");
	tap_is_str(wb_operstate_name(200), "UNKNOWN",
		   "operstate out of range");
}

void test_utils(void)
{
	tap_case("utils: ifname");
	test_ifname();
	tap_case("utils: netns_name");
	test_netns_name();
	tap_case("utils: u32");
	test_u32();
	tap_case("utils: mode");
	test_mode();
	tap_case("utils: operstate");
	test_operstate();
}
