/*
 * render.h — renderings of the incident record (incident.h's JSON): the
 * VNCERT forms of Circular 20/2017 (the Art. 9 notification, Mẫu 03 initial
 * report, Mẫu 04 final report, Mẫu 05 summary) in Vietnamese and English as
 * Markdown, HTML, JSON or an RFC 5322 e-mail, and the exports for the
 * tools responders share IOCs with: STIX 2.1, MISP, TheHive 5.
 */
#ifndef RS_INCIDENT_RENDER_H
#define RS_INCIDENT_RENDER_H

#include "core/util.h"

#include <jansson.h>
#include <stddef.h>
#include <time.h>

typedef enum rs_incident_form {
	RS_FORM_NOTIFY,   /* Thông báo sự cố (Art. 9) */
	RS_FORM_INITIAL,  /* Mẫu 03 */
	RS_FORM_FINAL,    /* Mẫu 04 */
	RS_FORM_SUMMARY,  /* Mẫu 05, over several incidents */
} rs_incident_form;

/* Renders FORM of INCIDENT in LANG ("vi"|"en") as FORMAT ("md"|"html"|
 * "json"|"eml") into OUT. NOW is the report time. For RS_FORM_SUMMARY,
 * INCIDENT is an array of records (rs_incident_list) and FROM/TO the period.
 * 0, or -1 with a message in err. */
int rs_incident_render(const json_t *incident, rs_incident_form form, const char *lang,
		       const char *format, time_t now, time_t from, time_t to, rs_buf *out,
		       char *err, size_t errsize);

/* Exports INCIDENT as FORMAT ("stix"|"misp"|"thehive") into OUT. */
int rs_incident_export(const json_t *incident, const char *format, time_t now, rs_buf *out,
		       char *err, size_t errsize);

#endif
