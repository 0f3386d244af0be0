/*
 * test_refuse.c — the hard refusals of processes and accounts: pid 1, the
 * kernel thread kthreadd (pid 2) and a child of it, this test process (it
 * plays rasoat) and its parent, a child left in this session are refused;
 * a child in a session of its own is not. On fixture roots: root and any
 * uid-0 account, the last usable account with sudo rights (by group, by
 * sudoers, by %group and User_Alias in sudoers.d), while an account with
 * another administrator beside it, or none at all, may be locked; the
 * operator is refused on the live host. And the sudoers parser over good,
 * odd and malformed lines.
 */
#include "testutil.h"
#include "core/host.h"
#include "core/log.h"
#include "core/util.h"
#include "respond/proctab.h"
#include "respond/refuse.h"
#include "respond/sudoers.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void live_ctx(rs_host *h, rs_respond_ctx *ctx)
{
	assert_int_equal(rs_host_init(h, "/", NULL), 0);
	memset(ctx, 0, sizeof(*ctx));
	ctx->host = h;
}

static bool refused(const rs_respond_ctx *ctx, long pid, const char *needle)
{
	char why[512] = "";
	bool r = rs_refuse_pid(ctx, pid, why, sizeof(why));
	if (r && needle && !strstr(why, needle))
		fail_msg("pid %ld refused for another reason: %s", pid, why);
	if (r)
		assert_non_null(strstr(why, "--force"));
	return r;
}

/* A child that sleeps; NEW_SESSION: in a session of its own. */
static pid_t child(bool new_session)
{
	int p[2];
	assert_int_equal(pipe(p), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (new_session)
			setsid();
		close(p[0]);
		close(p[1]); /* tells the parent setsid is done */
		execl("/bin/sleep", "sleep", "30", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	char c;
	while (read(p[0], &c, 1) > 0)
		;
	close(p[0]);
	return pid;
}

static void reap(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static void test_refuse_pids(void **state)
{
	(void)state;
	if (access("/proc/1/stat", R_OK) != 0) {
		fprintf(stderr, "SKIP: no live /proc\n");
		return;
	}
	rs_host h;
	rs_respond_ctx ctx;
	live_ctx(&h, &ctx);
	assert_true(refused(&ctx, 1, "pid 1"));
	assert_true(refused(&ctx, 0, "not a process id"));
	assert_true(refused(&ctx, -5, "not a process id"));
	rs_proc_stat st;
	if (rs_proc_stat_read(&h, 2, &st) == 0 && strcmp(st.comm, "kthreadd") == 0) {
		assert_true(refused(&ctx, 2, "kernel thread"));
		/* a child of kthreadd */
		rs_proctab t;
		char err[256];
		assert_int_equal(rs_proctab_read(&h, &t, err, sizeof(err)), 0);
		for (size_t i = 0; i < t.procs.len; i++) {
			const rs_proc_entry *e = rs_vec_at(&t.procs, i);
			if (e->st.ppid == 2) {
				assert_true(refused(&ctx, e->pid, "kernel thread"));
				break;
			}
		}
		rs_proctab_free(&t);
	} else {
		fprintf(stderr, "SKIP: pid 2 is not kthreadd here (a pid namespace)\n");
	}
	assert_true(refused(&ctx, getpid(), "rasoat itself"));
	assert_true(refused(&ctx, getppid(), "ancestor of rasoat"));

	pid_t own = child(true);
	assert_false(refused(&ctx, own, NULL));
	pid_t same = child(false);
	assert_true(refused(&ctx, same, "operator's session"));
	reap(own);
	reap(same);
	/* a pid that is gone is not refused: the action says it is gone */
	assert_false(refused(&ctx, own, NULL));

	/* with --root there is no process to check against */
	rs_host image;
	char *dir = rs_test_tmpdir();
	assert_int_equal(rs_host_init(&image, dir, ""), 0);
	ctx.host = &image;
	assert_true(refused(&ctx, 4242, "no live /proc"));
	rs_host_free(&image);
	rs_test_rmrf(dir);
	free(dir);
	rs_host_free(&h);
}

/* A fixture root with accounts. ADMINS picks who has sudo rights. */
static char *accounts_root(bool two_admins)
{
	char *dir = rs_test_tmpdir();
	rs_test_write(dir, "etc/passwd",
		      "root:x:0:0:root:/root:/bin/bash\n"
		      "toor:x:0:0::/root:/bin/sh\n"
		      "daemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n"
		      "alice:x:1000:1000::/home/alice:/bin/bash\n"
		      "bob:x:1001:1001::/home/bob:/bin/bash\n"
		      "carol:x:1002:1002::/home/carol:/bin/bash\n"
		      "svc:x:999:999::/nonexistent:/usr/sbin/nologin\n"
		      "dave:x:1003:1003::/home/dave:/bin/bash\n"
		      "erin:x:1004:1004::/home/erin:/bin/bash\n");
	rs_test_write(dir, "etc/shadow",
		      "root:$6$x$y:19000:0:99999:7:::\n"
		      "alice:$6$a$b:19000:0:99999:7:::\n"
		      "bob:$6$c$d:19000:0:99999:7:::\n"
		      "carol:!$6$e$f:19000:0:99999:7:::\n"
		      "svc:*:19000:0:99999:7:::\n"
		      "dave:$6$g$h:19000:0:99999:7::1:\n"
		      "erin:$6$i$j:19000:0:99999:7:::\n");
	rs_test_write(dir, "etc/group",
		      "root:x:0:\nsudo:x:27:alice,svc\nwheel:x:10:dave\nadm:x:4:bob\n"
		      "ops:x:2000:erin\n");
	rs_test_write(dir, "etc/sudoers",
		      "Defaults env_reset\n"
		      "root ALL=(ALL:ALL) ALL\n"
		      "%sudo ALL=(ALL:ALL) ALL\n"
		      "bob ALL=(nobody) ALL\n"          /* not as root: no admin */
		      "#includedir /etc/sudoers.d\n");
	/* sudo skips names with a dot: erin's grant there does not count */
	rs_test_write(dir, "etc/sudoers.d/old.disabled", "erin ALL=(ALL) ALL\n");
	if (two_admins) /* carol by User_Alias (her password is locked: key-only) */
		rs_test_write(dir, "etc/sudoers.d/admins",
			      "User_Alias ADMINS = carol, \\\n    nosuch\nADMINS ALL = (root) NOPASSWD: ALL\n");
	return dir;
}

static bool user_refused(const char *root, const char *user, const char *needle)
{
	rs_host h;
	assert_int_equal(rs_host_init(&h, root, ""), 0);
	rs_respond_ctx ctx = { .host = &h, .operator_name = "alice" /* not live: ignored */ };
	char why[512] = "";
	bool r = rs_refuse_user(&ctx, user, why, sizeof(why));
	rs_host_free(&h);
	if (r && needle && !strstr(why, needle))
		fail_msg("%s refused for another reason: %s", user, why);
	if (r)
		assert_non_null(strstr(why, "--force"));
	return r;
}

static void test_refuse_users_fixture(void **state)
{
	(void)state;
	rs_log_set_quiet(true);
	char *one = accounts_root(false);
	assert_true(user_refused(one, "root", "uid 0"));
	assert_true(user_refused(one, "toor", "uid 0"));
	assert_true(user_refused(one, "0", "uid 0"));
	/* alice is the last usable admin: svc has no shell, dave is expired */
	assert_true(user_refused(one, "alice", "last usable account with sudo rights"));
	assert_false(user_refused(one, "bob", NULL));   /* (nobody) is not root */
	assert_false(user_refused(one, "erin", NULL));  /* sudoers.d/old.disabled is not read */
	assert_false(user_refused(one, "dave", NULL));  /* alice remains */
	assert_false(user_refused(one, "nosuchuser", NULL));

	char *two = accounts_root(true);
	assert_false(user_refused(two, "alice", NULL)); /* carol remains */
	assert_false(user_refused(two, "carol", NULL)); /* alice remains */
	rs_test_rmrf(one);
	rs_test_rmrf(two);
	free(one);
	free(two);
	rs_log_set_quiet(false);
}

static void test_refuse_operator_live(void **state)
{
	(void)state;
	rs_host h;
	rs_respond_ctx ctx;
	live_ctx(&h, &ctx);
	ctx.operator_name = "daemon";
	char why[512] = "";
	FILE *f = fopen("/etc/passwd", "r");
	char line[512];
	bool has_daemon = false;
	while (f && fgets(line, sizeof(line), f))
		has_daemon = has_daemon || strncmp(line, "daemon:", 7) == 0;
	if (f)
		fclose(f);
	if (!has_daemon) {
		fprintf(stderr, "SKIP: no daemon account on this host\n");
		rs_host_free(&h);
		return;
	}
	assert_true(rs_refuse_user(&ctx, "daemon", why, sizeof(why)));
	assert_non_null(strstr(why, "operator"));
	assert_true(rs_refuse_user(&ctx, "root", why, sizeof(why)));
	rs_host_free(&h);
}

static void grants_are(const char *text, const char *const *want, size_t n, int problems)
{
	rs_sudoers s;
	rs_sudoers_init(&s);
	rs_test_capture_start();
	int got = rs_parse_sudoers(text, strlen(text), "sudoers", &s);
	rs_test_capture_stop();
	assert_int_equal(got, problems);
	rs_vec out;
	rs_vec_init(&out, sizeof(char *));
	rs_sudoers_expand(&s, &out);
	if (out.len != n) {
		for (size_t i = 0; i < out.len; i++)
			fprintf(stderr, "grant: %s\n", *(char **)rs_vec_at(&out, i));
		fail_msg("%zu grants, wanted %zu", out.len, n);
	}
	for (size_t i = 0; i < n; i++)
		assert_string_equal(*(char **)rs_vec_at(&out, i), want[i]);
	for (size_t i = 0; i < out.len; i++)
		free(*(char **)rs_vec_at(&out, i));
	rs_vec_free(&out);
	rs_sudoers_free(&s);
}

static void test_sudoers_parser(void **state)
{
	(void)state;
	const char *const a[] = { "root", "%sudo", "#1005", "%#27", "x", "y" };
	grants_are("# comment\n"
		   "Defaults\tsecure_path=\"/usr/bin\"\n"
		   "root\tALL=(ALL:ALL) ALL\n"
		   "%sudo   ALL=(ALL) ALL   # trailing comment\n"
		   "#1005 ALL = ALL\n"
		   "%#27 ALL=(root) NOPASSWD: SETENV: ALL\n"
		   "x , y host1=ALL\n"
		   "web ALL=(www-data) ALL\n"
		   "ops ALL=/usr/bin/systemctl restart nginx\n"
		   "!neg ALL=ALL\n"
		   "@includedir /etc/sudoers.d\n"
		   "Cmnd_Alias SHUT = /sbin/halt\n",
		   a, 6, 0);
	/* continuation lines, aliases (nested), CRLF */
	const char *const b[] = { "u1", "u2", "u3" };
	grants_are("User_Alias INNER = u2, u3\r\n"
		   "User_Alias OUTER = u1, \\\n INNER\n"
		   "OUTER ALL=(ALL) \\\n  ALL\n",
		   b, 3, 0);
	/* malformed: no '=', too many words, an unclosed run-as, a NUL */
	const char bad[] = "justaword\none two three=ALL\nz ALL=(ALL ALL\nq ALL=\0ALL\n";
	rs_sudoers s;
	rs_sudoers_init(&s);
	rs_test_capture_start();
	int problems = rs_parse_sudoers(bad, sizeof(bad) - 1, "sudoers", &s);
	rs_test_capture_stop();
	assert_int_equal(problems, 3);
	assert_int_equal(s.grants.len, 0);
	rs_sudoers_free(&s);
	/* a self-referencing alias stops at the depth limit */
	const char *const c[] = { "LOOP" };
	grants_are("User_Alias LOOP = LOOP\nLOOP ALL=ALL\n", c, 1, 0);
	assert_true(rs_sudoers_d_name_read("admins"));
	assert_false(rs_sudoers_d_name_read("admins.bak"));
	assert_false(rs_sudoers_d_name_read("admins~"));
	assert_false(rs_sudoers_d_name_read(""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refuse_pids),
		cmocka_unit_test(test_refuse_users_fixture),
		cmocka_unit_test(test_refuse_operator_live),
		cmocka_unit_test(test_sudoers_parser),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
