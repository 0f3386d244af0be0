/*
 * direct.h — reading a whole file around the page cache (O_DIRECT), for
 * the readers that hash large files once (fim's hashers; the integrity
 * module may adopt it). Read through the page cache, a file not cached
 * costs the kernel the cache's fill and a copy of every page into the
 * reader's buffer: measured over 2 GB of large files evicted from the
 * cache (dd), 1.4–2.4 s of system time at 256 KB per read against 0.34 s
 * with O_DIRECT at 1 MB per read. Here the file's reads go from the disk
 * straight into aligned buffers, RS_DIRECT_DEPTH - 1 reads in flight
 * (io_uring) while the caller digests a piece; without io_uring, one read at a time.
 *
 * Only for files mostly not in the page cache (rs_direct_wanted asks
 * core/pagecache.h: cachestat, which reads nothing, or before Linux 6.5 a
 * RWF_NOWAIT read of the first byte): a cached file is read faster from
 * memory; nor for a file with other hard links, whose other names would
 * each read it from the disk again. Where O_DIRECT is refused (a file
 * system without it) or a read does not end where the file's size said
 * (the file changed under the reader), the file is handed back, its
 * offset set, for plain reads to go on: the bytes digested are the file's
 * bytes either way.
 * The environment's RASOAT_DIRECT=0 turns it off, RASOAT_DIRECT=force on
 * for every file whatever its size and cache state (tests, measurements).
 */
#ifndef RS_DIRECT_H
#define RS_DIRECT_H

#include <liburing.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

enum {
	RS_DIRECT_CHUNK = 1 << 20,  /* bytes per read */
	RS_DIRECT_DEPTH = 4,        /* buffers: reads in flight, one being digested */
	RS_DIRECT_MIN = 1 << 20,    /* smaller files are read through the page cache */
	RS_DIRECT_ALIGN = 4096      /* of buffers and offsets */
};

typedef enum { RS_DIRECT_OFF, RS_DIRECT_AUTO, RS_DIRECT_FORCE } rs_direct_mode;

typedef struct rs_direct {
	rs_direct_mode mode;
	bool ring_ok;
	struct io_uring ring;
	unsigned char *buf[RS_DIRECT_DEPTH]; /* RS_DIRECT_CHUNK bytes each, aligned */
} rs_direct;

/* The mode the environment asks for (RASOAT_DIRECT), AUTO when unset. */
rs_direct_mode rs_direct_mode_env(void);

/* The decision for both readers around the page cache (this one, and the
 * integrity lanes' integrity/verify_direct.c), for the regular file FD of
 * SIZE bytes with NLINK names (its stat's st_nlink), MIN the reader's own
 * least size:
 * rs_direct_candidate: by MODE and the stat alone, nothing asked of the
 * kernel: FORCE any file, OFF none; AUTO a file of MIN bytes or more with
 * one name. A file with other hard links is read through the page cache,
 * so that its other names are then read from memory, not from the disk
 * once per name (Debian's mesa ships one 25.7 MB driver under 13 names:
 * 309 MB of a 6.4 GB cold integrity run when each went direct).
 * rs_direct_wanted: a candidate that (AUTO) is also COLD by
 * rs_pagecache_probe; a file whose state the kernel cannot tell is read
 * through the page cache, as before this reader.
 * rs_direct_set: sets O_DIRECT on FD once its own fstat (into *ST when not
 * NULL) says it is a regular file — a FIFO takes O_DIRECT too, as packet
 * mode, and a read of it would wait for a writer — and clears O_NONBLOCK,
 * for which io_uring answers EAGAIN where a direct read has to wait.
 * False when FD is not a regular file or O_DIRECT is refused.
 * rs_direct_unset: plain reads again, from offset OFF (O_DIRECT cleared,
 * O_NONBLOCK back); 0 or -1. */
bool rs_direct_candidate(rs_direct_mode mode, long long size, unsigned long nlink, long long min);
bool rs_direct_wanted(rs_direct_mode mode, int fd, long long size, unsigned long nlink, long long min);
bool rs_direct_set(int fd, struct stat *st);
int rs_direct_unset(int fd, long long off);

/* Sets D up for one thread's use in MODE (OFF: every call below does
 * nothing); rs_direct_free releases it. */
void rs_direct_init(rs_direct *d, rs_direct_mode mode);
void rs_direct_free(rs_direct *d);

/* Reads FD (SIZE bytes by its fstat) from offset 0, handing each piece to
 * FN in order, until the end of the file or until more than LIMIT bytes
 * were handed; *TOTAL: the bytes handed. Returns 1 when that is done, 0
 * when the caller is to go on with plain read(2)s from *TOTAL (FD's
 * offset is set there and O_DIRECT cleared: refused, or the file did not
 * end at SIZE), -1 on a read error (errno set). */
typedef void (*rs_direct_fn)(void *ctx, const unsigned char *data, size_t len);
int rs_direct_read(rs_direct *d, int fd, long long size, unsigned long long limit, rs_direct_fn fn, void *ctx,
		   unsigned long long *total);

/* Files rs_direct_read set O_DIRECT on in this process so far (tests). */
unsigned long long rs_direct_files(void);

#endif
