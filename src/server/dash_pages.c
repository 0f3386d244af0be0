/*
 * dash_pages.c — the dashboard's fleet pages: overview, hosts (filters and
 * sorting), one host (facts, scans, findings, failed checks, vulnerable
 * packages, score trend, tasks, "scan now"), tasks and incidents. Every
 * value shown is escaped (server/dash_html.c).
 */
#include "server/dash.h"
#include "store/fleet_tasks.h"
#include "core/finding.h"
#include "store/fleet.h"
#include "store/fleet_views.h"
#include "incident/incident.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *incidents(rs_dash_ctx *ctx, rs_str *why);
static void incidents_table(rs_dash_ctx *ctx, rs_buf *b, const json_t *list, bool only_overdue);

static const char *const sev_keys[] = { "info", "low", "medium", "high", "critical" };

static void td_int(rs_buf *b, const json_t *v)
{
	if (json_is_integer(v))
		rs_buf_printf(b, "<td class=\"num\">%lld</td>", (long long)json_integer_value(v));
	else
		rs_buf_puts(b, "<td class=\"num\">–</td>");
}

static void h2(rs_dash_ctx *ctx, rs_buf *b, rs_str label)
{
	rs_buf_puts(b, "<h2>");
	rs_html_escape(b, rs_tr(ctx->lang, label));
	rs_buf_puts(b, "</h2>");
}

static void empty(rs_dash_ctx *ctx, rs_buf *b, rs_str text)
{
	rs_buf_puts(b, "<p class=\"empty\">");
	rs_html_escape(b, rs_tr(ctx->lang, text));
	rs_buf_puts(b, "</p>");
}

static void host_link(rs_buf *b, const char *id, const char *name)
{
	rs_buf_puts(b, "<a href=\"/host?id=");
	rs_url_enc(b, id);
	rs_buf_puts(b, "\">");
	rs_html_escape(b, *name ? name : id);
	rs_buf_puts(b, "</a>");
}

static rs_str status_label(const char *status)
{
	return !strcmp(status, "online") ? S_ONLINE : !strcmp(status, "offline") ? S_OFFLINE : S_NEVER;
}

static void counts_cells(rs_buf *b, const json_t *counts)
{
	for (int s = 4; s >= 0; s--)
		td_int(b, json_object_get(counts, sev_keys[s]));
}

static void counts_head(rs_dash_ctx *ctx, rs_buf *b)
{
	static const rs_str labels[] = { S_CRITICAL, S_HIGH, S_MEDIUM, S_LOW, S_INFO };
	for (size_t i = 0; i < 5; i++)
		rs_dash_th(ctx, b, labels[i]);
}

/* A findings table: severity, rule, title, host (when WITH_HOST). */
static void findings_table(rs_dash_ctx *ctx, rs_buf *b, const json_t *list, bool with_host)
{
	if (!json_array_size(list)) {
		empty(ctx, b, S_NONE);
		return;
	}
	rs_buf_puts(b, "<table><thead><tr>");
	rs_dash_th(ctx, b, S_SEVERITY);
	rs_dash_th(ctx, b, S_RULE);
	rs_dash_th(ctx, b, S_TITLE);
	if (with_host)
		rs_dash_th(ctx, b, S_HOST);
	rs_buf_puts(b, "</tr></thead><tbody>");
	size_t i;
	json_t *f;
	json_array_foreach(list, i, f) {
		rs_severity sev = RS_SEV_INFO;
		rs_severity_parse(rs_dash_str(f, "severity"), &sev);
		rs_buf_puts(b, "<tr><td>");
		rs_dash_sev_badge(ctx, b, (int)sev);
		rs_buf_puts(b, "</td>");
		rs_dash_td(b, rs_dash_str(f, "rule"));
		rs_dash_td(b, rs_dash_str(f, "title"));
		if (with_host) {
			rs_buf_puts(b, "<td>");
			host_link(b, rs_dash_str(f, "host"), rs_dash_str(f, "hostname"));
			rs_buf_puts(b, "</td>");
		}
		rs_buf_puts(b, "</tr>");
	}
	rs_buf_puts(b, "</tbody></table>");
}

void rs_page_overview(rs_dash_ctx *ctx)
{
	long long now = rs_server_now();
	json_t *all = rs_dash_all_hosts(ctx, now);
	json_t *hosts = all ? json_pack("{s:o}", "items", all) : NULL;
	rs_dash_lock(ctx);
	json_t *trend = rs_view_trend(ctx->srv->store, NULL, now, 90);
	json_t *severe = rs_view_newest_severe(ctx->srv->store, 20);
	rs_dash_unlock(ctx);
	if (!hosts || !trend || !severe) {
		json_decref(hosts);
		json_decref(trend);
		json_decref(severe);
		rs_dash_error(ctx, MHD_HTTP_SERVICE_UNAVAILABLE, S_DB_ERROR);
		return;
	}
	long long total = 0, online = 0, offline = 0, never = 0, sum = 0, scored = 0;
	long long sev[5] = { 0 };
	size_t i;
	json_t *h;
	json_array_foreach(json_object_get(hosts, "items"), i, h) {
		total++;
		const char *st = rs_dash_str(h, "status");
		online += !strcmp(st, "online");
		offline += !strcmp(st, "offline");
		never += !strcmp(st, "never");
		if (json_is_integer(json_object_get(h, "score"))) {
			sum += json_integer_value(json_object_get(h, "score"));
			scored++;
		}
		for (int s = 0; s < 5; s++)
			sev[s] += json_integer_value(json_object_get(json_object_get(h, "counts"), sev_keys[s]));
	}
	rs_buf b;
	rs_lang l = ctx->lang;
	rs_dash_page_begin(ctx, &b, S_OVERVIEW);
	rs_buf_puts(&b, "<section class=\"cards\" id=\"host-counts\">");
	const struct { rs_str label; long long n; const char *id; } cards[] = {
		{ S_TOTAL, total, "total" }, { S_ONLINE, online, "online" },
		{ S_OFFLINE, offline, "offline" }, { S_NEVER, never, "never" },
	};
	for (size_t c = 0; c < 4; c++) {
		rs_buf_printf(&b, "<div class=\"card\" id=\"hosts-%s\"><span class=\"n\">%lld</span>", cards[c].id, cards[c].n);
		rs_html_escape(&b, rs_tr(l, cards[c].label));
		rs_buf_puts(&b, "</div>");
	}
	rs_buf_puts(&b, "<div class=\"card\" id=\"fleet-score\"><span class=\"n\">");
	if (scored)
		rs_buf_printf(&b, "%lld", (sum + scored / 2) / scored);
	else
		rs_buf_puts(&b, "–");
	rs_buf_puts(&b, "</span>");
	rs_html_escape(&b, rs_tr(l, S_FLEET_SCORE));
	rs_buf_puts(&b, "</div></section>");

	h2(ctx, &b, S_BY_SEVERITY);
	long long most = 1;
	for (int s = 0; s < 5; s++)
		most = sev[s] > most ? sev[s] : most;
	rs_buf_puts(&b, "<table class=\"bars\" id=\"severity\"><tbody>");
	for (int s = 4; s >= 0; s--) {
		rs_buf_puts(&b, "<tr><td>");
		rs_dash_sev_badge(ctx, &b, s);
		rs_buf_printf(&b, "</td><td class=\"num\">%lld</td><td><svg width=\"300\" height=\"12\" aria-hidden=\"true\">"
			      "<rect class=\"bar%d\" width=\"%lld\" height=\"12\"/></svg></td></tr>",
			      sev[s], s, sev[s] * 300 / most);
	}
	rs_buf_puts(&b, "</tbody></table>");

	h2(ctx, &b, S_TREND_90);
	if (json_array_size(trend))
		rs_dash_trend_svg(&b, trend, rs_tr(l, S_TREND_90));
	else
		empty(ctx, &b, S_NO_DATA);

	h2(ctx, &b, S_NEWEST_SEVERE);
	findings_table(ctx, &b, severe, true);

	h2(ctx, &b, S_OVERDUE_INCIDENTS);
	rs_str why;
	json_t *incs = incidents(ctx, &why);
	if (!incs)
		empty(ctx, &b, why);
	else
		incidents_table(ctx, &b, incs, true);
	json_decref(incs);
	rs_dash_page_end(ctx, &b, MHD_HTTP_OK);
	json_decref(hosts);
	json_decref(trend);
	json_decref(severe);
}

/* ---- hosts ---- */

typedef struct sort_key {
	const char *field;
	bool desc;
} sort_key;

static int cmp_hosts(const void *pa, const void *pb, void *arg)
{
	const sort_key *k = arg;
	const json_t *a = *(json_t *const *)pa, *b = *(json_t *const *)pb;
	const json_t *va = json_object_get(a, k->field), *vb = json_object_get(b, k->field);
	int c;
	if (json_is_integer(va) || json_is_integer(vb)) {
		long long x = json_is_integer(va) ? json_integer_value(va) : -1;
		long long y = json_is_integer(vb) ? json_integer_value(vb) : -1;
		c = x < y ? -1 : x > y;
	} else {
		const char *x = json_string_value(va), *y = json_string_value(vb);
		c = strcmp(x ? x : "", y ? y : "");
	}
	if (c == 0)
		c = strcmp(rs_dash_str(a, "hostname"), rs_dash_str(b, "hostname"));
	return k->desc ? -c : c;
}

static bool long_arg(const rs_dash_ctx *ctx, const char *name, long *out)
{
	const char *v = rs_dash_arg(ctx, name);
	return v && rs_parse_long(v, out);
}

/* A text input of the filter form, keeping its value. */
static void filter_input(rs_dash_ctx *ctx, rs_buf *b, const char *name, rs_str label, const char *type)
{
	rs_buf_puts(b, "<label>");
	rs_html_escape(b, rs_tr(ctx->lang, label));
	rs_buf_printf(b, " <input type=\"%s\" name=\"%s\" value=\"", type, name);
	rs_html_escape(b, rs_dash_arg(ctx, name));
	rs_buf_puts(b, "\"></label> ");
}

static void sort_link(rs_dash_ctx *ctx, rs_buf *b, const char *field, rs_str label, const sort_key *cur)
{
	static const char *const keep[] = { "group", "os", "status", "min", "max", "having" };
	rs_buf_printf(b, "<th><a href=\"/hosts?sort=%s&amp;dir=%s", field,
		      !strcmp(cur->field, field) && !cur->desc ? "desc" : "asc");
	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
		const char *v = rs_dash_arg(ctx, keep[i]);
		if (!v)
			continue;
		rs_buf_printf(b, "&amp;%s=", keep[i]);
		rs_url_enc(b, v);
	}
	rs_buf_printf(b, "\" id=\"sort-%s\">", field);
	rs_html_escape(b, rs_tr(ctx->lang, label));
	rs_buf_puts(b, "</a></th>");
}

void rs_page_hosts(rs_dash_ctx *ctx)
{
	long long now = rs_server_now();
	const char *having = rs_dash_arg(ctx, "having");
	if (having && strlen(having) > 512) {
		rs_dash_error(ctx, MHD_HTTP_BAD_REQUEST, S_BAD_REQUEST);
		return;
	}
	json_t *all = rs_dash_all_hosts(ctx, now);
	json_t *page = all ? json_pack("{s:o}", "items", all) : NULL;
	rs_dash_lock(ctx);
	json_t *with = having ? rs_view_hosts_having(ctx->srv->store, having) : NULL;
	rs_dash_unlock(ctx);
	if (!page || (having && !with)) {
		json_decref(page);
		json_decref(with);
		rs_dash_error(ctx, MHD_HTTP_SERVICE_UNAVAILABLE, S_DB_ERROR);
		return;
	}
	const char *group = rs_dash_arg(ctx, "group"), *os = rs_dash_arg(ctx, "os");
	const char *status = rs_dash_arg(ctx, "status");
	long min = -1, max = 101;
	bool has_min = long_arg(ctx, "min", &min), has_max = long_arg(ctx, "max", &max);
	sort_key key = { "hostname", false };
	const char *sort = rs_dash_arg(ctx, "sort");
	static const char *const sortable[] = { "hostname", "group", "os", "status", "score", "last_seen" };
	for (size_t i = 0; sort && i < sizeof(sortable) / sizeof(sortable[0]); i++)
		if (!strcmp(sort, sortable[i]))
			key.field = sortable[i];
	const char *dir = rs_dash_arg(ctx, "dir");
	key.desc = dir && !strcmp(dir, "desc");

	rs_vec shown;
	rs_vec_init(&shown, sizeof(json_t *));
	size_t i;
	json_t *h;
	json_array_foreach(json_object_get(page, "items"), i, h) {
		const json_t *score = json_object_get(h, "score");
		if ((group && strcmp(rs_dash_str(h, "group"), group)) || (os && !strstr(rs_dash_str(h, "os"), os)) ||
		    (status && strcmp(rs_dash_str(h, "status"), status)) ||
		    (has_min && (!json_is_integer(score) || json_integer_value(score) < min)) ||
		    (has_max && (!json_is_integer(score) || json_integer_value(score) > max)) ||
		    (with && !json_object_get(with, rs_dash_str(h, "id"))))
			continue;
		*(json_t **)rs_vec_push(&shown) = h;
	}
	if (shown.len)
		qsort_r(rs_vec_at(&shown, 0), shown.len, sizeof(json_t *), cmp_hosts, &key);

	rs_buf b;
	rs_lang l = ctx->lang;
	rs_dash_page_begin(ctx, &b, S_HOSTS);
	rs_buf_puts(&b, "<form method=\"get\" action=\"/hosts\" class=\"filters\" id=\"host-filter\">");
	filter_input(ctx, &b, "group", S_GROUP, "text");
	filter_input(ctx, &b, "os", S_OS, "text");
	rs_buf_puts(&b, "<label>");
	rs_html_escape(&b, rs_tr(l, S_STATUS));
	rs_buf_puts(&b, " <select name=\"status\"><option value=\"\">");
	rs_html_escape(&b, rs_tr(l, S_ANY));
	rs_buf_puts(&b, "</option>");
	static const char *const statuses[] = { "online", "offline", "never" };
	for (size_t s = 0; s < 3; s++) {
		rs_buf_printf(&b, "<option value=\"%s\"%s>", statuses[s],
			      status && !strcmp(status, statuses[s]) ? " selected" : "");
		rs_html_escape(&b, rs_tr(l, status_label(statuses[s])));
		rs_buf_puts(&b, "</option>");
	}
	rs_buf_puts(&b, "</select></label> ");
	filter_input(ctx, &b, "min", S_MIN_SCORE, "number");
	filter_input(ctx, &b, "max", S_MAX_SCORE, "number");
	filter_input(ctx, &b, "having", S_HAVING, "text");
	rs_buf_puts(&b, "<button type=\"submit\">");
	rs_html_escape(&b, rs_tr(l, S_FILTER));
	rs_buf_printf(&b, "</button></form><p class=\"count\" id=\"host-count\">%zu ", shown.len);
	rs_html_escape(&b, rs_tr(l, S_HOSTS_COUNT));
	rs_buf_puts(&b, "</p><table id=\"hosts\"><thead><tr>");
	sort_link(ctx, &b, "hostname", S_HOSTNAME, &key);
	sort_link(ctx, &b, "group", S_GROUP, &key);
	sort_link(ctx, &b, "os", S_OS, &key);
	sort_link(ctx, &b, "status", S_STATUS, &key);
	sort_link(ctx, &b, "last_seen", S_LAST_SEEN, &key);
	sort_link(ctx, &b, "score", S_SCORE, &key);
	counts_head(ctx, &b);
	rs_buf_puts(&b, "</tr></thead><tbody>");
	/* one page of the filtered, sorted hosts (dash_pager.c) */
	long pageno = rs_dash_page_number(ctx);
	size_t first = (size_t)(pageno - 1) * RS_DASH_PAGE_SIZE;
	size_t last = first + RS_DASH_PAGE_SIZE < shown.len ? first + RS_DASH_PAGE_SIZE : shown.len;
	for (size_t k = first; k < last; k++) {
		h = *(json_t **)rs_vec_at(&shown, k);
		rs_buf_puts(&b, "<tr><td>");
		host_link(&b, rs_dash_str(h, "id"), rs_dash_str(h, "hostname"));
		rs_buf_puts(&b, "</td>");
		rs_dash_td(&b, rs_dash_str(h, "group"));
		rs_dash_td(&b, rs_dash_str(h, "os"));
		rs_buf_printf(&b, "<td class=\"st-%s\">", rs_dash_str(h, "status"));
		rs_html_escape(&b, rs_tr(l, status_label(rs_dash_str(h, "status"))));
		rs_buf_puts(&b, "</td>");
		rs_dash_td(&b, rs_dash_str(h, "last_seen"));
		td_int(&b, json_object_get(h, "score"));
		counts_cells(&b, json_object_get(h, "counts"));
		rs_buf_puts(&b, "</tr>");
	}
	rs_buf_puts(&b, "</tbody></table>");
	static const char *const keep[] = { "group", "os", "status", "min", "max", "having", "sort", "dir", NULL };
	rs_dash_pager(ctx, &b, "/hosts", keep, pageno, shown.len);
	rs_dash_page_end(ctx, &b, MHD_HTTP_OK);
	rs_vec_free(&shown);
	json_decref(page);
	json_decref(with);
}

/* ---- one host ---- */

static void facts_table(rs_buf *b, const json_t *facts)
{
	rs_buf_puts(b, "<table class=\"facts\" id=\"facts\"><tbody>");
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)facts, k, v) {
		rs_buf_puts(b, "<tr><th>");
		rs_html_escape(b, k);
		rs_buf_puts(b, "</th><td>");
		if (json_is_string(v)) {
			rs_html_escape(b, json_string_value(v));
		} else {
			char *t = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
			rs_html_escape(b, t);
			free(t);
		}
		rs_buf_puts(b, "</td></tr>");
	}
	rs_buf_puts(b, "</tbody></table>");
}

/* The host's findings of MODULE into a new array. */
static json_t *of_module(const json_t *findings, const char *module, bool is)
{
	json_t *out = json_array();
	size_t i;
	json_t *f;
	json_array_foreach(findings, i, f) if ((strcmp(rs_dash_str(f, "module"), module) == 0) == is)
		json_array_append(out, f);
	return out;
}

void rs_page_host(rs_dash_ctx *ctx)
{
	const char *id = rs_dash_arg(ctx, "id");
	if (!id || !rs_fleet_is_hex(id, RS_FLEET_ID_HEX)) {
		rs_dash_error(ctx, MHD_HTTP_BAD_REQUEST, S_BAD_REQUEST);
		return;
	}
	long long now = rs_server_now();
	rs_fleet_finding_filter f = { .host = id, .latest = true, .limit = 5000 };
	rs_dash_lock(ctx);
	json_t *host = rs_fleet_host(ctx->srv->store, now, id);
	json_t *findings = host ? rs_fleet_findings(ctx->srv->store, &f) : NULL;
	json_t *trend = host ? rs_view_trend(ctx->srv->store, id, now, 90) : NULL;
	json_t *tasks = host ? rs_fleet_task_list(ctx->srv->store, id, NULL, 50) : NULL;
	rs_dash_unlock(ctx);
	if (!host) {
		rs_dash_error(ctx, MHD_HTTP_NOT_FOUND, S_NOT_FOUND);
		return;
	}
	json_t *items = json_object_get(findings, "items");
	rs_buf b;
	rs_lang l = ctx->lang;
	rs_dash_page_begin(ctx, &b, S_HOST);
	rs_buf_puts(&b, "<p class=\"hostname\" id=\"hostname\">");
	rs_html_escape(&b, rs_dash_str(host, "hostname"));
	rs_buf_printf(&b, " <span class=\"st-%s\">", rs_dash_str(host, "status"));
	rs_html_escape(&b, rs_tr(l, status_label(rs_dash_str(host, "status"))));
	rs_buf_puts(&b, "</span> ");
	rs_html_escape(&b, rs_tr(l, S_SCORE));
	rs_buf_puts(&b, ": ");
	const json_t *score = json_object_get(host, "score");
	if (json_is_integer(score))
		rs_buf_printf(&b, "%lld", (long long)json_integer_value(score));
	else
		rs_buf_puts(&b, "–");
	rs_buf_puts(&b, "</p>");
	if (rs_role_allows(ctx->role, RS_ACT_TASK)) {
		rs_buf_puts(&b, "<form method=\"post\" action=\"/host/scan\" id=\"scan-now\">");
		rs_dash_csrf_input(ctx, &b);
		rs_buf_puts(&b, "<input type=\"hidden\" name=\"id\" value=\"");
		rs_html_escape(&b, id);
		rs_buf_puts(&b, "\"><button type=\"submit\">");
		rs_html_escape(&b, rs_tr(l, S_SCAN_NOW));
		rs_buf_puts(&b, "</button></form>");
	}
	if (rs_dash_arg(ctx, "queued")) {
		rs_buf_puts(&b, "<p class=\"note\" id=\"queued\">");
		rs_html_escape(&b, rs_tr(l, S_TASK_QUEUED));
		rs_buf_puts(&b, "</p>");
	}
	h2(ctx, &b, S_FACTS);
	facts_table(&b, json_object_get(host, "facts"));
	h2(ctx, &b, S_SCORE_TREND);
	if (json_array_size(trend))
		rs_dash_trend_svg(&b, trend, rs_tr(l, S_SCORE_TREND));
	else
		empty(ctx, &b, S_NO_DATA);

	json_t *audit = of_module(items, "audit", true);
	json_t *vuln = of_module(items, "vuln", true);
	json_t *not_audit = of_module(items, "audit", false);
	json_t *rest = of_module(not_audit, "vuln", false);
	json_decref(not_audit);
	h2(ctx, &b, S_FINDINGS);
	findings_table(ctx, &b, rest, false);
	h2(ctx, &b, S_FAILED_CHECKS);
	findings_table(ctx, &b, audit, false);
	h2(ctx, &b, S_VULN_PACKAGES);
	if (!json_array_size(vuln)) {
		empty(ctx, &b, S_NONE);
	} else {
		rs_buf_puts(&b, "<table id=\"host-vulns\"><thead><tr>");
		rs_dash_th(ctx, &b, S_PACKAGE);
		rs_dash_th(ctx, &b, S_INSTALLED);
		rs_dash_th(ctx, &b, S_CVE);
		rs_dash_th(ctx, &b, S_FIXED);
		rs_dash_th(ctx, &b, S_SEVERITY);
		rs_buf_puts(&b, "</tr></thead><tbody>");
		size_t i;
		json_t *v;
		json_array_foreach(vuln, i, v) {
			const json_t *ev = json_object_get(v, "evidence");
			rs_severity sev = RS_SEV_INFO;
			rs_severity_parse(rs_dash_str(v, "severity"), &sev);
			rs_buf_puts(&b, "<tr>");
			rs_dash_td(&b, rs_dash_str(ev, "package"));
			rs_dash_td(&b, rs_dash_str(ev, "installed"));
			rs_dash_td(&b, *rs_dash_str(ev, "cve") ? rs_dash_str(ev, "cve") : rs_dash_str(v, "rule"));
			rs_dash_td(&b, rs_dash_str(ev, "fixed"));
			rs_buf_puts(&b, "<td>");
			rs_dash_sev_badge(ctx, &b, (int)sev);
			rs_buf_puts(&b, "</td></tr>");
		}
		rs_buf_puts(&b, "</tbody></table>");
	}
	h2(ctx, &b, S_SCANS);
	rs_buf_puts(&b, "<table id=\"scans\"><thead><tr>");
	rs_dash_th(ctx, &b, S_STARTED);
	rs_dash_th(ctx, &b, S_DURATION);
	rs_dash_th(ctx, &b, S_ROOT);
	rs_dash_th(ctx, &b, S_SCORE);
	counts_head(ctx, &b);
	rs_buf_puts(&b, "</tr></thead><tbody>");
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(host, "scans"), i, s) {
		rs_buf_puts(&b, "<tr>");
		rs_dash_td(&b, rs_dash_str(s, "started"));
		td_int(&b, json_object_get(s, "duration_ms"));
		rs_dash_td(&b, rs_dash_str(s, "root"));
		td_int(&b, json_object_get(s, "score"));
		counts_cells(&b, json_object_get(s, "counts"));
		rs_buf_puts(&b, "</tr>");
	}
	rs_buf_puts(&b, "</tbody></table>");
	h2(ctx, &b, S_TASKS);
	rs_dash_tasks_table(ctx, &b, tasks, false);
	rs_dash_page_end(ctx, &b, MHD_HTTP_OK);
	json_decref(audit);
	json_decref(vuln);
	json_decref(rest);
	json_decref(host);
	json_decref(findings);
	json_decref(trend);
	json_decref(tasks);
}

void rs_page_scan_now(rs_dash_ctx *ctx)
{
	char *id = rs_dash_field(ctx, "id");
	if (!id || !rs_fleet_is_hex(id, RS_FLEET_ID_HEX)) {
		free(id);
		rs_dash_error(ctx, MHD_HTTP_BAD_REQUEST, S_BAD_REQUEST);
		return;
	}
	char task[33];
	rs_dash_lock(ctx);
	int rc = rs_dash_task_create(ctx->srv->store, rs_server_now(), ctx->session.user, id, "scan", NULL, task);
	rs_dash_unlock(ctx);
	if (rc != 0) {
		free(id);
		rs_dash_error(ctx, rc > 0 ? MHD_HTTP_NOT_FOUND : MHD_HTTP_SERVICE_UNAVAILABLE,
			      rc > 0 ? S_NOT_FOUND : S_DB_ERROR);
		return;
	}
	rs_dash_audit(ctx, "task_scan", id);
	char *to = rs_sprintf("/host?id=%s&queued=1", id);
	rs_dash_redirect(ctx, to);
	free(to);
	free(id);
}

/* The incident records (incident/incident.h), newest first; NULL with
 * *WHY set when there are none to show (PostgreSQL, or an error). */
static json_t *incidents(rs_dash_ctx *ctx, rs_str *why)
{
	/* --incidents, else the fleet's own store when it is SQLite */
	rs_store *store = ctx->srv->incidents ? ctx->srv->incidents : rs_view_sqlite_store(ctx->srv->store);
	*why = S_INCIDENTS_PG;
	if (!store)
		return NULL;
	json_t *list = NULL;
	char err[512];
	rs_dash_lock(ctx);
	int rc = rs_incident_list(store, 0, 0, &list, err, sizeof(err));
	rs_dash_unlock(ctx);
	if (rc < 0) {
		*why = S_DB_ERROR;
		return NULL;
	}
	/* newest first */
	json_t *rev = json_array();
	for (size_t i = json_array_size(list); i > 0; i--)
		json_array_append(rev, json_array_get(list, i - 1));
	json_decref(list);
	return rev;
}

static bool overdue(const json_t *inc)
{
	const json_t *d = json_object_get(inc, "deadlines");
	return strcmp(rs_dash_str(inc, "state"), "closed") &&
	       (json_is_true(json_object_get(d, "notify_overdue")) || json_is_true(json_object_get(d, "final_overdue")));
}

static void incidents_table(rs_dash_ctx *ctx, rs_buf *b, const json_t *list, bool only_overdue)
{
	size_t i, shown = 0;
	json_t *inc;
	json_array_foreach(list, i, inc) shown += !only_overdue || overdue(inc);
	if (!shown) {
		rs_buf_puts(b, only_overdue ? "<p class=\"empty\" id=\"overdue-none\">" : "<p class=\"empty\" id=\"incidents-empty\">");
		rs_html_escape(b, rs_tr(ctx->lang, only_overdue ? S_NONE : S_INCIDENTS_EMPTY));
		rs_buf_puts(b, "</p>");
		return;
	}
	rs_buf_printf(b, "<table id=\"%s\"><thead><tr>", only_overdue ? "overdue" : "incidents");
	rs_dash_th(ctx, b, S_ID);
	rs_dash_th(ctx, b, S_TITLE);
	rs_dash_th(ctx, b, S_SEVERITY);
	rs_dash_th(ctx, b, S_CATEGORY);
	rs_dash_th(ctx, b, S_STATE);
	rs_dash_th(ctx, b, S_DETECTED);
	rs_dash_th(ctx, b, S_NOTIFY_BY);
	rs_buf_puts(b, "</tr></thead><tbody>");
	json_array_foreach(list, i, inc) {
		if (only_overdue && !overdue(inc))
			continue;
		rs_severity sev = RS_SEV_INFO;
		rs_severity_parse(rs_dash_str(inc, "severity"), &sev);
		rs_buf_puts(b, "<tr>");
		rs_dash_td(b, rs_dash_str(inc, "id"));
		rs_buf_puts(b, "<td>");
		rs_html_escape(b, rs_dash_str(inc, "title"));
		if (json_is_true(json_object_get(inc, "exercise"))) {
			rs_buf_puts(b, " <small>(");
			rs_html_escape(b, rs_tr(ctx->lang, S_EXERCISE));
			rs_buf_puts(b, ")</small>");
		}
		rs_buf_puts(b, "</td><td>");
		rs_dash_sev_badge(ctx, b, (int)sev);
		rs_buf_puts(b, "</td>");
		rs_dash_td(b, rs_dash_str(inc, "category"));
		rs_dash_td(b, rs_dash_str(inc, "state"));
		rs_dash_td(b, rs_dash_str(inc, "detected"));
		rs_buf_puts(b, "<td>");
		rs_html_escape(b, rs_dash_str(json_object_get(inc, "deadlines"), "notify"));
		if (overdue(inc)) {
			rs_buf_puts(b, " <span class=\"sev sev3\">");
			rs_html_escape(b, rs_tr(ctx->lang, S_OVERDUE));
			rs_buf_puts(b, "</span>");
		}
		rs_buf_puts(b, "</td></tr>");
	}
	rs_buf_puts(b, "</tbody></table>");
}

void rs_page_incidents(rs_dash_ctx *ctx)
{
	rs_str why;
	json_t *list = incidents(ctx, &why);
	rs_buf b;
	rs_dash_page_begin(ctx, &b, S_INCIDENTS);
	if (!list)
		empty(ctx, &b, why);
	else
		incidents_table(ctx, &b, list, false);
	rs_dash_page_end(ctx, &b, MHD_HTTP_OK);
	json_decref(list);
}
