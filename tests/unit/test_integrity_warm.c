/*
 * test_integrity_warm.c — the lookups made ahead of the integrity workers
 * when the cache is cold (integrity/warm.c) change no answer: over more
 * files than the warmers may run ahead (so they wait for the workers and
 * are woken), with missing files and directories, a symlink, a FIFO and a
 * directory in files' places and a symlinked directory that leads out of
 * the root, the results with warmers (RASOAT_WARMERS=8, which also starts
 * them when the cache is warm, as it is here) are those without
 * (RASOAT_WARMERS=0), with one worker and with two; nothing hangs on the
 * FIFO.
 */
#include "testutil.h"
#include "core/host.h"
#include "integrity/integrity.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { DIRS = 60, PER_DIR = 100, N = DIRS * PER_DIR + 6 };

static void md5_hex(const char *text, char *out)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned n = 0;
	assert_int_equal(EVP_Digest(text, strlen(text), d, &n, EVP_md5(), NULL), 1);
	for (unsigned i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void run(rs_host *h, const rs_verify_item *items, int threads, const char *warmers, rs_verify_result *r)
{
	setenv("RASOAT_WARMERS", warmers, 1);
	rs_integrity_verify_items(h, items, N, threads, NULL, r, NULL, NULL);
	unsetenv("RASOAT_WARMERS");
}

static void test_same_answers(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	char **paths = calloc(N, sizeof(*paths));
	char (*digests)[33] = calloc(N, sizeof(*digests));
	rs_verify_item *items = calloc(N, sizeof(*items));
	assert_true(paths && digests && items);
	size_t n = 0;
	for (int d = 0; d < DIRS; d++) {
		char *sub = rs_sprintf("usr/share/d%02d", d);
		rs_test_mkdir(dir, sub);
		for (int i = 0; i < PER_DIR; i++) {
			char *rel = rs_sprintf("%s/f%03d", sub, i);
			char content[48];
			snprintf(content, sizeof(content), "file %d of %d\n", i, d);
			rs_test_write(dir, rel, content);
			md5_hex(content, digests[n]);
			if ((d * PER_DIR + i) % 97 == 5) /* some recorded otherwise: changed */
				digests[n][0] = digests[n][0] == '0' ? '1' : '0';
			paths[n] = rs_sprintf("/%s", rel);
			free(rel);
			n++;
		}
		free(sub);
	}
	/* files that are not what the package left */
	static const char *const odd[] = { "/usr/share/d00/gone", "/usr/share/nodir/f", "/usr/share/d01/link",
					   "/usr/share/d02/fifo", "/usr/share/d03/adir", "/usr/share/out/etc/x" };
	char *full = rs_sprintf("%s/usr/share/d01/link", dir);
	assert_int_equal(symlink("f000", full), 0);
	free(full);
	full = rs_sprintf("%s/usr/share/d02/fifo", dir);
	assert_int_equal(mkfifo(full, 0600), 0);
	free(full);
	rs_test_mkdir(dir, "usr/share/d03/adir");
	full = rs_sprintf("%s/usr/share/out", dir);
	assert_int_equal(symlink("/", full), 0); /* resolved inside the root */
	free(full);
	for (size_t k = 0; k < sizeof(odd) / sizeof(odd[0]); k++) {
		paths[n] = rs_sprintf("%s", odd[k]);
		memset(digests[n], 'a', 32);
		n++;
	}
	assert_int_equal(n, N);
	/* interleave the directories, as package lists do now and then */
	for (size_t i = 0; i < N; i++)
		items[i] = (rs_verify_item){ .path = paths[(i * 5) % N], .package = "p", .digest = digests[(i * 5) % N] };
	rs_host h;
	assert_int_equal(rs_host_init(&h, dir, ""), 0);
	rs_verify_result *base = calloc(N, sizeof(*base)), *r = calloc(N, sizeof(*r));
	assert_true(base && r);
	run(&h, items, 1, "0", base);
	size_t changed = 0, ok = 0;
	for (size_t i = 0; i < N; i++) {
		changed += base[i].state == RS_FILE_CHANGED;
		ok += base[i].state == RS_FILE_OK;
	}
	assert_int_equal(ok + changed, DIRS * PER_DIR);
	assert_true(changed > 50);
	static const char *const modes[] = { "8", "8", "0", "3" };
	static const int threads[] = { 1, 2, 2, 2 };
	for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		run(&h, items, threads[m], modes[m], r);
		for (size_t i = 0; i < N; i++) {
			assert_int_equal(r[i].state, base[i].state);
			assert_int_equal(r[i].bytes, base[i].bytes);
		}
	}
	for (size_t i = 0; i < N; i++)
		if (strstr(items[i].path, "/gone") || strstr(items[i].path, "/nodir/") || strstr(items[i].path, "/out/"))
			assert_int_equal(base[i].state, RS_FILE_MISSING);
		else if (strstr(items[i].path, "/link") || strstr(items[i].path, "/fifo") || strstr(items[i].path, "/adir"))
			assert_int_equal(base[i].state, RS_FILE_REPLACED);
	rs_host_free(&h);
	for (size_t i = 0; i < N; i++)
		free(paths[i]);
	free(paths);
	free(digests);
	free(items);
	free(base);
	free(r);
	rs_test_rmrf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_answers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
