/*
 * form_final.c — Mẫu 04, the report that closes the response: the 14 fields
 * in the form's order; item 13 gathers what happened, how it was handled and
 * how recurrence is prevented, item 14 the evidence bundles and actions.
 */
#include "incident/render_internal.h"

#include <stdlib.h>

static void part(rs_buf *b, const rs_form_text *t, const char *label, const char *text)
{
	if (b->len > 0)
		rs_buf_puts(b, "\n");
	rs_buf_printf(b, "%s: %s", label, text != NULL ? text : t->blank);
}

static char *initial_ref(const rs_form_text *t, const json_t *incident)
{
	const json_t *ref = json_is_object(incident) ? json_object_get(incident, "initial_report") : NULL;
	const char *no = rs_rec_str(ref, "ref");
	time_t when = rs_rec_time(ref, "time");
	char date[32];
	rs_buf b;

	if (no == NULL && when == 0)
		return NULL;
	rs_fmt_date_long(when, date, sizeof(date));
	rs_buf_init(&b);
	part(&b, t, t->m04_ref, no);
	rs_buf_puts(&b, " — ");
	rs_buf_printf(&b, "%s: %s", t->m04_date, when > 0 ? date : t->blank);
	return rs_buf_take(&b);
}

static char *attachments(const rs_form_text *t, const json_t *incident)
{
	const json_t *evidence = rs_rec_array(incident, "evidence");
	const json_t *actions = rs_rec_array(incident, "actions");
	rs_buf b;
	size_t i;
	const json_t *v;

	rs_buf_init(&b);
	json_array_foreach(evidence, i, v) {
		const char *path = rs_rec_str(v, "path");
		const char *sha = rs_rec_str(v, "sha256");
		if (path == NULL)
			continue;
		rs_buf_printf(&b, "%s%s: %s (%s)", b.len > 0 ? "\n" : "", t->m04_evidence, path,
			      sha != NULL ? sha : "?");
	}
	json_array_foreach(actions, i, v) {
		const char *id = json_is_string(v) ? json_string_value(v) : rs_rec_str(v, "id");
		if (id == NULL || *id == '\0')
			continue;
		rs_buf_printf(&b, "%s%s: %s", b.len > 0 ? "\n" : "", t->m04_actions, id);
	}
	if (b.len == 0) {
		rs_buf_free(&b);
		return NULL;
	}
	return rs_buf_take(&b);
}

void rs_form_build_final(rs_form_doc *doc, const json_t *incident, time_t now)
{
	const rs_form_text *t = doc->t;
	const json_t *rep = json_is_object(incident) ? json_object_get(incident, "reporter") : NULL;
	const char *title = rs_rec_str(incident, "title");
	const char *desc = rs_rec_str(incident, "description");
	const char *handling = rs_rec_str(incident, "handling");
	const char *prevention = rs_rec_str(incident, "prevention");
	rs_buf b;
	char *s;

	rs_form_begin(doc, incident, now);
	rs_form_section(doc, t->m04_section[0]);
	rs_form_field(doc, 1, t->m04[1], rs_rec_str(rep, "name"));
	rs_form_field(doc, 2, t->m04[2], rs_rec_str(rep, "address"));
	rs_form_field(doc, 3, t->m04[3], rs_rec_str(rep, "phone"));
	rs_form_field(doc, 4, t->m04[4], rs_rec_str(rep, "email"));
	s = initial_ref(t, incident);
	rs_form_field(doc, 5, t->m04[5], s);
	free(s);

	rs_form_section(doc, t->m04_section[1]);
	s = rs_rec_systems_join(incident, "operator");
	rs_form_field(doc, 6, t->m04[6], s);
	free(s);
	s = rs_rec_systems_join(incident, "owner");
	rs_form_field(doc, 7, t->m04[7], s);
	free(s);
	s = rs_form_system_line(incident);
	rs_form_field(doc, 8, t->m04[8], s);
	free(s);
	rs_form_levels(rs_form_checks(doc, 9, t->m04[9]), t, incident);
	rs_buf_init(&b);
	if (title != NULL)
		rs_buf_puts(&b, title);
	if (desc != NULL)
		rs_buf_printf(&b, "%s%s", b.len > 0 ? ": " : "", desc);
	rs_form_field(doc, 10, t->m04[10], b.len > 0 ? b.data : NULL);
	rs_buf_free(&b);
	rs_form_detection(doc, 11, t->m04[11], t->m04[12], incident);
	rs_buf_init(&b);
	if (desc != NULL || handling != NULL || prevention != NULL) {
		part(&b, t, t->m04_happened, desc);
		part(&b, t, t->m04_handled, handling);
		part(&b, t, t->m04_prevent, prevention);
	}
	rs_form_field(doc, 13, t->m04[13], b.len > 0 ? b.data : NULL);
	rs_buf_free(&b);
	s = attachments(t, incident);
	rs_form_field(doc, 14, t->m04[14], s);
	free(s);
	rs_form_end(doc);
}
