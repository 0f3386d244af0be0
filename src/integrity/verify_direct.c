/*
 * verify_direct.c — large cold package files read with O_DIRECT through
 * io_uring into the lanes' aligned buffers (see verify_direct.h).
 *
 * Which files go direct is core/direct.h's rs_direct_wanted, as for fim's
 * reader: RS_VDIRECT_MIN bytes or more, one name (a file with other hard
 * links is read through the page cache, its other names then from
 * memory), and cold by core/pagecache.h (cachestat, or a RWF_NOWAIT read
 * of its first byte; a file whose state the kernel cannot tell is read
 * through the page cache as before). Before
 * O_DIRECT is set, the opened file's own fstat must say it is a regular
 * file (a FIFO takes O_DIRECT too, as "packet mode", and an io_uring read
 * of it would wait for a writer); O_NONBLOCK is cleared with it (io_uring
 * would otherwise answer EAGAIN where a direct read has to wait).
 */
#include "integrity/verify_direct.h"
#include "core/prefetch.h"
#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#define ALIGN 4096
#define ROOM (RS_VDIRECT_CHUNK + ALIGN) /* a buffer and MD5's padding after it, aligned */

static atomic_ullong direct_files;

void rs_vdirect_init(rs_vdirect *d)
{
	memset(d, 0, sizeof(*d));
	d->mode = rs_direct_mode_env();
}

void rs_vdirect_free(rs_vdirect *d)
{
	if (d->ready)
		io_uring_queue_exit(&d->ring);
	free(d->mem);
	d->mem = NULL;
	d->ready = false;
}

/* The ring and the buffers, the first time a file goes direct. */
static bool setup(rs_vdirect *d)
{
	if (d->ready)
		return true;
	if (!rs_io_uring_open(&d->ring, 2 * RS_VDIRECT_SLOTS)) {
		d->mode = RS_DIRECT_OFF;
		return false;
	}
	d->mem = aligned_alloc(ALIGN, (size_t)2 * RS_VDIRECT_SLOTS * ROOM);
	if (!d->mem) {
		io_uring_queue_exit(&d->ring);
		d->mode = RS_DIRECT_OFF;
		return false;
	}
	/* the buffers registered with the ring: pinned once, not at each
	 * read (the pinning was half the direct reads' kernel time in a cold
	 * profile); where the locked-memory limit refuses it, plain reads
	 * into them */
	struct iovec iov[2 * RS_VDIRECT_SLOTS];
	for (int b = 0; b < 2 * RS_VDIRECT_SLOTS; b++)
		iov[b] = (struct iovec){ .iov_base = d->mem + (size_t)b * ROOM, .iov_len = ROOM };
	d->fixed = io_uring_register_buffers(&d->ring, iov, 2 * RS_VDIRECT_SLOTS) == 0;
	d->ready = true;
	return true;
}

bool rs_vdirect_begin(rs_vdirect *d, int fd, struct stat *st, bool *confirmed)
{
	if (!rs_direct_wanted(d->mode, fd, (long long)st->st_size, (unsigned long)st->st_nlink, RS_VDIRECT_MIN))
		return false;
	struct stat own;
	if (!setup(d) || !rs_direct_set(fd, &own))
		return false; /* not a regular file (the lanes' reads find out what it is),
			       * or a file system without O_DIRECT: read as before */
	*st = own;
	*confirmed = true;
	atomic_fetch_add(&direct_files, 1);
	return true;
}

void rs_vdirect_end(int fd, off_t off)
{
	/* the direct reads gave offsets; buffered ones read on from here (a
	 * failure shows in those reads) */
	(void)rs_direct_unset(fd, (long long)off);
}

unsigned char *rs_vdirect_buf(rs_vdirect *d, int slot, int k)
{
	return d->mem + ((size_t)slot * 2 + (size_t)k) * ROOM;
}

void rs_vdirect_submit(rs_vdirect *d, int slot, int fd, int k, off_t off)
{
	d->inflight[slot] = true;
	d->arrived[slot] = false;
	struct io_uring_sqe *sqe = io_uring_get_sqe(&d->ring);
	if (sqe) {
		if (d->fixed)
			io_uring_prep_read_fixed(sqe, fd, rs_vdirect_buf(d, slot, k), RS_VDIRECT_CHUNK,
						 (unsigned long long)off, slot * 2 + k);
		else
			io_uring_prep_read(sqe, fd, rs_vdirect_buf(d, slot, k), RS_VDIRECT_CHUNK,
					   (unsigned long long)off);
		io_uring_sqe_set_data64(sqe, (unsigned long long)slot);
		if (io_uring_submit(&d->ring) >= 1)
			return;
	}
	/* not asked (the ring holds one read per slot, so this is a failing
	 * ring): the reader falls back to reading through the page cache */
	d->arrived[slot] = true;
	d->res[slot] = -EAGAIN;
}

/* Takes the answers that have come; with WAIT_SLOT >= 0, until that
 * slot's has. */
static void reap(rs_vdirect *d, int wait_slot)
{
	for (;;) {
		struct io_uring_cqe *cqe;
		bool wait = wait_slot >= 0 && !d->arrived[wait_slot];
		int rc = wait ? io_uring_wait_cqe(&d->ring, &cqe) : io_uring_peek_cqe(&d->ring, &cqe);
		if (rc == -EINTR)
			continue;
		if (rc < 0) {
			if (wait) { /* the ring fails: that read is given up, and no
				     * file goes direct any more (its buffer may still
				     * be written: it is not used again) */
				d->arrived[wait_slot] = true;
				d->res[wait_slot] = -EIO;
				d->mode = RS_DIRECT_OFF;
			}
			return;
		}
		unsigned long long slot = io_uring_cqe_get_data64(cqe);
		if (slot < RS_VDIRECT_SLOTS) {
			d->arrived[slot] = true;
			d->res[slot] = cqe->res;
		}
		io_uring_cqe_seen(&d->ring, cqe);
	}
}

bool rs_vdirect_take(rs_vdirect *d, int slot, bool wait, int *res)
{
	if (!d->arrived[slot])
		reap(d, wait ? slot : -1);
	if (!d->arrived[slot])
		return false;
	*res = d->res[slot];
	d->inflight[slot] = d->arrived[slot] = false;
	return true;
}

unsigned long long rs_vdirect_files(void)
{
	return atomic_load(&direct_files);
}
