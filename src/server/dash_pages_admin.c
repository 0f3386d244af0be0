/*
 * dash_pages_admin.c — the admin's pages: enrolment tokens (create, shown
 * once; revoke), users (create with a role, remove; the last admin stays),
 * and the audit log. Each change is written to the audit log.
 */
#include "server/dash.h"
#include "store/fleet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void label_input(rs_dash_ctx *ctx, rs_buf *b, rs_str label, const char *input)
{
	rs_buf_puts(b, "<label>");
	rs_html_escape(b, rs_tr(ctx->lang, label));
	rs_buf_printf(b, " %s</label> ", input);
}

static void button(rs_dash_ctx *ctx, rs_buf *b, rs_str label, const char *id)
{
	rs_buf_printf(b, "<button type=\"submit\" id=\"%s\">", id);
	rs_html_escape(b, rs_tr(ctx->lang, label));
	rs_buf_puts(b, "</button>");
}

/* A form posting FIELD=VALUE to ACTION after the user confirms, with the
 * button LABEL (id ID), for one row of a table. */
static void confirm_form(rs_dash_ctx *ctx, rs_buf *b, const char *action, const char *field, const char *value,
			 rs_str label, const char *id)
{
	rs_buf_printf(b, "<form method=\"post\" action=\"%s\" class=\"inline\" data-confirm=\"1\">", action);
	rs_dash_csrf_input(ctx, b);
	rs_buf_printf(b, "<input type=\"hidden\" name=\"%s\" value=\"", field);
	rs_html_escape(b, value);
	rs_buf_puts(b, "\">");
	button(ctx, b, label, id);
	rs_buf_puts(b, "</form>");
}

/* The tokens page; NEW_TOKEN (may be NULL) is shown once at the top. */
static void tokens_page(rs_dash_ctx *ctx, const char *new_token)
{
	rs_dash_lock(ctx);
	json_t *list = rs_fleet_token_list(ctx->srv->store, rs_server_now());
	rs_dash_unlock(ctx);
	rs_buf b;
	rs_dash_page_begin(ctx, &b, S_TOKENS);
	if (new_token) {
		rs_buf_puts(&b, "<p class=\"note\">");
		rs_html_escape(&b, rs_tr(ctx->lang, S_NEW_TOKEN));
		rs_buf_puts(&b, "</p><pre id=\"new-token\">");
		rs_html_escape(&b, new_token);
		rs_buf_puts(&b, "</pre>");
	}
	rs_buf_puts(&b, "<form method=\"post\" action=\"/tokens/create\" class=\"filters\" id=\"token-create\">");
	rs_dash_csrf_input(ctx, &b);
	label_input(ctx, &b, S_TTL_HOURS, "<input type=\"number\" name=\"ttl_hours\" value=\"24\" min=\"1\" max=\"8760\">");
	label_input(ctx, &b, S_USES, "<input type=\"number\" name=\"uses\" value=\"50\" min=\"1\" max=\"1000000\">");
	label_input(ctx, &b, S_GROUP, "<input name=\"group\" maxlength=\"64\">");
	button(ctx, &b, S_CREATE, "token-create-button");
	rs_buf_puts(&b, "</form><table id=\"tokens\"><thead><tr><th>ID</th>");
	static const rs_str heads[] = { S_GROUP, S_CREATED, S_EXPIRES, S_USES_LEFT, S_STATE };
	static const char *const keys[] = { "id", "group", "created", "expires" };
	rs_dash_ths(ctx, &b, heads, sizeof(heads) / sizeof(heads[0]));
	rs_buf_puts(&b, "<th></th></tr></thead><tbody>");
	size_t i;
	json_t *t;
	json_array_foreach(list, i, t) {
		rs_buf_puts(&b, "<tr>");
		rs_dash_tds(&b, t, keys, sizeof(keys) / sizeof(keys[0]));
		rs_buf_printf(&b, "<td class=\"num\">%lld / %lld</td>",
			      (long long)json_integer_value(json_object_get(t, "uses_left")),
			      (long long)json_integer_value(json_object_get(t, "uses")));
		rs_dash_td(&b, rs_dash_str(t, "state"));
		rs_buf_puts(&b, "<td>");
		if (!strcmp(rs_dash_str(t, "state"), "active"))
			confirm_form(ctx, &b, "/tokens/revoke", "id", rs_dash_str(t, "id"), S_REVOKE, "revoke");
		rs_buf_puts(&b, "</td></tr>");
	}
	rs_buf_puts(&b, "</tbody></table>");
	rs_dash_page_end(ctx, &b, MHD_HTTP_OK);
	json_decref(list);
}

void rs_page_tokens(rs_dash_ctx *ctx)
{
	tokens_page(ctx, NULL);
}

static bool field_long(rs_dash_ctx *ctx, const char *name, long lo, long hi, long *out)
{
	char *v = rs_dash_field(ctx, name);
	bool ok = v && rs_parse_long(v, out) && *out >= lo && *out <= hi;
	free(v);
	return ok;
}

void rs_page_token_create(rs_dash_ctx *ctx)
{
	long hours = 0, uses = 0;
	char *group = rs_dash_field(ctx, "group");
	if (group && !*group) {
		free(group);
		group = NULL;
	}
	bool group_ok = !group || (strlen(group) <= 64 && strspn(group,
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == strlen(group));
	if (!field_long(ctx, "ttl_hours", 1, 8760, &hours) || !field_long(ctx, "uses", 1, 1000000, &uses) || !group_ok) {
		free(group);
		rs_dash_error(ctx, MHD_HTTP_BAD_REQUEST, S_BAD_REQUEST);
		return;
	}
	char pin[65] = "";
	char err[256];
	if (ctx->srv->cfg.tls_cert && rs_server_cert_pin(ctx->srv->cfg.tls_cert, pin, err, sizeof(err)) < 0)
		pin[0] = '\0';
	char token[192];
	rs_dash_lock(ctx);
	int rc = rs_fleet_token_create(ctx->srv->store, rs_server_now(), (long long)hours * 3600, uses, group, pin,
				       token, sizeof(token));
	rs_dash_unlock(ctx);
	if (rc < 0) {
		free(group);
		rs_dash_error(ctx, MHD_HTTP_SERVICE_UNAVAILABLE, S_DB_ERROR);
		return;
	}
	char id[RS_FLEET_TOKEN_ID_HEX + 1];
	snprintf(id, sizeof(id), "%.16s", token + strlen("rst1."));
	rs_dash_audit(ctx, "token_create", id);
	tokens_page(ctx, token);
	sodium_memzero(token, sizeof(token));
	free(group);
}

void rs_page_token_revoke(rs_dash_ctx *ctx)
{
	char *id = rs_dash_field(ctx, "id");
	if (!id || !rs_fleet_is_hex(id, RS_FLEET_TOKEN_ID_HEX)) {
		free(id);
		rs_dash_error(ctx, MHD_HTTP_BAD_REQUEST, S_BAD_REQUEST);
		return;
	}
	rs_dash_lock(ctx);
	int rc = rs_fleet_token_revoke(ctx->srv->store, id);
	rs_dash_unlock(ctx);
	if (rc == 0)
		rs_dash_audit(ctx, "token_revoke", id);
	free(id);
	if (rc != 0)
		rs_dash_error(ctx, rc > 0 ? MHD_HTTP_NOT_FOUND : MHD_HTTP_SERVICE_UNAVAILABLE,
			      rc > 0 ? S_NOT_FOUND : S_DB_ERROR);
	else
		rs_dash_redirect(ctx, "/tokens");
}

static void users_page(rs_dash_ctx *ctx, rs_str error)
{
	rs_dash_lock(ctx);
	json_t *list = rs_dash_user_list(ctx->srv->store);
	rs_dash_unlock(ctx);
	rs_buf b;
	rs_dash_page_begin(ctx, &b, S_USERS);
	if (error != S_COUNT) {
		rs_buf_puts(&b, "<p class=\"error\" id=\"user-error\">");
		rs_html_escape(&b, rs_tr(ctx->lang, error));
		rs_buf_puts(&b, "</p>");
	}
	rs_buf_puts(&b, "<form method=\"post\" action=\"/users/create\" class=\"filters\" id=\"user-create\">");
	rs_dash_csrf_input(ctx, &b);
	label_input(ctx, &b, S_USERNAME, "<input name=\"name\" maxlength=\"64\" required>");
	label_input(ctx, &b, S_ROLE, "<select name=\"role\"><option>viewer</option><option>analyst</option>"
		    "<option>admin</option></select>");
	label_input(ctx, &b, S_PASSWORD, "<input type=\"password\" name=\"password\" minlength=\"8\" "
		    "autocomplete=\"new-password\" required>");
	button(ctx, &b, S_CREATE, "user-create-button");
	rs_buf_puts(&b, "</form><table id=\"users\"><thead><tr>");
	static const rs_str heads[] = { S_USERNAME, S_ROLE, S_CREATED };
	static const char *const keys[] = { "name", "role", "created" };
	rs_dash_ths(ctx, &b, heads, sizeof(heads) / sizeof(heads[0]));
	rs_buf_puts(&b, "<th></th></tr></thead><tbody>");
	size_t i;
	json_t *u;
	json_array_foreach(list, i, u) {
		rs_buf_puts(&b, "<tr>");
		rs_dash_tds(&b, u, keys, sizeof(keys) / sizeof(keys[0]));
		rs_buf_puts(&b, "<td>");
		confirm_form(ctx, &b, "/users/remove", "name", rs_dash_str(u, "name"), S_REMOVE, "remove");
		rs_buf_puts(&b, "</td></tr>");
	}
	rs_buf_puts(&b, "</tbody></table>");
	rs_dash_page_end(ctx, &b, error == S_COUNT ? MHD_HTTP_OK : MHD_HTTP_BAD_REQUEST);
	json_decref(list);
}

void rs_page_users(rs_dash_ctx *ctx)
{
	users_page(ctx, S_COUNT);
}

void rs_page_user_create(rs_dash_ctx *ctx)
{
	char *name = rs_dash_field(ctx, "name");
	char *role = rs_dash_field(ctx, "role");
	char *password = rs_dash_field(ctx, "password");
	char err[256];
	int rc = -1;
	if (name && role && password) {
		rs_dash_lock(ctx);
		rc = rs_dash_user_add(ctx->srv->store, name, role, password, rs_server_now(), err, sizeof(err));
		rs_dash_unlock(ctx);
	}
	if (password)
		sodium_memzero(password, strlen(password));
	if (rc == 0) {
		char *what = rs_sprintf("%s (%s)", name, role);
		rs_dash_audit(ctx, "user_create", what);
		free(what);
		rs_dash_redirect(ctx, "/users");
	} else {
		users_page(ctx, S_USER_EXISTS);
	}
	free(name);
	free(role);
	free(password);
}

void rs_page_user_remove(rs_dash_ctx *ctx)
{
	char *name = rs_dash_field(ctx, "name");
	if (!name || !rs_dash_name_ok(name)) {
		free(name);
		rs_dash_error(ctx, MHD_HTTP_BAD_REQUEST, S_BAD_REQUEST);
		return;
	}
	rs_dash_lock(ctx);
	/* the last admin stays, so that someone can still manage the server */
	json_t *list = rs_dash_user_list(ctx->srv->store);
	bool last_admin = false;
	size_t i;
	json_t *u;
	json_array_foreach(list, i, u) if (!strcmp(rs_dash_str(u, "name"), name) && !strcmp(rs_dash_str(u, "role"), "admin"))
		last_admin = rs_dash_user_count(ctx->srv->store, "admin") <= 1;
	int rc = last_admin ? 1 : rs_dash_user_remove(ctx->srv->store, name);
	rs_dash_unlock(ctx);
	json_decref(list);
	if (last_admin) {
		users_page(ctx, S_LAST_ADMIN);
	} else if (rc == 0) {
		rs_dash_audit(ctx, "user_remove", name);
		rs_dash_redirect(ctx, "/users");
	} else {
		rs_dash_error(ctx, rc > 0 ? MHD_HTTP_NOT_FOUND : MHD_HTTP_SERVICE_UNAVAILABLE,
			      rc > 0 ? S_NOT_FOUND : S_DB_ERROR);
	}
	free(name);
}

void rs_page_audit(rs_dash_ctx *ctx)
{
	rs_dash_lock(ctx);
	json_t *list = rs_dash_audit_list(ctx->srv->store, 500);
	rs_dash_unlock(ctx);
	rs_buf b;
	rs_dash_page_begin(ctx, &b, S_AUDIT);
	rs_buf_puts(&b, "<table id=\"audit\"><thead><tr>");
	static const rs_str heads[] = { S_TIME, S_USER, S_ACTION, S_TARGET, S_ADDRESS };
	static const char *const keys[] = { "time", "user", "action", "target", "addr" };
	rs_dash_ths(ctx, &b, heads, sizeof(heads) / sizeof(heads[0]));
	rs_buf_puts(&b, "</tr></thead><tbody>");
	size_t i;
	json_t *e;
	json_array_foreach(list, i, e) {
		rs_buf_puts(&b, "<tr>");
		rs_dash_tds(&b, e, keys, sizeof(keys) / sizeof(keys[0]));
		rs_buf_puts(&b, "</tr>");
	}
	rs_buf_puts(&b, "</tbody></table>");
	rs_dash_page_end(ctx, &b, MHD_HTTP_OK);
	json_decref(list);
}
