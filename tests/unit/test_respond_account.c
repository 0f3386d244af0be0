/*
 * test_respond_account.c — the lock-user kind on a fixture root: apply
 * puts '!' before the password and expires the account (field 8 = 1),
 * touching no other byte; owner, mode and times of /etc/shadow are kept;
 * undo gives back the file byte-identical with its mode and times, twice
 * (idempotent), and removes a temporary file an interrupted apply left; a
 * line changed since is left alone; root is refused; the hash never
 * appears in the before-image. The shadow line helpers over odd lines.
 * On the live host: the processes of an account (a uid no account uses)
 * are stopped and killed through pidfds.
 */
#include "testutil.h"
#include "core/host.h"
#include "core/log.h"
#include "core/util.h"
#include "respond/action.h"
#include "respond/kinds.h"
#include "respond/shadow.h"
#include "respond/userprocs.h"

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

static const char SHADOW[] =
	"root:$6$rootsalt$roothash:19000:0:99999:7:::\n"
	"alice:$6$asalt$ahash:19000:0:99999:7:::\n"
	"bob:$y$j9T$bobsalt$bobhash:19500:0:99999:7:30:20000:\n"
	"carol:!$6$c$d:19000:0:99999:7:::\n"
	"legacy:x:19000:";

static char *fixture(void)
{
	char *dir = rs_test_tmpdir();
	rs_test_write(dir, "etc/passwd",
		      "root:x:0:0:root:/root:/bin/bash\n"
		      "alice:x:1000:1000::/home/alice:/bin/bash\n"
		      "bob:x:1001:1001::/home/bob:/bin/bash\n"
		      "carol:x:1002:1002::/home/carol:/bin/bash\n"
		      "legacy:x:1003:1003::/home/legacy:/bin/sh\n");
	rs_test_write(dir, "etc/group", "root:x:0:\nsudo:x:27:alice\n");
	rs_test_write(dir, "etc/shadow", SHADOW);
	char *path = rs_sprintf("%s/etc/shadow", dir);
	assert_int_equal(chmod(path, 0640), 0);
	struct timespec times[2] = { { 1600000000, 123456789 }, { 1500000000, 987654321 } };
	assert_int_equal(utimensat(AT_FDCWD, path, times, 0), 0);
	free(path);
	return dir;
}

static char *slurp(const char *dir, struct stat *st)
{
	char *path = rs_sprintf("%s/etc/shadow", dir);
	assert_int_equal(lstat(path, st), 0);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *buf = rs_calloc(1, 4096);
	size_t n = fread(buf, 1, 4095, f);
	buf[n] = '\0';
	fclose(f);
	free(path);
	return buf;
}

typedef struct run {
	rs_host host;
	rs_respond_ctx ctx;
	json_t *target, *before, *describe, *after;
	char err[1024];
} run;

static int prepare(run *r, const char *dir, const char *user)
{
	memset(r, 0, sizeof(*r));
	assert_int_equal(rs_host_init(&r->host, dir, ""), 0);
	r->ctx.host = &r->host;
	r->target = rs_kind_lock_user.parse_target(user, NULL, r->err, sizeof(r->err));
	assert_non_null(r->target);
	r->before = json_object();
	r->describe = json_array();
	r->after = json_object();
	return rs_kind_lock_user.prepare(&r->ctx, r->target, r->before, r->describe, r->err, sizeof(r->err));
}

static void run_free(run *r)
{
	json_decref(r->target);
	json_decref(r->before);
	json_decref(r->describe);
	json_decref(r->after);
	rs_host_free(&r->host);
}

static void assert_same_file(const char *dir, const char *want, const struct stat *st0)
{
	struct stat st;
	char *now = slurp(dir, &st);
	assert_string_equal(now, want);
	assert_int_equal(st.st_mode, st0->st_mode);
	assert_int_equal(st.st_uid, st0->st_uid);
	assert_int_equal(st.st_gid, st0->st_gid);
	assert_int_equal(st.st_mtim.tv_sec, st0->st_mtim.tv_sec);
	assert_int_equal(st.st_mtim.tv_nsec, st0->st_mtim.tv_nsec);
	free(now);
}

static void test_lock_and_undo(void **state)
{
	(void)state;
	char *dir = fixture();
	struct stat st0;
	char *orig = slurp(dir, &st0);
	run r;
	if (prepare(&r, dir, "bob") != 0)
		fail_msg("prepare: %s", r.err);
	/* the hash is not in the before-image */
	char *dump = json_dumps(r.before, 0);
	assert_null(strstr(dump, "bobhash"));
	assert_null(strstr(dump, "bobsalt"));
	free(dump);
	assert_string_equal(json_string_value(json_object_get(r.before, "expire")), "20000");
	assert_string_equal(json_string_value(json_object_get(r.before, "password")), "set");
	/* prepare changed nothing */
	assert_same_file(dir, orig, &st0);

	if (rs_kind_lock_user.apply(&r.ctx, r.target, r.before, r.after, r.err, sizeof(r.err)) != 0)
		fail_msg("apply: %s", r.err);
	struct stat st1;
	char *locked = slurp(dir, &st1);
	char *want = rs_strdup(SHADOW);
	char *bob = strstr(want, "bob:");
	char *expected = rs_sprintf("%.*sbob:!$y$j9T$bobsalt$bobhash:19500:0:99999:7:30:1:\n%s",
				    (int)(bob - want), want, strstr(bob, "carol:"));
	assert_string_equal(locked, expected);
	assert_int_equal(st1.st_mode, st0.st_mode);
	assert_int_equal(st1.st_mtim.tv_sec, st0.st_mtim.tv_sec);
	/* apply again: already locked, nothing changes */
	assert_int_equal(rs_kind_lock_user.apply(&r.ctx, r.target, r.before, r.after, r.err, sizeof(r.err)), 0);
	assert_same_file(dir, expected, &st1);

	/* an interrupted earlier write left its temporary file: undo removes it */
	rs_test_write(dir, "etc/.shadow.rasoat-tmp", "partial");
	if (rs_kind_lock_user.undo(&r.ctx, r.target, r.before, r.err, sizeof(r.err)) != 0)
		fail_msg("undo: %s", r.err);
	char *path = rs_sprintf("%s/etc/shadow", dir);
	struct stat st2;
	assert_int_equal(lstat(path, &st2), 0); /* before reading it moves the access time */
	const json_t *atime = json_object_get(json_object_get(r.before, "file"), "atime");
	assert_int_equal(st2.st_atim.tv_sec, json_integer_value(json_array_get(atime, 0)));
	assert_int_equal(st2.st_atim.tv_nsec, json_integer_value(json_array_get(atime, 1)));
	free(path);
	assert_same_file(dir, orig, &st0);
	char *tmp = rs_sprintf("%s/etc/.shadow.rasoat-tmp", dir);
	assert_int_equal(access(tmp, F_OK), -1);
	free(tmp);
	/* undo again: nothing to do */
	assert_int_equal(rs_kind_lock_user.undo(&r.ctx, r.target, r.before, r.err, sizeof(r.err)), 0);
	assert_same_file(dir, orig, &st0);

	free(want);
	free(expected);
	free(locked);
	free(orig);
	run_free(&r);
	rs_test_rmrf(dir);
	free(dir);
}

/* An account whose password is already locked keeps one '!'; undo puts
 * back the old expiry only. A line changed after the lock is left alone. */
static void test_already_locked_and_changed(void **state)
{
	(void)state;
	char *dir = fixture();
	struct stat st0;
	char *orig = slurp(dir, &st0);
	run r;
	assert_int_equal(prepare(&r, dir, "carol"), 0);
	assert_false(json_is_true(json_object_get(r.before, "password_prefixed")));
	assert_int_equal(rs_kind_lock_user.apply(&r.ctx, r.target, r.before, r.after, r.err, sizeof(r.err)), 0);
	struct stat st;
	char *locked = slurp(dir, &st);
	assert_non_null(strstr(locked, "carol:!$6$c$d:19000:0:99999:7::1:\n"));
	free(locked);
	assert_int_equal(rs_kind_lock_user.undo(&r.ctx, r.target, r.before, r.err, sizeof(r.err)), 0);
	assert_same_file(dir, orig, &st0);

	/* lock, then someone edits the line: undo refuses to clobber it */
	assert_int_equal(rs_kind_lock_user.apply(&r.ctx, r.target, r.before, r.after, r.err, sizeof(r.err)), 0);
	char *now = slurp(dir, &st);
	char *edited = rs_strdup(now);
	char *p = strstr(edited, "carol:!$6$c$d:19000");
	memcpy(p + 14, "20001", 5);
	rs_test_write(dir, "etc/shadow", edited);
	r.err[0] = '\0';
	assert_int_equal(rs_kind_lock_user.undo(&r.ctx, r.target, r.before, r.err, sizeof(r.err)), -1);
	assert_non_null(strstr(r.err, "changed since"));
	struct stat st3;
	char *still = slurp(dir, &st3);
	assert_string_equal(still, edited);
	free(still);
	free(now);
	free(edited);
	free(orig);
	run_free(&r);
	rs_test_rmrf(dir);
	free(dir);
}

static void test_refusals_and_bad_targets(void **state)
{
	(void)state;
	rs_log_set_quiet(true);
	char *dir = fixture();
	run r;
	assert_int_equal(prepare(&r, dir, "root"), -1);
	assert_non_null(strstr(r.err, "uid 0"));
	run_free(&r);
	assert_int_equal(prepare(&r, dir, "alice"), -1); /* the last sudoer */
	assert_non_null(strstr(r.err, "sudo"));
	run_free(&r);
	assert_int_equal(prepare(&r, dir, "nosuch"), -1);
	assert_non_null(strstr(r.err, "no such account"));
	run_free(&r);
	assert_int_equal(prepare(&r, dir, "legacy"), -1); /* a line of 4 fields */
	assert_non_null(strstr(r.err, "8 or 9 fields"));
	run_free(&r);
	char err[256];
	const char *bad[] = { "", "a:b", "-x", "with space", "a,b" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_null(rs_kind_lock_user.parse_target(bad[i], NULL, err, sizeof(err)));
	rs_test_rmrf(dir);
	free(dir);
	rs_log_set_quiet(false);
}

static void test_shadow_lines(void **state)
{
	(void)state;
	rs_shadow_lock lock;
	const char *good = "u:$1$x:1:2:3:4:5:6:";
	char *l = rs_shadow_lock_line(good, strlen(good), &lock);
	assert_string_equal(l, "u:!$1$x:1:2:3:4:5:1:");
	assert_string_equal(lock.old_expire, "6");
	char *u = rs_shadow_unlock_line(l, strlen(l), &lock);
	assert_string_equal(u, good);
	free(l);
	free(u);
	/* eight fields (no reserved field) and an empty password */
	const char *eight = "u::1:2:3:4:5:";
	l = rs_shadow_lock_line(eight, strlen(eight), &lock);
	assert_string_equal(l, "u:!:1:2:3:4:5:1");
	u = rs_shadow_unlock_line(l, strlen(l), &lock);
	assert_string_equal(u, eight);
	free(l);
	free(u);
	const char *bad[] = { "", "u", "u:x", ":x:1:2:3:4:5:6:", "u:x:1:2:3:4:5:abc:",
			      "u:x:1:2:3:4:5:6:7:8", "u:x:1:2:3:4:5:6:\n" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_null(rs_shadow_lock_line(bad[i], strlen(bad[i]), &lock));
	/* unlocking a line that is not locked as recorded */
	l = rs_shadow_lock_line(good, strlen(good), &lock);
	assert_null(rs_shadow_unlock_line(good, strlen(good), &lock));
	free(l);
	size_t off, n;
	const char *text = "alice:x\nal:y\nalic:z";
	assert_int_equal(rs_shadow_find(text, strlen(text), "al", &off, &n), 0);
	assert_int_equal(off, 8);
	assert_int_equal(n, 4);
	assert_int_equal(rs_shadow_find(text, strlen(text), "alic", &off, &n), 0);
	assert_int_equal(off, 13);
	assert_int_equal(rs_shadow_find(text, strlen(text), "bob", &off, &n), 1);
	assert_int_equal(rs_shadow_find(text, strlen(text), "", &off, &n), 1);
}

static bool uid_in_use(uid_t uid)
{
	char cmd[64];
	snprintf(cmd, sizeof(cmd), "%u", (unsigned)uid);
	FILE *f = fopen("/etc/passwd", "r");
	char line[1024];
	bool used = false;
	while (f && fgets(line, sizeof(line), f)) {
		char *a = strchr(line, ':'), *b = a ? strchr(a + 1, ':') : NULL;
		if (b && strncmp(b + 1, cmd, strlen(cmd)) == 0 && b[1 + strlen(cmd)] == ':')
			used = true;
	}
	if (f)
		fclose(f);
	return used;
}

static void test_terminate_live(void **state)
{
	(void)state;
	const uid_t uid = 61234;
	if (geteuid() != 0 || access("/proc/self/stat", R_OK) != 0 || uid_in_use(uid)) {
		fprintf(stderr, "SKIP: needs root, a live /proc and uid %u unused\n", (unsigned)uid);
		return;
	}
	int p[2];
	assert_int_equal(pipe(p), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		setsid();
		if (setgid(uid) < 0 || setuid(uid) < 0)
			_exit(126);
		close(p[0]);
		close(p[1]);
		execl("/bin/sh", "sh", "-c", "sleep 60 & sleep 60; wait", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	char c;
	while (read(p[0], &c, 1) > 0)
		;
	close(p[0]);
	rs_host h;
	assert_int_equal(rs_host_init(&h, "/", NULL), 0);
	rs_respond_ctx ctx = { .host = &h };
	char err[512];
	/* wait (up to 20 s on a loaded machine) until sh and a sleep run as the user */
	size_t running = 0;
	for (int tries = 0; tries < 200 && running < 2; tries++) {
		struct timespec ts = { 0, 100 * 1000000L };
		nanosleep(&ts, NULL);
		rs_vec now;
		rs_vec_init(&now, sizeof(rs_member));
		assert_int_equal(rs_user_processes(&ctx, uid, &now, NULL, err, sizeof(err)), 0);
		running = now.len;
		rs_vec_free(&now);
	}
	assert_true(running >= 2);
	json_t *after = json_object();
	assert_int_equal(rs_user_terminate(&ctx, uid, after, err, sizeof(err)), 0);
	assert_true(json_array_size(json_object_get(after, "terminated")) >= 2);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	rs_vec left;
	rs_vec_init(&left, sizeof(rs_member));
	assert_int_equal(rs_user_processes(&ctx, uid, &left, NULL, err, sizeof(err)), 0);
	assert_int_equal(left.len, 0);
	rs_vec_free(&left);
	json_decref(after);
	rs_host_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lock_and_undo),
		cmocka_unit_test(test_already_locked_and_changed),
		cmocka_unit_test(test_refusals_and_bad_targets),
		cmocka_unit_test(test_shadow_lines),
		cmocka_unit_test(test_terminate_live),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
