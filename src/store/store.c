/*
 * store.c — opening the scan store: creating its directory and file with
 * private permissions, refusing files that are not SQLite databases,
 * setting WAL mode, the busy timeout and foreign keys, and bringing the
 * schema up to date with the migrations below (see store.h).
 */
#include "store/store_internal.h"
#include "core/json.h"
#include "core/i18n.h"
#include "store/db.h"
#include "core/log.h"
#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define STORE_BUSY_TIMEOUT_MS 5000

/* Schema migrations: entry i brings user_version i to i + 1. Only ever
 * append to this list; a released migration never changes. */
static const char *const migrations[] = {
	/* v1: scans and their findings */
	"CREATE TABLE scans ("
	"  id TEXT PRIMARY KEY,"
	"  host TEXT,"
	"  root TEXT,"
	"  started TEXT,"
	"  duration_ms INTEGER,"
	"  complete INTEGER NOT NULL DEFAULT 0,"
	"  counts TEXT,"
	"  score INTEGER,"
	"  exit_code INTEGER,"
	"  modules TEXT,"
	"  host_info TEXT,"
	"  summary TEXT"
	");"
	"CREATE TABLE findings ("
	"  scan TEXT NOT NULL REFERENCES scans(id) ON DELETE CASCADE,"
	"  seq INTEGER NOT NULL,"
	"  module TEXT,"
	"  rule TEXT,"
	"  severity INTEGER,"
	"  score INTEGER,"
	"  identity TEXT,"
	"  json TEXT NOT NULL,"
	"  PRIMARY KEY (scan, seq)"
	");"
	"CREATE INDEX scans_started ON scans(started);"
	"CREATE INDEX findings_rule ON findings(rule);",
	/* v2: the hunt module's clean-file cache (store/filecache.c): a file
	 * found clean under a rule set is not rescanned while unchanged */
	"CREATE TABLE file_cache ("
	"  path TEXT PRIMARY KEY,"
	"  dev INTEGER, ino INTEGER, size INTEGER, mtime_ns INTEGER, ctime_ns INTEGER,"
	"  rules_hash TEXT NOT NULL,"
	"  scanned TEXT"
	");",
	/* v3: vulnerability feeds imported once, matched many times (store/vulndb.c) */
	"CREATE TABLE vuln_feeds ("
	"  id INTEGER PRIMARY KEY,"
	"  source TEXT, kind TEXT, imported TEXT, records INTEGER"
	");"
	"CREATE TABLE vuln_records ("
	"  feed INTEGER REFERENCES vuln_feeds(id) ON DELETE CASCADE,"
	"  record TEXT, ecosystem TEXT, package TEXT, cve TEXT,"
	"  introduced TEXT, fixed TEXT, last_affected TEXT, status TEXT,"
	"  cvss REAL, severity TEXT, urgency TEXT, summary TEXT"
	");"
	"CREATE INDEX vuln_records_package ON vuln_records(ecosystem, package);",
	/* v4: the file-integrity baseline of `rasoat fim` (store/fim.c) */
	"CREATE TABLE fim_baseline ("
	"  root TEXT NOT NULL, path TEXT NOT NULL,"
	"  type TEXT, sha256 TEXT, size INTEGER, mode INTEGER, uid INTEGER, gid INTEGER,"
	"  mtime INTEGER, ctime INTEGER, link TEXT, recorded TEXT,"
	"  PRIMARY KEY (root, path)"
	");"
	"CREATE TABLE fim_paths ("
	"  root TEXT NOT NULL, path TEXT NOT NULL, recorded TEXT,"
	"  PRIMARY KEY (root, path)"
	");",
	/* v5: the integrity module's verified-digest cache (store/integrity_cache.c):
	 * a package file verified against a recorded digest is not re-read while
	 * unchanged */
	"CREATE TABLE integrity_cache ("
	"  path TEXT PRIMARY KEY,"
	"  dev INTEGER, ino INTEGER, size INTEGER, mtime_ns INTEGER, ctime_ns INTEGER,"
	"  digest TEXT NOT NULL,"
	"  verified TEXT"
	");",
	/* v6: the respond actions (store/actions.c): one row per applied, failed
	 * or undone state of an action, linked to the scan and finding it
	 * answers; a queryable copy of the journal, which stays the source of
	 * truth */
	"CREATE TABLE actions ("
	"  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  id TEXT NOT NULL,"
	"  scan TEXT, finding TEXT,"
	"  action TEXT NOT NULL, target TEXT, state TEXT NOT NULL,"
	"  time TEXT, operator TEXT, root TEXT,"
	"  line TEXT NOT NULL"
	");"
	"CREATE INDEX actions_id ON actions(id);"
	"CREATE INDEX actions_scan ON actions(scan);",
	/* ---- fleet (issue 12, branch r-fleet): begin ----
	 * v7: the fleet server (store/fleet_auth.c, store/fleet_data.c):
	 * enrolment tokens and API keys (secrets kept as BLAKE2b hashes only),
	 * enrolled agents (Ed25519 public key, last accepted request counter,
	 * self-reported facts), the result batches received (a batch id is
	 * stored once per agent: uploads are idempotent); uploaded scans go
	 * into scans/findings with the agent that sent them. */
	"CREATE TABLE fleet_tokens ("
	"  id TEXT PRIMARY KEY,"
	"  hash BLOB NOT NULL,"
	"  grp TEXT,"
	"  pin TEXT,"
	"  created INTEGER NOT NULL,"
	"  expires INTEGER NOT NULL,"
	"  uses INTEGER NOT NULL,"
	"  uses_left INTEGER NOT NULL,"
	"  revoked INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE TABLE fleet_agents ("
	"  id TEXT PRIMARY KEY,"
	"  public_key BLOB NOT NULL,"
	"  token TEXT,"
	"  grp TEXT,"
	"  hostname TEXT,"
	"  facts TEXT,"
	"  enrolled INTEGER NOT NULL,"
	"  last_seen INTEGER,"
	"  last_counter INTEGER NOT NULL DEFAULT 0,"
	"  removed INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE TABLE fleet_apikeys ("
	"  id TEXT PRIMARY KEY,"
	"  hash BLOB NOT NULL,"
	"  role TEXT NOT NULL,"
	"  created INTEGER NOT NULL,"
	"  revoked INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE TABLE fleet_batches ("
	"  agent TEXT NOT NULL,"
	"  batch_id TEXT NOT NULL,"
	"  received INTEGER NOT NULL,"
	"  scans INTEGER NOT NULL,"
	"  PRIMARY KEY (agent, batch_id)"
	");"
	"ALTER TABLE scans ADD COLUMN agent TEXT;"
	"CREATE INDEX scans_agent ON scans(agent, started);",
	/* ---- fleet (issue 12, branch r-fleet): end ---- */
	/* ---- fleet-snapshots (issue 12, branch f-pg): begin ----
	 * v8: one snapshot per fleet host and day (store/fleet_snapshot.c):
	 * the newest complete scan of that day's score, counts by severity,
	 * failed checks and vulnerable packages, for trends and "state on day
	 * D". DAY is YYYYMMDD (UTC). The PostgreSQL twin is in db_pg_schema.c. */
	"CREATE TABLE fleet_snapshots ("
	"  agent TEXT NOT NULL, day INTEGER NOT NULL, scan TEXT, started TEXT,"
	"  score INTEGER, critical INTEGER, high INTEGER, medium INTEGER, low INTEGER,"
	"  info INTEGER, failed_checks INTEGER, vulnerable_packages INTEGER,"
	"  updated INTEGER,"
	"  PRIMARY KEY (agent, day)"
	");"
	"CREATE INDEX fleet_snapshots_day ON fleet_snapshots(day);",
	/* ---- fleet-snapshots (issue 12, branch f-pg): end ---- */
	/* ---- dashboard (issue 12, branch f-dash): begin ----
	 * the dashboard (store/dash_users.c): operators with roles and Argon2id
	 * password hashes, their sessions (the session id kept as a BLAKE2b hash
	 * only, with its CSRF token and expiry), the audit log of operator
	 * actions, and the tasks queued for hosts ("scan now"). */
	"CREATE TABLE dash_users ("
	"  name TEXT PRIMARY KEY,"
	"  role TEXT NOT NULL,"
	"  hash TEXT NOT NULL,"
	"  created INTEGER NOT NULL"
	");"
	"CREATE TABLE dash_sessions ("
	"  id_hash BLOB PRIMARY KEY,"
	"  username TEXT NOT NULL REFERENCES dash_users(name) ON DELETE CASCADE,"
	"  csrf TEXT NOT NULL,"
	"  created INTEGER NOT NULL,"
	"  expires INTEGER NOT NULL,"
	"  addr TEXT"
	");"
	"CREATE TABLE dash_audit ("
	"  seq INTEGER PRIMARY KEY,"
	"  time INTEGER NOT NULL,"
	"  username TEXT,"
	"  action TEXT NOT NULL,"
	"  target TEXT,"
	"  addr TEXT"
	");"
	"CREATE TABLE fleet_tasks ("
	"  id TEXT PRIMARY KEY,"
	"  created INTEGER NOT NULL,"
	"  creator TEXT,"
	"  agent TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  params TEXT,"
	"  state TEXT NOT NULL,"
	"  delivered INTEGER"
	");"
	"CREATE INDEX fleet_tasks_agent ON fleet_tasks(agent, state);",
	/* ---- dashboard (issue 12, branch f-dash): end ---- */
	/* ---- incident: begin ----
	 * the incident records (issue 11, store/incidents.c): one row per
	 * incident (its id INC-YYYY-NNNN numbered per year, and the fields a
	 * person or `incident new` gave, as JSON); the scans, respond actions
	 * and evidence bundles linked to it; its state changes and notes. */
	"CREATE TABLE incidents ("
	"  id TEXT PRIMARY KEY,"
	"  year INTEGER NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  detected TEXT,"
	"  created TEXT,"
	"  record TEXT NOT NULL,"
	"  UNIQUE (year, seq)"
	");"
	"CREATE TABLE incident_links ("
	"  incident TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,"
	"  kind TEXT NOT NULL,"
	"  value TEXT NOT NULL,"
	"  sha256 TEXT,"
	"  time TEXT,"
	"  PRIMARY KEY (incident, kind, value)"
	");"
	"CREATE TABLE incident_events ("
	"  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  incident TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,"
	"  time TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  state TEXT,"
	"  operator TEXT,"
	"  text TEXT"
	");"
	"CREATE INDEX incidents_detected ON incidents(detected);"
	"CREATE INDEX incident_events_incident ON incident_events(incident, seq);",
	/* ---- incident: end ---- */
	/* ---- accounts_seen: begin ----
	 * the accounts each scanned root had (issue 15, store/accounts_seen.c):
	 * the audit reports an account that a later scan finds and this table
	 * does not list (T1136.001, "added since the last scan"). */
	"CREATE TABLE accounts_seen ("
	"  root TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  uid INTEGER,"
	"  first_seen TEXT,"
	"  PRIMARY KEY (root, name)"
	");",
	/* ---- accounts_seen: end ---- */
	/* ---- fleet-tasks (issue 12, branch fleettasks): begin ----
	 * tasks beyond "scan now" (store/fleet_tasks.c): the group a task was
	 * queued for, the agent's reported state, message and result, the
	 * approval of a respond task, and the server's content signing key. */
	"ALTER TABLE fleet_tasks ADD COLUMN grp TEXT;"
	"ALTER TABLE fleet_tasks ADD COLUMN updated INTEGER;"
	"ALTER TABLE fleet_tasks ADD COLUMN message TEXT;"
	"ALTER TABLE fleet_tasks ADD COLUMN result TEXT;"
	"ALTER TABLE fleet_tasks ADD COLUMN approved_by TEXT;"
	"ALTER TABLE fleet_tasks ADD COLUMN approved INTEGER;"
	"UPDATE fleet_tasks SET state = 'sent' WHERE state = 'delivered';"
	"CREATE INDEX fleet_tasks_created ON fleet_tasks(created);"
	"CREATE TABLE fleet_keys ("
	"  name TEXT PRIMARY KEY,"
	"  secret BLOB NOT NULL,"
	"  public BLOB NOT NULL,"
	"  created INTEGER NOT NULL"
	");",
	/* ---- fleet-tasks (issue 12, branch fleettasks): end ---- */
	/* ---- fleetgaps (issue 12, branch fleetgaps): begin ----
	 * the evidence bundles collect tasks upload (store/fleet_bundles.c):
	 * one a task, its bytes, size and SHA-256; and how many times a task
	 * was handed out (a task whose agent never reported it is handed out
	 * again, then marked lost). */
	"CREATE TABLE fleet_bundles ("
	"  task TEXT PRIMARY KEY,"
	"  agent TEXT NOT NULL,"
	"  received INTEGER NOT NULL,"
	"  size INTEGER NOT NULL,"
	"  sha256 TEXT NOT NULL,"
	"  data BLOB NOT NULL"
	");"
	"CREATE INDEX fleet_bundles_agent ON fleet_bundles(agent, received);"
	"ALTER TABLE fleet_tasks ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;",
	/* ---- fleetgaps (issue 12, branch fleetgaps): end ---- */
	/* ---- ingest2 (issue 12, branch ingest2): begin ----
	 * the findings_rule index goes: every upload paid for it (its entries
	 * land all over the tree, one page or more a finding when rules
	 * differ: the largest part of what a report wrote to the WAL), and no
	 * query needs it any more (the dashboard's views walk each host's
	 * newest scan, store/fleet_views.c). The PostgreSQL twin is in
	 * db_pg_schema.c. */
	"DROP INDEX IF EXISTS findings_rule;",
	/* ---- ingest2 (issue 12, branch ingest2): end ---- */
};

#define SCHEMA_VERSION ((int)(sizeof(migrations) / sizeof(migrations[0])))

int rs_store_schema_version(void)
{
	return SCHEMA_VERSION;
}

int rs_store_exec(rs_store *store, const char *sql)
{
	return sqlite3_exec(store->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

sqlite3_stmt *rs_store_prepare(rs_store *store, const char *sql)
{
	sqlite3_stmt *stmt = NULL;
	if (sqlite3_prepare_v2(store->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
		rs_error(_("%s: cannot query the scan database: %s"), store->path,
			 sqlite3_errmsg(store->db));
		return NULL;
	}
	return stmt;
}

int rs_store_bind_text(sqlite3_stmt *stmt, int index, const char *text)
{
	if (!text)
		return sqlite3_bind_null(stmt, index);
	return sqlite3_bind_text(stmt, index, text, -1, SQLITE_TRANSIENT);
}

int rs_store_bind_json(sqlite3_stmt *stmt, int index, const json_t *value)
{
	if (!value)
		return sqlite3_bind_null(stmt, index);
	char *text = rs_json_text(value);
	int rc = rs_store_bind_text(stmt, index, text);
	free(text);
	return rc;
}

/* Creates DIR and its missing parents, each with mode 0700. */
static int make_private_dirs(const char *dir)
{
	char *copy = rs_strdup(dir);
	int rc = 0;
	for (char *p = copy + 1; rc == 0; p++) {
		bool last = *p == '\0';
		if (*p != '/' && !last)
			continue;
		*p = '\0';
		if (mkdir(copy, 0700) < 0 && errno != EEXIST) {
			rs_error(_("%s: cannot create the directory of the scan database: %s; "
				 "create it or give another --db"), copy, strerror(errno));
			rc = -1;
		}
		if (last)
			break;
		*p = '/';
	}
	free(copy);
	return rc;
}

/* Makes sure the directory that will hold PATH exists. */
static int ensure_parent_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash || slash == path)
		return 0;
	char *dir = rs_strndup(path, (size_t)(slash - path));
	struct stat st;
	int rc = 0;
	if (stat(dir, &st) < 0)
		rc = make_private_dirs(dir);
	else if (!S_ISDIR(st.st_mode)) {
		rs_error(_("%s: not a directory, so the scan database %s cannot go there; give another --db"),
			 dir, path);
		rc = -1;
	}
	free(dir);
	return rc;
}

/* Creates PATH as an empty file readable by its owner only. */
static int create_private_file(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 && errno != EEXIST) {
		rs_error(_("%s: cannot create the scan database: %s; give a writable --db"),
			 path, strerror(errno));
		return -1;
	}
	if (fd >= 0)
		close(fd);
	return 0;
}

static void refuse_foreign_file(const char *path, const char *what)
{
	rs_error(_("%s: %s, not a rasoat scan database; it was left untouched: "
		 "give another --db, or move the file away"), path, what);
}

/* Refuses an existing PATH that is not a regular file or not SQLite. An
 * empty file is accepted (it becomes a new database). */
static int check_existing_file(const char *path)
{
	static const char magic[16] = "SQLite format 3";
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return create_private_file(path);
		if (errno == ELOOP) {
			refuse_foreign_file(path, "a symbolic link");
			return -1;
		}
		rs_error(_("%s: cannot open the scan database: %s"), path, strerror(errno));
		return -1;
	}
	struct stat st;
	char header[16];
	int rc = 0;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		refuse_foreign_file(path, "not a regular file");
		rc = -1;
	} else if (st.st_size > 0 &&
		   (read(fd, header, sizeof(header)) != (ssize_t)sizeof(header) ||
		    memcmp(header, magic, sizeof(magic)) != 0)) {
		refuse_foreign_file(path, "not an SQLite database");
		rc = -1;
	}
	close(fd);
	return rc;
}

static int read_user_version(rs_store *store, int *version)
{
	sqlite3_stmt *stmt = rs_store_prepare(store, "PRAGMA user_version");
	if (!stmt)
		return -1;
	int rc = sqlite3_step(stmt) == SQLITE_ROW ? 0 : -1;
	*version = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	return rc;
}

static int refuse_newer_schema(rs_store *store, int version)
{
	rs_error(_("%s was written by a newer rasoat (schema %d; this one knows up to %d); "
		 "upgrade rasoat or use another --db"), store->path, version, SCHEMA_VERSION);
	return -1;
}

/* Applies migration VERSION (to VERSION + 1) inside the open transaction. */
static int apply_migration(rs_store *store, int version)
{
	char pragma[64];
	snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", version + 1);
	if (rs_store_exec(store, migrations[version]) < 0 || rs_store_exec(store, pragma) < 0) {
		rs_error(_("%s: cannot bring the scan database to schema %d: %s"), store->path,
			 version + 1, sqlite3_errmsg(store->db));
		return -1;
	}
	return 0;
}

/* Brings the schema to SCHEMA_VERSION in one write transaction; another
 * process migrating at the same time waits and then finds nothing to do. */
static int migrate(rs_store *store)
{
	int version;
	if (read_user_version(store, &version) < 0)
		return -1;
	if (version > SCHEMA_VERSION)
		return refuse_newer_schema(store, version);
	if (version == SCHEMA_VERSION)
		return 0;
	if (rs_store_exec(store, "BEGIN IMMEDIATE") < 0) {
		rs_error(_("%s: cannot lock the scan database to set up its schema: %s"),
			 store->path, sqlite3_errmsg(store->db));
		return -1;
	}
	int rc = read_user_version(store, &version);
	if (rc == 0 && version > SCHEMA_VERSION)
		rc = refuse_newer_schema(store, version);
	for (; rc == 0 && version < SCHEMA_VERSION; version++)
		rc = apply_migration(store, version);
	if (rc == 0 && rs_store_exec(store, "COMMIT") < 0) {
		rs_error(_("%s: cannot save the schema of the scan database: %s"), store->path,
			 sqlite3_errmsg(store->db));
		rc = -1;
	}
	if (rc < 0 && !sqlite3_get_autocommit(store->db))
		rs_store_exec(store, "ROLLBACK");
	return rc;
}

/* WAL journal, busy timeout, foreign keys (synchronous and checkpoints:
 * store_wal.c). */
static int configure_connection(rs_store *store)
{
	sqlite3_busy_timeout(store->db, STORE_BUSY_TIMEOUT_MS);
	sqlite3_stmt *stmt = rs_store_prepare(store, "PRAGMA journal_mode = WAL");
	if (!stmt)
		return -1;
	int step = sqlite3_step(stmt);
	const char *mode = step == SQLITE_ROW ? (const char *)sqlite3_column_text(stmt, 0) : NULL;
	bool wal = mode && strcmp(mode, "wal") == 0;
	sqlite3_finalize(stmt);
	if (!wal) {
		rs_error(_("%s: cannot switch the scan database to WAL mode: %s"), store->path,
			 step == SQLITE_ROW ? _("the file system may not support it") :
			 sqlite3_errmsg(store->db));
		return -1;
	}
	if (rs_store_exec(store, "PRAGMA foreign_keys = ON") < 0) {
		rs_error(_("%s: cannot configure the scan database: %s"), store->path,
			 sqlite3_errmsg(store->db));
		return -1;
	}
	return 0;
}

/* SQLite's memory statistics off: with them on (Debian's build), every
 * allocation and free of SQLite takes and releases a process-wide lock to
 * count it, some 30,000 times to store one vuln scan's findings, and no
 * command reads them (sqlite3_memory_used, sqlite3_status). It can only be
 * set before SQLite's first use in the process; later it is refused
 * (SQLITE_MISUSE) and nothing changes. */
static pthread_once_t library_once = PTHREAD_ONCE_INIT;

static void configure_library(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int open_connection(rs_store *store)
{
	pthread_once(&library_once, configure_library);
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX;
#ifdef SQLITE_OPEN_NOFOLLOW
	flags |= SQLITE_OPEN_NOFOLLOW;
#endif
	if (sqlite3_open_v2(store->path, &store->db, flags, NULL) != SQLITE_OK) {
		rs_error(_("%s: cannot open the scan database: %s"), store->path,
			 store->db ? sqlite3_errmsg(store->db) : _("out of memory"));
		return -1;
	}
	sqlite3_extended_result_codes(store->db, 1);
	return 0;
}

bool rs_store_is_pg_url(const char *url)
{
	return url && (rs_starts_with(url, "postgresql://") || rs_starts_with(url, "postgres://"));
}

int rs_store_open(const char *path, rs_store **out)
{
	*out = NULL;
	if (!path || !*path) {
		rs_error(_("no scan database given; give --db PATH"));
		return -1;
	}
	if (rs_store_is_pg_url(path)) {
		rs_error(_("--db %s: this command stores into an SQLite file; a PostgreSQL database is the fleet "
			   "server's store (rasoat server --db; agents send their scans there). Give the path of a "
			   "file, e.g. --db /var/lib/rasoat/rasoat.db"),
			 path);
		return -1;
	}
	if (ensure_parent_dir(path) < 0 || check_existing_file(path) < 0)
		return -1;
	rs_store *store = rs_calloc(1, sizeof(*store));
	store->path = rs_strdup(path);
	if (open_connection(store) < 0 || configure_connection(store) < 0 || migrate(store) < 0) {
		rs_store_close(store);
		return -1;
	}
	if (rs_store_wal_init(store) < 0) {
		rs_error(_("%s: cannot configure the scan database: %s"), store->path, sqlite3_errmsg(store->db));
		rs_store_close(store);
		return -1;
	}
	*out = store;
	return 0;
}

int rs_store_open_memory(const char *name, rs_store **out)
{
	*out = NULL;
	rs_store *store = rs_calloc(1, sizeof(*store));
	store->path = rs_strdup(name);
	if (sqlite3_open_v2(":memory:", &store->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK ||
	    migrate(store) < 0) {
		rs_error("%s: cannot make the in-memory scan store", name);
		rs_store_close(store);
		return -1;
	}
	*out = store;
	return 0;
}

void rs_store_close(rs_store *store)
{
	if (!store)
		return;
	if (store->pg)
		rs_db_close(store->pg);
	rs_store_wal_close(store);
	sqlite3_close(store->db);
	free(store->path);
	free(store);
}
