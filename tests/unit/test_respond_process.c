/*
 * test_respond_process.c — the suspend and kill kinds on the live host,
 * called directly (prepare, apply, undo with a context on "/"): a process
 * tree (sh and two sleeps, in a session of its own) is frozen by the
 * cgroup v2 freezer, by the cgroup v1 freezer and by SIGSTOP, and thawed
 * again by undo (twice: undo is idempotent); kill --tree leaves none of it;
 * an action whose recorded start time no longer matches touches nothing.
 * Needs root and a live /proc; skips with a message otherwise.
 */
#include "testutil.h"
#include "core/host.h"
#include "core/util.h"
#include "respond/action.h"
#include "respond/kinds.h"
#include "respond/cgroupfs.h"
#include "respond/freezer.h"
#include "respond/pidref.h"
#include "respond/proctab.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct fixture {
	rs_host host;
	rs_respond_ctx ctx;
	pid_t sh;
} fixture;

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* Starts "sh -c 'sleep 60 & sleep 60 & wait'" in a new session and waits
 * until both sleeps run. */
static pid_t spawn_tree(const rs_host *h)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		setsid();
		execl("/bin/sh", "sh", "-c", "sleep 60 & sleep 60 & wait", (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 200; i++) {
		rs_proctab t;
		char err[256];
		assert_int_equal(rs_proctab_read(h, &t, err, sizeof(err)), 0);
		rs_vec tree;
		rs_vec_init(&tree, sizeof(pid_t));
		rs_proctab_tree(&t, pid, &tree);
		size_t sleeps = 0;
		for (size_t j = 1; j < tree.len; j++) {
			const rs_proc_entry *e = rs_proctab_find(&t, *(pid_t *)rs_vec_at(&tree, j));
			sleeps += e && strcmp(e->st.comm, "sleep") == 0;
		}
		rs_vec_free(&tree);
		rs_proctab_free(&t);
		if (sleeps == 2)
			return pid;
		sleep_ms(10);
	}
	fail_msg("the test tree did not start");
	return -1;
}

static int setup(void **state)
{
	if (geteuid() != 0 || access("/proc/self/stat", R_OK) != 0) {
		fprintf(stderr, "SKIP: test_respond_process needs root and a live /proc\n");
		return 0;
	}
	fixture *f = rs_calloc(1, sizeof(*f));
	assert_int_equal(rs_host_init(&f->host, "/", NULL), 0);
	f->ctx.host = &f->host;
	f->ctx.state_dir = "/nonexistent";
	f->ctx.operator_name = "tester";
	f->sh = spawn_tree(&f->host);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	if (!f)
		return 0;
	/* whatever a failed test left: thaw, then kill the tree by its group */
	kill(-f->sh, SIGCONT);
	kill(-f->sh, SIGKILL);
	waitpid(f->sh, NULL, 0);
	rs_host_free(&f->host);
	free(f);
	return 0;
}

/* Whether PID is frozen by a cgroup freezer or stopped. */
static bool frozen_or_stopped(const rs_host *h, pid_t pid)
{
	rs_proc_stat st;
	if (rs_proc_stat_read(h, pid, &st) < 0)
		return false;
	if (st.state == 'T' || st.state == 't')
		return true;
	for (int v = 0; v < 2; v++) {
		rs_cgroupfs fs;
		if (rs_cgroupfs_open(h, v == 0, &fs) < 0)
			continue;
		char *path = NULL;
		bool frozen = false;
		if (rs_cgroup_of(h, &fs, pid, &path) == 0) {
			int fd = rs_cgroup_open(&fs, path);
			char *text = NULL;
			size_t len = 0;
			if (fd >= 0 && rs_cgroup_read(fd, v == 0 ? "cgroup.events" : "freezer.state", &text, &len) == 0)
				frozen = v == 0 ? strstr(text, "frozen 1") != NULL : strstr(text, "FROZEN") != NULL;
			free(text);
			if (fd >= 0)
				close(fd);
		}
		free(path);
		rs_cgroupfs_close(&fs);
		if (frozen)
			return true;
	}
	return false;
}

static void members_of(const json_t *before, rs_vec *out)
{
	rs_vec_init(out, sizeof(rs_member));
	rs_members_from_json(before, out);
}

static void assert_all(const fixture *f, const json_t *before, bool frozen)
{
	rs_vec m;
	members_of(before, &m);
	assert_int_equal(m.len, 3);
	for (int i = 0; i < 150; i++) { /* a thaw shows a moment later */
		bool all = true;
		for (size_t j = 0; j < m.len; j++)
			all = all && frozen_or_stopped(&f->host, ((rs_member *)rs_vec_at(&m, j))->pid) == frozen;
		if (all)
			break;
		sleep_ms(20);
	}
	for (size_t j = 0; j < m.len; j++) {
		pid_t pid = ((rs_member *)rs_vec_at(&m, j))->pid;
		if (frozen_or_stopped(&f->host, pid) != frozen)
			fail_msg("pid %d is %s", (int)pid, frozen ? "still running" : "still frozen or stopped");
	}
	rs_vec_free(&m);
}

static json_t *target_of(pid_t pid, bool tree)
{
	char arg[32];
	char err[256];
	snprintf(arg, sizeof(arg), "%d", (int)pid);
	json_t *options = json_pack("{s:b}", "tree", tree);
	json_t *t = rs_kind_suspend.parse_target(arg, options, err, sizeof(err));
	json_decref(options);
	assert_non_null(t);
	return t;
}

/* Prepares a suspend of the whole tree; REPLAN, when not NULL, replaces the
 * freezer plan (to force a given freezer). */
static void suspend_and_undo(fixture *f, json_t *replan, const char *want_used)
{
	char err[1024] = "";
	json_t *target = target_of(f->sh, true);
	json_t *before = json_object(), *describe = json_array(), *after = json_object();
	if (rs_kind_suspend.prepare(&f->ctx, target, before, describe, err, sizeof(err)) != 0)
		fail_msg("prepare: %s", err);
	if (replan) {
		json_object_set_new(replan, "tree", json_true());
		json_object_set_new(before, "freezer", replan);
	}
	if (rs_kind_suspend.apply(&f->ctx, target, before, after, err, sizeof(err)) != 0)
		fail_msg("apply: %s", err);
	const char *used = json_string_value(json_object_get(after, "freezer_used"));
	const char *planned = json_string_value(json_object_get(json_object_get(before, "freezer"), "method"));
	fprintf(stderr, "freezer planned %s (%s), used %s\n", planned,
		json_string_value(json_object_get(json_object_get(before, "freezer"), "mode")), used);
	if (json_object_get(after, "freezer_fallback"))
		fail_msg("the planned freezer failed: %s",
			 json_string_value(json_object_get(after, "freezer_fallback")));
	assert_string_equal(used, planned);
	if (want_used)
		assert_string_equal(used, want_used);
	assert_all(f, before, true);
	if (rs_kind_suspend.undo(&f->ctx, target, before, err, sizeof(err)) != 0)
		fail_msg("undo: %s", err);
	assert_all(f, before, false);
	if (rs_kind_suspend.undo(&f->ctx, target, before, err, sizeof(err)) != 0)
		fail_msg("second undo: %s", err);
	assert_all(f, before, false);
	json_decref(target);
	json_decref(before);
	json_decref(describe);
	json_decref(after);
}

static void test_suspend_planned(void **state)
{
	fixture *f = *state;
	if (!f)
		skip();
	suspend_and_undo(f, NULL, NULL);
}

static void test_suspend_sigstop(void **state)
{
	fixture *f = *state;
	if (!f)
		skip();
	suspend_and_undo(f, json_pack("{s:s}", "method", "signal"), "signal");
}

/* A cgroup v1 plan for F's tree (dedicated child), or NULL without v1. */
static json_t *cgroup1_plan(fixture *f, char **child_out)
{
	rs_cgroupfs fs;
	if (rs_cgroupfs_open(&f->host, false, &fs) < 0)
		return NULL;
	char *path = NULL;
	assert_int_equal(rs_cgroup_of(&f->host, &fs, f->sh, &path), 0);
	rs_proc_stat st;
	assert_int_equal(rs_proc_stat_read(&f->host, f->sh, &st), 0);
	char name[64];
	snprintf(name, sizeof(name), "rasoat-suspend-%d-%llu", (int)f->sh, st.start_time);
	char *child = rs_cgroup_join(path, name);
	json_t *plan = json_pack("{s:s,s:s,s:s,s:s,s:s,s:b}", "method", "cgroup1", "mount", fs.mount,
				 "cgroup", path, "mode", "child", "child", child, "tree", 1);
	*child_out = child;
	free(path);
	rs_cgroupfs_close(&fs);
	return plan;
}

/* The v1 freezer in a dedicated child cgroup, where v1 is mounted. */
static void test_suspend_cgroup1(void **state)
{
	fixture *f = *state;
	if (!f)
		skip();
	char *child = NULL;
	json_t *plan = cgroup1_plan(f, &child);
	if (!plan) {
		fprintf(stderr, "SKIP: the cgroup v1 freezer is not mounted\n");
		return;
	}
	suspend_and_undo(f, plan, "cgroup1");
	rs_cgroupfs fs;
	assert_int_equal(rs_cgroupfs_open(&f->host, false, &fs), 0);
	int fd = rs_cgroup_open(&fs, child);
	assert_true(fd < 0 && errno == ENOENT); /* undo removed the child cgroup */
	free(child);
	rs_cgroupfs_close(&fs);
}

/* A cgroup that holds only the tree is frozen whole, and thawed in place. */
static void test_suspend_whole_cgroup(void **state)
{
	fixture *f = *state;
	if (!f)
		skip();
	rs_cgroupfs fs;
	if (rs_cgroupfs_open(&f->host, true, &fs) < 0) {
		fprintf(stderr, "SKIP: cgroup v2 is not mounted\n");
		return;
	}
	char name[64];
	snprintf(name, sizeof(name), "rasoat-test-whole-%d", (int)getpid());
	char *path = rs_cgroup_join("/", name);
	if (mkdirat(fs.fd, name, 0755) < 0) {
		fprintf(stderr, "SKIP: cannot create cgroup %s: %s\n", path, strerror(errno));
		free(path);
		rs_cgroupfs_close(&fs);
		return;
	}
	int fd = rs_cgroup_open(&fs, path);
	assert_true(fd >= 0);
	rs_proctab t;
	char err[256];
	assert_int_equal(rs_proctab_read(&f->host, &t, err, sizeof(err)), 0);
	rs_vec pids;
	rs_vec_init(&pids, sizeof(pid_t));
	rs_proctab_tree(&t, f->sh, &pids);
	for (size_t i = 0; i < pids.len; i++) {
		char value[24];
		snprintf(value, sizeof(value), "%d", (int)*(pid_t *)rs_vec_at(&pids, i));
		assert_int_equal(rs_cgroup_write(fd, "cgroup.procs", value), 0);
	}
	rs_vec_free(&pids);
	rs_proctab_free(&t);

	json_t *target = target_of(f->sh, true);
	json_t *before = json_object(), *describe = json_array();
	char e2[1024] = "";
	if (rs_kind_suspend.prepare(&f->ctx, target, before, describe, e2, sizeof(e2)) != 0)
		fail_msg("prepare: %s", e2);
	const json_t *plan = json_object_get(before, "freezer");
	assert_string_equal(json_string_value(json_object_get(plan, "mode")), "whole");
	assert_string_equal(json_string_value(json_object_get(plan, "cgroup")), path);
	json_decref(target);
	json_decref(before);
	json_decref(describe);
	suspend_and_undo(f, NULL, "cgroup2");
	/* thawed in place: the processes are still in the test's cgroup */
	char *now = NULL;
	assert_int_equal(rs_cgroup_of(&f->host, &fs, f->sh, &now), 0);
	assert_string_equal(now, path);
	free(now);

	/* clean up: the tree back to the root cgroup, the test cgroup removed */
	int rootfd = rs_cgroup_open(&fs, "/");
	rs_vec inside;
	rs_vec_init(&inside, sizeof(pid_t));
	rs_cgroup_pids(fd, false, &inside);
	for (size_t i = 0; i < inside.len; i++) {
		char value[24];
		snprintf(value, sizeof(value), "%d", (int)*(pid_t *)rs_vec_at(&inside, i));
		rs_cgroup_write(rootfd, "cgroup.procs", value);
	}
	rs_vec_free(&inside);
	close(rootfd);
	close(fd);
	assert_int_equal(unlinkat(fs.fd, name, AT_REMOVEDIR), 0);
	free(path);
	rs_cgroupfs_close(&fs);
}

static void kill_tree(fixture *f, json_t *replan)
{
	char err[1024] = "";
	json_t *target = target_of(f->sh, true);
	json_t *before = json_object(), *describe = json_array(), *after = json_object();
	assert_int_equal(rs_kind_kill.prepare(&f->ctx, target, before, describe, err, sizeof(err)), 0);
	if (replan)
		json_object_set_new(before, "freezer", replan);
	if (rs_kind_kill.apply(&f->ctx, target, before, after, err, sizeof(err)) != 0)
		fail_msg("kill: %s", err);
	assert_int_equal(json_array_size(json_object_get(after, "killed")), 3);
	rs_vec m;
	members_of(before, &m);
	int status = 0;
	assert_int_equal(waitpid(f->sh, &status, 0), f->sh);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	for (int i = 0; i < 100; i++) {
		bool any = false;
		for (size_t j = 1; j < m.len; j++) {
			rs_proc_stat st;
			const rs_member *x = rs_vec_at(&m, j);
			any = any || (rs_proc_stat_read(&f->host, x->pid, &st) == 0 && st.start_time == x->start &&
				      st.state != 'Z');
		}
		if (!any)
			break;
		assert_true(i < 99);
		sleep_ms(20);
	}
	/* undo does nothing and succeeds */
	assert_int_equal(rs_kind_kill.undo(&f->ctx, target, before, err, sizeof(err)), 0);
	assert_non_null(strstr(rs_kind_kill.undo_text, "cannot be brought back"));
	rs_vec_free(&m);
	json_decref(target);
	json_decref(before);
	json_decref(describe);
	json_decref(after);
	f->sh = spawn_tree(&f->host); /* for teardown's sake */
}

static void test_kill_tree(void **state)
{
	fixture *f = *state;
	if (!f)
		skip();
	kill_tree(f, NULL);
}

/* Under the v1 freezer a frozen task dies only once thawed: kill thaws. */
static void test_kill_tree_cgroup1(void **state)
{
	fixture *f = *state;
	if (!f)
		skip();
	char *child = NULL;
	json_t *plan = cgroup1_plan(f, &child);
	if (!plan) {
		fprintf(stderr, "SKIP: the cgroup v1 freezer is not mounted\n");
		return;
	}
	kill_tree(f, plan);
	rs_cgroupfs fs;
	assert_int_equal(rs_cgroupfs_open(&f->host, false, &fs), 0);
	int fd = rs_cgroup_open(&fs, child);
	assert_true(fd < 0 && errno == ENOENT); /* the dedicated cgroup is gone */
	rs_cgroupfs_close(&fs);
	free(child);
}

/* A before-image whose start time no longer matches: the pid counts as
 * reused, apply refuses and nothing is signalled. */
static void test_recycled_pid_refused(void **state)
{
	fixture *f = *state;
	if (!f)
		skip();
	char err[1024] = "";
	json_t *target = target_of(f->sh, false);
	json_t *before = json_object(), *describe = json_array(), *after = json_object();
	assert_int_equal(rs_kind_kill.prepare(&f->ctx, target, before, describe, err, sizeof(err)), 0);
	json_int_t start = json_integer_value(json_object_get(before, "start"));
	json_object_set_new(before, "start", json_integer(start + 1));
	json_object_set_new(json_array_get(json_object_get(before, "members"), 0), "start",
			    json_integer(start + 1));
	assert_int_equal(rs_kind_kill.apply(&f->ctx, target, before, after, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "reused"));
	rs_proc_stat st;
	assert_int_equal(rs_proc_stat_read(&f->host, f->sh, &st), 0);
	assert_true(st.state != 'T' && st.state != 'Z');
	assert_false(frozen_or_stopped(&f->host, f->sh));
	/* and a pidfd is never opened for the wrong start time */
	assert_int_equal(rs_pidref_open(&f->host, f->sh, (unsigned long long)start + 1), -1);
	assert_int_equal(errno, ESRCH);
	int fd = rs_pidref_open(&f->host, f->sh, (unsigned long long)start);
	assert_true(fd >= 0);
	close(fd);
	json_decref(target);
	json_decref(before);
	json_decref(describe);
	json_decref(after);
}

/* A finding of a process at a given exe: prepare refuses once the pid runs
 * something else. */
static void test_exe_mismatch_refused(void **state)
{
	fixture *f = *state;
	if (!f)
		skip();
	char err[1024] = "";
	char arg[32];
	snprintf(arg, sizeof(arg), "%d", (int)f->sh);
	json_t *options = json_pack("{s:s}", "exe", "/tmp/.x/implant");
	json_t *target = rs_kind_suspend.parse_target(arg, options, err, sizeof(err));
	json_t *before = json_object(), *describe = json_array();
	assert_int_equal(rs_kind_suspend.prepare(&f->ctx, target, before, describe, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "reused"));
	json_decref(options);
	json_decref(target);
	json_decref(before);
	json_decref(describe);
}

static void test_parse_target(void **state)
{
	(void)state;
	char err[256];
	const char *bad[] = { "", "0", "-3", "12x", "99999999999", "pid" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_null(rs_kind_kill.parse_target(bad[i], NULL, err, sizeof(err)));
		assert_true(err[0] != '\0');
	}
	json_t *opts = json_pack("{s:s}", "tree", "yes");
	assert_null(rs_kind_kill.parse_target("5", opts, err, sizeof(err)));
	json_decref(opts);
	json_t *t = rs_kind_kill.parse_target("42", NULL, err, sizeof(err));
	assert_int_equal(json_integer_value(json_object_get(t, "pid")), 42);
	assert_true(json_is_false(json_object_get(t, "tree")));
	json_decref(t);
}

static void test_propose(void **state)
{
	(void)state;
	rs_host live = { .live = true };
	json_t *actions = json_array();
	json_t *f1 = json_pack("{s:s,s:s,s:s,s:{s:i,s:s}}", "module", "rootkit", "rule",
			       "rasoat:process.deleted_exe_suspicious_path", "severity", "high", "evidence", "pid",
			       4242, "exe", "/tmp/.x/kworkerd");
	json_t *f2 = json_pack("{s:s,s:s,s:s,s:{s:i}}", "module", "hunt", "rule", "yara:Implant",
			       "severity", "medium", "evidence", "pid", 77);
	json_t *f3 = json_pack("{s:s,s:s,s:s,s:{s:s}}", "module", "hunt", "rule", "yara:Implant",
			       "severity", "high", "evidence", "path", "/tmp/x");
	json_t *f4 = json_pack("{s:s,s:s,s:s,s:{s:i}}", "module", "rootkit", "rule",
			       "rasoat:process.memfd_exe_sealed", "severity", "medium", "evidence", "pid", 9);
	json_t *all[] = { f1, f2, f3, f4 };
	for (size_t i = 0; i < 4; i++) {
		rs_kind_suspend.propose(all[i], &live, actions);
		rs_kind_kill.propose(all[i], &live, actions);
	}
	/* f1: suspend and kill; f2 (medium): suspend only; f3, f4: nothing */
	assert_int_equal(json_array_size(actions), 3);
	json_t *a0 = json_array_get(actions, 0), *a1 = json_array_get(actions, 1);
	assert_string_equal(json_string_value(json_object_get(a0, "action")), "suspend");
	assert_string_equal(json_string_value(json_object_get(a1, "action")), "kill");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(a0, "target"), "pid")), 4242);
	assert_string_equal(json_string_value(json_object_get(json_object_get(a0, "target"), "exe")),
			    "/tmp/.x/kworkerd");
	assert_non_null(strstr(json_string_value(json_object_get(a1, "reason")), "memory"));
	assert_string_equal(json_string_value(json_object_get(json_array_get(actions, 2), "action")),
			    "suspend");
	/* nothing with --root */
	rs_host image = { .live = false };
	json_t *none = json_array();
	rs_kind_suspend.propose(f1, &image, none);
	assert_int_equal(json_array_size(none), 0);
	for (size_t i = 0; i < 4; i++)
		json_decref(all[i]);
	json_decref(actions);
	json_decref(none);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_target),
		cmocka_unit_test(test_propose),
		cmocka_unit_test_setup_teardown(test_suspend_planned, setup, teardown),
		cmocka_unit_test_setup_teardown(test_suspend_sigstop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_suspend_cgroup1, setup, teardown),
		cmocka_unit_test_setup_teardown(test_suspend_whole_cgroup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kill_tree, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kill_tree_cgroup1, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recycled_pid_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exe_mismatch_refused, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
