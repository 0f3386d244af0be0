/*
 * store_mirror.h — the local reading commands (`rasoat history`, `show`,
 * `diff`) over a fleet on PostgreSQL: the scans are copied into a
 * temporary SQLite store (every scan row; the findings of the scans a
 * command names, when it names them), which the commands read as they read
 * any store; the copy is removed when closed. Read-only on PostgreSQL.
 */
#ifndef RS_STORE_MIRROR_H
#define RS_STORE_MIRROR_H

#include "store/db.h"
#include "store/store.h"

#include <stdbool.h>

typedef struct rs_store_mirror {
	rs_db *db;          /* the PostgreSQL store */
	rs_store *store;    /* the temporary SQLite copy */
	char *dir;          /* its directory, removed at close */
} rs_store_mirror;

/* Opens URL and copies every scan row into a new temporary store in M.
 * Returns 0, or -1 after printing an error (M is then closed). */
int rs_store_mirror_open(const char *url, rs_store_mirror *m);
/* Copies the findings of scan ID (a full id) into the copy, once. 0 or -1. */
int rs_store_mirror_findings(rs_store_mirror *m, const char *id);
/* Closes both stores and removes the copy. */
void rs_store_mirror_close(rs_store_mirror *m);

#endif
