/*
 * test_json_scan.c — the feed readers' in-place JSON reader: it accepts
 * exactly what a full JSON parser (jansson) accepts, on documents written
 * by hand and on thousands of generated ones with errors sown in; decodes
 * escapes and UTF-8; bounds nesting; and the tracker reader built on it
 * reads a package far larger than its read window, with quotes, escaped
 * quotes and brackets inside strings, as one package. rs_json_scan_skip_checked
 * (the end of a value already checked) ends where rs_json_scan_skip_value does.
 */
#include "testutil.h"
#include "vuln/json_scan.h"
#include "vuln/vuln.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static bool scan_accepts(const char *text)
{
	rs_json_scan s;
	rs_json_scan_init(&s, text, strlen(text));
	return rs_json_scan_skip_value(&s) && rs_json_scan_peek(&s) == 0;
}

static bool jansson_accepts(const char *text)
{
	json_t *v = json_loadb(text, strlen(text), JSON_DECODE_ANY, NULL);
	json_decref(v);
	return v != NULL;
}

static void test_by_hand(void **state)
{
	(void)state;
	static const char *const good[] = {
		"{}", "[]", "0", "-0.5e+3", "\"a\\\"b\"", "{\"a\": [1, {\"b\": null}], \"c\": \"}{][\"}",
		" [ true , false , null ] ", "{\"\\u00e9\": \"\\ud83d\\ude00\"}", "[[[[[]]]]]",
	};
	static const char *const bad[] = {
		"", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "[1 2]", "01", "-", "1.", "1e", "tru",
		"\"abc", "\"a\\x\"", "\"a\nb\"", "{\"a\":}", "[}", "{]", "{} {}", "{1: 2}", "\"\\u12\"",
	};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_true(jansson_accepts(good[i]));
		assert_true(scan_accepts(good[i]));
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_false(jansson_accepts(bad[i]));
		assert_false(scan_accepts(bad[i]));
	}
}

/* A random document of ASCII without \u escapes, nested below the bound. */
static void generate(rs_buf *b, unsigned *seed, int depth)
{
	static const char *const scalars[] = { "1", "-2.5", "3e7", "true", "false", "null", "\"s\"",
					       "\"a\\\"b\\\\\"", "\"}]{[,:\"", "0.0" };
	int kind = depth > 6 ? 2 : (int)(rand_r(seed) % 3);
	if (kind == 0) {
		rs_buf_puts(b, "{");
		int n = (int)(rand_r(seed) % 4);
		for (int i = 0; i < n; i++) {
			rs_buf_printf(b, "%s\"k%d\": ", i ? ", " : "", i);
			generate(b, seed, depth + 1);
		}
		rs_buf_puts(b, "}");
	} else if (kind == 1) {
		rs_buf_puts(b, "[");
		int n = (int)(rand_r(seed) % 4);
		for (int i = 0; i < n; i++) {
			if (i)
				rs_buf_puts(b, ",");
			generate(b, seed, depth + 1);
		}
		rs_buf_puts(b, "]");
	} else {
		rs_buf_puts(b, scalars[rand_r(seed) % 10]);
	}
}

static void test_same_verdict_as_jansson(void **state)
{
	(void)state;
	static const char sown[] = "{}[],:\"\\ 0a-.e";
	unsigned seed = 7;
	int rejected = 0;
	for (int round = 0; round < 5000; round++) {
		rs_buf b;
		rs_buf_init(&b);
		generate(&b, &seed, 0);
		rs_buf_append(&b, "", 1);
		/* half of them get one byte changed, deleted or added */
		if (round % 2 && b.len > 1) {
			size_t at = rand_r(&seed) % (b.len - 1);
			char c = sown[rand_r(&seed) % (sizeof(sown) - 1)];
			int how = (int)(rand_r(&seed) % 3);
			if (how == 0)
				b.data[at] = c;
			else if (how == 1)
				memmove(b.data + at, b.data + at + 1, b.len - at - 1);
			else {
				rs_buf_append(&b, "", 1);
				memmove(b.data + at + 1, b.data + at, b.len - at - 2);
				b.data[at] = c;
			}
		}
		bool j = jansson_accepts(b.data);
		if (j != scan_accepts(b.data))
			fail_msg("verdicts differ on: %s (jansson %s)", b.data, j ? "accepts" : "rejects");
		rejected += !j;
		rs_buf_free(&b);
	}
	assert_true(rejected > 500); /* the sown errors were errors */
}

static void test_strings_and_depth(void **state)
{
	(void)state;
	rs_buf arena;
	rs_buf_init(&arena);
	rs_json_scan s;
	size_t at;
	const char *text = "\"caf\\u00e9 \\ud83d\\ude00 \\\"q\\\" \\\\ ok\"";
	rs_json_scan_init(&s, text, strlen(text));
	assert_true(rs_json_scan_string(&s, &arena, 100, &at));
	assert_string_equal(arena.data + at, "caf\xc3\xa9 \xf0\x9f\x98\x80 \"q\" \\ ok");
	static const char *const bad[] = { "\"\\ud800\"", "\"\\u0000\"", "\"\xc3\"", "\"\xff\"", "\"\xed\xa0\x80\"" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rs_json_scan_init(&s, bad[i], strlen(bad[i]));
		assert_false(rs_json_scan_string(&s, &arena, 100, &at));
		assert_non_null(s.error);
	}
	rs_json_scan_init(&s, "\"abcdef\"", 8);
	assert_false(rs_json_scan_string(&s, &arena, 3, &at)); /* over its field's bound */

	/* nesting past the bound is refused, not recursed into */
	rs_buf deep;
	rs_buf_init(&deep);
	for (int i = 0; i < 100000; i++)
		rs_buf_puts(&deep, "[");
	rs_json_scan_init(&s, deep.data, deep.len);
	assert_false(rs_json_scan_skip_value(&s));
	assert_string_equal(s.error, "nested too deeply");
	rs_buf_free(&deep);

	static const char *const keys[] = { "status", "releases" };
	const char *obj = "\"rel\\u0065ases\" : 1";
	rs_json_scan_init(&s, obj, strlen(obj));
	assert_int_equal(rs_json_scan_key(&s, keys, 2), 1); /* an escaped key is compared decoded */
	rs_json_scan_init(&s, "\"other\": 1", 10);
	assert_int_equal(rs_json_scan_key(&s, keys, 2), -1);
	rs_buf_free(&arena);
}

/* A package whose value spans several read windows (descriptions of 3 MB
 * with quotes, escapes and brackets inside), read whole, between two small ones. */
static void test_tracker_big_package(void **state)
{
	(void)state;
	rs_buf b;
	rs_buf_init(&b);
	rs_buf_puts(&b, "{\"a\": {\"CVE-1\": {\"releases\": {\"bookworm\": {\"status\": \"open\"}}}},\n \"big\": {");
	for (int c = 0; c < 3; c++) {
		rs_buf_printf(&b, "%s\"CVE-%d\": {\"description\": \"", c ? ", " : "", 100 + c);
		for (int i = 0; i < 100000; i++)
			rs_buf_puts(&b, "x\\\"}]{[\\\\ ");
		rs_buf_printf(&b, "\", \"releases\": {\"bookworm\": {\"status\": \"resolved\", \"fixed_version\": \"1.%d-1\"}}}", c);
	}
	rs_buf_puts(&b, "},\n \"z\": {\"CVE-2\": {\"releases\": {\"sid\": {\"status\": \"open\"}}}}}\n");
	rs_vec v;
	rs_vec_init(&v, sizeof(rs_vuln_record));
	rs_feed_stats st = { 0 };
	assert_int_equal(rs_debtracker_parse(b.data, b.len, "big.json", rs_test_collect_record, &v, &st), 0);
	assert_int_equal(st.skipped, 0);
	assert_int_equal(v.len, 5);
	const rs_vuln_record *r = rs_vec_at(&v, 3);
	assert_string_equal(r->package, "big");
	assert_string_equal(r->fixed, "1.2-1");
	r = rs_vec_at(&v, 4);
	assert_string_equal(r->package, "z");
	for (size_t i = 0; i < v.len; i++)
		rs_vuln_record_free(rs_vec_at(&v, i));
	rs_vec_free(&v);
	rs_buf_free(&b);
}

/* skip_checked ends each value where skip_value does: strings with escaped
 * quotes and backslashes before the closing quote, brackets inside strings,
 * nesting, scalars; and it never runs past the end of a cut value. */
static void test_skip_checked(void **state)
{
	(void)state;
	static const char *const values[] = {
		"\"plain\" , 1",
		"\"a\\\"b\" , 1",
		"\"ends in a backslash\\\\\" , 1",
		"\"two\\\\\\\\\" ]",
		"\"\\\\\\\"\" , 1",
		"{\"k\": \"}]\\\"{[\", \"l\": [1, {\"m\": null}]} , 2",
		"[[], {}, [\"]\"], \"\\\\\"] , 3",
		"  -12.5e+3 , 4",
		"true]",
		"{\"a\": {\"b\": {\"c\": [\"d\\\\\", \"e\"]}}}",
	};
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		rs_json_scan a, b;
		rs_json_scan_init(&a, values[i], strlen(values[i]));
		rs_json_scan_init(&b, values[i], strlen(values[i]));
		assert_true(rs_json_scan_skip_value(&a));
		assert_true(rs_json_scan_skip_checked(&b));
		assert_ptr_equal(a.p, b.p);
	}
	/* cut short: false, and the cursor at the end, not past it */
	static const char *const cut[] = { "\"open", "\"esc\\\"", "{\"a\": [1, 2", "[\"]\"" };
	for (size_t i = 0; i < sizeof(cut) / sizeof(cut[0]); i++) {
		rs_json_scan s;
		rs_json_scan_init(&s, cut[i], strlen(cut[i]));
		assert_false(rs_json_scan_skip_checked(&s));
		assert_ptr_equal(s.p, cut[i] + strlen(cut[i]));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_by_hand),
		cmocka_unit_test(test_same_verdict_as_jansson),
		cmocka_unit_test(test_strings_and_depth),
		cmocka_unit_test(test_tracker_big_package),
		cmocka_unit_test(test_skip_checked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
