/*
 * filecache.h — the hunt module's clean-file cache in the scan store: a
 * file found clean under a rule set (identified by its hash) is remembered
 * with its device, inode, size, modification and change times, and is not
 * read again while all of them and the rule set are unchanged.
 *
 * The cache is loaded whole into memory at the start of a hunt (lookups are
 * lock-free), new clean files are collected from the workers (thread-safe)
 * and written back at the end, when the table is also pruned: rows of
 * another rule set not written for 30 days, and rows neither written nor
 * found unchanged by a hunt for 90 days, are deleted (filecache.c).
 */
#ifndef RS_FILECACHE_H
#define RS_FILECACHE_H

#include <stdbool.h>
#include <sys/stat.h>

struct rs_store;
typedef struct rs_filecache rs_filecache;

/* Loads the entries recorded under RULES_HASH (STORE may be NULL: an empty
 * cache that saves nothing). Never fails; problems are warnings. */
rs_filecache *rs_filecache_load(struct rs_store *store, const char *rules_hash);
void rs_filecache_free(rs_filecache *c);
/* Saves into STORE from now on, whatever was loaded (--full starts empty). */
void rs_filecache_attach(rs_filecache *c, struct rs_store *store);

/* True when KEY (the file's path on this machine) was found clean with the
 * same device, inode, size, mtime and ctime as ST. */
bool rs_filecache_clean(const rs_filecache *c, const char *key, const struct stat *st);
/* Records KEY as clean now (thread-safe). */
void rs_filecache_add(rs_filecache *c, const char *key, const struct stat *st);
/* Writes what was added (inside the store's open transaction if there is
 * one), refreshes the date of old rows found unchanged and prunes the
 * table. Returns the number of rows written, or -1 after a warning. */
long rs_filecache_save(rs_filecache *c);
/* How many entries were loaded. */
unsigned long rs_filecache_size(const rs_filecache *c);

#endif
