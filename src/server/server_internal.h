/*
 * server_internal.h — what the parts of the fleet server share: the server
 * state (store and its lock, rate limits), one request as the handlers see
 * it, and the reply they build. http.c owns the connection; agent_api.c and
 * operator_api.c answer requests.
 */
#ifndef RS_SERVER_INTERNAL_H
#define RS_SERVER_INTERNAL_H

#include "server/keycache.h"
#include "server/ratelimit.h"
#include "server/server.h"
#include "server/upload_spool.h"
#include "store/db.h"
#include "core/lib_mhd.h"
#include "fleet/roles.h"

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

/* Connections the group commit uses on PostgreSQL (SQLite has one writer). */
#define RS_SERVER_WRITERS 4

typedef struct rs_server {
	rs_server_config cfg;
	rs_db *store;               /* SQLite or PostgreSQL (store/db.h) */
	struct rs_store *incidents; /* --incidents: the incident records' SQLite store, or NULL */
	pthread_mutex_t db_lock;    /* one writer and reader at a time on the connection */
	pthread_mutex_t queue_lock; /* the group commit's queue (group_commit.c) */
	pthread_cond_t queue_ready; /* jobs were queued, or the writers are to stop */
	pthread_cond_t queue_moved; /* a group finished: its jobs are done */
	struct rs_write_job *queue;
	struct rs_write_job **queue_tail;
	/* the group commit's writer threads, one per connection: [0] is STORE
	 * (under DB_LOCK); on PostgreSQL more of its own, so several groups
	 * commit at once */
	rs_db *writers[RS_SERVER_WRITERS];
	pthread_t writer_threads[RS_SERVER_WRITERS];
	struct rs_writer_arg {
		struct rs_server *srv;
		int index;
	} writer_args[RS_SERVER_WRITERS];
	int n_writers;
	int n_threads;              /* writer threads started */
	bool writers_stop;          /* under QUEUE_LOCK: the writers end once the queue is empty */
	bool no_suspend;            /* under QUEUE_LOCK: the server is stopping, requests wait in their thread */
	int suspended;              /* under QUEUE_LOCK: connections suspended for a write, not yet answered */
	rs_ratelimit *per_agent;
	rs_ratelimit *per_addr;
	rs_ratelimit *logins;       /* login attempts per client address */
	rs_keycache *keys;          /* agents' public keys (agent_api.c) */
	atomic_llong next_prune;    /* when expired bundles are removed next (bundle_api.c) */
} rs_server;

struct rs_reply;

typedef struct rs_request {
	struct MHD_Connection *conn;
	const char *method;
	const char *path;           /* the route's canonical path (what is signed) */
	const char *url;            /* as requested */
	char addr[64];              /* client address, for limits and the log */
	char *body;
	size_t len;
	size_t cap;
	size_t limit;
	const void *route;
	/* a body spooled to disk as it arrives (the bundle upload): then
	 * BODY stays NULL, LEN counts the bytes, SPOOL.digest is its SHA-256 */
	bool spooled;
	rs_upload_spool spool;
	/* a write the handler left to the group commit (rs_request_defer):
	 * http.c suspends the connection and queues JOB; once the writer has
	 * committed it, the connection is resumed and FINISH builds the reply.
	 * STATE is the handler's, freed with STATE_FREE when the request ends. */
	struct rs_write_job *job;
	void (*finish)(struct rs_server *srv, struct rs_request *req, struct rs_reply *reply);
	void *state;
	void (*state_free)(void *state);
	bool suspended;             /* JOB is queued and the connection suspended */
} rs_request;

typedef struct rs_reply {
	unsigned int status;
	json_t *body;               /* owned */
	int retry_after;            /* seconds; 0: no Retry-After header */
	/* the dashboard's replies (server/dash.c): a body other than JSON */
	char *raw;                  /* owned; sent instead of BODY when set */
	size_t raw_len;
	const char *content_type;   /* of RAW */
	const char *disposition;    /* Content-Disposition, or NULL */
	char *set_cookie[3];        /* owned Set-Cookie values */
	char *location;             /* owned; a redirect's target */
	bool html;                  /* add the HTML security headers (CSP, frames) */
	char sha256[65];            /* a download's SHA-256 (X-Rasoat-SHA256), "" for none */
	char attachment[96];        /* storage for DISPOSITION when built per reply */
} rs_reply;

/* Sets REPLY to an error: {"error":CODE,"message":MESSAGE}. Returns -1. */
int rs_reply_error(rs_reply *reply, unsigned int status, const char *code, const char *message);
/* Sets REPLY to STATUS with BODY (taken). Returns 0. */
int rs_reply_json(rs_reply *reply, unsigned int status, json_t *body);

/* A header of the request, or NULL. */
const char *rs_request_header(const rs_request *req, const char *name);
/* A query argument of the request, or NULL. */
const char *rs_request_arg(const rs_request *req, const char *name);

/* Unix seconds, and a monotonic clock in seconds for rate limits. */
long long rs_server_now(void);
double rs_server_mono(void);

/* group_commit.c: writes of many request threads share one transaction
 * (one commit, one fsync). RUN does its statements inside the open
 * transaction and returns its status; with DISCARD set (or a status < 0)
 * its part is rolled back to its own savepoint, the others stay. RUN may
 * be called twice for one job (the group is run again with savepoints
 * when a job failed): it must start afresh each time. */
typedef struct rs_write_job {
	int (*run)(rs_db *db, void *arg, bool *discard);
	void *arg;
	int result;                 /* RUN's status, or -1 when the commit failed */
	bool done;
	struct MHD_Connection *conn; /* rs_group_submit: resumed once JOB is done */
	struct rs_write_job *next;
} rs_write_job;

/* Opens the extra writer connections (PostgreSQL) and starts one writer
 * thread per connection: 0 / -1 logged. */
int rs_group_commit_init(rs_server *srv);
/* Stops the writer threads (after the HTTP daemon stopped) and closes
 * their connections. */
void rs_group_commit_free(rs_server *srv);
/* Runs JOB in the next group transaction and returns its result (the
 * calling thread waits). */
int rs_group_write(rs_server *srv, rs_write_job *job);
/* Suspends CONN (from its request thread), queues JOB for the next group
 * transaction and returns true at once; CONN is resumed once JOB is done.
 * False when the server is stopping (nothing done): use rs_group_write. */
bool rs_group_submit(rs_server *srv, rs_write_job *job, struct MHD_Connection *conn);
/* The request of a suspended connection was answered or ended. */
void rs_group_unsuspended(rs_server *srv);
/* From now on requests wait for their writes in their own thread; returns
 * once no connection is suspended for a write (before the daemon stops). */
void rs_group_commit_quiesce(rs_server *srv);

/* A handler's write for the group commit, its request thread left free:
 * JOB (its RUN and ARG set) is run, then FINISH(srv, req, reply) answers;
 * STATE (freed by STATE_FREE) holds what both need. */
void rs_request_defer(rs_request *req, rs_write_job *job,
		      void (*finish)(struct rs_server *srv, rs_request *req, struct rs_reply *reply),
		      void *state, void (*state_free)(void *state));

/* agent_api.c */
void rs_handle_enroll(rs_server *srv, rs_request *req, rs_reply *reply);
void rs_handle_checkin(rs_server *srv, rs_request *req, rs_reply *reply);
void rs_handle_results(rs_server *srv, rs_request *req, rs_reply *reply);

/* dash.c: every path outside /api/ (the dashboard) */
void rs_handle_dashboard(rs_server *srv, rs_request *req, rs_reply *reply);
/* Frees what a dashboard reply owns. */
void rs_reply_clear(rs_reply *reply);

/* operator_api.c */
void rs_handle_hosts(rs_server *srv, rs_request *req, rs_reply *reply);
void rs_handle_host(rs_server *srv, rs_request *req, rs_reply *reply);
void rs_handle_findings(rs_server *srv, rs_request *req, rs_reply *reply);
void rs_handle_tokens(rs_server *srv, rs_request *req, rs_reply *reply);
/* Checks the bearer key and that its role may do NEED (fleet/roles.h):
 * 0 (the key as "apikey:ID" in KEY_ID, 40 bytes, when given), or -1 with
 * the refusal in REPLY. */
int rs_operator_authorise(rs_server *srv, rs_request *req, rs_reply *reply, rs_role_action need, char *key_id);
/* agent_api.c: checks a signed agent request (signature, rate, time,
 * counter): 0 with its agent id in AGENT, or -1 with the refusal in REPLY. */
int rs_agent_authenticate(rs_server *srv, rs_request *req, rs_reply *reply, char agent[33]);

/* A task handed out and never reported is handed out again this many
 * times, then marked lost; one reported running and silent for
 * RS_TASK_RUNNING_LIMIT (the agent's own limit on a task, 30 minutes)
 * plus the redelivery wait is marked lost. */
#define RS_TASK_REDELIVERIES 2
#define RS_TASK_RUNNING_LIMIT 1800
/* The redelivery wait of CFG in seconds (fleet_task_retry.c). */
long long rs_server_task_redeliver(const rs_server_config *cfg);

/* agent_api.c: before an agent's body is read: its signature headers are
 * well formed and name an enrolled agent (the signature itself is checked
 * with the body). 0, or -1 with the refusal in REPLY. */
int rs_agent_precheck(rs_server *srv, rs_request *req, rs_reply *reply);
/* agent_api.c: as rs_agent_authenticate, and the request's counter
 * accepted (a replay refused) in a group commit of its own. */
int rs_agent_authenticate_counted(rs_server *srv, rs_request *req, rs_reply *reply, char agent[33]);

/* bundle_api.c: the evidence bundles of collect tasks */
void rs_handle_bundle_upload(rs_server *srv, rs_request *req, rs_reply *reply);
void rs_handle_bundle_list(rs_server *srv, rs_request *req, rs_reply *reply);
void rs_handle_bundle_get(rs_server *srv, rs_request *req, rs_reply *reply);
/* Reads task ID's bundle for WHO (audited as bundle_download from ADDR)
 * into REPLY as a gzip download. */
void rs_bundle_download(rs_server *srv, const char *id, const char *who, const char *addr, rs_reply *reply);

/* Removes the collect bundles older than --bundle-keep-days, when set:
 * at start and then at most once an hour (called at check-ins). */
void rs_bundle_retention(rs_server *srv);

/* task_api.c */
struct rs_task_spec;
void rs_handle_task_create(rs_server *srv, rs_request *req, rs_reply *reply);
void rs_handle_task_list(rs_server *srv, rs_request *req, rs_reply *reply);
void rs_handle_task_approve(rs_server *srv, rs_request *req, rs_reply *reply);
void rs_handle_task_report(rs_server *srv, rs_request *req, rs_reply *reply);
/* Queues SPEC (update-content: builds and signs the bundle) by WHO from
 * ADDR and audits it: the number of tasks (ids appended to IDS), 0 no such
 * host or an empty group, -1 database error, -2 bad content (ERR). */
int rs_task_queue_spec(rs_server *srv, const struct rs_task_spec *spec, const char *who, const char *addr,
		       json_t *ids, char *err, size_t errsize);
/* Approves respond task ID by WHO from ADDR (audited): 0, 1 none awaiting, -1. */
int rs_task_approve(rs_server *srv, const char *id, const char *who, const char *addr);
/* Adds "content_key" (the server's content public key) to an enrolment reply. */
void rs_task_enroll_reply(rs_server *srv, rs_reply *reply);

#endif
