/*
 * osv_ring.c — OSV records of a folder read in batches through io_uring
 * (see osv_ring.h). A batch is two submissions: the opens of its files
 * (O_NOFOLLOW | O_NONBLOCK: no symlink followed, and a FIFO put in a
 * file's place after the listing never blocks), then, once each open file
 * has been fstat'ed and found regular, one bounded read of each and its
 * close (hard-linked: the close runs whatever the read gave). A file that
 * is not regular is closed unread. The bytes are used only when the read
 * returned exactly the fstat's size; any other file (not opened, not
 * regular, larger than the read, an error) goes to the plain reader, so
 * that errors and warnings are those of rs_osv_read_file. io_uring has no
 * fstat of an open file: its statx by name would not say what was opened
 * and runs in a kernel worker thread; one fstat call a file is cheaper.
 */
#include "vuln/osv_ring.h"
#include "vuln/osv_internal.h"
#include "core/prefetch.h"
#include "core/util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>


void rs_osv_ring_init(rs_osv_ring *r)
{
	memset(r, 0, sizeof(*r));
	if (!rs_io_uring_open(&r->ring, 2 * RS_OSV_RING_BATCH))
		return;
	r->buf = rs_malloc((size_t)RS_OSV_RING_BATCH * RS_OSV_RING_READ);
	r->size = rs_calloc(RS_OSV_RING_BATCH, sizeof(*r->size));
	r->res = rs_calloc((size_t)RS_RING_STEPS * RS_OSV_RING_BATCH, sizeof(*r->res));
	r->ok = true;
}

void rs_osv_ring_free(rs_osv_ring *r)
{
	if (!r->ok)
		return;
	io_uring_queue_exit(&r->ring);
	free(r->buf);
	free(r->size);
	free(r->res);
	r->ok = false;
}

/* Opens files NAMES[0..N) of DIRFD, then reads and closes those that are
 * regular files smaller than the read; false when the ring failed (every
 * file open then is closed). */
static bool read_batch(rs_osv_ring *r, int dirfd, char *const *names, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		struct io_uring_sqe *s = io_uring_get_sqe(&r->ring);
		io_uring_prep_openat(s, dirfd, names[i], O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0);
		rs_io_uring_tag(s, r->res, RS_RING_STEPS * i + RS_RING_OPEN, 0);
		r->res[RS_RING_STEPS * i + RS_RING_READ] = -1;
		r->size[i] = -1;
	}
	bool ok = rs_io_uring_run(&r->ring, n, r->res, RS_RING_STEPS * RS_OSV_RING_BATCH);
	unsigned want = 0;
	for (unsigned i = 0; i < n; i++) {
		int fd = r->res[RS_RING_STEPS * i + RS_RING_OPEN];
		if (fd < 0)
			continue;
		struct stat st;
		char *buf = NULL;
		if (ok && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size < RS_OSV_RING_READ) {
			r->size[i] = (long long)st.st_size;
			buf = r->buf + (size_t)i * RS_OSV_RING_READ;
		}
		want += rs_io_uring_read_close(&r->ring, r->res, i, fd, buf, RS_OSV_RING_READ);
	}
	if (want && !rs_io_uring_run(&r->ring, want, r->res, RS_RING_STEPS * RS_OSV_RING_BATCH)) {
		rs_io_uring_close_left(r->res, n);
		return false;
	}
	return ok;
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
	bool ok = r->ok && n <= RS_OSV_RING_BATCH && read_batch(r, dirfd, names, (unsigned)n);
	for (size_t i = 0; i < n; i++) {
		path_of(&path, dirpath, names[i]);
		int got = ok ? r->res[RS_RING_STEPS * i + RS_RING_READ] : -1;
		if (got >= 0 && (long long)got == r->size[i])
			rs_osv_parse(r->buf + i * RS_OSV_RING_READ, (size_t)got, path.data, cb, ctx, stats);
		else
			rs_osv_read_file(dirfd, names[i], path.data, cb, ctx, stats);
	}
	rs_buf_free(&path);
}
