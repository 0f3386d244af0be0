/*
 * test_collect_apk.c — apk's installed database: fields, origin as the
 * source package, malformed lines and stanzas warned about with file and
 * line while good records around them are kept, and the host collector.
 */
#include "testutil.h"
#include "collect/facts.h"
#include "core/host.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

static const char good_db[] =
	"C:Q1abcdef=\n"
	"P:musl\n"
	"V:1.2.4_git20230717-r4\n"
	"A:x86_64\n"
	"S:383152\n"
	"o:musl\n"
	"F:lib\n"
	"R:ld-musl-x86_64.so.1\n"
	"\n"
	"P:libcrypto3\n"
	"V:3.1.4-r5\n"
	"A:x86_64\n"
	"o:openssl\n"
	"\n"
	"P:noorigin\n"
	"V:1.0-r0\n"
	"\n";

static void test_fields(void **state)
{
	(void)state;
	rs_facts f;
	rs_facts_init(&f);
	rs_test_capture_start();
	assert_int_equal(rs_parse_apk_installed(good_db, strlen(good_db), "installed", &f.packages), 0);
	assert_int_equal(rs_test_captured_count(), 0);
	rs_test_capture_stop();
	assert_int_equal(f.packages.len, 3);
	const rs_package *c = rs_test_find_package(&f.packages, "libcrypto3");
	assert_non_null(c);
	assert_string_equal(c->version, "3.1.4-r5");
	assert_string_equal(c->arch, "x86_64");
	assert_string_equal(c->source, "openssl");
	assert_string_equal(c->source_version, "3.1.4-r5");
	assert_string_equal(c->status, "installed");
	assert_string_equal(c->manager, "apk");
	const rs_package *n = rs_test_find_package(&f.packages, "noorigin");
	assert_string_equal(n->source, "noorigin");
	assert_null(n->arch);
	rs_facts_free(&f);
}

static void test_malformed(void **state)
{
	(void)state;
	static const char text[] =
		"P:good1\n"           /* 1 */
		"V:1\n"
		"no colon here\n"     /* 3 */
		"\n"
		"V:2\n"               /* 5: no name */
		"A:x86_64\n"
		"\n"
		"P:noversion\n"       /* 8 */
		"\n"
		"P:n\0ul\n"           /* 10 */
		"V:3\n"
		"\n"
		"P:good2\n"
		"V:4\n"
		"P:";                 /* 15: truncated; good2 (13) gets an empty name */
	rs_facts f;
	rs_facts_init(&f);
	rs_test_capture_start();
	int problems = rs_parse_apk_installed(text, sizeof(text) - 1, "db", &f.packages);
	assert_int_equal(problems, 7);
	assert_true(rs_test_captured_contains("db:3: line is not KEY:VALUE"));
	assert_true(rs_test_captured_contains("db:5: package without a name"));
	assert_true(rs_test_captured_contains("db:8: package without a version"));
	assert_true(rs_test_captured_contains("db:10: NUL byte"));
	assert_true(rs_test_captured_contains("db:11: package without a name"));
	assert_true(rs_test_captured_contains("db:13: package without a name"));
	assert_true(rs_test_captured_contains("db:15: file ends in the middle of a line"));
	rs_test_capture_stop();
	assert_int_equal(f.packages.len, 1);
	assert_non_null(rs_test_find_package(&f.packages, "good1"));
	assert_null(rs_test_find_package(&f.packages, "good2"));
	rs_facts_free(&f);
}

static void test_host(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	rs_host h;
	assert_int_equal(rs_host_init(&h, dir, ""), 0);
	rs_facts f;
	rs_facts_init(&f);
	rs_test_capture_start();
	assert_int_equal(rs_collect_apk(&h, &f), 0);
	assert_int_equal(f.packages.len, 0);
	rs_test_write(dir, "lib/apk/db/installed", good_db);
	assert_int_equal(rs_collect_apk(&h, &f), 0);
	assert_int_equal(rs_test_captured_count(), 0);
	rs_test_write(dir, "lib/apk/db/installed", "P:x\nbad\n");
	rs_facts_free(&f);
	rs_facts_init(&f);
	assert_int_equal(rs_collect_apk(&h, &f), 2);
	char *where = rs_sprintf("%s/lib/apk/db/installed:2:", dir);
	assert_true(rs_test_captured_contains(where));
	free(where);
	rs_test_capture_stop();
	rs_facts_free(&f);
	rs_host_free(&h);
	rs_test_rmrf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_host),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
