/*
 * pkgfiles_read.c — dpkg's info files read by a few threads at once (see
 * pkgfiles_read.h). Measured on a cold integrity run (4,140 info files):
 * read one after the other, each open waited for its inode and each read
 * for its data, 0.75-0.9 s before the first package file was verified;
 * the database alone loaded cold in 0.88 s that way, in 0.53-0.77 s with 8
 * readers and 0.57-0.61 s with 16 or 32 (a loaded 2-core machine).
 * The readers take the files in the caller's order from a shared counter
 * and mark each done; the caller waits for the one it parses next.
 */
#include "collect/pkgfiles_read.h"
#include "core/pagecache.h"
#include "core/readfile.h"
#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define READERS_MAX 32

struct rs_info_reader {
	const rs_host *host;
	int dirfd;
	const char *dirpath;
	rs_info_file *files;
	size_t n, max;
	atomic_size_t next;       /* the next file a reader takes */
	atomic_bool *done;        /* per file: read (text or err set) */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	pthread_t tids[READERS_MAX];
	int started;
};

/* Reads F: relative to the directory, the final component not followed,
 * a regular file only; otherwise (a symlink, an error) as rs_host_read
 * would, through the root. */
static void read_one(rs_info_reader *r, rs_info_file *f)
{
	int fd = openat(r->dirfd, f->name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd >= 0) {
		struct stat st;
		if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
			size_t cap = 0;
			int rc = (unsigned long long)st.st_size > r->max ? (errno = EFBIG, -1)
				 : rs_read_fd_grow(fd, (size_t)st.st_size, r->max, &f->text, &cap, &f->len);
			f->err = rc == 0 ? 0 : errno;
			close(fd);
			if (rc != 0) {
				free(f->text);
				f->text = NULL;
			}
			return;
		}
		close(fd);
	}
	char *path = rs_sprintf("%s/%s", r->dirpath, f->name);
	f->err = rs_host_read(r->host, path, r->max, &f->text, &f->len) == 0 ? 0 : errno;
	if (f->err)
		f->text = NULL;
	free(path);
}

static void *reader(void *arg)
{
	rs_info_reader *r = arg;
	for (;;) {
		size_t i = atomic_fetch_add(&r->next, 1);
		if (i >= r->n)
			return NULL;
		read_one(r, &r->files[i]);
		pthread_mutex_lock(&r->lock);
		atomic_store(&r->done[i], true);
		pthread_cond_broadcast(&r->cond);
		pthread_mutex_unlock(&r->lock);
	}
}

/* True when F is not in the page cache (core/pagecache.h), or when that
 * cannot be told: readers then, whose cost on a warm run is small. */
static bool not_cached(int dirfd, const rs_info_file *f)
{
	int fd = openat(dirfd, f->name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return errno != ENOENT;
	struct stat st;
	bool cold = fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
		    rs_pagecache_probe(fd, (long long)st.st_size) != RS_PAGECACHE_WARM;
	close(fd);
	return cold;
}

/* True when some of the first, middle and last files are not in the page
 * cache: readers pay then; a warm run reads them in the calling thread
 * (16 readers there cost 0.19 CPU-s more than one thread, their wake-ups
 * and switches on 2 cores, and were no faster). */
static bool cold_files(int dirfd, const rs_info_file *files, size_t n)
{
	return n && (not_cached(dirfd, &files[0]) || not_cached(dirfd, &files[n / 2]) ||
		     not_cached(dirfd, &files[n - 1]));
}

rs_info_reader *rs_info_reader_start(const rs_host *host, int dirfd, const char *dirpath, rs_info_file *files,
				     size_t n, size_t max, int threads)
{
	rs_info_reader *r = rs_calloc(1, sizeof(*r));
	*r = (rs_info_reader){ .host = host, .dirfd = dirfd, .dirpath = dirpath, .files = files, .n = n,
			       .max = max };
	atomic_init(&r->next, 0);
	r->done = rs_calloc(n ? n : 1, sizeof(*r->done));
	for (size_t i = 0; i < n; i++)
		atomic_init(&r->done[i], false);
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->cond, NULL);
	if (threads < 0) /* tests: that many whether the files are cached or not */
		threads = -threads;
	else if (threads > 1 && !cold_files(dirfd, files, n))
		threads = 1;
	if (threads > READERS_MAX)
		threads = READERS_MAX;
	for (int t = 0; threads > 1 && t < threads && (size_t)t < n; t++)
		if (pthread_create(&r->tids[r->started], NULL, reader, r) == 0)
			r->started++;
	return r;
}

rs_info_file *rs_info_reader_wait(rs_info_reader *r, size_t i)
{
	if (!r->started) { /* no readers: this thread reads it */
		if (!atomic_load(&r->done[i])) {
			read_one(r, &r->files[i]);
			atomic_store(&r->done[i], true);
		}
		return &r->files[i];
	}
	if (!atomic_load(&r->done[i])) {
		pthread_mutex_lock(&r->lock);
		while (!atomic_load(&r->done[i]))
			pthread_cond_wait(&r->cond, &r->lock);
		pthread_mutex_unlock(&r->lock);
	}
	return &r->files[i];
}

void rs_info_reader_finish(rs_info_reader *r)
{
	if (!r)
		return;
	for (int t = 0; t < r->started; t++)
		pthread_join(r->tids[t], NULL);
	pthread_mutex_destroy(&r->lock);
	pthread_cond_destroy(&r->cond);
	free(r->done);
	free(r);
}
