/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wbctl: one printing API for text and JSON output, a small cousin of
 * iproute2's json_print.
 *
 * Every print_*() call names both renderings: "fmt" (a printf format
 * taking exactly the one value) is used in text mode, "key" in JSON mode.
 * The output type says which of the two a call is for:
 *
 *	print_uint(PRINT_ANY, "mtu", "mtu %u ", mtu);
 *
 * prints "mtu 1500 " as text and "mtu":1500 as JSON.  Containers
 * (print_open_*()/print_close_*()) only exist in JSON; text mode ignores
 * them.  Keys must be given inside objects and are ignored inside arrays.
 */
#ifndef WBCTL_PRINT_H
#define WBCTL_PRINT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum output_type {
	PRINT_FP	= 1,	/* text only */
	PRINT_JSON	= 2,	/* JSON only */
	PRINT_ANY	= 3,	/* both */
};

void print_init(FILE *fp, bool json, bool pretty);
void print_fini(void);
bool print_is_json(void);

void print_open_object(const char *key);
void print_close_object(void);
void print_open_array(const char *key);
void print_close_array(void);

void print_string(enum output_type t, const char *key, const char *fmt,
		  const char *value);
void print_uint(enum output_type t, const char *key, const char *fmt,
		unsigned int value);
void print_int(enum output_type t, const char *key, const char *fmt,
	       int value);
/* fmt takes a uint64_t: use PRIu64 or PRIx64; JSON is always decimal. */
void print_u64(enum output_type t, const char *key, const char *fmt,
	       uint64_t value);
/* Text: fmt gets value; JSON: null. */
void print_null(enum output_type t, const char *key, const char *fmt,
		const char *value);
/* Text: fmt gets "on"/"off"; JSON: true/false. */
void print_on_off(enum output_type t, const char *key, const char *fmt,
		  bool value);
/* Text only: end the current line. */
void print_nl(void);
/*
 * End one top-level value of a stream of them (wbctl monitor): in JSON
 * its newline now, one object per line; in both modes a flush, so that
 * a reader at the other end of a pipe sees each record when it happens.
 */
void print_end_record(void);

#endif /* WBCTL_PRINT_H */
