/*
 * plan.c — building, tokening and parsing response plans (see plan.h).
 */
#include "respond/plan.h"
#include "core/digest.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *rs_plan_action_key(const char *name, const json_t *target)
{
	char *text = json_dumps(target, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
	char *key = rs_sprintf("%s\x1f%s", name, text ? text : "");
	free(text);
	return key;
}

void rs_plan_token(const json_t *plan, char token[65])
{
	char *text = json_dumps(plan, JSON_COMPACT | JSON_SORT_KEYS);
	rs_sha256_hex(text ? text : "", text ? strlen(text) : 0, token);
	free(text);
}

/* Checks ACTION, the I-th of a plan; false with ERR when it is malformed. */
static bool action_valid(const json_t *action, size_t i, char *err, size_t errsize)
{
	const char *problem = NULL;
	const json_t *finding = json_object_get(action, "finding");
	const json_t *reason = json_object_get(action, "reason");
	if (!json_is_object(action))
		problem = "is not an object";
	else if (!json_is_string(json_object_get(action, "action")))
		problem = "has no \"action\" name";
	else if (!json_is_object(json_object_get(action, "target")))
		problem = "has no \"target\" object";
	else if (finding && !json_is_string(finding) && !json_is_null(finding))
		problem = "has a \"finding\" that is not a string";
	else if (reason && !json_is_string(reason) && !json_is_null(reason))
		problem = "has a \"reason\" that is not a string";
	if (problem)
		snprintf(err, errsize, "action %zu %s", i + 1, problem);
	return problem == NULL;
}

/* The path an action takes as a whole (quarantine, a file or tree removal,
 * a mode change): its target's "path" when it names no line or account. */
static const char *whole_path(const json_t *action)
{
	const json_t *target = json_object_get(action, "target");
	if (json_object_get(target, "line") || json_object_get(target, "lines") || json_object_get(target, "user"))
		return NULL;
	return json_string_value(json_object_get(target, "path"));
}

/* Whether an action already in ACTIONS takes PROPOSAL's path, or a directory
 * holding it, as a whole: one action per path, whichever modules and kinds
 * answered it (a tree removed first takes its members with it). */
static bool covered(const json_t *actions, const json_t *proposal)
{
	const char *path = whole_path(proposal);
	if (!path)
		return false;
	size_t i;
	const json_t *a;
	json_array_foreach((json_t *)actions, i, a) {
		const char *other = whole_path(a);
		size_t n = other ? strlen(other) : 0;
		if (other && strncmp(path, other, n) == 0 && (path[n] == '\0' || path[n] == '/' || strcmp(other, "/") == 0))
			return true;
	}
	return false;
}

/* Keeps PROPOSAL (from a kind) in PLAN's ACTIONS unless malformed, a
 * duplicate of an action already there (SEEN: key -> true) or covered by
 * one (above). */
static void add_proposal(json_t *actions, json_t *seen, const json_t *proposal, const char *kind)
{
	char err[200];
	if (!action_valid(proposal, 0, err, sizeof(err))) {
		rs_warn(_("the %s action kind proposed a malformed action (%s); it is left out of the plan"),
			kind, err + strlen("action 1 "));
		return;
	}
	char *key = rs_plan_action_key(json_string_value(json_object_get(proposal, "action")),
				       json_object_get(proposal, "target"));
	if (!json_object_get(seen, key) && !covered(actions, proposal)) {
		json_object_set_new(seen, key, json_true());
		json_array_append(actions, (json_t *)proposal);
	}
	free(key);
}

json_t *rs_plan_build(const json_t *findings, const char *scan, const char *host_name,
		      const rs_host *host, const rs_action_kind *const *kinds)
{
	json_t *actions = json_array();
	json_t *seen = json_object();
	size_t i;
	const json_t *finding;
	json_array_foreach((json_t *)findings, i, finding) {
		for (const rs_action_kind *const *k = kinds; *k; k++) {
			if (!(*k)->propose)
				continue;
			json_t *proposed = json_array();
			(*k)->propose(finding, host, proposed);
			size_t j;
			json_t *p;
			json_array_foreach(proposed, j, p)
				add_proposal(actions, seen, p, (*k)->name);
			json_decref(proposed);
		}
	}
	json_decref(seen);
	char now[32];
	rs_now_iso8601(now, sizeof(now));
	return json_pack("{s:s, s:i, s:s?, s:s?, s:s, s:s, s:o}", "type", "plan", "version",
			 RS_PLAN_VERSION, "scan", scan, "host", host_name, "root", host->root,
			 "created", now, "actions", actions);
}

json_t *rs_plan_parse(const char *text, size_t len, char *err, size_t errsize)
{
	if (len > RS_PLAN_MAX_BYTES) {
		snprintf(err, errsize, _("larger than %u bytes"), RS_PLAN_MAX_BYTES);
		return NULL;
	}
	json_error_t error;
	json_t *plan = json_loadb(text, len, JSON_REJECT_DUPLICATES, &error);
	if (!plan) {
		snprintf(err, errsize, _("not JSON: %s at line %d, column %d"), error.text, error.line,
			 error.column);
		return NULL;
	}
	const json_t *version = json_object_get(plan, "version");
	const json_t *actions = json_object_get(plan, "actions");
	const json_t *scan = json_object_get(plan, "scan");
	const char *type = json_string_value(json_object_get(plan, "type"));
	const char *problem = NULL;
	if (!json_is_object(plan) || !type || strcmp(type, "plan") != 0)
		problem = "not a plan (no \"type\":\"plan\"); make one with `rasoat respond plan`";
	else if (!json_is_integer(version) || json_integer_value(version) != RS_PLAN_VERSION)
		problem = "a plan of another version; make a new one with `rasoat respond plan`";
	else if (!json_is_string(json_object_get(plan, "root")))
		problem = "no \"root\"";
	else if (scan && !json_is_string(scan) && !json_is_null(scan))
		problem = "a \"scan\" that is not a string";
	else if (!json_is_array(actions))
		problem = "no \"actions\" array";
	else if (json_array_size(actions) > RS_PLAN_MAX_ACTIONS)
		problem = "too many actions";
	if (problem) {
		snprintf(err, errsize, "%s", problem);
		json_decref(plan);
		return NULL;
	}
	size_t i;
	const json_t *action;
	json_array_foreach(actions, i, action) {
		if (!action_valid(action, i, err, errsize)) {
			json_decref(plan);
			return NULL;
		}
	}
	return plan;
}
