/*
 * json_scan.c — the in-place JSON reader of the feed readers (json_scan.h):
 * RFC 8259 syntax, iterative skipping with a bounded nesting depth, decoding
 * (escapes, surrogate pairs, UTF-8 checks) only of the strings kept.
 */
#include "vuln/json_scan.h"
#include "core/digest.h"
#include "core/i18n.h"

#include <stdint.h>
#include <string.h>

void rs_json_scan_init(rs_json_scan *s, const char *text, size_t len)
{
	s->p = text;
	s->end = text + len;
	s->error = NULL;
}

static bool fail(rs_json_scan *s, const char *error)
{
	if (!s->error)
		s->error = error;
	return false;
}

char rs_json_scan_peek(rs_json_scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\n' || *s->p == '\t' || *s->p == '\r'))
		s->p++;
	return s->p < s->end ? *s->p : 0;
}

bool rs_json_scan_expect(rs_json_scan *s, char c, const char *error)
{
	if (rs_json_scan_peek(s) != c)
		return fail(s, error);
	s->p++;
	return true;
}

/* Four hex digits at P into *OUT. */
static bool hex4(const char *p, const char *end, unsigned *out)
{
	if (end - p < 4)
		return false;
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		int h = rs_hex_value(p[i]);
		if (h < 0)
			return false;
		v = v << 4 | (unsigned)h;
	}
	*out = v;
	return true;
}

/* True when one of the 8 bytes of X is a quote, a backslash or a control
 * character: what ends the plain run of a string (the zero-byte test of
 * Hacker's Delight, 6-1, over each of the three conditions). */
static bool special_in(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\');
	uint64_t quote = (q - ones) & ~q, backslash = (b - ones) & ~b;
	uint64_t control = (x - ones * 0x20) & ~x; /* a byte below 0x20 */
	return ((quote | backslash | control) & highs) != 0;
}

/* The first byte at or after P (before END) that is a quote, a backslash
 * or a control character; END when there is none. */
static const char *plain_run_end(const char *p, const char *end)
{
	while (end - p >= 8) {
		uint64_t x;
		memcpy(&x, p, 8);
		if (special_in(x))
			break;
		p += 8;
	}
	while (p < end && *p != '"' && *p != '\\' && (unsigned char)*p >= 0x20)
		p++;
	return p;
}

bool rs_json_scan_skip_string(rs_json_scan *s)
{
	if (rs_json_scan_peek(s) != '"')
		return fail(s, N_("expected a string"));
	const char *p = s->p + 1, *end = s->end;
	while (p < end) {
		p = plain_run_end(p, end);
		if (p == end)
			break;
		unsigned char c = (unsigned char)*p;
		if (c == '"') {
			s->p = p + 1;
			return true;
		}
		if (c < 0x20) {
			s->p = p;
			return fail(s, N_("a control character inside a string"));
		}
		if (c == '\\') {
			if (++p == end)
				break;
			unsigned u;
			if (*p == 'u') {
				if (!hex4(p + 1, end, &u)) {
					s->p = p;
					return fail(s, N_("a bad \\u escape"));
				}
				p += 4;
			} else if (!strchr("\"\\/bfnrt", *p) || !*p) {
				s->p = p;
				return fail(s, N_("a bad escape in a string"));
			}
		}
		p++;
	}
	s->p = end;
	return fail(s, N_("a string that does not end"));
}

/* Length of the valid UTF-8 sequence at P (before END), 0 when invalid. */
static size_t utf8_length(const unsigned char *p, const unsigned char *end)
{
	unsigned c = p[0];
	size_t n;
	unsigned min;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, min = 0x10000;
	else
		return 0;
	if ((size_t)(end - p) < n)
		return 0;
	unsigned v = c & (0xff >> (n + 1));
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (p[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	return n;
}

static void put_utf8(rs_buf *b, unsigned v)
{
	char out[4];
	size_t n;
	if (v < 0x80) {
		out[0] = (char)v;
		n = 1;
	} else if (v < 0x800) {
		out[0] = (char)(0xc0 | v >> 6);
		out[1] = (char)(0x80 | (v & 0x3f));
		n = 2;
	} else if (v < 0x10000) {
		out[0] = (char)(0xe0 | v >> 12);
		out[1] = (char)(0x80 | (v >> 6 & 0x3f));
		out[2] = (char)(0x80 | (v & 0x3f));
		n = 3;
	} else {
		out[0] = (char)(0xf0 | v >> 18);
		out[1] = (char)(0x80 | (v >> 12 & 0x3f));
		out[2] = (char)(0x80 | (v >> 6 & 0x3f));
		out[3] = (char)(0x80 | (v & 0x3f));
		n = 4;
	}
	rs_buf_append(b, out, n);
}

/* The escape at P (just after the backslash), appended to ARENA; returns the
 * byte after it, NULL when it is bad. */
static const char *decode_escape(const char *p, const char *end, rs_buf *arena)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	if (*p != 'u') {
		const char *at = *p ? strchr(from, *p) : NULL;
		if (!at)
			return NULL;
		rs_buf_append(arena, &to[at - from], 1);
		return p + 1;
	}
	unsigned v;
	if (!hex4(p + 1, end, &v))
		return NULL;
	p += 5;
	if (v >= 0xd800 && v <= 0xdbff) {
		unsigned low;
		if (end - p < 6 || p[0] != '\\' || p[1] != 'u' || !hex4(p + 2, end, &low) || low < 0xdc00 ||
		    low > 0xdfff)
			return NULL;
		v = 0x10000 + ((v - 0xd800) << 10) + (low - 0xdc00);
		p += 6;
	} else if (v >= 0xdc00 && v <= 0xdfff) {
		return NULL;
	}
	if (v == 0)
		return NULL; /* a NUL would cut the C string short */
	put_utf8(arena, v);
	return p;
}

bool rs_json_scan_string(rs_json_scan *s, rs_buf *arena, size_t max, size_t *offset)
{
	if (rs_json_scan_peek(s) != '"')
		return fail(s, N_("expected a string"));
	*offset = arena->len;
	const char *p = s->p + 1, *end = s->end;
	while (p < end) {
		unsigned char c = (unsigned char)*p;
		if (arena->len - *offset > max) {
			s->p = p;
			return fail(s, N_("a string too long for its field"));
		}
		if (c == '"') {
			rs_buf_append(arena, "", 1);
			s->p = p + 1;
			return true;
		}
		if (c < 0x20) {
			s->p = p;
			return fail(s, N_("a control character inside a string"));
		}
		if (c == '\\') {
			const char *next = p + 1 < end ? decode_escape(p + 1, end, arena) : NULL;
			if (!next) {
				s->p = p;
				return fail(s, N_("a bad escape in a string"));
			}
			p = next;
			continue;
		}
		if (c < 0x80) { /* a run of plain ASCII, appended at once */
			const char *run = p;
			while (p < end && (unsigned char)*p >= 0x20 && (unsigned char)*p < 0x80 && *p != '"' &&
			       *p != '\\')
				p++;
			rs_buf_append(arena, run, (size_t)(p - run));
			continue;
		}
		size_t n = utf8_length((const unsigned char *)p, (const unsigned char *)end);
		if (!n) {
			s->p = p;
			return fail(s, N_("invalid UTF-8 inside a string"));
		}
		rs_buf_append(arena, p, n);
		p += n;
	}
	s->p = end;
	return fail(s, N_("a string that does not end"));
}

static bool skip_digits(rs_json_scan *s)
{
	const char *start = s->p;
	while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
		s->p++;
	return s->p > start;
}

static bool skip_scalar(rs_json_scan *s)
{
	static const char *const words[] = { "true", "false", "null" };
	for (size_t i = 0; i < 3; i++) {
		size_t n = strlen(words[i]);
		if ((size_t)(s->end - s->p) >= n && !memcmp(s->p, words[i], n)) {
			s->p += n;
			return true;
		}
	}
	if (s->p < s->end && *s->p == '-')
		s->p++;
	if (s->p < s->end && *s->p == '0')
		s->p++;
	else if (!skip_digits(s))
		return fail(s, N_("expected a value"));
	if (s->p < s->end && *s->p == '.') {
		s->p++;
		if (!skip_digits(s))
			return fail(s, N_("a bad number"));
	}
	if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
		s->p++;
		if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
			s->p++;
		if (!skip_digits(s))
			return fail(s, N_("a bad number"));
	}
	return true;
}

bool rs_json_scan_skip_value(rs_json_scan *s)
{
	char closers[RS_JSON_SCAN_MAX_DEPTH];
	int depth = 0;
	for (;;) {
		/* a value */
		char c = rs_json_scan_peek(s);
		if (c == '{' || c == '[') {
			if (depth == RS_JSON_SCAN_MAX_DEPTH)
				return fail(s, N_("nested too deeply"));
			closers[depth++] = c == '{' ? '}' : ']';
			s->p++;
			char n = rs_json_scan_peek(s);
			if (n == closers[depth - 1]) {
				s->p++;
				depth--;
			} else if (c == '{') {
				if (!rs_json_scan_skip_string(s) || !rs_json_scan_expect(s, ':', N_("expected \":\"")))
					return false;
				continue;
			} else {
				continue;
			}
		} else if (c == '"') {
			if (!rs_json_scan_skip_string(s))
				return false;
		} else if (!skip_scalar(s)) {
			return false;
		}
		/* after a value: close what ends here, then the next member or element */
		for (;;) {
			if (depth == 0)
				return true;
			char n = rs_json_scan_peek(s);
			if (n == closers[depth - 1]) {
				s->p++;
				depth--;
				continue;
			}
			if (n != ',')
				return fail(s, N_("expected \",\" or a closing bracket"));
			s->p++;
			if (closers[depth - 1] == '}' &&
			    (!rs_json_scan_skip_string(s) || !rs_json_scan_expect(s, ':', N_("expected \":\""))))
				return false;
			break;
		}
	}
}

/* The byte after the closing quote of the string whose content starts at
 * P (syntax already checked); NULL when there is none before END. */
static const char *checked_string_end(const char *p, const char *end)
{
	for (;;) {
		const char *q = memchr(p, '"', (size_t)(end - p));
		if (!q)
			return NULL;
		size_t slashes = 0;
		while (q - slashes > p && q[-1 - (ptrdiff_t)slashes] == '\\')
			slashes++;
		if (slashes % 2 == 0)
			return q + 1;
		p = q + 1; /* an escaped quote */
	}
}

bool rs_json_scan_skip_checked(rs_json_scan *s)
{
	char c = rs_json_scan_peek(s);
	const char *after;
	if (c == '"') {
		after = checked_string_end(s->p + 1, s->end);
		if (!after) {
			s->p = s->end;
			return fail(s, N_("a string that does not end"));
		}
		s->p = after;
		return true;
	}
	if (c != '{' && c != '[')
		return skip_scalar(s);
	int depth = 0;
	for (const char *p = s->p; p < s->end;) {
		char ch = *p;
		if (ch == '"') {
			after = checked_string_end(p + 1, s->end);
			if (!after)
				break;
			p = after;
			continue;
		}
		if (ch == '{' || ch == '[') {
			depth++;
		} else if ((ch == '}' || ch == ']') && --depth == 0) {
			s->p = p + 1;
			return true;
		}
		p++;
	}
	s->p = s->end;
	return fail(s, N_("expected \",\" or a closing bracket"));
}

int rs_json_scan_key(rs_json_scan *s, const char *const *names, size_t count)
{
	if (rs_json_scan_peek(s) != '"') {
		fail(s, N_("expected a key"));
		return -2;
	}
	const char *start = s->p + 1;
	if (!rs_json_scan_skip_string(s) || !rs_json_scan_expect(s, ':', N_("expected \":\"")))
		return -2;
	const char *close = s->p - 1;
	while (*close != '"')
		close--;
	size_t len = (size_t)(close - start);
	if (memchr(start, '\\', len)) { /* escaped: compare the decoded key */
		rs_buf key;
		rs_buf_init(&key);
		rs_json_scan sub = { start - 1, close + 1, NULL };
		size_t at = 0;
		int found = -1;
		if (rs_json_scan_string(&sub, &key, len, &at))
			for (size_t i = 0; i < count && found < 0; i++)
				if (!strcmp(key.data + at, names[i]))
					found = (int)i;
		rs_buf_free(&key);
		return found;
	}
	for (size_t i = 0; i < count; i++)
		if (strlen(names[i]) == len && !memcmp(start, names[i], len))
			return (int)i;
	return -1;
}

/* After "{" or "[" (FIRST) or an item: 0 at CLOSE (consumed), 1 when an
 * item follows (its separating comma consumed), -1 on an error. */
static int next_item(rs_json_scan *s, bool first, char close, const char *no_separator)
{
	char c = rs_json_scan_peek(s);
	if (c == close) {
		s->p++;
		return 0;
	}
	if (!first) {
		if (c != ',') {
			fail(s, no_separator);
			return -1;
		}
		s->p++;
	}
	return 1;
}

int rs_json_scan_next_member(rs_json_scan *s, bool first)
{
	int r = next_item(s, first, '}', N_("expected \",\" or \"}\""));
	if (r == 1 && rs_json_scan_peek(s) != '"') {
		fail(s, N_("expected a key"));
		return -1;
	}
	return r;
}

int rs_json_scan_next_element(rs_json_scan *s, bool first)
{
	int r = next_item(s, first, ']', N_("expected \",\" or \"]\""));
	if (r == 1 && !rs_json_scan_peek(s)) {
		fail(s, N_("the array does not end"));
		return -1;
	}
	return r;
}
