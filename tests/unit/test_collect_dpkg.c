/*
 * test_collect_dpkg.c — the dpkg status parser and collector: installed
 * stanzas only, Source splitting, malformed lines and stanzas warned about
 * with file and line while good records around them are kept, and reads
 * through the host handle (truncated, binary, FIFO).
 */
#include "testutil.h"
#include "collect/facts.h"
#include "core/host.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void write_bytes(const char *dir, const char *rel, const void *data, size_t len)
{
	rs_test_write(dir, rel, "");
	char *path = rs_sprintf("%s/%s", dir, rel);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
	free(path);
}

static int parse(const char *text, rs_facts *f)
{
	rs_facts_init(f);
	return rs_parse_dpkg_status(text, strlen(text), "status", &f->packages);
}

static void test_installed_only(void **state)
{
	(void)state;
	const char *text =
		"Package: bash\n"
		"Status: install ok installed\n"
		"Priority: required\n"
		"Architecture: amd64\n"
		"Version: 5.2.15-2+b2\n"
		"Installed-Size: 7175\n"
		"Description: GNU Bourne Again SHell\n"
		" Bash is an sh-compatible command language interpreter.\n"
		" .\n"
		" More text.\n"
		"\n"
		"Package: libssl3\n"
		"Status: hold ok installed\n"
		"Architecture: amd64\n"
		"Multi-Arch: same\n"
		"Source: openssl (3.0.11-1~deb12u2)\n"
		"Installed-Size: 12x\n"
		"Version: 3.0.11-1~deb12u2+b1\n"
		"\n"
		"Package: oldpkg\n"
		"Status: deinstall ok config-files\n"
		"Version: 1.0\n"
		"\n"
		"Package: gone\n"
		"Status: purge ok not-installed\n"
		"\n"
		"Package: coreutils\n"
		"Status: install ok installed\n"
		"Source: coreutils-src\n"
		"Version: 9.1-1\n"
		"Installed-Size: 99999999999999999999\n"
		"Architecture: all\n";
	rs_facts f;
	rs_test_capture_start();
	assert_int_equal(parse(text, &f), 0);
	assert_int_equal(rs_test_captured_count(), 0);
	rs_test_capture_stop();
	assert_int_equal(f.packages.len, 3);
	const rs_package *bash = rs_test_find_package(&f.packages, "bash");
	assert_non_null(bash);
	assert_string_equal(bash->version, "5.2.15-2+b2");
	assert_string_equal(bash->source, "bash");
	assert_string_equal(bash->source_version, "5.2.15-2+b2");
	assert_string_equal(bash->arch, "amd64");
	assert_string_equal(bash->status, "install ok installed");
	assert_string_equal(bash->manager, "dpkg");
	assert_int_equal(bash->installed_kb, 7175);
	const rs_package *ssl = rs_test_find_package(&f.packages, "libssl3");
	assert_non_null(ssl);
	assert_string_equal(ssl->source, "openssl");
	assert_string_equal(ssl->source_version, "3.0.11-1~deb12u2");
	assert_string_equal(ssl->version, "3.0.11-1~deb12u2+b1");
	assert_int_equal(ssl->installed_kb, 0); /* not a number */
	const rs_package *cu = rs_test_find_package(&f.packages, "coreutils");
	assert_non_null(cu);
	assert_string_equal(cu->source, "coreutils-src");
	assert_string_equal(cu->source_version, "9.1-1");
	assert_string_equal(cu->arch, "all");
	assert_int_equal(cu->installed_kb, 0); /* too long to be a size */
	assert_null(rs_test_find_package(&f.packages, "oldpkg"));
	assert_null(rs_test_find_package(&f.packages, "gone"));
	rs_facts_free(&f);
}

static void test_malformed_kept_around(void **state)
{
	(void)state;
	const char *text =
		"Package: good1\n"              /* 1 */
		"Status: install ok installed\n"
		"Version: 1\n"
		"this line has no colon\n"      /* 4 */
		"\n"
		"Status: install ok installed\n" /* 6: no Package */
		"Version: 2\n"
		"\n"
		"Package: noversion\n"          /* 9 */
		"Status: install ok installed\n"
		"\n"
		" continuation at start\n"      /* 12 */
		"Package: good2\n"
		"Status: install ok\n"          /* 14: two words */
		"Version: 3\n"
		"\n"
		"Package: good3\n"
		"Status: install ok installed\n"
		"Version: 4\n";
	rs_facts f;
	rs_test_capture_start();
	int problems = parse(text, &f);
	assert_int_equal(problems, 5);
	assert_true(rs_test_captured_contains("status:4: line without a field name"));
	assert_true(rs_test_captured_contains("status:6: stanza without a Package field"));
	assert_true(rs_test_captured_contains("status:9: installed package without a Version"));
	assert_true(rs_test_captured_contains("status:12: continuation line outside a field"));
	assert_true(rs_test_captured_contains("status:13: Status field is not three words"));
	rs_test_capture_stop();
	assert_int_equal(f.packages.len, 2);
	assert_non_null(rs_test_find_package(&f.packages, "good1"));
	assert_non_null(rs_test_find_package(&f.packages, "good3"));
	rs_facts_free(&f);
}

static void test_nul_and_truncation(void **state)
{
	(void)state;
	static const char text[] =
		"Package: a\nStatus: install ok installed\nVersion: 1\n\n"
		"Package: b\0junk\nStatus: install ok installed\nVersion: 2\n\n"
		"Package: c\nStatus: install ok installed\nVers";
	rs_facts f;
	rs_facts_init(&f);
	rs_test_capture_start();
	int problems = rs_parse_dpkg_status(text, sizeof(text) - 1, "st", &f.packages);
	assert_true(problems >= 4);
	assert_true(rs_test_captured_contains("st:5: NUL byte in line"));
	assert_true(rs_test_captured_contains("st:6: stanza without a Package field"));
	assert_true(rs_test_captured_contains("st:11: file ends in the middle of a line"));
	assert_true(rs_test_captured_contains("st:11: line without a field name"));
	assert_true(rs_test_captured_contains("st:9: installed package without a Version"));
	rs_test_capture_stop();
	assert_int_equal(f.packages.len, 1);
	assert_non_null(rs_test_find_package(&f.packages, "a"));
	rs_facts_free(&f);
}

static void test_warning_cap(void **state)
{
	(void)state;
	rs_buf b;
	rs_buf_init(&b);
	for (int i = 0; i < 100; i++)
		rs_buf_puts(&b, "junk\n");
	rs_buf_puts(&b, "\nPackage: ok\nStatus: install ok installed\nVersion: 1\n");
	rs_facts f;
	rs_test_capture_start();
	assert_int_equal(parse(b.data, &f), 100);
	assert_int_equal(rs_test_captured_count(), 21);
	assert_true(rs_test_captured_contains("80 more problems"));
	rs_test_capture_stop();
	assert_int_equal(f.packages.len, 1);
	rs_facts_free(&f);
	rs_buf_free(&b);
}

static void test_host_truncated_and_binary(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	rs_test_write(dir, "var/lib/dpkg/status",
		      "Package: kept\nStatus: install ok installed\nVersion: 1.0\n\n"
		      "Package: cut\nStatus: install ok installed\nVersi");
	rs_host h;
	assert_int_equal(rs_host_init(&h, dir, ""), 0);
	rs_facts f;
	rs_facts_init(&f);
	rs_test_capture_start();
	assert_true(rs_collect_dpkg(&h, &f) >= 2);
	char *where = rs_sprintf("%s/var/lib/dpkg/status:7:", dir);
	assert_true(rs_test_captured_contains(where));
	free(where);
	rs_test_capture_stop();
	assert_int_equal(f.packages.len, 1);
	assert_string_equal(((rs_package *)rs_vec_at(&f.packages, 0))->name, "kept");
	rs_facts_free(&f);

	unsigned char junk[4096];
	unsigned int seed = 12345;
	for (size_t i = 0; i < sizeof(junk); i++) {
		seed = seed * 1103515245u + 12345u;
		junk[i] = (unsigned char)(seed >> 16);
	}
	write_bytes(dir, "var/lib/dpkg/status", junk, sizeof(junk));
	rs_facts_init(&f);
	rs_test_capture_start();
	assert_true(rs_collect_dpkg(&h, &f) > 0);
	assert_true(rs_test_captured_contains("/var/lib/dpkg/status:"));
	assert_true(rs_test_captured_count() <= 21);
	rs_test_capture_stop();
	rs_facts_free(&f);

	rs_host_free(&h);
	rs_test_rmrf(dir);
	free(dir);
}

static void test_host_missing_and_fifo(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	rs_host h;
	assert_int_equal(rs_host_init(&h, dir, ""), 0);
	rs_facts f;
	rs_facts_init(&f);
	rs_test_capture_start();
	assert_int_equal(rs_collect_dpkg(&h, &f), 0);
	assert_int_equal(rs_test_captured_count(), 0);
	rs_test_mkdir(dir, "var/lib/dpkg");
	char *fifo = rs_sprintf("%s/var/lib/dpkg/status", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(rs_collect_dpkg(&h, &f), 1);
	assert_true(rs_test_captured_contains("/var/lib/dpkg/status: cannot read"));
	rs_test_capture_stop();
	assert_int_equal(f.packages.len, 0);
	free(fifo);
	rs_facts_free(&f);
	rs_host_free(&h);
	rs_test_rmrf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_installed_only),
		cmocka_unit_test(test_malformed_kept_around),
		cmocka_unit_test(test_nul_and_truncation),
		cmocka_unit_test(test_warning_cap),
		cmocka_unit_test(test_host_truncated_and_binary),
		cmocka_unit_test(test_host_missing_and_fifo),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
