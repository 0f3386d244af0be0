/*
 * task_journal.c — the agent's own record of the tasks it ran, so no
 * outcome is lost: STATE/tasks/ID.json is written (fsynced) before a task
 * runs ("running") and again with its outcome before that is reported;
 * it is marked reported only once the server acknowledged the report. At
 * the start of every round the records not yet reported are reported
 * again — a task that was running when the agent died is reported
 * "failed" (it is not run twice: a respond plan must not act twice), a
 * collect bundle whose upload failed is uploaded first — and a task the
 * server hands out again (it never heard of the outcome) is answered from
 * its record instead of being run again. Reported records are removed
 * after RECORD_KEEP_DAYS.
 */
#include "agent/agent.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define RECORD_MAX (64u << 10)
#define RECORD_KEEP_DAYS 30

static char *journal_dir(const rs_agent_state *st)
{
	return rs_sprintf("%s/tasks", st->dir);
}

json_t *rs_agent_task_record(const rs_agent_state *st, const char *id)
{
	if (!rs_fleet_is_hex(id, RS_FLEET_ID_HEX))
		return NULL;
	char *dir = journal_dir(st);
	char name[48];
	snprintf(name, sizeof(name), "%s.json", id);
	size_t len = 0;
	char *text = rs_agent_read_file(dir, name, RECORD_MAX, &len);
	free(dir);
	json_t *rec = text ? json_loadb(text, len, 0, NULL) : NULL;
	free(text);
	if (rec && !json_is_object(rec)) {
		json_decref(rec);
		rec = NULL;
	}
	return rec;
}

int rs_agent_task_record_write(const rs_agent_state *st, const json_t *rec)
{
	const char *id = json_string_value(json_object_get(rec, "id"));
	if (!id || !rs_fleet_is_hex(id, RS_FLEET_ID_HEX))
		return -1;
	char *dir = journal_dir(st);
	char name[48];
	snprintf(name, sizeof(name), "%s.json", id);
	char *text = json_dumps(rec, JSON_COMPACT);
	int rc = dir && rs_agent_make_dir(dir) == 0 && text ? rs_agent_write_file(dir, name, text, strlen(text)) : -1;
	free(text);
	free(dir);
	return rc;
}

long rs_agent_task_report_final(rs_agent_state *st, json_t *rec)
{
	json_t *body = json_pack("{s:O,s:O}", "id", json_object_get(rec, "id"), "state", json_object_get(rec, "state"));
	const char *message = json_string_value(json_object_get(rec, "message"));
	if (message && *message)
		json_object_set_new(body, "message", json_string(message));
	json_t *result = json_object_get(rec, "result");
	if (json_is_object(result))
		json_object_set(body, "result", result);
	char *text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	long status = 0;
	for (int attempt = 0; attempt < 2; attempt++) {
		rs_agent_reply reply;
		rs_agent_post_signed(st, RS_FLEET_API "/tasks/report", text, strlen(text), &reply);
		status = reply.status;
		rs_agent_reply_free(&reply);
		if (status != 0 && status != 429 && status < 500)
			break;
	}
	free(text);
	/* 404: the server no longer has the task; 409: it holds a final state
	 * already (an earlier report got through): nothing more to tell */
	if (status == 200 || status == 404 || status == 409) {
		json_object_set_new(rec, "reported", json_true());
		rs_agent_task_record_write(st, rec);
	}
	return status;
}

void rs_agent_task_resend(rs_agent_state *st, json_t *rec)
{
	const char *id = json_string_value(json_object_get(rec, "id"));
	const char *state = json_string_value(json_object_get(rec, "state"));
	if (state && strcmp(state, "running") == 0) {
		rs_warn(_("task %s was running when the agent stopped; it is reported as failed, not run again"), id);
		json_object_set_new(rec, "state", json_string("failed"));
		json_object_set_new(rec, "message", json_string(_("the agent stopped while running this task (a crash, "
			"a kill or a restart) and did not run it again; queue it again if it is still needed")));
		rs_agent_task_record_write(st, rec);
	}
	const char *bundle = json_string_value(json_object_get(rec, "pending_bundle"));
	if (bundle) {
		char err[512];
		int rc = rs_agent_bundle_upload(st, id, bundle, err, sizeof(err));
		if (rc < 0)
			return;          /* the server is away: next round */
		json_t *result = json_object_get(rec, "result");
		json_object_set_new(result, "uploaded", json_boolean(rc == 0));
		if (rc == 0) {
			json_object_set_new(rec, "message", json_string(
				_("evidence bundle uploaded to the server (a copy stays on the host)")));
		} else {
			json_object_set_new(result, "upload_error", json_string(err));
			char *m = rs_sprintf(_("evidence bundle written on the host, not uploaded: %s"), err);
			json_object_set_new(rec, "message", json_string(m));
			free(m);
		}
		json_object_del(rec, "pending_bundle");
		rs_agent_task_record_write(st, rec);
	}
	long status = rs_agent_task_report_final(st, rec);
	if (status == 200)
		fprintf(stderr, "rasoat: %s\n", _("a task outcome the server had not received was reported"));
}

void rs_agent_task_flush(rs_agent_state *st)
{
	char *dir = journal_dir(st);
	DIR *d = opendir(dir);
	if (!d) {
		free(dir);
		return;
	}
	rs_vec ids;
	rs_vec_init(&ids, sizeof(char *));
	struct dirent *de;
	long long now = (long long)time(NULL);
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);
		if (n != RS_FLEET_ID_HEX + 5 || !rs_ends_with(de->d_name, ".json"))
			continue;
		*(char **)rs_vec_push(&ids) = rs_strndup(de->d_name, RS_FLEET_ID_HEX);
	}
	closedir(d);
	for (size_t i = 0; i < ids.len; i++) {
		char *id = *(char **)rs_vec_at(&ids, i);
		json_t *rec = rs_agent_task_record(st, id);
		if (rec && !json_is_true(json_object_get(rec, "reported"))) {
			rs_agent_task_resend(st, rec);
		} else if (rec) {
			/* reported long ago: forget it */
			char *path = rs_sprintf("%s/%s.json", dir, id);
			struct stat sb;
			if (lstat(path, &sb) == 0 && now - (long long)sb.st_mtime > RECORD_KEEP_DAYS * 86400LL)
				unlink(path);
			free(path);
		}
		json_decref(rec);
		free(id);
	}
	rs_vec_free(&ids);
	free(dir);
}
