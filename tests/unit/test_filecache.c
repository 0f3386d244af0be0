/*
 * test_filecache.c — the hunt's clean-file cache in the scan store: a file
 * saved clean is found clean again only while unchanged and under the same
 * rule set, and the table stays bounded: rows of another rule set not
 * written for 30 days and rows of any rule set neither written nor found
 * unchanged for 90 days are pruned at save, while a row found unchanged has
 * its date refreshed (so a file that never changes is not pruned).
 */
#include "testutil.h"

#include "core/util.h"
#include "store/filecache.h"
#include "store/store.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define HASH_A "aaaa"
#define HASH_B "bbbb"

static struct stat stat_of(ino_t ino)
{
	struct stat st;
	memset(&st, 0, sizeof(st));
	st.st_dev = 2049;
	st.st_ino = ino;
	st.st_size = 100;
	st.st_mtim.tv_sec = 1700000000;
	st.st_ctim.tv_sec = 1700000001;
	return st;
}

static void sql(const char *db, const char *text)
{
	sqlite3 *h;
	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	char *err = NULL;
	int rc = sqlite3_exec(h, text, NULL, NULL, &err);
	if (rc != SQLITE_OK)
		fail_msg("%s: %s", text, err);
	sqlite3_close(h);
}

/* The age in days of PATH's row (-1 when there is none). */
static int age_days(const char *db, const char *path)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT CAST(julianday('now') - julianday(scanned) AS INTEGER) "
					    "FROM file_cache WHERE path = ?", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	int age = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_finalize(st);
	sqlite3_close(h);
	return age;
}

static void save_rows(const char *db, const char *hash, const char *const *paths, size_t n)
{
	rs_store *store;
	assert_int_equal(rs_store_open(db, &store), 0);
	rs_filecache *c = rs_filecache_load(store, hash);
	for (size_t i = 0; i < n; i++) {
		struct stat st = stat_of((ino_t)(i + 1));
		rs_filecache_add(c, paths[i], &st);
	}
	assert_int_equal(rs_filecache_save(c), (long)n);
	rs_filecache_free(c);
	rs_store_close(store);
}

static void test_found_again_only_unchanged(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	char *db = rs_sprintf("%s/rasoat.db", dir);
	const char *paths[] = { "/srv/a", "/srv/b" };
	save_rows(db, HASH_A, paths, 2);

	rs_store *store;
	assert_int_equal(rs_store_open(db, &store), 0);
	rs_filecache *c = rs_filecache_load(store, HASH_A);
	assert_int_equal(rs_filecache_size(c), 2);
	struct stat st = stat_of(1);
	assert_true(rs_filecache_clean(c, "/srv/a", &st));
	st.st_mtim.tv_nsec = 1;
	assert_false(rs_filecache_clean(c, "/srv/a", &st));
	st = stat_of(1);
	assert_false(rs_filecache_clean(c, "/srv/b", &st)); /* another inode */
	assert_false(rs_filecache_clean(c, "/srv/c", &st));
	rs_filecache_free(c);
	c = rs_filecache_load(store, HASH_B);
	assert_int_equal(rs_filecache_size(c), 0);
	assert_false(rs_filecache_clean(c, "/srv/a", &st));
	rs_filecache_free(c);
	rs_store_close(store);
	rs_test_rmrf(dir);
	free(db);
	free(dir);
}

static void test_pruned_and_refreshed(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	char *db = rs_sprintf("%s/rasoat.db", dir);
	const char *a_paths[] = { "/srv/unchanged", "/srv/not-seen", "/srv/gone" };
	save_rows(db, HASH_A, a_paths, 3);
	const char *b_paths[] = { "/opt/b-old", "/opt/b-recent" };
	save_rows(db, HASH_B, b_paths, 2);
	sql(db, "UPDATE file_cache SET scanned = datetime('now', '-40 days') "
		"WHERE path IN ('/srv/unchanged', '/srv/not-seen', '/opt/b-old');"
		"UPDATE file_cache SET scanned = datetime('now', '-100 days') WHERE path = '/srv/gone';"
		"UPDATE file_cache SET scanned = datetime('now', '-10 days') WHERE path = '/opt/b-recent';");

	/* a hunt under rule set A finds /srv/unchanged unchanged, does not see
	 * the others, and adds nothing */
	rs_store *store;
	assert_int_equal(rs_store_open(db, &store), 0);
	rs_filecache *c = rs_filecache_load(store, HASH_A);
	assert_int_equal(rs_filecache_size(c), 3);
	struct stat st = stat_of(1);
	assert_true(rs_filecache_clean(c, "/srv/unchanged", &st));
	assert_int_equal(rs_filecache_save(c), 0);
	rs_filecache_free(c);
	rs_store_close(store);

	assert_int_equal(age_days(db, "/srv/unchanged"), 0); /* confirmed: refreshed */
	assert_int_equal(age_days(db, "/srv/not-seen"), 40); /* kept until 90 days */
	assert_int_equal(age_days(db, "/srv/gone"), -1);     /* 100 days: pruned */
	assert_int_equal(age_days(db, "/opt/b-old"), -1);    /* another rule set, 40 days: pruned */
	assert_int_equal(age_days(db, "/opt/b-recent"), 10); /* another rule set, 10 days: kept */

	/* --full: nothing loaded, the new rows saved, the table still pruned */
	sql(db, "UPDATE file_cache SET scanned = datetime('now', '-95 days') WHERE path = '/srv/not-seen';");
	assert_int_equal(rs_store_open(db, &store), 0);
	c = rs_filecache_load(NULL, HASH_A);
	rs_filecache_attach(c, store);
	st = stat_of(9);
	rs_filecache_add(c, "/srv/new", &st);
	assert_int_equal(rs_filecache_save(c), 1);
	rs_filecache_free(c);
	rs_store_close(store);
	assert_int_equal(age_days(db, "/srv/new"), 0);
	assert_int_equal(age_days(db, "/srv/not-seen"), -1);
	assert_int_equal(age_days(db, "/srv/unchanged"), 0);

	/* no store: nothing saved, nothing to prune, no crash */
	c = rs_filecache_load(NULL, HASH_A);
	rs_filecache_add(c, "/x", &st);
	assert_int_equal(rs_filecache_save(c), 0);
	rs_filecache_free(c);
	rs_test_rmrf(dir);
	free(db);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_found_again_only_unchanged),
		cmocka_unit_test(test_pruned_and_refreshed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
