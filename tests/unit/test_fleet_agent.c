/*
 * test_fleet_agent.c — the agent's state directory: files are written
 * private (0600) and whole; the request counter only grows and survives a
 * reload (it is persisted before use); a state without identity, with a
 * damaged key or counter is refused; the spool lists batches oldest first
 * and ignores temporary files.
 */
#include "testutil.h"
#include "agent/agent.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char identity[] =
	"{\"agent\":\"0123456789abcdef0123456789abcdef\",\"server\":\"http://127.0.0.1:1\",\"pin\":\"\"}";

/* An enrolled state directory under a new temporary directory. */
static char *enrolled_dir(char **top)
{
	*top = rs_test_tmpdir();
	char *dir = rs_sprintf("%s/state", *top);
	assert_int_equal(rs_agent_make_dir(dir), 0);
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
	crypto_sign_keypair(pk, sk);
	assert_int_equal(rs_agent_write_file(dir, "key", sk, sizeof(sk)), 0);
	assert_int_equal(rs_agent_write_file(dir, "counter", "0\n", 2), 0);
	assert_int_equal(rs_agent_write_file(dir, "identity.json", identity, strlen(identity)), 0);
	return dir;
}

static void test_state_and_counter(void **state)
{
	(void)state;
	assert_true(sodium_init() >= 0);
	char *top;
	char *dir = enrolled_dir(&top);
	struct stat st;
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	char *key = rs_sprintf("%s/key", dir);
	assert_int_equal(stat(key, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	free(key);

	rs_agent_state s;
	assert_int_equal(rs_agent_state_load(dir, &s), 0);
	assert_string_equal(s.agent, "0123456789abcdef0123456789abcdef");
	assert_string_equal(s.server, "http://127.0.0.1:1");
	unsigned long long c1, c2;
	assert_int_equal(rs_agent_next_counter(&s, &c1), 0);
	assert_int_equal(rs_agent_next_counter(&s, &c2), 0);
	assert_true(c2 > c1);
	rs_agent_state_free(&s);
	/* reloaded: the counter goes on from where it was */
	assert_int_equal(rs_agent_state_load(dir, &s), 0);
	assert_int_equal(s.counter, c2);
	assert_int_equal(rs_agent_raise_counter(&s, 100), 0);
	assert_int_equal(rs_agent_raise_counter(&s, 50), 0);
	assert_int_equal(s.counter, 100);
	rs_agent_state_free(&s);
	assert_int_equal(rs_agent_state_load(dir, &s), 0);
	assert_int_equal(s.counter, 100);
	rs_agent_state_free(&s);
	assert_int_equal(rs_agent_last_scan(&(rs_agent_state){ .dir = dir }), 0);
	assert_int_equal(rs_agent_set_last_scan(&(rs_agent_state){ .dir = dir }, 1764800000), 0);
	assert_int_equal(rs_agent_last_scan(&(rs_agent_state){ .dir = dir }), 1764800000);

	/* damaged state is refused */
	rs_test_capture_start();
	rs_test_write(dir, "counter", "twelve\n");
	assert_int_equal(rs_agent_state_load(dir, &s), -1);
	rs_agent_state_free(&s);
	rs_test_write(dir, "counter", "3\n");
	rs_test_write(dir, "key", "short");
	assert_int_equal(rs_agent_state_load(dir, &s), -1);
	rs_agent_state_free(&s);
	rs_test_write(dir, "identity.json", "{\"agent\":\"../../x\",\"server\":\"http://x\"}");
	assert_int_equal(rs_agent_state_load(dir, &s), -1);
	rs_agent_state_free(&s);
	assert_true(rs_test_captured_contains("enrol"));
	rs_test_capture_stop();
	rs_test_rmrf(top);
	free(top);
	free(dir);
}

static void test_state_dir_permissions(void **state)
{
	(void)state;
	char *top = rs_test_tmpdir();
	char *dir = rs_sprintf("%s/open", top);
	assert_int_equal(mkdir(dir, 0777), 0);
	assert_int_equal(chmod(dir, 0777), 0);
	/* our own directory is tightened to 0700 */
	assert_int_equal(rs_agent_make_dir(dir), 0);
	struct stat st;
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	/* a file where the directory should be is refused */
	char *file = rs_sprintf("%s/file", top);
	rs_test_write(top, "file", "x");
	rs_test_capture_start();
	assert_int_equal(rs_agent_make_dir(file), -1);
	rs_test_capture_stop();
	rs_test_rmrf(top);
	free(top);
	free(dir);
	free(file);
}

static void test_spool_list(void **state)
{
	(void)state;
	char *top;
	char *dir = enrolled_dir(&top);
	rs_agent_state s;
	assert_int_equal(rs_agent_state_load(dir, &s), 0);
	char **names;
	size_t n;
	assert_int_equal(rs_agent_spool_list(&s, &names, &n), 0);
	assert_int_equal(n, 0);
	char *spool = rs_agent_spool_dir(&s);
	assert_int_equal(rs_agent_make_dir(spool), 0);
	rs_test_write(spool, "00000000001764800002-bb.json", "{}");
	rs_test_write(spool, "00000000001764800001-aa.json", "{}");
	rs_test_write(spool, ".00000000001764800003-cc.json.tmp", "{}");
	rs_test_write(spool, "notes.txt", "x");
	assert_int_equal(rs_agent_spool_list(&s, &names, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "00000000001764800001-aa.json");
	assert_string_equal(names[1], "00000000001764800002-bb.json");
	assert_int_equal(rs_agent_spool_reject(&s, names[1]), 0);
	assert_int_equal(rs_agent_spool_remove(&s, names[0]), 0);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	assert_int_equal(rs_agent_spool_list(&s, &names, &n), 0);
	assert_int_equal(n, 0);
	char *rejected = rs_sprintf("%s/rejected/00000000001764800002-bb.json", spool);
	struct stat st;
	assert_int_equal(stat(rejected, &st), 0);
	free(rejected);
	free(spool);
	rs_agent_state_free(&s);
	rs_test_rmrf(top);
	free(top);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_and_counter),
		cmocka_unit_test(test_state_dir_permissions),
		cmocka_unit_test(test_spool_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
