/*
 * test_pagecache.c — whether a file is in the page cache
 * (core/pagecache.c), by cachestat and by the RWF_NOWAIT fallback forced
 * through the test seam, against what mincore(2) says of the same file: a
 * file evicted is COLD (and cachestat read none of it in), one read whole
 * is WARM, one with only its first page cached is COLD by cachestat and
 * WARM by the fallback (the first page stands for the file there), three
 * quarters cached but not the first page the other way round, an empty
 * file is WARM, the probe moves no file offset, and a file whose state
 * cannot be told (procfs refuses RWF_NOWAIT) is UNKNOWN under the
 * fallback. The decision built on it (core/direct.c): by mode, size and
 * number of names, and a cold file with other hard links is never read
 * direct, by either probe.
 */
#include "testutil.h"
#include "core/direct.h"
#include "core/pagecache.h"
#include "core/util.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

enum { LEN = 256 * 4096 }; /* more than the kernel's read-ahead window */

/* Pages of FD (LEN bytes) in the page cache, by mincore of a mapping. */
static size_t resident(int fd)
{
	void *p = mmap(NULL, LEN, PROT_READ, MAP_SHARED, fd, 0);
	assert_true(p != MAP_FAILED);
	long page = sysconf(_SC_PAGESIZE);
	size_t n = LEN / (size_t)page, count = 0;
	unsigned char vec[LEN / 4096];
	assert_int_equal(mincore(p, LEN, vec), 0);
	for (size_t i = 0; i < n; i++)
		count += vec[i] & 1;
	munmap(p, LEN);
	return count;
}

/* A synced file of LEN bytes at DIR/NAME, open read-only. */
static int make_file(const char *dir, const char *name)
{
	char *path = rs_sprintf("%s/%s", dir, name);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	char *buf = malloc(LEN);
	assert_non_null(buf);
	memset(buf, 'x', LEN);
	assert_int_equal(write(fd, buf, LEN), LEN);
	assert_int_equal(fsync(fd), 0);
	posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM); /* no read-ahead past what the test reads */
	free(buf);
	free(path);
	return fd;
}

/* Drops FD's pages; false when the file system keeps them (tmpfs). */
static bool evict(int fd)
{
	posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	return resident(fd) == 0;
}

static void read_range(int fd, off_t off, size_t len)
{
	char *buf = malloc(len);
	assert_non_null(buf);
	assert_int_equal(pread(fd, buf, len, off), (ssize_t)len);
	free(buf);
}

static void probe_both_ways(bool fallback)
{
	rs_pagecache_test_no_cachestat(fallback);
	char *dir = rs_test_tmpdir();
	int fd = make_file(dir, "f");
	long page = sysconf(_SC_PAGESIZE);
	if (!evict(fd)) {
		printf("the file system keeps its pages: no cold file to probe here\n");
	} else {
		assert_int_equal(rs_pagecache_probe(fd, LEN), RS_PAGECACHE_COLD);
		if (!fallback) /* cachestat reads nothing in (RWF_NOWAIT may start the first pages' read) */
			assert_int_equal(resident(fd), 0);
		/* the first page alone */
		read_range(fd, 0, (size_t)page);
		assert_int_equal(rs_pagecache_probe(fd, LEN), fallback ? RS_PAGECACHE_WARM : RS_PAGECACHE_COLD);
		/* three quarters, the first page not among them */
		assert_true(evict(fd));
		read_range(fd, LEN / 4, LEN - LEN / 4);
		assert_int_equal(rs_pagecache_probe(fd, LEN), fallback ? RS_PAGECACHE_COLD : RS_PAGECACHE_WARM);
	}
	read_range(fd, 0, LEN);
	assert_int_equal(resident(fd), LEN / page);
	assert_int_equal(rs_pagecache_probe(fd, LEN), RS_PAGECACHE_WARM);
	/* the offset stays where the reader has it */
	assert_int_equal(lseek(fd, 100, SEEK_SET), 100);
	(void)rs_pagecache_probe(fd, LEN);
	assert_int_equal(lseek(fd, 0, SEEK_CUR), 100);
	close(fd);
	int empty = open(dir, O_RDONLY | O_DIRECTORY);
	assert_true(empty >= 0);
	int e = openat(empty, "empty", O_RDWR | O_CREAT, 0644);
	assert_true(e >= 0);
	assert_int_equal(rs_pagecache_probe(e, 0), RS_PAGECACHE_WARM);
	close(e);
	close(empty);
	rs_test_rmrf(dir);
	free(dir);
	rs_pagecache_test_no_cachestat(false);
}

static void test_probe_cachestat(void **state)
{
	(void)state;
	probe_both_ways(false);
}

static void test_probe_fallback(void **state)
{
	(void)state;
	probe_both_ways(true);
}

/* procfs takes no RWF_NOWAIT: the fallback cannot tell, and a reader
 * around the page cache then reads through it. */
static void test_probe_unknown(void **state)
{
	(void)state;
	int fd = open("/proc/self/status", O_RDONLY);
	assert_true(fd >= 0);
	rs_pagecache_test_no_cachestat(true);
	assert_int_equal(rs_pagecache_probe(fd, 1000), RS_PAGECACHE_UNKNOWN);
	assert_false(rs_direct_wanted(RS_DIRECT_AUTO, fd, 2 << 20, 1, RS_DIRECT_MIN));
	rs_pagecache_test_no_cachestat(false);
	close(fd);
}

static void test_direct_candidate(void **state)
{
	(void)state;
	assert_true(rs_direct_candidate(RS_DIRECT_FORCE, 0, 5, RS_DIRECT_MIN));
	assert_false(rs_direct_candidate(RS_DIRECT_OFF, 1 << 30, 1, RS_DIRECT_MIN));
	assert_true(rs_direct_candidate(RS_DIRECT_AUTO, RS_DIRECT_MIN, 1, RS_DIRECT_MIN));
	assert_true(rs_direct_candidate(RS_DIRECT_AUTO, RS_DIRECT_MIN, 0, RS_DIRECT_MIN)); /* unlinked, open */
	assert_false(rs_direct_candidate(RS_DIRECT_AUTO, RS_DIRECT_MIN - 1, 1, RS_DIRECT_MIN));
	assert_false(rs_direct_candidate(RS_DIRECT_AUTO, RS_DIRECT_MIN, 2, RS_DIRECT_MIN));
	assert_false(rs_direct_candidate(RS_DIRECT_AUTO, 1 << 30, 13, RS_DIRECT_MIN));
	assert_true(rs_direct_candidate(RS_DIRECT_AUTO, 200 << 10, 1, 128 << 10)); /* the reader's own least size */
}

/* A cold file read direct with one name, not with three; by either probe. */
static void test_direct_wanted_links(void **state)
{
	(void)state;
	for (int fallback = 0; fallback <= 1; fallback++) {
		rs_pagecache_test_no_cachestat(fallback);
		char *dir = rs_test_tmpdir();
		int fd = make_file(dir, "f");
		if (evict(fd)) {
			assert_true(rs_direct_wanted(RS_DIRECT_AUTO, fd, LEN, 1, 4096));
			for (int k = 0; k < 2; k++) {
				char *from = rs_sprintf("%s/f", dir), *to = rs_sprintf("%s/f%d", dir, k);
				assert_int_equal(link(from, to), 0);
				free(from);
				free(to);
			}
			struct stat st;
			assert_int_equal(fstat(fd, &st), 0);
			assert_int_equal(st.st_nlink, 3);
			assert_false(rs_direct_wanted(RS_DIRECT_AUTO, fd, LEN, (unsigned long)st.st_nlink, 4096));
			assert_true(rs_direct_wanted(RS_DIRECT_FORCE, fd, LEN, (unsigned long)st.st_nlink, 4096));
			if (!fallback) /* cachestat reads nothing in (RWF_NOWAIT may start the first pages' read) */
				assert_int_equal(resident(fd), 0);
		}
		read_range(fd, 0, LEN);
		assert_false(rs_direct_wanted(RS_DIRECT_AUTO, fd, LEN, 1, 4096)); /* cached */
		close(fd);
		rs_test_rmrf(dir);
		free(dir);
	}
	rs_pagecache_test_no_cachestat(false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probe_cachestat),
		cmocka_unit_test(test_probe_fallback),
		cmocka_unit_test(test_probe_unknown),
		cmocka_unit_test(test_direct_candidate),
		cmocka_unit_test(test_direct_wanted_links),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
