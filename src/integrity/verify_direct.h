/*
 * verify_direct.h — reading the integrity module's large cold files with
 * O_DIRECT through io_uring, for the lanes worker (verify_lanes.c). A file
 * that is read from the disk anyway is read straight into the lane's own
 * aligned buffers: no copy out of the page cache (a third of a cold run's
 * CPU time with buffered reads) and no page-cache pages to allocate,
 * insert and later evict for gigabytes that are read once. Each lane
 * (a slot here) has two buffers: one is hashed while the next chunk of
 * the file is read into the other. Files in the page cache, small files
 * (which the batched prefetch merges into few requests) and anything
 * O_DIRECT is refused for are read as before.
 *
 * RASOAT_DIRECT=0 turns it off; RASOAT_DIRECT=force reads every regular file
 * this way whatever its size and cache state (tests, measurements).
 */
#ifndef RS_VERIFY_DIRECT_H
#define RS_VERIFY_DIRECT_H

#include "core/direct.h"
#include "core/md5x.h"

#include <liburing.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <sys/types.h>

enum {
	RS_VDIRECT_SLOTS = RS_MD5X_LANES,
	RS_VDIRECT_CHUNK = 256 << 10,   /* one read; a multiple of 64 and of any block size */
	RS_VDIRECT_MIN = 128 << 10      /* smaller files are read through the page cache */
};


typedef struct rs_vdirect {
	rs_direct_mode mode;      /* core/direct.h's, from RASOAT_DIRECT */
	bool ready;                /* the ring and buffers are set up */
	bool fixed;                /* the buffers are registered with the ring */
	struct io_uring ring;
	unsigned char *mem;        /* 2 buffers per slot, aligned */
	bool inflight[RS_VDIRECT_SLOTS];
	bool arrived[RS_VDIRECT_SLOTS];
	int res[RS_VDIRECT_SLOTS];  /* the arrived read's answer: bytes or -errno */
} rs_vdirect;

/* Sets D up (RASOAT_DIRECT read; nothing allocated until a file needs it). */
void rs_vdirect_init(rs_vdirect *d);
/* Frees D; no read may be in flight. */
void rs_vdirect_free(rs_vdirect *d);

/* For the regular file FD just opened (ST its lstat, or its fstat when
 * *CONFIRMED): true when it is to be read with O_DIRECT, which is then set
 * on FD (ST is then FD's own fstat, *CONFIRMED true). False (FD as it
 * was) when it is small, mostly in the page cache, has other hard links
 * (RASOAT_DIRECT=auto: read through the page cache, the other names of it
 * are then read from memory, not from the disk again: Debian's mesa
 * ships one 25 MB driver under 13 names), not a regular file, or O_DIRECT
 * cannot be had. */
bool rs_vdirect_begin(rs_vdirect *d, int fd, struct stat *st, bool *confirmed);

/* FD is read through the page cache again (after a read O_DIRECT refused
 * or a file that changed while read), from file offset OFF. */
void rs_vdirect_end(int fd, off_t off);

/* Slot SLOT's buffer K (0 or 1): RS_VDIRECT_CHUNK bytes and room for MD5's
 * padding after them. */
unsigned char *rs_vdirect_buf(rs_vdirect *d, int slot, int k);

/* Asks for RS_VDIRECT_CHUNK bytes of FD at OFF into slot SLOT's buffer K.
 * If it cannot be asked, the slot's answer is -EAGAIN at once. */
void rs_vdirect_submit(rs_vdirect *d, int slot, int fd, int k, off_t off);

/* True when slot SLOT's read has its answer (*RES: bytes or -errno; the
 * slot is then free); with WAIT, waits for it. */
bool rs_vdirect_take(rs_vdirect *d, int slot, bool wait, int *res);

/* Files read with O_DIRECT in this process so far (tests). */
unsigned long long rs_vdirect_files(void);

#endif
