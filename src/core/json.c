/*
 * json.c — UTF-8-safe strings and one-line output (see json.h).
 */
#include "core/json.h"
#include "core/util.h"

#include <stdio.h>

void rs_json_ascii_or_replaced(rs_buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x80)
			rs_buf_append(b, (const char *)p, 1);
		else
			rs_buf_puts(b, "\xef\xbf\xbd");
	}
}

json_t *rs_json_string(const char *s)
{
	if (!s)
		s = "";
	/* ASCII (most texts: names, versions, ids) is UTF-8 as it is: jansson
	 * need not check it byte by byte again */
	size_t n = 0;
	while (s[n] && (unsigned char)s[n] < 0x80)
		n++;
	if (!s[n])
		return json_stringn_nocheck(s, n);
	json_t *v = json_string(s);
	if (v)
		return v;
	rs_buf b;
	rs_buf_init(&b);
	rs_json_ascii_or_replaced(&b, s);
	v = json_string(b.data ? b.data : "");
	rs_buf_free(&b);
	return v;
}

int rs_json_print_line(FILE *out, const json_t *value)
{
	if (json_dumpf(value, out, JSON_COMPACT | JSON_PRESERVE_ORDER) < 0)
		return -1;
	return fputc('\n', out) == EOF ? -1 : 0;
}
