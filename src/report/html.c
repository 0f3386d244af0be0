/*
 * html.c — the HTML report: one self-contained file (inline CSS, inline SVG
 * charts, a small inline script for filtering the findings table) that loads
 * nothing from anywhere. A Content-Security-Policy that allows only that one
 * script (by its hash) backs up the escaping of every host-provided string.
 * Layout: title and scan line; a summary band (score gauge, counts by
 * severity, findings by module); host facts and the module table; then the
 * findings, most severe first, with evidence, ATT&CK ids and remediation.
 */
#include "report/report.h"
#include "report/report_internal.h"
#include "core/bytes.h"
#include "core/html.h"
#include "core/i18n.h"
#include "core/util.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

typedef struct html_state {
	FILE *out;
	bool close_out;
	json_t *findings;
} html_state;

static const char STYLE[] =
	":root{--fg:#111827;--muted:#6b7280;--line:#e5e7eb;--bg:#f3f4f6;--card:#fff}\n"
	"*{box-sizing:border-box}\n"
	"body{margin:0;font:14px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\","
	"Arial,\"Noto Sans\",\"Liberation Sans\",sans-serif;color:var(--fg);background:var(--bg)}\n"
	"header{background:#0f172a;color:#f8fafc;padding:22px 32px}\n"
	"header .inner,main{max-width:1360px;margin:0 auto}\n"
	"header h1{margin:0;font-size:22px;font-weight:600;letter-spacing:-.01em}\n"
	"header .sub{color:#cbd5e1;font-size:13px;margin-top:4px}\n"
	"header .sub span+span::before{content:\"\\00b7\";margin:0 8px;color:#64748b}\n"
	"main{padding:24px 32px}\n"
	".band{display:grid;grid-template-columns:240px 1fr 1fr;gap:16px;margin-bottom:16px}\n"
	".pair{display:grid;grid-template-columns:minmax(300px,1fr) 2fr;gap:16px;margin-bottom:16px}\n"
	".card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px 20px;"
	"box-shadow:0 1px 2px rgba(0,0,0,.04);min-width:0}\n"
	".card h2{font-size:12px;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);"
	"margin:0 0 12px;font-weight:600}\n"
	".score{text-align:center}\n"
	".score p{margin:6px 0 0;color:var(--muted);font-size:12px}\n"
	"dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:6px 16px;margin:0}\n"
	"dl.facts dt{color:var(--muted)}\n"
	"dl.facts dd{margin:0;overflow-wrap:anywhere}\n"
	"table{border-collapse:collapse;width:100%}\n"
	"th,td{text-align:left;padding:8px 10px;border-bottom:1px solid var(--line);vertical-align:top}\n"
	"th{font-size:11px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);"
	"font-weight:600;background:#f9fafb}\n"
	"tbody tr:hover{background:#fafafa}\n"
	".num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
	".badge{display:inline-block;min-width:64px;text-align:center;padding:2px 8px;border-radius:999px;"
	"color:#fff;font-size:11px;font-weight:700;text-transform:uppercase;letter-spacing:.04em}\n"
	".sev-critical{background:#7f1d1d}.sev-high{background:#dc2626}.sev-medium{background:#d97706}"
	".sev-low{background:#2563eb}.sev-info{background:#64748b}\n"
	".pts{color:var(--muted);font-size:11px;margin-top:4px;white-space:nowrap}\n"
	"code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,\"Liberation Mono\",monospace;"
	"font-size:12px}\n"
	".ftitle{font-weight:600}\n"
	"td.rule{min-width:170px}\n.rule code{overflow-wrap:break-word}\n"
	".mod{color:var(--muted);font-size:12px}\n"
	"dl.ev{display:grid;grid-template-columns:max-content 1fr;gap:2px 10px;margin:6px 0 0;font-size:12px}\n"
	"dl.ev dt{color:var(--muted)}\n"
	"dl.ev dd{margin:0;overflow-wrap:anywhere}\n"
	"td.fix{color:#374151;overflow-wrap:anywhere}\n"
	"#findings{table-layout:fixed}\n"
	"#findings col.c-sev{width:112px}#findings col.c-rule{width:18%}#findings col.c-att{width:104px}"
	"#findings col.c-fix{width:26%}\n"
	"#findings td{overflow-wrap:anywhere}\n"
	"ul.matches{margin:0;padding-left:16px}ul.matches ul{margin:2px 0;padding-left:16px}\n"
	"tr.group td{background:#f3f4f6}\n"
	"details.paths summary{cursor:pointer;color:var(--muted);font-size:12px;margin-top:6px}\n"
	"details.paths ul{margin:4px 0 0;padding-left:18px;font-size:12px}\n"
	"td.attack a{color:#1d4ed8;text-decoration:none;white-space:nowrap}\n"
	".na{color:var(--muted);font-style:italic}\n"
	".empty{padding:28px;text-align:center;color:var(--muted);font-size:15px}\n"
	".head{display:flex;flex-wrap:wrap;gap:12px;align-items:center;justify-content:space-between;"
	"margin-bottom:12px}\n"
	".head h2{margin:0}\n"
	".filters{display:flex;gap:8px;align-items:center;font-size:13px;color:var(--muted)}\n"
	".filters input,.filters select{font:inherit;color:var(--fg);padding:4px 8px;"
	"border:1px solid #d1d5db;border-radius:6px;background:#fff}\n"
	"footer{color:var(--muted);font-size:12px;padding:8px 32px 24px;text-align:center}\n"
	"@media (max-width:1000px){.band,.pair{grid-template-columns:1fr}}\n"
	"@media print{body{background:#fff;font-size:12px}header{background:#fff;color:#000;"
	"border-bottom:2px solid #000;padding:8px 0}header .sub{color:#333}main{padding:12px 0}"
	".filters{display:none}.card{box-shadow:none;break-inside:avoid;border-color:#bbb}"
	"tr{break-inside:avoid}.badge,rect,circle{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n";

/* Filters the findings table by text and by minimum severity. */
static const char SCRIPT[] =
	"(function(){var q=document.getElementById('q'),s=document.getElementById('sev'),"
	"n=document.getElementById('shown'),rows=document.querySelectorAll('#findings tbody tr');"
	"if(!q)return;document.getElementById('filters').hidden=false;"
	"function apply(){var t=q.value.toLowerCase(),m=+s.value,c=0;"
	"rows.forEach(function(r){var ok=+r.dataset.rank>=m&&(!t||r.textContent.toLowerCase().indexOf(t)>=0);"
	"r.hidden=!ok;if(ok)c++;});n.textContent=c;}"
	"q.addEventListener('input',apply);s.addEventListener('change',apply);})();";

/* The CSP source for SCRIPT: "sha256-" and its base64 digest. */
static void script_hash(char *buf, size_t size)
{
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int digest_len = 0;
	unsigned char b64[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
	if (!EVP_Digest(SCRIPT, strlen(SCRIPT), digest, &digest_len, EVP_sha256(), NULL)) {
		snprintf(buf, size, "'none'");
		return;
	}
	EVP_EncodeBlock(b64, digest, (int)digest_len);
	snprintf(buf, size, "'sha256-%s'", (const char *)b64);
}

static void write_head(FILE *out, const rs_summary *s)
{
	char hash[128];
	script_hash(hash, sizeof(hash));
	fprintf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
		rs_i18n_lang());
	fprintf(out,
		"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		"style-src 'unsafe-inline'; img-src data:; script-src %s\">\n",
		hash);
	fprintf(out, "<meta name=\"generator\" content=\"rasoat " RS_VERSION "\">\n<title>%s \xe2\x80\x94 ",
		_("rasoat report"));
	rs_report_html(out, s->host ? s->host : _("unknown host"));
	fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", STYLE);
}

static void write_header(FILE *out, const rs_summary *s)
{
	const char *os = rs_report_str(s->host_info, "os_name");
	char duration[32];
	rs_report_duration(s->duration_ms, duration, sizeof(duration));
	fprintf(out, "<header><div class=\"inner\">\n<h1>%s \xe2\x80\x94 ", _("rasoat report"));
	rs_report_html(out, s->host ? s->host : _("unknown host"));
	fputs("</h1>\n<div class=\"sub\">", out);
	if (*os) {
		fputs("<span>", out);
		rs_report_html(out, os);
		fputs("</span>", out);
	}
	fprintf(out, "<span>%s <code>", _("root"));
	rs_report_html(out, s->root ? s->root : "/");
	fputs("</code></span><span>", out);
	fprintf(out, _("started %s"), s->started);
	fputs("</span><span>", out);
	fprintf(out, _("took %s"), duration);
	fputs("</span>", out);
	if (!s->complete)
		fprintf(out, "<span>%s</span>", _("incomplete scan"));
	fputs("</div>\n</div></header>\n", out);
}

static void write_summary_band(FILE *out, const rs_summary *s, const json_t *findings)
{
	fprintf(out, "<section class=\"band\">\n<div class=\"card score\"><h2>%s</h2>\n", _("Security score"));
	rs_html_score_gauge(out, s->score);
	fprintf(out, "<p>%s</p></div>\n", _("0 worst \xe2\x80\x93 100 best"));
	fprintf(out, "<div class=\"card\"><h2>%s</h2>\n", _("Findings by severity"));
	rs_html_severity_chart(out, s->counts);
	fprintf(out, "</div>\n<div class=\"card\"><h2>%s</h2>\n", _("Findings by module"));
	rs_html_module_chart(out, findings, s->modules);
	fputs("</div>\n</section>\n", out);
}

static void fact_row(FILE *out, const char *label, const char *value)
{
	fprintf(out, "<dt>%s</dt><dd>", label);
	if (value && *value)
		rs_report_html(out, value);
	else
		fputs("<span class=\"muted\">\xe2\x80\x94</span>", out);
	fputs("</dd>\n", out);
}

/* Writes an identifier such as a rule id escaped, with a line-break
 * opportunity after each separator so that it wraps between its parts
 * rather than in the middle of a word. */
static void escape_breakable(FILE *out, const char *s)
{
	char *clean = rs_report_clean(s);
	rs_buf b;
	rs_buf_init(&b);
	for (const char *p = clean; *p; p++) {
		rs_html_escape_n(&b, p, 1);
		if ((*p == ':' || *p == '.' || *p == '/') && p[1])
			rs_buf_puts(&b, "<wbr>");
	}
	if (b.len)
		fwrite(b.data, 1, b.len, out);
	rs_buf_free(&b);
	free(clean);
}

static void write_fact_counts(FILE *out, const json_t *info)
{
	static const char *const keys[] = {
		"packages", "users", "processes", "sockets", "services", "cron", "modules", "mounts",
	};
	static const char *const labels[] = {
		N_("packages"), N_("users"), N_("processes"), N_("sockets"), N_("services"),
		N_("cron entries"), N_("kernel modules"), N_("mounts"),
	};
	fprintf(out, "<dt>%s</dt><dd>", _("Facts"));
	bool first = true;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const json_t *v = json_object_get(info, keys[i]);
		if (!json_is_integer(v))
			continue;
		fprintf(out, "%s%lld %s", first ? "" : " \xc2\xb7 ", (long long)json_integer_value(v), _(labels[i]));
		first = false;
	}
	fputs(first ? "\xe2\x80\x94</dd>\n" : "</dd>\n", out);
}

static void write_host_card(FILE *out, const rs_summary *s)
{
	const json_t *info = s->host_info;
	char duration[32];
	rs_report_duration(s->duration_ms, duration, sizeof(duration));
	const char *os = rs_report_str(info, "os_name");
	const json_t *live = json_object_get(info, "live");
	fprintf(out, "<div class=\"card\"><h2>%s</h2>\n<dl class=\"facts\">\n", _("Host"));
	fact_row(out, _("Host name"), s->host ? s->host : _("unknown"));
	fact_row(out, _("OS"), *os ? os : rs_report_str(info, "os_id"));
	fact_row(out, _("Kernel"), rs_report_str(info, "kernel"));
	fprintf(out, "<dt>%s</dt><dd><code>", _("Root"));
	rs_report_html(out, s->root ? s->root : "/");
	fputs("</code>", out);
	if (live)
		fputs(json_is_true(live) ? _(" (live host)") : _(" (offline image)"), out);
	fputs("</dd>\n", out);
	fprintf(out, "<dt>%s</dt><dd><code>%s</code></dd>\n", _("Scan"), s->scan);
	fact_row(out, _("Started"), s->started);
	fact_row(out, _("Duration"), duration);
	write_fact_counts(out, info);
	fputs("</dl>\n</div>\n", out);
}

static void counter_cell(FILE *out, const json_t *stats, const char *key)
{
	if (json_object_get(stats, key))
		fprintf(out, "<td class=\"num\">%lld</td>", rs_report_counter(stats, key));
	else
		fputs("<td class=\"num muted\">\xe2\x80\x94</td>", out);
}

static void write_module_row(FILE *out, const char *name, const json_t *stats)
{
	char text[32];
	fputs("<tr><td>", out);
	rs_report_html(out, name);
	fputs("</td>", out);
	counter_cell(out, stats, "files");
	if (json_object_get(stats, "bytes")) {
		rs_format_bytes((double)rs_report_counter(stats, "bytes"), text, sizeof(text));
		fprintf(out, "<td class=\"num\">%s</td>", text);
	} else {
		fputs("<td class=\"num muted\">\xe2\x80\x94</td>", out);
	}
	counter_cell(out, stats, "checks");
	counter_cell(out, stats, "skipped");
	counter_cell(out, stats, "errors");
	counter_cell(out, stats, "findings");
	rs_report_duration(rs_report_counter(stats, "duration_ms"), text, sizeof(text));
	fprintf(out, "<td class=\"num\">%s</td><td>", text);
	if (json_is_integer(json_object_get(stats, "score")))
		fprintf(out, _("score %lld/100 "), rs_report_counter(stats, "score"));
	const char *na = rs_report_str(stats, "not_applicable");
	if (*na) {
		fprintf(out, "<span class=\"na\">%s ", _("not applicable:"));
		rs_report_html(out, rs_report_text(na));
		fputs("</span>", out);
	}
	fputs("</td></tr>\n", out);
}

/* A module's advice of what to upgrade first (vuln: {"upgrades":[…]}). */
static void write_upgrades(FILE *out, const json_t *modules)
{
	const char *name;
	const json_t *stats;
	json_object_foreach((json_t *)modules, name, stats) {
		const json_t *upgrades = json_object_get(stats, "upgrades");
		if (!json_is_array(upgrades) || json_array_size(upgrades) == 0)
			continue;
		fprintf(out, "<h2>%s</h2>\n<table>\n<thead><tr>"
			"<th>%s</th><th>%s</th><th class=\"num\">%s</th></tr></thead>\n<tbody>\n",
			_("Upgrades that clear the most vulnerabilities"), _("Package"), _("Upgrade to"),
			_("Clears"));
		size_t i;
		const json_t *u;
		json_array_foreach(upgrades, i, u) {
			fputs("<tr><td><code>", out);
			rs_report_html(out, rs_report_str(u, "package"));
			fputs("</code></td><td><code>", out);
			rs_report_html(out, rs_report_str(u, "to"));
			fprintf(out, "</code></td><td class=\"num\">%lld</td></tr>\n", rs_report_counter(u, "clears"));
		}
		fputs("</tbody>\n</table>\n", out);
	}
}

static void write_module_card(FILE *out, const json_t *modules)
{
	fprintf(out, "<div class=\"card\"><h2>%s</h2>\n<table>\n<thead><tr><th>%s</th>"
		"<th class=\"num\">%s</th><th class=\"num\">%s</th><th class=\"num\">%s</th>"
		"<th class=\"num\">%s</th><th class=\"num\">%s</th><th class=\"num\">%s</th>"
		"<th class=\"num\">%s</th><th>%s</th></tr></thead>\n<tbody>\n",
		_("Modules"), _("Module"), _("Files"), _("Data"), _("Checks"), _("Skipped"), _("Errors"),
		_("Findings"), _("Time"), _("Note"));
	const char *name;
	const json_t *stats;
	json_object_foreach((json_t *)modules, name, stats)
		write_module_row(out, name, stats);
	if (json_object_size(modules) == 0)
		fprintf(out, "<tr><td colspan=\"9\" class=\"muted\">%s</td></tr>\n", _("No module ran."));
	fputs("</tbody>\n</table>\n", out);
	write_upgrades(out, modules);
	fputs("</div>\n", out);
}

/* A hunt finding's "matches": each rule that matched, then its strings
 * with their offsets (at most MATCH_STRINGS_SHOWN per rule). */
#define MATCH_STRINGS_SHOWN 8

static void write_matches(FILE *out, const json_t *matches)
{
	fprintf(out, "<dt>%s</dt><dd><ul class=\"matches\">", _("matches"));
	size_t i;
	const json_t *m;
	json_array_foreach(matches, i, m) {
		fputs("<li><code>", out);
		rs_report_html(out, rs_report_str(m, "rule"));
		fputs("</code>", out);
		const char *desc = rs_report_str(m, "description");
		if (*desc) {
			fputs(" \xe2\x80\x94 ", out);
			rs_report_html(out, desc);
		}
		const json_t *strings = json_object_get(m, "strings");
		size_t n = json_array_size(strings);
		if (n)
			fputs("<ul>", out);
		for (size_t j = 0; j < n && j < MATCH_STRINGS_SHOWN; j++) {
			const json_t *str = json_array_get(strings, j);
			fputs("<li><code>", out);
			rs_report_html(out, rs_report_str(str, "id"));
			fputs("</code> ", out);
			fprintf(out, _("at offset %lld:"), (long long)json_integer_value(json_object_get(str, "offset")));
			fputs(" <code>", out);
			rs_report_html(out, rs_report_str(str, "data"));
			fputs("</code></li>", out);
		}
		if (n > MATCH_STRINGS_SHOWN) {
			fputs("<li class=\"na\">", out);
			fprintf(out, _("and %zu more"), n - MATCH_STRINGS_SHOWN);
			fputs("</li>", out);
		}
		if (n)
			fputs("</ul>", out);
		fputs("</li>", out);
	}
	fputs("</ul></dd>", out);
}

static void write_evidence(FILE *out, const json_t *evidence)
{
	if (json_object_size(evidence) == 0)
		return;
	fputs("<dl class=\"ev\">", out);
	const char *key;
	const json_t *value;
	json_object_foreach((json_t *)evidence, key, value) {
		if (!strcmp(key, "matches") && json_is_array(value)) {
			write_matches(out, value);
			continue;
		}
		char *text = rs_report_value_text(value, 600);
		fputs("<dt>", out);
		rs_report_html(out, key);
		fputs("</dt><dd><code>", out);
		rs_report_html(out, text);
		fputs("</code></dd>", out);
		free(text);
	}
	fputs("</dl>\n", out);
}

/* True for ids shaped like T1059 or T1059.004, which are safe in a URL. */
static bool is_technique_id(const char *id)
{
	size_t len = strlen(id);
	if ((len != 5 && len != 9) || id[0] != 'T')
		return false;
	for (size_t i = 1; i < len; i++) {
		bool digit = id[i] >= '0' && id[i] <= '9';
		if (i == 5 ? id[i] != '.' : !digit)
			return false;
	}
	return true;
}

/* True when ATTACK holds ID before index END (ids repeat when several
 * rules of one finding name the same technique). */
static bool attack_seen(const json_t *attack, size_t end, const char *id)
{
	for (size_t i = 0; i < end; i++) {
		const char *prev = json_string_value(json_array_get(attack, i));
		if (prev && !strcmp(prev, id))
			return true;
	}
	return false;
}

static void write_attack(FILE *out, const json_t *attack)
{
	size_t i;
	const json_t *item;
	bool first = true;
	json_array_foreach(attack, i, item) {
		const char *id = json_string_value(item);
		if (!id || attack_seen(attack, i, id))
			continue;
		if (!first)
			fputs("<br>", out);
		first = false;
		if (is_technique_id(id)) {
			/* A link a reader may follow; nothing is loaded from it. */
			fprintf(out, "<a href=\"https://attack.mitre.org/techniques/%.5s%s%s/\" rel=\"noreferrer\">%s</a>",
				id, id[5] ? "/" : "", id[5] ? id + 6 : "", id);
		} else {
			rs_report_html(out, id);
		}
	}
}

/* One row of the findings table: finding F, or — when COUNT > 1 — the
 * group of COUNT findings of F's rule (F the most severe), whose members
 * are FINDINGS[RUN[i].index]. */
typedef struct group_slot group_slot;
static void write_group_members(FILE *out, const json_t *findings, const group_slot *run, size_t count);

static void write_row(FILE *out, const json_t *f, const json_t *findings, const group_slot *run, size_t count)
{
	rs_severity sev = rs_report_severity(f);
	const char *name = rs_severity_name(sev);
	fprintf(out, "<tr%s data-rank=\"%d\"><td><span class=\"badge sev-%s\">%s</span>", count > 1 ? " class=\"group\"" : "",
		(int)sev, name, rs_severity_label(sev));
	fputs("<div class=\"pts\">", out);
	if (count > 1)
		fprintf(out, _("%zu findings"), count);
	else
		fprintf(out, _("score %lld"), (long long)json_integer_value(json_object_get(f, "score")));
	fputs("</div></td>\n<td><div class=\"ftitle\">", out);
	rs_report_html(out, rs_report_text(rs_report_str(f, "title")));
	fputs("</div>\n", out);
	write_evidence(out, json_object_get(f, "evidence"));
	if (count > 1)
		write_group_members(out, findings, run, count);
	fputs("</td>\n<td class=\"rule\"><div class=\"mod\">", out);
	rs_report_html(out, rs_report_str(f, "module"));
	fputs("</div><code>", out);
	escape_breakable(out, rs_report_str(f, "rule"));
	fputs("</code></td>\n<td class=\"attack\">", out);
	write_attack(out, json_object_get(f, "attack"));
	fputs("</td>\n<td class=\"fix\">", out);
	rs_report_html(out, rs_report_text(rs_report_str(f, "remediation")));
	fputs("</td></tr>\n", out);
}

static void write_finding_row(FILE *out, const json_t *f)
{
	write_row(out, f, NULL, NULL, 1);
}

/* Above this many findings, findings of one rule are one row: the most
 * severe of them in full, then the count and every object's path. */
#define GROUP_ABOVE 40

/* What a grouped finding is listed by: its path, pid or title. */
static void write_group_member(FILE *out, const json_t *f)
{
	const json_t *ev = json_object_get(f, "evidence");
	const char *path = rs_report_str(ev, "path");
	fputs("<li><code>", out);
	if (*path) {
		rs_report_html(out, path);
	} else if (json_is_integer(json_object_get(ev, "pid"))) {
		fprintf(out, "pid %lld", (long long)json_integer_value(json_object_get(ev, "pid")));
	} else {
		rs_report_html(out, rs_report_text(rs_report_str(f, "title")));
	}
	fputs("</code></li>", out);
}

/* A finding's place among those of its rule. */
struct group_slot {
	const char *rule;
	size_t index;  /* in the findings array */
};

static int by_rule_then_index(const void *a, const void *b)
{
	const group_slot *x = a, *y = b;
	int c = strcmp(x->rule, y->rule);
	if (c)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

static void write_group_members(FILE *out, const json_t *findings, const group_slot *run, size_t count)
{
	fputs("<details class=\"paths\"><summary>", out);
	fprintf(out, _("all %zu objects of this rule"), count);
	fputs("</summary><ul>", out);
	for (size_t j = 0; j < count; j++)
		write_group_member(out, json_array_get(findings, run[j].index));
	fputs("</ul></details>", out);
}

/* FINDINGS are sorted most severe first; each rule's group is shown where
 * its most severe finding is, its members in that same order. */
static void write_grouped(FILE *out, const json_t *findings)
{
	size_t n = json_array_size(findings);
	group_slot *slots = rs_calloc(n, sizeof(*slots));
	for (size_t i = 0; i < n; i++)
		slots[i] = (group_slot){ rs_report_str(json_array_get(findings, i), "rule"), i };
	qsort(slots, n, sizeof(*slots), by_rule_then_index);
	size_t *run_of = rs_calloc(n, sizeof(size_t));   /* finding index -> start of its run */
	size_t *run_len = rs_calloc(n, sizeof(size_t));  /* run start -> length */
	for (size_t a = 0; a < n;) {
		size_t b = a;
		while (b < n && !strcmp(slots[b].rule, slots[a].rule))
			run_of[slots[b++].index] = a;
		run_len[a] = b - a;
		a = b;
	}
	for (size_t i = 0; i < n; i++) {
		size_t start = run_of[i];
		if (slots[start].index != i)
			continue; /* shown with the first of its rule */
		write_row(out, json_array_get(findings, i), findings, slots + start, run_len[start]);
	}
	free(run_len);
	free(run_of);
	free(slots);
}

static void write_filters(FILE *out, size_t count)
{
	fprintf(out,
		"<div class=\"filters\" id=\"filters\" hidden>"
		"<label for=\"q\">%s</label><input id=\"q\" type=\"search\" placeholder=\"%s\">"
		"<select id=\"sev\" aria-label=\"%s\"><option value=\"0\">%s</option>"
		"<option value=\"1\">%s</option><option value=\"2\">%s</option>"
		"<option value=\"3\">%s</option><option value=\"4\">%s</option></select>"
		"<span>",
		_("Filter"), _("text, path, rule\xe2\x80\xa6"), _("minimum severity"), _("all severities"),
		_("low and above"), _("medium and above"), _("high and above"), rs_severity_label(RS_SEV_CRITICAL));
	/* TRANSLATORS: the span holds the number of rows the filter shows. */
	fprintf(out, _("<span id=\"shown\">%zu</span> shown"), count);
	fputs("</span></div>\n", out);
}

static void write_findings(FILE *out, const json_t *findings)
{
	size_t n = json_array_size(findings);
	fputs("<section class=\"card\">\n<div class=\"head\"><h2>", out);
	fprintf(out, _("Findings (%zu)"), n);
	fputs("</h2>\n", out);
	if (n == 0) {
		fprintf(out, "</div>\n<div class=\"empty\">%s</div>\n</section>\n", _("No findings at or above info."));
		return;
	}
	write_filters(out, n);
	fprintf(out, "</div>\n<table id=\"findings\">\n<colgroup><col class=\"c-sev\"><col><col class=\"c-rule\">"
		"<col class=\"c-att\"><col class=\"c-fix\"></colgroup>\n"
		"<thead><tr><th>%s</th><th>%s</th>"
		"<th>%s</th><th>ATT&amp;CK</th><th>%s</th></tr></thead>\n<tbody>\n",
		_("Severity"), _("Finding and evidence"), _("Rule"), _("Remediation"));
	if (n > GROUP_ABOVE) {
		write_grouped(out, findings);
	} else {
		size_t i;
		const json_t *f;
		json_array_foreach(findings, i, f)
			write_finding_row(out, f);
	}
	fprintf(out, "</tbody>\n</table>\n</section>\n<script>%s</script>\n", SCRIPT);
}

static void write_footer(FILE *out, const rs_summary *s)
{
	fputs("<footer>", out);
	fprintf(out, _("Generated by rasoat %s \xc2\xb7 scan %s \xc2\xb7 "
		       "a self-contained report: it loads nothing from the network."),
		RS_VERSION, s->scan);
	fputs("</footer>\n</body>\n</html>\n", out);
}

static int html_begin(rs_sink *sink, const rs_summary *head)
{
	(void)sink;
	(void)head;
	return 0;
}

static int html_finding(rs_sink *sink, const rs_finding *f)
{
	html_state *st = sink->state;
	json_array_append_new(st->findings, rs_report_finding_copy(f, NULL));
	return 0;
}

static int html_end(rs_sink *sink, const rs_summary *summary)
{
	html_state *st = sink->state;
	FILE *out = st->out;
	rs_report_sort_findings(st->findings);
	write_head(out, summary);
	write_header(out, summary);
	fputs("<main>\n", out);
	write_summary_band(out, summary, st->findings);
	fputs("<section class=\"pair\">\n", out);
	write_host_card(out, summary);
	write_module_card(out, summary->modules);
	fputs("</section>\n", out);
	write_findings(out, st->findings);
	fputs("</main>\n", out);
	write_footer(out, summary);
	return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}

static void html_destroy(rs_sink *sink)
{
	html_state *st = sink->state;
	if (st->close_out)
		fclose(st->out);
	else
		fflush(st->out);
	json_decref(st->findings);
	free(st);
	free(sink);
}

rs_sink *rs_sink_html_new(FILE *out, bool close_out)
{
	html_state *st = rs_calloc(1, sizeof(*st));
	st->out = out;
	st->close_out = close_out;
	st->findings = json_array();
	rs_sink *sink = rs_calloc(1, sizeof(*sink));
	sink->begin = html_begin;
	sink->finding = html_finding;
	sink->end = html_end;
	sink->destroy = html_destroy;
	sink->state = st;
	return sink;
}
