/*
 * fim.c — `rasoat fim`: file-integrity monitoring like AIDE.
 *
 *   rasoat fim init [PATHS...]   walks PATHS (default: the system's binary,
 *                                boot and configuration directories) and
 *                                records each entry's SHA-256, size, mode,
 *                                owner, times and link target in the store
 *   rasoat fim check             walks the recorded paths again and reports
 *                                entries added, removed and changed
 *
 * Options: --root DIR, --db PATH, --config FILE, --exclude GLOB (the walk's
 * fnmatch globs, as in scans), --max-size N (larger files: metadata only),
 * --format text|jsonl, -q. check exits 1 when anything changed.
 */
#include "cmd/cmd.h"
#include "cmd/fim_hash.h"
#include "core/i18n.h"
#include "cmd/option_table.h"
#include "core/config.h"
#include "core/finding.h"
#include "core/host.h"
#include "core/json.h"
#include "core/log.h"
#include "core/util.h"
#include "core/walk.h"
#include "core/walk_split.h"
#include "engine/progress.h"
#include "store/fim.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { WALKERS_MAX = 16 }; /* walking threads */

enum { OPT_ROOT = 1000, OPT_DB, OPT_CONFIG, OPT_EXCLUDE, OPT_FORMAT, OPT_MAX_SIZE };

static const struct option long_options[] = {
	{ "root", required_argument, NULL, OPT_ROOT },
	{ "db", required_argument, NULL, OPT_DB },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "exclude", required_argument, NULL, OPT_EXCLUDE },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "max-size", required_argument, NULL, OPT_MAX_SIZE },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const char *const default_paths[] = { "/etc", "/usr/bin", "/usr/sbin", "/usr/local/bin",
					     "/usr/local/sbin", "/usr/lib/systemd/system", "/boot",
					     "/root/.ssh", "/bin", "/sbin" };

static void usage(void)
{
	printf(_("usage: rasoat fim init [OPTIONS] [PATHS...]\n"
	       "       rasoat fim check [OPTIONS]\n"
	       "  --root DIR       the root of the system to watch (default /)\n"
	       "  --db PATH        the store holding the baseline\n"
	       "  --exclude GLOB   paths not to record or compare (repeatable)\n"
	       "  --max-size N     larger files are compared by metadata only (default 64M)\n"
	       "  --format F       text (default) or jsonl (FORMATS.md findings and a summary)\n"
	       "  --config FILE    configuration (default %s)\n"
	       "  -q, --quiet      no progress or notes on stderr\n"), RS_DEFAULT_CONFIG);
}

typedef struct fim_walk {
	const rs_host *host;
	const rs_config *config;
	rs_vec entries;   /* rs_fim_entry */
	unsigned long long errors;
	rs_progress *meter; /* the progress line on a terminal */
	int slot;
} fim_walk;

/* What one walking thread records: its entries, hashed by its own hasher
 * (fim_hash.h), merged into the walk's when all are done. */
typedef struct fim_part {
	fim_walk *w;
	rs_vec entries;   /* rs_fim_entry */
	rs_fim_hasher *hasher; /* made on the thread that uses it (its io_uring rings are that thread's) */
	int threads;      /* its hashing threads */
} fim_part;

/* Opens the walk entry WE for hashing: by name in the directory being
 * listed (the final component not followed, a FIFO never waited on), or
 * through the root when the walk has no directory for it. -1 when it is
 * gone. *LOOKED: true when *ST is the open file's fstat; false when it has
 * not been looked at yet: then the hasher checks it is (still) a regular
 * file before reading it (fim_hash.h), in a hashing thread, so that this
 * one walks on. */
static int open_entry(const rs_host *h, const rs_walk_entry *we, struct stat *st, bool *looked)
{
	*looked = false;
	if (we->dirfd < 0) {
		int fd = rs_host_open(h, we->path, RS_OPEN_FILE | RS_OPEN_NOFOLLOW, st);
		*looked = fd >= 0;
		return fd;
	}
	return openat(we->dirfd, we->name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
}

static int visit(const rs_walk_entry *we, void *arg)
{
	fim_part *part = arg;
	fim_walk *w = part->w;
	const struct stat *st = we->st;
	rs_fim_entry *e = rs_vec_push(&part->entries);
	e->path = rs_strdup(we->path);
	snprintf(e->type, sizeof(e->type), "%s", S_ISREG(st->st_mode) ? "file" : S_ISDIR(st->st_mode) ? "dir"
						  : S_ISLNK(st->st_mode) ? "link" : "other");
	e->size = S_ISDIR(st->st_mode) ? 0 : (long long)st->st_size;
	e->mode = st->st_mode & 07777;
	e->uid = st->st_uid;
	e->gid = st->st_gid;
	e->mtime = S_ISDIR(st->st_mode) ? 0 : (long long)st->st_mtime; /* a directory's mtime moves with its entries */
	e->ctime = (long long)st->st_ctime;
	if (S_ISREG(st->st_mode) && (unsigned long long)st->st_size <= w->config->max_size) {
		if (!part->hasher)
			part->hasher = rs_fim_hasher_new(part->threads, w->config->max_size);
		struct stat own;
		bool looked;
		int fd = open_entry(w->host, we, &own, &looked);
		if (fd >= 0)
			rs_fim_hasher_add(part->hasher, part->entries.len - 1, fd, looked ? &own : NULL, e->sha256);
	}
	rs_progress_done(w->meter, w->slot, 1, S_ISREG(st->st_mode) ? (unsigned long long)st->st_size : 0, we->path);
	if (S_ISLNK(st->st_mode) && we->dirfd >= 0) {
		char target[4096];
		ssize_t n = readlinkat(we->dirfd, we->name, target, sizeof(target) - 1);
		if (n >= 0) {
			target[n] = '\0';
			e->link = rs_strdup(target);
		}
	}
	return RS_WALK_CONTINUE;
}

/* A worker's digest into its entry, once the walk is over. */
static void set_hash(void *ctx, size_t index, const char *sha256)
{
	fim_part *part = ctx;
	rs_fim_entry *e = rs_vec_at(&part->entries, index);
	snprintf(e->sha256, sizeof(e->sha256), "%s", sha256);
}

/* A walking thread is done: its hasher finishes on it (rs_walk_split.done). */
static void part_done(void *ctx)
{
	fim_part *part = ctx;
	if (part->hasher)
		rs_fim_hasher_finish(part->hasher, set_hash, part);
	part->hasher = NULL;
}

static int compare_entries(const void *a, const void *b)
{
	return strcmp(((const rs_fim_entry *)a)->path, ((const rs_fim_entry *)b)->path);
}

static void free_entries(rs_vec *v)
{
	for (size_t i = 0; i < v->len; i++)
		rs_fim_entry_free(rs_vec_at(v, i));
	rs_vec_free(v);
}

/* Walks PATHS into W->entries, with a progress line when QUIET is false and
 * stderr is a terminal; EXPECTED (may be NULL) is the baseline, whose size
 * gives the progress line its total. */
static void walk_paths(fim_walk *w, char *const *paths, size_t n, bool quiet, const rs_vec *expected)
{
	w->meter = rs_progress_new(!quiet && isatty(STDERR_FILENO), stderr);
	w->slot = rs_progress_begin(w->meter, "fim");
	if (expected && rs_progress_enabled(w->meter)) {
		unsigned long long bytes = 0;
		for (size_t i = 0; i < expected->len; i++)
			bytes += (unsigned long long)((const rs_fim_entry *)rs_vec_at(expected, i))->size;
		rs_progress_found(w->meter, w->slot, expected->len, bytes, true);
	}
	rs_walk_options opts = {
		.one_file_system = w->config->one_file_system,
		.excludes = w->config->excludes,
		.n_excludes = w->config->n_excludes,
		.errors = &w->errors,
	};
	/* the walk split over threads (core/walk_split.h), each hashing what
	 * it finds with a hasher of its own: one hashing worker each (a
	 * walking thread waits on the directories and inodes it looks up,
	 * the worker on the files' data), the configured threads walking */
	int walkers = rs_thread_count(w->config->threads, WALKERS_MAX);
	int per_walker = walkers > 1 ? 2 : 1;
	fim_part parts[WALKERS_MAX];
	void *ctxs[WALKERS_MAX];
	for (int t = 0; t < walkers; t++) {
		parts[t] = (fim_part){ .w = w, .threads = per_walker };
		rs_vec_init(&parts[t].entries, sizeof(rs_fim_entry));
		ctxs[t] = &parts[t];
	}
	/* start paths absent now are left out: their recorded entries show as
	 * removed; one that is a symlink (/bin on merged /usr) is recorded, not
	 * followed */
	rs_vec trees;
	rs_vec_init(&trees, sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (rs_host_lstat(w->host, paths[i], &st) == 0)
			*(char **)rs_vec_push(&trees) = paths[i];
	}
	rs_walk_split split = { .host = w->host, .trees = trees.items, .n_trees = trees.len, .opts = &opts,
				.level = walkers > 1 ? 3 : 0, .threads = walkers, .fn = visit, .ctxs = ctxs,
				.done = part_done };
	rs_walk_split_run(&split);
	rs_vec_free(&trees);
	for (int t = 0; t < walkers; t++) {
		part_done(&parts[t]); /* a thread that could not be started walked nothing */
		for (size_t i = 0; i < parts[t].entries.len; i++)
			*(rs_fim_entry *)rs_vec_push(&w->entries) = *(rs_fim_entry *)rs_vec_at(&parts[t].entries, i);
		rs_vec_free(&parts[t].entries);
	}
	rs_progress_free(w->meter);
	w->meter = NULL;
	qsort(w->entries.items, w->entries.len, sizeof(rs_fim_entry), compare_entries);
}

static void add_difference(char *out, size_t size, bool differs, const char *name)
{
	if (!differs)
		return;
	size_t used = strlen(out);
	snprintf(out + used, size - used, "%s%s", used ? "," : "", name);
}

/* The attributes that differ, comma-separated, or "" when none. */
static void differences(const rs_fim_entry *a, const rs_fim_entry *b, char *out, size_t size)
{
	out[0] = '\0';
	add_difference(out, size, strcmp(a->type, b->type) != 0, "type");
	add_difference(out, size, strcmp(a->sha256, b->sha256) != 0, "sha256");
	add_difference(out, size, a->size != b->size, "size");
	add_difference(out, size, a->mode != b->mode, "mode");
	add_difference(out, size, a->uid != b->uid || a->gid != b->gid, "owner");
	add_difference(out, size, a->mtime != b->mtime, "mtime");
	add_difference(out, size, (a->link == NULL) != (b->link == NULL) ||
				  (a->link && strcmp(a->link, b->link) != 0), "link");
}

static bool binary_place(const char *path)
{
	return rs_starts_with(path, "/usr/bin/") || rs_starts_with(path, "/usr/sbin/") ||
	       rs_starts_with(path, "/bin/") || rs_starts_with(path, "/sbin/") || rs_starts_with(path, "/boot/") ||
	       rs_starts_with(path, "/usr/local/bin/") || rs_starts_with(path, "/usr/local/sbin/") ||
	       rs_starts_with(path, "/root/.ssh/") || rs_starts_with(path, "/etc/pam.d/") ||
	       rs_starts_with(path, "/etc/sudoers") || rs_starts_with(path, "/etc/ld.so.preload");
}

typedef struct fim_out {
	FILE *fp;
	bool jsonl;
	unsigned long counts[RS_SEV_COUNT];
	unsigned long added, removed, changed;
} fim_out;

static void report(fim_out *o, const char *kind, const rs_fim_entry *e, const char *what)
{
	rs_severity sev = binary_place(e->path) ? RS_SEV_MEDIUM : RS_SEV_LOW;
	if (strcmp(kind, "removed") == 0 && sev == RS_SEV_MEDIUM)
		sev = RS_SEV_LOW;
	o->counts[sev]++;
	if (!o->jsonl) {
		/* the kind as a reader sees it; jsonl keeps the rule's word */
		const char *shown = !strcmp(kind, "added")     ? _("added")
				    : !strcmp(kind, "removed") ? _("removed")
							       : _("changed");
		fprintf(o->fp, "%-8s", shown);
		fprintf(o->fp, " %s%s%s%s\n", e->path, what ? " (" : "", what ? what : "", what ? ")" : "");
		return;
	}
	char *rule = rs_sprintf("rasoat:fim.%s", kind);
	char *title = what ? rs_sprintf("%s %s: %s", e->path, kind, what) : rs_sprintf("%s %s", e->path, kind);
	rs_finding *f = rs_finding_new("fim", rule, sev, -1, title);
	rs_finding_set_str(f, "path", e->path);
	rs_finding_set_str(f, "type", e->type);
	if (e->sha256[0])
		rs_finding_set_str(f, "sha256", e->sha256);
	if (what)
		rs_finding_set_str(f, "changed", what);
	rs_finding_add_attack(f, strcmp(kind, "removed") == 0 ? "T1070.004" : "T1565.001");
	rs_finding_set_remediation(f, "Confirm the change with whoever administers the host (a package "
				      "update, a deployment); then record a new baseline with rasoat fim init.");
	json_t *j = rs_finding_to_json(f, NULL);
	char *line = json_dumps(j, JSON_COMPACT);
	fprintf(o->fp, "%s\n", line);
	free(line);
	json_decref(j);
	rs_finding_free(f);
	free(rule);
	free(title);
}

static int check(const rs_host *host, const rs_config *config, rs_store *store, const char *root, bool jsonl,
		 bool quiet)
{
	rs_vec paths, base;
	rs_vec_init(&paths, sizeof(char *));
	rs_vec_init(&base, sizeof(rs_fim_entry));
	long long started = rs_monotonic_ms();
	char started_at[32];
	rs_now_iso8601(started_at, sizeof(started_at));
	if (rs_fim_load_paths(store, root, &paths) < 0 || rs_fim_load(store, root, &base) < 0) {
		rs_vec_free(&paths);
		return 2;
	}
	if (paths.len == 0) {
		rs_error(_("no baseline for root %s; record one first with `rasoat fim init`"), root);
		rs_vec_free(&paths);
		free_entries(&base);
		return 2;
	}
	fim_walk w = { .host = host, .config = config };
	rs_vec_init(&w.entries, sizeof(rs_fim_entry));
	walk_paths(&w, (char *const *)paths.items, paths.len, quiet, &base);
	fim_out o = { .fp = stdout, .jsonl = jsonl };
	size_t i = 0, k = 0;
	char what[128];
	while (i < base.len || k < w.entries.len) {
		const rs_fim_entry *b = i < base.len ? rs_vec_at(&base, i) : NULL;
		const rs_fim_entry *c = k < w.entries.len ? rs_vec_at(&w.entries, k) : NULL;
		int cmp = !b ? 1 : !c ? -1 : strcmp(b->path, c->path);
		if (b && rs_walk_excluded(b->path, config->excludes, config->n_excludes) && cmp <= 0) {
			i++;
			if (cmp == 0)
				k++;
			continue;
		}
		if (cmp < 0) {
			o.removed++;
			report(&o, "removed", b, NULL);
			i++;
		} else if (cmp > 0) {
			o.added++;
			report(&o, "added", c, NULL);
			k++;
		} else {
			differences(b, c, what, sizeof(what));
			if (what[0]) {
				o.changed++;
				report(&o, "changed", c, what);
			}
			i++;
			k++;
		}
	}
	bool any = o.added || o.removed || o.changed;
	if (jsonl) {
		char *hostname = NULL;
		size_t hlen;
		if (rs_host_read(host, "/etc/hostname", 256, &hostname, &hlen) < 0)
			hostname = NULL;
		json_t *s = json_pack("{s:s, s:s, s:I, s:{s:{s:I, s:I, s:I, s:I, s:I, s:I}}, s:{s:I, s:I, s:I, s:I, s:I}, s:i}",
				      "type", "summary", "root", root, "duration_ms", (json_int_t)(rs_monotonic_ms() - started),
				      "modules", "fim", "files", (json_int_t)w.entries.len, "baseline", (json_int_t)base.len,
				      "added", (json_int_t)o.added, "removed", (json_int_t)o.removed,
				      "changed", (json_int_t)o.changed, "errors", (json_int_t)w.errors,
				      "counts", "critical", (json_int_t)o.counts[RS_SEV_CRITICAL],
				      "high", (json_int_t)o.counts[RS_SEV_HIGH], "medium", (json_int_t)o.counts[RS_SEV_MEDIUM],
				      "low", (json_int_t)o.counts[RS_SEV_LOW], "info", (json_int_t)o.counts[RS_SEV_INFO],
				      "exit", any ? 1 : 0);
		json_object_set_new(s, "host", rs_json_string(hostname ? rs_trim(hostname) : ""));
		json_object_set_new(s, "started", json_string(started_at));
		free(hostname);
		char *line = json_dumps(s, JSON_COMPACT);
		printf("%s\n", line);
		free(line);
		json_decref(s);
	} else if (!quiet) {
		fprintf(stderr, _("fim: %lu added, %lu removed, %lu changed (%zu entries now, %zu in the baseline)\n"),
			o.added, o.removed, o.changed, w.entries.len, base.len);
	}
	free_entries(&w.entries);
	free_entries(&base);
	for (size_t p = 0; p < paths.len; p++)
		free(*(char **)rs_vec_at(&paths, p));
	rs_vec_free(&paths);
	return any ? 1 : 0;
}

static int init(const rs_host *host, const rs_config *config, rs_store *store, const char *root,
		char **paths, size_t n, bool quiet)
{
	for (size_t i = 0; i < n; i++) {
		if (paths[i][0] != '/') {
			rs_error(_("fim init %s: give absolute paths as the watched system names them"), paths[i]);
			return 2;
		}
	}
	fim_walk w = { .host = host, .config = config };
	rs_vec_init(&w.entries, sizeof(rs_fim_entry));
	walk_paths(&w, paths, n, quiet, NULL);
	int rc = rs_fim_begin(store, root, paths, n); /* rolls back itself on failure */
	if (rc == 0)
		rc = rs_fim_put_many(store, root, w.entries.items, w.entries.len);
	if (rc == 0)
		rc = rs_fim_commit(store);
	else if (w.entries.len)
		rs_fim_rollback(store);
	if (rc == 0 && !quiet)
		fprintf(stderr, _("fim: recorded %zu entries under %zu paths (%llu unreadable directories)\n"),
			w.entries.len, n, w.errors);
	free_entries(&w.entries);
	return rc == 0 ? 0 : 2;
}

int rs_cmd_fim(int argc, char **argv)
{
	if (argc < 2 || (strcmp(argv[1], "init") && strcmp(argv[1], "check"))) {
		if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
			usage();
			return 0;
		}
		rs_error(_("fim: say `rasoat fim init [PATHS]` or `rasoat fim check`"));
		return 2;
	}
	bool is_init = strcmp(argv[1], "init") == 0;
	const char *root = "/", *config_file = NULL, *format = "text";
	bool quiet = false;
	rs_config config;
	rs_config_init(&config);
	/* the configuration file first, so that the command line overrides it */
	for (int i = 2; i + 1 < argc; i++)
		if (!strcmp(argv[i], "--config"))
			config_file = argv[i + 1];
	int rc = 2;
	rs_store *store = NULL;
	rs_host host;
	bool host_open = false;
	if (rs_config_load(&config, config_file ? config_file : RS_DEFAULT_CONFIG, config_file != NULL) < 0)
		goto out;
	optind = 1;
	opterr = 1;
	int c;
	while ((c = rs_getopt_long(argc - 1, argv + 1, "qh", long_options, NULL)) != -1) {
		switch (c) {
		case OPT_ROOT: root = optarg; break;
		case OPT_DB: rs_config_set_db(&config, optarg); break;
		case OPT_CONFIG: break;
		case OPT_EXCLUDE: rs_config_add_exclude(&config, optarg); break;
		case OPT_FORMAT: format = optarg; break;
		case OPT_MAX_SIZE:
			if (!rs_config_set_size(&config.max_size, optarg)) {
				rs_error(_("--max-size %s: not a size; use a number with an optional K, M or G"), optarg);
				goto out;
			}
			break;
		case 'q': quiet = true; break;
		case 'h': usage(); rc = 0; goto out;
		default: goto out;
		}
	}
	if (strcmp(format, "text") && strcmp(format, "jsonl")) {
		rs_error(_("--format %s: use text or jsonl"), format);
		goto out;
	}
	char **paths = argv + 1 + optind;
	size_t n_paths = (size_t)(argc - 1 - optind);
	if (!is_init && n_paths) {
		rs_error(_("fim check takes no paths: it checks the paths recorded by fim init"));
		goto out;
	}
	if (rs_host_init(&host, root, NULL) < 0)
		goto out;
	host_open = true;
	if (rs_store_open(config.db_path, &store) < 0)
		goto out;
	if (is_init) {
		rs_vec defaults;
		rs_vec_init(&defaults, sizeof(char *));
		if (n_paths == 0) {
			for (size_t i = 0; i < sizeof(default_paths) / sizeof(default_paths[0]); i++) {
				struct stat st;
				if (rs_host_lstat(&host, default_paths[i], &st) == 0 && S_ISDIR(st.st_mode))
					*(const char **)rs_vec_push(&defaults) = default_paths[i];
			}
			paths = (char **)defaults.items;
			n_paths = defaults.len;
		}
		rc = init(&host, &config, store, host.root, paths, n_paths, quiet);
		rs_vec_free(&defaults);
	} else {
		rc = check(&host, &config, store, host.root, strcmp(format, "jsonl") == 0, quiet);
	}
out:
	if (store)
		rs_store_close(store);
	if (host_open)
		rs_host_free(&host);
	rs_config_free(&config);
	return rc;
}
