/*
 * dash_auth.c — who is using the dashboard: the session cookie (a 256-bit
 * random id, HttpOnly, SameSite=Strict, Secure under TLS, stored hashed),
 * the login form (rate-limited per address; its CSRF value is a
 * double-submitted pre-session cookie), logout, the CSRF check of every
 * POST, and the audit log of operator actions.
 */
#include "server/dash.h"
#include "core/log.h"
#include "fleet/proto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool rs_dash_csrf_ok(const char *given, const char *want)
{
	if (!given || !want || strlen(want) != RS_DASH_SID_HEX || strlen(given) != RS_DASH_SID_HEX)
		return false;
	return sodium_memcmp(given, want, RS_DASH_SID_HEX) == 0;
}

char *rs_dash_cookie(const rs_dash_ctx *ctx, const char *name, const char *value, long long age)
{
	return rs_sprintf("%s=%s; Path=/; Max-Age=%lld; HttpOnly; SameSite=Strict%s", name, value, age,
			  ctx->srv->cfg.tls_cert ? "; Secure" : "");
}

static void add_cookie(rs_reply *reply, char *cookie)
{
	for (size_t i = 0; i < sizeof(reply->set_cookie) / sizeof(reply->set_cookie[0]); i++) {
		if (!reply->set_cookie[i]) {
			reply->set_cookie[i] = cookie;
			return;
		}
	}
	free(cookie);
}

void rs_dash_load_session(rs_dash_ctx *ctx)
{
	const char *header = rs_request_header(ctx->req, MHD_HTTP_HEADER_COOKIE);
	ctx->logged_in = false;
	ctx->role = RS_ROLE_NONE;
	char lang[8];
	if (rs_cookie_get(header, RS_DASH_LANG_COOKIE, lang, sizeof(lang)))
		ctx->lang = rs_lang_parse(lang);
	if (!rs_cookie_get(header, RS_DASH_COOKIE, ctx->sid, sizeof(ctx->sid)))
		return;
	rs_dash_lock(ctx);
	int rc = rs_dash_session_get(ctx->srv->store, ctx->sid, rs_server_now(), &ctx->session);
	rs_dash_unlock(ctx);
	if (rc == 0) {
		ctx->logged_in = true;
		ctx->role = rs_role_parse(ctx->session.role);
	}
}

void rs_dash_audit(rs_dash_ctx *ctx, const char *action, const char *target)
{
	rs_dash_lock(ctx);
	rs_dash_audit_add(ctx->srv->store, rs_server_now(), ctx->logged_in ? ctx->session.user : NULL, action,
			  target, ctx->req->addr);
	rs_dash_unlock(ctx);
}

void rs_dash_login_page(rs_dash_ctx *ctx, const char *error)
{
	char pre[RS_DASH_SID_HEX + 1];
	rs_fleet_random_hex(pre, RS_DASH_SID_HEX / 2);
	add_cookie(ctx->reply, rs_dash_cookie(ctx, RS_DASH_PRE_COOKIE, pre, 3600));
	rs_buf b;
	rs_buf_init(&b);
	rs_lang l = ctx->lang;
	rs_buf_printf(&b, "<!DOCTYPE html><html lang=\"%s\"><head><meta charset=\"utf-8\">"
		      "<meta name=\"viewport\" content=\"width=device-width\"><title>", rs_lang_code(l));
	rs_html_escape(&b, rs_tr(l, S_LOGIN));
	rs_buf_puts(&b, " – ");
	rs_html_escape(&b, rs_tr(l, S_APP));
	rs_buf_puts(&b, "</title><link rel=\"stylesheet\" href=\"/static/style.css\"></head>"
		    "<body class=\"login\"><main><h1>");
	rs_html_escape(&b, rs_tr(l, S_APP));
	rs_buf_puts(&b, "</h1>");
	if (error) {
		rs_buf_puts(&b, "<p class=\"error\" id=\"login-error\">");
		rs_html_escape(&b, error);
		rs_buf_puts(&b, "</p>");
	}
	rs_buf_puts(&b, "<form method=\"post\" action=\"/login\"><input type=\"hidden\" name=\"csrf\" value=\"");
	rs_buf_puts(&b, pre);
	rs_buf_puts(&b, "\"><label>");
	rs_html_escape(&b, rs_tr(l, S_USERNAME));
	rs_buf_puts(&b, "<input name=\"user\" autocomplete=\"username\" required maxlength=\"64\"></label><label>");
	rs_html_escape(&b, rs_tr(l, S_PASSWORD));
	rs_buf_puts(&b, "<input name=\"password\" type=\"password\" autocomplete=\"current-password\" required>"
		    "</label><button type=\"submit\">");
	rs_html_escape(&b, rs_tr(l, S_LOGIN));
	rs_buf_printf(&b, "</button></form><p><a href=\"/lang?to=%s&amp;back=/login\">", l == RS_LANG_VI ? "en" : "vi");
	rs_html_escape(&b, rs_tr(l, S_LANGUAGE));
	rs_buf_puts(&b, "</a></p></main></body></html>\n");
	rs_reply *r = ctx->reply;
	r->status = error ? MHD_HTTP_UNAUTHORIZED : MHD_HTTP_OK;
	r->raw_len = b.len;
	r->raw = rs_buf_take(&b);
	r->content_type = "text/html; charset=utf-8";
	r->html = true;
}

void rs_dash_login_post(rs_dash_ctx *ctx)
{
	const char *header = rs_request_header(ctx->req, MHD_HTTP_HEADER_COOKIE);
	char pre[RS_DASH_SID_HEX + 1];
	char *csrf = rs_dash_field(ctx, "csrf");
	bool csrf_ok = rs_cookie_get(header, RS_DASH_PRE_COOKIE, pre, sizeof(pre)) && rs_dash_csrf_ok(csrf, pre);
	free(csrf);
	if (!csrf_ok) {
		rs_dash_error(ctx, MHD_HTTP_FORBIDDEN, S_CSRF_FAILED);
		return;
	}
	int wait = rs_ratelimit_take(ctx->srv->logins, ctx->req->addr, rs_server_mono());
	if (wait > 0) {
		ctx->reply->retry_after = wait;
		rs_dash_login_page(ctx, rs_tr(ctx->lang, S_LOGIN_LIMITED));
		ctx->reply->status = MHD_HTTP_TOO_MANY_REQUESTS;
		return;
	}
	char *user = rs_dash_field(ctx, "user");
	char *password = rs_dash_field(ctx, "password");
	char role[16];
	int rc = 1;
	if (user && password && rs_dash_name_ok(user) && strlen(password) <= RS_DASH_PASSWORD_MAX) {
		rs_dash_lock(ctx);
		rc = rs_dash_user_check(ctx->srv->store, user, password, role);
		rs_dash_unlock(ctx);
	}
	if (password)
		sodium_memzero(password, strlen(password));
	free(password);
	char sid[RS_DASH_SID_HEX + 1], token[RS_DASH_SID_HEX + 1];
	if (rc == 0) {
		rs_dash_lock(ctx);
		rc = rs_dash_session_create(ctx->srv->store, user, ctx->req->addr, rs_server_now(),
					    RS_DASH_SESSION_TTL, sid, token) < 0 ? -1 : 0;
		rs_dash_unlock(ctx);
	}
	if (rc != 0) {
		rs_dash_lock(ctx);
		rs_dash_audit_add(ctx->srv->store, rs_server_now(), user && rs_dash_name_ok(user) ? user : NULL,
				  "login_failed", NULL, ctx->req->addr);
		rs_dash_unlock(ctx);
		free(user);
		rs_dash_login_page(ctx, rs_tr(ctx->lang, rc < 0 ? S_DB_ERROR : S_LOGIN_FAILED));
		return;
	}
	add_cookie(ctx->reply, rs_dash_cookie(ctx, RS_DASH_COOKIE, sid, RS_DASH_SESSION_TTL));
	add_cookie(ctx->reply, rs_dash_cookie(ctx, RS_DASH_PRE_COOKIE, "", 0));
	sodium_memzero(sid, sizeof(sid));
	rs_dash_lock(ctx);
	rs_dash_audit_add(ctx->srv->store, rs_server_now(), user, "login", NULL, ctx->req->addr);
	rs_dash_unlock(ctx);
	free(user);
	rs_dash_redirect(ctx, "/overview");
}

void rs_dash_logout_post(rs_dash_ctx *ctx)
{
	rs_dash_audit(ctx, "logout", NULL);
	rs_dash_lock(ctx);
	rs_dash_session_end(ctx->srv->store, ctx->sid, rs_server_now());
	rs_dash_unlock(ctx);
	add_cookie(ctx->reply, rs_dash_cookie(ctx, RS_DASH_COOKIE, "", 0));
	rs_dash_redirect(ctx, "/login");
}
