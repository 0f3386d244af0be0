/*
 * prefetch.c — the first bytes of many files asked of the disk in one
 * io_uring submission (see prefetch.h).
 */
#include "core/prefetch.h"
#include "core/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void rs_prefetch_init(rs_prefetch *p)
{
	memset(p, 0, sizeof(*p));
	const char *env = getenv("RASOAT_IO_URING");
	if (env && strcmp(env, "0") == 0)
		return;
	p->ok = io_uring_queue_init(RS_PREFETCH_BATCH, &p->ring, IORING_SETUP_SINGLE_ISSUER) == 0 ||
		io_uring_queue_init(RS_PREFETCH_BATCH, &p->ring, 0) == 0;
	if (!p->ok)
		return;
	p->junk = rs_malloc(RS_PREFETCH_READ);
	p->cold = 2 * RS_PREFETCH_BATCH; /* until files are found cached */
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
	if (!p->ok || p->queued >= RS_PREFETCH_BATCH)
		return false;
	struct io_uring_sqe *sqe = io_uring_get_sqe(&p->ring);
	if (!sqe)
		return false;
	unsigned len = size > 0 && size < RS_PREFETCH_READ ? (unsigned)size : RS_PREFETCH_READ;
	/* the reads of a batch share the scratch buffer: what lands there is never looked at */
	io_uring_prep_read(sqe, fd, p->junk, len, 0);
	sqe->rw_flags = RWF_NOWAIT;
	p->queued++;
	return true;
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
		if (cqe->res == -EAGAIN)
			rs_prefetch_cold(p);
		else if (p->cold > 0)
			p->cold--;
		seen++;
	}
	io_uring_cq_advance(&p->ring, seen);
}
