/*
 * fim.c — reading and writing the `rasoat fim` baseline in the scan store.
 */
#include "core/log.h"
#include "core/i18n.h"
#include "store/fim.h"
#include "store/store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rs_fim_entry_free(rs_fim_entry *e)
{
	free(e->path);
	free(e->link);
	e->path = e->link = NULL;
}

int rs_fim_begin(rs_store *store, const char *root, char *const *paths, size_t n_paths)
{
	if (rs_store_exec(store, "BEGIN IMMEDIATE") < 0) {
		rs_error(_("%s: cannot start the baseline: %s"), store->path, sqlite3_errmsg(store->db));
		return -1;
	}
	/* a whole system's baseline (200,000 rows and their key index, about
	 * 60 MB) written in one transaction: with the default 2 MB page
	 * cache SQLite spills pages to the WAL and reads them back, about
	 * 130,000 extra system calls; a larger cache for this connection
	 * writes each page once, at the commit */
	rs_store_exec(store, "PRAGMA cache_size = -131072");
	sqlite3_stmt *del = rs_store_prepare(store, "DELETE FROM fim_baseline WHERE root = ?1");
	sqlite3_stmt *delp = rs_store_prepare(store, "DELETE FROM fim_paths WHERE root = ?1");
	sqlite3_stmt *add = rs_store_prepare(store, "INSERT OR REPLACE INTO fim_paths VALUES (?1, ?2, datetime('now'))");
	int rc = del && delp && add ? 0 : -1;
	if (rc == 0) {
		rs_store_bind_text(del, 1, root);
		rs_store_bind_text(delp, 1, root);
		rc = sqlite3_step(del) == SQLITE_DONE && sqlite3_step(delp) == SQLITE_DONE ? 0 : -1;
		for (size_t i = 0; rc == 0 && i < n_paths; i++) {
			sqlite3_reset(add);
			rs_store_bind_text(add, 1, root);
			rs_store_bind_text(add, 2, paths[i]);
			rc = sqlite3_step(add) == SQLITE_DONE ? 0 : -1;
		}
	}
	sqlite3_finalize(del);
	sqlite3_finalize(delp);
	sqlite3_finalize(add);
	if (rc < 0) {
		rs_error(_("%s: cannot write the baseline: %s"), store->path, sqlite3_errmsg(store->db));
		rs_fim_rollback(store);
	}
	return rc;
}

static const char put_sql[] = "INSERT OR REPLACE INTO fim_baseline VALUES "
			       "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, datetime('now'))";

static int put_row(rs_store *store, sqlite3_stmt *st, const char *root, const rs_fim_entry *e)
{
	sqlite3_reset(st);
	rs_store_bind_text(st, 1, root);
	rs_store_bind_text(st, 2, e->path);
	rs_store_bind_text(st, 3, e->type);
	rs_store_bind_text(st, 4, e->sha256);
	sqlite3_bind_int64(st, 5, e->size);
	sqlite3_bind_int64(st, 6, e->mode);
	sqlite3_bind_int64(st, 7, e->uid);
	sqlite3_bind_int64(st, 8, e->gid);
	sqlite3_bind_int64(st, 9, e->mtime);
	sqlite3_bind_int64(st, 10, e->ctime);
	rs_store_bind_text(st, 11, e->link);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	if (rc < 0)
		rs_error(_("%s: cannot record %s: %s"), store->path, e->path, sqlite3_errmsg(store->db));
	return rc;
}

int rs_fim_put(rs_store *store, const char *root, const rs_fim_entry *e)
{
	return rs_fim_put_many(store, root, e, 1);
}

int rs_fim_put_many(rs_store *store, const char *root, const rs_fim_entry *entries, size_t n)
{
	sqlite3_stmt *st = rs_store_prepare(store, put_sql);
	if (!st)
		return -1;
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = put_row(store, st, root, &entries[i]);
	sqlite3_finalize(st);
	return rc;
}

int rs_fim_commit(rs_store *store)
{
	if (rs_store_exec(store, "COMMIT") < 0) {
		rs_error(_("%s: cannot save the baseline: %s"), store->path, sqlite3_errmsg(store->db));
		rs_fim_rollback(store);
		return -1;
	}
	return 0;
}

void rs_fim_rollback(rs_store *store)
{
	rs_store_exec(store, "ROLLBACK");
}

int rs_fim_load_paths(rs_store *store, const char *root, rs_vec *paths)
{
	sqlite3_stmt *st = rs_store_prepare(store, "SELECT path FROM fim_paths WHERE root = ?1 ORDER BY path");
	if (!st)
		return -1;
	rs_store_bind_text(st, 1, root);
	while (sqlite3_step(st) == SQLITE_ROW)
		*(char **)rs_vec_push(paths) = rs_strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return 0;
}

static void copy_text(char *dst, size_t size, const unsigned char *src)
{
	snprintf(dst, size, "%s", src ? (const char *)src : "");
}

int rs_fim_load(rs_store *store, const char *root, rs_vec *entries)
{
	sqlite3_stmt *st = rs_store_prepare(store,
		"SELECT path, type, sha256, size, mode, uid, gid, mtime, ctime, link FROM fim_baseline "
		"WHERE root = ?1 ORDER BY path");
	if (!st)
		return -1;
	rs_store_bind_text(st, 1, root);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const unsigned char *path = sqlite3_column_text(st, 0);
		if (!path)
			continue;
		rs_fim_entry *e = rs_vec_push(entries);
		e->path = rs_strdup((const char *)path);
		copy_text(e->type, sizeof(e->type), sqlite3_column_text(st, 1));
		copy_text(e->sha256, sizeof(e->sha256), sqlite3_column_text(st, 2));
		e->size = sqlite3_column_int64(st, 3);
		e->mode = sqlite3_column_int64(st, 4);
		e->uid = sqlite3_column_int64(st, 5);
		e->gid = sqlite3_column_int64(st, 6);
		e->mtime = sqlite3_column_int64(st, 7);
		e->ctime = sqlite3_column_int64(st, 8);
		const unsigned char *link = sqlite3_column_text(st, 9);
		e->link = link ? rs_strdup((const char *)link) : NULL;
	}
	sqlite3_finalize(st);
	return 0;
}
