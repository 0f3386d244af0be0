/*
 * filecache.c — the clean-file cache (see filecache.h): table file_cache of
 * the store (migration v2), rows of one rule-set hash, on statcache.c.
 *
 * The table is kept bounded by pruning at every save: a row's `scanned`
 * stamp is when a hunt last found the file clean, or last confirmed it
 * unchanged (confirmations are written at most once per CONFIRM_DAYS, so an
 * unchanged rescan stays read-only most days). Rows of another rule set not
 * written for OTHER_DAYS, and rows of any rule set neither written nor
 * confirmed for KEEP_DAYS (deleted files, paths no longer hunted), are
 * deleted.
 */
#include "store/filecache.h"
#include "core/i18n.h"
#include "store/statcache.h"
#include "store/store_internal.h"
#include "core/log.h"
#include "core/util.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define CONFIRM_DAYS 30
#define OTHER_DAYS 30
#define KEEP_DAYS 90

static const rs_statcache_spec file_cache = {
	.table = "file_cache",
	.value_column = "rules_hash",
	.stamp_column = "scanned",
	.what = "the clean-file cache",
	.if_unread = "every file is scanned",
	.if_unsaved = "the next hunt rescans these files",
};

struct rs_filecache {
	rs_statcache *rows;
	char *rules_hash;
	rs_store *store;        /* where it saves and prunes; NULL: nowhere */
	/* rows of this rule set due for confirmation (stamp older than
	 * CONFIRM_DAYS), sorted for bsearch, and which of them a hunt found
	 * unchanged */
	char **stale;
	size_t n_stale;
	unsigned char *confirmed;
	pthread_mutex_t lock;
};

static int compare_key(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void load_stale(rs_filecache *c, rs_store *store)
{
	char *sql = rs_sprintf("SELECT path FROM file_cache WHERE rules_hash = ? AND "
			       "(scanned IS NULL OR scanned < datetime('now', '-%d days'))", CONFIRM_DAYS);
	sqlite3_stmt *stmt = rs_store_prepare(store, sql);
	free(sql);
	if (!stmt)
		return;
	rs_store_bind_text(stmt, 1, c->rules_hash);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *path = (const char *)sqlite3_column_text(stmt, 0);
		if (!path)
			continue;
		if (c->n_stale == cap) {
			cap = cap ? cap * 2 : 64;
			c->stale = rs_realloc(c->stale, cap * sizeof(char *));
		}
		c->stale[c->n_stale++] = rs_strdup(path);
	}
	if (rc != SQLITE_DONE)
		rs_warn(_("%s: cannot read the clean-file cache's dates: %s; its old rows are not kept fresh "
			"this time"), store->path, sqlite3_errmsg(store->db));
	sqlite3_finalize(stmt);
	if (c->n_stale)
		qsort(c->stale, c->n_stale, sizeof(char *), compare_key);
	c->confirmed = rs_calloc(c->n_stale ? c->n_stale : 1, 1);
}

rs_filecache *rs_filecache_load(struct rs_store *store, const char *rules_hash)
{
	rs_filecache *c = rs_calloc(1, sizeof(*c));
	c->rules_hash = rs_strdup(rules_hash);
	c->rows = rs_statcache_load(store, &file_cache, rules_hash, true);
	c->store = store;
	pthread_mutex_init(&c->lock, NULL);
	if (store && rs_statcache_size(c->rows))
		load_stale(c, store);
	return c;
}

void rs_filecache_attach(rs_filecache *c, struct rs_store *store)
{
	rs_statcache_attach(c->rows, store);
	c->store = store;
}

bool rs_filecache_clean(const rs_filecache *c, const char *key, const struct stat *st)
{
	if (!c || !rs_statcache_unchanged(c->rows, key, st))
		return false;
	if (c->n_stale) {
		char **hit = bsearch(&key, c->stale, c->n_stale, sizeof(char *), compare_key);
		if (hit) {
			pthread_mutex_t *lock = (pthread_mutex_t *)&c->lock;
			pthread_mutex_lock(lock);
			c->confirmed[hit - c->stale] = 1;
			pthread_mutex_unlock(lock);
		}
	}
	return true;
}

void rs_filecache_add(rs_filecache *c, const char *key, const struct stat *st)
{
	if (c)
		rs_statcache_add(c->rows, key, st, c->rules_hash);
}

/* Refreshes the stamps of the rows found unchanged, then deletes the rows
 * that are no longer worth keeping (see the top of the file). */
static long confirm_and_prune(rs_filecache *c)
{
	rs_store *store = c->store;
	bool own_tx = sqlite3_get_autocommit(store->db) != 0;
	if (own_tx && rs_store_exec(store, "BEGIN") < 0)
		goto fail;
	sqlite3_stmt *stmt = rs_store_prepare(store,
		"UPDATE file_cache SET scanned = datetime('now') WHERE path = ? AND rules_hash = ?");
	if (!stmt)
		goto fail_tx;
	for (size_t i = 0; i < c->n_stale; i++) {
		if (!c->confirmed[i])
			continue;
		sqlite3_reset(stmt);
		rs_store_bind_text(stmt, 1, c->stale[i]);
		rs_store_bind_text(stmt, 2, c->rules_hash);
		if (sqlite3_step(stmt) != SQLITE_DONE) {
			sqlite3_finalize(stmt);
			goto fail_tx;
		}
	}
	sqlite3_finalize(stmt);
	char *sql = rs_sprintf("DELETE FROM file_cache WHERE scanned IS NULL "
			       "OR (rules_hash <> ? AND scanned < datetime('now', '-%d days')) "
			       "OR scanned < datetime('now', '-%d days')", OTHER_DAYS, KEEP_DAYS);
	stmt = rs_store_prepare(store, sql);
	free(sql);
	if (!stmt)
		goto fail_tx;
	rs_store_bind_text(stmt, 1, c->rules_hash);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		sqlite3_finalize(stmt);
		goto fail_tx;
	}
	sqlite3_finalize(stmt);
	long pruned = sqlite3_changes(store->db);
	if (own_tx && rs_store_exec(store, "COMMIT") < 0)
		goto fail_tx;
	return pruned;
fail_tx:
	if (own_tx)
		rs_store_exec(store, "ROLLBACK");
fail:
	rs_warn(_("%s: cannot prune the clean-file cache: %s; it keeps its old rows until the next hunt"),
		store->path, sqlite3_errmsg(store->db));
	return -1;
}

long rs_filecache_save(rs_filecache *c)
{
	if (!c)
		return 0;
	long written = rs_statcache_save(c->rows);
	if (c->store)
		confirm_and_prune(c);
	return written;
}

unsigned long rs_filecache_size(const rs_filecache *c)
{
	return c ? rs_statcache_size(c->rows) : 0;
}

void rs_filecache_free(rs_filecache *c)
{
	if (!c)
		return;
	rs_statcache_free(c->rows);
	for (size_t i = 0; i < c->n_stale; i++)
		free(c->stale[i]);
	free(c->stale);
	free(c->confirmed);
	pthread_mutex_destroy(&c->lock);
	free(c->rules_hash);
	free(c);
}
