/*
 * form_common.c — what every VNCERT form shares: the incident id, the
 * exercise mark, the report time, the "[TBSC]" e-mail subject, the
 * deadlines of Circular 20/2017 (notification 5 days after detection, final
 * report 5 days after the response ends) and the closing notes.
 */
#include "incident/render_internal.h"

#include <string.h>

#define RS_DAYS5 (5 * 86400L)

/* The record's deadline under KEY, else BASE + 5 days (0 when BASE is 0). */
static time_t deadline(const json_t *incident, const char *key, time_t base)
{
	const json_t *d = json_is_object(incident) ? json_object_get(incident, "deadlines") : NULL;
	time_t t = rs_rec_time(d, key);
	if (t > 0)
		return t;
	return base > 0 ? base + RS_DAYS5 : 0;
}

void rs_form_begin(rs_form_doc *doc, const json_t *incident, time_t now)
{
	const rs_form_text *t = doc->t;
	char buf[40];
	rs_buf subject;

	rs_fmt_rfc3339(now, false, buf, sizeof(buf));
	doc->generated = rs_strdup(buf);
	rs_buf_init(&subject);
	rs_buf_printf(&subject, "[TBSC] %s", t->subject[doc->form]);
	if (doc->form != RS_FORM_SUMMARY) {
		const char *id = rs_rec_str(incident, "id");
		const char *title = rs_rec_str(incident, "title");
		doc->incident_id = id != NULL ? rs_strdup(id) : NULL;
		doc->exercise = rs_rec_true(incident, "exercise");
		if (id != NULL)
			rs_buf_printf(&subject, " — %s", id);
		if (title != NULL)
			rs_buf_printf(&subject, ": %s", title);
		if (doc->exercise)
			rs_buf_printf(&subject, " (%s)", t->exercise);
	}
	doc->subject = rs_buf_take(&subject);

	if (doc->form == RS_FORM_NOTIFY || doc->form == RS_FORM_INITIAL)
		rs_form_deadline_add(doc, t->deadline_notify,
				     deadline(incident, "notify", rs_rec_time(incident, "detected")), now);
	if (doc->form == RS_FORM_INITIAL || doc->form == RS_FORM_FINAL)
		rs_form_deadline_add(doc, t->deadline_final,
				     deadline(incident, "final", rs_rec_time(incident, "response_ended")),
				     now);
}

void rs_form_end(rs_form_doc *doc)
{
	rs_form_note(doc, doc->form == RS_FORM_SUMMARY ? doc->t->signature05 : doc->t->signature);
	if (doc->form != RS_FORM_SUMMARY)
		rs_form_note(doc, doc->t->note_mandatory);
	rs_form_note(doc, doc->t->note_tbsc);
	rs_form_note(doc, doc->t->utc_note);
}

void rs_form_levels(rs_form_item *item, const rs_form_text *t, const json_t *incident)
{
	bool level[5] = {false, false, false, false, false};
	const json_t *systems = rs_rec_array(incident, "systems");
	size_t i;
	const json_t *sys;

	json_array_foreach(systems, i, sys) {
		const json_t *l = json_is_object(sys) ? json_object_get(sys, "level") : NULL;
		if (json_is_integer(l) && json_integer_value(l) >= 1 && json_integer_value(l) <= 5)
			level[json_integer_value(l) - 1] = true;
	}
	for (int k = 0; k < 5; k++)
		rs_form_choice_add(item, t->level[k], level[k]);
}

void rs_form_detection(rs_form_doc *doc, int number, const char *date_label,
		       const char *time_label, const json_t *incident)
{
	time_t detected = rs_rec_time(incident, "detected");
	char date[32], hm[64];

	rs_fmt_date_short(detected, date, sizeof(date));
	rs_fmt_hour_minute(doc->t, detected, hm, sizeof(hm));
	rs_form_field(doc, number, date_label, detected > 0 ? date : NULL);
	rs_form_field(doc, number + 1, time_label, detected > 0 ? hm : NULL);
}
