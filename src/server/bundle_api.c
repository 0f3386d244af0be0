/*
 * bundle_api.c — the evidence bundles of collect tasks in the API: the
 * agent uploads its task's bundle (POST /api/v1/bundles/TASK, signed: the
 * task id is in the signed path, the bytes' SHA-256 in the signed text;
 * bounded to RS_FLEET_BUNDLE_MAX), the server hashes what it received and
 * stores it once; an operator lists them (GET /api/v1/bundles, any role)
 * and downloads one (GET /api/v1/bundles/TASK, analyst or admin: evidence
 * holds the host's files), the hash checked again before it is sent.
 */
#include "server/server_internal.h"
#include "core/digest.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"
#include "fleet/proto.h"
#include "store/dash.h"
#include "store/fleet_bundles.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void db_error(rs_reply *reply)
{
	rs_reply_error(reply, MHD_HTTP_SERVICE_UNAVAILABLE, "database",
		       _("the server cannot reach its database; retry later"));
	reply->retry_after = 5;
}

/* The task id after PREFIX in the request's path, or NULL with a 400. */
static const char *task_of(rs_request *req, const char *prefix, rs_reply *reply)
{
	const char *id = req->url + strlen(prefix);
	if (!rs_fleet_is_hex(id, RS_FLEET_ID_HEX)) {
		rs_reply_error(reply, MHD_HTTP_BAD_REQUEST, "bad_request", _("not a task id (32 lowercase hex digits)"));
		return NULL;
	}
	return id;
}

/* POST /api/v1/bundles/TASK (signed; the body is the bundle's bytes) →
 * 200 {"task","size","sha256","duplicate"}. */
void rs_handle_bundle_upload(rs_server *srv, rs_request *req, rs_reply *reply)
{
	char agent[RS_FLEET_ID_HEX + 1];
	if (rs_agent_authenticate_counted(srv, req, reply, agent) < 0)
		return;
	const char *task = task_of(req, RS_FLEET_API "/bundles/", reply);
	if (!task)
		return;
	if (req->len == 0) {
		rs_reply_error(reply, MHD_HTTP_BAD_REQUEST, "bad_request", _("the bundle is empty"));
		return;
	}
	/* the body was spooled to disk as it arrived (http.c), hashed on the
	 * way; it is stored from the file's mapping */
	const char *hex = req->spool.digest;
	const void *data = rs_upload_spool_map(&req->spool);
	if (!data) {
		rs_reply_error(reply, MHD_HTTP_SERVICE_UNAVAILABLE, "spool", _("the server cannot read the upload back; retry later"));
		reply->retry_after = 60;
		return;
	}
	pthread_mutex_lock(&srv->db_lock);
	int rc = rs_fleet_bundle_put(srv->store, agent, task, data, req->len, hex, rs_server_now());
	pthread_mutex_unlock(&srv->db_lock);
	if (rc == 2)
		rs_reply_error(reply, MHD_HTTP_NOT_FOUND, "not_found", _("this agent has no collect task with this id"));
	else if (rc == 3)
		rs_reply_error(reply, MHD_HTTP_CONFLICT, "bundle_conflict",
			       _("another bundle was already stored for this task; it is kept"));
	else if (rc < 0)
		db_error(reply);
	else
		rs_reply_json(reply, MHD_HTTP_OK, json_pack("{s:s,s:I,s:s,s:b}", "task", task, "size",
							    (json_int_t)req->len, "sha256", hex, "duplicate", rc == 1));
}

/* GET /api/v1/bundles[?host=ID][&limit=N] → {"items":[…],"next":null}. */
void rs_handle_bundle_list(rs_server *srv, rs_request *req, rs_reply *reply)
{
	if (rs_operator_authorise(srv, req, reply, RS_ACT_READ, NULL) < 0)
		return;
	const char *host = rs_request_arg(req, "host");
	const char *limit_text = rs_request_arg(req, "limit");
	long limit = 100;
	if ((host && !rs_fleet_is_hex(host, RS_FLEET_ID_HEX)) ||
	    (limit_text && (!rs_parse_long(limit_text, &limit) || limit < 1 || limit > 1000))) {
		rs_reply_error(reply, MHD_HTTP_BAD_REQUEST, "bad_request", _("host is an agent id, limit 1 to 1000"));
		return;
	}
	pthread_mutex_lock(&srv->db_lock);
	json_t *list = rs_fleet_bundle_list(srv->store, host, (int)limit);
	pthread_mutex_unlock(&srv->db_lock);
	if (!list)
		db_error(reply);
	else
		rs_reply_json(reply, MHD_HTTP_OK, json_pack("{s:o,s:n}", "items", list, "next"));
}

void rs_bundle_download(rs_server *srv, const char *id, const char *who, const char *addr, rs_reply *reply)
{
	unsigned char *data = NULL;
	size_t len = 0;
	char agent[RS_FLEET_ID_HEX + 1] = "";
	pthread_mutex_lock(&srv->db_lock);
	int rc = rs_fleet_bundle_get(srv->store, id, &data, &len, agent);
	if (rc == 0)
		rs_dash_audit_add(srv->store, rs_server_now(), who, "bundle_download", id, addr);
	pthread_mutex_unlock(&srv->db_lock);
	if (rc == 1) {
		rs_reply_error(reply, MHD_HTTP_NOT_FOUND, "not_found", _("no bundle was uploaded for this task"));
	} else if (rc == 2) {
		rs_reply_error(reply, MHD_HTTP_INTERNAL_SERVER_ERROR, "integrity",
			       _("the stored bundle no longer matches its SHA-256; it is not handed out"));
	} else if (rc < 0) {
		db_error(reply);
	} else {
		rs_sha256_hex(data, len, reply->sha256);
		reply->raw = (char *)data;
		reply->raw_len = len;
		reply->content_type = "application/gzip";
		snprintf(reply->attachment, sizeof(reply->attachment), "attachment; filename=\"%s.tar.gz\"", id);
		reply->disposition = reply->attachment;
		reply->status = MHD_HTTP_OK;
	}
}

/* GET /api/v1/bundles/TASK (analyst, admin) → the bundle (application/gzip). */
void rs_handle_bundle_get(rs_server *srv, rs_request *req, rs_reply *reply)
{
	char who[40];
	if (rs_operator_authorise(srv, req, reply, RS_ACT_TASK, who) < 0)
		return;
	const char *task = task_of(req, RS_FLEET_API "/bundles/", reply);
	if (task)
		rs_bundle_download(srv, task, who, req->addr, reply);
}

#define PRUNE_PERIOD 3600

void rs_bundle_retention(rs_server *srv)
{
	if (srv->cfg.bundle_keep_days <= 0)
		return;
	long long now = rs_server_now();
	long long due = atomic_load(&srv->next_prune);
	if (now < due || !atomic_compare_exchange_strong(&srv->next_prune, &due, now + PRUNE_PERIOD))
		return;   /* not yet, or another thread does it */
	pthread_mutex_lock(&srv->db_lock);
	long long removed = rs_fleet_bundle_prune(srv->store, now - 86400LL * srv->cfg.bundle_keep_days);
	pthread_mutex_unlock(&srv->db_lock);
	if (removed < 0)
		rs_warn(_("%s: cannot remove the evidence bundles older than %d days: %s (tried again in an hour)"),
			rs_db_name(srv->store), srv->cfg.bundle_keep_days, rs_db_errmsg(srv->store));
	else if (removed > 0)
		fprintf(stderr, _("rasoat server: evidence bundles older than %d days removed: %lld\n"),
			srv->cfg.bundle_keep_days, removed);
}

long long rs_server_task_redeliver(const rs_server_config *cfg)
{
	if (cfg->task_redeliver > 0)
		return cfg->task_redeliver;
	long long wait = 2LL * cfg->checkin_interval;
	return wait < 60 ? 60 : wait;
}
