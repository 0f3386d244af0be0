/*
 * people.h — the reporter and the affected systems of an incident record,
 * from the reporter configuration and the record's own overrides (see
 * people.c). Shared by load.c and edit.c within src/incident/.
 */
#ifndef RS_INCIDENT_PEOPLE_H
#define RS_INCIDENT_PEOPLE_H

#include "incident/incident.h"

#include <jansson.h>

/* incident.h's "reporter" object from CONF (rs_incident_conf_load). */
json_t *rs_incident_reporter(const json_t *conf);

/* One "systems" entry: HOST (may be NULL) and the OS of its scan's
 * HOST_INFO, the defaults of CONF, then OVERRIDES (the record's "system"). */
json_t *rs_incident_system(const char *host, const json_t *host_info, const json_t *conf,
			   const json_t *overrides);

#endif
