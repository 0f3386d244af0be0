/*
 * test_host.c — the host handle: paths resolve inside the root whatever the
 * symlinks say, only regular files are read, reads are bounded. Every case
 * runs with openat2 and with the portable resolver.
 */
#include "testutil.h"
#include "core/host.h"
#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *dir;
static char *outside;

static int setup(void **state)
{
	(void)state;
	outside = rs_test_tmpdir();
	rs_test_write(outside, "secret", "OUTSIDE\n");
	dir = rs_test_tmpdir();
	rs_test_write(dir, "etc/passwd", "root:x:0:0:root:/root:/bin/bash\n");
	rs_test_write(dir, "usr/lib/os-release", "ID=debian\n");
	rs_test_write(dir, "secret", "INSIDE\n");
	char *p;
	/* relative symlink inside the root */
	p = rs_sprintf("%s/etc/os-release", dir);
	assert_int_equal(symlink("../usr/lib/os-release", p), 0);
	free(p);
	/* absolute symlink: means the root's /etc/passwd, never the real one */
	p = rs_sprintf("%s/etc/shadow", dir);
	assert_int_equal(symlink("/secret", p), 0);
	free(p);
	/* climbing out with .. */
	p = rs_sprintf("%s/etc/up", dir);
	char *target = rs_sprintf("../../../../../../..%s/secret", outside);
	assert_int_equal(symlink(target, p), 0);
	free(target);
	free(p);
	/* a loop */
	p = rs_sprintf("%s/etc/loop", dir);
	assert_int_equal(symlink("loop", p), 0);
	free(p);
	/* a FIFO named like a config file */
	p = rs_sprintf("%s/etc/fifo.conf", dir);
	assert_int_equal(mkfifo(p, 0600), 0);
	free(p);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	rs_test_rmrf(dir);
	rs_test_rmrf(outside);
	free(dir);
	free(outside);
	return 0;
}

static void open_host(rs_host *h, bool walk)
{
	assert_int_equal(rs_host_init(h, dir, ""), 0);
	h->force_walk = walk;
	assert_false(h->live);
}

static void read_ok(rs_host *h, const char *path, const char *want)
{
	char *buf;
	size_t len;
	assert_int_equal(rs_host_read(h, path, 4096, &buf, &len), 0);
	assert_string_equal(buf, want);
	assert_int_equal(len, strlen(want));
	free(buf);
}

static void check_resolution(bool walk)
{
	rs_host h;
	open_host(&h, walk);
	read_ok(&h, "/etc/passwd", "root:x:0:0:root:/root:/bin/bash\n");
	read_ok(&h, "/etc/os-release", "ID=debian\n");
	/* absolute symlink stays in the root */
	read_ok(&h, "/etc/shadow", "INSIDE\n");
	/* .. never climbs above the root */
	read_ok(&h, "/../../../secret", "INSIDE\n");
	read_ok(&h, "/etc/../../secret", "INSIDE\n");
	/* a symlink climbing out lands inside the root, where there is no such file */
	char *buf = NULL;
	size_t len;
	errno = 0;
	assert_int_equal(rs_host_read(&h, "/etc/up", 4096, &buf, &len), -1);
	assert_int_equal(errno, ENOENT);
	assert_null(buf);
	/* loops end */
	assert_int_equal(rs_host_read(&h, "/etc/loop", 4096, &buf, &len), -1);
	assert_int_equal(errno, ELOOP);
	/* no-follow opens refuse a final symlink */
	assert_int_equal(rs_host_open(&h, "/etc/os-release", RS_OPEN_FILE | RS_OPEN_NOFOLLOW, NULL), -1);
	assert_int_equal(errno, ELOOP);
	/* lstat sees the link itself */
	struct stat st;
	assert_int_equal(rs_host_lstat(&h, "/etc/shadow", &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	rs_host_free(&h);
}

static void test_resolution_openat2(void **state)
{
	(void)state;
	check_resolution(false);
}

static void test_resolution_walk(void **state)
{
	(void)state;
	check_resolution(true);
}

static void test_fifo_is_refused_without_blocking(void **state)
{
	(void)state;
	for (int walk = 0; walk < 2; walk++) {
		rs_host h;
		open_host(&h, walk);
		char *buf;
		size_t len;
		/* would block forever if opened for reading without O_NONBLOCK */
		assert_int_equal(rs_host_read(&h, "/etc/fifo.conf", 4096, &buf, &len), -1);
		assert_int_equal(errno, EINVAL);
		rs_host_free(&h);
	}
}

static void test_directory_is_not_a_file(void **state)
{
	(void)state;
	rs_host h;
	open_host(&h, false);
	char *buf;
	size_t len;
	assert_int_equal(rs_host_read(&h, "/etc", 4096, &buf, &len), -1);
	assert_int_equal(errno, EINVAL);
	DIR *d = rs_host_opendir(&h, "/etc");
	assert_non_null(d);
	closedir(d);
	assert_null(rs_host_opendir(&h, "/etc/passwd"));
	assert_int_equal(errno, ENOTDIR);
	rs_host_free(&h);
}

static void test_reads_are_bounded(void **state)
{
	(void)state;
	rs_host h;
	open_host(&h, false);
	char *buf;
	size_t len;
	assert_int_equal(rs_host_read(&h, "/etc/passwd", 10, &buf, &len), -1);
	assert_int_equal(errno, EFBIG);
	rs_host_free(&h);
}

static void test_display_path_and_live(void **state)
{
	(void)state;
	rs_host h;
	open_host(&h, false);
	char *p = rs_host_display_path(&h, "/etc/passwd");
	char *want = rs_sprintf("%s/etc/passwd", dir);
	assert_string_equal(p, want);
	free(p);
	free(want);
	assert_int_equal(h.proc_fd, -1);
	char *buf;
	assert_int_equal(rs_proc_read(&h, "self/stat", 4096, &buf, NULL), -1);
	rs_host_free(&h);

	assert_int_equal(rs_host_init(&h, "/", NULL), 0);
	assert_true(h.live);
	assert_int_equal(rs_proc_read(&h, "self/stat", 65536, &buf, NULL), 0);
	assert_non_null(strchr(buf, '('));
	free(buf);
	rs_host_free(&h);
}

static void test_missing_root_is_an_error(void **state)
{
	(void)state;
	rs_host h;
	rs_test_capture_start();
	assert_int_equal(rs_host_init(&h, "/nonexistent/rasoat-root", ""), -1);
	assert_true(rs_test_captured_contains("/nonexistent/rasoat-root"));
	rs_test_capture_stop();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolution_openat2),
		cmocka_unit_test(test_resolution_walk),
		cmocka_unit_test(test_fifo_is_refused_without_blocking),
		cmocka_unit_test(test_directory_is_not_a_file),
		cmocka_unit_test(test_reads_are_bounded),
		cmocka_unit_test(test_display_path_and_live),
		cmocka_unit_test(test_missing_root_is_an_error),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
