/*
 * group_commit.c — the fleet server's group commit. Each request thread
 * queues its write; whichever thread next finds a free connection takes
 * every queued write, runs them in one transaction (each inside its own
 * savepoint, so one write's failure or refusal undoes only itself — run
 * first without savepoints, and again with them only when a write failed
 * or was refused), commits
 * once and marks them done. A waiting thread whose write a leader already
 * committed returns its result without touching the database. So N
 * concurrent uploads cost one fsync, not N, and nothing is acknowledged
 * before its commit. On PostgreSQL the leaders have RS_SERVER_WRITERS
 * connections: while one group commits (a round trip and the server's
 * WAL flush), the next group runs on another connection.
 */
#include "server/server_internal.h"
#include "core/i18n.h"
#include "core/log.h"

#include <stdlib.h>

#define GROUP_MAX 256   /* writes in one transaction at most */

int rs_group_commit_init(rs_server *srv)
{
	srv->n_writers = 0;
	pthread_mutex_init(&srv->queue_lock, NULL);
	pthread_cond_init(&srv->queue_moved, NULL);
	srv->queue = NULL;
	srv->queue_tail = &srv->queue;
	srv->writers[0] = srv->store;
	srv->n_writers = 1;
	if (rs_db_kind(srv->store) != RS_DB_POSTGRES)
		return 0;
	/* each connection makes this month's partitions now, one after the
	 * other, so groups never race to create them */
	if (rs_db_maintain(srv->store, rs_server_now()) < 0) {
		rs_error("%s: %s", rs_db_name(srv->store), rs_db_errmsg(srv->store));
		rs_group_commit_free(srv);
		return -1;
	}
	for (int i = 1; i < RS_SERVER_WRITERS; i++) {
		char err[1024];
		rs_db *db;
		if (rs_db_open(srv->cfg.db_path, &db, err, sizeof(err)) < 0) {
			rs_error("%s", err);
			rs_group_commit_free(srv);
			return -1;
		}
		srv->writers[srv->n_writers++] = db;
		if (rs_db_maintain(db, rs_server_now()) < 0) {
			rs_error("%s: %s", rs_db_name(db), rs_db_errmsg(db));
			rs_group_commit_free(srv);
			return -1;
		}
	}
	return 0;
}

void rs_group_commit_free(rs_server *srv)
{
	for (int i = 1; i < srv->n_writers; i++)
		rs_db_close(srv->writers[i]);
	srv->n_writers = 0;
	pthread_cond_destroy(&srv->queue_moved);
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

/* Runs JOBS in one transaction on DB (its lock is held). */
static void run_group(rs_db *db, rs_write_job *jobs)
{
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
		rs_error(_("%s: cannot commit %s: %s"), rs_db_name(db), _("the received writes"), rs_db_errmsg(db));
		rs_db_rollback(db);
		for (rs_write_job *j = jobs; j; j = j->next)
			j->result = -1;
	}
}

/* A writer connection nobody uses, or -1 (under the queue lock). */
static int free_writer(rs_server *srv)
{
	for (int i = 0; i < srv->n_writers; i++)
		if (!srv->writer_busy[i])
			return i;
	return -1;
}

int rs_group_write(rs_server *srv, rs_write_job *job)
{
	job->done = false;
	job->next = NULL;
	pthread_mutex_lock(&srv->queue_lock);
	*srv->queue_tail = job;
	srv->queue_tail = &job->next;
	while (!job->done) {
		int w = srv->queue ? free_writer(srv) : -1;
		if (w < 0) {
			/* every connection is committing (one of them our job,
			 * perhaps): wait for a group to finish */
			pthread_cond_wait(&srv->queue_moved, &srv->queue_lock);
			continue;
		}
		/* lead: take every queued job to a free connection */
		srv->writer_busy[w] = true;
		rs_write_job *jobs = take_jobs(srv);
		pthread_mutex_unlock(&srv->queue_lock);
		if (w == 0)
			pthread_mutex_lock(&srv->db_lock);   /* shared with the readers */
		run_group(srv->writers[w], jobs);
		if (w == 0)
			pthread_mutex_unlock(&srv->db_lock);
		pthread_mutex_lock(&srv->queue_lock);
		for (rs_write_job *j = jobs; j; j = j->next)
			j->done = true;
		srv->writer_busy[w] = false;
		pthread_cond_broadcast(&srv->queue_moved);
	}
	pthread_mutex_unlock(&srv->queue_lock);
	return job->result;
}
