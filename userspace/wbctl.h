/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wbctl: the objects.  Each do_OBJECT() gets argv after the object name
 * and returns an exit status (see utils.h).  New objects add their
 * entry point here and in wbctl.c's table.
 */
#ifndef WBCTL_H
#define WBCTL_H

int do_pair(int argc, char **argv);
int do_nic(int argc, char **argv);
int do_rule(int argc, char **argv);
int do_policy(int argc, char **argv);
int do_stats(int argc, char **argv);
int do_trace(int argc, char **argv);
int do_ct(int argc, char **argv);
int do_monitor(int argc, char **argv);

#endif /* WBCTL_H */
