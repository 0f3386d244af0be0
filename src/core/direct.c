/*
 * direct.c — whole files read with O_DIRECT, a few reads in flight (see
 * direct.h).
 */
#include "core/direct.h"
#include "core/pagecache.h"
#include "core/prefetch.h"
#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static atomic_ullong direct_files;

rs_direct_mode rs_direct_mode_env(void)
{
	const char *env = getenv("RASOAT_DIRECT");
	if (env && strcmp(env, "0") == 0)
		return RS_DIRECT_OFF;
	if (env && strcmp(env, "force") == 0)
		return RS_DIRECT_FORCE;
	return RS_DIRECT_AUTO;
}

void rs_direct_init(rs_direct *d, rs_direct_mode mode)
{
	memset(d, 0, sizeof(*d));
	d->mode = mode;
	if (mode == RS_DIRECT_OFF)
		return;
	for (int i = 0; i < RS_DIRECT_DEPTH; i++) {
		void *p = NULL;
		if (posix_memalign(&p, RS_DIRECT_ALIGN, RS_DIRECT_CHUNK) != 0) {
			rs_direct_free(d);
			d->mode = RS_DIRECT_OFF;
			return;
		}
		d->buf[i] = p;
	}
	d->ring_ok = rs_io_uring_open(&d->ring, RS_DIRECT_DEPTH);
}

void rs_direct_free(rs_direct *d)
{
	if (d->ring_ok)
		io_uring_queue_exit(&d->ring);
	d->ring_ok = false;
	for (int i = 0; i < RS_DIRECT_DEPTH; i++) {
		free(d->buf[i]);
		d->buf[i] = NULL;
	}
}

bool rs_direct_candidate(rs_direct_mode mode, long long size, unsigned long nlink, long long min)
{
	if (mode == RS_DIRECT_FORCE)
		return true;
	return mode == RS_DIRECT_AUTO && size >= min && nlink <= 1;
}

bool rs_direct_wanted(rs_direct_mode mode, int fd, long long size, unsigned long nlink, long long min)
{
	if (!rs_direct_candidate(mode, size, nlink, min))
		return false;
	return mode == RS_DIRECT_FORCE || rs_pagecache_probe(fd, size) == RS_PAGECACHE_COLD;
}

bool rs_direct_set(int fd, struct stat *st)
{
	struct stat own;
	if (fstat(fd, &own) != 0 || !S_ISREG(own.st_mode))
		return false;
	if (st)
		*st = own;
	int fl = fcntl(fd, F_GETFL);
	return fl >= 0 && fcntl(fd, F_SETFL, (fl & ~O_NONBLOCK) | O_DIRECT) == 0;
}

int rs_direct_unset(int fd, long long off)
{
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, (fl & ~O_DIRECT) | O_NONBLOCK) != 0)
		return -1;
	return lseek(fd, (off_t)off, SEEK_SET) < 0 ? -1 : 0;
}

/* What one read's answer N (bytes, or -errno) of a piece means, TOTAL
 * bytes handed before it: 2 go on, 1 the end, 0 plain reads from here,
 * -1 an error. */
static int take(int fd, long long size, unsigned long long limit, rs_direct_fn fn, void *ctx, const unsigned char *buf,
		long n, unsigned long long *total)
{
	if (n < 0) {
		if (n == -EINVAL && *total == 0)
			return rs_direct_unset(fd, 0); /* O_DIRECT reads refused here */
		errno = (int)-n;
		return -1;
	}
	if (n > 0)
		fn(ctx, buf, (size_t)n);
	*total += (unsigned long long)n;
	if (*total > limit)
		return 1;
	if (n == RS_DIRECT_CHUNK)
		return 2;
	if (n == 0 || *total == (unsigned long long)size)
		return 1; /* short at the size fstat gave, or nothing more: the end */
	return rs_direct_unset(fd, (long long)*total) < 0 ? -1 : 0; /* the file changed under us: plain reads see it out */
}

/* One read at a time, without io_uring. */
static int read_sync(rs_direct *d, int fd, long long size, unsigned long long limit, rs_direct_fn fn, void *ctx,
		     unsigned long long *total)
{
	for (;;) {
		ssize_t n = pread(fd, d->buf[0], RS_DIRECT_CHUNK, (off_t)*total);
		if (n < 0 && errno == EINTR)
			continue;
		int rc = take(fd, size, limit, fn, ctx, d->buf[0], n < 0 ? -(long)errno : (long)n, total);
		if (rc != 2)
			return rc;
	}
}

/* Waits for the answer of the read in slot SLOT (the answers of other
 * slots that come first are kept in RES, DONE marking them). */
static bool wait_slot(rs_direct *d, int slot, long *res, bool *done)
{
	while (!done[slot]) {
		struct io_uring_cqe *cqe;
		int rc = io_uring_wait_cqe(&d->ring, &cqe);
		if (rc == -EINTR)
			continue;
		if (rc < 0) {
			errno = -rc;
			return false;
		}
		unsigned long long s = io_uring_cqe_get_data64(cqe);
		if (s < RS_DIRECT_DEPTH) {
			res[s] = cqe->res;
			done[s] = true;
		}
		io_uring_cqe_seen(&d->ring, cqe);
	}
	return true;
}

/* The reads in flight, in the order of their offsets. */
typedef struct flight {
	int slot[RS_DIRECT_DEPTH];
	int head, count;
	bool busy[RS_DIRECT_DEPTH], done[RS_DIRECT_DEPTH];
	long res[RS_DIRECT_DEPTH];
	unsigned long long next; /* the offset of the next read to queue */
} flight;

/* Queues the reads that may still find bytes: while fewer than
 * RS_DIRECT_DEPTH are in flight, up to the one at SIZE itself (it answers
 * 0 when SIZE is a whole number of pieces), and one more whenever none is
 * in flight (the file grew past SIZE); submits them. False when the ring
 * failed. */
static bool queue_reads(rs_direct *d, int fd, long long size, flight *f)
{
	int queued = 0;
	while (f->count < RS_DIRECT_DEPTH && (f->count == 0 || f->next <= (unsigned long long)size)) {
		int s = 0;
		while (f->busy[s])
			s++;
		struct io_uring_sqe *sqe = io_uring_get_sqe(&d->ring);
		if (!sqe)
			break;
		io_uring_prep_read(sqe, fd, d->buf[s], RS_DIRECT_CHUNK, f->next);
		io_uring_sqe_set_data64(sqe, (unsigned long long)s);
		f->busy[s] = true;
		f->done[s] = false;
		f->slot[(f->head + f->count) % RS_DIRECT_DEPTH] = s;
		f->count++;
		f->next += RS_DIRECT_CHUNK;
		queued++;
	}
	return queued == 0 || io_uring_submit(&d->ring) >= 0;
}

/* RS_DIRECT_DEPTH reads in flight, their pieces handed in order. */
static int read_ring(rs_direct *d, int fd, long long size, unsigned long long limit, rs_direct_fn fn, void *ctx,
		     unsigned long long *total)
{
	flight f;
	memset(&f, 0, sizeof(f));
	if (!queue_reads(d, fd, size, &f)) {
		io_uring_queue_exit(&d->ring); /* its state unknown: no ring from now on */
		d->ring_ok = false;
		return read_sync(d, fd, size, limit, fn, ctx, total);
	}
	int rc = 2;
	while (rc == 2 && f.count > 0) {
		int s = f.slot[f.head];
		if (!wait_slot(d, s, f.res, f.done)) {
			rc = -1;
			break;
		}
		f.busy[s] = false;
		f.head = (f.head + 1) % RS_DIRECT_DEPTH;
		f.count--;
		/* digested while the other reads in flight go on; then its
		 * buffer takes the next read */
		rc = take(fd, size, limit, fn, ctx, d->buf[s], f.res[s], total);
		if (rc == 2 && !queue_reads(d, fd, size, &f))
			rc = -1;
	}
	/* the reads still in flight are not wanted: their answers taken, so
	 * that the buffers are free and the ring empty for the next file */
	int e = errno;
	for (int s = 0; s < RS_DIRECT_DEPTH; s++)
		if (f.busy[s] && !wait_slot(d, s, f.res, f.done))
			rc = -1;
	errno = e;
	return rc;
}

int rs_direct_read(rs_direct *d, int fd, long long size, unsigned long long limit, rs_direct_fn fn, void *ctx,
		   unsigned long long *total)
{
	*total = 0;
	if (d->mode == RS_DIRECT_OFF || !rs_direct_set(fd, NULL))
		return 0; /* plain reads from offset 0 */
	atomic_fetch_add(&direct_files, 1);
	return d->ring_ok ? read_ring(d, fd, size, limit, fn, ctx, total) : read_sync(d, fd, size, limit, fn, ctx, total);
}

unsigned long long rs_direct_files(void)
{
	return atomic_load(&direct_files);
}
