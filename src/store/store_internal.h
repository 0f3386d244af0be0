/*
 * store_internal.h — what the parts of the scan store (store.c: opening and
 * migrations; store_sink.c: recording; store_query.c: reading) share. Not
 * for use outside src/store/.
 */
#ifndef RS_STORE_INTERNAL_H
#define RS_STORE_INTERNAL_H

#include "store/store.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>

struct rs_store {
	sqlite3 *db;
	char *path;   /* as given, for messages */
	struct rs_db *pg;  /* incidents kept in PostgreSQL (store/incidents_pg.c); NULL: in DB */
	/* the write-ahead log's checkpoints (store_wal.c) */
	bool wal_managed;        /* rs_store_wal_init ran */
	bool wal_inline;         /* SQLite's own checkpoints (rs_store_checkpoint_inline) */
	int page_size;
	pthread_mutex_t wal_lock; /* guards wal_pending and wal_stop */
	bool wal_pending;        /* committed frames may be missing from the file */
	bool wal_stop;           /* closing: the thread starts no pass after its first */
	sqlite3 *ckpt_db;        /* the checkpoint thread's connection; NULL: no thread */
	pthread_t ckpt_thread;
};

/* An empty scan store in memory, named NAME in messages (the local half of
 * a store whose incidents live in PostgreSQL). 0, or -1 after an error. */
int rs_store_open_memory(const char *name, rs_store **out);

/* store_wal.c: synchronous = FULL, the checkpoint policy, and the thread
 * that checkpoints a log left by an earlier command (after migrations).
 * 0, or -1 when the connection cannot be configured (not told). */
int rs_store_wal_init(rs_store *store);
/* Before sqlite3_close: ends the thread and picks what the close does. */
void rs_store_wal_close(rs_store *store);

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
