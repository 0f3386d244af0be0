/*
 * filecache.c — the clean-file cache (see filecache.h): table file_cache of
 * the store (migration v2), rows of one rule-set hash, on statcache.c.
 */
#include "store/filecache.h"
#include "store/statcache.h"
#include "core/util.h"

#include <stdlib.h>

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
};

rs_filecache *rs_filecache_load(struct rs_store *store, const char *rules_hash)
{
	rs_filecache *c = rs_calloc(1, sizeof(*c));
	c->rules_hash = rs_strdup(rules_hash);
	c->rows = rs_statcache_load(store, &file_cache, rules_hash, true);
	return c;
}

void rs_filecache_attach(rs_filecache *c, struct rs_store *store)
{
	rs_statcache_attach(c->rows, store);
}

bool rs_filecache_clean(const rs_filecache *c, const char *key, const struct stat *st)
{
	return c && rs_statcache_unchanged(c->rows, key, st) != NULL;
}

void rs_filecache_add(rs_filecache *c, const char *key, const struct stat *st)
{
	if (c)
		rs_statcache_add(c->rows, key, st, c->rules_hash);
}

long rs_filecache_save(rs_filecache *c)
{
	return c ? rs_statcache_save(c->rows) : 0;
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
	free(c->rules_hash);
	free(c);
}
