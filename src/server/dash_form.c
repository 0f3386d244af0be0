/*
 * dash_form.c — parsers of what a browser sends the dashboard: form bodies
 * and query strings (application/x-www-form-urlencoded) and the Cookie
 * header (server/dash.h). Outside input: bounded, every malformed escape
 * refused (tests/unit/test_dash.c, tests/fuzz/fuzz_dash_form.c).
 */
#include "server/dash.h"
#include "core/digest.h"

#include <stdlib.h>
#include <string.h>

#define MAX_VALUE 8192

/* Decodes S[0..N) into OUT (room for N + 1); -1 on a bad escape or a NUL. */
static int decode(const char *s, size_t n, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			if (n - i < 3)
				return -1;
			int hi = rs_hex_value(s[i + 1]), lo = rs_hex_value(s[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			c = (char)(hi * 16 + lo);
			i += 2;
		}
		if (c == '\0')
			return -1;
		out[o++] = c;
	}
	out[o] = '\0';
	return 0;
}

char *rs_form_get(const char *body, size_t len, const char *name)
{
	if (!body || !name)
		return NULL;
	size_t nlen = strlen(name);
	const char *end = body + len;
	const char *p = body;
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *pair_end = amp ? amp : end;
		const char *eq = memchr(p, '=', (size_t)(pair_end - p));
		const char *key_end = eq ? eq : pair_end;
		if ((size_t)(key_end - p) == nlen && memcmp(p, name, nlen) == 0) {
			const char *v = eq ? eq + 1 : pair_end;
			size_t vlen = (size_t)(pair_end - v);
			if (vlen > MAX_VALUE * 3)
				return NULL;
			char *out = malloc(vlen + 1);
			if (!out || decode(v, vlen, out) < 0 || strlen(out) > MAX_VALUE) {
				free(out);
				return NULL;
			}
			return out;
		}
		p = pair_end + 1;
	}
	return NULL;
}

bool rs_cookie_get(const char *header, const char *name, char *out, size_t size)
{
	if (!header || !name || size == 0)
		return false;
	size_t nlen = strlen(name);
	const char *p = header;
	while (*p) {
		while (*p == ' ' || *p == ';')
			p++;
		const char *end = strchr(p, ';');
		size_t plen = end ? (size_t)(end - p) : strlen(p);
		if (plen > nlen && memcmp(p, name, nlen) == 0 && p[nlen] == '=') {
			size_t vlen = plen - nlen - 1;
			if (vlen == 0 || vlen >= size)
				return false;
			memcpy(out, p + nlen + 1, vlen);
			out[vlen] = '\0';
			return true;
		}
		p += plen;
	}
	return false;
}
