/*
 * test_lines.c — the line reader (empty text, a last line without newline,
 * CRLF kept, NUL bytes, lines cut in place, defects), the problem counter
 * (the "FILE:LINE:" form, the cap and its "more problems" line), the line
 * and stanza loops, and the host file read (absent files are silent; FIFOs and directories get one warning
 * naming the path, without blocking).
 */
#include "testutil.h"
#include "core/host.h"
#include "core/lines.h"
#include "core/util.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The next line of R is WANT (N bytes), number NUMBER, ended or not. */
static void expect_line(rs_lines *r, const char *want, size_t n, size_t number, bool unended)
{
	const char *line;
	size_t len;
	assert_true(rs_lines_next(r, &line, &len));
	assert_int_equal(len, n);
	assert_memory_equal(line, want, n);
	assert_int_equal(r->number, number);
	assert_int_equal(r->unended, unended);
	assert_false(r->has_nul);
}

static void expect_end(rs_lines *r)
{
	const char *line;
	size_t len;
	assert_false(rs_lines_next(r, &line, &len));
}

static void test_empty(void **state)
{
	(void)state;
	rs_lines r;
	rs_lines_init(&r, "", 0);
	expect_end(&r);
	assert_int_equal(r.number, 0);
	rs_lines_init(&r, "\n", 1);
	expect_line(&r, "", 0, 1, false);
	expect_end(&r);
}

static void test_lines_and_numbers(void **state)
{
	(void)state;
	static const char text[] = "one\n\nthree";
	rs_lines r;
	rs_lines_init(&r, text, sizeof(text) - 1);
	expect_line(&r, "one", 3, 1, false);
	expect_line(&r, "", 0, 2, false);
	expect_line(&r, "three", 5, 3, true);
	expect_end(&r);
}

static void test_crlf_kept(void **state)
{
	(void)state;
	static const char text[] = "a\r\nb\r\n";
	rs_lines r;
	rs_lines_init(&r, text, sizeof(text) - 1);
	expect_line(&r, "a\r", 2, 1, false);
	expect_line(&r, "b\r", 2, 2, false);
	expect_end(&r);
}

static void test_nul_and_defects(void **state)
{
	(void)state;
	static const char text[] = "a\0b\nlonger line\nok";
	rs_lines r;
	const char *line;
	size_t n;
	rs_lines_init(&r, text, sizeof(text) - 1);
	assert_true(rs_lines_next(&r, &line, &n));
	assert_int_equal(n, 3);
	assert_true(r.has_nul);
	assert_string_equal(rs_lines_defect(&r, 100), "holds a NUL byte");
	assert_true(rs_lines_next(&r, &line, &n));
	assert_false(r.has_nul);
	assert_string_equal(rs_lines_defect(&r, 5), "is too long");
	assert_null(rs_lines_defect(&r, 11));
	assert_true(rs_lines_next(&r, &line, &n));
	assert_null(rs_lines_defect(&r, 2));
	assert_false(rs_lines_next(&r, &line, &n));
}

static void test_cut_in_place(void **state)
{
	(void)state;
	char *copy = rs_strndup("k=v\nlast", 8);
	rs_lines r;
	const char *line;
	size_t n;
	rs_lines_init(&r, copy, 8);
	assert_true(rs_lines_next(&r, &line, &n));
	char *s = rs_lines_cut(&r, copy);
	assert_string_equal(s, "k=v");
	s[0] = 'K';
	assert_true(rs_lines_next(&r, &line, &n));
	assert_string_equal(rs_lines_cut(&r, copy), "last");
	assert_false(rs_lines_next(&r, &line, &n));
	assert_memory_equal(copy, "K=v\0last", 9);
	free(copy);
}

static void test_problems_capped(void **state)
{
	(void)state;
	rs_problems p = {"f", 0, 3};
	rs_test_capture_start();
	for (size_t i = 1; i <= 5; i++)
		rs_problem(&p, i, "bad %zu", i);
	assert_int_equal(rs_problems_finish(&p), 5);
	assert_int_equal(rs_test_captured_count(), 4);
	assert_true(rs_test_captured_contains("f:1: bad 1"));
	assert_true(rs_test_captured_contains("f:3: bad 3"));
	assert_false(rs_test_captured_contains("bad 4"));
	assert_true(rs_test_captured_contains("f: 2 more problems not shown"));
	rs_test_capture_stop();
}

static void test_problems_uncapped_and_lineless(void **state)
{
	(void)state;
	rs_problems p = {"g", 0, 0};
	rs_test_capture_start();
	for (size_t i = 1; i <= 30; i++)
		rs_problem(&p, i, "line %s; skipped", "is too long");
	rs_problem(&p, 0, "whole file");
	assert_int_equal(rs_problems_finish(&p), 31);
	assert_int_equal(rs_test_captured_count(), 31);
	assert_true(rs_test_captured_contains("g:30: line is too long; skipped"));
	assert_true(rs_test_captured_contains("g: whole file"));
	assert_false(rs_test_captured_contains("more problems"));
	rs_test_capture_stop();

	rs_problems q = {"h", 0, 3};
	rs_test_capture_start();
	rs_problem(&q, 1, "one");
	rs_problem(&q, 2, "two");
	rs_problem(&q, 3, "three");
	assert_int_equal(rs_problems_finish(&q), 3);
	assert_int_equal(rs_test_captured_count(), 3);
	rs_test_capture_stop();
}

static const char *reject_x(const rs_lines *r, const char *line, size_t n, void *ctx)
{
	(void)r;
	*(int *)ctx += 1;
	return n > 0 && line[0] == 'x' ? "starts with x" : NULL;
}

static void test_parse_lines(void **state)
{
	(void)state;
	static const char text[] = "a\nxb\n\nxc";
	int calls = 0;
	rs_test_capture_start();
	assert_int_equal(rs_parse_lines(text, sizeof(text) - 1, "f", reject_x, &calls), 2);
	assert_int_equal(calls, 4);
	assert_int_equal(rs_test_captured_count(), 2);
	assert_true(rs_test_captured_contains("f:2: line starts with x; skipped"));
	assert_true(rs_test_captured_contains("f:4: line starts with x; skipped"));
	rs_test_capture_stop();
}

/* Records the stanza calls as text: "L<number>:<line>" and "E". */
static void record_line(char *line, size_t len, size_t number, rs_problems *p, void *ctx)
{
	(void)p;
	assert_int_equal(strlen(line), len);
	rs_buf_printf(ctx, "L%zu:%s ", number, line);
}

static void record_end(rs_problems *p, void *ctx)
{
	(void)p;
	rs_buf_puts(ctx, "E ");
}

static void test_parse_stanzas(void **state)
{
	(void)state;
	static const char text[] = "a: 1\r\nb: 2\n\nc\0d\n\ne: 5";
	rs_buf calls;
	rs_buf_init(&calls);
	rs_problems p = {"st", 0, 20};
	rs_test_capture_start();
	assert_int_equal(rs_parse_stanzas(text, sizeof(text) - 1, &p, record_line, record_end, &calls),
			 2);
	assert_string_equal(calls.data, "L1:a: 1 L2:b: 2 E E L6:e: 5 E ");
	assert_true(rs_test_captured_contains("st:4: NUL byte in line; skipped"));
	assert_true(rs_test_captured_contains("st:6: file ends in the middle of a line"));
	rs_test_capture_stop();
	rs_buf_free(&calls);
}

static void test_split_blanks(void **state)
{
	(void)state;
	char s[] = "  a \t b  c\t";
	char *fields[2];
	assert_int_equal(rs_split_blanks(s, fields, 2), 2);
	assert_string_equal(fields[0], "a");
	assert_string_equal(fields[1], "b");
}

/* Reads PATH through a host on DIR; returns what rs_read_host_file did. */
static int read_in(const char *dir, const char *path, int *problems, char **text)
{
	rs_host h;
	assert_int_equal(rs_host_init(&h, dir, ""), 0);
	size_t len = 0;
	*text = NULL;
	int rc = rs_read_host_file(&h, path, 1024, "the test file", "nothing is listed", text, &len,
				   problems);
	int e = errno;
	rs_host_free(&h);
	errno = e;
	return rc;
}

static void test_read_host_file(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	rs_test_write(dir, "etc/data", "x=1\n");
	rs_test_write(dir, "etc/plain", "not a directory\n");
	rs_test_mkdir(dir, "etc/dir");
	char *fifo = rs_sprintf("%s/etc/fifo", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	int problems = 0;
	char *text;
	rs_test_capture_start();

	assert_int_equal(read_in(dir, "/etc/data", &problems, &text), 0);
	assert_string_equal(text, "x=1\n");
	free(text);
	assert_int_equal(read_in(dir, "/etc/missing", &problems, &text), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(read_in(dir, "/etc/plain/child", &problems, &text), -1);
	assert_int_equal(errno, ENOTDIR);
	assert_int_equal(problems, 0);
	assert_int_equal(rs_test_captured_count(), 0);

	assert_int_equal(read_in(dir, "/etc/fifo", &problems, &text), -1); /* never blocks */
	assert_int_equal(problems, 1);
	assert_int_equal(rs_test_captured_count(), 1);
	char *want = rs_sprintf("%s/etc/fifo: cannot read the test file: not a regular file; "
				"nothing is listed", dir);
	assert_true(rs_test_captured_contains(want));
	free(want);

	assert_int_equal(read_in(dir, "/etc/dir", &problems, &text), -1);
	assert_int_equal(problems, 2);
	assert_int_equal(rs_test_captured_count(), 2);
	want = rs_sprintf("%s/etc/dir: cannot read the test file: ", dir);
	assert_true(rs_test_captured_contains(want));
	free(want);
	rs_test_capture_stop();
	free(fifo);
	rs_test_rmrf(dir);
	free(dir);
}

static void test_warn_unreadable(void **state)
{
	(void)state;
	rs_host h;
	assert_int_equal(rs_host_init(&h, "/", ""), 0);
	rs_test_capture_start();
	rs_warn_unreadable(&h, "/etc/shadow", EACCES, NULL, NULL);
	rs_warn_unreadable(&h, "/etc/x", EINVAL, NULL, "skipped");
	assert_int_equal(rs_test_captured_count(), 2);
	assert_true(rs_test_captured_contains("/etc/shadow: cannot read: Permission denied"));
	assert_true(rs_test_captured_contains("/etc/x: cannot read: not a regular file; skipped"));
	rs_test_capture_stop();
	rs_host_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_lines_and_numbers),
		cmocka_unit_test(test_crlf_kept),
		cmocka_unit_test(test_nul_and_defects),
		cmocka_unit_test(test_cut_in_place),
		cmocka_unit_test(test_problems_capped),
		cmocka_unit_test(test_problems_uncapped_and_lineless),
		cmocka_unit_test(test_parse_lines),
		cmocka_unit_test(test_parse_stanzas),
		cmocka_unit_test(test_split_blanks),
		cmocka_unit_test(test_read_host_file),
		cmocka_unit_test(test_warn_unreadable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
