/*
 * test_json_text.c — rs_json_text, the writer of findings' JSON in the JSONL
 * stream and the store: byte for byte what json_dumps(JSON_COMPACT |
 * JSON_ENCODE_ANY) writes, on values written by hand (escapes, control
 * characters, UTF-8, embedded NUL, reals, empty containers, key order) and
 * on thousands of generated ones, every byte at every place of short
 * strings (they are read eight bytes at a time); a string that is not UTF-8 is refused
 * as jansson refuses it, leaving the buffer as it was.
 */
#include "testutil.h"
#include "core/json.h"
#include "core/util.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static void assert_same_text(const json_t *v)
{
	char *theirs = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	char *ours = rs_json_text(v);
	assert_non_null(theirs);
	assert_non_null(ours);
	assert_string_equal(ours, theirs);
	free(theirs);
	free(ours);
}

static void test_by_hand(void **state)
{
	(void)state;
	static const char *const docs[] = {
		"{}", "[]", "0", "-12", "9223372036854775807", "1.5", "9.8", "-0.0", "1e300", "0.1",
		"true", "false", "null", "\"\"", "\"a\\\"b\\\\c/d\"", "\"\\b\\f\\n\\r\\t\\u0001\\u001f\\u007f\"",
		"\"caf\\u00e9 \\ud83d\\ude00 \xe1\xbb\x87\"", "{\"z\": 1, \"a\": [1, 2.25, {\"\": null}], \"m\": {}}",
		"[[[[[]]]], {\"k\\n\": \"v\\t\"}]", "{\"evidence\": {\"path\": \"/srv/app/x \\\"y\\\"\", \"cvss\": 7.5}}",
	};
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		json_t *v = json_loads(docs[i], JSON_DECODE_ANY, NULL);
		assert_non_null(v);
		assert_same_text(v);
		json_decref(v);
	}
	/* an embedded NUL */
	json_t *s = json_stringn("a\0b", 3);
	assert_same_text(s);
	json_decref(s);
	/* keys in insertion order, whatever their hash */
	json_t *o = json_object();
	for (int i = 50; i > 0; i--) {
		char key[16];
		snprintf(key, sizeof(key), "k%d", i);
		json_object_set_new(o, key, json_integer(i));
	}
	assert_same_text(o);
	json_decref(o);
}

/* A random value of DEPTH at most, with strings of every kind of byte jansson accepts. */
static json_t *random_value(unsigned *seed, int depth)
{
	int kind = rand_r(seed) % (depth > 0 ? 8 : 6);
	switch (kind) {
	case 0: return json_integer((json_int_t)rand_r(seed) - RAND_MAX / 2);
	case 1: return json_real((double)rand_r(seed) / 97.0 - 1000.0);
	case 2: return rand_r(seed) % 2 ? json_true() : json_null();
	case 3:
	case 4:
	case 5: {
		static const char *const pieces[] = { "a", "\"", "\\", "/", "\n", "\x01", "\x1f", "\x7f", "é",
						      "€", "😀", " ", "\t", "ệ", "0" };
		rs_buf b;
		rs_buf_init(&b);
		int n = rand_r(seed) % 12;
		for (int i = 0; i < n; i++)
			rs_buf_puts(&b, pieces[rand_r(seed) % (int)(sizeof(pieces) / sizeof(pieces[0]))]);
		json_t *v = json_stringn(b.data ? b.data : "", b.len);
		rs_buf_free(&b);
		return v;
	}
	case 6: {
		json_t *a = json_array();
		int n = rand_r(seed) % 5;
		for (int i = 0; i < n; i++)
			json_array_append_new(a, random_value(seed, depth - 1));
		return a;
	}
	default: {
		json_t *o = json_object();
		int n = rand_r(seed) % 5;
		for (int i = 0; i < n; i++) {
			char key[16];
			snprintf(key, sizeof(key), "%c\"%d", 'a' + rand_r(seed) % 26, rand_r(seed) % 100);
			json_object_set_new(o, key, random_value(seed, depth - 1));
		}
		return o;
	}
	}
}

static void test_generated(void **state)
{
	(void)state;
	unsigned seed = 14;
	for (int i = 0; i < 3000; i++) {
		json_t *v = random_value(&seed, 4);
		assert_same_text(v);
		json_decref(v);
	}
}

/* Strings are looked at eight bytes at a time while they need no escape:
 * every byte value (ASCII, and a two-byte UTF-8 sequence for the high
 * ones), at every place in plain strings of 0 to 24 bytes, is written as
 * jansson writes it, wherever it falls in the eight. */
static void test_every_byte_everywhere(void **state)
{
	(void)state;
	for (size_t len = 0; len <= 24; len++) {
		for (size_t at = 0; at < len; at++) {
			for (unsigned c = 1; c < 0x100; c++) {
				char s[32];
				memset(s, 'a' + (char)(len % 26), sizeof(s));
				size_t n = len;
				if (c < 0x80) {
					s[at] = (char)c;
				} else if (at + 1 < len) { /* U+0080..U+00FF, in two bytes */
					s[at] = (char)(0xc0 | (c >> 6));
					s[at + 1] = (char)(0x80 | (c & 0x3f));
				} else {
					continue;
				}
				json_t *v = json_stringn(s, n);
				assert_non_null(v);
				assert_same_text(v);
				json_decref(v);
			}
		}
	}
}

static void test_not_utf8(void **state)
{
	(void)state;
	json_t *o = json_object();
	json_object_set_new(o, "bad", json_stringn_nocheck("a\xff", 2));
	assert_null(json_dumps(o, JSON_COMPACT | JSON_ENCODE_ANY));
	assert_null(rs_json_text(o));
	rs_buf b;
	rs_buf_init(&b);
	rs_buf_puts(&b, "kept");
	assert_int_equal(rs_json_text_append(&b, o), -1);
	assert_string_equal(b.data, "kept");
	rs_buf_free(&b);
	json_decref(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_by_hand),
		cmocka_unit_test(test_generated),
		cmocka_unit_test(test_every_byte_everywhere),
		cmocka_unit_test(test_not_utf8),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
