/*
 * driver.h — runs response actions through their kind (action.h) and the
 * journal (journal.h), so that every change is written down before it is
 * made and can be undone or, after a crash, finished or rolled back:
 *
 *   run:      prepare -> "planned" (target, before-image) -> apply ->
 *             "applied" (with what apply learned) | "failed" (after an undo
 *             of whatever apply did). A dry run stops after one "planned"
 *             line with dry_run:true.
 *   undo:     the "applied" line again with undoing:true -> kind undo ->
 *             "undone". Undoing an undone, failed or dry-run action changes
 *             nothing and says so.
 *   recover:  at the start of every respond command: an action whose
 *             latest line is "planned" (not a dry run) is rolled back and
 *             marked "failed" with recovered:true; one whose latest line is
 *             "applied" with undoing:true is undone and marked "undone"
 *             with recovered:true.
 * Each applied, failed and undone line is also recorded in the store (when
 * one is open), linked to its scan and finding.
 */
#ifndef RS_RESPOND_DRIVER_H
#define RS_RESPOND_DRIVER_H

#include "respond/action.h"
#include "respond/journal.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct rs_store;

typedef struct rs_driver {
	rs_respond_ctx *ctx;
	rs_journal *journal;
	struct rs_store *store;              /* NULL: the journal only */
	const rs_action_kind *const *kinds;  /* NULL-terminated; NULL: rs_action_kinds */
} rs_driver;

/* One action to run. */
typedef struct rs_action_request {
	const rs_action_kind *kind;
	const json_t *target;   /* the kind's target object */
	const char *scan;       /* the scan and finding (rule) it answers, or NULL */
	const char *finding;
	const char *reason;     /* why (from the plan), or NULL */
	const char *plan;       /* the plan's token when run from a plan, or NULL */
} rs_action_request;

typedef struct rs_action_result {
	char id[40];        /* "a-" + 32 hex; "" when nothing was journaled */
	const char *state;  /* "applied", "failed", "planned" (dry run) or "refused"
			     * (prepare refused or failed: nothing changed or journaled) */
	json_t *line;       /* the last journal line written, or NULL */
	json_t *describe;   /* what apply changes (strings), from prepare */
	char error[1024];   /* why, for "failed" and "refused" */
} rs_action_result;

void rs_action_result_free(rs_action_result *r);

/* Runs REQ (a dry run when d->ctx->dry_run). Fills RES. Returns 0 when the
 * action was applied (or dry-run planned), -1 otherwise. */
int rs_driver_run(rs_driver *d, const rs_action_request *req, rs_action_result *res);

/* Undoes action ID. Returns 0 when it was undone now, 1 when there was
 * nothing to do (MSG says why: already undone, failed, a dry run), -1 on
 * an error (MSG). */
int rs_driver_undo(rs_driver *d, const char *id, char *msg, size_t msgsize);

/* Finishes or rolls back what a crash left half-done (see above); warns for
 * each action it recovers or cannot. Returns the number of actions
 * recovered, or -1 when one could not be (it is retried at the next start). */
int rs_driver_recover(rs_driver *d);

/* Records in the store every final journal line it lacks (a crash between
 * the journal write and the store's, or a store that could not be opened
 * then). Returns how many it added, or -1 after an error. */
int rs_driver_sync_store(rs_driver *d);

/* The kind called NAME among d's kinds, or NULL. */
const rs_action_kind *rs_driver_kind(const rs_driver *d, const char *name);

/* A new random action id ("a-" + 32 hex) in ID. */
void rs_action_new_id(char id[40]);

#endif
