/*
 * test_drill_scenario.c — drill scenarios (src/drill/scenario.c): the
 * bundled ones load; malformed files are refused with the file and line;
 * the authorisation file (allow.c); step expansion (expand.c) and the
 * matching of findings to steps (score.c).
 */
#include "testutil.h"

#include "core/util.h"
#include "drill/allow.h"
#include "drill/plant.h"
#include "drill/scenario.h"
#include "drill/score.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char good[] =
	"id: demo\n"
	"title: {en: Demo, vi: Thử}\n"
	"steps:\n"
	"  - technique: T1053.003\n"
	"    tactic: persistence\n"
	"    kind: cron\n"
	"    expect: {module: persist, rule: \"rasoat:persist.cron\", severity: high, within: 30s}\n"
	"  - technique: T1098.004\n"
	"    tactic: persistence\n"
	"    kind: authorized-key\n"
	"    params: {file: /home/u/.ssh/authorized_keys}\n"
	"    expect: {module: persist, rule: \"rasoat:persist.*\"}\n";

static void parses_good(void **state)
{
	(void)state;
	rs_drill_scenario sc;
	char err[512] = "";
	assert_int_equal(rs_drill_scenario_parse(good, strlen(good), "demo.yaml", &sc, err, sizeof(err)), 0);
	assert_string_equal(sc.id, "demo");
	assert_string_equal(sc.title_vi, "Thử");
	assert_int_equal(sc.n_steps, 2);
	assert_string_equal(sc.steps[0].technique, "T1053.003");
	assert_int_equal(sc.steps[0].expect.severity, RS_SEV_HIGH);
	assert_int_equal(sc.steps[0].expect.within_ms, 30000);
	assert_int_equal(sc.steps[1].expect.severity, RS_SEV_LOW); /* the default */
	assert_int_equal(sc.steps[1].expect.within_ms, 60000);
	assert_int_equal(sc.steps[1].line, 8);
	assert_string_equal(json_string_value(json_object_get(sc.steps[1].params, "file")),
			    "/home/u/.ssh/authorized_keys");
	rs_drill_scenario_free(&sc);
}

/* TEXT must be refused with an error holding NEEDLE. */
static void refused(const char *text, const char *needle)
{
	rs_drill_scenario sc;
	char err[512] = "";
	int rc = rs_drill_scenario_parse(text, strlen(text), "bad.yaml", &sc, err, sizeof(err));
	if (rc == 0 || !strstr(err, needle))
		fail_msg("wanted an error with \"%s\", got rc %d: %s", needle, rc, err);
	rs_drill_scenario_free(&sc);
}

static void refuses_malformed(void **state)
{
	(void)state;
	refused("id: x\ntitle: [unclosed\n", "bad.yaml:");                      /* not YAML */
	refused("- a\n- b\n", "bad.yaml:1: a scenario must be a mapping");
	refused("id: Bad Id\ntitle: {en: a, vi: b}\nsteps: []\n", "bad.yaml:1: \"id\"");
	refused("id: x\ntitle: {en: a}\nsteps: []\n", "bad.yaml:2: \"vi\" is missing");
	refused("id: x\ntitle: {en: a, vi: b}\nsteps: []\n", "bad.yaml:3: a scenario needs");
	refused("id: x\ntitle: {en: a, vi: b}\nsteps:\n  - technique: T10\n    tactic: impact\n    kind: cron\n"
		"    expect: {module: persist, rule: r}\n", "bad.yaml:4: \"technique\"");
	refused("id: x\ntitle: {en: a, vi: b}\nsteps:\n  - technique: T1000\n    tactic: impact\n"
		"    kind: format-disk\n    expect: {module: persist, rule: r}\n", "bad.yaml:6: unknown step kind");
	refused("id: x\ntitle: {en: a, vi: b}\nsteps:\n  - technique: T1000\n    tactic: lunch\n"
		"    kind: cron\n    expect: {module: persist, rule: r}\n", "bad.yaml:5: \"tactic\"");
	refused("id: x\ntitle: {en: a, vi: b}\nsteps:\n  - technique: T1000\n    tactic: impact\n"
		"    kind: cron\n    expect: {module: persist, rule: r, within: soon}\n", "bad.yaml:7: \"within\"");
	refused("id: x\ntitle: {en: a, vi: b}\nsteps:\n  - technique: T1000\n    tactic: impact\n"
		"    kind: cron\n    expect: {module: persist, rule: r, severity: huge}\n", "\"severity\"");
	refused("id: x\ntitle: {en: a, vi: b}\nsteps:\n  - technique: T1000\n    tactic: impact\n"
		"    kind: cron\n    colour: red\n    expect: {module: persist, rule: r}\n", "bad.yaml:7: unknown key");
	refused("id: x\ntitle: {en: a, vi: b}\nsteps:\n  - technique: T1000\n    tactic: impact\n"
		"    kind: cron\n", "\"expect\" must be a mapping");
	refused("id: x\ntitle: {en: a, vi: b}\nsteps:\n  - technique: T1000\n    tactic: impact\n"
		"    kind: cron\n    params: [1]\n    expect: {module: persist, rule: r}\n", "\"params\"");
	refused("", "bad.yaml:");
	/* a scenario with more than 64 steps */
	rs_buf b;
	rs_buf_init(&b);
	rs_buf_puts(&b, "id: x\ntitle: {en: a, vi: b}\nsteps:\n");
	for (int i = 0; i < 65; i++)
		rs_buf_puts(&b, "  - {technique: T1000, tactic: impact, kind: cron, expect: {module: m, rule: r}}\n");
	refused(b.data, "between 1 and 64 steps");
	rs_buf_free(&b);
}

static void bundled_scenarios_load(void **state)
{
	(void)state;
	const char *dir = rs_drill_default_dir();
	assert_non_null(dir);
	rs_drill_scenario *list;
	size_t n;
	char err[512] = "";
	if (rs_drill_scenarios_load_dir(dir, &list, &n, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	assert_true(n >= 3);
	/* at least 20 distinct techniques across the bundled scenarios */
	json_t *seen = json_object();
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < list[i].n_steps; k++)
			json_object_set_new(seen, list[i].steps[k].technique, json_true());
	assert_true(json_object_size(seen) >= 20);
	json_decref(seen);
	rs_drill_scenarios_free(list, n);
}

static void allow_file(void **state)
{
	(void)state;
	const char *text = "# drills on web01 during the exercise\nweb01 2026-12-04T08:00:00Z 2026-12-04T17:00:00Z\n"
			   "\nother 2020-01-01T00:00:00Z 2030-01-01T00:00:00Z # not us\n";
	bool ok = false;
	char err[512] = "";
	time_t in = 1796342400 + 9 * 3600; /* 2026-12-04T09:00:00Z */
	assert_int_equal(rs_drill_allow_parse(text, strlen(text), "allow", "web01", in, &ok, err, sizeof(err)), 0);
	assert_true(ok);
	assert_int_equal(rs_drill_allow_parse(text, strlen(text), "allow", "web01", in + 9 * 3600, &ok, err,
					      sizeof(err)), 0);
	assert_false(ok); /* after the window */
	assert_int_equal(rs_drill_allow_parse(text, strlen(text), "allow", "db01", in, &ok, err, sizeof(err)), 0);
	assert_false(ok);
	const char *bad = "web01 2026-12-04T08:00:00Z\n";
	assert_int_equal(rs_drill_allow_parse(bad, strlen(bad), "allow", "web01", in, &ok, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "allow:1:"));
	assert_false(ok);
	const char *backwards = "#\nweb01 2026-12-04T08:00:00Z 2026-12-04T07:00:00Z\n";
	assert_int_equal(rs_drill_allow_parse(backwards, strlen(backwards), "allow", "web01", in, &ok, err,
					      sizeof(err)), -1);
	assert_non_null(strstr(err, "allow:2:"));
	const char nul[] = "web01\0 2026-12-04T08:00:00Z 2026-12-04T17:00:00Z\n";
	assert_int_equal(rs_drill_allow_parse(nul, sizeof(nul) - 1, "allow", "web01", in, &ok, err, sizeof(err)), -1);
}

static void expands_and_matches(void **state)
{
	(void)state;
	rs_drill_scenario sc;
	char err[512] = "";
	assert_int_equal(rs_drill_scenario_parse(good, strlen(good), "demo.yaml", &sc, err, sizeof(err)), 0);
	json_t *t = rs_drill_expand(&sc.steps[0], 0, "d-0123456789abcdef", 4444, err, sizeof(err));
	assert_non_null(t);
	assert_int_equal(json_array_size(t), 1);
	const json_t *p = json_array_get(t, 0);
	assert_string_equal(json_string_value(json_object_get(p, "path")), "/etc/cron.d/rasoat-drill-0123456789abcdef");
	assert_non_null(strstr(json_string_value(json_object_get(p, "content")), "0 0 31 2 *")); /* never runs */
	json_t *f = json_pack("{s:s,s:s,s:s,s:{s:s}}", "module", "persist", "rule", "rasoat:persist.cron", "severity",
			      "high", "evidence", "path", "/etc/cron.d/rasoat-drill-0123456789abcdef");
	assert_true(rs_drill_expect_met(&sc.steps[0].expect, f));
	assert_true(rs_drill_finding_of(f, "rasoat-drill-0123456789abcdef", t));
	json_object_set_new(f, "severity", json_string("medium"));
	assert_false(rs_drill_expect_met(&sc.steps[0].expect, f)); /* below the minimum */
	json_object_set_new(json_object_get(f, "evidence"), "path", json_string("/etc/cron.d/other"));
	assert_false(rs_drill_finding_of(f, "rasoat-drill-0123456789abcdef", t));
	json_decref(f);
	json_decref(t);
	/* the authorized_keys line is matched by its digest, not by the file alone */
	t = rs_drill_expand(&sc.steps[1], 1, "d-0123456789abcdef", 4444, err, sizeof(err));
	assert_non_null(t);
	f = json_pack("{s:s,s:s,s:s,s:{s:s,s:s}}", "module", "persist", "rule", "rasoat:persist.ssh_authorized_key",
		      "severity", "high", "evidence", "path", "/home/u/.ssh/authorized_keys", "line_sha256", "00");
	assert_false(rs_drill_finding_of(f, "rasoat-drill-0123456789abcdef", t));
	json_decref(f);
	json_decref(t);
	/* a docroot with .. is refused */
	json_object_set_new(sc.steps[1].params, "file", json_string("/root/../etc/passwd"));
	assert_null(rs_drill_expand(&sc.steps[1], 1, "d-0123456789abcdef", 4444, err, sizeof(err)));
	rs_drill_scenario_free(&sc);
}

/* history-wipe: sandbox only; a throw-away account that cannot log in, the
 * marked line in its own home, its history linked to /dev/null */
static void history_wipe(void **state)
{
	(void)state;
	assert_true(rs_drill_kind_known("history-wipe"));
	assert_true(rs_drill_kind_needs_root("history-wipe"));
	assert_false(rs_drill_kind_live_only("history-wipe"));
	rs_drill_step st = { .kind = "history-wipe" };
	char err[256] = "";
	json_t *t = rs_drill_expand(&st, 2, "d-0123456789abcdef", 4444, err, sizeof(err));
	assert_non_null(t);
	assert_int_equal(json_array_size(t), 3);
	const json_t *pw = json_array_get(t, 0), *rc = json_array_get(t, 1), *ln = json_array_get(t, 2);
	assert_string_equal(json_string_value(json_object_get(pw, "path")), "/etc/passwd");
	assert_string_equal(json_string_value(json_object_get(pw, "content")),
			    "rsdrillh0123456:x:60998:60998:rasoat-drill-0123456789abcdef:"
			    "/home/rasoat-drill-0123456789abcdef:/usr/sbin/nologin\n");
	assert_string_equal(json_string_value(json_object_get(rc, "path")),
			    "/home/rasoat-drill-0123456789abcdef/.bashrc");
	assert_non_null(strstr(json_string_value(json_object_get(rc, "content")),
			       "\nunset HISTFILE  # rasoat-drill d-0123456789abcdef\n"));
	assert_string_equal(json_string_value(json_object_get(ln, "link_to")), "/dev/null");
	json_t *f = json_pack("{s:s,s:s,s:s,s:{s:s}}", "module", "persist", "rule", "rasoat:persist.history_off",
			      "severity", "medium", "evidence", "path", "/home/rasoat-drill-0123456789abcdef/.bashrc");
	assert_true(rs_drill_finding_of(f, "rasoat-drill-0123456789abcdef", t));
	json_object_set_new(json_object_get(f, "evidence"), "path", json_string("/root/.bashrc"));
	assert_false(rs_drill_finding_of(f, "rasoat-drill-0123456789abcdef", t));
	json_decref(f);
	json_decref(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_good),
		cmocka_unit_test(refuses_malformed),
		cmocka_unit_test(bundled_scenarios_load),
		cmocka_unit_test(allow_file),
		cmocka_unit_test(expands_and_matches),
		cmocka_unit_test(history_wipe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
