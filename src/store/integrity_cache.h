/*
 * integrity_cache.h — the integrity module's verified-digest cache in the
 * scan store (table integrity_cache, migration v5): a package file whose
 * content matched the digest the package database recorded is remembered
 * with that digest and its device, inode, size, modification and change
 * times, and is not read again while all of them are unchanged.
 *
 * Why this is sound: any write to a file's content through the file system
 * updates its ctime, and ctime cannot be set back by an unprivileged user
 * (utimensat sets atime and mtime only); a root attacker can forge anything
 * a scan on the same kernel could see anyway. A file that did not verify is
 * never cached: it is re-checked every run. --full ignores the cache.
 *
 * The cache is loaded whole into memory in one query (lookups from the
 * worker threads are lock-free reads), verified files are collected from
 * the workers (thread-safe) and written back in one transaction. Rows of
 * files that are gone, or that a complete run over the same root no longer
 * lists, are deleted (rs_integrity_cache_prune), so the table does not grow
 * with every package upgrade.
 */
#ifndef RS_INTEGRITY_CACHE_H
#define RS_INTEGRITY_CACHE_H

#include <stdbool.h>
#include <sys/stat.h>

struct rs_store;
struct rs_host;
typedef struct rs_integrity_cache rs_integrity_cache;

/* Loads every entry of STORE (NULL: an empty cache that saves nothing).
 * With FULL nothing is loaded but verified files are still saved. Never
 * fails; problems are warnings. */
rs_integrity_cache *rs_integrity_cache_load(struct rs_store *store, bool full);
void rs_integrity_cache_free(rs_integrity_cache *c);

/* True when KEY (the file's path on this machine) was verified against
 * DIGEST (hex, as recorded) with the same device, inode, size, mtime and
 * ctime as ST. */
bool rs_integrity_cache_unchanged(const rs_integrity_cache *c, const char *key, const struct stat *st,
				  const char *digest);
/* Records KEY as verified against DIGEST now, unless it was already cached
 * unchanged (thread-safe). */
void rs_integrity_cache_add(rs_integrity_cache *c, const char *key, const struct stat *st,
			    const char *digest);
/* Writes what was added in one transaction (inside the store's open one if
 * there is one). Returns the rows written, or -1 after a warning. */
long rs_integrity_cache_save(rs_integrity_cache *c);
/* Marks KEY as a file this run found (call from one thread). */
void rs_integrity_cache_seen(rs_integrity_cache *c, const char *key);
/* After a complete run over the package files of HOST: deletes the rows
 * the run did not mark seen that belong to HOST's root (keys under the
 * --root prefix) or, on the live host (root "/"), whose file is gone.
 * Rows of other roots stay. Returns the rows deleted, or -1 after a
 * warning. */
long rs_integrity_cache_prune(rs_integrity_cache *c, const struct rs_host *host);
/* How many entries were loaded. */
unsigned long rs_integrity_cache_size(const rs_integrity_cache *c);

#endif
