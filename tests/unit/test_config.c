/*
 * test_config.c — the configuration file: every key, defaults, and errors
 * that name the file and line while the good lines still apply.
 */
#include "testutil.h"
#include "core/config.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void test_defaults(void **state)
{
	(void)state;
	rs_config c;
	rs_config_init(&c);
	assert_int_equal(c.max_size, 64ULL << 20);
	assert_int_equal(c.fail_on, RS_SEV_HIGH);
	assert_false(c.fail_never);
	assert_string_equal(c.db_path, RS_DEFAULT_DB);
	assert_int_equal(c.threads, 0);
	assert_int_equal(c.timeout, 60);
	rs_config_free(&c);
}

static void test_every_key(void **state)
{
	(void)state;
	const char *text = "# rasoat\n"
			   "exclude = /var/lib/docker/*\n"
			   "exclude=/srv/big   # trailing comment\n"
			   "rules = /opt/rules\n"
			   "max_size = 16M\n"
			   "threads = 4\n"
			   "timeout = 300\n"
			   "fail_on = medium\n"
			   "db = \"/tmp/x.db\"\n"
			   "one_file_system = yes\n"
			   "management = [2001:db8::7]:8443\n"
			   "recent_days = 30\n"
			   "webroot_recent_days = 14\n"
			   "devices = /srv/nms/configs\n"
			   "devices = /srv/nms/firewalls\n";
	rs_config c;
	rs_config_init(&c);
	assert_int_equal(rs_config_parse(&c, text, strlen(text), "t.conf"), 0);
	assert_int_equal(c.n_excludes, 2);
	assert_string_equal(c.excludes[0], "/var/lib/docker/*");
	assert_string_equal(c.excludes[1], "/srv/big");
	assert_int_equal(c.n_rule_dirs, 1);
	assert_int_equal(c.max_size, 16ULL << 20);
	assert_int_equal(c.threads, 4);
	assert_int_equal(c.timeout, 300);
	assert_int_equal(c.fail_on, RS_SEV_MEDIUM);
	assert_string_equal(c.db_path, "/tmp/x.db");
	assert_true(c.one_file_system);
	assert_int_equal(c.recent_days, 30);
	assert_int_equal(c.webroot_recent_days, 14);
	assert_string_equal(c.management, "[2001:db8::7]:8443");
	assert_int_equal(c.n_devices, 2);
	assert_string_equal(c.devices[1], "/srv/nms/firewalls");
	rs_config_free(&c);
}

/* webroot_recent_days: 0 to 36500 days; a bad value names the file and line
 * and leaves the default (30). */
static void test_webroot_recent_days(void **state)
{
	(void)state;
	const char *text = "webroot_recent_days = -1\n"
			   "webroot_recent_days = soon\n"
			   "webroot_recent_days = 36501\n";
	rs_config c;
	rs_config_init(&c);
	assert_int_equal(c.webroot_recent_days, 30);
	rs_test_capture_start();
	assert_int_equal(rs_config_parse(&c, text, strlen(text), "/etc/rasoat/rasoat.conf"), 3);
	assert_true(rs_test_captured_contains("/etc/rasoat/rasoat.conf:2: bad value \"soon\" for webroot_recent_days"));
	rs_test_capture_stop();
	assert_int_equal(c.webroot_recent_days, 30);
	assert_int_equal(rs_config_parse(&c, "webroot_recent_days = 0\n", 24, "x.conf"), 0);
	assert_int_equal(c.webroot_recent_days, 0);
	rs_config_free(&c);
}

static void test_errors_name_file_and_line(void **state)
{
	(void)state;
	const char *text = "threads = 2\n"
			   "colour = blue\n"
			   "max_size = lots\n"
			   "just words\n"
			   "fail_on = severe\n"
			   "threads = -1\n"
			   "recent_days = 3\n"
			   "timeout = 0\n"
			   "timeout = 86401\n"
			   "management = \n";
	rs_config c;
	rs_config_init(&c);
	rs_test_capture_start();
	assert_int_equal(rs_config_parse(&c, text, strlen(text), "/etc/rasoat/rasoat.conf"), 8);
	assert_int_equal(rs_test_captured_count(), 8);
	assert_true(rs_test_captured_contains("/etc/rasoat/rasoat.conf:10:"));
	assert_true(rs_test_captured_contains("/etc/rasoat/rasoat.conf:2: unknown key \"colour\""));
	assert_true(rs_test_captured_contains("/etc/rasoat/rasoat.conf:3: bad value \"lots\" for max_size"));
	assert_true(rs_test_captured_contains("/etc/rasoat/rasoat.conf:4: expected"));
	assert_true(rs_test_captured_contains("/etc/rasoat/rasoat.conf:5:"));
	assert_true(rs_test_captured_contains("/etc/rasoat/rasoat.conf:6:"));
	assert_true(rs_test_captured_contains("/etc/rasoat/rasoat.conf:8: bad value \"0\" for timeout: not a number of seconds (1 to 86400)"));
	assert_true(rs_test_captured_contains("/etc/rasoat/rasoat.conf:9: bad value \"86401\" for timeout"));
	rs_test_capture_stop();
	/* the good lines still apply */
	assert_int_equal(c.threads, 2);
	assert_int_equal(c.recent_days, 3);
	assert_int_equal(c.timeout, 60);
	rs_config_free(&c);
}

static void test_sizes(void **state)
{
	(void)state;
	unsigned long long n;
	assert_true(rs_config_set_size(&n, "100"));
	assert_int_equal(n, 100);
	assert_true(rs_config_set_size(&n, "2k"));
	assert_int_equal(n, 2048);
	assert_true(rs_config_set_size(&n, "3MiB"));
	assert_int_equal(n, 3ULL << 20);
	assert_true(rs_config_set_size(&n, "1G"));
	assert_int_equal(n, 1ULL << 30);
	assert_false(rs_config_set_size(&n, ""));
	assert_false(rs_config_set_size(&n, "-5"));
	assert_false(rs_config_set_size(&n, "5X"));
	assert_false(rs_config_set_size(&n, "99999999999999999999G"));
	assert_false(rs_config_set_size(&n, "17179869184G"));
}

static void test_fail_on(void **state)
{
	(void)state;
	rs_config c;
	rs_config_init(&c);
	assert_true(rs_config_set_fail_on(&c, "none"));
	assert_true(c.fail_never);
	assert_true(rs_config_set_fail_on(&c, "critical"));
	assert_false(c.fail_never);
	assert_int_equal(c.fail_on, RS_SEV_CRITICAL);
	assert_false(rs_config_set_fail_on(&c, "HIGH"));
	rs_config_free(&c);
}

static void test_load_files(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	rs_test_write(dir, "ok.conf", "threads = 3\n");
	rs_test_write(dir, "bad.conf", "nope = 1\n");
	char *ok = rs_sprintf("%s/ok.conf", dir);
	char *bad = rs_sprintf("%s/bad.conf", dir);
	char *missing = rs_sprintf("%s/missing.conf", dir);
	char *fifo = rs_sprintf("%s/fifo.conf", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);

	rs_config c;
	rs_config_init(&c);
	assert_int_equal(rs_config_load(&c, ok, true), 0);
	assert_int_equal(c.threads, 3);
	/* a missing default file is fine, a missing named one is not */
	assert_int_equal(rs_config_load(&c, missing, false), 0);
	rs_test_capture_start();
	assert_int_equal(rs_config_load(&c, missing, true), -1);
	assert_true(rs_test_captured_contains(missing));
	assert_int_equal(rs_config_load(&c, bad, true), -1);
	assert_true(rs_test_captured_contains(":1: unknown key \"nope\""));
	/* a FIFO is refused at once rather than read (which would block) */
	assert_int_equal(rs_config_load(&c, fifo, true), -1);
	assert_true(rs_test_captured_contains("not a regular file"));
	rs_test_capture_stop();
	rs_config_free(&c);

	rs_test_rmrf(dir);
	free(ok);
	free(bad);
	free(missing);
	free(fifo);
	free(dir);
}

static void test_binary_junk(void **state)
{
	(void)state;
	const char junk[] = "\x00\xff\xfe=\x01\nthreads\x00= 2\n=\n==\n\xc3\x28 = 1\n";
	rs_config c;
	rs_config_init(&c);
	rs_test_capture_start();
	assert_true(rs_config_parse(&c, junk, sizeof(junk) - 1, "junk") > 0);
	rs_test_capture_stop();
	rs_config_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_webroot_recent_days),
		cmocka_unit_test(test_errors_name_file_and_line),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_fail_on),
		cmocka_unit_test(test_load_files),
		cmocka_unit_test(test_binary_junk),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
