/*
 * test_respond_driver.c — the respond driver with a test kind ("mark",
 * which overwrites a file in a temporary directory and puts its old bytes
 * back on undo): apply journals planned then applied (and records it in the
 * store), a dry run changes nothing, a refusal journals nothing, a failed
 * apply is rolled back, undo is idempotent, a store row lost to a crash is
 * added back from the journal, and recovery rolls back an
 * action a crash left "planned" and finishes an interrupted undo.
 */
#include "testutil.h"

#include "core/host.h"
#include "core/util.h"
#include "respond/driver.h"
#include "store/actions.h"
#include "store/store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *work_dir; /* where the "mark" kind's files live */

static char *mark_path(const json_t *target)
{
	return rs_sprintf("%s/%s", work_dir, json_string_value(json_object_get(target, "name")));
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = rs_calloc(1, 4096);
	size_t n = fread(buf, 1, 4095, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static json_t *mark_parse(const char *arg, const json_t *options, char *err, size_t errsize)
{
	(void)options;
	if (!*arg) {
		snprintf(err, errsize, "empty name");
		return NULL;
	}
	return json_pack("{s:s}", "name", arg);
}

static int mark_prepare(rs_respond_ctx *ctx, const json_t *target, json_t *before, json_t *describe,
			char *err, size_t errsize)
{
	(void)ctx;
	const char *name = json_string_value(json_object_get(target, "name"));
	if (strcmp(name, "refuse") == 0) {
		snprintf(err, errsize, "%s: refused; give --force", name);
		return -1;
	}
	char *path = mark_path(target);
	char *content = slurp(path);
	json_object_set_new(before, "content", json_string(content ? content : ""));
	json_array_append_new(describe, json_sprintf("overwrite %s", name));
	free(content);
	free(path);
	return 0;
}

static int mark_apply(rs_respond_ctx *ctx, const json_t *target, const json_t *before, json_t *after,
		      char *err, size_t errsize)
{
	(void)ctx;
	(void)before;
	char *path = mark_path(target);
	bool fail = strstr(path, "fail") != NULL;
	put(path, fail ? "HALF" : "APPLIED");
	free(path);
	if (fail) {
		snprintf(err, errsize, "apply failed half-way");
		return -1;
	}
	json_object_set_new(after, "marker", json_string("m-1"));
	json_object_set_new(after, "state", json_string("must not replace the state"));
	return 0;
}

static int undo_calls;

static int mark_undo(rs_respond_ctx *ctx, const json_t *target, const json_t *before, char *err,
		     size_t errsize)
{
	(void)ctx;
	(void)err;
	(void)errsize;
	undo_calls++;
	char *path = mark_path(target);
	put(path, json_string_value(json_object_get(before, "content")));
	free(path);
	return 0;
}

static const rs_action_kind mark_kind = {
	.name = "mark", .mitigation = "M0000", .parse_target = mark_parse, .prepare = mark_prepare,
	.apply = mark_apply, .undo = mark_undo, .undo_text = "put the old bytes back",
};
static const rs_action_kind *const test_kinds[] = { &mark_kind, NULL };

typedef struct fixture {
	char *state_dir;
	rs_host host;
	rs_respond_ctx ctx;
	rs_journal *journal;
	rs_store *store;
	rs_driver driver;
} fixture;

static int setup(void **state)
{
	fixture *f = rs_calloc(1, sizeof(*f));
	work_dir = rs_test_tmpdir();
	f->state_dir = rs_test_tmpdir();
	assert_int_equal(rs_host_init(&f->host, work_dir, ""), 0);
	f->ctx.host = &f->host;
	f->ctx.state_dir = f->state_dir;
	f->ctx.operator_name = "tester";
	char err[512];
	assert_int_equal(rs_journal_open(f->state_dir, &f->journal, err, sizeof(err)), 0);
	char *db = rs_sprintf("%s/rasoat.db", f->state_dir);
	assert_int_equal(rs_store_open(db, &f->store), 0);
	free(db);
	f->driver = (rs_driver){ .ctx = &f->ctx, .journal = f->journal, .store = f->store, .kinds = test_kinds };
	undo_calls = 0;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	rs_journal_close(f->journal);
	rs_store_close(f->store);
	rs_host_free(&f->host);
	rs_test_rmrf(f->state_dir);
	rs_test_rmrf(work_dir);
	free(f->state_dir);
	free(work_dir);
	free(f);
	return 0;
}

static char *file_of(const char *name)
{
	char *path = rs_sprintf("%s/%s", work_dir, name);
	char *content = slurp(path);
	free(path);
	return content;
}

static void assert_file(const char *name, const char *want)
{
	char *content = file_of(name);
	assert_non_null(content);
	assert_string_equal(content, want);
	free(content);
}

static const char *latest_state(fixture *f, const char *id)
{
	return json_string_value(json_object_get(rs_journal_latest(f->journal, id), "state"));
}

static int run(fixture *f, const char *name, rs_action_result *res)
{
	json_t *target = json_pack("{s:s}", "name", name);
	rs_action_request req = { .kind = &mark_kind, .target = target, .scan = "s1", .finding = "test:rule" };
	int rc = rs_driver_run(&f->driver, &req, res);
	json_decref(target);
	return rc;
}

static void test_apply_and_undo(void **state)
{
	fixture *f = *state;
	rs_test_write(work_dir, "x", "original");
	rs_action_result res;
	assert_int_equal(run(f, "x", &res), 0);
	assert_string_equal(res.state, "applied");
	assert_file("x", "APPLIED");
	const json_t *planned = rs_journal_latest_in_state(f->journal, res.id, "planned");
	assert_non_null(planned);
	assert_false(json_is_true(json_object_get(planned, "dry_run")));
	assert_string_equal(json_string_value(json_object_get(json_object_get(planned, "before"), "content")), "original");
	assert_string_equal(json_string_value(json_object_get(planned, "operator")), "tester");
	assert_string_equal(json_string_value(json_object_get(planned, "finding")), "test:rule");
	const json_t *applied = rs_journal_latest(f->journal, res.id);
	assert_string_equal(json_string_value(json_object_get(applied, "state")), "applied");
	assert_string_equal(json_string_value(json_object_get(applied, "marker")), "m-1");
	rs_action_result_free(&res);

	json_t *rows = rs_store_load_actions(f->store, "s1");
	assert_int_equal(json_array_size(rows), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0), "state")), "applied");
	json_decref(rows);

	char msg[1200];
	char id[40];
	snprintf(id, sizeof(id), "%s", json_string_value(json_object_get(applied, "id")));
	assert_int_equal(rs_driver_undo(&f->driver, id, msg, sizeof(msg)), 0);
	assert_file("x", "original");
	assert_string_equal(latest_state(f, id), "undone");
	/* the "applied" line was written again with undoing:true before the undo */
	const json_t *undoing = rs_journal_latest_in_state(f->journal, id, "applied");
	assert_true(json_is_true(json_object_get(undoing, "undoing")));

	/* idempotent: a second undo changes nothing and says so */
	rs_test_write(work_dir, "x", "changed since");
	assert_int_equal(rs_driver_undo(&f->driver, id, msg, sizeof(msg)), 1);
	assert_non_null(strstr(msg, "already undone"));
	assert_file("x", "changed since");
	assert_int_equal(undo_calls, 1);

	rows = rs_store_load_actions(f->store, NULL);
	assert_int_equal(json_array_size(rows), 2);
	json_decref(rows);
	assert_int_equal(rs_driver_undo(&f->driver, "a-nosuch", msg, sizeof(msg)), -1);
	assert_non_null(strstr(msg, "respond list"));

	/* the store lacks a row (a crash between the two writes): sync adds it once */
	assert_int_equal(rs_driver_sync_store(&f->driver), 0);
	char *db = rs_sprintf("%s/rasoat.db", f->state_dir);
	sqlite3 *h;
	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, "DELETE FROM actions WHERE state = 'applied'", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	free(db);
	assert_int_equal(rs_driver_sync_store(&f->driver), 1);
	assert_int_equal(rs_driver_sync_store(&f->driver), 0);
	rows = rs_store_load_actions(f->store, NULL);
	assert_int_equal(json_array_size(rows), 2);
	json_decref(rows);
}

static void test_dry_run_and_refusal(void **state)
{
	fixture *f = *state;
	rs_test_write(work_dir, "x", "original");
	f->ctx.dry_run = true;
	rs_action_result res;
	assert_int_equal(run(f, "x", &res), 0);
	assert_string_equal(res.state, "planned");
	assert_string_equal(json_string_value(json_array_get(res.describe, 0)), "overwrite x");
	assert_file("x", "original");
	assert_true(json_is_true(json_object_get(rs_journal_latest(f->journal, res.id), "dry_run")));
	char msg[1200];
	assert_int_equal(rs_driver_undo(&f->driver, res.id, msg, sizeof(msg)), 1);
	assert_non_null(strstr(msg, "dry run"));
	/* recovery leaves a dry run alone */
	assert_int_equal(rs_driver_recover(&f->driver), 0);
	assert_string_equal(latest_state(f, res.id), "planned");
	rs_action_result_free(&res);

	f->ctx.dry_run = false;
	assert_int_equal(run(f, "refuse", &res), -1);
	assert_string_equal(res.state, "refused");
	assert_string_equal(res.id, "");
	assert_non_null(strstr(res.error, "--force"));
	assert_int_equal(json_array_size(rs_journal_action_ids(f->journal)), 1);
	rs_action_result_free(&res);
}

static void test_failed_apply_rolled_back(void **state)
{
	fixture *f = *state;
	rs_test_write(work_dir, "fail", "original");
	rs_action_result res;
	assert_int_equal(run(f, "fail", &res), -1);
	assert_string_equal(res.state, "failed");
	assert_file("fail", "original");
	const json_t *line = rs_journal_latest(f->journal, res.id);
	assert_string_equal(json_string_value(json_object_get(line, "state")), "failed");
	assert_true(json_is_true(json_object_get(line, "rolled_back")));
	assert_non_null(strstr(json_string_value(json_object_get(line, "error")), "half-way"));
	char msg[1200];
	assert_int_equal(rs_driver_undo(&f->driver, res.id, msg, sizeof(msg)), 1);
	rs_action_result_free(&res);
}

/* Appends LINE's copy in STATE, as a crash would have left it. */
static void append_copy(fixture *f, const json_t *line, const char *state, bool undoing)
{
	json_t *copy = json_deep_copy(line);
	json_object_del(copy, "prev");
	json_object_set_new(copy, "state", json_string(state));
	if (undoing)
		json_object_set_new(copy, "undoing", json_true());
	char err[512];
	assert_int_equal(rs_journal_append(f->journal, copy, err, sizeof(err)), 0);
	json_decref(copy);
}

static void test_recovery(void **state)
{
	fixture *f = *state;
	/* an action that crashed between "planned" and "applied", half applied */
	rs_test_write(work_dir, "a", "first");
	rs_action_result res;
	f->ctx.dry_run = true;
	assert_int_equal(run(f, "a", &res), 0);
	f->ctx.dry_run = false;
	json_t *planned = json_deep_copy(rs_journal_latest(f->journal, res.id));
	rs_action_result_free(&res);
	json_object_set_new(planned, "dry_run", json_false());
	json_object_set_new(planned, "id", json_string("a-crashed"));
	append_copy(f, planned, "planned", false);
	rs_test_write(work_dir, "a", "HALF");

	/* an action whose undo was interrupted */
	rs_test_write(work_dir, "b", "second");
	assert_int_equal(run(f, "b", &res), 0);
	char b_id[40];
	snprintf(b_id, sizeof(b_id), "%s", res.id);
	append_copy(f, rs_journal_latest(f->journal, b_id), "applied", true);
	rs_action_result_free(&res);

	/* an action of a kind this build does not know */
	json_object_set_new(planned, "id", json_string("a-unknown"));
	json_object_set_new(planned, "action", json_string("teleport"));
	append_copy(f, planned, "planned", false);

	rs_test_capture_start();
	assert_int_equal(rs_driver_recover(&f->driver), -1);
	assert_true(rs_test_captured_contains("a-crashed"));
	assert_true(rs_test_captured_contains("teleport"));
	rs_test_capture_stop();
	assert_file("a", "first");
	assert_file("b", "second");
	const json_t *a = rs_journal_latest(f->journal, "a-crashed");
	assert_string_equal(json_string_value(json_object_get(a, "state")), "failed");
	assert_true(json_is_true(json_object_get(a, "recovered")));
	const json_t *b = rs_journal_latest(f->journal, b_id);
	assert_string_equal(json_string_value(json_object_get(b, "state")), "undone");
	assert_true(json_is_true(json_object_get(b, "recovered")));
	assert_string_equal(latest_state(f, "a-unknown"), "planned");

	/* nothing left to recover but the unknown kind */
	undo_calls = 0;
	rs_test_capture_start();
	assert_int_equal(rs_driver_recover(&f->driver), -1);
	rs_test_capture_stop();
	assert_int_equal(undo_calls, 0);
	json_decref(planned);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_apply_and_undo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dry_run_and_refusal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_apply_rolled_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recovery, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
