/*
 * webconf_tomcat.c — the served directories of Tomcat's server.xml: the
 * appBase of each <Host> (its subdirectories are applications) and the
 * docBase of each <Context>. Not an XML parser: it finds the two elements'
 * start tags outside comments and reads the one attribute of each.
 */
#include "hunt/webconf.h"

#include <string.h>

/* The value of attribute NAME inside the tag TAG..END, or NULL. */
static const char *attribute(const char *tag, const char *end, const char *name, size_t *vlen)
{
	size_t nl = strlen(name);
	for (const char *p = tag; p + nl + 2 < end; p++) {
		if (memcmp(p, name, nl) != 0 || (p > tag && p[-1] != ' ' && p[-1] != '\t' && p[-1] != '\n' && p[-1] != '\r'))
			continue;
		const char *q = p + nl;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		if (q >= end || *q != '=')
			continue;
		q++;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		if (q >= end || (*q != '"' && *q != '\''))
			continue;
		char quote = *q++;
		const char *v = q;
		while (q < end && *q != quote)
			q++;
		if (q >= end)
			return NULL;
		*vlen = (size_t)(q - v);
		return v;
	}
	return NULL;
}

static const char *find(const char *p, const char *end, const char *s)
{
	size_t n = strlen(s);
	for (; p + n <= end; p++)
		if (memcmp(p, s, n) == 0)
			return p;
	return NULL;
}

size_t rs_webconf_tomcat(const char *text, size_t len, rs_webconf_fn fn, void *ctx)
{
	const char *p = text, *end = text + len;
	size_t found = 0;
	while (p < end) {
		const char *lt = memchr(p, '<', (size_t)(end - p));
		if (!lt)
			break;
		if (end - lt >= 4 && memcmp(lt, "<!--", 4) == 0) {
			const char *close = find(lt + 4, end, "-->");
			p = close ? close + 3 : end;
			continue;
		}
		const char *gt = memchr(lt, '>', (size_t)(end - lt));
		if (!gt)
			break;
		int kind = -1;
		const char *attr = NULL;
		if (gt - lt > 5 && memcmp(lt, "<Host", 5) == 0 && memchr(" \t\r\n", lt[5], 4)) {
			kind = RS_WEBCONF_APPBASE;
			attr = "appBase";
		} else if (gt - lt > 8 && memcmp(lt, "<Context", 8) == 0 && memchr(" \t\r\n", lt[8], 4)) {
			kind = RS_WEBCONF_ROOT;
			attr = "docBase";
		}
		size_t vl = 0;
		const char *v = attr ? attribute(lt, gt, attr, &vl) : NULL;
		if (v && vl > 0 && vl <= RS_WEBCONF_MAX_VALUE) {
			fn(ctx, kind, v, vl);
			found++;
		}
		p = gt + 1;
	}
	return found;
}
