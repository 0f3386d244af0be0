/*
 * store.h — the scan history in an embedded SQLite database (WAL mode,
 * versioned schema with migrations). A scan row is written first, marked
 * incomplete and committed; its findings and the final summary are then
 * written in one transaction that also marks it complete, so a scan killed
 * half-way is absent or incomplete, never a "complete" scan with part of its
 * findings. The store knows scans and findings, not modules.
 */
#ifndef RS_STORE_H
#define RS_STORE_H

#include "core/finding.h"
#include "core/sink.h"
#include "core/summary.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct rs_store rs_store;

/* Opens (creating the file and its directory when missing) and migrates the
 * database at PATH. Returns 0, or -1 after printing an error that names the
 * file, the cause and what to do. */
int rs_store_open(const char *path, rs_store **out);
/* Whether URL names a PostgreSQL database (postgresql:// or postgres://):
 * the fleet server's store, never a scan store file. */
bool rs_store_is_pg_url(const char *url);
void rs_store_close(rs_store *store);
/* Commits are durable (synchronous = FULL); the write-ahead log is copied
 * into the database file when that is cheap (store_wal.c), not at the end
 * of every command. This gives STORE SQLite's own checkpoints instead (at
 * 1,000 pages inside a commit, and at close): for a long-running writer,
 * the fleet server. */
void rs_store_checkpoint_inline(rs_store *store);
/* The schema version this build writes (PRAGMA user_version). */
int rs_store_schema_version(void);

/* A sink that records the scan it sees into STORE (which must outlive it). */
rs_sink *rs_store_sink_new(rs_store *store);

/* Every stored scan, newest first, as FORMATS.md "type":"scan" objects
 * (with "complete"). Returns a new array, or NULL on error. */
json_t *rs_store_list(rs_store *store);

/* Finds the scan named by ID: a full id, a unique prefix of at least 4
 * digits, "last" (newest complete scan) or "last~N" (N complete scans
 * before it). Writes the full id to OUT. Returns 0, or -1 after an error. */
int rs_store_resolve(rs_store *store, const char *id, char out[33]);

/* Loads the summary of scan ID (full id). Returns 0 or -1. */
int rs_store_load_summary(rs_store *store, const char *id, rs_summary *summary);

/* Loads the findings of scan ID in the order they were found. The caller
 * frees each with rs_finding_free and the array with free. Returns 0 or -1. */
int rs_store_load_findings(rs_store *store, const char *id, rs_finding ***findings, size_t *count);

/* Replays scan ID into SINKS (begin, each finding, end): how `rasoat show`
 * re-renders a stored scan without recomputing it. Returns 0 or -1. */
int rs_store_replay(rs_store *store, const char *id, rs_sinks *sinks);

#endif
