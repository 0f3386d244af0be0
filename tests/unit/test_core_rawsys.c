/*
 * test_core_rawsys.c — the raw system calls (core/rawsys.h) agree with the
 * kernel: this process is in the getdents64 listing of /proc, its status
 * file reads through openat/read, kill(self, 0) succeeds and kill of a
 * reaped child fails with ESRCH; a directory of 400 long names (several
 * getdents64 batches) is listed whole; errors come back as -1 and errno;
 * reads stop at their bound.
 */
#include "testutil.h"
#include "core/rawsys.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void mark(void *ctx, long pid)
{
	if (pid == (long)getpid())
		*(int *)ctx += 1;
}

static void test_proc(void **state)
{
	(void)state;
	int proc = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (proc < 0) {
		print_message("skip: no /proc\n");
		return;
	}
	int seen = 0;
	assert_true(rs_raw_list_pids(proc, ".", mark, &seen) > 0);
	assert_int_equal(seen, 1);
	char *text;
	size_t len;
	assert_int_equal(rs_raw_read_file(proc, "self/status", 1 << 20, &text, &len), 0);
	assert_non_null(strstr(text, "Name:"));
	assert_int_equal(strlen(text), len);
	free(text);
	assert_int_equal(rs_raw_read_file(proc, "self/status", 8, &text, &len), -1);
	assert_int_equal(errno, EFBIG);
	assert_int_equal(rs_raw_read_file(proc, "no/such/file", 64, &text, &len), -1);
	assert_int_equal(errno, ENOENT);
	char link[64];
	assert_true(rs_raw_readlinkat(proc, "self", link, sizeof(link)) > 0);
	assert_int_equal(rs_raw_list_pids(proc, "no-such-dir", mark, &seen), -1);
	close(proc);

	assert_int_equal(rs_raw_kill(getpid(), 0), 0);
	pid_t child = fork();
	if (child == 0)
		_exit(0);
	assert_true(child > 0);
	waitpid(child, NULL, 0);
	assert_int_equal(rs_raw_kill(child, 0), -1);
	assert_int_equal(errno, ESRCH);
}

static void test_big_dir(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	char name[256];
	for (int i = 0; i < 400; i++) {
		snprintf(name, sizeof(name), "%03d-%0200d", i, 0);
		rs_test_write(dir, name, "");
	}
	int fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	rs_raw_dir *d = rs_raw_opendir(fd, ".");
	assert_non_null(d);
	int files = 0, dots = 0;
	const char *n;
	unsigned char type;
	while ((n = rs_raw_readdir(d, &type)) != NULL) {
		if (n[0] == '.')
			dots++;
		else {
			files++;
			assert_int_equal(strlen(n), 204);
		}
	}
	assert_int_equal(errno, 0);
	assert_int_equal(files, 400);
	assert_int_equal(dots, 2);
	rs_raw_closedir(d);
	errno = 0;
	assert_null(rs_raw_opendir(fd, "missing"));
	assert_int_equal(errno, ENOENT);
	rs_raw_closedir(NULL);
	close(fd);
	rs_test_rmrf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proc),
		cmocka_unit_test(test_big_dir),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
