/*
 * rpmfiles.c — the file lists of rpm headers (see rpmfiles.h): tags
 * BASENAMES, DIRNAMES and DIRINDEXES give each file's path, FILEDIGESTS its
 * digest (algorithm FILEDIGESTALGO: 1 MD5, the default, or 8 SHA-256),
 * FILEMODES its type and FILEFLAGS its %config and %ghost marks.
 *
 * The database is read as rpm.c reads it: the whole file through the host
 * handle, opened by SQLite as a read-only in-memory image (nothing is ever
 * written next to it), with a deadline on the query. Every count and
 * offset of a header is checked against the blob before a file is listed.
 */
#include "collect/rpmfiles.h"
#include "core/lines.h"
#include "core/log.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define RPMDB_PATH "/var/lib/rpm/rpmdb.sqlite"
#define RPMDB_MAX ((size_t)1 << 30)
#define RPMDB_SECONDS 60
#define MAX_WARNINGS 20

#define RPMTAG_NAME 1000
#define RPMTAG_FILEMODES 1030
#define RPMTAG_FILEDIGESTS 1035
#define RPMTAG_FILEFLAGS 1037
#define RPMTAG_DIRINDEXES 1116
#define RPMTAG_BASENAMES 1117
#define RPMTAG_DIRNAMES 1118
#define RPMTAG_FILEDIGESTALGO 5011

#define RPM_INT16_TYPE 3
#define RPM_INT32_TYPE 4
#define RPM_STRING_TYPE 6
#define RPM_STRING_ARRAY_TYPE 8

#define RPMFILE_CONFIG (1u << 0)
#define RPMFILE_GHOST (1u << 6)
#define PGPHASHALGO_MD5 1
#define PGPHASHALGO_SHA256 8

#define HEADER_MAX_ENTRIES 0xffffu
#define HEADER_MAX_DATA ((size_t)256 << 20)
#define HEADER_ENTRY_SIZE 16

typedef struct header {
	const unsigned char *index;
	size_t entries;
	const unsigned char *data;
	size_t data_len;
} header;

typedef struct tag_entry {
	uint32_t type;
	size_t offset;
	size_t count;
} tag_entry;

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static int header_open(header *hd, const unsigned char *blob, size_t len)
{
	if (!blob || len < 8)
		return -1;
	size_t entries = be32(blob), data_len = be32(blob + 4);
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

/* Finds TAG; false when absent. Its offset is not checked here. */
static bool header_find(const header *hd, uint32_t tag, tag_entry *e)
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

/* The COUNT strings of a string tag E into a new array (*OUT); -1 when one
 * runs past the data store. */
static int strings_at(const header *hd, const tag_entry *e, const char ***out)
{
	if (e->offset > hd->data_len || e->count > hd->data_len - e->offset)
		return -1;   /* each string takes at least its NUL */
	const char **v = rs_calloc(e->count ? e->count : 1, sizeof(*v));
	size_t pos = e->offset;
	for (size_t i = 0; i < e->count; i++) {
		const unsigned char *nul = pos < hd->data_len ? memchr(hd->data + pos, '\0', hd->data_len - pos)
							      : NULL;
		if (!nul) {
			free(v);
			return -1;
		}
		v[i] = (const char *)hd->data + pos;
		pos = (size_t)(nul - hd->data) + 1;
	}
	*out = v;
	return 0;
}

/* Whether an integer array tag E of SIZE-byte items fits the data store. */
static bool ints_fit(const header *hd, const tag_entry *e, size_t size)
{
	return e->offset <= hd->data_len && e->count <= (hd->data_len - e->offset) / size;
}

static uint32_t int_at(const header *hd, const tag_entry *e, size_t size, size_t i)
{
	const unsigned char *p = hd->data + e->offset + i * size;
	return size == 4 ? be32(p) : (uint32_t)(p[0] << 8 | p[1]);
}

static bool valid_digest(const char *s, size_t want)
{
	size_t n = strlen(s);
	if (n != want)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') || (s[i] >= 'A' && s[i] <= 'F')))
			return false;
	return true;
}

/* The parsed file tags of one header. */
typedef struct file_tags {
	size_t n, n_dirs;
	const char **basenames, **dirnames, **digests;
	tag_entry dirindexes, modes, flags;
	bool has_flags;
	size_t digest_len;   /* hex digits of the algorithm, 0: unsupported */
} file_tags;

static void file_tags_free(file_tags *t)
{
	free(t->basenames);
	free(t->dirnames);
	free(t->digests);
}

/* Checks every file tag; -1 when one is malformed or counts disagree. */
static int read_file_tags(const header *hd, file_tags *t)
{
	tag_entry base, dirs, digests, algo;
	if (!header_find(hd, RPMTAG_BASENAMES, &base) || !header_find(hd, RPMTAG_FILEDIGESTS, &digests))
		return 0;   /* no files, or no digests to check them against */
	if (base.type != RPM_STRING_ARRAY_TYPE || digests.type != RPM_STRING_ARRAY_TYPE ||
	    !header_find(hd, RPMTAG_DIRNAMES, &dirs) || dirs.type != RPM_STRING_ARRAY_TYPE ||
	    !header_find(hd, RPMTAG_DIRINDEXES, &t->dirindexes) || t->dirindexes.type != RPM_INT32_TYPE ||
	    !header_find(hd, RPMTAG_FILEMODES, &t->modes) || t->modes.type != RPM_INT16_TYPE)
		return -1;
	t->n = base.count;
	t->n_dirs = dirs.count;
	if (digests.count != t->n || t->dirindexes.count != t->n || t->modes.count != t->n ||
	    !ints_fit(hd, &t->dirindexes, 4) || !ints_fit(hd, &t->modes, 2))
		return -1;
	t->has_flags = header_find(hd, RPMTAG_FILEFLAGS, &t->flags);
	if (t->has_flags && (t->flags.type != RPM_INT32_TYPE || t->flags.count != t->n || !ints_fit(hd, &t->flags, 4)))
		return -1;
	uint32_t algorithm = PGPHASHALGO_MD5;
	if (header_find(hd, RPMTAG_FILEDIGESTALGO, &algo)) {
		if (algo.type != RPM_INT32_TYPE || algo.count == 0 || !ints_fit(hd, &algo, 4))
			return -1;
		algorithm = int_at(hd, &algo, 4, 0);
	}
	t->digest_len = algorithm == PGPHASHALGO_MD5 ? 32 : algorithm == PGPHASHALGO_SHA256 ? 64 : 0;
	if (strings_at(hd, &base, &t->basenames) < 0 || strings_at(hd, &dirs, &t->dirnames) < 0 ||
	    strings_at(hd, &digests, &t->digests) < 0)
		return -1;
	for (size_t i = 0; i < t->n; i++)
		if (int_at(hd, &t->dirindexes, 4, i) >= t->n_dirs)
			return -1;
	return 0;
}

int rs_parse_rpm_files(const unsigned char *blob, size_t len, rs_vec *out)
{
	header hd;
	if (header_open(&hd, blob, len) < 0)
		return -1;
	tag_entry name_tag;
	const char **name = NULL;
	if (!header_find(&hd, RPMTAG_NAME, &name_tag) || name_tag.type != RPM_STRING_TYPE)
		return -1;
	name_tag.count = 1;
	if (strings_at(&hd, &name_tag, &name) < 0)
		return -1;
	const char *package = name[0];
	free(name);
	if (!*package)
		return -1;
	file_tags t;
	memset(&t, 0, sizeof(t));
	if (read_file_tags(&hd, &t) < 0) {
		file_tags_free(&t);
		return -1;
	}
	int added = 0;
	for (size_t i = 0; t.digest_len && i < t.n; i++) {
		uint32_t mode = int_at(&hd, &t.modes, 2, i);
		uint32_t flags = t.has_flags ? int_at(&hd, &t.flags, 4, i) : 0;
		if (!S_ISREG(mode) || (flags & RPMFILE_GHOST) || !valid_digest(t.digests[i], t.digest_len))
			continue;
		rs_rpm_file f = {
			.path = rs_sprintf("%s%s", t.dirnames[int_at(&hd, &t.dirindexes, 4, i)], t.basenames[i]),
			.package = rs_strdup(package),
			.digest = rs_strdup(t.digests[i]),
			.conffile = (flags & RPMFILE_CONFIG) != 0,
		};
		for (char *c = f.digest; *c; c++)
			if (*c >= 'A' && *c <= 'F')
				*c = (char)(*c - 'A' + 'a');
		*(rs_rpm_file *)rs_vec_push(out) = f;
		added++;
	}
	file_tags_free(&t);
	return added;
}

static int past_deadline(void *ctx)
{
	const long long *deadline = ctx;
	return rs_monotonic_ms() > *deadline;
}

/* Opens the file image DATA read-only in memory; NULL after a warning. */
static sqlite3 *open_image(unsigned char *data, size_t len, const char *display)
{
	static const char magic[16] = "SQLite format 3";
	if (len < 100 || memcmp(data, magic, sizeof(magic)) != 0) {
		rs_warn("%s: not an SQLite database; rpm package files are not verified", display);
		return NULL;
	}
	data[18] = 1;   /* a WAL-mode file opens in memory as a rollback-journal one */
	data[19] = 1;
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK ||
	    sqlite3_deserialize(db, "main", data, (sqlite3_int64)len, (sqlite3_int64)len,
				SQLITE_DESERIALIZE_READONLY) != SQLITE_OK) {
		rs_warn("%s: cannot open the rpm database: %s; rpm package files are not verified", display,
			db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	return db;
}

static int read_headers(sqlite3 *db, const char *display, rs_vec *out)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, "SELECT type FROM sqlite_master WHERE name = 'Packages'", -1, &st, NULL) !=
		    SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW || !sqlite3_column_text(st, 0) ||
	    strcmp((const char *)sqlite3_column_text(st, 0), "table") != 0) {
		sqlite3_finalize(st);
		rs_warn("%s: no Packages table; rpm package files are not verified", display);
		return 1;
	}
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(db, "SELECT hnum, blob FROM Packages", -1, &st, NULL) != SQLITE_OK) {
		rs_warn("%s: cannot query the Packages table: %s", display, sqlite3_errmsg(db));
		return 1;
	}
	int bad = 0, rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *blob = sqlite3_column_blob(st, 1);
		size_t len = (size_t)sqlite3_column_bytes(st, 1);
		if (rs_parse_rpm_files(blob, len, out) >= 0)
			continue;
		if (++bad <= MAX_WARNINGS)
			rs_warn("%s: package header %lld has a malformed file list; its files are not verified",
				display, (long long)sqlite3_column_int64(st, 0));
	}
	if (bad > MAX_WARNINGS)
		rs_warn("%s: %d more malformed file lists not shown", display, bad - MAX_WARNINGS);
	if (rc != SQLITE_DONE) {
		rs_warn("%s: reading the Packages table stopped: %s", display, sqlite3_errmsg(db));
		bad++;
	}
	sqlite3_finalize(st);
	return bad;
}

int rs_rpm_files_load(const rs_host *h, rs_vec *out)
{
	char *data = NULL;
	size_t len = 0;
	int problems = 0;
	if (rs_read_host_file(h, RPMDB_PATH, RPMDB_MAX, "the rpm database",
			      "rpm package files are not verified", &data, &len, &problems) < 0)
		return problems;
	char *display = rs_host_display_path(h, RPMDB_PATH);
	sqlite3 *db = open_image((unsigned char *)data, len, display);
	if (db) {
		long long deadline = rs_monotonic_ms() + RPMDB_SECONDS * 1000LL;
		sqlite3_progress_handler(db, 10000, past_deadline, &deadline);
		problems += read_headers(db, display, out);
		sqlite3_close(db);
	} else {
		problems++;
	}
	free(display);
	free(data);
	return problems;
}

void rs_rpm_files_free(rs_vec *v)
{
	for (size_t i = 0; i < v->len; i++) {
		rs_rpm_file *f = rs_vec_at(v, i);
		free(f->path);
		free(f->package);
		free(f->digest);
	}
	rs_vec_free(v);
}
