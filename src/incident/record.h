/*
 * record.h — what the parts of the incident record (src/incident/) share:
 * RFC 3339 times, the operator's name, the reporter configuration, the
 * findings of linked scans, the journal lines of linked actions, the IOCs
 * and the timeline drawn from them. Not for use outside src/incident/
 * (the record API is incident.h), except the time helpers, which the
 * incident commands use to read and print times the same way.
 */
#ifndef RS_INCIDENT_RECORD_H
#define RS_INCIDENT_RECORD_H

#include "incident/incident.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define RS_INCIDENT_DAY 86400
#define RS_INCIDENT_NOTIFY_DAYS 5   /* TT 20/2017 Art. 9: notification */
#define RS_INCIDENT_FINAL_DAYS 5    /* TT 20/2017: final report after the response */

/* ---- time.c ---- */
/* T as "2026-12-02T01:00:00Z" (OUT has room for 32). */
void rs_incident_time_format(time_t t, char out[32]);
/* Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS](Z|+HH:MM|-HH:MM)" (a space
 * for the T; no zone: UTC). 0, or -1 when TEXT is not such a time. */
int rs_incident_time_parse(const char *text, time_t *out);
/* The current time (RASOAT_INCIDENT_NOW, an RFC 3339 time, overrides it:
 * for tests of deadlines). */
time_t rs_incident_now(void);
/* GIVEN when set, else who runs rasoat ($SUDO_USER, the login, the uid). */
void rs_incident_operator(const char *given, char *out, size_t size);

/* ---- conf.c: the reporter configuration (incident.conf) ---- */
#define RS_INCIDENT_CONF_DEFAULT "/etc/rasoat/incident.conf"
#define RS_INCIDENT_CONF_ENV "RASOAT_INCIDENT_CONF"

typedef enum rs_conf_kind { RS_CONF_TEXT, RS_CONF_LIST, RS_CONF_LEVEL } rs_conf_kind;
typedef struct rs_conf_key {
	const char *key;
	rs_conf_kind kind;
	const char *question;   /* what `incident setup` asks */
} rs_conf_key;
/* Every key incident.conf knows, ending with a NULL key. */
extern const rs_conf_key rs_incident_conf_keys[];
const rs_conf_key *rs_incident_conf_key(const char *key);

/* Parses TEXT ("key = value" lines; '#' comments, blank lines) into *OUT,
 * an object of key → string (TEXT, LEVEL) or array of strings (LIST,
 * comma-separated). Bad lines are skipped; ERR gets the first one as
 * "FILE:LINE: cause". Returns the number of bad lines. */
int rs_incident_conf_parse(const char *text, size_t len, const char *file, json_t **out, char *err,
			   size_t errsize);
/* The configuration's path: $RASOAT_INCIDENT_CONF, else the default. */
const char *rs_incident_conf_path(void);
/* Reads the configuration (absent: an empty object; bad lines warned
 * about with file and line, the rest used). 0, or -1 with ERR when it
 * exists but cannot be read. */
int rs_incident_conf_load(json_t **out, char *err, size_t errsize);
/* Writes CONF (as rs_incident_conf_parse returns it) to PATH, mode 0600. */
int rs_incident_conf_write(const char *path, const json_t *conf, char *err, size_t errsize);

/* ---- load.c ---- */
/* The reporter configuration for records (unreadable: warned, empty). */
json_t *rs_incident_read_conf(void);
/* rs_incident_load with the configuration CONF already read. */
int rs_incident_load_with(rs_store *store, const char *id, const json_t *conf, json_t **out,
			  char *err, size_t errsize);

/* ---- sources.c: what the links point to ---- */
/* Appends to FINDINGS the incident-relevant findings of stored scan SCAN
 * (full id) as FORMATS.md finding objects with "scan", and sets *STARTED
 * and *HOST_INFO (new reference, may be null) and *HOST (malloc'd). */
int rs_incident_scan_findings(rs_store *store, const char *scan, json_t *findings,
			      char **started, char **host, json_t **host_info, char *err,
			      size_t errsize);
/* Whether a finding of MODULE at SEVERITY belongs to an incident (the
 * compromise modules, not the posture of audit and vuln). */
bool rs_incident_finding_relevant(const char *module, const char *severity);
/* Every journal line (oldest first) of the actions ACTION_IDS, from the
 * journal beside the store, or the store's copy for actions the journal
 * lacks. New array, or NULL with ERR. */
json_t *rs_incident_action_lines(rs_store *store, const json_t *action_ids, char *err,
				 size_t errsize);
/* The full id of the action named by ID (a full id or a unique prefix)
 * in the journal beside the store or the store's copy: malloc'd, or NULL
 * with ERR. */
char *rs_incident_find_action(rs_store *store, const char *id, char *err, size_t errsize);

/* ---- iocs.c ---- */
/* The IOCs of FINDINGS and the targets of ACTION_LINES: *IOCS, an array
 * of {"type","value"} (each once), and *ATTACK, the sorted ATT&CK ids. */
void rs_incident_iocs(const json_t *findings, const json_t *action_lines, json_t **iocs,
		      json_t **attack);
/* Adds VALUE as an IOC (classifying an address or domain when TYPE is
 * NULL); ignores empty values and duplicates. */
void rs_incident_add_ioc(json_t *iocs, const char *type, const char *value);

/* ---- timeline.c ---- */
/* The timeline of findings (at their scan's time: SCAN_TIMES maps scan →
 * time), action lines and events, sorted by time. New array. */
json_t *rs_incident_timeline(const json_t *findings, const json_t *scan_times,
			     const json_t *action_lines, const json_t *events);

/* ---- lifecycle.c ---- */
/* Whether FROM → TO is a transition the lifecycle allows. */
bool rs_incident_transition_allowed(rs_incident_state from, rs_incident_state to);
/* The states FROM may move to, as "analysing" or "containing or closed"
 * (or "none: the incident is closed"). */
void rs_incident_allowed_next(rs_incident_state from, char *out, size_t size);

/* ---- deadlines.c ---- */
/* {"notify","final","notify_overdue","final_overdue"} of RECORD (the
 * loaded fields detected, response_ended, ...) at NOW. */
json_t *rs_incident_deadlines(const json_t *record, time_t now);

/* ---- derive.c: defaults of `incident new` from the findings ---- */
const char *rs_incident_derive_severity(const json_t *findings);
const char *rs_incident_derive_category(const json_t *findings);
char *rs_incident_derive_title(const json_t *findings, const char *host);
bool rs_incident_category_valid(const char *category);

#endif
