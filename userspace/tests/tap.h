/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal TAP producer for the wbctl unit tests: checks are grouped into
 * test cases (tap_case()); each check prints a "#   ok/FAIL - desc"
 * diagnostic and each case one "ok N - case (K checks)" or "not ok" line.
 * The "1..N" plan comes at the end.
 */
#ifndef WBCTL_TAP_H
#define WBCTL_TAP_H

#include <stdbool.h>

bool tap_ok(bool cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
bool tap_is_str(const char *got, const char *want, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
bool tap_is_int(long long got, long long want, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
bool tap_has_str(const char *got, const char *needle, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Start a test case; closes the previous one. */
void tap_case(const char *name);
void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print the plan; returns the process exit status (0: all passed). */
int tap_done(void);

void test_print(void);
void test_utils(void);
void test_pair(void);
void test_nic(void);
void test_nl(void);
void test_rule(void);
void test_trace(void);
void test_ct(void);
void test_cli(const char *wbctl);

#endif /* WBCTL_TAP_H */
