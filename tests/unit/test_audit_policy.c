/*
 * test_audit_policy.c — SCA policy files: both formats load (title/OSSEC
 * regex for 4.x, name/PCRE2 for 5.x, regex_type), variables are
 * substituted, malformed policies and checks are reported with the file,
 * line and check id while the rest still loads; lint finds Wazuh's
 * silently accepted mistakes; waivers parse and expire; the score weighs
 * checks by severity.
 */
#include "testutil.h"
#include "audit/sca.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

static const char *V4 =
	"policy:\n"
	"  id: \"demo\"\n"
	"  name: \"Demo\"\n"
	"variables:\n"
	"  $sshd_file: /etc/ssh/sshd_config\n"
	"requirements:\n"
	"  title: \"Linux\"\n"
	"  condition: all\n"
	"  rules:\n"
	"    - 'f:/etc/passwd'\n"
	"checks:\n"
	"  - id: 1\n"
	"    title: \"Root login\"\n"
	"    remediation: \"Set PermitRootLogin no\"\n"
	"    compliance:\n"
	"      - cis: [\"5.1.20\"]\n"
	"    condition: none\n"
	"    rules:\n"
	"      - 'f:$sshd_file -> r:^\\s*PermitRootLogin\\s+yes'\n"
	"  - id: 2\n"
	"    title: \"Broken rule type\"\n"
	"    condition: all\n"
	"    rules:\n"
	"      - 'x:/etc/passwd'\n"
	"  - id: 3\n"
	"    title: \"No rules\"\n"
	"    condition: all\n"
	"  - id: 4\n"
	"    title: \"Unbalanced\"\n"
	"    condition: any\n"
	"    rules:\n"
	"      - 'f:/etc/passwd -> r:(root'\n"
	"  - title: \"No id\"\n"
	"    condition: all\n"
	"    rules: ['f:/etc/passwd']\n"
	"  - id: 6\n"
	"    title: \"Fine again\"\n"
	"    severity: high\n"
	"    condition: all\n"
	"    rules: ['f:/etc/passwd -> r:^root:']\n";

static void test_v4_loads_with_check_errors(void **state)
{
	(void)state;
	rs_sca_policy p;
	rs_test_capture_start();
	assert_int_equal(rs_sca_policy_parse(&p, V4, strlen(V4), "demo.yml"), 0);
	/* each broken check is named with file, line and id */
	assert_true(rs_test_captured_contains("demo.yml:24: check 2: rule 1: unknown rule type 'x:'"));
	assert_true(rs_test_captured_contains("demo.yml:25: check 3: 'rules' is missing"));
	assert_true(rs_test_captured_contains("demo.yml:32: check 4: rule 1: unbalanced '('"));
	assert_true(rs_test_captured_contains("demo.yml:33: check (no id): missing field 'id'"));
	rs_test_capture_stop();
	assert_string_equal(p.id, "demo");
	assert_false(p.v5);
	assert_int_equal(p.dialect, RS_SCA_OSSEC);
	assert_int_equal(p.n_checks, 6);
	assert_int_equal(p.errors, 4);
	assert_null(p.checks[0].error);
	assert_string_equal(p.checks[0].rules[0].target, "/etc/ssh/sshd_config"); /* variable */
	assert_int_equal(p.checks[0].severity, RS_SEV_MEDIUM);               /* default */
	assert_non_null(p.checks[1].error);
	assert_null(p.checks[5].error);
	assert_int_equal(p.checks[5].severity, RS_SEV_HIGH);
	assert_true(p.has_requirements);
	rs_sca_policy_free(&p);
}

static void test_v5_and_regex_type(void **state)
{
	(void)state;
	const char *v5 = "policy: {id: five}\nchecks:\n  - id: 9\n    name: \"Five\"\n    condition: all\n"
			 "    rules: ['f:/etc/debian_version -> r:^\\d+\\.\\d']\n";
	rs_sca_policy p;
	assert_int_equal(rs_sca_policy_parse(&p, v5, strlen(v5), "five.yml"), 0);
	assert_true(p.v5);
	assert_int_equal(p.dialect, RS_SCA_PCRE2);
	assert_string_equal(p.checks[0].title, "Five");
	rs_sca_policy_free(&p);
	const char *rt = "policy: {id: rt, regex_type: pcre2}\nchecks:\n  - id: 1\n    title: t\n    condition: all\n"
			 "    rules: ['f:/x -> r:[a-z]{2}']\n";
	assert_int_equal(rs_sca_policy_parse(&p, rt, strlen(rt), "rt.yml"), 0);
	assert_int_equal(p.dialect, RS_SCA_PCRE2);
	assert_null(p.checks[0].error);
	rs_sca_policy_free(&p);
}

static void test_unusable_policies(void **state)
{
	(void)state;
	rs_sca_policy p;
	const char *bad_yaml = "policy:\n  id: x\nchecks:\n  - id: 1\n    title: [unclosed\n";
	rs_test_capture_start();
	assert_int_equal(rs_sca_policy_parse(&p, bad_yaml, strlen(bad_yaml), "bad.yml"), -1);
	assert_true(rs_test_captured_contains("bad.yml:"));
	assert_true(rs_test_captured_contains("YAML error"));
	rs_sca_policy_free(&p);
	const char *no_id = "policy:\n  name: x\nchecks:\n  - id: 1\n";
	assert_int_equal(rs_sca_policy_parse(&p, no_id, strlen(no_id), "noid.yml"), -1);
	assert_true(rs_test_captured_contains("noid.yml:2: the policy has no 'policy: id:'"));
	rs_sca_policy_free(&p);
	const char *no_checks = "policy:\n  id: x\n";
	assert_int_equal(rs_sca_policy_parse(&p, no_checks, strlen(no_checks), "nochecks.yml"), -1);
	rs_sca_policy_free(&p);
	assert_int_equal(rs_sca_policy_parse(&p, "- a\n- b\n", 8, "list.yml"), -1);
	rs_sca_policy_free(&p);
	assert_int_equal(rs_sca_policy_parse(&p, "", 0, "empty.yml"), -1);
	rs_sca_policy_free(&p);
	rs_test_capture_stop();
	assert_true(rs_sca_looks_like_policy(V4, strlen(V4)));
	assert_false(rs_sca_looks_like_policy("rule x { condition: true }", 26));
}

static void test_lint(void **state)
{
	(void)state;
	const char *text =
		"policy: {id: lint}\nchecks:\n"
		"  - id: 10\n    title: a\n    condition: all\n    rules: ['f:/x -> n:^a\\s+(\\d+) compare => 3']\n"
		"  - id: 11\n    title: b\n    condition: all\n    rules: ['f:/etc/ntp.conf -> r:restrict -(d+) && r:default']\n"
		"  - id: 12\n    title: c\n    condition: all\n    rules: ['d:/etc/audit/rules.d -> r:x -> r:^-a && -F auid!=unset']\n"
		"  - id: 13\n    title: d\n    condition: all\n    rules: ['f:/x -> n:root_unlock_time >= 60']\n"
		"  - id: 14\n    title: e\n    condition: all\n    rules: ['f:/etc/passwd -> r:^root:']\n";
	rs_buf out;
	rs_buf_init(&out);
	int n = rs_sca_lint_text(text, strlen(text), "lint.yml", &out);
	assert_int_equal(n, 4);
	assert_non_null(strstr(out.data, "lint.yml:3: check 10: operator read as '=='"));
	assert_non_null(strstr(out.data, "check 11: 'd+'"));
	assert_non_null(strstr(out.data, "check 12: a test without r:"));
	assert_non_null(strstr(out.data, "check 13: numeric test"));
	assert_null(strstr(out.data, "check 14"));
	rs_buf_free(&out);
}

static void test_waivers(void **state)
{
	(void)state;
	const char *text = "# accepted risks\n"
			   "sca:rasoat_ssh:1004 2030-01-01 X11 needed by the CAD team (ticket 12)\n"
			   "sca:rasoat_ssh:1003 2020-01-01 expired long ago\n"
			   "sca:rasoat_kernel:3001 2030-01-01 host=router1 this host routes\n"
			   "bad line\n"
			   "sca:x:1 01/02/2030 wrong date\n";
	rs_waivers w = { 0 };
	rs_test_capture_start();
	assert_int_equal(rs_waivers_parse(&w, text, strlen(text), "waivers"), 2);
	assert_true(rs_test_captured_contains("waivers:5:"));
	assert_true(rs_test_captured_contains("waivers:6:"));
	rs_test_capture_stop();
	assert_int_equal(w.len, 3);
	bool expired;
	const rs_waiver *x = rs_waivers_find(&w, "sca:rasoat_ssh:1004", "web1", "2026-11-24", &expired);
	assert_non_null(x);
	assert_string_equal(x->reason, "X11 needed by the CAD team (ticket 12)");
	assert_null(rs_waivers_find(&w, "sca:rasoat_ssh:1003", "web1", "2026-11-24", &expired));
	assert_true(expired);
	assert_null(rs_waivers_find(&w, "sca:rasoat_kernel:3001", "web1", "2026-11-24", &expired));
	assert_false(expired);
	assert_non_null(rs_waivers_find(&w, "sca:rasoat_kernel:3001", "router1", "2026-11-24", &expired));
	assert_non_null(rs_waivers_find(&w, "sca:rasoat_ssh:1004", "web1", "2030-01-01", &expired)); /* through the day */
	assert_null(rs_waivers_find(&w, "sca:rasoat_ssh:1004", "web1", "2030-01-02", &expired));
	rs_waivers_free(&w);
}

static void test_score(void **state)
{
	(void)state;
	rs_audit_score *s = rs_audit_score_new();
	assert_int_equal(rs_audit_score_overall(s), -1);
	rs_audit_score_add(s, "ssh", RS_SEV_HIGH, "passed");      /* 6 */
	rs_audit_score_add(s, "ssh", RS_SEV_LOW, "failed");       /* 1 */
	rs_audit_score_add(s, "kernel", RS_SEV_CRITICAL, "failed"); /* 10 */
	rs_audit_score_add(s, "kernel", RS_SEV_MEDIUM, "passed"); /* 3 */
	rs_audit_score_add(s, "kernel", RS_SEV_HIGH, "not_applicable");
	rs_audit_score_add(s, "kernel", RS_SEV_HIGH, "waived");
	/* 9 passed of 20 */
	assert_int_equal(rs_audit_score_overall(s), 45);
	json_t *j = rs_audit_score_json(s);
	json_t *ssh = json_object_get(json_object_get(j, "categories"), "ssh");
	assert_int_equal(json_integer_value(json_object_get(ssh, "score")), 86);
	json_t *k = json_object_get(json_object_get(j, "categories"), "kernel");
	assert_int_equal(json_integer_value(json_object_get(k, "score")), 23);
	assert_int_equal(json_integer_value(json_object_get(k, "waived")), 1);
	assert_int_equal(json_integer_value(json_object_get(k, "not_applicable")), 1);
	json_decref(j);
	rs_audit_score_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v4_loads_with_check_errors),
		cmocka_unit_test(test_v5_and_regex_type),
		cmocka_unit_test(test_unusable_policies),
		cmocka_unit_test(test_lint),
		cmocka_unit_test(test_waivers),
		cmocka_unit_test(test_score),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
