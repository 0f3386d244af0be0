/*
 * dash_html.c — escaping for the dashboard's output: URL query values and
 * CSV fields (server/dash.h); HTML text and attributes go through
 * rs_html_escape (core/html.h). Every value a page shows goes through one
 * of these.
 */
#include "server/dash.h"

#include <stdio.h>
#include <string.h>

void rs_url_enc(rs_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~') {
			rs_buf_append(b, (const char *)&c, 1);
		} else {
			char e[3] = { '%', hex[c >> 4], hex[c & 15] };
			rs_buf_append(b, e, 3);
		}
	}
}

void rs_csv_field(rs_buf *b, const char *s)
{
	if (!s)
		s = "";
	bool formula = strchr("=+-@\t\r", s[0]) && s[0];
	bool quote = formula || strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		rs_buf_puts(b, "\"");
	if (formula)
		rs_buf_puts(b, "'");
	for (; *s; s++) {
		if (*s == '"')
			rs_buf_puts(b, "\"\"");
		else
			rs_buf_append(b, s, 1);
	}
	if (quote)
		rs_buf_puts(b, "\"");
}

const char *rs_dash_str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

void rs_dash_th(rs_dash_ctx *ctx, rs_buf *b, rs_str label)
{
	rs_buf_puts(b, "<th>");
	rs_html_escape(b, rs_tr(ctx->lang, label));
	rs_buf_puts(b, "</th>");
}

void rs_dash_td(rs_buf *b, const char *text)
{
	rs_buf_puts(b, "<td>");
	rs_html_escape(b, text);
	rs_buf_puts(b, "</td>");
}

void rs_dash_ths(rs_dash_ctx *ctx, rs_buf *b, const rs_str *labels, size_t n)
{
	for (size_t i = 0; i < n; i++)
		rs_dash_th(ctx, b, labels[i]);
}

void rs_dash_tds(rs_buf *b, const json_t *row, const char *const *keys, size_t n)
{
	for (size_t i = 0; i < n; i++)
		rs_dash_td(b, rs_dash_str(row, keys[i]));
}
