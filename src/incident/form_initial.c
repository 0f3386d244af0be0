/*
 * form_initial.c — Mẫu 03, the initial incident report: all 31 fields in the
 * form's order with their checkboxes, filled from the record; what the record
 * does not hold is left as a blank to fill.
 */
#include "incident/render_internal.h"

#include <stdlib.h>
#include <string.h>

/* Checkboxes of KNOWN values of the systems' array KEY, then "other" with the
 * values that are none of them. */
static void checks_from_systems(rs_form_item *item, const json_t *incident, const char *key,
				const char *const known[3], const char *const labels[4])
{
	const json_t *systems = rs_rec_array(incident, "systems");
	bool hit[3] = {false, false, false};
	rs_buf other;
	json_t *seen = json_object();
	size_t i, j;
	const json_t *sys, *v;

	rs_buf_init(&other);
	json_array_foreach(systems, i, sys) {
		json_array_foreach(rs_rec_array(sys, key), j, v) {
			const char *s = json_string_value(v);
			bool matched = false;
			if (s == NULL || *s == '\0')
				continue;
			for (int k = 0; k < 3; k++)
				if (strcmp(s, known[k]) == 0)
					hit[k] = matched = true;
			if (!matched && json_object_get(seen, s) == NULL) {
				json_object_set_new(seen, s, json_true());
				if (other.len > 0)
					rs_buf_puts(&other, ", ");
				rs_buf_puts(&other, s);
			}
		}
	}
	for (int k = 0; k < 3; k++)
		rs_form_choice_add(item, labels[k], hit[k]);
	rs_form_choice_text(item, labels[3], other.len > 0, other.len > 0 ? other.data : NULL);
	rs_buf_free(&other);
	json_decref(seen);
}

static void detection_methods(rs_form_item *item, const rs_form_text *t, const json_t *incident)
{
	const json_t *methods = rs_rec_array(incident, "detection_methods");
	bool ids = rs_rec_has(incident, "detection_methods", "ids");
	bool logs = rs_rec_has(incident, "detection_methods", "logs");
	rs_buf from, other;
	size_t i;
	const json_t *v;

	rs_buf_init(&from);
	rs_buf_init(&other);
	json_array_foreach(methods, i, v) {
		const char *s = json_string_value(v);
		rs_buf *to = NULL;
		if (s == NULL)
			continue;
		if (rs_starts_with(s, "notified:"))
			to = &from, s += strlen("notified:");
		else if (rs_starts_with(s, "other:"))
			to = &other, s += strlen("other:");
		if (to == NULL || *s == '\0')
			continue;
		if (to->len > 0)
			rs_buf_puts(to, "; ");
		rs_buf_puts(to, s);
	}
	/* how_detected ("rasoat scan") is the other way when no method says more */
	if (other.len == 0 && !ids && !logs && from.len == 0 &&
	    rs_rec_str(incident, "how_detected") != NULL)
		rs_buf_puts(&other, rs_rec_str(incident, "how_detected"));
	rs_form_choice_add(item, t->detect[0], ids);
	rs_form_choice_add(item, t->detect[1], logs);
	rs_form_choice_text(item, t->detect[2], from.len > 0, from.len > 0 ? from.data : NULL);
	rs_form_choice_text(item, t->detect[3], other.len > 0, other.len > 0 ? other.data : NULL);
	rs_buf_free(&from);
	rs_buf_free(&other);
}

static void field_join(rs_form_doc *doc, int n, const char *label, const json_t *incident,
		       const char *key)
{
	char *s = rs_rec_systems_join(incident, key);
	rs_form_field(doc, n, label, s);
	free(s);
}

void rs_form_build_initial(rs_form_doc *doc, const json_t *incident, time_t now, bool with_iocs)
{
	static const char *const services[3] = {"web", "mail", "database"};
	static const char *const safeguards[3] = {"antivirus", "firewall", "ids"};
	static const char *const notified[3] = {"network_member", "isp", "coordinator"};
	const rs_form_text *t = doc->t;
	const json_t *rep = json_is_object(incident) ? json_object_get(incident, "reporter") : NULL;
	const json_t *contact = json_is_object(rep) ? json_object_get(rep, "contact") : NULL;
	int handled = rs_rec_bool(incident, "status_handled");
	int confidential = rs_rec_bool(incident, "confidential");
	rs_form_item *it;
	char *s;
	char when[40];

	rs_form_begin(doc, incident, now);
	rs_form_section(doc, t->m03_section[0]);
	rs_form_field(doc, 1, t->m03[1], rs_rec_str(rep, "name"));
	rs_form_field(doc, 2, t->m03[2], rs_rec_str(rep, "address"));
	rs_form_field(doc, 3, t->m03[3], rs_rec_str(rep, "phone"));
	rs_form_field(doc, 4, t->m03[4], rs_rec_str(rep, "email"));
	rs_form_section(doc, t->m03_section[1]);
	rs_form_field(doc, 5, t->m03[5], rs_rec_str(contact, "name"));
	rs_form_field(doc, 6, t->m03[6], rs_rec_str(contact, "position"));
	rs_form_field(doc, 7, t->m03[7], rs_rec_str(contact, "phone"));
	rs_form_field(doc, 8, t->m03[8], rs_rec_str(contact, "email"));

	rs_form_section(doc, t->m03_section[2]);
	field_join(doc, 9, t->m03[9], incident, "operator");
	field_join(doc, 10, t->m03[10], incident, "owner");
	s = rs_form_system_line(incident);
	rs_form_field(doc, 11, t->m03[11], s);
	free(s);
	rs_form_levels(rs_form_checks(doc, 12, t->m03[12]), t, incident);
	field_join(doc, 13, t->m03[13], incident, "security_provider");
	field_join(doc, 14, t->m03[14], incident, "uplink_provider");
	rs_form_field(doc, 15, t->m03[15], NULL);
	rs_form_field(doc, 16, t->m03[16], rs_rec_str(incident, "description"));
	rs_form_detection(doc, 17, t->m03[17], t->m03[18], incident);
	it = rs_form_checks(doc, 19, t->m03[19]);
	rs_form_choice_add(it, t->status[0], handled == 1);
	rs_form_choice_add(it, t->status[1], handled == 0);
	detection_methods(rs_form_checks(doc, 20, t->m03[20]), t, incident);
	it = rs_form_checks(doc, 21, t->m03[21]);
	for (int k = 0; k < 3; k++)
		rs_form_choice_add(it, t->notified[k], rs_rec_has(incident, "notified", notified[k]));

	rs_form_section(doc, t->m03_section[3]);
	field_join(doc, 22, t->m03[22], incident, "os");
	checks_from_systems(rs_form_checks(doc, 23, t->m03[23]), incident, "services", services,
			    t->services);
	checks_from_systems(rs_form_checks(doc, 24, t->m03[24]), incident, "safeguards", safeguards,
			    t->safeguards);
	field_join(doc, 25, t->m03[25], incident, "public_ips");
	field_join(doc, 26, t->m03[26], incident, "domains");
	field_join(doc, 27, t->m03[27], incident, "purpose");
	it = rs_form_checks(doc, 28, t->m03[28]);
	rs_form_choice_add(it, t->attach[0], false);
	rs_form_choice_add(it, t->attach[1], false);
	rs_form_choice_text(it, t->attach[2], with_iocs, with_iocs ? t->attach_iocs : NULL);
	it = rs_form_checks(doc, 29, t->m03[29]);
	rs_form_choice_add(it, t->yesno[0], confidential == 1);
	rs_form_choice_add(it, t->yesno[1], confidential == 0);

	rs_form_section(doc, t->m03_section[4]);
	rs_form_field(doc, 30, t->m03[30], rs_rec_str(incident, "requests"));
	rs_fmt_report_time(now, when, sizeof(when));
	rs_form_field(doc, 31, t->m03[31], when);
	rs_form_end(doc);
}
