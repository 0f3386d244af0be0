/*
 * test_persist_traces.c — the parsers behind the persist module's
 * anti-forensics, hidden-file and PAM-stack checks (persist/traces.h):
 * names that hide and the host's own look-alikes, what a file holds, utmp
 * records (zeroed, cut, of unknown type), journal file headers (valid,
 * foreign, cut short, inconsistent) and PAM lines and stacks (the Debian
 * stacks are clean, the backdoors are high), each with malformed input.
 */
#include "testutil.h"
#include "persist/traces.h"

#include <stdlib.h>
#include <string.h>

/* ---- hidden names and content ---- */

static void test_hidden_names(void **state)
{
	(void)state;
	assert_int_equal(rs_hidden_classify(".x", false, true, false), RS_HIDDEN_DOT);
	assert_int_equal(rs_hidden_classify(".ssh-agent", true, true, false), RS_HIDDEN_DOT);
	assert_int_equal(rs_hidden_classify("...", true, true, false), RS_HIDDEN_BLANK);
	assert_int_equal(rs_hidden_classify(" ", true, true, false), RS_HIDDEN_BLANK);
	assert_int_equal(rs_hidden_classify(". .", false, false, true), RS_HIDDEN_BLANK);
	assert_int_equal(rs_hidden_classify("notes ", false, true, false), RS_HIDDEN_BLANK);
	assert_int_equal(rs_hidden_classify("a\tb\x01", false, true, false), RS_HIDDEN_BLANK);
	assert_int_equal(rs_hidden_classify("kworker", true, true, false), RS_HIDDEN_SYSTEM);
	assert_int_equal(rs_hidden_classify("bin", true, true, false), RS_HIDDEN_SYSTEM);
	/* look-alikes: the host's own names, files, nested directories, tools' names in a project */
	assert_int_equal(rs_hidden_classify(".X11-unix", true, true, false), RS_HIDDEN_NONE);
	assert_int_equal(rs_hidden_classify(".ICE-unix", true, true, false), RS_HIDDEN_NONE);
	assert_int_equal(rs_hidden_classify(".X0-lock", false, true, false), RS_HIDDEN_NONE);
	assert_int_equal(rs_hidden_classify(".X-lock", false, true, false), RS_HIDDEN_DOT);
	assert_int_equal(rs_hidden_classify(".s.PGSQL.5432", false, true, false), RS_HIDDEN_NONE);
	assert_int_equal(rs_hidden_classify("kworker", false, true, false), RS_HIDDEN_NONE);
	assert_int_equal(rs_hidden_classify("bin", true, false, true), RS_HIDDEN_NONE);
	assert_int_equal(rs_hidden_classify(".git", true, false, true), RS_HIDDEN_NONE);
	assert_int_equal(rs_hidden_classify(".git", true, true, false), RS_HIDDEN_DOT);
	assert_int_equal(rs_hidden_classify(".htaccess", false, false, true), RS_HIDDEN_NONE);
	assert_int_equal(rs_hidden_classify("systemd-private-1234", true, true, false), RS_HIDDEN_NONE);
	assert_int_equal(rs_hidden_classify("report.txt", false, true, false), RS_HIDDEN_NONE);
	/* malformed */
	assert_int_equal(rs_hidden_classify("", false, true, false), RS_HIDDEN_NONE);
	assert_int_equal(rs_hidden_classify(NULL, false, true, false), RS_HIDDEN_NONE);
	assert_int_equal(rs_hidden_classify(".", true, true, false), RS_HIDDEN_NONE);
	assert_int_equal(rs_hidden_classify("..", true, true, false), RS_HIDDEN_NONE);
}

static void test_content(void **state)
{
	(void)state;
	const unsigned char elf[] = "\177ELF\2\1\1";
	const unsigned char sh[] = "#!/bin/sh\nid\n";
	const unsigned char gz[] = "\x1f\x8b\x08\x00";
	const unsigned char zip[] = "PK\3\4rest";
	const unsigned char php[] = "<?php eval($_POST[1]);";
	const unsigned char text[] = "hello world";
	unsigned char tar[600];
	memset(tar, 0, sizeof(tar));
	memcpy(tar + 257, "ustar", 5);
	assert_int_equal(rs_content_classify("x", 0100644, elf, 7), RS_CONTENT_EXECUTABLE);
	assert_int_equal(rs_content_classify("x", 0100644, sh, sizeof(sh) - 1), RS_CONTENT_SCRIPT);
	assert_int_equal(rs_content_classify("x", 0100644, gz, 4), RS_CONTENT_ARCHIVE);
	assert_int_equal(rs_content_classify("x", 0100644, zip, 8), RS_CONTENT_ARCHIVE);
	assert_int_equal(rs_content_classify("x", 0100644, tar, sizeof(tar)), RS_CONTENT_ARCHIVE);
	assert_int_equal(rs_content_classify("x", 0100644, php, sizeof(php) - 1), RS_CONTENT_SCRIPT);
	assert_int_equal(rs_content_classify("x", 0100755, text, 11), RS_CONTENT_EXECUTABLE);
	assert_int_equal(rs_content_classify("run.py", 0100644, text, 11), RS_CONTENT_SCRIPT);
	assert_int_equal(rs_content_classify("a.TGZ", 0100644, text, 11), RS_CONTENT_ARCHIVE);
	assert_int_equal(rs_content_classify("notes.txt", 0100644, text, 11), RS_CONTENT_OTHER);
	/* malformed: nothing read, no name, a name that is only an extension, truncated magic */
	assert_int_equal(rs_content_classify(NULL, 0100644, NULL, 0), RS_CONTENT_OTHER);
	assert_int_equal(rs_content_classify(".sh", 0100644, text, 0), RS_CONTENT_OTHER);
	assert_int_equal(rs_content_classify("x", 0100644, elf, 3), RS_CONTENT_OTHER);
	assert_int_equal(rs_content_classify("x", 0100644, tar, 261), RS_CONTENT_OTHER);
	assert_string_equal(rs_content_name(RS_CONTENT_ARCHIVE), "an archive");
}

/* ---- utmp ---- */

static void record(unsigned char *r, int type, const char *user, int32_t t)
{
	memset(r, 0, RS_UTMP_RECORD);
	r[0] = (unsigned char)type;
	memcpy(r + 8, "pts/0", 5);
	memcpy(r + 44, user, strlen(user));
	for (int i = 0; i < 4; i++)
		r[340 + i] = (unsigned char)((uint32_t)t >> (8 * i));
}

static void test_utmp(void **state)
{
	(void)state;
	size_t n = 5;
	unsigned char *buf = calloc(n, RS_UTMP_RECORD);
	record(buf, 7, "alice", 1700000000);
	record(buf + RS_UTMP_RECORD, 8, "alice", 1700000100);
	/* record 2 stays zero: wiped in place */
	record(buf + 3 * RS_UTMP_RECORD, 7, "bob", 1600000000); /* back in time */
	record(buf + 4 * RS_UTMP_RECORD, 77, "x", 1700000200);
	rs_utmp_stats s;
	memset(&s, 0, sizeof(s));
	rs_utmp_scan(buf, n * RS_UTMP_RECORD, &s);
	assert_int_equal(s.records, 5);
	assert_int_equal(s.null_records, 1);
	assert_int_equal(s.empty_records, 0);
	assert_true(s.wiped);
	assert_int_equal(s.first_wiped, 2 * RS_UTMP_RECORD);
	assert_int_equal(s.bad_type, 1);
	assert_int_equal(s.trailing, 0);
	assert_int_equal(s.first_time, 1700000000);
	assert_int_equal(s.backwards, 100000100);
	char user[33];
	assert_true(rs_utmp_login_user(buf, user, sizeof(user)));
	assert_string_equal(user, "alice");
	assert_false(rs_utmp_login_user(buf + RS_UTMP_RECORD, user, sizeof(user))); /* DEAD_PROCESS */
	assert_false(rs_utmp_login_user(buf + 2 * RS_UTMP_RECORD, user, sizeof(user)));
	assert_false(rs_utmp_login_user(buf, user, 3)); /* no room */
	/* a name of 32 bytes without a NUL, and one with a control character */
	memset(buf + 44, 'z', 32);
	assert_true(rs_utmp_login_user(buf, user, sizeof(user)));
	assert_int_equal(strlen(user), 32);
	buf[44] = '\n';
	assert_false(rs_utmp_login_user(buf, user, sizeof(user)));
	/* a cut file: whole records counted, the rest is trailing */
	memset(&s, 0, sizeof(s));
	rs_utmp_scan(buf, 2 * RS_UTMP_RECORD + 17, &s);
	assert_int_equal(s.records, 2);
	assert_int_equal(s.trailing, 17);
	memset(&s, 0, sizeof(s));
	rs_utmp_scan(buf, 0, &s);
	assert_int_equal(s.records, 0);
	free(buf);
	/* lastlog records: written, zeroed, only a host left (a half-wiped record) */
	unsigned char ll[RS_LASTLOG_RECORD];
	int64_t t = 0;
	memset(ll, 0, sizeof(ll));
	assert_false(rs_lastlog_parse(ll, &t));
	assert_int_equal(t, 0);
	ll[0] = 0x10;
	ll[3] = 0x65;
	memcpy(ll + 4, "pts/1", 5);
	assert_true(rs_lastlog_parse(ll, &t));
	assert_int_equal(t, 0x65000010);
	memset(ll, 0, 36);
	ll[100] = 'x';
	assert_true(rs_lastlog_parse(ll, &t));
	assert_int_equal(t, 0);
}

/* Records blanked to type 0 (EMPTY) with their data left, at their offsets,
 * fed in chunks as logs.c does; a clean file reports nothing. */
static void test_utmp_empty_records(void **state)
{
	(void)state;
	size_t n = 6;
	unsigned char *buf = calloc(n, RS_UTMP_RECORD);
	record(buf, 2, "reboot", 1700000000);                     /* BOOT_TIME */
	record(buf + RS_UTMP_RECORD, 7, "alice", 1700000100);
	record(buf + 2 * RS_UTMP_RECORD, 8, "alice", 1700000200);
	record(buf + 3 * RS_UTMP_RECORD, 7, "bob", 1700000300);
	record(buf + 4 * RS_UTMP_RECORD, 8, "bob", 1700000400);
	record(buf + 5 * RS_UTMP_RECORD, 1, "runlevel", 1700000500); /* RUN_LVL */
	rs_utmp_stats s;
	memset(&s, 0, sizeof(s));
	rs_utmp_scan(buf, n * RS_UTMP_RECORD, &s);
	assert_int_equal(s.records, 6);
	assert_int_equal(s.null_records + s.empty_records + s.bad_type, 0);
	assert_false(s.wiped);
	/* bob's login blanked: type 0, his name and time still there */
	buf[3 * RS_UTMP_RECORD] = 0;
	/* and the record after it zeroed whole */
	memset(buf + 4 * RS_UTMP_RECORD, 0, RS_UTMP_RECORD);
	memset(&s, 0, sizeof(s));
	rs_utmp_scan(buf, 3 * RS_UTMP_RECORD, &s); /* two chunks: offsets run on */
	rs_utmp_scan(buf + 3 * RS_UTMP_RECORD, 3 * RS_UTMP_RECORD, &s);
	assert_int_equal(s.records, 6);
	assert_int_equal(s.empty_records, 1);
	assert_int_equal(s.null_records, 1);
	assert_true(s.wiped);
	assert_int_equal(s.first_wiped, 3 * RS_UTMP_RECORD);
	/* malformed: a cut record holding only a type 0 is trailing, not a record */
	memset(&s, 0, sizeof(s));
	rs_utmp_scan(buf + 3 * RS_UTMP_RECORD, 100, &s);
	assert_int_equal(s.records, 0);
	assert_int_equal(s.trailing, 100);
	assert_false(s.wiped);
	free(buf);
}

/* Rotated copies named with a date (logrotate's dateext) and their look-alikes. */
static void test_dated_siblings(void **state)
{
	(void)state;
	assert_true(rs_log_dated_sibling("auth.log", "auth.log-20261201"));
	assert_true(rs_log_dated_sibling("auth.log", "auth.log-20261201.gz"));
	assert_true(rs_log_dated_sibling("auth.log", "auth.log-2026120113.xz"));
	assert_true(rs_log_dated_sibling("auth.log", "auth.log-2026-12-01.zst"));
	assert_true(rs_log_dated_sibling("auth.log", "auth.log-20261201-1764547200.bz2"));
	assert_true(rs_log_dated_sibling("syslog", "syslog.20261201"));
	assert_true(rs_log_dated_sibling("wtmp", "wtmp-19991231"));
	/* not dated siblings */
	assert_false(rs_log_dated_sibling("auth.log", "auth.log"));
	assert_false(rs_log_dated_sibling("auth.log", "auth.log.1"));
	assert_false(rs_log_dated_sibling("auth.log", "auth.log.2.gz"));
	assert_false(rs_log_dated_sibling("auth.log", "auth.log-2026"));          /* too few digits */
	assert_false(rs_log_dated_sibling("auth.log", "auth.log-12345678"));      /* no plausible year */
	assert_false(rs_log_dated_sibling("auth.log", "auth.log-20261201.old"));  /* not a compression */
	assert_false(rs_log_dated_sibling("auth.log", "auth.log-20261201-"));
	assert_false(rs_log_dated_sibling("auth.log", "auth.log-"));
	assert_false(rs_log_dated_sibling("auth.log", "auth.logs-20261201"));
	assert_false(rs_log_dated_sibling("auth.log", "xauth.log-20261201"));
	assert_false(rs_log_dated_sibling("", "-20261201"));
	assert_false(rs_log_dated_sibling("syslog", "syslog-20261201.gz.bak"));
}

/* ---- journal headers ---- */

static void put64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void journal(unsigned char *h, uint64_t head_seq, uint64_t tail_seq, uint64_t head_rt, uint64_t tail_rt)
{
	memset(h, 0, 256);
	memcpy(h, "LPKSHHRH", 8);
	h[16] = 2;
	memset(h + 72, 0xab, 16);
	put64(h + 88, 256);
	put64(h + 96, 8 << 20);
	put64(h + 152, tail_seq - head_seq + 1);
	put64(h + 160, tail_seq);
	put64(h + 168, head_seq);
	put64(h + 184, head_rt);
	put64(h + 192, tail_rt);
}

static void test_journal_header(void **state)
{
	(void)state;
	unsigned char h[256];
	rs_journal_header jh;
	char err[200];
	journal(h, 10, 20, 1700000000000000ULL, 1700000900000000ULL);
	assert_int_equal(rs_journal_header_parse(h, sizeof(h), &jh, err, sizeof(err)), 0);
	assert_int_equal(jh.head_seqnum, 10);
	assert_int_equal(jh.tail_seqnum, 20);
	assert_int_equal(jh.n_entries, 11);
	assert_int_equal(jh.state, 2);
	assert_true(jh.tail_realtime == 1700000900000000ULL);
	assert_int_equal(jh.seqnum_id[3], 0xab);
	/* cut short, not a journal, unknown state, impossible sizes, last before first */
	assert_int_equal(rs_journal_header_parse(h, 100, &jh, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cut short"));
	assert_int_equal(rs_journal_header_parse(h, 4, &jh, err, sizeof(err)), -1);
	h[0] = 'X';
	assert_int_equal(rs_journal_header_parse(h, sizeof(h), &jh, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "signature"));
	journal(h, 10, 20, 1, 2);
	h[16] = 9;
	assert_int_equal(rs_journal_header_parse(h, sizeof(h), &jh, err, sizeof(err)), -1);
	journal(h, 10, 20, 1, 2);
	put64(h + 88, 3);
	assert_int_equal(rs_journal_header_parse(h, sizeof(h), &jh, err, sizeof(err)), -1);
	journal(h, 10, 20, 1, 2);
	put64(h + 96, UINT64_MAX);
	assert_int_equal(rs_journal_header_parse(h, sizeof(h), &jh, err, sizeof(err)), -1);
	journal(h, 10, 20, 5, 2);
	assert_int_equal(rs_journal_header_parse(h, sizeof(h), &jh, err, sizeof(err)), -1);
	journal(h, 30, 20, 1, 2);
	put64(h + 152, 4);
	assert_int_equal(rs_journal_header_parse(h, sizeof(h), &jh, err, sizeof(err)), -1);
	/* an empty (online, new) file is fine */
	journal(h, 10, 20, 1, 2);
	put64(h + 152, 0);
	put64(h + 160, 0);
	put64(h + 168, 0);
	assert_int_equal(rs_journal_header_parse(h, RS_JOURNAL_HEADER_MIN, &jh, err, sizeof(err)), 0);
}

/* ---- PAM ---- */

static void test_pam_parse(void **state)
{
	(void)state;
	rs_pam_line l;
	assert_true(rs_pam_parse_line("auth\t[success=1 default=ignore]\tpam_unix.so nullok", false, &l));
	assert_string_equal(l.type, "auth");
	assert_string_equal(l.control, "[success=1 default=ignore]");
	assert_string_equal(l.module, "pam_unix.so");
	assert_string_equal(l.args, "nullok");
	assert_true(rs_pam_parse_line("-session optional pam_systemd.so # comment", false, &l));
	assert_true(l.optional_load);
	assert_string_equal(l.type, "session");
	assert_string_equal(l.args, "");
	assert_true(rs_pam_parse_line("@include common-auth", false, &l));
	assert_true(l.include);
	assert_string_equal(l.module, "common-auth");
	assert_true(rs_pam_parse_line("auth substack system-auth", false, &l));
	assert_true(l.include);
	assert_true(rs_pam_parse_line("sshd auth sufficient pam_permit.so", true, &l));
	assert_string_equal(l.type, "auth");
	assert_string_equal(l.module, "pam_permit.so");
	assert_string_equal(l.service, "sshd");
	/* malformed: blank, comment, too few fields, unknown type, an unterminated bracket,
	 * @include without a name, an over-long line */
	assert_false(rs_pam_parse_line("", false, &l));
	assert_false(rs_pam_parse_line("   # auth sufficient pam_permit.so", false, &l));
	assert_false(rs_pam_parse_line("auth required", false, &l));
	assert_false(rs_pam_parse_line("login required pam_unix.so", false, &l));
	assert_false(rs_pam_parse_line("auth [success=1 default=ignore pam_unix.so", false, &l));
	assert_false(rs_pam_parse_line("@include", false, &l));
	assert_false(rs_pam_parse_line("@includeX common", false, &l));
	assert_false(rs_pam_parse_line(NULL, false, &l));
	char *big = malloc(10000);
	memset(big, 'a', 9999);
	big[9999] = '\0';
	memcpy(big, "auth sufficient pam_x.so ", 25);
	assert_true(rs_pam_parse_line(big, false, &l));
	assert_string_equal(l.module, "pam_x.so");
	free(big);
}

/* The verdict on a whole stack (lines separated by '\n'). */
static rs_verdict judge_stack(const char *text)
{
	rs_verdict v;
	rs_verdict_init(&v);
	rs_pam_stack s;
	rs_pam_stack_init(&s);
	char *copy = strdup(text);
	char *save = NULL;
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		rs_pam_line l;
		if (rs_pam_parse_line(line, false, &l))
			rs_pam_stack_judge(&s, &l, &v);
	}
	rs_pam_stack_finish(&s, &v);
	free(copy);
	return v;
}

static void assert_stack(const char *text, bool any, rs_severity sev)
{
	rs_verdict v = judge_stack(text);
	if (v.any != any || (any && v.severity != sev))
		fail_msg("%s: any %d severity %d (%s)", text, v.any, v.severity, v.reasons);
}

static void test_pam_stack(void **state)
{
	(void)state;
	/* Debian's own stacks */
	assert_stack("auth [success=1 default=ignore] pam_unix.so nullok\nauth requisite pam_deny.so\n"
		     "auth required pam_permit.so\n", false, RS_SEV_INFO);
	assert_stack("auth sufficient pam_rootok.so\n@include common-auth\n", false, RS_SEV_INFO);
	assert_stack("session [default=1] pam_permit.so\nsession requisite pam_deny.so\nsession required pam_permit.so\n",
		     false, RS_SEV_INFO);
	assert_stack("account required pam_permit.so\n", false, RS_SEV_INFO);
	assert_stack("auth [success=2 default=ignore] pam_unix.so nullok\nauth [success=1 default=ignore] pam_sss.so "
		     "use_first_pass\nauth requisite pam_deny.so\nauth required pam_permit.so\n", false, RS_SEV_INFO);
	assert_stack("auth required pam_succeed_if.so uid >= 1000 quiet\nauth include system-auth\n", false,
		     RS_SEV_INFO);
	assert_stack("auth sufficient pam_unix.so\nauth sufficient pam_succeed_if.so user ingroup admins\n", false,
		     RS_SEV_INFO);
	/* backdoors */
	assert_stack("auth [success=done default=ignore] pam_permit.so\n@include common-auth\n", true, RS_SEV_HIGH);
	assert_stack("auth [success=1 default=ignore] pam_permit.so\nauth [success=1 default=ignore] pam_unix.so\n"
		     "auth requisite pam_deny.so\n", true, RS_SEV_HIGH);
	assert_stack("auth sufficient pam_succeed_if.so uid >= 0\n@include common-auth\n", true, RS_SEV_HIGH);
	assert_stack("auth sufficient pam_succeed_if.so quiet user =~ *\nauth required pam_unix.so\n", true,
		     RS_SEV_HIGH);
	assert_stack("auth sufficient pam_succeed_if.so uid > -1 or user = nobody\nauth required pam_unix.so\n", true,
		     RS_SEV_HIGH);
	assert_stack("auth sufficient pam_succeed_if.so user ingroup staff\nauth required pam_unix.so\n", true,
		     RS_SEV_MEDIUM);
	assert_stack("auth sufficient pam_localuser.so\nauth required pam_unix.so\n", true, RS_SEV_HIGH);
	assert_stack("auth sufficient pam_exec.so /usr/local/bin/check\nauth required pam_unix.so\n", true,
		     RS_SEV_HIGH);
	assert_stack("auth sufficient pam_wheel.so trust\nauth required pam_unix.so\n", true, RS_SEV_MEDIUM);
	assert_stack("auth sufficient pam_listfile.so item=user sense=allow file=/etc/x\nauth required pam_unix.so\n",
		     true, RS_SEV_MEDIUM);
	assert_stack("auth required pam_permit.so\n", true, RS_SEV_HIGH);
	/* malformed lines around a backdoor do not hide it */
	assert_stack("auth\nauth [success=done\n\x01\x02\nauth sufficient pam_succeed_if.so uid\nauth sufficient pam_succeed_if.so uid >= 0\n", true, RS_SEV_HIGH);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hidden_names),
		cmocka_unit_test(test_content),
		cmocka_unit_test(test_utmp),
		cmocka_unit_test(test_utmp_empty_records),
		cmocka_unit_test(test_dated_siblings),
		cmocka_unit_test(test_journal_header),
		cmocka_unit_test(test_pam_parse),
		cmocka_unit_test(test_pam_stack),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
