/*
 * test_core_buf.c — rs_buf_printf and rs_sprintf (core/util.c): texts
 * shorter and longer than the room a buffer has (the one-pass and the
 * two-pass paths), appended after what the buffer holds, empty results.
 */
#include "testutil.h"
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_printf_sizes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
