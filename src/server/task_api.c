/*
 * task_api.c — tasks in the API: POST /api/v1/tasks (analyst, admin: a
 * task of any kind for a host or a group), GET /api/v1/tasks (any role),
 * POST /api/v1/tasks/approve (admin: a respond task's plan), and the
 * agent's signed POST /api/v1/tasks/report (its task's state). The
 * dashboard's task forms go through rs_task_queue_spec as the API does.
 * Also the enrolment reply's content key (the key an agent pins).
 */
#include "server/server_internal.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"
#include "fleet/proto.h"
#include "fleet/roles.h"
#include "fleet/task.h"
#include "store/dash.h"
#include "store/fleet_tasks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ERR_SIZE 512

static void db_error(rs_reply *reply)
{
	rs_reply_error(reply, MHD_HTTP_SERVICE_UNAVAILABLE, "database",
		       "the server cannot reach its database; retry later");
	reply->retry_after = 5;
}

int rs_task_queue_spec(rs_server *srv, const rs_task_spec *spec, const char *who, const char *addr,
		       json_t *ids, char *err, size_t errsize)
{
	json_t *params = json_incref(spec->params);
	pthread_mutex_lock(&srv->db_lock);
	long long now = rs_server_now();
	int rc = 0;
	if (strcmp(spec->kind, "update-content") == 0) {
		/* the server builds the bundle and signs it with its content key */
		unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
		char *bundle = NULL;
		if (rs_fleet_content_key(srv->store, now, pk, sk) < 0) {
			snprintf(err, errsize, "the server cannot read its content key");
			rc = -1;
		} else if (!(bundle = rs_content_build(json_object_get(spec->params, "files"), now, err, errsize))) {
			rc = -2;
		} else {
			char sig[89];
			rs_content_sign(sk, bundle, sig);
			json_decref(params);
			params = json_pack("{s:s,s:s}", "bundle", bundle, "signature", sig);
		}
		sodium_memzero(sk, sizeof(sk));
		free(bundle);
	}
	if (rc == 0) {
		rc = rs_fleet_task_queue(srv->store, now, who, *spec->host ? spec->host : NULL,
					 *spec->group ? spec->group : NULL, spec->kind, params, ids);
		if (rc < 0)
			snprintf(err, errsize, "the server cannot write to its database");
	}
	if (rc > 0) {
		char action[32], target[80];
		snprintf(action, sizeof(action), "task_%s", spec->kind);
		snprintf(target, sizeof(target), "%s%s", *spec->host ? "" : "group:", *spec->host ? spec->host : spec->group);
		rs_dash_audit_add(srv->store, now, who, action, target, addr);
	}
	pthread_mutex_unlock(&srv->db_lock);
	json_decref(params);
	return rc;
}

/* POST /api/v1/tasks → 201 {"ids":[…],"count":N}. */
void rs_handle_task_create(rs_server *srv, rs_request *req, rs_reply *reply)
{
	char who[40], err[ERR_SIZE];
	if (rs_operator_authorise(srv, req, reply, RS_ACT_TASK, who) < 0)
		return;
	rs_task_spec spec;
	if (rs_task_parse_create(req->body, req->len, &spec, err, sizeof(err)) < 0) {
		rs_reply_error(reply, MHD_HTTP_BAD_REQUEST, "bad_request", err);
		return;
	}
	json_t *ids = json_array();
	int rc = rs_task_queue_spec(srv, &spec, who, req->addr, ids, err, sizeof(err));
	rs_task_spec_free(&spec);
	if (rc == 0)
		rs_reply_error(reply, MHD_HTTP_NOT_FOUND, "not_found", "no such host, or no host in the group");
	else if (rc == -2)
		rs_reply_error(reply, MHD_HTTP_BAD_REQUEST, "bad_request", err);
	else if (rc < 0)
		db_error(reply);
	else {
		/* "id" (the first) as the single-host reply always had */
		rs_reply_json(reply, MHD_HTTP_CREATED, json_pack("{s:O,s:O,s:i}", "id", json_array_get(ids, 0), "ids", ids,
								 "count", rc));
	}
	json_decref(ids);
}

/* GET /api/v1/tasks[?host=ID][&state=S][&limit=N] → {"items":[…],"next":null}. */
void rs_handle_task_list(rs_server *srv, rs_request *req, rs_reply *reply)
{
	if (rs_operator_authorise(srv, req, reply, RS_ACT_READ, NULL) < 0)
		return;
	const char *host = rs_request_arg(req, "host");
	const char *state = rs_request_arg(req, "state");
	const char *limit_text = rs_request_arg(req, "limit");
	long limit = 100;
	if ((host && !rs_fleet_is_hex(host, RS_FLEET_ID_HEX)) || (state && strlen(state) > 16) ||
	    (limit_text && (!rs_parse_long(limit_text, &limit) || limit < 1 || limit > 1000))) {
		rs_reply_error(reply, MHD_HTTP_BAD_REQUEST, "bad_request",
			       "host is an agent id, state a task state, limit 1 to 1000");
		return;
	}
	pthread_mutex_lock(&srv->db_lock);
	json_t *list = rs_fleet_task_list(srv->store, host, state, (int)limit);
	pthread_mutex_unlock(&srv->db_lock);
	if (!list)
		db_error(reply);
	else
		rs_reply_json(reply, MHD_HTTP_OK, json_pack("{s:o,s:n}", "items", list, "next"));
}

int rs_task_approve(rs_server *srv, const char *id, const char *who, const char *addr)
{
	pthread_mutex_lock(&srv->db_lock);
	int rc = rs_fleet_task_approve(srv->store, id, who, rs_server_now());
	if (rc == 0)
		rs_dash_audit_add(srv->store, rs_server_now(), who, "task_approve", id, addr);
	pthread_mutex_unlock(&srv->db_lock);
	return rc;
}

/* POST /api/v1/tasks/approve {"id":TASK} (admin) → 200 {"id","state":"queued"}. */
void rs_handle_task_approve(rs_server *srv, rs_request *req, rs_reply *reply)
{
	char who[40];
	if (rs_operator_authorise(srv, req, reply, RS_ACT_ADMIN, who) < 0)
		return;
	json_t *body = json_loadb(req->body ? req->body : "", req->len, JSON_REJECT_DUPLICATES, NULL);
	const char *id = json_string_value(json_object_get(body, "id"));
	if (!json_is_object(body) || !id || !rs_fleet_is_hex(id, RS_FLEET_ID_HEX)) {
		json_decref(body);
		rs_reply_error(reply, MHD_HTTP_BAD_REQUEST, "bad_request", "give {\"id\": TASK_ID}");
		return;
	}
	int rc = rs_task_approve(srv, id, who, req->addr);
	if (rc > 0)
		rs_reply_error(reply, MHD_HTTP_NOT_FOUND, "not_found", "no respond task awaiting approval has this id");
	else if (rc < 0)
		db_error(reply);
	else
		rs_reply_json(reply, MHD_HTTP_OK, json_pack("{s:s,s:s}", "id", id, "state", "queued"));
	json_decref(body);
}

/* POST /api/v1/tasks/report (signed by the agent) → 200 {"id","state"}. */
void rs_handle_task_report(rs_server *srv, rs_request *req, rs_reply *reply)
{
	char agent[RS_FLEET_ID_HEX + 1], err[ERR_SIZE];
	if (rs_agent_authenticate_counted(srv, req, reply, agent) < 0)
		return;
	rs_task_report r;
	if (rs_task_parse_report(req->body, req->len, &r, err, sizeof(err)) < 0) {
		rs_reply_error(reply, MHD_HTTP_BAD_REQUEST, "bad_request", err);
		return;
	}
	pthread_mutex_lock(&srv->db_lock);
	int rc = rs_fleet_task_report(srv->store, agent, r.id, r.state, r.message, r.result, rs_server_now());
	pthread_mutex_unlock(&srv->db_lock);
	if (rc == 1)
		rs_reply_error(reply, MHD_HTTP_NOT_FOUND, "not_found", "this agent has no task with this id");
	else if (rc == 2)
		rs_reply_error(reply, MHD_HTTP_CONFLICT, "bad_state", "the task's state cannot change that way");
	else if (rc < 0)
		db_error(reply);
	else
		rs_reply_json(reply, MHD_HTTP_OK, json_pack("{s:s,s:s}", "id", r.id, "state", r.state));
	rs_task_report_free(&r);
}

void rs_task_enroll_reply(rs_server *srv, rs_reply *reply)
{
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
	pthread_mutex_lock(&srv->db_lock);
	int rc = rs_fleet_content_key(srv->store, rs_server_now(), pk, sk);
	pthread_mutex_unlock(&srv->db_lock);
	sodium_memzero(sk, sizeof(sk));
	if (rc < 0 || !json_is_object(reply->body)) {
		rs_warn(_("cannot hand the content key to an enrolling agent; it will refuse content updates"));
		return;
	}
	char b64[RS_FLEET_KEY_B64 + 1];
	rs_fleet_base64(pk, sizeof(pk), b64, sizeof(b64));
	json_object_set_new(reply->body, "content_key", json_string(b64));
}
