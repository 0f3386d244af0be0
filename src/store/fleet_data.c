/*
 * fleet_data.c — what agents upload and what operators read back
 * (store/fleet.h): result batches stored once each, their scans and
 * findings in the scans/findings tables with the agent that sent them, and
 * the host and finding lists of GET /api/v1.
 */
#include "store/fleet.h"
#include "store/store_internal.h"
#include "core/log.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ONLINE_SECONDS 900   /* seen this recently: online (three check-in intervals) */
#define HOST_SCANS_SHOWN 50

static void db_failed(rs_store *store, const char *doing)
{
	rs_error("%s: cannot %s: %s", store->path, doing, sqlite3_errmsg(store->db));
}

/* 0 inserted, 1 already there, -1 error. */
static int insert_batch(rs_store *store, const char *agent, const char *batch_id, size_t n, long long now)
{
	sqlite3_stmt *stmt = rs_store_prepare(store,
		"INSERT INTO fleet_batches (agent, batch_id, received, scans) VALUES (?, ?, ?, ?)");
	if (!stmt)
		return -1;
	rs_store_bind_text(stmt, 1, agent);
	rs_store_bind_text(stmt, 2, batch_id);
	sqlite3_bind_int64(stmt, 3, now);
	sqlite3_bind_int64(stmt, 4, (sqlite3_int64)n);
	int step = sqlite3_step(stmt);
	int ext = sqlite3_extended_errcode(store->db);
	sqlite3_finalize(stmt);
	if (step == SQLITE_DONE)
		return 0;
	return ext == SQLITE_CONSTRAINT_PRIMARYKEY ? 1 : -1;
}

/* Who owns scan ID: 0 nobody, 1 AGENT, 2 someone else, -1 error. */
static int scan_owner(rs_store *store, const char *id, const char *agent)
{
	sqlite3_stmt *stmt = rs_store_prepare(store, "SELECT agent FROM scans WHERE id = ?");
	if (!stmt)
		return -1;
	rs_store_bind_text(stmt, 1, id);
	int step = sqlite3_step(stmt);
	int rc = -1;
	if (step == SQLITE_DONE)
		rc = 0;
	else if (step == SQLITE_ROW) {
		const char *owner = (const char *)sqlite3_column_text(stmt, 0);
		rc = owner && strcmp(owner, agent) == 0 ? 1 : 2;
	}
	sqlite3_finalize(stmt);
	return rc;
}

static int insert_scan(rs_store *store, const char *agent, const rs_summary *s)
{
	sqlite3_stmt *stmt = rs_store_prepare(store,
		"INSERT INTO scans (id, host, root, started, duration_ms, complete, counts, score,"
		" exit_code, modules, host_info, summary, agent) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?)");
	if (!stmt)
		return -1;
	json_t *counts = rs_counts_to_json(s->counts);
	json_t *summary = rs_summary_to_json(s);
	json_object_del(summary, "complete");
	rs_store_bind_text(stmt, 1, s->scan);
	rs_store_bind_text(stmt, 2, s->host);
	rs_store_bind_text(stmt, 3, s->root ? s->root : "/");
	rs_store_bind_text(stmt, 4, s->started);
	sqlite3_bind_int64(stmt, 5, s->duration_ms);
	rs_store_bind_json(stmt, 6, counts);
	sqlite3_bind_int(stmt, 7, s->score);
	sqlite3_bind_int(stmt, 8, s->exit_code);
	rs_store_bind_json(stmt, 9, s->modules);
	rs_store_bind_json(stmt, 10, s->host_info);
	rs_store_bind_json(stmt, 11, summary);
	rs_store_bind_text(stmt, 12, agent);
	int rc = sqlite3_step(stmt) == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(stmt);
	json_decref(counts);
	json_decref(summary);
	return rc;
}

static int insert_findings(rs_store *store, const rs_fleet_upload *u)
{
	sqlite3_stmt *stmt = rs_store_prepare(store,
		"INSERT INTO findings (scan, seq, module, rule, severity, score, identity, json)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	if (!stmt)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < u->n_findings && rc == 0; i++) {
		if (rs_store_bind_finding(stmt, u->summary->scan, (long long)i, u->findings[i]) < 0 ||
		    sqlite3_step(stmt) != SQLITE_DONE)
			rc = -1;
		sqlite3_reset(stmt);
	}
	sqlite3_finalize(stmt);
	return rc;
}

/* Stores the scans of the batch inside the open transaction. */
static rs_fleet_batch_status store_scans(rs_store *store, const char *agent,
					 const rs_fleet_upload *scans, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int owner = scan_owner(store, scans[i].summary->scan, agent);
		if (owner < 0)
			return RS_BATCH_ERROR;
		if (owner == 2)
			return RS_BATCH_CONFLICT;
		if (owner == 1)
			continue; /* sent before in another batch: stored once */
		if (insert_scan(store, agent, scans[i].summary) < 0 || insert_findings(store, &scans[i]) < 0)
			return RS_BATCH_ERROR;
	}
	return RS_BATCH_STORED;
}

rs_fleet_batch_status rs_fleet_store_batch(rs_store *store, const char *agent, const char *batch_id,
					   const rs_fleet_upload *scans, size_t n, long long now)
{
	if (rs_store_exec(store, "BEGIN IMMEDIATE") < 0) {
		db_failed(store, "start storing a batch");
		return RS_BATCH_ERROR;
	}
	rs_fleet_batch_status status;
	int inserted = insert_batch(store, agent, batch_id, n, now);
	if (inserted < 0)
		status = RS_BATCH_ERROR;
	else if (inserted == 1)
		status = RS_BATCH_DUPLICATE;
	else
		status = store_scans(store, agent, scans, n);
	if (status == RS_BATCH_ERROR)
		db_failed(store, "store a batch");
	if (status == RS_BATCH_STORED && rs_store_exec(store, "COMMIT") < 0) {
		db_failed(store, "commit a batch");
		status = RS_BATCH_ERROR;
	}
	if (!sqlite3_get_autocommit(store->db))
		rs_store_exec(store, "ROLLBACK");
	return status;
}

/* A JSON column parsed, or null. */
static json_t *column_json(sqlite3_stmt *stmt, int col)
{
	const char *text = (const char *)sqlite3_column_text(stmt, col);
	json_t *v = text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;
	return v ? v : json_null();
}

static json_t *column_string(sqlite3_stmt *stmt, int col)
{
	const char *text = (const char *)sqlite3_column_text(stmt, col);
	return text ? json_string(text) : json_null();
}

static json_t *column_int(sqlite3_stmt *stmt, int col)
{
	return sqlite3_column_type(stmt, col) == SQLITE_NULL ? json_null() :
	       json_integer(sqlite3_column_int64(stmt, col));
}

static json_t *column_time(sqlite3_stmt *stmt, int col)
{
	if (sqlite3_column_type(stmt, col) == SQLITE_NULL)
		return json_null();
	char buf[32];
	rs_fleet_iso_time(sqlite3_column_int64(stmt, col), buf, sizeof(buf));
	return json_string(buf);
}

#define HOST_COLUMNS \
	"SELECT a.id, a.hostname, a.facts, a.grp, a.enrolled, a.last_seen, s.id, s.score, s.counts" \
	" FROM fleet_agents a LEFT JOIN scans s ON s.rowid = (SELECT rowid FROM scans" \
	" WHERE agent = a.id AND complete = 1 ORDER BY started DESC, rowid DESC LIMIT 1)"

/* A FORMATS.md host item from a HOST_COLUMNS row. */
static json_t *host_item(sqlite3_stmt *stmt, long long now)
{
	json_t *o = json_object();
	json_t *facts = column_json(stmt, 2);
	const char *os = json_string_value(json_object_get(facts, "os"));
	const char *version = json_string_value(json_object_get(facts, "os_version"));
	json_object_set_new(o, "id", column_string(stmt, 0));
	json_object_set_new(o, "hostname", column_string(stmt, 1));
	if (os && version)
		json_object_set_new(o, "os", json_sprintf("%s %s", os, version));
	else
		json_object_set_new(o, "os", os ? json_string(os) : json_null());
	json_object_set_new(o, "last_seen", column_time(stmt, 5));
	const char *status = "never";
	if (sqlite3_column_type(stmt, 5) != SQLITE_NULL)
		status = now - sqlite3_column_int64(stmt, 5) <= ONLINE_SECONDS ? "online" : "offline";
	json_object_set_new(o, "status", json_string(status));
	json_object_set_new(o, "score", column_int(stmt, 7));
	json_object_set_new(o, "counts", column_json(stmt, 8));
	json_object_set_new(o, "group", column_string(stmt, 3));
	json_object_set_new(o, "enrolled", column_time(stmt, 4));
	json_object_set_new(o, "last_scan", column_string(stmt, 6));
	json_decref(facts);
	return o;
}

static json_t *page(json_t *items, json_t *next)
{
	json_t *o = json_object();
	json_object_set_new(o, "items", items);
	json_object_set_new(o, "next", next ? next : json_null());
	return o;
}

json_t *rs_fleet_hosts(rs_store *store, long long now, const char *after, int limit)
{
	sqlite3_stmt *stmt = rs_store_prepare(store,
		HOST_COLUMNS " WHERE a.removed = 0 AND a.id > ? ORDER BY a.id LIMIT ?");
	if (!stmt)
		return NULL;
	rs_store_bind_text(stmt, 1, after ? after : "");
	sqlite3_bind_int(stmt, 2, limit + 1);
	json_t *items = json_array();
	json_t *next = NULL;
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if ((int)json_array_size(items) == limit) {
			next = json_string(json_string_value(json_object_get(
				json_array_get(items, json_array_size(items) - 1), "id")));
			break;
		}
		json_array_append_new(items, host_item(stmt, now));
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		db_failed(store, "list the hosts");
		json_decref(items);
		json_decref(next);
		return NULL;
	}
	return page(items, next);
}

static json_t *host_scans(rs_store *store, const char *id)
{
	sqlite3_stmt *stmt = rs_store_prepare(store,
		"SELECT id, started, duration_ms, counts, score, root FROM scans WHERE agent = ?"
		" AND complete = 1 ORDER BY started DESC, rowid DESC LIMIT ?");
	json_t *list = json_array();
	if (!stmt)
		return list;
	rs_store_bind_text(stmt, 1, id);
	sqlite3_bind_int(stmt, 2, HOST_SCANS_SHOWN);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		json_t *o = json_object();
		json_object_set_new(o, "scan", column_string(stmt, 0));
		json_object_set_new(o, "started", column_string(stmt, 1));
		json_object_set_new(o, "duration_ms", column_int(stmt, 2));
		json_object_set_new(o, "counts", column_json(stmt, 3));
		json_object_set_new(o, "score", column_int(stmt, 4));
		json_object_set_new(o, "root", column_string(stmt, 5));
		json_array_append_new(list, o);
	}
	sqlite3_finalize(stmt);
	return list;
}

json_t *rs_fleet_host(rs_store *store, long long now, const char *id)
{
	sqlite3_stmt *stmt = rs_store_prepare(store, HOST_COLUMNS " WHERE a.removed = 0 AND a.id = ?");
	if (!stmt)
		return NULL;
	rs_store_bind_text(stmt, 1, id);
	json_t *o = NULL;
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		o = host_item(stmt, now);
		json_object_set_new(o, "facts", column_json(stmt, 2));
	}
	sqlite3_finalize(stmt);
	if (o)
		json_object_set_new(o, "scans", host_scans(store, id));
	return o;
}

json_t *rs_fleet_findings(rs_store *store, const rs_fleet_finding_filter *f)
{
	sqlite3_stmt *stmt = rs_store_prepare(store,
		"SELECT f.rowid, f.json, s.id, s.agent, a.hostname, s.started"
		" FROM findings f JOIN scans s ON s.id = f.scan JOIN fleet_agents a ON a.id = s.agent"
		" WHERE f.rowid > ?1 AND (?2 IS NULL OR s.agent = ?2) AND (?3 IS NULL OR s.id = ?3)"
		" AND (?4 IS NULL OR f.module = ?4) AND (?5 IS NULL OR f.rule = ?5) AND f.severity >= ?6"
		" AND s.complete = 1 AND a.removed = 0"
		" AND (?7 = 0 OR s.rowid = (SELECT rowid FROM scans WHERE agent = s.agent AND complete = 1"
		"   ORDER BY started DESC, rowid DESC LIMIT 1))"
		" ORDER BY f.rowid LIMIT ?8");
	if (!stmt)
		return NULL;
	sqlite3_bind_int64(stmt, 1, f->after);
	rs_store_bind_text(stmt, 2, f->host);
	rs_store_bind_text(stmt, 3, f->scan);
	rs_store_bind_text(stmt, 4, f->module);
	rs_store_bind_text(stmt, 5, f->rule);
	sqlite3_bind_int(stmt, 6, f->min_severity);
	sqlite3_bind_int(stmt, 7, f->latest ? 1 : 0);
	sqlite3_bind_int(stmt, 8, f->limit + 1);
	json_t *items = json_array();
	json_t *next = NULL;
	long long last = 0;
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if ((int)json_array_size(items) == f->limit) {
			next = json_sprintf("%lld", last);
			break;
		}
		last = sqlite3_column_int64(stmt, 0);
		json_t *o = column_json(stmt, 1);
		if (!json_is_object(o)) {
			json_decref(o);
			o = json_object();
		}
		json_object_set_new(o, "scan", column_string(stmt, 2));
		json_object_set_new(o, "host", column_string(stmt, 3));
		json_object_set_new(o, "hostname", column_string(stmt, 4));
		json_object_set_new(o, "time", column_string(stmt, 5));
		json_array_append_new(items, o);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		db_failed(store, "list the findings");
		json_decref(items);
		json_decref(next);
		return NULL;
	}
	return page(items, next);
}
