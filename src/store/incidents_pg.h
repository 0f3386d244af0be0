/*
 * incidents_pg.h — the PostgreSQL twins of the rs_store_incident_*
 * functions (incidents.h), for a store opened by rs_store_open_incidents
 * on a postgresql:// URL. Only store/incidents.c calls them.
 */
#ifndef RS_STORE_INCIDENTS_PG_H
#define RS_STORE_INCIDENTS_PG_H

#include "store/store.h"

#include <jansson.h>

int rs_pg_incident_begin(rs_store *store, char *err, size_t errsize);
int rs_pg_incident_commit(rs_store *store, char *err, size_t errsize);
void rs_pg_incident_rollback(rs_store *store);
int rs_pg_incident_insert(rs_store *store, int year, const char *detected, const char *created,
			  const json_t *record, char **id_out, char *err, size_t errsize);
int rs_pg_incident_get(rs_store *store, const char *id, json_t **out, char *err, size_t errsize);
int rs_pg_incident_put(rs_store *store, const char *id, const char *detected, const json_t *record, char *err,
		       size_t errsize);
json_t *rs_pg_incident_ids(rs_store *store, const char *from, const char *to, char *err, size_t errsize);
int rs_pg_incident_link(rs_store *store, const char *id, const char *kind, const char *value, const char *sha256,
			const char *time, char *err, size_t errsize);
json_t *rs_pg_incident_links(rs_store *store, const char *id, char *err, size_t errsize);
int rs_pg_incident_event(rs_store *store, const char *id, const char *time, const char *kind, const char *state,
			 const char *operator_name, const char *text, char *err, size_t errsize);
json_t *rs_pg_incident_events(rs_store *store, const char *id, char *err, size_t errsize);

#endif
