// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the text/JSON printer.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "print.h"
#include "tap.h"

/* U+00E9, U+20AC, U+1F600: 2, 3 and 4 byte sequences. */
#define UTF8	"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"

static char *out_buf;
static size_t out_len;
static FILE *out_fp;

static void cap_start(bool json, bool pretty)
{
	free(out_buf);
	out_buf = NULL;
	out_fp = open_memstream(&out_buf, &out_len);
	print_init(out_fp, json, pretty);
}

static const char *cap_end(void)
{
	print_fini();
	fclose(out_fp);
	return out_buf;
}

/* The same calls give both renderings. */
static void emit_sample(void)
{
	print_open_array(NULL);
	print_open_object(NULL);
	print_string(PRINT_ANY, "ifname", "%s:", "wb0");
	print_int(PRINT_JSON, "ifindex", NULL, 7);
	print_string(PRINT_FP, NULL, " text-only %s", "x");
	print_int(PRINT_ANY, "nsid", " nsid %d", -3);
	print_on_off(PRINT_ANY, "carrier", " carrier %s", true);
	print_on_off(PRINT_ANY, "up", " up %s", false);
	print_uint(PRINT_ANY, "mtu", " mtu %u", 4294967295u);
	print_close_object();
	print_nl();
	print_close_array();
}

static void test_modes(void)
{
	cap_start(false, false);
	emit_sample();
	tap_is_str(cap_end(),
		   "wb0: text-only x nsid -3 carrier on up off mtu 4294967295\n",
		   "text: fmt rendering, JSON-only keys skipped");

	cap_start(false, true);
	emit_sample();
	tap_is_str(cap_end(),
		   "wb0: text-only x nsid -3 carrier on up off mtu 4294967295\n",
		   "text: -pretty without -json changes nothing");

	cap_start(true, false);
	emit_sample();
	tap_is_str(cap_end(),
		   "[{\"ifname\":\"wb0\",\"ifindex\":7,\"nsid\":-3,"
		   "\"carrier\":true,\"up\":false,\"mtu\":4294967295}]\n",
		   "json: compact, text-only items skipped");

	cap_start(true, true);
	emit_sample();
	tap_is_str(cap_end(),
		   "[\n    {\n        \"ifname\": \"wb0\",\n"
		   "        \"ifindex\": 7,\n        \"nsid\": -3,\n"
		   "        \"carrier\": true,\n        \"up\": false,\n"
		   "        \"mtu\": 4294967295\n    }\n]\n",
		   "json: pretty, 4-space indent");
}

static void test_containers(void)
{
	cap_start(true, false);
	print_open_array(NULL);
	print_close_array();
	tap_is_str(cap_end(), "[]\n", "json: empty array");

	cap_start(true, true);
	print_open_array(NULL);
	print_close_array();
	tap_is_str(cap_end(), "[]\n", "json pretty: empty array");

	cap_start(true, false);
	print_open_object(NULL);
	print_open_array("list");
	print_uint(PRINT_ANY, "ignored", "%u", 1);
	print_uint(PRINT_ANY, NULL, "%u", 2);
	print_close_array();
	print_open_object("o");
	print_close_object();
	print_close_object();
	tap_is_str(cap_end(), "{\"list\":[1,2],\"o\":{}}\n",
		   "json: nesting, keys ignored inside arrays");

	cap_start(false, false);
	print_open_array(NULL);
	print_close_array();
	tap_is_str(cap_end(), "", "text: containers print nothing");
}

static void test_escape(void)
{
	cap_start(true, false);
	print_open_object(NULL);
	print_string(PRINT_ANY, "q\"k", NULL, "a\"b\\c/d");
	print_string(PRINT_ANY, "ctl", NULL, "\n\t\r\b\f\x01\x1f\x7f");
	print_string(PRINT_ANY, "utf8", NULL, UTF8);
	print_close_object();
	tap_is_str(cap_end(),
		   "{\"q\\\"k\":\"a\\\"b\\\\c/d\","
		   "\"ctl\":\"\\n\\t\\r\\b\\f\\u0001\\u001f\\u007f\","
		   "\"utf8\":\"" UTF8 "\"}\n",
		   "json: quotes, backslash, controls escaped; UTF-8 kept");

	cap_start(true, false);
	print_open_array(NULL);
	print_string(PRINT_ANY, NULL, NULL, "\xff");
	print_string(PRINT_ANY, NULL, NULL, "a\xc3");
	print_string(PRINT_ANY, NULL, NULL, "\xc0\xaf");
	print_string(PRINT_ANY, NULL, NULL, "\xed\xa0\x80");
	print_string(PRINT_ANY, NULL, NULL, "\xf4\x90\x80\x80");
	print_string(PRINT_ANY, NULL, NULL, "\xe2\x82" "x");
	print_close_array();
	tap_is_str(cap_end(),
		   "[\"\\u00ff\",\"a\\u00c3\",\"\\u00c0\\u00af\","
		   "\"\\u00ed\\u00a0\\u0080\",\"\\u00f4\\u0090\\u0080\\u0080\","
		   "\"\\u00e2\\u0082x\"]\n",
		   "json: invalid UTF-8 bytes become \\u00XX");

	cap_start(false, false);
	print_string(PRINT_ANY, "k", "%s\n", "a\"b\n");
	tap_is_str(cap_end(), "a\"b\n\n", "text: strings are not escaped");
}

static void emit_u64_null(void)
{
	print_open_object(NULL);
	print_u64(PRINT_ANY, "big", "big %" PRIu64, UINT64_MAX);
	print_u64(PRINT_ANY, "hex", " hex 0x%" PRIx64, 0xabcULL);
	print_null(PRINT_ANY, "peer", " peer %s", "none");
	print_close_object();
}

static void test_u64_null(void)
{
	cap_start(false, false);
	emit_u64_null();
	tap_is_str(cap_end(), "big 18446744073709551615 hex 0xabc peer none",
		   "text: u64 with its own format, null as fmt text");

	cap_start(true, false);
	emit_u64_null();
	tap_is_str(cap_end(),
		   "{\"big\":18446744073709551615,\"hex\":2748,"
		   "\"peer\":null}\n",
		   "json: u64 in decimal, null");
}

/* A stream of top-level objects, one per line (wbctl monitor -j). */
static void test_records(void)
{
	int i;

	cap_start(true, false);
	for (i = 1; i <= 2; i++) {
		print_open_object(NULL);
		print_int(PRINT_ANY, "n", "n %d", i);
		print_close_object();
		print_nl();
		print_end_record();
	}
	tap_is_str(cap_end(), "{\"n\":1}\n{\"n\":2}\n",
		   "json: one object per line, nothing more at the end");

	cap_start(true, true);
	print_open_object(NULL);
	print_close_object();
	print_end_record();
	print_open_array(NULL);
	print_close_array();
	tap_is_str(cap_end(), "{}\n[]\n", "json pretty: records");

	cap_start(false, false);
	print_int(PRINT_ANY, "n", "n %d", 1);
	print_nl();
	print_end_record();
	tap_is_str(cap_end(), "n 1\n", "text: records are lines");
}

void test_print(void)
{
	tap_case("print: modes");
	test_modes();
	tap_case("print: containers");
	test_containers();
	tap_case("print: escape");
	test_escape();
	tap_case("print: u64_null");
	test_u64_null();
	tap_case("print: records");
	test_records();
	free(out_buf);
	out_buf = NULL;
}
