/*
 * fleet.h — the fleet server's tables in the store: enrolment tokens, API
 * keys, enrolled agents, received result batches, and the fleet views over
 * the uploaded scans (hosts, findings). Secrets are stored only as hashes
 * (fleet/proto.h rs_fleet_secret_hash) and compared in constant time.
 * Every value from an agent is bound to a prepared statement, never built
 * into SQL. Runs on either backend of store/db.h (SQLite or PostgreSQL).
 * Not thread-safe: the server serialises calls on one connection.
 */
#ifndef RS_STORE_FLEET_H
#define RS_STORE_FLEET_H

#include "core/finding.h"
#include "core/summary.h"
#include "fleet/proto.h"
#include "store/db.h"

#include <jansson.h>

/* The server's connection: every commit reaches the disk before it is
 * acknowledged (SQLite: synchronous = FULL; PostgreSQL commits durably by
 * default), so an acknowledged batch survives a power cut as well as a crash. */
int rs_fleet_store_durable(rs_db *db);

/* Unix seconds as "YYYY-MM-DDTHH:MM:SSZ" into BUF (at least 21 bytes). */
void rs_fleet_iso_time(long long t, char *buf, size_t size);
/* A column of Unix seconds as such a JSON string, or json null for SQL NULL. */
json_t *rs_fleet_column_time(rs_db_stmt *stmt, int col);

/* Creates a token valid TTL seconds for USES enrolments, for GROUP (may be
 * NULL), carrying PIN ("" or NULL: none). Writes the token text to OUT. */
int rs_fleet_token_create(rs_db *db, long long now, long long ttl, long uses,
			  const char *group, const char *pin, char *out, size_t size);
/* Every token, newest first: {"type":"token","id","group","created","expires",
 * "uses","uses_left","state":"active|expired|used_up|revoked"}. NULL on error. */
json_t *rs_fleet_token_list(rs_db *db, long long now);
/* 0 revoked, 1 no such token, -1 error. */
int rs_fleet_token_revoke(rs_db *db, const char *id);

/* Creates an API key with ROLE (viewer, analyst, admin); the key text to OUT. */
int rs_fleet_apikey_create(rs_db *db, long long now, const char *role, char *out, size_t size);
/* 0 revoked, 1 no such key, -1 error. */
int rs_fleet_apikey_revoke(rs_db *db, const char *id);
/* Every API key: {"type":"apikey","id","role","created","revoked"}. NULL on error. */
json_t *rs_fleet_apikey_list(rs_db *db);
/* Checks the key text KEY: 0 and its role in ROLE, 1 unknown or revoked, -1 error. */
int rs_fleet_apikey_check(rs_db *db, const char *key, char role[16]);

typedef enum rs_fleet_enroll_status {
	RS_ENROLL_OK = 0,
	RS_ENROLL_BAD_TOKEN,   /* unknown id or wrong secret */
	RS_ENROLL_EXPIRED,
	RS_ENROLL_USED_UP,
	RS_ENROLL_REVOKED,
	RS_ENROLL_ERROR,       /* the database failed */
} rs_fleet_enroll_status;

/* Checks TOKEN and, in one transaction, spends one of its uses and records
 * a new agent with PUBLIC_KEY and the reported HOSTNAME and FACTS; its id
 * goes to AGENT. */
rs_fleet_enroll_status rs_fleet_enroll(rs_db *db, const rs_fleet_token *token,
				       const unsigned char *public_key, const char *hostname,
				       const json_t *facts, long long now, char agent[RS_FLEET_ID_HEX + 1]);

/* The public key of AGENT: 0, 1 when unknown or removed, -1 error. */
int rs_fleet_agent_key(rs_db *db, const char *agent, unsigned char public_key[32]);
/* Accepts COUNTER for AGENT when above the last accepted one, and marks the
 * agent seen at NOW: 0 accepted, 1 replayed (not above), -1 error. */
int rs_fleet_agent_accept(rs_db *db, const char *agent, unsigned long long counter, long long now);
/* Whether AGENT is enrolled and not removed: 0 yes, 1 no, -1 error (tells
 * a removed agent from a replay after rs_fleet_agent_accept returned 1). */
int rs_fleet_agent_active(rs_db *db, const char *agent);
/* Removes AGENT: its requests are refused from now on and it leaves the
 * host list; its stored scans stay. 0 removed, 1 no such agent, -1 error. */
int rs_fleet_agent_remove(rs_db *db, const char *agent);
/* Replaces the reported facts of AGENT. */
int rs_fleet_agent_set_facts(rs_db *db, const char *agent, const char *hostname, const json_t *facts);

/* A piece of a request body: not NUL-terminated. */
typedef struct rs_fleet_text {
	const char *text;   /* NULL: none */
	size_t len;
} rs_fleet_text;

/* One uploaded scan. */
typedef struct rs_fleet_upload {
	const rs_summary *summary;
	rs_finding *const *findings;
	size_t n_findings;
	/* optional (NULL, or one per finding, NULL text for some): each
	 * finding's JSON text as received, already validated field by field
	 * against the finding's contract; stored as is instead of
	 * rs_finding_to_json of the finding */
	const rs_fleet_text *finding_json;
} rs_fleet_upload;

typedef enum rs_fleet_batch_status {
	RS_BATCH_STORED = 0,
	RS_BATCH_DUPLICATE,    /* received before: nothing stored again */
	RS_BATCH_CONFLICT,     /* a scan id belongs to another agent: nothing stored */
	RS_BATCH_ERROR,
} rs_fleet_batch_status;

/* Stores batch BATCH_ID of AGENT in one transaction: the batch record and
 * each scan not already stored for this agent, complete with its findings,
 * and the host's daily snapshot (rs_fleet_snapshot_record). Safe when
 * several servers receive the same batch at once: one stores it, the
 * others answer RS_BATCH_DUPLICATE. */
rs_fleet_batch_status rs_fleet_store_batch(rs_db *db, const char *agent, const char *batch_id,
					   const rs_fleet_upload *scans, size_t n, long long now);
/* The same inside a transaction the caller opened (the server's group
 * commit, server/group_commit.c): the caller rolls back (to a savepoint)
 * unless RS_BATCH_STORED, and commits. */
rs_fleet_batch_status rs_fleet_store_batch_in(rs_db *db, const char *agent, const char *batch_id,
					      const rs_fleet_upload *scans, size_t n, long long now);

/* The GET /api/v1 views. A list returns {"items":[…],"next":CURSOR|null};
 * AFTER is the cursor of the previous page (NULL: first page). */
json_t *rs_fleet_hosts(rs_db *db, long long now, const char *after, int limit);
/* One host with its facts and its latest scans; NULL when unknown (or on error). */
json_t *rs_fleet_host(rs_db *db, long long now, const char *id);

typedef struct rs_fleet_finding_filter {
	const char *host;      /* agent id */
	const char *scan;
	const char *module;
	const char *rule;
	int min_severity;      /* rs_severity, 0 = all */
	bool latest;           /* only each host's newest complete scan */
	long long after;       /* cursor: findings after this row */
	int limit;
} rs_fleet_finding_filter;

json_t *rs_fleet_findings(rs_db *db, const rs_fleet_finding_filter *filter);

/* ---- daily snapshots (store/fleet_snapshot.c) ----
 * One row per host and day (UTC): the newest complete scan started that day
 * gives the score, the counts by severity, the failed checks (findings of
 * the audit module) and the vulnerable packages (distinct evidence.package
 * of the vuln module's findings). A day is an int YYYYMMDD. A host's state
 * on a day with no scan is its newest snapshot before that day. */

/* YYYYMMDD of Unix time T (UTC). */
int rs_fleet_day_of(long long t);
/* Parses "YYYY-MM-DD" (or "YYYY-MM-DDT…") into YYYYMMDD; -1 when malformed. */
int rs_fleet_day_parse(const char *text, int *day);
/* DAY moved by DELTA days (e.g. -89 for the start of a 90-day trend). */
int rs_fleet_day_add(int day, int delta);

/* Upserts the snapshot of AGENT for the day UPLOAD's scan started, unless
 * that day already holds a newer scan's. Called inside rs_fleet_store_batch. */
int rs_fleet_snapshot_record(rs_db *db, const char *agent, const rs_fleet_upload *upload, long long now);

/* The snapshots of HOST (agent id; NULL: every host not removed) with
 * FROM <= day <= TO, by host then day: [{"host","hostname","day":"YYYY-MM-DD",
 * "scan","started","score","counts":{"critical",…,"info"},"failed_checks",
 * "vulnerable_packages"}]. NULL on error. */
json_t *rs_fleet_snapshots(rs_db *db, const char *host, int from, int to);

/* Every host's state on DAY (its newest snapshot on or before DAY), same
 * objects as rs_fleet_snapshots ("day" is the snapshot's own day); hosts
 * without any snapshot by then are absent. NULL on error. */
json_t *rs_fleet_state_on(rs_db *db, int day);

/* The trend from FROM to TO (at most 3660 days), one object a day:
 * {"day","hosts","score","counts","failed_checks","vulnerable_packages"}
 * where hosts is how many hosts had a state that day, score their mean
 * (null when none), the rest sums over them. HOST limits it to one host
 * (NULL: the fleet). For "fleet score over 90 days":
 * rs_fleet_trend(db, NULL, rs_fleet_day_add(today, -89), today). */
json_t *rs_fleet_trend(rs_db *db, const char *host, int from, int to);

#endif
