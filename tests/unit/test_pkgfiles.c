/*
 * test_pkgfiles.c — the package file database: lists, md5sums, conffiles,
 * malformed lines, merged-/usr aliases, and the real dpkg database of this
 * machine against md5 of a real file.
 */
#include "testutil.h"
#include "collect/pkgfiles.h"
#include "core/util.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_parsers(void **state)
{
	(void)state;
	rs_pkgfiles *pf = rs_pkgfiles_new();
	const char *list = "/.\n/usr\n/usr/bin\n/usr/bin/tool\n/etc/tool.conf\nrelative/junk\n";
	const char *sums = "d41d8cd98f00b204e9800998ecf8427e  usr/bin/tool\n"
			   "nothex  usr/bin/x\n"
			   "0123456789abcdef0123456789abcdef\n";
	const char *status = "Package: tool\nStatus: install ok installed\nConffiles:\n"
			     " /etc/tool.conf 11a06baf8245fd8d690b99024d228c1f\n"
			     " /etc/old.conf 22a06baf8245fd8d690b99024d228c1f obsolete\n"
			     " garbage\n"
			     "Version: 1\n\nPackage: other\nConffiles:\n /etc/o.conf newconffile\n";
	rs_test_capture_start();
	assert_int_equal(rs_pkgfiles_parse_list(pf, list, strlen(list), "tool", "tool.list"), 1);
	assert_true(rs_test_captured_contains("tool.list:6:"));
	assert_int_equal(rs_pkgfiles_parse_md5sums(pf, sums, strlen(sums), "tool", "tool.md5sums"), 2);
	assert_true(rs_test_captured_contains("tool.md5sums:2:"));
	assert_true(rs_test_captured_contains("tool.md5sums:3:"));
	assert_int_equal(rs_pkgfiles_parse_conffiles(pf, status, strlen(status), "status"), 1);
	assert_true(rs_test_captured_contains("status:6:"));
	rs_test_capture_stop();

	const rs_pkgfile *e = rs_pkgfiles_find(pf, "/usr/bin/tool");
	assert_non_null(e);
	assert_string_equal(e->package, "tool");
	assert_string_equal(e->md5, "d41d8cd98f00b204e9800998ecf8427e");
	assert_false(e->conffile);
	e = rs_pkgfiles_find(pf, "/etc/tool.conf");
	assert_non_null(e);
	assert_true(e->conffile);
	assert_string_equal(e->md5, "11a06baf8245fd8d690b99024d228c1f");
	e = rs_pkgfiles_find(pf, "/etc/o.conf");
	assert_non_null(e);
	assert_string_equal(e->package, "other");
	assert_string_equal(e->md5, "");
	assert_null(rs_pkgfiles_find(pf, "/usr/bin/x"));
	assert_non_null(rs_pkgfiles_find(pf, "/usr/bin"));
	/* no merged /usr in a bare database */
	assert_null(rs_pkgfiles_find(pf, "/bin/tool"));
	assert_int_equal(rs_pkgfiles_packages(pf), 1);
	rs_pkgfiles_free(pf);
}

static void test_merged_usr_fixture(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	rs_test_write(dir, "usr/bin/ls", "ls");
	rs_test_write(dir, "var/lib/dpkg/info/coreutils.list", "/bin\n/bin/ls\n/usr/bin/du\n");
	rs_test_write(dir, "var/lib/dpkg/info/coreutils.md5sums", "0123456789abcdef0123456789abcdef  bin/ls\n");
	rs_test_write(dir, "var/lib/dpkg/info/libc6:amd64.list", "/lib/x86_64-linux-gnu/libc.so.6\n");
	rs_test_write(dir, "var/lib/dpkg/status", "Package: coreutils\n\n");
	rs_test_mkdir(dir, "usr/lib");
	char *link = rs_sprintf("%s/bin", dir);
	assert_int_equal(symlink("usr/bin", link), 0);
	free(link);
	link = rs_sprintf("%s/lib", dir);
	assert_int_equal(symlink("/usr/lib", link), 0); /* absolute: resolved inside the root */
	free(link);

	rs_host h;
	assert_int_equal(rs_host_init(&h, dir, ""), 0);
	rs_pkgfiles *pf;
	assert_int_equal(rs_pkgfiles_load(&h, &pf), 0);
	const rs_pkgfile *a = rs_pkgfiles_find(pf, "/usr/bin/ls");
	const rs_pkgfile *b = rs_pkgfiles_find(pf, "/bin/ls");
	assert_non_null(a);
	assert_ptr_equal(a, b);
	assert_string_equal(a->path, "/usr/bin/ls");
	assert_string_equal(a->md5, "0123456789abcdef0123456789abcdef");
	assert_non_null(rs_pkgfiles_find(pf, "/bin/du"));
	const rs_pkgfile *c = rs_pkgfiles_find(pf, "/usr/lib/x86_64-linux-gnu/libc.so.6");
	assert_non_null(c);
	assert_string_equal(c->package, "libc6");
	assert_int_equal(rs_pkgfiles_packages(pf), 2);
	rs_pkgfiles_free(pf);
	rs_host_free(&h);
	rs_test_rmrf(dir);
	free(dir);
}

static void md5_file(const char *path, char out[33])
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_DigestInit_ex(ctx, EVP_md5(), NULL);
	unsigned char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		EVP_DigestUpdate(ctx, buf, n);
	unsigned char md[16];
	EVP_DigestFinal_ex(ctx, md, NULL);
	EVP_MD_CTX_free(ctx);
	fclose(f);
	for (int i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static void test_this_machine(void **state)
{
	(void)state;
	if (access("/var/lib/dpkg/info", F_OK) != 0)
		skip();
	rs_host h;
	assert_int_equal(rs_host_init(&h, "/", NULL), 0);
	rs_pkgfiles *pf;
	rs_pkgfiles_load(&h, &pf);
	assert_true(rs_pkgfiles_count(pf) > 10000);
	const rs_pkgfile *ls = rs_pkgfiles_find(pf, "/usr/bin/ls");
	assert_non_null(ls);
	assert_string_equal(ls->package, "coreutils");
	char md5[33];
	md5_file("/usr/bin/ls", md5);
	assert_string_equal(ls->md5, md5);
	const rs_pkgfile *conf = rs_pkgfiles_find(pf, "/etc/adduser.conf");
	if (conf)
		assert_true(conf->conffile);
	rs_pkgfiles_free(pf);
	rs_host_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parsers),
		cmocka_unit_test(test_merged_usr_fixture),
		cmocka_unit_test(test_this_machine),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
