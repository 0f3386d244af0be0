/*
 * group_commit.c — the fleet server's group commit. Each request thread
 * queues its write; whichever thread next holds the database lock takes
 * every queued write, runs them in one transaction (each inside its own
 * savepoint, so one write's failure or refusal undoes only itself — run
 * first without savepoints, and again with them only when a write failed
 * or was refused), commits
 * once and marks them done. A waiting thread whose write a leader already
 * committed returns its result without touching the database. So N
 * concurrent uploads cost one fsync, not N, and nothing is acknowledged
 * before its commit.
 */
#include "server/server_internal.h"
#include "core/log.h"

#include <stdlib.h>

#define GROUP_MAX 256   /* writes in one transaction at most */

void rs_group_commit_init(rs_server *srv)
{
	pthread_mutex_init(&srv->queue_lock, NULL);
	srv->queue = NULL;
	srv->queue_tail = &srv->queue;
}

void rs_group_commit_free(rs_server *srv)
{
	pthread_mutex_destroy(&srv->queue_lock);
}

/* Takes up to GROUP_MAX queued jobs (under the queue lock). */
static rs_write_job *take_jobs(rs_server *srv)
{
	rs_write_job *first = srv->queue, *last = NULL;
	int n = 0;
	for (rs_write_job *j = first; j && n < GROUP_MAX; j = j->next, n++)
		last = j;
	if (!last)
		return NULL;
	srv->queue = last->next;
	if (!srv->queue)
		srv->queue_tail = &srv->queue;
	last->next = NULL;
	return first;
}

static void run_one(rs_db *db, rs_write_job *j)
{
	bool discard = false;
	if (rs_db_exec(db, "SAVEPOINT rs_write") < 0) {
		j->result = -1;
		return;
	}
	j->result = j->run(db, j->arg, &discard);
	if (j->result < 0 || discard)
		(void)rs_db_exec(db, "ROLLBACK TO SAVEPOINT rs_write");
	(void)rs_db_exec(db, "RELEASE SAVEPOINT rs_write");
}

/* The common case first: every job of the group succeeds and keeps its
 * writes, so they run without savepoints (two statements, two round trips
 * to PostgreSQL, fewer per job). Returns false when one failed or wants its
 * part undone: the caller rolls the whole transaction back and runs the
 * group again with a savepoint per job. Jobs are written to be run again. */
static bool run_plain(rs_db *db, rs_write_job *jobs)
{
	for (rs_write_job *j = jobs; j; j = j->next) {
		bool discard = false;
		j->result = j->run(db, j->arg, &discard);
		if (j->result < 0 || discard)
			return false;
	}
	return true;
}

/* Runs JOBS in one transaction (the database lock is held). */
static void run_group(rs_server *srv, rs_write_job *jobs)
{
	rs_db *db = srv->store;
	bool ok = rs_db_maintain(db, rs_server_now()) == 0 && rs_db_begin(db) == 0;
	if (ok && !run_plain(db, jobs)) {
		rs_db_rollback(db);
		ok = rs_db_begin(db) == 0;
		for (rs_write_job *j = jobs; ok && j; j = j->next)
			run_one(db, j);
	}
	if (ok && rs_db_commit(db) < 0)
		ok = false;
	if (!ok) {
		rs_error("%s: cannot commit %s: %s", rs_db_name(db), "the received writes", rs_db_errmsg(db));
		rs_db_rollback(db);
		for (rs_write_job *j = jobs; j; j = j->next)
			j->result = -1;
	}
}

int rs_group_write(rs_server *srv, rs_write_job *job)
{
	job->done = false;
	job->next = NULL;
	pthread_mutex_lock(&srv->queue_lock);
	*srv->queue_tail = job;
	srv->queue_tail = &job->next;
	pthread_mutex_unlock(&srv->queue_lock);

	pthread_mutex_lock(&srv->db_lock);
	for (;;) {
		pthread_mutex_lock(&srv->queue_lock);
		bool done = job->done;
		rs_write_job *jobs = done ? NULL : take_jobs(srv);
		pthread_mutex_unlock(&srv->queue_lock);
		if (done || !jobs)
			break;
		run_group(srv, jobs);
		pthread_mutex_lock(&srv->queue_lock);
		for (rs_write_job *j = jobs, *next; j; j = next) {
			next = j->next;
			j->done = true;
		}
		pthread_mutex_unlock(&srv->queue_lock);
	}
	pthread_mutex_unlock(&srv->db_lock);
	return job->result;
}
