/*
 * create.c — opening an incident (rs_incident_create): resolves the scans
 * it is opened on, fills in what the operator did not give from their
 * findings (title, category, severity, detection time), numbers it
 * INC-YYYY-NNNN within the year and records its first state, detected.
 */
#include "incident/record.h"
#include "core/finding.h"
#include "core/i18n.h"
#include "core/util.h"
#include "store/incidents.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The fields a person fills in later (`incident set`), all unknown. */
static void add_form_fields(json_t *r)
{
	static const char *const nulls[] = {
		"description", "handling", "prevention", "status_handled", "requests",
		"confidential", "response_ended", "initial_report", "handled_by",
		"notification_sent", "final_report_sent", NULL,
	};
	for (const char *const *k = nulls; *k; k++)
		json_object_set_new(r, *k, json_null());
	json_object_set_new(r, "detection_methods", json_array());
	json_object_set_new(r, "notified", json_array());
	json_object_set_new(r, "system", json_object());
}

/* Resolves the scans of PARAMS into SCANS (full ids, each once) and reads
 * their findings, earliest start and first host. */
static int read_scans(rs_store *store, const rs_incident_params *p, json_t *scans,
		      json_t *findings, time_t *earliest, char **host, char *err, size_t errsize)
{
	*earliest = 0;
	for (size_t i = 0; i < p->n_scans; i++) {
		char full[33];
		if (rs_store_resolve(store, p->scans[i], full) < 0) {
			snprintf(err, errsize, _("scan %s: not in %s (see the error above); `rasoat history "
				 "--db %s` lists the stored scans"), p->scans[i], rs_store_db_path(store),
				 rs_store_db_path(store));
			return -1;
		}
		bool dup = false;
		size_t j;
		const json_t *s;
		json_array_foreach(scans, j, s)
			dup = dup || !strcmp(json_string_value(s), full);
		if (dup)
			continue;
		json_array_append_new(scans, json_string(full));
		char *started = NULL, *scan_host = NULL;
		json_t *info = NULL;
		if (rs_incident_scan_findings(store, full, findings, &started, &scan_host, &info, err,
					      errsize) < 0)
			return -1;
		time_t t;
		if (rs_incident_time_parse(started, &t) == 0 && (*earliest == 0 || t < *earliest))
			*earliest = t;
		if (!*host && scan_host)
			*host = rs_strdup(scan_host);
		free(started);
		free(scan_host);
		json_decref(info);
	}
	return 0;
}

static int check_params(const rs_incident_params *p, char *err, size_t errsize)
{
	rs_severity sev;
	if (p->category && !rs_incident_category_valid(p->category)) {
		snprintf(err, errsize, _("category \"%s\" is not one of Circular 20/2017's types: dos, "
			 "phishing, malware, intrusion, defacement, ransomware, sabotage, espionage, "
			 "combined, other"), p->category);
		return -1;
	}
	if (p->severity && !rs_severity_parse(p->severity, &sev)) {
		snprintf(err, errsize, _("severity \"%s\": give info, low, medium, high or critical"),
			 p->severity);
		return -1;
	}
	return 0;
}

/* The stored part of the new record. */
static json_t *new_record(const rs_incident_params *p, const json_t *findings, const char *host,
			  const char *detected, const char *now)
{
	char *title = p->title ? rs_strdup(p->title) : rs_incident_derive_title(findings, host);
	json_t *r = json_pack("{s:s, s:s, s:s, s:b, s:s, s:s, s:s?, s:s, s:s, s:s}",
		"title", title,
		"category", p->category ? p->category : rs_incident_derive_category(findings),
		"severity", p->severity ? p->severity : rs_incident_derive_severity(findings),
		"exercise", p->exercise,
		"detected", detected,
		"how_detected", p->how_detected ? p->how_detected : "rasoat scan",
		"drill", p->drill,
		"state", rs_incident_state_name(RS_INCIDENT_DETECTED),
		"created", now, "updated", now);
	free(title);
	add_form_fields(r);
	return r;
}

static int store_new(rs_store *store, const json_t *record, const json_t *scans, int year,
		     const char *detected, const char *now, const char *who, char **id_out,
		     char *err, size_t errsize)
{
	if (rs_store_incident_begin(store, err, errsize) < 0)
		return -1;
	char *id = NULL;
	int rc = rs_store_incident_insert(store, year, detected, now, record, &id, err, errsize);
	size_t i;
	const json_t *s;
	json_array_foreach(scans, i, s)
		if (rc == 0 && rs_store_incident_link(store, id, "scan", json_string_value(s), NULL,
						      now, err, errsize) < 0)
			rc = -1;
	if (rc == 0)
		rc = rs_store_incident_event(store, id, now, "state",
					     rs_incident_state_name(RS_INCIDENT_DETECTED), who, NULL,
					     err, errsize);
	if (rc == 0)
		rc = rs_store_incident_commit(store, err, errsize);
	else
		rs_store_incident_rollback(store);
	if (rc < 0) {
		free(id);
		return -1;
	}
	*id_out = id;
	return 0;
}

int rs_incident_create(rs_store *store, const rs_incident_params *params, char **id_out,
		       char *err, size_t errsize)
{
	*id_out = NULL;
	if (check_params(params, err, errsize) < 0)
		return -1;
	json_t *scans = json_array(), *findings = json_array();
	char *host = NULL;
	time_t earliest, now = rs_incident_now();
	int rc = read_scans(store, params, scans, findings, &earliest, &host, err, errsize);
	if (rc == 0) {
		time_t detected = params->detected ? params->detected : earliest ? earliest : now;
		char detected_text[32], now_text[32], who[256];
		rs_incident_time_format(detected, detected_text);
		rs_incident_time_format(now, now_text);
		rs_incident_operator(params->operator_name, who, sizeof(who));
		struct tm tm;
		gmtime_r(&now, &tm);
		json_t *record = new_record(params, findings, host, detected_text, now_text);
		rc = store_new(store, record, scans, tm.tm_year + 1900, detected_text, now_text, who,
			       id_out, err, errsize);
		json_decref(record);
	}
	free(host);
	json_decref(scans);
	json_decref(findings);
	return rc;
}
