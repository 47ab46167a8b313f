// SPDX-License-Identifier: GPL-2.0
/*
 * wbctl: one printing API for text and JSON output, see print.h.
 *
 * JSON is written straight to the stream: a small stack remembers for
 * each open container whether it is an object and whether it already
 * holds a member, which is all that is needed for commas and (with
 * -pretty) indentation.  Strings are escaped per RFC 8259; bytes that
 * are not valid UTF-8 are written as \u00XX (their Latin-1 reading) so
 * that the output is always valid JSON.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>

#include "print.h"

#define JSON_MAX_DEPTH	16
#define JSON_INDENT	4

static struct {
	FILE *fp;
	bool json;
	bool pretty;
	bool started;		/* a top-level JSON value was begun */
	int depth;
	struct {
		bool object;
		bool empty;
	} level[JSON_MAX_DEPTH];
} pr = { .depth = 0 };

void print_init(FILE *fp, bool json, bool pretty)
{
	pr.fp = fp;
	pr.json = json;
	pr.pretty = json && pretty;
	pr.started = false;
	pr.depth = 0;
}

bool print_is_json(void)
{
	return pr.json;
}

void print_fini(void)
{
	if (pr.json && pr.started)
		fputc('\n', pr.fp);
	pr.started = false;
	fflush(pr.fp);
}

static void json_indent(void)
{
	if (pr.pretty)
		fprintf(pr.fp, "\n%*s", pr.depth * JSON_INDENT, "");
}

/* Length of the valid UTF-8 sequence at p (RFC 3629), 0 if invalid. */
static int utf8_len(const unsigned char *p)
{
	unsigned char lo = 0x80, hi = 0xbf;
	int n, i;

	if (*p >= 0xc2 && *p <= 0xdf)
		n = 2;
	else if (*p >= 0xe0 && *p <= 0xef)
		n = 3;
	else if (*p >= 0xf0 && *p <= 0xf4)
		n = 4;
	else
		return 0;

	if (*p == 0xe0)
		lo = 0xa0;	/* overlong */
	else if (*p == 0xed)
		hi = 0x9f;	/* surrogates */
	else if (*p == 0xf0)
		lo = 0x90;	/* overlong */
	else if (*p == 0xf4)
		hi = 0x8f;	/* above U+10FFFF */

	for (i = 1; i < n; i++) {
		if (p[i] < lo || p[i] > hi)
			return 0;
		lo = 0x80;
		hi = 0xbf;
	}
	return n;
}

static const char *json_short_escape(unsigned char c)
{
	switch (c) {
	case '"':
		return "\\\"";
	case '\\':
		return "\\\\";
	case '\b':
		return "\\b";
	case '\f':
		return "\\f";
	case '\n':
		return "\\n";
	case '\r':
		return "\\r";
	case '\t':
		return "\\t";
	}
	return NULL;
}

static void json_escape(const char *str)
{
	const unsigned char *p = (const unsigned char *)str;
	const char *esc;
	int n;

	fputc('"', pr.fp);
	while (*p) {
		esc = json_short_escape(*p);
		n = *p >= 0x80 ? utf8_len(p) : 1;
		if (esc)
			fputs(esc, pr.fp);
		else if (*p < 0x20 || *p == 0x7f || !n)
			fprintf(pr.fp, "\\u%04x", *p);
		else
			fwrite(p, 1, n, pr.fp);
		p += n ? n : 1;
	}
	fputc('"', pr.fp);
}

/* Comma, indentation and "key": before a JSON value. */
static void json_member(const char *key)
{
	int top = pr.depth - 1;

	if (pr.depth == 0) {
		pr.started = true;
		return;
	}
	if (top >= JSON_MAX_DEPTH)
		top = JSON_MAX_DEPTH - 1;
	if (!pr.level[top].empty)
		fputc(',', pr.fp);
	pr.level[top].empty = false;
	json_indent();
	if (pr.level[top].object) {
		json_escape(key ? key : "");
		fputs(pr.pretty ? ": " : ":", pr.fp);
	}
}

static void json_open(const char *key, bool object)
{
	if (!pr.json)
		return;
	json_member(key);
	fputc(object ? '{' : '[', pr.fp);
	if (pr.depth < JSON_MAX_DEPTH) {
		pr.level[pr.depth].object = object;
		pr.level[pr.depth].empty = true;
	}
	pr.depth++;
}

static void json_close(void)
{
	int top;

	if (!pr.json || pr.depth == 0)
		return;
	pr.depth--;
	top = pr.depth < JSON_MAX_DEPTH ? pr.depth : JSON_MAX_DEPTH - 1;
	if (!pr.level[top].empty)
		json_indent();
	fputc(pr.level[top].object ? '}' : ']', pr.fp);
}

void print_open_object(const char *key)
{
	json_open(key, true);
}

void print_close_object(void)
{
	json_close();
}

void print_open_array(const char *key)
{
	json_open(key, false);
}

void print_close_array(void)
{
	json_close();
}

/* Is this call for the current mode?  Text output also needs a fmt. */
static bool print_wanted(enum output_type t, const char *fmt)
{
	if (pr.json)
		return t & PRINT_JSON;
	return (t & PRINT_FP) && fmt;
}

void print_string(enum output_type t, const char *key, const char *fmt,
		  const char *value)
{
	if (!print_wanted(t, fmt))
		return;
	if (pr.json) {
		json_member(key);
		json_escape(value);
	} else {
		fprintf(pr.fp, fmt, value);
	}
}

void print_uint(enum output_type t, const char *key, const char *fmt,
		unsigned int value)
{
	if (!print_wanted(t, fmt))
		return;
	if (pr.json) {
		json_member(key);
		fprintf(pr.fp, "%u", value);
	} else {
		fprintf(pr.fp, fmt, value);
	}
}

void print_int(enum output_type t, const char *key, const char *fmt,
	       int value)
{
	if (!print_wanted(t, fmt))
		return;
	if (pr.json) {
		json_member(key);
		fprintf(pr.fp, "%d", value);
	} else {
		fprintf(pr.fp, fmt, value);
	}
}

void print_u64(enum output_type t, const char *key, const char *fmt,
	       uint64_t value)
{
	if (!print_wanted(t, fmt))
		return;
	if (pr.json) {
		json_member(key);
		fprintf(pr.fp, "%" PRIu64, value);
	} else {
		fprintf(pr.fp, fmt, value);
	}
}

void print_null(enum output_type t, const char *key, const char *fmt,
		const char *value)
{
	if (!print_wanted(t, fmt))
		return;
	if (pr.json) {
		json_member(key);
		fputs("null", pr.fp);
	} else {
		fprintf(pr.fp, fmt, value);
	}
}

void print_on_off(enum output_type t, const char *key, const char *fmt,
		  bool value)
{
	if (!print_wanted(t, fmt))
		return;
	if (pr.json) {
		json_member(key);
		fputs(value ? "true" : "false", pr.fp);
	} else {
		fprintf(pr.fp, fmt, value ? "on" : "off");
	}
}

void print_nl(void)
{
	if (!pr.json)
		fputc('\n', pr.fp);
}

void print_end_record(void)
{
	if (pr.json && pr.started && !pr.depth) {
		fputc('\n', pr.fp);
		pr.started = false;
	}
	fflush(pr.fp);
}
