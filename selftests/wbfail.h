/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Allocation failure injection for the selftests: /proc/thread-self/
 * fail-nth fails the Nth fault-injection point (failslab,
 * fail_page_alloc) this task passes. Needs CONFIG_FAULT_INJECTION (the
 * debug kernel; Debian's kernels have none, and the tests skip).
 */
#ifndef WBFAIL_H
#define WBFAIL_H

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static inline int set_fail_nth(int fd, int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%d", n);

	return pwrite(fd, buf, len, 0) == len ? 0 : -errno;
}

/* what is left of the count: > 0 when the Nth point was never reached */
static inline int get_fail_nth(int fd)
{
	char buf[16] = "";

	if (pread(fd, buf, sizeof(buf) - 1, 0) <= 0)
		return -1;
	return atoi(buf);
}

/*
 * The Ns of a fail-nth walk: every one up to @dense, then each 1/16
 * further than the last, up to FAIL_NTH_LAST. A request that passes
 * hundreds of points under KASAN (register_netdevice() and the core's
 * notifiers behind it, where a failure unwinds the driver's ndo_init) is
 * so followed to its end in @dense requests plus about 38 for each
 * tenfold beyond. A walk ends when a request gets through without its
 * Nth point; n > FAIL_NTH_LAST means it was cut short.
 */
#define FAIL_NTH_LAST	100000

static inline int fail_nth_next(int n, int dense)
{
	return n < dense ? n + 1 : n + n / 16;
}

/* How far a walk that stopped at @n got, for its log line. */
static inline const char *fail_nth_extent(char *buf, size_t size, int n,
					  int dense)
{
	if (n > FAIL_NTH_LAST)
		snprintf(buf, size, "cut short at %d injection points",
			 FAIL_NTH_LAST);
	else if (n <= dense)
		snprintf(buf, size, "all %d injection points", n - 1);
	else
		snprintf(buf, size,
			 "to the end (under %d injection points: each of the first %d, then one every n/16)",
			 n, dense);
	return buf;
}

/*
 * A walk's end, in a harness test: it must have got through (n <=
 * FAIL_NTH_LAST), and its log line says how far it went, then FMT. Uses
 * the including file's FAIL_NTH_DENSE.
 */
#define FAIL_NTH_WALKED(what, n, fmt, ...)				\
	do {								\
		const char *__what = (what);				\
		int __n = (n);						\
		char __ext[128];					\
									\
		EXPECT_GE(FAIL_NTH_LAST, __n)				\
			TH_LOG("%s: the walk never got through", __what); \
		TH_LOG("%s: walked %s, " fmt, __what,			\
		       fail_nth_extent(__ext, sizeof(__ext), __n,	\
				       FAIL_NTH_DENSE), ##__VA_ARGS__);	\
	} while (0)

/*
 * Make every allocation eligible (GFP_KERNEL ones too) and quiet (no stack
 * dump per injected failure: slow on a TCG console). The test runs in its
 * own process; fi_set(true) puts the values back.
 */
static const char *const fi_knobs[][2] = {
	{ "/sys/kernel/debug/failslab/ignore-gfp-wait", "N" },
	{ "/sys/kernel/debug/failslab/verbose", "0" },
	{ "/sys/kernel/debug/fail_page_alloc/ignore-gfp-wait", "N" },
	{ "/sys/kernel/debug/fail_page_alloc/verbose", "0" },
};

static char fi_saved[4][16];

static inline void fi_set(bool restore)
{
	unsigned int i;

	for (i = 0; i < 4; i++) {
		const char *v = restore ? fi_saved[i] : fi_knobs[i][1];
		ssize_t n;
		int fd;

		/*
		 * fresh opens, plain read() and write(): some of these debugfs
		 * files cannot seek, so pread()/pwrite() fail with ESPIPE
		 */
		if (!restore) {
			fd = open(fi_knobs[i][0], O_RDONLY);
			n = fd < 0 ? -1 : read(fd, fi_saved[i], 15);
			fi_saved[i][n > 0 ? n : 0] = 0;
			if (fd >= 0)
				close(fd);
		}
		if (!*v)
			continue;
		fd = open(fi_knobs[i][0], O_WRONLY);
		if (fd < 0)
			continue;
		if (write(fd, v, strlen(v)) < 0)
			perror(fi_knobs[i][0]);
		close(fd);
	}
}

#endif /* WBFAIL_H */
