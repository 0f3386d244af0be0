/*
 * accounts_seen.c — the table of accounts each scanned root had (see
 * accounts_seen.h): read whole at the start of an audit, added to for each
 * account not yet listed.
 */
#include "store/accounts_seen.h"
#include "core/i18n.h"
#include "store/store_internal.h"

#include <stdio.h>
#include <stdlib.h>

long rs_accounts_seen_load(rs_store *store, const char *root, rs_vec *names, char *err, size_t errsize)
{
	sqlite3_stmt *stmt = rs_store_prepare(store, "SELECT name FROM accounts_seen WHERE root = ?");
	if (!stmt) {
		snprintf(err, errsize, _("%s: cannot read the accounts of earlier scans; run `rasoat history` to check the store"),
			 store->path);
		return -1;
	}
	rs_store_bind_text(stmt, 1, root);
	long n = 0;
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(stmt, 0);
		if (!name)
			continue;
		*(char **)rs_vec_push(names) = rs_strdup(name);
		n++;
	}
	if (rc != SQLITE_DONE) {
		snprintf(err, errsize, _("%s: cannot read the accounts of earlier scans: %s"), store->path,
			 sqlite3_errmsg(store->db));
		n = -1;
	}
	sqlite3_finalize(stmt);
	return n;
}

int rs_accounts_seen_add(rs_store *store, const char *root, const char *name, uid_t uid, const char *when,
			 char *err, size_t errsize)
{
	sqlite3_stmt *stmt = rs_store_prepare(store, "INSERT INTO accounts_seen (root, name, uid, first_seen)"
						     " VALUES (?, ?, ?, ?) ON CONFLICT (root, name) DO NOTHING");
	if (!stmt) {
		snprintf(err, errsize, _("%s: cannot record the accounts of this scan"), store->path);
		return -1;
	}
	rs_store_bind_text(stmt, 1, root);
	rs_store_bind_text(stmt, 2, name);
	sqlite3_bind_int64(stmt, 3, (sqlite3_int64)uid);
	rs_store_bind_text(stmt, 4, when);
	int rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		snprintf(err, errsize, _("%s: cannot record account %s: %s"), store->path, name, sqlite3_errmsg(store->db));
		return -1;
	}
	return 0;
}
