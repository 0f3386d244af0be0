/*
 * rpmheader.c — the rpm header reader and the in-memory opening of
 * rpmdb.sqlite shared by rpm.c and rpmfiles.c (see rpmheader.h).
 *
 * The database file is read whole through the host handle (so it is
 * resolved inside the root, never a FIFO, and bounded) and handed to SQLite
 * as a read-only in-memory image with sqlite3_deserialize: SQLite never
 * opens a path of the scanned tree, and nothing (-wal, -shm, journal) is
 * written next to it in a forensic image. Every header offset is checked
 * against its blob before it is read.
 */
#include "core/i18n.h"
#include "collect/rpmheader.h"
#include "core/lines.h"
#include "core/log.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

#define RPMDB_MAX ((size_t)1 << 30)
#define RPMDB_SECONDS 60
#define MAX_WARNINGS 20

#define HEADER_MAX_ENTRIES 0xffffu            /* as rpm itself */
#define HEADER_MAX_DATA ((size_t)256 << 20)
#define HEADER_ENTRY_SIZE 16

uint32_t rs_rpm_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

int rs_rpm_header_open(rs_rpm_header *hd, const unsigned char *blob, size_t len)
{
	if (!blob || len < 8)
		return -1;
	size_t entries = rs_rpm_be32(blob);
	size_t data_len = rs_rpm_be32(blob + 4);
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

bool rs_rpm_header_find(const rs_rpm_header *hd, uint32_t tag, rs_rpm_entry *e)
{
	for (size_t i = 0; i < hd->entries; i++) {
		const unsigned char *p = hd->index + i * HEADER_ENTRY_SIZE;
		if (rs_rpm_be32(p) != tag)
			continue;
		e->type = rs_rpm_be32(p + 4);
		e->offset = rs_rpm_be32(p + 8);
		e->count = rs_rpm_be32(p + 12);
		return true;
	}
	return false;
}

const char *rs_rpm_header_string(const rs_rpm_header *hd, uint32_t tag)
{
	rs_rpm_entry e;
	if (!rs_rpm_header_find(hd, tag, &e))
		return NULL;
	if (e.type != RS_RPM_STRING_TYPE && e.type != RS_RPM_STRING_ARRAY_TYPE &&
	    e.type != RS_RPM_I18NSTRING_TYPE)
		return NULL;
	if (e.count == 0 || e.offset >= hd->data_len)
		return NULL;
	const char *s = (const char *)hd->data + e.offset;
	if (!memchr(s, '\0', hd->data_len - e.offset))
		return NULL;
	return s;
}

bool rs_rpm_header_int32(const rs_rpm_header *hd, uint32_t tag, uint32_t *out)
{
	rs_rpm_entry e;
	if (!rs_rpm_header_find(hd, tag, &e) || e.type != RS_RPM_INT32_TYPE || e.count == 0)
		return false;
	if (hd->data_len < 4 || e.offset > hd->data_len - 4)
		return false;
	*out = rs_rpm_be32(hd->data + e.offset);
	return true;
}

int rs_rpm_header_strings(const rs_rpm_header *hd, const rs_rpm_entry *e, const char ***out)
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

bool rs_rpm_header_ints_fit(const rs_rpm_header *hd, const rs_rpm_entry *e, size_t size)
{
	return e->offset <= hd->data_len && e->count <= (hd->data_len - e->offset) / size;
}

uint32_t rs_rpm_header_int_at(const rs_rpm_header *hd, const rs_rpm_entry *e, size_t size, size_t i)
{
	const unsigned char *p = hd->data + e->offset + i * size;
	return size == 4 ? rs_rpm_be32(p) : (uint32_t)(p[0] << 8 | p[1]);
}

/* Stops a statement that runs past its deadline (a crafted schema). */
static int past_deadline(void *ctx)
{
	const long long *deadline = ctx;
	return rs_monotonic_ms() > *deadline;
}

int rs_rpmdb_open(rs_rpmdb *r, const rs_host *h, const char *consequence, int *problems)
{
	memset(r, 0, sizeof(*r));
	if (rs_read_host_file(h, RS_RPMDB_PATH, RPMDB_MAX, _("the rpm database"), consequence, &r->data,
			      &r->len, problems) < 0)
		return -1;
	r->display = rs_host_display_path(h, RS_RPMDB_PATH);
	unsigned char *data = (unsigned char *)r->data;
	static const char magic[16] = "SQLite format 3";
	if (r->len < 100 || memcmp(data, magic, sizeof(magic)) != 0) {
		rs_warn(_("%s: not an SQLite database; %s"), r->display, consequence);
		return 1;
	}
	/* A WAL-mode file (format versions 2) cannot be opened in memory;
	 * its main file is what we read, so mark it as a rollback-journal one. */
	data[18] = 1;
	data[19] = 1;
	if (sqlite3_open_v2(":memory:", &r->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
		    SQLITE_OK ||
	    sqlite3_deserialize(r->db, "main", data, (sqlite3_int64)r->len, (sqlite3_int64)r->len,
				SQLITE_DESERIALIZE_READONLY) != SQLITE_OK) {
		rs_warn(_("%s: cannot open the rpm database: %s; %s"), r->display,
			r->db ? sqlite3_errmsg(r->db) : _("out of memory"), consequence);
		sqlite3_close(r->db);
		r->db = NULL;
		return 1;
	}
	sqlite3_db_config(r->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(r->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	r->deadline = rs_monotonic_ms() + RPMDB_SECONDS * 1000LL;
	sqlite3_progress_handler(r->db, 10000, past_deadline, &r->deadline);
	return 0;
}

void rs_rpmdb_close(rs_rpmdb *r)
{
	sqlite3_close(r->db);
	free(r->display);
	free(r->data);
	memset(r, 0, sizeof(*r));
}

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

int rs_rpmdb_read_headers(const rs_rpmdb *r, const rs_rpmdb_reader *rd)
{
	if (!packages_is_table(r->db)) {
		rs_warn(_("%s: no Packages table; %s"), r->display, rd->no_table);
		return 1;
	}
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(r->db, "SELECT hnum, blob FROM Packages", -1, &st, NULL) != SQLITE_OK) {
		rs_warn(_("%s: cannot query the Packages table: %s"), r->display, sqlite3_errmsg(r->db));
		return 1;
	}
	int bad = 0, rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *blob = sqlite3_column_blob(st, 1);
		size_t len = (size_t)sqlite3_column_bytes(st, 1);
		if (rd->header(blob, len, rd->ctx) >= 0)
			continue;
		if (++bad <= MAX_WARNINGS)
			rs_warn(_("%s: package header %lld %s"), r->display,
				(long long)sqlite3_column_int64(st, 0), rd->bad_header);
	}
	if (bad > MAX_WARNINGS)
		rs_warn(_("%s: %d more %s not shown"), r->display, bad - MAX_WARNINGS, rd->more_bad);
	if (rc != SQLITE_DONE) {
		rs_warn(_("%s: reading the Packages table stopped: %s"), r->display, sqlite3_errmsg(r->db));
		bad++;
	}
	sqlite3_finalize(st);
	return bad;
}
