/*
 * dash_pages_fleet.c — the dashboard's views across the fleet: findings
 * grouped by rule with the hosts affected (filters; CSV and JSON export),
 * vulnerabilities by CVE (hosts, packages, fixed versions), and compliance
 * (pass rate per policy check and per host). All from each host's newest
 * complete scan (store/fleet_views.h).
 */
#include "server/dash.h"
#include "core/finding.h"
#include "store/fleet_views.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The hosts of a group, at most HOST_LINKS_MAX of them named; the rest
 * as a count linking to the hosts page filtered by RULE (when given). */
#define HOST_LINKS_MAX 50
/* rows the findings page groups (each host's newest scan; paged by rule) */
#define FINDINGS_MAX_ROWS 100000

static void host_links_of(rs_buf *b, const json_t *hosts, const char *rule)
{
	rs_buf_puts(b, "<td class=\"hosts\">");
	const char *id;
	json_t *name;
	size_t shown = 0;
	json_object_foreach((json_t *)hosts, id, name) {
		if (shown == HOST_LINKS_MAX) {
			rs_buf_printf(b, ", <a class=\"more\" href=\"/hosts?having=");
			rs_url_enc(b, rule ? rule : "");
			rs_buf_printf(b, "\">+%zu</a>", json_object_size(hosts) - shown);
			break;
		}
		if (shown)
			rs_buf_puts(b, ", ");
		shown++;
		rs_buf_puts(b, "<a href=\"/host?id=");
		rs_url_enc(b, id);
		rs_buf_puts(b, "\">");
		rs_html_escape(b, json_string_value(name));
		rs_buf_puts(b, "</a>");
	}
	rs_buf_puts(b, "</td>");
}

static void host_links(rs_buf *b, const json_t *hosts)
{
	host_links_of(b, hosts, NULL);
}

static int severity_of(const json_t *f)
{
	rs_severity sev = RS_SEV_INFO;
	rs_severity_parse(rs_dash_str(f, "severity"), &sev);
	return (int)sev;
}

/* ---- findings ---- */

/* Groups the rows (sorted by rule) into [{"rule","module","severity",
 * "title","hosts":{id:hostname},"count"}], keeping those that pass the
 * filters RULE (substring) and HOST (host name substring). */
static json_t *group_by_rule(const json_t *rows, const char *rule, const char *host)
{
	json_t *groups = json_array();
	json_t *g = NULL;
	size_t i;
	json_t *f;
	json_array_foreach(rows, i, f) {
		if ((rule && !strstr(rs_dash_str(f, "rule"), rule)) || (host && !strstr(rs_dash_str(f, "hostname"), host)))
			continue;
		if (!g || strcmp(rs_dash_str(g, "rule"), rs_dash_str(f, "rule"))) {
			g = json_pack("{s:s,s:s,s:i,s:s,s:{},s:i}", "rule", rs_dash_str(f, "rule"), "module", rs_dash_str(f, "module"),
				      "severity", severity_of(f), "title", rs_dash_str(f, "title"), "hosts", "count", 0);
			json_array_append_new(groups, g);
		}
		if (severity_of(f) > json_integer_value(json_object_get(g, "severity")))
			json_object_set_new(g, "severity", json_integer(severity_of(f)));
		json_object_set_new(json_object_get(g, "hosts"), rs_dash_str(f, "host"), json_string(rs_dash_str(f, "hostname")));
		json_object_set_new(g, "count", json_integer(json_integer_value(json_object_get(g, "count")) + 1));
	}
	return groups;
}

static int cmp_groups(const void *pa, const void *pb)
{
	const json_t *a = *(json_t *const *)pa, *b = *(json_t *const *)pb;
	json_int_t sa = json_integer_value(json_object_get(a, "severity"));
	json_int_t sb = json_integer_value(json_object_get(b, "severity"));
	if (sa != sb)
		return sa < sb ? 1 : -1;
	size_t ha = json_object_size(json_object_get(a, "hosts")), hb = json_object_size(json_object_get(b, "hosts"));
	if (ha != hb)
		return ha < hb ? 1 : -1;
	return strcmp(rs_dash_str(a, "rule"), rs_dash_str(b, "rule"));
}

static void sort_groups(json_t *groups)
{
	size_t n = json_array_size(groups);
	if (n < 2)
		return;
	json_t **v = rs_malloc(n * sizeof(*v));
	for (size_t i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(groups, i));
	qsort(v, n, sizeof(*v), cmp_groups);
	json_array_clear(groups);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(groups, v[i]);
	free(v);
}

static void export_csv(rs_dash_ctx *ctx, const json_t *rows, const char *rule, const char *host)
{
	rs_buf b;
	rs_buf_init(&b);
	rs_buf_puts(&b, "rule,module,severity,title,host,hostname\r\n");
	size_t i;
	json_t *f;
	json_array_foreach(rows, i, f) {
		if ((rule && !strstr(rs_dash_str(f, "rule"), rule)) || (host && !strstr(rs_dash_str(f, "hostname"), host)))
			continue;
		const char *cols[] = { "rule", "module", "severity", "title", "host", "hostname" };
		for (size_t c = 0; c < 6; c++) {
			if (c)
				rs_buf_puts(&b, ",");
			rs_csv_field(&b, rs_dash_str(f, cols[c]));
		}
		rs_buf_puts(&b, "\r\n");
	}
	rs_reply *r = ctx->reply;
	r->status = MHD_HTTP_OK;
	r->raw_len = b.len;
	r->raw = rs_buf_take(&b);
	r->content_type = "text/csv; charset=utf-8";
	r->disposition = "attachment; filename=\"rasoat-findings.csv\"";
}

static void export_json(rs_dash_ctx *ctx, json_t *groups)
{
	json_t *doc = json_pack("{s:O}", "groups", groups);
	char *text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	rs_reply *r = ctx->reply;
	r->status = MHD_HTTP_OK;
	r->raw = text ? text : rs_strdup("{}");
	r->raw_len = strlen(r->raw);
	r->content_type = "application/json";
	r->disposition = "attachment; filename=\"rasoat-findings.json\"";
}

static void filter_input(rs_dash_ctx *ctx, rs_buf *b, const char *name, rs_str label)
{
	rs_buf_puts(b, "<label>");
	rs_html_escape(b, rs_tr(ctx->lang, label));
	rs_buf_printf(b, " <input name=\"%s\" value=\"", name);
	rs_html_escape(b, rs_dash_arg(ctx, name));
	rs_buf_puts(b, "\"></label> ");
}

static void export_link(rs_dash_ctx *ctx, rs_buf *b, const char *format)
{
	static const char *const keep[] = { "module", "severity", "rule", "host" };
	rs_buf_printf(b, "<a class=\"button\" id=\"export-%s\" href=\"/findings?format=%s", format, format);
	for (size_t i = 0; i < 4; i++) {
		const char *v = rs_dash_arg(ctx, keep[i]);
		if (!v)
			continue;
		rs_buf_printf(b, "&amp;%s=", keep[i]);
		rs_url_enc(b, v);
	}
	rs_buf_puts(b, "\">");
	rs_html_escape(b, rs_tr(ctx->lang, S_EXPORT));
	rs_buf_printf(b, " %s</a> ", !strcmp(format, "csv") ? "CSV" : "JSON");
}

void rs_page_findings(rs_dash_ctx *ctx)
{
	const char *module = rs_dash_arg(ctx, "module"), *rule = rs_dash_arg(ctx, "rule");
	const char *host = rs_dash_arg(ctx, "host"), *sevtext = rs_dash_arg(ctx, "severity");
	const char *format = rs_dash_arg(ctx, "format");
	rs_severity min = RS_SEV_INFO;
	if ((sevtext && !rs_severity_parse(sevtext, &min)) || (module && strlen(module) > 32) ||
	    (rule && strlen(rule) > 512) || (host && strlen(host) > 253) ||
	    (format && strcmp(format, "csv") && strcmp(format, "json"))) {
		rs_dash_error(ctx, MHD_HTTP_BAD_REQUEST, S_BAD_REQUEST);
		return;
	}
	rs_dash_lock(ctx);
	json_t *rows = rs_view_latest_findings(ctx->srv->store, module, (int)min, FINDINGS_MAX_ROWS);
	rs_dash_unlock(ctx);
	if (!rows) {
		rs_dash_error(ctx, MHD_HTTP_SERVICE_UNAVAILABLE, S_DB_ERROR);
		return;
	}
	if (format && !strcmp(format, "csv")) {
		export_csv(ctx, rows, rule, host);
		json_decref(rows);
		return;
	}
	json_t *groups = group_by_rule(rows, rule, host);
	sort_groups(groups);
	json_decref(rows);
	if (format) {
		export_json(ctx, groups);
		json_decref(groups);
		return;
	}
	rs_buf b;
	rs_lang l = ctx->lang;
	rs_dash_page_begin(ctx, &b, S_FINDINGS);
	rs_buf_puts(&b, "<form method=\"get\" action=\"/findings\" class=\"filters\" id=\"finding-filter\">");
	filter_input(ctx, &b, "module", S_MODULE);
	filter_input(ctx, &b, "rule", S_RULE);
	filter_input(ctx, &b, "host", S_HOSTNAME);
	rs_buf_puts(&b, "<label>");
	rs_html_escape(&b, rs_tr(l, S_MIN_SEVERITY));
	rs_buf_puts(&b, " <select name=\"severity\">");
	static const char *const sev_keys[] = { "info", "low", "medium", "high", "critical" };
	static const rs_str sev_labels[] = { S_INFO, S_LOW, S_MEDIUM, S_HIGH, S_CRITICAL };
	for (int s = 0; s < 5; s++) {
		rs_buf_printf(&b, "<option value=\"%s\"%s>", sev_keys[s], (int)min == s ? " selected" : "");
		rs_html_escape(&b, rs_tr(l, sev_labels[s]));
		rs_buf_puts(&b, "</option>");
	}
	rs_buf_puts(&b, "</select></label> <button type=\"submit\">");
	rs_html_escape(&b, rs_tr(l, S_FILTER));
	rs_buf_puts(&b, "</button></form><p>");
	export_link(ctx, &b, "csv");
	export_link(ctx, &b, "json");
	rs_buf_puts(&b, "</p>");
	if (!json_array_size(groups)) {
		rs_buf_puts(&b, "<p class=\"empty\">");
		rs_html_escape(&b, rs_tr(l, S_NONE));
		rs_buf_puts(&b, "</p>");
	} else {
		rs_buf_puts(&b, "<table id=\"findings\"><thead><tr>");
		rs_dash_th(ctx, &b, S_SEVERITY);
		rs_dash_th(ctx, &b, S_RULE);
		rs_dash_th(ctx, &b, S_MODULE);
		rs_dash_th(ctx, &b, S_TITLE);
		rs_dash_th(ctx, &b, S_HOSTS_COUNT);
		rs_dash_th(ctx, &b, S_AFFECTED);
		rs_buf_puts(&b, "</tr></thead><tbody>");
		/* one page of the rules (dash_pager.c) */
		long pageno = rs_dash_page_number(ctx);
		size_t first = (size_t)(pageno - 1) * RS_DASH_PAGE_SIZE, n = json_array_size(groups);
		size_t last = first + RS_DASH_PAGE_SIZE < n ? first + RS_DASH_PAGE_SIZE : n;
		for (size_t i = first; i < last; i++) {
			json_t *g = json_array_get(groups, i);
			rs_buf_puts(&b, "<tr><td>");
			rs_dash_sev_badge(ctx, &b, (int)json_integer_value(json_object_get(g, "severity")));
			rs_buf_puts(&b, "</td>");
			rs_dash_td(&b, rs_dash_str(g, "rule"));
			rs_dash_td(&b, rs_dash_str(g, "module"));
			rs_dash_td(&b, rs_dash_str(g, "title"));
			rs_buf_printf(&b, "<td class=\"num\">%zu</td>", json_object_size(json_object_get(g, "hosts")));
			host_links_of(&b, json_object_get(g, "hosts"), rs_dash_str(g, "rule"));
			rs_buf_puts(&b, "</tr>");
		}
		rs_buf_puts(&b, "</tbody></table>");
		static const char *const keep[] = { "module", "rule", "host", "severity", NULL };
		rs_dash_pager(ctx, &b, "/findings", keep, pageno, n);
	}
	rs_dash_page_end(ctx, &b, MHD_HTTP_OK);
	json_decref(groups);
}

/* ---- vulnerabilities ---- */

void rs_page_vulns(rs_dash_ctx *ctx)
{
	rs_dash_lock(ctx);
	json_t *rows = rs_view_latest_findings(ctx->srv->store, "vuln", 0, RS_VIEW_MAX_ROWS);
	rs_dash_unlock(ctx);
	if (!rows) {
		rs_dash_error(ctx, MHD_HTTP_SERVICE_UNAVAILABLE, S_DB_ERROR);
		return;
	}
	/* by CVE (or the advisory id when there is no CVE): hosts, packages, fixed versions */
	json_t *by = json_object();
	size_t i;
	json_t *f;
	json_array_foreach(rows, i, f) {
		const json_t *ev = json_object_get(f, "evidence");
		const char *id = *rs_dash_str(ev, "cve") ? rs_dash_str(ev, "cve") : rs_dash_str(f, "rule");
		json_t *v = json_object_get(by, id);
		if (!v) {
			v = json_pack("{s:i,s:{},s:{},s:{}}", "severity", 0, "hosts", "packages", "fixed");
			json_object_set_new(by, id, v);
		}
		if (severity_of(f) > json_integer_value(json_object_get(v, "severity")))
			json_object_set_new(v, "severity", json_integer(severity_of(f)));
		json_object_set_new(json_object_get(v, "hosts"), rs_dash_str(f, "host"), json_string(rs_dash_str(f, "hostname")));
		char *pkg = rs_sprintf("%s %s", rs_dash_str(ev, "package"), rs_dash_str(ev, "installed"));
		json_object_set_new(json_object_get(v, "packages"), pkg, json_true());
		free(pkg);
		if (*rs_dash_str(ev, "fixed"))
			json_object_set_new(json_object_get(v, "fixed"), rs_dash_str(ev, "fixed"), json_true());
	}
	json_decref(rows);
	rs_buf b;
	rs_dash_page_begin(ctx, &b, S_VULNS);
	if (!json_object_size(by)) {
		rs_buf_puts(&b, "<p class=\"empty\">");
		rs_html_escape(&b, rs_tr(ctx->lang, S_NONE));
		rs_buf_puts(&b, "</p>");
	} else {
		rs_buf_puts(&b, "<table id=\"vulns\"><thead><tr>");
		rs_dash_th(ctx, &b, S_CVE);
		rs_dash_th(ctx, &b, S_SEVERITY);
		rs_dash_th(ctx, &b, S_PACKAGE);
		rs_dash_th(ctx, &b, S_FIXED);
		rs_dash_th(ctx, &b, S_AFFECTED);
		rs_buf_puts(&b, "</tr></thead><tbody>");
		const char *id;
		json_t *v;
		json_object_foreach(by, id, v) {
			rs_buf_puts(&b, "<tr>");
			rs_dash_td(&b, id);
			rs_buf_puts(&b, "<td>");
			rs_dash_sev_badge(ctx, &b, (int)json_integer_value(json_object_get(v, "severity")));
			rs_buf_puts(&b, "</td><td>");
			const char *k;
			json_t *x;
			bool first = true;
			json_object_foreach(json_object_get(v, "packages"), k, x) {
				rs_buf_puts(&b, first ? "" : ", ");
				first = false;
				rs_html_escape(&b, k);
			}
			rs_buf_puts(&b, "</td><td>");
			first = true;
			json_object_foreach(json_object_get(v, "fixed"), k, x) {
				rs_buf_puts(&b, first ? "" : ", ");
				first = false;
				rs_html_escape(&b, k);
			}
			rs_buf_puts(&b, "</td>");
			host_links(&b, json_object_get(v, "hosts"));
			rs_buf_puts(&b, "</tr>");
		}
		rs_buf_puts(&b, "</tbody></table>");
	}
	rs_dash_page_end(ctx, &b, MHD_HTTP_OK);
	json_decref(by);
}

/* ---- compliance ---- */

static void rate_cell(rs_buf *b, long long pass, long long total)
{
	if (total <= 0) {
		rs_buf_puts(b, "<td class=\"num\">–</td>");
		return;
	}
	rs_buf_printf(b, "<td class=\"num\">%lld%% <small>(%lld/%lld)</small></td>", pass * 100 / total, pass, total);
}

void rs_page_compliance(rs_dash_ctx *ctx)
{
	rs_dash_lock(ctx);
	json_t *rows = rs_view_latest_findings(ctx->srv->store, "audit", 0, RS_VIEW_MAX_ROWS);
	json_t *sums = rs_view_latest_summaries(ctx->srv->store);
	rs_dash_unlock(ctx);
	if (!rows || !sums) {
		json_decref(rows);
		json_decref(sums);
		rs_dash_error(ctx, MHD_HTTP_SERVICE_UNAVAILABLE, S_DB_ERROR);
		return;
	}
	/* hosts whose newest scan ran the audit module */
	long long audited = 0;
	size_t i;
	json_t *s;
	json_array_foreach(sums, i, s) {
		const json_t *m = json_object_get(json_object_get(json_object_get(s, "summary"), "modules"), "audit");
		if (m)
			audited++;
	}
	rs_buf b;
	rs_dash_page_begin(ctx, &b, S_COMPLIANCE);
	if (rs_dash_compliance_history(ctx, &b) < 0) {
		rs_buf_free(&b);
		json_decref(rows);
		json_decref(sums);
		rs_dash_error(ctx, MHD_HTTP_SERVICE_UNAVAILABLE, S_DB_ERROR);
		return;
	}
	rs_buf_printf(&b, "<h2>%s</h2><h3>", rs_tr(ctx->lang, S_COMPLIANCE_NOW));
	rs_html_escape(&b, rs_tr(ctx->lang, S_PER_HOST));
	rs_buf_puts(&b, "</h3><table id=\"compliance-hosts\"><thead><tr>");
	rs_dash_th(ctx, &b, S_HOST);
	rs_dash_th(ctx, &b, S_PASSED);
	rs_dash_th(ctx, &b, S_FAILED);
	rs_dash_th(ctx, &b, S_PASS_RATE);
	rs_buf_puts(&b, "</tr></thead><tbody>");
	/* the page's share of the hosts (the pager below the history covers both) */
	size_t first = (size_t)(rs_dash_page_number(ctx) - 1) * RS_DASH_PAGE_SIZE;
	json_array_foreach(sums, i, s) {
		if (i < first || i >= first + RS_DASH_PAGE_SIZE)
			continue;
		const json_t *m = json_object_get(json_object_get(json_object_get(s, "summary"), "modules"), "audit");
		const json_t *res = json_object_get(json_object_get(m, "extra"), "results");
		if (!res)
			res = json_object_get(m, "results");
		long long pass = json_integer_value(json_object_get(res, "passed"));
		long long fail = json_integer_value(json_object_get(res, "failed"));
		rs_buf_puts(&b, "<tr><td><a href=\"/host?id=");
		rs_url_enc(&b, rs_dash_str(s, "host"));
		rs_buf_puts(&b, "\">");
		rs_html_escape(&b, rs_dash_str(s, "hostname"));
		rs_buf_printf(&b, "</a></td><td class=\"num\">%lld</td><td class=\"num\">%lld</td>", pass, fail);
		rate_cell(&b, pass, pass + fail);
		rs_buf_puts(&b, "</tr>");
	}
	rs_buf_puts(&b, "</tbody></table><h3>");
	rs_html_escape(&b, rs_tr(ctx->lang, S_PER_CHECK));
	rs_buf_puts(&b, "</h3>");
	json_t *groups = group_by_rule(rows, NULL, NULL);
	sort_groups(groups);
	if (!json_array_size(groups)) {
		rs_buf_puts(&b, "<p class=\"empty\">");
		rs_html_escape(&b, rs_tr(ctx->lang, S_NONE));
		rs_buf_puts(&b, "</p>");
	} else {
		rs_buf_puts(&b, "<table id=\"compliance-checks\"><thead><tr>");
		rs_dash_th(ctx, &b, S_CHECK);
		rs_dash_th(ctx, &b, S_TITLE);
		rs_dash_th(ctx, &b, S_SEVERITY);
		rs_dash_th(ctx, &b, S_PASS_RATE);
		rs_dash_th(ctx, &b, S_FAILED);
		rs_buf_puts(&b, "</tr></thead><tbody>");
		json_t *g;
		json_array_foreach(groups, i, g) {
			long long failing = (long long)json_object_size(json_object_get(g, "hosts"));
			long long total = audited > failing ? audited : failing;
			rs_buf_puts(&b, "<tr>");
			rs_dash_td(&b, rs_dash_str(g, "rule"));
			rs_dash_td(&b, rs_dash_str(g, "title"));
			rs_buf_puts(&b, "<td>");
			rs_dash_sev_badge(ctx, &b, (int)json_integer_value(json_object_get(g, "severity")));
			rs_buf_puts(&b, "</td>");
			rate_cell(&b, total - failing, total);
			host_links(&b, json_object_get(g, "hosts"));
			rs_buf_puts(&b, "</tr>");
		}
		rs_buf_puts(&b, "</tbody></table>");
	}
	rs_dash_page_end(ctx, &b, MHD_HTTP_OK);
	json_decref(groups);
	json_decref(rows);
	json_decref(sums);
}
