/*
 * plan.h — response plans: the actions every kind proposes for a stored
 * scan's findings, deduplicated by (action, target), as one JSON document
 *
 *   {"type":"plan","version":1,"scan":ID,"host":NAME,"root":DIR,"created":TIME,
 *    "actions":[{"action":NAME,"target":{...},"finding":RULE,"reason":TEXT},...]}
 *
 * and its token: the SHA-256 hex of the document serialised compactly with
 * sorted keys. `respond apply` applies a plan only with the token of
 * exactly that plan, so an edited plan needs a new token.
 */
#ifndef RS_RESPOND_PLAN_H
#define RS_RESPOND_PLAN_H

#include "core/host.h"
#include "respond/action.h"

#include <jansson.h>
#include <stddef.h>

#define RS_PLAN_VERSION 1
#define RS_PLAN_MAX_BYTES (64u << 20)
#define RS_PLAN_MAX_ACTIONS 100000

/* A new plan for FINDINGS (an array of FORMATS.md finding objects) of scan
 * SCAN on HOST_NAME, asking each of KINDS (NULL-terminated) to propose
 * actions with HOST (the root the actions will act on). A proposal for an
 * (action, target) already in the plan is dropped. New reference. */
json_t *rs_plan_build(const json_t *findings, const char *scan, const char *host_name,
		      const rs_host *host, const rs_action_kind *const *kinds);

/* The token of PLAN (64 hex digits and a NUL). */
void rs_plan_token(const json_t *plan, char token[65]);

/* Parses and checks a plan document (TEXT, LEN bytes): type "plan",
 * version 1, a root, and actions that each have an action name and a
 * target object. NULL with ERR (naming the action's index) when it is not a
 * plan. New reference. */
json_t *rs_plan_parse(const char *text, size_t len, char *err, size_t errsize);

/* The key that makes two actions the same: NAME and the target serialised
 * with sorted keys. The caller frees it. */
char *rs_plan_action_key(const char *name, const json_t *target);

#endif
