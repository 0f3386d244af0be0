/*
 * warm.c — with a cold cache, the integrity module's lookups made ahead
 * of its workers by more threads. Measured on a cold run (perf record
 * --switch-events, 164,000 package files in 15,600 directories): the two
 * lanes workers waited on the disk mostly inside their lstat and directory
 * opens — ext4 reading directory blocks (__ext4_find_entry, about 11,000
 * waits) and inode tables — one read at a time per worker, while the disk
 * was busy a quarter of the run; the files' data, asked ahead in batches
 * (core/prefetch.h), hardly made them wait. Here RS_VERIFY_WARMERS threads
 * walk the job's files a window ahead of the workers and look each one up
 * as a worker will (rs_verify_lstat: its directory opened O_PATH inside the
 * root, the final component not followed), so that many lookups wait on
 * the disk at once and the workers then find the directory entries and
 * inodes in memory. They open no file, read no data and decide nothing:
 * the workers' own lstat, open and reads give every result as before.
 *
 * Only when the cache is cold: the files' lookups are first tried with
 * openat2's RESOLVE_CACHED (an answer from the dentry cache or EAGAIN),
 * and no warmer starts when the probed ones are all cached; a chunk whose
 * first and last files are cached is skipped (another program may have
 * looked parts of the tree up: the warmers do not stop for that, a
 * first version that stopped after 64 such chunks left the workers
 * waiting again). A warmer that is a WINDOW of files
 * ahead of the workers sleeps until they have taken half of it. Each
 * warmer holds at most two descriptors (its directory, a probe's), taken
 * from those verify.c leaves to the rest of the scan (FDS_SPARE).
 */
#include "integrity/verify_job.h"
#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define CHUNK 32          /* files a warmer takes at a time */
#define WINDOW 4096       /* files the warmers may be ahead of the workers */
#define PROBES 8          /* files tried before any warmer starts */

struct rs_verify_warm {
	rs_verify_job *job;
	pthread_t tids[RS_VERIFY_WARMERS_MAX];
	int started;
	bool forced;              /* RASOAT_WARMERS set: every chunk looked up */
	atomic_size_t next;       /* the first file of the next chunk */
	atomic_bool stop;
	atomic_int sleepers;      /* warmers waiting for the workers */
	atomic_size_t wake_at;    /* the workers' position that wakes them */
	pthread_mutex_t lock;
	pthread_cond_t cond;
};

/* True when PATH's lookup inside the root is answered from the dentry
 * cache (found or not): no disk read waits for it. */
static bool cached(const rs_host *host, const char *path)
{
	struct open_how how = { .flags = O_PATH | O_NOFOLLOW | O_CLOEXEC,
				.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | RESOLVE_CACHED };
	const char *rel = path + strspn(path, "/");
	long fd = syscall(SYS_openat2, host->root_fd, *rel ? rel : ".", &how, sizeof(how));
	if (fd >= 0) {
		close((int)fd);
		return true;
	}
	return errno == ENOENT || errno == ENOTDIR || errno == ELOOP;
}

/* Looks up the files [FIRST, END) unless the first and last are cached. */
static void warm_chunk(struct rs_verify_warm *w, rs_verify_dir *dir, size_t first, size_t end)
{
	const rs_verify_job *job = w->job;
	if (!w->forced && cached(job->host, job->items[first].path) && cached(job->host, job->items[end - 1].path))
		return;
	for (size_t i = first; i < end && !atomic_load(&w->stop); i++) {
		struct stat st;
		rs_verify_lstat(job->host, dir, job->items[i].path, &st); /* the answer is the workers' to get */
	}
}

/* Waits until the workers have taken files up to WANT (or the warmers
 * stop). */
static void wait_for_workers(struct rs_verify_warm *w, size_t want)
{
	pthread_mutex_lock(&w->lock);
	atomic_store(&w->wake_at, want);
	atomic_fetch_add(&w->sleepers, 1);
	while (atomic_load(&w->job->next) < want && !atomic_load(&w->stop)) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 20 * 1000 * 1000; /* a bound, should a wake-up be missed */
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&w->cond, &w->lock, &until);
	}
	atomic_fetch_sub(&w->sleepers, 1);
	pthread_mutex_unlock(&w->lock);
}

static void *warmer(void *arg)
{
	struct rs_verify_warm *w = arg;
	rs_verify_job *job = w->job;
	rs_verify_dir dir = { .fd = -1 };
	while (!atomic_load(&w->stop)) {
		size_t first = atomic_load(&w->next);
		size_t taken = atomic_load(&job->next);
		if (first >= job->n)
			break;
		if (first < taken) { /* the workers are past it: catch up */
			atomic_compare_exchange_weak(&w->next, &first, taken);
			continue;
		}
		if (first >= taken + WINDOW) {
			wait_for_workers(w, first - WINDOW / 2);
			continue;
		}
		size_t end = first + CHUNK < job->n ? first + CHUNK : job->n;
		if (!atomic_compare_exchange_weak(&w->next, &first, end))
			continue;
		warm_chunk(w, &dir, first, end);
	}
	if (dir.fd >= 0)
		close(dir.fd);
	return NULL;
}

/* True when some of PROBES files spread over the job are not in the
 * dentry cache. False too where the kernel cannot tell (openat2 or
 * RESOLVE_CACHED unknown: before Linux 5.12), so that warm runs there are
 * not slowed by lookups made twice. */
static bool cold(const rs_verify_job *job)
{
	for (size_t k = 0; k < PROBES; k++)
		if (!cached(job->host, job->items[job->n * k / PROBES].path))
			return errno != EINVAL && errno != ENOSYS && errno != E2BIG;
	return false;
}

rs_verify_warm *rs_verify_warm_start(rs_verify_job *job)
{
	/* RASOAT_WARMERS=N: N warmers (0: none) whether the cache is cold or
	 * not, every chunk looked up (tests, measurements) */
	const char *env = getenv("RASOAT_WARMERS");
	bool forced = env && *env;
	long want = forced ? strtol(env, NULL, 10) : RS_VERIFY_WARMERS;
	if (want > RS_VERIFY_WARMERS_MAX)
		want = RS_VERIFY_WARMERS_MAX;
	if (want <= 0 || job->n == 0 || job->host->force_walk || (!forced && (job->n < 2 * CHUNK || !cold(job))))
		return NULL;
	struct rs_verify_warm *w = rs_calloc(1, sizeof(*w));
	w->job = job;
	w->forced = forced;
	atomic_init(&w->next, 0);
	atomic_init(&w->stop, false);
	atomic_init(&w->sleepers, 0);
	atomic_init(&w->wake_at, 0);
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	for (int t = 0; t < want; t++)
		if (pthread_create(&w->tids[w->started], NULL, warmer, w) == 0)
			w->started++;
	return w;
}

void rs_verify_warm_nudge(rs_verify_warm *w, size_t taken)
{
	if (!w || atomic_load(&w->sleepers) == 0 || taken < atomic_load(&w->wake_at))
		return;
	pthread_mutex_lock(&w->lock);
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

void rs_verify_warm_stop(rs_verify_warm *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	atomic_store(&w->stop, true);
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
	for (int t = 0; t < w->started; t++)
		pthread_join(w->tids[t], NULL);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->cond);
	free(w);
}
