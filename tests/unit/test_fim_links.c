/*
 * test_fim_links.c — `rasoat fim`'s hasher (cmd/fim_hash.c) reads a cold
 * large file with other hard links through the page cache, not with
 * O_DIRECT: its other names are then read from memory, not from the disk
 * once per name (Debian's mesa ships one 25.7 MB driver under 13 names).
 * Four names of one cold file and one cold file with a single name are
 * hashed, each name opened and handed over with its fstat and without
 * (the hasher's own fstat), with one and with two hashing threads, the
 * cache asked with cachestat and as before Linux 6.5 (RWF_NOWAIT): only
 * the single-name file goes direct, and every digest is the one-buffer
 * digest of the bytes written (rs_sha256_hex).
 */
#include "testutil.h"
#include "cmd/fim_hash.h"
#include "core/digest.h"
#include "core/direct.h"
#include "core/pagecache.h"
#include "core/util.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

enum { LEN = 3 * RS_DIRECT_CHUNK + 17, NAMES = 4, FILES = NAMES + 1 };

typedef struct digests {
	char hex[FILES][65];
} digests;

/* LEN pseudo-random bytes from SEED into PATH, synced; their digest in OUT. */
static void write_file(const char *path, unsigned seed, char out[65])
{
	unsigned char *data = malloc(LEN);
	assert_non_null(data);
	unsigned x = seed * 2654435761u + 1;
	for (size_t i = 0; i < LEN; i++) {
		x = x * 1103515245u + 12345u;
		data[i] = (unsigned char)(x >> 16);
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, LEN), LEN);
	assert_int_equal(fsync(fd), 0);
	close(fd);
	rs_sha256_hex(data, LEN, out); /* one buffer at once: not the hasher's streaming reads */
	free(data);
}

static void evict(const char *path)
{
	int fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	close(fd);
}

/* True when PATH can be opened O_DIRECT and none of its pages is in the
 * page cache (mincore of a mapping: tmpfs keeps them). */
static bool direct_and_cold(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECT);
	if (fd < 0)
		return false;
	void *p = mmap(NULL, LEN, PROT_READ, MAP_SHARED, fd, 0);
	assert_true(p != MAP_FAILED);
	static unsigned char vec[LEN / 4096 + 1];
	assert_int_equal(mincore(p, LEN, vec), 0);
	bool cold = true;
	for (size_t i = 0; i < (LEN + 4095) / 4096 && i < sizeof(vec); i++)
		cold = cold && !(vec[i] & 1);
	munmap(p, LEN);
	close(fd);
	return cold;
}

static void set(void *ctx, size_t index, const char *sha256)
{
	digests *d = ctx;
	assert_true(index < FILES);
	snprintf(d->hex[index], sizeof(d->hex[index]), "%s", sha256);
}

static void test_fim_hard_links_not_direct(void **state)
{
	(void)state;
	unsetenv("RASOAT_DIRECT");
	char *dir = rs_test_tmpdir();
	char *paths[FILES];
	char want[FILES][65];
	static const char *const names[FILES] = { "a_dri.so", "b_dri.so", "c_dri.so", "d_dri.so", "one.so" };
	for (int k = 0; k < FILES; k++)
		paths[k] = rs_sprintf("%s/%s", dir, names[k]);
	write_file(paths[0], 7, want[0]);
	for (int k = 1; k < NAMES; k++) {
		assert_int_equal(link(paths[0], paths[k]), 0);
		memcpy(want[k], want[0], 65);
	}
	write_file(paths[NAMES], 8, want[NAMES]);
	for (int run = 0; run < 8; run++) {
		int threads = 1 + (run & 1), given = (run >> 1) & 1;
		rs_pagecache_test_no_cachestat(run >= 4); /* as before Linux 6.5: the RWF_NOWAIT probe */
		evict(paths[0]);
		evict(paths[NAMES]);
		bool can = direct_and_cold(paths[NAMES]) && direct_and_cold(paths[0]);
		if (!can)
			printf("no O_DIRECT or no eviction here: the direct count is not checked\n");
		unsigned long long before = rs_direct_files();
		rs_fim_hasher *h = rs_fim_hasher_new(threads, 1ULL << 40);
		digests got;
		memset(&got, 0, sizeof(got));
		for (int k = 0; k < FILES; k++) {
			int fd = open(paths[k], O_RDONLY | O_NONBLOCK | O_CLOEXEC);
			assert_true(fd >= 0);
			struct stat st;
			assert_int_equal(fstat(fd, &st), 0);
			assert_int_equal(st.st_nlink, k < NAMES ? NAMES : 1);
			rs_fim_hasher_add(h, (size_t)k, fd, given ? &st : NULL, got.hex[k]);
		}
		rs_fim_hasher_finish(h, set, &got);
		for (int k = 0; k < FILES; k++)
			assert_string_equal(got.hex[k], want[k]);
		if (can)
			assert_int_equal(rs_direct_files() - before, 1); /* "one" alone */
	}
	rs_pagecache_test_no_cachestat(false);
	for (int k = 0; k < FILES; k++)
		free(paths[k]);
	rs_test_rmrf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fim_hard_links_not_direct),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
