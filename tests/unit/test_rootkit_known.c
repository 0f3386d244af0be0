/*
 * test_rootkit_known.c — the known-rootkit list parser: the bundled list
 * parses without a warning, each kind is read, and malformed lines (wrong
 * field count, unknown kind, relative or escaping paths, NUL bytes, a
 * module name with a slash, overlong lines) are warned about with the file
 * and line while the good lines still count.
 */
#include "testutil.h"
#include "rootkit/known.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_bundled_list(void **state)
{
	(void)state;
	char *path = rs_sprintf("%s/rules/rootkit/known-files.txt", RS_SOURCE_DIR);
	FILE *fp = fopen(path, "r");
	assert_non_null(fp);
	static char text[1 << 16];
	size_t len = fread(text, 1, sizeof(text), fp);
	fclose(fp);
	rs_vec list;
	rs_vec_init(&list, sizeof(rs_known));
	assert_int_equal(rs_known_parse(text, len, path, &list), 0);
	assert_true(list.len >= 30);
	bool diamorphine = false, reptile_dir = false;
	for (size_t i = 0; i < list.len; i++) {
		const rs_known *k = rs_vec_at(&list, i);
		diamorphine |= k->kind == RS_KNOWN_MODULE && !strcmp(k->what, "diamorphine");
		reptile_dir |= k->kind == RS_KNOWN_DIR && !strcmp(k->what, "/reptile");
	}
	assert_true(diamorphine && reptile_dir);
	rs_known_free(&list);
	free(path);
}

static void test_malformed(void **state)
{
	(void)state;
	static const char text[] =
		"# comment\n"
		"file Good /lib/good.so\n"
		"file TooFew\n"
		"file A B C D\n"
		"rootkit X /x\n"
		"file Rel lib/x.so\n"
		"dir Esc /a/../b\n"
		"module Slash a/b\n"
		"module Fine fine_mod\n"
		"file Nul /x\0y\n"
		"dir Last /last";
	rs_vec list;
	rs_vec_init(&list, sizeof(rs_known));
	rs_test_capture_start();
	int problems = rs_known_parse(text, sizeof(text) - 1, "/r/k.txt", &list);
	assert_int_equal(problems, 7);
	assert_true(rs_test_captured_contains("/r/k.txt:3"));
	assert_true(rs_test_captured_contains("/r/k.txt:5"));
	assert_true(rs_test_captured_contains("/r/k.txt:10"));
	rs_test_capture_stop();
	assert_int_equal(list.len, 3);
	const rs_known *k = rs_vec_at(&list, 1);
	assert_int_equal(k->kind, RS_KNOWN_MODULE);
	assert_string_equal(k->source, "/r/k.txt:9");
	rs_known_free(&list);

	/* an overlong line and empty input */
	size_t n = 5000;
	char *big = malloc(n + 1);
	memset(big, 'a', n);
	memcpy(big, "file X /", 8);
	big[n] = '\0';
	rs_vec_init(&list, sizeof(rs_known));
	rs_test_capture_start();
	assert_int_equal(rs_known_parse(big, n, "big", &list), 1);
	assert_int_equal(rs_known_parse("", 0, "empty", &list), 0);
	rs_test_capture_stop();
	assert_int_equal(list.len, 0);
	rs_known_free(&list);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bundled_list),
		cmocka_unit_test(test_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
