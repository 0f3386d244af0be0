/*
 * test_collect_os.c — os-release parsing (quotes, escapes, bad lines), the
 * fallback to /usr/lib/os-release, symlinks resolved inside the root,
 * hostname and the kernel of a root that is not live.
 */
#include "testutil.h"
#include "collect/facts.h"
#include "core/host.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_parse_quotes(void **state)
{
	(void)state;
	const char *text =
		"# a comment\n"
		"PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"
		"NAME='Debian GNU/Linux'\n"
		"VERSION_ID=\"12\"\n"
		"VERSION_CODENAME=book\\ worm\n"
		"ID=debian\n"
		"\n"
		"HOME_URL=\"https://www.debian.org/\"\n";
	rs_facts f;
	rs_facts_init(&f);
	rs_test_capture_start();
	assert_int_equal(rs_parse_os_release(text, strlen(text), "os-release", &f), 0);
	assert_int_equal(rs_test_captured_count(), 0);
	rs_test_capture_stop();
	assert_string_equal(f.os_id, "debian");
	assert_string_equal(f.os_version, "12");
	assert_string_equal(f.os_name, "Debian GNU/Linux 12 (bookworm)");
	assert_string_equal(f.os_codename, "book worm");
	rs_facts_free(&f);
}

static void test_parse_escapes_and_errors(void **state)
{
	(void)state;
	const char *text =
		"NAME=\"say \\\"hi\\\" \\\\ \\$x\"\n"  /* 1 */
		"garbage line\n"                       /* 2 */
		"ID=\"unterminated\n"                  /* 3 */
		"=novalue\n"                           /* 4 */
		"VERSION_ID='it''s'\n";                /* 5 */
	rs_facts f;
	rs_facts_init(&f);
	rs_test_capture_start();
	assert_int_equal(rs_parse_os_release(text, strlen(text), "osr", &f), 3);
	assert_true(rs_test_captured_contains("osr:2: line is not KEY=VALUE"));
	assert_true(rs_test_captured_contains("osr:3: quote not closed"));
	assert_true(rs_test_captured_contains("osr:4: line is not KEY=VALUE"));
	rs_test_capture_stop();
	assert_string_equal(f.os_name, "say \"hi\" \\ $x");
	assert_null(f.os_id);
	assert_string_equal(f.os_version, "its");
	rs_facts_free(&f);
}

static void collect(const char *dir, rs_facts *f)
{
	rs_host h;
	assert_int_equal(rs_host_init(&h, dir, ""), 0);
	rs_facts_init(f);
	rs_test_capture_start();
	assert_int_equal(rs_collect_os(&h, f), 0);
	assert_int_equal(rs_test_captured_count(), 0);
	rs_test_capture_stop();
	rs_host_free(&h);
}

static void test_host_fallback_hostname_kernel(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	rs_test_write(dir, "usr/lib/os-release", "ID=alpine\nVERSION_ID=3.19.1\n");
	rs_test_write(dir, "etc/hostname", "# comment\n\n  web01  \nother\n");
	rs_test_mkdir(dir, "lib/modules/5.10.0-9-amd64");
	rs_test_mkdir(dir, "lib/modules/5.10.0-28-amd64");
	rs_test_mkdir(dir, "lib/modules/5.4.0-1-amd64");
	rs_test_write(dir, "lib/modules/9.9.9-file", "not a directory\n");
	rs_facts f;
	collect(dir, &f);
	assert_string_equal(f.os_id, "alpine");
	assert_string_equal(f.os_version, "3.19.1");
	assert_string_equal(f.hostname, "web01");
	assert_string_equal(f.kernel, "5.10.0-28-amd64");
	rs_facts_free(&f);
	rs_test_rmrf(dir);
	free(dir);
}

static void test_host_nothing(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	rs_facts f;
	collect(dir, &f);
	assert_null(f.os_id);
	assert_null(f.hostname);
	assert_null(f.kernel);
	rs_facts_free(&f);
	rs_test_rmrf(dir);
	free(dir);
}

static void test_host_symlinks_inside_root(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	rs_test_write(dir, "usr/lib/os-release", "ID=debian\nVERSION_ID=12\n");
	rs_test_mkdir(dir, "etc");
	rs_test_mkdir(dir, "usr/lib/modules/6.1.0-18-amd64");
	char *link = rs_sprintf("%s/etc/os-release", dir);
	assert_int_equal(symlink("../usr/lib/os-release", link), 0);
	rs_facts f;
	collect(dir, &f);
	assert_string_equal(f.os_id, "debian");
	assert_string_equal(f.kernel, "6.1.0-18-amd64");
	rs_facts_free(&f);

	/* An escaping target resolves inside the root: here to a file placed at
	 * <root>/etc/os-release-outside, never to the real /etc. */
	unlink(link);
	assert_int_equal(symlink("/etc/../../../../etc/os-release-outside", link), 0);
	rs_test_write(dir, "etc/os-release-outside", "ID=inside\n");
	collect(dir, &f);
	assert_string_equal(f.os_id, "inside");
	rs_facts_free(&f);

	/* Dangling once confined: falls back to /usr/lib/os-release. */
	char *inside = rs_sprintf("%s/etc/os-release-outside", dir);
	unlink(inside);
	collect(dir, &f);
	assert_string_equal(f.os_id, "debian");
	rs_facts_free(&f);
	free(inside);
	free(link);
	rs_test_rmrf(dir);
	free(dir);
}

static void test_live_host(void **state)
{
	(void)state;
	rs_host h;
	assert_int_equal(rs_host_init(&h, "/", NULL), 0);
	if (!h.live) {
		rs_host_free(&h);
		skip();
	}
	rs_facts f;
	rs_facts_init(&f);
	rs_collect_os(&h, &f);
	char name[256];
	assert_int_equal(gethostname(name, sizeof(name)), 0);
	assert_non_null(f.hostname);
	assert_string_equal(f.hostname, name);
	assert_non_null(f.kernel);
	rs_facts_free(&f);
	rs_host_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_quotes),
		cmocka_unit_test(test_parse_escapes_and_errors),
		cmocka_unit_test(test_host_fallback_hostname_kernel),
		cmocka_unit_test(test_host_nothing),
		cmocka_unit_test(test_host_symlinks_inside_root),
		cmocka_unit_test(test_live_host),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
