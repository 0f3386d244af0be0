/*
 * fim.h — the file-integrity baseline of `rasoat fim` in the scan store
 * (tables fim_baseline and fim_paths, migration v4): per scanned root, the
 * paths that were walked and one row per entry with its hash, size, mode,
 * owner, times and link target.
 */
#ifndef RS_STORE_FIM_H
#define RS_STORE_FIM_H

#include "store/store.h"
#include "core/util.h"

#include <stdbool.h>

typedef struct rs_fim_entry {
	char *path;
	char type[8];        /* "file", "dir", "link", "other" */
	char sha256[65];     /* "" for non-files and files over the size limit */
	long long size, mode, uid, gid, mtime, ctime;
	char *link;          /* the target of a symlink, NULL otherwise */
} rs_fim_entry;

void rs_fim_entry_free(rs_fim_entry *e);

/* Replaces the baseline of ROOT with the given start PATHS; entries follow
 * with rs_fim_put and rs_fim_commit ends it (one transaction). 0 or -1. */
int rs_fim_begin(rs_store *store, const char *root, char *const *paths, size_t n_paths);
int rs_fim_put(rs_store *store, const char *root, const rs_fim_entry *e);
/* rs_fim_put for N entries with one prepared statement. 0 or -1. */
int rs_fim_put_many(rs_store *store, const char *root, const rs_fim_entry *entries, size_t n);
int rs_fim_commit(rs_store *store);
void rs_fim_rollback(rs_store *store);

/* The start paths recorded for ROOT (of char *); empty when no baseline. */
int rs_fim_load_paths(rs_store *store, const char *root, rs_vec *paths);
/* Every baseline entry of ROOT, sorted by path (of rs_fim_entry). */
int rs_fim_load(rs_store *store, const char *root, rs_vec *entries);

#endif
