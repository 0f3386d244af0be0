/*
 * incidents.h — the incident records in the scan store (tables incidents,
 * incident_links, incident_events; the "incident" migration): rows only.
 * What the rows mean (the lifecycle, the IOCs, the timeline) is
 * incident/incident.h's; only src/incident/ uses this.
 */
#ifndef RS_STORE_INCIDENTS_H
#define RS_STORE_INCIDENTS_H

#include "store/store.h"

#include <jansson.h>

/* Opens the store of incident records at URL: a SQLite path (as
 * rs_store_open), or postgresql://… (the fleet's database: the incident
 * tables there, store/incidents_pg.c; the scans, findings and journal the
 * incident code reads beside them are not there — a scan cannot be linked
 * by id). 0, or -1 after an error. */
int rs_store_open_incidents(const char *url, rs_store **out);

/* The path the store was opened with (the journal lives beside it). */
const char *rs_store_db_path(const rs_store *store);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK on the store. 0 or -1 (with ERR). */
int rs_store_incident_begin(rs_store *store, char *err, size_t errsize);
int rs_store_incident_commit(rs_store *store, char *err, size_t errsize);
void rs_store_incident_rollback(rs_store *store);

/* Inserts a new incident numbered next in YEAR (the caller holds a
 * transaction): *ID_OUT (malloc'd) is "INC-YYYY-NNNN". RECORD holds the
 * person-given fields; DETECTED and CREATED are RFC 3339 times. 0 or -1. */
int rs_store_incident_insert(rs_store *store, int year, const char *detected, const char *created,
			     const json_t *record, char **id_out, char *err, size_t errsize);

/* The RECORD of incident ID (new reference) in *OUT: 0, 1 when there is no
 * such incident, -1 after an error. */
int rs_store_incident_get(rs_store *store, const char *id, json_t **out, char *err,
			  size_t errsize);

/* Replaces the record (and the detection time) of ID. 0 or -1. */
int rs_store_incident_put(rs_store *store, const char *id, const char *detected,
			  const json_t *record, char *err, size_t errsize);

/* The ids with DETECTED within [FROM, TO] (NULL: open), oldest first. New
 * array, or NULL after an error. */
json_t *rs_store_incident_ids(rs_store *store, const char *from, const char *to, char *err,
			      size_t errsize);

/* Links VALUE of KIND ("scan", "action", "evidence") to ID; SHA256 may be
 * NULL. 1 when added, 0 when it was already linked, -1 after an error. */
int rs_store_incident_link(rs_store *store, const char *id, const char *kind, const char *value,
			   const char *sha256, const char *time, char *err, size_t errsize);

/* The links of ID in the order made: [{"kind","value","sha256","time"}]. */
json_t *rs_store_incident_links(rs_store *store, const char *id, char *err, size_t errsize);

/* Appends an event of ID: KIND "state" (STATE set) or "note" (TEXT set). */
int rs_store_incident_event(rs_store *store, const char *id, const char *time, const char *kind,
			    const char *state, const char *operator_name, const char *text,
			    char *err, size_t errsize);

/* The events of ID in order: [{"time","kind","state","operator","text"}]. */
json_t *rs_store_incident_events(rs_store *store, const char *id, char *err, size_t errsize);

#endif
