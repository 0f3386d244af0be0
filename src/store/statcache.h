/*
 * statcache.h — what the store's file caches share: a table of paths with
 * the device, inode, size, modification and change times a file had when it
 * was last examined, and one value (the rule-set hash of a clean hunt, the
 * digest a package file verified against). Loaded whole into an in-memory
 * hash table at start (lookups are lock-free), added to from worker threads
 * (thread-safe), written back in one transaction at the end.
 *
 * Its users: filecache.c (hunt's clean-file cache, table file_cache) and
 * integrity_cache.c (integrity's verified digests, table integrity_cache).
 */
#ifndef RS_STATCACHE_H
#define RS_STATCACHE_H

#include <stdbool.h>
#include <sys/stat.h>

struct rs_store;

/* The table a cache lives in and the words of its warnings. */
typedef struct rs_statcache_spec {
	const char *table;         /* (path, dev, ino, size, mtime_ns, ctime_ns, VALUE, STAMP) */
	const char *value_column;  /* "rules_hash", "digest" */
	const char *stamp_column;  /* set to the time of writing: "scanned", "verified" */
	const char *what;          /* "the clean-file cache" */
	const char *if_unread;     /* "every file is scanned" */
	const char *if_unsaved;    /* "the next hunt rescans these files" */
} rs_statcache_spec;

typedef struct rs_statcache rs_statcache;

/* Loads the rows of SPEC's table, only those whose value is ONLY_VALUE when
 * it is not NULL. STORE NULL: an empty cache that saves nothing; LOAD false:
 * an empty cache that still saves. Never fails; problems are warnings. */
rs_statcache *rs_statcache_load(struct rs_store *store, const rs_statcache_spec *spec,
				const char *only_value, bool load);
void rs_statcache_free(rs_statcache *c);
/* Saves into STORE from now on. */
void rs_statcache_attach(rs_statcache *c, struct rs_store *store);
/* The value recorded for KEY when the file still has ST's device, inode,
 * size, mtime and ctime; NULL otherwise. */
const char *rs_statcache_unchanged(const rs_statcache *c, const char *key, const struct stat *st);
/* Records KEY with ST and VALUE, to be saved (thread-safe). */
void rs_statcache_add(rs_statcache *c, const char *key, const struct stat *st, const char *value);
/* Writes what was added (inside the store's open transaction if there is
 * one). Returns the rows written, or -1 after a warning. */
long rs_statcache_save(rs_statcache *c);
/* Marks the loaded row for KEY as seen by this run (not thread-safe: call
 * it from one thread). */
void rs_statcache_mark_seen(rs_statcache *c, const char *key);
/* Deletes from the store the loaded rows not marked seen for which
 * STALE(key, CTX) is true (inside the store's open transaction if there is
 * one). Returns the rows deleted, or -1 after a warning. */
long rs_statcache_prune(rs_statcache *c, bool (*stale)(const char *key, void *ctx), void *ctx);
/* How many rows were loaded. */
unsigned long rs_statcache_size(const rs_statcache *c);
/* Whether the cache will save (it has a store). */
bool rs_statcache_saving(const rs_statcache *c);

#endif
