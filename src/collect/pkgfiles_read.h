/*
 * pkgfiles_read.h — reads dpkg's info files (PKG.list, PKG.md5sums) for
 * pkgfiles.c with several threads at once, so that with a cold page cache
 * their inode and data reads wait on the disk together instead of one
 * after the other; the caller takes the texts in its own order (and
 * parses them in that order: the file table does not depend on which
 * reader finished first).
 */
#ifndef RS_PKGFILES_READ_H
#define RS_PKGFILES_READ_H

#include "core/host.h"

#include <stdbool.h>
#include <stddef.h>

/* One info file: NAME in the directory, its text once read (NULL and ERR
 * the errno when it could not be). */
typedef struct rs_info_file {
	char *name;
	char *package;    /* the owner: NAME without its suffix and ":arch" */
	bool md5;         /* PKG.md5sums (else PKG.list) */
	char *text;       /* NUL-terminated, LEN bytes; the caller may take it */
	size_t len;
	int err;
} rs_info_file;

typedef struct rs_info_reader rs_info_reader;

/* Starts reading FILES[0..N) of the directory DIRFD (HOST's DIRPATH) in
 * that order with THREADS threads (0 or 1, or when the first, middle and
 * last files are all in the page cache: none, each file is read by
 * rs_info_reader_wait when asked for; -N: N threads in any case, for
 * tests). A file is opened relative to
 * DIRFD, its final component not followed, and read only when it is a
 * regular file of at most MAX bytes; any other case is handed to
 * rs_host_read with the whole path (which resolves inside the root, as
 * every host read does), so that the outcome is the same as that. */
rs_info_reader *rs_info_reader_start(const rs_host *host, int dirfd, const char *dirpath, rs_info_file *files,
				     size_t n, size_t max, int threads);

/* File I, once read (blocks until then). */
rs_info_file *rs_info_reader_wait(rs_info_reader *r, size_t i);

/* Joins the threads (after waiting for all files) and frees R. */
void rs_info_reader_finish(rs_info_reader *r);

#endif
