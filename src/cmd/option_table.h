/*
 * option_table.h — the one call through which every command parses its
 * options, so that tests can read each command's option table.
 */
#ifndef RS_CMD_OPTION_TABLE_H
#define RS_CMD_OPTION_TABLE_H

#include <getopt.h>

/* getopt_long, except that when the environment names RASOAT_OPTION_TABLE it
 * prints the option table it was given — one line per option, "--NAME" or
 * "-C" and "none", "required" or "optional" — and ends the process with
 * status 0 before any work. tests/e2e/test_options.py compares that table
 * with each command's --help and man page. Every command parses its options
 * through this function. */
int rs_getopt_long(int argc, char *const argv[], const char *shortopts, const struct option *longopts,
		   int *longindex);

#endif
