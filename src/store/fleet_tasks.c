/*
 * fleet_tasks.c — the task queue beyond "scan now" (fleet_tasks.h): group
 * expansion, approval of respond tasks, the agents' state reports, the
 * task list the dashboard and the API show, and the content signing key.
 */
#include "store/fleet_tasks.h"
#include "store/fleet.h"
#include "core/log.h"
#include "fleet/proto.h"
#include "fleet/task.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads the content key into PK and SK: 0 found, 1 absent, -1 error. */
static int read_key(rs_db *db, unsigned char *pk, unsigned char *sk)
{
	rs_db_stmt *stmt = rs_db_prepare(db, "SELECT public, secret FROM fleet_keys WHERE name = 'content'");
	if (!stmt)
		return -1;
	int rc = rs_db_step(stmt);
	int out = rc == RS_DB_DONE ? 1 : -1;
	if (rc == RS_DB_ROW) {
		size_t np = 0, ns = 0;
		const void *p = rs_db_column_blob(stmt, 0, &np);
		const void *s = rs_db_column_blob(stmt, 1, &ns);
		if (p && s && np == crypto_sign_PUBLICKEYBYTES && ns == crypto_sign_SECRETKEYBYTES) {
			memcpy(pk, p, np);
			memcpy(sk, s, ns);
			out = 0;
		}
	}
	rs_db_finalize(stmt);
	return out;
}

int rs_fleet_content_key(rs_db *db, long long now, unsigned char pk[crypto_sign_PUBLICKEYBYTES],
			 unsigned char sk[crypto_sign_SECRETKEYBYTES])
{
	int rc = read_key(db, pk, sk);
	if (rc <= 0)
		return rc;
	unsigned char npk[crypto_sign_PUBLICKEYBYTES], nsk[crypto_sign_SECRETKEYBYTES];
	crypto_sign_keypair(npk, nsk);
	rs_db_stmt *stmt = rs_db_prepare(db, "INSERT INTO fleet_keys (name, secret, public, created)"
					     " VALUES ('content', ?, ?, ?) ON CONFLICT (name) DO NOTHING");
	if (!stmt)
		return -1;
	rs_db_bind_blob(stmt, 1, nsk, sizeof(nsk));
	rs_db_bind_blob(stmt, 2, npk, sizeof(npk));
	rs_db_bind_int64(stmt, 3, now);
	sodium_memzero(nsk, sizeof(nsk));
	if (rs_db_step_done(db, stmt, "store the content signing key") < 0)
		return -1;
	return read_key(db, pk, sk) == 0 ? 0 : -1;
}

static int insert_task(rs_db *db, long long now, const char *creator, const char *agent, const char *group,
		       const char *kind, const json_t *params, const char *state, json_t *ids)
{
	char id[33];
	rs_fleet_random_hex(id, 16);
	rs_db_stmt *stmt = rs_db_prepare(db,
		"INSERT INTO fleet_tasks (id, created, creator, agent, kind, params, state, grp, updated)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!stmt)
		return -1;
	rs_db_bind_text(stmt, 1, id);
	rs_db_bind_int64(stmt, 2, now);
	rs_db_bind_text(stmt, 3, creator);
	rs_db_bind_text(stmt, 4, agent);
	rs_db_bind_text(stmt, 5, kind);
	rs_db_bind_json(stmt, 6, params);
	rs_db_bind_text(stmt, 7, state);
	rs_db_bind_text(stmt, 8, group);
	rs_db_bind_int64(stmt, 9, now);
	if (rs_db_step_done(db, stmt, "queue the task") < 0)
		return -1;
	json_array_append_new(ids, json_string(id));
	return 0;
}

int rs_fleet_task_queue(rs_db *db, long long now, const char *creator, const char *host, const char *group,
			const char *kind, const json_t *params, json_t *ids)
{
	rs_db_stmt *stmt = group && *group
		? rs_db_prepare(db, "SELECT id FROM fleet_agents WHERE grp = ? AND removed = 0 ORDER BY id")
		: rs_db_prepare(db, "SELECT id FROM fleet_agents WHERE id = ? AND removed = 0");
	if (!stmt)
		return -1;
	rs_db_bind_text(stmt, 1, group && *group ? group : host);
	json_t *agents = json_array();
	int rc;
	while ((rc = rs_db_step(stmt)) == RS_DB_ROW)
		json_array_append_new(agents, rs_db_column_jstring(stmt, 0));
	rs_db_finalize(stmt);
	if (rc != RS_DB_DONE) {
		json_decref(agents);
		return -1;
	}
	const char *state = strcmp(kind, "respond") == 0 ? "approval" : "queued";
	bool own_tx = !rs_db_in_transaction(db);
	if (own_tx && rs_db_begin(db) < 0) {
		json_decref(agents);
		return -1;
	}
	size_t i;
	json_t *a;
	int n = 0;
	json_array_foreach(agents, i, a) {
		if (insert_task(db, now, creator, json_string_value(a), group && *group ? group : NULL, kind, params,
				state, ids) < 0) {
			n = -1;
			break;
		}
		n++;
	}
	json_decref(agents);
	if (own_tx) {
		if (n < 0 || rs_db_commit(db) < 0) {
			rs_db_rollback(db);
			return -1;
		}
	}
	return n;
}

int rs_fleet_task_approve(rs_db *db, const char *id, const char *approver, long long now)
{
	rs_db_stmt *stmt = rs_db_prepare(db,
		"UPDATE fleet_tasks SET state = 'queued', approved_by = ?, approved = ?, updated = ?"
		" WHERE id = ? AND state = 'approval'");
	if (!stmt)
		return -1;
	rs_db_bind_text(stmt, 1, approver);
	rs_db_bind_int64(stmt, 2, now);
	rs_db_bind_int64(stmt, 3, now);
	rs_db_bind_text(stmt, 4, id);
	if (rs_db_step_done(db, stmt, "approve the task") < 0)
		return -1;
	return rs_db_changes(db) == 1 ? 0 : 1;
}

int rs_fleet_task_report(rs_db *db, const char *agent, const char *id, const char *state,
			 const char *message, const json_t *result, long long now)
{
	rs_db_stmt *stmt = rs_db_prepare(db, "SELECT state FROM fleet_tasks WHERE id = ? AND agent = ?");
	if (!stmt)
		return -1;
	rs_db_bind_text(stmt, 1, id);
	rs_db_bind_text(stmt, 2, agent);
	int rc = rs_db_step(stmt);
	char from[16] = "";
	if (rc == RS_DB_ROW)
		snprintf(from, sizeof(from), "%s", rs_db_column_text(stmt, 0) ? rs_db_column_text(stmt, 0) : "");
	rs_db_finalize(stmt);
	if (rc != RS_DB_ROW)
		return rc == RS_DB_DONE ? 1 : -1;
	if (!rs_task_transition_ok(from, state))
		return 2;
	stmt = rs_db_prepare(db, "UPDATE fleet_tasks SET state = ?, message = ?, result = ?, updated = ?"
				 " WHERE id = ? AND agent = ? AND state = ?");
	if (!stmt)
		return -1;
	rs_db_bind_text(stmt, 1, state);
	rs_db_bind_text(stmt, 2, message && *message ? message : NULL);
	rs_db_bind_json(stmt, 3, result);
	rs_db_bind_int64(stmt, 4, now);
	rs_db_bind_text(stmt, 5, id);
	rs_db_bind_text(stmt, 6, agent);
	rs_db_bind_text(stmt, 7, from);
	if (rs_db_step_done(db, stmt, "record the task's state") < 0)
		return -1;
	return rs_db_changes(db) == 1 ? 0 : 2;
}

/* What the list shows of a task's parameters: a respond plan is
 * summarised, a content bundle named by its files. */
static json_t *params_summary(const char *kind, const char *text)
{
	json_t *p = text ? json_loads(text, 0, NULL) : NULL;
	if (!json_is_object(p)) {
		json_decref(p);
		return json_null();
	}
	if (kind && strcmp(kind, "respond") == 0) {
		json_t *plan = json_object_get(p, "plan");
		json_t *s = json_pack("{s:O?,s:I,s:O?}", "token", json_object_get(p, "token"), "actions",
				      (json_int_t)json_array_size(json_object_get(plan, "actions")), "root",
				      json_object_get(plan, "root"));
		json_decref(p);
		return s;
	}
	if (kind && strcmp(kind, "update-content") == 0) {
		const char *bundle = json_string_value(json_object_get(p, "bundle"));
		json_t *doc = bundle ? json_loads(bundle, 0, NULL) : NULL;
		json_t *files = json_array();
		size_t i;
		json_t *f;
		json_array_foreach(json_object_get(doc, "files"), i, f)
			json_array_append(files, json_object_get(f, "path"));
		json_decref(doc);
		json_decref(p);
		return json_pack("{s:o}", "files", files);
	}
	return p;
}

json_t *rs_fleet_task_list(rs_db *db, const char *agent, const char *state, int limit)
{
	rs_db_stmt *stmt = rs_db_prepare(db,
		"SELECT t.id, t.created, t.creator, t.agent, a.hostname, t.grp, t.kind, t.params, t.state,"
		" t.delivered, t.updated, t.message, t.result, t.approved_by, t.approved, t.attempts"
		" FROM fleet_tasks t LEFT JOIN fleet_agents a ON a.id = t.agent"
		" WHERE (? IS NULL OR t.agent = ?) AND (? IS NULL OR t.state = ?)"
		" ORDER BY t.created DESC, t.id LIMIT ?");
	if (!stmt)
		return NULL;
	rs_db_bind_text(stmt, 1, agent);
	rs_db_bind_text(stmt, 2, agent);
	rs_db_bind_text(stmt, 3, state);
	rs_db_bind_text(stmt, 4, state);
	rs_db_bind_int64(stmt, 5, limit);
	json_t *list = json_array();
	int rc;
	while ((rc = rs_db_step(stmt)) == RS_DB_ROW) {
		const char *r = rs_db_column_text(stmt, 12);
		json_t *result = r ? json_loads(r, 0, NULL) : NULL;
		json_t *o = json_object();
		json_object_set_new(o, "id", rs_db_column_jstring(stmt, 0));
		json_object_set_new(o, "created", rs_fleet_column_time(stmt, 1));
		json_object_set_new(o, "creator", rs_db_column_jstring(stmt, 2));
		json_object_set_new(o, "agent", rs_db_column_jstring(stmt, 3));
		json_object_set_new(o, "hostname", rs_db_column_jstring(stmt, 4));
		json_object_set_new(o, "group", rs_db_column_jstring(stmt, 5));
		json_object_set_new(o, "kind", rs_db_column_jstring(stmt, 6));
		json_object_set_new(o, "params", params_summary(rs_db_column_text(stmt, 6), rs_db_column_text(stmt, 7)));
		json_object_set_new(o, "state", rs_db_column_jstring(stmt, 8));
		json_object_set_new(o, "delivered", rs_fleet_column_time(stmt, 9));
		json_object_set_new(o, "updated", rs_fleet_column_time(stmt, 10));
		json_object_set_new(o, "message", rs_db_column_jstring(stmt, 11));
		json_object_set_new(o, "result", result ? result : json_null());
		json_object_set_new(o, "approved_by", rs_db_column_jstring(stmt, 13));
		json_object_set_new(o, "approved", rs_fleet_column_time(stmt, 14));
		json_object_set_new(o, "attempts", json_integer(rs_db_column_int64(stmt, 15)));
		json_array_append_new(list, o);
	}
	rs_db_finalize(stmt);
	if (rc != RS_DB_DONE) {
		json_decref(list);
		return NULL;
	}
	return list;
}
