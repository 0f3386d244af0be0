/*
 * fleet_tasks.h — the task queue beyond "scan now" (store/dash.h has the
 * single-host scan and the delivery at check-in): tasks for a host or a
 * group (expanded to the group's hosts when queued), respond tasks held
 * until an admin approves them, the states the agents report, and the
 * server's content signing key (Ed25519, made on first use). Every value
 * is bound to a prepared statement; not thread-safe (the server holds its
 * database lock).
 */
#ifndef RS_STORE_FLEET_TASKS_H
#define RS_STORE_FLEET_TASKS_H

#include "store/db.h"

#include <jansson.h>
#include <sodium.h>

/* The server's content key pair, made and stored on first use (several
 * servers on one database agree: the first insert wins). 0 or -1. */
int rs_fleet_content_key(rs_db *db, long long now, unsigned char pk[crypto_sign_PUBLICKEYBYTES],
			 unsigned char sk[crypto_sign_SECRETKEYBYTES]);

/* Queues a task of KIND with PARAMS for HOST, or for every host of GROUP
 * enrolled now (one task a host, sharing GROUP; hosts that join later do
 * not get it). A respond task waits in state "approval", every other kind
 * in "queued". Returns the number of tasks queued (0: no such host, or an
 * empty group) with their ids appended to IDS, or -1. */
int rs_fleet_task_queue(rs_db *db, long long now, const char *creator, const char *host, const char *group,
			const char *kind, const json_t *params, json_t *ids);

/* Approves respond task ID (state "approval" → "queued") by APPROVER:
 * 0, 1 no such task awaiting approval, -1 error. */
int rs_fleet_task_approve(rs_db *db, const char *id, const char *approver, long long now);

/* Records AGENT's report on its task ID: 0 stored, 1 no such task of this
 * agent, 2 the state change is not allowed (task.h), -1 error. */
int rs_fleet_task_report(rs_db *db, const char *agent, const char *id, const char *state,
			 const char *message, const json_t *result, long long now);

/* Tasks, newest first, filtered by AGENT and STATE (either NULL: all):
 * [{"id","created","creator","agent","hostname","group","kind","params",
 *   "state","delivered","updated","message","result","approved_by","approved"}];
 * a respond task's plan is summarised as its action count. NULL on error. */
json_t *rs_fleet_task_list(rs_db *db, const char *agent, const char *state, int limit);

/* Tasks AGENT was handed but never reported (called at its check-in, in
 * its transaction): a task still "sent" AFTER seconds after delivery is
 * queued again (handed out at this check-in; "attempts" counts the
 * redeliveries), or marked "lost" once it was redelivered MAX_ATTEMPTS
 * times; a task "running" without a report for RUNNING_LIMIT seconds is
 * marked "lost" too. The agent's own late report still ends a lost task.
 * Returns the number of tasks changed, or -1. */
int rs_fleet_task_redeliver(rs_db *db, const char *agent, long long now, long long after, int max_attempts,
			    long long running_limit);

#endif
