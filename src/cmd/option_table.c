/*
 * option_table.c — rs_getopt_long (see option_table.h).
 */
#include "cmd/option_table.h"

#include <stdio.h>
#include <stdlib.h>

static const char *arg_kind(int has_arg)
{
	if (has_arg == required_argument)
		return "required";
	return has_arg == optional_argument ? "optional" : "none";
}

static void print_option_table(const char *shortopts, const struct option *longopts)
{
	for (const struct option *o = longopts; o && o->name; o++)
		printf("--%s\t%s\n", o->name, arg_kind(o->has_arg));
	for (const char *s = shortopts; *s; s++) {
		if (*s == ':' || *s == '+' || *s == '-')
			continue;
		printf("-%c\t%s\n", *s, s[1] == ':' ? "required" : "none");
	}
	fflush(stdout);
}

int rs_getopt_long(int argc, char *const argv[], const char *shortopts, const struct option *longopts,
		   int *longindex)
{
	if (getenv("RASOAT_OPTION_TABLE")) {
		print_option_table(shortopts, longopts);
		exit(0);
	}
	return getopt_long(argc, argv, shortopts, longopts, longindex);
}
