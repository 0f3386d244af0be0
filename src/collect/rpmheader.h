/*
 * rpmheader.h — what rpm.c (installed packages) and rpmfiles.c (package
 * file lists) share: a bounds-checked reader of rpm headers (a big-endian
 * index count and data length, the index entries (tag, type, offset, count)
 * and the data store) and the opening of /var/lib/rpm/rpmdb.sqlite as a
 * read-only in-memory SQLite image with a deadline on its queries.
 */
#ifndef RS_RPMHEADER_H
#define RS_RPMHEADER_H

#include "core/host.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RS_RPM_INT16_TYPE 3
#define RS_RPM_INT32_TYPE 4
#define RS_RPM_STRING_TYPE 6
#define RS_RPM_STRING_ARRAY_TYPE 8
#define RS_RPM_I18NSTRING_TYPE 9

#define RS_RPMDB_PATH "/var/lib/rpm/rpmdb.sqlite"

/* A header whose sizes were checked against its blob. */
typedef struct rs_rpm_header {
	const unsigned char *index;
	size_t entries;
	const unsigned char *data;
	size_t data_len;
} rs_rpm_header;

/* One index entry; its offset and count are not checked by
 * rs_rpm_header_find, the accessors below check them. */
typedef struct rs_rpm_entry {
	uint32_t type;
	size_t offset;
	size_t count;
} rs_rpm_entry;

uint32_t rs_rpm_be32(const unsigned char *p);

/* Checks the counts of BLOB (LEN bytes) and fills HD; -1 when malformed. */
int rs_rpm_header_open(rs_rpm_header *hd, const unsigned char *blob, size_t len);

/* Finds TAG; false when absent. */
bool rs_rpm_header_find(const rs_rpm_header *hd, uint32_t tag, rs_rpm_entry *e);

/* The string value of TAG (the first one of an array), or NULL when it is
 * absent, of another type, out of the data store or not NUL-terminated. */
const char *rs_rpm_header_string(const rs_rpm_header *hd, uint32_t tag);

/* The first INT32 value of TAG; false when absent or malformed. */
bool rs_rpm_header_int32(const rs_rpm_header *hd, uint32_t tag, uint32_t *out);

/* The COUNT strings of a string entry E into a new array (*OUT, to free;
 * the strings point into the header); -1 when one runs past the data store. */
int rs_rpm_header_strings(const rs_rpm_header *hd, const rs_rpm_entry *e, const char ***out);

/* Whether an integer array entry E of SIZE-byte (2 or 4) items fits the
 * data store; then rs_rpm_header_int_at reads its item I. */
bool rs_rpm_header_ints_fit(const rs_rpm_header *hd, const rs_rpm_entry *e, size_t size);
uint32_t rs_rpm_header_int_at(const rs_rpm_header *hd, const rs_rpm_entry *e, size_t size, size_t i);

/* rpmdb.sqlite opened in memory: the file's image, its display path, the
 * database and the deadline its statements run under. */
typedef struct rs_rpmdb {
	char *data;
	size_t len;
	char *display;
	sqlite3 *db;
	long long deadline;
} rs_rpmdb;

/* Reads RS_RPMDB_PATH whole through H (bounded, inside the root) and opens
 * it read-only in memory: nothing is ever written next to it. Returns 0
 * when open; -1 when the file is absent or unreadable (*PROBLEMS += 1 and a
 * warning for the latter, nothing to close); 1 when it was read but is not
 * an SQLite database SQLite can open (after a warning ending in
 * CONSEQUENCE; close it with rs_rpmdb_close). */
int rs_rpmdb_open(rs_rpmdb *r, const rs_host *h, const char *consequence, int *problems);
void rs_rpmdb_close(rs_rpmdb *r);

/* What to do with each header of the Packages table and the words of the
 * warnings about it. */
typedef struct rs_rpmdb_reader {
	const char *no_table;     /* "DISPLAY: no Packages table; NO_TABLE" */
	const char *bad_header;   /* "DISPLAY: package header HNUM BAD_HEADER" */
	const char *more_bad;     /* "DISPLAY: N more MORE_BAD not shown" */
	/* Takes the header BLOB of LEN bytes; < 0 when it is malformed. */
	int (*header)(const unsigned char *blob, size_t len, void *ctx);
	void *ctx;
} rs_rpmdb_reader;

/* Hands every header of Packages (a plain table, not a view or trigger of
 * the file's own making) to RD->header; returns the problems met, the
 * first 20 malformed headers warned about one by one. */
int rs_rpmdb_read_headers(const rs_rpmdb *r, const rs_rpmdb_reader *rd);

#endif
