/*
 * test_db.c — the database interface (store/db.h) on SQLite, and on
 * PostgreSQL too when RS_TEST_PG_URL names one (tests/e2e/test_fleet_pg_unit.py
 * starts a PostgreSQL 15 and runs this test against it): opening by URL,
 * `?` and `?N` parameters, every bind and column type, NULLs, ON CONFLICT
 * DO NOTHING with rs_db_changes, commit and rollback, errors with a
 * message; and the `?` to `$N` rewriting of the PostgreSQL backend.
 */
#include "testutil.h"
#include "store/db_internal.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

typedef struct fixture {
	char *dir;
	rs_db *db;
} fixture;

static int open_url(void **state, const char *url)
{
	fixture *fx = rs_calloc(1, sizeof(*fx));
	fx->dir = rs_test_tmpdir();
	char err[512];
	char *lite = rs_sprintf("sqlite:%s/t.db", fx->dir);
	int rc = rs_db_open(url ? url : lite, &fx->db, err, sizeof(err));
	free(lite);
	if (rc < 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	rs_db_exec(fx->db, "DROP TABLE IF EXISTS t_db");
	if (rs_db_exec(fx->db, "CREATE TABLE t_db (k TEXT PRIMARY KEY, n BIGINT, b BLOB, j TEXT)") < 0 &&
	    rs_db_exec(fx->db, "CREATE TABLE t_db (k TEXT PRIMARY KEY, n BIGINT, b BYTEA, j TEXT)") < 0)
		return -1;
	*state = fx;
	return 0;
}

static int setup_sqlite(void **state)
{
	return open_url(state, NULL);
}

static int setup_pg(void **state)
{
	return open_url(state, getenv("RS_TEST_PG_URL"));
}

static int teardown(void **state)
{
	fixture *fx = *state;
	rs_db_exec(fx->db, "DROP TABLE IF EXISTS t_db");
	rs_db_close(fx->db);
	rs_test_rmrf(fx->dir);
	free(fx->dir);
	free(fx);
	return 0;
}

static void insert(rs_db *db, const char *k, long long n, const void *b, size_t bn, const char *j)
{
	rs_db_stmt *s = rs_db_prepare(db, "INSERT INTO t_db (k, n, b, j) VALUES (?, ?, ?, ?)");
	assert_non_null(s);
	assert_int_equal(rs_db_bind_text(s, 1, k), 0);
	if (n < 0)
		assert_int_equal(rs_db_bind_null(s, 2), 0);
	else
		assert_int_equal(rs_db_bind_int64(s, 2, n), 0);
	if (b)
		assert_int_equal(rs_db_bind_blob(s, 3, b, bn), 0);
	else
		assert_int_equal(rs_db_bind_null(s, 3), 0);
	assert_int_equal(rs_db_bind_text(s, 4, j), 0);
	assert_int_equal(rs_db_step(s), RS_DB_DONE);
	assert_int_equal(rs_db_changes(db), 1);
	rs_db_finalize(s);
}

static void test_types(void **state)
{
	fixture *fx = *state;
	rs_db *db = fx->db;
	const unsigned char bytes[5] = {0, 1, 0xff, '\'', 0};
	insert(db, "a", 9007199254740991LL, bytes, sizeof(bytes), "{\"x\":[1,2]}");
	insert(db, "b'; DROP TABLE t_db; --", -1, NULL, 0, NULL);

	rs_db_stmt *s = rs_db_prepare(db, "SELECT k, n, b, j FROM t_db WHERE k = ?1 OR (?2 IS NULL AND k <> ?1)"
				      " ORDER BY k");
	assert_non_null(s);
	rs_db_bind_text(s, 1, "a");
	rs_db_bind_text(s, 2, NULL);
	assert_int_equal(rs_db_step(s), RS_DB_ROW);
	assert_string_equal(rs_db_column_text(s, 0), "a");
	assert_int_equal(rs_db_column_int64(s, 1), 9007199254740991LL);
	size_t size;
	const void *b = rs_db_column_blob(s, 2, &size);
	assert_int_equal(size, sizeof(bytes));
	assert_memory_equal(b, bytes, sizeof(bytes));
	json_t *j = rs_db_column_json(s, 3);
	assert_int_equal(json_array_size(json_object_get(j, "x")), 2);
	json_decref(j);
	assert_int_equal(rs_db_step(s), RS_DB_ROW);
	assert_string_equal(rs_db_column_text(s, 0), "b'; DROP TABLE t_db; --");
	assert_true(rs_db_column_null(s, 1));
	assert_null(rs_db_column_text(s, 3));
	assert_int_equal(rs_db_column_int64(s, 1), 0);
	assert_null(rs_db_column_blob(s, 2, &size));
	j = rs_db_column_json(s, 3);
	assert_true(json_is_null(j));
	json_decref(j);
	assert_int_equal(rs_db_step(s), RS_DB_DONE);

	/* run again with other values after a reset */
	rs_db_reset(s);
	rs_db_bind_text(s, 1, "zzz");
	rs_db_bind_text(s, 2, "not null");
	assert_int_equal(rs_db_step(s), RS_DB_DONE);
	rs_db_finalize(s);
}

static long long count_rows(rs_db *db)
{
	rs_db_stmt *s = rs_db_prepare(db, "SELECT COUNT(*) FROM t_db");
	assert_non_null(s);
	assert_int_equal(rs_db_step(s), RS_DB_ROW);
	long long n = rs_db_column_int64(s, 0);
	rs_db_finalize(s);
	return n;
}

static void test_conflict_and_transactions(void **state)
{
	fixture *fx = *state;
	rs_db *db = fx->db;
	insert(db, "k", 1, NULL, 0, NULL);
	rs_db_stmt *s = rs_db_prepare(db, "INSERT INTO t_db (k, n) VALUES (?, ?) ON CONFLICT (k) DO NOTHING");
	assert_non_null(s);
	rs_db_bind_text(s, 1, "k");
	rs_db_bind_int64(s, 2, 2);
	assert_int_equal(rs_db_step(s), RS_DB_DONE);
	assert_int_equal(rs_db_changes(db), 0);
	rs_db_finalize(s);

	s = rs_db_prepare(db, "INSERT INTO t_db (k, n) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET n = excluded.n");
	rs_db_bind_text(s, 1, "k");
	rs_db_bind_int64(s, 2, 5);
	assert_int_equal(rs_db_step(s), RS_DB_DONE);
	assert_int_equal(rs_db_changes(db), 1);
	rs_db_finalize(s);

	assert_int_equal(rs_db_begin(db), 0);
	assert_true(rs_db_in_transaction(db));
	assert_int_equal(rs_db_begin(db), -1);   /* no nesting */
	insert(db, "r", 1, NULL, 0, NULL);
	rs_db_rollback(db);
	assert_false(rs_db_in_transaction(db));
	assert_int_equal(count_rows(db), 1);

	assert_int_equal(rs_db_begin(db), 0);
	insert(db, "c", 1, NULL, 0, NULL);
	assert_int_equal(rs_db_commit(db), 0);
	assert_int_equal(count_rows(db), 2);
	rs_db_rollback(db); /* outside a transaction: nothing */

	/* a duplicate key without ON CONFLICT is an error with a message */
	s = rs_db_prepare(db, "INSERT INTO t_db (k) VALUES (?)");
	rs_db_bind_text(s, 1, "c");
	assert_int_equal(rs_db_step(s), RS_DB_ERROR);
	assert_true(strlen(rs_db_errmsg(db)) > 0);
	rs_db_finalize(s);
}

/* A cached statement is handed out again after rs_db_finalize, its
 * bindings cleared, inside and across transactions (and after a rolled
 * back one); the same SQL asked for while handed out gives a separate
 * statement. Text given with its length is stored without what follows. */
static void test_cached(void **state)
{
	fixture *fx = *state;
	const char *sql = "INSERT INTO t_db (k, n, j) VALUES (?, ?, ?)";
	rs_db_stmt *first = NULL;
	for (int round = 0; round < 3; round++) {
		assert_int_equal(rs_db_begin(fx->db), 0);
		for (int i = 0; i < 3; i++) {
			char k[32];
			snprintf(k, sizeof(k), "c%d_%d", round, i);
			rs_db_stmt *s = rs_db_prepare_cached(fx->db, sql);
			assert_non_null(s);
			if (!first)
				first = s;
			assert_ptr_equal(s, first);
			rs_db_stmt *other = rs_db_prepare_cached(fx->db, sql);   /* while handed out */
			assert_non_null(other);
			assert_ptr_not_equal(other, s);
			rs_db_finalize(other);
			assert_int_equal(rs_db_bind_text(s, 1, k), 0);
			if (i == 0)
				assert_int_equal(rs_db_bind_int64(s, 2, round), 0);
			assert_int_equal(rs_db_bind_textn(s, 3, "[1]xyz", 3), 0);
			assert_int_equal(rs_db_step(s), RS_DB_DONE);
			rs_db_finalize(s);
		}
		if (round == 1)
			rs_db_rollback(fx->db);
		else
			assert_int_equal(rs_db_commit(fx->db), 0);
	}
	assert_int_equal(count_rows(fx->db), 6);
	rs_db_stmt *s = rs_db_prepare(fx->db, "SELECT COUNT(*) FROM t_db WHERE n IS NULL AND j = '[1]'");
	assert_non_null(s);
	assert_int_equal(rs_db_step(s), RS_DB_ROW);
	assert_int_equal(rs_db_column_int64(s, 0), 4);   /* bindings cleared between uses */
	rs_db_finalize(s);
}

static void test_errors(void **state)
{
	fixture *fx = *state;
	rs_db *db = fx->db;
	assert_int_equal(rs_db_exec(db, "SELECT * FROM no_such_table"), -1);
	assert_non_null(strstr(rs_db_errmsg(db), "no_such_table"));
	rs_db_stmt *s = rs_db_prepare(db, "SELECT k FROM t_db WHERE k = ?");
	assert_non_null(s);
	assert_int_equal(rs_db_bind_text(s, 7, "x"), -1); /* out of range */
	rs_db_finalize(s);
	/* the schema of the fleet is there on both backends */
	s = rs_db_prepare(db, "SELECT COUNT(*) FROM fleet_snapshots");
	assert_non_null(s);
	assert_int_equal(rs_db_step(s), RS_DB_ROW);
	rs_db_finalize(s);
	assert_int_equal(rs_db_maintain(db, 1764800000), 0);
}

static void test_open_errors(void **state)
{
	(void)state;
	rs_db *db = NULL;
	char err[512] = "";
	assert_int_equal(rs_db_open("", &db, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "--db"));
	assert_int_equal(rs_db_open("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2", &db, err,
				    sizeof(err)), -1);
	assert_null(db);
	assert_non_null(strstr(err, "cannot connect"));
}

static void test_translate(void **state)
{
	(void)state;
	int n;
	char *t = rs_db_pg_translate("SELECT ? , ?, '?' , ?3, ?1 || '?x''?' , ?", &n);
	assert_string_equal(t, "SELECT $1 , $2, '?' , $3, $1 || '?x''?' , $4");
	assert_int_equal(n, 4);
	free(t);
	t = rs_db_pg_translate("SELECT 1", &n);
	assert_string_equal(t, "SELECT 1");
	assert_int_equal(n, 0);
	free(t);
	t = rs_db_pg_translate("x = ?12 AND y = ?", &n);
	assert_string_equal(t, "x = $12 AND y = $13");
	assert_int_equal(n, 13);
	free(t);
	t = rs_db_pg_translate("'unterminated ?", &n);
	assert_string_equal(t, "'unterminated ?");
	free(t);
}

int main(void)
{
	const struct CMUnitTest lite[] = {
		cmocka_unit_test_setup_teardown(test_types, setup_sqlite, teardown),
		cmocka_unit_test_setup_teardown(test_conflict_and_transactions, setup_sqlite, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup_sqlite, teardown),
		cmocka_unit_test_setup_teardown(test_cached, setup_sqlite, teardown),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_translate),
	};
	const struct CMUnitTest pg[] = {
		cmocka_unit_test_setup_teardown(test_types, setup_pg, teardown),
		cmocka_unit_test_setup_teardown(test_conflict_and_transactions, setup_pg, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup_pg, teardown),
		cmocka_unit_test_setup_teardown(test_cached, setup_pg, teardown),
	};
	int rc = cmocka_run_group_tests_name("sqlite", lite, NULL, NULL);
	if (getenv("RS_TEST_PG_URL"))
		rc |= cmocka_run_group_tests_name("postgresql", pg, NULL, NULL);
	return rc;
}
