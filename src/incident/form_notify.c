/*
 * form_notify.c — the Art. 9 minimum notification ("THÔNG BÁO SỰ CỐ MẠNG"):
 * ten fields in the portal form's order, filled from the record.
 */
#include "incident/render_internal.h"

#include <stdlib.h>

char *rs_form_system_line(const json_t *incident)
{
	char *parts[3] = {rs_rec_systems_names(incident), rs_rec_systems_join(incident, "domains"),
			  rs_rec_systems_join(incident, "ips")};
	rs_buf b;

	rs_buf_init(&b);
	for (int i = 0; i < 3; i++) {
		if (parts[i] == NULL)
			continue;
		if (b.len > 0)
			rs_buf_puts(&b, " — ");
		rs_buf_puts(&b, parts[i]);
		free(parts[i]);
	}
	if (b.len == 0) {
		rs_buf_free(&b);
		return NULL;
	}
	return rs_buf_take(&b);
}

void rs_form_build_notify(rs_form_doc *doc, const json_t *incident, time_t now)
{
	const rs_form_text *t = doc->t;
	const json_t *rep = json_is_object(incident) ? json_object_get(incident, "reporter") : NULL;
	const char *desc = rs_rec_str(incident, "description");
	char *s;

	rs_form_begin(doc, incident, now);
	rs_form_section(doc, t->ntf_section[0]);
	rs_form_field(doc, 1, t->ntf[1], rs_rec_str(rep, "name"));
	rs_form_field(doc, 2, t->ntf[2], rs_rec_str(rep, "address"));
	rs_form_section(doc, t->ntf_section[1]);
	s = rs_form_system_line(incident);
	rs_form_field(doc, 3, t->ntf[3], s);
	free(s);
	s = rs_rec_systems_join(incident, "operator");
	rs_form_field(doc, 4, t->ntf[4], s);
	free(s);
	s = rs_rec_systems_join(incident, "owner");
	rs_form_field(doc, 5, t->ntf[5], s);
	free(s);
	rs_form_field(doc, 6, t->ntf[6], desc != NULL ? desc : rs_rec_str(incident, "title"));
	rs_form_detection(doc, 7, t->ntf[7], t->ntf[8], incident);
	rs_form_field(doc, 9, t->ntf[9], rs_rec_str(incident, "handling"));
	rs_form_field(doc, 10, t->ntf[10], rs_rec_str(incident, "requests"));
	rs_form_end(doc);
}
