/*
 * fill.c — a text format filled with strings, without printf (see fill.h):
 * one pass to measure, one to write, so the text goes into one allocation
 * of its exact size.
 */
#include "core/fill.h"
#include "core/util.h"

#include <string.h>

/* Appends the LEN bytes at S to OUT (when not NULL) at *AT. */
static void put(char *out, size_t *at, const char *s, size_t len)
{
	if (out)
		memcpy(out + *at, s, len);
	*at += len;
}

size_t rs_fill_strings(char *out, const char *fmt, const char *const *args, size_t n)
{
	size_t at = 0, next = 0;
	for (const char *p = fmt; *p;) {
		const char *pct = strchr(p, '%');
		if (!pct) {
			put(out, &at, p, strlen(p));
			break;
		}
		put(out, &at, p, (size_t)(pct - p));
		size_t arg = n; /* none */
		const char *after = pct + 1;
		if (pct[1] == '%') {
			put(out, &at, "%", 1);
			p = pct + 2;
			continue;
		} else if (pct[1] == 's') {
			arg = next++;
			after = pct + 2;
		} else if (pct[1] >= '1' && pct[1] <= '9' && pct[2] == '$' && pct[3] == 's') {
			arg = (size_t)(pct[1] - '1');
			after = pct + 4;
		}
		if (arg >= n) { /* not ours: the "%" as it stands, then the rest */
			put(out, &at, "%", 1);
			p = pct + 1;
			continue;
		}
		const char *s = args[arg] ? args[arg] : "(null)";
		put(out, &at, s, strlen(s));
		p = after;
	}
	if (out)
		out[at] = '\0';
	return at;
}

char *rs_fill_strings_dup(const char *fmt, const char *const *args, size_t n)
{
	char *out = rs_malloc(rs_fill_strings(NULL, fmt, args, n) + 1);
	rs_fill_strings(out, fmt, args, n);
	return out;
}
