/*
 * upload_spool.h — a request body written to an unlinked temporary file
 * as it arrives (instead of held in memory), with its SHA-256 computed on
 * the way: the evidence bundles agents upload (up to 64 MiB each). The
 * file disappears when closed, also when the server is killed.
 */
#ifndef RS_SERVER_UPLOAD_SPOOL_H
#define RS_SERVER_UPLOAD_SPOOL_H

#include <stdbool.h>
#include <stddef.h>

typedef struct rs_upload_spool {
	int fd;              /* -1: not open */
	void *sha;           /* the running SHA-256 (EVP_MD_CTX) */
	size_t len;          /* bytes written */
	char digest[65];     /* "" until rs_upload_spool_finish */
	void *map;           /* rs_upload_spool_map's view, or NULL */
} rs_upload_spool;

/* Opens S in $TMPDIR (default /tmp): 0, or -1 with the cause in ERR. */
int rs_upload_spool_open(rs_upload_spool *s, char *err, size_t errsize);
/* Appends N bytes: 0, or -1 (disk full, I/O error: errno). */
int rs_upload_spool_write(rs_upload_spool *s, const void *data, size_t n);
/* Ends the body: its SHA-256 (hex) in S->digest. */
void rs_upload_spool_finish(rs_upload_spool *s);
/* The whole body, mapped read-only from the file (pages read from disk as
 * used, never copied to the heap); NULL when empty or on error. Valid
 * until rs_upload_spool_close. */
const void *rs_upload_spool_map(rs_upload_spool *s);
/* Closes S (the file is gone); safe on a spool never opened (fd -1). */
void rs_upload_spool_close(rs_upload_spool *s);

#endif
