/*
 * report_util.c — helpers shared by the report sinks (see report_internal.h):
 * copies and ordering of findings, safe text from host strings, numbers
 * for people.
 */
#include "report/report_internal.h"
#include "core/html.h"
#include "core/i18n.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

json_t *rs_report_finding_copy(const rs_finding *f, const char *scan)
{
	/* rs_finding_to_json shares the finding's evidence and arrays; the
	 * finding is borrowed, so keep a copy of our own. */
	json_t *shared = rs_finding_to_json(f, scan);
	json_t *copy = json_deep_copy(shared);
	json_decref(shared);
	return copy;
}

rs_severity rs_report_severity(const json_t *finding)
{
	rs_severity s;
	if (rs_severity_parse(json_string_value(json_object_get(finding, "severity")), &s))
		return s;
	return RS_SEV_INFO;
}

const char *rs_report_str(const json_t *obj, const char *key)
{
	const char *v = json_string_value(json_object_get(obj, key));
	return v ? v : "";
}

/* The words a reader sees; rs_severity_name's are the contract's. */
static const char *const severity_labels[RS_SEV_COUNT] = {
	N_("info"), N_("low"), N_("medium"), N_("high"), N_("critical"),
};

const char *rs_severity_label(rs_severity s)
{
	return _(severity_labels[(unsigned)s < RS_SEV_COUNT ? s : RS_SEV_INFO]);
}

const char *rs_report_text(const char *text)
{
	if (!text || !*text)
		return text;
	const char *t = rs_content_text(text);
	return t != text ? t : gettext(text);
}

void rs_report_pad(FILE *out, const char *text, int width)
{
	int chars = 0;
	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		if ((*p & 0xC0) != 0x80)
			chars++;
	fputs(text, out);
	for (; chars < width; chars++)
		fputc(' ', out);
}

long long rs_report_counter(const json_t *stats, const char *key)
{
	return (long long)json_integer_value(json_object_get(stats, key));
}

static int compare_findings(const void *a, const void *b)
{
	const json_t *fa = *(const json_t *const *)a;
	const json_t *fb = *(const json_t *const *)b;
	int sa = (int)rs_report_severity(fa), sb = (int)rs_report_severity(fb);
	if (sa != sb)
		return sb - sa;
	long long pa = json_integer_value(json_object_get(fa, "score"));
	long long pb = json_integer_value(json_object_get(fb, "score"));
	if (pa != pb)
		return pa < pb ? 1 : -1;
	int c = strcmp(rs_report_str(fa, "module"), rs_report_str(fb, "module"));
	if (c)
		return c;
	c = strcmp(rs_report_str(fa, "rule"), rs_report_str(fb, "rule"));
	return c ? c : strcmp(rs_report_str(fa, "title"), rs_report_str(fb, "title"));
}

void rs_report_sort_findings(json_t *findings)
{
	size_t n = json_array_size(findings);
	if (n < 2)
		return;
	json_t **items = rs_calloc(n, sizeof(*items));
	for (size_t i = 0; i < n; i++)
		items[i] = json_incref(json_array_get(findings, i));
	qsort(items, n, sizeof(*items), compare_findings);
	json_array_clear(findings);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(findings, items[i]);
	free(items);
}

/* The length of the valid UTF-8 sequence at P (1–4), or 0 when invalid. */
static size_t utf8_sequence_length(const unsigned char *p)
{
	unsigned char c = p[0];
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return (p[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		unsigned char lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
		if (p[1] < lo || p[1] > hi || (p[2] & 0xC0) != 0x80)
			return 0;
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		unsigned char lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
		if (p[1] < lo || p[1] > hi || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80)
			return 0;
		return 4;
	}
	return 0;
}

static bool is_c1_control(const unsigned char *p, size_t len)
{
	return len == 2 && p[0] == 0xC2 && p[1] < 0xA0;
}

char *rs_report_clean(const char *s)
{
	static const char replacement[] = "\xef\xbf\xbd";
	rs_buf b;
	rs_buf_init(&b);
	rs_buf_append(&b, "", 0);
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	while (*p) {
		size_t len = utf8_sequence_length(p);
		if (len == 0) {
			rs_buf_puts(&b, replacement);
			p++;
		} else if (*p == '\t' || *p == '\n' || *p == '\r') {
			rs_buf_append(&b, " ", 1);
			p++;
		} else if (*p < 0x20 || *p == 0x7F || is_c1_control(p, len)) {
			rs_buf_puts(&b, replacement);
			p += len;
		} else {
			rs_buf_append(&b, (const char *)p, len);
			p += len;
		}
	}
	return rs_buf_take(&b);
}

static void append_value(rs_buf *b, const json_t *value)
{
	if (json_is_string(value)) {
		rs_buf_puts(b, json_string_value(value));
	} else if (json_is_integer(value)) {
		rs_buf_printf(b, "%lld", (long long)json_integer_value(value));
	} else if (json_is_array(value)) {
		size_t i;
		const json_t *item;
		json_array_foreach(value, i, item) {
			if (i)
				rs_buf_append(b, " ", 1);
			append_value(b, item);
		}
	} else {
		char *text = json_dumps(value, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
		if (text)
			rs_buf_puts(b, text);
		free(text);
	}
}

/* Cuts S to at most MAX bytes on a character boundary and appends "…". */
static void truncate_utf8(char *s, size_t max)
{
	size_t len = strlen(s);
	if (max < 4 || len <= max)
		return;
	size_t cut = max - 3;
	while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
		cut--;
	memcpy(s + cut, "\xe2\x80\xa6", 4);
}

char *rs_report_value_text(const json_t *value, size_t max)
{
	rs_buf b;
	rs_buf_init(&b);
	rs_buf_append(&b, "", 0);
	append_value(&b, value);
	char *clean = rs_report_clean(b.data);
	rs_buf_free(&b);
	truncate_utf8(clean, max);
	return clean;
}

void rs_report_duration(long long ms, char *buf, size_t size)
{
	if (ms < 0)
		ms = 0;
	if (ms < 1000)
		snprintf(buf, size, "%lld ms", ms);
	else if (ms < 60000)
		snprintf(buf, size, "%.1f s", (double)ms / 1000.0);
	else
		snprintf(buf, size, "%lld min %02lld s", ms / 60000, (ms / 1000) % 60);
}

void rs_report_html(FILE *out, const char *s)
{
	char *clean = rs_report_clean(s);
	rs_buf b;
	rs_buf_init(&b);
	rs_html_escape(&b, clean);
	if (b.len)
		fwrite(b.data, 1, b.len, out);
	rs_buf_free(&b);
	free(clean);
}
