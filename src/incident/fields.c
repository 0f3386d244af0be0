/*
 * fields.c — setting the person-known fields of an incident record
 * (`incident set`): each field's kind and allowed values, the parsing of
 * the typed value, and the update of the stored record.
 */
#include "incident/fields.h"
#include "incident/record.h"
#include "core/finding.h"
#include "core/i18n.h"
#include "core/util.h"
#include "store/incidents.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef enum kind { K_TEXT, K_BOOL, K_LIST, K_TIME, K_CHOICE, K_LEVEL } kind;

typedef struct field {
	const char *name;     /* as typed; "system." ones go into the record's "system" */
	kind kind;
	const char *choices;  /* K_CHOICE, or allowed list items ("" for free) */
	const char *help;
} field;

static const field fields[] = {
	{ "title", K_TEXT, NULL, "the incident's title" },
	{ "category", K_CHOICE, "dos phishing malware intrusion defacement ransomware sabotage espionage combined other",
	  "Mẫu 05 type" },
	{ "severity", K_CHOICE, "info low medium high critical", "severity" },
	{ "detected", K_TIME, NULL, "detection time (starts the notification deadline)" },
	{ "how_detected", K_TEXT, NULL, "how it was detected (Mẫu 03)" },
	{ "description", K_TEXT, NULL, "what happened (Mẫu 03 and 04)" },
	{ "handling", K_TEXT, NULL, "what was done (Mẫu 04)" },
	{ "prevention", K_TEXT, NULL, "how to prevent recurrence (Mẫu 04)" },
	{ "status_handled", K_BOOL, NULL, "yes/no: handled already (Mẫu 03 item 19)" },
	{ "detection_methods", K_LIST, "ids logs notified: other:", "ids, logs, notified:WHO, other:TEXT" },
	{ "notified", K_LIST, "network_member isp coordinator", "already notified (Mẫu 03 item 21)" },
	{ "requests", K_TEXT, NULL, "support requested" },
	{ "confidential", K_BOOL, NULL, "yes/no: the report is confidential" },
	{ "handled_by", K_CHOICE, "self domestic foreign vncert", "who handled it (Mẫu 05)" },
	{ "initial_report_ref", K_TEXT, NULL, "reference of the initial report (Mẫu 04 item 5)" },
	{ "initial_report_time", K_TIME, NULL, "when the initial report was sent" },
	{ "notification_sent", K_TIME, NULL, "when the Art. 9 notification was sent (stops its deadline)" },
	{ "final_report_sent", K_TIME, NULL, "when the final report was sent (stops its deadline)" },
	{ "system.host", K_TEXT, NULL, "affected system: host name" },
	{ "system.name", K_TEXT, NULL, "affected system: name" },
	{ "system.operator", K_TEXT, NULL, "affected system: operating organisation" },
	{ "system.owner", K_TEXT, NULL, "affected system: owner" },
	{ "system.level", K_LEVEL, NULL, "affected system: security level 1-5" },
	{ "system.ips", K_LIST, "", "affected system: IP addresses" },
	{ "system.public_ips", K_LIST, "", "affected system: public IP addresses" },
	{ "system.domains", K_LIST, "", "affected system: domain names" },
	{ "system.os", K_TEXT, NULL, "affected system: operating system" },
	{ "system.services", K_LIST, "", "affected system: services (web, mail, ...)" },
	{ "system.safeguards", K_LIST, "", "affected system: safeguards (firewall, ids, ...)" },
	{ "system.purpose", K_TEXT, NULL, "affected system: purpose" },
	{ "system.security_provider", K_TEXT, NULL, "security service provider" },
	{ "system.uplink_provider", K_TEXT, NULL, "Internet service provider" },
};

#define N_FIELDS (sizeof(fields) / sizeof(fields[0]))

void rs_incident_fields_help(FILE *out)
{
	for (size_t i = 0; i < N_FIELDS; i++)
		fprintf(out, "  %-26s %s%s%s\n", fields[i].name, fields[i].help,
			fields[i].kind == K_CHOICE ? ": " : "",
			fields[i].kind == K_CHOICE ? fields[i].choices : "");
}

/* Whether WORD is one of the space-separated CHOICES (an entry ending in
 * ':' takes any text after it). */
static bool allowed(const char *choices, const char *word)
{
	if (!*choices)
		return true;
	char *copy = rs_strdup(choices), *save = NULL;
	bool ok = false;
	for (char *c = strtok_r(copy, " ", &save); c && !ok; c = strtok_r(NULL, " ", &save)) {
		size_t n = strlen(c);
		ok = c[n - 1] == ':' ? strncmp(word, c, n) == 0 && word[n] : strcmp(word, c) == 0;
	}
	free(copy);
	return ok;
}

static json_t *parse_list(const field *f, const char *value, char *err, size_t errsize)
{
	json_t *list = json_array();
	char *copy = rs_strdup(value), *save = NULL;
	for (char *item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		char *t = rs_trim(item);
		if (!*t)
			continue;
		if (!allowed(f->choices, t)) {
			snprintf(err, errsize, _("%s: \"%s\" is not one of %s"), f->name, t, f->choices);
			json_decref(list);
			list = NULL;
			break;
		}
		json_array_append_new(list, json_string(t));
	}
	free(copy);
	return list;
}

/* VALUE typed for F as JSON (new reference), or NULL with ERR. */
static json_t *parse_value(const field *f, const char *value, char *err, size_t errsize)
{
	time_t t;
	long n;
	char buf[32];
	switch (f->kind) {
	case K_TEXT:
		return *value ? json_string(value) : json_null();
	case K_LIST:
		return parse_list(f, value, err, errsize);
	case K_BOOL:
		if (!*value)
			return json_null();
		if (!strcasecmp(value, "yes") || !strcasecmp(value, "true") || !strcmp(value, "1"))
			return json_true();
		if (!strcasecmp(value, "no") || !strcasecmp(value, "false") || !strcmp(value, "0"))
			return json_false();
		snprintf(err, errsize, _("%s: give yes or no, not \"%s\""), f->name, value);
		return NULL;
	case K_TIME:
		if (!*value && strcmp(f->name, "detected") != 0)
			return json_null();
		if (rs_incident_time_parse(value, &t) < 0) {
			snprintf(err, errsize, _("%s: \"%s\" is not a time; give 2026-12-02T08:00:00+07:00 "
				 "or 2026-12-02T01:00:00Z"), f->name, value);
			return NULL;
		}
		rs_incident_time_format(t, buf);
		return json_string(buf);
	case K_CHOICE:
		if (!*value && strcmp(f->name, "handled_by") == 0)
			return json_null();
		if (!allowed(f->choices, value)) {
			snprintf(err, errsize, _("%s: \"%s\" is not one of %s"), f->name, value, f->choices);
			return NULL;
		}
		return json_string(value);
	case K_LEVEL:
		if (!*value)
			return json_null();
		if (!rs_parse_long(value, &n) || n < 1 || n > 5) {
			snprintf(err, errsize, _("%s: \"%s\" is not a security level 1 to 5 (Decree 85/2016)"),
				 f->name, value);
			return NULL;
		}
		return json_integer(n);
	}
	return NULL;
}

/* Puts V (stolen) as F into RECORD. */
static void put(json_t *record, const field *f, json_t *v)
{
	if (rs_starts_with(f->name, "system.")) {
		json_t *sys = json_object_get(record, "system");
		if (!json_is_object(sys)) {
			sys = json_object();
			json_object_set_new(record, "system", sys);
		}
		json_object_set_new(sys, f->name + strlen("system."), v);
		return;
	}
	if (rs_starts_with(f->name, "initial_report_")) {
		json_t *ir = json_object_get(record, "initial_report");
		if (!json_is_object(ir)) {
			ir = json_pack("{s:n, s:n}", "ref", "time");
			json_object_set_new(record, "initial_report", ir);
		}
		json_object_set_new(ir, f->name + strlen("initial_report_"), v);
		if (json_is_null(json_object_get(ir, "ref")) && json_is_null(json_object_get(ir, "time")))
			json_object_set_new(record, "initial_report", json_null());
		return;
	}
	json_object_set_new(record, f->name, v);
}

int rs_incident_set_field(rs_store *store, const char *id, const char *name, const char *value,
			  char *err, size_t errsize)
{
	const field *f = NULL;
	for (size_t i = 0; i < N_FIELDS && !f; i++)
		if (!strcmp(fields[i].name, name))
			f = &fields[i];
	if (!f) {
		snprintf(err, errsize, _("unknown field \"%s\"; `rasoat incident set --help` lists them"), name);
		return -1;
	}
	json_t *v = parse_value(f, value, err, errsize);
	if (!v)
		return -1;
	if (rs_store_incident_begin(store, err, errsize) < 0) {
		json_decref(v);
		return -1;
	}
	json_t *record = NULL;
	int got = rs_store_incident_get(store, id, &record, err, errsize);
	if (got == 1)
		snprintf(err, errsize, _("no incident %s in %s; `rasoat incident list --db %s` lists them"),
			 id, rs_store_db_path(store), rs_store_db_path(store));
	if (got != 0) {
		json_decref(v);
		rs_store_incident_rollback(store);
		return -1;
	}
	put(record, f, v);
	char now[32];
	rs_incident_time_format(rs_incident_now(), now);
	json_object_set_new(record, "updated", json_string(now));
	int rc = rs_store_incident_put(store, id, json_string_value(json_object_get(record, "detected")),
				       record, err, errsize);
	if (rc == 0)
		rc = rs_store_incident_commit(store, err, errsize);
	else
		rs_store_incident_rollback(store);
	json_decref(record);
	return rc;
}
