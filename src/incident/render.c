/*
 * render.c — rs_incident_render and rs_incident_export (render.h): check the
 * request, build the form document in the language asked (gettext's
 * language is switched for the render and restored afterwards) and hand it
 * to the printer of the format, or hand the record to the exporter.
 */
#include "core/i18n.h"
#include "incident/render_internal.h"

#include <stdio.h>
#include <string.h>

/* Builds the form document and prints it in FORMAT, with gettext already
 * speaking the language of T. */
static int render_doc(const json_t *incident, rs_incident_form form, const rs_form_text *t,
		      const char *format, time_t now, time_t from, time_t to, rs_buf *out, char *err,
		      size_t errsize)
{
	rs_form_doc doc;
	int rc;

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
	rs_form_doc_free(&doc);
	return rc;
}

int rs_incident_render(const json_t *incident, rs_incident_form form, const char *lang,
		       const char *format, time_t now, time_t from, time_t to, rs_buf *out,
		       char *err, size_t errsize)
{
	static const char *const form_names[] = {"notify", "initial", "final", "summary"};
	rs_form_text t;
	char before[8];
	char ignored[128];
	int rc;

	if (lang == NULL || (strcmp(lang, "vi") != 0 && strcmp(lang, "en") != 0)) {
		snprintf(err, errsize, _("incident report: unknown language \"%s\"; use --lang vi or --lang en"),
			 lang != NULL ? lang : "");
		return -1;
	}
	if (format == NULL || (strcmp(format, "md") != 0 && strcmp(format, "html") != 0 &&
			       strcmp(format, "json") != 0 && strcmp(format, "eml") != 0)) {
		snprintf(err, errsize, _("incident report: unknown format \"%s\"; use md, html, json or eml"),
			 format != NULL ? format : "");
		return -1;
	}
	if ((int)form < RS_FORM_NOTIFY || form > RS_FORM_SUMMARY) {
		snprintf(err, errsize, "%s", _("incident report: unknown form; use notify, initial, final or summary"));
		return -1;
	}
	if (form == RS_FORM_SUMMARY && !json_is_array(incident)) {
		snprintf(err, errsize, "%s", _("incident report: the summary form needs a list of incident records"));
		return -1;
	}
	if (form != RS_FORM_SUMMARY && !json_is_object(incident)) {
		snprintf(err, errsize, "%s",
			 _("incident report: the incident form needs one incident record (a JSON object)"));
		return -1;
	}
	if (form != RS_FORM_SUMMARY && strcmp(format, "eml") == 0 && rs_rec_str(incident, "id") == NULL) {
		snprintf(err, errsize, "%s", _("incident report: the record has no id"));
		return -1;
	}

	/* the form speaks LANG; the messages around it keep the user's language */
	snprintf(before, sizeof(before), "%s", rs_i18n_lang());
	if (rs_i18n_init(lang, err, errsize) != 0)
		return -1;
	rs_form_text_translate(&t, lang);
	err[0] = '\0';
	rc = render_doc(incident, form, &t, format, now, from, to, out, err, errsize);
	rs_i18n_init(before, ignored, sizeof(ignored));
	if (rc != 0 && err[0] == '\0')
		snprintf(err, errsize, _("incident report: could not render the %s form as %s"), form_names[form],
			 format);
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
