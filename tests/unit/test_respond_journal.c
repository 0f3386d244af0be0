/*
 * test_respond_journal.c — the respond journal: appends chain each line to
 * the one before, survive a reopen, a changed line is found by its number,
 * a torn last line is cut (with a warning naming the byte offset) and
 * appending goes on from the line before it, malformed lines are reported,
 * and a second opener waits for the lock.
 */
#include "testutil.h"

#include "core/digest.h"
#include "core/util.h"
#include "respond/journal.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static const char zeros[] = "0000000000000000000000000000000000000000000000000000000000000000";

static json_t *action_line(const char *id, const char *state)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:{s:s}}", "type", "action", "id", id, "action",
			 "quarantine", "state", state, "target", "path", "/tmp/x");
}

static void append(rs_journal *j, const char *id, const char *state)
{
	char err[512];
	json_t *line = action_line(id, state);
	if (rs_journal_append(j, line, err, sizeof(err)) != 0)
		fail_msg("append: %s", err);
	json_decref(line);
}

static char *journal_file(const char *dir)
{
	return rs_sprintf("%s/%s", dir, RS_JOURNAL_FILE);
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *buf = rs_malloc(1 << 20);
	*len = fread(buf, 1, (1 << 20) - 1, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

static void write_all(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static void verify(const char *dir, size_t want_lines, size_t want_bad)
{
	size_t lines, bad;
	char why[256], err[256];
	assert_int_equal(rs_journal_verify(dir, &lines, &bad, why, sizeof(why), err, sizeof(err)), 0);
	assert_int_equal(lines, want_lines);
	if (bad != want_bad)
		fail_msg("bad line %zu (%s), wanted %zu", bad, why, want_bad);
}

/* Three appends: the first prev is 64 zeros, each next one the SHA-256 of
 * the line before; the file is 0600; a reopen sees the same latest states. */
static void test_append_chain_reopen(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	char err[512];
	rs_journal *j;
	assert_int_equal(rs_journal_open(dir, &j, err, sizeof(err)), 0);
	append(j, "a-1", "planned");
	append(j, "a-1", "applied");
	append(j, "a-2", "planned");
	rs_journal_close(j);

	char *path = journal_file(dir);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	size_t len;
	char *text = read_all(path, &len);
	char *lines[4];
	assert_int_equal(rs_split(text, '\n', lines, 4), 4);
	assert_string_equal(lines[3], "");
	char hash[65];
	for (int i = 0; i < 3; i++) {
		json_t *obj = json_loads(lines[i], 0, NULL);
		assert_non_null(obj);
		const char *prev = json_string_value(json_object_get(obj, "prev"));
		if (i == 0)
			assert_string_equal(prev, zeros);
		else
			assert_string_equal(prev, hash);
		rs_sha256_hex(lines[i], strlen(lines[i]), hash);
		json_decref(obj);
	}
	verify(dir, 3, 0);

	assert_int_equal(rs_journal_open(dir, &j, err, sizeof(err)), 0);
	assert_int_equal(json_array_size(rs_journal_action_ids(j)), 2);
	assert_string_equal(json_string_value(json_object_get(rs_journal_latest(j, "a-1"), "state")), "applied");
	assert_non_null(rs_journal_latest_in_state(j, "a-1", "planned"));
	assert_null(rs_journal_latest_in_state(j, "a-2", "applied"));
	assert_null(rs_journal_latest(j, "a-3"));
	append(j, "a-2", "failed");
	assert_int_equal(rs_journal_bad_line(j, NULL), 0);
	json_t *history = rs_journal_history(j, "a-2");
	assert_int_equal(json_array_size(history), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(history, 0), "state")), "planned");
	assert_string_equal(json_string_value(json_object_get(json_array_get(history, 1), "state")), "failed");
	json_decref(history);
	rs_journal_close(j);
	verify(dir, 4, 0);

	free(text);
	free(path);
	rs_test_rmrf(dir);
	free(dir);
}

/* Writes a 4-line journal and returns its text. */
static char *four_lines(const char *dir, size_t *len)
{
	char err[512];
	rs_journal *j;
	assert_int_equal(rs_journal_open(dir, &j, err, sizeof(err)), 0);
	append(j, "a-1", "planned");
	append(j, "a-1", "applied");
	append(j, "a-2", "planned");
	append(j, "a-2", "applied");
	rs_journal_close(j);
	char *path = journal_file(dir);
	char *text = read_all(path, len);
	free(path);
	return text;
}

/* A changed byte in line 2 (still valid JSON) breaks the chain at line 3:
 * verify names line 3; a removed first line is found at the new line 1. */
static void test_tampered_line(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	size_t len;
	char *text = four_lines(dir, &len);
	char *path = journal_file(dir);

	char *copy = rs_strdup(text);
	char *p = strstr(strstr(copy, "\n") + 1, "/tmp/x");
	assert_non_null(p);
	p[5] = 'y'; /* /tmp/y in line 2 */
	write_all(path, copy, len);
	verify(dir, 4, 3);

	/* the journal still opens, with a warning naming the line */
	rs_test_capture_start();
	char err[512];
	rs_journal *j;
	assert_int_equal(rs_journal_open(dir, &j, err, sizeof(err)), 0);
	const char *why;
	assert_int_equal(rs_journal_bad_line(j, &why), 3);
	assert_non_null(strstr(why, "line 2"));
	assert_true(rs_test_captured_contains("line 3"));
	rs_journal_close(j);
	rs_test_capture_stop();

	/* the first line removed */
	const char *second = strchr(text, '\n') + 1;
	write_all(path, second, len - (size_t)(second - text));
	verify(dir, 3, 1);

	free(copy);
	free(text);
	free(path);
	rs_test_rmrf(dir);
	free(dir);
}

/* A last line without newline, or one that does not parse, is cut at open
 * with a warning naming the file and byte offset; the next append chains
 * to the line before it and verify passes again. */
static void test_torn_tail(void **state)
{
	(void)state;
	const char *tails[] = { "{\"type\":\"action\",\"id\":\"a-3\",\"sta", "{\"type\":\"act\n",
				"garbage\n", "{\"type\":\"action\",\"id\":\"a-3\",\"action\":\"x\",\"state\":\"planned\"}" };
	for (size_t t = 0; t < sizeof(tails) / sizeof(tails[0]); t++) {
		char *dir = rs_test_tmpdir();
		size_t len;
		char *text = four_lines(dir, &len);
		char *path = journal_file(dir);
		char *torn = rs_sprintf("%s%s", text, tails[t]);
		write_all(path, torn, strlen(torn));
		verify(dir, 5, 5);

		rs_test_capture_start();
		char err[512];
		rs_journal *j;
		assert_int_equal(rs_journal_open(dir, &j, err, sizeof(err)), 0);
		char offset[64];
		snprintf(offset, sizeof(offset), "byte offset %zu", len);
		assert_true(rs_test_captured_contains(offset));
		assert_true(rs_test_captured_contains(RS_JOURNAL_FILE));
		assert_int_equal(json_array_size(rs_journal_action_ids(j)), 2);
		append(j, "a-3", "planned");
		rs_journal_close(j);
		rs_test_capture_stop();
		verify(dir, 5, 0);

		free(torn);
		free(text);
		free(path);
		rs_test_rmrf(dir);
		free(dir);
	}
}

/* Malformed lines in the middle are reported by number and reason; the
 * parser never fails on any input. */
static void test_malformed_lines(void **state)
{
	(void)state;
	struct {
		const char *text;
		size_t bad;
		const char *why;
	} cases[] = {
		{ "", 0, NULL },
		{ "\n{}\n", 1, "not JSON" },
		{ "[1,2]\n\n", 1, "not a JSON object" },
		{ "{\"type\":\"scan\"}\n{}\n", 1, "\"type\"" },
		{ "{\"type\":\"action\",\"id\":\"b-1\"}\n{}\n", 1, "action id" },
		{ "{\"type\":\"action\",\"id\":\"a-1\",\"action\":\"kill\",\"state\":\"gone\",\"prev\":\"x\"}\n{}\n", 1, "state" },
		{ "{\"type\":\"action\",\"id\":\"a-1\",\"action\":\"kill\",\"state\":\"planned\",\"prev\":\"x\"}\n{}\n", 1, "prev" },
		{ "{\"type\":\"action\",\"type\":\"action\"}\n{}\n", 1, "duplicate" },
		{ "{\"type\":\"action\",\"id\":\"a-1\",\"action\":\"kill\",\"state\":\"planned\",\"prev\":\"0000000000000000000000000000000000000000000000000000000000000001\"}\n{}\n", 1, "first line" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rs_journal_text t;
		rs_journal_parse(cases[i].text, strlen(cases[i].text), &t);
		if (t.bad_line != cases[i].bad)
			fail_msg("case %zu: bad line %zu (%s), wanted %zu", i, t.bad_line, t.bad_why, cases[i].bad);
		if (cases[i].why && !strstr(t.bad_why, cases[i].why))
			fail_msg("case %zu: reason \"%s\" lacks \"%s\"", i, t.bad_why, cases[i].why);
		rs_journal_text_free(&t);
	}
	/* a NUL byte and invalid UTF-8 inside a line */
	const char nul[] = "{\"type\":\"action\"\0}\n\xff\xfe\n{}\n";
	rs_journal_text t;
	rs_journal_parse(nul, sizeof(nul) - 1, &t);
	assert_int_equal(t.bad_line, 1);
	assert_int_equal(json_array_size(t.lines), 2);
	rs_journal_text_free(&t);
}

/* A symlink or a FIFO at the journal's name is refused, not followed. */
static void test_refuses_links(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	char *path = journal_file(dir);
	assert_int_equal(symlink("/etc/passwd", path), 0);
	char err[512];
	rs_journal *j;
	assert_int_equal(rs_journal_open(dir, &j, err, sizeof(err)), -1);
	assert_non_null(strstr(err, RS_JOURNAL_FILE));
	unlink(path);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(rs_journal_open(dir, &j, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a regular file"));
	size_t lines, bad;
	char why[128];
	assert_int_equal(rs_journal_verify(dir, &lines, &bad, why, sizeof(why), err, sizeof(err)), -1);
	free(path);
	rs_test_rmrf(dir);
	free(dir);
}

/* While one opener holds the journal, another process cannot lock it. */
static void test_exclusive_lock(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	char err[512];
	rs_journal *j;
	assert_int_equal(rs_journal_open(dir, &j, err, sizeof(err)), 0);
	char *path = journal_file(dir);
	int fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_EX | LOCK_NB), -1);
	rs_journal_close(j);
	assert_int_equal(flock(fd, LOCK_EX | LOCK_NB), 0);
	close(fd);
	free(path);
	rs_test_rmrf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_append_chain_reopen),
		cmocka_unit_test(test_tampered_line),
		cmocka_unit_test(test_torn_tail),
		cmocka_unit_test(test_malformed_lines),
		cmocka_unit_test(test_refuses_links),
		cmocka_unit_test(test_exclusive_lock),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
