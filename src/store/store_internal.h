/*
 * store_internal.h — what the parts of the scan store (store.c: opening and
 * migrations; store_sink.c: recording; store_query.c: reading) share. Not
 * for use outside src/store/.
 */
#ifndef RS_STORE_INTERNAL_H
#define RS_STORE_INTERNAL_H

#include "store/store.h"

#include <sqlite3.h>
#include <stdbool.h>

struct rs_store {
	sqlite3 *db;
	char *path;   /* as given, for messages */
	struct rs_db *pg;  /* incidents kept in PostgreSQL (store/incidents_pg.c); NULL: in DB */
};

/* An empty scan store in memory, named NAME in messages (the local half of
 * a store whose incidents live in PostgreSQL). 0, or -1 after an error. */
int rs_store_open_memory(const char *name, rs_store **out);

/* Runs SQL (one or more statements, no results). Returns 0, or -1 and leaves
 * the error in sqlite3_errmsg(db). */
int rs_store_exec(rs_store *store, const char *sql);

/* Prepares SQL; NULL after printing an error that names the database. */
sqlite3_stmt *rs_store_prepare(rs_store *store, const char *sql);

/* Binds a text value, or NULL when TEXT is NULL (copied by SQLite). */
int rs_store_bind_text(sqlite3_stmt *stmt, int index, const char *text);

/* Binds VALUE serialised compactly as JSON text (NULL value: SQL NULL). */
int rs_store_bind_json(sqlite3_stmt *stmt, int index, const json_t *value);

#endif
