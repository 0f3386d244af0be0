/*
 * fields.h — the fields of an incident record that only a person knows
 * (the description, how it was handled, who was notified, the system's
 * owner and level, ...), set one at a time by `rasoat incident set ID
 * FIELD VALUE`. An addition beside incident.h's record API.
 */
#ifndef RS_INCIDENT_FIELDS_H
#define RS_INCIDENT_FIELDS_H

#include "store/store.h"

#include <stddef.h>
#include <stdio.h>

/* Sets FIELD of incident ID to VALUE (text as typed: lists
 * comma-separated, booleans yes/no, times RFC 3339; "" clears it).
 * 0, or -1 with a message in ERR naming the field and what it takes. */
int rs_incident_set_field(rs_store *store, const char *id, const char *field, const char *value,
			  char *err, size_t errsize);

/* Links stored scan SCAN (an id, a prefix, last, last~N) to incident ID:
 * its findings join the record. 0 or -1 with ERR. */
int rs_incident_link_scan(rs_store *store, const char *id, const char *scan, char *err,
			  size_t errsize);

/* Prints the settable fields and what each takes, one per line. */
void rs_incident_fields_help(FILE *out);

#endif
