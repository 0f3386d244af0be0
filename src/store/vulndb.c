/*
 * vulndb.c — imported vulnerability feeds in the scan store (see vulndb.h).
 */
#include "store/vulndb.h"
#include "core/i18n.h"
#include "store/store_internal.h"
#include "core/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct import_ctx {
	sqlite3_stmt *insert;
	long long feed;
	bool failed;
	rs_vuln_record_cb also;
	void *also_ctx;
} import_ctx;

static int insert_record(const rs_vuln_record *r, void *data)
{
	import_ctx *c = data;
	sqlite3_stmt *s = c->insert;
	sqlite3_reset(s);
	sqlite3_bind_int64(s, 1, c->feed);
	rs_store_bind_text(s, 2, r->record);
	rs_store_bind_text(s, 3, r->ecosystem);
	rs_store_bind_text(s, 4, r->package);
	rs_store_bind_text(s, 5, r->cves);
	rs_store_bind_text(s, 6, r->introduced);
	rs_store_bind_text(s, 7, r->fixed);
	rs_store_bind_text(s, 8, r->last_affected);
	rs_store_bind_text(s, 9, r->status);
	if (r->cvss >= 0)
		sqlite3_bind_double(s, 10, r->cvss);
	else
		sqlite3_bind_null(s, 10);
	rs_store_bind_text(s, 11, r->urgency);
	rs_store_bind_text(s, 12, r->summary);
	if (sqlite3_step(s) != SQLITE_DONE) {
		c->failed = true;
		return 1;
	}
	return c->also ? c->also(r, c->also_ctx) : 0;
}

int rs_vulndb_import(rs_store *store, const char *path, rs_feed_stats *stats, rs_vuln_record_cb also, void *ctx)
{
	if (rs_store_exec(store, "SAVEPOINT vuln_import") < 0) {
		rs_error(_("%s: cannot start the import: %s"), store->path, sqlite3_errmsg(store->db));
		return -1;
	}
	import_ctx c = { .also = also, .also_ctx = ctx };
	int rc = -1;
	sqlite3_stmt *del = rs_store_prepare(store,
		"DELETE FROM vuln_records WHERE feed IN (SELECT id FROM vuln_feeds WHERE source = ?1);"
		);
	sqlite3_stmt *del_feed = rs_store_prepare(store, "DELETE FROM vuln_feeds WHERE source = ?1");
	sqlite3_stmt *feed = rs_store_prepare(store,
		"INSERT INTO vuln_feeds (source, kind, imported, records) VALUES (?1, ?2, datetime('now'), 0)");
	c.insert = rs_store_prepare(store,
		"INSERT INTO vuln_records (feed, record, ecosystem, package, cve, introduced, fixed, last_affected,"
		" status, cvss, urgency, summary) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
	sqlite3_stmt *count = rs_store_prepare(store, "UPDATE vuln_feeds SET records = ?1 WHERE id = ?2");
	if (!del || !del_feed || !feed || !c.insert || !count)
		goto out;
	const char *kind = rs_feed_kind(path);
	rs_store_bind_text(del, 1, path);
	rs_store_bind_text(del_feed, 1, path);
	rs_store_bind_text(feed, 1, path);
	rs_store_bind_text(feed, 2, kind ? kind : "unknown");
	if (sqlite3_step(del) != SQLITE_DONE || sqlite3_step(del_feed) != SQLITE_DONE ||
	    sqlite3_step(feed) != SQLITE_DONE) {
		rs_error(_("%s: cannot record the feed: %s"), store->path, sqlite3_errmsg(store->db));
		goto out;
	}
	c.feed = sqlite3_last_insert_rowid(store->db);
	unsigned long before = stats->records;
	if (rs_feed_read(path, insert_record, &c, stats) < 0)
		goto out;
	if (c.failed) {
		rs_error(_("%s: cannot store the records of %s: %s; check the disk space and permissions"),
			 store->path, path, sqlite3_errmsg(store->db));
		goto out;
	}
	sqlite3_bind_int64(count, 1, (long long)(stats->records - before));
	sqlite3_bind_int64(count, 2, c.feed);
	if (sqlite3_step(count) != SQLITE_DONE)
		goto out;
	rc = 0;
out:
	sqlite3_finalize(del);
	sqlite3_finalize(del_feed);
	sqlite3_finalize(feed);
	sqlite3_finalize(c.insert);
	sqlite3_finalize(count);
	if (rc < 0)
		rs_store_exec(store, "ROLLBACK TO vuln_import");
	rs_store_exec(store, "RELEASE vuln_import");
	return rc;
}

static const char *column(sqlite3_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(s, i);
}

/* The row's texts are SQLite's until the next step: copied as one block. */
static void push_row(sqlite3_stmt *s, rs_vec *records)
{
	rs_vuln_record view = {
		.record = (char *)column(s, 0),
		.ecosystem = (char *)column(s, 1),
		.package = (char *)column(s, 2),
		.cves = (char *)column(s, 3),
		.introduced = (char *)column(s, 4),
		.fixed = (char *)column(s, 5),
		.last_affected = (char *)column(s, 6),
		.status = (char *)column(s, 7),
		.cvss = sqlite3_column_type(s, 8) == SQLITE_NULL ? -1 : sqlite3_column_double(s, 8),
		.urgency = (char *)column(s, 9),
		.summary = (char *)column(s, 10),
	};
	rs_vuln_record_copy(rs_vec_push(records), &view);
}

/* Steps S to its end, appending its rows; false on an error (warned). */
static bool read_rows(rs_store *store, sqlite3_stmt *s, rs_vec *records)
{
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		push_row(s, records);
	if (rc != SQLITE_DONE) {
		rs_warn(_("%s: cannot read the imported feeds: %s"), store->path, sqlite3_errmsg(store->db));
		return false;
	}
	return true;
}

/* the summary is left out (NULL): no finding shows it, and it is the
 * longest text of most records */
#define RECORD_COLUMNS \
	"SELECT record, ecosystem, package, cve, introduced, fixed, last_affected, status, cvss, urgency, NULL" \
	" FROM vuln_records"

/* the ecosystem itself, or one of its qualified forms ("Debian:12:…"),
 * each on the (ecosystem, package) index */
static const char *const eco_where[2] = {
	" WHERE ecosystem = ?1",
	" WHERE ecosystem > ?1 || ':' AND ecosystem < ?1 || ';'",
};

/* 1 when some record is of ECO by WHERE, 0 when none, -1 on an error (told). */
static int any_record(rs_store *store, const char *where, const char *eco)
{
	char sql[160];
	snprintf(sql, sizeof(sql), "SELECT 1 FROM vuln_records%s LIMIT 1", where);
	sqlite3_stmt *s = rs_store_prepare(store, sql);
	if (!s)
		return -1;
	rs_store_bind_text(s, 1, eco);
	int rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		rs_warn(_("%s: cannot read the imported feeds: %s"), store->path, sqlite3_errmsg(store->db));
		return -1;
	}
	return rc == SQLITE_ROW;
}

/* Appends, for each name of ONLY, its records of ECO itself and then those
 * of ECO's qualified forms; a form no record has is not looked up name by
 * name (most stores hold one form of a release: the tracker's codenames,
 * or OSV's numbers). -1 when a statement cannot be made or a probe fails,
 * 0 when a read failed (warned), else 1. */
static int load_names(rs_store *store, const char *eco, const rs_name_set *only, rs_vec *records)
{
	sqlite3_stmt *s[2] = { NULL, NULL };
	int ok = 1;
	for (int b = 0; ok > 0 && b < 2; b++) {
		int has = any_record(store, eco_where[b], eco);
		if (has < 0) {
			ok = -1;
		} else if (has) {
			char sql[512];
			snprintf(sql, sizeof(sql), "%s%s AND package = ?2", RECORD_COLUMNS, eco_where[b]);
			if (!(s[b] = rs_store_prepare(store, sql)))
				ok = -1;
		}
	}
	for (size_t k = 0; ok > 0 && k < only->n; k++) {
		for (int b = 0; ok > 0 && b < 2; b++) {
			if (!s[b])
				continue;
			sqlite3_reset(s[b]);
			rs_store_bind_text(s[b], 1, eco);
			rs_store_bind_text(s[b], 2, only->names[k]);
			ok = read_rows(store, s[b], records);
		}
	}
	sqlite3_finalize(s[0]);
	sqlite3_finalize(s[1]);
	return ok;
}

int rs_vulndb_load(rs_store *store, char *const *ecosystems, const rs_name_set *only, rs_vec *records)
{
	sqlite3_stmt *feeds = rs_store_prepare(store, "SELECT count(*) FROM vuln_feeds");
	if (!feeds)
		return -1;
	int n_feeds = sqlite3_step(feeds) == SQLITE_ROW ? sqlite3_column_int(feeds, 0) : 0;
	sqlite3_finalize(feeds);
	sqlite3_stmt *all = NULL;
	if (!only && !(all = rs_store_prepare(store, RECORD_COLUMNS " WHERE ecosystem = ?1 OR (ecosystem > ?1 || ':' AND ecosystem < ?1 || ';')")))
		return -1;
	/* one read transaction for every lookup: each statement on its own
	 * would begin and end a read of the WAL (two lock calls each), and a
	 * host has hundreds of packages */
	bool own_txn = sqlite3_get_autocommit(store->db) && rs_store_exec(store, "BEGIN") == 0;
	int ok = 1;
	for (size_t i = 0; ok > 0 && ecosystems && ecosystems[i]; i++) {
		if (!only) {
			sqlite3_reset(all);
			rs_store_bind_text(all, 1, ecosystems[i]);
			ok = read_rows(store, all, records);
			continue;
		}
		ok = load_names(store, ecosystems[i], only, records);
	}
	sqlite3_finalize(all);
	if (own_txn)
		rs_store_exec(store, "COMMIT");
	return ok < 0 ? -1 : n_feeds;
}
