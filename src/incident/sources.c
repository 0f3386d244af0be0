/*
 * sources.c — what an incident's links point to: the findings of a stored
 * scan that belong to an incident, and the journal lines of respond
 * actions, read from the journal beside the store (its queryable copy in
 * the store stands in for actions the journal lacks).
 */
#include "incident/record.h"
#include "core/readfile.h"
#include "core/host.h"
#include "core/i18n.h"
#include "core/util.h"
#include "respond/journal.h"
#include "store/actions.h"
#include "store/incidents.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool rs_incident_finding_relevant(const char *module, const char *severity)
{
	static const char *const posture[] = { "audit", "vuln", "facts", NULL };
	for (const char *const *p = posture; *p; p++)
		if (module && strcmp(module, *p) == 0)
			return false;
	return severity && strcmp(severity, "info") != 0;
}

int rs_incident_scan_findings(rs_store *store, const char *scan, json_t *findings,
			      char **started, char **host, json_t **host_info, char *err,
			      size_t errsize)
{
	rs_summary summary;
	rs_finding **list = NULL;
	size_t count = 0;
	if (rs_store_load_summary(store, scan, &summary) < 0 ||
	    rs_store_load_findings(store, scan, &list, &count) < 0) {
		rs_summary_free(&summary);
		snprintf(err, errsize, _("%s: cannot read scan %s; see the error above"),
			 rs_store_db_path(store), scan);
		return -1;
	}
	for (size_t i = 0; i < count; i++) {
		json_t *f = rs_finding_to_json(list[i], scan);
		if (rs_incident_finding_relevant(list[i]->module, rs_severity_name(list[i]->severity)))
			json_array_append(findings, f);
		json_decref(f);
		rs_finding_free(list[i]);
	}
	free(list);
	*started = rs_strdup(summary.started);
	*host = summary.host ? rs_strdup(summary.host) : NULL;
	*host_info = summary.host_info ? json_incref(summary.host_info) : json_null();
	rs_summary_free(&summary);
	return 0;
}

/* The journal beside the store, parsed (lines: an empty array when there
 * is no journal). 0, or -1 with ERR. */
static int read_journal(rs_store *store, rs_journal_text *out, char *err, size_t errsize)
{
	memset(out, 0, sizeof(*out));
	const char *db = rs_store_db_path(store);
	const char *slash = strrchr(db, '/');
	char *path = slash ? rs_sprintf("%.*s/%s", (int)(slash - db), db, RS_JOURNAL_FILE)
			   : rs_strdup(RS_JOURNAL_FILE);
	char *text = NULL;
	size_t len = 0;
	int rc = rs_read_regular_at(AT_FDCWD, path, RS_JOURNAL_MAX_BYTES, &text, &len);
	if (rc < 0 && errno == ENOENT) {
		free(path);
		out->lines = json_array();
		return 0;
	}
	if (rc < 0 && errno == EINVAL)
		snprintf(err, errsize, _("%s: the respond journal is not a regular file; move it away "
			 "(`rasoat respond verify` checks a journal)"), path);
	else if (rc < 0)
		snprintf(err, errsize, _("%s: cannot read the respond journal: %s"), path, strerror(errno));
	free(path);
	if (rc == 0) {
		rs_journal_parse(text, len, out);
		free(text);
	}
	return rc;
}

static bool in_ids(const json_t *ids, const char *id)
{
	size_t i;
	const json_t *v;
	json_array_foreach(ids, i, v)
		if (id && json_string_value(v) && strcmp(json_string_value(v), id) == 0)
			return true;
	return false;
}

static const char *line_id(const json_t *line)
{
	return json_string_value(json_object_get(line, "id"));
}

json_t *rs_incident_action_lines(rs_store *store, const json_t *action_ids, char *err,
				 size_t errsize)
{
	json_t *out = json_array();
	if (json_array_size(action_ids) == 0)
		return out;
	rs_journal_text jt;
	if (read_journal(store, &jt, err, errsize) < 0) {
		json_decref(out);
		return NULL;
	}
	json_t *seen = json_array();
	size_t i;
	json_t *line;
	json_array_foreach(jt.lines, i, line) {
		if (!json_is_object(line) || !in_ids(action_ids, line_id(line)))
			continue;
		json_array_append(out, line);
		if (!in_ids(seen, line_id(line)))
			json_array_append_new(seen, json_string(line_id(line)));
	}
	rs_journal_text_free(&jt);
	if (json_array_size(seen) < json_array_size(action_ids)) {
		json_t *copy = rs_store_load_actions(store, NULL);
		json_array_foreach(copy, i, line)
			if (in_ids(action_ids, line_id(line)) && !in_ids(seen, line_id(line)))
				json_array_append(out, line);
		json_decref(copy);
	}
	json_decref(seen);
	return out;
}

/* Adds the ids of LINES that ID names (equal, or a prefix) to MATCHES. */
static void match_ids(const json_t *lines, const char *id, json_t *matches)
{
	size_t i;
	const json_t *line;
	json_array_foreach(lines, i, line) {
		const char *lid = line_id(line);
		if (lid && strncmp(lid, id, strlen(id)) == 0 && !in_ids(matches, lid))
			json_array_append_new(matches, json_string(lid));
	}
}

char *rs_incident_find_action(rs_store *store, const char *id, char *err, size_t errsize)
{
	rs_journal_text jt;
	if (read_journal(store, &jt, err, errsize) < 0)
		return NULL;
	json_t *matches = json_array();
	match_ids(jt.lines, id, matches);
	rs_journal_text_free(&jt);
	json_t *copy = rs_store_load_actions(store, NULL);
	match_ids(copy, id, matches);
	json_decref(copy);
	char *found = NULL;
	if (in_ids(matches, id))
		found = rs_strdup(id);
	else if (json_array_size(matches) == 1)
		found = rs_strdup(json_string_value(json_array_get(matches, 0)));
	else if (json_array_size(matches) == 0)
		snprintf(err, errsize, _("action %s is in neither the respond journal beside %s nor its "
			 "copy in the store; `rasoat respond list --db %s` shows the actions"), id,
			 rs_store_db_path(store), rs_store_db_path(store));
	else
		snprintf(err, errsize, _("action %s: %zu actions start so; give more of the id"), id,
			 json_array_size(matches));
	json_decref(matches);
	return found;
}
