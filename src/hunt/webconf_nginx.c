/*
 * webconf_nginx.c — the served directories of an nginx configuration:
 * `root` and `alias` in http/server/location blocks, and `include` of other
 * files (sites-enabled/ files, conf.d/ files ending in .conf). A small tokenizer that knows
 * comments, quotes, `;` and braces; anything else is skipped.
 */
#include "hunt/webconf.h"

#include <string.h>

typedef struct {
	const char *p, *end;
} cursor;

/* Next token into TOK (at most RS_WEBCONF_MAX_VALUE bytes, longer ones are
 * cut). Returns its length, or 0 at the end; *PUNCT is set to ';', '{' or
 * '}' when the token is that character. */
static size_t next_token(cursor *c, char *tok, char *punct)
{
	*punct = 0;
	for (;;) {
		while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\r' || *c->p == '\n'))
			c->p++;
		if (c->p < c->end && *c->p == '#') {
			while (c->p < c->end && *c->p != '\n')
				c->p++;
			continue;
		}
		break;
	}
	if (c->p >= c->end)
		return 0;
	char ch = *c->p;
	if (ch == ';' || ch == '{' || ch == '}') {
		c->p++;
		tok[0] = ch;
		*punct = ch;
		return 1;
	}
	size_t n = 0;
	if (ch == '"' || ch == '\'') {
		c->p++;
		while (c->p < c->end && *c->p != ch) {
			if (*c->p == '\\' && c->p + 1 < c->end)
				c->p++;
			if (n < RS_WEBCONF_MAX_VALUE)
				tok[n++] = *c->p;
			c->p++;
		}
		if (c->p < c->end)
			c->p++;
		return n;
	}
	while (c->p < c->end && !memchr(" \t\r\n;{}#", *c->p, 8)) {
		if (n < RS_WEBCONF_MAX_VALUE)
			tok[n++] = *c->p;
		c->p++;
	}
	return n;
}

size_t rs_webconf_nginx(const char *text, size_t len, rs_webconf_fn fn, void *ctx)
{
	cursor c = { text, text + len };
	char tok[RS_WEBCONF_MAX_VALUE];
	char name[16];
	size_t found = 0;
	int argi = 0;    /* 0: at a directive's name, 1: its first argument, 2: later */
	int kind = -1;   /* what the current directive's first argument is */
	for (;;) {
		char punct;
		const char *before = c.p;
		size_t n = next_token(&c, tok, &punct);
		if (n == 0 && c.p >= c.end)
			break;
		if (n == 0 && c.p == before)
			break;
		if (punct) {
			argi = 0;
			kind = -1;
			continue;
		}
		if (argi == 0) {
			size_t m = n < sizeof name - 1 ? n : sizeof name - 1;
			memcpy(name, tok, m);
			name[m] = 0;
			kind = n >= sizeof name ? -1 : !strcmp(name, "root") || !strcmp(name, "alias") ? RS_WEBCONF_ROOT
				: !strcmp(name, "include") ? RS_WEBCONF_INCLUDE : -1;
			argi = 1;
		} else if (argi == 1) {
			if (kind >= 0 && n > 0) {
				fn(ctx, kind, tok, n);
				found++;
			}
			argi = 2;
		}
	}
	return found;
}
