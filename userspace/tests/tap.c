// SPDX-License-Identifier: GPL-2.0
/*
 * Minimal TAP producer, see tap.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"

static int tap_count;		/* test cases reported */
static int tap_failed;		/* test cases failed */
static const char *case_name;	/* the open case, NULL if none */
static int case_checks;
static int case_failed;

/* Close the open case: one TAP result line for all its checks. */
static void tap_case_end(void)
{
	if (!case_name)
		return;
	tap_count++;
	if (case_failed)
		tap_failed++;
	printf("%sok %d - %s (%d checks)\n", case_failed ? "not " : "",
	       tap_count, case_name, case_checks);
	fflush(stdout);
	case_name = NULL;
}

void tap_case(const char *name)
{
	tap_case_end();
	case_name = name;
	case_checks = 0;
	case_failed = 0;
}

static bool tap_vok(bool cond, const char *fmt, va_list ap)
{
	if (!case_name)
		tap_case("checks");
	case_checks++;
	if (!cond)
		case_failed++;
	printf("#   %s - ", cond ? "ok  " : "FAIL");
	vprintf(fmt, ap);
	putchar('\n');
	fflush(stdout);
	return cond;
}

bool tap_ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vok(cond, fmt, ap);
	va_end(ap);
	return cond;
}

/* Diagnostics: one "# " line per line of text. */
static void tap_diag_text(const char *label, const char *text)
{
	const char *nl;
	int len;

	if (!text) {
		printf("#   %s: (null)\n", label);
		return;
	}
	printf("#   %s:\n", label);
	do {
		nl = strchr(text, '\n');
		len = nl ? nl - text : (int)strlen(text);
		printf("#     |%.*s|\n", len, text);
		text = nl ? nl + 1 : NULL;
	} while (text && *text);
}

bool tap_is_str(const char *got, const char *want, const char *fmt, ...)
{
	bool cond = got && want && !strcmp(got, want);
	va_list ap;

	va_start(ap, fmt);
	tap_vok(cond, fmt, ap);
	va_end(ap);
	if (!cond) {
		tap_diag_text("got", got);
		tap_diag_text("expected", want);
	}
	return cond;
}

bool tap_has_str(const char *got, const char *needle, const char *fmt, ...)
{
	bool cond = got && strstr(got, needle);
	va_list ap;

	va_start(ap, fmt);
	tap_vok(cond, fmt, ap);
	va_end(ap);
	if (!cond) {
		tap_diag_text("got", got);
		tap_diag_text("expected to contain", needle);
	}
	return cond;
}

bool tap_is_int(long long got, long long want, const char *fmt, ...)
{
	bool cond = got == want;
	va_list ap;

	va_start(ap, fmt);
	tap_vok(cond, fmt, ap);
	va_end(ap);
	if (!cond)
		printf("#   got: %lld\n#   expected: %lld\n", got, want);
	return cond;
}

void tap_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

int tap_done(void)
{
	tap_case_end();
	printf("1..%d\n", tap_count);
	if (tap_failed)
		tap_diag("%d of %d tests failed", tap_failed, tap_count);
	return tap_failed ? 1 : 0;
}
