/*
 * prefetch.h — asks the disk for the first bytes of many open files in
 * one system call (io_uring), for the readers of many files (the integrity
 * module's lanes, fim's hashers). Each file gets a read with RWF_NOWAIT: a
 * file in the page cache answers at once (its bytes land in a scratch
 * buffer), one that is not gets its read-ahead started (RS_PREFETCH_SPAN
 * bytes asked of the disk: the kernel's first read-ahead window of such a
 * read) and answers EAGAIN, nothing copied. Submitted together, the reads
 * of a batch reach the block layer under one plug: adjacent files are
 * merged into one request and a virtual disk is notified once per batch,
 * where one read-ahead system call per file costs a request and a
 * notification (a VM exit) each, and an interrupt each on completion.
 * Nothing is ever waited on but the answers of the batch (RWF_NOWAIT: a
 * FIFO put in a file's place answers at once too).
 * While the files are found in the page cache (a warm run) nothing is
 * asked: rs_prefetch_wanted turns false, and a reader that finds a file
 * not cached calls rs_prefetch_cold to turn it on again.
 * rs_io_uring_open sets up a ring the same way for every io_uring user
 * (here, vuln/osv_ring.c and vuln/appinv_ring.c).
 */
#ifndef RS_PREFETCH_H
#define RS_PREFETCH_H

#include <liburing.h>
#include <stdbool.h>

enum {
	RS_PREFETCH_BATCH = 64,         /* files a reader prefetches at once */
	RS_PREFETCH_READ = 128 << 10,   /* the read each file gets */
	RS_PREFETCH_SPAN = 512 << 10    /* what such a read asks of the disk */
};

typedef struct rs_prefetch {
	bool ok;              /* the ring is there (io_uring in the kernel, not RASOAT_IO_URING=0) */
	struct io_uring ring;
	unsigned char *junk;  /* RS_PREFETCH_READ bytes the reads of cached files land in */
	int cold;             /* > 0: files were lately not in the page cache */
	unsigned queued;      /* reads in the ring, not submitted yet */
} rs_prefetch;

/* Sets RING up with ENTRIES entries for one thread's use; false where
 * io_uring cannot be had or RASOAT_IO_URING=0 (the readers then take
 * their plain system calls; tests run both ways). */
bool rs_io_uring_open(struct io_uring *ring, unsigned entries);

/* For the rings that open, read and close batches of files (vuln/osv_ring.c,
 * vuln/appinv_ring.c): each request's answer goes to RES[SLOT], its user
 * data. rs_io_uring_tag sets SQE's slot (its answer -1 until it comes) and
 * adds FLAGS; rs_io_uring_run submits what is queued and waits for WANT
 * answers, storing each whose slot is below NRES. False when the ring
 * failed. */
void rs_io_uring_tag(struct io_uring_sqe *sqe, int *res, unsigned slot, unsigned char flags);
bool rs_io_uring_run(struct io_uring *ring, unsigned want, int *res, unsigned nres);

/* The slots of such a batch: file I's answers stand at
 * RES[RS_RING_STEPS * I + step]. */
enum { RS_RING_OPEN, RS_RING_READ, RS_RING_CLOSE, RS_RING_STEPS };

/* Queues, for the batch's file I open as FD, a read of LEN bytes at offset 0
 * into BUF (none when BUF is NULL) hard-linked to FD's close, so the close
 * runs whatever the read gives; returns the requests queued (1 or 2). */
unsigned rs_io_uring_read_close(struct io_uring *ring, int *res, unsigned i, int fd, void *buf, unsigned len);

/* Closes here the files of the batch's first N that were opened and whose
 * close is not known to have run (after a failed rs_io_uring_run). */
void rs_io_uring_close_left(const int *res, unsigned n);

/* Sets P up; P->ok false where io_uring cannot be had (then every call
 * below does nothing) or RASOAT_IO_URING=0 (tests run both ways). One
 * thread only uses P. */
void rs_prefetch_init(rs_prefetch *p);
void rs_prefetch_free(rs_prefetch *p);

/* True when files should be prefetched: lately found not cached. */
bool rs_prefetch_wanted(const rs_prefetch *p);

/* A reader found a file not in the page cache: prefetch again. */
void rs_prefetch_cold(rs_prefetch *p);

/* Queues the read of the first bytes of FD (SIZE bytes long; it must stay
 * open until rs_prefetch_submit; a full ring is submitted first). False
 * when P does nothing. */
bool rs_prefetch_add(rs_prefetch *p, int fd, long long size);

/* Closes FD with the next submission (one system call for a batch of
 * closes and reads; submitted at once when the ring is full); at once with
 * close(2) where P does nothing. FD's number stays taken until then. */
void rs_prefetch_close(rs_prefetch *p, int fd);

/* Submits the queued reads and closes in one system call and takes their
 * answers. */
void rs_prefetch_submit(rs_prefetch *p);

#endif
