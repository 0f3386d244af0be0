/*
 * render_json.c — the form document for machines: every field with its
 * number in the form, label, mandatory mark, value (null = blank to fill)
 * and checkboxes, in the form's order.
 */
#include "incident/render_internal.h"
#include "core/json.h"

#include <stdlib.h>

static json_t *str_or_null(const char *s)
{
	return s != NULL ? rs_json_string(s) : json_null();
}

static json_t *item_json(const rs_form_item *it)
{
	static const char *const kinds[] = {"section", "field", "line", "note", "table"};
	json_t *o = json_object();

	json_object_set_new(o, "kind", json_string(kinds[it->kind]));
	if (it->number > 0)
		json_object_set_new(o, "n", json_integer(it->number));
	if (it->label != NULL)
		json_object_set_new(o, it->kind == RS_FI_NOTE ? "text" : "label", json_string(it->label));
	if (it->kind == RS_FI_FIELD || it->kind == RS_FI_LINE)
		json_object_set_new(o, "mandatory", json_boolean(it->mandatory));
	if (it->has_value) {
		json_object_set_new(o, "value", str_or_null(it->value));
		json_object_set_new(o, "blank", json_boolean(it->value == NULL));
	}
	if (it->choices.len > 0) {
		json_t *arr = json_array();
		for (size_t j = 0; j < it->choices.len; j++) {
			const rs_form_choice *c = rs_vec_at(&it->choices, j);
			json_t *co = json_object();
			json_object_set_new(co, "label", json_string(c->label));
			json_object_set_new(co, "checked", json_boolean(c->checked));
			if (c->has_text)
				json_object_set_new(co, "text", str_or_null(c->text));
			json_array_append_new(arr, co);
		}
		json_object_set_new(o, "choices", arr);
	}
	if (it->kind == RS_FI_TABLE) {
		json_t *rows = json_array(), *row = NULL;
		for (size_t i = 0; i < it->cells.len; i++) {
			if (i % it->ncols == 0) {
				row = json_array();
				json_array_append_new(rows, row);
			}
			json_array_append_new(row, rs_json_string(*(char **)rs_vec_at(&it->cells, i)));
		}
		json_object_set_new(o, "rows", rows);
	}
	return o;
}

int rs_doc_json(const rs_form_doc *doc, rs_buf *out)
{
	const rs_form_text *t = doc->t;
	json_t *o = json_object(), *items = json_array(), *deadlines = json_array();
	char *s;

	json_object_set_new(o, "type", json_string("incident_report"));
	json_object_set_new(o, "form", json_string(doc->form_name));
	json_object_set_new(o, "lang", json_string(t->lang));
	json_object_set_new(o, "form_no", str_or_null(t->form_no[doc->form]));
	json_object_set_new(o, "title", json_string(t->title[doc->form]));
	json_object_set_new(o, "incident", str_or_null(doc->incident_id));
	json_object_set_new(o, "exercise", json_boolean(doc->exercise));
	json_object_set_new(o, "generated", json_string(doc->generated));
	json_object_set_new(o, "subject", rs_json_string(doc->subject));
	json_object_set_new(o, "blank_marker", json_string(t->blank));
	for (size_t i = 0; i < doc->deadlines.len; i++) {
		const rs_form_deadline *d = rs_vec_at(&doc->deadlines, i);
		json_t *dj = json_object();
		json_object_set_new(dj, "label", json_string(d->label));
		json_object_set_new(dj, "due", str_or_null(d->due));
		json_object_set_new(dj, "overdue", json_boolean(d->overdue));
		json_array_append_new(deadlines, dj);
	}
	json_object_set_new(o, "deadlines", deadlines);
	for (size_t i = 0; i < doc->items.len; i++)
		json_array_append_new(items, item_json(rs_vec_at(&doc->items, i)));
	json_object_set_new(o, "items", items);
	s = json_dumps(o, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (s == NULL)
		return -1;
	rs_buf_puts(out, s);
	rs_buf_puts(out, "\n");
	free(s);
	return 0;
}
