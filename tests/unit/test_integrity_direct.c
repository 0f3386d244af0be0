/*
 * test_integrity_direct.c — large cold package files read with O_DIRECT
 * (integrity/verify_direct.c) verify exactly as when read through the page
 * cache: files of 0 bytes, around the block, the 4 KB alignment, the lane
 * buffer and the direct chunk, and over several chunks, some recorded with
 * another digest (changed); missing files and directories, a symlink, a
 * FIFO and a directory in files' places. The answers (state, bytes, ELF)
 * with RASOAT_DIRECT=0 (never direct), =force (every regular file direct,
 * cached or not) and unset (the files evicted from the page cache first:
 * those of RS_VDIRECT_MIN bytes or more go direct), with one and two
 * threads, are the same and are what OpenSSL's MD5 says; the files are
 * really read direct where the file system takes O_DIRECT; the FIFO is
 * never waited on. A file cut short and filled again in place while it
 * is read with O_DIRECT again and again reads as unchanged or changed,
 * never more bytes than it ever held, never a crash or a hang. A cold
 * file with other hard links is read through the page cache, the cache
 * asked with cachestat and as before Linux 6.5 (RWF_NOWAIT).
 */
#include "testutil.h"
#include "core/host.h"
#include "core/pagecache.h"
#include "integrity/integrity.h"
#include "integrity/verify_direct.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static const size_t sizes[] = { 0, 1, 63, 64, 65, 4095, 4096, 4097, 131072, 131073,
				RS_VDIRECT_CHUNK - 1, RS_VDIRECT_CHUNK, RS_VDIRECT_CHUNK + 1, RS_VDIRECT_MIN - 1,
				RS_VDIRECT_MIN, RS_VDIRECT_MIN + 1, 2 * RS_VDIRECT_CHUNK + 4096, 3 * RS_VDIRECT_CHUNK + 17,
				5 * RS_VDIRECT_CHUNK };
enum { NSIZES = sizeof(sizes) / sizeof(sizes[0]), NODD = 5, N = NSIZES + NODD };

static void md5_hex(const unsigned char *data, size_t len, char *out)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned n = 0;
	assert_int_equal(EVP_Digest(data, len, d, &n, EVP_md5(), NULL), 1);
	for (unsigned i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* Writes LEN pseudo-random bytes (an ELF header first when ELF) to PATH,
 * synced so that the page cache can drop them. */
static void write_file(const char *path, size_t len, unsigned seed, bool elf, unsigned char *data)
{
	unsigned x = seed * 2654435761u + 1;
	for (size_t i = 0; i < len; i++) {
		x = x * 1103515245u + 12345u;
		data[i] = (unsigned char)(x >> 16);
	}
	if (elf && len >= 4)
		memcpy(data, "\x7f" "ELF", 4);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	assert_int_equal(fsync(fd), 0);
	close(fd);
}

static void evict(const char *root, const rs_verify_item *items)
{
	for (size_t i = 0; i < NSIZES; i++) {
		char *full = rs_sprintf("%s%s", root, items[i].path);
		int fd = open(full, O_RDONLY);
		assert_true(fd >= 0);
		posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
		close(fd);
		free(full);
	}
}

/* True when files under ROOT can be opened O_DIRECT (ext4, xfs, tmpfs
 * since Linux 6.6). */
static bool direct_works(const char *root, const rs_verify_item *item)
{
	char *full = rs_sprintf("%s%s", root, item->path);
	int fd = open(full, O_RDONLY | O_DIRECT);
	free(full);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* True when the kernel has cachestat(2) (Linux 6.5). */
static bool cachestat_works(void)
{
	unsigned long long range[2] = { 0, 0 }, cs[5];
	int fd = open("/proc/self/exe", O_RDONLY);
	long rc = syscall(451, fd, range, cs, 0);
	close(fd);
	return rc == 0;
}

static void run(rs_host *h, const rs_verify_item *items, const char *mode, int threads, rs_verify_result *r)
{
	if (mode)
		setenv("RASOAT_DIRECT", mode, 1);
	memset(r, 0, N * sizeof(*r));
	rs_integrity_verify_items(h, items, N, threads, NULL, r, NULL, NULL);
	unsetenv("RASOAT_DIRECT");
}

static void test_direct_same_answers(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	rs_test_mkdir(dir, "usr/lib/x");
	unsigned char *data = malloc(5 * RS_VDIRECT_CHUNK + 1);
	char (*digests)[33] = calloc(N, sizeof(*digests));
	char **paths = calloc(N, sizeof(*paths));
	rs_verify_item *items = calloc(N, sizeof(*items));
	assert_true(data && digests && paths && items);
	size_t regular_min = 0; /* files of RS_VDIRECT_MIN bytes or more */
	for (size_t i = 0; i < NSIZES; i++) {
		paths[i] = rs_sprintf("/usr/lib/x/f%02zu", i);
		char *full = rs_sprintf("%s%s", dir, paths[i]);
		write_file(full, sizes[i], (unsigned)i, i % 3 == 0, data);
		free(full);
		md5_hex(data, sizes[i], digests[i]);
		if (i % 4 == 1) /* recorded otherwise: changed */
			digests[i][5] = digests[i][5] == '0' ? '1' : '0';
		regular_min += sizes[i] >= RS_VDIRECT_MIN;
	}
	static const char *const odd[NODD] = { "/usr/lib/x/gone", "/usr/lib/nodir/f", "/usr/lib/x/link",
					       "/usr/lib/x/fifo", "/usr/lib/x/adir" };
	char *full = rs_sprintf("%s/usr/lib/x/link", dir);
	assert_int_equal(symlink("f18", full), 0); /* the largest file */
	free(full);
	full = rs_sprintf("%s/usr/lib/x/fifo", dir);
	assert_int_equal(mkfifo(full, 0600), 0);
	free(full);
	rs_test_mkdir(dir, "usr/lib/x/adir");
	for (size_t k = 0; k < NODD; k++) {
		paths[NSIZES + k] = rs_sprintf("%s", odd[k]);
		memset(digests[NSIZES + k], 'a', 32);
	}
	for (size_t i = 0; i < N; i++)
		items[i] = (rs_verify_item){ .path = paths[i], .package = "p", .digest = digests[i] };
	rs_host h;
	assert_int_equal(rs_host_init(&h, dir, ""), 0);
	rs_verify_result *base = calloc(N, sizeof(*base)), *r = calloc(N, sizeof(*r));
	assert_true(base && r);

	/* through the page cache: what OpenSSL says */
	unsigned long long before = rs_vdirect_files();
	run(&h, items, "0", 1, base);
	assert_int_equal(rs_vdirect_files(), before);
	for (size_t i = 0; i < NSIZES; i++) {
		assert_int_equal(base[i].state, i % 4 == 1 ? RS_FILE_CHANGED : RS_FILE_OK);
		assert_int_equal(base[i].bytes, sizes[i]);
		assert_int_equal(base[i].elf, i % 3 == 0 && sizes[i] >= 4);
	}
	assert_int_equal(base[NSIZES + 0].state, RS_FILE_MISSING);
	assert_int_equal(base[NSIZES + 1].state, RS_FILE_MISSING);
	assert_int_equal(base[NSIZES + 2].state, RS_FILE_REPLACED);
	assert_int_equal(base[NSIZES + 3].state, RS_FILE_REPLACED);
	assert_int_equal(base[NSIZES + 4].state, RS_FILE_REPLACED);

	bool can_direct = direct_works(dir, &items[0]);
	for (int threads = 1; threads <= 2; threads++) {
		/* every regular file direct, cached or not */
		before = rs_vdirect_files();
		run(&h, items, "force", threads, r);
		if (can_direct)
			assert_int_equal(rs_vdirect_files() - before, NSIZES);
		for (size_t i = 0; i < N; i++) {
			assert_int_equal(r[i].state, base[i].state);
			assert_int_equal(r[i].bytes, base[i].bytes);
			assert_int_equal(r[i].elf, base[i].elf);
		}
		/* the default: cold files of RS_VDIRECT_MIN bytes or more direct */
		evict(dir, items);
		before = rs_vdirect_files();
		run(&h, items, NULL, threads, r);
		if (can_direct && cachestat_works())
			assert_int_equal(rs_vdirect_files() - before, regular_min);
		for (size_t i = 0; i < N; i++) {
			assert_int_equal(r[i].state, base[i].state);
			assert_int_equal(r[i].bytes, base[i].bytes);
			assert_int_equal(r[i].elf, base[i].elf);
		}
		/* cached (a buffered run reads them in): through the page cache */
		run(&h, items, "0", threads, r);
		before = rs_vdirect_files();
		run(&h, items, NULL, threads, r);
		assert_int_equal(rs_vdirect_files(), before);
		for (size_t i = 0; i < N; i++)
			assert_int_equal(r[i].state, base[i].state);
	}
	rs_host_free(&h);
	for (size_t i = 0; i < N; i++)
		free(paths[i]);
	free(paths);
	free(digests);
	free(items);
	free(data);
	free(base);
	free(r);
	rs_test_rmrf(dir);
	free(dir);
}

/* A cold large file under several names (hard links: Debian's mesa ships
 * one driver under 13) is read through the page cache, not O_DIRECT, so
 * that its other names are read from memory; a cold file with one name
 * beside it still goes direct. The answers are OpenSSL's either way. */
static void test_direct_hard_links(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	rs_test_mkdir(dir, "usr/lib/dri");
	size_t len = 3 * RS_VDIRECT_CHUNK + 17;
	unsigned char *data = malloc(len);
	assert_non_null(data);
	char *first = rs_sprintf("%s/usr/lib/dri/a_dri.so", dir);
	write_file(first, len, 7, true, data);
	char linked[33], single[33], changed[33];
	md5_hex(data, len, linked);
	memcpy(changed, linked, 33);
	changed[0] = changed[0] == '0' ? '1' : '0';
	static const char *const names[] = { "/usr/lib/dri/a_dri.so", "/usr/lib/dri/b_dri.so",
					     "/usr/lib/dri/c_dri.so", "/usr/lib/dri/d_dri.so" };
	for (size_t k = 1; k < 4; k++) {
		char *full = rs_sprintf("%s%s", dir, names[k]);
		assert_int_equal(link(first, full), 0);
		free(full);
	}
	char *one = rs_sprintf("%s/usr/lib/dri/one.so", dir);
	write_file(one, len, 8, true, data);
	md5_hex(data, len, single);
	rs_verify_item items[5];
	for (size_t k = 0; k < 4; k++)
		items[k] = (rs_verify_item){ .path = names[k], .package = "mesa", .digest = k == 2 ? changed : linked };
	items[4] = (rs_verify_item){ .path = "/usr/lib/dri/one.so", .package = "other", .digest = single };
	rs_host h;
	assert_int_equal(rs_host_init(&h, dir, ""), 0);
	for (int run = 0; run < 4; run++) {
		int threads = 1 + (run & 1);
		rs_pagecache_test_no_cachestat(run >= 2); /* as before Linux 6.5: the RWF_NOWAIT probe */
		int fds[2] = { open(first, O_RDONLY), open(one, O_RDONLY) };
		for (int k = 0; k < 2; k++) {
			assert_true(fds[k] >= 0);
			posix_fadvise(fds[k], 0, 0, POSIX_FADV_DONTNEED);
			close(fds[k]);
		}
		rs_verify_result r[5];
		memset(r, 0, sizeof(r));
		unsigned long long before = rs_vdirect_files();
		rs_integrity_verify_items(&h, items, 5, threads, NULL, r, NULL, NULL);
		if (direct_works(dir, &items[4]) && (cachestat_works() || run >= 2))
			assert_int_equal(rs_vdirect_files() - before, 1); /* one.so alone */
		for (size_t k = 0; k < 5; k++) {
			assert_int_equal(r[k].state, k == 2 ? RS_FILE_CHANGED : RS_FILE_OK);
			assert_int_equal(r[k].bytes, len);
			assert_true(r[k].elf);
		}
	}
	rs_pagecache_test_no_cachestat(false);
	rs_host_free(&h);
	free(first);
	free(one);
	free(data);
	rs_test_rmrf(dir);
	free(dir);
}

enum { BIG = 3 * RS_VDIRECT_CHUNK + 100 };

typedef struct cutter {
	const char *path;
	atomic_bool stop;
	int cuts;
} cutter;

/* Cuts the file to 100 bytes and fills it back to BIG bytes of 'A', in
 * place (the reader's open file changes under it). */
static void *cut(void *arg)
{
	cutter *c = arg;
	unsigned char *a = malloc(BIG);
	memset(a, 'A', BIG);
	int fd = open(c->path, O_WRONLY);
	while (fd >= 0 && !atomic_load(&c->stop)) {
		if (ftruncate(fd, 100) == 0 && pwrite(fd, a, BIG, 0) == BIG)
			c->cuts++;
	}
	if (fd >= 0)
		close(fd);
	free(a);
	return NULL;
}

static void test_direct_changing_in_place(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	rs_test_mkdir(dir, "usr/lib");
	unsigned char *a = malloc(BIG);
	assert_non_null(a);
	char *path = rs_sprintf("%s/usr/lib/big", dir);
	write_file(path, BIG, 0, false, a);
	memset(a, 'A', BIG);
	int fd = open(path, O_WRONLY);
	assert_int_equal(pwrite(fd, a, BIG, 0), BIG);
	close(fd);
	char digest[33];
	md5_hex(a, BIG, digest);
	enum { M = 32 };
	rs_verify_item items[M];
	for (int i = 0; i < M; i++)
		items[i] = (rs_verify_item){ .path = "/usr/lib/big", .package = "p", .digest = digest };
	rs_host h;
	assert_int_equal(rs_host_init(&h, dir, ""), 0);
	cutter c = { .path = path };
	atomic_init(&c.stop, false);
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, cut, &c), 0);
	int ok = 0, changed = 0;
	setenv("RASOAT_DIRECT", "force", 1);
	for (int round = 0; round < 10; round++) {
		rs_verify_result r[M];
		rs_integrity_verify_items(&h, items, M, 2, NULL, r, NULL, NULL);
		for (int i = 0; i < M; i++) {
			assert_true(r[i].state == RS_FILE_OK || r[i].state == RS_FILE_CHANGED);
			assert_true(r[i].bytes <= BIG);
			ok += r[i].state == RS_FILE_OK;
			changed += r[i].state == RS_FILE_CHANGED;
		}
	}
	unsetenv("RASOAT_DIRECT");
	atomic_store(&c.stop, true);
	pthread_join(t, NULL);
	printf("cut in place: %d ok, %d changed over %d cuts\n", ok, changed, c.cuts);
	assert_int_equal(ok + changed, 10 * M);
	rs_host_free(&h);
	free(path);
	free(a);
	rs_test_rmrf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_direct_same_answers),
		cmocka_unit_test(test_direct_hard_links),
		cmocka_unit_test(test_direct_changing_in_place),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
