/*
 * atomic_run.h — one Atomic Red Team test in a throw-away sandbox: its
 * prerequisites and command run inside, then rasoat's modules scan the
 * sandbox's tree and processes and what is new against a baseline of the
 * untouched sandbox is the detection. The result is a JSON object (see
 * docs/DRILL.md, "Atomic Red Team in a sandbox").
 */
#ifndef RS_DRILL_ATOMIC_RUN_H
#define RS_DRILL_ATOMIC_RUN_H

#include "drill/atomic.h"

#include <jansson.h>
#include <stdbool.h>

typedef struct rs_atomic_job {
	const rs_atomic *atomic;
	const rs_atomic_test *test;
	int number;                     /* 1-based */
	const rs_atomic_override *ov;
	size_t n_ov;
	const char *atomics_dir;        /* what PathToAtomicsFolder becomes */
	int timeout_s;                  /* per command */
	const char *config_path;        /* rasoat.conf (NULL: the default, if present) */
	char *const *rule_dirs;         /* --rules */
	size_t n_rule_dirs;
	const char *tmpdir;             /* NULL: $TMPDIR or /tmp */
	bool keep;                      /* --keep-sandbox */
	json_t *baseline;               /* identities of the untouched sandbox's findings; NULL: taken
	                                   in this sandbox (and handed back as "baseline") */
	struct rs_scan_packages *host_packages; /* the host's package databases, loaded (NULL: each
	                                   sandbox scan reads its own; see atomic_scan.h) */
} rs_atomic_job;

/* Runs JOB; returns the result object (status "ran", "skipped" or
 * "error"), never NULL. A result of a fresh baseline carries it under
 * "baseline" (an array of identities) for the caller to reuse. */
json_t *rs_atomic_run(const rs_atomic_job *job);

#endif
