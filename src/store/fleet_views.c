/*
 * fleet_views.c — the dashboard's read-only views over the fleet's scans
 * (store/fleet_views.h). Each query is portable SQL with `?` placeholders;
 * per-day and per-rule grouping happen in C.
 */
#include "store/fleet_views.h"
#include "store/fleet.h"
#include "store/store_internal.h"
#include "core/log.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The newest complete scan of the scan's agent. */
#define NEWEST_SCAN \
	"s.rowid = (SELECT rowid FROM scans WHERE agent = s.agent AND complete = 1" \
	" ORDER BY started DESC, rowid DESC LIMIT 1)"

static json_t *col_str(sqlite3_stmt *stmt, int i)
{
	const char *s = (const char *)sqlite3_column_text(stmt, i);
	return s ? json_string(s) : json_null();
}

static json_t *col_obj(sqlite3_stmt *stmt, int i)
{
	const char *s = (const char *)sqlite3_column_text(stmt, i);
	json_t *o = s ? json_loads(s, 0, NULL) : NULL;
	if (!json_is_object(o)) {
		json_decref(o);
		o = json_object();
	}
	return o;
}

/* Steps STMT: each row's column 0 (finding JSON) plus host (1), hostname
 * (2) and, when WITH_TIME, time (3). */
static json_t *finding_rows(rs_store *store, sqlite3_stmt *stmt, bool with_time)
{
	json_t *list = json_array();
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		json_t *o = col_obj(stmt, 0);
		json_object_set_new(o, "host", col_str(stmt, 1));
		json_object_set_new(o, "hostname", col_str(stmt, 2));
		if (with_time)
			json_object_set_new(o, "time", col_str(stmt, 3));
		json_array_append_new(list, o);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		rs_error("%s: cannot read the findings: %s", store->path, sqlite3_errmsg(store->db));
		json_decref(list);
		return NULL;
	}
	return list;
}

json_t *rs_view_latest_findings(rs_store *store, const char *module, int min_severity, int limit)
{
	sqlite3_stmt *stmt = rs_store_prepare(store,
		"SELECT f.json, s.agent, a.hostname FROM findings f JOIN scans s ON s.id = f.scan"
		" JOIN fleet_agents a ON a.id = s.agent"
		" WHERE a.removed = 0 AND s.complete = 1 AND " NEWEST_SCAN
		" AND (? IS NULL OR f.module = ?) AND f.severity >= ?"
		" ORDER BY f.rule, a.hostname, f.seq LIMIT ?");
	if (!stmt)
		return NULL;
	rs_store_bind_text(stmt, 1, module);
	rs_store_bind_text(stmt, 2, module);
	sqlite3_bind_int(stmt, 3, min_severity);
	sqlite3_bind_int(stmt, 4, limit);
	return finding_rows(store, stmt, false);
}

json_t *rs_view_newest_severe(rs_store *store, int limit)
{
	sqlite3_stmt *stmt = rs_store_prepare(store,
		"SELECT f.json, s.agent, a.hostname, s.started FROM findings f JOIN scans s ON s.id = f.scan"
		" JOIN fleet_agents a ON a.id = s.agent"
		" WHERE a.removed = 0 AND s.complete = 1 AND " NEWEST_SCAN " AND f.severity >= ?"
		" ORDER BY s.started DESC, f.severity DESC, f.seq LIMIT ?");
	if (!stmt)
		return NULL;
	sqlite3_bind_int(stmt, 1, (int)RS_SEV_HIGH);
	sqlite3_bind_int(stmt, 2, limit);
	return finding_rows(store, stmt, true);
}

json_t *rs_view_hosts_having(rs_store *store, const char *rule)
{
	char *vuln = rs_sprintf("vuln:%s", rule);
	sqlite3_stmt *stmt = rs_store_prepare(store,
		"SELECT DISTINCT s.agent FROM findings f JOIN scans s ON s.id = f.scan"
		" WHERE s.agent IS NOT NULL AND s.complete = 1 AND " NEWEST_SCAN
		" AND (f.rule = ? OR f.rule = ?)");
	if (!stmt) {
		free(vuln);
		return NULL;
	}
	rs_store_bind_text(stmt, 1, rule);
	rs_store_bind_text(stmt, 2, vuln);
	free(vuln);
	json_t *set = json_object();
	while (sqlite3_step(stmt) == SQLITE_ROW)
		json_object_set_new(set, (const char *)sqlite3_column_text(stmt, 0), json_true());
	sqlite3_finalize(stmt);
	return set;
}

json_t *rs_view_trend(rs_store *store, const char *agent, long long now, int days)
{
	char since[32];
	rs_fleet_iso_time(now - (long long)days * 86400, since, sizeof(since));
	char since_day[11];
	snprintf(since_day, sizeof(since_day), "%.10s", since);
	/* every host's scans of the period, oldest first, and the newest one
	 * before it (the score a host starts the period with) */
	sqlite3_stmt *stmt = rs_store_prepare(store,
		"SELECT s.agent, s.started, s.score FROM scans s"
		" WHERE s.agent IS NOT NULL AND s.complete = 1 AND s.score IS NOT NULL AND (? IS NULL OR s.agent = ?)"
		" AND s.agent IN (SELECT id FROM fleet_agents WHERE removed = 0)"
		" AND (s.started >= ? OR s.rowid = (SELECT rowid FROM scans WHERE agent = s.agent AND complete = 1"
		"   AND score IS NOT NULL AND started < ? ORDER BY started DESC, rowid DESC LIMIT 1))"
		" ORDER BY s.started, s.rowid");
	if (!stmt)
		return NULL;
	rs_store_bind_text(stmt, 1, agent);
	rs_store_bind_text(stmt, 2, agent);
	rs_store_bind_text(stmt, 3, since);
	rs_store_bind_text(stmt, 4, since);
	json_t *latest = json_object();   /* agent -> its newest score so far */
	json_t *trend = json_array();
	char day[11] = "";
	int rc;
	for (;;) {
		rc = sqlite3_step(stmt);
		const char *started = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(stmt, 1) : NULL;
		/* a new day (or the end) closes the day before */
		if (day[0] && (!started || strncmp(started, day, 10) != 0) && strcmp(day, since_day) >= 0 &&
		    json_object_size(latest)) {
			long long sum = 0;
			const char *k;
			json_t *v;
			json_object_foreach(latest, k, v) sum += json_integer_value(v);
			long long n = (long long)json_object_size(latest);
			json_array_append_new(trend, json_pack("{s:s,s:I}", "day", day, "score",
							       (json_int_t)((sum + n / 2) / n)));
		}
		if (!started)
			break;
		snprintf(day, sizeof(day), "%.10s", started);
		json_object_set_new(latest, (const char *)sqlite3_column_text(stmt, 0),
				    json_integer(sqlite3_column_int(stmt, 2)));
	}
	sqlite3_finalize(stmt);
	json_decref(latest);
	if (rc != SQLITE_DONE) {
		rs_error("%s: cannot read the score trend: %s", store->path, sqlite3_errmsg(store->db));
		json_decref(trend);
		return NULL;
	}
	return trend;
}

json_t *rs_view_latest_summaries(rs_store *store)
{
	sqlite3_stmt *stmt = rs_store_prepare(store,
		"SELECT s.agent, a.hostname, s.summary FROM scans s JOIN fleet_agents a ON a.id = s.agent"
		" WHERE a.removed = 0 AND s.complete = 1 AND " NEWEST_SCAN " ORDER BY a.hostname");
	if (!stmt)
		return NULL;
	json_t *list = json_array();
	while (sqlite3_step(stmt) == SQLITE_ROW)
		json_array_append_new(list, json_pack("{s:o,s:o,s:o}", "host", col_str(stmt, 0),
						      "hostname", col_str(stmt, 1), "summary", col_obj(stmt, 2)));
	sqlite3_finalize(stmt);
	return list;
}
