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
 * Only for files mostly not in the page cache (rs_direct_wanted asks the
 * kernel with cachestat, which reads nothing): a cached file is read
 * faster from memory. Where O_DIRECT is refused (a file system without
 * it) or a read does not end where the file's size said (the file changed
 * under the reader), the file is handed back, its offset set, for plain
 * reads to go on: the bytes digested are the file's bytes either way.
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

/* The pieces both readers around the page cache use (this one, and the
 * integrity lanes' integrity/verify_direct.c):
 * rs_direct_cold: true when fewer than half of the SIZE bytes of the file
 * FD are in the page cache, asked of the kernel with cachestat(2), which
 * reads nothing and starts no read-ahead; false when the kernel cannot
 * tell, errno then set (ENOSYS before Linux 6.5).
 * rs_direct_set: sets O_DIRECT on FD once its own fstat (into *ST when not
 * NULL) says it is a regular file — a FIFO takes O_DIRECT too, as packet
 * mode, and a read of it would wait for a writer — and clears O_NONBLOCK,
 * for which io_uring answers EAGAIN where a direct read has to wait.
 * False when FD is not a regular file or O_DIRECT is refused.
 * rs_direct_unset: plain reads again, from offset OFF (O_DIRECT cleared,
 * O_NONBLOCK back); 0 or -1. */
bool rs_direct_cold(int fd, long long size);
bool rs_direct_set(int fd, struct stat *st);
int rs_direct_unset(int fd, long long off);

/* Sets D up for one thread's use in MODE (OFF: every call below does
 * nothing; AUTO turns OFF where the kernel has no cachestat, before Linux
 * 6.5); rs_direct_free releases it. */
void rs_direct_init(rs_direct *d, rs_direct_mode mode);
void rs_direct_free(rs_direct *d);

/* True when the regular file FD of SIZE bytes should be read by
 * rs_direct_read: at least RS_DIRECT_MIN bytes and less than half of them
 * in the page cache (any file under RS_DIRECT_FORCE). */
bool rs_direct_wanted(const rs_direct *d, int fd, long long size);

/* Reads FD (SIZE bytes by its fstat) from offset 0, handing each piece to
 * FN in order, until the end of the file or until more than LIMIT bytes
 * were handed; *TOTAL: the bytes handed. Returns 1 when that is done, 0
 * when the caller is to go on with plain read(2)s from *TOTAL (FD's
 * offset is set there and O_DIRECT cleared: refused, or the file did not
 * end at SIZE), -1 on a read error (errno set). */
typedef void (*rs_direct_fn)(void *ctx, const unsigned char *data, size_t len);
int rs_direct_read(rs_direct *d, int fd, long long size, unsigned long long limit, rs_direct_fn fn, void *ctx,
		   unsigned long long *total);

#endif
