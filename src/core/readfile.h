/*
 * readfile.h — reading a whole file of rasoat's own (a configuration, a
 * scenario, a quarantine manifest, the journal) safely: a symlink is not
 * followed, a FIFO is not waited on, anything but a regular file is
 * refused, and the size is bounded. (Files of the scanned host go through
 * core/host.h.)
 */
#ifndef RS_READFILE_H
#define RS_READFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Reads NAME (relative to the directory DIRFD, or AT_FDCWD) whole, at most
 * MAX bytes, into *BUF (NUL-terminated, the caller frees it) and *LEN.
 * Returns 0, or -1 with errno: EINVAL when NAME is not a regular file,
 * ELOOP when it is a symlink, EFBIG when it is larger than MAX, else the
 * cause from open or read. */
int rs_read_regular_at(int dirfd, const char *name, size_t max, char **buf, size_t *len);

/* Reads FD from its offset to its end into *BUF, an allocation of *CAP
 * bytes (*BUF NULL and *CAP 0: none yet) that is grown as needed and stays
 * the caller's to reuse or free, also when this fails. SIZE is the file's
 * size by fstat, or 0 when not known (a /proc file): room for it is made
 * at once, and when it is known, a short read that brings the text to it
 * is the end (no read more to see end of file). At most MAX bytes: -1 with
 * errno EFBIG past that, or with the cause from read. The text is
 * NUL-terminated, its length in *LEN. */
int rs_read_fd_grow(int fd, size_t size, size_t max, char **buf, size_t *cap, size_t *len);

/* One read of at most LEN bytes of FD at its offset. While *NOWAIT is
 * true it asks with RWF_NOWAIT: only what the page cache holds now, -1
 * with errno EAGAIN when it holds nothing (the caller can ask for
 * read-ahead and come back). A kernel or file system that does not take
 * the flag sets *NOWAIT to false, and that read and the later ones are
 * plain reads. Returns what read(2) returns. */
ssize_t rs_read_cached(int fd, void *buf, size_t len, bool *nowait);

#endif
