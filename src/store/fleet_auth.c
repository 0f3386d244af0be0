/*
 * fleet_auth.c — who may talk to the fleet server (store/fleet.h):
 * enrolment tokens (create, list, revoke, spend at enrolment), API keys,
 * and the agents' public keys and request counters.
 */
#include "store/fleet.h"
#include "core/i18n.h"
#include "store/db.h"
#include "store/db_internal.h"
#include "core/log.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void db_failed(rs_db *db, const char *doing)
{
	rs_error(_("%s: cannot %s: %s"), rs_db_name(db), doing, rs_db_errmsg(db));
}

/* The server's SQLite page cache: 64 MiB instead of SQLite's 2 MiB, so the
 * pages of the indexes that uploads insert into at random places (scans,
 * findings, batches) stay in memory instead of being read again from the
 * file at each commit. */
#define SERVER_CACHE_KIB 65536

int rs_fleet_store_durable(rs_db *db)
{
	char sql[96];
	snprintf(sql, sizeof(sql), "PRAGMA synchronous = FULL; PRAGMA cache_size = -%d", SERVER_CACHE_KIB);
	if (rs_db_kind(db) == RS_DB_SQLITE && rs_db_exec(db, sql) < 0) {
		db_failed(db, _("make the database durable"));
		return -1;
	}
	/* its commits are small and many: SQLite's own checkpoints, not a command's */
	if (rs_db_kind(db) == RS_DB_SQLITE)
		rs_store_checkpoint_inline(db->store);
	return 0;
}

json_t *rs_fleet_column_time(rs_db_stmt *stmt, int col)
{
	if (rs_db_column_null(stmt, col))
		return json_null();
	char buf[32];
	rs_fleet_iso_time(rs_db_column_int64(stmt, col), buf, sizeof(buf));
	return json_string(buf);
}

void rs_fleet_iso_time(long long t, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm) || strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, size, "1970-01-01T00:00:00Z");
}


/* Runs a prepared statement that returns no row; finalizes it. */
static int run_done(rs_db *db, rs_db_stmt *stmt, const char *doing)
{
	int rc = rs_db_step(stmt);
	rs_db_finalize(stmt);
	if (rc != RS_DB_DONE) {
		db_failed(db, doing);
		return -1;
	}
	return 0;
}

/* Runs "UPDATE … WHERE id = ?" for ID: 0 changed, 1 no such row, -1 error. */
static int update_by_id(rs_db *db, const char *sql, const char *id, const char *doing)
{
	rs_db_stmt *stmt = rs_db_prepare(db, sql);
	if (!stmt)
		return -1;
	rs_db_bind_text(stmt, 1, id);
	if (run_done(db, stmt, doing) < 0)
		return -1;
	return rs_db_changes(db) == 1 ? 0 : 1;
}

int rs_fleet_token_create(rs_db *db, long long now, long long ttl, long uses,
			  const char *group, const char *pin, char *out, size_t size)
{
	rs_fleet_token t;
	memset(&t, 0, sizeof(t));
	rs_fleet_random_hex(t.id, RS_FLEET_TOKEN_ID_HEX / 2);
	rs_fleet_random_hex(t.secret, RS_FLEET_SECRET_HEX / 2);
	if (pin && *pin)
		snprintf(t.pin, sizeof(t.pin), "%s", pin);
	unsigned char hash[32];
	rs_fleet_secret_hash(t.secret, hash);
	rs_db_stmt *stmt = rs_db_prepare(db,
		"INSERT INTO fleet_tokens (id, hash, grp, pin, created, expires, uses, uses_left)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	if (!stmt)
		return -1;
	rs_db_bind_text(stmt, 1, t.id);
	rs_db_bind_blob(stmt, 2, hash, sizeof(hash));
	rs_db_bind_text(stmt, 3, group);
	rs_db_bind_text(stmt, 4, t.pin[0] ? t.pin : NULL);
	rs_db_bind_int64(stmt, 5, now);
	rs_db_bind_int64(stmt, 6, now + ttl);
	rs_db_bind_int64(stmt, 7, uses);
	rs_db_bind_int64(stmt, 8, uses);
	if (run_done(db, stmt, "record the enrolment token") < 0)
		return -1;
	rs_fleet_token_format(&t, out, size);
	sodium_memzero(&t, sizeof(t));
	return 0;
}

static const char *token_state(rs_db_stmt *stmt, long long now)
{
	if (rs_db_column_int64(stmt, 6))
		return "revoked";
	if (rs_db_column_int64(stmt, 3) <= now)
		return "expired";
	if (rs_db_column_int64(stmt, 5) <= 0)
		return "used_up";
	return "active";
}

json_t *rs_fleet_token_list(rs_db *db, long long now)
{
	rs_db_stmt *stmt = rs_db_prepare(db,
		"SELECT id, grp, created, expires, uses, uses_left, revoked FROM fleet_tokens"
		" ORDER BY created DESC, id");
	if (!stmt)
		return NULL;
	json_t *list = json_array();
	int rc;
	while ((rc = rs_db_step(stmt)) == RS_DB_ROW) {
		char created[32], expires[32];
		rs_fleet_iso_time(rs_db_column_int64(stmt, 2), created, sizeof(created));
		rs_fleet_iso_time(rs_db_column_int64(stmt, 3), expires, sizeof(expires));
		const char *group = rs_db_column_text(stmt, 1);
		json_t *o = json_object();
		json_object_set_new(o, "type", json_string("token"));
		json_object_set_new(o, "id", json_string(rs_db_column_text(stmt, 0)));
		json_object_set_new(o, "group", group ? json_string(group) : json_null());
		json_object_set_new(o, "created", json_string(created));
		json_object_set_new(o, "expires", json_string(expires));
		json_object_set_new(o, "uses", json_integer(rs_db_column_int64(stmt, 4)));
		json_object_set_new(o, "uses_left", json_integer(rs_db_column_int64(stmt, 5)));
		json_object_set_new(o, "state", json_string(token_state(stmt, now)));
		json_array_append_new(list, o);
	}
	rs_db_finalize(stmt);
	if (rc != RS_DB_DONE) {
		db_failed(db, _("list the enrolment tokens"));
		json_decref(list);
		return NULL;
	}
	return list;
}

int rs_fleet_token_revoke(rs_db *db, const char *id)
{
	return update_by_id(db, "UPDATE fleet_tokens SET revoked = 1 WHERE id = ?", id,
			    "revoke the enrolment token");
}

int rs_fleet_apikey_create(rs_db *db, long long now, const char *role, char *out, size_t size)
{
	char id[RS_FLEET_TOKEN_ID_HEX + 1], secret[RS_FLEET_SECRET_HEX + 1];
	rs_fleet_random_hex(id, RS_FLEET_TOKEN_ID_HEX / 2);
	rs_fleet_random_hex(secret, RS_FLEET_SECRET_HEX / 2);
	unsigned char hash[32];
	rs_fleet_secret_hash(secret, hash);
	rs_db_stmt *stmt = rs_db_prepare(db,
		"INSERT INTO fleet_apikeys (id, hash, role, created) VALUES (?, ?, ?, ?)");
	if (!stmt)
		return -1;
	rs_db_bind_text(stmt, 1, id);
	rs_db_bind_blob(stmt, 2, hash, sizeof(hash));
	rs_db_bind_text(stmt, 3, role);
	rs_db_bind_int64(stmt, 4, now);
	if (run_done(db, stmt, "record the API key") < 0)
		return -1;
	snprintf(out, size, "rsk1.%s.%s", id, secret);
	sodium_memzero(secret, sizeof(secret));
	return 0;
}

int rs_fleet_apikey_revoke(rs_db *db, const char *id)
{
	return update_by_id(db, "UPDATE fleet_apikeys SET revoked = 1 WHERE id = ?", id, "revoke the API key");
}

json_t *rs_fleet_apikey_list(rs_db *db)
{
	rs_db_stmt *stmt = rs_db_prepare(db,
		"SELECT id, role, created, revoked FROM fleet_apikeys ORDER BY created DESC, id");
	if (!stmt)
		return NULL;
	json_t *list = json_array();
	int rc;
	while ((rc = rs_db_step(stmt)) == RS_DB_ROW) {
		char created[32];
		rs_fleet_iso_time(rs_db_column_int64(stmt, 2), created, sizeof(created));
		json_array_append_new(list, json_pack("{s:s,s:s,s:s,s:s,s:b}", "type", "apikey",
			"id", rs_db_column_text(stmt, 0),
			"role", rs_db_column_text(stmt, 1), "created", created,
			"revoked", rs_db_column_int64(stmt, 3) != 0));
	}
	rs_db_finalize(stmt);
	if (rc != RS_DB_DONE) {
		db_failed(db, _("list the API keys"));
		json_decref(list);
		return NULL;
	}
	return list;
}

/* True when the stored hash in column COL equals the hash of SECRET. */
static bool hash_matches(rs_db_stmt *stmt, int col, const char *secret)
{
	unsigned char hash[32];
	rs_fleet_secret_hash(secret, hash);
	size_t size;
	const void *stored = rs_db_column_blob(stmt, col, &size);
	return stored && size == sizeof(hash) &&
	       sodium_memcmp(stored, hash, sizeof(hash)) == 0;
}

int rs_fleet_apikey_check(rs_db *db, const char *key, char role[16])
{
	char id[RS_FLEET_TOKEN_ID_HEX + 1], secret[RS_FLEET_SECRET_HEX + 1];
	if (rs_fleet_apikey_parse(key, id, secret) < 0)
		return 1;
	rs_db_stmt *stmt = rs_db_prepare(db,
		"SELECT hash, role FROM fleet_apikeys WHERE id = ? AND revoked = 0");
	if (!stmt)
		return -1;
	rs_db_bind_text(stmt, 1, id);
	int step = rs_db_step(stmt);
	int rc = step == RS_DB_ROW ? 1 : step == RS_DB_DONE ? 1 : -1;
	if (step == RS_DB_ROW && hash_matches(stmt, 0, secret)) {
		snprintf(role, 16, "%s", rs_db_column_text(stmt, 1));
		rc = 0;
	}
	rs_db_finalize(stmt);
	sodium_memzero(secret, sizeof(secret));
	if (rc < 0)
		db_failed(db, _("check the API key"));
	return rc;
}

/* Checks the token row in STMT (hash, expires, uses_left, revoked, grp). */
static rs_fleet_enroll_status check_token(rs_db_stmt *stmt, const rs_fleet_token *token, long long now)
{
	if (!hash_matches(stmt, 0, token->secret))
		return RS_ENROLL_BAD_TOKEN;
	if (rs_db_column_int64(stmt, 3))
		return RS_ENROLL_REVOKED;
	if (rs_db_column_int64(stmt, 1) <= now)
		return RS_ENROLL_EXPIRED;
	if (rs_db_column_int64(stmt, 2) <= 0)
		return RS_ENROLL_USED_UP;
	return RS_ENROLL_OK;
}

static int insert_agent(rs_db *db, const char *agent, const unsigned char *public_key,
			const char *token, const char *group, const char *hostname,
			const json_t *facts, long long now)
{
	rs_db_stmt *stmt = rs_db_prepare(db,
		"INSERT INTO fleet_agents (id, public_key, token, grp, hostname, facts, enrolled)"
		" VALUES (?, ?, ?, ?, ?, ?, ?)");
	if (!stmt)
		return -1;
	rs_db_bind_text(stmt, 1, agent);
	rs_db_bind_blob(stmt, 2, public_key, 32);
	rs_db_bind_text(stmt, 3, token);
	rs_db_bind_text(stmt, 4, group);
	rs_db_bind_text(stmt, 5, hostname);
	rs_db_bind_json(stmt, 6, facts);
	rs_db_bind_int64(stmt, 7, now);
	return run_done(db, stmt, "record the agent");
}

static int spend_token(rs_db *db, const char *id)
{
	rs_db_stmt *stmt = rs_db_prepare(db,
		"UPDATE fleet_tokens SET uses_left = uses_left - 1 WHERE id = ? AND uses_left > 0");
	if (!stmt)
		return -1;
	rs_db_bind_text(stmt, 1, id);
	if (run_done(db, stmt, "spend the enrolment token") < 0)
		return -1;
	return rs_db_changes(db) == 1 ? 0 : -1;
}

rs_fleet_enroll_status rs_fleet_enroll(rs_db *db, const rs_fleet_token *token,
				       const unsigned char *public_key, const char *hostname,
				       const json_t *facts, long long now, char agent[RS_FLEET_ID_HEX + 1])
{
	if (rs_db_begin(db) < 0) {
		db_failed(db, _("start the enrolment"));
		return RS_ENROLL_ERROR;
	}
	rs_fleet_enroll_status status = RS_ENROLL_ERROR;
	rs_db_stmt *stmt = rs_db_prepare(db,
		"SELECT hash, expires, uses_left, revoked, grp FROM fleet_tokens WHERE id = ?");
	if (stmt) {
		rs_db_bind_text(stmt, 1, token->id);
		int step = rs_db_step(stmt);
		if (step == RS_DB_DONE)
			status = RS_ENROLL_BAD_TOKEN;
		else if (step == RS_DB_ROW)
			status = check_token(stmt, token, now);
		if (status == RS_ENROLL_OK) {
			char *group = rs_db_column_text(stmt, 4) ?
				rs_strdup(rs_db_column_text(stmt, 4)) : NULL;
			rs_fleet_random_hex(agent, RS_FLEET_ID_HEX / 2);
			if (spend_token(db, token->id) < 0 ||
			    insert_agent(db, agent, public_key, token->id, group, hostname, facts, now) < 0)
				status = RS_ENROLL_ERROR;
			free(group);
		}
		rs_db_finalize(stmt);
	}
	if (status == RS_ENROLL_OK && rs_db_commit(db) < 0) {
		db_failed(db, _("commit the enrolment"));
		status = RS_ENROLL_ERROR;
	}
	if (status != RS_ENROLL_OK)
		rs_db_rollback(db);
	return status;
}

int rs_fleet_agent_key(rs_db *db, const char *agent, unsigned char public_key[32])
{
	rs_db_stmt *stmt = rs_db_prepare_cached(db,
		"SELECT public_key FROM fleet_agents WHERE id = ? AND removed = 0");
	if (!stmt)
		return -1;
	rs_db_bind_text(stmt, 1, agent);
	int step = rs_db_step(stmt);
	int rc = step == RS_DB_DONE ? 1 : -1;
	size_t size = 0;
	const void *stored = step == RS_DB_ROW ? rs_db_column_blob(stmt, 0, &size) : NULL;
	if (stored && size == 32) {
		memcpy(public_key, stored, 32);
		rc = 0;
	} else if (step == RS_DB_ROW) {
		rc = 1;
	}
	rs_db_finalize(stmt);
	if (rc < 0)
		db_failed(db, _("look up the agent"));
	return rc;
}

int rs_fleet_agent_accept(rs_db *db, const char *agent, unsigned long long counter, long long now)
{
	rs_db_stmt *stmt = rs_db_prepare_cached(db,
		"UPDATE fleet_agents SET last_counter = ?, last_seen = ?"
		" WHERE id = ? AND removed = 0 AND last_counter < ?");
	if (!stmt)
		return -1;
	rs_db_bind_int64(stmt, 1, (long long)counter);
	rs_db_bind_int64(stmt, 2, now);
	rs_db_bind_text(stmt, 3, agent);
	rs_db_bind_int64(stmt, 4, (long long)counter);
	if (run_done(db, stmt, "record the agent's request counter") < 0)
		return -1;
	return rs_db_changes(db) == 1 ? 0 : 1;
}

int rs_fleet_agent_active(rs_db *db, const char *agent)
{
	rs_db_stmt *stmt = rs_db_prepare_cached(db, "SELECT 1 FROM fleet_agents WHERE id = ? AND removed = 0");
	if (!stmt)
		return -1;
	rs_db_bind_text(stmt, 1, agent);
	int step = rs_db_step(stmt);
	rs_db_finalize(stmt);
	if (step == RS_DB_ERROR) {
		db_failed(db, _("look up the agent"));
		return -1;
	}
	return step == RS_DB_ROW ? 0 : 1;
}

int rs_fleet_agent_remove(rs_db *db, const char *agent)
{
	return update_by_id(db, "UPDATE fleet_agents SET removed = 1 WHERE id = ? AND removed = 0",
			    agent, "remove the agent");
}

int rs_fleet_agent_set_facts(rs_db *db, const char *agent, const char *hostname, const json_t *facts)
{
	rs_db_stmt *stmt = rs_db_prepare_cached(db,
		"UPDATE fleet_agents SET hostname = ?, facts = ? WHERE id = ?");
	if (!stmt)
		return -1;
	rs_db_bind_text(stmt, 1, hostname);
	rs_db_bind_json(stmt, 2, facts);
	rs_db_bind_text(stmt, 3, agent);
	return run_done(db, stmt, "record the agent's facts");
}
