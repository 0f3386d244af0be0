/*
 * prefetch.c — the first bytes of many files asked of the disk in one
 * io_uring submission (see prefetch.h).
 */
#include "core/prefetch.h"
#include "core/util.h"

#include <errno.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

enum { READ = 0, CLOSE = 1 }; /* what an answer is for (its user data) */

bool rs_io_uring_open(struct io_uring *ring, unsigned entries)
{
	const char *env = getenv("RASOAT_IO_URING");
	if (env && strcmp(env, "0") == 0)
		return false;
	/* one thread submits: the kernel may skip its locking (newer kernels) */
	return io_uring_queue_init(entries, ring, IORING_SETUP_SINGLE_ISSUER) == 0 ||
	       io_uring_queue_init(entries, ring, 0) == 0;
}

void rs_io_uring_tag(struct io_uring_sqe *sqe, int *res, unsigned slot, unsigned char flags)
{
	io_uring_sqe_set_data64(sqe, slot);
	sqe->flags |= flags;
	res[slot] = -1;
}

bool rs_io_uring_run(struct io_uring *ring, unsigned want, int *res, unsigned nres)
{
	if (io_uring_submit_and_wait(ring, want) < 0)
		return false;
	unsigned got = 0;
	while (got < want) {
		struct io_uring_cqe *cqe;
		if (io_uring_wait_cqe(ring, &cqe) != 0)
			return false;
		unsigned head, seen = 0;
		io_uring_for_each_cqe(ring, head, cqe) {
			unsigned long long slot = io_uring_cqe_get_data64(cqe);
			if (slot < nres)
				res[slot] = cqe->res;
			seen++;
		}
		io_uring_cq_advance(ring, seen);
		got += seen;
	}
	return true;
}

unsigned rs_io_uring_read_close(struct io_uring *ring, int *res, unsigned i, int fd, void *buf, unsigned len)
{
	unsigned queued = 0;
	if (buf) {
		struct io_uring_sqe *s = io_uring_get_sqe(ring);
		io_uring_prep_read(s, fd, buf, len, 0);
		rs_io_uring_tag(s, res, RS_RING_STEPS * i + RS_RING_READ, IOSQE_IO_HARDLINK);
		queued++;
	}
	struct io_uring_sqe *s = io_uring_get_sqe(ring);
	io_uring_prep_close(s, fd);
	rs_io_uring_tag(s, res, RS_RING_STEPS * i + RS_RING_CLOSE, 0);
	return queued + 1;
}

void rs_io_uring_close_left(const int *res, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		int fd = res[RS_RING_STEPS * i + RS_RING_OPEN];
		if (fd >= 0 && res[RS_RING_STEPS * i + RS_RING_CLOSE] < 0)
			close(fd);
	}
}

void rs_prefetch_init(rs_prefetch *p)
{
	memset(p, 0, sizeof(*p));
	/* a batch of reads, and as many closes */
	p->ok = rs_io_uring_open(&p->ring, 2 * RS_PREFETCH_BATCH);
	if (!p->ok)
		return;
	p->junk = rs_malloc(RS_PREFETCH_READ);
	rs_prefetch_cold(p); /* until files are found cached */
}

void rs_prefetch_free(rs_prefetch *p)
{
	if (!p->ok)
		return;
	rs_prefetch_submit(p);
	io_uring_queue_exit(&p->ring);
	free(p->junk);
	p->ok = false;
}

bool rs_prefetch_wanted(const rs_prefetch *p)
{
	return p->ok && p->cold > 0;
}

void rs_prefetch_cold(rs_prefetch *p)
{
	p->cold = 2 * RS_PREFETCH_BATCH;
}

bool rs_prefetch_add(rs_prefetch *p, int fd, long long size)
{
	if (!p->ok)
		return false;
	struct io_uring_sqe *sqe = io_uring_get_sqe(&p->ring);
	if (!sqe) {
		rs_prefetch_submit(p); /* the ring is full */
		sqe = io_uring_get_sqe(&p->ring);
	}
	if (!sqe)
		return false;
	unsigned len = size > 0 && size < RS_PREFETCH_READ ? (unsigned)size : RS_PREFETCH_READ;
	/* the reads of a batch share the scratch buffer: what lands there is never looked at */
	io_uring_prep_read(sqe, fd, p->junk, len, 0);
	sqe->rw_flags = RWF_NOWAIT;
	io_uring_sqe_set_data64(sqe, READ);
	p->queued++;
	return true;
}

void rs_prefetch_close(rs_prefetch *p, int fd)
{
	if (!p->ok) {
		close(fd);
		return;
	}
	struct io_uring_sqe *sqe = io_uring_get_sqe(&p->ring);
	if (!sqe) {
		rs_prefetch_submit(p);
		sqe = io_uring_get_sqe(&p->ring);
	}
	if (!sqe) {
		close(fd);
		return;
	}
	io_uring_prep_close(sqe, fd);
	io_uring_sqe_set_data64(sqe, CLOSE);
	p->queued++;
}

void rs_prefetch_submit(rs_prefetch *p)
{
	if (!p->ok || !p->queued)
		return;
	/* RWF_NOWAIT reads answer during the submission: the wait is for
	 * answers already there */
	int rc;
	do
		rc = io_uring_submit_and_wait(&p->ring, p->queued);
	while (rc == -EINTR);
	p->queued = 0;
	struct io_uring_cqe *cqe;
	unsigned head, seen = 0;
	io_uring_for_each_cqe(&p->ring, head, cqe) {
		/* EAGAIN: read-ahead started, keep on; a cached file wears it down */
		if (io_uring_cqe_get_data64(cqe) == CLOSE)
			;
		else if (cqe->res == -EAGAIN)
			rs_prefetch_cold(p);
		else if (p->cold > 0)
			p->cold--;
		seen++;
	}
	io_uring_cq_advance(&p->ring, seen);
}
