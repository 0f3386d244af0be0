/*
 * test_audit_rule.c — the SCA rule language and its evaluation: parsing of
 * f:/d:/p:/c: with not, ->, &&, r:/!r:/n:/literal tests and rasoat's
 * perm:/uid:/gid:; Wazuh's quirks (compare => read as ==, n: without
 * compare loads but cannot be evaluated); malformed rules refused; content
 * tests joined on one line; rules evaluated against a temporary root;
 * commands split without a shell, timed out, not found.
 */
#include "testutil.h"
#include "audit/sca.h"
#include "core/host.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int parse(rs_sca_rule *r, const char *text, rs_sca_dialect d)
{
	char err[512];
	return rs_sca_rule_parse(r, text, d, err, sizeof(err));
}

static void test_parse_kinds(void **state)
{
	(void)state;
	rs_sca_rule r;
	assert_int_equal(parse(&r, "not f:/etc/ssh/sshd_config -> r:^PermitRootLogin\\s+yes && !r:#", RS_SCA_OSSEC), 0);
	assert_true(r.negate);
	assert_int_equal(r.kind, RS_SCA_FILE);
	assert_string_equal(r.target, "/etc/ssh/sshd_config");
	assert_int_equal(r.content.len, 2);
	assert_int_equal(r.content.items[1].kind, RS_SCA_T_NOT_REGEX);
	rs_sca_rule_free(&r);

	assert_int_equal(parse(&r, "d:/etc/audit/rules.d -> r:\\.rules$ -> r:-e 2", RS_SCA_PCRE2), 0);
	assert_true(r.has_name && r.has_content);
	rs_sca_rule_free(&r);

	assert_int_equal(parse(&r, "c:sshd -T -> n:^maxauthtries\\s+(\\d+) compare <= 4", RS_SCA_PCRE2), 0);
	assert_int_equal(r.kind, RS_SCA_CMD);
	assert_int_equal(r.content.items[0].op, RS_SCA_LE);
	assert_int_equal(r.content.items[0].value, 4);
	rs_sca_rule_free(&r);

	/* Wazuh reads "=>" as "==" */
	assert_int_equal(parse(&r, "f:/x -> n:^a=(\\d+) compare => 3", RS_SCA_PCRE2), 0);
	assert_int_equal(r.content.items[0].op, RS_SCA_EQ);
	assert_string_equal(r.content.items[0].op_text, "=>");
	rs_sca_rule_free(&r);

	/* n: without compare loads (as in Wazuh) but is marked broken */
	assert_int_equal(parse(&r, "f:/etc/security/faillock.conf -> n:root_unlock_time >= 60", RS_SCA_OSSEC), 0);
	assert_non_null(r.broken);
	rs_sca_rule_free(&r);

	/* a second arrow outside d: stays in the pattern, like Wazuh */
	assert_int_equal(parse(&r, "c:auditctl -l -> r:.+\\.rules$ -> r:^-w", RS_SCA_PCRE2), 0);
	assert_int_equal(r.content.len, 1);
	rs_sca_rule_free(&r);

	assert_int_equal(parse(&r, "f:/etc/shadow -> perm:0640 && uid:0", RS_SCA_PCRE2), 0);
	assert_true(r.stat_tests);
	assert_int_equal(r.content.items[0].value, 0640);
	rs_sca_rule_free(&r);
}

static void test_parse_malformed(void **state)
{
	(void)state;
	rs_sca_rule r;
	char err[512];
	assert_int_equal(rs_sca_rule_parse(&r, "x:/etc/passwd", RS_SCA_OSSEC, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unknown rule type"));
	rs_sca_rule_free(&r);
	assert_int_equal(rs_sca_rule_parse(&r, "f:/etc/passwd -> r:(root", RS_SCA_OSSEC, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unbalanced"));
	rs_sca_rule_free(&r);
	assert_int_equal(rs_sca_rule_parse(&r, "f: -> r:x", RS_SCA_OSSEC, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no target"));
	rs_sca_rule_free(&r);
	assert_int_equal(rs_sca_rule_parse(&r, "passwd", RS_SCA_OSSEC, err, sizeof(err)), -1);
	rs_sca_rule_free(&r);
	assert_int_equal(rs_sca_rule_parse(&r, "p:sshd -> r:x", RS_SCA_OSSEC, err, sizeof(err)), -1);
	rs_sca_rule_free(&r);
	assert_int_equal(rs_sca_rule_parse(&r, "f:/x -> perm:9z", RS_SCA_OSSEC, err, sizeof(err)), -1);
	rs_sca_rule_free(&r);
	assert_int_equal(rs_sca_rule_parse(&r, "f:/x -> perm:0644 && r:x", RS_SCA_OSSEC, err, sizeof(err)), -1);
	rs_sca_rule_free(&r);
}

static void test_content_same_line(void **state)
{
	(void)state;
	rs_sca_rule r;
	assert_int_equal(parse(&r, "f:/x -> r:NAME= && r:Debian", RS_SCA_PCRE2), 0);
	const char *t1 = "NAME=\"Ubuntu\"\nID_LIKE=debian\n";
	const char *t2 = "ID=x\r\nNAME=\"Debian GNU/Linux\"\r\n";
	int line = 0;
	char *text = NULL;
	assert_false(rs_sca_content_match(&r.content, t1, strlen(t1), &line, &text));
	assert_true(rs_sca_content_match(&r.content, t2, strlen(t2), &line, &text));
	assert_int_equal(line, 2);
	assert_string_equal(text, "NAME=\"Debian GNU/Linux\"");
	free(text);
	rs_sca_rule_free(&r);

	assert_int_equal(parse(&r, "f:/proc/sys/kernel/ostype -> Linux", RS_SCA_OSSEC), 0);
	assert_true(rs_sca_content_match(&r.content, "Linux\n", 6, NULL, NULL));
	assert_false(rs_sca_content_match(&r.content, "Linux2\n", 7, NULL, NULL));
	rs_sca_rule_free(&r);

	assert_int_equal(parse(&r, "f:/x -> n:^PASS_MAX_DAYS\\s+(\\d+) compare <= 365", RS_SCA_PCRE2), 0);
	assert_true(rs_sca_content_match(&r.content, "PASS_MAX_DAYS 90\n", 17, NULL, NULL));
	assert_false(rs_sca_content_match(&r.content, "PASS_MAX_DAYS 99999\n", 20, NULL, NULL));
	rs_sca_rule_free(&r);
}

typedef struct fixture {
	char *dir;
	rs_host host;
	rs_sca_ctx ctx;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	f->dir = rs_test_tmpdir();
	rs_test_write(f->dir, "etc/ssh/sshd_config", "# PermitRootLogin yes\nPermitRootLogin yes\nX11Forwarding no\n");
	rs_test_write(f->dir, "etc/modprobe.d/cramfs.conf", "install cramfs /bin/false\n");
	rs_test_write(f->dir, "etc/modprobe.d/readme", "install cramfs /bin/false\n");
	rs_test_write(f->dir, "etc/shadow", "root:$6$x:19000:0:99999:7:::\n");
	char *p = rs_sprintf("%s/etc/shadow", f->dir);
	chmod(p, 0644);
	free(p);
	assert_int_equal(rs_host_init(&f->host, f->dir, ""), 0);
	f->ctx.host = &f->host;
	f->ctx.cmd_timeout_ms = 2000;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	rs_host_free(&f->host);
	rs_test_rmrf(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static rs_sca_result eval(fixture *f, const char *text, char **reason)
{
	rs_sca_rule r;
	assert_int_equal(parse(&r, text, RS_SCA_PCRE2), 0);
	json_t *ev = NULL;
	rs_sca_result res = rs_sca_rule_eval(&f->ctx, &r, reason, &ev);
	json_decref(ev);
	rs_sca_rule_free(&r);
	return res;
}

static void test_eval_files(void **state)
{
	fixture *f = *state;
	char *why = NULL;
	assert_int_equal(eval(f, "f:/etc/ssh/sshd_config -> r:^PermitRootLogin\\s+yes", &why), RS_SCA_FOUND);
	assert_int_equal(eval(f, "not f:/etc/ssh/sshd_config -> r:^PermitRootLogin\\s+yes", &why), RS_SCA_NOT_FOUND);
	assert_int_equal(eval(f, "f:/etc/ssh/sshd_config -> r:^X11Forwarding\\s+yes", &why), RS_SCA_NOT_FOUND);
	assert_int_equal(eval(f, "f:/etc/ssh/sshd_config", &why), RS_SCA_FOUND);
	assert_int_equal(eval(f, "not f:/etc/hosts.equiv", &why), RS_SCA_FOUND);
	/* a missing file with content tests cannot be decided (as in Wazuh) ... */
	assert_int_equal(eval(f, "not f:/etc/nope -> r:x", &why), RS_SCA_INVALID);
	assert_non_null(strstr(why, "/etc/nope does not exist"));
	free(why);
	/* ... unless the policy says missing_files: not_found */
	f->ctx.missing_not_found = true;
	assert_int_equal(eval(f, "not f:/etc/nope -> r:x", &why), RS_SCA_FOUND);
	f->ctx.missing_not_found = false;
	/* a list: found when one is */
	assert_int_equal(eval(f, "f:/etc/nope,/etc/ssh/sshd_config -> r:X11Forwarding", &why), RS_SCA_FOUND);
	/* /proc on a --root scan */
	assert_int_equal(eval(f, "f:/proc/sys/kernel/ostype -> r:Linux", &why), RS_SCA_INVALID);
	free(why);
	/* metadata */
	assert_int_equal(eval(f, "f:/etc/shadow -> perm:0640", &why), RS_SCA_NOT_FOUND);
	assert_int_equal(eval(f, "f:/etc/shadow -> !perm:0640", &why), RS_SCA_FOUND);
	assert_int_equal(eval(f, "f:/etc/shadow -> perm:0777", &why), RS_SCA_FOUND);
	/* a missing file's permissions are never decided, not even under
	 * missing_files: not_found (no "sudoers mode 0440" failure without sudo) */
	f->ctx.missing_not_found = true;
	assert_int_equal(eval(f, "f:/etc/sudoers -> perm:0440 && uid:0", &why), RS_SCA_INVALID);
	assert_non_null(strstr(why, "/etc/sudoers does not exist"));
	free(why);
	assert_int_equal(eval(f, "f:/etc/sudoers -> !perm:0440", &why), RS_SCA_INVALID);
	free(why);
	f->ctx.missing_not_found = false;
}

static void test_eval_dirs_and_live_only(void **state)
{
	fixture *f = *state;
	char *why = NULL;
	assert_int_equal(eval(f, "d:/etc/modprobe.d -> r:\\.conf$ -> r:^install cramfs /bin/false", &why), RS_SCA_FOUND);
	assert_int_equal(eval(f, "d:/etc/modprobe.d -> r:\\.conf$ -> r:^install udf", &why), RS_SCA_NOT_FOUND);
	assert_int_equal(eval(f, "d:/etc -> r:^cramfs\\.conf$", &why), RS_SCA_FOUND); /* recursive */
	char *const excludes[] = { "/etc/modprobe.d" };
	f->ctx.excludes = excludes; /* exclude globs keep walks out */
	f->ctx.n_excludes = 1;
	assert_int_equal(eval(f, "d:/etc -> r:^cramfs\\.conf$", &why), RS_SCA_NOT_FOUND);
	f->ctx.n_excludes = 0;
	assert_int_equal(eval(f, "d:/etc/nothing -> r:\\.conf$ -> r:x", &why), RS_SCA_INVALID);
	free(why);
	assert_int_equal(eval(f, "p:sshd", &why), RS_SCA_INVALID);
	free(why);
	assert_int_equal(eval(f, "c:echo hi -> r:hi", &why), RS_SCA_INVALID);
	assert_non_null(strstr(why, "live host"));
	free(why);
}

static void test_commands(void **state)
{
	(void)state;
	char **argv = rs_sca_command_argv("sh -c \"cut -f1 -d\\\":\\\" /etc/group | wc -l\" 'a b'");
	assert_non_null(argv);
	assert_string_equal(argv[0], "sh");
	assert_string_equal(argv[1], "-c");
	assert_string_equal(argv[2], "cut -f1 -d\":\" /etc/group | wc -l");
	assert_string_equal(argv[3], "a b");
	assert_null(argv[4]);
	rs_sca_argv_free(argv);
	assert_null(rs_sca_command_argv("echo 'unbalanced"));

	rs_sca_cmd_cache *c = rs_sca_cmd_cache_new();
	const char *out;
	size_t len;
	char *why = NULL;
	/* no shell: the | reaches echo as a word */
	assert_int_equal(rs_sca_command_run(c, "echo a | b", 2000, &out, &len, &why), 0);
	assert_string_equal(out, "a | b\n");
	/* clean environment */
	assert_int_equal(rs_sca_command_run(c, "env", 2000, &out, &len, &why), 0);
	assert_non_null(strstr(out, "LC_ALL=C"));
	assert_null(strstr(out, "HOME=/root"));
	assert_int_equal(rs_sca_command_run(c, "no-such-command-rasoat", 2000, &out, &len, &why), -1);
	assert_non_null(strstr(why, "not found"));
	free(why);
	assert_int_equal(rs_sca_command_run(c, "sleep 5", 300, &out, &len, &why), -1);
	assert_non_null(strstr(why, "timed out"));
	free(why);
	rs_sca_cmd_cache_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_kinds),
		cmocka_unit_test(test_parse_malformed),
		cmocka_unit_test(test_content_same_line),
		cmocka_unit_test_setup_teardown(test_eval_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_eval_dirs_and_live_only, setup, teardown),
		cmocka_unit_test(test_commands),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
