/*
 * incidents.c — reading and writing the incident rows of the scan store
 * (see incidents.h).
 */
#include "store/incidents.h"
#include "core/i18n.h"
#include "store/incidents_pg.h"
#include "store/store_internal.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *rs_store_db_path(const rs_store *store)
{
	return store->path;
}

static int fail(rs_store *store, const char *what, char *err, size_t errsize)
{
	snprintf(err, errsize, _("%s: cannot %s: %s; check the database (rasoat history) or give "
		 "another --db"), store->path, what, sqlite3_errmsg(store->db));
	return -1;
}

static sqlite3_stmt *prepare(rs_store *store, const char *sql, char *err, size_t errsize)
{
	sqlite3_stmt *stmt = NULL;
	if (sqlite3_prepare_v2(store->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
		fail(store, _("query the incidents"), err, errsize);
		return NULL;
	}
	return stmt;
}

int rs_store_incident_begin(rs_store *store, char *err, size_t errsize)
{
	if (store->pg)
		return rs_pg_incident_begin(store, err, errsize);
	if (rs_store_exec(store, "BEGIN IMMEDIATE") < 0)
		return fail(store, _("start a transaction"), err, errsize);
	return 0;
}

int rs_store_incident_commit(rs_store *store, char *err, size_t errsize)
{
	if (store->pg)
		return rs_pg_incident_commit(store, err, errsize);
	if (rs_store_exec(store, "COMMIT") < 0) {
		fail(store, _("commit the incident"), err, errsize);
		rs_store_exec(store, "ROLLBACK");
		return -1;
	}
	return 0;
}

void rs_store_incident_rollback(rs_store *store)
{
	if (store->pg) {
		rs_pg_incident_rollback(store);
		return;
	}
	rs_store_exec(store, "ROLLBACK");
}

static int step_done(rs_store *store, sqlite3_stmt *stmt, const char *what, char *err,
		     size_t errsize)
{
	int rc = sqlite3_step(stmt) == SQLITE_DONE ? 0 : fail(store, what, err, errsize);
	sqlite3_finalize(stmt);
	return rc;
}

int rs_store_incident_insert(rs_store *store, int year, const char *detected, const char *created,
			     const json_t *record, char **id_out, char *err, size_t errsize)
{
	if (store->pg)
		return rs_pg_incident_insert(store, year, detected, created, record, id_out, err, errsize);
	*id_out = NULL;
	sqlite3_stmt *stmt = prepare(store,
		"SELECT COALESCE(MAX(seq), 0) + 1 FROM incidents WHERE year = ?", err, errsize);
	if (!stmt)
		return -1;
	sqlite3_bind_int(stmt, 1, year);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		sqlite3_finalize(stmt);
		return fail(store, _("number the incident"), err, errsize);
	}
	long long seq = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	if (seq > 9999) {
		snprintf(err, errsize, _("%s: %d already has 9999 incidents; no number is left"),
			 store->path, year);
		return -1;
	}
	char *id = rs_sprintf("INC-%04d-%04lld", year, seq);
	stmt = prepare(store,
		"INSERT INTO incidents (id, year, seq, detected, created, record) VALUES (?, ?, ?, ?, ?, ?)",
		err, errsize);
	if (!stmt) {
		free(id);
		return -1;
	}
	rs_store_bind_text(stmt, 1, id);
	sqlite3_bind_int(stmt, 2, year);
	sqlite3_bind_int64(stmt, 3, seq);
	rs_store_bind_text(stmt, 4, detected);
	rs_store_bind_text(stmt, 5, created);
	rs_store_bind_json(stmt, 6, record);
	if (step_done(store, stmt, "record the incident", err, errsize) < 0) {
		free(id);
		return -1;
	}
	*id_out = id;
	return 0;
}

int rs_store_incident_get(rs_store *store, const char *id, json_t **out, char *err,
			  size_t errsize)
{
	if (store->pg)
		return rs_pg_incident_get(store, id, out, err, errsize);
	*out = NULL;
	sqlite3_stmt *stmt = prepare(store, "SELECT record FROM incidents WHERE id = ?", err, errsize);
	if (!stmt)
		return -1;
	rs_store_bind_text(stmt, 1, id);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE) {
		sqlite3_finalize(stmt);
		return 1;
	}
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(stmt);
		return fail(store, _("read the incident"), err, errsize);
	}
	const char *text = (const char *)sqlite3_column_text(stmt, 0);
	json_error_t jerr;
	*out = text ? json_loads(text, 0, &jerr) : NULL;
	sqlite3_finalize(stmt);
	if (!json_is_object(*out)) {
		json_decref(*out);
		*out = NULL;
		snprintf(err, errsize, _("%s: incident %s: its stored record is not a JSON object; "
			 "the database was changed outside rasoat"), store->path, id);
		return -1;
	}
	return 0;
}

int rs_store_incident_put(rs_store *store, const char *id, const char *detected,
			  const json_t *record, char *err, size_t errsize)
{
	if (store->pg)
		return rs_pg_incident_put(store, id, detected, record, err, errsize);
	sqlite3_stmt *stmt = prepare(store,
		"UPDATE incidents SET record = ?, detected = ? WHERE id = ?", err, errsize);
	if (!stmt)
		return -1;
	rs_store_bind_json(stmt, 1, record);
	rs_store_bind_text(stmt, 2, detected);
	rs_store_bind_text(stmt, 3, id);
	return step_done(store, stmt, "update the incident", err, errsize);
}

json_t *rs_store_incident_ids(rs_store *store, const char *from, const char *to, char *err,
			      size_t errsize)
{
	if (store->pg)
		return rs_pg_incident_ids(store, from, to, err, errsize);
	sqlite3_stmt *stmt = prepare(store,
		"SELECT id FROM incidents WHERE (?1 IS NULL OR detected >= ?1)"
		" AND (?2 IS NULL OR detected <= ?2) ORDER BY detected, year, seq", err, errsize);
	if (!stmt)
		return NULL;
	rs_store_bind_text(stmt, 1, from);
	rs_store_bind_text(stmt, 2, to);
	json_t *ids = json_array();
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		json_array_append_new(ids, json_string((const char *)sqlite3_column_text(stmt, 0)));
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		json_decref(ids);
		fail(store, _("list the incidents"), err, errsize);
		return NULL;
	}
	return ids;
}

int rs_store_incident_link(rs_store *store, const char *id, const char *kind, const char *value,
			   const char *sha256, const char *time, char *err, size_t errsize)
{
	if (store->pg)
		return rs_pg_incident_link(store, id, kind, value, sha256, time, err, errsize);
	sqlite3_stmt *stmt = prepare(store,
		"INSERT OR IGNORE INTO incident_links (incident, kind, value, sha256, time)"
		" VALUES (?, ?, ?, ?, ?)", err, errsize);
	if (!stmt)
		return -1;
	rs_store_bind_text(stmt, 1, id);
	rs_store_bind_text(stmt, 2, kind);
	rs_store_bind_text(stmt, 3, value);
	rs_store_bind_text(stmt, 4, sha256);
	rs_store_bind_text(stmt, 5, time);
	if (step_done(store, stmt, "link to the incident", err, errsize) < 0)
		return -1;
	return sqlite3_changes(store->db) > 0 ? 1 : 0;
}

static json_t *column_json(sqlite3_stmt *stmt, int col)
{
	const char *text = (const char *)sqlite3_column_text(stmt, col);
	return text ? json_string(text) : json_null();
}

json_t *rs_store_incident_links(rs_store *store, const char *id, char *err, size_t errsize)
{
	if (store->pg)
		return rs_pg_incident_links(store, id, err, errsize);
	sqlite3_stmt *stmt = prepare(store,
		"SELECT kind, value, sha256, time FROM incident_links WHERE incident = ? ORDER BY rowid",
		err, errsize);
	if (!stmt)
		return NULL;
	rs_store_bind_text(stmt, 1, id);
	json_t *links = json_array();
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		json_array_append_new(links, json_pack("{s:o, s:o, s:o, s:o}",
			"kind", column_json(stmt, 0), "value", column_json(stmt, 1),
			"sha256", column_json(stmt, 2), "time", column_json(stmt, 3)));
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		json_decref(links);
		fail(store, _("read the incident's links"), err, errsize);
		return NULL;
	}
	return links;
}

int rs_store_incident_event(rs_store *store, const char *id, const char *time, const char *kind,
			    const char *state, const char *operator_name, const char *text,
			    char *err, size_t errsize)
{
	if (store->pg)
		return rs_pg_incident_event(store, id, time, kind, state, operator_name, text, err, errsize);
	sqlite3_stmt *stmt = prepare(store,
		"INSERT INTO incident_events (incident, time, kind, state, operator, text)"
		" VALUES (?, ?, ?, ?, ?, ?)", err, errsize);
	if (!stmt)
		return -1;
	rs_store_bind_text(stmt, 1, id);
	rs_store_bind_text(stmt, 2, time);
	rs_store_bind_text(stmt, 3, kind);
	rs_store_bind_text(stmt, 4, state);
	rs_store_bind_text(stmt, 5, operator_name);
	rs_store_bind_text(stmt, 6, text);
	return step_done(store, stmt, "record the incident's event", err, errsize);
}

json_t *rs_store_incident_events(rs_store *store, const char *id, char *err, size_t errsize)
{
	if (store->pg)
		return rs_pg_incident_events(store, id, err, errsize);
	sqlite3_stmt *stmt = prepare(store,
		"SELECT time, kind, state, operator, text FROM incident_events WHERE incident = ?"
		" ORDER BY seq", err, errsize);
	if (!stmt)
		return NULL;
	rs_store_bind_text(stmt, 1, id);
	json_t *events = json_array();
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		json_array_append_new(events, json_pack("{s:o, s:o, s:o, s:o, s:o}",
			"time", column_json(stmt, 0), "kind", column_json(stmt, 1),
			"state", column_json(stmt, 2), "operator", column_json(stmt, 3),
			"text", column_json(stmt, 4)));
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		json_decref(events);
		fail(store, _("read the incident's events"), err, errsize);
		return NULL;
	}
	return events;
}
