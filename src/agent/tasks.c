/*
 * tasks.c — the agent runs the tasks its check-in reply carries and
 * reports each one's state (running, then done, failed or refused) with a
 * signed POST /api/v1/tasks/report. Every task is checked again here
 * (fleet/task.h) whatever the server checked; what the host's own
 * configuration (conf.c) does not allow is refused: drills without
 * allow_drill, respond plans without allow_respond, content whose
 * signature does not verify with the key pinned at enrolment.
 */
#include "agent/agent.h"
#include "core/digest.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"
#include "fleet/task.h"
#include "respond/plan.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TASK_TIMEOUT 1800          /* seconds a collect, drill or respond may take */
#define OUTPUT_MAX (256u << 10)    /* bytes of a command's output read */
#define RESULT_KEEP (24u << 10)    /* a result larger than this is reported by its hash */

typedef struct task_ctx {
	rs_agent_state *st;
	const rs_agent_run_options *o;
	rs_agent_conf conf;
	const char *id;
	const json_t *task;
} task_ctx;

typedef struct task_outcome {
	const char *state;          /* done, failed, refused */
	char message[RS_TASK_MAX_MESSAGE + 1];
	json_t *result;             /* owned or NULL */
	char *pending_bundle;       /* owned: a collect bundle still to upload (the server was away) */
} task_outcome;

static void outcome(task_outcome *out, const char *state, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void outcome(task_outcome *out, const char *state, const char *fmt, ...)
{
	out->state = state;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(out->message, sizeof(out->message), fmt, ap);
	va_end(ap);
	/* the report refuses control characters in messages */
	for (char *p = out->message; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
}

/* Reports task ID's STATE to the server; a lost report is logged only. */
static void report(rs_agent_state *st, const char *id, const char *state, const char *message, const json_t *result)
{
	json_t *body = json_pack("{s:s,s:s}", "id", id, "state", state);
	if (message && *message)
		json_object_set_new(body, "message", json_string(message));
	if (result)
		json_object_set(body, "result", (json_t *)result);
	char *text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	rs_agent_reply reply;
	for (int attempt = 0; attempt < 2; attempt++) {
		rs_agent_post_signed(st, RS_FLEET_API "/tasks/report", text, strlen(text), &reply);
		bool retry = reply.status == 0 || reply.status == 429 || reply.status >= 500;
		if (!retry || attempt == 1)
			break;
		rs_agent_reply_free(&reply);
	}
	if (reply.status != 200)
		rs_warn(_("%s: cannot report task %s as %s (HTTP %ld)"), st->server, id, state, reply.status);
	rs_agent_reply_free(&reply);
	free(text);
}

/* STATE/NAME, made (0700) when missing. NULL after an error. */
static char *state_subdir(const rs_agent_state *st, const char *name)
{
	char *dir = rs_sprintf("%s/%s", st->dir, name);
	if (rs_agent_make_dir(dir) < 0) {
		free(dir);
		return NULL;
	}
	return dir;
}

/* A command's JSON output as a result: itself when small, else its hash. */
static json_t *output_result(const char *out)
{
	json_t *doc = json_loads(out, 0, NULL);
	if (doc && strlen(out) <= RESULT_KEEP)
		return json_pack("{s:o}", "output", doc);
	json_decref(doc);
	char hex[65];
	rs_sha256_hex(out, strlen(out), hex);
	return json_pack("{s:s,s:I}", "output_sha256", hex, "output_bytes", (json_int_t)strlen(out));
}

static void run_scan(task_ctx *t, const json_t *params, bool *scanned, task_outcome *out)
{
	const json_t *modules = json_object_get(params, "modules");
	size_t n = json_array_size(modules);
	char **only = n ? rs_calloc(n, sizeof(char *)) : NULL;
	for (size_t i = 0; i < n; i++)
		only[i] = (char *)json_string_value(json_array_get(modules, i));
	rs_agent_scan_options so = t->o->scan;
	if (n) {
		so.only = only;
		so.n_only = n;
	}
	so.rules = json_object_get(params, "rules");
	if (rs_agent_spool_scan(t->st, &so) < 0) {
		outcome(out, "failed", "the scan could not run; see the agent's log");
	} else {
		outcome(out, "done", "scan spooled for upload");
		if (!n && !t->o->scan.n_only && !so.rules) {
			*scanned = true;
			rs_agent_set_last_scan(t->st, (long long)time(NULL));
		}
	}
	free(only);
}

/* Sends the collect task's BUNDLE to the server; the result says whether
 * it is there ("uploaded") or why not ("upload_error"). */
static void upload_bundle(task_ctx *t, const char *bundle, task_outcome *out)
{
	char err[512];
	int rc = rs_agent_bundle_upload(t->st, t->id, bundle, err, sizeof(err));
	if (rc < 0) {
		/* reported once the bundle is on the server (task_journal.c) */
		out->pending_bundle = rs_strdup(bundle);
		outcome(out, "done", _("evidence bundle written on the host; its upload waits for the server: %s"), err);
		return;
	}
	json_object_set_new(out->result, "uploaded", json_boolean(rc == 0));
	if (rc == 0) {
		outcome(out, "done", _("evidence bundle uploaded to the server (a copy stays on the host)"));
		return;
	}
	json_object_set_new(out->result, "upload_error", json_string(err));
	outcome(out, "done", _("evidence bundle written on the host, not uploaded: %s"), err);
}

static void run_collect(task_ctx *t, const json_t *params, task_outcome *out)
{
	char *dir = state_subdir(t->st, "collect");
	if (!dir) {
		outcome(out, "failed", "cannot make the agent's collect directory");
		return;
	}
	unsigned long long max = t->conf.collect_max;
	const json_t *want = json_object_get(params, "max_total");
	if (want && (unsigned long long)json_integer_value(want) < max)
		max = (unsigned long long)json_integer_value(want);
	char *bundle = rs_sprintf("%s/%s.tar.gz", dir, t->id);
	char *max_text = rs_sprintf("%llu", max);
	rs_vec args;
	rs_vec_init(&args, sizeof(char *));
	const char *fixed[] = { "rasoat", "collect", "-q", "-o", bundle, "--max-total", max_text, "--max-file", max_text };
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		*(const char **)rs_vec_push(&args) = fixed[i];
	if (t->o->scan.root) {
		*(const char **)rs_vec_push(&args) = "--root";
		*(const char **)rs_vec_push(&args) = t->o->scan.root;
	}
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(params, "paths"), i, p) {
		*(const char **)rs_vec_push(&args) = "--path";
		*(const char **)rs_vec_push(&args) = json_string_value(p);
	}
	*(const char **)rs_vec_push(&args) = NULL;
	char *output = NULL, errtext[512];
	int rc = rs_agent_exec_self((char *const *)rs_vec_at(&args, 0), TASK_TIMEOUT, OUTPUT_MAX, &output, errtext,
				    sizeof(errtext));
	if (rc != 0) {
		outcome(out, "failed", "rasoat collect failed (status %d): %s", rc, errtext);
	} else {
		char err[256];
		out->result = rs_agent_bundle_summary(bundle, err, sizeof(err));
		if (out->result)
			upload_bundle(t, bundle, out);
		else
			outcome(out, "failed", "%s", err);
	}
	free(output);
	rs_vec_free(&args);
	free(max_text);
	free(bundle);
	free(dir);
}

static void run_drill(task_ctx *t, const json_t *params, task_outcome *out)
{
	if (!t->conf.allow_drill) {
		outcome(out, "refused", "this host's agent configuration does not allow drills (allow_drill = yes in %s)",
			t->o->config ? t->o->config : RS_AGENT_DEFAULT_CONF);
		return;
	}
	char *dir = state_subdir(t->st, "drill");
	if (!dir) {
		outcome(out, "failed", "cannot make the agent's drill directory");
		return;
	}
	char *db = rs_sprintf("%s/rasoat.db", dir);
	const char *argv[12] = { "rasoat", "drill", "run", json_string_value(json_object_get(params, "scenario")),
				 "--format", "json", "--db", db };
	size_t n = 8;
	if (t->conf.drill_root) {
		argv[n++] = "--root";
		argv[n++] = t->conf.drill_root;
	}
	argv[n] = NULL;
	char *output = NULL, errtext[512];
	int rc = rs_agent_exec_self((char *const *)argv, TASK_TIMEOUT, OUTPUT_MAX, &output, errtext, sizeof(errtext));
	if (rc == 0 || rc == 1) {
		out->result = output_result(output);
		outcome(out, "done", rc == 0 ? "drill ran: every step detected" : "drill ran: some steps not detected");
	} else {
		outcome(out, "failed", "rasoat drill run failed (status %d): %s", rc, errtext);
	}
	free(output);
	free(db);
	free(dir);
}

static void run_content(task_ctx *t, const json_t *params, task_outcome *out)
{
	const char *bundle = json_string_value(json_object_get(params, "bundle"));
	const char *sig = json_string_value(json_object_get(params, "signature"));
	if (!t->st->has_content_key) {
		outcome(out, "refused", "this agent pinned no content key at enrolment; enrol it again to accept content");
		return;
	}
	if (!rs_content_verify(t->st->content_key, bundle, sig)) {
		rs_error(_("task %s: the content bundle's signature does not verify with the server's pinned content key; "
			 "refused"), t->id);
		outcome(out, "refused", "bad signature: the content bundle is not signed by the content key pinned at enrolment");
		return;
	}
	char *dir = t->conf.content_dir ? rs_strdup(t->conf.content_dir) : rs_sprintf("%s/content", t->st->dir);
	char err[512];
	out->result = rs_agent_content_install(dir, bundle, err, sizeof(err));
	if (out->result)
		outcome(out, "done", "content installed in %s", dir);
	else
		outcome(out, "failed", "%s", err);
	free(dir);
}

static void run_respond(task_ctx *t, const json_t *params, task_outcome *out)
{
	if (!t->conf.allow_respond) {
		outcome(out, "refused", "this host's agent configuration does not allow response actions "
			"(allow_respond = yes in %s)", t->o->config ? t->o->config : RS_AGENT_DEFAULT_CONF);
		return;
	}
	const char *approver = json_string_value(json_object_get(t->task, "approved_by"));
	if (!approver || !*approver) {
		outcome(out, "refused", "the respond task carries no approval; an admin approves plans on the server");
		return;
	}
	/* the plan's token again, here: exactly the plan the operator approved */
	char err[256], token[65];
	char *text = json_dumps(json_object_get(params, "plan"), JSON_COMPACT | JSON_SORT_KEYS);
	json_t *plan = text ? rs_plan_parse(text, strlen(text), err, sizeof(err)) : NULL;
	const char *want = json_string_value(json_object_get(params, "token"));
	if (!plan) {
		outcome(out, "refused", "not a response plan");
		free(text);
		return;
	}
	rs_plan_token(plan, token);
	json_decref(plan);
	if (!want || strcmp(token, want) != 0) {
		outcome(out, "refused", "the plan's token does not match the plan; nothing applied");
		free(text);
		return;
	}
	char *dir = state_subdir(t->st, "respond");
	char *file = dir ? rs_sprintf("plan-%s.json", t->id) : NULL;
	if (!dir || rs_agent_write_file(dir, file, text, strlen(text)) < 0) {
		outcome(out, "failed", "cannot write the plan into the agent's state directory");
		free(text);
		free(file);
		free(dir);
		return;
	}
	free(text);
	char *path = rs_sprintf("%s/%s", dir, file);
	char *db = rs_sprintf("%s/rasoat.db", dir);
	const char *argv[14] = { "rasoat", "respond", "apply", path, "--token", token, "--format", "jsonl", "--db", db };
	size_t n = 10;
	if (t->conf.respond_root) {
		argv[n++] = "--root";
		argv[n++] = t->conf.respond_root;
	}
	argv[n] = NULL;
	char *output = NULL, errtext[512];
	int rc = rs_agent_exec_self((char *const *)argv, TASK_TIMEOUT, OUTPUT_MAX, &output, errtext, sizeof(errtext));
	json_t *lines = json_array();
	char *save = NULL;
	for (char *l = strtok_r(output, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		json_t *j = json_loads(l, 0, NULL);
		if (j && json_array_size(lines) < 100)
			json_array_append_new(lines, j);
		else
			json_decref(j);
	}
	out->result = json_pack("{s:o,s:i}", "actions", lines, "exit", rc);
	char *check = json_dumps(out->result, JSON_COMPACT);
	if (!check || strlen(check) > RESULT_KEEP) {
		json_decref(out->result);
		out->result = json_pack("{s:I,s:i}", "actions_reported", (json_int_t)json_array_size(lines), "exit", rc);
	}
	free(check);
	if (rc == 0)
		outcome(out, "done", "every action of the approved plan applied");
	else
		outcome(out, "failed", "rasoat respond apply: status %d: %s", rc, errtext);
	free(output);
	free(db);
	free(path);
	free(file);
	free(dir);
}

static void run_one(task_ctx *t, bool *scanned, task_outcome *out)
{
	const char *kind = json_string_value(json_object_get(t->task, "type"));
	json_t *params = json_deep_copy(t->task);
	json_object_del(params, "id");
	json_object_del(params, "type");
	json_object_del(params, "approved_by");
	char err[512];
	if (rs_task_params_check(kind, params, err, sizeof(err)) < 0)
		outcome(out, "refused", "the task does not pass this agent's checks: %s", err);
	else if (strcmp(kind, "scan") == 0)
		run_scan(t, params, scanned, out);
	else if (strcmp(kind, "collect") == 0)
		run_collect(t, params, out);
	else if (strcmp(kind, "drill") == 0)
		run_drill(t, params, out);
	else if (strcmp(kind, "update-content") == 0)
		run_content(t, params, out);
	else
		run_respond(t, params, out);
	json_decref(params);
}

char *rs_agent_content_dir(const rs_agent_state *st, const rs_agent_run_options *o)
{
	rs_agent_conf conf;
	rs_agent_conf_init(&conf);
	char err[512];
	char *dir = NULL;
	if (rs_agent_conf_load(&conf, o->config ? o->config : RS_AGENT_DEFAULT_CONF, err, sizeof(err)) == 0 &&
	    conf.content_dir)
		dir = rs_strdup(conf.content_dir);
	rs_agent_conf_free(&conf);
	return dir ? dir : rs_sprintf("%s/content", st->dir);
}

/* Whether task ID ran here already (the server handed it out again: it
 * never heard of the outcome): its recorded outcome is reported again
 * instead of running it twice. */
static bool journal_known(rs_agent_state *st, const char *id)
{
	json_t *rec = rs_agent_task_record(st, id);
	if (!rec)
		return false;
	fprintf(stderr, "rasoat: task %s: %s\n", id, _("ran here already; its outcome is reported again"));
	rs_agent_task_resend(st, rec);
	json_decref(rec);
	return true;
}

/* Records OUT in REC (fsynced) and reports it, unless a bundle still
 * waits for its upload (then the next round uploads and reports it). */
static void journal_outcome(rs_agent_state *st, json_t *rec, const task_outcome *out)
{
	json_object_set_new(rec, "state", json_string(out->state));
	json_object_set_new(rec, "message", json_string(out->message));
	if (out->result)
		json_object_set(rec, "result", out->result);
	if (out->pending_bundle)
		json_object_set_new(rec, "pending_bundle", json_string(out->pending_bundle));
	json_object_set_new(rec, "reported", json_false());
	if (rs_agent_task_record_write(st, rec) < 0)
		rs_warn(_("task %s: cannot record its outcome in %s/tasks"), json_string_value(json_object_get(rec, "id")),
			st->dir);
	if (out->pending_bundle)
		return;
	long status = rs_agent_task_report_final(st, rec);
	if (status != 200 && status != 404 && status != 409)
		rs_warn(_("%s: cannot report task %s as %s now (HTTP %ld); it is reported at the next round"), st->server,
			json_string_value(json_object_get(rec, "id")), out->state, status);
}

int rs_agent_run_tasks(rs_agent_state *st, const rs_agent_run_options *o, const json_t *tasks, bool *scanned)
{
	task_ctx t = { .st = st, .o = o };
	rs_agent_conf_init(&t.conf);
	char err[512];
	bool conf_ok = rs_agent_conf_load(&t.conf, o->config ? o->config : RS_AGENT_DEFAULT_CONF, err, sizeof(err)) == 0;
	if (!conf_ok && json_array_size(tasks))
		rs_error(_("%s; drills and response actions are refused until it is fixed"), err);
	size_t i;
	json_t *task;
	json_array_foreach(tasks, i, task) {
		const char *id = json_string_value(json_object_get(task, "id"));
		if (!id || !rs_fleet_is_hex(id, RS_FLEET_ID_HEX))
			continue;
		t.id = id;
		t.task = task;
		if (journal_known(st, id))
			continue;
		json_t *rec = json_pack("{s:s,s:s?,s:s}", "id", id, "type",
					json_string_value(json_object_get(task, "type")), "state", "running");
		if (rs_agent_task_record_write(st, rec) < 0)
			rs_warn(_("task %s: cannot write its record in %s/tasks; if the agent stops now its outcome is "
				  "lost"), id, st->dir);
		report(st, id, "running", NULL, NULL);
		task_outcome out = { 0 };
		run_one(&t, scanned, &out);
		fprintf(stderr, _("rasoat: task %s (%s): %s: %s\n"), id, json_string_value(json_object_get(task, "type")),
			out.state, out.message);
		journal_outcome(st, rec, &out);
		json_decref(rec);
		json_decref(out.result);
		free(out.pending_bundle);
	}
	rs_agent_conf_free(&t.conf);
	return 0;
}
