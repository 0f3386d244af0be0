/*
 * rpm.c — installed rpm packages from rpm's SQLite database
 * (/var/lib/rpm/rpmdb.sqlite, rpm 4.16 and later).
 *
 * The database file is read whole through the host handle (so it is
 * resolved inside the root, never a FIFO, and bounded) and handed to SQLite
 * as a read-only in-memory image with sqlite3_deserialize: SQLite never
 * opens a path of the scanned tree, and nothing (-wal, -shm, journal) is
 * written next to it in a forensic image. A consequence: transactions still
 * in an rpmdb.sqlite-wal file that rpm has not checkpointed are not seen.
 *
 * Table Packages(hnum, blob) holds one rpm header per package: a big-endian
 * index count and data length, the index entries (tag, type, offset, count)
 * and the data store. Every offset is checked; a bad header is warned about
 * and skipped. The old Berkeley DB format (/var/lib/rpm/Packages) is not
 * read: a warning says how to convert it.
 */
#include "collect/rpm.h"
#include "core/lines.h"
#include "core/log.h"
#include "core/util.h"

#include <inttypes.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define RPMDB_PATH "/var/lib/rpm/rpmdb.sqlite"
#define RPMDB_BDB_PATH "/var/lib/rpm/Packages"
#define RPMDB_MAX ((size_t)1 << 30)
#define RPMDB_SECONDS 60
#define MAX_WARNINGS 20

#define RPMTAG_NAME 1000
#define RPMTAG_VERSION 1001
#define RPMTAG_RELEASE 1002
#define RPMTAG_EPOCH 1003
#define RPMTAG_ARCH 1022
#define RPMTAG_SOURCERPM 1044

#define RPM_INT32_TYPE 4
#define RPM_STRING_TYPE 6
#define RPM_STRING_ARRAY_TYPE 8
#define RPM_I18NSTRING_TYPE 9

#define HEADER_MAX_ENTRIES 0xffffu            /* as rpm itself */
#define HEADER_MAX_DATA ((size_t)256 << 20)
#define HEADER_ENTRY_SIZE 16

/* A header whose sizes were checked against its blob. */
typedef struct rpm_header {
	const unsigned char *index;
	size_t entries;
	const unsigned char *data;
	size_t data_len;
} rpm_header;

typedef struct rpm_entry {
	uint32_t type;
	uint32_t offset;
	uint32_t count;
} rpm_entry;

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static int header_open(rpm_header *hd, const unsigned char *blob, size_t len)
{
	if (!blob || len < 8)
		return -1;
	size_t entries = be32(blob);
	size_t data_len = be32(blob + 4);
	if (entries == 0 || entries > HEADER_MAX_ENTRIES || data_len > HEADER_MAX_DATA)
		return -1;
	size_t index_len = entries * HEADER_ENTRY_SIZE;
	if (len - 8 < index_len || len - 8 - index_len < data_len)
		return -1;
	hd->index = blob + 8;
	hd->entries = entries;
	hd->data = hd->index + index_len;
	hd->data_len = data_len;
	return 0;
}

static bool header_find(const rpm_header *hd, uint32_t tag, rpm_entry *e)
{
	for (size_t i = 0; i < hd->entries; i++) {
		const unsigned char *p = hd->index + i * HEADER_ENTRY_SIZE;
		if (be32(p) != tag)
			continue;
		e->type = be32(p + 4);
		e->offset = be32(p + 8);
		e->count = be32(p + 12);
		return true;
	}
	return false;
}

/* The string value of TAG (the first one of an array), or NULL when it is
 * absent, of another type, out of the data store or not NUL-terminated. */
static const char *header_string(const rpm_header *hd, uint32_t tag)
{
	rpm_entry e;
	if (!header_find(hd, tag, &e))
		return NULL;
	if (e.type != RPM_STRING_TYPE && e.type != RPM_STRING_ARRAY_TYPE &&
	    e.type != RPM_I18NSTRING_TYPE)
		return NULL;
	if (e.count == 0 || e.offset >= hd->data_len)
		return NULL;
	const char *s = (const char *)hd->data + e.offset;
	if (!memchr(s, '\0', hd->data_len - e.offset))
		return NULL;
	return s;
}

/* The first INT32 value of TAG; false when absent or malformed. */
static bool header_int32(const rpm_header *hd, uint32_t tag, uint32_t *out)
{
	rpm_entry e;
	if (!header_find(hd, tag, &e) || e.type != RPM_INT32_TYPE || e.count == 0)
		return false;
	if (hd->data_len < 4 || e.offset > hd->data_len - 4)
		return false;
	*out = be32(hd->data + e.offset);
	return true;
}

/* "bash-5.1.8-6.el9.src.rpm" → "bash" and "5.1.8-6.el9". Without the
 * expected shape the whole name is the source and VERSION its version. */
static void split_source_rpm(rs_package *pkg, const char *srpm, const char *version)
{
	size_t n = strlen(srpm);
	if (rs_ends_with(srpm, ".src.rpm"))
		n -= strlen(".src.rpm");
	else if (rs_ends_with(srpm, ".nosrc.rpm"))
		n -= strlen(".nosrc.rpm");
	char *base = rs_strndup(srpm, n);
	char *release_dash = strrchr(base, '-');
	char *version_dash = release_dash ? memrchr(base, '-', (size_t)(release_dash - base)) : NULL;
	bool well_formed = version_dash && version_dash > base &&     /* a name */
			   release_dash > version_dash + 1 &&         /* a version */
			   release_dash[1] != '\0';                   /* a release */
	if (well_formed) {
		pkg->source = rs_strndup(base, (size_t)(version_dash - base));
		pkg->source_version = rs_strdup(version_dash + 1);
	} else {
		pkg->source = rs_strdup(base);
		pkg->source_version = rs_strdup(version);
	}
	free(base);
}

int rs_parse_rpm_header(const unsigned char *blob, size_t len, rs_package *out)
{
	rpm_header hd;
	if (header_open(&hd, blob, len) < 0)
		return -1;
	const char *name = header_string(&hd, RPMTAG_NAME);
	const char *version = header_string(&hd, RPMTAG_VERSION);
	const char *release = header_string(&hd, RPMTAG_RELEASE);
	if (!name || !*name || !version || !*version || !release || !*release)
		return -1;
	uint32_t epoch;
	if (header_int32(&hd, RPMTAG_EPOCH, &epoch))
		out->version = rs_sprintf("%" PRIu32 ":%s-%s", epoch, version, release);
	else
		out->version = rs_sprintf("%s-%s", version, release);
	out->name = rs_strdup(name);
	const char *arch = header_string(&hd, RPMTAG_ARCH);
	out->arch = arch ? rs_strdup(arch) : NULL;
	const char *srpm = header_string(&hd, RPMTAG_SOURCERPM);
	if (srpm && *srpm) {
		split_source_rpm(out, srpm, out->version);
	} else {
		out->source = rs_strdup(name);
		out->source_version = rs_strdup(out->version);
	}
	out->status = rs_strdup("installed");
	out->manager = rs_strdup("rpm");
	return 0;
}

/* Stops a statement that runs past its deadline (a crafted schema). */
static int past_deadline(void *ctx)
{
	const long long *deadline = ctx;
	return rs_monotonic_ms() > *deadline;
}

/* Checks that Packages is a plain table, not a view or trigger of the
 * file's own making. */
static bool packages_is_table(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	bool ok = false;
	if (sqlite3_prepare_v2(db, "SELECT type FROM sqlite_master WHERE name = 'Packages'", -1,
			       &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		const unsigned char *type = sqlite3_column_text(st, 0);
		ok = type && strcmp((const char *)type, "table") == 0;
	}
	sqlite3_finalize(st);
	return ok;
}

/* Reads every header of Packages into PACKAGES; returns the problems met. */
static int read_packages(sqlite3 *db, const char *display, rs_vec *packages)
{
	if (!packages_is_table(db)) {
		rs_warn("%s: no Packages table; not an rpm database", display);
		return 1;
	}
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, "SELECT hnum, blob FROM Packages", -1, &st, NULL) != SQLITE_OK) {
		rs_warn("%s: cannot query the Packages table: %s", display, sqlite3_errmsg(db));
		return 1;
	}
	int bad = 0, rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *blob = sqlite3_column_blob(st, 1);
		size_t len = (size_t)sqlite3_column_bytes(st, 1);
		rs_package pkg;
		memset(&pkg, 0, sizeof(pkg));
		if (rs_parse_rpm_header(blob, len, &pkg) == 0) {
			*(rs_package *)rs_vec_push(packages) = pkg;
			continue;
		}
		if (++bad <= MAX_WARNINGS)
			rs_warn("%s: package header %lld is malformed; skipped", display,
				(long long)sqlite3_column_int64(st, 0));
	}
	if (bad > MAX_WARNINGS)
		rs_warn("%s: %d more malformed package headers not shown", display, bad - MAX_WARNINGS);
	if (rc != SQLITE_DONE) {
		rs_warn("%s: reading the Packages table stopped: %s", display, sqlite3_errmsg(db));
		bad++;
	}
	sqlite3_finalize(st);
	return bad;
}

/* Opens the file image DATA read-only in memory. NULL after a warning. */
static sqlite3 *open_image(unsigned char *data, size_t len, const char *display)
{
	static const char magic[16] = "SQLite format 3";
	if (len < 100 || memcmp(data, magic, sizeof(magic)) != 0) {
		rs_warn("%s: not an SQLite database; rpm packages are not listed", display);
		return NULL;
	}
	/* A WAL-mode file (format versions 2) cannot be opened in memory;
	 * its main file is what we read, so mark it as a rollback-journal one. */
	data[18] = 1;
	data[19] = 1;
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
		    SQLITE_OK ||
	    sqlite3_deserialize(db, "main", data, (sqlite3_int64)len, (sqlite3_int64)len,
				SQLITE_DESERIALIZE_READONLY) != SQLITE_OK) {
		rs_warn("%s: cannot open the rpm database: %s", display,
			db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	return db;
}

static int warn_berkeley_db(const rs_host *h)
{
	struct stat st;
	if (rs_host_lstat(h, RPMDB_BDB_PATH, &st) < 0)
		return 0;
	char *display = rs_host_display_path(h, RPMDB_BDB_PATH);
	rs_warn("%s: Berkeley DB rpm databases are not supported; convert it with "
		"`rpmdb --rebuilddb` on that host (rpm 4.16 or later writes rpmdb.sqlite)",
		display);
	free(display);
	return 1;
}

int rs_collect_rpm(const rs_host *h, rs_facts *f)
{
	char *data = NULL;
	size_t len = 0;
	int unreadable = 0;
	if (rs_read_host_file(h, RPMDB_PATH, RPMDB_MAX, "the rpm database",
			      "rpm packages are not listed", &data, &len, &unreadable) < 0)
		return unreadable ? unreadable : warn_berkeley_db(h);
	char *display = rs_host_display_path(h, RPMDB_PATH);
	int problems_met = 1;
	sqlite3 *db = open_image((unsigned char *)data, len, display);
	if (db) {
		long long deadline = rs_monotonic_ms() + RPMDB_SECONDS * 1000LL;
		sqlite3_progress_handler(db, 10000, past_deadline, &deadline);
		problems_met = read_packages(db, display, &f->packages);
		sqlite3_close(db);
	}
	free(display);
	free(data);
	return problems_met;
}
