/*
 * operator_api.c — the read side of /api/v1 for operators and scripts:
 * GET /hosts, /hosts/ID and /findings (any role), GET /tokens (admin)
 * (the task routes are in task_api.c), each with
 * "Authorization: Bearer KEY"; the role table is fleet/roles.h. Query values
 * are checked for form and bound to prepared statements.
 */
#include "server/server_internal.h"
#include "core/util.h"
#include "fleet/proto.h"
#include "store/fleet.h"
#include "store/dash.h"
#include "fleet/roles.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_LIMIT 100
#define MAX_LIMIT 1000

/* Checks the bearer key and that its role may do NEED. Returns 0 (the
 * key's id in KEY_ID when given), or -1 with the refusal in REPLY. */
static int authorise_for(rs_server *srv, rs_request *req, rs_reply *reply, rs_role_action need, char *key_id)
{
	const char *header = rs_request_header(req, MHD_HTTP_HEADER_AUTHORIZATION);
	if (!header || !rs_starts_with(header, "Bearer "))
		return rs_reply_error(reply, MHD_HTTP_UNAUTHORIZED, "no_key",
				      "give an API key: Authorization: Bearer KEY (`rasoat server apikey create`)");
	char role[16];
	pthread_mutex_lock(&srv->db_lock);
	int rc = rs_fleet_apikey_check(srv->store, header + strlen("Bearer "), role);
	pthread_mutex_unlock(&srv->db_lock);
	if (rc < 0) {
		rs_reply_error(reply, MHD_HTTP_SERVICE_UNAVAILABLE, "database",
			       "the server cannot reach its database; retry later");
		return -1;
	}
	if (rc > 0)
		return rs_reply_error(reply, MHD_HTTP_UNAUTHORIZED, "bad_key", "unknown or revoked API key");
	if (!rs_role_allows(rs_role_parse(role), need))
		return rs_reply_error(reply, MHD_HTTP_FORBIDDEN, "forbidden",
				      "this API key's role may not do this (viewer: read; analyst: tasks; admin: all)");
	if (key_id)
		snprintf(key_id, 40, "apikey:%.16s", header + strlen("Bearer rsk1."));
	return 0;
}

int rs_operator_authorise(rs_server *srv, rs_request *req, rs_reply *reply, rs_role_action need, char *key_id)
{
	return authorise_for(srv, req, reply, need, key_id);
}

static int authorise(rs_server *srv, rs_request *req, rs_reply *reply)
{
	return authorise_for(srv, req, reply, RS_ACT_READ, NULL);
}

/* ?limit=N (1..MAX_LIMIT). Returns 0, or -1 with a 400 in REPLY. */
static int page_limit(rs_request *req, rs_reply *reply, int *limit)
{
	const char *text = rs_request_arg(req, "limit");
	long n = DEFAULT_LIMIT;
	if (text && (!rs_parse_long(text, &n) || n < 1 || n > MAX_LIMIT))
		return rs_reply_error(reply, MHD_HTTP_BAD_REQUEST, "bad_request", "limit is not a number from 1 to 1000");
	*limit = (int)n;
	return 0;
}

static void db_error(rs_reply *reply)
{
	rs_reply_error(reply, MHD_HTTP_SERVICE_UNAVAILABLE, "database",
		       "the server cannot read its database; retry later");
}

void rs_handle_hosts(rs_server *srv, rs_request *req, rs_reply *reply)
{
	int limit = 0;
	if (authorise(srv, req, reply) < 0 || page_limit(req, reply, &limit) < 0)
		return;
	const char *after = rs_request_arg(req, "cursor");
	if (after && !rs_fleet_is_hex(after, RS_FLEET_ID_HEX)) {
		rs_reply_error(reply, MHD_HTTP_BAD_REQUEST, "bad_request", "cursor is not a host id");
		return;
	}
	pthread_mutex_lock(&srv->db_lock);
	json_t *page = rs_fleet_hosts(srv->store, rs_server_now(), after, limit);
	pthread_mutex_unlock(&srv->db_lock);
	if (!page)
		db_error(reply);
	else
		rs_reply_json(reply, MHD_HTTP_OK, page);
}

void rs_handle_host(rs_server *srv, rs_request *req, rs_reply *reply)
{
	if (authorise(srv, req, reply) < 0)
		return;
	const char *id = req->url + strlen(RS_FLEET_API "/hosts/");
	if (!rs_fleet_is_hex(id, RS_FLEET_ID_HEX)) {
		rs_reply_error(reply, MHD_HTTP_BAD_REQUEST, "bad_request", "not a host id (32 lowercase hex digits)");
		return;
	}
	pthread_mutex_lock(&srv->db_lock);
	json_t *host = rs_fleet_host(srv->store, rs_server_now(), id);
	pthread_mutex_unlock(&srv->db_lock);
	if (!host)
		rs_reply_error(reply, MHD_HTTP_NOT_FOUND, "not_found", "no such host");
	else
		rs_reply_json(reply, MHD_HTTP_OK, host);
}

/* Reads the finding filters of the query. Returns 0, or -1 with a 400. */
static int finding_filter(rs_request *req, rs_reply *reply, rs_fleet_finding_filter *f)
{
	memset(f, 0, sizeof(*f));
	if (page_limit(req, reply, &f->limit) < 0)
		return -1;
	f->host = rs_request_arg(req, "host");
	f->scan = rs_request_arg(req, "scan");
	f->module = rs_request_arg(req, "module");
	f->rule = rs_request_arg(req, "rule");
	const char *severity = rs_request_arg(req, "severity");
	const char *latest = rs_request_arg(req, "latest");
	const char *cursor = rs_request_arg(req, "cursor");
	rs_severity sev = RS_SEV_INFO;
	long after = 0;
	if ((f->host && !rs_fleet_is_hex(f->host, RS_FLEET_ID_HEX)) ||
	    (f->scan && !rs_fleet_is_hex(f->scan, RS_FLEET_ID_HEX)))
		return rs_reply_error(reply, MHD_HTTP_BAD_REQUEST, "bad_request", "host and scan are 32 lowercase hex digits");
	if ((f->module && strlen(f->module) > 32) || (f->rule && strlen(f->rule) > 512))
		return rs_reply_error(reply, MHD_HTTP_BAD_REQUEST, "bad_request", "module or rule is too long");
	if (severity && !rs_severity_parse(severity, &sev))
		return rs_reply_error(reply, MHD_HTTP_BAD_REQUEST, "bad_request",
				      "severity is not info, low, medium, high or critical");
	if (cursor && (!rs_parse_long(cursor, &after) || after < 0))
		return rs_reply_error(reply, MHD_HTTP_BAD_REQUEST, "bad_request", "cursor is not one this server gave");
	f->min_severity = (int)sev;
	f->latest = latest && (strcmp(latest, "1") == 0 || strcmp(latest, "true") == 0);
	f->after = after;
	return 0;
}

void rs_handle_findings(rs_server *srv, rs_request *req, rs_reply *reply)
{
	rs_fleet_finding_filter f;
	if (authorise(srv, req, reply) < 0 || finding_filter(req, reply, &f) < 0)
		return;
	pthread_mutex_lock(&srv->db_lock);
	json_t *page = rs_fleet_findings(srv->store, &f);
	pthread_mutex_unlock(&srv->db_lock);
	if (!page)
		db_error(reply);
	else
		rs_reply_json(reply, MHD_HTTP_OK, page);
}

/* GET /api/v1/tokens (admin): the enrolment tokens as `token list` prints them. */
void rs_handle_tokens(rs_server *srv, rs_request *req, rs_reply *reply)
{
	if (authorise_for(srv, req, reply, RS_ACT_ADMIN, NULL) < 0)
		return;
	pthread_mutex_lock(&srv->db_lock);
	json_t *list = rs_fleet_token_list(srv->store, rs_server_now());
	pthread_mutex_unlock(&srv->db_lock);
	if (!list)
		db_error(reply);
	else
		rs_reply_json(reply, MHD_HTTP_OK, json_pack("{s:o,s:n}", "items", list, "next"));
}
