/*
 * test_integrity_verify.c — the integrity module's parts: the parallel
 * digest check over a temporary root (unchanged, changed, missing, replaced
 * by a symlink, a FIFO never opened), the same answers with one thread and
 * with many, the verdict on changed files, the order of the files (largest
 * packages first), and the dpkg path filters and diversions parsers with
 * malformed input.
 */
#include "testutil.h"
#include "core/host.h"
#include "integrity/integrity.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void md5_hex(const char *text, char out[33])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned len = 0;
	EVP_Digest(text, strlen(text), md, &len, EVP_md5(), NULL);
	for (unsigned i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static void test_verify(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	rs_test_write(dir, "usr/bin/same", "same content\n");
	rs_test_write(dir, "usr/bin/changed", "trojan\n");
	rs_test_write(dir, "usr/bin/target", "x\n");
	char *link = rs_sprintf("%s/usr/bin/link", dir);
	assert_int_equal(symlink("target", link), 0);
	char *fifo = rs_sprintf("%s/usr/bin/fifo", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	rs_host h;
	assert_int_equal(rs_host_init(&h, dir, ""), 0);

	enum { N = 200 };
	rs_pkgfile entries[N];
	const rs_pkgfile *files[N];
	const char *paths[] = { "/usr/bin/same", "/usr/bin/changed", "/usr/bin/missing", "/usr/bin/link",
				"/usr/bin/fifo" };
	for (int i = 0; i < N; i++) {
		memset(&entries[i], 0, sizeof(entries[i]));
		entries[i].path = paths[i % 5];
		entries[i].package = "p";
		md5_hex(i % 5 == 0 ? "same content\n" : "original\n", entries[i].md5);
		files[i] = &entries[i];
	}
	rs_verify_result many[N], one[N];
	unsigned long long bytes = rs_integrity_verify(&h, files, N, 4, many, NULL, NULL);
	assert_true(bytes > 0);
	rs_integrity_verify(&h, files, N, 1, one, NULL, NULL);
	for (int i = 0; i < N; i++) {
		static const rs_file_state want[] = { RS_FILE_OK, RS_FILE_CHANGED, RS_FILE_MISSING,
						      RS_FILE_REPLACED, RS_FILE_REPLACED };
		assert_int_equal(many[i].state, want[i % 5]);
		assert_int_equal(one[i].state, many[i].state);
	}
	/* a malformed recorded digest never matches */
	strcpy(entries[0].md5, "zz");
	rs_integrity_verify(&h, files, 1, 2, many, NULL, NULL);
	assert_int_equal(many[0].state, RS_FILE_CHANGED);
	rs_host_free(&h);
	rs_test_rmrf(dir);
	free(dir);
	free(link);
	free(fifo);
}

static void test_severity(void **state)
{
	(void)state;
	const char *why;
	assert_int_equal(rs_integrity_changed_severity("/usr/bin/ss", false, true, &why), RS_SEV_HIGH);
	assert_int_equal(rs_integrity_changed_severity("/usr/sbin/x.sh", false, false, &why), RS_SEV_HIGH);
	assert_int_equal(rs_integrity_changed_severity("/etc/pam.d/sshd", true, false, &why), RS_SEV_MEDIUM);
	assert_int_equal(rs_integrity_changed_severity("/etc/ssh/sshd_config", true, false, &why), RS_SEV_MEDIUM);
	assert_int_equal(rs_integrity_changed_severity("/etc/logrotate.conf", true, false, &why), RS_SEV_INFO);
	assert_int_equal(rs_integrity_changed_severity("/usr/lib/node_modules/npm/a.js", false, false, &why),
			 RS_SEV_LOW);
	assert_int_equal(rs_integrity_changed_severity("/usr/lib/google-cloud-sdk/lib/x.py", false, false, &why),
			 RS_SEV_LOW);
	assert_int_equal(rs_integrity_changed_severity("/usr/share/doc/a/README", false, false, &why), RS_SEV_INFO);
	assert_true(rs_integrity_other_manager("/usr/lib/node_modules/x"));
	assert_false(rs_integrity_other_manager("/usr/bin/node"));
}

static void test_filters(void **state)
{
	(void)state;
	static const char text[] = "# Docker\npath-exclude=/usr/share/doc/*\npath-include=/usr/share/doc/*/copyright\n"
				   "path-exclude relative/*\nforce-unsafe-io\npath-exclude /usr/share/man/*\n"
				   "path-exclude=/x\0y\n";
	rs_dpkg_filters f;
	rs_dpkg_filters_init(&f);
	rs_test_capture_start();
	assert_int_equal(rs_dpkg_filters_parse(&f, text, sizeof(text) - 1, "/etc/dpkg/dpkg.cfg.d/excludes"), 2);
	assert_true(rs_test_captured_contains("excludes:4"));
	rs_test_capture_stop();
	assert_true(rs_dpkg_filters_excluded(&f, "/usr/share/doc/bash/README"));
	assert_false(rs_dpkg_filters_excluded(&f, "/usr/share/doc/bash/copyright"));
	assert_true(rs_dpkg_filters_excluded(&f, "/usr/share/man/man1/ls.1.gz"));
	assert_false(rs_dpkg_filters_excluded(&f, "/usr/bin/ls"));
	rs_dpkg_filters_free(&f);
}

static void test_diversions(void **state)
{
	(void)state;
	static const char text[] = "/usr/bin/pg_config\n/usr/bin/pg_config.libpq-dev\npostgresql-common\n"
				   "relative\n/usr/bin/b.distrib\ndash\n/x\0\n";
	rs_vec v;
	rs_vec_init(&v, sizeof(char *));
	rs_test_capture_start();
	assert_int_equal(rs_dpkg_diversions_parse(text, sizeof(text) - 1, "diversions", &v), 2);
	rs_test_capture_stop();
	/* lines keep their place in the triplets: a bad line does not shift the rest */
	assert_int_equal(v.len, 2);
	assert_string_equal(*(char **)rs_vec_at(&v, 0), "/usr/bin/pg_config.libpq-dev");
	assert_string_equal(*(char **)rs_vec_at(&v, 1), "/usr/bin/b.distrib");
	for (size_t i = 0; i < v.len; i++)
		free(*(char **)rs_vec_at(&v, i));
	rs_vec_free(&v);
}

/* The files of the largest packages (Installed-Size) come first, each
 * package's files in their listed order, files of unknown or sizeless
 * packages last in theirs; a name installed for two architectures counts
 * its larger size. */
static void test_order(void **state)
{
	(void)state;
	rs_vec packages;
	rs_vec_init(&packages, sizeof(rs_package));
	const char *names[] = { "small", "big", "multi", "multi", "zero" };
	unsigned long long kb[] = { 10, 5000, 20, 9000, 0 };
	for (size_t i = 0; i < 5; i++) {
		rs_package *p = rs_vec_push(&packages);
		p->name = (char *)names[i];
		p->installed_kb = kb[i];
	}
	/* the package strings as the package database shares them */
	const char *small = "small", *big = "big", *multi = "multi", *zero = "zero", *other = "other";
	rs_verify_item items[] = {
		{ .path = "/s1", .package = small }, { .path = "/o1", .package = other },
		{ .path = "/b1", .package = big },   { .path = "/s2", .package = small },
		{ .path = "/z1", .package = zero },  { .path = "/m1", .package = multi },
		{ .path = "/b2", .package = big },   { .path = "/o2", .package = other },
	};
	rs_integrity_order(items, 8, &packages);
	const char *want[] = { "/m1", "/b1", "/b2", "/s1", "/s2", "/o1", "/z1", "/o2" };
	for (size_t i = 0; i < 8; i++)
		assert_string_equal(items[i].path, want[i]);
	rs_integrity_order(items, 8, NULL); /* no packages known: left as it is */
	assert_string_equal(items[0].path, "/m1");
	rs_vec_free(&packages);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verify),
		cmocka_unit_test(test_severity),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_diversions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
