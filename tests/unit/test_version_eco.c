/*
 * test_version_eco.c — the application ecosystems' version orderings
 * (SemVer, PEP 440, Maven, Composer, RubyGems): the ordered vectors of
 * tests/fixtures/vuln/version-vectors/ hold for every pair, strings each
 * ecosystem refuses are refused, Composer normalises as composer/semver
 * does, and OSV ecosystem names pick their ordering.
 *
 * Also a helper for tests/e2e/test_version_eco.py (which checks the same
 * order against the ecosystems' own tools): `test_version_eco --compare`
 * reads "SCHEME<TAB>A<TAB>B" lines and prints -1, 0 or 1 for each;
 * `--valid SCHEME` reads versions and prints 1 or 0; `--normalize-composer`
 * reads versions and prints Composer's form ("!" when refused).
 */
#include "testutil.h"
#include "vuln/vuln.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct scheme_entry {
	const char *name;
	rs_version_scheme scheme;
} scheme_entry;

static const scheme_entry schemes[] = {
	{ "semver", RS_VERSION_SEMVER },   { "pep440", RS_VERSION_PEP440 },     { "maven", RS_VERSION_MAVEN },
	{ "composer", RS_VERSION_COMPOSER }, { "rubygems", RS_VERSION_RUBYGEMS },
};

static rs_version_scheme scheme_named(const char *name)
{
	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (!strcmp(schemes[i].name, name))
			return schemes[i].scheme;
	return RS_VERSION_NONE;
}

static int sign(int x)
{
	return x < 0 ? -1 : x > 0;
}

/* Checks every pair of the vector file NAME.txt under SCHEME. */
static void check_vectors(const char *name, rs_version_scheme scheme)
{
	const char *fixtures = getenv("RS_FIXTURES");
	assert_non_null(fixtures);
	char *path = rs_sprintf("%s/vuln/version-vectors/%s.txt", fixtures, name);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char *versions[512];
	int group[512];
	size_t n = 0;
	int g = -1;
	char line[512];
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (!line[0] || line[0] == '#')
			continue;
		assert_true(n < 512);
		bool same = !strncmp(line, "= ", 2);
		if (!same)
			g++;
		versions[n] = rs_strdup(same ? line + 2 : line);
		group[n] = g;
		n++;
	}
	fclose(f);
	assert_true(n >= 20);
	int failures = 0;
	for (size_t i = 0; i < n; i++) {
		if (!rs_version_valid(scheme, versions[i])) {
			print_error("%s: \"%s\" refused\n", name, versions[i]);
			failures++;
		}
		for (size_t j = 0; j < n; j++) {
			int want = sign(group[i] - group[j]);
			int got = sign(rs_version_cmp(scheme, versions[i], versions[j]));
			if (got != want) {
				print_error("%s: cmp(\"%s\", \"%s\") = %d, want %d\n", name, versions[i], versions[j], got, want);
				failures++;
			}
		}
	}
	for (size_t i = 0; i < n; i++)
		free(versions[i]);
	free(path);
	assert_int_equal(failures, 0);
}

static void test_semver_vectors(void **state)
{
	(void)state;
	check_vectors("semver", RS_VERSION_SEMVER);
}

static void test_pep440_vectors(void **state)
{
	(void)state;
	check_vectors("pep440", RS_VERSION_PEP440);
}

static void test_maven_vectors(void **state)
{
	(void)state;
	check_vectors("maven", RS_VERSION_MAVEN);
}

static void test_composer_vectors(void **state)
{
	(void)state;
	check_vectors("composer", RS_VERSION_COMPOSER);
}

static void test_rubygems_vectors(void **state)
{
	(void)state;
	check_vectors("rubygems", RS_VERSION_RUBYGEMS);
}

/* Numbers longer than any machine integer still compare by value. */
static void test_big_numbers(void **state)
{
	(void)state;
	assert_true(rs_version_semver_cmp("1.0.99999999999999999999", "1.0.100000000000000000000") < 0);
	assert_true(rs_version_semver_cmp("1.0.0-99999999999999999999", "1.0.0-100000000000000000000") < 0);
	assert_true(rs_version_pep440_cmp("1.99999999999999999999", "1.100000000000000000000") < 0);
	assert_true(rs_version_maven_cmp("1.99999999999999999999", "1.100000000000000000000") < 0);
	assert_true(rs_version_maven_cmp("1.0000000000000000000001", "1.1") == 0);
	assert_true(rs_version_rubygems_cmp("1.99999999999999999999", "1.100000000000000000000") < 0);
}

/* Malformed input: what each ecosystem's own parser refuses. */
static void test_invalid(void **state)
{
	(void)state;
	static const char *const semver_bad[] = { "", "1", "1.2", "1.2.3.4", "1.2.x", "01.2.3a", "1.2.3-", "1.2.3+",
						  "1.2.3-a..b", "1.2.3+a..b", "1.2.3-a b", "1.2.3-é", "a.b.c", "v", "-1.2.3" };
	for (size_t i = 0; i < sizeof(semver_bad) / sizeof(semver_bad[0]); i++)
		assert_false(rs_version_semver_valid(semver_bad[i]));
	/* packaging takes a separator after a word without a number */
	assert_true(rs_version_pep440_valid("1.0a-"));
	assert_true(rs_version_pep440_valid("1.0-dev-"));
	assert_true(rs_version_pep440_valid("1.0a--1"));
	assert_int_equal(rs_version_pep440_cmp("1.0a--1", "1.0a0.post1"), 0);
	static const char *const pep440_bad[] = { "", "a", "1.0-", "1.0+", "1.0+a..b", "1.0.", "1.0a1a2", "1!", "!1",
						  "1.0.dev0.post1", "1.0 1", "1.0+é", "french toast", "1.0b2c3" };
	for (size_t i = 0; i < sizeof(pep440_bad) / sizeof(pep440_bad[0]); i++)
		assert_false(rs_version_pep440_valid(pep440_bad[i]));
	static const char *const composer_bad[] = { "", "dev-master", "master", "dev-feature/x", "1.0.0.0.0", "1234567.1",
						    "1.0-gamma", "1.0 2.0", "foo", "1.0.0-alpha1.x" };
	for (size_t i = 0; i < sizeof(composer_bad) / sizeof(composer_bad[0]); i++)
		assert_false(rs_version_composer_valid(composer_bad[i]));
	static const char *const gem_bad[] = { "a", "1..0", "1.0-", "1.0.", "1.0 2", ".1", "1.0+a", "1-é" };
	for (size_t i = 0; i < sizeof(gem_bad) / sizeof(gem_bad[0]); i++)
		assert_false(rs_version_rubygems_valid(gem_bad[i]));
	/* Maven takes any string, but not an empty or overlong one */
	assert_true(rs_version_maven_valid("anything-goes_1+2"));
	assert_false(rs_version_maven_valid(""));
	char long_version[RS_VERSION_APP_MAX + 8];
	memset(long_version, '1', sizeof(long_version) - 1);
	long_version[sizeof(long_version) - 1] = 0;
	assert_false(rs_version_maven_valid(long_version));
	assert_false(rs_version_semver_valid(NULL));
	/* refused strings sort before every version and stay antisymmetric */
	assert_true(rs_version_semver_cmp("garbage", "0.0.0") < 0);
	assert_true(rs_version_semver_cmp("0.0.0", "garbage") > 0);
	assert_true(rs_version_pep440_cmp("x", "y") < 0 && rs_version_pep440_cmp("y", "x") > 0);
	assert_int_equal(rs_version_composer_cmp("dev-main", "dev-main"), 0);
}

/* composer/semver's normalised forms (the strings VersionParser::normalize returns). */
static void test_composer_normalize(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{ "1.0.0", "1.0.0.0" },        { "v1.2", "1.2.0.0" },               { "1.2.3.4", "1.2.3.4" },
		{ "1.0-beta.2", "1.0.0.0-beta2" }, { "1.0.0-rc1-dev", "1.0.0.0-RC1-dev" }, { "1.0.0-pl3", "1.0.0.0-patch3" },
		{ "2.1.x-dev", "2.1.9999999.9999999-dev" }, { "2-dev", "2.0.0.0-dev" }, { "2.x-dev", "2.9999999.9999999.9999999-dev" },
		{ "123456", "123456" }, { "2023.01.15", "2023.01.15.0" }, { "1.0-", "1.0.0.0" },
		{ "1.0.0+foo", "1.0.0.0" },    { "1.0.0-stable", "1.0.0.0" },       { "1.0 as 2.0", "1.0.0.0" },
		{ "1.0.0@beta", "1.0.0.0" },   { "2023-01-15-beta2", "2023.01.15-beta2" },
		{ "  1.0  ", "1.0.0.0" },      { "1.0.0-alpha.1.2", "1.0.0.0-alpha1.2" }, { "1.0.0-a", "1.0.0.0-alpha" },
		{ "1.0.0.dev", "1.0.0.0-dev" }, { "1.0.0-BETA", "1.0.0.0-beta" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[600];
		int rc = rs_version_composer_normalize(cases[i][0], out, sizeof(out));
		if (rc != 0 || strcmp(out, cases[i][1]))
			print_error("normalize(\"%s\") = %s, want %s\n", cases[i][0], rc ? "(refused)" : out, cases[i][1]);
		assert_int_equal(rc, 0);
		assert_string_equal(out, cases[i][1]);
	}
	char small[4];
	assert_int_equal(rs_version_composer_normalize("1.0.0", small, sizeof(small)), -1);
}

static void test_ecosystem_scheme(void **state)
{
	(void)state;
	assert_int_equal(rs_ecosystem_scheme("npm"), RS_VERSION_SEMVER);
	assert_int_equal(rs_ecosystem_scheme("crates.io"), RS_VERSION_SEMVER);
	assert_int_equal(rs_ecosystem_scheme("Go"), RS_VERSION_SEMVER);
	assert_int_equal(rs_ecosystem_scheme("PyPI"), RS_VERSION_PEP440);
	assert_int_equal(rs_ecosystem_scheme("Maven"), RS_VERSION_MAVEN);
	assert_int_equal(rs_ecosystem_scheme("Maven:https://repo.example"), RS_VERSION_MAVEN);
	assert_int_equal(rs_ecosystem_scheme("Packagist"), RS_VERSION_COMPOSER);
	assert_int_equal(rs_ecosystem_scheme("RubyGems"), RS_VERSION_RUBYGEMS);
	assert_int_equal(rs_ecosystem_scheme("Debian:12"), RS_VERSION_DPKG);
	assert_int_equal(rs_ecosystem_scheme("npmx"), RS_VERSION_NONE);
	assert_int_equal(rs_ecosystem_scheme("GoLang"), RS_VERSION_NONE);
	assert_int_equal(rs_ecosystem_scheme("pypi"), RS_VERSION_NONE);
}

/* The helper modes for the end-to-end comparison with the ecosystems' tools. */
static int compare_mode(void)
{
	char line[2048];
	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\n")] = 0;
		char *a = strchr(line, '\t');
		char *b = a ? strchr(a + 1, '\t') : NULL;
		if (!b) {
			printf("?\n");
			continue;
		}
		*a++ = 0;
		*b++ = 0;
		rs_version_scheme s = scheme_named(line);
		if (s == RS_VERSION_NONE) {
			printf("?\n");
			continue;
		}
		printf("%d\n", sign(rs_version_cmp(s, a, b)));
	}
	return 0;
}

static int valid_mode(const char *name)
{
	rs_version_scheme s = scheme_named(name);
	char line[2048];
	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\n")] = 0;
		printf("%d\n", s != RS_VERSION_NONE && rs_version_valid(s, line));
	}
	return 0;
}

static int normalize_mode(void)
{
	char line[2048], out[1024];
	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\n")] = 0;
		if (rs_version_composer_normalize(line, out, sizeof(out)) == 0)
			printf("%s\n", out);
		else
			printf("!\n");
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--compare"))
		return compare_mode();
	if (argc > 2 && !strcmp(argv[1], "--valid"))
		return valid_mode(argv[2]);
	if (argc > 1 && !strcmp(argv[1], "--normalize-composer"))
		return normalize_mode();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_semver_vectors),   cmocka_unit_test(test_pep440_vectors),
		cmocka_unit_test(test_maven_vectors),    cmocka_unit_test(test_composer_vectors),
		cmocka_unit_test(test_rubygems_vectors), cmocka_unit_test(test_big_numbers),
		cmocka_unit_test(test_invalid),          cmocka_unit_test(test_composer_normalize),
		cmocka_unit_test(test_ecosystem_scheme),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
