/*
 * api_slice.c — finds the text of each finding in a results body
 * (api_slice.h): a walk over JSON text that jansson has already accepted,
 * so it only skips values (strings with their escapes, nested objects and
 * arrays, scalars) and reads keys; every step is bounded by LEN.
 */
#include "server/api_slice.h"

#include <stdbool.h>
#include <string.h>

typedef struct cursor {
	const char *s;
	size_t len, pos;
} cursor;

static void skip_ws(cursor *c)
{
	while (c->pos < c->len && strchr(" \t\r\n", c->s[c->pos]) && c->s[c->pos])
		c->pos++;
}

static bool at(cursor *c, char ch)
{
	skip_ws(c);
	return c->pos < c->len && c->s[c->pos] == ch;
}

/* Skips the string at POS (its opening quote); false when unterminated.
 * *ESCAPED tells whether it held a backslash. */
static bool skip_string(cursor *c, bool *escaped)
{
	*escaped = false;
	c->pos++;
	while (c->pos < c->len) {
		char ch = c->s[c->pos++];
		if (ch == '"')
			return true;
		if (ch == '\\') {
			*escaped = true;
			c->pos++;
		}
	}
	return false;
}

/* Skips one value of any kind. */
static bool skip_value(cursor *c)
{
	skip_ws(c);
	if (c->pos >= c->len)
		return false;
	char ch = c->s[c->pos];
	bool escaped;
	if (ch == '"')
		return skip_string(c, &escaped);
	if (ch != '{' && ch != '[') {
		while (c->pos < c->len && !strchr(",]} \t\r\n", c->s[c->pos]) && c->s[c->pos])
			c->pos++;
		return true;
	}
	size_t depth = 0;
	while (c->pos < c->len) {
		ch = c->s[c->pos];
		if (ch == '"') {
			if (!skip_string(c, &escaped))
				return false;
			continue;
		}
		c->pos++;
		if (ch == '{' || ch == '[')
			depth++;
		else if ((ch == '}' || ch == ']') && --depth == 0)
			return true;
	}
	return false;
}

/* Moves C (at an object's '{') to the value of KEY; false when absent, or
 * when a key of the object is written with escapes (it could spell KEY). */
static bool find_key(cursor *c, const char *key)
{
	if (!at(c, '{'))
		return false;
	c->pos++;
	size_t klen = strlen(key);
	while (at(c, '"')) {
		size_t start = c->pos + 1;
		bool escaped;
		if (!skip_string(c, &escaped) || escaped)
			return false;
		bool match = c->pos - 1 - start == klen && memcmp(c->s + start, key, klen) == 0;
		if (!at(c, ':'))
			return false;
		c->pos++;
		if (match)
			return true;
		if (!skip_value(c))
			return false;
		if (!at(c, ','))
			return false;
		c->pos++;
	}
	return false;
}

/* Moves C (at an array's '[') to its element INDEX; false when shorter. */
static bool find_element(cursor *c, size_t index)
{
	if (!at(c, '['))
		return false;
	c->pos++;
	for (size_t i = 0; i < index; i++) {
		if (!skip_value(c) || !at(c, ','))
			return false;
		c->pos++;
	}
	skip_ws(c);
	return !at(c, ']');
}

int rs_api_slice_findings(const char *body, size_t len, size_t scan, rs_fleet_text *slices, size_t n)
{
	cursor c = { body, len, 0 };
	if (!find_key(&c, "scans") || !find_element(&c, scan) || !find_key(&c, "findings") || !at(&c, '['))
		return -1;
	c.pos++;
	size_t k = 0;
	while (!at(&c, ']')) {
		if (k == n)
			return -1;
		skip_ws(&c);
		size_t start = c.pos;
		if (!skip_value(&c))
			return -1;
		slices[k].text = body + start;
		slices[k].len = c.pos - start;
		k++;
		if (at(&c, ','))
			c.pos++;
		else if (!at(&c, ']'))
			return -1;
	}
	return k == n ? 0 : -1;
}
