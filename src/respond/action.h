/*
 * action.h — the interface every response action kind implements
 * (quarantine, suspend, kill, remove, lock-user, block, isolate), and the
 * context the driver hands them. The driver (driver.c) owns the journal:
 * it calls prepare, writes the "planned" line holding the target and the
 * before-image, calls apply, then writes "applied" or "failed". Undo and
 * crash recovery call undo with the same target and before-image.
 *
 * The contract a kind keeps, so that every action is reversible and
 * crash-safe:
 *   - prepare changes nothing on the host. It checks the hard refusals
 *     (refuse.h) unless ctx->force, and fills BEFORE with everything undo
 *     needs (snapshots it takes go into the quarantine store, which is
 *     rasoat's own, not the host's).
 *   - apply makes the change, calling rs_crashpoint() before each write,
 *     rename, unlink or other step (core/crashpoint.h).
 *   - undo puts the host back as BEFORE describes. It is idempotent and must
 *     work whether apply ran fully, partly or not at all: recovery calls it
 *     for an action whose "planned" line has no "applied" or "failed" after
 *     it. An action that cannot be undone (kill) says so in undo_text and
 *     its undo succeeds without doing anything.
 *   - errors are written to ERR (ERRSIZE bytes), naming the target, the
 *     cause and what to do; the function returns -1.
 */
#ifndef RS_RESPOND_ACTION_H
#define RS_RESPOND_ACTION_H

#include "core/host.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct rs_quarantine; /* quarantine.h */

typedef struct rs_respond_ctx {
	const rs_host *host;              /* root and proc; host->live: process, account and network actions apply */
	const char *state_dir;            /* where the journal and the quarantine store live (/var/lib/rasoat) */
	struct rs_quarantine *quarantine; /* the quarantine store in state_dir */
	bool force;                       /* --force: the hard refusals do not apply */
	bool dry_run;                     /* prepare only; apply is never called */
	const char *operator_name;        /* who acts (login name), for the journal */
	const char *management;           /* configured management server HOST[:PORT], or NULL */
	const char *action_id;            /* the journal id of the action at hand ("a-..."), or NULL;
					     kinds that tag what they add (block, isolate) use it */
} rs_respond_ctx;

typedef struct rs_action_kind {
	const char *name;        /* as in FORMATS.md: "quarantine", "suspend", ... */
	const char *mitigation;  /* ATT&CK mitigation id, e.g. "M1047" */
	bool live_only;          /* refused with --root (processes, accounts, network) */

	/* Turns the command-line TARGET ("/tmp/x", "1234", "10.0.0.0/8",
	 * "rasoat:persist.cron:/etc/crontab") and the action's options (OPTIONS:
	 * object, may be empty: "ttl", "allow", "tree", ...) into the target
	 * object of the journal line. NULL and ERR on a bad target. */
	json_t *(*parse_target)(const char *arg, const json_t *options, char *err, size_t errsize);

	/* Checks refusals and fills BEFORE (an empty object) with what undo
	 * needs; appends to DESCRIBE one or more lines saying what apply would
	 * change (the dry run prints them). Changes nothing on the host; with
	 * ctx->dry_run it takes no snapshot either. */
	int (*prepare)(rs_respond_ctx *ctx, const json_t *target, json_t *before,
		       json_t *describe, char *err, size_t errsize);

	/* Makes the change; may add facts learned while acting to AFTER (an
	 * empty object), e.g. the quarantine id. */
	int (*apply)(rs_respond_ctx *ctx, const json_t *target, const json_t *before,
		     json_t *after, char *err, size_t errsize);

	/* Puts the host back; idempotent (see above). */
	int (*undo)(rs_respond_ctx *ctx, const json_t *target, const json_t *before,
		    char *err, size_t errsize);

	/* Appends to ACTIONS (an array) the actions of this kind that answer
	 * FINDING (a FORMATS.md finding object), each {"action":NAME,
	 * "target":{...},"finding":RULE,"reason":TEXT}; NULL when the kind
	 * proposes nothing by itself. `respond plan` calls every kind's. */
	void (*propose)(const json_t *finding, const rs_host *host, json_t *actions);

	/* What undo does, in a few words ("restore the file", "thaw the
	 * process", "none: a killed process cannot be brought back"). */
	const char *undo_text;
} rs_action_kind;

/* The kinds rasoat knows (kinds.c), NULL-terminated, and a lookup by name. */
extern const rs_action_kind *const rs_action_kinds[];
const rs_action_kind *rs_action_kind_find(const char *name);

#endif
