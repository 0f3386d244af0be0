/*
 * keycache.h — the public keys of enrolled agents kept in memory, so that a
 * signed request is verified without a database round trip (and without
 * waiting for the database lock while a group commit syncs). An agent's key
 * never changes (a new key means a new enrolment and a new id), so a cached
 * key cannot go stale; whether the agent was removed since is checked by
 * the counter update of the same request, inside its transaction
 * (store/fleet.h rs_fleet_agent_accept). A fixed-size table: a flood of
 * agents replaces entries, never grows memory. Thread-safe.
 */
#ifndef RS_SERVER_KEYCACHE_H
#define RS_SERVER_KEYCACHE_H

#include <stdbool.h>

typedef struct rs_keycache rs_keycache;

rs_keycache *rs_keycache_new(void);
void rs_keycache_free(rs_keycache *kc);

/* Copies the key of AGENT (32 lowercase hex digits) to KEY: true when known. */
bool rs_keycache_get(rs_keycache *kc, const char *agent, unsigned char key[32]);
/* Remembers KEY as the key of AGENT. */
void rs_keycache_put(rs_keycache *kc, const char *agent, const unsigned char key[32]);

#endif
