/*
 * fleet_snapshot.c — the daily host snapshots of store/fleet.h: recorded
 * (upserted per host and day) as scans arrive, read back as a host's
 * history, the fleet's state on a past day, and a per-day trend in which
 * a host without a scan that day keeps its previous state.
 */
#include "store/fleet.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TREND_MAX_DAYS 3660
#define SNAPSHOT_COLUMNS \
	"s.agent, a.hostname, s.day, s.scan, s.started, s.score, s.critical, s.high, s.medium," \
	" s.low, s.info, s.failed_checks, s.vulnerable_packages"

static const char *const severity_columns[RS_SEV_COUNT] = {
	[RS_SEV_CRITICAL] = "critical", [RS_SEV_HIGH] = "high", [RS_SEV_MEDIUM] = "medium",
	[RS_SEV_LOW] = "low", [RS_SEV_INFO] = "info",
};

int rs_fleet_day_of(long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm))
		return 19700101;
	return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

int rs_fleet_day_parse(const char *text, int *day)
{
	int y, m, d;
	char rest;
	if (!text || strlen(text) < 10 || sscanf(text, "%4d-%2d-%2d%c", &y, &m, &d, &rest) < 3 ||
	    text[4] != '-' || text[7] != '-' || (text[10] != '\0' && text[10] != 'T'))
		return -1;
	if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d};
	time_t t = timegm(&tm);
	if (rs_fleet_day_of((long long)t) != y * 10000 + m * 100 + d)
		return -1; /* 31 February and the like */
	*day = y * 10000 + m * 100 + d;
	return 0;
}

static long long day_time(int day)
{
	struct tm tm = {.tm_year = day / 10000 - 1900, .tm_mon = day / 100 % 100 - 1, .tm_mday = day % 100};
	return (long long)timegm(&tm);
}

int rs_fleet_day_add(int day, int delta)
{
	return rs_fleet_day_of(day_time(day) + (long long)delta * 86400);
}

/* Failed checks and vulnerable packages of one uploaded scan. */
static void count_upload(const rs_fleet_upload *u, long long *failed, long long *packages)
{
	*failed = 0;
	json_t *seen = json_object();
	for (size_t i = 0; i < u->n_findings; i++) {
		const rs_finding *f = u->findings[i];
		if (!f->module)
			continue;
		if (strcmp(f->module, "audit") == 0)
			(*failed)++;
		const char *pkg = json_string_value(json_object_get(f->evidence, "package"));
		if (strcmp(f->module, "vuln") == 0 && pkg)
			json_object_set_new(seen, pkg, json_true());
	}
	*packages = (long long)json_object_size(seen);
	json_decref(seen);
}

int rs_fleet_snapshot_record(rs_db *db, const char *agent, const rs_fleet_upload *u, long long now)
{
	const rs_summary *s = u->summary;
	int day;
	if (rs_fleet_day_parse(s->started, &day) < 0)
		day = rs_fleet_day_of(now);
	long long failed, packages;
	count_upload(u, &failed, &packages);
	rs_db_stmt *stmt = rs_db_prepare_cached(db,
		"INSERT INTO fleet_snapshots (agent, day, scan, started, score, critical, high, medium, low,"
		" info, failed_checks, vulnerable_packages, updated)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
		" ON CONFLICT (agent, day) DO UPDATE SET scan = excluded.scan, started = excluded.started,"
		" score = excluded.score, critical = excluded.critical, high = excluded.high,"
		" medium = excluded.medium, low = excluded.low, info = excluded.info,"
		" failed_checks = excluded.failed_checks, vulnerable_packages = excluded.vulnerable_packages,"
		" updated = excluded.updated"
		" WHERE excluded.started >= fleet_snapshots.started");
	if (!stmt) {
		rs_error(_("%s: cannot record the host's daily snapshot: %s"), rs_db_name(db), rs_db_errmsg(db));
		return -1;
	}
	rs_db_bind_text(stmt, 1, agent);
	rs_db_bind_int64(stmt, 2, day);
	rs_db_bind_text(stmt, 3, s->scan);
	rs_db_bind_text(stmt, 4, s->started);
	rs_db_bind_int64(stmt, 5, s->score);
	rs_db_bind_int64(stmt, 6, (long long)s->counts[RS_SEV_CRITICAL]);
	rs_db_bind_int64(stmt, 7, (long long)s->counts[RS_SEV_HIGH]);
	rs_db_bind_int64(stmt, 8, (long long)s->counts[RS_SEV_MEDIUM]);
	rs_db_bind_int64(stmt, 9, (long long)s->counts[RS_SEV_LOW]);
	rs_db_bind_int64(stmt, 10, (long long)s->counts[RS_SEV_INFO]);
	rs_db_bind_int64(stmt, 11, failed);
	rs_db_bind_int64(stmt, 12, packages);
	rs_db_bind_int64(stmt, 13, now);
	int rc = rs_db_step(stmt) == RS_DB_DONE ? 0 : -1;
	rs_db_finalize(stmt);
	if (rc < 0)
		rs_error(_("%s: cannot record the host's daily snapshot: %s"), rs_db_name(db), rs_db_errmsg(db));
	return rc;
}

static json_t *day_string(int day)
{
	return json_sprintf("%04d-%02d-%02d", day / 10000, day / 100 % 100, day % 100);
}

static json_t *nullable_text(const char *text)
{
	return text ? json_string(text) : json_null();
}

/* A snapshot object from a SNAPSHOT_COLUMNS row. */
static json_t *snapshot_item(rs_db_stmt *stmt)
{
	json_t *o = json_object();
	json_object_set_new(o, "host", nullable_text(rs_db_column_text(stmt, 0)));
	json_object_set_new(o, "hostname", nullable_text(rs_db_column_text(stmt, 1)));
	json_object_set_new(o, "day", day_string((int)rs_db_column_int64(stmt, 2)));
	json_object_set_new(o, "scan", nullable_text(rs_db_column_text(stmt, 3)));
	json_object_set_new(o, "started", nullable_text(rs_db_column_text(stmt, 4)));
	json_object_set_new(o, "score", json_integer(rs_db_column_int64(stmt, 5)));
	json_t *counts = json_object();
	for (int sev = RS_SEV_CRITICAL; sev >= RS_SEV_INFO; sev--)
		json_object_set_new(counts, severity_columns[sev],
				    json_integer(rs_db_column_int64(stmt, 6 + (RS_SEV_CRITICAL - sev))));
	json_object_set_new(o, "counts", counts);
	json_object_set_new(o, "failed_checks", json_integer(rs_db_column_int64(stmt, 11)));
	json_object_set_new(o, "vulnerable_packages", json_integer(rs_db_column_int64(stmt, 12)));
	return o;
}

/* Runs STMT and collects its SNAPSHOT_COLUMNS rows; finalizes it. */
static json_t *collect(rs_db *db, rs_db_stmt *stmt, const char *doing)
{
	json_t *list = json_array();
	int rc;
	while ((rc = rs_db_step(stmt)) == RS_DB_ROW)
		json_array_append_new(list, snapshot_item(stmt));
	rs_db_finalize(stmt);
	if (rc != RS_DB_DONE) {
		rs_error(_("%s: cannot %s: %s"), rs_db_name(db), doing, rs_db_errmsg(db));
		json_decref(list);
		return NULL;
	}
	return list;
}

json_t *rs_fleet_snapshots(rs_db *db, const char *host, int from, int to)
{
	rs_db_stmt *stmt = rs_db_prepare(db,
		"SELECT " SNAPSHOT_COLUMNS " FROM fleet_snapshots s JOIN fleet_agents a ON a.id = s.agent"
		" WHERE a.removed = 0 AND (?1 IS NULL OR s.agent = ?1) AND s.day >= ?2 AND s.day <= ?3"
		" ORDER BY s.agent, s.day");
	if (!stmt)
		return NULL;
	rs_db_bind_text(stmt, 1, host);
	rs_db_bind_int64(stmt, 2, from);
	rs_db_bind_int64(stmt, 3, to);
	return collect(db, stmt, "read the daily snapshots");
}

json_t *rs_fleet_state_on(rs_db *db, int day)
{
	rs_db_stmt *stmt = rs_db_prepare(db,
		"SELECT " SNAPSHOT_COLUMNS " FROM fleet_snapshots s JOIN fleet_agents a ON a.id = s.agent"
		" WHERE a.removed = 0 AND s.day = (SELECT MAX(x.day) FROM fleet_snapshots x"
		"   WHERE x.agent = s.agent AND x.day <= ?1)"
		" ORDER BY s.agent");
	if (!stmt)
		return NULL;
	rs_db_bind_int64(stmt, 1, day);
	return collect(db, stmt, "read the fleet's state on a day");
}

typedef struct day_sum {
	long long hosts, score, counts[RS_SEV_COUNT], failed, packages;
} day_sum;

/* One snapshot row's numbers: score, counts (critical first), failed, packages. */
typedef struct snap_values {
	long long score, counts[RS_SEV_COUNT], failed, packages;
} snap_values;

static void read_values(rs_db_stmt *stmt, snap_values *v)
{
	v->score = rs_db_column_int64(stmt, 5);
	for (int sev = RS_SEV_CRITICAL; sev >= RS_SEV_INFO; sev--)
		v->counts[sev] = rs_db_column_int64(stmt, 6 + (RS_SEV_CRITICAL - sev));
	v->failed = rs_db_column_int64(stmt, 11);
	v->packages = rs_db_column_int64(stmt, 12);
}

/* Adds V to SUMS for the day indexes [FIRST, LAST). */
static void add_span(day_sum *sums, long long first, long long last, const snap_values *v)
{
	for (long long i = first < 0 ? 0 : first; i < last; i++) {
		sums[i].hosts++;
		sums[i].score += v->score;
		for (int sev = 0; sev < RS_SEV_COUNT; sev++)
			sums[i].counts[sev] += v->counts[sev];
		sums[i].failed += v->failed;
		sums[i].packages += v->packages;
	}
}

static json_t *trend_items(const day_sum *sums, long long n, int from)
{
	json_t *list = json_array();
	for (long long i = 0; i < n; i++) {
		const day_sum *d = &sums[i];
		json_t *counts = json_object();
		for (int sev = RS_SEV_CRITICAL; sev >= RS_SEV_INFO; sev--)
			json_object_set_new(counts, severity_columns[sev], json_integer(d->counts[sev]));
		json_t *o = json_object();
		json_object_set_new(o, "day", day_string(rs_fleet_day_add(from, (int)i)));
		json_object_set_new(o, "hosts", json_integer(d->hosts));
		json_object_set_new(o, "score", d->hosts ? json_integer((d->score + d->hosts / 2) / d->hosts)
							 : json_null());
		json_object_set_new(o, "counts", counts);
		json_object_set_new(o, "failed_checks", json_integer(d->failed));
		json_object_set_new(o, "vulnerable_packages", json_integer(d->packages));
		json_array_append_new(list, o);
	}
	return list;
}

json_t *rs_fleet_trend(rs_db *db, const char *host, int from, int to)
{
	long long n = (day_time(to) - day_time(from)) / 86400 + 1;
	if (n < 1 || n > TREND_MAX_DAYS) {
		rs_error(_("a trend covers 1 to %d days, not %lld"), TREND_MAX_DAYS, n);
		return NULL;
	}
	/* each host's snapshots in the range and its last one before it */
	rs_db_stmt *stmt = rs_db_prepare(db,
		"SELECT " SNAPSHOT_COLUMNS " FROM fleet_snapshots s JOIN fleet_agents a ON a.id = s.agent"
		" WHERE a.removed = 0 AND (?1 IS NULL OR s.agent = ?1) AND s.day <= ?3"
		" AND (s.day >= ?2 OR s.day = (SELECT MAX(x.day) FROM fleet_snapshots x"
		"   WHERE x.agent = s.agent AND x.day < ?2))"
		" ORDER BY s.agent, s.day");
	if (!stmt)
		return NULL;
	rs_db_bind_text(stmt, 1, host);
	rs_db_bind_int64(stmt, 2, from);
	rs_db_bind_int64(stmt, 3, to);
	day_sum *sums = rs_calloc((size_t)n, sizeof(*sums));
	long long start = day_time(from);
	/* rows come by host then day: a row holds from its day until the next
	 * row of the same host, or to the end */
	char prev_host[64] = "";
	long long prev_index = 0;
	snap_values prev = { 0 };
	bool have_prev = false;
	int rc;
	while ((rc = rs_db_step(stmt)) == RS_DB_ROW) {
		const char *agent = rs_db_column_text(stmt, 0);
		long long index = (day_time((int)rs_db_column_int64(stmt, 2)) - start) / 86400;
		if (have_prev)
			add_span(sums, prev_index, agent && strcmp(agent, prev_host) == 0 ? index : n, &prev);
		snprintf(prev_host, sizeof(prev_host), "%s", agent ? agent : "");
		prev_index = index;
		read_values(stmt, &prev);
		have_prev = true;
	}
	if (have_prev)
		add_span(sums, prev_index, n, &prev);
	rs_db_finalize(stmt);
	json_t *out = NULL;
	if (rc == RS_DB_DONE)
		out = trend_items(sums, n, from);
	else
		rs_error(_("%s: cannot read the trend: %s"), rs_db_name(db), rs_db_errmsg(db));
	free(sums);
	return out;
}
