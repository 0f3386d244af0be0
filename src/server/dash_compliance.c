/*
 * dash_compliance.c — the compliance page's history (store/fleet_views.h
 * rs_view_compliance_history): the fleet's pass rate per day as a chart,
 * then each host's and each check's pass rate over the window as a small
 * line with its points in a data attribute and a text alternative, the
 * worst first, paged (dash_pager.c). `?days=7|30|90` (default 30).
 */
#include "server/dash.h"
#include "store/fleet_views.h"

#include <stdio.h>
#include <string.h>

#define SPARK_W 160
#define SPARK_H 28

static void sparkline(rs_buf *b, const json_t *trend, size_t days, const json_t *day_list)
{
	rs_buf_printf(b, "<svg class=\"spark\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" data-points=\"",
		      SPARK_W, SPARK_H, SPARK_W, SPARK_H);
	size_t i;
	json_t *p;
	json_array_foreach(trend, i, p)
		rs_buf_printf(b, "%s%s:%lld", i ? "," : "", json_string_value(json_object_get(p, "day")),
			      (long long)json_integer_value(json_object_get(p, "score")));
	rs_buf_printf(b, "\" role=\"img\"><rect width=\"%d\" height=\"%d\" fill=\"#f6f8fa\"/>", SPARK_W, SPARK_H);
	if (json_array_size(trend)) {
		rs_buf_puts(b, "<polyline fill=\"none\" stroke=\"#0969da\" stroke-width=\"1.5\" points=\"");
		json_array_foreach(trend, i, p) {
			/* x by the day's place in the window, so gaps show as gaps in time */
			size_t at = 0;
			for (size_t k = 0; k < days; k++)
				if (!strcmp(json_string_value(json_array_get(day_list, k)), json_string_value(json_object_get(p, "day"))))
					at = k;
			long long s = json_integer_value(json_object_get(p, "score"));
			int x = days > 1 ? (int)(2 + (SPARK_W - 4) * at / (days - 1)) : SPARK_W / 2;
			int y = 2 + (int)((100 - (s < 0 ? 0 : s > 100 ? 100 : s)) * (SPARK_H - 4) / 100);
			rs_buf_printf(b, "%d,%d ", x, y);
		}
		rs_buf_puts(b, "\"/>");
	}
	rs_buf_puts(b, "</svg>");
}

static void last_cell(rs_buf *b, const json_t *row)
{
	long long last = json_integer_value(json_object_get(row, "last"));
	if (last < 0)
		rs_buf_puts(b, "<td class=\"num\">–</td>");
	else
		rs_buf_printf(b, "<td class=\"num\">%lld%%</td>", last);
}

static void rows_table(rs_dash_ctx *ctx, rs_buf *b, const char *id, const json_t *rows, const json_t *day_list,
		       bool hosts, long page)
{
	size_t n = json_array_size(rows), days = json_array_size(day_list);
	rs_buf_printf(b, "<table id=\"%s\"><thead><tr>", id);
	rs_dash_th(ctx, b, hosts ? S_HOST : S_CHECK);
	if (!hosts)
		rs_dash_th(ctx, b, S_TITLE);
	rs_dash_th(ctx, b, S_PASS_RATE);
	rs_dash_th(ctx, b, S_TREND_DAYS);
	rs_buf_puts(b, "</tr></thead><tbody>");
	size_t first = (size_t)(page - 1) * RS_DASH_PAGE_SIZE;
	for (size_t i = first; i < n && i < first + RS_DASH_PAGE_SIZE; i++) {
		const json_t *r = json_array_get(rows, i);
		rs_buf_puts(b, "<tr>");
		if (hosts) {
			rs_buf_puts(b, "<td><a href=\"/host?id=");
			rs_url_enc(b, rs_dash_str(r, "host"));
			rs_buf_puts(b, "\">");
			rs_html_escape(b, rs_dash_str(r, "name"));
			rs_buf_puts(b, "</a></td>");
		} else {
			rs_dash_td(b, rs_dash_str(r, "rule"));
			rs_dash_td(b, rs_dash_str(r, "title"));
		}
		last_cell(b, r);
		rs_buf_puts(b, "<td>");
		sparkline(b, json_object_get(r, "trend"), days, day_list);
		rs_buf_puts(b, "</td></tr>");
	}
	rs_buf_puts(b, "</tbody></table>");
}

int rs_dash_compliance_history(rs_dash_ctx *ctx, rs_buf *b)
{
	const char *d = rs_dash_arg(ctx, "days");
	int days = d && !strcmp(d, "7") ? 7 : d && !strcmp(d, "90") ? 90 : 30;
	rs_dash_lock(ctx);
	json_t *h = rs_view_compliance_history(ctx->srv->store, rs_server_now(), days);
	rs_dash_unlock(ctx);
	if (!h)
		return -1;
	const json_t *day_list = json_object_get(h, "days");
	rs_buf_printf(b, "<h2>%s</h2><p class=\"filters\" id=\"compliance-days\">", rs_tr(ctx->lang, S_COMPLIANCE_HISTORY));
	static const int choices[] = { 7, 30, 90 };
	for (size_t i = 0; i < 3; i++) {
		if (choices[i] == days)
			rs_buf_printf(b, "<span class=\"current\">%d</span> ", choices[i]);
		else
			rs_buf_printf(b, "<a href=\"/compliance?days=%d\">%d</a> ", choices[i], choices[i]);
	}
	rs_buf_printf(b, "%s</p>", rs_tr(ctx->lang, S_DAYS));
	const json_t *fleet = json_object_get(h, "fleet");
	if (!json_array_size(fleet)) {
		rs_buf_printf(b, "<p class=\"empty\">%s</p>", rs_tr(ctx->lang, S_NO_DATA));
		json_decref(h);
		return 0;
	}
	rs_buf_puts(b, "<div id=\"compliance-trend\">");
	rs_dash_trend_svg(b, fleet, rs_tr(ctx->lang, S_PASS_RATE));
	rs_buf_puts(b, "</div>");
	long page = rs_dash_page_number(ctx);
	const json_t *hosts = json_object_get(h, "hosts"), *checks = json_object_get(h, "checks");
	rs_buf_printf(b, "<h3>%s</h3>", rs_tr(ctx->lang, S_PER_HOST));
	rows_table(ctx, b, "compliance-host-trend", hosts, day_list, true, page);
	rs_buf_printf(b, "<h3>%s</h3>", rs_tr(ctx->lang, S_PER_CHECK));
	rows_table(ctx, b, "compliance-check-trend", checks, day_list, false, page);
	size_t most = json_array_size(hosts) > json_array_size(checks) ? json_array_size(hosts) : json_array_size(checks);
	static const char *const keep[] = { "days", NULL };
	rs_dash_pager(ctx, b, "/compliance", keep, page, most);
	json_decref(h);
	return 0;
}
