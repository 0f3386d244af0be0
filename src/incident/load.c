/*
 * load.c — the whole incident record as JSON (rs_incident_load): the
 * stored fields, the linked scans with their findings, the linked actions
 * with their journal lines, the evidence bundles, the IOCs and ATT&CK ids
 * drawn from them, the timeline, the state history, the deadlines, the
 * reporter and the affected systems (FORMATS.md "Incidents" + incident.h).
 */
#include "incident/people.h"
#include "incident/record.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"
#include "store/incidents.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the links and the scans give. */
typedef struct parts {
	json_t *scans, *actions, *evidence;  /* from the links */
	json_t *findings, *scan_times, *systems, *action_lines;
} parts;

static void parts_free(parts *p)
{
	json_decref(p->scans);
	json_decref(p->actions);
	json_decref(p->evidence);
	json_decref(p->findings);
	json_decref(p->scan_times);
	json_decref(p->systems);
	json_decref(p->action_lines);
}

static void split_links(const json_t *links, parts *p)
{
	size_t i;
	const json_t *l;
	json_array_foreach(links, i, l) {
		const char *kind = json_string_value(json_object_get(l, "kind"));
		json_t *value = json_object_get(l, "value");
		if (!strcmp(kind, "scan"))
			json_array_append(p->scans, value);
		else if (!strcmp(kind, "action"))
			json_array_append(p->actions, value);
		else if (!strcmp(kind, "evidence"))
			json_array_append_new(p->evidence, json_pack("{s:O, s:O}", "path", value,
				"sha256", json_object_get(l, "sha256")));
	}
}

static bool has_host(const json_t *systems, const char *host)
{
	size_t i;
	const json_t *s;
	json_array_foreach(systems, i, s) {
		const char *h = json_string_value(json_object_get(s, "host"));
		if ((!h && !host) || (h && host && !strcmp(h, host)))
			return true;
	}
	return false;
}

/* The findings, scan times and systems of the linked scans. */
static int read_scans(rs_store *store, const json_t *record, const json_t *conf, parts *p,
		      char *err, size_t errsize)
{
	const json_t *overrides = json_object_get(record, "system");
	size_t i;
	const json_t *s;
	json_array_foreach(p->scans, i, s) {
		char *started = NULL, *host = NULL;
		json_t *info = NULL;
		if (rs_incident_scan_findings(store, json_string_value(s), p->findings, &started, &host,
					      &info, err, errsize) < 0)
			return -1;
		json_object_set_new(p->scan_times, json_string_value(s), json_string(started));
		if (!has_host(p->systems, host))
			json_array_append_new(p->systems, rs_incident_system(host, info, conf, overrides));
		free(started);
		free(host);
		json_decref(info);
	}
	if (json_array_size(p->systems) == 0)
		json_array_append_new(p->systems, rs_incident_system(NULL, NULL, conf, overrides));
	return 0;
}

/* The findings as the record lists them: the FORMATS.md finding with its
 * path lifted up, without "type". */
static json_t *finding_entries(const json_t *findings)
{
	json_t *out = json_array();
	size_t i;
	const json_t *f;
	json_array_foreach(findings, i, f) {
		json_t *e = json_deep_copy(f);
		json_object_del(e, "type");
		json_t *path = json_object_get(json_object_get(f, "evidence"), "path");
		json_object_set_new(e, "path", path ? json_incref(path) : json_null());
		json_array_append_new(out, e);
	}
	return out;
}

static json_t *state_history(const json_t *events)
{
	json_t *out = json_array();
	size_t i;
	const json_t *e;
	json_array_foreach(events, i, e)
		if (!strcmp(json_string_value(json_object_get(e, "kind")), "state"))
			json_array_append_new(out, json_pack("{s:O, s:O, s:O}",
				"state", json_object_get(e, "state"), "time", json_object_get(e, "time"),
				"operator", json_object_get(e, "operator")));
	return out;
}

/* RECORD's KEY, or DEFAULT_VALUE (stolen) when absent. */
static json_t *field(const json_t *record, const char *key, json_t *default_value)
{
	json_t *v = json_object_get(record, key);
	if (!v)
		return default_value;
	json_decref(default_value);
	return json_incref(v);
}

static json_t *compose(const char *id, const json_t *record, parts *p, const json_t *events,
		       const json_t *conf)
{
	json_t *iocs, *attack;
	rs_incident_iocs(p->findings, p->action_lines, &iocs, &attack);
	json_t *out = json_object();
	json_object_set_new(out, "type", json_string("incident"));
	json_object_set_new(out, "id", json_string(id));
	static const char *const head[] = { "title", "category", "severity", "exercise", "state",
					    "detected", "how_detected", NULL };
	for (const char *const *k = head; *k; k++)
		json_object_set_new(out, *k, field(record, *k, json_null()));
	json_object_set(out, "systems", p->systems);
	json_object_set(out, "scans", p->scans);
	json_object_set_new(out, "findings", finding_entries(p->findings));
	json_object_set(out, "actions", p->actions);
	json_object_set(out, "evidence", p->evidence);
	json_object_set_new(out, "iocs", iocs);
	json_object_set_new(out, "attack", attack);
	json_object_set_new(out, "timeline",
			    rs_incident_timeline(p->findings, p->scan_times, p->action_lines, events));
	json_object_set_new(out, "deadlines", rs_incident_deadlines(record, rs_incident_now()));
	json_object_set_new(out, "reporter", rs_incident_reporter(conf));
	static const char *const form[] = { "description", "handling", "prevention",
					    "status_handled", NULL };
	for (const char *const *k = form; *k; k++)
		json_object_set_new(out, *k, field(record, *k, json_null()));
	json_object_set_new(out, "detection_methods", field(record, "detection_methods", json_array()));
	json_object_set_new(out, "notified", field(record, "notified", json_array()));
	static const char *const tail[] = { "requests", "confidential", "response_ended",
					    "initial_report", "handled_by", "notification_sent",
					    "final_report_sent", "created", "updated", NULL };
	for (const char *const *k = tail; *k; k++)
		json_object_set_new(out, *k, field(record, *k, json_null()));
	json_object_set_new(out, "state_history", state_history(events));
	json_object_set_new(out, "drill", field(record, "drill", json_null()));
	return out;
}

/* The reporter configuration; an unreadable one is warned about once and
 * taken as empty, so a record can always be shown. */
json_t *rs_incident_read_conf(void)
{
	json_t *conf = NULL;
	char err[512];
	if (rs_incident_conf_load(&conf, err, sizeof(err)) < 0) {
		rs_warn(_("%s; the reporter fields are left empty"), err);
		conf = json_object();
	}
	return conf;
}

int rs_incident_load_with(rs_store *store, const char *id, const json_t *conf, json_t **out,
			  char *err, size_t errsize)
{
	*out = NULL;
	json_t *record = NULL;
	int got = rs_store_incident_get(store, id, &record, err, errsize);
	if (got == 1)
		snprintf(err, errsize, _("no incident %s in %s; `rasoat incident list --db %s` lists them"),
			 id, rs_store_db_path(store), rs_store_db_path(store));
	if (got != 0)
		return -1;
	parts p = { json_array(), json_array(), json_array(), json_array(), json_object(),
		    json_array(), NULL };
	json_t *links = rs_store_incident_links(store, id, err, errsize);
	json_t *events = links ? rs_store_incident_events(store, id, err, errsize) : NULL;
	int rc = -1;
	if (events) {
		split_links(links, &p);
		p.action_lines = rs_incident_action_lines(store, p.actions, err, errsize);
		if (p.action_lines && read_scans(store, record, conf, &p, err, errsize) == 0) {
			*out = compose(id, record, &p, events, conf);
			rc = 0;
		}
	}
	json_decref(links);
	json_decref(events);
	json_decref(record);
	parts_free(&p);
	return rc;
}

int rs_incident_load(rs_store *store, const char *id, json_t **out, char *err, size_t errsize)
{
	json_t *conf = rs_incident_read_conf();
	int rc = rs_incident_load_with(store, id, conf, out, err, errsize);
	json_decref(conf);
	return rc;
}
