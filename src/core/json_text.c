/*
 * json_text.c — the compact text of a JSON value (json.h), byte for byte
 * what jansson's json_dumps(JSON_COMPACT | JSON_ENCODE_ANY) writes: keys in
 * insertion order, "\\" "\"" and control characters escaped as jansson
 * escapes them, other characters (UTF-8) as they are, reals by jansson
 * itself. It is written straight into one buffer, several times faster than
 * jansson's writer, which goes through a callback for every piece: findings
 * are written this way to the JSONL stream and to the store, tens of
 * thousands per scan.
 */
#include "core/json.h"
#include "core/util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON_TEXT_MAX_DEPTH 2048 /* jansson's own limit on dumping */

/* Length of the valid UTF-8 sequence at P (N bytes left), 0 when invalid
 * (jansson refuses to write such a string). */
static size_t utf8_sequence(const unsigned char *p, size_t n)
{
	unsigned c = p[0], v, min;
	size_t len;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, min = 0x10000;
	else
		return 0;
	if (n < len)
		return 0;
	v = c & (0xffu >> (len + 1));
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (p[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	return len;
}

/* Bytes written as they are: printable ASCII but '"' and '\\'. */
static const unsigned char plain[256] = {
	[0x20] = 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x22 '"' */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, /* 0x5c '\\' */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/* Nonzero when some byte of the eight in W is not plain (below 0x20, '"',
 * '\\', or 0x80 and above), 0 when all eight are. Each test tells whether
 * some byte is such a byte, not which (the classic "has a zero byte" and
 * "has a byte less than" word tricks; the byte order does not matter). */
static uint64_t not_plain8(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
	uint64_t quote = w ^ (ones * '"'), backslash = w ^ (ones * '\\');
	uint64_t below_space = (w - ones * 0x20) & ~w;
	uint64_t has_quote = (quote - ones) & ~quote, has_backslash = (backslash - ones) & ~backslash;
	return (w | below_space | has_quote | has_backslash) & highs;
}

/* The end of the run of plain bytes that starts at P (END at most): eight
 * bytes at a time while they are all plain, then byte by byte. */
static const unsigned char *plain_run_end(const unsigned char *p, const unsigned char *end)
{
	while (end - p >= 8) {
		uint64_t w;
		memcpy(&w, p, sizeof(w));
		if (not_plain8(w))
			break;
		p += 8;
	}
	while (p < end && plain[*p])
		p++;
	return p;
}

static int append_string(rs_buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	rs_buf_reserve(b, n + 2); /* room for the string as it is, quoted */
	if (plain_run_end(p, end) == end) { /* most strings: written as they are, in one copy */
		char *at = b->data + b->len;
		at[0] = '"';
		memcpy(at + 1, s, n);
		at[n + 1] = '"';
		at[n + 2] = '\0';
		b->len += n + 2;
		return 0;
	}
	rs_buf_append(b, "\"", 1);
	while (p < end) {
		const unsigned char *run = p;
		p = plain_run_end(p, end);
		if (p > run)
			rs_buf_append(b, (const char *)run, (size_t)(p - run));
		if (p == end)
			break;
		unsigned c = *p;
		if (c >= 0x80) {
			size_t len = utf8_sequence(p, (size_t)(end - p));
			if (!len)
				return -1;
			rs_buf_append(b, (const char *)p, len);
			p += len;
			continue;
		}
		const char *esc = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\b' ? "\\b" : c == '\f' ? "\\f"
				  : c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" : NULL;
		if (esc) {
			rs_buf_puts(b, esc);
		} else {
			char seq[8];
			snprintf(seq, sizeof(seq), "\\u%04X", c);
			rs_buf_puts(b, seq);
		}
		p++;
	}
	rs_buf_append(b, "\"", 1);
	return 0;
}

static int append_value(rs_buf *b, const json_t *v, int depth)
{
	if (depth > JSON_TEXT_MAX_DEPTH)
		return -1;
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		rs_buf_append(b, "{", 1);
		bool first = true;
		const char *key;
		json_t *item;
		json_object_foreach((json_t *)v, key, item) {
			if (!first)
				rs_buf_append(b, ",", 1);
			first = false;
			if (append_string(b, key, strlen(key)) < 0)
				return -1;
			rs_buf_append(b, ":", 1);
			if (append_value(b, item, depth + 1) < 0)
				return -1;
		}
		rs_buf_append(b, "}", 1);
		return 0;
	}
	case JSON_ARRAY: {
		rs_buf_append(b, "[", 1);
		for (size_t i = 0; i < json_array_size(v); i++) {
			if (i)
				rs_buf_append(b, ",", 1);
			if (append_value(b, json_array_get(v, i), depth + 1) < 0)
				return -1;
		}
		rs_buf_append(b, "]", 1);
		return 0;
	}
	case JSON_STRING:
		return append_string(b, json_string_value(v), json_string_length(v));
	case JSON_INTEGER:
		rs_buf_printf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return 0;
	case JSON_REAL: { /* jansson's own formatting of reals */
		char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		if (!text)
			return -1;
		rs_buf_puts(b, text);
		free(text);
		return 0;
	}
	case JSON_TRUE:
		rs_buf_puts(b, "true");
		return 0;
	case JSON_FALSE:
		rs_buf_puts(b, "false");
		return 0;
	case JSON_NULL:
		rs_buf_puts(b, "null");
		return 0;
	}
	return -1;
}

int rs_json_text_append_string(rs_buf *b, const char *s, size_t n)
{
	size_t mark = b->len;
	if (append_string(b, s, n) < 0) {
		b->len = mark;
		if (b->data)
			b->data[mark] = '\0';
		return -1;
	}
	return 0;
}

void rs_json_text_append_cstr(rs_buf *b, const char *s)
{
	if (!s)
		s = "";
	if (rs_json_text_append_string(b, s, strlen(s)) == 0)
		return;
	/* not UTF-8: as rs_json_string keeps it (the result is always valid) */
	rs_buf replaced;
	rs_buf_init(&replaced);
	rs_json_ascii_or_replaced(&replaced, s);
	append_string(b, replaced.data ? replaced.data : "", replaced.len);
	rs_buf_free(&replaced);
}

int rs_json_text_append(rs_buf *b, const json_t *value)
{
	size_t mark = b->len;
	if (!value || append_value(b, value, 0) < 0) {
		b->len = mark;
		if (b->data)
			b->data[mark] = '\0';
		return -1;
	}
	return 0;
}

char *rs_json_text(const json_t *value)
{
	rs_buf b;
	rs_buf_init(&b);
	if (rs_json_text_append(&b, value) < 0) {
		rs_buf_free(&b);
		return NULL;
	}
	return rs_buf_take(&b);
}
