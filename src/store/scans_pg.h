/*
 * scans_pg.h — the fleet's scans and findings read from PostgreSQL for a
 * store opened by rs_store_open_incidents on a postgresql:// URL, so an
 * incident kept there links a scan by id (or "last", "last~N", a prefix)
 * and reads its findings as on SQLite. Only store/store_query.c calls
 * them, when the store's records live in PostgreSQL.
 */
#ifndef RS_STORE_SCANS_PG_H
#define RS_STORE_SCANS_PG_H

#include "core/finding.h"
#include "core/summary.h"
#include "core/util.h"
#include "store/store.h"

#include <jansson.h>
#include <stddef.h>

/* The complete scan BACK places before the newest complete one into OUT:
 * 0, 1 none, -1 error (logged). */
int rs_pg_scan_last(rs_store *store, long back, char out[33]);
/* The scan whose id starts with PREFIX (lowercase hex) into OUT: 0, 1 none,
 * 2 several (up to SHOWN of their ids appended to MATCHES, "..." when
 * more), -1 error (logged). */
int rs_pg_scan_prefix(rs_store *store, const char *prefix, char out[33], int shown, rs_buf *matches);
/* The summary of scan ID: 0, 1 none, -1 error (logged). */
int rs_pg_scan_summary(rs_store *store, const char *id, rs_summary *summary);
/* The findings of scan ID in order (damaged ones skipped with a warning):
 * 0 / -1 (logged). */
int rs_pg_scan_findings(rs_store *store, const char *id, rs_finding ***findings, size_t *count);

#endif
