/*
 * test_vuln_version.c — the dpkg, rpm and apk version comparators against
 * vectors of the package managers' own behaviour. Each dpkg vector is also
 * checked against `dpkg --compare-versions` when dpkg is installed, so a
 * wrong expectation here cannot hide a wrong comparator.
 */
#include "testutil.h"
#include "vuln/vuln.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct vector {
	const char *a, *b;
	int want; /* sign of a compared with b */
} vector;

static const vector dpkg_vectors[] = {
	{ "1.0", "1.0", 0 },
	{ "1.0", "1.1", -1 },
	{ "1.1", "1.0", 1 },
	{ "1.0", "1.0-0", 0 },
	{ "1.0-1", "1.0-2", -1 },
	{ "1.0-10", "1.0-9", 1 },
	{ "1:1.0", "2.0", 1 },
	{ "0:1.0", "1.0", 0 },
	{ "2:0.1", "1:9.9", 1 },
	{ "1.0~rc1", "1.0", -1 },
	{ "1.0~rc1", "1.0~rc2", -1 },
	{ "1.0~~", "1.0~", -1 },
	{ "1.0~", "1.0", -1 },
	{ "1.0~~a", "1.0~~", 1 },
	{ "1.0~", "1.0~a", -1 },
	{ "1.0", "1.0a", -1 },
	{ "1.0a", "1.0b", -1 },
	{ "1.0a", "1.0+", -1 },
	{ "1.0+", "1.0.", -1 },
	{ "1.0.", "1.0", 1 },
	{ "1.0+1", "1.0", 1 },
	{ "1.0.1", "1.0", 1 },
	{ "1.0.1", "1.0a", 1 },
	{ "1.9", "1.10", -1 },
	{ "1.10", "1.9", 1 },
	{ "1.09", "1.9", 0 },
	{ "1.009", "1.9", 0 },
	{ "1.2.3", "1.2.3a", -1 },
	{ "1.2.3-1", "1.2.3-1+b1", -1 },
	{ "1.2-3+b1", "1.2-3", 1 },
	{ "1.2-3+b1", "1.2-4", -1 },
	{ "1.2-3+b1", "1.2-3+b2", -1 },
	{ "3.0.11-1~deb12u2", "3.0.13-1~deb12u1", -1 },
	{ "3.0.13-1~deb12u1", "3.0.13-1", -1 },
	{ "3.0.13-1", "3.0.13-1+deb12u1", -1 },
	{ "7.88.1-10+deb12u5", "7.88.1-10+deb12u4", 1 },
	{ "7.88.1-10+deb12u5", "7.88.1-10+deb12u10", -1 },
	{ "1.21~bpo12+1", "1.21", -1 },
	{ "1.21~bpo12+1", "1.20", 1 },
	{ "1.21-1~bpo12+1", "1.21-1", -1 },
	{ "1.21-1~bpo12+1", "1.21-0", 1 },
	{ "2:9.0.1378-2", "9.1.0-1", 1 },
	{ "2:9.0.1378-2", "2:9.0.1378-3", -1 },
	{ "1:1.2.13.dfsg-1", "1:1.2.11.dfsg-1", 1 },
	{ "1:1.2.13.dfsg-1", "1:1.2.13.dfsg-1", 0 },
	{ "5.2.15-2+b2", "5.2.15-3", -1 },
	{ "5.2.15-2+b2", "5.2.15-2", 1 },
	{ "2024a-0+deb12u1", "2025a-1", -1 },
	{ "2024a-0+deb12u1", "2024a-0", 1 },
	{ "0.9", "0.10", -1 },
	{ "1.0-1ubuntu1", "1.0-1", 1 },
	{ "1.0-1ubuntu1", "1.0-2", -1 },
	{ "1.0-0ubuntu0.22.04.1", "1.0-1", -1 },
	{ "1.0-1ubuntu0.1", "1.0-1ubuntu1", -1 },
	{ "1.0+dfsg-1", "1.0-1", 1 },
	{ "1.0+dfsg-1", "1.0.1-1", -1 },
	{ "1.0~dfsg-1", "1.0-1", -1 },
	{ "10", "9", 1 },
	{ "1", "1.0", -1 },
	{ "1.0-a", "1.0-1", 1 },
	{ "1.0-a", "1.0-~", 1 },
	{ "1.0-1~", "1.0-1", -1 },
	{ "1:0", "0:9", 1 },
	{ "1.0-1.1", "1.0-1", 1 },
	{ "1.0-1.1", "1.0-1+b1", 1 },
	{ "4.19.0-21", "4.19.0-21+b1", -1 },
	{ "6.1.0-18", "6.1.0-17", 1 },
	{ "6.1.76-1", "6.1.0-18", 1 },
	{ "9.53.3~dfsg-7+deb12u1", "9.53.3~dfsg-7+deb12u6", -1 },
	{ "2.36-9+deb12u4", "2.36-9+deb12u10", -1 },
	{ "1.0.0", "1.0", 1 },
	{ "1.0a1", "1.0a", 1 },
	{ "1.0a10", "1.0a9", 1 }
};

static const vector rpm_vectors[] = {
	{ "1.0", "1.0", 0 },
	{ "1.0", "2.0", -1 },
	{ "2.0", "1.0", 1 },
	{ "2.0.1", "2.0.1", 0 },
	{ "2.0", "2.0.1", -1 },
	{ "2.0.1", "2.0", 1 },
	{ "2.0.1a", "2.0.1a", 0 },
	{ "2.0.1a", "2.0.1", 1 },
	{ "2.0.1", "2.0.1a", -1 },
	{ "5.5p1", "5.5p1", 0 },
	{ "5.5p1", "5.5p2", -1 },
	{ "5.5p2", "5.5p1", 1 },
	{ "5.5p10", "5.5p10", 0 },
	{ "5.5p1", "5.5p10", -1 },
	{ "5.5p10", "5.5p1", 1 },
	{ "10xyz", "10.1xyz", -1 },
	{ "10.1xyz", "10xyz", 1 },
	{ "xyz10", "xyz10", 0 },
	{ "xyz10", "xyz10.1", -1 },
	{ "xyz10.1", "xyz10", 1 },
	{ "xyz.4", "xyz.4", 0 },
	{ "xyz.4", "8", -1 },
	{ "8", "xyz.4", 1 },
	{ "xyz.4", "2", -1 },
	{ "2", "xyz.4", 1 },
	{ "5.5p2", "5.6p1", -1 },
	{ "5.6p1", "5.5p2", 1 },
	{ "5.6p1", "6.5p1", -1 },
	{ "6.5p1", "5.6p1", 1 },
	{ "6.0.rc1", "6.0", 1 },
	{ "6.0", "6.0.rc1", -1 },
	{ "10b2", "10a1", 1 },
	{ "10a2", "10b2", -1 },
	{ "1.0aa", "1.0aa", 0 },
	{ "1.0a", "1.0aa", -1 },
	{ "1.0aa", "1.0a", 1 },
	{ "10.0001", "10.0001", 0 },
	{ "10.0001", "10.1", 0 },
	{ "10.1", "10.0001", 0 },
	{ "10.0001", "10.0039", -1 },
	{ "10.0039", "10.0001", 1 },
	{ "4.999.9", "5.0", -1 },
	{ "5.0", "4.999.9", 1 },
	{ "20101121", "20101121", 0 },
	{ "20101121", "20101122", -1 },
	{ "20101122", "20101121", 1 },
	{ "2_0", "2_0", 0 },
	{ "2.0", "2_0", 0 },
	{ "2_0", "2.0", 0 },
	{ "a", "a", 0 },
	{ "a+", "a+", 0 },
	{ "a+", "a_", 0 },
	{ "a_", "a+", 0 },
	{ "+a", "+a", 0 },
	{ "+a", "_a", 0 },
	{ "_a", "+a", 0 },
	{ "+_", "+_", 0 },
	{ "_+", "+_", 0 },
	{ "_+", "_+", 0 },
	{ "+", "_", 0 },
	{ "_", "+", 0 },
	{ "1.0~rc1", "1.0~rc1", 0 },
	{ "1.0~rc1", "1.0", -1 },
	{ "1.0", "1.0~rc1", 1 },
	{ "1.0~rc1", "1.0~rc2", -1 },
	{ "1.0~rc2", "1.0~rc1", 1 },
	{ "1.0~rc1~git123", "1.0~rc1~git123", 0 },
	{ "1.0~rc1~git123", "1.0~rc1", -1 },
	{ "1.0~rc1", "1.0~rc1~git123", 1 },
	{ "1.0^", "1.0^", 0 },
	{ "1.0^", "1.0", 1 },
	{ "1.0", "1.0^", -1 },
	{ "1.0^git1", "1.0^git1", 0 },
	{ "1.0^git1", "1.0", 1 },
	{ "1.0", "1.0^git1", -1 },
	{ "1.0^git1", "1.0^git2", -1 },
	{ "1.0^git2", "1.0^git1", 1 },
	{ "1.0^git1", "1.01", -1 },
	{ "1.01", "1.0^git1", 1 },
	{ "1.0^20160101", "1.0^20160101", 0 },
	{ "1.0^20160101", "1.0.1", -1 },
	{ "1.0.1", "1.0^20160101", 1 },
	{ "1.0^20160101^git1", "1.0^20160101^git1", 0 },
	{ "1.0^20160102", "1.0^20160101^git1", 1 },
	{ "1.0^20160101^git1", "1.0^20160102", -1 },
	{ "1.0~rc1^git1", "1.0~rc1^git1", 0 },
	{ "1.0~rc1^git1", "1.0~rc1", 1 },
	{ "1.0~rc1", "1.0~rc1^git1", -1 },
	{ "1.0^git1~pre", "1.0^git1~pre", 0 },
	{ "1.0^git1", "1.0^git1~pre", 1 },
	{ "1.0^git1~pre", "1.0^git1", -1 },
	{ "1:1.0-1", "2.0-1", 1 },
	{ "0:1.0-1", "1.0-1", 0 },
	{ "1.0-1.el9", "1.0-2.el9", -1 },
	{ "1.0-1.el9_2", "1.0-1.el9", 1 },
	{ "1.0", "1.0-5", 0 },
	{ "3.0.7-25.el9_3", "3.0.7-27.el9", -1 },
	{ "1:3.0.7-27.el9", "3.0.7-28.el9", 1 },
	{ "2.34-83.el9.7", "2.34-100.el9", -1 }
};

static const vector apk_vectors[] = {
	{ "1.0", "1.0", 0 },
	{ "1.0", "1.1", -1 },
	{ "1.1", "1.0", 1 },
	{ "1.9", "1.10", -1 },
	{ "1.10", "1.9", 1 },
	{ "1.2.3", "1.2.4", -1 },
	{ "2.0", "1.99", 1 },
	{ "1.0", "2", -1 },
	{ "1.0", "1", 1 },
	{ "1.0-r0", "1.0-r1", -1 },
	{ "1.0-r1", "1.0-r0", 1 },
	{ "1.0-r9", "1.0-r10", -1 },
	{ "1.0-r1", "1.0", 1 },
	{ "1.0", "1.0-r1", -1 },
	{ "1.0_alpha", "1.0_beta", -1 },
	{ "1.0_beta", "1.0_pre", -1 },
	{ "1.0_pre", "1.0_rc", -1 },
	{ "1.0_rc", "1.0", -1 },
	{ "1.0", "1.0_cvs", -1 },
	{ "1.0_cvs", "1.0_svn", -1 },
	{ "1.0_svn", "1.0_git", -1 },
	{ "1.0_git", "1.0_hg", -1 },
	{ "1.0_hg", "1.0_p", -1 },
	{ "1.0_p1", "1.0_p2", -1 },
	{ "1.0_p2", "1.0_p1", 1 },
	{ "1.0_rc1", "1.0_rc2", -1 },
	{ "1.0_alpha1", "1.0_alpha2", -1 },
	{ "1.0_alpha2", "1.0_beta1", -1 },
	{ "1.0_rc9", "1.0_rc10", -1 },
	{ "1.0_rc1", "1.0", -1 },
	{ "1.0", "1.0_rc1", 1 },
	{ "1.0_p1", "1.0", 1 },
	{ "1.0", "1.0_p1", -1 },
	{ "1.0a", "1.0b", -1 },
	{ "1.0b", "1.0a", 1 },
	{ "1.0", "1.0a", -1 },
	{ "1.0a", "1.0", 1 },
	{ "1.0a", "1.0.1", -1 },
	{ "1.0.1", "1.0a", 1 },
	{ "1.01", "1.1", -1 },
	{ "1.001", "1.01", -1 },
	{ "1.1", "1.01", 1 },
	{ "3.0.2-r0", "3.0.10-r0", -1 },
	{ "3.0.10-r0", "3.0.2-r0", 1 },
	{ "1.2.3_rc1", "1.2.3", -1 },
	{ "1.2.3_rc1", "1.2.2", 1 },
	{ "1.2_git20200101", "1.2", 1 },
	{ "1.2_pre1", "1.2", -1 },
	{ "20240101", "20231231", 1 },
	{ "1.0_rc1", "1.0-r1", -1 },
	{ "1.0_p1-r1", "1.0_p1", 1 },
	{ "1.0_p1", "1.0_p1-r1", -1 },
	{ "3.1.4-r5", "3.1.4-r5", 0 },
	{ "3.1.4-r5", "3.1.5-r0", -1 },
	{ "3.1.5-r0", "3.1.4-r5", 1 },
	{ "1.36.1-r15", "1.36.1-r2", 1 },
	{ "8.5.0-r0", "8.4.0-r1", 1 },
	{ "2.40.1-r0", "2.40.1-r1", -1 },
	{ "1.2.3a-r1", "1.2.3a-r0", 1 },
	{ "1.2.3a", "1.2.3b-r0", -1 },
	{ "1.0_beta_p1", "1.0_beta", 1 },
	{ "0.0.1", "0.0.2", -1 },
	{ "10.1", "9.99", 1 },
	{ "1.0.0", "1.0", 1 }
};

#define COUNT(v) (sizeof(v) / sizeof((v)[0]))

static int sign(int x)
{
	return x < 0 ? -1 : x > 0;
}

static void check_vectors(const vector *v, size_t n, int (*cmp)(const char *, const char *), const char *name)
{
	for (size_t i = 0; i < n; i++) {
		int got = sign(cmp(v[i].a, v[i].b));
		int back = sign(cmp(v[i].b, v[i].a));
		if (got != v[i].want || back != -v[i].want)
			fail_msg("%s: %s vs %s: got %d (reverse %d), want %d", name, v[i].a, v[i].b, got, back, v[i].want);
	}
}

/* Runs `dpkg --compare-versions A OP B`; 1 true, 0 false, -1 when dpkg cannot run. */
static int dpkg_says(const char *a, const char *op, const char *b)
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		freopen("/dev/null", "w", stderr);
		execlp("dpkg", "dpkg", "--compare-versions", a, op, b, (char *)NULL);
		_exit(127);
	}
	int status;
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) > 1)
		return -1;
	return WEXITSTATUS(status) == 0;
}

static void test_dpkg_vectors(void **state)
{
	(void)state;
	assert_true(COUNT(dpkg_vectors) >= 60);
	check_vectors(dpkg_vectors, COUNT(dpkg_vectors), rs_version_dpkg_cmp, "dpkg");
}

static void test_dpkg_vectors_match_dpkg(void **state)
{
	(void)state;
	if (dpkg_says("1", "lt", "2") != 1)
		skip();
	for (size_t i = 0; i < COUNT(dpkg_vectors); i++) {
		const vector *v = &dpkg_vectors[i];
		int lt = dpkg_says(v->a, "lt", v->b), eq = dpkg_says(v->a, "eq", v->b);
		if (lt < 0 || eq < 0)
			fail_msg("dpkg --compare-versions refuses %s vs %s", v->a, v->b);
		int dpkg = lt ? -1 : eq ? 0 : 1;
		if (dpkg != v->want)
			fail_msg("dpkg --compare-versions says %s vs %s is %d, the vector says %d", v->a, v->b, dpkg,
				 v->want);
	}
}

static void test_rpm_vectors(void **state)
{
	(void)state;
	assert_true(COUNT(rpm_vectors) >= 60);
	check_vectors(rpm_vectors, COUNT(rpm_vectors), rs_version_rpm_cmp, "rpm");
}

static void test_apk_vectors(void **state)
{
	(void)state;
	assert_true(COUNT(apk_vectors) >= 60);
	check_vectors(apk_vectors, COUNT(apk_vectors), rs_version_apk_cmp, "apk");
}

static void test_validity(void **state)
{
	(void)state;
	const char *dpkg_good[] = { "1.0", "1:2.3-4", "3.0.11-1~deb12u2", "1.21~bpo12+1", "2024a-0+deb12u1" };
	const char *dpkg_bad[] = { "", "a1.0", "1.0 2", "x:1.0", ":1.0", "1.0-", "1.0-a:b", "not a version!" };
	for (size_t i = 0; i < COUNT(dpkg_good); i++)
		assert_true(rs_version_dpkg_valid(dpkg_good[i]));
	for (size_t i = 0; i < COUNT(dpkg_bad); i++)
		if (rs_version_dpkg_valid(dpkg_bad[i]))
			fail_msg("dpkg accepted \"%s\"", dpkg_bad[i]);
	assert_true(rs_version_rpm_valid("1:3.0.7-27.el9"));
	assert_false(rs_version_rpm_valid("1.0 2"));
	assert_false(rs_version_rpm_valid("..."));
	assert_true(rs_version_apk_valid("1.2.3_rc1-r4"));
	assert_true(rs_version_apk_valid("1.0a_p1"));
	assert_false(rs_version_apk_valid("1.0-x"));
	assert_false(rs_version_apk_valid("v1.0"));
	assert_false(rs_version_apk_valid("1.0_foo"));
}

/* Garbage never crashes and the order stays antisymmetric. */
static void test_garbage(void **state)
{
	(void)state;
	const char *junk[] = { "", ":", "-", "~", "^", "::1", "1::", "99999999999999999999999:1", "\xff\xfe",
			       "1.0-r", "_", "1.0_", ".1", "1..2", "~~~~", "^^^", "a-b-c-d" };
	for (size_t i = 0; i < COUNT(junk); i++)
		for (size_t j = 0; j < COUNT(junk); j++) {
			assert_int_equal(sign(rs_version_dpkg_cmp(junk[i], junk[j])),
					 -sign(rs_version_dpkg_cmp(junk[j], junk[i])));
			assert_int_equal(sign(rs_version_rpm_cmp(junk[i], junk[j])),
					 -sign(rs_version_rpm_cmp(junk[j], junk[i])));
			rs_version_apk_cmp(junk[i], junk[j]);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dpkg_vectors),
		cmocka_unit_test(test_dpkg_vectors_match_dpkg),
		cmocka_unit_test(test_rpm_vectors),
		cmocka_unit_test(test_apk_vectors),
		cmocka_unit_test(test_validity),
		cmocka_unit_test(test_garbage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
