/*
 * test_integrity_cache.c — the integrity module's verified-digest cache in
 * the scan store: what is saved is found again after reopening, and only
 * while device, inode, size, mtime, ctime and the recorded digest all
 * match; --full loads nothing but still saves; no store, no cache; a
 * broken table is a warning, not a failure; and the verifier skips cached
 * files without reading them while re-reading changed ones; rows of files
 * gone, or no longer listed by a complete run over the same root, are
 * pruned, and rows of other roots are kept.
 */
#include "testutil.h"

#include "core/host.h"
#include "core/util.h"
#include "integrity/integrity.h"
#include "store/integrity_cache.h"
#include "store/store.h"

#include <openssl/evp.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DIGEST_A "0123456789abcdef0123456789abcdef"
#define DIGEST_B "fedcba9876543210fedcba9876543210"

static struct stat sample_stat(void)
{
	struct stat st;
	memset(&st, 0, sizeof(st));
	st.st_dev = 2049;
	st.st_ino = 4242;
	st.st_size = 1000;
	st.st_mtim.tv_sec = 1700000000;
	st.st_mtim.tv_nsec = 123;
	st.st_ctim.tv_sec = 1700000001;
	st.st_ctim.tv_nsec = 456;
	return st;
}

static void test_round_trip(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	char *db = rs_sprintf("%s/rasoat.db", dir);
	rs_store *store;
	assert_int_equal(rs_store_open(db, &store), 0);
	struct stat st = sample_stat();

	rs_integrity_cache *c = rs_integrity_cache_load(store, false);
	assert_int_equal(rs_integrity_cache_size(c), 0);
	assert_false(rs_integrity_cache_unchanged(c, "/usr/bin/ls", &st, DIGEST_A));
	rs_integrity_cache_add(c, "/usr/bin/ls", &st, DIGEST_A);
	rs_integrity_cache_add(c, "/usr/bin/cp", &st, DIGEST_B);
	assert_int_equal(rs_integrity_cache_save(c), 2);
	rs_integrity_cache_free(c);
	rs_store_close(store);

	assert_int_equal(rs_store_open(db, &store), 0);
	c = rs_integrity_cache_load(store, false);
	assert_int_equal(rs_integrity_cache_size(c), 2);
	assert_true(rs_integrity_cache_unchanged(c, "/usr/bin/ls", &st, DIGEST_A));
	assert_true(rs_integrity_cache_unchanged(c, "/usr/bin/cp", &st, DIGEST_B));
	assert_false(rs_integrity_cache_unchanged(c, "/usr/bin/mv", &st, DIGEST_A));
	/* a new package version records another digest: verify again */
	assert_false(rs_integrity_cache_unchanged(c, "/usr/bin/ls", &st, DIGEST_B));
	struct stat other = st;
	other.st_ctim.tv_nsec++;
	assert_false(rs_integrity_cache_unchanged(c, "/usr/bin/ls", &other, DIGEST_A));
	other = st;
	other.st_mtim.tv_sec--;
	assert_false(rs_integrity_cache_unchanged(c, "/usr/bin/ls", &other, DIGEST_A));
	other = st;
	other.st_size++;
	assert_false(rs_integrity_cache_unchanged(c, "/usr/bin/ls", &other, DIGEST_A));
	other = st;
	other.st_ino++;
	assert_false(rs_integrity_cache_unchanged(c, "/usr/bin/ls", &other, DIGEST_A));
	other = st;
	other.st_dev++;
	assert_false(rs_integrity_cache_unchanged(c, "/usr/bin/ls", &other, DIGEST_A));
	/* re-adding an unchanged entry writes nothing; a changed one replaces it */
	rs_integrity_cache_add(c, "/usr/bin/ls", &st, DIGEST_A);
	assert_int_equal(rs_integrity_cache_save(c), 0);
	other = st;
	other.st_ctim.tv_sec += 10;
	rs_integrity_cache_add(c, "/usr/bin/ls", &other, DIGEST_A);
	assert_int_equal(rs_integrity_cache_save(c), 1);
	rs_integrity_cache_free(c);

	/* --full: nothing loaded, but what verifies is saved */
	c = rs_integrity_cache_load(store, true);
	assert_int_equal(rs_integrity_cache_size(c), 0);
	assert_false(rs_integrity_cache_unchanged(c, "/usr/bin/cp", &st, DIGEST_B));
	rs_integrity_cache_add(c, "/usr/bin/mv", &st, DIGEST_A);
	assert_int_equal(rs_integrity_cache_save(c), 1);
	rs_integrity_cache_free(c);
	c = rs_integrity_cache_load(store, false);
	assert_int_equal(rs_integrity_cache_size(c), 3);
	assert_true(rs_integrity_cache_unchanged(c, "/usr/bin/ls", &other, DIGEST_A));
	assert_false(rs_integrity_cache_unchanged(c, "/usr/bin/ls", &st, DIGEST_A));
	rs_integrity_cache_free(c);
	rs_store_close(store);
	rs_test_rmrf(dir);
	free(db);
	free(dir);
}

static void test_no_store(void **state)
{
	(void)state;
	struct stat st = sample_stat();
	rs_integrity_cache *c = rs_integrity_cache_load(NULL, false);
	rs_integrity_cache_add(c, "/usr/bin/ls", &st, DIGEST_A);
	assert_false(rs_integrity_cache_unchanged(c, "/usr/bin/ls", &st, DIGEST_A));
	assert_int_equal(rs_integrity_cache_save(c), 0);
	rs_integrity_cache_free(c);
	assert_false(rs_integrity_cache_unchanged(NULL, "/usr/bin/ls", &st, DIGEST_A));
	rs_integrity_cache_free(NULL);
}

/* A store whose table was dropped behind rasoat's back: warnings, an empty
 * cache, a failed save, nothing crashes. */
static void test_broken_table(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	char *db = rs_sprintf("%s/rasoat.db", dir);
	rs_store *store;
	assert_int_equal(rs_store_open(db, &store), 0);
	rs_store_close(store);
	sqlite3 *raw;
	assert_int_equal(sqlite3_open(db, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_exec(raw, "DROP TABLE integrity_cache", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);
	assert_int_equal(rs_store_open(db, &store), 0);
	struct stat st = sample_stat();
	rs_test_capture_start();
	rs_integrity_cache *c = rs_integrity_cache_load(store, false);
	assert_int_equal(rs_integrity_cache_size(c), 0);
	rs_integrity_cache_add(c, "/usr/bin/ls", &st, DIGEST_A);
	assert_int_equal(rs_integrity_cache_save(c), -1);
	assert_true(rs_test_captured_contains("integrity cache"));
	rs_test_capture_stop();
	rs_integrity_cache_free(c);
	rs_store_close(store);
	rs_test_rmrf(dir);
	free(db);
	free(dir);
}

static void hex_digest(const char *text, const EVP_MD *md, char *out)
{
	unsigned char bin[EVP_MAX_MD_SIZE];
	unsigned len = 0;
	EVP_Digest(text, strlen(text), bin, &len, md, NULL);
	for (unsigned i = 0; i < len; i++)
		snprintf(out + 2 * i, 3, "%02x", bin[i]);
}

/* The verifier with a cache: the second pass reads nothing it verified; a
 * rewritten file is read again and found changed; SHA-256 digests work
 * like MD5 ones. */
static void test_verify_with_cache(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	char *db = rs_sprintf("%s/rasoat.db", dir);
	rs_test_write(dir, "usr/bin/a", "alpha\n");
	rs_test_write(dir, "usr/bin/b", "bravo\n");
	rs_test_write(dir, "usr/bin/c", "charlie\n");
	rs_host h;
	assert_int_equal(rs_host_init(&h, dir, ""), 0);
	char da[65], db2[65], dc[33];
	hex_digest("alpha\n", EVP_md5(), da);
	hex_digest("bravo\n", EVP_sha256(), db2);
	hex_digest("not charlie\n", EVP_md5(), dc);
	rs_verify_item items[] = {
		{ .path = "/usr/bin/a", .package = "p", .digest = da },
		{ .path = "/usr/bin/b", .package = "p", .digest = db2 },
		{ .path = "/usr/bin/c", .package = "p", .digest = dc },
		{ .path = "/usr/bin/gone", .package = "p", .digest = da },
	};
	rs_verify_result r[4];
	rs_store *store;
	assert_int_equal(rs_store_open(db, &store), 0);

	rs_integrity_cache *c = rs_integrity_cache_load(store, false);
	unsigned long long bytes = rs_integrity_verify_items(&h, items, 4, 2, c, r, NULL, NULL);
	assert_int_equal(bytes, strlen("alpha\nbravo\ncharlie\n"));
	assert_int_equal(r[0].state, RS_FILE_OK);
	assert_int_equal(r[1].state, RS_FILE_OK);
	assert_int_equal(r[2].state, RS_FILE_CHANGED);
	assert_int_equal(r[3].state, RS_FILE_MISSING);
	assert_false(r[0].cached || r[1].cached || r[2].cached);
	assert_int_equal(rs_integrity_cache_save(c), 2);
	rs_integrity_cache_free(c);

	c = rs_integrity_cache_load(store, false);
	bytes = rs_integrity_verify_items(&h, items, 4, 2, c, r, NULL, NULL);
	assert_int_equal(bytes, strlen("charlie\n"));
	assert_true(r[0].cached && r[1].cached);
	assert_int_equal(r[0].state, RS_FILE_OK);
	assert_int_equal(r[2].state, RS_FILE_CHANGED);
	assert_false(r[2].cached);
	rs_integrity_cache_free(c);

	/* rewrite a with the same size: its ctime moves, so it is read again */
	usleep(20 * 1000);
	rs_test_write(dir, "usr/bin/a", "ALPHA\n");
	c = rs_integrity_cache_load(store, false);
	bytes = rs_integrity_verify_items(&h, items, 4, 1, c, r, NULL, NULL);
	assert_int_equal(bytes, strlen("ALPHA\ncharlie\n"));
	assert_int_equal(r[0].state, RS_FILE_CHANGED);
	assert_false(r[0].cached);
	assert_true(r[1].cached);
	rs_integrity_cache_free(c);

	rs_store_close(store);
	rs_host_free(&h);
	rs_test_rmrf(dir);
	free(db);
	free(dir);
}

/* Pruning: a --root run deletes the rows of its root that it did not find
 * (the file is gone, or no package lists it any more) and keeps other
 * roots' rows; on the live host a row is deleted when its file is gone. */
static void test_prune(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	char *root = rs_sprintf("%s/root", dir);
	char *db = rs_sprintf("%s/rasoat.db", dir);
	rs_test_write(root, "usr/bin/a", "alpha\n");
	rs_test_write(root, "usr/bin/b", "bravo\n");
	rs_host h;
	assert_int_equal(rs_host_init(&h, root, ""), 0);
	char da[33], dbv[33];
	hex_digest("alpha\n", EVP_md5(), da);
	hex_digest("bravo\n", EVP_md5(), dbv);
	rs_verify_item items[] = {
		{ .path = "/usr/bin/a", .package = "p", .digest = da },
		{ .path = "/usr/bin/b", .package = "p", .digest = dbv },
	};
	rs_verify_result r[2];
	rs_store *store;
	assert_int_equal(rs_store_open(db, &store), 0);
	struct stat st = sample_stat();
	rs_integrity_cache *c = rs_integrity_cache_load(store, false);
	rs_integrity_verify_items(&h, items, 2, 2, c, r, NULL, NULL);
	rs_integrity_cache_add(c, "/elsewhere/usr/bin/x", &st, DIGEST_A); /* another root's row */
	char *sibling = rs_sprintf("%sx/usr/bin/a", root);                 /* a root whose name extends ours */
	rs_integrity_cache_add(c, sibling, &st, DIGEST_A);
	assert_int_equal(rs_integrity_cache_prune(c, &h), 0); /* nothing loaded yet */
	assert_int_equal(rs_integrity_cache_save(c), 4);
	rs_integrity_cache_free(c);

	/* b is deleted, and a is no longer a package file: both rows go */
	char *b = rs_sprintf("%s/usr/bin/b", root);
	assert_int_equal(unlink(b), 0);
	c = rs_integrity_cache_load(store, false);
	assert_int_equal(rs_integrity_cache_size(c), 4);
	rs_integrity_verify_items(&h, &items[1], 1, 2, c, r, NULL, NULL);
	assert_int_equal(r[0].state, RS_FILE_MISSING);
	assert_int_equal(rs_integrity_cache_prune(c, &h), 2);
	rs_integrity_cache_free(c);
	c = rs_integrity_cache_load(store, false);
	assert_int_equal(rs_integrity_cache_size(c), 2);
	assert_true(rs_integrity_cache_unchanged(c, "/elsewhere/usr/bin/x", &st, DIGEST_A));
	assert_true(rs_integrity_cache_unchanged(c, sibling, &st, DIGEST_A));
	/* a run that finds a file keeps its row */
	rs_integrity_cache_free(c);

	/* the live host: a row whose file exists stays, one whose file is gone goes */
	rs_host live;
	assert_int_equal(rs_host_init(&live, "/", "/proc"), 0);
	char *a = rs_sprintf("%s/usr/bin/a", root);
	c = rs_integrity_cache_load(store, false);
	rs_integrity_cache_add(c, a, &st, DIGEST_A);
	rs_integrity_cache_add(c, b, &st, DIGEST_A);
	assert_int_equal(rs_integrity_cache_save(c), 2);
	rs_integrity_cache_free(c);
	c = rs_integrity_cache_load(store, false);
	assert_int_equal(rs_integrity_cache_size(c), 4);
	rs_integrity_cache_seen(c, sibling);
	/* gone: b, /elsewhere/usr/bin/x; seen: sibling; present: a */
	assert_int_equal(rs_integrity_cache_prune(c, &live), 2);
	rs_integrity_cache_free(c);
	c = rs_integrity_cache_load(store, false);
	assert_int_equal(rs_integrity_cache_size(c), 2);
	assert_true(rs_integrity_cache_unchanged(c, a, &st, DIGEST_A));
	assert_true(rs_integrity_cache_unchanged(c, sibling, &st, DIGEST_A));
	rs_integrity_cache_free(c);

	rs_store_close(store);
	rs_host_free(&live);
	rs_host_free(&h);
	rs_test_rmrf(dir);
	free(a);
	free(b);
	free(sibling);
	free(root);
	free(db);
	free(dir);
}

/* With a loaded cache files are looked at through their directory, opened
 * once inside the root: a symlinked directory inside the root is followed
 * there, one pointing out of it is not, a missing directory makes its files
 * missing, and a file replaced by a symlink is not taken from the cache. */
static void test_cached_lookups(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	char *root = rs_sprintf("%s/root", dir);
	char *db = rs_sprintf("%s/rasoat.db", dir);
	rs_test_write(root, "usr/bin/a", "alpha\n");
	rs_test_write(root, "real/lib/c", "charlie\n");
	char *link = rs_sprintf("%s/usr/lib", root);
	assert_int_equal(symlink("/real/lib", link), 0);
	char *out = rs_sprintf("%s/usr/etc", root);
	assert_int_equal(symlink("../../../../../../etc", out), 0);
	rs_host h;
	assert_int_equal(rs_host_init(&h, root, ""), 0);
	char da[33], dc[33], dp[33];
	hex_digest("alpha\n", EVP_md5(), da);
	hex_digest("charlie\n", EVP_md5(), dc);
	hex_digest("anything\n", EVP_md5(), dp);
	rs_verify_item items[] = {
		{ .path = "/usr/bin/a", .package = "p", .digest = da },
		{ .path = "/usr/lib/c", .package = "p", .digest = dc },
		{ .path = "/usr/gone/x", .package = "p", .digest = da },
		{ .path = "/usr/bin/missing", .package = "p", .digest = da },
		{ .path = "/usr/etc/passwd", .package = "p", .digest = dp },
	};
	rs_verify_result r[5];
	rs_store *store;
	assert_int_equal(rs_store_open(db, &store), 0);
	rs_integrity_cache *c = rs_integrity_cache_load(store, false);
	rs_integrity_verify_items(&h, items, 5, 2, c, r, NULL, NULL);
	assert_int_equal(rs_integrity_cache_save(c), 2);
	rs_integrity_cache_free(c);

	for (int threads = 1; threads <= 3; threads++) {
		c = rs_integrity_cache_load(store, false);
		assert_int_equal(rs_integrity_verify_items(&h, items, 5, threads, c, r, NULL, NULL), 0);
		assert_true(r[0].cached && r[0].state == RS_FILE_OK);
		assert_true(r[1].cached && r[1].state == RS_FILE_OK);
		assert_int_equal(r[2].state, RS_FILE_MISSING);
		assert_int_equal(r[3].state, RS_FILE_MISSING);
		assert_int_equal(r[4].state, RS_FILE_MISSING); /* /etc/passwd of the root, not of this machine */
		rs_integrity_cache_free(c);
	}

	/* a replaced by a symlink to c: same target digest or not, it is replaced */
	char *a = rs_sprintf("%s/usr/bin/a", root);
	assert_int_equal(unlink(a), 0);
	assert_int_equal(symlink("/real/lib/c", a), 0);
	c = rs_integrity_cache_load(store, false);
	rs_integrity_verify_items(&h, items, 2, 2, c, r, NULL, NULL);
	assert_int_equal(r[0].state, RS_FILE_REPLACED);
	assert_false(r[0].cached);
	assert_true(r[1].cached);
	rs_integrity_cache_free(c);

	rs_store_close(store);
	rs_host_free(&h);
	rs_test_rmrf(dir);
	free(a);
	free(link);
	free(out);
	free(root);
	free(db);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_no_store),
		cmocka_unit_test(test_broken_table),
		cmocka_unit_test(test_verify_with_cache),
		cmocka_unit_test(test_prune),
		cmocka_unit_test(test_cached_lookups),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
