/*
 * test_prefetch.c — core/prefetch.h, the batched first reads of the
 * integrity lanes and fim's hasher: a batch holds at most
 * RS_PREFETCH_BATCH files; a file dropped from the page cache gets its
 * first bytes read from disk by the prefetch (and prefetching stays on);
 * files found cached wear it off and rs_prefetch_cold turns it on again; a
 * FIFO with a writer (what an attacker could swap in for a package file)
 * and a terminal are never waited on; RASOAT_IO_URING=0 turns it all off.
 * Skips where the kernel has no io_uring.
 */
#include "testutil.h"
#include "core/prefetch.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static bool have_ring(void)
{
	rs_prefetch p;
	rs_prefetch_init(&p);
	bool ok = p.ok;
	rs_prefetch_free(&p);
	if (!ok)
		printf("SKIP: no io_uring in this kernel (or it is disabled): the read loop alone runs\n");
	return ok;
}

/* A file of LEN bytes under DIR, written to disk and dropped from the
 * page cache; its fd. */
static int cold_file(const char *dir, const char *name, size_t len)
{
	char *path = rs_sprintf("%s/%s", dir, name);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	free(path);
	assert_true(fd >= 0);
	char *buf = malloc(len);
	assert_non_null(buf);
	memset(buf, 'x', len);
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	free(buf);
	assert_int_equal(fsync(fd), 0);
	assert_int_equal(posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED), 0);
	return fd;
}

/* Pages of FD's first LEN bytes in the page cache (mincore). */
static size_t cached_pages(int fd, size_t len)
{
	void *map = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	assert_true(map != MAP_FAILED);
	size_t pages = (len + 4095) / 4096, n = 0;
	unsigned char *vec = calloc(pages, 1);
	assert_int_equal(mincore(map, len, vec), 0);
	for (size_t i = 0; i < pages; i++)
		n += vec[i] & 1;
	free(vec);
	munmap(map, len);
	return n;
}

static void test_cold_file_read_ahead(void **state)
{
	(void)state;
	if (!have_ring())
		return;
	char *dir = rs_test_tmpdir();
	int fd = cold_file(dir, "cold", 64 << 10);
	/* tmpfs keeps every file in memory: then nothing can be dropped */
	if (cached_pages(fd, 64 << 10) == 0) {
		rs_prefetch p;
		rs_prefetch_init(&p);
		assert_true(rs_prefetch_wanted(&p));
		assert_true(rs_prefetch_add(&p, fd, 64 << 10));
		rs_prefetch_submit(&p);
		assert_true(rs_prefetch_wanted(&p)); /* a cold file keeps prefetching on */
		/* the read-ahead it started brings the file in */
		size_t n = 0;
		for (int tries = 0; tries < 500 && (n = cached_pages(fd, 64 << 10)) < 16; tries++)
			usleep(10000);
		assert_int_equal(n, 16);
		rs_prefetch_free(&p);
	} else {
		printf("SKIP: %s keeps its files in memory: no cold file to prefetch\n", dir);
	}
	close(fd);
	rs_test_rmrf(dir);
	free(dir);
}

static void test_batch_and_warm(void **state)
{
	(void)state;
	if (!have_ring())
		return;
	char *dir = rs_test_tmpdir();
	rs_test_write(dir, "warm", "cached bytes");
	char *path = rs_sprintf("%s/warm", dir);
	int fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	char b[4];
	assert_int_equal(read(fd, b, sizeof(b)), 4); /* in the page cache now */
	rs_prefetch p;
	rs_prefetch_init(&p);
	int batches = 0;
	while (rs_prefetch_wanted(&p)) {
		for (int i = 0; i < RS_PREFETCH_BATCH; i++)
			assert_true(rs_prefetch_add(&p, fd, 12));
		assert_false(rs_prefetch_add(&p, fd, 12)); /* full: submit first */
		rs_prefetch_submit(&p);
		assert_true(++batches <= 4);
	}
	assert_true(batches >= 1);
	/* a reader that finds a file not cached turns it on again */
	rs_prefetch_cold(&p);
	assert_true(rs_prefetch_wanted(&p));
	rs_prefetch_free(&p);
	close(fd);
	free(path);
	rs_test_rmrf(dir);
	free(dir);
}

static void test_fifo_and_tty_not_waited(void **state)
{
	(void)state;
	if (!have_ring())
		return;
	char *dir = rs_test_tmpdir();
	char *fifo = rs_sprintf("%s/fifo", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	int writer = open(fifo, O_RDWR | O_NONBLOCK); /* a writer that never writes */
	assert_true(writer >= 0);
	int reader = open(fifo, O_RDONLY | O_NONBLOCK);
	assert_true(reader >= 0);
	int tty = posix_openpt(O_RDWR | O_NOCTTY);
	rs_prefetch p;
	rs_prefetch_init(&p);
	alarm(20); /* a wait here would hang the test: fail it instead */
	assert_true(rs_prefetch_add(&p, reader, 4096));
	if (tty >= 0)
		assert_true(rs_prefetch_add(&p, tty, 4096));
	rs_prefetch_submit(&p);
	alarm(0);
	rs_prefetch_free(&p);
	if (tty >= 0)
		close(tty);
	close(reader);
	close(writer);
	free(fifo);
	rs_test_rmrf(dir);
	free(dir);
}

static void test_turned_off(void **state)
{
	(void)state;
	setenv("RASOAT_IO_URING", "0", 1);
	rs_prefetch p;
	rs_prefetch_init(&p);
	assert_false(p.ok);
	assert_false(rs_prefetch_wanted(&p));
	assert_false(rs_prefetch_add(&p, 0, 1));
	rs_prefetch_submit(&p);
	rs_prefetch_free(&p);
	unsetenv("RASOAT_IO_URING");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cold_file_read_ahead),
		cmocka_unit_test(test_batch_and_warm),
		cmocka_unit_test(test_fifo_and_tty_not_waited),
		cmocka_unit_test(test_turned_off),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
