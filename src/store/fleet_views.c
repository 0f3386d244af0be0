/*
 * fleet_views.c — the dashboard's read-only views over the fleet's scans
 * (store/fleet_views.h), on the db interface: portable SQL with `?`
 * placeholders; per-rule grouping happens in the pages, trends come from
 * the daily snapshots.
 */
#include "store/fleet_views.h"
#include "core/i18n.h"
#include "store/fleet.h"
#include "store/db_internal.h"
#include "core/finding.h"
#include "core/log.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The newest complete scan of the scan's agent. */
#define NEWEST_SCAN \
	"s.rowid = (SELECT rowid FROM scans WHERE agent = s.agent AND complete = 1" \
	" ORDER BY started DESC, rowid DESC LIMIT 1)"
/* S joined as the newest complete scan of agent A: a query that starts
 * from the hosts reads only their newest scans' findings (through the
 * findings' primary key), however long the history is. */
#define NEWEST_SCAN_OF_A \
	"s.rowid = (SELECT rowid FROM scans WHERE agent = a.id AND complete = 1" \
	" ORDER BY started DESC, rowid DESC LIMIT 1)"

static json_t *col_obj(rs_db_stmt *stmt, int i)
{
	json_t *o = rs_db_column_json(stmt, i);
	if (!json_is_object(o)) {
		json_decref(o);
		o = json_object();
	}
	return o;
}

static void failed(rs_db *db, const char *doing)
{
	rs_error(_("%s: cannot %s: %s"), rs_db_name(db), doing, rs_db_errmsg(db));
}

/* Steps STMT: each row's column 0 (finding JSON) plus host (1), hostname
 * (2) and, when WITH_TIME, time (3). Finalizes STMT. */
static json_t *finding_rows(rs_db *db, rs_db_stmt *stmt, bool with_time)
{
	json_t *list = json_array();
	int rc;
	while ((rc = rs_db_step(stmt)) == RS_DB_ROW) {
		json_t *o = col_obj(stmt, 0);
		json_object_set_new(o, "host", rs_db_column_jstring(stmt, 1));
		json_object_set_new(o, "hostname", rs_db_column_jstring(stmt, 2));
		if (with_time)
			json_object_set_new(o, "time", rs_db_column_jstring(stmt, 3));
		json_array_append_new(list, o);
	}
	rs_db_finalize(stmt);
	if (rc != RS_DB_DONE) {
		failed(db, _("read the findings"));
		json_decref(list);
		return NULL;
	}
	return list;
}

json_t *rs_view_latest_findings(rs_db *db, const char *module, int min_severity, int limit)
{
	rs_db_stmt *stmt = rs_db_prepare(db,
		"SELECT f.json, a.id, a.hostname FROM fleet_agents a JOIN scans s ON " NEWEST_SCAN_OF_A
		" JOIN findings f ON f.scan = s.id"
		" WHERE a.removed = 0 AND (?1 IS NULL OR f.module = ?1) AND f.severity >= ?2"
		" ORDER BY f.rule, a.hostname, f.seq LIMIT ?3");
	if (!stmt) {
		failed(db, _("read the findings"));
		return NULL;
	}
	rs_db_bind_text(stmt, 1, module);
	rs_db_bind_int64(stmt, 2, min_severity);
	rs_db_bind_int64(stmt, 3, limit);
	return finding_rows(db, stmt, false);
}

json_t *rs_view_newest_severe(rs_db *db, int limit)
{
	rs_db_stmt *stmt = rs_db_prepare(db,
		"SELECT f.json, s.agent, a.hostname, s.started FROM findings f JOIN scans s ON s.id = f.scan"
		" JOIN fleet_agents a ON a.id = s.agent"
		" WHERE a.removed = 0 AND s.complete = 1 AND " NEWEST_SCAN " AND f.severity >= ?"
		" ORDER BY s.started DESC, f.severity DESC, f.seq LIMIT ?");
	if (!stmt) {
		failed(db, _("read the findings"));
		return NULL;
	}
	rs_db_bind_int64(stmt, 1, (int)RS_SEV_HIGH);
	rs_db_bind_int64(stmt, 2, limit);
	return finding_rows(db, stmt, true);
}

json_t *rs_view_hosts_having(rs_db *db, const char *rule)
{
	char *vuln = rs_sprintf("vuln:%s", rule);
	rs_db_stmt *stmt = rs_db_prepare(db,
		"SELECT a.id FROM fleet_agents a JOIN scans s ON " NEWEST_SCAN_OF_A
		" WHERE EXISTS (SELECT 1 FROM findings f WHERE f.scan = s.id AND (f.rule = ? OR f.rule = ?))");
	if (!stmt) {
		free(vuln);
		failed(db, _("find the hosts having a rule"));
		return NULL;
	}
	rs_db_bind_text(stmt, 1, rule);
	rs_db_bind_text(stmt, 2, vuln);
	free(vuln);
	json_t *set = json_object();
	int rc;
	while ((rc = rs_db_step(stmt)) == RS_DB_ROW)
		json_object_set_new(set, rs_db_column_text(stmt, 0), json_true());
	rs_db_finalize(stmt);
	if (rc != RS_DB_DONE) {
		failed(db, _("find the hosts having a rule"));
		json_decref(set);
		return NULL;
	}
	return set;
}

json_t *rs_view_trend(rs_db *db, const char *agent, long long now, int days)
{
	int today = rs_fleet_day_of(now);
	json_t *all = rs_fleet_trend(db, agent, rs_fleet_day_add(today, -(days - 1)), today);
	if (!all)
		return NULL;
	json_t *trend = json_array();
	size_t i;
	json_t *d;
	json_array_foreach(all, i, d) {
		json_t *score = json_object_get(d, "score");
		if (json_is_number(score))
			json_array_append_new(trend, json_pack("{s:O,s:I}", "day", json_object_get(d, "day"),
							       "score", (json_int_t)(json_number_value(score) + 0.5)));
	}
	json_decref(all);
	return trend;
}

json_t *rs_view_latest_summaries(rs_db *db)
{
	rs_db_stmt *stmt = rs_db_prepare(db,
		"SELECT s.agent, a.hostname, s.summary FROM scans s JOIN fleet_agents a ON a.id = s.agent"
		" WHERE a.removed = 0 AND s.complete = 1 AND " NEWEST_SCAN " ORDER BY a.hostname");
	if (!stmt) {
		failed(db, _("read the newest summaries"));
		return NULL;
	}
	json_t *list = json_array();
	int rc;
	while ((rc = rs_db_step(stmt)) == RS_DB_ROW)
		json_array_append_new(list, json_pack("{s:o,s:o,s:o}", "host", rs_db_column_jstring(stmt, 0),
						      "hostname", rs_db_column_jstring(stmt, 1), "summary", col_obj(stmt, 2)));
	rs_db_finalize(stmt);
	if (rc != RS_DB_DONE) {
		failed(db, _("read the newest summaries"));
		json_decref(list);
		return NULL;
	}
	return list;
}

rs_store *rs_view_sqlite_store(rs_db *db)
{
	return rs_db_kind(db) == RS_DB_SQLITE ? db->store : NULL;
}
