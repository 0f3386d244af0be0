/*
 * dash.h — the dashboard's parts inside the fleet server: HTML escaping and
 * URL encoding (dash_html.c), form bodies and cookies (dash_form.c), the
 * string tables of each language (dash_i18n.c), sessions, login and CSRF
 * (dash_auth.c), the pages (dash_pages*.c) and the route table (dash.c).
 */
#ifndef RS_SERVER_DASH_H
#define RS_SERVER_DASH_H

#include "core/html.h"
#include "core/util.h"
#include "fleet/roles.h"
#include "server/server_internal.h"
#include "store/dash.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define RS_DASH_LOGIN_RATE 0.2      /* login attempts a second per address ... */
#define RS_DASH_LOGIN_BURST 10      /* ... with bursts of this many */
#define RS_DASH_SESSION_TTL (8 * 3600)
#define RS_DASH_COOKIE "rs_session"
#define RS_DASH_PRE_COOKIE "rs_pre"   /* the login form's CSRF value (double submit) */
#define RS_DASH_LANG_COOKIE "rs_lang"

/* ---- dash_html.c (HTML escaping is rs_html_escape, core/html.h) ---- */
/* Appends S percent-encoded for a URL query value (unreserved bytes kept). */
void rs_url_enc(rs_buf *b, const char *s);
/* Appends S as one CSV field (quoted when needed; a leading = + - @ is
 * prefixed with ' so a spreadsheet does not run it as a formula). */
void rs_csv_field(rs_buf *b, const char *s);
/* The string member KEY of O, or "" (never NULL). */
const char *rs_dash_str(const json_t *o, const char *key);

/* ---- dash_form.c ---- */
/* The decoded value of NAME in the application/x-www-form-urlencoded BODY
 * (or a query string), malloc'd; NULL when absent or malformed (a bad %
 * escape, a NUL byte, longer than 8 KiB). */
char *rs_form_get(const char *body, size_t len, const char *name);
/* The value of cookie NAME in a Cookie header into OUT; false when absent,
 * empty or too long. */
bool rs_cookie_get(const char *header, const char *name, char *out, size_t size);

/* ---- dash_i18n.c ---- */
typedef enum rs_lang { RS_LANG_EN = 0, RS_LANG_VI = 1, RS_LANG_COUNT } rs_lang;
#include "server/dash_strings.h"
/* Looks up the texts of every language in the catalogues (switching
 * gettext's process-wide language for it): call before any thread starts.
 * rs_tr calls it too, for programs that did not. */
void rs_dash_texts_init(void);
/* The text of ID in LANG. Never NULL. */
const char *rs_tr(rs_lang lang, rs_str id);
/* "en" / "vi" (anything else: English). */
rs_lang rs_lang_parse(const char *code);
const char *rs_lang_code(rs_lang lang);
/* 1 when every text of LANG is present and, in Vietnamese, translated (for
 * the unit test). */
int rs_tr_complete(rs_lang lang);

/* ---- dash_auth.c ---- */
/* One dashboard request as the pages see it. */
typedef struct rs_dash_ctx {
	rs_server *srv;
	rs_request *req;
	rs_reply *reply;
	rs_lang lang;
	bool logged_in;
	rs_dash_session session;
	rs_role role;
	char sid[RS_DASH_SID_HEX + 1];
	bool post;
} rs_dash_ctx;

/* Whether the form's csrf field equals WANT (constant time). */
bool rs_dash_csrf_ok(const char *given, const char *want);
/* Loads the session of the request's cookie into CTX (logged_in). */
void rs_dash_load_session(rs_dash_ctx *ctx);
void rs_dash_login_page(rs_dash_ctx *ctx, const char *error);
void rs_dash_login_post(rs_dash_ctx *ctx);
void rs_dash_logout_post(rs_dash_ctx *ctx);
/* A Set-Cookie value: NAME=VALUE with HttpOnly, SameSite=Strict, Path=/,
 * Secure when TLS, Max-Age AGE (0: delete). */
char *rs_dash_cookie(const rs_dash_ctx *ctx, const char *name, const char *value, long long age);
/* Writes the audit log line for the logged-in user. */
void rs_dash_audit(rs_dash_ctx *ctx, const char *action, const char *target);
/* Table cells for the pages (dash_html.c): a header cell with the text of
 * LABEL in the request's language, a data cell with TEXT escaped. */
void rs_dash_th(rs_dash_ctx *ctx, rs_buf *b, rs_str label);
void rs_dash_td(rs_buf *b, const char *text);
/* A header cell for each of the N LABELS, and a data cell for each of the
 * N string members KEYS of ROW ("" when absent), in order. */
void rs_dash_ths(rs_dash_ctx *ctx, rs_buf *b, const rs_str *labels, size_t n);
void rs_dash_tds(rs_buf *b, const json_t *row, const char *const *keys, size_t n);

/* ---- dash.c ---- */
/* The page frame: head, navigation for the role, TITLE; then the caller's
 * content; then rs_dash_page_end sets the reply. */
void rs_dash_page_begin(rs_dash_ctx *ctx, rs_buf *b, rs_str title);
void rs_dash_page_end(rs_dash_ctx *ctx, rs_buf *b, unsigned int status);
/* A plain error page (403, 404, 400, 503) with MESSAGE. */
void rs_dash_error(rs_dash_ctx *ctx, unsigned int status, rs_str message);
/* A 303 redirect to the local path TO. */
void rs_dash_redirect(rs_dash_ctx *ctx, const char *to);
/* A query argument of the request, or NULL. */
const char *rs_dash_arg(const rs_dash_ctx *ctx, const char *name);
/* A form field of the POST body (malloc'd) or NULL. */
char *rs_dash_field(const rs_dash_ctx *ctx, const char *name);
/* The hidden CSRF input of a form. */
void rs_dash_csrf_input(const rs_dash_ctx *ctx, rs_buf *b);
/* Severity badge and score helpers. */
void rs_dash_sev_badge(rs_dash_ctx *ctx, rs_buf *b, int severity);
/* An inline SVG line chart of TREND ([{"day","score"}]), 0-100. */
void rs_dash_trend_svg(rs_buf *b, const json_t *trend, const char *label);
/* Locks the store for the pages' queries. */
void rs_dash_lock(rs_dash_ctx *ctx);
void rs_dash_unlock(rs_dash_ctx *ctx);

/* ---- dash_pager.c ---- */
#define RS_DASH_PAGE_SIZE 100
/* The ?page=N argument (1 when absent or bad). */
long rs_dash_page_number(const rs_dash_ctx *ctx);
/* Page links for TOTAL rows of PATH, keeping the query arguments KEEP
 * (NULL-terminated); nothing when one page holds them all. */
void rs_dash_pager(const rs_dash_ctx *ctx, rs_buf *b, const char *path, const char *const *keep, long page,
		   size_t total);
/* Every host (rs_fleet_hosts items, followed through its cursor), or NULL
 * on a database error. Takes the store's lock itself. */
json_t *rs_dash_all_hosts(rs_dash_ctx *ctx, long long now);

/* dash_compliance.c: the compliance page's history section; 0 or -1 (database). */
int rs_dash_compliance_history(rs_dash_ctx *ctx, rs_buf *b);

/* ---- the pages (dash_pages.c, dash_pages_fleet.c, dash_pages_admin.c) ---- */
void rs_page_overview(rs_dash_ctx *ctx);
void rs_page_hosts(rs_dash_ctx *ctx);
void rs_page_host(rs_dash_ctx *ctx);
void rs_page_scan_now(rs_dash_ctx *ctx);
void rs_page_findings(rs_dash_ctx *ctx);
void rs_page_vulns(rs_dash_ctx *ctx);
void rs_page_compliance(rs_dash_ctx *ctx);
void rs_page_incidents(rs_dash_ctx *ctx);
void rs_page_tasks(rs_dash_ctx *ctx);
void rs_page_task_create(rs_dash_ctx *ctx);
void rs_page_task_approve(rs_dash_ctx *ctx);
/* GET /bundle?id=TASK (analyst): a collect task's uploaded bundle (dash_pages_bundles.c). */
void rs_page_bundle(rs_dash_ctx *ctx);
/* A link to the bundle of collect task T when it was uploaded. */
void rs_dash_bundle_link(rs_dash_ctx *ctx, rs_buf *b, const json_t *t);
/* The tasks table (dash_pages_tasks.c): states, messages, results, and an
 * approve button on respond tasks awaiting approval for an admin. */
void rs_dash_tasks_table(rs_dash_ctx *ctx, rs_buf *b, const json_t *tasks, bool with_host);
void rs_page_tokens(rs_dash_ctx *ctx);
void rs_page_token_create(rs_dash_ctx *ctx);
void rs_page_token_revoke(rs_dash_ctx *ctx);
void rs_page_users(rs_dash_ctx *ctx);
void rs_page_user_create(rs_dash_ctx *ctx);
void rs_page_user_remove(rs_dash_ctx *ctx);
void rs_page_audit(rs_dash_ctx *ctx);

#endif
