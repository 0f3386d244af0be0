/*
 * osv_ring.h — the records of one folder read many at a time through
 * io_uring (osv_ring.c): the opens of a batch of files submitted in one
 * system call, then each open file fstat'ed, then their reads and closes
 * in one more, where the plain reader makes four calls a file (on this kind of machine each call
 * costs a microsecond or two before it does anything). rs_osv_folder_read
 * uses it; RASOAT_IO_URING=0, or a kernel that refuses io_uring, leaves
 * the plain reader (rs_osv_read_file) doing every file.
 */
#ifndef RS_VULN_OSV_RING_H
#define RS_VULN_OSV_RING_H

#include "vuln/vuln.h"

#include <liburing.h>
#include <stdbool.h>

enum {
	RS_OSV_RING_BATCH = 64,        /* files in one submission */
	RS_OSV_RING_READ = 32 << 10    /* a file's one read; a larger file is read plainly */
};

typedef struct rs_osv_ring {
	bool ok;                /* io_uring is there (not RASOAT_IO_URING=0) */
	struct io_uring ring;
	char *buf;              /* RS_OSV_RING_BATCH reads of RS_OSV_RING_READ bytes */
	long long *size;        /* each file's size by fstat; -1: not read */
	int *res;               /* each file's answers: [RS_RING_STEPS * i + step] */
} rs_osv_ring;

/* Sets R up; R->ok false where io_uring cannot be had or RASOAT_IO_URING=0. */
void rs_osv_ring_init(rs_osv_ring *r);
void rs_osv_ring_free(rs_osv_ring *r);

/* Reads the files NAMES[0..N) (N <= RS_OSV_RING_BATCH) of the folder DIRFD
 * (named DIRPATH in messages) in order, their records to CB. A file whose
 * fstat says it is a regular file and whose one read gave exactly its
 * size is parsed from that read; any other (a FIFO or device swapped in,
 * a symlink, a file larger than the read, an error) is handed to the
 * plain reader, which checks it and warns as it always did. */
void rs_osv_ring_read(rs_osv_ring *r, int dirfd, const char *dirpath, char *const *names, size_t n,
		      rs_vuln_record_cb cb, void *ctx, rs_feed_stats *stats);

#endif
