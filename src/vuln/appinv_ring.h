/*
 * appinv_ring.h — the application inventory's declaring files read many at
 * a time through io_uring (appinv_ring.c), the way osv_ring.c reads an OSV
 * folder: the opens of a batch in one system call (openat2 beneath the
 * walked directory, no symlink anywhere on the way, O_NONBLOCK), each
 * open file fstat'ed, then the reads of the regular ones and every close
 * in one more, where the plain reader makes four calls a file. A file the
 * batch could not read whole (not opened, not regular, larger than
 * RS_APP_RING_MAX_FILE, grown or shrunk between the fstat and the read, an
 * error) is left to the caller's plain reader, which checks it again and
 * warns as it always did. RASOAT_IO_URING=0, or a kernel that refuses
 * io_uring or its openat2, leaves every file to the plain reader.
 */
#ifndef RS_VULN_APPINV_RING_H
#define RS_VULN_APPINV_RING_H

#include "core/prefetch.h"

#include <liburing.h>
#include <stdbool.h>
#include <stddef.h>

enum {
	RS_APP_RING_BATCH = 64,              /* files in one submission */
	RS_APP_RING_MAX_FILE = 4 << 20       /* a larger file is read plainly */
};

typedef struct rs_app_ring {
	bool ok;                     /* io_uring is there (not RASOAT_IO_URING=0) */
	struct io_uring ring;
	char *buf;                   /* the batch's files, one after the other, each NUL-terminated */
	size_t cap;
	int res[RS_RING_STEPS * RS_APP_RING_BATCH]; /* each file's answers: open, read, close */
	long long size[RS_APP_RING_BATCH];   /* its fstat size; -1: not read */
	size_t off[RS_APP_RING_BATCH];       /* where its bytes start in buf */
} rs_app_ring;

/* Sets R up; R->ok false where io_uring cannot be had or RASOAT_IO_URING=0. */
void rs_app_ring_init(rs_app_ring *r);
void rs_app_ring_free(rs_app_ring *r);

/* Reads the files REL[0..N) (N <= RS_APP_RING_BATCH; paths relative to
 * DIRFD, resolved beneath it without symlinks). Afterwards
 * rs_app_ring_text tells, for each, its text or that it is to be read
 * plainly. R->ok turns false when the ring failed or the kernel has no
 * openat2 in it; every file of that batch is then left to the plain reader. */
void rs_app_ring_read(rs_app_ring *r, int dirfd, const char *const *rel, unsigned n);

/* The text of file I of the last batch (NUL-terminated, LEN bytes), valid
 * until the next batch; NULL: read it plainly. */
const char *rs_app_ring_text(const rs_app_ring *r, unsigned i, size_t *len);

#endif
