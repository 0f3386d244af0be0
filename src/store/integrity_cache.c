/*
 * integrity_cache.c — the verified-digest cache (see integrity_cache.h):
 * table integrity_cache of the store (migration v5), on statcache.c; rows
 * of files a complete run no longer found are pruned.
 */
#include "store/integrity_cache.h"
#include "store/statcache.h"
#include "core/host.h"
#include "core/util.h"

#include <errno.h>
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

void rs_integrity_cache_seen(rs_integrity_cache *c, const char *key)
{
	if (c)
		rs_statcache_mark_seen(c->rows, key);
}

typedef struct prune_ctx {
	const rs_host *host;
	const char *prefix;  /* the root, "" for the live host */
	size_t prefix_len;
} prune_ctx;

/* A row this run did not see is stale when it is a file of the scanned
 * root (the run was complete, so the file is gone or no package owns it
 * now), or, on the live host, when the file is gone. Rows of other roots
 * are left alone. */
static bool stale(const char *key, void *arg)
{
	const prune_ctx *p = arg;
	if (p->prefix_len)
		return strncmp(key, p->prefix, p->prefix_len) == 0 && key[p->prefix_len] == '/';
	struct stat st;
	return rs_host_lstat(p->host, key, &st) < 0 && (errno == ENOENT || errno == ENOTDIR);
}

long rs_integrity_cache_prune(rs_integrity_cache *c, const rs_host *host)
{
	if (!c)
		return 0;
	prune_ctx p = { .host = host, .prefix = strcmp(host->root, "/") ? host->root : "" };
	p.prefix_len = strlen(p.prefix);
	return rs_statcache_prune(c->rows, stale, &p);
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
