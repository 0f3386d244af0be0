/*
 * test_progress.c — the progress line: counts with thousands separators,
 * sizes, the rate, the time left only once the totals are final, a module
 * with a note, control characters of file names never reaching the
 * terminal, and a disabled meter writing nothing.
 */
#include "testutil.h"
#include "engine/progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_format_final_totals(void **state)
{
	(void)state;
	char buf[512];
	rs_progress_counts c = { .files_done = 12345, .bytes_done = 1024ULL * 1024 * 100,
				 .files_total = 40000, .bytes_total = 1024ULL * 1024 * 400, .total_final = true };
	rs_progress_format(buf, sizeof(buf), "hunt", &c, 10000, "/usr/lib/x");
	/* 100 MiB in 10 s: 10 MiB/s; 300 MiB left: 30 s */
	assert_string_equal(buf, "hunt: 12,345/40,000 files, 100.0 MiB/400.0 MiB, 10.0 MiB/s, ETA 0:30, /usr/lib/x");
}

static void test_format_open_totals(void **state)
{
	(void)state;
	char buf[512];
	rs_progress_counts c = { .files_done = 999, .files_total = 1500, .bytes_done = 512, .bytes_total = 2048 };
	rs_progress_format(buf, sizeof(buf), "hunt", &c, 2000, NULL);
	/* the walk is still finding files: no ETA, the total marked open */
	assert_non_null(strstr(buf, "999/1,500+ files"));
	assert_null(strstr(buf, "ETA"));
	assert_non_null(strstr(buf, "256 B/s"));
}

static void test_format_files_only(void **state)
{
	(void)state;
	char buf[512];
	rs_progress_counts c = { .files_done = 3072, .files_total = 91200, .total_final = true };
	rs_progress_format(buf, sizeof(buf), "integrity", &c, 4000, NULL);
	/* 768 files/s, 88,128 left: 1:54.75 -> 1:55 */
	assert_string_equal(buf, "integrity: 3,072/91,200 files, 768 files/s, ETA 1:55");
	rs_progress_counts hours = { .files_done = 1, .files_total = 10000, .total_final = true };
	rs_progress_format(buf, sizeof(buf), "x", &hours, 1000, NULL);
	assert_non_null(strstr(buf, "ETA 2:46:39"));
}

static void test_format_too_early_and_tiny_buffer(void **state)
{
	(void)state;
	char buf[512];
	rs_progress_counts c = { .files_done = 5, .files_total = 10, .total_final = true };
	rs_progress_format(buf, sizeof(buf), "hunt", &c, 100, NULL);
	assert_string_equal(buf, "hunt: 5/10 files"); /* no rate in the first half second */
	char small[8];
	rs_progress_format(small, sizeof(small), "integrity", &c, 5000, "/very/long/path");
	assert_int_equal(strlen(small), 7);
}

/* Reads what a meter drew into a temp file. */
static char *drawn(FILE *f)
{
	fflush(f);
	long n = ftell(f);
	rewind(f);
	char *text = calloc(1, (size_t)n + 1);
	assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
	return text;
}

static void test_meter_draws_and_sanitises(void **state)
{
	(void)state;
	FILE *f = tmpfile();
	assert_non_null(f);
	rs_progress *p = rs_progress_new(true, f);
	int hunt = rs_progress_begin(p, "hunt");
	int rk = rs_progress_begin(p, "rootkit");
	assert_true(hunt >= 0 && rk >= 0 && hunt != rk);
	rs_progress_note(p, rk, "probing 4194304 pids");
	rs_progress_found(p, hunt, 2, 300, true);
	usleep(120 * 1000);
	rs_progress_done(p, hunt, 1, 100, "/tmp/\033]0;evil\007name");
	rs_progress_end(p, rk);
	rs_progress_free(p);
	char *text = drawn(f);
	assert_non_null(strstr(text, "hunt: 1/2 files"));
	assert_non_null(strstr(text, "rootkit: probing 4194304 pids"));
	assert_non_null(strstr(text, " | "));
	assert_non_null(strstr(text, "/tmp/?]0;evil?name"));
	assert_null(strstr(text, "\007"));
	/* the only escapes are the meter's own line clears */
	for (char *e = strchr(text, '\033'); e; e = strchr(e + 1, '\033'))
		assert_memory_equal(e, "\033[K", 3);
	/* the line is cleared at the end */
	size_t len = strlen(text);
	assert_true(len >= 4 && !strcmp(text + len - 4, "\r\033[K"));
	free(text);
	fclose(f);
}

static void test_disabled_meter_writes_nothing(void **state)
{
	(void)state;
	FILE *f = tmpfile();
	rs_progress *p = rs_progress_new(false, f);
	int s = rs_progress_begin(p, "hunt");
	assert_int_equal(s, -1);
	rs_progress_found(p, s, 1, 1, true);
	rs_progress_done(p, s, 1, 1, "x");
	rs_progress_note(p, s, "y");
	rs_progress_set(p, 3, 1, 2); /* a slot never begun: ignored */
	rs_progress_end(p, s);
	rs_progress_free(p);
	assert_int_equal(ftell(f), 0);
	fclose(f);
	rs_progress_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_final_totals),
		cmocka_unit_test(test_format_open_totals),
		cmocka_unit_test(test_format_files_only),
		cmocka_unit_test(test_format_too_early_and_tiny_buffer),
		cmocka_unit_test(test_meter_draws_and_sanitises),
		cmocka_unit_test(test_disabled_meter_writes_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
