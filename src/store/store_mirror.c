/*
 * store_mirror.c — a temporary SQLite copy of a PostgreSQL fleet store for
 * the local reading commands (store_mirror.h). Rows are read through the
 * database interface (db.h) and written with bound parameters only.
 */
#include "store/store_mirror.h"
#include "core/i18n.h"
#include "store/store_internal.h"
#include "core/log.h"
#include "core/util.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SCAN_COLUMNS "id, host, root, started, duration_ms, complete, counts, score, exit_code, modules, host_info, summary, agent"
#define N_SCAN_COLUMNS 13
#define FINDING_COLUMNS "scan, seq, module, rule, severity, score, identity, json"
#define N_FINDING_COLUMNS 8

/* Copies the current row of FROM (N columns, INTS[i] set for integer
 * columns) into the bound parameters of TO, steps and resets it. */
static int copy_row(rs_db_stmt *from, sqlite3_stmt *to, int n, const bool *ints)
{
	for (int i = 0; i < n; i++) {
		if (rs_db_column_null(from, i))
			sqlite3_bind_null(to, i + 1);
		else if (ints[i])
			sqlite3_bind_int64(to, i + 1, rs_db_column_int64(from, i));
		else
			sqlite3_bind_text(to, i + 1, rs_db_column_text(from, i), -1, SQLITE_TRANSIENT);
	}
	int rc = sqlite3_step(to) == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(to);
	sqlite3_clear_bindings(to);
	return rc;
}

/* Runs SELECT on M's database and inserts every row with INSERT. */
static int copy_rows(rs_store_mirror *m, const char *select, const char *id, const char *insert, int n,
		     const bool *ints)
{
	rs_db_stmt *from = rs_db_prepare(m->db, select);
	sqlite3_stmt *to = from ? rs_store_prepare(m->store, insert) : NULL;
	if (!from || !to) {
		rs_error(_("%s: cannot read the scans: %s"), rs_db_name(m->db), rs_db_errmsg(m->db));
		rs_db_finalize(from);
		sqlite3_finalize(to);
		return -1;
	}
	if (id)
		rs_db_bind_text(from, 1, id);
	int rc = rs_store_exec(m->store, "BEGIN");
	int step;
	while (rc == 0 && (step = rs_db_step(from)) == RS_DB_ROW)
		rc = copy_row(from, to, n, ints);
	if (rc == 0 && step != RS_DB_DONE) {
		rs_error(_("%s: cannot read the scans: %s"), rs_db_name(m->db), rs_db_errmsg(m->db));
		rc = -1;
	}
	if (rc == 0)
		rc = rs_store_exec(m->store, "COMMIT");
	else
		rs_store_exec(m->store, "ROLLBACK");
	rs_db_finalize(from);
	sqlite3_finalize(to);
	return rc;
}

int rs_store_mirror_open(const char *url, rs_store_mirror *m)
{
	memset(m, 0, sizeof(*m));
	char err[1024];
	if (rs_db_open(url, &m->db, err, sizeof(err)) < 0) {
		rs_error("%s", err);
		return -1;
	}
	const char *tmp = getenv("TMPDIR");
	m->dir = rs_sprintf("%s/rasoat-pgcopy-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	char *path = NULL;
	int rc = -1;
	if (!mkdtemp(m->dir)) {
		rs_error(_("%s: cannot make a temporary directory for a copy of the scans"), m->dir);
		free(m->dir);
		m->dir = NULL;
	} else {
		path = rs_sprintf("%s/scans.db", m->dir);
		static const bool ints[N_SCAN_COLUMNS] = { [4] = true, [5] = true, [7] = true, [8] = true };
		if (rs_store_open(path, &m->store) == 0)
			rc = copy_rows(m, "SELECT " SCAN_COLUMNS " FROM scans ORDER BY rowid", NULL,
				       "INSERT INTO scans (" SCAN_COLUMNS ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
				       N_SCAN_COLUMNS, ints);
	}
	free(path);
	if (rc < 0)
		rs_store_mirror_close(m);
	return rc;
}

int rs_store_mirror_findings(rs_store_mirror *m, const char *id)
{
	sqlite3_stmt *seen = rs_store_prepare(m->store, "SELECT 1 FROM findings WHERE scan = ? LIMIT 1");
	if (!seen)
		return -1;
	sqlite3_bind_text(seen, 1, id, -1, SQLITE_TRANSIENT);
	int have = sqlite3_step(seen) == SQLITE_ROW;
	sqlite3_finalize(seen);
	if (have)
		return 0;
	static const bool ints[N_FINDING_COLUMNS] = { [1] = true, [4] = true, [5] = true };
	return copy_rows(m, "SELECT " FINDING_COLUMNS " FROM findings WHERE scan = ? ORDER BY seq", id,
			 "INSERT INTO findings (" FINDING_COLUMNS ") VALUES (?,?,?,?,?,?,?,?)", N_FINDING_COLUMNS, ints);
}

void rs_store_mirror_close(rs_store_mirror *m)
{
	if (m->store) {
		char *path = rs_strdup(m->store->path);
		rs_store_close(m->store);
		unlink(path);
		char *wal = rs_sprintf("%s-wal", path), *shm = rs_sprintf("%s-shm", path);
		unlink(wal);
		unlink(shm);
		free(wal);
		free(shm);
		free(path);
	}
	if (m->dir)
		rmdir(m->dir);
	rs_db_close(m->db);
	free(m->dir);
	memset(m, 0, sizeof(*m));
}
