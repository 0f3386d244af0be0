/*
 * test_report.c — the report sinks: JSONL and JSON keep the FORMATS.md
 * contract, the text report groups by severity and colours only when asked,
 * and the HTML report is self-contained and escapes every host string
 * (markup, quotes, ampersands, invalid UTF-8, terminal escapes).
 */
#include "testutil.h"
#include "core/json.h"
#include "core/sink.h"
#include "core/util.h"
#include "report/report.h"
#include "core/bytes.h"
#include "report/report_internal.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char SCAN_ID[] = "0123456789abcdef0123456789abcdef";
static const char HOSTILE_TITLE[] = "Webshell <script>alert(1)</script> & \"quoted\" 'single'";
static const char HOSTILE_PATH[] = "/var/www/html/<script>alert(2)</script>\xff\xfe.php";
static const char ESCAPE_TITLE[] = "Cron job \x1b[31mred\x1b[0m every minute";

/* An output captured in memory. */
typedef struct capture {
	FILE *out;
	char *data;
	size_t size;
} capture;

static FILE *capture_open(capture *c)
{
	memset(c, 0, sizeof(*c));
	c->out = open_memstream(&c->data, &c->size);
	assert_non_null(c->out);
	return c->out;
}

static char *capture_close(capture *c)
{
	fclose(c->out);
	return c->data;
}

static void fill_head(rs_summary *s)
{
	rs_summary_init(s);
	snprintf(s->scan, sizeof(s->scan), "%s", SCAN_ID);
	s->host = rs_strdup("web01<b>");
	s->root = rs_strdup("/");
	snprintf(s->started, sizeof(s->started), "2026-11-24T01:02:03Z");
	json_t *info = s->host_info;
	json_object_set_new(info, "hostname", json_string("web01<b>"));
	json_object_set_new(info, "os_name", json_string("Debian GNU/Linux 12 (bookworm)"));
	json_object_set_new(info, "os_id", json_string("debian"));
	json_object_set_new(info, "kernel", json_string("6.1.0-18-amd64"));
	json_object_set_new(info, "root", json_string("/"));
	json_object_set_new(info, "live", json_true());
	json_object_set_new(info, "packages", json_integer(412));
	json_object_set_new(info, "users", json_integer(27));
}

static json_t *module_stats(long long files, long long errors, long long findings, const char *na)
{
	json_t *o = json_object();
	if (files)
		json_object_set_new(o, "files", json_integer(files));
	if (files)
		json_object_set_new(o, "bytes", json_integer(files * 4096));
	json_object_set_new(o, "errors", json_integer(errors));
	json_object_set_new(o, "findings", json_integer(findings));
	json_object_set_new(o, "duration_ms", json_integer(files ? 812 : 3));
	if (na)
		json_object_set_new(o, "not_applicable", json_string(na));
	return o;
}

/* Low, critical, info, high: out of order on purpose. */
static rs_finding **make_findings(size_t *count)
{
	rs_finding **f = rs_calloc(4, sizeof(*f));
	f[0] = rs_finding_new("audit", "audit:pass_max_days", RS_SEV_LOW, -1, "Passwords never expire");
	rs_finding_set_str(f[0], "path", "/etc/login.defs");
	rs_finding_set_remediation(f[0], "Set PASS_MAX_DAYS 365 in /etc/login.defs.");

	f[1] = rs_finding_new("rootkit", "rootkit:ld_so_preload", RS_SEV_CRITICAL, 95,
			      "/etc/ld.so.preload loads a library into every process");
	rs_finding_set_str(f[1], "path", "/etc/ld.so.preload");
	rs_finding_add_attack(f[1], "T1574.006");
	rs_finding_set_remediation(f[1], "Inspect the library, then empty /etc/ld.so.preload.");

	f[2] = rs_finding_new("persist", "persist:cron_every_minute", RS_SEV_INFO, -1, ESCAPE_TITLE);
	rs_finding_set_int(f[2], "pid", 4242);
	rs_finding_set_str(f[2], "exe", "/usr/bin/curl");
	json_t *cmdline = json_array();
	json_array_append_new(cmdline, json_string("curl"));
	json_array_append_new(cmdline, json_string("-s"));
	rs_finding_set_json(f[2], "cmdline", cmdline);

	f[3] = rs_finding_new("hunt", "yara:Webshell_PHP_Generic", RS_SEV_HIGH, 80, HOSTILE_TITLE);
	rs_finding_set_str(f[3], "path", HOSTILE_PATH);
	rs_finding_set_str(f[3], "sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	rs_finding_add_attack(f[3], "T1505.003");
	rs_finding_add_attack(f[3], "javascript:alert(3)");
	rs_finding_set_remediation(f[3], "Quarantine the file & review <the> web root.");
	*count = 4;
	return f;
}

static void free_findings(rs_finding **f, size_t count)
{
	for (size_t i = 0; i < count; i++)
		rs_finding_free(f[i]);
	free(f);
}

static void fill_summary(rs_summary *s, rs_finding **f, size_t count)
{
	s->duration_ms = 1234;
	s->complete = true;
	for (size_t i = 0; i < count; i++)
		s->counts[f[i]->severity]++;
	s->score = rs_score_from_counts(s->counts);
	s->exit_code = count ? 1 : 0;
	json_t *audit = module_stats(0, 0, 1, NULL);
	json_object_set_new(audit, "score", json_integer(73));
	json_object_set_new(s->modules, "audit", audit);
	json_object_set_new(s->modules, "hunt", module_stats(100, 1, 1, NULL));
	json_object_set_new(s->modules, "rootkit", module_stats(0, 0, 1, NULL));
	json_object_set_new(s->modules, "persist", module_stats(0, 0, 1, NULL));
	json_object_set_new(s->modules, "integrity", module_stats(0, 0, 0, "needs a package database"));
	json_t *vuln = module_stats(0, 0, 0, NULL);
	json_object_set_new(vuln, "upgrades",
			    json_pack("[{s:s, s:i, s:s}, {s:s, s:i, s:s}]", "package", "libssl3", "clears", 7,
				      "to", "3.0.15-1~deb12u1", "package", "bash<b>", "clears", 1, "to", "5.2.15-3"));
	json_object_set_new(s->modules, "vuln", vuln);
}

/* Drives SINK through a whole scan (with the 4 findings, or none) and
 * destroys it. */
static void drive(rs_sink *sink, bool with_findings)
{
	rs_summary s;
	fill_head(&s);
	size_t count = 0;
	rs_finding **f = with_findings ? make_findings(&count) : NULL;
	assert_int_equal(sink->begin(sink, &s), 0);
	for (size_t i = 0; i < count; i++)
		assert_int_equal(sink->finding(sink, f[i]), 0);
	if (sink->check) {
		json_t *check = json_pack("{s:s, s:s, s:s, s:s, s:s}", "type", "check", "module", "audit", "rule",
					  "audit:ssh_root_login", "title", "SSH root login disabled", "result",
					  "passed");
		assert_int_equal(sink->check(sink, check), 0);
		json_decref(check);
	}
	fill_summary(&s, f, count);
	assert_int_equal(sink->end(sink, &s), 0);
	sink->destroy(sink);
	rs_summary_free(&s);
	if (f)
		free_findings(f, count);
}

static char *render_text(bool color, bool summary_only, int max_per_severity)
{
	capture c;
	rs_text_options opts = { .color = color, .summary_only = summary_only, .max_per_severity = max_per_severity };
	drive(rs_sink_text_new(capture_open(&c), false, &opts), true);
	return capture_close(&c);
}

static char *render_html(bool with_findings)
{
	capture c;
	drive(rs_sink_html_new(capture_open(&c), false), with_findings);
	return capture_close(&c);
}

/* ---- JSONL ---- */

static json_t *parse_line(const char *line, size_t len)
{
	json_error_t err;
	json_t *v = json_loadb(line, len, 0, &err);
	if (!v)
		fail_msg("line does not parse: %s: %.*s", err.text, (int)len, line);
	return v;
}

static void check_webshell_line(const json_t *o)
{
	assert_string_equal(json_string_value(json_object_get(o, "scan")), SCAN_ID);
	assert_string_equal(json_string_value(json_object_get(o, "module")), "hunt");
	assert_string_equal(json_string_value(json_object_get(o, "severity")), "high");
	assert_int_equal(json_integer_value(json_object_get(o, "score")), 80);
	assert_string_equal(json_string_value(json_object_get(o, "title")), HOSTILE_TITLE);
	const char *path = json_string_value(json_object_get(json_object_get(o, "evidence"), "path"));
	assert_non_null(path);
	assert_true(rs_starts_with(path, "/var/www/html/<script>"));
	assert_string_equal(json_string_value(json_array_get(json_object_get(o, "attack"), 0)), "T1505.003");
	assert_non_null(json_object_get(o, "remediation"));
}

static void test_jsonl_lines(void **state)
{
	(void)state;
	capture c;
	drive(rs_sink_jsonl_new(capture_open(&c), false), true);
	char *text = capture_close(&c);
	const char *expected_types[] = { "finding", "finding", "finding", "finding", "check", "summary" };
	size_t n = 0;
	for (char *line = text, *nl; (nl = strchr(line, '\n')); line = nl + 1, n++) {
		json_t *o = parse_line(line, (size_t)(nl - line));
		assert_true(n < 6);
		assert_string_equal(json_string_value(json_object_get(o, "type")), expected_types[n]);
		if (n == 3) {
			assert_string_equal(json_string_value(json_object_get(o, "rule")), "yara:Webshell_PHP_Generic");
			check_webshell_line(o);
		}
		if (n == 5) {
			assert_int_equal(json_integer_value(json_object_get(json_object_get(o, "counts"), "critical")), 1);
			assert_int_equal(json_integer_value(json_object_get(o, "exit")), 1);
			assert_true(json_is_object(json_object_get(json_object_get(o, "modules"), "hunt")));
		}
		json_decref(o);
	}
	assert_int_equal(n, 6);
	free(text);
}

/* ---- JSON ---- */

static void test_json_document(void **state)
{
	(void)state;
	capture c;
	drive(rs_sink_json_new(capture_open(&c), false), true);
	char *text = capture_close(&c);
	assert_non_null(strstr(text, "\n  \"findings\""));
	json_error_t err;
	json_t *doc = json_loads(text, 0, &err);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "scan")), SCAN_ID);
	assert_string_equal(json_string_value(json_object_get(json_object_get(doc, "host"), "kernel")),
			    "6.1.0-18-amd64");
	json_t *findings = json_object_get(doc, "findings");
	assert_int_equal(json_array_size(findings), 4);
	assert_int_equal(json_array_size(json_object_get(doc, "checks")), 1);
	json_t *summary = json_object_get(doc, "summary");
	json_t *counts = json_object_get(summary, "counts");
	long long total = 0;
	const char *key;
	json_t *v;
	json_object_foreach(counts, key, v)
		total += json_integer_value(v);
	assert_int_equal(total, json_array_size(findings));
	const long long expected[RS_SEV_COUNT] = { 1, 1, 0, 1, 1 };
	for (int s = 0; s < RS_SEV_COUNT; s++)
		assert_int_equal(json_integer_value(json_object_get(counts, rs_severity_name((rs_severity)s))),
				 expected[s]);
	check_webshell_line(json_array_get(findings, 3));
	json_decref(doc);
	free(text);
}

/* ---- text ---- */

static const char *find(const char *haystack, const char *needle)
{
	const char *p = strstr(haystack, needle);
	if (!p)
		fail_msg("\"%s\" not in the output:\n%s", needle, haystack);
	return p;
}

static void test_text_grouped_by_severity(void **state)
{
	(void)state;
	char *text = render_text(false, false, 0);
	const char *critical = find(text, "CRITICAL (1)");
	const char *high = find(text, "HIGH (1)");
	const char *low = find(text, "LOW (1)");
	const char *info = find(text, "INFO (1)");
	assert_true(critical < high && high < low && low < info);
	assert_true(find(text, "/etc/ld.so.preload loads") < find(text, "Webshell "));
	find(text, "path: /etc/ld.so.preload");
	find(text, "pid: 4242  exe: /usr/bin/curl");
	find(text, "fix: Inspect the library");
	find(text, "rootkit:ld_so_preload");
	find(text, "not applicable: needs a package database");
	find(text, "scan 0123456789abcdef0123456789abcdef");
	assert_null(strchr(text, '\x1b')); /* not even from the hostile title */
	find(text, "Cron job \xef\xbf\xbd[31mred");
	char score[32];
	unsigned long counts[RS_SEV_COUNT] = { 1, 1, 0, 1, 1 };
	snprintf(score, sizeof(score), "%d/100", rs_score_from_counts(counts));
	find(text, score);
	free(text);
}

static void test_text_color_only_when_asked(void **state)
{
	(void)state;
	char *text = render_text(true, false, 0);
	find(text, "\x1b[");
	find(text, "\x1b[0m");
	find(text, "Cron job \xef\xbf\xbd[31mred"); /* the title's own escape is still cleaned */
	free(text);
}

static void test_text_summary_only(void **state)
{
	(void)state;
	char *text = render_text(false, true, 0);
	assert_null(strstr(text, "Webshell"));
	assert_null(strstr(text, "ld.so.preload loads"));
	assert_null(strstr(text, "Cron job"));
	assert_null(strstr(text, "CRITICAL ("));
	find(text, "rasoat scan of web01<b>");
	find(text, "critical 1");
	find(text, "Score");
	find(text, "hunt");
	find(text, "400.0 KiB");
	free(text);
}

static void test_text_max_per_severity(void **state)
{
	(void)state;
	capture c;
	rs_text_options opts = { .max_per_severity = 1 };
	rs_sink *sink = rs_sink_text_new(capture_open(&c), false, &opts);
	rs_summary s;
	fill_head(&s);
	for (int i = 0; i < 3; i++) {
		char title[32];
		snprintf(title, sizeof(title), "high number %d", i);
		rs_finding *f = rs_finding_new("audit", "audit:x", RS_SEV_HIGH, 80 - i, title);
		sink->finding(sink, f);
		rs_finding_free(f);
		s.counts[RS_SEV_HIGH]++;
	}
	sink->end(sink, &s);
	sink->destroy(sink);
	rs_summary_free(&s);
	char *text = capture_close(&c);
	find(text, "high number 0");
	assert_null(strstr(text, "high number 1"));
	find(text, "\xe2\x80\xa6 and 2 more (see the HTML/JSON report)");
	free(text);
}

/* ---- HTML ---- */

/* Every URL with a scheme ("…://") in the page is the href of a link to
 * attack.mitre.org: no src=, <link> or url() loads anything. */
static void assert_no_external_resources(const char *html)
{
	assert_null(strstr(html, "<link"));
	assert_null(strstr(html, "src="));
	assert_null(strstr(html, "url("));
	assert_null(strstr(html, "@import"));
	for (const char *p = html; (p = strstr(p, "://")); p += 3) {
		const char *allowed = "href=\"https://attack.mitre.org/";
		size_t back = strlen("href=\"https");
		assert_true((size_t)(p - html) >= back);
		if (strncmp(p - back, allowed, strlen(allowed)) != 0)
			fail_msg("external reference: %.60s", p - back);
	}
}

static void test_html_escapes_host_strings(void **state)
{
	(void)state;
	char *html = render_html(true);
	assert_null(strstr(html, "<script>alert"));
	assert_null(strstr(html, "<b>"));
	assert_null(strchr(html, '\x1b'));
	assert_null(strstr(html, "\xff"));
	assert_null(strstr(html, "href=\"javascript"));
	find(html, "<td class=\"attack\"><a href=\"https://attack.mitre.org/techniques/T1505/003/\" "
		   "rel=\"noreferrer\">T1505.003</a><br>javascript:alert(3)</td>");
	find(html, "Webshell &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot; &#39;single&#39;");
	find(html, "/var/www/html/&lt;script&gt;alert(2)&lt;/script&gt;\xef\xbf\xbd\xef\xbf\xbd.php");
	find(html, "<title>rasoat report \xe2\x80\x94 web01&lt;b&gt;</title>");
	find(html, "Quarantine the file &amp; review &lt;the&gt; web root.");
	/* Only our own script, allowed by its hash. */
	find(html, "script-src 'sha256-");
	const char *script = find(html, "<script>");
	assert_null(strstr(script + 1, "<script"));
	free(html);
}

static void test_html_content(void **state)
{
	(void)state;
	char *html = render_html(true);
	assert_true(rs_starts_with(html, "<!DOCTYPE html>"));
	assert_no_external_resources(html);
	find(html, "<svg");
	unsigned long counts[RS_SEV_COUNT] = { 1, 1, 0, 1, 1 };
	char score[64];
	snprintf(score, sizeof(score), "security score %d of 100", rs_score_from_counts(counts));
	find(html, score);
	find(html, "Findings (4)");
	find(html, "<code>yara:<wbr>Webshell_PHP_Generic</code>");
	find(html, "6.1.0-18-amd64");
	find(html, "412 packages");
	find(html, "not applicable: needs a package database");
	find(html, "<a href=\"https://attack.mitre.org/techniques/T1505/003/\" rel=\"noreferrer\">T1505.003</a>");
	/* sorted: critical, high, low, info */
	const char *critical = find(html, "data-rank=\"4\"");
	const char *high = find(html, "data-rank=\"3\"");
	const char *low = find(html, "data-rank=\"1\"");
	const char *info = find(html, "data-rank=\"0\"");
	assert_true(critical < high && high < low && low < info);
	find(html, "</html>\n");
	free(html);
}

static void test_html_zero_findings(void **state)
{
	(void)state;
	char *html = render_html(false);
	find(html, "No findings at or above info.");
	find(html, "<svg");
	find(html, "security score 100 of 100");
	assert_no_external_resources(html);
	assert_null(strstr(html, "<script>"));
	find(html, "</html>\n");
	free(html);
}

/* ---- helpers ---- */

/* The vuln module's advice of what to upgrade first shows in text and HTML. */
static void test_upgrades_shown(void **state)
{
	(void)state;
	char *text = render_text(false, true, 0);
	assert_non_null(strstr(text, "Upgrades that clear the most vulnerabilities"));
	assert_non_null(strstr(text, "libssl3 -> 3.0.15-1~deb12u1  (clears 7)"));
	assert_non_null(strstr(text, "score 73/100")); /* the audit module's own score */
	free(text);
	char *html = render_html(true);
	assert_non_null(strstr(html, "Upgrades that clear the most vulnerabilities"));
	assert_non_null(strstr(html, "<code>bash&lt;b&gt;</code>"));
	assert_null(strstr(html, "bash<b>"));
	assert_non_null(strstr(html, "score 73/100"));
	free(html);
}

static void test_clean_and_truncate(void **state)
{
	(void)state;
	char *s = rs_report_clean("a\tb\x01" "c\xc2\x9b" "d\xed\xa0\x80" "e\xe2\x82\xac\xc3");
	assert_string_equal(s, "a b\xef\xbf\xbd" "c\xef\xbf\xbd" "d\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
			       "e\xe2\x82\xac\xef\xbf\xbd");
	free(s);
	json_t *v = json_string("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9");
	char *t = rs_report_value_text(v, 8);
	assert_string_equal(t, "\xc3\xa9\xc3\xa9\xe2\x80\xa6");
	free(t);
	json_decref(v);
	char buf[32];
	rs_report_duration(61500, buf, sizeof(buf));
	assert_string_equal(buf, "1 min 01 s");
	rs_format_bytes(1536, buf, sizeof(buf));
	assert_string_equal(buf, "1.5 KiB");
	rs_format_bytes(-5, buf, sizeof(buf));
	assert_string_equal(buf, "0 B");
	rs_format_bytes(1023, buf, sizeof(buf));
	assert_string_equal(buf, "1023 B");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jsonl_lines),
		cmocka_unit_test(test_json_document),
		cmocka_unit_test(test_text_grouped_by_severity),
		cmocka_unit_test(test_text_color_only_when_asked),
		cmocka_unit_test(test_text_summary_only),
		cmocka_unit_test(test_text_max_per_severity),
		cmocka_unit_test(test_html_escapes_host_strings),
		cmocka_unit_test(test_html_content),
		cmocka_unit_test(test_html_zero_findings),
		cmocka_unit_test(test_upgrades_shown),
		cmocka_unit_test(test_clean_and_truncate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
