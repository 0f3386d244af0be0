/*
 * render.c — rs_incident_render and rs_incident_export (render.h): check the
 * request, build the form document and hand it to the printer of the
 * format, or hand the record to the exporter.
 */
#include "incident/render_internal.h"

#include <stdio.h>
#include <string.h>

int rs_incident_render(const json_t *incident, rs_incident_form form, const char *lang,
		       const char *format, time_t now, time_t from, time_t to, rs_buf *out,
		       char *err, size_t errsize)
{
	const rs_form_text *t = rs_form_text_get(lang);
	rs_form_doc doc;
	int rc;

	if (t == NULL) {
		snprintf(err, errsize, "incident report: unknown language \"%s\"; use --lang vi or --lang en",
			 lang != NULL ? lang : "");
		return -1;
	}
	if (format == NULL || (strcmp(format, "md") != 0 && strcmp(format, "html") != 0 &&
			       strcmp(format, "json") != 0 && strcmp(format, "eml") != 0)) {
		snprintf(err, errsize, "incident report: unknown format \"%s\"; use md, html, json or eml",
			 format != NULL ? format : "");
		return -1;
	}
	if ((int)form < RS_FORM_NOTIFY || form > RS_FORM_SUMMARY) {
		snprintf(err, errsize, "incident report: unknown form; use notify, initial, final or summary");
		return -1;
	}
	if (form == RS_FORM_SUMMARY ? !json_is_array(incident) : !json_is_object(incident)) {
		snprintf(err, errsize, "incident report: the %s form needs %s", form == RS_FORM_SUMMARY ? "summary" : "incident",
			 form == RS_FORM_SUMMARY ? "a list of incident records" : "one incident record (a JSON object)");
		return -1;
	}
	if (form != RS_FORM_SUMMARY && strcmp(format, "eml") == 0 && rs_rec_str(incident, "id") == NULL) {
		snprintf(err, errsize, "incident report: the record has no id");
		return -1;
	}

	rs_form_doc_init(&doc, t, form);
	switch (form) {
	case RS_FORM_NOTIFY:
		rs_form_build_notify(&doc, incident, now);
		break;
	case RS_FORM_INITIAL:
		rs_form_build_initial(&doc, incident, now, strcmp(format, "eml") == 0);
		break;
	case RS_FORM_FINAL:
		rs_form_build_final(&doc, incident, now);
		break;
	case RS_FORM_SUMMARY:
		rs_form_build_summary(&doc, incident, now, from, to);
		break;
	}
	if (strcmp(format, "md") == 0)
		rc = rs_doc_markdown(&doc, out);
	else if (strcmp(format, "html") == 0)
		rc = rs_doc_html(&doc, out);
	else if (strcmp(format, "json") == 0)
		rc = rs_doc_json(&doc, out);
	else
		rc = rs_doc_eml(&doc, form == RS_FORM_SUMMARY ? json_array_get(incident, 0) : incident, now, out, err, errsize);
	if (rc != 0 && err[0] == '\0')
		snprintf(err, errsize, "incident report: could not render the %s form as %s", doc.form_name, format);
	rs_form_doc_free(&doc);
	return rc;
}

int rs_incident_export(const json_t *incident, const char *format, time_t now, rs_buf *out,
		       char *err, size_t errsize)
{
	if (!json_is_object(incident)) {
		snprintf(err, errsize, "incident export: the record is not a JSON object");
		return -1;
	}
	if (format != NULL && strcmp(format, "stix") == 0)
		return rs_export_stix(incident, now, out, err, errsize);
	if (format != NULL && strcmp(format, "misp") == 0)
		return rs_export_misp(incident, now, out, err, errsize);
	if (format != NULL && strcmp(format, "thehive") == 0)
		return rs_export_thehive(incident, now, out, err, errsize);
	snprintf(err, errsize, "incident export: unknown format \"%s\"; use stix, misp or thehive",
		 format != NULL ? format : "");
	return -1;
}
