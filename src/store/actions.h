/*
 * actions.h — the respond actions in the scan store (table actions,
 * migration v6): one row per applied, failed or undone journal line, linked
 * to the scan and the finding (rule) the action answers, so reports and
 * the fleet server can show who did what, when. The journal
 * (respond/journal.h) is the source of truth; this is its queryable copy.
 */
#ifndef RS_STORE_ACTIONS_H
#define RS_STORE_ACTIONS_H

#include "store/store.h"

#include <jansson.h>

/* Records LINE (a journal action line). Returns 0, or -1 after an error. */
int rs_store_record_action(rs_store *store, const json_t *line);

/* 1 when the line of action ID in STATE written at TIME is recorded, 0 when
 * not, -1 after an error. */
int rs_store_action_recorded(rs_store *store, const char *id, const char *state, const char *time);

/* The recorded lines, oldest first: of scan SCAN, or every one when SCAN is
 * NULL. A new array, or NULL after an error. */
json_t *rs_store_load_actions(rs_store *store, const char *scan);

#endif
