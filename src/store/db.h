/*
 * db.h — one small SQL interface over two backends, so the fleet server and
 * its dashboard run on SQLite (one file, the default) or on PostgreSQL
 * (libpq, for many hosts and several server processes on one database).
 *
 * Callers write portable SQL only:
 *  - parameters are `?` (next number) or `?N` (number N, may repeat); the
 *    PostgreSQL backend rewrites them to `$N` (outside quoted text);
 *  - `INSERT … ON CONFLICT (…) DO NOTHING` / `DO UPDATE SET x = excluded.x`
 *    (SQLite ≥ 3.24 and PostgreSQL both understand it) for idempotent writes;
 *    rs_db_changes tells whether the row went in;
 *  - integers are BIGINT/INTEGER, texts TEXT, bytes BLOB (BYTEA on
 *    PostgreSQL: bind with rs_db_bind_blob, read with rs_db_column_blob);
 *  - the tables of findings and scans have a `rowid` column on both (SQLite's
 *    own, a BIGSERIAL on PostgreSQL) for stable paging cursors;
 *  - a parameter compared with IS NULL is bound with rs_db_bind_text (NULL
 *    is sent as a text NULL) or wrapped in CAST(? AS BIGINT) for integers.
 *
 * Not thread-safe: one connection, one caller at a time (the server holds a
 * lock around it). A statement must be finalized before the next one is
 * stepped on PostgreSQL only when their results interleave; results are read
 * whole, so several open statements are fine on both.
 *
 * URLs: `sqlite:PATH`, a plain PATH (SQLite: the scan store of store.h, with
 * its migrations), or `postgresql://…` / `postgres://…` (libpq connection
 * URI; its schema is created by the PostgreSQL migration list of
 * store/db_pg_schema.c: the same tables, findings and snapshots partitioned
 * by month). A lost PostgreSQL connection is re-established before the next
 * statement outside a transaction.
 */
#ifndef RS_STORE_DB_H
#define RS_STORE_DB_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct rs_db rs_db;
typedef struct rs_db_stmt rs_db_stmt;

typedef enum rs_db_backend {
	RS_DB_SQLITE = 0,
	RS_DB_POSTGRES,
} rs_db_backend;

/* rs_db_step results. */
#define RS_DB_ROW 1
#define RS_DB_DONE 0
#define RS_DB_ERROR (-1)

/* Opens the database named by URL and brings its schema up to date.
 * Returns 0, or -1 with a message in ERR naming the database, the cause and
 * what to do. */
int rs_db_open(const char *url, rs_db **out, char *err, size_t errsize);
void rs_db_close(rs_db *db);

rs_db_backend rs_db_kind(const rs_db *db);
/* For messages: "PATH" or "postgresql database NAME on HOST" (no password). */
const char *rs_db_name(const rs_db *db);
/* The last error of DB (never NULL; "" when none). */
const char *rs_db_errmsg(const rs_db *db);

/* Runs SQL: one or more statements without parameters or results. 0 / -1. */
int rs_db_exec(rs_db *db, const char *sql);

/* Transactions. rs_db_begin takes the write lock at once on SQLite
 * (BEGIN IMMEDIATE), so two writers never deadlock upgrading. rs_db_rollback
 * does nothing outside a transaction. */
int rs_db_begin(rs_db *db);
int rs_db_commit(rs_db *db);
void rs_db_rollback(rs_db *db);
bool rs_db_in_transaction(const rs_db *db);

/* Prepares SQL (one statement); NULL with the error in rs_db_errmsg. */
rs_db_stmt *rs_db_prepare(rs_db *db, const char *sql);
void rs_db_finalize(rs_db_stmt *stmt);
/* The same statement kept prepared on DB's connection across calls (SQLite:
 * SQLITE_PREPARE_PERSISTENT; PostgreSQL: a named server-side statement,
 * prepared again after a reconnection), for statements run many times a
 * second. Use it as any statement; rs_db_finalize hands it back (its
 * bindings cleared) instead of freeing it. When the same SQL is already
 * handed out (or the cache is full), a fresh statement is returned. */
rs_db_stmt *rs_db_prepare_cached(rs_db *db, const char *sql);
/* Forgets the result so the statement can run again; bindings stay. */
void rs_db_reset(rs_db_stmt *stmt);

/* Parameters are numbered from 1. TEXT NULL binds NULL. 0 / -1. */
int rs_db_bind_text(rs_db_stmt *stmt, int index, const char *text);
/* LEN bytes of TEXT (no NUL among them; TEXT need not end in one). */
int rs_db_bind_textn(rs_db_stmt *stmt, int index, const char *text, size_t len);
int rs_db_bind_int64(rs_db_stmt *stmt, int index, long long value);
int rs_db_bind_blob(rs_db_stmt *stmt, int index, const void *data, size_t size);
int rs_db_bind_null(rs_db_stmt *stmt, int index);
/* VALUE serialised compactly as JSON text (NULL: SQL NULL). */
int rs_db_bind_json(rs_db_stmt *stmt, int index, const json_t *value);

/* Runs the statement (first call) and moves to the next row: RS_DB_ROW,
 * RS_DB_DONE, or RS_DB_ERROR (message in rs_db_errmsg). */
int rs_db_step(rs_db_stmt *stmt);
/* Rows changed by the last INSERT/UPDATE/DELETE stepped on DB. */
long long rs_db_changes(const rs_db *db);

/* Columns of the current row, numbered from 0. Text and blob pointers stay
 * valid until the next step, reset or finalize. */
bool rs_db_column_null(rs_db_stmt *stmt, int col);
const char *rs_db_column_text(rs_db_stmt *stmt, int col);   /* NULL for SQL NULL */
long long rs_db_column_int64(rs_db_stmt *stmt, int col);     /* 0 for SQL NULL */
const void *rs_db_column_blob(rs_db_stmt *stmt, int col, size_t *size);
/* The column parsed as JSON, or json null. New reference. */
json_t *rs_db_column_json(rs_db_stmt *stmt, int col);
/* The column's text as a JSON string, or json null for SQL NULL. New reference. */
json_t *rs_db_column_jstring(rs_db_stmt *stmt, int col);

/* Steps STMT (a statement that returns no row) once and finalizes it.
 * 0, or -1 after an error naming the database and DOING ("store the task"). */
int rs_db_step_done(rs_db *db, rs_db_stmt *stmt, const char *doing);

/* Backend upkeep at time NOW (Unix seconds): on PostgreSQL, creates the
 * monthly partitions of findings and snapshots around NOW when missing
 * (cheap when they exist: checked once a month per connection). Nothing on
 * SQLite. 0 / -1. */
int rs_db_maintain(rs_db *db, long long now);

#endif
