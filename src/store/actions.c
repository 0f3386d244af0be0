/*
 * actions.c — recording and reading respond actions in the scan store
 * (see actions.h).
 */
#include "store/actions.h"
#include "core/i18n.h"
#include "store/store_internal.h"
#include "core/log.h"

#include <stdlib.h>

static const char *text_field(const json_t *line, const char *key)
{
	return json_string_value(json_object_get(line, key));
}

int rs_store_record_action(rs_store *store, const json_t *line)
{
	sqlite3_stmt *stmt = rs_store_prepare(store,
		"INSERT INTO actions (id, scan, finding, action, target, state, time, operator, root, line)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!stmt)
		return -1;
	rs_store_bind_text(stmt, 1, text_field(line, "id"));
	rs_store_bind_text(stmt, 2, text_field(line, "scan"));
	rs_store_bind_text(stmt, 3, text_field(line, "finding"));
	rs_store_bind_text(stmt, 4, text_field(line, "action"));
	rs_store_bind_json(stmt, 5, json_object_get(line, "target"));
	rs_store_bind_text(stmt, 6, text_field(line, "state"));
	rs_store_bind_text(stmt, 7, text_field(line, "time"));
	rs_store_bind_text(stmt, 8, text_field(line, "operator"));
	rs_store_bind_text(stmt, 9, text_field(line, "root"));
	rs_store_bind_json(stmt, 10, line);
	int rc = sqlite3_step(stmt) == SQLITE_DONE ? 0 : -1;
	if (rc < 0)
		rs_error(_("%s: cannot record action %s: %s"), store->path,
			 text_field(line, "id") ? text_field(line, "id") : "?", sqlite3_errmsg(store->db));
	sqlite3_finalize(stmt);
	return rc;
}

int rs_store_action_recorded(rs_store *store, const char *id, const char *state, const char *time)
{
	sqlite3_stmt *stmt = rs_store_prepare(store,
		"SELECT 1 FROM actions WHERE id = ? AND state = ? AND time IS ? LIMIT 1");
	if (!stmt)
		return -1;
	rs_store_bind_text(stmt, 1, id);
	rs_store_bind_text(stmt, 2, state);
	rs_store_bind_text(stmt, 3, time);
	int rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		rs_error(_("%s: cannot read the recorded actions: %s"), store->path, sqlite3_errmsg(store->db));
	sqlite3_finalize(stmt);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

json_t *rs_store_load_actions(rs_store *store, const char *scan)
{
	sqlite3_stmt *stmt = rs_store_prepare(store,
		"SELECT line FROM actions WHERE ?1 IS NULL OR scan = ?1 ORDER BY seq");
	if (!stmt)
		return NULL;
	rs_store_bind_text(stmt, 1, scan);
	json_t *list = json_array();
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *text = (const char *)sqlite3_column_text(stmt, 0);
		json_t *line = text ? json_loads(text, 0, NULL) : NULL;
		if (line)
			json_array_append_new(list, line);
	}
	if (rc != SQLITE_DONE) {
		rs_error(_("%s: cannot read the recorded actions: %s"), store->path, sqlite3_errmsg(store->db));
		json_decref(list);
		list = NULL;
	}
	sqlite3_finalize(stmt);
	return list;
}
