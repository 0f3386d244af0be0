/*
 * dash_pages_bundles.c — the dashboard's evidence bundles: a link beside a
 * collect task whose bundle reached the server, and GET /bundle?id=TASK
 * (analyst, admin) sending it, its SHA-256 checked first and the download
 * audited (as the API's GET /api/v1/bundles/TASK).
 */
#include "server/dash.h"
#include "core/util.h"
#include "fleet/proto.h"

#include <string.h>

void rs_dash_bundle_link(rs_dash_ctx *ctx, rs_buf *b, const json_t *t)
{
	const json_t *result = json_object_get(t, "result");
	if (strcmp(rs_dash_str(t, "kind"), "collect") != 0 || !json_is_true(json_object_get(result, "uploaded")) ||
	    !rs_role_allows(ctx->role, RS_ACT_TASK))
		return;
	rs_buf_puts(b, " <a class=\"bundle\" href=\"/bundle?id=");
	rs_url_enc(b, rs_dash_str(t, "id"));
	rs_buf_puts(b, "\">");
	rs_html_escape(b, rs_tr(ctx->lang, S_BUNDLE_DOWNLOAD));
	rs_buf_puts(b, "</a>");
}

void rs_page_bundle(rs_dash_ctx *ctx)
{
	const char *id = rs_dash_arg(ctx, "id");
	if (!id || !rs_fleet_is_hex(id, RS_FLEET_ID_HEX)) {
		rs_dash_error(ctx, MHD_HTTP_BAD_REQUEST, S_BAD_REQUEST);
		return;
	}
	rs_bundle_download(ctx->srv, id, ctx->session.user, ctx->req->addr, ctx->reply);
	if (ctx->reply->status == MHD_HTTP_NOT_FOUND)
		rs_dash_error(ctx, MHD_HTTP_NOT_FOUND, S_NOT_FOUND);
}
