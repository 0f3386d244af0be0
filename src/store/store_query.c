/*
 * store_query.c — reading the scan store: the list of scans, resolving the
 * scan names users type (ids, prefixes, "last", "last~N"), and loading a
 * scan's summary and findings, or replaying them into sinks (see store.h).
 */
#include "store/store_internal.h"
#include "store/scans_pg.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCAN_ID_DIGITS 32
#define MIN_PREFIX_DIGITS 4
#define SHORT_ID_DIGITS 12
#define AMBIGUOUS_SHOWN 5

/* A JSON column parsed; an empty object when NULL or not JSON. */
static json_t *column_json(sqlite3_stmt *stmt, int col)
{
	const char *text = (const char *)sqlite3_column_text(stmt, col);
	json_t *value = text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;
	return value ? value : json_object();
}

/* An integer column, or JSON null when the column is NULL. */
static json_t *column_integer_or_null(sqlite3_stmt *stmt, int col)
{
	if (sqlite3_column_type(stmt, col) == SQLITE_NULL)
		return json_null();
	return json_integer(sqlite3_column_int64(stmt, col));
}

static const char *column_text(sqlite3_stmt *stmt, int col)
{
	const char *text = (const char *)sqlite3_column_text(stmt, col);
	return text ? text : "";
}

static void query_failed(rs_store *store)
{
	rs_error(_("%s: cannot read the scan database: %s"), store->path, sqlite3_errmsg(store->db));
}

/* Columns: id, host, root, started, duration_ms, complete, counts, score. */
static json_t *scan_object(sqlite3_stmt *stmt)
{
	json_t *o = json_object();
	json_object_set_new(o, "type", json_string("scan"));
	json_object_set_new(o, "scan", json_string(column_text(stmt, 0)));
	json_object_set_new(o, "host", json_string(column_text(stmt, 1)));
	json_object_set_new(o, "root", json_string(column_text(stmt, 2)));
	json_object_set_new(o, "started", json_string(column_text(stmt, 3)));
	json_object_set_new(o, "duration_ms", column_integer_or_null(stmt, 4));
	json_object_set_new(o, "complete", json_boolean(sqlite3_column_int(stmt, 5) != 0));
	json_object_set_new(o, "counts", column_json(stmt, 6));
	json_object_set_new(o, "score", column_integer_or_null(stmt, 7));
	return o;
}

json_t *rs_store_list(rs_store *store)
{
	sqlite3_stmt *stmt = rs_store_prepare(store,
		"SELECT id, host, root, started, duration_ms, complete, counts, score"
		" FROM scans ORDER BY started DESC, rowid DESC");
	if (!stmt)
		return NULL;
	json_t *list = json_array();
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		json_array_append_new(list, scan_object(stmt));
	if (rc != SQLITE_DONE) {
		query_failed(store);
		json_decref(list);
		list = NULL;
	}
	sqlite3_finalize(stmt);
	return list;
}

static void no_such_scan(rs_store *store, const char *id)
{
	rs_error(_("no scan %s in %s; see `rasoat history --db %s`"), id, store->path, store->path);
}

/* The complete scan BACK places before the newest complete one. */
static int resolve_last(rs_store *store, const char *id, long back, char out[33])
{
	if (store->pg) {   /* incident records in the fleet's PostgreSQL */
		int found = rs_pg_scan_last(store, back, out);
		if (found == 1)
			no_such_scan(store, id);
		return found == 0 ? 0 : -1;
	}
	sqlite3_stmt *stmt = rs_store_prepare(store,
		"SELECT id FROM scans WHERE complete = 1 ORDER BY started DESC, rowid DESC"
		" LIMIT 1 OFFSET ?");
	if (!stmt)
		return -1;
	sqlite3_bind_int64(stmt, 1, back);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		snprintf(out, 33, "%s", column_text(stmt, 0));
	else if (rc == SQLITE_DONE)
		no_such_scan(store, id);
	else
		query_failed(store);
	sqlite3_finalize(stmt);
	return rc == SQLITE_ROW ? 0 : -1;
}

/* Lower-cases a prefix of hex digits into OUT; false when it is not one. */
static bool normalise_prefix(const char *id, char out[SCAN_ID_DIGITS + 1])
{
	size_t len = strlen(id);
	if (len < MIN_PREFIX_DIGITS || len > SCAN_ID_DIGITS)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (!isxdigit((unsigned char)id[i]))
			return false;
		out[i] = (char)tolower((unsigned char)id[i]);
	}
	out[len] = '\0';
	return true;
}

static void report_ambiguous(rs_store *store, const char *id, sqlite3_stmt *stmt)
{
	rs_buf matches;
	rs_buf_init(&matches);
	int shown = 0;
	int rc = SQLITE_ROW;
	for (; rc == SQLITE_ROW && shown < AMBIGUOUS_SHOWN; rc = sqlite3_step(stmt), shown++)
		rs_buf_printf(&matches, "%s%.*s", shown ? ", " : "", SHORT_ID_DIGITS,
			      column_text(stmt, 0));
	if (rc == SQLITE_ROW)
		rs_buf_puts(&matches, ", ...");
	rs_error(_("scan id %s is ambiguous in %s: it matches %s; give more digits"),
		 id, store->path, matches.data);
	rs_buf_free(&matches);
}

static int resolve_prefix(rs_store *store, const char *id, char out[33])
{
	char prefix[SCAN_ID_DIGITS + 1];
	if (!normalise_prefix(id, prefix)) {
		rs_error(_("'%s' is not a scan name: give a scan id or a prefix of at least %d of "
			 "its hex digits, 'last' or 'last~N'; see `rasoat history --db %s`"),
			 id, MIN_PREFIX_DIGITS, store->path);
		return -1;
	}
	if (store->pg) {   /* incident records in the fleet's PostgreSQL */
		rs_buf matches;
		rs_buf_init(&matches);
		int found = rs_pg_scan_prefix(store, prefix, out, AMBIGUOUS_SHOWN, &matches);
		if (found == 1)
			no_such_scan(store, id);
		else if (found == 2)
			rs_error(_("scan id %s is ambiguous in %s: it matches %s; give more digits"),
				 id, store->path, matches.data);
		rs_buf_free(&matches);
		return found == 0 ? 0 : -1;
	}
	sqlite3_stmt *stmt = rs_store_prepare(store,
		"SELECT id FROM scans WHERE substr(id, 1, ?) = ? ORDER BY started DESC, rowid DESC");
	if (!stmt)
		return -1;
	sqlite3_bind_int(stmt, 1, (int)strlen(prefix));
	rs_store_bind_text(stmt, 2, prefix);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		snprintf(out, 33, "%s", column_text(stmt, 0));
		rc = sqlite3_step(stmt);
		if (rc == SQLITE_ROW)
			report_ambiguous(store, id, stmt);
	} else if (rc == SQLITE_DONE) {
		no_such_scan(store, id);
		rc = SQLITE_ROW; /* reported */
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		query_failed(store);
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? 0 : -1;
}

int rs_store_resolve(rs_store *store, const char *id, char out[33])
{
	out[0] = '\0';
	if (strcmp(id, "last") == 0)
		return resolve_last(store, id, 0, out);
	if (rs_starts_with(id, "last~")) {
		long back;
		if (!rs_parse_long(id + 5, &back) || back < 0) {
			rs_error(_("'%s': give last~N with N a number of scans back (last~1 is the one "
				 "before the last)"), id);
			return -1;
		}
		return resolve_last(store, id, back, out);
	}
	int rc = resolve_prefix(store, id, out);
	if (rc < 0)
		out[0] = '\0';
	return rc;
}

static void counts_from_json(unsigned long counts[RS_SEV_COUNT], const json_t *obj)
{
	for (int i = 0; i < RS_SEV_COUNT; i++) {
		json_int_t n = json_integer_value(json_object_get(obj, rs_severity_name((rs_severity)i)));
		counts[i] = n > 0 ? (unsigned long)n : 0;
	}
}

/* Columns: id, host, root, started, duration_ms, complete, counts, score,
 * exit_code, modules, host_info. */
static void summary_from_row(rs_summary *s, sqlite3_stmt *stmt)
{
	snprintf(s->scan, sizeof(s->scan), "%s", column_text(stmt, 0));
	s->host = rs_strdup(column_text(stmt, 1));
	s->root = rs_strdup(column_text(stmt, 2));
	snprintf(s->started, sizeof(s->started), "%s", column_text(stmt, 3));
	s->duration_ms = sqlite3_column_int64(stmt, 4);
	s->complete = sqlite3_column_int(stmt, 5) != 0;
	json_t *counts = column_json(stmt, 6);
	counts_from_json(s->counts, counts);
	json_decref(counts);
	if (sqlite3_column_type(stmt, 7) != SQLITE_NULL)
		s->score = sqlite3_column_int(stmt, 7);
	s->exit_code = sqlite3_column_int(stmt, 8);
	json_t *modules = column_json(stmt, 9);
	json_t *host_info = column_json(stmt, 10);
	if (json_is_object(modules))
		json_object_update(s->modules, modules);
	if (json_is_object(host_info))
		json_object_update(s->host_info, host_info);
	json_decref(modules);
	json_decref(host_info);
}

int rs_store_load_summary(rs_store *store, const char *id, rs_summary *summary)
{
	rs_summary_init(summary);
	if (store->pg) {
		int found = rs_pg_scan_summary(store, id, summary);
		if (found == 1)
			no_such_scan(store, id);
		return found == 0 ? 0 : -1;
	}
	sqlite3_stmt *stmt = rs_store_prepare(store,
		"SELECT id, host, root, started, duration_ms, complete, counts, score, exit_code,"
		" modules, host_info FROM scans WHERE id = ?");
	if (!stmt)
		return -1;
	rs_store_bind_text(stmt, 1, id);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		summary_from_row(summary, stmt);
	else if (rc == SQLITE_DONE)
		no_such_scan(store, id);
	else
		query_failed(store);
	sqlite3_finalize(stmt);
	return rc == SQLITE_ROW ? 0 : -1;
}

/* Parses a stored finding; NULL (after a warning) when it is damaged. */
static rs_finding *finding_from_row(rs_store *store, const char *id, sqlite3_stmt *stmt)
{
	const char *text = column_text(stmt, 1);
	json_t *obj = json_loads(text, 0, NULL);
	rs_finding *f = obj ? rs_finding_from_json(obj) : NULL;
	json_decref(obj);
	if (!f)
		rs_warn(_("%s: finding %lld of scan %s is damaged and was skipped"), store->path,
			(long long)sqlite3_column_int64(stmt, 0), id);
	return f;
}

int rs_store_load_findings(rs_store *store, const char *id, rs_finding ***findings, size_t *count)
{
	*findings = NULL;
	*count = 0;
	if (store->pg)
		return rs_pg_scan_findings(store, id, findings, count);
	sqlite3_stmt *stmt = rs_store_prepare(store,
		"SELECT seq, json FROM findings WHERE scan = ? ORDER BY seq");
	if (!stmt)
		return -1;
	rs_store_bind_text(stmt, 1, id);
	rs_vec list;
	rs_vec_init(&list, sizeof(rs_finding *));
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		rs_finding *f = finding_from_row(store, id, stmt);
		if (f)
			*(rs_finding **)rs_vec_push(&list) = f;
	}
	if (rc != SQLITE_DONE)
		query_failed(store);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		for (size_t i = 0; i < list.len; i++)
			rs_finding_free(*(rs_finding **)rs_vec_at(&list, i));
		rs_vec_free(&list);
		return -1;
	}
	*findings = list.items;
	*count = list.len;
	return 0;
}

int rs_store_replay(rs_store *store, const char *id, rs_sinks *sinks)
{
	rs_summary summary;
	rs_finding **findings = NULL;
	size_t count = 0;
	if (rs_store_load_summary(store, id, &summary) < 0 ||
	    rs_store_load_findings(store, id, &findings, &count) < 0) {
		rs_summary_free(&summary);
		return -1;
	}
	int rc = rs_sinks_begin(sinks, &summary);
	for (size_t i = 0; i < count; i++) {
		if (rs_sinks_finding(sinks, findings[i]) < 0)
			rc = -1;
		rs_finding_free(findings[i]);
	}
	free(findings);
	if (rs_sinks_end(sinks, &summary) < 0)
		rc = -1;
	rs_summary_free(&summary);
	return rc;
}
