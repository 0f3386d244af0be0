/*
 * dash_users.c — the dashboard's operators, sessions, audit log and task
 * queue in the store (store/dash.h). Passwords are Argon2id hashes
 * (crypto_pwhash_str); session ids are 256-bit random values stored only
 * as their BLAKE2b hash (fleet/proto.h rs_fleet_secret_hash), so a copy of
 * the database does not hold a live session.
 */
#include "store/dash.h"
#include "core/i18n.h"
#include "store/fleet.h"
#include "store/fleet_tasks.h"
#include "store/db.h"
#include "core/log.h"
#include "core/util.h"
#include "fleet/proto.h"
#include "fleet/roles.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void db_failed(rs_db *db, const char *doing)
{
	rs_error(_("%s: cannot %s: %s"), rs_db_name(db), doing, rs_db_errmsg(db));
}

bool rs_dash_name_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	return n >= 1 && n <= 64 &&
	       strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

int rs_dash_password_hash(const char *password, char out[RS_DASH_HASH_MAX])
{
	return crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
				 crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0 ? 0 : -1;
}

bool rs_dash_password_verify(const char *hash, const char *password)
{
	return hash && password && crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

static int password_ok(const char *password, char *err, size_t errsize)
{
	size_t n = password ? strlen(password) : 0;
	if (n < RS_DASH_PASSWORD_MIN || n > RS_DASH_PASSWORD_MAX) {
		snprintf(err, errsize, _("the password must have %d to %d characters"), RS_DASH_PASSWORD_MIN,
			 RS_DASH_PASSWORD_MAX);
		return -1;
	}
	return 0;
}

int rs_dash_user_add(rs_db *db, const char *name, const char *role, const char *password,
		     long long now, char *err, size_t errsize)
{
	if (!rs_dash_name_ok(name)) {
		snprintf(err, errsize, _("%s: a user name is 1 to 64 letters, digits, '.', '_' or '-'"), name ? name : "");
		return -1;
	}
	if (rs_role_parse(role) == RS_ROLE_NONE) {
		snprintf(err, errsize, _("%s: the role is viewer, analyst or admin"), role ? role : "");
		return -1;
	}
	if (password_ok(password, err, errsize) < 0)
		return -1;
	char hash[RS_DASH_HASH_MAX];
	if (rs_dash_password_hash(password, hash) < 0) {
		snprintf(err, errsize, _("cannot hash the password (out of memory?)"));
		return -1;
	}
	rs_db_stmt *stmt = rs_db_prepare(db,
		"INSERT INTO dash_users (name, role, hash, created) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING");
	if (!stmt) {
		snprintf(err, errsize, _("%s: cannot prepare the query"), rs_db_name(db));
		return -1;
	}
	rs_db_bind_text(stmt, 1, name);
	rs_db_bind_text(stmt, 2, role);
	rs_db_bind_text(stmt, 3, hash);
	rs_db_bind_int64(stmt, 4, now);
	if (rs_db_step_done(db, stmt, "add the user") < 0) {
		snprintf(err, errsize, _("%s: cannot add the user"), rs_db_name(db));
		return -1;
	}
	if (rs_db_changes(db) != 1) {
		snprintf(err, errsize, _("user %s exists already; use `rasoat server user passwd %s`"), name, name);
		return 1;
	}
	return 0;
}

/* Runs SQL bound to NAME alone: 0 changed a row, 1 none, -1 error. */
static int by_name(rs_db *db, const char *sql, const char *name, const char *doing)
{
	rs_db_stmt *stmt = rs_db_prepare(db, sql);
	if (!stmt)
		return -1;
	rs_db_bind_text(stmt, 1, name);
	if (rs_db_step_done(db, stmt, doing) < 0)
		return -1;
	return rs_db_changes(db) > 0 ? 0 : 1;
}

int rs_dash_user_passwd(rs_db *db, const char *name, const char *password, char *err, size_t errsize)
{
	if (password_ok(password, err, errsize) < 0)
		return -1;
	char hash[RS_DASH_HASH_MAX];
	if (rs_dash_password_hash(password, hash) < 0) {
		snprintf(err, errsize, _("cannot hash the password (out of memory?)"));
		return -1;
	}
	rs_db_stmt *stmt = rs_db_prepare(db, "UPDATE dash_users SET hash = ? WHERE name = ?");
	if (!stmt)
		return -1;
	rs_db_bind_text(stmt, 1, hash);
	rs_db_bind_text(stmt, 2, name);
	if (rs_db_step_done(db, stmt, "change the password") < 0) {
		snprintf(err, errsize, _("%s: cannot change the password"), rs_db_name(db));
		return -1;
	}
	if (rs_db_changes(db) != 1) {
		snprintf(err, errsize, _("no user %s; see `rasoat server user list`"), name);
		return 1;
	}
	return by_name(db, "DELETE FROM dash_sessions WHERE username = ?", name, "end the sessions") < 0 ? -1 : 0;
}

int rs_dash_user_remove(rs_db *db, const char *name)
{
	if (by_name(db, "DELETE FROM dash_sessions WHERE username = ?", name, "end the sessions") < 0)
		return -1;
	return by_name(db, "DELETE FROM dash_users WHERE name = ?", name, "remove the user");
}

json_t *rs_dash_user_list(rs_db *db)
{
	rs_db_stmt *stmt = rs_db_prepare(db, "SELECT name, role, created FROM dash_users ORDER BY name");
	if (!stmt)
		return NULL;
	json_t *list = json_array();
	int rc;
	while ((rc = rs_db_step(stmt)) == RS_DB_ROW)
		json_array_append_new(list, json_pack("{s:s,s:o,s:o,s:o}", "type", "user", "name", rs_db_column_jstring(stmt, 0),
						      "role", rs_db_column_jstring(stmt, 1), "created", rs_fleet_column_time(stmt, 2)));
	rs_db_finalize(stmt);
	if (rc != RS_DB_DONE) {
		db_failed(db, _("list the users"));
		json_decref(list);
		return NULL;
	}
	return list;
}

int rs_dash_user_count(rs_db *db, const char *role)
{
	rs_db_stmt *stmt = rs_db_prepare(db, "SELECT COUNT(*) FROM dash_users WHERE role = ?");
	if (!stmt)
		return -1;
	rs_db_bind_text(stmt, 1, role);
	int n = rs_db_step(stmt) == RS_DB_ROW ? (int)rs_db_column_int64(stmt, 0) : -1;
	rs_db_finalize(stmt);
	return n;
}

/* A hash to verify against when the user is unknown, so that the answer
 * takes as long as for a wrong password. */
static char dummy_hash[RS_DASH_HASH_MAX];
static void make_dummy(void)
{
	char pw[33];
	rs_fleet_random_hex(pw, 16);
	if (rs_dash_password_hash(pw, dummy_hash) < 0)
		dummy_hash[0] = '\0';
}

int rs_dash_user_check(rs_db *db, const char *name, const char *password, char role[16])
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, make_dummy);
	rs_db_stmt *stmt = rs_db_prepare(db, "SELECT hash, role FROM dash_users WHERE name = ?");
	if (!stmt)
		return -1;
	rs_db_bind_text(stmt, 1, name);
	int rc = rs_db_step(stmt);
	if (rc != RS_DB_ROW && rc != RS_DB_DONE) {
		rs_db_finalize(stmt);
		db_failed(db, _("check the password"));
		return -1;
	}
	char hash[RS_DASH_HASH_MAX] = "";
	role[0] = '\0';
	if (rc == RS_DB_ROW) {
		snprintf(hash, sizeof(hash), "%s", rs_db_column_text(stmt, 0));
		snprintf(role, 16, "%s", rs_db_column_text(stmt, 1));
	}
	rs_db_finalize(stmt);
	bool ok = rs_dash_password_verify(rc == RS_DB_ROW ? hash : dummy_hash, password ? password : "");
	return rc == RS_DB_ROW && ok && rs_role_parse(role) != RS_ROLE_NONE ? 0 : 1;
}

int rs_dash_session_create(rs_db *db, const char *user, const char *addr, long long now, long long ttl,
			   char sid[RS_DASH_SID_HEX + 1], char csrf[RS_DASH_SID_HEX + 1])
{
	rs_fleet_random_hex(sid, RS_DASH_SID_HEX / 2);
	rs_fleet_random_hex(csrf, RS_DASH_SID_HEX / 2);
	unsigned char hash[32];
	rs_fleet_secret_hash(sid, hash);
	rs_db_stmt *stmt = rs_db_prepare(db,
		"INSERT INTO dash_sessions (id_hash, username, csrf, created, expires, addr) VALUES (?, ?, ?, ?, ?, ?)");
	if (!stmt)
		return -1;
	rs_db_bind_blob(stmt, 1, hash, sizeof(hash));
	rs_db_bind_text(stmt, 2, user);
	rs_db_bind_text(stmt, 3, csrf);
	rs_db_bind_int64(stmt, 4, now);
	rs_db_bind_int64(stmt, 5, now + ttl);
	rs_db_bind_text(stmt, 6, addr);
	return rs_db_step_done(db, stmt, "record the session");
}

int rs_dash_session_get(rs_db *db, const char *sid, long long now, rs_dash_session *out)
{
	memset(out, 0, sizeof(*out));
	if (!sid || !rs_fleet_is_hex(sid, RS_DASH_SID_HEX))
		return 1;
	unsigned char hash[32];
	rs_fleet_secret_hash(sid, hash);
	rs_db_stmt *stmt = rs_db_prepare(db,
		"SELECT s.username, u.role, s.csrf, s.expires FROM dash_sessions s"
		" JOIN dash_users u ON u.name = s.username WHERE s.id_hash = ? AND s.expires > ?");
	if (!stmt)
		return -1;
	rs_db_bind_blob(stmt, 1, hash, sizeof(hash));
	rs_db_bind_int64(stmt, 2, now);
	int rc = rs_db_step(stmt);
	if (rc == RS_DB_ROW) {
		snprintf(out->user, sizeof(out->user), "%s", rs_db_column_text(stmt, 0));
		snprintf(out->role, sizeof(out->role), "%s", rs_db_column_text(stmt, 1));
		snprintf(out->csrf, sizeof(out->csrf), "%s", rs_db_column_text(stmt, 2));
		out->expires = rs_db_column_int64(stmt, 3);
	}
	rs_db_finalize(stmt);
	if (rc != RS_DB_ROW && rc != RS_DB_DONE) {
		db_failed(db, _("read the session"));
		return -1;
	}
	return rc == RS_DB_ROW ? 0 : 1;
}

int rs_dash_session_end(rs_db *db, const char *sid, long long now)
{
	rs_db_stmt *stmt = rs_db_prepare(db, "DELETE FROM dash_sessions WHERE id_hash = ? OR expires <= ?");
	if (!stmt)
		return -1;
	unsigned char hash[32] = { 0 };
	if (sid && rs_fleet_is_hex(sid, RS_DASH_SID_HEX))
		rs_fleet_secret_hash(sid, hash);
	rs_db_bind_blob(stmt, 1, hash, sizeof(hash));
	rs_db_bind_int64(stmt, 2, now);
	return rs_db_step_done(db, stmt, "end the session");
}

int rs_dash_audit_add(rs_db *db, long long now, const char *user, const char *action,
		      const char *target, const char *addr)
{
	rs_db_stmt *stmt = rs_db_prepare(db,
		"INSERT INTO dash_audit (time, username, action, target, addr) VALUES (?, ?, ?, ?, ?)");
	if (!stmt)
		return -1;
	rs_db_bind_int64(stmt, 1, now);
	rs_db_bind_text(stmt, 2, user);
	rs_db_bind_text(stmt, 3, action);
	rs_db_bind_text(stmt, 4, target);
	rs_db_bind_text(stmt, 5, addr);
	return rs_db_step_done(db, stmt, "write the audit log");
}

json_t *rs_dash_audit_list(rs_db *db, int limit)
{
	rs_db_stmt *stmt = rs_db_prepare(db,
		"SELECT time, username, action, target, addr FROM dash_audit ORDER BY seq DESC LIMIT ?");
	if (!stmt)
		return NULL;
	rs_db_bind_int64(stmt, 1, limit);
	json_t *list = json_array();
	while (rs_db_step(stmt) == RS_DB_ROW)
		json_array_append_new(list, json_pack("{s:o,s:o,s:o,s:o,s:o}", "time", rs_fleet_column_time(stmt, 0),
			"user", rs_db_column_jstring(stmt, 1), "action", rs_db_column_jstring(stmt, 2), "target", rs_db_column_jstring(stmt, 3),
			"addr", rs_db_column_jstring(stmt, 4)));
	rs_db_finalize(stmt);
	return list;
}

int rs_dash_task_create(rs_db *db, long long now, const char *creator, const char *agent,
			const char *kind, const json_t *params, char id[33])
{
	json_t *ids = json_array();
	int n = rs_fleet_task_queue(db, now, creator, agent, NULL, kind, params, ids);
	if (n > 0)
		snprintf(id, 33, "%s", json_string_value(json_array_get(ids, 0)));
	json_decref(ids);
	return n < 0 ? -1 : n == 0 ? 1 : 0;
}

json_t *rs_dash_task_list(rs_db *db, const char *agent, int limit)
{
	rs_db_stmt *stmt = rs_db_prepare(db,
		"SELECT t.id, t.created, t.creator, t.agent, a.hostname, t.kind, t.params, t.state, t.delivered"
		" FROM fleet_tasks t LEFT JOIN fleet_agents a ON a.id = t.agent"
		" WHERE (? IS NULL OR t.agent = ?) ORDER BY t.created DESC, t.id LIMIT ?");
	if (!stmt)
		return NULL;
	rs_db_bind_text(stmt, 1, agent);
	rs_db_bind_text(stmt, 2, agent);
	rs_db_bind_int64(stmt, 3, limit);
	json_t *list = json_array();
	while (rs_db_step(stmt) == RS_DB_ROW) {
		const char *p = rs_db_column_text(stmt, 6);
		json_t *params = p ? json_loads(p, 0, NULL) : NULL;
		json_array_append_new(list, json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}",
			"id", rs_db_column_jstring(stmt, 0), "created", rs_fleet_column_time(stmt, 1), "creator", rs_db_column_jstring(stmt, 2),
			"agent", rs_db_column_jstring(stmt, 3), "hostname", rs_db_column_jstring(stmt, 4), "kind", rs_db_column_jstring(stmt, 5),
			"params", params ? params : json_null(), "state", rs_db_column_jstring(stmt, 7),
			"delivered", rs_fleet_column_time(stmt, 8)));
	}
	rs_db_finalize(stmt);
	return list;
}

json_t *rs_dash_task_take(rs_db *db, const char *agent, long long now)
{
	rs_db_stmt *stmt = rs_db_prepare(db,
		"SELECT id, kind, params, approved_by FROM fleet_tasks WHERE agent = ? AND state = 'queued'"
		" ORDER BY created LIMIT 16");
	if (!stmt)
		return NULL;
	rs_db_bind_text(stmt, 1, agent);
	json_t *tasks = json_array();
	size_t bytes = 0;
	while (rs_db_step(stmt) == RS_DB_ROW) {
		const char *p = rs_db_column_text(stmt, 2);
		/* the agent reads at most 1 MiB of reply: leave big tasks (content
		 * bundles, plans) for the next check-in once half of it is used */
		size_t size = p ? strlen(p) : 0;
		if (json_array_size(tasks) > 0 && bytes + size > RS_DASH_TASKS_REPLY_MAX)
			break;
		bytes += size;
		json_t *o = p ? json_loads(p, 0, NULL) : NULL;
		if (!json_is_object(o)) {
			json_decref(o);
			o = json_object();
		}
		json_object_set_new(o, "id", rs_db_column_jstring(stmt, 0));
		json_object_set_new(o, "type", rs_db_column_jstring(stmt, 1));
		/* a respond task carries who approved it (the agent refuses one without) */
		if (rs_db_column_text(stmt, 3))
			json_object_set_new(o, "approved_by", rs_db_column_jstring(stmt, 3));
		json_array_append_new(tasks, o);
	}
	rs_db_finalize(stmt);
	size_t i;
	json_t *t;
	json_array_foreach(tasks, i, t) {
		stmt = rs_db_prepare(db, "UPDATE fleet_tasks SET state = 'sent', delivered = ?, updated = ? WHERE id = ?");
		if (!stmt)
			break;
		rs_db_bind_int64(stmt, 1, now);
		rs_db_bind_int64(stmt, 2, now);
		rs_db_bind_text(stmt, 3, json_string_value(json_object_get(t, "id")));
		rs_db_step_done(db, stmt, "mark the task sent");
	}
	return tasks;
}
