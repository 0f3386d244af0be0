/*
 * dash.c — the dashboard's front: the route table (which role may see or
 * do what), the checks every request passes (session, CSRF token on every
 * POST, role), the embedded assets of web/, the language switch, and the
 * page frame and helpers the pages share.
 */
#include "server/dash.h"
#include "server/web_assets.h"
#include "core/finding.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct page {
	const char *method;
	const char *path;
	rs_role_action need;
	rs_str title;            /* for the navigation; S_COUNT: not shown there */
	void (*show)(rs_dash_ctx *ctx);
} page;

static const page pages[] = {
	{ "GET", "/overview", RS_ACT_READ, S_OVERVIEW, rs_page_overview },
	{ "GET", "/hosts", RS_ACT_READ, S_HOSTS, rs_page_hosts },
	{ "GET", "/findings", RS_ACT_READ, S_FINDINGS, rs_page_findings },
	{ "GET", "/vulns", RS_ACT_READ, S_VULNS, rs_page_vulns },
	{ "GET", "/compliance", RS_ACT_READ, S_COMPLIANCE, rs_page_compliance },
	{ "GET", "/incidents", RS_ACT_READ, S_INCIDENTS, rs_page_incidents },
	{ "GET", "/tasks", RS_ACT_READ, S_TASKS, rs_page_tasks },
	{ "GET", "/tokens", RS_ACT_ADMIN, S_TOKENS, rs_page_tokens },
	{ "GET", "/users", RS_ACT_ADMIN, S_USERS, rs_page_users },
	{ "GET", "/audit", RS_ACT_ADMIN, S_AUDIT, rs_page_audit },
	{ "GET", "/host", RS_ACT_READ, S_COUNT, rs_page_host },
	{ "POST", "/host/scan", RS_ACT_TASK, S_COUNT, rs_page_scan_now },
	{ "POST", "/tasks/create", RS_ACT_TASK, S_COUNT, rs_page_task_create },
	{ "POST", "/tasks/approve", RS_ACT_ADMIN, S_COUNT, rs_page_task_approve },
	{ "GET", "/bundle", RS_ACT_TASK, S_COUNT, rs_page_bundle },
	{ "POST", "/tokens/create", RS_ACT_ADMIN, S_COUNT, rs_page_token_create },
	{ "POST", "/tokens/revoke", RS_ACT_ADMIN, S_COUNT, rs_page_token_revoke },
	{ "POST", "/users/create", RS_ACT_ADMIN, S_COUNT, rs_page_user_create },
	{ "POST", "/users/remove", RS_ACT_ADMIN, S_COUNT, rs_page_user_remove },
	{ "POST", "/logout", RS_ACT_READ, S_COUNT, rs_dash_logout_post },
};

void rs_dash_lock(rs_dash_ctx *ctx)
{
	pthread_mutex_lock(&ctx->srv->db_lock);
}

void rs_dash_unlock(rs_dash_ctx *ctx)
{
	pthread_mutex_unlock(&ctx->srv->db_lock);
}

const char *rs_dash_arg(const rs_dash_ctx *ctx, const char *name)
{
	const char *v = rs_request_arg(ctx->req, name);
	return v && *v ? v : NULL;
}

char *rs_dash_field(const rs_dash_ctx *ctx, const char *name)
{
	return rs_form_get(ctx->req->body, ctx->req->len, name);
}

void rs_dash_csrf_input(const rs_dash_ctx *ctx, rs_buf *b)
{
	rs_buf_printf(b, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", ctx->session.csrf);
}

static void set_raw(rs_reply *r, unsigned int status, rs_buf *b, const char *type)
{
	r->status = status;
	r->raw_len = b->len;
	r->raw = rs_buf_take(b);
	r->content_type = type;
}

void rs_dash_redirect(rs_dash_ctx *ctx, const char *to)
{
	rs_buf b;
	rs_buf_init(&b);
	rs_buf_puts(&b, "<!DOCTYPE html><title>303</title>");
	set_raw(ctx->reply, MHD_HTTP_SEE_OTHER, &b, "text/html; charset=utf-8");
	ctx->reply->location = rs_strdup(to);
	ctx->reply->html = true;
}

static void nav(rs_dash_ctx *ctx, rs_buf *b)
{
	rs_lang l = ctx->lang;
	rs_buf_puts(b, "<header><a class=\"brand\" href=\"/overview\">");
	rs_html_escape(b, rs_tr(l, S_APP));
	rs_buf_puts(b, "</a><nav>");
	for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		if (pages[i].title == S_COUNT || !rs_role_allows(ctx->role, pages[i].need))
			continue;
		rs_buf_printf(b, "<a href=\"%s\"%s>", pages[i].path,
			      !strcmp(ctx->req->url, pages[i].path) ? " class=\"here\"" : "");
		rs_html_escape(b, rs_tr(l, pages[i].title));
		rs_buf_puts(b, "</a>");
	}
	rs_buf_puts(b, "</nav><div class=\"who\">");
	rs_buf_printf(b, "<a href=\"/lang?to=%s&amp;back=", l == RS_LANG_VI ? "en" : "vi");
	rs_buf b2;
	rs_buf_init(&b2);
	rs_url_enc(&b2, ctx->req->url);
	rs_buf_append(b, b2.data ? b2.data : "", b2.len);
	rs_buf_free(&b2);
	rs_buf_puts(b, "\" id=\"lang\">");
	rs_html_escape(b, rs_tr(l, S_LANGUAGE));
	rs_buf_puts(b, "</a> <span>");
	rs_html_escape(b, ctx->session.user);
	rs_buf_printf(b, " (%s)</span><form method=\"post\" action=\"/logout\" class=\"inline\">", rs_role_name(ctx->role));
	rs_dash_csrf_input(ctx, b);
	rs_buf_puts(b, "<button type=\"submit\" id=\"logout\">");
	rs_html_escape(b, rs_tr(l, S_LOGOUT));
	rs_buf_puts(b, "</button></form></div></header>");
}

void rs_dash_page_begin(rs_dash_ctx *ctx, rs_buf *b, rs_str title)
{
	rs_buf_init(b);
	rs_buf_printf(b, "<!DOCTYPE html><html lang=\"%s\"><head><meta charset=\"utf-8\">"
		      "<meta name=\"viewport\" content=\"width=device-width\"><title>", rs_lang_code(ctx->lang));
	rs_html_escape(b, rs_tr(ctx->lang, title));
	rs_buf_puts(b, " – ");
	rs_html_escape(b, rs_tr(ctx->lang, S_APP));
	rs_buf_puts(b, "</title><link rel=\"stylesheet\" href=\"/static/style.css\">"
		    "<script src=\"/static/dash.js\" defer></script></head><body>");
	if (ctx->logged_in)
		nav(ctx, b);
	rs_buf_puts(b, "<main><h1>");
	rs_html_escape(b, rs_tr(ctx->lang, title));
	rs_buf_puts(b, "</h1>");
}

void rs_dash_page_end(rs_dash_ctx *ctx, rs_buf *b, unsigned int status)
{
	rs_buf_puts(b, "</main></body></html>\n");
	set_raw(ctx->reply, status, b, "text/html; charset=utf-8");
	ctx->reply->html = true;
}

void rs_dash_error(rs_dash_ctx *ctx, unsigned int status, rs_str message)
{
	rs_buf b;
	rs_dash_page_begin(ctx, &b, message);
	rs_buf_puts(&b, "<p><a href=\"/overview\">");
	rs_html_escape(&b, rs_tr(ctx->lang, S_OVERVIEW));
	rs_buf_puts(&b, "</a></p>");
	rs_dash_page_end(ctx, &b, status);
}

static const rs_str sev_names[] = { S_INFO, S_LOW, S_MEDIUM, S_HIGH, S_CRITICAL };

void rs_dash_sev_badge(rs_dash_ctx *ctx, rs_buf *b, int severity)
{
	if (severity < 0 || severity > 4)
		severity = 0;
	rs_buf_printf(b, "<span class=\"sev sev%d\">", severity);
	rs_html_escape(b, rs_tr(ctx->lang, sev_names[severity]));
	rs_buf_puts(b, "</span>");
}

void rs_dash_trend_svg(rs_buf *b, const json_t *trend, const char *label)
{
	size_t n = json_array_size(trend);
	const int w = 600, h = 120, pad = 4;
	rs_buf_printf(b, "<svg class=\"trend\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"",
		      w, h, w, h);
	rs_html_escape(b, label);
	rs_buf_printf(b, "\"><rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#f6f8fa\"/>", w, h);
	for (int g = 0; g <= 100; g += 50)
		rs_buf_printf(b, "<line x1=\"0\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#d0d7de\"/>"
			      "<text x=\"2\" y=\"%d\" font-size=\"10\" fill=\"#57606a\">%d</text>",
			      w, pad + (100 - g) * (h - 2 * pad) / 100, pad + (100 - g) * (h - 2 * pad) / 100,
			      pad + (100 - g) * (h - 2 * pad) / 100 + (g == 100 ? 10 : -2), g);
	if (n > 0) {
		rs_buf_puts(b, "<polyline fill=\"none\" stroke=\"#0969da\" stroke-width=\"2\" points=\"");
		for (size_t i = 0; i < n; i++) {
			json_int_t s = json_integer_value(json_object_get(json_array_get(trend, i), "score"));
			if (s < 0)
				s = 0;
			if (s > 100)
				s = 100;
			int x = n == 1 ? w / 2 : (int)(24 + (size_t)(w - 30) * i / (n - 1));
			int y = pad + (int)(100 - s) * (h - 2 * pad) / 100;
			rs_buf_printf(b, "%d,%d ", x, y);
		}
		rs_buf_puts(b, "\"/>");
		for (size_t i = 0; i < n; i++) {
			const json_t *p = json_array_get(trend, i);
			json_int_t s = json_integer_value(json_object_get(p, "score"));
			int x = n == 1 ? w / 2 : (int)(24 + (size_t)(w - 30) * i / (n - 1));
			int y = pad + (int)(100 - (s < 0 ? 0 : s > 100 ? 100 : s)) * (h - 2 * pad) / 100;
			rs_buf_printf(b, "<circle cx=\"%d\" cy=\"%d\" r=\"%d\" fill=\"#0969da\"><title>", x, y, n > 30 ? 2 : 3);
			rs_html_escape(b, json_string_value(json_object_get(p, "day")));
			rs_buf_printf(b, ": %lld</title></circle>", (long long)s);
		}
	}
	rs_buf_puts(b, "</svg>");
}

static bool serve_asset(rs_dash_ctx *ctx)
{
	const char *name = ctx->req->url + strlen("/static/");
	for (const rs_web_asset *a = rs_web_assets; a->name; a++) {
		if (strcmp(a->name, name))
			continue;
		rs_reply *r = ctx->reply;
		r->status = MHD_HTTP_OK;
		r->raw = rs_malloc(a->len + 1);
		memcpy(r->raw, a->data, a->len);
		r->raw_len = a->len;
		r->content_type = rs_ends_with(name, ".css") ? "text/css; charset=utf-8" :
				  rs_ends_with(name, ".js") ? "text/javascript; charset=utf-8" : "application/octet-stream";
		return true;
	}
	return false;
}

/* GET /lang?to=vi&back=/path: the language cookie, then back to a local page. */
static void switch_lang(rs_dash_ctx *ctx)
{
	rs_lang l = rs_lang_parse(rs_dash_arg(ctx, "to"));
	const char *back = rs_dash_arg(ctx, "back");
	/* only a local path: no scheme, no //host, nothing but plain characters */
	if (!back || back[0] != '/' || back[1] == '/' || back[1] == '\\' || strlen(back) > 256 ||
	    strspn(back, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/_-.") != strlen(back))
		back = "/overview";
	ctx->reply->set_cookie[0] = rs_sprintf("%s=%s; Path=/; Max-Age=31536000; SameSite=Strict%s",
					       RS_DASH_LANG_COOKIE, rs_lang_code(l),
					       ctx->srv->cfg.tls_cert ? "; Secure" : "");
	rs_dash_redirect(ctx, back);
}

void rs_handle_dashboard(rs_server *srv, rs_request *req, rs_reply *reply)
{
	rs_dash_ctx ctx = { .srv = srv, .req = req, .reply = reply, .lang = RS_LANG_EN, .role = RS_ROLE_NONE };
	ctx.post = !strcmp(req->method, "POST");
	bool get = !strcmp(req->method, "GET");
	const char *url = req->url;
	if (get && rs_starts_with(url, "/static/")) {
		if (!serve_asset(&ctx))
			rs_reply_error(reply, MHD_HTTP_NOT_FOUND, "not_found", "no such file");
		return;
	}
	rs_dash_load_session(&ctx);
	if (!strcmp(url, "/login")) {
		if (get && ctx.logged_in)
			rs_dash_redirect(&ctx, "/overview");
		else if (get)
			rs_dash_login_page(&ctx, NULL);
		else if (ctx.post)
			rs_dash_login_post(&ctx);
		else
			rs_dash_error(&ctx, MHD_HTTP_METHOD_NOT_ALLOWED, S_BAD_REQUEST);
		return;
	}
	if (get && !strcmp(url, "/lang")) {
		switch_lang(&ctx);
		return;
	}
	if (get && !strcmp(url, "/")) {
		rs_dash_redirect(&ctx, ctx.logged_in ? "/overview" : "/login");
		return;
	}
	const page *p = NULL;
	bool known = false;
	for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		if (strcmp(url, pages[i].path))
			continue;
		known = true;
		if (!strcmp(req->method, pages[i].method))
			p = &pages[i];
	}
	if (!ctx.logged_in) {
		/* no session: a page sends the browser to the login form; anything
		 * else is refused outright */
		if (get && known)
			rs_dash_redirect(&ctx, "/login");
		else
			rs_dash_error(&ctx, known ? MHD_HTTP_UNAUTHORIZED : MHD_HTTP_NOT_FOUND,
				      known ? S_LOGIN : S_NOT_FOUND);
		return;
	}
	if (!p) {
		rs_dash_error(&ctx, known ? MHD_HTTP_METHOD_NOT_ALLOWED : MHD_HTTP_NOT_FOUND,
			      known ? S_BAD_REQUEST : S_NOT_FOUND);
		return;
	}
	if (ctx.post) {
		char *csrf = rs_dash_field(&ctx, "csrf");
		bool ok = rs_dash_csrf_ok(csrf, ctx.session.csrf);
		free(csrf);
		if (!ok) {
			rs_dash_error(&ctx, MHD_HTTP_FORBIDDEN, S_CSRF_FAILED);
			return;
		}
	}
	if (!rs_role_allows(ctx.role, p->need)) {
		if (ctx.post)
			rs_dash_audit(&ctx, "refused", url);
		rs_dash_error(&ctx, MHD_HTTP_FORBIDDEN, S_FORBIDDEN);
		return;
	}
	p->show(&ctx);
}
