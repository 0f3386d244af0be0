/*
 * test_collect_rpm.c — the rpm header parser on headers this test builds
 * (good ones and malformed ones: truncated, a huge index count, an offset out
 * of range, a string without its NUL), and the collector over an
 * rpmdb.sqlite written here: packages read, bad headers warned about, no
 * file created beside the database, the Berkeley DB warning.
 */
#include "testutil.h"
#include "collect/facts.h"
#include "collect/rpm.h"
#include "core/host.h"
#include "core/util.h"

#include <dirent.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TAG_NAME 1000
#define TAG_VERSION 1001
#define TAG_RELEASE 1002
#define TAG_EPOCH 1003
#define TAG_ARCH 1022
#define TAG_SOURCERPM 1044
#define TYPE_INT32 4
#define TYPE_STRING 6

/* Builds a header blob: index entries and a data store. */
typedef struct header_builder {
	unsigned char index[16 * 16];
	size_t entries;
	unsigned char data[1024];
	size_t data_len;
} header_builder;

static void put_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static void add_entry(header_builder *b, uint32_t tag, uint32_t type, uint32_t offset,
		      uint32_t count)
{
	unsigned char *e = b->index + b->entries++ * 16;
	put_be32(e, tag);
	put_be32(e + 4, type);
	put_be32(e + 8, offset);
	put_be32(e + 12, count);
}

static void add_string(header_builder *b, uint32_t tag, const char *s)
{
	size_t n = strlen(s) + 1;
	add_entry(b, tag, TYPE_STRING, (uint32_t)b->data_len, 1);
	memcpy(b->data + b->data_len, s, n);
	b->data_len += n;
}

static void add_int32(header_builder *b, uint32_t tag, uint32_t v)
{
	while (b->data_len % 4)
		b->data[b->data_len++] = 0;
	add_entry(b, tag, TYPE_INT32, (uint32_t)b->data_len, 1);
	put_be32(b->data + b->data_len, v);
	b->data_len += 4;
}

/* The blob in OUT (at least 8 + 256 + 1024 bytes); returns its length. */
static size_t build(const header_builder *b, unsigned char *out)
{
	put_be32(out, (uint32_t)b->entries);
	put_be32(out + 4, (uint32_t)b->data_len);
	memcpy(out + 8, b->index, b->entries * 16);
	memcpy(out + 8 + b->entries * 16, b->data, b->data_len);
	return 8 + b->entries * 16 + b->data_len;
}

static void basic(header_builder *b, const char *name, const char *srpm)
{
	memset(b, 0, sizeof(*b));
	add_string(b, TAG_NAME, name);
	add_string(b, TAG_VERSION, "5.1.8");
	add_string(b, TAG_RELEASE, "6.el9");
	add_string(b, TAG_ARCH, "x86_64");
	if (srpm)
		add_string(b, TAG_SOURCERPM, srpm);
}

static void free_package(rs_package *p)
{
	free(p->name);
	free(p->version);
	free(p->source);
	free(p->source_version);
	free(p->arch);
	free(p->status);
	free(p->manager);
}

static void test_good_headers(void **state)
{
	(void)state;
	header_builder b;
	unsigned char blob[2048];
	rs_package p;

	basic(&b, "bash", "bash-5.1.8-6.el9.src.rpm");
	memset(&p, 0, sizeof(p));
	assert_int_equal(rs_parse_rpm_header(blob, build(&b, blob), &p), 0);
	assert_string_equal(p.name, "bash");
	assert_string_equal(p.version, "5.1.8-6.el9");
	assert_string_equal(p.arch, "x86_64");
	assert_string_equal(p.source, "bash");
	assert_string_equal(p.source_version, "5.1.8-6.el9");
	assert_string_equal(p.status, "installed");
	assert_string_equal(p.manager, "rpm");
	free_package(&p);

	basic(&b, "openssl-libs", "openssl-3.0.7-24.el9.src.rpm");
	add_int32(&b, TAG_EPOCH, 1);
	memset(&p, 0, sizeof(p));
	assert_int_equal(rs_parse_rpm_header(blob, build(&b, blob), &p), 0);
	assert_string_equal(p.version, "1:5.1.8-6.el9");
	assert_string_equal(p.source, "openssl");
	assert_string_equal(p.source_version, "3.0.7-24.el9");
	free_package(&p);

	basic(&b, "gpg-pubkey", NULL);
	memset(&p, 0, sizeof(p));
	assert_int_equal(rs_parse_rpm_header(blob, build(&b, blob), &p), 0);
	assert_string_equal(p.source, "gpg-pubkey");
	assert_string_equal(p.source_version, "5.1.8-6.el9");
	free_package(&p);

	basic(&b, "odd", "noversion.src.rpm");
	memset(&p, 0, sizeof(p));
	assert_int_equal(rs_parse_rpm_header(blob, build(&b, blob), &p), 0);
	assert_string_equal(p.source, "noversion");
	assert_string_equal(p.source_version, "5.1.8-6.el9");
	free_package(&p);
}

static void expect_bad(const unsigned char *blob, size_t len)
{
	rs_package p;
	memset(&p, 0, sizeof(p));
	assert_int_equal(rs_parse_rpm_header(blob, len, &p), -1);
	assert_null(p.name);
	assert_null(p.version);
}

static void test_malformed_headers(void **state)
{
	(void)state;
	header_builder b;
	unsigned char blob[2048];
	size_t len;

	basic(&b, "bash", "bash-5.1.8-6.el9.src.rpm");
	len = build(&b, blob);
	expect_bad(blob, len - 1);          /* truncated data */
	expect_bad(blob, 7);                /* shorter than its preamble */
	expect_bad(NULL, 0);

	put_be32(blob, 0xffffffffu);        /* index count huge */
	expect_bad(blob, len);
	put_be32(blob, 0x00010000u);        /* just above rpm's limit */
	expect_bad(blob, len);
	put_be32(blob, 0);                  /* no entries at all */
	expect_bad(blob, len);

	basic(&b, "bash", NULL);
	len = build(&b, blob);
	put_be32(blob + 4, 0xfffffff0u);    /* data length huge */
	expect_bad(blob, len);

	basic(&b, "bash", NULL);
	put_be32(b.index + 8, (uint32_t)b.data_len + 10); /* NAME offset out of range */
	expect_bad(blob, build(&b, blob));
	put_be32(b.index + 8, (uint32_t)b.data_len);      /* exactly at the end */
	expect_bad(blob, build(&b, blob));

	/* The last string (RELEASE) loses its NUL at the end of the store. */
	memset(&b, 0, sizeof(b));
	add_string(&b, TAG_NAME, "bash");
	add_string(&b, TAG_VERSION, "1");
	add_string(&b, TAG_RELEASE, "2");
	b.data_len--;
	expect_bad(blob, build(&b, blob));

	/* NAME of the wrong type; missing VERSION. */
	basic(&b, "bash", NULL);
	put_be32(b.index + 4, TYPE_INT32);
	expect_bad(blob, build(&b, blob));
	memset(&b, 0, sizeof(b));
	add_string(&b, TAG_NAME, "bash");
	add_string(&b, TAG_RELEASE, "2");
	expect_bad(blob, build(&b, blob));

	/* An EPOCH pointing past the store is ignored, not read. */
	basic(&b, "bash", NULL);
	add_entry(&b, TAG_EPOCH, TYPE_INT32, (uint32_t)b.data_len - 2, 1);
	rs_package p;
	memset(&p, 0, sizeof(p));
	assert_int_equal(rs_parse_rpm_header(blob, build(&b, blob), &p), 0);
	assert_string_equal(p.version, "5.1.8-6.el9");
	free_package(&p);
}

static void insert(sqlite3 *db, const unsigned char *blob, size_t len)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO Packages(blob) VALUES (?)", -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_blob(st, 1, blob, (int)len, SQLITE_TRANSIENT);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
}

/* Writes DIR/var/lib/rpm/rpmdb.sqlite (WAL mode, as rpm leaves it) with
 * three good and two bad headers. */
static void write_rpmdb(const char *dir)
{
	rs_test_mkdir(dir, "var/lib/rpm");
	char *path = rs_sprintf("%s/var/lib/rpm/rpmdb.sqlite", dir);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
				      "PRAGMA journal_mode=WAL;"
				      "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT,"
				      " blob BLOB NOT NULL);"
				      "CREATE TABLE Name (key TEXT NOT NULL, hnum INTEGER NOT NULL);",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	header_builder b;
	unsigned char blob[2048];
	basic(&b, "bash", "bash-5.1.8-6.el9.src.rpm");
	insert(db, blob, build(&b, blob));
	basic(&b, "glibc", "glibc-2.34-60.el9.src.rpm");
	insert(db, blob, build(&b, blob));
	size_t len = build(&b, blob);
	insert(db, blob, len - 3);             /* hnum 3: truncated */
	basic(&b, "gpg-pubkey", NULL);
	insert(db, blob, build(&b, blob));
	insert(db, (const unsigned char *)"junk", 4); /* hnum 5 */
	sqlite3_close(db);
	free(path);
}

static int count_entries(const char *path)
{
	DIR *d = opendir(path);
	assert_non_null(d);
	int n = 0;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static void test_collect_sqlite(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	write_rpmdb(dir);
	char *rpmdir = rs_sprintf("%s/var/lib/rpm", dir);
	int before = count_entries(rpmdir);
	rs_host h;
	assert_int_equal(rs_host_init(&h, dir, ""), 0);
	rs_facts f;
	rs_facts_init(&f);
	rs_test_capture_start();
	assert_int_equal(rs_collect_rpm(&h, &f), 2);
	char *bad3 = rs_sprintf("%s/var/lib/rpm/rpmdb.sqlite: package header 3 is malformed", dir);
	char *bad5 = rs_sprintf("%s/var/lib/rpm/rpmdb.sqlite: package header 5 is malformed", dir);
	assert_true(rs_test_captured_contains(bad3));
	assert_true(rs_test_captured_contains(bad5));
	assert_int_equal(rs_test_captured_count(), 2);
	rs_test_capture_stop();
	assert_int_equal(f.packages.len, 3);
	const rs_package *glibc = rs_vec_at(&f.packages, 1);
	assert_string_equal(glibc->name, "glibc");
	assert_string_equal(glibc->source, "glibc");
	assert_string_equal(glibc->source_version, "2.34-60.el9");
	assert_int_equal(count_entries(rpmdir), before); /* no -wal, -shm or journal */
	free(bad3);
	free(bad5);
	free(rpmdir);
	rs_facts_free(&f);
	rs_host_free(&h);
	rs_test_rmrf(dir);
	free(dir);
}

static void collect_expecting(const char *dir, const char *message)
{
	rs_host h;
	assert_int_equal(rs_host_init(&h, dir, ""), 0);
	rs_facts f;
	rs_facts_init(&f);
	rs_test_capture_start();
	assert_int_equal(rs_collect_rpm(&h, &f), 1);
	assert_true(rs_test_captured_contains(message));
	rs_test_capture_stop();
	assert_int_equal(f.packages.len, 0);
	rs_facts_free(&f);
	rs_host_free(&h);
}

static void test_collect_problems(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	rs_host h;
	assert_int_equal(rs_host_init(&h, dir, ""), 0);
	rs_facts f;
	rs_facts_init(&f);
	assert_int_equal(rs_collect_rpm(&h, &f), 0); /* no rpm at all */
	rs_facts_free(&f);
	rs_host_free(&h);

	rs_test_write(dir, "var/lib/rpm/Packages", "berkeley db bytes");
	collect_expecting(dir, "rpmdb --rebuilddb");

	rs_test_write(dir, "var/lib/rpm/rpmdb.sqlite", "not a database at all");
	collect_expecting(dir, "rpmdb.sqlite: not an SQLite database");

	char *path = rs_sprintf("%s/var/lib/rpm/rpmdb.sqlite", dir);
	remove(path);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE Other (x);"
					  "CREATE VIEW Packages AS SELECT 1 AS hnum, x AS blob FROM Other;",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	collect_expecting(dir, "no Packages table");
	free(path);
	rs_test_rmrf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_headers),
		cmocka_unit_test(test_malformed_headers),
		cmocka_unit_test(test_collect_sqlite),
		cmocka_unit_test(test_collect_problems),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
