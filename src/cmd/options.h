/*
 * options.h — the options of `rasoat scan` and of the commands that pass
 * theirs on to it (`rasoat audit`, `rasoat hunt`, ...), in one table:
 * scan.c parses it with getopt_long, and hunt.c asks it which arguments
 * take a value, to tell an option's value from a path to hunt.
 */
#ifndef RS_CMD_OPTIONS_H
#define RS_CMD_OPTIONS_H

#include <getopt.h>
#include <stdbool.h>

enum {
	OPT_ROOT = 256, OPT_PROC, OPT_ONLY, OPT_SKIP, OPT_FORMAT, OPT_HTML, OPT_SUMMARY,
	OPT_FAIL_ON, OPT_DB, OPT_NO_DB, OPT_CONFIG, OPT_RULES, OPT_EXCLUDE, OPT_MAX_SIZE,
	OPT_THREADS, OPT_ONE_FS, OPT_ALL, OPT_FULL, OPT_TRUST, OPT_NO_TRUST, OPT_FEED, OPT_POLICY,
	OPT_ALLOW_COMMANDS, OPT_RECENT, OPT_PID, OPT_TIMEOUT, OPT_IOCS, OPT_IOCS_ALL,
	OPT_APPS, OPT_NO_APPS,
	OPT_DEVICES,
};

/* getopt_long's long options and short option string for the scan options. */
extern const struct option rs_scan_long_options[];
extern const char rs_scan_short_options[];

/* True when ARG, one element of argv, is a scan option whose value is the
 * next element: "--rules" or "-o", not "--rules=DIR", "--full" or a path. */
bool rs_scan_option_takes_value(const char *arg);

#endif
