/*
 * test_fleet_api.c — the parsers of the agent request bodies (enroll,
 * checkin, results): good bodies give the checked fields; every kind of
 * malformed body (not JSON, wrong types, bad ids, path and SQL
 * metacharacters where ids go, control characters, out-of-range numbers,
 * too many items, duplicate keys) is refused with a reason naming the field.
 */
#include "testutil.h"
#include "server/api_parse.h"
#include "server/api_slice.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

#define TOKEN "rst1.0011223344556677.00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
#define KEY "3q2+7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
#define SCAN "0123456789abcdef0123456789abcdef"
#define BATCH "fedcba9876543210fedcba9876543210"

static int enroll(const char *body, char *err, size_t errsize)
{
	rs_api_enroll e;
	int rc = rs_api_parse_enroll(body, strlen(body), &e, err, errsize);
	rs_api_enroll_free(&e);
	return rc;
}

static void test_enroll_good(void **state)
{
	(void)state;
	const char *body = "{\"token\":\"" TOKEN "\",\"public_key\":\"" KEY "\","
			   "\"host\":{\"hostname\":\"web-01.example\",\"os\":\"debian\",\"os_version\":\"12\","
			   "\"kernel\":\"6.1.0\",\"arch\":\"x86_64\",\"extra\":\"ignored\"},\"future\":1}";
	char err[256];
	rs_api_enroll e;
	assert_int_equal(rs_api_parse_enroll(body, strlen(body), &e, err, sizeof(err)), 0);
	assert_string_equal(e.token.id, "0011223344556677");
	assert_string_equal(e.host.hostname, "web-01.example");
	assert_int_equal(e.public_key[0], 0xde);
	assert_string_equal(json_string_value(json_object_get(e.host.facts, "os")), "debian");
	assert_null(json_object_get(e.host.facts, "extra"));
	rs_api_enroll_free(&e);
}

static void test_enroll_malformed(void **state)
{
	(void)state;
	static const struct { const char *body; const char *field; } cases[] = {
		{ "", "JSON" },
		{ "not json", "JSON" },
		{ "[]", "object" },
		{ "{\"token\":\"" TOKEN "\",\"public_key\":\"" KEY "\"", "JSON" },
		{ "{\"public_key\":\"" KEY "\",\"host\":{\"hostname\":\"a\"}}", "token" },
		{ "{\"token\":5,\"public_key\":\"" KEY "\",\"host\":{\"hostname\":\"a\"}}", "token" },
		{ "{\"token\":\"rst1.x.y\",\"public_key\":\"" KEY "\",\"host\":{\"hostname\":\"a\"}}", "token" },
		{ "{\"token\":\"" TOKEN "\",\"host\":{\"hostname\":\"a\"}}", "public_key" },
		{ "{\"token\":\"" TOKEN "\",\"public_key\":\"AAAA\",\"host\":{\"hostname\":\"a\"}}", "public_key" },
		{ "{\"token\":\"" TOKEN "\",\"public_key\":\"" KEY "\"}", "host" },
		{ "{\"token\":\"" TOKEN "\",\"public_key\":\"" KEY "\",\"host\":\"a\"}", "host" },
		{ "{\"token\":\"" TOKEN "\",\"public_key\":\"" KEY "\",\"host\":{}}", "host.hostname" },
		{ "{\"token\":\"" TOKEN "\",\"public_key\":\"" KEY "\",\"host\":{\"hostname\":\"../../etc/passwd\"}}", "host.hostname" },
		{ "{\"token\":\"" TOKEN "\",\"public_key\":\"" KEY "\",\"host\":{\"hostname\":\"a'; DROP TABLE scans;--\"}}", "host.hostname" },
		{ "{\"token\":\"" TOKEN "\",\"public_key\":\"" KEY "\",\"host\":{\"hostname\":\"a\\u0000b\"}}", "\\u0000" },
		{ "{\"token\":\"" TOKEN "\",\"public_key\":\"" KEY "\",\"host\":{\"hostname\":\"a\",\"os\":\"x\\ny\"}}", "host.os" },
		{ "{\"token\":\"" TOKEN "\",\"public_key\":\"" KEY "\",\"host\":{\"hostname\":\"a\",\"kernel\":7}}", "host.kernel" },
		{ "{\"token\":\"" TOKEN "\",\"token\":\"" TOKEN "\",\"public_key\":\"" KEY "\",\"host\":{\"hostname\":\"a\"}}", "duplicate" },
	};
	char err[256];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		assert_int_equal(enroll(cases[i].body, err, sizeof(err)), -1);
		if (!strstr(err, cases[i].field))
			fail_msg("case %zu: \"%s\" does not name %s", i, err, cases[i].field);
	}
	/* a hostname of 254 characters is too long */
	char body[1024];
	char name[255];
	memset(name, 'a', 254);
	name[254] = '\0';
	snprintf(body, sizeof(body), "{\"token\":\"" TOKEN "\",\"public_key\":\"" KEY "\",\"host\":{\"hostname\":\"%s\"}}", name);
	assert_int_equal(enroll(body, err, sizeof(err)), -1);
	name[253] = '\0';
	snprintf(body, sizeof(body), "{\"token\":\"" TOKEN "\",\"public_key\":\"" KEY "\",\"host\":{\"hostname\":\"%s\"}}", name);
	assert_int_equal(enroll(body, err, sizeof(err)), 0);
}

static void test_checkin(void **state)
{
	(void)state;
	char err[256];
	rs_api_checkin c;
	const char *good = "{\"host\":{\"hostname\":\"h1\"},\"spooled\":3}";
	assert_int_equal(rs_api_parse_checkin(good, strlen(good), &c, err, sizeof(err)), 0);
	assert_true(c.has_host);
	assert_int_equal(c.spooled, 3);
	rs_api_checkin_free(&c);
	assert_int_equal(rs_api_parse_checkin("{}", 2, &c, err, sizeof(err)), 0);
	assert_false(c.has_host);
	assert_int_equal(c.spooled, -1);
	rs_api_checkin_free(&c);
	const char *bad[] = { "", "{", "null", "\"x\"", "{\"spooled\":-1}", "{\"spooled\":1.5}",
			      "{\"spooled\":\"3\"}", "{\"spooled\":99999999999}", "{\"host\":[]}",
			      "{\"host\":{\"hostname\":\"a b\"}}", "{\"spooled\":1,\"spooled\":2}" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(rs_api_parse_checkin(bad[i], strlen(bad[i]), &c, err, sizeof(err)), -1);
		rs_api_checkin_free(&c);
	}
}

static const char summary_ok[] =
	"{\"type\":\"summary\",\"scan\":\"" SCAN "\",\"host\":\"web01\",\"root\":\"/\","
	"\"started\":\"2026-12-04T01:02:03Z\",\"duration_ms\":812,\"modules\":{\"hunt\":{\"files\":3}},"
	"\"counts\":{\"critical\":0,\"high\":1,\"medium\":0,\"low\":0,\"info\":0},\"score\":74,\"exit\":1}";
static const char finding_ok[] =
	"{\"type\":\"finding\",\"scan\":\"" SCAN "\",\"module\":\"hunt\",\"rule\":\"yara:X\",\"severity\":\"high\","
	"\"score\":80,\"title\":\"t\",\"attack\":[\"T1505.003\"],\"evidence\":{\"path\":\"/var/www/x.php\","
	"\"matches\":[\"$s1\"]},\"remediation\":\"do\\nthis\",\"references\":[\"https://x\"]}";

/* A results body with SUMMARY and FINDING (either may be replaced). */
static char *results_body(const char *batch, const char *summary, const char *finding)
{
	return rs_sprintf("{\"batch_id\":\"%s\",\"scans\":[{\"summary\":%s,\"findings\":[%s]}]}", batch,
			  summary, finding);
}

static int results(const char *body, char *err, size_t errsize)
{
	rs_api_results r;
	int rc = rs_api_parse_results(body, strlen(body), &r, err, errsize);
	rs_api_results_free(&r);
	return rc;
}

static void test_results_good(void **state)
{
	(void)state;
	char *body = results_body(BATCH, summary_ok, finding_ok);
	char err[256];
	rs_api_results r;
	assert_int_equal(rs_api_parse_results(body, strlen(body), &r, err, sizeof(err)), 0);
	assert_string_equal(r.batch_id, BATCH);
	assert_int_equal(r.n_scans, 1);
	assert_string_equal(r.scans[0].summary.scan, SCAN);
	assert_int_equal(r.scans[0].summary.score, 74);
	assert_int_equal(r.scans[0].summary.counts[RS_SEV_HIGH], 1);
	assert_int_equal(r.scans[0].n_findings, 1);
	assert_string_equal(r.scans[0].findings[0]->rule, "yara:X");
	assert_string_equal(r.scans[0].findings[0]->remediation, "do\nthis");
	rs_api_results_free(&r);
	free(body);
	/* a scan with no findings is fine */
	body = rs_sprintf("{\"batch_id\":\"" BATCH "\",\"scans\":[{\"summary\":%s,\"findings\":[]}]}", summary_ok);
	assert_int_equal(results(body, err, sizeof(err)), 0);
	free(body);
}

/* Replaces the first FROM in TEXT by TO (new string). */
static char *replace(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	assert_non_null(at);
	return rs_sprintf("%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
}

static void test_results_malformed(void **state)
{
	(void)state;
	static const struct { bool in_summary; const char *from; const char *to; const char *field; } cases[] = {
		{ true, "\"type\":\"summary\"", "\"type\":\"finding\"", "summary.type" },
		{ true, "\"scan\":\"" SCAN "\"", "\"scan\":\"../../../etc/passwd\"", "summary.scan" },
		{ true, "\"scan\":\"" SCAN "\"", "\"scan\":\"0123456789abcdef0123456789abcde'\"", "summary.scan" },
		{ true, "\"scan\":\"" SCAN "\"", "\"scan\":\"0123456789ABCDEF0123456789ABCDEF\"", "summary.scan" },
		{ true, "\"host\":\"web01\"", "\"host\":7", "summary.host" },
		{ true, "\"host\":\"web01\"", "\"host\":\"a\\u001bb\"", "summary.host" },
		{ true, "\"root\":\"/\"", "\"root\":\"relative\"", "summary.root" },
		{ true, "\"started\":\"2026-12-04T01:02:03Z\"", "\"started\":\"yesterday\"", "summary.started" },
		{ true, "\"started\":\"2026-12-04T01:02:03Z\"", "\"started\":\"2026-12-04T01:02:03Z'--\"", "summary.started" },
		{ true, "\"duration_ms\":812", "\"duration_ms\":-1", "summary.duration_ms" },
		{ true, "\"score\":74", "\"score\":101", "summary.score" },
		{ true, "\"score\":74", "\"score\":\"74\"", "summary.score" },
		{ true, "\"exit\":1", "\"exit\":3", "summary.exit" },
		{ true, "\"exit\":1", "\"exit\":1,\"complete\":false", "summary.complete" },
		{ true, "\"modules\":{\"hunt\":{\"files\":3}}", "\"modules\":[]", "summary.modules" },
		{ true, "\"modules\":{\"hunt\":{\"files\":3}}", "\"modules\":{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":1}}}}}}}", "summary.modules" },
		{ true, "\"counts\":{\"critical\":0,", "\"counts\":{\"severe\":0,", "summary.counts" },
		{ true, "\"counts\":{\"critical\":0,", "\"counts\":{\"critical\":-4,", "summary.counts" },
		{ false, "\"type\":\"finding\"", "\"type\":\"check\"", "finding 0" },
		{ false, "\"module\":\"hunt\"", "\"module\":\"../hunt\"", "module" },
		{ false, "\"module\":\"hunt\"", "\"module\":\"hunt'; DROP TABLE findings;--\"", "module" },
		{ false, "\"rule\":\"yara:X\"", "\"rule\":\"\"", "rule" },
		{ false, "\"rule\":\"yara:X\"", "\"rule\":[1]", "rule" },
		{ false, "\"severity\":\"high\"", "\"severity\":\"extreme\"", "severity" },
		{ false, "\"score\":80", "\"score\":-3", "score" },
		{ false, "\"title\":\"t\"", "\"title\":\"a\\u0000b\"", "\\u0000" },
		{ false, "\"attack\":[\"T1505.003\"]", "\"attack\":[\"T15\"]", "attack" },
		{ false, "\"attack\":[\"T1505.003\"]", "\"attack\":\"T1505\"", "attack" },
		{ false, "\"evidence\":{\"path\"", "\"evidence\":{\"pa th\"", "evidence" },
		{ false, "\"evidence\":{\"path\":\"/var/www/x.php\",", "\"evidence\":[1],\"x\":{", "evidence" },
		{ false, "\"references\":[\"https://x\"]", "\"references\":[7]", "references" },
		{ false, "\"scan\":\"" SCAN "\"", "\"scan\":\"ffffffffffffffffffffffffffffffff\"", "another scan" },
	};
	char err[256];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *summary = cases[i].in_summary ? replace(summary_ok, cases[i].from, cases[i].to) : rs_strdup(summary_ok);
		char *finding = cases[i].in_summary ? rs_strdup(finding_ok) : replace(finding_ok, cases[i].from, cases[i].to);
		char *body = results_body(BATCH, summary, finding);
		err[0] = '\0';
		if (results(body, err, sizeof(err)) != -1)
			fail_msg("case %zu accepted: %s", i, body);
		if (!strstr(err, cases[i].field))
			fail_msg("case %zu: \"%s\" does not name %s", i, err, cases[i].field);
		free(summary);
		free(finding);
		free(body);
	}
	/* the batch: its id, its list of scans */
	const char *bad[] = {
		"{}", "{\"batch_id\":\"" BATCH "\"}", "{\"batch_id\":\"" BATCH "\",\"scans\":[]}",
		"{\"batch_id\":\"" BATCH "\",\"scans\":{}}", "{\"batch_id\":\"../x\",\"scans\":[]}",
		"{\"batch_id\":7,\"scans\":[]}", "{\"batch_id\":\"" BATCH "\",\"scans\":[7]}",
		"{\"batch_id\":\"" BATCH "\",\"scans\":[{\"findings\":[]}]}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(results(bad[i], err, sizeof(err)), -1);
	/* the same scan twice in one batch */
	char *twice = rs_sprintf("{\"batch_id\":\"" BATCH "\",\"scans\":[{\"summary\":%s,\"findings\":[]},"
				 "{\"summary\":%s,\"findings\":[]}]}", summary_ok, summary_ok);
	assert_int_equal(results(twice, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "twice"));
	free(twice);
	/* more than 16 scans */
	rs_buf b;
	rs_buf_init(&b);
	rs_buf_puts(&b, "{\"batch_id\":\"" BATCH "\",\"scans\":[");
	for (int i = 0; i < 17; i++)
		rs_buf_printf(&b, "%s{\"summary\":%s,\"findings\":[]}", i ? "," : "", summary_ok);
	rs_buf_puts(&b, "]}");
	assert_int_equal(results(b.data, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "scans"));
	rs_buf_free(&b);
}

/* A finding holding exactly the contract's fields is kept as received
 * (the server stores that text); one with another field, or a body whose
 * "findings" key is written with escapes, is rebuilt instead. */
static void test_results_texts(void **state)
{
	(void)state;
	char err[256];
	rs_api_results r;
	const char *full = "{\"type\":\"finding\",\"scan\":\"" SCAN "\",\"module\":\"persist\","
		"\"rule\":\"r\",\"severity\":\"low\",\"score\":5,\"title\":\"t\",\"attack\":[],"
		"\"evidence\":{\"path\":\"/x\"},\"remediation\":\"\",\"references\":[]}";
	char *two = rs_sprintf("%s, %s", full, finding_ok);
	char *body = results_body(BATCH, summary_ok, two);
	assert_int_equal(rs_api_parse_results(body, strlen(body), &r, err, sizeof(err)), 0);
	assert_int_equal(r.scans[0].n_findings, 2);
	assert_non_null(r.scans[0].texts);
	assert_int_equal(r.scans[0].texts[0].len, strlen(full));
	assert_memory_equal(r.scans[0].texts[0].text, full, strlen(full));
	assert_int_equal(r.scans[0].texts[1].len, strlen(finding_ok));
	assert_memory_equal(r.scans[0].texts[1].text, finding_ok, strlen(finding_ok));
	rs_api_results_free(&r);
	free(body);
	/* a field beyond the contract: rebuilt, the extra field not stored */
	char *extra = replace(full, "\"title\"", "\"x\":1,\"title\"");
	body = results_body(BATCH, summary_ok, extra);
	assert_int_equal(rs_api_parse_results(body, strlen(body), &r, err, sizeof(err)), 0);
	assert_null(r.scans[0].texts[0].text);
	rs_api_results_free(&r);
	free(body);
	/* "findings" spelt with an escape: jansson reads it, the slicer gives up */
	char *plain = results_body(BATCH, summary_ok, full);
	body = replace(plain, "\"findings\"", "\"\\u0066indings\"");
	assert_int_equal(rs_api_parse_results(body, strlen(body), &r, err, sizeof(err)), 0);
	assert_int_equal(r.scans[0].n_findings, 1);
	assert_null(r.scans[0].texts[0].text);
	rs_api_results_free(&r);
	free(body);
	/* the slicer itself on malformed or other-shaped text */
	rs_fleet_text t[2];
	const char *bad[] = {
		"", "{", "[]", "{\"scans\":", "{\"scans\":[{\"findings\":[{\"a\":\"", "{\"scans\":[]}",
		"{\"scans\":[{\"findings\":[1,2,3]}]}", "{\"scans\":[{\"findings\":[1 2]}]}",
		"{\"sc\\u0061ns\":[{\"findings\":[1]}]}", "{\"scans\":[{\"findings\":{}}]}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(rs_api_slice_findings(bad[i], strlen(bad[i]), 0, t, 2), -1);
	const char *ok = "{\"a\":[\"]}\"],\"scans\" : [ {\"findings\":[ {\"k\":\"v\\\"}\"} , [1] ]} ]}";
	assert_int_equal(rs_api_slice_findings(ok, strlen(ok), 0, t, 2), 0);
	assert_int_equal(t[0].len, strlen("{\"k\":\"v\\\"}\"}"));
	assert_memory_equal(t[1].text, "[1]", 3);
	free(plain);
	free(extra);
	free(two);
}

static void test_binary_junk(void **state)
{
	(void)state;
	unsigned char junk[512];
	for (int round = 0; round < 200; round++) {
		for (size_t i = 0; i < sizeof(junk); i++)
			junk[i] = (unsigned char)((i * 131 + (size_t)round * 17) ^ (i >> 3));
		char err[256];
		rs_api_results r;
		rs_api_enroll e;
		rs_api_checkin c;
		assert_int_equal(rs_api_parse_results((const char *)junk, sizeof(junk), &r, err, sizeof(err)), -1);
		rs_api_results_free(&r);
		assert_int_equal(rs_api_parse_enroll((const char *)junk, sizeof(junk), &e, err, sizeof(err)), -1);
		rs_api_enroll_free(&e);
		assert_int_equal(rs_api_parse_checkin((const char *)junk, sizeof(junk), &c, err, sizeof(err)), -1);
		rs_api_checkin_free(&c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_enroll_good),
		cmocka_unit_test(test_enroll_malformed),
		cmocka_unit_test(test_checkin),
		cmocka_unit_test(test_results_good),
		cmocka_unit_test(test_results_malformed),
		cmocka_unit_test(test_results_texts),
		cmocka_unit_test(test_binary_junk),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
