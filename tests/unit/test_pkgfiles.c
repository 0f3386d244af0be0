/*
 * test_pkgfiles.c — the package file database: lists, md5sums, conffiles,
 * malformed lines, merged-/usr aliases, and the real dpkg database of this
 * machine against md5 of a real file.
 */
#include "testutil.h"
#include "collect/pkgfiles.h"
#include "core/util.h"

#include <dirent.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/* A dpkg database of many packages, with what real and damaged ones hold:
 * shared directories, a path two packages list (the first list owns it),
 * a path two md5sums give (the last digest stands), malformed and NUL
 * lines, an md5sums for no list, a FIFO and a directory under a list's
 * name, a list that is a symlink (resolved inside the root), an empty one. */
static char *many_packages_fixture(void)
{
	char *dir = rs_test_tmpdir();
	for (int p = 0; p < 300; p++) {
		char rel[128], text[1024], sums[1024];
		snprintf(rel, sizeof(rel), "var/lib/dpkg/info/pkg%03d%s.list", p, p % 3 ? ":amd64" : "");
		snprintf(text, sizeof(text), "/.\n/usr\n/usr/lib\n/usr/lib/p%03d\n/usr/lib/p%03d/a\n/usr/lib/p%03d/b\n"
			 "/usr/share/shared-%d\n%s", p, p, p, p % 7, p % 50 == 0 ? "not/absolute\n" : "");
		rs_test_write(dir, rel, text);
		snprintf(rel, sizeof(rel), "var/lib/dpkg/info/pkg%03d%s.md5sums", p, p % 3 ? ":amd64" : "");
		snprintf(sums, sizeof(sums), "%032x  usr/lib/p%03d/a\n%032x  usr/share/shared-%d\n%s", p, p, p + 1000, p % 7,
			 p % 40 == 0 ? "zz  broken\n" : "");
		rs_test_write(dir, rel, sums);
	}
	rs_test_write(dir, "var/lib/dpkg/info/nul.list", "/usr/nul/a\n");
	char *nul = rs_sprintf("%s/var/lib/dpkg/info/nul.list", dir);
	FILE *f = fopen(nul, "ab");
	assert_non_null(f);
	fwrite("/usr/nul/\0b\n/usr/nul/c\n", 1, 23, f);
	fclose(f);
	free(nul);
	rs_test_write(dir, "var/lib/dpkg/info/orphan.md5sums", "0123456789abcdef0123456789abcdef  usr/orphan\n");
	rs_test_write(dir, "var/lib/dpkg/info/empty.list", "");
	char *fifo = rs_sprintf("%s/var/lib/dpkg/info/fifo.list", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	free(fifo);
	rs_test_mkdir(dir, "var/lib/dpkg/info/dir.list");
	rs_test_write(dir, "var/lib/dpkg/status", "Package: pkg001\nConffiles:\n /etc/p1.conf 11a06baf8245fd8d690b99024d228c1f\n\n");
	return dir;
}

static void assert_same_table(const rs_pkgfiles *a, const rs_pkgfiles *b)
{
	assert_int_equal(rs_pkgfiles_count(a), rs_pkgfiles_count(b));
	assert_int_equal(rs_pkgfiles_packages(a), rs_pkgfiles_packages(b));
	for (size_t i = 0; i < rs_pkgfiles_count(a); i++) {
		const rs_pkgfile *x = rs_pkgfiles_at(a, i), *y = rs_pkgfiles_at(b, i);
		assert_string_equal(x->path, y->path);
		assert_string_equal(x->package, y->package);
		assert_string_equal(x->md5, y->md5);
		assert_int_equal(x->conffile, y->conffile);
	}
}

/* The info files read by several threads give the table (entries in the
 * same order, owners, digests) and the warnings that reading them one
 * after the other gives. */
static void test_readers_same_table(void **state)
{
	(void)state;
	char *dir = many_packages_fixture();
	rs_host h;
	assert_int_equal(rs_host_init(&h, dir, ""), 0);
	rs_pkgfiles *one, *many;
	rs_test_capture_start();
	int p1 = rs_pkgfiles_load_with(&h, &one, 1);
	int w1 = rs_test_captured_count();
	rs_test_capture_stop();
	rs_test_capture_start();
	int p8 = rs_pkgfiles_load_with(&h, &many, -8); /* 8 threads, though the files are cached */
	int w8 = rs_test_captured_count();
	assert_true(rs_test_captured_contains("fifo.list: cannot read"));
	assert_true(rs_test_captured_contains("dir.list: cannot read"));
	assert_true(rs_test_captured_contains("nul.list:2: line holds a NUL byte"));
	rs_test_capture_stop();
	/* 6 "not absolute" lines, 8 broken md5 lines, one NUL line, the FIFO and the directory */
	assert_int_equal(p1, 17);
	assert_int_equal(p8, p1);
	assert_int_equal(w8, w1);
	assert_same_table(one, many);
	/* the first list (in the directory's order) that names a path owns
	 * it; the last md5sums' digest stands */
	int first = -1, last = -1;
	char *info = rs_sprintf("%s/var/lib/dpkg/info", dir);
	DIR *d = opendir(info);
	assert_non_null(d);
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		int p;
		if (sscanf(de->d_name, "pkg%d", &p) != 1 || p % 7 != 3)
			continue;
		if (strstr(de->d_name, ".list") && first < 0)
			first = p;
		if (strstr(de->d_name, ".md5sums"))
			last = p;
	}
	closedir(d);
	free(info);
	char owner[16], digest[33];
	snprintf(owner, sizeof(owner), "pkg%03d", first);
	snprintf(digest, sizeof(digest), "%032x", last + 1000);
	const rs_pkgfile *e = rs_pkgfiles_find(many, "/usr/share/shared-3");
	assert_non_null(e);
	assert_string_equal(e->package, owner);
	assert_string_equal(e->md5, digest);
	e = rs_pkgfiles_find(many, "/usr/lib/p299/a");
	assert_non_null(e);
	assert_string_equal(e->package, "pkg299");
	assert_string_equal(e->md5, "0000000000000000000000000000012b");
	assert_non_null(rs_pkgfiles_find(many, "/usr/nul/c"));
	e = rs_pkgfiles_find(many, "/usr/orphan");
	assert_non_null(e);
	assert_string_equal(e->package, "orphan");
	assert_true(rs_pkgfiles_find(many, "/etc/p1.conf")->conffile);
	assert_int_equal(rs_pkgfiles_packages(many), 302); /* 300, nul and empty */
	rs_pkgfiles_free(one);
	rs_pkgfiles_free(many);
	rs_host_free(&h);
	rs_test_rmrf(dir);
	free(dir);
}

/* An info file that is a symlink is read as every host read is, inside
 * the root: its target outside is never read, with threads or without. */
static void test_readers_symlink_stays_inside(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	char *outside = rs_test_tmpdir();
	rs_test_write(outside, "evil.list", "/escaped/path\n");
	rs_test_write(dir, "var/lib/dpkg/info/tool.list", "/usr/bin/tool\n");
	rs_test_write(dir, "var/lib/dpkg/status", "");
	/* the same name under the root holds what may be read */
	char *inside = rs_sprintf("%s%s", dir, outside);
	rs_test_write(inside, "evil.list", "/inside/path\n");
	char *link = rs_sprintf("%s/var/lib/dpkg/info/evil.list", dir);
	char *target = rs_sprintf("%s/evil.list", outside);
	assert_int_equal(symlink(target, link), 0);
	free(link);
	free(target);
	link = rs_sprintf("%s/var/lib/dpkg/info/up.md5sums", dir);
	assert_int_equal(symlink("../../../../../../../../../../../../../..", link), 0);
	free(link);
	rs_host h;
	assert_int_equal(rs_host_init(&h, dir, ""), 0);
	for (int readers = 1; readers >= -8; readers -= 9) { /* none, then 8 threads */
		rs_pkgfiles *pf;
		rs_test_capture_start();
		rs_pkgfiles_load_with(&h, &pf, readers);
		rs_test_capture_stop();
		assert_null(rs_pkgfiles_find(pf, "/escaped/path"));
		const rs_pkgfile *e = rs_pkgfiles_find(pf, "/inside/path");
		assert_non_null(e);
		assert_string_equal(e->package, "evil");
		assert_non_null(rs_pkgfiles_find(pf, "/usr/bin/tool"));
		rs_pkgfiles_free(pf);
	}
	rs_host_free(&h);
	rs_test_rmrf(dir);
	rs_test_rmrf(outside);
	free(inside);
	free(dir);
	free(outside);
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
		cmocka_unit_test(test_readers_same_table),
		cmocka_unit_test(test_readers_symlink_stays_inside),
		cmocka_unit_test(test_this_machine),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
