/*
 * test_evidence.c — the pieces of `rasoat collect` that can be checked
 * without a host: bundle member names (never climbing out, odd bytes
 * escaped, UTF-8 kept), path folding and containment (the guard's
 * "inside a collected path"), bodyfile lines (mactime fields, mode
 * strings, escaped '|'), and a bundle written to a temp dir whose manifest
 * and sha256sums list every member with the right digest.
 */
#include "testutil.h"
#include "evidence/bundle.h"
#include "evidence/evidence.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void name_is(const char *path, const char *want)
{
	char *got = rs_bundle_member_name("files", path);
	assert_string_equal(got, want);
	free(got);
}

static void test_member_name(void **state)
{
	(void)state;
	name_is("/etc/passwd", "files/etc/passwd");
	name_is("//etc/./x/../passwd", "files/etc/x/passwd");
	name_is("/../../etc/shadow", "files/etc/shadow");
	name_is("/tmp/a\nb", "files/tmp/a%0Ab");
	name_is("/tmp/100%", "files/tmp/100%25");
	name_is("/tmp/a\\b", "files/tmp/a%5Cb");
	name_is("/tmp/\xff\xfe", "files/tmp/%FF%FE");
	name_is("/tmp/r\xc3\xa0 so\xc3\xa1t", "files/tmp/r\xc3\xa0 so\xc3\xa1t");
	name_is("/tmp/\xc3", "files/tmp/%C3");
	name_is("/", "files/_");
}

static void normal_is(const char *path, const char *want)
{
	char *got = rs_path_normalize(path);
	assert_string_equal(got, want);
	free(got);
}

static void test_paths(void **state)
{
	(void)state;
	normal_is("/a/b/../c", "/a/c");
	normal_is("/../..", "/");
	normal_is("//a//b/", "/a/b");
	normal_is("/a/./b/.", "/a/b");
	assert_true(rs_path_within("/tmp/x/out.tgz", "/tmp/x"));
	assert_true(rs_path_within("/tmp/x", "/tmp/x"));
	assert_true(rs_path_within("/tmp/x", "/tmp/x/"));
	assert_false(rs_path_within("/tmp/xy/out.tgz", "/tmp/x"));
	assert_true(rs_path_within("/anything", "/"));
	assert_false(rs_path_within("/tmp", "/tmp/x"));
}

static void test_bodyfile_line(void **state)
{
	(void)state;
	struct stat st;
	memset(&st, 0, sizeof(st));
	st.st_mode = S_IFREG | 04755;
	st.st_ino = 42;
	st.st_uid = 1000;
	st.st_gid = 100;
	st.st_size = 7;
	st.st_atime = 1;
	st.st_mtime = 2;
	st.st_ctime = 3;
	rs_buf b;
	rs_buf_init(&b);
	rs_bodyfile_line(&b, "0", "/tmp/a|b", NULL, &st, 4);
	assert_string_equal(b.data, "0|/tmp/a\\x7cb|42|r/rrwsr-xr-x|1000|100|7|1|2|3|4\n");
	rs_buf_free(&b);
	rs_buf_init(&b);
	st.st_mode = S_IFLNK | 0777;
	rs_bodyfile_line(&b, "0", "/l", "/etc/x\n", &st, 0);
	assert_string_equal(b.data, "0|/l -> /etc/x\\x0a|42|l/lrwxrwxrwx|1000|100|7|1|2|3|0\n");
	rs_buf_free(&b);
	rs_buf_init(&b);
	st.st_mode = S_IFDIR | 01777;
	rs_bodyfile_line(&b, "d41d8cd98f00b204e9800998ecf8427e", "/tmp", NULL, &st, 0);
	assert_string_equal(b.data, "d41d8cd98f00b204e9800998ecf8427e|/tmp|42|d/drwxrwxrwt|1000|100|7|1|2|3|0\n");
	rs_buf_free(&b);
}

/* Reads the member NAME of the tar.gz PATH whole. */
static char *read_member(const char *path, const char *name, size_t *len)
{
	struct archive *a = archive_read_new();
	archive_read_support_filter_gzip(a);
	archive_read_support_format_tar(a);
	assert_int_equal(archive_read_open_filename(a, path, 65536), ARCHIVE_OK);
	struct archive_entry *e;
	char *out = NULL;
	while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
		const char *p = archive_entry_pathname(e);
		const char *slash = strchr(p, '/');
		if (slash && strcmp(slash + 1, name) == 0) {
			size_t size = (size_t)archive_entry_size(e);
			out = malloc(size + 1);
			assert_int_equal(archive_read_data(a, out, size), (la_ssize_t)size);
			out[size] = '\0';
			*len = size;
			break;
		}
	}
	archive_read_free(a);
	return out;
}

static void test_bundle(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	rs_test_write(dir, "src.bin", "0123456789");
	char *out = rs_sprintf("%s/b.tar.gz", dir);
	char *src = rs_sprintf("%s/src.bin", dir);
	char err[512];
	rs_bundle b;
	assert_int_equal(rs_bundle_open(&b, out, "top", 1000, err, sizeof(err)), 0);
	assert_int_equal(rs_bundle_add_data(&b, "a.txt", "abc", 3, "test", NULL), 0);
	int fd = open(src, O_RDONLY);
	struct stat st;
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(rs_bundle_add_fd(&b, "cut.bin", fd, &st, 4, src, NULL), 0);       /* cut at 4 */
	assert_int_equal(rs_bundle_add_fd(&b, "big.bin", fd, &st, 2000, src, NULL), 0);    /* fits: 3+4+10 */
	b.max_total = 20;
	assert_int_equal(rs_bundle_add_fd(&b, "over.bin", fd, &st, 2000, src, NULL), 1);   /* passes the total */
	close(fd);
	assert_true(rs_bundle_has(&b, "cut.bin"));
	assert_false(rs_bundle_has(&b, "over.bin"));
	json_t *head = json_object();
	assert_int_equal(rs_bundle_finish(&b, "log\n", head, err, sizeof(err)), 0);
	json_decref(head);
	rs_bundle_free(&b);
	char *part = rs_sprintf("%s.part", out);
	assert_true(access(part, F_OK) != 0);
	assert_true(access(out, F_OK) == 0);

	size_t len = 0;
	char *sums = read_member(out, "sha256sums.txt", &len);
	assert_non_null(sums);
	char sha[65];
	rs_sha256_hex("abc", 3, sha);
	assert_non_null(strstr(sums, sha));
	rs_sha256_hex("0123", 4, sha);
	assert_non_null(strstr(sums, sha));                  /* the cut copy's own digest */
	assert_non_null(strstr(sums, "  manifest.json\n"));
	assert_non_null(strstr(sums, "  acquisition.log\n"));
	assert_null(strstr(sums, "over.bin"));
	char *cut = read_member(out, "cut.bin", &len);
	assert_int_equal(len, 4);
	assert_memory_equal(cut, "0123", 4);
	char *manifest = read_member(out, "manifest.json", &len);
	json_t *m = json_loads(manifest, 0, NULL);
	assert_non_null(m);
	assert_int_equal(json_array_size(json_object_get(m, "members")), 4); /* a.txt cut big acquisition.log */
	assert_int_equal(json_array_size(json_object_get(m, "notes")), 2);   /* cut, over */
	json_decref(m);
	free(manifest);
	free(cut);
	free(sums);

	/* an existing temporary file is never taken over nor removed */
	rs_bundle b2;
	char *out2 = rs_sprintf("%s/c.tar.gz", dir);
	char *part2 = rs_sprintf("%s.part", out2);
	rs_test_write(dir, "c.tar.gz.part", "someone else's");
	assert_int_equal(rs_bundle_open(&b2, out2, "top", 1000, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "c.tar.gz.part"));
	rs_bundle_free(&b2);
	assert_true(access(part2, F_OK) == 0);

	free(part2);
	free(out2);
	free(part);
	free(src);
	free(out);
	rs_test_rmrf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_member_name),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_bodyfile_line),
		cmocka_unit_test(test_bundle),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
