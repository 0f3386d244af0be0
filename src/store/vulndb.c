/*
 * vulndb.c — imported vulnerability feeds in the scan store (see vulndb.h).
 */
#include "store/vulndb.h"
#include "core/i18n.h"
#include "store/store_internal.h"
#include "core/log.h"

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

static char *column(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return t ? rs_strdup((const char *)t) : NULL;
}

static void push_row(sqlite3_stmt *s, rs_vec *records)
{
	rs_vuln_record *r = rs_vec_push(records);
	r->record = column(s, 0);
	r->ecosystem = column(s, 1);
	r->package = column(s, 2);
	r->cves = column(s, 3);
	r->introduced = column(s, 4);
	r->fixed = column(s, 5);
	r->last_affected = column(s, 6);
	r->status = column(s, 7);
	r->cvss = sqlite3_column_type(s, 8) == SQLITE_NULL ? -1 : sqlite3_column_double(s, 8);
	r->urgency = column(s, 9);
	r->summary = column(s, 10);
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

int rs_vulndb_load(rs_store *store, char *const *ecosystems, const rs_name_set *only, rs_vec *records)
{
	sqlite3_stmt *feeds = rs_store_prepare(store, "SELECT count(*) FROM vuln_feeds");
	if (!feeds)
		return -1;
	int n_feeds = sqlite3_step(feeds) == SQLITE_ROW ? sqlite3_column_int(feeds, 0) : 0;
	sqlite3_finalize(feeds);
	/* the ecosystem itself, or one of its qualified forms ("Debian:12:…"),
	 * each branch on the (ecosystem, package) index */
	sqlite3_stmt *s = rs_store_prepare(store, only
		? RECORD_COLUMNS " WHERE ecosystem = ?1 AND package = ?2 UNION ALL "
		  RECORD_COLUMNS " WHERE ecosystem > ?1 || ':' AND ecosystem < ?1 || ';' AND package = ?2"
		: RECORD_COLUMNS " WHERE ecosystem = ?1 OR (ecosystem > ?1 || ':' AND ecosystem < ?1 || ';')");
	if (!s)
		return -1;
	/* one read transaction for every lookup: each statement on its own
	 * would begin and end a read of the WAL (two lock calls each), and a
	 * host has hundreds of packages */
	bool own_txn = sqlite3_get_autocommit(store->db) && rs_store_exec(store, "BEGIN") == 0;
	bool ok = true;
	for (size_t i = 0; ok && ecosystems && ecosystems[i]; i++) {
		if (!only) {
			sqlite3_reset(s);
			rs_store_bind_text(s, 1, ecosystems[i]);
			ok = read_rows(store, s, records);
			continue;
		}
		for (size_t k = 0; ok && k < only->n; k++) {
			sqlite3_reset(s);
			rs_store_bind_text(s, 1, ecosystems[i]);
			rs_store_bind_text(s, 2, only->names[k]);
			ok = read_rows(store, s, records);
		}
	}
	sqlite3_finalize(s);
	if (own_txn)
		rs_store_exec(store, "COMMIT");
	return n_feeds;
}
