/*
 * db_pg_schema.c — the fleet schema on PostgreSQL: its own migration list
 * (the same tables as the SQLite store's migrations, in PostgreSQL types),
 * applied under an advisory lock so several servers starting at once
 * migrate once; and the monthly RANGE partitions of findings (by the time
 * they were received) and of the daily host snapshots (by day, YYYYMMDD),
 * created ahead of need. A DEFAULT partition of each catches any row no
 * monthly partition covers (a clock far off, an old scan uploaded late),
 * so a missing partition never loses a write.
 */
#include "store/db_internal.h"
#include "core/i18n.h"
#include "core/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SCHEMA_LOCK 0x7261736fLL     /* pg_advisory_xact_lock key ("raso") */
#define PARTITION_LOCK 0x7261736eLL
#define MONTHS_BEFORE 2
#define MONTHS_AHEAD 3

/* Entry i brings schema version i to i + 1. Only ever append. Tables added
 * to the SQLite store for the fleet server get their PostgreSQL twin here. */
static const char *const pg_migrations[] = {
	/* v1: scans and findings (as the SQLite store's v1 and v7), the fleet
	 * tables (SQLite v7); findings partitioned by month of receipt */
	"CREATE TABLE scans ("
	"  rowid BIGSERIAL UNIQUE,"
	"  id TEXT PRIMARY KEY,"
	"  host TEXT, root TEXT, started TEXT, duration_ms BIGINT,"
	"  complete INTEGER NOT NULL DEFAULT 0,"
	"  counts TEXT, score INTEGER, exit_code INTEGER, modules TEXT, host_info TEXT,"
	"  summary TEXT, agent TEXT"
	");"
	"CREATE INDEX scans_started ON scans(started);"
	"CREATE INDEX scans_agent ON scans(agent, started);"
	"CREATE TABLE findings ("
	"  rowid BIGSERIAL,"
	"  scan TEXT NOT NULL, seq INTEGER NOT NULL,"
	"  module TEXT, rule TEXT, severity INTEGER, score INTEGER, identity TEXT,"
	"  json TEXT NOT NULL,"
	"  received BIGINT NOT NULL DEFAULT floor(extract(epoch FROM now()))::bigint,"
	"  PRIMARY KEY (scan, seq, received)"
	") PARTITION BY RANGE (received);"
	"CREATE TABLE findings_default PARTITION OF findings DEFAULT;"
	"CREATE INDEX findings_rule ON findings(rule);"
	"CREATE INDEX findings_rowid ON findings(rowid);"
	"CREATE TABLE fleet_tokens ("
	"  id TEXT PRIMARY KEY, hash BYTEA NOT NULL, grp TEXT, pin TEXT,"
	"  created BIGINT NOT NULL, expires BIGINT NOT NULL,"
	"  uses BIGINT NOT NULL, uses_left BIGINT NOT NULL,"
	"  revoked INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE TABLE fleet_agents ("
	"  id TEXT PRIMARY KEY, public_key BYTEA NOT NULL, token TEXT, grp TEXT,"
	"  hostname TEXT, facts TEXT, enrolled BIGINT NOT NULL, last_seen BIGINT,"
	"  last_counter BIGINT NOT NULL DEFAULT 0, removed INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE TABLE fleet_apikeys ("
	"  id TEXT PRIMARY KEY, hash BYTEA NOT NULL, role TEXT NOT NULL,"
	"  created BIGINT NOT NULL, revoked INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE TABLE fleet_batches ("
	"  agent TEXT NOT NULL, batch_id TEXT NOT NULL, received BIGINT NOT NULL,"
	"  scans INTEGER NOT NULL, PRIMARY KEY (agent, batch_id)"
	");",
	/* v2: daily host snapshots (as the SQLite store's fleet_snapshots),
	 * partitioned by month of their day */
	"CREATE TABLE fleet_snapshots ("
	"  agent TEXT NOT NULL, day INTEGER NOT NULL, scan TEXT, started TEXT,"
	"  score INTEGER, critical INTEGER, high INTEGER, medium INTEGER, low INTEGER,"
	"  info INTEGER, failed_checks INTEGER, vulnerable_packages INTEGER,"
	"  updated BIGINT,"
	"  PRIMARY KEY (agent, day)"
	") PARTITION BY RANGE (day);"
	"CREATE TABLE fleet_snapshots_default PARTITION OF fleet_snapshots DEFAULT;"
	"CREATE INDEX fleet_snapshots_day ON fleet_snapshots(day);",
	/* ---- dashboard (issue 12, branch f-dash): begin ----
	 * v3: the dashboard's users, sessions, audit log and task queue (as the
	 * SQLite store's "dashboard" block) */
	"CREATE TABLE dash_users ("
	"  name TEXT PRIMARY KEY, role TEXT NOT NULL, hash TEXT NOT NULL, created BIGINT NOT NULL"
	");"
	"CREATE TABLE dash_sessions ("
	"  id_hash BYTEA PRIMARY KEY,"
	"  username TEXT NOT NULL REFERENCES dash_users(name) ON DELETE CASCADE,"
	"  csrf TEXT NOT NULL, created BIGINT NOT NULL, expires BIGINT NOT NULL, addr TEXT"
	");"
	"CREATE TABLE dash_audit ("
	"  seq BIGSERIAL PRIMARY KEY, time BIGINT NOT NULL, username TEXT, action TEXT NOT NULL,"
	"  target TEXT, addr TEXT"
	");"
	"CREATE TABLE fleet_tasks ("
	"  id TEXT PRIMARY KEY, created BIGINT NOT NULL, creator TEXT, agent TEXT NOT NULL,"
	"  kind TEXT NOT NULL, params TEXT, state TEXT NOT NULL, delivered BIGINT"
	");"
	"CREATE INDEX fleet_tasks_agent ON fleet_tasks(agent, state);",
	/* ---- dashboard (issue 12, branch f-dash): end ---- */
	/* ---- fleet-tasks (issue 12, branch fleettasks): begin ----
	 * v4: as the SQLite store's "fleet-tasks" block */
	"ALTER TABLE fleet_tasks ADD COLUMN grp TEXT;"
	"ALTER TABLE fleet_tasks ADD COLUMN updated BIGINT;"
	"ALTER TABLE fleet_tasks ADD COLUMN message TEXT;"
	"ALTER TABLE fleet_tasks ADD COLUMN result TEXT;"
	"ALTER TABLE fleet_tasks ADD COLUMN approved_by TEXT;"
	"ALTER TABLE fleet_tasks ADD COLUMN approved BIGINT;"
	"UPDATE fleet_tasks SET state = 'sent' WHERE state = 'delivered';"
	"CREATE INDEX fleet_tasks_created ON fleet_tasks(created);"
	"CREATE TABLE fleet_keys ("
	"  name TEXT PRIMARY KEY, secret BYTEA NOT NULL, public BYTEA NOT NULL, created BIGINT NOT NULL"
	");",
	/* ---- fleet-tasks (issue 12, branch fleettasks): end ---- */
	/* ---- fleetgaps (issue 12, branch fleetgaps): begin ----
	 * as the SQLite store's "fleetgaps" block */
	"CREATE TABLE fleet_bundles ("
	"  task TEXT PRIMARY KEY, agent TEXT NOT NULL, received BIGINT NOT NULL,"
	"  size BIGINT NOT NULL, sha256 TEXT NOT NULL, data BYTEA NOT NULL"
	");"
	"CREATE INDEX fleet_bundles_agent ON fleet_bundles(agent, received);"
	"ALTER TABLE fleet_tasks ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;"
	/* the incident records (as the SQLite store's "incident" block;
	 * store/incidents_pg.c) */
	"CREATE TABLE incidents ("
	"  id TEXT PRIMARY KEY, year INTEGER NOT NULL, seq INTEGER NOT NULL,"
	"  detected TEXT, created TEXT, record TEXT NOT NULL, UNIQUE (year, seq)"
	");"
	"CREATE TABLE incident_links ("
	"  rowid BIGSERIAL UNIQUE,"
	"  incident TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,"
	"  kind TEXT NOT NULL, value TEXT NOT NULL, sha256 TEXT, time TEXT,"
	"  PRIMARY KEY (incident, kind, value)"
	");"
	"CREATE TABLE incident_events ("
	"  seq BIGSERIAL PRIMARY KEY,"
	"  incident TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,"
	"  time TEXT NOT NULL, kind TEXT NOT NULL, state TEXT, operator TEXT, text TEXT"
	");"
	"CREATE INDEX incidents_detected ON incidents(detected);"
	"CREATE INDEX incident_events_incident ON incident_events(incident, seq);",
	/* ---- fleetgaps (issue 12, branch fleetgaps): end ---- */
	/* ---- ingest2 (issue 12, branch ingest2): begin ----
	 * as the SQLite store's "ingest2" block: findings_rule dropped (with
	 * the indexes of every partition) */
	"DROP INDEX IF EXISTS findings_rule;",
	/* ---- ingest2 (issue 12, branch ingest2): end ---- */
};

#define PG_SCHEMA_VERSION ((int)(sizeof(pg_migrations) / sizeof(pg_migrations[0])))

static int read_version(rs_db *db, int *version)
{
	rs_db_stmt *stmt = rs_db_prepare(db, "SELECT version FROM rasoat_schema");
	if (!stmt)
		return -1;
	int step = rs_db_step(stmt);
	*version = step == RS_DB_ROW ? (int)rs_db_column_int64(stmt, 0) : 0;
	rs_db_finalize(stmt);
	if (step == RS_DB_DONE) {
		if (rs_db_exec(db, "INSERT INTO rasoat_schema (version) VALUES (0)") < 0)
			return -1;
	}
	return step == RS_DB_ERROR ? -1 : 0;
}

static int apply(rs_db *db, int version)
{
	if (rs_db_exec(db, pg_migrations[version]) < 0)
		return -1;
	rs_db_stmt *stmt = rs_db_prepare(db, "UPDATE rasoat_schema SET version = ?");
	if (!stmt)
		return -1;
	rs_db_bind_int64(stmt, 1, version + 1);
	int rc = rs_db_step(stmt) == RS_DB_DONE ? 0 : -1;
	rs_db_finalize(stmt);
	return rc;
}

int rs_db_pg_migrate(rs_db *db)
{
	char lock[96];
	snprintf(lock, sizeof(lock), "SELECT pg_advisory_xact_lock(%lld)", SCHEMA_LOCK);
	int version = 0;
	int rc = rs_db_begin(db);
	if (rc == 0)
		rc = rs_db_exec(db, lock);
	if (rc == 0)
		rc = rs_db_exec(db, "CREATE TABLE IF NOT EXISTS rasoat_schema (version INTEGER NOT NULL)");
	if (rc == 0)
		rc = read_version(db, &version);
	if (rc == 0 && version > PG_SCHEMA_VERSION) {
		rs_db_set_error(db, _("%s was set up by a newer rasoat (schema %d; this one knows up to %d); "
				"upgrade rasoat"), db->name, version, PG_SCHEMA_VERSION);
		rc = -1;
	}
	for (; rc == 0 && version < PG_SCHEMA_VERSION; version++)
		rc = apply(db, version);
	if (rc == 0)
		rc = rs_db_commit(db);
	if (rc < 0) {
		char saved[sizeof(db->err)];
		snprintf(saved, sizeof(saved), "%s", db->err);
		rs_db_rollback(db);
		rs_db_set_error(db, _("%s: cannot set up the schema: %s"), db->name, saved);
		return -1;
	}
	return rs_db_pg_partitions(db, (long long)time(NULL));
}

/* Creates the partitions of month M (0-11) of year Y when missing. */
static int make_month(rs_db *db, int y, int m)
{
	struct tm a = {.tm_year = y - 1900, .tm_mon = m, .tm_mday = 1};
	int ny = m == 11 ? y + 1 : y, nm = m == 11 ? 0 : m + 1;
	struct tm b = {.tm_year = ny - 1900, .tm_mon = nm, .tm_mday = 1};
	long long from = (long long)timegm(&a), to = (long long)timegm(&b);
	char sql[768];
	snprintf(sql, sizeof(sql),
		 "CREATE TABLE IF NOT EXISTS findings_y%04dm%02d PARTITION OF findings"
		 " FOR VALUES FROM (%lld) TO (%lld);"
		 "CREATE TABLE IF NOT EXISTS fleet_snapshots_y%04dm%02d PARTITION OF fleet_snapshots"
		 " FOR VALUES FROM (%d) TO (%d)",
		 y, m + 1, from, to, y, m + 1, y * 10000 + (m + 1) * 100 + 1, ny * 10000 + (nm + 1) * 100 + 1);
	return rs_db_exec(db, sql);
}

int rs_db_pg_partitions(rs_db *db, long long now)
{
	time_t t = (time_t)now;
	struct tm tm;
	if (!gmtime_r(&t, &tm))
		return 0;
	long long month = (long long)(tm.tm_year + 1900) * 12 + tm.tm_mon;
	if (db->maintained == month || db->in_tx)
		return 0;
	char lock[96];
	snprintf(lock, sizeof(lock), "SELECT pg_advisory_xact_lock(%lld)", PARTITION_LOCK);
	for (long long k = month - MONTHS_BEFORE; k <= month + MONTHS_AHEAD; k++) {
		if (rs_db_begin(db) < 0)
			return -1;
		if (rs_db_exec(db, lock) < 0 || make_month(db, (int)(k / 12), (int)(k % 12)) < 0) {
			/* the DEFAULT partition still takes the rows: warn, keep going */
			rs_warn(_("%s: cannot create the partitions of %lld-%02lld: %s"), db->name, k / 12,
				k % 12 + 1, db->err);
			rs_db_rollback(db);
			continue;
		}
		if (rs_db_commit(db) < 0)
			return -1;
	}
	db->maintained = month;
	return 0;
}
