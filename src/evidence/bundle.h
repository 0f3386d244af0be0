/*
 * bundle.h — the evidence bundle being written: a gzip-compressed pax tar
 * (libarchive) written in one pass under a temporary name beside the
 * final one, every member hashed (SHA-256) as it is written, and at the
 * end the chain-of-custody members: acquisition.log, manifest.json (each
 * member's name, size, SHA-256, source and time, and the notes on what was
 * cut or skipped) and sha256sums.txt (`sha256sum -c` over the extracted
 * bundle). Only a finished bundle is renamed to its final name; anything
 * else removes the temporary file.
 */
#ifndef RS_BUNDLE_H
#define RS_BUNDLE_H

#include "core/digest.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "core/util.h"

struct archive;

typedef struct rs_bundle {
	struct archive *archive;
	int fd;
	char *path;                 /* final name */
	char *tmp_path;             /* written until finished */
	char *prefix;               /* the top directory inside the archive */
	json_t *members;            /* manifest entries */
	json_t *notes;              /* what was cut or skipped, and why */
	json_t *names;              /* member names already written (a set) */
	rs_buf sums;                /* sha256sums.txt */
	unsigned long long bytes;   /* uncompressed bytes of the members */
	unsigned long long max_total;
	bool created;               /* the temporary file is ours to remove */
	bool finished;
	char err[1024];             /* the first write error */
} rs_bundle;

/* Creates PATH's temporary file (O_EXCL) and starts the archive; members
 * go under PREFIX/. MAX_TOTAL bounds the uncompressed bytes of members
 * added with rs_bundle_add_fd (copies and memory). Returns 0, or -1 with
 * a message in ERR. */
int rs_bundle_open(rs_bundle *b, const char *path, const char *prefix, unsigned long long max_total,
		   char *err, size_t errsize);

/* Adds the member NAME (relative to the prefix) holding LEN bytes of DATA.
 * SOURCE names where it came from; EXTRA (may be NULL, taken) adds fields to
 * its manifest entry. Returns 0, or -1 after a write error (b->err). */
int rs_bundle_add_data(rs_bundle *b, const char *name, const void *data, size_t len, const char *source,
		       json_t *extra);
/* Adds DOC (not taken) as indented JSON. */
int rs_bundle_add_json(rs_bundle *b, const char *name, const json_t *doc, const char *source);

/* Adds the member NAME copied from FD (whose fstat is ST) reading at most
 * MAX bytes. A longer file is cut at MAX, a file that shrinks while read is
 * padded with zeros, and either is noted in the manifest. A member that
 * would pass the bundle's total is skipped with a note. Returns 0 when
 * added, 1 when skipped, -1 after a write error. */
int rs_bundle_add_fd(rs_bundle *b, const char *name, int fd, const struct stat *st, unsigned long long max,
		     const char *source, json_t *extra);

/* True when NAME was already added. */
bool rs_bundle_has(const rs_bundle *b, const char *name);
/* Whether SIZE more bytes fit under the bundle's total. */
bool rs_bundle_fits(const rs_bundle *b, unsigned long long size);

/* Records in the manifest's notes that SOURCE was not (wholly) collected. */
void rs_bundle_note(rs_bundle *b, const char *source, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Writes LOG as acquisition.log, then manifest.json (MANIFEST_HEAD's
 * fields, not taken, plus members and notes) and sha256sums.txt, closes
 * the archive, syncs it and renames it to its final name. Returns 0 or -1
 * with a message in ERR. */
int rs_bundle_finish(rs_bundle *b, const char *log, const json_t *manifest_head, char *err, size_t errsize);

/* Frees B; an unfinished bundle's temporary file is removed. */
void rs_bundle_free(rs_bundle *b);

/* A member name for the host path PATH under DIR ("files"): "." and ".."
 * dropped, repeated slashes folded, and bytes that are control characters,
 * '%', '\\' or not part of valid UTF-8 written as %XX, so that every name
 * is safe to extract and to list in sha256sums.txt. Caller frees. */
char *rs_bundle_member_name(const char *dir, const char *path);


#endif
