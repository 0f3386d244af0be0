/*
 * html.c — HTML escaping of text and attribute values (see html.h).
 */
#include "core/html.h"

#include <string.h>

void rs_html_escape_n(rs_buf *b, const char *s, size_t len)
{
	const char *run = s, *end = s + len;
	for (; s < end; s++) {
		const char *ent = NULL;
		switch (*s) {
		case '&': ent = "&amp;"; break;
		case '<': ent = "&lt;"; break;
		case '>': ent = "&gt;"; break;
		case '"': ent = "&quot;"; break;
		case '\'': ent = "&#39;"; break;
		default: break;
		}
		if (!ent)
			continue;
		rs_buf_append(b, run, (size_t)(s - run));
		rs_buf_puts(b, ent);
		run = s + 1;
	}
	rs_buf_append(b, run, (size_t)(s - run));
}

void rs_html_escape(rs_buf *b, const char *s)
{
	if (s)
		rs_html_escape_n(b, s, strlen(s));
}
