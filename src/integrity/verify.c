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
 * matched the same digest is not opened. MD5 files (all of dpkg's) are
 * hashed 16 at a time per worker by verify_lanes.c; this file sets the job
 * up and verifies the others one by one.
 */
#include "core/digest.h"
#include "core/util.h"
#include "integrity/integrity.h"
#include "integrity/verify_job.h"
#include "store/integrity_cache.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#define CHUNK (256u << 10)

bool rs_verify_digest_equals(const unsigned char *md, unsigned len, const char *hex)
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
const char *rs_verify_cache_key(const rs_verify_job *job, const rs_verify_item *item, char *buf, size_t size)
{
	if (!job->key_prefix[0])
		return item->path;
	return (size_t)snprintf(buf, size, "%s%s", job->key_prefix, item->path) < size ? buf : NULL;
}

/* Opens the directory DIR inside the root as an O_PATH descriptor (all
 * fstatat and openat need of it) in one openat2 call, resolved as
 * rs_host_open resolves (RESOLVE_IN_ROOT, no magic links) and refused
 * when it is not a directory; rs_host_open (five calls more) where
 * openat2 is not there or the host walks by hand. */
static int open_dir(const rs_host *host, const char *dir)
{
	if (!host->force_walk) {
		struct open_how how = { .flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
					.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
		const char *rel = dir + strspn(dir, "/");
		for (int attempt = 0; attempt < 4; attempt++) {
			long fd = syscall(SYS_openat2, host->root_fd, *rel ? rel : ".", &how, sizeof(how));
			if (fd >= 0)
				return (int)fd;
			if (errno != EAGAIN && errno != ENOSYS && errno != EPERM && errno != E2BIG)
				return -1;
			if (errno != EAGAIN)
				break;
		}
	}
	return rs_host_open(host, dir, RS_OPEN_DIR, NULL);
}

/* The directory of PATH resolved inside the root (through rs_host_open)
 * and kept open in DIR; NAME its final component. -1 (errno) when the
 * directory cannot be opened, -2 for a path to take through rs_host_*
 * whole (a final "." or "..", no directory, a very long path). */
static int dir_of(const rs_host *host, rs_verify_dir *dir, const char *path, const char **name)
{
	const char *slash = strrchr(path, '/');
	*name = slash ? slash + 1 : "";
	size_t dlen = slash ? (size_t)(slash - path) : 0;
	if (!slash || dlen == 0 || path[0] != '/' || !**name || !strcmp(*name, ".") || !strcmp(*name, "..") ||
	    dlen >= sizeof(dir->path))
		return -2;
	if (!dir->path[0] || strncmp(dir->path, path, dlen) != 0 || dir->path[dlen] != '\0') {
		if (dir->fd >= 0)
			close(dir->fd);
		memcpy(dir->path, path, dlen);
		dir->path[dlen] = '\0';
		dir->fd = open_dir(host, dir->path);
		dir->err = dir->fd < 0 ? errno : 0;
	}
	if (dir->fd < 0) {
		errno = dir->err;
		return -1;
	}
	return dir->fd;
}

int rs_verify_lstat(const rs_host *host, rs_verify_dir *dir, const char *path, struct stat *st)
{
	const char *name;
	int dfd = dir_of(host, dir, path, &name);
	if (dfd == -2)
		return rs_host_lstat(host, path, st);
	return dfd < 0 ? -1 : fstatat(dfd, name, st, AT_SYMLINK_NOFOLLOW);
}

int rs_verify_confirm(int fd, struct stat *st)
{
	if (fstat(fd, st) < 0)
		return -1;
	if (!S_ISREG(st->st_mode)) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int rs_verify_open(const rs_host *host, rs_verify_dir *dir, const char *path, struct stat *st, bool lstat_only,
		   bool *confirmed)
{
	const char *name;
	int dfd = dir_of(host, dir, path, &name);
	*confirmed = true;
	if (dfd == -2)
		return rs_host_open(host, path, RS_OPEN_FILE | RS_OPEN_NOFOLLOW, st);
	if (dfd < 0 || fstatat(dfd, name, st, AT_SYMLINK_NOFOLLOW) < 0)
		return -1;
	/* as rs_host_open: a symlink is ELOOP, any other non-regular file
	 * EINVAL, and neither is opened */
	if (!S_ISREG(st->st_mode)) {
		errno = S_ISLNK(st->st_mode) ? ELOOP : EINVAL;
		return -1;
	}
	/* O_NONBLOCK: a FIFO swapped in after the lstat does not block; what
	 * was opened is judged by its own fstat (a regular file replaced by
	 * another between the two calls is read as the file now there) */
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (lstat_only) {
		*confirmed = false;
		return fd;
	}
	if (rs_verify_confirm(fd, st) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

rs_file_state rs_verify_open_failure(int err)
{
	return err == ENOENT || err == ENOTDIR ? RS_FILE_MISSING
	       : err == ELOOP || err == EINVAL ? RS_FILE_REPLACED : RS_FILE_UNREADABLE;
}

bool rs_verify_settled_by_cache(rs_verify_job *job, size_t i, rs_verify_dir *dir)
{
	const rs_verify_item *item = &job->items[i];
	rs_verify_result *r = &job->results[i];
	char keybuf[8192];
	const char *key = job->cache ? rs_verify_cache_key(job, item, keybuf, sizeof(keybuf)) : NULL;
	if (!key || !job->cache_loaded)
		return false;
	/* unchanged since it verified: an lstat decides, nothing is opened */
	struct stat st;
	if (rs_verify_lstat(job->host, dir, item->path, &st) < 0) {
		r->state = rs_verify_open_failure(errno);
		return true;
	}
	if (S_ISREG(st.st_mode) && rs_integrity_cache_unchanged(job->cache, key, &st, item->digest)) {
		r->state = RS_FILE_OK;
		r->cached = true;
		return true;
	}
	return false;
}

void rs_verify_record(rs_verify_job *job, size_t i, const struct stat *st, bool ok)
{
	const rs_verify_item *item = &job->items[i];
	rs_verify_result *r = &job->results[i];
	r->state = ok ? RS_FILE_OK : RS_FILE_CHANGED;
	char keybuf[8192];
	const char *key = ok && job->cache ? rs_verify_cache_key(job, item, keybuf, sizeof(keybuf)) : NULL;
	if (key)
		rs_integrity_cache_add(job->cache, key, st, item->digest);
}

void rs_verify_count_done(rs_verify_job *job)
{
	size_t done = atomic_fetch_add(&job->done, 1) + 1;
	if (job->progress && (done & 1023) == 0)
		job->progress(job->progress_ctx, done, job->n);
}

void rs_verify_one(rs_verify_job *job, size_t i, EVP_MD_CTX *ctx, unsigned char *buf, rs_verify_dir *dir)
{
	const rs_verify_item *item = &job->items[i];
	rs_verify_result *r = &job->results[i];
	if (rs_verify_settled_by_cache(job, i, dir))
		return;
	struct stat st;
	bool confirmed;
	int fd = rs_verify_open(job->host, dir, item->path, &st, false, &confirmed);
	if (fd < 0) {
		r->state = rs_verify_open_failure(errno);
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
		if (total > RS_VERIFY_FILE_MAX) {
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
	rs_verify_record(job, i, &st, rs_verify_digest_equals(md, len, item->digest));
}

/* THREADS workers hold up to RS_VERIFY_WORKER_FDS files open each: the
 * soft limit of open files is raised (to the hard one at most) when it is
 * lower than they need, and fewer workers run when even that is not
 * enough (a file that cannot be opened for want of descriptors would read
 * as unreadable). FDS_SPARE are left to the rest of the scan. */
#define FDS_SPARE 256
static int fit_threads(int threads)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
		return threads;
	rlim_t want = (rlim_t)threads * RS_VERIFY_WORKER_FDS + FDS_SPARE;
	if (rl.rlim_cur < want) {
		struct rlimit up = rl;
		up.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ? want : rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &up) == 0)
			rl = up;
	}
	if (rl.rlim_cur >= want)
		return threads;
	long fit = ((long)rl.rlim_cur - FDS_SPARE) / RS_VERIFY_WORKER_FDS;
	return fit < 1 ? 1 : (int)fit;
}

unsigned long long rs_integrity_verify_items(const rs_host *host, const rs_verify_item *items, size_t n,
					     int threads, rs_integrity_cache *cache, rs_verify_result *results,
					     void (*progress)(void *ctx, size_t done, size_t total), void *pctx)
{
	rs_verify_job job = { .host = host, .items = items, .n = n, .results = results, .cache = cache,
			   .cache_loaded = rs_integrity_cache_size(cache) > 0,
			   .key_prefix = strcmp(host->root, "/") ? host->root : "",
			   .progress = progress, .progress_ctx = pctx };
	atomic_init(&job.next, 0);
	atomic_init(&job.done, 0);
	atomic_init(&job.bytes, 0);
	memset(results, 0, n * sizeof(*results));
	threads = fit_threads(rs_thread_count(threads, 64));
	job.warm = rs_verify_warm_start(&job);
	pthread_t tids[64];
	int started = 0;
	for (int t = 1; t < threads; t++)
		if (pthread_create(&tids[started], NULL, rs_verify_lanes_worker, &job) == 0)
			started++;
	rs_verify_lanes_worker(&job); /* the calling thread is the first worker */
	for (int t = 0; t < started; t++)
		pthread_join(tids[t], NULL);
	rs_verify_warm_stop(job.warm);
	/* the files this run found, so that rows of the others can be pruned */
	for (size_t i = 0; job.cache_loaded && i < n; i++) {
		char buf[8192];
		const char *key = results[i].state != RS_FILE_MISSING ? rs_verify_cache_key(&job, &items[i], buf, sizeof(buf))
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
