/*
 * db.c — store/db.h: opening by URL and the calls every caller makes,
 * dispatched to SQLite (here, over the scan store's connection) or to
 * PostgreSQL (store/db_pg.c).
 */
#include "store/db_internal.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rs_db_set_error(rs_db *db, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(db->err, sizeof(db->err), fmt, ap);
	va_end(ap);
	/* libpq messages end in a newline; one-line messages read better */
	size_t n = strlen(db->err);
	while (n > 0 && (db->err[n - 1] == '\n' || db->err[n - 1] == ' '))
		db->err[--n] = '\0';
}

static void lite_error(rs_db *db)
{
	rs_db_set_error(db, "%s", sqlite3_errmsg(db->store->db));
}

int rs_db_open(const char *url, rs_db **out, char *err, size_t errsize)
{
	*out = NULL;
	if (!url || !*url) {
		snprintf(err, errsize, _("no database given; give --db sqlite:PATH or --db postgresql://…"));
		return -1;
	}
	rs_db *db = rs_calloc(1, sizeof(*db));
	if (rs_store_is_pg_url(url)) {
		db->kind = RS_DB_POSTGRES;
		if (rs_db_pg_open(db, url) < 0 || rs_db_pg_migrate(db) < 0) {
			snprintf(err, errsize, "%s", db->err);
			rs_db_close(db);
			return -1;
		}
	} else {
		const char *path = strncmp(url, "sqlite:", 7) == 0 ? url + 7 : url;
		db->kind = RS_DB_SQLITE;
		db->name = rs_strdup(path);
		if (rs_store_open(path, &db->store) < 0) {
			snprintf(err, errsize, _("%s: cannot open the SQLite database (the cause is above)"), path);
			rs_db_close(db);
			return -1;
		}
	}
	*out = db;
	return 0;
}

static void stmt_free(rs_db_stmt *stmt);

void rs_db_close(rs_db *db)
{
	if (!db)
		return;
	for (size_t i = 0; i < RS_DB_CACHE_SIZE; i++)
		stmt_free(db->cache[i]);
	if (db->kind == RS_DB_POSTGRES)
		rs_db_pg_close(db);
	else
		rs_store_close(db->store);
	free(db->name);
	free(db->conninfo);
	free(db);
}

rs_db_backend rs_db_kind(const rs_db *db)
{
	return db->kind;
}

const char *rs_db_name(const rs_db *db)
{
	return db->name ? db->name : "database";
}

const char *rs_db_errmsg(const rs_db *db)
{
	return db->err;
}

int rs_db_exec(rs_db *db, const char *sql)
{
	if (db->kind == RS_DB_POSTGRES)
		return rs_db_pg_exec(db, sql);
	if (rs_store_exec(db->store, sql) < 0) {
		lite_error(db);
		return -1;
	}
	return 0;
}

int rs_db_begin(rs_db *db)
{
	if (db->in_tx) {
		rs_db_set_error(db, _("a transaction is already open"));
		return -1;
	}
	if (rs_db_exec(db, db->kind == RS_DB_SQLITE ? "BEGIN IMMEDIATE" : "BEGIN") < 0)
		return -1;
	db->in_tx = true;
	return 0;
}

int rs_db_commit(rs_db *db)
{
	int rc = rs_db_exec(db, "COMMIT");
	if (rc < 0) {
		/* keep our message: the rollback below would replace it */
		char saved[sizeof(db->err)];
		snprintf(saved, sizeof(saved), "%s", db->err);
		rs_db_rollback(db);
		snprintf(db->err, sizeof(db->err), "%s", saved);
	}
	db->in_tx = false;
	return rc;
}

void rs_db_rollback(rs_db *db)
{
	bool open = db->in_tx;
	if (db->kind == RS_DB_SQLITE)
		open = open || !sqlite3_get_autocommit(db->store->db);
	if (open)
		(void)rs_db_exec(db, "ROLLBACK");
	db->in_tx = false;
}

bool rs_db_in_transaction(const rs_db *db)
{
	return db->in_tx;
}

static rs_db_stmt *prepare(rs_db *db, const char *sql, bool persistent)
{
	rs_db_stmt *stmt = rs_calloc(1, sizeof(*stmt));
	stmt->db = db;
	stmt->row = -1;
	int rc;
	if (db->kind == RS_DB_POSTGRES) {
		rc = rs_db_pg_prepare(stmt, sql);
	} else {
		rc = sqlite3_prepare_v3(db->store->db, sql, -1, persistent ? SQLITE_PREPARE_PERSISTENT : 0,
					&stmt->lite, NULL) == SQLITE_OK ? 0 : -1;
		if (rc < 0)
			lite_error(db);
	}
	if (rc < 0) {
		stmt_free(stmt);
		return NULL;
	}
	return stmt;
}

rs_db_stmt *rs_db_prepare(rs_db *db, const char *sql)
{
	return prepare(db, sql, false);
}

rs_db_stmt *rs_db_prepare_cached(rs_db *db, const char *sql)
{
	int free_slot = -1;
	for (int i = 0; i < RS_DB_CACHE_SIZE; i++) {
		rs_db_stmt *c = db->cache[i];
		if (!c) {
			if (free_slot < 0)
				free_slot = i;
			continue;
		}
		if (strcmp(c->cache_key, sql) != 0)
			continue;
		if (c->in_use)
			return prepare(db, sql, false);
		c->in_use = true;
		return c;
	}
	rs_db_stmt *stmt = prepare(db, sql, free_slot >= 0);
	if (stmt && free_slot >= 0) {
		stmt->cache_key = rs_strdup(sql);
		stmt->cache_index = free_slot;
		stmt->in_use = true;
		db->cache[free_slot] = stmt;
	}
	return stmt;
}

static void stmt_free(rs_db_stmt *stmt)
{
	if (!stmt)
		return;
	if (stmt->db->kind == RS_DB_POSTGRES)
		rs_db_pg_finalize(stmt);
	else
		sqlite3_finalize(stmt->lite);
	free(stmt->cache_key);
	free(stmt);
}

void rs_db_finalize(rs_db_stmt *stmt)
{
	if (!stmt)
		return;
	if (!stmt->cache_key) {
		stmt_free(stmt);
		return;
	}
	/* a cached statement: handed back, ready for its next use */
	rs_db_reset(stmt);
	if (stmt->db->kind == RS_DB_POSTGRES)
		rs_db_pg_clear_bindings(stmt);
	else
		sqlite3_clear_bindings(stmt->lite);
	stmt->in_use = false;
}

void rs_db_reset(rs_db_stmt *stmt)
{
	stmt->stepped = false;
	if (stmt->db->kind == RS_DB_POSTGRES) {
		rs_db_pg_clear_row(stmt);
		rs_pq.clear(stmt->res);
		stmt->res = NULL;
		stmt->row = -1;
	} else {
		sqlite3_reset(stmt->lite);
	}
}

static int lite_bound(rs_db_stmt *stmt, int rc)
{
	if (rc == SQLITE_OK)
		return 0;
	lite_error(stmt->db);
	return -1;
}

int rs_db_bind_text(rs_db_stmt *stmt, int index, const char *text)
{
	if (stmt->db->kind == RS_DB_POSTGRES)
		return rs_db_pg_bind(stmt, index, text, text ? strlen(text) : 0, 25 /* text */, 0);
	return lite_bound(stmt, rs_store_bind_text(stmt->lite, index, text));
}

int rs_db_bind_textn(rs_db_stmt *stmt, int index, const char *text, size_t len)
{
	if (stmt->db->kind == RS_DB_POSTGRES)
		return rs_db_pg_bind(stmt, index, text, len, 25 /* text */, 0);
	return lite_bound(stmt, sqlite3_bind_text64(stmt->lite, index, text, len, SQLITE_TRANSIENT,
						    SQLITE_UTF8));
}

int rs_db_bind_int64(rs_db_stmt *stmt, int index, long long value)
{
	if (stmt->db->kind == RS_DB_POSTGRES) {
		char buf[32];
		int n = snprintf(buf, sizeof(buf), "%lld", value);
		return rs_db_pg_bind(stmt, index, buf, (size_t)n, 20 /* int8 */, 0);
	}
	return lite_bound(stmt, sqlite3_bind_int64(stmt->lite, index, value));
}

int rs_db_bind_blob(rs_db_stmt *stmt, int index, const void *data, size_t size)
{
	if (stmt->db->kind == RS_DB_POSTGRES)
		return rs_db_pg_bind(stmt, index, data ? data : "", size, 17 /* bytea */, 1);
	return lite_bound(stmt, sqlite3_bind_blob64(stmt->lite, index, data ? data : "", size,
						    SQLITE_TRANSIENT));
}

int rs_db_bind_null(rs_db_stmt *stmt, int index)
{
	if (stmt->db->kind == RS_DB_POSTGRES)
		return rs_db_pg_bind(stmt, index, NULL, 0, 0, 0);
	return lite_bound(stmt, sqlite3_bind_null(stmt->lite, index));
}

int rs_db_bind_json(rs_db_stmt *stmt, int index, const json_t *value)
{
	if (!value)
		return rs_db_bind_text(stmt, index, NULL);
	char *text = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
	int rc = rs_db_bind_text(stmt, index, text);
	free(text);
	return rc;
}

int rs_db_step(rs_db_stmt *stmt)
{
	rs_db *db = stmt->db;
	if (db->kind == RS_DB_POSTGRES)
		return rs_db_pg_step(stmt);
	int rc = sqlite3_step(stmt->lite);
	if (!stmt->stepped) {
		stmt->stepped = true;
		if (rc == SQLITE_DONE)
			db->changes = sqlite3_changes(db->store->db);
	}
	if (rc == SQLITE_ROW)
		return RS_DB_ROW;
	if (rc == SQLITE_DONE)
		return RS_DB_DONE;
	lite_error(db);
	return RS_DB_ERROR;
}

long long rs_db_changes(const rs_db *db)
{
	return db->changes;
}

bool rs_db_column_null(rs_db_stmt *stmt, int col)
{
	if (stmt->db->kind == RS_DB_POSTGRES)
		return !stmt->res || stmt->row < 0 || rs_pq.getisnull(stmt->res, stmt->row, col);
	return sqlite3_column_type(stmt->lite, col) == SQLITE_NULL;
}

const char *rs_db_column_text(rs_db_stmt *stmt, int col)
{
	if (rs_db_column_null(stmt, col))
		return NULL;
	if (stmt->db->kind == RS_DB_POSTGRES)
		return rs_pq.getvalue(stmt->res, stmt->row, col);
	return (const char *)sqlite3_column_text(stmt->lite, col);
}

long long rs_db_column_int64(rs_db_stmt *stmt, int col)
{
	if (stmt->db->kind == RS_DB_POSTGRES) {
		const char *text = rs_db_column_text(stmt, col);
		return text ? strtoll(text, NULL, 10) : 0;
	}
	return sqlite3_column_int64(stmt->lite, col);
}

const void *rs_db_column_blob(rs_db_stmt *stmt, int col, size_t *size)
{
	*size = 0;
	if (rs_db_column_null(stmt, col))
		return NULL;
	if (stmt->db->kind == RS_DB_POSTGRES)
		return rs_db_pg_blob(stmt, col, size);
	const void *p = sqlite3_column_blob(stmt->lite, col);
	*size = (size_t)sqlite3_column_bytes(stmt->lite, col);
	return p;
}

json_t *rs_db_column_json(rs_db_stmt *stmt, int col)
{
	const char *text = rs_db_column_text(stmt, col);
	json_t *v = text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;
	return v ? v : json_null();
}

json_t *rs_db_column_jstring(rs_db_stmt *stmt, int col)
{
	const char *s = rs_db_column_text(stmt, col);
	return s ? json_string(s) : json_null();
}

int rs_db_step_done(rs_db *db, rs_db_stmt *stmt, const char *doing)
{
	int rc = rs_db_step(stmt);
	rs_db_finalize(stmt);
	if (rc != RS_DB_DONE) {
		rs_error(_("%s: cannot %s: %s"), rs_db_name(db), doing, rs_db_errmsg(db));
		return -1;
	}
	return 0;
}

int rs_db_maintain(rs_db *db, long long now)
{
	if (db->kind != RS_DB_POSTGRES)
		return 0;
	return rs_db_pg_partitions(db, now);
}
