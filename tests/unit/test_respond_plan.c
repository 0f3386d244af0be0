/*
 * test_respond_plan.c — response plans: the same (action, target) proposed
 * for two findings (two modules reporting one path) gives one action, a
 * malformed proposal is left out with a warning, the token survives the
 * plan being written indented and read back, any edit (a deleted action)
 * changes it, malformed plan documents are refused with the reason and
 * the action's number, and a live-only action is refused inside --root.
 */
#include "testutil.h"

#include "cmd/respond_cmds.h"
#include "core/host.h"
#include "core/util.h"
#include "respond/plan.h"

#include <stdlib.h>
#include <string.h>

/* Proposes "grab PATH" for every finding with a path; "bogus" for a finding
 * with evidence "bogus" (a malformed proposal: no target). */
static void grab_propose(const json_t *finding, const rs_host *host, json_t *actions)
{
	(void)host;
	const json_t *evidence = json_object_get(finding, "evidence");
	const char *path = json_string_value(json_object_get(evidence, "path"));
	const char *rule = json_string_value(json_object_get(finding, "rule"));
	if (json_object_get(evidence, "bogus"))
		json_array_append_new(actions, json_pack("{s:s}", "action", "grab"));
	if (path)
		json_array_append_new(actions, json_pack("{s:s, s:{s:s}, s:s, s:s}", "action", "grab",
							 "target", "path", path, "finding", rule,
							 "reason", "a file a module reported"));
}

static const rs_action_kind grab_kind = { .name = "grab", .propose = grab_propose };
static const rs_action_kind silent_kind = { .name = "silent" };
static const rs_action_kind *const kinds[] = { &grab_kind, &silent_kind, NULL };

static json_t *finding(const char *module, const char *rule, const char *path)
{
	return json_pack("{s:s, s:s, s:s, s:{s:s}}", "type", "finding", "module", module, "rule", rule,
			 "evidence", "path", path);
}

static json_t *build(void)
{
	json_t *findings = json_array();
	json_array_append_new(findings, finding("hunt", "hunt:yara.webshell", "/var/www/x.php"));
	json_array_append_new(findings, finding("persist", "persist:cron.download", "/etc/cron.d/x"));
	json_array_append_new(findings, finding("integrity", "integrity:unowned", "/var/www/x.php"));
	json_array_append_new(findings, json_pack("{s:s, s:{s:b}}", "rule", "odd", "evidence", "bogus", 1));
	rs_host host;
	assert_int_equal(rs_host_init(&host, "/", ""), 0);
	rs_test_capture_start();
	json_t *plan = rs_plan_build(findings, "0123abcd", "web01", &host, kinds);
	assert_true(rs_test_captured_contains("grab"));
	rs_test_capture_stop();
	rs_host_free(&host);
	json_decref(findings);
	return plan;
}

static void test_build_dedup(void **state)
{
	(void)state;
	json_t *plan = build();
	assert_string_equal(json_string_value(json_object_get(plan, "type")), "plan");
	assert_int_equal(json_integer_value(json_object_get(plan, "version")), 1);
	assert_string_equal(json_string_value(json_object_get(plan, "scan")), "0123abcd");
	assert_string_equal(json_string_value(json_object_get(plan, "root")), "/");
	const json_t *actions = json_object_get(plan, "actions");
	assert_int_equal(json_array_size(actions), 2);
	const json_t *first = json_array_get(actions, 0);
	assert_string_equal(json_string_value(json_object_get(first, "finding")), "hunt:yara.webshell");
	assert_string_equal(json_string_value(json_object_get(json_object_get(first, "target"), "path")),
			    "/var/www/x.php");
	json_decref(plan);
}

static json_t *round_trip(const json_t *plan)
{
	char *text = json_dumps(plan, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	char err[256];
	json_t *back = rs_plan_parse(text, strlen(text), err, sizeof(err));
	if (!back)
		fail_msg("parse: %s", err);
	free(text);
	return back;
}

static void test_token(void **state)
{
	(void)state;
	json_t *plan = build();
	char token[65], again[65], edited[65];
	rs_plan_token(plan, token);
	assert_int_equal(strlen(token), 64);
	json_t *back = round_trip(plan);
	rs_plan_token(back, again);
	assert_string_equal(token, again);

	json_array_remove(json_object_get(back, "actions"), 1);
	rs_plan_token(back, edited);
	assert_string_not_equal(token, edited);
	json_decref(back);

	/* a key order change is not an edit */
	json_t *reordered = json_pack("{s:O, s:O, s:O, s:O, s:O, s:O, s:O}", "actions",
				      json_object_get(plan, "actions"), "root", json_object_get(plan, "root"),
				      "version", json_object_get(plan, "version"), "type",
				      json_object_get(plan, "type"), "scan", json_object_get(plan, "scan"),
				      "host", json_object_get(plan, "host"), "created",
				      json_object_get(plan, "created"));
	rs_plan_token(reordered, again);
	assert_string_equal(token, again);
	json_decref(reordered);
	json_decref(plan);
}

static void test_parse_malformed(void **state)
{
	(void)state;
	struct {
		const char *text;
		const char *why;
	} cases[] = {
		{ "", "not JSON" },
		{ "[]", "not a plan" },
		{ "{\"type\":\"scan\"}", "not a plan" },
		{ "{\"type\":\"plan\",\"version\":2,\"root\":\"/\",\"actions\":[]}", "version" },
		{ "{\"type\":\"plan\",\"version\":1,\"actions\":[]}", "root" },
		{ "{\"type\":\"plan\",\"version\":1,\"root\":\"/\",\"scan\":5,\"actions\":[]}", "scan" },
		{ "{\"type\":\"plan\",\"version\":1,\"root\":\"/\",\"actions\":{}}", "actions" },
		{ "{\"type\":\"plan\",\"version\":1,\"root\":\"/\",\"actions\":[{\"action\":\"x\",\"target\":{}},5]}", "action 2 is not an object" },
		{ "{\"type\":\"plan\",\"version\":1,\"root\":\"/\",\"actions\":[{\"target\":{}}]}", "action 1 has no \"action\"" },
		{ "{\"type\":\"plan\",\"version\":1,\"root\":\"/\",\"actions\":[{\"action\":\"x\",\"target\":\"/x\"}]}", "target" },
		{ "{\"type\":\"plan\",\"version\":1,\"root\":\"/\",\"actions\":[{\"action\":\"x\",\"target\":{},\"finding\":1}]}", "finding" },
		{ "{\"type\":\"plan\",\"type\":\"plan\"}", "duplicate" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[256] = "";
		json_t *plan = rs_plan_parse(cases[i].text, strlen(cases[i].text), err, sizeof(err));
		if (plan)
			fail_msg("case %zu accepted", i);
		if (!strstr(err, cases[i].why))
			fail_msg("case %zu: \"%s\" lacks \"%s\"", i, err, cases[i].why);
	}
	const char ok[] = "{\"type\":\"plan\",\"version\":1,\"root\":\"/\",\"scan\":null,\"actions\":[]}";
	char err[256];
	json_t *plan = rs_plan_parse(ok, strlen(ok), err, sizeof(err));
	assert_non_null(plan);
	json_decref(plan);
}

/* A live-only kind is refused inside --root, with a message saying why;
 * a file kind is not. */
static void test_live_only_refused(void **state)
{
	(void)state;
	const rs_action_kind live = { .name = "suspend", .live_only = true };
	rs_test_capture_start();
	assert_int_equal(rs_respond_refuse_live_only(&live, "/mnt/image"), -1);
	assert_true(rs_test_captured_contains("cannot act inside --root /mnt/image"));
	rs_test_capture_stop();
	assert_int_equal(rs_respond_refuse_live_only(&live, NULL), 0);
	assert_int_equal(rs_respond_refuse_live_only(&live, "/"), 0);
	assert_int_equal(rs_respond_refuse_live_only(&grab_kind, "/mnt/image"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_dedup),
		cmocka_unit_test(test_token),
		cmocka_unit_test(test_parse_malformed),
		cmocka_unit_test(test_live_only_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
