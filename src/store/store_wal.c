/*
 * store_wal.c — when the scan store's write-ahead log is copied into the
 * database file (checkpointed). A commit is durable by itself: the store
 * runs with synchronous = FULL, so the log is synced at every commit and a
 * committed scan survives a crash or a power loss without a checkpoint.
 * A command therefore does not checkpoint at its end (SQLite's default at
 * close: a copy and a sync of the database file, most of the wait of a
 * short command). Instead:
 *  - a command that finds the log holding frames when it opens the store
 *    checkpoints them (PASSIVE: never waiting for other connections) on a
 *    thread with its own connection while it works, and once more for what
 *    it commits meanwhile, up to CKPT_PASSES times;
 *  - a commit that leaves the log at RS_STORE_WAL_BYTES or more
 *    checkpoints it at once, as SQLite's auto-checkpoint does at 1,000;
 *  - at close, the log is checkpointed (and removed, as SQLite does) when
 *    nothing in it is left uncopied (no cost) or when it has grown past
 *    RS_STORE_WAL_BYTES; otherwise it stays for the next command.
 * Any SQLite reader sees the log; a copy of the .db file alone may miss
 * the last scans until a later command has checkpointed them.
 * The fleet server keeps SQLite's own checkpoints (rs_store_checkpoint_inline).
 */
#include "store/store_internal.h"
#include "core/log.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Log size at which a commit or the close checkpoints: 16 MiB, several
 * scans' findings; the next open reads the whole log once to rebuild its
 * index, so it is kept small. */
#define RS_STORE_WAL_BYTES (16LL << 20)
/* Checkpoints the thread makes at most: the log found at open, then what
 * the command committed meanwhile (its scan row), so that its last write
 * starts the log afresh. */
#define CKPT_PASSES 3

/* Bytes of the log file at PATH-wal (0 when absent). */
static long long wal_bytes(const char *path)
{
	char *wal = rs_sprintf("%s-wal", path);
	struct stat st;
	long long n = lstat(wal, &st) == 0 && S_ISREG(st.st_mode) ? (long long)st.st_size : 0;
	free(wal);
	return n;
}

static void set_pending(rs_store *store, bool pending)
{
	pthread_mutex_lock(&store->wal_lock);
	store->wal_pending = pending;
	pthread_mutex_unlock(&store->wal_lock);
}

/* After each commit of this connection: NFRAMES pages in the log. */
static int wal_hook(void *arg, sqlite3 *db, const char *name, int nframes)
{
	rs_store *store = arg;
	bool copied = false;
	if ((long long)nframes * store->page_size >= RS_STORE_WAL_BYTES) {
		int log = 0, done = 0;
		int rc = sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
		copied = rc == SQLITE_OK && log >= 0 && log == done;
	}
	set_pending(store, !copied);
	return SQLITE_OK;
}

static void *checkpoint_thread(void *arg)
{
	rs_store *store = arg;
	/* a connection knows the file is in WAL mode only once it has read it:
	 * before that, a checkpoint is a no-op */
	sqlite3_exec(store->ckpt_db, "PRAGMA schema_version", NULL, NULL, NULL);
	pthread_mutex_lock(&store->wal_lock);
	/* the first pass runs even when the command is already closing (a
	 * short one: `rasoat history`), then no more */
	for (int pass = 0; pass < CKPT_PASSES && store->wal_pending && (pass == 0 || !store->wal_stop); pass++) {
		store->wal_pending = false; /* commits from now on set it again */
		pthread_mutex_unlock(&store->wal_lock);
		int log = 0, done = 0;
		int rc = sqlite3_wal_checkpoint_v2(store->ckpt_db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
		pthread_mutex_lock(&store->wal_lock);
		if (rc != SQLITE_OK || log < 0 || log != done) {
			store->wal_pending = true;
			break;
		}
	}
	pthread_mutex_unlock(&store->wal_lock);
	return NULL;
}

/* The thread's own connection to the file the store opened. */
static sqlite3 *open_checkpointer(const rs_store *store)
{
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX;
#ifdef SQLITE_OPEN_NOFOLLOW
	flags |= SQLITE_OPEN_NOFOLLOW;
#endif
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(store->path, &db, flags, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
	return db;
}

int rs_store_wal_init(rs_store *store)
{
	pthread_mutex_init(&store->wal_lock, NULL);
	store->wal_managed = true;
	if (rs_store_exec(store, "PRAGMA synchronous = FULL") < 0)
		return -1;
	sqlite3_stmt *ps = rs_store_prepare(store, "PRAGMA page_size");
	store->page_size = ps && sqlite3_step(ps) == SQLITE_ROW ? sqlite3_column_int(ps, 0) : 4096;
	sqlite3_finalize(ps);
	if (store->page_size <= 0)
		store->page_size = 4096;
	sqlite3_db_config(store->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
	sqlite3_wal_hook(store->db, wal_hook, store);
	/* a log left by an earlier command: its frames are not in the file yet */
	store->wal_pending = wal_bytes(store->path) > 32;
	if (!store->wal_pending || !(store->ckpt_db = open_checkpointer(store)))
		return 0;
	if (pthread_create(&store->ckpt_thread, NULL, checkpoint_thread, store) != 0) {
		sqlite3_close(store->ckpt_db);
		store->ckpt_db = NULL;
	}
	return 0;
}

void rs_store_checkpoint_inline(rs_store *store)
{
	if (!store || !store->wal_managed)
		return;
	sqlite3_db_config(store->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, NULL);
	sqlite3_wal_autocheckpoint(store->db, 1000); /* SQLite's default hook again */
	store->wal_inline = true;
}

void rs_store_wal_close(rs_store *store)
{
	if (!store->wal_managed)
		return;
	pthread_mutex_lock(&store->wal_lock);
	store->wal_stop = true;
	pthread_mutex_unlock(&store->wal_lock);
	if (store->ckpt_db) {
		pthread_join(store->ckpt_thread, NULL);
		sqlite3_close(store->ckpt_db);
		store->ckpt_db = NULL;
	}
	/* SQLite's close checkpoints and removes the log (when no other
	 * connection has the store open): a copy only when the log is large */
	bool checkpoint = store->wal_inline || !store->wal_pending ||
			  wal_bytes(store->path) >= RS_STORE_WAL_BYTES;
	sqlite3_db_config(store->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, checkpoint ? 0 : 1, NULL);
	pthread_mutex_destroy(&store->wal_lock);
	store->wal_managed = false;
}
