/*
 * test_integrity_lanes.c — the integrity workers that hash 16 files at once
 * (integrity/verify_lanes.c): files of every size around the block, lane
 * buffer and padding edges verify (or not) exactly as OpenSSL says, with
 * one thread and with several giving the same results in the same order;
 * MD5 and SHA-256 digests mixed; and a file rewritten while several
 * threads verify it again and again only ever reads as unchanged or
 * changed (never a crash, a hang or another file's answer), read through
 * the page cache or with O_DIRECT. The same
 * answers with the files dropped from the page cache and with the read
 * loop alone (no io_uring prefetch); and every file verifies under a low
 * limit of open files.
 */
#include "testutil.h"
#include "core/host.h"
#include "core/md5x.h"
#include "integrity/integrity.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void digest_hex(const EVP_MD *md, const unsigned char *data, size_t len, char *out)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned n = 0;
	assert_int_equal(EVP_Digest(data, len, d, &n, md, NULL), 1);
	for (unsigned i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void write_bytes(const char *path, const unsigned char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

enum { NFILES = 40, MAXLEN = 300000 };

static void test_sizes(void **state)
{
	(void)state;
	static const size_t sizes[] = { 0, 1, 3, 4, 55, 56, 63, 64, 65, 119, 120, 127, 128, 4095, 65471,
					65472, 65535, 65536, 65537, 131007, 131008, 131071, 131072, 131073,
					131135, 200000, 262144, MAXLEN };
	enum { NS = sizeof(sizes) / sizeof(sizes[0]) };
	char *dir = rs_test_tmpdir();
	rs_test_mkdir(dir, "usr/lib");
	unsigned char *data = malloc(MAXLEN);
	assert_non_null(data);
	srand(11);
	for (size_t i = 0; i < MAXLEN; i++)
		data[i] = (unsigned char)rand();
	memcpy(data, "\x7f" "ELF", 4);
	char *paths[NFILES];
	char digests[NFILES][65];
	rs_verify_item items[NFILES];
	for (int i = 0; i < NFILES; i++) {
		size_t len = sizes[i % NS];
		paths[i] = rs_sprintf("/usr/lib/f%02d", i);
		char *full = rs_sprintf("%s%s", dir, paths[i]);
		/* each file its own bytes: the data shifted by i */
		write_bytes(full, data + (len + (size_t)i <= MAXLEN ? (size_t)i : 0), len);
		free(full);
		const unsigned char *content = data + (len + (size_t)i <= MAXLEN ? (size_t)i : 0);
		/* every third file SHA-256 (as rpm records), every fifth recorded wrong */
		bool sha = i % 3 == 2;
		digest_hex(sha ? EVP_sha256() : EVP_md5(), content, len, digests[i]);
		if (i % 5 == 4)
			digests[i][0] = digests[i][0] == '0' ? '1' : '0';
		items[i] = (rs_verify_item){ .path = paths[i], .package = "p", .digest = digests[i] };
	}
	rs_host h;
	assert_int_equal(rs_host_init(&h, dir, ""), 0);
	rs_verify_result one[NFILES], many[NFILES];
	unsigned long long bytes1 = rs_integrity_verify_items(&h, items, NFILES, 1, NULL, one, NULL, NULL);
	unsigned long long bytes4 = rs_integrity_verify_items(&h, items, NFILES, 4, NULL, many, NULL, NULL);
	unsigned long long want_bytes = 0;
	for (int i = 0; i < NFILES; i++) {
		size_t len = sizes[i % NS];
		want_bytes += len;
		assert_int_equal(one[i].state, i % 5 == 4 ? RS_FILE_CHANGED : RS_FILE_OK);
		assert_int_equal(many[i].state, one[i].state);
		assert_int_equal(one[i].bytes, len);
		assert_int_equal(many[i].bytes, len);
		/* the ELF magic is at the start of the data: files shifted by 0 with 4+ bytes */
		assert_int_equal(one[i].elf, many[i].elf);
	}
	assert_int_equal(bytes1, want_bytes);
	assert_int_equal(bytes4, want_bytes);
	assert_true(one[0].elf == false && one[23].elf == false); /* 0 bytes; shifted by 23 */
	/* the same answers with the files dropped from the page cache (their
	 * first reads prefetched in batches through io_uring), and with the
	 * read loop alone (RASOAT_IO_URING=0, as where io_uring is missing) */
	for (int mode = 0; mode < 2; mode++) {
		for (int i = 0; i < NFILES; i++) {
			char *full = rs_sprintf("%s%s", dir, paths[i]);
			int fd = open(full, O_RDONLY);
			assert_true(fd >= 0);
			posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
			close(fd);
			free(full);
		}
		if (mode == 1)
			setenv("RASOAT_IO_URING", "0", 1);
		assert_int_equal(rs_integrity_verify_items(&h, items, NFILES, 2, NULL, many, NULL, NULL), want_bytes);
		unsetenv("RASOAT_IO_URING");
		for (int i = 0; i < NFILES; i++) {
			assert_int_equal(many[i].state, one[i].state);
			assert_int_equal(many[i].bytes, one[i].bytes);
			assert_int_equal(many[i].elf, one[i].elf);
		}
	}
	/* every variant of the 16-lane MD5 this CPU runs gives the same answers */
	static const char *const variants[] = { "generic", "avx2", "avx512" };
	for (size_t v = 0; v < sizeof(variants) / sizeof(variants[0]); v++) {
		if (rs_md5x_use(variants[v]) < 0)
			continue;
		rs_integrity_verify_items(&h, items, NFILES, 2, NULL, many, NULL, NULL);
		for (int i = 0; i < NFILES; i++)
			assert_int_equal(many[i].state, one[i].state);
	}
	rs_host_free(&h);
	for (int i = 0; i < NFILES; i++)
		free(paths[i]);
	free(data);
	rs_test_rmrf(dir);
	free(dir);
}

typedef struct flipper {
	const char *dir;
	atomic_bool stop;
	int flips;
} flipper;

/* Replaces usr/bin/moving with version A or B, turn about, by rename. */
static void *flip(void *arg)
{
	flipper *f = arg;
	char *tmp = rs_sprintf("%s/usr/bin/.moving.tmp", f->dir);
	char *dst = rs_sprintf("%s/usr/bin/moving", f->dir);
	unsigned char buf[70000];
	while (!atomic_load(&f->stop)) {
		memset(buf, f->flips % 2 ? 'B' : 'A', sizeof(buf));
		write_bytes(tmp, buf, sizeof(buf));
		if (rename(tmp, dst) == 0)
			f->flips++;
	}
	free(tmp);
	free(dst);
	return NULL;
}

static void test_changing(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	rs_test_mkdir(dir, "usr/bin");
	unsigned char a[70000];
	memset(a, 'A', sizeof(a));
	char digest_a[33], digest_s[33];
	digest_hex(EVP_md5(), a, sizeof(a), digest_a);
	digest_hex(EVP_md5(), (const unsigned char *)"steady\n", 7, digest_s);
	rs_test_write(dir, "usr/bin/steady", "steady\n");
	char *moving = rs_sprintf("%s/usr/bin/moving", dir);
	write_bytes(moving, a, sizeof(a));
	enum { N = 64 };
	rs_verify_item items[N];
	for (int i = 0; i < N; i++)
		items[i] = i % 2 ? (rs_verify_item){ .path = "/usr/bin/moving", .package = "p", .digest = digest_a }
				 : (rs_verify_item){ .path = "/usr/bin/steady", .package = "p", .digest = digest_s };
	rs_host h;
	assert_int_equal(rs_host_init(&h, dir, ""), 0);
	flipper f = { .dir = dir };
	atomic_init(&f.stop, false);
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, flip, &f), 0);
	int ok = 0, changed = 0;
	for (int round = 0; round < 20; round++) {
		rs_verify_result r[N];
		if (round % 2) /* every other round read with O_DIRECT (verify_direct.c) */
			setenv("RASOAT_DIRECT", "force", 1);
		rs_integrity_verify_items(&h, items, N, 4, NULL, r, NULL, NULL);
		unsetenv("RASOAT_DIRECT");
		for (int i = 0; i < N; i++) {
			if (i % 2 == 0) {
				assert_int_equal(r[i].state, RS_FILE_OK);
				continue;
			}
			/* a whole version A or B was read: never a mix, never another file */
			assert_true(r[i].state == RS_FILE_OK || r[i].state == RS_FILE_CHANGED);
			assert_int_equal(r[i].bytes, sizeof(a));
			ok += r[i].state == RS_FILE_OK;
			changed += r[i].state == RS_FILE_CHANGED;
		}
	}
	atomic_store(&f.stop, true);
	pthread_join(t, NULL);
	printf("moving file: %d ok, %d changed over %d replacements\n", ok, changed, f.flips);
	assert_int_equal(ok + changed, 20 * N / 2);
	rs_host_free(&h);
	free(moving);
	rs_test_rmrf(dir);
	free(dir);
}

/* With a low limit of open files (here 300, hard) many workers would run
 * out of descriptors and report files unreadable: fewer run, and every
 * file verifies. In a child: the hard limit cannot be raised again. */
static void test_few_descriptors(void **state)
{
	(void)state;
	enum { N = 1500 };
	char *dir = rs_test_tmpdir();
	rs_test_mkdir(dir, "usr/share/f");
	char **paths = calloc(N, sizeof(*paths));
	char (*digests)[65] = calloc(N, sizeof(*digests));
	rs_verify_item *items = calloc(N, sizeof(*items));
	assert_true(paths && digests && items);
	for (int i = 0; i < N; i++) {
		char content[32];
		int len = snprintf(content, sizeof(content), "file %d\n", i);
		paths[i] = rs_sprintf("/usr/share/f/%04d", i);
		char *full = rs_sprintf("%s%s", dir, paths[i]);
		write_bytes(full, (const unsigned char *)content, (size_t)len);
		free(full);
		digest_hex(EVP_md5(), (const unsigned char *)content, (size_t)len, digests[i]);
		items[i] = (rs_verify_item){ .path = paths[i], .package = "p", .digest = digests[i] };
	}
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit rl = { .rlim_cur = 300, .rlim_max = 300 };
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
			_exit(2);
		rs_host h;
		if (rs_host_init(&h, dir, "") != 0)
			_exit(3);
		rs_verify_result *r = calloc(N, sizeof(*r));
		rs_integrity_verify_items(&h, items, N, 16, NULL, r, NULL, NULL);
		int bad = 0;
		for (int i = 0; i < N; i++)
			bad += r[i].state != RS_FILE_OK;
		_exit(bad ? 1 : 0);
	}
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	for (int i = 0; i < N; i++)
		free(paths[i]);
	free(paths);
	free(digests);
	free(items);
	rs_test_rmrf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_changing),
		cmocka_unit_test(test_few_descriptors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
