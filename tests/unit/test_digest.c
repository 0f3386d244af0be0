/*
 * test_digest.c — core/digest.h's digest of an open file: the same hex as
 * the one-buffer digests for sizes around its 64 KiB piece, from the fd's
 * current offset, and a file above the bound refused (EFBIG, OUT empty)
 * rather than digested in part.
 */
#include "testutil.h"
#include "core/digest.h"
#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A file of LEN patterned bytes in DIR; its fd, open for reading. */
static int patterned_file(const char *dir, size_t len, unsigned char **data)
{
	*data = rs_malloc(len ? len : 1);
	for (size_t i = 0; i < len; i++)
		(*data)[i] = (unsigned char)(i * 131 + 7);
	char *path = rs_sprintf("%s/f", dir);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, *data, len), (ssize_t)len);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	free(path);
	return fd;
}

static void test_sizes(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	const size_t sizes[] = { 0, 1, 65535, 65536, 65537, 3 * 65536 + 11 };
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		unsigned char *data;
		int fd = patterned_file(dir, sizes[k], &data);
		char want[65], got[65];
		unsigned long long bytes = 0;
		rs_sha256_hex(data, sizes[k], want);
		assert_int_equal(rs_digest_fd_hex(fd, RS_DIGEST_SHA256, ULLONG_MAX, got, &bytes), 0);
		assert_string_equal(got, want);
		assert_int_equal(bytes, sizes[k]);
		assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
		rs_md5_hex(data, sizes[k], want);
		assert_int_equal(rs_digest_fd_hex(fd, RS_DIGEST_MD5, sizes[k], got, NULL), 0); /* exactly the bound */
		assert_string_equal(got, want);
		if (sizes[k] > 1) { /* from the current offset */
			assert_int_equal(lseek(fd, 1, SEEK_SET), 1);
			rs_sha256_hex(data + 1, sizes[k] - 1, want);
			assert_int_equal(rs_digest_fd_hex(fd, RS_DIGEST_SHA256, ULLONG_MAX, got, NULL), 0);
			assert_string_equal(got, want);
		}
		close(fd);
		free(data);
	}
	rs_test_rmrf(dir);
	free(dir);
}

static void test_bound(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	unsigned char *data;
	int fd = patterned_file(dir, 65536 + 10, &data);
	char got[65] = "x";
	errno = 0;
	assert_int_equal(rs_digest_fd_hex(fd, RS_DIGEST_SHA256, 65536 + 9, got, NULL), -1);
	assert_int_equal(errno, EFBIG);
	assert_string_equal(got, "");
	close(fd);
	/* a read that fails: an fd open for writing only */
	char *path = rs_sprintf("%s/f", dir);
	fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(rs_digest_fd_hex(fd, RS_DIGEST_MD5, ULLONG_MAX, got, NULL), -1);
	assert_int_equal(errno, EBADF);
	assert_string_equal(got, "");
	close(fd);
	free(path);
	free(data);
	rs_test_rmrf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_bound),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
