/*
 * scan.h — the scan engine: collects the facts once, runs the selected
 * modules in turn, counts what they emit and fans each finding out to the
 * sinks, then computes the summary (score, exit status).
 *
 * A module is a name and a run function. It reads scan->host, scan->facts
 * and scan->config, emits findings with rs_scan_emit (thread-safe; the scan
 * takes ownership) and fills its own counters in STATS.
 *
 * Modules marked concurrent that follow each other in the registry
 * (rootkit, persist, integrity) run side by side, each in its own thread;
 * what each emits is held back and handed to the sinks once it and every
 * module before it have ended, so the output is the same as run in turn.
 */
#ifndef RS_SCAN_H
#define RS_SCAN_H

#include "collect/facts.h"
#include "collect/pkgfiles.h"
#include "core/config.h"
#include "core/finding.h"
#include "core/host.h"
#include "core/sink.h"
#include "core/summary.h"
#include "core/util.h"

#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>

struct rs_store;

typedef struct rs_module_stats {
	unsigned long long files;    /* files examined */
	unsigned long long bytes;    /* bytes read */
	bool reads_files;            /* files and bytes are reported even when 0 (a cached rescan) */
	unsigned long long checks;   /* checks evaluated */
	unsigned long long skipped;  /* files or checks skipped (size, type, not applicable) */
	unsigned long long errors;   /* things that could not be read or evaluated */
	const char *not_applicable;  /* set when the whole module does not apply, with the reason */
	int score;                   /* the module's own 0–100 score (audit: hardening), -1 for none */
	json_t *extra;               /* module-specific counters merged into its summary object
	                                (e.g. {"skipped_reasons":{…}, "categories":{…}}); the engine frees it */
} rs_module_stats;

typedef struct rs_scan {
	const rs_host *host;
	const rs_facts *facts;
	const rs_config *config;
	struct rs_store *store;     /* the scan store, NULL with --no-db: modules keep their own
	                               tables there (file cache, feeds); findings go through emit */
	/* private to the engine */
	rs_sinks *sinks;
	const char *scan_id;
	pthread_mutex_t lock;
	unsigned long counts[RS_SEV_COUNT];
	unsigned long module_findings;
	struct rs_progress *meter; /* the progress line (engine/progress.h), shared by the modules */
	int progress_slot;         /* this module's part of it */
	bool all;
	rs_vec *held;          /* findings and checks held back while modules run side
	                          by side (NULL: straight to the sinks) */
	struct rs_scan_packages *pkgfiles; /* the package file databases, loaded once (packages.h) */
} rs_scan;

typedef struct rs_module {
	const char *name;
	const char *description;
	int (*run)(rs_scan *scan, rs_module_stats *stats);
	bool concurrent;    /* may run beside the other concurrent modules: reads only
	                       what it is given, shares nothing else but the store */
	bool loads_packages; /* reads the package file database on every run: when it is
	                        selected, the database loads in a thread from the scan's
	                        start, beside the facts */
} rs_module;

/* The package file database of the scanned host (collect/pkgfiles.h),
 * loaded by the first module that asks and shared read-only by all of them
 * until the scan ends (never NULL; possibly empty). *PROBLEMS (may be NULL)
 * gets the number of problems its loading warned about. Thread-safe. */
const rs_pkgfiles *rs_scan_pkgfiles(rs_scan *scan, int *problems);
/* rpm's files (of rs_rpm_file, collect/rpmfiles.h), likewise shared. */
const rs_vec *rs_scan_rpm_files(rs_scan *scan, int *problems);
/* The package (dpkg or rpm) that owns PATH, or NULL. Thread-safe. */
const char *rs_scan_package_owner(rs_scan *scan, const char *path);
/* True when a package database lists files (ownership verdicts apply). */
bool rs_scan_has_packages(rs_scan *scan);

/* Hands F to every sink and frees it. Thread-safe. */
void rs_scan_emit(rs_scan *scan, rs_finding *f);
/* Records the result of one evaluated check ("passed", "failed" or
 * "not_applicable", with the reason). Passed and not-applicable checks are
 * not findings; with --all every result reaches the sinks as a FORMATS.md
 * "type":"check" object. Thread-safe. */
void rs_scan_check(rs_scan *scan, const char *module, const char *rule, const char *title,
		   const char *result, const char *reason);

/* The running module's state on the progress line ("probing 4194304 pids"),
 * shown when stderr is a terminal; cheap to call often. */
void rs_scan_progress(rs_scan *scan, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The module's counts on the progress line (engine/progress.h): FILES and
 * BYTES more found (FINAL: all are found), FILES and BYTES more done while
 * working on CURRENT, or absolute counts for a total known from the start. */
void rs_scan_progress_found(rs_scan *scan, unsigned long long files, unsigned long long bytes, bool final);
void rs_scan_progress_done(rs_scan *scan, unsigned long long files, unsigned long long bytes, const char *current);
void rs_scan_progress_set(rs_scan *scan, unsigned long long done, unsigned long long total);

typedef struct rs_scan_options {
	char **only;        /* module names to run (NULL: all) */
	size_t n_only;
	char **skip;        /* module names not to run */
	size_t n_skip;
	bool progress;      /* progress lines on a terminal */
	bool all;           /* every evaluated check to the sinks, not only findings */
	struct rs_store *store; /* handed to modules as scan->store (may be NULL) */
	rs_vec *prelude;    /* rs_finding *: emitted before any module runs (rasoat's own
	                       start-up checks); the scan takes them and empties it. May be NULL. */
	struct rs_scan_packages *packages; /* the package databases, when the caller shares one
	                       load between several scans of one host (drill atomic's checks);
	                       NULL: the scan loads them when a module first asks */
} rs_scan_options;

/* Sets SCAN up for HOST, FACTS and CONFIG, its findings to SINKS under
 * SCAN_ID: counters at zero, no store, no progress line, no held output, no
 * package databases (a caller that runs modules itself, as the drills do,
 * sets scan->pkgfiles). rs_scan_run sets up its scans with it. Free with
 * rs_scan_free. */
void rs_scan_init(rs_scan *scan, const rs_host *host, const rs_facts *facts, const rs_config *config,
		  rs_sinks *sinks, const char *scan_id);
/* Frees what rs_scan_init set up (not the host, facts, config or sinks). */
void rs_scan_free(rs_scan *scan);

/* The registered modules, in the order they run. */
const rs_module *const *rs_modules(size_t *count);
const rs_module *rs_module_find(const char *name);
/* Checks that every name in OPTS is a module; prints an error and returns -1 otherwise. */
int rs_scan_check_options(const rs_scan_options *opts);

/* Runs a scan of HOST into SINKS; fills SUMMARY (the caller frees it).
 * FACTS may be given (already collected) or NULL to collect them here.
 * Returns the exit status (0, 1) or 2 on an error that stopped the scan. */
int rs_scan_run(const rs_host *host, const rs_config *config, const rs_scan_options *opts,
		rs_facts *facts, rs_sinks *sinks, rs_summary *summary);

#endif
