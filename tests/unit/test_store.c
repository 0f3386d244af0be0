/*
 * test_store.c — the scan store: recording scans through its sink, listing
 * and resolving them, loading and replaying findings, what a scan that never
 * ends leaves behind, schema migrations, and the files it refuses to touch.
 */
#include "testutil.h"

#include "core/finding.h"
#include "core/sink.h"
#include "core/summary.h"
#include "core/util.h"
#include "store/store.h"
#include "store/store_internal.h"

#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define ID_A "abcd000000000000000000000000000a"
#define ID_B "abcd000000000000000000000000000b"
#define ID_C "12345678900000000000000000000000"
#define ID_D "12345678900000000000000000000d0d"

typedef struct fixture {
	char *dir;
	char *db;
	rs_store *store;
} fixture;

static int setup(void **state)
{
	fixture *fx = rs_calloc(1, sizeof(*fx));
	fx->dir = rs_test_tmpdir();
	fx->db = rs_sprintf("%s/rasoat.db", fx->dir);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	fixture *fx = *state;
	rs_store_close(fx->store);
	rs_test_capture_stop();
	rs_test_rmrf(fx->dir);
	free(fx->dir);
	free(fx->db);
	free(fx);
	return 0;
}

static rs_finding *make_finding(const char *rule, rs_severity sev, const char *path)
{
	rs_finding *f = rs_finding_new("audit", rule, sev, -1, "A test finding");
	rs_finding_set_str(f, "path", path);
	rs_finding_set_int(f, "mode", 0777);
	rs_finding_add_attack(f, "T1222");
	rs_finding_set_remediation(f, "chmod o-w the file");
	rs_finding_add_reference(f, "https://example.org/ref");
	return f;
}

/* N findings of rotating severities under PREFIX. */
static rs_finding **make_findings(size_t n, const char *prefix)
{
	rs_finding **list = rs_calloc(n ? n : 1, sizeof(*list));
	for (size_t i = 0; i < n; i++) {
		char path[64];
		snprintf(path, sizeof(path), "%s/file%zu", prefix, i);
		list[i] = make_finding(i % 2 ? "builtin:world-writable" : "builtin:uid0",
				       (rs_severity)(i % RS_SEV_COUNT), path);
	}
	return list;
}

static void free_findings(rs_finding **list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		rs_finding_free(list[i]);
	free(list);
}

static void fill_head(rs_summary *s, const char *id, const char *started)
{
	rs_summary_init(s);
	snprintf(s->scan, sizeof(s->scan), "%s", id);
	s->host = rs_strdup("web01");
	s->root = rs_strdup("/srv/image");
	snprintf(s->started, sizeof(s->started), "%s", started);
}

/* Records a whole scan of FINDINGS through the store sink; END false
 * destroys the sink without ending it, as a scan that stops. */
static void record_scan(rs_store *store, const char *id, const char *started,
			rs_finding **findings, size_t n, bool end)
{
	rs_summary s;
	fill_head(&s, id, started);
	rs_sink *sink = rs_store_sink_new(store);
	assert_int_equal(sink->begin(sink, &s), 0);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(sink->finding(sink, findings[i]), 0);
		s.counts[findings[i]->severity]++;
	}
	s.duration_ms = 1234;
	s.score = rs_score_from_counts(s.counts);
	s.exit_code = 1;
	s.complete = true;
	json_object_set_new(s.modules, "audit", json_pack("{s:i}", "files", 42));
	if (end)
		assert_int_equal(sink->end(sink, &s), 0);
	sink->destroy(sink);
	rs_summary_free(&s);
}

/* Two complete scans: A (2 findings) started before B (3 findings). */
static void record_two_scans(fixture *fx)
{
	assert_int_equal(rs_store_open(fx->db, &fx->store), 0);
	rs_finding **a = make_findings(2, "/a");
	rs_finding **b = make_findings(3, "/b");
	record_scan(fx->store, ID_A, "2026-01-01T00:00:01Z", a, 2, true);
	record_scan(fx->store, ID_B, "2026-01-01T00:00:02Z", b, 3, true);
	free_findings(a, 2);
	free_findings(b, 3);
}

static long long count_rows(const char *db, const char *sql)
{
	sqlite3 *conn;
	sqlite3_stmt *stmt;
	assert_int_equal(sqlite3_open_v2(db, &conn, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(conn, sql, -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	long long n = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(conn);
	return n;
}

/* The store's own connection checks foreign keys (the sink turns them off
 * only for its findings' transaction). */
static void assert_keys_checked(rs_store *store)
{
	sqlite3_stmt *stmt;
	assert_int_equal(sqlite3_prepare_v2(store->db, "PRAGMA foreign_keys", -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(stmt, 0), 1);
	sqlite3_finalize(stmt);
}

static void exec_sql(const char *db, const char *sql)
{
	sqlite3 *conn;
	assert_int_equal(sqlite3_open(db, &conn), SQLITE_OK);
	assert_int_equal(sqlite3_exec(conn, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(conn);
}

static void test_list_newest_first(void **state)
{
	fixture *fx = *state;
	record_two_scans(fx);
	json_t *list = rs_store_list(fx->store);
	assert_non_null(list);
	assert_int_equal(json_array_size(list), 2);
	json_t *newest = json_array_get(list, 0);
	json_t *oldest = json_array_get(list, 1);
	assert_string_equal(json_string_value(json_object_get(newest, "type")), "scan");
	assert_string_equal(json_string_value(json_object_get(newest, "scan")), ID_B);
	assert_string_equal(json_string_value(json_object_get(oldest, "scan")), ID_A);
	assert_true(json_is_true(json_object_get(newest, "complete")));
	assert_string_equal(json_string_value(json_object_get(newest, "host")), "web01");
	assert_string_equal(json_string_value(json_object_get(newest, "root")), "/srv/image");
	assert_int_equal(json_integer_value(json_object_get(newest, "duration_ms")), 1234);
	json_t *counts = json_object_get(newest, "counts");
	assert_int_equal(json_integer_value(json_object_get(counts, "info")), 1);
	assert_int_equal(json_integer_value(json_object_get(counts, "low")), 1);
	assert_int_equal(json_integer_value(json_object_get(counts, "medium")), 1);
	assert_int_equal(json_integer_value(json_object_get(counts, "high")), 0);
	unsigned long c[RS_SEV_COUNT] = { 1, 1, 1, 0, 0 };
	assert_int_equal(json_integer_value(json_object_get(newest, "score")), rs_score_from_counts(c));
	json_decref(list);
}

static void test_list_same_second_by_insertion(void **state)
{
	fixture *fx = *state;
	assert_int_equal(rs_store_open(fx->db, &fx->store), 0);
	record_scan(fx->store, ID_A, "2026-01-01T00:00:01Z", NULL, 0, true);
	record_scan(fx->store, ID_C, "2026-01-01T00:00:01Z", NULL, 0, true);
	json_t *list = rs_store_list(fx->store);
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "scan")), ID_C);
	json_decref(list);
}

static void test_resolve_names(void **state)
{
	fixture *fx = *state;
	record_two_scans(fx);
	char id[33];
	assert_int_equal(rs_store_resolve(fx->store, ID_A, id), 0);
	assert_string_equal(id, ID_A);
	assert_int_equal(rs_store_resolve(fx->store, "ABCD000000000000000000000000000B", id), 0);
	assert_string_equal(id, ID_B);
	assert_int_equal(rs_store_resolve(fx->store, "last", id), 0);
	assert_string_equal(id, ID_B);
	assert_int_equal(rs_store_resolve(fx->store, "last~0", id), 0);
	assert_string_equal(id, ID_B);
	assert_int_equal(rs_store_resolve(fx->store, "last~1", id), 0);
	assert_string_equal(id, ID_A);
}

static void test_resolve_errors(void **state)
{
	fixture *fx = *state;
	record_two_scans(fx);
	char id[33];
	rs_test_capture_start();
	assert_int_equal(rs_store_resolve(fx->store, "abcd", id), -1);
	assert_true(rs_test_captured_contains("ambiguous"));
	assert_true(rs_test_captured_contains("abcd00000000"));
	assert_int_equal(rs_store_resolve(fx->store, "beef", id), -1);
	assert_true(rs_test_captured_contains("no scan beef in"));
	assert_true(rs_test_captured_contains("rasoat history --db"));
	assert_int_equal(rs_store_resolve(fx->store, "last~2", id), -1);
	assert_true(rs_test_captured_contains("no scan last~2"));
	assert_int_equal(rs_store_resolve(fx->store, "abc", id), -1);
	assert_int_equal(rs_store_resolve(fx->store, "zzzz", id), -1);
	assert_int_equal(rs_store_resolve(fx->store, "last~x", id), -1);
	assert_int_equal(rs_store_resolve(fx->store, "", id), -1);
	assert_int_equal(rs_test_captured_count(), 7);
}

static void test_findings_round_trip(void **state)
{
	fixture *fx = *state;
	assert_int_equal(rs_store_open(fx->db, &fx->store), 0);
	rs_finding **orig = make_findings(7, "/usr/bin");
	rs_finding_set_json(orig[3], "cmdline", json_pack("[s,s]", "/bin/sh", "-c"));
	rs_finding_set_str(orig[4], "title-\xc3\xa9", "caf\xc3\xa9");
	record_scan(fx->store, ID_C, "2026-01-01T00:00:01Z", orig, 7, true);
	rs_finding **loaded;
	size_t n;
	assert_int_equal(rs_store_load_findings(fx->store, ID_C, &loaded, &n), 0);
	assert_int_equal(n, 7);
	for (size_t i = 0; i < n; i++) {
		json_t *a = rs_finding_to_json(orig[i], ID_C);
		json_t *b = rs_finding_to_json(loaded[i], ID_C);
		assert_true(json_equal(a, b));
		json_decref(a);
		json_decref(b);
	}
	free_findings(loaded, n);
	free_findings(orig, 7);
}

/* A sink that keeps what it is given. */
typedef struct capture_state {
	int begins, ends;
	char scan[33];
	json_t *findings;
	json_t *summary;
} capture_state;

static int capture_begin(rs_sink *sink, const rs_summary *head)
{
	capture_state *c = sink->state;
	c->begins++;
	snprintf(c->scan, sizeof(c->scan), "%s", head->scan);
	return 0;
}

static int capture_finding(rs_sink *sink, const rs_finding *f)
{
	capture_state *c = sink->state;
	json_array_append_new(c->findings, rs_finding_to_json(f, c->scan));
	return 0;
}

static int capture_end(rs_sink *sink, const rs_summary *summary)
{
	capture_state *c = sink->state;
	c->ends++;
	c->summary = rs_summary_to_json(summary);
	return 0;
}

static void capture_destroy(rs_sink *sink)
{
	(void)sink;
}

static void test_replay_into_sink(void **state)
{
	fixture *fx = *state;
	record_two_scans(fx);
	capture_state c = { 0 };
	c.findings = json_array();
	rs_sink sink = { capture_begin, capture_finding, NULL, capture_end, capture_destroy, &c };
	rs_sinks sinks;
	rs_sinks_init(&sinks);
	rs_sinks_add(&sinks, &sink);
	assert_int_equal(rs_store_replay(fx->store, ID_B, &sinks), 0);
	assert_int_equal(c.begins, 1);
	assert_int_equal(c.ends, 1);
	assert_string_equal(c.scan, ID_B);
	assert_int_equal(json_array_size(c.findings), 3);
	json_t *evidence = json_object_get(json_array_get(c.findings, 2), "evidence");
	assert_string_equal(json_string_value(json_object_get(evidence, "path")), "/b/file2");
	assert_string_equal(json_string_value(json_object_get(c.summary, "scan")), ID_B);
	assert_null(json_object_get(c.summary, "complete")); /* complete scans omit it */
	assert_int_equal(json_integer_value(json_object_get(c.summary, "exit")), 1);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
				 json_object_get(c.summary, "modules"), "audit"), "files")), 42);
	rs_sinks_free(&sinks);
	json_decref(c.findings);
	json_decref(c.summary);
}

static void assert_incomplete_without_findings(rs_store *store, const char *id)
{
	json_t *list = rs_store_list(store);
	json_t *scan = json_array_get(list, 0);
	assert_string_equal(json_string_value(json_object_get(scan, "scan")), id);
	assert_true(json_is_false(json_object_get(scan, "complete")));
	assert_true(json_is_null(json_object_get(scan, "score")));
	json_decref(list);
	rs_finding **loaded;
	size_t n;
	assert_int_equal(rs_store_load_findings(store, id, &loaded, &n), 0);
	assert_int_equal(n, 0);
	free(loaded);
	rs_summary s;
	assert_int_equal(rs_store_load_summary(store, id, &s), 0);
	assert_false(s.complete);
	rs_summary_free(&s);
}

static void test_unfinished_scan_is_incomplete(void **state)
{
	fixture *fx = *state;
	record_two_scans(fx);
	rs_finding **f = make_findings(5, "/c");
	record_scan(fx->store, ID_C, "2026-01-01T00:00:03Z", f, 5, false);
	free_findings(f, 5);
	assert_incomplete_without_findings(fx->store, ID_C);
	char id[33];
	assert_int_equal(rs_store_resolve(fx->store, "last", id), 0);
	assert_string_equal(id, ID_B); /* "last" skips incomplete scans */
	assert_int_equal(rs_store_resolve(fx->store, "1234", id), 0);
	assert_string_equal(id, ID_C);
	rs_store_close(fx->store);
	assert_int_equal(rs_store_open(fx->db, &fx->store), 0);
	assert_incomplete_without_findings(fx->store, ID_C);
}

/* A process that dies in the middle of a scan, without any clean-up. */
static void test_killed_scan_is_incomplete(void **state)
{
	fixture *fx = *state;
	record_two_scans(fx);
	rs_store_close(fx->store);
	fx->store = NULL;
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		rs_store *store;
		if (rs_store_open(fx->db, &store) < 0)
			_exit(3);
		rs_summary s;
		fill_head(&s, ID_C, "2026-01-01T00:00:03Z");
		rs_sink *sink = rs_store_sink_new(store);
		sink->begin(sink, &s);
		rs_finding *f = make_finding("builtin:world-writable", RS_SEV_HIGH, "/x");
		for (int i = 0; i < 5000; i++)
			sink->finding(sink, f);
		_exit(0);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(rs_store_open(fx->db, &fx->store), 0);
	assert_incomplete_without_findings(fx->store, ID_C);
	assert_int_equal(count_rows(fx->db, "SELECT count(*) FROM findings"), 5);
}

/* The sink writes held findings several rows an INSERT (64), and spilled
 * ones (past the 4,096 it holds) a group at a time into the open
 * transaction: every finding comes back in its place, with its identity,
 * whatever group it was written in (held, spilled, the last ones one by
 * one). A write that fails inside a group is reported once and the scan is
 * left incomplete, without findings. Either way the store's connection
 * checks foreign keys again afterwards. */
static void test_findings_in_groups(void **state)
{
	fixture *fx = *state;
	assert_int_equal(rs_store_open(fx->db, &fx->store), 0);
	enum { N = 4096 + 64 * 3 + 5 };
	rs_finding **orig = make_findings(N, "/g");
	record_scan(fx->store, ID_C, "2026-01-01T00:00:01Z", orig, N, true);
	rs_finding **loaded;
	size_t n;
	assert_int_equal(rs_store_load_findings(fx->store, ID_C, &loaded, &n), 0);
	assert_int_equal(n, N);
	for (size_t i = 0; i < n; i++) {
		char *want = rs_finding_identity(orig[i]), *got = rs_finding_identity(loaded[i]);
		assert_string_equal(got, want);
		free(want);
		free(got);
		json_t *a = rs_finding_to_json(orig[i], ID_C);
		json_t *b = rs_finding_to_json(loaded[i], ID_C);
		assert_true(json_equal(a, b));
		json_decref(a);
		json_decref(b);
	}
	assert_int_equal(count_rows(fx->db, "SELECT count(DISTINCT seq) FROM findings WHERE scan = '" ID_C "'"), N);
	assert_int_equal(count_rows(fx->db, "SELECT max(seq) FROM findings WHERE scan = '" ID_C "'"), N - 1);
	free_findings(loaded, n);
	assert_keys_checked(fx->store);
	exec_sql(fx->db, "CREATE TRIGGER full BEFORE INSERT ON findings WHEN NEW.seq = 70 "
			 "BEGIN SELECT RAISE(ABORT, 'disk full (test)'); END");
	rs_test_capture_start();
	record_scan(fx->store, ID_D, "2026-01-01T00:00:02Z", orig, 150, true);
	assert_int_equal(rs_test_captured_count(), 1);
	assert_true(rs_test_captured_contains("disk full (test)"));
	assert_incomplete_without_findings(fx->store, ID_D);
	assert_keys_checked(fx->store);
	free_findings(orig, N);
}

static void test_write_failure_reported_once(void **state)
{
	fixture *fx = *state;
	record_two_scans(fx);
	exec_sql(fx->db, "CREATE TRIGGER full BEFORE INSERT ON findings WHEN NEW.seq = 2 "
			 "BEGIN SELECT RAISE(ABORT, 'disk full (test)'); END");
	rs_finding **f = make_findings(6, "/c");
	rs_test_capture_start();
	record_scan(fx->store, ID_C, "2026-01-01T00:00:03Z", f, 6, true);
	assert_int_equal(rs_test_captured_count(), 1);
	assert_true(rs_test_captured_contains("disk full (test)"));
	assert_true(rs_test_captured_contains(ID_C));
	assert_incomplete_without_findings(fx->store, ID_C);
	/* the same scan id again: the scan row cannot be written */
	record_scan(fx->store, ID_A, "2026-01-01T00:00:04Z", f, 1, true);
	assert_int_equal(rs_test_captured_count(), 2);
	assert_int_equal(count_rows(fx->db, "SELECT count(*) FROM findings WHERE scan = '" ID_A "'"), 2);
	free_findings(f, 6);
}

/* Two scans at once against one store (two connections, as two processes
 * have): scan C is under way with findings when scan D starts, records its
 * findings and ends; then C ends. Both end stored, whole. A scan past the
 * in-memory cap (4,096 findings) spills into its transaction and still
 * ends whole. */
static void test_two_scans_at_once(void **state)
{
	fixture *fx = *state;
	record_two_scans(fx);
	rs_store *other;
	assert_int_equal(rs_store_open(fx->db, &other), 0);
	rs_summary c, d;
	fill_head(&c, ID_C, "2026-01-01T00:00:03Z");
	fill_head(&d, ID_D, "2026-01-01T00:00:04Z");
	rs_sink *sc = rs_store_sink_new(fx->store);
	rs_sink *sd = rs_store_sink_new(other);
	rs_finding **f = make_findings(5000, "/c");
	rs_test_capture_start();
	assert_int_equal(sc->begin(sc, &c), 0);
	for (size_t i = 0; i < 10; i++)
		assert_int_equal(sc->finding(sc, f[i]), 0);
	assert_int_equal(sd->begin(sd, &d), 0);
	for (size_t i = 0; i < 5000; i++)
		assert_int_equal(sd->finding(sd, f[i]), 0);
	d.complete = true;
	assert_int_equal(sd->end(sd, &d), 0);
	for (size_t i = 10; i < 20; i++)
		assert_int_equal(sc->finding(sc, f[i]), 0);
	c.complete = true;
	assert_int_equal(sc->end(sc, &c), 0);
	assert_int_equal(rs_test_captured_count(), 0); /* no "cannot record scan" */
	rs_test_capture_stop();
	sc->destroy(sc);
	sd->destroy(sd);
	rs_summary_free(&c);
	rs_summary_free(&d);
	free_findings(f, 5000);
	rs_store_close(other);
	assert_int_equal(count_rows(fx->db, "SELECT count(*) FROM findings WHERE scan = '" ID_C "'"), 20);
	assert_int_equal(count_rows(fx->db, "SELECT count(*) FROM findings WHERE scan = '" ID_D "'"), 5000);
	assert_int_equal(count_rows(fx->db, "SELECT count(*) FROM scans WHERE complete = 1"), 4);
	assert_int_equal(count_rows(fx->db, "SELECT count(DISTINCT seq) FROM findings WHERE scan = '" ID_D "'"), 5000);
}

static long long file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (long long)st.st_size : -1;
}

/* A command does not copy its write-ahead log into the database file at
 * its end: the commit alone makes the scan durable (the log is synced).
 * A process killed right after committing a scan, its log never
 * checkpointed, leaves the scan complete for the next reader; another
 * process reading the store meanwhile sees it too. */
static void test_committed_scan_survives_kill(void **state)
{
	fixture *fx = *state;
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		rs_store *store;
		if (rs_store_open(fx->db, &store) < 0)
			_exit(3);
		rs_finding **f = make_findings(300, "/k");
		record_scan(store, ID_C, "2026-01-01T00:00:03Z", f, 300, true);
		raise(SIGKILL);
		_exit(4);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	char *wal = rs_sprintf("%s-wal", fx->db);
	assert_true(file_size(wal) > 32); /* the scan is in the log, not the file */
	/* a reader of its own (what `sqlite3` or another rasoat opens) */
	assert_int_equal(count_rows(fx->db, "SELECT count(*) FROM findings WHERE scan = '" ID_C "'"), 300);
	assert_int_equal(count_rows(fx->db, "SELECT complete FROM scans WHERE id = '" ID_C "'"), 1);
	assert_int_equal(rs_store_open(fx->db, &fx->store), 0);
	rs_finding **loaded;
	size_t n;
	assert_int_equal(rs_store_load_findings(fx->store, ID_C, &loaded, &n), 0);
	assert_int_equal(n, 300);
	free_findings(loaded, n);
	free(wal);
}

/* The log a command leaves is checkpointed by the next one that opens the
 * store (on a thread, while it works): after it, the database file alone
 * (a copy of the .db without its -wal) holds the scan, and the log is
 * gone. A command that records a scan leaves its own log. */
static void test_next_open_checkpoints(void **state)
{
	fixture *fx = *state;
	record_two_scans(fx);
	rs_store_close(fx->store);
	fx->store = NULL;
	/* Whether that close left a log depends on how far the store's own
	 * checkpoint thread got (it may have copied everything: then the close
	 * removes the log). The premise is made certain here: a write of another
	 * connection that does not checkpoint at its close. */
	sqlite3 *other;
	assert_int_equal(sqlite3_open(fx->db, &other), SQLITE_OK);
	assert_int_equal(sqlite3_db_config(other, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "UPDATE scans SET complete = complete", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_close(other), SQLITE_OK);
	char *wal = rs_sprintf("%s-wal", fx->db);
	char *copy = rs_sprintf("%s/copy.db", fx->dir);
	assert_true(file_size(wal) > 32);
	assert_int_equal(rs_store_open(fx->db, &fx->store), 0);
	json_t *list = rs_store_list(fx->store); /* a reading command */
	assert_int_equal(json_array_size(list), 2);
	json_decref(list);
	rs_store_close(fx->store);
	fx->store = NULL;
	assert_int_equal(file_size(wal), -1);
	char *cmd = rs_sprintf("cp '%s' '%s'", fx->db, copy);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(count_rows(copy, "SELECT count(*) FROM scans WHERE complete = 1"), 2);
	assert_int_equal(count_rows(copy, "SELECT count(*) FROM findings"), 5);
	free(cmd);
	free(copy);
	free(wal);
}

static void test_new_database_layout(void **state)
{
	fixture *fx = *state;
	char *db = rs_sprintf("%s/missing/deeper/rasoat.db", fx->dir);
	assert_int_equal(rs_store_open(db, &fx->store), 0);
	struct stat st;
	char *parent = rs_sprintf("%s/missing/deeper", fx->dir);
	assert_int_equal(stat(parent, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(stat(db, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(count_rows(db, "PRAGMA user_version"), rs_store_schema_version());
	sqlite3 *conn;
	assert_int_equal(sqlite3_open(db, &conn), SQLITE_OK);
	sqlite3_stmt *stmt;
	assert_int_equal(sqlite3_prepare_v2(conn, "PRAGMA journal_mode", -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(stmt, 0), "wal");
	sqlite3_finalize(stmt);
	sqlite3_close(conn);
	free(parent);
	free(db);
}

static void test_migrates_empty_file(void **state)
{
	fixture *fx = *state;
	rs_test_write(fx->dir, "rasoat.db", "");
	assert_int_equal(rs_store_open(fx->db, &fx->store), 0);
	assert_int_equal(count_rows(fx->db, "PRAGMA user_version"), rs_store_schema_version());
	assert_int_equal(count_rows(fx->db, "SELECT count(*) FROM sqlite_master WHERE name IN "
				    "('scans', 'findings', 'scans_started')"), 3);
	/* made by v1, dropped by the "ingest2" migration (uploads paid for it) */
	assert_int_equal(count_rows(fx->db, "SELECT count(*) FROM sqlite_master WHERE name = 'findings_rule'"), 0);
	rs_store_close(fx->store);
	/* opening again finds nothing to migrate */
	assert_int_equal(rs_store_open(fx->db, &fx->store), 0);
	json_t *list = rs_store_list(fx->store);
	assert_int_equal(json_array_size(list), 0);
	json_decref(list);
}

static void test_refuses_newer_schema(void **state)
{
	fixture *fx = *state;
	exec_sql(fx->db, "CREATE TABLE future(x); PRAGMA user_version = 99");
	rs_test_capture_start();
	assert_int_equal(rs_store_open(fx->db, &fx->store), -1);
	assert_null(fx->store);
	assert_true(rs_test_captured_contains("was written by a newer rasoat (schema 99"));
	assert_true(rs_test_captured_contains("upgrade rasoat or use another --db"));
	assert_true(rs_test_captured_contains(fx->db));
	assert_int_equal(count_rows(fx->db, "PRAGMA user_version"), 99);
}

static void assert_file_is(const char *path, const char *content)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char buf[256];
	size_t n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	assert_int_equal(n, strlen(content));
	assert_memory_equal(buf, content, n);
}

static void test_refuses_foreign_file(void **state)
{
	fixture *fx = *state;
	static const char text[] = "# my notes, not a database\nkeep me\n";
	rs_test_write(fx->dir, "rasoat.db", text);
	rs_test_capture_start();
	assert_int_equal(rs_store_open(fx->db, &fx->store), -1);
	assert_true(rs_test_captured_contains(fx->db));
	assert_true(rs_test_captured_contains("not an SQLite database"));
	assert_true(rs_test_captured_contains("left untouched"));
	assert_file_is(fx->db, text);
	char *wal = rs_sprintf("%s-wal", fx->db);
	assert_int_equal(access(wal, F_OK), -1);
	free(wal);
	/* a database-sized file of the wrong kind, and a directory */
	static const char binary[] = "SQLite format 2\0garbage garbage garbage";
	FILE *f = fopen(fx->db, "wb");
	fwrite(binary, 1, sizeof(binary), f);
	fclose(f);
	assert_int_equal(rs_store_open(fx->db, &fx->store), -1);
	char *sub = rs_sprintf("%s/sub", fx->dir);
	mkdir(sub, 0700);
	assert_int_equal(rs_store_open(sub, &fx->store), -1);
	assert_true(rs_test_captured_contains("not a regular file"));
	free(sub);
}

static void test_refuses_symlink(void **state)
{
	fixture *fx = *state;
	char *target = rs_sprintf("%s/elsewhere", fx->dir);
	rs_test_write(fx->dir, "elsewhere", "");
	assert_int_equal(symlink(target, fx->db), 0);
	rs_test_capture_start();
	assert_int_equal(rs_store_open(fx->db, &fx->store), -1);
	assert_true(rs_test_captured_contains("symbolic link"));
	free(target);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_list_newest_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_same_second_by_insertion, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resolve_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resolve_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_findings_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_findings_in_groups, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replay_into_sink, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unfinished_scan_is_incomplete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_killed_scan_is_incomplete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_committed_scan_survives_kill, setup, teardown),
		cmocka_unit_test_setup_teardown(test_next_open_checkpoints, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_scans_at_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_failure_reported_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_new_database_layout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrates_empty_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refuses_newer_schema, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refuses_foreign_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refuses_symlink, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
