/*
 * dash_pages_tasks.c — the dashboard's tasks: the list with each task's
 * state as its agent reported it (also on the host page), the form that
 * queues a task of any kind for a host or a group (analyst, admin), and
 * the approval of a respond task's plan (admin). The form is turned into
 * the API's create body and checked by the same parser (fleet/task.h).
 */
#include "server/dash.h"
#include "fleet/proto.h"
#include "fleet/task.h"
#include "store/fleet_tasks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHOWN_MAX 300   /* characters of parameters or results shown */

/* Appends the compact JSON of V, cut at SHOWN_MAX characters, escaped. */
static void json_cell(rs_buf *b, const json_t *v)
{
	rs_buf_puts(b, "<td><code>");
	if (v && !json_is_null(v)) {
		char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		if (text && strlen(text) > SHOWN_MAX)
			strcpy(text + SHOWN_MAX - 3, "...");
		rs_html_escape(b, text ? text : "");
		free(text);
	}
	rs_buf_puts(b, "</code></td>");
}

void rs_dash_tasks_table(rs_dash_ctx *ctx, rs_buf *b, const json_t *tasks, bool with_host)
{
	if (!json_array_size(tasks)) {
		rs_buf_printf(b, "<p class=\"empty\">%s</p>", rs_tr(ctx->lang, S_NONE));
		return;
	}
	bool admin = rs_role_allows(ctx->role, RS_ACT_ADMIN);
	rs_buf_puts(b, "<table id=\"tasks\"><thead><tr>");
	rs_dash_th(ctx, b, S_CREATED);
	rs_dash_th(ctx, b, S_ID);
	if (with_host) {
		rs_dash_th(ctx, b, S_HOST);
		rs_dash_th(ctx, b, S_GROUP);
	}
	rs_dash_th(ctx, b, S_KIND);
	rs_dash_th(ctx, b, S_PARAMS);
	rs_dash_th(ctx, b, S_STATE);
	rs_dash_th(ctx, b, S_MESSAGE);
	rs_dash_th(ctx, b, S_CREATOR);
	rs_dash_th(ctx, b, S_APPROVED_BY);
	rs_buf_puts(b, "</tr></thead><tbody>");
	size_t i;
	json_t *t;
	json_array_foreach(tasks, i, t) {
		const char *state = rs_dash_str(t, "state");
		rs_buf_puts(b, "<tr>");
		rs_dash_td(b, rs_dash_str(t, "created"));
		rs_buf_puts(b, "<td><code>");
		rs_html_escape(b, rs_dash_str(t, "id"));
		rs_buf_puts(b, "</code></td>");
		if (with_host) {
			rs_buf_puts(b, "<td><a href=\"/host?id=");
			rs_url_enc(b, rs_dash_str(t, "agent"));
			rs_buf_puts(b, "\">");
			rs_html_escape(b, *rs_dash_str(t, "hostname") ? rs_dash_str(t, "hostname") : rs_dash_str(t, "agent"));
			rs_buf_puts(b, "</a></td>");
			rs_dash_td(b, rs_dash_str(t, "group"));
		}
		rs_dash_td(b, rs_dash_str(t, "kind"));
		json_cell(b, json_object_get(t, "params"));
		rs_buf_puts(b, "<td><span class=\"state state-");
		rs_html_escape(b, state);
		rs_buf_puts(b, "\">");
		rs_html_escape(b, state);
		rs_buf_puts(b, "</span>");
		if (admin && strcmp(state, "approval") == 0) {
			rs_buf_puts(b, "<form method=\"post\" action=\"/tasks/approve\" class=\"inline\">");
			rs_dash_csrf_input(ctx, b);
			rs_buf_puts(b, "<input type=\"hidden\" name=\"id\" value=\"");
			rs_html_escape(b, rs_dash_str(t, "id"));
			rs_buf_printf(b, "\"><button type=\"submit\">%s</button></form>", rs_tr(ctx->lang, S_APPROVE));
		}
		rs_buf_puts(b, "</td>");
		rs_buf_puts(b, "<td>");
		rs_html_escape(b, rs_dash_str(t, "message"));
		rs_dash_bundle_link(ctx, b, t);
		const json_t *result = json_object_get(t, "result");
		if (result && !json_is_null(result)) {
			rs_buf_puts(b, "<details><summary>result</summary>");
			char *text = json_dumps(result, JSON_COMPACT);
			if (text && strlen(text) > 4 * SHOWN_MAX)
				strcpy(text + 4 * SHOWN_MAX - 3, "...");
			rs_buf_puts(b, "<code>");
			rs_html_escape(b, text ? text : "");
			rs_buf_puts(b, "</code></details>");
			free(text);
		}
		rs_buf_puts(b, "</td>");
		rs_dash_td(b, rs_dash_str(t, "creator"));
		rs_dash_td(b, rs_dash_str(t, "approved_by"));
		rs_buf_puts(b, "</tr>");
	}
	rs_buf_puts(b, "</tbody></table>");
}

static void field(rs_dash_ctx *ctx, rs_buf *b, rs_str label, const char *name, bool area)
{
	rs_buf_printf(b, "<label>%s ", rs_tr(ctx->lang, label));
	if (area)
		rs_buf_printf(b, "<textarea name=\"%s\" rows=\"3\" cols=\"60\"></textarea>", name);
	else
		rs_buf_printf(b, "<input name=\"%s\" size=\"40\">", name);
	rs_buf_puts(b, "</label> ");
}

static void task_form(rs_dash_ctx *ctx, rs_buf *b)
{
	static const char *const kinds[] = { "scan", "collect", "drill", "update-content", "respond" };
	rs_buf_printf(b, "<h2>%s</h2><form method=\"post\" action=\"/tasks/create\" id=\"task-form\">",
		      rs_tr(ctx->lang, S_TASK_NEW));
	rs_dash_csrf_input(ctx, b);
	field(ctx, b, S_HOST_ID, "host", false);
	field(ctx, b, S_GROUP, "group", false);
	rs_buf_printf(b, "<label>%s <select name=\"type\">", rs_tr(ctx->lang, S_KIND));
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		rs_buf_printf(b, "<option value=\"%s\">%s</option>", kinds[i], kinds[i]);
	rs_buf_puts(b, "</select></label><br>");
	field(ctx, b, S_MODULES, "modules", false);
	field(ctx, b, S_RULES_FILTER, "rules", false);
	field(ctx, b, S_SCENARIO, "scenario", false);
	field(ctx, b, S_PATHS, "paths", true);
	field(ctx, b, S_PLAN, "plan", true);
	field(ctx, b, S_PLAN_TOKEN, "token", false);
	field(ctx, b, S_CONTENT_PATH, "content_path", false);
	field(ctx, b, S_CONTENT_TEXT, "content_text", true);
	rs_buf_printf(b, "<br><button type=\"submit\">%s</button></form>", rs_tr(ctx->lang, S_CREATE));
}

static void show_tasks(rs_dash_ctx *ctx, unsigned int status, const char *error)
{
	rs_dash_lock(ctx);
	json_t *tasks = rs_fleet_task_list(ctx->srv->store, NULL, NULL, 500);
	rs_dash_unlock(ctx);
	rs_buf b;
	rs_dash_page_begin(ctx, &b, S_TASKS);
	if (error) {
		rs_buf_printf(&b, "<p class=\"error\">%s ", rs_tr(ctx->lang, S_TASK_BAD));
		rs_html_escape(&b, error);
		rs_buf_puts(&b, "</p>");
	} else if (rs_dash_arg(ctx, "queued")) {
		rs_buf_printf(&b, "<p class=\"notice\">%s</p>", rs_tr(ctx->lang, S_TASKS_QUEUED));
	} else if (rs_dash_arg(ctx, "approved")) {
		rs_buf_printf(&b, "<p class=\"notice\">%s</p>", rs_tr(ctx->lang, S_TASK_APPROVED));
	}
	if (rs_role_allows(ctx->role, RS_ACT_TASK))
		task_form(ctx, &b);
	rs_buf_printf(&b, "<h2>%s</h2>", rs_tr(ctx->lang, S_TASKS));
	rs_dash_tasks_table(ctx, &b, tasks, true);
	rs_dash_page_end(ctx, &b, status);
	json_decref(tasks);
}

void rs_page_tasks(rs_dash_ctx *ctx)
{
	show_tasks(ctx, MHD_HTTP_OK, NULL);
}

/* Sets KEY of BODY to the form field NAME when it is given (not empty). */
static char *take(rs_dash_ctx *ctx, const char *name)
{
	char *v = rs_dash_field(ctx, name);
	if (v && !*rs_trim(v)) {
		free(v);
		return NULL;
	}
	return v;
}

/* A list of the parts of TEXT split at any of SEPS, trimmed, empty ones left out. */
static json_t *split_list(char *text, const char *seps)
{
	json_t *list = json_array();
	char *save = NULL;
	for (char *p = strtok_r(text, seps, &save); p; p = strtok_r(NULL, seps, &save))
		if (*rs_trim(p))
			json_array_append_new(list, json_string(rs_trim(p)));
	return list;
}

/* The API create body of the form. */
static json_t *form_body(rs_dash_ctx *ctx)
{
	json_t *body = json_object();
	static const char *const plain[] = { "host", "group", "type", "scenario", "token" };
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		char *v = take(ctx, plain[i]);
		if (v)
			json_object_set_new(body, plain[i], json_string(rs_trim(v)));
		free(v);
	}
	char *v = take(ctx, "modules");
	if (v)
		json_object_set_new(body, "modules", split_list(v, ", "));
	free(v);
	if ((v = take(ctx, "rules")))
		json_object_set_new(body, "rules", split_list(v, ", "));
	free(v);
	if ((v = take(ctx, "paths")))
		json_object_set_new(body, "paths", split_list(v, "\r\n"));
	free(v);
	if ((v = take(ctx, "plan"))) {
		json_t *plan = json_loads(v, JSON_REJECT_DUPLICATES, NULL);
		json_object_set_new(body, "plan", plan ? plan : json_string(v));
	}
	free(v);
	char *path = take(ctx, "content_path"), *text = rs_dash_field(ctx, "content_text");
	if (path) {
		size_t n = text ? strlen(text) : 0;
		char *b64 = malloc(sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL));
		if (b64) {
			sodium_bin2base64(b64, sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL),
					  (const unsigned char *)(text ? text : ""), n, sodium_base64_VARIANT_ORIGINAL);
			json_object_set_new(body, "files", json_pack("[{s:s,s:s}]", "path", rs_trim(path), "data", b64));
		}
		free(b64);
	}
	free(path);
	free(text);
	return body;
}

void rs_page_task_create(rs_dash_ctx *ctx)
{
	json_t *body = form_body(ctx);
	char *text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	char err[512];
	rs_task_spec spec;
	if (rs_task_parse_create(text, strlen(text), &spec, err, sizeof(err)) < 0) {
		free(text);
		/* the form again with the reason (200: the page itself is fine) */
		show_tasks(ctx, MHD_HTTP_OK, err);
		return;
	}
	free(text);
	json_t *ids = json_array();
	int rc = rs_task_queue_spec(ctx->srv, &spec, ctx->session.user, ctx->req->addr, ids, err, sizeof(err));
	rs_task_spec_free(&spec);
	json_decref(ids);
	if (rc == 0)
		show_tasks(ctx, MHD_HTTP_OK, rs_tr(ctx->lang, S_NOT_FOUND));
	else if (rc == -2)
		show_tasks(ctx, MHD_HTTP_OK, err);
	else if (rc < 0)
		rs_dash_error(ctx, MHD_HTTP_SERVICE_UNAVAILABLE, S_DB_ERROR);
	else
		rs_dash_redirect(ctx, "/tasks?queued=1");
}

void rs_page_task_approve(rs_dash_ctx *ctx)
{
	char *id = rs_dash_field(ctx, "id");
	if (!id || !rs_fleet_is_hex(id, RS_FLEET_ID_HEX)) {
		free(id);
		rs_dash_error(ctx, MHD_HTTP_BAD_REQUEST, S_BAD_REQUEST);
		return;
	}
	int rc = rs_task_approve(ctx->srv, id, ctx->session.user, ctx->req->addr);
	free(id);
	if (rc != 0)
		rs_dash_error(ctx, rc > 0 ? MHD_HTTP_NOT_FOUND : MHD_HTTP_SERVICE_UNAVAILABLE,
			      rc > 0 ? S_NOT_FOUND : S_DB_ERROR);
	else
		rs_dash_redirect(ctx, "/tasks?approved=1");
}
