/*
 * scans_pg.c — scans and findings of the fleet's PostgreSQL database for
 * the incident records kept there (scans_pg.h): the same columns
 * store/store_query.c reads from SQLite, through store/db.h.
 */
#include "store/scans_pg.h"
#include "store/db.h"
#include "store/store_internal.h"
#include "core/i18n.h"
#include "core/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failed(rs_store *store, rs_db_stmt *stmt)
{
	rs_error(_("%s: cannot read the stored scans: %s; check that the database is up"), store->path,
		 rs_db_errmsg(store->pg));
	rs_db_finalize(stmt);
	return -1;
}

int rs_pg_scan_last(rs_store *store, long back, char out[33])
{
	rs_db_stmt *stmt = rs_db_prepare(store->pg,
		"SELECT id FROM scans WHERE complete = 1 ORDER BY started DESC, rowid DESC LIMIT 1 OFFSET ?");
	if (!stmt)
		return failed(store, NULL);
	rs_db_bind_int64(stmt, 1, back);
	int rc = rs_db_step(stmt);
	if (rc == RS_DB_ERROR)
		return failed(store, stmt);
	if (rc == RS_DB_ROW)
		snprintf(out, 33, "%s", rs_db_column_text(stmt, 0));
	rs_db_finalize(stmt);
	return rc == RS_DB_ROW ? 0 : 1;
}

int rs_pg_scan_prefix(rs_store *store, const char *prefix, char out[33], int shown, rs_buf *matches)
{
	rs_db_stmt *stmt = rs_db_prepare(store->pg,
		"SELECT id FROM scans WHERE substr(id, 1, CAST(? AS INTEGER)) = ? ORDER BY started DESC, rowid DESC");
	if (!stmt)
		return failed(store, NULL);
	rs_db_bind_int64(stmt, 1, (long long)strlen(prefix));
	rs_db_bind_text(stmt, 2, prefix);
	int n = 0, rc;
	while ((rc = rs_db_step(stmt)) == RS_DB_ROW) {
		const char *id = rs_db_column_text(stmt, 0);
		if (n == 0)
			snprintf(out, 33, "%s", id ? id : "");
		if (n < shown)
			rs_buf_printf(matches, "%s%.12s", n ? ", " : "", id ? id : "");
		else if (n == shown)
			rs_buf_puts(matches, ", ...");
		n++;
	}
	if (rc == RS_DB_ERROR)
		return failed(store, stmt);
	rs_db_finalize(stmt);
	return n == 0 ? 1 : n == 1 ? 0 : 2;
}

/* An object column: the parsed JSON when it is an object, else NULL. */
static json_t *object_column(rs_db_stmt *stmt, int col)
{
	json_t *v = rs_db_column_json(stmt, col);
	if (json_is_object(v))
		return v;
	json_decref(v);
	return NULL;
}

int rs_pg_scan_summary(rs_store *store, const char *id, rs_summary *s)
{
	rs_db_stmt *stmt = rs_db_prepare(store->pg,
		"SELECT id, host, root, started, duration_ms, complete, counts, score, exit_code,"
		" modules, host_info FROM scans WHERE id = ?");
	if (!stmt)
		return failed(store, NULL);
	rs_db_bind_text(stmt, 1, id);
	int rc = rs_db_step(stmt);
	if (rc == RS_DB_ERROR)
		return failed(store, stmt);
	if (rc == RS_DB_ROW) {
		const char *text;
		snprintf(s->scan, sizeof(s->scan), "%s", (text = rs_db_column_text(stmt, 0)) ? text : "");
		s->host = (text = rs_db_column_text(stmt, 1)) ? rs_strdup(text) : NULL;
		s->root = (text = rs_db_column_text(stmt, 2)) ? rs_strdup(text) : NULL;
		snprintf(s->started, sizeof(s->started), "%s", (text = rs_db_column_text(stmt, 3)) ? text : "");
		s->duration_ms = rs_db_column_int64(stmt, 4);
		s->complete = rs_db_column_int64(stmt, 5) != 0;
		json_t *counts = object_column(stmt, 6);
		for (int i = 0; i < RS_SEV_COUNT; i++) {
			json_int_t n = json_integer_value(json_object_get(counts, rs_severity_name((rs_severity)i)));
			s->counts[i] = n > 0 ? (unsigned long)n : 0;
		}
		json_decref(counts);
		if (!rs_db_column_null(stmt, 7))
			s->score = (int)rs_db_column_int64(stmt, 7);
		s->exit_code = (int)rs_db_column_int64(stmt, 8);
		json_t *modules = object_column(stmt, 9), *host_info = object_column(stmt, 10);
		if (modules)
			json_object_update(s->modules, modules);
		if (host_info)
			json_object_update(s->host_info, host_info);
		json_decref(modules);
		json_decref(host_info);
	}
	rs_db_finalize(stmt);
	return rc == RS_DB_ROW ? 0 : 1;
}

int rs_pg_scan_findings(rs_store *store, const char *id, rs_finding ***findings, size_t *count)
{
	*findings = NULL;
	*count = 0;
	rs_db_stmt *stmt = rs_db_prepare(store->pg, "SELECT seq, json FROM findings WHERE scan = ? ORDER BY seq");
	if (!stmt)
		return failed(store, NULL);
	rs_db_bind_text(stmt, 1, id);
	rs_vec list;
	rs_vec_init(&list, sizeof(rs_finding *));
	int rc;
	while ((rc = rs_db_step(stmt)) == RS_DB_ROW) {
		json_t *obj = rs_db_column_json(stmt, 1);
		rs_finding *f = json_is_object(obj) ? rs_finding_from_json(obj) : NULL;
		json_decref(obj);
		if (f)
			*(rs_finding **)rs_vec_push(&list) = f;
		else
			rs_warn(_("%s: finding %lld of scan %s is damaged and was skipped"), store->path,
				rs_db_column_int64(stmt, 0), id);
	}
	if (rc == RS_DB_ERROR) {
		for (size_t i = 0; i < list.len; i++)
			rs_finding_free(*(rs_finding **)rs_vec_at(&list, i));
		rs_vec_free(&list);
		return failed(store, stmt);
	}
	rs_db_finalize(stmt);
	*findings = list.items;
	*count = list.len;
	return 0;
}
