/*
 * test_collect_preload.c — the ld.so.preload parser: blanks, colons and
 * newlines separate names; a '#' name ends only its own line (the line
 * after a comment still counts: a regression that hid a library); empty
 * text names nothing; NUL bytes separate.
 */
#include "testutil.h"
#include "collect/preload.h"

#include <stdlib.h>
#include <string.h>

static void expect(const char *text, size_t len, const char *const *want, size_t n)
{
	rs_vec v;
	rs_vec_init(&v, sizeof(char *));
	assert_int_equal(rs_parse_ld_so_preload(text, len, &v), n);
	assert_int_equal(v.len, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(*(char **)rs_vec_at(&v, i), want[i]);
	rs_preload_libs_free(&v);
}

static void test_preload(void **state)
{
	(void)state;
	static const char *const two[] = { "/lib/a.so", "/lib/b.so" };
	expect("/lib/a.so /lib/b.so\n", 20, two, 2);
	expect("/lib/a.so:/lib/b.so", 19, two, 2);
	expect("\t/lib/a.so\r\n\n/lib/b.so", 22, two, 2);
	static const char *const evil[] = { "/lib/evil.so" };
	const char *c = "# comment\n/lib/evil.so\n";
	expect(c, strlen(c), evil, 1);
	c = "#c\n/lib/evil.so # trailing words\n";
	expect(c, strlen(c), evil, 1);
	expect("", 0, NULL, 0);
	expect("\n\n  \n", 5, NULL, 0);
	static const char *const nul[] = { "/a", "/b" };
	expect("/a\0/b", 5, nul, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_preload),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
