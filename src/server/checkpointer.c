/*
 * checkpointer.c — the fleet server's checkpoint thread on SQLite
 * (server_internal.h). The write-ahead log is copied into the database
 * file by this thread, on a connection of its own, every
 * CHECKPOINT_PERIOD_MS, instead of by the writer inside a commit: a
 * commit no longer stalls every waiting upload while a thousand pages are
 * written and synced, and a page written by many commits between two
 * checkpoints is copied once. Durability does not depend on it: a commit
 * is acknowledged after the log itself is synced. The writer keeps a
 * backstop (it checkpoints itself past RS_SERVER_WAL_BACKSTOP pages)
 * should this thread fall behind.
 */
#include "server/server_internal.h"
#include "core/i18n.h"
#include "core/log.h"

#include <errno.h>
#include <time.h>

#define CHECKPOINT_PERIOD_MS 500

static void *checkpoint_loop(void *arg)
{
	rs_server *srv = arg;
	pthread_mutex_lock(&srv->ckpt_lock);
	while (!srv->ckpt_stop) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += (long)CHECKPOINT_PERIOD_MS * 1000000L;
		until.tv_sec += until.tv_nsec / 1000000000L;
		until.tv_nsec %= 1000000000L;
		int rc = 0;
		while (!srv->ckpt_stop && rc != ETIMEDOUT)
			rc = pthread_cond_timedwait(&srv->ckpt_wake, &srv->ckpt_lock, &until);
		if (srv->ckpt_stop)
			break;
		pthread_mutex_unlock(&srv->ckpt_lock);
		if (rs_db_checkpoint(srv->ckpt_db) < 0)
			rs_warn(_("%s: cannot checkpoint the write-ahead log (the writer will): %s"),
				rs_db_name(srv->ckpt_db), rs_db_errmsg(srv->ckpt_db));
		pthread_mutex_lock(&srv->ckpt_lock);
	}
	pthread_mutex_unlock(&srv->ckpt_lock);
	return NULL;
}

int rs_checkpointer_start(rs_server *srv)
{
	if (rs_db_kind(srv->store) != RS_DB_SQLITE)
		return 0;
	char err[1024];
	if (rs_db_open(srv->cfg.db_path, &srv->ckpt_db, err, sizeof(err)) < 0) {
		rs_error("%s", err);
		return -1;
	}
	if (rs_db_wal_limit(srv->store, RS_SERVER_WAL_BACKSTOP) < 0 || rs_db_wal_limit(srv->ckpt_db, 0) < 0) {
		rs_error(_("%s: cannot set the checkpoint limit: %s"), rs_db_name(srv->store), rs_db_errmsg(srv->store));
		rs_db_close(srv->ckpt_db);
		srv->ckpt_db = NULL;
		return -1;
	}
	pthread_mutex_init(&srv->ckpt_lock, NULL);
	pthread_cond_init(&srv->ckpt_wake, NULL);
	srv->ckpt_stop = false;
	if (pthread_create(&srv->ckpt_thread, NULL, checkpoint_loop, srv) != 0) {
		rs_error(_("cannot start the checkpoint thread"));
		pthread_cond_destroy(&srv->ckpt_wake);
		pthread_mutex_destroy(&srv->ckpt_lock);
		rs_db_close(srv->ckpt_db);
		srv->ckpt_db = NULL;
		return -1;
	}
	return 0;
}

void rs_checkpointer_stop(rs_server *srv)
{
	if (!srv->ckpt_db)
		return;
	pthread_mutex_lock(&srv->ckpt_lock);
	srv->ckpt_stop = true;
	pthread_cond_signal(&srv->ckpt_wake);
	pthread_mutex_unlock(&srv->ckpt_lock);
	pthread_join(srv->ckpt_thread, NULL);
	pthread_cond_destroy(&srv->ckpt_wake);
	pthread_mutex_destroy(&srv->ckpt_lock);
	rs_db_close(srv->ckpt_db);
	srv->ckpt_db = NULL;
}
