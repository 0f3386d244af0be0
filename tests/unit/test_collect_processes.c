/*
 * test_collect_processes.c — the proc stat parser (command names holding
 * spaces and parentheses, truncated and junk lines), the command line
 * splitter, and a live collection that must find this test process itself.
 */
#include "testutil.h"
#include "collect/facts.h"
#include "collect/proc.h"
#include "core/host.h"
#include "core/log.h"
#include "core/util.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A stat line with COMM and the given ppid and start time (field 22). */
static char *stat_line(const char *comm, int ppid, unsigned long long start)
{
	return rs_sprintf("4242 (%s) S %d 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 %llu "
			  "12345678 200 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 17 3 0 0 0 0 0\n",
			  comm, ppid, start);
}

static void check_stat(const char *comm, int ppid, unsigned long long start)
{
	char *text = stat_line(comm, ppid, start);
	pid_t got_ppid = -1;
	char got_comm[32];
	unsigned long long got_start = 0;
	assert_int_equal(rs_parse_proc_stat(text, strlen(text), &got_ppid, got_comm, sizeof(got_comm),
					    &got_start), 0);
	assert_int_equal(got_ppid, ppid);
	assert_string_equal(got_comm, comm);
	assert_true(got_start == start);
	free(text);
}

static void test_stat_plain(void **state)
{
	(void)state;
	check_stat("bash", 1, 123456);
	check_stat("kworker/0:1", 2, 0);
}

static void test_stat_tricky_comm(void **state)
{
	(void)state;
	check_stat("a) (b", 77, 99);
	check_stat(") S 1 2 3 (", 5, 31337);
	check_stat("with space", 9, 1);
	check_stat("", 3, 4);
}

static void test_stat_long_comm_truncated(void **state)
{
	(void)state;
	char *text = stat_line("a-very-long-command-name-exceeding-buffer", 8, 10);
	pid_t ppid;
	char comm[8];
	unsigned long long start;
	assert_int_equal(rs_parse_proc_stat(text, strlen(text), &ppid, comm, sizeof(comm), &start), 0);
	assert_string_equal(comm, "a-very-");
	assert_int_equal(ppid, 8);
	free(text);
}

static void test_stat_malformed(void **state)
{
	(void)state;
	const char *bad[] = {
		"",
		"4242",
		"4242 (bash",
		"4242 bash) S 1",
		"4242 (bash) S",
		"4242 (bash) S x 2 3",
		"4242 (bash) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18",
		"4242 (bash) S 99999999999 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20",
		"4242 (bash) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 junk",
		")(",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		pid_t ppid;
		char comm[32];
		unsigned long long start;
		assert_int_equal(rs_parse_proc_stat(bad[i], strlen(bad[i]), &ppid, comm, sizeof(comm),
						    &start), -1);
	}
	/* a NUL byte inside the numbers cuts them short */
	const char nul[] = "1 (x) S 1 2 3\0 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20";
	pid_t ppid;
	char comm[32];
	unsigned long long start;
	assert_int_equal(rs_parse_proc_stat(nul, sizeof(nul) - 1, &ppid, comm, sizeof(comm), &start), -1);
	/* the length bounds the parse: the ')' past LEN is not seen */
	const char *cut = "1 (x) S 1 2";
	assert_int_equal(rs_parse_proc_stat(cut, 3, &ppid, comm, sizeof(comm), &start), -1);
}

static void test_split_cmdline(void **state)
{
	(void)state;
	size_t argc;
	const char text[] = "/bin/sh\0-c\0\0echo hi\0";
	char **argv = rs_split_cmdline(text, sizeof(text) - 1, 1024, &argc);
	assert_int_equal(argc, 4);
	assert_string_equal(argv[0], "/bin/sh");
	assert_string_equal(argv[1], "-c");
	assert_string_equal(argv[2], "");
	assert_string_equal(argv[3], "echo hi");
	assert_null(argv[4]);
	for (size_t i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);

	argv = rs_split_cmdline("no terminator", 13, 1024, &argc);
	assert_int_equal(argc, 1);
	assert_string_equal(argv[0], "no terminator");
	free(argv[0]);
	free(argv);

	argv = rs_split_cmdline("a\0b\0c\0", 6, 2, &argc);
	assert_int_equal(argc, 2);
	assert_null(argv[2]);
	free(argv[0]);
	free(argv[1]);
	free(argv);

	argv = rs_split_cmdline("", 0, 1024, &argc);
	assert_int_equal(argc, 0);
	assert_null(argv[0]);
	free(argv);
}

static void test_live_finds_self(void **state)
{
	(void)state;
	rs_host h;
	assert_int_equal(rs_host_init(&h, "/", NULL), 0);
	rs_facts f;
	rs_facts_init(&f);
	rs_collect_processes(&h, &f);
	assert_true(f.processes.len >= 1);
	const rs_process *me = rs_facts_process(&f, getpid());
	assert_non_null(me);
	assert_int_equal(me->ppid, getppid());
	assert_int_equal(me->uid, getuid());
	assert_string_equal(me->comm, "test_collect_pr"); /* the kernel keeps 15 bytes */
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	assert_true(n > 0);
	exe[n] = '\0';
	assert_non_null(me->exe);
	assert_string_equal(me->exe, exe);
	assert_false(me->exe_deleted);
	char cwd[PATH_MAX];
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_non_null(me->cwd);
	assert_string_equal(me->cwd, cwd);
	assert_true(me->argc >= 1);
	assert_non_null(me->argv);
	assert_non_null(strstr(me->argv[0], "test_collect_processes"));
	assert_null(me->argv[me->argc]);
	assert_true(me->start_time > 0 || getpid() == 1);
	rs_facts_free(&f);
	rs_host_free(&h);
}

static void test_no_proc_collects_nothing(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	rs_host h;
	assert_int_equal(rs_host_init(&h, dir, NULL), 0);
	rs_facts f;
	rs_facts_init(&f);
	assert_int_equal(rs_collect_processes(&h, &f), 0);
	assert_int_equal(f.processes.len, 0);
	rs_facts_free(&f);
	rs_host_free(&h);
	rs_test_rmrf(dir);
	free(dir);
}

/* A fake proc tree: a good process, one with a junk stat, one without a
 * Uid: line, and a non-numeric entry. */
static void test_fake_proc_tree(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	char *good = stat_line("good (one)", 1, 500);
	rs_test_write(dir, "proc/100/stat", good);
	rs_test_write(dir, "proc/100/status", "Name:\tgood\nUid:\t1000\t1000\t1000\t1000\n");
	rs_test_write(dir, "proc/100/cmdline", "");
	rs_test_write(dir, "proc/200/stat", "garbage without parentheses\n");
	rs_test_write(dir, "proc/200/status", "Uid:\t0\t0\t0\t0\n");
	char *other = stat_line("nouid", 1, 600);
	rs_test_write(dir, "proc/300/stat", other);
	rs_test_write(dir, "proc/300/status", "Name:\tnouid\n");
	rs_test_write(dir, "proc/self/stat", good);
	rs_test_mkdir(dir, "proc/400"); /* vanished: no stat */
	free(good);
	free(other);
	char *proc = rs_sprintf("%s/proc", dir);
	rs_host h;
	assert_int_equal(rs_host_init(&h, dir, proc), 0);
	rs_facts f;
	rs_facts_init(&f);
	rs_test_capture_start();
	assert_int_equal(rs_collect_processes(&h, &f), 2);
	assert_true(rs_test_captured_contains("200/stat"));
	assert_true(rs_test_captured_contains("300/status"));
	assert_false(rs_test_captured_contains("400"));
	rs_test_capture_stop();
	assert_int_equal(f.processes.len, 1);
	const rs_process *p = rs_facts_process(&f, 100);
	assert_non_null(p);
	assert_string_equal(p->comm, "good (one)");
	assert_int_equal(p->uid, 1000);
	assert_null(p->exe);
	assert_null(p->cwd);
	assert_int_equal(p->argc, 0);
	rs_facts_free(&f);
	rs_host_free(&h);
	rs_test_rmrf(dir);
	free(dir);
	free(proc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stat_plain),
		cmocka_unit_test(test_stat_tricky_comm),
		cmocka_unit_test(test_stat_long_comm_truncated),
		cmocka_unit_test(test_stat_malformed),
		cmocka_unit_test(test_split_cmdline),
		cmocka_unit_test(test_live_finds_self),
		cmocka_unit_test(test_no_proc_collects_nothing),
		cmocka_unit_test(test_fake_proc_tree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
