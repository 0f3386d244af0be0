/*
 * test_osv_stream.c — OSV files read through the bounded window
 * (osv_stream.c): a record cut at every byte by the window's end, a
 * truncated last record, a record over the cap stepped over, empty arrays
 * and files, a byte order mark and blanks, a bad record in the middle named
 * by its line (also past the first block), a callback that stops, a
 * source whose size is said wrong, and a large array file read from disk.
 */
#include "testutil.h"
#include "vuln/osv_internal.h"

#include <stdlib.h>
#include <string.h>

#define BLOCK (256 * 1024) /* osv_stream.c's read size */

/* A record of every kind of token a cut can fall in: escapes, a \u escape,
 * numbers with a fraction and an exponent, literals, nested arrays. */
static const char target[] =
	"{\"id\": \"T-1\", \"summary\": \"caf\\u00e9 \\\"quoted\\\" \\\\ end\", "
	"\"database_specific\": {\"n\": -12345.5e+3, \"t\": true, \"f\": false, \"z\": null, \"a\": [[1], []]}, "
	"\"affected\": [{\"package\": {\"ecosystem\": \"Debian:12\", \"name\": \"bash\"}, \"ranges\": "
	"[{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"}, {\"fixed\": \"5.2.15-2\"}]}]}]}";

/* A withdrawn record of about SIZE bytes: valid, read, and gives nothing. */
static char *filler(size_t size)
{
	const char *head = "{\"id\": \"W-1\", \"withdrawn\": \"2024-01-01T00:00:00Z\", \"details\": \"";
	size_t n = strlen(head);
	char *f = rs_malloc(size + 4);
	memcpy(f, head, n);
	memset(f + n, 'x', size - n);
	strcpy(f + size, "\"}");
	return f;
}

static void check_target(const rs_vec *v)
{
	assert_int_equal(v->len, 1);
	const rs_vuln_record *r = rs_vec_at(v, 0);
	assert_string_equal(r->record, "T-1");
	assert_string_equal(r->package, "bash");
	assert_string_equal(r->fixed, "5.2.15-2");
	assert_non_null(r->summary);
	assert_non_null(strstr(r->summary, "caf\xc3\xa9 \"quoted\" \\ end"));
}

/* The window's first block ends at every byte of the target record in turn. */
static void test_cut_at_every_byte(void **state)
{
	(void)state;
	/* blocks of 1 to 40 bytes: a record's end is met again and again */
	for (size_t b = 1; b <= 40; b++) {
		rs_osv_set_limits(b, 0);
		char *text = rs_sprintf("\xef\xbb\xbf [ %s ,\n\n%s ]\n", target, target);
		rs_vec v;
		rs_vec_init(&v, sizeof(rs_vuln_record));
		rs_feed_stats st = { 0 };
		assert_int_equal(rs_osv_parse(text, strlen(text), "small.json", rs_test_collect_record, &v, &st), 0);
		assert_int_equal(v.len, 2);
		rs_test_free_records(&v);
		free(text);
	}
	rs_osv_set_limits(0, 0);
	/* blocks of 4 KiB: the first ends at every byte of the target in turn */
	const size_t small = 4096;
	rs_osv_set_limits(small, 0);
	size_t n = strlen(target);
	for (size_t k = 0; k <= n + 2; k++) {
		/* "[" + filler + "," + target + "]": the target starts at small - k */
		char *f = filler(small - k - 2 - 2);
		char *text = rs_sprintf("[%s,%s]", f, target);
		assert_int_equal(strlen(text) - n - 1, small - k);
		rs_vec v;
		rs_vec_init(&v, sizeof(rs_vuln_record));
		rs_feed_stats st = { 0 };
		assert_int_equal(rs_osv_parse(text, strlen(text), "cut.json", rs_test_collect_record, &v, &st), 0);
		assert_int_equal(st.skipped, 0);
		check_target(&v);
		rs_test_free_records(&v);
		free(text);
		free(f);
	}
	rs_osv_set_limits(0, 0);
}

/* A cut last record: the records before it are read, the cut one is named with its line. */
static void test_truncated_last(void **state)
{
	(void)state;
	char *text = rs_sprintf("[%s,\n%s,\n%.*s", target, target, 120, target);
	rs_vec v;
	rs_vec_init(&v, sizeof(rs_vuln_record));
	rs_feed_stats st = { 0 };
	rs_test_capture_start();
	assert_int_equal(rs_osv_parse(text, strlen(text), "trunc.json", rs_test_collect_record, &v, &st), 1);
	assert_true(rs_test_captured_contains("trunc.json: OSV record (no id): not valid JSON (line 3"));
	rs_test_capture_stop();
	assert_int_equal(v.len, 2);
	assert_int_equal(st.skipped, 1);
	rs_test_free_records(&v);
	free(text);
	/* a single-record file cut short gives nothing and one warning */
	rs_vec_init(&v, sizeof(rs_vuln_record));
	rs_test_capture_start();
	assert_int_equal(rs_osv_parse(target, 60, "one.json", rs_test_collect_record, &v, NULL), 1);
	assert_true(rs_test_captured_contains("one.json"));
	rs_test_capture_stop();
	assert_int_equal(v.len, 0);
	rs_test_free_records(&v);
}

/* A record over the cap is named and stepped over without being held; the rest is read. */
static void test_oversized(void **state)
{
	(void)state;
	rs_osv_set_limits(0, 64 * 1024);
	char *big = filler(3 * BLOCK); /* spans blocks, with "{[" in its string */
	memcpy(big + 100, "{[\\\"]}", 6);
	char *text = rs_sprintf("[%s,\n%s,\n%s]", target, big, target);
	rs_vec v;
	rs_vec_init(&v, sizeof(rs_vuln_record));
	rs_feed_stats st = { 0 };
	rs_test_capture_start();
	assert_int_equal(rs_osv_parse(text, strlen(text), "big.json", rs_test_collect_record, &v, &st), 1);
	assert_true(rs_test_captured_contains("big.json: OSV record (no id): line 2: larger than 64 KB"));
	rs_test_capture_stop();
	assert_int_equal(v.len, 2);
	rs_test_free_records(&v);
	free(text);
	/* the last record over the cap and cut short: named once more as the end */
	text = rs_sprintf("[%s,%s", target, big);
	text[strlen(text) - 2] = 0;
	rs_vec_init(&v, sizeof(rs_vuln_record));
	rs_test_capture_start();
	assert_int_equal(rs_osv_parse(text, strlen(text), "bigcut.json", rs_test_collect_record, &v, NULL), 2);
	assert_true(rs_test_captured_contains("the file ends early"));
	rs_test_capture_stop();
	assert_int_equal(v.len, 1);
	rs_test_free_records(&v);
	free(text);
	free(big);
	rs_osv_set_limits(0, 0);
}

/* Empty arrays and files, blanks and a byte order mark. */
static void test_empty_and_blanks(void **state)
{
	(void)state;
	const char *quiet[] = { "[]", " [ ]\n", "\xef\xbb\xbf[]", "\r\n\t[\n]\n\n" };
	for (size_t i = 0; i < sizeof(quiet) / sizeof(quiet[0]); i++) {
		rs_vec v;
		rs_vec_init(&v, sizeof(rs_vuln_record));
		rs_test_capture_start();
		assert_int_equal(rs_osv_parse(quiet[i], strlen(quiet[i]), "e.json", rs_test_collect_record, &v, NULL), 0);
		assert_int_equal(rs_test_captured_count(), 0);
		rs_test_capture_stop();
		assert_int_equal(v.len, 0);
		rs_test_free_records(&v);
	}
	const char *bad[] = { "", "  \n", "[", "[,]", "[] x", "\xef\xbb", "x" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rs_vec v;
		rs_vec_init(&v, sizeof(rs_vuln_record));
		rs_test_capture_start();
		assert_true(rs_osv_parse(bad[i], strlen(bad[i]), "bad.json", rs_test_collect_record, &v, NULL) >= 1);
		assert_true(rs_test_captured_contains("bad.json"));
		rs_test_capture_stop();
		assert_int_equal(v.len, 0);
		rs_test_free_records(&v);
	}
	/* a byte order mark and blanks around records */
	char *text = rs_sprintf("\xef\xbb\xbf \n[ \n%s , %s\n]\n", target, target);
	rs_vec v;
	rs_vec_init(&v, sizeof(rs_vuln_record));
	assert_int_equal(rs_osv_parse(text, strlen(text), "bom.json", rs_test_collect_record, &v, NULL), 0);
	assert_int_equal(v.len, 2);
	rs_test_free_records(&v);
	free(text);
	text = rs_sprintf("\xef\xbb\xbf\n%s\n", target);
	rs_vec_init(&v, sizeof(rs_vuln_record));
	assert_int_equal(rs_osv_parse(text, strlen(text), "bom1.json", rs_test_collect_record, &v, NULL), 0);
	check_target(&v);
	rs_test_free_records(&v);
	free(text);
}

/* A record that is not valid JSON in the middle is named by its line, also
 * past the first block, and the records after it are read. */
static void test_bad_record_line(void **state)
{
	(void)state;
	rs_buf b;
	rs_buf_init(&b);
	rs_buf_puts(&b, "[\n");
	unsigned long line = 2;
	while (b.len < 2 * BLOCK + 1000) {
		rs_buf_puts(&b, target);
		rs_buf_puts(&b, ",\n");
		line++;
	}
	size_t before = (size_t)(line - 2);
	rs_buf_puts(&b, "{\"id\": \"B-1\", \"affected\": [tru]},\n");
	rs_buf_puts(&b, target);
	rs_buf_puts(&b, "]");
	rs_vec v;
	rs_vec_init(&v, sizeof(rs_vuln_record));
	rs_feed_stats st = { 0 };
	char expect[80];
	snprintf(expect, sizeof(expect), "not valid JSON (line %lu: ", line);
	rs_test_capture_start();
	assert_int_equal(rs_osv_parse(b.data, b.len, "mid.json", rs_test_collect_record, &v, &st), 1);
	assert_true(rs_test_captured_contains(expect));
	rs_test_capture_stop();
	assert_int_equal(v.len, before + 1);
	rs_test_free_records(&v);
	rs_buf_free(&b);
}

static int stop_at_first(const rs_vuln_record *r, void *ctx)
{
	(void)r;
	(*(int *)ctx)++;
	return 1;
}

/* A callback that stops ends the reading of the file. */
static void test_stop(void **state)
{
	(void)state;
	char *text = rs_sprintf("[%s,%s,%s]", target, target, target);
	int calls = 0;
	assert_int_equal(rs_osv_parse(text, strlen(text), "stop.json", stop_at_first, &calls, NULL), 0);
	assert_int_equal(calls, 1);
	free(text);
}

typedef struct chunks {
	const char *text;
	size_t len, at;
} chunks;

static long read_chunks(void *src, char *buf, size_t n)
{
	chunks *c = src;
	size_t left = c->len - c->at;
	if (n > left)
		n = left;
	if (n > 7)
		n = 7; /* a source that gives little at a time */
	memcpy(buf, c->text + c->at, n);
	c->at += n;
	return (long)n;
}

/* A source whose size is said wrong (a zip entry can) and that gives a few
 * bytes per read is still read whole. */
static void test_wrong_size(void **state)
{
	(void)state;
	char *text = rs_sprintf("\xef\xbb\xbf[%s,\n%s]", target, target);
	size_t said[] = { 0, 1, 10, strlen(text) - 1, strlen(text), 10 * strlen(text) };
	for (size_t i = 0; i < sizeof(said) / sizeof(said[0]); i++) {
		chunks c = { text, strlen(text), 0 };
		rs_vec v;
		rs_vec_init(&v, sizeof(rs_vuln_record));
		assert_int_equal(rs_osv_read_stream(read_chunks, &c, said[i], "z.zip:a.json", rs_test_collect_record, &v, NULL), 0);
		assert_int_equal(v.len, 2);
		rs_test_free_records(&v);
	}
	free(text);
}

/* A large array file from disk gives what the same text gives in memory. */
static void test_file(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	rs_buf b;
	rs_buf_init(&b);
	rs_buf_puts(&b, "[");
	size_t n = 0;
	for (; b.len < 3 * BLOCK; n++) {
		if (n)
			rs_buf_puts(&b, ",\n");
		char *rec = rs_sprintf("{\"id\": \"F-%zu\", \"affected\": [{\"package\": {\"ecosystem\": \"Debian:12\", "
				       "\"name\": \"p%zu\"}, \"versions\": [\"1.%zu-1\"]}]}", n, n, n);
		rs_buf_puts(&b, rec);
		free(rec);
	}
	rs_buf_puts(&b, "]\n");
	rs_test_write(dir, "all.json", b.data);
	char *path = rs_sprintf("%s/all.json", dir);
	rs_vec v;
	rs_vec_init(&v, sizeof(rs_vuln_record));
	rs_feed_stats st = { 0 };
	assert_int_equal(rs_feed_read(path, rs_test_collect_record, &v, &st), 0);
	assert_int_equal(st.skipped, 0);
	assert_int_equal(v.len, n);
	for (size_t i = 0; i < n; i++) {
		const rs_vuln_record *r = rs_vec_at(&v, i);
		char want[32];
		snprintf(want, sizeof(want), "F-%zu", i);
		assert_string_equal(r->record, want);
	}
	rs_test_free_records(&v);
	/* with a byte order mark the file is still told to be OSV */
	rs_test_write(dir, "bom.json", "\xef\xbb\xbf[]");
	char *bom = rs_sprintf("%s/bom.json", dir);
	assert_string_equal(rs_feed_kind(bom), "osv");
	free(bom);
	free(path);
	rs_buf_free(&b);
	rs_test_rmrf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cut_at_every_byte),
		cmocka_unit_test(test_truncated_last),
		cmocka_unit_test(test_oversized),
		cmocka_unit_test(test_empty_and_blanks),
		cmocka_unit_test(test_bad_record_line),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_wrong_size),
		cmocka_unit_test(test_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
