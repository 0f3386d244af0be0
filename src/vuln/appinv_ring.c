/*
 * appinv_ring.c — declaring files read in batches through io_uring (see
 * appinv_ring.h). A batch is two submissions: the opens of its files
 * (openat2 with RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS, O_NOFOLLOW |
 * O_NONBLOCK: nothing outside the walked directory, no symlink, and a FIFO
 * put in a file's place after the listing never blocks), then, once each
 * open file has been fstat'ed and found regular, one read of its size and
 * one byte more and its close (hard-linked: the close runs whatever the
 * read gave). A file that is not regular is closed unread. The bytes are
 * used only when the read returned exactly the fstat's size.
 */
#include "vuln/appinv_ring.h"
#include "core/prefetch.h"
#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* the bytes one batch reads at most; the files past it are read plainly */
#define APP_RING_BATCH_BYTES (16u << 20)

void rs_app_ring_init(rs_app_ring *r)
{
	memset(r, 0, sizeof(*r));
	r->ok = rs_io_uring_open(&r->ring, 2 * RS_APP_RING_BATCH);
}

void rs_app_ring_free(rs_app_ring *r)
{
	if (r->ok)
		io_uring_queue_exit(&r->ring);
	free(r->buf);
	memset(r, 0, sizeof(*r));
}

void rs_app_ring_read(rs_app_ring *r, int dirfd, const char *const *rel, unsigned n)
{
	for (unsigned i = 0; i < RS_APP_RING_BATCH; i++) {
		r->size[i] = -1;
		for (int s = 0; s < RS_RING_STEPS; s++)
			r->res[RS_RING_STEPS * i + s] = -1;
	}
	if (!r->ok || n > RS_APP_RING_BATCH || n == 0)
		return;
	struct open_how how;
	memset(&how, 0, sizeof(how));
	how.flags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY;
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
	for (unsigned i = 0; i < n; i++) {
		struct io_uring_sqe *s = io_uring_get_sqe(&r->ring);
		io_uring_prep_openat2(s, dirfd, rel[i], &how);
		rs_io_uring_tag(s, r->res, RS_RING_STEPS * i + RS_RING_OPEN, 0);
	}
	if (!rs_io_uring_run(&r->ring, n, r->res, RS_RING_STEPS * RS_APP_RING_BATCH)) {
		r->ok = false;
		rs_io_uring_close_left(r->res, n);
		return;
	}
	/* the sizes first, so that the buffer is sized once for the batch */
	size_t total = 0;
	for (unsigned i = 0; i < n; i++) {
		int fd = r->res[RS_RING_STEPS * i + RS_RING_OPEN];
		if (fd == -EINVAL || fd == -ENOSYS || fd == -EOPNOTSUPP)
			r->ok = false; /* no openat2 through the ring here: plain reads from now on */
		struct stat st;
		if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 0 ||
		    st.st_size > RS_APP_RING_MAX_FILE || total + (size_t)st.st_size + 1 > APP_RING_BATCH_BYTES)
			continue;
		r->size[i] = (long long)st.st_size;
		r->off[i] = total;
		total += (size_t)st.st_size + 1;
	}
	if (total > r->cap) {
		size_t cap = r->cap ? r->cap : 256 * 1024;
		while (cap < total)
			cap *= 2;
		free(r->buf);
		r->buf = rs_malloc(cap);
		r->cap = cap;
	}
	unsigned want = 0;
	for (unsigned i = 0; i < n; i++) {
		int fd = r->res[RS_RING_STEPS * i + RS_RING_OPEN];
		if (fd < 0)
			continue;
		/* one byte more than its size: a file that grew is not taken whole */
		bool wanted = r->size[i] >= 0;
		want += rs_io_uring_read_close(&r->ring, r->res, i, fd, wanted ? r->buf + r->off[i] : NULL,
					       wanted ? (unsigned)r->size[i] + 1 : 0);
	}
	if (want && !rs_io_uring_run(&r->ring, want, r->res, RS_RING_STEPS * RS_APP_RING_BATCH)) {
		r->ok = false;
		rs_io_uring_close_left(r->res, n);
		for (unsigned i = 0; i < n; i++)
			r->size[i] = -1;
		return;
	}
	for (unsigned i = 0; i < n; i++)
		if (r->size[i] >= 0 && r->res[RS_RING_STEPS * i + RS_RING_READ] == r->size[i])
			r->buf[r->off[i] + (size_t)r->size[i]] = '\0';
}

const char *rs_app_ring_text(const rs_app_ring *r, unsigned i, size_t *len)
{
	if (i >= RS_APP_RING_BATCH || r->size[i] < 0 || r->res[RS_RING_STEPS * i + RS_RING_READ] != r->size[i])
		return NULL;
	*len = (size_t)r->size[i];
	return r->buf + r->off[i];
}
