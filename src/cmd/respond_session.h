/*
 * respond_session.h — what every `rasoat respond ...` and `rasoat
 * quarantine ...` command sets up before it acts: the configuration (for
 * --db), the host (--root), the state directory beside the database
 * (journal and quarantine store), the locked journal, the store, the
 * context the action kinds get, the driver — and the crash recovery that
 * finishes or rolls back what an earlier run left half-done.
 */
#ifndef RS_CMD_RESPOND_SESSION_H
#define RS_CMD_RESPOND_SESSION_H

#include "core/config.h"
#include "core/host.h"
#include "respond/driver.h"
#include "respond/journal.h"
#include "respond/quarantine.h"
#include "store/store.h"

#include <jansson.h>
#include <stdbool.h>

#define RS_EXIT_FAILED 1
#define RS_EXIT_ERROR 2

typedef struct rs_respond_session {
	rs_config config;
	rs_host host;
	bool host_open;
	char *state_dir;
	char operator_name[64];
	rs_journal *journal;
	rs_quarantine *quarantine;
	rs_store *store;
	rs_respond_ctx ctx;
	rs_driver driver;
} rs_respond_session;

typedef struct rs_respond_setup {
	const char *db;          /* --db, or NULL for the configuration's */
	const char *config_file; /* --config, or NULL */
	const char *root;        /* --root, or NULL for "/" */
	bool force;
	bool dry_run;
	bool recover;            /* run crash recovery (every command but verify) */
} rs_respond_setup;

/* Opens everything SETUP names. Returns 0, or -1 after printing an error
 * (S is then closed). */
int rs_respond_session_open(rs_respond_session *s, const rs_respond_setup *setup);
void rs_respond_session_close(rs_respond_session *s);

/* The state directory for the database PATH (its directory). Caller frees. */
char *rs_respond_state_dir(const char *db_path);

/* The login name of whoever runs rasoat (the sudo user when under sudo). */
void rs_respond_operator(char *buf, size_t size);

/* S with control bytes written as \xNN, for a terminal. Caller frees. */
char *rs_respond_printable(const char *s);

/* A short text for a target object (strings as rs_respond_printable): "path=/tmp/x", "pid=1234 tree=true". Caller frees. */
char *rs_respond_target_text(const json_t *target);

#endif
