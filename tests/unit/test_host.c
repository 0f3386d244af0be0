/*
 * test_host.c — the host handle: paths resolve inside the root whatever the
 * symlinks say, only regular files are read, reads are bounded. Every case
 * runs with openat2 and with the portable resolver. And the growing read
 * under them (core/readfile.c, rs_read_fd_grow): sizes told and not told,
 * a pipe giving short reads, a buffer reused from read to read, the bound.
 */
#include "testutil.h"
#include "core/host.h"
#include "core/readfile.h"
#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
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

/* Writes LEN bytes of a pattern into a pipe in pieces of PIECE bytes
 * (short reads on the other side) from a child, and returns the read end. */
static int pipe_of(size_t len, size_t piece)
{
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		char block[8192];
		for (size_t at = 0; at < len;) {
			size_t n = len - at < piece ? len - at : piece;
			for (size_t i = 0; i < n; i++)
				block[i] = (char)('a' + (at + i) % 26);
			if (write(fds[1], block, n) != (ssize_t)n)
				_exit(1);
			at += n;
			usleep(200);
		}
		_exit(0);
	}
	close(fds[1]);
	return fds[0];
}

static void check_pattern(const char *buf, size_t len, size_t want)
{
	assert_int_equal(len, want);
	assert_int_equal(buf[len], '\0');
	for (size_t i = 0; i < len; i++)
		if (buf[i] != (char)('a' + i % 26))
			fail_msg("byte %zu of %zu differs", i, len);
}

static void test_growing_read(void **state)
{
	(void)state;
	char *buf = NULL;
	size_t cap = 0, len = 0;
	/* a pipe (size not known), short reads, more than the first room */
	int fd = pipe_of(20000, 3000);
	assert_int_equal(rs_read_fd_grow(fd, 0, 1 << 20, &buf, &cap, &len), 0);
	close(fd);
	check_pattern(buf, len, 20000);
	while (wait(NULL) > 0)
		;
	/* the same buffer again, for a shorter text */
	size_t kept = cap;
	fd = pipe_of(10, 10);
	assert_int_equal(rs_read_fd_grow(fd, 0, 1 << 20, &buf, &cap, &len), 0);
	close(fd);
	check_pattern(buf, len, 10);
	assert_int_equal(cap, kept);
	while (wait(NULL) > 0)
		;
	/* a regular file, its size told */
	char path[4096];
	snprintf(path, sizeof(path), "%s/grow.txt", dir);
	int w = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(w >= 0);
	for (size_t i = 0; i < 70000; i++) {
		char c = (char)('a' + i % 26);
		assert_int_equal(write(w, &c, 1), 1);
	}
	close(w);
	fd = open(path, O_RDONLY);
	assert_int_equal(rs_read_fd_grow(fd, 70000, 1 << 20, &buf, &cap, &len), 0);
	close(fd);
	check_pattern(buf, len, 70000);
	/* a size told smaller than the file (it grew since its fstat): all of it */
	fd = open(path, O_RDONLY);
	assert_int_equal(rs_read_fd_grow(fd, 500, 1 << 20, &buf, &cap, &len), 0);
	close(fd);
	check_pattern(buf, len, 70000);
	/* the bound: one byte over is refused, exactly at it is read */
	fd = open(path, O_RDONLY);
	errno = 0;
	assert_int_equal(rs_read_fd_grow(fd, 0, 69999, &buf, &cap, &len), -1);
	assert_int_equal(errno, EFBIG);
	close(fd);
	fd = open(path, O_RDONLY);
	assert_int_equal(rs_read_fd_grow(fd, 70000, 69999, &buf, &cap, &len), -1);
	assert_int_equal(errno, EFBIG);
	close(fd);
	fd = open(path, O_RDONLY);
	assert_int_equal(rs_read_fd_grow(fd, 0, 70000, &buf, &cap, &len), 0);
	close(fd);
	check_pattern(buf, len, 70000);
	/* an empty text */
	fd = pipe_of(0, 1);
	assert_int_equal(rs_read_fd_grow(fd, 0, 100, &buf, &cap, &len), 0);
	close(fd);
	assert_int_equal(len, 0);
	assert_string_equal(buf, "");
	while (wait(NULL) > 0)
		;
	free(buf);
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
		cmocka_unit_test(test_growing_read),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
