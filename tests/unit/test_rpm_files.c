/*
 * test_rpm_files.c — the rpm file-list parser (collect/rpmfiles.c): paths
 * from dirnames and basenames, MD5 (the default) and SHA-256 digests,
 * %config marks, non-regular and %ghost files left out, malformed headers
 * (counts that disagree, offsets and indexes out of range, unterminated
 * strings, wrong types, truncation) refused whole, and the loading of a
 * fixture rpmdb.sqlite with good and bad headers.
 */
#include "testutil.h"

#include "collect/rpmfiles.h"
#include "core/host.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T_INT16 3
#define T_INT32 4
#define T_STRING 6
#define T_STRING_ARRAY 8

#define MD5_A "0123456789abcdef0123456789abcdef"
#define MD5_B "FEDCBA9876543210FEDCBA9876543210"
#define SHA_A "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

typedef struct builder {
	unsigned char index[64 * 16];
	size_t entries;
	unsigned char data[4096];
	size_t data_len;
} builder;

static void put_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static void add_entry(builder *b, uint32_t tag, uint32_t type, uint32_t offset, uint32_t count)
{
	unsigned char *e = b->index + b->entries++ * 16;
	put_be32(e, tag);
	put_be32(e + 4, type);
	put_be32(e + 8, offset);
	put_be32(e + 12, count);
}

static void add_strings(builder *b, uint32_t tag, uint32_t type, const char *const *v, size_t n)
{
	add_entry(b, tag, type, (uint32_t)b->data_len, (uint32_t)n);
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(v[i]) + 1;
		memcpy(b->data + b->data_len, v[i], len);
		b->data_len += len;
	}
}

static void add_ints(builder *b, uint32_t tag, uint32_t type, const uint32_t *v, size_t n)
{
	size_t size = type == T_INT16 ? 2 : 4;
	while (b->data_len % size)
		b->data[b->data_len++] = 0;
	add_entry(b, tag, type, (uint32_t)b->data_len, (uint32_t)n);
	for (size_t i = 0; i < n; i++) {
		if (size == 4) {
			put_be32(b->data + b->data_len, v[i]);
		} else {
			b->data[b->data_len] = (unsigned char)(v[i] >> 8);
			b->data[b->data_len + 1] = (unsigned char)v[i];
		}
		b->data_len += size;
	}
}

static size_t build(const builder *b, unsigned char *out)
{
	put_be32(out, (uint32_t)b->entries);
	put_be32(out + 4, (uint32_t)b->data_len);
	memcpy(out + 8, b->index, b->entries * 16);
	memcpy(out + 8 + b->entries * 16, b->data, b->data_len);
	return 8 + b->entries * 16 + b->data_len;
}

/* A package "tool" with five files in two directories: a binary, a %config
 * file, a directory, a symlink and a %ghost file. ALGO 0: no algorithm tag. */
static void files_header(builder *b, uint32_t algo, const char *d0, const char *d1)
{
	memset(b, 0, sizeof(*b));
	const char *name[] = { "tool" };
	add_strings(b, 1000, T_STRING, name, 1);
	const char *dirs[] = { "/usr/bin/", "/etc/tool/" };
	add_strings(b, 1118, T_STRING_ARRAY, dirs, 2);
	const char *base[] = { "tool", "tool.conf", "plugins", "tool-link", "tool.log" };
	add_strings(b, 1117, T_STRING_ARRAY, base, 5);
	const uint32_t idx[] = { 0, 1, 1, 0, 1 };
	add_ints(b, 1116, T_INT32, idx, 5);
	const char *dig[] = { d0, d1, "", "", d0 };
	add_strings(b, 1035, T_STRING_ARRAY, dig, 5);
	const uint32_t modes[] = { 0100755, 0100644, 040755, 0120777, 0100644 };
	add_ints(b, 1030, T_INT16, modes, 5);
	const uint32_t flags[] = { 0, 1 | 16, 0, 0, 64 };
	add_ints(b, 1037, T_INT32, flags, 5);
	if (algo) {
		const uint32_t a[] = { algo };
		add_ints(b, 5011, T_INT32, a, 1);
	}
}

static void free_files(rs_vec *v)
{
	rs_rpm_files_free(v);
	rs_vec_init(v, sizeof(rs_rpm_file));
}

static void test_good_headers(void **state)
{
	(void)state;
	builder b;
	unsigned char blob[8192];
	rs_vec v;
	rs_vec_init(&v, sizeof(rs_rpm_file));

	files_header(&b, 0, MD5_A, MD5_B);   /* no algorithm tag: MD5 */
	assert_int_equal(rs_parse_rpm_files(blob, build(&b, blob), &v), 2);
	const rs_rpm_file *f = rs_vec_at(&v, 0);
	assert_string_equal(f->path, "/usr/bin/tool");
	assert_string_equal(f->package, "tool");
	assert_string_equal(f->digest, MD5_A);
	assert_false(f->conffile);
	f = rs_vec_at(&v, 1);
	assert_string_equal(f->path, "/etc/tool/tool.conf");
	assert_string_equal(f->digest, "fedcba9876543210fedcba9876543210");   /* lower-cased */
	assert_true(f->conffile);
	free_files(&v);

	files_header(&b, 8, SHA_A, SHA_A);
	assert_int_equal(rs_parse_rpm_files(blob, build(&b, blob), &v), 2);
	assert_string_equal(((rs_rpm_file *)rs_vec_at(&v, 0))->digest, SHA_A);
	free_files(&v);

	/* digests of the wrong length for the algorithm are left out */
	files_header(&b, 8, MD5_A, SHA_A);
	assert_int_equal(rs_parse_rpm_files(blob, build(&b, blob), &v), 1);
	assert_string_equal(((rs_rpm_file *)rs_vec_at(&v, 0))->path, "/etc/tool/tool.conf");
	free_files(&v);
	files_header(&b, 1, "0123456789abcdefg123456789abcdef", MD5_A);   /* not hex */
	assert_int_equal(rs_parse_rpm_files(blob, build(&b, blob), &v), 1);
	free_files(&v);

	/* an algorithm we do not implement (SHA-512: 10): nothing to verify */
	files_header(&b, 10, MD5_A, MD5_A);
	assert_int_equal(rs_parse_rpm_files(blob, build(&b, blob), &v), 0);
	assert_int_equal(v.len, 0);

	/* a package without files (gpg-pubkey) */
	memset(&b, 0, sizeof(b));
	const char *name[] = { "gpg-pubkey" };
	add_strings(&b, 1000, T_STRING, name, 1);
	assert_int_equal(rs_parse_rpm_files(blob, build(&b, blob), &v), 0);
	rs_rpm_files_free(&v);
}

static void expect_bad(const unsigned char *blob, size_t len)
{
	rs_vec v;
	rs_vec_init(&v, sizeof(rs_rpm_file));
	assert_int_equal(rs_parse_rpm_files(blob, len, &v), -1);
	assert_int_equal(v.len, 0);
	rs_rpm_files_free(&v);
}

/* Index entry I of a built blob. */
static unsigned char *entry_of(unsigned char *blob, size_t i)
{
	return blob + 8 + i * 16;
}

static void test_malformed_headers(void **state)
{
	(void)state;
	builder b;
	unsigned char blob[8192];
	files_header(&b, 8, SHA_A, SHA_A);
	size_t len = build(&b, blob);
	/* entries: 0 NAME, 1 DIRNAMES, 2 BASENAMES, 3 DIRINDEXES, 4 DIGESTS, 5 MODES, 6 FLAGS, 7 ALGO */
	expect_bad(blob, len - 1);
	expect_bad(blob, 7);
	expect_bad(NULL, 0);

	static const struct { size_t entry, field; uint32_t value; } cases[] = {
		{ 2, 12, 6 },            /* more basenames than digests */
		{ 2, 12, 0x7fffffff },   /* a count beyond the data store */
		{ 1, 12, 0x7fffffff },
		{ 4, 12, 0x7fffffff },
		{ 3, 12, 4 },            /* fewer dir indexes than files */
		{ 5, 12, 4 },            /* fewer modes */
		{ 6, 12, 4 },            /* fewer flags */
		{ 3, 8, 0xfffffff0 },    /* offsets out of the data store */
		{ 5, 8, 0xfffffff0 },
		{ 6, 8, 0xfffffff0 },
		{ 7, 8, 0xfffffff0 },
		{ 2, 8, 0xfffffff0 },
		{ 0, 8, 0xfffffff0 },
		{ 1, 12, 1 },            /* an index pointing past the directories */
		{ 2, 4, T_STRING },      /* wrong types */
		{ 3, 4, T_INT16 },
		{ 5, 4, T_INT32 },
		{ 7, 4, T_STRING },
		{ 0, 4, T_INT32 },
		{ 7, 12, 0 },            /* an empty algorithm tag */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		len = build(&b, blob);
		put_be32(entry_of(blob, cases[i].entry) + cases[i].field, cases[i].value);
		expect_bad(blob, len);
	}

	/* the last digest runs off the end of the data store: remove its NUL
	 * by truncating the data store just before it */
	memset(&b, 0, sizeof(b));
	const char *name[] = { "x" };
	add_strings(&b, 1000, T_STRING, name, 1);
	const char *dirs[] = { "/" };
	add_strings(&b, 1118, T_STRING_ARRAY, dirs, 1);
	const char *base[] = { "a" };
	add_strings(&b, 1117, T_STRING_ARRAY, base, 1);
	const uint32_t zero[] = { 0 }, mode[] = { 0100644 };
	add_ints(&b, 1116, T_INT32, zero, 1);
	add_ints(&b, 1030, T_INT16, mode, 1);
	const char *dig[] = { MD5_A };
	add_strings(&b, 1035, T_STRING_ARRAY, dig, 1);
	b.data_len--;
	expect_bad(blob, build(&b, blob));
	b.data_len++;
	rs_vec v;
	rs_vec_init(&v, sizeof(rs_rpm_file));
	assert_int_equal(rs_parse_rpm_files(blob, build(&b, blob), &v), 1);
	assert_string_equal(((rs_rpm_file *)rs_vec_at(&v, 0))->path, "/a");
	rs_rpm_files_free(&v);

	/* basenames without dir names or modes: malformed */
	memset(&b, 0, sizeof(b));
	add_strings(&b, 1000, T_STRING, name, 1);
	add_strings(&b, 1117, T_STRING_ARRAY, base, 1);
	add_strings(&b, 1035, T_STRING_ARRAY, dig, 1);
	expect_bad(blob, build(&b, blob));
	/* no name: malformed */
	memset(&b, 0, sizeof(b));
	add_strings(&b, 1117, T_STRING_ARRAY, base, 1);
	expect_bad(blob, build(&b, blob));
}

static void insert(sqlite3 *db, const unsigned char *blob, size_t len)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO Packages(blob) VALUES (?)", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_blob(st, 1, blob, (int)len, SQLITE_TRANSIENT);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
}

static void test_load_rpmdb(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	rs_test_mkdir(dir, "var/lib/rpm");
	char *path = rs_sprintf("%s/var/lib/rpm/rpmdb.sqlite", dir);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA journal_mode=WAL;"
				      "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL);",
				      NULL, NULL, NULL), SQLITE_OK);
	builder b;
	unsigned char blob[8192];
	files_header(&b, 8, SHA_A, SHA_A);
	size_t len = build(&b, blob);
	insert(db, blob, len);
	insert(db, blob, len - 5);                       /* hnum 2: truncated */
	insert(db, (const unsigned char *)"junk", 4);    /* hnum 3 */
	sqlite3_close(db);

	rs_host h;
	assert_int_equal(rs_host_init(&h, dir, ""), 0);
	rs_vec v;
	rs_vec_init(&v, sizeof(rs_rpm_file));
	rs_test_capture_start();
	assert_int_equal(rs_rpm_files_load(&h, &v), 2);
	assert_true(rs_test_captured_contains("rpmdb.sqlite: package header 2 has a malformed file list"));
	assert_true(rs_test_captured_contains("rpmdb.sqlite: package header 3 has a malformed file list"));
	rs_test_capture_stop();
	assert_int_equal(v.len, 2);
	assert_string_equal(((rs_rpm_file *)rs_vec_at(&v, 0))->path, "/usr/bin/tool");
	rs_rpm_files_free(&v);

	/* not an SQLite file: one warning, nothing listed */
	rs_test_write(dir, "var/lib/rpm/rpmdb.sqlite", "not a database at all");
	rs_vec_init(&v, sizeof(rs_rpm_file));
	rs_test_capture_start();
	assert_int_equal(rs_rpm_files_load(&h, &v), 1);
	assert_true(rs_test_captured_contains("not an SQLite database"));
	rs_test_capture_stop();
	assert_int_equal(v.len, 0);
	rs_rpm_files_free(&v);
	rs_host_free(&h);

	/* no rpm database at all: silent */
	char *empty = rs_test_tmpdir();
	assert_int_equal(rs_host_init(&h, empty, ""), 0);
	rs_vec_init(&v, sizeof(rs_rpm_file));
	assert_int_equal(rs_rpm_files_load(&h, &v), 0);
	rs_rpm_files_free(&v);
	rs_host_free(&h);
	rs_test_rmrf(empty);
	free(empty);
	rs_test_rmrf(dir);
	free(path);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_headers),
		cmocka_unit_test(test_malformed_headers),
		cmocka_unit_test(test_load_rpmdb),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
