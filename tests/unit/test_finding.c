/*
 * test_finding.c — findings: the FORMATS.md fields, a JSON round trip,
 * identities for diffs, bytes that are not UTF-8, severities and the score.
 */
#include "testutil.h"
#include "core/finding.h"
#include "core/json.h"
#include "core/summary.h"

#include <stdlib.h>
#include <string.h>

static void test_json_fields(void **state)
{
	(void)state;
	rs_finding *f = rs_finding_new("hunt", "yara:Webshell_PHP", RS_SEV_HIGH, 80, "YARA rule matched");
	rs_finding_set_str(f, "path", "/var/www/html/up.php");
	rs_finding_set_int(f, "pid", 42);
	rs_finding_add_attack(f, "T1505.003");
	rs_finding_set_remediation(f, "remove it");
	rs_finding_add_reference(f, "https://example.invalid/ref");
	json_t *o = rs_finding_to_json(f, "abc");
	assert_string_equal(json_string_value(json_object_get(o, "type")), "finding");
	assert_string_equal(json_string_value(json_object_get(o, "scan")), "abc");
	assert_string_equal(json_string_value(json_object_get(o, "module")), "hunt");
	assert_string_equal(json_string_value(json_object_get(o, "rule")), "yara:Webshell_PHP");
	assert_string_equal(json_string_value(json_object_get(o, "severity")), "high");
	assert_int_equal(json_integer_value(json_object_get(o, "score")), 80);
	json_t *ev = json_object_get(o, "evidence");
	assert_string_equal(json_string_value(json_object_get(ev, "path")), "/var/www/html/up.php");
	assert_int_equal(json_integer_value(json_object_get(ev, "pid")), 42);
	assert_string_equal(json_string_value(json_array_get(json_object_get(o, "attack"), 0)), "T1505.003");

	rs_finding *g = rs_finding_from_json(o);
	assert_non_null(g);
	json_t *o2 = rs_finding_to_json(g, "abc");
	assert_true(json_equal(o, o2));
	json_decref(o2);
	rs_finding_free(g);
	json_decref(o);
	rs_finding_free(f);
}

static void test_from_json_rejects_incomplete(void **state)
{
	(void)state;
	json_t *o = json_pack("{s:s, s:s}", "module", "x", "rule", "y");
	assert_null(rs_finding_from_json(o));
	json_object_set_new(o, "title", json_string("t"));
	json_object_set_new(o, "severity", json_string("terrible"));
	assert_null(rs_finding_from_json(o));
	json_object_set_new(o, "severity", json_string("low"));
	rs_finding *f = rs_finding_from_json(o);
	assert_non_null(f);
	assert_int_equal(f->score, rs_severity_default_score(RS_SEV_LOW));
	rs_finding_free(f);
	json_decref(o);
}

static void test_identity(void **state)
{
	(void)state;
	rs_finding *a = rs_finding_new("audit", "rasoat:x", RS_SEV_LOW, -1, "one");
	rs_finding *b = rs_finding_new("audit", "rasoat:x", RS_SEV_HIGH, -1, "another title");
	rs_finding *c = rs_finding_new("audit", "rasoat:x", RS_SEV_LOW, -1, "one");
	rs_finding_set_str(a, "path", "/etc/a");
	rs_finding_set_str(b, "path", "/etc/a");
	rs_finding_set_str(c, "path", "/etc/c");
	char *ia = rs_finding_identity(a), *ib = rs_finding_identity(b), *ic = rs_finding_identity(c);
	assert_string_equal(ia, ib);
	assert_string_not_equal(ia, ic);
	free(ia);
	free(ib);
	free(ic);
	rs_finding_free(a);
	rs_finding_free(b);
	rs_finding_free(c);
}

static void test_non_utf8_is_kept_printable(void **state)
{
	(void)state;
	rs_finding *f = rs_finding_new("hunt", "r:x", RS_SEV_INFO, -1, "bad \xff\xfe name");
	rs_finding_set_str(f, "path", "/tmp/\xc3\x28.sh");
	json_t *o = rs_finding_to_json(f, NULL);
	char *s = json_dumps(o, JSON_COMPACT);
	assert_non_null(s);
	assert_non_null(strstr(s, "/tmp/\xef\xbf\xbd(.sh"));
	assert_non_null(strstr(s, "bad \xef\xbf\xbd\xef\xbf\xbd name"));
	free(s);
	json_decref(o);
	rs_finding_free(f);
}

static void test_severity_names(void **state)
{
	(void)state;
	rs_severity s;
	assert_true(rs_severity_parse("critical", &s));
	assert_int_equal(s, RS_SEV_CRITICAL);
	assert_false(rs_severity_parse("urgent", &s));
	assert_false(rs_severity_parse(NULL, &s));
	assert_string_equal(rs_severity_name(RS_SEV_MEDIUM), "medium");
	rs_finding *f = rs_finding_new("m", "r", RS_SEV_LOW, 250, "t");
	assert_int_equal(f->score, 100);
	rs_finding_free(f);
}

static void test_score(void **state)
{
	(void)state;
	unsigned long none[RS_SEV_COUNT] = { 0 };
	unsigned long infos[RS_SEV_COUNT] = { 50, 0, 0, 0, 0 };
	unsigned long lows[RS_SEV_COUNT] = { 0, 10, 0, 0, 0 };
	unsigned long high[RS_SEV_COUNT] = { 0, 0, 0, 1, 0 };
	unsigned long crit[RS_SEV_COUNT] = { 0, 0, 0, 0, 1 };
	assert_int_equal(rs_score_from_counts(none), 100);
	assert_int_equal(rs_score_from_counts(infos), 100);
	assert_true(rs_score_from_counts(lows) > rs_score_from_counts(high));
	assert_true(rs_score_from_counts(crit) <= 40);
	assert_true(rs_score_from_counts(high) < 100);
}

static void test_summary_round_trip(void **state)
{
	(void)state;
	rs_summary s;
	rs_summary_init(&s);
	rs_summary_new_id(&s);
	assert_int_equal(strlen(s.scan), 32);
	s.host = strdup("web01");
	s.root = strdup("/");
	s.counts[RS_SEV_HIGH] = 2;
	s.score = 70;
	s.exit_code = 1;
	s.complete = true;
	json_t *o = rs_summary_to_json(&s);
	assert_string_equal(json_string_value(json_object_get(o, "type")), "summary");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(o, "counts"), "high")), 2);
	rs_summary t;
	rs_summary_init(&t);
	rs_summary_from_json(&t, o);
	assert_string_equal(t.scan, s.scan);
	assert_string_equal(t.host, "web01");
	assert_int_equal(t.counts[RS_SEV_HIGH], 2);
	assert_int_equal(t.exit_code, 1);
	assert_true(t.complete);
	json_decref(o);
	rs_summary_free(&s);
	rs_summary_free(&t);
}

/* rs_finding_text_append must write exactly what rs_json_text writes of
 * rs_finding_to_json, for the JSONL stream and the store: with and without
 * a scan, a missing remediation, bytes that are not UTF-8 in the texts,
 * escapes, nested evidence and reals; and refuse (buffer as it was) where
 * the object's text is refused. */
static void assert_text_as_object(rs_finding *f, const char *scan)
{
	json_t *o = rs_finding_to_json(f, scan);
	char *want = rs_json_text(o);
	json_decref(o);
	rs_buf b;
	rs_buf_init(&b);
	rs_buf_puts(&b, "kept:");
	int rc = rs_finding_text_append(&b, f, scan);
	if (!want) {
		assert_int_equal(rc, -1);
		assert_string_equal(b.data, "kept:");
	} else {
		assert_int_equal(rc, 0);
		assert_string_equal(b.data + 5, want);
	}
	/* the sinks' way, from the text kept with the finding: the same bytes */
	b.len = 5;
	rc = rs_finding_line_append(&b, f, scan);
	if (!want) {
		assert_int_equal(rc, -1);
		assert_int_equal(b.len, 5);
	} else {
		assert_int_equal(rc, 0);
		assert_string_equal(b.data + 5, want);
	}
	/* the test changes F behind the setters' back below: the kept text goes */
	free(f->text);
	f->text = NULL;
	f->text_refused = false;
	rs_buf_free(&b);
	free(want);
}

/* rs_finding_text is made once and kept; a setter makes it anew. */
static void test_text_kept_until_changed(void **state)
{
	(void)state;
	rs_finding *f = rs_finding_new("vuln", "vuln:CVE-1", RS_SEV_LOW, -1, "t");
	rs_finding_set_str(f, "package", "a");
	size_t len, len2;
	const char *text = rs_finding_text(f, &len);
	assert_non_null(text);
	assert_int_equal(len, strlen(text));
	assert_ptr_equal(rs_finding_text(f, &len2), text);
	assert_int_equal(len2, len);
	assert_non_null(strstr(text, "\"package\":\"a\""));
	rs_finding_set_str(f, "package", "b");
	text = rs_finding_text(f, &len);
	assert_non_null(strstr(text, "\"package\":\"b\""));
	rs_finding_add_reference(f, "https://r.invalid/");
	assert_non_null(strstr(rs_finding_text(f, &len), "https://r.invalid/"));
	rs_buf b;
	rs_buf_init(&b);
	assert_int_equal(rs_finding_line_append(&b, f, "abc"), 0);
	assert_int_equal(strncmp(b.data, "{\"type\":\"finding\",\"scan\":\"abc\",\"module\":\"vuln\"", 46), 0);
	rs_buf_free(&b);
	rs_finding_free(f);
}

static void test_text_is_the_objects_text(void **state)
{
	(void)state;
	rs_finding *f = rs_finding_new("hunt", "yara:Webshell_PHP", RS_SEV_HIGH, 80, "YARA \"rule\" matched\n\t\x01");
	assert_text_as_object(f, NULL);
	assert_text_as_object(f, "0123456789abcdef0123456789abcdef");
	assert_text_as_object(f, "bad\xff scan");
	rs_finding_set_str(f, "path", "/var/www/html/up\xc3\xa9 \xff\xfe.php");
	rs_finding_set_int(f, "pid", -42);
	rs_finding_set_json(f, "cvss", json_real(7.5));
	rs_finding_set_json(f, "matches", json_pack("[{s:s,s:[i,i]}]", "rule", "x\\y", "offsets", 1, 2));
	rs_finding_add_attack(f, "T1505.003");
	rs_finding_add_reference(f, "https://example.invalid/r?a=1&b=\"2\"");
	assert_text_as_object(f, "s1");
	rs_finding_set_remediation(f, "remove it \xe1\xbb\x87");
	assert_text_as_object(f, "s1");
	free(f->title);
	f->title = strdup("title \xff\x80 not UTF-8 \xe1\xbb");
	free(f->module);
	f->module = NULL;
	assert_text_as_object(f, NULL);
	/* a string that is not UTF-8 inside the evidence: both refuse */
	json_object_set_new(f->evidence, "raw", json_string_nocheck("\xff"));
	assert_text_as_object(f, "s1");
	rs_finding_free(f);
	rs_finding *g = rs_finding_new("audit", "sca:x", RS_SEV_INFO, -1, "");
	json_decref(g->attack);
	g->attack = NULL; /* left out, as json_object_set leaves it out */
	assert_text_as_object(g, "s2");
	rs_finding_free(g);
}


/* The same setters on a finding of rs_finding_new and on one of
 * rs_finding_new_text (evidence kept as text): the same text, identity
 * and object, before and after the object is made from the text. */
static void assert_same_findings(rs_finding *obj, rs_finding *txt)
{
	size_t la, lb;
	const char *ta = rs_finding_text(obj, &la), *tb = rs_finding_text(txt, &lb);
	assert_non_null(ta);
	assert_non_null(tb);
	assert_int_equal(la, lb);
	assert_string_equal(ta, tb);
	char *ia = rs_finding_identity(obj), *ib = rs_finding_identity(txt);
	assert_string_equal(ia, ib);
	free(ia);
	free(ib);
	json_t *oa = rs_finding_to_json(obj, "s"), *ob = rs_finding_to_json(txt, "s");
	assert_true(json_equal(oa, ob));
	char *xa = rs_json_text(oa), *xb = rs_json_text(ob);
	assert_string_equal(xa, xb);
	free(xa);
	free(xb);
	json_decref(oa);
	json_decref(ob);
	assert_null(txt->evtext); /* the object was made: it is the evidence from now on */
}

/* One setter, KIND picking which, on both findings. */
static void set_both(rs_finding *a, rs_finding *b, int kind, const char *key, const char *value, long long n)
{
	switch (kind) {
	case 0:
		rs_finding_set_str(a, key, value);
		rs_finding_set_str(b, key, value);
		break;
	case 1:
		rs_finding_set_int(a, key, n);
		rs_finding_set_int(b, key, n);
		break;
	case 2:
		rs_finding_set_json(a, key, json_real((double)n / 7.0));
		rs_finding_set_json(b, key, json_real((double)n / 7.0));
		break;
	case 3:
		rs_finding_set_json(a, key, n % 2 ? json_true() : json_null());
		rs_finding_set_json(b, key, n % 2 ? json_true() : json_null());
		break;
	default:
		rs_finding_set_json(a, key, json_pack("{s:s,s:[I]}", "k", value, "l", n));
		rs_finding_set_json(b, key, json_pack("{s:s,s:[I]}", "k", value, "l", n));
		break;
	}
}

static void test_text_evidence_is_the_objects(void **state)
{
	(void)state;
	rs_finding *a = rs_finding_new("vuln", "vuln:CVE-1", RS_SEV_HIGH, -1, "t");
	rs_finding *b = rs_finding_new_text("vuln", "vuln:CVE-1", RS_SEV_HIGH, -1, "t");
	assert_null(b->evidence);
	set_both(a, b, 0, "package", "openssl", 0);
	set_both(a, b, 0, "installed", "3.0.11-1~deb12u2", 0);
	set_both(a, b, 0, "cve", "CVE-2024-1 \"q\" \\ \n\x01 \xe1\xbb\x87", 0);
	set_both(a, b, 0, "path", "/bad/\xff\xfe name", 0);
	set_both(a, b, 0, "k\xc3\xa9y \"x\"", NULL, 0);
	set_both(a, b, 0, "bad key \xff", "v", 0); /* refused by both */
	set_both(a, b, 2, "cvss", NULL, 52);
	set_both(a, b, 1, "pid", NULL, -42);
	set_both(a, b, 3, "flag", NULL, 1);
	set_both(a, b, 3, "none", NULL, 0);
	assert_non_null(b->evtext); /* all of these kept as text */
	rs_finding_add_reference(a, "https://r.invalid/");
	rs_finding_add_reference(b, "https://r.invalid/");
	char *ia = rs_finding_identity(a), *ib = rs_finding_identity(b);
	assert_string_equal(ia, ib);
	assert_non_null(strstr(ib, "|package=openssl"));
	assert_non_null(strstr(ib, "|path=/bad/"));
	free(ia);
	free(ib);
	assert_same_findings(a, b);
	/* set again once the object is made */
	set_both(a, b, 0, "package", "libssl3", 0);
	assert_same_findings(a, b);
	rs_finding_free(a);
	rs_finding_free(b);

	/* a key set again, an object value, more members than the text holds:
	 * the finding goes on as an object, with the same result */
	const char *keys[] = { "path", "exe", "package", "cve", "name", "x", "y", "z" };
	unsigned seed = 7;
	for (int round = 0; round < 300; round++) {
		a = rs_finding_new("m", "r", RS_SEV_LOW, -1, "t");
		b = rs_finding_new_text("m", "r", RS_SEV_LOW, -1, "t");
		int sets = round % 24;
		char key[32], value[16];
		for (int i = 0; i < sets; i++) {
			seed = seed * 1103515245u + 12345u;
			int kind = (int)((seed >> 8) % 10);
			kind = kind < 6 ? 0 : kind - 5; /* mostly strings */
			if (round % 3 == 0)
				snprintf(key, sizeof(key), "k%d", i); /* distinct: up to 23 members */
			else
				snprintf(key, sizeof(key), "%s", keys[(seed >> 16) % 8]);
			for (size_t j = 0; j + 1 < sizeof(value); j++) /* any bytes but NUL */
				value[j] = (char)(1 + (seed >> (j % 24)) % 255);
			value[(seed >> 4) % sizeof(value)] = '\0';
			value[sizeof(value) - 1] = '\0';
			set_both(a, b, kind, key, value, (long long)(seed % 1000) - 500);
		}
		assert_same_findings(a, b);
		rs_finding_free(a);
		rs_finding_free(b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_fields),
		cmocka_unit_test(test_text_is_the_objects_text),
		cmocka_unit_test(test_text_kept_until_changed),
		cmocka_unit_test(test_text_evidence_is_the_objects),
		cmocka_unit_test(test_from_json_rejects_incomplete),
		cmocka_unit_test(test_identity),
		cmocka_unit_test(test_non_utf8_is_kept_printable),
		cmocka_unit_test(test_severity_names),
		cmocka_unit_test(test_score),
		cmocka_unit_test(test_summary_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
