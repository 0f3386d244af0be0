/*
 * db_pg.c — the PostgreSQL backend of store/db.h over libpq: connecting by
 * URL (and again after the server went away), rewriting `?` parameters to
 * `$N`, running a statement with its bound values (PQexecParams: texts and
 * integers as text, blobs as binary bytea) and walking its rows.
 */
#include "store/db_internal.h"
#include "core/i18n.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void ignore_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static void set_name(rs_db *db)
{
	const char *host = rs_pq.host(db->pg);
	size_t size = 256;
	free(db->name);
	db->name = rs_malloc(size);
	snprintf(db->name, size, "postgresql database %s on %s", rs_pq.db(db->pg),
		 host && *host ? host : "localhost");
}

int rs_db_pg_open(rs_db *db, const char *url)
{
	db->conninfo = rs_strdup(url);
	db->name = rs_strdup("postgresql database");
	char err[512];
	if (rs_pq_load(err, sizeof(err)) < 0) {
		rs_db_set_error(db, "%s", err);
		return -1;
	}
	db->pg = rs_pq.connectdb(url);
	if (!db->pg || rs_pq.status(db->pg) != CONNECTION_OK) {
		rs_db_set_error(db, _("cannot connect to the PostgreSQL database: %s; check the URL, "
				"that the server runs and that the user may log in"),
				db->pg ? rs_pq.errorMessage(db->pg) : _("out of memory"));
		return -1;
	}
	rs_pq.setNoticeProcessor(db->pg, ignore_notice, NULL);
	set_name(db);
	return 0;
}

void rs_db_pg_close(rs_db *db)
{
	if (db->pg)
		rs_pq.finish(db->pg);
	db->pg = NULL;
}

/* Reconnects a lost connection, outside a transaction only (inside one, the
 * transaction is lost and the caller must roll back and start again). */
static int ensure_connected(rs_db *db)
{
	if (rs_pq.status(db->pg) == CONNECTION_OK)
		return 0;
	if (!db->in_tx) {
		rs_pq.reset(db->pg);
		if (rs_pq.status(db->pg) == CONNECTION_OK) {
			rs_pq.setNoticeProcessor(db->pg, ignore_notice, NULL);
			db->maintained = 0;
			db->pg_generation++;   /* the prepared statements went with the old session */
			return 0;
		}
	}
	rs_db_set_error(db, _("%s: the connection is lost: %s"), db->name, rs_pq.errorMessage(db->pg));
	return -1;
}

static void result_error(rs_db *db, const PGresult *res)
{
	const char *msg = res ? rs_pq.resultErrorMessage(res) : rs_pq.errorMessage(db->pg);
	rs_db_set_error(db, "%s", msg && *msg ? msg : _("unknown PostgreSQL error"));
}

/* True when RES failed because the connection broke (the server restarted
 * or crashed) outside a transaction: the statement may be sent again on a
 * new connection. */
static bool retry_after_reset(rs_db *db, const PGresult *res)
{
	ExecStatusType st = res ? rs_pq.resultStatus(res) : PGRES_FATAL_ERROR;
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || db->in_tx ||
	    rs_pq.status(db->pg) != CONNECTION_BAD)
		return false;
	return ensure_connected(db) == 0;
}

int rs_db_pg_exec(rs_db *db, const char *sql)
{
	if (ensure_connected(db) < 0)
		return -1;
	PGresult *res = rs_pq.exec(db->pg, sql);
	if (retry_after_reset(db, res)) {
		rs_pq.clear(res);
		res = rs_pq.exec(db->pg, sql);
	}
	ExecStatusType st = res ? rs_pq.resultStatus(res) : PGRES_FATAL_ERROR;
	int rc = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? 0 : -1;
	if (rc < 0)
		result_error(db, res);
	rs_pq.clear(res);
	return rc;
}

char *rs_db_pg_translate(const char *sql, int *count)
{
	size_t len = strlen(sql);
	/* "?" becomes at most "$" and 10 digits */
	char *out = rs_malloc(len * 11 + 1);
	char *o = out;
	int highest = 0;
	bool quoted = false;
	for (const char *p = sql; *p; p++) {
		if (*p == '\'')
			quoted = !quoted;
		if (quoted || *p != '?') {
			*o++ = *p;
			continue;
		}
		int n;
		if (p[1] >= '0' && p[1] <= '9') {
			char *end;
			long v = strtol(p + 1, &end, 10);
			n = v > 0 && v < 100000 ? (int)v : 0;
			p = end - 1;
		} else {
			n = highest + 1;
		}
		if (n > highest)
			highest = n;
		o += sprintf(o, "$%d", n);
	}
	*o = '\0';
	*count = highest;
	return out;
}

int rs_db_pg_prepare(rs_db_stmt *stmt, const char *sql)
{
	stmt->sql = rs_db_pg_translate(sql, &stmt->nparams);
	size_t n = (size_t)stmt->nparams + 1;
	stmt->values = rs_calloc(n, sizeof(*stmt->values));
	stmt->lengths = rs_calloc(n, sizeof(*stmt->lengths));
	stmt->formats = rs_calloc(n, sizeof(*stmt->formats));
	stmt->types = rs_calloc(n, sizeof(*stmt->types));
	return 0;
}

int rs_db_pg_bind(rs_db_stmt *stmt, int index, const void *data, size_t size, Oid type, int format)
{
	if (index < 1 || index > stmt->nparams) {
		rs_db_set_error(stmt->db, _("parameter %d out of range (the statement has %d)"), index,
				stmt->nparams);
		return -1;
	}
	int i = index - 1;
	free(stmt->values[i]);
	stmt->values[i] = NULL;
	if (data) {
		stmt->values[i] = rs_malloc(size + 1);
		memcpy(stmt->values[i], data, size);
		stmt->values[i][size] = '\0';
	}
	stmt->lengths[i] = (int)size;
	stmt->formats[i] = format;
	stmt->types[i] = type;
	return 0;
}

void rs_db_pg_clear_row(rs_db_stmt *stmt)
{
	if (!stmt->blobs)
		return;
	int n = stmt->res ? rs_pq.nfields(stmt->res) : 0;
	for (int i = 0; i < n; i++)
		if (stmt->blobs[i])
			rs_pq.freemem(stmt->blobs[i]);
	free(stmt->blobs);
	free(stmt->blob_sizes);
	stmt->blobs = NULL;
	stmt->blob_sizes = NULL;
}

void rs_db_pg_clear_bindings(rs_db_stmt *stmt)
{
	for (int i = 0; i < stmt->nparams; i++) {
		free(stmt->values[i]);
		stmt->values[i] = NULL;
		stmt->lengths[i] = 0;
		stmt->formats[i] = 0;
		stmt->types[i] = 0;
	}
}

/* Runs STMT: a cached one as a named server-side statement (prepared on
 * this session first, with the types of its first bindings), any other
 * with PQexecParams. */
static PGresult *pg_run(rs_db_stmt *stmt)
{
	rs_db *db = stmt->db;
	if (!stmt->cache_key)
		return rs_pq.execParams(db->pg, stmt->sql, stmt->nparams, stmt->types,
				    (const char *const *)stmt->values, stmt->lengths, stmt->formats, 0);
	char name[32];
	snprintf(name, sizeof(name), "rs_cached_%d", stmt->cache_index);
	if (stmt->pg_prepared != db->pg_generation + 1) {
		PGresult *res = rs_pq.prepare(db->pg, name, stmt->sql, stmt->nparams, stmt->types);
		if (!res || rs_pq.resultStatus(res) != PGRES_COMMAND_OK)
			return res;
		rs_pq.clear(res);
		stmt->pg_prepared = db->pg_generation + 1;
	}
	return rs_pq.execPrepared(db->pg, name, stmt->nparams, (const char *const *)stmt->values,
			      stmt->lengths, stmt->formats, 0);
}

int rs_db_pg_step(rs_db_stmt *stmt)
{
	rs_db *db = stmt->db;
	if (!stmt->stepped) {
		stmt->stepped = true;
		stmt->row = -1;
		if (ensure_connected(db) < 0)
			return RS_DB_ERROR;
		stmt->res = pg_run(stmt);
		if (retry_after_reset(db, stmt->res)) {
			rs_pq.clear(stmt->res);
			stmt->res = pg_run(stmt);
		}
		ExecStatusType st = stmt->res ? rs_pq.resultStatus(stmt->res) : PGRES_FATAL_ERROR;
		if (st == PGRES_COMMAND_OK) {
			db->changes = strtoll(rs_pq.cmdTuples(stmt->res), NULL, 10);
			return RS_DB_DONE;
		}
		if (st != PGRES_TUPLES_OK) {
			result_error(db, stmt->res);
			return RS_DB_ERROR;
		}
		db->changes = 0;
	}
	if (!stmt->res || rs_pq.resultStatus(stmt->res) != PGRES_TUPLES_OK)
		return RS_DB_DONE;
	rs_db_pg_clear_row(stmt);
	if (stmt->row + 1 >= rs_pq.ntuples(stmt->res)) {
		stmt->row = rs_pq.ntuples(stmt->res);
		return RS_DB_DONE;
	}
	stmt->row++;
	return RS_DB_ROW;
}

void rs_db_pg_finalize(rs_db_stmt *stmt)
{
	rs_db_pg_clear_row(stmt);
	rs_pq.clear(stmt->res);
	for (int i = 0; i < stmt->nparams; i++)
		free(stmt->values ? stmt->values[i] : NULL);
	free(stmt->values);
	free(stmt->lengths);
	free(stmt->formats);
	free(stmt->types);
	free(stmt->sql);
}

const void *rs_db_pg_blob(rs_db_stmt *stmt, int col, size_t *size)
{
	int n = rs_pq.nfields(stmt->res);
	if (col < 0 || col >= n)
		return NULL;
	if (!stmt->blobs) {
		stmt->blobs = rs_calloc((size_t)n, sizeof(*stmt->blobs));
		stmt->blob_sizes = rs_calloc((size_t)n, sizeof(*stmt->blob_sizes));
	}
	if (!stmt->blobs[col])
		stmt->blobs[col] = rs_pq.unescapeBytea((const unsigned char *)rs_pq.getvalue(stmt->res, stmt->row, col),
						   &stmt->blob_sizes[col]);
	*size = stmt->blobs[col] ? stmt->blob_sizes[col] : 0;
	return stmt->blobs[col];
}
