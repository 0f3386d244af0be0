/*
 * atomic_scan.h — rasoat's modules over a sandbox (see atomic_scan.c).
 */
#ifndef RS_DRILL_ATOMIC_SCAN_H
#define RS_DRILL_ATOMIC_SCAN_H

#include "drill/sandbox.h"

#include <jansson.h>

struct rs_scan_packages;

typedef struct rs_atomic_scan_opts {
	const char *config_path;
	char *const *rule_dirs;
	size_t n_rule_dirs;
	/* the host's package databases, dpkg's and rpm's both loaded before
	 * the sandbox was made (NULL: read in the sandbox); used unless the
	 * sandbox changed them */
	struct rs_scan_packages *host_packages;
} rs_atomic_scan_opts;

/* The findings (FORMATS.md objects) of the sandbox: with CHANGED (sorted
 * paths from rs_sandbox_changes) narrowed to them, hunted and their package
 * digests checked; without, the untouched baseline. Never NULL. */
json_t *rs_atomic_scan(const rs_sandbox *sb, const rs_atomic_scan_opts *o, const rs_vec *changed);

#endif
