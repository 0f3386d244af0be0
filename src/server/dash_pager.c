/*
 * dash_pager.c — paging of the dashboard's long lists (hosts, findings
 * grouped by rule): offset pages of RS_DASH_PAGE_SIZE rows over the
 * filtered and sorted list, `?page=N`, and the page links that keep the
 * list's filters; and every host of the fleet loaded page by page through
 * the store's keyset cursor (store/fleet.h rs_fleet_hosts).
 */
#include "server/dash.h"
#include "store/fleet.h"

#include <stdio.h>
#include <string.h>

#define HOSTS_BATCH 1000
#define HOSTS_MAX 200000

long rs_dash_page_number(const rs_dash_ctx *ctx)
{
	const char *text = rs_dash_arg(ctx, "page");
	long n = 1;
	if (!text || !rs_parse_long(text, &n) || n < 1)
		return 1;
	return n > 1000000 ? 1000000 : n;
}

/* One link to PAGE of PATH with the arguments KEEP. */
static void page_link(const rs_dash_ctx *ctx, rs_buf *b, const char *path, const char *const *keep, long page,
		      const char *text, bool current)
{
	if (current) {
		rs_buf_printf(b, "<span class=\"current\" aria-current=\"page\">%s</span> ", text);
		return;
	}
	rs_buf_printf(b, "<a href=\"%s?page=%ld", path, page);
	for (size_t i = 0; keep[i]; i++) {
		const char *v = rs_dash_arg(ctx, keep[i]);
		if (!v)
			continue;
		rs_buf_printf(b, "&amp;%s=", keep[i]);
		rs_url_enc(b, v);
	}
	rs_buf_printf(b, "\">%s</a> ", text);
}

void rs_dash_pager(const rs_dash_ctx *ctx, rs_buf *b, const char *path, const char *const *keep, long page,
		   size_t total)
{
	long pages = (long)((total + RS_DASH_PAGE_SIZE - 1) / RS_DASH_PAGE_SIZE);
	if (pages <= 1)
		return;
	char text[32];
	rs_buf_puts(b, "<nav class=\"pager\" id=\"pager\">");
	if (page > 1)
		page_link(ctx, b, path, keep, page - 1, "&laquo;", false);
	for (long p = 1; p <= pages; p++) {
		bool near = p == 1 || p == pages || (p >= page - 2 && p <= page + 2);
		if (!near) {
			if (p == 2 || p == pages - 1)
				rs_buf_puts(b, "&hellip; ");
			continue;
		}
		snprintf(text, sizeof(text), "%ld", p);
		page_link(ctx, b, path, keep, p, text, p == page);
	}
	if (page < pages)
		page_link(ctx, b, path, keep, page + 1, "&raquo;", false);
	rs_buf_puts(b, "</nav>");
}

json_t *rs_dash_all_hosts(rs_dash_ctx *ctx, long long now)
{
	json_t *all = json_array();
	char cursor[128] = "";
	rs_dash_lock(ctx);
	while (json_array_size(all) < HOSTS_MAX) {
		json_t *page = rs_fleet_hosts(ctx->srv->store, now, *cursor ? cursor : NULL, HOSTS_BATCH);
		if (!page) {
			json_decref(all);
			all = NULL;
			break;
		}
		json_array_extend(all, json_object_get(page, "items"));
		const char *next = json_string_value(json_object_get(page, "next"));
		bool more = next && *next && strlen(next) < sizeof(cursor);
		if (more)
			snprintf(cursor, sizeof(cursor), "%s", next);
		json_decref(page);
		if (!more)
			break;
	}
	rs_dash_unlock(ctx);
	return all;
}
