/*
 * filecache.c — the clean-file cache (see filecache.h): table file_cache of
 * the store (migration v2), loaded into an open-addressing hash table.
 */
#include "store/filecache.h"
#include "store/store_internal.h"
#include "core/log.h"
#include "core/util.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
	char *key;
	long long dev, ino, size, mtime_ns, ctime_ns;
} entry;

struct rs_filecache {
	rs_store *store;
	char *rules_hash;
	entry *slots;
	size_t cap;       /* a power of two */
	size_t len;
	pthread_mutex_t lock;
	rs_vec added;     /* entry */
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static void put(rs_filecache *c, entry e);

static void grow(rs_filecache *c)
{
	entry *old = c->slots;
	size_t old_cap = c->cap;
	c->cap = old_cap ? old_cap * 2 : 1024;
	c->slots = rs_calloc(c->cap, sizeof(entry));
	c->len = 0;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].key)
			put(c, old[i]);
	free(old);
}

static void put(rs_filecache *c, entry e)
{
	if ((c->len + 1) * 2 > c->cap)
		grow(c);
	size_t i = (size_t)hash_str(e.key) & (c->cap - 1);
	while (c->slots[i].key) {
		if (!strcmp(c->slots[i].key, e.key)) {
			free(c->slots[i].key);
			c->slots[i] = e;
			return;
		}
		i = (i + 1) & (c->cap - 1);
	}
	c->slots[i] = e;
	c->len++;
}

static long long ns(const struct timespec *t)
{
	return (long long)t->tv_sec * 1000000000ll + t->tv_nsec;
}

static entry from_stat(const char *key, const struct stat *st)
{
	entry e = {
		.key = rs_strdup(key),
		.dev = (long long)st->st_dev,
		.ino = (long long)st->st_ino,
		.size = (long long)st->st_size,
		.mtime_ns = ns(&st->st_mtim),
		.ctime_ns = ns(&st->st_ctim),
	};
	return e;
}

rs_filecache *rs_filecache_load(rs_store *store, const char *rules_hash)
{
	rs_filecache *c = rs_calloc(1, sizeof(*c));
	c->store = store;
	c->rules_hash = rs_strdup(rules_hash);
	pthread_mutex_init(&c->lock, NULL);
	rs_vec_init(&c->added, sizeof(entry));
	if (!store)
		return c;
	sqlite3_stmt *stmt = rs_store_prepare(store,
		"SELECT path, dev, ino, size, mtime_ns, ctime_ns FROM file_cache WHERE rules_hash = ?");
	if (!stmt)
		return c;
	rs_store_bind_text(stmt, 1, rules_hash);
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *path = (const char *)sqlite3_column_text(stmt, 0);
		if (!path)
			continue;
		entry e = {
			.key = rs_strdup(path),
			.dev = sqlite3_column_int64(stmt, 1),
			.ino = sqlite3_column_int64(stmt, 2),
			.size = sqlite3_column_int64(stmt, 3),
			.mtime_ns = sqlite3_column_int64(stmt, 4),
			.ctime_ns = sqlite3_column_int64(stmt, 5),
		};
		put(c, e);
	}
	if (rc != SQLITE_DONE)
		rs_warn("%s: cannot read the clean-file cache: %s; every file is scanned", store->path,
			sqlite3_errmsg(store->db));
	sqlite3_finalize(stmt);
	return c;
}

bool rs_filecache_clean(const rs_filecache *c, const char *key, const struct stat *st)
{
	if (!c || !c->len)
		return false;
	size_t i = (size_t)hash_str(key) & (c->cap - 1);
	while (c->slots[i].key) {
		const entry *e = &c->slots[i];
		if (!strcmp(e->key, key))
			return e->dev == (long long)st->st_dev && e->ino == (long long)st->st_ino &&
			       e->size == (long long)st->st_size && e->mtime_ns == ns(&st->st_mtim) &&
			       e->ctime_ns == ns(&st->st_ctim);
		i = (i + 1) & (c->cap - 1);
	}
	return false;
}

void rs_filecache_add(rs_filecache *c, const char *key, const struct stat *st)
{
	if (!c || !c->store)
		return;
	entry e = from_stat(key, st);
	pthread_mutex_lock(&c->lock);
	*(entry *)rs_vec_push(&c->added) = e;
	pthread_mutex_unlock(&c->lock);
}

long rs_filecache_save(rs_filecache *c)
{
	if (!c || !c->store || !c->added.len)
		return 0;
	rs_store *store = c->store;
	bool own_tx = sqlite3_get_autocommit(store->db) != 0;
	if (own_tx && rs_store_exec(store, "BEGIN") < 0)
		goto fail;
	sqlite3_stmt *stmt = rs_store_prepare(store,
		"INSERT OR REPLACE INTO file_cache (path, dev, ino, size, mtime_ns, ctime_ns, rules_hash, scanned) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, datetime('now'))");
	if (!stmt)
		goto fail_tx;
	long written = 0;
	for (size_t i = 0; i < c->added.len; i++) {
		const entry *e = rs_vec_at(&c->added, i);
		sqlite3_reset(stmt);
		rs_store_bind_text(stmt, 1, e->key);
		sqlite3_bind_int64(stmt, 2, e->dev);
		sqlite3_bind_int64(stmt, 3, e->ino);
		sqlite3_bind_int64(stmt, 4, e->size);
		sqlite3_bind_int64(stmt, 5, e->mtime_ns);
		sqlite3_bind_int64(stmt, 6, e->ctime_ns);
		rs_store_bind_text(stmt, 7, c->rules_hash);
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
	rs_warn("%s: cannot write the clean-file cache: %s; the next hunt rescans these files", store->path,
		sqlite3_errmsg(store->db));
	return -1;
}

void rs_filecache_attach(rs_filecache *c, rs_store *store)
{
	c->store = store;
}

unsigned long rs_filecache_size(const rs_filecache *c)
{
	return c ? (unsigned long)c->len : 0;
}

void rs_filecache_free(rs_filecache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->cap; i++)
		free(c->slots[i].key);
	free(c->slots);
	for (size_t i = 0; i < c->added.len; i++)
		free(((entry *)rs_vec_at(&c->added, i))->key);
	rs_vec_free(&c->added);
	pthread_mutex_destroy(&c->lock);
	free(c->rules_hash);
	free(c);
}
