/*
 * test_audit_regex.c — the two regex dialects of SCA rules: OSSEC's (4.x:
 * case-insensitive, \. any character, + and * only after an escape, [ and .
 * literal) translated to PCRE2, and PCRE2 itself (5.x); malformed patterns
 * are refused with a message.
 */
#include "testutil.h"
#include "audit/sca.h"

#include <stdlib.h>
#include <string.h>

static bool m(const char *pattern, rs_sca_dialect d, const char *text)
{
	char err[256];
	rs_sca_regex *re = rs_sca_regex_compile(pattern, d, err, sizeof(err));
	assert_non_null(re);
	bool r = rs_sca_regex_match(re, text, strlen(text), NULL, 0);
	rs_sca_regex_free(re);
	return r;
}

static void test_ossec_basics(void **state)
{
	(void)state;
	assert_true(m("PermitRootLogin yes", RS_SCA_OSSEC, "permitrootlogin YES"));  /* case-insensitive */
	assert_true(m("^\\s*\\t*MaxAuthTries\\s+\\d+", RS_SCA_OSSEC, "  MaxAuthTries 4"));
	assert_false(m("^MaxAuthTries", RS_SCA_OSSEC, "# MaxAuthTries 4"));
	assert_true(m("12\\.", RS_SCA_OSSEC, "12x"));        /* \. is any character */
	assert_true(m("pam_unix.so", RS_SCA_OSSEC, "pam_unix.so"));
	assert_false(m("pam_unix.so", RS_SCA_OSSEC, "pam_unixXso")); /* . is literal */
	assert_true(m("install /bin/false|install /bin/true", RS_SCA_OSSEC, "install /bin/true"));
	assert_true(m("^ALL: ALL$", RS_SCA_OSSEC, "ALL: ALL"));
	assert_false(m("^ALL: ALL$", RS_SCA_OSSEC, "ALL: ALL, x"));
	assert_true(m("\\w+@\\w+", RS_SCA_OSSEC, "root@host-1"));
	assert_true(m("\\p", RS_SCA_OSSEC, "a;b"));
	assert_false(m("^\\S+$", RS_SCA_OSSEC, "a b"));
	assert_true(m("\\$HOME", RS_SCA_OSSEC, "x$HOME"));
}

static void test_ossec_literal_quirks(void **state)
{
	(void)state;
	/* [ ] { } are plain characters in OS_Regex */
	assert_true(m("[org/gnome/login-screen]", RS_SCA_OSSEC, "[org/gnome/login-screen]"));
	assert_false(m("[org/gnome/login-screen]", RS_SCA_OSSEC, "o"));
	/* + after a plain letter is a plain '+': (d+) never matches digits */
	assert_false(m("restrict -(d+)", RS_SCA_OSSEC, "restrict -6 default"));
	assert_true(m("restrict -(\\d+)", RS_SCA_OSSEC, "restrict -6 default"));
	assert_true(m("a+b", RS_SCA_OSSEC, "a+b"));
}

static void test_ossec_malformed(void **state)
{
	(void)state;
	char err[256];
	assert_null(rs_sca_regex_compile("(abc", RS_SCA_OSSEC, err, sizeof(err)));
	assert_non_null(strstr(err, "unbalanced"));
	assert_null(rs_sca_regex_compile("abc)", RS_SCA_OSSEC, err, sizeof(err)));
	assert_non_null(strstr(err, "unbalanced"));
	assert_null(rs_sca_regex_compile("abc\\", RS_SCA_OSSEC, err, sizeof(err)));
	assert_null(rs_sca_regex_compile("[abc", RS_SCA_PCRE2, err, sizeof(err)));
	assert_non_null(strstr(err, "bad regex"));
	char *t = rs_ossec_regex_to_pcre2("a.b", err, sizeof(err));
	assert_string_equal(t, "a\\.b");
	free(t);
}

static void test_pcre2_dialect(void **state)
{
	(void)state;
	assert_true(m("^\\s*PermitRootLogin\\s+no", RS_SCA_PCRE2, "permitrootlogin no"));
	assert_true(m("[\\w@-]+", RS_SCA_PCRE2, "abc"));
	assert_true(m("12\\.", RS_SCA_PCRE2, "12.0"));
	assert_false(m("12\\.", RS_SCA_PCRE2, "12x"));
	char err[256], cap[16];
	rs_sca_regex *re = rs_sca_regex_compile("^MaxAuthTries\\s+(\\d+)", RS_SCA_PCRE2, err, sizeof(err));
	assert_true(rs_sca_regex_match(re, "MaxAuthTries 7", 14, cap, sizeof(cap)));
	assert_string_equal(cap, "7");
	rs_sca_regex_free(re);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ossec_basics),
		cmocka_unit_test(test_ossec_literal_quirks),
		cmocka_unit_test(test_ossec_malformed),
		cmocka_unit_test(test_pcre2_dialect),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
