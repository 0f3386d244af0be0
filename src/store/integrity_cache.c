/*
 * integrity_cache.c — the verified-digest cache (see integrity_cache.h):
 * table integrity_cache of the store, loaded into an open-addressing hash
 * table keyed by path.
 */
#include "store/integrity_cache.h"
#include "store/store_internal.h"
#include "core/log.h"
#include "core/util.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct cache_entry {
	char *key;
	char *digest;
	long long dev, ino, size, mtime_ns, ctime_ns;
} cache_entry;

struct rs_integrity_cache {
	rs_store *store;
	cache_entry *slots;
	size_t cap;       /* a power of two, or 0 when empty */
	size_t len;
	pthread_mutex_t lock;
	rs_vec added;     /* cache_entry */
};

static uint64_t hash_path(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static void free_entry(cache_entry *e)
{
	free(e->key);
	free(e->digest);
}

static void insert(rs_integrity_cache *c, cache_entry e);

static void grow(rs_integrity_cache *c)
{
	cache_entry *old = c->slots;
	size_t old_cap = c->cap;
	c->cap = old_cap ? old_cap * 2 : 1024;
	c->slots = rs_calloc(c->cap, sizeof(cache_entry));
	c->len = 0;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].key)
			insert(c, old[i]);
	free(old);
}

static void insert(rs_integrity_cache *c, cache_entry e)
{
	if ((c->len + 1) * 2 > c->cap)
		grow(c);
	size_t i = (size_t)hash_path(e.key) & (c->cap - 1);
	while (c->slots[i].key) {
		if (!strcmp(c->slots[i].key, e.key)) {
			free_entry(&c->slots[i]);
			c->slots[i] = e;
			return;
		}
		i = (i + 1) & (c->cap - 1);
	}
	c->slots[i] = e;
	c->len++;
}

static long long timespec_ns(const struct timespec *t)
{
	return (long long)t->tv_sec * 1000000000ll + t->tv_nsec;
}

rs_integrity_cache *rs_integrity_cache_load(rs_store *store, bool full)
{
	rs_integrity_cache *c = rs_calloc(1, sizeof(*c));
	c->store = store;
	pthread_mutex_init(&c->lock, NULL);
	rs_vec_init(&c->added, sizeof(cache_entry));
	if (!store || full)
		return c;
	sqlite3_stmt *stmt = rs_store_prepare(store,
		"SELECT path, dev, ino, size, mtime_ns, ctime_ns, digest FROM integrity_cache");
	if (!stmt)
		return c;
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *path = (const char *)sqlite3_column_text(stmt, 0);
		const char *digest = (const char *)sqlite3_column_text(stmt, 6);
		if (!path || !digest)
			continue;
		cache_entry e = {
			.key = rs_strdup(path),
			.digest = rs_strdup(digest),
			.dev = sqlite3_column_int64(stmt, 1),
			.ino = sqlite3_column_int64(stmt, 2),
			.size = sqlite3_column_int64(stmt, 3),
			.mtime_ns = sqlite3_column_int64(stmt, 4),
			.ctime_ns = sqlite3_column_int64(stmt, 5),
		};
		insert(c, e);
	}
	if (rc != SQLITE_DONE)
		rs_warn("%s: cannot read the integrity cache: %s; every package file is hashed", store->path,
			sqlite3_errmsg(store->db));
	sqlite3_finalize(stmt);
	return c;
}

static const cache_entry *lookup(const rs_integrity_cache *c, const char *key)
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

bool rs_integrity_cache_unchanged(const rs_integrity_cache *c, const char *key, const struct stat *st,
				  const char *digest)
{
	const cache_entry *e = lookup(c, key);
	return e && e->dev == (long long)st->st_dev && e->ino == (long long)st->st_ino &&
	       e->size == (long long)st->st_size && e->mtime_ns == timespec_ns(&st->st_mtim) &&
	       e->ctime_ns == timespec_ns(&st->st_ctim) && strcmp(e->digest, digest) == 0;
}

void rs_integrity_cache_add(rs_integrity_cache *c, const char *key, const struct stat *st,
			    const char *digest)
{
	if (!c || !c->store || rs_integrity_cache_unchanged(c, key, st, digest))
		return;
	cache_entry e = {
		.key = rs_strdup(key),
		.digest = rs_strdup(digest),
		.dev = (long long)st->st_dev,
		.ino = (long long)st->st_ino,
		.size = (long long)st->st_size,
		.mtime_ns = timespec_ns(&st->st_mtim),
		.ctime_ns = timespec_ns(&st->st_ctim),
	};
	pthread_mutex_lock(&c->lock);
	*(cache_entry *)rs_vec_push(&c->added) = e;
	pthread_mutex_unlock(&c->lock);
}

long rs_integrity_cache_save(rs_integrity_cache *c)
{
	if (!c || !c->store || !c->added.len)
		return 0;
	rs_store *store = c->store;
	bool own_tx = sqlite3_get_autocommit(store->db) != 0;
	if (own_tx && rs_store_exec(store, "BEGIN") < 0)
		goto fail;
	sqlite3_stmt *stmt = rs_store_prepare(store,
		"INSERT OR REPLACE INTO integrity_cache (path, dev, ino, size, mtime_ns, ctime_ns, digest, verified) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, datetime('now'))");
	if (!stmt)
		goto fail_tx;
	long written = 0;
	for (size_t i = 0; i < c->added.len; i++) {
		const cache_entry *e = rs_vec_at(&c->added, i);
		sqlite3_reset(stmt);
		rs_store_bind_text(stmt, 1, e->key);
		sqlite3_bind_int64(stmt, 2, e->dev);
		sqlite3_bind_int64(stmt, 3, e->ino);
		sqlite3_bind_int64(stmt, 4, e->size);
		sqlite3_bind_int64(stmt, 5, e->mtime_ns);
		sqlite3_bind_int64(stmt, 6, e->ctime_ns);
		rs_store_bind_text(stmt, 7, e->digest);
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
	rs_warn("%s: cannot write the integrity cache: %s; the next scan hashes these files again", store->path,
		sqlite3_errmsg(store->db));
	return -1;
}

unsigned long rs_integrity_cache_size(const rs_integrity_cache *c)
{
	return c ? (unsigned long)c->len : 0;
}

void rs_integrity_cache_free(rs_integrity_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->cap; i++)
		if (c->slots[i].key)
			free_entry(&c->slots[i]);
	free(c->slots);
	for (size_t i = 0; i < c->added.len; i++)
		free_entry(rs_vec_at(&c->added, i));
	rs_vec_free(&c->added);
	pthread_mutex_destroy(&c->lock);
	free(c);
}
