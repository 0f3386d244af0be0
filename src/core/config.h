/*
 * config.h — settings from /etc/rasoat/rasoat.conf (or --config), which
 * command-line options then override. The file is "key = value" lines;
 * "#" starts a comment. Keys:
 *
 *   exclude = GLOB          (repeatable) paths not to walk or read
 *   rules = DIR             (repeatable) extra rule and IOC directories
 *   max_size = N[K|M|G]     largest file read by content scanners (default 64M)
 *   threads = N             worker threads, 0 = one per core (default 0)
 *   timeout = SECONDS       YARA time limit per file, 1 to 86400 (default 60)
 *   fail_on = SEVERITY|none exit 1 at or above this severity (default high)
 *   db = PATH               the scan store (default /var/lib/rasoat/rasoat.db)
 *   one_file_system = yes|no  do not cross mount points when walking (default no)
 *   recent_days = N         what counts as a recent change (default 7)
 *   webroot_recent_days = N hunt: a webshell match on a file no package owns, modified
 *                           within N days under a web root, is raised a step (default 30;
 *                           0 turns it off)
 *   waivers = PATH          accepted audit checks (default /etc/rasoat/waivers)
 *   iocs = FILE             (repeatable) hunt: an outside IOC list (CSV, plain, STIX, MISP)
 *   iocs_all = yes|no       hunt: also MISP attributes with to_ids false (default no)
 *   lang = vi|en            the language of messages and reports (else the locale;
 *                           the global --lang option wins)
 *   devices = DIR           (repeatable) device: network-device configurations to assess
 *                           when the command line names none (an NMS export directory)
 *
 * An unknown key or a bad value is an error naming the file and line.
 */
#ifndef RS_CONFIG_H
#define RS_CONFIG_H

#include "core/finding.h"

#include <stdbool.h>
#include <stddef.h>

#define RS_DEFAULT_CONFIG "/etc/rasoat/rasoat.conf"
#define RS_DEFAULT_TIMEOUT 60
#define RS_MAX_TIMEOUT 86400
#define RS_DEFAULT_DB "/var/lib/rasoat/rasoat.db"

typedef struct rs_config {
	char **excludes;
	size_t n_excludes;
	char **rule_dirs;
	size_t n_rule_dirs;
	unsigned long long max_size;
	int threads;
	int timeout;               /* hunt: YARA seconds per file */
	rs_severity fail_on;
	bool fail_never;           /* fail_on = none */
	char *db_path;
	bool one_file_system;
	int recent_days;
	int webroot_recent_days;    /* hunt: see webroot_recent_days above */
	char *waivers_path;        /* NULL: $RASOAT_WAIVERS or /etc/rasoat/waivers */
	char *management;          /* respond: the management server, HOST[:PORT]; NULL: none */
	char **iocs;               /* hunt: outside IOC files (--iocs, iocs =) */
	size_t n_iocs;
	char **apps;               /* vuln: application directories to inventory (apps =, --apps); none: the defaults */
	size_t n_apps;
	bool iocs_all;             /* hunt: MISP attributes with to_ids false too (--iocs-all) */
	/* set from the command line only (per run, not per host) */
	bool full;                 /* hunt: ignore the clean-file cache */
	int trust_packages;        /* hunt: skip files matching their package digest; -1 = module default */
	char **feeds;              /* vuln: feed files to import and match (--feed) */
	size_t n_feeds;
	bool no_apps;              /* vuln: no application inventory (--no-apps) */
	bool feeds_unstored;       /* vuln: match the given feeds only, never import them into
	                              the store nor load stored ones (the fleet agent: its
	                              feeds are exactly what the server pushed) */
	char **policies;           /* audit: policy files to run even where their requirements fail (--policy) */
	size_t n_policies;
	bool allow_commands;       /* audit: run c: rules of policies outside the trusted directories */
	long *pids;                /* hunt: only these processes' memory (--pid); NULL = all */
	size_t n_pids;
	char **devices;            /* device: configuration files or directories (devices =) */
	size_t n_devices;
	char **policy_dirs;        /* audit: more policy directories, run like the bundled ones
	                              (the fleet agent's pushed content, policies/) */
	size_t n_policy_dirs;
} rs_config;

void rs_config_init(rs_config *c);
void rs_config_free(rs_config *c);

/* Parses TEXT (NAME is used in messages). Returns 0, or the number of bad
 * lines after reporting each as an error; good lines are still applied. */
int rs_config_parse(rs_config *c, const char *text, size_t len, const char *name);
/* Loads PATH. A missing file is fine unless MUST_EXIST. Returns 0 or -1. */
int rs_config_load(rs_config *c, const char *path, bool must_exist);

/* Setters shared by the file and the command line; false on a bad value. */
bool rs_config_set_fail_on(rs_config *c, const char *value);
bool rs_config_set_size(unsigned long long *out, const char *value);
bool rs_config_set_timeout(rs_config *c, const char *value);
void rs_config_add_exclude(rs_config *c, const char *glob);
void rs_config_add_rule_dir(rs_config *c, const char *dir);
void rs_config_set_db(rs_config *c, const char *path);
void rs_config_add_feed(rs_config *c, const char *path);
void rs_config_add_app(rs_config *c, const char *dir);
void rs_config_add_policy(rs_config *c, const char *path);
void rs_config_add_policy_dir(rs_config *c, const char *dir);
void rs_config_add_iocs(rs_config *c, const char *path);
void rs_config_add_devices(rs_config *c, const char *path);

#endif
