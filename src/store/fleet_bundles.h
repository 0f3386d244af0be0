/*
 * fleet_bundles.h — the evidence bundles that collect tasks upload to the
 * server: one a task, stored with its size and SHA-256 (computed by the
 * server over the bytes received), listed and read back for an operator,
 * the hash checked again on every read. Not thread-safe (the server holds
 * its database lock).
 */
#ifndef RS_STORE_FLEET_BUNDLES_H
#define RS_STORE_FLEET_BUNDLES_H

#include "store/db.h"

#include <jansson.h>
#include <stddef.h>

#define RS_FLEET_BUNDLE_MAX (64u << 20)   /* bytes of one uploaded bundle */

/* Stores DATA (LEN bytes, SHA256 its hex digest) as the bundle of AGENT's
 * collect task TASK: 0 stored, 1 stored already with the same hash (a
 * resend), 2 no collect task TASK of AGENT, 3 stored already with another
 * hash (refused), -1 error. */
int rs_fleet_bundle_put(rs_db *db, const char *agent, const char *task, const void *data, size_t len,
			const char *sha256, long long now);

/* Removes the bundles received before BEFORE (Unix seconds): the number
 * removed, or -1 error. */
long long rs_fleet_bundle_prune(rs_db *db, long long before);

/* The bundles, newest first, of AGENT (NULL: every agent), at most LIMIT:
 * [{"task","agent","hostname","received","size","sha256"}]; NULL on error. */
json_t *rs_fleet_bundle_list(rs_db *db, const char *agent, int limit);

/* Reads task TASK's bundle into *DATA (caller frees), *LEN, and its
 * agent (33 bytes): 0, 1 none, 2 the bytes no longer match the stored
 * hash (nothing returned), -1 error. */
int rs_fleet_bundle_get(rs_db *db, const char *task, unsigned char **data, size_t *len, char agent[33]);

#endif
