// SPDX-License-Identifier: GPL-2.0
/*
 * wbctl host unit tests: no root, no netlink socket.
 *
 *	tests/wbctl-tests [PATH_TO_WBCTL]
 */
#include "tap.h"

int main(int argc, char **argv)
{
	test_utils();
	test_print();
	test_pair();
	test_nic();
	test_nl();
	test_rule();
	test_trace();
	test_ct();
	test_cli(argc > 1 ? argv[1] : "./wbctl");
	return tap_done();
}
