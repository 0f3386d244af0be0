/*
 * webconf_apache.c — the served directories of an Apache httpd
 * configuration: DocumentRoot, the target of Alias/ScriptAlias, the path of
 * <Directory> sections, and Include/IncludeOptional of other files
 * (sites-enabled, conf-enabled). Line based: comments, backslash
 * continuations and quotes are understood; anything else is skipped.
 */
#include "hunt/webconf.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

/* Splits LINE (LEN bytes) into at most 4 words (quotes kept together). */
static size_t words(const char *line, size_t len, const char *w[4], size_t wl[4])
{
	size_t n = 0, i = 0;
	while (i < len && n < 4) {
		while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
			i++;
		if (i >= len)
			break;
		if (line[i] == '"' || line[i] == '\'') {
			char q = line[i++];
			size_t s = i;
			while (i < len && line[i] != q)
				i++;
			w[n] = line + s;
			wl[n++] = i - s;
			if (i < len)
				i++;
		} else {
			size_t s = i;
			while (i < len && line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
				i++;
			w[n] = line + s;
			wl[n++] = i - s;
		}
	}
	return n;
}

static bool is(const char *w, size_t len, const char *name)
{
	return len == strlen(name) && strncasecmp(w, name, len) == 0;
}

static size_t one_line(const char *line, size_t len, rs_webconf_fn fn, void *ctx)
{
	const char *w[4];
	size_t wl[4];
	size_t n = words(line, len, w, wl);
	if (n < 2 || wl[0] == 0 || w[0][0] == '#')
		return 0;
	int kind = -1;
	size_t arg = 1;
	if (is(w[0], wl[0], "DocumentRoot")) {
		kind = RS_WEBCONF_ROOT;
	} else if (is(w[0], wl[0], "Alias") || is(w[0], wl[0], "ScriptAlias")) {
		if (n < 3)
			return 0;
		kind = RS_WEBCONF_ROOT;
		arg = 2;
	} else if (is(w[0], wl[0], "<Directory")) {
		kind = RS_WEBCONF_ROOT;
		/* "<Directory /srv/app>": the closing '>' ends the word */
		if (wl[1] && w[1][wl[1] - 1] == '>')
			wl[1]--;
		if (wl[1] == 0 || w[1][0] == '~')
			return 0;   /* a regular expression, not a directory */
	} else if (is(w[0], wl[0], "Include") || is(w[0], wl[0], "IncludeOptional")) {
		kind = RS_WEBCONF_INCLUDE;
	}
	if (kind < 0 || wl[arg] == 0 || wl[arg] > RS_WEBCONF_MAX_VALUE)
		return 0;
	fn(ctx, kind, w[arg], wl[arg]);
	return 1;
}

size_t rs_webconf_apache(const char *text, size_t len, rs_webconf_fn fn, void *ctx)
{
	char line[4096];
	size_t ln = 0, found = 0;
	for (size_t i = 0; i <= len; i++) {
		char ch = i < len ? text[i] : '\n';
		if (ch == '\n') {
			/* a backslash at the end continues the line */
			size_t e = ln;
			while (e > 0 && line[e - 1] == '\r')
				e--;
			if (e > 0 && line[e - 1] == '\\' && i < len) {
				ln = e - 1;
				continue;
			}
			found += one_line(line, e, fn, ctx);
			ln = 0;
		} else if (ln < sizeof line) {
			line[ln++] = ch;
		}
	}
	return found;
}
