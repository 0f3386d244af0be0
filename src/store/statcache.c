/*
 * statcache.c — the store's file caches: a path-keyed open-addressing hash
 * table over a table of stat keys and one value (see statcache.h).
 */
#include "store/statcache.h"
#include "core/i18n.h"
#include "store/store_internal.h"
#include "core/log.h"
#include "core/util.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct row {
	char *key;
	char *value;
	long long dev, ino, size, mtime_ns, ctime_ns;
	bool seen;        /* marked by rs_statcache_mark_seen during this run */
} row;

struct rs_statcache {
	rs_store *store;
	const rs_statcache_spec *spec;
	row *slots;
	size_t cap;       /* a power of two, or 0 when empty */
	size_t len;
	pthread_mutex_t lock;
	rs_vec added;     /* row */
};

static uint64_t hash_path(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static void free_row(row *r)
{
	free(r->key);
	free(r->value);
}

static void insert(rs_statcache *c, row r);

static void grow(rs_statcache *c)
{
	row *old = c->slots;
	size_t old_cap = c->cap;
	c->cap = old_cap ? old_cap * 2 : 1024;
	c->slots = rs_calloc(c->cap, sizeof(row));
	c->len = 0;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].key)
			insert(c, old[i]);
	free(old);
}

static void insert(rs_statcache *c, row r)
{
	if ((c->len + 1) * 2 > c->cap)
		grow(c);
	size_t i = (size_t)hash_path(r.key) & (c->cap - 1);
	while (c->slots[i].key) {
		if (!strcmp(c->slots[i].key, r.key)) {
			free_row(&c->slots[i]);
			c->slots[i] = r;
			return;
		}
		i = (i + 1) & (c->cap - 1);
	}
	c->slots[i] = r;
	c->len++;
}

/* Sizes an empty table for N rows, so that loading them never rehashes. */
static void reserve(rs_statcache *c, long long n)
{
	if (c->cap || n <= 0 || n > (1ll << 28))
		return;
	size_t cap = 1024;
	while (cap < (size_t)n * 2 + 2)
		cap *= 2;
	c->cap = cap;
	c->slots = rs_calloc(cap, sizeof(row));
}

static long long timespec_ns(const struct timespec *t)
{
	return (long long)t->tv_sec * 1000000000ll + t->tv_nsec;
}

rs_statcache *rs_statcache_load(rs_store *store, const rs_statcache_spec *spec, const char *only_value,
				bool load)
{
	rs_statcache *c = rs_calloc(1, sizeof(*c));
	c->store = store;
	c->spec = spec;
	pthread_mutex_init(&c->lock, NULL);
	rs_vec_init(&c->added, sizeof(row));
	if (!store || !load)
		return c;
	char *sql = rs_sprintf("SELECT path, dev, ino, size, mtime_ns, ctime_ns, %s FROM %s%s%s",
			       spec->value_column, spec->table, only_value ? " WHERE " : "",
			       only_value ? spec->value_column : "");
	if (only_value) {
		char *with_filter = rs_sprintf("%s = ?", sql);
		free(sql);
		sql = with_filter;
	}
	sqlite3_stmt *stmt = rs_store_prepare(store, sql);
	free(sql);
	if (!stmt)
		return c;
	char *count_sql = rs_sprintf("SELECT count(*) FROM %s", spec->table);
	sqlite3_stmt *count = rs_store_prepare(store, count_sql);
	free(count_sql);
	if (count && sqlite3_step(count) == SQLITE_ROW)
		reserve(c, sqlite3_column_int64(count, 0));
	sqlite3_finalize(count);
	if (only_value)
		rs_store_bind_text(stmt, 1, only_value);
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *path = (const char *)sqlite3_column_text(stmt, 0);
		const char *value = (const char *)sqlite3_column_text(stmt, 6);
		if (!path || !value)
			continue;
		row r = {
			.key = rs_strdup(path),
			.value = rs_strdup(value),
			.dev = sqlite3_column_int64(stmt, 1),
			.ino = sqlite3_column_int64(stmt, 2),
			.size = sqlite3_column_int64(stmt, 3),
			.mtime_ns = sqlite3_column_int64(stmt, 4),
			.ctime_ns = sqlite3_column_int64(stmt, 5),
		};
		insert(c, r);
	}
	if (rc != SQLITE_DONE)
		rs_warn(_("%s: cannot read %s: %s; %s"), store->path, spec->what, sqlite3_errmsg(store->db),
			spec->if_unread);
	sqlite3_finalize(stmt);
	return c;
}

void rs_statcache_attach(rs_statcache *c, rs_store *store)
{
	c->store = store;
}

bool rs_statcache_saving(const rs_statcache *c)
{
	return c && c->store;
}

/* The loaded row for KEY, or NULL. */
static row *find(const rs_statcache *c, const char *key)
{
	if (!c || !c->len)
		return NULL;
	size_t i = (size_t)hash_path(key) & (c->cap - 1);
	while (c->slots[i].key) {
		if (!strcmp(c->slots[i].key, key))
			return &c->slots[i];
		i = (i + 1) & (c->cap - 1);
	}
	return NULL;
}

void rs_statcache_mark_seen(rs_statcache *c, const char *key)
{
	row *r = find(c, key);
	if (r)
		r->seen = true;
}

long rs_statcache_prune(rs_statcache *c, bool (*stale)(const char *key, void *ctx), void *ctx)
{
	if (!c || !c->store || !c->len)
		return 0;
	rs_store *store = c->store;
	const rs_statcache_spec *spec = c->spec;
	bool own_tx = sqlite3_get_autocommit(store->db) != 0;
	sqlite3_stmt *stmt = NULL;
	long deleted = 0;
	for (size_t i = 0; i < c->cap; i++) {
		row *r = &c->slots[i];
		if (!r->key || r->seen || !stale(r->key, ctx))
			continue;
		if (!stmt) {
			if (own_tx && rs_store_exec(store, "BEGIN") < 0)
				goto fail;
			char *sql = rs_sprintf("DELETE FROM %s WHERE path = ?", spec->table);
			stmt = rs_store_prepare(store, sql);
			free(sql);
			if (!stmt)
				goto fail_tx;
		}
		sqlite3_reset(stmt);
		rs_store_bind_text(stmt, 1, r->key);
		if (sqlite3_step(stmt) != SQLITE_DONE)
			goto fail_tx;
		deleted++;
	}
	if (!stmt)
		return 0;
	sqlite3_finalize(stmt);
	stmt = NULL;
	if (own_tx && rs_store_exec(store, "COMMIT") < 0)
		goto fail_tx;
	return deleted;
fail_tx:
	sqlite3_finalize(stmt);
	if (own_tx)
		rs_store_exec(store, "ROLLBACK");
fail:
	rs_warn(_("%s: cannot prune %s: %s; its stale rows stay until the next scan"), store->path, spec->what,
		sqlite3_errmsg(store->db));
	return -1;
}

const char *rs_statcache_unchanged(const rs_statcache *c, const char *key, const struct stat *st)
{
	if (!c || !c->len)
		return NULL;
	size_t i = (size_t)hash_path(key) & (c->cap - 1);
	while (c->slots[i].key) {
		const row *r = &c->slots[i];
		if (!strcmp(r->key, key)) {
			bool same = r->dev == (long long)st->st_dev && r->ino == (long long)st->st_ino &&
				    r->size == (long long)st->st_size && r->mtime_ns == timespec_ns(&st->st_mtim) &&
				    r->ctime_ns == timespec_ns(&st->st_ctim);
			return same ? r->value : NULL;
		}
		i = (i + 1) & (c->cap - 1);
	}
	return NULL;
}

void rs_statcache_add(rs_statcache *c, const char *key, const struct stat *st, const char *value)
{
	if (!c || !c->store)
		return;
	row r = {
		.key = rs_strdup(key),
		.value = rs_strdup(value),
		.dev = (long long)st->st_dev,
		.ino = (long long)st->st_ino,
		.size = (long long)st->st_size,
		.mtime_ns = timespec_ns(&st->st_mtim),
		.ctime_ns = timespec_ns(&st->st_ctim),
	};
	pthread_mutex_lock(&c->lock);
	*(row *)rs_vec_push(&c->added) = r;
	pthread_mutex_unlock(&c->lock);
}

long rs_statcache_save(rs_statcache *c)
{
	if (!c || !c->store || !c->added.len)
		return 0;
	rs_store *store = c->store;
	const rs_statcache_spec *spec = c->spec;
	bool own_tx = sqlite3_get_autocommit(store->db) != 0;
	if (own_tx && rs_store_exec(store, "BEGIN") < 0)
		goto fail;
	char *sql = rs_sprintf("INSERT OR REPLACE INTO %s (path, dev, ino, size, mtime_ns, ctime_ns, %s, %s) "
			       "VALUES (?, ?, ?, ?, ?, ?, ?, datetime('now'))",
			       spec->table, spec->value_column, spec->stamp_column);
	sqlite3_stmt *stmt = rs_store_prepare(store, sql);
	free(sql);
	if (!stmt)
		goto fail_tx;
	long written = 0;
	for (size_t i = 0; i < c->added.len; i++) {
		const row *r = rs_vec_at(&c->added, i);
		sqlite3_reset(stmt);
		rs_store_bind_text(stmt, 1, r->key);
		sqlite3_bind_int64(stmt, 2, r->dev);
		sqlite3_bind_int64(stmt, 3, r->ino);
		sqlite3_bind_int64(stmt, 4, r->size);
		sqlite3_bind_int64(stmt, 5, r->mtime_ns);
		sqlite3_bind_int64(stmt, 6, r->ctime_ns);
		rs_store_bind_text(stmt, 7, r->value);
		if (sqlite3_step(stmt) != SQLITE_DONE) {
			sqlite3_finalize(stmt);
			goto fail_tx;
		}
		written++;
	}
	sqlite3_finalize(stmt);
	if (own_tx && rs_store_exec(store, "COMMIT") < 0)
		goto fail_tx;
	return written;
fail_tx:
	if (own_tx)
		rs_store_exec(store, "ROLLBACK");
fail:
	rs_warn(_("%s: cannot write %s: %s; %s"), store->path, spec->what, sqlite3_errmsg(store->db),
		spec->if_unsaved);
	return -1;
}

unsigned long rs_statcache_size(const rs_statcache *c)
{
	return c ? (unsigned long)c->len : 0;
}

void rs_statcache_free(rs_statcache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->cap; i++)
		if (c->slots[i].key)
			free_row(&c->slots[i]);
	free(c->slots);
	for (size_t i = 0; i < c->added.len; i++)
		free_row(rs_vec_at(&c->added, i));
	rs_vec_free(&c->added);
	pthread_mutex_destroy(&c->lock);
	free(c);
}
