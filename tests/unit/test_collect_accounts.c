/*
 * test_collect_accounts.c — passwd, shadow and group parsing: fields, the
 * password states (never the hash), malformed lines warned about with file
 * and line, NIS compat lines, and reads through the host handle (a FIFO
 * named /etc/shadow must warn, not hang).
 */
#include "testutil.h"
#include "collect/facts.h"
#include "core/host.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HASH "$6$salt$Zm9vYmFyYmF6cXV4"

static const rs_user *user(const rs_facts *f, const char *name)
{
	return rs_facts_user_by_name(f, name);
}

static void test_passwd_fields(void **state)
{
	(void)state;
	const char *text =
		"root:x:0:0:root:/root:/bin/bash\n"
		"daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
		"+nisuser::::::\n"
		"-\n"
		"\n"
		"alice:x:1000:1000:Alice A,,,:/home/alice:/bin/zsh\n";
	rs_facts f;
	rs_facts_init(&f);
	rs_test_capture_start();
	assert_int_equal(rs_parse_passwd(text, strlen(text), "passwd", &f.users), 0);
	assert_int_equal(rs_test_captured_count(), 0);
	rs_test_capture_stop();
	assert_int_equal(f.users.len, 3);
	const rs_user *alice = user(&f, "alice");
	assert_non_null(alice);
	assert_int_equal(alice->uid, 1000);
	assert_int_equal(alice->gid, 1000);
	assert_string_equal(alice->gecos, "Alice A,,,");
	assert_string_equal(alice->home, "/home/alice");
	assert_string_equal(alice->shell, "/bin/zsh");
	assert_int_equal(alice->password, RS_PW_NONE);
	assert_int_equal(alice->last_change, -1);
	assert_int_equal(alice->max_days, -1);
	rs_facts_free(&f);
}

/* A file edited on another system may end lines with CR LF: the entries
 * are still read, without the CR. */
static void test_passwd_crlf(void **state)
{
	(void)state;
	const char *text = "root:x:0:0:root:/root:/bin/bash\r\ntoor:x:0:0::/root:/bin/sh\r\n";
	rs_facts f;
	rs_facts_init(&f);
	rs_test_capture_start();
	assert_int_equal(rs_parse_passwd(text, strlen(text), "passwd", &f.users), 0);
	assert_int_equal(rs_test_captured_count(), 0);
	rs_test_capture_stop();
	assert_int_equal(f.users.len, 2);
	const rs_user *toor = user(&f, "toor");
	assert_non_null(toor);
	assert_int_equal(toor->uid, 0);
	assert_string_equal(toor->shell, "/bin/sh");
	rs_facts_free(&f);
}

static void test_passwd_malformed(void **state)
{
	(void)state;
	const char *text =
		"root:x:0:0:root:/root:/bin/bash\n"  /* 1 */
		"short:x:5:5\n"                      /* 2 */
		"baduid:x:abc:5::/:/bin/sh\n"        /* 3 */
		"neg:x:-4:5::/:/bin/sh\n"            /* 4 */
		":x:7:7::/:/bin/sh\n"                /* 5 */
		"toomany:x:8:8::/:/bin/sh:extra\n"   /* 6 */
		"bob:x:1001:1001::/home/bob:/bin/sh\n"
		"nonl:x:1002:1002::/:/bin/sh";
	rs_facts f;
	rs_facts_init(&f);
	rs_test_capture_start();
	assert_int_equal(rs_parse_passwd(text, strlen(text), "/etc/passwd", &f.users), 5);
	assert_true(rs_test_captured_contains("/etc/passwd:2: passwd entry with 4 fields"));
	assert_true(rs_test_captured_contains("/etc/passwd:3: passwd entry with a uid"));
	assert_true(rs_test_captured_contains("/etc/passwd:4: passwd entry with a uid"));
	assert_true(rs_test_captured_contains("/etc/passwd:5: passwd entry without a user name"));
	assert_true(rs_test_captured_contains("/etc/passwd:6: passwd entry with 8 fields"));
	rs_test_capture_stop();
	assert_int_equal(f.users.len, 3);
	assert_non_null(user(&f, "root"));
	assert_non_null(user(&f, "bob"));
	assert_non_null(user(&f, "nonl"));
	rs_facts_free(&f);
}

static void test_shadow_states(void **state)
{
	(void)state;
	const char *passwd =
		"root:x:0:0::/root:/bin/bash\n"
		"set:x:1:1::/:/bin/sh\n"
		"empty:x:2:2::/:/bin/sh\n"
		"bang:x:3:3::/:/bin/sh\n"
		"bangbang:x:4:4::/:/bin/sh\n"
		"star:x:5:5::/:/bin/sh\n"
		"lockedhash:x:6:6::/:/bin/sh\n"
		"noshadow:x:7:7::/:/bin/sh\n"
		"nopw::8:8::/:/bin/sh\n"
		"oldstyle:" HASH ":9:9::/:/bin/sh\n"
		"dup:x:10:10::/:/bin/sh\n";
	const char *shadow =
		"root:" HASH ":19000:0:99999:7:::\n"
		"set:" HASH ":19001::90::::\n"
		"empty::19002:0:99999:7:::\n"
		"bang:!:19003:0:99999:7:::\n"
		"bangbang:!!:::::::\n"
		"star:*:19005:0:99999:7:::\n"
		"lockedhash:!" HASH ":19006:0:99999:7:::\n"
		"nopw:" HASH ":19007:0:99999:7:::\n"
		"unknown:" HASH ":19008:0:99999:7:::\n"
		"dup:*:1:::::: \n"
		"dup:" HASH ":2:::::: \n";
	rs_facts f;
	rs_facts_init(&f);
	rs_test_capture_start();
	assert_int_equal(rs_parse_passwd(passwd, strlen(passwd), "passwd", &f.users), 0);
	assert_int_equal(rs_parse_shadow(shadow, strlen(shadow), "shadow", &f.users), 0);
	assert_int_equal(rs_test_captured_count(), 0);
	rs_test_capture_stop();
	assert_int_equal(user(&f, "root")->password, RS_PW_SET);
	assert_int_equal(user(&f, "root")->last_change, 19000);
	assert_int_equal(user(&f, "root")->max_days, 99999);
	assert_int_equal(user(&f, "set")->password, RS_PW_SET);
	assert_int_equal(user(&f, "set")->max_days, 90);
	assert_int_equal(user(&f, "empty")->password, RS_PW_EMPTY);
	assert_int_equal(user(&f, "bang")->password, RS_PW_LOCKED);
	assert_int_equal(user(&f, "bangbang")->password, RS_PW_LOCKED);
	assert_int_equal(user(&f, "bangbang")->last_change, -1);
	assert_int_equal(user(&f, "bangbang")->max_days, -1);
	assert_int_equal(user(&f, "star")->password, RS_PW_LOCKED);
	assert_int_equal(user(&f, "lockedhash")->password, RS_PW_LOCKED);
	assert_int_equal(user(&f, "noshadow")->password, RS_PW_NONE);
	/* An empty passwd field is the password: shadow is not consulted. */
	assert_int_equal(user(&f, "nopw")->password, RS_PW_EMPTY);
	assert_int_equal(user(&f, "oldstyle")->password, RS_PW_SET);
	/* The first shadow entry of a name wins. */
	assert_int_equal(user(&f, "dup")->password, RS_PW_LOCKED);
	assert_int_equal(user(&f, "dup")->last_change, 1);
	assert_null(user(&f, "unknown"));

	/* No string of the result holds the hash. */
	json_t *doc = rs_facts_to_json(&f);
	char *dump = json_dumps(doc, JSON_COMPACT);
	assert_null(strstr(dump, "Zm9vYmFy"));
	free(dump);
	json_decref(doc);
	rs_facts_free(&f);
}

static void test_shadow_and_group_malformed(void **state)
{
	(void)state;
	const char *passwd = "root:x:0:0::/root:/bin/bash\nbob:x:1:1::/:/bin/sh\n";
	const char *shadow =
		"garbage-without-colon\n"                  /* 1 */
		"root:" HASH ":notanumber:0:99999:7:::\n" /* 2 */
		"bob:!:1:0:99999:7:::\n";
	const char *group =
		"root:x:0:\n"
		"adm:x:4:syslog,alice\n"
		"broken:x:5\n"                             /* 3 */
		"badgid:x:zz:\n"                           /* 4 */
		"+\n"
		"sudo:x:27:alice\n";
	rs_facts f;
	rs_facts_init(&f);
	rs_test_capture_start();
	rs_parse_passwd(passwd, strlen(passwd), "passwd", &f.users);
	assert_int_equal(rs_parse_shadow(shadow, strlen(shadow), "/etc/shadow", &f.users), 2);
	assert_true(rs_test_captured_contains("/etc/shadow:1: shadow entry without"));
	assert_true(rs_test_captured_contains("/etc/shadow:2: shadow entry with a day count"));
	assert_false(rs_test_captured_contains("Zm9v"));
	assert_false(rs_test_captured_contains("garbage"));
	assert_int_equal(rs_parse_group(group, strlen(group), "/etc/group", &f.groups), 2);
	assert_true(rs_test_captured_contains("/etc/group:3: group entry with 3 fields"));
	assert_true(rs_test_captured_contains("/etc/group:4: group entry with a gid"));
	rs_test_capture_stop();
	assert_int_equal(user(&f, "root")->password, RS_PW_SET);
	assert_int_equal(user(&f, "root")->last_change, -1);
	assert_int_equal(user(&f, "bob")->password, RS_PW_LOCKED);
	assert_int_equal(f.groups.len, 3);
	const rs_group *adm = rs_vec_at(&f.groups, 1);
	assert_string_equal(adm->name, "adm");
	assert_int_equal(adm->gid, 4);
	assert_string_equal(adm->members, "syslog,alice");
	rs_facts_free(&f);
}

static void test_nul_bytes(void **state)
{
	(void)state;
	static const char text[] = "root:x:0:0::/root:/bin/bash\nev\0il:x:0:0::/:/bin/sh\nbob:x:1:1::/:/bin/sh\n";
	rs_facts f;
	rs_facts_init(&f);
	rs_test_capture_start();
	assert_int_equal(rs_parse_passwd(text, sizeof(text) - 1, "pw", &f.users), 1);
	assert_true(rs_test_captured_contains("pw:2: NUL byte"));
	rs_test_capture_stop();
	assert_int_equal(f.users.len, 2);
	rs_facts_free(&f);
}

static void test_host_fifo_shadow(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	rs_test_write(dir, "etc/passwd",
		      "root:x:0:0:root:/root:/bin/bash\n"
		      "broken:x:1\n"
		      "alice:x:1000:1000::/home/alice:/bin/bash\n");
	rs_test_write(dir, "etc/group", "root:x:0:\n");
	char *fifo = rs_sprintf("%s/etc/shadow", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	rs_host h;
	assert_int_equal(rs_host_init(&h, dir, ""), 0);
	rs_facts f;
	rs_facts_init(&f);
	rs_test_capture_start();
	assert_int_equal(rs_collect_accounts(&h, &f), 2);
	char *bad_line = rs_sprintf("%s/etc/passwd:2:", dir);
	char *bad_shadow = rs_sprintf("%s/etc/shadow: cannot read", dir);
	assert_true(rs_test_captured_contains(bad_line));
	assert_true(rs_test_captured_contains(bad_shadow));
	rs_test_capture_stop();
	assert_int_equal(f.users.len, 2);
	assert_int_equal(user(&f, "alice")->password, RS_PW_NONE);
	assert_int_equal(f.groups.len, 1);
	free(bad_line);
	free(bad_shadow);
	free(fifo);
	rs_facts_free(&f);
	rs_host_free(&h);
	rs_test_rmrf(dir);
	free(dir);
}

static void test_host_shadow_symlink_stays_inside(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	rs_test_write(dir, "etc/passwd", "root:x:0:0:root:/root:/bin/bash\n");
	rs_test_write(dir, "inside/shadow", "root:!:1:0:2:7:::\n");
	char *link = rs_sprintf("%s/etc/shadow", dir);
	/* Absolute and climbing: resolved inside the root, never the real one. */
	assert_int_equal(symlink("/../../../../inside/shadow", link), 0);
	rs_host h;
	assert_int_equal(rs_host_init(&h, dir, ""), 0);
	rs_facts f;
	rs_facts_init(&f);
	rs_test_capture_start();
	assert_int_equal(rs_collect_accounts(&h, &f), 0);
	rs_test_capture_stop();
	assert_int_equal(user(&f, "root")->password, RS_PW_LOCKED);
	assert_int_equal(user(&f, "root")->max_days, 2);
	free(link);
	rs_facts_free(&f);
	rs_host_free(&h);
	rs_test_rmrf(dir);
	free(dir);
}

/* Which passwd shell fields let an account log in: the audit, persist and
 * respond checks all ask rs_user_login_shell. */
static void test_login_shell(void **state)
{
	(void)state;
	assert_true(rs_user_login_shell("/bin/bash"));
	assert_true(rs_user_login_shell("/usr/bin/zsh"));
	assert_true(rs_user_login_shell(""));   /* empty: /bin/sh (passwd(5)) */
	assert_true(rs_user_login_shell(NULL));
	assert_true(rs_user_login_shell("/usr/sbin/nologin-not"));
	assert_false(rs_user_login_shell("/usr/sbin/nologin"));
	assert_false(rs_user_login_shell("/sbin/nologin"));
	assert_false(rs_user_login_shell("nologin"));
	assert_false(rs_user_login_shell("/bin/false"));
	assert_false(rs_user_login_shell("/usr/bin/true"));
	assert_false(rs_user_login_shell("/bin/sync"));
	assert_false(rs_user_login_shell("/sbin/halt"));
	assert_false(rs_user_login_shell("/sbin/shutdown"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_passwd_fields),
		cmocka_unit_test(test_login_shell),
		cmocka_unit_test(test_passwd_crlf),
		cmocka_unit_test(test_passwd_malformed),
		cmocka_unit_test(test_shadow_states),
		cmocka_unit_test(test_shadow_and_group_malformed),
		cmocka_unit_test(test_nul_bytes),
		cmocka_unit_test(test_host_fifo_shadow),
		cmocka_unit_test(test_host_shadow_symlink_stays_inside),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
