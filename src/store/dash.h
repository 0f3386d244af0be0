/*
 * dash.h — the dashboard's tables in the store: operators (name, role,
 * Argon2id password hash), their sessions (the session id stored only as
 * a BLAKE2b hash, with its CSRF token and expiry), the audit log of
 * operator actions, and the tasks queued for hosts. Every value is bound
 * to a prepared statement. Not thread-safe: the server serialises calls.
 */
#ifndef RS_STORE_DASH_H
#define RS_STORE_DASH_H

#include "store/db.h"

#include <jansson.h>
#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>

#define RS_DASH_HASH_MAX crypto_pwhash_STRBYTES
#define RS_DASH_SID_HEX 64          /* session ids and CSRF tokens: 32 random bytes */
#define RS_DASH_PASSWORD_MIN 8
#define RS_DASH_PASSWORD_MAX 1024

/* A user name: 1-64 of [A-Za-z0-9._-]. */
bool rs_dash_name_ok(const char *name);

/* The Argon2id hash (libsodium crypto_pwhash_str, interactive limits) of
 * PASSWORD into OUT. Returns 0, or -1 (out of memory). */
int rs_dash_password_hash(const char *password, char out[RS_DASH_HASH_MAX]);
/* Whether PASSWORD matches HASH (constant time in the password). */
bool rs_dash_password_verify(const char *hash, const char *password);

/* Adds user NAME with ROLE (viewer, analyst, admin) and PASSWORD:
 * 0 added, 1 the name is taken, -1 error (message in ERR). */
int rs_dash_user_add(rs_db *db, const char *name, const char *role, const char *password,
		     long long now, char *err, size_t errsize);
/* Sets NAME's password and ends its sessions: 0, 1 no such user, -1 error. */
int rs_dash_user_passwd(rs_db *db, const char *name, const char *password, char *err, size_t errsize);
/* Removes NAME and its sessions: 0, 1 no such user, -1 error. */
int rs_dash_user_remove(rs_db *db, const char *name);
/* Every user: [{"type":"user","name","role","created"}], by name. NULL on error. */
json_t *rs_dash_user_list(rs_db *db);
/* The number of users with ROLE, or -1. */
int rs_dash_user_count(rs_db *db, const char *role);
/* Checks NAME and PASSWORD: 0 and the role in ROLE, 1 wrong, -1 error.
 * An unknown name costs the same hash computation as a wrong password. */
int rs_dash_user_check(rs_db *db, const char *name, const char *password, char role[16]);

typedef struct rs_dash_session {
	char user[65];
	char role[16];
	char csrf[RS_DASH_SID_HEX + 1];
	long long expires;
} rs_dash_session;

/* A new session for USER from ADDR valid TTL seconds: its id (the cookie
 * value) into SID and its CSRF token into CSRF. Returns 0 or -1. */
int rs_dash_session_create(rs_db *db, const char *user, const char *addr, long long now, long long ttl,
			   char sid[RS_DASH_SID_HEX + 1], char csrf[RS_DASH_SID_HEX + 1]);
/* The live session SID: 0 with OUT filled, 1 unknown or expired, -1 error. */
int rs_dash_session_get(rs_db *db, const char *sid, long long now, rs_dash_session *out);
/* Ends session SID (logout). 0 or -1. Expired sessions are purged too. */
int rs_dash_session_end(rs_db *db, const char *sid, long long now);

/* Appends to the audit log: USER did ACTION on TARGET from ADDR. */
int rs_dash_audit_add(rs_db *db, long long now, const char *user, const char *action,
		      const char *target, const char *addr);
/* The newest LIMIT entries: [{"time","user","action","target","addr"}]. */
json_t *rs_dash_audit_list(rs_db *db, int limit);

/* Queues a task of KIND ("scan") with PARAMS (may be NULL) for AGENT, as
 * rs_fleet_task_queue does for one host: 0 with its id in ID, 1 no such
 * host, -1 error. */
int rs_dash_task_create(rs_db *db, long long now, const char *creator, const char *agent,
			const char *kind, const json_t *params, char id[33]);
/* Tasks, newest first (AGENT NULL: every host): [{"id","created","creator",
 * "agent","hostname","kind","params","state","delivered"}]. */
json_t *rs_dash_task_list(rs_db *db, const char *agent, int limit);
/* The queued tasks of AGENT as check-in task objects ({"id","type",…params}),
 * marked sent at NOW (at most 16, and parameters of at most
 * RS_DASH_TASKS_REPLY_MAX bytes in all unless one alone is larger; the rest
 * wait for the next check-in). NULL on error. */
#define RS_DASH_TASKS_REPLY_MAX (512u << 10)
json_t *rs_dash_task_take(rs_db *db, const char *agent, long long now);

#endif
