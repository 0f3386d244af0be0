/*
 * fleet_data.c — what agents upload and what operators read back
 * (store/fleet.h): result batches stored once each, their scans and
 * findings in the scans/findings tables with the agent that sent them, and
 * the host and finding lists of GET /api/v1.
 */
#include "store/fleet.h"
#include "core/i18n.h"
#include "store/db.h"
#include "core/log.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ONLINE_SECONDS 900   /* seen this recently: online (three check-in intervals) */
#define HOST_SCANS_SHOWN 50

static void db_failed(rs_db *db, const char *doing)
{
	rs_error(_("%s: cannot %s: %s"), rs_db_name(db), doing, rs_db_errmsg(db));
}

/* 0 inserted, 1 already there, -1 error. Two servers receiving the same
 * batch at once: the unique key lets one in, the other finds it there. */
static int insert_batch(rs_db *db, const char *agent, const char *batch_id, size_t n, long long now)
{
	rs_db_stmt *stmt = rs_db_prepare_cached(db,
		"INSERT INTO fleet_batches (agent, batch_id, received, scans) VALUES (?, ?, ?, ?)"
		" ON CONFLICT (agent, batch_id) DO NOTHING");
	if (!stmt)
		return -1;
	rs_db_bind_text(stmt, 1, agent);
	rs_db_bind_text(stmt, 2, batch_id);
	rs_db_bind_int64(stmt, 3, now);
	rs_db_bind_int64(stmt, 4, (long long)n);
	int step = rs_db_step(stmt);
	rs_db_finalize(stmt);
	if (step != RS_DB_DONE)
		return -1;
	return rs_db_changes(db) == 1 ? 0 : 1;
}

/* Who owns scan ID: 0 nobody, 1 AGENT, 2 someone else, -1 error. */
static int scan_owner(rs_db *db, const char *id, const char *agent)
{
	rs_db_stmt *stmt = rs_db_prepare_cached(db, "SELECT agent FROM scans WHERE id = ?");
	if (!stmt)
		return -1;
	rs_db_bind_text(stmt, 1, id);
	int step = rs_db_step(stmt);
	int rc = -1;
	if (step == RS_DB_DONE)
		rc = 0;
	else if (step == RS_DB_ROW) {
		const char *owner = rs_db_column_text(stmt, 0);
		rc = owner && strcmp(owner, agent) == 0 ? 1 : 2;
	}
	rs_db_finalize(stmt);
	return rc;
}

/* 0 inserted, 1 the id was taken meanwhile, -1 error. */
static int insert_scan(rs_db *db, const char *agent, const rs_summary *s)
{
	rs_db_stmt *stmt = rs_db_prepare_cached(db,
		"INSERT INTO scans (id, host, root, started, duration_ms, complete, counts, score,"
		" exit_code, modules, host_info, summary, agent) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?)"
		" ON CONFLICT (id) DO NOTHING");
	if (!stmt)
		return -1;
	json_t *counts = rs_counts_to_json(s->counts);
	json_t *summary = rs_summary_to_json(s);
	json_object_del(summary, "complete");
	rs_db_bind_text(stmt, 1, s->scan);
	rs_db_bind_text(stmt, 2, s->host);
	rs_db_bind_text(stmt, 3, s->root ? s->root : "/");
	rs_db_bind_text(stmt, 4, s->started);
	rs_db_bind_int64(stmt, 5, s->duration_ms);
	rs_db_bind_json(stmt, 6, counts);
	rs_db_bind_int64(stmt, 7, s->score);
	rs_db_bind_int64(stmt, 8, s->exit_code);
	rs_db_bind_json(stmt, 9, s->modules);
	rs_db_bind_json(stmt, 10, s->host_info);
	rs_db_bind_json(stmt, 11, summary);
	rs_db_bind_text(stmt, 12, agent);
	int rc = rs_db_step(stmt) == RS_DB_DONE ? 0 : -1;
	rs_db_finalize(stmt);
	json_decref(counts);
	json_decref(summary);
	if (rc == 0 && rs_db_changes(db) == 0)
		rc = 1;
	return rc;
}

#define FINDING_COLUMNS 8
#define FINDINGS_PER_INSERT 64   /* rows of one multi-row INSERT: fewer round trips */

/* "INSERT INTO findings … VALUES (?, …), …" for ROWS rows, kept prepared:
 * ROWS is a power of two up to FINDINGS_PER_INSERT, so a few statements
 * serve every size of scan. */
static rs_db_stmt *prepare_findings(rs_db *db, size_t rows)
{
	size_t size = 128 + rows * (FINDING_COLUMNS * 3 + 4);
	char *sql = rs_malloc(size);
	size_t len = (size_t)snprintf(sql, size,
		"INSERT INTO findings (scan, seq, module, rule, severity, score, identity, json) VALUES ");
	for (size_t r = 0; r < rows; r++)
		len += (size_t)snprintf(sql + len, size - len, "%s(?, ?, ?, ?, ?, ?, ?, ?)", r ? ", " : "");
	rs_db_stmt *stmt = rs_db_prepare_cached(db, sql);
	free(sql);
	return stmt;
}

/* Binds finding F as row ROW of a prepare_findings statement; JSON is its
 * stored text when the caller has it already (else it is built from F). */
static int bind_finding(rs_db_stmt *stmt, int row, const char *scan, long long seq, const rs_finding *f,
			const rs_fleet_text *json)
{
	int p = row * FINDING_COLUMNS;
	char *identity = rs_finding_identity(f);
	int rc = rs_db_bind_text(stmt, p + 1, scan) | rs_db_bind_int64(stmt, p + 2, seq) |
		 rs_db_bind_text(stmt, p + 3, f->module) | rs_db_bind_text(stmt, p + 4, f->rule) |
		 rs_db_bind_int64(stmt, p + 5, (long long)f->severity) |
		 rs_db_bind_int64(stmt, p + 6, f->score) | rs_db_bind_text(stmt, p + 7, identity);
	if (json && json->text) {
		rc |= rs_db_bind_textn(stmt, p + 8, json->text, json->len);
	} else {
		json_t *obj = rs_finding_to_json(f, NULL);
		rc |= rs_db_bind_json(stmt, p + 8, obj);
		json_decref(obj);
	}
	free(identity);
	return rc < 0 ? -1 : 0;
}

static int insert_findings(rs_db *db, const rs_fleet_upload *u)
{
	int rc = 0;
	for (size_t i = 0; i < u->n_findings && rc == 0;) {
		size_t rows = FINDINGS_PER_INSERT;
		while (rows > u->n_findings - i)
			rows /= 2;
		rs_db_stmt *stmt = prepare_findings(db, rows);
		if (!stmt)
			rc = -1;
		for (size_t r = 0; r < rows && rc == 0; r++)
			rc = bind_finding(stmt, (int)r, u->summary->scan, (long long)(i + r), u->findings[i + r],
					  u->finding_json ? &u->finding_json[i + r] : NULL);
		if (rc == 0 && rs_db_step(stmt) != RS_DB_DONE)
			rc = -1;
		rs_db_finalize(stmt);
		i += rows;
	}
	return rc;
}

/* Stores the scans of the batch inside the open transaction, and the
 * day's snapshot of the host for each. */
static rs_fleet_batch_status store_scans(rs_db *db, const char *agent,
					 const rs_fleet_upload *scans, size_t n, long long now)
{
	for (size_t i = 0; i < n; i++) {
		int owner = scan_owner(db, scans[i].summary->scan, agent);
		if (owner < 0)
			return RS_BATCH_ERROR;
		if (owner == 0) {
			int inserted = insert_scan(db, agent, scans[i].summary);
			if (inserted < 0)
				return RS_BATCH_ERROR;
			if (inserted == 1)   /* another server stored it meanwhile */
				owner = scan_owner(db, scans[i].summary->scan, agent);
		}
		if (owner < 0)
			return RS_BATCH_ERROR;
		if (owner == 2)
			return RS_BATCH_CONFLICT;
		if (owner == 1)
			continue; /* sent before in another batch: stored once */
		if (insert_findings(db, &scans[i]) < 0 || rs_fleet_snapshot_record(db, agent, &scans[i], now) < 0)
			return RS_BATCH_ERROR;
	}
	return RS_BATCH_STORED;
}

rs_fleet_batch_status rs_fleet_store_batch_in(rs_db *db, const char *agent, const char *batch_id,
					      const rs_fleet_upload *scans, size_t n, long long now)
{
	int inserted = insert_batch(db, agent, batch_id, n, now);
	rs_fleet_batch_status status;
	if (inserted < 0)
		status = RS_BATCH_ERROR;
	else if (inserted == 1)
		status = RS_BATCH_DUPLICATE;
	else
		status = store_scans(db, agent, scans, n, now);
	if (status == RS_BATCH_ERROR)
		db_failed(db, _("store a batch"));
	return status;
}

rs_fleet_batch_status rs_fleet_store_batch(rs_db *db, const char *agent, const char *batch_id,
					   const rs_fleet_upload *scans, size_t n, long long now)
{
	if (rs_db_maintain(db, now) < 0 || rs_db_begin(db) < 0) {
		db_failed(db, _("start storing a batch"));
		return RS_BATCH_ERROR;
	}
	rs_fleet_batch_status status = rs_fleet_store_batch_in(db, agent, batch_id, scans, n, now);
	if (status == RS_BATCH_STORED && rs_db_commit(db) < 0) {
		db_failed(db, _("commit a batch"));
		status = RS_BATCH_ERROR;
	}
	rs_db_rollback(db);
	return status;
}

/* A JSON column parsed, or null. */
static json_t *column_json(rs_db_stmt *stmt, int col)
{
	return rs_db_column_json(stmt, col);
}

static json_t *column_string(rs_db_stmt *stmt, int col)
{
	const char *text = rs_db_column_text(stmt, col);
	return text ? json_string(text) : json_null();
}

static json_t *column_int(rs_db_stmt *stmt, int col)
{
	return rs_db_column_null(stmt, col) ? json_null() :
	       json_integer(rs_db_column_int64(stmt, col));
}

static json_t *column_time(rs_db_stmt *stmt, int col)
{
	if (rs_db_column_null(stmt, col))
		return json_null();
	char buf[32];
	rs_fleet_iso_time(rs_db_column_int64(stmt, col), buf, sizeof(buf));
	return json_string(buf);
}

#define HOST_COLUMNS \
	"SELECT a.id, a.hostname, a.facts, a.grp, a.enrolled, a.last_seen, s.id, s.score, s.counts" \
	" FROM fleet_agents a LEFT JOIN scans s ON s.rowid = (SELECT rowid FROM scans" \
	" WHERE agent = a.id AND complete = 1 ORDER BY started DESC, rowid DESC LIMIT 1)"

/* A FORMATS.md host item from a HOST_COLUMNS row. */
static json_t *host_item(rs_db_stmt *stmt, long long now)
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
	if (!rs_db_column_null(stmt, 5))
		status = now - rs_db_column_int64(stmt, 5) <= ONLINE_SECONDS ? "online" : "offline";
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

json_t *rs_fleet_hosts(rs_db *db, long long now, const char *after, int limit)
{
	rs_db_stmt *stmt = rs_db_prepare(db,
		HOST_COLUMNS " WHERE a.removed = 0 AND a.id > ? ORDER BY a.id LIMIT ?");
	if (!stmt)
		return NULL;
	rs_db_bind_text(stmt, 1, after ? after : "");
	rs_db_bind_int64(stmt, 2, limit + 1);
	json_t *items = json_array();
	json_t *next = NULL;
	int rc;
	while ((rc = rs_db_step(stmt)) == RS_DB_ROW) {
		if ((int)json_array_size(items) == limit) {
			next = json_string(json_string_value(json_object_get(
				json_array_get(items, json_array_size(items) - 1), "id")));
			break;
		}
		json_array_append_new(items, host_item(stmt, now));
	}
	rs_db_finalize(stmt);
	if (rc != RS_DB_DONE && rc != RS_DB_ROW) {
		db_failed(db, _("list the hosts"));
		json_decref(items);
		json_decref(next);
		return NULL;
	}
	return page(items, next);
}

static json_t *host_scans(rs_db *db, const char *id)
{
	rs_db_stmt *stmt = rs_db_prepare(db,
		"SELECT id, started, duration_ms, counts, score, root FROM scans WHERE agent = ?"
		" AND complete = 1 ORDER BY started DESC, rowid DESC LIMIT ?");
	json_t *list = json_array();
	if (!stmt)
		return list;
	rs_db_bind_text(stmt, 1, id);
	rs_db_bind_int64(stmt, 2, HOST_SCANS_SHOWN);
	while (rs_db_step(stmt) == RS_DB_ROW) {
		json_t *o = json_object();
		json_object_set_new(o, "scan", column_string(stmt, 0));
		json_object_set_new(o, "started", column_string(stmt, 1));
		json_object_set_new(o, "duration_ms", column_int(stmt, 2));
		json_object_set_new(o, "counts", column_json(stmt, 3));
		json_object_set_new(o, "score", column_int(stmt, 4));
		json_object_set_new(o, "root", column_string(stmt, 5));
		json_array_append_new(list, o);
	}
	rs_db_finalize(stmt);
	return list;
}

json_t *rs_fleet_host(rs_db *db, long long now, const char *id)
{
	rs_db_stmt *stmt = rs_db_prepare(db, HOST_COLUMNS " WHERE a.removed = 0 AND a.id = ?");
	if (!stmt)
		return NULL;
	rs_db_bind_text(stmt, 1, id);
	json_t *o = NULL;
	if (rs_db_step(stmt) == RS_DB_ROW) {
		o = host_item(stmt, now);
		json_object_set_new(o, "facts", column_json(stmt, 2));
	}
	rs_db_finalize(stmt);
	if (o)
		json_object_set_new(o, "scans", host_scans(db, id));
	return o;
}

json_t *rs_fleet_findings(rs_db *db, const rs_fleet_finding_filter *f)
{
	rs_db_stmt *stmt = rs_db_prepare(db,
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
	rs_db_bind_int64(stmt, 1, f->after);
	rs_db_bind_text(stmt, 2, f->host);
	rs_db_bind_text(stmt, 3, f->scan);
	rs_db_bind_text(stmt, 4, f->module);
	rs_db_bind_text(stmt, 5, f->rule);
	rs_db_bind_int64(stmt, 6, f->min_severity);
	rs_db_bind_int64(stmt, 7, f->latest ? 1 : 0);
	rs_db_bind_int64(stmt, 8, f->limit + 1);
	json_t *items = json_array();
	json_t *next = NULL;
	long long last = 0;
	int rc;
	while ((rc = rs_db_step(stmt)) == RS_DB_ROW) {
		if ((int)json_array_size(items) == f->limit) {
			next = json_sprintf("%lld", last);
			break;
		}
		last = rs_db_column_int64(stmt, 0);
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
	rs_db_finalize(stmt);
	if (rc != RS_DB_DONE && rc != RS_DB_ROW) {
		db_failed(db, _("list the findings"));
		json_decref(items);
		json_decref(next);
		return NULL;
	}
	return page(items, next);
}
