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
#include "server/keycache.h"
#include "server/server_internal.h"
#include "core/log.h"
#include "core/util.h"
#include "store/fleet.h"
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

/* What a signed request asks of the database, run in one group-commit
 * transaction (server/group_commit.c): the counter is accepted (the agent
 * marked seen) and the request's own writes are done together, so a
 * request costs one share of one commit. */
typedef enum refusal {
	ACCEPTED = 0,
	REPLAYED,          /* the counter is not above the last accepted one */
	NOT_ENROLLED,      /* the agent was removed meanwhile */
} refusal;

typedef struct signed_job {
	const char *agent;
	unsigned long long counter;
	long long now;
	refusal refused;
	/* check-in */
	const rs_api_checkin *checkin;
	long long redeliver_after;     /* fleet_task_retry.c: tasks never reported */
	json_t *tasks;                 /* taken for the reply */
	/* results */
	const rs_fleet_upload *scans;  /* NULL: only the counter (a refused body) */
	const char *batch_id;
	size_t n;
	rs_fleet_batch_status status;
} signed_job;

/* Accepts the counter of J: 0 (J->refused tells), -1 error. */
static int accept_counter(rs_db *db, signed_job *j)
{
	int rc = rs_fleet_agent_accept(db, j->agent, j->counter, j->now);
	if (rc <= 0) {
		j->refused = ACCEPTED;
		return rc;
	}
	int active = rs_fleet_agent_active(db, j->agent);
	if (active < 0)
		return -1;
	j->refused = active == 0 ? REPLAYED : NOT_ENROLLED;
	return 0;
}

static int run_counter(rs_db *db, void *arg, bool *discard)
{
	(void)discard;
	return accept_counter(db, arg);
}

static int run_checkin(rs_db *db, void *arg, bool *discard)
{
	signed_job *j = arg;
	(void)discard;
	if (accept_counter(db, j) < 0)
		return -1;
	if (j->refused != ACCEPTED)
		return 0;
	if (j->checkin->has_host &&
	    rs_fleet_agent_set_facts(db, j->agent, j->checkin->host.hostname, j->checkin->host.facts) < 0)
		return -1;
	if (rs_fleet_task_redeliver(db, j->agent, j->now, j->redeliver_after, RS_TASK_REDELIVERIES,
				    RS_TASK_RUNNING_LIMIT + j->redeliver_after) < 0)
		return -1;
	/* the tasks queued for this host (dashboard "scan now", POST /api/v1/tasks),
	 * marked delivered in the same transaction */
	json_decref(j->tasks);   /* from a first run of the group, undone */
	j->tasks = rs_dash_task_take(db, j->agent, j->now);
	return j->tasks ? 0 : -1;
}

static int run_results(rs_db *db, void *arg, bool *discard)
{
	signed_job *j = arg;
	if (accept_counter(db, j) < 0)
		return -1;
	if (j->refused != ACCEPTED)
		return 0;
	j->status = rs_fleet_store_batch_in(db, j->agent, j->batch_id, j->scans, j->n, j->now);
	/* a duplicate wrote nothing (its counter stays accepted); a conflict
	 * is undone whole */
	*discard = j->status == RS_BATCH_CONFLICT;
	return j->status == RS_BATCH_ERROR ? -1 : 0;
}

/* The reply to J once its write ran with RESULT: 0, or -1 with the
 * refusal or the database error in REPLY. */
static int signed_outcome(const signed_job *j, int result, rs_reply *reply)
{
	if (result < 0) {
		db_error(reply);
		return -1;
	}
	if (j->refused == REPLAYED)
		return rs_reply_error(reply, MHD_HTTP_CONFLICT, "replayed_counter",
				      "the request counter is not above the last accepted one (a replay?)");
	if (j->refused == NOT_ENROLLED)
		return rs_reply_error(reply, MHD_HTTP_UNAUTHORIZED, "unknown_agent",
				      "no enrolled agent has this id; enrol again with a new token");
	return 0;
}

/* Runs J through the group commit, this thread waiting. 0, or -1 with the
 * refusal or the database error in REPLY. */
static int run_signed(rs_server *srv, signed_job *j, int (*run)(rs_db *, void *, bool *), rs_reply *reply)
{
	rs_write_job job = { .run = run, .arg = j };
	return signed_outcome(j, rs_group_write(srv, &job), reply);
}

/* A body that did not parse: its counter is still spent (as for any
 * signed request), then the body is refused with ERR. */
static void refuse_body(rs_server *srv, signed_job *j, const char *err, rs_reply *reply)
{
	if (run_signed(srv, j, run_counter, reply) == 0)
		rs_reply_error(reply, MHD_HTTP_BAD_REQUEST, "bad_request", err);
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
	if (st == RS_ENROLL_OK)
		rs_keycache_put(srv->keys, agent, e.public_key);
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

/* The signature headers parsed into AUTH and the agent's public key into
 * KEY: 0, or -1 with the refusal in REPLY. */
static int known_agent(rs_server *srv, rs_request *req, rs_fleet_auth *auth, unsigned char *key,
		       rs_reply *reply)
{
	char err[ERR_SIZE];
	if (rs_fleet_auth_parse(rs_request_header(req, RS_FLEET_HDR_AGENT),
				rs_request_header(req, RS_FLEET_HDR_COUNTER),
				rs_request_header(req, RS_FLEET_HDR_TIME),
				rs_request_header(req, RS_FLEET_HDR_SIGNATURE), auth, err, sizeof(err)) < 0)
		return rs_reply_error(reply, MHD_HTTP_UNAUTHORIZED, "bad_auth", err);
	if (!rs_keycache_get(srv->keys, auth->agent, key)) {
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
		rs_keycache_put(srv->keys, auth->agent, key);
	}
	return 0;
}

int rs_agent_precheck(rs_server *srv, rs_request *req, rs_reply *reply)
{
	rs_fleet_auth auth;
	unsigned char key[crypto_sign_PUBLICKEYBYTES];
	return known_agent(srv, req, &auth, key, reply);
}

/* Authenticates a signed request: a known agent, a signature that
 * verifies, within its rate and the clock skew. Returns 0 with the agent
 * id in AUTH (its counter is accepted later, with the request's writes),
 * or -1 with the refusal in REPLY. */
static int authenticate(rs_server *srv, rs_request *req, rs_fleet_auth *auth, rs_reply *reply)
{
	unsigned char key[crypto_sign_PUBLICKEYBYTES];
	if (known_agent(srv, req, auth, key, reply) < 0)
		return -1;
	bool verified = req->spooled ? rs_fleet_verify_digest(key, auth, req->method, req->path, req->spool.digest)
				     : rs_fleet_verify(key, auth, req->method, req->path, req->body, req->len);
	if (!verified)
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
	return 0;
}

/* A check-in or an upload between its handler and its reply: the signed
 * request, its parsed body and its write, left to the group commit
 * (rs_request_defer) so that the request thread is free meanwhile. */
typedef struct signed_call {
	rs_fleet_auth auth;
	signed_job j;
	rs_write_job job;
	rs_api_checkin checkin;
	bool has_checkin;
	rs_api_results results;
	bool has_results;
	rs_fleet_upload *up;
} signed_call;

static void signed_call_free(void *arg)
{
	signed_call *c = arg;
	if (c->has_checkin)
		rs_api_checkin_free(&c->checkin);
	if (c->has_results)
		rs_api_results_free(&c->results);
	json_decref(c->j.tasks);
	free(c->up);
	free(c);
}

/* Authenticates REQ into a new call: NULL with the refusal in REPLY. */
static signed_call *signed_call_new(rs_server *srv, rs_request *req, rs_reply *reply)
{
	signed_call *c = rs_calloc(1, sizeof(*c));
	if (authenticate(srv, req, &c->auth, reply) < 0) {
		free(c);
		return NULL;
	}
	c->j = (signed_job){ .agent = c->auth.agent, .counter = c->auth.counter, .now = rs_server_now() };
	return c;
}

static void finish_checkin(rs_server *srv, rs_request *req, rs_reply *reply)
{
	signed_call *c = req->state;
	if (signed_outcome(&c->j, c->job.result, reply) < 0)
		return;
	rs_bundle_retention(srv);   /* hourly, when --bundle-keep-days is set */
	json_t *tasks = c->j.tasks;
	c->j.tasks = NULL;
	rs_reply_json(reply, MHD_HTTP_OK, json_pack("{s:o,s:i,s:i,s:i,s:I}", "tasks", tasks,
		"interval", srv->cfg.checkin_interval, "scan_interval", srv->cfg.scan_interval,
		"backoff", 0, "time", (json_int_t)rs_server_now()));
}

void rs_handle_checkin(rs_server *srv, rs_request *req, rs_reply *reply)
{
	signed_call *c = signed_call_new(srv, req, reply);
	if (!c)
		return;
	char err[ERR_SIZE];
	c->has_checkin = true;
	if (rs_api_parse_checkin(req->body, req->len, &c->checkin, err, sizeof(err)) < 0) {
		refuse_body(srv, &c->j, err, reply);
		signed_call_free(c);
		return;
	}
	c->j.checkin = &c->checkin;
	c->j.redeliver_after = rs_server_task_redeliver(&srv->cfg);
	c->job = (rs_write_job){ .run = run_checkin, .arg = &c->j };
	rs_request_defer(req, &c->job, finish_checkin, c, signed_call_free);
}

static void finish_results(rs_server *srv, rs_request *req, rs_reply *reply)
{
	(void)srv;
	signed_call *c = req->state;
	if (signed_outcome(&c->j, c->job.result, reply) < 0)
		return;
	if (c->j.status == RS_BATCH_CONFLICT)
		rs_reply_error(reply, MHD_HTTP_CONFLICT, "scan_conflict",
			       "a scan id in the batch belongs to another agent");
	else
		rs_reply_json(reply, MHD_HTTP_OK, json_pack("{s:s,s:b}", "batch_id", c->results.batch_id,
			"duplicate", c->j.status == RS_BATCH_DUPLICATE));
}

void rs_handle_results(rs_server *srv, rs_request *req, rs_reply *reply)
{
	signed_call *c = signed_call_new(srv, req, reply);
	if (!c)
		return;
	char err[ERR_SIZE];
	rs_api_results *r = &c->results;
	c->has_results = true;
	if (rs_api_parse_results(req->body, req->len, r, err, sizeof(err)) < 0) {
		refuse_body(srv, &c->j, err, reply);
		signed_call_free(c);
		return;
	}
	c->up = rs_calloc(r->n_scans ? r->n_scans : 1, sizeof(*c->up));
	for (size_t i = 0; i < r->n_scans; i++) {
		c->up[i].summary = &r->scans[i].summary;
		c->up[i].findings = r->scans[i].findings;
		c->up[i].n_findings = r->scans[i].n_findings;
		c->up[i].finding_json = r->scans[i].texts;
	}
	c->j.scans = c->up;
	c->j.batch_id = r->batch_id;
	c->j.n = r->n_scans;
	c->job = (rs_write_job){ .run = run_results, .arg = &c->j };
	rs_request_defer(req, &c->job, finish_results, c, signed_call_free);
}

int rs_agent_authenticate(rs_server *srv, rs_request *req, rs_reply *reply, char agent[RS_FLEET_ID_HEX + 1])
{
	rs_fleet_auth auth;
	if (authenticate(srv, req, &auth, reply) < 0)
		return -1;
	snprintf(agent, RS_FLEET_ID_HEX + 1, "%s", auth.agent);
	return 0;
}

int rs_agent_authenticate_counted(rs_server *srv, rs_request *req, rs_reply *reply,
				  char agent[RS_FLEET_ID_HEX + 1])
{
	rs_fleet_auth auth;
	if (authenticate(srv, req, &auth, reply) < 0)
		return -1;
	signed_job j = { .agent = auth.agent, .counter = auth.counter, .now = rs_server_now() };
	if (run_signed(srv, &j, run_counter, reply) < 0)
		return -1;
	snprintf(agent, RS_FLEET_ID_HEX + 1, "%s", auth.agent);
	return 0;
}
