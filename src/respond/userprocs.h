/*
 * userprocs.h — the processes of an account, for lock-user: every process
 * whose real uid is the account's or whose login uid is (its login
 * sessions: the sshd session monitor, a sudo or su started from them),
 * which includes the account's systemd user manager (user@UID.service:
 * "systemd --user" and "(sd-pam)") and the user units it runs. They are
 * stopped (SIGSTOP) all first, so that none can start another, then killed
 * (SIGKILL) through pidfds checked against their start times. Processes
 * the hard refusals protect are spared unless forced, and listed.
 */
#ifndef RS_RESPOND_USERPROCS_H
#define RS_RESPOND_USERPROCS_H

#include "respond/action.h"
#include "respond/freezer.h"

#include <sys/types.h>

/* The processes of UID on the live host: to kill into KILL (rs_member),
 * protected ones into SPARED (json array of {"pid","comm","why"}). */
int rs_user_processes(const rs_respond_ctx *ctx, uid_t uid, rs_vec *kill, json_t *spared,
		      char *err, size_t errsize);

/* Stops then kills the processes of UID, in rounds until none is left (a
 * few). Adds "terminated" (pids) and "spared" to AFTER. 0, or -1 and ERR. */
int rs_user_terminate(const rs_respond_ctx *ctx, uid_t uid, json_t *after, char *err, size_t errsize);

#endif
