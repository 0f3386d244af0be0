/*
 * integrity_cache.c — the verified-digest cache (see integrity_cache.h):
 * table integrity_cache of the store (migration v5), on statcache.c.
 */
#include "store/integrity_cache.h"
#include "store/statcache.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

static const rs_statcache_spec integrity_cache = {
	.table = "integrity_cache",
	.value_column = "digest",
	.stamp_column = "verified",
	.what = "the integrity cache",
	.if_unread = "every package file is hashed",
	.if_unsaved = "the next scan hashes these files again",
};

struct rs_integrity_cache {
	rs_statcache *rows;
};

rs_integrity_cache *rs_integrity_cache_load(struct rs_store *store, bool full)
{
	rs_integrity_cache *c = rs_calloc(1, sizeof(*c));
	c->rows = rs_statcache_load(store, &integrity_cache, NULL, !full);
	return c;
}

bool rs_integrity_cache_unchanged(const rs_integrity_cache *c, const char *key, const struct stat *st,
				  const char *digest)
{
	const char *recorded = c ? rs_statcache_unchanged(c->rows, key, st) : NULL;
	return recorded && strcmp(recorded, digest) == 0;
}

void rs_integrity_cache_add(rs_integrity_cache *c, const char *key, const struct stat *st,
			    const char *digest)
{
	if (!c || !rs_statcache_saving(c->rows) || rs_integrity_cache_unchanged(c, key, st, digest))
		return;
	rs_statcache_add(c->rows, key, st, digest);
}

long rs_integrity_cache_save(rs_integrity_cache *c)
{
	return c ? rs_statcache_save(c->rows) : 0;
}

unsigned long rs_integrity_cache_size(const rs_integrity_cache *c)
{
	return c ? rs_statcache_size(c->rows) : 0;
}

void rs_integrity_cache_free(rs_integrity_cache *c)
{
	if (!c)
		return;
	rs_statcache_free(c->rows);
	free(c);
}
