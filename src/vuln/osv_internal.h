/*
 * osv_internal.h — what the OSV readers share: the file, folder and zip
 * walker (osv.c) hands each file's bytes to the stream reader
 * (osv_stream.c), which splits them into records for the record reader
 * (osv_record.c).
 */
#ifndef RS_VULN_OSV_INTERNAL_H
#define RS_VULN_OSV_INTERNAL_H

#include "vuln/vuln.h"

#include <stdbool.h>

struct rs_json_scan;

/* Counts a skipped record and warns about it (the first few of a feed). */
void rs_osv_warn(rs_feed_stats *stats, const char *name, const char *id, const char *what);

/* rs_osv_read_value's results besides 0 (read) and 1 (skipped with a warning). */
#define RS_OSV_STOP 2       /* the callback asked to stop */
#define RS_OSV_SHORT (-2)   /* the text ends inside the value: give more */
#define RS_OSV_BAD_JSON (-1) /* not valid JSON: S->error and S->p say what and where (not warned) */
/* An error this close to the end of a window may only mean the value goes on. */
#define RS_OSV_CUT_MARGIN 16

/* The JSON value at the cursor of S, which may be followed by more text:
 * when its syntax is good to its end it is read as one OSV record (its
 * records to CB, or a warning naming NAME), S is left just after it, and
 * 0, 1 or RS_OSV_STOP is returned. Unless AT_END (S ends where the file
 * does), an error at the end of S gives RS_OSV_SHORT with S unchanged. */
int rs_osv_read_value(struct rs_json_scan *s, bool at_end, const char *name, rs_vuln_record_cb cb, void *ctx,
		      rs_feed_stats *stats);

/* A source of bytes: reads up to N into BUF; 0 at the end, -1 on an error (errno). */
typedef long (*rs_osv_source)(void *src, char *buf, size_t n);

/* An OSV file (one record or an array of them) read from SRC through a
 * bounded window: memory follows the largest record, not the file. SIZE
 * is the file's size when known (0 otherwise): a small file is read at
 * once into a buffer of its size. A record over the cap or not valid JSON
 * is warned about with NAME and its line and skipped; the rest is read.
 * Returns the number of problems. */
int rs_osv_read_stream(rs_osv_source read, void *src, size_t size, const char *name, rs_vuln_record_cb cb,
		       void *ctx, rs_feed_stats *stats);

/* Reads the regular file NAME of the folder DIRFD (AT_FDCWD: NAME is the
 * path the user gave, followed; in a folder a symlink is not), PATH in
 * messages. Returns 0, or -1 after a warning when it is not a regular file
 * or cannot be opened (osv.c). */
int rs_osv_read_file(int dirfd, const char *name, const char *path, rs_vuln_record_cb cb, void *ctx,
		     rs_feed_stats *stats);

/* For tests and fuzzing: the read size (256 KiB) and the cap on one
 * record (64 MB); 0 restores either. */
void rs_osv_set_limits(size_t block_bytes, size_t record_bytes);

#endif
