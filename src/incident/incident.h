/*
 * incident.h — the incident record (issue 11): one record per incident that
 * links scans, findings, respond actions, collect bundles, IOCs and a
 * timeline, kept in the store (migration in store/store.c) and rendered as
 * JSON by rs_incident_load. The VNCERT forms and the STIX/MISP/TheHive
 * exports (incident/render.h) are renderings of that JSON, never separate
 * data; drills create incidents marked as exercises.
 *
 * The JSON object rs_incident_load returns is FORMATS.md's "Incidents"
 * object, with these fields added (all present; unknown values are null or
 * empty, never invented):
 *
 *   "reporter":  {"name","address","phone","email","member_id",
 *                 "contact":{"name","position","phone","email"},
 *                 "report_to": the e-mail address reports go to (configured;
 *                 default RS_INCIDENT_REPORT_TO below, defined nowhere else),
 *                 "smtp": the SMTP URL for --send or null}
 *                (from the configuration: /etc/rasoat/incident.conf)
 *   "systems":   [{"host","name","operator","owner","level"(1-5|null),
 *                  "ips":[], "public_ips":[], "domains":[], "os",
 *                  "services":["web","mail","database",...],
 *                  "safeguards":["antivirus","firewall","ids",...],
 *                  "purpose", "security_provider", "uplink_provider"}]
 *   "description", "handling" (what was done), "prevention": strings
 *   "status_handled": bool (Mẫu 03 item 19)
 *   "how_detected": string, "detection_methods": ["ids","logs","notified:WHO","other:TEXT"]
 *   "notified": ["network_member","isp","coordinator"] (Mẫu 03 item 21)
 *   "requests": string (requested support), "confidential": bool
 *   "response_ended": time|null (set when the state reaches closed or
 *                     by `incident advance ID closed`; starts the final
 *                     report's 5-day deadline)
 *   "initial_report": {"ref","time"}|null (Mẫu 04 item 5)
 *   "handled_by": "self"|"domestic"|"foreign"|"vncert" (Mẫu 05 columns)
 *   "created", "updated": times; "state_history": [{"state","time","operator"}]
 *   "drill": run id or null (exercises)
 *
 * Times are RFC 3339 UTC strings ("2026-12-02T01:00:00Z").
 */
#ifndef RS_INCIDENT_H
#define RS_INCIDENT_H

#include "store/store.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* VNCERT/CC's incident desk: the default recipient of reports. */
#define RS_INCIDENT_REPORT_TO "ir@vncert.vn"

typedef enum rs_incident_state {
	RS_INCIDENT_DETECTED,
	RS_INCIDENT_ANALYSING,
	RS_INCIDENT_CONTAINING,
	RS_INCIDENT_ERADICATING,
	RS_INCIDENT_RECOVERING,
	RS_INCIDENT_CLOSED,
} rs_incident_state;

/* What `incident new` (and a drill) gives when creating an incident. */
typedef struct rs_incident_params {
	const char *title;          /* NULL: derived from the findings */
	const char *category;       /* FORMATS.md category; NULL: "other" or derived */
	const char *severity;       /* NULL: the highest linked finding's */
	bool exercise;              /* drills: true */
	time_t detected;            /* 0: the earliest linked scan's time, else now */
	const char *how_detected;   /* NULL: "rasoat scan" */
	const char *const *scans;   /* scan ids (prefixes accepted), n_scans of them */
	size_t n_scans;
	const char *drill;          /* drill run id or NULL */
	const char *operator_name;  /* who; NULL: from the environment (SUDO_USER, USER) */
} rs_incident_params;

/* Creates the incident; *id_out (malloc'd) is its id, "INC-YYYY-NNNN".
 * Returns 0, or -1 with a message in err. */
int rs_incident_create(rs_store *store, const rs_incident_params *params, char **id_out,
		       char *err, size_t errsize);

/* The whole record as described above (caller json_decref's). 0 or -1. */
int rs_incident_load(rs_store *store, const char *id, json_t **out, char *err, size_t errsize);

/* Every incident (oldest first) as an array of records; FROM/TO (0 = open)
 * bound the detection time. 0 or -1. */
int rs_incident_list(rs_store *store, time_t from, time_t to, json_t **out, char *err,
		     size_t errsize);

/* Adds a note to the timeline. */
int rs_incident_note(rs_store *store, const char *id, const char *text, const char *operator_name,
		     char *err, size_t errsize);

/* Links respond actions (their ids in the journal beside the store) and
 * evidence bundles (paths; their SHA-256 is recorded) to the incident. */
int rs_incident_link_action(rs_store *store, const char *id, const char *action_id, char *err,
			    size_t errsize);
int rs_incident_link_evidence(rs_store *store, const char *id, const char *bundle_path, char *err,
			      size_t errsize);

/* Moves to STATE if the lifecycle allows it (detected → analysing →
 * containing → eradicating → recovering → closed; recovering → containing);
 * records who and when. -1 with a message naming the allowed next states. */
int rs_incident_advance(rs_store *store, const char *id, rs_incident_state state,
			const char *operator_name, char *err, size_t errsize);

const char *rs_incident_state_name(rs_incident_state s);
int rs_incident_state_parse(const char *name, rs_incident_state *out); /* 0 or -1 */

#endif
