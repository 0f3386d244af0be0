/*
 * verify.c — the digest check behind the integrity module: every package
 * file with a recorded MD5 is read once, bounded, through rs_host_open (no
 * FIFO or device is ever opened, nothing leaves the root), hashed with
 * OpenSSL EVP (MD5 or SHA-256, by the recorded digest's length), and
 * compared; worker threads (the calling thread one of them) take files
 * from a shared counter so that a few large files do not hold the others
 * up. With a verified-digest cache (store/integrity_cache.h) each file is
 * first looked at with an lstat (its directory resolved inside the root
 * once per run of files, the final component not followed): one whose
 * device, inode, size, mtime and ctime are those it had when it last
 * matched the same digest is not opened.
 */
#include "core/digest.h"
#include "core/util.h"
#include "integrity/integrity.h"
#include "store/integrity_cache.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK (256u << 10)
#define FILE_MAX (8ull << 30)

typedef struct verify_job {
	const rs_host *host;
	const rs_verify_item *items;
	size_t n;
	rs_integrity_cache *cache;
	bool cache_loaded;        /* the cache has entries: lstat first */
	const char *key_prefix;   /* the root, "" for the live host: cache keys are host paths */
	rs_verify_result *results;
	void (*progress)(void *ctx, size_t done, size_t total); /* thread-safe */
	void *progress_ctx;
	atomic_size_t next;
	atomic_size_t done;
	atomic_ullong bytes;
} verify_job;

static bool digest_equals(const unsigned char *md, unsigned len, const char *hex)
{
	if (strlen(hex) != 2 * (size_t)len)
		return false;
	for (unsigned i = 0; i < len; i++) {
		int hi = rs_hex_value(hex[2 * i]), lo = hi < 0 ? -1 : rs_hex_value(hex[2 * i + 1]);
		if (lo < 0 || md[i] != (unsigned char)(hi << 4 | lo))
			return false;
	}
	return true;
}

/* The cache key of ITEM: its path on this machine (the root prefixed),
 * in BUF when a prefix is needed. NULL when it does not fit. */
static const char *cache_key(const verify_job *job, const rs_verify_item *item, char *buf, size_t size)
{
	if (!job->key_prefix[0])
		return item->path;
	return (size_t)snprintf(buf, size, "%s%s", job->key_prefix, item->path) < size ? buf : NULL;
}

/* A worker's open directory: files of one directory follow each other in
 * the package lists, so each directory is resolved once, not per file. */
typedef struct dir_handle {
	char path[4096];  /* the directory as the host names it, "" when none */
	int fd;           /* -1 when it could not be opened (ERR) */
	int err;
} dir_handle;

/* lstat of PATH inside the root: its directory resolved (inside the root,
 * through rs_host_open) and kept open in DIR, the final component a plain
 * name looked up with AT_SYMLINK_NOFOLLOW. Anything else (a name of "." or
 * "..", a very long path) goes through rs_host_lstat. */
static int lstat_in_dir(const rs_host *host, dir_handle *dir, const char *path, struct stat *st)
{
	const char *slash = strrchr(path, '/');
	const char *name = slash ? slash + 1 : "";
	size_t dlen = slash ? (size_t)(slash - path) : 0;
	if (!slash || dlen == 0 || path[0] != '/' || !*name || !strcmp(name, ".") || !strcmp(name, "..") ||
	    dlen >= sizeof(dir->path))
		return rs_host_lstat(host, path, st);
	if (!dir->path[0] || strncmp(dir->path, path, dlen) != 0 || dir->path[dlen] != '\0') {
		if (dir->fd >= 0)
			close(dir->fd);
		memcpy(dir->path, path, dlen);
		dir->path[dlen] = '\0';
		dir->fd = rs_host_open(host, dir->path, RS_OPEN_DIR, NULL);
		dir->err = dir->fd < 0 ? errno : 0;
	}
	if (dir->fd < 0) {
		errno = dir->err;
		return -1;
	}
	return fstatat(dir->fd, name, st, AT_SYMLINK_NOFOLLOW);
}

static rs_file_state open_failure(int err)
{
	return err == ENOENT || err == ENOTDIR ? RS_FILE_MISSING
	       : err == ELOOP || err == EINVAL ? RS_FILE_REPLACED : RS_FILE_UNREADABLE;
}

static void verify_one(verify_job *job, size_t i, EVP_MD_CTX *ctx, unsigned char *buf, dir_handle *dir)
{
	const rs_verify_item *item = &job->items[i];
	rs_verify_result *r = &job->results[i];
	char keybuf[8192];
	const char *key = job->cache ? cache_key(job, item, keybuf, sizeof(keybuf)) : NULL;
	bool keyed = key != NULL;
	struct stat st;
	if (keyed && job->cache_loaded) {
		/* unchanged since it verified: an lstat decides, nothing is opened */
		if (lstat_in_dir(job->host, dir, item->path, &st) < 0) {
			r->state = open_failure(errno);
			return;
		}
		if (S_ISREG(st.st_mode) && rs_integrity_cache_unchanged(job->cache, key, &st, item->digest)) {
			r->state = RS_FILE_OK;
			r->cached = true;
			return;
		}
	}
	int fd = rs_host_open(job->host, item->path, RS_OPEN_FILE | RS_OPEN_NOFOLLOW, &st);
	if (fd < 0) {
		r->state = open_failure(errno);
		return;
	}
	EVP_DigestInit_ex(ctx, strlen(item->digest) == 64 ? EVP_sha256() : EVP_md5(), NULL);
	unsigned long long total = 0;
	bool ok = true;
	for (;;) {
		ssize_t got = read(fd, buf, CHUNK);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			ok = false;
			break;
		}
		if (got == 0)
			break;
		if (total == 0)
			r->elf = got >= 4 && memcmp(buf, "\x7f" "ELF", 4) == 0;
		total += (unsigned long long)got;
		EVP_DigestUpdate(ctx, buf, (size_t)got);
		if (total > FILE_MAX) {
			ok = false;
			break;
		}
	}
	close(fd);
	r->bytes = total;
	atomic_fetch_add(&job->bytes, total);
	if (!ok) {
		r->state = RS_FILE_UNREADABLE;
		return;
	}
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned len = 0;
	EVP_DigestFinal_ex(ctx, md, &len);
	r->state = digest_equals(md, len, item->digest) ? RS_FILE_OK : RS_FILE_CHANGED;
	if (r->state == RS_FILE_OK && keyed)
		rs_integrity_cache_add(job->cache, key, &st, item->digest);
}

static void *worker(void *arg)
{
	verify_job *job = arg;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char *buf = rs_malloc(CHUNK);
	dir_handle dir = { .fd = -1 };
	/* with a cache most files are only looked at: take runs of them, so that
	 * files of one directory stay with one worker */
	size_t run = job->cache_loaded ? 32 : 1;
	for (;;) {
		size_t first = atomic_fetch_add(&job->next, run);
		if (first >= job->n)
			break;
		for (size_t i = first; i < first + run && i < job->n; i++) {
			verify_one(job, i, ctx, buf, &dir);
			size_t done = atomic_fetch_add(&job->done, 1) + 1;
			if (job->progress && (done & 1023) == 0)
				job->progress(job->progress_ctx, done, job->n);
		}
	}
	if (dir.fd >= 0)
		close(dir.fd);
	free(buf);
	EVP_MD_CTX_free(ctx);
	return NULL;
}

unsigned long long rs_integrity_verify_items(const rs_host *host, const rs_verify_item *items, size_t n,
					     int threads, rs_integrity_cache *cache, rs_verify_result *results,
					     void (*progress)(void *ctx, size_t done, size_t total), void *pctx)
{
	verify_job job = { .host = host, .items = items, .n = n, .results = results, .cache = cache,
			   .cache_loaded = rs_integrity_cache_size(cache) > 0,
			   .key_prefix = strcmp(host->root, "/") ? host->root : "",
			   .progress = progress, .progress_ctx = pctx };
	atomic_init(&job.next, 0);
	atomic_init(&job.done, 0);
	atomic_init(&job.bytes, 0);
	memset(results, 0, n * sizeof(*results));
	threads = rs_thread_count(threads, 64);
	pthread_t tids[64];
	int started = 0;
	for (int t = 1; t < threads; t++)
		if (pthread_create(&tids[started], NULL, worker, &job) == 0)
			started++;
	worker(&job); /* the calling thread is the first worker */
	for (int t = 0; t < started; t++)
		pthread_join(tids[t], NULL);
	/* the files this run found, so that rows of the others can be pruned */
	for (size_t i = 0; job.cache_loaded && i < n; i++) {
		char buf[8192];
		const char *key = results[i].state != RS_FILE_MISSING ? cache_key(&job, &items[i], buf, sizeof(buf))
								       : NULL;
		if (key)
			rs_integrity_cache_seen(cache, key);
	}
	return atomic_load(&job.bytes);
}

unsigned long long rs_integrity_verify(const rs_host *host, const rs_pkgfile *const *files, size_t n,
				       int threads, rs_verify_result *results,
				       void (*progress)(void *ctx, size_t done, size_t total), void *pctx)
{
	rs_verify_item *items = rs_calloc(n ? n : 1, sizeof(*items));
	for (size_t i = 0; i < n; i++)
		items[i] = (rs_verify_item){ .path = files[i]->path, .package = files[i]->package,
					     .digest = files[i]->md5, .conffile = files[i]->conffile };
	unsigned long long bytes = rs_integrity_verify_items(host, items, n, threads, NULL, results, progress, pctx);
	free(items);
	return bytes;
}
