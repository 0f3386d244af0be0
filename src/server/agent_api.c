/*
 * agent_api.c — the agent side of /api/v1: enrolment with a token, and the
 * signed check-in and result uploads. A signed request is accepted only
 * when its agent is known, its Ed25519 signature verifies over the signed
 * text (fleet/proto.h), its time is within RS_FLEET_MAX_SKEW of ours, its
 * counter is above the last accepted one and the agent is within its rate.
 * Bodies are parsed strictly (api_parse.h) and stored through prepared
 * statements only.
 */
#include "server/api_parse.h"
#include "server/server_internal.h"
#include "core/log.h"
#include "core/util.h"
#include "store/fleet.h"
#include "store/dash.h"

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

typedef struct accept_job {
	const char *agent;
	unsigned long long counter;
	long long now;
} accept_job;

static int run_accept(rs_db *db, void *arg, bool *discard)
{
	accept_job *a = arg;
	(void)discard;
	return rs_fleet_agent_accept(db, a->agent, a->counter, a->now);
}

typedef struct facts_job {
	const char *agent, *hostname;
	const json_t *facts;
} facts_job;

static int run_facts(rs_db *db, void *arg, bool *discard)
{
	facts_job *f = arg;
	(void)discard;
	return rs_fleet_agent_set_facts(db, f->agent, f->hostname, f->facts);
}

typedef struct batch_job {
	const char *agent, *batch_id;
	const rs_fleet_upload *scans;
	size_t n;
	long long now;
} batch_job;

static int run_batch(rs_db *db, void *arg, bool *discard)
{
	batch_job *b = arg;
	rs_fleet_batch_status st = rs_fleet_store_batch_in(db, b->agent, b->batch_id, b->scans, b->n, b->now);
	*discard = st != RS_BATCH_STORED;
	return (int)st;
}

void rs_handle_enroll(rs_server *srv, rs_request *req, rs_reply *reply)
{
	char err[ERR_SIZE];
	rs_api_enroll e;
	if (rs_api_parse_enroll(req->body, req->len, &e, err, sizeof(err)) < 0) {
		rs_api_enroll_free(&e);
		rs_reply_error(reply, MHD_HTTP_BAD_REQUEST, "bad_request", err);
		return;
	}
	char agent[RS_FLEET_ID_HEX + 1];
	pthread_mutex_lock(&srv->db_lock);
	rs_fleet_enroll_status st = rs_fleet_enroll(srv->store, &e.token, e.public_key,
						    e.host.hostname, e.host.facts, rs_server_now(), agent);
	pthread_mutex_unlock(&srv->db_lock);
	rs_api_enroll_free(&e);
	switch (st) {
	case RS_ENROLL_OK:
		rs_reply_json(reply, MHD_HTTP_CREATED, json_pack("{s:s,s:i,s:i}", "agent", agent,
			"interval", srv->cfg.checkin_interval, "scan_interval", srv->cfg.scan_interval));
		rs_task_enroll_reply(srv, reply);
		break;
	case RS_ENROLL_BAD_TOKEN:
		rs_reply_error(reply, MHD_HTTP_UNAUTHORIZED, "token_invalid",
			       "unknown enrolment token; create one with `rasoat server token create`");
		break;
	case RS_ENROLL_EXPIRED:
		rs_reply_error(reply, MHD_HTTP_UNAUTHORIZED, "token_expired",
			       "the enrolment token has expired; create a new one");
		break;
	case RS_ENROLL_USED_UP:
		rs_reply_error(reply, MHD_HTTP_UNAUTHORIZED, "token_used_up",
			       "the enrolment token has no uses left; create a new one");
		break;
	case RS_ENROLL_REVOKED:
		rs_reply_error(reply, MHD_HTTP_UNAUTHORIZED, "token_revoked",
			       "the enrolment token was revoked; create a new one");
		break;
	default:
		db_error(reply);
	}
}

/* Authenticates a signed request. Returns 0 with the agent id in AUTH, or
 * -1 with the refusal in REPLY. */
static int authenticate(rs_server *srv, rs_request *req, rs_fleet_auth *auth, rs_reply *reply)
{
	char err[ERR_SIZE];
	if (rs_fleet_auth_parse(rs_request_header(req, RS_FLEET_HDR_AGENT),
				rs_request_header(req, RS_FLEET_HDR_COUNTER),
				rs_request_header(req, RS_FLEET_HDR_TIME),
				rs_request_header(req, RS_FLEET_HDR_SIGNATURE), auth, err, sizeof(err)) < 0)
		return rs_reply_error(reply, MHD_HTTP_UNAUTHORIZED, "bad_auth", err);
	unsigned char key[crypto_sign_PUBLICKEYBYTES];
	pthread_mutex_lock(&srv->db_lock);
	int found = rs_fleet_agent_key(srv->store, auth->agent, key);
	pthread_mutex_unlock(&srv->db_lock);
	if (found < 0) {
		db_error(reply);
		return -1;
	}
	if (found > 0)
		return rs_reply_error(reply, MHD_HTTP_UNAUTHORIZED, "unknown_agent",
				      "no enrolled agent has this id; enrol again with a new token");
	if (!rs_fleet_verify(key, auth, req->method, req->path, req->body, req->len))
		return rs_reply_error(reply, MHD_HTTP_UNAUTHORIZED, "bad_signature",
				      "the request signature does not verify with the agent's key");
	int wait = rs_ratelimit_take(srv->per_agent, auth->agent, rs_server_mono());
	if (wait > 0) {
		reply->retry_after = wait;
		return rs_reply_error(reply, MHD_HTTP_TOO_MANY_REQUESTS, "rate_limited",
				      "this agent sends too many requests; retry after the time given");
	}
	long long now = rs_server_now();
	if (auth->time > now + RS_FLEET_MAX_SKEW || auth->time < now - RS_FLEET_MAX_SKEW)
		return rs_reply_error(reply, MHD_HTTP_UNAUTHORIZED, "stale_time",
				      "the request time is more than 300 s from the server's; check the clocks");
	accept_job aj = { auth->agent, auth->counter, now };
	rs_write_job job = { .run = run_accept, .arg = &aj };
	int accepted = rs_group_write(srv, &job);
	if (accepted < 0) {
		db_error(reply);
		return -1;
	}
	if (accepted > 0)
		return rs_reply_error(reply, MHD_HTTP_CONFLICT, "replayed_counter",
				      "the request counter is not above the last accepted one (a replay?)");
	return 0;
}

void rs_handle_checkin(rs_server *srv, rs_request *req, rs_reply *reply)
{
	rs_fleet_auth auth;
	if (authenticate(srv, req, &auth, reply) < 0)
		return;
	char err[ERR_SIZE];
	rs_api_checkin c;
	if (rs_api_parse_checkin(req->body, req->len, &c, err, sizeof(err)) < 0) {
		rs_api_checkin_free(&c);
		rs_reply_error(reply, MHD_HTTP_BAD_REQUEST, "bad_request", err);
		return;
	}
	int rc = 0;
	json_t *tasks = NULL;
	if (c.has_host) {
		facts_job fj = { auth.agent, c.host.hostname, c.host.facts };
		rs_write_job job = { .run = run_facts, .arg = &fj };
		rc = rs_group_write(srv, &job);
	}
	/* the tasks queued for this host (dashboard "scan now", POST /api/v1/tasks) */
	if (rc == 0) {
		pthread_mutex_lock(&srv->db_lock);
		tasks = rs_dash_task_take(srv->store, auth.agent, rs_server_now());
		pthread_mutex_unlock(&srv->db_lock);
	}
	rs_api_checkin_free(&c);
	if (rc < 0 || !tasks) {
		json_decref(tasks);
		db_error(reply);
		return;
	}
	rs_reply_json(reply, MHD_HTTP_OK, json_pack("{s:o,s:i,s:i,s:i,s:I}", "tasks", tasks,
		"interval", srv->cfg.checkin_interval, "scan_interval", srv->cfg.scan_interval,
		"backoff", 0, "time", (json_int_t)rs_server_now()));
}

void rs_handle_results(rs_server *srv, rs_request *req, rs_reply *reply)
{
	rs_fleet_auth auth;
	if (authenticate(srv, req, &auth, reply) < 0)
		return;
	char err[ERR_SIZE];
	rs_api_results r;
	if (rs_api_parse_results(req->body, req->len, &r, err, sizeof(err)) < 0) {
		rs_api_results_free(&r);
		rs_reply_error(reply, MHD_HTTP_BAD_REQUEST, "bad_request", err);
		return;
	}
	rs_fleet_upload *up = rs_calloc(r.n_scans, sizeof(*up));
	for (size_t i = 0; i < r.n_scans; i++) {
		up[i].summary = &r.scans[i].summary;
		up[i].findings = r.scans[i].findings;
		up[i].n_findings = r.scans[i].n_findings;
	}
	batch_job bj = { auth.agent, r.batch_id, up, r.n_scans, rs_server_now() };
	rs_write_job job = { .run = run_batch, .arg = &bj };
	int result = rs_group_write(srv, &job);
	rs_fleet_batch_status st = result < 0 ? RS_BATCH_ERROR : (rs_fleet_batch_status)result;
	free(up);
	if (st == RS_BATCH_STORED || st == RS_BATCH_DUPLICATE)
		rs_reply_json(reply, MHD_HTTP_OK, json_pack("{s:s,s:b}", "batch_id", r.batch_id,
			"duplicate", st == RS_BATCH_DUPLICATE));
	else if (st == RS_BATCH_CONFLICT)
		rs_reply_error(reply, MHD_HTTP_CONFLICT, "scan_conflict",
			       "a scan id in the batch belongs to another agent");
	else
		db_error(reply);
	rs_api_results_free(&r);
}

int rs_agent_authenticate(rs_server *srv, rs_request *req, rs_reply *reply, char agent[RS_FLEET_ID_HEX + 1])
{
	rs_fleet_auth auth;
	if (authenticate(srv, req, &auth, reply) < 0)
		return -1;
	snprintf(agent, RS_FLEET_ID_HEX + 1, "%s", auth.agent);
	return 0;
}
