/*
 * incidents_pg.c — the incident records in PostgreSQL: the same rows as
 * store/incidents.c keeps in SQLite (tables incidents, incident_links,
 * incident_events; the "fleetgaps" block of store/db_pg_schema.c), through
 * the database interface (store/db.h), so a fleet on PostgreSQL keeps its
 * incidents beside its hosts and `rasoat incident --db postgresql://…`
 * and the server's dashboard read and write the same records. Each
 * rs_store_incident_* function of incidents.h calls the twin here when
 * the store's incidents live in PostgreSQL.
 */
#include "store/incidents_pg.h"
#include "store/db.h"
#include "store/incidents.h"
#include "store/store_internal.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int rs_store_open_incidents(const char *url, rs_store **out)
{
	if (!rs_store_is_pg_url(url))
		return rs_store_open(url, out);
	*out = NULL;
	rs_db *db = NULL;
	char err[1024];
	if (rs_db_open(url, &db, err, sizeof(err)) < 0) {
		rs_error("%s", err);
		return -1;
	}
	rs_store *store = NULL;
	if (rs_store_open_memory(rs_db_name(db), &store) < 0) {
		rs_db_close(db);
		return -1;
	}
	store->pg = db;
	*out = store;
	return 0;
}

static int fail(rs_store *store, const char *what, char *err, size_t errsize)
{
	snprintf(err, errsize, _("%s: cannot %s: %s; check that the database is up"), store->path, what,
		 rs_db_errmsg(store->pg));
	return -1;
}

int rs_pg_incident_begin(rs_store *store, char *err, size_t errsize)
{
	return rs_db_begin(store->pg) < 0 ? fail(store, "start a transaction", err, errsize) : 0;
}

int rs_pg_incident_commit(rs_store *store, char *err, size_t errsize)
{
	if (rs_db_commit(store->pg) < 0) {
		fail(store, "commit the incident", err, errsize);
		rs_db_rollback(store->pg);
		return -1;
	}
	return 0;
}

void rs_pg_incident_rollback(rs_store *store)
{
	rs_db_rollback(store->pg);
}

static int done(rs_store *store, rs_db_stmt *stmt, const char *what, char *err, size_t errsize)
{
	int rc = rs_db_step(stmt);
	rs_db_finalize(stmt);
	return rc == RS_DB_DONE ? 0 : fail(store, what, err, errsize);
}

int rs_pg_incident_insert(rs_store *store, int year, const char *detected, const char *created,
			  const json_t *record, char **id_out, char *err, size_t errsize)
{
	*id_out = NULL;
	/* numbering: one writer at a time per database (the caller holds a transaction) */
	if (rs_db_exec(store->pg, "LOCK TABLE incidents IN EXCLUSIVE MODE") < 0)
		return fail(store, "number the incident", err, errsize);
	rs_db_stmt *stmt = rs_db_prepare(store->pg, "SELECT COALESCE(MAX(seq), 0) + 1 FROM incidents WHERE year = ?");
	if (!stmt)
		return fail(store, "number the incident", err, errsize);
	rs_db_bind_int64(stmt, 1, year);
	int rc = rs_db_step(stmt);
	long long seq = rc == RS_DB_ROW ? rs_db_column_int64(stmt, 0) : 0;
	rs_db_finalize(stmt);
	if (rc != RS_DB_ROW)
		return fail(store, "number the incident", err, errsize);
	if (seq > 9999) {
		snprintf(err, errsize, _("%s: %d already has 9999 incidents; no number is left"), store->path, year);
		return -1;
	}
	char *id = rs_sprintf("INC-%04d-%04lld", year, seq);
	stmt = rs_db_prepare(store->pg, "INSERT INTO incidents (id, year, seq, detected, created, record)"
					" VALUES (?, ?, ?, ?, ?, ?)");
	if (!stmt) {
		free(id);
		return fail(store, "record the incident", err, errsize);
	}
	rs_db_bind_text(stmt, 1, id);
	rs_db_bind_int64(stmt, 2, year);
	rs_db_bind_int64(stmt, 3, seq);
	rs_db_bind_text(stmt, 4, detected);
	rs_db_bind_text(stmt, 5, created);
	rs_db_bind_json(stmt, 6, record);
	if (done(store, stmt, "record the incident", err, errsize) < 0) {
		free(id);
		return -1;
	}
	*id_out = id;
	return 0;
}

int rs_pg_incident_get(rs_store *store, const char *id, json_t **out, char *err, size_t errsize)
{
	*out = NULL;
	rs_db_stmt *stmt = rs_db_prepare(store->pg, "SELECT record FROM incidents WHERE id = ?");
	if (!stmt)
		return fail(store, "read the incident", err, errsize);
	rs_db_bind_text(stmt, 1, id);
	int rc = rs_db_step(stmt);
	if (rc == RS_DB_ROW)
		*out = rs_db_column_json(stmt, 0);
	rs_db_finalize(stmt);
	if (rc == RS_DB_DONE)
		return 1;
	if (rc != RS_DB_ROW)
		return fail(store, "read the incident", err, errsize);
	if (!json_is_object(*out)) {
		json_decref(*out);
		*out = NULL;
		snprintf(err, errsize, _("%s: incident %s: its stored record is not a JSON object; the database was "
					 "changed outside rasoat"), store->path, id);
		return -1;
	}
	return 0;
}

int rs_pg_incident_put(rs_store *store, const char *id, const char *detected, const json_t *record, char *err,
		       size_t errsize)
{
	rs_db_stmt *stmt = rs_db_prepare(store->pg, "UPDATE incidents SET record = ?, detected = ? WHERE id = ?");
	if (!stmt)
		return fail(store, "update the incident", err, errsize);
	rs_db_bind_json(stmt, 1, record);
	rs_db_bind_text(stmt, 2, detected);
	rs_db_bind_text(stmt, 3, id);
	return done(store, stmt, "update the incident", err, errsize);
}

json_t *rs_pg_incident_ids(rs_store *store, const char *from, const char *to, char *err, size_t errsize)
{
	rs_db_stmt *stmt = rs_db_prepare(store->pg,
		"SELECT id FROM incidents WHERE (?1::text IS NULL OR detected >= ?1)"
		" AND (?2::text IS NULL OR detected <= ?2) ORDER BY detected, year, seq");
	if (!stmt) {
		fail(store, "list the incidents", err, errsize);
		return NULL;
	}
	rs_db_bind_text(stmt, 1, from);
	rs_db_bind_text(stmt, 2, to);
	json_t *ids = json_array();
	int rc;
	while ((rc = rs_db_step(stmt)) == RS_DB_ROW)
		json_array_append_new(ids, rs_db_column_jstring(stmt, 0));
	rs_db_finalize(stmt);
	if (rc != RS_DB_DONE) {
		json_decref(ids);
		fail(store, "list the incidents", err, errsize);
		return NULL;
	}
	return ids;
}

int rs_pg_incident_link(rs_store *store, const char *id, const char *kind, const char *value, const char *sha256,
			const char *time, char *err, size_t errsize)
{
	rs_db_stmt *stmt = rs_db_prepare(store->pg,
		"INSERT INTO incident_links (incident, kind, value, sha256, time) VALUES (?, ?, ?, ?, ?)"
		" ON CONFLICT (incident, kind, value) DO NOTHING");
	if (!stmt)
		return fail(store, "link to the incident", err, errsize);
	rs_db_bind_text(stmt, 1, id);
	rs_db_bind_text(stmt, 2, kind);
	rs_db_bind_text(stmt, 3, value);
	rs_db_bind_text(stmt, 4, sha256);
	rs_db_bind_text(stmt, 5, time);
	if (done(store, stmt, "link to the incident", err, errsize) < 0)
		return -1;
	return rs_db_changes(store->pg) > 0 ? 1 : 0;
}

json_t *rs_pg_incident_links(rs_store *store, const char *id, char *err, size_t errsize)
{
	rs_db_stmt *stmt = rs_db_prepare(store->pg,
		"SELECT kind, value, sha256, time FROM incident_links WHERE incident = ? ORDER BY rowid");
	if (!stmt) {
		fail(store, "read the incident's links", err, errsize);
		return NULL;
	}
	rs_db_bind_text(stmt, 1, id);
	json_t *links = json_array();
	int rc;
	while ((rc = rs_db_step(stmt)) == RS_DB_ROW)
		json_array_append_new(links, json_pack("{s:o, s:o, s:o, s:o}",
			"kind", rs_db_column_jstring(stmt, 0), "value", rs_db_column_jstring(stmt, 1),
			"sha256", rs_db_column_jstring(stmt, 2), "time", rs_db_column_jstring(stmt, 3)));
	rs_db_finalize(stmt);
	if (rc != RS_DB_DONE) {
		json_decref(links);
		fail(store, "read the incident's links", err, errsize);
		return NULL;
	}
	return links;
}

int rs_pg_incident_event(rs_store *store, const char *id, const char *time, const char *kind, const char *state,
			 const char *operator_name, const char *text, char *err, size_t errsize)
{
	rs_db_stmt *stmt = rs_db_prepare(store->pg,
		"INSERT INTO incident_events (incident, time, kind, state, operator, text) VALUES (?, ?, ?, ?, ?, ?)");
	if (!stmt)
		return fail(store, "record the incident's event", err, errsize);
	rs_db_bind_text(stmt, 1, id);
	rs_db_bind_text(stmt, 2, time);
	rs_db_bind_text(stmt, 3, kind);
	rs_db_bind_text(stmt, 4, state);
	rs_db_bind_text(stmt, 5, operator_name);
	rs_db_bind_text(stmt, 6, text);
	return done(store, stmt, "record the incident's event", err, errsize);
}

json_t *rs_pg_incident_events(rs_store *store, const char *id, char *err, size_t errsize)
{
	rs_db_stmt *stmt = rs_db_prepare(store->pg,
		"SELECT time, kind, state, operator, text FROM incident_events WHERE incident = ? ORDER BY seq");
	if (!stmt) {
		fail(store, "read the incident's events", err, errsize);
		return NULL;
	}
	rs_db_bind_text(stmt, 1, id);
	json_t *events = json_array();
	int rc;
	while ((rc = rs_db_step(stmt)) == RS_DB_ROW)
		json_array_append_new(events, json_pack("{s:o, s:o, s:o, s:o, s:o}",
			"time", rs_db_column_jstring(stmt, 0), "kind", rs_db_column_jstring(stmt, 1),
			"state", rs_db_column_jstring(stmt, 2), "operator", rs_db_column_jstring(stmt, 3),
			"text", rs_db_column_jstring(stmt, 4)));
	rs_db_finalize(stmt);
	if (rc != RS_DB_DONE) {
		json_decref(events);
		fail(store, "read the incident's events", err, errsize);
		return NULL;
	}
	return events;
}
