/*
 * test_drill_atomic.c — the Atomic Red Team YAML parser (a real-shaped
 * atomic, malformed files naming file and line), #{name} substitution with
 * overrides, the reasons a test cannot run, the test lookup, and the
 * sandbox's change list and walk scope over a fake upper layer.
 */
#include "testutil.h"
#include "core/util.h"
#include "drill/atomic.h"
#include "drill/sandbox.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

static const char atomic_yaml[] =
	"attack_technique: T1053.003\n"
	"display_name: 'Scheduled Task/Job: Cron'\n"
	"atomic_tests:\n"
	"- name: Cron - Add script to /etc/cron.d folder\n"
	"  auto_generated_guid: 078e69eb-d9fb-450e-b9d0-2e118217c846\n"
	"  supported_platforms:\n"
	"  - linux\n"
	"  input_arguments:\n"
	"    command:\n"
	"      description: Command to execute\n"
	"      type: string\n"
	"      default: echo 'Hello' > /tmp/atomic.log\n"
	"    cron_script_name:\n"
	"      type: string\n"
	"      default: persistevil\n"
	"  dependency_executor_name: bash\n"
	"  dependencies:\n"
	"  - description: crontab must exist\n"
	"    prereq_command: which crontab\n"
	"    get_prereq_command: apt-get install -y cron\n"
	"  executor:\n"
	"    name: sh\n"
	"    elevation_required: true\n"
	"    command: |\n"
	"      echo \"#{command}\" > /etc/cron.d/#{cron_script_name}\n"
	"    cleanup_command: |\n"
	"      rm /etc/cron.d/#{cron_script_name} -f\n"
	"- name: Windows only\n"
	"  supported_platforms: [windows]\n"
	"  executor:\n"
	"    name: powershell\n"
	"    command: Get-Thing\n"
	"- name: Manual\n"
	"  supported_platforms: [linux, macos]\n"
	"  executor:\n"
	"    name: manual\n"
	"    steps: do it by hand\n";

static void test_parse(void **state)
{
	(void)state;
	rs_atomic a;
	char err[512] = "";
	assert_int_equal(rs_atomic_parse(atomic_yaml, strlen(atomic_yaml), "T1053.003.yaml", &a, err, sizeof(err)), 0);
	assert_string_equal(a.technique, "T1053.003");
	assert_string_equal(a.display_name, "Scheduled Task/Job: Cron");
	assert_int_equal(a.n_tests, 3);
	const rs_atomic_test *t = &a.tests[0];
	assert_string_equal(t->name, "Cron - Add script to /etc/cron.d folder");
	assert_int_equal(t->line, 4);
	assert_true(t->linux);
	assert_true(t->elevation);
	assert_string_equal(t->executor, "sh");
	assert_string_equal(t->dep_executor, "bash");
	assert_int_equal(t->n_args, 2);
	assert_string_equal(t->args[1].name, "cron_script_name");
	assert_string_equal(t->args[1].def, "persistevil");
	assert_int_equal(t->n_deps, 1);
	assert_string_equal(t->deps[0].prereq, "which crontab");
	assert_null(rs_atomic_unsupported(t));
	assert_false(a.tests[1].linux);
	assert_non_null(strstr(rs_atomic_unsupported(&a.tests[1]), "not a Linux test"));
	assert_non_null(strstr(rs_atomic_unsupported(&a.tests[2]), "not sh or bash"));
	assert_null(a.tests[2].command);

	assert_ptr_equal(rs_atomic_find(&a, 2, NULL), &a.tests[1]);
	assert_null(rs_atomic_find(&a, 4, NULL));
	assert_ptr_equal(rs_atomic_find(&a, 0, "manual"), &a.tests[2]);
	assert_null(rs_atomic_find(&a, 0, "nothing"));
	rs_atomic_free(&a);
}

static void test_substitute(void **state)
{
	(void)state;
	rs_atomic a;
	char err[512];
	assert_int_equal(rs_atomic_parse(atomic_yaml, strlen(atomic_yaml), "x.yaml", &a, err, sizeof(err)), 0);
	const rs_atomic_test *t = &a.tests[0];
	char *s = rs_atomic_substitute(t->command, t, NULL, 0, "/atomics");
	assert_string_equal(s, "echo \"echo 'Hello' > /tmp/atomic.log\" > /etc/cron.d/persistevil\n");
	free(s);
	rs_atomic_override ov[] = { { "cron_script_name", "other" }, { "cron_script_name", "last" } };
	s = rs_atomic_substitute("#{cron_script_name} #{unknown} #{ PathToAtomicsFolder/T1/src $PathToAtomicsFolder", t,
				 ov, 2, "/atomics");
	assert_string_equal(s, "last #{unknown} #{ /atomics/T1/src /atomics");
	free(s);
	assert_true(rs_atomic_needs_network("curl -o x https://example.org/x"));
	assert_true(rs_atomic_needs_network("wget x"));
	assert_true(rs_atomic_needs_network("see http://example.org"));
	assert_false(rs_atomic_needs_network("curl-config; echo http://127.0.0.1:8080/"));
	assert_false(rs_atomic_needs_network("cat /etc/apt/apt.conf.d/99x"));
	assert_false(rs_atomic_needs_network(NULL));
	rs_atomic_free(&a);
}

/* Each malformed atomic fails with the file and the line of the problem. */
static void test_malformed(void **state)
{
	(void)state;
	static const struct { const char *text, *want; } cases[] = {
		{ "attack_technique: T1\natomic_tests:\n- name: a\n  supported_platforms: [linux\n", "x.yaml:4: YAML error" },
		{ "- just\n- a list\n", "x.yaml:1: not an atomic" },
		{ "display_name: x\natomic_tests: []\n", "x.yaml:1: not an atomic: no attack_technique" },
		{ "attack_technique: T1\natomic_tests: {}\n", "x.yaml:2: atomic_tests must be a list" },
		{ "attack_technique: T1\natomic_tests:\n- name: a\n  supported_platforms: linux\n  executor: {name: sh}\n",
		  "x.yaml:4: test \"a\": supported_platforms must be a list" },
		{ "attack_technique: T1\natomic_tests:\n- supported_platforms: [linux]\n", "x.yaml:3: an atomic test without a name" },
		{ "attack_technique: T1\natomic_tests:\n- name: a\n  supported_platforms: [linux]\n  executor: sh\n",
		  "x.yaml:5: test \"a\": executor must be a mapping" },
		{ "attack_technique: T1\natomic_tests:\n- name: a\n  supported_platforms: [linux]\n  executor:\n    command: x\n",
		  "x.yaml:6: test \"a\": the executor has no name" },
		{ "attack_technique: T1\natomic_tests:\n- name: a\n  supported_platforms: [linux]\n  executor: {name: sh}\n"
		  "  input_arguments:\n    x: 3\n", "x.yaml:7: input argument \"x\" must be a mapping" },
		{ "attack_technique: T1\natomic_tests:\n- name: a\n  supported_platforms: [linux]\n  executor: {name: sh}\n"
		  "  dependencies:\n  - description: d\n", "x.yaml:7: a dependency without prereq_command" },
		{ "attack_technique: [T1]\natomic_tests: []\n", "x.yaml:1: \"attack_technique\" must be a text value" },
		{ "attack_technique: T1\natomic_tests:\n- name: a\n  supported_platforms: [linux]\n  executor:\n"
		  "    name: sh\n    command: [a, b]\n", "x.yaml:7: \"command\" must be a text value" },
		{ "", "x.yaml:1: not an atomic" },
		{ "\xff\xfe\x00", "x.yaml:1: YAML error" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rs_atomic a;
		char err[512] = "";
		size_t len = i + 1 == sizeof(cases) / sizeof(cases[0]) ? 3 : strlen(cases[i].text);
		assert_int_equal(rs_atomic_parse(cases[i].text, len, "x.yaml", &a, err, sizeof(err)), -1);
		if (!strstr(err, cases[i].want))
			fail_msg("case %zu: \"%s\" does not contain \"%s\"", i, err, cases[i].want);
		rs_atomic_free(&a);
	}
	rs_atomic a;
	char err[512];
	assert_int_equal(rs_atomic_load("/nonexistent/T1.yaml", &a, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/T1.yaml"));
	rs_atomic_free(&a);
}

static bool has(const rs_vec *v, const char *s)
{
	for (size_t i = 0; i < v->len; i++)
		if (!strcmp(*(char **)rs_vec_at(v, i), s))
			return true;
	return false;
}

/* The change list and the scope over a fake upper layer and merged tree. */
static void test_changes_and_scope(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	rs_test_write(dir, "upper/etc/cron.d/evil", "x\n");
	rs_test_mkdir(dir, "upper/root");
	rs_test_write(dir, "merged/etc/cron.d/evil", "x\n");
	rs_test_write(dir, "merged/etc/cron.d/e2scrub_all", "y\n");
	rs_test_write(dir, "merged/etc/pa*wd", "z\n");
	rs_test_mkdir(dir, "merged/usr/bin");
	rs_test_mkdir(dir, "merged/root");
	rs_test_write(dir, "merged/tmp/new", "t\n");
	rs_test_mkdir(dir, "merged/dev/shm");
	char *wo = rs_sprintf("%s/upper/root/gone", dir);
	bool whiteout = mknod(wo, S_IFCHR | 0600, makedev(0, 0)) == 0;
	free(wo);
	rs_sandbox sb = { .dir = dir, .upper = rs_sprintf("%s/upper", dir), .merged = rs_sprintf("%s/merged", dir) };
	rs_vec paths, deleted, globs;
	char err[256];
	assert_int_equal(rs_sandbox_changes(&sb, &paths, &deleted, err, sizeof(err)), 0);
	assert_true(has(&paths, "/etc"));
	assert_true(has(&paths, "/etc/cron.d/evil"));
	assert_true(has(&paths, "/tmp/new"));
	assert_true(has(&paths, "/tmp"));
	assert_false(has(&paths, "/usr"));
	if (whiteout)
		assert_true(has(&deleted, "/root/gone"));
	rs_sandbox_scope_excludes(&sb, &paths, &globs);
	assert_true(has(&globs, "/usr"));
	assert_true(has(&globs, "/etc/cron.d/e2scrub_all"));
	assert_true(has(&globs, "/etc/pa\\*wd"));
	assert_false(has(&globs, "/etc/cron.d/evil"));
	assert_false(has(&globs, "/etc"));
	assert_false(has(&globs, "/tmp/new"));
	rs_sandbox_strings_free(&paths);
	rs_sandbox_strings_free(&deleted);
	rs_sandbox_strings_free(&globs);
	free(sb.upper);
	free(sb.merged);
	rs_test_rmrf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_substitute),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_changes_and_scope),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
