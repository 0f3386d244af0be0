/*
 * test_fleet_tasks.c — the task bodies (fleet/task.h) and the agent's local
 * configuration (agent/conf.c): good bodies give the checked fields; every
 * kind of malformed body (not JSON, host and group both or neither, unknown
 * kinds and parameters, path traversal in content paths, a plan whose token
 * is not its own, bad report states, control characters, oversized
 * results) is refused; content bundles verify only with the signing key
 * and exactly the signed bytes; the state changes an agent may report.
 */
#include "testutil.h"
#include "agent/agent.h"
#include "fleet/task.h"
#include "respond/plan.h"

#include <stdlib.h>
#include <string.h>

#define HOST "0123456789abcdef0123456789abcdef"

static int create(const char *body)
{
	char err[512];
	rs_task_spec s;
	int rc = rs_task_parse_create(body, strlen(body), &s, err, sizeof(err));
	rs_task_spec_free(&s);
	return rc;
}

static void test_create_good(void **state)
{
	(void)state;
	char err[512];
	rs_task_spec s;
	const char *body = "{\"group\":\"web\",\"type\":\"scan\",\"modules\":[\"persist\",\"audit\"]}";
	assert_int_equal(rs_task_parse_create(body, strlen(body), &s, err, sizeof(err)), 0);
	assert_string_equal(s.group, "web");
	assert_string_equal(s.host, "");
	assert_string_equal(s.kind, "scan");
	assert_int_equal(json_array_size(json_object_get(s.params, "modules")), 2);
	assert_null(json_object_get(s.params, "type"));
	rs_task_spec_free(&s);
	assert_int_equal(create("{\"host\":\"" HOST "\",\"type\":\"collect\",\"paths\":[\"/etc/passwd\"],\"max_total\":1024}"), 0);
	assert_int_equal(create("{\"host\":\"" HOST "\",\"type\":\"drill\",\"scenario\":\"sandbox-system\"}"), 0);
	assert_int_equal(create("{\"host\":\"" HOST "\",\"type\":\"scan\",\"rules\":[\"persist:cron\",\"sca:x:*\"]}"), 0);
	assert_int_equal(create("{\"host\":\"" HOST "\",\"type\":\"update-content\",\"files\":"
				"[{\"path\":\"rules/a.yar\",\"data\":\"eA==\"},{\"path\":\"policies/b/c.yml\",\"data\":\"\"}]}"), 0);
}

static void test_create_malformed(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "not json", "[]", "{\"type\":\"scan\"}",
		"{\"host\":\"" HOST "\",\"group\":\"web\",\"type\":\"scan\"}",
		"{\"host\":\"0123456789ABCDEF0123456789abcdef\",\"type\":\"scan\"}",
		"{\"host\":\"../../etc/passwd'; DROP TABLE x;--\",\"type\":\"scan\"}",
		"{\"group\":\"\",\"type\":\"scan\"}",
		"{\"group\":\"a\\u0001b\",\"type\":\"scan\"}",
		"{\"group\":\"web\",\"type\":\"shell\"}",
		"{\"group\":\"web\",\"type\":\"scan\",\"type\":\"scan\"}",
		"{\"group\":\"web\",\"type\":\"scan\",\"command\":\"rm -rf /\"}",
		"{\"group\":\"web\",\"type\":\"scan\",\"modules\":[]}",
		"{\"group\":\"web\",\"type\":\"scan\",\"modules\":[\"Persist\"]}",
		"{\"group\":\"web\",\"type\":\"scan\",\"modules\":\"persist\"}",
		"{\"group\":\"web\",\"type\":\"scan\",\"rules\":[]}",
		"{\"group\":\"web\",\"type\":\"scan\",\"rules\":\"persist:cron\"}",
		"{\"group\":\"web\",\"type\":\"scan\",\"rules\":[\"a b\"]}",
		"{\"group\":\"web\",\"type\":\"scan\",\"rules\":[\"a\\tb\"]}",
		"{\"group\":\"web\",\"type\":\"scan\",\"rules\":[\"\"]}",
		"{\"group\":\"web\",\"type\":\"scan\",\"rules\":[7]}",
		"{\"group\":\"web\",\"type\":\"collect\",\"paths\":[\"etc/passwd\"]}",
		"{\"group\":\"web\",\"type\":\"collect\",\"paths\":[\"/etc/\\npasswd\"]}",
		"{\"group\":\"web\",\"type\":\"collect\",\"max_total\":0}",
		"{\"group\":\"web\",\"type\":\"collect\",\"max_total\":1e9}",
		"{\"group\":\"web\",\"type\":\"collect\",\"max_total\":999999999999}",
		"{\"group\":\"web\",\"type\":\"drill\"}",
		"{\"group\":\"web\",\"type\":\"drill\",\"scenario\":\"../x\"}",
		"{\"group\":\"web\",\"type\":\"update-content\"}",
		"{\"group\":\"web\",\"type\":\"update-content\",\"files\":[]}",
		"{\"group\":\"web\",\"type\":\"update-content\",\"files\":[{\"path\":\"rules/../../x\",\"data\":\"eA==\"}]}",
		"{\"group\":\"web\",\"type\":\"update-content\",\"files\":[{\"path\":\"/etc/cron.d/x\",\"data\":\"eA==\"}]}",
		"{\"group\":\"web\",\"type\":\"update-content\",\"files\":[{\"path\":\"bin/sh\",\"data\":\"eA==\"}]}",
		"{\"group\":\"web\",\"type\":\"update-content\",\"files\":[{\"path\":\"rules/a\",\"data\":\"!!\"}]}",
		"{\"group\":\"web\",\"type\":\"update-content\",\"files\":[{\"path\":\"rules/a\",\"data\":\"eA==\"},"
		"{\"path\":\"rules/a\",\"data\":\"eA==\"}]}",
		"{\"group\":\"web\",\"type\":\"update-content\",\"bundle\":\"x\",\"signature\":\"y\"}",
		"{\"group\":\"web\",\"type\":\"respond\",\"plan\":{},\"token\":\"00\"}",
		"{\"group\":\"web\",\"type\":\"respond\",\"plan\":{\"type\":\"plan\",\"version\":1,\"root\":\"/\","
		"\"actions\":[]},\"token\":\"0000000000000000000000000000000000000000000000000000000000000000\"}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (create(bad[i]) != -1)
			fail_msg("accepted: %s", bad[i]);
	}
}

/* A scan task's rule filter: exact ids and fnmatch patterns; none selects all. */
static void test_rule_selected(void **state)
{
	(void)state;
	json_t *rules = json_pack("[s,s]", "rasoat:persist.cron", "sca:rasoat_accounts:*");
	assert_true(rs_task_rule_selected(rules, "rasoat:persist.cron"));
	assert_true(rs_task_rule_selected(rules, "sca:rasoat_accounts:2008"));
	assert_false(rs_task_rule_selected(rules, "rasoat:persist.cron2"));
	assert_false(rs_task_rule_selected(rules, "rasoat:persist.shell_startup"));
	assert_false(rs_task_rule_selected(rules, "sca:rasoat_filesystem:4002"));
	assert_false(rs_task_rule_selected(rules, NULL));
	assert_true(rs_task_rule_selected(NULL, "anything"));
	json_decref(rules);
}

static void test_create_respond(void **state)
{
	(void)state;
	const char *plan_text = "{\"type\":\"plan\",\"version\":1,\"scan\":null,\"host\":\"h\",\"root\":\"/srv/root\","
				"\"actions\":[{\"action\":\"quarantine\",\"target\":{\"path\":\"/x\"},\"finding\":\"r\","
				"\"reason\":\"t\"}]}";
	char err[256], token[65];
	json_t *plan = rs_plan_parse(plan_text, strlen(plan_text), err, sizeof(err));
	assert_non_null(plan);
	rs_plan_token(plan, token);
	json_t *body = json_pack("{s:s,s:s,s:O,s:s}", "host", HOST, "type", "respond", "plan", plan, "token", token);
	char *text = json_dumps(body, JSON_COMPACT);
	assert_int_equal(create(text), 0);
	free(text);
	/* the plan changed after its token was made */
	json_object_set_new(plan, "root", json_string("/"));
	json_object_set(body, "plan", plan);
	text = json_dumps(body, JSON_COMPACT);
	assert_int_equal(create(text), -1);
	free(text);
	json_decref(body);
	json_decref(plan);
}

static int report(const char *body)
{
	char err[512];
	rs_task_report r;
	int rc = rs_task_parse_report(body, strlen(body), &r, err, sizeof(err));
	rs_task_report_free(&r);
	return rc;
}

static void test_report(void **state)
{
	(void)state;
	char err[512];
	rs_task_report r;
	const char *good = "{\"id\":\"" HOST "\",\"state\":\"done\",\"message\":\"ok\",\"result\":{\"files\":2}}";
	assert_int_equal(rs_task_parse_report(good, strlen(good), &r, err, sizeof(err)), 0);
	assert_string_equal(r.id, HOST);
	assert_string_equal(r.state, "done");
	assert_string_equal(r.message, "ok");
	assert_int_equal(json_integer_value(json_object_get(r.result, "files")), 2);
	rs_task_report_free(&r);
	assert_int_equal(report("{\"id\":\"" HOST "\",\"state\":\"running\"}"), 0);
	static const char *const bad[] = {
		"", "{", "{\"id\":\"" HOST "\"}", "{\"id\":\"x\",\"state\":\"done\"}",
		"{\"id\":\"" HOST "\",\"state\":\"queued\"}", "{\"id\":\"" HOST "\",\"state\":\"approval\"}",
		"{\"id\":\"" HOST "\",\"state\":\"done\",\"message\":\"a\\nb\"}",
		"{\"id\":\"" HOST "\",\"state\":\"done\",\"message\":7}",
		"{\"id\":\"" HOST "\",\"state\":\"done\",\"result\":[1]}",
		"{\"id\":\"" HOST "\",\"state\":\"done\",\"state\":\"failed\"}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (report(bad[i]) != -1)
			fail_msg("accepted: %s", bad[i]);
	/* a result over its bound */
	char *big = malloc(RS_TASK_MAX_RESULT + 200);
	int n = snprintf(big, 200, "{\"id\":\"" HOST "\",\"state\":\"done\",\"result\":{\"x\":\"");
	memset(big + n, 'a', RS_TASK_MAX_RESULT);
	strcpy(big + n + RS_TASK_MAX_RESULT, "\"}}");
	assert_int_equal(report(big), -1);
	free(big);
}

static void test_transitions(void **state)
{
	(void)state;
	assert_true(rs_task_transition_ok("sent", "running"));
	assert_true(rs_task_transition_ok("sent", "refused"));
	assert_true(rs_task_transition_ok("running", "done"));
	assert_false(rs_task_transition_ok("running", "running"));
	/* a task the server marked lost: the agent's late report still ends it */
	assert_true(rs_task_transition_ok("lost", "failed"));
	assert_true(rs_task_transition_ok("lost", "done"));
	assert_true(rs_task_transition_ok("lost", "running"));
	assert_false(rs_task_transition_ok("lost", "lost"));
	assert_false(rs_task_transition_ok("lost", "queued"));
	assert_false(rs_task_transition_ok("done", "lost"));
	assert_false(rs_task_transition_ok("queued", "done"));
	assert_false(rs_task_transition_ok("approval", "running"));
	assert_false(rs_task_transition_ok("done", "failed"));
	assert_false(rs_task_transition_ok("refused", "done"));
}

static void test_content(void **state)
{
	(void)state;
	assert_int_equal(sodium_init() >= 0, 1);
	assert_true(rs_content_path_ok("rules/a.yar"));
	assert_true(rs_content_path_ok("feeds/x/y-1_2.json"));
	static const char *const bad_paths[] = { "", "rules", "rules/", "rules//a", "rules/./a", "rules/../a",
						 "/rules/a", "bin/a", "rules/a b", "rules/a\\b", "rulesx/a", NULL };
	for (size_t i = 0; bad_paths[i]; i++)
		if (rs_content_path_ok(bad_paths[i]))
			fail_msg("content path accepted: %s", bad_paths[i]);
	char err[256];
	json_t *files = json_pack("[{s:s,s:s}]", "path", "rules/a.yar", "data", "aGVsbG8=");
	char *text = rs_content_build(files, 1764800000, err, sizeof(err));
	json_decref(files);
	assert_non_null(text);
	rs_content_bundle b;
	assert_int_equal(rs_content_parse(text, strlen(text), &b, err, sizeof(err)), 0);
	assert_int_equal(b.n_files, 1);
	assert_int_equal(b.files[0].len, 5);
	assert_memory_equal(b.files[0].data, "hello", 5);
	assert_true(b.created == 1764800000);
	rs_content_free(&b);
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
	unsigned char pk2[crypto_sign_PUBLICKEYBYTES], sk2[crypto_sign_SECRETKEYBYTES];
	crypto_sign_keypair(pk, sk);
	crypto_sign_keypair(pk2, sk2);
	char sig[89];
	rs_content_sign(sk, text, sig);
	assert_true(rs_content_verify(pk, text, sig));
	assert_false(rs_content_verify(pk2, text, sig));        /* another key */
	assert_false(rs_content_verify(pk, text, "AAAA"));       /* not a signature */
	assert_false(rs_content_verify(pk, text, NULL));
	text[strlen(text) - 2] ^= 1;                              /* one bit of the bundle */
	assert_false(rs_content_verify(pk, text, sig));
	free(text);
	static const char *const bad[] = {
		"", "{}", "{\"type\":\"content\",\"version\":2,\"created\":1,\"files\":[{\"path\":\"rules/a\",\"data\":\"\"}]}",
		"{\"type\":\"content\",\"version\":1,\"files\":[{\"path\":\"rules/a\",\"data\":\"\"}]}",
		"{\"type\":\"content\",\"version\":1,\"created\":1,\"files\":[{\"path\":\"rules/a\",\"data\":\"\",\"x\":1}]}",
		"{\"type\":\"content\",\"version\":1,\"created\":1,\"files\":[{\"path\":\"../a\",\"data\":\"\"}]}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (rs_content_parse(bad[i], strlen(bad[i]), &b, err, sizeof(err)) != -1)
			fail_msg("bundle accepted: %s", bad[i]);
	}
}

static void test_agent_conf(void **state)
{
	(void)state;
	char err[256];
	rs_agent_conf c;
	rs_agent_conf_init(&c);
	assert_false(c.allow_drill || c.allow_respond);
	const char *good = "# local\nallow_drill = yes\n  drill_root = /srv/sandbox  # a sandbox\nallow_respond=no\n"
			   "collect_max = 8M\ncontent_dir = /var/lib/rasoat/content\n";
	assert_int_equal(rs_agent_conf_parse(&c, good, strlen(good), "agent.conf", err, sizeof(err)), 0);
	assert_true(c.allow_drill);
	assert_false(c.allow_respond);
	assert_string_equal(c.drill_root, "/srv/sandbox");
	assert_true(c.collect_max == 8ull << 20);
	rs_agent_conf_free(&c);
	static const char *const bad[] = { "allow_drill = maybe\n", "allow_respond\n", "drill_root = relative\n",
					   "collect_max = 1G\n", "collect_max = 0\n", "unknown = 1\n" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rs_agent_conf_init(&c);
		const char *text = bad[i];
		char both[256];
		snprintf(both, sizeof(both), "allow_respond = yes\n%s", text);
		if (rs_agent_conf_parse(&c, both, strlen(both), "agent.conf", err, sizeof(err)) != -1)
			fail_msg("conf accepted: %s", text);
		assert_non_null(strstr(err, "agent.conf:2"));
		assert_false(c.allow_respond); /* a malformed file allows nothing */
		rs_agent_conf_free(&c);
	}
	const char nul[] = "allow_drill = yes\0\n";
	rs_agent_conf_init(&c);
	assert_int_equal(rs_agent_conf_parse(&c, nul, sizeof(nul) - 1, "agent.conf", err, sizeof(err)), -1);
	rs_agent_conf_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_good),
		cmocka_unit_test(test_create_malformed),
		cmocka_unit_test(test_create_respond),
		cmocka_unit_test(test_rule_selected),
		cmocka_unit_test(test_report),
		cmocka_unit_test(test_transitions),
		cmocka_unit_test(test_content),
		cmocka_unit_test(test_agent_conf),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
