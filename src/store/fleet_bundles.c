/*
 * fleet_bundles.c — the evidence bundles of collect tasks on the server
 * (fleet_bundles.h): stored once per task (a resend with the same hash is
 * acknowledged, another hash refused), listed, and read back with their
 * SHA-256 checked again, so a bundle altered in the database is never
 * handed out as the one the agent sent.
 */
#include "store/fleet_bundles.h"
#include "core/digest.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The kind of AGENT's task TASK into KIND: 0, 1 none, -1 error. */
static int task_kind(rs_db *db, const char *agent, const char *task, char kind[16])
{
	rs_db_stmt *stmt = rs_db_prepare(db, "SELECT kind FROM fleet_tasks WHERE id = ? AND agent = ?");
	if (!stmt)
		return -1;
	rs_db_bind_text(stmt, 1, task);
	rs_db_bind_text(stmt, 2, agent);
	int rc = rs_db_step(stmt);
	if (rc == RS_DB_ROW)
		snprintf(kind, 16, "%s", rs_db_column_text(stmt, 0) ? rs_db_column_text(stmt, 0) : "");
	rs_db_finalize(stmt);
	return rc == RS_DB_ROW ? 0 : rc == RS_DB_DONE ? 1 : -1;
}

int rs_fleet_bundle_put(rs_db *db, const char *agent, const char *task, const void *data, size_t len,
			const char *sha256, long long now)
{
	char kind[16] = "";
	int rc = task_kind(db, agent, task, kind);
	if (rc != 0)
		return rc < 0 ? -1 : 2;
	if (strcmp(kind, "collect") != 0)
		return 2;
	rs_db_stmt *stmt = rs_db_prepare(db, "INSERT INTO fleet_bundles (task, agent, received, size, sha256, data)"
					     " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (task) DO NOTHING");
	if (!stmt)
		return -1;
	rs_db_bind_text(stmt, 1, task);
	rs_db_bind_text(stmt, 2, agent);
	rs_db_bind_int64(stmt, 3, now);
	rs_db_bind_int64(stmt, 4, (long long)len);
	rs_db_bind_text(stmt, 5, sha256);
	rs_db_bind_blob(stmt, 6, data, len);
	if (rs_db_step_done(db, stmt, "store the evidence bundle") < 0)
		return -1;
	if (rs_db_changes(db) == 1)
		return 0;
	stmt = rs_db_prepare(db, "SELECT sha256 FROM fleet_bundles WHERE task = ?");
	if (!stmt)
		return -1;
	rs_db_bind_text(stmt, 1, task);
	rc = rs_db_step(stmt);
	int same = rc == RS_DB_ROW && rs_db_column_text(stmt, 0) && strcmp(rs_db_column_text(stmt, 0), sha256) == 0;
	rs_db_finalize(stmt);
	if (rc != RS_DB_ROW)
		return -1;
	return same ? 1 : 3;
}

long long rs_fleet_bundle_prune(rs_db *db, long long before)
{
	rs_db_stmt *stmt = rs_db_prepare(db, "DELETE FROM fleet_bundles WHERE received < ?");
	if (!stmt)
		return -1;
	rs_db_bind_int64(stmt, 1, before);
	if (rs_db_step_done(db, stmt, "remove the expired evidence bundles") < 0)
		return -1;
	return rs_db_changes(db);
}

json_t *rs_fleet_bundle_list(rs_db *db, const char *agent, int limit)
{
	rs_db_stmt *stmt = rs_db_prepare(db,
		"SELECT b.task, b.agent, a.hostname, b.received, b.size, b.sha256 FROM fleet_bundles b"
		" LEFT JOIN fleet_agents a ON a.id = b.agent"
		" WHERE (?1 IS NULL OR b.agent = ?1) ORDER BY b.received DESC, b.task LIMIT ?2");
	if (!stmt)
		return NULL;
	rs_db_bind_text(stmt, 1, agent);
	rs_db_bind_int64(stmt, 2, limit);
	json_t *list = json_array();
	int rc;
	while ((rc = rs_db_step(stmt)) == RS_DB_ROW)
		json_array_append_new(list, json_pack("{s:o,s:o,s:o,s:I,s:I,s:o}",
			"task", rs_db_column_jstring(stmt, 0), "agent", rs_db_column_jstring(stmt, 1),
			"hostname", rs_db_column_jstring(stmt, 2), "received", (json_int_t)rs_db_column_int64(stmt, 3),
			"size", (json_int_t)rs_db_column_int64(stmt, 4), "sha256", rs_db_column_jstring(stmt, 5)));
	rs_db_finalize(stmt);
	if (rc != RS_DB_DONE) {
		json_decref(list);
		return NULL;
	}
	return list;
}

int rs_fleet_bundle_get(rs_db *db, const char *task, unsigned char **data, size_t *len, char agent[33])
{
	*data = NULL;
	*len = 0;
	rs_db_stmt *stmt = rs_db_prepare(db, "SELECT agent, sha256, data FROM fleet_bundles WHERE task = ?");
	if (!stmt)
		return -1;
	rs_db_bind_text(stmt, 1, task);
	int rc = rs_db_step(stmt);
	int result = rc == RS_DB_DONE ? 1 : -1;
	if (rc == RS_DB_ROW) {
		size_t n = 0;
		const void *blob = rs_db_column_blob(stmt, 2, &n);
		const char *want = rs_db_column_text(stmt, 1);
		char hex[65];
		rs_sha256_hex(blob ? blob : "", n, hex);
		snprintf(agent, 33, "%s", rs_db_column_text(stmt, 0) ? rs_db_column_text(stmt, 0) : "");
		if (!want || strcmp(want, hex) != 0) {
			result = 2;
		} else {
			*data = rs_malloc(n ? n : 1);
			if (n)
				memcpy(*data, blob, n);
			*len = n;
			result = 0;
		}
	}
	rs_db_finalize(stmt);
	return result;
}
