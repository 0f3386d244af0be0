/*
 * test_vuln_feeds.c — the OSV and Debian tracker readers (good records,
 * malformed ones skipped with a warning naming the file while the rest is
 * read), CVSS v3 base scores, the affected/unfixed/not-affected logic and
 * the host's ecosystems.
 */
#include "testutil.h"
#include "vuln/vuln.h"
#include "store/store.h"
#include "store/store_internal.h"
#include "store/vulndb.h"

#include <stdlib.h>
#include <string.h>

static const rs_vuln_record *find(const rs_vec *v, const char *package, const char *ecosystem)
{
	for (size_t i = 0; i < v->len; i++) {
		const rs_vuln_record *r = rs_vec_at(v, i);
		if (!strcmp(r->package, package) && !strcmp(r->ecosystem, ecosystem))
			return r;
	}
	return NULL;
}

static void test_osv_ranges(void **state)
{
	(void)state;
	const char *text =
		"{\"id\":\"DSA-1-1\",\"upstream\":[\"CVE-2024-1\",\"CVE-2024-2\",\"CVE-2024-1\"],"
		"\"severity\":[{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"}],"
		"\"affected\":[{\"package\":{\"ecosystem\":\"Debian:12\",\"name\":\"openssl\"},"
		"\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"3.0.13-1~deb12u1\"},"
		"{\"introduced\":\"3.1-1\"},{\"last_affected\":\"3.1-5\"},{\"introduced\":\"4.0-1\"}]},"
		"{\"type\":\"GIT\",\"events\":[{\"introduced\":\"abc\"}]}]}]}";
	rs_vec v;
	rs_vec_init(&v, sizeof(rs_vuln_record));
	rs_feed_stats st = { 0 };
	assert_int_equal(rs_osv_parse(text, strlen(text), "t.json", rs_test_collect_record, &v, &st), 0);
	assert_int_equal(v.len, 3);
	const rs_vuln_record *r = rs_vec_at(&v, 0);
	assert_string_equal(r->cves, "CVE-2024-1 CVE-2024-2");
	assert_string_equal(r->fixed, "3.0.13-1~deb12u1");
	assert_true(r->cvss > 9.79 && r->cvss < 9.81);
	r = rs_vec_at(&v, 1);
	assert_string_equal(r->introduced, "3.1-1");
	assert_null(r->fixed);
	assert_string_equal(r->last_affected, "3.1-5");
	r = rs_vec_at(&v, 2);
	assert_string_equal(r->introduced, "4.0-1");
	assert_null(r->fixed);
	assert_null(r->last_affected);
	rs_test_free_records(&v);
}

/* An explicit "versions" list (no ranges) affects exactly those versions. */
static void test_osv_versions_list(void **state)
{
	(void)state;
	const char *text = "{\"id\":\"GHSA-1\",\"database_specific\":{\"severity\":\"HIGH\"},"
			   "\"affected\":[{\"package\":{\"ecosystem\":\"Alpine:v3.19\",\"name\":\"a\"},"
			   "\"versions\":[\"1.0-r0\",\"1.1-r2\"]}]}";
	rs_vec v;
	rs_vec_init(&v, sizeof(rs_vuln_record));
	assert_int_equal(rs_osv_parse(text, strlen(text), "v.json", rs_test_collect_record, &v, NULL), 0);
	assert_int_equal(v.len, 2);
	const rs_vuln_record *r = rs_vec_at(&v, 1);
	assert_string_equal(r->urgency, "HIGH");
	assert_int_equal(rs_vuln_match_version(RS_VERSION_APK, r, "1.1-r2"), RS_VULN_UNFIXED);
	assert_int_equal(rs_vuln_match_version(RS_VERSION_APK, r, "1.1-r3"), RS_VULN_NOT_AFFECTED);
	assert_int_equal(rs_vuln_match_version(RS_VERSION_APK, r, "1.1-r1"), RS_VULN_NOT_AFFECTED);
	rs_test_free_records(&v);
}

static void test_osv_malformed(void **state)
{
	(void)state;
	const char *bad[][2] = {
		{ "bad.json", "{\"id\": \"X\", \"affected\": [" },
		{ "eco.json", "{\"id\":\"X\",\"affected\":[{\"package\":{\"ecosystem\":\"Nope:1\",\"name\":\"a\"},"
			      "\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"}]}]}]}" },
		{ "events.json", "{\"id\":\"X\",\"affected\":[{\"package\":{\"ecosystem\":\"Debian:12\",\"name\":\"a\"},"
				 "\"ranges\":[{\"type\":\"ECOSYSTEM\"}]}]}" },
		{ "version.json", "{\"id\":\"X\",\"affected\":[{\"package\":{\"ecosystem\":\"Debian:12\",\"name\":\"a\"},"
				  "\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"x y\"}]}]}]}" },
		{ "noid.json", "{\"affected\":[]}" },
		{ "array.json", "[1, 2]" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rs_vec v;
		rs_vec_init(&v, sizeof(rs_vuln_record));
		rs_test_capture_start();
		int problems = rs_osv_parse(bad[i][1], strlen(bad[i][1]), bad[i][0], rs_test_collect_record, &v, NULL);
		assert_true(problems > 0);
		assert_int_equal(v.len, 0);
		assert_true(rs_test_captured_contains(bad[i][0]));
		rs_test_capture_stop();
		rs_test_free_records(&v);
	}
}

/* The fixture folder: the good records are read, each bad file named once. */
static void test_osv_fixture_folder(void **state)
{
	(void)state;
	const char *fixtures = getenv("RS_FIXTURES");
	if (!fixtures)
		skip();
	char *dir = rs_sprintf("%s/vuln/osv", fixtures);
	rs_vec v;
	rs_vec_init(&v, sizeof(rs_vuln_record));
	rs_feed_stats st = { 0 };
	rs_test_capture_start();
	assert_int_equal(rs_osv_read_path(dir, rs_test_collect_record, &v, &st), 0);
	assert_int_equal(st.skipped, 4);
	assert_true(rs_test_captured_contains("bad-json.json"));
	assert_true(rs_test_captured_contains("unknown-ecosystem.json"));
	assert_true(rs_test_captured_contains("missing-events.json"));
	assert_true(rs_test_captured_contains("impossible-version.json"));
	rs_test_capture_stop();
	assert_non_null(find(&v, "curl", "Debian:12"));       /* from the nested folder too */
	assert_non_null(find(&v, "openssl", "Debian:11"));
	rs_test_free_records(&v);
	free(dir);
	/* the zip: one bad entry, two good */
	dir = rs_sprintf("%s/vuln/osv-extra.zip", fixtures);
	rs_vec_init(&v, sizeof(rs_vuln_record));
	memset(&st, 0, sizeof(st));
	rs_test_capture_start();
	assert_int_equal(rs_feed_read(dir, rs_test_collect_record, &v, &st), 0);
	assert_true(rs_test_captured_contains("zip-bad.json"));
	rs_test_capture_stop();
	assert_int_equal(v.len, 2);
	assert_int_equal(st.skipped, 1);
	rs_test_free_records(&v);
	free(dir);
}

/* Records read in place: a repeated key or a broken string in one record of
 * an array skips that record only; a file that is not JSON gives no record;
 * keys the reader does not use may hold anything valid. */
static void test_osv_in_place(void **state)
{
	(void)state;
	const char *text =
		"[{\"id\": \"A-1\", \"x\": {\"deep\": [1, {\"affected\": 2}]}, \"affected\": [{\"package\": "
		"{\"ecosystem\": \"Debian:12\", \"name\": \"bash\"}, \"ranges\": [{\"type\": \"ECOSYSTEM\", "
		"\"events\": [{\"introduced\": \"0\"}, {\"fixed\": \"5.2-1\"}]}]}]},\n"
		" {\"id\": \"A-2\", \"id\": \"A-3\", \"affected\": []},\n"
		" {\"id\": \"A-4\", \"summary\": \"bad \\u0000\", \"affected\": [{\"package\": "
		"{\"ecosystem\": \"Debian:12\", \"name\": \"zlib\"}, \"versions\": [\"1.2-1\"]}]},\n"
		" {\"id\": \"A-5\", \"aliases\": [\"CVE-2024-5\", 7, \"CVE-2024-5\"], \"affected\": [{\"package\": "
		"{\"ecosystem\": \"Debian:12\", \"name\": \"zlib\"}, \"versions\": [\"1.2-1\"]}]}]";
	rs_vec v;
	rs_vec_init(&v, sizeof(rs_vuln_record));
	rs_feed_stats st = { 0 };
	rs_test_capture_start();
	assert_int_equal(rs_osv_parse(text, strlen(text), "all.json", rs_test_collect_record, &v, &st), 2);
	assert_true(rs_test_captured_contains("a duplicate key"));
	assert_true(rs_test_captured_contains("OSV record A-4: not valid JSON"));
	rs_test_capture_stop();
	assert_int_equal(v.len, 2);
	const rs_vuln_record *r = rs_vec_at(&v, 0);
	assert_string_equal(r->record, "A-1");
	assert_string_equal(r->fixed, "5.2-1");
	r = rs_vec_at(&v, 1);
	assert_string_equal(r->cves, "CVE-2024-5");
	rs_test_free_records(&v);

	rs_vec_init(&v, sizeof(rs_vuln_record));
	rs_test_capture_start();
	const char *cut = "[{\"id\": \"A-1\", \"affected\": [";
	assert_int_equal(rs_osv_parse(cut, strlen(cut), "cut.json", rs_test_collect_record, &v, NULL), 1);
	assert_true(rs_test_captured_contains("cut.json: OSV record (no id): not valid JSON (line 1"));
	rs_test_capture_stop();
	assert_int_equal(v.len, 0);
	rs_test_free_records(&v);
}

static void test_tracker(void **state)
{
	(void)state;
	const char *text =
		"{\n \"bash\": {\"CVE-2024-1\": {\"description\": \"d\", \"releases\": {"
		"\"bookworm\": {\"status\": \"open\", \"urgency\": \"low\"},"
		"\"sid\": {\"status\": \"resolved\", \"fixed_version\": \"5.2-1\", \"urgency\": \"low\"},"
		"\"bullseye\": {\"status\": \"resolved\", \"fixed_version\": \"0\"}}}},\n"
		" \"weird\\\"name\": {\"TEMP-1\": {\"releases\": {\"bookworm\": {\"status\": \"undetermined\"}}}},\n"
		" \"bad\": [1, {\"}\": \"{\"}],\n"
		" \"gone\": {\"CVE-2024-2\": {\"releases\": {\"bookworm\": {\"status\": \"resolved\"}}}},\n"
		" \"zlib\": {\"CVE-2024-3\": {\"releases\": {\"bookworm\": {\"status\": \"resolved\", \"fixed_version\": \"1:1.3-1\"}}}},\n"
		" \"quiet\": {\"CVE-2024-9\": {\"releases\": []}}\n"  /* no release concerned: not malformed */
		"}\n";
	rs_vec v;
	rs_vec_init(&v, sizeof(rs_vuln_record));
	rs_feed_stats st = { 0 };
	rs_test_capture_start();
	assert_int_equal(rs_debtracker_parse(text, strlen(text), "tracker.json", rs_test_collect_record, &v, &st), 0);
	assert_true(rs_test_captured_contains("tracker.json:4"));  /* "bad", named with its line */
	assert_true(rs_test_captured_contains("tracker.json:5"));  /* resolved without fixed_version */
	assert_false(rs_test_captured_contains("CVE-2024-9"));     /* "releases": [] is quiet */
	rs_test_capture_stop();
	assert_int_equal(st.skipped, 2);
	assert_int_equal(v.len, 5);
	const rs_vuln_record *r = find(&v, "bash", "Debian:bookworm");
	assert_string_equal(r->status, "open");
	assert_null(r->fixed);
	assert_string_equal(r->cves, "CVE-2024-1");
	r = find(&v, "bash", "Debian:bullseye");
	assert_string_equal(r->status, "not-affected");
	r = find(&v, "weird\"name", "Debian:bookworm");
	assert_non_null(r);
	assert_string_equal(r->cves, "");
	assert_string_equal(r->record, "TEMP-1");
	r = find(&v, "zlib", "Debian:bookworm");
	assert_string_equal(r->fixed, "1:1.3-1");
	rs_test_free_records(&v);

	/* truncated mid-package: what came before is used, the end is warned about */
	const char *cut = "{\"zlib\": {\"CVE-2024-3\": {\"releases\": {\"bookworm\": {\"status\": \"open\"}}}},"
			  " \"bash\": {\"CVE-2";
	rs_vec_init(&v, sizeof(rs_vuln_record));
	rs_test_capture_start();
	assert_int_equal(rs_debtracker_parse(cut, strlen(cut), "cut.json", rs_test_collect_record, &v, NULL), 0);
	assert_true(rs_test_captured_contains("ends early"));
	rs_test_capture_stop();
	assert_int_equal(v.len, 1);
	rs_test_free_records(&v);

	rs_vec_init(&v, sizeof(rs_vuln_record));
	rs_test_capture_start();
	assert_int_equal(rs_debtracker_parse("[1]", 3, "array.json", rs_test_collect_record, &v, NULL), -1);
	assert_true(rs_test_captured_contains("array.json"));
	rs_test_capture_stop();
	rs_test_free_records(&v);

	/* a UTF-8 byte order mark before the object is read past */
	const char *bom = "\xef\xbb\xbf\n{\"zlib\": {\"CVE-2024-3\": {\"releases\": {\"bookworm\": {\"status\": \"open\"}}}}}";
	rs_vec_init(&v, sizeof(rs_vuln_record));
	assert_int_equal(rs_debtracker_parse(bom, strlen(bom), "bom.json", rs_test_collect_record, &v, NULL), 0);
	assert_int_equal(v.len, 1);
	rs_test_free_records(&v);
}

static void test_cvss(void **state)
{
	(void)state;
	struct { const char *v; double score; } cases[] = {
		{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8 },
		{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0 },
		{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5 },
		{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1 },
		{ "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N", 5.5 },
		{ "CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N", 5.9 },
		{ "CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", 1.6 },
		{ "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 9.9 },
		{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0 },
		{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O", 9.8 },
		{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", -1 },
		{ "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", -1 },
		{ "CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", -1 },
		{ "CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P", -1 },
		{ "", -1 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double got = rs_cvss3_base_score(cases[i].v);
		if (got < cases[i].score - 0.001 || got > cases[i].score + 0.001)
			fail_msg("%s: %.1f, want %.1f", cases[i].v, got, cases[i].score);
	}
}

static void test_match_version(void **state)
{
	(void)state;
	rs_vuln_record r = { .status = "affected", .fixed = "1.2-4" };
	assert_int_equal(rs_vuln_match_version(RS_VERSION_DPKG, &r, "1.2-3"), RS_VULN_AFFECTED);
	assert_int_equal(rs_vuln_match_version(RS_VERSION_DPKG, &r, "1.2-4"), RS_VULN_NOT_AFFECTED);
	assert_int_equal(rs_vuln_match_version(RS_VERSION_DPKG, &r, "1.2-4~deb12u1"), RS_VULN_AFFECTED);
	r.introduced = "1.1";
	assert_int_equal(rs_vuln_match_version(RS_VERSION_DPKG, &r, "1.0-9"), RS_VULN_NOT_AFFECTED);
	r = (rs_vuln_record){ .status = "affected", .introduced = "0", .last_affected = "2.0" };
	assert_int_equal(rs_vuln_match_version(RS_VERSION_DPKG, &r, "2.0"), RS_VULN_UNFIXED);
	assert_int_equal(rs_vuln_match_version(RS_VERSION_DPKG, &r, "2.0+b1"), RS_VULN_NOT_AFFECTED);
	r = (rs_vuln_record){ .status = "open" };
	assert_int_equal(rs_vuln_match_version(RS_VERSION_DPKG, &r, "1"), RS_VULN_UNFIXED);
	r = (rs_vuln_record){ .status = "not-affected" };
	assert_int_equal(rs_vuln_match_version(RS_VERSION_DPKG, &r, "1"), RS_VULN_NOT_AFFECTED);
	r = (rs_vuln_record){ .status = "resolved", .fixed = "1:1.0-1" };
	assert_int_equal(rs_vuln_match_version(RS_VERSION_DPKG, &r, "9.9-9"), RS_VULN_AFFECTED);
	r = (rs_vuln_record){ .status = "affected", .fixed = "1.0-2.el9" };
	assert_int_equal(rs_vuln_match_version(RS_VERSION_RPM, &r, "1.0-1.el9"), RS_VULN_AFFECTED);
	r = (rs_vuln_record){ .status = "affected", .fixed = "1.0-r2" };
	assert_int_equal(rs_vuln_match_version(RS_VERSION_APK, &r, "1.0-r10"), RS_VULN_NOT_AFFECTED);
}

/* binNMU: the source version from "Source: foo (1.2-3)" is compared, not 1.2-3+b1;
 * a record under a binary name does not match a Debian host. */
static void test_match_source_names(void **state)
{
	(void)state;
	rs_vec pkgs, recs, out;
	rs_vec_init(&pkgs, sizeof(rs_package));
	rs_vec_init(&recs, sizeof(rs_vuln_record));
	rs_vec_init(&out, sizeof(rs_vuln_match));
	rs_package *p = rs_vec_push(&pkgs);
	*p = (rs_package){ .name = "libfoo1", .version = "1.2-3+b1", .source = "foo", .source_version = "1.2-3",
			   .manager = "dpkg" };
	rs_vuln_record *r = rs_vec_push(&recs);
	*r = (rs_vuln_record){ .record = "A", .package = "foo", .cves = "CVE-1", .fixed = "1.2-3", .status = "affected" };
	r = rs_vec_push(&recs);
	*r = (rs_vuln_record){ .record = "B", .package = "foo", .cves = "CVE-2 CVE-3", .fixed = "1.2-4", .status = "affected" };
	r = rs_vec_push(&recs);
	*r = (rs_vuln_record){ .record = "C", .package = "foo", .cves = "CVE-2", .status = "open" };
	r = rs_vec_push(&recs);
	*r = (rs_vuln_record){ .record = "D", .package = "libfoo1", .cves = "CVE-4", .status = "open" };
	rs_vuln_match_all(&pkgs, &recs, RS_VERSION_DPKG, &out);
	assert_int_equal(out.len, 2);
	const rs_vuln_match *m = rs_vec_at(&out, 0);
	assert_string_equal(m->id, "CVE-2");
	assert_string_equal(m->fixed, "1.2-4"); /* the fix wins over the open record */
	assert_int_equal(m->state, RS_VULN_AFFECTED);
	m = rs_vec_at(&out, 1);
	assert_string_equal(m->id, "CVE-3");
	rs_vuln_matches_free(&out);
	rs_vec_free(&recs);
	rs_vec_free(&pkgs);
}

/* rpm: looked up by the binary and the source rpm name, with epoch:version-release. */
static void test_match_rpm_names(void **state)
{
	(void)state;
	rs_vec pkgs, recs, out;
	rs_vec_init(&pkgs, sizeof(rs_package));
	rs_vec_init(&recs, sizeof(rs_vuln_record));
	rs_vec_init(&out, sizeof(rs_vuln_match));
	rs_package *p = rs_vec_push(&pkgs);
	*p = (rs_package){ .name = "openssl-libs", .version = "1:3.0.7-27.el9", .source = "openssl",
			   .source_version = "3.0.7-27.el9", .manager = "rpm" };
	rs_vuln_record *r = rs_vec_push(&recs);
	*r = (rs_vuln_record){ .record = "A", .package = "openssl", .cves = "CVE-1", .fixed = "1:3.0.7-28.el9", .status = "affected" };
	r = rs_vec_push(&recs);
	*r = (rs_vuln_record){ .record = "B", .package = "openssl-libs", .cves = "CVE-2", .fixed = "1:3.0.7-25.el9", .status = "affected" };
	r = rs_vec_push(&recs);
	*r = (rs_vuln_record){ .record = "C", .package = "openssl-libs", .cves = "CVE-3", .fixed = "1:3.0.7-29.el9_4", .status = "affected" };
	r = rs_vec_push(&recs);
	*r = (rs_vuln_record){ .record = "D", .package = "openssl", .cves = "CVE-4", .fixed = "3.0.8-1.el9", .status = "affected" };
	rs_vuln_match_all(&pkgs, &recs, RS_VERSION_RPM, &out);
	assert_int_equal(out.len, 2);
	assert_string_equal(((rs_vuln_match *)rs_vec_at(&out, 0))->id, "CVE-1");
	assert_string_equal(((rs_vuln_match *)rs_vec_at(&out, 1))->id, "CVE-3"); /* CVE-4: epoch 1 > 0 */
	rs_vuln_matches_free(&out);
	rs_vec_free(&recs);
	rs_vec_free(&pkgs);
}

static void test_ecosystems(void **state)
{
	(void)state;
	rs_facts f;
	rs_facts_init(&f);
	f.os_id = rs_strdup("debian");
	f.os_version = rs_strdup("12");
	f.os_codename = rs_strdup("bookworm");
	rs_version_scheme s;
	char **e = rs_host_ecosystems(&f, &s);
	assert_int_equal(s, RS_VERSION_DPKG);
	assert_true(rs_ecosystem_in("Debian:12", e));
	assert_true(rs_ecosystem_in("Debian:bookworm", e));
	assert_false(rs_ecosystem_in("Debian:11", e));
	assert_false(rs_ecosystem_in("Debian:120", e));
	rs_ecosystems_free(e);
	free(f.os_codename);
	f.os_codename = NULL; /* no VERSION_CODENAME: known from VERSION_ID */
	e = rs_host_ecosystems(&f, &s);
	assert_true(rs_ecosystem_in("Debian:bookworm", e));
	rs_ecosystems_free(e);
	free(f.os_id);
	free(f.os_version);
	f.os_id = rs_strdup("alpine");
	f.os_version = rs_strdup("3.19.1");
	e = rs_host_ecosystems(&f, &s);
	assert_int_equal(s, RS_VERSION_APK);
	assert_true(rs_ecosystem_in("Alpine:v3.19", e));
	rs_ecosystems_free(e);
	free(f.os_id);
	free(f.os_version);
	f.os_id = rs_strdup("ubuntu");
	f.os_version = rs_strdup("22.04");
	e = rs_host_ecosystems(&f, &s);
	assert_true(rs_ecosystem_in("Ubuntu:22.04:LTS", e));
	assert_true(rs_ecosystem_in("Ubuntu:Pro:22.04:LTS", e));
	rs_ecosystems_free(e);
	free(f.os_id);
	f.os_id = rs_strdup("plan9");
	assert_null(rs_host_ecosystems(&f, &s));
	rs_facts_free(&f);
}

/* Stored records are read back per package: the ecosystem's own records,
 * then those of its qualified forms ("Ubuntu:22.04:LTS"), in the order of
 * the names; other releases and packages stay out; a store holding only
 * one of the forms, or none, gives just those. */
static void test_stored_lookup(void **state)
{
	(void)state;
	rs_store *store = NULL;
	assert_int_equal(rs_store_open_memory("test", &store), 0);
	assert_int_equal(rs_store_exec(store,
		"INSERT INTO vuln_feeds (id, source, kind, records) VALUES (1, 'f', 'osv', 6);"
		"INSERT INTO vuln_records (feed, record, ecosystem, package, cve, fixed, status, cvss, summary) VALUES"
		" (1, 'R5', 'Ubuntu:22.04:LTS', 'c', 'CVE-5', NULL, 'affected', NULL, 's5'),"
		" (1, 'R1', 'Ubuntu:22.04', 'a', 'CVE-1', '1.2', 'affected', 7.5, 's1'),"
		" (1, 'R2', 'Ubuntu:22.04:LTS', 'a', 'CVE-2', NULL, 'affected', NULL, 's2'),"
		" (1, 'R3', 'Ubuntu:22.04', 'b', 'CVE-3', NULL, 'affected', NULL, 's3'),"
		" (1, 'R4', 'Ubuntu:20.04', 'a', 'CVE-4', NULL, 'affected', NULL, 's4'),"
		" (1, 'R6', 'Ubuntu:22.040', 'a', 'CVE-6', NULL, 'affected', NULL, 's6');"), 0);
	char *names[] = { "a", "c" };
	rs_name_set only = { .names = names, .n = 2 };
	char *ecos[] = { "Ubuntu:22.04", "Ubuntu:Pro:22.04", NULL };
	rs_vec records;
	rs_vec_init(&records, sizeof(rs_vuln_record));
	assert_int_equal(rs_vulndb_load(store, ecos, &only, &records), 1);
	assert_int_equal(records.len, 3);
	static const char *const want[] = { "R1", "R2", "R5" };
	for (size_t i = 0; i < records.len; i++) {
		rs_vuln_record *r = rs_vec_at(&records, i);
		assert_string_equal(r->record, want[i]);
		assert_null(r->summary); /* not read back: no finding shows it */
		rs_vuln_record_free(r);
	}
	records.len = 0;
	/* only qualified forms of Pro, none of 20.04's own form asked for */
	assert_int_equal(rs_store_exec(store,
		"INSERT INTO vuln_records (feed, record, ecosystem, package, cve, status) VALUES"
		" (1, 'P1', 'Ubuntu:Pro:22.04:LTS', 'c', 'CVE-7', 'affected');"), 0);
	assert_int_equal(rs_vulndb_load(store, ecos, &only, &records), 1);
	assert_int_equal(records.len, 4);
	rs_vuln_record *last = rs_vec_at(&records, 3);
	assert_string_equal(last->record, "P1");
	assert_string_equal(last->ecosystem, "Ubuntu:Pro:22.04:LTS");
	rs_vuln_record *first = rs_vec_at(&records, 0);
	assert_string_equal(first->fixed, "1.2");
	assert_true(first->cvss > 7.4 && first->cvss < 7.6);
	assert_string_equal(first->cves, "CVE-1");
	for (size_t i = 0; i < records.len; i++)
		rs_vuln_record_free(rs_vec_at(&records, i));
	records.len = 0;
	/* a release no record names */
	char *none[] = { "Debian:12", NULL };
	assert_int_equal(rs_vulndb_load(store, none, &only, &records), 1);
	assert_int_equal(records.len, 0);
	rs_vec_free(&records);
	rs_store_close(store);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_osv_ranges),
		cmocka_unit_test(test_osv_versions_list),
		cmocka_unit_test(test_osv_malformed),
		cmocka_unit_test(test_osv_fixture_folder),
		cmocka_unit_test(test_osv_in_place),
		cmocka_unit_test(test_tracker),
		cmocka_unit_test(test_cvss),
		cmocka_unit_test(test_match_version),
		cmocka_unit_test(test_match_source_names),
		cmocka_unit_test(test_match_rpm_names),
		cmocka_unit_test(test_ecosystems),
		cmocka_unit_test(test_stored_lookup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
