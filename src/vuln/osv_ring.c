/*
 * osv_ring.c — OSV records of a folder read in batches through io_uring
 * (see osv_ring.h). Each file's chain: statx (no symlink followed) →
 * openat into a fixed-file slot (never an fd of the process, so no
 * O_CLOEXEC, which the kernel refuses there; O_NOFOLLOW | O_NONBLOCK: a FIFO put in
 * its place after the listing never blocks the open or the read) → one
 * bounded read → close of the slot (hard-linked: it runs whatever the
 * read gave). The bytes are used only when the statx found a regular file
 * and the read returned exactly its size; anything else goes to the plain
 * reader, so that errors and warnings are those of rs_osv_read_file.
 */
#include "vuln/osv_ring.h"
#include "vuln/osv_internal.h"
#include "core/util.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

enum { STEP_STATX, STEP_OPEN, STEP_READ, STEP_CLOSE, STEPS };

void rs_osv_ring_init(rs_osv_ring *r)
{
	memset(r, 0, sizeof(*r));
	const char *env = getenv("RASOAT_IO_URING");
	if (env && strcmp(env, "0") == 0)
		return;
	unsigned entries = STEPS * RS_OSV_RING_BATCH;
	if (io_uring_queue_init(entries, &r->ring, IORING_SETUP_SINGLE_ISSUER) != 0 &&
	    io_uring_queue_init(entries, &r->ring, 0) != 0)
		return;
	if (io_uring_register_files_sparse(&r->ring, RS_OSV_RING_BATCH) != 0) {
		io_uring_queue_exit(&r->ring);
		return;
	}
	r->buf = rs_malloc((size_t)RS_OSV_RING_BATCH * RS_OSV_RING_READ);
	r->stx = rs_calloc(RS_OSV_RING_BATCH, sizeof(*r->stx));
	r->res = rs_calloc((size_t)STEPS * RS_OSV_RING_BATCH, sizeof(*r->res));
	r->ok = true;
}

void rs_osv_ring_free(rs_osv_ring *r)
{
	if (!r->ok)
		return;
	io_uring_queue_exit(&r->ring);
	free(r->buf);
	free(r->stx);
	free(r->res);
	r->ok = false;
}

/* Queues file I's chain; its answers land in r->res[STEPS * I + step]. */
static void queue_file(rs_osv_ring *r, int dirfd, const char *name, unsigned i)
{
	struct io_uring_sqe *s = io_uring_get_sqe(&r->ring);
	io_uring_prep_statx(s, dirfd, name, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT, STATX_TYPE | STATX_SIZE,
			    &r->stx[i]);
	io_uring_sqe_set_data64(s, STEPS * i + STEP_STATX);
	s->flags |= IOSQE_IO_LINK;
	s = io_uring_get_sqe(&r->ring);
	io_uring_prep_openat_direct(s, dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK, 0, i);
	io_uring_sqe_set_data64(s, STEPS * i + STEP_OPEN);
	s->flags |= IOSQE_IO_LINK;
	s = io_uring_get_sqe(&r->ring);
	io_uring_prep_read(s, (int)i, r->buf + (size_t)i * RS_OSV_RING_READ, RS_OSV_RING_READ, 0);
	io_uring_sqe_set_data64(s, STEPS * i + STEP_READ);
	s->flags |= IOSQE_FIXED_FILE | IOSQE_IO_HARDLINK;
	s = io_uring_get_sqe(&r->ring);
	io_uring_prep_close_direct(s, i);
	io_uring_sqe_set_data64(s, STEPS * i + STEP_CLOSE);
}

/* Submits what is queued and takes WANT answers; false when the ring failed
 * (then every file of the batch is read plainly: the chains' slots are
 * replaced by the next batch's opens). */
static bool run_batch(rs_osv_ring *r, unsigned want)
{
	int sub = io_uring_submit_and_wait(&r->ring, want);
	if (sub < 0)
		return false;
	unsigned got = 0;
	while (got < want) {
		struct io_uring_cqe *cqe;
		if (io_uring_wait_cqe(&r->ring, &cqe) != 0)
			return false;
		unsigned head, seen = 0;
		io_uring_for_each_cqe(&r->ring, head, cqe) {
			unsigned long long k = io_uring_cqe_get_data64(cqe);
			if (k < (unsigned long long)STEPS * RS_OSV_RING_BATCH)
				r->res[k] = cqe->res;
			seen++;
		}
		io_uring_cq_advance(&r->ring, seen);
		got += seen;
	}
	return true;
}

static void path_of(rs_buf *path, const char *dirpath, const char *name)
{
	path->len = 0;
	rs_buf_puts(path, dirpath);
	rs_buf_append(path, "/", 1);
	rs_buf_puts(path, name);
}

void rs_osv_ring_read(rs_osv_ring *r, int dirfd, const char *dirpath, char *const *names, size_t n,
		      rs_vuln_record_cb cb, void *ctx, rs_feed_stats *stats)
{
	rs_buf path;
	rs_buf_init(&path);
	bool ok = r->ok && n <= RS_OSV_RING_BATCH;
	if (ok) {
		for (unsigned i = 0; i < n; i++) {
			for (unsigned k = 0; k < STEPS; k++)
				r->res[STEPS * i + k] = -1;
			queue_file(r, dirfd, names[i], i);
		}
		ok = run_batch(r, (unsigned)(STEPS * n));
	}
	for (size_t i = 0; i < n; i++) {
		path_of(&path, dirpath, names[i]);
		const int *res = r->ok ? &r->res[STEPS * i] : NULL;
		if (ok && res[STEP_STATX] == 0 && res[STEP_OPEN] >= 0 && S_ISREG(r->stx[i].stx_mode) &&
		    res[STEP_READ] >= 0 && res[STEP_READ] < RS_OSV_RING_READ &&
		    (unsigned long long)res[STEP_READ] == r->stx[i].stx_size)
			rs_osv_parse(r->buf + i * RS_OSV_RING_READ, (size_t)res[STEP_READ], path.data, cb, ctx, stats);
		else
			rs_osv_read_file(dirfd, names[i], path.data, cb, ctx, stats);
	}
	rs_buf_free(&path);
}
