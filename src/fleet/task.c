/*
 * task.c — checks of the fleet's task bodies (task.h): the kinds and their
 * parameters, the operator's create body, the agent's report body and the
 * state changes an agent may report. The server and the agent run the same
 * checks, so a task that reaches an agent has passed them twice.
 */
#include "fleet/task.h"
#include "fleet/proto.h"
#include "core/i18n.h"
#include "respond/plan.h"

#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kinds[] = { "scan", "collect", "drill", "update-content", "respond", NULL };

static int fail(char *err, size_t errsize, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errsize, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errsize, fmt, ap);
	va_end(ap);
	return -1;
}

bool rs_task_kind_ok(const char *kind)
{
	for (size_t i = 0; kind && kinds[i]; i++)
		if (strcmp(kind, kinds[i]) == 0)
			return true;
	return false;
}

/* 1..MAX of [a-z0-9_-]. */
static bool name_ok(const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-'))
			return false;
	return true;
}

/* An absolute path of 1..4096 printable bytes. */
static bool abs_path_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > 4096 || s[0] != '/')
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

/* Whether every key of OBJ is one of ALLOWED (NULL-terminated). */
static bool keys_only(const json_t *obj, const char *const *allowed, const char **bad)
{
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)obj, key, v) {
		bool found = false;
		for (size_t i = 0; allowed[i] && !found; i++)
			found = strcmp(key, allowed[i]) == 0;
		if (!found) {
			*bad = key;
			return false;
		}
	}
	return true;
}

int rs_task_rules_check(const json_t *rules, char *err, size_t errsize)
{
	if (!rules)
		return 0;
	if (!json_is_array(rules) || json_array_size(rules) == 0 || json_array_size(rules) > RS_TASK_MAX_RULES)
		return fail(err, errsize, _("scan: rules is a list of 1 to %d rule ids or patterns"), RS_TASK_MAX_RULES);
	size_t i;
	json_t *v;
	json_array_foreach(rules, i, v) {
		const char *s = json_string_value(v);
		size_t n = s ? strlen(s) : 0;
		if (n == 0 || n > RS_TASK_MAX_RULE)
			return fail(err, errsize, _("scan: rules[%zu] is not a rule id or pattern (1-%d characters)"), i,
				    RS_TASK_MAX_RULE);
		for (size_t k = 0; k < n; k++)
			if ((unsigned char)s[k] <= 0x20 || s[k] == 0x7f)
				return fail(err, errsize, _("scan: rules[%zu] holds a space or control character"), i);
	}
	return 0;
}

static int check_scan(const json_t *p, char *err, size_t errsize)
{
	static const char *const allowed[] = { "modules", "rules", NULL };
	const char *bad;
	if (!keys_only(p, allowed, &bad))
		return fail(err, errsize, _("scan: unknown parameter \"%.64s\" (modules, rules)"), bad);
	if (rs_task_rules_check(json_object_get(p, "rules"), err, errsize) < 0)
		return -1;
	const json_t *m = json_object_get(p, "modules");
	if (!m)
		return 0;
	if (!json_is_array(m) || json_array_size(m) == 0 || json_array_size(m) > RS_TASK_MAX_MODULES)
		return fail(err, errsize, "scan: modules is a list of 1 to %d module names", RS_TASK_MAX_MODULES);
	size_t i;
	json_t *v;
	json_array_foreach(m, i, v)
		if (!name_ok(json_string_value(v), 32))
			return fail(err, errsize, "scan: modules[%zu] is not a module name ([a-z0-9_-], 1-32)", i);
	return 0;
}

static int check_collect(const json_t *p, char *err, size_t errsize)
{
	static const char *const allowed[] = { "paths", "max_total", NULL };
	const char *bad;
	if (!keys_only(p, allowed, &bad))
		return fail(err, errsize, "collect: unknown parameter \"%.64s\" (paths, max_total)", bad);
	const json_t *paths = json_object_get(p, "paths");
	if (paths) {
		if (!json_is_array(paths) || json_array_size(paths) > RS_TASK_MAX_PATHS)
			return fail(err, errsize, "collect: paths is a list of at most %d absolute paths",
				    RS_TASK_MAX_PATHS);
		size_t i;
		json_t *v;
		json_array_foreach(paths, i, v)
			if (!abs_path_ok(json_string_value(v)))
				return fail(err, errsize, "collect: paths[%zu] is not an absolute path", i);
	}
	const json_t *max = json_object_get(p, "max_total");
	if (max && (!json_is_integer(max) || json_integer_value(max) < 1 ||
		    (unsigned long long)json_integer_value(max) > RS_TASK_COLLECT_MAX))
		return fail(err, errsize, "collect: max_total is a byte count from 1 to %llu", RS_TASK_COLLECT_MAX);
	return 0;
}

static int check_drill(const json_t *p, char *err, size_t errsize)
{
	static const char *const allowed[] = { "scenario", NULL };
	const char *bad;
	if (!keys_only(p, allowed, &bad))
		return fail(err, errsize, "drill: unknown parameter \"%.64s\" (only scenario)", bad);
	if (!name_ok(json_string_value(json_object_get(p, "scenario")), 64))
		return fail(err, errsize, "drill: give scenario, a drill scenario's name ([a-z0-9_-], 1-64)");
	return 0;
}

static int check_content(const json_t *p, char *err, size_t errsize)
{
	static const char *const allowed[] = { "bundle", "signature", NULL };
	const char *bad;
	if (!keys_only(p, allowed, &bad))
		return fail(err, errsize, "update-content: unknown parameter \"%.64s\"", bad);
	const char *bundle = json_string_value(json_object_get(p, "bundle"));
	const char *sig = json_string_value(json_object_get(p, "signature"));
	if (!bundle || !sig || strlen(sig) != RS_FLEET_SIG_B64)
		return fail(err, errsize, "update-content: the task carries no signed bundle");
	rs_content_bundle b;
	if (rs_content_parse(bundle, strlen(bundle), &b, err, errsize) < 0)
		return -1;
	rs_content_free(&b);
	return 0;
}

static int check_respond(const json_t *p, char *err, size_t errsize)
{
	static const char *const allowed[] = { "plan", "token", NULL };
	const char *bad;
	if (!keys_only(p, allowed, &bad))
		return fail(err, errsize, "respond: unknown parameter \"%.64s\" (plan, token)", bad);
	const json_t *plan = json_object_get(p, "plan");
	const char *token = json_string_value(json_object_get(p, "token"));
	if (!json_is_object(plan) || !token || !rs_fleet_is_hex(token, 64))
		return fail(err, errsize, "respond: give plan (a `rasoat respond plan` document) and token (its 64 hex digits)");
	char *text = json_dumps(plan, JSON_COMPACT | JSON_SORT_KEYS);
	if (!text || strlen(text) > RS_TASK_MAX_PLAN) {
		free(text);
		return fail(err, errsize, "respond: the plan is larger than %u bytes; split it", RS_TASK_MAX_PLAN);
	}
	json_t *parsed = rs_plan_parse(text, strlen(text), err, errsize);
	free(text);
	if (!parsed)
		return -1;
	char want[65];
	rs_plan_token(parsed, want);
	json_decref(parsed);
	if (strcmp(want, token) != 0)
		return fail(err, errsize, "respond: the token is not this plan's (the plan changed after its token "
			    "was made); get it with `rasoat respond token PLAN`");
	return 0;
}

int rs_task_params_check(const char *kind, const json_t *params, char *err, size_t errsize)
{
	json_t *empty = NULL;
	if (!params)
		params = empty = json_object();
	int rc;
	if (!json_is_object(params))
		rc = fail(err, errsize, "a task's parameters are an object");
	else if (!kind)
		rc = fail(err, errsize, "the task has no kind");
	else if (strcmp(kind, "scan") == 0)
		rc = check_scan(params, err, errsize);
	else if (strcmp(kind, "collect") == 0)
		rc = check_collect(params, err, errsize);
	else if (strcmp(kind, "drill") == 0)
		rc = check_drill(params, err, errsize);
	else if (strcmp(kind, "update-content") == 0)
		rc = check_content(params, err, errsize);
	else if (strcmp(kind, "respond") == 0)
		rc = check_respond(params, err, errsize);
	else
		rc = fail(err, errsize, "unknown task kind \"%.32s\" (scan, collect, drill, update-content, respond)",
			  kind);
	json_decref(empty);
	return rc;
}

/* ---- the operator's create body ---- */

/* The update-content create parameters: {"files":[{"path","data"}]}. */
static int check_content_files(const json_t *p, char *err, size_t errsize)
{
	static const char *const allowed[] = { "files", NULL };
	const char *bad;
	if (!keys_only(p, allowed, &bad))
		return fail(err, errsize, "update-content: unknown parameter \"%.64s\" (only files)", bad);
	char *text = rs_content_build(json_object_get(p, "files"), 0, err, errsize);
	free(text);
	return text ? 0 : -1;
}

static bool group_ok(const char *g)
{
	size_t n = g ? strlen(g) : 0;
	if (n == 0 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)g[i] < 0x20 || g[i] == 0x7f)
			return false;
	return true;
}

int rs_task_parse_create(const char *text, size_t len, rs_task_spec *out, char *err, size_t errsize)
{
	memset(out, 0, sizeof(*out));
	json_error_t jerr;
	json_t *body = json_loadb(text ? text : "", len, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(body)) {
		json_decref(body);
		return fail(err, errsize, "the body is not a JSON object: %s", jerr.text);
	}
	const json_t *host = json_object_get(body, "host");
	const json_t *group = json_object_get(body, "group");
	const char *kind = json_string_value(json_object_get(body, "type"));
	int rc = 0;
	if ((host != NULL) == (group != NULL))
		rc = fail(err, errsize, "give either host (an agent id) or group (a group name), not both");
	else if (host && !rs_fleet_is_hex(json_string_value(host), RS_FLEET_ID_HEX))
		rc = fail(err, errsize, "host is an agent id: 32 lowercase hex digits");
	else if (group && !group_ok(json_string_value(group)))
		rc = fail(err, errsize, "group is 1-64 printable characters");
	else if (!rs_task_kind_ok(kind))
		rc = fail(err, errsize, "type is one of scan, collect, drill, update-content, respond");
	if (rc < 0) {
		json_decref(body);
		return -1;
	}
	snprintf(out->host, sizeof(out->host), "%s", host ? json_string_value(host) : "");
	snprintf(out->group, sizeof(out->group), "%s", group ? json_string_value(group) : "");
	snprintf(out->kind, sizeof(out->kind), "%s", kind);
	json_object_del(body, "host");
	json_object_del(body, "group");
	json_object_del(body, "type");
	/* KIND pointed into the "type" member, deleted above: use the copy */
	rc = strcmp(out->kind, "update-content") == 0 ? check_content_files(body, err, errsize)
						      : rs_task_params_check(out->kind, body, err, errsize);
	if (rc < 0) {
		json_decref(body);
		return -1;
	}
	out->params = body;
	return 0;
}

void rs_task_spec_free(rs_task_spec *s)
{
	json_decref(s->params);
	s->params = NULL;
}

/* ---- the agent's report ---- */

static bool text_ok(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 && s[i] != '\t')
			return false;
	return true;
}

int rs_task_parse_report(const char *text, size_t len, rs_task_report *out, char *err, size_t errsize)
{
	memset(out, 0, sizeof(*out));
	json_error_t jerr;
	json_t *body = json_loadb(text ? text : "", len, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(body)) {
		json_decref(body);
		return fail(err, errsize, "the body is not a JSON object: %s", jerr.text);
	}
	const char *id = json_string_value(json_object_get(body, "id"));
	const char *state = json_string_value(json_object_get(body, "state"));
	const json_t *msg = json_object_get(body, "message");
	const json_t *result = json_object_get(body, "result");
	int rc = 0;
	if (!id || !rs_fleet_is_hex(id, RS_FLEET_ID_HEX))
		rc = fail(err, errsize, "id is a task id: 32 lowercase hex digits");
	else if (!state || (strcmp(state, "running") && strcmp(state, "done") && strcmp(state, "failed") &&
			    strcmp(state, "refused")))
		rc = fail(err, errsize, "state is running, done, failed or refused");
	else if (msg && (!json_is_string(msg) || !text_ok(json_string_value(msg), RS_TASK_MAX_MESSAGE)))
		rc = fail(err, errsize, "message is a text of at most %d characters without control characters",
			  RS_TASK_MAX_MESSAGE);
	else if (result && !json_is_object(result))
		rc = fail(err, errsize, "result is an object");
	if (rc == 0 && result) {
		char *r = json_dumps(result, JSON_COMPACT);
		if (!r || strlen(r) > RS_TASK_MAX_RESULT)
			rc = fail(err, errsize, "result is larger than %u bytes", RS_TASK_MAX_RESULT);
		free(r);
	}
	if (rc == 0) {
		snprintf(out->id, sizeof(out->id), "%s", id);
		snprintf(out->state, sizeof(out->state), "%s", state);
		snprintf(out->message, sizeof(out->message), "%s", msg ? json_string_value(msg) : "");
		out->result = json_incref((json_t *)result);
	}
	json_decref(body);
	return rc;
}

void rs_task_report_free(rs_task_report *r)
{
	json_decref(r->result);
	r->result = NULL;
}

bool rs_task_transition_ok(const char *from, const char *to)
{
	bool final = strcmp(to, "done") == 0 || strcmp(to, "failed") == 0 || strcmp(to, "refused") == 0;
	if (strcmp(from, "sent") == 0)
		return final || strcmp(to, "running") == 0;
	if (strcmp(from, "running") == 0)
		return final;
	/* the server gave up waiting (never reported); the agent's own word still counts */
	if (strcmp(from, "lost") == 0)
		return final || strcmp(to, "running") == 0;
	return false;
}

bool rs_task_rule_selected(const json_t *rules, const char *rule)
{
	if (!rules)
		return true;
	size_t i;
	json_t *v;
	json_array_foreach(rules, i, v) {
		const char *pattern = json_string_value(v);
		if (pattern && rule && fnmatch(pattern, rule, 0) == 0)
			return true;
	}
	return false;
}
