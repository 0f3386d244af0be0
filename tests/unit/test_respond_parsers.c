/*
 * test_respond_parsers.c — the proc and cgroup parsers the respond actions
 * rely on: /proc/PID/cgroup (v2 line, v1 freezer line, hybrid hosts,
 * malformed lines), cgroup.procs pid lists, and the stat fields the
 * refusals read (state, session, flags, start time) and the status uid,
 * over good and malformed text.
 */
#include "testutil.h"
#include "collect/proc.h"
#include "core/util.h"
#include "respond/cgroupfs.h"

#include <stdlib.h>
#include <string.h>

static int cgroup_of(const char *text, const char *controller, char **path)
{
	return rs_parse_proc_cgroup(text, strlen(text), controller, path);
}

static void test_proc_cgroup(void **state)
{
	(void)state;
	char *path = NULL;
	const char *hybrid = "9:name=systemd:/\n6:freezer:/docker/abc\n4:cpu,cpuacct:/x\n0::/user.slice/s.scope\n";
	assert_int_equal(cgroup_of(hybrid, NULL, &path), 0);
	assert_string_equal(path, "/user.slice/s.scope");
	free(path);
	assert_int_equal(cgroup_of(hybrid, "freezer", &path), 0);
	assert_string_equal(path, "/docker/abc");
	free(path);
	assert_int_equal(cgroup_of(hybrid, "cpuacct", &path), 0);
	assert_string_equal(path, "/x");
	free(path);
	assert_int_equal(cgroup_of("0::/\n", NULL, &path), 0);
	assert_string_equal(path, "/");
	free(path);
	/* absent: v1-only host asked for v2; a controller no line lists */
	assert_int_equal(cgroup_of("3:freezer:/\n", NULL, &path), 1);
	assert_null(path);
	assert_int_equal(cgroup_of("0::/a\n", "freezer", &path), 1);
	assert_int_equal(cgroup_of("3:freezers:/a\n", "freezer", &path), 1);
	assert_int_equal(cgroup_of("", NULL, &path), 1);
	/* malformed */
	const char *bad[] = { "0:/x\n", "x::/a\n", "::/a\n", "0::relative\n", "0::\n", "garbage\n" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		path = NULL;
		assert_int_equal(cgroup_of(bad[i], NULL, &path), -1);
		assert_null(path);
	}
	const char nul[] = "0::/a\0b\n";
	assert_int_equal(rs_parse_proc_cgroup(nul, sizeof(nul) - 1, NULL, &path), -1);
}

static void test_pid_list(void **state)
{
	(void)state;
	rs_vec v;
	rs_vec_init(&v, sizeof(pid_t));
	const char *good = "1\n42\n\n2147483647\n";
	assert_int_equal(rs_parse_pid_list(good, strlen(good), &v), 0);
	assert_int_equal(v.len, 3);
	assert_int_equal(*(pid_t *)rs_vec_at(&v, 1), 42);
	assert_int_equal(*(pid_t *)rs_vec_at(&v, 2), 2147483647);
	const char *bad[] = { "0\n", "-1\n", "12a\n", "2147483648\n", "99999999999\n", " 1\n" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(rs_parse_pid_list(bad[i], strlen(bad[i]), &v), -1);
	rs_vec_free(&v);
}

static void test_stat_fields(void **state)
{
	(void)state;
	const char *line = "4242 (a) (b)) T 7 4240 4239 34816 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 "
			   "987654 12345678 200 18446744073709551615 1 1 0 0\n";
	rs_proc_stat st;
	assert_int_equal(rs_parse_proc_stat_fields(line, strlen(line), &st), 0);
	assert_string_equal(st.comm, "a) (b)");
	assert_int_equal(st.state, 'T');
	assert_int_equal(st.ppid, 7);
	assert_int_equal(st.pgrp, 4240);
	assert_int_equal(st.session, 4239);
	assert_int_equal(st.tty_nr, 34816);
	assert_int_equal(st.flags, 4194560);
	assert_true(st.start_time == 987654);
	const char *kthread = "2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 3 0 0\n";
	assert_int_equal(rs_parse_proc_stat_fields(kthread, strlen(kthread), &st), 0);
	assert_true(st.flags & RS_PF_KTHREAD);
	const char *bad[] = {
		"1 (x) SS 0 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 3\n",   /* state of two letters */
		"1 (x) S -2 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 3\n",   /* negative ppid */
		"1 (x) S 0 0 0 0 -1 zz 0 0 0 0 0 0 0 0 20 0 1 0 3\n",   /* flags not a number */
		"1 (x) S 0 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0\n",      /* no start time */
		"1 x S 0 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 3\n",      /* no parentheses */
		"1 (x)\n", "",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(rs_parse_proc_stat_fields(bad[i], strlen(bad[i]), &st), -1);
}

static void test_status_uid(void **state)
{
	(void)state;
	uid_t uid = 7;
	const char *ok = "Name:\tsh\nState:\tS\nUid:\t1000\t1000\t1000\t1000\nGid:\t0\n";
	assert_true(rs_parse_status_uid(ok, strlen(ok), &uid));
	assert_int_equal(uid, 1000);
	const char *bad[] = { "Name:\tsh\n", "Uid:\tx\t0\n", "Uid:\t-1\t0\n", "Uid:\t99999999999\t0\n", "Uid:" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(rs_parse_status_uid(bad[i], strlen(bad[i]), &uid));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proc_cgroup),
		cmocka_unit_test(test_pid_list),
		cmocka_unit_test(test_stat_fields),
		cmocka_unit_test(test_status_uid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
