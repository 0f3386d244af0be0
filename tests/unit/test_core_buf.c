/*
 * test_core_buf.c — rs_buf_printf and rs_sprintf (core/util.c): texts
 * shorter and longer than the room a buffer has (the one-pass and the
 * two-pass paths), appended after what the buffer holds, empty results;
 * rs_fill_strings (core/fill.c) against snprintf on the forms it knows and
 * the forms it leaves as they stand; rs_arena (core/arena.c): texts that
 * never move across blocks, a request larger than a block, emptying.
 */
#include "testutil.h"
#include "core/arena.h"
#include "core/fill.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_printf_sizes(void **state)
{
	(void)state;
	static const size_t sizes[] = { 0, 1, 62, 63, 64, 65, 127, 128, 1000, 70000 };
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t n = sizes[i];
		char *text = rs_malloc(n + 1);
		for (size_t j = 0; j < n; j++)
			text[j] = (char)('a' + j % 26);
		text[n] = '\0';
		char *s = rs_sprintf("%s", text);
		assert_string_equal(s, text);
		free(s);
		/* after what is already there, in a buffer with some room left */
		for (size_t pre = 0; pre < 80; pre += 13) {
			rs_buf b;
			rs_buf_init(&b);
			for (size_t j = 0; j < pre; j++)
				rs_buf_append(&b, "-", 1);
			rs_buf_printf(&b, "<%s|%d>", text, (int)n);
			char *want = rs_malloc(n + 32);
			snprintf(want, n + 32, "<%s|%d>", text, (int)n);
			assert_int_equal(b.len, pre + strlen(want));
			assert_memory_equal(b.data + pre, want, strlen(want) + 1);
			assert_int_equal(strspn(b.data, "-"), pre);
			free(want);
			rs_buf_free(&b);
		}
		free(text);
	}
	char *empty = rs_sprintf("%s", "");
	assert_string_equal(empty, "");
	free(empty);
}

/* FMT filled by rs_fill_strings: measured and written the same; returned
 * to be freed. */
static char *filled(const char *fmt, const char *const *args, size_t n)
{
	size_t len = rs_fill_strings(NULL, fmt, args, n);
	char *out = rs_malloc(len + 2);
	out[len + 1] = 'X'; /* nothing written past the NUL */
	assert_int_equal(rs_fill_strings(out, fmt, args, n), len);
	assert_int_equal(strlen(out), len);
	assert_int_equal(out[len + 1], 'X');
	char *dup = rs_fill_strings_dup(fmt, args, n);
	assert_string_equal(dup, out);
	free(dup);
	return out;
}

static void test_fill_strings(void **state)
{
	(void)state;
	const char *const a[] = { "libfoo", "1.2-3", "CVE-2024-1", "1.2-4" };
	char want[256];
	char *got;
	/* the forms it knows, as printf writes them */
	got = filled("%s %s is affected by %s (fixed in %s)", a, 4);
	snprintf(want, sizeof(want), "%s %s is affected by %s (fixed in %s)", a[0], a[1], a[2], a[3]);
	assert_string_equal(got, want);
	free(got);
	got = filled("%3$s: %1$s %2$s -> %4$s", a, 4); /* a translation reordering them */
	snprintf(want, sizeof(want), "%3$s: %1$s %2$s -> %4$s", a[0], a[1], a[2], a[3]);
	assert_string_equal(got, want);
	free(got);
	got = filled("100%% of %s%%", a, 1);
	snprintf(want, sizeof(want), "100%% of %s%%", a[0]);
	assert_string_equal(got, want);
	free(got);
	got = filled("", a, 0);
	assert_string_equal(got, "");
	free(got);
	got = filled("no conversion at all", NULL, 0);
	assert_string_equal(got, "no conversion at all");
	free(got);
	const char *const with_null[] = { NULL, "x" };
	got = filled("[%s|%s]", with_null, 2);
	assert_string_equal(got, "[(null)|x]"); /* as glibc's printf */
	free(got);
	/* the forms it does not know: written as they stand */
	got = filled("%d items in %s", a, 1);
	assert_string_equal(got, "%d items in libfoo");
	free(got);
	got = filled("%s and %s", a, 1); /* more "%s" than strings */
	assert_string_equal(got, "libfoo and %s");
	free(got);
	got = filled("%5$s", a, 4); /* a string past those given */
	assert_string_equal(got, "%5$s");
	free(got);
	got = filled("ends in %", a, 0);
	assert_string_equal(got, "ends in %");
	free(got);
	got = filled("%1$x %s", a, 1);
	assert_string_equal(got, "%1$x libfoo");
	free(got);
}

static void test_arena(void **state)
{
	(void)state;
	rs_arena a;
	rs_arena_init(&a, 64);
	char *texts[40];
	char want[32];
	/* 40 texts of 10-16 bytes: several blocks; each stays where it is */
	for (int i = 0; i < 40; i++) {
		int n = snprintf(want, sizeof(want), "text-%d-%.*s", i, i % 7, "xxxxxxx");
		texts[i] = rs_arena_copy(&a, want, (size_t)n);
	}
	for (int i = 0; i < 40; i++) {
		snprintf(want, sizeof(want), "text-%d-%.*s", i, i % 7, "xxxxxxx");
		assert_string_equal(texts[i], want);
	}
	/* larger than a block: a block of its own, the texts before untouched */
	char big[300];
	memset(big, 'b', sizeof(big));
	char *p = rs_arena_copy(&a, big, sizeof(big));
	assert_memory_equal(p, big, sizeof(big));
	assert_int_equal(p[sizeof(big)], '\0');
	assert_string_equal(texts[39], "text-39-xxxx");
	/* a copy of part of a longer text stops at N */
	assert_string_equal(rs_arena_copy(&a, "abcdef", 3), "abc");
	/* emptied: the bytes are handed out again; freed: nothing left (ASan) */
	rs_arena_empty(&a);
	char *again = rs_arena_alloc(&a, 8);
	memcpy(again, "1234567", 8);
	assert_string_equal(again, "1234567");
	rs_arena_free(&a);
	assert_null(a.newest);
	assert_string_equal(rs_arena_copy(&a, "after", 5), "after");
	rs_arena_free(&a);
	rs_arena_empty(&a); /* an empty arena: nothing to do */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_printf_sizes),
		cmocka_unit_test(test_fill_strings),
		cmocka_unit_test(test_arena),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
