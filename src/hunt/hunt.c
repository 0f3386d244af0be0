/*
 * hunt.c — the hunt module: YARA rules and IOCs over the files of the host
 * (or the paths `rasoat hunt` names), the memory and executables of its
 * processes, and C2 IOCs over its sockets, names and command lines. Loads
 * the rules once, then runs the file walk, the process hunt and the C2
 * checks, and reports what it skipped and why in the module summary.
 */
#include "core/i18n.h"
#include "hunt/hunt.h"
#include "hunt/iocimport.h"
#include "hunt/module.h"
#include "collect/pkgfiles.h"
#include "hunt/webconf.h"
#include "core/log.h"
#include "engine/scan.h"
#include "store/filecache.h"

#include <stdlib.h>
#include <string.h>

/* What `rasoat hunt` asks for instead of the whole host. */
static char *const *hunt_paths;
static size_t hunt_n_paths;
static bool hunt_paths_set;
static bool hunt_archives = true;
static bool iocs_unusable;

bool rs_hunt_iocs_unusable(void)
{
	return iocs_unusable;
}

void rs_hunt_set_archives(bool on)
{
	hunt_archives = on;
}

static char *const *declared_webroots;
static size_t n_declared_webroots;

void rs_hunt_set_declared_webroots(char *const *dirs, size_t n)
{
	declared_webroots = dirs;
	n_declared_webroots = n;
}

void rs_hunt_set_paths(char *const *paths, size_t n)
{
	hunt_paths = paths;
	hunt_n_paths = n;
	hunt_paths_set = paths != NULL;
}

/* The usual places of a host where programs, web content, users' files and
 * dropped files live. */
static char *const host_paths[] = {
	"/bin", "/sbin", "/usr", "/lib", "/lib64", "/lib32", "/libx32", "/opt", "/etc", "/boot",
	"/srv", "/var/www", "/var/lib", "/var/spool", "/var/tmp", "/var/opt", "/home", "/root",
	"/tmp", "/dev/shm", "/run/user",
};

/* Drops the paths that are symlinks to another one in the list (merged /usr). */
static size_t existing_paths(const rs_host *h, char **out)
{
	size_t n = 0;
	for (size_t i = 0; i < sizeof(host_paths) / sizeof(host_paths[0]); i++) {
		struct stat st;
		if (rs_host_lstat(h, host_paths[i], &st) == 0 && S_ISDIR(st.st_mode))
			out[n++] = host_paths[i];
	}
	return n;
}

/* Names in the store's directory that are rasoat's own: the database and
 * its side files, respond's journal and the quarantine (which keeps the
 * bytes of what was taken away — hunting it again would report every
 * quarantined implant on every scan). */
static const char *const own_state_files[] = {
	"", "-wal", "-shm", "-journal",
};
static const char *const own_state_names[] = {
	"journal.jsonl", "quarantine",
};
#define OWN_STATE_MAX (sizeof(own_state_files) / sizeof(own_state_files[0]) + \
		       sizeof(own_state_names) / sizeof(own_state_names[0]))

/* Adds the store's files (see above) to OUT; the store may not exist yet,
 * so its directory is resolved, not the file. */
static void add_own_state(const char *db_path, char **out, size_t *n)
{
	if (!db_path || !*db_path)
		return;
	const char *slash = strrchr(db_path, '/');
	char *dir = slash ? rs_strndup(db_path, slash == db_path ? 1 : (size_t)(slash - db_path)) : rs_strdup(".");
	const char *base = slash ? slash + 1 : db_path;
	char *real = realpath(dir, NULL);
	free(dir);
	if (!real || !*base) {
		free(real);
		return;
	}
	const char *sep = strcmp(real, "/") == 0 ? "" : "/";
	for (size_t i = 0; i < sizeof(own_state_files) / sizeof(own_state_files[0]); i++)
		out[(*n)++] = rs_sprintf("%s%s%s%s", real, sep, base, own_state_files[i]);
	for (size_t i = 0; i < sizeof(own_state_names) / sizeof(own_state_names[0]); i++)
		out[(*n)++] = rs_sprintf("%s%s%s", real, sep, own_state_names[i]);
	free(real);
}

/* The configuration's excludes, and — on the live host — rasoat's own
 * content: the rule directories and the rules cache in use (its own
 * signatures hold every string its rules look for), and the store's files. */
static char **hunt_excludes(const rs_scan *scan, char *const *dirs, size_t n_dirs, const char *cache_dir,
			    size_t *n)
{
	const rs_config *config = scan->config;
	char **out = rs_calloc(config->n_excludes + n_dirs + 2 + OWN_STATE_MAX, sizeof(char *));
	*n = 0;
	for (size_t i = 0; i < config->n_excludes; i++)
		out[(*n)++] = rs_strdup(config->excludes[i]);
	if (strcmp(scan->host->root, "/") != 0)
		return out;
	for (size_t i = 0; i < n_dirs + 1; i++) {
		const char *dir = i < n_dirs ? dirs[i] : cache_dir;
		char *real = dir ? realpath(dir, NULL) : NULL;
		if (real && strcmp(real, "/") != 0)
			out[(*n)++] = real;
		else
			free(real);
	}
	add_own_state(config->db_path, out, n);
	return out;
}

static json_t *counts_json(const rs_hunt_counts *c, const rs_hunt_rules *r)
{
	json_t *skipped = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}",
		"unchanged_since_clean", (json_int_t)c->cached,
		"package_verified", (json_int_t)c->trusted,
		"too_large", (json_int_t)c->too_large,
		"not_regular", (json_int_t)c->not_regular,
		"symlink", (json_int_t)c->symlinks,
		"vanished", (json_int_t)c->vanished,
		"changed_while_read", (json_int_t)c->changed,
		"unreadable", (json_int_t)c->unreadable,
		"excluded_pseudo_or_loop", (json_int_t)c->walk_skipped);
	json_t *errors = json_pack("{s:I,s:I,s:I,s:I,s:I}",
		"timeouts", (json_int_t)c->timeouts,
		"too_many_matches", (json_int_t)c->too_many_matches,
		"scan_errors", (json_int_t)c->scan_errors,
		"unreadable", (json_int_t)c->unreadable,
		"unreadable_directories", (json_int_t)c->walk_errors);
	return json_pack("{s:o,s:o,s:I,s:I,s:I,s:I,s:I,s:I,s:{s:I,s:I,s:I,s:b,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:s}}",
		"skipped_reasons", skipped,
		"scan_errors", errors,
		"matched", (json_int_t)c->matched,
		"archives", (json_int_t)c->archives,
		"archive_members", (json_int_t)c->archive_members,
		"processes", (json_int_t)c->processes,
		"process_bytes", (json_int_t)c->process_bytes,
		"c2_checked", (json_int_t)c->c2_checked,
		"rules",
		"yara_files", (json_int_t)r->yara_files,
		"yara_files_skipped", (json_int_t)r->yara_bad,
		"yara_rules", (json_int_t)r->yara_rules,
		"from_cache", r->from_cache,
		"class_sets", (json_int_t)rs_rule_variants_made(r->variants),
		"hash_iocs", (json_int_t)r->hashes.items.len,
		"filename_iocs", (json_int_t)r->names.items.len,
		"c2_iocs", (json_int_t)(r->c2.nets.len + r->c2.domains.len),
		"ioc_files", (json_int_t)r->ioc_files,
		"ioc_bad_lines", (json_int_t)r->ioc_bad_lines,
		"iocs_imported", (json_int_t)r->iocs_imported,
		"iocs_skipped", (json_int_t)r->iocs_skipped,
		"hash", r->hash);
}

static int hunt_run(rs_scan *scan, rs_module_stats *stats)
{
	const rs_config *config = scan->config;
	const char *bundled = rs_hunt_default_rules_dir();
	size_t n_dirs = 0;
	char **dirs = rs_calloc(config->n_rule_dirs + 1, sizeof(char *));
	if (bundled)
		dirs[n_dirs++] = (char *)bundled;
	else
		rs_warn(_("hunt: the bundled rules were not found (set RASOAT_RULES to the rules/ directory)"));
	for (size_t i = 0; i < config->n_rule_dirs; i++)
		dirs[n_dirs++] = config->rule_dirs[i];
	char *cache_dir = rs_hunt_cache_dir();
	rs_hunt_rules rules;
	int rc = rs_hunt_rules_load(&rules, dirs, n_dirs, cache_dir);
	iocs_unusable = false;
	if (rc == 0 && config->n_iocs &&
	    rs_hunt_import_iocs(&rules, config->iocs, config->n_iocs, config->iocs_all) < 0) {
		rs_error(_("hunt: none of the --iocs files gave an IOC to hunt; fix them (see the messages above)"));
		iocs_unusable = true;
		rc = -1;
	}
	size_t n_excludes = 0;
	char **excludes = hunt_excludes(scan, dirs, n_dirs, cache_dir, &n_excludes);
	free(cache_dir);
	free(dirs);
	if (rc < 0) {
		stats->errors++;
		rs_hunt_rules_free(&rules);
		for (size_t i = 0; i < n_excludes; i++)
			free(excludes[i]);
		free(excludes);
		return -1;
	}

	bool whole_host = !hunt_paths_set;
	bool trust = config->trust_packages < 0 ? whole_host : config->trust_packages > 0;
	/* the scan's package file database, shared with the deep modules */
	const rs_pkgfiles *pkgs = trust ? rs_scan_pkgfiles(scan, NULL) : NULL;
	/* --full: nothing is skipped as unchanged, but what is found clean is recorded */
	rs_filecache *cache = rs_filecache_load(config->full ? NULL : scan->store, rules.hash);
	rs_filecache_attach(cache, scan->store);

	char *defaults[sizeof(host_paths) / sizeof(host_paths[0])];
	rs_hunt_options opts = {
		.trusted = pkgs,
		.cache = cache,
		.excludes = excludes,
		.n_excludes = n_excludes,
		.archives = hunt_archives,
		.timeout = config->timeout,
	};
	if (whole_host) {
		opts.paths = defaults;
		opts.n_paths = existing_paths(scan->host, defaults);
	} else {
		opts.paths = hunt_paths;
		opts.n_paths = hunt_n_paths;
	}
	rs_hunt_counts counts = { 0 };
	/* the directories the host's web servers serve, for the webshell verdicts */
	rs_webroots served;
	rs_webroots_init(&served);
	rs_webroots_load(&served, scan->host);
	for (size_t i = 0; i < n_declared_webroots; i++)
		rs_webroots_add(&served, "/", declared_webroots[i], strlen(declared_webroots[i]));
	rs_hunt_set_webroots(&served);
	rs_hunt_set_fresh_days(config->webroot_recent_days);
	/* --pid: those processes only */
	bool only_pids = config->n_pids > 0;
	if (!only_pids)
		rs_hunt_files(scan, &rules, &opts, &counts);
	if (only_pids || (whole_host && scan->host->live))
		rs_hunt_processes(scan, &rules, &counts);
	/* with --iocs, `rasoat hunt PATH` checks the host's connections and names too */
	if (!only_pids && (whole_host || config->n_iocs))
		rs_hunt_c2(scan, &rules, &counts);
	rs_filecache_save(cache);

	stats->reads_files = true;
	stats->files = counts.files;
	stats->bytes = counts.bytes + counts.process_bytes;
	stats->checks = counts.files + counts.archive_members + counts.processes;
	stats->skipped = counts.cached + counts.trusted + counts.too_large + counts.not_regular +
			 counts.vanished + counts.walk_skipped;
	stats->errors = counts.unreadable + counts.walk_errors + counts.timeouts + counts.too_many_matches +
			counts.scan_errors + rules.yara_bad;
	stats->extra = counts_json(&counts, &rules);
	rs_hunt_set_webroots(NULL);
	rs_webroots_free(&served);
	rs_filecache_free(cache);
	for (size_t i = 0; i < n_excludes; i++)
		free(excludes[i]);
	free(excludes);
	rs_hunt_rules_free(&rules);
	return 0;
}

const rs_module rs_module_hunt = {
	.name = "hunt",
	.description = "malware: YARA and IOC scanning of files and process memory",
	.run = hunt_run,
};
