/*
 * verify_job.h — what verify.c (the per-file worker, the job set-up) and
 * verify_lanes.c (the worker hashing 16 files at once with core/md5x.h)
 * share: the job, a worker's open directory, opening a package file inside
 * the root, and recording one file's result.
 */
#ifndef RS_VERIFY_JOB_H
#define RS_VERIFY_JOB_H

#include "core/md5x.h"
#include "core/prefetch.h"
#include "integrity/integrity.h"
#include "store/integrity_cache.h"

#include <openssl/evp.h>
#include <stdatomic.h>
#include <sys/stat.h>

#define RS_VERIFY_FILE_MAX (8ull << 30)

/* The most files a lanes worker holds open at once: its lanes, the files
 * opened ahead of them, the closes waiting in its ring (the ring holds
 * twice a batch), its directory, its ring and its ring of direct reads. */
#define RS_VERIFY_WORKER_FDS (RS_MD5X_LANES + RS_PREFETCH_BATCH + 2 * RS_PREFETCH_BATCH + 3)

typedef struct rs_verify_warm rs_verify_warm;

typedef struct rs_verify_job {
	const rs_host *host;
	const rs_verify_item *items;
	size_t n;
	rs_integrity_cache *cache;
	bool cache_loaded;        /* the cache has entries: lstat first */
	const char *key_prefix;   /* the root, "" for the live host: cache keys are host paths */
	rs_verify_result *results;
	void (*progress)(void *ctx, size_t done, size_t total); /* thread-safe */
	void *progress_ctx;
	atomic_size_t next;       /* the next file a worker takes */
	atomic_size_t done;
	rs_verify_warm *warm;     /* the lookups ahead of the workers (warm.c); NULL when none */
	atomic_ullong bytes;
} rs_verify_job;

/* A worker's open directory: files of one directory follow each other in
 * the package lists, so each directory is resolved once, not per file. */
typedef struct rs_verify_dir {
	char path[4096];  /* the directory as the host names it, "" when none */
	int fd;           /* -1 when it could not be opened (ERR) */
	int err;
} rs_verify_dir;

/* lstat of PATH inside the root, its directory resolved once in DIR, the
 * final component not followed. */
int rs_verify_lstat(const rs_host *host, rs_verify_dir *dir, const char *path, struct stat *st);

/* The cache key of ITEM (its path on this machine), in BUF when the root
 * must be prefixed; NULL when it does not fit. */
const char *rs_verify_cache_key(const rs_verify_job *job, const rs_verify_item *item, char *buf, size_t size);

/* With a loaded cache: true (RESULTS[i] set: OK and cached, or the state
 * the lstat's failure means) when file I needs no reading; false when it
 * must be read (no cache, no key, or changed since it verified). */
bool rs_verify_settled_by_cache(rs_verify_job *job, size_t i, rs_verify_dir *dir);

/* Opens the regular file PATH inside the root for reading, its directory
 * resolved once in DIR, the final component not followed, never opening a
 * FIFO or device. Returns the fd (ST filled) or -1 with errno. ST is the
 * opened file's own fstat; with LSTAT_ONLY it may instead be the lstat
 * that allowed the open (*CONFIRMED false then: one system call less per
 * file; a caller whose reading disagrees with ST's size calls
 * rs_verify_confirm before trusting it). */
int rs_verify_open(const rs_host *host, rs_verify_dir *dir, const char *path, struct stat *st, bool lstat_only,
		   bool *confirmed);

/* The fstat of FD, opened on the strength of an lstat, into ST: 0 when it
 * is a regular file, -1 with errno (EINVAL when it is not: something else
 * was put in the file's place between the lstat and the open). */
int rs_verify_confirm(int fd, struct stat *st);

/* The state of a file that could not be opened, by errno. */
rs_file_state rs_verify_open_failure(int err);

/* True when MD (LEN bytes) is the hex digest HEX. */
bool rs_verify_digest_equals(const unsigned char *md, unsigned len, const char *hex);

/* Verifies file I alone, with OpenSSL (any digest). BUF holds a chunk. */
void rs_verify_one(rs_verify_job *job, size_t i, EVP_MD_CTX *ctx, unsigned char *buf, rs_verify_dir *dir);

/* Counts file I as done (the progress callback every 1024 files). */
void rs_verify_count_done(rs_verify_job *job);

/* Records a file read whole that verified (or not): ST its fstat. */
void rs_verify_record(rs_verify_job *job, size_t i, const struct stat *st, bool ok);

/* The worker hashing MD5 items 16 at a time (verify_lanes.c); items with
 * another digest are verified one by one with rs_verify_one. */
void *rs_verify_lanes_worker(void *job);

/* The warmers of warm.c (threads looking the job's files up ahead of the
 * workers, so that a cold cache's directory and inode reads wait on the
 * disk many at once): started when some of the job's files are not in the
 * dentry cache (NULL when none were: a warm run, or a host resolved by
 * the portable walk); JOB->next must be set. The workers call
 * rs_verify_warm_nudge with JOB->next after taking files; stop ends and
 * joins them (NULL: nothing). */
#define RS_VERIFY_WARMERS 8
#define RS_VERIFY_WARMERS_MAX 64 /* RASOAT_WARMERS=N asks for N (0: none) */
rs_verify_warm *rs_verify_warm_start(rs_verify_job *job);
void rs_verify_warm_nudge(rs_verify_warm *warm, size_t taken);
void rs_verify_warm_stop(rs_verify_warm *warm);

#endif
