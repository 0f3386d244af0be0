/*
 * group_commit.c — the fleet server's group commit. Request threads queue
 * their writes; a writer thread (one per connection to the database: one
 * on SQLite, RS_SERVER_WRITERS on PostgreSQL) takes every queued write,
 * runs them in one transaction (each inside its own savepoint, so one
 * write's failure or refusal undoes only itself — run first without
 * savepoints, and again with them only when a write failed or was
 * refused), commits once and marks them done. So N uploads waiting
 * together cost one fsync, not N, and nothing is acknowledged before its
 * commit. The agents' uploads and check-ins do not wait in their request
 * thread (rs_group_submit): their connection is suspended and resumed
 * once the commit is done, so the request threads go on reading and
 * checking the next requests while a group commits, and a group holds
 * every request that arrived meanwhile, from any connection — it grows
 * with the load, not with the number of request threads. On PostgreSQL,
 * while one group commits (a round trip and the server's WAL flush), the
 * next runs on another writer's connection.
 */
#include "server/server_internal.h"
#include "core/i18n.h"
#include "core/log.h"

#include <stdlib.h>
#include <string.h>

#define GROUP_MAX 256   /* writes in one transaction at most */

static void *writer_main(void *arg);

/* Opens the extra connections of PostgreSQL: 0 / -1 logged. */
static int open_writers(rs_server *srv)
{
	if (rs_db_kind(srv->store) != RS_DB_POSTGRES)
		return 0;
	/* each connection makes this month's partitions now, one after the
	 * other, so groups never race to create them */
	if (rs_db_maintain(srv->store, rs_server_now()) < 0) {
		rs_error("%s: %s", rs_db_name(srv->store), rs_db_errmsg(srv->store));
		return -1;
	}
	for (int i = 1; i < RS_SERVER_WRITERS; i++) {
		char err[1024];
		rs_db *db;
		if (rs_db_open(srv->cfg.db_path, &db, err, sizeof(err)) < 0) {
			rs_error("%s", err);
			return -1;
		}
		srv->writers[srv->n_writers++] = db;
		if (rs_db_maintain(db, rs_server_now()) < 0) {
			rs_error("%s: %s", rs_db_name(db), rs_db_errmsg(db));
			return -1;
		}
	}
	return 0;
}

int rs_group_commit_init(rs_server *srv)
{
	pthread_mutex_init(&srv->queue_lock, NULL);
	pthread_cond_init(&srv->queue_ready, NULL);
	pthread_cond_init(&srv->queue_moved, NULL);
	srv->queue = NULL;
	srv->queue_tail = &srv->queue;
	srv->writers_stop = false;
	srv->no_suspend = false;
	srv->suspended = 0;
	srv->n_threads = 0;
	srv->writers[0] = srv->store;
	srv->n_writers = 1;
	if (open_writers(srv) < 0) {
		rs_group_commit_free(srv);
		return -1;
	}
	for (int i = 0; i < srv->n_writers; i++) {
		srv->writer_args[i] = (struct rs_writer_arg){ .srv = srv, .index = i };
		int rc = pthread_create(&srv->writer_threads[i], NULL, writer_main, &srv->writer_args[i]);
		if (rc != 0) {
			rs_error(_("cannot start the database writer thread: %s"), strerror(rc));
			rs_group_commit_free(srv);
			return -1;
		}
		srv->n_threads++;
	}
	return 0;
}

void rs_group_commit_free(rs_server *srv)
{
	pthread_mutex_lock(&srv->queue_lock);
	srv->writers_stop = true;
	pthread_cond_broadcast(&srv->queue_ready);
	pthread_mutex_unlock(&srv->queue_lock);
	for (int i = 0; i < srv->n_threads; i++)
		pthread_join(srv->writer_threads[i], NULL);
	srv->n_threads = 0;
	for (int i = 1; i < srv->n_writers; i++)
		rs_db_close(srv->writers[i]);
	srv->n_writers = 0;
	pthread_cond_destroy(&srv->queue_moved);
	pthread_cond_destroy(&srv->queue_ready);
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

/* Marks JOBS done (under the queue lock): a suspended connection is
 * resumed (its request thread answers it), a waiting thread woken. A job
 * is not touched once its connection is resumed: its request may be
 * answered and freed at once. */
static void finish_jobs(rs_server *srv, rs_write_job *jobs)
{
	for (rs_write_job *j = jobs, *next; j; j = next) {
		next = j->next;
		struct MHD_Connection *conn = j->conn;
		j->done = true;
		if (conn)
			rs_mhd.resume_connection(conn);
	}
	pthread_cond_broadcast(&srv->queue_moved);
}

static void *writer_main(void *arg)
{
	const struct rs_writer_arg *w = arg;
	rs_server *srv = w->srv;
	pthread_mutex_lock(&srv->queue_lock);
	for (;;) {
		while (!srv->queue && !srv->writers_stop)
			pthread_cond_wait(&srv->queue_ready, &srv->queue_lock);
		rs_write_job *jobs = take_jobs(srv);
		if (!jobs)
			break;   /* stopping, and nothing left to write */
		pthread_mutex_unlock(&srv->queue_lock);
		if (w->index == 0)
			pthread_mutex_lock(&srv->db_lock);   /* shared with the readers */
		run_group(srv->writers[w->index], jobs);
		if (w->index == 0)
			pthread_mutex_unlock(&srv->db_lock);
		pthread_mutex_lock(&srv->queue_lock);
		finish_jobs(srv, jobs);
	}
	pthread_mutex_unlock(&srv->queue_lock);
	return NULL;
}

/* Appends JOB to the queue (under the queue lock) and wakes a writer. */
static void enqueue(rs_server *srv, rs_write_job *job)
{
	job->done = false;
	job->next = NULL;
	*srv->queue_tail = job;
	srv->queue_tail = &job->next;
	pthread_cond_signal(&srv->queue_ready);
}

int rs_group_write(rs_server *srv, rs_write_job *job)
{
	job->conn = NULL;
	pthread_mutex_lock(&srv->queue_lock);
	if (srv->writers_stop) {
		pthread_mutex_unlock(&srv->queue_lock);
		return -1;
	}
	enqueue(srv, job);
	while (!job->done)
		pthread_cond_wait(&srv->queue_moved, &srv->queue_lock);
	pthread_mutex_unlock(&srv->queue_lock);
	return job->result;
}

bool rs_group_submit(rs_server *srv, rs_write_job *job, struct MHD_Connection *conn)
{
	pthread_mutex_lock(&srv->queue_lock);
	bool stopping = srv->no_suspend;
	if (!stopping)
		srv->suspended++;   /* counted before quiescing can see it */
	pthread_mutex_unlock(&srv->queue_lock);
	if (stopping)
		return false;
	/* suspended before the job is queued: its writer may resume it at once */
	rs_mhd.suspend_connection(conn);
	pthread_mutex_lock(&srv->queue_lock);
	job->conn = conn;
	enqueue(srv, job);
	pthread_mutex_unlock(&srv->queue_lock);
	return true;
}

void rs_group_unsuspended(rs_server *srv)
{
	pthread_mutex_lock(&srv->queue_lock);
	srv->suspended--;
	pthread_cond_broadcast(&srv->queue_moved);
	pthread_mutex_unlock(&srv->queue_lock);
}

void rs_group_commit_quiesce(rs_server *srv)
{
	pthread_mutex_lock(&srv->queue_lock);
	srv->no_suspend = true;
	while (srv->suspended > 0)
		pthread_cond_wait(&srv->queue_moved, &srv->queue_lock);
	pthread_mutex_unlock(&srv->queue_lock);
}
