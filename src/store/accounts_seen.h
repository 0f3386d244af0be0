/*
 * accounts_seen.h — the accounts each scanned root had, kept in the scan
 * store (table accounts_seen), so that the audit can report an account
 * added since the last scan (T1136.001).
 */
#ifndef RS_STORE_ACCOUNTS_SEEN_H
#define RS_STORE_ACCOUNTS_SEEN_H

#include "core/util.h"

#include <sys/types.h>

struct rs_store;

/* The names recorded for ROOT, appended to NAMES (char *, the caller frees
 * them). Returns how many, or -1 after writing the cause into ERR. */
long rs_accounts_seen_load(struct rs_store *store, const char *root, rs_vec *names, char *err, size_t errsize);

/* Records NAME (UID) for ROOT as first seen at WHEN (ISO 8601); a name
 * already recorded keeps its first time. Returns 0, or -1 with ERR. */
int rs_accounts_seen_add(struct rs_store *store, const char *root, const char *name, uid_t uid, const char *when,
			 char *err, size_t errsize);

#endif
